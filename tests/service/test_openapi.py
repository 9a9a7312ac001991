"""The OpenAPI document is generated with the library's own household schema, and the live
service, driven by schemathesis from that document for a bounded number of examples per
operation, never answers 500 and always answers an error as problem details."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.checks import not_a_server_error  # noqa: E402
from service_support import LiveServer  # noqa: E402

from civilaffairs.convert import json_schema  # noqa: E402
from civilaffairs.domain import Household  # noqa: E402
from civilaffairs.service.app import build_app  # noqa: E402


@schemathesis.serializer("application/x-ndjson")
def _json_lines(ctx: Any, value: Any) -> bytes:
    """A batch body as schemathesis draws it (a string) sent as it is."""
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


@pytest.fixture(scope="module")
def api(live: LiveServer) -> Any:
    return schemathesis.openapi.from_url(live.url + "/openapi.json")


def test_household_body_is_the_library_schema() -> None:
    document = build_app().openapi()
    body = document["paths"]["/v1/assess"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/Household"}
    ours = json_schema(Household)
    components = document["components"]["schemas"]
    assert components["Household"]["properties"].keys() == ours["properties"].keys()
    assert components["Household"]["required"] == ours["required"]
    for name in ours["$defs"]:
        assert name in components
    text = str(document)
    assert "#/$defs/" not in text


def test_every_error_and_answer_is_described() -> None:
    document = build_app().openapi()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "200" in responses, (method, path)
            if path.startswith("/v1/"):
                for status in ("400", "401", "413", "422", "500"):
                    problem = responses[status]["content"]["application/problem+json"]
                    assert problem["schema"] == {"$ref": "#/components/schemas/ProblemDetails"}


def test_the_document_is_served(live: LiveServer) -> None:
    served = httpx.get(live.url + "/openapi.json").json()
    assert served == build_app().openapi()


def operations(api: Any) -> list[Any]:
    return [result.ok() for result in api.get_all_operations()]


def test_no_request_the_schema_allows_gets_a_500(api: Any) -> None:
    """schemathesis draws requests from each operation of the served document (its pytest
    plugin is not used: it does not load under this pytest); 25 examples each."""
    seen: dict[str, set[int]] = {}
    for operation in operations(api):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case: Any) -> None:
            response = case.call(timeout=30)
            case.validate_response(response, checks=[not_a_server_error])
            seen.setdefault(case.operation.label, set()).add(response.status_code)
            if response.status_code >= 400:
                assert response.headers["content-type"] in (
                    "application/problem+json",
                    ["application/problem+json"],
                )
                assert response.json()["status"] == response.status_code

        run()
    assert len(seen) == len(operations(api))
    assert all(max(codes) < 500 for codes in seen.values())

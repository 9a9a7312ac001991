"""Every client mistake is a 4xx problem-details answer naming what is wrong, never a 500."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from service_support import EXAMPLES, SECRET_ID, LiveServer

SERVER_ENV = {"CIVILAFFAIRS_SERVICE_MAX_MEMBERS": "5"}

HOME = json.loads((EXAMPLES / "households" / "beijing-3.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def http(live: LiveServer) -> Any:
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Check *response* is problem details with *status* and *code*; return it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"urn:civilaffairs:problem:{code}"
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"] and body["detail"] and body["instance"] == response.request.url.path
    assert body["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    assert SECRET_ID not in response.text
    return body


def with_changes(**changes: Any) -> bytes:
    return json.dumps({**HOME, **changes}, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "malformed_input"),
        (b"", "malformed_input"),
        (b"\xff\xfe", "malformed_input"),
        (b'{"a": 1, "a": 2}', "malformed_input"),
        (b"[" * 100_000, "malformed_input"),
    ],
)
def test_malformed_json_is_400(http: httpx.Client, body: bytes, code: str) -> None:
    body_ = problem(http.post("/v1/assess?on=2024-08", content=body), 400, code)
    assert body_["errors"]


def test_wrong_types_are_422_with_every_field(http: httpx.Client) -> None:
    members = [dict(HOME["members"][0], incomes=[{"kind": "wage", "monthly": 2600}])]
    bad = with_changes(residence="city", region=110105, members=members)
    body = problem(http.post("/v1/assess?on=2024-08&lang=en", content=bad), 422, "validation_error")
    paths = {e["path"] for e in body["errors"]}
    assert {"residence", "region", "members[0].incomes[0].monthly"} <= paths
    assert all(e["message"] and e["code"] for e in body["errors"])


def test_a_resident_id_in_the_wrong_field_is_not_echoed(http: httpx.Client) -> None:
    for changes in ({"residence": SECRET_ID}, {SECRET_ID: 1}, {"region": SECRET_ID}):
        body = problem(
            http.post("/v1/assess", content=with_changes(**changes)), 422, "validation_error"
        )
        assert SECRET_ID not in json.dumps(body, ensure_ascii=False)


def test_too_many_members_is_422(http: httpx.Client) -> None:
    member = HOME["members"][2]
    others = [dict(member, id_number=None, birth_date="2015-09-01", sex="female")] * 5
    body = problem(
        http.post("/v1/assess", content=with_changes(members=HOME["members"] + others)),
        422,
        "too_many_members",
    )
    assert body["errors"][0]["path"] == "members"


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/v1/standards/999999", 404, "unknown_region"),
        ("/v1/standards/110105?on=2024-08&key=no.such_key", 404, "unknown_standard_key"),
        ("/v1/standards/110105?on=1990-01&key=dibao.standard", 404, "missing_standard"),
        ("/v1/standards/110105?on=2024-13", 400, "invalid_period"),
        ("/v1/standards/110105?residence=city", 422, "validation_error"),
        ("/v1/checks?module=nothing", 404, "unknown_check"),
        ("/v1/nowhere", 404, "not_found"),
        ("/v1/assess", 405, "method_not_allowed"),
    ],
)
def test_bad_gets(http: httpx.Client, url: str, status: int, code: str) -> None:
    problem(http.get(url), status, code)


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("on=2024-08&programs=no_such_programme", 400, "unknown_program"),
        ("on=2024-08&programs=Not%20an%20id", 400, "civilaffairs_error"),
        ("on=2024-08-15", 400, "invalid_period"),
        ("on=", 400, "invalid_period"),
        ("on=1990-01&programs=dibao", 422, "missing_standard"),
        ("lang=fr", 422, "validation_error"),
    ],
)
def test_bad_assess_queries(http: httpx.Client, query: str, status: int, code: str) -> None:
    body = problem(http.post(f"/v1/assess?{query}", content=with_changes()), status, code)
    assert body["errors"]


def test_missing_standard_names_key_region_and_month(http: httpx.Client) -> None:
    body = problem(
        http.post("/v1/assess?on=1990-01&programs=dibao&lang=en", content=with_changes()),
        422,
        "missing_standard",
    )
    assert "dibao.standard" in body["detail"] and "110" in body["detail"]


def test_unknown_check_is_404(http: httpx.Client) -> None:
    problem(http.post("/v1/checks/nothing.here", content=b"{}"), 404, "unknown_check")


def test_a_check_record_with_bad_fields_is_422(http: httpx.Client) -> None:
    body = problem(
        http.post(
            "/v1/checks/children.classify?on=2024-08-01", content=b'{"id": "x", "members": 3}'
        ),
        422,
        "validation_error",
    )
    assert body["errors"]


def test_validate_needs_a_known_type(http: httpx.Client) -> None:
    problem(http.post("/v1/validate?type=car", content=b"{}"), 422, "validation_error")
    problem(http.post("/v1/validate", content=b"{nope"), 400, "malformed_input")


def test_batch_refuses_bad_queries_before_reading(http: httpx.Client) -> None:
    problem(http.post("/v1/assess/batch?on=yesterday", content=b"{}\n"), 400, "invalid_period")
    problem(http.post("/v1/assess/batch?programs=%21", content=b"{}\n"), 400, "civilaffairs_error")


def test_declared_oversize_body_is_413(http: httpx.Client) -> None:
    body = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    problem(http.post("/v1/assess", content=body), 413, "too_large")


def test_bad_content_length_is_400(live: LiveServer) -> None:
    from service_support import raw_exchange, status_of

    raw = raw_exchange(
        live.port,
        b"POST /v1/assess HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    )
    assert status_of(raw) == 400

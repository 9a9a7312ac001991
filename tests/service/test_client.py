"""civilaffairs.client: a system switches between the remote service and local calls and
gets the same documents and the same exceptions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from service_support import EXAMPLES, HOUSEHOLDS, LiveServer

import civilaffairs
from civilaffairs.client import Client, Local, RemoteError, Unauthorized, local_assess_json
from civilaffairs.convert import load_json, structure
from civilaffairs.domain import Household
from civilaffairs.errors import (
    CivilAffairsError,
    InvalidPeriod,
    MalformedInput,
    MissingStandard,
    UnknownProgram,
    UnknownRegion,
    UnknownStandardKey,
    ValidationError,
)
from civilaffairs.ids import mask_text
from civilaffairs.service.auth import hash_key
from civilaffairs.service.operations import UnknownCheck

KEY = "client-test-key"
SERVER_ENV = {"CIVILAFFAIRS_SERVICE_KEYS": hash_key(KEY)}


@pytest.fixture(scope="module")
def remote(live: LiveServer) -> Any:
    with Client(live.url, api_key=KEY) as client:
        yield client


@pytest.fixture(params=["remote", "local"])
def backend(request: pytest.FixtureRequest, remote: Client) -> Any:
    """The one line a system changes to switch."""
    return remote if request.param == "remote" else Local()


@pytest.mark.parametrize("path", HOUSEHOLDS, ids=lambda p: p.stem)
def test_same_decision_documents(remote: Client, path: Any) -> None:
    home = load_json(path, Household)
    local = civilaffairs.assess(home, "2024-08").to_dict("en")
    expected = json.loads(mask_text(json.dumps(local, ensure_ascii=False)))
    assert remote.assess(home, on="2024-08", lang="en") == expected
    assert Local().assess(home, on="2024-08", lang="en") == expected
    assert local_assess_json(home, "2024-08", lang="en") == expected


def test_json_data_and_domain_objects_alike(backend: Any) -> None:
    data = json.loads((EXAMPLES / "households" / "zhejiang-marginal.json").read_text("utf-8"))
    home = structure(data, Household)
    assert backend.assess(data, on="2024-08", programs=["marginal"]) == backend.assess(
        home, on="2024-08", programs=["marginal"]
    )


def test_same_batches(remote: Client) -> None:
    homes = [load_json(p, Household) for p in HOUSEHOLDS]
    bad = {"id": "x", "region": "110105", "residence": "city", "members": []}
    items = [*homes, bad, *homes]
    got = list(remote.assess_batch(items, on="2024-08", chunk=4))
    expected = list(Local().assess_batch(items, on="2024-08"))
    assert [g["line"] for g in got] == list(range(1, len(items) + 1))
    assert [g.get("result") for g in got] == [e.get("result") for e in expected]
    failed = [g for g in got if "error" in g]
    assert [f["line"] for f in failed] == [len(homes) + 1]
    assert {e["path"] for e in failed[0]["error"]["errors"]} == {
        e["path"] for e in expected[len(homes)]["error"]["errors"]
    }


def test_same_listings(remote: Client) -> None:
    local = Local()
    assert remote.programs() == local.programs()
    assert remote.plugins() == local.plugins()
    assert remote.checks() == local.checks()
    assert remote.checks(["children"]) == local.checks(["children"])
    assert remote.schema() == local.schema()
    assert remote.standards("110105", on="2024-08") == local.standards("110105", on="2024-08")
    assert remote.standards(
        "110105", on="2024-08", keys=["dibao.standard"], residence="urban"
    ) == local.standards("110105", on="2024-08", keys=["dibao.standard"], residence="urban")


def test_same_checks_and_validation(remote: Client) -> None:
    record = json.loads((EXAMPLES / "children" / "orphans.json").read_text("utf-8"))
    local = Local()
    assert remote.check("children.classify", record, on="2024-08-01") == local.check(
        "children.classify", record, on="2024-08-01"
    )
    records = [json.loads(p.read_text("utf-8")) for p in HOUSEHOLDS]
    records.append({"type": "household", "id": "y", "members": "none"})
    assert remote.validate(records, lang="en") == local.validate(records, lang="en")


def _raised(call: Any) -> CivilAffairsError:
    with pytest.raises(CivilAffairsError) as info:
        call()
    return info.value


BAD_HOME = {
    "id": "z",
    "region": "999999",
    "residence": "city",
    "members": [{"relation": "head", "sex": "male"}],
}


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda b: b.assess(BAD_HOME, on="2024-08"), ValidationError),
        (
            lambda b: b.assess(
                json.loads((EXAMPLES / "households" / "beijing-3.json").read_text()),
                on="1990-01",
                programs=["dibao"],
            ),
            MissingStandard,
        ),
        (lambda b: b.assess(BAD_HOME, on="2024-13"), InvalidPeriod),
        (
            lambda b: b.assess(
                json.loads((EXAMPLES / "households" / "beijing-3.json").read_text()),
                on="2024-08",
                programs=["no_such"],
            ),
            UnknownProgram,
        ),
        (lambda b: b.standards("999999"), UnknownRegion),
        (lambda b: b.standards("110105", keys=["no.key"]), UnknownStandardKey),
        (lambda b: b.check("nothing.here", {}), UnknownCheck),
        (lambda b: b.checks(["nothing"]), UnknownCheck),
    ],
)
def test_same_exceptions(remote: Client, call: Any, kind: type[CivilAffairsError]) -> None:
    here = _raised(lambda: call(Local()))
    there = _raised(lambda: call(remote))
    assert isinstance(here, kind)
    assert isinstance(there, kind)
    assert there.code == here.code
    if isinstance(here, ValidationError):
        assert isinstance(there, ValidationError)
        key = [(e.path, e.code, e.message_en, e.message_zh) for e in here.errors]
        assert [(e.path, e.code, e.message_en, e.message_zh) for e in there.errors] == key
    else:
        assert there.text("en") == here.text("en")
        assert there.text("zh") == here.text("zh")


def test_malformed_input_from_the_service(live: LiveServer) -> None:
    import httpx

    response = httpx.post(
        live.url + "/v1/assess", content=b"{x", headers={"Authorization": f"Bearer {KEY}"}
    )
    from civilaffairs.client import error_from_problem

    exc = error_from_problem(response.status_code, response.json())
    assert isinstance(exc, MalformedInput)
    assert exc.errors[0].code == "invalid_json"


def test_a_wrong_key_is_unauthorized(live: LiveServer) -> None:
    with Client(live.url, api_key="wrong") as client:
        exc = _raised(client.programs)
    assert isinstance(exc, Unauthorized)
    assert isinstance(exc, RemoteError)
    assert exc.status == 401
    assert exc.request_id

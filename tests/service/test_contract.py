"""The service returns what the command line prints, over real HTTP on loopback."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from service_support import EXAMPLES, HOUSEHOLDS, LiveServer

from civilaffairs.cli import cli


def run_cli(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def http(live: LiveServer) -> Any:
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client


@pytest.mark.parametrize("path", HOUSEHOLDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_assess_equals_the_command_line(http: httpx.Client, path: Any, lang: str) -> None:
    expected = run_cli("assess", str(path), "--on", "2024-08", "--format", "json", "--lang", lang)
    response = http.post(f"/v1/assess?on=2024-08&lang={lang}", content=path.read_bytes())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == expected


def test_assess_with_programmes_equals_the_command_line(http: httpx.Client) -> None:
    path = EXAMPLES / "households" / "beijing-3.json"
    expected = run_cli(
        "assess",
        str(path),
        "--on",
        "2024-08",
        "--format",
        "json",
        "--program",
        "dibao",
        "--program",
        "marginal",
    )
    response = http.post(
        "/v1/assess",
        params={"on": "2024-08", "programs": "dibao,marginal"},
        content=path.read_bytes(),
    )
    assert response.json() == expected
    assert [d["program"] for d in expected["decisions"]] == ["dibao", "marginal"]


def test_batch_answers_every_line_in_order(http: httpx.Client) -> None:
    sample = (EXAMPLES / "households" / "registry-sample.jsonl").read_bytes()
    body = (
        sample
        + b"\n\n{not json\n"
        + (EXAMPLES / "households" / "beijing-3.json").read_bytes().replace(b"\n", b"")
        + b"\n"
    )
    response = http.post(
        "/v1/assess/batch?on=2024-08",
        content=body,
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(t) for t in response.text.splitlines()]
    *answers, last = lines
    records = [n for n, t in enumerate(body.split(b"\n"), start=1) if t.strip()]
    assert [a["line"] for a in answers] == records
    assert last == {
        "summary": {
            "lines": len(records),
            "assessed": sum("result" in a for a in answers),
            "failed": sum("error" in a for a in answers),
            "complete": True,
        }
    }
    # each result is what a single assessment of that line gives
    for answer in answers:
        raw = body.split(b"\n")[answer["line"] - 1]
        single = http.post("/v1/assess?on=2024-08", content=raw)
        if "result" in answer:
            assert answer["result"] == single.json()
        else:
            assert answer["error"]["status"] == single.status_code
            # the same errors, the batch's naming the line in the whole body
            assert [(e["path"], e["code"]) for e in answer["error"]["errors"]] == [
                (e["path"], e["code"]) for e in single.json()["errors"]
            ]
    bad = next(a for a in answers if a["line"] == records[-2])
    assert bad["error"]["code"] == "malformed_input"


def test_standards_equal_the_command_line(http: httpx.Client) -> None:
    expected = run_cli("standards", "110105", "--on", "2024-08", "--format", "json")
    assert http.get("/v1/standards/110105?on=2024-08").json() == expected
    one = run_cli(
        "standards",
        "110105",
        "--on",
        "2024-08-01",
        "--format",
        "json",
        "--key",
        "dibao.standard",
        "--residence",
        "rural",
    )
    got = http.get(
        "/v1/standards/110105",
        params={"on": "2024-08-01", "key": "dibao.standard", "residence": "rural"},
    )
    assert got.json() == one


@pytest.mark.parametrize(
    ("path", "args"),
    [
        ("/v1/plugins", ("plugins", "--format", "json")),
        ("/v1/checks", ("checks", "--format", "json")),
        ("/v1/checks?module=children", ("checks", "--module", "children", "--format", "json")),
        ("/v1/schema/household", ("schema", "household")),
    ],
)
def test_listings_equal_the_command_line(
    http: httpx.Client, path: str, args: tuple[str, ...]
) -> None:
    assert http.get(path).json() == run_cli(*args)


def test_check_equals_the_command_line(http: httpx.Client) -> None:
    path = EXAMPLES / "children" / "orphans.json"
    expected = run_cli(
        "check",
        "children.classify",
        str(path),
        "--on",
        "2024-08-01",
        "--format",
        "json",
        "--lang",
        "en",
    )
    got = http.post("/v1/checks/children.classify?on=2024-08-01&lang=en", content=path.read_bytes())
    assert got.status_code == 200
    assert got.json() == expected


def test_programs_list_modules_with_scope_and_basis(http: httpx.Client) -> None:
    from civilaffairs.registry import get_registry

    document = http.get("/v1/programs").json()
    registry = get_registry()
    modules = {m["id"]: m for m in document["modules"]}
    assert set(modules) == set(registry.modules)
    programs = {p["id"]: p for m in modules.values() for p in m["programs"]}
    assert set(programs) == set(registry.programs)
    assert programs["dibao"]["basis"].startswith("《")
    assert modules["social_assistance"]["scope"] == []


def test_validate_reports_every_bad_record(http: httpx.Client) -> None:
    sample = (EXAMPLES / "households" / "registry-sample.jsonl").read_bytes()
    report = http.post(
        "/v1/validate?lang=en", content=sample, headers={"Content-Type": "application/x-ndjson"}
    ).json()
    result = CliRunner().invoke(
        cli, ["validate", "--lang", "en", str(EXAMPLES / "households" / "registry-sample.jsonl")]
    )
    cli_errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert report["valid"] is (result.exit_code == 0)
    assert len(report["errors"]) == len(cli_errors)
    for error, line in zip(report["errors"], cli_errors, strict=True):
        assert error["where"].replace("line ", ":") in line
        assert f"{error['path']}: {error['message']}" in line
    one = http.post(
        "/v1/validate", content=(EXAMPLES / "households" / "beijing-3.json").read_bytes()
    )
    assert one.json()["valid"] is True
    assert one.json()["counts"] == {"household": 1}
    assert one.json()["members"] == 3


def test_health_and_readiness(http: httpx.Client) -> None:
    assert http.get("/healthz").json()["status"] == "ok"
    ready = http.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["plugins"] >= 1
    assert ready["errors"] == []

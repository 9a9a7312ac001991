"""The curl examples of the how-to page "call civilaffairs from another system" (included
from ``curl_examples.sh``) run against a live server and give what the page says."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
from typing import Any

import pytest
from click.testing import CliRunner
from service_support import ROOT, LiveServer

from civilaffairs.cli import cli
from civilaffairs.service.auth import hash_key

KEY = "docs-example-key"
SERVER_ENV = {"CIVILAFFAIRS_SERVICE_KEYS": hash_key(KEY)}
SCRIPT = pathlib.Path(__file__).with_name("curl_examples.sh")

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")


def run(live: LiveServer, example: str) -> str:
    env = {**os.environ, "BASE": live.url, "CIVILAFFAIRS_KEY": KEY}
    done = subprocess.run(
        ["bash", str(SCRIPT), example],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    return json.loads(result.stdout)


def test_every_example_is_on_both_pages() -> None:
    markers = {
        line[3:-1]
        for line in SCRIPT.read_text().splitlines()
        if line.startswith("# [") and not line.startswith("# [end")
    }
    for lang in ("zh", "en"):
        page = (ROOT / "docs" / lang / "howto" / "call-over-http.rst").read_text("utf-8")
        for name in markers:
            assert f":start-after: # [{name}]" in page, (lang, name)


def test_health(live: LiveServer) -> None:
    assert json.loads(run(live, "health"))["status"] == "ready"


def test_assess(live: LiveServer) -> None:
    expected = cli_json(
        "assess",
        str(ROOT / "examples/households/beijing-3.json"),
        "--on",
        "2024-08",
        "--program",
        "dibao",
        "--program",
        "marginal",
        "--format",
        "json",
    )
    assert json.loads(run(live, "assess")) == expected


def test_batch(live: LiveServer) -> None:
    lines = [json.loads(t) for t in run(live, "batch").splitlines()]
    assert lines[-1]["summary"]["complete"] is True
    assert [x["line"] for x in lines[:-1]] == [1, 2, 3, 4, 5]


def test_error(live: LiveServer) -> None:
    problem = json.loads(run(live, "error"))
    assert problem["status"] == 422
    assert {e["path"] for e in problem["errors"]} == {"residence", "members"}


def test_validate(live: LiveServer) -> None:
    report = json.loads(run(live, "validate"))
    assert report["valid"] is False and report["invalid"] == 1


def test_standards(live: LiveServer) -> None:
    expected = cli_json(
        "standards", "110105", "--on", "2024-08", "--key", "dibao.standard", "--format", "json"
    )
    assert json.loads(run(live, "standards")) == expected


def test_check(live: LiveServer) -> None:
    assert json.loads(run(live, "check"))["check"] == "children.classify"


def test_programs(live: LiveServer) -> None:
    assert "social_assistance" in {m["id"] for m in json.loads(run(live, "programs"))["modules"]}

"""Discovery of the bundled provincial plugins through their real installed entry points.

Run by ``nox -s plugins`` (and ``nox -s tests``) after every package under ``plugins/`` is
installed. Outside nox the plugins may not be installed; the tests are then skipped with
the reason, never silently passed.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys

import pytest

from civilaffairs.plugin_manager import ENTRY_POINT_GROUP, make_plugin_manager
from civilaffairs.registry import build_registry

DISTRIBUTIONS = (
    "civilaffairs-beijing",
    "civilaffairs-shanghai",
    "civilaffairs-zhejiang",
    "civilaffairs-guangdong",
    "civilaffairs-guizhou",
)


def _installed() -> set[str]:
    names = set()
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.dist is not None:
            names.add(ep.dist.metadata["Name"].lower().replace("_", "-"))
    return names


INSTALLED = _installed()
pytestmark = pytest.mark.skipif(
    not set(DISTRIBUTIONS) <= INSTALLED and "NOX_CURRENT_SESSION" not in os.environ,
    reason="the bundled plugins are not installed here; `nox -s plugins` installs them",
)


def test_every_bundled_plugin_is_discovered_and_registers_standards() -> None:
    registry = build_registry(make_plugin_manager())
    by_dist = {p.distribution.lower(): p for p in registry.plugins if p.distribution}
    for dist in DISTRIBUTIONS:
        assert dist in by_dist, f"{dist} not discovered through the {ENTRY_POINT_GROUP!r} group"
        record = by_dist[dist]
        assert record.status == "loaded", [str(e) for e in registry.errors]
        assert record.counts["standards"] > 0
        assert record.version
        assert not record.builtin
    assert registry.errors == ()


def _standards(on: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVILAFFAIRS_")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "civilaffairs",
            "standards",
            "110105",
            "--on",
            on,
            "--key",
            "dibao.standard",
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_beijing_dibao_2024_is_1450_with_its_source() -> None:
    out = _standards("2024-08-01")
    assert "1450.00 yuan/month" in out
    assert "source: " in out and "北京" in out
    assert "effective 2024-07-01" in out


def test_beijing_dibao_2022_is_1320_with_its_source() -> None:
    out = _standards("2022-08-01")
    assert "1320.00 yuan/month" in out
    assert "source: " in out and "北京" in out
    assert "effective 2022-07-01" in out

"""Registries shared by the bulk, simulation and Dask tests."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from civilaffairs.testing import isolated_registry

PLUGINS = (
    "civilaffairs_beijing",
    "civilaffairs_shanghai",
    "civilaffairs_guangdong",
    "civilaffairs_zhejiang",
    "civilaffairs_guizhou",
)


@cache
def _bundled() -> Any:
    modules = [pytest.importorskip(name) for name in PLUGINS]
    return isolated_registry(*modules)


def bundled_registry() -> Any:
    """The national baseline plus the five bundled provincial plugins."""
    return _bundled()


def fixture_registry() -> Any:
    """National baseline plus the programme tests' fixture (every standard at 110000)."""
    from programs_support import registry

    return registry()

"""Test support for civilaffairs and for provincial plugin authors (测试工具).

* :mod:`civilaffairs.testing.strategies`: hypothesis strategies for every type;
* :mod:`civilaffairs.testing.pytest_plugin`: fixtures, loaded by pytest automatically
  through the ``pytest11`` entry point when civilaffairs is installed;
* :func:`isolated_registry` and the assertion helpers below (from
  :mod:`civilaffairs.testing.plugins`), for testing a plugin on its own;
* :func:`resident_id`, a well-formed resident ID for a birth date, sex and region.

Install the extras with ``pip install "civilaffairs[testing]"``.
"""

from __future__ import annotations

from civilaffairs.testing._ids import resident_id
from civilaffairs.testing.plugins import (
    assert_all_cited,
    assert_counties_covered,
    assert_data_file_matches,
    assert_no_conflicts,
    assert_no_plugin_errors,
    assert_provisional_listed,
    check_data_file_plugin,
    isolated_plugin_manager,
    isolated_registry,
    read_plugin_data,
)

__all__ = [
    "assert_all_cited",
    "assert_counties_covered",
    "assert_data_file_matches",
    "assert_no_conflicts",
    "assert_no_plugin_errors",
    "assert_provisional_listed",
    "check_data_file_plugin",
    "isolated_plugin_manager",
    "isolated_registry",
    "read_plugin_data",
    "resident_id",
]

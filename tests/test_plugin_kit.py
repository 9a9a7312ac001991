"""The helpers provincial teams build on: data-file hooks and the generic plugin checks."""

from __future__ import annotations

import importlib
import pathlib
import sys
import textwrap

import pytest

from civilaffairs.money import Money
from civilaffairs.testing import assert_data_file_matches, check_data_file_plugin, isolated_registry

DATA = textwrap.dedent(
    """
    [[standard]]
    key = "dibao.standard"
    region = "340000"
    effective_from = "2024-01-01"
    value = "900"
    source = { issuer = "安徽省民政厅", title = "test" }

    [[standard]]
    key = "dibao.standard"
    region = "340100"
    effective_from = "2024-07-01"
    value = "1000"
    source = { issuer = "合肥市民政局", title = "test" }

    [[policy]]
    program = "dibao"
    point = "rounding"
    region = "340000"
    effective_from = "2024-01-01"
    value = "up"
    """
)


@pytest.fixture
def data_plugin(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> object:
    package = tmp_path / "kit_anhui"
    package.mkdir()
    (package / "standards.toml").write_text(DATA, encoding="utf-8")
    (package / "__init__.py").write_text(
        "from civilaffairs.data_plugin import data_file_hooks\n"
        "civilaffairs_register_standards, civilaffairs_register_policies = "
        "data_file_hooks(__name__)\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("kit_anhui", None)
    return importlib.import_module("kit_anhui")


def test_data_file_hooks_register_both_kinds_of_table(data_plugin: object) -> None:
    registry = isolated_registry(data_plugin)
    record = registry.plugin("kit_anhui")
    assert record.counts["standards"] == 2
    assert record.counts["policies"] == 1
    assert registry.resolve("dibao.standard", "340102", "2024-08-01", "urban").value == (
        Money.parse("1000")
    )
    assert registry.policy("dibao", "rounding", "340102", "2024-08-01").value == "up"


def test_data_file_matches_and_sweep(data_plugin: object, tmp_path: pathlib.Path) -> None:
    registry = isolated_registry(data_plugin)
    assert_data_file_matches(registry, "kit_anhui", tmp_path / "kit_anhui" / "standards.toml")
    other = tmp_path / "other.toml"
    other.write_text(DATA.replace('value = "1000"', 'value = "1001"'), encoding="utf-8")
    with pytest.raises(AssertionError, match="not answered as written") as info:
        assert_data_file_matches(registry, "kit_anhui", other)
    # the entry itself and the sweep over Hefei's counties both report the difference
    assert "340102" in str(info.value)


def test_check_data_file_plugin_needs_an_installed_entry_point() -> None:
    with pytest.raises(AssertionError, match="no entry point 'nowhere'"):
        check_data_file_plugin("nowhere")


def test_check_data_file_plugin_on_a_bundled_plugin() -> None:
    pytest.importorskip("civilaffairs_beijing")
    registry = check_data_file_plugin("beijing", allow_provisional=False)
    assert registry.plugin("beijing").status == "loaded"

"""The coverage report: which programmes can be assessed in which county on a date, with
which standards, and why not where they cannot (civilaffairs.coverage and the CLI verb)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from civilaffairs import assess, hookimpl, regions
from civilaffairs.coverage import coverage, installed_provinces
from civilaffairs.errors import MissingStandard, UnknownRegion
from civilaffairs.testing import isolated_registry

SRC = {"issuer": "安徽省民政厅", "title": "测试通知"}
ANHUI_COUNTIES = [c.code for c in regions.counties_under("340000", current_only=False)]


class Anhui:
    """A province-level dibao from 2020, a Hefei raise from 2024, a temporary multiple."""

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        register.add("dibao.standard", "340000", "2020-01-01", "700", source=SRC)
        register.add(
            "dibao.standard",
            "340100",
            "2024-01-01",
            "900",
            source=SRC,
            provisional=True,
            note="第三方汇编 third-party listing",
        )
        register.add("temporary.max_multiple", "340000", "2020-01-01", "6", source=SRC)


@pytest.fixture(scope="module")
def registry() -> Any:
    return isolated_registry({"anhui": Anhui()})


def test_every_county_of_the_province_is_reported(registry: Any) -> None:
    report = coverage(registry, on="2024-08-01", provinces=["340000"], programs=["dibao"])
    counties = {c.county for c in report.cells}
    valid = {
        c.code for c in regions.counties_under("340000", current_only=False) if c.valid_in(2024)
    }
    assert counties == valid
    assert {c.residence for c in report.cells} == {"urban", "rural"}
    (summary,) = report.summary()
    (dibao,) = summary.programs
    assert (dibao.counties, dibao.assessable, dibao.partial, dibao.none) == (
        len(valid),
        len(valid),
        0,
        0,
    )


def test_the_standards_used_and_their_flags(registry: Any) -> None:
    report = coverage(
        registry, on="2024-08-01", provinces=["340000"], programs=["dibao", "temporary"]
    )
    hefei = report.cell("340102", "dibao", "urban")
    (used,) = [s for s in hefei.standards if s.key == "dibao.standard"]
    assert (used.value, used.region, used.provisional, used.stale_since) == (
        "900.00",
        "340100",
        True,
        None,
    )
    assert "dibao.standard" in hefei.provisional
    wuhu = report.cell("340202", "dibao", "rural")
    (used,) = [s for s in wuhu.standards if s.key == "dibao.standard"]
    # 700 from 2020-01 with no successor at 340000: stale on 2024-08
    assert (used.value, used.region, used.stale_since) == ("700.00", "340000", "2020-01")
    assert wuhu.stale == ("dibao.standard",)
    # a multiple set by a rule never goes stale
    temporary = report.cell("340202", "temporary", "rural")
    assert all(s.stale_since is None for s in temporary.standards if s.key.endswith("multiple"))
    assert "dibao.standard.minor" in wuhu.not_set


def test_missing_standards_and_dependencies_are_named(registry: Any) -> None:
    report = coverage(registry, on="2019-08-01", provinces=["340000"])
    cell = report.cell("340102", "dibao", "urban")
    assert (cell.status, cell.missing) == ("missing", ("dibao.standard",))
    assert report.cell("340102", "marginal", "urban").status in {"missing", "dependency"}
    gaps = {(g.program, g.status, g.what) for g in report.gaps()}
    assert ("dibao", "missing", ("dibao.standard",)) in gaps
    (gap,) = [g for g in report.gaps() if g.program == "dibao"]
    assert len(gap.counties) == len({c.county for c in report.cells})
    text = report.to_text("en")
    assert "dibao — missing dibao.standard — all" in text


def test_optional_only_programmes_need_one_value(registry: Any) -> None:
    report = coverage(
        registry, on="2024-08-01", provinces=["340000"], programs=["elderly_allowance"]
    )
    cell = report.cell("340102", "elderly_allowance", "urban")
    assert cell.status == "missing"
    assert set(cell.missing) == {
        "elderly.allowance.80",
        "elderly.allowance.90",
        "elderly.allowance.100",
    }


@pytest.mark.parametrize("on", ["2019-08", "2024-08"])
def test_coverage_agrees_with_assess(registry: Any, on: str) -> None:
    """Assessable means assess() evaluates the programme (a decision, or skipped as not
    applicable to the household); otherwise it raises MissingStandard when asked for that
    programme, or skips it for the missing standard of a programme it depends on."""
    from civilaffairs.convert import structure
    from civilaffairs.domain import Household

    report = coverage(
        registry, on=f"{on}-01", provinces=["340000"], programs=["dibao", "temporary"]
    )
    for county in ("340102", "340202", "341802"):
        for residence in ("urban", "rural"):
            household = structure(
                {
                    "id": "AH-1",
                    "region": county,
                    "residence": residence,
                    "members": [
                        {"id_number": "110105198001010016", "name": "甲", "relation": "head"}
                    ],
                },
                Household,
            )
            for pid in ("dibao", "temporary"):
                cell = report.cell(county, pid, residence)
                if cell.assessable:
                    result = assess(household, on, registry=registry, programs=[pid])
                    assert pid in {d.program for d in result.decisions} | {
                        s.program for s in result.skipped
                    }
                    assert not any("没有适用的标准" in s.reason_zh for s in result.skipped)
                    continue
                assert not _decided(household, on, registry, pid, cell.missing)


def _decided(household: Any, on: str, registry: Any, pid: str, missing: tuple[str, ...]) -> bool:
    """Whether assess() decides *pid*; where it does not, it names a key of *missing*."""
    try:
        result = assess(household, on, registry=registry, programs=[pid])
    except MissingStandard as exc:
        return exc.key not in missing
    if result.decisions:
        return True
    (skipped,) = result.skipped
    return not any(key in skipped.reason_en for key in missing)


def test_a_conflict_is_its_own_status() -> None:
    class Other:
        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            register.add("dibao.standard", "340100", "2024-01-01", "950", source=SRC)

    registry = isolated_registry({"anhui": Anhui(), "other": Other()}, strict=False)
    report = coverage(registry, on="2024-08-01", provinces=["340000"], programs=["dibao"])
    hefei = report.cell("340102", "dibao", "urban")
    assert hefei.status == "conflict"
    assert "registered twice" in hefei.detail
    assert report.cell("340202", "dibao", "urban").assessable


def test_out_of_scope_programmes_are_not_counted() -> None:
    from civilaffairs.programs.base import Basis, Rules
    from civilaffairs.programs.module import ServiceModule
    from civilaffairs.rules import money

    r = Rules(
        "hefei_meal", zh="助餐补贴", en="meal subsidy", area="elderly", basis=Basis("合肥", "一")
    )
    r.amount(money("10"), zh="金额", en="amount")
    module = ServiceModule(
        "hefei.meals", zh="合肥助餐", en="Hefei meals", programs=(r.build(),), scope=("340100",)
    )

    class Meals:
        @hookimpl
        def civilaffairs_register_modules(self, register: Any) -> None:
            register.add(module)

    registry = isolated_registry({"meals": Meals()})
    report = coverage(registry, on="2024-08-01", provinces=["340000"], programs=["hefei_meal"])
    assert report.cell("340102", "hefei_meal", "urban").assessable
    assert report.cell("340202", "hefei_meal", "urban").status == "out_of_scope"
    (summary,) = report.summary()
    hefei_counties = {
        c.code for c in regions.counties_under("340100", current_only=False) if c.valid_in(2024)
    }
    assert summary.programs[0].counties == len(hefei_counties)


def test_only_provinces_are_accepted(registry: Any) -> None:
    with pytest.raises(UnknownRegion) as info:
        coverage(registry, on="2024-08-01", provinces=["340100"])
    assert info.value.path == "provinces"
    assert "不是省级代码" in info.value.message_zh


def test_installed_provinces_come_from_the_plugins_declarations() -> None:
    import civilaffairs_beijing

    from civilaffairs.plugin_manager import make_plugin_manager
    from civilaffairs.registry import build_registry

    pm = make_plugin_manager(
        load_entrypoints=False,
        plugins={"beijing": civilaffairs_beijing},
        provinces={"beijing": ("110000",)},
    )
    assert installed_provinces(build_registry(pm)) == ("110000",)


def test_json_and_csv_carry_every_cell(registry: Any) -> None:
    report = coverage(registry, on="2024-08-01", provinces=["340000"], programs=["dibao"])
    data = json.loads(json.dumps(report.to_dict()))
    assert data["on"] == "2024-08-01"
    assert len(data["cells"]) == len(report.cells)
    assert (
        data["provinces"][0]["programs"][0]["assessable"]
        == report.summary()[0].programs[0].assessable
    )
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert len(rows) == len(report.cells)
    hefei = next(r for r in rows if r["county"] == "340102" and r["residence"] == "urban")
    assert hefei["standards"].startswith("dibao.standard=900.00@340100[provisional]")


def test_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from civilaffairs.cli import main

    assert main(["coverage", "--on", "2025-08-01", "--province", "110000", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "北京市 110000 · 16 counties" in out
    assert main(["coverage", "--on", "2025-08", "--province", "110000", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["on"] == "2025-08-01"
    assert (
        main(
            [
                "coverage",
                "--on",
                "2025-08-01",
                "--province",
                "110000",
                "--format",
                "csv",
                "--program",
                "dibao",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 32 and {r["program"] for r in rows} == {"dibao"}
    for bad in (["--on", ""], ["--on", "2025-13"], ["--province", "110100"], ["--program", "nope"]):
        assert main(["coverage", *bad]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err


class Switches:
    """The inputs of the high-essential-spending programme everywhere in Anhui, switched on
    in Hefei only."""

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        register.add("high_spending.disposable_income", "340000", "2024-01-01", "40000", source=SRC)
        register.add("minimum_wage", "340000", "2024-01-01", "2000", source=SRC)

    @hookimpl
    def civilaffairs_register_policies(self, register: Any) -> None:
        register.add("high_spending", "enabled", "340100", "2024-01-01", True, source=SRC)


def test_a_programme_not_switched_on_is_not_in_force() -> None:
    """A condition that reads nothing of the household decides the same for every household
    of a county: where it fails the programme is reported as not in force, not assessable."""
    registry = isolated_registry({"anhui": Anhui(), "switches": Switches()})
    report = coverage(registry, on="2024-08-01", provinces=["340000"], programs=["high_spending"])
    assert report.cell("340102", "high_spending", "urban").assessable
    wuhu = report.cell("340202", "high_spending", "urban")
    assert (wuhu.status, wuhu.detail) == ("not_in_force", "in_force")
    assert "not in force here: in_force" in report.to_text("en")
    (summary,) = report.summary()
    hefei = {
        c.code for c in regions.counties_under("340100", current_only=False) if c.valid_in(2024)
    }
    assert summary.programs[0].assessable == len(hefei)

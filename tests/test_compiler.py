"""The programme compiler: typed expressions, complete validation at build time, dated rule
versions, and explanations that come from the evaluated trees."""

from __future__ import annotations

import datetime as dt

import pytest

from civilaffairs import assess
from civilaffairs.engine.batch import evaluate_frame
from civilaffairs.engine.formula import evaluate_formula
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.render import render
from civilaffairs.errors import ProgramError
from civilaffairs.money import Money
from civilaffairs.periods import Month
from civilaffairs.programs.module import ServiceModule
from civilaffairs.programs.points import ChoicePoint, IntPoint
from civilaffairs.rules import (
    Basis,
    Rules,
    count,
    countable_income,
    eligible,
    household,
    maximum,
    money,
    number,
    only_where,
    person,
    ratio,
    standard,
    total,
    where,
)
from civilaffairs.testing import isolated_registry
from programs_support import MONTH, FixtureStandards, beijing_three

BASIS = Basis("测试办法", "第一条")


def _rules(pid: str = "demo") -> Rules:
    return Rules(pid, zh="示例", en="Demo", area="demo", basis=BASIS)


# -- units and not-set values are checked as the rule is written -----------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: household.deposits > 5000, "bare number 5000"),
        (lambda: household.deposits * household.medical, "cannot multiply money by money"),
        (lambda: household.size + household.deposits, "mixes count and money"),
        (lambda: standard("minimum_wage", optional=True) * 2, "may be not set"),
        (lambda: person.disability_category == "blind", "not one of"),
        (lambda: person.disability_category < "mental", "== and != only"),
        (lambda: count(household.rural), "per household"),
        (lambda: total(person.alive), "adds money or counts"),
        (lambda: standard("anhui.meal"), "not built in"),
        (lambda: standard("dibao.standard", kind="ratio"), "holds money"),
        (lambda: where(household.size, money("1"), money("0")), "needs a flag"),
        (lambda: person.age.has("orphan"), "status inputs"),
        (lambda: person.own.has("winner"), "unknown status kind"),
        (lambda: household.nonsense, "no input 'nonsense'"),
        (lambda: ratio("1.23456"), "more than 4 decimals"),
    ],
)
def test_ill_typed_rules_are_refused_where_they_are_written(build: object, message: str) -> None:
    with pytest.raises(ProgramError, match=message):
        build()  # type: ignore[operator]


def test_a_rule_expression_has_no_truth_value() -> None:
    rule = household.size > 1
    with pytest.raises(ProgramError, match="no truth value"):
        bool(rule)


def test_money_times_ratio_rounds_half_up_in_every_back_end() -> None:
    r = _rules()
    std = r.quantity("std", standard("dibao.standard"), zh="标准", en="standard")
    share = r.quantity("share", std * ratio("0.3333"), zh="份额", en="share")
    r.condition("always", household.size >= 0, zh="总是", en="always")
    r.amount(share, zh="金额", en="amount")
    program = r.build()
    reg = isolated_registry(FixtureStandards(), _module(program))
    d = assess(beijing_three(), MONTH, ["demo"], registry=reg)["demo"]
    assert d.amount == Money.parse("483.29")  # 1450 × 0.3333 = 483.285 -> 483.29
    (step,) = [s for s in d.steps if s.quantity == "share"]
    assert step.formula == 'std * ratio("0.3333")'
    assert evaluate_formula(step.formula, step.operands) == step.result


# -- the build validates the whole definition ------------------------------------------------


def test_a_quantity_may_not_shadow_an_input() -> None:
    r = _rules()
    with pytest.raises(ProgramError, match="shadow") as info:
        r.quantity("age", count(person.age > 60), zh="年龄", en="age")
    assert info.value.path == "demo.quantities.age"
    # naming an input exactly is allowed: it reads the same value under the same name
    r.quantity("size", household.size, zh="人数", en="size")


def test_a_quantity_may_not_bear_the_name_of_a_standard_read_inline() -> None:
    r = _rules()
    r.quantity("minimum_wage", money("1"), zh="x", en="x")
    r.quantity("y", standard("minimum_wage", optional=True).or_else(money("0")), zh="y", en="y")
    r.condition("c", household.size > 0, zh="c", en="c")
    r.amount(money("0"))
    with pytest.raises(ProgramError, match="name of a std"):
        r.build()


def test_references_must_be_declared_here_and_before_use() -> None:
    first = _rules("first")
    foreign = first.quantity("x", household.size, zh="x", en="x")
    second = _rules("second")
    with pytest.raises(ProgramError, match="of programme 'first'"):
        second.quantity("y", foreign * 2, zh="y", en="y")
    point = first.point(IntPoint("months", "月数", "months", 3, nullable=False))
    with pytest.raises(ProgramError, match="declare it here"):
        second.quantity("z", point + 1, zh="z", en="z")


def test_duplicates_and_unknown_label_names_are_refused() -> None:
    r = _rules()
    r.quantity("n", household.size, zh="n", en="n")
    with pytest.raises(ProgramError, match="declared twice"):
        r.quantity("n", household.size, zh="n", en="n")
    with pytest.raises(ProgramError, match="unknown quantities"):
        r.condition("c", household.size > 0, zh="{missing}", en="{missing}")
    with pytest.raises(ProgramError, match="household flag"):
        r.condition("c", count(person.age > 1), zh="c", en="c")  # type: ignore[arg-type]
    with pytest.raises(ProgramError, match="own eligibility"):
        r.quantity("me", eligible("demo"), zh="me", en="me")


def test_countable_income_is_a_quantity_of_its_own() -> None:
    from civilaffairs.programs.common import EXCLUDED_INCOME

    r = _rules()
    excluded = r.point(EXCLUDED_INCOME)
    with pytest.raises(ProgramError, match="quantity of its own"):
        r.quantity("half", countable_income(excluded) * 2, zh="x", en="x")


def test_amount_is_required_and_must_be_money() -> None:
    r = _rules()
    r.condition("c", household.size > 0, zh="c", en="c")
    with pytest.raises(ProgramError, match="no amount"):
        r.build()
    with pytest.raises(ProgramError, match="money per household"):
        r.amount(household.size)  # type: ignore[arg-type]


def test_choices_compare_by_name() -> None:
    r = _rules()
    form = r.point(ChoicePoint("form", "方式", "form", "cash", choices=("cash", "voucher")))
    with pytest.raises(ProgramError, match="not one of"):
        _ = form == "coupon"
    with pytest.raises(ProgramError, match="their names"):
        _ = form == 1
    flag = r.quantity("voucher", form == "voucher", zh="券", en="voucher")
    assert render(flag) == "voucher"


# -- dated rule versions ---------------------------------------------------------------------


def _versioned() -> object:
    def version(rate: str, since: str) -> object:
        r = _rules()
        size = r.quantity("size", household.size, zh="人数", en="size")
        r.condition("c", size > 0, zh="c", en="c")
        r.amount(money(rate) * size, zh="金额", en="amount")
        return r.build(since=since)

    return version("10", "2020-01-01").then(version("20", "2024-08-01"))  # type: ignore[attr-defined]


def _module(*programs: object, scope: tuple[str, ...] = ()) -> object:
    class Plugin:
        __name__ = "demo_module"

        from civilaffairs import hookimpl

        @hookimpl
        def civilaffairs_register_modules(self, register: object) -> None:
            register.add(  # type: ignore[attr-defined]
                ServiceModule(
                    "demo", zh="示例", en="Demo", scope=scope or ("110000",), programs=programs
                )
            )

    return Plugin()


def test_rule_logic_changes_by_date_and_the_decision_names_the_version() -> None:
    program = _versioned()
    reg = isolated_registry(FixtureStandards(), _module(program))
    home = beijing_three()
    before = assess(home, "2024-07", ["demo"], registry=reg)["demo"]
    after = assess(home, "2024-08", ["demo"], registry=reg)["demo"]
    assert (before.amount, before.rule_version) == (Money.parse("30.00"), "2020-01-01")
    assert (after.amount, after.rule_version) == (Money.parse("60.00"), "2024-08-01")
    for month, expected in (("2024-07", 3000), ("2024-08", 6000)):
        batch = evaluate_frame(Frame.from_households([home], Month.parse(month)), reg, ["demo"])
        assert int(batch.amount["demo"][0]) == expected


def test_versions_must_follow_each_other() -> None:
    program = _versioned()
    with pytest.raises(ProgramError, match="must start after"):
        program.then(program)  # type: ignore[attr-defined]
    assert program.version_on(dt.date(2019, 12, 31)) is None  # type: ignore[attr-defined]


def test_a_programme_out_of_its_modules_scope_is_not_listed() -> None:
    program = _versioned()
    reg = isolated_registry(FixtureStandards(), _module(program, scope=("310000",)))
    a = assess(beijing_three(), MONTH, registry=reg)
    assert "demo" not in [d.program for d in a.decisions]
    batch = evaluate_frame(Frame.from_households([beijing_three()], Month.parse(MONTH)), reg)
    assert int(batch.status["demo"][0]) == 2


# -- the explanation is the evaluation -------------------------------------------------------


def test_the_amount_shown_is_the_amount_computed() -> None:
    """A formula cannot claim 0 while the code pays 200: there is no separate formula text."""
    r = _rules()
    size = r.quantity("size", household.size, zh="人数", en="size")
    r.condition("c", size > 0, zh="c", en="c")
    r.amount(maximum(money("200") * number(1), money("0")), zh="金额", en="amount")
    reg = isolated_registry(FixtureStandards(), _module(r.build()))
    d = assess(beijing_three(), MONTH, ["demo"], registry=reg)["demo"]
    (step,) = d.steps
    assert step.text("en") == ("amount: max(200.00 * 1, 0.00) = max(200.00 * 1, 0.00) = 200.00")
    assert d.amount == step.result == Money.parse("200.00")


def test_a_condition_whose_rule_is_not_set_is_not_tested_and_says_so() -> None:
    r = _rules()
    months = r.point(IntPoint("months", "月数", "months", None))
    std = r.quantity("std", standard("dibao.standard"), zh="标准", en="standard")
    limit = r.quantity(
        "limit", only_where(months.is_set, std * months.or_else(0)), zh="上限", en="limit"
    )
    r.condition(
        "within",
        household.deposits <= limit.or_else(money("0")),
        when=limit.is_set,
        zh="存款不超过 {limit}",
        en="deposits within {limit}",
        untested_zh="未登记上限",
        untested_en="no limit registered",
    )
    r.amount(money("1"))
    reg = isolated_registry(FixtureStandards(), _module(r.build()))
    d = assess(beijing_three(), MONTH, ["demo"], registry=reg)["demo"]
    (c,) = d.conditions
    assert (c.tested, c.passed) == (False, True)
    assert c.label("en") == "deposits within not set (not tested: no limit registered)"
    assert "–" in d.render("en")


def test_a_plugin_whose_programme_is_ill_formed_fails_alone() -> None:
    """A programme that shadows an input fails its plugin's registration with an error naming
    the plugin, the programme and the part; the national baseline and other plugins load."""
    from civilaffairs import hookimpl
    from civilaffairs.registry import build_registry
    from civilaffairs.testing import isolated_plugin_manager

    class Shadowing:
        __name__ = "shadowing"

        @hookimpl
        def civilaffairs_register_modules(self, register: object) -> None:
            r = _rules("bad_local")
            r.quantity("age", count(person.age > 60), zh="年龄", en="age")  # refused here

    pm = isolated_plugin_manager(Shadowing(), FixtureStandards(), strict=False)
    reg = build_registry(pm, strict=False)
    (error,) = reg.errors
    assert error.plugin == "shadowing"
    assert "bad_local.quantities.age" in str(error) and "shadow" in str(error)
    assert "dibao" in reg.programs
    assert reg.resolve("dibao.standard", "110105", "2024-08-01", "urban").plugin != "shadowing"

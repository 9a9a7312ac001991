"""Every registered programme's explanation comes from its evaluation.

For generated households, every programme registered by the installed plugins and by a
plugin-defined local programme is assessed; then, with an evaluator that shares no code with
the engine (:func:`civilaffairs.engine.formula.evaluate_formula`, Decimal yuan instead of
integer fen):

* every step's formula, evaluated from the operands the decision shows, gives the result it
  shows;
* every tested condition's formula gives the pass or fail it shows, and eligibility is the
  conjunction of the conditions;
* the amount paid is the amount computed (and 0 when not eligible);
* the column-wise back end gives the same eligibility, amount and first failing condition.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from civilaffairs import assess, hookimpl
from civilaffairs.decision import Decision
from civilaffairs.domain import Household
from civilaffairs.engine.batch import evaluate_frame
from civilaffairs.engine.formula import evaluate_formula
from civilaffairs.engine.frame import Frame
from civilaffairs.money import Money
from civilaffairs.periods import Month
from civilaffairs.registry import Registry, build_registry
from civilaffairs.rules import (
    Basis,
    IntPoint,
    Rules,
    ServiceModule,
    count,
    eligible,
    household,
    maximum,
    money,
    person,
    standard,
    where,
)
from civilaffairs.standards.catalogue import KeySpec, Unit
from civilaffairs.testing._programs import assessable_households

MONTH = "2024-08"
SOURCE = {"issuer": "北京市民政局（测试）", "title": "测试用取暖补贴通知"}


def heating_programme() -> Any:
    """A local programme of the kind a province writes: its own key, a person-level rule, an
    optional standard, a nullable policy point and another programme's eligibility."""
    r = Rules(
        "test_heating",
        zh="冬季取暖补贴（测试）",
        en="Winter heating subsidy (test)",
        area="test",
        basis=Basis("测试办法", "第二条"),
    )
    cap = r.point(IntPoint("max_members", "最多补贴人数", "most members paid", None))
    rate = r.quantity(
        "rate", standard("test.heating", kind="money"), zh="每人标准", en="rate per member"
    )
    elders = r.quantity("elders", count(person.age >= 60), zh="60岁以上人数", en="members 60+")
    paid = r.quantity(
        "paid",
        where(cap.is_set & (elders > cap.or_else(0)), cap.or_else(0), elders),
        zh="补贴人数",
        en="members paid",
    )
    in_dibao = r.quantity("in_dibao", eligible("dibao"), zh="低保家庭", en="dibao household")
    r.condition(
        "poor_or_rural",
        in_dibao | household.rural,
        zh="低保家庭或农村家庭（低保：{in_dibao}）",
        en="dibao or rural household (dibao: {in_dibao})",
    )
    r.condition("has_elder", elders > 0, zh="有60岁以上成员 {elders} 名", en="{elders} members 60+")
    wage = standard("minimum_wage", optional=True)
    r.amount(
        maximum(rate * paid - wage.or_else(money("0")) * 0, money("0")),
        zh="月补贴",
        en="monthly subsidy",
    )
    return r.build()


class HeatingPlugin:
    """Registers the local programme for Beijing with a dated, cited value of its key."""

    __name__ = "test_heating_plugin"

    @hookimpl
    def civilaffairs_register_modules(self, register: Any) -> None:
        key = KeySpec(
            "test.heating",
            "取暖补贴标准（测试）",
            "heating subsidy rate (test)",
            Unit.YUAN_PER_MONTH,
            "test key",
            "测试办法第二条",
        )
        register.add(
            ServiceModule(
                "test.heating",
                zh="取暖补贴（测试）",
                en="Heating subsidy (test)",
                scope=("110000",),
                programs=(heating_programme(),),
                keys=(key,),
            )
        )

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        register.add("test.heating", "110000", "2024-01-01", "120", source=SOURCE)


@cache
def registry() -> Registry:
    """The installed plugins plus the local programme."""
    from civilaffairs.plugin_manager import make_plugin_manager

    pm = make_plugin_manager(plugins={"test_heating": HeatingPlugin()})
    reg = build_registry(pm)
    assert not reg.errors, reg.errors
    assert "test_heating" in reg.programs
    return reg


def check_decision(d: Decision) -> None:
    """The decision recomputes from what it shows."""
    for step in d.steps:
        assert (
            evaluate_formula(step.formula, step.operands, per_member=step.per_member) == step.result
        ), step
    for c in d.conditions:
        if c.tested:
            assert evaluate_formula(c.formula, c.operands) == c.passed, c
        else:
            assert c.passed, c
    assert d.eligible == all(c.passed for c in d.conditions)
    steps = {s.quantity: s for s in d.steps}
    computed = steps["amount"].result if "amount" in steps else Money.parse(d.quantities["amount"])
    assert d.amount == (max(computed, Money(0)) if d.eligible else Money(0))


@settings(max_examples=60, deadline=None)
@given(st.lists(assessable_households(), min_size=1, max_size=6))
def test_every_explanation_recomputes_and_both_back_ends_agree(homes: list[Household]) -> None:
    reg = registry()
    month = Month.parse(MONTH)
    homes = [attrs.evolve(h, id=f"H{i}") for i, h in enumerate(homes)]
    batch = evaluate_frame(Frame.from_households(homes, month), reg)
    for i, home in enumerate(homes):
        a = assess(home, month, registry=reg)
        skipped = a.skipped_reasons()
        listed = {d.program for d in a.decisions}
        for pid in batch.programs:
            state = int(batch.status[pid][i])
            if pid in skipped:
                assert state == 1, pid
                continue
            if pid not in listed:
                assert state == 2, pid  # out of the module's scope
                continue
            d = a[pid]
            check_decision(d)
            assert state == 0, pid
            assert bool(batch.eligible[pid][i]) == d.eligible, pid
            assert int(batch.amount[pid][i]) == d.amount.fen, pid
            assert batch.first_failed_ids(pid)[i] == d.first_failed, pid


def test_the_local_programme_is_listed_only_in_its_scope() -> None:
    from programs_support import beijing_three

    reg = registry()
    home = beijing_three()
    a = assess(home, MONTH, registry=reg)
    d = a["test_heating"]
    (std,) = [s for s in d.standards if s.key == "test.heating"]
    assert (std.value, std.region, std.plugin) == ("120.00", "110000", "test_heating")
    elsewhere = attrs.evolve(home, region="310101")
    assert "test_heating" not in {
        d.program for d in assess(elsewhere, MONTH, registry=reg).decisions
    }


def test_a_reform_can_change_a_plugin_declared_standard() -> None:
    from civilaffairs.bulk.reform import Reform
    from programs_support import beijing_three

    reformed = Reform.parse(["test.heating@110000=150 from 2024-08"]).apply(registry(), MONTH)
    home = beijing_three()
    before = assess(home, MONTH, ["test_heating"], registry=registry())["test_heating"]
    after = assess(home, MONTH, ["test_heating"], registry=reformed)["test_heating"]
    assert [s.value for s in before.standards if s.key == "test.heating"] == ["120.00"]
    assert [s.value for s in after.standards if s.key == "test.heating"] == ["150.00"]

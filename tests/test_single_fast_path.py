"""The single-household fast path decides exactly what the full evaluation decides.

A programme evaluated only because a requested one reads some of its per-member
quantities (tekun for dibao) runs a pruned evaluator of those quantities alone, and an
aggregation met inside a per-member expression is computed once per household. Neither
may change a decision: assessing one programme gives the decision, explanation included,
that assessing every programme gives for it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bulk_support import fixture_registry
from civilaffairs.engine.scalar import build_scalar, needed_quantities
from civilaffairs.engine.single import assess
from civilaffairs.errors import MissingStandard
from civilaffairs.periods import Month
from civilaffairs.testing._programs import assessable_households

MONTH = Month(2024, 8)
REGIONS = ("110105", "110108", "110115")


def _same(one: Any, other: Any) -> None:
    assert one.to_dict("en") == other.to_dict("en")
    assert one.render("zh") == other.render("zh")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_each_programme_alone_decides_as_in_the_full_assessment(data: Any) -> None:
    registry = fixture_registry()
    household = data.draw(assessable_households(MONTH.first_day, REGIONS))
    full = assess(household, MONTH, registry=registry)
    for decision in full.decisions:
        try:
            alone = assess(household, MONTH, [decision.program], registry=registry)
        except MissingStandard:  # pragma: no cover - the fixture publishes every standard
            continue
        assert [d.program for d in alone.decisions] == [decision.program]
        _same(alone.decisions[0], decision)


def test_dibao_alone_evaluates_tekun_for_its_members_only() -> None:
    registry = fixture_registry()
    tekun = registry.programs["tekun"].version_on(MONTH.first_day)
    wanted = frozenset({"tekun_person"})
    kept = needed_quantities(tekun, wanted)
    assert "tekun_person" in kept
    assert "amount" not in kept  # the amount of tekun is not needed to know who is tekun
    _, _, source = build_scalar(tekun, wanted)
    assert "'amount'" not in source
    assert "q_tekun_person" in source


def test_an_aggregation_inside_a_member_expression_is_computed_once() -> None:
    tekun = fixture_registry().programs["tekun"].version_on(MONTH.first_day)
    _, gen, source = build_scalar(tekun)
    assert gen.once  # tekun's supporter test looks at the other members for each member
    for var in gen.once.values():
        assert f"    {var} = _U\n" in source
        assert f"({var} := " in source


def test_consecutive_member_quantities_share_one_loop() -> None:
    tekun = fixture_registry().programs["tekun"].version_on(MONTH.first_day)
    _, _, source = build_scalar(tekun)
    loops = source.count("    for i in N:\n")
    assert loops >= 2
    # a quantity that looks at every member's value of another waits for that loop to end
    lines = source.splitlines()
    able = next(k for k, line in enumerate(lines) if "q_able_to_support.append(" in line)
    supporter = next(
        k for k, line in enumerate(lines) if "q_supporter_in_household.append(" in line
    )
    assert any(line == "    for i in N:" for line in lines[able:supporter])

"""Properties every programme rule must keep, on generated households."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs import assess
from civilaffairs.domain import Household, IncomeItem, IncomeKind
from civilaffairs.engine.formula import evaluate_formula
from civilaffairs.money import Money
from civilaffairs.testing._programs import assessable_households
from programs_support import MONTH, registry

REGIONS = ("110105", "110108", "110229")
households = assessable_households(regions=REGIONS)


def _with_income(home: Household, kind: IncomeKind, fen: int) -> Household:
    head = home.members[0]
    head = attrs.evolve(
        head, incomes=(*head.incomes, IncomeItem(kind=kind, monthly=Money.from_fen(fen)))
    )
    return attrs.evolve(home, members=(head, *home.members[1:]))


@given(households)
def test_amounts_are_whole_fen_and_never_negative(home: Household) -> None:
    a = assess(home, MONTH, registry=registry())
    for d in a.decisions:
        assert isinstance(d.amount.fen, int)
        assert d.amount.fen >= 0
        if not d.eligible:
            assert d.amount.fen == 0
            assert d.first_failed is not None


@given(households, st.integers(1, 1_000_000))
def test_dibao_amount_does_not_rise_with_income(home: Household, extra: int) -> None:
    reg = registry()
    before = assess(home, MONTH, ["dibao"], registry=reg)["dibao"]
    after = assess(_with_income(home, IncomeKind.WAGE, extra), MONTH, ["dibao"], registry=reg)
    assert after["dibao"].amount <= before.amount


@given(
    households,
    st.sampled_from(
        [
            "veterans_care",
            "family_planning",
            "scholarship",
            "assistance",
            "heroism_reward",
            "pension_basic",
        ]
    ),
    st.integers(1, 1_000_000),
)
def test_excluded_income_never_changes_dibao(home: Household, kind: str, fen: int) -> None:
    reg = registry()
    before = assess(home, MONTH, ["dibao"], registry=reg)["dibao"]
    after = assess(_with_income(home, IncomeKind(kind), fen), MONTH, ["dibao"], registry=reg)
    after_d = after["dibao"]
    # tekun (a dependency) counts pension_basic the same way, so the whole decision holds
    assert (after_d.eligible, after_d.amount, after_d.first_failed) == (
        before.eligible,
        before.amount,
        before.first_failed,
    )


@given(households, st.sampled_from(["1170", "1320", "1450"]), st.sampled_from(["10", "200"]))
def test_raising_the_standard_never_drops_a_household(home: Household, low: str, step: str) -> None:
    high = str(int(low) + int(step))
    a = assess(home, MONTH, ["dibao"], registry=registry(low))
    b = assess(home, MONTH, ["dibao", "tekun"], registry=registry(high))
    if a["dibao"].eligible:
        # still covered: by dibao, or by tekun, which supersedes it (not_tekun)
        assert b["dibao"].eligible or b["tekun"].eligible


@given(households)
def test_steps_recompute_to_the_amount(home: Household) -> None:
    a = assess(home, MONTH, registry=registry())
    for d in a.decisions:
        for step in d.steps:
            assert (
                evaluate_formula(step.formula, step.operands, per_member=step.per_member)
                == step.result
            ), step
        if d.eligible:
            (last,) = [s for s in d.steps if s.quantity == "amount"] or [None]
            if last is not None:
                assert max(last.result.fen, 0) == d.amount.fen


def _severe_household(own_fen: int, other_fen: int, extra_members: int) -> Household:
    from civilaffairs.convert import structure

    members = [
        {
            "birth_date": "1975-01-01",
            "sex": "male",
            "relation": "head",
            "disability": {"category": "physical", "grade": 1},
            "incomes": [{"kind": "wage", "monthly": str(Money.from_fen(own_fen))}],
        },
        {
            "birth_date": "1978-01-01",
            "sex": "female",
            "relation": "spouse",
            "incomes": [{"kind": "wage", "monthly": str(Money.from_fen(other_fen))}],
        },
    ]
    members += [{"birth_date": "2012-01-01", "sex": "male", "relation": "child"}] * extra_members
    return structure(
        {"id": "S-1", "region": "110105", "residence": "urban", "members": members}, Household
    )


@given(
    st.integers(0, 300_000), st.integers(0, 1_500_000), st.integers(1, 200_000), st.integers(0, 2)
)
def test_single_person_route_keeps_dibao_monotone_in_income(
    own: int, other: int, extra: int, children: int
) -> None:
    reg = registry()
    low = assess(_severe_household(own, other, children), MONTH, ["dibao"], registry=reg)
    high = assess(_severe_household(own, other + extra, children), MONTH, ["dibao"], registry=reg)
    assert high["dibao"].amount <= low["dibao"].amount


@given(
    st.integers(0, 300_000),
    st.integers(0, 1_500_000),
    st.integers(0, 2),
    st.sampled_from([("1170", "1320"), ("1320", "1450"), ("1170", "1450")]),
)
def test_raising_the_standard_never_lowers_dibao_here(
    own: int, other: int, children: int, standards: tuple[str, str]
) -> None:
    home = _severe_household(own, other, children)  # an able adult: never tekun
    low = assess(home, MONTH, ["dibao"], registry=registry(standards[0]))["dibao"]
    high = assess(home, MONTH, ["dibao"], registry=registry(standards[1]))["dibao"]
    assert high.amount >= low.amount
    assert high.eligible or not low.eligible

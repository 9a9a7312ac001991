"""Money never wraps: bounded inputs, a proof of range, exact arithmetic where it may not hold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civilaffairs.bulk.arrow import MAX_COLUMN_FEN, frame_from_arrow, households_to_arrow
from civilaffairs.engine.bounds import LIMIT, bound, checked_nodes
from civilaffairs.engine.columns import BatchEnv, start_batch
from civilaffairs.errors import AmountOutOfRange
from civilaffairs.programs import NATIONAL
from civilaffairs.rules import Basis, Rules, household, money, person, total
from programs_support import MONTH, beijing_three


def test_the_national_rules_are_proven_inside_int64_except_where_computed_exactly() -> None:
    for program in NATIONAL.values():
        for version in program.versions:
            checked = checked_nodes(version)
            quantities = {q.name: q.expr for q in version.quantities}
            for node in version.nodes():
                if id(node) not in checked:
                    assert bound(node, quantities) < LIMIT, (program.id, node)


def test_an_income_beyond_the_bound_is_a_bad_row_not_a_wrapped_amount() -> None:
    hh, pp = households_to_arrow([beijing_three()])
    wages = pp.column("income_wage").to_pylist()
    wages[0] = 2**63 - 1
    import pyarrow as pa

    pp = pp.set_column(
        pp.schema.get_field_index("income_wage"), "income_wage", pa.array(wages, pa.int64())
    )
    frame, errors, _ = frame_from_arrow(hh, pp, MONTH)
    assert frame.n == 0
    (reason,) = errors.column("reason").to_pylist()
    assert "above the largest amount accepted" in reason
    assert str(MAX_COLUMN_FEN) in reason


def test_a_rule_that_could_leave_int64_is_computed_exactly_and_refuses_to_wrap() -> None:
    r = Rules("huge", zh="大额", en="huge", area="test", basis=Basis("测试", "第一条"))
    deposits = r.quantity("deposits", household.deposits, zh="存款", en="deposits")
    wages = r.quantity("wages", total(person.inc_wage), zh="工资", en="wages")
    r.condition("c", household.size > 0, zh="c", en="c")
    r.amount(deposits * household.size * household.size * household.size + wages * 0 + money("0"))
    version = r.build().latest
    compiled = version.compiled()
    assert compiled.checked  # deposits × size³ may exceed int64
    hh = {"deposits": np.array([4 * 10**15]), "size": np.array([100])}
    pp = {"alive": np.array([True]), "inc_wage": np.array([0])}
    env = BatchEnv(hh, pp, np.array([0]), 1)
    run = start_batch(version, env, {}, {}, compiled.pure, compiled.checked)
    with pytest.raises(AmountOutOfRange):
        run.quantity("amount")
    hh["deposits"] = np.array([10**6])
    run = start_batch(version, env, {}, {}, compiled.pure, compiled.checked)
    assert int(run.quantity("amount")[0]) == 10**12


def test_a_standard_beyond_the_bound_is_an_error_naming_it() -> None:
    from civilaffairs import assess, hookimpl
    from civilaffairs.testing import isolated_registry

    class Absurd:
        __name__ = "absurd"

        @hookimpl
        def civilaffairs_register_standards(self, register: object) -> None:
            register.add(  # type: ignore[attr-defined]
                "dibao.standard",
                "110000",
                "2024-01-01",
                "1" + "0" * 15,
                source={"issuer": "test", "title": "absurd"},
            )

    with pytest.raises(AmountOutOfRange, match=r"dibao\.standard"):
        assess(beijing_three(), MONTH, ["dibao"], registry=isolated_registry(Absurd()))


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 50),
    st.sampled_from([0, 1, 10**12 - 1, 10**12]),
    st.sampled_from(["wage", "business", "veterans_care"]),
)
def test_both_back_ends_agree_at_the_money_bound(
    members: int, items: int, fen: int, kind: str
) -> None:
    """Every member records the most income items, each at the largest amount the domain
    accepts (``MAX_MONEY_FEN``): single-case (Python integers) and column-wise (int64) results
    agree, and no amount is negative or wrapped."""
    import datetime as dt

    import attrs

    from civilaffairs import assess
    from civilaffairs.domain import IncomeItem, IncomeKind
    from civilaffairs.engine.batch import evaluate_frame
    from civilaffairs.engine.frame import Frame
    from civilaffairs.money import MAX_MONEY_FEN, Money
    from civilaffairs.periods import Month
    from programs_support import registry

    assert fen <= MAX_MONEY_FEN
    base = beijing_three()
    incomes = tuple(
        IncomeItem(kind=IncomeKind(kind), monthly=Money.from_fen(fen)) for _ in range(items)
    )
    head = attrs.evolve(base.members[0], incomes=incomes)
    others = tuple(
        attrs.evolve(
            base.members[1], id_number=None, incomes=incomes, birth_date=dt.date(1960, 1, 1)
        )
        for _ in range(members - 1)
    )
    home = attrs.evolve(base, members=(head, *others))
    reg = registry()
    single = assess(home, MONTH, registry=reg)
    batch = evaluate_frame(Frame.from_households([home], Month.parse(MONTH)), reg)
    for d in single.decisions:
        assert d.amount.fen >= 0
        assert int(batch.amount[d.program][0]) == d.amount.fen, d.program
        assert bool(batch.eligible[d.program][0]) == d.eligible, d.program

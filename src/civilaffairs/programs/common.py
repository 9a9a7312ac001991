"""Shared vocabulary of the national programmes: income kinds, codes and legal bases."""

from __future__ import annotations

from typing import Any

from civilaffairs.domain import IncomeKind, StatusKind
from civilaffairs.programs.base import Basis, Program, Unit
from civilaffairs.programs.points import KindSetPoint

__all__ = [
    "DECREE_649",
    "EXCLUDED_INCOME",
    "INCOME_KINDS",
    "MINZHENG_2021_57",
    "SHARED",
    "TEKUN_2021",
    "countable_income",
    "severe_disability",
    "share",
    "status_bit",
]

#: Income kinds, in the order of :class:`civilaffairs.domain.IncomeKind` (bit positions of
#: income-kind sets).
INCOME_KINDS: tuple[str, ...] = tuple(k.value for k in IncomeKind)

#: Status kinds, in the order of :class:`civilaffairs.domain.StatusKind` (bit positions in
#: the ``own``/``father``/``mother`` masks of the frame).
STATUS_KINDS: tuple[str, ...] = tuple(k.value for k in StatusKind)

DECREE_649 = "社会救助暂行办法（国务院令第649号）"
MINZHENG_2021_57 = "最低生活保障审核确认办法（民发〔2021〕57号）"
TEKUN_2021 = "特困人员认定办法（2021）"

DECREE_649_BASIS = Basis("社会救助暂行办法", document="国务院令第649号")

# Disability category codes (position + 1 in DisabilityCategory).
DIS_INTELLECTUAL = 5
DIS_MENTAL = 6
# Self-care band codes (position + 1 in SelfCare).
SELF_CARE_FULL, SELF_CARE_PARTIAL, SELF_CARE_NONE = 1, 2, 3


def status_bit(kind: str) -> int:
    """The bit of a status kind in the ``own``/``father``/``mother`` masks."""
    return 1 << STATUS_KINDS.index(kind)


def has_status(mask: Any, kind: str) -> Any:
    """Person-level: whether *mask* has *kind* (works on ints and arrays)."""
    return (mask & status_bit(kind)) != 0


def severe_disability(q: Any, ops: Any) -> Any:
    """Person-level: grade 1–2, or grade 3 intellectual/mental disability (重度残疾)."""

    def compute() -> Any:
        grade, cat = q.dis_grade, q.dis_cat
        return ((grade >= 1) & (grade <= 2)) | (
            (grade == 3) & ((cat == DIS_INTELLECTUAL) | (cat == DIS_MENTAL))
        )

    return ops.cached("severe disability", compute)


def severe_or_seriously_ill(q: Any, ops: Any) -> Any:
    """Person-level: severely disabled or seriously ill (单人保 may cover them alone)."""
    return ops.cached(
        "severe or seriously ill",
        lambda: severe_disability(q, ops) | has_status(q.own, "seriously_ill"),
    )


def countable_income(q: Any, ops: Any, excluded_bits: Any, members: Any = None) -> Any:
    """Household income over the kinds not in *excluded_bits*, of the living members (or of
    the living members where *members* is true).

    When every household has the same exclusions (*excluded_bits* is one int, as it is for
    one household and for a batch under one policy) the counted kinds are added per person
    and reduced once; otherwise each kind is reduced and masked per household.
    """
    who = q.alive if members is None else (members & q.alive)
    if isinstance(excluded_bits, int):

        def per_person() -> Any:
            person: Any = 0
            for i, kind in enumerate(INCOME_KINDS):
                if not (excluded_bits >> i) & 1:
                    person = person + q[f"inc_{kind}"]
            return person

        person = ops.cached(("counted income per person", excluded_bits), per_person)
        if members is None:
            return ops.cached(
                ("counted income", excluded_bits), lambda: ops.sum_members(person * who)
            )
        return ops.sum_members(person * who)
    total: Any = 0
    for i, kind in enumerate(INCOME_KINDS):
        amount = ops.sum_members(q[f"inc_{kind}"] * who)
        total = total + ops.where(ops.bit(excluded_bits, i), 0, amount)
    return total


#: Income kinds not counted in means tests (民发〔2021〕57号), the national default shared by
#: the dibao, marginal, high-spending and temporary programmes; each programme's point is
#: overridden separately.
EXCLUDED_INCOME = KindSetPoint(
    "excluded_income",
    "不计入家庭收入的项目",
    "income kinds not counted",
    frozenset(
        {
            "veterans_care",
            "family_planning",
            "scholarship",
            "assistance",
            "heroism_reward",
            "pension_basic",
        }
    ),
    basis=f"{MINZHENG_2021_57}第十条：优待抚恤金、计划生育奖励、奖学金、见义勇为奖励、"
    "社会救助款物、“十四五”期间城乡居民基本养老保险基础养老金不计入家庭收入",
    universe=INCOME_KINDS,
)


def _standard(q: Any, p: Any, ops: Any) -> Any:
    return p.standard("dibao.standard")


def _size(q: Any, p: Any, ops: Any) -> Any:
    return q["size"]


def _countable_income(q: Any, p: Any, ops: Any) -> Any:
    return countable_income(q, ops, p.policy("excluded_income"))


def _deposits(q: Any, p: Any, ops: Any) -> Any:
    return q["deposits"]


def _deposit_limit(q: Any, p: Any, ops: Any) -> Any:
    months = p.policy("asset_limit_months")
    return ops.where(months < 0, -1, q.standard * ops.max(months, 0) * q.size)


#: Quantities several programmes declare the same way: name -> (zh, en, unit, rule).
SHARED: dict[str, tuple[str, str, Unit, Any]] = {
    "standard": (
        "当地低保标准（元/人·月）",
        "local dibao standard (yuan/person/month)",
        "fen",
        _standard,
    ),
    "size": ("共同生活家庭成员人数", "household size", "count", _size),
    "countable_income": (
        "家庭月可计收入",
        "countable monthly household income",
        "fen",
        _countable_income,
    ),
    "deposits": ("存款及有价证券", "deposits and securities", "fen", _deposits),
    "deposit_limit": (
        "存款上限（标准×月数×人数）",
        "deposit limit (standard × months × size)",
        "limit",
        _deposit_limit,
    ),
}


def share(program: Program, *names: str) -> None:
    """Declare the shared quantities *names* on *program*, in that order.

    ``countable_income`` reads the programme's ``excluded_income`` point and
    ``deposit_limit`` its ``asset_limit_months`` point and the ``standard`` and ``size``
    quantities, which must be declared first.
    """
    for name in names:
        zh, en, unit, rule = SHARED[name]
        program.quantity(zh=zh, en=en, unit=unit, name=name)(rule)

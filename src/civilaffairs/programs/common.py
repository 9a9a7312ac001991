"""Shared vocabulary of the national programmes: income kinds, codes and legal bases."""

from __future__ import annotations

from typing import Any

from civilaffairs.domain import IncomeKind, StatusKind
from civilaffairs.programs.base import Basis

__all__ = [
    "DECREE_649",
    "INCOME_KINDS",
    "MINZHENG_2021_57",
    "TEKUN_2021",
    "countable_income",
    "severe_disability",
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


def severe_disability(q: Any) -> Any:
    """Person-level: grade 1–2, or grade 3 intellectual/mental disability (重度残疾)."""
    grade, cat = q.dis_grade, q.dis_cat
    return ((grade >= 1) & (grade <= 2)) | (
        (grade == 3) & ((cat == DIS_INTELLECTUAL) | (cat == DIS_MENTAL))
    )


def countable_income(q: Any, ops: Any, excluded_bits: Any) -> Any:
    """Household income of living members over the kinds not in *excluded_bits*."""
    total: Any = 0
    for i, kind in enumerate(INCOME_KINDS):
        amount = ops.sum_members(q[f"inc_{kind}"] * q.alive)
        total = total + ops.where(ops.bit(excluded_bits, i), 0, amount)
    return total

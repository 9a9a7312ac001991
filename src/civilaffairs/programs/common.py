"""Shared vocabulary of the national programmes: income kinds, legal bases and the
quantities several programmes declare the same way."""

from __future__ import annotations

from civilaffairs.engine.expr import (
    INCOME_KINDS,
    STATUS_KINDS,
    Expr,
    countable_income,
    household,
    is_set,
    money,
    person,
    standard,
)
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.points import KindSetPoint

__all__ = [
    "DECREE_649",
    "DECREE_649_BASIS",
    "EXCLUDED_INCOME",
    "INCOME_KINDS",
    "MINZHENG_2021_57",
    "STATUS_KINDS",
    "TEKUN_2021",
    "deposit_test",
    "dibao_standard",
    "essential_costs",
    "household_income",
    "household_size",
    "parent_cannot",
    "parent_gone",
    "severe_disability",
    "severe_or_seriously_ill",
    "unsupported_by_rule",
]

DECREE_649 = "社会救助暂行办法（国务院令第649号）"
MINZHENG_2021_57 = "最低生活保障审核确认办法（民发〔2021〕57号）"
TEKUN_2021 = "特困人员认定办法（2021）"

DECREE_649_BASIS = Basis("社会救助暂行办法", document="国务院令第649号")


def severe_disability() -> Expr:
    """Per member: grade 1–2, or grade 3 intellectual or mental disability (重度残疾)."""
    grade = person.disability_grade
    return ((grade >= 1) & (grade <= 2)) | (
        (grade == 3) & person.disability_category.isin(("intellectual", "mental"))
    )


#: Parent situations of the de-facto unsupported child rule that count at once
#: (民发〔2019〕62号: 重残、重病; later local texts add guardianship revoked and deported).
PARENT_INCAPABLE = (
    "parent_severely_disabled",
    "parent_seriously_ill",
    "parent_guardianship_revoked",
    "parent_deported",
)


def parent_cannot(parent: str) -> Expr:
    """Per member: the *parent* (``"father"`` or ``"mother"``) cannot raise the child under
    民发〔2019〕62号: severely disabled or seriously ill (and, in later local texts, guardianship
    revoked or deported), deprived of liberty for a **term** of 6 months or more, or out of
    contact for 6 months or more counted from a recorded date."""
    now: Expr = getattr(person, parent)
    lasted: Expr = getattr(person, f"{parent}_6m")
    term: Expr = getattr(person, f"{parent}_term6")
    return now.has(*PARENT_INCAPABLE) | term.has("parent_imprisoned") | lasted.has("parent_missing")


def parent_gone(parent: str) -> Expr:
    """Per member: the *parent* is dead or out of contact for 6 months or more."""
    now: Expr = getattr(person, parent)
    lasted: Expr = getattr(person, f"{parent}_6m")
    return now.has("parent_dead") | lasted.has("parent_missing")


def unsupported_by_rule() -> Expr:
    """Per member: under 18, not an orphan, and both parents cannot raise the child, or one is
    dead or missing and the other cannot (民发〔2019〕62号)."""
    father, mother = parent_cannot("father"), parent_cannot("mother")
    return (
        (person.age < 18)
        & ~person.own.has("orphan")
        & ((father & mother) | (parent_gone("father") & mother) | (parent_gone("mother") & father))
    )


def severe_or_seriously_ill() -> Expr:
    """Per member: severely disabled or seriously ill (单人保 may cover them alone)."""
    return severe_disability() | person.own.has("seriously_ill")


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


def dibao_standard(r: Rules) -> Expr:
    """Declare ``standard``: the local dibao standard (yuan per person per month)."""
    return r.quantity(
        "standard",
        standard("dibao.standard"),
        zh="当地低保标准（元/人·月）",
        en="local dibao standard (yuan/person/month)",
    )


def household_size(r: Rules) -> Expr:
    """Declare ``size``: members alive on the first day of the month."""
    return r.quantity("size", household.size, zh="共同生活家庭成员人数", en="household size")


def essential_costs(r: Rules) -> Expr:
    """Declare ``essential_costs``: the household's monthly medical and education costs."""
    return r.quantity(
        "essential_costs",
        household.medical + household.education,
        zh="月医疗教育支出",
        en="monthly medical and education costs",
    )


def deposit_test(r: Rules, limit: Expr, *, basis: str, untested_zh: str, untested_en: str) -> None:
    """Declare ``deposits``, ``deposit_limit`` (*limit*, not set where the region has no
    rule) and the condition ``assets_within_limit``, not tested where no limit is registered."""
    deposits = r.quantity(
        "deposits", household.deposits, zh="存款及有价证券", en="deposits and securities"
    )
    deposit_limit = r.quantity(
        "deposit_limit", limit, zh="存款上限（标准×月数×人数）", en="deposit limit"
    )
    r.condition(
        "assets_within_limit",
        deposits <= deposit_limit.or_else(money("0")),
        when=is_set(deposit_limit),
        zh="存款 {deposits}不超过上限 {deposit_limit}",
        en="deposits {deposits} within the limit {deposit_limit}",
        basis=basis,
        untested_zh=untested_zh,
        untested_en=untested_en,
    )


def household_income(r: Rules, excluded: Expr) -> Expr:
    """Declare ``countable_income``: the household's monthly income over the kinds the
    programme's *excluded* point does not exclude."""
    return r.quantity(
        "countable_income",
        countable_income(excluded),
        zh="家庭月可计收入",
        en="countable monthly household income",
    )

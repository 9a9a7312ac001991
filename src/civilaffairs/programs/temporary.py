"""临时救助 (temporary assistance): the maximum one-off amount.

Legal basis: 社会救助暂行办法 arts. 47–49; the standard is set at county level or above.
Zhejiang art. 39: a one-off amount up to 6× the local dibao standard per person, 12× in
special cases; Shanghai art. 28: at most the standard per person per month for at most
3 months (a multiple of 3). The decision gives the **maximum** one-off amount for the
household, and the reasons that open the door: low income or essential costs the
household cannot meet. Where the province pays monthly (policy point ``payment_form``), the
decision also gives the monthly cap (the standard per person) and the multiple is the number
of months.
"""

from __future__ import annotations

from typing import Any

from civilaffairs.programs.base import Basis, Program
from civilaffairs.programs.common import EXCLUDED_INCOME, share
from civilaffairs.programs.points import BoolPoint, ChoicePoint

temporary = Program(
    "temporary",
    zh="临时救助",
    en="Temporary assistance",
    area="social_assistance",
    basis=Basis("社会救助暂行办法", "第四十七条至第四十九条", "国务院令第649号"),
    standards=("dibao.standard", "temporary.max_multiple"),
    optional_standards=("temporary.max_multiple_special", "marginal.income_multiple"),
)
temporary.period = "one_off_max"
temporary.point(EXCLUDED_INCOME)
temporary.point(
    ChoicePoint(
        "payment_form",
        "发放方式",
        "payment form",
        "one_off",
        basis="一次性发放（浙江省2020年社会救助规定第三十九条）或按月发放、最长3个月"
        "（上海市2024年社会救助规定第二十八条）",
        choices=("one_off", "monthly"),
    )
)
temporary.point(
    BoolPoint(
        "special_case",
        "特殊情况（适用特殊倍数）",
        "special case (higher multiple applies)",
        False,
        basis="浙江省2020年社会救助规定第三十九条",
    )
)


share(temporary, "standard", "size", "countable_income")


@temporary.quantity(zh="月医疗教育支出", en="monthly medical and education costs")
def essential_costs(q: Any, p: Any, ops: Any) -> Any:
    return q.medical + q.education


@temporary.quantity(
    zh="低收入倍数（未设则为1）", en="low-income multiple (1 if not set)", unit="ratio"
)
def low_multiple(q: Any, p: Any, ops: Any) -> Any:
    value, found = p.optional_standard("marginal.income_multiple")
    return ops.where(found, value, 10000)


@temporary.quantity(
    zh="低收入标准（倍数×标准×人数）",
    en="low-income limit",
    formula="ratio(standard * size, low_multiple)",
)
def low_income_limit(q: Any, p: Any, ops: Any) -> Any:
    return ops.mul_ratio(q.standard * q.size, q.low_multiple)


@temporary.condition(
    zh="月可计收入 {countable_income} 元不高于 {low_income_limit} 元，"
    "或刚性支出 {essential_costs} 元不低于收入",
    en="income {countable_income} at most {low_income_limit}, or essential costs "
    "{essential_costs} at least the income",
    basis="社会救助暂行办法第四十七条：因突发事件、意外伤害、重大疾病等导致基本生活暂时出现严重困难",
)
def hardship(q: Any, p: Any, ops: Any) -> Any:
    return ops.or_(
        q.countable_income <= q.low_income_limit,
        ops.and_(q.essential_costs > 0, q.essential_costs >= q.countable_income),
    )


@temporary.quantity(zh="适用倍数", en="multiple applied", unit="ratio")
def applied_multiple(q: Any, p: Any, ops: Any) -> Any:
    normal = p.standard("temporary.max_multiple")
    special, found = p.optional_standard("temporary.max_multiple_special")
    return ops.where(ops.and_(p.policy("special_case"), found), special, normal)


@temporary.quantity(zh="按月发放", en="paid monthly", unit="flag")
def monthly_form(q: Any, p: Any, ops: Any) -> Any:
    return p.policy("payment_form") == 1


@temporary.quantity(
    zh="按月发放时每月上限",
    en="monthly cap when paid monthly",
    formula="where(monthly_form, standard * size, 0)",
)
def monthly_cap(q: Any, p: Any, ops: Any) -> Any:
    return ops.where(q.monthly_form, q.standard * q.size, 0)


@temporary.amount(
    zh="救助总额上限",
    en="maximum total amount",
    formula="ratio(standard * size, applied_multiple)",
)
def amount(q: Any, p: Any, ops: Any) -> Any:
    return ops.mul_ratio(q.standard * q.size, q.applied_multiple)

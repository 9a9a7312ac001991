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

from civilaffairs.engine.expr import household, money, ratio, standard, where
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.common import (
    EXCLUDED_INCOME,
    dibao_standard,
    household_income,
    household_size,
)
from civilaffairs.programs.points import BoolPoint, ChoicePoint

__all__ = ["temporary"]

r = Rules(
    "temporary",
    zh="临时救助",
    en="Temporary assistance",
    area="social_assistance",
    basis=Basis("社会救助暂行办法", "第四十七条至第四十九条", "国务院令第649号"),
    period="one_off_max",
)
excluded_income = r.point(EXCLUDED_INCOME)
payment_form = r.point(
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
special_case = r.point(
    BoolPoint(
        "special_case",
        "特殊情况（适用特殊倍数）",
        "special case (higher multiple applies)",
        False,
        basis="浙江省2020年社会救助规定第三十九条",
    )
)

std = dibao_standard(r)
size = household_size(r)
income = household_income(r, excluded_income)
costs = r.quantity(
    "essential_costs",
    household.medical + household.education,
    zh="月医疗教育支出",
    en="monthly medical and education costs",
)
low_multiple = r.quantity(
    "low_multiple",
    standard("marginal.income_multiple", optional=True).or_else(ratio("1")),
    zh="低收入倍数（未设则为1）",
    en="low-income multiple (1 if not set)",
)
low_limit = r.quantity(
    "low_income_limit",
    std * size * low_multiple,
    zh="低收入标准（倍数×标准×人数）",
    en="low-income limit",
)
r.condition(
    "hardship",
    (income <= low_limit) | ((costs > 0) & (costs >= income)),
    zh="月可计收入 {countable_income}不高于 {low_income_limit}，"
    "或刚性支出 {essential_costs}不低于收入",
    en="income {countable_income} at most {low_income_limit}, or essential costs "
    "{essential_costs} at least the income",
    basis="社会救助暂行办法第四十七条：因突发事件、意外伤害、重大疾病等导致基本生活暂时出现严重困难",
)
normal = standard("temporary.max_multiple")
special = standard("temporary.max_multiple_special", optional=True)
applied = r.quantity(
    "applied_multiple",
    where(special_case & special.is_set, special.or_else(ratio("0")), normal),
    zh="适用倍数",
    en="multiple applied",
)
r.quantity(
    "monthly_cap",
    where(payment_form == "monthly", std * size, money("0")),
    zh="按月发放时每月上限",
    en="monthly cap when paid monthly",
)
r.amount(std * size * applied, zh="救助总额上限", en="maximum total amount")

temporary = r.build()

"""临时救助 (temporary assistance): the maximum one-off amount.

Legal basis: 社会救助暂行办法 arts. 47–49; the standard is set at county level or above.
Zhejiang art. 39: a one-off amount up to 6× the local dibao standard per person, 12× in
special cases; Shanghai art. 28: at most the standard per person per month for at most
3 months (a multiple of 3). The decision gives the **maximum** one-off amount for the
household. The grounds are those of art. 47: an accident such as a fire or a traffic accident,
a member's sudden major illness or another special difficulty (statuses ``accident``,
``sudden_major_illness``, ``other_sudden_hardship``), or essential spending beyond what the
household can bear — for dibao households under art. 47, for any household where the province
has widened it (policy point ``expense_route``) — and the basic living must be in serious
difficulty (the local low-income test). The amount is a one-off ceiling: it is never added to
monthly payments. Where the province pays monthly (policy point ``payment_form``), the
decision also gives the monthly cap (the standard per person) and the multiple is the number
of months.
"""

from __future__ import annotations

from civilaffairs.engine.expr import (
    any_member,
    eligible,
    money,
    person,
    ratio,
    standard,
    where,
)
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.common import (
    EXCLUDED_INCOME,
    dibao_standard,
    essential_costs,
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
expense_route = r.point(
    ChoicePoint(
        "expense_route",
        "支出型临时救助的对象",
        "who may receive expense-type assistance",
        "dibao_households",
        basis="社会救助暂行办法第四十七条：因生活必需支出突然增加超出家庭承受能力……的最低生活保障"
        "家庭；民发〔2018〕23号后地方多扩大到符合条件的各类家庭（省级规定）",
        choices=("dibao_households", "any_household"),
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
costs = essential_costs(r)
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
emergency = r.quantity(
    "emergency",
    any_member(person.own.has("sudden_major_illness", "accident", "other_sudden_hardship")),
    zh="遭遇火灾、交通事故等意外事件，家庭成员突发重大疾病或其他特殊困难",
    en="an accident such as a fire or traffic accident, a member's sudden major illness, or "
    "another special difficulty",
)
expense = r.quantity(
    "expense_surge",
    (costs > 0)
    & (costs >= income)
    & where(expense_route == "dibao_households", eligible("dibao"), True),
    zh="生活必需支出突然增加超出家庭承受能力（按本地口径：低保家庭或各类家庭）",
    en="essential spending beyond what the household can bear (dibao households, or any "
    "household, as the province says)",
)
r.condition(
    "grounds",
    emergency | expense,
    zh="有临时救助情形：意外事件或突发重大疾病（{emergency}），或必需支出超出承受能力（{expense_surge}）",
    en="grounds for temporary assistance: accident or sudden illness ({emergency}), or "
    "essential spending beyond capacity ({expense_surge})",
    basis="社会救助暂行办法第四十七条",
)
r.condition(
    "serious_difficulty",
    (income <= low_limit) | ((costs > 0) & (costs >= income)),
    zh="基本生活出现严重困难：月可计收入 {countable_income} 不高于 {low_income_limit}，"
    "或刚性支出 {essential_costs} 不低于收入",
    en="basic living in serious difficulty: income {countable_income} at most "
    "{low_income_limit}, or essential costs {essential_costs} at least the income",
    basis="社会救助暂行办法第四十七条：导致基本生活暂时出现严重困难",
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

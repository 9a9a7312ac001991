"""刚性支出困难家庭 (households with high essential spending).

Shanghai's 2024 rule (Shanghai 2024, arts. 12, 18, 27) is the reference: annual
per-capita income below last year's per-capita disposable income, and monthly income
after medical and education costs below the dibao standard. Benefit: the household
threshold minus that net income (the full standard if costs exceed income). A province
switches it on with the policy point ``enabled``.
"""

from __future__ import annotations

from typing import Any

from civilaffairs.programs.base import Basis, Program
from civilaffairs.programs.common import EXCLUDED_INCOME, share
from civilaffairs.programs.points import BoolPoint

high_spending = Program(
    "high_spending",
    zh="刚性支出困难家庭",
    en="Household with high essential spending",
    area="social_assistance",
    basis=Basis("上海市社会救助规定（2024年）", "第十二条、第十八条、第二十七条"),
    standards=("dibao.standard", "high_spending.disposable_income"),
    optional_standards=("minimum_wage",),
)
high_spending.requires("dibao")
high_spending.point(
    BoolPoint("enabled", "本地实施", "in force locally", False, basis="由省级人民政府决定是否实施")
)
high_spending.point(
    BoolPoint(
        "work_income_exempt_up_to_minimum_wage",
        "就业收入在最低工资以内不计入",
        "work income up to the minimum wage not counted",
        False,
        basis="上海市2024年社会救助规定第二十七条",
    )
)
high_spending.point(EXCLUDED_INCOME)


@high_spending.quantity(zh="本地实施", en="in force locally", unit="flag")
def enabled(q: Any, p: Any, ops: Any) -> Any:
    return p.policy("enabled") != 0


@high_spending.condition(
    zh="本地实施刚性支出困难家庭救助（{enabled}）",
    en="in force locally ({enabled})",
    basis="地方规定",
)
def in_force(q: Any, p: Any, ops: Any) -> Any:
    return q.enabled


share(high_spending, "standard", "size", "countable_income")


@high_spending.quantity(zh="免计就业收入", en="exempt work income")
def exempt_work_income(q: Any, p: Any, ops: Any) -> Any:
    wage, found = p.optional_standard("minimum_wage")
    on = ops.and_(p.policy("work_income_exempt_up_to_minimum_wage"), found)
    per_person = ops.min(q.inc_wage * q.alive, ops.to_members(wage))
    return ops.where(on, ops.sum_members(per_person), 0)


@high_spending.quantity(
    zh="扣除免计就业收入后的月收入",
    en="income after the work-income exemption",
    formula="countable_income - exempt_work_income",
)
def net_countable(q: Any, p: Any, ops: Any) -> Any:
    return q.countable_income - q.exempt_work_income


@high_spending.quantity(
    zh="上年人均可支配收入（年）", en="last year's per-capita disposable income (annual)"
)
def disposable_income(q: Any, p: Any, ops: Any) -> Any:
    return p.standard("high_spending.disposable_income")


@high_spending.quantity(zh="家庭年收入", en="annual household income", formula="net_countable * 12")
def annual_income(q: Any, p: Any, ops: Any) -> Any:
    return q.net_countable * 12


@high_spending.condition(
    zh="家庭年收入 {annual_income} 元低于 {size} 人 × 上年人均可支配收入 {disposable_income} 元",
    en="annual income {annual_income} below {size} × last year's per-capita disposable "
    "income {disposable_income}",
    basis="上海市2024年社会救助规定第十二条",
)
def annual_income_below(q: Any, p: Any, ops: Any) -> Any:
    return q.annual_income < q.disposable_income * q.size


@high_spending.quantity(zh="月医疗教育支出", en="monthly medical and education costs")
def essential_costs(q: Any, p: Any, ops: Any) -> Any:
    return q.medical + q.education


@high_spending.quantity(
    zh="扣除刚性支出后月收入",
    en="monthly income after essential costs",
    formula="max(net_countable - essential_costs, 0)",
)
def net_income(q: Any, p: Any, ops: Any) -> Any:
    return ops.max(q.net_countable - q.essential_costs, 0)


@high_spending.quantity(zh="低保标准总额", en="dibao threshold", formula="standard * size")
def threshold(q: Any, p: Any, ops: Any) -> Any:
    return q.standard * q.size


@high_spending.condition(
    zh="扣除医疗教育支出后月收入 {net_income} 元低于 {threshold} 元",
    en="income after essential costs {net_income} below {threshold}",
    basis="上海市2024年社会救助规定第十二条",
)
def net_below_standard(q: Any, p: Any, ops: Any) -> Any:
    return q.net_income < q.threshold


@high_spending.quantity(zh="符合低保", en="dibao-eligible", unit="flag")
def dibao_eligible(q: Any, p: Any, ops: Any) -> Any:
    return q.eligible_dibao


@high_spending.condition(
    zh="不符合低保条件（低保：{dibao_eligible}）",
    en="not dibao-eligible (dibao: {dibao_eligible})",
    basis="分层分类救助：低保家庭不重复认定",
)
def not_dibao(q: Any, p: Any, ops: Any) -> Any:
    return ops.not_(q.dibao_eligible)


@high_spending.amount(zh="月救助金额", en="monthly benefit", formula="threshold - net_income")
def hs_amount(q: Any, p: Any, ops: Any) -> Any:
    return q.threshold - q.net_income

"""刚性支出困难家庭 (households with high essential spending).

Shanghai's 2024 rule (Shanghai 2024, arts. 12, 18, 27) is the reference: annual
per-capita income below last year's per-capita disposable income, and monthly income
after medical and education costs below the dibao standard. Benefit: the household
threshold minus that net income (the full standard if costs exceed income). A province
switches it on with the policy point ``enabled``.
"""

from __future__ import annotations

from civilaffairs.engine.expr import (
    eligible,
    maximum,
    minimum,
    money,
    person,
    standard,
    total,
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
from civilaffairs.programs.points import BoolPoint

__all__ = ["high_spending"]

r = Rules(
    "high_spending",
    zh="刚性支出困难家庭",
    en="Household with high essential spending",
    area="social_assistance",
    basis=Basis("上海市社会救助规定（2024年）", "第十二条、第十八条、第二十七条"),
)
enabled = r.point(
    BoolPoint("enabled", "本地实施", "in force locally", False, basis="由省级人民政府决定是否实施")
)
work_exempt = r.point(
    BoolPoint(
        "work_income_exempt_up_to_minimum_wage",
        "就业收入在最低工资以内不计入",
        "work income up to the minimum wage not counted",
        False,
        basis="上海市2024年社会救助规定第二十七条",
    )
)
excluded_income = r.point(EXCLUDED_INCOME)

in_force = r.quantity("in_force", enabled, zh="本地实施", en="in force locally")
r.condition(
    "in_force",
    in_force,
    zh="本地实施刚性支出困难家庭救助（{in_force}）",
    en="in force locally ({in_force})",
    basis="地方规定",
)
std = dibao_standard(r)
size = household_size(r)
income = household_income(r, excluded_income)
wage = standard("minimum_wage", optional=True)
exempt = r.quantity(
    "exempt_work_income",
    where(
        work_exempt & wage.is_set,
        total(minimum(person.inc_wage, wage.or_else(money("0")))),
        money("0"),
    ),
    zh="免计就业收入",
    en="exempt work income",
)
net_countable = r.quantity(
    "net_countable",
    income - exempt,
    zh="扣除免计就业收入后的月收入",
    en="income after the work-income exemption",
)
disposable = r.quantity(
    "disposable_income",
    standard("high_spending.disposable_income"),
    zh="上年人均可支配收入（年）",
    en="last year's per-capita disposable income (annual)",
)
annual = r.quantity(
    "annual_income", net_countable * 12, zh="家庭年收入", en="annual household income"
)
r.condition(
    "annual_income_below",
    annual < disposable * size,
    zh="家庭年收入 {annual_income}低于 {size} 人 × 上年人均可支配收入 {disposable_income}",
    en="annual income {annual_income} below {size} × last year's per-capita disposable "
    "income {disposable_income}",
    basis="上海市2024年社会救助规定第十二条",
)
costs = essential_costs(r)
net_income = r.quantity(
    "net_income",
    maximum(net_countable - costs, money("0")),
    zh="扣除刚性支出后月收入",
    en="monthly income after essential costs",
)
threshold = r.quantity("threshold", std * size, zh="低保标准总额", en="dibao threshold")
r.condition(
    "net_below_standard",
    net_income < threshold,
    zh="扣除医疗教育支出后月收入 {net_income}低于 {threshold}",
    en="income after essential costs {net_income} below {threshold}",
    basis="上海市2024年社会救助规定第十二条",
)
higher_tier = r.quantity(
    "higher_tier",
    eligible("dibao") | eligible("tekun") | eligible("marginal"),
    zh="已符合低保、特困或低保边缘条件",
    en="already meets the dibao, tekun or marginal conditions",
)
r.condition(
    "not_in_higher_tier",
    ~higher_tier,
    zh="未纳入低保、特困人员救助供养范围且未认定为低保边缘家庭（{higher_tier}）",
    en="not in dibao, tekun or the marginal tier ({higher_tier})",
    basis="国办发〔2023〕39号；刚性支出困难家庭须未纳入低保、特困人员救助供养范围且未认定为"
    "低保边缘家庭（内蒙古2024年办法等地方文件表述）",
)
r.amount(threshold - net_income, zh="月救助金额", en="monthly benefit")

high_spending = r.build()

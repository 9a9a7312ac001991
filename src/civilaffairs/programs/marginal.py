"""低保边缘家庭 (marginal households).

Legal basis: 国务院办公厅转发民政部等单位《关于加强低收入人口动态监测 做好分层分类社会救助工作的
意见》(国办发〔2023〕39号). A marginal household has countable income at most a multiple of
the dibao standard (national practice 1.5×, localities may widen it, not above the local
minimum wage), meets neither the dibao nor the 特困 conditions (the tiers are distinct: a
household in a higher tier is not also marginal), and meets the asset rules. Marginal households
receive special assistance rather than a monthly cash benefit, so the amount is zero.
"""

from __future__ import annotations

from civilaffairs.engine.expr import (
    eligible,
    is_set,
    minimum,
    money,
    only_where,
    standard,
    where,
)
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.common import (
    EXCLUDED_INCOME,
    deposit_test,
    dibao_standard,
    household_income,
    household_size,
)
from civilaffairs.programs.points import IntPoint

__all__ = ["GUOBAN_2023_39", "marginal"]

GUOBAN_2023_39 = "国办发〔2023〕39号"

r = Rules(
    "marginal",
    zh="低保边缘家庭",
    en="Marginal (near-dibao) household",
    area="social_assistance",
    basis=Basis("关于加强低收入人口动态监测做好分层分类社会救助工作的意见", "", GUOBAN_2023_39),
)
excluded_income = r.point(EXCLUDED_INCOME)
asset_limit_months = r.point(
    IntPoint(
        "asset_limit_months",
        "人均存款上限（月数×低保标准）",
        "per-capita deposit limit, months of the standard",
        None,
        basis="财产状况规定由地方制定",
    )
)

std = dibao_standard(r)
size = household_size(r)
income = household_income(r, excluded_income)
multiple = r.quantity(
    "multiple", standard("marginal.income_multiple"), zh="收入倍数", en="income multiple"
)
raw_limit = r.quantity(
    "raw_limit", std * multiple, zh="人均收入上限（倍数×标准）", en="per-capita income limit"
)
wage = r.quantity(
    "min_wage",
    standard("minimum_wage", optional=True),
    zh="最低工资",
    en="minimum wage",
)
limit = r.quantity(
    "limit",
    where(is_set(wage), minimum(raw_limit, wage.or_else(money("0"))), raw_limit),
    zh="人均收入上限（不高于最低工资）",
    en="per-capita limit, capped at the minimum wage",
)
household_limit = r.quantity(
    "household_limit", limit * size, zh="家庭收入上限", en="household income limit"
)
r.condition(
    "has_members",
    size > 0,
    zh="家庭有在世成员 {size} 人",
    en="{size} living members",
    basis="社会救助暂行办法第九条：以共同生活的家庭成员为单位",
)
r.condition(
    "income_within_multiple",
    income <= household_limit,
    zh="家庭月可计收入 {countable_income}不高于 {household_limit}（{multiple} 倍低保标准）",
    en="countable income {countable_income} at most {household_limit} ({multiple} × standard)",
    basis=f"{GUOBAN_2023_39}；浙江省2020年社会救助规定第十三条",
)
higher_tier = r.quantity(
    "higher_tier",
    eligible("dibao") | eligible("tekun"),
    zh="符合低保或特困人员救助供养条件",
    en="meets the dibao or tekun conditions",
)
r.condition(
    "not_dibao_or_tekun",
    ~higher_tier,
    zh="不符合低保、特困人员救助供养条件（{higher_tier}）",
    en="does not meet the dibao or tekun conditions ({higher_tier})",
    basis=f"{GUOBAN_2023_39}；低保边缘家庭指不符合最低生活保障、特困人员救助供养条件的家庭"
    "（益阳市民政局2026年答复等地方文件表述）",
)
deposit_test(
    r,
    only_where(is_set(asset_limit_months), std * asset_limit_months.or_else(0) * size),
    basis="地方财产状况规定",
    untested_zh="本地区未登记存款上限，未检验财产",
    untested_en="no deposit limit registered for this region; assets not tested",
)
r.amount(
    money("0"),
    zh="月救助金额（低保边缘家庭不发放定期现金）",
    en="monthly amount (none: special assistance only)",
)

marginal = r.build()

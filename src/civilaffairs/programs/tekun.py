"""特困人员救助供养 (tekun): support for extremely poor persons.

Legal basis: 社会救助暂行办法 arts. 14–19; 特困人员认定办法 (2021) arts. 5–6. A person
qualifies who has no labour capacity (aged 60+ or under 16, or severely disabled), no
income source (income below the local dibao standard and assets within the local rules)
and no legal supporter able to support. The household is assessed as a whole: every
living member must qualify (support is usually for people living alone or with others who
qualify too). The monthly amount is the basic-living standard per member plus the care
standard of each member's self-care band.

The basic-living standard is the published ``tekun.basic_living`` where the region has one,
but never less than ``tekun.basic_living_multiple`` × the dibao standard: the multiple is a
floor (provincial practice: "not lower than 1.3 times"), so a published figure that has not
caught up with a later rise of the dibao standard does not underpay.
"""

from __future__ import annotations

from civilaffairs.engine.expr import (
    count,
    household,
    is_set,
    maximum,
    money,
    only_where,
    person,
    ratio,
    standard,
    total,
    where,
)
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.common import (
    INCOME_KINDS,
    TEKUN_2021,
    dibao_standard,
    household_income,
    household_size,
    severe_disability,
)
from civilaffairs.programs.points import BoolPoint, IntPoint, KindSetPoint

__all__ = ["tekun"]

r = Rules(
    "tekun",
    zh="特困人员救助供养",
    en="Support for extremely poor persons (tekun)",
    area="social_assistance",
    basis=Basis("社会救助暂行办法", "第十四条至第十九条", "国务院令第649号"),
    description_zh="无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其无履行能力的老年人、"
    "残疾人和未满16周岁的未成年人，给予基本生活和照料护理。",
    description_en="Elderly, disabled and under-16 persons with no labour capacity, no income "
    "source and no supporter able to support receive basic living and care support.",
)

excluded_income = r.point(
    KindSetPoint(
        "excluded_income",
        "不计入收入的项目",
        "income kinds not counted",
        frozenset(
            {
                "pension_basic",
                "veterans_care",
                "assistance",
                "family_planning",
                "scholarship",
                "heroism_reward",
            }
        ),
        basis=f"{TEKUN_2021}第六条：城乡居民基本养老保险基础养老金、基本医疗保险等社会保险和"
        "优待抚恤金、高龄津贴等不计入收入",
        universe=INCOME_KINDS,
    )
)
asset_limit_months = r.point(
    IntPoint(
        "asset_limit_months",
        "人均存款上限（月数×低保标准）",
        "per-capita deposit limit, months of the dibao standard",
        None,
        basis=f"{TEKUN_2021}第六条：财产符合当地特困人员财产状况规定",
    )
)
students_stay = r.point(
    BoolPoint(
        "students_stay_covered_after_16",
        "年满16周岁仍在校的继续供养",
        "students stay covered after 16 (until 18)",
        False,
        basis="地方规定（如上海）：在校就读的可继续享受至18周岁",
    )
)

std = dibao_standard(r)
age = person.age
severe = r.quantity("severely_disabled", severe_disability(), zh="重度残疾", en="severely disabled")
student = students_stay & (person.in_school != 0) & (age < 18)
by_rule = r.quantity(
    "no_labour_by_rule",
    (age >= 60) | (age < 16) | severe | student,
    zh="按年龄或残疾视为无劳动能力",
    en="no labour capacity by age or disability",
)
lacks_labour = r.quantity(
    "lacks_labour",
    where(person.labour == "yes", False, where(person.labour == "no", True, by_rule)),
    zh="无劳动能力（已认定的以认定为准）",
    en="no labour capacity (as assessed where assessed)",
)
no_labour = r.quantity(
    "no_labour", count(lacks_labour), zh="无劳动能力人数", en="members with no labour capacity"
)
size = household_size(r)
r.condition(
    "no_labour_capacity",
    (size > 0) & (no_labour == size),
    zh="{no_labour} 名成员无劳动能力（共 {size} 人）",
    en="{no_labour} of {size} members have no labour capacity",
    basis=f"{TEKUN_2021}第五条",
)
income = household_income(r, excluded_income)
income_threshold = r.quantity(
    "income_threshold", std * size, zh="低保标准总额", en="dibao threshold"
)
deposits = r.quantity(
    "deposits", household.deposits, zh="存款及有价证券", en="deposits and securities"
)
deposit_limit = r.quantity(
    "deposit_limit",
    only_where(is_set(asset_limit_months), std * asset_limit_months.or_else(0) * size),
    zh="存款上限（标准×月数×人数）",
    en="deposit limit (standard × months × size)",
)
r.condition(
    "no_income_source",
    income < income_threshold,
    zh="无生活来源：月可计收入 {countable_income}低于 {income_threshold}",
    en="no income source: income {countable_income} below {income_threshold}",
    basis=f"{TEKUN_2021}第六条",
)
r.condition(
    "assets_within_limit",
    deposits <= deposit_limit.or_else(money("0")),
    when=is_set(deposit_limit),
    zh="存款 {deposits}不超过上限 {deposit_limit}",
    en="deposits {deposits} within the limit {deposit_limit}",
    basis=f"{TEKUN_2021}第六条",
    untested_zh="本地区未登记存款上限，未检验财产",
    untested_en="no deposit limit registered for this region; assets not tested",
)
supporters = r.quantity(
    "supporters",
    total(person.able_supporters),
    zh="有履行能力的法定义务人数",
    en="legal supporters able to support",
)
r.condition(
    "no_able_supporter",
    supporters == 0,
    zh="无有履行能力的法定义务人（{supporters} 人有能力）",
    en="no legal supporter able to support ({supporters} able)",
    basis="社会救助暂行办法第十四条",
)

multiple = r.quantity(
    "multiple",
    standard("tekun.basic_living_multiple", optional=True).or_else(ratio("0")),
    zh="基本生活标准倍数（未设为0）",
    en="basic-living multiple of dibao (0 if not set)",
)
published = r.quantity(
    "published_basic",
    standard("tekun.basic_living", optional=True),
    zh="公布的基本生活标准",
    en="published basic-living standard",
)
floor = r.quantity(
    "floor",
    std * multiple,
    zh="基本生活标准下限（倍数×低保标准）",
    en="basic-living floor (multiple × dibao standard)",
)
basic_living = r.quantity(
    "basic_living",
    where(is_set(published), maximum(published.or_else(money("0")), floor), floor),
    zh="基本生活标准（元/人·月）",
    en="basic-living standard per person",
)
care_full = standard("tekun.care.full", optional=True).or_else(money("0"))
care_partial = standard("tekun.care.partial", optional=True).or_else(money("0"))
care_none = standard("tekun.care.none", optional=True).or_else(money("0"))
care = r.quantity(
    "care",
    where(
        person.self_care == "none",
        care_none,
        where(person.self_care == "partial", care_partial, care_full),
    ),
    zh="照料护理标准（按自理能力）",
    en="care standard (by self-care ability)",
)
care_total = r.quantity(
    "care_total", total(care), zh="照料护理标准合计", en="care standards, total"
)
r.amount(basic_living * size + care_total, zh="月供养金额", en="monthly support")

tekun = r.build()

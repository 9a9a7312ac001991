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

from typing import Any

from civilaffairs.programs.base import Basis, Program
from civilaffairs.programs.common import (
    INCOME_KINDS,
    SELF_CARE_NONE,
    SELF_CARE_PARTIAL,
    TEKUN_2021,
    severe_disability,
    share,
)
from civilaffairs.programs.points import BoolPoint, IntPoint, KindSetPoint

tekun = Program(
    "tekun",
    zh="特困人员救助供养",
    en="Support for extremely poor persons (tekun)",
    area="social_assistance",
    basis=Basis("社会救助暂行办法", "第十四条至第十九条", "国务院令第649号"),
    standards=("dibao.standard",),
    optional_standards=(
        "tekun.basic_living",
        "tekun.basic_living_multiple",
        "tekun.care.full",
        "tekun.care.partial",
        "tekun.care.none",
    ),
    description_zh="无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其无履行能力的老年人、"
    "残疾人和未满16周岁的未成年人，给予基本生活和照料护理。",
    description_en="Elderly, disabled and under-16 persons with no labour capacity, no income "
    "source and no supporter able to support receive basic living and care support.",
)

tekun.point(
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
tekun.point(
    IntPoint(
        "asset_limit_months",
        "人均存款上限（月数×低保标准）",
        "per-capita deposit limit, months of the dibao standard",
        None,
        basis=f"{TEKUN_2021}第六条：财产符合当地特困人员财产状况规定",
    )
)
tekun.point(
    BoolPoint(
        "students_stay_covered_after_16",
        "年满16周岁仍在校的继续供养",
        "students stay covered after 16 (until 18)",
        False,
        basis="地方规定（如上海）：在校就读的可继续享受至18周岁",
    )
)


share(tekun, "standard")


@tekun.quantity(zh="无劳动能力人数", en="members with no labour capacity", unit="count")
def no_labour(q: Any, p: Any, ops: Any) -> Any:
    student = (
        ops.to_members(p.policy("students_stay_covered_after_16")) & (q.school > 0) & (q.age < 18)
    )
    by_rule = (q.age >= 60) | (q.age < 16) | severe_disability(q, ops) | (student != 0)
    lacks = ops.where(q.labour >= 0, q.labour == 0, by_rule)
    return ops.count_members(lacks & q.alive)


share(tekun, "size")


@tekun.condition(
    zh="{no_labour} 名成员无劳动能力（共 {size} 人）",
    en="{no_labour} of {size} members have no labour capacity",
    basis=f"{TEKUN_2021}第五条",
)
def no_labour_capacity(q: Any, p: Any, ops: Any) -> Any:
    return ops.and_(q.size > 0, q.no_labour == q.size)


share(tekun, "countable_income")


@tekun.quantity(zh="低保标准总额", en="dibao threshold", formula="standard * size")
def income_threshold(q: Any, p: Any, ops: Any) -> Any:
    return q.standard * q.size


share(tekun, "deposit_limit", "deposits")


@tekun.condition(
    zh="无生活来源：月可计收入 {countable_income} 元低于 {income_threshold} 元，存款 {deposits} 元"
    "符合上限（{deposit_limit}）",
    en="no income source: income {countable_income} below {income_threshold}, deposits "
    "{deposits} within {deposit_limit}",
    basis=f"{TEKUN_2021}第六条",
)
def no_income_source(q: Any, p: Any, ops: Any) -> Any:
    assets_ok = ops.or_(q.deposit_limit < 0, q.deposits <= q.deposit_limit)
    return ops.and_(q.countable_income < q.income_threshold, assets_ok)


@tekun.quantity(zh="有履行能力的法定义务人数", en="legal supporters able to support", unit="count")
def able_supporters(q: Any, p: Any, ops: Any) -> Any:
    return ops.sum_members(q["able_supporters"] * q.alive)


@tekun.condition(
    zh="无有履行能力的法定义务人（{able_supporters} 人有能力）",
    en="no legal supporter able to support ({able_supporters} able)",
    basis="社会救助暂行办法第十四条",
)
def no_able_supporter(q: Any, p: Any, ops: Any) -> Any:
    return q.able_supporters == 0


@tekun.quantity(zh="基本生活标准倍数", en="basic-living multiple of dibao", unit="ratio")
def multiple(q: Any, p: Any, ops: Any) -> Any:
    value, found = p.optional_standard("tekun.basic_living_multiple")
    return ops.where(found, value, 0)


@tekun.quantity(zh="已公布基本生活标准", en="basic-living standard published", unit="flag")
def has_basic(q: Any, p: Any, ops: Any) -> Any:
    return p.optional_standard("tekun.basic_living")[1]


@tekun.quantity(zh="公布的基本生活标准", en="published basic-living standard")
def basic_standard(q: Any, p: Any, ops: Any) -> Any:
    return p.optional_standard("tekun.basic_living")[0]


@tekun.quantity(
    zh="基本生活标准下限（倍数×低保标准）",
    en="basic-living floor (multiple × dibao standard)",
    formula="ratio(standard, multiple)",
)
def floor(q: Any, p: Any, ops: Any) -> Any:
    return ops.mul_ratio(q.standard, q.multiple)


@tekun.quantity(
    zh="基本生活标准（元/人·月）",
    en="basic-living standard per person",
    formula="where(has_basic, max(basic_standard, floor), floor)",
)
def basic_living(q: Any, p: Any, ops: Any) -> Any:
    return ops.where(q.has_basic, ops.max(q.basic_standard, q.floor), q.floor)


@tekun.quantity(zh="照料护理标准合计", en="care standards, total")
def care_total(q: Any, p: Any, ops: Any) -> Any:
    full, _ = p.optional_standard("tekun.care.full")
    partial, _ = p.optional_standard("tekun.care.partial")
    none, _ = p.optional_standard("tekun.care.none")
    band = ops.where(
        q.self_care == SELF_CARE_NONE,
        ops.to_members(none),
        ops.where(q.self_care == SELF_CARE_PARTIAL, ops.to_members(partial), ops.to_members(full)),
    )
    return ops.sum_members(band * q.alive)


@tekun.amount(zh="月供养金额", en="monthly support", formula="basic_living * size + care_total")
def amount(q: Any, p: Any, ops: Any) -> Any:
    return q.basic_living * q.size + q.care_total

"""低保边缘家庭 (marginal households).

Legal basis: 国务院办公厅转发民政部等单位《关于加强低收入人口动态监测 做好分层分类社会救助工作的
意见》(国办发〔2023〕39号). A marginal household has countable income at most a multiple of
the dibao standard (national practice 1.5×, localities may widen it, not above the local
minimum wage), is not dibao-eligible, and meets the asset rules. Marginal households
receive special assistance rather than a monthly cash benefit, so the amount is zero.
"""

from __future__ import annotations

from typing import Any

from civilaffairs.programs.base import Basis, Program
from civilaffairs.programs.common import EXCLUDED_INCOME, share
from civilaffairs.programs.points import IntPoint

GUOBAN_2023_39 = "国办发〔2023〕39号"

marginal = Program(
    "marginal",
    zh="低保边缘家庭",
    en="Marginal (near-dibao) household",
    area="social_assistance",
    basis=Basis("关于加强低收入人口动态监测做好分层分类社会救助工作的意见", "", GUOBAN_2023_39),
    standards=("dibao.standard", "marginal.income_multiple"),
    optional_standards=("minimum_wage",),
)
marginal.requires("dibao")
marginal.point(EXCLUDED_INCOME)
marginal.point(
    IntPoint(
        "asset_limit_months",
        "人均存款上限（月数×低保标准）",
        "per-capita deposit limit, months of the standard",
        None,
        basis="财产状况规定由地方制定",
    )
)


share(marginal, "standard", "size", "countable_income")


@marginal.quantity(zh="收入倍数", en="income multiple", unit="ratio")
def multiple(q: Any, p: Any, ops: Any) -> Any:
    return p.standard("marginal.income_multiple")


@marginal.quantity(
    zh="人均收入上限（倍数×标准）",
    en="per-capita income limit",
    formula="ratio(standard, multiple)",
)
def raw_limit(q: Any, p: Any, ops: Any) -> Any:
    return ops.mul_ratio(q.standard, q.multiple)


@marginal.quantity(zh="已公布最低工资", en="minimum wage known", unit="flag")
def has_wage(q: Any, p: Any, ops: Any) -> Any:
    return p.optional_standard("minimum_wage")[1]


@marginal.quantity(zh="最低工资", en="minimum wage")
def minimum_wage(q: Any, p: Any, ops: Any) -> Any:
    return p.optional_standard("minimum_wage")[0]


@marginal.quantity(
    zh="人均收入上限（不高于最低工资）",
    en="per-capita limit, capped at the minimum wage",
    formula="where(has_wage, min(raw_limit, minimum_wage), raw_limit)",
)
def limit(q: Any, p: Any, ops: Any) -> Any:
    return ops.where(q.has_wage, ops.min(q.raw_limit, q.minimum_wage), q.raw_limit)


@marginal.quantity(zh="家庭收入上限", en="household income limit", formula="limit * size")
def household_limit(q: Any, p: Any, ops: Any) -> Any:
    return q.limit * q.size


@marginal.condition(
    zh="家庭月可计收入 {countable_income} 元不高于 {household_limit} 元（{multiple} 倍低保标准）",
    en="countable income {countable_income} at most {household_limit} ({multiple} × standard)",
    basis=f"{GUOBAN_2023_39}；浙江省2020年社会救助规定第十三条",
)
def income_within_multiple(q: Any, p: Any, ops: Any) -> Any:
    return q.countable_income <= q.household_limit


@marginal.quantity(zh="符合低保", en="dibao-eligible", unit="flag")
def dibao_eligible(q: Any, p: Any, ops: Any) -> Any:
    return q.eligible_dibao


@marginal.condition(
    zh="不符合低保条件（低保：{dibao_eligible}）",
    en="not dibao-eligible (dibao: {dibao_eligible})",
    basis=GUOBAN_2023_39,
)
def not_dibao(q: Any, p: Any, ops: Any) -> Any:
    return ops.not_(q.dibao_eligible)


share(marginal, "deposit_limit", "deposits")


@marginal.condition(
    zh="存款 {deposits} 元符合上限（{deposit_limit}）",
    en="deposits {deposits} within {deposit_limit}",
    basis="地方财产状况规定",
)
def assets_within_limit(q: Any, p: Any, ops: Any) -> Any:
    return ops.or_(q.deposit_limit < 0, q.deposits <= q.deposit_limit)


@marginal.amount(
    zh="月救助金额（低保边缘家庭不发放定期现金）",
    en="monthly amount (none: special assistance only)",
    formula="0",
)
def amount(q: Any, p: Any, ops: Any) -> Any:
    return q.size * 0

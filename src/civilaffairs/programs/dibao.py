"""城乡最低生活保障 (dibao): the minimum living guarantee.

Legal basis: 社会救助暂行办法 (State Council Decree 649) arts. 9–13; 最低生活保障审核确认办法
(民发〔2021〕57号). A household whose countable per-capita income is **below** the local
standard, and which meets the local asset rules, receives the **difference** (差额)
``standard × size − countable income``, computed in fen and rounded as the province says.
"""

from __future__ import annotations

from typing import Any

from civilaffairs.programs.base import Basis, Program
from civilaffairs.programs.common import (
    DECREE_649,
    EXCLUDED_INCOME,
    MINZHENG_2021_57,
    countable_income,
    severe_or_seriously_ill,
    share,
)
from civilaffairs.programs.points import BoolPoint, ChoicePoint, IntPoint, RatioPoint

dibao = Program(
    "dibao",
    zh="城乡最低生活保障",
    en="Minimum living guarantee (dibao)",
    area="social_assistance",
    basis=Basis("社会救助暂行办法", "第九条至第十三条", "国务院令第649号"),
    standards=("dibao.standard",),
    optional_standards=("marginal.income_multiple", "dibao.standard.minor"),
    description_zh="家庭月人均可计收入低于当地低保标准、且符合财产规定的，按差额发放。",
    description_en="Households whose countable per-capita income is below the local standard "
    "and who meet the asset rules receive the difference.",
)

dibao.point(EXCLUDED_INCOME)
dibao.point(
    ChoicePoint(
        "rounding",
        "金额取整方式",
        "rounding of the amount",
        "none",
        basis=f"{DECREE_649}第十条：标准与核算办法由省级或设区的市级人民政府确定",
        choices=("none", "up", "down", "half_up"),
    )
)
dibao.point(
    IntPoint(
        "asset_limit_months",
        "人均存款及有价证券上限（月数×低保标准）",
        "per-capita deposits and securities limit, in months of the standard",
        None,
        basis=f"{DECREE_649}第九条：符合当地最低生活保障家庭财产状况规定",
    )
)
dibao.point(
    BoolPoint(
        "vehicle_allowed",
        "允许拥有机动车辆",
        "a motor vehicle is allowed",
        True,
        basis="财产规定由地方制定（社会救助暂行办法第十条）",
    )
)
# Single-person coverage (单人保) and the household route can both apply; the household
# receives the higher payment. Paying the household route alone would let a household lose
# money when its income falls or the standard rises (it would leave the single-person route
# for a smaller household difference), which the monotone structure of the rules forbids.
dibao.point(
    BoolPoint(
        "single_person_coverage",
        "单人保",
        "single-person coverage",
        True,
        basis=f"{MINZHENG_2021_57}：低保边缘家庭中的重度残疾人、重病患者可单独纳入",
    )
)
dibao.point(
    ChoicePoint(
        "payment",
        "发放方式",
        "payment method",
        "difference",
        basis=f"{MINZHENG_2021_57}：按差额或分档发放",
        choices=("difference", "banded"),
    )
)
for _name, _zh, _en, _default in (
    ("band_rate_low", "分档：收入低于标准三分之一的档次发放比例", "banded: rate below 1/3", "1"),
    ("band_rate_mid", "分档：收入在标准三分之一至三分之二的档次", "banded: rate 1/3-2/3", "0.6"),
    ("band_rate_high", "分档：收入在标准三分之二以上的档次", "banded: rate above 2/3", "0.3"),
):
    dibao.point(
        RatioPoint(
            _name, _zh, _en, _default, basis="分档比例由地方确定；默认值仅为示例，须以本省规定覆盖"
        )
    )
dibao.point(
    RatioPoint(
        "minor_supplement_rate",
        "未成年人按标准加发比例",
        "supplement per minor, share of the standard",
        "0",
        basis=f"{DECREE_649}第十二条：对老年人、未成年人、重度残疾人和重病患者等适当增发",
    )
)


share(dibao, "standard", "size", "countable_income")


@dibao.quantity(
    zh="家庭月人均可计收入", en="countable per-capita monthly income", display_only=True
)
def per_capita(q: Any, p: Any, ops: Any) -> Any:
    return (q.countable_income * 2 + ops.max(q.size, 1)) // (2 * ops.max(q.size, 1))


@dibao.quantity(zh="未成年人数", en="minors", unit="count")
def minors(q: Any, p: Any, ops: Any) -> Any:
    return ops.count_members((q.age < 18) & q.alive)


@dibao.quantity(zh="已公布未成年人标准", en="standard for minors published", unit="flag")
def has_minor_standard(q: Any, p: Any, ops: Any) -> Any:
    return p.optional_standard("dibao.standard.minor")[1]


@dibao.quantity(zh="未成年人低保标准", en="dibao standard for minors")
def minor_standard(q: Any, p: Any, ops: Any) -> Any:
    value, found = p.optional_standard("dibao.standard.minor")
    return ops.where(found, value, q.standard)


@dibao.quantity(
    zh="保障标准总额",
    en="household threshold",
    formula="standard * (size - minors) + minor_standard * minors",
)
def threshold(q: Any, p: Any, ops: Any) -> Any:
    return q.standard * (q.size - q.minors) + q.minor_standard * q.minors


@dibao.quantity(zh="按家庭整体收入符合条件", en="household income test met", unit="flag")
def household_route(q: Any, p: Any, ops: Any) -> Any:
    return q.countable_income < q.threshold


@dibao.quantity(zh="单人保覆盖人数", en="members covered alone (单人保)", unit="count")
def single_members(q: Any, p: Any, ops: Any) -> Any:
    severe = severe_or_seriously_ill(q, ops)
    multiple, found = p.optional_standard("marginal.income_multiple")
    marginal_ok = ops.and_(found, q.countable_income * 10000 <= multiple * q.threshold)
    allowed = ops.and_(p.policy("single_person_coverage"), marginal_ok)
    return ops.where(allowed, ops.count_members(severe & q.alive), 0)


@dibao.quantity(zh="单人保成员本人收入", en="own countable income of members covered alone")
def single_income(q: Any, p: Any, ops: Any) -> Any:
    severe = severe_or_seriously_ill(q, ops)
    own = countable_income(q, ops, p.policy("excluded_income"), members=severe)
    return ops.where(q.single_members > 0, own, 0)


@dibao.quantity(zh="差额", en="difference", formula="threshold - countable_income")
def difference(q: Any, p: Any, ops: Any) -> Any:
    return q.threshold - q.countable_income


@dibao.quantity(zh="分档发放比例", en="banded payment rate", unit="ratio")
def band_rate(q: Any, p: Any, ops: Any) -> Any:
    share3 = q.countable_income * 3
    return ops.where(
        share3 < q.threshold,
        p.policy("band_rate_low"),
        ops.where(share3 < q.threshold * 2, p.policy("band_rate_mid"), p.policy("band_rate_high")),
    )


@dibao.quantity(zh="按分档发放", en="banded payment applies", unit="flag")
def banded(q: Any, p: Any, ops: Any) -> Any:
    return p.policy("payment") == 1


@dibao.quantity(
    zh="按家庭整体计算的保障金",
    en="payment for the household as a whole",
    formula="where(household_route, where(banded, ratio(threshold, band_rate), difference), 0)",
)
def household_amount(q: Any, p: Any, ops: Any) -> Any:
    whole = ops.where(q.banded, ops.mul_ratio(q.threshold, q.band_rate), q.difference)
    return ops.where(q.household_route, whole, 0)


@dibao.quantity(
    zh="单人保保障金",
    en="payment for members covered alone",
    formula="max(standard * single_members - single_income, 0)",
)
def single_amount(q: Any, p: Any, ops: Any) -> Any:
    return ops.max(q.standard * q.single_members - q.single_income, 0)


@dibao.quantity(
    zh="基本保障金（取两者中较高者）",
    en="base payment (the higher of the two)",
    formula="max(household_amount, single_amount)",
)
def base(q: Any, p: Any, ops: Any) -> Any:
    return ops.max(q.household_amount, q.single_amount)


@dibao.quantity(zh="未成年人增发比例", en="supplement rate per minor", unit="ratio")
def supplement_rate(q: Any, p: Any, ops: Any) -> Any:
    return p.policy("minor_supplement_rate")


@dibao.quantity(
    zh="分类施保增发",
    en="supplement for minors",
    formula="ratio(standard * minors, supplement_rate)",
)
def supplement(q: Any, p: Any, ops: Any) -> Any:
    return ops.mul_ratio(q.standard * q.minors, q.supplement_rate)


@dibao.quantity(zh="取整前金额", en="amount before rounding", formula="base + supplement")
def unrounded(q: Any, p: Any, ops: Any) -> Any:
    return q.base + q.supplement


@dibao.condition(
    zh="家庭月人均可计收入 {per_capita} 元低于当地低保标准 {standard} 元（或符合单人保）",
    en="countable per-capita income {per_capita} is below the local standard {standard} "
    "(or single-person coverage applies)",
    basis=f"{DECREE_649}第九条",
)
def income_below_standard(q: Any, p: Any, ops: Any) -> Any:
    return ops.or_(q.household_route, q.single_members > 0)


@dibao.quantity(zh="人均存款及有价证券", en="per-capita deposits and securities", display_only=True)
def deposits_per_capita(q: Any, p: Any, ops: Any) -> Any:
    return q.deposits // ops.max(q.size, 1)


@dibao.quantity(zh="存款上限（人均）", en="deposit limit per capita", unit="limit")
def deposit_limit(q: Any, p: Any, ops: Any) -> Any:
    months = p.policy("asset_limit_months")
    return ops.where(months < 0, -1, q.standard * ops.max(months, 0))


@dibao.condition(
    zh="人均存款及有价证券 {deposits_per_capita} 元符合上限（{deposit_limit}）",
    en="per-capita deposits {deposits_per_capita} within the limit {deposit_limit}",
    basis=f"{DECREE_649}第九条；财产规定由地方制定",
)
def assets_within_limit(q: Any, p: Any, ops: Any) -> Any:
    return ops.or_(q.deposit_limit < 0, q.deposits <= q.deposit_limit * ops.max(q.size, 1))


@dibao.quantity(zh="机动车辆数", en="motor vehicles", unit="count")
def vehicles(q: Any, p: Any, ops: Any) -> Any:
    return q["vehicles"]


@dibao.condition(
    zh="机动车辆 {vehicles} 辆符合当地规定",
    en="{vehicles} vehicles allowed locally",
    basis="当地最低生活保障家庭财产状况规定",
)
def vehicle_rule(q: Any, p: Any, ops: Any) -> Any:
    return ops.or_(p.policy("vehicle_allowed"), q.vehicles == 0)


@dibao.quantity(zh="取整方式", en="rounding", unit="rounding")
def rounding(q: Any, p: Any, ops: Any) -> Any:
    return p.policy("rounding")


@dibao.amount(zh="月保障金额", en="monthly benefit", formula="round_yuan(unrounded, rounding)")
def amount(q: Any, p: Any, ops: Any) -> Any:
    return ops.round(q.unrounded, q.rounding)

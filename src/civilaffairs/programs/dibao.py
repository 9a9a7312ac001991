"""城乡最低生活保障 (dibao): the minimum living guarantee.

Legal basis: 社会救助暂行办法 (State Council Decree 649) arts. 9–13; 最低生活保障审核确认办法
(民发〔2021〕57号). A household whose countable per-capita income is **below** the local
standard, and which meets the local asset rules, receives the **difference** (差额)
``standard × size − countable income``, computed in fen and rounded as the province says.

特困 persons are recognised one by one (see :mod:`~civilaffairs.programs.tekun`); the other
members form the dibao household here, with their own size and income.

Single-person coverage (单人保, 民发〔2021〕57号): in a marginal household, a member with grade
1–2 disability, grade 3 intellectual or mental disability, or a serious illness may be covered
alone; where the province enables it, an unemployed severely disabled adult may apply as a
one-person household on their own income. Single-person coverage and the household route can
both apply; the household receives the higher payment. Paying the household route alone
would let a household lose money when its income falls or the standard rises (it would leave
the single-person route for a smaller household difference), which the monotone structure of
the rules forbids.
"""

from __future__ import annotations

from civilaffairs.engine.expr import (
    count,
    countable_income,
    household,
    is_set,
    maximum,
    member_value,
    money,
    only_where,
    person,
    ratio,
    round_to_yuan,
    standard,
    where,
)
from civilaffairs.programs.base import Basis, Rules
from civilaffairs.programs.common import (
    DECREE_649,
    EXCLUDED_INCOME,
    MINZHENG_2021_57,
    dibao_standard,
    severe_disability,
    severe_or_seriously_ill,
)
from civilaffairs.programs.points import BoolPoint, ChoicePoint, IntPoint, RatioPoint

__all__ = ["dibao"]

r = Rules(
    "dibao",
    zh="城乡最低生活保障",
    en="Minimum living guarantee (dibao)",
    area="social_assistance",
    basis=Basis("社会救助暂行办法", "第九条至第十三条", "国务院令第649号"),
    description_zh="家庭月人均可计收入低于当地低保标准、且符合财产规定的，按差额发放。",
    description_en="Households whose countable per-capita income is below the local standard "
    "and who meet the asset rules receive the difference.",
)

# -- policy points a province may override ----------------------------------------------
excluded_income = r.point(EXCLUDED_INCOME)
rounding = r.point(
    ChoicePoint(
        "rounding",
        "金额取整方式",
        "rounding of the amount",
        "none",
        basis=f"{DECREE_649}第十条：标准与核算办法由省级或设区的市级人民政府确定",
        choices=("none", "up", "down", "half_up"),
    )
)
asset_limit_months = r.point(
    IntPoint(
        "asset_limit_months",
        "人均存款及有价证券上限（月数×低保标准）",
        "per-capita deposits and securities limit, in months of the standard",
        None,
        basis=f"{DECREE_649}第九条：符合当地最低生活保障家庭财产状况规定",
    )
)
vehicle_allowed = r.point(
    BoolPoint(
        "vehicle_allowed",
        "允许拥有机动车辆",
        "a motor vehicle is allowed",
        True,
        basis="财产规定由地方制定（社会救助暂行办法第十条）",
    )
)
single_person_coverage = r.point(
    BoolPoint(
        "single_person_coverage",
        "单人保",
        "single-person coverage",
        True,
        basis=f"{MINZHENG_2021_57}：低保边缘家庭中的重度残疾人、重病患者可单独纳入",
    )
)
payment = r.point(
    ChoicePoint(
        "payment",
        "发放方式",
        "payment method",
        "difference",
        basis=f"{MINZHENG_2021_57}：按差额或分档发放",
        choices=("difference", "banded"),
    )
)
_BAND = "分档比例由地方确定；默认值仅为示例，须以本省规定覆盖"
band_rate_low = r.point(
    RatioPoint(
        "band_rate_low",
        "分档：收入低于标准三分之一的档次发放比例",
        "banded: rate below 1/3",
        "1",
        basis=_BAND,
    )
)
band_rate_mid = r.point(
    RatioPoint(
        "band_rate_mid",
        "分档：收入在标准三分之一至三分之二的档次",
        "banded: rate 1/3-2/3",
        "0.6",
        basis=_BAND,
    )
)
band_rate_high = r.point(
    RatioPoint(
        "band_rate_high",
        "分档：收入在标准三分之二以上的档次",
        "banded: rate above 2/3",
        "0.3",
        basis=_BAND,
    )
)
minor_supplement_rate = r.point(
    RatioPoint(
        "minor_supplement_rate",
        "未成年人按标准加发比例",
        "supplement per minor, share of the standard",
        "0",
        basis=f"{DECREE_649}第十二条：对老年人、未成年人、重度残疾人和重病患者等适当增发",
    )
)

unemployed_alone = r.point(
    BoolPoint(
        "unemployed_severely_disabled_adult_alone",
        "成年无业重度残疾人可参照“单人户”申请",
        "an unemployed severely disabled adult may apply as a one-person household",
        False,
        basis="民政部通知：成年无业重度残疾人可以参照“单人户”提出低保申请，只核算其个人收入和财产"
        "（黑民规〔2023〕1号、柳江区等地方文件转述；全国文件文号待核实，默认不启用）",
    )
)

# Periodic review (定期核查) intervals, read by civilaffairs.casework.review. The text of
# 民发〔2021〕57号 sets both: yearly for households whose economic situation changes little in the
# short term, half-yearly for those with unstable income and members able to work; a major
# emergency may lengthen them.
review_months_stable = r.point(
    IntPoint(
        "review_months_stable",
        "定期核查间隔（月）：短期内经济状况变化不大的家庭",
        "periodic review interval (months): households whose situation changes little",
        12,
        basis=f"{MINZHENG_2021_57}：对短期内经济状况变化不大的最低生活保障家庭，乡镇人民政府"
        "（街道办事处）每年核查一次",
        minimum=1,
        nullable=False,
    )
)
review_months_variable = r.point(
    IntPoint(
        "review_months_variable",
        "定期核查间隔（月）：收入来源不固定、家庭成员有劳动能力的家庭",
        "periodic review interval (months): unstable income, members able to work",
        6,
        basis=f"{MINZHENG_2021_57}：对收入来源不固定、家庭成员有劳动能力的最低生活保障家庭，"
        "每半年核查一次",
        minimum=1,
        nullable=False,
    )
)

# -- who is in the dibao household --------------------------------------------------------------
# 特困 is recognised per person; the other members are assessed here as a household without
# them (a 特困 person's support already covers that person).
in_household = r.quantity(
    "in_household",
    ~member_value("tekun", "tekun_person"),
    zh="计入低保家庭（特困人员除外）",
    en="counted in the dibao household (tekun persons excepted)",
)
std = dibao_standard(r)
size = r.quantity(
    "members",
    count(in_household),
    zh="共同生活家庭成员人数（特困人员除外）",
    en="household size (tekun persons excepted)",
)
r.condition(
    "not_all_tekun",
    size > 0,
    zh="除特困人员外尚有家庭成员 {members} 人（特困人员不再纳入低保）",
    en="{members} members besides tekun persons (tekun persons are not also in dibao)",
    basis="特困人员认定办法；社会救助暂行办法第十四条",
)
income = r.quantity(
    "countable_income",
    countable_income(excluded_income, in_household),
    zh="家庭月可计收入（特困人员除外）",
    en="countable monthly household income (tekun persons excepted)",
)
per_capita = r.quantity(
    "per_capita",
    income / size,
    zh="家庭月人均可计收入",
    en="countable per-capita monthly income",
)
minors = r.quantity("minors", count(in_household & (person.age < 18)), zh="未成年人数", en="minors")
minor_standard = r.quantity(
    "minor_standard",
    standard("dibao.standard.minor", optional=True).or_else(std),
    zh="未成年人低保标准（未单列则同低保标准）",
    en="dibao standard for minors (the standard unless published)",
)
threshold = r.quantity(
    "threshold",
    std * (size - minors) + minor_standard * minors,
    zh="保障标准总额",
    en="household threshold",
)
household_route = r.quantity(
    "household_route",
    income < threshold,
    zh="按家庭整体收入符合条件",
    en="household income test met",
)

# -- single-person coverage (单人保) ------------------------------------------------------------
covered_alone = r.quantity(
    "may_be_covered_alone",
    in_household & severe_or_seriously_ill(),
    zh="重度残疾或重病（低保边缘家庭中可单独纳入）",
    en="severely disabled or seriously ill (may be covered alone in a marginal household)",
)
candidates = r.quantity(
    "alone_candidates",
    where(single_person_coverage, count(covered_alone), 0),
    zh="可单独纳入的成员数",
    en="members who may be covered alone",
)
marginal_multiple = standard("marginal.income_multiple", optional=True)
# the marginal multiple is read only where someone may be covered alone
within_marginal = r.quantity(
    "within_marginal",
    where(
        candidates > 0,
        is_set(marginal_multiple) & (income <= threshold * marginal_multiple.or_else(ratio("0"))),
        False,
    ),
    zh="家庭收入在低保边缘范围内",
    en="household income within the marginal range",
)
unemployed_adult = r.quantity(
    "unemployed_severe_adult",
    unemployed_alone
    & in_household
    & severe_disability()
    & (person.age >= 18)
    & person.employment.isin(("unemployed", "not_in_labour_force")),
    zh="成年无业重度残疾人（参照单人户）",
    en="unemployed severely disabled adult (as a one-person household)",
)
covered = r.quantity(
    "covered_alone",
    (within_marginal & covered_alone) | unemployed_adult,
    zh="单独纳入低保",
    en="covered alone",
)
single_members = r.quantity(
    "single_members", count(covered), zh="单人保覆盖人数", en="members covered alone (单人保)"
)
single_income = r.quantity(
    "single_income",
    countable_income(excluded_income, covered),
    zh="单人保成员本人收入",
    en="own countable income of members covered alone",
)

# -- the payment ----------------------------------------------------------------------------
difference = r.quantity("difference", threshold - income, zh="差额", en="difference")
band_rate = r.quantity(
    "band_rate",
    where(
        income * 3 < threshold,
        band_rate_low,
        where(income * 3 < threshold * 2, band_rate_mid, band_rate_high),
    ),
    zh="分档发放比例",
    en="banded payment rate",
)
household_amount = r.quantity(
    "household_amount",
    where(
        household_route, where(payment == "banded", threshold * band_rate, difference), money("0")
    ),
    zh="按家庭整体计算的保障金",
    en="payment for the household as a whole",
)
single_amount = r.quantity(
    "single_amount",
    maximum(std * single_members - single_income, money("0")),
    zh="单人保保障金",
    en="payment for members covered alone",
)
base = r.quantity(
    "base",
    maximum(household_amount, single_amount),
    zh="基本保障金（取两者中较高者）",
    en="base payment (the higher of the two)",
)
supplement = r.quantity(
    "supplement",
    std * minors * minor_supplement_rate,
    zh="分类施保增发",
    en="supplement for minors",
)
unrounded = r.quantity("unrounded", base + supplement, zh="取整前金额", en="amount before rounding")

# -- conditions -----------------------------------------------------------------------------
r.condition(
    "income_below_standard",
    household_route | (single_members > 0),
    zh="家庭月人均可计收入 {per_capita}低于当地低保标准 {standard}（或符合单人保）",
    en="countable per-capita income {per_capita} is below the local standard {standard} "
    "(or single-person coverage applies)",
    basis=f"{DECREE_649}第九条",
)
deposits = r.quantity(
    "deposits", household.deposits, zh="存款及有价证券", en="deposits and securities"
)
deposits_per_capita = r.quantity(
    "deposits_per_capita",
    deposits / size,
    zh="人均存款及有价证券",
    en="per-capita deposits and securities",
)
deposit_limit = r.quantity(
    "deposit_limit",
    only_where(is_set(asset_limit_months), std * asset_limit_months.or_else(0)),
    zh="人均存款上限",
    en="deposit limit per capita",
)
r.condition(
    "assets_within_limit",
    deposits <= deposit_limit.or_else(money("0")) * size,
    when=is_set(deposit_limit),
    zh="人均存款及有价证券 {deposits_per_capita}不超过上限 {deposit_limit}",
    en="per-capita deposits {deposits_per_capita} within the limit {deposit_limit}",
    basis=f"{DECREE_649}第九条；财产规定由地方制定",
    untested_zh="本地区未登记存款上限，未检验财产",
    untested_en="no deposit limit registered for this region; assets not tested",
)
vehicles = r.quantity("vehicles", household.vehicles, zh="机动车辆数", en="motor vehicles")
r.condition(
    "vehicle_rule",
    vehicle_allowed | (vehicles == 0),
    zh="机动车辆 {vehicles} 辆符合当地规定",
    en="{vehicles} vehicles allowed locally",
    basis="当地最低生活保障家庭财产状况规定",
)

r.amount(round_to_yuan(unrounded, rounding), zh="月保障金额", en="monthly benefit")

dibao = r.build()

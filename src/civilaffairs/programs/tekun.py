"""特困人员救助供养 (tekun): support for extremely poor persons, recognised per person.

Legal basis: 社会救助暂行办法 arts. 14–19; 特困人员认定办法 (民发〔2021〕43号, from 2021-07;
before that 民发〔2016〕178号). A **person** is recognised (the application is the person's
own, art. 10 of the 2016 text, restated in 2021) who has

* no labour capacity (art. 5): aged 60 or over, a minor, intellectual or mental disability of
  grade 1–3, physical disability of grade 1–2 or visual disability of grade 1 (2016: grade 1–2
  intellectual or mental, grade 1 physical), or assessed so under the province's other
  situations (a stated "no labour capacity");
* no income source (art. 6): income below the local dibao standard and assets within the local
  特困 asset rule. The national text does not say whose income; the policy point
  ``income_basis`` chooses the person's own income (default) or the household's per-capita;
* no legal supporter able to support: none outside the household (the person's recorded
  supporters) and none in it (a spouse, a parent of a child, an adult child, or the head for
  the head's parents), where able means aged 18 to 69 and not severely disabled — art. 8 also
  counts older or severely disabled supporters whose own income reaches the local per-capita
  disposable income as able, which this library does not yet test.

Minors are covered to 18 (民政部 财政部《关于进一步做好困难群众基本生活保障工作的通知》, 2020), and
after 18 while in compulsory education, ordinary senior high school or secondary vocational
school (2021 art. on termination). A child who also meets the orphan or de-facto unsupported
child conditions is not recognised as 特困 unless the child chose 特困 (status ``chose_tekun``):
"选择申请纳入孤儿、事实无人抚养儿童基本生活保障范围的，不再认定为特困人员".

The household's decision covers its recognised members: the basic-living standard for each,
plus the care standard of each one's self-care band. Other members are assessed for the other
programmes on their own (dibao reads who is 特困 here). Where a member's care standard is not
set, the decision says so and the amount leaves that care out rather than counting it as 0.

The basic-living standard is the published ``tekun.basic_living`` where the region has one,
but never less than ``tekun.basic_living_multiple`` × the dibao standard: the multiple is a
floor (provincial practice: "not lower than 1.3 times"), so a published figure that has not
caught up with a later rise of the dibao standard does not underpay.
"""

from __future__ import annotations

from civilaffairs.engine.expr import (
    Expr,
    any_member,
    count,
    countable_income,
    household,
    is_set,
    maximum,
    member_income,
    money,
    number,
    only_where,
    person,
    ratio,
    standard,
    total,
    where,
)
from civilaffairs.programs.base import Basis, Program, Rules
from civilaffairs.programs.common import (
    INCOME_KINDS,
    TEKUN_2021,
    deposit_test,
    dibao_standard,
    severe_disability,
    unsupported_by_rule,
)
from civilaffairs.programs.points import BoolPoint, ChoicePoint, IntPoint, KindSetPoint

__all__ = ["TEKUN_2016", "tekun"]

TEKUN_2016 = "特困人员认定办法（民发〔2016〕178号）"
NOTICE_2020 = "民政部 财政部《关于进一步做好困难群众基本生活保障工作的通知》（2020年）"

#: Schooling that keeps a recognised minor supported after 18 (2021, termination article):
#: compulsory education, ordinary senior high school, secondary vocational school.
_SCHOOL_AFTER_18 = ("primary", "junior_secondary", "senior_secondary", "vocational")


def _no_labour_by_disability_2021() -> Expr:
    """特困人员认定办法（2021）第五条（三）."""
    grade = person.disability_grade
    category = person.disability_category
    return (
        (category.isin(("intellectual", "mental")) & (grade >= 1) & (grade <= 3))
        | ((category == "physical") & (grade >= 1) & (grade <= 2))
        | ((category == "visual") & (grade == 1))
    )


def _no_labour_by_disability_2016() -> Expr:
    """特困人员认定办法（2016）第五条（三）: grade 1–2 intellectual or mental, grade 1 physical."""
    grade = person.disability_grade
    category = person.disability_category
    return (category.isin(("intellectual", "mental")) & (grade >= 1) & (grade <= 2)) | (
        (category == "physical") & (grade == 1)
    )


def _rules(disability: Expr, article_5: str) -> Rules:
    r = Rules(
        "tekun",
        zh="特困人员救助供养",
        en="Support for extremely poor persons (tekun)",
        area="social_assistance",
        basis=Basis("社会救助暂行办法", "第十四条至第十九条", "国务院令第649号"),
        description_zh="无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其无履行能力的老年人、"
        "残疾人和未成年人，按人认定，给予基本生活和照料护理。",
        description_en="Elderly, disabled and minor persons with no labour capacity, no income "
        "source and no supporter able to support are recognised one by one and receive basic "
        "living and care support.",
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
            basis=f"{TEKUN_2021}第六条：中央确定的城乡居民基本养老保险基础养老金、基本医疗保险等"
            "社会保险和优待抚恤金、高龄津贴不计入",
            universe=INCOME_KINDS,
        )
    )
    income_basis = r.point(
        ChoicePoint(
            "income_basis",
            "无生活来源的收入口径",
            "whose income the no-income-source test reads",
            "own",
            basis=f"{TEKUN_2021}第六条只规定“收入低于当地最低生活保障标准”，未规定按本人收入还是"
            "家庭人均收入计算（own：本人收入；household：家庭人均可计收入）",
            choices=("own", "household"),
        )
    )
    asset_limit_months = r.point(
        IntPoint(
            "asset_limit_months",
            "人均存款上限（月数×低保标准）",
            "per-capita deposit limit, months of the dibao standard",
            None,
            basis=f"{TEKUN_2021}第七条：特困人员财产状况认定标准由设区的市级以上地方人民政府民政部门"
            "制定",
        )
    )
    minor_age = r.point(
        IntPoint(
            "minor_age_limit",
            "未成年人纳入年龄上限（周岁，不含）",
            "minors covered below this age",
            18,
            basis=f"{NOTICE_2020}：特困人员救助供养覆盖的未成年人年龄从16周岁延长至18周岁",
            minimum=16,
            nullable=False,
        )
    )
    students_stay = r.point(
        BoolPoint(
            "students_stay_after_18",
            "年满18周岁仍在校的继续供养",
            "students stay covered after 18",
            True,
            basis=f"{TEKUN_2021}：年满18周岁仍在接受义务教育或者在普通高中、中等职业学校就读的，"
            "可继续享有救助供养待遇",
        )
    )

    # Periodic review (定期核查) of a recognised person, read by civilaffairs.casework.review:
    # no national interval was found in the text of 特困人员认定办法, so none is set here.
    r.point(
        IntPoint(
            "review_months",
            "定期核查间隔（月）",
            "periodic review interval (months)",
            None,
            basis=f"{TEKUN_2021}未规定定期核查间隔（未设定：由省级规定）",
            minimum=1,
        )
    )

    std = dibao_standard(r)
    age = person.age
    disabled = r.quantity(
        "disability_no_labour",
        disability,
        zh="残疾等级视为无劳动能力",
        en="disability counted as no labour capacity",
    )
    in_school = person.in_school.isin(_SCHOOL_AFTER_18)
    minor = r.quantity(
        "minor_covered",
        (age < minor_age) | (students_stay & (age >= minor_age) & in_school),
        zh="未成年人（或年满18周岁仍在校）",
        en="a minor (or over 18 and still at school)",
    )
    lacks_labour = r.quantity(
        "lacks_labour",
        (age >= 60) | minor | disabled | (person.labour == "no"),
        zh="无劳动能力",
        en="no labour capacity",
    )
    own_income = r.quantity(
        "own_income", member_income(excluded_income), zh="本人月可计收入", en="own countable income"
    )
    size = r.quantity("size", household.size, zh="共同生活家庭成员人数", en="household size")
    income = r.quantity(
        "countable_income",
        countable_income(excluded_income),
        zh="家庭月可计收入",
        en="countable monthly household income",
    )
    no_income = r.quantity(
        "no_income_source",
        where(income_basis == "own", own_income < std, income < std * size),
        zh="收入低于当地低保标准",
        en="income below the local dibao standard",
    )
    # Legal supporters living in the household (spouses; parents and children; the head for
    # the head's parents and grandparents), able to support: an adult under 70 who is not
    # severely disabled and not assessed as lacking labour capacity. 第八条 also counts a
    # supporter of 70 or over, or severely disabled, as able when that person's own income
    # reaches the local per-capita disposable income; this approximation treats them as unable.
    able = r.quantity(
        "able_to_support",
        (age >= 18) & (age < 70) & ~severe_disability() & (person.labour != "no"),
        zh="有履行义务能力（18至69周岁、非重度残疾）",
        en="able to support (aged 18 to 69, not severely disabled)",
    )
    relation = person.relation
    head_able = any_member((relation == "head") & able)
    spouse_able = any_member((relation == "spouse") & able)
    child_able = any_member((relation == "child") & able)
    in_household = r.quantity(
        "supporter_in_household",
        where(
            relation == "head",
            spouse_able | child_able,
            where(
                relation == "spouse",
                head_able | child_able,
                where(
                    relation == "child",
                    head_able | spouse_able,
                    where(relation.isin(("parent", "grandparent")), head_able, False),
                ),
            ),
        ),
        zh="同住的法定义务人有履行能力",
        en="a legal supporter in the household is able to support",
    )
    no_supporter = r.quantity(
        "no_able_supporter",
        (person.able_supporters == 0) & ~in_household,
        zh="无有履行能力的法定义务人",
        en="no legal supporter able to support",
    )
    unsupported = r.quantity(
        "unsupported_child",
        unsupported_by_rule(),
        zh="符合事实无人抚养儿童条件",
        en="meets the de-facto unsupported child conditions",
    )
    child_route = r.quantity(
        "child_allowance_route",
        (age < 18) & (person.own.has("orphan") | unsupported) & ~person.own.has("chose_tekun"),
        zh="同时符合孤儿或事实无人抚养儿童条件且未选择特困供养",
        en="also an orphan or de-facto unsupported child and did not choose tekun",
    )
    meets = r.quantity(
        "meets_conditions",
        lacks_labour & no_income & no_supporter,
        zh="同时符合三项条件",
        en="meets all three conditions",
    )
    recognised = r.quantity(
        "tekun_person",
        meets & ~child_route & person.alive,
        zh="认定为特困人员",
        en="recognised as tekun",
    )

    no_labour_n = r.quantity(
        "no_labour", count(lacks_labour), zh="无劳动能力人数", en="members with no labour capacity"
    )
    r.condition(
        "no_labour_capacity",
        no_labour_n > 0,
        zh="有无劳动能力的成员 {no_labour} 名（共 {size} 人）",
        en="{no_labour} of {size} members have no labour capacity",
        basis=article_5,
    )
    poor_n = r.quantity(
        "no_income_n",
        count(lacks_labour & no_income),
        zh="其中无生活来源人数",
        en="of whom with no income source",
    )
    r.condition(
        "no_income_source",
        poor_n > 0,
        zh="其中无生活来源（收入低于当地低保标准 {standard}）的 {no_income_n} 名",
        en="{no_income_n} of them have no income source (income below the standard {standard})",
        basis=f"{TEKUN_2021}第六条",
    )
    meets_n = r.quantity(
        "meets_n", count(meets), zh="同时符合三项条件人数", en="members meeting all three"
    )
    r.condition(
        "no_able_supporter",
        meets_n > 0,
        zh="其中无有履行能力的法定义务人的 {meets_n} 名",
        en="{meets_n} of them have no legal supporter able to support",
        basis=f"社会救助暂行办法第十四条；{TEKUN_2021}第八条",
    )
    persons = r.quantity(
        "persons", count(recognised), zh="认定的特困人员数", en="persons recognised"
    )
    r.condition(
        "not_in_child_allowance",
        persons > 0,
        when=count(meets & child_route) > 0,
        zh="认定特困人员 {persons} 名"
        "（同时符合孤儿或事实无人抚养儿童条件、未选择特困供养的儿童除外）",
        en="{persons} recognised (children who also qualify as orphans or de-facto unsupported "
        "children and did not choose tekun are not)",
        basis=f"{TEKUN_2021}：选择申请纳入孤儿、事实无人抚养儿童基本生活保障范围的，不再认定为特困人员",
        untested_zh="无此类儿童",
        untested_en="no such child",
    )
    deposit_test(
        r,
        only_where(is_set(asset_limit_months), std * asset_limit_months.or_else(0) * size),
        basis=f"{TEKUN_2021}第六条、第七条",
        untested_zh="本地区未登记特困人员存款上限，未检验财产",
        untested_en="no tekun deposit limit registered for this region; assets not tested",
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
    care_full = standard("tekun.care.full", optional=True)
    care_partial = standard("tekun.care.partial", optional=True)
    care_none = standard("tekun.care.none", optional=True)
    band = person.self_care
    care_set = r.quantity(
        "care_standard_set",
        where(
            band == "none",
            is_set(care_none),
            where(band == "partial", is_set(care_partial), is_set(care_full)),
        ),
        zh="照料护理标准已设定",
        en="care standard set",
    )
    care = r.quantity(
        "care",
        where(
            recognised & care_set,
            where(
                band == "none",
                care_none.or_else(money("0")),
                where(
                    band == "partial",
                    care_partial.or_else(money("0")),
                    care_full.or_else(money("0")),
                ),
            ),
            money("0"),
        ),
        zh="照料护理费（按自理能力；未设定的不计）",
        en="care support (by self-care ability; none where not set)",
    )
    care_total = r.quantity(
        "care_total", total(care), zh="照料护理费合计", en="care support, total"
    )
    r.note(
        "care_not_set",
        count(recognised & ~care_set) > number(0),
        zh="有特困人员所属自理能力档次的照料护理标准未设定：月供养金额不含其照料护理费，须核对当地标准",
        en="the care standard of a recognised person's self-care band is not set: the amount "
        "leaves that care out; check the local standard",
    )
    r.amount(basic_living * persons + care_total, zh="月供养金额", en="monthly support")
    return r


def _build() -> Program:
    before = _rules(_no_labour_by_disability_2016(), f"{TEKUN_2016}第五条").build()
    after = _rules(_no_labour_by_disability_2021(), f"{TEKUN_2021}第五条").build(since="2021-07-01")
    return before.then(after)


tekun = _build()

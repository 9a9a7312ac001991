"""农村留守儿童与困境儿童 (rural left-behind and distressed children): classification, the
county register (信息台账) and the Tomorrow Plan (明天计划).

The rules and where they come from:

* **农村留守儿童** (rural left-behind child), 国务院关于加强农村留守儿童关爱保护工作的意见
  (国务院, February 2016; 国发〔2016〕13号 as cited): "留守儿童是指父母双方外出务工或一方外出
  务工另一方无监护能力、不满十六周岁的未成年人". The 2016 census notice of 民政部、教育部、公安部
  counts 农村户籍 minors and explains 无监护能力 as "留守在家的父亲或母亲因重病、重残等原因丧失
  监护能力". Here: under the age limit (standard ``children.left_behind.age_limit``, national
  16), a rural household (``residence`` ``rural``), and both parents ``parent_working_away``,
  or one working away and the other ``parent_severely_disabled`` or ``parent_seriously_ill``.
  Whether a parent who is dead, missing, imprisoned, deported or stripped of guardianship
  counts too ("无法履行监护责任", Zhejiang's wording) is the standard
  ``children.left_behind.unable_parent_counts``, which only provinces set.
* **困境儿童** (distressed child), 国务院关于加强困境儿童保障工作的意见 (国务院, June 2016;
  国发〔2016〕36号): "因家庭贫困导致生活、就医、就学等困难的儿童，因自身残疾导致康复、照料、
  护理和社会融入等困难的儿童，以及因家庭监护缺失或监护不当遭受虐待、遗弃、意外伤害、不法侵害
  等导致人身安全受到威胁或侵害的儿童". Three categories, each a condition: ``poverty`` (the
  household's recognised poverty, input field ``poverty``, or the child's own
  ``supported_as_tekun`` status), ``disability`` (a certified disability of the child), and
  ``guardianship`` (a verified report of harm to the child, input field ``harm_reports``).
  A child is a minor under 18 (未成年人保护法 art. 2).
* **儿童督导员 / 儿童主任**: 关于进一步健全农村留守儿童和困境儿童关爱服务体系的意见 (民政部等
  十部门, 2019): a 儿童督导员 in each township (乡镇、街道), a 儿童主任 in each village
  (村、居). The register's rows name both; a row's review falls due ``children.review.interval``
  months after the last one (a provisional library default of 3 months: no national text sets
  it).
* **明天计划** (Tomorrow Plan): from May 2004 surgery and rehabilitation for disabled orphans
  aged 0 to 18 in welfare institutions; from 1 March 2019 (孤儿医疗康复明天计划项目实施办法)
  every orphan, in an institution or in the community, and orphans still in school after 18.
  Standards ``children.tomorrow_plan.community_orphans`` and
  ``children.tomorrow_plan.all_orphans``, dated nationally and overridable by province.

Checks: ``children.classify`` (one decision per member under 18, outcome the list of
categories that apply), ``children.tomorrow_plan`` (one decision per orphan) and
``children.review_due`` (one register row). :func:`classify_table` classifies a whole
registry of the bulk input format column by column.

>>> import datetime
>>> from civilaffairs.checks import run_check
>>> from civilaffairs.domain import Person, Relation, Residence, Status, StatusKind
>>> from civilaffairs.ids import Sex
>>> away = [Status(kind=StatusKind.PARENT_WORKING_AWAY, parent=p) for p in ("father", "mother")]
>>> home = ChildrenHousehold(
...     id="LB-1", region="330122", residence=Residence.RURAL,
...     members=(
...         Person(birth_date=datetime.date(1950, 3, 1), sex=Sex.FEMALE, relation=Relation.HEAD),
...         Person(birth_date=datetime.date(2015, 5, 2), sex=Sex.MALE,
...                relation=Relation.GRANDCHILD, statuses=tuple(away)),
...     ),
... )
>>> result = run_check(CLASSIFY, home, "2024-08-01")
>>> [(d.subject, d.outcome) for d in result.decisions]
[('members[1]', ('left_behind',))]
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from civilaffairs._lazy import lazy_module
from civilaffairs.checks import Check, Context
from civilaffairs.domain import Household, Person, Residence, StatusKind
from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._validators import (
    date_field,
    enum_field,
    int_field,
    items_field,
    region_field,
    text_field,
)
from civilaffairs.errors import CivilAffairsError, FieldError, ValidationError
from civilaffairs.ids import mask_text
from civilaffairs.programs.module import ServiceModule
from civilaffairs.standards.catalogue import KeySpec, Unit

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa
    import pyarrow.compute as pc

    IntArray = npt.NDArray[np.int64]
    BoolArray = npt.NDArray[np.bool_]

    #: The columns of the county register, one row per child.
    LEDGER_SCHEMA: pa.Schema
    #: The result of :func:`classify_table`: one row per child (alive and under 18 on the date).
    CLASSIFIED_SCHEMA: pa.Schema
else:  # the register and the bulk classification read them; the checks of one household never do
    np = lazy_module("numpy")
    pa = lazy_module("pyarrow")
    pc = lazy_module("pyarrow.compute")

# attrs field helpers return field specifiers, not shared defaults.
# ruff: noqa: RUF009

__all__ = [
    "ADULT_AGE",
    "CATEGORIES",
    "CLASSIFIED_SCHEMA",
    "CLASSIFY",
    "KEY_AGE_LIMIT",
    "KEY_ALL_ORPHANS",
    "KEY_COMMUNITY_ORPHANS",
    "KEY_REVIEW_INTERVAL",
    "KEY_UNABLE_PARENT",
    "LEDGER_SCHEMA",
    "MODULE",
    "REVIEW_DUE",
    "TOMORROW_PLAN",
    "ChildrenHousehold",
    "Classified",
    "HarmCause",
    "HarmKind",
    "HarmReport",
    "LedgerEntry",
    "Poverty",
    "add_months",
    "classify_arrow",
    "classify_table",
    "empty_ledger",
    "ledger_entries",
    "remove_child",
    "review_dates",
    "upsert_child",
]


def __getattr__(name: str) -> Any:
    """The Arrow schemas, built on first access so that importing the module needs no pyarrow."""
    builders = {"LEDGER_SCHEMA": _ledger_schema, "CLASSIFIED_SCHEMA": _classified_schema}
    if name in builders:
        value = builders[name]()
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "LEDGER_SCHEMA", "CLASSIFIED_SCHEMA"})


GUOFA_2016_13 = "国务院关于加强农村留守儿童关爱保护工作的意见（国发〔2016〕13号）"
GUOFA_2016_36 = "国务院关于加强困境儿童保障工作的意见（国发〔2016〕36号）"
MINFA_2019_34 = "关于进一步健全农村留守儿童和困境儿童关爱服务体系的意见（民政部等十部门，2019）"
TOMORROW_2004 = "残疾孤儿手术康复明天计划（民政部，2004）"
TOMORROW_2019 = "“孤儿医疗康复明天计划”项目实施办法（民政部，2019年3月1日起施行）"
MINORS_LAW = "未成年人保护法第二条"

#: Age of majority: a child (儿童) is a minor under 18 (未成年人保护法 art. 2).
ADULT_AGE = 18

KEY_AGE_LIMIT = "children.left_behind.age_limit"
KEY_UNABLE_PARENT = "children.left_behind.unable_parent_counts"
KEY_REVIEW_INTERVAL = "children.review.interval"
KEY_COMMUNITY_ORPHANS = "children.tomorrow_plan.community_orphans"
KEY_ALL_ORPHANS = "children.tomorrow_plan.all_orphans"

#: The categories a child may be classified in, in the order outcomes list them.
CATEGORIES: tuple[str, ...] = (
    "left_behind",
    "distressed.poverty",
    "distressed.disability",
    "distressed.guardianship",
)
_CATEGORY_ZH = {
    "left_behind": "农村留守儿童",
    "distressed.poverty": "困境儿童（家庭贫困）",
    "distressed.disability": "困境儿童（自身残疾）",
    "distressed.guardianship": "困境儿童（监护缺失或监护不当）",
}

#: A parent without capacity for guardianship (无监护能力: 重病、重残, as the 2016 census
#: notice explains it).
INCAPABLE: frozenset[StatusKind] = frozenset(
    {StatusKind.PARENT_SEVERELY_DISABLED, StatusKind.PARENT_SERIOUSLY_ILL}
)
#: A parent who cannot fulfil guardianship duties for another reason (无法履行监护责任);
#: counts only where ``children.left_behind.unable_parent_counts`` is 1.
UNABLE: frozenset[StatusKind] = frozenset(
    {
        StatusKind.PARENT_DEAD,
        StatusKind.PARENT_MISSING,
        StatusKind.PARENT_IMPRISONED,
        StatusKind.PARENT_DEPORTED,
        StatusKind.PARENT_GUARDIANSHIP_REVOKED,
    }
)


# -- input types ------------------------------------------------------------------------------


class Poverty(LabelledEnum):
    """The household's recognised poverty (家庭困难认定), as the caseworker records it."""

    DIBAO = "dibao"
    TEKUN = "tekun"
    LOW_INCOME = "low_income"


label(Poverty, DIBAO="最低生活保障家庭", TEKUN="特困人员", LOW_INCOME="低保边缘家庭（低收入家庭）")


class HarmKind(LabelledEnum):
    """What happened to the child (国发〔2016〕36号: 虐待、遗弃、意外伤害、不法侵害等)."""

    ABUSE = "abuse"
    ABANDONMENT = "abandonment"
    ACCIDENTAL_INJURY = "accidental_injury"
    UNLAWFUL_HARM = "unlawful_harm"
    OTHER = "other"


label(
    HarmKind,
    ABUSE="虐待",
    ABANDONMENT="遗弃",
    ACCIDENTAL_INJURY="意外伤害",
    UNLAWFUL_HARM="不法侵害",
    OTHER="其他导致人身安全受到威胁或侵害的情形",
)


class HarmCause(LabelledEnum):
    """Why: missing guardianship or improper guardianship (家庭监护缺失或监护不当)."""

    GUARDIANSHIP_MISSING = "guardianship_missing"
    IMPROPER_GUARDIANSHIP = "improper_guardianship"


label(HarmCause, GUARDIANSHIP_MISSING="家庭监护缺失", IMPROPER_GUARDIANSHIP="监护不当")


@attrs.frozen(kw_only=True)
class HarmReport:
    """A verified report that a child's personal safety was threatened or harmed for want of
    proper guardianship (人身安全受到威胁或侵害), e.g. from a mandatory report (强制报告).

    :param member: the child's position in ``members`` (0-based).
    :param kind: what happened.
    :param cause: missing or improper guardianship.
    :param reported_on: when it was reported, where known; a report dated after the check's
        date does not count yet.
    """

    member: int = int_field(minimum=0, maximum=99)
    kind: HarmKind = enum_field(HarmKind)
    cause: HarmCause = enum_field(HarmCause)
    reported_on: _dt.date | None = date_field(optional=True)


def _report_problems(members: int, reports: Sequence[HarmReport]) -> list[FieldError]:
    errors = []
    for i, report in enumerate(reports):
        if report.member >= members:
            errors.append(
                FieldError(
                    f"harm_reports[{i}].member",
                    f"is {report.member}, but the household has {members} members "
                    "(成员序号超出范围)",
                    "out_of_range",
                    zh=f"成员序号 {report.member} 超出范围：家庭只有 {members} 名成员",
                )
            )
    return errors


@attrs.frozen(kw_only=True)
class ChildrenHousehold(Household):
    """A household (the ordinary household JSON, ``"type": "household"``) with two optional
    facts the classification needs beyond it.

    :param poverty: the household's recognised poverty (``dibao``, ``tekun`` or
        ``low_income``), if any: the 困境儿童 poverty category.
    :param harm_reports: verified reports of harm to a child for want of proper guardianship:
        the 困境儿童 guardianship category.
    """

    poverty: Poverty | None = enum_field(Poverty, optional=True)
    harm_reports: tuple[HarmReport, ...] = items_field(HarmReport, max_items=100)

    def __attrs_post_init__(self) -> None:
        errors = _report_problems(len(self.members), self.harm_reports)
        if errors:
            raise ValidationError(errors, what="household")


# -- helpers ----------------------------------------------------------------------------------


def _in_force(person: Person, on: _dt.date) -> list[Any]:
    return [s for s in person.statuses if s.since is None or s.since <= on]


def _parent_kinds(person: Person, on: _dt.date, parent: str) -> frozenset[StatusKind]:
    return frozenset(s.kind for s in _in_force(person, on) if s.parent == parent)


def _shown(kinds: Iterable[StatusKind]) -> str:
    names = sorted(k.value for k in kinds)
    return ", ".join(names) if names else "none"


def _flag(value: Any) -> int | None:
    return None if value is None else int(Decimal(value))


def _subject(person: Person, i: int) -> str:
    return person.masked_id or f"members[{i}]"


def _children(household: Household, on: _dt.date) -> list[tuple[int, Person]]:
    """Members alive on *on* and under 18, with their positions."""
    return [
        (i, m)
        for i, m in enumerate(household.members)
        if m.is_alive_on(on) and m.age_on(on) < ADULT_AGE
    ]


def _parents_case(
    father: frozenset[StatusKind], mother: frozenset[StatusKind], unable_counts: int | None
) -> tuple[bool | None, str]:
    """Whether the parents' situation makes a left-behind child, and which case it is."""
    away = StatusKind.PARENT_WORKING_AWAY
    fa, ma = away in father, away in mother
    if fa and ma:
        return True, "both_away"
    if fa or ma:
        other = mother if fa else father
        if other & INCAPABLE:
            return True, "other_incapable"
        if other & UNABLE:
            if unable_counts is None:
                return None, "other_unable_not_set"
            return unable_counts == 1, "other_unable"
        return False, "other_at_home"
    return False, "none_away"


_PARENT_LABELS: dict[str, tuple[str, str]] = {
    "both_away": (
        "父母双方外出务工（父亲：{father}；母亲：{mother}）",
        "both parents work away (father: {father}; mother: {mother})",
    ),
    "other_incapable": (
        "父母一方外出务工，另一方重病或重残、无监护能力（父亲：{father}；母亲：{mother}）",
        "one parent works away and the other, seriously ill or severely disabled, has no "
        "capacity for guardianship (father: {father}; mother: {mother})",
    ),
    "other_unable": (
        "父母一方外出务工，另一方无法履行监护责任（父亲：{father}；母亲：{mother}）；"
        "本地区{counts}此情形计入留守（标准值 {unable_parent_counts}）",
        "one parent works away and the other cannot fulfil guardianship duties (father: "
        "{father}; mother: {mother}); this region {counts_en} that case "
        "(standard {unable_parent_counts})",
    ),
    "other_unable_not_set": (
        "父母一方外出务工，另一方无法履行监护责任（父亲：{father}；母亲：{mother}）；"
        "本地区未设置此情形是否计入留守（{unable_parent_counts}），不作判断",
        "one parent works away and the other cannot fulfil guardianship duties (father: "
        "{father}; mother: {mother}); whether that counts is not set for this region "
        "({unable_parent_counts}), so it is not tested",
    ),
    "other_at_home": (
        "父母仅一方外出务工，另一方有监护能力（父亲：{father}；母亲：{mother}）",
        "only one parent works away and the other can care for the child (father: {father}; "
        "mother: {mother})",
    ),
    "none_away": (
        "父母均未外出务工（父亲：{father}；母亲：{mother}）",
        "neither parent works away (father: {father}; mother: {mother})",
    ),
}


# -- children.classify -----------------------------------------------------------------------


def _classify(record: Household, ctx: Context) -> None:
    """One decision per member under 18: the categories that apply."""
    on = ctx.on
    children = _children(record, on)
    if not children:
        ctx.condition(
            "has_child",
            False,
            zh="家庭中没有未满 {adult} 周岁的成员（共 {members} 人）",
            en="no member under {adult} ({members} members)",
            basis=MINORS_LAW,
            adult=ADULT_AGE,
            members=len(record.members),
        )
        ctx.decide(record.id, (), passed=False)
        return
    poverty = getattr(record, "poverty", None)
    reports: tuple[HarmReport, ...] = getattr(record, "harm_reports", ())
    rural = record.residence is Residence.RURAL
    for i, child in children:
        age = child.age_on(on)
        categories: list[str] = []
        # -- left behind ------------------------------------------------------------------
        limit = _flag(ctx.standard(KEY_AGE_LIMIT))
        if limit is None:
            age_ok: bool | None = ctx.condition(
                "left_behind.age",
                None,
                zh="年龄 {age} 周岁；本地区未设置留守儿童年龄上限（{age_limit}），不作判断",
                en="aged {age}; no left-behind age limit is set for this region "
                "({age_limit}), so it is not tested",
                basis=GUOFA_2016_13,
                age=age,
                age_limit=None,
            )
        else:
            age_ok = ctx.condition(
                "left_behind.age",
                age < limit,
                zh="年龄 {age} 周岁，" + ("不满" if age < limit else "已满") + " {age_limit} 周岁",
                en="aged {age}, " + ("under" if age < limit else "not under") + " {age_limit}",
                basis=GUOFA_2016_13,
                age=age,
                age_limit=limit,
            )
        rural_ok = ctx.condition(
            "left_behind.rural",
            rural,
            zh="家庭城乡属性：{residence}" + ("（农村）" if rural else "（非农村）"),
            en="household residence: {residence}" + ("" if rural else " (not rural)"),
            basis=GUOFA_2016_13,
            residence=record.residence.value,
        )
        father = _parent_kinds(child, on, "father")
        mother = _parent_kinds(child, on, "mother")
        unable_value = ctx.standard(KEY_UNABLE_PARENT)
        unable = _flag(unable_value)
        parents_ok, case = _parents_case(father, mother, unable)
        zh, en = _PARENT_LABELS[case]
        extra: dict[str, Any] = {}
        if case.startswith("other_unable"):
            extra["unable_parent_counts"] = unable
        if case == "other_unable":
            extra["counts"] = "规定" if unable == 1 else "不将"
            extra["counts_en"] = "counts" if unable == 1 else "does not count"
        ctx.condition(
            "left_behind.parents",
            parents_ok,
            zh=zh,
            en=en,
            basis=GUOFA_2016_13,
            father=_shown(father),
            mother=_shown(mother),
            **extra,
        )
        if age_ok is True and rural_ok is True and parents_ok is True:
            categories.append("left_behind")
        # -- distressed: poverty ------------------------------------------------------------
        own = {s.kind for s in _in_force(child, on) if s.parent is None}
        tekun = StatusKind.SUPPORTED_AS_TEKUN in own
        poor = poverty is not None or tekun
        ctx.condition(
            "distressed.poverty",
            poor,
            zh="家庭困难认定：{poverty}；本人纳入特困人员救助供养：{child_tekun}",
            en="household poverty recognised: {poverty}; the child supported as tekun: "
            "{child_tekun}",
            basis=GUOFA_2016_36 + "（因家庭贫困导致生活、就医、就学等困难）",
            poverty=poverty.value if poverty is not None else "none",
            child_tekun=tekun,
        )
        if poor:
            categories.append("distressed.poverty")
        # -- distressed: disability ---------------------------------------------------------
        disabled = child.disability is not None
        ctx.condition(
            "distressed.disability",
            disabled,
            zh="本人持证残疾：{disability}",
            en="certified disability of the child: {disability}",
            basis=GUOFA_2016_36 + "（因自身残疾导致康复、照料、护理和社会融入等困难）",
            disability=(
                f"{child.disability.category.value} {child.disability.grade}"
                if child.disability is not None
                else "none"
            ),
        )
        if disabled:
            categories.append("distressed.disability")
        # -- distressed: guardianship -------------------------------------------------------
        mine = [
            r for r in reports if r.member == i and (r.reported_on is None or r.reported_on <= on)
        ]
        ctx.condition(
            "distressed.guardianship",
            bool(mine),
            zh="因监护缺失或监护不当人身安全受到威胁或侵害的核实报告：{harm}",
            en="verified reports of harm for want of proper guardianship: {harm}",
            basis=GUOFA_2016_36
            + "（因家庭监护缺失或监护不当遭受虐待、遗弃、意外伤害、不法侵害等）",
            harm=", ".join(f"{r.kind.value}/{r.cause.value}" for r in mine) or "none",
        )
        if mine:
            categories.append("distressed.guardianship")
        ctx.fact("age", age)
        ctx.decide(_subject(child, i), tuple(categories), passed=bool(categories))


CLASSIFY = Check(
    "children.classify",
    "农村留守儿童与困境儿童分类",
    "classification of rural left-behind and distressed children",
    ChildrenHousehold,
    _classify,
    type_name="household",
    basis=f"{GUOFA_2016_13}；{GUOFA_2016_36}",
    description_zh="对家庭中每名未满18周岁的成员判断其属于农村留守儿童、困境儿童的哪些类别。",
    description_en="For each member under 18, the categories of rural left-behind and "
    "distressed children that apply.",
)


# -- children.tomorrow_plan ------------------------------------------------------------------


def _tomorrow_plan(record: Household, ctx: Context) -> None:
    """One decision per orphan: within the Tomorrow Plan's target group or not."""
    on = ctx.on
    orphans = [
        (i, m)
        for i, m in enumerate(record.members)
        if m.is_alive_on(on) and any(s.kind is StatusKind.ORPHAN for s in _in_force(m, on))
    ]
    if not orphans:
        ctx.condition(
            "has_orphan",
            False,
            zh="家庭中没有登记为孤儿的在世成员（共 {members} 人）",
            en="no living member recorded as an orphan ({members} members)",
            basis=TOMORROW_2004,
            members=len(record.members),
        )
        ctx.decide(record.id, "no_orphan", passed=False)
        return
    for i, orphan in orphans:
        age = orphan.age_on(on)
        community = _flag(ctx.standard(KEY_COMMUNITY_ORPHANS))
        every = _flag(ctx.standard(KEY_ALL_ORPHANS))
        in_school = orphan.in_school is not None
        if age < ADULT_AGE:
            ctx.condition(
                "tomorrow_plan.age",
                True,
                zh="年龄 {age} 周岁，未满 {adult} 周岁",
                en="aged {age}, under {adult}",
                basis=TOMORROW_2004,
                age=age,
                adult=ADULT_AGE,
            )
        elif every is None:
            ctx.condition(
                "tomorrow_plan.age",
                None,
                zh="年龄 {age} 周岁，已满 {adult} 周岁；本地区未设置明天计划是否覆盖在校孤儿"
                "（{all_orphans}），不作判断",
                en="aged {age}, not under {adult}; whether the plan covers orphans in school is "
                "not set for this region ({all_orphans}), so it is not tested",
                basis=TOMORROW_2019,
                age=age,
                adult=ADULT_AGE,
                all_orphans=None,
            )
        else:
            ok = every == 1 and in_school
            ctx.condition(
                "tomorrow_plan.age",
                ok,
                zh="年龄 {age} 周岁，已满 {adult} 周岁；在校就读：{in_school}；"
                "覆盖满18周岁后仍在校的孤儿：{all_orphans}",
                en="aged {age}, not under {adult}; in school: {in_school}; orphans still in "
                "school after 18 covered: {all_orphans}",
                basis=TOMORROW_2019,
                age=age,
                adult=ADULT_AGE,
                in_school=in_school,
                all_orphans=every == 1,
            )
        institution = any(s.kind is StatusKind.IN_INSTITUTION for s in _in_force(orphan, on))
        if institution:
            ctx.condition(
                "tomorrow_plan.placement",
                True,
                zh="在儿童福利机构养育（{placement}）",
                en="raised in a welfare institution ({placement})",
                basis=TOMORROW_2004,
                placement="institution",
            )
        elif community is None:
            ctx.condition(
                "tomorrow_plan.placement",
                None,
                zh="社会散居孤儿；本地区未设置明天计划是否覆盖散居孤儿（{community_orphans}），不作判断",
                en="an orphan in the community; whether the plan covers community orphans is "
                "not set for this region ({community_orphans}), so it is not tested",
                basis=TOMORROW_2019,
                community_orphans=None,
            )
        else:
            ctx.condition(
                "tomorrow_plan.placement",
                community == 1,
                zh="社会散居孤儿；明天计划覆盖散居孤儿：{community_orphans}",
                en="an orphan in the community; community orphans covered: {community_orphans}",
                basis=TOMORROW_2019,
                community_orphans=community == 1,
            )
        disabled = orphan.disability is not None
        if disabled:
            ctx.condition(
                "tomorrow_plan.need",
                True,
                zh="持证残疾（{disability}）",
                en="certified disability ({disability})",
                basis=TOMORROW_2004,
                disability=f"{orphan.disability.category.value} {orphan.disability.grade}"
                if orphan.disability is not None
                else "none",
            )
        elif every is None:
            ctx.condition(
                "tomorrow_plan.need",
                None,
                zh="无持证残疾；本地区未设置明天计划是否覆盖所有孤儿（{all_orphans}），不作判断",
                en="no certified disability; whether the plan covers every orphan is not set "
                "for this region ({all_orphans}), so it is not tested",
                basis=TOMORROW_2019,
                all_orphans=None,
            )
        else:
            ctx.condition(
                "tomorrow_plan.need",
                every == 1,
                zh="无持证残疾；明天计划覆盖所有孤儿（不限残疾）：{all_orphans}",
                en="no certified disability; every orphan covered, disabled or not: {all_orphans}",
                basis=TOMORROW_2019,
                all_orphans=every == 1,
            )
        ctx.fact(
            "medical_indication",
            "手术适应症与治疗方案由定点医院评估 / the surgical or medical indication is "
            "assessed by the designated hospital",
        )
        results = [c.passed for c in ctx._conditions]
        if all(r is True for r in results):
            outcome = "eligible"
        elif any(r is False for r in results):
            outcome = "not_eligible"
        else:
            outcome = "not_tested"
        ctx.decide(_subject(orphan, i), outcome, passed=outcome == "eligible")


TOMORROW_PLAN = Check(
    "children.tomorrow_plan",
    "明天计划（孤儿医疗康复）对象核查",
    "Tomorrow Plan (medical rehabilitation of orphans): target group",
    ChildrenHousehold,
    _tomorrow_plan,
    type_name="household",
    basis=f"{TOMORROW_2004}；{TOMORROW_2019}",
    description_zh="对家庭中每名孤儿判断是否属于明天计划的救治对象（机构或散居、是否残疾、年龄）。",
    description_en="For each orphan of the household, whether the Tomorrow Plan covers them "
    "(institution or community, disability, age).",
)


# -- the county register (信息台账) -------------------------------------------------------------

#: A register id: letters, digits, ``-`` and ``_``; never a resident ID.
_CHILD_ID = r"[A-Za-z0-9][A-Za-z0-9_\-]{0,63}"
_CHILD_ID_RE = re.compile(_CHILD_ID)


@cache
def _ledger_schema() -> pa.Schema:
    """:data:`LEDGER_SCHEMA`, built on first use (it needs pyarrow)."""
    return pa.schema(
        [
            pa.field("child_id", pa.string(), nullable=False),
            pa.field("region", pa.string(), nullable=False),
            pa.field("township", pa.string(), nullable=False),
            pa.field("village", pa.string(), nullable=False),
            pa.field("categories", pa.list_(pa.string()), nullable=False),
            pa.field("supervisor", pa.string()),
            pa.field("director", pa.string()),
            pa.field("registered_on", pa.date32(), nullable=False),
            pa.field("last_review", pa.date32()),
            pa.field("next_review", pa.date32()),
        ]
    )


def _check_child_id(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _CHILD_ID_RE.fullmatch(value):
        raise ValidationError(
            [
                FieldError(
                    attribute.name,
                    "must be 1-64 letters, digits, '-' or '_' (台账编号格式不符)",
                    zh="台账编号应为1至64位字母、数字、“-”或“_”",
                )
            ]
        )
    if mask_text(value) != value:
        raise ValidationError(
            [
                FieldError(
                    attribute.name,
                    f"looks like a resident ID ({mask_text(value)}); use the register's own id "
                    "(台账编号不得使用身份证号码)",
                    "personal",
                    zh=f"台账编号不得使用身份证号码（{mask_text(value)}）",
                )
            ]
        )


def _check_categories(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    errors = [
        FieldError(
            f"{attribute.name}[{i}]",
            f"unknown category {mask_text(str(c))!r}; expected one of {', '.join(CATEGORIES)} "
            "(未知类别)",
            zh=f"未知类别 {mask_text(str(c))!r}，应为 {', '.join(CATEGORIES)} 之一",
        )
        for i, c in enumerate(value)
        if c not in CATEGORIES
    ]
    if len(set(value)) != len(value):
        errors.append(
            FieldError(attribute.name, "a category is listed twice (类别重复)", zh="类别重复")
        )
    if errors:
        raise ValidationError(errors)


def _categories(value: Any) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class LedgerEntry:
    """One row of the county register of left-behind and distressed children (信息台账).

    :param child_id: the register's own id of the child (never a resident ID).
    :param region: the county (GB/T 2260).
    :param township: the township or street (乡镇、街道) whose 儿童督导员 is responsible.
    :param village: the village or community (村、居) whose 儿童主任 is responsible.
    :param categories: the child's categories (:data:`CATEGORIES`).
    :param supervisor: the township's 儿童督导员, if appointed.
    :param director: the village's 儿童主任, if appointed.
    :param registered_on: when the child was entered.
    :param last_review: the last review (复核、走访), if any; not before *registered_on*.
    """

    child_id: str = attrs.field(validator=_check_child_id)
    region: str = region_field()
    township: str = text_field(max_length=64)
    village: str = text_field(max_length=64)
    categories: tuple[str, ...] = attrs.field(
        converter=_categories, validator=_check_categories, default=()
    )
    supervisor: str | None = text_field(max_length=64, optional=True)
    director: str | None = text_field(max_length=64, optional=True)
    registered_on: _dt.date = date_field()
    last_review: _dt.date | None = date_field(optional=True)

    def __attrs_post_init__(self) -> None:
        if self.last_review is not None and self.last_review < self.registered_on:
            raise ValidationError(
                [
                    FieldError(
                        "last_review",
                        f"{self.last_review} is before registered_on {self.registered_on} "
                        "(复核日期早于登记日期)",
                        zh=f"复核日期 {self.last_review} 早于登记日期 {self.registered_on}",
                    )
                ],
                what="ledger entry",
            )

    @property
    def id(self) -> str:
        """The record's id in check results: the ``child_id``."""
        return self.child_id

    @property
    def base_date(self) -> _dt.date:
        """The date the next review counts from: the last review, else the registration."""
        return self.last_review if self.last_review is not None else self.registered_on


def add_months(day: _dt.date, months: int) -> _dt.date:
    """*day* plus *months* calendar months, the day of the month kept where the month has it
    and the month's last day otherwise (31 May + 3 → 31 August; 30 November + 3 → 28 or 29
    February).

    >>> add_months(_dt.date(2023, 11, 30), 3), add_months(_dt.date(2024, 11, 30), 3)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    first_next = _dt.date(year + (month0 == 11), (month0 + 1) % 12 + 1, 1)
    last = (first_next - _dt.timedelta(days=1)).day
    return _dt.date(year, month0 + 1, min(day.day, last))


def _add_months_days(days: IntArray, months: IntArray) -> IntArray:
    """:func:`add_months` over day numbers (days since 1970-01-01), column-wise."""
    d = days.astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m.astype("datetime64[D]")).astype(np.int64)
    target = m + months.astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    out = target.astype("datetime64[D]") + np.minimum(dom, length - 1).astype("timedelta64[D]")
    result: IntArray = out.astype(np.int64)
    return result


def _interval(registry: Any, region: str, on: _dt.date) -> int | None:
    found = registry.standards.try_resolve(KEY_REVIEW_INTERVAL, region, on)
    return None if found is None else int(Decimal(found.value))


def _registry(registry: Any) -> Any:
    if registry is None:
        from civilaffairs.registry import get_registry

        return get_registry()
    return registry


def empty_ledger() -> pa.Table:
    """A register with no rows (:data:`LEDGER_SCHEMA`)."""
    return _ledger_schema().empty_table()


def review_dates(ledger: pa.Table, on: _dt.date | str, *, registry: Any = None) -> pa.Table:
    """*ledger* with ``next_review`` recomputed for every row, column-wise: the last review
    (else the registration) plus the review interval in force on *on* in the row's county
    (``children.review.interval``); null where no interval is set.
    """
    from civilaffairs.standards.values import parse_on

    day = parse_on(on)
    registry = _registry(registry)
    n = ledger.num_rows
    if n == 0:
        return ledger.cast(_ledger_schema())
    regions = pc.dictionary_encode(ledger.column("region").combine_chunks())
    codes = np.asarray(regions.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    months_by_region = np.array(
        [
            -1 if (v := _interval(registry, str(r), day)) is None else v
            for r in regions.dictionary.to_pylist()
        ],
        dtype=np.int64,
    )
    months = months_by_region[codes]
    base = pc.coalesce(ledger.column("last_review"), ledger.column("registered_on"))
    base_days = np.asarray(pc.cast(base, pa.int32()).to_numpy(zero_copy_only=False), dtype=np.int64)
    due = _add_months_days(base_days, np.maximum(months, 0))
    mask = months < 0
    column = pa.array(due.astype(np.int32), type=pa.int32(), mask=mask).cast(pa.date32())
    index = ledger.schema.get_field_index("next_review")
    return ledger.set_column(index, _ledger_schema().field("next_review"), column)


def _row(entry: LedgerEntry) -> dict[str, list[Any]]:
    return {
        "child_id": [entry.child_id],
        "region": [entry.region],
        "township": [entry.township],
        "village": [entry.village],
        "categories": [list(entry.categories)],
        "supervisor": [entry.supervisor],
        "director": [entry.director],
        "registered_on": [entry.registered_on],
        "last_review": [entry.last_review],
        "next_review": [None],
    }


def upsert_child(
    ledger: pa.Table, entry: LedgerEntry, on: _dt.date | str, *, registry: Any = None
) -> pa.Table:
    """*ledger* with *entry* added, or replacing the row of the same ``child_id`` in place,
    and its ``next_review`` computed (see :func:`review_dates`)."""
    if not isinstance(entry, LedgerEntry):
        raise CivilAffairsError(f"expected a LedgerEntry, got {type(entry).__name__}", path="entry")
    new = review_dates(pa.table(_row(entry), schema=_ledger_schema()), on, registry=registry)
    ledger = ledger.cast(_ledger_schema())
    hits = np.flatnonzero(
        np.asarray(
            pc.fill_null(pc.equal(ledger.column("child_id"), entry.child_id), False).to_numpy(
                zero_copy_only=False
            ),
            dtype=bool,
        )
    )
    if hits.size == 0:
        return pa.concat_tables([ledger, new])
    i = int(hits[0])
    return pa.concat_tables([ledger.slice(0, i), new, ledger.slice(i + 1)]).combine_chunks()


def remove_child(ledger: pa.Table, child_id: str) -> pa.Table:
    """*ledger* without the row of *child_id* (unchanged if there is none)."""
    keep = pc.invert(pc.fill_null(pc.equal(ledger.column("child_id"), child_id), False))
    return ledger.filter(keep)


def ledger_entries(ledger: pa.Table) -> list[LedgerEntry]:
    """The rows of *ledger* as :class:`LedgerEntry` objects (``next_review`` is derived, so
    it is not among their fields).

    :raises ValidationError: for a row that is not a valid entry, naming ``[row].field``.
    """
    out = []
    for i, row in enumerate(ledger.to_pylist()):
        data = {k: v for k, v in row.items() if k != "next_review"}
        data["categories"] = tuple(data.get("categories") or ())
        try:
            out.append(LedgerEntry(**data))
        except ValidationError as exc:
            raise ValidationError(
                [FieldError(f"[{i}].{e.path}", e.message, e.code, zh=e.zh) for e in exc.errors],
                what="ledger",
            ) from None
    return out


def _review_due(record: LedgerEntry, ctx: Context) -> None:
    """Whether the review of one register row is due on the check's date."""
    interval = _flag(ctx.standard(KEY_REVIEW_INTERVAL))
    base = record.base_date
    outcome = "not_tested"
    if interval is None:
        ctx.condition(
            "review.interval",
            None,
            zh="本地区未设置台账复核周期（{interval}），不作判断",
            en="no review interval is set for this region ({interval}), so it is not tested",
            basis=MINFA_2019_34,
            interval=None,
        )
    else:
        nxt = ctx.step(
            "next_review",
            "base + interval months (month end kept)",
            result=add_months(base, interval),
            base=base,
            interval=interval,
        )
        on_time = ctx.on < nxt
        ctx.condition(
            "review.on_time",
            on_time,
            zh="上次复核（或登记）{base}，每 {interval} 个月复核一次，下次复核 {next_review}；"
            "核查日 {on}" + ("尚未到期" if on_time else "已到期"),
            en="last review (or registration) {base}, every {interval} months, next review "
            "{next_review}; on {on} it is " + ("not yet due" if on_time else "due"),
            basis=MINFA_2019_34,
            base=base,
            interval=interval,
            next_review=nxt,
            on=ctx.on,
        )
        ctx.fact("next_review", nxt)
        ctx.fact("days_left", (nxt - ctx.on).days)
        outcome = "not_due" if on_time else "due"
    staffed = record.supervisor is not None and record.director is not None
    ctx.condition(
        "review.staff",
        staffed,
        zh="乡镇（街道）儿童督导员：{supervisor}；村（居）儿童主任：{director}",
        en="township child supervisor: {supervisor}; village child director: {director}",
        basis=MINFA_2019_34,
        supervisor=record.supervisor,
        director=record.director,
    )
    ctx.fact("township", record.township)
    ctx.fact("village", record.village)
    ctx.decide(record.child_id, outcome, passed=outcome == "not_due" and staffed)


REVIEW_DUE = Check(
    "children.review_due",
    "留守儿童和困境儿童台账复核到期核查",
    "register review of a left-behind or distressed child: due or not",
    LedgerEntry,
    _review_due,
    type_name="children_ledger_entry",
    basis=MINFA_2019_34,
    description_zh="对台账中的一名儿童，按复核周期计算下次复核日期，判断是否到期，并核对儿童督导员、"
    "儿童主任是否已明确。",
    description_en="For one child of the register, the next review date from the review "
    "interval, whether it is due, and whether the township supervisor and village director "
    "are named.",
)


# -- bulk classification -----------------------------------------------------------------------


@cache
def _classified_schema() -> pa.Schema:
    """:data:`CLASSIFIED_SCHEMA`, built on first use (it needs pyarrow)."""
    return pa.schema(
        [
            pa.field("row", pa.int64(), nullable=False),
            pa.field("household_id", pa.string(), nullable=False),
            pa.field("member", pa.int32(), nullable=False),
            pa.field("age", pa.int32(), nullable=False),
            # null: not tested (a value the rule needs is not set for the region)
            pa.field("left_behind", pa.bool_()),
            pa.field("poverty", pa.bool_(), nullable=False),
            pa.field("disability", pa.bool_(), nullable=False),
            pa.field("guardianship", pa.bool_(), nullable=False),
        ]
    )


class Classified(NamedTuple):
    """What :func:`classify_arrow` returns."""

    #: One row per child (:data:`CLASSIFIED_SCHEMA`).
    children: pa.Table
    #: One row per household left out, with the reason (the bulk errors table).
    errors: pa.Table


def _bit(kind: StatusKind) -> int:
    return 1 << list(StatusKind).index(kind)


def _bits(kinds: Iterable[StatusKind]) -> int:
    out = 0
    for k in kinds:
        out |= _bit(k)
    return out


def _np_bool(col: Any) -> BoolArray:
    return np.asarray(pc.fill_null(col, False).to_numpy(zero_copy_only=False), dtype=bool)


def _np_int(col: Any, fill: int) -> IntArray:
    if col.null_count:
        col = pc.fill_null(col, fill)
    return np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.int64)


def _region_values(
    registry: Any, codes: list[Any], key: str, day: _dt.date
) -> npt.NDArray[np.float64]:
    """The value of *key* for each region code (NaN where not set or not a region)."""
    out = np.full(len(codes), np.nan)
    for j, code in enumerate(codes):
        if code is None:
            continue
        try:
            found = registry.standards.try_resolve(key, str(code), day)
        except CivilAffairsError:
            continue
        if found is not None:
            out[j] = float(Decimal(found.value))
    return out


def _extra_codes(table: pa.Table, name: str, values: tuple[str, ...]) -> tuple[IntArray, BoolArray]:
    """Codes (position + 1, 0 for null) of an optional text column, and unknown values."""
    if name not in table.schema.names:
        return np.zeros(table.num_rows, np.int64), np.zeros(table.num_rows, bool)
    col = pc.cast(table.column(name), pa.string())
    idx = _np_int(pc.index_in(col, value_set=pa.array(values, pa.string())), -1) + 1
    valid = _np_bool(pc.is_valid(col))
    return idx, valid & (idx == 0)


def classify_arrow(
    households: pa.Table | pa.RecordBatch,
    persons: pa.Table | pa.RecordBatch,
    on: _dt.date | str,
    *,
    registry: Any = None,
) -> Classified:
    """Classify every child of a registry in the bulk input format, column by column.

    The tables are read and checked with :func:`civilaffairs.bulk.arrow.frame_from_arrow`
    (a bad household is left out and reported in :attr:`Classified.errors`); ages, deaths
    and statuses are then taken on *on* itself with numpy over the persons' columns, with no
    loop over children. Two optional columns carry the inputs the household format has
    beyond the bulk schema: ``poverty`` in the households table (``dibao``, ``tekun``,
    ``low_income`` or null) and ``harm`` in the persons table (a :class:`HarmKind` value of a
    verified report, or null). A household with an unknown value in either is an error row.

    The flags agree with the check ``children.classify`` on the same households (a test checks it):
    ``left_behind`` is null where the rule needs a value the region has not set.
    """
    from civilaffairs.bulk.arrow import frame_from_arrow
    from civilaffairs.bulk.schema import ERRORS_SCHEMA, conform, mask_identifiers
    from civilaffairs.periods import Month
    from civilaffairs.standards.values import parse_on

    day = parse_on(on)
    registry = _registry(registry)
    raw_hh = households if isinstance(households, pa.Table) else pa.Table.from_batches([households])
    raw_pp = persons if isinstance(persons, pa.Table) else pa.Table.from_batches([persons])
    hh = conform(raw_hh, "households").combine_chunks()
    pp = conform(raw_pp, "persons").combine_chunks()
    read = frame_from_arrow(hh, pp, Month.of(day))
    k, m = hh.num_rows, pp.num_rows

    # the persons' household rows (persons are grouped in the households' order)
    hids = hh.column("household_id").combine_chunks()
    hh_of = _np_int(pc.index_in(pp.column("household_id"), value_set=hids), -1)
    keep_h = np.zeros(k, dtype=bool)
    keep_h[read.rows] = True
    poverty_code, bad_poverty = _extra_codes(raw_hh, "poverty", tuple(p.value for p in Poverty))
    harm_code, bad_harm = _extra_codes(raw_pp, "harm", tuple(h.value for h in HarmKind))
    bad_h = keep_h & bad_poverty
    harm_hh = np.zeros(k, dtype=bool)
    harm_hh[hh_of[bad_harm & (hh_of >= 0)]] = True
    bad_h |= keep_h & harm_hh & ~bad_h
    errors = read.errors
    if bad_h.any():
        rows = np.flatnonzero(bad_h)
        reasons = [
            "poverty must be one of dibao, tekun, low_income (家庭困难认定取值无效)"
            if bad_poverty[i]
            else "a member's harm is not a known kind (伤害类型取值无效)"
            for i in rows.tolist()
        ]
        extra = pa.table(
            {
                "row": pa.array(rows, pa.int64()),
                "household_id": pc.take(hids, pa.array(rows)),
                "reason": pa.array(reasons, pa.string()),
            },
            schema=ERRORS_SCHEMA,
        )
        errors = pa.concat_tables([errors, extra]).sort_by("row")
        keep_h &= ~bad_h
    keep_p = (hh_of >= 0) & keep_h[np.maximum(hh_of, 0)]

    # ages, life and statuses on the day itself
    d = (day - _dt.date(1970, 1, 1)).days
    birth = _np_int(pc.cast(pp.column("birth_date"), pa.int32()), d + 1)
    died = _np_int(pc.cast(pp.column("died_on"), pa.int32()), np.iinfo(np.int32).max)
    b = birth.astype("datetime64[D]")
    years = b.astype("datetime64[Y]").astype(np.int64) + 1970
    md = (
        (b.astype("datetime64[M]").astype(np.int64) % 12 + 1) * 100
        + (b - b.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
        + 1
    )
    age = day.year - years - ((day.month * 100 + day.day) < md)
    child = keep_p & (birth <= d) & (d < died) & (age < ADULT_AGE)

    own = np.zeros(m, np.int64)
    father = np.zeros(m, np.int64)
    mother = np.zeros(m, np.int64)
    statuses = pp.column("statuses")
    if m and len(pc.list_flatten(statuses)):
        flat = pc.list_flatten(statuses)
        owner = _np_int(pc.list_parent_indices(statuses), 0)
        kinds = _np_int(
            pc.index_in(
                pc.struct_field(flat, "kind"), value_set=pa.array([s.value for s in StatusKind])
            ),
            -1,
        )
        parent = _np_int(
            pc.index_in(pc.struct_field(flat, "parent"), value_set=pa.array(["father", "mother"])),
            -1,
        )
        since = _np_int(pc.cast(pc.struct_field(flat, "since"), pa.int32()), -(2**31))
        live = (kinds >= 0) & (since <= d) & child[owner]
        bits = np.left_shift(np.int64(1), np.maximum(kinds, 0))
        for target, sel in (
            (own, live & (parent < 0)),
            (father, live & (parent == 0)),
            (mother, live & (parent == 1)),
        ):
            np.bitwise_or.at(target, owner[sel], bits[sel])

    ci = np.flatnonzero(child)
    hrow = hh_of[ci]
    residence = hh.column("residence")
    rural_h = _np_bool(pc.equal(residence, Residence.RURAL.value))
    regions = pc.dictionary_encode(hh.column("region").combine_chunks())
    region_idx = _np_int(regions.indices, 0)
    codes = regions.dictionary.to_pylist()
    limit_r = _region_values(registry, codes, KEY_AGE_LIMIT, day)
    unable_r = _region_values(registry, codes, KEY_UNABLE_PARENT, day)
    limit = limit_r[region_idx[hrow]]
    unable = unable_r[region_idx[hrow]]

    left = _left_behind_flags(age[ci], limit, rural_h[hrow], father[ci], mother[ci], unable)
    poverty = (poverty_code[hrow] > 0) | ((own[ci] & _bit(StatusKind.SUPPORTED_AS_TEKUN)) != 0)
    disability = (
        _np_bool(pc.is_valid(pp.column("disability_grade")))[ci]
        | _np_bool(pc.is_valid(pp.column("disability_category")))[ci]
    )
    guardianship = harm_code[ci] > 0

    first = np.full(k, -1, dtype=np.int64)
    valid_p = np.flatnonzero(hh_of >= 0)
    uniq, pos = np.unique(hh_of[valid_p], return_index=True)
    first[uniq] = valid_p[pos]
    member = ci - first[hrow]
    left_true, left_none = left
    table = pa.table(
        {
            "row": pa.array(hrow, pa.int64()),
            "household_id": pc.take(hids, pa.array(hrow)),
            "member": pa.array(member.astype(np.int32), pa.int32()),
            "age": pa.array(age[ci].astype(np.int32), pa.int32()),
            "left_behind": pa.array(left_true, pa.bool_(), mask=left_none),
            "poverty": pa.array(poverty, pa.bool_()),
            "disability": pa.array(disability, pa.bool_()),
            "guardianship": pa.array(guardianship, pa.bool_()),
        },
        schema=_classified_schema(),
    )
    return Classified(mask_identifiers(table), mask_identifiers(errors))


_AWAY = _bit(StatusKind.PARENT_WORKING_AWAY)
_INCAPABLE = _bits(INCAPABLE)
_UNABLE = _bits(UNABLE)


def _left_behind_flags(
    age: IntArray,
    limit: npt.NDArray[np.float64],
    rural: BoolArray,
    father: IntArray,
    mother: IntArray,
    unable: npt.NDArray[np.float64],
) -> tuple[BoolArray, BoolArray]:
    """The left-behind rule over columns: (applies, not tested), as :func:`_parents_case`
    and the age and residence conditions of :data:`CLASSIFY` decide it one child at a time."""
    fa = (father & _AWAY) != 0
    ma = (mother & _AWAY) != 0
    other = np.where(fa, mother, father)
    one = fa ^ ma
    incapable = one & ((other & _INCAPABLE) != 0)
    unable_case = one & ~incapable & ((other & _UNABLE) != 0)
    unable_set = ~np.isnan(unable)
    parents_true = (fa & ma) | incapable | (unable_case & unable_set & (unable == 1))
    parents_none = unable_case & ~unable_set
    limit_set = ~np.isnan(limit)
    age_true = limit_set & (age < np.where(limit_set, limit, 0))
    age_false = limit_set & ~age_true
    applies = age_true & rural & parents_true
    failed = age_false | ~rural | (~parents_true & ~parents_none)
    return applies, ~applies & ~failed


def classify_table(
    households: pa.Table, persons: pa.Table, on: _dt.date | str, *, registry: Any = None
) -> pa.Table:
    """One row per child (:data:`CLASSIFIED_SCHEMA`) of the registry in *households* and
    *persons*; households that cannot be read are left out (see :func:`classify_arrow` for
    them and for the optional ``poverty`` and ``harm`` columns)."""
    return classify_arrow(households, persons, on, registry=registry).children


# -- the module --------------------------------------------------------------------------------

MODULE = ServiceModule(
    "children",
    zh="农村留守儿童与困境儿童",
    en="Rural left-behind and distressed children",
    checks=(CLASSIFY, TOMORROW_PLAN, REVIEW_DUE),
    keys=(
        KeySpec(
            KEY_AGE_LIMIT,
            "农村留守儿童年龄上限（不满）",
            "left-behind child age limit (under)",
            Unit.YEARS,
            "A left-behind child is under this age.",
            GUOFA_2016_13,
        ),
        KeySpec(
            KEY_UNABLE_PARENT,
            "另一方无法履行监护责任是否计入留守（1是0否）",
            "a parent unable to fulfil guardianship counts (1 yes, 0 no)",
            Unit.COUNT,
            "1 where one parent working away and the other dead, missing, deprived of liberty, "
            "deported or stripped of guardianship makes a left-behind child (besides the "
            "nationally named serious illness and severe disability); 0 where it does not.",
            GUOFA_2016_13,
        ),
        KeySpec(
            KEY_REVIEW_INTERVAL,
            "台账复核周期",
            "register review interval",
            Unit.MONTHS,
            "Months from a child's last review (or registration) to the next one.",
            MINFA_2019_34,
        ),
        KeySpec(
            KEY_COMMUNITY_ORPHANS,
            "明天计划覆盖社会散居孤儿（1是0否）",
            "Tomorrow Plan covers community orphans (1 yes, 0 no)",
            Unit.COUNT,
            "1 where orphans living in the community are covered, 0 where only orphans in "
            "welfare institutions are.",
            TOMORROW_2019,
        ),
        KeySpec(
            KEY_ALL_ORPHANS,
            "明天计划覆盖所有孤儿（不限残疾，含满18周岁仍在校）（1是0否）",
            "Tomorrow Plan covers every orphan (1 yes, 0 no)",
            Unit.COUNT,
            "1 where every orphan is covered, disabled or not, and orphans still in school "
            "after 18; 0 where only disabled orphans under 18 are.",
            TOMORROW_2019,
        ),
    ),
    types=(ChildrenHousehold, HarmReport, LedgerEntry),
    description_zh="农村留守儿童和困境儿童的分类、信息台账复核与明天计划对象核查。",
    description_en="Classification of rural left-behind and distressed children, review of "
    "the county register and the Tomorrow Plan's target group.",
)

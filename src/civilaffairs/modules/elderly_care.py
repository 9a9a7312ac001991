"""养老服务与养老机构 (elderly care services and institutions): five checks.

* ``elderly_care.filing`` — an institution's filing (备案) under the 养老机构管理办法
  (民政部令第66号, in force 2020-11-01): an 养老机构 has at least 10 beds (art. 2), may
  serve once registered (art. 9), and files within 10 working days of taking in its first
  resident — a for-profit institution with the county civil-affairs department of its
  site, a non-profit one with the department at the level of its registration authority
  (art. 10) — with an application and a written commitment to building, fire, food,
  medical and special-equipment rules (arts. 4 and 11). The share of nursing beds
  (护理型床位) and the caregiver staffing ratios are provincial standards.
* ``elderly_care.grade`` — GB/T 37276-2018 养老机构等级划分与评定: grades 1–5 from four
  scored sections (环境, 设施设备, 运营管理, 服务). Their maximum points are registered from
  the ministry's implementation guide (provisional); the grade thresholds are keys with no
  national value, so the grade is *not set* until a province registers them.
* ``elderly_care.safety`` — GB 38600-2019 养老机构服务安全基本规范, mandatory from
  2022-01-01: staff training and patrols (ch. 4), risk assessment on admission (ch. 5), a
  prevention measure for each of the nine risks of chapter 6, emergency plans (ch. 7).
* ``elderly_care.subsidy`` — the care and service subsidies for economically difficult
  elderly people (财政部 民政部 全国老龄办 通知, 财社〔2014〕113号): amounts are provincial,
  by ability level (GB/T 42195-2022) and by economic status.
* ``elderly_care.admission_priority`` — the waiting list of a public institution: 特困 first,
  then low-income (低保, 低保边缘), then disabled, then of advanced age; within a class, by
  application date, then application number.

Every value a province sets is a standard key declared here (:data:`KEYS`); the national
values, each with its source, are in ``elderly_care.toml`` beside this file.
"""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from civilaffairs.checks import Check, Context
from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._institution import MAX_CAPACITY, OperatorType
from civilaffairs.domain._validators import (
    ID_PATTERN,
    bool_field,
    date_field,
    enum_field,
    identifier_field,
    int_field,
    items_field,
    record_field,
    region_field,
    text_field,
)
from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.ids import ResidentId, age_on
from civilaffairs.money import Money
from civilaffairs.programs.module import ServiceModule
from civilaffairs.standards.catalogue import KeySpec, Unit

__all__ = [
    "ADMISSION",
    "DISABLED_LEVELS",
    "FILING",
    "GRADE",
    "KEYS",
    "MEASURES_IN_FORCE",
    "MODULE",
    "SAFETY",
    "SAFETY_IN_FORCE",
    "SECTIONS",
    "SUBSIDY",
    "AbilityLevel",
    "AdmissionQueue",
    "Applicant",
    "EconomicStatus",
    "FilingRecord",
    "FireSafety",
    "GradeAssessment",
    "MedicalCare",
    "OfficeLevel",
    "PriorityClass",
    "ResidentsByLevel",
    "Risk",
    "SafetyAudit",
    "SubsidyApplication",
    "add_working_days",
]

#: The 养老机构管理办法 (民政部令第66号) is in force from this day.
MEASURES_IN_FORCE = _dt.date(2020, 11, 1)
#: GB 38600-2019 is mandatory from this day.
SAFETY_IN_FORCE = _dt.date(2022, 1, 1)

_MEASURES = "养老机构管理办法（民政部令第66号）"
_SAFETY = "GB 38600-2019 养老机构服务安全基本规范"
_GRADE = "GB/T 37276-2018 养老机构等级划分与评定"
_SUBSIDY = "财政部 民政部 全国老龄办 关于建立健全经济困难的高龄、失能等老年人补贴制度的通知"
_ADMISSION = "公办养老机构入住评估轮候（国家条文未核实）"
_MAX_PEOPLE = 10_000


# --- code lists ---------------------------------------------------------------------------


class OfficeLevel(LabelledEnum):
    """OfficeLevel of a civil-affairs department or registration authority (层级)."""

    COUNTY = "county"
    PREFECTURE = "prefecture"
    PROVINCE = "province"


label(OfficeLevel, COUNTY="县级", PREFECTURE="设区的市级", PROVINCE="省级")


class FireSafety(LabelledEnum):
    """The fire-safety document the institution holds for its building (消防手续)."""

    ACCEPTED = "accepted"
    FILED = "filed"
    NONE = "none"


label(FireSafety, ACCEPTED="消防验收合格", FILED="消防验收备案", NONE="无")


class MedicalCare(LabelledEnum):
    """How medical care is provided (医养结合方式)."""

    CLINIC = "clinic"
    AGREEMENT = "agreement"
    NONE = "none"


label(MedicalCare, CLINIC="内设医疗机构", AGREEMENT="与医疗卫生机构签约合作", NONE="无")


class AbilityLevel(LabelledEnum):
    """Ability level of an older person (老年人能力等级, GB/T 42195-2022)."""

    INTACT = "intact"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    TOTAL = "total"


label(
    AbilityLevel,
    INTACT="能力完好",
    MILD="轻度失能",
    MODERATE="中度失能",
    SEVERE="重度失能",
    TOTAL="完全失能",
)

#: The levels counted as disabled (失能): every level below 能力完好.
DISABLED_LEVELS: tuple[AbilityLevel, ...] = (
    AbilityLevel.MILD,
    AbilityLevel.MODERATE,
    AbilityLevel.SEVERE,
    AbilityLevel.TOTAL,
)


class Risk(LabelledEnum):
    """The nine service-safety risks of GB 38600-2019 chapter 6 (服务防护)."""

    CHOKING = "choking"
    MISINGESTION = "misingestion"
    PRESSURE_INJURY = "pressure_injury"
    SCALD = "scald"
    BED_FALL = "bed_fall"
    FALL = "fall"
    HARM = "harm"
    WANDERING = "wandering"
    ACTIVITY = "activity"


label(
    Risk,
    CHOKING="噎食",
    MISINGESTION="食品药品误食",
    PRESSURE_INJURY="压疮",
    SCALD="烫伤",
    BED_FALL="坠床",
    FALL="跌倒",
    HARM="他伤和自伤",
    WANDERING="走失",
    ACTIVITY="文娱活动意外",
)


class EconomicStatus(LabelledEnum):
    """Economic status of an older person (经济状况)."""

    TEKUN = "tekun"
    DIBAO = "dibao"
    MARGINAL = "marginal"
    NONE = "none"


label(EconomicStatus, TEKUN="特困人员", DIBAO="低保对象", MARGINAL="低保边缘", NONE="其他")


class PriorityClass(LabelledEnum):
    """Priority class on a public institution's waiting list, highest first (轮候类别)."""

    TEKUN = "tekun"
    LOW_INCOME = "low_income"
    DISABLED = "disabled"
    ADVANCED_AGE = "advanced_age"
    OTHER = "other"

    @property
    def order(self) -> int:
        """1 for the first class, 5 for the last."""
        return list(PriorityClass).index(self) + 1


label(
    PriorityClass,
    TEKUN="特困（兜底）",
    LOW_INCOME="低收入（低保、低保边缘）",
    DISABLED="失能",
    ADVANCED_AGE="高龄",
    OTHER="其他",
)


# --- standard keys ----------------------------------------------------------------------------


def _key(key: str, zh: str, en: str, unit: Unit, description: str, basis: str) -> KeySpec:
    return KeySpec(f"elderly_care.{key}", zh, en, unit, description, basis)


#: The grade sections of GB/T 37276-2018, in order.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("environment", "环境", "environment"),
    ("facilities", "设施设备", "facilities and equipment"),
    ("operations", "运营管理", "operations and management"),
    ("services", "服务", "services"),
)
_GRADES = (5, 4, 3, 2, 1)

#: The standard keys the module declares.
KEYS: tuple[KeySpec, ...] = (
    _key(
        "min_beds",
        "养老机构最少床位数",
        "minimum beds of an elderly-care institution",
        Unit.COUNT,
        "An institution with fewer beds is not an 养老机构 under the measures.",
        f"{_MEASURES} 第二条",
    ),
    _key(
        "filing.deadline_working_days",
        "备案期限（工作日）",
        "filing deadline in working days",
        Unit.DAYS,
        "Working days after the first resident is taken in within which the institution files.",
        f"{_MEASURES} 第十条",
    ),
    _key(
        "filing.min_nursing_bed_share",
        "护理型床位最低占比",
        "minimum share of nursing beds",
        Unit.RATIO,
        "Nursing beds as a share of all beds; set by provinces (no national per-institution rule).",
        "省级规定",
    ),
    *(
        _key(
            f"staffing.residents_per_caregiver.{level.value}",
            f"每名护理员照护老年人数（{level.zh}）",
            f"residents per caregiver ({level.value})",
            Unit.COUNT,
            "At most this many residents of the level per caregiver (养老护理员); provincial.",
            "省级规定",
        )
        for level in AbilityLevel
    ),
    *(
        _key(
            f"grade.max.{name}",
            f"等级评定{zh}分项满分",
            f"grade assessment: maximum points for {en}",
            Unit.COUNT,
            f"Maximum points of the {en} section of the grade assessment.",
            f"{_GRADE}；国家标准实施指南（试行）",
        )
        for name, zh, en in SECTIONS
    ),
    *(
        _key(
            f"grade.min_total.{g}",
            f"{g}级养老机构最低总分",
            f"minimum total points for grade {g}",
            Unit.COUNT,
            f"Total points an institution needs for grade {g}.",
            _GRADE,
        )
        for g in _GRADES
    ),
    *(
        _key(
            f"grade.min_section_share.{g}",
            f"{g}级养老机构各分项最低得分率",
            f"minimum share of each section's points for grade {g}",
            Unit.RATIO,
            f"Each section's points as a share of its maximum, at least this for grade {g}.",
            _GRADE,
        )
        for g in _GRADES
    ),
    *(
        _key(
            f"care_subsidy.by_level.{level.value}",
            f"经济困难失能老年人护理补贴（{level.zh}）",
            f"care subsidy for economically difficult disabled elderly ({level.value})",
            Unit.YUAN_PER_MONTH,
            "Monthly care subsidy by ability level (GB/T 42195-2022); provincial.",
            f"{_SUBSIDY}（财社〔2014〕113号）",
        )
        for level in DISABLED_LEVELS
    ),
    *(
        _key(
            f"service_subsidy.by_status.{status.value}",
            f"经济困难老年人养老服务补贴（{status.zh}）",
            f"service subsidy for economically difficult elderly ({status.value})",
            Unit.YUAN_PER_MONTH,
            "Monthly old-age service subsidy by economic status; provincial.",
            f"{_SUBSIDY}（财社〔2014〕113号）",
        )
        for status in (EconomicStatus.TEKUN, EconomicStatus.DIBAO, EconomicStatus.MARGINAL)
    ),
    _key(
        "subsidy.min_age",
        "老年人年龄下限",
        "age from which a person is elderly",
        Unit.YEARS,
        "Age from which a person is an older person (老年人).",
        "中华人民共和国老年人权益保障法 第二条",
    ),
    _key(
        "admission.advanced_age",
        "轮候高龄年龄",
        "advanced age on a waiting list",
        Unit.YEARS,
        "Age from which an applicant counts as of advanced age (高龄) on a waiting list.",
        "中华人民共和国老年人权益保障法 第三十三条（高龄津贴的年龄）",
    ),
)


# --- helpers ----------------------------------------------------------------------------------


def _bad(path: str, en: str, zh: str) -> ValidationError:
    return ValidationError([FieldError(path, f"{en} ({zh})", zh=zh, en=en)])


def _unique(values: Sequence[Any], path: str, what_en: str, what_zh: str) -> None:
    seen: set[Any] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise _bad(f"{path}[{i}]", f"{what_en} appears twice", f"{what_zh}重复")
        seen.add(value)


def add_working_days(
    start: _dt.date,
    n: int,
    holidays: Sequence[_dt.date] = (),
    workdays: Sequence[_dt.date] = (),
) -> _dt.date:
    """The *n*-th working day after *start* (the start day not counted).

    Working days are Monday to Friday, less *holidays* (public holidays falling on weekdays),
    plus *workdays* (weekend days worked in their place), both from the year's State Council
    holiday notice.

    >>> add_working_days(_dt.date(2024, 3, 1), 10)  # a Friday
    datetime.date(2024, 3, 15)
    >>> add_working_days(_dt.date(2024, 3, 1), 10, holidays=[_dt.date(2024, 3, 4)])
    datetime.date(2024, 3, 18)
    """
    off, on = set(holidays), set(workdays)
    day, counted = start, 0
    while counted < n:
        day += _dt.timedelta(days=1)
        if day in on or (day.weekday() < 5 and day not in off):
            counted += 1
    return day


def _share(part: int, whole: Decimal | int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


# --- 1. filing ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResidentsByLevel:
    """Residents by ability level (在住老年人按能力等级, GB/T 42195-2022)."""

    intact: int = int_field(minimum=0, maximum=MAX_CAPACITY, default=0)
    mild: int = int_field(minimum=0, maximum=MAX_CAPACITY, default=0)
    moderate: int = int_field(minimum=0, maximum=MAX_CAPACITY, default=0)
    severe: int = int_field(minimum=0, maximum=MAX_CAPACITY, default=0)
    total: int = int_field(minimum=0, maximum=MAX_CAPACITY, default=0)

    def count(self, level: AbilityLevel) -> int:
        """Residents of *level*."""
        found: int = getattr(self, level.value)
        return found

    @property
    def all(self) -> int:
        """All residents."""
        return sum(self.count(level) for level in AbilityLevel)


@attrs.frozen(kw_only=True)
class FilingRecord:
    """An elderly-care institution's filing record (养老机构备案信息).

    :param id: the institution's identifier (机构编号).
    :param region: county where its service site is (服务场所所在地).
    :param operator: public, private non-profit or for-profit (举办主体).
    :param registered_on: date of registration (登记日期), if registered.
    :param registration_level: level of its registration authority (登记管理机关层级), for a
        non-profit or public institution.
    :param first_admission_on: the day it took in its first resident (收住老年人之日).
    :param filed_on: date of filing (备案日期), if filed.
    :param filed_with: level of the civil-affairs department it filed with (备案机关层级).
    :param beds: beds (养老床位数); ``nursing_beds`` of them nursing beds (护理型床位).
    :param facility_area_m2: area of the service facilities in square metres (服务设施面积).
    :param site_rights_proof: proof of the right to use the site submitted (服务场所权属).
    :param commitment_signed: written commitment of art. 11 submitted (承诺书).
    :param fire_safety: fire-safety document of the building (消防手续).
    :param medical_care: clinic or agreement with a medical institution (医养结合).
    :param caregivers: caregivers employed (养老护理员人数).
    :param residents: residents by ability level.
    :param holidays: public holidays on weekdays in the filing period (法定节假日).
    :param workdays: weekend days worked in the filing period (调休上班日).
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    operator: OperatorType = enum_field(OperatorType)
    registered_on: _dt.date | None = date_field(optional=True)
    registration_level: OfficeLevel | None = enum_field(OfficeLevel, optional=True)
    first_admission_on: _dt.date | None = date_field(optional=True)
    filed_on: _dt.date | None = date_field(optional=True)
    filed_with: OfficeLevel | None = enum_field(OfficeLevel, optional=True)
    beds: int = int_field(minimum=0, maximum=MAX_CAPACITY)
    nursing_beds: int = int_field(minimum=0, maximum=MAX_CAPACITY, default=0)
    facility_area_m2: int | None = int_field(minimum=1, maximum=10_000_000, optional=True)
    site_rights_proof: bool = bool_field()
    commitment_signed: bool = bool_field()
    fire_safety: FireSafety = enum_field(FireSafety)
    medical_care: MedicalCare = enum_field(MedicalCare)
    caregivers: int = int_field(minimum=0, maximum=MAX_CAPACITY, default=0)
    residents: ResidentsByLevel = record_field(ResidentsByLevel, optional=False)
    holidays: tuple[_dt.date, ...] = items_field(_dt.date, max_items=366)
    workdays: tuple[_dt.date, ...] = items_field(_dt.date, max_items=366)

    def __attrs_post_init__(self) -> None:
        if self.nursing_beds > self.beds:
            raise _bad(
                "nursing_beds",
                f"{self.nursing_beds} nursing beds but only {self.beds} beds",
                f"护理型床位 {self.nursing_beds} 张，多于床位总数 {self.beds} 张",
            )
        if (
            self.filed_on is not None
            and self.first_admission_on is not None
            and self.filed_on < self.first_admission_on - _dt.timedelta(days=3650)
        ):
            raise _bad(
                "filed_on", "more than ten years before the first admission", "备案日期不合理"
            )


def _run_filing(record: FilingRecord, ctx: Context) -> None:
    if ctx.on < MEASURES_IN_FORCE:
        ctx.condition(
            "in_force",
            None,
            zh="养老机构管理办法自 {in_force} 起施行，核查日 {on} 不适用（此前为许可制，未建模）",
            en="the measures are in force from {in_force}; not applied on {on} "
            "(the earlier licensing regime is not modelled)",
            basis=_MEASURES,
            in_force=MEASURES_IN_FORCE,
            on=ctx.on,
        )
        ctx.decide(record.id, "not_in_force", passed=True)
        return
    min_beds = ctx.standard("elderly_care.min_beds")
    results: list[bool | None] = []
    results.append(
        ctx.condition(
            "min_beds",
            None if min_beds is None else record.beds >= min_beds,
            zh="床位 {beds} 张，养老机构至少 {min_beds} 张",
            en="{beds} beds; an elderly-care institution has at least {min_beds}",
            basis=f"{_MEASURES} 第二条",
            beds=record.beds,
            min_beds=min_beds,
        )
    )
    results.append(
        ctx.condition(
            "registered",
            record.registered_on is not None,
            zh="登记日期：{registered_on}（登记后即可开展服务活动）",
            en="registered on: {registered_on} (an institution may serve once registered)",
            basis=f"{_MEASURES} 第九条",
            registered_on=record.registered_on,
        )
    )
    results += _filing_deadline(record, ctx)
    results += _filing_office(record, ctx)
    results.append(
        ctx.condition(
            "application",
            record.site_rights_proof and record.facility_area_m2 is not None,
            zh="备案申请书：服务场所权属证明 {site_rights_proof}，服务设施面积 {area} 平方米",
            en="application: proof of the site's rights {site_rights_proof}, "
            "facility area {area} m²",
            basis=f"{_MEASURES} 第十一条",
            site_rights_proof=record.site_rights_proof,
            area=record.facility_area_m2,
        )
    )
    results.append(
        ctx.condition(
            "commitment",
            record.commitment_signed,
            zh="符合建筑、消防、食品安全、医疗卫生、特种设备要求的承诺书：{commitment}",
            en="written commitment to building, fire, food, medical and equipment rules: "
            "{commitment}",
            basis=f"{_MEASURES} 第四条、第十一条",
            commitment=record.commitment_signed,
        )
    )
    results.append(
        ctx.condition(
            "fire_safety",
            record.fire_safety is not FireSafety.NONE,
            zh="消防手续：{fire_safety}",
            en="fire-safety document: {fire_safety}",
            basis=f"{_MEASURES} 第四条（消防法律法规）",
            fire_safety=record.fire_safety.zh,
        )
    )
    results.append(
        ctx.condition(
            "medical_care",
            record.medical_care is not MedicalCare.NONE,
            zh="医养结合：{medical_care}",
            en="medical care: {medical_care}",
            basis=f"{_MEASURES}（医疗卫生服务；条号未核实）",
            medical_care=record.medical_care.zh,
        )
    )
    results.append(_nursing_beds(record, ctx))
    results.append(_staffing(record, ctx))
    passed = all(r is not False for r in results)
    ctx.decide(record.id, "compliant" if passed else "deficient", passed=passed)


def _filing_deadline(record: FilingRecord, ctx: Context) -> list[bool | None]:
    basis = f"{_MEASURES} 第十条"
    if record.first_admission_on is None:
        return [
            ctx.condition(
                "filed_in_time",
                None,
                zh="尚未收住老年人，备案期限未开始（备案日期：{filed_on}）",
                en="no resident taken in yet, so the filing period has not begun "
                "(filed: {filed_on})",
                basis=basis,
                filed_on=record.filed_on,
            )
        ]
    days = ctx.standard("elderly_care.filing.deadline_working_days")
    if days is None:
        return [
            ctx.condition(
                "filed_in_time",
                None,
                zh="备案期限未设定，未核查（收住老年人之日 {first_admission_on}）",
                en="filing deadline not set; not tested (first resident on {first_admission_on})",
                basis=basis,
                first_admission_on=record.first_admission_on,
            )
        ]
    deadline = ctx.step(
        "filing_deadline",
        "first_admission_on + working_days (Mon–Fri − holidays + workdays)",
        result=add_working_days(
            record.first_admission_on, int(days), record.holidays, record.workdays
        ),
        first_admission_on=record.first_admission_on,
        working_days=days,
        holidays=len(record.holidays),
        workdays=len(record.workdays),
    )
    ctx.fact("filing_deadline", deadline)
    if record.filed_on is not None:
        passed: bool | None = record.filed_on <= deadline
    elif ctx.on > deadline:
        passed = False
    else:
        passed = None
    out = [
        ctx.condition(
            "filed_in_time",
            passed,
            zh="收住老年人之日 {first_admission_on} 后 {days} 个工作日内备案，期限 {deadline}，"
            "备案日期 {filed_on}（核查日 {on}）",
            en="files within {days} working days of the first resident ({first_admission_on}): "
            "due {deadline}, filed {filed_on} (checked on {on})",
            basis=basis,
            first_admission_on=record.first_admission_on,
            days=days,
            deadline=deadline,
            filed_on=record.filed_on,
            on=ctx.on,
        )
    ]
    if record.filed_on is not None and record.registered_on is not None:
        out.append(
            ctx.condition(
                "filed_after_registration",
                record.filed_on >= record.registered_on,
                zh="备案日期 {filed_on} 不早于登记日期 {registered_on}",
                en="filed on {filed_on}, not before registration on {registered_on}",
                basis=f"{_MEASURES} 第九条、第十条",
                filed_on=record.filed_on,
                registered_on=record.registered_on,
            )
        )
    return out


def _filing_office(record: FilingRecord, ctx: Context) -> list[bool | None]:
    if record.filed_on is None:
        return []
    basis = f"{_MEASURES} 第十条"
    if record.operator is OperatorType.FOR_PROFIT:
        expected: OfficeLevel | None = OfficeLevel.COUNTY
        rule_zh, rule_en = "营利性养老机构向服务场所所在地县级民政部门备案", "for-profit: county"
    else:
        expected = record.registration_level
        rule_zh = "非营利性养老机构向登记管理机关同级的民政部门备案"
        rule_en = "non-profit: the level of its registration authority"
    return [
        ctx.condition(
            "filing_office",
            None
            if expected is None or record.filed_with is None
            else record.filed_with is expected,
            zh="{rule}：应为 {expected}，实为 {filed_with}",
            en="{rule_en}: expected {expected}, filed with {filed_with}",
            basis=basis,
            rule=rule_zh,
            rule_en=rule_en,
            expected=None if expected is None else expected.zh,
            filed_with=None if record.filed_with is None else record.filed_with.zh,
        )
    ]


def _nursing_beds(record: FilingRecord, ctx: Context) -> bool | None:
    minimum = ctx.standard("elderly_care.filing.min_nursing_bed_share")
    share = None
    if record.beds:
        share = ctx.step(
            "nursing_bed_share",
            "nursing_beds / beds",
            result=_share(record.nursing_beds, record.beds),
            nursing_beds=record.nursing_beds,
            beds=record.beds,
        )
    return ctx.condition(
        "nursing_bed_share",
        None if minimum is None or share is None else share >= minimum,
        zh="护理型床位占比 {share}，最低 {minimum}",
        en="nursing-bed share {share}, at least {minimum}",
        basis="省级规定（护理型床位占比）",
        share=share,
        minimum=minimum,
    )


def _staffing(record: FilingRecord, ctx: Context) -> bool | None:
    needed = Decimal(0)
    missing: list[str] = []
    operands: dict[str, Any] = {}
    for level in AbilityLevel:
        count = record.residents.count(level)
        if not count:
            continue
        ratio = ctx.standard(f"elderly_care.staffing.residents_per_caregiver.{level.value}")
        operands[f"residents.{level.value}"] = count
        operands[f"per_caregiver.{level.value}"] = ratio
        if ratio is None or ratio <= 0:
            missing.append(level.zh)
        else:
            needed += Decimal(count) / Decimal(ratio)
    required = None
    if not missing:
        required = ctx.step(
            "caregivers_required",
            "ceil(Σ residents.level / per_caregiver.level)",
            result=int(needed.to_integral_value(rounding="ROUND_CEILING")),
            **operands,
        )
    return ctx.condition(
        "caregivers",
        None if required is None else record.caregivers >= required,
        zh="养老护理员 {caregivers} 人，按能力等级配比需 {required} 人"
        "（未设定配比的等级：{missing}）",
        en="{caregivers} caregivers; needed by the ratios per ability level: {required} "
        "(levels with no ratio set: {missing})",
        basis="省级规定（护理员配比）",
        caregivers=record.caregivers,
        required=required,
        missing=missing or "—",
    )


#: The check ``elderly_care.filing``.
FILING = Check(
    "elderly_care.filing",
    "养老机构备案核查",
    "elderly-care institution filing",
    FilingRecord,
    _run_filing,
    type_name="elderly_care_filing",
    basis=f"{_MEASURES} 第二条、第九条至第十一条",
    description_zh="备案是否按时、向正确的民政部门提交，申请材料、承诺、消防、医养结合，"
    "以及省定的护理型床位占比和护理员配比。",
    description_en="Whether the filing was made in time with the right department, the "
    "application, commitment, fire safety and medical care, and the provincial nursing-bed "
    "share and caregiver ratios.",
)


# --- 2. grade -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class GradeAssessment:
    """The section scores of a grade assessment (等级评定得分, GB/T 37276-2018).

    :param applied_grade: the grade the institution applied for (申报等级), if any.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    environment: int = int_field(minimum=0, maximum=1000)
    facilities: int = int_field(minimum=0, maximum=1000)
    operations: int = int_field(minimum=0, maximum=1000)
    services: int = int_field(minimum=0, maximum=1000)
    applied_grade: int | None = int_field(minimum=1, maximum=5, optional=True)

    def score(self, section: str) -> int:
        """The points of *section* (``"environment"``, ...)."""
        found: int = getattr(self, section)
        return found


def _run_grade(record: GradeAssessment, ctx: Context) -> None:
    shares: dict[str, Decimal] = {}
    sections_ok = True
    for name, zh, en in SECTIONS:
        top = ctx.standard(f"elderly_care.grade.max.{name}")
        score = record.score(name)
        within = ctx.condition(
            f"section.{name}",
            None if top is None else score <= top,
            zh=f"{zh}得分 {{score}}，满分 {{top}}",
            en=f"{en}: {{score}} points of {{top}}",
            basis=_GRADE,
            score=score,
            top=top,
        )
        sections_ok = sections_ok and within is not False
        if top:
            shares[name] = ctx.step(
                f"share.{name}", f"{name} / max", result=_share(score, top), score=score, max=top
            )
    total = ctx.step(
        "total",
        "environment + facilities + operations + services",
        result=sum(record.score(name) for name, _, _ in SECTIONS),
        **{name: record.score(name) for name, _, _ in SECTIONS},
    )
    lowest = min(shares.values()) if len(shares) == len(SECTIONS) else None
    grade: int | None = None
    undetermined = False
    for g in _GRADES:
        min_total = ctx.standard(f"elderly_care.grade.min_total.{g}")
        min_share = ctx.standard(f"elderly_care.grade.min_section_share.{g}")
        reached: bool | None = None
        if min_total is not None and min_share is not None and lowest is not None:
            reached = total >= min_total and lowest >= min_share
        ctx.condition(
            f"grade_{g}",
            reached,
            zh=f"{g}级：总分 {{total}}，最低 {{min_total}}；各分项最低得分率 {{lowest}}，"
            "最低 {min_share}",
            en=f"grade {g}: total {{total}}, at least {{min_total}}; lowest section share "
            "{lowest}, at least {min_share}",
            basis=_GRADE,
            total=total,
            min_total=min_total,
            lowest=lowest,
            min_share=min_share,
        )
        if reached is None:
            undetermined = True
            break
        if reached:
            grade = g
            break
    if not sections_ok:
        outcome = "invalid_scores"
    elif undetermined:
        outcome = "not_set"
    elif grade is None:
        outcome = "below_grade_1"
    else:
        outcome = f"grade_{grade}"
    if grade is not None and record.applied_grade is not None and sections_ok:
        ctx.condition(
            "applied_grade",
            grade >= record.applied_grade,
            zh="申报 {applied} 级，评定 {grade} 级",
            en="applied for grade {applied}, assessed grade {grade}",
            basis=_GRADE,
            applied=record.applied_grade,
            grade=grade,
        )
    ctx.fact("grade", grade if sections_ok and not undetermined else None)
    ctx.decide(record.id, outcome, passed=sections_ok and grade is not None)


#: The check ``elderly_care.grade``.
GRADE = Check(
    "elderly_care.grade",
    "养老机构等级评定",
    "elderly-care institution grade",
    GradeAssessment,
    _run_grade,
    type_name="elderly_care_grade",
    basis=_GRADE,
    description_zh="由环境、设施设备、运营管理、服务四个分项得分评定一至五级；等级分数线由省级登记。",
    description_en="Grades 1 to 5 from four section scores; the grade thresholds are "
    "registered by provinces.",
)


# --- 3. safety --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SafetyAudit:
    """What a service-safety audit found (服务安全检查, GB 38600-2019).

    :param residents: residents at the audit; ``risk_assessed`` of them assessed for
        service-safety risks on admission (入住前服务安全风险评估).
    :param measures: the risks of chapter 6 for which a prevention measure is in place.
    :param caregivers: caregivers; ``caregivers_trained`` of them trained and qualified.
    :param patrol_and_handover: day-and-night patrol and shift-handover rules in place.
    :param emergency_plans: emergency plans in place (应急预案).
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    residents: int = int_field(minimum=0, maximum=MAX_CAPACITY)
    risk_assessed: int = int_field(minimum=0, maximum=MAX_CAPACITY)
    measures: tuple[Risk, ...] = items_field(Risk, max_items=len(Risk))
    caregivers: int = int_field(minimum=0, maximum=MAX_CAPACITY)
    caregivers_trained: int = int_field(minimum=0, maximum=MAX_CAPACITY)
    patrol_and_handover: bool = bool_field()
    emergency_plans: bool = bool_field()

    def __attrs_post_init__(self) -> None:
        if self.risk_assessed > self.residents:
            raise _bad(
                "risk_assessed",
                f"{self.risk_assessed} assessed but only {self.residents} residents",
                f"已评估 {self.risk_assessed} 人，多于在住 {self.residents} 人",
            )
        if self.caregivers_trained > self.caregivers:
            raise _bad(
                "caregivers_trained",
                f"{self.caregivers_trained} trained but only {self.caregivers} caregivers",
                f"培训合格 {self.caregivers_trained} 人，多于护理员 {self.caregivers} 人",
            )
        _unique(self.measures, "measures", "risk", "风险")


def _run_safety(record: SafetyAudit, ctx: Context) -> None:
    if ctx.on < SAFETY_IN_FORCE:
        ctx.condition(
            "in_force",
            None,
            zh="GB 38600-2019 自 {in_force} 起强制实施，核查日 {on} 尚未实施",
            en="GB 38600-2019 is mandatory from {in_force}; not yet in force on {on}",
            basis=_SAFETY,
            in_force=SAFETY_IN_FORCE,
            on=ctx.on,
        )
        ctx.decide(record.id, "not_in_force", passed=True)
        return
    results: list[bool | None] = []
    results.append(
        ctx.condition(
            "caregivers_trained",
            record.caregivers_trained == record.caregivers,
            zh="养老护理员 {caregivers} 人，经培训合格 {trained} 人",
            en="{caregivers} caregivers, {trained} trained and qualified",
            basis=f"{_SAFETY} 第4章 基本要求",
            caregivers=record.caregivers,
            trained=record.caregivers_trained,
        )
    )
    results.append(
        ctx.condition(
            "patrol_and_handover",
            record.patrol_and_handover,
            zh="昼夜巡查、交接班制度：{present}",
            en="day-and-night patrol and handover rules: {present}",
            basis=f"{_SAFETY} 第4章 基本要求",
            present=record.patrol_and_handover,
        )
    )
    results.append(
        ctx.condition(
            "risk_assessment",
            record.risk_assessed == record.residents,
            zh="在住 {residents} 人，入住前经服务安全风险评估 {assessed} 人",
            en="{residents} residents, {assessed} assessed for service-safety risks on admission",
            basis=f"{_SAFETY} 第5章 安全风险评估",
            residents=record.residents,
            assessed=record.risk_assessed,
        )
    )
    for risk in Risk:
        results.append(
            ctx.condition(
                f"prevention.{risk.value}",
                risk in record.measures,
                zh=f"防{risk.zh}措施：{{present}}",
                en=f"prevention of {risk.value.replace('_', ' ')}: {{present}}",
                basis=f"{_SAFETY} 第6章 服务防护（防{risk.zh}）",
                present=risk in record.measures,
            )
        )
    results.append(
        ctx.condition(
            "emergency_plans",
            record.emergency_plans,
            zh="应急预案：{present}",
            en="emergency plans: {present}",
            basis=f"{_SAFETY} 第7章 管理要求",
            present=record.emergency_plans,
        )
    )
    missing = [r.zh for r in Risk if r not in record.measures]
    ctx.fact("risks_without_measure", missing or "—")
    passed = all(r is not False for r in results)
    ctx.decide(record.id, "compliant" if passed else "deficient", passed=passed)


#: The check ``elderly_care.safety``.
SAFETY = Check(
    "elderly_care.safety",
    "养老机构服务安全检查",
    "elderly-care service safety",
    SafetyAudit,
    _run_safety,
    type_name="elderly_care_safety",
    basis=_SAFETY,
    description_zh="GB 38600-2019 自 2022-01-01 起的强制要求：培训、巡查、入住评估、"
    "九类风险防护、应急预案。",
    description_en="The mandatory requirements of GB 38600-2019 from 2022-01-01: training, "
    "patrols, admission assessment, the nine risks, emergency plans.",
)


# --- 4. subsidy -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SubsidyApplication:
    """An application for the elderly care or service subsidy (老年人补贴申请).

    :param ability_level: the applicant's assessed ability level (GB/T 42195-2022).
    :param economic_status: 特困, 低保, 低保边缘 or none of them.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    resident_id: ResidentId = identifier_field(ResidentId, optional=False)
    ability_level: AbilityLevel = enum_field(AbilityLevel)
    economic_status: EconomicStatus = enum_field(EconomicStatus)


def _run_subsidy(record: SubsidyApplication, ctx: Context) -> None:
    basis = f"{_SUBSIDY}（财社〔2014〕113号）"
    age = age_on(record.resident_id.birth_date, ctx.on)
    min_age = ctx.standard("elderly_care.subsidy.min_age")
    elderly = None if min_age is None else age >= min_age
    ctx.condition(
        "elderly",
        elderly,
        zh="年龄 {age} 岁，老年人为 {min_age} 周岁以上",
        en="aged {age}; an older person is {min_age} or over",
        basis="中华人民共和国老年人权益保障法 第二条",
        age=age,
        min_age=min_age,
    )
    poor = record.economic_status is not EconomicStatus.NONE
    ctx.condition(
        "economic_difficulty",
        poor,
        zh="经济状况：{status}（特困、低保、低保边缘视为经济困难）",
        en="economic status: {status} (特困, dibao and marginal count as difficult)",
        basis=basis,
        status=record.economic_status.zh,
    )
    granted: list[str] = []
    unset = False
    amounts: dict[str, Money] = {}
    disabled = record.ability_level in DISABLED_LEVELS
    ctx.condition(
        "disabled",
        disabled,
        zh="能力等级：{level}（轻度失能及更重的等级为失能）",
        en="ability level: {level} (mild disability or worse counts as disabled)",
        basis="GB/T 42195-2022 老年人能力评估规范",
        level=record.ability_level.zh,
    )
    if poor and elderly is not False:
        if disabled:
            care = ctx.standard(f"elderly_care.care_subsidy.by_level.{record.ability_level.value}")
            ctx.condition(
                "care_subsidy",
                None if care is None else True,
                zh="护理补贴（{level}）：{amount} 元/月",
                en="care subsidy ({level}): {amount} yuan a month",
                basis=basis,
                level=record.ability_level.zh,
                amount=care,
            )
            if care is None:
                unset = True
            else:
                granted.append("care_subsidy")
                amounts["care"] = care
        service = ctx.standard(
            f"elderly_care.service_subsidy.by_status.{record.economic_status.value}"
        )
        ctx.condition(
            "service_subsidy",
            None if service is None else True,
            zh="养老服务补贴（{status}）：{amount} 元/月",
            en="service subsidy ({status}): {amount} yuan a month",
            basis=basis,
            status=record.economic_status.zh,
            amount=service,
        )
        if service is None:
            unset = True
        else:
            granted.append("service_subsidy")
            amounts["service"] = service
    if granted:
        ctx.step(
            "monthly_total",
            " + ".join(amounts),
            result=sum(amounts.values(), Money(0)),
            **amounts,
        )
    if granted:
        outcome: str | list[str] = granted
    elif unset or (poor and elderly is None):
        outcome = "not_set"
    else:
        outcome = "not_eligible"
    ctx.decide(record.id, outcome, passed=bool(granted))


#: The check ``elderly_care.subsidy``.
SUBSIDY = Check(
    "elderly_care.subsidy",
    "经济困难老年人护理、服务补贴",
    "care and service subsidies for economically difficult elderly people",
    SubsidyApplication,
    _run_subsidy,
    type_name="elderly_care_subsidy",
    basis=f"{_SUBSIDY}（财社〔2014〕113号）",
    description_zh="按能力等级（GB/T 42195-2022）和经济状况查省定的补贴标准；国家未定金额。",
    description_en="Looks up the provincial amounts by ability level and economic status; "
    "there is no national amount.",
)


# --- 5. admission priority ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Applicant:
    """One applicant on a waiting list (轮候申请人).

    :param id: the application number (申请编号), shown in the decision.
    :param applied_on: date of application (申请日期), the tie-break within a class.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    resident_id: ResidentId = identifier_field(ResidentId, optional=False)
    applied_on: _dt.date = date_field()
    economic_status: EconomicStatus = enum_field(EconomicStatus)
    ability_level: AbilityLevel = enum_field(AbilityLevel)


def _distinct_applicants(items: Sequence[Any]) -> list[FieldError]:
    seen: set[str] = set()
    errors = []
    for i, item in enumerate(items):
        if item is None:
            continue
        if item.id in seen:
            errors.append(
                FieldError(
                    f"[{i}].id",
                    "application number appears twice (申请编号重复)",
                    zh="申请编号重复",
                    en="application number appears twice",
                )
            )
        seen.add(item.id)
    return errors


@attrs.frozen(kw_only=True)
class AdmissionQueue:
    """A public institution's waiting list (公办养老机构入住轮候名单).

    :param operator: who runs the institution; the priority rules are for public ones.
    :param vacancies: beds free now (空余床位), if the list is to be cut.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    operator: OperatorType = enum_field(OperatorType)
    vacancies: int | None = int_field(minimum=0, maximum=MAX_CAPACITY, optional=True)
    applicants: tuple[Applicant, ...] = items_field(
        Applicant, min_items=1, max_items=_MAX_PEOPLE, check=_distinct_applicants
    )

    def __attrs_post_init__(self) -> None:
        errors = _distinct_applicants(self.applicants)
        if errors:
            raise ValidationError(
                [attrs.evolve(e, path=f"applicants{e.path}") for e in errors], what="record"
            )


def _run_admission(record: AdmissionQueue, ctx: Context) -> None:
    if record.operator is not OperatorType.PUBLIC:
        ctx.condition(
            "public_institution",
            False,
            zh="举办主体：{operator}（入住评估轮候规则适用于公办养老机构）",
            en="operator: {operator} (the waiting-list rules are for public institutions)",
            basis=_ADMISSION,
            operator=record.operator.zh,
        )
        ctx.decide(record.id, "not_public", passed=False)
        return
    advanced = ctx.standard("elderly_care.admission.advanced_age")
    ranked: list[tuple[int, _dt.date, str, Applicant, PriorityClass, int]] = []
    for a in record.applicants:
        age = age_on(a.resident_id.birth_date, ctx.on)
        if a.economic_status is EconomicStatus.TEKUN:
            cls = PriorityClass.TEKUN
        elif a.economic_status in (EconomicStatus.DIBAO, EconomicStatus.MARGINAL):
            cls = PriorityClass.LOW_INCOME
        elif a.ability_level in DISABLED_LEVELS:
            cls = PriorityClass.DISABLED
        elif advanced is not None and age >= advanced:
            cls = PriorityClass.ADVANCED_AGE
        else:
            cls = PriorityClass.OTHER
        ranked.append((cls.order, a.applied_on, a.id, a, cls, age))
    ranked.sort(key=lambda r: r[:3])
    for rank, (_, applied_on, _, a, cls, age) in enumerate(ranked, start=1):
        ctx.condition(
            "tekun",
            a.economic_status is EconomicStatus.TEKUN,
            zh="特困人员（兜底保障，第一类）：{status}",
            en="特困 person (guaranteed, class 1): {status}",
            basis=_ADMISSION,
            status=a.economic_status.zh,
        )
        ctx.condition(
            "low_income",
            a.economic_status in (EconomicStatus.DIBAO, EconomicStatus.MARGINAL),
            zh="低保或低保边缘（第二类）：{status}",
            en="dibao or marginal (class 2): {status}",
            basis=_ADMISSION,
            status=a.economic_status.zh,
        )
        ctx.condition(
            "disabled",
            a.ability_level in DISABLED_LEVELS,
            zh="失能（第三类）：能力等级 {level}",
            en="disabled (class 3): ability level {level}",
            basis=f"{_ADMISSION}；GB/T 42195-2022",
            level=a.ability_level.zh,
        )
        ctx.condition(
            "advanced_age",
            None if advanced is None else age >= advanced,
            zh="高龄（第四类）：{age} 岁，高龄为 {advanced} 周岁以上",
            en="advanced age (class 4): aged {age}, advanced from {advanced}",
            basis=_ADMISSION,
            age=age,
            advanced=advanced,
        )
        same = sum(1 for r in ranked[: rank - 1] if r[4] is cls)
        ctx.condition(
            "tie_break",
            True,
            zh="同类按申请日期先后，同日按申请编号：申请日期 {applied_on}，"
            "同类排在前面的 {ahead} 人",
            en="within a class by application date, then application number: applied "
            "{applied_on}, {ahead} ahead in the same class",
            basis=_ADMISSION,
            applied_on=applied_on,
            ahead=same,
        )
        ctx.fact("rank", rank)
        ctx.fact("priority_class", cls.zh)
        outcome = [f"rank_{rank}", cls.value]
        if record.vacancies is not None:
            outcome.append("admit" if rank <= record.vacancies else "wait")
        ctx.decide(a.id, outcome, passed=True)


#: The check ``elderly_care.admission_priority``.
ADMISSION = Check(
    "elderly_care.admission_priority",
    "公办养老机构入住轮候排序",
    "public institution waiting-list priority",
    AdmissionQueue,
    _run_admission,
    type_name="elderly_care_admission",
    basis=_ADMISSION,
    description_zh="特困、低收入、失能、高龄依次优先，同类按申请日期，再按申请编号。",
    description_en="特困, then low-income, disabled and advanced age; within a class by "
    "application date, then application number.",
)


#: The service module, registered by the core.
MODULE = ServiceModule(
    id="elderly_care",
    zh="养老服务与养老机构",
    en="Elderly care services and institutions",
    checks=(FILING, GRADE, SAFETY, SUBSIDY, ADMISSION),
    keys=KEYS,
    types=(
        FilingRecord,
        ResidentsByLevel,
        GradeAssessment,
        SafetyAudit,
        SubsidyApplication,
        AdmissionQueue,
        Applicant,
    ),
    description_zh="养老机构备案、等级评定、服务安全检查，经济困难老年人补贴，公办养老机构入住轮候。",
    description_en="Institution filing, grading and safety checks; subsidies for economically "
    "difficult elderly people; the waiting list of public institutions.",
)

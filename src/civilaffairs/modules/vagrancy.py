"""Assistance to people living rough (流浪乞讨人员救助管理): admission, length of stay,
identification of unidentified long-stay persons, return home or transfer, and a station's
day-by-day occupancy.

Legal basis:

* 《城市生活无着的流浪乞讨人员救助管理办法》(国务院令第381号, 2003, in force 2003-08-01):
  art. 6 (a station helps those who qualify and gives its reasons to those who do not),
  art. 7 (food, lodging, hospital for sudden illness, contact with relatives, a ticket
  home), art. 11 (persuade to return home; care for disabled people, minors, the elderly
  and others with limited mobility; those whose address is found are fetched by relatives
  or their unit; those with no home are settled by the government of their household
  registration).
* 《城市生活无着的流浪乞讨人员救助管理办法实施细则》(民政部令第24号, 2003): art. 2 (who
  qualifies: cannot pay for food and lodging themselves, no relatives or friends to turn
  to, receive neither urban dibao nor rural 五保 support, and are living rough in the
  city; begging alone does not qualify), art. 5 (those who refuse to give a true account of
  themselves are refused; those who cannot give one because of age, youth or disability
  are helped first and their details established afterwards); the term of assistance is
  generally at most 10 days, and an extension for special reasons is reported to the
  civil-affairs department above (``vagrancy.stay.limit_days``).
* 民政部、公安部《关于加强生活无着流浪乞讨人员身份查询和照料安置工作的意见》(2015):
  a person not identified by a quick search has a public notice seeking relatives
  (寻亲公告) published within 24 hours of admission; the police take DNA samples on the
  station's request; those unidentified after more than 10 days in the station are long-stay
  persons (滞留人员) for whom care placements are arranged.

Checks: :data:`ADMISSION` (``vagrancy.admission``), :data:`STAY` (``vagrancy.stay``),
:data:`IDENTIFICATION` (``vagrancy.identification``), :data:`TRANSFER`
(``vagrancy.transfer``). :func:`occupancy` counts a station's stays day by day.

>>> import datetime as dt
>>> from civilaffairs.modules.vagrancy import ADMISSION, Applicant
>>> person = Applicant(id="V-1", region="110105", applied_on=dt.date(2025, 1, 6), age=15,
...     lacks_food_lodging=True, no_relatives=True, receives_dibao_or_wubao=False,
...     living_rough=True, gives_account=True)
>>> ADMISSION(person, "2025-01-06").decisions[0].outcome
'refer_minor'
"""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from civilaffairs._lazy import lazy_module
from civilaffairs.checks import Check, Context
from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._validators import (
    ID_PATTERN,
    UNREAD,
    bool_field,
    date_field,
    enum_field,
    int_field,
    items_field,
    region_field,
    text_field,
)
from civilaffairs.errors import CivilAffairsError, FieldError, ValidationError
from civilaffairs.programs.module import ServiceModule
from civilaffairs.standards.catalogue import KeySpec, Unit

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
else:  # only the occupancy report reads them: the checks of one case never do
    np = lazy_module("numpy")
    pa = lazy_module("pyarrow")

__all__ = [
    "ADMISSION",
    "IDENTIFICATION",
    "KEYS",
    "MODULE",
    "STAY",
    "TRANSFER",
    "Applicant",
    "Extension",
    "IdentificationCase",
    "OccupancyReport",
    "Stay",
    "Step",
    "StepKind",
    "TransferCase",
    "admission",
    "identification",
    "occupancy",
    "stay",
    "transfer",
]

_MEASURES = "救助管理办法（国务院令第381号）"
_RULES = "救助管理办法实施细则（民政部令第24号）"
_IDENTIFY = "民政部、公安部关于加强生活无着流浪乞讨人员身份查询和照料安置工作的意见（2015年）"

#: Upper bound of the days of one stay, and of extension reports and steps of one record.
MAX_DAYS = 36_600
MAX_ITEMS = 500


def _key(key: str, zh: str, en: str, unit: Unit, description: str, basis: str) -> KeySpec:
    return KeySpec(key, zh, en, unit, description, basis)


#: The standard keys the module declares.
KEYS: tuple[KeySpec, ...] = (
    _key(
        "vagrancy.minor_age",
        "未成年人年龄上限",
        "age of majority",
        Unit.YEARS,
        "A person younger than this is a minor and is referred to a minors' protection "
        "centre (未成年人救助保护机构).",
        "民法典第十七条",
    ),
    _key(
        "vagrancy.elderly_age",
        "老年人起始年龄",
        "age from which a person is elderly",
        Unit.YEARS,
        "A person of this age or older is elderly and is given care (照顾).",
        "老年人权益保障法第二条",
    ),
    _key(
        "vagrancy.stay.limit_days",
        "救助期限",
        "normal limit of a stay",
        Unit.DAYS,
        "Days a stay normally lasts at most; a longer stay is reported to the civil-affairs "
        "department above.",
        _RULES,
    ),
    _key(
        "vagrancy.identification.notice_hours",
        "发布寻亲公告时限",
        "time limit for a public notice seeking relatives",
        Unit.HOURS,
        "Hours after admission within which a notice seeking relatives is published for a "
        "person not identified by a quick search.",
        _IDENTIFY,
    ),
    _key(
        "vagrancy.identification.dna_days",
        "报请采集DNA时限",
        "time limit for requesting a DNA sample",
        Unit.DAYS,
        "Days after admission within which the station asks the police to take a DNA "
        "sample of an unidentified person. No national figure; provinces set it.",
        _IDENTIFY,
    ),
    _key(
        "vagrancy.identification.face_days",
        "人像比对时限",
        "time limit for a face-recognition search",
        Unit.DAYS,
        "Days after admission within which an unidentified person's photograph is searched "
        "by face recognition. No national figure; provinces set it.",
        _IDENTIFY,
    ),
    _key(
        "vagrancy.identification.long_stay_days",
        "滞留人员认定天数",
        "days after which an unidentified person is a long-stay person",
        Unit.DAYS,
        "An unidentified person in the station for more than this many days is a long-stay "
        "person (滞留人员), for whom DNA and face searches are required.",
        _IDENTIFY,
    ),
)


def _number(value: Any) -> int | None:
    return None if value is None else int(Decimal(value))


def _region_of(record: Any) -> str | None:
    return getattr(record, "region", None)


# ----------------------------------------------------------------------------------------
# admission


@attrs.frozen(kw_only=True)
class Applicant:
    """A person asking a station for help (求助人员).

    :param id: the station's case number.
    :param region: GB/T 2260 county code of the station.
    :param applied_on: date of the request.
    :param age: age in whole years, where known; ``None`` when it cannot be established.
    :param lacks_food_lodging: cannot pay for food and lodging themselves (自身无力解决食宿).
    :param no_relatives: has no relatives or friends to turn to (无亲友投靠).
    :param receives_dibao_or_wubao: receives urban dibao or rural 五保 support.
    :param living_rough: is living rough or begging in the city (正在城市流浪乞讨度日).
    :param gives_account: gives a true account of themselves (如实提供个人情况).
    :param disabled: has a disability (残疾).
    :param ill: is ill or has limited mobility (患病或行动不便).
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    applied_on: _dt.date = date_field()
    age: int | None = int_field(minimum=0, maximum=130, optional=True)
    lacks_food_lodging: bool = bool_field()
    no_relatives: bool = bool_field()
    receives_dibao_or_wubao: bool = bool_field()
    living_rough: bool = bool_field()
    gives_account: bool = bool_field()
    disabled: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    ill: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))


def admission(record: Applicant, ctx: Context) -> None:
    """Decide whether *record* is admitted (outcomes ``admit``, ``admit_with_care``,
    ``refer_minor`` or ``refuse``)."""
    minor_age = _number(ctx.standard("vagrancy.minor_age"))
    elderly_age = _number(ctx.standard("vagrancy.elderly_age"))
    age = record.age
    minor = None if age is None or minor_age is None else age < minor_age
    elderly = None if age is None or elderly_age is None else age >= elderly_age
    if age is not None:
        ctx.condition(
            "age_group",
            None if minor is None else True,
            zh="年龄 {age} 岁；未满 {minor_age} 岁为未成年人：{minor}；"
            "{elderly_age} 岁以上为老年人：{elderly}",
            en="aged {age}; under {minor_age} is a minor: {minor}; {elderly_age} or over is "
            "elderly: {elderly}",
            basis=f"{_MEASURES}第十一条",
            age=age,
            minor_age=minor_age,
            minor=minor,
            elderly_age=elderly_age,
            elderly=elderly,
        )
    if minor:
        ctx.fact("referral", "未成年人救助保护机构 / minors' protection centre")
        ctx.decide(record.id, "refer_minor", passed=True)
        return
    qualifies = [
        (
            "lacks_food_lodging",
            record.lacks_food_lodging,
            "自身无力解决食宿",
            "cannot pay for food and lodging themselves",
        ),
        (
            "no_relatives",
            record.no_relatives,
            "无亲友投靠",
            "has no relatives or friends to turn to",
        ),
        (
            "no_dibao_or_wubao",
            not record.receives_dibao_or_wubao,
            "不享受城市最低生活保障或者农村五保供养",
            "receives neither urban dibao nor rural 五保 support",
        ),
        (
            "living_rough",
            record.living_rough,
            "正在城市流浪乞讨度日",
            "is living rough in the city",
        ),
    ]
    for cid, holds, zh, en in qualifies:
        ctx.condition(
            cid,
            holds,
            zh=zh + "：{holds}",
            en=en + ": {holds}",
            basis=f"{_RULES}第二条",
            holds=holds,
        )
    special = bool(elderly) or record.disabled or record.ill or age is None
    if record.gives_account:
        ctx.condition(
            "gives_account",
            True,
            zh="如实提供个人情况：{gives_account}",
            en="gives a true account of themselves: {gives_account}",
            basis=f"{_RULES}第五条",
            gives_account=True,
        )
    else:
        unable = bool(elderly) or record.disabled or age is None
        ctx.condition(
            "gives_account",
            unable,
            zh="未提供个人情况；因年老、年幼、残疾等无法提供的先救助后查明：{unable}",
            en="gives no account; unable to because of age or disability, so helped first "
            "and details established afterwards: {unable}",
            basis=f"{_RULES}第五条",
            unable=unable,
        )
    eligible = all(holds for _, holds, _, _ in qualifies) and (record.gives_account or special)
    if eligible and special:
        ctx.condition(
            "care",
            True,
            zh="老年人 {elderly}、残疾 {disabled}、患病或行动不便 {ill}：给予照顾",
            en="elderly {elderly}, disabled {disabled}, ill or of limited mobility {ill}: "
            "given care",
            basis=f"{_MEASURES}第十一条",
            elderly=elderly,
            disabled=record.disabled,
            ill=record.ill,
        )
    if record.ill:
        ctx.fact("medical", "突发急病的及时送医院救治 / taken to hospital if acutely ill")
    outcome = ("admit_with_care" if special else "admit") if eligible else "refuse"
    ctx.decide(record.id, outcome, passed=eligible)


# ----------------------------------------------------------------------------------------
# stay


@attrs.frozen(kw_only=True)
class Extension:
    """A report of an extended stay to the civil-affairs department above (延期备案).

    :param reported_on: date the report was filed.
    :param until: last day of the stay the report covers.
    """

    reported_on: _dt.date = date_field()
    until: _dt.date = date_field()

    def __attrs_post_init__(self) -> None:
        if self.until < self.reported_on:
            raise ValidationError.single(
                "until",
                "is before the report's date (延期截止日早于备案日)",
                zh="延期截止日早于备案日",
            )


@attrs.frozen(kw_only=True)
class Stay:
    """One person's stay at a station (在站记录).

    :param id: the case number.
    :param region: GB/T 2260 county code of the station.
    :param admitted_on: date of admission (入站日期).
    :param left_on: date of leaving (离站日期); ``None`` while still present.
    :param extensions: reports of the extended stay, in any order.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    admitted_on: _dt.date = date_field()
    left_on: _dt.date | None = date_field(optional=True)
    extensions: tuple[Extension, ...] = items_field(Extension, max_items=MAX_ITEMS)

    def __attrs_post_init__(self) -> None:
        errors = self.check_rules({"admitted_on": self.admitted_on, "left_on": self.left_on})
        if errors:
            raise ValidationError(errors, what="stay")

    @staticmethod
    def check_rules(fields: Mapping[str, Any]) -> list[FieldError]:
        """Rules across fields: a stay does not end before it begins."""
        admitted = fields.get("admitted_on", UNREAD)
        left = fields.get("left_on", UNREAD)
        if isinstance(admitted, _dt.date) and isinstance(left, _dt.date) and left < admitted:
            return [
                FieldError(
                    "left_on",
                    "is before the date of admission (离站日期早于入站日期)",
                    zh="离站日期早于入站日期",
                )
            ]
        return []


def stay(record: Stay, ctx: Context) -> None:
    """Decide the status of *record*'s stay: ``within_limit``, ``extended_reported`` or
    ``over_limit_unreported`` (``not_determined`` when the limit is not set).

    The stay ends on ``left_on``, or on the day checked while the person is present. The
    limit runs from admission; a report filed no later than the last day already covered
    extends the covered period to its ``until``; a report filed later does not count.
    """
    end = record.left_on or ctx.on
    days = ctx.step(
        "days",
        "end - admitted_on",
        result=(end - record.admitted_on).days,
        end=end,
        admitted_on=record.admitted_on,
    )
    limit = _number(ctx.standard("vagrancy.stay.limit_days"))
    if limit is None:
        ctx.condition(
            "limit",
            None,
            zh="救助期限未设定（vagrancy.stay.limit_days），在站 {days} 天",
            en="the limit of a stay is not set (vagrancy.stay.limit_days); {days} days",
            basis=_RULES,
            days=days,
        )
        ctx.decide(record.id, "not_determined", passed=False)
        return
    covered = record.admitted_on + _dt.timedelta(days=limit)
    late: list[_dt.date] = []
    for report in sorted(record.extensions, key=lambda e: (e.reported_on, e.until)):
        if report.reported_on <= covered:
            covered = max(covered, report.until)
        else:
            late.append(report.reported_on)
    ctx.fact("covered_until", covered)
    if late:
        ctx.fact("late_reports", late)
    if days <= limit:
        ctx.condition(
            "within_limit",
            True,
            zh="在站 {days} 天，不超过救助期限 {limit} 天",
            en="{days} days, within the limit of {limit} days",
            basis=_RULES,
            days=days,
            limit=limit,
        )
        ctx.decide(record.id, "within_limit", passed=True)
        return
    reported = end <= covered
    ctx.condition(
        "extension_reported",
        reported,
        zh="在站 {days} 天，超过救助期限 {limit} 天；按期备案的延期至 {covered}，在站至 {end}",
        en="{days} days, over the limit of {limit} days; extensions reported in time cover "
        "the stay to {covered}, it runs to {end}",
        basis=_RULES,
        days=days,
        limit=limit,
        covered=covered,
        end=end,
    )
    ctx.decide(
        record.id, "extended_reported" if reported else "over_limit_unreported", passed=reported
    )


# ----------------------------------------------------------------------------------------
# identification


class StepKind(LabelledEnum):
    """A step taken to identify a person (寻亲措施)."""

    FINGERPRINT = "fingerprint"
    NOTICE = "notice"
    DNA = "dna"
    FACE = "face"
    POLICE_REPORT = "police_report"


label(
    StepKind,
    FINGERPRINT="指纹比对",
    NOTICE="发布寻亲公告",
    DNA="报请采集DNA",
    FACE="人像比对",
    POLICE_REPORT="报请公安机关核查",
)


@attrs.frozen(kw_only=True)
class Step:
    """One dated identification step.

    :param kind: what was done.
    :param on: the date it was done.
    """

    kind: StepKind = enum_field(StepKind)
    on: _dt.date = date_field()


@attrs.frozen(kw_only=True)
class IdentificationCase:
    """An unidentified person's search for relatives (寻亲记录).

    :param id: the case number.
    :param region: GB/T 2260 county code of the station.
    :param admitted_on: date of admission.
    :param identified_on: date the identity was established, if it was.
    :param left_on: date of leaving, if the person left.
    :param steps: the steps taken, in any order.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    admitted_on: _dt.date = date_field()
    identified_on: _dt.date | None = date_field(optional=True)
    left_on: _dt.date | None = date_field(optional=True)
    steps: tuple[Step, ...] = items_field(Step, max_items=MAX_ITEMS)

    def __attrs_post_init__(self) -> None:
        errors = [
            FieldError(name, "is before the date of admission (早于入站日期)", zh="早于入站日期")
            for name in ("identified_on", "left_on")
            if (value := getattr(self, name)) is not None and value < self.admitted_on
        ]
        errors += [
            FieldError(
                f"steps[{i}].on",
                "is before the date of admission (早于入站日期)",
                zh="早于入站日期",
            )
            for i, s in enumerate(self.steps)
            if s.on < self.admitted_on
        ]
        if errors:
            raise ValidationError(errors, what="identification case")


def identification(record: IdentificationCase, ctx: Context) -> None:
    """Check the identification steps of *record* against their periods.

    A notice seeking relatives is due within ``notice_hours`` of admission (rounded up to
    whole days, as records give dates). A person still unidentified after ``long_stay_days``
    is a long-stay person, for whom a DNA request and a face search are due within
    ``dna_days`` and ``face_days`` of admission. Each required step is done on time
    (passed), late or missing once due (failed), not yet due (not tested), or its period not
    set (not tested). Outcomes: ``identified``, ``steps_overdue``, ``steps_on_time``.
    """
    end = min(d for d in (record.identified_on, record.left_on, ctx.on) if d is not None)
    days = ctx.step(
        "days_unidentified",
        "end - admitted_on",
        result=(end - record.admitted_on).days,
        end=end,
        admitted_on=record.admitted_on,
    )
    first: dict[StepKind, _dt.date] = {}
    for s in record.steps:
        if s.kind not in first or s.on < first[s.kind]:
            first[s.kind] = s.on
    long_stay = _number(ctx.standard("vagrancy.identification.long_stay_days"))
    is_long = None if long_stay is None else days > long_stay
    ctx.condition(
        "long_stay",
        None if is_long is None else True,
        zh="未查明身份 {days} 天，滞留人员认定天数 {long_stay}：滞留人员 {is_long}",
        en="unidentified for {days} days; long-stay after {long_stay}: long-stay {is_long}",
        basis=_IDENTIFY,
        days=days,
        long_stay=long_stay,
        is_long=is_long,
    )
    required: list[tuple[StepKind, str, Any]] = []
    hours = _number(ctx.standard("vagrancy.identification.notice_hours"))
    required.append((StepKind.NOTICE, "notice_hours", None if hours is None else -(-hours // 24)))
    if is_long or (record.identified_on is None and is_long is None):
        for kind, name in ((StepKind.DNA, "dna_days"), (StepKind.FACE, "face_days")):
            required.append((kind, name, _number(ctx.standard(f"vagrancy.identification.{name}"))))
    overdue = False
    for kind, name, period in required:
        done = first.get(kind)
        if period is None:
            ctx.condition(
                kind.value,
                None,
                zh="{step}时限未设定（{key}）；完成日期 {done}",
                en="the period for {step_en} is not set ({key}); done on {done}",
                basis=_IDENTIFY,
                step=kind.zh,
                step_en=kind.value,
                key=f"vagrancy.identification.{name}",
                done=done or "—",
            )
            continue
        due = record.admitted_on + _dt.timedelta(days=period)
        if done is not None:
            passed: bool | None = done <= due
        elif record.identified_on is not None and record.identified_on <= due:
            passed = None  # identified before the step fell due
        elif ctx.on <= due:
            passed = None  # not yet due
        else:
            passed = False
        overdue = overdue or passed is False
        ctx.condition(
            kind.value,
            passed,
            zh="{step}应于 {due} 前完成（入站后 {period} 天内），完成日期 {done}",
            en="{step_en} due by {due} ({period} day(s) after admission), done on {done}",
            basis=_IDENTIFY,
            step=kind.zh,
            step_en=kind.value,
            due=due,
            period=period,
            done=done or "—",
        )
    if record.identified_on is not None:
        ctx.fact("identified_on", record.identified_on)
        outcome = "identified"
    else:
        outcome = "steps_overdue" if overdue else "steps_on_time"
    ctx.decide(record.id, outcome, passed=not overdue)


# ----------------------------------------------------------------------------------------
# transfer


@attrs.frozen(kw_only=True)
class TransferCase:
    """What happens when a person leaves the station (离站去向).

    :param id: the case number.
    :param region: GB/T 2260 county code of the station.
    :param identified: whether the identity is established.
    :param address_found: whether a home address (住所地) or unit is found.
    :param relatives_fetch: whether relatives or the unit will fetch the person (亲属接领).
    :param needs_care: disabled, a minor, elderly or of limited mobility (需要照顾).
    :param homeless: has no home to return to (无家可归).
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    identified: bool = bool_field()
    address_found: bool = bool_field()
    relatives_fetch: bool = bool_field()
    needs_care: bool = bool_field()
    homeless: bool = bool_field()


def transfer(record: TransferCase, ctx: Context) -> None:
    """Decide where *record* goes: ``return_home`` (with a ticket where needed),
    ``fetched_by_relatives``, ``escort_home``, ``settle_at_registration`` or
    ``care_placement`` (unidentified: placed in care while the search goes on)."""
    basis = f"{_MEASURES}第十一条"
    if not record.identified:
        ctx.condition(
            "identified",
            False,
            zh="身份未查明：{identified}；转入照料安置，继续寻亲",
            en="identity established: {identified}; placed in care while the search goes on",
            basis=_IDENTIFY,
            identified=False,
        )
        ctx.decide(record.id, "care_placement", passed=True)
        return
    if record.homeless or not record.address_found:
        ctx.condition(
            "homeless",
            True,
            zh="无家可归 {homeless}，查明住址 {address_found}：由户籍所在地人民政府妥善安置",
            en="no home {homeless}, address found {address_found}: settled by the "
            "government of the household registration",
            basis=basis,
            homeless=record.homeless,
            address_found=record.address_found,
        )
        ctx.decide(record.id, "settle_at_registration", passed=True)
        return
    if record.needs_care:
        ctx.condition(
            "needs_care",
            True,
            zh="需要照顾的受助人员已查明住址，通知亲属或者所在单位领回；亲属接领：{fetch}",
            en="a person needing care whose address is found: relatives or the unit are told "
            "to fetch them; relatives fetch: {fetch}",
            basis=basis,
            fetch=record.relatives_fetch,
        )
        outcome = "fetched_by_relatives" if record.relatives_fetch else "escort_home"
        ctx.decide(record.id, outcome, passed=True)
        return
    ctx.condition(
        "return_home",
        True,
        zh="劝导返回住所地或者所在单位；无交通费的提供乘车凭证（亲属接领：{fetch}）",
        en="persuaded to return home or to the unit, with a ticket if needed (relatives "
        "fetch: {fetch})",
        basis=f"{_MEASURES}第七条、第十一条",
        fetch=record.relatives_fetch,
    )
    ctx.decide(
        record.id,
        "fetched_by_relatives" if record.relatives_fetch else "return_home",
        passed=True,
    )


# ----------------------------------------------------------------------------------------
# occupancy


class OccupancyReport(NamedTuple):
    """A station's occupancy (:func:`occupancy`): the day-by-day counts and the rows that
    could not be counted."""

    #: One row per day: ``day`` (date32), ``present``, ``admitted``, ``left`` (int64).
    days: pa.Table
    #: One row per bad stay: ``row`` (int64, position in the input), ``reason`` (text).
    errors: pa.Table


def _day_numbers(column: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Days since the epoch (int64, 0 where null) and a validity mask of a date column."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not pa.types.is_date(array.type):
        raise CivilAffairsError(f"expected a date column, got {array.type}", path="stays")
    array = array.cast(pa.date32())
    valid = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    values = np.asarray(array.fill_null(0).cast(pa.int32()).to_numpy(), dtype=np.int64)
    return values, valid


def occupancy(stays: pa.Table, start: _dt.date, end: _dt.date) -> OccupancyReport:
    """Count a station's stays day by day from *start* to *end* inclusive.

    *stays* has a date column ``admitted_on`` and an optional date column ``left_on``
    (null: still present). A person is present on day *d* when admitted on or before *d*
    and not yet left (``admitted_on <= d < left_on``); ``admitted`` and ``left`` count
    admissions and departures on *d*. Rows with no admission date, or leaving before they
    were admitted, go to the errors table; the others are counted. The counting is
    column-wise (no loop per stay).

    >>> import datetime as dt, pyarrow as pa
    >>> t = pa.table({"admitted_on": [dt.date(2025, 1, 1), dt.date(2025, 1, 2)],
    ...               "left_on": [dt.date(2025, 1, 3), None]})
    >>> occupancy(t, dt.date(2025, 1, 1), dt.date(2025, 1, 4)).days["present"].to_pylist()
    [1, 2, 1, 1]
    """
    if end < start:
        raise CivilAffairsError("the end is before the start (结束日期早于开始日期)", path="end")
    if "admitted_on" not in stays.column_names:
        raise CivilAffairsError("stays has no admitted_on column", path="stays.admitted_on")
    n = (end - start).days + 1
    first = (start - _dt.date(1970, 1, 1)).days
    admitted, has_admitted = _day_numbers(stays.column("admitted_on"))
    if "left_on" in stays.column_names:
        left, has_left = _day_numbers(stays.column("left_on"))
    else:
        left = np.zeros(stays.num_rows, dtype=np.int64)
        has_left = np.zeros(stays.num_rows, dtype=bool)
    backwards = has_admitted & has_left & (left < admitted)
    good = has_admitted & ~backwards
    bad_rows = np.flatnonzero(~good)
    reasons = np.where(has_admitted[bad_rows], "left_before_admitted", "missing_admitted_on")
    errors = pa.table(
        {
            "row": pa.array(bad_rows, pa.int64()),
            "reason": pa.array(reasons.tolist(), pa.string()),
        }
    )
    a = admitted[good] - first
    out = np.where(has_left[good], left[good] - first, n)
    diff = np.bincount(np.clip(a, 0, n), minlength=n + 1) - np.bincount(
        np.clip(out, 0, n), minlength=n + 1
    )
    present = np.cumsum(diff)[:n]
    in_range = (a >= 0) & (a < n)
    admitted_count = np.bincount(a[in_range], minlength=n)[:n]
    gone = has_left[good] & (out >= 0) & (out < n)
    left_count = np.bincount(out[gone], minlength=n)[:n]
    days = pa.table(
        {
            "day": pa.array(np.arange(first, first + n, dtype=np.int32), pa.int32()).cast(
                pa.date32()
            ),
            "present": pa.array(present.astype(np.int64)),
            "admitted": pa.array(admitted_count.astype(np.int64)),
            "left": pa.array(left_count.astype(np.int64)),
        }
    )
    return OccupancyReport(days, errors)


# ----------------------------------------------------------------------------------------
# the module

#: The check ``vagrancy.admission`` (救助受理).
ADMISSION = Check(
    "vagrancy.admission",
    "流浪乞讨人员救助受理",
    "admission of a person living rough",
    Applicant,
    admission,
    type_name="applicant",
    basis=f"{_RULES}第二条、第五条；{_MEASURES}第六条、第十一条",
    description_zh="求助人员是否属于救助对象；未成年人转介未成年人救助保护机构。",
    description_en="Whether a person asking for help qualifies; minors are referred.",
    region_of=_region_of,
)

#: The check ``vagrancy.stay`` (救助期限).
STAY = Check(
    "vagrancy.stay",
    "救助期限核查",
    "length of stay",
    Stay,
    stay,
    type_name="stay",
    basis=_RULES,
    description_zh="在站天数是否超过救助期限，超期是否已报上级民政部门备案。",
    description_en="Whether a stay is within the limit, and extensions were reported upward.",
)

#: The check ``vagrancy.identification`` (寻亲).
IDENTIFICATION = Check(
    "vagrancy.identification",
    "身份查询与寻亲",
    "identification of unidentified persons",
    IdentificationCase,
    identification,
    type_name="identification",
    basis=_IDENTIFY,
    description_zh="身份不明的受助人员（含滞留人员）寻亲措施是否按期完成。",
    description_en="Whether the steps to identify an unidentified person were taken in time.",
)

#: The check ``vagrancy.transfer`` (离站去向).
TRANSFER = Check(
    "vagrancy.transfer",
    "返乡与转介安置",
    "return home or transfer to care",
    TransferCase,
    transfer,
    type_name="transfer",
    basis=f"{_MEASURES}第十一条",
    description_zh="受助人员返回住所地、由亲属接领、户籍地安置或转入照料安置。",
    description_en="Return home, fetching by relatives, settlement, or placement in care.",
)

#: The service module ``vagrancy`` (流浪乞讨人员救助管理).
MODULE = ServiceModule(
    id="vagrancy",
    zh="流浪乞讨人员救助管理",
    en="assistance to people living rough",
    checks=(ADMISSION, STAY, IDENTIFICATION, TRANSFER),
    keys=KEYS,
    types=(Applicant, Stay, Extension, IdentificationCase, Step, TransferCase),
    description_zh="救助受理、救助期限、身份查询与寻亲、返乡与转介安置，以及救助站逐日在站人数。",
    description_en="Admission, length of stay, identification, return home or transfer, and a "
    "station's day-by-day occupancy.",
)

"""Volunteer service (志愿服务): real-name registration, service records and their
certificate, star levels by hours, and audits of the records.

The rules and where they come from (志愿服务条例, 国务院令第685号, 2017-08-22, in force
2017-12-01, unless said otherwise):

* **Registration** (``volunteers.registration``): art. 7 — a volunteer registers his or her
  identity, skills, service time and contact details in the information system the
  ministry designates, alone or through a volunteer organisation, and the information is
  true, accurate and complete. A minor (under 18, 民法典 art. 17) registers with the
  guardian's consent (民法典 arts. 19 and 20) and serves only in activities suited to his
  or her age (条例 art. 15). A minimum age is not set nationally: a standard key.
* **Service records and their certificate** (``volunteers.record_certificate``): art. 19 —
  the organisation records the volunteer's basic information, service, training, awards
  and evaluation, and issues a certificate of the record free of charge and truthfully.
  :func:`render_certificate` prints it, the resident ID masked. Service time is counted
  in hours (志愿服务记录与证明出具办法（试行）, 民政部令第67号, in force 2021-02-01).
* **Star levels** by cumulative hours: keys ``volunteers.star.1`` … ``volunteers.star.5``.
  The 100/300/600/1000/1500-hour ladder is a Communist Youth League and provincial
  practice, not a national rule, so no national value is registered and the star level is
  "not set" until a province registers one.
* **Record audit** (``volunteers.record_audit``): the same volunteer in two activities at
  overlapping times, duplicate entries, and hours above the time the entry spans.

Resident IDs are masked in every output; volunteers' names never appear in messages.

>>> from civilaffairs.checks import run_check
>>> from civilaffairs.ids import ResidentId
>>> reg = VolunteerRegistration(id="V-1", region="110105",
...     id_number=ResidentId.parse("110105201001010010"), registered_on=_dt.date(2025, 3, 1),
...     contact=True, guardian_consent=True)
>>> result = run_check(REGISTRATION, reg, "2025-03-01")
>>> result.decisions[0].conditions[1].label("en")
'aged 15 on 2025-03-01, under 18: guardian consent given'
"""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from civilaffairs.checks import Check, CheckResult, Context
from civilaffairs.domain._privacy import scrubbed_repr
from civilaffairs.domain._validators import (
    ANY_LEVEL,
    ID_PATTERN,
    bool_field,
    date_field,
    fail,
    identifier_field,
    int_field,
    items_field,
    money_field,
    region_field,
    text_field,
)
from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.ids import ResidentId, age_on, mask_text
from civilaffairs.money import Money
from civilaffairs.programs.module import ServiceModule
from civilaffairs.standards.catalogue import KeySpec, Unit

__all__ = [
    "AUDIT",
    "CERTIFICATE",
    "KEYS",
    "MODULE",
    "REGISTRATION",
    "Activity",
    "LogEntry",
    "ServiceEntry",
    "ServiceLog",
    "VolunteerRecord",
    "VolunteerRegistration",
    "render_certificate",
    "star_level",
]

_ACT = "志愿服务条例（国务院令第685号）"
_CIVIL_CODE = "中华人民共和国民法典"
_RECORDS = "志愿服务记录与证明出具办法（试行）（民政部令第67号）"
#: Most minutes one entry may hold: a day.
MAX_MINUTES = 24 * 60
_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")

#: The standard keys this module declares.
KEYS: tuple[KeySpec, ...] = (
    KeySpec(
        "volunteers.adult_age",
        "成年年龄",
        "age of majority",
        Unit.YEARS,
        "Below this age a volunteer registers with the guardian's consent.",
        f"{_CIVIL_CODE}第十七条、第十九条、第二十条",
    ),
    KeySpec(
        "volunteers.min_age",
        "志愿者注册最低年龄",
        "minimum age to register as a volunteer",
        Unit.YEARS,
        "Youngest age at which a person may register. Not set nationally; provinces or the "
        "information system set it.",
        f"{_ACT}第七条、第十五条",
    ),
    *(
        KeySpec(
            f"volunteers.star.{n}",
            f"{n}星志愿者累计服务时间",
            f"{n}-star volunteer: cumulative hours",
            Unit.HOURS,
            f"Cumulative recorded service hours from which a volunteer is rated {n} star(s).",
            "星级志愿者认定（地方规定）",
        )
        for n in range(1, 6)
    ),
)


def _clock_field() -> Any:
    def check(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or not _CLOCK.fullmatch(value):
            fail(
                attribute,
                "must be a time of day HH:MM (时间格式应为 时:分)",
                zh="时间格式应为 时:分（00:00 至 24:00）",
            )

    return attrs.field(validator=check, metadata={"civilaffairs": {"type": "text"}})


def _minutes(clock: str) -> int:
    return int(clock[:2]) * 60 + int(clock[3:])


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


# ---------------------------------------------------------------------------------------------
# registration


@attrs.frozen(kw_only=True)
class VolunteerRegistration:
    """A volunteer's real-name registration (志愿者实名注册).

    :param id: the registration's identifier.
    :param region: GB/T 2260 code of where the volunteer registers.
    :param id_number: the resident ID (身份信息); masked in every output.
    :param registered_on: the date of registration.
    :param via: ``"self"`` (自行注册) or ``"organization"`` (通过志愿服务组织注册).
    :param contact: contact details were given (联系方式).
    :param skills: service skills (服务技能), optional.
    :param guardian_consent: for a minor, the guardian consented; left out: not tested.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field(levels=ANY_LEVEL)
    id_number: ResidentId = identifier_field(ResidentId, optional=False, repr=scrubbed_repr)
    registered_on: _dt.date = date_field()
    via: str = attrs.field(default="self")
    contact: bool = bool_field()
    skills: tuple[str, ...] = attrs.field(default=())
    guardian_consent: bool | None = bool_field(optional=True)

    @via.validator
    def _check_via(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in ("self", "organization"):
            fail(
                attribute,
                "must be one of: self, organization (取值无效)",
                zh="取值无效，应为 self（自行注册）或 organization（通过组织注册）",
            )

    def __attrs_post_init__(self) -> None:
        if self.registered_on < self.id_number.birth_date:
            raise ValidationError.single(
                "registered_on",
                "is before the birth date in id_number (注册日期早于出生日期)",
                "registered_on",
                zh="注册日期早于身份证号码中的出生日期",
            )


def _outcome(ctx: Context, subject: str) -> None:
    conditions = ctx._conditions
    if any(c.passed is False for c in conditions):
        ctx.decide(subject, "fails", passed=False)
    elif any(c.passed is None for c in conditions):
        ctx.decide(subject, "not_all_tested", passed=False)
    else:
        ctx.decide(subject, "meets_conditions", passed=True)


def _register(record: VolunteerRegistration, ctx: Context) -> None:
    basis = f"{_ACT}第七条"
    ctx.condition(
        "identity",
        True,
        zh="身份信息：{id_number}（公民身份号码校验通过）",
        en="identity: {id_number} (resident ID valid)",
        basis=basis,
        id_number=record.id_number.masked,
    )
    age = ctx.step(
        "age",
        "whole years from the birth date in id_number to registered_on",
        birth_date="(from id_number)",
        registered_on=record.registered_on,
        result=age_on(record.id_number.birth_date, record.registered_on),
    )
    adult = ctx.standard("volunteers.adult_age")
    minor_basis = f"{_CIVIL_CODE}第十九条、第二十条；{_ACT}第十五条"
    if adult is None:
        ctx.condition(
            "guardian",
            None,
            zh="标准 volunteers.adult_age 未设定，未核查监护人同意",
            en="standard volunteers.adult_age is not set: guardian consent not tested",
            basis=minor_basis,
        )
    elif age >= int(adult):
        ctx.condition(
            "guardian",
            True,
            zh="{on} 时 {age} 周岁，已满 {adult} 周岁，无须监护人同意",
            en="aged {age} on {on}, {adult} or over: no guardian consent needed",
            basis=minor_basis,
            age=age,
            adult=int(adult),
            on=record.registered_on,
        )
    else:
        consent = record.guardian_consent
        ctx.condition(
            "guardian",
            consent,
            zh="{on} 时 {age} 周岁，未满 {adult} 周岁：监护人同意" + _said(consent, "zh"),
            en="aged {age} on {on}, under {adult}: guardian consent " + _said(consent, "en"),
            basis=minor_basis,
            age=age,
            adult=int(adult),
            on=record.registered_on,
        )
        minimum = ctx.standard("volunteers.min_age")
        if minimum is None:
            ctx.condition(
                "min_age",
                None,
                zh="标准 volunteers.min_age 未设定，未核查最低注册年龄",
                en="standard volunteers.min_age is not set: minimum age not tested",
                basis=f"{_ACT}第十五条",
            )
        else:
            ctx.condition(
                "min_age",
                age >= int(minimum),
                zh="{age} 周岁，不低于最低注册年龄 {minimum} 周岁",
                en="aged {age}, at least the minimum age {minimum}",
                basis=f"{_ACT}第十五条",
                age=age,
                minimum=int(minimum),
            )
    ctx.condition(
        "contact",
        record.contact,
        zh="联系方式已填写：{contact}",
        en="contact details given: {contact}",
        basis=basis,
        contact=record.contact,
    )
    ctx.fact(
        "via", "自行注册 (self)" if record.via == "self" else "通过志愿服务组织 (organization)"
    )
    ctx.fact("skills", len(record.skills))
    _outcome(ctx, record.id_number.masked)


def _said(value: bool | None, lang: str) -> str:
    if lang == "zh":
        return "：未填写，未核查" if value is None else "：已取得" if value else "：未取得"
    return "not recorded: not tested" if value is None else "given" if value else "not given"


REGISTRATION = Check(
    "volunteers.registration",
    "志愿者实名注册",
    "real-name registration of a volunteer",
    VolunteerRegistration,
    _register,
    type_name="volunteer_registration",
    basis=f"{_ACT}第七条；{_CIVIL_CODE}第十九条、第二十条",
    description_zh="身份信息、联系方式；未成年人须经监护人同意，最低注册年龄由各地设定。",
    description_en="Identity and contact; a minor needs the guardian's consent; the minimum "
    "age is set locally.",
)

# ---------------------------------------------------------------------------------------------
# service records and their certificate


@attrs.frozen(kw_only=True)
class ServiceEntry:
    """One recorded piece of service (志愿服务情况).

    :param activity_id: the activity's identifier.
    :param date: the day served.
    :param content: what was done (服务内容).
    :param minutes: service time in minutes, without travel (服务时长).
    :param evaluation: the organisation's evaluation (评价情况), optional.
    """

    activity_id: str = text_field(max_length=64, pattern=ID_PATTERN)
    date: _dt.date = date_field()
    content: str = text_field(max_length=200)
    minutes: int = int_field(minimum=1, maximum=MAX_MINUTES)
    evaluation: str | None = text_field(max_length=200, optional=True)


@attrs.frozen(kw_only=True)
class VolunteerRecord:
    """A volunteer's service record held by an organisation, and a request for its
    certificate (志愿服务记录与证明申请).

    :param id: the request's identifier.
    :param region: GB/T 2260 code of the organisation's area.
    :param organization: the organisation's name (志愿服务组织).
    :param id_number: the volunteer's resident ID; masked in every output.
    :param name: the volunteer's name, printed on the certificate masked after the first
        character; never in messages.
    :param requested_on: the date of the request.
    :param entries: the recorded service.
    :param trainings: training recorded (培训情况), by title.
    :param awards: commendations recorded (表彰奖励情况), by title.
    :param fee: what the organisation asks for the certificate; must be nothing (无偿).
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field(levels=ANY_LEVEL)
    organization: str = text_field(max_length=200)
    id_number: ResidentId = identifier_field(ResidentId, optional=False, repr=scrubbed_repr)
    name: str = text_field(max_length=50, repr=scrubbed_repr, personal=True)
    requested_on: _dt.date = date_field()
    entries: tuple[ServiceEntry, ...] = items_field(ServiceEntry, max_items=10_000)
    trainings: tuple[str, ...] = attrs.field(default=())
    awards: tuple[str, ...] = attrs.field(default=())
    fee: Money = money_field(default=Money())

    def __attrs_post_init__(self) -> None:
        errors = [
            FieldError(
                f"entries[{i}].date",
                "is after the date of the request (服务日期晚于申请日期)",
                zh="服务日期晚于申请日期",
            )
            for i, e in enumerate(self.entries)
            if e.date > self.requested_on
        ]
        if errors:
            raise ValidationError(errors, what="service record")


def star_level(hours: Decimal, thresholds: Sequence[Decimal | None]) -> int | None:
    """The star level (1-5) for *hours* against the five thresholds, ``0`` below the first,
    ``None`` when any threshold is not set.

    >>> star_level(Decimal("650"), [Decimal(h) for h in (100, 300, 600, 1000, 1500)])
    3
    >>> star_level(Decimal("650"), [None] * 5) is None
    True
    """
    if any(t is None for t in thresholds):
        return None
    return sum(1 for t in thresholds if t is not None and hours >= t)


def _mask_name(name: str) -> str:
    return name[0] + "*" * max(len(name) - 1, 1)


def _certificate(record: VolunteerRecord, ctx: Context) -> None:
    basis = f"{_ACT}第十九条"
    ctx.condition(
        "recorded",
        len(record.entries) > 0,
        zh="有志愿服务记录 {count} 条",
        en="{count} service entries recorded",
        basis=basis,
        count=len(record.entries),
    )
    ctx.condition(
        "free",
        not record.fee,
        zh="出具证明收费 {fee} 元，应无偿出具",
        en="fee {fee} yuan for the certificate; it is issued free of charge",
        basis=basis + "第二款",
        fee=record.fee,
    )
    minutes = ctx.step(
        "total_minutes",
        "sum of entries' minutes",
        entries=len(record.entries),
        result=sum(e.minutes for e in record.entries),
    )
    hours = ctx.step(
        "total_hours", "total_minutes ÷ 60", total_minutes=minutes, result=_hours(minutes)
    )
    thresholds = [ctx.standard(f"volunteers.star.{n}") for n in range(1, 6)]
    level = star_level(hours, [None if t is None else Decimal(t) for t in thresholds])
    if level is None:
        ctx.fact("star_level", None)
    else:
        ctx.step(
            "star_level",
            "number of volunteers.star.n thresholds reached",
            total_hours=hours,
            thresholds=[str(t) for t in thresholds],
            result=level,
        )
        ctx.fact("star_level", level)
    ctx.fact("volunteer", _mask_name(record.name))
    ctx.fact("id_number", record.id_number.masked)
    ctx.fact("organization", record.organization)
    ctx.fact("activities", len({e.activity_id for e in record.entries}))
    if record.entries:
        ctx.fact("first_service", min(e.date for e in record.entries))
        ctx.fact("last_service", max(e.date for e in record.entries))
    ctx.fact("trainings", len(record.trainings))
    ctx.fact("awards", len(record.awards))
    evaluations = [e.evaluation for e in record.entries if e.evaluation]
    ctx.fact("evaluations", len(evaluations))
    ok = all(c.passed for c in ctx._conditions)
    ctx.decide(record.id, "certificate" if ok else "refused", passed=ok)


CERTIFICATE = Check(
    "volunteers.record_certificate",
    "志愿服务记录证明",
    "certificate of a volunteer's service record",
    VolunteerRecord,
    _certificate,
    type_name="service_record",
    basis=f"{_ACT}第十九条；{_RECORDS}",
    description_zh="依据志愿服务记录无偿、如实出具证明：服务时长合计、星级（已设定时）。",
    description_en="A certificate issued free and truthfully from the record: total hours "
    "and, where set, the star level.",
)


_CERT_TEXT = {
    "zh": {
        "title": "志愿服务记录证明",
        "refused": "不予出具：",
        "volunteer": "志愿者",
        "id_number": "公民身份号码",
        "organization": "出具组织",
        "period": "服务期间",
        "activities": "参加活动",
        "hours": "志愿服务时间合计",
        "star": "星级",
        "not_set": "未设定",
        "trainings": "培训记录",
        "awards": "表彰奖励",
        "number": "证明编号",
        "date": "出具日期",
        "basis": "依据",
        "unit_hours": "小时",
        "unit_items": "项",
        "note": "本证明依据志愿服务记录无偿、如实出具。",
    },
    "en": {
        "title": "Certificate of volunteer service record",
        "refused": "Not issued: ",
        "volunteer": "Volunteer",
        "id_number": "Resident ID",
        "organization": "Issued by",
        "period": "Period of service",
        "activities": "Activities",
        "hours": "Total service time",
        "star": "Star level",
        "not_set": "not set",
        "trainings": "Training recorded",
        "awards": "Commendations",
        "number": "Certificate no.",
        "date": "Date of issue",
        "basis": "Basis",
        "unit_hours": "hours",
        "unit_items": "",
        "note": "Issued free of charge and truthfully from the volunteer service record.",
    },
}


def render_certificate(result: CheckResult, lang: str = "zh") -> str:
    """The certificate of a ``volunteers.record_certificate`` result as printable plain text,
    the resident ID masked; a refusal prints the conditions that failed.

    :raises CivilAffairsError: for a result of another check.
    """
    from civilaffairs.errors import CivilAffairsError

    if result.check != CERTIFICATE.id:
        raise CivilAffairsError(
            f"not a {CERTIFICATE.id} result: {result.check}",
            zh=f"不是 {CERTIFICATE.id} 的核查结果：{result.check}",
        )
    t = _CERT_TEXT["zh" if lang == "zh" else "en"]
    (decision,) = result.decisions
    if not decision.passed:
        failed = "; ".join(c.label(lang) for c in decision.conditions if c.passed is False)
        return mask_text(f"{t['title']}\n{t['refused']}{failed}\n")
    f = decision.facts
    hours = next(s.result for s in decision.steps if s.name == "total_hours")
    star = f.get("star_level", "not set")
    star_shown = t["not_set"] if star == "not set" else star
    width = 28
    lines = [
        t["title"].center(width),
        "",
        f"{t['volunteer']}: {f['volunteer']}",
        f"{t['id_number']}: {f['id_number']}",
        f"{t['organization']}: {f['organization']}",
        f"{t['period']}: {f.get('first_service', '—')} – {f.get('last_service', '—')}",
        f"{t['activities']}: {f['activities']} {t['unit_items']}".rstrip(),
        f"{t['hours']}: {hours} {t['unit_hours']}",
        f"{t['star']}: {star_shown}",
        f"{t['trainings']}: {f['trainings']} {t['unit_items']}".rstrip(),
        f"{t['awards']}: {f['awards']} {t['unit_items']}".rstrip(),
        "",
        f"{t['number']}: {result.record}",
        f"{t['date']}: {result.on.isoformat()}",
        f"{t['basis']}: {CERTIFICATE.basis}",
        t["note"],
    ]
    return mask_text("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------
# record audit


@attrs.frozen(kw_only=True)
class Activity:
    """A volunteer activity and its span (志愿服务活动).

    :param id: the activity's identifier.
    :param date: the day it took place.
    :param start: when it began, ``HH:MM``.
    :param end: when it ended, ``HH:MM`` (``24:00`` for midnight).
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    date: _dt.date = date_field()
    start: str = _clock_field()
    end: str = _clock_field()

    def __attrs_post_init__(self) -> None:
        if _minutes(self.end) <= _minutes(self.start):
            raise ValidationError.single(
                "end",
                "is not after start (结束时间不晚于开始时间)",
                "end",
                zh="结束时间不晚于开始时间",
            )


@attrs.frozen(kw_only=True)
class LogEntry:
    """One entry of a service log: a volunteer's time in an activity.

    :param id: the entry's identifier.
    :param id_number: the volunteer's resident ID; masked in every output.
    :param activity_id: the activity.
    :param start: when the volunteer began, ``HH:MM``; the activity's start if left out.
    :param end: when the volunteer ended, ``HH:MM``; the activity's end if left out.
    :param minutes: the service time recorded, in minutes.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    id_number: ResidentId = identifier_field(ResidentId, optional=False, repr=scrubbed_repr)
    activity_id: str = text_field(max_length=64, pattern=ID_PATTERN)
    start: str | None = attrs.field(default=None)
    end: str | None = attrs.field(default=None)
    minutes: int = int_field(minimum=0, maximum=MAX_MINUTES)

    @start.validator
    @end.validator
    def _check_clock(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and (not isinstance(value, str) or not _CLOCK.fullmatch(value)):
            fail(
                attribute,
                "must be a time of day HH:MM (时间格式应为 时:分)",
                zh="时间格式应为 时:分（00:00 至 24:00）",
            )


@attrs.frozen(kw_only=True)
class ServiceLog:
    """An organisation's service log to audit (志愿服务记录核查).

    :param id: the log's identifier.
    :param region: GB/T 2260 code of the organisation's area.
    :param activities: the activities.
    :param entries: the entries.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field(levels=ANY_LEVEL)
    activities: tuple[Activity, ...] = items_field(Activity, max_items=10_000)
    entries: tuple[LogEntry, ...] = items_field(LogEntry, max_items=100_000)

    def __attrs_post_init__(self) -> None:
        known = {a.id for a in self.activities}
        errors: list[FieldError] = []
        seen: set[str] = set()
        for i, a in enumerate(self.activities):
            if a.id in seen:
                errors.append(
                    FieldError(
                        f"activities[{i}].id",
                        "appears twice (活动编号重复)",
                        zh="活动编号重复",
                    )
                )
            seen.add(a.id)
        by_id = {a.id: a for a in self.activities}
        for i, e in enumerate(self.entries):
            if e.activity_id not in known:
                errors.append(
                    FieldError(
                        f"entries[{i}].activity_id",
                        "names no activity of the log (活动不存在)",
                        zh="记录所指的活动不在活动清单中",
                    )
                )
                continue
            begin, finish = _span(e, by_id)
            if finish <= begin:
                errors.append(
                    FieldError(
                        f"entries[{i}].end",
                        "is not after start (结束时间不晚于开始时间)",
                        zh="结束时间不晚于开始时间",
                    )
                )
        if errors:
            raise ValidationError(errors, what="service log")


def _span(entry: LogEntry, activities: dict[str, Activity]) -> tuple[int, int]:
    """The entry's interval in minutes since the epoch day of its activity."""
    a = activities[entry.activity_id]
    day = a.date.toordinal() * MAX_MINUTES
    return (
        day + _minutes(entry.start or a.start),
        day + _minutes(entry.end or a.end),
    )


def _audit(record: ServiceLog, ctx: Context) -> None:
    activities = {a.id: a for a in record.activities}
    by_volunteer: dict[str, list[LogEntry]] = {}
    for e in record.entries:
        by_volunteer.setdefault(e.id_number.unmasked, []).append(e)
    for entries in by_volunteer.values():
        subject = entries[0].id_number.masked
        # duplicates: same activity and same times
        seen: dict[tuple[str, int, int, int], str] = {}
        duplicates: list[str] = []
        for e in entries:
            keyed = (e.activity_id, *_span(e, activities), e.minutes)
            if keyed in seen:
                duplicates.append(f"{seen[keyed]}={e.id}")
            else:
                seen[keyed] = e.id
        ctx.condition(
            "no_duplicates",
            not duplicates,
            zh="重复记录：{duplicates}",
            en="duplicate entries: {duplicates}",
            basis=f"{_ACT}第十九条（如实记录）",
            duplicates=duplicates or "无 / none",
        )
        # overlaps across different activities
        spans = sorted(((*_span(e, activities), e) for e in entries), key=lambda x: x[0])
        overlaps: list[str] = []
        for i, (_s1, e1, a) in enumerate(spans):
            for s2, _e2, b in spans[i + 1 :]:
                if s2 >= e1:
                    break
                if a.activity_id != b.activity_id:
                    overlaps.append(f"{a.id}×{b.id}")
        ctx.condition(
            "no_overlaps",
            not overlaps,
            zh="不同活动时间重叠：{overlaps}",
            en="overlapping activities: {overlaps}",
            basis=f"{_ACT}第十九条（如实记录）",
            overlaps=overlaps or "无 / none",
        )
        # hours above the span
        above = [
            f"{e.id} ({_hours(e.minutes)} h > {_hours(end - start)} h)"
            for e in entries
            for start, end in [_span(e, activities)]
            if e.minutes > end - start
        ]
        ctx.condition(
            "within_span",
            not above,
            zh="记录时长超过活动时段：{above}",
            en="hours above the time spanned: {above}",
            basis=f"{_RECORDS}（志愿服务时间以小时计，不含往返交通时间）",
            above=above or "无 / none",
        )
        ctx.fact("entries", len(entries))
        ctx.fact("total_hours", _hours(sum(e.minutes for e in entries)))
        ok = not (duplicates or overlaps or above)
        problems = [
            name
            for name, found in (
                ("duplicate", duplicates),
                ("overlap", overlaps),
                ("above_span", above),
            )
            if found
        ]
        ctx.decide(subject, problems or "consistent", passed=ok)


AUDIT = Check(
    "volunteers.record_audit",
    "志愿服务记录核查",
    "audit of volunteer service records",
    ServiceLog,
    _audit,
    type_name="service_log",
    basis=f"{_ACT}第十九条；{_RECORDS}",
    description_zh="每名志愿者：重复记录、不同活动时间重叠、记录时长超过时段。",
    description_en="Per volunteer: duplicate entries, overlapping activities, hours above the "
    "time spanned.",
)

#: The module as the core registers it.
MODULE = ServiceModule(
    id="volunteers",
    zh="志愿服务",
    en="Volunteer service",
    keys=KEYS,
    checks=(REGISTRATION, CERTIFICATE, AUDIT),
    types=(VolunteerRegistration, VolunteerRecord, ServiceLog),
    description_zh="志愿者实名注册、志愿服务记录与证明、星级（按累计时长，各地设定）、记录核查。",
    description_en="Real-name registration of volunteers, service records and their "
    "certificate, star levels by cumulative hours (set locally), and audits of the records.",
)

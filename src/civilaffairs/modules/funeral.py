"""Basic funeral services (惠民殡葬): which basic services are waived for a deceased person,
and by how much.

Legal basis:

* 《殡葬管理条例》(国务院令第225号, 1997; revised 2012), art. 4: densely populated areas
  with little arable land and good transport practise cremation (火葬区); where cremation is
  not yet feasible, burial is allowed (土葬改革区). The province draws the line, so whether a
  county is a cremation zone is a per-region standard, ``funeral.zone.cremation``.
* 民政部等《关于全面推行惠民殡葬政策的指导意见》(2012): the basic services (基本殡葬服务)
  are body transport (遗体接运), storage (暂存, with refrigeration), cremation (火化) and ash
  storage (骨灰寄存); localities waive or subsidise them for people in difficulty first and
  may extend the waiver to every resident. Who is covered and the amounts are local, so they
  are standard keys with no national value.
* 《社会救助暂行办法》(国务院令第649号) art. 15(4): the support of 特困 persons includes
  handling their funeral (办理丧葬事宜); ``funeral.covers.tekun`` is set nationally to 1.

The check :data:`ENTITLEMENT` (``funeral.entitlement``) decides, for one deceased person,
whether a covered group applies, which of the basic services are covered, and the total
waiver: the lowest of the sum of the per-service amounts, the local cap
(``funeral.waiver.cap``) and the actual charges where given. In a burial-reform zone, or
where the zone is not set, cremation and ash storage are listed only when the record says
the body is to be cremated.

>>> import datetime as dt
>>> from civilaffairs.modules.funeral import ENTITLEMENT, Deceased, FuneralStatus
>>> record = Deceased(id="D-1", region="441302", died_on=dt.date(2025, 7, 1),
...                   statuses=(FuneralStatus.TEKUN,), local_household=True)
>>> result = ENTITLEMENT(record, "2025-07-02")
>>> result.decisions[0].outcome
('transport', 'storage')
"""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import attrs

from civilaffairs.checks import Check, Context
from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._validators import (
    ID_PATTERN,
    bool_field,
    date_field,
    enum_field,
    money_field,
    region_field,
    text_field,
)
from civilaffairs.errors import FieldError, ValidationError
from civilaffairs.money import Money
from civilaffairs.programs.module import ServiceModule
from civilaffairs.standards.catalogue import KeySpec, Unit

__all__ = [
    "ENTITLEMENT",
    "KEYS",
    "MODULE",
    "Deceased",
    "Disposal",
    "FuneralStatus",
    "Service",
    "entitlement",
]

_REGULATION = "殡葬管理条例（国务院令第225号，2012年修订）"
_GUIDANCE = "民政部等关于全面推行惠民殡葬政策的指导意见（2012年）"
_ASSISTANCE = "社会救助暂行办法（国务院令第649号）第十五条"


class FuneralStatus(LabelledEnum):
    """A status of the deceased that a local waiver may cover (惠及对象)."""

    TEKUN = "tekun"
    DIBAO = "dibao"
    YOUFU = "youfu"
    UNIDENTIFIED = "unidentified"


label(
    FuneralStatus,
    TEKUN="特困人员",
    DIBAO="低保对象",
    YOUFU="重点优抚对象",
    UNIDENTIFIED="无名遗体",
)


class Service(LabelledEnum):
    """A basic funeral service (基本殡葬服务)."""

    TRANSPORT = "transport"
    STORAGE = "storage"
    CREMATION = "cremation"
    ASH_STORAGE = "ash_storage"


label(
    Service,
    TRANSPORT="遗体接运",
    STORAGE="遗体暂存",
    CREMATION="遗体火化",
    ASH_STORAGE="骨灰寄存",
)

#: Services that exist only where the body is cremated.
CREMATION_SERVICES = (Service.CREMATION, Service.ASH_STORAGE)


class Disposal(LabelledEnum):
    """How the body is to be disposed of (遗体处理方式)."""

    CREMATION = "cremation"
    BURIAL = "burial"


label(Disposal, CREMATION="火化", BURIAL="土葬")


def _statuses(value: Any) -> tuple[FuneralStatus, ...]:
    return tuple(value)


def _check_statuses(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple):
        raise ValidationError.single(
            attribute.name, "expected a list of statuses (应为列表)", zh="应为身份列表"
        )
    errors = [
        FieldError(
            f"{attribute.name}[{i}]",
            f"must be one of: {', '.join(FuneralStatus.values())} (取值无效)",
            zh=f"取值无效，应为以下之一：{', '.join(FuneralStatus.values())}",
        )
        for i, item in enumerate(value)
        if not isinstance(item, FuneralStatus)
    ]
    if errors:
        raise ValidationError(errors)
    if len(set(value)) != len(value):
        raise ValidationError.single(
            attribute.name, "a status is listed twice (身份重复)", zh="身份重复"
        )


@attrs.frozen(kw_only=True)
class Deceased:
    """A deceased person for whom basic funeral services are claimed (逝者).

    :param id: the case number (案卷编号).
    :param region: GB/T 2260 county code of where the services are provided.
    :param died_on: date of death (死亡日期); not after the day checked.
    :param statuses: statuses a local waiver may cover (特困, 低保, 优抚, 无名遗体).
    :param local_household: whether the deceased's household registration (户籍) is in the
        region, for waivers extended to every resident.
    :param disposal: cremation or burial, where decided; in a burial-reform zone
        cremation services are listed only when this says cremation.
    :param charges: the actual charges for the basic services (实际费用), where known.
    """

    id: str = text_field(max_length=64, pattern=ID_PATTERN)
    region: str = region_field()
    died_on: _dt.date = date_field()
    statuses: tuple[FuneralStatus, ...] = attrs.field(
        default=(), converter=_statuses, validator=_check_statuses
    )
    local_household: bool = bool_field()
    disposal: Disposal | None = enum_field(Disposal, optional=True)
    charges: Money | None = money_field(optional=True)


def _key(key: str, zh: str, en: str, unit: Unit, description: str, basis: str) -> KeySpec:
    return KeySpec(key, zh, en, unit, description, basis)


_FLAG = "1 if yes, 0 if no."

#: The standard keys the module declares.
KEYS: tuple[KeySpec, ...] = (
    _key(
        "funeral.zone.cremation",
        "是否火葬区",
        "cremation zone",
        Unit.COUNT,
        "1 where the county is a cremation zone (火葬区), 0 where it is a burial-reform zone "
        "(土葬改革区). Drawn by the province.",
        f"{_REGULATION}第四条",
    ),
    *(
        _key(
            f"funeral.covers.{status.value}",
            f"惠民殡葬覆盖{status.zh}",
            f"funeral waiver covers {status.name.lower()}",
            Unit.COUNT,
            f"Whether the local waiver of basic funeral services covers {status.zh}. {_FLAG}",
            _ASSISTANCE if status is FuneralStatus.TEKUN else _GUIDANCE,
        )
        for status in FuneralStatus
    ),
    _key(
        "funeral.requires_local_household",
        "惠民殡葬限本地户籍",
        "funeral waiver only for registered residents",
        Unit.COUNT,
        "Whether the waiver for a covered group also requires household registration in the "
        f"region. {_FLAG}",
        _GUIDANCE,
    ),
    _key(
        "funeral.covers.all_residents",
        "惠民殡葬覆盖全体户籍居民",
        "funeral waiver covers every registered resident",
        Unit.COUNT,
        f"Whether the local waiver covers everyone registered in the region. {_FLAG}",
        _GUIDANCE,
    ),
    *(
        _key(
            f"funeral.waiver.{service.value}",
            f"{service.zh}减免金额",
            f"waiver for {service.name.lower().replace('_', ' ')}",
            Unit.YUAN,
            f"Amount waived for {service.zh} per deceased person.",
            _GUIDANCE,
        )
        for service in Service
    ),
    _key(
        "funeral.waiver.cap",
        "基本殡葬服务减免上限",
        "cap of the basic funeral waiver",
        Unit.YUAN,
        "Most that is waived or subsidised in all for one deceased person.",
        _GUIDANCE,
    ),
)


def _flag(value: Any) -> bool | None:
    return None if value is None else Decimal(value) == 1


def entitlement(record: Deceased, ctx: Context) -> None:
    """Decide the basic funeral services waived for *record* (see the module docstring)."""
    ctx.condition(
        "died_before_check",
        record.died_on <= ctx.on,
        zh="死亡日期 {died_on} 不晚于核查日 {on}",
        en="date of death {died_on} is not after the day checked, {on}",
        basis=_GUIDANCE,
        died_on=record.died_on,
        on=ctx.on,
    )
    zone = _flag(ctx.standard("funeral.zone.cremation"))
    if record.disposal is not None:
        cremated = record.disposal is Disposal.CREMATION
    else:
        cremated = zone is True
    if zone is None:
        ctx.condition(
            "zone",
            None,
            zh="本地是否火葬区未设定（funeral.zone.cremation），不推定火化；"
            "记录所载处理方式 {disposal}",
            en="whether this is a cremation zone is not set (funeral.zone.cremation), so "
            "cremation is not assumed; disposal on record: {disposal}",
            basis=f"{_REGULATION}第四条",
            disposal=record.disposal.value if record.disposal else None,
        )
    else:
        ctx.condition(
            "zone",
            True,
            zh="本地为{zone_zh}；记录所载处理方式 {disposal}",
            en="the county is a {zone_en}; disposal on record: {disposal}",
            basis=f"{_REGULATION}第四条",
            zone_zh="火葬区" if zone else "土葬改革区",
            zone_en="cremation zone" if zone else "burial-reform zone",
            disposal=record.disposal.value if record.disposal else None,
        )
    ctx.fact("cremation_services", cremated)

    covered_by: list[str] = []
    untested: list[str] = []
    for status in record.statuses:
        covers = _flag(ctx.standard(f"funeral.covers.{status.value}"))
        basis = _ASSISTANCE if status is FuneralStatus.TEKUN else _GUIDANCE
        if covers is None:
            untested.append(status.value)
            ctx.condition(
                f"covers_{status.value}",
                None,
                zh="本地惠民殡葬是否覆盖{status_zh}未设定",
                en="whether the local waiver covers {status} is not set",
                basis=basis,
                status=status.value,
                status_zh=status.zh,
            )
            continue
        if covers:
            covered_by.append(status.value)
        ctx.condition(
            f"covers_{status.value}",
            covers,
            zh="逝者为{status_zh}，本地惠民殡葬覆盖该群体：{covers}",
            en="the deceased is {status}; the local waiver covers that group: {covers}",
            basis=basis,
            status=status.value,
            status_zh=status.zh,
            covers=covers,
        )
        if status is FuneralStatus.TEKUN and covers:
            ctx.condition(
                "tekun_funeral",
                True,
                zh="特困人员供养内容包括办理丧葬事宜",
                en="the support of tekun persons includes handling their funeral",
                basis=_ASSISTANCE,
                status=status.value,
            )
    if covered_by:
        local_only = _flag(ctx.standard("funeral.requires_local_household"))
        if local_only:
            ctx.condition(
                "local_household",
                record.local_household,
                zh="本地惠民殡葬限本地户籍；逝者户籍在本地：{local_household}",
                en="the local waiver requires registration here; the deceased was registered "
                "here: {local_household}",
                basis=_GUIDANCE,
                local_household=record.local_household,
            )
            if not record.local_household:
                covered_by = []
    all_residents = _flag(ctx.standard("funeral.covers.all_residents"))
    if all_residents:
        ctx.condition(
            "covers_residents",
            record.local_household,
            zh="本地惠民殡葬覆盖全体户籍居民；逝者户籍在本地：{local_household}",
            en="the local waiver covers every registered resident; the deceased was "
            "registered here: {local_household}",
            basis=_GUIDANCE,
            local_household=record.local_household,
        )
        if record.local_household:
            covered_by.append("resident")
    covered = bool(covered_by)
    if not covered:
        passed = None if untested else False
        ctx.condition(
            "covered_group",
            passed,
            zh="逝者不属于本地惠民殡葬已设定的覆盖群体（未设定：{untested}）",
            en="the deceased is in no group the local waiver is set to cover (not set: {untested})",
            basis=_GUIDANCE,
            untested=untested or "—",
        )
        ctx.fact("total_waiver", Money(0))
        ctx.decide(record.id, "not_covered" if passed is False else "not_determined", passed=False)
        return

    services = [s for s in Service if cremated or s not in CREMATION_SERVICES]
    amounts: dict[str, Money] = {}
    missing: list[str] = []
    for service in services:
        value = ctx.standard(f"funeral.waiver.{service.value}")
        if value is None:
            missing.append(service.value)
        else:
            amounts[service.value] = value
    limits: dict[str, Money] = {}
    if not missing:
        limits["services"] = ctx.step(
            "services_sum",
            " + ".join(amounts) or "0",
            result=sum(amounts.values(), Money(0)),
            **amounts,
        )
    cap = ctx.standard("funeral.waiver.cap")
    if cap is not None:
        limits["cap"] = cap
    if record.charges is not None:
        limits["charges"] = record.charges
    if limits:
        total: Money | None = ctx.step(
            "total_waiver",
            "min(" + ", ".join(limits) + ")",
            result=min(limits.values()),
            **limits,
        )
    else:
        total = None
    ctx.condition(
        "amount",
        None if total is None else True,
        zh="减免总额 {total}（各项金额未设定：{missing}）",
        en="total waiver {total} (amounts not set: {missing})",
        basis=_GUIDANCE,
        total=total,
        missing=missing or "—",
    )
    ctx.fact("covered_by", covered_by)
    ctx.fact("total_waiver", total)
    ctx.decide(record.id, tuple(s.value for s in services), passed=True)


#: The check ``funeral.entitlement`` (惠民殡葬减免核定).
ENTITLEMENT = Check(
    "funeral.entitlement",
    "惠民殡葬减免核定",
    "basic funeral services waived",
    Deceased,
    entitlement,
    type_name="deceased",
    basis=f"{_REGULATION}第四条；{_GUIDANCE}；{_ASSISTANCE}",
    description_zh="逝者可免除哪些基本殡葬服务费用、合计多少。",
    description_en="Which basic funeral services are waived for a deceased person, and the total.",
)

#: The service module ``funeral`` (惠民殡葬).
MODULE = ServiceModule(
    id="funeral",
    zh="惠民殡葬",
    en="basic funeral services",
    checks=(ENTITLEMENT,),
    keys=KEYS,
    types=(Deceased,),
    description_zh="基本殡葬服务（遗体接运、暂存、火化、骨灰寄存）的减免：覆盖群体、火葬区与"
    "土葬改革区、减免金额。",
    description_en="Waivers of the basic funeral services (transport, storage, cremation, ash "
    "storage): who is covered, cremation and burial-reform zones, amounts.",
)

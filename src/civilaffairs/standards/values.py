"""Standard values with provenance (标准值与出处).

A :class:`StandardValue` is one dated, region-scoped, cited figure: "Beijing's dibao
standard is 1450 yuan a month from 2024-07-01, per the municipal notice". Its
:class:`Source` says who issued it (发文机关), the document number (文号), date and URL.
Nothing here is invented: a field that is not known is ``None``, and a value that cannot
be cited is marked provisional (暂定) with a note saying why.

>>> import datetime
>>> from civilaffairs.standards import Source, StandardValue
>>> v = StandardValue.build(
...     "dibao.standard", "110000", "2022-07-01", "1320",
...     source={"issuer": "北京市民政局", "title": "关于调整本市社会救助标准的通知"},
...     plugin="example",
... )
>>> v.value, v.unit.zh, v.residence.zh, v.source.is_cited
(Money('1320.00'), '元/月', '城乡', True)
>>> v.scaled
132000
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from civilaffairs.errors import (
    CivilAffairsError,
    FieldError,
    InvalidMoney,
    InvalidPeriod,
    UnknownRegion,
    ValidationError,
)
from civilaffairs.money import Money
from civilaffairs.periods import EffectiveRange, Month, parse_date
from civilaffairs.standards.catalogue import CATALOGUE, KeySpec, Kind, Unit, get_key

__all__ = [
    "RATIO_SCALE",
    "ResidenceScope",
    "Source",
    "StandardValue",
    "check_region",
    "parse_on",
    "parse_residence",
    "parse_standard_value",
]

#: Ratios and numbers are held as whole numbers of 1/10000 in compiled arrays.
RATIO_SCALE = 10_000

_URL_RE = re.compile(r"^https?://\S+$", re.ASCII)


class ResidenceScope(enum.StrEnum):
    """Whom a value applies to (适用人群): urban (城市), rural (农村) or both (城乡)."""

    URBAN = "urban"
    RURAL = "rural"
    BOTH = "both"

    @property
    def zh(self) -> str:
        """城市, 农村 or 城乡."""
        return {"urban": "城市", "rural": "农村", "both": "城乡"}[self.value]

    @property
    def code(self) -> int:
        """Array code used by the compiled back end: 0 urban, 1 rural (``both`` has none)."""
        if self is ResidenceScope.BOTH:
            raise ValueError("'both' has no array code")
        return 0 if self is ResidenceScope.URBAN else 1


def parse_residence(value: object, *, allow_both: bool = True) -> ResidenceScope:
    """A :class:`ResidenceScope` from ``"urban"``, ``"rural"`` or ``"both"`` (or 城市/农村/城乡)."""
    if isinstance(value, ResidenceScope):
        res = value
    elif isinstance(value, str) and value.strip().lower() in _RESIDENCE_NAMES:
        res = _RESIDENCE_NAMES[value.strip().lower()]
    else:
        choices = "urban, rural or both" if allow_both else "urban or rural"
        raise CivilAffairsError(f"residence must be {choices}, got {value!r} (城乡类别无效)")
    if res is ResidenceScope.BOTH and not allow_both:
        raise CivilAffairsError("residence must be urban or rural here, not 'both'")
    return res


_RESIDENCE_NAMES: Mapping[str, ResidenceScope] = {
    "urban": ResidenceScope.URBAN,
    "rural": ResidenceScope.RURAL,
    "both": ResidenceScope.BOTH,
    "城市": ResidenceScope.URBAN,
    "城镇": ResidenceScope.URBAN,
    "农村": ResidenceScope.RURAL,
    "城乡": ResidenceScope.BOTH,
}


def parse_on(value: object) -> _dt.date:
    """The date a lookup is for: a date, a :class:`~civilaffairs.periods.Month` (its first
    day), or an ISO string (``"2024-08-01"`` or ``"2024-08"``)."""
    if isinstance(value, Month):
        return value.first_day
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}", value.strip(), re.ASCII):
        return Month.parse(value).first_day
    return parse_date(value)


def check_region(code: object) -> str:
    """Return *code* if it is a known GB/T 2260 code or ``"000000"`` (national)."""
    if not isinstance(code, str):
        raise UnknownRegion(
            repr(code),
            detail="a region code is a 6-digit string such as '110000'",
            detail_zh="行政区划代码应为6位数字的文本，如 '110000'",
        )
    return _region_code(code)


@functools.lru_cache(maxsize=65536)
def _region_code(code: str) -> str:
    # Cached: registering many values checks the same few thousand codes again and again.
    from civilaffairs import regions

    return regions.get(code).code


def _opt_str(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CivilAffairsError(f"{name} must be text, got {type(value).__name__}")
    text = value.strip()
    return text or None


def _opt_date(value: object) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        raise InvalidPeriod("expected a date YYYY-MM-DD, not a date and time")
    return parse_date(value)


@attrs.frozen
class Source:
    """Where a value comes from (出处).

    :param issuer: the body that issued it (发文机关), e.g. ``"北京市民政局"``. Required.
    :param document: document number (文号), e.g. ``"京民社救发〔2022〕1号"``; ``None`` if unknown.
    :param title: document title (标题).
    :param date: date of issue (发文日期).
    :param url: where the document is published; ``http(s)`` only.
    :param note: anything a reader should know about the source itself.

    Never fill in a 文号 or URL that was not read from the document.
    """

    issuer: str = attrs.field()
    document: str | None = None
    title: str | None = None
    date: _dt.date | None = None
    url: str | None = attrs.field(default=None)
    note: str | None = None

    @issuer.validator
    def _check_issuer(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise CivilAffairsError("source issuer is required (发文机关不能为空)", path="issuer")

    @url.validator
    def _check_url(self, _: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None and not _URL_RE.match(value):
            raise CivilAffairsError(f"not an http(s) URL: {value!r}", path="url")

    @property
    def is_cited(self) -> bool:
        """Whether a reader can find the document: an issuer and a 文号, title or URL."""
        return bool(self.issuer and (self.document or self.title or self.url))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Source:
        """Build from a mapping such as a TOML inline table; unknown fields are errors.

        :raises ValidationError: naming every bad field (``issuer``, ``date`` ...).
        """
        errors: list[FieldError] = []
        for name in data:
            if name not in _SOURCE_FIELDS:
                errors.append(FieldError(str(name), f"unknown field; expected one of {_FIELDS}"))
        issuer = data.get("issuer")
        if issuer is None or (isinstance(issuer, str) and not issuer.strip()):
            errors.append(FieldError("issuer", "required", "required"))
        elif not isinstance(issuer, str):
            errors.append(FieldError("issuer", "must be text"))
        values: dict[str, Any] = {}
        for name in ("document", "title", "note", "url"):
            try:
                values[name] = _opt_str(data.get(name), name)
            except CivilAffairsError as exc:
                errors.append(FieldError(name, exc.message))
        try:
            values["date"] = _opt_date(data.get("date"))
        except CivilAffairsError as exc:
            errors.append(FieldError("date", exc.message))
        url = values.get("url")
        if url is not None and not _URL_RE.match(url):
            errors.append(FieldError("url", f"not an http(s) URL: {url!r}"))
        if errors:
            raise ValidationError(errors, what="source")
        return cls(issuer=str(issuer).strip(), **values)

    def to_dict(self) -> dict[str, str | None]:
        """A JSON-ready mapping (dates as ISO strings)."""
        return {
            "issuer": self.issuer,
            "document": self.document,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
            "note": self.note,
        }

    def __str__(self) -> str:
        parts = [self.issuer]
        parts += [p for p in (self.document, self.title) if p]
        if self.date:
            parts.append(self.date.isoformat())
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)


_SOURCE_FIELDS = ("issuer", "document", "title", "date", "url", "note")
_FIELDS = ", ".join(_SOURCE_FIELDS)


@functools.lru_cache(maxsize=1024)
def _cached_source(items: tuple[tuple[Any, Any], ...]) -> Source:
    """One :class:`Source` per distinct mapping (the same source dict is typically given
    for many values; a Source is immutable, so sharing it is safe)."""
    return Source.from_mapping(dict(items))


def as_source(value: Source | Mapping[str, Any]) -> Source:
    """A :class:`Source` from a Source or a mapping of its fields."""
    if isinstance(value, Source):
        return value
    if isinstance(value, Mapping):
        try:
            return _cached_source(tuple(value.items()))
        except TypeError:  # unhashable field values: checked (and refused) the long way
            return Source.from_mapping(value)
    raise CivilAffairsError(
        f"source must be a Source or a mapping with at least 'issuer', got {type(value).__name__}"
    )


def _parse_decimal(value: object, what: str) -> Decimal:
    if isinstance(value, (bool, float)):
        raise CivilAffairsError(
            f'{what} {value!r} is not accepted: write it as a decimal string such as "1.5" '
            "(不接受浮点数)"
        )
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise CivilAffairsError(f"{what} {value!r} is not a decimal number") from None
    else:
        raise CivilAffairsError(f"{what} must be a decimal string, got {type(value).__name__}")
    if not d.is_finite():
        raise CivilAffairsError(f"{what} {value!r} is not a finite number")
    if d < 0:
        raise CivilAffairsError(f"{what} {value!r} must not be negative")
    if d * RATIO_SCALE != (d * RATIO_SCALE).to_integral_value():
        raise CivilAffairsError(f"{what} {value!r} has more than 4 decimals (最多四位小数)")
    if d > 10**9:
        raise CivilAffairsError(f"{what} {value!r} is out of range")
    return d


def parse_standard_value(spec: KeySpec, value: object) -> Money | Decimal:
    """Parse *value* for the key *spec*: :class:`~civilaffairs.money.Money` for money keys (yuan), a
    :class:`~decimal.Decimal` (at most 4 decimals) for ratios and numbers. Floats are
    rejected; negative values too.

    >>> from civilaffairs.standards import get_key
    >>> parse_standard_value(get_key("dibao.standard"), "1450")
    Money('1450.00')
    >>> parse_standard_value(get_key("marginal.income_multiple"), "1.5")
    Decimal('1.5')
    """
    if spec.kind is Kind.MONEY:
        if isinstance(value, Money):
            money = value
        else:
            try:
                money = Money.parse(value)
            except InvalidMoney as exc:
                if isinstance(value, float):
                    raise CivilAffairsError(
                        f"{value!r} is not accepted for money: write it as a string such as "
                        '"1450" or "1450.50" (金额不接受浮点数)'
                    ) from None
                raise CivilAffairsError(exc.message) from None
        if money.is_negative():
            raise CivilAffairsError(f"{money} is negative; a standard cannot be negative")
        return money
    if isinstance(value, Money):
        raise CivilAffairsError(f"{spec.key} is a {spec.kind.value}, not an amount of money")
    return _parse_decimal(value, spec.kind.value)


def _check_value(inst: StandardValue, _: attrs.Attribute[Money | Decimal], value: object) -> None:
    spec = inst.spec
    if spec.kind is Kind.MONEY:
        if not isinstance(value, Money) or value.is_negative():
            raise CivilAffairsError(f"{inst.key} takes a non-negative Money value", path="value")
    elif not isinstance(value, Decimal) or value != _parse_decimal(value, spec.kind.value):
        raise CivilAffairsError(f"{inst.key} takes a Decimal value", path="value")


def _check_key(inst: StandardValue, __: attrs.Attribute[str], value: str) -> None:
    if inst.keyspec is None:
        get_key(value)
    elif not isinstance(inst.keyspec, KeySpec) or inst.keyspec.key != value:
        raise CivilAffairsError(f"keyspec does not describe the key {value!r}", path="keyspec")
    elif value in CATALOGUE and inst.keyspec != CATALOGUE[value]:
        raise CivilAffairsError(f"{value!r} is a built-in key; it cannot be redefined", path="key")


def _check_region(_: object, __: attrs.Attribute[str], value: str) -> None:
    if check_region(value) != value:
        raise UnknownRegion(
            value, detail="give the code without spaces", detail_zh="代码中不得含空格"
        )


def _check_unit(inst: StandardValue, _: attrs.Attribute[Unit], value: Unit) -> None:
    if value is not inst.spec.unit:
        raise CivilAffairsError(f"unit of {inst.key} is {inst.spec.unit}, not {value}", path="unit")


@attrs.frozen
class StandardValue:
    """One registered standard value (标准值) with its provenance.

    Build it with :meth:`build`, which parses strings; the constructor checks types.

    :param key: a key of :data:`~civilaffairs.standards.catalogue.CATALOGUE`, or a key a
        plugin declared (then *keyspec* is its declaration).
    :param region: 6-digit GB/T 2260 code, or ``"000000"`` for national.
    :param residence: urban, rural or both (城市/农村/城乡).
    :param effective_from: first day the value applies (执行日期), inclusive.
    :param until: last day it applies, inclusive; ``None`` until superseded.
    :param value: :class:`~civilaffairs.money.Money` or :class:`~decimal.Decimal`.
    :param unit: the key's unit.
    :param source: the document it comes from.
    :param provisional: ``True`` if the value is not confirmed from its source (暂定).
    :param note: why it is provisional, or anything else a reader should know.
    :param plugin: name of the plugin that registered it.
    :param keyspec: the declaration of a key that is not built in (``None`` for a built-in
        key); :attr:`spec` returns it. Not part of equality.
    """

    key: str = attrs.field(validator=_check_key)
    region: str = attrs.field(validator=_check_region)
    residence: ResidenceScope = attrs.field(converter=parse_residence)
    effective_from: _dt.date = attrs.field(validator=attrs.validators.instance_of(_dt.date))
    until: _dt.date | None
    value: Money | Decimal = attrs.field(validator=_check_value)
    unit: Unit = attrs.field(validator=_check_unit)
    source: Source = attrs.field(validator=attrs.validators.instance_of(Source))
    provisional: bool = attrs.field(validator=attrs.validators.instance_of(bool))
    note: str | None
    plugin: str
    keyspec: KeySpec | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.effective_from, _dt.datetime):
            raise InvalidPeriod("effective_from must be a date, not a date and time")
        if self.until is not None and self.until < self.effective_from:
            raise InvalidPeriod(
                f"until {self.until} is before effective_from {self.effective_from}",
                path="until",
            )
        if self.provisional and not self.note:
            raise CivilAffairsError(
                "a provisional value needs a note saying why it is provisional", path="note"
            )

    @classmethod
    def build(
        cls,
        key: str,
        region: str,
        effective_from: object,
        value: object,
        *,
        residence: ResidenceScope | str = "both",
        source: Source | Mapping[str, Any],
        provisional: bool = False,
        note: str | None = None,
        until: object = None,
        plugin: str,
        keys: Mapping[str, KeySpec] | None = None,
    ) -> StandardValue:
        """Parse and validate the fields of a value, as plugins give them.

        Dates may be :class:`datetime.date` or ISO strings; *value* a string, int,
        :class:`~decimal.Decimal` or :class:`~civilaffairs.money.Money`.

        :param keys: the catalogue the key is looked up in (built-in and declared keys,
            e.g. ``registry.keys``); default the built-in
            :data:`~civilaffairs.standards.catalogue.CATALOGUE`.
        :raises ValidationError: naming every bad field by its name.
        """
        return _build(
            {
                "key": key,
                "region": region,
                "effective_from": effective_from,
                "value": value,
                "residence": residence,
                "source": source,
                "provisional": provisional,
                "note": note,
                "until": until,
            },
            plugin=plugin,
            keys=keys,
        )

    def copy_for(
        self, plugin: str, sources: Callable[[Source], Source] | None = None
    ) -> StandardValue:
        """A fresh copy of this value (and of its source), checked again by every
        validator and stamped with *plugin*.

        The registry keeps such copies, so a plugin that changes the object it was handed
        (even through ``object.__setattr__``) changes nothing the registry serves, and the
        plugin recorded is the one the plugin manager loaded, not what the value says.

        :param sources: how to copy the source (e.g. once per distinct source, so values
            that shared one source share its copy); default a new copy.
        :raises CivilAffairsError: if the value no longer validates.
        """
        return StandardValue(
            key=self.key,
            region=self.region,
            residence=self.residence,
            effective_from=self.effective_from,
            until=self.until,
            value=self.value,
            unit=self.unit,
            source=attrs.evolve(self.source) if sources is None else sources(self.source),
            provisional=self.provisional,
            note=self.note,
            plugin=plugin,
            keyspec=self.keyspec,
        )

    @property
    def spec(self) -> KeySpec:
        """The catalogue entry of the key: the built-in one, or the declaration it was
        registered under."""
        return self.keyspec if self.keyspec is not None else get_key(self.key)

    @property
    def period(self) -> EffectiveRange:
        """The value's effective range."""
        return EffectiveRange(self.effective_from, self.until)

    @property
    def scaled(self) -> int:
        """The value as an integer: fen for money, 1/10000 units for ratios and numbers."""
        if isinstance(self.value, Money):
            return self.value.fen
        return int(self.value * RATIO_SCALE)

    def format_value(self, lang: str = "zh") -> str:
        """The value with its unit: ``1450.00 元/月`` or ``1450.00 yuan/month``."""
        if isinstance(self.value, Money):
            shown = str(self.value)
        else:
            shown = format(self.value.normalize(), "f")
        return f"{shown} {self.unit.zh if lang == 'zh' else self.unit.value}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "key": self.key,
            "region": self.region,
            "residence": self.residence.value,
            "effective_from": self.effective_from.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "value": str(self.value)
            if isinstance(self.value, Money)
            else format(self.value.normalize(), "f"),
            "unit": self.unit.value,
            "source": self.source.to_dict(),
            "provisional": self.provisional,
            "note": self.note,
            "plugin": self.plugin,
        }

    def describe(self) -> str:
        """One line naming the value, for error messages."""
        return f"{self.key} {self.region} ({self.residence.value}) from {self.effective_from}"


_STANDARD_FIELDS = (
    "key",
    "region",
    "residence",
    "effective_from",
    "until",
    "value",
    "provisional",
    "note",
    "source",
)


class RecordReader:
    """Reads the fields of one data-file record (a standard or a policy), collecting every
    error with its field path before anything is raised."""

    def __init__(self, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        self.data = data
        self.errors: list[FieldError] = []
        for name in data:
            if name not in allowed:
                self.bad(str(name), f"unknown field; expected one of {', '.join(allowed)}")

    def bad(self, path: str, message: str, code: str = "invalid") -> None:
        """Record an error for the field at *path*."""
        self.errors.append(FieldError(path, message, code))

    def region(self) -> str | None:
        """The required ``region``: a known code or ``"000000"``."""
        raw = self.data.get("region")
        if raw is None:
            self.bad("region", "required", "required")
            return None
        try:
            return check_region(raw)
        except UnknownRegion as exc:
            self.bad("region", exc.message)
            return None

    def residence(self) -> ResidenceScope:
        """``residence``, ``both`` when left out."""
        try:
            return parse_residence(self.data.get("residence", "both") or "both")
        except CivilAffairsError as exc:
            self.bad("residence", exc.message)
            return ResidenceScope.BOTH

    def dates(self) -> tuple[_dt.date | None, _dt.date | None]:
        """The required ``effective_from`` and the optional ``until``, in order."""
        start: _dt.date | None = None
        if self.data.get("effective_from") is None:
            self.bad("effective_from", "required", "required")
        else:
            try:
                start = _opt_date(self.data.get("effective_from"))
            except CivilAffairsError as exc:
                self.bad("effective_from", exc.message)
        until: _dt.date | None = None
        try:
            until = _opt_date(self.data.get("until"))
        except CivilAffairsError as exc:
            self.bad("until", exc.message)
        if start is not None and until is not None and until < start:
            self.bad("until", f"{until} is before effective_from {start}")
        return start, until

    def note(self) -> str | None:
        """The optional ``note``."""
        try:
            return _opt_str(self.data.get("note"), "note")
        except CivilAffairsError as exc:
            self.bad("note", exc.message)
            return None

    def source(self, *, required: bool) -> Source | None:
        """``source``; a required one without an issuer is an error on ``source.issuer``."""
        raw = self.data.get("source")
        if raw is None:
            if required:
                self.bad("source.issuer", "required", "required")
            return None
        try:
            return as_source(raw)
        except ValidationError as exc:
            self.errors.extend(e.at("source") for e in exc.errors)
        except CivilAffairsError as exc:
            self.bad("source", exc.message)
        return None

    def raise_errors(self, what: str) -> None:
        """Raise one :class:`ValidationError` listing every error, if there is any."""
        if self.errors:
            raise ValidationError(self.errors, what=what)


def _build(
    data: Mapping[str, Any], *, plugin: str, keys: Mapping[str, KeySpec] | None = None
) -> StandardValue:
    """Validate a mapping of standard fields against the catalogue *keys* (default the
    built-in keys); collect every error before raising."""
    fields = RecordReader(data, _STANDARD_FIELDS)
    bad = fields.bad
    spec: KeySpec | None = None
    key = data.get("key")
    if key is None:
        bad("key", "required", "required")
    else:
        try:
            spec = get_key(key, keys)
        except CivilAffairsError as exc:
            bad("key", exc.message)
    region = fields.region()
    residence = fields.residence()
    start, until = fields.dates()

    value: Money | Decimal | None = None
    if data.get("value") is None:
        bad("value", "required", "required")
    elif spec is None:
        # the key is unknown, but a value no key accepts is reported now, not after the key
        # is mended
        raw = data["value"]
        if isinstance(raw, float) or not isinstance(raw, (str, int, Decimal, Money)):
            bad(
                "value",
                f'{raw!r} is not accepted: write a value as a string such as "1450" or '
                '"1.5" (数值须写成文本)',
            )
    else:
        try:
            value = parse_standard_value(spec, data["value"])
        except CivilAffairsError as exc:
            bad("value", exc.message)

    provisional = data.get("provisional", False)
    if provisional is None:
        provisional = False
    if not isinstance(provisional, bool):
        bad("provisional", f"must be true or false, got {provisional!r}")
        provisional = False

    note = fields.note()
    if provisional and not note:
        bad("note", "a provisional value needs a note saying why it is provisional", "required")
    source = fields.source(required=True)
    fields.raise_errors("standard")
    assert spec is not None
    assert start is not None
    assert value is not None
    assert source is not None
    return StandardValue(
        key=spec.key,
        region=str(region),
        residence=residence,
        effective_from=start,
        until=until,
        value=value,
        unit=spec.unit,
        source=source,
        provisional=provisional,
        note=note,
        plugin=plugin,
        keyspec=None if CATALOGUE.get(spec.key) is spec else spec,
    )

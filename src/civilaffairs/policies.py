"""Regional overrides of a programme's policy points (地方政策参数).

A programme declares *policy points*: what a province may change (which income kinds are
excluded, asset limits, multiples, bands, rounding, local supplements), each with a
national default. A plugin overrides a point for a region and a date range through
:class:`PolicyRegistrar`; :class:`PolicyTable` resolves overrides with the same rule as
standards (most specific region, then the latest date on or before the day), and falls
back to the programme's default.

>>> import datetime
>>> from civilaffairs.policies import PolicyOverride, PolicyTable
>>> table = PolicyTable()
>>> table.add(PolicyOverride.build("dibao", "rounding", "110000", "2020-01-01", "up",
...                                plugin="example"))
>>> table.resolve("dibao", "rounding", "110105", datetime.date(2024, 8, 1), "urban", "none").value
'up'
>>> table.resolve("dibao", "rounding", "310101", datetime.date(2024, 8, 1), "urban", "none")
ResolvedPolicy(value='none', override=None)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from civilaffairs.errors import (
    AmbiguousStandard,
    CivilAffairsError,
    PluginError,
    PolicyConflict,
    PolicyError,
    UnknownRegion,
)
from civilaffairs.standards._resolve import RegionSeries, chain_of, sort_key
from civilaffairs.standards.datafile import PathLike, read_data_file
from civilaffairs.standards.values import (
    RecordReader,
    ResidenceScope,
    Source,
    check_region,
    parse_on,
    parse_residence,
)

if TYPE_CHECKING:
    from civilaffairs.periods import Month

__all__ = [
    "PolicyOverride",
    "PolicyPointSpec",
    "PolicyRegistrar",
    "PolicyTable",
    "ProgramSpec",
    "ResolvedPolicy",
    "validate_override",
]


@runtime_checkable
class PolicyPointSpec(Protocol):
    """What a programme's policy point (政策参数) provides; programmes implement it.

    ``validate`` returns the parsed value or raises
    :class:`~civilaffairs.errors.PolicyError`.
    """

    @property
    def name(self) -> str:
        """Identifier of the point within its programme, e.g. ``"rounding"``."""

    @property
    def zh(self) -> str:
        """Chinese label."""

    @property
    def en(self) -> str:
        """English label."""

    @property
    def default(self) -> object:
        """The national default value."""

    def validate(self, value: object) -> object:
        """Parse and check a value given by a plugin (e.g. from TOML)."""


@runtime_checkable
class ProgramSpec(Protocol):
    """What the registry needs of a programme (救助项目): an id and its policy points."""

    @property
    def id(self) -> str:
        """Programme identifier, e.g. ``"dibao"``."""

    @property
    def policy_points(self) -> Mapping[str, PolicyPointSpec]:
        """Policy points by name."""


def _check_text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise CivilAffairsError(
            f"{attribute.name} must be non-empty text",
            path=attribute.name,
            zh="应为非空文本，且首尾不得有空格",
        )


def _check_region(_: object, __: attrs.Attribute[str], value: str) -> None:
    if check_region(value) != value:
        raise UnknownRegion(
            value, detail="give the code without spaces", detail_zh="代码中不得含空格"
        )


@attrs.frozen
class PolicyOverride:
    """One regional override of a policy point (地方政策参数).

    :param program: programme id, e.g. ``"dibao"``.
    :param point: policy point name, e.g. ``"rounding"``.
    :param region: 6-digit region code (or ``"000000"``).
    :param residence: urban, rural or both.
    :param effective_from: first day in force, inclusive.
    :param until: last day in force, inclusive, or ``None``.
    :param value: the value; once registered in a
        :class:`~civilaffairs.registry.Registry`, as parsed by the point's ``validate``.
    :param source: where the rule comes from; optional for policies.
    :param plugin: the plugin that registered it.
    :param note: remarks.
    :param origin: where it was read, ``file: policy[i]``, for an override loaded from a
        data file; errors found when its value is checked name it.
    """

    program: str = attrs.field(validator=_check_text)
    point: str = attrs.field(validator=_check_text)
    region: str = attrs.field(validator=_check_region)
    residence: ResidenceScope = attrs.field(converter=parse_residence)
    effective_from: _dt.date = attrs.field(validator=attrs.validators.instance_of(_dt.date))
    until: _dt.date | None
    value: Any
    source: Source | None
    plugin: str
    note: str | None = None
    origin: str | None = attrs.field(default=None, eq=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.until < self.effective_from:
            raise CivilAffairsError(
                f"until {self.until} is before effective_from {self.effective_from}",
                path="until",
                zh=f"截止日期 {self.until} 早于生效日期 {self.effective_from}",
            )

    @classmethod
    def build(
        cls,
        program: str,
        point: str,
        region: str,
        effective_from: object,
        value: object,
        *,
        source: Source | Mapping[str, Any] | None = None,
        until: object = None,
        residence: ResidenceScope | str = "both",
        note: str | None = None,
        plugin: str,
    ) -> PolicyOverride:
        """Parse and validate the fields (not the value: the programme checks that).

        :raises ValidationError: naming every bad field.
        """
        data: dict[str, Any] = {
            "program": program,
            "point": point,
            "region": region,
            "effective_from": effective_from,
            "value": value,
            "until": until,
            "residence": residence,
            "note": note,
        }
        if source is not None:
            data["source"] = source
        return _build_override(data, plugin=plugin)

    def copy_for(self, plugin: str) -> PolicyOverride:
        """A fresh copy of this override (and of its source), checked again by the
        validators and stamped with *plugin*: what the registry keeps, so changing the
        object a plugin was handed changes nothing the registry serves."""
        source = self.source
        if source is not None:
            source = attrs.evolve(source)
        return attrs.evolve(self, plugin=plugin, source=source)

    @property
    def describe(self) -> str:
        """One line naming the override, for messages."""
        return (
            f"{self.program}.{self.point} {self.region} ({self.residence.value}) "
            f"from {self.effective_from}"
        )


_POLICY_FIELDS = (
    "program",
    "point",
    "region",
    "residence",
    "effective_from",
    "until",
    "value",
    "note",
    "source",
)


def _build_override(
    data: Mapping[str, Any], *, plugin: str, origin: str | None = None
) -> PolicyOverride:
    fields = RecordReader(data, _POLICY_FIELDS)
    texts: dict[str, str] = {}
    for name in ("program", "point"):
        raw = data.get(name)
        if raw is None:
            fields.bad(name, "required", "required")
        elif not isinstance(raw, str) or not raw.strip():
            fields.bad(name, "must be non-empty text")
        else:
            texts[name] = raw.strip()
    region = fields.region()
    residence = fields.residence()
    start, until = fields.dates()
    if "value" not in data:
        fields.bad("value", "required", "required")
    note = fields.note()
    source = fields.source(required=False)
    fields.raise_errors("policy")
    assert start is not None
    return PolicyOverride(
        program=texts["program"],
        point=texts["point"],
        region=str(region),
        residence=residence,
        effective_from=start,
        until=until,
        value=data["value"],
        source=source,
        plugin=plugin,
        note=note,
        origin=origin,
    )


def _where(override: PolicyOverride, field: str) -> tuple[str, str]:
    """The prefix of an error about *field* of *override*, in English and Chinese: the
    data file and entry it came from (``standards.toml: policy[2].value: ``) when it was
    loaded from one, and the override itself."""
    if override.origin is None:
        return f"policy {override.describe}: ", f"政策 {override.describe}："
    return (
        f"{override.origin}.{field}: policy {override.describe}: ",
        f"{override.origin}.{field}：政策 {override.describe}：",
    )


def validate_override(override: PolicyOverride, programs: Mapping[str, object]) -> PolicyOverride:
    """Check *override* against the registered programmes; return it with the parsed value.

    :raises PolicyError: for an unknown programme or point, or a value the point refuses.
    """
    program = programs.get(override.program)
    if program is None:
        known = ", ".join(sorted(programs)) or "none"
        en, zh = _where(override, "program")
        raise PolicyError(
            f"{en}unknown programme {override.program!r} (registered: {known})",
            zh=f"{zh}未知的救助项目 {override.program!r}（已登记的项目：{known}）",
        )
    points: Mapping[str, Any] = getattr(program, "policy_points", {})
    spec = points.get(override.point)
    if spec is None:
        known = ", ".join(sorted(points)) or "none"
        en, zh = _where(override, "point")
        raise PolicyError(
            f"{en}programme {override.program!r} has no policy point {override.point!r} "
            f"(its points: {known})",
            zh=f"{zh}救助项目 {override.program!r} 没有政策参数 {override.point!r}"
            f"（其政策参数：{known}）",
        )
    try:
        parsed = spec.validate(override.value)
    except PolicyError as exc:
        en, zh = _where(override, "value")
        raise PolicyError(f"{en}{exc}", zh=f"{zh}{exc.message_zh}") from exc
    return attrs.evolve(override, value=parsed)


@attrs.frozen
class ResolvedPolicy:
    """The value of a policy point for a region and date, and the override it came from
    (``None``: the programme's default applies)."""

    value: Any
    override: PolicyOverride | None

    @property
    def is_default(self) -> bool:
        """Whether no override applies."""
        return self.override is None


_PSlot = tuple[str, str, str, ResidenceScope, _dt.date]


def _pslot(o: PolicyOverride) -> _PSlot:
    return (o.program, o.point, o.region, o.residence, o.effective_from)


class PolicyTable:
    """Registered policy overrides, resolved like standards (政策参数表)."""

    def __init__(self, overrides: Iterable[PolicyOverride] = ()) -> None:
        self._series: dict[tuple[str, str], dict[str, RegionSeries[PolicyOverride]]] = {}
        self._slots: dict[_PSlot, PolicyOverride] = {}
        self._blocked: dict[tuple[str, str], list[tuple[PolicyOverride, PolicyConflict]]] = {}
        self._frozen = False
        for o in overrides:
            self.add(o)

    def find_conflict(self, override: PolicyOverride) -> PolicyOverride | None:
        """The registered override occupying the same slot, if any."""
        return self._slots.get(_pslot(override))

    def add(self, override: PolicyOverride) -> None:
        """Register *override*.

        :raises PolicyConflict: if the same programme, point, region, residence and date
            is registered already (by any plugin, including the same one).
        """
        if self._frozen:
            raise CivilAffairsError(
                "this policy table belongs to a built registry and is read-only"
            )
        existing = self.find_conflict(override)
        if existing is not None:
            raise policy_conflict_error(existing, override)
        self._slots[_pslot(override)] = override
        self._series.setdefault((override.program, override.point), {}).setdefault(
            override.region, RegionSeries()
        ).insert(override)

    def block(self, override: PolicyOverride, conflict: PolicyConflict) -> None:
        """Disable *override*: two plugins claimed its slot. It is not added; a lookup
        for which it would be in force raises *conflict* instead of falling back."""
        if self._frozen:
            raise CivilAffairsError(
                "this policy table belongs to a built registry and is read-only"
            )
        self._blocked.setdefault((override.program, override.point), []).append(
            (override, conflict)
        )

    @property
    def conflicts(self) -> list[PolicyConflict]:
        """The conflicts of the overrides disabled with :meth:`block`."""
        seen: dict[int, PolicyConflict] = {}
        for entries in self._blocked.values():
            for _, conflict in entries:
                seen.setdefault(id(conflict), conflict)
        return list(seen.values())

    def freeze(self) -> None:
        """Make the table read-only."""
        self._frozen = True

    def _in_force(
        self, program: str, point: str, chain: tuple[str, ...], day: _dt.date, res: ResidenceScope
    ) -> PolicyOverride | None:
        by_region = self._series.get((program, point)) or {}
        blocked = self._blocked.get((program, point))
        for code in chain:
            series = by_region.get(code)
            found = series.in_force(day, res) if series is not None else None
            for o, conflict in blocked or ():
                if o.region != code or o.effective_from > day:
                    continue
                if o.residence is not res and o.residence is not ResidenceScope.BOTH:
                    continue
                if o.until is not None and o.until < day:
                    continue
                if found is None or sort_key(o) >= sort_key(found):
                    raise conflict
            if found is not None:
                return found
        return None

    def resolve(
        self,
        program: str,
        point: str,
        region: str,
        on: _dt.date | Month | str,
        residence: ResidenceScope | str | None,
        default: object,
    ) -> ResolvedPolicy:
        """The value of a policy point for *region* on *on*.

        :param residence: ``"urban"`` or ``"rural"``; ``None`` (or ``"both"``) requires
            the urban and rural answers to agree
            (:class:`~civilaffairs.errors.AmbiguousStandard` otherwise).
        :param default: the programme's default, returned when no override applies.
        """
        chain = chain_of(region)
        day = parse_on(on)
        res = None if residence is None else parse_residence(residence)
        if res is not None and res is not ResidenceScope.BOTH:
            found = self._in_force(program, point, chain, day, res)
        else:
            found = self._in_force(program, point, chain, day, ResidenceScope.URBAN)
            rural = self._in_force(program, point, chain, day, ResidenceScope.RURAL)
            if found is not rural:
                raise AmbiguousStandard(
                    f"policy {program}.{point} for region {chain[0]} on {day} differs between "
                    "urban and rural: pass residence='urban' or 'rural'"
                )
        if found is None:
            return ResolvedPolicy(default, None)
        return ResolvedPolicy(found.value, found)

    def overrides(
        self, program: str | None = None, point: str | None = None, region: str | None = None
    ) -> list[PolicyOverride]:
        """Registered overrides, sorted by programme, point, region and date."""
        out = [
            o
            for o in self._slots.values()
            if (program is None or o.program == program)
            and (point is None or o.point == point)
            and (region is None or o.region == region)
        ]
        out.sort(key=lambda o: (o.program, o.point, o.region, o.effective_from, o.residence))
        return out

    def __len__(self) -> int:
        return len(self._slots)

    def __iter__(self) -> Iterator[PolicyOverride]:
        return iter(self.overrides())

    def __repr__(self) -> str:
        return f"<PolicyTable: {len(self)} overrides>"


def policy_conflict_error(first: PolicyOverride, second: PolicyOverride) -> PolicyConflict:
    """The :class:`PolicyConflict` for two overrides claiming one slot."""
    same = " (the same plugin registered it twice)" if first.plugin == second.plugin else ""
    return PolicyConflict(
        f"policy {first.describe} is registered twice: by plugin {first.plugin!r} and by "
        f"plugin {second.plugin!r}{same} (政策冲突)",
        plugins=(first.plugin, second.plugin),
    )


class PolicyRegistrar:
    """Registers policy overrides for one plugin (政策参数登记器).

    Values are checked against the programme's policy points once every plugin has
    registered its programmes; a bad value then becomes a
    :class:`~civilaffairs.errors.PluginError` naming this plugin.
    """

    def __init__(self, plugin: str, table: PolicyTable | None = None) -> None:
        self._plugin = plugin
        #: Where the overrides go.
        self.table = table if table is not None else PolicyTable()
        #: Data files loaded: identity -> (file name, standards in it, policies in it).
        self.loaded_files: dict[str, tuple[str, int, int]] = {}

    @property
    def plugin(self) -> str:
        """Name of the plugin the overrides are registered for (read-only: the host sets
        it; the registry stamps every override with the plugin manager's name for the
        plugin, whatever this says)."""
        return self._plugin

    @plugin.setter
    def plugin(self, _: object) -> None:
        raise PluginError(
            self._plugin,
            "register.plugin is set by the host and cannot be changed: a plugin registers "
            "only under its own name",
        )

    def add(
        self,
        program: str,
        point: str,
        region: str,
        effective_from: object,
        value: object,
        *,
        source: Source | Mapping[str, Any] | None = None,
        until: object = None,
        residence: ResidenceScope | str = "both",
        note: str | None = None,
    ) -> PolicyOverride:
        """Register one override and return it.

        :param program: programme id, e.g. ``"dibao"``.
        :param point: policy point name, e.g. ``"rounding"``.
        :param region: 6-digit region code.
        :param effective_from: first day in force.
        :param value: the value, as the point's ``validate`` accepts it.
        :param source: optional :class:`~civilaffairs.standards.values.Source` or mapping.
        :param until: last day in force, inclusive.
        :param residence: urban, rural or both.
        :param note: remarks.
        """
        override = PolicyOverride.build(
            program,
            point,
            region,
            effective_from,
            value,
            source=source,
            until=until,
            residence=residence,
            note=note,
            plugin=self.plugin,
        )
        self.table.add(override)
        return override

    def load(self, path: PathLike) -> list[PolicyOverride]:
        """Register every ``[[policy]]`` entry of a TOML file (or a policy CSV).

        :raises DataFileError: listing every bad field as ``file: policy[i].field: message``.
        """
        data = read_data_file(path)
        overrides = data.policy_overrides(self.plugin)
        for o in overrides:
            existing = self.table.find_conflict(o)
            if existing is not None:
                raise policy_conflict_error(existing, o)
        for o in overrides:
            self.table.add(o)
        self.loaded_files[data.ident] = (data.name, len(data.standards), len(data.policies))
        return overrides

    def __repr__(self) -> str:
        return f"<PolicyRegistrar for plugin {self.plugin!r}>"

"""What the installed standards cover (标准覆盖情况): for every county of the installed
provinces and every programme, whether it can be assessed on a date, with which standards,
which of them are provisional or stale, and what is missing.

A programme is *assessable* in a county for a residence when its rules are in force on the
date, every standard it requires resolves there (a value of the county, its prefecture, its
province or the national baseline), none of them is disabled by a conflict between plugins,
and every programme it depends on is assessable too. A programme whose standards are all
optional (the old-age allowance bands) needs at least one of them set. It is the question
:func:`~civilaffairs.engine.single.assess` answers household by household, asked once per
county, from the same resolution (:func:`~civilaffairs.engine.resolve.resolve_group`).

>>> from civilaffairs.coverage import coverage
>>> from civilaffairs.testing import isolated_registry
>>> report = coverage(isolated_registry(), on="2024-08-01", provinces=["110000"])
>>> cell = report.cell("110105", "dibao", "urban")
>>> cell.status, cell.missing
('missing', ('dibao.standard',))
>>> orphan = report.cell("110105", "orphan", "urban")
>>> orphan.status, orphan.detail
('dependency', 'tekun')
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from civilaffairs import regions
from civilaffairs.engine.resolve import STALE_MONTHS, resolve_group, stale_since
from civilaffairs.engine.single import evaluation_order
from civilaffairs.errors import CivilAffairsError, UnknownRegion
from civilaffairs.programs.module import in_scope
from civilaffairs.standards.values import parse_on

__all__ = [
    "RESIDENCES",
    "Cell",
    "CoverageReport",
    "ProgramSummary",
    "ProvinceSummary",
    "StandardUse",
    "Status",
    "assessable_counties",
    "coverage",
    "installed_provinces",
]

#: Why a programme can or cannot be assessed in a county (评估状态):
#: ``assessable``; ``missing`` (a required standard has no value); ``conflict`` (a standard
#: it reads is disabled by a conflict between plugins); ``dependency`` (a programme it
#: depends on is not assessable); ``no_rules`` (no rule version in force on the date);
#: ``out_of_scope`` (its service module does not serve the county); ``not_in_force`` (a
#: condition that reads nothing of the household fails here, such as a programme a province
#: has not switched on); ``not_applicable`` (its rule for when to assess, reading nothing of
#: the household, is false here).
Status = Literal[
    "assessable",
    "missing",
    "conflict",
    "dependency",
    "no_rules",
    "out_of_scope",
    "not_in_force",
    "not_applicable",
]

#: The residences reported, in order.
RESIDENCES = ("urban", "rural")

_STATUS_TEXT = {
    "assessable": ("可评估", "assessable"),
    "missing": ("缺少标准", "standard missing"),
    "conflict": ("标准冲突", "standard in conflict"),
    "dependency": ("依赖项目不可评估", "depends on a programme not assessable"),
    "no_rules": ("无施行中的规则", "no rules in force"),
    "out_of_scope": ("不在服务范围", "out of the module's scope"),
    "not_in_force": ("本地未实施", "not in force here"),
    "not_applicable": ("本地不适用", "not applicable here"),
}

#: Expression operations that read the household (its members, incomes, statuses, or what
#: other programmes decided for it).
_HOUSEHOLD_OPS = frozenset({"input", "income", "pincome", "has", "eligible", "peer"})


@attrs.frozen
class StandardUse:
    """One standard value a programme would use in a county (所用标准)."""

    key: str
    #: The value as written (``"1450.00"``, ``"1.5"``).
    value: str
    #: The region the value is registered at (a county's value may come from its province).
    region: str
    effective_from: _dt.date
    plugin: str
    provisional: bool
    #: ``YYYY-MM`` the value is in force from, when it is older than
    #: :data:`~civilaffairs.engine.resolve.STALE_MONTHS` months with no successor; else ``None``.
    stale_since: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "key": self.key,
            "value": self.value,
            "region": self.region,
            "effective_from": self.effective_from.isoformat(),
            "plugin": self.plugin,
            "provisional": self.provisional,
            "stale_since": self.stale_since,
        }

    def label(self) -> str:
        """``key=value@region``, with ``[provisional]`` and ``[stale since …]`` flags."""
        flags = ""
        if self.provisional:
            flags += "[provisional]"
        if self.stale_since:
            flags += f"[stale since {self.stale_since}]"
        return f"{self.key}={self.value}@{self.region}{flags}"


@attrs.frozen
class Cell:
    """One county, programme and residence (一个县级区划、一个项目、一种户籍类别)."""

    province: str
    county: str
    county_name: str
    program: str
    residence: str
    status: Status
    #: The standards it would read that resolve, in reading order.
    standards: tuple[StandardUse, ...] = ()
    #: Required standards with no value (or disabled by a conflict).
    missing: tuple[str, ...] = ()
    #: Optional standards with no value: the rules treat them as *not set*.
    not_set: tuple[str, ...] = ()
    #: The conflict message (``conflict``) or the programme depended on (``dependency``).
    detail: str = ""

    @property
    def assessable(self) -> bool:
        """Whether the programme can be assessed here."""
        return self.status == "assessable"

    @property
    def provisional(self) -> tuple[str, ...]:
        """Keys of the provisional values it uses."""
        return tuple(s.key for s in self.standards if s.provisional)

    @property
    def stale(self) -> tuple[str, ...]:
        """Keys of the stale values it uses."""
        return tuple(s.key for s in self.standards if s.stale_since)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "province": self.province,
            "county": self.county,
            "county_name": self.county_name,
            "program": self.program,
            "residence": self.residence,
            "status": self.status,
            "assessable": self.assessable,
            "standards": [s.to_dict() for s in self.standards],
            "provisional": list(self.provisional),
            "stale": list(self.stale),
            "missing": list(self.missing),
            "not_set": list(self.not_set),
            "detail": self.detail,
        }


@attrs.frozen
class ProgramSummary:
    """How many counties of a province one programme covers (按项目汇总).

    A county counts as assessable when the programme is assessable there for both urban
    and rural residents; ``partial`` when for one of them only.
    """

    program: str
    zh: str
    en: str
    #: Counties the programme's module serves.
    counties: int
    assessable: int
    partial: int
    #: Counties where it is not assessable for either residence.
    none: int
    #: Assessable counties that use at least one provisional value.
    provisional: int
    #: Assessable counties that use at least one stale value.
    stale: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return attrs.asdict(self)


@attrs.frozen
class ProvinceSummary:
    """One province's coverage (按省汇总)."""

    code: str
    name: str
    counties: int
    programs: tuple[ProgramSummary, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "code": self.code,
            "name": self.name,
            "counties": self.counties,
            "programs": [p.to_dict() for p in self.programs],
        }


@attrs.frozen
class Gap:
    """Counties where one programme is not assessable for one reason (覆盖缺口)."""

    province: str
    program: str
    status: Status
    #: The missing keys, or the conflict / dependency detail.
    what: tuple[str, ...]
    #: ``(county, name, residences)`` of every county with this gap.
    counties: tuple[tuple[str, str, tuple[str, ...]], ...]


@attrs.frozen
class CoverageReport:
    """The coverage of every county of some provinces on one date (覆盖情况报告)."""

    on: _dt.date
    provinces: tuple[str, ...]
    #: Programme ids in evaluation order, with their Chinese and English names.
    programs: tuple[tuple[str, str, str], ...]
    cells: tuple[Cell, ...]
    _index: dict[tuple[str, str, str], Cell] = attrs.field(
        init=False, repr=False, eq=False, factory=dict
    )

    def cell(self, county: str, program: str, residence: str) -> Cell:
        """The cell of *county*, *program* and *residence*.

        :raises KeyError: if the report has no such cell.
        """
        if not self._index:
            self._index.update({(c.county, c.program, c.residence): c for c in self.cells})
        return self._index[(county, program, residence)]

    def summary(self) -> tuple[ProvinceSummary, ...]:
        """Per province, per programme: counties covered, partly covered and not."""
        out = []
        for province in self.provinces:
            cells = [c for c in self.cells if c.province == province]
            counties = sorted({c.county for c in cells})
            programs = []
            for pid, zh, en in self.programs:
                by_county: dict[str, list[Cell]] = {}
                for c in cells:
                    if c.program == pid and c.status != "out_of_scope":
                        by_county.setdefault(c.county, []).append(c)
                full = [v for v in by_county.values() if all(c.assessable for c in v)]
                partial = [
                    v
                    for v in by_county.values()
                    if any(c.assessable for c in v) and not all(c.assessable for c in v)
                ]
                programs.append(
                    ProgramSummary(
                        pid,
                        zh,
                        en,
                        len(by_county),
                        len(full),
                        len(partial),
                        len(by_county) - len(full) - len(partial),
                        sum(1 for v in full if any(c.provisional for c in v)),
                        sum(1 for v in full if any(c.stale for c in v)),
                    )
                )
            out.append(
                ProvinceSummary(
                    province, regions.get(province).name, len(counties), tuple(programs)
                )
            )
        return tuple(out)

    def gaps(self) -> list[Gap]:
        """Where programmes are not assessable, grouped by province, programme and reason."""
        grouped: dict[tuple[str, str, str, tuple[str, ...]], dict[str, list[str]]] = {}
        names: dict[str, str] = {}
        for c in self.cells:
            if c.assessable or c.status == "out_of_scope":
                continue
            what = c.missing if c.status == "missing" else (c.detail,) if c.detail else ()
            slot = grouped.setdefault((c.province, c.program, c.status, what), {})
            slot.setdefault(c.county, []).append(c.residence)
            names[c.county] = c.county_name
        return [
            Gap(
                province,
                program,
                status,  # type: ignore[arg-type]
                what,
                tuple((code, names[code], tuple(res)) for code, res in sorted(counties.items())),
            )
            for (province, program, status, what), counties in grouped.items()
        ]

    def used(self) -> list[StandardUse]:
        """Every distinct standard value the assessable cells use, by key and region."""
        seen: dict[tuple[str, str, _dt.date, str], StandardUse] = {}
        for c in self.cells:
            for s in c.standards:
                seen.setdefault((s.key, s.region, s.effective_from, s.value), s)
        return sorted(seen.values(), key=lambda s: (s.key, s.region, s.effective_from))

    # -- output ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: date, summary per province, gaps and every cell."""
        return {
            "on": self.on.isoformat(),
            "stale_after_months": STALE_MONTHS,
            "provinces": [p.to_dict() for p in self.summary()],
            "gaps": [
                {
                    "province": g.province,
                    "program": g.program,
                    "status": g.status,
                    "what": list(g.what),
                    "counties": [
                        {"code": code, "name": name, "residences": list(res)}
                        for code, name, res in g.counties
                    ],
                }
                for g in self.gaps()
            ],
            "cells": [c.to_dict() for c in self.cells],
        }

    def to_csv(self) -> str:
        """One row per county, programme and residence."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(
            [
                "on",
                "province",
                "county",
                "county_name",
                "program",
                "residence",
                "status",
                "standards",
                "provisional",
                "stale",
                "missing",
                "not_set",
                "detail",
            ]
        )
        for c in self.cells:
            writer.writerow(
                [
                    self.on.isoformat(),
                    c.province,
                    c.county,
                    c.county_name,
                    c.program,
                    c.residence,
                    c.status,
                    ";".join(s.label() for s in c.standards),
                    ";".join(c.provisional),
                    ";".join(c.stale),
                    ";".join(c.missing),
                    ";".join(c.not_set),
                    c.detail,
                ]
            )
        return buffer.getvalue()

    def to_text(self, lang: str = "zh") -> str:
        """A summary table per province and its gaps, in ``"zh"`` or ``"en"``."""
        zh = lang == "zh"
        lines = [f"{'标准覆盖情况' if zh else 'Coverage'} · {self.on.isoformat()}"]
        head = (
            ("项目", "县级区划", "可评估", "部分", "不可评估", "含暂定值", "含过期值")
            if zh
            else ("programme", "counties", "assessable", "partial", "none", "provisional", "stale")
        )
        gaps = self.gaps()
        for s in self.summary():
            lines += ["", f"{s.name} {s.code} · {s.counties} {'个县级区划' if zh else 'counties'}"]
            rows = [head] + [
                (
                    p.program,
                    str(p.counties),
                    str(p.assessable),
                    str(p.partial),
                    str(p.none),
                    str(p.provisional),
                    str(p.stale),
                )
                for p in s.programs
            ]
            widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
            for r in rows:
                lines.append(
                    "  "
                    + "  ".join(
                        v.ljust(w) if i == 0 else v.rjust(w)
                        for i, (v, w) in enumerate(zip(r, widths, strict=True))
                    )
                )
            mine = [g for g in gaps if g.province == s.code]
            if mine:
                lines.append(f"  {'缺口' if zh else 'gaps'}:")
                for g in mine:
                    lines.append(f"    {_gap_line(g, s.counties, lang, self.on.year)}")
        return "\n".join(lines)

    def to_rst(self, lang: str = "zh") -> list[str]:
        """reST lines for a documentation page of one report (used by the docs site)."""
        zh = lang == "zh"
        out: list[str] = []
        gaps = self.gaps()
        for s in self.summary():
            title = f"{s.name} {s.code} · {self.on.isoformat()}"
            out += [title, "-" * (len(title) * 2), ""]
            out += [
                f"{s.counties} 个县级区划。" if zh else f"{s.counties} counties.",
                "",
                ".. list-table::",
                "   :header-rows: 1",
                "",
            ]
            head = (
                ("项目", "可评估", "部分", "不可评估", "含暂定值", "含过期值")
                if zh
                else ("programme", "assessable", "partial", "none", "provisional", "stale")
            )
            out.append(f"   * - {head[0]}")
            out += [f"     - {h}" for h in head[1:]]
            for p in s.programs:
                out.append(f"   * - ``{p.program}`` {p.zh if zh else p.en}")
                out += [
                    f"     - {v}" for v in (p.assessable, p.partial, p.none, p.provisional, p.stale)
                ]
            out.append("")
            mine = [g for g in gaps if g.province == s.code]
            if mine:
                out += ["缺口：" if zh else "Gaps:", ""]
                out += [f"* {_gap_line(g, s.counties, lang, self.on.year, rst=True)}" for g in mine]
                out.append("")
            used = [
                u
                for u in self.used()
                if (u.provisional or u.stale_since) and u.region[:2] in (s.code[:2], "00")
            ]
            if used:
                out += [
                    "所用的暂定值与过期值：" if zh else "Provisional and stale values in use:",
                    "",
                ]
                for u in used:
                    flags = []
                    if u.provisional:
                        flags.append("暂定" if zh else "provisional")
                    if u.stale_since:
                        flags.append(
                            f"自 {u.stale_since} 起未更新"
                            if zh
                            else f"unchanged since {u.stale_since}"
                        )
                    out.append(
                        f"* ``{u.key}`` {u.value} @ {u.region} {_name(u.region)} "
                        f"({u.effective_from.isoformat()}; {', '.join(flags)})"
                    )
                out.append("")
        return out


def _name(code: str) -> str:
    try:
        return regions.get(code).name
    except CivilAffairsError:
        return ""


def _gap_line(gap: Gap, total: int, lang: str, year: int, *, rst: bool = False) -> str:
    zh = lang == "zh"
    tick = "``" if rst else ""
    reason = _STATUS_TEXT[gap.status][0 if zh else 1]
    what = ", ".join(f"{tick}{w}{tick}" for w in gap.what)
    if gap.status == "missing":
        reason = f"{'缺少' if zh else 'missing'} {what}"
    elif gap.status == "dependency":
        reason = f"{'依赖的项目不可评估' if zh else 'depends on'} {what}"
    elif what:
        reason = f"{reason}: {what}"
    counties = gap.counties
    if len(counties) == total and all(len(res) == 2 for _, _, res in counties):
        where = f"全部 {total} 个县级区划" if zh else f"all {total} counties"
    else:
        where = ", ".join(_places(counties, zh, year))
        where = f"{len(counties)} 个：{where}" if zh else f"{len(counties)}: {where}"
    return f"{tick}{gap.program}{tick} — {reason} — {where}"


def _places(counties: Sequence[tuple[str, str, tuple[str, ...]]], zh: bool, year: int) -> list[str]:
    """County names; a whole prefecture (both residences) written once, as the prefecture."""
    by_parent: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    for entry in counties:
        parent = regions.get(entry[0]).parent_code or ""
        by_parent.setdefault(parent, []).append(entry)
    out: list[str] = []
    for parent, entries in by_parent.items():
        prefecture = regions.get(parent) if parent else None
        under = (
            {c.code for c in prefecture.children() if c.valid_in(year)}
            if prefecture is not None and prefecture.level is regions.Level.PREFECTURE
            else set()
        )
        whole = under == {e[0] for e in entries} and all(len(e[2]) == 2 for e in entries)
        if whole and prefecture is not None and not prefecture.is_pseudo:
            out.append(
                f"{prefecture.code} {prefecture.name}（全部 {len(under)} 个）"
                if zh
                else f"{prefecture.code} {prefecture.name} (all {len(under)})"
            )
            continue
        out += [
            f"{code} {name}" + ("" if len(res) == 2 else f" ({'/'.join(res)})")
            for code, name, res in entries
        ]
    return out


def installed_provinces(registry: Any) -> tuple[str, ...]:
    """The provinces the loaded plugins govern (not the core's whole country), sorted."""
    found: set[str] = set()
    for record in registry.plugins:
        if record.builtin or record.status != "loaded" or not record.provinces:
            continue
        found.update(record.provinces)
    return tuple(sorted(found))


def coverage(
    registry: Any = None,
    *,
    on: _dt.date | str | None = None,
    provinces: Iterable[str] | None = None,
    programs: Sequence[str] | None = None,
) -> CoverageReport:
    """The coverage of every county of *provinces* on *on*.

    :param registry: standards, policies and programmes (the installed plugins' by default).
    :param on: the date (``YYYY-MM-DD``, ``YYYY-MM`` or a date); default today.
    :param provinces: province codes (``"440000"``); default :func:`installed_provinces`.
    :param programs: programme ids to report (their dependencies are checked too); default
        every registered programme.
    :raises UnknownRegion: for a code that is not a province.
    :raises UnknownProgram: for an unknown programme id.
    """
    if registry is None:
        from civilaffairs.registry import get_registry

        registry = get_registry()
    day = parse_on(on) if on is not None else _dt.date.today()
    codes = tuple(provinces) if provinces is not None else installed_provinces(registry)
    wanted: list[str] = []
    for code in codes:
        region = regions.get(code)
        if region.level is not regions.Level.PROVINCE:
            raise UnknownRegion(
                code,
                path="provinces",
                detail="not a province-level code (e.g. 440000)",
                detail_zh="不是省级代码（如 440000）",
            )
        if region.code not in wanted:
            wanted.append(region.code)
    order, report = evaluation_order(registry.programs, programs)
    cells: list[Cell] = []
    for province in wanted:
        for county in _counties(province, day.year):
            for residence in RESIDENCES:
                done = _county_cells(registry, order, province, county, residence, day)
                cells += [done[pid] for pid in report]
    names = tuple((p, registry.programs[p].zh, registry.programs[p].en) for p in report)
    return CoverageReport(day, tuple(wanted), names, tuple(cells))


def assessable_counties(
    registry: Any, program: str, region: str, on: _dt.date | str, residence: str
) -> tuple[str, ...]:
    """The counties under *region* (a province, prefecture or county code) where *program*
    is assessable on *on* for *residence*, as :func:`coverage` decides it.

    >>> from civilaffairs.testing import isolated_registry
    >>> assessable_counties(isolated_registry(), "dibao", "110000", "2024-08-01", "urban")
    ()
    """
    day = parse_on(on)
    code = regions.get(region).code
    province = code[:2] + "0000"
    order, _ = evaluation_order(registry.programs, [program])
    found = []
    for county in _counties(code, day.year):
        done = _county_cells(registry, order, province, county, residence, day)
        if done[program].assessable:
            found.append(county.code)
    return tuple(found)


def _counties(code: str, year: int) -> list[Any]:
    region = regions.get(code)
    if region.level is regions.Level.COUNTY:
        return [region] if region.valid_in(year) else []
    return [c for c in regions.counties_under(code, current_only=False) if c.valid_in(year)]


def _county_cells(
    registry: Any,
    order: Sequence[Any],
    province: str,
    county: Any,
    residence: str,
    day: _dt.date,
) -> dict[str, Cell]:
    done: dict[str, Cell] = {}
    for prog in order:
        done[prog.id] = _cell(registry, prog, province, county, residence, day, done)
    _settle(registry, order, county, residence, day, done)
    return done


def _household_free(expr: Any, version: Any) -> bool:
    """Whether *expr* reads nothing of the household (only standards, policies, constants)."""
    for node in expr.walk():
        if node.op in _HOUSEHOLD_OPS:
            return False
        if node.op == "ref" and not _household_free(version.quantity(node.meta[1]).expr, version):
            return False
    return True


def _settle(
    registry: Any,
    order: Sequence[Any],
    county: Any,
    residence: str,
    day: _dt.date,
    done: dict[str, Cell],
) -> None:
    """Mark assessable programmes whose household-free conditions fail, or whose
    household-free rule for when to assess is false, in *county*: found by assessing a
    one-person household there, since those rules give the same answer for any household."""
    checks: dict[str, tuple[list[str], bool]] = {}
    for prog in order:
        cell = done[prog.id]
        if not cell.assessable:
            continue
        version = prog.version_on(day)
        fixed = [c.id for c in version.conditions if _household_free(c.test, version)]
        applies = version.applies is not None and _household_free(version.applies, version)
        if fixed or applies:
            checks[prog.id] = (fixed, applies)
    if not checks:
        return
    from civilaffairs.domain import Household, Person, Relation, Residence
    from civilaffairs.engine.single import assess
    from civilaffairs.ids import Sex
    from civilaffairs.periods import Month

    probe = Household(
        id="coverage-probe",
        region=county.code,
        residence=Residence(residence),
        members=(
            Person(birth_date=_dt.date(day.year - 40, 1, 1), sex=Sex.MALE, relation=Relation.HEAD),
        ),
    )
    result = assess(probe, Month.of(day), registry=registry, programs=list(checks))
    decisions = {d.program: d for d in result.decisions}
    skipped = {s.program: s for s in result.skipped}
    for pid, (fixed, _) in checks.items():
        cell = done[pid]
        if pid in skipped and pid not in decisions:
            done[pid] = attrs.evolve(cell, status="not_applicable", detail=skipped[pid].reason_en)
            continue
        decision = decisions.get(pid)
        failed = [
            c.id
            for c in (decision.conditions if decision else ())
            if c.id in fixed and c.tested and not c.passed
        ]
        if failed:
            done[pid] = attrs.evolve(cell, status="not_in_force", detail=", ".join(failed))
    for prog in order:  # what depends on a programme that is not in force is not either
        cell = done[prog.id]
        blocked = next((d for d in prog.depends_on if d in done and not done[d].assessable), None)
        if cell.assessable and blocked is not None:
            done[prog.id] = attrs.evolve(cell, status="dependency", detail=blocked)


def _cell(
    registry: Any,
    prog: Any,
    province: str,
    county: Any,
    residence: str,
    day: _dt.date,
    done: dict[str, Cell],
) -> Cell:
    base = {
        "province": province,
        "county": county.code,
        "county_name": county.name,
        "program": prog.id,
        "residence": residence,
    }
    scope = registry.program_scope(prog.id)
    if scope and not in_scope(county.code, scope):
        return Cell(**base, status="out_of_scope")
    version = prog.version_on(day)
    if version is None:
        return Cell(**base, status="no_rules")
    compiled = version.compiled()
    group = resolve_group(registry, prog, compiled, county.code, residence, day)
    used = tuple(
        StandardUse(
            v.key,
            str(v.value),
            v.region,
            v.effective_from,
            v.plugin,
            v.provisional,
            stale_since(registry, v, day),
        )
        for v in group.standards.values()
    )
    missing = tuple(k for k in group.missing if k in compiled.required)
    not_set = tuple(k for k in group.missing if k not in compiled.required)
    if compiled.standards and not used:
        # every standard it reads is optional and none is set: nothing to assess with
        missing, not_set = missing + not_set, ()
    if group.conflict is not None:
        return Cell(
            **base,
            status="conflict",
            standards=used,
            missing=missing,
            not_set=not_set,
            detail=group.conflict.message_en,
        )
    if missing:
        return Cell(**base, status="missing", standards=used, missing=missing, not_set=not_set)
    blocked = next((d for d in prog.depends_on if d in done and not done[d].assessable), None)
    if blocked is not None:
        return Cell(**base, status="dependency", standards=used, not_set=not_set, detail=blocked)
    return Cell(**base, status="assessable", standards=used, not_set=not_set)

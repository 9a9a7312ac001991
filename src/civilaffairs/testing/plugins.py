"""Isolated registries and assertion helpers for plugin authors (插件测试工具).

Everything here is re-exported from :mod:`civilaffairs.testing`; it imports neither
hypothesis nor numpy.

>>> from civilaffairs.testing import isolated_registry, assert_all_cited
>>> registry = isolated_registry()          # the national baseline alone
>>> [p.name for p in registry.plugins]
['national']
>>> assert_all_cited(registry, plugin="national")
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from civilaffairs.errors import (
    CivilAffairsError,
    MissingStandard,
    PluginError,
    PolicyConflict,
    StandardConflict,
)

if TYPE_CHECKING:
    from civilaffairs.periods import Month
    from civilaffairs.plugin_manager import PluginManager
    from civilaffairs.registry import Registry
    from civilaffairs.standards import StandardValue

__all__ = [
    "assert_all_cited",
    "assert_counties_covered",
    "assert_data_file_matches",
    "assert_no_conflicts",
    "assert_no_plugin_errors",
    "check_data_file_plugin",
    "isolated_plugin_manager",
    "isolated_registry",
    "read_plugin_data",
]


def _load_entry_point(name: str) -> object:
    from civilaffairs.plugin_manager import ENTRY_POINT_GROUP

    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            return ep.load()
    raise PluginError(
        name,
        f"no entry point {name!r} in group {ENTRY_POINT_GROUP!r}: is the plugin installed "
        "(pip install -e .) and is its [project.entry-points.civilaffairs] table right?",
    )


def isolated_plugin_manager(
    *plugins: object, national: bool = True, strict: bool = True
) -> PluginManager:
    """A plugin manager holding only *plugins* (and the national baseline).

    :param plugins: plugin modules or objects, or entry-point names (``"beijing"``), which
        are loaded through the ``civilaffairs`` entry-point group, so the test also checks
        the plugin's packaging. A module is named after its entry point when it has one; a
        mapping gives plugins with explicit names (``{"beijing": module}``).
    :param national: include the built-in national baseline.
    :param strict: raise plugin errors instead of recording them.
    """
    from civilaffairs.plugin_manager import ENTRY_POINT_GROUP, make_plugin_manager

    named: dict[str, object] = {}
    by_value = {
        ep.value: ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    }
    for plugin in plugins:
        if isinstance(plugin, Mapping):
            named.update(plugin)
            continue
        if isinstance(plugin, str):
            named[plugin] = _load_entry_point(plugin)
            continue
        module_name = getattr(plugin, "__name__", None)
        name = by_value.get(module_name, module_name) if isinstance(module_name, str) else None
        named[name or f"{type(plugin).__module__}.{type(plugin).__qualname__}"] = plugin
    return make_plugin_manager(
        load_entrypoints=False, strict=strict, plugins=named, builtins=national
    )


def isolated_registry(*plugins: object, national: bool = True, strict: bool = True) -> Registry:
    """A :class:`~civilaffairs.registry.Registry` of only *plugins* plus the national baseline.

    Arguments as :func:`isolated_plugin_manager`. With ``strict=True`` (the default) the
    first plugin error is raised, with its message, so a test fails where the data is wrong.
    """
    from civilaffairs.registry import build_registry

    pm = isolated_plugin_manager(*plugins, national=national, strict=strict)
    return build_registry(pm, strict=strict)


def assert_no_plugin_errors(registry: Registry) -> None:
    """Fail if any plugin failed to load or register, listing every error."""
    if registry.errors:
        lines = "\n".join(str(e) for e in registry.errors)
        raise AssertionError(f"{len(registry.errors)} plugin error(s):\n{lines}")


def assert_no_conflicts(registry: Registry) -> None:
    """Fail if two registrations claimed the same standard or policy slot (a conflict the
    registry disabled and lists in its ``warnings``), declared
    one key with different meanings, or claimed the same module, programme or audit check id
    (each such clash is recorded as a plugin error)."""
    clashes: list[CivilAffairsError] = list(registry.warnings)
    clashes += [
        e
        for e in registry.errors
        if isinstance(e.__cause__, (StandardConflict, PolicyConflict))
        or "already registered by plugin" in e.message
        or "registered twice" in e.message
    ]
    if clashes:
        lines = "\n".join(str(e) for e in clashes)
        raise AssertionError(f"{len(clashes)} conflict(s):\n{lines}")


def assert_all_cited(
    registry: Registry, *, plugin: str | None = None, allow_provisional: bool = True
) -> None:
    """Fail unless every standard value is cited (issuer and a 文号, title or URL).

    :param plugin: check only the values this plugin registered.
    :param allow_provisional: accept an uncited value that is marked provisional with a
        note saying why (the rule for values that cannot be sourced yet).
    """
    bad: list[str] = []
    for value in registry.standards.values():
        if plugin is not None and value.plugin != plugin:
            continue
        if value.source.is_cited:
            continue
        if allow_provisional and value.provisional and value.note:
            continue
        bad.append(f"{value.describe()} (plugin {value.plugin}): source {value.source}")
    if (
        plugin is not None
        and not any(v.plugin == plugin for v in registry.standards.values())
        and not any(p.name == plugin for p in registry.plugins)
    ):
        raise AssertionError(f"no plugin {plugin!r} in the registry")
    if bad:
        lines = "\n".join(bad)
        raise AssertionError(f"{len(bad)} value(s) without a citation:\n{lines}")


def assert_counties_covered(
    registry: Registry,
    province_code: str,
    keys: Iterable[str] = ("dibao.standard",),
    *,
    on: _dt.date | Month | str,
    residences: Iterable[str] = ("urban", "rural"),
    allow_national: bool = False,
) -> None:
    """Fail unless every current county under *province_code* resolves every key on *on*.

    A county resolves a key from a value for the county itself, for its prefecture-level
    city or for the province: so give a province-level value, or one for every
    prefecture-level city (a city-level value covers that city's counties only). The
    failure message says so and lists the uncovered counties grouped by prefecture (the
    first few of each, then a count).

    :param keys: catalogue keys to check.
    :param on: the date to check.
    :param residences: the residences to check.
    :param allow_national: accept a value supplied by the national baseline; by default a
        county covered only by the national value counts as not covered.
    """
    from civilaffairs import regions

    counties = regions.counties_under(province_code)
    if not counties:
        raise AssertionError(f"no current counties under {province_code}")
    residences = tuple(residences)
    # (key, reason) -> prefecture -> county -> residences
    missing: dict[tuple[str, str], dict[str, dict[str, list[str]]]] = {}
    count = 0
    for key in keys:
        for county in counties:
            for residence in residences:
                try:
                    value = registry.standards.resolve(key, county.code, on, residence)
                except MissingStandard:
                    reason = "no value"
                else:
                    if value.region != regions.NATIONAL_CODE or allow_national:
                        continue
                    reason = "only the national value"
                parent = county.parent
                prefecture = str(parent) if parent is not None else str(county)
                by_pref = missing.setdefault((key, reason), {})
                by_pref.setdefault(prefecture, {}).setdefault(str(county), []).append(residence)
                count += 1
    if count:
        raise AssertionError(_uncovered_message(count, province_code, on, missing))


def _uncovered_message(
    count: int,
    province_code: str,
    on: object,
    missing: Mapping[tuple[str, str], Mapping[str, Mapping[str, list[str]]]],
    *,
    per_prefecture: int = 3,
    prefectures: int = 20,
) -> str:
    from civilaffairs import regions

    try:
        province = str(regions.get(province_code))
    except CivilAffairsError:
        province = province_code
    lines = [
        f"{count} uncovered county value(s) under {province} on {on}.",
        "Every county must resolve each key: give a province-level value "
        f'(region = "{province_code}"), or one value per prefecture-level city (or county) '
        "for every city of the province; a city-level value covers only that city's "
        "counties.",
    ]
    for (key, reason), by_pref in missing.items():
        total = sum(len(c) for c in by_pref.values())
        lines.append(f"{key}: {reason} in {total} county(ies) of {len(by_pref)} prefecture(s):")
        for i, (prefecture, by_county) in enumerate(by_pref.items()):
            if i == prefectures:
                lines.append(f"  … and {len(by_pref) - prefectures} more prefecture(s)")
                break
            shown = [
                f"{county} ({', '.join(res)})"
                for county, res in list(by_county.items())[:per_prefecture]
            ]
            rest = len(by_county) - len(shown)
            more = f", … and {rest} more" if rest > 0 else ""
            lines.append(f"  {prefecture}: {len(by_county)} county(ies): {', '.join(shown)}{more}")
    return "\n".join(lines)


def assert_data_file_matches(registry: Registry, plugin: str, data_file: object) -> None:
    """Fail unless every ``[[standard]]`` entry of *data_file* is what the registry answers
    for its own key, region and effective date, from *plugin*, with its value and
    provisional flag (so no entry is shadowed, dropped or mangled on the way in). Entries
    are read against the registry's catalogue (``registry.keys``), so values of keys the
    plugin declares (``[[key]]`` tables, its modules' keys) are checked like the others.

    :param data_file: a path or :class:`~importlib.resources.abc.Traversable` of the
        plugin's TOML or CSV data file.
    """
    from civilaffairs.standards import read_data_file

    data = read_data_file(data_file)  # type: ignore[arg-type]
    entries = data.standard_values(plugin, registry.keys)
    wrong: list[str] = []
    for entry in entries:
        residences = (
            ("urban", "rural") if entry.residence.value == "both" else (entry.residence.value,)
        )
        for residence in residences:
            try:
                got = registry.standards.resolve(
                    entry.key, entry.region, entry.effective_from, residence
                )
            except MissingStandard as exc:
                wrong.append(f"{entry.describe()}: {exc}")
                continue
            if (got.plugin, got.value, got.provisional) != (plugin, entry.value, entry.provisional):
                wrong.append(
                    f"{entry.describe()} ({residence}): registry answers {got.describe()} "
                    f"from plugin {got.plugin}"
                )
    wrong += _sweep(registry, plugin, entries)
    if wrong:
        raise AssertionError(
            f"{len(wrong)} data-file entries not answered as written:\n" + "\n".join(wrong[:50])
        )


def _sweep(registry: Registry, plugin: str, entries: list[StandardValue]) -> list[str]:
    """Resolve every key of *entries* in every current county under their regions, the day
    before and the day each entry takes effect, and compare with a reading of the entries
    alone: the most specific region first, then the latest entry in force (an entry that
    has ended leaves its region with nothing, so the parent answers)."""
    from civilaffairs import regions

    wrong: list[str] = []
    by_key: dict[str, list[StandardValue]] = {}
    for e in entries:
        by_key.setdefault(e.key, []).append(e)
    for key, mine in by_key.items():
        days = sorted(
            {d for e in mine for d in (e.effective_from, e.effective_from - _dt.timedelta(days=1))}
        )
        counties = {c.code for e in mine for c in regions.counties_under(e.region)}
        for county in sorted(counties):
            chain = regions.get(county).resolution_chain()
            for day in days:
                for residence in ("urban", "rural"):
                    expected = _expected(mine, chain, day, residence)
                    got = registry.standards.try_resolve(key, county, day, residence)
                    if expected is None:
                        if got is not None and got.plugin == plugin:
                            wrong.append(
                                f"{key} {county} {day} ({residence}): expected no "
                                f"value of {plugin}, got {got.describe()}"
                            )
                    elif got is None or (got.plugin, got.region, got.value) != (
                        plugin,
                        expected.region,
                        expected.value,
                    ):
                        shown = "nothing" if got is None else f"{got.describe()} ({got.plugin})"
                        wrong.append(
                            f"{key} {county} {day} ({residence}): expected "
                            f"{expected.describe()}, got {shown}"
                        )
    return wrong


def _expected(
    entries: list[StandardValue], chain: tuple[str, ...], day: _dt.date, residence: str
) -> StandardValue | None:
    for code in chain:
        here = [
            e
            for e in entries
            if e.region == code
            and e.effective_from <= day
            and e.residence.value in (residence, "both")
        ]
        if not here:
            continue
        latest = max(here, key=lambda e: (e.effective_from, e.residence.value != "both"))
        if latest.until is not None and latest.until < day:
            continue
        return latest
    return None


def check_data_file_plugin(
    name: str, data_file: object | None = None, *, allow_provisional: bool = True
) -> Registry:
    """Run every generic check on an installed data-file plugin and return its registry.

    Loads the plugin **through its entry point** *name* into an isolated registry with the
    national baseline, then checks: it loaded, with no plugin errors and no conflicts;
    every value is cited (or provisional with a note, unless *allow_provisional* is false);
    and every entry of its data file (``standards.toml`` in its package unless *data_file*
    is given) is answered as written (:func:`assert_data_file_matches`). A provincial
    plugin's tests call it once and add the province's own expectations.
    """
    from importlib.resources import files

    ep = next(
        (e for e in importlib.metadata.entry_points(group="civilaffairs") if e.name == name),
        None,
    )
    if ep is None:
        raise AssertionError(f"no entry point {name!r} in group 'civilaffairs': is it installed?")
    registry = isolated_registry(name, strict=False)
    assert_no_plugin_errors(registry)
    assert_no_conflicts(registry)
    record = registry.plugin(name)
    if record.status != "loaded":
        raise AssertionError(f"plugin {name!r} is {record.status}")
    assert_all_cited(registry, plugin=name, allow_provisional=allow_provisional)
    package = ep.value.split(":")[0]
    assert_data_file_matches(
        registry, name, data_file if data_file is not None else files(package) / "standards.toml"
    )
    return registry


def read_plugin_data(package: str, filename: str = "standards.toml") -> dict[str, Any]:
    """The parsed TOML data file inside an installed plugin package, for tests that check
    the province's own expectations against what the file says."""
    import tomllib
    from importlib.resources import files

    data: dict[str, Any] = tomllib.loads((files(package) / filename).read_text(encoding="utf-8"))
    return data


def assert_provisional_listed(data: Mapping[str, Any], readme: str) -> None:
    """Fail unless every provisional entry of a plugin's data file *data* (as
    :func:`read_plugin_data` gives it) is listed in its README text *readme*.

    An entry is listed when one line of the README gives its key as Markdown inline code
    (the key between backticks; in a row that groups several keys of one family, the last
    part such as ``.90`` between backticks will do; for a policy, ``program.point``) and its
    effective date; where the plugin registers that key at more than one region, the line
    gives the region code too.
    """
    entries = [*data.get("standard", []), *data.get("policy", [])]
    regions_of: dict[str, set[str]] = {}
    for e in entries:
        key = str(e.get("key") or f"{e.get('program')}.{e.get('point')}")
        regions_of.setdefault(key, set()).add(str(e.get("region")))
    lines = readme.splitlines()
    missing: list[str] = []
    for e in entries:
        if not e.get("provisional"):
            continue
        key = str(e.get("key") or f"{e.get('program')}.{e.get('point')}")
        names = (f"`{key}`", f"`.{key.rsplit('.', 1)[-1]}`")
        date = str(e.get("effective_from"))
        region = str(e.get("region"))
        several = len(regions_of[key]) > 1
        if not any(
            any(n in line for n in names) and date in line and (not several or region in line)
            for line in lines
        ):
            missing.append(f"{key} {region} from {date}")
    if missing:
        raise AssertionError(
            f"{len(missing)} provisional value(s) not listed in the README: " + "; ".join(missing)
        )

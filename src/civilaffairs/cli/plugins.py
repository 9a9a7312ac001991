"""``civilaffairs plugins``, ``standards`` and ``new-plugin``: inspect plugins and standards,
and start a provincial plugin."""

from __future__ import annotations

import datetime as _dt
import json
import pathlib
from typing import TYPE_CHECKING, Any

import click

from civilaffairs.cli import echo, lang_option, warn_registry

if TYPE_CHECKING:
    from collections.abc import Sequence

    from civilaffairs.registry import Registry
    from civilaffairs.standards import StandardValue

_FORMATS = click.Choice(["text", "json"])

_COUNT_LABELS = {
    "modules": ("服务模块", "modules"),
    "keys": ("标准项目", "keys"),
    "standards": ("标准", "standards"),
    "policies": ("政策参数", "policies"),
    "programs": ("项目", "programs"),
    "audit_checks": ("审计规则", "audit checks"),
}
_STATUS = {
    "loaded": ("已加载", "loaded"),
    "failed": ("加载失败", "FAILED"),
    "blocked": ("已屏蔽", "blocked"),
}


def _registry() -> Registry:
    from civilaffairs.registry import get_registry

    return get_registry()


def _modules_of(registry: Registry, plugin: str) -> list[dict[str, Any]]:
    """The service modules *plugin* registered: id, zh and en titles, scope."""
    return [
        {"id": m.id, "zh": m.zh, "en": m.en, "scope": list(m.scope)}
        for mid, m in registry.modules.items()
        if registry.module_plugins.get(mid) == plugin
    ]


def _scope_label(scope: list[str], zh: bool) -> str:
    if not scope:
        return "全国" if zh else "national"
    from civilaffairs import regions
    from civilaffairs.errors import UnknownRegion

    names = []
    for code in scope:
        try:
            names.append(f"{code} {regions.get(code).name}")
        except UnknownRegion:
            names.append(code)
    return ", ".join(names)


@click.command("plugins")
@lang_option("Output language, also of error messages.")
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
def plugins_command(lang: str, fmt: str) -> None:
    """List plugins: name, version, module, what each registered, and load errors.

    Exit 1 if any plugin failed to load.
    """
    registry = _registry()
    if fmt == "json":
        echo(
            json.dumps(
                {
                    "plugins": [
                        {**p.to_dict(), "modules": _modules_of(registry, p.name)}
                        for p in registry.plugins
                    ],
                    "errors": [{"plugin": e.plugin, **e.to_dict()} for e in registry.errors],
                    "conflicts": [w.to_dict() for w in registry.warnings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        zh = lang == "zh"
        for p in registry.plugins:
            status = _STATUS.get(p.status, (p.status, p.status))[0 if zh else 1]
            origin = p.distribution or "-"
            kind = ("内置" if zh else "built-in") if p.builtin else origin
            echo(f"{p.name} {p.version or '-'}  [{kind}]  {p.module}  {status}")
            counts = ", ".join(
                f"{_COUNT_LABELS[k][0 if zh else 1]} {n}" for k, n in p.counts.items()
            )
            echo(f"    {counts}")
            for m in _modules_of(registry, p.name):
                title = f"{m['zh']} · {m['en']}" if zh else f"{m['en']} · {m['zh']}"
                where = _scope_label(m["scope"], zh)
                label = "模块" if zh else "module"
                echo(f"    {label} {m['id']}: {title} [{where}]")
        if registry.errors:
            echo("")
            echo("加载错误:" if zh else "load errors:")
            for error in registry.errors:
                for line in error.lines("zh" if zh else "en"):
                    echo(f"  {line}")
        if registry.warnings:
            echo("")
            echo("冲突（相关数值已停用）:" if zh else "conflicts (the values are disabled):")
            for warning in registry.warnings:
                for line in warning.lines("zh" if zh else "en"):
                    echo(f"  {line}")
    if registry.errors:
        raise SystemExit(1)


def _parse_day(on: str | None) -> _dt.date:
    """The date of ``--on`` (``YYYY-MM-DD``, or ``YYYY-MM`` for its first day); today only
    when the option is absent (an empty value is an error)."""
    from civilaffairs.errors import InvalidPeriod
    from civilaffairs.standards.values import parse_on

    if on is None:
        return _dt.date.today()
    if not on.strip():
        raise InvalidPeriod(
            "--on is empty; give a date as YYYY-MM-DD or a month as YYYY-MM, or leave the "
            "option out for today (--on 不能为空)",
            zh="--on 不能为空：请写成 YYYY-MM-DD 或 YYYY-MM，或不写该选项以使用今天",
        )
    return parse_on(on.strip())


def _region_label(code: str) -> str:
    from civilaffairs import regions

    region = regions.get(code)
    return f"{code} {region.full_name if code != regions.NATIONAL_CODE else region.name}"


def values_in_force(
    registry: Registry,
    code: str,
    day: _dt.date,
    keys: Sequence[str] = (),
    residence: str | None = None,
) -> tuple[list[tuple[StandardValue, str]], list[str]]:
    """The standard values in force for region *code* on *day* (what ``civilaffairs
    standards`` shows): ``(value, residence)`` pairs, one with ``both`` where urban and
    rural have the same value, and the keys (``"key (residence)"`` for one side) not set.

    :param keys: only these keys (default: every key of the registry); a key asked for by
        name that has no value is an error.
    :param residence: ``urban`` or ``rural`` (default both).
    :raises UnknownStandardKey: for a key nobody declares.
    :raises MissingStandard: for a key asked for by name that has no value.
    """
    from civilaffairs.errors import MissingStandard
    from civilaffairs.standards import ResidenceScope, get_key

    for key in keys:
        get_key(key, registry.keys)
    wanted = list(keys) if keys else list(registry.keys)
    residences = [residence] if residence else ["urban", "rural"]
    found: list[tuple[StandardValue, str]] = []
    missing: list[str] = []
    for key in wanted:
        got = {r: registry.standards.try_resolve(key, code, day, r) for r in residences}
        values = [v for v in got.values() if v is not None]
        if not values:
            if keys:
                raise MissingStandard(key, code, day, residence)
            missing.append(key)
            continue
        if len(residences) == 2 and got["urban"] is got["rural"]:
            found.append((values[0], ResidenceScope.BOTH.value if residence is None else residence))
            continue
        for r, v in got.items():
            if v is None:
                if keys:
                    raise MissingStandard(key, code, day, r)
                missing.append(f"{key} ({r})")
            else:
                found.append((v, r))
    return found, missing


def _entry(value: StandardValue, residence: str) -> dict[str, Any]:
    from civilaffairs import regions

    data = value.to_dict()
    data["residence_asked"] = residence
    data["region_name"] = regions.get(value.region).name
    spec = value.spec
    data["zh"] = spec.zh
    data["en"] = spec.en
    return data


def _text_lines(value: StandardValue, residence: str, lang: str) -> list[str]:
    zh = lang == "zh"
    from civilaffairs.standards import ResidenceScope

    spec = value.spec
    res = ResidenceScope(residence)
    res_label = res.zh if zh else {"both": "urban and rural"}.get(res.value, res.value)
    head = f"{spec.key} {spec.label(lang)} [{res_label}]: {value.format_value(lang)}"
    if value.provisional:
        head += "  (暂定)" if zh else "  (PROVISIONAL)"
    if value.until:
        period = (
            f"{value.effective_from} 至 {value.until}"
            if zh
            else f"{value.effective_from} to {value.until}"
        )
    else:
        period = f"自 {value.effective_from} 起执行" if zh else f"effective {value.effective_from}"
    where = _region_label(value.region)
    lines = [
        head,
        (f"    地区 {where} · {period} · 插件 {value.plugin}")
        if zh
        else (f"    region {where} · {period} · plugin {value.plugin}"),
    ]
    src = value.source
    parts = [src.issuer]
    if src.document:
        parts.append(src.document)
    if src.title:
        parts.append(f"《{src.title}》" if zh else src.title)
    if src.date:
        parts.append(src.date.isoformat())
    if src.url:
        parts.append(src.url)
    label = "出处" if zh else "source"
    lines.append(f"    {label}: {' '.join(parts) if zh else ', '.join(parts)}")
    if src.note:
        lines.append(f"    {'出处说明' if zh else 'source note'}: {src.note}")
    if value.note:
        lines.append(f"    {'备注' if zh else 'note'}: {value.note}")
    return lines


@click.command("standards")
@click.argument("region")
@click.option(
    "--on", "on", default=None, help="Date (YYYY-MM-DD) or month (YYYY-MM); default today."
)
@click.option("--key", "keys", multiple=True, help="Only this key (repeatable).")
@click.option(
    "--residence",
    type=click.Choice(["urban", "rural"]),
    default=None,
    help="Urban or rural; default both, shown once when they agree.",
)
@lang_option("Output language, also of error messages.")
@click.option("--format", "fmt", type=_FORMATS, default="text", show_default=True)
def standards_command(
    region: str, on: str | None, keys: tuple[str, ...], residence: str | None, lang: str, fmt: str
) -> None:
    """Show the standards in force for REGION on a date, each with its source and plugin.

    With --key, a key that has no value is an error (exit 1); without, every catalogue key
    (built in or declared by a plugin) that has a value is shown and the others are listed
    as not set.
    """
    from civilaffairs import regions

    day = _parse_day(on)
    code = regions.get(region).code
    registry = _registry()
    warn_registry(registry, "zh" if lang == "zh" else "en")
    found, missing = values_in_force(registry, code, day, keys, residence)
    if fmt == "json":
        echo(
            json.dumps(
                {
                    "region": code,
                    "region_name": regions.get(code).full_name,
                    "on": day.isoformat(),
                    "values": [_entry(v, r) for v, r in found],
                    "missing": missing,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    zh = lang == "zh"
    echo(f"{_region_label(code)} · {day.isoformat()}")
    for v, r in found:
        for line in _text_lines(v, r, lang):
            echo(line)
    if missing:
        label = "未设定" if zh else "not set"
        echo(f"{label}: {', '.join(missing)}")


@click.command("coverage")
@click.option(
    "--on", "on", default=None, help="Date (YYYY-MM-DD) or month (YYYY-MM); default today."
)
@click.option(
    "--province",
    "provinces",
    multiple=True,
    help="Province code, e.g. 440000 (repeatable); default every province a loaded plugin governs.",
)
@click.option("--program", "programs", multiple=True, help="Only this programme id (repeatable).")
@lang_option("Language of the text report and of error messages.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text: a summary per province and its gaps; json: summary, gaps and every "
    "county; csv: one row per county, programme and residence.",
)
def coverage_command(
    on: str | None, provinces: tuple[str, ...], programs: tuple[str, ...], lang: str, fmt: str
) -> None:
    """Report, for every county of the installed provinces and every programme, whether it
    can be assessed on a date: the standards it would use, which are provisional or stale
    (more than 24 months old with no successor), and what is missing.

    Exit 0 whatever the coverage (it is a report); exit 1 for a bad option value.
    """
    from civilaffairs.coverage import coverage

    day = _parse_day(on)
    registry = _registry()
    warn_registry(registry, "zh" if lang == "zh" else "en")
    if not provinces:
        from civilaffairs.coverage import installed_provinces

        if not installed_provinces(registry):
            echo(
                "未安装省级插件；请用 --province 指定省份"
                if lang == "zh"
                else "no provincial plugin is installed; name provinces with --province"
            )
            return
    report = coverage(
        registry, on=day, provinces=provinces or None, programs=list(programs) or None
    )
    if fmt == "json":
        echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        echo(report.to_csv().rstrip("\n"))
    else:
        echo(report.to_text(lang))


@click.command("new-plugin")
@click.argument("name")
@click.option("--province", required=True, help="Province-level code, e.g. 340000.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=pathlib.Path),
    default=pathlib.Path("."),
    show_default=True,
    help="Where to create the plugin's folder.",
)
@click.option(
    "--with-program",
    is_flag=True,
    default=False,
    help=(
        "Also write a local programme: a standard key NAME.elderly_meal declared in the "
        "data file with a placeholder value, a service module NAME.elderly_meals scoped to "
        "the province with the programme NAME_elderly_meal, and tests of both back ends."
    ),
)
def new_plugin_command(
    name: str, province: str, directory: pathlib.Path, with_program: bool
) -> None:
    """Create an installable plugin skeleton civilaffairs-NAME for a province.

    It has a pyproject.toml with the entry point, a package with the hooks, a standards.toml
    with one example value marked provisional, and a test that uses the civilaffairs.testing
    fixtures. With --with-program it also holds a local programme written with
    civilaffairs.rules (program.py) and its tests. Install it with
    ``pip install -e civilaffairs-NAME`` and run its tests.
    """
    from civilaffairs.templates import render_plugin

    target = render_plugin(name, province, directory, with_program=with_program)
    echo(str(target))

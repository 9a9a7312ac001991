"""What the service does, without HTTP (服务操作): one function per endpoint.

Each function takes JSON-ready data and the query's values and returns the JSON document
the endpoint sends, built with the same library calls as the command line, so that
``POST /v1/assess`` and ``civilaffairs assess --format json`` give the same document, and
:class:`civilaffairs.client.Local` gives it again without a server. Every document is
masked as the command line masks what it prints (:func:`civilaffairs.ids.mask_text`).

Errors are the library's own :class:`~civilaffairs.errors.CivilAffairsError` subclasses;
the HTTP layer (:mod:`civilaffairs.service.problems`) turns them into problem details.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from civilaffairs.errors import CivilAffairsError, FieldError, ValidationError
from civilaffairs.ids import mask_text

if TYPE_CHECKING:
    from civilaffairs.decision import Lang
    from civilaffairs.registry import Registry

__all__ = [
    "MAX_MEMBERS",
    "RECORD_TYPES",
    "TooManyMembers",
    "UnknownCheck",
    "assess_data",
    "assess_text",
    "check_data",
    "checks_document",
    "dumps",
    "parse_programs",
    "plugins_document",
    "programs_document",
    "schema_document",
    "standards_document",
    "validate_data",
]

#: The most members one household may have (the domain's own bound,
#: :data:`civilaffairs.domain.MAX_MEMBERS`); a deployment may set a lower one.
MAX_MEMBERS = 100
#: The record types ``validate`` accepts as ``type``.
RECORD_TYPES = ("auto", "household", "institution", "application", "service", "service_record")


class TooManyMembers(ValidationError):
    """A household has more members than the deployment allows (成员过多)."""

    code = "too_many_members"
    title_zh = "成员过多"

    def __init__(self, count: int, limit: int, *, path: str = "members") -> None:
        super().__init__(
            [
                FieldError(
                    path,
                    f"{count} members; this service accepts at most {limit} per household "
                    "(家庭成员过多)",
                    "too_many",
                    zh=f"家庭成员 {count} 人，本服务每户至多接受 {limit} 人",
                    en=f"{count} members; this service accepts at most {limit} per household",
                )
            ],
            what="household",
        )


class UnknownCheck(CivilAffairsError, LookupError):
    """A check id is not registered (未知核查规则)."""

    code = "unknown_check"
    title_zh = "未知核查规则"


def dumps(document: Any, *, compact: bool = False) -> str:
    """The JSON text of *document* as the command line prints it (two-space indent,
    Chinese kept), with every resident ID masked; *compact* leaves out the indentation
    (the same document, made by the C encoder, several times faster)."""
    if compact:
        return mask_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    return mask_text(json.dumps(document, ensure_ascii=False, indent=2))


def _registry(registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from civilaffairs.registry import get_registry

    return get_registry()


def parse_programs(programs: str | Iterable[str] | None) -> tuple[str, ...]:
    """Programme ids from ``programs=a,b`` (or a list of them); checked as ``--program``.

    :raises CivilAffairsError: for a value that is not a programme id.
    """
    from civilaffairs.cli.assess import _check_programs

    if programs is None:
        return ()
    parts = programs.split(",") if isinstance(programs, str) else list(programs)
    ids = tuple(p.strip() for p in parts if p.strip())
    _check_programs(ids)
    return ids


def _member_count(data: Any, limit: int) -> None:
    if not isinstance(data, dict):
        return
    members = data.get("members")
    if isinstance(members, list) and len(members) > limit:
        raise TooManyMembers(len(members), limit)


def assess_data(
    data: Any,
    *,
    on: str | None = None,
    programs: Sequence[str] = (),
    lang: Lang = "zh",
    max_members: int = MAX_MEMBERS,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """The decision document of one household given as JSON-ready *data*: what
    ``civilaffairs assess FILE --on ON --format json [--program P…] --lang LANG`` prints
    for a file holding that household (a dict, already masked).

    :raises ValidationError: a bad field, or more than *max_members* members.
    :raises CivilAffairsError: a bad month, programme id, unknown programme or missing
        standard.
    """
    return dict(
        json.loads(
            assess_text(
                data,
                on=on,
                programs=programs,
                lang=lang,
                max_members=max_members,
                registry=registry,
            )
        )
    )


def assess_text(
    data: Any,
    *,
    on: str | None = None,
    programs: Sequence[str] = (),
    lang: Lang = "zh",
    max_members: int = MAX_MEMBERS,
    registry: Registry | None = None,
) -> str:
    """:func:`assess_data` as JSON text: the document the command line prints, without its
    indentation."""
    from civilaffairs.cli.assess import _check_programs, parse_on
    from civilaffairs.convert import structure
    from civilaffairs.domain import Household
    from civilaffairs.engine.single import assess

    month = parse_on(on)
    _check_programs(tuple(programs))
    _member_count(data, max_members)
    household = structure(data, Household)
    result = assess(household, month, list(programs) or None, registry=_registry(registry))
    return dumps(result.to_dict(lang), compact=True)


def validate_data(
    records: Iterable[tuple[str, str, Any]],
    *,
    record_type: str = "auto",
    lang: Lang = "zh",
    name: str = "request",
) -> dict[str, Any]:
    """Validate records as ``civilaffairs validate`` does; return its report as JSON.

    :param records: ``(where, path prefix, data or ValidationError)`` for each record:
        *where* is ``"line 3"`` for JSON Lines, empty otherwise; the prefix is ``"[2]"``
        for the third item of a list.
    :returns: ``valid``, ``records``, ``invalid``, ``counts`` by record type, ``members``,
        the one-line ``summary`` of the command and every error with its ``where``,
        ``path``, ``code`` and ``message`` (in *lang*).
    """
    from civilaffairs.cli.validate import FileReport
    from civilaffairs.convert import RECORD_TYPES as TYPES
    from civilaffairs.convert import structure, structure_record
    from civilaffairs.domain._privacy import safe_text

    if record_type not in RECORD_TYPES:
        raise CivilAffairsError(
            f"type must be one of: {', '.join(RECORD_TYPES)} (记录类型无效)",
            path="type",
            zh=f"记录类型无效，应为以下之一：{', '.join(RECORD_TYPES)}",
        )
    report = FileReport(name)
    for where, prefix, data in records:
        if isinstance(data, ValidationError):
            report.fail(where, prefix, data)
            continue
        try:
            record: Any = (
                structure_record(data)
                if record_type == "auto"
                else structure(data, TYPES[record_type])
            )
        except ValidationError as exc:
            report.fail(where, prefix, exc)
        else:
            report.add(record)
    return {
        "valid": not report.problems,
        "records": sum(report.counts.values()) + report.invalid,
        "invalid": report.invalid,
        "counts": dict(sorted(report.counts.items())),
        "members": report.members,
        "summary": safe_text(report.summary(lang)),
        "errors": [
            {
                "where": where,
                "path": safe_text(e.path),
                "code": e.code,
                "message": safe_text(e.message_zh if lang == "zh" else e.message_en),
            }
            for where, e in report.problems
        ],
    }


def standards_document(
    region: str,
    *,
    on: str | None = None,
    keys: Sequence[str] = (),
    residence: str | None = None,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """What ``civilaffairs standards REGION --format json [--on ON] [--key K…]
    [--residence R]`` prints: the values in force, each with its source and plugin, and
    the keys not set.

    :raises UnknownRegion: for an unknown region code.
    :raises UnknownStandardKey: for a key nobody declares.
    :raises MissingStandard: for a key asked for by name that has no value.
    """
    from civilaffairs import regions
    from civilaffairs.cli.plugins import _entry, _parse_day, values_in_force

    if residence not in (None, "urban", "rural"):
        raise CivilAffairsError(
            "residence must be urban or rural (城乡属性无效)",
            path="residence",
            zh="城乡属性无效，应为 urban 或 rural",
        )
    day = _parse_day(on)
    code = regions.get(region).code
    reg = _registry(registry)
    found, missing = values_in_force(reg, code, day, keys, residence)
    document = {
        "region": code,
        "region_name": regions.get(code).full_name,
        "on": day.isoformat(),
        "values": [_entry(v, r) for v, r in found],
        "missing": missing,
    }
    return dict(json.loads(dumps(document)))


def plugins_document(registry: Registry | None = None) -> dict[str, Any]:
    """What ``civilaffairs plugins --format json`` prints: every plugin with what it
    registered and its modules, load errors and conflicts."""
    from civilaffairs.cli.plugins import _modules_of

    reg = _registry(registry)
    document = {
        "plugins": [{**p.to_dict(), "modules": _modules_of(reg, p.name)} for p in reg.plugins],
        "errors": [{"plugin": e.plugin, **e.to_dict()} for e in reg.errors],
        "conflicts": [w.to_dict() for w in reg.warnings],
    }
    return dict(json.loads(dumps(document)))


def programs_document(registry: Registry | None = None) -> dict[str, Any]:
    """The service modules and their programmes: id, zh and en titles, scope (GB/T 2260
    codes, empty for the whole country), the plugin that registered each, and for each
    programme its area, period and legal basis."""
    reg = _registry(registry)
    modules = []
    for mid, module in reg.modules.items():
        modules.append(
            {
                "id": mid,
                "zh": module.zh,
                "en": module.en,
                "scope": list(module.scope),
                "plugin": reg.module_plugins.get(mid),
                "programs": [
                    {
                        "id": p.id,
                        "zh": p.zh,
                        "en": p.en,
                        "area": p.area,
                        "period": p.period,
                        "basis": str(p.basis),
                        "plugin": reg.program_plugins.get(p.id),
                    }
                    for p in module.programs
                ],
                "checks": [str(getattr(c, "id", "")) for c in module.checks],
            }
        )
    return dict(json.loads(dumps({"modules": modules})))


def checks_document(
    modules: Sequence[str] = (), registry: Registry | None = None
) -> dict[str, Any]:
    """What ``civilaffairs checks --format json [--module M…]`` prints: the checks of the
    installed service modules by module, each with id, titles, record type and basis.

    :raises CivilAffairsError: for a module with no checks.
    """
    from civilaffairs.checks import by_module, checks_of

    grouped = by_module(checks_of(_registry(registry)).values())
    if modules:
        unknown = [m for m in modules if m not in grouped]
        if unknown:
            raise UnknownCheck(
                f"no checks in module(s) {', '.join(unknown)} (known: {', '.join(grouped)})",
                path="module",
                zh=f"模块 {', '.join(unknown)} 没有核查规则（已有：{', '.join(grouped)}）",
            )
        grouped = {m: grouped[m] for m in modules}
    document = {
        module: [
            {"id": c.id, "zh": c.zh, "en": c.en, "record_type": c.type_name, "basis": c.basis}
            for c in checks
        ]
        for module, checks in grouped.items()
    }
    return dict(json.loads(dumps(document)))


def check_data(
    check_id: str,
    data: Any,
    *,
    on: str | None = None,
    lang: Lang = "zh",
    registry: Registry | None = None,
) -> dict[str, Any]:
    """Run check *check_id* on one record given as JSON-ready *data*: what
    ``civilaffairs check CHECK_ID FILE --format json [--on ON] --lang LANG`` prints for a
    file holding that record.

    :raises UnknownCheck: for a check nobody registered.
    :raises ValidationError: for a bad field of the record.
    """
    from civilaffairs.checks import checks_of, run_check
    from civilaffairs.cli.plugins import _parse_day

    day = _parse_day(on)
    reg = _registry(registry)
    known = checks_of(reg)
    check = known.get(check_id)
    if check is None:
        shown = mask_text(check_id[:80])
        raise UnknownCheck(
            f"unknown check {shown!r} (known: {', '.join(known) or 'none'})",
            path="check_id",
            zh=f"未知的核查规则 {shown!r}（已有：{', '.join(known) or '无'}）",
        )
    record = check.structure(data)
    result = run_check(check, record, day, registry=reg)
    return dict(json.loads(dumps(result.to_dict(lang))))


def schema_document() -> dict[str, Any]:
    """What ``civilaffairs schema household`` prints: the JSON Schema (draft 2020-12) of a
    household, generated from the domain types."""
    from civilaffairs.convert import json_schema
    from civilaffairs.domain import Household

    return dict(json_schema(Household))

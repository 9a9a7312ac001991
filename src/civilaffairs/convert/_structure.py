"""Structuring JSON-ready data into domain objects, collecting every error (读入与校验).

The hook for an attrs class structures each field on its own, so one bad field does not
hide the next; builds the object only when every field is acceptable; and, when the
constructor still refuses (a field validator or a rule across fields), runs the field
validators one by one to name every bad field before falling back to the constructor's
own errors. Every error carries its path (``members[0].incomes[0].monthly``).
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from civilaffairs.convert._leaves import (
    PartialItems,
    PartialRecord,
    Structurer,
    bad,
)
from civilaffairs.domain import (
    Application,
    Household,
    Institution,
    ServiceCatalogueEntry,
    ServiceRecord,
)
from civilaffairs.domain._validators import ItemsCheck, constraints, describe
from civilaffairs.errors import CivilAffairsError, FieldError, ValidationError

#: Record types by the name accepted in their optional ``"type"`` key.
RECORD_TYPES: dict[str, type] = {
    "household": Household,
    "institution": Institution,
    "application": Application,
    "service": ServiceCatalogueEntry,
    "service_record": ServiceRecord,
}
TYPE_NAMES: dict[type, str] = {cls: name for name, cls in RECORD_TYPES.items()}

_IDENTIFIER_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def key_path(key: object) -> str:
    """The path segment for an object key: ``name`` or ``["odd key"]``, shortened."""
    text = key if isinstance(key, str) else str(key)
    if _IDENTIFIER_KEY.fullmatch(text):
        return text
    short = text if len(text) <= 40 else text[:40] + "…"
    return "[" + json.dumps(short, ensure_ascii=False) + "]"


# ---------------------------------------------------------------------------------------------
# attrs classes


def optional_inner(tp: Any) -> Any:
    """``X`` for ``X | None``; *tp* otherwise."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


@attrs.frozen
class FieldPlan:
    """How one field of an attrs class is read."""

    key: str
    attribute: attrs.Attribute[Any]
    structure: Structurer
    nullable: bool
    required: bool
    max_items: int | None
    check: ItemsCheck | None


def attrs_structurer(cls: type, lookup: Callable[[Any], Structurer]) -> Structurer:
    """The structurer of the attrs class *cls*; *lookup* gives those of its field types."""
    attrs.resolve_types(cls)
    plans = []
    for a in attrs.fields(cls):
        if not a.init:
            continue
        meta = constraints(a)
        plans.append(
            FieldPlan(
                key=a.alias or a.name,
                attribute=a,
                structure=lookup(optional_inner(a.type)),
                nullable=bool(meta.get("nullable")) or a.default is None,
                required=a.default is attrs.NOTHING,
                max_items=meta.get("max_items"),
                check=meta.get("check"),
            )
        )
    type_name = TYPE_NAMES.get(cls)
    known = {p.key for p in plans} | ({"type"} if type_name else set())
    # Rules that hold for input only, such as "a date of death is not after today".
    input_problems: Callable[[Mapping[str, Any]], list[FieldError]] | None = getattr(
        cls, "input_problems", None
    )
    fast = tuple(
        (p.key, p.attribute.name, p.structure, p.nullable, p.required, p.max_items) for p in plans
    )

    def structure_record(raw: Any) -> Any:
        # The fast path reads a valid record once; at the first sign of trouble it hands the
        # record to the careful path below, which reads it again and collects every error.
        if type(raw) is not dict:
            if isinstance(raw, cls):
                return raw
            if not isinstance(raw, Mapping):
                raise bad(
                    f"expected an object, got {describe(raw)} (应为对象)",
                    "type",
                    zh=f"应为对象，实为{describe(raw, 'zh')}",
                )
            return collect(raw)
        kwargs: dict[str, Any] = {}
        try:
            for key, name, structure, nullable, required, max_items in fast:
                if key in raw:
                    value = raw[key]
                    if value is None:
                        if not nullable:
                            return collect(raw)
                        kwargs[name] = None
                    elif max_items is not None and type(value) is list and len(value) > max_items:
                        return collect(raw)
                    else:
                        kwargs[name] = structure(value)
                elif required:
                    return collect(raw)
        except ValidationError:
            return collect(raw)
        extra = len(raw) - len(kwargs)
        if extra and not (extra == 1 and type_name is not None and raw.get("type") == type_name):
            return collect(raw)
        if input_problems is not None and input_problems(kwargs):
            return collect(raw)
        try:
            return cls(**kwargs)
        except ValidationError:
            return collect(raw)

    def collect(raw: Mapping[str, Any]) -> Any:
        errors: list[FieldError] = []
        kwargs: dict[str, Any] = {}
        seen = 0
        for plan in plans:
            if plan.key not in raw:
                if plan.required:
                    errors.append(
                        FieldError(
                            plan.key, "is required (缺少必填字段)", "missing", zh="缺少必填字段"
                        )
                    )
                continue
            seen += 1
            value = raw[plan.key]
            if value is None:
                if plan.nullable:
                    kwargs[plan.attribute.name] = None
                else:
                    errors.append(
                        FieldError(
                            plan.key,
                            "must not be null (不得为 null)",
                            "null",
                            zh="不得为空值（null）",
                        )
                    )
                continue
            if (
                plan.max_items is not None
                and isinstance(value, list)
                and len(value) > plan.max_items
            ):
                errors.append(
                    FieldError(
                        plan.key,
                        f"has {len(value)} items; at most {plan.max_items} are allowed "
                        f"(最多{plan.max_items}项)",
                        "too_many",
                        zh=f"共{len(value)}项，最多允许{plan.max_items}项",
                    )
                )
                continue
            try:
                kwargs[plan.attribute.name] = plan.structure(value)
            except PartialItems as exc:
                errors.extend(exc.at(plan.key).errors)
                if plan.check is not None:
                    errors.extend(e.at(plan.key) for e in plan.check(exc.partial))
            except ValidationError as exc:
                errors.extend(exc.at(plan.key).errors)
        if len(raw) > seen:
            errors.extend(_unknown_keys(raw, known, type_name))
        if input_problems is not None:
            errors.extend(input_problems(kwargs))
        if not errors:
            try:
                return cls(**kwargs)
            except ValidationError as exc:
                raise ValidationError(_field_errors(plans, kwargs) or exc.errors) from None
        errors.extend(_field_errors(plans, kwargs))
        errors.extend(_cross_field_errors(cls, plans, kwargs, errors))
        errors.sort(key=lambda e: order.get(_top(e.path), len(order)))
        raise PartialRecord(errors, kwargs)

    order = {p.key: i for i, p in enumerate(plans)}
    return structure_record


def _top(path: str) -> str:
    """The first segment of a path: ``members`` of ``members[0].name``."""
    end = len(path)
    for sep in ".[":
        i = path.find(sep)
        if 0 < i < end:
            end = i
    return path[:end]


def _cross_field_errors(
    cls: type, plans: list[FieldPlan], kwargs: dict[str, Any], errors: list[FieldError]
) -> list[FieldError]:
    """The rules across fields (the class's ``check_rules``) over the fields that could be
    read: given and acceptable, or left out and so at their default."""
    rules = getattr(cls, "check_rules", None)
    if rules is None:
        return []
    failed = {_top(e.path) for e in errors}
    readable: dict[str, Any] = {}
    for plan in plans:
        name = plan.attribute.name
        if plan.key in failed:
            continue
        if name in kwargs:
            readable[name] = kwargs[name]
        elif not plan.required:
            readable[name] = plan.attribute.default
    found: list[FieldError] = rules(readable)
    return [e for e in found if _top(e.path) not in failed]


def _unknown_keys(
    raw: Mapping[Any, Any], known: set[str], type_name: str | None
) -> list[FieldError]:
    errors = []
    for key in raw:
        if key == "type" and type_name is not None:
            if raw[key] != type_name:
                errors.append(
                    FieldError(
                        "type",
                        f"must be {type_name!r} for this record (记录类型不符)",
                        "type",
                        zh=f"记录类型不符，此处应为 {type_name!r}",
                    )
                )
        elif key not in known:
            errors.append(
                FieldError(
                    key_path(key), "is not a known field (未知字段)", "unknown_field", zh="未知字段"
                )
            )
    return errors


def _field_errors(plans: list[FieldPlan], kwargs: dict[str, Any]) -> list[FieldError]:
    """Run each field's validator on its own; the errors of all fields that fail."""
    errors: list[FieldError] = []
    for plan in plans:
        a = plan.attribute
        if a.validator is None or a.name not in kwargs:
            continue
        try:
            a.validator(None, a, kwargs[a.name])
        except ValidationError as exc:
            errors.extend(exc.errors)
        except CivilAffairsError as exc:
            errors.append(exc.field_error(plan.key))
    return errors

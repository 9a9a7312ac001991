"""Unstructuring domain objects into JSON-ready data (导出).

Money becomes ``"1450.00"``, dates ISO text, enumerations their lowercase values, resident
IDs and credit codes their full text. Fields that are ``None`` and empty lists with an empty
default are left out. Record types (household, institution, …) start with a ``"type"`` key.

The audit form (``for_audit=True``) masks resident IDs (``110105********002X``) and
personal names (``张**``); it is meant to be read by people, not structured back.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable
from typing import Any

import attrs

from civilaffairs.convert._structure import TYPE_NAMES, optional_inner
from civilaffairs.domain import masked_name
from civilaffairs.domain._validators import constraints
from civilaffairs.ids import CreditCode, ResidentId
from civilaffairs.money import Money

#: Turns one domain value into JSON-ready data.
Unstructurer = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _money(value: Money) -> str:
    return str(value)


def _date(value: _dt.date) -> str:
    return value.isoformat()


def _enum(value: enum.Enum) -> Any:
    return value.value


def _resident_id(value: ResidentId) -> str:
    return value.unmasked


def _resident_id_masked(value: ResidentId) -> str:
    return value.masked


def _credit_code(value: CreditCode) -> str:
    return value.unmasked


def leaf_unstructurer(tp: Any, *, audit: bool) -> Unstructurer | None:
    """The unstructurer of a leaf type, or ``None`` if *tp* is not a leaf."""
    if tp is Money:
        return _money
    if tp is _dt.date:
        return _date
    if tp is ResidentId:
        return _resident_id_masked if audit else _resident_id
    if tp is CreditCode:
        return _credit_code
    if tp in (str, int, bool):
        return _same
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum
    return None


def items_unstructurer(item: Unstructurer) -> Unstructurer:
    """A tuple of values as a list."""

    def unstructure_items(values: tuple[Any, ...]) -> list[Any]:
        return [item(v) for v in values]

    return unstructure_items


def attrs_unstructurer(
    cls: type, lookup: Callable[[Any], Unstructurer], *, audit: bool
) -> Unstructurer:
    """The unstructurer of the attrs class *cls*; *lookup* gives those of its field types."""
    attrs.resolve_types(cls)
    plan: list[tuple[str, Unstructurer, bool]] = []
    for a in attrs.fields(cls):
        fn = lookup(optional_inner(a.type))
        if audit and constraints(a).get("personal"):
            fn = _mask_name
        plan.append((a.name, fn, isinstance(a.default, tuple) and not a.default))
    type_name = TYPE_NAMES.get(cls)

    def unstructure_record(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"type": type_name} if type_name else {}
        for name, fn, omit_empty in plan:
            value = getattr(obj, name)
            if value is None or (omit_empty and not value):
                continue
            out[name] = fn(value)
        return out

    return unstructure_record


def _mask_name(value: str) -> str | None:
    return masked_name(value)

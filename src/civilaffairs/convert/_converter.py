"""The configured cattrs converter (转换器) for the domain types."""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable
from typing import Any

import attrs
import cattrs

from civilaffairs.convert._leaves import LEAVES, Structurer, enum_structurer, tuple_structurer
from civilaffairs.convert._structure import attrs_structurer
from civilaffairs.convert._unstructure import (
    Unstructurer,
    attrs_unstructurer,
    items_unstructurer,
    leaf_unstructurer,
)


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _item_type(tp: Any) -> Any | None:
    """``X`` for ``tuple[X, ...]``, else ``None``."""
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return args[0]
    return None


def make_converter(*, audit: bool = False) -> cattrs.Converter:
    """A cattrs converter for the domain types.

    Structure hooks report every bad field with its path in one
    :class:`~civilaffairs.errors.ValidationError`; unstructure hooks produce JSON-ready
    data. With *audit*, resident IDs and personal names are masked when unstructuring.
    """
    conv = cattrs.Converter()
    structurers: dict[Any, Structurer] = {}
    unstructurers: dict[Any, Unstructurer] = {}

    def structurer(tp: Any) -> Structurer:
        found = structurers.get(tp)
        if found is not None:
            return found
        item = _item_type(tp)
        made: Structurer
        if tp in LEAVES:
            made = LEAVES[tp]
        elif item is not None:
            made = tuple_structurer(structurer(item))
        elif _is_enum(tp):
            made = enum_structurer(tp)
        elif attrs.has(tp):
            made = attrs_structurer(tp, structurer)
        else:
            hook = conv.get_structure_hook(tp)

            def made(raw: Any) -> Any:
                return hook(raw, tp)

        structurers[tp] = made
        return made

    def unstructurer(tp: Any) -> Unstructurer:
        found = unstructurers.get(tp)
        if found is not None:
            return found
        item = _item_type(tp)
        made = leaf_unstructurer(tp, audit=audit)
        if made is None:
            if item is not None:
                made = items_unstructurer(unstructurer(item))
            elif attrs.has(tp):
                made = attrs_unstructurer(tp, unstructurer, audit=audit)
            else:
                made = conv.get_unstructure_hook(tp)
        unstructurers[tp] = made
        return made

    def domain_type(tp: Any) -> bool:
        return tp in LEAVES or _is_enum(tp) or attrs.has(tp)

    def structure_factory(tp: Any) -> Callable[[Any, Any], Any]:
        fn = structurer(tp)
        return lambda raw, _: fn(raw)

    conv.register_structure_hook_factory(domain_type, structure_factory)
    conv.register_unstructure_hook_factory(
        lambda tp: leaf_unstructurer(tp, audit=audit) is not None or attrs.has(tp), unstructurer
    )
    return conv

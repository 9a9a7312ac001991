"""JSON Schema generated from the domain types (JSON Schema 生成).

The schema is derived from the attrs fields: their types, and the constraints the field
helpers record in the metadata (lengths, bounds, item counts, patterns), so it cannot drift
from the validators. Each property is described from the ``:param:`` lines of its class
docstring. Rules across fields (exactly one head, birth date against the resident ID, a
county that exists in GB/T 2260) are checked by :func:`civilaffairs.convert.structure` only.
"""

from __future__ import annotations

import datetime as _dt
import enum
import inspect
import re
import typing
from typing import Any

import attrs

from civilaffairs.convert._structure import TYPE_NAMES, optional_inner
from civilaffairs.domain import LabelledEnum
from civilaffairs.domain._validators import FORBIDDEN_CHARS, constraints
from civilaffairs.ids import USCC_ALPHABET, CreditCode, ResidentId
from civilaffairs.money import Money

DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: Non-negative money as text, as :meth:`civilaffairs.money.Money.parse` reads it: whole
#: yuan without leading zeros, plain or with commas between groups of three, then
#: optionally a point and one or two decimals (no sign, no white space).
MONEY_PATTERN = r"^(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|0|[1-9][0-9]*)(?:\.[0-9]{1,2})?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
RESIDENT_ID_PATTERN = r"^[0-9]{17}[0-9Xx]$"
_USCC = USCC_ALPHABET + USCC_ALPHABET.lower()
CREDIT_CODE_PATTERN = f"^[{_USCC}]{{18}}$"
REGION_PATTERN = r"^[0-9]{6}$"
# Forbidden characters without the surrogate range: in a JSON Schema regular expression
# (ECMA-262, code units) that range would also match the halves of valid emoji.
_FORBIDDEN = FORBIDDEN_CHARS.replace("\\ud800-\\udfff", "")

_PARAM = re.compile(r"^:param (\w+):\s*(.*)$")


def json_schema(cls: type) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON form of the attrs class *cls*.

    Nested records and code lists are in ``$defs``. A document valid under the schema has the
    right shape and field-level values; :func:`~civilaffairs.convert.structure` also checks the
    rules across fields and the code tables.
    """
    defs: dict[str, Any] = {}
    root = _record(cls, defs)
    schema: dict[str, Any] = {"$schema": DRAFT, **root}
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _record(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    attrs.resolve_types(cls)
    summary, params = _doc(cls)
    properties: dict[str, Any] = {}
    type_name = TYPE_NAMES.get(cls)
    if type_name:
        properties["type"] = {
            "const": type_name,
            "description": "Optional record type, for files that mix records (记录类型，可选).",
        }
    required = []
    for a in attrs.fields(cls):
        if not a.init:
            continue
        prop = _field(a, defs)
        if a.name in params:
            prop = {"description": params[a.name], **prop}
        properties[a.alias or a.name] = prop
        if a.default is attrs.NOTHING:
            required.append(a.alias or a.name)
    out: dict[str, Any] = {"title": cls.__name__, "description": summary, "type": "object"}
    out["properties"] = properties
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _field(a: attrs.Attribute[Any], defs: dict[str, Any]) -> dict[str, Any]:
    meta = constraints(a)
    schema = _value(optional_inner(a.type), meta, defs)
    if meta.get("nullable") or a.default is None:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _value(tp: Any, meta: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    kind = meta.get("type")
    if kind == "items":
        (item,) = typing.get_args(tp)[:1]
        out: dict[str, Any] = {"type": "array", "items": _value(item, {}, defs)}
        if meta.get("min_items"):
            out["minItems"] = meta["min_items"]
        out["maxItems"] = meta["max_items"]
        return out
    if kind == "choice":
        return {"enum": list(meta["choices"])}
    if kind == "text":
        return _text(meta)
    if kind == "int":
        return {"type": "integer", "minimum": meta["minimum"], "maximum": meta["maximum"]}
    if kind == "region":
        return {"type": "string", "pattern": REGION_PATTERN}
    return _typed(tp, defs)


def _typed(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if tp is Money:
        return {"type": "string", "pattern": MONEY_PATTERN}
    if tp is _dt.date:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if tp is ResidentId:
        return {"type": "string", "pattern": RESIDENT_ID_PATTERN}
    if tp is CreditCode:
        return {"type": "string", "pattern": CREDIT_CODE_PATTERN}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is str:
        return {"type": "string"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        if tp.__name__ not in defs:
            defs[tp.__name__] = _enum(tp)
        return _ref(tp.__name__)
    if attrs.has(tp):
        if tp.__name__ not in defs:
            defs[tp.__name__] = {}  # placeholder: stops recursion
            defs[tp.__name__] = _record(tp, defs)
        return _ref(tp.__name__)
    raise TypeError(f"no JSON Schema for {tp!r}")


def _text(meta: dict[str, Any]) -> dict[str, Any]:
    body = f"(?:{meta['pattern']})" if meta.get("pattern") else r"[\s\S]*"
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": meta["max_length"],
        "pattern": rf"^(?![\s\S]*[{_FORBIDDEN}])(?=[\s\S]*\S){body}$",
    }


def _enum(cls: type[enum.Enum]) -> dict[str, Any]:
    values = [m.value for m in cls]
    out: dict[str, Any] = {"title": cls.__name__, "enum": values}
    first = (inspect.getdoc(cls) or "").split("\n\n")[0].replace("\n", " ")
    if issubclass(cls, LabelledEnum):
        labels = "; ".join(f"{m.value} {m.zh}" for m in cls)
        out["description"] = f"{first} {labels}".strip()
    elif first:
        out["description"] = first
    return out


def _doc(cls: type) -> tuple[str, dict[str, str]]:
    """(first paragraph, {param: description}) from a class docstring."""
    doc = inspect.getdoc(cls) or ""
    summary = doc.split("\n\n")[0].replace("\n", " ")
    params: dict[str, str] = {}
    current: str | None = None
    for line in doc.splitlines():
        m = _PARAM.match(line)
        if m:
            current = m.group(1)
            params[current] = m.group(2)
        elif current and line.startswith("    ") and line.strip():
            params[current] += " " + line.strip()
        else:
            current = None
    return summary, {k: _plain(v) for k, v in params.items()}


def _plain(text: str) -> str:
    """Drop reStructuredText markup from a docstring fragment."""
    text = re.sub(r":\w+:`~?([^`]+)`", lambda m: m.group(1).rsplit(".", 1)[-1], text)
    return text.replace("``", "").replace("*", "")

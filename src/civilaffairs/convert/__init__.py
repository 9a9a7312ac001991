"""JSON in and out of the domain model (数据转换): one configured cattrs converter.

* :func:`structure` turns JSON-ready data into a domain object and raises **one**
  :class:`~civilaffairs.errors.ValidationError` listing every bad field by path;
* :func:`unstructure` turns an object into JSON-ready data (``for_audit=True`` masks
  resident IDs and names);
* :func:`load_json`, :func:`dumps`, :func:`write_json`, :func:`read_jsonl` and
  :func:`write_jsonl` read and write files;
* :func:`json_schema` gives the JSON Schema of a type, generated from its fields.

The JSON form: money as text (``"1450.00"``; a JSON number is refused for money, because
binary floating point can lose fen and a bare integer is ambiguous between yuan and fen),
ISO dates (``"2024-07-01"``), code lists as their lowercase values, the resident ID whole
under ``id_number``. Optional fields may be left out or ``null``; unknown fields are errors.
A record may carry ``"type"`` (``"household"``, ``"institution"``, ``"application"``,
``"service"``, ``"service_record"``), which :func:`structure_record` uses to tell records
apart.

>>> from civilaffairs.convert import structure, unstructure
>>> from civilaffairs.domain import Household
>>> data = {
...     "id": "BJ-0001", "region": "110105", "residence": "urban",
...     "members": [{"id_number": "11010519491231002X", "name": "张秀兰", "relation": "head",
...                  "incomes": [{"kind": "pension_basic", "monthly": "960.00"}]}],
... }
>>> home = structure(data, Household)
>>> home.head.birth_date, home.monthly_income()
(datetime.date(1949, 12, 31), Money('960.00'))
>>> unstructure(home, for_audit=True)["members"][0]["id_number"]
'110105********002X'

Every bad field is reported, with its path, and resident IDs are masked in messages:

>>> data["members"][0]["incomes"][0]["monthly"] = "-5"
>>> data["members"][0]["sex"] = "male"
>>> data["residence"] = "city"
>>> structure(data, Household)
Traceback (most recent call last):
...
civilaffairs.errors.ValidationError: residence: is not one of: urban, rural (取值无效)
members[0].sex: male does not match id_number 110105********002X (性别与身份证号码不符)
members[0].incomes[0].monthly: must not be negative (不得为负数)
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar, overload

import attrs
import cattrs

from civilaffairs.convert import _jsonio, _structure
from civilaffairs.convert._converter import make_converter
from civilaffairs.convert._jsonio import iter_lines, line_too_long, parse_json, read_document
from civilaffairs.convert._schema import json_schema
from civilaffairs.domain import (
    Application,
    Household,
    Institution,
    ServiceCatalogueEntry,
    ServiceRecord,
)
from civilaffairs.domain._privacy import safe_text
from civilaffairs.errors import FieldError, MalformedInput, ValidationError

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_LINE_BYTES",
    "MAX_NUMBER_DIGITS",
    "RECORD_TYPES",
    "TYPE_NAMES",
    "Record",
    "Result",
    "converter",
    "detect_record_type",
    "dumps",
    "json_schema",
    "load_json",
    "parse_json",
    "read_jsonl",
    "structure",
    "structure_record",
    "unstructure",
    "write_json",
    "write_jsonl",
]

_T = TypeVar("_T")

#: The record types by the name of their optional ``"type"`` key: ``household``,
#: ``institution``, ``application``, ``service`` (a catalogue entry), ``service_record``.
RECORD_TYPES: dict[str, type] = _structure.RECORD_TYPES
#: The name of each record type (the inverse of :data:`RECORD_TYPES`).
TYPE_NAMES: dict[type, str] = _structure.TYPE_NAMES
#: The largest JSON document read whole: 64 MiB. Bigger collections belong in JSON Lines.
MAX_DOCUMENT_BYTES: int = _jsonio.MAX_DOCUMENT_BYTES
#: The longest line of a JSON Lines file: 1 MiB.
MAX_LINE_BYTES: int = _jsonio.MAX_LINE_BYTES
#: The most digits a JSON number may have: 40.
MAX_NUMBER_DIGITS: int = _jsonio.MAX_NUMBER_DIGITS

#: Any of the record types that :func:`structure_record` recognises.
Record = Household | Institution | Application | ServiceCatalogueEntry | ServiceRecord

#: The configured converter. Prefer :func:`structure` and :func:`unstructure`, which also
#: mask identifiers in error messages and offer the audit form.
converter: cattrs.Converter = make_converter()
_audit_converter: cattrs.Converter = make_converter(audit=True)


def _clean(error: FieldError) -> FieldError:
    """*error* with identifier-like runs masked and text made printable on one line."""

    return FieldError(
        safe_text(error.path),
        safe_text(error.message),
        error.code,
        zh=safe_text(error.message_zh),
        en=safe_text(error.message_en),
    )


def _cleaned(exc: ValidationError, what: str) -> ValidationError:
    errors = [_clean(e) for e in exc.errors]
    if isinstance(exc, MalformedInput):
        first = errors[0]
        return MalformedInput(
            first.message, path=first.path, code=first.code, zh=first.zh, en=first.en
        )
    return ValidationError(errors, what=what)


def structure(data: Any, cls: type[_T]) -> _T:
    """Build a *cls* (e.g. :class:`~civilaffairs.domain.Household`) from JSON-ready *data*.

    :raises ValidationError: listing every bad field by path, with resident IDs masked.
    """
    try:
        return converter.structure(data, cls)
    except ValidationError as exc:
        raise _cleaned(exc, getattr(cls, "__name__", "record")) from None


def unstructure(obj: Any, *, for_audit: bool = False) -> Any:
    """JSON-ready data (dicts, lists, text, numbers) for a domain object or a list of them.

    With *for_audit*, resident IDs are masked (``110105********002X``) and personal names
    too (``张**``): the form for audit exports and logs, which cannot be structured back.
    """
    return (_audit_converter if for_audit else converter).unstructure(obj)


def detect_record_type(data: Any) -> type:
    """The record type of *data*: from its ``"type"`` key, else from its shape.

    Shape: ``members`` means a household; ``beds`` or ``operator`` an institution;
    ``household`` with ``program`` an application; ``service`` with ``provided_on`` a
    service record; ``area`` a catalogue entry.

    :raises ValidationError: when *data* is not an object or its type cannot be told.
    """
    if not isinstance(data, dict):
        raise ValidationError.single(
            "",
            f"expected an object, got {_describe(data)} (应为对象)",
            zh=f"应为对象，实为{_describe(data, 'zh')}",
        )
    if "type" in data:
        name = data["type"]
        if isinstance(name, str) and name in RECORD_TYPES:
            return RECORD_TYPES[name]
        raise ValidationError.single(
            "type",
            f"must be one of: {', '.join(RECORD_TYPES)} (记录类型无效)",
            "type",
            zh=f"记录类型无效，应为以下之一：{', '.join(RECORD_TYPES)}",
        )
    if "members" in data:
        return Household
    if "beds" in data or "operator" in data:
        return Institution
    if "household" in data and "program" in data:
        return Application
    if "service" in data and "provided_on" in data:
        return ServiceRecord
    if "area" in data:
        return ServiceCatalogueEntry
    raise ValidationError.single(
        "",
        'cannot tell what kind of record this is; add "type": "household" or "institution" '
        "(无法识别记录类型)",
        "unknown_type",
        zh='无法识别记录类型，请添加 "type": "household" 或 "institution"',
    )


def _describe(value: Any, lang: str = "en") -> str:
    from civilaffairs.domain._validators import describe

    return describe(value, lang)


def structure_record(data: Any) -> Record:
    """Build whichever record *data* describes (see :func:`detect_record_type`)."""
    try:
        cls = detect_record_type(data)
    except ValidationError as exc:
        raise _cleaned(exc, "record") from None
    record: Record = structure(data, cls)
    return record


def load_json(source: str | os.PathLike[str] | bytes, cls: type[_T]) -> _T:
    """Read one JSON document and build a *cls* from it.

    *source* is a path, UTF-8 bytes, or text that starts with ``{`` or ``[``.

    :raises MalformedInput: the document cannot be read as JSON (see :func:`parse_json`).
    :raises ValidationError: the record has bad fields.
    :raises OSError: the file cannot be opened.
    """
    data = parse_json(read_document(source))
    return structure(data, cls)


def dumps(obj: Any, *, for_audit: bool = False, indent: int | None = 2) -> str:
    """JSON text of a domain object (or a list of them); Chinese is kept as is."""
    return json.dumps(unstructure(obj, for_audit=for_audit), ensure_ascii=False, indent=indent)


def write_json(path: str | os.PathLike[str], obj: Any, *, for_audit: bool = False) -> None:
    """Write a domain object (or a list of them) as a UTF-8 JSON file."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(obj, for_audit=for_audit) + "\n")


@attrs.frozen
class Result(Generic[_T]):
    """One line of a JSON Lines file: its number, and the record or the error.

    :param line: the line number, from 1.
    :param value: the record, when the line is valid.
    :param error: the :class:`~civilaffairs.errors.ValidationError`, when it is not.
    """

    line: int
    value: _T | None = None
    error: ValidationError | None = None

    @property
    def ok(self) -> bool:
        """Whether the line held a valid record."""
        return self.error is None

    def unwrap(self) -> _T:
        """The record, or raise the line's error."""
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


@overload
def read_jsonl(path: str | os.PathLike[str], cls: type[_T]) -> Iterator[Result[_T]]: ...
@overload
def read_jsonl(path: str | os.PathLike[str], cls: None = None) -> Iterator[Result[Record]]: ...
def read_jsonl(path: str | os.PathLike[str], cls: type[Any] | None = None) -> Iterator[Result[Any]]:
    """Read a JSON Lines file one record per line, lazily, in constant memory.

    Each non-blank line gives a :class:`Result`; a bad line gives its error and the lines
    after it are still read. Without *cls*, each line's type is detected
    (:func:`detect_record_type`).

    :raises OSError: the file cannot be opened (raised on the first iteration).
    """
    with open(path, "rb") as f:
        for lineno, line in iter_lines(f):
            try:
                if line is None:
                    raise line_too_long()
                data = parse_json(line, line=lineno)
                value = structure_record(data) if cls is None else structure(data, cls)
            except ValidationError as exc:
                yield Result(lineno, None, exc)
            else:
                yield Result(lineno, value, None)


def write_jsonl(
    path: str | os.PathLike[str], objs: Iterable[Any], *, for_audit: bool = False
) -> int:
    """Write domain objects as JSON Lines (one compact UTF-8 object per line); return the count."""
    count = 0
    conv = _audit_converter if for_audit else converter
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for obj in objs:
            f.write(json.dumps(conv.unstructure(obj), ensure_ascii=False, separators=(",", ":")))
            f.write("\n")
            count += 1
    return count

"""Plugin data files: standards and policy overrides as TOML or CSV (数据文件).

A province keeps its figures as data, not code. The TOML format::

    [[key]]                       # a key of the plugin's own (optional; see below)
    key = "anhui.meal_subsidy"    # namespaced: <area or province>.<name>
    zh = "老年助餐补贴"
    en = "elderly meal subsidy"
    unit = "yuan/month"           # yuan/month | yuan/year | yuan | ratio | months
    by_residence = false          # default false: urban and rural values commonly differ?
    relative_to = "dibao.standard"  # optional, for a multiple (unit "ratio")
    description = "…"             # optional
    basis = "…"                   # optional: the legal or documentary basis

    [[standard]]
    key = "dibao.standard"
    region = "110000"
    residence = "both"            # urban | rural | both (default both)
    effective_from = "2024-07-01"
    until = "2025-06-30"          # optional
    value = "1450"                # a string: yuan for money keys, a decimal for ratios
    provisional = true            # default false; a provisional value needs a note
    note = "why it is provisional"
    source = { issuer = "北京市民政局", document = "…", title = "…", date = "2022-06-30",
               url = "https://…", note = "…" }   # issuer required

    [[policy]]
    program = "dibao"
    point = "rounding"
    region = "110000"
    effective_from = "2020-01-01"
    value = "up"                  # any TOML value; the programme's policy point checks it
    source = { issuer = "…" }     # optional for policies
    note = "…"

A CSV file holds one kind of row: standards (columns ``key, region, residence,
effective_from, until, value, provisional, note, source_issuer, source_document,
source_title, source_date, source_url, source_note``) or policies (``program, point, region,
residence, effective_from, until, value, note`` and the ``source_*`` columns). Empty cells
are missing values; CSV policy values are strings.

A ``[[key]]`` table declares a standard key the built-in catalogue does not have, so a
local programme's amounts are dated and cited like any other. Its values may be in the same
file or any other plugin's; they are checked once every plugin's keys are known.

Every problem in a file is reported at once, each line naming the file, the entry and the
field: ``standards.toml: standard[3].source.issuer: required`` (entries count from 0;
CSV rows are named by line: ``standards.csv: line 5.source_issuer: required``).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.errors import (
    CivilAffairsError,
    DataFileError,
    FieldError,
    ValidationError,
    join_path,
)
from civilaffairs.standards.catalogue import CATALOGUE, KeySpec, key_differences
from civilaffairs.standards.values import StandardValue, _build

if TYPE_CHECKING:
    from civilaffairs.policies import PolicyOverride

__all__ = [
    "DataFile",
    "Entry",
    "PathLike",
    "read_data_file",
]

#: What the loaders accept: a path, or a :class:`~importlib.resources.abc.Traversable`
#: such as ``importlib.resources.files(__package__) / "standards.toml"``.
PathLike = str | os.PathLike[str] | Traversable

_TOP_LEVEL = ("key", "standard", "policy")
_SOURCE_COLUMNS = tuple(
    f"source_{f}" for f in ("issuer", "document", "title", "date", "url", "note")
)
_STANDARD_COLUMNS = (
    "key",
    "region",
    "residence",
    "effective_from",
    "until",
    "value",
    "provisional",
    "note",
    *_SOURCE_COLUMNS,
)
_POLICY_COLUMNS = (
    "program",
    "point",
    "region",
    "residence",
    "effective_from",
    "until",
    "value",
    "note",
    *_SOURCE_COLUMNS,
)


@attrs.frozen
class Entry:
    """One raw entry of a data file, with the path prefix its errors are reported under."""

    where: str
    data: Mapping[str, Any]
    csv: bool = False


@attrs.frozen
class DataFile:
    """A parsed data file: its raw ``key``, ``standard`` and ``policy`` entries, not yet
    validated.

    :param name: the file name shown in errors (no directories).
    :param ident: a string identifying the file (its full path), for bookkeeping.
    """

    name: str
    ident: str
    standards: tuple[Entry, ...]
    policies: tuple[Entry, ...]
    keys: tuple[Entry, ...] = ()

    def key_specs(self) -> list[KeySpec]:
        """Validate the ``key`` entries into the keys the file declares.

        :raises DataFileError: listing every bad field of every entry, and a key declared
            twice in the file with different meanings.
        """
        errors: list[FieldError] = []
        out: dict[str, KeySpec] = {}
        for entry in self.keys:
            try:
                spec = KeySpec.from_mapping(entry.data)
            except ValidationError as exc:
                errors += [e.at(entry.where) for e in exc.errors]
                continue
            known = out.get(spec.key)
            if known is not None:
                diffs = key_differences(known, spec)
                if diffs:
                    errors.append(
                        FieldError(
                            f"{entry.where}.key",
                            f"{spec.key!r} is declared twice with different meanings "
                            f"({'; '.join(diffs)})",
                            "conflict",
                        )
                    )
                continue
            out[spec.key] = spec
        if errors:
            raise DataFileError(self.name, errors)
        return list(out.values())

    def standard_values(
        self,
        plugin: str,
        keys: Mapping[str, KeySpec] | None = None,
        *,
        entries: tuple[Entry, ...] | None = None,
    ) -> list[StandardValue]:
        """Validate the ``standard`` entries into values registered by *plugin*.

        :param keys: the catalogue to check keys against (e.g. ``registry.keys``); default
            the built-in keys and the keys the file itself declares.
        :param entries: validate only these of the file's ``standard`` entries.
        :raises DataFileError: listing every bad field of every entry, and entries that
            repeat the key, region, residence and date of an earlier one.
        """
        if keys is None:
            keys = {**CATALOGUE, **{s.key: s for s in self.key_specs()}}
        catalogue = keys
        return self._validate(
            self.standards if entries is None else entries,
            lambda entry: _build(entry.data, plugin=plugin, keys=catalogue),
            _standard_slot,
            lambda data: _raw_slot(data, "key", catalogue),
            ("key", "标准项目"),
        )

    def policy_overrides(self, plugin: str) -> list[PolicyOverride]:
        """Validate the ``policy`` entries (their values are checked later, against the
        programme's policy points). Each override carries its origin, ``file: policy[i]``,
        so an error found in that later check names the file and the entry too.

        :raises DataFileError: listing every bad field of every entry, and entries that
            repeat the programme, point, region, residence and date of an earlier one.
        """
        from civilaffairs.policies import _build_override

        return self._validate(
            self.policies,
            lambda entry: _build_override(
                entry.data, plugin=plugin, origin=f"{self.name}: {entry.where}"
            ),
            _policy_slot,
            _raw_policy_slot,
            ("programme, point", "救助项目、政策参数"),
        )

    def _validate(
        self,
        entries: tuple[Entry, ...],
        build: Callable[[Entry], Any],
        slot: Callable[[Any], object],
        raw_slot: Callable[[Mapping[str, Any]], object | None],
        names: tuple[str, str],
    ) -> list[Any]:
        """Build every entry, collecting every error of every entry: the bad fields, and
        an entry repeating the slot of an earlier one. The slot of an entry that does not
        build is read from its slot fields alone, so a repeat is reported even when one of
        the two entries has other mistakes (an unknown field, a bad value)."""
        errors: list[FieldError] = []
        out: list[Any] = []
        seen: dict[object, str] = {}
        for entry in entries:
            item: Any = None
            try:
                item = build(entry)
            except ValidationError as exc:
                for e in exc.errors:
                    path = e.path
                    if entry.csv:
                        path = _csv_column(path)
                    errors.append(attrs.evolve(e, path=join_path(entry.where, path) or ""))
                key = raw_slot(entry.data)
            else:
                key = slot(item)
            if key is not None and key in seen:
                errors.append(
                    FieldError(
                        entry.where,
                        f"same {names[0]}, region, residence and effective_from as "
                        f"{seen[key]} (重复登记)",
                        "conflict",
                        zh=f"与 {seen[key]} 的{names[1]}、行政区划、城乡和生效日期相同（重复登记）",
                    )
                )
                continue
            if key is not None:
                seen[key] = entry.where
            if item is not None:
                out.append(item)
        if errors:
            raise DataFileError(self.name, errors)
        return out


def _standard_slot(v: StandardValue) -> object:
    return (v.key, v.region, v.residence, v.effective_from)


def _policy_slot(p: Any) -> object:
    return (p.program, p.point, p.region, p.residence, p.effective_from)


def _raw_slot(
    data: Mapping[str, Any], name: str, keys: Mapping[str, KeySpec] | None = None
) -> object | None:
    """The slot ``(key, region, residence, effective_from)`` of a raw entry whose slot
    fields are valid, whatever its other fields; ``None`` when one of them is not."""
    from civilaffairs.standards.values import _opt_date, check_region, parse_residence

    ident = data.get(name)
    if not isinstance(ident, str) or not ident.strip():
        return None
    if keys is not None and ident in keys:
        ident = keys[ident].key
    try:
        region = check_region(data.get("region"))
        residence = parse_residence(data.get("residence", "both") or "both")
        start = _opt_date(data.get("effective_from"))
    except CivilAffairsError:
        return None
    if start is None:
        return None
    return (ident.strip(), region, residence, start)


def _raw_policy_slot(data: Mapping[str, Any]) -> object | None:
    program = data.get("program")
    if not isinstance(program, str) or not program.strip():
        return None
    rest = _raw_slot(data, "point")
    if not isinstance(rest, tuple):
        return None
    return (program.strip(), *rest)


def _csv_column(path: str) -> str:
    return "source_" + path[len("source.") :] if path.startswith("source.") else path


def _name_and_ident(path: PathLike) -> tuple[str, str, Traversable | os.PathLike[str]]:
    if isinstance(path, str):
        path = os.fspath(path)
        import pathlib

        p = pathlib.Path(path)
        return p.name, str(p), p
    if isinstance(path, os.PathLike):
        import pathlib

        p = pathlib.Path(os.fspath(path))
        return p.name, str(p), p
    return path.name, str(path), path


def read_data_file(path: PathLike) -> DataFile:
    """Read a TOML or CSV data file (chosen by its suffix, ``.toml`` or ``.csv``).

    :param path: a file path or a :class:`~importlib.resources.abc.Traversable`, e.g.
        ``importlib.resources.files(__package__) / "standards.toml"``.
    :raises DataFileError: if the file cannot be read or its layout is wrong; the
        entries themselves are validated by :meth:`DataFile.standard_values` and
        :meth:`DataFile.policy_overrides`.
    """
    name, ident, handle = _name_and_ident(path)
    try:
        raw = handle.read_bytes()  # type: ignore[union-attr]
    except OSError as exc:
        raise DataFileError(
            name, [FieldError("", f"cannot read the file: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(
            name, [FieldError("", "not UTF-8 text (文件须为 UTF-8 编码)")]
        ) from None
    lower = name.lower()
    if lower.endswith(".toml"):
        return _read_toml(name, ident, text)
    if lower.endswith(".csv"):
        return _read_csv(name, ident, text)
    raise DataFileError(name, [FieldError("", "a data file must end in .toml or .csv")])


#: A time without seconds, which TOML 1.1 allows (found by its ``:MM`` not followed by ``:``;
#: the two digits before it are checked apart) and a comma before ``}`` (a trailing comma in
#: an inline table, 1.1 again). Searched from their first character, which keeps it fast.
_MINUTES = re.compile(r":\d\d(?!:)")
_TRAILING_COMMA = re.compile(r",[ \t]*}")
_ONE_LINE_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'")


def _maybe_toml_11(text: str) -> bool:
    """Whether *text* may use what TOML 1.1 adds to the TOML 1.0 tomllib reads: the ``\\e``
    and ``\\xHH`` escapes, times without seconds, a trailing comma in an inline table, an
    inline table over several lines. A ``True`` may come from inside a string, where it is
    harmless: the text then only goes to tomllib."""
    if "\\e" in text or "\\x" in text or _TRAILING_COMMA.search(text):
        return True
    for m in _MINUTES.finditer(text):
        at = m.start()
        if text[at - 2 : at].isdigit() and (at < 3 or text[at - 3] not in "0123456789:"):
            return True
    return not _inline_tables_on_one_line(text)


def _inline_tables_on_one_line(text: str) -> bool:
    """Whether every ``{`` outside strings and comments is closed on its own line (TOML 1.0
    inline tables are; TOML 1.1 lets them run over lines). A line that starts a multi-line
    string is not looked into: the answer is then ``False``."""
    at = text.find("{")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if '"""' in line or "'''" in line:
            return False
        # The usual ``source = { ... }``: its one ``}`` at the end closes its one ``{`` (were
        # that ``}`` inside a string, the string would run past the end of the line).
        simple = line.count("{") == line.count("}") == 1 and "#" not in line
        if simple and line.rstrip().endswith("}"):
            at = text.find("{", end)
            continue
        bare = _ONE_LINE_STRING.sub("", line).split("#", 1)[0]
        if "{" in bare and (
            bare.count("{") != bare.count("}") or bare.rfind("{") > bare.rfind("}")
        ):
            return False
        at = text.find("{", end)
    return True


def _fast_toml(text: str) -> dict[str, Any] | None:
    """*text* parsed by rtoml, or ``None`` to leave it to :mod:`tomllib`.

    rtoml (a Rust parser) reads these files about ten times faster than tomllib, which
    matters because every process parses every installed plugin's data files. It reads
    TOML 1.1, a superset of the TOML 1.0 that tomllib reads, so a text that may use what 1.1
    adds goes to tomllib (:func:`_maybe_toml_11`), as does one with a carriage return (rtoml
    keeps CRLF inside multi-line strings where tomllib gives LF) or one that still starts
    with a byte-order mark after ``utf-8-sig`` removed one.
    Whatever rtoml rejects goes to tomllib too, which then decides: a malformed file gets
    tomllib's message, as it always has. ``tests/test_datafile_fast_toml.py`` compares the
    two parsers.
    """
    if "\r" in text or text.startswith("\ufeff") or _maybe_toml_11(text):
        return None
    try:
        import rtoml

        doc: dict[str, Any] = rtoml.loads(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # not installed, rejected, or a panic (pyo3's is a BaseException):
        return None  # tomllib decides, and words the error
    return doc


def _read_toml(name: str, ident: str, text: str) -> DataFile:
    doc = _fast_toml(text)
    if doc is None:
        import tomllib

        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DataFileError(name, [FieldError("", f"not valid TOML: {exc}")]) from None
    errors: list[FieldError] = []
    tables: dict[str, tuple[Entry, ...]] = {}
    for top, body in doc.items():
        if top not in _TOP_LEVEL:
            errors.append(
                FieldError(top, "unknown table; expected [[key]], [[standard]] or [[policy]]")
            )
            continue
        if not isinstance(body, list) or not all(isinstance(t, dict) for t in body):
            errors.append(FieldError(top, f"must be an array of tables: write [[{top}]]"))
            continue
        tables[top] = tuple(Entry(f"{top}[{i}]", t) for i, t in enumerate(body))
    if errors:
        raise DataFileError(name, errors)
    return DataFile(
        name, ident, tables.get("standard", ()), tables.get("policy", ()), tables.get("key", ())
    )


def _read_csv(name: str, ident: str, text: str) -> DataFile:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if "key" in columns:
        allowed, kind = _STANDARD_COLUMNS, "standard"
    elif "program" in columns:
        allowed, kind = _POLICY_COLUMNS, "policy"
    else:
        raise DataFileError(
            name,
            [FieldError("", "the header needs a 'key' column (standards) or 'program' (policies)")],
        )
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise DataFileError(
            name,
            [
                FieldError(c, f"unknown column; expected some of {', '.join(allowed)}")
                for c in unknown
            ],
        )
    entries: list[Entry] = []
    for row in reader:
        data: dict[str, Any] = {}
        source: dict[str, Any] = {}
        for column, cell in row.items():
            if column is None:
                continue
            column = column.strip()
            value = (cell or "").strip()
            if not value:
                continue
            if column.startswith("source_"):
                source[column[len("source_") :]] = value
            elif column == "provisional":
                data[column] = _csv_bool(value)
            else:
                data[column] = value
        if not data and not source:
            continue
        if source:
            data["source"] = source
        entries.append(Entry(f"line {reader.line_num}", data, csv=True))
    if kind == "standard":
        return DataFile(name, ident, tuple(entries), ())
    return DataFile(name, ident, (), tuple(entries))


def _csv_bool(value: str) -> object:
    lowered = value.lower()
    if lowered in ("true", "yes", "1", "是"):
        return True
    if lowered in ("false", "no", "0", "否"):
        return False
    return value

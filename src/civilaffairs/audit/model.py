"""How an integrity audit check is represented (审计规则): :class:`AuditCheck`.

A check is written twice over the same data, and the two must agree (a property test
holds them to it):

* ``columns(data)``, the bulk path: column-wise over the whole caseload with pyarrow
  compute and numpy, no Python loop over rows. It returns a table with ``_row`` (the index
  of the flagged caseload row), ``detail_zh`` and ``detail_en``, and optionally
  ``severity`` and ``basis`` where they differ by row.
* ``single(row, data)``, the single-case path: plain Python for one caseload row (a
  mapping of its values), with the rest of the caseload reachable through *data*. It
  returns the :class:`Finding` objects for that row.

Both receive an :class:`AuditData`: the validated caseload, the audit month, the registry,
the declared relatives and the external matches. The bundled checks
(:mod:`civilaffairs.audit.bundled`) and a province's (registered through
``civilaffairs_register_audit_checks``) are run by the same runner,
:func:`civilaffairs.audit.audit_caseload`.

Texts are built from templates whose fields are filled identically by both paths
(:func:`fill` and :func:`fill_row`): money as yuan with two decimals, dates ISO.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.errors import CivilAffairsError

__all__ = [
    "SEVERITIES",
    "AuditCheck",
    "AuditData",
    "Finding",
    "fill",
    "fill_row",
    "yuan",
    "yuan_text",
]

#: Severities, most serious first.
SEVERITIES = ("high", "medium", "low")

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_FIELD = re.compile(r"\{(\w+)\}")


@attrs.frozen
class Finding:
    """What a check found on one caseload row (single-case path)."""

    detail_zh: str
    detail_en: str
    severity: str | None = None
    basis: str | None = None


class AuditData:
    """What every check reads: the validated caseload and its context.

    :param caseload: the caseload (:data:`~civilaffairs.audit.CASELOAD_SCHEMA`, valid rows).
    :param on: the audit month (:class:`~civilaffairs.periods.Month`).
    :param registry: standards and policies.
    :param relatives: declared relatives (:data:`~civilaffairs.audit.RELATIVES_SCHEMA`).
    :param matches: external matches (:data:`~civilaffairs.audit.MATCHES_SCHEMA`).
    """

    def __init__(
        self,
        caseload: pa.Table,
        on: Any,
        registry: Any,
        relatives: pa.Table,
        matches: pa.Table,
    ) -> None:
        self.caseload = caseload
        self.on = on
        self.registry = registry
        self.relatives = relatives
        self.matches = matches
        self._cache: dict[str, Any] = {}

    @property
    def rows(self) -> pa.Array:
        """Row indices 0..n-1 (int64)."""
        if "rows" not in self._cache:
            self._cache["rows"] = pa.array(range(self.caseload.num_rows), pa.int64())
        return self._cache["rows"]

    def column(self, name: str) -> pa.Array:
        """A caseload column as one array."""
        key = f"col:{name}"
        if key not in self._cache:
            self._cache[key] = self.caseload.column(name).combine_chunks()
        return self._cache[key]

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """A value computed once per audit run (policy lookups, groupings)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # -- the single-case view (plain Python, built on first use) ------------------------
    def records(self) -> list[dict[str, Any]]:
        """The caseload rows as dicts (single-case path only)."""
        return self.memo("records", self.caseload.to_pylist)  # type: ignore[no-any-return]

    def person_month(self, person_key: str, month: str) -> list[dict[str, Any]]:
        """Every row of one person in one month."""

        def build() -> dict[tuple[str, str], list[dict[str, Any]]]:
            out: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for r in self.records():
                out.setdefault((r["person_key"], r["month"]), []).append(r)
            return out

        index: dict[tuple[str, str], list[dict[str, Any]]] = self.memo("person_month", build)
        return index.get((person_key, month), [])

    def relation(self, staff_id: str, person_key: str) -> str | None:
        """The declared relation of *person_key* to *staff_id* (the least in sort order if
        several were declared), or ``None``."""

        def build() -> dict[tuple[str, str], str]:
            out: dict[tuple[str, str], str] = {}
            for r in self.relatives.to_pylist():
                k = (r["staff_id"], r["person_key"])
                out[k] = min(out[k], r["relation"]) if k in out else r["relation"]
            return out

        index: dict[tuple[str, str], str] = self.memo("relations", build)
        return index.get((staff_id, person_key))

    def matches_of(self, person_key: str) -> list[dict[str, Any]]:
        """The external matches of one person, in the matches table's order."""

        def build() -> dict[str, list[dict[str, Any]]]:
            out: dict[str, list[dict[str, Any]]] = {}
            for r in self.matches.to_pylist():
                out.setdefault(r["person_key"], []).append(r)
            return out

        index: dict[str, list[dict[str, Any]]] = self.memo("matches", build)
        return index.get(person_key, [])


def _check_id(_: object, __: object, value: str) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise CivilAffairsError(
            f"audit check id {value!r} is not dotted lowercase words, e.g. 'anhui.vehicles'",
            path="id",
            zh=f"审计规则编号 {value!r} 应为以点分隔的小写单词",
        )


def _check_severity(_: object, __: object, value: str) -> None:
    if value not in SEVERITIES:
        raise CivilAffairsError(
            f"severity must be one of {', '.join(SEVERITIES)}, got {value!r}", path="severity"
        )


@attrs.frozen
class AuditCheck:
    """An integrity audit check over a caseload (审计规则).

    :param id: dotted id, e.g. ``"audit.paid_after_death"`` or ``"anhui.meal_subsidy"``.
    :param zh: Chinese title.
    :param en: English title.
    :param basis: the rule it rests on: law or notice, article, 文号.
    :param severity: ``high``, ``medium`` or ``low`` (a row's ``severity`` may differ).
    :param columns: the bulk path, ``columns(data) -> pyarrow.Table`` of ``_row``,
        ``detail_zh``, ``detail_en`` (and optionally ``severity``, ``basis``).
    :param single: the single-case path, ``single(row, data) -> [Finding, ...]``.
    :param description_zh: what it looks for, in Chinese.
    :param description_en: what it looks for, in English.
    """

    id: str = attrs.field(validator=_check_id)
    zh: str
    en: str
    basis: str
    severity: str = attrs.field(validator=_check_severity)
    columns: Callable[[AuditData], pa.Table]
    single: Callable[[Mapping[str, Any], AuditData], Sequence[Finding]]
    description_zh: str = ""
    description_en: str = ""

    def __call__(self, caseload: Any, *, on: Any, **options: Any) -> pa.Table:
        """Run this check alone over *caseload* (see
        :func:`civilaffairs.audit.audit_caseload`)."""
        from civilaffairs.audit.run import audit_caseload

        return audit_caseload(caseload, on=on, checks=[self], **options)


# -- texts ---------------------------------------------------------------------------------


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals (``123456`` -> ``"1234.56"``)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def yuan_text(fen: pa.Array) -> pa.Array:
    """:func:`yuan`, column-wise (values must not be negative)."""
    fen = pc.cast(fen, pa.int64())
    whole = pc.divide(fen, 100)
    cents = pc.subtract(fen, pc.multiply(whole, 100))
    return pc.binary_join_element_wise(
        pc.cast(whole, pa.string()),
        pc.utf8_lpad(pc.cast(cents, pa.string()), width=2, padding="0"),
        ".",
    )


def _text(value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def fill_row(template: str, **values: Any) -> str:
    """*template* with ``{name}`` fields filled from *values* (dates ISO)."""
    return template.format(**{k: _text(v) for k, v in values.items()})


def fill(template: str, **columns: pa.Array) -> pa.Array:
    """*template* filled column-wise: each ``{name}`` from the array *name* (dates become
    ISO text); the same text as :func:`fill_row` gives row by row."""
    parts: list[Any] = []
    pos = 0
    n = len(next(iter(columns.values())))
    for m in _FIELD.finditer(template):
        if m.start() > pos:
            parts.append(pa.scalar(template[pos : m.start()]))
        col = columns[m.group(1)]
        parts.append(col if pa.types.is_string(col.type) else pc.cast(col, pa.string()))
        pos = m.end()
    if pos < len(template):
        parts.append(pa.scalar(template[pos:]))
    if not parts:
        return pa.array([""] * n, pa.string())
    if len(parts) == 1:
        p = parts[0]
        return pa.array([p.as_py()] * n, pa.string()) if isinstance(p, pa.Scalar) else p
    if all(isinstance(p, pa.Scalar) for p in parts):
        return pa.array(["".join(p.as_py() for p in parts)] * n, pa.string())
    return pc.binary_join_element_wise(*parts, "")

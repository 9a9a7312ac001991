"""Assessing a registry chunk by chunk (批量认定).

:func:`assess_chunk` is *the* chunk function: households and their members in, one result
row per household and an errors table out. :func:`assess_bulk` streams a source through
it and writes both tables to Parquet chunk by chunk; :func:`assess_table` keeps them in
memory (for small inputs and tests); :mod:`civilaffairs.dask` runs the same function on a
cluster.

Nothing is dropped silently: every household of the input is either a row of the results
or a row of the errors table (``households = assessed + errors``). A household is an error
when its row is bad (see :func:`~civilaffairs.bulk.arrow.frame_from_arrow`). A programme
whose own standard the region lacks, or that does not apply, is *skipped*
(``<id>_status == 1``), as the single-case assessment lists it; a programme whose module
does not serve the region has ``<id>_status == 2``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.bulk.arrow import frame_from_arrow
from civilaffairs.bulk.schema import ERRORS_SCHEMA, output_schema
from civilaffairs.bulk.sources import DEFAULT_CHUNK_SIZE, open_source
from civilaffairs.engine.batch import BatchResult, evaluate_frame
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.single import evaluation_order
from civilaffairs.periods import Month

__all__ = [
    "BulkSummary",
    "ChunkResult",
    "assess_bulk",
    "assess_chunk",
    "assess_table",
    "errors_path_for",
    "report_programs",
    "result_table",
]

Evaluator = Callable[[Frame, Any, Sequence[str] | None], BatchResult]


class ChunkResult(NamedTuple):
    """What :func:`assess_chunk` returns."""

    #: One row per assessed household (:func:`~civilaffairs.bulk.schema.output_schema`).
    results: pa.Table
    #: One row per household not assessed (``row``, ``household_id``, ``reason``).
    errors: pa.Table


def _registry(registry: Any) -> Any:
    if registry is not None:
        return registry
    from civilaffairs.registry import get_registry

    return get_registry()


def report_programs(registry: Any, programs: Iterable[str] | None = None) -> list[str]:
    """The programme ids a run reports, in order (all registered ones by default)."""
    _, report = evaluation_order(registry.programs, None if programs is None else list(programs))
    return report


def result_table(
    result: BatchResult,
    frame: Frame,
    rows: np.ndarray,
    keep: np.ndarray | None = None,
) -> pa.Table:
    """The results table of an evaluated frame (rows where *keep* is true)."""
    sel = np.ones(frame.n, dtype=bool) if keep is None else keep
    mask = pa.array(sel)
    columns: dict[str, Any] = {
        "row": pa.array(rows[sel], pa.int64()),
        "household_id": pc.filter(pa.array(frame.household_ids, pa.string()), mask),
        "region": pc.filter(pa.array(frame.regions, pa.string()), mask),
        "residence": pc.filter(pa.array(frame.residences, pa.string()), mask),
    }
    for pid in result.programs:
        first = result.first_failed[pid][sel].astype(np.int64)
        ids = pa.array(result.condition_ids[pid] or ("",), pa.string())
        taken = pc.take(ids, pa.array(first, mask=first < 0))
        columns[f"{pid}_eligible"] = pa.array(result.eligible[pid][sel], pa.bool_())
        columns[f"{pid}_amount_fen"] = pa.array(result.amount[pid][sel], pa.int64())
        columns[f"{pid}_first_failed"] = taken
        columns[f"{pid}_status"] = pa.array(result.status[pid][sel], pa.int8())
    return pa.table(columns, schema=output_schema(result.programs))


def assess_chunk(
    households: pa.Table | pa.RecordBatch,
    persons: pa.Table | pa.RecordBatch,
    on: Month | str,
    *,
    registry: Any = None,
    programs: Iterable[str] | None = None,
    first_row: int = 0,
    person_first_row: int = 0,
    evaluate: Evaluator | None = None,
) -> ChunkResult:
    """Assess one chunk: *households* and exactly their members, *persons*.

    :param on: the month assessed.
    :param registry: standards, policies and programmes (the installed plugins' by default).
    :param programs: programme ids to report (all registered ones by default).
    :param first_row: row number of the chunk's first household in the whole input.
    :param person_first_row: row number of its first person, for error messages.
    :param evaluate: the columnar evaluator (default
        :func:`~civilaffairs.engine.batch.evaluate_frame`); a what-if run passes one that
        counts its work.
    """
    month = Month.parse(on)
    reg = _registry(registry)
    report = report_programs(reg, programs)
    frame, errors, rows = frame_from_arrow(
        households, persons, month, first_row=first_row, person_first_row=person_first_row
    )
    if frame.n == 0:
        return ChunkResult(output_schema(report).empty_table(), errors)
    run = evaluate or _evaluate
    result = run(frame, reg, report)
    return ChunkResult(result_table(result, frame, rows), errors)


def _evaluate(frame: Frame, registry: Any, programs: Sequence[str] | None) -> BatchResult:
    return evaluate_frame(frame, registry, programs)


@attrs.define
class BulkSummary:
    """Counts and totals of a bulk run (批量认定汇总).

    ``households == assessed + errors`` always holds.
    """

    month: str
    programs: list[str]
    households: int = 0
    assessed: int = 0
    errors: int = 0
    #: Eligible households per programme.
    eligible: dict[str, int] = attrs.field(factory=dict)
    #: Skipped households per programme (region lacks the programme's standard).
    skipped: dict[str, int] = attrs.field(factory=dict)
    #: Households outside the programme's module scope, per programme.
    out_of_scope: dict[str, int] = attrs.field(factory=dict)
    #: Total amount per programme, in fen: monthly, or the one-off maximum (see ``periods``).
    amount_fen: dict[str, int] = attrs.field(factory=dict)
    #: Per programme, ``"monthly"`` or ``"one_off_max"``: one-off maxima are not monthly pay.
    periods: dict[str, str] = attrs.field(factory=dict)

    def add(self, chunk: ChunkResult, households: int) -> None:
        """Count one chunk of *households* rows."""
        self.households += households
        self.assessed += chunk.results.num_rows
        self.errors += chunk.errors.num_rows
        for pid in self.programs:
            res = chunk.results
            self.eligible[pid] = self.eligible.get(pid, 0) + int(
                pc.sum(res.column(f"{pid}_eligible").cast(pa.int64())).as_py() or 0
            )
            status = res.column(f"{pid}_status")
            self.skipped[pid] = self.skipped.get(pid, 0) + int(
                pc.sum(pc.equal(status, 1).cast(pa.int64())).as_py() or 0
            )
            self.out_of_scope[pid] = self.out_of_scope.get(pid, 0) + int(
                pc.sum(pc.equal(status, 2).cast(pa.int64())).as_py() or 0
            )
            self.amount_fen[pid] = self.amount_fen.get(pid, 0) + int(
                pc.sum(res.column(f"{pid}_amount_fen")).as_py() or 0
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return attrs.asdict(self)

    def line(self) -> str:
        """One summary line: counts in and out."""
        return (
            f"{self.households} households: {self.assessed} assessed, {self.errors} errors "
            f"({self.month})"
        )


def errors_path_for(out: Path) -> Path:
    """Where the errors table of results file *out* goes: ``<stem>.errors.parquet``."""
    return out.with_name(f"{out.stem}.errors.parquet")


def assess_bulk(
    source: Any,
    on: Month | str,
    out: str | Path,
    *,
    errors_out: str | Path | None = None,
    registry: Any = None,
    programs: Iterable[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> BulkSummary:
    """Assess a whole registry, streaming it chunk by chunk to Parquet.

    :param source: a directory or a ``(households, persons)`` pair
        (:func:`~civilaffairs.bulk.sources.open_source`).
    :param on: the month assessed.
    :param out: the results file (Parquet), one row per assessed household.
    :param errors_out: the errors file (default:
        :func:`~civilaffairs.bulk.run.errors_path_for` of *out*).
    :param progress: called with the number of households of each chunk done.
    :returns: the counts; ``households == assessed + errors``.
    """
    import pyarrow.parquet as pq

    month = Month.parse(on)
    reg = _registry(registry)
    report = report_programs(reg, programs)
    src = open_source(source, chunk_size=chunk_size)
    out_path = Path(out)
    err_path = Path(errors_out) if errors_out is not None else errors_path_for(out_path)
    summary = BulkSummary(
        str(month),
        report,
        periods={p: str(getattr(reg.programs[p], "period", "monthly")) for p in report},
    )
    with (
        pq.ParquetWriter(out_path, output_schema(report)) as writer,
        pq.ParquetWriter(err_path, ERRORS_SCHEMA) as err_writer,
    ):
        for chunk in src.chunks():
            done = assess_chunk(
                chunk.households,
                chunk.persons,
                month,
                registry=reg,
                programs=report,
                first_row=chunk.first_row,
                person_first_row=chunk.person_first_row,
            )
            writer.write_table(done.results)
            if done.errors.num_rows:
                err_writer.write_table(done.errors)
            summary.add(done, chunk.households.num_rows)
            if progress is not None:
                progress(chunk.households.num_rows)
    return summary


def assess_table(
    source: Any,
    on: Month | str,
    *,
    registry: Any = None,
    programs: Iterable[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> ChunkResult:
    """Assess a registry held in memory; return the whole results and errors tables."""
    month = Month.parse(on)
    reg = _registry(registry)
    report = report_programs(reg, programs)
    results: list[pa.Table] = []
    errors: list[pa.Table] = []
    for chunk in open_source(source, chunk_size=chunk_size).chunks():
        done = assess_chunk(
            chunk.households,
            chunk.persons,
            month,
            registry=reg,
            programs=report,
            first_row=chunk.first_row,
            person_first_row=chunk.person_first_row,
        )
        results.append(done.results)
        errors.append(done.errors)
    return ChunkResult(
        pa.concat_tables(results) if results else output_schema(report).empty_table(),
        pa.concat_tables(errors) if errors else ERRORS_SCHEMA.empty_table(),
    )

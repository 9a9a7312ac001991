"""Assessing a registry chunk by chunk (批量认定).

:func:`assess_chunk` is *the* chunk function: households and their members in, one result
row per household and an errors table out (:func:`frame_chunk`, the evaluation, then
:func:`chunk_result`). :func:`assess_bulk` streams a source through it and writes both
tables to Parquet chunk by chunk, reading the next chunk and writing the previous one in
two worker threads while the current one is evaluated (:class:`Pipeline`);
:func:`assess_table` keeps them in memory (for small inputs and tests);
:mod:`civilaffairs.dask` runs the same function on a cluster.

Nothing is dropped silently: every household of the input is either a row of the results
or a row of the errors table (``households = assessed + errors``). A household is an error
when its row is bad (see :func:`~civilaffairs.bulk.arrow.frame_from_arrow`). A programme
whose own standard the region lacks, or that does not apply, is *skipped*
(``<id>_status == 1``), as the single-case assessment lists it; a programme whose module
does not serve the region has ``<id>_status == 2``.

Household ids are checked over the whole input before the first chunk
(:meth:`~civilaffairs.bulk.sources.RegistrySource.duplicates`): every row of an id that
occurs more than once is an error, and none of them is assessed, whatever the chunk size.

Outputs never lie: :func:`assess_bulk` writes the results and errors to temporary files
beside their targets and renames them into place only when the run completes, with a
manifest (``<stem>.manifest.json``: rows in, assessed, errors, input files and their
SHA-256 checksums, versions, month, programmes, completion time). A run that fails or is
interrupted removes its temporary files and leaves nothing new at the output paths.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.bulk.arrow import ArrowFrame, frame_from_arrow
from civilaffairs.bulk.schema import (
    ERRORS_SCHEMA,
    BulkOutputError,
    mask_identifiers,
    output_schema,
)
from civilaffairs.bulk.sources import DEFAULT_CHUNK_SIZE, Chunk, RegistrySource, open_source
from civilaffairs.engine.batch import BatchResult, evaluate_frame
from civilaffairs.engine.frame import Frame
from civilaffairs.engine.single import evaluation_order
from civilaffairs.periods import Month

__all__ = [
    "DUPLICATE_REASON",
    "AtomicOutput",
    "BulkSummary",
    "ChunkResult",
    "Pipeline",
    "assess_bulk",
    "assess_chunk",
    "assess_table",
    "check_outputs",
    "chunk_result",
    "errors_path_for",
    "frame_chunk",
    "manifest",
    "manifest_path_for",
    "parquet_options",
    "report_programs",
    "result_table",
    "staged_directory",
    "write_json",
]

#: The reason of every row of a household id that occurs more than once in the input.
DUPLICATE_REASON = "household_id appears more than once in the households table (家庭编号重复)"

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
    every = keep is None or bool(np.all(keep))
    sel = slice(None) if every else np.asarray(keep, dtype=bool)
    ids = frame.ids
    if isinstance(ids, list):
        ids = pa.array(ids, pa.string())
    elif ids.type != pa.string():
        ids = pc.cast(ids, pa.string())
    if not every:
        ids = ids.filter(pa.array(sel))
    uniq, inverse = frame.group_codes
    group = inverse[sel]
    # each distinct county and residence is written once, then taken per household
    regions = pc.cast(pa.array(uniq // 2, pa.int64()), pa.string())
    residences = pa.array(np.where(uniq % 2 == 1, "rural", "urban").tolist(), pa.string())
    take = pa.array(group.astype(np.int32))
    columns: dict[str, Any] = {
        "row": pa.array(np.asarray(rows[sel], dtype=np.int64)),
        "household_id": ids,
        "region": regions.take(take) if uniq.size else pa.array([], pa.string()),
        "residence": residences.take(take) if uniq.size else pa.array([], pa.string()),
    }
    for pid in result.programs:
        first = result.first_failed[pid][sel]
        names = pa.array(result.condition_ids[pid] or ("",), pa.string())
        columns[f"{pid}_eligible"] = pa.array(result.eligible[pid][sel], pa.bool_())
        columns[f"{pid}_amount_fen"] = pa.array(result.amount[pid][sel], pa.int64())
        columns[f"{pid}_first_failed"] = names.take(pa.array(first, mask=first < 0))
        columns[f"{pid}_status"] = pa.array(result.status[pid][sel], pa.int8())
    return pa.Table.from_arrays(list(columns.values()), schema=output_schema(result.programs))


def frame_chunk(
    households: pa.Table | pa.RecordBatch,
    persons: pa.Table | pa.RecordBatch,
    month: Month,
    *,
    first_row: int = 0,
    person_first_row: int = 0,
    duplicates: pa.Array | None = None,
    rows: np.ndarray | None = None,
    read_errors: pa.Table | None = None,
    members: np.ndarray | None = None,
) -> ArrowFrame:
    """:func:`~civilaffairs.bulk.arrow.frame_from_arrow` of a chunk, with the households
    whose id is in *duplicates* (ids duplicated anywhere in the input) and their persons
    taken out first and reported as errors (:data:`DUPLICATE_REASON`).

    :param rows: the row number of each household (:attr:`Chunk.rows
        <civilaffairs.bulk.sources.Chunk.rows>`); by default ``first_row`` and the rows
        after it.
    :param read_errors: rows of the chunk that could not be read as households
        (:attr:`Chunk.errors <civilaffairs.bulk.sources.Chunk.errors>`), added to the
        errors table in row order.
    :param members: the number of members of each household, when the source split the
        persons off by position (:attr:`Chunk.members
        <civilaffairs.bulk.sources.Chunk.members>`).
    """
    if rows is None and read_errors is None:
        return _frame_chunk(
            households,
            persons,
            month,
            first_row=first_row,
            person_first_row=person_first_row,
            duplicates=duplicates,
            members=members,
        )
    if rows is None:
        rows = np.arange(first_row, first_row + households.num_rows, dtype=np.int64)
    rows = np.asarray(rows, dtype=np.int64)
    if rows.shape != (households.num_rows,):
        raise ValueError(f"{rows.size} row numbers for {households.num_rows} households")
    frame, errors, kept = _frame_chunk(
        households,
        persons,
        month,
        person_first_row=person_first_row,
        duplicates=duplicates,
        members=members,
    )
    where = errors.column("row").to_numpy().astype(np.int64)
    errors = errors.set_column(
        0, ERRORS_SCHEMA.field("row"), pa.array(rows[where], pa.int64())
    ).cast(ERRORS_SCHEMA)
    if read_errors is not None and read_errors.num_rows:
        errors = pa.concat_tables([errors, read_errors.cast(ERRORS_SCHEMA)]).sort_by("row")
    return ArrowFrame(frame, errors, rows[kept])


def _frame_chunk(
    households: pa.Table | pa.RecordBatch,
    persons: pa.Table | pa.RecordBatch,
    month: Month,
    *,
    first_row: int = 0,
    person_first_row: int = 0,
    duplicates: pa.Array | None = None,
    members: np.ndarray | None = None,
) -> ArrowFrame:
    names = households.schema.names
    # ids duplicated anywhere in the input are taken out here: the chunk need not look for them
    checked = duplicates is not None
    if (
        duplicates is None
        or len(duplicates) == 0
        or "household_id" not in names
        or "household_id" not in persons.schema.names
    ):
        return frame_from_arrow(
            households,
            persons,
            month,
            first_row=first_row,
            person_first_row=person_first_row,
            check_duplicates=not checked,
            members=members,
        )
    hids = pc.cast(households.column("household_id"), pa.string())
    dup = np.asarray(
        pc.fill_null(pc.is_in(hids, value_set=duplicates), False).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    if not dup.any():
        return frame_from_arrow(
            households,
            persons,
            month,
            first_row=first_row,
            person_first_row=person_first_row,
            check_duplicates=False,
            members=members,
        )
    pids = pc.cast(persons.column("household_id"), pa.string())
    pdup = pc.fill_null(pc.is_in(pids, value_set=duplicates), False)
    kept = np.flatnonzero(~dup)
    frame, errors, rows = frame_from_arrow(
        households.filter(pa.array(~dup)),
        persons.filter(pc.invert(pdup)),
        month,
        first_row=0,
        person_first_row=person_first_row,
        check_duplicates=False,
        members=None if members is None else np.asarray(members)[~dup],
    )
    bad = np.flatnonzero(dup)
    err_rows = np.concatenate([kept[errors.column("row").to_numpy().astype(np.int64)], bad]).astype(
        np.int64
    )
    all_errors = pa.table(
        {
            "row": pa.array(err_rows + first_row, pa.int64()),
            "household_id": pa.concat_arrays(
                [
                    errors.column("household_id").combine_chunks(),
                    pc.take(hids, pa.array(bad)).combine_chunks()
                    if isinstance(hids, pa.ChunkedArray)
                    else pc.take(hids, pa.array(bad)),
                ]
            ),
            "reason": pa.concat_arrays(
                [
                    errors.column("reason").combine_chunks(),
                    pa.array([DUPLICATE_REASON] * bad.size, pa.string()),
                ]
            ),
        },
        schema=ERRORS_SCHEMA,
    ).sort_by("row")
    return ArrowFrame(frame, all_errors, (kept[rows] + first_row).astype(np.int64))


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
    duplicates: pa.Array | None = None,
    rows: np.ndarray | None = None,
    read_errors: pa.Table | None = None,
    members: np.ndarray | None = None,
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
    :param duplicates: household ids that occur more than once in the whole input
        (:meth:`~civilaffairs.bulk.sources.RegistrySource.duplicates`): their rows are
        errors and are not assessed.
    :param rows: the row number of each household, when they do not follow on from
        *first_row* (:attr:`Chunk.rows <civilaffairs.bulk.sources.Chunk.rows>`).
    :param read_errors: rows of the chunk that could not be read as households
        (:attr:`Chunk.errors <civilaffairs.bulk.sources.Chunk.errors>`): they join the
        errors table.
    :param members: the number of members of each household, when the source split the
        persons off by position (:attr:`Chunk.members
        <civilaffairs.bulk.sources.Chunk.members>`).
    """
    month = Month.parse(on)
    reg = _registry(registry)
    report = report_programs(reg, programs)
    frame, errors, rows = frame_chunk(
        households,
        persons,
        month,
        first_row=first_row,
        person_first_row=person_first_row,
        duplicates=duplicates,
        rows=rows,
        read_errors=read_errors,
        members=members,
    )
    if frame.n == 0:
        return ChunkResult(output_schema(report).empty_table(), errors)
    run = evaluate or _evaluate
    return chunk_result(run(frame, reg, report), ArrowFrame(frame, errors, rows))


def chunk_result(result: BatchResult, framed: ArrowFrame) -> ChunkResult:
    """The results and errors tables of a chunk read as *framed* and evaluated as
    *result* (households whose standards conflict join the errors)."""
    frame, errors, rows = framed
    if result.failures is None:
        return ChunkResult(result_table(result, frame, rows), errors)
    failed = result.failed()
    where = np.flatnonzero(failed)
    failed_errors = pa.table(
        {
            "row": pa.array(rows[where], pa.int64()),
            "household_id": pa.array([frame.household_ids[i] for i in where], pa.string()),
            "reason": pa.array([result.failures[i] for i in where], pa.string()),
        },
        schema=ERRORS_SCHEMA,
    )
    errors = pa.concat_tables([errors.cast(ERRORS_SCHEMA), failed_errors]).sort_by("row")
    return ChunkResult(result_table(result, frame, rows, keep=~failed), errors)


def _evaluate(frame: Frame, registry: Any, programs: Sequence[str] | None) -> BatchResult:
    return evaluate_frame(frame, registry, programs)


def _framed(chunk: Chunk, month: Month, duplicates: pa.Array) -> ArrowFrame:
    """:func:`frame_chunk` of a chunk of a source."""
    return frame_chunk(
        chunk.households,
        chunk.persons,
        month,
        first_row=chunk.first_row,
        person_first_row=chunk.person_first_row,
        duplicates=duplicates,
        rows=chunk.rows,
        read_errors=chunk.errors,
        members=chunk.members,
    )


class Pipeline:
    """Reading ahead and writing behind, one chunk each, beside the evaluation (流水线).

    Reading a chunk (Parquet decoding, the reader's checks, :func:`frame_chunk`) and
    writing one (building the tables, Parquet encoding) are done in two worker threads
    while the calling thread evaluates the chunk between them; pyarrow and numpy release
    the interpreter lock while they work, so on a machine with more than one core the
    three overlap. At most one chunk is read ahead and one waits to be written, so memory
    stays bounded by the chunk size. Results are handed on in input order, and every
    error is raised in the calling thread, where it would have been raised without the
    pipeline; leaving the ``with`` block (by an error, :class:`KeyboardInterrupt`
    included) waits for the worker threads to finish what they are doing, so that nothing
    is written after the caller has removed its temporary files.
    """

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._reader = ThreadPoolExecutor(1, thread_name_prefix="civilaffairs-read")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="civilaffairs-write")
        self._pending: tuple[Any, Any] | None = None

    def read(self, items: Iterable[Any], prepare: Callable[[Any], Any]) -> Iterator[Any]:
        """``(item, prepare(item))`` for each of *items*, the next one read and prepared in
        the reading thread while the caller works on the current one."""
        it = iter(items)
        end = object()

        def step() -> Any:
            item = next(it, end)
            return end if item is end else (item, prepare(item))

        ahead = self._reader.submit(step)
        while True:
            got = ahead.result()
            if got is end:
                return
            ahead = self._reader.submit(step)
            yield got

    def write(
        self, job: Callable[..., Any], args: tuple[Any, ...], then: Callable[..., None], *more: Any
    ) -> None:
        """Run ``job(*args)`` in the writing thread; once it is done, ``then(its result,
        *more)`` runs in the calling thread (before the next job's ``then``)."""
        self.finish()
        self._pending = (self._writer.submit(job, *args), (then, more))

    def finish(self, then: Callable[..., None] | None = None) -> None:
        """Wait for the job written last and run its ``then``."""
        if self._pending is None:
            return
        future, (after, more) = self._pending
        self._pending = None
        (then or after)(future.result(), *more)

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        self._reader.shutdown(wait=True, cancel_futures=True)
        self._writer.shutdown(wait=True, cancel_futures=True)


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

    def __attrs_post_init__(self) -> None:
        # every programme has its counts, even when no chunk was read (an empty registry)
        for counts in (self.eligible, self.skipped, self.out_of_scope, self.amount_fen):
            for pid in self.programs:
                counts.setdefault(pid, 0)

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


def parquet_options(schema: pa.Schema) -> dict[str, Any]:
    """How result tables of *schema* are written to Parquet: dictionary pages only for the
    text columns whose values repeat (regions, residences, condition ids, kinds of change),
    not for the household ids, which rarely repeat; min/max statistics for ``row`` only.
    Writing costs about half as much, and the files are no larger."""
    text = [f.name for f in schema if pa.types.is_string(f.type) and f.name != "household_id"]
    return {"use_dictionary": text, "write_statistics": [n for n in ("row",) if n in schema.names]}


def errors_path_for(out: Path) -> Path:
    """Where the errors table of results file *out* goes: ``<stem>.errors.parquet``."""
    return out.with_name(f"{out.stem}.errors.parquet")


def manifest_path_for(out: Path) -> Path:
    """Where the manifest of results file *out* goes: ``<stem>.manifest.json``."""
    return out.with_name(f"{out.stem}.manifest.json")


def _scrub(text: str) -> str:
    from civilaffairs.domain._privacy import scrub

    return scrub(text)


class AtomicOutput:
    """Output files written under temporary names beside their targets and renamed into
    place together by :meth:`commit` (全部写出或全不写出).

    Used as a context manager: leaving the block by an exception (including
    :class:`KeyboardInterrupt`) removes the temporary files, and the targets are untouched.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def temp(self, final: Path) -> Path:
        """A new temporary file in the directory of *final*, to be renamed to *final*.

        :raises BulkOutputError: if the directory is missing or not writable, or *final*
            exists and is not a regular file.
        """
        parent = final.parent
        if not parent.is_dir():
            raise BulkOutputError(
                f"cannot write {_scrub(str(final))}: the directory {_scrub(str(parent))} "
                "does not exist (输出目录不存在)"
            )
        if final.exists() and not final.is_file():
            raise BulkOutputError(
                f"cannot write {_scrub(str(final))}: it exists and is not a regular file "
                "(输出路径不是普通文件)"
            )
        try:
            fd, name = tempfile.mkstemp(dir=parent, prefix=f".{final.name}.", suffix=".part")
        except OSError as exc:
            raise _output_error(final, exc) from None
        os.close(fd)
        tmp = Path(name)
        # mkstemp makes the file private; give the result the usual permissions
        umask = os.umask(0)
        os.umask(umask)
        with contextlib.suppress(OSError):
            tmp.chmod(0o666 & ~umask)
        self._pending.append((tmp, final))
        return tmp

    def commit(self) -> None:
        """Rename every temporary file to its target (on failure, remove them all)."""
        done: list[Path] = []
        try:
            for tmp, final in self._pending:
                os.replace(tmp, final)
                done.append(final)
        except BaseException as exc:
            for final in done:
                final.unlink(missing_ok=True)
            self.discard()
            if isinstance(exc, OSError):
                raise _output_error(final, exc) from None
            raise
        self._pending = []

    def discard(self) -> None:
        """Remove the temporary files written so far."""
        for tmp, _ in self._pending:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        self._pending = []

    def __enter__(self) -> AtomicOutput:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is not None:
            self.discard()


@contextlib.contextmanager
def staged_directory(out_dir: Path, prefix: str = ".stage-") -> Iterator[Path]:
    """A temporary directory inside *out_dir* whose files are moved into *out_dir* when the
    block completes; if it fails, the temporary directory is removed, and so is *out_dir*
    (with the parents) if it was created here and is empty.

    :raises BulkOutputError: if *out_dir* is not a directory or cannot be created, or a
        file cannot be written.
    """
    import shutil

    if out_dir.exists() and not out_dir.is_dir():
        raise BulkOutputError(
            f"cannot write to {_scrub(str(out_dir))}: it exists and is not a directory "
            "(输出路径不是目录)"
        )
    created: list[Path] = []
    probe = out_dir
    while not probe.exists() and probe.parent != probe:
        created.append(probe)
        probe = probe.parent
    stage: Path | None = None
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(dir=out_dir, prefix=prefix, suffix=".part"))
        yield stage
        for path in sorted(stage.iterdir()):
            os.replace(path, out_dir / path.name)
        stage.rmdir()
    except BaseException as exc:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        for directory in created:
            try:
                directory.rmdir()
            except OSError:
                break
        if isinstance(exc, OSError):
            raise _output_error(out_dir, exc) from None
        raise


def _output_error(path: Path, exc: OSError) -> BulkOutputError:
    reason = exc.strerror or type(exc).__name__
    return BulkOutputError(f"cannot write {_scrub(str(path))}: {reason} (结果无法写出)")


def check_outputs(source: RegistrySource, outputs: Iterable[Path]) -> None:
    """Refuse output paths that are input files or lie inside the input directory.

    :raises BulkOutputError: naming the first such path; nothing is written.
    """
    inputs = {p.resolve() for p in source.input_paths}
    directory = source.directory.resolve() if source.directory is not None else None
    for out in outputs:
        target = out.resolve()
        if target in inputs:
            raise BulkOutputError(
                f"{_scrub(str(out))} is one of the inputs: choose another output path "
                "(输出路径不能是输入文件)"
            )
        if directory is not None and (target == directory or target.is_relative_to(directory)):
            raise BulkOutputError(
                f"{_scrub(str(out))} is inside the input directory {_scrub(str(source.directory))}"
                ": write the outputs elsewhere (输出路径不能在输入目录中)"
            )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _inputs(source: RegistrySource) -> list[dict[str, Any]]:
    return [
        {"path": _scrub(str(p)), "bytes": p.stat().st_size, "sha256": _sha256(p)}
        for p in source.input_paths
    ]


def manifest(
    *,
    command: str,
    month: str,
    programs: Sequence[str],
    households: int,
    assessed: int,
    errors: int,
    inputs: list[dict[str, Any]],
    outputs: dict[str, str],
    registry: Any,
    **extra: Any,
) -> dict[str, Any]:
    """The manifest of a completed bulk run (JSON-ready)."""
    from civilaffairs._version import __version__

    plugins = {
        str(p.name): p.version for p in getattr(registry, "plugins", ()) if hasattr(p, "name")
    }
    return {
        "command": command,
        "month": month,
        "programs": list(programs),
        "households": households,
        "assessed": assessed,
        "errors": errors,
        **extra,
        "inputs": inputs,
        "outputs": outputs,
        "civilaffairs_version": __version__,
        "plugins": plugins,
        "completed_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }


def write_json(path: Path, data: Any) -> None:
    """Write *data* to *path* as UTF-8 JSON (output errors as ``BulkOutputError``)."""
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise _output_error(path, exc) from None


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
    on_chunk: Callable[[ChunkResult], None] | None = None,
) -> BulkSummary:
    """Assess a whole registry, streaming it chunk by chunk to Parquet.

    Everything is written to temporary files beside the targets and renamed into place
    when the run completes, with the manifest (:func:`manifest_path_for` of *out*); if
    the run fails or is interrupted, the temporary files are removed and nothing new is
    left at the output paths.

    :param source: a directory, a ``(households, persons)`` pair or a JSON Lines file
        (:func:`~civilaffairs.bulk.sources.open_source`).
    :param on: the month assessed.
    :param out: the results file (Parquet), one row per assessed household.
    :param errors_out: the errors file (default:
        :func:`~civilaffairs.bulk.run.errors_path_for` of *out*).
    :param progress: called with the number of input rows (households) of each chunk done.
    :param on_chunk: called with each chunk's results once they are written (a hook for
        monitoring and tests).
    :returns: the counts; ``households == assessed + errors``.
    :raises BulkOutputError: if an output path is an input or inside the input directory,
        its directory is missing, or a write fails.
    """
    import pyarrow.parquet as pq

    month = Month.parse(on)
    reg = _registry(registry)
    report = report_programs(reg, programs)
    src = open_source(source, chunk_size=chunk_size)
    out_path = Path(out)
    err_path = Path(errors_out) if errors_out is not None else errors_path_for(out_path)
    man_path = manifest_path_for(out_path)
    check_outputs(src, (out_path, err_path, man_path))
    summary = BulkSummary(
        str(month),
        report,
        periods={p: str(getattr(reg.programs[p], "period", "monthly")) for p in report},
    )
    with AtomicOutput() as files:
        tmp_out = files.temp(out_path)
        tmp_err = files.temp(err_path)
        tmp_man = files.temp(man_path)
        from concurrent.futures import ThreadPoolExecutor

        # the input files' checksums are computed beside the run (hashlib releases the
        # interpreter lock), and waited for before the manifest is written
        hashing = ThreadPoolExecutor(1, thread_name_prefix="civilaffairs-sha256")
        checksums = hashing.submit(_inputs, src)
        hashing.shutdown(wait=False)
        duplicates = src.duplicates()
        try:
            with (
                pq.ParquetWriter(
                    tmp_out, output_schema(report), **parquet_options(output_schema(report))
                ) as writer,
                pq.ParquetWriter(tmp_err, ERRORS_SCHEMA) as err_writer,
                Pipeline() as pipe,
            ):

                def write(result: BatchResult | None, framed: ArrowFrame) -> ChunkResult:
                    done = (
                        chunk_result(result, framed)
                        if result is not None
                        else ChunkResult(output_schema(report).empty_table(), framed.errors)
                    )
                    writer.write_table(mask_identifiers(done.results))
                    if done.errors.num_rows:
                        err_writer.write_table(mask_identifiers(done.errors))
                    return done

                def written(done: ChunkResult, rows: int) -> None:
                    summary.add(done, rows)
                    if progress is not None:
                        progress(rows)
                    if on_chunk is not None:
                        on_chunk(done)

                for chunk, framed in pipe.read(
                    src.chunks(), lambda c: _framed(c, month, duplicates)
                ):
                    result = _evaluate(framed.frame, reg, report) if framed.frame.n else None
                    pipe.write(write, (result, framed), written, chunk.num_rows)
                pipe.finish(written)
        except OSError as exc:
            raise _output_error(out_path, exc) from None
        write_json(
            tmp_man,
            manifest(
                command="assess-bulk",
                month=str(month),
                programs=report,
                households=summary.households,
                assessed=summary.assessed,
                errors=summary.errors,
                inputs=checksums.result(),
                outputs={"results": out_path.name, "errors": err_path.name},
                registry=reg,
            ),
        )
        files.commit()
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
    src = open_source(source, chunk_size=chunk_size)
    duplicates = src.duplicates()
    for chunk in src.chunks():
        done = assess_chunk(
            chunk.households,
            chunk.persons,
            month,
            registry=reg,
            programs=report,
            first_row=chunk.first_row,
            person_first_row=chunk.person_first_row,
            duplicates=duplicates,
            rows=chunk.rows,
            read_errors=chunk.errors,
            members=chunk.members,
        )
        results.append(done.results)
        errors.append(done.errors)
    return ChunkResult(
        pa.concat_tables(results) if results else output_schema(report).empty_table(),
        pa.concat_tables(errors) if errors else ERRORS_SCHEMA.empty_table(),
    )

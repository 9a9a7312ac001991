"""Reading a registry in chunks (分块读取): Parquet, CSV, Arrow IPC, JSON Lines, pandas and
polars.

:func:`open_source` turns what the caller has into a :class:`RegistrySource`, whose
:meth:`RegistrySource.chunks` yields the households table ``chunk_size`` rows at a time together
with exactly the persons of those households. Only one chunk (plus one batch of persons
read ahead) is in memory at a time, so memory is bounded by the chunk size, not by the
size of the registry.

A source is one of:

* a directory holding ``households.<ext>`` and ``persons.<ext>``, where ``<ext>`` is
  ``parquet``, ``csv``, ``arrow``/``feather``/``ipc`` (Arrow IPC file or stream);
* a pair ``(households, persons)`` of file paths, :class:`pyarrow.Table` objects,
  :class:`pyarrow.RecordBatchReader` objects, pandas or polars data frames;
* a JSON Lines file (``.jsonl`` or ``.ndjson``): one household JSON object per line, the
  form ``civilaffairs validate`` and ``civilaffairs assess`` read.

JSON Lines is read ``chunk_size`` records at a time, so memory stays bounded too: each
non-blank line is structured into a :class:`~civilaffairs.domain.Household` and the valid
ones become the two tables (:func:`~civilaffairs.bulk.arrow.households_to_arrow`). A line
that is not a valid household (bad JSON, a bad field, longer than 1 MiB) is not dropped: its
chunk carries it in :attr:`Chunk.errors` with the line's ``id`` when readable and the
reason ``line N: <field path>: <problem>`` for every problem. Row numbers are the
records' 0-based positions in the file, counting every non-blank line, valid or not
(:attr:`Chunk.rows`), so results and errors interleave as in the file.

In CSV the ``statuses`` column, if present, holds a JSON list per row, e.g.
``[{"kind": "orphan", "parent": null, "since": "2023-01-01"}]``.

Persons are split off **by position**: the runs of equal ``household_id`` in the persons
table are compared, in one vectorised pass over the ids, with the chunk's household ids in
order; when they line up (every household has members, persons grouped in the households'
order), the chunk's persons are the rows before the next run, with no lookup by id. Only a
chunk where they do not line up (a household without members, persons out of place, null
ids) is matched by id, and it is split exactly as that matching splits it. Parquet columns
of codes (regions, residences and the enumerations, :data:`~civilaffairs.bulk.schema.CODED_COLUMNS`)
are read as dictionaries, decoded once per distinct value.

Duplicate household ids are found over the whole input, not chunk by chunk:
:meth:`RegistrySource.duplicates` reads the ``household_id`` column once before the
chunks are read (only that column, for Parquet, CSV and Arrow IPC). Ids in strictly
increasing order, the usual order of an export, have no duplicate: that is checked batch by
batch, keeping nothing. Otherwise the column is read again and the ids are kept in an Arrow
array while they are counted: about 15 bytes plus the id's length per household, some
300 MB for ten million households; only the duplicated ids are kept afterwards. A
one-shot :class:`pyarrow.RecordBatchReader` of households is read into memory for this.
For JSON Lines the first pass parses every line and takes its ``id`` (when the line is a
JSON object with a text ``id``, even if the household is otherwise invalid); those ids are
counted in the same pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.bulk.schema import (
    CODED_COLUMNS,
    ERRORS_SCHEMA,
    HOUSEHOLDS_SCHEMA,
    PERSONS_SCHEMA,
    BulkInputError,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "JSON_LINES_SUFFIXES",
    "Chunk",
    "JsonLinesSource",
    "RegistrySource",
    "open_source",
]

#: Households per chunk unless the caller says otherwise.
DEFAULT_CHUNK_SIZE = 200_000
_EXTENSIONS = ("parquet", "csv", "arrow", "feather", "ipc")
#: File name endings read as JSON Lines (one household per line).
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


class Chunk(NamedTuple):
    """A chunk of households with exactly their members."""

    households: pa.Table
    persons: pa.Table
    #: Row number of the first household in the households input.
    first_row: int
    #: Row number of the first person in the persons input.
    person_first_row: int
    #: Row number of each household of :attr:`households`, when they are not
    #: ``first_row, first_row + 1, ...`` (JSON Lines: the records' positions in the file,
    #: with the invalid lines between them).
    rows: np.ndarray | None = None
    #: Input rows that could not be read as households at all (JSON Lines lines that are
    #: not valid households): ``row``, ``household_id``, ``reason``
    #: (:data:`~civilaffairs.bulk.schema.ERRORS_SCHEMA`).
    errors: pa.Table | None = None
    #: The number of members of each household, when the persons were split off by
    #: position (every household has members, in the households' order); ``None`` when
    #: they were matched by id.
    members: np.ndarray | None = None

    @property
    def num_rows(self) -> int:
        """Rows of the input this chunk covers: its households and its :attr:`errors`."""
        errors = 0 if self.errors is None else int(self.errors.num_rows)
        return int(self.households.num_rows) + errors


class _Side:
    """One of the two tables: a way to iterate its record batches, and its size if known."""

    def __init__(self, name: str, obj: Any, chunk_size: int) -> None:
        self.name = name
        self.chunk_size = chunk_size
        self.num_rows: int | None = None
        #: The file read, when the table comes from a file.
        self.path: Path | None = None
        self._ids: Any = None
        self._open = self._opener(obj)

    def _opener(self, obj: Any) -> Any:
        if isinstance(obj, (str, os.PathLike)):
            return self._file(Path(obj))
        if isinstance(obj, pa.Table):
            self.num_rows = obj.num_rows
            return lambda: iter(obj.to_batches(max_chunksize=self.chunk_size))
        if isinstance(obj, pa.RecordBatch):
            self.num_rows = obj.num_rows
            return lambda: iter([obj])
        if isinstance(obj, pa.RecordBatchReader):
            used: list[bool] = []

            def once() -> Iterator[pa.RecordBatch]:
                if used:
                    raise BulkInputError(f"the {self.name} reader can be read only once")
                used.append(True)
                return iter(obj)

            if self.name == "households":
                # the households are read twice (ids first): keep the batches in memory
                kept: list[pa.RecordBatch] = []

                def keep() -> Iterator[pa.RecordBatch]:
                    if not used:
                        kept.extend(once())
                    return iter(kept)

                return keep
            return once
        module = type(obj).__module__.split(".")[0]
        if module == "pandas":
            table = pa.Table.from_pandas(obj, preserve_index=False)
            return self._opener(table)
        if module == "polars":
            return self._opener(obj.to_arrow())
        raise BulkInputError(
            f"cannot read the {self.name} table from a {type(obj).__name__}: give a path, a "
            "pyarrow Table or RecordBatchReader, or a pandas or polars DataFrame"
        )

    def _file(self, path: Path) -> Any:
        if not path.is_file():
            raise BulkInputError(f"{path.name}: no such file", path=self.name)
        self.path = path
        ext = path.suffix.lower().lstrip(".")
        if ext == "parquet":
            import pyarrow.parquet as pq

            try:
                self.num_rows = pq.ParquetFile(path).metadata.num_rows
            except (pa.ArrowInvalid, OSError) as exc:
                raise BulkInputError(f"{path.name} is not a Parquet file: {exc}") from None

            def parquet() -> Iterator[pa.RecordBatch]:
                # pre_buffer=False: with pre-buffering the reader keeps every row group's
                # column chunks it has read until it is closed, so memory would grow with
                # the file instead of staying bounded by the chunk size. Columns of codes
                # (regions, enumerations) are read as dictionaries: decoded once per
                # distinct value, never row by row.
                coded = [
                    f.name
                    for f in pq.ParquetFile(path).schema_arrow
                    if f.name in CODED_COLUMNS and pa.types.is_string(f.type)
                ]
                batches: Iterator[pa.RecordBatch] = pq.ParquetFile(
                    path, pre_buffer=False, read_dictionary=coded
                ).iter_batches(batch_size=self.chunk_size)
                return batches

            def parquet_ids() -> Iterator[pa.RecordBatch]:
                pf = pq.ParquetFile(path, pre_buffer=False)
                if "household_id" not in pf.schema_arrow.names:
                    return parquet()
                ids: Iterator[pa.RecordBatch] = pf.iter_batches(
                    batch_size=self.chunk_size, columns=["household_id"]
                )
                return ids

            self._ids = parquet_ids
            return parquet
        if ext == "csv":
            self._ids = lambda: _csv_batches(path, self.name, ids_only=True)
            return lambda: _csv_batches(path, self.name)
        if ext in ("arrow", "feather", "ipc"):
            try:
                reader = pa.ipc.open_file(pa.memory_map(str(path)))
                self.num_rows = sum(
                    reader.get_batch(i).num_rows for i in range(reader.num_record_batches)
                )

                def ipc_file() -> Iterator[pa.RecordBatch]:
                    r = pa.ipc.open_file(pa.memory_map(str(path)))
                    return (r.get_batch(i) for i in range(r.num_record_batches))

                return ipc_file
            except pa.ArrowInvalid:
                try:
                    pa.ipc.open_stream(pa.memory_map(str(path)))
                except pa.ArrowInvalid as exc:
                    raise BulkInputError(f"{path.name} is not an Arrow IPC file: {exc}") from None
                return lambda: iter(pa.ipc.open_stream(pa.memory_map(str(path))))
        raise BulkInputError(
            f"{path.name}: unsupported file type {ext!r} (use parquet, csv, arrow, feather or ipc)"
        )

    def batches(self) -> Iterator[pa.RecordBatch]:
        try:
            yield from self._open()
        except (pa.ArrowInvalid, OSError) as exc:
            raise BulkInputError(f"cannot read the {self.name} table: {exc}") from None

    def id_columns(self) -> Iterator[pa.Array]:
        """The ``household_id`` column, batch by batch, as strings (a first pass)."""
        opener = self._ids or self._open
        try:
            for batch in opener():
                if batch.num_rows == 0:
                    continue
                if "household_id" not in batch.schema.names:
                    raise BulkInputError(f"the {self.name} table has no column 'household_id'")
                col = batch.column(batch.schema.get_field_index("household_id"))
                yield pc.cast(col, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
            raise BulkInputError(f"cannot read the {self.name} table: {exc}") from None


def _csv_batches(path: Path, name: str, *, ids_only: bool = False) -> Iterator[pa.RecordBatch]:
    import pyarrow.csv as pcsv

    schema = HOUSEHOLDS_SCHEMA if name == "households" else PERSONS_SCHEMA
    types = {f.name: f.type for f in schema if f.name != "statuses"}
    types["statuses"] = pa.string()
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=8 << 20),
            convert_options=pcsv.ConvertOptions(
                column_types=types,
                strings_can_be_null=True,
                true_values=["true", "1"],
                false_values=["false", "0"],
                include_columns=["household_id"] if ids_only else None,
            ),
        )
        yield from reader
    except pa.ArrowInvalid as exc:
        raise BulkInputError(f"{path.name}: {str(exc).splitlines()[0]}") from None


def _rebatch(batches: Iterable[pa.RecordBatch], size: int) -> Iterator[pa.Table]:
    """Tables of exactly *size* rows (the last may be shorter)."""
    pending: list[pa.RecordBatch] = []
    rows = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        rows += batch.num_rows
        while rows >= size:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, size)
            rest = table.slice(size)
            pending = rest.to_batches()
            rows = rest.num_rows
    if rows:
        yield pa.Table.from_batches(pending)


class RegistrySource:
    """A registry to read in chunks of households with their members."""

    def __init__(self, households: Any, persons: Any, *, chunk_size: int = DEFAULT_CHUNK_SIZE):
        if chunk_size < 1:
            raise BulkInputError("chunk_size must be at least 1")
        self.chunk_size = chunk_size
        self._hh = _Side("households", households, chunk_size)
        self._pp = _Side("persons", persons, chunk_size)
        self._duplicates: pa.Array | None = None
        #: Whether the ids are cheap to read twice (a first pass checks their order).
        self._reread_ids = True
        #: The directory the tables were found in (:func:`open_source` of a directory).
        self.directory: Path | None = None

    @property
    def num_households(self) -> int | None:
        """Number of households, when the format says it without reading (else ``None``)."""
        return self._hh.num_rows

    @property
    def input_paths(self) -> list[Path]:
        """The files read (households, then persons), for the ones read from files."""
        return [side.path for side in (self._hh, self._pp) if side.path is not None]

    def duplicates(self) -> pa.Array:
        """The household ids that occur more than once in the whole households table.

        A first pass over the ``household_id`` column (see the module's notes on memory);
        the answer is kept, so the pass runs once. Missing and empty ids are not counted
        (they are reported as missing).
        """
        if self._duplicates is None:
            # ids in increasing order have no duplicate: one pass keeping nothing; others
            # are read again (a file's id column) and counted
            if self._reread_ids and _strictly_increasing(self._id_columns()):
                ids = pa.chunked_array([], pa.string())
            else:
                ids = pa.chunked_array(list(self._id_columns()), pa.string())
            if len(ids) == 0:
                self._duplicates = pa.array([], pa.string())
            else:
                counts = pc.value_counts(ids)
                values = counts.field("values")
                many = pc.and_(
                    pc.greater(counts.field("counts"), 1),
                    pc.fill_null(pc.greater(pc.utf8_length(values), 0), False),
                )
                self._duplicates = pc.filter(values, many)
        return self._duplicates

    def has_household(self, household_id: str) -> bool:
        """Whether *household_id* is in the households table (another pass over the ids)."""
        return any(pc.any(pc.equal(ids, household_id)).as_py() for ids in self._id_columns())

    def _id_columns(self) -> Iterator[pa.Array]:
        """The household ids, batch by batch, as strings (the first pass)."""
        return self._hh.id_columns()

    def chunks(self) -> Iterator[Chunk]:
        """Chunks of ``chunk_size`` households, each with exactly their members.

        Persons are split off by position: the runs of equal ``household_id`` in the
        persons table are compared, in one vectorised pass, with the chunk's household ids
        (``_Persons``); only a chunk where they do not line up (a household without
        members, persons out of order, null ids) is matched by id.

        :raises BulkInputError: if persons are left over at the end (out of the
            households' order, or naming no household), naming the first such row.
        """
        persons = _Persons(self._pp.batches())
        row = 0
        for hh in _rebatch(self._hh.batches(), self.chunk_size):
            if "household_id" not in hh.schema.names:
                raise BulkInputError("the households table has no column 'household_id'")
            prow = persons.row
            members, counts = persons.take(_string(hh.column("household_id")))
            yield Chunk(hh, members, row, prow, members=counts)
            row += hh.num_rows
        if persons.left_over():
            hid = persons.first_id()
            prow = persons.row
            if hid is None or not self.has_household(hid):
                raise BulkInputError(
                    f"persons row {prow} names household {_scrub(hid)!r} which is not in the "
                    "households table (成员所属家庭不在家庭表中)",
                    path="household_id",
                )
            raise BulkInputError(
                f"persons row {prow} names household {_scrub(hid)!r}, which is not in the "
                "households table at that place: persons must be grouped by household, in the "
                "order of the households table (成员须按家庭表顺序分组)",
                path="household_id",
            )


def _strictly_increasing(batches: Iterable[pa.Array]) -> bool:
    """Whether the ids of *batches* are strictly increasing (so no id occurs twice and
    none is missing): the usual order of an exported registry, checked in one pass, batch
    by batch, keeping nothing."""
    last: pa.Array | None = None
    for ids in batches:
        if not len(ids):
            continue
        if not _increasing(ids):
            return False
        if last is not None and not pc.fill_null(pc.less(last, ids.slice(0, 1)), False)[0].as_py():
            return False
        last = ids.slice(len(ids) - 1)
    return True


def _increasing(ids: pa.Array) -> bool:
    """Whether the (non-null) ids of one batch are strictly increasing."""
    if ids.null_count:
        return False
    if len(ids) < 2:
        return True
    return bool(pc.all(pc.less(ids.slice(0, len(ids) - 1), ids.slice(1))).as_py())


def _string(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    """A household id column as one string array."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if col.type != pa.string():
        col = pc.cast(col, pa.string())
    return col


class _Persons:
    """The persons table read ahead batch by batch, with the runs of equal ``household_id``
    of what is buffered: where each run starts and its id.

    :meth:`take` hands out the persons of a chunk of households. When the first runs of
    the buffer are, in order, exactly the chunk's household ids (each household has
    members, persons grouped in the households' order), the chunk's persons are the rows
    before the next run: a check in O(persons) with no lookup by id. Otherwise the
    persons are matched by id as far as they belong to the chunk's households (the rows
    before the first person of another household), which is also what the fast path
    gives whenever it applies.
    """

    def __init__(self, batches: Iterator[pa.RecordBatch]) -> None:
        self._batches = iter(batches)
        self._table: pa.Table | None = None
        self._rows = 0
        #: Start row (in the buffer) and id of each run of equal ids.
        self._starts: list[np.ndarray] = []
        self._ids: list[pa.Array] = []
        self._runs = 0
        self._last: pa.Array | None = None
        self._exhausted = False
        #: Row number (in the persons input) of the first buffered person.
        self.row = 0

    def _read(self) -> bool:
        """Buffer one more non-empty batch; ``False`` at the end of the input."""
        while not self._exhausted:
            batch = next(self._batches, None)
            if batch is None:
                self._exhausted = True
                return False
            if batch.num_rows == 0:
                continue
            if "household_id" not in batch.schema.names:
                raise BulkInputError("the persons table has no column 'household_id'")
            ids = _string(batch.column(batch.schema.get_field_index("household_id")))
            if len(ids) > 1:
                changed = pc.fill_null(pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1)), True)
                inner = np.flatnonzero(changed.to_numpy(zero_copy_only=False)) + 1
            else:
                inner = np.zeros(0, dtype=np.int64)
            first_new = self._last is None or not _same(self._last, ids.slice(0, 1))
            starts = np.concatenate(([0], inner)) if first_new else inner
            self._starts.append(starts.astype(np.int64) + self._rows)
            self._ids.append(pc.take(ids, pa.array(starts.astype(np.int64))))
            self._runs += starts.size
            self._last = ids.slice(len(ids) - 1)
            table = pa.Table.from_batches([batch])
            if self._table is None or not self._rows:
                self._table = table
            else:
                self._table = pa.concat_tables([self._table, table], promote_options="permissive")
            self._rows += batch.num_rows
            return True
        return False

    def _drop(self, rows: int, runs: int) -> pa.Table:
        """Hand out the first *rows* buffered persons (the first *runs* runs)."""
        if self._table is None:
            return PERSONS_SCHEMA.empty_table()
        taken = self._table.slice(0, rows)
        self._table = self._table.slice(rows)
        starts = np.concatenate(self._starts) if self._starts else np.zeros(0, np.int64)
        ids = pa.concat_arrays(self._ids) if self._ids else pa.array([], pa.string())
        self._rows -= rows
        self._starts = [starts[runs:] - rows]
        self._ids = [ids.slice(runs)]
        self._runs -= runs
        if not self._rows:
            self._starts, self._ids, self._runs = [], [], 0
        self.row += rows
        return taken

    def take(self, hids: pa.Array) -> tuple[pa.Table, np.ndarray | None]:
        """The persons of the households *hids* (the next chunk, in order), and the number
        of members of each when they were split off by position (else ``None``)."""
        k = len(hids)
        while self._runs <= k and self._read():
            pass
        starts = np.concatenate(self._starts) if self._starts else np.zeros(0, np.int64)
        ids = pa.concat_arrays(self._ids) if self._ids else pa.array([], pa.string())
        if k and self._runs >= k and not hids.null_count:
            head = ids.slice(0, k)
            lined_up = not head.null_count and pc.all(pc.equal(head, hids)).as_py()
            if lined_up and self._runs > k:
                nxt = ids.slice(k, 1)
                lined_up = nxt.null_count == 0 and not pc.any(pc.equal(hids, nxt[0])).as_py()
            if lined_up:
                end = int(starts[k]) if self._runs > k else self._rows
                counts = np.diff(np.append(starts[:k], end))
                return self._drop(end, k), counts
        return self._by_id(hids, starts), None

    def _by_id(self, hids: pa.Array, starts: np.ndarray) -> pa.Table:
        """The buffered persons up to the first one of a household not in *hids*, reading
        on while the last buffered person may belong to them."""
        while not self._exhausted and (
            not self._rows or pc.is_in(self._last, value_set=hids)[0].as_py()
        ):
            self._read()
        if not self._rows:
            return PERSONS_SCHEMA.empty_table()
        starts = np.concatenate(self._starts) if self._starts else np.zeros(0, np.int64)
        ids = pa.concat_arrays(self._ids) if self._ids else pa.array([], pa.string())
        inside = pc.is_in(ids, value_set=hids).to_numpy(zero_copy_only=False)
        outside = np.flatnonzero(~inside)
        if outside.size == 0:
            return self._drop(self._rows, self._runs)
        runs = int(outside[0])
        return self._drop(int(starts[runs]), runs)

    def left_over(self) -> bool:
        """Whether persons are left once every household was handed its members."""
        return bool(self._rows) or self._read()

    def first_id(self) -> str | None:
        """The household id of the first person left over."""
        if self._table is None or not self._rows:
            return None
        first: str | None = _string(self._table.column("household_id").slice(0, 1))[0].as_py()
        return first


def _same(a: pa.Array, b: pa.Array) -> bool:
    """Whether two one-element id arrays hold the same (non-null) id."""
    return bool(pc.fill_null(pc.equal(a, b), False)[0].as_py())


class JsonLinesSource(RegistrySource):
    """A registry in a JSON Lines file: one household JSON object per line (see the module's
    notes). Chunks hold ``chunk_size`` records, valid or not; the invalid ones are in
    :attr:`Chunk.errors`, and :attr:`Chunk.rows` numbers the valid ones."""

    def __init__(self, path: str | os.PathLike[str], *, chunk_size: int = DEFAULT_CHUNK_SIZE):
        if chunk_size < 1:
            raise BulkInputError("chunk_size must be at least 1")
        self.path = Path(path)
        if not self.path.is_file():
            raise BulkInputError(f"{self.path.name}: no such file")
        self.chunk_size = chunk_size
        self._duplicates = None
        self._reread_ids = False  # each line is parsed for its id: one pass only
        self._count: int | None = None
        self.directory = None

    @property
    def num_households(self) -> int | None:
        """Number of records (non-blank lines), counted by the first pass over the ids
        (:meth:`~RegistrySource.duplicates`), which this runs if it has not run yet."""
        self.duplicates()
        return self._count

    @property
    def input_paths(self) -> list[Path]:
        """The JSON Lines file."""
        return [self.path]

    def _lines(self) -> Iterator[tuple[int, bytes | None]]:
        from civilaffairs.convert._jsonio import iter_lines

        try:
            with self.path.open("rb") as f:
                yield from iter_lines(f)
        except OSError as exc:
            raise BulkInputError(
                f"cannot read {self.path.name}: {exc.strerror or type(exc).__name__}"
            ) from None

    def _id_columns(self) -> Iterator[pa.Array]:
        ids: list[str | None] = []
        count = 0
        for _, line in self._lines():
            count += 1
            ids.append(_line_id(line))
            if len(ids) == self.chunk_size:
                yield pa.array(ids, pa.string())
                ids = []
        if ids:
            yield pa.array(ids, pa.string())
        self._count = count

    def chunks(self) -> Iterator[Chunk]:
        """Chunks of ``chunk_size`` records: the valid households as the two tables, with
        their row numbers, and the invalid lines as errors."""
        from civilaffairs.bulk.arrow import households_to_arrow
        from civilaffairs.convert import structure
        from civilaffairs.convert._jsonio import line_too_long, parse_json
        from civilaffairs.domain import Household
        from civilaffairs.errors import ValidationError

        homes: list[Any] = []
        rows: list[int] = []
        bad: dict[str, list[Any]] = {"row": [], "household_id": [], "reason": []}
        first = row = prow = 0

        def chunk() -> Chunk:
            households, persons = households_to_arrow(homes)
            errors = pa.table(bad, schema=ERRORS_SCHEMA)
            return Chunk(households, persons, first, prow, np.array(rows, dtype=np.int64), errors)

        for lineno, line in self._lines():
            data: Any = None
            try:
                if line is None:
                    raise line_too_long()
                data = parse_json(line, line=lineno)
                home = structure(data, Household)
            except ValidationError as exc:
                bad["row"].append(row)
                bad["household_id"].append(_safe_id(data))
                bad["reason"].append(_line_reason(lineno, exc))
            else:
                homes.append(home)
                rows.append(row)
            row += 1
            if row - first == self.chunk_size:
                done = chunk()
                yield done
                prow += done.persons.num_rows
                first = row
                homes, rows = [], []
                bad = {"row": [], "household_id": [], "reason": []}
        if row > first:
            yield chunk()


def _line_id(line: bytes | None) -> str | None:
    """The ``id`` of a JSON Lines line, when it is a JSON object with a text ``id``."""
    from civilaffairs.convert._jsonio import parse_json
    from civilaffairs.errors import ValidationError

    if line is None:
        return None
    try:
        data = parse_json(line)
    except ValidationError:
        return None
    if not isinstance(data, dict):
        return None
    hid = data.get("id")
    if not isinstance(hid, str):
        return None
    try:
        hid.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no valid household has it
        return None
    return hid


def _safe_id(data: Any) -> str | None:
    """The ``id`` of an invalid line's object, printable and masked, or ``None``."""
    from civilaffairs.domain._privacy import safe_text

    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    return safe_text(data["id"])


def _line_reason(lineno: int, error: Any) -> str:
    """``line N: <field path>: <problem>`` for every problem of *error*, joined by ``; ``."""
    from civilaffairs.domain._privacy import safe_text

    where = f"line {lineno}"
    parts = [": ".join(p for p in (where, e.path, e.message) if p) for e in error.errors]
    return safe_text("; ".join(parts or [f"{where}: invalid"]))


def _ids(table: pa.Table) -> pa.ChunkedArray:
    if "household_id" not in table.schema.names:
        raise BulkInputError("the persons table has no column 'household_id'")
    return pc.cast(table.column("household_id"), pa.string())


def _scrub(text: Any) -> str:
    from civilaffairs.domain._privacy import scrub

    return scrub(str(text))


def open_source(source: Any, *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> RegistrySource:
    """A :class:`RegistrySource` for a directory, a ``(households, persons)`` pair or a JSON
    Lines file (``.jsonl``, ``.ndjson``: a :class:`JsonLinesSource`).

    :raises BulkInputError: if the directory lacks either table, the JSON Lines file does
        not exist, or an object cannot be read.
    """
    if isinstance(source, RegistrySource):
        return source
    if isinstance(source, (str, os.PathLike)):
        directory = Path(source)
        if directory.suffix.lower() in JSON_LINES_SUFFIXES and not directory.is_dir():
            return JsonLinesSource(directory, chunk_size=chunk_size)
        if not directory.is_dir():
            raise BulkInputError(
                f"{directory.name or str(directory)}: not a directory holding households and "
                "persons tables, nor a JSON Lines file (.jsonl, .ndjson)"
            )
        found: dict[str, Path] = {}
        for name in ("households", "persons"):
            for ext in _EXTENSIONS:
                candidate = directory / f"{name}.{ext}"
                if candidate.is_file():
                    found[name] = candidate
                    break
            else:
                raise BulkInputError(
                    f"{directory.name}: no {name} table ({name}.parquet, .csv, .arrow, "
                    ".feather or .ipc)"
                )
        src = RegistrySource(found["households"], found["persons"], chunk_size=chunk_size)
        src.directory = directory
        return src
    if isinstance(source, tuple) and len(source) == 2:
        return RegistrySource(source[0], source[1], chunk_size=chunk_size)
    raise BulkInputError(
        f"cannot read a registry from a {type(source).__name__}: give a directory or a "
        "(households, persons) pair"
    )

"""Bulk assessment on Dask (分布式批量认定): the same chunk function, beyond one machine.

:func:`assess` runs :func:`civilaffairs.bulk.run.assess_chunk` with
:meth:`dask.dataframe.DataFrame.map_partitions` over two dask DataFrames: households and
persons, **partitioned together**: partition *i* of the persons holds exactly the members
of the households of partition *i*. :func:`read_registry` and :func:`from_frames` build
such a pair from a directory (Parquet) or from in-memory tables; a pair built otherwise
must keep that alignment (each partition is checked, and a person outside its partition's
households is an error naming the row).

The result is one dask DataFrame with the columns of the bulk results table plus
``error``: null for an assessed household, the reason for a household that could not be
assessed (its programme columns are then null). :func:`split` separates the two once
computed. Results are identical to the local engine's, row for row.

Work runs wherever the active Dask scheduler runs it: a ``distributed.Client`` connected
to a cluster makes ``.compute()`` run there::

    from distributed import Client
    client = Client("tcp://scheduler.example:8786")
    households, persons = civilaffairs.dask.read_registry("s3://bucket/registry/")
    results = civilaffairs.dask.assess(households, persons, "2025-01").compute()

Requires the ``dask`` extra (``dask[dataframe]`` and ``distributed``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.bulk.run import assess_chunk, report_programs
from civilaffairs.bulk.schema import (
    HOUSEHOLDS_SCHEMA,
    PERSONS_SCHEMA,
    BulkInputError,
    output_schema,
)
from civilaffairs.bulk.sources import DEFAULT_CHUNK_SIZE, RegistrySource
from civilaffairs.periods import Month

__all__ = ["assess", "from_frames", "read_registry", "result_schema", "split"]


def _pd() -> Any:
    import pandas as pd

    return pd


def _dd() -> Any:
    import dask.dataframe as dd

    return dd


def result_schema(programs: Iterable[str]) -> pa.Schema:
    """The schema of :func:`assess`'s partitions: the bulk results plus ``error``."""
    fields = [f.with_nullable(True) for f in output_schema(list(programs))]
    return pa.schema([*fields, pa.field("error", pa.string())])


def _to_pandas(table: pa.Table) -> Any:
    pd = _pd()
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _client() -> Any:
    """The active ``distributed`` client, if there is one."""
    try:
        import distributed
    except ImportError:  # pragma: no cover - the dask extra installs distributed
        return None
    find: Any = distributed.default_client
    try:
        return find()
    except ValueError:  # no client: a local scheduler
        return None


def _ship(registry: Any) -> Any:
    """The registry to send to workers (``None``: each worker loads its installed plugins),
    pickled once here (:class:`_Packed`).

    Plugin load errors are dropped: they are reports, not data the rules read.
    """
    if registry is None:
        return None
    return _Packed(attrs.evolve(registry, errors=()))


class _Packed:
    """A registry pickled once, on the client: the bytes travel as they are, and each
    worker process unpickles them once and keeps the registry for the partitions that
    follow (and what it resolves for them). A registry handed to the cluster as an object
    would be serialised object by object for every worker, slowly."""

    def __init__(self, registry: Any) -> None:
        import uuid

        import cloudpickle  # type: ignore[import-untyped, import-not-found, unused-ignore]

        self.token = uuid.uuid4().hex
        self.blob = cloudpickle.dumps(registry)

    def registry(self) -> Any:
        """The registry, unpickled in this process once."""
        hit = _UNPACKED.get(self.token)
        if hit is None:
            import cloudpickle  # type: ignore[import-untyped, import-not-found, unused-ignore]

            hit = cloudpickle.loads(self.blob)
            while len(_UNPACKED) >= 4:
                _UNPACKED.pop(next(iter(_UNPACKED)))
            _UNPACKED[self.token] = hit
        return hit


#: Registries unpickled in this (worker) process, by token.
_UNPACKED: dict[str, Any] = {}


def _unpacked(registry: Any) -> Any:
    return registry.registry() if isinstance(registry, _Packed) else registry


def _partition(
    households: Any,
    persons: Any,
    on: str,
    registry: Any,
    programs: list[str],
    duplicates: list[str],
    partition_info: dict[str, Any] | None = None,
) -> Any:
    hh = pa.Table.from_pandas(households, preserve_index=False)
    pp = pa.Table.from_pandas(persons, preserve_index=False)
    first_row = 0
    if "row" in hh.schema.names:
        rows = hh.column("row")
        first_row = int(rows[0].as_py()) if len(rows) else 0
    return _assess_tables(hh, pp, first_row, on, registry, programs, duplicates)


def _assess_rows(
    ranges: Any,
    paths: tuple[str, str],
    on: str,
    registry: Any,
    programs: list[str],
    duplicates: list[str],
) -> Any:
    """One partition of a registry that :func:`read_registry` planned: its rows of both
    Parquet files read straight to Arrow (no pandas in between), then assessed."""
    first, count, person_first, person_count = (int(v) for v in ranges.iloc[0].tolist())
    hh = _rows(paths[0], first, count)
    pp = _rows(paths[1], person_first, person_count)
    return _assess_tables(hh, pp, first, on, registry, programs, duplicates)


def _ranges(entry: tuple[int, int, int, int]) -> Any:
    """A one-row frame naming the rows of a partition (see :func:`_assess_rows`)."""
    pd = _pd()
    return pd.DataFrame([entry], columns=list(_RANGE_COLUMNS))


_RANGE_COLUMNS = ("first", "rows", "person_first", "persons")


def _assess_tables(
    hh: pa.Table,
    pp: pa.Table,
    first_row: int,
    on: str,
    registry: Any,
    programs: list[str],
    duplicates: list[str],
) -> Any:
    """The chunk function on one partition's tables, as a frame of :func:`result_schema`."""
    done = assess_chunk(
        hh,
        pp,
        on,
        registry=_unpacked(registry),
        programs=programs,
        first_row=first_row,
        duplicates=pa.array(duplicates, pa.string()),
    )
    schema = result_schema(programs)
    results = done.results.cast(pa.schema(list(schema)[:-1]))
    results = results.append_column("error", pa.nulls(results.num_rows, pa.string()))
    errors = done.errors
    error_part = pa.table(
        {
            f.name: (
                errors.column(f.name)
                if f.name in ("row", "household_id")
                else errors.column("reason")
                if f.name == "error"
                else pa.nulls(errors.num_rows, f.type)
            )
            for f in schema
        },
        schema=schema,
    )
    table = pa.concat_tables([results, error_part]).sort_by("row")
    return _to_pandas(table)


def assess(
    households: Any,
    persons: Any,
    on: Month | str,
    *,
    programs: Iterable[str] | None = None,
    registry: Any = None,
) -> Any:
    """Assess a registry held as two aligned dask DataFrames; returns a lazy dask DataFrame.

    :param households: households, with an int64 ``row`` column (the row numbers the
        results and errors report; :func:`read_registry` adds it).
    :param persons: the members, partitioned like *households*.
    :param on: the month assessed.
    :param programs: programme ids (all registered ones by default).
    :param registry: a registry to ship to the workers (e.g. a reform's, from
        :meth:`civilaffairs.bulk.reform.Reform.apply`); by default each worker uses the
        plugins installed where it runs.
    :raises BulkInputError: if the two have different numbers of partitions.

    Household ids duplicated anywhere in the input are found first, with one pass over the
    ``household_id`` column (computed at once, where the scheduler runs it); every row of
    such an id is an error, whatever the partitioning, as in the local engine.
    """
    from civilaffairs.registry import get_registry

    month = str(Month.parse(on))
    local = registry if registry is not None else get_registry()
    report = report_programs(local, programs)
    if households.npartitions != persons.npartitions:
        raise BulkInputError(
            f"households have {households.npartitions} partitions and persons "
            f"{persons.npartitions}: partition them together (read_registry, from_frames)"
        )
    meta = _to_pandas(result_schema(report).empty_table())
    duplicates = _KNOWN_DUPLICATES.get(households._name)
    if duplicates is None:
        duplicates = _duplicates(households)
    dd = _dd()
    shipped = _ship(registry)
    if shipped is not None:
        from dask.delayed import delayed

        # the registry reaches each worker once, and its partitions share it (and what it
        # has resolved): sent to every worker at once on a distributed cluster, else one
        # task of the graph holds it
        client = _client()
        shipped = delayed(
            client.scatter(shipped, broadcast=True, hash=False) if client is not None else shipped
        )
    planned = _PLANNED.get((households._name, persons._name))
    if planned is not None:
        # a registry read_registry planned: each task reads its own rows of both files and
        # assesses them, with nothing moved between workers but the results
        paths, plan = planned
        pd = _pd()
        ranges = dd.from_map(
            _ranges,
            plan,
            meta=pd.DataFrame({c: pd.Series([], dtype="int64") for c in _RANGE_COLUMNS}),
            enforce_metadata=False,
        )
        return ranges.map_partitions(
            _assess_rows,
            paths,
            month,
            shipped,
            report,
            duplicates,
            meta=meta,
            enforce_metadata=False,
        )
    return dd.map_partitions(
        _partition,
        households,
        persons,
        month,
        shipped,
        report,
        duplicates,
        meta=meta,
        align_dataframes=False,
        enforce_metadata=False,
    )


#: Household ids duplicated in a registry that :func:`read_registry` or :func:`from_frames`
#: read, by the name of the households collection (the ids are read there anyway).
_KNOWN_DUPLICATES: dict[str, list[str]] = {}
#: The files and partition plan of each pair of collections :func:`read_registry` made.
_PLANNED: dict[tuple[str, str], tuple[tuple[str, str], list[tuple[int, int, int, int]]]] = {}


def _remember(households: Any, duplicates: pa.Array) -> None:
    if len(_KNOWN_DUPLICATES) >= 64:
        _KNOWN_DUPLICATES.pop(next(iter(_KNOWN_DUPLICATES)))
    _KNOWN_DUPLICATES[households._name] = [str(x) for x in duplicates.to_pylist()]


def _id_summary(ids: Any) -> Any:
    """Per partition: its first and last id, whether its ids strictly increase, and the ids
    that occur more than once within it."""
    pd = _pd()
    values = pa.array(ids.astype("string"), pa.string()) if len(ids) else pa.array([], pa.string())
    from civilaffairs.bulk.sources import _increasing

    increasing = _increasing(values)
    return pd.DataFrame(
        {
            "first": [values[0].as_py() if len(values) else None],
            "last": [values[len(values) - 1].as_py() if len(values) else None],
            "increasing": [increasing],
            "size": [len(values)],
        }
    )


def _duplicates(households: Any) -> list[str]:
    """Household ids that occur more than once in *households*: when each partition's ids
    increase and the partitions follow one another in order, there are none (one light
    pass); otherwise every id is counted."""
    pd = _pd()
    ids = households["household_id"]
    meta = pd.DataFrame(
        {
            "first": pd.Series([], dtype=object),
            "last": pd.Series([], dtype=object),
            "increasing": pd.Series([], dtype=bool),
            "size": pd.Series([], dtype="int64"),
        }
    )
    parts = ids.map_partitions(_id_summary, meta=meta).compute()
    parts = parts[parts["size"] > 0]
    ordered = bool(parts["increasing"].all()) and all(
        a is not None and b is not None and a < b
        for a, b in zip(parts["last"].tolist()[:-1], parts["first"].tolist()[1:], strict=True)
    )
    if ordered:
        return []
    counts = ids.astype("string").value_counts().compute()
    return sorted(str(i) for i, n in counts.items() if n > 1 and str(i))


def split(results: Any) -> tuple[Any, Any]:
    """Computed results of :func:`assess` as ``(assessed, errors)`` pandas DataFrames."""
    failed = results["error"].notna()
    errors = results.loc[failed, ["row", "household_id", "error"]].rename(
        columns={"error": "reason"}
    )
    return results.loc[~failed].drop(columns=["error"]), errors


def _plan(
    households: pa.Table, persons: pa.Table, size: int
) -> tuple[list[tuple[int, int, int, int]], pa.Array]:
    """``(first_row, rows, first_person, persons)`` of each partition, and the household ids
    that occur more than once.

    When the persons' runs of ``household_id`` are exactly the households, in order, the
    partitions are cut by position (members counted from the runs); otherwise the chunks
    of the local engine are used, which place persons as they place them."""
    source = RegistrySource(households, persons, chunk_size=size)
    duplicates = source.duplicates()
    hids = pc.cast(households.column("household_id"), pa.string()).combine_chunks()
    pids = pc.cast(persons.column("household_id"), pa.string()).combine_chunks()
    k, m = len(hids), len(pids)
    if k and m and not hids.null_count and not pids.null_count:
        changed = pc.not_equal(pids.slice(1), pids.slice(0, m - 1)).to_numpy(zero_copy_only=False)
        starts = np.concatenate(([0], np.flatnonzero(changed) + 1))
        if starts.size == k and pc.all(pc.equal(pc.take(pids, pa.array(starts)), hids)).as_py():
            edges = np.append(starts, m)
            return [
                (a, min(size, k - a), int(edges[a]), int(edges[min(a + size, k)] - edges[a]))
                for a in range(0, k, size)
            ], duplicates
    return [
        (c.first_row, c.households.num_rows, c.person_first_row, c.persons.num_rows)
        for c in source.chunks()
    ], duplicates


def _with_row(table: pa.Table, first_row: int) -> pa.Table:
    import numpy as np

    rows = pa.array(np.arange(first_row, first_row + table.num_rows, dtype=np.int64))
    return table.append_column("row", rows)


def from_frames(
    households: Any, persons: Any, *, partition_size: int = DEFAULT_CHUNK_SIZE
) -> tuple[Any, Any]:
    """Aligned dask DataFrames from in-memory tables (pyarrow, pandas or polars).

    :param partition_size: households per partition.
    """
    from civilaffairs.bulk.schema import conform

    hh = conform(_as_table(households), "households")
    pp = conform(_as_table(persons), "persons")
    plan, duplicates = _plan(hh, pp, partition_size)
    dd = _dd()
    hh_parts = [_to_pandas(_with_row(hh.slice(a, n), a)) for a, n, _, _ in plan]
    pp_parts = [_to_pandas(pp.slice(b, m)) for _, _, b, m in plan]
    if not plan:
        hh_parts = [_to_pandas(_with_row(HOUSEHOLDS_SCHEMA.empty_table(), 0))]
        pp_parts = [_to_pandas(PERSONS_SCHEMA.empty_table())]
    frames = dd.from_map(_identity, hh_parts), dd.from_map(_identity, pp_parts)
    _remember(frames[0], duplicates)
    return frames


def _identity(part: Any) -> Any:
    return part


def _as_table(obj: Any) -> pa.Table:
    if isinstance(obj, pa.Table):
        return obj
    module = type(obj).__module__.split(".")[0]
    if module == "pandas":
        return pa.Table.from_pandas(obj, preserve_index=False)
    if module == "polars":
        table: pa.Table = obj.to_arrow()
        return table
    raise BulkInputError(f"cannot read a table from a {type(obj).__name__}")


def _read_rows(path: str, table: str, first: int, count: int, with_row: bool) -> Any:
    """Rows ``[first, first + count)`` of a Parquet file as a pandas frame of the *table*'s
    schema (see :func:`_rows`)."""
    from civilaffairs.bulk.schema import conform

    data = conform(_rows(path, first, count), table)
    return _to_pandas(_with_row(data, first) if with_row else data)


def _rows(path: str, first: int, count: int) -> pa.Table:
    """Rows ``[first, first + count)`` of a Parquet file, reading only their row groups.

    A row group larger than a partition is read once per worker process for all the
    partitions cut from it (the last few row groups read are kept, :func:`_row_group`)."""
    import os

    import pyarrow.parquet as pq

    stat = os.stat(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    f = pq.ParquetFile(path)
    pieces: list[pa.Table] = []
    start = 0
    for g in range(f.metadata.num_row_groups):
        n = f.metadata.row_group(g).num_rows
        if start + n > first and start < first + count:
            group = _row_group(path, stamp, g)
            lo = max(first - start, 0)
            pieces.append(group.slice(lo, min(first + count, start + n) - start - lo))
        start += n
    return pa.concat_tables(pieces) if pieces else f.schema_arrow.empty_table()


@functools.lru_cache(maxsize=4)
def _row_group(path: str, stamp: tuple[int, int], group: int) -> pa.Table:
    """One row group of a Parquet file (kept for the next partitions of the same worker;
    *stamp*, the file's modification time and size, keeps a rewritten file from being
    served from the cache)."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).read_row_group(group)


def read_registry(
    directory: str | Path, *, partition_size: int = DEFAULT_CHUNK_SIZE
) -> tuple[Any, Any]:
    """Aligned dask DataFrames of the Parquet registry in *directory*.

    The household ids of both tables are read once to plan the partitions (which persons
    go with which households); each partition then reads only its row groups.

    :param partition_size: households per partition.
    """
    import pyarrow.parquet as pq

    base = Path(directory)
    hh_path = base / "households.parquet"
    pp_path = base / "persons.parquet"
    for p in (hh_path, pp_path):
        if not p.is_file():
            raise BulkInputError(f"{base.name}: no {p.name} (read_registry reads Parquet)")
    hh_ids = pq.read_table(hh_path, columns=["household_id"])
    pp_ids = pq.read_table(pp_path, columns=["household_id"])
    plan, duplicates = _plan(hh_ids, pp_ids, partition_size)
    plan = plan or [(0, 0, 0, 0)]
    dd = _dd()
    households = dd.from_map(
        _read_rows,
        [str(hh_path)] * len(plan),
        ["households"] * len(plan),
        [a for a, _, _, _ in plan],
        [n for _, n, _, _ in plan],
        [True] * len(plan),
        meta=_to_pandas(_with_row(HOUSEHOLDS_SCHEMA.empty_table(), 0)),
    )
    persons = dd.from_map(
        _read_rows,
        [str(pp_path)] * len(plan),
        ["persons"] * len(plan),
        [b for _, _, b, _ in plan],
        [m for _, _, _, m in plan],
        [False] * len(plan),
        meta=_to_pandas(PERSONS_SCHEMA.empty_table()),
    )
    _remember(households, duplicates)
    if len(_PLANNED) >= 64:
        _PLANNED.pop(next(iter(_PLANNED)))
    _PLANNED[(households._name, persons._name)] = ((str(hh_path), str(pp_path)), plan)
    return households, persons

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

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa

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


def _ship(registry: Any) -> Any:
    """The registry to send to workers (``None``: each worker loads its installed plugins).

    Plugin load errors are dropped: they are reports, not data the rules read.
    """
    if registry is None:
        return None
    return attrs.evolve(registry, errors=())


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
    done = assess_chunk(
        hh,
        pp,
        on,
        registry=registry,
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
    counts = households["household_id"].astype("string").value_counts().compute()
    duplicates = sorted(str(i) for i, n in counts.items() if n > 1 and str(i))
    dd = _dd()
    return dd.map_partitions(
        _partition,
        households,
        persons,
        month,
        _ship(registry),
        report,
        duplicates,
        meta=meta,
        align_dataframes=False,
        enforce_metadata=False,
    )


def split(results: Any) -> tuple[Any, Any]:
    """Computed results of :func:`assess` as ``(assessed, errors)`` pandas DataFrames."""
    failed = results["error"].notna()
    errors = results.loc[failed, ["row", "household_id", "error"]].rename(
        columns={"error": "reason"}
    )
    return results.loc[~failed].drop(columns=["error"]), errors


def _plan(households: pa.Table, persons: pa.Table, size: int) -> list[tuple[int, int, int, int]]:
    """``(first_row, rows, first_person, persons)`` of each partition."""
    source = RegistrySource(households, persons, chunk_size=size)
    return [
        (c.first_row, c.households.num_rows, c.person_first_row, c.persons.num_rows)
        for c in source.chunks()
    ]


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
    plan = _plan(hh, pp, partition_size)
    dd = _dd()
    hh_parts = [_to_pandas(_with_row(hh.slice(a, n), a)) for a, n, _, _ in plan]
    pp_parts = [_to_pandas(pp.slice(b, m)) for _, _, b, m in plan]
    if not plan:
        hh_parts = [_to_pandas(_with_row(HOUSEHOLDS_SCHEMA.empty_table(), 0))]
        pp_parts = [_to_pandas(PERSONS_SCHEMA.empty_table())]
    return dd.from_map(_identity, hh_parts), dd.from_map(_identity, pp_parts)


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
    """Rows ``[first, first + count)`` of a Parquet file, reading only their row groups."""
    import pyarrow.parquet as pq

    from civilaffairs.bulk.schema import conform

    f = pq.ParquetFile(path)
    groups: list[int] = []
    start = 0
    offset = 0
    for g in range(f.metadata.num_row_groups):
        n = f.metadata.row_group(g).num_rows
        if start + n > first and start < first + count:
            if not groups:
                offset = first - start
            groups.append(g)
        start += n
    data = f.read_row_groups(groups) if groups else f.schema_arrow.empty_table()
    data = conform(data.slice(offset, count), table)
    return _to_pandas(_with_row(data, first) if with_row else data)


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
    plan = _plan(hh_ids, pp_ids, partition_size) or [(0, 0, 0, 0)]
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
    return households, persons

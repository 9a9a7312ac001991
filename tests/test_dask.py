"""The Dask path on a local distributed cluster gives the local engine's results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from bulk_support import bundled_registry
from civilaffairs.bulk.reform import Reform
from civilaffairs.bulk.run import assess_table
from civilaffairs.bulk.schema import BulkInputError
from civilaffairs.synth import synth_tables, write_synth

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
cdask = pytest.importorskip("civilaffairs.dask")

MONTH = "2024-08"


def _arrow(frame: Any) -> pa.Table:
    return pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)


def test_local_cluster_gives_identical_results(tmp_path: Path) -> None:
    write_synth(6000, tmp_path, seed=8, bad_fraction=0.02)
    reg = bundled_registry()
    reform = Reform.parse(["dibao.standard@440300=1100"]).apply(reg, MONTH)
    households, persons = cdask.read_registry(tmp_path, partition_size=1100)
    assert households.npartitions == persons.npartitions == 6
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        base = cdask.assess(households, persons, MONTH, registry=reg).compute()
        new = cdask.assess(households, persons, MONTH, registry=reform).compute()
    for computed, registry in ((base, reg), (new, reform)):
        results, errors = cdask.split(computed)
        expected, expected_errors = assess_table(tmp_path, MONTH, registry=registry)
        assert _arrow(results).cast(expected.schema).equals(expected)
        got_errors = _arrow(errors).cast(expected_errors.schema)
        assert got_errors.equals(expected_errors)
        assert len(results) + len(errors) == 6000
    assert not _arrow(cdask.split(base)[0]).equals(_arrow(cdask.split(new)[0]))


def test_from_frames_keeps_households_with_their_members() -> None:
    hh, pp = synth_tables(500, seed=2)
    reg = bundled_registry()
    households, persons = cdask.from_frames(hh.to_pandas(), pp, partition_size=64)
    assert households.npartitions == 8
    results, errors = cdask.split(
        cdask.assess(households, persons, MONTH, registry=reg).compute(scheduler="sync")
    )
    expected, expected_errors = assess_table((hh, pp), MONTH, registry=reg)
    assert _arrow(results).cast(expected.schema).equals(expected)
    assert len(errors) == expected_errors.num_rows
    with pytest.raises(BulkInputError, match="partition them together"):
        cdask.assess(households, persons.repartition(npartitions=2), MONTH, registry=reg)


def test_ids_duplicated_across_partitions_are_errors_as_in_the_local_engine() -> None:
    import pyarrow.compute as pc

    hh, pp = synth_tables(300, seed=3)
    ids = hh.column("household_id").to_pylist()
    twin, other = ids[10], ids[250]  # far apart: different partitions of 64
    hh = hh.set_column(
        0, "household_id", pa.array([twin if i == other else i for i in ids], pa.string())
    )
    pids = pp.column("household_id").to_pylist()
    pp = pp.set_column(
        pp.schema.get_field_index("household_id"),
        "household_id",
        pa.array([twin if i == other else i for i in pids], pa.string()),
    )
    reg = bundled_registry()
    households, persons = cdask.from_frames(hh, pp, partition_size=64)
    results, errors = cdask.split(
        cdask.assess(households, persons, MONTH, registry=reg).compute(scheduler="sync")
    )
    expected, expected_errors = assess_table((hh, pp), MONTH, registry=reg)
    assert sorted(errors["row"].tolist()) == [10, 250]
    assert set(errors["household_id"]) == {twin}
    assert _arrow(results).cast(expected.schema).equals(expected)
    assert sorted(pc.cast(expected_errors.column("row"), pa.int64()).to_pylist()) == [10, 250]


@pytest.mark.parametrize("twin", [True, False])
def test_frames_made_otherwise_are_checked_for_duplicates_by_dask(twin: bool) -> None:
    """Collections that read_registry or from_frames did not make (here: mapped again)
    have their duplicate ids found with dask, in ordered ids with one light pass."""
    hh, pp = synth_tables(200, seed=5)
    ids = hh.column("household_id").to_pylist()
    if twin:
        hh = hh.set_column(
            0, "household_id", pa.array([ids[3] if i == 150 else x for i, x in enumerate(ids)])
        )
        pids = pp.column("household_id").to_pylist()
        pp = pp.set_column(
            pp.schema.get_field_index("household_id"),
            "household_id",
            pa.array([ids[3] if x == ids[150] else x for x in pids], pa.string()),
        )
    households, persons = cdask.from_frames(hh, pp, partition_size=50)
    households = households.map_partitions(lambda part: part)
    persons = persons.map_partitions(lambda part: part)
    assert cdask._duplicates(households) == ([ids[3]] if twin else [])
    reg = bundled_registry()
    results, errors = cdask.split(
        cdask.assess(households, persons, MONTH, registry=reg).compute(scheduler="sync")
    )
    expected, expected_errors = assess_table((hh, pp), MONTH, registry=reg)
    assert _arrow(results).cast(expected.schema).equals(expected)
    assert sorted(errors["row"].tolist()) == sorted(expected_errors.column("row").to_pylist())

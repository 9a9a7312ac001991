"""The synthetic registry: seeded, valid, and a realistic caseload."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bulk_support import bundled_registry
from civilaffairs.bulk.arrow import frame_from_arrow
from civilaffairs.bulk.run import assess_table
from civilaffairs.bulk.schema import HOUSEHOLDS_SCHEMA, PERSONS_SCHEMA
from civilaffairs.errors import CivilAffairsError
from civilaffairs.synth import BLOCK, DEFAULT_MIX, RegionShare, synth_tables, write_synth


def test_same_seed_same_registry_and_another_seed_another() -> None:
    a = synth_tables(500, seed=3)
    b = synth_tables(500, seed=3)
    c = synth_tables(500, seed=4)
    assert a[0].equals(b[0]) and a[1].equals(b[1])
    assert not a[1].equals(c[1])
    assert a[0].schema.equals(HOUSEHOLDS_SCHEMA) and a[1].schema.equals(PERSONS_SCHEMA)


def test_written_registry_equals_the_in_memory_one(tmp_path: Path) -> None:
    n = BLOCK + 10
    seen: list[int] = []
    summary = write_synth(n, tmp_path, seed=1, progress=seen.append)
    hh, pp = synth_tables(n, seed=1)
    assert seen == [BLOCK, 10]
    assert summary.households == n and summary.persons == pp.num_rows
    assert pq.read_table(tmp_path / "households.parquet").equals(hh)
    assert pq.read_table(tmp_path / "persons.parquet").equals(pp)
    assert hh.column("household_id").to_pylist()[-1] == f"H{n - 1:010d}"


def test_the_default_mix_is_a_realistic_caseload() -> None:
    n = 20_000
    hh, pp = synth_tables(n, seed=9, on="2025-08")
    results, errors = assess_table((hh, pp), "2025-08", registry=bundled_registry())
    # every household lives where dibao can be assessed: no error, dibao assessed for all
    assert (results.num_rows, errors.num_rows) == (n, 0)
    assert pc.all(pc.equal(results.column("dibao_status"), 0)).as_py()
    provinces = pc.value_counts(pc.utf8_slice_codeunits(hh.column("region"), 0, 2)).to_pylist()
    shares = {p["values"]: p["counts"] / n for p in provinces}
    assert set(shares) == {s.region[:2] for s in DEFAULT_MIX}
    eligible = pc.sum(results.column("dibao_eligible").cast("int64")).as_py() / n
    assert 0.3 < eligible < 0.6
    sizes = pp.group_by("household_id").aggregate([("household_id", "count")])
    counts = sizes.column("household_id_count").to_pylist()
    assert min(counts) == 1 and max(counts) == 6
    assert 0.25 < counts.count(1) / n < 0.4
    assert (
        0.04
        < pc.sum(pc.is_valid(pp.column("disability_grade")).cast("int64")).as_py() / len(pp)
        < 0.15
    )
    # the joint status model: both parents unable occurs, and the children's programmes pay
    for pid in ("orphan", "unsupported_child", "elderly_allowance"):
        assert pc.sum(results.column(f"{pid}_eligible").cast("int64")).as_py() > 0, pid


def test_households_are_placed_only_where_dibao_can_be_assessed() -> None:
    from civilaffairs.coverage import assessable_counties

    reg = bundled_registry()
    hh, _ = synth_tables(5_000, seed=4, on="2025-08", registry=reg)
    pairs = set(
        zip(hh.column("region").to_pylist(), hh.column("residence").to_pylist(), strict=True)
    )
    allowed = {
        (county, residence)
        for share in DEFAULT_MIX
        for residence in ("urban", "rural")
        for county in assessable_counties(reg, "dibao", share.region, "2025-08-01", residence)
    }
    assert pairs <= allowed


def test_elsewhere_places_a_share_where_dibao_cannot_be_assessed() -> None:
    n = 4_000
    hh, pp = synth_tables(n, seed=6, on="2025-08", elsewhere=0.25)
    results, errors = assess_table((hh, pp), "2025-08", registry=bundled_registry())
    assert errors.num_rows == 0
    skipped = pc.sum(pc.equal(results.column("dibao_status"), 1).cast("int64")).as_py()
    assert 0.2 < skipped / n < 0.3
    with pytest.raises(CivilAffairsError, match="elsewhere"):
        synth_tables(10, elsewhere=1.5)
    only_beijing = (RegionShare("110000", 1, 0.5),)
    with pytest.raises(CivilAffairsError, match="nothing to place there"):
        synth_tables(10, on="2025-08", mix=only_beijing, elsewhere=0.5)
    # without standards every county of the mix is used
    anywhere = synth_tables(2_000, seed=6, mix=(RegionShare("340000", 1, 0.5),), registry=None)
    assert len(set(anywhere[0].column("region").to_pylist())) > 50


def test_bad_fraction_and_invalid_arguments() -> None:
    hh, _ = synth_tables(2000, seed=2, bad_fraction=0.1)
    assert 25 < pc.sum(pc.equal(hh.column("region"), "999999").cast("int64")).as_py() < 80
    with pytest.raises(CivilAffairsError, match="bad_fraction"):
        synth_tables(5, bad_fraction=2)
    with pytest.raises(CivilAffairsError, match="shares"):
        synth_tables(5, mix=(RegionShare("110000", 0, 0),))
    assert synth_tables(0)[0].num_rows == 0
    only = synth_tables(50, mix=(RegionShare("310115", 1, 0.5),))[0]
    assert set(only.column("region").to_pylist()) == {"310115"}


def test_statuses_include_terms_and_the_newer_kinds() -> None:
    hh, pp = synth_tables(20_000, seed=11)
    statuses = [s for row in pp.column("statuses").to_pylist() for s in row]
    kinds = {s["kind"] for s in statuses}
    assert {"chose_tekun", "sudden_major_illness", "accident", "other_sudden_hardship"} <= kinds
    terms = [s["term_months"] for s in statuses if s["kind"] == "parent_imprisoned"]
    assert any(t is None for t in terms)
    assert any(t is not None and t < 6 for t in terms)
    assert any(t is not None and t >= 6 for t in terms)
    assert all(s["term_months"] is None for s in statuses if s["kind"] != "parent_imprisoned")
    frame, errors, _ = frame_from_arrow(hh, pp, "2024-08")
    assert errors.num_rows == 0
    assert frame.pp["father_term6"].any() or frame.pp["mother_term6"].any()

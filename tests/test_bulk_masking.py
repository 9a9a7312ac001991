"""Bulk outputs never carry a resident ID whole, even where a household id is one."""

from __future__ import annotations

from pathlib import Path

import attrs
import pyarrow.parquet as pq

from civilaffairs.bulk.arrow import households_to_arrow
from civilaffairs.bulk.run import assess_bulk
from programs_support import MONTH, beijing_three, registry

WHOLE = "11010519491231002X"


def test_household_ids_that_are_resident_ids_are_masked_in_results_and_errors(
    tmp_path: Path,
) -> None:
    good = attrs.evolve(beijing_three(), id=WHOLE)
    spaced = attrs.evolve(beijing_three(), id="110105 19491231 002X")
    hh, pp = households_to_arrow([good, spaced])
    src = tmp_path / "registry"
    src.mkdir()
    pq.write_table(hh, src / "households.parquet")
    pq.write_table(pp, src / "persons.parquet")
    out = tmp_path / "out" / "results.parquet"
    out.parent.mkdir()
    assess_bulk(src, MONTH, out, registry=registry())
    texts = [str(pq.read_table(p).to_pylist()) for p in out.parent.glob("*.parquet")]
    for text in texts:
        assert WHOLE not in text and "19491231" not in text
    ids = pq.read_table(out).column("household_id").to_pylist()
    assert "110105********002X" in ids

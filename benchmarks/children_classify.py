"""Benchmark: classify about 1,000,000 synthetic children, read to result.

Draws households with :func:`civilaffairs.synth.synth_tables` (``registry=None``: placed in
every county of the default mix), adds ``parent_working_away`` statuses to the children
(synth does not draw them: in a rural household about 30 % of the children get an absent
father, 25 % an absent mother), a ``poverty`` column and a ``harm`` column, and writes both
tables to Parquet. Then, in the same run, it times from reading the Parquet files to the
result:

* the library: :func:`civilaffairs.modules.children.classify_table` (reading and checking
  with ``frame_from_arrow``, the standards of each county, the rules column by column);
* a hand-written numpy version of the same rules for the same date, with the national
  values as constants and no checking of the input,

asserts that both give the same flags, and prints both times and their ratio.

Run: ``.venv/bin/python benchmarks/children_classify.py [--children N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import pathlib
import tempfile
import time
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civilaffairs.domain import StatusKind
from civilaffairs.modules import children as ch
from civilaffairs.synth import synth_tables

ON = _dt.date(2024, 8, 1)
#: Children per synthetic household, measured on the default mix (about 0.33).
CHILDREN_PER_HOUSEHOLD = 0.33


def add_working_away(hh: pa.Table, pp: pa.Table, seed: int) -> pa.Table:
    """*pp* with ``parent_working_away`` statuses appended to children of rural households,
    built column-wise (no loop over persons)."""
    rng = np.random.default_rng(seed)
    m = pp.num_rows
    birth = pc.cast(pp.column("birth_date"), pa.int32()).to_numpy(zero_copy_only=False)
    adult = (ON.replace(year=ON.year - 18) - _dt.date(1970, 1, 1)).days
    hh_of = pc.index_in(pp.column("household_id"), value_set=hh.column("household_id"))
    rural = pc.equal(pc.take(hh.column("residence"), hh_of), "rural").to_numpy(zero_copy_only=False)
    kid = rural & (birth > adult)
    father = kid & (rng.random(m) < 0.30)
    mother = kid & (rng.random(m) < 0.25)
    added = father.astype(np.int64) + mother.astype(np.int64)
    statuses = pp.column("statuses").combine_chunks()
    old_off = statuses.offsets.to_numpy()
    old_count = np.diff(old_off)
    new_off = np.concatenate(([0], np.cumsum(added)))
    out_off = np.concatenate(([0], np.cumsum(old_count + added)))
    # the new statuses, in person order: father first
    who = np.repeat(np.arange(m), added)
    first_of = new_off[:-1][who]
    is_second = np.arange(who.size) - first_of == 1
    parent = np.where(father[who] & ~is_second, "father", "mother")
    new_values = pa.StructArray.from_arrays(
        [
            pa.array(np.full(who.size, StatusKind.PARENT_WORKING_AWAY.value)),
            pa.array(parent),
            pa.nulls(who.size, pa.date32()),
            pa.nulls(who.size, pa.int32()),
        ],
        fields=list(statuses.type.value_type),
    )
    values = pa.concat_arrays([statuses.values, new_values])
    person = np.repeat(np.arange(m), old_count + added)
    pos = np.arange(out_off[-1]) - out_off[:-1][person]
    old_n = len(statuses.values)
    take = np.where(
        pos < old_count[person],
        old_off[:-1][person] + pos,
        old_n + new_off[:-1][person] + pos - old_count[person],
    )
    column = pa.ListArray.from_arrays(pa.array(out_off, pa.int32()), values.take(pa.array(take)))
    return pp.set_column(pp.schema.get_field_index("statuses"), "statuses", column)


def make(children: int, seed: int, folder: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    hh, pp = synth_tables(int(children / CHILDREN_PER_HOUSEHOLD), seed=seed, registry=None)
    pp = add_working_away(hh, pp, seed)
    rng = np.random.default_rng(seed + 1)
    poverty = rng.choice(
        np.array(["dibao", "tekun", "low_income", ""]), hh.num_rows, p=[0.05, 0.01, 0.04, 0.90]
    )
    hh = hh.append_column("poverty", pa.array(poverty).cast(pa.string()))
    hh = hh.set_column(
        hh.schema.get_field_index("poverty"),
        "poverty",
        pc.if_else(
            pc.equal(hh.column("poverty"), ""), pa.scalar(None, pa.string()), hh.column("poverty")
        ),
    )
    harm = np.where(rng.random(pp.num_rows) < 0.002, "abuse", "")
    harm_col = pa.array(harm)
    pp = pp.append_column(
        "harm", pc.if_else(pc.equal(harm_col, ""), pa.scalar(None, pa.string()), harm_col)
    )
    paths = folder / "households.parquet", folder / "persons.parquet"
    pq.write_table(hh, paths[0])
    pq.write_table(pp, paths[1])
    return paths


def by_hand(paths: tuple[pathlib.Path, pathlib.Path]) -> dict[str, Any]:
    """The same rules in plain numpy: national values as constants, no checking."""
    hh = pq.read_table(paths[0])
    pp = pq.read_table(paths[1])
    d = (ON - _dt.date(1970, 1, 1)).days
    hh_of = pc.index_in(
        pp.column("household_id"), value_set=hh.column("household_id").combine_chunks()
    )
    hh_of = hh_of.to_numpy(zero_copy_only=False).astype(np.int64)
    birth = pc.cast(pp.column("birth_date"), pa.int32()).to_numpy(zero_copy_only=False)
    died = pc.fill_null(pc.cast(pp.column("died_on"), pa.int32()), 2**31 - 1).to_numpy(
        zero_copy_only=False
    )
    b = birth.astype("datetime64[D]")
    month_start = b.astype("datetime64[M]")
    md = (month_start.astype(np.int64) % 12 + 1) * 100 + (b - month_start).astype(np.int64) + 1
    age = (
        ON.year
        - (b.astype("datetime64[Y]").astype(np.int64) + 1970)
        - ((ON.month * 100 + ON.day) < md)
    )
    kid = (birth <= d) & (d < died) & (age < 18)
    statuses = pp.column("statuses").combine_chunks()
    flat = statuses.values
    owner = pc.list_parent_indices(statuses).to_numpy()
    kind = flat.field("kind")
    parent = flat.field("parent")
    since = pc.fill_null(pc.cast(flat.field("since"), pa.int32()), -(2**31)).to_numpy(
        zero_copy_only=False
    )
    live = since <= d

    def has(kinds: set[str], who: str | None) -> np.ndarray:
        sel = np.asarray(pc.is_in(kind, pa.array(sorted(kinds))).to_numpy(zero_copy_only=False))
        if who is None:
            sel &= np.asarray(pc.is_null(parent).to_numpy(zero_copy_only=False))
        else:
            sel &= np.asarray(
                pc.fill_null(pc.equal(parent, who), False).to_numpy(zero_copy_only=False)
            )
        out = np.zeros(pp.num_rows, dtype=bool)
        out[owner[sel & live]] = True
        return out

    away = {StatusKind.PARENT_WORKING_AWAY.value}
    incapable = {k.value for k in ch.INCAPABLE}
    fa, ma = has(away, "father"), has(away, "mother")
    fi, mi = has(incapable, "father"), has(incapable, "mother")
    rural = pc.equal(hh.column("residence"), "rural").to_numpy(zero_copy_only=False)[hh_of]
    # nationally a dead, missing or imprisoned other parent is not tested (null) and
    # Zhejiang (330000) counts it
    unable = {k.value for k in ch.UNABLE}
    fu, mu = has(unable, "father"), has(unable, "mother")
    zhejiang = pc.starts_with(hh.column("region"), "33").to_numpy(zero_copy_only=False)[hh_of]
    one = fa ^ ma
    inc = (fa & ~ma & mi) | (ma & ~fa & fi)
    unable_case = (fa & ~ma & ~mi & mu) | (ma & ~fa & ~fi & fu)
    parents = (fa & ma) | inc | (unable_case & zhejiang)
    undecided = unable_case & ~zhejiang & (age < 16) & rural
    left = (age < 16) & rural & parents
    tekun = has({StatusKind.SUPPORTED_AS_TEKUN.value}, None)
    poverty = np.asarray(pc.is_valid(hh.column("poverty")).to_numpy(zero_copy_only=False))[hh_of]
    idx = np.flatnonzero(kid)
    return {
        "left_behind_true": int(left[idx].sum()),
        "left_behind_null": int((undecided & ~left & one)[idx].sum()),
        "poverty": int((poverty | tekun)[idx].sum()),
        "disability": int(
            np.asarray(pc.is_valid(pp.column("disability_grade")).to_numpy(zero_copy_only=False))[
                idx
            ].sum()
        ),
        "guardianship": int(
            np.asarray(pc.is_valid(pp.column("harm")).to_numpy(zero_copy_only=False))[idx].sum()
        ),
        "children": int(idx.size),
    }


def library(paths: tuple[pathlib.Path, pathlib.Path]) -> dict[str, Any]:
    hh = pq.read_table(paths[0])
    pp = pq.read_table(paths[1])
    table = ch.classify_table(hh, pp, ON)
    left = table.column("left_behind")
    return {
        "left_behind_true": int(pc.sum(pc.fill_null(left, False)).as_py() or 0),
        "left_behind_null": int(left.null_count),
        "poverty": int(pc.sum(table.column("poverty")).as_py() or 0),
        "disability": int(pc.sum(table.column("disability")).as_py() or 0),
        "guardianship": int(pc.sum(table.column("guardianship")).as_py() or 0),
        "children": table.num_rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = make(args.children, args.seed, pathlib.Path(tmp))
        print(f"synthetic data written in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        mine = by_hand(paths)
        hand = time.perf_counter() - start
        start = time.perf_counter()
        lib = library(paths)
        full = time.perf_counter() - start
    assert lib == mine, (lib, mine)
    print(f"children classified: {lib['children']:,}  ({lib})")
    print(f"hand-written numpy:  {hand:.2f} s")
    print(f"classify_table:      {full:.2f} s")
    print(f"ratio library / hand-written: {full / hand:.1f}x")


if __name__ == "__main__":
    main()

"""What-if simulation (政策模拟测算): what a reform changes, household by household.

:func:`simulate` runs the baseline over a registry, chunk by chunk, and re-evaluates
under the :class:`~civilaffairs.bulk.reform.Reform` **only** the households the reform can
change: those living under one of its regions, when the override is in force in the
simulated month. The others keep their baseline result, which the reform cannot change,
since standards and policies resolve by region. :attr:`SimulationResult.recomputed` says
how many households were re-evaluated.

It returns (and with ``out`` writes to a directory):

* a per-household diff of the households whose result changed, per programme: baseline
  and reform amounts in fen and the kind of change: ``gain``, ``loss``,
  ``newly_eligible`` or ``dropped`` (``diff.parquet``);
* totals by province, prefecture and county, per programme paid monthly: recipients,
  monthly cost and annual cost (12 × monthly), baseline and reform
  (``summary.json``, ``summary.txt``);
* a chart of cost and recipients by region against the baseline: ``chart.svg`` always,
  and ``chart.png`` with matplotlib (the ``chart`` extra).

The one-off temporary assistance (``period == "one_off_max"``) is a ceiling, not a
payment, so it is left out of the diff and of the cost totals.

With ``out``, the households that could not be assessed go to ``errors.parquet`` (as in
a bulk run, duplicated household ids found over the whole input), and a
``manifest.json`` records the counts, the input files' SHA-256 checksums, the versions
and the completion time. Every file is first written to a temporary directory inside
``out`` and moved into place only when the simulation completes: a simulation that fails
or is interrupted leaves nothing new in ``out`` (and removes ``out`` if it created it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civilaffairs.bulk.reform import Reform
from civilaffairs.bulk.run import (
    Pipeline,
    _framed,
    _inputs,
    check_outputs,
    manifest,
    parquet_options,
    report_programs,
    staged_directory,
    write_json,
)
from civilaffairs.bulk.schema import ERRORS_SCHEMA, mask_identifiers
from civilaffairs.bulk.sources import DEFAULT_CHUNK_SIZE, open_source
from civilaffairs.engine.batch import BatchResult, evaluate_frame
from civilaffairs.engine.frame import Frame
from civilaffairs.periods import Month

__all__ = ["CHANGE_KINDS", "SimulationResult", "simulate", "subset_frame"]

#: The kinds of change of one household in one programme.
CHANGE_KINDS: tuple[str, ...] = ("gain", "loss", "newly_eligible", "dropped")
_CHANGE_NAMES = pa.array(CHANGE_KINDS, pa.string())
LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
_WIDTH = {"province": 2, "prefecture": 4, "county": 6}
Evaluator = Callable[[Frame, Any, Sequence[str]], BatchResult]


def subset_frame(frame: Frame, mask: np.ndarray) -> Frame:
    """The households of *frame* where *mask* is true, with their members."""
    return frame.take(mask)


class _Counties:
    """The households of a chunk grouped by county (codes as integers), for exact sums."""

    def __init__(self, counties: np.ndarray) -> None:
        self.codes, inverse = np.unique(counties, return_inverse=True)
        self.inverse = inverse.reshape(-1)
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def sum(self, values: np.ndarray) -> np.ndarray:
        """*values* (per household) summed by county, in int64, exactly."""
        v = np.asarray(values)
        size = self.codes.size
        if v.dtype == bool:
            return np.bincount(self.inverse[v], minlength=size).astype(np.int64)
        bound = max(abs(int(v.max())), abs(int(v.min()))) if v.size else 0
        if bound * max(v.size, 1) < 2**53:  # every partial sum is a float64 integer
            return np.bincount(self.inverse, weights=v, minlength=size).astype(np.int64)
        if self._sorted is None:
            order = np.argsort(self.inverse, kind="stable")
            sizes = np.bincount(self.inverse, minlength=size)
            self._sorted = (order, np.concatenate(([0], np.cumsum(sizes)[:-1])))
        order, starts = self._sorted
        return np.add.reduceat(v.astype(np.int64)[order], starts)


class _Totals:
    """Recipients and monthly fen per (county, programme), baseline and reform, summed
    with numpy chunk by chunk (a few thousand counties per chunk, however many
    households)."""

    def __init__(self) -> None:
        #: Per programme, the county codes and the four sums of each chunk not yet merged.
        self._parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}

    def add(self, counties: _Counties, pid: str, arrays: Sequence[np.ndarray]) -> None:
        """Add per-household *arrays* (baseline and reform recipients, baseline and reform
        fen), summed exactly by county."""
        if counties.codes.size == 0:
            return
        sums = np.stack([counties.sum(arr) for arr in arrays])
        parts = self._parts.setdefault(pid, [])
        parts.append((counties.codes, sums))
        if len(parts) >= 32:  # keep memory bounded by the number of counties
            parts[:] = [_merge(parts)]

    def rows(self) -> list[dict[str, Any]]:
        """One row per level (province, prefecture, county), region and programme, sorted
        by programme, level and region code."""
        from civilaffairs import regions

        names: dict[int, str] = {}

        def name(code: int) -> str:
            hit = names.get(code)
            if hit is None:
                text = f"{code:06d}"
                hit = names[code] = regions.get(text).full_name if regions.exists(text) else text
            return hit

        out: list[dict[str, Any]] = []
        for pid in sorted(self._parts):
            codes, sums = _merge(self._parts[pid])
            for level in LEVELS:
                unit = 10 ** (6 - _WIDTH[level])
                rolled, totals = _merge([(codes // unit * unit, sums)])
                for code, (br, rr, bm, rm) in zip(rolled.tolist(), totals.T.tolist(), strict=True):
                    out.append(
                        {
                            "level": level,
                            "region": f"{code:06d}",
                            "name": name(code),
                            "program": pid,
                            "baseline_recipients": br,
                            "reform_recipients": rr,
                            "baseline_monthly_fen": bm,
                            "reform_monthly_fen": rm,
                            "baseline_annual_fen": bm * 12,
                            "reform_annual_fen": rm * 12,
                        }
                    )
        return out


def _merge(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """County codes (ascending, distinct) and their sums (``4 × counties``) of *parts*."""
    codes = np.concatenate([c for c, _ in parts])
    sums = np.concatenate([s for _, s in parts], axis=1)
    order = np.argsort(codes, kind="stable")
    codes, sums = codes[order], sums[:, order]
    starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    return codes[starts], np.add.reduceat(sums, starts, axis=1)


@attrs.define
class SimulationResult:
    """What :func:`simulate` found (模拟测算结果)."""

    month: str
    reform: list[str]
    #: Programmes in the diff and the totals (those paid monthly).
    programs: list[str]
    #: Households in the input.
    households: int = 0
    #: Households assessed (baseline or reform); the others are bad rows.
    assessed: int = 0
    #: Bad rows, reported in the errors table of a bulk run.
    errors: int = 0
    #: Households re-evaluated under the reform.
    recomputed: int = 0
    #: Per programme, how many households gained, lost, became eligible or were dropped.
    changes: dict[str, dict[str, int]] = attrs.field(factory=dict)
    #: Totals by province, prefecture and county (see :func:`simulate`).
    totals: list[dict[str, Any]] = attrs.field(factory=list)
    #: The per-household diff, when kept in memory (``out`` not given).
    diff: pa.Table | None = None
    #: Files written, by role (``diff``, ``errors``, ``summary_json``, ``summary_txt``,
    #: ``chart`` (the PNG, else the SVG), ``chart_svg``, ``manifest``).
    files: dict[str, str] = attrs.field(factory=dict)

    def total(self, program: str, region: str) -> dict[str, Any]:
        """The totals row of *program* for *region* (a province, prefecture or county code).

        :raises KeyError: if the region has no assessed household.
        """
        for row in self.totals:
            if row["program"] == program and row["region"] == region:
                return row
        raise KeyError(f"no totals for {program} in {region}")

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data (without the diff table)."""
        return {
            a.name: _plain(getattr(self, a.name))
            for a in attrs.fields(SimulationResult)
            if a.name != "diff"
        }

    def table(self, program: str = "dibao", *, levels: Sequence[str] = LEVELS) -> str:
        """A readable table of *program*'s totals (yuan), baseline against reform.

        Provinces and prefectures are all listed; counties only where something changed.
        """
        head = (
            f"{'level':<10} {'region':<7} {'recipients':>21} {'monthly cost (yuan)':>33} "
            f"{'annual change (yuan)':>20}  name"
        )
        lines = [f"{program}, {self.month}; reform: {'; '.join(self.reform)}", head]
        for row in self.totals:
            if row["program"] != program or row["level"] not in levels:
                continue
            same = (row["baseline_recipients"], row["baseline_monthly_fen"]) == (
                row["reform_recipients"],
                row["reform_monthly_fen"],
            )
            if row["level"] == "county" and same:
                continue
            recipients = f"{row['baseline_recipients']:>9} -> {row['reform_recipients']:>9}"
            before, after = _yuan(row["baseline_monthly_fen"]), _yuan(row["reform_monthly_fen"])
            cost = f"{before:>15} -> {after:>15}"
            change = _yuan(row["reform_annual_fen"] - row["baseline_annual_fen"])
            lines.append(
                f"{row['level']:<10} {row['region']:<7} {recipients:>21} {cost:>33} "
                f"{change:>20}  {row['name']}"
            )
        return "\n".join(lines)


def _plain(value: Any) -> Any:
    """A copy of *value* (lists and dicts of JSON values) that shares nothing with it."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else _plain(v) for v in value]
    return value


def summary_json(data: dict[str, Any]) -> str:
    """*data* (:meth:`SimulationResult.to_dict`) as indented JSON text, each totals row
    on one line (tens of thousands of rows for a country: written by the C encoder)."""
    import json
    import uuid

    rows = data.get("totals", [])
    if not rows:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    mark = f"totals-{uuid.uuid4().hex}"  # stands for the rows while the rest is indented
    text = json.dumps({**data, "totals": mark}, ensure_ascii=False, indent=2)
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for every row
    body = ",\n".join("    " + encode(r) for r in rows)
    return text.replace(json.dumps(mark), "[\n" + body + "\n  ]", 1) + "\n"


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def _kinds(
    b_el: np.ndarray, b_amt: np.ndarray, r_el: np.ndarray, r_amt: np.ndarray
) -> list[np.ndarray]:
    return [
        b_el & r_el & (r_amt > b_amt),
        b_el & r_el & (r_amt < b_amt),
        ~b_el & r_el,
        b_el & ~r_el,
    ]


def simulate(
    baseline: Any,
    reform: Reform | Iterable[str] | str,
    on: Month | str,
    *,
    registry: Any = None,
    programs: Iterable[str] | None = None,
    out: str | Path | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    chart_program: str = "dibao",
    evaluate: Evaluator | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Simulate *reform* on the registry *baseline* for month *on*.

    :param baseline: a directory, a ``(households, persons)`` pair or a JSON Lines file
        (:func:`~civilaffairs.bulk.sources.open_source`).
    :param reform: a :class:`~civilaffairs.bulk.reform.Reform` or override strings such
        as ``"dibao.standard@110000=1500 from 2025-01"``.
    :param registry: the baseline registry (the installed plugins' by default); it is not
        changed.
    :param programs: programmes to evaluate (all registered ones by default).
    :param out: a directory for ``diff.parquet``, ``errors.parquet``, ``summary.json``,
        ``summary.txt``, ``manifest.json`` and the chart, moved into place together when
        the simulation completes; without it the diff is kept in
        :attr:`SimulationResult.diff` and no file is written.
    :param chart_program: the programme the chart and the text table show.
    :param evaluate: the columnar evaluator (default
        :func:`~civilaffairs.engine.batch.evaluate_frame`).
    """
    from civilaffairs.registry import get_registry

    month = Month.parse(on)
    reform = reform if isinstance(reform, Reform) else Reform.parse(reform)
    base_reg = registry if registry is not None else get_registry()
    reform_reg = reform.apply(base_reg, month)
    report = report_programs(base_reg, programs)
    monthly = [p for p in report if getattr(base_reg.programs[p], "period", "monthly") == "monthly"]
    run = evaluate or (lambda f, r, p: evaluate_frame(f, r, p))
    result = SimulationResult(str(month), [str(o.text or o.key) for o in reform.overrides], monthly)
    result.changes = {p: dict.fromkeys(CHANGE_KINDS, 0) for p in monthly}
    plan = _Plan(month, reform, base_reg, reform_reg, report, monthly, run, result, _Totals())
    diff_schema = _diff_schema(monthly)
    src = open_source(baseline, chunk_size=chunk_size)
    out_dir = Path(out) if out is not None else None
    if out_dir is None:
        diffs: list[pa.Table] = []
        _run(src, plan, progress, diffs.append, None)
        result.totals = plan.totals.rows()
        result.diff = pa.concat_tables(diffs) if diffs else diff_schema.empty_table()
        return result
    names = ("diff.parquet", "errors.parquet", "summary.json", "summary.txt", "manifest.json")
    check_outputs(src, [out_dir, *(out_dir / n for n in (*names, "chart.png", "chart.svg"))])
    with staged_directory(out_dir, ".simulate-") as stage:
        _write(stage, out_dir, src, plan, progress, diff_schema, chart_program)
    return result


@attrs.define
class _Plan:
    """What every chunk of one simulation is assessed with, and where its counts go."""

    month: Month
    reform: Reform
    base_reg: Any
    reform_reg: Any
    #: Programmes evaluated, and the monthly ones among them (compared and totalled).
    report: list[str]
    monthly: list[str]
    run: Evaluator
    result: SimulationResult
    totals: _Totals


def _run(
    src: Any,
    plan: _Plan,
    progress: Callable[[int], None] | None,
    diff: Callable[[pa.Table], Any],
    errors: Callable[[pa.Table], Any] | None,
) -> None:
    """Run the baseline and the reform over every chunk of *src* (read ahead and written
    behind: :class:`~civilaffairs.bulk.run.Pipeline`)."""
    duplicates = src.duplicates()

    def write(errs: pa.Table, table: pa.Table | None) -> None:
        if errors is not None and errs.num_rows:
            errors(errs)
        if table is not None and table.num_rows:
            diff(table)

    def written(_: None, rows: int) -> None:
        if progress is not None:
            progress(rows)

    with Pipeline() as pipe:
        for chunk, (frame, errs, rows) in pipe.read(
            src.chunks(), lambda c: _framed(c, plan.month, duplicates)
        ):
            result = plan.result
            result.households += chunk.num_rows
            result.errors += errs.num_rows
            result.assessed += frame.n
            table = None
            if frame.n:
                table = _chunk(frame, rows, plan)
            pipe.write(write, (errs, table), written, chunk.num_rows)
        pipe.finish()


def _write(
    stage: Path,
    out_dir: Path,
    src: Any,
    plan: _Plan,
    progress: Callable[[int], None] | None,
    diff_schema: pa.Schema,
    chart_program: str,
) -> None:
    """Run the simulation writing every file to *stage* (named as in *out_dir*)."""
    import pyarrow.parquet as pq

    inputs = _inputs(src)
    with (
        pq.ParquetWriter(
            stage / "diff.parquet", diff_schema, **parquet_options(diff_schema)
        ) as writer,
        pq.ParquetWriter(stage / "errors.parquet", ERRORS_SCHEMA) as err_writer,
    ):
        _run(
            src,
            plan,
            progress,
            lambda t: writer.write_table(mask_identifiers(t)),
            lambda t: err_writer.write_table(mask_identifiers(t)),
        )
    result, monthly = plan.result, plan.monthly
    result.totals = plan.totals.rows()
    result.files["diff"] = str(out_dir / "diff.parquet")
    result.files["errors"] = str(out_dir / "errors.parquet")
    from civilaffairs.bulk.chart import write_chart

    program = chart_program if chart_program in monthly else (monthly[0] if monthly else "")
    if program:
        result.files["chart"] = str(out_dir / Path(write_chart(result, program, stage)).name)
        result.files["chart_svg"] = str(out_dir / "chart.svg")
    result.files["summary_json"] = str(out_dir / "summary.json")
    result.files["summary_txt"] = str(out_dir / "summary.txt")
    result.files["manifest"] = str(out_dir / "manifest.json")
    (stage / "summary.json").write_text(summary_json(result.to_dict()), encoding="utf-8")
    text = [result.table(p) for p in monthly if any(result.changes[p].values())] or [
        result.table(program)
    ]
    (stage / "summary.txt").write_text("\n\n".join(text) + "\n", encoding="utf-8")
    write_json(
        stage / "manifest.json",
        manifest(
            command="simulate",
            month=result.month,
            programs=monthly,
            households=result.households,
            assessed=result.assessed,
            errors=result.errors,
            recomputed=result.recomputed,
            reform=result.reform,
            inputs=inputs,
            outputs={role: Path(path).name for role, path in result.files.items()},
            registry=plan.base_reg,
        ),
    )


def _diff_schema(programs: Sequence[str]) -> pa.Schema:
    fields = [
        pa.field("row", pa.int64(), nullable=False),
        pa.field("household_id", pa.string(), nullable=False),
        pa.field("region", pa.string(), nullable=False),
    ]
    for pid in programs:
        fields += [
            pa.field(f"{pid}_baseline_fen", pa.int64(), nullable=False),
            pa.field(f"{pid}_reform_fen", pa.int64(), nullable=False),
            pa.field(f"{pid}_change", pa.string()),
        ]
    return pa.schema(fields)


def _chunk(frame: Frame, rows: np.ndarray, plan: _Plan) -> pa.Table:
    result, monthly, totals = plan.result, plan.monthly, plan.totals
    base = plan.run(frame, plan.base_reg, plan.report)
    affected = plan.reform.affected_codes(frame.region_codes, plan.month)
    sub = subset_frame(frame, affected) if affected.any() else None
    new = plan.run(sub, plan.reform_reg, plan.report) if sub is not None else None
    result.recomputed += 0 if sub is None else sub.n
    counties = _Counties(frame.region_codes)
    changed = np.zeros(frame.n, dtype=bool)
    columns: dict[str, Any] = {}
    for pid in monthly:
        b_el = base.eligible[pid].copy()
        b_amt = np.where(b_el, base.amount[pid], 0).astype(np.int64)
        r_el = b_el.copy()
        r_amt = b_amt.copy()
        if new is not None:
            r_el[affected] = new.eligible[pid]
            r_amt[affected] = np.where(r_el[affected], new.amount[pid], 0)
        totals.add(counties, pid, (b_el, r_el, b_amt, r_amt))
        kinds = _kinds(b_el, b_amt, r_el, r_amt)
        label = np.full(frame.n, -1, dtype=np.int8)  # index into CHANGE_KINDS, -1 none
        for i, (name, mask) in enumerate(zip(CHANGE_KINDS, kinds, strict=True)):
            result.changes[pid][name] += int(mask.sum())
            label[mask] = i
        changed |= (b_el != r_el) | (b_amt != r_amt)
        columns[pid] = (b_amt, r_amt, label)
    sel = np.flatnonzero(changed)
    ids = frame.ids
    ids = pa.array(ids, pa.string()) if isinstance(ids, list) else pc.cast(ids, pa.string())
    data: dict[str, Any] = {
        "row": pa.array(rows[sel], pa.int64()),
        "household_id": ids.take(pa.array(sel)),
        "region": pc.cast(pa.array(frame.region_codes[sel], pa.int64()), pa.string()),
    }
    for pid, (b_amt, r_amt, label) in columns.items():
        data[f"{pid}_baseline_fen"] = pa.array(b_amt[sel], pa.int64())
        data[f"{pid}_reform_fen"] = pa.array(r_amt[sel], pa.int64())
        picked = label[sel]
        data[f"{pid}_change"] = _CHANGE_NAMES.take(pa.array(picked, mask=picked < 0))
    return pa.table(data, schema=_diff_schema(monthly))

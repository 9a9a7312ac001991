"""What-if simulation: overlays, diffs, totals, the chart, and recomputing only what can change."""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulk_support import bundled_registry
from civilaffairs.bulk.reform import Reform, ReformError
from civilaffairs.bulk.run import assess_table
from civilaffairs.bulk.simulate import simulate
from civilaffairs.engine.batch import evaluate_frame
from civilaffairs.synth import synth_tables

MONTH = "2024-08"


@pytest.fixture(scope="module")
def registry_tables() -> tuple[pa.Table, pa.Table]:
    return synth_tables(3000, seed=21, bad_fraction=0.02)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dibao.standard=1500", "write KEY@REGION=VALUE"),
        ("dibao.standard@999999=1500", "not a GB/T 2260 division code"),
        ("dibao.standard@110000=1500 from 2025-13", "bad date"),
        ("nothing.here@110000=1", "neither a standard key nor a programme's policy point"),
        ("dibao.standard@110000=abc", "dibao.standard@110000=abc"),
        ("dibao.rounding@110000=sideways", "rounding"),
    ],
)
def test_bad_overrides_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(ReformError, match=message):
        Reform.parse([text]).apply(bundled_registry(), MONTH)


def test_overlay_wins_from_its_date_and_leaves_the_registry_alone() -> None:
    reg = bundled_registry()
    before = [str(v.value) for v in reg.standards.values("dibao.standard")]
    reformed = Reform.parse(
        ["dibao.standard@110000=1200 from 2024-01", "dibao.rounding@310000/urban=up"]
    ).apply(reg, MONTH)
    assert [str(v.value) for v in reg.standards.values("dibao.standard")] == before
    # the plugin's 2024-07 value at 110000 is set aside: the reform wins from 2024-01 on
    assert (
        str(reformed.standards.resolve("dibao.standard", "110105", "2024-08-01", "urban").value)
        == "1200.00"
    )
    assert str(
        reformed.standards.resolve("dibao.standard", "110105", "2023-08-01", "urban").value
    ) == str(reg.standards.resolve("dibao.standard", "110105", "2023-08-01", "urban").value)
    assert reformed.policy("dibao", "rounding", "310101", MONTH, "urban").value == "up"
    assert reformed.policy("dibao", "rounding", "310101", MONTH, "rural").value == "none"
    assert reg.policy("dibao", "rounding", "310101", MONTH, "urban").value == "none"
    with pytest.raises(ReformError, match="set twice"):
        Reform.parse(["dibao.standard@110000=1", "dibao.standard@110000=2"]).apply(reg, MONTH)


def test_only_households_under_the_reform_are_recomputed(
    registry_tables: tuple[pa.Table, pa.Table],
) -> None:
    reg = bundled_registry()
    evaluated: list[tuple[int, set[str]]] = []

    def counting(frame: Any, registry: Any, programs: Any) -> Any:
        evaluated.append((frame.n, {r[:2] for r in frame.regions}))
        return evaluate_frame(frame, registry, programs)

    result = simulate(
        registry_tables,
        ["dibao.standard@310000=1500"],
        MONTH,
        registry=reg,
        evaluate=counting,
        chunk_size=1000,
    )
    _, errors = assess_table(registry_tables, MONTH, registry=reg)
    bad = {e["row"] for e in errors.to_pylist() if not e["reason"].startswith("no standard")}
    regions = registry_tables[0].column("region").to_pylist()
    shanghai = sum(1 for i, r in enumerate(regions) if r[:2] == "31" and i not in bad)
    assert result.recomputed == shanghai
    baseline_runs = evaluated[0::2]
    reform_runs = evaluated[1::2]
    no_standard = sum(1 for e in errors.to_pylist() if e["reason"].startswith("no standard"))
    assert sum(n for n, _ in baseline_runs) == result.assessed + no_standard
    assert sum(n for n, _ in reform_runs) == shanghai < result.assessed / 3
    assert all(regions == {"31"} for _, regions in reform_runs)
    later = simulate(
        registry_tables, ["dibao.standard@310000=1500 from 2025-01"], MONTH, registry=reg
    )
    assert later.recomputed == 0 and later.diff is not None and later.diff.num_rows == 0


def test_diff_and_totals_match_two_bulk_runs(
    registry_tables: tuple[pa.Table, pa.Table],
) -> None:
    reg = bundled_registry()
    texts = ["dibao.standard@110000=1600", "dibao.standard@330000=1100"]
    result = simulate(registry_tables, texts, MONTH, registry=reg, chunk_size=700)
    base, base_err = assess_table(registry_tables, MONTH, registry=reg)
    new, _new_err = assess_table(
        registry_tables, MONTH, registry=Reform.parse(texts).apply(reg, MONTH)
    )
    # errors: bad rows and households the baseline cannot assess, as in a bulk run
    assert result.households == 3000
    assert result.errors == base_err.num_rows
    assert result.assessed == base.num_rows
    b = {r["row"]: r for r in base.to_pylist()}
    n = {r["row"]: r for r in new.to_pylist()}
    diff = {r["row"]: r for r in result.diff.to_pylist()}
    kinds = dict.fromkeys(("gain", "loss", "newly_eligible", "dropped"), 0)
    for row in range(3000):
        old = b.get(row, {"dibao_eligible": False, "dibao_amount_fen": 0})
        now = n.get(row, {"dibao_eligible": False, "dibao_amount_fen": 0})
        before = old["dibao_amount_fen"] if old["dibao_eligible"] else 0
        after = now["dibao_amount_fen"] if now["dibao_eligible"] else 0
        if row in diff:
            assert (diff[row]["dibao_baseline_fen"], diff[row]["dibao_reform_fen"]) == (
                before,
                after,
            )
        kind = None
        if old["dibao_eligible"] and now["dibao_eligible"] and after != before:
            kind = "gain" if after > before else "loss"
        elif now["dibao_eligible"] != old["dibao_eligible"]:
            kind = "newly_eligible" if now["dibao_eligible"] else "dropped"
        if kind:
            kinds[kind] += 1
            assert diff[row]["dibao_change"] == kind
    assert result.changes["dibao"] == kinds
    assert kinds["newly_eligible"] > 0  # Hangzhou households gain a standard
    beijing = result.total("dibao", "110000")
    assert beijing["reform_monthly_fen"] == sum(
        r["dibao_amount_fen"] for r in new.to_pylist() if r["region"][:2] == "11"
    )
    assert beijing["baseline_annual_fen"] == 12 * beijing["baseline_monthly_fen"]
    for level in ("prefecture", "county"):
        parts = [
            t
            for t in result.totals
            if t["program"] == "dibao" and t["level"] == level and t["region"][:2] == "11"
        ]
        assert sum(t["reform_recipients"] for t in parts) == beijing["reform_recipients"]


@given(st.integers(0, 300_000))
def test_raising_a_standard_moves_no_one_out_of_dibao_but_into_tekun(extra_fen: int) -> None:
    tables = synth_tables(300, seed=extra_fen % 7)
    reg = bundled_registry()
    yuan = f"{(145_000 + extra_fen) // 100}.{(145_000 + extra_fen) % 100:02d}"
    result = simulate(tables, [f"dibao.standard@110000={yuan}"], MONTH, registry=reg)
    assert result.diff is not None
    for row in result.diff.to_pylist():
        if row["dibao_change"] == "dropped":  # now supported as tekun, which excludes dibao
            assert row["tekun_change"] == "newly_eligible"


def test_files_and_chart(
    tmp_path: Path, registry_tables: tuple[pa.Table, pa.Table], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib")
    reg = bundled_registry()
    result = simulate(
        registry_tables, ["dibao.standard@440300=1000"], MONTH, registry=reg, out=tmp_path / "png"
    )
    assert Path(result.files["chart"]).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads(Path(result.files["summary_json"]).read_text(encoding="utf-8"))
    assert summary["changes"]["dibao"] == result.changes["dibao"]
    assert "440300" in Path(result.files["summary_txt"]).read_text(encoding="utf-8")
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    svg = simulate(
        registry_tables, ["dibao.standard@440300=1000"], MONTH, registry=reg, out=tmp_path / "svg"
    )
    text = Path(svg.files["chart"]).read_text(encoding="utf-8")
    assert text.startswith("<svg") and "440000" in text and "reform" in text
    assert np.array_equal(
        pa.Table.from_pylist(svg.totals).column("reform_monthly_fen").to_numpy(),
        pa.Table.from_pylist(result.totals).column("reform_monthly_fen").to_numpy(),
    )


def test_the_chart_names_regions_the_month_and_the_reform(
    registry_tables: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SVG always (names in Chinese, reform and month in the title); regions with no
    recipient left out; PNG labels fall back to codes without a CJK font."""
    from civilaffairs.bulk import chart

    reg = bundled_registry()
    result = simulate(
        registry_tables, ["dibao.standard@440300=1000"], MONTH, registry=reg, out=tmp_path / "a"
    )
    svg = Path(result.files["chart_svg"]).read_text(encoding="utf-8")
    assert "dibao.standard@440300=1000" in svg and MONTH in svg
    level, rows = chart.chart_rows(result, "dibao")
    assert rows and all(r["baseline_recipients"] or r["reform_recipients"] for r in rows)
    assert all(r["name"] in svg for r in rows if r.get("name"))
    empty = [
        r
        for r in result.totals
        if r["program"] == "dibao"
        and r["level"] == level
        and not (r["baseline_recipients"] or r["reform_recipients"])
    ]
    assert all(f">{r['region']}<" not in svg for r in empty)
    assert chart._label(rows[0], names=False) == rows[0]["region"]
    assert chart._label(rows[0], names=True).endswith(rows[0]["region"])
    long = chart.chart_title(
        attrs.evolve(result, reform=["dibao.standard@110000=1500 from 2024-08"] * 5), "dibao", level
    )
    assert long.endswith("…") and len(long.splitlines()[1]) <= chart.MAX_TITLE_REFORM + 8

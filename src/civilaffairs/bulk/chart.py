"""The what-if chart (测算图): cost and recipients by region, baseline against reform.

With matplotlib installed (the ``chart`` extra) the chart is a PNG; without it, an SVG
drawn here, with the same two panels, so a simulation always yields a chart. Regions are
labelled by code (names are in the summary table), so no CJK font is needed.

The level shown is the finest of county, prefecture and province with at most
:data:`MAX_BARS` regions.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civilaffairs.bulk.simulate import SimulationResult

__all__ = ["MAX_BARS", "chart_rows", "write_chart"]

#: Most regions a chart shows side by side.
MAX_BARS = 20


def chart_rows(result: SimulationResult, program: str) -> tuple[str, list[dict[str, Any]]]:
    """The level shown and its totals rows for *program*."""
    rows: list[dict[str, Any]] = []
    level = "province"
    for level in ("county", "prefecture", "province"):
        rows = [r for r in result.totals if r["program"] == program and r["level"] == level]
        if len(rows) <= MAX_BARS:
            break
    return level, rows[:MAX_BARS]


def write_chart(result: SimulationResult, program: str, out_dir: Path) -> Path:
    """Write the chart of *program* to *out_dir*; return its path (PNG or SVG)."""
    level, rows = chart_rows(result, program)
    title = f"{program} {result.month}: baseline vs reform, by {level}"
    try:
        import matplotlib
    except ImportError:
        path = out_dir / "chart.svg"
        path.write_text(_svg(title, rows), encoding="utf-8")
        return path
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    labels = [r["region"] for r in rows]
    x = list(range(len(rows)))
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(max(6.0, 0.55 * len(rows) + 2), 6.5))
    for ax, key, unit, scale in (
        (ax1, "monthly_fen", "monthly cost (10k yuan)", 1_000_000),
        (ax2, "recipients", "recipient households", 1),
    ):
        base = [r[f"baseline_{key}"] / scale for r in rows]
        new = [r[f"reform_{key}"] / scale for r in rows]
        ax.bar([i - 0.2 for i in x], base, width=0.4, label="baseline", color="#8c8c8c")
        ax.bar([i + 0.2 for i in x], new, width=0.4, label="reform", color="#c0392b")
        ax.set_ylabel(unit)
        ax.set_xticks(x, labels, rotation=60, fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    ax1.legend()
    ax1.set_title(title)
    fig.tight_layout()
    path = out_dir / "chart.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _svg(title: str, rows: list[dict[str, Any]]) -> str:
    """Two grouped bar panels as SVG text."""
    width = max(480, 40 * len(rows) + 120)
    panel_h = 190
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{2 * panel_h + 70}" '
        'font-family="sans-serif" font-size="11">',
        f'<text x="10" y="18" font-size="13">{escape(title)}</text>',
        '<rect x="10" y="26" width="10" height="10" fill="#8c8c8c"/>'
        '<text x="24" y="35">baseline</text>'
        '<rect x="90" y="26" width="10" height="10" fill="#c0392b"/>'
        '<text x="104" y="35">reform</text>',
    ]
    for p, (key, unit) in enumerate(
        (("monthly_fen", "monthly cost (fen)"), ("recipients", "recipient households"))
    ):
        top = 50 + p * panel_h
        base_y = top + panel_h - 40
        peak = max([1] + [max(r[f"baseline_{key}"], r[f"reform_{key}"]) for r in rows])
        parts.append(f'<text x="10" y="{top + 10}">{escape(unit)}, max {peak}</text>')
        parts.append(f'<line x1="60" y1="{base_y}" x2="{width - 10}" y2="{base_y}" stroke="#333"/>')
        for i, r in enumerate(rows):
            x0 = 70 + 40 * i
            for j, (which, colour) in enumerate((("baseline", "#8c8c8c"), ("reform", "#c0392b"))):
                h = (panel_h - 60) * r[f"{which}_{key}"] / peak
                parts.append(
                    f'<rect x="{x0 + 15 * j}" y="{base_y - h:.1f}" width="14" height="{h:.1f}" '
                    f'fill="{colour}"><title>{escape(r["region"])} {which}: '
                    f"{r[f'{which}_{key}']}</title></rect>"
                )
            parts.append(
                f'<text x="{x0}" y="{base_y + 14}" font-size="9">{escape(r["region"])}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"

"""The what-if chart (测算图): cost and recipients by region, baseline against reform.

Every simulation writes ``chart.svg``, drawn here without any plotting library; with
matplotlib installed (the ``chart`` extra) it writes ``chart.png`` too, with the same two
panels. The title names the programme, the month and the reform.

Regions are labelled by name and code (``北京市 110000``). The SVG always carries the names
(a browser renders them with its own fonts); the PNG does where matplotlib finds a CJK font
(such as Debian's ``fonts-noto-cjk``), and falls back to codes alone otherwise, the names
being in the summary table. Regions where neither the baseline nor the reform has a
recipient are left out.

The level shown is the finest of county, prefecture and province with at most
:data:`MAX_BARS` regions.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civilaffairs.bulk.simulate import SimulationResult

__all__ = ["MAX_BARS", "MAX_TITLE_REFORM", "chart_rows", "chart_title", "write_chart"]

#: Most regions a chart shows side by side.
MAX_BARS = 20


#: The longest reform text shown in a title; longer ones are cut with "…".
MAX_TITLE_REFORM = 90


def chart_rows(result: SimulationResult, program: str) -> tuple[str, list[dict[str, Any]]]:
    """The level shown and its totals rows for *program* (regions with a recipient in the
    baseline or the reform)."""
    rows: list[dict[str, Any]] = []
    level = "province"
    for level in ("county", "prefecture", "province"):
        rows = [
            r
            for r in result.totals
            if r["program"] == program
            and r["level"] == level
            and (r["baseline_recipients"] or r["reform_recipients"])
        ]
        if len(rows) <= MAX_BARS:
            break
    return level, rows[:MAX_BARS]


def chart_title(result: SimulationResult, program: str, level: str) -> str:
    """Two lines: ``dibao 2024-08, baseline vs reform, by province`` and
    ``reform: dibao.standard@310000=1500 from 2024-08``."""
    reform = "; ".join(result.reform)
    if len(reform) > MAX_TITLE_REFORM:
        reform = reform[: MAX_TITLE_REFORM - 1] + "…"
    return f"{program} {result.month}, baseline vs reform, by {level}\nreform: {reform}"


def _label(row: dict[str, Any], names: bool) -> str:
    name = row.get("name") or ""
    return f"{name}\n{row['region']}" if names and name else str(row["region"])


#: Font files looked for when matplotlib's font list has no CJK font (its cache may predate
#: the font's installation): Debian's fonts-noto-cjk and fonts-wqy-zenhei.
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def _cjk_font() -> str | None:
    """The family name of a font matplotlib can draw Chinese with, if one is installed."""
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if "CJK" in entry.name or entry.name in ("WenQuanYi Zen Hei", "SimHei"):
            return str(entry.name)
    for path in CJK_FONT_FILES:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
            return str(font_manager.FontProperties(fname=path).get_name())
    return None


def write_chart(result: SimulationResult, program: str, out_dir: Path) -> Path:
    """Write the chart of *program* to *out_dir*: ``chart.svg`` always, ``chart.png`` too
    with matplotlib; return the PNG's path if written, else the SVG's."""
    level, rows = chart_rows(result, program)
    title = chart_title(result, program, level)
    svg = out_dir / "chart.svg"
    svg.write_text(_svg(title, rows), encoding="utf-8")
    try:
        import matplotlib
    except ImportError:
        return svg
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    font = _cjk_font()
    labels = [_label(r, font is not None) for r in rows]
    x = list(range(len(rows)))
    with plt.rc_context({"font.sans-serif": [font, "DejaVu Sans"]} if font else {}):
        fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(max(6.0, 0.6 * len(rows) + 2), 7.0))
        for ax, key, unit, scale in (
            (ax1, "monthly_fen", "monthly cost (10k yuan)", 1_000_000),
            (ax2, "recipients", "recipient households", 1),
        ):
            base = [r[f"baseline_{key}"] / scale for r in rows]
            new = [r[f"reform_{key}"] / scale for r in rows]
            ax.bar([i - 0.2 for i in x], base, width=0.4, label="baseline", color="#8c8c8c")
            ax.bar([i + 0.2 for i in x], new, width=0.4, label="reform", color="#c0392b")
            ax.set_ylabel(unit)
            ax.set_xticks(x, labels, rotation=60 if len(rows) > 8 else 0, fontsize=8)
            ax.grid(axis="y", alpha=0.3)
        ax1.legend()
        ax1.set_title(title, fontsize=10)
        fig.tight_layout()
        path = out_dir / "chart.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
    return path


def _svg(title: str, rows: list[dict[str, Any]]) -> str:
    """Two grouped bar panels as SVG text."""
    first, _, second = title.partition("\n")
    width = max(480, 40 * len(rows) + 120, 7 * max(len(first), len(second)) + 20)
    panel_h = 190
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{2 * panel_h + 70}" '
        'font-family="sans-serif" font-size="11">',
        f'<text x="10" y="18" font-size="13">{escape(first)}</text>',
        f'<text x="200" y="35" font-size="11">{escape(second)}</text>',
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
            if r.get("name"):
                parts.append(
                    f'<text x="{x0}" y="{base_y + 26}" font-size="9">{escape(r["name"])}</text>'
                )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"

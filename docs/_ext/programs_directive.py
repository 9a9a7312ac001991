"""``.. civilaffairs-program:: ID`` renders a programme's definition from the code.

Conditions and quantities, with the formulas rendered from the same expression trees the
evaluators run, standards and policy points come straight from
:data:`civilaffairs.programs.NATIONAL`, so the pages cannot drift from the rules.
Option ``:lang: zh|en`` (default zh).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or "—"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = [".. list-table::", "   :header-rows: 1", "   :widths: auto", ""]
    for i, row in enumerate([header, *rows]):
        for j, cell in enumerate(row):
            lead = "   * - " if j == 0 else "     - "
            out.append(lead + (f"``{cell}``" if (j == 0 and i > 0) else _cell(cell)))
    out.append("")
    return out


class ProgramDirective(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"lang": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from civilaffairs.programs import NATIONAL

        pid = self.arguments[0]
        if pid not in NATIONAL:
            raise self.error(f"unknown programme {pid!r}")
        prog = NATIONAL[pid]
        zh = self.options.get("lang", "zh") == "zh"
        lines: list[str] = []
        lines += [f"**{'法律依据' if zh else 'Legal basis'}:** {prog.basis}", ""]
        desc = prog.description_zh if zh else prog.description_en
        if desc:
            lines += [desc, ""]
        if prog.depends_on:
            lines += [
                f"**{'先评估' if zh else 'Evaluated after'}:** "
                + ", ".join(f"``{d}``" for d in prog.depends_on),
                "",
            ]
        from civilaffairs.engine.render import render

        version = prog.latest
        if len(prog.versions) > 1:
            lines += [
                f"**{'规则版本' if zh else 'Rule versions'}:** "
                + ", ".join(f"``{v.label}``" for v in prog.versions),
                "",
            ]
        lines += [f"**{'认定条件（全部满足才符合）' if zh else 'Conditions (all must hold)'}**", ""]
        lines += _table(
            [
                "id",
                "条件" if zh else "condition",
                "公式" if zh else "test",
                "依据" if zh else "basis",
            ],
            [
                [c.id, c.zh if zh else c.en, f"``{render(c.test)}``", c.basis]
                for c in version.conditions
            ],
        )
        lines += [f"**{'计算项与公式' if zh else 'Quantities and formulas'}**", ""]
        lines += _table(
            ["name", "含义" if zh else "meaning", "公式" if zh else "formula"],
            [[q.name, q.zh if zh else q.en, f"``{render(q.expr)}``"] for q in version.quantities],
        )
        std = list(prog.standard_keys)
        if std:
            lines += [
                f"**{'使用的标准' if zh else 'Standards read'}:** "
                + ", ".join(f"``{k}``" for k in std),
                "",
            ]
        if prog.policy_points:
            lines += [
                f"**{'政策参数（省级可覆盖）' if zh else 'Policy points (overridable)'}**",
                "",
            ]
            lines += _table(
                [
                    "point",
                    "含义" if zh else "meaning",
                    "默认" if zh else "default",
                    "依据" if zh else "basis",
                ],
                [
                    [pt.name, pt.zh if zh else pt.en, pt.describe(pt.default), pt.basis]
                    for pt in prog.policy_points.values()
                ],
            )
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=f"<program {pid}>"), 0, container)
        return container.children


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("civilaffairs-program", ProgramDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""``.. civilaffairs-standard-keys::`` renders the catalogue of standard keys from the code.

Every key of the registry's catalogue (``registry.keys``: the built-in
:data:`civilaffairs.standards.CATALOGUE`, then any key a loaded plugin declares) with its
names, unit, kind, basis and description, and the national baseline's values for it, so the
page cannot drift from the catalogue or the baseline data file.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def catalogue_rst() -> list[str]:
    """The reST source of the catalogue page body."""
    from civilaffairs.testing import isolated_registry

    national = isolated_registry()
    catalogue = national.keys
    out: list[str] = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: auto",
        "",
        "   * - key",
        "     - 中文",
        "     - unit",
        "     - national baseline",
    ]
    for key, spec in catalogue.items():
        values = national.standards.values(key)
        baseline = "; ".join(
            f"{v.format_value('en')} from {v.effective_from}"
            + (" (provisional)" if v.provisional else "")
            for v in values
        )
        out += [
            f"   * - :ref:`{key} <standard-key-{key}>`",
            f"     - {spec.zh}",
            f"     - {spec.unit.value} ({spec.unit.zh})",
            f"     - {baseline or '—'}",
        ]
    out.append("")
    for key, spec in catalogue.items():
        title = f"``{key}``"
        out += [f".. _standard-key-{key}:", "", title, "-" * (len(title) + 4), ""]
        out += [f"**{spec.zh}** · {spec.en}", ""]
        out.append(f":unit: {spec.unit.value} ({spec.unit.zh}), {spec.kind.value}")
        if spec.basis:
            out.append(f":basis: {_one_line(spec.basis)}")
        if spec.by_residence:
            out.append(":residence: urban and rural values commonly differ")
        if spec.relative_to:
            out.append(f":multiple of: ``{spec.relative_to}``")
        if key in national.key_plugins:
            out.append(f":declared by: plugin ``{national.key_plugins[key]}``")
        out += ["", _one_line(spec.description) or "—", ""]
        values = national.standards.values(key)
        if values:
            out += ["National baseline (全国基准):", ""]
            for v in values:
                flag = " **provisional** (暂定)" if v.provisional else ""
                out.append(
                    f"* {v.format_value('en')} from {v.effective_from}{flag}: "
                    f"{_one_line(str(v.source))}"
                )
            out.append("")
        else:
            out += ["No national baseline value: provinces register it.", ""]
    return out


class StandardKeysDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(
            self.state, StringList(catalogue_rst(), "<standard-keys>"), container
        )
        return container.children


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("civilaffairs-standard-keys", StandardKeysDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

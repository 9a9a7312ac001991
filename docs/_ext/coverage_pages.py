"""``.. civilaffairs-coverage:: 440000`` renders a province's coverage report from the code.

For each date of ``:on:`` (space-separated), the summary table of
:func:`civilaffairs.coverage.coverage` for the province, its gaps, and the provisional and
stale values in use, computed at build time from the installed plugins, so the page shows
what the plugins actually cover and cannot drift from them. ``:lang:`` is ``zh`` or ``en``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles


class CoverageDirective(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "on": directives.unchanged_required,
        "lang": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        from civilaffairs.coverage import coverage
        from civilaffairs.registry import get_registry

        registry = get_registry()
        lang = self.options.get("lang", "zh")
        lines: list[str] = []
        for on in self.options["on"].split():
            lines += coverage(registry, on=on, provinces=[self.arguments[0]]).to_rst(lang)
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, "<coverage>"), container)
        return container.children


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("civilaffairs-coverage", CoverageDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

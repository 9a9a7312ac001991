"""``.. civilaffairs-cli::`` renders the help of every ``civilaffairs`` command (and of each
command of a group such as ``civilaffairs records``).

The text comes from the click commands themselves, so the page cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

import click
from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class CliDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        from civilaffairs.cli import cli

        ctx = click.Context(cli, info_name="civilaffairs", terminal_width=88)
        out: list[nodes.Node] = []
        for name in cli.list_commands(ctx):
            command = cli.get_command(ctx, name)
            if command is None:  # pragma: no cover - every listed command resolves
                continue
            sub = click.Context(
                command, info_name=f"civilaffairs {name}", parent=None, terminal_width=88
            )
            section = nodes.section(ids=[f"cli-{name}"])
            section += nodes.title(text=f"civilaffairs {name}")
            section += nodes.literal_block(text=command.get_help(sub))
            # a group (``records``): each of its commands, with its own help
            if isinstance(command, click.Group):
                for child_name in command.list_commands(sub):
                    child = command.get_command(sub, child_name)
                    if child is None:  # pragma: no cover - every listed command resolves
                        continue
                    info = f"civilaffairs {name} {child_name}"
                    child_ctx = click.Context(child, info_name=info, terminal_width=88)
                    part = nodes.section(ids=[f"cli-{name}-{child_name}"])
                    part += nodes.title(text=info)
                    part += nodes.literal_block(text=child.get_help(child_ctx))
                    section += part
            out.append(section)
        return out


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("civilaffairs-cli", CliDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

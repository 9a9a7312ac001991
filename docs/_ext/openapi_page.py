"""``.. civilaffairs-openapi::`` renders the service's endpoints from its OpenAPI document.

The document is generated at build time from the application itself
(:func:`civilaffairs.service.app.build_app`), so the page cannot drift from the routes:
for each operation its method and path, summary, parameters, request body media types and
responses (status, meaning, media type, schema). The whole document is also written next
to the page as ``openapi.json``.

The extension also tells the nitpicky build to leave the web framework's own types
(FastAPI, Starlette, pydantic, httpx, anyio, uvicorn) unlinked, as ``conf.py`` does for
the other third-party libraries: there is no intersphinx inventory without network access.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

_THIRD_PARTY = r"(fastapi|starlette|pydantic|httpx|anyio|uvicorn)(\..*)?"
_NAMES = (
    r"(FastAPI|Request|Response|BaseModel|APIRouter|BaseTransport|Client|ASGIApp|Scope|"
    r"Receive|Send|Message|Settings|Registry|Lang|T)"
)


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or "—"


def _schema_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return "—"
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    return str(schema.get("type", "object"))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = [".. list-table::", "   :header-rows: 1", "   :widths: auto", ""]
    for row in [header, *rows]:
        for j, cell in enumerate(row):
            out.append(("   * - " if j == 0 else "     - ") + _cell(cell))
    out.append("")
    return out


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of the service, as the running service serves it."""
    from civilaffairs.service.app import build_app

    return build_app().openapi()


class OpenApiDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        document = openapi_document()
        out_dir = Path(self.env.app.outdir) / Path(self.env.docname).parent
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "openapi.json").write_text(
            json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        lines = [
            f"OpenAPI {document['openapi']} · {document['info']['title']} "
            f"{document['info']['version']}: the service serves this document at "
            "``/openapi.json`` (and it is `here <openapi.json>`__).",
            "",
        ]
        for path, item in document["paths"].items():
            for method, op in item.items():
                title = f"{method.upper()} {path}"
                lines += [title, "~" * len(title), "", _cell(op.get("summary", "")), ""]
                params = op.get("parameters", [])
                if params:
                    lines += _table(
                        ["parameter", "in", "required", "description"],
                        [
                            [
                                f"``{p['name']}``",
                                p["in"],
                                "yes" if p.get("required") else "no",
                                p.get("description", ""),
                            ]
                            for p in params
                        ],
                    )
                body = op.get("requestBody")
                if body:
                    media = [
                        f"``{m}`` ({_schema_name(c.get('schema'))})"
                        for m, c in body.get("content", {}).items()
                    ]
                    lines += [f"**Body:** {', '.join(media)}", ""]
                lines += _table(
                    ["status", "meaning", "media type", "schema"],
                    [
                        [
                            status,
                            response.get("description", ""),
                            ", ".join(f"``{m}``" for m in response.get("content", {})),
                            ", ".join(
                                sorted(
                                    {
                                        _schema_name(c.get("schema"))
                                        for c in response.get("content", {}).values()
                                    }
                                )
                            ),
                        ]
                        for status, response in op.get("responses", {}).items()
                    ],
                )
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="openapi"), container)
        return list(container.children)


def _ignore_framework_types(app: Any, config: Any) -> None:
    config.nitpick_ignore_regex = [
        *config.nitpick_ignore_regex,
        (r"py:.*", _THIRD_PARTY),
        (r"py:class", _NAMES),
    ]


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("civilaffairs-openapi", OpenApiDirective)
    app.connect("config-inited", _ignore_framework_types)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

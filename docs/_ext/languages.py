"""Two builds, one site: the Chinese build at the site root (``zh/`` pages, the Chinese API
reference and the landing page) and the English build of ``docs/en`` into ``en/`` (English
pages and the API reference with English labels, through ``docs/en/reference``, a link to
the same sources).

Roles ``:zh:`howto/x``` and ``:en:`howto/x``` (or ``:en:`title <howto/x>```) link to a page
of the Chinese or English tree, by its path inside that tree, from any page of either
build: inside the same build they are ordinary document references; across builds they
become relative links to the other build's HTML, with the page's title read from its
source. A target that does not exist is a warning, so ``-W`` fails on a broken language
link as on any other.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst.states import Inliner
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

_EXPLICIT = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")


def build_tree(config: Any) -> str:
    """The tree this build renders: ``en`` for the English build, else ``zh``."""
    return "en" if str(config.language or "").startswith("en") else "zh"


def _site_path(tree: str, docname: str) -> str:
    """Where *docname* of the build of *tree* lands in the merged site."""
    return f"en/{docname}" if tree == "en" else docname


def _title(source: Path) -> str:
    lines = source.read_text(encoding="utf-8").splitlines()
    for above, line in itertools.pairwise(lines):
        if above.strip() and _UNDERLINE.match(line) and not _UNDERLINE.match(above):
            return above.strip()
    return source.stem


def _role(lang: str) -> Any:
    def role(
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Inliner,
        options: dict[str, Any] | None = None,
        content: list[str] | None = None,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        env = inliner.document.settings.env
        match = _EXPLICIT.match(text)
        title, target = (match["title"], match["target"]) if match else (None, text)
        target = target.strip().strip("/")
        here = build_tree(env.config)
        source = Path(env.app.confdir) / lang / f"{target}.rst"
        if here == lang:
            docname = f"zh/{target}" if lang == "zh" else target
            node = addnodes.pending_xref(
                rawtext,
                nodes.inline(rawtext, title or target, classes=["xref", "std", "std-doc"]),
                refdomain="std",
                reftype="doc",
                reftarget="/" + docname,
                refexplicit=title is not None,
                refwarn=True,
                refdoc=env.docname,
            )
            return [node], []
        if not source.is_file():
            logger.warning(
                "%s page %r does not exist (%s)",
                lang,
                target,
                source,
                location=(env.docname, lineno),
            )
            return [nodes.inline(rawtext, title or target)], []
        here_path = _site_path(here, env.docname)
        there = f"{lang}/{target}.html"
        uri = posixpath.relpath(there, posixpath.dirname(here_path) or ".")
        ref = nodes.reference(rawtext, title or _title(source), refuri=uri, internal=False)
        return [ref], []

    return role


def _configure(app: Sphinx, config: Any) -> None:
    if build_tree(config) == "en":
        config.html_title = "civilaffairs · civil-affairs rules"
        config.html_search_language = "en"
    else:
        config.exclude_patterns = [*config.exclude_patterns, "en"]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_role("zh", _role("zh"))
    app.add_role("en", _role("en"))
    app.connect("config-inited", _configure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

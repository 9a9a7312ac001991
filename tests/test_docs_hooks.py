"""Every hook is documented in docs/reference/hookspecs.rst with its signature."""

from __future__ import annotations

import inspect
import itertools
import pathlib
import re

from civilaffairs import hookspecs

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "reference" / "hookspecs.rst"
HOOKS = {
    name: obj
    for name, obj in vars(hookspecs).items()
    if name.startswith("civilaffairs_") and inspect.isfunction(obj)
}


def documented() -> dict[str, list[str]]:
    """Section titles of the form ``name(arg, ...)`` followed by an underline."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    out: dict[str, list[str]] = {}
    for title, underline in itertools.pairwise(lines):
        m = re.fullmatch(r"(civilaffairs_\w+)\(([^)]*)\)", title.strip())
        if m and re.fullmatch(r"-{3,}", underline.strip()):
            out[m.group(1)] = [a.strip() for a in m.group(2).split(",") if a.strip()]
    return out


def test_every_hook_is_documented_with_its_signature() -> None:
    docs = documented()
    assert set(docs) == set(HOOKS), (
        f"undocumented: {sorted(set(HOOKS) - set(docs))}; "
        f"documented but not hooks: {sorted(set(docs) - set(HOOKS))}"
    )
    for name, func in HOOKS.items():
        assert docs[name] == list(inspect.signature(func).parameters), name


def test_every_hook_section_pulls_its_docstring_and_has_an_anchor() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in HOOKS:
        assert f".. autofunction:: civilaffairs.hookspecs.{name}" in text, name
        assert f".. _hook-{name}:" in text, name


def test_the_parser_notices_a_wrong_signature() -> None:
    assert documented()["civilaffairs_register_standards"] == ["register"]
    assert "civilaffairs_register_standards" in HOOKS

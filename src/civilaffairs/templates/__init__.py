"""Templates for ``civilaffairs new-plugin`` (插件模板).

:func:`render_plugin` writes a complete, installable provincial plugin: ``pyproject.toml``
with the ``civilaffairs`` entry point, a package with the registration hooks, a
``standards.toml`` with one example value marked provisional, and a test that uses the
:mod:`civilaffairs.testing` fixtures and passes once the plugin is installed.
"""

from __future__ import annotations

import pathlib
import re
import string
from importlib.resources import files
from importlib.resources.abc import Traversable

from civilaffairs._version import __version__
from civilaffairs.errors import CivilAffairsError

__all__ = ["render_plugin", "template_files"]

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$", re.ASCII)


def template_files() -> dict[str, Traversable]:
    """Template files by their path relative to the plugin folder (``PACKAGE`` unexpanded)."""
    root = files(__name__) / "plugin"
    out: dict[str, Traversable] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, rel + "/")
            else:
                out[rel] = child

    walk(root, "")
    return dict(sorted(out.items()))


def render_plugin(name: str, province: str, directory: pathlib.Path | str = ".") -> pathlib.Path:
    """Write the plugin ``civilaffairs-<name>`` for *province* under *directory*.

    :param name: short lower-case name, e.g. ``"anhui"``; also the entry-point name.
    :param province: the province-level code, e.g. ``"340000"``.
    :param directory: parent folder; the plugin's folder must not exist yet.
    :returns: the plugin's folder.
    :raises CivilAffairsError: for a bad name, a code that is not a province, or an
        existing folder.
    """
    from civilaffairs import regions

    if not _NAME_RE.match(name):
        raise CivilAffairsError(
            f"plugin name {name!r} must be 2-40 lower-case letters, digits or '_', "
            "starting with a letter (e.g. 'anhui')"
        )
    region = regions.get(province)
    if region.level is not regions.Level.PROVINCE:
        raise CivilAffairsError(
            f"{region} is not a province-level division; give e.g. 340000 (安徽省)"
        )
    target = pathlib.Path(directory) / f"civilaffairs-{name}"
    if target.exists():
        raise CivilAffairsError(f"{target} exists already; choose another --dir or name")
    package = f"civilaffairs_{name}"
    mapping = {
        "name": name,
        "package": package,
        "province": region.code,
        "province_name": region.name,
        "version": __version__,
    }
    for rel, source in template_files().items():
        out_rel = rel.replace("PACKAGE", package)
        if out_rel.endswith(".tmpl"):
            out_rel = out_rel[: -len(".tmpl")]
        text = string.Template(source.read_text(encoding="utf-8")).substitute(mapping)
        path = target / out_rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target

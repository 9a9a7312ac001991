"""Templates for ``civilaffairs new-plugin`` (插件模板).

:func:`render_plugin` writes a complete, installable provincial plugin: ``pyproject.toml``
with the ``civilaffairs`` entry point, a package with the registration hooks, a
``standards.toml`` with one example value marked provisional, and a test that uses the
:mod:`civilaffairs.testing` fixtures and passes once the plugin is installed.

With ``with_program=True`` the files of ``program/`` are laid over those of ``plugin/``:
the plugin also declares a standard key of its own (a ``[[key]]`` table) with a
placeholder value, registers a service module scoped to the province with one programme
written with :mod:`civilaffairs.rules` that reads it, and tests that programme through both
back ends.
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


def template_files(*, with_program: bool = False) -> dict[str, Traversable]:
    """Template files by their path relative to the plugin folder (``PACKAGE`` unexpanded).

    :param with_program: lay the files of the local-programme template over the plain ones.
    """
    out: dict[str, Traversable] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, rel + "/")
            else:
                out[rel] = child

    walk(files(__name__) / "plugin", "")
    if with_program:
        walk(files(__name__) / "program", "")
    return dict(sorted(out.items()))


def render_plugin(
    name: str,
    province: str,
    directory: pathlib.Path | str = ".",
    *,
    with_program: bool = False,
) -> pathlib.Path:
    """Write the plugin ``civilaffairs-<name>`` for *province* under *directory*.

    :param name: short lower-case name, e.g. ``"anhui"``; also the entry-point name.
    :param province: the province-level code, e.g. ``"340000"``.
    :param directory: parent folder; the plugin's folder must not exist yet.
    :param with_program: also write a local programme: the standard key
        ``<name>.elderly_meal`` with a placeholder value, the service module
        ``<name>.elderly_meals`` scoped to *province* and its programme
        ``<name>_elderly_meal``, with tests of both back ends.
    :returns: the plugin's folder.
    :raises CivilAffairsError: for a bad name (or one that cannot name the programme's key
        and module), a code that is not a province, or an existing folder.
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
    mapping = {
        "name": name,
        "package": f"civilaffairs_{name}",
        "province": region.code,
        "province_name": region.name,
        "version": __version__,
    }
    if with_program:
        mapping.update(_program_names(name, region.code))
    target = pathlib.Path(directory) / f"civilaffairs-{name}"
    if target.exists():
        raise CivilAffairsError(f"{target} exists already; choose another --dir or name")
    package = mapping["package"]
    for rel, source in template_files(with_program=with_program).items():
        out_rel = rel.replace("PACKAGE", package)
        if out_rel.endswith(".tmpl"):
            out_rel = out_rel[: -len(".tmpl")]
        text = string.Template(source.read_text(encoding="utf-8")).substitute(mapping)
        path = target / out_rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


def _program_names(name: str, province: str) -> dict[str, str]:
    """The names the local-programme template needs, each checked as civilaffairs will
    check it when the plugin loads, and counties to test with: one of *province* and one
    of another province."""
    from civilaffairs import regions
    from civilaffairs.programs.module import ServiceModule
    from civilaffairs.standards.catalogue import KeySpec, Unit, check_declared

    names = {
        "key": f"{name}.elderly_meal",
        "module": f"{name}.elderly_meals",
        "program": f"{name}_elderly_meal",
    }
    try:
        check_declared(
            KeySpec(
                names["key"], "高龄老人助餐补贴标准", "meal subsidy", Unit.YUAN_PER_MONTH, "", ""
            )
        )
        ServiceModule(names["module"], zh="老年助餐", en="Elderly meals", scope=(province,))
    except CivilAffairsError as exc:
        raise CivilAffairsError(
            f"plugin name {name!r} cannot name the local programme: {exc.message}; "
            "choose another name (e.g. the province's pinyin)"
        ) from None
    counties = regions.counties_under(province)
    if not counties:
        raise CivilAffairsError(
            f"{regions.get(province)} has no counties in the GB/T 2260 table, so a local "
            "programme's households cannot be placed there; create the plugin without "
            "--with-program"
        )
    other = "310000" if province == "110000" else "110000"
    return {
        **names,
        "county": counties[0].code,
        "other_county": regions.counties_under(other)[0].code,
        "other_province_name": regions.get(other).name,
    }

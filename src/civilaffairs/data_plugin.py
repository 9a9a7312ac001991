"""Plugins whose whole content is a data file (数据文件插件).

Most provincial plugins only hand one data file to the host: its ``[[key]]`` tables (keys
of the plugin's own) and ``[[standard]]`` tables to the standards registry, and its
``[[policy]]`` tables to the policy registry.
:func:`data_file_hooks` writes those two hook implementations, so such a plugin is::

    from civilaffairs.data_plugin import data_file_hooks

    civilaffairs_register_standards, civilaffairs_register_policies = data_file_hooks(__name__)

The hooks are ordinary ``civilaffairs.hookimpl`` functions; pluggy finds them by the names
they are bound to in the plugin module.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

from civilaffairs.hookspecs import hookimpl

if TYPE_CHECKING:
    from civilaffairs.policies import PolicyRegistrar
    from civilaffairs.standards import StandardsRegistrar

__all__ = ["data_file_hooks"]


def data_file_hooks(
    package: str, filename: str = "standards.toml"
) -> tuple[Callable[[StandardsRegistrar], None], Callable[[PolicyRegistrar], None]]:
    """The ``civilaffairs_register_standards`` and ``civilaffairs_register_policies`` hook
    implementations that load *filename* from inside *package*.

    :param package: the plugin's package name, usually ``__name__`` of its ``__init__``.
    :param filename: the data file beside the package's modules (TOML or CSV).
    :returns: ``(register_standards, register_policies)``; bind them to the hook names in
        the plugin module.
    """
    data: Traversable = files(package) / filename

    @hookimpl
    def civilaffairs_register_standards(register: StandardsRegistrar) -> None:
        register.load(data)

    @hookimpl
    def civilaffairs_register_policies(register: PolicyRegistrar) -> None:
        register.load(data)

    where = f"{package}/{filename}"
    civilaffairs_register_standards.__doc__ = f"Register the standards of {where}."
    civilaffairs_register_policies.__doc__ = f"Register the policy overrides of {where}."
    civilaffairs_register_standards.__module__ = package
    civilaffairs_register_policies.__module__ = package
    return civilaffairs_register_standards, civilaffairs_register_policies

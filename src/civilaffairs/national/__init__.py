"""The national baseline (全国基准), a built-in plugin.

It registers the core service module ``social_assistance`` (社会救助) with the national
programmes (:data:`civilaffairs.programs.NATIONAL`) and the other core modules of
:mod:`civilaffairs.modules`, and the national (region ``"000000"``) standard values of the
package data file ``standards.toml`` and of the modules' data files. Its hooks run
``trylast``; a province's values win anyway, because resolution prefers the most specific
region, not the order of registration.

Only what a national text supports is registered as confirmed; library defaults taken from
provincial practice are provisional, with a note saying so. There is deliberately no
national value for ``temporary.max_multiple`` or ``temporary.max_multiple_special``: no
national multiple exists, so a province that has not registered one gets a
:class:`~civilaffairs.errors.MissingStandard` rather than a made-up figure.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from civilaffairs.hookspecs import hookimpl

if TYPE_CHECKING:
    from civilaffairs.registry import ModuleRegistrar
    from civilaffairs.standards import StandardsRegistrar

__all__ = ["DATA_FILE", "civilaffairs_register_modules", "civilaffairs_register_standards"]

#: The national baseline's data file, inside this package.
DATA_FILE = files(__name__) / "standards.toml"


@hookimpl(trylast=True)
def civilaffairs_register_standards(register: StandardsRegistrar) -> None:
    """Register the national baseline values of ``standards.toml`` and of the core service
    modules' data files (:func:`civilaffairs.modules.core_data_files`)."""
    from civilaffairs.modules import core_data_files

    register.load(DATA_FILE)
    for data in core_data_files():
        register.load(data)


@hookimpl(trylast=True)
def civilaffairs_register_modules(register: ModuleRegistrar) -> None:
    """Register the core module ``social_assistance`` with the national programmes (dibao,
    tekun, marginal, ...), then the other core modules (:mod:`civilaffairs.modules`)."""
    from civilaffairs.modules import core_modules
    from civilaffairs.programs import SOCIAL_ASSISTANCE

    register.add(SOCIAL_ASSISTANCE)
    for module in core_modules():
        register.add(module)

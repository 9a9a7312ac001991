"""Service modules beyond social assistance (社会救助以外的服务模块), registered by the
built-in core.

Each submodule of this package (``civilaffairs.modules.marriage``, ...) defines one
:class:`~civilaffairs.programs.module.ServiceModule` as its ``MODULE``: its checks
(:class:`~civilaffairs.checks.Check`), the standard keys it declares and the domain types
it reads. A data file of the same name beside it (``marriage.toml``) holds the module's
national values, each with its source, in the format of the provincial data files; the core
registers it with the national baseline. Provinces override those values, or set the ones
left to them, in their own plugins.

The modules are found by listing this package, in name order, so adding one needs no
change anywhere else.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib.resources import files
from importlib.resources.abc import Traversable

from civilaffairs.programs.module import ServiceModule

__all__ = ["core_data_files", "core_modules"]


def _names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def core_modules() -> list[ServiceModule]:
    """The service modules of this package, in name order."""
    out = []
    for name in _names():
        module = importlib.import_module(f"{__name__}.{name}")
        found = getattr(module, "MODULE", None)
        if not isinstance(found, ServiceModule):
            raise TypeError(f"{module.__name__} defines no ServiceModule MODULE")
        out.append(found)
    return out


def core_data_files() -> list[Traversable]:
    """The modules' national data files (``<name>.toml`` beside ``<name>.py``)."""
    here = files(__name__)
    return [here / f"{n}.toml" for n in _names() if (here / f"{n}.toml").is_file()]

"""A module imported on first use (延迟导入), so one household never pays for numpy or pyarrow.

The column-wise evaluator, the compiled standard tables and the Arrow helpers of the service
modules need numpy and pyarrow; assessing one household needs neither, and importing them
costs a fresh process tens of milliseconds. A module that holds both kinds of code writes::

    from typing import TYPE_CHECKING

    from civilaffairs._lazy import lazy_module

    if TYPE_CHECKING:
        import numpy as np
    else:
        np = lazy_module("numpy")

Type checkers see the real module; at run time ``np`` is a stand-in that imports numpy the
first time one of its attributes is read, then copies the module's names onto itself so that
later reads are ordinary attribute reads. Until then the module is not in :data:`sys.modules`.

>>> import sys
>>> json = lazy_module("json")
>>> json.dumps([1])
'[1]'
>>> json.loads is sys.modules["json"].loads
True
"""

from __future__ import annotations

import importlib
import types
from typing import Any

__all__ = ["lazy_module"]


class _LazyModule(types.ModuleType):
    """A stand-in for the module *name*, imported when an attribute is first read."""

    def __getattr__(self, attr: str) -> Any:
        # Only called for names not yet copied: the first read, or a name the module lacks.
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)  # copy, pickle and doctest probes do not import
        module = importlib.import_module(self.__name__)
        for name, value in vars(module).items():
            if not (name.startswith("__") and name.endswith("__")):
                self.__dict__.setdefault(name, value)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self.__name__!r}>"


def lazy_module(name: str) -> Any:
    """Return a stand-in for the module *name* that imports it on first attribute access.

    :param name: the absolute module name, e.g. ``"numpy"`` or ``"pyarrow.compute"``.
    """
    return _LazyModule(name)

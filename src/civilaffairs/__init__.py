"""civilaffairs: exact, explained decisions for China's civil-affairs (民政) work.

The top level re-exports the names most programs need; each lives in its own module and
is imported on first use, so ``import civilaffairs`` stays cheap.

To assess one household, call ``civilaffairs.assess(household, month, programs=None, *,
registry=None)``, the public name of :func:`civilaffairs.engine.single.assess`: it returns
an :class:`~civilaffairs.decision.Assessment` with one explained
:class:`~civilaffairs.decision.Decision` per programme, using the national baseline and
every installed plugin unless *registry* is given::

    import pathlib
    import civilaffairs
    from civilaffairs.convert import load_json
    from civilaffairs.domain import Household

    home = load_json(pathlib.Path("examples/households/beijing-3.json"), Household)
    dibao = civilaffairs.assess(home, "2024-08", ["dibao"])["dibao"]

>>> import civilaffairs
>>> civilaffairs.Money.parse("1450") * 3
Money('4350.00')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from civilaffairs._version import __version__

if TYPE_CHECKING:
    from civilaffairs.decision import Assessment, Decision
    from civilaffairs.domain import Household, Institution, Person
    from civilaffairs.engine.single import assess
    from civilaffairs.errors import (
        CivilAffairsError,
        InvalidIdentifier,
        InvalidMoney,
        InvalidPeriod,
        MalformedInput,
        MissingStandard,
        PluginError,
        StandardConflict,
        UnknownRegion,
        ValidationError,
    )
    from civilaffairs.hookspecs import hookimpl
    from civilaffairs.ids import CreditCode, ResidentId, Sex
    from civilaffairs.money import Money, Rounding
    from civilaffairs.periods import EffectiveRange, Month
    from civilaffairs.registry import get_registry

# name -> module that defines it; resolved lazily by __getattr__ below.
_LAZY: dict[str, str] = {
    "assess": "civilaffairs.engine.single",
    "Assessment": "civilaffairs.decision",
    "Decision": "civilaffairs.decision",
    "Household": "civilaffairs.domain",
    "Institution": "civilaffairs.domain",
    "Person": "civilaffairs.domain",
    "CivilAffairsError": "civilaffairs.errors",
    "InvalidIdentifier": "civilaffairs.errors",
    "InvalidMoney": "civilaffairs.errors",
    "InvalidPeriod": "civilaffairs.errors",
    "MalformedInput": "civilaffairs.errors",
    "MissingStandard": "civilaffairs.errors",
    "PluginError": "civilaffairs.errors",
    "StandardConflict": "civilaffairs.errors",
    "UnknownRegion": "civilaffairs.errors",
    "ValidationError": "civilaffairs.errors",
    "hookimpl": "civilaffairs.hookspecs",
    "get_registry": "civilaffairs.registry",
    "CreditCode": "civilaffairs.ids",
    "ResidentId": "civilaffairs.ids",
    "Sex": "civilaffairs.ids",
    "Money": "civilaffairs.money",
    "Rounding": "civilaffairs.money",
    "EffectiveRange": "civilaffairs.periods",
    "Month": "civilaffairs.periods",
}

# Listed literally so that type checkers treat these lazy names as exported.
__all__ = [
    "Assessment",
    "CivilAffairsError",
    "CreditCode",
    "Decision",
    "EffectiveRange",
    "Household",
    "Institution",
    "InvalidIdentifier",
    "InvalidMoney",
    "InvalidPeriod",
    "MalformedInput",
    "MissingStandard",
    "Money",
    "Month",
    "Person",
    "PluginError",
    "ResidentId",
    "Rounding",
    "Sex",
    "StandardConflict",
    "UnknownRegion",
    "ValidationError",
    "__version__",
    "assess",
    "get_registry",
    "hookimpl",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'civilaffairs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if set(__all__) != {"__version__", *_LAZY}:  # pragma: no cover - caught by the test suite
    raise ImportError("civilaffairs.__all__ and the lazy exports disagree")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

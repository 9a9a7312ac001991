"""Policy points (政策参数): what a province may override in a programme.

A policy point has a name, Chinese and English labels, a national default and a
validator. Every value a point can take is *array-able*, so the columnar engine can hold
one value per household: booleans, whole numbers (``None`` becomes ``-1``), ratios (held
in units of 1/10000), choices (held as their index) and sets of income kinds (held as one
boolean per kind).

They implement the ``civilaffairs.policies.PolicyPointSpec`` protocol.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from civilaffairs.errors import PolicyError

__all__ = [
    "RATIO_SCALE",
    "BoolPoint",
    "ChoicePoint",
    "IntPoint",
    "KindSetPoint",
    "PolicyPoint",
    "RatioPoint",
    "ratio_to_units",
]

#: Ratios are held as whole numbers of 1/10000 (万分之一) in computations.
RATIO_SCALE = 10_000


def ratio_to_units(value: object, *, what: str = "ratio") -> int:
    """Parse a ratio (``"1.3"``, ``Decimal("1.5")``, ``2``) into 1/10000 units; no floats."""
    if isinstance(value, (bool, float)):
        raise PolicyError(f"{what} must be a decimal string or integer, got {value!r}")
    try:
        d = Decimal(value) if isinstance(value, (int, str, Decimal)) else None
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite():
        raise PolicyError(f"{what} {value!r} is not a decimal number")
    units = d * RATIO_SCALE
    if units != units.to_integral_value():
        raise PolicyError(f"{what} {value!r} has more than 4 decimals")
    if units < 0:
        raise PolicyError(f"{what} {value!r} must not be negative")
    return int(units)


@attrs.frozen
class PolicyPoint:
    """Base of all policy points."""

    name: str
    zh: str
    en: str
    default: Any
    basis: str = ""

    def validate(self, value: object) -> object:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_number(self, value: Any) -> int:
        """The array form of a validated value (one int per household)."""
        raise NotImplementedError  # pragma: no cover

    def describe(self, value: Any) -> str:
        """A short display of a validated value."""
        return str(value)


@attrs.frozen
class BoolPoint(PolicyPoint):
    """A yes/no policy point."""

    def validate(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise PolicyError(f"policy point {self.name!r} takes true or false, got {value!r}")
        return value

    def to_number(self, value: Any) -> int:
        return int(bool(value))

    def describe(self, value: Any) -> str:
        return "yes" if value else "no"


@attrs.frozen
class IntPoint(PolicyPoint):
    """A whole number, or ``None`` (held as ``-1``) meaning "no such test"."""

    minimum: int = 0
    nullable: bool = True

    def validate(self, value: object) -> int | None:
        if value is None and self.nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise PolicyError(
                f"policy point {self.name!r} takes a whole number >= {self.minimum}"
                + (" or null" if self.nullable else "")
                + f", got {value!r}"
            )
        return value

    def to_number(self, value: Any) -> int:
        return -1 if value is None else int(value)

    def describe(self, value: Any) -> str:
        return "none" if value is None else str(value)


@attrs.frozen
class RatioPoint(PolicyPoint):
    """A non-negative decimal ratio with at most 4 decimals, held in 1/10000 units."""

    def validate(self, value: object) -> Decimal:
        ratio_to_units(value, what=f"policy point {self.name!r}")
        return Decimal(str(value)) if not isinstance(value, Decimal) else value

    def to_number(self, value: Any) -> int:
        return ratio_to_units(value)


@attrs.frozen
class ChoicePoint(PolicyPoint):
    """One of a fixed list of string choices, held as its index."""

    choices: tuple[str, ...] = ()

    def validate(self, value: object) -> str:
        if hasattr(value, "value") and isinstance(value.value, str):
            value = value.value
        if not isinstance(value, str) or value not in self.choices:
            raise PolicyError(
                f"policy point {self.name!r} takes one of {', '.join(self.choices)}, got {value!r}"
            )
        return value

    def to_number(self, value: Any) -> int:
        return self.choices.index(value)


@attrs.frozen
class KindSetPoint(PolicyPoint):
    """A set of names from a fixed universe (e.g. income kinds excluded from a means test)."""

    universe: tuple[str, ...] = ()

    def validate(self, value: object) -> frozenset[str]:
        if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
            raise PolicyError(f"policy point {self.name!r} takes a list, got {value!r}")
        out = set()
        for item in value:
            name = getattr(item, "value", item)
            if not isinstance(name, str) or name not in self.universe:
                raise PolicyError(
                    f"policy point {self.name!r}: unknown item {item!r} "
                    f"(known: {', '.join(self.universe)})"
                )
            out.add(name)
        return frozenset(out)

    def to_number(self, value: Any) -> int:
        bits = 0
        for name in value:
            bits |= 1 << self.universe.index(name)
        return bits

    def describe(self, value: Any) -> str:
        return ", ".join(sorted(value, key=self.universe.index)) or "none"

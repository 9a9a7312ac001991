"""Dated, region-scoped, cited standards (地方标准).

A *standard* is a figure set by a government body for a region and a period: a dibao
standard in yuan a month, a multiple such as 1.5 × dibao for marginal households, an
allowance. Plugins register them
(:class:`~civilaffairs.standards.registrar.StandardsRegistrar`), usually from a data file
(:mod:`civilaffairs.standards.datafile`); the
:class:`~civilaffairs.standards.table.StandardsTable` resolves them county → prefecture →
province → national, by date; its ``compile`` method turns one key into lookup arrays for
bulk work. Every name below is importable from ``civilaffairs.standards`` itself.

* :mod:`~civilaffairs.standards.catalogue`: the built-in keys, their units and legal basis,
  and the rules for keys plugins declare;
* :mod:`~civilaffairs.standards.values`: ``Source`` and ``StandardValue``;
* :mod:`~civilaffairs.standards.table`: ``StandardsTable`` and the resolution rule;
* :mod:`~civilaffairs.standards.compiled`:
  :class:`~civilaffairs.standards.compiled.CompiledStandard` (imports numpy, so it is
  loaded only when used);
* :mod:`~civilaffairs.standards.datafile`: the TOML and CSV data-file format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from civilaffairs.standards.catalogue import (
    CATALOGUE,
    KeySpec,
    Kind,
    Unit,
    check_declared,
    get_key,
    key_differences,
)
from civilaffairs.standards.datafile import DataFile, read_data_file
from civilaffairs.standards.registrar import StandardsRegistrar
from civilaffairs.standards.table import StandardsTable
from civilaffairs.standards.values import (
    RATIO_SCALE,
    ResidenceScope,
    Source,
    StandardValue,
    parse_residence,
    parse_standard_value,
)

if TYPE_CHECKING:
    from civilaffairs.standards.compiled import CompiledStandard

__all__ = [
    "CATALOGUE",
    "RATIO_SCALE",
    "CompiledStandard",
    "DataFile",
    "KeySpec",
    "Kind",
    "ResidenceScope",
    "Source",
    "StandardValue",
    "StandardsRegistrar",
    "StandardsTable",
    "Unit",
    "check_declared",
    "get_key",
    "key_differences",
    "parse_residence",
    "parse_standard_value",
    "read_data_file",
]


def __getattr__(name: str) -> Any:
    if name == "CompiledStandard":
        from civilaffairs.standards.compiled import CompiledStandard

        return CompiledStandard
    raise AttributeError(f"module 'civilaffairs.standards' has no attribute {name!r}")

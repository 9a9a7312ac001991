"""Service modules (服务模块): the unit a province or the core registers and others import.

A :class:`ServiceModule` bundles what one area of civil-affairs work needs: its programmes
(and audit checks), the standard keys it declares, the domain types it defines, zh/en titles
and the regions it serves. The national social-assistance programmes are the first core
module (:data:`civilaffairs.programs.SOCIAL_ASSISTANCE`); a provincial plugin registers its
own modules through ``civilaffairs_register_modules``.

A module's programmes are assessed only for households whose region lies inside the
module's :attr:`~ServiceModule.scope`: a Hefei meal subsidy never appears in a Beijing
household's decisions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.errors import ProgramError

if TYPE_CHECKING:
    from civilaffairs.programs.base import Program
    from civilaffairs.standards.catalogue import KeySpec

__all__ = ["ServiceModule", "in_scope"]

_MODULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_REGION = re.compile(r"^[0-9]{6}$")


def in_scope(region: str, scope: tuple[str, ...]) -> bool:
    """Whether county *region* lies inside *scope* (empty scope: the whole country).

    A scope entry is a GB/T 2260 code of a province (``340000``), a prefecture
    (``340100``) or a county (``340102``); ``000000`` is the whole country.

    >>> in_scope("340102", ("340000",)), in_scope("110105", ("340000",))
    (True, False)
    >>> in_scope("340102", ("340100",)), in_scope("340202", ("340100",))
    (True, False)
    >>> in_scope("110105", ())
    True
    """
    if not scope:
        return True
    for code in scope:
        if code == "000000" or code == region:
            return True
        if code.endswith("0000") and region[:2] == code[:2]:
            return True
        if code.endswith("00") and not code.endswith("0000") and region[:4] == code[:4]:
            return True
    return False


def _scope(value: Any) -> tuple[str, ...]:
    codes = tuple(value)
    for code in codes:
        if not isinstance(code, str) or not _REGION.match(code):
            raise ProgramError(f"scope entry {code!r} is not a 6-digit GB/T 2260 code", path="scope")
    return codes


@attrs.frozen
class ServiceModule:
    """A service module (服务模块).

    :param id: dotted lowercase identifier, e.g. ``"social_assistance"`` or
        ``"anhui.elderly_meals"``.
    :param zh: Chinese title.
    :param en: English title.
    :param scope: GB/T 2260 codes of the regions it serves; empty for the whole country.
    :param programs: its programmes (:class:`~civilaffairs.programs.base.Program`).
    :param keys: the standard keys it declares
        (:class:`~civilaffairs.standards.catalogue.KeySpec`).
    :param checks: audit checks (callables with an ``id``).
    :param types: the domain types it defines, for systems that import it.
    :param description_zh: what it is for, in Chinese.
    :param description_en: what it is for, in English.
    """

    id: str = attrs.field()
    zh: str
    en: str
    scope: tuple[str, ...] = attrs.field(default=(), converter=_scope)
    programs: tuple[Program, ...] = attrs.field(default=(), converter=tuple)
    keys: tuple[KeySpec, ...] = attrs.field(default=(), converter=tuple)
    checks: tuple[Callable[..., Any], ...] = attrs.field(default=(), converter=tuple)
    types: tuple[type, ...] = attrs.field(default=(), converter=tuple)
    description_zh: str = ""
    description_en: str = ""

    @id.validator
    def _check_id(self, attribute: object, value: str) -> None:
        if not isinstance(value, str) or not _MODULE_ID.match(value):
            raise ProgramError(
                f"module id {value!r} must be lowercase words joined by '.' or '_'", path="id"
            )

    def __attrs_post_init__(self) -> None:
        from civilaffairs.programs.base import Program

        seen: set[str] = set()
        for i, program in enumerate(self.programs):
            if not isinstance(program, Program):
                raise ProgramError(
                    f"{program!r} is not a civilaffairs Program (build one with "
                    "civilaffairs.rules.Program)",
                    path=f"{self.id}.programs[{i}]",
                )
            if program.id in seen:
                raise ProgramError(
                    f"programme {program.id!r} appears twice", path=f"{self.id}.programs[{i}]"
                )
            seen.add(program.id)

    @property
    def program_ids(self) -> tuple[str, ...]:
        """The ids of its programmes, in order."""
        return tuple(p.id for p in self.programs)

    def covers(self, region: str) -> bool:
        """Whether the module serves households of county *region*."""
        return in_scope(region, self.scope)

    def policy_points(self) -> Mapping[str, Mapping[str, Any]]:
        """Policy points by programme id."""
        return {p.id: p.policy_points for p in self.programs}

"""Service modules (服务模块): the unit a province or the core registers and others import.

A :class:`ServiceModule` bundles what one area of civil-affairs work needs: its programmes
(and audit checks), the standard keys it declares, the domain types it defines, zh/en titles
and the regions it serves. The national social-assistance programmes are the first core
module, ``social_assistance`` (社会救助), registered by the national baseline
(:mod:`civilaffairs.national`); a provincial plugin registers its own modules through
``civilaffairs_register_modules``.

A module's programmes are assessed only for households whose region lies inside the
module's ``scope``: a Hefei meal subsidy never appears in a Beijing
household's decisions.

The checks the registry runs on programmes once every plugin has registered live here too:
:func:`program_standard_keys`, :func:`check_program_keys` and :func:`program_graph_problems`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.errors import CivilAffairsError, ProgramError
from civilaffairs.standards.catalogue import check_declared

if TYPE_CHECKING:
    from civilaffairs.programs.base import Program
    from civilaffairs.standards.catalogue import KeySpec

__all__ = [
    "GraphProblem",
    "ServiceModule",
    "check_program_keys",
    "in_scope",
    "program_graph_problems",
    "program_standard_keys",
]

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
            raise ProgramError(
                f"scope entry {code!r} is not a 6-digit GB/T 2260 code", path="scope"
            )
    return codes


def _programs(value: Iterable[Program]) -> tuple[Program, ...]:
    return tuple(value)


def _keys(value: Iterable[KeySpec]) -> tuple[KeySpec, ...]:
    return tuple(value)


def _checks(value: Iterable[Callable[..., Any]]) -> tuple[Callable[..., Any], ...]:
    return tuple(value)


def _types(value: Iterable[type]) -> tuple[type, ...]:
    return tuple(value)


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
    programs: tuple[Program, ...] = attrs.field(default=(), converter=_programs)
    keys: tuple[KeySpec, ...] = attrs.field(default=(), converter=_keys)
    checks: tuple[Callable[..., Any], ...] = attrs.field(default=(), converter=_checks)
    types: tuple[type, ...] = attrs.field(default=(), converter=_types)
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
        declared: set[str] = set()
        for i, spec in enumerate(self.keys):
            try:
                check_declared(spec)
            except CivilAffairsError as exc:
                raise ProgramError(exc.message, path=f"{self.id}.keys[{i}]") from None
            if spec.key in declared:
                raise ProgramError(f"key {spec.key!r} appears twice", path=f"{self.id}.keys[{i}]")
            declared.add(spec.key)
        ids: set[str] = set()
        for i, check in enumerate(self.checks):
            cid = getattr(check, "id", None)
            if not isinstance(cid, str) or not cid.strip():
                raise ProgramError(
                    f"audit check {check!r} has no valid 'id' (text)", path=f"{self.id}.checks[{i}]"
                )
            if not callable(check):
                raise ProgramError(
                    f"audit check {cid!r} is not callable", path=f"{self.id}.checks[{i}]"
                )
            if cid in ids:
                raise ProgramError(
                    f"audit check {cid!r} appears twice", path=f"{self.id}.checks[{i}]"
                )
            ids.add(cid)

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


def program_standard_keys(program: Program) -> tuple[str, ...]:
    """Every standard key *program* reads: its ``standard_keys``, or for a programme
    defined before that attribute existed, its ``standards`` and ``optional_standards``."""
    keys = getattr(program, "standard_keys", None)
    if keys is None:
        keys = (*getattr(program, "standards", ()), *getattr(program, "optional_standards", ()))
    return tuple(dict.fromkeys(keys))


def check_program_keys(program: Program, keys: Mapping[str, KeySpec]) -> list[str]:
    """The problems of *program*'s standard keys against the catalogue *keys* (built-in and
    declared): the programme's own ``check_keys(keys)`` if it has one, else one problem
    per key it reads that is not in the catalogue. Empty if all is well."""
    check = getattr(program, "check_keys", None)
    if callable(check):
        return [str(p) for p in check(keys)]
    problems: list[str] = []
    for key in program_standard_keys(program):
        if key not in keys:
            close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                f"programme {program.id!r} reads standard key {key!r}, which is neither built "
                f"in nor declared by any plugin{hint}"
            )
    return problems


@attrs.frozen
class GraphProblem:
    """A problem of the programme dependency graph: a missing programme or a cycle.

    :param programs: the programmes involved (for a cycle, in order).
    :param message: what is wrong, naming them.
    """

    programs: tuple[str, ...]
    message: str


def program_graph_problems(programs: Mapping[str, Program]) -> list[GraphProblem]:
    """Programmes that read ``eligible(...)`` of a programme not in *programs*, and cycles of
    ``depends_on`` across *programs*, each cycle reported once.

    >>> class P:
    ...     def __init__(self, id, *deps):
    ...         self.id, self.depends_on = id, deps
    >>> [p.message for p in program_graph_problems({"a": P("a", "b"), "b": P("b", "a")})]
    ["programmes depend on each other in a cycle: 'a' -> 'b' -> 'a'"]
    >>> [p.message for p in program_graph_problems({"a": P("a", "zz")})]
    ["programme 'a' reads eligible('zz') but no programme 'zz' is registered"]
    """
    problems: list[GraphProblem] = []
    for pid, program in programs.items():
        for dep in _deps(program):
            if dep not in programs:
                problems.append(
                    GraphProblem(
                        (pid,),
                        f"programme {pid!r} reads eligible({dep!r}) but no programme {dep!r} "
                        "is registered",
                    )
                )
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []
    seen_cycles: set[frozenset[str]] = set()

    def visit(pid: str) -> None:
        state[pid] = 1
        path.append(pid)
        for dep in _deps(programs[pid]):
            if dep not in programs:
                continue
            if state.get(dep) == 1:
                cycle = (*path[path.index(dep) :], dep)
                members = frozenset(cycle)
                if members not in seen_cycles:
                    seen_cycles.add(members)
                    shown = " -> ".join(repr(p) for p in cycle)
                    problems.append(
                        GraphProblem(
                            cycle[:-1], f"programmes depend on each other in a cycle: {shown}"
                        )
                    )
            elif dep not in state:
                visit(dep)
        path.pop()
        state[pid] = 2

    for pid in programs:
        if pid not in state:
            visit(pid)
    return problems


def _deps(program: object) -> Iterable[str]:
    deps = getattr(program, "depends_on", ())
    return tuple(deps) if isinstance(deps, (tuple, list)) else ()

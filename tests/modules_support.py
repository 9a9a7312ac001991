"""Small programmes and plugins for the service-module and key-catalogue tests.

:func:`make_program` builds a real :class:`~civilaffairs.programs.base.Program` that reads
the given money keys and requires eligibility for the given programmes. It uses the
``Rules`` builder where it exists and the decorator-style ``Program`` otherwise, so these
tests do not depend on how a programme is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from civilaffairs import hookimpl
from civilaffairs.programs.module import ServiceModule
from civilaffairs.programs.points import PolicyPoint

SOURCE = {"issuer": "安徽省民政厅", "title": "测试用通知"}


def make_program(
    pid: str,
    *,
    money_keys: Iterable[str] = (),
    requires: Iterable[str] = (),
    points: Iterable[PolicyPoint] = (),
) -> Any:
    """A programme *pid* paying the sum of *money_keys*, for households eligible for every
    programme of *requires*."""
    from civilaffairs.programs import base

    money_keys, requires = tuple(money_keys), tuple(requires)
    title = {"zh": f"测试项目{pid}", "en": f"test programme {pid}", "area": "test"}
    basis = base.Basis("测试办法", "第一条")
    if hasattr(base, "Rules"):
        from civilaffairs.engine import expr

        r = base.Rules(pid, basis=basis, **title)
        for point in points:
            r.point(point)
        amount = expr.money("0")
        for i, key in enumerate(money_keys):
            amount = amount + r.quantity(f"k{i}", expr.standard(key, kind="money"), zh=key, en=key)
        for dep in requires:
            r.condition(f"needs_{dep}", expr.eligible(dep), zh=f"享受{dep}", en=f"in {dep}")
        r.amount(amount)
        return r.build()
    program = base.Program(pid, basis=basis, standards=money_keys, **title)
    for point in points:
        program.point(point)

    def amount_rule(q: Any, p: Any, ops: Any) -> Any:
        return 0

    amount_rule.__name__ = "amount"
    program.amount(formula="0")(amount_rule)
    program.requires(*requires)
    return program


class ModulePlugin:
    """A plugin registering *modules* (and, optionally, standards through *standards*)."""

    def __init__(self, *modules: object, standards: Any = None) -> None:
        self.modules = modules
        self._standards = standards

    @hookimpl
    def civilaffairs_register_modules(self, register: Any) -> None:
        for module in self.modules:
            register.add(module)

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        if self._standards is not None:
            self._standards(register)


def module(
    mid: str, *programs: Any, scope: tuple[str, ...] = ("340000",), keys: tuple[Any, ...] = ()
) -> ServiceModule:
    """A service module *mid* of *programs*, scoped to Anhui by default."""
    return ServiceModule(
        mid, zh=f"模块{mid}", en=f"module {mid}", scope=scope, programs=programs, keys=keys
    )

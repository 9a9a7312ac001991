"""Hook specifications: what a civilaffairs plugin can implement (插件钩子).

A plugin is a module (or any object) with functions marked
:data:`~civilaffairs.hookspecs.hookimpl` whose names are among the hooks below. It is found
through the ``civilaffairs`` entry-point group::

    [project.entry-points.civilaffairs]
    anhui = "civilaffairs_anhui"

Each registration hook receives a *registrar* bound to the calling plugin, so everything
the plugin registers records its name. Registrars validate at once and raise at the
plugin's own line; the host turns any exception into a
:class:`~civilaffairs.errors.PluginError` naming the plugin and keeps loading the others
(or stops, in strict mode). A plugin whose hooks fail contributes nothing: it is never half
loaded.

Hooks are called once per plugin, in pluggy's order (the national baseline last), hook by
hook: every plugin's modules first, then standards, policies, audit checks and audit matchers.

>>> from civilaffairs import hookimpl
>>> @hookimpl
... def civilaffairs_register_standards(register):
...     register.add("minimum_wage", "340000", "2023-01-01", "2060",
...                  source={"issuer": "安徽省人民政府", "title": "最低工资标准通知"})
"""

from __future__ import annotations

import pluggy

from civilaffairs.policies import PolicyRegistrar
from civilaffairs.registry import AuditRegistrar, MatcherRegistrar, ModuleRegistrar
from civilaffairs.standards.registrar import StandardsRegistrar

__all__ = [
    "PROJECT_NAME",
    "civilaffairs_register_audit_checks",
    "civilaffairs_register_audit_matchers",
    "civilaffairs_register_modules",
    "civilaffairs_register_policies",
    "civilaffairs_register_standards",
    "hookimpl",
    "hookspec",
]

#: The pluggy project name; also the entry-point group plugins are found in.
PROJECT_NAME = "civilaffairs"

# Marks a hook specification (used in this module only).
hookspec = pluggy.HookspecMarker(PROJECT_NAME)

# Marks a plugin's hook implementation: ``@civilaffairs.hookimpl``. Accepts pluggy's
# options, e.g. ``@hookimpl(trylast=True)``.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def civilaffairs_register_modules(register: ModuleRegistrar) -> None:
    """Register service modules (登记服务模块): programmes, their standard keys and audit
    checks, with zh/en titles and the regions they serve.

    :param register: the plugin's :class:`~civilaffairs.registry.ModuleRegistrar`;
        ``register.add(module)`` takes a
        :class:`~civilaffairs.programs.module.ServiceModule` and refuses anything else.

    A plugin's module needs a scope (the provinces, prefectures or counties it serves);
    only the core registers modules for the whole country. Modules are registered before
    everything else, so every plugin's standard values can use the keys they declare and
    every plugin's policy overrides can refer to their programmes. A module or programme
    id registered by two plugins, a key declared with different meanings, a programme
    reading a key nobody declares or ``eligible(...)`` of a programme nobody registers,
    and programmes depending on each other in a cycle are errors naming the plugins.

    .. versionadded:: 0.2
    """


@hookspec
def civilaffairs_register_standards(register: StandardsRegistrar) -> None:
    """Register dated, cited standard values (登记地方标准).

    Call ``register.load(path)`` for a data file in the plugin package (the usual way) or
    ``register.add(...)`` for single values. Every value needs a source with an issuer;
    a value that cannot be cited is registered ``provisional=True`` with a note. A key of
    the plugin's own is declared by a ``[[key]]`` table of the data file,
    ``register.declare(spec)`` or a service module's ``keys``.

    :param register: the plugin's
        :class:`~civilaffairs.standards.registrar.StandardsRegistrar`.

    Values are checked against every plugin's declared keys once all have registered: a
    value of an undeclared key fails the plugin, and so does a value for a region outside
    the provinces the plugin declares it governs, or a national one (only the core
    registers those), unless the deployer allows it. The registry keeps its own checked
    copy of each value, stamped with the plugin's name from the plugin manager
    (``register.plugin`` is read-only).

    A value of the same key, region and effective date as a value of another plugin, with
    an overlapping residence, is a :class:`~civilaffairs.errors.StandardConflict`: both
    values are disabled (a lookup that would use one raises the conflict), the rest of
    both plugins loads, and the conflict is listed in ``Registry.warnings``; in strict
    mode it is raised.

    .. versionadded:: 0.1
    """


@hookspec
def civilaffairs_register_policies(register: PolicyRegistrar) -> None:
    """Register regional overrides of programmes' policy points (登记地方政策参数).

    Policy points are what a programme lets a province change: income kinds excluded,
    asset limits, multiples, bands, rounding, local supplements. Each override is scoped to
    a region, a residence and a date range. Call ``register.load(path)`` for the
    ``[[policy]]`` tables of the plugin's data file, or ``register.add(...)``.

    :param register: the plugin's :class:`~civilaffairs.policies.PolicyRegistrar`.

    Values are checked by the programme's policy point after all plugins have registered;
    an unknown programme or point, a refused value, or a region outside the provinces the
    plugin governs is an error naming the plugin. Two plugins overriding one point for the
    same region and date with overlapping residences is a
    :class:`~civilaffairs.errors.PolicyConflict`, handled like a standards conflict.

    .. versionadded:: 0.1
    """


@hookspec
def civilaffairs_register_audit_checks(register: AuditRegistrar) -> None:
    """Register integrity audit checks (登记审计规则).

    :param register: the plugin's :class:`~civilaffairs.registry.AuditRegistrar`;
        ``register.add(check)`` takes any callable object with an ``id``.

    A check id registered by two plugins is an error naming both.

    .. versionadded:: 0.1
    """


@hookspec
def civilaffairs_register_audit_matchers(register: MatcherRegistrar) -> None:
    """Register matchers against external registers (登记外部数据比对): vehicles,
    businesses, property, civil registration.

    :param register: the plugin's :class:`~civilaffairs.registry.MatcherRegistrar`;
        ``register.add(matcher)`` takes any callable object with an ``id``.

    A matcher is called by :func:`civilaffairs.audit.audit_caseload` with the caseload
    (:data:`civilaffairs.audit.CASELOAD_SCHEMA`) and returns a table of matches
    (:data:`civilaffairs.audit.MATCHES_SCHEMA`: ``person_key``, ``kind`` such as
    ``vehicle`` or ``business``, ``detail``); the audit check ``audit.asset_match``
    reports each against the asset rules of the case's region. A matcher that raises or
    returns a malformed table makes the audit fail naming it. A matcher id registered by
    two plugins is an error naming both.

    .. versionadded:: 0.3
    """

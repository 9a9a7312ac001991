"""Calling the registration hooks: what each plugin registers, staged per plugin.

Each hook is called once per plugin with a registrar bound to that plugin, in the order of
:data:`REGISTRATION_HOOKS`. A plugin whose hook raises or returns a value, or that loads a
data file in one hook but not in the other it needs, gets an error and contributes nothing;
its later hooks are still called, so that every problem of its data is reported at once,
unless one ran longer than the plugin time limit (then it is called no more).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from civilaffairs._timelimit import PLUGIN_TIMEOUT, call_with_limit
from civilaffairs.errors import CivilAffairsError, PluginError
from civilaffairs.policies import PolicyRegistrar
from civilaffairs.registry._registrars import AuditRegistrar, MatcherRegistrar, ModuleRegistrar
from civilaffairs.standards.catalogue import KeySpec
from civilaffairs.standards.registrar import StandardsRegistrar

if TYPE_CHECKING:
    import pluggy

#: Registration hooks in the order they are called.
REGISTRATION_HOOKS = (
    "civilaffairs_register_modules",
    "civilaffairs_register_standards",
    "civilaffairs_register_policies",
    "civilaffairs_register_audit_checks",
    "civilaffairs_register_audit_matchers",
)


@attrs.define
class _Contribution:
    """What one plugin registered, staged until it is checked against the others."""

    name: str
    standards: StandardsRegistrar
    policies: PolicyRegistrar
    modules: ModuleRegistrar
    audits: AuditRegistrar
    matchers: MatcherRegistrar
    hooks: list[str] = attrs.field(factory=list)
    errors: list[PluginError] = attrs.field(factory=list)
    #: The built-in core (may register national values).
    core: bool = False
    #: The province codes it declares it governs; ``None`` if it declares none.
    provinces: tuple[str, ...] | None = None
    #: The deployer lets it register outside its provinces.
    allow_foreign: bool = False
    #: The deployer's own code (handed over without provinces): every province.
    unscoped: bool = False
    #: Its hooks are called no more (one ran out of time): later hooks are not tried.
    stopped: bool = False

    @classmethod
    def new(
        cls,
        name: str,
        *,
        core: bool = False,
        provinces: tuple[str, ...] | None = None,
        allow_foreign: bool = False,
        unscoped: bool = False,
    ) -> _Contribution:
        return cls(
            name,
            StandardsRegistrar(name),
            PolicyRegistrar(name),
            ModuleRegistrar(name, core=core),
            AuditRegistrar(name),
            MatcherRegistrar(name),
            core=core,
            provinces=provinces,
            allow_foreign=allow_foreign,
            unscoped=unscoped,
        )

    def module_keys(self) -> list[KeySpec]:
        """The keys its modules declare, in order."""
        return [k for m in self.modules.modules.values() for k in m.keys]

    def declared_keys(self) -> list[KeySpec]:
        """Every key it declares: its modules' keys, then its data files' and
        ``register.declare``'s."""
        return [*self.module_keys(), *self.standards.declared.values()]

    def registrar(self, hook: str) -> object:
        return {
            "civilaffairs_register_modules": self.modules,
            "civilaffairs_register_standards": self.standards,
            "civilaffairs_register_policies": self.policies,
            "civilaffairs_register_audit_checks": self.audits,
            "civilaffairs_register_audit_matchers": self.matchers,
        }[hook]

    def fail(self, message: str, cause: BaseException | None = None) -> None:
        error = PluginError(self.name, message)
        error.__cause__ = cause
        self.errors.append(error)


def _describe_exception(exc: BaseException) -> str:
    if isinstance(exc, PluginError):
        return exc.message
    if isinstance(exc, CivilAffairsError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _call_hooks(pm: pluggy.PluginManager, contribs: Mapping[str, _Contribution]) -> None:
    plugins = dict(pm.list_name_plugin())
    for hook in REGISTRATION_HOOKS:
        if hook == "civilaffairs_register_standards":
            # Every plugin's values may use the keys every module declared (a clash between
            # two declarations is reported when the contributions are assembled).
            module_keys: dict[str, KeySpec] = {}
            for c in contribs.values():
                if not c.errors:
                    for spec in c.module_keys():
                        module_keys.setdefault(spec.key, spec)
            for c in contribs.values():
                c.standards = StandardsRegistrar(c.name, keys=module_keys)
        caller = getattr(pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            contrib = contribs.get(impl.plugin_name)
            # A plugin that failed in an earlier hook is still called, so that every problem
            # of its data is reported in one pass; what it registers is not used.
            if contrib is None or contrib.stopped:
                continue
            contrib.hooks.append(hook)
            others = [p for n, p in plugins.items() if n != impl.plugin_name]
            call = functools.partial(
                pm.subset_hook_caller(hook, remove_plugins=others),
                register=contrib.registrar(hook),
            )
            try:
                results: list[object] = call_with_limit(
                    call, getattr(pm, "timeout", PLUGIN_TIMEOUT), hook
                )
            except KeyboardInterrupt:
                raise
            except TimeoutError as exc:
                contrib.stopped = True
                contrib.fail(
                    f"{hook}: {exc}; it is skipped (raise the limit with "
                    "CIVILAFFAIRS_PLUGIN_TIMEOUT)",
                    exc,
                )
                continue
            except BaseException as exc:  # SystemExit from a plugin is its own failure
                contrib.fail(f"{hook}: {_describe_exception(exc)}", exc)
                continue
            if any(r is not None for r in results):
                contrib.fail(
                    f"{hook} returned a value; registration hooks return nothing and call "
                    "register.add(...) or register.load(...) instead"
                )
    for contrib in contribs.values():
        if not contrib.errors:
            _check_files(contrib)


def _check_files(contrib: _Contribution) -> None:
    std_files = contrib.standards.loaded_files
    pol_files = contrib.policies.loaded_files
    for ident, (name, _, n_policies) in std_files.items():
        if n_policies and ident not in pol_files:
            contrib.fail(
                f"{name} has {n_policies} [[policy]] table(s) but the plugin does not load it "
                "in civilaffairs_register_policies (call register.load on it there too)"
            )
    for ident, (name, n_standards, _) in pol_files.items():
        if n_standards and ident not in std_files:
            contrib.fail(
                f"{name} has {n_standards} [[standard]] table(s) but the plugin does not load "
                "it in civilaffairs_register_standards (call register.load on it there too)"
            )

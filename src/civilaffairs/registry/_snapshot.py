"""The frozen registry (登记表) and the record of each plugin in it (插件信息)."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from civilaffairs.errors import PluginError, PolicyError, StandardConflict, UnknownProgram
from civilaffairs.policies import PolicyTable, ResolvedPolicy
from civilaffairs.standards.catalogue import CATALOGUE, KeySpec
from civilaffairs.standards.table import StandardsTable
from civilaffairs.standards.values import ResidenceScope, StandardValue

if TYPE_CHECKING:
    import datetime as _dt

    from civilaffairs.periods import Month
    from civilaffairs.programs.module import ServiceModule

__all__ = ["COUNTS", "PluginRecord", "Registry"]

#: What :attr:`PluginRecord.counts` counts, in order.
COUNTS = ("modules", "keys", "standards", "policies", "programs", "audit_checks")


@attrs.frozen
class PluginRecord:
    """What one plugin is and what it registered (插件信息).

    :param name: plugin name (the entry-point name; ``"national"`` for the baseline).
    :param version: version of the distribution that provides it, if known.
    :param module: the module (or ``module:object``) the plugin was loaded from.
    :param distribution: name of the installed distribution, if any.
    :param builtin: part of civilaffairs itself.
    :param status: ``"loaded"``, ``"failed"`` or ``"blocked"``.
    :param provinces: the province codes the plugin declares it governs (``None``: none
        declared; the core governs the whole country).
    :param counts: how many modules, keys (declared), standards, policies, programs and
        audit_checks it registered.
    :param hooks: the hooks it implements.
    """

    name: str
    version: str | None
    module: str
    distribution: str | None = None
    builtin: bool = False
    status: str = "loaded"
    counts: Mapping[str, int] = attrs.field(
        factory=lambda: types.MappingProxyType(dict.fromkeys(COUNTS, 0))
    )
    hooks: tuple[str, ...] = ()
    provinces: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "name": self.name,
            "version": self.version,
            "module": self.module,
            "distribution": self.distribution,
            "builtin": self.builtin,
            "status": self.status,
            "counts": dict(self.counts),
            "hooks": list(self.hooks),
            "provinces": None if self.provinces is None else list(self.provinces),
        }


@attrs.frozen
class Registry:
    """A frozen snapshot of everything the plugins registered (登记表).

    :param standards: the :class:`~civilaffairs.standards.table.StandardsTable` (read-only).
    :param policies: the :class:`~civilaffairs.policies.PolicyTable` (read-only), values
        already parsed by the programmes' policy points.
    :param programs: programmes (:class:`~civilaffairs.programs.base.Program`) by id, in
        registration order.
    :param audit_checks: audit checks by id (the audit-check hook's and the modules').
    :param plugins: one :class:`PluginRecord` per plugin, loaded, failed or blocked.
    :param errors: every :class:`~civilaffairs.errors.PluginError`.
    :param program_plugins: which plugin registered each programme.
    :param audit_check_plugins: which plugin registered each audit check.
    :param keys: the catalogue of standard keys: the built-in ones
        (:data:`~civilaffairs.standards.catalogue.CATALOGUE`), then those plugins declared.
    :param key_plugins: which plugin declared each key that is not built in.
    :param modules: service modules by id.
    :param module_plugins: which plugin registered each module.
    :param program_module: the module of each programme, by programme id.
    :param audit_matchers: external-data matchers by id
        (``civilaffairs_register_audit_matchers``).
    :param audit_matcher_plugins: which plugin registered each matcher.
    :param warnings: what loaded but needs a reader's attention: each
        :class:`~civilaffairs.errors.StandardConflict` or
        :class:`~civilaffairs.errors.PolicyConflict` between two plugins. The conflicting
        values are disabled (a lookup that would use one raises the conflict), the rest of
        both plugins loads; with ``strict`` a conflict is raised instead.
    """

    standards: StandardsTable
    policies: PolicyTable
    programs: Mapping[str, object]
    audit_checks: Mapping[str, object]
    plugins: tuple[PluginRecord, ...]
    errors: tuple[PluginError, ...]
    program_plugins: Mapping[str, str] = attrs.field(factory=dict)
    audit_check_plugins: Mapping[str, str] = attrs.field(factory=dict)
    keys: Mapping[str, KeySpec] = attrs.field(factory=lambda: CATALOGUE)
    key_plugins: Mapping[str, str] = attrs.field(factory=dict)
    modules: Mapping[str, ServiceModule] = attrs.field(factory=dict)
    module_plugins: Mapping[str, str] = attrs.field(factory=dict)
    program_module: Mapping[str, str] = attrs.field(factory=dict)
    warnings: tuple[StandardConflict, ...] = ()
    audit_matchers: Mapping[str, object] = attrs.field(factory=dict)
    audit_matcher_plugins: Mapping[str, str] = attrs.field(factory=dict)

    def programs_for(self, region: str) -> tuple[str, ...]:
        """The ids of the programmes whose module serves county *region*, in registration
        order (a Hefei module's programmes for ``"340102"``, not for ``"110105"``).

        :raises UnknownRegion: for an unknown region code.
        """
        from civilaffairs import regions
        from civilaffairs.programs.module import in_scope

        code = regions.get(region).code
        return tuple(pid for pid in self.programs if in_scope(code, self.program_scope(pid)))

    def program_scope(self, program: str) -> tuple[str, ...]:
        """The scope of *program*'s module: GB/T 2260 codes, empty for the whole country.

        :raises UnknownProgram: if no plugin registered *program*.
        """
        if program not in self.programs:
            raise UnknownProgram.named(program, known=self.programs)
        module = self.modules.get(self.program_module.get(program, ""))
        return module.scope if module is not None else ()

    def key(self, key: str) -> KeySpec:
        """The :class:`~civilaffairs.standards.catalogue.KeySpec` of *key*, built in or
        declared.

        :raises UnknownStandardKey: for an unknown key, suggesting the closest.
        """
        from civilaffairs.standards.catalogue import get_key

        return get_key(key, self.keys)

    def plugin(self, name: str) -> PluginRecord:
        """The record of plugin *name*.

        :raises PluginError: if there is none.
        """
        for record in self.plugins:
            if record.name == name:
                return record
        raise PluginError(name, "no such plugin in this registry")

    def resolve(
        self,
        key: str,
        region: str,
        on: _dt.date | Month | str,
        residence: ResidenceScope | str | None = None,
    ) -> StandardValue:
        """Shortcut for :meth:`civilaffairs.standards.table.StandardsTable.resolve`."""
        return self.standards.resolve(key, region, on, residence)

    def policy(
        self,
        program: str,
        point: str,
        region: str,
        on: _dt.date | Month | str,
        residence: ResidenceScope | str | None = None,
    ) -> ResolvedPolicy:
        """The value of a programme's policy point for a region and date, falling back to
        the point's default.

        :raises UnknownProgram: if no plugin registered *program*.
        :raises PolicyError: if the programme has no point *point*.
        """
        prog = self.programs.get(program)
        if prog is None:
            raise UnknownProgram.named(program, known=self.programs)
        points: Mapping[str, Any] = getattr(prog, "policy_points", {})
        spec = points.get(point)
        if spec is None:
            raise PolicyError(
                f"programme {program!r} has no policy point {point!r}",
                zh=f"救助项目 {program!r} 没有政策参数 {point!r}",
            )
        return self.policies.resolve(program, point, region, on, residence, spec.default)

    def raise_errors(self) -> None:
        """Raise the first plugin error, if any (what ``strict`` does)."""
        if self.errors:
            raise self.errors[0]

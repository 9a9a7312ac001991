"""The object handed to ``civilaffairs_register_standards`` (标准登记器)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.errors import CivilAffairsError, DataFileError, FieldError, PluginError
from civilaffairs.standards.catalogue import (
    CATALOGUE,
    KEY_PATTERN,
    KeySpec,
    builtin_namespace,
    check_declared,
    key_differences,
)
from civilaffairs.standards.datafile import DataFile, Entry, PathLike, read_data_file
from civilaffairs.standards.table import StandardsTable, conflict_error
from civilaffairs.standards.values import ResidenceScope, Source, StandardValue

__all__ = ["StandardsRegistrar"]


@attrs.frozen
class _Deferred:
    """Values whose key was not known when they were registered: the entries of one data
    file, or the fields of one ``add`` call (``data`` is ``None`` for a file)."""

    file: DataFile | None
    entries: tuple[Entry, ...] = ()
    data: Mapping[str, Any] | None = None


class StandardsRegistrar:
    """Registers standard values for one plugin (标准登记器).

    The host creates one per plugin and passes it to the plugin's
    :func:`~civilaffairs.hookspecs.civilaffairs_register_standards`; every value it
    registers records :attr:`plugin`. Each call validates at once and raises at the
    plugin's own line, so a mistake shows up with a traceback into the plugin's code.

    A value of a key that is neither built in nor declared yet (by this plugin, or by any
    plugin's service modules) is kept aside and checked when every plugin's keys are
    known (:meth:`values_for`); an undeclared key then fails the plugin. A key that could
    only be built in (``dibao.standrad``, ``minimum_wag``) is refused at once.

    >>> from civilaffairs.standards import StandardsRegistrar
    >>> register = StandardsRegistrar("example")
    >>> source = {"issuer": "北京市人力资源和社会保障局", "title": "最低工资标准通知"}
    >>> v = register.add("minimum_wage", "110000", "2023-09-01", "2420", source=source)
    >>> v.plugin, str(v.value)
    ('example', '2420.00')

    :param plugin: the plugin's name.
    :param table: where the values go (a new table by default).
    :param keys: keys already declared when the hook runs (the service modules' keys of
        every plugin), beyond the built-in ones.
    """

    def __init__(
        self,
        plugin: str,
        table: StandardsTable | None = None,
        *,
        keys: Mapping[str, KeySpec] | None = None,
    ) -> None:
        self._plugin = plugin
        #: Where the values go.
        self.table = table if table is not None else StandardsTable()
        #: Data files loaded: identity -> (number of standards, number of policies in it).
        self.loaded_files: dict[str, tuple[str, int, int]] = {}
        #: Keys this plugin declared (``declare`` and ``[[key]]`` tables), by key.
        self.declared: dict[str, KeySpec] = {}
        self._known: dict[str, KeySpec] = dict(keys or {})
        self._deferred: list[_Deferred] = []
        self._cached: tuple[tuple[int, str | None], dict[str, KeySpec]] | None = None

    @property
    def plugin(self) -> str:
        """Name of the plugin the values are registered for (read-only: the host sets it).

        It only labels what the registrar builds; the registry stamps every value with
        the name under which the plugin manager loaded the plugin, whatever this says.
        """
        return self._plugin

    @plugin.setter
    def plugin(self, _: object) -> None:
        raise PluginError(
            self._plugin,
            "register.plugin is set by the host and cannot be changed: a plugin registers "
            "only under its own name",
        )

    # -- keys -----------------------------------------------------------------------
    def declare(self, spec: KeySpec) -> KeySpec:
        """Declare a standard key of the plugin's own and return it.

        :param spec: a :class:`~civilaffairs.standards.catalogue.KeySpec` with a namespaced
            key (``"anhui.meal_subsidy"``) that is not built in.
        :raises CivilAffairsError: for a bad or built-in key, or one this plugin declared
            already with a different meaning.
        """
        spec = check_declared(spec)
        known = self.declared.get(spec.key)
        if known is not None and key_differences(known, spec):
            raise CivilAffairsError(
                f"key {spec.key!r} is declared twice with different meanings "
                f"({'; '.join(key_differences(known, spec))})"
            )
        self.declared.setdefault(spec.key, spec)
        return spec

    def _catalogue(self) -> dict[str, KeySpec]:
        # Rebuilt only when the declarations change (not once per value registered).
        stamp = (len(self.declared), next(reversed(self.declared), None))
        if self._cached is None or self._cached[0] != stamp:
            self._cached = (stamp, {**CATALOGUE, **self._known, **self.declared})
        return self._cached[1]

    @property
    def deferred(self) -> int:
        """How many values wait for the full catalogue of keys."""
        return sum(len(d.entries) if d.file is not None else 1 for d in self._deferred)

    # -- values ---------------------------------------------------------------------
    def add(
        self,
        key: str,
        region: str,
        effective_from: object,
        value: object,
        *,
        residence: ResidenceScope | str = "both",
        source: Source | Mapping[str, Any],
        provisional: bool = False,
        note: str | None = None,
        until: object = None,
    ) -> StandardValue | None:
        """Register one value and return it.

        :param key: a catalogue key, e.g. ``"dibao.standard"``, or a declared key.
        :param region: 6-digit region code; ``"000000"`` for national.
        :param effective_from: first day in force (``date`` or ``"YYYY-MM-DD"``).
        :param value: yuan for money keys (``"1450"``, ``"1450.50"``), a decimal string
            for ratios (``"1.5"``). Floats are refused.
        :param residence: ``"urban"``, ``"rural"`` or ``"both"``.
        :param source: a :class:`~civilaffairs.standards.values.Source` or a mapping with at
            least ``issuer``.
        :param provisional: the value is not confirmed from its source; needs *note*.
        :param note: why it is provisional, or other remarks.
        :param until: last day in force, inclusive; ``None`` until superseded.
        :returns: the value; ``None`` if its key is not declared yet (it is checked once
            every plugin's keys are known).
        :raises ValidationError: naming each bad field.
        :raises StandardConflict: if this plugin already registered the same key,
            region, residence and date.
        """
        catalogue = self._catalogue()
        if self._later(key, catalogue):
            self._deferred.append(
                _Deferred(
                    None,
                    data={
                        "key": key,
                        "region": region,
                        "effective_from": effective_from,
                        "value": value,
                        "residence": residence,
                        "source": source,
                        "provisional": provisional,
                        "note": note,
                        "until": until,
                    },
                )
            )
            return None
        record = StandardValue.build(
            key,
            region,
            effective_from,
            value,
            residence=residence,
            source=source,
            provisional=provisional,
            note=note,
            until=until,
            plugin=self.plugin,
            keys=catalogue,
        )
        self.table.add(record)
        return record

    def load(self, path: PathLike) -> list[StandardValue]:
        """Declare every ``[[key]]`` and register every ``[[standard]]`` entry of a TOML
        file (or the rows of a CSV file).

        :param path: a path or a :class:`~importlib.resources.abc.Traversable`, typically
            ``importlib.resources.files(__package__) / "standards.toml"``.
        :returns: the registered values (not those of keys declared elsewhere and not
            known yet: they are checked once every plugin's keys are known).
        :raises DataFileError: listing every bad field as ``file: standard[i].field: message``.
        """
        data = read_data_file(path)
        errors: list[FieldError] = []
        refused: set[str] = set()
        try:
            specs = data.key_specs()
        except DataFileError as exc:
            errors += exc.errors
            specs = []
            refused = {str(entry.data.get("key")) for entry in data.keys}
        for entry, spec in zip(data.keys, specs, strict=False):
            try:
                self.declare(spec)
            except CivilAffairsError as exc:
                errors.append(FieldError(entry.where, exc.message))
                refused.add(spec.key)
        if errors:
            # The file fails; its [[standard]] entries are still checked, so that every
            # mistake is reported in one pass (values of a refused key are left out: they
            # would only repeat that the key is unknown).
            known = self._catalogue()
            rest = tuple(
                entry
                for entry in data.standards
                if str(entry.data.get("key")) not in refused
                and not self._later(entry.data.get("key"), known)
            )
            try:
                data.standard_values(self.plugin, known, entries=rest)
            except DataFileError as exc:
                errors += exc.errors
            raise DataFileError(data.name, errors)
        catalogue = self._catalogue()
        now: list[Entry] = []
        later: list[Entry] = []
        for entry in data.standards:
            (later if self._later(entry.data.get("key"), catalogue) else now).append(entry)
        values = data.standard_values(self.plugin, catalogue, entries=tuple(now))
        for record in values:
            existing = self.table.find_conflict(record)
            if existing is not None:
                raise conflict_error(existing, record)
        for record in values:
            self.table.add(record)
        if later:
            self._deferred.append(_Deferred(data, tuple(later)))
        self.loaded_files[data.ident] = (data.name, len(data.standards), len(data.policies))
        return values

    @staticmethod
    def _later(key: object, catalogue: Mapping[str, KeySpec]) -> bool:
        """Whether a value of *key* waits for the full catalogue (another plugin may
        declare the key), rather than being checked now."""
        return (
            isinstance(key, str)
            and key not in catalogue
            and KEY_PATTERN.match(key) is not None
            and not builtin_namespace(key)
        )

    def values_for(self, keys: Mapping[str, KeySpec]) -> list[StandardValue]:
        """Every value of this plugin, checked against the full catalogue *keys* (built-in
        and every plugin's declared keys); the registrar itself is not changed.

        A value registered under a declaration that is no longer in *keys* (its plugin
        failed) or that means something else there is refused too.

        :raises ValidationError: for an undeclared key (suggesting the closest) or any other
            bad field of a value kept aside by :meth:`add`.
        :raises DataFileError: likewise for the entries of a data file.
        :raises StandardConflict: if a value kept aside repeats the slot of another.
        """
        out: list[StandardValue] = []
        for value in self.table.values():
            if value.keyspec is not None:
                spec = keys.get(value.key)
                if spec is None or key_differences(spec, value.keyspec):
                    raise CivilAffairsError(
                        f"standard {value.describe()}: key {value.key!r} is no longer "
                        "declared as it was when the value was registered (the plugin that "
                        "declared it failed, or another declaration won)"
                    )
                if spec is not value.keyspec:
                    value = attrs.evolve(value, keyspec=spec)
            out.append(value)
        if not self._deferred:
            return out
        table = StandardsTable(out, keys=keys)
        for deferred in self._deferred:
            if deferred.file is not None:
                values = deferred.file.standard_values(self.plugin, keys, entries=deferred.entries)
            else:
                assert deferred.data is not None
                values = [StandardValue.build(**deferred.data, plugin=self.plugin, keys=keys)]
            for record in values:
                table.add(record)
                out.append(record)
        return out

    def __repr__(self) -> str:
        return f"<StandardsRegistrar for plugin {self.plugin!r}>"

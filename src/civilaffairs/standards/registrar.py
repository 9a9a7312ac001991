"""The object handed to ``civilaffairs_register_standards`` (标准登记器)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civilaffairs.standards.datafile import PathLike, read_data_file
from civilaffairs.standards.table import StandardsTable, conflict_error
from civilaffairs.standards.values import ResidenceScope, Source, StandardValue

__all__ = ["StandardsRegistrar"]


class StandardsRegistrar:
    """Registers standard values for one plugin (标准登记器).

    The host creates one per plugin and passes it to the plugin's
    :func:`~civilaffairs.hookspecs.civilaffairs_register_standards`; every value it
    registers records :attr:`plugin`. Each call validates at once and raises at the
    plugin's own line, so a mistake shows up with a traceback into the plugin's code.

    >>> from civilaffairs.standards import StandardsRegistrar
    >>> register = StandardsRegistrar("example")
    >>> source = {"issuer": "北京市人力资源和社会保障局", "title": "最低工资标准通知"}
    >>> v = register.add("minimum_wage", "110000", "2023-09-01", "2420", source=source)
    >>> v.plugin, str(v.value)
    ('example', '2420.00')
    """

    def __init__(self, plugin: str, table: StandardsTable | None = None) -> None:
        #: Name of the plugin the values are registered for.
        self.plugin = plugin
        #: Where the values go.
        self.table = table if table is not None else StandardsTable()
        #: Data files loaded: identity -> (number of standards, number of policies in it).
        self.loaded_files: dict[str, tuple[str, int, int]] = {}

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
    ) -> StandardValue:
        """Register one value and return it.

        :param key: a catalogue key, e.g. ``"dibao.standard"``.
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
        :raises ValidationError: naming each bad field.
        :raises StandardConflict: if this plugin already registered the same key,
            region, residence and date.
        """
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
        )
        self.table.add(record)
        return record

    def load(self, path: PathLike) -> list[StandardValue]:
        """Register every ``[[standard]]`` entry of a TOML file (or the rows of a CSV file).

        :param path: a path or a :class:`~importlib.resources.abc.Traversable`, typically
            ``importlib.resources.files(__package__) / "standards.toml"``.
        :returns: the registered values.
        :raises DataFileError: listing every bad field as ``file: standard[i].field: message``.
        """
        data = read_data_file(path)
        values = data.standard_values(self.plugin)
        for record in values:
            existing = self.table.find_conflict(record)
            if existing is not None:
                raise conflict_error(existing, record)
        for record in values:
            self.table.add(record)
        self.loaded_files[data.ident] = (data.name, len(data.standards), len(data.policies))
        return values

    def __repr__(self) -> str:
        return f"<StandardsRegistrar for plugin {self.plugin!r}>"

"""The exception hierarchy of civilaffairs (错误类型).

Every error the library raises on purpose derives from :class:`CivilAffairsError`.
Each carries

* a message a caseworker understands (Chinese domain terms beside English),
* a stable machine-readable ``code``,
* the field ``path`` where one applies, e.g.
  ``members[2].incomes[0].monthly``.

Messages never contain a whole personal identifier: code that raises these errors
masks identifiers first (see :func:`civilaffairs.ids.mask`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "AmbiguousStandard",
    "CivilAffairsError",
    "DataFileError",
    "FieldError",
    "InvalidIdentifier",
    "InvalidMoney",
    "InvalidPeriod",
    "MalformedInput",
    "MissingStandard",
    "PluginError",
    "PolicyConflict",
    "PolicyError",
    "ProgramError",
    "StandardConflict",
    "UnknownProgram",
    "UnknownRegion",
    "UnknownStandardKey",
    "ValidationError",
]


class CivilAffairsError(Exception):
    """Base class of every error raised by civilaffairs.

    :param message: what is wrong, in plain words.
    :param path: the field path the error belongs to, if any.
    """

    #: Stable, machine-readable error code. Subclasses override it.
    code: str = "civilaffairs_error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message

    def at(self, prefix: str) -> CivilAffairsError:
        """Return this error with *prefix* prepended to its path (in place)."""
        self.path = join_path(prefix, self.path)
        return self


def join_path(prefix: str | None, path: str | None) -> str | None:
    """Join two field paths: ``join_path("members[0]", "incomes[1]")``.

    >>> join_path("members[0]", "incomes[1].monthly")
    'members[0].incomes[1].monthly'
    >>> join_path("members", "[2]")
    'members[2]'
    """
    if not prefix:
        return path
    if not path:
        return prefix
    if path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"


class InvalidMoney(CivilAffairsError, ValueError):
    """An amount of money could not be parsed or is not allowed (金额无效)."""

    code = "invalid_money"


class InvalidPeriod(CivilAffairsError, ValueError):
    """A date, month or effective range could not be parsed (日期或期间无效)."""

    code = "invalid_period"


class InvalidIdentifier(CivilAffairsError, ValueError):
    """A resident ID or unified social credit code is malformed (证件号码无效).

    The message shows the identifier masked, never whole.
    """

    code = "invalid_identifier"


class UnknownRegion(CivilAffairsError, LookupError):
    """An administrative-division code is not in the GB/T 2260 table (未知行政区划)."""

    code = "unknown_region"

    def __init__(self, region: str, *, path: str | None = None, detail: str = "") -> None:
        self.region = region
        msg = f"unknown administrative division code {region!r} (未知行政区划代码)"
        if detail:
            msg += f": {detail}"
        super().__init__(msg, path=path)


@attrs.frozen
class FieldError:
    """One problem with one field of an input record."""

    path: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(CivilAffairsError, ValueError):
    """An input record has one or more invalid fields (数据校验失败).

    ``errors`` lists **every** bad field, each with its path, not just the first.
    ``str()`` gives one line per field.
    """

    code = "validation_error"

    def __init__(self, errors: Iterable[FieldError], *, what: str = "record") -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        self.what = what
        lines = [str(e) for e in self.errors] or ["invalid"]
        super().__init__("\n".join(lines))

    @classmethod
    def single(cls, path: str, message: str, code: str = "invalid") -> ValidationError:
        """A validation error with one field error."""
        return cls([FieldError(path, message, code)])

    def __str__(self) -> str:
        return self.message

    def at(self, prefix: str) -> ValidationError:
        self.errors = tuple(
            FieldError(join_path(prefix, e.path) or "", e.message, e.code) for e in self.errors
        )
        self.message = "\n".join(str(e) for e in self.errors)
        return self


class MalformedInput(ValidationError):
    """Input cannot be read as data at all (输入无法解析).

    Raised when bytes are not UTF-8, text is not JSON (with the line and column), the JSON
    is nested too deeply, a number is too long, or a document is too large. It is a
    :class:`ValidationError` with one error, so code that handles invalid records handles
    unreadable ones too.
    """

    code = "malformed_input"

    def __init__(self, message: str, *, path: str = "", code: str = "malformed_input") -> None:
        super().__init__([FieldError(path, message, code)], what="input")


class UnknownStandardKey(CivilAffairsError, KeyError):
    """A standard key is not in the catalogue of known keys (未知标准项目)."""

    code = "unknown_standard_key"

    def __str__(self) -> str:
        return CivilAffairsError.__str__(self)


class MissingStandard(CivilAffairsError, LookupError):
    """No standard value applies to a key, region, residence and date (缺少适用标准).

    Never resolved to a silent zero.
    """

    code = "missing_standard"

    def __init__(
        self,
        key: str,
        region: str,
        on: object,
        residence: str | None = None,
        *,
        path: str | None = None,
    ) -> None:
        self.key = key
        self.region = region
        self.on = on
        self.residence = residence
        where = f"region {region}" + (f" ({residence})" if residence else "")
        super().__init__(
            f"no standard {key!r} for {where} on {on} (缺少适用标准: {key}, {region}, {on})",
            path=path,
        )


class StandardConflict(CivilAffairsError):
    """Two registrations claim the same key, region, residence and date (标准冲突)."""

    code = "standard_conflict"

    def __init__(self, message: str, *, plugins: Sequence[str] = ()) -> None:
        self.plugins = tuple(plugins)
        super().__init__(message)


class PluginError(CivilAffairsError):
    """A plugin failed to import or registered something invalid (插件错误).

    ``plugin`` names the plugin.
    """

    code = "plugin_error"

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}")


class UnknownProgram(CivilAffairsError, LookupError):
    """A programme id is not registered (未知救助项目)."""

    code = "unknown_program"


class ProgramError(CivilAffairsError, ValueError):
    """A programme or service module definition is invalid (项目定义错误).

    ``path`` names the part of the definition, e.g. ``dibao.quantities.threshold``.
    """

    code = "program_error"


class PolicyError(CivilAffairsError, ValueError):
    """A policy override names an unknown policy point or has a bad value (政策参数错误)."""

    code = "policy_error"


class PolicyConflict(StandardConflict):
    """Two policy overrides claim one programme, point, region, residence and date (政策冲突)."""

    code = "policy_conflict"


class AmbiguousStandard(CivilAffairsError, LookupError):
    """A lookup without a residence found different urban and rural values (城乡标准不同).

    Pass ``residence="urban"`` or ``"rural"``.
    """

    code = "ambiguous_standard"


class DataFileError(ValidationError):
    """A plugin data file (TOML or CSV) has invalid entries (数据文件错误).

    Each line reads ``file: path: message``, e.g.
    ``standards.toml: standard[3].source.issuer: required``.
    """

    code = "data_file_error"

    def __init__(self, file: str, errors: Iterable[FieldError]) -> None:
        self.file = file
        super().__init__(errors, what=file)
        self.message = "\n".join(f"{file}: {e}" for e in self.errors)

    def at(self, prefix: str) -> DataFileError:
        super().at(prefix)
        self.message = "\n".join(f"{self.file}: {e}" for e in self.errors)
        return self

"""The exception hierarchy of civilaffairs (错误类型).

Every error the library raises on purpose derives from :class:`CivilAffairsError`.
Each carries

* a message a caseworker understands, in Chinese and in English:
  :attr:`CivilAffairsError.message_zh`, :attr:`CivilAffairsError.message_en` and
  :meth:`CivilAffairsError.text` (``str()`` keeps the historical form,
  English with the Chinese term in parentheses),
* a stable machine-readable ``code``,
* the field ``path`` where one applies, e.g.
  ``members[2].incomes[0].monthly``.

Messages never contain a whole personal identifier: code that raises these errors
masks identifiers first (see :func:`civilaffairs.ids.mask`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Literal

import attrs

__all__ = [
    "AmbiguousStandard",
    "AmountOutOfRange",
    "CivilAffairsError",
    "DataFileError",
    "FieldError",
    "InvalidIdentifier",
    "InvalidMoney",
    "InvalidPeriod",
    "Lang",
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
    "english_part",
]

#: The languages of error messages: Chinese (``"zh"``) and English (``"en"``).
Lang = Literal["zh", "en"]

# A quoted value (left as it is) or a Chinese gloss in parentheses (removed): the gloss
# begins with a CJK character right after the parenthesis.
_GLOSS = re.compile(
    r"""('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
    r"|\s*[(（]([\u3400-\u9fff][^()（）]*)[)）]"
)


def english_part(message: str) -> str:
    """*message* without its Chinese glosses in parentheses; quoted values are kept.

    >>> english_part("'2024-13' is not a valid month (月份无效)")
    "'2024-13' is not a valid month"
    >>> english_part("name 'x (甲)' is taken (名称重复)")
    "name 'x (甲)' is taken"
    """
    return _GLOSS.sub(lambda m: m.group(1) or "", message).strip()


def _gloss(message: str) -> str | None:
    """The first Chinese gloss in *message*, if any."""
    for m in _GLOSS.finditer(message):
        if m.group(2):
            return m.group(2).strip()
    return None


def _path_line(path: str | None, message: str, lang: Lang) -> str:
    if not path:
        return message
    return f"{path}：{message}" if lang == "zh" else f"{path}: {message}"


class CivilAffairsError(Exception):
    """Base class of every error raised by civilaffairs.

    :param message: what is wrong, in plain words: the historical form, English with the
        Chinese term in parentheses, as ``str()`` shows it.
    :param path: the field path the error belongs to, if any.
    :param zh: the message in Chinese; by default the class's Chinese frame
        (:attr:`title_zh`) followed by the English text.
    :param en: the message in English; by default *message* without its Chinese glosses.
    """

    #: Stable, machine-readable error code. Subclasses override it.
    code: str = "civilaffairs_error"
    #: The Chinese frame put before an untranslated English detail.
    title_zh: ClassVar[str] = "错误"
    #: Translations of free-text English messages raised without a Chinese text: each a
    #: pattern matched against the whole English message and its Chinese template
    #: (``re.Match.expand`` syntax). Tried in order before falling back to the frame.
    _patterns_zh: ClassVar[tuple[tuple[re.Pattern[str], str], ...]] = ()

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        zh: str | None = None,
        en: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self._zh = zh
        self._en = en

    @property
    def message_en(self) -> str:
        """The message in English (without the path)."""
        return self._en if self._en is not None else english_part(self.message)

    @property
    def message_zh(self) -> str:
        """The message in Chinese (without the path)."""
        if self._zh is not None:
            return self._zh
        en = self.message_en
        for pattern, template in self._patterns_zh:
            m = pattern.fullmatch(en)
            if m is not None:
                return m.expand(template)
        return f"{self.title_zh}：{en}"

    def text(self, lang: Lang = "zh") -> str:
        """The message in *lang*, prefixed by the path if any; may span several lines."""
        return "\n".join(self.lines(lang))

    def lines(self, lang: Lang = "zh") -> list[str]:
        """The message in *lang* as lines, each prefixed by its path."""
        message = self.message_zh if lang == "zh" else self.message_en
        return [_path_line(self.path, line, lang) for line in message.splitlines() or [""]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``code``, ``path``, ``message`` and the two translations."""
        return {
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }

    def field_error(self, path: str | None = None) -> FieldError:
        """This error as one :class:`FieldError` at *path* (default: its own path)."""
        return FieldError(
            path if path is not None else self.path or "",
            self.message,
            self.code,
            zh=self.message_zh,
            en=self.message_en,
        )

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
    title_zh = "金额无效"


class InvalidPeriod(CivilAffairsError, ValueError):
    """A date, month or effective range could not be parsed (日期或期间无效)."""

    code = "invalid_period"
    title_zh = "日期或期间无效"


class InvalidIdentifier(CivilAffairsError, ValueError):
    """A resident ID or unified social credit code is malformed (证件号码无效).

    The message shows the identifier masked, never whole.
    """

    code = "invalid_identifier"
    title_zh = "证件号码无效"


class UnknownRegion(CivilAffairsError, LookupError):
    """An administrative-division code is not in the GB/T 2260 table (未知行政区划)."""

    code = "unknown_region"
    title_zh = "未知行政区划"

    def __init__(
        self,
        region: str,
        *,
        path: str | None = None,
        detail: str = "",
        detail_zh: str | None = None,
    ) -> None:
        self.region = region
        msg = f"unknown administrative division code {region!r} (未知行政区划代码)"
        en = f"unknown administrative division code {region!r}"
        zh = f"未知的行政区划代码 {region!r}"
        if detail:
            msg += f": {detail}"
            en += f": {english_part(detail)}"
            zh += f"：{detail_zh if detail_zh is not None else english_part(detail)}"
        super().__init__(msg, path=path, zh=zh, en=en)


#: Chinese frames of field errors without their own translation, by code.
_FIELD_TITLES_ZH = {
    "missing": "缺少必填字段",
    "required": "缺少必填项",
    "type": "类型错误",
    "choice": "取值无效",
    "out_of_range": "超出范围",
    "too_many": "项数过多",
    "too_few": "项数不足",
    "unknown_field": "未知字段",
    "unknown_region": "未知行政区划",
    "invalid_money": "金额无效",
    "invalid_period": "日期无效",
    "invalid_identifier": "证件号码无效",
}


@attrs.frozen
class FieldError:
    """One problem with one field of an input record.

    ``message`` is the historical form (English with the Chinese term in parentheses);
    :attr:`message_zh` and :attr:`message_en` give it in one language, :meth:`text` with the
    path.
    """

    path: str
    message: str
    code: str = "invalid"
    #: The message in Chinese, when the code that raised it gave one.
    zh: str | None = attrs.field(default=None, kw_only=True, repr=False, eq=False)
    #: The message in English, when it is not just ``message`` without its glosses.
    en: str | None = attrs.field(default=None, kw_only=True, repr=False, eq=False)

    @property
    def message_en(self) -> str:
        """The message in English (without the path)."""
        return self.en if self.en is not None else english_part(self.message)

    @property
    def message_zh(self) -> str:
        """The message in Chinese (without the path)."""
        if self.zh is not None:
            return self.zh
        title = _gloss(self.message) or _FIELD_TITLES_ZH.get(self.code, "数据无效")
        return f"{title}：{self.message_en}"

    def text(self, lang: Lang = "zh") -> str:
        """The message in *lang*, prefixed by the path if any."""
        return _path_line(self.path, self.message_zh if lang == "zh" else self.message_en, lang)

    def at(self, prefix: str | None) -> FieldError:
        """This error with *prefix* prepended to its path."""
        return attrs.evolve(self, path=join_path(prefix, self.path) or "")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``code``, ``path``, ``message`` and the two translations."""
        return {
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(CivilAffairsError, ValueError):
    """An input record has one or more invalid fields (数据校验失败).

    ``errors`` lists **every** bad field, each with its path, not just the first.
    ``str()`` gives one line per field, and so do ``lines(lang)`` and ``text(lang)`` in one
    language.
    """

    code = "validation_error"
    title_zh = "数据校验失败"

    def __init__(self, errors: Iterable[FieldError], *, what: str = "record") -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        self.what = what
        lines = [str(e) for e in self.errors] or ["invalid"]
        super().__init__("\n".join(lines))

    @classmethod
    def single(
        cls, path: str, message: str, code: str = "invalid", *, zh: str | None = None
    ) -> ValidationError:
        """A validation error with one field error."""
        return cls([FieldError(path, message, code, zh=zh)])

    def lines(self, lang: Lang = "zh") -> list[str]:
        if not self.errors:
            return ["数据无效" if lang == "zh" else "invalid"]
        return [e.text(lang) for e in self.errors]

    @property
    def message_en(self) -> str:
        return "\n".join(self.lines("en"))

    @property
    def message_zh(self) -> str:
        return "\n".join(self.lines("zh"))

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "errors": [e.to_dict() for e in self.errors]}

    def __str__(self) -> str:
        return self.message

    def at(self, prefix: str) -> ValidationError:
        self.errors = tuple(e.at(prefix) for e in self.errors)
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
    title_zh = "输入无法解析"

    def __init__(
        self,
        message: str,
        *,
        path: str = "",
        code: str = "malformed_input",
        zh: str | None = None,
        en: str | None = None,
    ) -> None:
        super().__init__([FieldError(path, message, code, zh=zh, en=en)], what="input")


class UnknownStandardKey(CivilAffairsError, KeyError):
    """A standard key is not in the catalogue of known keys (未知标准项目)."""

    code = "unknown_standard_key"
    title_zh = "未知标准项目"

    def __str__(self) -> str:
        return CivilAffairsError.__str__(self)


_RESIDENCE_ZH = {"urban": "城市", "rural": "农村"}


class MissingStandard(CivilAffairsError, LookupError):
    """No standard value applies to a key, region, residence and date (缺少适用标准).

    Never resolved to a silent zero.
    """

    code = "missing_standard"
    title_zh = "缺少适用标准"

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
        where_zh = f"行政区划 {region}" + (
            f"（{_RESIDENCE_ZH.get(residence, residence)}）" if residence else ""
        )
        super().__init__(
            f"no standard {key!r} for {where} on {on} (缺少适用标准: {key}, {region}, {on})",
            path=path,
            en=f"no standard {key!r} for {where} on {on}",
            zh=f"缺少适用标准：标准项目 {key!r} 在{where_zh}于 {on} 没有适用的取值",
        )


class StandardConflict(CivilAffairsError):
    """Two registrations claim the same key, region, residence and date (标准冲突)."""

    code = "standard_conflict"
    title_zh = "标准冲突"

    def __init__(
        self,
        message: str,
        *,
        plugins: Sequence[str] = (),
        zh: str | None = None,
        en: str | None = None,
    ) -> None:
        self.plugins = tuple(plugins)
        super().__init__(message, zh=zh, en=en)


class PluginError(CivilAffairsError):
    """A plugin failed to import or registered something invalid (插件错误).

    ``plugin`` names the plugin. The plugin's own message is kept as it is; only the frame
    around it is translated.
    """

    code = "plugin_error"
    title_zh = "插件错误"

    def __init__(self, plugin: str, message: str) -> None:
        self.plugin = plugin
        super().__init__(
            f"plugin {plugin!r}: {message}",
            en=f"plugin {plugin!r}: {message}",
            zh=f"插件 {plugin!r} 出错：{message}",
        )


class UnknownProgram(CivilAffairsError, LookupError):
    """A programme id is not registered (未知救助项目)."""

    code = "unknown_program"
    title_zh = "未知救助项目"
    _patterns_zh = (
        (
            re.compile(r"unknown programme ('.*?') \(known: (.*)\)"),
            r"未知的救助项目 \1（已登记的项目：\2）",
        ),
        (re.compile(r"unknown programme ('.*?')"), r"未知的救助项目 \1"),
        (
            re.compile(r"programme ('.*?') needs ('.*?'), which is not registered"),
            r"救助项目 \1 依赖的项目 \2 未登记",
        ),
        (
            re.compile(
                r"programme ('.*?') does not serve region (\w+) \(out of its module's scope\)"
            ),
            r"救助项目 \1 不适用于行政区划 \2（不在其模块的适用范围内）",
        ),
        (
            re.compile(r"programmes depend on each other in a cycle: (.*)"),
            r"救助项目之间存在循环依赖：\1",
        ),
    )
    #: The programme id, when known.
    program: str | None = None

    @classmethod
    def named(cls, program: str, *, known: Iterable[str] = ()) -> UnknownProgram:
        """The error for the programme id *program*; *known* lists the registered ones."""
        ids = ", ".join(sorted(known))
        en = f"unknown programme {program!r}" + (f"; known: {ids}" if ids else "")
        zh = f"未知的救助项目 {program!r}" + (f"；已登记的项目：{ids}" if ids else "")
        exc = cls(f"unknown programme {program!r} (未知救助项目)", zh=zh, en=en)
        exc.program = program
        return exc


class AmountOutOfRange(CivilAffairsError, ArithmeticError):
    """A computed amount is beyond what the engine can hold exactly (金额超出可计算范围).

    Inputs within the documented bounds never cause it; it is raised instead of a wrapped
    number.
    """

    code = "amount_out_of_range"
    title_zh = "金额超出可计算范围"


class ProgramError(CivilAffairsError, ValueError):
    """A programme or service module definition is invalid (项目定义错误).

    ``path`` names the part of the definition, e.g. ``dibao.quantities.threshold``.
    """

    code = "program_error"
    title_zh = "项目定义错误"


class PolicyError(CivilAffairsError, ValueError):
    """A policy override names an unknown policy point or has a bad value (政策参数错误)."""

    code = "policy_error"
    title_zh = "政策参数错误"


class PolicyConflict(StandardConflict):
    """Two policy overrides claim one programme, point, region, residence and date (政策冲突)."""

    code = "policy_conflict"
    title_zh = "政策冲突"


class AmbiguousStandard(CivilAffairsError, LookupError):
    """A lookup without a residence found different urban and rural values (城乡标准不同).

    Pass ``residence="urban"`` or ``"rural"``.
    """

    code = "ambiguous_standard"
    title_zh = "城乡标准不同"


class DataFileError(ValidationError):
    """A plugin data file (TOML or CSV) has invalid entries (数据文件错误).

    Each line reads ``file: path: message``, e.g.
    ``standards.toml: standard[3].source.issuer: required``.
    """

    code = "data_file_error"
    title_zh = "数据文件错误"

    def __init__(self, file: str, errors: Iterable[FieldError]) -> None:
        self.file = file
        super().__init__(errors, what=file)
        self.message = "\n".join(f"{file}: {e}" for e in self.errors)

    def lines(self, lang: Lang = "zh") -> list[str]:
        sep = "：" if lang == "zh" else ": "
        return [f"{self.file}{sep}{line}" for line in super().lines(lang)]

    def at(self, prefix: str) -> DataFileError:
        super().at(prefix)
        self.message = "\n".join(f"{self.file}: {e}" for e in self.errors)
        return self

"""The catalogue of standard keys (标准项目目录).

Every standard value a plugin registers has a key from this catalogue. A key fixes the
unit and the kind of value, so ``dibao.standard`` is always yuan per month and
``marginal.income_multiple`` is always a ratio. An unknown key is an error
(:class:`~civilaffairs.errors.UnknownStandardKey`), so a typo in a data file is caught when
the plugin loads, not when a caseworker's figure comes out wrong.

>>> from civilaffairs.standards import CATALOGUE, get_key
>>> spec = get_key("dibao.standard")
>>> spec.zh, str(spec.unit), spec.kind.value
('最低生活保障标准', 'yuan/month', 'money')
>>> get_key("dibao.standrad")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
civilaffairs.errors.UnknownStandardKey: ...; did you mean 'dibao.standard'?

The catalogue is open: a plugin declares the keys of its own programmes (a
:class:`KeySpec` in a service module's ``keys``, a ``[[key]]`` table of its data file, or
``register.declare(spec)``). :data:`CATALOGUE` and :func:`get_key` are the built-in keys;
a built :class:`~civilaffairs.registry.Registry` has the full catalogue as
``registry.keys``, and :func:`get_key` takes it as its second argument.

>>> spec = KeySpec("anhui.meal_subsidy", "老年助餐补贴", "elderly meal subsidy",
...                Unit.YUAN_PER_MONTH, "Monthly meal subsidy.", "安徽省 2023 通知")
>>> check_declared(spec) is spec
True
>>> get_key("anhui.meal_subsidy", {**CATALOGUE, spec.key: spec}).unit.zh
'元/月'
"""

from __future__ import annotations

import difflib
import enum
import re
import types
from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.errors import CivilAffairsError, FieldError, UnknownStandardKey, ValidationError

__all__ = [
    "CATALOGUE",
    "KEY_PATTERN",
    "KeySpec",
    "Kind",
    "Unit",
    "builtin_namespace",
    "check_declared",
    "get_key",
    "key_differences",
]

#: What every key looks like: dotted segments of lowercase letters, digits and ``_``, the
#: first starting with a letter (``dibao.standard``, ``elderly.allowance.80``).
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)*$", re.ASCII)


class Unit(enum.StrEnum):
    """Unit of a standard value (计量单位)."""

    YUAN_PER_MONTH = "yuan/month"
    YUAN_PER_YEAR = "yuan/year"
    YUAN = "yuan"
    RATIO = "ratio"
    MONTHS = "months"
    YEARS = "years"
    DAYS = "days"
    HOURS = "hours"
    COUNT = "count"

    @property
    def zh(self) -> str:
        """The Chinese name of the unit: 元/月, 元/年, 元, 倍, 个月, 年, 天, 小时, 个."""
        return _UNIT_ZH[self]


_UNIT_ZH: Mapping[Unit, str] = {
    Unit.YUAN_PER_MONTH: "元/月",
    Unit.YUAN_PER_YEAR: "元/年",
    Unit.YUAN: "元",
    Unit.RATIO: "倍",
    Unit.MONTHS: "个月",
    Unit.YEARS: "年",
    Unit.DAYS: "天",
    Unit.HOURS: "小时",
    Unit.COUNT: "个",
}


class Kind(enum.StrEnum):
    """What sort of value a key holds (数值类型).

    * ``MONEY``: a :class:`~civilaffairs.money.Money` amount (exact fen);
    * ``RATIO``: a :class:`~decimal.Decimal` multiple with at most four decimals;
    * ``NUMBER``: a :class:`~decimal.Decimal` count or quantity with at most four decimals.
    """

    MONEY = "money"
    RATIO = "ratio"
    NUMBER = "number"


_KIND_OF_UNIT: Mapping[Unit, Kind] = {
    Unit.YUAN_PER_MONTH: Kind.MONEY,
    Unit.YUAN_PER_YEAR: Kind.MONEY,
    Unit.YUAN: Kind.MONEY,
    Unit.RATIO: Kind.RATIO,
    Unit.MONTHS: Kind.NUMBER,
    Unit.YEARS: Kind.NUMBER,
    Unit.DAYS: Kind.NUMBER,
    Unit.HOURS: Kind.NUMBER,
    Unit.COUNT: Kind.NUMBER,
}


@attrs.frozen
class KeySpec:
    """The definition of one standard key (标准项目).

    :param key: dotted identifier, e.g. ``"dibao.standard"``.
    :param zh: Chinese name.
    :param en: English name.
    :param unit: unit of every value of this key.
    :param description: what the value means and how programmes use it (English).
    :param basis: legal or documentary basis (法规依据), as text.
    :param by_residence: whether values commonly differ between urban and rural residents.
    :param relative_to: for a multiple, the key it multiplies (e.g. ``"dibao.standard"``).
    """

    key: str
    zh: str
    en: str
    unit: Unit
    description: str
    basis: str
    by_residence: bool = False
    relative_to: str | None = None

    @property
    def kind(self) -> Kind:
        """Money, ratio or number; follows from the unit."""
        return _KIND_OF_UNIT[self.unit]

    def label(self, lang: str = "zh") -> str:
        """The name in ``"zh"`` or ``"en"``."""
        return self.zh if lang == "zh" else self.en

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> KeySpec:
        """Build from a mapping such as a ``[[key]]`` table of a data file.

        Fields: ``key``, ``zh``, ``en``, ``unit`` (``yuan/month``, ``yuan/year``, ``yuan``,
        ``ratio``, ``months``, ``years``, ``days``, ``hours`` or ``count``) required;
        ``description``, ``basis`` (text), ``by_residence`` (true/false) and
        ``relative_to`` (a key) optional. The result is
        checked with :func:`check_declared`.

        :raises ValidationError: naming every bad field.
        """
        errors: list[FieldError] = []
        for name in data:
            if name not in _KEY_FIELDS:
                errors.append(
                    FieldError(
                        str(name), f"unknown field; expected one of {', '.join(_KEY_FIELDS)}"
                    )
                )
        text: dict[str, str] = {}
        for name in ("key", "zh", "en", "description", "basis"):
            raw = data.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if name in ("key", "zh", "en"):
                    errors.append(FieldError(name, "required", "required"))
                text[name] = ""
            elif not isinstance(raw, str):
                errors.append(FieldError(name, f"must be text, got {type(raw).__name__}"))
                text[name] = ""
            else:
                text[name] = raw.strip()
        unit: Unit | None = None
        raw_unit = data.get("unit")
        if raw_unit is None:
            errors.append(FieldError("unit", "required", "required"))
        else:
            try:
                unit = Unit(raw_unit)
            except ValueError:
                errors.append(
                    FieldError(
                        "unit", f"{raw_unit!r} is not one of {', '.join(u.value for u in Unit)}"
                    )
                )
        by_residence = data.get("by_residence", False)
        if not isinstance(by_residence, bool):
            errors.append(
                FieldError("by_residence", f"must be true or false, got {by_residence!r}")
            )
            by_residence = False
        relative_to = data.get("relative_to")
        if relative_to is not None and not isinstance(relative_to, str):
            errors.append(FieldError("relative_to", "must be a key (text)"))
            relative_to = None
        if errors:
            raise ValidationError(errors, what="key")
        assert unit is not None
        spec = cls(
            text["key"],
            text["zh"],
            text["en"],
            unit,
            text["description"],
            text["basis"],
            by_residence,
            relative_to.strip() if relative_to else None,
        )
        try:
            return check_declared(spec)
        except ValidationError:
            raise
        except CivilAffairsError as exc:
            raise ValidationError(
                [FieldError(exc.path or "key", exc.message)], what="key"
            ) from None


_KEY_FIELDS = ("key", "zh", "en", "unit", "description", "basis", "by_residence", "relative_to")


def _spec(
    key: str,
    zh: str,
    en: str,
    unit: Unit,
    description: str,
    basis: str,
    *,
    by_residence: bool = False,
    relative_to: str | None = None,
) -> tuple[str, KeySpec]:
    return key, KeySpec(key, zh, en, unit, description, basis, by_residence, relative_to)


_ASSISTANCE = "社会救助暂行办法（国务院令第649号）"

#: Every known standard key, in display order. Read-only.
CATALOGUE: Mapping[str, KeySpec] = types.MappingProxyType(
    dict(
        [
            _spec(
                "dibao.standard",
                "最低生活保障标准",
                "minimum living guarantee (dibao) standard",
                Unit.YUAN_PER_MONTH,
                "Monthly amount per person. A household is eligible when its per-capita "
                "countable income is below the standard (art. 9) and is paid the difference "
                "(art. 12). Set by the province or a prefecture-level city; urban and rural "
                "standards may differ (art. 10).",
                f"{_ASSISTANCE} 第九条、第十条、第十二条",
                by_residence=True,
            ),
            _spec(
                "dibao.standard.minor",
                "未成年人最低生活保障标准",
                "dibao standard for minors",
                Unit.YUAN_PER_MONTH,
                "Monthly amount per member under 18, where the province sets a higher "
                "standard for minors than for adults (Shanghai 2021: 1730 against 1330). "
                "When present, the household threshold counts each minor at this standard "
                "and every other member at dibao.standard.",
                f"{_ASSISTANCE} 第十条、第十二条；省级规定",
                by_residence=True,
            ),
            _spec(
                "tekun.basic_living",
                "特困人员基本生活标准",
                "basic-living standard for extremely poor persons (tekun)",
                Unit.YUAN_PER_MONTH,
                "Monthly basic-living support per extremely poor person (art. 15). Where a "
                "province sets it only as a multiple of the dibao standard, register "
                "tekun.basic_living_multiple instead and let the programme compute it.",
                f"{_ASSISTANCE} 第十五条；特困人员认定办法（2021）",
                by_residence=True,
            ),
            _spec(
                "tekun.basic_living_multiple",
                "特困人员基本生活标准（低保标准的倍数）",
                "tekun basic-living standard as a multiple of the dibao standard",
                Unit.RATIO,
                "Minimum ratio of the tekun basic-living standard to the local dibao "
                "standard. Provincial practice is at least 1.3 (Guizhou 2017; Changsha); "
                "Beijing 2022 used 1.5. No national text setting 1.3 was found, so the "
                "national baseline value is provisional.",
                "省级规定（贵州 2017：1.3 倍）；无全国统一倍数",
                relative_to="dibao.standard",
            ),
            _spec(
                "tekun.care.full",
                "特困人员照料护理标准（生活能自理）",
                "tekun care standard, fully able to look after oneself",
                Unit.YUAN_PER_MONTH,
                "Monthly care amount for a tekun person who can perform all six daily "
                "activities (eating, dressing, bed transfer, toilet, walking indoors, "
                "bathing). The suffix names the self-care ability, not the level of care. "
                "Often a share of the local minimum wage (Changsha: at least 1/10).",
                f"{_ASSISTANCE} 第十五条；特困人员认定办法（2021）",
            ),
            _spec(
                "tekun.care.partial",
                "特困人员照料护理标准（部分丧失生活自理能力，半护理）",
                "tekun care standard, partly unable to look after oneself",
                Unit.YUAN_PER_MONTH,
                "Monthly care amount for a tekun person who has partly lost the ability "
                "to look after themselves (半护理). Changsha: at least 1/6 of the minimum "
                "wage. Band thresholds are local.",
                f"{_ASSISTANCE} 第十五条；特困人员认定办法（2021）",
            ),
            _spec(
                "tekun.care.none",
                "特困人员照料护理标准（完全丧失生活自理能力，全护理）",
                "tekun care standard, wholly unable to look after oneself",
                Unit.YUAN_PER_MONTH,
                "Monthly care amount for a tekun person who cannot look after themselves "
                "at all (全护理). Changsha: at least 1/3 of the minimum wage.",
                f"{_ASSISTANCE} 第十五条；特困人员认定办法（2021）",
            ),
            _spec(
                "marginal.income_multiple",
                "低保边缘家庭收入认定倍数",
                "marginal-household income multiple of the dibao standard",
                Unit.RATIO,
                "A household is marginal (低保边缘家庭) when its per-capita income is at most "
                "this multiple of the dibao standard and it passes the asset test. Zhejiang "
                "2020 (art. 13) uses 1.5; localities may widen it (Hangzhou 2022: 2) but "
                "not above the local minimum wage.",
                "国办发〔2023〕39号（分层分类）；浙江省 2020 第十三条（1.5 倍）",
                relative_to="dibao.standard",
            ),
            _spec(
                "temporary.max_multiple",
                "临时救助一次性救助上限（低保标准的倍数）",
                "temporary assistance: one-off maximum as a multiple of the dibao standard",
                Unit.RATIO,
                "Maximum one-off temporary assistance per person, as a multiple of the local "
                "monthly dibao standard (Zhejiang art. 39: 6). No national multiple exists; "
                "the national baseline leaves it to provinces.",
                f"{_ASSISTANCE} 第四十七条至第四十九条；浙江省 第三十九条",
                relative_to="dibao.standard",
            ),
            _spec(
                "temporary.max_multiple_special",
                "临时救助特殊情况上限（低保标准的倍数）",
                "temporary assistance: maximum in special cases, multiple of the dibao standard",
                Unit.RATIO,
                "Maximum temporary assistance per person in special cases (Zhejiang art. 39: "
                "12). No national multiple exists.",
                f"{_ASSISTANCE} 第四十七条至第四十九条；浙江省 第三十九条",
                relative_to="dibao.standard",
            ),
            _spec(
                "orphan.allowance.community",
                "社会散居孤儿基本生活费",
                "basic living allowance for orphans living in the community",
                Unit.YUAN_PER_MONTH,
                "Monthly allowance per orphan living with relatives or in the community. "
                "National minimum 600 yuan from 2010.",
                "2010 年国务院办公厅孤儿保障通知（文号待核实）",
            ),
            _spec(
                "orphan.allowance.institution",
                "机构养育孤儿基本生活费",
                "basic living allowance for orphans raised in welfare institutions",
                Unit.YUAN_PER_MONTH,
                "Monthly allowance per orphan raised in a welfare institution. National "
                "minimum 1000 yuan from 2010.",
                "2010 年国务院办公厅孤儿保障通知（文号待核实）",
            ),
            _spec(
                "unsupported_child.allowance",
                "事实无人抚养儿童基本生活补贴",
                "basic living allowance for de-facto unsupported children",
                Unit.YUAN_PER_MONTH,
                "Monthly allowance per de-facto unsupported child. It commonly follows the "
                "local orphan standard; whether it must is not confirmed, so register it.",
                "民发〔2019〕62号",
            ),
            _spec(
                "disability.living_subsidy",
                "困难残疾人生活补贴",
                "living subsidy for disabled people in hardship",
                Unit.YUAN_PER_MONTH,
                "Monthly living subsidy for disabled people in dibao households. Amounts "
                "are local, sometimes a share of the dibao standard.",
                "国发〔2015〕52号（2016-01-01 起）",
            ),
            _spec(
                "disability.nursing_subsidy",
                "重度残疾人护理补贴",
                "nursing subsidy for severely disabled people",
                Unit.YUAN_PER_MONTH,
                "Monthly nursing subsidy for grade 1-2 disabled people needing long-term "
                "care (grades 3-4 intellectual or mental disability by local rule).",
                "国发〔2015〕52号（2016-01-01 起）",
            ),
            _spec(
                "elderly.allowance.80",
                "高龄津贴（80 周岁起档）",
                "old-age allowance, band starting at age 80",
                Unit.YUAN_PER_MONTH,
                "Monthly old-age allowance for the band that starts at 80 and runs to the "
                "next band (Beijing: 100 yuan at 80-89).",
                "老年人权益保障法（2018）第三十三条",
            ),
            _spec(
                "elderly.allowance.90",
                "高龄津贴（90 周岁起档）",
                "old-age allowance, band starting at age 90",
                Unit.YUAN_PER_MONTH,
                "Monthly old-age allowance for the band that starts at 90 (Beijing: 500 "
                "yuan at 90-99).",
                "老年人权益保障法（2018）第三十三条",
            ),
            _spec(
                "elderly.allowance.100",
                "高龄津贴（100 周岁起档）",
                "old-age allowance, band starting at age 100",
                Unit.YUAN_PER_MONTH,
                "Monthly old-age allowance from age 100 (Beijing: 800 yuan).",
                "老年人权益保障法（2018）第三十三条",
            ),
            _spec(
                "high_spending.disposable_income",
                "上年度居民人均可支配收入",
                "last year's per-capita disposable income",
                Unit.YUAN_PER_YEAR,
                "Per-capita disposable income of residents in the previous year; the income "
                "ceiling of the high-essential-spending test (Shanghai 2024, art. 12).",
                "上海市 2024 第十二条",
                by_residence=True,
            ),
            _spec(
                "minimum_wage",
                "最低工资标准（月）",
                "monthly minimum wage",
                Unit.YUAN_PER_MONTH,
                "Local monthly minimum wage. Caps the marginal-income multiple, bases some "
                "tekun care standards, and bounds work income not counted (Shanghai art. 27).",
                "最低工资规定；各省级人民政府公布",
            ),
            _spec(
                "poverty_line",
                "国家扶贫标准（农村贫困标准）",
                "national poverty line (rural)",
                Unit.YUAN_PER_YEAR,
                "National rural poverty line per person per year. A county's rural dibao "
                "standard (times 12) must not fall below it (poverty-line safeguard).",
                "农村低保标准不低于国家扶贫标准",
            ),
        ]
    )
)


def get_key(key: str, keys: Mapping[str, KeySpec] | None = None) -> KeySpec:
    """The :class:`KeySpec` of *key*.

    :param keys: the catalogue to look in: a registry's ``keys`` (built-in and declared);
        default :data:`CATALOGUE`, the built-in keys.
    :raises UnknownStandardKey: if the key is not in the catalogue; the message suggests
        the closest known key.
    """
    catalogue = CATALOGUE if keys is None else keys
    spec = catalogue.get(key) if isinstance(key, str) else None
    if spec is None:
        msg = f"unknown standard key {key!r} (未知标准项目)"
        zh = f"未知的标准项目 {key!r}"
        if isinstance(key, str):
            close = difflib.get_close_matches(key, list(catalogue), n=1, cutoff=0.6)
            if close:
                msg += f"; did you mean {close[0]!r}?"
                zh += f"；是否应为 {close[0]!r}？"
            elif keys is not None and "." in key:
                msg += (
                    "; a plugin's own key must be declared (a [[key]] table of its data file, "
                    "a service module's keys, or register.declare)"
                )
                zh += (
                    "；插件自己的标准项目须先声明（数据文件中的 [[key]] 表、"
                    "服务模块的 keys 或 register.declare）"
                )
        raise UnknownStandardKey(msg, zh=zh)
    return spec


def builtin_namespace(key: str) -> bool:
    """Whether *key* can only be a built-in key: it has no namespace (``minimum_wage``) or
    its namespace is one of the built-in keys' (``dibao.``, ``tekun.``, ``elderly.`` …).

    An unknown key of that form is a mistake at once (a typo such as ``dibao.standrad``);
    any other unknown key may still be declared by another plugin.
    """
    return "." not in key or key.split(".", 1)[0] in _NAMESPACES


def check_declared(spec: object) -> KeySpec:
    """Check a key a plugin declares and return it.

    A declared key matches :data:`KEY_PATTERN`, is namespaced (at least two dotted
    segments, e.g. ``"anhui.meal_subsidy"``) outside the namespaces of the built-in keys
    (``dibao.``, ``tekun.`` …, which only the catalogue itself extends), and has Chinese and
    English titles; a key with ``relative_to`` (a multiple of another key) has the unit
    ``ratio``. Whether ``relative_to`` names a known key is checked once every plugin's
    keys are known.

    :raises CivilAffairsError: saying what is wrong, with ``path`` naming the field.
    """
    if not isinstance(spec, KeySpec):
        raise CivilAffairsError(
            f"a declared key must be a civilaffairs.standards.KeySpec, not "
            f"{type(spec).__name__} ({spec!r})"
        )
    key = spec.key
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise CivilAffairsError(
            f"key {key!r} must be lowercase words of letters, digits and '_' joined by '.' "
            "(like 'anhui.meal_subsidy')",
            path="key",
        )
    if "." not in key:
        raise CivilAffairsError(
            f"key {key!r} needs a namespace: name it '<area or province>.<name>', e.g. "
            f"'anhui.{key}'",
            path="key",
        )
    if key in CATALOGUE:
        raise CivilAffairsError(
            f"key {key!r} is a built-in key and cannot be declared again (内置标准项目)",
            path="key",
        )
    if builtin_namespace(key):
        namespace, _, rest = key.partition(".")
        raise CivilAffairsError(
            f"key {key!r} is in the namespace of the built-in keys ({namespace!r}); declare "
            f"it in the plugin's own, e.g. 'anhui.{rest}'",
            path="key",
        )
    for name in ("zh", "en"):
        value = getattr(spec, name)
        if not isinstance(value, str) or not value.strip():
            raise CivilAffairsError(f"key {key!r} needs a {name} title", path=name)
    for name in ("description", "basis"):
        if not isinstance(getattr(spec, name), str):
            raise CivilAffairsError(f"key {key!r}: {name} must be text", path=name)
    if not isinstance(spec.unit, Unit):
        raise CivilAffairsError(
            f"key {key!r}: unit must be a civilaffairs.standards.Unit, not {spec.unit!r}",
            path="unit",
        )
    if not isinstance(spec.by_residence, bool):
        raise CivilAffairsError(
            f"key {key!r}: by_residence must be True or False", path="by_residence"
        )
    if spec.relative_to is not None:
        if not isinstance(spec.relative_to, str) or not KEY_PATTERN.match(spec.relative_to):
            raise CivilAffairsError(
                f"key {key!r}: relative_to must be a key, not {spec.relative_to!r}",
                path="relative_to",
            )
        if spec.unit is not Unit.RATIO:
            raise CivilAffairsError(
                f"key {key!r} is a multiple of {spec.relative_to!r}, so its unit must be "
                f"'ratio', not {spec.unit.value!r}",
                path="unit",
            )
    return spec


_NAMESPACES = frozenset(k.split(".", 1)[0] for k in CATALOGUE if "." in k)

#: The fields whose difference makes two declarations of one key a conflict.
_MEANING = ("unit", "by_residence", "relative_to", "zh", "en")


def key_differences(first: KeySpec, second: KeySpec) -> list[str]:
    """What differs in meaning between two declarations of one key: ``unit``,
    ``by_residence``, ``relative_to`` and the titles, each as ``"unit: 'yuan/month' vs
    'yuan'"``. Empty when they mean the same (the description and basis may differ).
    """
    out: list[str] = []
    for name in _MEANING:
        a, b = getattr(first, name), getattr(second, name)
        if a != b:
            shown_a = a.value if isinstance(a, Unit) else a
            shown_b = b.value if isinstance(b, Unit) else b
            out.append(f"{name}: {shown_a!r} vs {shown_b!r}")
    return out

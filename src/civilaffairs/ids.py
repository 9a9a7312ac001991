"""Identifiers (证件号码): resident IDs (GB 11643-1999) and unified social credit codes
(GB 32100-2015).

Both are personal or organisational data and are **masked** in ``str`` and ``repr``;
the full value is available only through the explicit :attr:`ResidentId.unmasked` /
:attr:`CreditCode.unmasked` attribute.

>>> from civilaffairs.ids import ResidentId, CreditCode
>>> rid = ResidentId.parse("11010519491231002X")
>>> rid
ResidentId('110105********002X')
>>> rid.birth_date, rid.sex.value, rid.region_code
(datetime.date(1949, 12, 31), 'female', '110105')
>>> cc = CreditCode.parse("53330000A933770284")
>>> cc.authority.zh, cc.org_type.zh
('民政', '基金会')
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from typing import Any

from civilaffairs.errors import InvalidIdentifier

__all__ = [
    "Authority",
    "CreditCode",
    "OrgType",
    "ResidentId",
    "Sex",
    "credit_code_check_char",
    "mask",
    "mask_text",
    "resident_id_check_char",
]

_RID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_RID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def mask(value: str) -> str:
    """Mask an identifier for display: ``110105********002X``.

    Keeps the area code and the last four characters of an 18-character ID; shorter
    strings keep less; strings under ten characters are masked whole.

    >>> mask("11010519491231002X")
    '110105********002X'
    >>> mask("12345")
    '*****'
    """
    s = str(value)
    n = len(s)
    if n >= 18:
        return s[:6] + "*" * (n - 10) + s[-4:]
    if n >= 10:
        return s[:4] + "*" * (n - 6) + s[-2:]
    return "*" * n


#: Characters that may separate the digit groups of a resident ID written by hand or copied
#: from a form: spaces (ASCII, no-break, ideographic), hyphens and dashes (ASCII, Unicode,
#: full-width). A regular-expression character class.
ID_SEPARATORS = " \\u00a0\\u3000\\-\\u2010\\u2011\\u2012\\u2013\\u2014\\u2212\\uff0d"
# The shape of a resident ID anywhere in a text: at least 15 characters (18, or 15 for the
# first-generation cards) of digits in any script, the last one possibly X, with at most
# one separator between any two of them. Longer digit runs are caught too (masked whole).
_ID_IN_TEXT = re.compile(rf"\d(?:[{ID_SEPARATORS}]?\d){{13,}}[{ID_SEPARATORS}]?[\dXx\uff38\uff58]")
_SEPARATOR = re.compile(f"[{ID_SEPARATORS}]")
# Dates and months written one after another ("2024-01-01 2024-12-31") have the digits of
# an ID; they are left alone.
_DATES = re.compile(r"\d{4}-\d{1,2}(?:-\d{1,2})?(?:\s+\d{4}-\d{1,2}(?:-\d{1,2})?)+", re.ASCII)


def mask_text(text: str) -> str:
    """*text* with every resident ID in it masked (隐去文本中的身份证号码).

    The one masking routine of every output boundary: it finds IDs written whole, with
    spaces, hyphens or dashes between digit groups, in full-width digits, at the start, the
    end or the middle of any text, and replaces each with its masked form (:func:`mask` of
    the ID without separators). Text without an ID is returned unchanged; so are ISO dates
    written one after another.

    >>> mask_text("household 110105 19491231 002X, ok")
    'household 110105********002X, ok'
    >>> mask_text("110105-1949-1231-002x")
    '110105********002x'
    >>> mask_text("2024-08-15 2024-09-30: 1450.00")
    '2024-08-15 2024-09-30: 1450.00'
    """
    return _ID_IN_TEXT.sub(_mask_match, text)


def _mask_match(match: re.Match[str]) -> str:
    found = match.group()
    if _DATES.fullmatch(found):
        return found
    return mask(_SEPARATOR.sub("", found))


class Sex(enum.Enum):
    """Sex as recorded on a resident ID (性别): odd sequence digit male, even female."""

    MALE = "male"
    FEMALE = "female"

    @property
    def zh(self) -> str:
        """男 / 女."""
        return "男" if self is Sex.MALE else "女"


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits.

    >>> resident_id_check_char("11010519491231002")
    'X'
    """
    total = sum(int(c) * w for c, w in zip(first17, _RID_WEIGHTS, strict=True))
    return _RID_CHECK[total % 11]


def _known_area(code: str) -> bool:
    from civilaffairs import regions

    return regions.exists(code)


class _Identifier:
    """What both identifiers share: the whole value kept private, masked ``str`` and
    ``repr``, equality and hashing on the whole value, and pickling without re-checking."""

    __slots__ = ("_value",)

    _value: str

    @property
    def unmasked(self) -> str:
        """The whole identifier. Read it only to store or match it; never display or log it."""
        return self._value

    @property
    def masked(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{self.masked}')"

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._value))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._value))


def _rebuild(cls: type[_Identifier], value: str) -> _Identifier:
    return cls(value, _checked=True)  # type: ignore[call-arg]


class ResidentId(_Identifier):
    """A validated 18-character resident identity number (公民身份号码, GB 11643-1999).

    Build it with :meth:`parse`. ``str()``/``repr()`` show it masked; the whole number is
    :attr:`unmasked`, the one place it can be read.
    """

    __slots__ = ("birth_date", "region_code", "sex")

    birth_date: _dt.date
    region_code: str
    sex: Sex

    def __init__(self, value: str, *, _checked: bool = False) -> None:
        if not _checked:
            raise TypeError("use ResidentId.parse(...) to build a ResidentId")
        self._value = value
        self.region_code = value[:6]
        self.birth_date = _dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        self.sex = Sex.MALE if int(value[16]) % 2 else Sex.FEMALE

    @classmethod
    def parse(
        cls, value: object, *, today: _dt.date | None = None, check_region: bool = True
    ) -> ResidentId:
        """Validate and parse a resident ID.

        Checks: 18 characters, 17 digits then a digit or ``X`` (``x`` is accepted), the
        check character, a real birth date not in the future (relative to *today*), and an
        area code that names a known administrative division (any year of the GB/T 2260
        table) unless *check_region* is false.

        Raises :class:`~civilaffairs.errors.InvalidIdentifier`, with the ID masked.
        """
        if isinstance(value, ResidentId):
            return value
        if not isinstance(value, str):
            raise InvalidIdentifier(
                f"resident ID must be text, got {type(value).__name__} (身份证号码须为文本)",
                zh=f"身份证号码须为文本，实为 {type(value).__name__}",
            )
        s = value.strip().upper()
        shown = mask(s)
        if len(s) != 18:
            raise InvalidIdentifier(
                f"resident ID {shown} has {len(s)} characters, expected 18 (身份证号码应为18位)",
                zh=f"身份证号码 {shown} 有{len(s)}位，应为18位",
            )
        if not s[:17].isascii() or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
            raise InvalidIdentifier(
                f"resident ID {shown} must be 17 digits and a digit or X (身份证号码含非法字符)",
                zh=f"身份证号码 {shown} 含非法字符，应为17位数字加1位数字或 X",
            )
        if resident_id_check_char(s[:17]) != s[17]:
            raise InvalidIdentifier(
                f"resident ID {shown} fails the GB 11643 check character (身份证号码校验码错误)",
                zh=f"身份证号码 {shown} 校验码错误（不符合 GB 11643）",
            )
        try:
            born = _dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
        except ValueError:
            raise InvalidIdentifier(
                f"resident ID {shown} has no real birth date (身份证号码出生日期无效)",
                zh=f"身份证号码 {shown} 中的出生日期不存在",
            ) from None
        if born > (today or _dt.date.today()) or born.year < 1850:
            raise InvalidIdentifier(
                f"resident ID {shown} has a birth date out of range (身份证号码出生日期超出范围)",
                zh=f"身份证号码 {shown} 中的出生日期超出范围",
            )
        if check_region and not _known_area(s[:6]):
            raise InvalidIdentifier(
                f"resident ID {shown} has an unknown area code {s[:6]} (身份证号码地址码未知)",
                zh=f"身份证号码 {shown} 的地址码 {s[:6]} 未知",
            )
        return cls(s, _checked=True)

    @property
    def masked(self) -> str:
        """The identifier masked for display (``110105********002X``)."""
        return mask(self._value)

    def age_on(self, day: _dt.date) -> int:
        """Age in whole years on *day* (周岁)."""
        return age_on(self.birth_date, day)


def age_on(birth: _dt.date, day: _dt.date) -> int:
    """Whole years (周岁) from *birth* to *day*; a 29 February birthday falls on 1 March."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


class Authority(enum.Enum):
    """Registering authority, position 1 of a credit code (登记管理部门码)."""

    ESTABLISHMENT = "1"  # 机构编制
    FOREIGN_AFFAIRS = "2"  # 外交
    JUSTICE = "3"  # 司法行政
    CULTURE = "4"  # 文化
    CIVIL_AFFAIRS = "5"  # 民政
    TOURISM = "6"  # 旅游
    RELIGION = "7"  # 宗教
    TRADE_UNION = "8"  # 工会
    MARKET_REGULATION = "9"  # 工商 / 市场监管
    MILITARY = "A"  # 中央军委改革和编制办公室
    AGRICULTURE = "N"  # 农业
    OTHER = "Y"  # 其他

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return _AUTHORITY_ZH[self]


_AUTHORITY_ZH = {
    Authority.ESTABLISHMENT: "机构编制",
    Authority.FOREIGN_AFFAIRS: "外交",
    Authority.JUSTICE: "司法行政",
    Authority.CULTURE: "文化",
    Authority.CIVIL_AFFAIRS: "民政",
    Authority.TOURISM: "旅游",
    Authority.RELIGION: "宗教",
    Authority.TRADE_UNION: "工会",
    Authority.MARKET_REGULATION: "工商",
    Authority.MILITARY: "中央军委改革和编制办公室",
    Authority.AGRICULTURE: "农业",
    Authority.OTHER: "其他",
}


class OrgType(enum.Enum):
    """Organisation type, position 2 read under its authority (机构类别码)."""

    SOCIAL_ORGANIZATION = "social_organization"  # 5-1 社会团体
    SOCIAL_SERVICE_ORGANIZATION = "social_service_organization"  # 5-2 民办非企业单位/社会服务机构
    FOUNDATION = "foundation"  # 5-3 基金会
    GOVERNMENT_AGENCY = "government_agency"  # 1-1 机关
    PUBLIC_INSTITUTION = "public_institution"  # 1-2 事业单位
    ENTERPRISE = "enterprise"  # 9-1 企业
    INDIVIDUAL_BUSINESS = "individual_business"  # 9-2 个体工商户
    FARMERS_COOPERATIVE = "farmers_cooperative"  # 9-3 农民专业合作社
    OTHER = "other"

    @property
    def zh(self) -> str:
        """The Chinese name."""
        return _ORGTYPE_ZH[self]

    @property
    def is_civil_affairs(self) -> bool:
        """Whether this is one of the social-organisation types registered by civil affairs."""
        return self in (
            OrgType.SOCIAL_ORGANIZATION,
            OrgType.SOCIAL_SERVICE_ORGANIZATION,
            OrgType.FOUNDATION,
        )


_ORGTYPE_ZH = {
    OrgType.SOCIAL_ORGANIZATION: "社会团体",
    OrgType.SOCIAL_SERVICE_ORGANIZATION: "民办非企业单位/社会服务机构",
    OrgType.FOUNDATION: "基金会",
    OrgType.GOVERNMENT_AGENCY: "机关",
    OrgType.PUBLIC_INSTITUTION: "事业单位",
    OrgType.ENTERPRISE: "企业",
    OrgType.INDIVIDUAL_BUSINESS: "个体工商户",
    OrgType.FARMERS_COOPERATIVE: "农民专业合作社",
    OrgType.OTHER: "其他",
}

_ORG_TYPES: dict[tuple[str, str], OrgType] = {
    ("5", "1"): OrgType.SOCIAL_ORGANIZATION,
    ("5", "2"): OrgType.SOCIAL_SERVICE_ORGANIZATION,
    ("5", "3"): OrgType.FOUNDATION,
    ("1", "1"): OrgType.GOVERNMENT_AGENCY,
    ("1", "2"): OrgType.PUBLIC_INSTITUTION,
    ("9", "1"): OrgType.ENTERPRISE,
    ("9", "2"): OrgType.INDIVIDUAL_BUSINESS,
    ("9", "3"): OrgType.FARMERS_COOPERATIVE,
}


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters.

    >>> credit_code_check_char("91110000600037341")
    'L'
    """
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


class CreditCode(_Identifier):
    """A validated unified social credit code (统一社会信用代码, GB 32100-2015).

    Masked in ``str``/``repr``; the whole code is :attr:`unmasked`.
    """

    __slots__ = ("authority", "org_type")

    authority: Authority
    org_type: OrgType

    def __init__(self, value: str, *, _checked: bool = False) -> None:
        if not _checked:
            raise TypeError("use CreditCode.parse(...) to build a CreditCode")
        self._value = value
        self.authority = Authority(value[0])
        self.org_type = _ORG_TYPES.get((value[0], value[1]), OrgType.OTHER)

    @classmethod
    def parse(cls, value: object) -> CreditCode:
        """Validate: 18 characters of the GB 32100 alphabet, a known authority, the check
        character. Raises :class:`~civilaffairs.errors.InvalidIdentifier`."""
        if isinstance(value, CreditCode):
            return value
        if not isinstance(value, str):
            raise InvalidIdentifier(
                f"credit code must be text, got {type(value).__name__} (信用代码须为文本)",
                zh=f"统一社会信用代码须为文本，实为 {type(value).__name__}",
            )
        s = value.strip().upper()
        shown = _mask_credit(s)
        if len(s) != 18:
            raise InvalidIdentifier(
                f"credit code {shown} has {len(s)} characters, expected 18 (信用代码应为18位)",
                zh=f"统一社会信用代码 {shown} 有{len(s)}位，应为18位",
            )
        bad = sorted({c for c in s if c not in _USCC_VALUE})
        if bad:
            raise InvalidIdentifier(
                f"credit code {shown} has characters outside the GB 32100 alphabet "
                f"(信用代码含非法字符)",
                zh=f"统一社会信用代码 {shown} 含 GB 32100 字符集以外的字符",
            )
        try:
            Authority(s[0])
        except ValueError:
            raise InvalidIdentifier(
                f"credit code {shown} has unknown registering authority {s[0]!r} "
                "(登记管理部门码未知)",
                zh=f"统一社会信用代码 {shown} 的登记管理部门码 {s[0]!r} 未知",
            ) from None
        if credit_code_check_char(s[:17]) != s[17]:
            raise InvalidIdentifier(
                f"credit code {shown} fails the GB 32100 check character (信用代码校验码错误)",
                zh=f"统一社会信用代码 {shown} 校验码错误（不符合 GB 32100）",
            )
        return cls(s, _checked=True)

    @property
    def masked(self) -> str:
        """The code masked for display."""
        return _mask_credit(self._value)

    @property
    def region_code(self) -> str:
        """Positions 3-8: the administrative division of the registering authority."""
        return self._value[2:8]

    @property
    def organization_code(self) -> str:
        """Positions 9-17: the organisation code (主体标识码)."""
        return self._value[8:17]


def _mask_credit(s: str) -> str:
    if len(s) == 18:
        return s[:8] + "******" + s[-4:]
    return mask(s)

"""Marriage registration (婚姻登记): the checks a registrar makes before registering a
marriage, the void and voidable grounds of a registered marriage, and the dates of the
divorce cooling-off period.

Legal basis
-----------
* 《中华人民共和国民法典》(2020, in force 2021-01-01), 第五编 婚姻家庭:
  art. 1041 (monogamy), 1042 (bigamy prohibited), 1046 (full free will of the man and the
  woman), 1047 (minimum ages: man 22, woman 20), 1048 (direct blood relatives and
  collateral blood relatives within three generations may not marry), 1049 (both apply in
  person), 1051 (void marriages), 1052 (coercion: annulment within one year of the end of
  the coercion or of unlawful confinement), 1053 (concealed serious illness: within one
  year of knowing), 1077 (the 30-day divorce cooling-off period and the 30 days after it);
  arts. 201-203 (counting periods: the first day is not counted, a period in years ends on
  the corresponding day, or the month's last day; a last day that is a statutory holiday
  moves to the day after the holiday).
* 最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）(法释〔2020〕22号)
  art. 10: a void ground that has ceased when the suit is brought is not upheld.
* 婚姻登记条例: 2003 text (国务院令第387号) art. 4, registration at the registration
  office of the place of one party's permanent residence (常住户口所在地), with 婚姻登记工作规范
  art. 5 (a county-level office registers couples of whom one has his or her hukou in its
  area); revised by 国务院令第804号 (signed 2025-04-06, in force 2025-05-10), which lets
  couples register at any office (婚姻登记"全国通办"). :data:`PLACE_RULES` holds both
  versions; the registration date chooses one.
* 民政部关于贯彻落实《中华人民共和国民法典》中有关婚姻登记规定的通知 (民发〔2020〕116号),
  as quoted by secondary sources: the cooling-off period is counted from the day after the
  office receives the application, and a last day that is a statutory holiday moves to the
  day after the holiday. The counting agrees with 民法典 arts. 201 and 203.

The three checks
----------------
``marriage.register``
    One decision on a ``marriage_registration``: every condition of 民法典 arts. 1041-1049
    with its article, the ages computed exactly at the birthdays from the resident IDs on
    the registration date, the kinship computed from a declared family tree, and the place
    of registration under the rule version in force on that date.
``marriage.validity``
    One decision on a ``marriage_record``: ``valid``, ``void`` (with its grounds) or
    ``voidable`` (with its grounds and the last day to request annulment).
``marriage.divorce_cooling_off``
    One decision on a ``divorce_application``: the days of the cooling-off period and of
    the certificate window, and the status on the check date.

Values set by law are standards of the module's data file (``marriage.toml``): the two
minimum ages (autonomous areas may set their own, 民法典 art. 1047 read with the 民族区域自治法
power to adapt), the two 30-day periods of art. 1077 and the one-year annulment period.

>>> from civilaffairs.modules.marriage import REGISTER
>>> from civilaffairs.ids import resident_id_check_char as check_char
>>> def rid(body: str) -> str:
...     return body + check_char(body)
>>> record = REGISTER.structure({
...     "type": "marriage_registration", "date": "2025-06-01", "region": "110105",
...     "parties": [
...         {"id_number": rid("11010519990601001"), "name": "甲", "marital_status": "unmarried"},
...         {"id_number": rid("11010520050602002"), "name": "乙", "marital_status": "divorced"},
...     ]})
>>> decision = REGISTER(record, "2025-06-01").decisions[0]
>>> decision.outcome
'not_registrable'
>>> [c.id for c in decision.conditions if c.passed is False]
['min_age[1]']
"""

# The *_field helpers return attrs.field() specifiers, not shared default values.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from civilaffairs.checks import Check, Context
from civilaffairs.domain._enums import LabelledEnum, label
from civilaffairs.domain._privacy import scrubbed_repr
from civilaffairs.domain._validators import (
    ANY_LEVEL,
    COUNTY,
    ID_PATTERN,
    bool_field,
    choice_field,
    date_field,
    enum_field,
    fail,
    identifier_field,
    int_field,
    items_field,
    region_field,
    region_problems,
    text_field,
)
from civilaffairs.errors import CivilAffairsError, FieldError, ValidationError
from civilaffairs.ids import ResidentId, Sex, age_on
from civilaffairs.programs.module import ServiceModule, in_scope
from civilaffairs.standards.catalogue import KeySpec, Unit

__all__ = [
    "ANNULMENT_PERIOD",
    "CERTIFICATE_WINDOW",
    "COOLING_OFF",
    "DIVORCE_COOLING_OFF",
    "MIN_AGE_FEMALE",
    "MIN_AGE_MALE",
    "MODULE",
    "PLACE_RULES",
    "REGISTER",
    "VALIDITY",
    "DivorceApplication",
    "FamilyNode",
    "Kinship",
    "MaritalStatus",
    "MarriageRecord",
    "MarriageRegistration",
    "Party",
    "PlaceRule",
    "RecordFact",
    "RecordParty",
    "add_years",
    "date_of_age",
    "extend_past_rest_days",
    "kinship",
]

#: Civil Code articles, as cited in conditions.
_CC = "民法典"
_BASIS_IN_PERSON = f"{_CC}第一千零四十九条"
_BASIS_FREE_WILL = f"{_CC}第一千零四十六条"
_BASIS_SEX = f"{_CC}第一千零四十六条、第一千零四十九条（男女双方）"
_BASIS_AGE = f"{_CC}第一千零四十七条"
_BASIS_MONOGAMY = f"{_CC}第一千零四十一条、第一千零四十二条"
_BASIS_KINSHIP = f"{_CC}第一千零四十八条"
_BASIS_VOID = f"{_CC}第一千零五十一条"
_BASIS_CEASED = "法释〔2020〕22号（婚姻家庭编解释一）第十条"
_BASIS_COERCION = f"{_CC}第一千零五十二条"
_BASIS_ILLNESS = f"{_CC}第一千零五十三条"
_BASIS_PERIOD = f"{_CC}第二百零一条至第二百零三条"
_BASIS_COOLING = f"{_CC}第一千零七十七条第一款；民发〔2020〕116号"
_BASIS_WINDOW = f"{_CC}第一千零七十七条第二款；民发〔2020〕116号"

#: The furthest collateral generation that bars marriage (民法典 art. 1048: 三代以内).
PROHIBITED_COLLATERAL_GENERATIONS = 3

# -- standard keys ----------------------------------------------------------------------

MIN_AGE_MALE = KeySpec(
    "marriage.min_age.male",
    "法定婚龄（男）",
    "minimum marriage age (man)",
    Unit.YEARS,
    "The age in whole years (周岁) a man must have reached on the registration date.",
    "民法典第一千零四十七条",
)
MIN_AGE_FEMALE = KeySpec(
    "marriage.min_age.female",
    "法定婚龄（女）",
    "minimum marriage age (woman)",
    Unit.YEARS,
    "The age in whole years (周岁) a woman must have reached on the registration date.",
    "民法典第一千零四十七条",
)
COOLING_OFF = KeySpec(
    "marriage.divorce.cooling_off",
    "离婚冷静期",
    "divorce cooling-off period",
    Unit.DAYS,
    "Days after the office receives a divorce-by-agreement application during which either "
    "party may withdraw it; day 1 is the day after receipt.",
    "民法典第一千零七十七条第一款",
)
CERTIFICATE_WINDOW = KeySpec(
    "marriage.divorce.certificate_window",
    "冷静期届满后申请发给离婚证的期限",
    "window to apply for the divorce certificate",
    Unit.DAYS,
    "Days after the cooling-off period within which both parties must apply in person for "
    "the divorce certificate; day 1 is the day after the period's last day.",
    "民法典第一千零七十七条第二款",
)
ANNULMENT_PERIOD = KeySpec(
    "marriage.annulment.period",
    "请求撤销婚姻的期限",
    "period to request annulment",
    Unit.YEARS,
    "Years within which a coerced party (from the end of the coercion or of the unlawful "
    "confinement) or the party not told of a serious illness (from knowing) may ask a court "
    "to annul the marriage.",
    "民法典第一千零五十二条、第一千零五十三条",
)


# -- dates --------------------------------------------------------------------------------


def add_years(day: _dt.date, years: int) -> _dt.date:
    """The corresponding day *years* later (民法典 art. 202); 29 February, where the later
    year has none, becomes 28 February, the last day of that month.

    >>> add_years(_dt.date(2024, 2, 29), 1), add_years(_dt.date(2024, 3, 1), 1)
    (datetime.date(2025, 2, 28), datetime.date(2025, 3, 1))
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return _dt.date(day.year + years, 2, 28)


def date_of_age(birth: _dt.date, years: int) -> _dt.date:
    """The first day on which a person born on *birth* is *years* old in whole years, as
    ``civilaffairs.ids.age_on`` counts: the birthday; for 29 February, 1 March in a
    common year.

    >>> date_of_age(_dt.date(2004, 2, 29), 22)
    datetime.date(2026, 3, 1)
    """
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return _dt.date(birth.year + years, 3, 1)


def extend_past_rest_days(last: _dt.date, rest_days: Sequence[_dt.date]) -> _dt.date:
    """The last day of a period moved past declared statutory holidays (民法典 art. 203: a
    last day that is a 法定休假日 becomes the day after the holiday ends).

    >>> extend_past_rest_days(_dt.date(2025, 10, 1), [_dt.date(2025, 10, d) for d in (1, 2)])
    datetime.date(2025, 10, 3)
    """
    days = set(rest_days)
    while last in days:
        last += _dt.timedelta(days=1)
    return last


def _standard_on(ctx: Context, key: str, day: _dt.date) -> Decimal | None:
    """Standard *key* in force on *day* (not the check date), recorded as used."""
    saved = ctx.on
    ctx.on = day
    try:
        value: Decimal | None = ctx.standard(key)
    finally:
        ctx.on = saved
    return value


# -- the domain ---------------------------------------------------------------------------


class MaritalStatus(LabelledEnum):
    """Marital status a party declares (婚姻状况)."""

    UNMARRIED = "unmarried"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"


label(MaritalStatus, UNMARRIED="未婚", MARRIED="有配偶", DIVORCED="离婚", WIDOWED="丧偶")


def _optional_county(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        fail(attribute, "expected a 6-digit division code as text (应为文本)", zh="应为文本")
    problem = region_problems(value, COUNTY)
    if problem:
        fail(attribute, problem[0], "unknown_region", zh=problem[1])


def _node_id_field(*, optional: bool) -> Any:
    return text_field(max_length=64, pattern=ID_PATTERN, optional=optional, repr=scrubbed_repr)


@attrs.frozen(kw_only=True)
class FamilyNode:
    """One person of a declared family tree (亲属关系图): an id and the ids of the father
    and mother where known. Ids are codes chosen for the tree (``"p1"``, ``"gf"``), not
    names; they are never shown in decisions."""

    id: str = _node_id_field(optional=False)
    father: str | None = _node_id_field(optional=True)
    mother: str | None = _node_id_field(optional=True)


@attrs.frozen(kw_only=True)
class Party:
    """A party to a marriage registration (结婚登记当事人).

    :param id_number: resident ID; sex and birth date are read from it.
    :param name: the party's name (never shown in decisions or errors).
    :param marital_status: declared marital status (婚姻状况).
    :param in_person: whether the party appeared in person (民法典 art. 1049).
    :param free_will: whether the party consents freely (art. 1046).
    :param capacity: whether the party has full capacity to consent (完全民事行为能力).
    :param hukou_region: county of the party's permanent residence (常住户口所在地).
    :param node: the party's id in the record's ``family`` tree.
    """

    id_number: ResidentId = identifier_field(ResidentId, optional=False)
    name: str = text_field(max_length=100, personal=True, repr=scrubbed_repr)
    marital_status: MaritalStatus = enum_field(MaritalStatus)
    in_person: bool | None = bool_field(optional=True)
    free_will: bool | None = bool_field(optional=True)
    capacity: bool | None = bool_field(optional=True)
    hukou_region: str | None = attrs.field(default=None, validator=_optional_county)
    node: str | None = _node_id_field(optional=True)


def _two_different(items: Sequence[Any]) -> list[FieldError]:
    ids = [getattr(p, "id_number", None) for p in items if p is not None]
    if len(ids) == 2 and ids[0] is not None and ids[0] == ids[1]:
        return [
            FieldError(
                "[1].id_number",
                "is the same resident ID as the first party's (双方身份证号码相同)",
                zh="与第一方当事人的身份证号码相同",
            )
        ]
    return []


def _family_problems(
    family: Sequence[FamilyNode], nodes: Sequence[tuple[str, str | None]]
) -> list[FieldError]:
    """Duplicate ids, a parent that is the node itself, a cycle of ancestry, and party
    nodes not in the tree."""
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for i, node in enumerate(family):
        if node.id in seen:
            errors.append(FieldError(f"family[{i}].id", "appears twice (节点重复)", zh="节点重复"))
        seen.setdefault(node.id, i)
        if node.father is not None and node.father == node.mother:
            errors.append(
                FieldError(
                    f"family[{i}].mother",
                    "is the same node as the father (父母为同一节点)",
                    zh="与父亲为同一节点",
                )
            )
        for which in ("father", "mother"):
            if getattr(node, which) == node.id:
                errors.append(
                    FieldError(
                        f"family[{i}].{which}",
                        "is the node itself (不能是本人)",
                        zh="不能是本人",
                    )
                )
    if errors:
        return errors
    tree = {n.id: n for n in family}
    state: dict[str, int] = {}

    def visit(nid: str) -> bool:
        state[nid] = 1
        node = tree.get(nid)
        for parent in (node.father, node.mother) if node else ():
            if parent is None:
                continue
            if state.get(parent) == 1 or (parent not in state and visit(parent)):
                return True
        state[nid] = 2
        return False

    for i, node in enumerate(family):
        if node.id not in state and visit(node.id):
            errors.append(
                FieldError(
                    f"family[{i}]",
                    "the tree makes someone his or her own ancestor (亲属关系图存在循环)",
                    zh="亲属关系图存在循环：某人成为自己的祖先",
                )
            )
            break
    for path, nid in nodes:
        if nid is not None and nid not in tree:
            errors.append(
                FieldError(
                    path,
                    "names no node of 'family' (亲属关系图中无此节点)",
                    zh="亲属关系图中无此节点",
                )
            )
    if len(nodes) == 2 and nodes[0][1] is not None and nodes[0][1] == nodes[1][1]:
        errors.append(
            FieldError(
                nodes[1][0], "is the other party's node (双方为同一节点)", zh="与对方为同一节点"
            )
        )
    return errors


@attrs.frozen(kw_only=True)
class MarriageRegistration:
    """An application to register a marriage (结婚登记申请), input of ``marriage.register``.

    :param date: the registration date (登记日期).
    :param region: the registration office's division (any level: a county's office, or a
        prefecture's or province's where one registers).
    :param parties: exactly the two parties.
    :param family: an optional declared family tree, for the kinship rule.
    :param id: an optional reference of the application.
    """

    date: _dt.date = date_field()
    region: str = region_field(levels=ANY_LEVEL)
    parties: tuple[Party, ...] = items_field(Party, min_items=2, max_items=2, check=_two_different)
    family: tuple[FamilyNode, ...] = items_field(FamilyNode, max_items=10_000)
    id: str | None = text_field(
        max_length=64, pattern=ID_PATTERN, optional=True, repr=scrubbed_repr
    )

    def __attrs_post_init__(self) -> None:
        nodes = [(f"parties[{i}].node", p.node) for i, p in enumerate(self.parties)]
        errors = _family_problems(self.family, nodes) if self.family else []
        if errors:
            raise ValidationError(errors, what="marriage registration")


@attrs.frozen
class Kinship:
    """The blood relation of two people of a family tree (血亲关系).

    :param kind: ``"direct"`` (直系), ``"collateral"`` (旁系) or ``"none"`` (no common
        ancestor in the tree).
    :param generations: for ``direct``, the generations counted from the younger to the
        elder, both included (father and son: 2); for ``collateral``, the larger of the two
        counts from each person to the nearest common ancestor, both included (siblings: 2,
        first cousins: 3, uncle and niece: 3); 0 for ``none``.
    """

    kind: str
    generations: int

    @property
    def prohibited(self) -> bool:
        """Whether 民法典 art. 1048 bars the two from marrying."""
        if self.kind == "direct":
            return True
        return self.kind == "collateral" and self.generations <= PROHIBITED_COLLATERAL_GENERATIONS


def _ancestry(tree: Mapping[str, FamilyNode], start: str) -> dict[str, int]:
    """Every ancestor of *start* (and *start*) with its generation count: *start* 1,
    parents 2, grandparents 3; the nearest where there are several lines."""
    out = {start: 1}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for nid in frontier:
            node = tree.get(nid)
            if node is None:
                continue
            for parent in (node.father, node.mother):
                if parent is not None and parent not in out:
                    out[parent] = out[nid] + 1
                    following.append(parent)
        frontier = following
    return out


def kinship(family: Sequence[FamilyNode], a: str, b: str) -> Kinship:
    """The blood relation of nodes *a* and *b* of *family* (民法典 art. 1048 counting:
    oneself is the first generation, the parents the second, the grandparents the third).

    >>> tree = [FamilyNode(id="a", father="f"), FamilyNode(id="b", father="f"),
    ...         FamilyNode(id="c", mother="b")]
    >>> kinship(tree, "a", "b"), kinship(tree, "a", "c"), kinship(tree, "f", "c")
    (Kinship(kind='collateral', generations=2), Kinship(kind='collateral', generations=3), \
Kinship(kind='direct', generations=3))
    """
    tree = {n.id: n for n in family}
    up_a, up_b = _ancestry(tree, a), _ancestry(tree, b)
    if b in up_a:
        return Kinship("direct", up_a[b])
    if a in up_b:
        return Kinship("direct", up_b[a])
    common = set(up_a) & set(up_b)
    if not common:
        return Kinship("none", 0)
    return Kinship("collateral", min(max(up_a[c], up_b[c]) for c in common))


# -- place of registration: two dated rule versions -------------------------------------


@attrs.frozen
class PlaceRule:
    """One version of the rule on where a couple may register (结婚登记管辖).

    :param id: ``"hukou_place"`` or ``"nationwide"``.
    :param effective_from: first registration date it governs (``None``: since before any
        date checked).
    :param effective_to: last registration date it governs (``None``: still in force).
    :param basis: the regulation and article.
    """

    id: str
    effective_from: _dt.date | None
    effective_to: _dt.date | None
    basis: str
    zh: str
    en: str

    def covers(self, day: _dt.date) -> bool:
        """Whether the version governs a registration on *day*."""
        return (self.effective_from is None or day >= self.effective_from) and (
            self.effective_to is None or day <= self.effective_to
        )


#: The date the revised 婚姻登记条例 (国务院令第804号) came into force.
NATIONWIDE_FROM = _dt.date(2025, 5, 10)

#: The two versions of the place-of-registration rule, in date order.
PLACE_RULES: tuple[PlaceRule, ...] = (
    PlaceRule(
        "hukou_place",
        None,
        NATIONWIDE_FROM - _dt.timedelta(days=1),
        "婚姻登记条例（国务院令第387号，2003年）第四条；婚姻登记工作规范第五条",
        "到一方当事人常住户口所在地的婚姻登记机关办理",
        "at the registration office of the place of one party's permanent residence (hukou)",
    ),
    PlaceRule(
        "nationwide",
        NATIONWIDE_FROM,
        None,
        "婚姻登记条例（国务院令第804号修订，2025年5月10日起施行）",
        "可到任一婚姻登记机关办理（全国通办）",
        "at any registration office (nationwide registration)",
    ),
)


def _place_rule(day: _dt.date) -> PlaceRule:
    return next(r for r in PLACE_RULES if r.covers(day))


# -- marriage.register --------------------------------------------------------------------


def _who(i: int, party: Party | RecordParty) -> str:
    return f"{i + 1}（{party.id_number}）"


def _who_en(i: int, party: Party | RecordParty) -> str:
    return f"{i + 1} ({party.id_number})"


def _flag(
    ctx: Context,
    cid: str,
    value: bool | None,
    basis: str,
    zh: tuple[str, str, str],
    en: tuple[str, str, str],
    **values: Any,
) -> None:
    """A condition read from a declared flag: yes, no, or not declared (not tested)."""
    which = 0 if value is True else 1 if value is False else 2
    ctx.condition(cid, value, zh=zh[which], en=en[which], basis=basis, **values)


def _register(record: MarriageRegistration, ctx: Context) -> None:
    day = record.date
    ctx.fact("registration_date", day)
    ctx.fact("check_date", ctx.on)
    parties = record.parties
    for i, p in enumerate(parties):
        who, who_en = _who(i, p), _who_en(i, p)
        _flag(
            ctx,
            f"in_person[{i}]",
            p.in_person,
            _BASIS_IN_PERSON,
            (
                "当事人{who}亲自到场",
                "当事人{who}未亲自到场",
                "当事人{who}是否亲自到场未申报，未核查",
            ),
            (
                "party {who_en} appears in person",
                "party {who_en} does not appear in person",
                "whether party {who_en} appears in person is not declared: not tested",
            ),
            who=who,
            who_en=who_en,
            in_person=p.in_person,
        )
        _flag(
            ctx,
            f"free_will[{i}]",
            p.free_will,
            _BASIS_FREE_WILL,
            (
                "当事人{who}完全自愿",
                "当事人{who}并非完全自愿",
                "当事人{who}是否完全自愿未申报，未核查",
            ),
            (
                "party {who_en} consents freely",
                "party {who_en} does not consent freely",
                "whether party {who_en} consents freely is not declared: not tested",
            ),
            who=who,
            who_en=who_en,
            free_will=p.free_will,
        )
        if p.capacity is not None:
            _flag(
                ctx,
                f"capacity[{i}]",
                p.capacity,
                _BASIS_FREE_WILL,
                (
                    "当事人{who}具有完全民事行为能力",
                    "当事人{who}不具有完全民事行为能力，无法作出结婚的意思表示",
                    "",
                ),
                (
                    "party {who_en} has full civil capacity",
                    "party {who_en} lacks full civil capacity to consent to marriage",
                    "",
                ),
                who=who,
                who_en=who_en,
                capacity=p.capacity,
            )
    sexes = [p.id_number.sex for p in parties]
    ctx.condition(
        "different_sex",
        sexes[0] is not sexes[1],
        zh="双方性别（据身份证号码）：{sex_1}、{sex_2}；结婚须为男女双方",
        en="sexes from the resident IDs: {sex_1_en}, {sex_2_en}; marriage is between a man "
        "and a woman",
        basis=_BASIS_SEX,
        sex_1=sexes[0].zh,
        sex_2=sexes[1].zh,
        sex_1_en=sexes[0].value,
        sex_2_en=sexes[1].value,
    )
    for i, p in enumerate(parties):
        _check_age(ctx, i, p, day)
    for i, p in enumerate(parties):
        status = p.marital_status
        ctx.condition(
            f"no_spouse[{i}]",
            status is not MaritalStatus.MARRIED,
            zh="当事人{who}婚姻状况：{status}；有配偶者不得结婚",
            en="party {who_en} marital status: {status_en}; a married person may not marry",
            basis=_BASIS_MONOGAMY,
            who=_who(i, p),
            who_en=_who_en(i, p),
            status=status.zh,
            status_en=status.value,
        )
    _check_kinship(ctx, record)
    _check_place(ctx, record)
    failed = any(c.passed is False for c in ctx._conditions)
    untested = any(c.passed is None for c in ctx._conditions)
    outcome = "not_registrable" if failed else "incomplete" if untested else "registrable"
    ctx.decide(record.id or "marriage_registration", outcome)


def _min_age(ctx: Context, sex: Sex, day: _dt.date) -> int | None:
    key = MIN_AGE_MALE.key if sex is Sex.MALE else MIN_AGE_FEMALE.key
    value = _standard_on(ctx, key, day)
    return None if value is None else int(value)


def _check_age(ctx: Context, i: int, p: Party, day: _dt.date) -> None:
    sex = p.id_number.sex
    minimum = _min_age(ctx, sex, day)
    birth = p.id_number.birth_date
    age = ctx.step(
        f"age[{i}]",
        "whole years from birth_date to registration_date",
        birth_date=birth,
        registration_date=day,
        result=age_on(birth, day),
    )
    values = {
        "who": _who(i, p),
        "who_en": _who_en(i, p),
        "sex": sex.zh,
        "sex_en": sex.value,
        "age": age,
        "minimum": minimum,
    }
    if minimum is None:
        ctx.condition(
            f"min_age[{i}]",
            None,
            zh="当事人{who}（{sex}）登记日 {age} 周岁；法定婚龄标准未设定，未核查",
            en="party {who_en} ({sex_en}) is {age} on the registration date; the minimum age "
            "is not set: not tested",
            basis=_BASIS_AGE,
            **values,
        )
        return
    reaches = date_of_age(birth, minimum)
    ctx.condition(
        f"min_age[{i}]",
        age >= minimum,
        zh="当事人{who}（{sex}）登记日 {age} 周岁，法定婚龄 {minimum} 周岁（{reaches} 满）",
        en="party {who_en} ({sex_en}) is {age} on the registration date; the minimum age is "
        "{minimum}, reached on {reaches}",
        basis=_BASIS_AGE,
        reaches=reaches,
        **values,
    )


def _check_kinship(ctx: Context, record: MarriageRegistration) -> None:
    nodes = [p.node for p in record.parties]
    if not record.family or nodes[0] is None or nodes[1] is None:
        ctx.condition(
            "kinship",
            None,
            zh="未申报亲属关系图（或当事人节点），血亲关系未核查；以当事人签字声明为准",
            en="no family tree (or party node) declared: kinship not tested; the parties' "
            "signed declaration stands",
            basis=_BASIS_KINSHIP,
        )
        return
    _kinship_condition(ctx, kinship(record.family, nodes[0], nodes[1]))


def _kinship_condition(ctx: Context, found: Kinship) -> None:
    kind_zh = {"direct": "直系血亲", "collateral": "旁系血亲", "none": "无共同祖先"}[found.kind]
    values = {
        "kind": kind_zh,
        "kind_en": found.kind,
        "generations": found.generations,
        "limit": PROHIBITED_COLLATERAL_GENERATIONS,
    }
    if found.kind == "direct":
        zh = "双方为直系血亲（相隔 {generations} 代，含本人）；直系血亲禁止结婚"
        en = "the parties are direct blood relatives ({generations} generations); prohibited"
    elif found.kind == "collateral":
        zh = "双方为 {generations} 代旁系血亲；{limit} 代以内旁系血亲禁止结婚"
        en = (
            "the parties are collateral blood relatives, {generations} generations from their "
            "nearest common ancestor; within {limit} generations is prohibited"
        )
    else:
        zh = "亲属关系图中双方无共同祖先：{kind}"
        en = "the parties have no common ancestor in the family tree ({kind_en})"
    ctx.condition("kinship", not found.prohibited, zh=zh, en=en, basis=_BASIS_KINSHIP, **values)


def _check_place(ctx: Context, record: MarriageRegistration) -> None:
    rule = _place_rule(record.date)
    ctx.fact("place_rule", f"{rule.id}: {rule.basis}")
    if rule.id == "nationwide":
        ctx.condition(
            "place",
            True,
            zh="登记日 {date} 适用：{rule}；登记机关 {region}",
            en="on {date} the rule is: {rule_en}; office {region}",
            basis=rule.basis,
            date=record.date,
            rule=rule.zh,
            rule_en=rule.en,
            region=record.region,
        )
        return
    hukou = [p.hukou_region for p in record.parties]
    given = [h for h in hukou if h is not None]
    values = {
        "date": record.date,
        "rule": rule.zh,
        "rule_en": rule.en,
        "region": record.region,
        "hukou": given,
    }
    if not given:
        ctx.condition(
            "place",
            None,
            zh="登记日 {date} 适用：{rule}；双方常住户口所在地未申报，未核查",
            en="on {date} the rule is: {rule_en}; neither party's hukou place is declared: "
            "not tested",
            basis=rule.basis,
            **values,
        )
        return
    inside = any(in_scope(h, (record.region,)) for h in given)
    ctx.condition(
        "place",
        inside,
        zh="登记日 {date} 适用：{rule}；登记机关 {region}，常住户口所在地 {hukou}",
        en="on {date} the rule is: {rule_en}; office {region}, hukou places {hukou}",
        basis=rule.basis,
        **values,
    )


REGISTER = Check(
    "marriage.register",
    "结婚登记审查",
    "marriage registration check",
    MarriageRegistration,
    _register,
    type_name="marriage_registration",
    basis="民法典第一千零四十一条至第一千零四十九条；婚姻登记条例",
    description_zh="结婚登记前逐项审查：亲自到场、完全自愿、男女双方、法定婚龄、无配偶、"
    "无禁止结婚的血亲关系、登记机关管辖。",
    description_en="Every condition of registering a marriage: in person, free will, a man "
    "and a woman, minimum ages, no spouse, no prohibited kinship, the place of registration.",
)


# -- marriage.validity --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RecordParty:
    """A party of a registered marriage (婚姻当事人): the resident ID and, for the
    kinship rule, the node in the record's ``family`` tree."""

    id_number: ResidentId = identifier_field(ResidentId, optional=False)
    node: str | None = _node_id_field(optional=True)


#: The kinds of declared facts of a marriage record.
FACT_KINDS = ("bigamy", "prohibited_kinship", "coercion", "confinement", "concealed_illness")


@attrs.frozen(kw_only=True)
class RecordFact:
    """A fact declared about a registered marriage (婚姻事实).

    :param kind: ``bigamy`` (重婚: *party* had a spouse when registering; *ended_on*: the
        day that earlier marriage ended, if it has), ``prohibited_kinship`` (禁止结婚的亲属关系),
        ``coercion`` (胁迫: *party* was coerced; *ended_on*: the day the coercion ended),
        ``confinement`` (被非法限制人身自由: *ended_on*: the day freedom was restored),
        ``concealed_illness`` (*party* concealed a serious illness; *known_on*: the day the
        other party knew or should have known).
    :param party: 0 or 1, the index of the party concerned.
    """

    kind: str = choice_field(FACT_KINDS)
    party: int | None = int_field(minimum=0, maximum=1, optional=True)
    ended_on: _dt.date | None = date_field(optional=True)
    known_on: _dt.date | None = date_field(optional=True)


def _fact_problems(facts: Sequence[Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    needs = {
        "bigamy": ("party",),
        "coercion": ("party", "ended_on"),
        "confinement": ("party", "ended_on"),
        "concealed_illness": ("party", "known_on"),
        "prohibited_kinship": (),
    }
    for i, fact in enumerate(facts):
        if fact is None:
            continue
        for name in needs.get(fact.kind, ()):
            if getattr(fact, name) is None:
                errors.append(
                    FieldError(
                        f"[{i}].{name}",
                        f"is required for a {fact.kind} fact (此类事实必填)",
                        "required",
                        zh="此类事实必须填写",
                    )
                )
    return errors


@attrs.frozen(kw_only=True)
class MarriageRecord:
    """A registered marriage (婚姻登记记录), input of ``marriage.validity``.

    :param registered_on: the registration date.
    :param region: the registration office's division.
    :param parties: the two parties.
    :param facts: declared facts with their dates.
    :param family: an optional family tree, for the kinship ground.
    :param rest_days: statutory holidays (法定休假日) to move a deadline past (art. 203).
    """

    registered_on: _dt.date = date_field()
    region: str = region_field(levels=ANY_LEVEL)
    parties: tuple[RecordParty, ...] = items_field(
        RecordParty, min_items=2, max_items=2, check=_two_different
    )
    facts: tuple[RecordFact, ...] = items_field(RecordFact, max_items=100, check=_fact_problems)
    family: tuple[FamilyNode, ...] = items_field(FamilyNode, max_items=10_000)
    rest_days: tuple[_dt.date, ...] = attrs.field(default=(), converter=tuple)
    id: str | None = text_field(
        max_length=64, pattern=ID_PATTERN, optional=True, repr=scrubbed_repr
    )

    def __attrs_post_init__(self) -> None:
        errors: list[FieldError] = []
        if self.family:
            nodes = [(f"parties[{i}].node", p.node) for i, p in enumerate(self.parties)]
            errors.extend(_family_problems(self.family, nodes))
        for i, fact in enumerate(self.facts):
            for name in ("ended_on", "known_on"):
                day = getattr(fact, name)
                if (
                    day is not None
                    and day < self.registered_on
                    and not (fact.kind == "bigamy" and name == "ended_on")
                ):
                    errors.append(
                        FieldError(
                            f"facts[{i}].{name}",
                            f"{day.isoformat()} is before the registration date "
                            f"{self.registered_on.isoformat()} (早于登记日期)",
                            zh=f"{day.isoformat()} 早于登记日期 {self.registered_on.isoformat()}",
                        )
                    )
            if (
                fact.kind == "bigamy"
                and fact.ended_on is not None
                and fact.ended_on < (self.registered_on)
            ):
                errors.append(
                    FieldError(
                        f"facts[{i}].ended_on",
                        "the earlier marriage ended before this registration: no bigamy "
                        "(前婚在登记前已终止，不构成重婚)",
                        zh="前婚在本次登记前已终止，不构成重婚",
                    )
                )
        if errors:
            raise ValidationError(errors, what="marriage record")


def _validity(record: MarriageRecord, ctx: Context) -> None:
    on = ctx.on
    if on < record.registered_on:
        raise CivilAffairsError(
            f"the check date {on.isoformat()} is before the registration date "
            f"{record.registered_on.isoformat()}",
            path="registered_on",
            zh=f"核查日期 {on.isoformat()} 早于登记日期 {record.registered_on.isoformat()}",
        )
    ctx.fact("registration_date", record.registered_on)
    ctx.fact("check_date", on)
    void: list[str] = []
    voidable: list[tuple[str, _dt.date]] = []
    facts = record.facts
    # bigamy (art. 1051 (一)), ceasing when the earlier marriage has ended (解释一 art. 10)
    for fact in (f for f in facts if f.kind == "bigamy"):
        assert fact.party is not None
        p = record.parties[fact.party]
        ceased = fact.ended_on is not None and fact.ended_on <= on
        values: dict[str, Any] = {
            "who": _who(fact.party, p),
            "who_en": _who_en(fact.party, p),
            "ended_on": fact.ended_on,
        }
        if ceased:
            ctx.condition(
                f"bigamy[{fact.party}]",
                True,
                zh="当事人{who}登记时已有配偶（重婚），但前婚已于 {ended_on} 终止，无效情形已消失",
                en="party {who_en} had a spouse when registering (bigamy), but that marriage "
                "ended on {ended_on}: the void ground has ceased",
                basis=f"{_BASIS_VOID}；{_BASIS_CEASED}",
                **values,
            )
        else:
            void.append("bigamy")
            ctx.condition(
                f"bigamy[{fact.party}]",
                False,
                zh="当事人{who}登记时已有配偶，前婚未终止（终止日：{ended_on}）：重婚",
                en="party {who_en} had a spouse when registering and that marriage has not "
                "ended (ended on: {ended_on}): bigamy",
                basis=_BASIS_VOID,
                **values,
            )
    # prohibited kinship (art. 1051 (二)), declared or computed from the tree
    nodes = [p.node for p in record.parties]
    if any(f.kind == "prohibited_kinship" for f in facts):
        void.append("prohibited_kinship")
        ctx.condition(
            "kinship",
            False,
            zh="申报：双方有禁止结婚的亲属关系",
            en="declared: the parties are within the prohibited degrees of kinship",
            basis=f"{_BASIS_VOID}；{_BASIS_KINSHIP}",
        )
    elif record.family and nodes[0] is not None and nodes[1] is not None:
        found = kinship(record.family, nodes[0], nodes[1])
        _kinship_condition(ctx, found)
        if found.prohibited:
            void.append("prohibited_kinship")
    _under_age(ctx, record, void)
    _voidable(ctx, record, voidable)
    if void:
        ctx.fact("grounds", sorted(set(void)))
        outcome = "void"
    elif voidable:
        ctx.fact("grounds", sorted({g for g, _ in voidable}))
        ctx.fact("annulment_deadline", max(d for _, d in voidable))
        outcome = "voidable"
    else:
        outcome = "valid"
    ctx.decide(record.id or "marriage_record", outcome, passed=outcome == "valid")


def _under_age(ctx: Context, record: MarriageRecord, void: list[str]) -> None:
    """Under age at registration (art. 1051 (三)), ceasing once of age (解释一 art. 10)."""
    on = ctx.on
    for i, p in enumerate(record.parties):
        minimum = _min_age(ctx, p.id_number.sex, record.registered_on)
        birth = p.id_number.birth_date
        age = ctx.step(
            f"age[{i}]",
            "whole years from birth_date to registered_on",
            birth_date=birth,
            registered_on=record.registered_on,
            result=age_on(birth, record.registered_on),
        )
        values: dict[str, Any] = {
            "who": _who(i, p),
            "who_en": _who_en(i, p),
            "age": age,
            "minimum": minimum,
        }
        if minimum is None:
            ctx.condition(
                f"under_age[{i}]",
                None,
                zh="当事人{who}登记时 {age} 周岁；法定婚龄标准未设定，未核查",
                en="party {who_en} was {age} when registering; the minimum age is not set: "
                "not tested",
                basis=_BASIS_VOID,
                **values,
            )
            continue
        if age >= minimum:
            ctx.condition(
                f"under_age[{i}]",
                True,
                zh="当事人{who}登记时 {age} 周岁，已到法定婚龄 {minimum} 周岁",
                en="party {who_en} was {age} when registering, of the minimum age {minimum}",
                basis=_BASIS_VOID,
                **values,
            )
            continue
        reaches = date_of_age(birth, minimum)
        if reaches <= on:
            ctx.condition(
                f"under_age[{i}]",
                True,
                zh="当事人{who}登记时 {age} 周岁，未到法定婚龄 {minimum} 周岁；"
                "已于 {reaches} 达到，无效情形已消失",
                en="party {who_en} was {age} when registering, under the minimum age "
                "{minimum}; reached it on {reaches}: the void ground has ceased",
                basis=f"{_BASIS_VOID}；{_BASIS_CEASED}",
                reaches=reaches,
                **values,
            )
        else:
            void.append("under_age")
            ctx.condition(
                f"under_age[{i}]",
                False,
                zh="当事人{who}登记时 {age} 周岁，未到法定婚龄 {minimum} 周岁，"
                "至 {reaches} 方满：婚姻无效",
                en="party {who_en} was {age} when registering, under the minimum age "
                "{minimum}, reached only on {reaches}: void",
                basis=_BASIS_VOID,
                reaches=reaches,
                **values,
            )


def _voidable(ctx: Context, record: MarriageRecord, voidable: list[tuple[str, _dt.date]]) -> None:
    """Coercion, confinement and concealed illness (arts. 1052, 1053): one year from the
    start date."""
    on = ctx.on
    facts = record.facts
    period = ctx.standard(ANNULMENT_PERIOD.key)
    for fact in facts:
        if fact.kind not in ("coercion", "confinement", "concealed_illness"):
            continue
        assert fact.party is not None
        start = fact.known_on if fact.kind == "concealed_illness" else fact.ended_on
        assert start is not None
        p = record.parties[fact.party]
        other = 1 - fact.party
        if fact.kind == "concealed_illness":
            basis = _BASIS_ILLNESS
            zh_fact = "当事人{who}婚前未如实告知重大疾病，另一方于 {start} 知道"
            en_fact = "party {who_en} concealed a serious illness; the other party knew on {start}"
            requester = other
        else:
            basis = _BASIS_COERCION + ("第一款、第二款" if fact.kind == "coercion" else "第三款")
            zh_fact = (
                "当事人{who}受胁迫结婚，胁迫于 {start} 终止"
                if fact.kind == "coercion"
                else "当事人{who}被非法限制人身自由，于 {start} 恢复"
            )
            en_fact = (
                "party {who_en} was coerced; the coercion ended on {start}"
                if fact.kind == "coercion"
                else "party {who_en} was unlawfully confined; freedom restored on {start}"
            )
            requester = fact.party
        values: dict[str, Any] = {
            "who": _who(fact.party, p),
            "who_en": _who_en(fact.party, p),
            "start": start,
            "requester": requester + 1,
        }
        cid = f"{fact.kind}[{fact.party}]"
        if period is None:
            ctx.condition(
                cid,
                None,
                zh=zh_fact + "；请求撤销的期限未设定，未核查",
                en=en_fact + "; the period to request annulment is not set: not tested",
                basis=basis,
                **values,
            )
            continue
        years = int(period)
        last = ctx.step(
            f"{cid}.last_day",
            "start + period (corresponding day; art. 202), moved past "
            "declared rest days (art. 203)",
            start=start,
            period_years=years,
            result=extend_past_rest_days(add_years(start, years), record.rest_days),
        )
        values["last"] = last
        values["years"] = years
        if on <= last:
            ground = "coercion" if fact.kind == "confinement" else fact.kind
            voidable.append((ground, last))
            ctx.condition(
                cid,
                False,
                zh=zh_fact + "；当事人 {requester} 可于 {last} 前（含）请求撤销（{years} 年）",
                en=en_fact + "; party {requester} may request annulment until {last} "
                "({years} year)",
                basis=f"{basis}；{_BASIS_PERIOD}",
                **values,
            )
        else:
            ctx.condition(
                cid,
                True,
                zh=zh_fact + "；请求撤销的期限已于 {last} 届满，撤销权消灭",
                en=en_fact + "; the period to request annulment ended on {last}",
                basis=f"{basis}；{_BASIS_PERIOD}",
                **values,
            )


VALIDITY = Check(
    "marriage.validity",
    "婚姻效力审查",
    "validity of a marriage",
    MarriageRecord,
    _validity,
    type_name="marriage_record",
    basis="民法典第一千零五十一条至第一千零五十三条",
    description_zh="已登记婚姻的无效情形（重婚、禁止结婚的亲属关系、未到法定婚龄）与可撤销情形"
    "（胁迫、隐瞒重大疾病）及请求撤销的期限。",
    description_en="The void grounds (bigamy, prohibited kinship, under age) and voidable "
    "grounds (coercion, concealed serious illness) of a registered marriage, with the last "
    "day to request annulment.",
)


# -- marriage.divorce_cooling_off ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class DivorceApplication:
    """A divorce-by-agreement application (离婚登记申请), input of
    ``marriage.divorce_cooling_off``.

    :param applied_on: the day the office received the application.
    :param region: the office's division.
    :param withdrawn_on: the day a party withdrew it, if one did.
    :param certificate_applied_on: the day both parties applied in person for the
        certificate, if they did.
    :param rest_days: statutory holidays (法定休假日) to move a last day past (art. 203);
        none are assumed when none are declared.
    """

    applied_on: _dt.date = date_field()
    region: str = region_field(levels=ANY_LEVEL)
    withdrawn_on: _dt.date | None = date_field(optional=True)
    certificate_applied_on: _dt.date | None = date_field(optional=True)
    rest_days: tuple[_dt.date, ...] = attrs.field(default=(), converter=tuple)
    id: str | None = text_field(
        max_length=64, pattern=ID_PATTERN, optional=True, repr=scrubbed_repr
    )

    def __attrs_post_init__(self) -> None:
        errors: list[FieldError] = []
        for name in ("withdrawn_on", "certificate_applied_on"):
            day = getattr(self, name)
            if day is not None and day < self.applied_on:
                errors.append(
                    FieldError(
                        name,
                        f"{day.isoformat()} is before the application date "
                        f"{self.applied_on.isoformat()} (早于申请日期)",
                        zh=f"{day.isoformat()} 早于申请日期 {self.applied_on.isoformat()}",
                    )
                )
        if self.withdrawn_on is not None and self.certificate_applied_on is not None:
            errors.append(
                FieldError(
                    "certificate_applied_on",
                    "an application cannot be both withdrawn and carried on to the certificate "
                    "(撤回与申请发证不能并存)",
                    zh="已撤回的申请不能再申请发给离婚证",
                )
            )
        if errors:
            raise ValidationError(errors, what="divorce application")


#: How the days are counted, as shown in every decision.
COUNTING_ZH = (
    "自婚姻登记机关收到申请之日的次日起算（第1日为申请次日），最后一日为法定休假日的顺延至休假日"
    "结束的次日（民法典第二百零一条、第二百零三条；民发〔2020〕116号的该表述仅见于转引，未读到原文）"
)
COUNTING_EN = (
    "day 1 is the day after the office receives the application; a last day that is a "
    "statutory holiday moves to the day after the holiday (Civil Code arts. 201, 203; the "
    "same wording of 民发〔2020〕116号 was read only as quoted by secondary sources)"
)


def _cooling_off(record: DivorceApplication, ctx: Context) -> None:
    on = ctx.on
    if on < record.applied_on:
        raise CivilAffairsError(
            f"the check date {on.isoformat()} is before the application date "
            f"{record.applied_on.isoformat()}",
            path="applied_on",
            zh=f"核查日期 {on.isoformat()} 早于申请日期 {record.applied_on.isoformat()}",
        )
    applied = record.applied_on
    ctx.fact("applied_on", applied)
    ctx.fact("check_date", on)
    ctx.fact("counting", COUNTING_ZH)
    ctx.fact("counting_en", COUNTING_EN)
    ctx.fact("rest_days_declared", len(record.rest_days))
    cooling = _standard_on(ctx, COOLING_OFF.key, applied)
    window = _standard_on(ctx, CERTIFICATE_WINDOW.key, applied)
    if cooling is None or window is None:
        ctx.condition(
            "cooling_off_over",
            None,
            zh="申请日 {applied} 无离婚冷静期标准（民法典施行前无冷静期），未核查",
            en="no cooling-off period is set for an application on {applied} (none before "
            "the Civil Code): not tested",
            basis=_BASIS_COOLING,
            applied=applied,
        )
        ctx.decide(record.id or "divorce_application", "not_applicable")
        return
    day_1 = applied + _dt.timedelta(days=1)
    last = ctx.step(
        "cooling_off_last_day",
        "applied_on + cooling_off days, moved past rest days",
        applied_on=applied,
        cooling_off=int(cooling),
        result=extend_past_rest_days(applied + _dt.timedelta(days=int(cooling)), record.rest_days),
    )
    first_apply = last + _dt.timedelta(days=1)
    last_apply = ctx.step(
        "certificate_last_day",
        "cooling_off_last_day + window days, moved past rest days",
        cooling_off_last_day=last,
        window=int(window),
        result=extend_past_rest_days(last + _dt.timedelta(days=int(window)), record.rest_days),
    )
    ctx.fact("cooling_off_day_1", day_1)
    ctx.fact("cooling_off_last_day", last)
    ctx.fact("certificate_window_first_day", first_apply)
    ctx.fact("certificate_window_last_day", last_apply)
    dates: dict[str, Any] = {
        "days": int(cooling),
        "window": int(window),
        "applied": applied,
        "day_1": day_1,
        "last": last,
        "first_apply": first_apply,
        "last_apply": last_apply,
        "on": on,
    }
    withdrawn = record.withdrawn_on if record.withdrawn_on and record.withdrawn_on <= on else None
    cert = (
        record.certificate_applied_on
        if record.certificate_applied_on and record.certificate_applied_on <= on
        else None
    )
    if withdrawn is not None:
        timely = withdrawn <= last
        ctx.condition(
            "not_withdrawn",
            False,
            zh=(
                "一方于 {withdrawn} 撤回离婚登记申请（冷静期 {day_1} 至 {last}）"
                if timely
                else "一方于 {withdrawn} 撤回申请，已在冷静期（至 {last}）之后；"
                "第一千零七十七条规定的撤回在冷静期内，此后未于 {last_apply} 前申请发证的视为撤回"
            ),
            en=(
                "a party withdrew the application on {withdrawn} (cooling-off {day_1} to {last})"
                if timely
                else "a party withdrew on {withdrawn}, after the cooling-off period ended on "
                "{last}; art. 1077 provides withdrawal within it, and not applying by {last_apply} "
                "counts as withdrawal"
            ),
            basis=_BASIS_COOLING,
            withdrawn=withdrawn,
            **dates,
        )
        ctx.decide(record.id or "divorce_application", "withdrawn")
        return
    ctx.condition(
        "cooling_off_over",
        on > last,
        zh="冷静期 {days} 日，自 {day_1}（第1日）至 {last}（最后一日）；核查日 {on}",
        en="cooling-off of {days} days from {day_1} (day 1) to {last} (last day); check date {on}",
        basis=_BASIS_COOLING,
        **dates,
    )
    if cert is not None:
        ctx.condition(
            "certificate_in_window",
            first_apply <= cert <= last_apply,
            zh="双方于 {cert} 申请发给离婚证；应在 {first_apply} 至 {last_apply} 之间",
            en="both applied for the certificate on {cert}; the window is {first_apply} to "
            "{last_apply}",
            basis=_BASIS_WINDOW,
            cert=cert,
            **dates,
        )
        status = "certificate_applied"
    else:
        ctx.condition(
            "certificate_window_open",
            on <= last_apply,
            zh="未申请发给离婚证；冷静期届满后 {window} 日内申请，期限至 {last_apply}，核查日 {on}",
            en="no certificate applied for; the window of {window} days ends on {last_apply}, "
            "check date {on}",
            basis=_BASIS_WINDOW,
            **dates,
        )
        status = (
            "cooling_off" if on <= last else "may_apply" if on <= last_apply else "deemed_withdrawn"
        )
    ctx.decide(record.id or "divorce_application", status)


DIVORCE_COOLING_OFF = Check(
    "marriage.divorce_cooling_off",
    "离婚冷静期",
    "divorce cooling-off period",
    DivorceApplication,
    _cooling_off,
    type_name="divorce_application",
    basis="民法典第一千零七十七条",
    description_zh="协议离婚申请的冷静期与申请发给离婚证的期限，及核查日的状态。",
    description_en="The cooling-off period of a divorce by agreement, the window to apply "
    "for the certificate, and the status on the check date.",
)


MODULE = ServiceModule(
    id="marriage",
    zh="婚姻登记",
    en="Marriage registration",
    keys=(MIN_AGE_MALE, MIN_AGE_FEMALE, COOLING_OFF, CERTIFICATE_WINDOW, ANNULMENT_PERIOD),
    checks=(REGISTER, VALIDITY, DIVORCE_COOLING_OFF),
    types=(MarriageRegistration, MarriageRecord, DivorceApplication, Party, FamilyNode),
    description_zh="结婚登记审查、婚姻效力（无效与可撤销）、协议离婚冷静期。",
    description_en="Marriage registration checks, validity of a marriage (void and voidable), "
    "and the divorce cooling-off period.",
)

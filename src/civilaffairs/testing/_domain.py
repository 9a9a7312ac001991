"""Hypothesis strategies for the domain types (领域模型测试数据).

Every strategy draws *valid* objects: they pass the validators, round-trip through
:mod:`civilaffairs.convert`, and have birth dates in the past, so
:meth:`~civilaffairs.ids.ResidentId.parse` accepts their resident IDs today.
"""

from __future__ import annotations

import datetime as _dt
from functools import cache
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from civilaffairs.money import Money

if TYPE_CHECKING:
    from civilaffairs.domain import (
        Application,
        AssetItem,
        Declaration,
        Disability,
        ExpenseItem,
        Household,
        IncomeItem,
        Institution,
        Person,
        Relation,
        ServiceCatalogueEntry,
        ServiceRecord,
        Status,
        Supporter,
    )

__all__ = [
    "applications",
    "assets",
    "catalogue_entries",
    "declarations",
    "disabilities",
    "expenses",
    "households",
    "incomes",
    "institutions",
    "person_names",
    "persons",
    "record_ids",
    "service_records",
    "statuses",
    "supporters",
    "term_months",
]

#: Latest date the strategies draw for births, deaths and events: in the past, so that
#: resident IDs built from it parse today.
LATEST = _dt.date(2025, 12, 31)
EARLIEST = _dt.date(1905, 1, 1)

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅志永小雨晨思远子航萱德玲俊"


def _amounts(max_yuan: int = 50_000) -> st.SearchStrategy[Money]:
    return st.integers(0, max_yuan * 100).map(Money.from_fen)


def person_names() -> st.SearchStrategy[str]:
    """Plausible Chinese names: a surname and one or two given characters."""
    return st.builds(
        lambda s, g: s + g,
        st.sampled_from(_SURNAMES),
        st.text(alphabet=_GIVEN, min_size=1, max_size=2),
    )


def record_ids(prefix: str = "HH") -> st.SearchStrategy[str]:
    """Record identifiers such as ``HH-110105-000123``."""
    return st.builds(
        lambda area, n: f"{prefix}-{area}-{n:06d}",
        st.integers(110000, 659999),
        st.integers(0, 999_999),
    )


def incomes() -> st.SearchStrategy[IncomeItem]:
    """:class:`~civilaffairs.domain.IncomeItem` of any kind, 0 to 50,000 yuan a month."""
    from civilaffairs.domain import IncomeItem, IncomeKind

    return st.builds(IncomeItem, kind=st.sampled_from(IncomeKind), monthly=_amounts())


def assets() -> st.SearchStrategy[AssetItem]:
    """:class:`~civilaffairs.domain.AssetItem` with a value, a count, or both."""
    from civilaffairs.domain import AssetItem, AssetKind

    value = st.none() | _amounts(2_000_000)
    count = st.none() | st.integers(0, 5)
    return (
        st.tuples(st.sampled_from(AssetKind), value, count)
        .filter(lambda t: t[1] is not None or t[2] is not None)
        .map(lambda t: AssetItem(kind=t[0], value=t[1], count=t[2]))
    )


def expenses() -> st.SearchStrategy[ExpenseItem]:
    """:class:`~civilaffairs.domain.ExpenseItem` of any kind, 0 to 20,000 yuan a month."""
    from civilaffairs.domain import ExpenseItem, ExpenseKind

    return st.builds(ExpenseItem, kind=st.sampled_from(ExpenseKind), monthly=_amounts(20_000))


def disabilities() -> st.SearchStrategy[Disability]:
    """:class:`~civilaffairs.domain.Disability` of any category and grade."""
    from civilaffairs.domain import Disability, DisabilityCategory

    return st.builds(
        Disability, category=st.sampled_from(DisabilityCategory), grade=st.integers(1, 4)
    )


def supporters() -> st.SearchStrategy[Supporter]:
    """:class:`~civilaffairs.domain.Supporter` outside the household."""
    from civilaffairs.domain import Relation, Supporter

    relation = st.sampled_from(
        [r.value for r in Relation if r is not Relation.HEAD]
    ) | st.sampled_from(["儿子", "女儿", "兄长"])
    return st.builds(
        Supporter,
        relation=relation,
        able=st.booleans(),
        reason=st.none() | st.sampled_from(["重度残疾", "服刑", "失联", "本人为低保对象"]),
    )


def term_months() -> st.SearchStrategy[int | None]:
    """A ``Status.term_months``: none, under six months, six, or longer up to the most."""
    from civilaffairs.domain import MAX_TERM_MONTHS

    return st.one_of(
        st.none(),
        st.integers(1, 5),
        st.sampled_from([5, 6, 7]),
        st.integers(6, MAX_TERM_MONTHS),
    )


@st.composite
def statuses(draw: st.DrawFn) -> Status:
    """:class:`~civilaffairs.domain.Status`; a parent is named only for ``parent_*`` kinds,
    a term (``term_months()`` above) only for ``parent_imprisoned``."""
    from civilaffairs.domain import FATHER, MOTHER, Status, StatusKind

    kind = draw(st.sampled_from(StatusKind))
    parent = draw(st.sampled_from([None, FATHER, MOTHER])) if kind.concerns_parent else None
    since = draw(st.none() | st.dates(_dt.date(2000, 1, 1), LATEST))
    term = draw(term_months()) if kind is StatusKind.PARENT_IMPRISONED else None
    return Status(kind=kind, since=since, parent=parent, term_months=term)


@cache
def _retired_counties() -> tuple[str, ...]:
    from civilaffairs import regions

    return tuple(
        r.code for r in regions.all_regions(level=regions.Level.COUNTY) if not r.is_current
    )


def _county_codes() -> st.SearchStrategy[str]:
    from civilaffairs.testing.strategies import county_codes

    return st.one_of(
        county_codes(), county_codes(), county_codes(), st.sampled_from(_retired_counties())
    )


@st.composite
def persons(
    draw: st.DrawFn,
    relation: Relation | None = None,
    born_after: _dt.date = EARLIEST,
    born_before: _dt.date = LATEST,
) -> Person:
    """A :class:`~civilaffairs.domain.Person`, usually with a resident ID (sometimes without,
    like a newborn), with any mix of optional facts.

    :param relation: the relation to the head; any but ``head`` when not given.
    """
    from civilaffairs.domain import (
        Employment,
        HukouType,
        Person,
        Relation,
        SchoolLevel,
        SelfCare,
    )
    from civilaffairs.ids import ResidentId, Sex
    from civilaffairs.testing.strategies import resident_id_strings

    if relation is None:
        relation = draw(st.sampled_from([r for r in Relation if r is not Relation.HEAD]))
    rid: ResidentId | None = None
    birth_date: _dt.date | None = None
    sex: Sex | None = None
    if draw(st.integers(0, 9)) > 0:
        rid = ResidentId.parse(draw(resident_id_strings(born_after, born_before)), today=LATEST)
        born = rid.birth_date
        birth_date = born if draw(st.booleans()) else None
        sex = rid.sex if draw(st.booleans()) else None
    else:
        born = birth_date = draw(st.dates(born_after, born_before))
        sex = draw(st.sampled_from(Sex))
    died_on = (
        draw(st.dates(born, LATEST)) if born <= LATEST and draw(st.integers(0, 9)) == 0 else None
    )
    return Person(
        id_number=rid,
        name=draw(st.none() | person_names()),
        birth_date=birth_date,  # type: ignore[arg-type]  # None: read from the ID
        sex=sex,  # type: ignore[arg-type]
        relation=relation,
        hukou=draw(st.none() | st.sampled_from(HukouType)),
        disability=draw(st.none() | disabilities()),
        self_care=draw(st.none() | st.sampled_from(SelfCare)),
        labour_capacity=draw(st.none() | st.booleans()),
        in_school=draw(st.none() | st.sampled_from(SchoolLevel)),
        employment=draw(st.none() | st.sampled_from(Employment)),
        incomes=tuple(draw(st.lists(incomes(), max_size=3))),
        supporters=tuple(draw(st.lists(supporters(), max_size=2))),
        statuses=tuple(draw(st.lists(statuses(), max_size=2))),
        died_on=died_on,
    )


@st.composite
def households(
    draw: st.DrawFn, min_members: int = 1, max_members: int = 6, region: str | None = None
) -> Household:
    """A valid :class:`~civilaffairs.domain.Household`: one head, distinct resident IDs, a
    county code (current or retired), and a few assets and expenses.
    """
    from civilaffairs.domain import Household, Relation, Residence

    head = draw(persons(relation=Relation.HEAD, born_before=_dt.date(2008, 12, 31)))
    others = draw(st.lists(persons(), min_size=max(min_members - 1, 0), max_size=max_members - 1))
    members = [head]
    seen = {head.id_number}
    for person in others:
        if person.id_number is not None and person.id_number in seen:
            continue
        seen.add(person.id_number)
        members.append(person)
    return Household(
        id=draw(record_ids("HH")),
        region=region if region is not None else draw(_county_codes()),
        residence=draw(st.sampled_from(Residence)),
        members=tuple(members),
        assets=tuple(draw(st.lists(assets(), max_size=3))),
        expenses=tuple(draw(st.lists(expenses(), max_size=2))),
    )


@st.composite
def institutions(draw: st.DrawFn) -> Institution:
    """A valid :class:`~civilaffairs.domain.Institution`; only elderly care is graded."""
    from civilaffairs.domain import Institution, InstitutionKind, OperatorType
    from civilaffairs.testing.strategies import credit_codes

    kind = draw(st.sampled_from(InstitutionKind))
    beds = draw(st.integers(0, 2000))
    graded = kind is InstitutionKind.ELDERLY_CARE and draw(st.booleans())
    return Institution(
        id=draw(record_ids("INST")),
        kind=kind,
        name=draw(st.sampled_from(["康宁", "福寿", "阳光", "仁爱", "颐养"])) + kind.zh,
        credit_code=draw(st.none() | credit_codes()),
        region=draw(_county_codes()),
        beds=beds,
        residents=draw(st.integers(0, beds + 20)),
        operator=draw(st.sampled_from(OperatorType)),
        filed_on=draw(st.none() | st.dates(_dt.date(2013, 1, 1), LATEST)),
        grade=draw(st.integers(1, 5)) if graded else None,
    )


def catalogue_entries() -> st.SearchStrategy[ServiceCatalogueEntry]:
    """A :class:`~civilaffairs.domain.ServiceCatalogueEntry`."""
    from civilaffairs.domain import InstitutionKind, ServiceCatalogueEntry, WorkArea

    return st.builds(
        ServiceCatalogueEntry,
        id=st.from_regex(r"[a-z]{3,8}(\.[a-z_]{3,10})?", fullmatch=True),
        zh=st.sampled_from(["日间照料", "助餐服务", "居家上门护理", "临时住宿", "基本殡葬服务"]),
        en=st.sampled_from(["Day care", "Meal service", "Home nursing", "Temporary shelter"]),
        area=st.sampled_from(WorkArea),
        provided_by=st.lists(st.sampled_from(InstitutionKind), max_size=3, unique=True).map(tuple),
        eligibility=st.none() | st.sampled_from(["tekun", "dibao", "民发〔2021〕57号"]),
    )


@st.composite
def service_records(draw: st.DrawFn) -> ServiceRecord:
    """A :class:`~civilaffairs.domain.ServiceRecord` naming its recipient somehow."""
    from civilaffairs.domain import ServiceRecord
    from civilaffairs.testing.strategies import resident_ids

    who = draw(st.sampled_from(["recipient", "household", "case_ref"]))
    start = draw(st.dates(_dt.date(2015, 1, 1), LATEST))
    return ServiceRecord(
        id=draw(record_ids("SR")),
        service=draw(st.sampled_from(["elderly.day_care", "funeral.basic", "vagrant.stay"])),
        recipient=draw(resident_ids(born_before=LATEST)) if who == "recipient" else None,
        household=draw(record_ids("HH")) if who == "household" else None,
        case_ref=draw(record_ids("CASE")) if who == "case_ref" else None,
        provided_on=start,
        ended_on=draw(st.none() | st.dates(start, max(start, LATEST))),
        region=draw(_county_codes()),
        institution=draw(st.none() | record_ids("INST")),
        amount=draw(_amounts(10_000)),
    )


@st.composite
def declarations(draw: st.DrawFn, household: Household | None = None) -> Declaration:
    """A :class:`~civilaffairs.domain.Declaration`, naming a member of *household* if given."""
    from civilaffairs.domain import Declaration, DeclarationKind

    ids = [m.id_number for m in household.members if m.id_number] if household else []
    return Declaration(
        kind=draw(st.sampled_from(DeclarationKind)),
        member=draw(st.sampled_from([None, *ids])),
        staff_role=draw(
            st.none() | st.sampled_from(["村委会委员", "社区网格员", "乡镇民政助理员"])
        ),
        declared_on=draw(st.none() | st.dates(_dt.date(2015, 1, 1), LATEST)),
        note=draw(st.none() | st.just("申请人之兄为村委会委员")),
    )


@st.composite
def applications(draw: st.DrawFn) -> Application:
    """An :class:`~civilaffairs.domain.Application` with declarations about its members."""
    from civilaffairs.domain import Application

    household = draw(households(max_members=4))
    return Application(
        id=draw(record_ids("APP")),
        household=household,
        program=draw(st.sampled_from(["dibao", "tekun", "marginal", "temporary"])),
        applied_on=draw(st.dates(_dt.date(2015, 1, 1), LATEST)),
        declarations=tuple(draw(st.lists(declarations(household), max_size=2))),
    )

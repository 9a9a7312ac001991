"""The domain model (领域模型): households, people, institutions, services, applications.

Every type is an attrs ``@frozen`` class whose validators make an invalid value impossible
to build; each error names its field. Build them in Python with keyword arguments, or from
JSON with :mod:`civilaffairs.convert`, which reports every bad field of a record at once.

>>> import datetime
>>> from civilaffairs.domain import (
...     Household, IncomeItem, IncomeKind, Person, Relation, Residence
... )
>>> from civilaffairs.ids import ResidentId
>>> from civilaffairs.money import Money
>>> head = Person(
...     id_number=ResidentId.parse("11010519491231002X"),
...     name="张秀兰",
...     relation=Relation.HEAD,
...     incomes=(IncomeItem(kind=IncomeKind.PENSION_BASIC, monthly=Money.parse("960")),),
... )
>>> head  # doctest: +ELLIPSIS
Person(id_number=ResidentId('110105********002X'), name='张**', birth_date=...)
>>> home = Household(id="HH-1", region="110105", residence=Residence.URBAN, members=(head,))
>>> home.size, home.head.sex.zh, home.monthly_income()
(1, '女', Money('960.00'))
>>> home.age_bands(datetime.date(2024, 8, 1))
{'0-15': 0, '16-59': 0, '60-79': 1, '80+': 0}

Errors name the field:

>>> Household(id="HH-2", region="110105", residence=Residence.URBAN, members=())
Traceback (most recent call last):
...
civilaffairs.errors.ValidationError: members: must have at least 1 item (至少1项)

Limits: a household has at most :data:`MAX_MEMBERS` (100) members; a person at most 50
income items, 20 supporters and 20 statuses; a household at most 200 assets and 100
expenses. Longer lists are refused as data errors.
"""

from civilaffairs.domain import _household, _person, _status
from civilaffairs.domain._application import Application, Declaration, DeclarationKind
from civilaffairs.domain._disability import Disability, DisabilityCategory
from civilaffairs.domain._enums import (
    Employment,
    HukouType,
    LabelledEnum,
    Relation,
    Residence,
    SchoolLevel,
    SelfCare,
)
from civilaffairs.domain._household import Household
from civilaffairs.domain._institution import Institution, InstitutionKind, OperatorType
from civilaffairs.domain._items import (
    AssetItem,
    AssetKind,
    ExpenseItem,
    ExpenseKind,
    IncomeItem,
    IncomeKind,
)
from civilaffairs.domain._person import Person
from civilaffairs.domain._privacy import masked_name
from civilaffairs.domain._service import ServiceCatalogueEntry, ServiceRecord, WorkArea
from civilaffairs.domain._status import Status, StatusKind, Supporter

#: Most members a household may have: 100. A larger "household" is refused as a data error
#: (家庭成员不得超过100人): real households, even extended rural ones, are far smaller, and
#: the cap bounds the work one record can cost.
MAX_MEMBERS: int = _household.MAX_MEMBERS
#: The bands of :meth:`Household.age_bands`: (label, lowest age, highest age or ``None``).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = _household.AGE_BANDS
#: 60: the age from which a person is elderly (老年人) and has no labour capacity.
ELDERLY_AGE: int = _person.ELDERLY_AGE
#: 16: the age below which a minor has no labour capacity (无劳动能力的未成年人).
LABOUR_AGE: int = _person.LABOUR_AGE
#: ``"father"``: a value of ``Status.parent`` (父亲).
FATHER: str = _status.FATHER
#: ``"mother"``: a value of ``Status.parent`` (母亲).
MOTHER: str = _status.MOTHER
#: 1200: the longest ``Status.term_months`` (期限（月）) accepted, a hundred years.
MAX_TERM_MONTHS: int = _status.MAX_TERM_MONTHS

__all__ = [
    "AGE_BANDS",
    "ELDERLY_AGE",
    "FATHER",
    "LABOUR_AGE",
    "MAX_MEMBERS",
    "MAX_TERM_MONTHS",
    "MOTHER",
    "Application",
    "AssetItem",
    "AssetKind",
    "Declaration",
    "DeclarationKind",
    "Disability",
    "DisabilityCategory",
    "Employment",
    "ExpenseItem",
    "ExpenseKind",
    "Household",
    "HukouType",
    "IncomeItem",
    "IncomeKind",
    "Institution",
    "InstitutionKind",
    "LabelledEnum",
    "OperatorType",
    "Person",
    "Relation",
    "Residence",
    "SchoolLevel",
    "SelfCare",
    "ServiceCatalogueEntry",
    "ServiceRecord",
    "Status",
    "StatusKind",
    "Supporter",
    "WorkArea",
    "masked_name",
]


def _publish() -> None:
    # The classes are defined in private modules; they belong to this package's public
    # namespace, so their __module__ says so (for documentation, pickling and messages).
    # Their annotations are real objects, not strings, so type resolution does not depend
    # on the module they claim.
    for name in __all__:
        obj = globals()[name]
        if isinstance(obj, type):
            obj.__module__ = __name__


_publish()

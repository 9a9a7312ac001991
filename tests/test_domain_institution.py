"""Institutions, services and applications."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given

from civilaffairs.domain import (
    Application,
    Declaration,
    DeclarationKind,
    Household,
    Institution,
    InstitutionKind,
    OperatorType,
    Person,
    Relation,
    Residence,
    ServiceCatalogueEntry,
    ServiceRecord,
    WorkArea,
)
from civilaffairs.errors import ValidationError
from civilaffairs.ids import CreditCode, ResidentId
from civilaffairs.money import Money
from civilaffairs.testing import _domain as dst

HOME = Institution(
    id="INST-1",
    kind=InstitutionKind.ELDERLY_CARE,
    name="朝阳区康宁养老院",
    credit_code=CreditCode.parse("52110105MJ0123456N"),
    region="110105",
    beds=200,
    residents=156,
    operator=OperatorType.PRIVATE_NON_PROFIT,
    filed_on=dt.date(2021, 6, 15),
    grade=3,
)


def paths(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [e.path for e in exc.value.errors]


def test_an_elderly_home() -> None:
    assert HOME.vacant_beds == 44
    assert attrs.evolve(HOME, residents=230).vacant_beds == 0
    assert "52110105MJ0123456N" not in repr(HOME)


def test_only_elderly_care_is_graded() -> None:
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(HOME, kind=InstitutionKind.CHILD_WELFARE)
    assert paths(exc) == ["grade"]
    assert attrs.evolve(HOME, kind=InstitutionKind.CHILD_WELFARE, grade=None).grade is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("grade", 0),
        ("grade", 6),
        ("beds", -1),
        ("residents", 10**9),
        ("credit_code", "52110105MJ0123456N"),
        ("region", "000000"),
        ("name", ""),
        ("operator", "public"),
    ],
)
def test_bad_institution_fields(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(HOME, **{field: value})
    assert paths(exc) == [field]


def test_institutions_may_sit_at_any_level() -> None:
    assert attrs.evolve(HOME, region="110000").region == "110000"


@given(dst.institutions())
def test_generated_institutions_are_consistent(inst: Institution) -> None:
    assert inst.grade is None or inst.kind is InstitutionKind.ELDERLY_CARE
    assert inst.vacant_beds == max(inst.beds - inst.residents, 0)


def test_catalogue_entries() -> None:
    entry = ServiceCatalogueEntry(
        id="elderly.day_care",
        zh="日间照料",
        en="Day care",
        area=WorkArea.ELDERLY,
        provided_by=(InstitutionKind.ELDERLY_CARE,),
        eligibility="tekun",
    )
    assert entry.area.zh == "养老服务"
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(entry, id="Day Care")
    assert paths(exc) == ["id"]
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(entry, provided_by=("elderly_care",))
    assert paths(exc) == ["provided_by[0]"]


def test_service_records_name_who_and_keep_dates_in_order() -> None:
    record = ServiceRecord(
        id="SR-1",
        service="vagrant.stay",
        case_ref="CASE-2024-17",
        provided_on=dt.date(2024, 1, 5),
        ended_on=dt.date(2024, 1, 9),
        region="110105",
        amount=Money.parse("320"),
    )
    assert record.recipient is None
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(record, case_ref=None, ended_on=dt.date(2024, 1, 1))
    assert paths(exc) == ["recipient", "ended_on"]
    with pytest.raises(ValidationError) as exc:
        attrs.evolve(record, amount=Money(-1))
    assert paths(exc) == ["amount"]


HEAD = Person(id_number=ResidentId.parse("110105198503120178"), relation=Relation.HEAD)
HOUSE = Household(id="BJ-1", region="110105", residence=Residence.URBAN, members=(HEAD,))


def test_applications_and_declarations() -> None:
    app = Application(
        id="APP-1",
        household=HOUSE,
        program="dibao",
        applied_on=dt.date(2024, 8, 1),
        declarations=(Declaration(kind=DeclarationKind.RELATIVE_OF_STAFF, member=HEAD.id_number),),
    )
    assert app.needs_review
    assert not attrs.evolve(app, declarations=()).needs_review
    assert not attrs.evolve(
        app, declarations=(Declaration(kind=DeclarationKind.OTHER),)
    ).needs_review


def test_a_declaration_names_a_member_of_the_household() -> None:
    stranger = ResidentId.parse("11010519491231002X")
    with pytest.raises(ValidationError) as exc:
        Application(
            id="APP-1",
            household=HOUSE,
            program="dibao",
            applied_on=dt.date(2024, 8, 1),
            declarations=(Declaration(kind=DeclarationKind.STAFF, member=stranger),),
        )
    assert paths(exc) == ["declarations[0].member"]
    assert "11010519491231002X" not in str(exc.value)


@pytest.mark.parametrize("program", ["", "Dibao", "di bao", "1dibao", "dibao."])
def test_programme_ids_are_lowercase_codes(program: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Application(id="A", household=HOUSE, program=program, applied_on=dt.date(2024, 1, 1))
    assert paths(exc) == ["program"]


@given(dst.applications())
def test_generated_applications_declare_only_members(app: Application) -> None:
    ids = {m.id_number for m in app.household.members}
    assert all(d.member is None or d.member in ids for d in app.declarations)

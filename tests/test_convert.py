"""structure / unstructure: the JSON form, round trips, and every bad field reported by path."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pathlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.convert import (
    RECORD_TYPES,
    detect_record_type,
    dumps,
    load_json,
    structure,
    structure_record,
    unstructure,
)
from civilaffairs.domain import (
    Application,
    Household,
    IncomeKind,
    Institution,
    Person,
    ServiceCatalogueEntry,
    ServiceRecord,
)
from civilaffairs.errors import ValidationError
from civilaffairs.money import Money
from civilaffairs.testing import _domain as dst

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
BEIJING = EXAMPLES / "households" / "beijing-3.json"


def beijing() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BEIJING.read_text(encoding="utf-8"))
    return data


def errors_of(data: Any, cls: type = Household) -> dict[str, str]:
    with pytest.raises(ValidationError) as exc:
        structure(data, cls)
    return {e.path: e.message for e in exc.value.errors}


# -- the examples ------------------------------------------------------------------------------


def test_the_beijing_example() -> None:
    h = load_json(BEIJING, Household)
    assert (h.region, h.residence.value, h.size) == ("110105", "urban", 3)
    assert h.monthly_income({IncomeKind.WAGE}) == Money.parse("3600.00")
    assert h.monthly_income({IncomeKind.VETERANS_CARE}) == Money.parse("300.00")
    assert h.monthly_income() == Money.parse("3900.00")
    assert [m.relation.value for m in h.members] == ["head", "spouse", "child"]
    assert h.members[2].is_minor(dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "households").glob("*.json")), ids=lambda p: p.name
)
def test_household_examples_load_and_round_trip(path: pathlib.Path) -> None:
    h = load_json(path, Household)
    assert structure(unstructure(h), Household) == h
    # The examples leave birth date and sex to the resident ID; the output states them.
    expected = json.loads(path.read_text(encoding="utf-8"))
    for member, person in zip(expected["members"], h.members, strict=True):
        member.setdefault("birth_date", person.birth_date.isoformat())
        member.setdefault("sex", person.sex.value)
    assert unstructure(h) == expected


def test_the_elderly_home_example() -> None:
    path = EXAMPLES / "institutions" / "elderly-home.json"
    inst = load_json(path, Institution)
    assert (inst.beds, inst.residents, inst.grade, inst.kind.zh) == (200, 156, 3, "养老机构")
    assert unstructure(inst) == json.loads(path.read_text(encoding="utf-8"))


# -- round trips -------------------------------------------------------------------------------


@given(dst.households())
def test_households_round_trip(h: Household) -> None:
    data = unstructure(h)
    assert structure(data, Household) == h
    assert structure(json.loads(json.dumps(data)), Household) == h
    assert structure_record(data) == h


@given(dst.institutions())
def test_institutions_round_trip(inst: Institution) -> None:
    assert structure(unstructure(inst), Institution) == inst
    assert structure_record(json.loads(dumps(inst))) == inst


@given(st.one_of(dst.applications(), dst.service_records(), dst.catalogue_entries(), dst.persons()))
def test_other_records_round_trip(obj: Any) -> None:
    assert structure(unstructure(obj), type(obj)) == obj


@given(dst.households())
def test_the_json_form(h: Household) -> None:
    data = unstructure(h)
    assert list(data)[:5] == ["type", "id", "region", "residence", "members"]
    assert data["type"] == "household"
    for member, person in zip(data["members"], h.members, strict=True):
        assert member["birth_date"] == person.birth_date.isoformat()
        assert member["sex"] == person.sex.value
        assert all(isinstance(i["monthly"], str) for i in member.get("incomes", []))
        assert (person.id_number is None) == ("id_number" not in member)
        if person.id_number is not None:
            assert member["id_number"] == person.id_number.unmasked
        assert None not in member.values() and [] not in member.values()


# -- the audit form ----------------------------------------------------------------------------


@given(dst.households())
def test_the_audit_form_masks_ids_and_names(h: Household) -> None:
    text = dumps(h, for_audit=True)
    data = unstructure(h, for_audit=True)
    for member, person in zip(data["members"], h.members, strict=True):
        if person.id_number is not None:
            assert person.id_number.unmasked not in text
            assert member["id_number"] == person.id_number.masked
        if person.name is not None and len(person.name) > 1:
            assert member["name"] == person.name[0] + "*" * (len(person.name) - 1)
    assert data["id"] == h.id


def test_audit_form_of_the_example() -> None:
    data = unstructure(load_json(BEIJING, Household), for_audit=True)
    assert [m["name"] for m in data["members"]] == ["王**", "李**", "王**"]
    assert data["members"][0]["id_number"] == "110105********0178"


# -- every bad field, by path ------------------------------------------------------------------


def test_every_bad_field_is_reported_with_its_path() -> None:
    data = beijing()
    data["residence"] = "city"
    data["members"][0]["incomes"][0]["monthly"] = "-5.00"
    data["members"][1]["incomes"][0]["monthly"] = 1000.5
    data["members"][2]["in_school"] = "kindergarten"
    data["members"][2]["nickname"] = "小雨"
    data["assets"][0]["value"] = "lots"
    del data["members"][1]["relation"]
    errors = errors_of(data)
    assert errors == {
        "residence": "is not one of: urban, rural (取值无效)",
        "members[0].incomes[0].monthly": "must not be negative (不得为负数)",
        "members[1].relation": "is required (缺少必填字段)",
        "members[1].incomes[0].monthly": (
            'give money as text such as "1450.00", not as a JSON number '
            '(金额须以文本表示，如 "1450.00")'
        ),
        "members[2].in_school": (
            "is not one of: preschool, primary, junior_secondary, "
            "senior_secondary, vocational, junior_college, bachelor, postgraduate (取值无效)"
        ),
        "members[2].nickname": "is not a known field (未知字段)",
        "assets[0].value": (
            "is not an amount in yuan such as '1450', '1450.5' or '1,450.00' (金额格式错误)"
        ),
    }


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1450, "not as a JSON number"),
        (1450.0, "not as a JSON number"),
        (True, "got true/false"),
        (None, "must not be null"),
        ("1450.001", "more than two decimals"),
        ("", "empty amount"),
        ("-0.01", "must not be negative"),
        ({"yuan": 1}, "got an object"),
    ],
)
def test_money_must_be_text(value: object, words: str) -> None:
    data = beijing()
    data["members"][0]["incomes"][0]["monthly"] = value
    (message,) = errors_of(data).values()
    assert words in message
    assert list(errors_of(data)) == ["members[0].incomes[0].monthly"]


def test_money_text_forms() -> None:
    data = beijing()
    data["members"][0]["incomes"][0]["monthly"] = "2,600"
    assert structure(data, Household).members[0].incomes[0].monthly == Money.parse("2600")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("id", 17, "expected text, got a number"),
        ("region", "110100", "prefecture-level"),
        ("members", {"0": {}}, "expected a list, got an object"),
        ("members", [], "at least 1 item"),
        ("members", "王建国", "expected a list, got text"),
        ("assets", None, "must not be null"),
    ],
)
def test_wrong_types_at_the_top(field: str, value: object, words: str) -> None:
    data = beijing()
    data[field] = value
    errors = errors_of(data)
    assert list(errors) == [field]
    assert words in errors[field]


def test_missing_and_unknown_fields() -> None:
    errors = errors_of({"members": [{"relation": "head", "id_number": None}], "colour": 1})
    assert errors == {
        "id": "is required (缺少必填字段)",
        "region": "is required (缺少必填字段)",
        "residence": "is required (缺少必填字段)",
        "members[0].birth_date": "is required when there is no id_number (无身份证号码时必填)",
        "members[0].sex": "is required when there is no id_number (无身份证号码时必填)",
        "colour": "is not a known field (未知字段)",
    }


def test_odd_keys_are_quoted_in_paths() -> None:
    data = beijing()
    data["members"][0]["first name"] = "x"
    data["z" * 100] = 1
    errors = errors_of(data)
    assert 'members[0]["first name"]' in errors
    assert '["' + "z" * 40 + '…"]' in errors


def test_optional_fields_may_be_null_or_absent() -> None:
    data = beijing()
    data["members"][2].update({"disability": None, "name": None, "birth_date": None})
    child = structure(data, Household).members[2]
    assert child.disability is None and child.name is None
    assert child.birth_date == dt.date(2015, 9, 1)  # read from the ID


def test_field_errors_and_rules_across_fields_are_reported_together() -> None:
    data = beijing()
    data["members"][0]["name"] = "  "
    data["members"][0]["sex"] = "female"  # the ID says male
    data["members"][0]["incomes"][0]["kind"] = "salary"
    errors = errors_of(data)
    assert set(errors) == {
        "members[0].name",
        "members[0].sex",
        "members[0].incomes[0].kind",
    }
    assert "110105********0178" in errors["members[0].sex"]


def test_two_heads_are_reported_next_to_the_heads_own_errors() -> None:
    data = beijing()
    data["members"][1]["relation"] = "head"
    data["members"][1]["incomes"][0]["monthly"] = "-1"
    data["members"][0]["incomes"][0]["monthly"] = 5
    errors = errors_of(data)
    assert set(errors) == {
        "members[0].incomes[0].monthly",
        "members[1].incomes[0].monthly",
        "members[1].relation",
    }
    assert "a second head" in errors["members[1].relation"]


def test_no_head_is_not_claimed_while_a_relation_is_unreadable() -> None:
    data = beijing()
    data["members"][0]["relation"] = "boss"
    assert set(errors_of(data)) == {"members[0].relation"}
    data["members"][0]["relation"] = "spouse"
    assert errors_of(data) == {"members": "no member is the head of household (缺少户主)"}


def test_duplicate_ids_are_reported() -> None:
    data = beijing()
    data["members"][2]["id_number"] = data["members"][0]["id_number"]
    del data["members"][2]["in_school"]
    errors = errors_of(data)
    assert list(errors) == ["members[2].id_number"]
    assert "members[0]" in errors["members[2].id_number"]


def test_ten_thousand_members_are_refused_without_reading_them() -> None:
    data = beijing()
    data["members"] = data["members"] * 3334
    errors = errors_of(data)
    assert errors == {"members": "has 10002 items; at most 100 are allowed (最多100项)"}


def test_every_list_has_a_limit() -> None:
    data = beijing()
    data["members"][0]["incomes"] = data["members"][0]["incomes"] * 26
    data["assets"] = data["assets"] * 201
    errors = errors_of(data)
    assert set(errors) == {"members[0].incomes", "assets"}


def test_resident_ids_are_masked_in_every_message() -> None:
    data = beijing()
    whole = "11010519491231002X"
    data["members"][1]["sex"] = whole
    data["members"][1]["id_number"] = "11010519491231002Y"
    data["members"][2]["id_number"] = "110105194912310021"
    data["id"] = " " + whole
    data[whole] = 1
    with pytest.raises(ValidationError) as exc:
        structure(data, Household)
    text = str(exc.value)
    assert len(exc.value.errors) == 5
    assert whole not in text and "11010519491231002Y" not in text
    assert "110105194912310021" not in text
    assert "110105********002X" in text


def test_the_type_key() -> None:
    data = beijing()
    assert detect_record_type(data) is Household
    data["type"] = "institution"
    assert errors_of(data) == {"type": "must be 'household' for this record (记录类型不符)"}
    with pytest.raises(ValidationError, match="type: must be one of"):
        structure_record(data | {"type": "hamster"})
    del data["type"]
    assert structure_record(data) == load_json(BEIJING, Household)


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ({"members": []}, Household),
        ({"beds": 1}, Institution),
        ({"operator": "public"}, Institution),
        ({"household": {}, "program": "dibao"}, Application),
        ({"service": "x", "provided_on": "2024-01-01"}, ServiceRecord),
        ({"area": "elderly"}, ServiceCatalogueEntry),
        *[({"type": name}, cls) for name, cls in RECORD_TYPES.items()],
    ],
)
def test_record_types_are_told_by_type_or_shape(data: dict[str, Any], cls: type) -> None:
    assert detect_record_type(data) is cls


@pytest.mark.parametrize("data", [{"name": "x"}, [], "household", None])
def test_unknown_shapes_are_refused(data: object) -> None:
    with pytest.raises(ValidationError):
        structure_record(data)


def test_structure_accepts_domain_objects_as_they_are() -> None:
    h = load_json(BEIJING, Household)
    app = structure(
        {"id": "APP-1", "household": h, "program": "dibao", "applied_on": "2024-08-01"},
        Application,
    )
    assert app.household is h
    assert structure(h.members[0], Person) is h.members[0]


def test_dates_must_be_iso_text() -> None:
    data = beijing()
    data["members"][2]["birth_date"] = "01/09/2015"
    data["members"][1]["died_on"] = 20240101
    errors = errors_of(data)
    assert "YYYY-MM-DD" in errors["members[2].birth_date"]
    assert "got a number" in errors["members[1].died_on"]


def test_load_json_reads_paths_bytes_and_text() -> None:
    text = BEIJING.read_text(encoding="utf-8")
    h = load_json(BEIJING, Household)
    assert load_json(str(BEIJING), Household) == h
    assert load_json(text, Household) == h
    assert load_json(text.encode("utf-8"), Household) == h
    assert load_json(b"\xef\xbb\xbf" + text.encode("utf-8"), Household) == h


def test_unstructure_lists() -> None:
    h = load_json(BEIJING, Household)
    assert unstructure([h, h]) == [unstructure(h)] * 2
    assert json.loads(dumps([h])) == [unstructure(h)]


def test_errors_are_plain_data() -> None:
    data = copy.deepcopy(beijing())
    data["residence"] = 3
    with pytest.raises(ValidationError) as exc:
        structure(data, Household)
    (error,) = exc.value.errors
    assert (error.path, error.code) == ("residence", "type")
    assert exc.value.__cause__ is None and exc.value.__suppress_context__


def test_a_status_term_is_read_written_and_checked_in_place() -> None:
    data = beijing()
    data["members"][2]["statuses"] = [
        {"kind": "orphan"},
        {"kind": "parent_imprisoned", "parent": "father", "term_months": 18},
    ]
    h = structure(data, Household)
    assert [s.term_months for s in h.members[2].statuses] == [None, 18]
    written = unstructure(h)["members"][2]["statuses"]
    assert written[1]["term_months"] == 18
    assert "term_months" not in written[0]
    assert structure(unstructure(h), Household) == h
    data["members"][2]["statuses"][1]["term_months"] = 0
    assert errors_of(data) == {
        "members[2].statuses[1].term_months": "0 is not between 1 and 1200 (应在1至1200之间)"
    }
    data["members"][2]["statuses"][1] = {"kind": "parent_missing", "term_months": 12}
    data["members"][0]["statuses"] = [{"kind": "accident", "term_months": "x"}]
    errors = errors_of(data)
    assert set(errors) == {
        "members[0].statuses[0].term_months",
        "members[2].statuses[1].term_months",
    }
    assert (
        "only a parent_imprisoned status has a term" in errors["members[2].statuses[1].term_months"]
    )

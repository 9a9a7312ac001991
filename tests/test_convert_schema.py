"""The JSON Schema is generated from the types and agrees with the examples and the converter."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given

from civilaffairs.convert import RECORD_TYPES, json_schema, unstructure
from civilaffairs.domain import (
    MAX_MEMBERS,
    Household,
    IncomeKind,
    Institution,
    Person,
    Relation,
)
from civilaffairs.testing import _domain as dst

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
HOUSEHOLD_FILES = sorted((EXAMPLES / "households").glob("*.json"))
SAMPLE = EXAMPLES / "households" / "registry-sample.jsonl"


def validator(cls: type) -> jsonschema.Draft202012Validator:
    schema = json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


HOUSEHOLD = validator(Household)
INSTITUTION = validator(Institution)


def load(path: pathlib.Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", HOUSEHOLD_FILES, ids=lambda p: p.name)
def test_household_examples_are_valid(path: pathlib.Path) -> None:
    HOUSEHOLD.validate(load(path))


def test_institution_example_is_valid() -> None:
    INSTITUTION.validate(load(EXAMPLES / "institutions" / "elderly-home.json"))


def test_the_invalid_sample_line_fails_the_schema_too() -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    verdicts = [HOUSEHOLD.is_valid(json.loads(line)) for line in lines]
    assert verdicts == [True, True, False, True, True]
    paths = {
        "/".join(str(p) for p in e.absolute_path)
        for e in HOUSEHOLD.iter_errors(json.loads(lines[2]))
    }
    assert paths == {"members/0/incomes/0/monthly", "members/1/incomes/0/monthly"}


@given(dst.households())
def test_every_generated_household_is_valid(h: Household) -> None:
    HOUSEHOLD.validate(unstructure(h))


@given(dst.institutions())
def test_every_generated_institution_is_valid(inst: Institution) -> None:
    INSTITUTION.validate(unstructure(inst))


@pytest.mark.parametrize("cls", list(RECORD_TYPES.values()), ids=lambda c: c.__name__)
def test_the_schema_follows_the_fields(cls: type) -> None:
    schema = json_schema(cls)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == cls.__name__
    fields = attrs.fields(cls)
    assert set(schema["properties"]) == {"type", *(f.name for f in fields)}
    assert schema["required"] == [f.name for f in fields if f.default is attrs.NOTHING]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["type"] == {
        "const": {v: k for k, v in RECORD_TYPES.items()}[cls],
        "description": schema["properties"]["type"]["description"],
    }
    for f in fields:
        assert schema["properties"][f.name]["description"]  # from the docstring


def test_constraints_come_from_the_field_declarations() -> None:
    schema = json_schema(Household)
    members = schema["properties"]["members"]
    assert (members["minItems"], members["maxItems"]) == (1, MAX_MEMBERS)
    defs = schema["$defs"]
    assert defs["IncomeKind"]["enum"] == [k.value for k in IncomeKind]
    assert "优待抚恤金" in defs["IncomeKind"]["description"]
    assert defs["Relation"]["enum"] == [r.value for r in Relation]
    person = defs["Person"]
    assert person["required"] == ["relation"]
    assert set(person["properties"]) == {f.name for f in attrs.fields(Person)}
    assert person["properties"]["birth_date"]["anyOf"][1] == {"type": "null"}
    grade = defs["Disability"]["properties"]["grade"]
    assert (grade["minimum"], grade["maximum"]) == (1, 4)
    inst = json_schema(Institution)["properties"]
    assert inst["grade"]["anyOf"][0] == {"type": "integer", "minimum": 1, "maximum": 5}
    term = defs["Status"]["properties"]["term_months"]
    assert term["anyOf"] == [{"type": "integer", "minimum": 1, "maximum": 1200}, {"type": "null"}]
    assert "term_months" not in defs["Status"]["required"]
    assert "chose_tekun" in defs["StatusKind"]["enum"]


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("monthly", "1450.00", True),
        ("monthly", "1,450.5", True),
        ("monthly", "1450", True),
        ("monthly", "-1", False),
        ("monthly", "1450.001", False),
        ("monthly", 1450, False),
        ("monthly", 1450.5, False),
        ("kind", "salary", False),
    ],
)
def test_money_and_codes_in_the_schema(field: str, value: object, valid: bool) -> None:
    data = load(EXAMPLES / "households" / "beijing-3.json")
    data["members"][0]["incomes"][0][field] = value
    assert HOUSEHOLD.is_valid(data) is valid


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("id",), " BJ-1"),
        (("id",), "BJ\n1"),
        (("id",), ""),
        (("region",), "11010"),
        (("members", 0, "name"), "   "),
        (("members", 0, "id_number"), "11010519850312017"),
        (("members", 0, "birth_date"), "1985/03/12"),
        (("members", 0, "nickname"), "小王"),
        (("members",), []),
    ],
)
def test_the_schema_refuses_what_the_converter_refuses(
    path: tuple[Any, ...], value: object
) -> None:
    data = load(EXAMPLES / "households" / "beijing-3.json")
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert not HOUSEHOLD.is_valid(data)

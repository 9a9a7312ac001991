"""Hostile input: a ValidationError (or a MalformedInput refusal) and never any other exception.

The properties drive arbitrary JSON values, mutations of valid records, arbitrary bytes and
truncated documents through parse_json and structure; whatever comes back is either a valid
object or an error whose every line names a path and shows no resident ID whole.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civilaffairs.convert import (
    MAX_NUMBER_DIGITS,
    parse_json,
    structure,
    structure_record,
    unstructure,
)
from civilaffairs.domain import Application, Household, Institution, Person
from civilaffairs.errors import MalformedInput, ValidationError
from civilaffairs.testing import _domain as dst

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
BEIJING_TEXT = (EXAMPLES / "households" / "beijing-3.json").read_text(encoding="utf-8")
WHOLE_ID = "11010519491231002X"
RECORD_CLASSES = [Household, Institution, Person, Application]

# JSON-ish junk: every JSON type, numbers of every size, text that looks like IDs and money.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**30, max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [WHOLE_ID, "110105", "head", "urban", "1450.00", "-1", "2024-02-30", "", " ", "\ud800"]
    ),
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from([WHOLE_ID, "id", "members"]), inner, max_size=4
        )
    ),
    max_leaves=20,
)


def check_refusal(error: ValidationError) -> None:
    """At least one error, one line each, printable, and no resident ID whole."""
    assert error.errors
    text = str(error)
    assert WHOLE_ID not in text
    assert len(text.splitlines()) == len(error.errors)
    text.encode("utf-8")  # printable, even from lone surrogates in the input


def check_outcome(data: Any, cls: type) -> None:
    """*data* either structures into a valid *cls* that round-trips, or is refused cleanly."""
    try:
        obj = structure(data, cls)
    except ValidationError as exc:
        check_refusal(exc)
        return
    assert isinstance(obj, cls)
    assert structure(unstructure(obj), cls) == obj


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(junk, st.sampled_from(RECORD_CLASSES))
def test_arbitrary_json_values(data: Any, cls: type) -> None:
    check_outcome(data, cls)


@given(junk)
def test_arbitrary_values_as_records_of_unknown_type(data: Any) -> None:
    try:
        structure_record(data)
    except ValidationError as exc:
        check_refusal(exc)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A valid household's JSON with a few nodes replaced, removed or added."""
    data: Any = unstructure(draw(dst.households(max_members=3)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(junk)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8) | st.just(WHOLE_ID))] = draw(junk)
        else:
            parent.append(draw(junk))
    return data


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_households(data: Any) -> None:
    check_outcome(data, Household)


@given(st.binary(max_size=200))
def test_arbitrary_bytes(raw: bytes) -> None:
    try:
        data = parse_json(raw)
    except MalformedInput as exc:
        check_refusal(exc)
        return
    check_outcome(data, Household)


@given(st.integers(0, len(BEIJING_TEXT.rstrip().encode("utf-8")) - 1))
def test_truncated_json_is_refused_with_a_position(cut: int) -> None:
    raw = BEIJING_TEXT.rstrip().encode("utf-8")[:cut]
    with pytest.raises(MalformedInput) as exc:
        parse_json(raw)
    assert exc.value.errors[0].code in {"invalid_json", "not_utf8"}
    if exc.value.errors[0].code == "invalid_json":
        assert "line " in str(exc.value) and "column " in str(exc.value)


@given(st.text(max_size=50))
def test_text_inserted_into_valid_json(noise: str) -> None:
    text = BEIJING_TEXT[:40] + noise + BEIJING_TEXT[40:]
    try:
        data = parse_json(text)
    except MalformedInput:
        return
    check_outcome(data, Household)


@pytest.mark.parametrize("depth", [1_000, 100_000, 1_000_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    with pytest.raises(MalformedInput, match=r"too deeply nested|not valid JSON"):
        parse_json("[" * depth + "]" * depth)
    with pytest.raises(MalformedInput):
        parse_json('{"a":' * depth)


def test_moderately_deep_junk_inside_a_field_is_a_field_error() -> None:
    data = json.loads(BEIJING_TEXT)
    data["members"][0]["name"] = json.loads("[" * 500 + "]" * 500)
    with pytest.raises(ValidationError) as exc:
        structure(data, Household)
    assert [e.path for e in exc.value.errors] == ["members[0].name"]


@pytest.mark.parametrize(
    "text",
    [
        '{"beds": ' + "9" * (MAX_NUMBER_DIGITS + 1) + "}",
        '{"beds": ' + "9" * 5000 + "}",
        '{"beds": 1' + "0" * 400 + ".5}",
        '{"beds": 1e' + "9" * 50 + "}",
    ],
)
def test_numbers_with_too_many_digits_are_refused(text: str) -> None:
    with pytest.raises(MalformedInput, match="too long"):
        parse_json(text)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (10**39, "between 0 and 100000"),
        (-(10**39), "between 0 and 100000"),
        (1e308, "expected a whole number"),
        (float("inf"), "expected a whole number"),
        (2.0, "expected a whole number"),
        (True, "expected a whole number"),
    ],
)
def test_huge_and_odd_numbers_in_fields(value: object, words: str) -> None:
    data = json.loads((EXAMPLES / "institutions" / "elderly-home.json").read_text("utf-8"))
    data["beds"] = value
    with pytest.raises(ValidationError) as exc:
        structure(data, Institution)
    assert [e.path for e in exc.value.errors] == ["beds"]
    assert words in str(exc.value)
    assert str(10**39) not in str(exc.value)


def test_huge_money_is_refused() -> None:
    data = json.loads(BEIJING_TEXT)
    data["members"][0]["incomes"][0]["monthly"] = "9" * 30
    data["members"][1]["incomes"][0]["monthly"] = 1e400
    with pytest.raises(ValidationError) as exc:
        structure(data, Household)
    assert [e.path for e in exc.value.errors] == [
        "members[0].incomes[0].monthly",
        "members[1].incomes[0].monthly",
    ]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_constants_are_refused(constant: str) -> None:
    with pytest.raises(MalformedInput, match="not a JSON number"):
        parse_json('{"beds": ' + constant + "}")


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(MalformedInput, match="appears twice"):
        parse_json('{"id": "a", "region": "110105", "id": "b"}')
    with pytest.raises(MalformedInput) as exc:
        parse_json('{"' + WHOLE_ID + '": 1, "' + WHOLE_ID + '": 2}')
    assert WHOLE_ID not in str(exc.value)


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe{}", b'{"name": "\xe5\xbc"}', b"\x80", '{"name": "张"}'.encode("gb18030")],
)
def test_non_utf8_bytes_are_refused(raw: bytes) -> None:
    with pytest.raises(MalformedInput, match="not valid UTF-8"):
        parse_json(raw)


def test_lone_surrogates_are_invalid_text_and_messages_stay_printable() -> None:
    data = json.loads(BEIJING_TEXT)
    data["members"][0]["name"] = json.loads('"\\ud800"')
    data["members"][0]["\udcff"] = 1
    with pytest.raises(ValidationError) as exc:
        structure(data, Household)
    assert exc.value.errors[0].path == "members[0].name"
    str(exc.value).encode("utf-8")


def test_a_document_that_is_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from civilaffairs.convert import _jsonio

    monkeypatch.setattr(_jsonio, "MAX_DOCUMENT_BYTES", 100)
    with pytest.raises(MalformedInput, match="larger than"):
        parse_json(BEIJING_TEXT.encode("utf-8"))


def test_wrong_top_level_shapes() -> None:
    for data in ([], "household", 3, None, True):
        with pytest.raises(ValidationError) as exc:
            structure(data, Household)
        assert exc.value.errors[0].path == ""
        assert "expected an object" in str(exc.value)

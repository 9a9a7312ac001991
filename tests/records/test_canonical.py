"""The canonical JSON form of ledger entries (RFC 8785 for the values a ledger holds)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.records.canonical import (
    MAX_SAFE_INTEGER,
    NotCanonical,
    canonical_bytes,
    parse_canonical,
)

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(st.characters(exclude_categories=["Cs"])),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=["Cs"]), max_size=6), inner, max_size=4
        )
    ),
    max_leaves=20,
)


def test_the_documented_form() -> None:
    value = {
        "b": [1, True, None],
        "a": '低保\n\t"\\/\x7f\x01',
        "é": 0,
        "\U0001f600": 1,
        "\ufb33": 2,
    }
    data = canonical_bytes(value)
    # keys by UTF-16 code units: U+1F600 (D83D DE00) sorts before U+FB33
    assert (
        data
        == (
            '{"a":"低保\\n\\t\\"\\\\/\x7f\\u0001","b":[1,true,null],"é":0,'
            '"\U0001f600":1,"\ufb33":2}'
        ).encode()
    )


@given(values)
def test_round_trip_and_idempotence(value: object) -> None:
    data = canonical_bytes(value)
    assert parse_canonical(data) == value
    assert canonical_bytes(json.loads(data)) == data


@given(values)
def test_any_other_spelling_is_refused(value: object) -> None:
    data = canonical_bytes(value)
    spaced = json.dumps(json.loads(data), indent=1, ensure_ascii=True).encode()
    if spaced != data:
        with pytest.raises(NotCanonical):
            parse_canonical(spaced)


@pytest.mark.parametrize(
    "value",
    [1.5, {"a": float("nan")}, 2**53, -(2**53), {1: "x"}, b"bytes", {"a": "\ud800"}],
)
def test_values_without_a_canonical_form(value: object) -> None:
    with pytest.raises(NotCanonical):
        canonical_bytes(value)


@pytest.mark.parametrize(
    "data", [b'{"a":1.0}', b'{"b":1,"a":2}', b'{"a":1,"a":1}', b"\xff", b"[1, 2]", b""]
)
def test_bytes_not_in_canonical_form(data: bytes) -> None:
    with pytest.raises(NotCanonical):
        parse_canonical(data)

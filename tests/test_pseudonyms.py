from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.errors import InvalidIdentifier
from civilaffairs.pseudonyms import MissingKey, id_key, pseudonym
from civilaffairs.testing import resident_id

KEY = b"0123456789abcdef0123456789abcdef"


def test_written_forms_of_one_id_share_a_pseudonym() -> None:
    assert pseudonym("110105 19491231 002x", KEY) == pseudonym("11010519491231002X", KEY)


def test_another_key_gives_another_pseudonym() -> None:
    assert pseudonym("11010519491231002X", KEY) != pseudonym("11010519491231002X", KEY[::-1])


@given(st.integers(min_value=1, max_value=499), st.integers(min_value=1, max_value=499))
def test_distinct_ids_get_distinct_pseudonyms(a: int, b: int) -> None:
    x = resident_id(sequence=a)
    y = resident_id(sequence=b)
    assert (pseudonym(x, KEY) == pseudonym(y, KEY)) == (a == b)


def test_key_comes_from_configuration_and_must_be_long() -> None:
    assert id_key({"CIVILAFFAIRS_ID_KEY": KEY.decode()}) == KEY
    with pytest.raises(MissingKey, match="CIVILAFFAIRS_ID_KEY is not set"):
        id_key({})
    with pytest.raises(MissingKey, match="shorter than 32"):
        id_key({"CIVILAFFAIRS_ID_KEY": "short"})
    with pytest.raises(MissingKey):
        pseudonym("11010519491231002X", b"short")


def test_an_invalid_id_is_refused_masked() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        pseudonym("110105194912310021", KEY)
    assert "19491231" not in str(info.value)

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.errors import InvalidIdentifier
from civilaffairs.ids import (
    USCC_ALPHABET,
    Authority,
    CreditCode,
    OrgType,
    ResidentId,
    Sex,
    mask,
)
from civilaffairs.testing import strategies as cst

GOOD_ID = "11010519491231002X"


def test_standard_vector() -> None:
    rid = ResidentId.parse(GOOD_ID)
    assert rid.birth_date == dt.date(1949, 12, 31)
    assert rid.sex is Sex.FEMALE
    assert rid.sex.value == "female"
    assert rid.region_code == "110105"
    assert rid.unmasked == GOOD_ID
    assert rid.age_on(dt.date(2024, 12, 30)) == 74
    assert rid.age_on(dt.date(2024, 12, 31)) == 75
    from civilaffairs import regions

    region = regions.get(rid.region_code)
    assert region.name == "朝阳区"
    assert region.path()[0].name == "北京市"


def test_lowercase_x_and_whitespace() -> None:
    assert ResidentId.parse(" 11010519491231002x ").unmasked == GOOD_ID


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("110105194912310021", "check character"),
        ("11010519491231002", "17 characters"),
        ("1101051949123100211", "19 characters"),
        ("11010519491331002X", None),  # month 13; the check char also fails or date fails
        ("A1010519491231002X", "digits"),
        ("", "0 characters"),
        (11010519491231002, "text"),
    ],
)
def test_rejects(bad: object, why: str | None) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        ResidentId.parse(bad)
    if why:
        assert why in str(info.value)
    if isinstance(bad, str) and len(bad) >= 10:
        assert bad not in str(info.value)


def _with_check(first17: str) -> str:
    from civilaffairs.ids import resident_id_check_char

    return first17 + resident_id_check_char(first17)


def test_rejects_bad_dates_and_regions() -> None:
    with pytest.raises(InvalidIdentifier, match="birth date"):
        ResidentId.parse(_with_check("11010519490230002"))  # 30 February
    with pytest.raises(InvalidIdentifier, match="out of range"):
        ResidentId.parse(_with_check("11010520990101002"), today=dt.date(2026, 1, 1))
    with pytest.raises(InvalidIdentifier, match="unknown area code"):
        ResidentId.parse(_with_check("99999919800101002"))
    assert ResidentId.parse(_with_check("99999919800101002"), check_region=False)


def test_masked_everywhere() -> None:
    rid = ResidentId.parse(GOOD_ID)
    assert str(rid) == "110105********002X"
    assert repr(rid) == "ResidentId('110105********002X')"
    assert GOOD_ID not in f"{rid} {rid!r} {[rid]} {rid.masked}"
    assert pickle.loads(pickle.dumps(rid)) == rid
    assert hash(rid) == hash(ResidentId.parse(GOOD_ID))


def test_cannot_construct_unchecked() -> None:
    with pytest.raises(TypeError):
        ResidentId(GOOD_ID)


def test_mask() -> None:
    assert mask(GOOD_ID) == "110105********002X"
    assert mask("1234567890") == "1234****90"
    assert mask("123") == "***"


@given(cst.resident_id_strings())
def test_generated_ids_validate(s: str) -> None:
    rid = ResidentId.parse(s, today=dt.date(2099, 1, 1))
    assert rid.unmasked == s
    assert s not in repr(rid) and s not in str(rid)
    assert rid.sex is (Sex.MALE if int(s[16]) % 2 else Sex.FEMALE)


@given(cst.resident_id_strings(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_every_single_substitution_detected(s: str, pos: int, char: str) -> None:
    if s[pos] == char:
        return
    changed = s[:pos] + char + s[pos + 1 :]
    with pytest.raises(InvalidIdentifier) as info:
        ResidentId.parse(changed, today=dt.date(2099, 1, 1))
    assert changed not in str(info.value)


# --- credit codes ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91110000600037341L", "53330000A933770284"])
def test_credit_vectors_valid(code: str) -> None:
    cc = CreditCode.parse(code)
    assert cc.unmasked == code
    assert code not in repr(cc) and code not in str(cc)


def test_foundation_decoded() -> None:
    cc = CreditCode.parse("53330000A933770284")
    assert cc.authority is Authority.CIVIL_AFFAIRS
    assert cc.org_type is OrgType.FOUNDATION
    assert cc.org_type.zh == "基金会"
    assert cc.org_type.is_civil_affairs
    assert cc.region_code == "330000"
    ent = CreditCode.parse("91110000600037341L")
    assert ent.authority is Authority.MARKET_REGULATION
    assert ent.org_type is OrgType.ENTERPRISE
    assert not ent.org_type.is_civil_affairs


@pytest.mark.parametrize(
    "bad", ["91110000600037341M", "9111000060003734", "91110000600037341I", "Z1110000600037341L", 5]
)
def test_credit_rejects(bad: object) -> None:
    with pytest.raises(InvalidIdentifier):
        CreditCode.parse(bad)


@given(cst.credit_code_strings(), st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_credit_single_substitution_detected(s: str, pos: int, char: str) -> None:
    assert CreditCode.parse(s).unmasked == s
    if s[pos] == char:
        return
    changed = s[:pos] + char + s[pos + 1 :]
    with pytest.raises(InvalidIdentifier):
        CreditCode.parse(changed)

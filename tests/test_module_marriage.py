"""The marriage module: registration checks (民法典 arts. 1041-1049, 婚姻登记条例 before and
after 国务院令第804号), validity of a marriage (arts. 1051-1053) and the divorce
cooling-off period (art. 1077)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civilaffairs.checks import CheckDecision, run_check
from civilaffairs.cli import main
from civilaffairs.errors import CivilAffairsError, ValidationError
from civilaffairs.ids import resident_id_check_char
from civilaffairs.modules.marriage import (
    DIVORCE_COOLING_OFF,
    NATIONWIDE_FROM,
    PLACE_RULES,
    REGISTER,
    VALIDITY,
    FamilyNode,
    add_years,
    date_of_age,
    kinship,
)
from civilaffairs.registry import get_registry

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "marriage"
DAY = dt.timedelta(days=1)


def rid(born: dt.date, male: bool, area: str = "110105", seq: int = 1) -> str:
    """A well-formed resident ID born on *born*, of the given sex."""
    order = f"{seq:02d}{1 if male else 2}"
    body = f"{area}{born:%Y%m%d}{order}"
    return body + resident_id_check_char(body)


MAN = rid(dt.date(1995, 4, 10), True)
WOMAN = rid(dt.date(1997, 8, 21), False, seq=2)


def party(id_number: str, **extra: Any) -> dict[str, Any]:
    return {"id_number": id_number, "name": "某某", "marital_status": "unmarried", **extra}


def registration(day: str = "2025-06-01", *parties: dict[str, Any], **extra: Any) -> Any:
    data = {
        "type": "marriage_registration",
        "date": day,
        "region": "110105",
        "parties": list(parties) or [party(MAN), party(WOMAN)],
        **extra,
    }
    return REGISTER.structure(data)


def decide(check: Any, record: Any, on: str | dt.date) -> CheckDecision:
    (decision,) = run_check(check, record, on, registry=get_registry()).decisions
    return decision


def cond(decision: CheckDecision, cid: str) -> bool | None:
    (found,) = [c for c in decision.conditions if c.id == cid]
    return found.passed


def load(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


# -- marriage.register: the worked examples -------------------------------------------------


def test_example_after_the_revision_registers_anywhere() -> None:
    record = REGISTER.structure(load("registration-ok.json"))
    d = decide(REGISTER, record, "2025-06-01")
    assert d.passed and d.outcome == "incomplete"  # kinship: no tree declared
    assert cond(d, "place") is True and cond(d, "kinship") is None
    assert all(c.passed for c in d.conditions if c.id != "kinship")
    assert d.facts["place_rule"].startswith("nationwide")
    assert "国务院令第804号" in d.facts["place_rule"]
    assert {s["key"] for s in d.standards} == {"marriage.min_age.male", "marriage.min_age.female"}


def test_example_before_the_revision_needs_a_hukou_office() -> None:
    record = REGISTER.structure(load("registration-before-2025-05-10.json"))
    d = decide(REGISTER, record, "2025-05-09")
    assert not d.passed and d.outcome == "not_registrable"
    assert [c.id for c in d.conditions if c.passed is False] == ["place"]
    assert d.facts["place_rule"].startswith("hukou_place")
    (place,) = [c for c in d.conditions if c.id == "place"]
    assert "国务院令第387号" in place.basis and place.values["hukou"] == "310104, 440305"


def test_example_first_cousins_may_not_marry() -> None:
    d = decide(REGISTER, REGISTER.structure(load("registration-cousins.json")), "2025-07-02")
    assert d.outcome == "not_registrable" and cond(d, "kinship") is False
    (c,) = [c for c in d.conditions if c.id == "kinship"]
    assert c.values["generations"] == "3" and c.basis == "民法典第一千零四十八条"


def test_all_conditions_pass_with_a_tree_of_strangers() -> None:
    tree = [{"id": "a", "father": "fa"}, {"id": "b", "father": "fb"}]
    record = registration(
        "2025-06-01",
        party(MAN, in_person=True, free_will=True, capacity=True, node="a"),
        party(WOMAN, in_person=True, free_will=True, node="b"),
        family=tree,
    )
    d = decide(REGISTER, record, "2025-06-01")
    assert d.outcome == "registrable" and d.passed
    assert all(c.passed is True for c in d.conditions)


# -- each condition, with its article -------------------------------------------------------


def test_same_sex_pair_fails_with_its_article() -> None:
    other_man = rid(dt.date(1996, 1, 1), True, seq=3)
    d = decide(REGISTER, registration("2025-06-01", party(MAN), party(other_man)), "2025-06-01")
    assert cond(d, "different_sex") is False and d.outcome == "not_registrable"
    (c,) = [c for c in d.conditions if c.id == "different_sex"]
    assert "第一千零四十六条" in c.basis and c.values["sex_1_en"] == c.values["sex_2_en"] == "male"


def test_a_married_party_fails_monogamy() -> None:
    record = registration("2025-06-01", party(MAN), party(WOMAN, marital_status="married"))
    d = decide(REGISTER, record, "2025-06-01")
    assert cond(d, "no_spouse[0]") is True and cond(d, "no_spouse[1]") is False
    (c,) = [c for c in d.conditions if c.id == "no_spouse[1]"]
    assert c.basis == "民法典第一千零四十一条、第一千零四十二条"


@pytest.mark.parametrize("status", ["unmarried", "divorced", "widowed"])
def test_unmarried_divorced_and_widowed_may_marry(status: str) -> None:
    d = decide(
        REGISTER,
        registration("2025-06-01", party(MAN, marital_status=status), party(WOMAN)),
        "2025-06-01",
    )
    assert cond(d, "no_spouse[0]") is True


@pytest.mark.parametrize(
    ("field", "cid", "article"),
    [
        ("in_person", "in_person[1]", "第一千零四十九条"),
        ("free_will", "free_will[1]", "第一千零四十六条"),
        ("capacity", "capacity[1]", "第一千零四十六条"),
    ],
)
def test_declared_flags(field: str, cid: str, article: str) -> None:
    no = decide(
        REGISTER,
        registration("2025-06-01", party(MAN), party(WOMAN, **{field: False})),
        "2025-06-01",
    )
    yes = decide(
        REGISTER,
        registration("2025-06-01", party(MAN), party(WOMAN, **{field: True})),
        "2025-06-01",
    )
    assert cond(no, cid) is False and not no.passed and cond(yes, cid) is True
    (c,) = [c for c in no.conditions if c.id == cid]
    assert article in c.basis


def test_undeclared_flags_are_not_tested_never_passed() -> None:
    d = decide(REGISTER, registration(), "2025-06-01")
    assert cond(d, "in_person[0]") is None and cond(d, "free_will[1]") is None
    assert not [c for c in d.conditions if c.id.startswith("capacity")]
    (c,) = [c for c in d.conditions if c.id == "in_person[0]"]
    assert "not tested" in c.label("en") and "未核查" in c.label("zh")


def test_minimum_ages_come_from_the_standards() -> None:
    d = decide(REGISTER, registration(), "2025-06-01")
    used = {s["key"]: s for s in d.standards}
    assert used["marriage.min_age.male"]["value"] == "22"
    assert used["marriage.min_age.female"]["value"] == "20"
    assert used["marriage.min_age.male"]["effective_from"] == "2021-01-01"
    assert not used["marriage.min_age.male"]["provisional"]


def test_a_leap_day_birthday_is_reached_on_1_march() -> None:
    born = dt.date(2004, 2, 29)
    man = rid(born, True)
    assert date_of_age(born, 22) == dt.date(2026, 3, 1)
    before = decide(REGISTER, registration("2026-02-28", party(man), party(WOMAN)), "2026-02-28")
    on = decide(REGISTER, registration("2026-03-01", party(man), party(WOMAN)), "2026-03-01")
    assert cond(before, "min_age[0]") is False and cond(on, "min_age[0]") is True
    woman = rid(born, False)
    leap = decide(REGISTER, registration("2024-02-29", party(MAN), party(woman)), "2024-02-29")
    assert cond(leap, "min_age[1]") is True


@settings(max_examples=60, deadline=None)
@given(born=st.dates(dt.date(1950, 1, 1), dt.date(2004, 12, 31)), male=st.booleans())
def test_age_boundary_is_exactly_the_birthday(born: dt.date, male: bool) -> None:
    person = rid(born, male)
    other = WOMAN if male else MAN
    minimum = 22 if male else 20
    reached = date_of_age(born, minimum)
    index = "min_age[0]"
    for day, expected in ((reached - DAY, False), (reached, True), (reached + DAY, True)):
        if day < dt.date(2021, 1, 1) or day > dt.date(2026, 12, 31):
            continue
        d = decide(REGISTER, registration(day.isoformat(), party(person), party(other)), day)
        assert cond(d, index) is expected
        (c,) = [c for c in d.conditions if c.id == index]
        assert c.values["minimum"] == str(minimum) and c.values["reaches"] == reached.isoformat()


# -- kinship (art. 1048) ----------------------------------------------------------------------

TREE = [
    FamilyNode(id="me", father="dad", mother="mum"),
    FamilyNode(id="sis", father="dad", mother="mum"),
    FamilyNode(id="half", father="dad", mother="other"),
    FamilyNode(id="dad", father="gp"),
    FamilyNode(id="uncle", father="gp"),
    FamilyNode(id="cousin", father="uncle"),
    FamilyNode(id="cousin_child", mother="cousin"),
    FamilyNode(id="niece", mother="sis"),
    FamilyNode(id="grandniece", mother="niece"),
    FamilyNode(id="son", father="me"),
    FamilyNode(id="grandson", father="son"),
]


@pytest.mark.parametrize(
    ("a", "b", "kind", "generations", "prohibited"),
    [
        ("me", "sis", "collateral", 2, True),
        ("me", "half", "collateral", 2, True),
        ("me", "cousin", "collateral", 3, True),
        ("me", "uncle", "collateral", 3, True),
        ("me", "niece", "collateral", 3, True),
        ("me", "grandniece", "collateral", 4, False),
        ("me", "cousin_child", "collateral", 4, False),
        ("son", "cousin_child", "collateral", 4, False),
        ("me", "son", "direct", 2, True),
        ("gp", "grandson", "direct", 5, True),
        ("niece", "other", "none", 0, False),
    ],
)
def test_kinship_generations(a: str, b: str, kind: str, generations: int, prohibited: bool) -> None:
    found = kinship(TREE, a, b)
    assert (found.kind, found.generations, found.prohibited) == (kind, generations, prohibited)


NAMES = ["me", "sis", "half", "dad", "uncle", "cousin", "cousin_child", "niece", "son", "gp"]


@given(st.sampled_from(NAMES), st.sampled_from(NAMES))
def test_kinship_is_symmetric_and_direct_is_always_prohibited(a: str, b: str) -> None:
    if a == b:
        return
    assert kinship(TREE, a, b) == kinship(TREE, b, a)
    found = kinship(TREE, a, b)
    if found.kind == "direct":
        assert found.prohibited
    assert found.prohibited == (found.kind == "direct" or 0 < found.generations <= 3)


# -- place of registration: two dated rule versions -------------------------------------------


def test_the_rule_versions_meet_at_the_verified_date() -> None:
    old, new = PLACE_RULES
    assert dt.date(2025, 5, 10) == NATIONWIDE_FROM
    assert old.effective_to == dt.date(2025, 5, 9) and new.effective_from == NATIONWIDE_FROM
    assert "第387号" in old.basis and "第四条" in old.basis and "第804号" in new.basis


@settings(max_examples=40, deadline=None)
@given(st.dates(dt.date(2021, 1, 1), dt.date(2027, 12, 31)))
def test_place_depends_only_on_the_registration_date(day: dt.date) -> None:
    elsewhere = registration(
        day.isoformat(), party(MAN, hukou_region="310104"), party(WOMAN, hukou_region="440305")
    )
    assert cond(decide(REGISTER, elsewhere, day), "place") is (day >= NATIONWIDE_FROM)


def test_old_rule_matches_a_county_or_an_office_of_a_higher_level() -> None:
    day = "2024-09-01"
    local = registration(
        day, party(MAN, hukou_region="110105"), party(WOMAN, hukou_region="440305")
    )
    assert cond(decide(REGISTER, local, day), "place") is True
    city = REGISTER.structure(
        {
            "date": day,
            "region": "110000",
            "parties": [party(MAN, hukou_region="110108"), party(WOMAN)],
        }
    )
    assert cond(decide(REGISTER, city, day), "place") is True
    neighbour = registration(day, party(MAN, hukou_region="110108"), party(WOMAN))
    assert cond(decide(REGISTER, neighbour, day), "place") is False
    unknown = registration(day)
    d = decide(REGISTER, unknown, day)
    assert cond(d, "place") is None and d.outcome == "incomplete"


# -- marriage.validity --------------------------------------------------------------------------


def record(*facts: dict[str, Any], registered_on: str = "2023-11-08", **extra: Any) -> Any:
    data = {
        "type": "marriage_record",
        "registered_on": registered_on,
        "region": "110105",
        "parties": [{"id_number": MAN}, {"id_number": WOMAN}],
        "facts": list(facts),
        **extra,
    }
    return VALIDITY.structure(data)


def test_example_coercion_is_voidable_until_the_corresponding_day() -> None:
    rec = VALIDITY.structure(load("marriage-record-coercion.json"))
    d = decide(VALIDITY, rec, "2024-06-01")
    assert d.outcome == "voidable" and not d.passed
    # coercion ended on 29 February 2024: one year later has no 29 February (art. 202)
    assert d.facts["annulment_deadline"] == "2025-02-28" and d.facts["grounds"] == "coercion"
    assert decide(VALIDITY, rec, "2025-02-28").outcome == "voidable"
    lapsed = decide(VALIDITY, rec, "2025-03-01")
    assert lapsed.outcome == "valid" and lapsed.passed


def test_a_valid_marriage() -> None:
    d = decide(VALIDITY, record(), "2024-01-01")
    assert d.outcome == "valid" and d.passed


def test_bigamy_is_void_until_the_earlier_marriage_ends() -> None:
    fact = {"kind": "bigamy", "party": 0, "ended_on": "2024-03-01"}
    assert decide(VALIDITY, record(fact), "2024-02-29").outcome == "void"
    ceased = decide(VALIDITY, record(fact), "2024-03-01")
    assert ceased.outcome == "valid" and cond(ceased, "bigamy[0]") is True
    (c,) = [c for c in ceased.conditions if c.id == "bigamy[0]"]
    assert "法释〔2020〕22号" in c.basis
    open_ended = decide(VALIDITY, record({"kind": "bigamy", "party": 1}), "2030-01-01")
    assert open_ended.outcome == "void" and open_ended.facts["grounds"] == "bigamy"


def test_under_age_at_registration_is_void_until_of_age() -> None:
    young = rid(dt.date(2003, 9, 1), False, seq=4)  # 20 on 2023-09-01
    rec = VALIDITY.structure(
        {
            "registered_on": "2023-06-01",
            "region": "110105",
            "parties": [{"id_number": MAN}, {"id_number": young}],
        }
    )
    before = decide(VALIDITY, rec, "2023-08-31")
    assert before.outcome == "void" and before.facts["grounds"] == "under_age"
    after = decide(VALIDITY, rec, "2023-09-01")
    assert after.outcome == "valid" and cond(after, "under_age[1]") is True


def test_kinship_declared_or_from_the_tree_is_void() -> None:
    assert decide(VALIDITY, record({"kind": "prohibited_kinship"}), "2024-01-01").outcome == "void"
    tree = [{"id": "a", "mother": "m"}, {"id": "b", "mother": "m"}]
    rec = VALIDITY.structure(
        {
            "registered_on": "2023-11-08",
            "region": "110105",
            "family": tree,
            "parties": [{"id_number": MAN, "node": "a"}, {"id_number": WOMAN, "node": "b"}],
        }
    )
    assert decide(VALIDITY, rec, "2024-01-01").outcome == "void"


def test_concealed_illness_and_confinement_deadlines() -> None:
    illness = {"kind": "concealed_illness", "party": 0, "known_on": "2024-05-20"}
    d = decide(VALIDITY, record(illness), "2024-06-01")
    assert d.outcome == "voidable" and d.facts["annulment_deadline"] == "2025-05-20"
    (c,) = [c for c in d.conditions if c.id == "concealed_illness[0]"]
    assert c.basis.startswith("民法典第一千零五十三条") and c.values["requester"] == "2"
    confined = {"kind": "confinement", "party": 1, "ended_on": "2024-01-10"}
    d = decide(VALIDITY, record(confined), "2024-06-01")
    assert d.facts["annulment_deadline"] == "2025-01-10" and d.facts["grounds"] == "coercion"
    (c,) = [c for c in d.conditions if c.id == "confinement[1]"]
    assert "第三款" in c.basis


def test_a_deadline_on_a_declared_rest_day_moves_past_it() -> None:
    fact = {"kind": "coercion", "party": 1, "ended_on": "2024-10-01"}
    rest = ["2025-10-01", "2025-10-02", "2025-10-03"]
    d = decide(VALIDITY, record(fact, rest_days=rest), "2025-10-04")
    assert d.outcome == "voidable" and d.facts["annulment_deadline"] == "2025-10-04"


def test_void_wins_over_voidable() -> None:
    both = record(
        {"kind": "bigamy", "party": 0}, {"kind": "coercion", "party": 1, "ended_on": "2024-01-01"}
    )
    d = decide(VALIDITY, both, "2024-06-01")
    assert d.outcome == "void" and d.facts["grounds"] == "bigamy"


@given(st.dates(dt.date(2021, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 800))
def test_voidable_exactly_until_the_deadline(start: dt.date, offset: int) -> None:
    rec = record(
        {"kind": "coercion", "party": 1, "ended_on": start.isoformat()}, registered_on="2021-01-01"
    )
    on = start + dt.timedelta(days=offset)
    d = decide(VALIDITY, rec, on)
    last = add_years(start, 1)
    assert d.outcome == ("voidable" if on <= last else "valid")
    if d.outcome == "voidable":
        assert d.facts["annulment_deadline"] == last.isoformat()


# -- marriage.divorce_cooling_off -------------------------------------------------------------


def application(applied: str = "2025-01-31", **extra: Any) -> Any:
    return DIVORCE_COOLING_OFF.structure(
        {"type": "divorce_application", "applied_on": applied, "region": "110105", **extra}
    )


def test_example_statuses_through_the_periods() -> None:
    rec = DIVORCE_COOLING_OFF.structure(load("divorce-application.json"))
    expected = {
        "2025-01-31": "cooling_off",
        "2025-03-02": "cooling_off",
        "2025-03-03": "may_apply",
        "2025-04-01": "may_apply",
        "2025-04-02": "deemed_withdrawn",
    }
    for on, status in expected.items():
        d = decide(DIVORCE_COOLING_OFF, rec, on)
        assert d.outcome == status, on
        assert d.passed is (status == "may_apply")
    d = decide(DIVORCE_COOLING_OFF, rec, "2025-02-10")
    assert d.facts["cooling_off_day_1"] == "2025-02-01"
    assert d.facts["cooling_off_last_day"] == "2025-03-02"
    assert d.facts["certificate_window_first_day"] == "2025-03-03"
    assert d.facts["certificate_window_last_day"] == "2025-04-01"
    assert "次日" in d.facts["counting"] and "day after" in d.facts["counting_en"]


@given(st.dates(dt.date(2021, 1, 1), dt.date(2032, 12, 31)))
def test_cooling_off_ends_30_days_after_the_application(applied: dt.date) -> None:
    d = decide(DIVORCE_COOLING_OFF, application(applied.isoformat()), applied)
    last = dt.date.fromisoformat(d.facts["cooling_off_last_day"])
    assert last == applied + dt.timedelta(days=30)
    assert dt.date.fromisoformat(d.facts["cooling_off_day_1"]) == applied + DAY
    window_last = dt.date.fromisoformat(d.facts["certificate_window_last_day"])
    assert window_last == applied + dt.timedelta(days=60)
    assert (
        decide(DIVORCE_COOLING_OFF, application(applied.isoformat()), last).outcome == "cooling_off"
    )
    assert (
        decide(DIVORCE_COOLING_OFF, application(applied.isoformat()), last + DAY).outcome
        == "may_apply"
    )


def test_across_a_leap_february() -> None:
    d = decide(DIVORCE_COOLING_OFF, application("2024-02-01"), "2024-02-01")
    assert d.facts["cooling_off_last_day"] == "2024-03-02"
    d = decide(DIVORCE_COOLING_OFF, application("2023-02-01"), "2023-02-01")
    assert d.facts["cooling_off_last_day"] == "2023-03-03"


def test_withdrawal_and_certificate() -> None:
    w = decide(DIVORCE_COOLING_OFF, application(withdrawn_on="2025-02-15"), "2025-02-20")
    assert w.outcome == "withdrawn" and not w.passed
    not_yet = decide(DIVORCE_COOLING_OFF, application(withdrawn_on="2025-02-15"), "2025-02-10")
    assert not_yet.outcome == "cooling_off"
    late = decide(DIVORCE_COOLING_OFF, application(withdrawn_on="2025-03-10"), "2025-03-10")
    assert late.outcome == "withdrawn"
    assert "after the cooling-off" in late.conditions[0].label("en")
    ok = decide(DIVORCE_COOLING_OFF, application(certificate_applied_on="2025-03-03"), "2025-03-03")
    assert ok.outcome == "certificate_applied" and ok.passed
    early = decide(
        DIVORCE_COOLING_OFF, application(certificate_applied_on="2025-02-20"), "2025-02-20"
    )
    assert cond(early, "certificate_in_window") is False and not early.passed


def test_rest_days_move_the_last_day() -> None:
    rest = ["2025-03-02"]
    d = decide(DIVORCE_COOLING_OFF, application(rest_days=rest), "2025-03-03")
    assert d.facts["cooling_off_last_day"] == "2025-03-03" and d.outcome == "cooling_off"
    assert d.facts["certificate_window_last_day"] == "2025-04-02"


def test_before_the_civil_code_there_is_no_cooling_off() -> None:
    d = decide(DIVORCE_COOLING_OFF, application("2020-12-31"), "2021-01-05")
    assert d.outcome == "not_applicable" and cond(d, "cooling_off_over") is None


# -- bad input ------------------------------------------------------------------------------------


def paths(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {e.path for e in exc.value.errors}


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"date": "2025-02-30"}, "date"),
        ({"region": "999999"}, "region"),
        (
            {"parties": [party(MAN, marital_status="engaged"), party(WOMAN)]},
            "parties[0].marital_status",
        ),
        ({"parties": [party(MAN), party(WOMAN), party(MAN)]}, "parties"),
        ({"parties": [party(MAN)]}, "parties"),
        ({"parties": [party(MAN), party(MAN)]}, "parties[1].id_number"),
        ({"parties": [party(MAN, in_person="yes"), party(WOMAN)]}, "parties[0].in_person"),
        ({"parties": [party(MAN, hukou_region="110000"), party(WOMAN)]}, "parties[0].hukou_region"),
        ({"parties": [party("110105199504100010"), party(WOMAN)]}, "parties[0].id_number"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_registration_names_the_field(change: dict[str, Any], path: str) -> None:
    data = {
        "date": "2025-06-01",
        "region": "110105",
        "parties": [party(MAN), party(WOMAN)],
        **change,
    }
    with pytest.raises(ValidationError) as info:
        REGISTER.structure(data)
    assert path in paths(info)
    for secret in (MAN, WOMAN, "某某"):
        assert secret not in str(info.value)


def test_bad_family_trees() -> None:
    base = {"date": "2025-06-01", "region": "110105"}
    cyc = [{"id": "a", "father": "b"}, {"id": "b", "father": "a"}]
    with pytest.raises(ValidationError) as info:
        REGISTER.structure({**base, "parties": [party(MAN), party(WOMAN)], "family": cyc})
    assert "family[0]" in paths(info)
    with pytest.raises(ValidationError) as info:
        REGISTER.structure(
            {**base, "parties": [party(MAN, node="zz"), party(WOMAN)], "family": [{"id": "a"}]}
        )
    assert "parties[0].node" in paths(info)
    with pytest.raises(ValidationError) as info:
        REGISTER.structure(
            {**base, "parties": [party(MAN), party(WOMAN)], "family": [{"id": "a"}, {"id": "a"}]}
        )
    assert "family[1].id" in paths(info)


@pytest.mark.parametrize(
    ("fact", "path"),
    [
        ({"kind": "arson"}, "facts[0].kind"),
        ({"kind": "coercion", "party": -1, "ended_on": "2024-01-01"}, "facts[0].party"),
        ({"kind": "coercion", "party": 1}, "facts[0].ended_on"),
        ({"kind": "concealed_illness", "party": 0}, "facts[0].known_on"),
        ({"kind": "coercion", "party": 1, "ended_on": "2020-01-01"}, "facts[0].ended_on"),
        ({"kind": "bigamy", "party": 0, "ended_on": "2020-01-01"}, "facts[0].ended_on"),
    ],
)
def test_bad_marriage_record_names_the_field(fact: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        record(fact)
    assert path in paths(info)


def test_bad_divorce_application() -> None:
    with pytest.raises(ValidationError) as info:
        application(withdrawn_on="2025-01-01")
    assert "withdrawn_on" in paths(info)
    with pytest.raises(ValidationError) as info:
        application(withdrawn_on="2025-02-02", certificate_applied_on="2025-03-05")
    assert "certificate_applied_on" in paths(info)
    with pytest.raises(ValidationError) as info:
        application("2025-13-01")
    assert "applied_on" in paths(info)
    with pytest.raises(CivilAffairsError) as err:
        decide(DIVORCE_COOLING_OFF, application(), "2025-01-30")
    assert err.value.path == "applied_on"
    with pytest.raises(ValidationError) as info:
        DIVORCE_COOLING_OFF.structure({"type": "marriage_record", "applied_on": "2025-01-01"})
    assert "type" in paths(info)


# -- the command line ------------------------------------------------------------------------------


def test_cli_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check",
            "marriage.register",
            str(EXAMPLES / "registration-cousins.json"),
            "--on",
            "2025-07-02",
            "--format",
            "json",
            "--lang",
            "en",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"record", "on", "check", "decisions"}
    assert data["check"] == "marriage.register" and data["on"] == "2025-07-02"
    (d,) = data["decisions"]
    assert set(d) == {"subject", "passed", "outcome", "conditions", "standards", "steps", "facts"}
    assert d["passed"] is False and d["outcome"] == "not_registrable"
    for c in d["conditions"]:
        assert set(c) == {"id", "passed", "label", "basis", "values"}
    raw = (EXAMPLES / "registration-cousins.json").read_text(encoding="utf-8")
    for p in json.loads(raw)["parties"]:
        assert p["id_number"] not in out and p["name"] not in out


def test_cli_reports_a_bad_record_and_checks_the_others(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = load("divorce-application.json")
    bad = {**good, "id": "LH-BAD", "applied_on": "2025-02-30"}
    path = tmp_path / "apps.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (good, bad, good)) + "\n", encoding="utf-8")
    code = main(
        [
            "check",
            "marriage.divorce_cooling_off",
            str(path),
            "--on",
            "2025-03-10",
            "--format",
            "json",
            "--lang",
            "en",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "applied_on" in err
    results = json.loads(out)
    assert [r["decisions"][0]["outcome"] for r in results] == ["may_apply", "may_apply"]


def test_checks_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks", "--module", "marriage", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["marriage"]
    assert [c["id"] for c in listed] == [
        "marriage.register",
        "marriage.validity",
        "marriage.divorce_cooling_off",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_example_is_read_and_checked(name: str) -> None:
    data = load(name)
    check = {c.type_name: c for c in (REGISTER, VALIDITY, DIVORCE_COOLING_OFF)}[data["type"]]
    result = run_check(check, check.structure(data), "2025-07-02", registry=get_registry())
    assert result.decisions and result.record == data["id"]

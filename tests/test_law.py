"""Each rule as the regulation states it: one regression test per rule, citing the article.

The fixture registry (``programs_support``) has Beijing-like standards at 110000 from
2024-07-01: dibao 1450, care 300 (partial) and 600 (none), no full-care standard, the two
disability subsidies 100 and 200, old-age allowance bands 100/500/800.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from civilaffairs import assess
from civilaffairs.domain import Household
from civilaffairs.money import Money
from civilaffairs.testing._programs import assessable_households
from programs_support import MONTH, registry


def _home(*members: dict[str, Any], region: str = "110105") -> Household:
    from civilaffairs.convert import structure

    return structure(
        {"id": "L-1", "region": region, "residence": "urban", "members": list(members)},
        Household,
    )


def _person(born: str, relation: str = "head", **kw: Any) -> dict[str, Any]:
    return {"birth_date": born, "sex": "female", "relation": relation, **kw}


ELDER = _person("1940-05-01", supporters=[{"relation": "son", "able": False}])


# -- 特困人员认定办法 ---------------------------------------------------------------------


def test_tekun_households_are_not_marginal() -> None:
    """国办发〔2023〕39号: the tiers are distinct; a household that meets the 特困 (or dibao)
    conditions is not a 低保边缘 household."""
    a = assess(_home(ELDER), MONTH, registry=registry())
    assert a["tekun"].eligible
    assert not a["marginal"].eligible
    assert a["marginal"].first_failed == "not_dibao_or_tekun"


def test_no_labour_capacity_follows_the_list_of_article_5() -> None:
    """特困人员认定办法（民发〔2021〕43号）第五条: intellectual or mental disability of grade
    1–3, physical of grade 1–2, visual of grade 1. Hearing and speech never count."""
    cases = [
        ("intellectual", 3, True),
        ("mental", 3, True),
        ("physical", 2, True),
        ("physical", 3, False),
        ("visual", 1, True),
        ("visual", 2, False),
        ("hearing", 1, False),
        ("speech", 1, False),
        ("multiple", 1, False),
    ]
    for category, grade, counts in cases:
        adult = _person(
            "1980-01-01",
            disability={"category": category, "grade": grade},
            supporters=[{"relation": "sibling", "able": False}],
        )
        d = assess(_home(adult), MONTH, ["tekun"], registry=registry())["tekun"]
        assert d.eligible is counts, (category, grade)


def test_the_2016_list_applies_before_july_2021() -> None:
    """特困人员认定办法（民发〔2016〕178号）第五条: grade 1–2 intellectual or mental, grade 1
    physical; the 2021 list applies from 2021-07. The decision names the rule version."""
    adult = _person("1980-01-01", disability={"category": "physical", "grade": 2})
    from civilaffairs.programs import tekun

    early, late = tekun.versions
    assert (early.label, late.label) == ("…2021-06-30", "2021-07-01")
    reg = registry()
    before = assess(_home(adult), "2021-06", ["tekun"], registry=_with_dibao_2021(reg))["tekun"]
    after = assess(_home(adult), MONTH, ["tekun"], registry=reg)["tekun"]
    assert (before.eligible, before.rule_version) == (False, "…2021-06-30")
    assert (after.eligible, after.rule_version) == (True, "2021-07-01")


def _with_dibao_2021(reg: Any) -> Any:
    from civilaffairs.bulk.reform import Reform

    return Reform.parse(["dibao.standard@110000=1300 from 2021-01"]).apply(reg, "2021-06")


def test_minors_are_covered_to_18_and_students_after_18() -> None:
    """民政部 财政部《关于进一步做好困难群众基本生活保障工作的通知》(2020): minors to 18;
    特困人员认定办法（2021）: after 18 while in compulsory education, ordinary senior high
    school or secondary vocational school."""

    def child(born: str, **kw: Any) -> Household:
        return _home(_person(born, supporters=[{"relation": "uncle", "able": False}], **kw))

    assert assess(child("2007-09-01"), MONTH, ["tekun"], registry=registry())["tekun"].eligible
    at_school = child("2005-09-01", in_school="senior_secondary")
    assert assess(at_school, MONTH, ["tekun"], registry=registry())["tekun"].eligible
    at_university = child("2005-09-01", in_school="bachelor")
    assert not assess(at_university, MONTH, ["tekun"], registry=registry())["tekun"].eligible


def test_tekun_is_recognised_per_person_and_the_others_are_assessed_for_dibao() -> None:
    """特困人员认定办法: the person applies (由本人提出); a relative living with a 特困 person
    who is not a legal supporter is assessed for dibao on their own."""
    sister = _person("1975-01-01", "sibling", incomes=[{"kind": "wage", "monthly": "1000.00"}])
    a = assess(_home(ELDER, sister), MONTH, registry=registry())
    tekun = a["tekun"]
    assert tekun.eligible
    assert tekun.quantities["persons"] == "1"
    # basic living 1.3 × 1450 = 1885.00 (national default multiple), no care band recorded
    assert tekun.amount == Money.parse("1885.00")
    dibao = a["dibao"]
    assert dibao.eligible
    assert dibao.quantities["members"] == "1"
    assert dibao.amount == Money.parse("450.00")  # 1450 × 1 − 1000


def test_an_able_spouse_in_the_household_is_a_legal_supporter() -> None:
    """社会救助暂行办法第十四条; 特困人员认定办法第八条: a spouse able to support is a legal
    supporter, in the household as outside it."""
    spouse = _person("1970-01-01", "spouse")
    d = assess(_home(ELDER, spouse), MONTH, ["tekun"], registry=registry())["tekun"]
    assert not d.eligible
    assert d.first_failed == "no_able_supporter"


def test_an_orphan_gets_the_orphan_allowance_not_tekun_unless_the_child_chose_tekun() -> None:
    """特困人员认定办法（民发〔2021〕43号）: a child who meets both sets of conditions and chooses
    the orphan or de-facto unsupported child allowance is not recognised as 特困; never both."""
    statuses: list[dict[str, Any]] = [{"kind": "orphan"}]
    orphan = _person("2015-01-01", statuses=statuses)
    a = assess(_home(orphan), MONTH, registry=registry())
    assert a["orphan"].eligible and not a["tekun"].eligible
    assert a["tekun"].first_failed == "not_in_child_allowance"
    chose = _person("2015-01-01", statuses=[*statuses, {"kind": "chose_tekun"}])
    b = assess(_home(chose), MONTH, registry=registry())
    assert b["tekun"].eligible and not b["orphan"].eligible


def test_a_missing_care_standard_is_shown_not_set_not_counted_as_zero() -> None:
    """特困人员认定办法: care support by self-care band from the local standard; where the band's
    standard is not set the decision says so."""
    full_care = {**ELDER, "self_care": "full"}  # the fixture registers no full-care standard
    d = assess(_home(full_care), MONTH, ["tekun"], registry=registry())["tekun"]
    assert d.eligible
    assert any(n.id == "care_not_set" for n in d.notes)
    assert "tekun.care.full" in d.standards_missing
    partial = {**ELDER, "self_care": "partial"}
    e = assess(_home(partial), MONTH, ["tekun"], registry=registry())["tekun"]
    assert e.amount == Money.parse("2185.00")  # 1885 + 300
    assert not any(n.id == "care_not_set" for n in e.notes)


def test_without_an_asset_rule_assets_are_not_tested_and_the_decision_says_so() -> None:
    """社会救助暂行办法第九条、第十条: the asset test is a local rule; where none is registered
    the decision does not show a pass."""
    from programs_support import beijing_three

    d = assess(beijing_three(), MONTH, ["dibao"], registry=registry())["dibao"]
    (assets,) = [c for c in d.conditions if c.id == "assets_within_limit"]
    assert (assets.tested, assets.passed) == (False, True)
    assert "not tested" in assets.label("en")
    import attrs

    from civilaffairs.domain import AssetItem, AssetKind

    saver = attrs.evolve(
        beijing_three(),
        assets=(AssetItem(kind=AssetKind.DEPOSIT, value=Money.parse("12000.00")),),
    )
    limited = registry(policies=(("dibao", "asset_limit_months", 1),))
    e = assess(saver, MONTH, ["dibao"], registry=limited)["dibao"]
    assert not e.eligible  # deposits 12000 > 1450 × 1 month × 3 members
    assert e.first_failed == "assets_within_limit"


# -- 残疾人两项补贴、儿童、高龄津贴 --------------------------------------------------------


def test_tekun_persons_do_not_take_the_subsidies_from_the_rest_of_the_household() -> None:
    """国发〔2015〕52号: 纳入特困人员供养保障的残疾人不享受残疾人两项补贴 — per person: a
    severely disabled relative of a 特困 person still receives the nursing subsidy."""
    relative = _person(
        "1980-01-01",
        "sibling",
        disability={"category": "physical", "grade": 1},
        self_care="none",
        supporters=[{"relation": "son", "able": True}],
    )
    elder = {**ELDER, "disability": {"category": "physical", "grade": 1}, "self_care": "none"}
    a = assess(_home(elder, relative), MONTH, registry=registry())
    assert a["tekun"].eligible and a["tekun"].quantities["persons"] == "1"
    assert a["disability_nursing"].quantities["care_members"] == "1"
    assert a["disability_nursing"].amount == Money.parse("200.00")
    on = registry(policies=(("disability_nursing", "tekun_persons_receive", True),))
    b = assess(_home(elder, relative), MONTH, registry=on)
    assert b["disability_nursing"].amount == Money.parse("400.00")


def test_an_orphan_on_the_orphan_allowance_has_no_living_subsidy() -> None:
    """国发〔2015〕52号: 享受孤儿基本生活保障政策的残疾儿童不享受困难残疾人生活补贴，可享受重度
    残疾人护理补贴."""
    child = _person(
        "2012-01-01",
        "grandchild",
        statuses=[{"kind": "orphan"}],
        disability={"category": "physical", "grade": 1},
        self_care="none",
    )
    head = _person("1960-01-01", incomes=[{"kind": "wage", "monthly": "1000.00"}])
    a = assess(_home(head, child), MONTH, registry=registry())
    assert a["orphan"].eligible and a["dibao"].eligible
    assert not a["disability_living"].eligible
    assert a["disability_nursing"].eligible


def test_a_parent_missing_without_a_date_does_not_count_as_six_months() -> None:
    """民发〔2019〕62号: 失联 is out of contact for 6 months or more; with no date recorded the
    six months are not shown, so the child is not counted (a decision never overstates)."""
    child = _person(
        "2015-01-01",
        "grandchild",
        statuses=[
            {"kind": "parent_dead", "parent": "father"},
            {"kind": "parent_missing", "parent": "mother"},
        ],
    )
    head = _person("1960-01-01", incomes=[{"kind": "wage", "monthly": "9000.00"}])
    a = assess(_home(head, child), MONTH, registry=registry())
    assert not a["unsupported_child"].eligible
    dated = {
        **child,
        "statuses": [child["statuses"][0], {**child["statuses"][1], "since": "2024-01-01"}],
    }
    b = assess(_home(head, dated), MONTH, registry=registry())
    assert b["unsupported_child"].eligible


def test_no_allowance_band_means_not_assessed_not_ineligible() -> None:
    """老年人权益保障法第三十三条: bands and amounts are local; where none is registered the
    allowance is not assessed."""
    home = _home(_person("1930-01-01"), region="330106")
    a = assess(home, MONTH, registry=registry())
    assert "elderly_allowance" in a.skipped_reasons()
    assert "elderly_allowance" not in {d.program for d in a.decisions}


def test_an_unemployed_severely_disabled_adult_may_apply_alone_where_enabled() -> None:
    """民发〔2021〕57号 and the later notice restated by 黑民规〔2023〕1号: an unemployed severely
    disabled adult may apply as a one-person household on their own income (off by default:
    the national document number is not confirmed)."""
    disabled = _person(
        "1990-01-01",
        "child",
        disability={"category": "physical", "grade": 1},
        employment="unemployed",
    )
    parent = _person("1960-01-01", incomes=[{"kind": "wage", "monthly": "8000.00"}])
    off = assess(_home(parent, disabled), MONTH, ["dibao"], registry=registry())["dibao"]
    assert not off.eligible
    on_reg = registry(policies=(("dibao", "unemployed_severely_disabled_adult_alone", True),))
    on = assess(_home(parent, disabled), MONTH, ["dibao"], registry=on_reg)["dibao"]
    assert on.eligible and on.amount == Money.parse("1450.00")


# -- properties ------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(assessable_households())
def test_no_household_is_in_two_tiers_and_no_child_gets_both(home: Household) -> None:
    """国办发〔2023〕39号: 特困 / 低保 / 低保边缘 are distinct tiers; 民发〔2021〕43号: no child
    receives both the orphan allowance and 特困 support."""
    a = assess(home, MONTH, registry=registry())
    decided = {d.program: d for d in a.decisions}
    if "marginal" in decided and decided["marginal"].eligible:
        assert not decided["tekun"].eligible and not decided["dibao"].eligible
    if "tekun" in decided and "dibao" in decided and decided["dibao"].eligible:
        tekun_persons = int(decided["tekun"].quantities["persons"])
        assert int(decided["dibao"].quantities["members"]) + tekun_persons <= len(
            [m for m in home.members if m.is_alive_on(a_day())]
        )
    if "tekun" in decided and "orphan" in decided:
        tekun_steps = {s.quantity: s for s in decided["tekun"].steps}
        orphan_steps = {s.quantity: s for s in decided["orphan"].steps}
        if "tekun_person" in tekun_steps and "orphan_paid" in orphan_steps:
            both = zip(
                tekun_steps["tekun_person"].result,
                orphan_steps["orphan_paid"].result,
                strict=True,
            )
            assert not any(t and o for t, o in both)


@settings(max_examples=60, deadline=None)
@given(assessable_households())
def test_a_condition_shown_as_passed_was_tested(home: Household) -> None:
    """A decision never shows ✓ for a rule that was not applied: a condition whose rule is not
    registered for the region is shown as not tested, with the reason."""
    for d in assess(home, MONTH, registry=registry()).decisions:
        text = d.render("en")
        for c in d.conditions:
            if not c.tested:
                assert f"– {c.label('en')}" in text
                assert "not tested" in c.label("en")
            else:
                mark = "✓" if c.passed else "✗"
                assert f"{mark} {c.label('en')}" in text


def a_day() -> Any:
    import datetime as dt

    return dt.date(2024, 8, 1)


def test_a_household_with_no_living_member_is_in_no_tier() -> None:
    """社会救助暂行办法第九条: assistance is for the members living together; a household whose
    members have all died is not marginal (0 income is not "at most 0 × the standard")."""
    gone = _person("1950-01-01", died_on="2024-01-01")
    a = assess(_home(gone), MONTH, registry=registry())
    assert not any(d.eligible for d in a.decisions)
    assert a["marginal"].first_failed == "has_members"

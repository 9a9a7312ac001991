"""Worked examples of the national programmes, with the arithmetic checked by hand."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from civilaffairs import assess, hookimpl
from civilaffairs.domain import Household
from civilaffairs.errors import MissingStandard, UnknownProgram
from civilaffairs.money import Money
from programs_support import MONTH, beijing_three, registry


def _household(members: list[dict], **kw: object) -> Household:
    from civilaffairs.convert import structure

    data = {"id": "T-1", "region": "110105", "residence": "urban", "members": members}
    data.update(kw)
    return structure(data, Household)


def test_worked_example_beijing_three_members() -> None:
    """Beijing, 2024-08, three members, countable income 3600: 1450 × 3 − 3600 = 750.00."""
    decision = assess(beijing_three(), MONTH, ["dibao"], registry=registry())["dibao"]
    assert decision.eligible
    assert decision.amount == Money.parse("750.00")
    assert decision.first_failed is None
    steps = {s.quantity: s for s in decision.steps}
    assert steps["threshold"].result == Money.parse("4350.00")
    assert steps["difference"].operands == {
        "threshold": Money.parse("4350.00"),
        "countable_income": Money.parse("3600.00"),
    }
    assert steps["difference"].result == Money.parse("750.00")
    assert "4350.00 - 3600.00 = 750.00" in steps["difference"].text("zh")
    counted = {(i.kind, i.counted) for i in decision.incomes}
    assert counted == {("wage", True), ("veterans_care", False)}
    excluded = next(i for i in decision.incomes if not i.counted)
    assert "民发〔2021〕57号" in excluded.rule
    (std,) = [s for s in decision.standards if s.key == "dibao.standard"]
    assert (std.region, std.value, std.effective_from) == ("110000", "1450.00", "2024-07-01")
    assert std.source["issuer"] == "test fixture"
    assert decision.versions["civilaffairs"]


def test_per_capita_is_display_only() -> None:
    # 3601 / 3 = 1200.33: shown rounded, but the test uses the exact total.
    d = assess(beijing_three("2601.00"), MONTH, ["dibao"], registry=registry())["dibao"]
    assert d.quantities["per_capita"] == "1200.33"
    assert d.amount == Money.parse("749.00")


def test_rounding_policy_up() -> None:
    reg = registry(policies=(("dibao", "rounding", "up"),))
    d = assess(beijing_three("2600.50"), MONTH, ["dibao"], registry=reg)["dibao"]
    assert d.amount == Money.parse("750.00")  # 749.50 rounded up
    (pol,) = [p for p in d.policies if p.point == "rounding"]
    assert pol.value == "up"
    assert pol.region == "110000"


def test_income_at_the_standard_is_not_eligible() -> None:
    d = assess(beijing_three("3350.00", "1000.00"), MONTH, ["dibao"], registry=registry())
    assert not d["dibao"].eligible
    assert d["dibao"].first_failed == "income_below_standard"
    assert d["dibao"].amount == Money.parse("0")


def test_marginal_between_standard_and_multiple() -> None:
    a = assess(beijing_three("4000.00", "1500.00"), MONTH, registry=registry())
    assert not a["dibao"].eligible
    assert a["marginal"].eligible  # 5500 <= 1.5 × 1450 × 3 = 6525
    assert a["marginal"].amount == Money.parse("0")
    b = assess(beijing_three("5600.00", "1000.00"), MONTH, registry=registry())
    assert not b["marginal"].eligible
    assert b["marginal"].first_failed == "income_within_multiple"


def test_tekun_elderly_alone_excludes_dibao() -> None:
    home = _household(
        [
            {
                "birth_date": "1942-03-01",
                "sex": "female",
                "relation": "head",
                "self_care": "partial",
                "incomes": [{"kind": "pension_basic", "monthly": "200.00"}],
                "supporters": [{"relation": "son", "able": False}],
            },
        ]
    )
    a = assess(home, MONTH, registry=registry())
    tekun = a["tekun"]
    assert tekun.eligible
    # basic living 1.3 × 1450 = 1885.00 (national default multiple) + partial care 300
    assert tekun.amount == Money.parse("2185.00")
    assert not a["dibao"].eligible
    assert a["dibao"].first_failed == "not_all_tekun"
    assert a["elderly_allowance"].eligible  # aged 82: the 80 band
    assert a["elderly_allowance"].amount == Money.parse("100.00")


def test_tekun_refused_with_an_able_supporter() -> None:
    home = _household(
        [
            {
                "birth_date": "1942-03-01",
                "sex": "female",
                "relation": "head",
                "supporters": [{"relation": "son", "able": True}],
            },
        ]
    )
    d = assess(home, MONTH, ["tekun"], registry=registry())["tekun"]
    assert not d.eligible
    assert d.first_failed == "no_able_supporter"


def test_orphan_and_unsupported_child() -> None:
    home = _household(
        [
            {
                "birth_date": "1950-01-01",
                "sex": "male",
                "relation": "head",
                "incomes": [{"kind": "wage", "monthly": "9000.00"}],
            },
            {
                "birth_date": "2015-01-01",
                "sex": "female",
                "relation": "grandchild",
                "statuses": [{"kind": "orphan"}],
            },
            {
                "birth_date": "2016-01-01",
                "sex": "male",
                "relation": "grandchild",
                "statuses": [
                    {"kind": "parent_dead", "parent": "father"},
                    {
                        "kind": "parent_imprisoned",
                        "parent": "mother",
                        "since": "2024-05-01",
                        "term_months": 24,
                    },
                ],
            },
            {
                "birth_date": "2017-01-01",
                "sex": "male",
                "relation": "grandchild",
                "statuses": [
                    {"kind": "parent_dead", "parent": "father"},
                    {
                        "kind": "parent_imprisoned",
                        "parent": "mother",
                        "since": "2023-01-01",
                        "term_months": 3,
                    },
                ],
            },
        ]
    )
    a = assess(home, MONTH, registry=registry())
    assert a["orphan"].eligible
    assert a["orphan"].amount == Money.parse("600.00")
    # 民发〔2019〕62号: a term of 6 months or more, not time served. The mother sentenced to
    # 24 months in May counts at once; a 3-month term never counts, however long ago.
    assert a["unsupported_child"].eligible
    assert a["unsupported_child"].amount == Money.parse("600.00")
    assert a["unsupported_child"].quantities["children"] == "1"


def test_disability_subsidies() -> None:
    home = _household(
        [
            {
                "birth_date": "1980-01-01",
                "sex": "male",
                "relation": "head",
                "disability": {"category": "physical", "grade": 1},
                "self_care": "none",
            },
            {
                "birth_date": "1982-01-01",
                "sex": "female",
                "relation": "spouse",
                "incomes": [{"kind": "wage", "monthly": "1500.00"}],
            },
        ]
    )
    a = assess(home, MONTH, registry=registry())
    assert a["dibao"].eligible
    assert a["disability_living"].eligible
    assert a["disability_living"].amount == Money.parse("100.00")
    assert a["disability_nursing"].eligible
    assert a["disability_nursing"].amount == Money.parse("200.00")


def test_nursing_subsidy_not_with_work_injury_allowance() -> None:
    home = _household(
        [
            {
                "birth_date": "1980-01-01",
                "sex": "male",
                "relation": "head",
                "disability": {"category": "physical", "grade": 2},
                "statuses": [{"kind": "work_injury_nursing"}],
                "incomes": [{"kind": "wage", "monthly": "5000.00"}],
            },
        ]
    )
    d = assess(home, MONTH, ["disability_nursing"], registry=registry())["disability_nursing"]
    assert not d.eligible
    assert d.first_failed == "has_eligible"


def _with_status(home: Household, kind: str) -> Household:
    import attrs

    from civilaffairs.domain import Status, StatusKind

    head = attrs.evolve(home.members[0], statuses=(Status(kind=StatusKind(kind)),))
    return attrs.evolve(home, members=(head, *home.members[1:]))


def test_temporary_is_a_one_off_maximum() -> None:
    home = _with_status(beijing_three(), "accident")
    d = assess(home, MONTH, ["temporary"], registry=registry())["temporary"]
    assert d.period == "one_off_max"
    assert d.amount == Money.parse("26100.00")  # 6 × 1450 × 3
    special = registry(policies=(("temporary", "special_case", True),))
    d2 = assess(home, MONTH, ["temporary"], registry=special)["temporary"]
    assert d2.amount == Money.parse("52200.00")  # 12 × 1450 × 3


def test_temporary_needs_grounds_under_article_47() -> None:
    """社会救助暂行办法第四十七条: an accident, a sudden major illness or another special
    difficulty, or (for dibao households) essential spending beyond what the household can
    bear. A low income alone is not a ground."""
    d = assess(beijing_three(), MONTH, ["temporary"], registry=registry())["temporary"]
    assert not d.eligible
    assert d.first_failed == "grounds"
    ill = _with_status(beijing_three(), "sudden_major_illness")
    assert assess(ill, MONTH, ["temporary"], registry=registry())["temporary"].eligible


def test_high_spending_only_where_enabled() -> None:
    home = _household(
        [
            {
                "birth_date": "1970-01-01",
                "sex": "male",
                "relation": "head",
                "incomes": [{"kind": "wage", "monthly": "3000.00"}],
            }
        ],
        expenses=[{"kind": "medical", "monthly": "2000.00"}],
    )
    off = assess(home, MONTH, ["high_spending"], registry=registry())["high_spending"]
    assert not off.eligible
    assert off.first_failed == "in_force"
    reg = registry(policies=(("high_spending", "enabled", True),))
    on = assess(home, MONTH, ["high_spending"], registry=reg)["high_spending"]
    assert on.eligible
    assert on.amount == Money.parse("450.00")  # 1450 − (3000 − 2000)


def test_banded_payment() -> None:
    reg = registry(policies=(("dibao", "payment", "banded"),))
    d = assess(beijing_three("600.00", "0.00"), MONTH, ["dibao"], registry=reg)["dibao"]
    # income 600 is below a third of 4350: the low band pays the full threshold (rate 1)
    assert d.amount == Money.parse("4350.00")


def test_missing_standard_is_an_error_naming_key_region_date() -> None:
    home = _household(
        [{"birth_date": "1980-01-01", "sex": "male", "relation": "head"}], region="330106"
    )
    with pytest.raises(MissingStandard) as info:
        assess(home, MONTH, ["dibao"], registry=registry())
    text = str(info.value)
    assert "dibao.standard" in text
    assert "330106" in text
    assert "2024-08-01" in text


def test_a_missing_dibao_standard_fails_only_the_programmes_that_read_it() -> None:
    """Each programme depends only on what it reads: without a dibao standard, the old-age
    allowance (老年人权益保障法第三十三条) is still assessed."""
    home = _household(
        [{"birth_date": "1940-01-01", "sex": "male", "relation": "head"}], region="330106"
    )
    from civilaffairs.testing import isolated_registry
    from programs_support import SOURCE

    class Allowance:
        __name__ = "allowance_only"

        @hookimpl
        def civilaffairs_register_standards(self, register: Any) -> None:
            register.add("elderly.allowance.80", "330000", "2024-01-01", "100", source=SOURCE)

    a = assess(home, MONTH, registry=isolated_registry(Allowance()))
    reasons = a.skipped_reasons()
    assert "dibao.standard" in reasons["dibao"]
    assert "marginal" in reasons  # depends on dibao
    assert a["elderly_allowance"].amount == Money.parse("100.00")


def test_programme_without_local_standard_is_skipped_when_not_requested() -> None:
    from civilaffairs.testing import isolated_registry
    from programs_support import FixtureStandards

    class OnlyDibao(FixtureStandards):
        def civilaffairs_register_standards(self, register):  # type: ignore[no-untyped-def]
            register.add(
                "dibao.standard",
                "110000",
                "2024-07-01",
                "1450",
                source={"issuer": "test fixture", "title": "t"},
            )

    from civilaffairs import hookimpl

    OnlyDibao.civilaffairs_register_standards = hookimpl(  # type: ignore[method-assign]
        OnlyDibao.civilaffairs_register_standards
    )
    reg = isolated_registry(OnlyDibao())
    a = assess(beijing_three(), MONTH, registry=reg)
    skipped = a.skipped_reasons()
    assert "temporary" in skipped
    assert "temporary.max_multiple" in skipped["temporary"]
    assert a["dibao"].amount == Money.parse("750.00")
    with pytest.raises(MissingStandard):
        assess(beijing_three(), MONTH, ["temporary"], registry=reg)


def test_unknown_programme() -> None:
    with pytest.raises(UnknownProgram, match="unknown programme 'dibaoo'"):
        assess(beijing_three(), MONTH, ["dibaoo"], registry=registry())


def test_json_contract_and_no_identifier_leaks() -> None:
    a = assess(beijing_three(), MONTH, registry=registry())
    data = json.loads(a.to_json())
    assert data["household"] == "BJ-2024-0001"
    assert data["month"] == "2024-08"
    dibao = next(d for d in data["decisions"] if d["program"] == "dibao")
    assert dibao["eligible"] is True
    assert dibao["amount"] == "750.00"
    assert {"id", "passed", "label"} <= set(dibao["conditions"][0])
    assert {"key", "region", "value", "effective_from", "source", "plugin"} <= set(
        dibao["standards"][0]
    )
    assert isinstance(dibao["steps"], list)
    assert dibao["steps"]
    text = a.to_json() + a.to_json("en") + a.render("zh") + a.render("en") + repr(a)
    for secret in ("110105198001010016", "110105198203040029", "王建国", "李芳"):
        assert secret not in text


def test_english_rendering() -> None:
    text = assess(beijing_three(), MONTH, ["dibao"], registry=registry()).render("en")
    assert "[Minimum living guarantee (dibao)] eligible; 750.00 yuan per month" in text
    assert "difference: threshold - countable_income = 4350.00 - 3600.00 = 750.00" in text


def test_dead_members_do_not_count() -> None:
    home = beijing_three()
    import attrs

    child = attrs.evolve(home.members[2], died_on=dt.date(2024, 6, 1))
    home = attrs.evolve(home, members=(*home.members[:2], child))
    d = assess(home, MONTH, ["dibao"], registry=registry())["dibao"]
    assert d.quantities["members"] == "2"
    assert d.amount == Money.parse("0")  # 1450 × 2 − 3600 < 0


def test_minor_standard_and_monthly_temporary_in_shanghai() -> None:
    pytest.importorskip("civilaffairs_shanghai")
    from civilaffairs.testing import isolated_registry

    reg = isolated_registry("shanghai")
    home = _household(
        [
            {
                "birth_date": "1980-01-01",
                "sex": "male",
                "relation": "head",
                "incomes": [{"kind": "wage", "monthly": "2000.00"}],
            },
            {
                "birth_date": "1982-01-01",
                "sex": "female",
                "relation": "spouse",
                "statuses": [{"kind": "sudden_major_illness"}],
            },
            {"birth_date": "2014-01-01", "sex": "female", "relation": "child"},
        ],
        region="310101",
    )
    a = assess(home, MONTH, ["dibao", "temporary"], registry=reg)
    adult = reg.resolve("dibao.standard", "310101", MONTH, "urban").value.fen
    minor = reg.resolve("dibao.standard.minor", "310101", MONTH, "urban").value.fen
    assert minor > adult
    steps = {s.quantity: s for s in a["dibao"].steps}
    assert steps["threshold"].result.fen == adult * 2 + minor
    assert a["dibao"].amount.fen == adult * 2 + minor - 200000
    temporary = a["temporary"]
    (form,) = [p for p in temporary.policies if p.point == "payment_form"]
    assert form.value == "monthly"
    assert temporary.quantities["monthly_cap"] == str(Money(adult * 3))  # 3 × the standard
    assert temporary.amount == Money(adult * 9)  # 3 × the standard a month, at most 3 months

"""The self_governance module: elections, recalls, meetings, terms and the filing of village
rules, against 村民委员会组织法 and 城市居民委员会组织法 (2018 texts)."""

from __future__ import annotations

import datetime as _dt
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from civilaffairs import hookimpl
from civilaffairs.checks import CheckResult, run_check
from civilaffairs.cli import main
from civilaffairs.errors import CivilAffairsError, ValidationError
from civilaffairs.modules import core_modules
from civilaffairs.modules.self_governance import (
    ELECTION,
    MEETING,
    MODULE,
    RECALL,
    RULES_FILING,
    TERM,
    DueReportWarning,
    at_least_fraction,
    due_report,
    due_report_with_errors,
    more_than_half,
    term_end,
)
from civilaffairs.registry import get_registry
from civilaffairs.testing import isolated_registry

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "self_governance"
ON = "2024-05-01"
REGISTRY = get_registry()


def run(check: Any, data: dict[str, Any], on: str = ON, registry: Any = REGISTRY) -> CheckResult:
    return run_check(check, check.structure(data), on, registry=registry)


def election(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "committee_election",
        "kind": "village",
        "registered_voters": 1000,
        "ballots_cast": 600,
        "seats": 5,
        "candidates": [{"name": "甲", "votes": 400}],
    }
    data.update(overrides)
    return data


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def condition(result: CheckResult, cid: str, i: int = 0) -> Any:
    found = [c for c in result.decisions[i].conditions if c.id == cid]
    assert found, f"no condition {cid}"
    return found[0]


# -- registration ---------------------------------------------------------------------------


def test_module_is_registered_with_its_checks_and_national_values() -> None:
    assert MODULE in core_modules()
    ids = {c.id for c in MODULE.checks}
    assert ids == {
        "self_governance.election",
        "self_governance.recall",
        "self_governance.meeting",
        "self_governance.term",
        "self_governance.village_rules_filing",
    }
    std = REGISTRY.standards
    assert std.resolve("self_governance.village.term_years", "110105", ON).value == 5
    assert std.resolve("self_governance.residents.term_years", "110105", ON).value == 5
    assert std.resolve("self_governance.village.members_min", "110105", ON).value == 3
    assert std.resolve("self_governance.village.members_max", "110105", ON).value == 7
    assert std.resolve("self_governance.residents.members_min", "110105", ON).value == 5
    assert std.resolve("self_governance.residents.members_max", "110105", ON).value == 9
    # The residents' law leaves the election thresholds to the provinces.
    assert std.try_resolve("self_governance.residents.election.turnout_share", "110105", ON) is None
    # Before the 2018 amendment the five-year term is not registered.
    assert std.try_resolve("self_governance.village.term_years", "110105", "2018-12-28") is None


def test_thresholds() -> None:
    assert more_than_half(1000) == 501
    assert more_than_half(1001) == 501
    assert at_least_fraction(600, 1, 3) == 200
    assert at_least_fraction(601, 1, 3) == 201
    assert at_least_fraction(1000, 1, 5) == 200


@given(st.integers(0, 10**7), st.integers(1, 5), st.integers(2, 6))
def test_at_least_fraction_is_the_smallest_count_that_reaches_the_share(
    total: int, num: int, den: int
) -> None:
    needed = at_least_fraction(total, num, den)
    assert needed * den >= total * num
    assert needed == 0 or (needed - 1) * den < total * num


# -- election -------------------------------------------------------------------------------


def test_worked_example_first_vote_fills_three_seats_and_leaves_two_for_another_round() -> None:
    result = run(ELECTION, example("election_village.json"))
    d = result.decisions[0]
    assert d.subject == "XC-2024-01"
    assert d.passed is True
    assert d.outcome == ("王春生", "李秀英", "赵建国")
    assert d.facts["unfilled_seats"] == "2"
    assert d.facts["validity"] == "valid"
    steps = {s.name: s.result for s in d.steps}
    assert steps["votes_needed"] == "301"  # more than half of 600
    assert steps["additional_round_votes_needed"] == "200"  # one third of 600
    assert condition(result, "turnout").basis == "村民委员会组织法第十五条第二款"


def test_worked_example_additional_round_elects_with_a_third_of_the_ballots() -> None:
    d = run(ELECTION, example("election_additional_round.json")).decisions[0]
    assert d.outcome == ("陈玉兰", "周德明")
    assert {s.name: s.result for s in d.steps}["votes_needed"] == "187"  # ceil(560 / 3)
    assert d.facts["unfilled_seats"] == "0"


@given(st.integers(0, 5000))
def test_exactly_half_turnout_is_invalid(half: int) -> None:
    registered = 2 * half
    candidates = [{"name": "甲", "votes": half}]
    result = run(
        ELECTION, election(registered_voters=registered, ballots_cast=half, candidates=candidates)
    )
    d = result.decisions[0]
    assert d.passed is False
    assert d.outcome == ()
    assert d.facts["validity"] == "invalid"
    assert condition(result, "turnout").passed is False


@given(st.integers(0, 20000), st.data())
def test_turnout_is_valid_exactly_when_more_than_half_vote(registered: int, data: Any) -> None:
    ballots = data.draw(st.integers(0, registered))
    d = run(ELECTION, election(registered_voters=registered, ballots_cast=ballots, candidates=[]))
    assert d.decisions[0].passed is (2 * ballots > registered)


@given(st.integers(1, 5000), st.data())
def test_a_candidate_is_elected_exactly_with_more_than_half_of_the_ballots(
    ballots: int, data: Any
) -> None:
    votes = data.draw(st.integers(0, ballots))
    d = run(
        ELECTION,
        election(
            registered_voters=ballots,
            ballots_cast=ballots,
            seats=3,
            candidates=[{"name": "甲", "votes": votes}],
        ),
    ).decisions[0]
    assert d.outcome == (("甲",) if 2 * votes > ballots else ())


@given(st.integers(1, 5000), st.data())
def test_additional_round_elects_with_at_least_a_third(ballots: int, data: Any) -> None:
    votes = data.draw(st.integers(0, ballots))
    d = run(
        ELECTION,
        election(
            round="additional",
            registered_voters=ballots,
            ballots_cast=ballots,
            seats=1,
            candidates=[{"name": "乙", "votes": votes}],
        ),
    ).decisions[0]
    assert d.outcome == (("乙",) if 3 * votes >= ballots else ())


candidate_lists = st.lists(st.integers(0, 600), min_size=0, max_size=12)


@given(candidate_lists, st.integers(3, 7))
def test_elected_are_at_most_the_seats_by_votes_and_ties_at_the_last_seat_stay_open(
    votes: list[int], seats: int
) -> None:
    assume(sum(votes) <= 600 * seats)
    candidates = [{"name": f"候选人{i}", "votes": v} for i, v in enumerate(votes)]
    d = run(
        ELECTION,
        election(registered_voters=1000, ballots_cast=600, seats=seats, candidates=candidates),
    ).decisions[0]
    by_name = {c["name"]: c["votes"] for c in candidates}
    elected = list(d.outcome)
    assert len(elected) <= seats
    assert all(by_name[n] > 300 for n in elected)
    # Everyone elected has more votes than everyone qualified but not elected.
    others = [v for n, v in by_name.items() if n not in elected and v > 300]
    assert all(by_name[n] > max(others, default=-1) for n in elected)
    qualified = sum(1 for v in votes if v > 300)
    tied = d.facts.get("tied_seats")
    if qualified <= seats:
        assert len(elected) == qualified and tied is None
    elif tied is None:
        assert len(elected) == seats
    else:
        assert len(elected) + int(tied) == seats
    assert int(d.facts["unfilled_seats"]) == seats - len(elected) - int(tied or 0)


def test_tie_at_the_last_seat() -> None:
    d = run(
        ELECTION,
        election(
            seats=3,
            candidates=[
                {"name": "甲", "votes": 500},
                {"name": "乙", "votes": 400},
                {"name": "丙", "votes": 350},
                {"name": "丁", "votes": 350},
            ],
        ),
    ).decisions[0]
    assert d.outcome == ("甲", "乙")
    assert d.facts["tied_at_last_seat"] == "丙, 丁"
    assert d.facts["tied_seats"] == "1"
    assert d.facts["unfilled_seats"] == "0"


@pytest.mark.parametrize(
    ("kind", "seats", "passed"),
    [
        ("village", 2, False),
        ("village", 3, True),
        ("village", 7, True),
        ("village", 8, False),
        ("residents", 4, False),
        ("residents", 5, True),
        ("residents", 9, True),
        ("residents", 10, False),
    ],
)
def test_committee_size_is_checked_against_the_article(kind: str, seats: int, passed: bool) -> None:
    result = run(ELECTION, election(kind=kind, seats=seats))
    size = condition(result, "committee_size")
    assert size.passed is passed
    assert size.basis == (
        "村民委员会组织法第六条" if kind == "village" else "城市居民委员会组织法第七条"
    )
    if not passed:
        assert result.decisions[0].passed is False


def test_residents_election_is_not_determined_without_provincial_thresholds() -> None:
    result = run(ELECTION, election(kind="residents", seats=5))
    d = result.decisions[0]
    assert d.passed is False
    assert d.outcome == ()
    assert d.facts["validity"] == "not_determined"
    turnout = condition(result, "turnout")
    assert turnout.passed is None
    assert "self_governance.residents.election.turnout_share" in turnout.label("en")


class Province:
    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        for key in ("turnout_share", "elected_share"):
            register.add(
                f"self_governance.residents.election.{key}",
                "110000",
                "2019-01-01",
                "0.5",
                source={"issuer": "北京市人大常委会", "title": "测试用居委会选举办法"},
            )


def test_residents_election_uses_the_provincial_thresholds() -> None:
    registry = isolated_registry({"province": Province()})
    data = election(
        kind="residents",
        region="110105",
        seats=5,
        candidates=[{"name": "甲", "votes": 301}, {"name": "乙", "votes": 300}],
    )
    result = run(ELECTION, data, registry=registry)
    d = result.decisions[0]
    assert d.passed is True
    assert d.outcome == ("甲",)
    assert any(s["key"] == "self_governance.residents.election.turnout_share" for s in d.standards)
    half = run(ELECTION, {**data, "ballots_cast": 500, "candidates": []}, registry=registry)
    assert half.decisions[0].passed is False


# -- bad input ------------------------------------------------------------------------------


def paths(exc: ValidationError) -> set[str]:
    return {e.path for e in exc.errors}


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"registered_voters": -1}, "registered_voters"),
        ({"ballots_cast": -5}, "ballots_cast"),
        ({"candidates": [{"name": "甲", "votes": -1}]}, "candidates[0].votes"),
        ({"ballots_cast": 1001}, "ballots_cast"),
        ({"candidates": [{"name": "甲", "votes": 601}]}, "candidates[0].votes"),
        ({"kind": "township"}, "kind"),
        ({"seats": 0}, "seats"),
        ({"date": "2024-02-30"}, "date"),
        ({"region": "999999"}, "region"),
        (
            {
                "seats": 1,
                "candidates": [{"name": "甲", "votes": 400}, {"name": "乙", "votes": 201}],
            },
            "candidates",
        ),
    ],
)
def test_bad_election_input_names_the_field(overrides: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        ELECTION.structure(election(**overrides))
    assert path in paths(info.value)


def test_votes_may_add_up_to_ballots_times_seats() -> None:
    # Each ballot marks up to `seats` names: 600 ballots, 2 seats, 1200 votes in all.
    data = election(
        seats=3,
        candidates=[{"name": "甲", "votes": 600}, {"name": "乙", "votes": 600}],
    )
    assert run(ELECTION, data).decisions[0].outcome == ("甲", "乙")


def test_names_never_appear_in_error_messages() -> None:
    name = "欧阳秘密"
    data = election(candidates=[{"name": name, "votes": 9999}], kind="nowhere")
    with pytest.raises(ValidationError) as info:
        ELECTION.structure(data)
    text = str(info.value) + "".join(info.value.lines("zh")) + "".join(info.value.lines("en"))
    assert name not in text
    assert {"kind", "candidates[0].votes"} <= paths(info.value) or "kind" in paths(info.value)


# -- recall ---------------------------------------------------------------------------------


def test_worked_example_recall() -> None:
    d = run(RECALL, example("recall.json")).decisions[0]
    assert d.outcome == "recalled"
    assert d.passed is True


@given(st.integers(1, 10000), st.data())
def test_petition_needs_at_least_a_fifth_of_the_villagers(eligible: int, data: Any) -> None:
    signed = data.draw(st.integers(0, eligible))
    d = run(RECALL, {"eligible_voters": eligible, "petitioners": signed}).decisions[0]
    assert (d.outcome == "petition_valid") is (5 * signed >= eligible and signed > 0)


@given(st.integers(1, 200), st.data())
def test_or_a_third_of_the_representatives(reps: int, data: Any) -> None:
    signed = data.draw(st.integers(0, reps))
    d = run(
        RECALL,
        {"eligible_voters": 1000, "representatives": reps, "representative_petitioners": signed},
    ).decisions[0]
    assert (d.outcome == "petition_valid") is (3 * signed >= reps and signed > 0)


@given(st.integers(0, 5000), st.data())
def test_recall_vote_needs_more_than_half_voting_and_more_than_half_for(
    registered: int, data: Any
) -> None:
    ballots = data.draw(st.integers(0, registered))
    votes_for = data.draw(st.integers(0, ballots))
    d = run(
        RECALL,
        {
            "eligible_voters": 1000,
            "petitioners": 200,
            "registered_voters": registered,
            "ballots_cast": ballots,
            "votes_for": votes_for,
        },
    ).decisions[0]
    if 2 * ballots <= registered:
        assert d.outcome == "vote_invalid"
    else:
        assert d.outcome == ("recalled" if 2 * votes_for > ballots else "not_recalled")


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"eligible_voters": 100, "petitioners": 101}, "petitioners"),
        ({"eligible_voters": 100}, "petitioners"),
        ({"eligible_voters": 100, "representative_petitioners": 3}, "representatives"),
        (
            {
                "eligible_voters": 100,
                "petitioners": 30,
                "registered_voters": 100,
                "ballots_cast": 60,
            },
            "votes_for",
        ),
        (
            {
                "eligible_voters": 100,
                "petitioners": 30,
                "registered_voters": 100,
                "ballots_cast": 60,
                "votes_for": 61,
            },
            "votes_for",
        ),
        ({"eligible_voters": -3, "petitioners": 1}, "eligible_voters"),
    ],
)
def test_bad_recall_input_names_the_field(data: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        RECALL.structure(data)
    assert path in paths(info.value)


# -- meetings -------------------------------------------------------------------------------


def test_worked_example_meetings() -> None:
    outcomes = [run(MEETING, m).decisions[0].outcome for m in example("meetings.json")]
    # 300 of 800 villagers is short of half, but 210 of 300 households is two thirds.
    assert outcomes == ["adopted", "adopted", "not_quorate"]


@given(st.integers(0, 5000), st.data())
def test_villagers_meeting_quorum_is_more_than_half_of_adults(members: int, data: Any) -> None:
    present = data.draw(st.integers(0, members))
    d = run(
        MEETING, {"kind": "villagers_meeting", "members": members, "present": present}
    ).decisions[0]
    assert (d.outcome == "quorate") is (2 * present > members)


@given(st.integers(1, 3000), st.data())
def test_or_two_thirds_of_households(households: int, data: Any) -> None:
    represented = data.draw(st.integers(0, households))
    d = run(
        MEETING,
        {
            "kind": "villagers_meeting",
            "members": 10000,
            "present": represented,
            "households": households,
            "households_present": represented,
        },
    ).decisions[0]
    assert (d.outcome == "quorate") is (3 * represented >= 2 * households)


@given(st.integers(1, 300), st.data())
def test_representatives_meeting_needs_two_thirds_and_a_majority(members: int, data: Any) -> None:
    present = data.draw(st.integers(0, members))
    votes = data.draw(st.integers(0, present))
    d = run(
        MEETING,
        {
            "kind": "villager_representatives_meeting",
            "members": members,
            "present": present,
            "votes_for": votes,
        },
    ).decisions[0]
    if 3 * present < 2 * members:
        assert d.outcome == "not_quorate"
    else:
        assert d.outcome == ("adopted" if 2 * votes > present else "rejected")


@given(st.integers(1, 300), st.data())
def test_exactly_half_of_those_present_does_not_carry(members: int, data: Any) -> None:
    half = data.draw(st.integers(0, members // 2))
    d = run(
        MEETING,
        {
            "kind": "residents_meeting",
            "members": 2 * members,
            "present": 2 * members,
            "votes_for": half,
        },
    ).decisions[0]
    assert d.outcome == ("adopted" if 2 * half > 2 * members else "rejected")


def test_group_meeting_two_thirds_and_representatives_composition() -> None:
    group = run(MEETING, {"kind": "villager_group_meeting", "members": 30, "present": 20})
    assert group.decisions[0].outcome == "quorate"
    assert (
        run(MEETING, {"kind": "villager_group_meeting", "members": 30, "present": 19})
        .decisions[0]
        .outcome
        == "not_quorate"
    )
    reps = run(
        MEETING,
        {
            "kind": "villager_representatives_meeting",
            "members": 30,
            "present": 30,
            "representatives": 23,
            "women_representatives": 9,
        },
    )
    assert condition(reps, "representatives_share").passed is False  # 24 needed
    assert condition(reps, "women_representatives_share").passed is False  # 10 needed
    assert reps.decisions[0].passed is False


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"kind": "villagers_meeting", "members": 10, "present": 11}, "present"),
        ({"kind": "villagers_meeting", "members": 10, "present": 5, "votes_for": 6}, "votes_for"),
        (
            {
                "kind": "residents_meeting",
                "members": 10,
                "present": 5,
                "households": 3,
                "households_present": 2,
            },
            "households",
        ),
        (
            {"kind": "villagers_meeting", "members": 10, "present": 5, "households": 3},
            "households_present",
        ),
        (
            {"kind": "villagers_meeting", "members": 10, "present": 5, "representatives": 3},
            "representatives",
        ),
        ({"kind": "parliament", "members": 10, "present": 5}, "kind"),
        ({"kind": "villagers_meeting", "members": -10, "present": 5}, "members"),
    ],
)
def test_bad_meeting_input_names_the_field(data: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        MEETING.structure(data)
    assert path in paths(info.value)


# -- terms ----------------------------------------------------------------------------------


def test_worked_example_terms() -> None:
    results = [run(TERM, t, on="2026-03-01").decisions[0] for t in example("terms.json")]
    assert [d.outcome for d in results] == ["due_within_90_days", "in_term", "overdue"]
    assert results[0].facts["term_ends_on"] == "2026-05-20"
    assert results[0].facts["days_left"] == "80"
    assert [d.passed for d in results] == [True, True, False]


def test_term_of_a_committee_elected_on_29_february() -> None:
    assert term_end(_dt.date(2020, 2, 29), 5) == _dt.date(2025, 2, 28)
    assert term_end(_dt.date(2020, 2, 29), 4) == _dt.date(2024, 2, 29)


def test_term_before_the_2018_amendment_is_not_determined() -> None:
    result = run(
        TERM,
        {"committee_id": "C", "region": "110105", "kind": "village", "elected_on": "2017-06-01"},
        on="2024-01-01",
    )
    d = result.decisions[0]
    assert d.outcome == "not_determined"
    assert d.passed is False
    assert condition(result, "term_applies").passed is None


def test_future_election_date_is_an_error_naming_the_field() -> None:
    record = TERM.structure(
        {"committee_id": "C", "region": "110105", "kind": "village", "elected_on": "2030-01-01"}
    )
    with pytest.raises(CivilAffairsError) as info:
        run_check(TERM, record, "2024-01-01", registry=REGISTRY)
    assert info.value.path == "elected_on"


dates = st.dates(_dt.date(2019, 1, 1), _dt.date(2026, 12, 31))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["village", "residents"]), dates), min_size=1, max_size=40),
    st.dates(_dt.date(2024, 1, 1), _dt.date(2027, 12, 31)),
    st.integers(0, 400),
)
def test_due_report_agrees_with_the_single_record_check(
    rows: list[tuple[str, _dt.date]], on: _dt.date, window: int
) -> None:
    table = pa.table(
        {
            "committee_id": [f"C{i}" for i in range(len(rows))],
            "region": ["110105"] * len(rows),
            "kind": [k for k, _ in rows],
            "elected_on": [d for _, d in rows],
        }
    )
    report, errors = due_report_with_errors(table, on, window_days=window, registry=REGISTRY)
    future = [i for i, (_, d) in enumerate(rows) if d > on]
    assert errors.column("row").to_pylist() == future
    assert set(errors.column("reason").to_pylist()) <= {"elected_on is after the report date"}
    by_id = {r["committee_id"]: r for r in report.to_pylist()}
    for i, (kind, elected) in enumerate(rows):
        if i in future:
            continue
        d = run(
            TERM,
            {
                "committee_id": f"C{i}",
                "region": "110105",
                "kind": kind,
                "elected_on": elected.isoformat(),
                "window_days": window,
            },
            on=on.isoformat(),
        ).decisions[0]
        row = by_id[f"C{i}"]
        assert row["status"] == d.outcome
        assert row["term_ends_on"] == term_end(elected, 5)
        assert str(row["days_left"]) == d.facts["days_left"]


def test_due_report_puts_bad_rows_in_the_errors_table_and_reports_the_others() -> None:
    table = pa.table(
        {
            "committee_id": ["A", "B", None, "D", "E", "F", "G", "H"],
            "region": ["110105", "110105", "110105", "110105", "999999", None, "110105", "110105"],
            "kind": [
                "village",
                "township",
                "village",
                "residents",
                "village",
                "village",
                "village",
                "residents",
            ],
            "elected_on": [
                "2021-05-20",
                "2021-05-20",
                "2021-05-20",
                None,
                "2021-05-20",
                "2021-05-20",
                "2030-01-01",
                "2021-02-30",
            ],
        }
    )
    report, errors = due_report_with_errors(table, _dt.date(2026, 3, 1), registry=REGISTRY)
    assert report.column("committee_id").to_pylist() == ["A"]
    assert report.column("status").to_pylist() == ["due_within_90_days"]
    assert errors.column("row").to_pylist() == [1, 2, 3, 4, 5, 6, 7]
    assert errors.column("field").to_pylist() == [
        "kind",
        "committee_id",
        "elected_on",
        "region",
        "region",
        "elected_on",
        "elected_on",
    ]
    assert all(errors.column("reason_zh").to_pylist())
    with pytest.warns(DueReportWarning, match="7 row"):
        assert due_report(table, _dt.date(2026, 3, 1), registry=REGISTRY).num_rows == 1


def test_due_report_without_bad_rows_does_not_warn_and_needs_its_columns() -> None:
    table = pa.table(
        {
            "committee_id": ["A"],
            "region": ["110105"],
            "kind": ["residents"],
            "elected_on": pa.array([_dt.date(2021, 9, 10)]),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = due_report(table, _dt.date(2026, 3, 1), registry=REGISTRY)
    assert report.column("term_ends_on").to_pylist() == [_dt.date(2026, 9, 10)]
    assert report.column("days_left").to_numpy().tolist() == [193]
    with pytest.raises(CivilAffairsError) as info:
        due_report(table.drop(["kind"]), _dt.date(2026, 3, 1), registry=REGISTRY)
    assert info.value.path == "kind"
    with pytest.raises(CivilAffairsError):
        due_report(table, _dt.date(2026, 3, 1), window_days=-1, registry=REGISTRY)


def test_due_report_is_column_wise_on_a_large_table() -> None:
    n = 20_000
    rng = np.random.default_rng(0)
    days = rng.integers(0, 6 * 365, n)
    elected = (np.datetime64("2019-06-01") + days.astype("timedelta64[D]")).astype("datetime64[D]")
    table = pa.table(
        {
            "committee_id": pa.array([f"C{i}" for i in range(n)]),
            "region": pa.array(["110105"] * n),
            "kind": pa.array(np.where(days % 2 == 0, "village", "residents")),
            "elected_on": pa.array(elected),
        }
    )
    report = due_report(table, _dt.date(2025, 6, 1), registry=REGISTRY)
    assert report.num_rows == n
    statuses = set(report.column("status").to_pylist())
    assert statuses == {"overdue", "due_within_90_days", "in_term"}


# -- village rules filing -------------------------------------------------------------------


def test_worked_example_filing() -> None:
    d = run(RULES_FILING, example("village_rules_filing.json")).decisions[0]
    assert d.outcome == "filed"
    assert d.passed is True
    assert d.facts["days_to_filing"] == "14"


def filing(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = example("village_rules_filing.json")
    data.update(overrides)
    return data


def test_filing_adopted_by_the_representatives_meeting_is_not_valid() -> None:
    meeting = {
        "kind": "villager_representatives_meeting",
        "members": 30,
        "present": 25,
        "votes_for": 20,
    }
    result = run(RULES_FILING, filing(meeting=meeting))
    assert result.decisions[0].outcome == "not_validly_adopted"
    assert condition(result, "adopted_by_villagers_meeting").passed is False


def test_filing_by_an_inquorate_meeting_is_not_valid() -> None:
    meeting = {"kind": "villagers_meeting", "members": 800, "present": 400, "votes_for": 400}
    result = run(RULES_FILING, filing(meeting=meeting))
    assert result.decisions[0].outcome == "not_validly_adopted"
    assert condition(result, "quorum").passed is False


def test_filing_not_yet_filed_or_with_the_wrong_authority() -> None:
    unfiled = filing()
    del unfiled["filed_on"], unfiled["filed_with"]
    assert run(RULES_FILING, unfiled).decisions[0].outcome == "not_filed"
    county = run(RULES_FILING, filing(filed_with="county_government"))
    assert county.decisions[0].outcome == "not_filed"
    assert condition(county, "filed_with_township").passed is False
    later = run(RULES_FILING, filing(), on="2024-03-10")
    assert later.decisions[0].outcome == "not_filed"


def test_filing_review_items() -> None:
    bad = run(
        RULES_FILING,
        filing(review={"consistent_with_law": True, "no_infringement_of_property_rights": False}),
    )
    assert bad.decisions[0].outcome == "correction_required"
    pending = run(RULES_FILING, filing(review={"consistent_with_law": True}))
    assert pending.decisions[0].outcome == "review_pending"
    assert pending.decisions[0].passed is False
    item = condition(pending, "review.no_infringement_of_personal_rights")
    assert item.passed is None
    assert "not reviewed" in item.label("en")


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"filed_on": "2024-02-01"}, "filed_on"),
        ({"filed_with": None}, "filed_with"),
        ({"document": "bylaws"}, "document"),
        ({"adopted_on": "2024-13-01"}, "adopted_on"),
    ],
)
def test_bad_filing_input_names_the_field(overrides: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        RULES_FILING.structure(filing(**overrides))
    assert any(p.startswith(path) for p in paths(info.value))


# -- every example file, and the CLI ----------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "name"),
    [
        ("self_governance.election", "election_village.json"),
        ("self_governance.election", "election_additional_round.json"),
        ("self_governance.recall", "recall.json"),
        ("self_governance.meeting", "meetings.json"),
        ("self_governance.term", "terms.json"),
        ("self_governance.village_rules_filing", "village_rules_filing.json"),
    ],
)
def test_every_example_is_checked_through_the_cli(
    check: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", check, str(EXAMPLES / name), "--on", "2026-03-01", "--format", "json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    results = out if isinstance(out, list) else [out]
    for result in results:
        assert set(result) == {"record", "on", "check", "decisions"}
        assert result["check"] == check
        assert result["on"] == "2026-03-01"
        for decision in result["decisions"]:
            assert set(decision) >= {
                "subject",
                "passed",
                "outcome",
                "conditions",
                "standards",
                "steps",
            }
            for c in decision["conditions"]:
                assert set(c) == {"id", "passed", "label", "basis", "values"}
                assert c["basis"]


def test_cli_json_of_an_election(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "check",
            "self_governance.election",
            str(EXAMPLES / "election_village.json"),
            "--on",
            ON,
            "--format",
            "json",
            "--lang",
            "en",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    decision = out["decisions"][0]
    assert out["record"] == "XC-2024-01"
    assert decision["passed"] is True
    assert decision["outcome"] == ["王春生", "李秀英", "赵建国"]
    turnout = next(c for c in decision["conditions"] if c["id"] == "turnout")
    assert turnout["values"] == {
        "ballots_cast": "600",
        "registered_voters": "1000",
        "needed": "501",
    }
    assert "501" in turnout["label"]


def test_cli_reports_a_bad_record_on_one_line_and_checks_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = election(id="E-1")
    bad = election(id="E-2", ballots_cast=-3, candidates=[{"name": "欧阳秘密", "votes": 10}])
    path = tmp_path / "elections.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (good, bad, election(id="E-3"))),
        encoding="utf-8",
    )
    code = main(["check", "self_governance.election", str(path), "--on", ON, "--format", "json"])
    assert code == 1
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert [r["record"] for r in results] == ["E-1", "E-3"]
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "ballots_cast" in lines[0]
    assert "欧阳秘密" not in captured.err

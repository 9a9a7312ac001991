"""The children module: left-behind and distressed children, the register, the Tomorrow Plan.

Worked examples follow the national definitions (国发〔2016〕13号, 国发〔2016〕36号); the
properties hold the rules at their boundaries (the 16th birthday exactly), the bulk
classification against the single-case check, and the register's review dates at month
ends.
"""

from __future__ import annotations

import datetime as _dt
import json
import pathlib
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civilaffairs.bulk.arrow import households_to_arrow
from civilaffairs.checks import run_check
from civilaffairs.cli import main
from civilaffairs.domain import (
    Household,
    Person,
    Relation,
    Residence,
    SchoolLevel,
    Status,
    StatusKind,
)
from civilaffairs.errors import CivilAffairsError, ValidationError
from civilaffairs.ids import Sex
from civilaffairs.modules import children as ch
from civilaffairs.registry import get_registry
from civilaffairs.testing.strategies import assessable_households

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples" / "children"
GUIZHOU = "520111"  # no provincial override of this module: national values only
ZHEJIANG = "330122"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def child(
    birth: _dt.date,
    *statuses: Status,
    disability: Any = None,
    in_school: Any = None,
) -> Person:
    return Person(
        birth_date=birth,
        sex=Sex.MALE,
        relation=Relation.GRANDCHILD,
        statuses=statuses,
        disability=disability,
        in_school=in_school,
    )


def away(parent: str) -> Status:
    return Status(kind=StatusKind.PARENT_WORKING_AWAY, parent=parent)


def parent_status(kind: StatusKind, parent: str) -> Status:
    return Status(kind=kind, parent=parent)


def home(*kids: Person, region: str = GUIZHOU, rural: bool = True, **extra: Any) -> Any:
    head = Person(birth_date=_dt.date(1955, 1, 1), sex=Sex.FEMALE, relation=Relation.HEAD)
    return ch.ChildrenHousehold(
        id="T-1",
        region=region,
        residence=Residence.RURAL if rural else Residence.URBAN,
        members=(head, *kids),
        **extra,
    )


def outcomes(result: Any) -> dict[str, tuple[str, ...]]:
    return {d.subject: d.outcome for d in result.decisions}


def condition(result: Any, subject: str, cid: str) -> Any:
    decision = next(d for d in result.decisions if d.subject == subject)
    return next(c for c in decision.conditions if c.id == cid)


# -- worked examples ------------------------------------------------------------------------


def test_examples_are_classified_as_the_definitions_say() -> None:
    result = run_check(ch.CLASSIFY, ch.CLASSIFY.structure(load("left_behind.json")), "2024-08-01")
    got = list(outcomes(result).values())
    # 8 years old, both parents away: left behind; 16 today: not any more; 6 years old,
    # father away and mother seriously ill (无监护能力): left behind
    assert got == [("left_behind",), (), ("left_behind",)]
    assert [d.subject for d in result.decisions][2] == "members[3]"
    assert "********" in result.decisions[0].subject  # resident IDs masked
    aged = condition(result, result.decisions[1].subject, "left_behind.age")
    assert (aged.passed, aged.values) == (False, {"age": "16", "age_limit": "16"})
    assert aged.label("en") == "aged 16, not under 16"

    result = run_check(ch.CLASSIFY, ch.CLASSIFY.structure(load("distressed.json")), "2024-08-01")
    assert list(outcomes(result).values()) == [
        ("distressed.poverty", "distressed.disability"),
        ("distressed.poverty", "distressed.guardianship"),
    ]
    assert all(d.passed for d in result.decisions)


def test_a_harm_report_dated_after_the_day_does_not_count_yet() -> None:
    data = load("distressed.json")
    result = run_check(ch.CLASSIFY, ch.CLASSIFY.structure(data), "2024-05-19")
    assert "distressed.guardianship" not in result.decisions[1].outcome


def test_a_household_without_children_has_one_failed_decision() -> None:
    result = run_check(ch.CLASSIFY, home(), "2024-08-01")
    assert [(d.subject, d.outcome, d.passed) for d in result.decisions] == [("T-1", (), False)]


def test_urban_household_and_one_parent_at_home_are_not_left_behind() -> None:
    kid = child(_dt.date(2015, 1, 1), away("father"), away("mother"))
    assert outcomes(run_check(ch.CLASSIFY, home(kid, rural=False), "2024-08-01")) == {
        "members[1]": ()
    }
    kid = child(_dt.date(2015, 1, 1), away("father"))
    result = run_check(ch.CLASSIFY, home(kid), "2024-08-01")
    assert condition(result, "members[1]", "left_behind.parents").passed is False


def test_a_status_that_starts_later_is_not_in_force() -> None:
    later = Status(kind=StatusKind.PARENT_WORKING_AWAY, parent="mother", since=_dt.date(2025, 1, 1))
    kid = child(_dt.date(2015, 1, 1), away("father"), later)
    assert outcomes(run_check(ch.CLASSIFY, home(kid), "2024-08-01")) == {"members[1]": ()}
    assert outcomes(run_check(ch.CLASSIFY, home(kid), "2025-01-01")) == {
        "members[1]": ("left_behind",)
    }


def test_a_dead_parent_is_not_tested_nationally_and_counts_in_zhejiang() -> None:
    kid = child(
        _dt.date(2015, 1, 1), away("father"), parent_status(StatusKind.PARENT_DEAD, "mother")
    )
    result = run_check(ch.CLASSIFY, home(kid), "2024-08-01")
    parents = condition(result, "members[1]", "left_behind.parents")
    assert parents.passed is None
    assert parents.values["unable_parent_counts"] == "not set"
    assert "not tested" in parents.label("en")
    assert result.decisions[0].outcome == ()
    zj = run_check(ch.CLASSIFY, home(kid, region=ZHEJIANG), "2024-08-01")
    assert zj.decisions[0].outcome == ("left_behind",)
    used = {s["key"]: s for s in zj.decisions[0].standards}
    assert used[ch.KEY_UNABLE_PARENT]["region"] == "330000"


def test_before_the_2016_opinions_the_age_limit_is_not_set() -> None:
    kid = child(_dt.date(2010, 1, 1), away("father"), away("mother"))
    result = run_check(ch.CLASSIFY, home(kid), "2015-06-01")
    age = condition(result, "members[1]", "left_behind.age")
    assert (age.passed, age.values["age_limit"]) == (None, "not set")
    assert result.decisions[0].outcome == ()


# -- properties of the left-behind rule -----------------------------------------------------

days = st.dates(_dt.date(2016, 3, 1), _dt.date(2030, 12, 31))


@given(on=days, years=st.integers(16, 17), offset=st.integers(0, 400))
def test_nobody_aged_16_or_over_is_left_behind(on: _dt.date, years: int, offset: int) -> None:
    sixteenth = _dt.date(on.year - years, on.month, min(on.day, 28))
    birth = sixteenth - _dt.timedelta(days=offset)
    kid = child(birth, away("father"), away("mother"))
    result = run_check(ch.CLASSIFY, home(kid), on)
    assert "left_behind" not in result.decisions[0].outcome


@given(birth=st.dates(_dt.date(2000, 3, 1), _dt.date(2014, 12, 31)))
def test_the_16th_birthday_is_the_boundary_exactly(birth: _dt.date) -> None:
    kid = child(birth, away("father"), away("mother"))
    sixteenth = ch.add_months(birth, 16 * 12)
    if birth.month == 2 and birth.day == 29:
        sixteenth = _dt.date(birth.year + 16, 3, 1)  # a 29 February birthday falls on 1 March
    before = run_check(ch.CLASSIFY, home(kid), sixteenth - _dt.timedelta(days=1))
    on_day = run_check(ch.CLASSIFY, home(kid), sixteenth)
    assert before.decisions[0].outcome == ("left_behind",)
    assert on_day.decisions[0].outcome == ()


other_kinds = st.sampled_from(
    sorted(ch.INCAPABLE | ch.UNABLE | {StatusKind.PARENT_WORKING_AWAY}, key=lambda k: k.value)
)


@given(
    birth=st.dates(_dt.date(2009, 1, 1), _dt.date(2024, 7, 31)),
    extra=st.lists(st.tuples(other_kinds, st.sampled_from(["father", "mother"])), max_size=3),
)
def test_more_parent_statuses_never_undo_both_parents_away(
    birth: _dt.date, extra: list[tuple[StatusKind, str]]
) -> None:
    statuses = [away("father"), away("mother")] + [parent_status(k, p) for k, p in extra]
    result = run_check(ch.CLASSIFY, home(child(birth, *statuses)), "2024-08-01")
    assert ("left_behind" in result.decisions[0].outcome) == (birth > _dt.date(2008, 8, 1))


@given(
    kinds=st.lists(st.tuples(other_kinds, st.sampled_from(["father", "mother"])), max_size=4),
    rural=st.booleans(),
)
def test_left_behind_needs_a_parent_away_and_a_rural_household(
    kinds: list[tuple[StatusKind, str]], rural: bool
) -> None:
    kid = child(_dt.date(2015, 1, 1), *[parent_status(k, p) for k, p in kinds])
    result = run_check(ch.CLASSIFY, home(kid, rural=rural), "2024-08-01")
    is_lb = "left_behind" in result.decisions[0].outcome
    if is_lb:
        assert rural and any(k is StatusKind.PARENT_WORKING_AWAY for k, _ in kinds)


@given(age_days=st.integers(18 * 366, 40 * 366))
def test_adults_get_no_decision(age_days: int) -> None:
    on = _dt.date(2024, 8, 1)
    adult = child(on - _dt.timedelta(days=age_days), away("father"), away("mother"))
    result = run_check(ch.CLASSIFY, home(adult, poverty=ch.Poverty.DIBAO), on)
    assert [d.subject for d in result.decisions] == ["T-1"]


# -- bulk classification agrees with the check --------------------------------------------


@st.composite
def children_households(draw: st.DrawFn) -> tuple[Any, _dt.date]:
    on = draw(st.sampled_from([_dt.date(2024, 8, 1), _dt.date(2024, 8, 17), _dt.date(2025, 2, 28)]))
    base: Household = draw(assessable_households(on))
    members = []
    for m in base.members:
        extra = [away(p) for p in ("father", "mother") if draw(st.integers(0, 2)) == 0]
        members.append(attrs.evolve(m, statuses=(*m.statuses, *extra)[:20]))
    reports = [
        ch.HarmReport(
            member=i,
            kind=draw(st.sampled_from(list(ch.HarmKind))),
            cause=draw(st.sampled_from(list(ch.HarmCause))),
        )
        for i in range(len(members))
        if draw(st.integers(0, 4)) == 0
    ]
    fields = {f.name: getattr(base, f.name) for f in attrs.fields(Household)}
    fields["members"] = tuple(members)
    household = ch.ChildrenHousehold(
        **fields,
        poverty=draw(st.none() | st.sampled_from(list(ch.Poverty))),
        harm_reports=tuple(reports),
    )
    return household, on


def to_tables(households: list[Any]) -> tuple[pa.Table, pa.Table]:
    hh, pp = households_to_arrow(households)
    hh = hh.append_column(
        "poverty", pa.array([h.poverty.value if h.poverty else None for h in households])
    )
    harm: list[str | None] = []
    for h in households:
        by_member = {r.member: r.kind.value for r in h.harm_reports}
        harm += [by_member.get(i) for i in range(len(h.members))]
    return hh, pp.append_column("harm", pa.array(harm, pa.string()))


@settings(max_examples=80, deadline=None)
@given(drawn=st.lists(children_households(), min_size=1, max_size=5))
def test_bulk_classification_agrees_with_the_check(drawn: list[tuple[Any, _dt.date]]) -> None:
    on = drawn[0][1]
    households = []
    for i, (h, _) in enumerate(drawn):
        households.append(attrs.evolve(h, id=f"H-{i}"))
    hh, pp = to_tables(households)
    table = ch.classify_table(hh, pp, on)
    got = {(r["household_id"], r["member"]): r for r in table.to_pylist()}
    expected = {}
    for h in households:
        result = run_check(ch.CLASSIFY, h, on)
        for d in result.decisions:
            if d.subject == h.id:
                continue
            member = int(d.subject.removeprefix("members[").removesuffix("]"))
            lb = [c.passed for c in d.conditions if c.id.startswith("left_behind.")]
            tested = None if False not in lb and None in lb else ("left_behind" in d.outcome)
            expected[(h.id, member)] = {
                "left_behind": tested,
                "poverty": "distressed.poverty" in d.outcome,
                "disability": "distressed.disability" in d.outcome,
                "guardianship": "distressed.guardianship" in d.outcome,
            }
    assert set(got) == set(expected)
    for key, want in expected.items():
        row = got[key]
        assert {k: row[k] for k in want} == want, key


def test_bulk_reports_bad_extra_values_as_error_rows() -> None:
    kid = child(_dt.date(2015, 1, 1), away("father"), away("mother"))
    good = home(kid)
    bad = attrs.evolve(good, id="T-2")
    hh, pp = to_tables([good, bad])
    hh = hh.set_column(hh.schema.get_field_index("poverty"), "poverty", pa.array([None, "rich"]))
    result = ch.classify_arrow(hh, pp, "2024-08-01")
    assert result.children.column("household_id").to_pylist() == ["T-1"]
    assert result.errors.column("row").to_pylist() == [1]
    assert "poverty" in result.errors.column("reason")[0].as_py()


def test_bulk_left_behind_flag_is_null_where_not_tested() -> None:
    kid = child(
        _dt.date(2015, 1, 1), away("father"), parent_status(StatusKind.PARENT_DEAD, "mother")
    )
    hh, pp = to_tables([home(kid), attrs.evolve(home(kid, region=ZHEJIANG), id="T-2")])
    table = ch.classify_table(hh, pp, "2024-08-01")
    assert table.column("left_behind").to_pylist() == [None, True]


# -- the register ---------------------------------------------------------------------------


def entry(**changes: Any) -> ch.LedgerEntry:
    data: dict[str, Any] = {
        "child_id": "HX-1",
        "region": GUIZHOU,
        "township": "石板镇",
        "village": "镇山村",
        "categories": ("left_behind",),
        "supervisor": "张督导",
        "director": "陈主任",
        "registered_on": _dt.date(2023, 5, 10),
        "last_review": _dt.date(2023, 11, 30),
    }
    data.update(changes)
    return ch.LedgerEntry(**data)


def test_review_dates_keep_month_ends() -> None:
    assert ch.add_months(_dt.date(2023, 11, 30), 3) == _dt.date(2024, 2, 29)
    assert ch.add_months(_dt.date(2024, 11, 30), 3) == _dt.date(2025, 2, 28)
    assert ch.add_months(_dt.date(2024, 5, 31), 3) == _dt.date(2024, 8, 31)
    assert ch.add_months(_dt.date(2024, 12, 15), 3) == _dt.date(2025, 3, 15)


@given(day=st.dates(_dt.date(1990, 1, 1), _dt.date(2060, 12, 31)), months=st.integers(0, 40))
def test_add_months_properties(day: _dt.date, months: int) -> None:
    out = ch.add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day == day.day or (out.day < day.day and (out + _dt.timedelta(days=1)).day == 1)
    days = np.array([(day - _dt.date(1970, 1, 1)).days], dtype=np.int64)
    got = ch._add_months_days(days, np.array([months], dtype=np.int64))
    assert _dt.date(1970, 1, 1) + _dt.timedelta(days=int(got[0])) == out


def test_upsert_adds_updates_and_computes_next_review() -> None:
    ledger = ch.upsert_child(ch.empty_ledger(), entry(), "2024-01-01")
    ledger = ch.upsert_child(ledger, entry(child_id="HX-2", last_review=None), "2024-01-01")
    assert ledger.column("next_review").to_pylist() == [
        _dt.date(2024, 2, 29),
        _dt.date(2023, 8, 10),
    ]
    ledger = ch.upsert_child(ledger, entry(last_review=_dt.date(2024, 2, 29)), "2024-03-01")
    assert ledger.column("child_id").to_pylist() == ["HX-1", "HX-2"]
    assert ledger.column("next_review").to_pylist()[0] == _dt.date(2024, 5, 29)
    assert [e.child_id for e in ch.ledger_entries(ledger)] == ["HX-1", "HX-2"]
    assert ch.remove_child(ledger, "HX-1").column("child_id").to_pylist() == ["HX-2"]
    assert ch.review_dates(ledger, "2024-03-01").equals(ledger)


def test_the_review_check() -> None:
    result = run_check(
        ch.REVIEW_DUE, ch.REVIEW_DUE.structure(load("ledger_entry.json")), "2024-08-30"
    )
    d = result.decisions[0]
    assert (d.subject, d.outcome, d.passed, d.facts["next_review"]) == (
        "HX-2024-0042",
        "not_due",
        True,
        "2024-08-31",
    )
    due = run_check(ch.REVIEW_DUE, ch.REVIEW_DUE.structure(load("ledger_entry.json")), "2024-08-31")
    assert due.decisions[0].outcome == "due"
    unstaffed = run_check(ch.REVIEW_DUE, entry(director=None), "2024-01-01")
    assert unstaffed.decisions[0].passed is False
    staff = condition(unstaffed, "HX-1", "review.staff")
    assert (staff.passed, staff.values["director"]) == (False, "not set")


def test_register_rows_are_checked() -> None:
    with pytest.raises(ValidationError) as info:
        entry(child_id="11010519491231002X")
    assert "110105********002X" in str(info.value) and "19491231" not in str(info.value)
    with pytest.raises(ValidationError, match="last_review"):
        entry(last_review=_dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match=r"categories\[0\]"):
        entry(categories=("orphaned",))
    with pytest.raises(CivilAffairsError):
        ch.upsert_child(ch.empty_ledger(), "HX-1", "2024-01-01")  # type: ignore[arg-type]


# -- the Tomorrow Plan ----------------------------------------------------------------------


def test_tomorrow_plan_before_and_after_the_2019_extension() -> None:
    record = ch.TOMORROW_PLAN.structure(load("orphans.json"))
    before = run_check(ch.TOMORROW_PLAN, record, "2018-08-01")
    assert [d.outcome for d in before.decisions] == ["eligible", "not_eligible"]
    after = run_check(ch.TOMORROW_PLAN, record, "2019-03-01")
    assert [d.outcome for d in after.decisions] == ["eligible", "eligible"]
    orphan = Status(kind=StatusKind.ORPHAN)
    early = home(
        child(_dt.date(1999, 1, 1), orphan, Status(kind=StatusKind.IN_INSTITUTION)),
        child(_dt.date(1999, 1, 1), orphan),
    )
    # before the plan began (May 2004) nothing is set: an institution orphan without a
    # certified disability and a community orphan are not tested
    earliest = run_check(ch.TOMORROW_PLAN, early, "2004-04-30")
    assert [d.outcome for d in earliest.decisions] == ["not_tested", "not_tested"]


def test_tomorrow_plan_orphans_after_18_only_in_school_from_2019() -> None:
    orphan = Status(kind=StatusKind.ORPHAN)
    grown = child(_dt.date(2001, 1, 1), orphan, in_school=SchoolLevel.BACHELOR)
    left = child(_dt.date(2001, 1, 1), orphan)
    result = run_check(ch.TOMORROW_PLAN, home(grown, left), "2020-01-01")
    assert [d.outcome for d in result.decisions] == ["eligible", "not_eligible"]
    old = run_check(ch.TOMORROW_PLAN, home(grown), "2018-01-01")
    assert old.decisions[0].outcome == "not_eligible"
    none = run_check(ch.TOMORROW_PLAN, home(), "2020-01-01")
    assert [(d.outcome, d.passed) for d in none.decisions] == [("no_orphan", False)]


# -- input errors and the command line ------------------------------------------------------


def test_bad_inputs_name_the_field() -> None:
    data = load("distressed.json")
    data["harm_reports"][0]["member"] = 7
    with pytest.raises(ValidationError, match=r"harm_reports\[0\]\.member"):
        ch.CLASSIFY.structure(data)
    data = load("distressed.json")
    data["poverty"] = "poor"
    with pytest.raises(ValidationError, match="poverty"):
        ch.CLASSIFY.structure(data)
    data = load("distressed.json")
    data["harm_reports"][0]["reported_on"] = "2024-02-30"
    with pytest.raises(ValidationError, match=r"harm_reports\[0\]\.reported_on"):
        ch.CLASSIFY.structure(data)
    data = load("ledger_entry.json")
    data["registered_on"] = "2023-13-01"
    with pytest.raises(ValidationError, match="registered_on"):
        ch.REVIEW_DUE.structure(data)
    with pytest.raises(ValidationError, match="type"):
        ch.REVIEW_DUE.structure(load("distressed.json"))


def test_cli_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "distressed.json"
    code = main(["check", "children.classify", str(path), "--on", "2024-08-01", "--format", "json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"record", "on", "check", "decisions"}
    assert (out["check"], out["on"], out["record"]) == (
        "children.classify",
        "2024-08-01",
        "GZ-HX-0213",
    )
    first = out["decisions"][0]
    assert set(first) >= {"subject", "passed", "outcome", "conditions", "standards", "steps"}
    assert first["outcome"] == ["distressed.poverty", "distressed.disability"]
    assert {c["id"] for c in first["conditions"]} >= {"left_behind.age", "distressed.poverty"}
    assert all(set(c) == {"id", "passed", "label", "basis", "values"} for c in first["conditions"])


def test_cli_reports_a_bad_record_and_checks_the_rest(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = load("left_behind.json")
    bad = load("distressed.json")
    bad["harm_reports"][0]["member"] = 9
    lines = tmp_path / "mixed.jsonl"
    lines.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in (good, bad, good)) + "\n",
        encoding="utf-8",
    )
    code = main(
        [
            "check",
            "children.classify",
            str(lines),
            "--on",
            "2024-08-01",
            "--format",
            "json",
            "--lang",
            "en",
        ]
    )
    assert code == 1
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert [r["record"] for r in results] == ["GZ-HX-0107", "GZ-HX-0107"]
    err = [line for line in captured.err.splitlines() if line.strip()]
    assert len(err) == 1 and "harm_reports[0].member" in err[0]
    assert "520111" not in captured.err  # no resident ID, no name echoed


def test_the_module_is_registered_with_its_checks_and_keys() -> None:
    registry = get_registry()
    assert {"children.classify", "children.tomorrow_plan", "children.review_due"} <= set(
        registry.audit_checks
    )
    for key in (ch.KEY_AGE_LIMIT, ch.KEY_REVIEW_INTERVAL, ch.KEY_COMMUNITY_ORPHANS):
        assert key in registry.keys

"""The vagrancy module (流浪乞讨人员救助管理): admission, stay, identification, transfer, the
occupancy report against a plain loop, bad input and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civilaffairs.cli import main
from civilaffairs.errors import CivilAffairsError, ValidationError
from civilaffairs.modules.vagrancy import (
    ADMISSION,
    IDENTIFICATION,
    MODULE,
    STAY,
    TRANSFER,
    Applicant,
    Extension,
    IdentificationCase,
    Stay,
    Step,
    StepKind,
    TransferCase,
    occupancy,
)

EXAMPLES = Path(__file__).parent.parent / "examples" / "vagrancy"
REGION = "110105"
DAY = dt.date(2025, 1, 6)


def applicant(**changes: Any) -> Applicant:
    base = Applicant(
        id="A-1",
        region=REGION,
        applied_on=DAY,
        age=34,
        lacks_food_lodging=True,
        no_relatives=True,
        receives_dibao_or_wubao=False,
        living_rough=True,
        gives_account=True,
    )
    return attrs.evolve(base, **changes)


def outcome(check: Any, record: Any, on: str | dt.date = "2025-01-06") -> Any:
    return check(record, on).decisions[0]


def test_module_lists_four_checks() -> None:
    assert [c.id for c in MODULE.checks] == [
        "vagrancy.admission",
        "vagrancy.stay",
        "vagrancy.identification",
        "vagrancy.transfer",
    ]
    assert all(k.key.startswith("vagrancy.") for k in MODULE.keys)


# -- admission ---------------------------------------------------------------------------


def test_example_admissions() -> None:
    lines = (EXAMPLES / "admissions.jsonl").read_text().splitlines()
    outcomes = [outcome(ADMISSION, ADMISSION.structure(json.loads(line))).outcome for line in lines]
    assert outcomes == ["admit", "refer_minor", "admit_with_care", "refuse"]


@pytest.mark.parametrize("field", ["lacks_food_lodging", "no_relatives", "living_rough"])
def test_each_condition_of_article_2_is_needed(field: str) -> None:
    decision = outcome(ADMISSION, applicant(**{field: False}))
    assert (decision.passed, decision.outcome) == (False, "refuse")
    assert {c.id: c.passed for c in decision.conditions}[field] is False


def test_dibao_or_wubao_recipient_is_refused() -> None:
    decision = outcome(ADMISSION, applicant(receives_dibao_or_wubao=True))
    assert decision.outcome == "refuse"
    assert {c.id: c.passed for c in decision.conditions}["no_dibao_or_wubao"] is False


def test_refusing_an_account_is_refused_unless_unable() -> None:
    assert outcome(ADMISSION, applicant(gives_account=False)).outcome == "refuse"
    disabled = outcome(ADMISSION, applicant(gives_account=False, disabled=True))
    assert disabled.outcome == "admit_with_care"
    unknown_age = outcome(ADMISSION, applicant(gives_account=False, age=None))
    assert unknown_age.outcome == "admit_with_care"


@settings(max_examples=60, deadline=None)
@given(age=st.integers(min_value=0, max_value=130))
def test_age_boundaries(age: int) -> None:
    decision = outcome(ADMISSION, applicant(age=age))
    if age < 18:
        assert decision.outcome == "refer_minor"
    elif age >= 60:
        assert decision.outcome == "admit_with_care"
    else:
        assert decision.outcome == "admit"


@settings(max_examples=60, deadline=None)
@given(flags=st.tuples(*[st.booleans()] * 4))
def test_admitted_only_when_all_four_hold(flags: tuple[bool, bool, bool, bool]) -> None:
    lacks, alone, dibao, rough = flags
    decision = outcome(
        ADMISSION,
        applicant(
            lacks_food_lodging=lacks,
            no_relatives=alone,
            receives_dibao_or_wubao=dibao,
            living_rough=rough,
        ),
    )
    assert decision.passed is (lacks and alone and not dibao and rough)


# -- stay --------------------------------------------------------------------------------


def stay_record(days: int, *extensions: Extension, left: bool = True) -> Stay:
    admitted = dt.date(2025, 2, 1)
    return Stay(
        id="S-1",
        region=REGION,
        admitted_on=admitted,
        left_on=admitted + dt.timedelta(days=days) if left else None,
        extensions=extensions,
    )


def test_example_stay_extended_and_reported() -> None:
    record = STAY.structure(json.loads((EXAMPLES / "stay-extended.json").read_text()))
    decision = outcome(STAY, record, "2025-03-01")
    assert (decision.passed, decision.outcome) == (True, "extended_reported")
    assert decision.facts["covered_until"] == "2025-02-20"


@settings(max_examples=60, deadline=None)
@given(days=st.integers(min_value=0, max_value=40))
def test_limit_of_ten_days_exactly(days: int) -> None:
    decision = outcome(STAY, stay_record(days), "2025-06-01")
    expected = "within_limit" if days <= 10 else "over_limit_unreported"
    assert decision.outcome == expected


def test_late_report_does_not_count_and_chained_reports_do() -> None:
    late = Extension(reported_on=dt.date(2025, 2, 13), until=dt.date(2025, 3, 1))
    decision = outcome(STAY, stay_record(15, late), "2025-06-01")
    assert decision.outcome == "over_limit_unreported"
    assert decision.facts["late_reports"] == "2025-02-13"
    first = Extension(reported_on=dt.date(2025, 2, 11), until=dt.date(2025, 2, 15))
    second = Extension(reported_on=dt.date(2025, 2, 15), until=dt.date(2025, 2, 28))
    decision = outcome(STAY, stay_record(20, second, first), "2025-06-01")
    assert decision.outcome == "extended_reported"


def test_a_stay_still_running_is_measured_to_the_day_checked() -> None:
    record = stay_record(0, left=False)
    assert outcome(STAY, record, "2025-02-11").outcome == "within_limit"
    assert outcome(STAY, record, "2025-02-12").outcome == "over_limit_unreported"


# -- identification -------------------------------------------------------------------


def case(*steps: Step, **changes: Any) -> IdentificationCase:
    base = IdentificationCase(id="I-1", region=REGION, admitted_on=dt.date(2025, 3, 1), steps=steps)
    return attrs.evolve(base, **changes)


def test_example_long_stay_notice_on_time_dna_period_not_set() -> None:
    record = IDENTIFICATION.structure(
        json.loads((EXAMPLES / "identification-long-stay.json").read_text())
    )
    decision = outcome(IDENTIFICATION, record, "2025-04-01")
    conditions = {c.id: c for c in decision.conditions}
    assert conditions["notice"].passed is True
    assert conditions["dna"].passed is None and "not set" in conditions["dna"].label_en
    assert decision.outcome == "steps_on_time"


def test_notice_due_within_24_hours() -> None:
    late = case(Step(kind=StepKind.NOTICE, on=dt.date(2025, 3, 3)))
    decision = outcome(IDENTIFICATION, late, "2025-03-05")
    assert (decision.passed, decision.outcome) == (False, "steps_overdue")
    missing = outcome(IDENTIFICATION, case(), "2025-03-02")
    assert {c.id: c.passed for c in missing.conditions}["notice"] is None  # not yet overdue
    assert outcome(IDENTIFICATION, case(), "2025-03-03").outcome == "steps_overdue"


def test_identified_case() -> None:
    record = case(
        Step(kind=StepKind.NOTICE, on=dt.date(2025, 3, 1)), identified_on=dt.date(2025, 3, 4)
    )
    decision = outcome(IDENTIFICATION, record, "2025-05-01")
    assert decision.outcome == "identified"
    long_stay = {c.id: c for c in decision.conditions}["long_stay"]
    assert long_stay.values["is_long"] == "false"


# -- transfer ---------------------------------------------------------------------------


def transfer(**changes: Any) -> TransferCase:
    base = TransferCase(
        id="T-1",
        region=REGION,
        identified=True,
        address_found=True,
        relatives_fetch=False,
        needs_care=False,
        homeless=False,
    )
    return attrs.evolve(base, **changes)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "return_home"),
        ({"relatives_fetch": True}, "fetched_by_relatives"),
        ({"needs_care": True}, "escort_home"),
        ({"homeless": True}, "settle_at_registration"),
        ({"identified": False}, "care_placement"),
    ],
)
def test_transfer_outcomes(changes: dict[str, Any], expected: str) -> None:
    decision = outcome(TRANSFER, transfer(**changes))
    assert decision.outcome == expected
    assert decision.conditions[0].basis


def test_example_transfer() -> None:
    record = TRANSFER.structure(json.loads((EXAMPLES / "transfer-escort.json").read_text()))
    assert outcome(TRANSFER, record).outcome == "escort_home"


# -- occupancy ----------------------------------------------------------------------------

START = dt.date(2025, 1, 1)
dates = st.one_of(
    st.none(), st.integers(min_value=-5, max_value=40).map(lambda n: START + dt.timedelta(n))
)


def loop(rows: list[tuple[Any, Any]], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    out = []
    day = start
    while day <= end:
        present = admitted = left = 0
        for a, b in rows:
            if a is None or (b is not None and b < a):
                continue
            present += a <= day and (b is None or day < b)
            admitted += a == day
            left += b == day
        out.append({"day": day, "present": present, "admitted": admitted, "left": left})
        day += dt.timedelta(days=1)
    return out


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(st.tuples(dates, dates), max_size=40),
    span=st.tuples(st.integers(0, 30), st.integers(0, 30)),
)
def test_occupancy_matches_a_plain_loop(rows: list[tuple[Any, Any]], span: tuple[int, int]) -> None:
    start = START + dt.timedelta(days=min(span))
    end = START + dt.timedelta(days=max(span))
    table = pa.table(
        {
            "admitted_on": pa.array([a for a, _ in rows], pa.date32()),
            "left_on": pa.array([b for _, b in rows], pa.date32()),
        }
    )
    report = occupancy(table, start, end)
    assert report.days.to_pylist() == loop(rows, start, end)
    bad = [i for i, (a, b) in enumerate(rows) if a is None or (b is not None and b < a)]
    assert report.errors.column("row").to_pylist() == bad


def test_occupancy_errors_name_the_reason() -> None:
    table = pa.table(
        {
            "admitted_on": pa.array([START, None, START], pa.date32()),
            "left_on": pa.array([None, None, START - dt.timedelta(days=1)], pa.date32()),
        }
    )
    report = occupancy(table, START, START)
    assert report.errors.to_pylist() == [
        {"row": 1, "reason": "missing_admitted_on"},
        {"row": 2, "reason": "left_before_admitted"},
    ]
    assert report.days.column("present").to_pylist() == [1]


def test_occupancy_without_left_column_and_bad_arguments() -> None:
    table = pa.table({"admitted_on": pa.array([START], pa.date32())})
    assert occupancy(table, START, START).days.column("present").to_pylist() == [1]
    with pytest.raises(CivilAffairsError):
        occupancy(table, START, START - dt.timedelta(days=1))
    with pytest.raises(CivilAffairsError):
        occupancy(pa.table({"x": [1]}), START, START)


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "data", "path"),
    [
        (STAY, {"id": "S", "region": REGION, "admitted_on": "2025-02-30"}, "admitted_on"),
        (
            STAY,
            {"id": "S", "region": REGION, "admitted_on": "2025-02-10", "left_on": "2025-02-01"},
            "left_on",
        ),
        (
            IDENTIFICATION,
            {
                "id": "I",
                "region": REGION,
                "admitted_on": "2025-02-10",
                "steps": [{"kind": "seance", "on": "2025-02-11"}],
            },
            "steps",
        ),
        (
            ADMISSION,
            {
                "id": "A",
                "region": REGION,
                "applied_on": "2025-01-06",
                "age": -1,
                "lacks_food_lodging": True,
                "no_relatives": True,
                "receives_dibao_or_wubao": False,
                "living_rough": True,
                "gives_account": True,
            },
            "age",
        ),
    ],
)
def test_bad_fields_are_named(check: Any, data: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        check.structure(data)
    assert any(e.path.startswith(path) for e in info.value.errors)


def test_extension_ending_before_its_report_is_refused() -> None:
    with pytest.raises(ValidationError):
        Extension(reported_on=dt.date(2025, 2, 10), until=dt.date(2025, 2, 9))


# -- CLI --------------------------------------------------------------------------------


def test_cli_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "stay-extended.json"
    code = main(["check", "vagrancy.stay", str(path), "--on", "2025-03-01", "--format", "json"])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"record", "on", "check", "decisions"}
    (decision,) = result["decisions"]
    assert decision["outcome"] == "extended_reported"
    assert decision["standards"][0]["key"] == "vagrancy.stay.limit_days"


def test_cli_reports_a_bad_record_and_checks_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (EXAMPLES / "admissions.jsonl").read_text().splitlines()
    bad = json.loads(lines[0]) | {"id": "BJ-A-BAD", "age": "old"}
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(bad), lines[1]]) + "\n")
    code = main(["check", "vagrancy.admission", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    assert len(captured.err.strip().splitlines()) == 1
    assert "age" in captured.err
    assert captured.out.count('"check": "vagrancy.admission"') == 2

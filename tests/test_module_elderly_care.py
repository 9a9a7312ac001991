"""The elderly_care module: filing, grade, safety, subsidies and admission priority."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civilaffairs import hookimpl
from civilaffairs.checks import CheckResult, run_check
from civilaffairs.convert import structure
from civilaffairs.errors import ValidationError
from civilaffairs.ids import resident_id_check_char
from civilaffairs.modules import elderly_care as ec
from civilaffairs.testing import isolated_registry

EXAMPLES = Path(__file__).parent.parent / "examples" / "elderly_care"
SOURCE = {"issuer": "安徽省民政厅", "title": "测试用通知"}


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def record(cls: type, data: dict[str, Any]) -> Any:
    return structure({k: v for k, v in data.items() if k != "type"}, cls)


def rid(birth: dt.date, seq: str = "012", area: str = "340102") -> str:
    first = f"{area}{birth:%Y%m%d}{seq}"
    return first + resident_id_check_char(first)


class Anhui:
    """Made-up provincial values for 340000, so that every rule can be exercised."""

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        def add(key: str, value: str) -> None:
            register.add(f"elderly_care.{key}", "340000", "2020-01-01", value, source=SOURCE)

        for g, total, share in ((1, 360, "0.4"), (2, 450, "0.5"), (3, 570, "0.6")):
            add(f"grade.min_total.{g}", str(total))
            add(f"grade.min_section_share.{g}", share)
        for g, total, share in ((4, 780, "0.8"), (5, 900, "0.9")):
            add(f"grade.min_total.{g}", str(total))
            add(f"grade.min_section_share.{g}", share)
        add("filing.min_nursing_bed_share", "0.6")
        for level, per in (("intact", 10), ("mild", 6), ("moderate", 4), ("severe", 3)):
            add(f"staffing.residents_per_caregiver.{level}", str(per))
        add("staffing.residents_per_caregiver.total", "2")
        add("care_subsidy.by_level.severe", "400")
        add("service_subsidy.by_status.dibao", "100")


@pytest.fixture(scope="module")
def national() -> Any:
    return isolated_registry()


@pytest.fixture(scope="module")
def anhui() -> Any:
    return isolated_registry({"anhui": Anhui()})


def conditions(result: CheckResult, i: int = 0) -> dict[str, bool | None]:
    return {c.id: c.passed for c in result.decisions[i].conditions}


# --- filing -----------------------------------------------------------------------------------

FILING = record(ec.FilingRecord, example("filing.json"))


def test_worked_example_the_dragon_boat_holiday_extends_the_deadline(national: Any) -> None:
    # First resident on Tuesday 2021-06-01; ten working days end on 2021-06-15, or on
    # 2021-06-16 when Monday 2021-06-14 (端午节) is a holiday. Filed on the 16th.
    result = run_check(ec.FILING, FILING, "2024-06-01", registry=national)
    decision = result.decisions[0]
    assert decision.facts["filing_deadline"] == "2021-06-16"
    assert conditions(result)["filed_in_time"] is True
    assert decision.outcome == "compliant" and decision.passed
    late = attrs.evolve(FILING, holidays=())
    result = run_check(ec.FILING, late, "2024-06-01", registry=national)
    assert result.decisions[0].facts["filing_deadline"] == "2021-06-15"
    assert conditions(result)["filed_in_time"] is False
    assert result.decisions[0].outcome == "deficient" and not result.decisions[0].passed


def test_provincial_ratios_are_not_tested_without_values(national: Any) -> None:
    got = conditions(run_check(ec.FILING, FILING, "2024-06-01", registry=national))
    assert got["nursing_bed_share"] is None and got["caregivers"] is None


def test_provincial_ratios_when_set(anhui: Any) -> None:
    home = attrs.evolve(FILING, region="340102")
    result = run_check(ec.FILING, home, "2024-06-01", registry=anhui)
    got = conditions(result)
    # 130 / 200 = 0.65 >= 0.6; caregivers: 40/10 + 30/6 + 36/4 + 30/3 + 20/2 = 38 <= 40
    assert got["nursing_bed_share"] is True
    assert got["caregivers"] is True
    steps = {s.name: s.result for s in result.decisions[0].steps}
    assert steps["caregivers_required"] == "38"
    short = attrs.evolve(home, caregivers=37)
    assert (
        conditions(run_check(ec.FILING, short, "2024-06-01", registry=anhui))["caregivers"] is False
    )


def test_before_the_measures_the_filing_rules_do_not_apply(national: Any) -> None:
    result = run_check(ec.FILING, FILING, "2020-10-31", registry=national)
    assert result.decisions[0].outcome == "not_in_force"
    assert conditions(result) == {"in_force": None}


def test_for_profit_files_with_the_county(national: Any) -> None:
    home = attrs.evolve(
        FILING, operator=ec.OperatorType.FOR_PROFIT, filed_with=ec.OfficeLevel.PREFECTURE
    )
    got = conditions(run_check(ec.FILING, home, "2024-06-01", registry=national))
    assert got["filing_office"] is False
    home = attrs.evolve(home, filed_with=ec.OfficeLevel.COUNTY, registration_level=None)
    got = conditions(run_check(ec.FILING, home, "2024-06-01", registry=national))
    assert got["filing_office"] is True


def test_an_unfiled_institution_is_late_only_after_the_deadline(national: Any) -> None:
    home = attrs.evolve(FILING, filed_on=None)
    assert (
        conditions(run_check(ec.FILING, home, "2021-06-10", registry=national))["filed_in_time"]
        is None
    )
    assert (
        conditions(run_check(ec.FILING, home, "2021-06-17", registry=national))["filed_in_time"]
        is False
    )


def test_fewer_than_ten_beds_is_not_an_institution(national: Any) -> None:
    small = attrs.evolve(FILING, beds=9, nursing_beds=0)
    assert (
        conditions(run_check(ec.FILING, small, "2024-06-01", registry=national))["min_beds"]
        is False
    )
    ten = attrs.evolve(FILING, beds=10, nursing_beds=0)
    assert conditions(run_check(ec.FILING, ten, "2024-06-01", registry=national))["min_beds"]


@given(
    st.dates(dt.date(2021, 1, 1), dt.date(2030, 12, 31)),
    st.integers(1, 30),
    st.lists(st.dates(dt.date(2021, 1, 1), dt.date(2031, 3, 1)), max_size=10),
)
def test_working_days_property(start: dt.date, n: int, holidays: list[dt.date]) -> None:
    end = ec.add_working_days(start, n, holidays)
    assert end > start
    # exactly n working days in (start, end], and end is one of them
    days = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    working = [d for d in days if d.weekday() < 5 and d not in set(holidays)]
    assert len(working) == n and working[-1] == end
    # more holidays never bring the deadline forward
    assert ec.add_working_days(start, n) <= end


@settings(max_examples=60)
@given(st.integers(0, 40))
def test_filed_in_time_is_monotone_in_the_filing_day(offset: int) -> None:
    reg = isolated_registry()
    home = attrs.evolve(FILING, filed_on=FILING.first_admission_on + dt.timedelta(days=offset))
    got = conditions(run_check(ec.FILING, home, "2024-06-01", registry=reg))["filed_in_time"]
    assert got is (home.filed_on <= dt.date(2021, 6, 16))


# --- grade -----------------------------------------------------------------------------------

GRADE = record(ec.GradeAssessment, example("grade.json"))


def test_grade_is_not_set_without_thresholds(national: Any) -> None:
    result = run_check(ec.GRADE, GRADE, "2024-06-01", registry=national)
    decision = result.decisions[0]
    assert decision.outcome == "not_set" and not decision.passed
    steps = {s.name: s.result for s in decision.steps}
    assert steps["total"] == "830"
    assert steps["share.services"] == "0.8200"
    assert conditions(result)["grade_5"] is None
    assert all(s["provisional"] for s in decision.standards)


def test_worked_example_grade_4(anhui: Any) -> None:
    # 830 >= 780 and the lowest share (services 492/600 = 0.82) >= 0.8; 830 < 900.
    assessed = attrs.evolve(GRADE, region="340102")
    result = run_check(ec.GRADE, assessed, "2024-06-01", registry=anhui)
    decision = result.decisions[0]
    assert decision.outcome == "grade_4" and decision.passed
    got = conditions(result)
    assert got["grade_5"] is False and got["grade_4"] is True and got["applied_grade"] is True


def test_a_score_above_the_maximum_is_refused_as_a_condition(anhui: Any) -> None:
    bad = attrs.evolve(GRADE, region="340102", environment=121)
    decision = run_check(ec.GRADE, bad, "2024-06-01", registry=anhui).decisions[0]
    assert decision.outcome == "invalid_scores" and not decision.passed


SCORES = st.tuples(
    st.integers(0, 120), st.integers(0, 130), st.integers(0, 150), st.integers(0, 600)
)


@settings(max_examples=80)
@given(SCORES, st.sampled_from(["environment", "facilities", "operations", "services"]))
def test_grade_is_monotone_in_every_section(scores: tuple[int, ...], section: str) -> None:
    reg = isolated_registry({"anhui": Anhui()})
    names = ["environment", "facilities", "operations", "services"]
    tops = {"environment": 120, "facilities": 130, "operations": 150, "services": 600}
    low = ec.GradeAssessment(id="G", region="340102", **dict(zip(names, scores, strict=True)))
    high = attrs.evolve(low, **{section: min(getattr(low, section) + 10, tops[section])})

    def grade(a: ec.GradeAssessment) -> int:
        outcome = run_check(ec.GRADE, a, "2024-06-01", registry=reg).decisions[0].outcome
        return int(str(outcome).removeprefix("grade_")) if outcome != "below_grade_1" else 0

    assert grade(high) >= grade(low)


# --- safety ----------------------------------------------------------------------------------

SAFETY = record(ec.SafetyAudit, example("safety.json"))


def test_safety_example_misses_one_risk(national: Any) -> None:
    result = run_check(ec.SAFETY, SAFETY, "2024-06-01", registry=national)
    got = conditions(result)
    assert got["prevention.activity"] is False
    assert [k for k, v in got.items() if v is False] == ["prevention.activity"]
    assert result.decisions[0].outcome == "deficient"
    assert result.decisions[0].facts["risks_without_measure"] == "文娱活动意外"
    complete = attrs.evolve(SAFETY, measures=tuple(ec.Risk))
    assert run_check(ec.SAFETY, complete, "2024-06-01", registry=national).passed


def test_safety_is_not_in_force_before_2022(national: Any) -> None:
    assert (
        run_check(ec.SAFETY, SAFETY, "2021-12-31", registry=national).decisions[0].outcome
        == "not_in_force"
    )
    assert (
        run_check(ec.SAFETY, SAFETY, "2022-01-01", registry=national).decisions[0].outcome
        == "deficient"
    )


def test_nine_risks_each_with_a_chapter_6_basis(national: Any) -> None:
    decision = run_check(ec.SAFETY, SAFETY, "2024-06-01", registry=national).decisions[0]
    prevention = [c for c in decision.conditions if c.id.startswith("prevention.")]
    assert len(prevention) == 9 == len(ec.Risk)
    assert all("第6章" in c.basis for c in prevention)


@given(st.sets(st.sampled_from(list(ec.Risk))), st.integers(0, 50), st.integers(0, 50))
def test_safety_passes_exactly_when_everything_is_in_place(
    measures: set[ec.Risk], residents: int, missing: int
) -> None:
    audit = attrs.evolve(
        SAFETY,
        measures=tuple(measures),
        residents=residents,
        risk_assessed=max(residents - missing, 0),
    )
    result = run_check(ec.SAFETY, audit, "2024-06-01", registry=isolated_registry())
    assert result.passed is (len(measures) == 9 and audit.risk_assessed == residents)


# --- subsidy ---------------------------------------------------------------------------------


def applicant(level: str, status: str, birth: dt.date = dt.date(1940, 3, 15)) -> Any:
    return structure(
        {
            "id": "SUB-T",
            "region": "340102",
            "resident_id": rid(birth),
            "ability_level": level,
            "economic_status": status,
        },
        ec.SubsidyApplication,
    )


def test_subsidy_amounts_are_provincial(national: Any, anhui: Any) -> None:
    a = applicant("severe", "dibao")
    assert run_check(ec.SUBSIDY, a, "2024-06-01", registry=national).decisions[0].outcome == (
        "not_set"
    )
    decision = run_check(ec.SUBSIDY, a, "2024-06-01", registry=anhui).decisions[0]
    assert decision.outcome == ("care_subsidy", "service_subsidy")
    assert decision.steps[-1].result == "500.00"
    # a level Anhui has not set leaves the care subsidy not set, the service one paid
    decision = run_check(ec.SUBSIDY, applicant("mild", "dibao"), "2024-06-01", registry=anhui)
    assert decision.decisions[0].outcome == ("service_subsidy",)
    assert conditions(decision)["care_subsidy"] is None


def test_no_subsidy_without_economic_difficulty(anhui: Any) -> None:
    decision = run_check(ec.SUBSIDY, applicant("severe", "none"), "2024-06-01", registry=anhui)
    assert decision.decisions[0].outcome == "not_eligible"


@given(st.dates(dt.date(1960, 1, 1), dt.date(1970, 12, 31)))
def test_subsidy_starts_exactly_at_sixty(birth: dt.date) -> None:
    reg = isolated_registry({"anhui": Anhui()})
    a = applicant("severe", "dibao", birth)
    try:
        sixtieth = birth.replace(year=birth.year + 60)
    except ValueError:  # 29 February
        sixtieth = dt.date(birth.year + 60, 3, 1)
    before = run_check(ec.SUBSIDY, a, sixtieth - dt.timedelta(days=1), registry=reg)
    on = run_check(ec.SUBSIDY, a, sixtieth, registry=reg)
    assert before.decisions[0].outcome == "not_eligible"
    assert on.decisions[0].outcome == ("care_subsidy", "service_subsidy")


# --- admission priority --------------------------------------------------------------------

QUEUE = record(ec.AdmissionQueue, example("admission.json"))


def test_worked_example_ranking(national: Any) -> None:
    result = run_check(ec.ADMISSION, QUEUE, "2024-06-01", registry=national)
    order = [(d.subject, d.outcome) for d in result.decisions]
    assert order == [
        ("A-0005", ("rank_1", "tekun", "admit")),
        ("A-0006", ("rank_2", "low_income", "admit")),  # applied 2024-01-20
        ("A-0003", ("rank_3", "low_income", "admit")),  # applied 2024-03-10
        ("A-0004", ("rank_4", "disabled", "wait")),
        ("A-0002", ("rank_5", "advanced_age", "wait")),  # aged 81 on 2024-06-01
        ("A-0001", ("rank_6", "other", "wait")),  # aged 74
    ]
    assert result.decisions[2].facts["rank"] == "3"
    tie = {c.id: c for c in result.decisions[2].conditions}["tie_break"]
    assert tie.values["ahead"] == "1" and tie.values["applied_on"] == "2024-03-10"


def test_a_private_institution_has_no_priority_ranking(national: Any) -> None:
    queue = attrs.evolve(QUEUE, operator=ec.OperatorType.FOR_PROFIT)
    decision = run_check(ec.ADMISSION, queue, "2024-06-01", registry=national).decisions[0]
    assert decision.outcome == "not_public" and not decision.passed


APPLICANTS = st.lists(
    st.tuples(
        st.dates(dt.date(1930, 1, 1), dt.date(1964, 1, 1)),
        st.dates(dt.date(2023, 1, 1), dt.date(2024, 5, 31)),
        st.sampled_from(list(ec.EconomicStatus)),
        st.sampled_from(list(ec.AbilityLevel)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60)
@given(APPLICANTS)
def test_ranking_is_by_class_then_date(rows: list[tuple[Any, ...]]) -> None:
    people = tuple(
        ec.Applicant(
            id=f"A-{i:03d}",
            resident_id=structure(rid(birth, f"{i:03d}"), ec.ResidentId),
            applied_on=applied,
            economic_status=status,
            ability_level=level,
        )
        for i, (birth, applied, status, level) in enumerate(rows)
    )
    queue = ec.AdmissionQueue(
        id="Q", region="340102", operator=ec.OperatorType.PUBLIC, applicants=people
    )
    result = run_check(ec.ADMISSION, queue, "2024-06-01", registry=isolated_registry())
    by_id = {p.id: p for p in people}
    keys = [
        (ec.PriorityClass(d.outcome[1]).order, by_id[d.subject].applied_on, d.subject)
        for d in result.decisions
    ]
    assert keys == sorted(keys)
    assert [d.facts["rank"] for d in result.decisions] == [str(i + 1) for i in range(len(people))]
    for d in result.decisions:
        if by_id[d.subject].economic_status is ec.EconomicStatus.TEKUN:
            assert d.outcome[1] == "tekun"


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cls", "change", "path"),
    [
        ("filing.json", ec.FilingRecord, {"beds": -1}, "beds"),
        ("filing.json", ec.FilingRecord, {"nursing_beds": 201}, "nursing_beds"),
        ("filing.json", ec.FilingRecord, {"filed_on": "2021-02-30"}, "filed_on"),
        ("filing.json", ec.FilingRecord, {"fire_safety": "maybe"}, "fire_safety"),
        ("filing.json", ec.FilingRecord, {"residents": {"severe": -3}}, "residents.severe"),
        ("grade.json", ec.GradeAssessment, {"services": -1}, "services"),
        ("grade.json", ec.GradeAssessment, {"applied_grade": 6}, "applied_grade"),
        ("safety.json", ec.SafetyAudit, {"measures": ["choking", "choking"]}, "measures[1]"),
        ("safety.json", ec.SafetyAudit, {"measures": ["earthquake"]}, "measures[0]"),
        ("safety.json", ec.SafetyAudit, {"risk_assessed": 157}, "risk_assessed"),
        ("safety.json", ec.SafetyAudit, {"caregivers_trained": 41}, "caregivers_trained"),
    ],
)
def test_bad_fields_are_named(name: str, cls: type, change: dict[str, Any], path: str) -> None:
    data = {**example(name), **change}
    with pytest.raises(ValidationError) as exc:
        record(cls, data)
    assert path in [e.path for e in exc.value.errors]


def test_bad_applicants_are_named_and_ids_masked() -> None:
    data = example("admission.json")
    data["applicants"][1]["id"] = data["applicants"][0]["id"]
    with pytest.raises(ValidationError) as exc:
        record(ec.AdmissionQueue, data)
    assert "applicants[1].id" in [e.path for e in exc.value.errors]
    data = example("subsidy.json")[0]
    whole = data["resident_id"]
    data["resident_id"] = whole[:-1] + ("0" if whole[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        record(ec.SubsidyApplication, data)
    assert [e.path for e in exc.value.errors] == ["resident_id"]
    assert whole[6:14] not in str(exc.value)


def test_outputs_never_show_a_whole_resident_id(national: Any) -> None:
    text = json.dumps(
        run_check(ec.ADMISSION, QUEUE, "2024-06-01", registry=national).to_dict(),
        ensure_ascii=False,
    )
    for a in QUEUE.applicants:
        assert a.resident_id.unmasked not in text


def test_module_is_registered_with_its_keys(national: Any) -> None:
    from civilaffairs.checks import checks_of

    ids = [c for c in checks_of(national) if c.startswith("elderly_care.")]
    assert ids == [
        "elderly_care.filing",
        "elderly_care.grade",
        "elderly_care.safety",
        "elderly_care.subsidy",
        "elderly_care.admission_priority",
    ]
    assert all(k.key.startswith("elderly_care.") for k in ec.KEYS)
    for key in (
        "care_subsidy.by_level.severe",
        "grade.min_total.5",
        "filing.min_nursing_bed_share",
    ):
        assert (
            national.standards.try_resolve(
                f"elderly_care.{key}", "340102", dt.date(2024, 1, 1), None
            )
            is None
        )


# --- command line ---------------------------------------------------------------------------


def test_cli_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    from civilaffairs.cli import main

    code = main(
        [
            "check",
            "elderly_care.filing",
            str(EXAMPLES / "filing.json"),
            "--on",
            "2024-06-01",
            "--format",
            "json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) == {"record", "on", "check", "decisions"}
    decision = out["decisions"][0]
    assert set(decision) >= {"subject", "passed", "outcome", "conditions", "standards", "steps"}
    assert decision["outcome"] == "compliant"
    by_id = {c["id"]: c for c in decision["conditions"]}
    assert by_id["filed_in_time"]["values"]["deadline"] == "2021-06-16"
    assert by_id["nursing_bed_share"]["passed"] is None


def test_cli_reports_a_bad_record_and_checks_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from civilaffairs.cli import main

    good = example("safety.json")
    bad = {**good, "id": "AUDIT-BAD", "risk_assessed": 999}
    path = tmp_path / "audits.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (good, bad, good)) + "\n",
        encoding="utf-8",
    )
    code = main(
        ["check", "elderly_care.safety", str(path), "--on", "2024-06-01", "--format", "json"]
    )
    assert code == 1
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert [r["decisions"][0]["outcome"] for r in results] == ["deficient", "deficient"]
    errors = [line for line in captured.err.splitlines() if line.strip()]
    assert len(errors) == 1 and "risk_assessed" in errors[0]


@pytest.mark.parametrize(
    ("check", "name"),
    [
        (ec.FILING, "filing.json"),
        (ec.GRADE, "grade.json"),
        (ec.SAFETY, "safety.json"),
        (ec.SUBSIDY, "subsidy.json"),
        (ec.ADMISSION, "admission.json"),
    ],
)
def test_every_example_is_read_and_checked(check: Any, name: str, national: Any) -> None:
    data = example(name)
    for item in data if isinstance(data, list) else [data]:
        result = run_check(check, check.structure(item), "2024-06-01", registry=national)
        assert result.decisions

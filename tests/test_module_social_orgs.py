"""The social_orgs module: registration thresholds, annual reports (one record and a whole
table), public-fundraising eligibility by application date, and charity spending."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs.checks import run_check
from civilaffairs.cli import main
from civilaffairs.convert import structure
from civilaffairs.errors import ValidationError
from civilaffairs.ids import CreditCode, credit_code_check_char
from civilaffairs.modules import social_orgs as so
from civilaffairs.money import Money

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples" / "social_orgs"
ID_RUN = re.compile(r"\d{17}[\dXx]")


def code(first17: str) -> CreditCode:
    return CreditCode.parse(first17 + credit_code_check_char(first17))


def society(**kw: Any) -> so.OrgRegistration:
    base: dict[str, Any] = {
        "id": "R-1",
        "region": "110105",
        "kind": so.OrgKind.SOCIAL_ORGANIZATION,
        "scope": so.Scope.LOCAL,
        "individual_members": 50,
        "activity_funds": Money.parse("30000"),
        "standard_name": True,
        "organs": True,
        "premises": True,
        "staff": True,
        "civil_liability": True,
    }
    base.update(kw)
    return so.OrgRegistration(**base)


def conditions(result: Any) -> dict[str, bool | None]:
    return {c.id: c.passed for c in result.decisions[0].conditions}


# -- registration ------------------------------------------------------------------------


def test_article_10_members_individual_unit_and_mixed() -> None:
    on = "2025-01-01"
    assert conditions(run_check(so.REGISTRATION, society(), on))["members"] is True
    assert (
        conditions(run_check(so.REGISTRATION, society(individual_members=49), on))["members"]
        is False
    )
    units = society(individual_members=0, unit_members=30)
    assert conditions(run_check(so.REGISTRATION, units, on))["members"] is True
    few_units = society(individual_members=0, unit_members=29)
    assert conditions(run_check(so.REGISTRATION, few_units, on))["members"] is False
    mixed = society(individual_members=20, unit_members=29)
    result = run_check(so.REGISTRATION, mixed, on)
    assert conditions(result)["members"] is False
    assert result.decisions[0].steps[0].result == "49"


@given(ind=st.integers(0, 200), unit=st.integers(0, 200))
def test_members_rule_matches_the_article(ind: int, unit: int) -> None:
    result = run_check(
        so.REGISTRATION, society(individual_members=ind, unit_members=unit), "2025-01-01"
    )
    if unit == 0:
        expected = ind >= 50
    elif ind == 0:
        expected = unit >= 30
    else:
        expected = ind + unit >= 50
    assert conditions(result)["members"] is expected


@given(yuan=st.integers(0, 200_000), national=st.booleans())
def test_activity_funds_threshold_is_inclusive(yuan: int, national: bool) -> None:
    scope = so.Scope.NATIONAL if national else so.Scope.LOCAL
    app = society(scope=scope, activity_funds=Money.yuan(yuan))
    got = conditions(run_check(so.REGISTRATION, app, "2025-01-01"))["funds"]
    assert got is (yuan >= (100_000 if national else 30_000))


def test_foundation_kind_from_credit_code_and_thresholds() -> None:
    fd = code("53110000MJ0000002")
    for ftype, minimum in (
        ("national_public", 8_000_000),
        ("local_public", 4_000_000),
        ("non_public", 2_000_000),
    ):
        for amount, ok in ((minimum, True), (minimum - 1, False)):
            app = so.OrgRegistration(
                id="F",
                credit_code=fd,
                foundation_type=so.FoundationType(ftype),
                original_fund=Money.yuan(amount),
            )
            result = run_check(so.REGISTRATION, app, "2025-01-01")
            assert conditions(result)["original_fund"] is ok
            assert result.decisions[0].facts["kind"].startswith("foundation")


def test_untested_conditions_are_said_and_do_not_pass() -> None:
    app = society(standard_name=None)
    result = run_check(so.REGISTRATION, app, "2025-01-01")
    d = result.decisions[0]
    assert (d.passed, d.outcome) == (False, "not_all_tested")
    name = next(c for c in d.conditions if c.id == "name")
    assert name.passed is None and "not tested" in name.label("en")


def test_service_organization_opening_funds_not_set_nationally() -> None:
    app = so.OrgRegistration(
        id="S",
        kind=so.OrgKind.SOCIAL_SERVICE_ORGANIZATION,
        opening_funds=Money.yuan(50_000),
        sponsor_approved=True,
        standard_name=True,
        organs=True,
        staff=True,
        premises=True,
    )
    d = run_check(so.REGISTRATION, app, "2025-01-01").decisions[0]
    funds = next(c for c in d.conditions if c.id == "opening_funds")
    assert funds.passed is None and "not set" in funds.label("en")
    assert d.outcome == "not_all_tested"


def test_bad_registrations_name_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        structure({"id": "X", "individual_members": -1}, so.OrgRegistration)
    assert {e.path for e in info.value.errors} == {"individual_members"}
    with pytest.raises(ValidationError, match="kind"):
        structure({"id": "X"}, so.OrgRegistration)
    with pytest.raises(ValidationError, match="kind"):
        structure({"id": "X", "kind": "club"}, so.OrgRegistration)
    enterprise = "91110000600037341"
    with pytest.raises(ValidationError, match="credit_code"):
        structure(
            {"id": "X", "credit_code": enterprise + credit_code_check_char(enterprise)},
            so.OrgRegistration,
        )
    with pytest.raises(ValidationError, match="kind"):
        structure(
            {
                "id": "X",
                "kind": "foundation",
                "foundation_type": "non_public",
                "credit_code": str(code("51110105MJ0000001").unmasked),
            },
            so.OrgRegistration,
        )


# -- annual reports ------------------------------------------------------------------------


def report(**kw: Any) -> so.AnnualReport:
    base: dict[str, Any] = {
        "id": "O-1",
        "kind": so.OrgKind.SOCIAL_ORGANIZATION,
        "registered_on": dt.date(2019, 1, 1),
        "year": 2024,
    }
    base.update(kw)
    return so.AnnualReport(**base)


@pytest.mark.parametrize(
    ("kind", "submitted", "on", "status"),
    [
        ("social_organization", dt.date(2025, 5, 31), "2025-06-10", "submitted_on_time"),
        ("social_organization", dt.date(2025, 6, 1), "2025-06-10", "submitted_late"),
        ("social_organization", None, "2025-05-31", "not_yet_due"),
        ("social_organization", None, "2025-06-01", "overdue"),
        ("foundation", None, "2025-04-01", "overdue"),
        ("foundation", dt.date(2025, 3, 31), "2025-04-01", "submitted_on_time"),
        ("social_service_organization", None, "2025-05-01", "not_yet_due"),
    ],
)
def test_annual_report_status(kind: str, submitted: dt.date | None, on: str, status: str) -> None:
    r = report(kind=so.OrgKind(kind), submitted_on=submitted)
    d = run_check(so.ANNUAL_REPORT, r, on).decisions[0]
    assert d.outcome == status


def test_registered_after_the_year_needs_no_report() -> None:
    r = report(registered_on=dt.date(2025, 2, 1))
    d = run_check(so.ANNUAL_REPORT, r, "2025-07-01").decisions[0]
    assert (d.outcome, d.passed) == ("not_required", True)


def test_a_report_before_the_year_ended_is_refused() -> None:
    with pytest.raises(ValidationError, match="submitted_on"):
        report(submitted_on=dt.date(2024, 12, 31))


@given(
    kinds=st.lists(st.sampled_from(so._KINDS), min_size=1, max_size=30),
    data=st.data(),
)
def test_table_status_equals_the_single_check(kinds: list[str], data: st.DataObject) -> None:
    on = dt.date(2025, 7, 1)
    regs = [data.draw(st.dates(dt.date(2015, 1, 1), dt.date(2025, 6, 30))) for _ in kinds]
    subs = [
        data.draw(st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2025, 7, 1))) for _ in kinds
    ]
    table = pa.table(
        {
            "org_id": [f"O{i}" for i in range(len(kinds))],
            "kind": kinds,
            "registered_on": regs,
            "report_submitted_on": subs,
        }
    )
    got = so.annual_report_status(table, 2024, on)
    assert got.num_rows == len(kinds)
    for i, status in enumerate(got.column("status").to_pylist()):
        r = report(
            id=f"O{i}", kind=so.OrgKind(kinds[i]), registered_on=regs[i], submitted_on=subs[i]
        )
        assert status == run_check(so.ANNUAL_REPORT, r, on).decisions[0].outcome


def test_bad_rows_go_to_the_errors_table_and_the_rest_are_reported() -> None:
    table = pa.table(
        {
            "org_id": ["A", "", "C", "D", "110105199003070025"],
            "kind": ["foundation", "foundation", "club", "foundation", "foundation"],
            "registered_on": [
                dt.date(2020, 1, 1),
                dt.date(2020, 1, 1),
                dt.date(2020, 1, 1),
                None,
                dt.date(2026, 1, 1),
            ],
            "report_submitted_on": [None] * 5,
        },
        schema=pa.schema(
            [
                ("org_id", pa.string()),
                ("kind", pa.string()),
                ("registered_on", pa.date32()),
                ("report_submitted_on", pa.date32()),
            ]
        ),
    )
    good, bad = so.annual_report_status(table, 2024, dt.date(2025, 3, 1), with_errors=True)
    assert good.column("org_id").to_pylist() == ["A"]
    assert good.column("due_on").to_pylist() == [dt.date(2025, 3, 31)]
    assert bad.column("row").to_pylist() == [1, 2, 3, 4]
    assert bad.column("field").to_pylist() == ["org_id", "kind", "registered_on", "registered_on"]
    assert not ID_RUN.search(str(bad.to_pylist()))
    plain = so.annual_report_status(table, 2024, dt.date(2025, 3, 1))
    assert plain.schema.metadata[b"civilaffairs.errors"] == b"4"


def test_due_date_is_the_end_of_a_month() -> None:
    assert so.due_date(2023, 2) == dt.date(2024, 2, 29)
    assert so.due_date(2024, 5) == dt.date(2025, 5, 31)
    assert np.all([so.due_date(2024, m).day >= 28 for m in range(1, 25)])


# -- public fundraising ------------------------------------------------------------------------


def application(registered: dt.date, applied: dt.date) -> so.FundraisingApplication:
    return so.FundraisingApplication(
        id="P", registered_on=registered, applied_on=applied, charity=True, governance_sound=True
    )


def test_the_amendment_is_chosen_by_the_application_date() -> None:
    reg = dt.date(2023, 3, 1)
    before = run_check(so.PUBLIC_FUNDRAISING, application(reg, dt.date(2024, 9, 4)), "2025-01-01")
    after = run_check(so.PUBLIC_FUNDRAISING, application(reg, dt.date(2024, 9, 5)), "2025-01-01")
    assert (before.decisions[0].passed, after.decisions[0].passed) == (False, True)
    assert before.decisions[0].standards[0]["effective_from"] == "2016-09-01"
    assert after.decisions[0].standards[0]["effective_from"] == "2024-09-05"


@given(days=st.integers(0, 2000), applied=st.dates(dt.date(2016, 9, 1), dt.date(2030, 1, 1)))
def test_years_rule_is_a_boundary_on_the_anniversary(days: int, applied: dt.date) -> None:
    registered = applied - dt.timedelta(days=days)
    d = run_check(so.PUBLIC_FUNDRAISING, application(registered, applied), "2030-01-01").decisions[
        0
    ]
    needed = 1 if applied >= dt.date(2024, 9, 5) else 2
    years = so._whole_years(registered, applied)
    assert d.passed is (years >= needed)


def test_statutory_fundraisers_and_non_charities() -> None:
    app = attrs.evolve(application(dt.date(2024, 1, 1), dt.date(2024, 2, 1)), statutory=True)
    assert run_check(so.PUBLIC_FUNDRAISING, app, "2025-01-01").decisions[0].passed
    app = attrs.evolve(application(dt.date(2020, 1, 1), dt.date(2024, 2, 1)), charity=False)
    assert not run_check(so.PUBLIC_FUNDRAISING, app, "2025-01-01").decisions[0].passed
    with pytest.raises(ValidationError, match="applied_on"):
        application(dt.date(2024, 1, 2), dt.date(2024, 1, 1))


# -- charity spending ------------------------------------------------------------------------


def financials(**kw: Any) -> so.CharityFinancials:
    base: dict[str, Any] = {
        "id": "C",
        "kind": so.OrgKind.FOUNDATION,
        "public_fundraising": True,
        "year": 2024,
        "prior_year_income": Money.yuan(1_000_000),
        "activity_spending": Money.yuan(700_000),
        "management_costs": Money.yuan(80_000),
        "total_spending": Money.yuan(800_000),
    }
    base.update(kw)
    return so.CharityFinancials(**base)


def test_spending_worked_example_line_by_line() -> None:
    d = run_check(so.CHARITY_SPENDING, financials(), "2025-06-01").decisions[0]
    assert d.outcome == "meets_conditions"
    steps = {s.name: s.result for s in d.steps}
    assert steps == {"min_from_prior_year": "700000.00", "max_management_costs": "80000.00"}
    short = financials(activity_spending=Money.parse("699999.99"))
    assert run_check(so.CHARITY_SPENDING, short, "2025-06-01").decisions[0].outcome == "fails"


def test_three_year_average_is_the_alternative() -> None:
    f = financials(
        activity_spending=Money.yuan(560_000),
        total_spending=Money.yuan(800_000),
        three_year_incomes=(Money.yuan(600_000), Money.yuan(800_000), Money.yuan(1_000_000)),
    )
    d = run_check(so.CHARITY_SPENDING, f, "2025-06-01").decisions[0]
    spending = next(c for c in d.conditions if c.id == "activity_spending")
    assert spending.passed is True and spending.values["minimum"] == "560000.00"


@given(spend=st.integers(0, 2_000_000), mgmt=st.integers(0, 300_000))
def test_spending_monotone(spend: int, mgmt: int) -> None:
    f = financials(
        activity_spending=Money.yuan(spend),
        management_costs=Money.yuan(mgmt),
        total_spending=Money.yuan(spend + mgmt + 100_000),
    )
    c = conditions(run_check(so.CHARITY_SPENDING, f, "2025-06-01"))
    assert c["activity_spending"] is (spend >= 700_000)
    assert c["management_costs"] is (mgmt * 10 <= spend + mgmt + 100_000)


def test_other_charities_small_management_costs_are_exempt() -> None:
    f = financials(
        kind=so.OrgKind.SOCIAL_ORGANIZATION,
        management_costs=Money.yuan(199_999),
        activity_spending=Money.yuan(700_000),
        total_spending=Money.yuan(900_000),
    )
    c = run_check(so.CHARITY_SPENDING, f, "2025-06-01").decisions[0].conditions
    assert next(x for x in c if x.id == "management_costs").passed is True
    f = financials(management_costs=Money.yuan(199_999), total_spending=Money.yuan(900_000))
    assert conditions(run_check(so.CHARITY_SPENDING, f, "2025-06-01"))["management_costs"] is False


def test_bad_financials_name_the_field() -> None:
    with pytest.raises(ValidationError, match="total_spending"):
        financials(total_spending=Money.yuan(1))
    with pytest.raises(ValidationError, match="three_year_incomes"):
        financials(three_year_incomes=(Money.yuan(1),))


# -- CLI -----------------------------------------------------------------------------------


def test_cli_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "charity-spending.json"
    assert (
        main(
            [
                "check",
                "social_orgs.charity_spending",
                str(path),
                "--on",
                "2025-06-01",
                "--format",
                "json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"record", "on", "check", "decisions"}
    (d,) = out["decisions"]
    assert set(d) >= {"subject", "passed", "outcome", "conditions", "standards", "steps"}
    assert d["outcome"] == "meets_conditions"
    assert {c["id"] for c in d["conditions"]} == {"activity_spending", "management_costs"}


@pytest.mark.parametrize(
    ("check", "name", "on", "outcomes"),
    [
        (
            "social_orgs.registration",
            "registration-society.json",
            "2025-03-01",
            ["meets_conditions"],
        ),
        ("social_orgs.registration", "registration-foundation.json", "2025-03-01", ["fails"]),
        ("social_orgs.annual_report", "annual-report.json", "2025-07-01", ["submitted_late"]),
        (
            "social_orgs.public_fundraising_eligibility",
            "fundraising.json",
            "2025-01-01",
            ["fails", "meets_conditions"],
        ),
    ],
)
def test_examples(
    check: str, name: str, on: str, outcomes: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", check, str(EXAMPLES / name), "--on", on, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    results = out if isinstance(out, list) else [out]
    assert [r["decisions"][0]["outcome"] for r in results] == outcomes
    assert not ID_RUN.search(json.dumps(out))


def test_cli_bad_record_reported_in_one_line(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.loads((EXAMPLES / "registration-society.json").read_text())
    bad = {**good, "id": "BAD", "individual_members": -3}
    path = tmp_path / "apps.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (good, bad, good)) + "\n")
    code_ = main(
        [
            "check",
            "social_orgs.registration",
            str(path),
            "--format",
            "json",
            "--on",
            "2025-01-01",
            "--lang",
            "en",
        ]
    )
    captured = capsys.readouterr()
    assert code_ == 1
    assert len(json.loads(captured.out)) == 2
    lines = [x for x in captured.err.splitlines() if x.strip()]
    assert len(lines) == 1 and "individual_members" in lines[0] and ":2" in lines[0]

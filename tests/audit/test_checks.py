"""Each bundled check fires on a caseload made to show it, and not on a clean one."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from audit_support import MONTH, person, row, table

from civilaffairs.audit import (
    BUNDLED_CHECKS,
    FINDINGS_SCHEMA,
    AuditInputError,
    audit_caseload,
    audit_single,
)
from civilaffairs.policies import PolicyOverride
from civilaffairs.testing import isolated_registry

CLEAN = table(row(1), row(2), row(3, program="tekun", household_id="T3", review_category="tekun"))


def ids(findings: pa.Table) -> list[str]:
    return findings.column("check_id").to_pylist()


def test_a_clean_caseload_has_no_finding() -> None:
    findings = audit_caseload(CLEAN, on=MONTH)
    assert findings.schema.equals(FINDINGS_SCHEMA)
    assert findings.num_rows == 0
    assert audit_single(CLEAN, on=MONTH).num_rows == 0


def test_every_bundled_check_cites_a_rule() -> None:
    for check in BUNDLED_CHECKS:
        assert check.basis and ("办法" in check.basis or "规定" in check.basis), check.id
        assert check.id.startswith("audit.")


def test_same_person_in_two_households_or_counties() -> None:
    t = table(row(1), row(1, household_id="H9", region="110108"))
    findings = audit_caseload(t, on=MONTH, checks=["audit.duplicate_person"])
    assert ids(findings) == ["audit.duplicate_person"] * 2
    assert findings.column("household_id").to_pylist() == ["H1", "H9"]
    assert "2 个家庭、2 个县" in findings.column("detail_zh")[0].as_py()
    # the same household in two programmes is not a duplicate; other months are not either
    t = table(row(1), row(1, program="marginal"), row(1, month="2024-07", household_id="H8"))
    assert audit_caseload(t, on=MONTH, checks=["audit.duplicate_person"]).num_rows == 0


def test_paid_after_death() -> None:
    t = table(
        row(1, death_date=dt.date(2024, 6, 30)),
        row(2, death_date=dt.date(2024, 8, 1)),  # the month of death is still paid
        row(3, death_date=dt.date(2024, 6, 30), paid_fen=0),  # stopped
    )
    findings = audit_caseload(t, on=MONTH, checks=["audit.paid_after_death"])
    assert findings.column("household_id").to_pylist() == ["H1"]
    assert findings.column("detail_en")[0].as_py() == (
        "died on 2024-06-30; 500.00 yuan paid for 2024-08"
    )
    assert "第二十四条" in findings.column("basis")[0].as_py()


def test_income_not_below_the_standard() -> None:
    t = table(
        row(1, income_pc_fen=145000),  # equal: not below
        row(2, income_pc_fen=144999),
        row(3, income_pc_fen=None),  # not known: not tested
        row(4, income_pc_fen=200000, program="tekun"),  # dibao only
    )
    findings = audit_caseload(t, on=MONTH, checks=["audit.income_above_standard"])
    assert findings.column("household_id").to_pylist() == ["H1"]
    assert "1450.00 元不低于低保标准 1450.00 元" in findings.column("detail_zh")[0].as_py()


def test_dibao_and_tekun_together() -> None:
    t = table(
        row(1), row(1, program="tekun", household_id="T1"), row(2), row(2, program="marginal")
    )
    findings = audit_caseload(t, on=MONTH, checks=["audit.overlapping_tiers"])
    assert findings.column("household_id").to_pylist() == ["H1", "T1"]
    assert "暂定" in findings.column("basis")[0].as_py()


def test_relative_of_the_caseworker_or_the_approver() -> None:
    key1, _ = person(1)
    key2, _ = person(2)
    relatives = [
        {"staff_id": "W1", "person_key": key1, "relation": "配偶"},
        {"staff_id": "A1", "person_key": key1, "relation": "子女"},
        {"staff_id": "A1", "person_key": key1, "relation": "兄弟姐妹"},
        {"staff_id": "W7", "person_key": key2, "relation": "配偶"},  # not the staff of H2
    ]
    t = table(row(1), row(2))
    findings = audit_caseload(t, on=MONTH, relatives=relatives, checks=["audit.staff_relative"])
    assert findings.column("detail_zh").to_pylist() == [
        "经办人 W1 的已申报近亲属（配偶）：核对近亲属备案及回避",
        "审批人 A1 的已申报近亲属（兄弟姐妹）：核对近亲属备案及回避",
    ]
    assert "备案" in findings.column("basis")[0].as_py()


def _no_vehicles() -> object:
    from civilaffairs import hookimpl

    class Plugin:
        @hookimpl
        def civilaffairs_register_policies(self, register):  # type: ignore[no-untyped-def]
            register.add("dibao", "vehicle_allowed", "110000", "2020-01-01", False)

    return Plugin()


def test_asset_matches_against_the_regions_rules() -> None:
    key1, _ = person(1)
    key2, _ = person(2)
    matches = [
        {"person_key": key1, "kind": "vehicle", "detail": "小型轿车"},
        {"person_key": key2, "kind": "business", "detail": "个体工商户"},
        {"person_key": key2, "kind": "vehicle", "detail": "摩托车"},
    ]
    t = table(row(1), row(2, program="marginal"), row(1, month="2024-07"))
    found = audit_caseload(t, on=MONTH, matches=matches, checks=["audit.asset_match"])
    assert found.column("severity").to_pylist() == ["low", "medium", "medium"]
    assert found.column("month").to_pylist() == [MONTH] * 3  # the audit month only
    strict = isolated_registry({"beijing": _no_vehicles()}, strict=False)
    found = audit_caseload(
        t, on=MONTH, matches=matches, checks=["audit.asset_match"], registry=strict
    )
    assert found.column("severity").to_pylist() == ["high", "medium", "medium"]
    assert "vehicle_allowed = false" in found.column("basis")[0].as_py()
    assert isinstance(PolicyOverride, type)


def test_review_overdue() -> None:
    t = table(
        row(1, last_review=dt.date(2023, 7, 31), review_category="stable"),  # due 2024-07-31
        row(2, last_review=dt.date(2023, 8, 1), review_category="stable"),  # due 2024-08-01
        row(3, last_review=dt.date(2024, 1, 31), review_category="variable"),  # due 2024-07-31
        row(4, last_review=dt.date(2020, 1, 1), review_category="tekun", program="tekun"),
        row(5, last_review=None, review_category="stable"),
    )
    found = audit_caseload(t, on=MONTH, checks=["audit.review_overdue"])
    assert found.column("household_id").to_pylist() == ["H1", "H3"]
    assert found.column("detail_en").to_pylist() == [
        "last reviewed 2023-07-31; review was due 2024-07-31 (12-month interval)",
        "last reviewed 2024-01-31; review was due 2024-07-31 (6-month interval)",
    ]
    assert "每半年核查一次" in found.column("basis")[1].as_py()


def test_bad_rows_raise_in_the_library_call() -> None:
    t = pa.Table.from_pylist([{**row(1), "month": "2024-13", "last_review": None}])
    with pytest.raises(AuditInputError) as info:
        audit_caseload(t, on=MONTH)
    assert info.value.path == "caseload[0].month"


def test_a_whole_id_in_person_masked_is_refused() -> None:
    from civilaffairs.audit import validate_caseload
    from civilaffairs.testing import resident_id

    whole = resident_id("1970-01-01", "female", "110105", 3)
    valid, errors = validate_caseload(table(row(1, person_masked=whole)))
    assert valid.num_rows == 0
    assert errors.column("field").to_pylist() == ["caseload[0].person_masked"]
    assert whole not in str(errors.to_pylist())


def test_unknown_check_id() -> None:
    from civilaffairs.errors import CivilAffairsError

    with pytest.raises(CivilAffairsError, match="unknown audit check"):
        audit_caseload(CLEAN, on=MONTH, checks=["audit.nope"])

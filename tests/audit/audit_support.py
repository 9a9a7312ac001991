"""Helpers of the audit tests: caseload rows, and the people of the examples."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from civilaffairs.audit import CASELOAD_SCHEMA
from civilaffairs.pseudonyms import pseudonym
from civilaffairs.testing import resident_id

KEY = b"audit-tests-key-0123456789abcdef-xyz"
MONTH = "2024-08"


def person(n: int, region: str = "110105") -> tuple[str, str]:
    """The pseudonym and masked ID of the n-th made-up person."""
    rid = resident_id("1960-01-01", "male", region, sequence=n)
    return pseudonym(rid, KEY), rid[:6] + "********" + rid[-4:]


def row(n: int = 1, **values: Any) -> dict[str, Any]:
    """A clean caseload row of person *n*: dibao paid, income below the standard, reviewed
    recently; *values* override."""
    key, masked = person(n)
    out: dict[str, Any] = {
        "month": MONTH,
        "household_id": f"H{n}",
        "region": "110105",
        "person_key": key,
        "person_masked": masked,
        "program": "dibao",
        "paid_fen": 50000,
        "death_date": None,
        "income_pc_fen": 90000,
        "standard_fen": 145000,
        "caseworker_id": "W1",
        "approver_id": "A1",
        "last_review": dt.date(2024, 6, 1),
        "review_category": "stable",
    }
    out.update(values)
    return out


def table(*rows: dict[str, Any]) -> pa.Table:
    """A caseload table of *rows*."""
    return pa.Table.from_pylist(list(rows), schema=CASELOAD_SCHEMA)

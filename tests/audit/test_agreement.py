"""The bulk path and the single-case path of every check give the same findings, on any
caseload (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from audit_support import person, table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civilaffairs.audit import audit_caseload, audit_single
from civilaffairs.registry import get_registry

PEOPLE = [person(n) for n in range(1, 7)]
MONTHS = ["2024-06", "2024-07", "2024-08"]
REGIONS = ["110105", "110108", "310101", "999999"]  # the last one unknown to the registry
STAFF = ["W1", "W2", "A1", None]


@st.composite
def caseload_rows(draw: st.DrawFn) -> dict[str, object]:
    key, masked = draw(st.sampled_from(PEOPLE))
    fen = st.integers(0, 300_000)
    return {
        "month": draw(st.sampled_from(MONTHS)),
        "household_id": draw(st.sampled_from(["H1", "H2", "H3", "T1"])),
        "region": draw(st.sampled_from(REGIONS)),
        "person_key": key,
        "person_masked": masked,
        "program": draw(st.sampled_from(["dibao", "tekun", "marginal"])),
        "paid_fen": draw(fen),
        "death_date": draw(st.none() | st.dates(dt.date(2024, 1, 1), dt.date(2024, 9, 30))),
        "income_pc_fen": draw(st.none() | fen),
        "standard_fen": draw(st.none() | fen),
        "caseworker_id": draw(st.sampled_from(STAFF)),
        "approver_id": draw(st.sampled_from(STAFF)),
        "last_review": draw(st.none() | st.dates(dt.date(2022, 1, 28), dt.date(2024, 8, 31))),
        "review_category": draw(st.none() | st.sampled_from(["stable", "variable", "tekun"])),
    }


relatives = st.lists(
    st.fixed_dictionaries(
        {
            "staff_id": st.sampled_from(["W1", "W2", "A1"]),
            "person_key": st.sampled_from([k for k, _ in PEOPLE]),
            "relation": st.sampled_from(["配偶", "子女", "父母"]),
        }
    ),
    max_size=6,
)
matches = st.lists(
    st.fixed_dictionaries(
        {
            "person_key": st.sampled_from([k for k, _ in PEOPLE]),
            "kind": st.sampled_from(["vehicle", "business", "property"]),
            "detail": st.sampled_from(["小型轿车", "个体工商户", "住房 2 套"]),
        }
    ),
    max_size=6,
)


def _sorted(t: pa.Table) -> list[tuple[object, ...]]:
    return sorted(tuple(r.values()) for r in t.to_pylist())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(caseload_rows(), max_size=25),
    rel=relatives,
    found=matches,
    on=st.sampled_from(MONTHS),
)
def test_bulk_and_single_case_agree(
    rows: list[dict[str, object]],
    rel: list[dict[str, str]],
    found: list[dict[str, str]],
    on: str,
) -> None:
    caseload = table(*rows)
    registry = get_registry()
    options = {"on": on, "relatives": rel or None, "matches": found or None, "registry": registry}
    bulk = audit_caseload(caseload, **options)
    single = audit_single(caseload, **options)
    assert bulk.to_pylist() == single.to_pylist()


def test_the_order_is_check_by_check_then_caseload_order() -> None:
    rows = [
        {**person_row, "household_id": h}
        for person_row, h in (
            (dict(zip(("person_key", "person_masked"), PEOPLE[0], strict=True)), "H1"),
            (dict(zip(("person_key", "person_masked"), PEOPLE[0], strict=True)), "H2"),
        )
    ]
    base = {
        "month": "2024-08",
        "region": "110105",
        "program": "dibao",
        "paid_fen": 100,
        "death_date": dt.date(2024, 1, 1),
    }
    caseload = table(*({**base, **r} for r in rows))
    found = audit_caseload(caseload, on="2024-08")
    assert found.column("check_id").to_pylist() == [
        "audit.duplicate_person",
        "audit.duplicate_person",
        "audit.paid_after_death",
        "audit.paid_after_death",
    ]
    assert found.column("household_id").to_pylist() == ["H1", "H2", "H1", "H2"]

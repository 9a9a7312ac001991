"""Helpers of the records store tests: keys, the registry, households whose members have
resident IDs made by :func:`civilaffairs.testing.resident_id`, recording them."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import pytest

POSTGRES_ENV = "CIVILAFFAIRS_TEST_POSTGRES_URL"
ID_KEY = "records-test-key-" + "k" * 32


def postgres_base() -> str | None:
    """The PostgreSQL URL of the test server, or skip (fail in CI) without one."""
    base = os.environ.get(POSTGRES_ENV)
    if base:
        return base
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is not set: in CI the PostgreSQL cases must run")
    pytest.skip(f"{POSTGRES_ENV} is not set (nox -s tests starts a PostgreSQL server)")
    return None


@cache
def standards_registry() -> Any:
    """The national baseline and the fixture standards of the programme tests (110000)."""
    from programs_support import registry

    return registry()


def people(n: int, region: str = "110105", start: int = 1) -> list[str]:
    """*n* distinct resident IDs (adults born 1980 onwards) for tests."""
    import datetime as dt

    from civilaffairs.testing import resident_id

    out = []
    for i in range(start, start + n):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=i)
        out.append(resident_id(born, "male" if i % 2 else "female", region))
    return out


def household_data(
    number: int, *, wage: str = "800.00", members: int = 2, region: str = "110105"
) -> dict[str, Any]:
    """A household in *region* with *members* adults, the head earning *wage*."""
    ids = people(members, region, start=number * 10)
    return {
        "type": "household",
        "id": f"HH-{number:04d}",
        "region": region,
        "residence": "urban",
        "members": [
            {
                "id_number": rid,
                "name": "张三" if i == 0 else "李四",
                "relation": "head" if i == 0 else "spouse",
                "employment": "employed",
                "incomes": [{"kind": "wage", "monthly": wage}] if i == 0 else [],
            }
            for i, rid in enumerate(ids)
        ],
    }


def household(number: int, **kwargs: Any) -> Any:
    """:func:`household_data` as a :class:`~civilaffairs.domain.Household`."""
    from civilaffairs.convert import structure
    from civilaffairs.domain import Household

    return structure(household_data(number, **kwargs), Household)


def record(store: Any, number: int, month: str = "2024-08", **kwargs: Any) -> list[Any]:
    """Assess household *number* for *month* and record it; return what was recorded."""
    from civilaffairs.engine.single import assess
    from civilaffairs.periods import Month
    from civilaffairs.records.privacy import Protector
    from civilaffairs.records.recording import record_assessment
    from civilaffairs.records.reviews import planner

    h = household(number, **kwargs)
    assessment = assess(h, Month.parse(month), ["dibao", "tekun"], registry=standards_registry())
    return record_assessment(
        store,
        h,
        assessment,
        protector=Protector.from_environment(),
        review_plan=planner(standards_registry()),
    )

"""A test plugin with known standards, and helpers shared by the programme tests."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from civilaffairs import hookimpl
from civilaffairs.domain import Household
from civilaffairs.testing import isolated_registry

SOURCE = {"issuer": "test fixture", "title": "values for tests"}


class FixtureStandards:
    """Registers Beijing-like standards at 110000 from 2024-07-01."""

    def __init__(self, dibao: str = "1450", policies: tuple[tuple[str, str, Any], ...] = ()):
        self.dibao = dibao
        self.policies = policies
        self.__name__ = f"fixture_{dibao.replace('.', '_')}_{len(policies)}"

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        day = "2024-07-01"
        add = register.add
        add("dibao.standard", "110000", day, self.dibao, source=SOURCE)
        add("temporary.max_multiple", "110000", day, "6", source=SOURCE)
        add("temporary.max_multiple_special", "110000", day, "12", source=SOURCE)
        add("tekun.care.partial", "110000", day, "300", source=SOURCE)
        add("tekun.care.none", "110000", day, "600", source=SOURCE)
        add("disability.living_subsidy", "110000", day, "100", source=SOURCE)
        add("disability.nursing_subsidy", "110000", day, "200", source=SOURCE)
        add("elderly.allowance.80", "110000", day, "100", source=SOURCE)
        add("elderly.allowance.90", "110000", day, "500", source=SOURCE)
        add("elderly.allowance.100", "110000", day, "800", source=SOURCE)
        add("high_spending.disposable_income", "110000", day, "80000", source=SOURCE)
        add("minimum_wage", "110000", day, "2420", source=SOURCE)

    @hookimpl
    def civilaffairs_register_policies(self, register: Any) -> None:
        for program, point, value in self.policies:
            register.add(program, point, "110000", "2024-07-01", value, source=SOURCE)


@cache
def registry(dibao: str = "1450", policies: tuple[tuple[str, str, Any], ...] = ()) -> Any:
    """An isolated registry: national baseline plus the fixture standards."""
    return isolated_registry(FixtureStandards(dibao, policies))


ON = dt.date(2024, 8, 1)
MONTH = "2024-08"


def beijing_three(wage_head: str = "2600.00", wage_spouse: str = "1000.00") -> Household:
    """The worked example: 3 members in 110105, countable income 3600, veterans' care 300."""
    from civilaffairs.convert import structure

    return structure(
        {
            "id": "BJ-2024-0001",
            "region": "110105",
            "residence": "urban",
            "members": [
                {
                    "id_number": "110105198001010016",
                    "name": "王建国",
                    "relation": "head",
                    "incomes": [{"kind": "wage", "monthly": wage_head}],
                },
                {
                    "id_number": "110105198203040029",
                    "name": "李芳",
                    "relation": "spouse",
                    "incomes": [
                        {"kind": "wage", "monthly": wage_spouse},
                        {"kind": "veterans_care", "monthly": "300.00"},
                    ],
                },
                {
                    "birth_date": "2014-05-06",
                    "sex": "male",
                    "relation": "child",
                    "in_school": "primary",
                },
            ],
        },
        Household,
    )

"""The funeral module (惠民殡葬): funeral.entitlement on the bundled examples, on a registry
with every value set, properties of the total waiver, bad input and the CLI."""

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
from civilaffairs.checks import run_check
from civilaffairs.cli import main
from civilaffairs.errors import ValidationError
from civilaffairs.modules.funeral import ENTITLEMENT, MODULE, Deceased, Disposal, FuneralStatus
from civilaffairs.money import Money
from civilaffairs.testing import isolated_registry

EXAMPLES = Path(__file__).parent.parent / "examples" / "funeral"
SOURCE = {"issuer": "测试民政局", "title": "测试用通知"}
COUNTY = "340102"  # a county no bundled plugin gives funeral values


class Values:
    """A plugin registering funeral values for Anhui's 340100 from 2024-01-01."""

    def __init__(self, **values: str) -> None:
        self.values = values

    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        for key, value in self.values.items():
            register.add(
                f"funeral.{key.replace('__', '.')}", "340100", "2024-01-01", value, source=SOURCE
            )


FULL = {
    "zone__cremation": "1",
    "covers__dibao": "1",
    "waiver__transport": "200",
    "waiver__storage": "150",
    "waiver__cremation": "400",
    "waiver__ash_storage": "100",
}


def registry_with(**values: str) -> Any:
    return isolated_registry(Values(**values))


def deceased(**changes: Any) -> Deceased:
    base = Deceased(
        id="AH-1",
        region=COUNTY,
        died_on=dt.date(2025, 5, 1),
        statuses=(FuneralStatus.DIBAO,),
        local_household=True,
    )
    return attrs.evolve(base, **changes)


def decide(record: Deceased, registry: Any, on: str = "2025-05-02") -> Any:
    return run_check(ENTITLEMENT, record, on, registry=registry).decisions[0]


def load(name: str) -> Deceased:
    return ENTITLEMENT.structure(json.loads((EXAMPLES / name).read_text()))  # type: ignore[no-any-return]


# -- worked examples ------------------------------------------------------------------


def test_module_declares_its_keys_and_check() -> None:
    assert MODULE.id == "funeral"
    assert [c.id for c in MODULE.checks] == ["funeral.entitlement"]
    assert all(k.key.startswith("funeral.") for k in MODULE.keys)


def test_shanghai_dibao_recipient_gets_the_actual_cost_up_to_980() -> None:
    result = ENTITLEMENT(load("shanghai-dibao.json"), "2025-03-02")
    (decision,) = result.decisions
    assert decision.passed
    assert decision.outcome == ("transport", "storage", "cremation", "ash_storage")
    assert decision.facts["total_waiver"] == "980.00"
    step = next(s for s in decision.steps if s.name == "total_waiver")
    assert step.operands == {"cap": "980.00", "charges": "1125.00"}
    assert {s["key"] for s in decision.standards} >= {"funeral.waiver.cap", "funeral.covers.dibao"}


def test_huizhou_resident_charges_below_the_cap_are_paid_in_full() -> None:
    (decision,) = ENTITLEMENT(load("huizhou-resident.json"), "2025-07-03").decisions
    assert decision.passed
    assert decision.facts["total_waiver"] == "1460.00"
    assert decision.facts["covered_by"] == "resident"


def test_tekun_is_covered_nationally_with_article_15() -> None:
    (decision,) = ENTITLEMENT(load("tekun-unset-zone.json"), "2025-08-16").decisions
    assert decision.passed
    # zone not set and no disposal on record: cremation services are not assumed
    assert decision.outcome == ("transport", "storage")
    tekun = {c.id: c for c in decision.conditions}["tekun_funeral"]
    assert tekun.passed is True and "第十五条" in tekun.basis
    zone = {c.id: c for c in decision.conditions}["zone"]
    assert zone.passed is None and "not set" in zone.label_en
    amount = {c.id: c for c in decision.conditions}["amount"]
    assert amount.passed is None and "transport, storage" in amount.label_en
    assert decision.facts["total_waiver"] == "not set"


def test_full_registry_sums_the_services() -> None:
    decision = decide(deceased(), registry_with(**FULL))
    assert decision.outcome == ("transport", "storage", "cremation", "ash_storage")
    assert decision.facts["total_waiver"] == "850.00"


def test_burial_reform_zone_does_not_assume_cremation() -> None:
    registry = registry_with(**{**FULL, "zone__cremation": "0"})
    decision = decide(deceased(), registry)
    assert decision.outcome == ("transport", "storage")
    assert decision.facts["total_waiver"] == "350.00"
    assert "burial-reform zone" in {c.id: c for c in decision.conditions}["zone"].label_en
    chosen = decide(deceased(disposal=Disposal.CREMATION), registry)
    assert chosen.outcome == ("transport", "storage", "cremation", "ash_storage")


def test_group_not_covered_fails_and_group_not_set_is_not_tested() -> None:
    registry = registry_with(**{**FULL, "covers__dibao": "0"})
    decision = decide(deceased(), registry)
    assert (decision.passed, decision.outcome) == (False, "not_covered")
    unset = decide(deceased(statuses=(FuneralStatus.YOUFU,)), registry)
    assert (unset.passed, unset.outcome) == (False, "not_determined")
    cond = {c.id: c for c in unset.conditions}["covers_youfu"]
    assert cond.passed is None and "not set" in cond.label_en


def test_local_household_requirement() -> None:
    registry = registry_with(**FULL, requires_local_household="1")
    assert decide(deceased(), registry).passed
    outsider = decide(deceased(local_household=False), registry)
    assert (outsider.passed, outsider.outcome) == (False, "not_covered")


# -- properties -------------------------------------------------------------------------

money = st.integers(min_value=0, max_value=500_000).map(Money)


@settings(max_examples=40, deadline=None)
@given(cap=money, charges=money, amounts=st.lists(money, min_size=4, max_size=4))
def test_total_is_the_least_of_services_cap_and_charges(
    cap: Money, charges: Money, amounts: list[Money]
) -> None:
    values = dict(FULL)
    for key, amount in zip(
        ("transport", "storage", "cremation", "ash_storage"), amounts, strict=True
    ):
        values[f"waiver__{key}"] = str(amount)
    values["waiver__cap"] = str(cap)
    registry = registry_with(**values)
    decision = decide(deceased(charges=charges), registry)
    total = Money.parse(decision.facts["total_waiver"])
    assert total == min(cap, charges, sum(amounts, Money(0)))
    more = decide(deceased(charges=charges + Money(100)), registry)
    assert Money.parse(more.facts["total_waiver"]) >= total


@settings(max_examples=30, deadline=None)
@given(days=st.integers(min_value=-3, max_value=3))
def test_date_of_death_boundary(days: int) -> None:
    on = dt.date(2025, 5, 1)
    decision = decide(
        deceased(died_on=on + dt.timedelta(days=days)), registry_with(**FULL), on.isoformat()
    )
    cond = {c.id: c for c in decision.conditions}["died_before_check"]
    assert cond.passed is (days <= 0)


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"died_on": "2025-02-30"}, "died_on"),
        ({"statuses": ["tekun", "rich"]}, "statuses"),
        ({"charges": "-5.00"}, "charges"),
        ({"region": "990000"}, "region"),
        ({"disposal": "sea"}, "disposal"),
    ],
)
def test_bad_fields_are_named(change: dict[str, Any], path: str) -> None:
    data = json.loads((EXAMPLES / "shanghai-dibao.json").read_text()) | change
    with pytest.raises(ValidationError) as info:
        ENTITLEMENT.structure(data)
    assert any(e.path.startswith(path) for e in info.value.errors)


def test_a_status_listed_twice_is_refused() -> None:
    with pytest.raises(ValidationError):
        deceased(statuses=(FuneralStatus.DIBAO, FuneralStatus.DIBAO))


# -- CLI --------------------------------------------------------------------------------


def test_cli_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check",
            "funeral.entitlement",
            str(EXAMPLES / "shanghai-dibao.json"),
            "--on",
            "2025-03-02",
            "--format",
            "json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"record", "on", "check", "decisions"}
    decision = result["decisions"][0]
    assert set(decision) >= {"subject", "passed", "outcome", "conditions", "standards", "steps"}
    assert decision["outcome"] == ["transport", "storage", "cremation", "ash_storage"]
    assert decision["facts"]["total_waiver"] == "980.00"
    assert set(decision["conditions"][0]) == {"id", "passed", "label", "basis", "values"}


def test_cli_reports_a_bad_record_and_checks_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.loads((EXAMPLES / "shanghai-dibao.json").read_text())
    bad = good | {"id": "SH-BAD", "died_on": "2025-13-01"}
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (good, bad, good)) + "\n")
    code = main(
        ["check", "funeral.entitlement", str(path), "--on", "2025-03-02", "--format", "json"]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert len(captured.err.strip().splitlines()) == 1
    assert "died_on" in captured.err
    assert captured.out.count('"check": "funeral.entitlement"') == 2

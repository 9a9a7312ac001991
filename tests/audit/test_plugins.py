"""A province registers its own check (``civilaffairs_register_audit_checks``) and a matcher
against its vehicle register (``civilaffairs_register_audit_matchers``); the same runner runs
them beside the bundled checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from audit_support import MONTH, person, row, table

from civilaffairs import hookimpl
from civilaffairs.audit import (
    AuditCheck,
    AuditData,
    AuditInputError,
    Finding,
    audit_caseload,
    audit_single,
)
from civilaffairs.audit.model import fill, fill_row, yuan, yuan_text
from civilaffairs.testing import isolated_registry

LIMIT = 150_000
_ZH = "月发放 {paid} 元超过本市单户上限"
_EN = "{paid} yuan a month is above the city's cap per case"


def _cap_columns(data: AuditData) -> pa.Table:
    flag = pc.greater(data.column("paid_fen"), LIMIT)
    rows = pc.filter(data.rows, flag)
    paid = yuan_text(pc.take(data.column("paid_fen"), rows))
    return pa.table(
        {"_row": rows, "detail_zh": fill(_ZH, paid=paid), "detail_en": fill(_EN, paid=paid)}
    )


def _cap_single(r: Mapping[str, Any], data: AuditData) -> Sequence[Finding]:
    if r["paid_fen"] <= LIMIT:
        return []
    paid = yuan(r["paid_fen"])
    return [Finding(fill_row(_ZH, paid=paid), fill_row(_EN, paid=paid))]


CAP = AuditCheck(
    "beijing.payment_cap",
    "单户发放上限",
    "payment cap per case",
    "某市低保实施办法第十条（示例）",
    "low",
    _cap_columns,
    _cap_single,
)


class VehicleRegister:
    """A matcher: the province's vehicle register, looked up for the caseload's people."""

    id = "beijing.vehicles"

    def __init__(self, owners: list[str]) -> None:
        self.owners = owners
        self.seen = 0

    def __call__(self, caseload: pa.Table) -> pa.Table:
        self.seen = caseload.num_rows
        keys = pc.unique(caseload.column("person_key")).to_pylist()
        hits = [k for k in keys if k in self.owners]
        return pa.table(
            {
                "person_key": pa.array(hits, pa.string()),
                "kind": pa.array(["vehicle"] * len(hits), pa.string()),
                "detail": pa.array(["小型轿车"] * len(hits), pa.string()),
            }
        )


class Province:
    def __init__(self, matcher: object) -> None:
        self.matcher = matcher

    @hookimpl
    def civilaffairs_register_audit_checks(self, register):  # type: ignore[no-untyped-def]
        register.add(CAP)

    @hookimpl
    def civilaffairs_register_audit_matchers(self, register):  # type: ignore[no-untyped-def]
        register.add(self.matcher)


def test_a_plugin_check_and_matcher_run_with_the_bundled_checks() -> None:
    key2, _ = person(2)
    matcher = VehicleRegister([key2])
    registry = isolated_registry({"beijing": Province(matcher)})
    assert registry.audit_checks["beijing.payment_cap"] is CAP
    assert registry.audit_matcher_plugins["beijing.vehicles"] == "beijing"
    caseload = table(row(1, paid_fen=200_000), row(2))
    found = audit_caseload(caseload, on=MONTH, registry=registry)
    assert matcher.seen == 2
    assert found.column("check_id").to_pylist() == ["audit.asset_match", "beijing.payment_cap"]
    assert found.column("household_id").to_pylist() == ["H2", "H1"]
    assert found.column("detail_zh")[1].as_py() == "月发放 2000.00 元超过本市单户上限"
    assert found.column("basis")[1].as_py() == "某市低保实施办法第十条（示例）"
    # the single-case path of the plugin's check agrees
    single = audit_single(caseload, on=MONTH, registry=registry)
    assert single.to_pylist() == found.to_pylist()
    # a check can be run alone, by calling it
    alone = CAP(caseload, on=MONTH, registry=registry)
    assert alone.column("check_id").to_pylist() == ["beijing.payment_cap"]


def test_a_failing_matcher_is_named() -> None:
    class Broken:
        id = "beijing.broken"

        def __call__(self, caseload: pa.Table) -> pa.Table:
            raise RuntimeError("register offline")

    registry = isolated_registry({"beijing": Province(Broken())})
    with pytest.raises(AuditInputError, match=r"'beijing\.broken' of plugin 'beijing' failed"):
        audit_caseload(table(row(1)), on=MONTH, registry=registry)


def test_a_matcher_row_with_a_bad_key_is_an_error_row() -> None:
    class Sloppy:
        id = "beijing.sloppy"

        def __call__(self, caseload: pa.Table) -> pa.Table:
            return pa.table({"person_key": ["not-a-key"], "kind": ["vehicle"], "detail": ["x"]})

    registry = isolated_registry({"beijing": Province(Sloppy())})
    with pytest.raises(AuditInputError) as info:
        audit_caseload(table(row(1)), on=MONTH, registry=registry)
    assert info.value.path == "matchers.beijing.sloppy[0].person_key"


def test_check_ids_are_dotted() -> None:
    from civilaffairs.errors import CivilAffairsError

    with pytest.raises(CivilAffairsError, match="dotted lowercase"):
        AuditCheck("Cap", "x", "x", "b", "low", _cap_columns, _cap_single)
    with pytest.raises(CivilAffairsError, match="severity"):
        AuditCheck("a.cap", "x", "x", "b", "urgent", _cap_columns, _cap_single)

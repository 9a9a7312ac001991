"""The checks framework: conditions explained from the values compared, standards recorded
with their provenance, personal identifiers masked, and one JSON shape."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs import hookimpl
from civilaffairs.checks import Check, Context, run_check
from civilaffairs.errors import CivilAffairsError, ValidationError
from civilaffairs.standards import KeySpec, Unit
from civilaffairs.testing import isolated_registry

ID = "11010519491231002X"


@attrs.frozen
class Meeting:
    id: str
    region: str
    members: int
    present: int


def quorum(record: Meeting, ctx: Context) -> None:
    share = ctx.standard("demo.quorum_share")
    if share is None:
        ctx.condition(
            "quorum", None, zh="法定人数比例未设定", en="quorum share not set", basis="示例"
        )
        return
    needed = ctx.step(
        "needed",
        "members * share",
        members=record.members,
        share=share,
        result=record.members * share,
    )
    ctx.condition(
        "quorum",
        record.present > needed,
        zh="到会 {present} 人，须超过 {needed}",
        en="{present} present, more than {needed} needed",
        basis="示例条例第一条",
        present=record.present,
        needed=needed,
    )


CHECK = Check("demo.quorum", "法定人数", "quorum", Meeting, quorum, type_name="meeting")
KEY = KeySpec("demo.quorum_share", "法定人数比例", "quorum share", Unit.RATIO, "", "")


class Demo:
    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        register.declare(KEY)
        register.add(
            "demo.quorum_share",
            "110000",
            "2020-01-01",
            "0.5",
            source={"issuer": "北京市民政局", "title": "示例"},
        )


@pytest.fixture(scope="module")
def registry() -> Any:
    return isolated_registry({"demo": Demo()})


@given(st.integers(1, 500), st.integers(0, 500))
def test_the_label_shows_the_values_the_condition_compared(members: int, present: int) -> None:
    reg = isolated_registry({"demo": Demo()})
    result = run_check(
        CHECK, Meeting("M-1", "110105", members, present), "2024-01-01", registry=reg
    )
    (decision,) = result.decisions
    (cond,) = decision.conditions
    assert cond.passed is (present > members * 0.5)
    assert decision.passed is cond.passed
    assert cond.values["present"] == str(present)
    assert cond.label("en") == f"{present} present, more than {cond.values['needed']} needed"
    (step,) = decision.steps
    assert step.result == cond.values["needed"]


def test_standards_used_are_recorded_with_provenance(registry: Any) -> None:
    result = run_check(CHECK, Meeting("M-1", "110105", 40, 21), "2024-01-01", registry=registry)
    (used,) = result.decisions[0].standards
    assert (used["key"], used["value"], used["region"], used["issuer"]) == (
        "demo.quorum_share",
        "0.5",
        "110000",
        "北京市民政局",
    )
    data = result.to_dict("en")
    assert set(data) == {"record", "on", "check", "decisions"}
    assert set(data["decisions"][0]) >= {
        "subject",
        "passed",
        "outcome",
        "conditions",
        "standards",
        "steps",
    }
    assert set(data["decisions"][0]["conditions"][0]) >= {"id", "passed", "label", "basis"}


def test_a_value_not_set_leaves_the_condition_untested(registry: Any) -> None:
    result = run_check(CHECK, Meeting("M-2", "310101", 40, 21), "2024-01-01", registry=registry)
    (cond,) = result.decisions[0].conditions
    assert cond.passed is None
    assert result.decisions[0].passed  # not failed: untested, and shown as such
    assert "–" in result.to_text("en")


def test_subjects_and_values_are_masked() -> None:
    def echo_id(record: Meeting, ctx: Context) -> None:
        ctx.condition("id", True, zh="证件 {id}", en="id {id}", id=record.id)
        ctx.decide(record.id, "ok")

    check = Check("demo.echo", "回显", "echo", Meeting, echo_id)
    result = run_check(
        check, Meeting(ID, "110105", 1, 1), _dt.date(2024, 1, 1), registry=isolated_registry()
    )
    text = result.to_text("en") + str(result.to_dict())
    assert ID not in text and "110105********002X" in text


def test_record_type_and_fields_are_checked() -> None:
    with pytest.raises(ValidationError) as info:
        CHECK.structure(
            {"type": "household", "id": "M", "region": "110105", "members": 1, "present": 1}
        )
    assert info.value.errors[0].path == "type"
    assert CHECK.structure(
        {"type": "meeting", "id": "M", "region": "110105", "members": 3, "present": 2}
    ) == Meeting("M", "110105", 3, 2)
    with pytest.raises(CivilAffairsError):
        Check("no_dot", "x", "x", Meeting, quorum)


def test_a_label_naming_a_value_not_given_is_refused() -> None:
    def bad(record: Meeting, ctx: Context) -> None:
        ctx.condition("x", True, zh="{missing}", en="{missing}")

    with pytest.raises(CivilAffairsError, match="no such value"):
        run_check(
            Check("demo.bad", "x", "x", Meeting, bad),
            Meeting("M", "110105", 1, 1),
            "2024-01-01",
            registry=isolated_registry(),
        )


def test_several_decisions_from_one_record() -> None:
    def each(record: Meeting, ctx: Context) -> None:
        for i in range(record.members):
            ctx.condition("present", i < record.present, zh="第 {i} 人", en="member {i}", i=i)
            ctx.decide(f"{record.id}/{i}", "present" if i < record.present else "absent")

    result = run_check(
        Check("demo.each", "x", "x", Meeting, each),
        Meeting("M", "110105", 3, 2),
        "2024-01-01",
        registry=isolated_registry(),
    )
    assert [d.outcome for d in result.decisions] == ["present", "present", "absent"]
    assert not result.passed


@given(
    st.dates(_dt.date(1900, 1, 1), _dt.date(2024, 12, 31)),
    st.sampled_from(["male", "female"]),
    st.integers(1, 499),
)
def test_resident_id_helper_gives_valid_ids(day: _dt.date, sex: str, seq: int) -> None:
    from civilaffairs.ids import ResidentId
    from civilaffairs.testing import resident_id

    parsed = ResidentId.parse(resident_id(day, sex, "330106", seq))
    assert (parsed.birth_date, parsed.sex.value, parsed.region_code) == (day, sex, "330106")


def test_resident_id_helper_refuses_what_cannot_be_valid() -> None:
    from civilaffairs.testing import resident_id

    with pytest.raises(CivilAffairsError):
        resident_id(sequence=500)
    with pytest.raises(CivilAffairsError):
        resident_id(region="999999")
    with pytest.raises(CivilAffairsError):
        resident_id(birth_date="2999-01-01")


def test_a_check_run_after_a_newer_law_says_it_is_not_modelled() -> None:
    import attrs as _attrs

    later = _attrs.evolve(CHECK, superseded_on=_dt.date(2026, 1, 1), superseded_by="新法")
    reg = isolated_registry({"demo": Demo()})
    before = run_check(later, Meeting("M", "110105", 10, 6), "2025-12-31", registry=reg)
    after = run_check(later, Meeting("M", "110105", 10, 6), "2026-01-01", registry=reg)
    assert "law" not in before.decisions[0].facts
    assert "新法" in after.decisions[0].facts["law"]
    assert after.decisions[0].passed == before.decisions[0].passed


def test_self_governance_checks_flag_the_2026_texts() -> None:
    from civilaffairs.modules.self_governance import ELECTION

    record = ELECTION.structure(
        {
            "type": "committee_election",
            "kind": "village",
            "registered_voters": 100,
            "ballots_cast": 60,
            "seats": 3,
            "candidates": [
                {"name": "甲", "votes": 40},
                {"name": "乙", "votes": 35},
                {"name": "丙", "votes": 31},
            ],
        }
    )
    result = run_check(ELECTION, record, "2026-06-01", registry=isolated_registry())
    assert "2026-01-01" in result.decisions[0].facts["law"]

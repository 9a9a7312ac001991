"""The volunteers module: registration of adults and minors, the record certificate and its
printed form, star levels from registered thresholds, and the record audit."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civilaffairs import hookimpl
from civilaffairs.checks import run_check
from civilaffairs.cli import main
from civilaffairs.convert import structure
from civilaffairs.errors import CivilAffairsError, ValidationError
from civilaffairs.ids import ResidentId, resident_id_check_char
from civilaffairs.modules import volunteers as vo
from civilaffairs.money import Money
from civilaffairs.testing import isolated_registry

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples" / "volunteers"
ID_RUN = re.compile(r"\d{17}[\dXx]")
NAME = "林晓雨"


def rid(birth: dt.date, seq: str = "001") -> ResidentId:
    first = f"110105{birth:%Y%m%d}{seq}"
    return ResidentId.parse(first + resident_id_check_char(first))


def registration(birth: dt.date, on: dt.date, consent: bool | None = None) -> Any:
    return vo.VolunteerRegistration(
        id="V",
        region="110105",
        id_number=rid(birth),
        registered_on=on,
        contact=True,
        guardian_consent=consent,
    )


def test_adult_registers_without_consent_minor_needs_it() -> None:
    on = dt.date(2025, 3, 1)
    adult = run_check(vo.REGISTRATION, registration(dt.date(2000, 1, 1), on), on).decisions[0]
    assert (adult.outcome, adult.passed) == ("meets_conditions", True)
    refused = run_check(vo.REGISTRATION, registration(dt.date(2010, 1, 1), on, False), on)
    assert refused.decisions[0].outcome == "fails"
    consented = run_check(vo.REGISTRATION, registration(dt.date(2010, 1, 1), on, True), on)
    # the minimum age is not set nationally: said, not passed silently
    assert consented.decisions[0].outcome == "not_all_tested"
    min_age = next(c for c in consented.decisions[0].conditions if c.id == "min_age")
    assert min_age.passed is None and "not set" in min_age.label("en")


@given(birth=st.dates(dt.date(1950, 1, 1), dt.date(2015, 12, 31)), consent=st.booleans())
def test_eighteenth_birthday_is_the_boundary(birth: dt.date, consent: bool) -> None:
    on = dt.date(2025, 6, 1)
    d = run_check(vo.REGISTRATION, registration(birth, on, consent), on).decisions[0]
    guardian = next(c for c in d.conditions if c.id == "guardian")
    adult = (on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))) >= 18
    assert guardian.passed is (True if adult else consent)
    assert not ID_RUN.search(json.dumps(d.to_dict()))


def test_bad_registration_names_the_field() -> None:
    with pytest.raises(ValidationError, match="registered_on"):
        registration(dt.date(2010, 1, 1), dt.date(2009, 1, 1))
    data = json.loads((EXAMPLES / "registration-minor.json").read_text())
    data.pop("type")
    with pytest.raises(ValidationError, match="via"):
        structure({**data, "via": "phone"}, vo.VolunteerRegistration)
    with pytest.raises(ValidationError) as info:
        structure({**data, "id_number": "110105201001010011"}, vo.VolunteerRegistration)
    assert "110105201001010011" not in str(info.value)


def record(**kw: Any) -> vo.VolunteerRecord:
    base: dict[str, Any] = {
        "id": "CERT-1",
        "region": "110105",
        "organization": "示例服务队",
        "id_number": rid(dt.date(1990, 3, 7)),
        "name": NAME,
        "requested_on": dt.date(2025, 6, 1),
        "entries": (
            vo.ServiceEntry(activity_id="A", date=dt.date(2025, 3, 1), content="助老", minutes=90),
            vo.ServiceEntry(activity_id="B", date=dt.date(2025, 4, 1), content="导读", minutes=45),
        ),
    }
    base.update(kw)
    return vo.VolunteerRecord(**base)


def test_certificate_totals_hours_and_prints_masked() -> None:
    result = run_check(vo.CERTIFICATE, record(), "2025-06-02")
    d = result.decisions[0]
    assert (d.outcome, d.facts["star_level"]) == ("certificate", "not set")
    assert {s.name: s.result for s in d.steps}["total_hours"] == "2.25"
    for lang in ("zh", "en"):
        text = vo.render_certificate(result, lang)
        assert "2.25" in text and "110105********" in text
        assert NAME not in text and not ID_RUN.search(text)
    assert "志愿服务记录证明" in vo.render_certificate(result, "zh")
    assert NAME not in json.dumps(result.to_dict())


def test_certificate_is_free_and_needs_records() -> None:
    paid = run_check(vo.CERTIFICATE, record(fee=Money.yuan(10)), "2025-06-02")
    assert paid.decisions[0].outcome == "refused"
    assert "free" in vo.render_certificate(paid, "en")
    empty = run_check(vo.CERTIFICATE, record(entries=()), "2025-06-02")
    assert empty.decisions[0].outcome == "refused"
    with pytest.raises(CivilAffairsError):
        vo.render_certificate(
            run_check(
                vo.REGISTRATION,
                registration(dt.date(2000, 1, 1), dt.date(2025, 1, 1)),
                "2025-01-01",
            )
        )


def test_entries_after_the_request_are_refused() -> None:
    late = vo.ServiceEntry(activity_id="A", date=dt.date(2025, 7, 1), content="x", minutes=10)
    with pytest.raises(ValidationError, match=r"entries\[0\]\.date"):
        record(entries=(late,))


LADDER = ("100", "300", "600", "1000", "1500")


class StarPlugin:
    @hookimpl
    def civilaffairs_register_standards(self, register: Any) -> None:
        for n, hours in enumerate(LADDER, 1):
            register.add(
                f"volunteers.star.{n}",
                "440000",
                "2014-01-01",
                hours,
                source={"issuer": "广东省", "title": "星级志愿者认定（测试）"},
            )


def test_star_level_from_registered_thresholds() -> None:
    registry = isolated_registry(StarPlugin())
    entries = tuple(
        vo.ServiceEntry(
            activity_id=f"A{i}",
            date=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            content="服务",
            minutes=600,
        )
        for i in range(40)
    )  # 400 hours
    rec = record(region="440106", entries=entries)
    d = run_check(vo.CERTIFICATE, rec, "2025-06-02", registry=registry).decisions[0]
    assert d.facts["star_level"] == "2"
    beijing = run_check(vo.CERTIFICATE, record(entries=entries), "2025-06-02", registry=registry)
    assert beijing.decisions[0].facts["star_level"] == "not set"


@given(hours=st.integers(0, 3000), more=st.integers(0, 500))
def test_star_level_is_monotone(hours: int, more: int) -> None:
    ladder = [Decimal(h) for h in LADDER]
    low = vo.star_level(Decimal(hours), ladder)
    high = vo.star_level(Decimal(hours + more), ladder)
    assert low is not None and high is not None and 0 <= low <= high <= 5
    assert (low >= 1) is (hours >= 100)


def log(entries: list[dict[str, Any]]) -> vo.ServiceLog:
    return structure(
        {
            "id": "L",
            "region": "110105",
            "activities": [
                {"id": "A", "date": "2025-05-10", "start": "09:00", "end": "12:00"},
                {"id": "B", "date": "2025-05-10", "start": "11:00", "end": "13:00"},
                {"id": "C", "date": "2025-05-10", "start": "12:00", "end": "14:00"},
            ],
            "entries": entries,
        },
        vo.ServiceLog,
    )


WHO = str(rid(dt.date(1990, 3, 7)).unmasked)


def test_audit_finds_overlap_duplicate_and_excess() -> None:
    audited = run_check(
        vo.AUDIT,
        log(
            [
                {"id": "1", "id_number": WHO, "activity_id": "A", "minutes": 180},
                {"id": "2", "id_number": WHO, "activity_id": "B", "minutes": 60},
                {"id": "3", "id_number": WHO, "activity_id": "B", "minutes": 60},
                {"id": "4", "id_number": WHO, "activity_id": "C", "start": "13:00", "minutes": 90},
            ]
        ),
        "2025-06-01",
    )
    (d,) = audited.decisions
    assert d.outcome == ("duplicate", "overlap", "above_span")
    labels = " ".join(c.label("en") for c in d.conditions)
    assert "2=3" in labels and "1×2" in labels and "4 (1.50 h > 1.00 h)" in labels
    assert d.subject == "110105********" + WHO[-4:]


def test_back_to_back_activities_do_not_overlap() -> None:
    audited = run_check(
        vo.AUDIT,
        log(
            [
                {"id": "1", "id_number": WHO, "activity_id": "A", "minutes": 180},
                {"id": "2", "id_number": WHO, "activity_id": "C", "minutes": 120},
            ]
        ),
        "2025-06-01",
    )
    assert audited.decisions[0].outcome == "consistent"


def test_bad_log_names_the_field() -> None:
    with pytest.raises(ValidationError, match=r"entries\[0\]\.activity_id"):
        log([{"id": "1", "id_number": WHO, "activity_id": "Z", "minutes": 1}])
    with pytest.raises(ValidationError, match=r"entries\[0\]\.minutes"):
        log([{"id": "1", "id_number": WHO, "activity_id": "A", "minutes": -5}])
    with pytest.raises(ValidationError, match=r"activities\[0\]\.start"):
        structure(
            {
                "id": "L",
                "region": "110105",
                "activities": [{"id": "A", "date": "2025-05-10", "start": "25:00", "end": "26:00"}],
            },
            vo.ServiceLog,
        )


@pytest.mark.parametrize(
    ("check", "name", "outcome"),
    [
        ("volunteers.registration", "registration-minor.json", "not_all_tested"),
        ("volunteers.record_certificate", "service-record.json", "certificate"),
    ],
)
def test_examples_json_shape(
    check: str, name: str, outcome: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["check", check, str(EXAMPLES / name), "--on", "2025-07-01", "--format", "json"]) == 0
    )
    out = capsys.readouterr().out
    data = json.loads(out)
    assert set(data) == {"record", "on", "check", "decisions"}
    assert data["decisions"][0]["outcome"] == outcome
    assert not ID_RUN.search(out) and NAME not in out


def test_example_log_outcomes(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "check",
                "volunteers.record_audit",
                str(EXAMPLES / "service-log.json"),
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [d["outcome"] for d in data["decisions"]] == [["overlap"], ["duplicate"], ["above_span"]]


def test_cli_bad_record_one_line(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.loads((EXAMPLES / "registration-minor.json").read_text())
    bad = {**good, "id_number": "110105201001010011"}
    path = tmp_path / "regs.json"
    path.write_text(json.dumps([good, bad, good], ensure_ascii=False))
    assert (
        main(["check", "volunteers.registration", str(path), "--format", "json", "--lang", "en"])
        == 1
    )
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 2
    lines = [x for x in captured.err.splitlines() if x.strip()]
    assert len(lines) == 1 and "id_number" in lines[0] and "[1]" in lines[0]
    assert not ID_RUN.search(captured.err)

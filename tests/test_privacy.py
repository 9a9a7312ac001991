"""No whole resident ID or name leaks into any repr, str, error, explanation or output."""

from __future__ import annotations

import json
import pathlib

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civilaffairs import assess
from civilaffairs.cli import main
from civilaffairs.convert import dumps, structure, unstructure
from civilaffairs.domain import Household
from civilaffairs.errors import CivilAffairsError
from civilaffairs.testing import strategies as cst
from programs_support import MONTH, registry


def _secrets(home: Household) -> list[str]:
    out = [p.id_number.unmasked for p in home.members if p.id_number is not None]
    out += [p.name for p in home.members if p.name and len(p.name) > 1]
    return out


def _assert_clean(text: str, secrets: list[str], *, names: bool = True) -> None:
    for secret in secrets:
        if secret.isdigit() or secret[:17].isdigit() or names:
            assert secret not in text


@given(cst.households(region="110105"))
def test_household_reprs_errors_and_decisions(home: Household) -> None:
    ids = [p.id_number.unmasked for p in home.members if p.id_number is not None]
    shown = [repr(home), str(home), *(repr(p) for p in home.members)]
    for text in shown:
        _assert_clean(text, ids, names=False)
    a = assess(home, MONTH, registry=registry())
    texts = [a.render("zh"), a.render("en"), a.to_json("zh"), a.to_json("en"), repr(a)]
    for text in texts:
        _assert_clean(text, _secrets(home))
    _assert_clean(dumps(home, for_audit=True), _secrets(home))


@given(cst.households(region="110105"), st.integers(0, 5))
def test_validation_errors_mask_identifiers(home: Household, which: int) -> None:
    data = unstructure(home)
    member = data["members"][which % len(data["members"])]
    if not member.get("id_number"):
        return
    whole = member["id_number"]
    member["id_number"] = whole[:-1] + ("0" if whole[-1] != "0" else "1")  # bad check digit
    member["sex"] = "female" if member.get("sex") == "male" else "male"
    with pytest.raises(CivilAffairsError) as info:
        structure(data, Household)
    assert member["id_number"] not in str(info.value)
    assert whole not in str(info.value)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(home=cst.households(region="110105", min_members=2))
def test_cli_outputs_mask_identifiers(
    home: Household,
    tmp_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import civilaffairs.registry

    monkeypatch.setattr(civilaffairs.registry, "get_registry", lambda **_: registry())
    home = attrs.evolve(home, id="PRIV-1")
    path = tmp_path / "home.json"
    path.write_text(dumps(home), encoding="utf-8")
    broken = json.loads(dumps(home))
    for m in broken["members"]:
        if m.get("id_number"):
            m["id_number"] = m["id_number"][:-1] + ("0" if m["id_number"][-1] != "0" else "1")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    for args in (
        ["assess", str(path), "--on", MONTH],
        ["assess", str(path), "--on", MONTH, "--format", "json"],
        ["validate", str(path), str(bad)],
        ["assess", str(bad), "--on", MONTH],
    ):
        main(args)
        out, err = capsys.readouterr()
        ids = [p.id_number.unmasked for p in home.members if p.id_number is not None]
        ids += [m["id_number"] for m in broken["members"] if m.get("id_number")]
        _assert_clean(out + err, ids, names=False)

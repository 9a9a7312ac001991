"""One masking routine at every output boundary: resident IDs written whole, with spaces or
hyphens, never leave a command whole, and error messages never echo a name."""

from __future__ import annotations

import copy
import json
import pathlib
import re

import pytest

from civilaffairs.cli import main
from civilaffairs.ids import mask_text
from programs_support import registry

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "households" / "beijing-3.json"

#: A valid resident ID, and the ways it is written on forms.
SECRET = "11010519491231002X"
WRITTEN = (
    "11010519491231002X",
    "11010519491231002x",
    "110105 19491231 002X",
    "110105-1949-1231-002X",
    "1101 0519 4912 3100 2X",
    "110105\u300019491231\u3000002X",
    "110105\u20141949\u20141231\u2014002X",
    "１１０１０５１９４９１２３１００２Ｘ",
)
MEMBER_IDS = ("110105198503120178", "110105198707220242", "110105201509010468")
NAMES = ("王建国", "李秀英", "王小雨", "欧阳娜娜")
_SEPARATORS = re.compile("[ \u00a0\u3000\\-\u2010-\u2014\u2212\uff0d]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


@pytest.fixture(autouse=True)
def fixture_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    import civilaffairs.registry

    monkeypatch.setattr(civilaffairs.registry, "get_registry", lambda **_: registry())


def _assert_no_whole_id_or_name(text: str) -> None:
    compact = _SEPARATORS.sub("", text).translate(_FULLWIDTH).upper()
    for secret in (SECRET, *MEMBER_IDS):
        assert secret not in compact, text
        assert secret[:17] not in compact, text
    for name in NAMES:
        assert name not in text, text


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    _assert_no_whole_id_or_name(out + err)
    assert "Traceback" not in out + err
    return code, out, err


def _beijing() -> dict[str, object]:
    data: dict[str, object] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


# -- the routine ------------------------------------------------------------------------------


@pytest.mark.parametrize("written", WRITTEN)
def test_mask_text_masks_ids_written_whole_or_with_separators(written: str) -> None:
    for text in (written, f"household {written}", f"id={written}; next", f"张三{written}号"):
        masked = mask_text(text)
        assert "********" in masked
        _assert_no_whole_id_or_name(masked)


@pytest.mark.parametrize(
    "text",
    [
        "2024-08-15 2024-09-30: 1450.00",
        "差额: threshold - countable_income = 4350.00 - 3600.00 = 750.00",
        "1,234,567.89 元",
        "BJ-110105-000123",
        "110105（城镇）在 2024-08-01",
    ],
)
def test_mask_text_leaves_dates_amounts_and_codes_alone(text: str) -> None:
    assert mask_text(text) == text


# -- every command ------------------------------------------------------------------------------


@pytest.mark.parametrize("written", WRITTEN[2:4])
def test_ids_with_separators_are_masked_in_every_command(
    written: str, capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    good = _beijing()
    good["id"] = f"户 {written}"
    bad = copy.deepcopy(good)
    members = bad["members"]
    assert isinstance(members, list)
    members[1]["relation"] = "欧阳娜娜"
    members[2]["in_school"] = written
    bad["region"] = written
    households = tmp_path / "hostile.json"
    households.write_text(json.dumps([good, bad], ensure_ascii=False), encoding="utf-8")
    lines = tmp_path / "hostile.ndjson"
    lines.write_text(
        "\n".join(json.dumps(h, ensure_ascii=False) for h in (good, bad)), encoding="utf-8"
    )

    for lang in ("zh", "en"):
        for fmt in ("text", "json"):
            args = ["assess", str(households), "--on", "2024-08", "--lang", lang, "--format", fmt]
            code, out, err = _run(capsys, *args)
            assert code == 1
            assert "110105********002X" in out
            assert err
        code, out, err = _run(capsys, "validate", str(households), str(lines), "--lang", lang)
        assert code == 1 and err
    # Arguments echoed back in errors.
    assert _run(capsys, "assess", str(households), "--on", written)[0] == 1
    assert _run(capsys, "assess", str(households), "--on", "2024-08", "--program", written)[0]
    assert _run(capsys, "id", written, "--on", written)[0] != 0
    assert _run(capsys, "id", written)[0] != 0
    assert _run(capsys, "region", written)[0] != 0
    assert _run(capsys, "region", "11010519491231002X")[0] != 0
    assert _run(capsys, "validate", str(tmp_path / f"{written}.json"))[0] != 0
    assert _run(capsys, "assess", "--format", written, str(households))[0] != 0


def test_household_id_holding_an_id_is_masked_in_the_assessment() -> None:
    from civilaffairs import assess
    from civilaffairs.convert import structure
    from civilaffairs.domain import Household
    from civilaffairs.periods import Month

    data = _beijing()
    data["id"] = "110105-1949-1231-002X"
    home = structure(data, Household)
    result = assess(home, Month(2024, 8), registry=registry())
    for lang in ("zh", "en"):
        shown = [result.render(lang), json.dumps(result.to_dict(lang), ensure_ascii=False)]
        shown += [repr(home), repr(result), *(repr(d) for d in result.decisions)]
        for text in shown:
            _assert_no_whole_id_or_name(text)
    assert result.to_dict()["household"] == "110105********002X"


# -- no free text echoed in error messages ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("relation", "欧阳娜娜"),
        ("relation", "Ouyang Nana"),
        ("hukou", "欧阳娜娜"),
        ("birth_date", "欧阳娜娜"),
    ],
)
def test_a_name_typed_into_a_coded_field_is_not_echoed(field: str, value: str) -> None:
    from civilaffairs.convert import structure
    from civilaffairs.domain import Household
    from civilaffairs.errors import ValidationError

    data = _beijing()
    members = data["members"]
    assert isinstance(members, list)
    members[1][field] = value
    with pytest.raises(ValidationError) as info:
        structure(data, Household)
    texts = [str(info.value), info.value.message_zh, info.value.message_en]
    texts += [e.text(lang) for e in info.value.errors for lang in ("zh", "en")]
    for text in texts:
        assert value not in text
        assert f"members[1].{field}" in text or "members[1]" in str(info.value)


@pytest.mark.parametrize(
    ("where", "value"),
    [("region", "欧阳娜娜的家"), ("assets[0].value", "欧阳娜娜"), ("region", SECRET)],
)
def test_region_and_money_errors_name_the_field_not_the_value(where: str, value: str) -> None:
    from civilaffairs.convert import structure
    from civilaffairs.domain import Household
    from civilaffairs.errors import ValidationError

    data = _beijing()
    if where == "region":
        data["region"] = value
    else:
        assets = data["assets"]
        assert isinstance(assets, list)
        assets[0]["value"] = value
    with pytest.raises(ValidationError) as info:
        structure(data, Household)
    for lang in ("zh", "en"):
        text = info.value.text(lang)
        assert value not in text
        assert where in text


def test_a_near_miss_suggests_the_candidate() -> None:
    from civilaffairs.convert import structure
    from civilaffairs.domain import Household
    from civilaffairs.errors import ValidationError

    data = _beijing()
    data["residence"] = "Urban"
    with pytest.raises(ValidationError, match="did you mean 'urban'"):
        structure(data, Household)

"""``civilaffairs assess``: output contract, errors, and no identifier leaks."""

from __future__ import annotations

import json
import pathlib

import pytest

from civilaffairs.cli import main
from programs_support import registry

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "households" / "beijing-3.json"
IDS = ("110105198503120178", "110105198707220242", "110105201509010468")


@pytest.fixture(autouse=True)
def fixture_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    import civilaffairs.registry

    monkeypatch.setattr(civilaffairs.registry, "get_registry", lambda **_: registry())


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["assess", *args])
    out, err = capsys.readouterr()
    for secret in IDS:
        assert secret not in out and secret not in err
    assert "Traceback" not in out + err
    return code, out, err


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(EXAMPLE), "--on", "2024-08")
    assert code == 0
    assert "✓ 城乡最低生活保障: 750.00 元" in out
    assert "差额: threshold - countable_income = 4350.00 - 3600.00 = 750.00" in out


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        str(EXAMPLE),
        "--on",
        "2024-08",
        "--format",
        "json",
        "--program",
        "dibao",
        "--lang",
        "en",
    )
    assert code == 0
    data = json.loads(out)
    assert data["household"] == "BJ-110105-000123"
    assert data["month"] == "2024-08"
    (dibao,) = data["decisions"]
    assert dibao["program"] == "dibao"
    assert dibao["eligible"] is True
    assert dibao["amount"] == "750.00"
    cond = dibao["conditions"][0]
    assert set(cond) >= {"id", "passed", "label"}
    std = dibao["standards"][0]
    assert set(std) >= {"key", "region", "value", "effective_from", "source", "plugin"}
    assert dibao["steps"]


def test_missing_standard_is_one_line_and_non_zero(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    home["region"] = "330106"
    bad = tmp_path / "hangzhou.json"
    bad.write_text(json.dumps(home, ensure_ascii=False), encoding="utf-8")
    code, out, err = _run(capsys, str(bad), "--on", "2024-08", "--program", "dibao")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "dibao.standard" in lines[0] and "330106" in lines[0] and "2024-08-01" in lines[0]


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x", "region": ', encoding="utf-8")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        json.dumps(
            {
                "id": "W",
                "region": "110105",
                "residence": "urban",
                "members": [{"relation": "head", "id_number": IDS[0][:-1] + "0"}],
            }
        ),
        encoding="utf-8",
    )
    code, out, err = _run(
        capsys, str(broken), str(EXAMPLE), str(wrong), "--on", "2024-08", "--lang", "en"
    )
    assert code == 1
    assert "750.00 yuan" in out  # the good household was assessed
    assert f"error: {broken}: " in err and "not valid JSON" in err
    assert f"error: {wrong}: members[0].id_number" in err
    code, out, err = _run(capsys, str(broken), str(EXAMPLE), str(wrong), "--on", "2024-08")
    assert code == 1
    assert "750.00" in out
    assert f"错误：{broken}：不是有效的 JSON" in err
    assert f"错误：{wrong}：members[0].id_number：身份证号码" in err


def test_jsonl_and_lists(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    many = tmp_path / "many.json"
    many.write_text(json.dumps([home, {**home, "id": "second"}]), encoding="utf-8")
    code, out, _ = _run(capsys, str(many), "--on", "2024-08", "--format", "json")
    assert code == 0
    assert [d["household"] for d in json.loads(out)] == ["BJ-110105-000123", "second"]
    lines = tmp_path / "many.jsonl"
    lines.write_text(json.dumps(home) + "\n" + "{oops\n", encoding="utf-8")
    code, out, err = _run(capsys, str(lines), "--on", "2024-08")
    assert code == 1
    assert "750.00" in out
    assert f"错误：{lines}:2：" in err


def test_bad_month_and_programme(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, str(EXAMPLE), "--on", "2024-13")
    assert code == 1 and "2024-13" in err
    code, _, err = _run(capsys, str(EXAMPLE), "--on", "2024-08", "--program", "nope")
    assert code == 1 and "未知的救助项目 'nope'" in err
    code, _, err = _run(
        capsys, str(EXAMPLE), "--on", "2024-08", "--program", "nope", "--lang", "en"
    )
    assert code == 1 and "error: " in err and "unknown programme 'nope'" in err


def test_output_to_a_full_disk_is_one_line_and_non_zero() -> None:
    """Writing to /dev/full fails with a one-line message and exit 1, never 'internal error'."""
    import subprocess
    import sys

    full = pathlib.Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full here")
    with full.open("w") as sink:
        done = subprocess.run(
            [sys.executable, "-m", "civilaffairs", "assess", str(EXAMPLE), "--on", "2024-08"],
            stdout=sink,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == ["错误：无法写出: No space left on device"]

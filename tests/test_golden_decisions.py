"""Every bundled example household is decided and explained exactly as recorded.

``tests/golden`` holds the Chinese and English renderings of the assessment of every
``examples/households/*.json`` in two months, and the digest of its JSON form, as the
library produced them when they were recorded (``python tests/golden/update.py``). A change
to the evaluation, the lazy explanation or the rendering that alters one character of what
a decision says fails here, with the first differing line.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden"


def _update() -> Any:
    spec = importlib.util.spec_from_file_location("golden_update", GOLDEN / "update.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["golden_update"] = module
    spec.loader.exec_module(module)
    return module


UPDATE = _update()
RECORDED: dict[str, str] = json.loads((GOLDEN / "decisions.json").read_text())


@pytest.fixture(scope="module")
def produced() -> dict[str, tuple[str, str, str]]:
    result: dict[str, tuple[str, str, str]] = UPDATE.renderings()
    return result


def _first_difference(got: str, want: str) -> str:
    for n, (a, b) in enumerate(zip(got.splitlines(), want.splitlines(), strict=False), 1):
        if a != b:
            return f"line {n}:\n  got:  {a}\n  want: {b}"
    return f"lengths differ: {len(got)} against {len(want)} characters"


def test_every_example_is_recorded(produced: dict[str, tuple[str, str, str]]) -> None:
    assert sorted(produced) == sorted(RECORDED)
    assert len(RECORDED) >= 10  # five households, two months


@pytest.mark.parametrize("stem", sorted(RECORDED))
def test_the_texts_and_the_json_are_as_recorded(
    stem: str, produced: dict[str, tuple[str, str, str]]
) -> None:
    zh, en, json_digest = produced[stem]
    for lang, text in (("zh", zh), ("en", en)):
        want = (GOLDEN / "decisions" / f"{stem}.{lang}.txt").read_text(encoding="utf-8")
        got = text + "\n"
        assert got == want, f"{stem}.{lang}: {_first_difference(got, want)}"
    assert json_digest == RECORDED[stem], f"{stem}: the JSON form differs"

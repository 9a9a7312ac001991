"""Write the expected renderings of every bundled example household.

    python tests/golden/update.py

For each ``examples/households/*.json`` and each month of :data:`MONTHS`, with the bundled
plugins installed: the assessment of every programme rendered in Chinese and in English
(``decisions/<name>-<month>.zh.txt`` / ``.en.txt``) and the SHA-256 of its JSON form
(``decisions.json``: ``to_dict`` in Chinese and in English, canonical JSON). The test
``tests/test_golden_decisions.py`` compares the library's output with these files; run this
script after a change that is meant to change what a decision says, and read the diff.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[1] / "examples" / "households"
MONTHS = ("2024-08", "2025-03")


def digest(document: Any) -> str:
    """SHA-256 of *document* as canonical JSON."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def renderings() -> dict[str, tuple[str, str, str]]:
    """``{"<name>-<month>": (Chinese text, English text, JSON digest)}``."""
    from civilaffairs import Household, assess
    from civilaffairs.convert import load_json

    out: dict[str, tuple[str, str, str]] = {}
    for path in sorted(EXAMPLES.glob("*.json")):
        household = load_json(path, Household)
        for month in MONTHS:
            a = assess(household, month)
            both = {"zh": a.to_dict("zh"), "en": a.to_dict("en")}
            out[f"{path.stem}-{month}"] = (a.render("zh"), a.render("en"), digest(both))
    return out


def main() -> int:
    target = HERE / "decisions"
    target.mkdir(exist_ok=True)
    for old in target.glob("*.txt"):
        old.unlink()
    digests = {}
    for stem, (zh, en, json_digest) in renderings().items():
        (target / f"{stem}.zh.txt").write_text(zh + "\n", encoding="utf-8")
        (target / f"{stem}.en.txt").write_text(en + "\n", encoding="utf-8")
        digests[stem] = json_digest
    (HERE / "decisions.json").write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(digests)} assessments to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

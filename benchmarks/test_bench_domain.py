"""Domain and converter benchmarks: one household from JSON data, and a registry in JSON Lines.

Run with ``nox -s bench`` (or ``pytest benchmarks/test_bench_domain.py --benchmark-only``).
"""

from __future__ import annotations

import copy
import json
import pathlib
import time
from typing import Any

import pytest

from civilaffairs.convert import read_jsonl, structure, unstructure
from civilaffairs.domain import Household
from civilaffairs.ids import resident_id_check_char

HOUSEHOLDS = 100_000
EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def _rid(area: str, born: str, seq: int) -> str:
    first17 = f"{area}{born}{seq % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def five_members(n: int = 0) -> dict[str, Any]:
    """A 5-member household (three generations) as JSON-ready data; *n* varies the IDs."""
    data: dict[str, Any] = json.loads(
        (EXAMPLES / "households" / "beijing-3.json").read_text(encoding="utf-8")
    )
    data["id"] = f"BJ-110105-{n:06d}"
    born = ["19850312", "19870722", "20150901"]
    for member, day in zip(data["members"], born, strict=True):
        member["id_number"] = _rid("110105", day, 2 * n + (member["relation"] == "head"))
    data["members"] += [
        {
            "id_number": _rid("110105", "19550410", 2 * n + 1),
            "name": "王德厚",
            "relation": "parent",
            "employment": "retired",
            "incomes": [{"kind": "transfer", "monthly": "3150.00"}],
        },
        {
            "id_number": _rid("110105", "19580105", 2 * n),
            "name": "张淑珍",
            "relation": "parent",
            "disability": {"category": "physical", "grade": 2},
            "self_care": "partial",
            "incomes": [{"kind": "pension_basic", "monthly": "960.00"}],
        },
    ]
    return data


def test_structure_one_five_member_household(benchmark) -> None:  # type: ignore[no-untyped-def]
    """Structure and validate one 5-member household from JSON-ready data (µs)."""
    data = five_members()
    result = benchmark(structure, data, Household)
    assert result.size == 5


def test_unstructure_one_five_member_household(benchmark) -> None:  # type: ignore[no-untyped-def]
    """The reverse: a 5-member household to JSON-ready data (µs)."""
    home = structure(five_members(), Household)
    result = benchmark(unstructure, home)
    assert len(result["members"]) == 5


@pytest.fixture(scope="module")
def registry_file(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """100,000 distinct 5-member households in JSON Lines."""
    path = tmp_path_factory.mktemp("bench") / "registry.jsonl"
    template = five_members()
    with path.open("w", encoding="utf-8") as f:
        for n in range(HOUSEHOLDS):
            data = copy.deepcopy(template) if n == 0 else five_members(n)
            f.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    return path


def test_structure_100k_households_from_json_lines(  # type: ignore[no-untyped-def]
    benchmark, registry_file: pathlib.Path
) -> None:
    """Read, parse, structure and validate 100,000 households from JSON Lines (households/s)."""

    def read_all() -> int:
        return sum(1 for result in read_jsonl(registry_file, Household) if result.ok)

    start = time.perf_counter()
    valid = benchmark.pedantic(read_all, rounds=1, iterations=1)
    seconds = time.perf_counter() - start
    assert valid == HOUSEHOLDS
    benchmark.extra_info["households"] = HOUSEHOLDS
    benchmark.extra_info["households_per_second"] = round(HOUSEHOLDS / seconds)
    print(f"\n{HOUSEHOLDS} households in {seconds:.2f} s: {HOUSEHOLDS / seconds:,.0f} households/s")

"""Foundation and single-case benchmarks: import time, parsing, one explained assessment.

Run with ``nox -s bench`` (or ``pytest benchmarks --benchmark-only``).
"""

from __future__ import annotations

import subprocess
import sys

from civilaffairs import assess
from civilaffairs.ids import ResidentId
from civilaffairs.money import Money
from programs_support import MONTH, beijing_three, registry


def test_import_civilaffairs(benchmark) -> None:  # type: ignore[no-untyped-def]
    """Wall time of a fresh interpreter importing the package (minus a bare interpreter)."""

    def run() -> None:
        subprocess.run([sys.executable, "-c", "import civilaffairs"], check=True)

    benchmark.pedantic(run, rounds=10, iterations=1)


def test_bare_interpreter(benchmark) -> None:  # type: ignore[no-untyped-def]
    """The baseline for the import benchmark."""

    def run() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    benchmark.pedantic(run, rounds=10, iterations=1)


def test_resident_id_parse(benchmark) -> None:  # type: ignore[no-untyped-def]
    ResidentId.parse("11010519491231002X")  # load the region table first
    result = benchmark(ResidentId.parse, "11010519491231002X")
    assert result.region_code == "110105"


def test_money_parse(benchmark) -> None:  # type: ignore[no-untyped-def]
    result = benchmark(Money.parse, "1,450.50")
    assert result.fen == 145050


def test_assess_three_members_all_programmes(benchmark) -> None:  # type: ignore[no-untyped-def]
    """One 3-member household, every national programme: the outcomes (eligibility, amount,
    first failing condition). The explanation is built when first read."""
    reg = registry()
    home = beijing_three()
    result = benchmark(assess, home, MONTH, registry=reg)
    assert result["dibao"].amount == Money.parse("750.00")


def test_assess_three_members_full_explanation(benchmark) -> None:  # type: ignore[no-untyped-def]
    """The same, with every decision's explanation built: conditions, standards, policies,
    income lines and every step with its operands."""
    reg = registry()
    home = beijing_three()

    def run() -> object:
        a = assess(home, MONTH, registry=reg)
        for d in a.decisions:
            assert d.explanation.steps is not None
        return a

    result = benchmark(run)
    assert result["dibao"].amount == Money.parse("750.00")


def test_assess_three_members_rendered(benchmark) -> None:  # type: ignore[no-untyped-def]
    """What a caseworker reads: the assessment rendered as Chinese text."""
    reg = registry()
    home = beijing_three()
    text = benchmark(lambda: assess(home, MONTH, registry=reg).render("zh"))
    assert "750.00 元" in text

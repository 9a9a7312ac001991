"""Assessing one household in a fresh process imports neither numpy nor pyarrow.

numpy and pyarrow serve the column-wise evaluator, the compiled standard tables and the Arrow
helpers of the service modules; one household needs none of them, and importing them would
add tens of milliseconds to every short-lived process (a CLI call, a worker's first request).
Each check runs in a new interpreter, since this test process has imported both long ago.
"""

from __future__ import annotations

import importlib.metadata
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOUSEHOLDS = sorted((ROOT / "examples" / "households").glob("*.json"))
HEAVY = ("numpy", "pyarrow")

_CHILD = r"""
import json, sys
import civilaffairs
from civilaffairs import Household, assess
import civilaffairs.convert
from civilaffairs.registry import get_registry

household = civilaffairs.convert.load_json(sys.argv[1], Household)
assessment = assess(household, sys.argv[2])
report = {
    "programs": sorted(d.program for d in assessment.decisions),
    "plugins": sorted(p.name for p in get_registry().plugins if p.status == "loaded"),
    "after_assess": sorted(m for m in sys.modules if m.split(".")[0] in ("numpy", "pyarrow")),
}
# Control: the bulk side of the same process does import numpy, so the check above can fail.
get_registry().standards.compile("dibao.standard")
report["after_compile"] = "numpy" in sys.modules
print(json.dumps(report))
"""


def _run(code: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_there_are_example_households() -> None:
    assert len(HOUSEHOLDS) >= 5


@pytest.mark.parametrize("path", HOUSEHOLDS, ids=lambda p: p.name)
def test_assessing_one_household_imports_no_numpy_or_pyarrow(path: pathlib.Path) -> None:
    report = _run(_CHILD, str(path), "2024-08")
    assert report["programs"], "the household was assessed for no programme"
    assert report["after_assess"] == [], f"imported on the single-household path: {report}"
    assert report["after_compile"] is True


def test_every_installed_plugin_is_loaded_in_the_child() -> None:
    installed = {ep.name for ep in importlib.metadata.entry_points(group="civilaffairs")}
    report = _run(_CHILD, str(HOUSEHOLDS[0]), "2024-08")
    names = report["plugins"]
    assert isinstance(names, list)
    assert "national" in names
    assert installed <= set(names), f"installed {sorted(installed)}, loaded {names}"


def test_the_arrow_schemas_of_the_children_module_are_built_on_first_access() -> None:
    code = r"""
import json, sys
import civilaffairs.modules.children as children
before = "pyarrow" in sys.modules
from civilaffairs.modules.children import CLASSIFIED_SCHEMA, LEDGER_SCHEMA
import pyarrow as pa
print(json.dumps({
    "before": before,
    "schemas": isinstance(LEDGER_SCHEMA, pa.Schema) and isinstance(CLASSIFIED_SCHEMA, pa.Schema),
    "same": children.LEDGER_SCHEMA is LEDGER_SCHEMA,
    "ledger": children.empty_ledger().schema.equals(LEDGER_SCHEMA),
    "names": CLASSIFIED_SCHEMA.names,
}))
"""
    report = _run(code)
    assert report == {
        "before": False,
        "schemas": True,
        "same": True,
        "ledger": True,
        "names": [
            "row",
            "household_id",
            "member",
            "age",
            "left_behind",
            "poverty",
            "disability",
            "guardianship",
        ],
    }


def test_a_lazy_module_is_imported_on_first_attribute_read_only() -> None:
    code = r"""
import json, sys
from civilaffairs._lazy import lazy_module
np = lazy_module("numpy")
before = "numpy" in sys.modules
arr = np.arange(3)
print(json.dumps({
    "before": before,
    "after": "numpy" in sys.modules,
    "same": np.ndarray is sys.modules["numpy"].ndarray and isinstance(arr, np.ndarray),
    "sum": int(arr.sum()),
}))
"""
    assert _run(code) == {"before": False, "after": True, "same": True, "sum": 3}


def test_a_missing_attribute_of_a_lazy_module_is_an_attribute_error() -> None:
    from civilaffairs._lazy import lazy_module

    json_module = lazy_module("json")
    with pytest.raises(AttributeError):
        _ = json_module.no_such_name
    with pytest.raises(AttributeError):
        _ = json_module.__wrapped__
    assert json_module.dumps({"a": 1}) == '{"a": 1}'

"""Status terms in bulk input (服刑等期限): a bad term fails its household only, and a
term is read from every form of the statuses column."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa
import pytest

from civilaffairs.bulk.arrow import frame_from_arrow
from civilaffairs.bulk.schema import STATUS_TYPE, BulkInputError
from civilaffairs.domain import StatusKind
from civilaffairs.synth import synth_tables

MONTH = "2024-08"
_BIT = 1 << list(StatusKind).index(StatusKind.PARENT_IMPRISONED)


def _with_statuses(pp: pa.Table, row: int, statuses: Any) -> pa.Table:
    values = pp.column("statuses").to_pylist()
    values[row] = statuses
    i = pp.schema.get_field_index("statuses")
    return pp.set_column(i, pp.schema.field(i), pa.array(values, STATUS_TYPE))


def _jailed(term: Any, kind: str = "parent_imprisoned", parent: Any = "father") -> dict[str, Any]:
    return {"kind": kind, "parent": parent, "since": None, "term_months": term}


@pytest.mark.parametrize(
    ("statuses", "reason"),
    [
        ([_jailed(-3)], "member 1: status term_months -3 is not between 1 and 1200"),
        ([_jailed(0, parent=None)], "member 1: status term_months 0 is not between 1 and 1200"),
        ([_jailed(1201)], "member 1: status term_months 1201 is not between 1 and 1200"),
        (
            [_jailed(None, "orphan", None), _jailed(12, "parent_missing")],
            "member 1: only a parent_imprisoned status has a term, not parent_missing",
        ),
        (
            [_jailed(6, "accident", None)],
            "member 1: only a parent_imprisoned status has a term, not accident",
        ),
    ],
)
def test_a_bad_term_fails_its_household_only(statuses: Any, reason: str) -> None:
    hh, pp = synth_tables(12, seed=5)
    target = hh.column("household_id")[6].as_py()
    pp = _with_statuses(pp, pp.column("household_id").to_pylist().index(target), statuses)
    frame, errors, rows = frame_from_arrow(hh, pp, MONTH, first_row=100)
    assert errors.to_pylist() == [
        {"row": 106, "household_id": target, "reason": errors.column("reason")[0].as_py()}
    ]
    assert errors.column("reason")[0].as_py().startswith(reason)
    assert frame.n == hh.num_rows - 1
    assert 106 not in rows.tolist()


def _one_child(statuses: Any) -> tuple[pa.Table, pa.Table]:
    hh = pa.table({"household_id": ["H-1"], "region": ["110105"], "residence": ["urban"]})
    pp = pa.table(
        {
            "household_id": ["H-1"],
            "birth_date": [dt.date(2015, 3, 1)],
            "sex": ["female"],
            "relation": ["head"],
            "statuses": statuses,
        }
    )
    return hh, pp


def test_a_term_counts_from_csv_text_whatever_was_served() -> None:
    text = json.dumps(
        [
            {
                "kind": "parent_imprisoned",
                "parent": "father",
                "since": "2024-07-01",
                "term_months": 8,
            },
            {"kind": "parent_imprisoned", "parent": "mother", "term_months": "5"},
        ]
    )
    frame, errors, _ = frame_from_arrow(*_one_child(pa.array([text])), MONTH)
    assert errors.num_rows == 0
    pp = frame.pp
    assert [int(pp[c][0]) for c in ("father", "father_6m", "father_term6")] == [_BIT, 0, _BIT]
    assert [int(pp[c][0]) for c in ("mother", "mother_6m", "mother_term6")] == [_BIT, 0, 0]


@pytest.mark.parametrize("term", [True, 6.5, "six"])
def test_a_term_that_is_not_a_whole_number_in_csv_is_a_clear_error(term: Any) -> None:
    text = json.dumps([{"kind": "parent_imprisoned", "parent": "father", "term_months": term}])
    with pytest.raises(BulkInputError, match="term_months"):
        frame_from_arrow(*_one_child(pa.array([text])), MONTH)


def test_an_older_file_without_terms_is_read() -> None:
    old = pa.list_(pa.struct([("kind", pa.string()), ("parent", pa.string())]))
    column = pa.array([[{"kind": "parent_imprisoned", "parent": "father"}]], old)
    frame, errors, _ = frame_from_arrow(*_one_child(column), MONTH)
    assert errors.num_rows == 0
    assert [int(frame.pp[c][0]) for c in ("father", "father_6m", "father_term6")] == [_BIT, 0, 0]

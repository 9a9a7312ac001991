"""End to end, read -> result, beside the hand-written numpy rule in the same run.

    python benchmarks/end_to_end.py REGISTRY_DIR [--repeat 3]

Engine: ``assess_bulk`` of dibao from the Parquet registry to a results file (reading,
validation, duplicate check, frame, rules, writing). Hand-written: read the same Parquet
columns, resolve the dibao standard per household, the numpy dibao of ``bulk_scale.py``, write
the eligibility and amount to Parquet. Prints both times and their ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def _hand(registry: Path, out: Path) -> int:
    from civilaffairs.bulk.arrow import frame_from_arrow
    from civilaffairs.registry import get_registry

    spec = importlib.util.spec_from_file_location(
        "bulk_scale", Path(__file__).with_name("bulk_scale.py")
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bulk_scale"] = module
    spec.loader.exec_module(module)
    hh = pq.read_table(registry / "households.parquet")
    pp = pq.read_table(registry / "persons.parquet")
    frame = frame_from_arrow(hh, pp, "2024-08").frame
    table = get_registry().standards.compile("dibao.standard")
    values, _, _ = table.resolve_many(
        np.asarray(frame.regions), np.datetime64("2024-08-01"), frame.hh["rural"]
    )
    eligible, amount = module._numpy_dibao(frame, values)
    pq.write_table(pa.table({"eligible": eligible, "amount": amount}), out)
    return int(frame.n)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("registry", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from civilaffairs.bulk.run import assess_bulk

    engine, hand = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            summary = assess_bulk(
                args.registry, "2024-08", Path(tmp) / "r.parquet", programs=["dibao"]
            )
            engine.append(time.perf_counter() - t)
            t = time.perf_counter()
            n = _hand(args.registry, Path(tmp) / "h.parquet")
            hand.append(time.perf_counter() - t)
    e, h = min(engine), min(hand)
    print(
        f"{summary.households} households (hand: {n}); engine {e:.2f} s, hand-written numpy "
        f"{h:.2f} s, ratio {e / h:.2f}×"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

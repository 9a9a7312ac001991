"""Registry-scale assessment (批量认定): the same programmes, column-wise, chunk by chunk.

* :mod:`~civilaffairs.bulk.schema`: the Arrow input and output tables;
* :mod:`~civilaffairs.bulk.arrow`: Arrow tables to rule inputs
  (:func:`~civilaffairs.bulk.arrow.frame_from_arrow`) and domain objects to Arrow;
* :mod:`~civilaffairs.bulk.sources`: Parquet, CSV, Arrow IPC, pandas and polars in chunks;
* :mod:`~civilaffairs.bulk.run`: the chunk function and the streaming run;
* :mod:`~civilaffairs.bulk.reform` and :mod:`~civilaffairs.bulk.simulate`: what-if;
* :mod:`~civilaffairs.bulk.chart`: the what-if chart.

>>> from civilaffairs.bulk import assess_table
>>> from civilaffairs.synth import synth_tables
>>> results, errors = assess_table(synth_tables(200, seed=1), "2024-08")
>>> results.num_rows + errors.num_rows
200
"""

from civilaffairs.bulk.arrow import ArrowFrame, frame_from_arrow, households_to_arrow
from civilaffairs.bulk.run import BulkSummary, ChunkResult, assess_bulk, assess_chunk, assess_table
from civilaffairs.bulk.schema import (
    ERRORS_SCHEMA,
    HOUSEHOLDS_SCHEMA,
    PERSONS_SCHEMA,
    BulkInputError,
    output_schema,
)
from civilaffairs.bulk.sources import RegistrySource, open_source

__all__ = [
    "ERRORS_SCHEMA",
    "HOUSEHOLDS_SCHEMA",
    "PERSONS_SCHEMA",
    "ArrowFrame",
    "BulkInputError",
    "BulkSummary",
    "ChunkResult",
    "RegistrySource",
    "assess_bulk",
    "assess_chunk",
    "assess_table",
    "frame_from_arrow",
    "households_to_arrow",
    "open_source",
    "output_schema",
]

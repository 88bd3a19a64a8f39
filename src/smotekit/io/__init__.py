"""Streaming readers and writers for tabular files, and atomic output.

Files are read and written batch by batch through pyarrow (the ``io`` extra, imported on first
use), so a file never has to fit in memory. Formats are chosen by extension: ``.csv``,
``.csv.gz``, ``.tsv`` (``.tab``), ``.tsv.gz`` and ``.parquet`` (``.pq``). Every output goes
through :func:`atomic_output`: an interrupted run leaves the previous file, never a partial one.
"""

from smotekit.io._atomic import atomic_output, check_output_path
from smotekit.io._columns import (
    column_arrays,
    is_numeric_type,
    missing_mask,
    numeric_matrix,
)
from smotekit.io._formats import (
    FORMATS,
    BatchWriter,
    UnknownFormatError,
    detect_format,
    iter_batches,
    read_schema,
)

__all__ = [
    "FORMATS",
    "BatchWriter",
    "UnknownFormatError",
    "atomic_output",
    "check_output_path",
    "column_arrays",
    "detect_format",
    "is_numeric_type",
    "iter_batches",
    "missing_mask",
    "numeric_matrix",
    "read_schema",
]

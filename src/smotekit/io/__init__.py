"""Streaming readers and writers for tabular files, and atomic output.

Files are read and written block by block through pyarrow (the ``io`` extra, imported on first
use), so a file never has to fit in memory. Formats are chosen by extension: ``.csv``,
``.csv.gz``, ``.tsv`` (``.tab``), ``.tsv.gz`` and ``.parquet`` (``.pq``). A CSV block keeps its
records' bytes, so an output can hold the input's rows exactly as they were written. Every output
goes through :func:`atomic_output`: an interrupted run leaves the previous file, never a partial
one.
"""

from smotekit.io._atomic import (
    AtomicFile,
    atomic_output,
    check_output_path,
    remove_stale_temporaries,
)
from smotekit.io._columns import (
    column_arrays,
    is_numeric_type,
    missing_mask,
    numeric_matrix,
)
from smotekit.io._csv import (
    Block,
    CsvDialect,
    CsvSource,
    NonNumericValueError,
    SingleColumnError,
    UndecodableTextError,
)
from smotekit.io._csvwrite import header_with
from smotekit.io._formats import (
    FORMATS,
    BatchWriter,
    ParquetSource,
    UnknownFormatError,
    detect_format,
    iter_batches,
    named_os_error,
    open_table,
    output_dialect,
    read_schema,
)

__all__ = [
    "FORMATS",
    "AtomicFile",
    "BatchWriter",
    "Block",
    "CsvDialect",
    "CsvSource",
    "NonNumericValueError",
    "ParquetSource",
    "SingleColumnError",
    "UndecodableTextError",
    "UnknownFormatError",
    "atomic_output",
    "check_output_path",
    "column_arrays",
    "detect_format",
    "header_with",
    "is_numeric_type",
    "iter_batches",
    "missing_mask",
    "named_os_error",
    "numeric_matrix",
    "open_table",
    "output_dialect",
    "read_schema",
    "remove_stale_temporaries",
]

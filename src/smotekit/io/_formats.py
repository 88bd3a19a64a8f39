"""File formats by extension: streaming batch readers and writers over pyarrow."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from smotekit._optional import import_optional

__all__ = [
    "FORMATS",
    "BatchWriter",
    "UnknownFormatError",
    "detect_format",
    "iter_batches",
    "read_schema",
]

#: extension -> (format, delimiter, compression); longest extensions first so ".csv.gz" wins.
FORMATS: dict[str, tuple[str, str, str | None]] = {
    ".csv.gz": ("csv", ",", "gzip"),
    ".tsv.gz": ("csv", "\t", "gzip"),
    ".csv": ("csv", ",", None),
    ".tsv": ("csv", "\t", None),
    ".tab": ("csv", "\t", None),
    ".parquet": ("parquet", "", None),
    ".pq": ("parquet", "", None),
}

# CSV bytes parsed per batch: big enough to amortise per-batch work and to infer column types
# from many rows, small enough to keep a batch a few tens of MiB in memory.
CSV_BLOCK_BYTES = 16 << 20
# Parquet rows per batch.
PARQUET_BATCH_ROWS = 1 << 18


class UnknownFormatError(ValueError):
    """The file's extension names no supported format."""


def detect_format(path: str | Path) -> tuple[str, str, str | None]:
    """``(format, delimiter, compression)`` for a path, from its extension.

    Examples
    --------
    >>> detect_format("data/fraud.csv.gz")
    ('csv', ',', 'gzip')
    >>> detect_format("out.parquet")
    ('parquet', '', None)
    """
    name = Path(path).name.lower()
    for ext, spec in FORMATS.items():
        if name.endswith(ext):
            return spec
    known = ", ".join(FORMATS)
    raise UnknownFormatError(
        f"'{path}' has an unknown extension: use one of {known} (the format follows the extension)"
    )


def _pyarrow() -> Any:
    return import_optional("pyarrow", "io")


def _csv_reader(path: Path, delimiter: str, columns: Sequence[str] | None) -> Any:
    csv = import_optional("pyarrow.csv", "io")
    # open_csv decompresses ".gz" by itself; column types are inferred from the first block.
    return csv.open_csv(
        str(path),
        read_options=csv.ReadOptions(block_size=CSV_BLOCK_BYTES),
        parse_options=csv.ParseOptions(delimiter=delimiter),
        convert_options=csv.ConvertOptions(include_columns=list(columns) if columns else None),
    )


def read_schema(path: str | Path) -> Any:
    """The ``pyarrow.Schema`` of a file (for CSV: as inferred from its first block)."""
    path = Path(path)
    fmt, delimiter, _ = detect_format(path)
    if fmt == "parquet":
        pq = import_optional("pyarrow.parquet", "io")
        return pq.ParquetFile(str(path)).schema_arrow
    reader = _csv_reader(path, delimiter, None)
    try:
        return reader.schema
    finally:
        reader.close()


def iter_batches(path: str | Path, columns: Sequence[str] | None = None) -> Iterator[Any]:
    """Yield the file's rows as ``pyarrow.RecordBatch`` objects, in file order.

    Only one batch is held at a time. ``columns`` restricts the columns read.
    """
    path = Path(path)
    fmt, delimiter, _ = detect_format(path)
    if fmt == "parquet":
        pq = import_optional("pyarrow.parquet", "io")
        pf = pq.ParquetFile(str(path))
        try:
            yield from pf.iter_batches(
                batch_size=PARQUET_BATCH_ROWS, columns=list(columns) if columns else None
            )
        finally:
            pf.close()
        return
    reader = _csv_reader(path, delimiter, columns)
    try:
        yield from reader
    finally:
        reader.close()


class BatchWriter:
    """Write record batches of one schema to a CSV, TSV or Parquet file, streaming.

    The format comes from ``format_of`` (a path with the target extension), so a temporary file
    with any name can be written in the format of the final one.

    Examples
    --------
    >>> import pyarrow as pa, tempfile, os
    >>> table = pa.table({"x": [1.5, 2.0], "y": [0, 1]})
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> with BatchWriter(path, table.schema) as writer:
    ...     writer.write(table)
    >>> print(open(path).read().strip())
    x,y
    1.5,0
    2,1
    """

    def __init__(self, path: str | Path, schema: Any, format_of: str | Path | None = None) -> None:
        pa = _pyarrow()
        self.schema = schema
        fmt, delimiter, compression = detect_format(format_of if format_of else path)
        self._sink: Any = None
        if fmt == "parquet":
            pq = import_optional("pyarrow.parquet", "io")
            self._writer = pq.ParquetWriter(str(path), schema)
        else:
            csv = import_optional("pyarrow.csv", "io")
            if compression:
                self._sink = pa.CompressedOutputStream(str(path), compression)
            else:
                self._sink = pa.OSFile(str(path), "wb")
            options = csv.WriteOptions(delimiter=delimiter, quoting_header="none")
            self._writer = csv.CSVWriter(self._sink, schema, write_options=options)

    def write(self, data: Any) -> None:
        """Append a ``RecordBatch`` or ``Table`` with this writer's schema."""
        if hasattr(data, "to_batches"):
            self._writer.write_table(data)
        else:
            self._writer.write_batch(data)

    def close(self) -> None:
        """Flush and close the file (a Parquet footer is written here)."""
        self._writer.close()
        if self._sink is not None:
            self._sink.close()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""File formats by extension: sources of blocks of rows, and streaming writers, over pyarrow."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from smotekit._optional import import_optional
from smotekit.io._atomic import named_os_error
from smotekit.io._csv import Block, CsvDialect, CsvSource, NonNumericValueError
from smotekit.io._csvwrite import csv_header, csv_rows

__all__ = [
    "FORMATS",
    "BatchWriter",
    "ParquetSource",
    "UnknownFormatError",
    "detect_format",
    "iter_batches",
    "open_table",
    "output_dialect",
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

# Parquet rows per batch.
PARQUET_BATCH_ROWS = 1 << 18
# Rows formatted as CSV text at a time.
CSV_FORMAT_ROWS = 1 << 13


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


class ParquetSource:
    """A Parquet file read in batches of rows (the counterpart of :class:`CsvSource`)."""

    dialect = None
    header = None

    def __init__(self, path: str | Path) -> None:
        pq = import_optional("pyarrow.parquet", "io")
        self.path = Path(path)
        self.schema = pq.ParquetFile(str(self.path)).schema_arrow
        self.mixed: dict[str, NonNumericValueError] = {}

    def blocks(self, columns: Sequence[str] | None = None) -> Iterator[Block]:
        """The rows, batch by batch, in file order; only ``columns``, if given."""
        pq = import_optional("pyarrow.parquet", "io")
        pf = pq.ParquetFile(str(self.path))
        rows = 0
        try:
            for batch in pf.iter_batches(
                batch_size=PARQUET_BATCH_ROWS,
                columns=list(columns) if columns is not None else None,
            ):
                yield Block(batch, rows)
                rows += batch.num_rows
        finally:
            pf.close()


def open_table(
    path: str | Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    text_columns: Sequence[str] = (),
) -> CsvSource | ParquetSource:
    """The file at ``path`` as a source of blocks of rows, its columns checked.

    ``delimiter`` (CSV; default: the extension's), ``encoding`` (CSV; default utf-8) and
    ``text_columns`` (CSV columns read as text whatever they look like) are for CSV files.
    Raises ``ValueError`` naming the problem when two columns share a name or a column is not
    flat (lists, structs, maps).
    """
    fmt, default_delimiter, compression = detect_format(path)
    source: CsvSource | ParquetSource
    if fmt == "parquet":
        source = ParquetSource(path)
    else:
        source = CsvSource(
            path,
            delimiter=delimiter or default_delimiter,
            compression=compression,
            encoding=encoding,
            text_columns=text_columns,
        )
    _check_flat_columns(source.schema)
    return source


def _check_flat_columns(schema: Any) -> None:
    pa = _pyarrow()
    seen: dict[str, int] = {}
    for i, field in enumerate(schema):
        if field.name in seen:
            raise ValueError(
                f"two columns are named '{field.name}' (columns {seen[field.name] + 1} and "
                f"{i + 1}): rename one"
            )
        seen[field.name] = i
        kind = field.type
        if pa.types.is_nested(kind):
            raise ValueError(
                f"column '{field.name}' holds {kind} values: only flat columns (numbers, text, "
                "dates) can be used; drop or flatten it first"
            )


def output_dialect(output: str | Path, source: CsvSource | ParquetSource) -> CsvDialect | None:
    """How a CSV output is written: in the input's style where the input is CSV.

    The input's line break and encoding, and its delimiter when the output's extension calls for
    the same one as the input's (``.csv`` to ``.csv``); otherwise the output extension's delimiter.
    ``None`` for a Parquet output.
    """
    fmt, delimiter, _ = detect_format(output)
    if fmt != "csv":
        return None
    if source.dialect is None:
        return CsvDialect(delimiter=delimiter)
    if detect_format(source.path)[1] == delimiter:
        delimiter = source.dialect.delimiter
    return replace(source.dialect, delimiter=delimiter)


def read_schema(path: str | Path) -> Any:
    """The ``pyarrow.Schema`` of a file (for CSV: the types decided from its first block)."""
    return open_table(path).schema


def iter_batches(path: str | Path, columns: Sequence[str] | None = None) -> Iterator[Any]:
    """Yield the file's rows as ``pyarrow.RecordBatch`` objects, in file order.

    Only one batch is held at a time. ``columns`` restricts the columns returned.
    """
    for block in open_table(path).blocks():
        yield block.batch.select(list(columns)) if columns else block.batch


def _pyarrow() -> Any:
    return import_optional("pyarrow", "io")


class BatchWriter:
    """Write record batches of one schema to a CSV, TSV or Parquet file, streaming.

    The format comes from ``format_of`` (a path with the target extension), so a temporary file
    with any name can be written in the format of the final one. A CSV is written in ``dialect``
    (default: the extension's delimiter, ``\\n``, utf-8), values quoted only where they need it,
    after ``header`` (default: the schema's names); ``spellings`` maps a column's values to
    the text written for them. ``name`` is the path that errors name (default: ``path``); an
    ``OSError`` is raised again with it as its file name.

    Examples
    --------
    >>> import pyarrow as pa, tempfile, os
    >>> table = pa.table({"x": [1.5, 2.0], "s": ["a", "b c"], "y": [0, 1]})
    >>> path = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> with BatchWriter(path, table.schema) as writer:
    ...     writer.write(table)
    >>> print(open(path).read().strip())
    x,s,y
    1.5,a,0
    2,b c,1
    """

    def __init__(
        self,
        path: str | Path,
        schema: Any,
        format_of: str | Path | None = None,
        *,
        dialect: CsvDialect | None = None,
        header: bytes | None = None,
        name: str | Path | None = None,
    ) -> None:
        pa = _pyarrow()
        self.schema = schema
        self.name = str(name or path)
        self.spellings: dict[str, dict[Any, str]] = {}
        fmt, delimiter, compression = detect_format(format_of if format_of else path)
        self.dialect = dialect or CsvDialect(delimiter=delimiter) if fmt == "csv" else None
        self._sink: Any = None
        self._parquet: Any = None
        with self._errors():
            if fmt == "parquet":
                pq = import_optional("pyarrow.parquet", "io")
                self._parquet = pq.ParquetWriter(str(path), schema)
                return
            if compression:
                self._sink = pa.CompressedOutputStream(str(path), compression)
            else:
                self._sink = pa.OSFile(str(path), "wb")
            assert self.dialect is not None
            self._sink.write(
                header if header is not None else csv_header(schema.names, self.dialect)
            )

    def write(self, data: Any) -> None:
        """Append a ``RecordBatch`` or ``Table`` with this writer's schema."""
        with self._errors():
            if self._parquet is not None:
                if hasattr(data, "to_batches"):
                    self._parquet.write_table(data)
                else:
                    self._parquet.write_batch(data)
                return
            assert self.dialect is not None
            for batch in data.to_batches() if hasattr(data, "to_batches") else [data]:
                # Formatted a slice at a time: the text of a row is several times its values.
                for start in range(0, batch.num_rows, CSV_FORMAT_ROWS):
                    part = batch.slice(start, CSV_FORMAT_ROWS)
                    self._sink.write(csv_rows(part, self.dialect, self.spellings))

    def write_block(self, block: Block, keep: Any = None, marked: bool | None = None) -> None:
        """Append a block of input rows (``keep``: a boolean mask of those to write).

        A CSV block in this writer's dialect is copied as it is in the input, record by record;
        anything else is written from its values. ``marked`` appends a last boolean column.
        """
        if self.dialect is not None and block.raw is not None and block.dialect == self.dialect:
            suffix = b""
            if marked is not None:
                text = self.dialect.delimiter + ("true" if marked else "false")
                suffix = text.encode(self.dialect.encoding)
            with self._errors():
                self._sink.write(block.records(keep, suffix))
            return
        pa = _pyarrow()
        batch = block.batch if keep is None else block.batch.filter(pa.array(keep))
        if marked is not None:
            mark = pa.array(np.full(batch.num_rows, marked, dtype=bool))
            batch = batch.append_column(self.schema.names[-1], mark)
        self.write(batch)

    def close(self) -> None:
        """Flush and close the file (a Parquet footer is written here)."""
        with self._errors():
            if self._parquet is not None:
                self._parquet.close()
            if self._sink is not None:
                self._sink.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise named_os_error(exc, self.name) from exc

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

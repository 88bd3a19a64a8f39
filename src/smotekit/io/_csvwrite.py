"""Rows as CSV text in a file's own style: its delimiter, line break and encoding, quotes only where
a value needs them (it holds the delimiter, a quote or a line break)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from smotekit._optional import import_optional
from smotekit.io._csv import CsvDialect

__all__ = ["csv_header", "csv_rows", "header_with"]


def _quoted_where_needed(text: Any, dialect: CsvDialect) -> Any:
    pc = import_optional("pyarrow.compute", "io")
    special = "[" + re.escape(dialect.delimiter + dialect.quote) + "\r\n]"
    needs = pc.match_substring_regex(text, special)
    if not pc.any(needs).as_py():
        return text
    q = dialect.quote
    quoted = pc.binary_join_element_wise(q, pc.replace_substring(text, q, q + q), q, "")
    return pc.if_else(needs, quoted, text)


def _as_text(column: Any, spelling: Mapping[Any, str] | None) -> Any:
    """A column as strings: numbers in their shortest exact form, ``spelling`` where given."""
    pa = import_optional("pyarrow", "io")
    pc = import_optional("pyarrow.compute", "io")
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    text = column if pa.types.is_string(column.type) else pc.cast(column, pa.string())
    if spelling:
        keys = pa.array(list(spelling), type=column.type)
        index = pc.index_in(column, value_set=keys)
        spelled = pc.take(pa.array(list(spelling.values()), type=pa.string()), index)
        text = pc.if_else(pc.is_null(index), text, spelled)
    return pc.fill_null(text, "")


def csv_rows(
    batch: Any, dialect: CsvDialect, spellings: Mapping[str, Mapping[Any, str]] | None = None
) -> bytes:
    """The rows of a ``RecordBatch`` as CSV records, each ended by the dialect's line break.

    ``spellings`` maps a column's values to the text to write for them (say, a class label as the
    input spelled it: ``0.0`` rather than ``0``).

    Examples
    --------
    >>> import pyarrow as pa
    >>> batch = pa.record_batch({"x": [0.5, 2.0], "s": ["a,b", "c"], "y": [0.0, 1.0]})
    >>> csv_rows(batch, CsvDialect(), {"y": {0.0: "0.0"}})
    b'0.5,"a,b",0.0\\n2,c,1\\n'
    """
    pa = import_optional("pyarrow", "io")
    pc = import_optional("pyarrow.compute", "io")
    if not batch.num_rows:
        return b""
    spellings = spellings or {}
    # Numbers written by Arrow hold only digits, signs, '.', 'e', 'inf' and 'nan'.
    plain_numbers = dialect.delimiter not in "0123456789+-.eEinfa"
    columns = []
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        text = _as_text(column, spellings.get(name))
        is_number = pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
        if not (is_number and plain_numbers and name not in spellings):
            text = _quoted_where_needed(text, dialect)
        columns.append(text)
    rows = pc.binary_join_element_wise(*columns, dialect.delimiter)
    rows = pc.binary_join_element_wise(rows, "", dialect.terminator)
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int32)
    first, last = offsets[rows.offset], offsets[rows.offset + len(rows)]
    data = rows.buffers()[2].to_pybytes()[first:last]
    if dialect.encoding != "utf-8":
        data = data.decode("utf-8").encode(dialect.encoding)
    return data


def csv_header(names: Sequence[str], dialect: CsvDialect) -> bytes:
    """A header record for ``names``.

    Examples
    --------
    >>> csv_header(["a", "b;c"], CsvDialect(delimiter=";", terminator="\\r\\n"))
    b'a;"b;c"\\r\\n'
    """
    pa = import_optional("pyarrow", "io")
    names = [_quoted_where_needed(pa.array([name]), dialect)[0].as_py() for name in names]
    return (dialect.delimiter.join(names) + dialect.terminator).encode(dialect.encoding)


def header_with(header: bytes, extra: Sequence[str], dialect: CsvDialect) -> bytes:
    """An input's header record, unchanged, with ``extra`` column names appended.

    Examples
    --------
    >>> header_with(b'"a",b\\r\\n', ["synthetic"], CsvDialect(terminator="\\r\\n"))
    b'"a",b,synthetic\\r\\n'
    """
    if not extra:
        return header
    content = header.rstrip(b"\r\n")
    added = csv_header(extra, dialect)[: -len(dialect.terminator.encode(dialect.encoding))]
    return content + dialect.delimiter.encode(dialect.encoding) + added + header[len(content) :]

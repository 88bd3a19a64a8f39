"""CSV input as it is written: its dialect, column types, and blocks of records with their bytes.

A CSV file is read in blocks of whole records. Each block carries its records' bytes as they are in
the file (so they can be copied to an output unchanged) and a typed ``pyarrow.RecordBatch`` parsed
from them. Column types are decided once, from the first block, and then fixed:

- integer and decimal columns are numeric (int64 and float64);
- a numeric-looking column with a zero-padded value (``02100``) is text: such values are codes (zip
  codes, identifiers), and reading them as numbers would change them;
- every other column is text (dates and booleans too: they are categories for a sampler, and text
  keeps their spelling);
- a mostly numeric column with a few values that are not numbers is reported in
  :attr:`CsvSource.mixed` rather than silently read as text.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional
from smotekit.io._records import exact_record_ends, quick_record_ends, record_spans

__all__ = [
    "CSV_BLOCK_BYTES",
    "Block",
    "CsvDialect",
    "CsvSource",
    "NonNumericValueError",
    "SingleColumnError",
    "UndecodableTextError",
]

# CSV bytes parsed in the first block, from which column types are inferred: many rows.
CSV_BLOCK_BYTES = 16 << 20
# Data blocks are this fraction of it: big enough to amortise per-block work, small enough that
# a pass (which parses, converts and copies a block a few times) holds a few tens of MiB.
DATA_BLOCK_SHARE = 4

_INTEGER = r"^\s*[-+]?\d+\s*$"
_NUMBER = r"^\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf|infinity|nan)\s*$"
_ZERO_PADDED = r"^\s*[-+]?0\d"
_CANDIDATE_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written: what separates values and lines, its encoding and quote."""

    delimiter: str = ","
    terminator: str = "\n"
    encoding: str = "utf-8"
    quote: str = '"'


class NonNumericValueError(ValueError):
    """A numeric column holds a value that is not a number (or, in an integer one, not an integer).

    ``expected`` is ``"numbers"`` or ``"integers"``; ``row`` and ``line`` are 1-based.
    """

    def __init__(self, column: str, value: str, row: int, line: int | None, expected: str):
        self.column, self.value, self.row, self.line = column, value, row, line
        self.expected = expected
        where = f"data row {row}" + (f" (line {line})" if line else "")
        super().__init__(f"column '{column}' holds {expected} but {value!r} at {where}")


class UndecodableTextError(ValueError):
    """The bytes of a CSV file are not text in the expected encoding."""

    def __init__(self, encoding: str, byte: int, line: int):
        self.encoding, self.byte, self.line = encoding, byte, line
        super().__init__(f"is not valid {encoding} text: byte 0x{byte:02x} on line {line}")


class SingleColumnError(ValueError):
    """The header splits into one column with the delimiter used, but ``suggested`` splits it."""

    def __init__(self, delimiter: str, header: str, suggested: str):
        self.delimiter, self.header, self.suggested = delimiter, header, suggested
        super().__init__(
            f"has a single column with the delimiter {delimiter!r} (header {header[:60]!r})"
        )


@dataclass
class Block:
    """Consecutive data rows of a file: typed, and for CSV the records' bytes as in the file.

    ``spans`` are the records' ``(starts, content_ends, ends)`` offsets in ``raw`` (one per row
    of ``batch``; blank lines are not records), ``end`` where the block's bytes end in ``raw``
    (a buffer that may hold more after them), ``first_row`` the data rows before the block and
    ``first_line`` the file line ``raw`` starts on.
    """

    batch: Any
    first_row: int
    raw: bytes | bytearray | None = None
    spans: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]] | None = None
    first_line: int = 0
    dialect: CsvDialect | None = None
    end: int | None = None

    def location(self, index: int) -> str:
        """Where row ``index`` of the block is, for a message: ``data row N (line L)``."""
        row = self.first_row + index + 1
        if self.raw is None or self.spans is None:
            return f"data row {row}"
        return f"data row {row} (line {self.line_of(index)})"

    def line_of(self, index: int) -> int:
        """The file line on which row ``index`` of the block starts (1-based)."""
        assert self.raw is not None and self.spans is not None and self.dialect is not None
        breaks = self.dialect.terminator[-1].encode()
        return self.first_line + self.raw.count(breaks, 0, int(self.spans[0][index]))

    def text_of(self, index: int, column: int) -> str:
        """The text of value ``column`` of row ``index`` as the file writes it (unquoted).

        Examples
        --------
        >>> import numpy as np
        >>> raw = b'1,"a,b",0.0\\n'
        >>> spans = tuple(np.array([v]) for v in (0, 11, 12))
        >>> Block(None, 0, raw, spans, 2, CsvDialect()).text_of(0, 2)
        '0.0'
        """
        assert self.raw is not None and self.spans is not None and self.dialect is not None
        start, end = int(self.spans[0][index]), int(self.spans[1][index])
        record = self.raw[start:end].decode(self.dialect.encoding)
        dialect = self.dialect
        fields = next(csv.reader([record], delimiter=dialect.delimiter, quotechar=dialect.quote))
        return str(fields[column])

    def records(
        self, keep: NDArray[np.bool_] | None = None, suffix: bytes = b""
    ) -> bytes | memoryview:
        """The records' bytes (those in ``keep``), ``suffix`` inserted before each line break."""
        assert self.raw is not None and self.spans is not None
        starts, content_ends, ends = self.spans
        if keep is not None:
            starts, content_ends, ends = starts[keep], content_ends[keep], ends[keep]
        end = len(self.raw) if self.end is None else self.end
        if starts.size and _contiguous((starts, content_ends, ends), end):
            if not suffix:
                return memoryview(self.raw)[:end]
            # One vectorised insertion of the suffix before every line break.
            data = np.frombuffer(self.raw, dtype=np.uint8, count=end)
            added = np.tile(np.frombuffer(suffix, dtype=np.uint8), content_ends.size)
            return np.insert(data, np.repeat(content_ends, len(suffix)), added).tobytes()
        view = memoryview(self.raw)
        parts: list[Any] = []
        for s, c, e in zip(starts.tolist(), content_ends.tolist(), ends.tolist(), strict=True):
            if suffix:
                parts += (view[s:c], suffix, view[c:e])
            else:
                parts.append(view[s:e])
        return b"".join(parts)


class _Chunk(NamedTuple):
    """Records being parsed: their bytes and ends, whether the header is the first of them,
    and the data row and file line they start on (for messages)."""

    raw: bytes
    ends: NDArray[np.int64]
    header: bool
    row: int
    line: int


def _contiguous(spans: tuple[NDArray[np.int64], ...], size: int) -> bool:
    starts, _, ends = spans
    return bool(starts[0] == 0 and ends[-1] == size and (starts[1:] == ends[:-1]).all())


class CsvSource:
    """A CSV (or gzip-compressed CSV) file: dialect, header, column types and blocks of rows.

    ``delimiter`` separates values; ``text_columns`` are read as text whatever they look like;
    ``encoding`` must write ASCII as ASCII (utf-8, latin-1, cp1252, ...).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(path, "w").write("zip,x,y\\n02100,0.500,1\\n75001,1.25,0\\n")
    >>> source = CsvSource(path, delimiter=",")
    >>> [str(t) for t in source.schema.types]
    ['string', 'double', 'int64']
    >>> bytes(next(source.blocks()).records())
    b'02100,0.500,1\\n75001,1.25,0\\n'
    """

    def __init__(
        self,
        path: str | Path,
        *,
        delimiter: str,
        compression: str | None = None,
        encoding: str | None = None,
        text_columns: Sequence[str] = (),
    ) -> None:
        pa = import_optional("pyarrow", "io")
        self.path = Path(path)
        self._compression = compression
        encoding = codecs.lookup(encoding or "utf-8").name
        self.dialect = CsvDialect(delimiter=delimiter, encoding=encoding)
        #: mostly numeric columns with a value that is not a number (in the first block)
        self.mixed: dict[str, NonNumericValueError] = {}
        self.schema: Any = None
        self._data_offset = self._data_lines = self._header_line = 0
        chunks = self._chunks(header=True)
        try:
            first = next(chunks, None)
        finally:
            chunks.close()
        if first is None:
            raise ValueError("the file is empty: it has no header line")
        raw, ends, inferred = first
        self.header = raw[: int(ends[0])]
        line_break = self.header[len(self.header.rstrip(b"\r\n")) :].decode()
        self.dialect = CsvDialect(delimiter, line_break or "\n", encoding)
        self.names = list(inferred.column_names)
        self._check_header(raw, inferred)
        types = self._decide_types(raw, ends, inferred, set(text_columns))
        self.schema = pa.schema([pa.field(name, types[name]) for name in self.names])

    def blocks(self, columns: Sequence[str] | None = None) -> Iterator[Block]:
        """The data rows, block by block, in file order; only ``columns`` parsed, if given (the
        records' bytes are whole either way)."""
        for raw, ends, table, row, line in self._chunks(header=False, columns=columns):
            spans = record_spans(raw, ends)
            batch = table.to_batches()
            if batch:
                yield Block(batch[0], row, raw, spans, line, self.dialect, int(ends[-1]))

    # -- reading -------------------------------------------------------------------------------
    def _chunks(
        self, header: bool, columns: Sequence[str] | None = None
    ) -> Generator[Any, None, None]:
        """Parse the file in chunks of whole records.

        With ``header`` only the first chunk matters: ``(raw, ends, table)`` with the header as the
        first record and inferred types. Otherwise ``(raw, ends, table, first_row, first_line)``
        for each chunk of data rows, the header skipped, its table holding only ``columns`` if
        given.
        """
        pa = import_optional("pyarrow", "io")
        breaks = self.dialect.terminator[-1].encode()
        skip = 0 if header else self._data_offset
        row, line = 0, 1 + (0 if header else self._data_lines)
        with pa.input_stream(str(self.path), compression=self._compression) as stream:
            while skip:
                got = len(stream.read(min(skip, CSV_BLOCK_BYTES)))
                if not got:
                    break
                skip -= got
            block_bytes = CSV_BLOCK_BYTES if header else max(CSV_BLOCK_BYTES // DATA_BLOCK_SHARE, 1)
            carry, size, leading = b"", block_bytes, header
            while True:
                # The carried bytes, then new ones read in place: one copy of a block in memory.
                buf = bytearray(len(carry) + size)
                buf[: len(carry)] = carry
                with memoryview(buf) as view, view[len(carry) :] as free:
                    got = stream.readinto(free)
                del buf[len(carry) + got :]
                final = not got
                if leading:  # blank lines before the header are not records
                    blank = len(buf) - len(buf.lstrip(b"\r\n"))
                    line += buf.count(breaks, 0, blank)
                    self._data_offset, self._header_line = blank, line
                    del buf[:blank]
                    leading = not buf
                if final and not buf:
                    return
                if final and not buf.endswith((b"\n", b"\r")):
                    buf += self.dialect.terminator.encode()
                used, ends, table = self._split(buf, final, header, row, line, columns)
                if not used:
                    if final:
                        raise ValueError(f"a quoted value after line {line} is never closed")
                    carry, size = bytes(buf), 2 * size  # a record longer than a block: more
                    continue
                carry, size = bytes(buf[used:]), block_bytes
                if header:
                    self._data_offset += int(ends[0])
                    self._data_lines = line - 1 + buf.count(breaks, 0, int(ends[0]))
                    yield bytes(buf[:used]), ends, table
                    return
                yield buf, ends, table, row, line
                row += table.num_rows
                line += buf.count(breaks, 0, used)
                del buf, table
                if final:
                    return

    def _split(
        self,
        buf: bytearray,
        final: bool,
        header: bool,
        row: int,
        line: int,
        columns: Sequence[str] | None = None,
    ) -> Any:
        """How many bytes at the front of ``buf`` are whole records, their ends, their rows."""
        pa = import_optional("pyarrow", "io")
        quote, delimiter = ord(self.dialect.quote), ord(self.dialect.delimiter)
        ends = quick_record_ends(buf, quote, final)
        quoted = quote in buf
        exact = not quoted  # without quotes the quick rule is exact
        while True:
            if ends.size:
                used = int(ends[-1])
                try:
                    # A view, not a copy; buf is not resized while pyarrow may hold it.
                    table = self._read(
                        pa.py_buffer(buf).slice(0, used), header, columns=columns, quoted=quoted
                    )
                except pa.ArrowInvalid as exc:
                    if exact:
                        self._explain(_Chunk(bytes(buf[:used]), ends, header, row, line), exc)
                        raise
                    table = None
                if table is not None and table.num_rows == record_spans(buf, ends)[0].size - header:
                    return used, ends, table.combine_chunks()
                if exact:
                    raise ValueError(
                        f"cannot tell where its records end after line {line}: a quote inside a "
                        "value that is not quoted as CSV quotes values"
                    )
            elif exact:
                return 0, ends, None
            ends, exact = exact_record_ends(bytes(buf), quote, delimiter, final), True

    def _read(
        self,
        raw: Any,
        header: bool,
        types: dict[str, Any] | None = None,
        columns: Sequence[str] | None = None,
        quoted: bool | None = None,
    ) -> Any:
        """Parse records (bytes or a ``pyarrow.Buffer``; only ``columns``, if given) with
        pyarrow; with ``header`` and no ``types``, the types are inferred from all of ``raw``.
        ``quoted`` says whether ``raw`` may hold quotes (default: look)."""
        csv = import_optional("pyarrow.csv", "io")
        pa = import_optional("pyarrow", "io")
        if types is None and not header:
            types = {field.name: field.type for field in self.schema}
        read = csv.ReadOptions(
            column_names=None if header else self.names,
            encoding=self.dialect.encoding,
            # One chunk when inferring, so the types fit every row of the first block.
            block_size=max(len(raw) + 1, 1 << 20) if header else 1 << 20,
        )
        parse = csv.ParseOptions(
            delimiter=self.dialect.delimiter,
            quote_char=self.dialect.quote,
            newlines_in_values=self.dialect.quote.encode() in raw if quoted is None else quoted,
        )
        convert = csv.ConvertOptions(
            column_types=types, include_columns=list(columns) if columns is not None else None
        )
        data = raw if isinstance(raw, pa.Buffer) else pa.py_buffer(raw)
        return csv.read_csv(data, read_options=read, parse_options=parse, convert_options=convert)

    # -- column types ----------------------------------------------------------------------------
    def _check_header(self, raw: bytes, inferred: Any) -> None:
        pa = import_optional("pyarrow", "io")
        header = self.header.rstrip(b"\r\n")
        try:
            text = header.decode(self.dialect.encoding)
        except UnicodeDecodeError as exc:
            raise UndecodableTextError(self.dialect.encoding, header[exc.start], 1) from None
        if len(self.names) == 1:
            delimiter = self.dialect.delimiter
            counts = {d: text.count(d) for d in _CANDIDATE_DELIMITERS if d != delimiter}
            best = max(counts, key=lambda d: counts[d])
            if counts[best]:
                raise SingleColumnError(delimiter, text, best)
        if any(pa.types.is_binary(t) for t in inferred.schema.types):
            raise self._undecodable(raw, self._header_line)

    def _decide_types(
        self, raw: bytes, ends: NDArray[np.int64], inferred: Any, text_columns: set[str]
    ) -> dict[str, Any]:
        """Column types from the first block (see the module's docstring)."""
        pa = import_optional("pyarrow", "io")
        pc = import_optional("pyarrow.compute", "io")
        numeric = [
            name
            for name, kind in zip(self.names, inferred.schema.types, strict=True)
            if pa.types.is_integer(kind) or pa.types.is_floating(kind)
        ]
        # The values as written, for the columns whose text decides their type: numeric ones
        # only where the bytes hold a zero-padded number at all (a quick scan).
        padded_somewhere = _may_hold_zero_padded(raw, self.dialect.delimiter)
        needed = [
            name
            for name in self.names
            if name not in text_columns and (name not in numeric or padded_somewhere)
        ]
        as_text = (
            self._read(raw, True, dict.fromkeys(needed, pa.string()), needed) if needed else None
        )
        types: dict[str, Any] = {}
        for name, kind in zip(self.names, inferred.schema.types, strict=True):
            text = as_text.column(name) if as_text is not None and name in needed else None
            if name in text_columns:
                types[name] = pa.string()
            elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
                padded = text is not None and pc.any(pc.match_substring_regex(text, _ZERO_PADDED))
                types[name] = pa.string() if padded and padded.as_py() else kind
            elif pa.types.is_null(kind):
                types[name] = pa.float64()  # empty in the first block: numeric until shown not
            else:
                types[name] = pa.string()
                values = pc.invert(pc.is_in(text, _null_spellings()))
                number = pc.match_substring_regex(text, _NUMBER, ignore_case=True)
                looks_numeric = pc.and_(values, number)
                padded = pc.and_(looks_numeric, pc.match_substring_regex(text, _ZERO_PADDED))
                n_values = pc.sum(values).as_py() or 0
                n_numeric = pc.sum(looks_numeric).as_py() or 0
                if 2 * n_numeric > n_values and not pc.any(padded).as_py():
                    bad = pc.and_(values, pc.invert(looks_numeric))
                    index = int(np.flatnonzero(np.asarray(bad))[0])
                    chunk = _Chunk(raw, ends, True, 0, self._header_line)
                    self.mixed[name] = self._value_error(chunk, name, text, index, "numbers")
        return types

    # -- errors ----------------------------------------------------------------------------------
    def _value_error(
        self, chunk: _Chunk, name: str, text: Any, index: int, expected: str
    ) -> NonNumericValueError:
        """The error for value ``index`` (of ``text``, column ``name``) of a chunk's rows."""
        start = int(record_spans(chunk.raw, chunk.ends)[0][int(chunk.header) + index])
        line = chunk.line + chunk.raw.count(self.dialect.terminator[-1].encode(), 0, start)
        return NonNumericValueError(
            name, text[index].as_py(), chunk.row + index + 1, line, expected
        )

    def _explain(self, chunk: _Chunk, exc: Exception) -> None:
        """Raise a precise error for pyarrow's conversion failures (else return)."""
        pa = import_optional("pyarrow", "io")
        pc = import_optional("pyarrow.compute", "io")
        message = str(exc)
        if "UTF8" in message or "UTF-8" in message:
            raise self._undecodable(chunk.raw, chunk.line) from None
        found = re.search(r"column #(\d+): CSV conversion error to (\w+)", message)
        if not found or chunk.header:
            return
        name = self.names[int(found.group(1))]
        integers = pa.types.is_integer(self.schema.field(name).type)
        text = self._read(chunk.raw, False, dict.fromkeys(self.names, pa.string()), [name])
        text = text.column(name)
        valid = pc.match_substring_regex(text, _INTEGER if integers else _NUMBER, ignore_case=True)
        bad = pc.and_(pc.invert(pc.is_in(text, _null_spellings())), pc.invert(valid))
        index = np.flatnonzero(np.asarray(bad))
        if index.size:
            expected = "integers" if integers else "numbers"
            raise self._value_error(chunk, name, text, int(index[0]), expected) from None

    def _undecodable(self, raw: bytes, line: int) -> UndecodableTextError:
        encoding = self.dialect.encoding
        try:
            raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line += raw.count(b"\n", 0, exc.start)
            return UndecodableTextError(encoding, raw[exc.start], line)
        return UndecodableTextError(encoding, 0, line)


def _may_hold_zero_padded(raw: bytes, delimiter: str) -> bool:
    """Whether a value in ``raw`` may start with a zero followed by a digit (``02100``).

    A quick scan of the bytes, so that the values' text is parsed only where it can matter.

    Examples
    --------
    >>> _may_hold_zero_padded(b"a,b\\n1.05,-0.5\\n1e-05,0\\n", ",")
    False
    >>> _may_hold_zero_padded(b'a,b\\n1,"-02"\\n', ",")
    True
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    starts = np.frombuffer(b'\n\r "' + delimiter.encode(), dtype=np.uint8)
    at = np.flatnonzero((data[1:-1] == ord("0")) & (data[2:] - ord("0") < 10)) + 1
    before = data[at - 1]
    signed = (before == ord("-")) | (before == ord("+"))
    before[signed] = data[np.maximum(at[signed] - 2, 0)]
    return bool(np.isin(before, starts).any())


def _null_spellings() -> Any:
    """The values pyarrow reads as missing in a numeric column (``NA``, ``nan``, ...)."""
    pa = import_optional("pyarrow", "io")
    return pa.array(import_optional("pyarrow.csv", "io").ConvertOptions().null_values)

"""Where each CSV record starts and ends in the file's bytes, so records can be copied unchanged.

A record ends at a line break (``\\n``, ``\\r\\n`` or a lone ``\\r``, as pyarrow reads them) that is
not inside a quoted value. The fast rule counts quote characters: a line break ends a record when
the quotes before it are balanced. It is exact for files that quote as RFC 4180 does; a quote in
the middle of an unquoted value (``5"``) breaks it, so the reader checks the record count against
pyarrow's and then uses :func:`exact_record_ends`, which follows the quoting rules value by value.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["exact_record_ends", "quick_record_ends", "record_spans"]

LF, CR = 10, 13


def quick_record_ends(buf: bytes | bytearray, quote: int, final: bool) -> NDArray[np.int64]:
    """Offsets just past each record's line break (balanced-quotes rule).

    Without ``final``, a ``\\r`` as the last byte is not counted: its ``\\n`` may follow.

    Examples
    --------
    >>> quick_record_ends(b'a,b\\n1,"x\\ny"\\r\\n2,3', ord('"'), final=False).tolist()
    [4, 13]
    """
    data = np.frombuffer(buf, dtype=np.uint8)
    if CR in buf:
        breaks = data == LF
        lone_cr = data == CR
        lone_cr[:-1] &= ~breaks[1:]  # the \r of \r\n is part of the \n's break
        if not final and data[-1] == CR:
            lone_cr[-1] = False
        ends = np.flatnonzero(breaks | lone_cr)
    else:
        ends = _positions(data, LF)
    if ends.size and quote in buf:
        # A break ends a record when an even number of quotes comes before it.
        quotes = _positions(data, quote)
        ends = ends[(np.searchsorted(quotes, ends) & 1) == 0]
    return (ends + 1).astype(np.int64)


def _positions(data: NDArray[np.uint8], byte: int) -> NDArray[np.intp]:
    """Where ``byte`` occurs in ``data``, found a slice at a time (small temporaries)."""
    step = 1 << 20
    found = [np.flatnonzero(data[i : i + step] == byte) + i for i in range(0, data.size, step)]
    return np.concatenate(found) if found else np.empty(0, dtype=np.intp)


def exact_record_ends(buf: bytes, quote: int, delimiter: int, final: bool) -> NDArray[np.int64]:
    """Offsets just past each record's line break, following the quoting rules.

    A quote opens a quoted value only at the start of a value; inside one, a doubled quote is a
    literal quote and a single one closes it. Slower than :func:`quick_record_ends` (it walks the
    values of lines that hold quotes), so it is the fallback.

    Examples
    --------
    >>> exact_record_ends(b'a,b\\n1,5"\\n2,"x\\ny"\\n', ord('"'), ord(','), final=True).tolist()
    [4, 9, 17]
    """
    q, d = bytes([quote]), bytes([delimiter])
    ends: list[int] = []
    pos = 0
    in_quotes = False
    for line in buf.splitlines(keepends=True):
        pos += len(line)
        content = line.rstrip(b"\r\n")
        if in_quotes or q in content:
            in_quotes = _ends_in_quotes(content, q, d, in_quotes)
        complete = line.endswith(b"\n") or (line.endswith(b"\r") and (final or pos < len(buf)))
        if not in_quotes and complete:
            ends.append(pos)
    return np.asarray(ends, dtype=np.int64)


def _ends_in_quotes(content: bytes, quote: bytes, delimiter: bytes, in_quotes: bool) -> bool:
    """Whether a line (without its line break) ends inside a quoted value."""
    i, n = 0, len(content)
    while i < n:
        if in_quotes:
            j = content.find(quote, i)
            if j < 0:
                return True
            if content[j + 1 : j + 2] == quote:
                i = j + 2  # a doubled quote: a literal one
            else:
                in_quotes, i = False, j + 1
        elif content[i : i + 1] == quote:  # a quote at the start of a value opens it
            in_quotes, i = True, i + 1
        else:
            j = content.find(delimiter, i)
            if j < 0:
                return False
            i = j + 1
    return in_quotes


def record_spans(
    buf: bytes | bytearray, ends: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """``(starts, content_ends, ends)`` of the records that are not blank lines.

    ``content_ends`` stops before the line break, so a value can be appended to a record.

    Examples
    --------
    >>> buf = b"1,2\\r\\n\\n3,4\\n"
    >>> [a.tolist() for a in record_spans(buf, quick_record_ends(buf, 34, final=True))]
    [[0, 6], [3, 9], [5, 10]]
    """
    data = np.frombuffer(buf, dtype=np.uint8)
    starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
    content_ends = ends - 1
    crlf = (data[content_ends] == LF) & (content_ends > starts)
    crlf[crlf] &= data[content_ends[crlf] - 1] == CR
    content_ends = content_ends - crlf
    keep = content_ends > starts
    return starts[keep], content_ends[keep], ends[keep]

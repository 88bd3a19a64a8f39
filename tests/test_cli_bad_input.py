"""Malformed files thrown at ``smotekit resample`` and ``inspect`` (property-based).

Each example is a small valid CSV, made malformed in one way (ragged rows, the wrong delimiter, an
empty file, a header only, a value that is not a number, a constant target, a value too large
for a float, a missing or infinite value in one of their spellings, a quote never closed), and
dressed in harmless variations (a byte-order mark, CRLF line breaks, a quoted line break in a text
value, blank lines). ``resample`` must end with exit 1 or 2 and one line on stderr, write no
output and leave no temporary file; ``inspect`` must fail the same way where the file cannot be
read as a table, and may report where it can (a constant target, missing values). The input is
never changed. The harmless variations alone must resample successfully.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smotekit.cli import main

# How a valid file is broken, and whether `inspect` can still read it.
BREAKS = {
    "ragged": False,
    "wrong_delimiter": False,
    "empty": False,
    "header_only": False,
    "non_numeric": False,
    "unclosed_quote": False,
    "constant_target": True,
    "too_large": True,
    "missing": True,
    "infinite": True,
}
MISSING = ["", "nan", "NaN", "NA", "null", "N/A", "-nan"]
INFINITE = ["inf", "-inf", "+inf", "Infinity", "-Infinity"]
WORDS = ["oops", "x1", "n/a?", "1,5", "12abc", "--"]


@st.composite
def csv_files(draw, what):
    """A CSV with columns a, b, colour, label, broken as ``what`` says (or ``"valid"``)."""
    n = draw(st.integers(14, 30))
    minority = draw(st.integers(7, n // 2))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    rows = [
        [f"{v:.4g}" for v in rng.normal(size=2)] + [f"c{i % 3}", "1" if i < minority else "0"]
        for i in range(n)
    ]
    header = ["a", "b", "colour", "label"]
    i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, 1))
    delimiter = ","
    if what == "ragged":
        rows[i] = rows[i] + ["7"] if draw(st.booleans()) else rows[i][:-1]
    elif what == "wrong_delimiter":
        delimiter = draw(st.sampled_from([";", "\t", "|"]))
    elif what == "non_numeric":
        rows[i][j] = draw(st.sampled_from(WORDS))
    elif what == "unclosed_quote":
        rows[i][j] = '"' + rows[i][j]
    elif what == "constant_target":
        for row in rows:
            row[3] = "0"
    elif what == "too_large":
        rows[i][j] = draw(st.sampled_from(["1e999", "-1e400", "9" * 400]))
    elif what == "missing":
        rows[i][j] = draw(st.sampled_from(MISSING))
    elif what == "infinite":
        rows[i][j] = draw(st.sampled_from(INFINITE))
    if draw(st.booleans()):  # a text value with a line break inside its quotes
        k = draw(st.integers(0, n - 1))
        rows[k][2] = '"two\nlines"'
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    if what == "header_only":
        lines = lines[:1]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), "")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = "\n".join(lines) + ("\n" if draw(st.booleans()) else "")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return b"" if what == "empty" else text.replace("\n", newline).encode()


def run(argv):
    """``main(argv)`` in this process: (exit code, stdout, stderr); an exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def resample_in(folder, data):
    """Write ``data`` to ``folder``/in.csv and resample it to out.csv: (input path, run)."""
    src = os.path.join(folder, "in.csv")
    with open(src, "wb") as handle:
        handle.write(data)
    out = os.path.join(folder, "out.csv")
    return src, run(["resample", src, "-o", out, "-t", "label", "-q", "-k", "3"])


def assert_one_line_error(code, err, command):
    assert code in (1, 2), (code, err)
    assert err.count("\n") == 1 and err.startswith(f"smotekit {command}: error: "), err
    assert "Traceback" not in err


SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@pytest.mark.parametrize("what", sorted(BREAKS))
@SETTINGS
@given(draw=st.data())
def test_malformed_files_fail_cleanly(what, draw):
    data = draw.draw(csv_files(what))
    with tempfile.TemporaryDirectory() as folder:
        src, (code, _, err) = resample_in(folder, data)
        assert_one_line_error(code, err, "resample")
        assert sorted(os.listdir(folder)) == ["in.csv"], what  # no output, no temporary
        code, report, err = run(["inspect", src, "-t", "label", "-q"])
        if BREAKS[what] and code == 0:
            assert err == "" and "rows" in report
        else:
            assert_one_line_error(code, err, "inspect")
        with open(src, "rb") as handle:
            assert handle.read() == data  # the input is untouched


@settings(SETTINGS, max_examples=20)
@given(csv_files("valid"))
def test_harmless_variations_resample(data):
    with tempfile.TemporaryDirectory() as folder:
        _, (code, _, err) = resample_in(folder, data)
        assert code == 0, err
        assert sorted(os.listdir(folder)) == ["in.csv", "out.csv"]
        with open(os.path.join(folder, "out.csv"), "rb") as handle:
            written = handle.read()
        header_end = data.index(b"\n") + 1
        assert written.startswith(data[:header_end])  # the header as it was, mark and all

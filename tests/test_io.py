"""smotekit.io: formats, streaming round trips, CSV records and types, atomic output, columns."""

from __future__ import annotations

import csv
import os

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit.io import (
    AtomicFile,
    BatchWriter,
    CsvDialect,
    CsvSource,
    UnknownFormatError,
    _atomic,
    _csv,
    _formats,
    _records,
    atomic_output,
    check_output_path,
    column_arrays,
    detect_format,
    iter_batches,
    missing_mask,
    named_os_error,
    numeric_matrix,
    read_schema,
)
from smotekit.io._csvwrite import csv_header, csv_rows

TABLE = pa.table(
    {
        "x": [0.1, 1 / 3, -2.5e-8, 4.0],
        "n": pa.array([1, 2, 3, 4], type=pa.int64()),
        "s": ["a", "b,c", 'q"', "d"],
        "y": [0, 1, 0, 1],
    }
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", ("csv", ",", None)),
        ("A.CSV.GZ", ("csv", ",", "gzip")),
        ("a.tsv", ("csv", "\t", None)),
        ("a.tab", ("csv", "\t", None)),
        ("a.tsv.gz", ("csv", "\t", "gzip")),
        ("dir.v2/a.parquet", ("parquet", "", None)),
        ("a.pq", ("parquet", "", None)),
    ],
)
def test_detect_format(name, expected):
    assert detect_format(name) == expected


@pytest.mark.parametrize("name", ["a.xlsx", "a", "a.csv.bz2", "a.json"])
def test_unknown_extension_names_the_file_and_the_choices(name):
    with pytest.raises(UnknownFormatError, match=r"unknown extension.*\.csv\.gz.*\.parquet"):
        detect_format(name)


@pytest.mark.parametrize("name", ["t.csv", "t.csv.gz", "t.tsv", "t.parquet"])
def test_round_trip_keeps_names_order_types_and_values(tmp_path, name):
    path = tmp_path / name
    with BatchWriter(path, TABLE.schema) as writer:
        for batch in TABLE.to_batches(max_chunksize=3):
            writer.write(batch)
    assert read_schema(path) == TABLE.schema
    back = pa.Table.from_batches(list(iter_batches(path)))
    assert back.equals(TABLE)
    only = pa.Table.from_batches(list(iter_batches(path, columns=["y"])))
    assert only.column_names == ["y"]


def test_many_small_batches_stream_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(_csv, "CSV_BLOCK_BYTES", 256)
    monkeypatch.setattr(_formats, "PARQUET_BATCH_ROWS", 7)
    table = pa.table({"v": np.arange(500, dtype=np.int64), "w": np.linspace(0, 1, 500)})
    for name in ("m.csv", "m.parquet"):
        path = tmp_path / name
        with BatchWriter(path, table.schema) as writer:
            writer.write(table)
        batches = list(iter_batches(path))
        assert len(batches) > 3
        assert pa.Table.from_batches(batches).equals(table)


def test_writer_format_follows_format_of(tmp_path):
    tmp = tmp_path / "x.tmp"
    with BatchWriter(tmp, TABLE.schema, format_of="final.parquet") as writer:
        writer.write(TABLE)
    assert tmp.read_bytes()[:4] == b"PAR1"


def test_atomic_output_renames_on_success_and_keeps_mode(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    with atomic_output(target) as tmp:
        assert tmp != target
        tmp.write_text("new")
        assert target.read_text() == "old"
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_atomic_output_leaves_previous_file_on_failure(tmp_path, exc):
    target = tmp_path / "out.csv"
    target.write_text("previous")
    with pytest.raises(exc), atomic_output(target) as tmp:
        tmp.write_text("partial")
        raise exc
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_atomic_output_without_previous_file_leaves_nothing(tmp_path):
    target = tmp_path / "new.parquet"
    with pytest.raises(ValueError), atomic_output(target):
        raise ValueError
    assert list(tmp_path.iterdir()) == []


def test_check_output_path(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("a\n1\n")
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    out = tmp_path / "out.csv"
    assert check_output_path(out, [src], force=False) is None
    assert "is the input" in check_output_path(src, [src], force=True)
    assert "is the input" in check_output_path(link, [src], force=True)
    assert "is the input" in check_output_path(tmp_path / "." / "in.csv", [src], force=True)
    out.write_text("x")
    assert "--force" in check_output_path(out, [src], force=False)
    assert check_output_path(out, [src], force=True) is None
    assert "folder" in check_output_path(tmp_path, [src], force=True)
    assert "does not exist" in check_output_path(tmp_path / "no" / "o.csv", [src], force=False)


def test_numeric_matrix_and_missing_mask():
    batch = pa.record_batch(
        {
            "i": pa.array([1, None, 3, 4], type=pa.int32()),
            "f": [0.5, 1.5, float("nan"), float("inf")],
            "s": ["a", "b", "c", None],
        }
    )
    X = numeric_matrix(batch, ["i", "f"])
    assert X.dtype == np.float64
    np.testing.assert_array_equal(X[:, 0], [1, np.nan, 3, 4])
    np.testing.assert_array_equal(missing_mask(batch, ["i"]), [False, True, False, False])
    np.testing.assert_array_equal(missing_mask(batch, ["f"]), [False, False, True, True])
    np.testing.assert_array_equal(missing_mask(batch, ["s"]), [False, False, False, True])


def test_column_arrays_round_integers_and_keep_types():
    values = np.array([[1.5, 2.49, 0.1, 300.0], [-0.5, -2.51, 0.2, -5.0]])
    types = [pa.int64(), pa.int32(), pa.float32(), pa.uint8()]
    arrays = column_arrays(values, types)
    assert [a.type for a in arrays] == types
    assert arrays[0].to_pylist() == [2, -0]
    assert arrays[1].to_pylist() == [2, -3]
    assert arrays[2].to_pylist() == pytest.approx([0.1, 0.2])
    assert arrays[3].to_pylist() == [255, 0]  # clipped to the type's range


# -- CSV records, byte for byte ------------------------------------------------------------------

FIELDS = st.one_of(
    st.from_regex(r"[a-z0-9 .]{0,5}", fullmatch=True),
    st.text(alphabet='ab,"\r\n ', max_size=6).map(lambda v: '"' + v.replace('"', '""') + '"'),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.lists(FIELDS, min_size=2, max_size=2), min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n"]),
)
def test_record_ends_agree_with_the_csv_module(rows, newline):
    text = "".join(",".join(row) + newline for row in rows)
    buf = text.encode()
    expected, consumed = [], 0
    lines = iter(buf.splitlines(keepends=True))

    def counted():
        nonlocal consumed
        for line in lines:
            consumed += len(line)
            yield line.decode()

    for _ in csv.reader(counted()):
        expected.append(consumed)
    quote, comma = ord('"'), ord(",")
    assert _records.quick_record_ends(buf, quote, final=True).tolist() == expected
    assert _records.exact_record_ends(buf, quote, comma, final=True).tolist() == expected


def test_a_quote_inside_an_unquoted_value_needs_the_exact_rule(tmp_path):
    path = tmp_path / "inch.csv"
    path.write_bytes(b'size,n,y\n5",1,0\n6",2,1\n"7, big",3,0\n8,4,1\n')
    source = CsvSource(path, delimiter=",")
    (block,) = source.blocks()
    assert block.batch.column("size").to_pylist() == ['5"', '6"', "7, big", "8"]
    assert block.records() == path.read_bytes()[len(source.header) :]
    assert (
        block.records(np.array([False, True, True, False]), b",x") == b'6",2,1,x\n"7, big",3,0,x\n'
    )


def test_csv_types_are_decided_once_from_the_first_block(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "zip,when,empty,flag,stray,n,x,label\n"
        + "".join(
            f"0{2100 + i},2024-01-0{1 + i % 9},,{'true' if i % 2 else 'false'},"
            f"{'oops' if i == 4 else i},{i},{i / 4},{i % 2}\n"
            for i in range(30)
        )
    )
    source = CsvSource(path, delimiter=",", text_columns=["n"])
    types = dict(zip(source.schema.names, map(str, source.schema.types), strict=True))
    assert types == {
        "zip": "string",  # zero-padded codes stay text
        "when": "string",
        "empty": "double",
        "flag": "string",
        "stray": "string",
        "n": "string",  # asked for as text
        "x": "double",
        "label": "int64",
    }
    problem = source.mixed["stray"]
    assert (problem.column, problem.value, problem.row, problem.line) == ("stray", "oops", 5, 6)
    assert list(source.mixed) == ["stray"]


def test_small_blocks_give_the_same_rows_and_bytes(tmp_path, monkeypatch):
    path = tmp_path / "q.csv"
    rows = [f'{i},"v\r\n{i}",{i % 3}' for i in range(200)]
    path.write_bytes(("a,b,label\r\n" + "\r\n".join(rows) + "\r\n").encode())
    whole = list(CsvSource(path, delimiter=",").blocks())
    monkeypatch.setattr(_csv, "CSV_BLOCK_BYTES", 64)
    small = list(CsvSource(path, delimiter=",").blocks())
    assert len(whole) == 1 and len(small) > 10
    joined = pa.Table.from_batches([b.batch for b in small])
    assert joined.equals(pa.Table.from_batches([whole[0].batch]))
    assert b"".join(b.records() for b in small) == whole[0].records()
    assert [b.first_row for b in small[:2]] == [0, small[0].batch.num_rows]
    assert (
        small[1].location(0)
        == f"data row {small[0].batch.num_rows + 1} (line {2 + 2 * small[0].batch.num_rows})"
    )


def test_csv_rows_quote_only_where_needed_and_keep_spellings():
    batch = pa.record_batch(
        {"x": [0.1, 2.0, -1e-9], "s": ["plain", 'say "hi"', "a;b"], "y": [0.0, 1.0, 1.0]}
    )
    dialect = CsvDialect(delimiter=";", terminator="\r\n", encoding="latin-1")
    text = csv_rows(batch, dialect, {"y": {0.0: "0.0", 1.0: "1.00"}})
    assert text == b'0.1;plain;0.0\r\n2;"say ""hi""";1.00\r\n-1e-9;"a;b";1.00\r\n'
    assert csv_header(["x", "caf\u00e9"], dialect) == "x;caf\u00e9\r\n".encode("latin-1")


# -- atomic output -------------------------------------------------------------------------------


@pytest.mark.skipif(not _atomic.USE_UNNAMED, reason="no unnamed temporary files here")
def test_an_unnamed_temporary_is_invisible_until_committed(tmp_path):
    target = tmp_path / "out.csv"
    output = AtomicFile(target)
    output.path.write_text("data")
    assert list(tmp_path.iterdir()) == []
    output.commit()
    assert listing(tmp_path) == ["out.csv"] and target.read_text() == "data"


def test_named_temporaries_of_dead_runs_are_removed_and_only_those(tmp_path, monkeypatch):
    monkeypatch.setattr(_atomic, "USE_UNNAMED", False)
    host, pid = _atomic._host(), os.getpid()
    start = _atomic._start_time(pid)
    dead = tmp_path / f".a.csv.smotekit-{host}-999999999-5-x1.tmp"
    reused = tmp_path / f".a.csv.smotekit-{host}-{pid}-{start + 1}-x2.tmp"  # an older pid's
    live = tmp_path / f".b.csv.smotekit-{host}-{pid}-{start}-x3.tmp"
    other_host = tmp_path / ".a.csv.smotekit-00000000-999999999-5-x4.tmp"
    foreign = tmp_path / ".a.csv.ab12cd.tmp"
    for path in (dead, reused, live, other_host, foreign):
        path.write_text("partial")
    output = AtomicFile(tmp_path / "c.csv")
    assert output.path.name.startswith(f".c.csv.smotekit-{host}-{pid}-")
    output.path.write_text("data")
    output.commit()
    assert listing(tmp_path) == sorted(["c.csv", live.name, other_host.name, foreign.name])


def test_a_symbolic_link_is_written_through(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert "is a link" in check_output_path(link, [], force=False)
    assert check_output_path(link, [], force=True) is None
    with atomic_output(link) as tmp:
        tmp.write_text("new")
    assert link.is_symlink() and real.read_text() == "new"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere" / "x.csv")
    assert "does not exist" in check_output_path(dangling, [], force=True)


def test_os_errors_name_the_output():
    named = named_os_error(OSError("Detail: [errno 28] No space left on device"), "o.csv")
    assert (named.errno, named.filename) == (28, "o.csv")
    named = named_os_error(OSError("something odd"), "o.csv")
    assert (named.strerror, named.filename) == ("something odd", "o.csv")


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_quoted_line_breaks_with_a_stray_quote_in_a_big_block(tmp_path):
    # Over 1 MiB, so pyarrow parses the block in parallel pieces that must not cut a quoted value.
    path = tmp_path / "mixed.csv"
    rows = [f'{i},"v\n{i}",{i % 2}' if i % 7 else f'{i},{i}",{i % 2}' for i in range(150_000)]
    path.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    (block,) = CsvSource(path, delimiter=",").blocks()
    column = block.batch.column("b").to_pylist()
    assert column == [f"v\n{i}" if i % 7 else f'{i}"' for i in range(150_000)]

"""smotekit.io: formats by extension, streaming round trips, atomic output, column types."""

from __future__ import annotations

import os

import numpy as np
import pyarrow as pa
import pytest

from smotekit.io import (
    BatchWriter,
    UnknownFormatError,
    _csv,
    _formats,
    atomic_output,
    check_output_path,
    column_arrays,
    detect_format,
    iter_batches,
    missing_mask,
    numeric_matrix,
    read_schema,
)

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

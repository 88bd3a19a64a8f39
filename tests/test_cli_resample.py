"""`smotekit resample`: streaming equals in-memory, types kept, safe writes, one-line errors."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import smotekit
import smotekit.io._atomic
from smotekit import SMOTE
from smotekit.cli import _synthesis, main
from smotekit.io import _csv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_table(n=400, minority=0.12, seed=0, labels=(0, 1)):
    rng = np.random.RandomState(seed)
    y = np.where(rng.rand(n) < minority, labels[1], labels[0])
    return pa.table(
        {
            "f1": rng.normal(size=n),
            "count": rng.randint(0, 50, size=n).astype(np.int64),
            "label": pa.array(y.tolist()),
            "f2": rng.normal(scale=10, size=n),
            "small": rng.randint(-3, 3, size=n).astype(np.int32),
        }
    )


def write(table, path):
    if str(path).endswith(".parquet"):
        pq.write_table(table, path)
        return path
    options = pacsv.WriteOptions(delimiter="\t" if ".tsv" in str(path) else ",")
    if str(path).endswith(".gz"):
        with pa.CompressedOutputStream(str(path), "gzip") as sink:
            pacsv.write_csv(table, sink, write_options=options)
    else:
        pacsv.write_csv(table, path, write_options=options)
    return path


def read(path):
    if str(path).endswith(".parquet"):
        return pq.read_table(path)
    delimiter = "\t" if ".tsv" in str(path) else ","
    return pacsv.read_csv(path, parse_options=pacsv.ParseOptions(delimiter=delimiter))


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


FEATURES = ["f1", "count", "f2", "small"]


def expected(table, sampler):
    """The in-memory result: fit_resample on the whole table, integer columns rounded."""
    X = np.column_stack([table[c].to_numpy().astype(np.float64) for c in FEATURES])
    y = np.asarray(
        table["label"].to_pylist(), dtype=object if table["label"].type == pa.string() else None
    )
    X_res, y_res = sampler.fit_resample(X, y)
    for j, c in enumerate(FEATURES):
        if pa.types.is_integer(table[c].type):
            X_res[:, j] = np.rint(X_res[:, j])
    return X_res, y_res


def as_arrays(table):
    X = np.column_stack([table[c].to_numpy().astype(np.float64) for c in FEATURES])
    return X, np.asarray(table["label"].to_pylist())


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("ext", ["csv", "parquet", "csv.gz", "tsv"])
def test_streaming_equals_in_memory_and_keeps_types(tmp_path, capsys, ext):
    table = make_table()
    src = write(table, tmp_path / f"in.{ext}")
    before = digest(src)
    out = tmp_path / f"out.{ext}"
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "--target", "label", "--seed", 3)
    assert code == 0, err
    assert digest(src) == before
    result = read(out)
    assert result.schema == read(src).schema  # names, order and types
    X_exp, y_exp = expected(table, SMOTE(random_state=3))
    X_out, y_out = as_arrays(result)
    np.testing.assert_array_equal(X_out, X_exp)
    np.testing.assert_array_equal(y_out, y_exp)
    counts = np.unique(y_out, return_counts=True)[1]
    assert counts[0] == counts[1]
    assert err.count("\n") == 1 and "rows in" in err and "rows out" in err


def test_small_input_and_output_blocks_give_the_same_rows(tmp_path, capsys, monkeypatch):
    table = make_table(n=900, labels=("no", "yes"))
    src = write(table, tmp_path / "in.csv")
    code, *_ = run_cli(capsys, "resample", src, "-o", tmp_path / "a.csv", "-t", "label")
    assert code == 0
    # Tiny input blocks and output blocks.
    monkeypatch.setattr(_csv, "CSV_BLOCK_BYTES", 2048)
    monkeypatch.setattr(_synthesis, "CHUNK_ROWS", 37)
    code, *_ = run_cli(capsys, "resample", src, "-o", tmp_path / "b.csv", "-t", "label")
    assert code == 0
    assert read(tmp_path / "a.csv").equals(read(tmp_path / "b.csv"))
    X_exp, y_exp = expected(table, SMOTE(random_state=0))
    X_out, y_out = as_arrays(read(tmp_path / "b.csv"))
    np.testing.assert_array_equal(X_out, X_exp)
    np.testing.assert_array_equal(y_out, y_exp)


@pytest.mark.parametrize(
    ("strategy", "expected_counts"),
    [
        ("b=300,c=250", {"a": 300, "b": 300, "c": 250}),
        ("minority", {"a": 300, "b": 60, "c": 300}),
        ("all", {"a": 300, "b": 300, "c": 300}),
        ("not-majority", {"a": 300, "b": 300, "c": 300}),
    ],
)
def test_sampling_strategies_multiclass_string_labels(tmp_path, capsys, strategy, expected_counts):
    rng = np.random.RandomState(1)
    y = ["a"] * 300 + ["b"] * 60 + ["c"] * 40
    table = pa.table({"x": rng.normal(size=400), "z": rng.normal(size=400), "label": y})
    src = write(table, tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "label", "-s", strategy)
    assert code == 0, err
    labels, counts = np.unique(read(out)["label"].to_pylist(), return_counts=True)
    assert dict(zip(labels.tolist(), counts.tolist(), strict=True)) == expected_counts
    sampler_strategy = {"b": 300, "c": 250} if "=" in strategy else strategy.replace("-", " ")
    X = np.column_stack([table["x"].to_numpy(), table["z"].to_numpy()])
    X_exp, y_exp = SMOTE(sampling_strategy=sampler_strategy, random_state=0).fit_resample(
        X, np.asarray(y, dtype=object)
    )
    result = read(out)
    np.testing.assert_array_equal(
        np.column_stack([result["x"].to_numpy(), result["z"].to_numpy()]), X_exp
    )
    np.testing.assert_array_equal(np.asarray(result["label"].to_pylist(), dtype=object), y_exp)


def test_ratio_strategy_and_k(tmp_path, capsys):
    table = make_table()
    src = write(table, tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    code, *_ = run_cli(capsys, "resample", src, "-o", out, "-t", "label", "-s", "0.5", "-k", "3")
    assert code == 0
    X_exp, y_exp = expected(table, SMOTE(sampling_strategy=0.5, k_neighbors=3, random_state=0))
    X_out, y_out = as_arrays(read(out))
    np.testing.assert_array_equal(X_out, X_exp)
    np.testing.assert_array_equal(y_out, y_exp)


def test_mark_synthetic_and_provenance(tmp_path, capsys):
    table = make_table()
    src = write(table, tmp_path / "in.parquet")
    out, prov = tmp_path / "out.parquet", tmp_path / "prov.csv"
    code, *_ = run_cli(
        capsys,
        "resample",
        src,
        "-o",
        out,
        "-t",
        "label",
        "--mark-synthetic",
        "is_synthetic",
        "--provenance",
        prov,
    )
    assert code == 0
    result = read(out)
    assert result.column_names == [*table.column_names, "is_synthetic"]
    mark = np.asarray(result["is_synthetic"].to_pylist())
    n = table.num_rows
    assert not mark[:n].any() and mark[n:].all()
    records = read(prov)
    assert records.column_names == ["row", "base", "neighbor", "gap"]
    np.testing.assert_array_equal(records["row"].to_numpy(), np.arange(n, result.num_rows))
    f1 = result["f1"].to_numpy()
    base, nbr, gap = (records[c].to_numpy() for c in ("base", "neighbor", "gap"))
    np.testing.assert_allclose(f1[n:], f1[base] + gap * (f1[nbr] - f1[base]), rtol=1e-12)
    labels = np.asarray(result["label"].to_pylist())
    assert (labels[base] == labels[n:]).all() and (labels[nbr] == labels[n:]).all()


def test_nan_drop_leaves_incomplete_rows_out(tmp_path, capsys):
    table = make_table()
    f1 = table["f1"].to_numpy().copy()
    f1[[5, 17]] = np.nan
    table = table.set_column(0, "f1", pa.array(f1))
    src = write(table, tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "label", "--nan", "drop")
    assert code == 0
    assert "2 with missing values dropped" in err
    complete = table.filter(pa.array(np.isfinite(f1)))
    X_exp, _ = expected(complete, SMOTE(random_state=0))
    np.testing.assert_array_equal(as_arrays(read(out))[0], X_exp)


def test_other_methods_equal_their_in_memory_sampler(tmp_path, capsys):
    table = make_table(n=500, minority=0.2)
    src = write(table, tmp_path / "in.csv")
    ran = 0
    for name, cls, params in [
        ("borderline1", "BorderlineSMOTE", {"kind": "borderline-1"}),
        ("borderline2", "BorderlineSMOTE", {"kind": "borderline-2"}),
        ("adasyn", "ADASYN", {}),
        ("svm", "SVMSMOTE", {}),
    ]:
        if not hasattr(smotekit, cls):
            continue
        out = tmp_path / f"{name}.csv"
        code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "label", "-m", name)
        assert code == 0, err
        X_exp, y_exp = expected(table, getattr(smotekit, cls)(random_state=0, **params))
        X_out, y_out = as_arrays(read(out))
        np.testing.assert_array_equal(X_out, X_exp)
        np.testing.assert_array_equal(y_out, y_exp)
        ran += 1
    assert ran >= 1


def test_categorical_auto_switches_to_smotenc(tmp_path, capsys):
    if not hasattr(smotekit, "SMOTENC"):
        pytest.skip("SMOTENC is not part of this build yet")
    rng = np.random.RandomState(0)
    n = 300
    colours = np.array(["red", "green", "blue"])[rng.randint(0, 3, n)]
    y = (rng.rand(n) < 0.15).astype(np.int64)
    table = pa.table({"x": rng.normal(size=n), "colour": colours, "label": y})
    src = write(table, tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "label")
    assert code == 0, err
    result = read(out)
    assert result.schema == table.schema
    assert set(result["colour"].to_pylist()) <= {"red", "green", "blue"}
    assert result.num_rows == 2 * int((y == 0).sum())


def test_plot_is_written(tmp_path, capsys):
    src = write(make_table(), tmp_path / "in.csv")
    plot = tmp_path / "p.png"
    code, *_ = run_cli(
        capsys, "resample", src, "-o", tmp_path / "o.csv", "-t", "label", "--plot", plot
    )
    assert code == 0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def one_line_error(capsys, argv, code):
    got, _, err = run_cli(capsys, *argv)
    assert got == code, err
    assert err.startswith("smotekit resample: error: ") and err.count("\n") == 1, err
    return err


def test_errors_are_one_line_with_the_right_code(tmp_path, capsys):
    table = make_table()
    src = write(table, tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    base = ["resample", src, "-o", out]
    err = one_line_error(capsys, [*base, "-t", "nope"], 2)
    assert "--target" in err and "'nope'" in err and "'label'" in err
    err = one_line_error(capsys, [*base, "-t", "label", "-m", "magic"], 2)
    assert "unknown method 'magic'" in err and "smote" in err
    err = one_line_error(capsys, ["resample", tmp_path / "in.xlsx", "-o", out, "-t", "label"], 2)
    assert "in.xlsx" in err and "unknown extension" in err
    err = one_line_error(capsys, ["resample", src, "-o", tmp_path / "o.json", "-t", "label"], 2)
    assert "--output" in err and "o.json" in err
    err = one_line_error(capsys, ["resample", src, "-o", src, "-t", "label", "--force"], 2)
    assert "is the input" in err
    err = one_line_error(capsys, [*base, "-t", "label", "-s", "sideways"], 2)
    assert "--sampling-strategy" in err
    err = one_line_error(capsys, [*base, "-t", "label", "-s", "7=10"], 2)
    assert "no class '7'" in err
    err = one_line_error(capsys, [*base, "-t", "label", "--mark-synthetic", "f1"], 2)
    assert "--mark-synthetic" in err and "'f1'" in err
    err = one_line_error(capsys, [*base, "-t", "label", "--nan", "fill"], 2)
    assert "--nan" in err
    err = one_line_error(capsys, [*base, "-t", "label", "--categorical", "colour"], 2)
    assert "--categorical" in err and "'colour'" in err
    out.write_text("keep me")
    err = one_line_error(capsys, [*base, "-t", "label"], 2)
    assert "exists" in err and "--force" in err
    assert out.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_data_errors_exit_1(tmp_path, capsys):
    out = tmp_path / "out.csv"
    err = one_line_error(capsys, ["resample", tmp_path / "missing.csv", "-o", out, "-t", "y"], 1)
    assert "missing.csv" in err and "no such file" in err
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"this is not parquet")
    err = one_line_error(capsys, ["resample", bad, "-o", out, "-t", "y"], 1)
    assert "cannot read" in err and "bad.parquet" in err

    one = write(pa.table({"x": [1.0, 2.0, 3.0], "y": [1, 1, 1]}), tmp_path / "one.csv")
    err = one_line_error(capsys, ["resample", one, "-o", out, "-t", "y"], 1)
    assert "single class" in err and "'y'" in err

    tiny = write(pa.table({"x": np.arange(23.0), "y": [0] * 20 + [1] * 3}), tmp_path / "tiny.csv")
    err = one_line_error(capsys, ["resample", tiny, "-o", out, "-t", "y"], 1)
    assert "class 1" in err and "3 rows" in err and "--k-neighbors 2" in err
    # the sampler's own check, in the command line's words
    lone = write(pa.table({"x": np.arange(8.0), "y": [0] * 7 + [1]}), tmp_path / "lone.csv")
    err = one_line_error(capsys, ["resample", lone, "-o", out, "-t", "y", "-m", "prowsyn"], 1)
    assert "class 1 has 1 row, but --method prowsyn needs at least 2" in err
    few = write(pa.table({"x": np.arange(8.0), "y": [0] * 5 + [1] * 3}), tmp_path / "few.csv")
    err = one_line_error(capsys, ["resample", few, "-o", out, "-t", "y", "-m", "borderline1"], 1)
    assert "8 rows" in err and "m_neighbors=10" in err and "not an option here" in err
    assert "k_neighbors" not in err

    holes = write(pa.table({"x": [1.0, None, 3.0, 4.0], "y": [0, 0, 1, 1]}), tmp_path / "holes.csv")
    err = one_line_error(capsys, ["resample", holes, "-o", out, "-t", "y"], 1)
    assert "column 'x'" in err and "row 2" in err and "--nan drop" in err

    text = write(pa.table({"x": ["a", "b", "c", "d"], "y": [0, 0, 1, 1]}), tmp_path / "t.csv")
    err = one_line_error(capsys, ["resample", text, "-o", out, "-t", "y", "-m", "smote"], 2)
    assert "'x'" in err and "categorical" in err and "smotenc" in err
    assert not out.exists()


def test_empty_file_and_negative_seed(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("x,y\n")
    out = tmp_path / "out.csv"
    err = one_line_error(capsys, ["resample", empty, "-o", out, "-t", "y"], 1)
    assert "no data rows" in err
    src = write(make_table(), tmp_path / "in.csv")
    err = one_line_error(capsys, ["resample", src, "-o", out, "-t", "label", "--seed", "-1"], 2)
    assert "--seed" in err


def test_approximate_neighbours(tmp_path, capsys):
    import smotekit.neighbors

    src = write(make_table(n=600), tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    argv = ["resample", src, "-o", out, "-t", "label", "--approximate"]
    if not hasattr(smotekit.neighbors, "ApproximateNeighbors"):
        err = one_line_error(capsys, argv, 2)
        assert "--approximate" in err
        return
    code, _, err = run_cli(capsys, *argv)
    assert code == 0, err
    labels = np.asarray(read(out)["label"].to_pylist())
    assert (labels == 0).sum() == (labels == 1).sum()
    again = tmp_path / "again.csv"
    code, *_ = run_cli(capsys, "resample", src, "-o", again, "-t", "label", "--approximate")
    assert code == 0
    assert read(again).equals(read(out))  # the seed also seeds the index


def test_interrupt_in_process_keeps_previous_output(tmp_path, capsys, monkeypatch):
    src = write(make_table(), tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    out.write_text("previous")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_synthesis.SyntheticRows, "from_block", interrupted)
    code = main(["resample", str(src), "-o", str(out), "-t", "label", "--force"])
    assert code == 130
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


# A run whose writes stall after the first block of original rows, as on a slow disk, so it can be
# killed mid-write; UNNAMED=0 makes it use a named temporary (the fallback of systems without
# unnamed files).
SLOW_RUN = textwrap.dedent(
    """
    import os, sys, time
    import smotekit.io._atomic as atomic
    from smotekit.io import BatchWriter
    atomic.USE_UNNAMED = atomic.USE_UNNAMED and os.environ["UNNAMED"] == "1"
    write = BatchWriter.write_block
    def slow(self, *args, **kwargs):
        write(self, *args, **kwargs)
        print("WROTE", file=sys.stderr, flush=True)
        time.sleep(60)
    BatchWriter.write_block = slow
    from smotekit.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def start_slow_run(src, out, unnamed):
    command = [sys.executable, "-c", SLOW_RUN, "resample", src, "-o", out, "-t", "label"]
    return subprocess.Popen(
        [str(a) for a in [*command, "--force", "--quiet"]],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "UNNAMED": "1" if unnamed else "0"},
    )


@pytest.mark.parametrize("unnamed", [True, False])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_killed_mid_write_leaves_previous_output(tmp_path, sig, unnamed):
    src = write(make_table(), tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    out.write_text("previous")
    proc = start_slow_run(src, out, unnamed)
    try:
        assert proc.stderr.readline().strip() == "WROTE"
        partial = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        if unnamed and smotekit.io._atomic.USE_UNNAMED:
            assert partial == []  # the temporary has no name
        else:
            assert len(partial) == 1 and partial[0].stat().st_size > 0  # killed mid-write
        proc.send_signal(sig)
        code = proc.wait(timeout=60)
        err = proc.stderr.read()
    finally:
        proc.kill()
    assert out.read_text() == "previous"
    names = sorted(p.name for p in tmp_path.iterdir())
    if sig != signal.SIGKILL:
        assert code == 128 + sig, err
        assert err.count("\n") == 1 and "interrupted" in err, err
        assert names == ["in.csv", "out.csv"]
        return
    assert code == -signal.SIGKILL  # no chance to clean up
    if unnamed and smotekit.io._atomic.USE_UNNAMED:
        assert names == ["in.csv", "out.csv"]  # an unnamed temporary vanishes with the process
        return
    assert [n for n in names if not n.endswith(".tmp")] == ["in.csv", "out.csv"]
    assert len(names) == 3  # the hidden temporary of the killed run ...
    argv = ["resample", src, "-o", tmp_path / "next.csv", "-t", "label", "--quiet"]
    assert main([str(a) for a in argv]) == 0  # ... is removed by the next run in that folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "next.csv", "out.csv"]


def test_subprocess_run_and_quiet(tmp_path):
    src = write(make_table(), tmp_path / "in.parquet")
    out = tmp_path / "out.csv.gz"
    cmd = [sys.executable, "-m", "smotekit", "resample", str(src), "-o", str(out), "-t", "label"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "400 rows in" in done.stderr
    done = subprocess.run([*cmd, "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and "--force" in done.stderr
    done = subprocess.run(
        [*cmd, "--quiet", "--force"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0 and done.stderr == ""
    assert read(out).num_rows > 400


def test_a_method_runs_on_every_class_it_can_grow(tmp_path, capsys):
    # ProWSyn interpolates between two rows of a class: 3 rows are enough, whatever its
    # n_neighbors (the command line used to ask every method for k + 1 rows per class)
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0, 1, (30, 2)), rng.normal(3, 1, (3, 2))]
    y = np.r_[np.zeros(30, int), np.ones(3, int)]
    src = write(pa.table({"a": X[:, 0], "b": X[:, 1], "y": y}), tmp_path / "in.csv")
    code, _, err = run_cli(
        capsys, "resample", src, "-o", tmp_path / "o.csv", "-t", "y", "-m", "prowsyn"
    )
    assert code == 0, err
    X_ref, _ = smotekit.ProWSyn(random_state=0).fit_resample(X, y)
    out = read(tmp_path / "o.csv")
    np.testing.assert_allclose(np.c_[out["a"], out["b"]], X_ref, rtol=1e-15)


def test_approximate_searches_the_neighbours_the_method_asks_for(tmp_path, capsys):
    # ProWSyn's n_neighbors counts no row itself: --approximate must search K = 5, not 6
    from smotekit.neighbors import ApproximateNeighbors

    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(1, 1, (100, 2))]
    y = np.r_[np.zeros(200, int), np.ones(100, int)]  # where K = 5 and 6 give other levels
    src = write(pa.table({"a": X[:, 0], "b": X[:, 1], "y": y}), tmp_path / "in.csv")
    argv = ["resample", src, "-o", tmp_path / "o.csv", "-t", "y", "-m", "prowsyn", "--approximate"]
    code, _, err = run_cli(capsys, *argv)
    assert code == 0, err
    search = ApproximateNeighbors(n_neighbors=5, random_state=0)
    X_ref, _ = smotekit.ProWSyn(random_state=0, n_neighbors=search).fit_resample(X, y)
    out = read(tmp_path / "o.csv")
    np.testing.assert_allclose(np.c_[out["a"], out["b"]], X_ref, rtol=1e-15)

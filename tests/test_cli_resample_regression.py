"""`smotekit resample --task regression`: the library's rows, originals kept, one-line errors."""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from smotekit.cli import _synthesis, main
from smotekit.neighbors import ApproximateNeighbors
from smotekit.regression import SMOGN, SMOTER, GaussianNoiseRegression, RandomOverSamplerRegression

FEATURES = ["f1", "count", "f2", "small"]


def make_table(n=300, seed=0, integer_target=False):
    """Features, and a right-skewed target whose high values are rare."""
    rng = np.random.RandomState(seed)
    f1 = rng.normal(size=n)
    price = np.exp(f1 + rng.normal(scale=0.5, size=n)) * 100
    return pa.table(
        {
            "f1": f1,
            "count": rng.randint(0, 50, size=n).astype(np.int64),
            "price": np.rint(price).astype(np.int64) if integer_target else price,
            "f2": rng.normal(scale=10, size=n),
            "small": rng.randint(-3, 3, size=n).astype(np.int32),
        }
    )


def write(table, path):
    """Write ``table``; returns the path and the table as read back (a CSV's int32 is int64)."""
    if str(path).endswith(".parquet"):
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)
    return path, read(path)


def read(path):
    return pq.read_table(path) if str(path).endswith(".parquet") else pacsv.read_csv(path)


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.err


def library_result(table, sampler):
    """What the library gives on the same arrays: kept rows, synthetic X and y (rounded)."""
    X = np.column_stack([table[c].to_numpy().astype(np.float64) for c in FEATURES])
    y = table["price"].to_numpy().astype(np.float64)
    X_res, y_res = sampler.fit_resample(X, y)
    n = sampler.sample_indices_.size
    X_new, y_new = X_res[n:], y_res[n:]
    for j, c in enumerate(FEATURES):
        if pa.types.is_integer(table[c].type):
            X_new[:, j] = np.rint(X_new[:, j])
    if pa.types.is_integer(table["price"].type):
        y_new = np.rint(y_new)
    return sampler, X_new, y_new


def check_output(result, table, sampler, X_new, y_new):
    kept = sampler.sample_indices_
    n = kept.size
    assert result.schema == table.schema  # names, order and types
    assert result.slice(0, n).equals(table.take(pa.array(kept)))  # originals exactly
    new = result.slice(n)
    X_out = np.column_stack([new[c].to_numpy().astype(np.float64) for c in FEATURES])
    np.testing.assert_array_equal(X_out, X_new)
    np.testing.assert_array_equal(new["price"].to_numpy().astype(np.float64), y_new)


@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_output_equals_the_library_and_keeps_originals(tmp_path, capsys, ext):
    src, table = write(make_table(), tmp_path / f"in.{ext}")
    before = digest(src)
    out = tmp_path / f"out.{ext}"
    code, err = run_cli(capsys, "resample", src, "-o", out, "--task", "regression", "-t", "price")
    assert code == 0, err
    assert digest(src) == before
    sampler, X_new, y_new = library_result(table, SMOTER(random_state=0))
    assert 0 < len(y_new) and sampler.sample_indices_.size < table.num_rows  # grown and shrunk
    check_output(read(out), table, sampler, X_new, y_new)
    removed = table.num_rows - sampler.sample_indices_.size
    assert err.count("\n") == 1, err
    assert f"rare bin: +{len(y_new)}; 1 normal bin: -{removed})" in err, err
    if ext == "csv":  # the kept records are the input's bytes
        lines = open(src, "rb").read().splitlines(keepends=True)
        kept = [lines[0]] + [lines[1 + i] for i in sampler.sample_indices_]
        assert open(out, "rb").read().splitlines(keepends=True)[: len(kept)] == kept


@pytest.mark.parametrize(
    ("options", "sampler"),
    [
        (["-m", "smogn", "-k", "3", "--seed", "7"], SMOGN(k_neighbors=3, random_state=7)),
        (
            ["-m", "random", "-s", "extreme", "--relevance-threshold", "0.8"],
            RandomOverSamplerRegression(sampling_strategy="extreme", threshold=0.8, random_state=0),
        ),
        (
            ["-m", "gaussian_noise", "--no-undersample", "-s", "1,3"],
            GaussianNoiseRegression(sampling_strategy=[1, 3], undersample=False, random_state=0),
        ),
        (["-m", "smoter", "-s", "1=2.5"], SMOTER(sampling_strategy={1: 2.5}, random_state=0)),
        (
            ["--approximate", "-k", "4"],
            SMOTER(k_neighbors=ApproximateNeighbors(5, random_state=0), random_state=0),
        ),
    ],
)
def test_methods_and_options_equal_their_sampler(tmp_path, capsys, options, sampler):
    src, table = write(make_table(integer_target=True), tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    code, err = run_cli(
        capsys, "resample", src, "-o", out, "--task", "regression", "-t", "price", *options
    )
    assert code == 0, err
    result = read(out)
    assert result.schema.field("price").type == pa.int64()  # an integer target stays integer
    check_output(result, table, *library_result(table, sampler))


def test_mark_synthetic_provenance_and_small_chunks(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(_synthesis, "CHUNK_ROWS", 7)
    src, table = write(make_table(), tmp_path / "in.csv")
    out, prov = tmp_path / "out.csv", tmp_path / "prov.csv"
    argv = ["resample", src, "-o", out, "--task", "regression", "-t", "price"]
    code, err = run_cli(capsys, *argv, "--mark-synthetic", "synthetic", "--provenance", prov)
    assert code == 0, err
    result = read(out)
    assert result.column_names == [*table.column_names, "synthetic"]
    sampler, X_new, y_new = library_result(table, SMOTER(random_state=0))
    n = sampler.sample_indices_.size
    mark = np.asarray(result["synthetic"].to_pylist())
    assert not mark[:n].any() and mark[n:].all() and mark.size == n + len(y_new)
    check_output(result.drop_columns(["synthetic"]), table, sampler, X_new, y_new)
    records = read(prov)
    np.testing.assert_array_equal(records["row"].to_numpy(), np.arange(n, result.num_rows))
    base, nbr, gap = (records[c].to_numpy() for c in ("base", "neighbor", "gap"))
    assert (base < n).all() and (nbr < n).all()  # output rows of kept originals
    for column in ("f1", "price"):
        v = result[column].to_numpy()
        np.testing.assert_allclose(v[n:], v[base] + gap * (v[nbr] - v[base]), rtol=1e-12)


def test_nan_drop_and_nan_error(tmp_path, capsys):
    table = make_table()
    f2 = table["f2"].to_numpy().copy()
    f2[[3, 40]] = np.nan
    table = table.set_column(3, "f2", pa.array(f2))
    src, _ = write(table, tmp_path / "in.parquet")
    out = tmp_path / "out.parquet"
    argv = ["resample", src, "-o", out, "--task", "regression", "-t", "price"]
    err = one_line_error(capsys, argv, 1)
    assert "column 'f2' has a missing value at data row 4" in err and "--nan drop" in err
    assert not out.exists()
    code, err = run_cli(capsys, *argv, "--nan", "drop")
    assert code == 0, err
    assert "2 with missing values dropped" in err
    complete = table.filter(pa.array(np.isfinite(f2)))
    check_output(read(out), complete, *library_result(complete, SMOTER(random_state=0)))


def one_line_error(capsys, argv, code):
    got, err = run_cli(capsys, *argv)
    assert got == code, err
    assert err.startswith("smotekit resample: error: ") and err.count("\n") == 1, err
    return err


def test_data_errors_name_the_column_and_what_to_do(tmp_path, capsys):
    out = tmp_path / "out.csv"

    def error(table, *options, code=1):
        src, _ = write(table, tmp_path / "in.csv")
        argv = ["resample", src, "-o", out, "--task", "regression", "-t", "price", *options]
        err = one_line_error(capsys, argv, code)
        assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
        return err

    table = make_table(n=40)
    text = table.set_column(2, "price", pa.array(["cheap"] * 40))
    err = error(text, code=2)
    assert "--target: column 'price' holds string values, not numbers" in err
    assert "--task classification" in err
    words = table.append_column("city", pa.array(["a"] * 40)).append_column(
        "ok", pa.array([True] * 40)
    )
    err = error(words, code=2)
    assert "columns 'city', 'ok' are not numeric" in err
    constant = table.set_column(2, "price", pa.array(np.full(40, 5.0)))
    err = error(constant)
    assert "column 'price' is constant (every value is 5)" in err
    y = np.r_[np.zeros(38), 50.0, 60.0]  # two rare cases, too few for k = 5
    err = error(table.set_column(2, "price", pa.array(y)))
    assert "rare bin 1 (2 cases" in err and "k=5" not in err
    assert "--k-neighbors 5" in err and "Lower --k-neighbors to at most 1" in err
    err = error(table.set_column(2, "price", pa.array(np.linspace(0, 1, 40))))
    assert "No target value has relevance >= --relevance-threshold 0.5" in err
    assert "Lower --relevance-threshold" in err and "control_points" not in err
    err = error(table, "-s", "5=2")
    assert "--sampling-strategy names bin 5, but y has" in err
    err = error(table, "-s", "1,0.5", "--no-undersample")
    assert "shrinks bin 1 (ratio 0.5) but --no-undersample: pass --undersample" in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--dask", "local"], "--dask: --task regression reads the whole file"),
        (["--plot", "p.png"], "--plot: --task regression draws no plot"),
        (["--categorical", "f1"], "--categorical f1: --task regression takes numeric features"),
        (["-m", "smote"], "--method: 'smote' is not a regression method; with --task regression"),
        (["-m", "random_over", "-k", "3"], "--k-neighbors: --method random_over has no neighbour"),
        (["--relevance-threshold", "1.5"], "--relevance-threshold: 1.5 is outside [0, 1]"),
        (["-s", "sideways"], "--sampling-strategy: 'sideways' is not balance, extreme"),
        (["-s", "1,-2"], "--sampling-strategy: the ratio -2.0 is not a number >= 0"),
        (["-s", "1=2,1=3"], "--sampling-strategy: '1=2,1=3' names a bin twice"),
    ],
)
def test_usage_errors(tmp_path, capsys, options, message):
    src, _ = write(make_table(n=40), tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    argv = ["resample", src, "-o", out, "--task", "regression", "-t", "price", *options]
    err = one_line_error(capsys, argv, 2)
    assert message in err, err
    assert not out.exists()


@pytest.mark.parametrize("option", [["--relevance-threshold", "0.3"], ["--no-undersample"]])
def test_regression_options_are_refused_for_classification(tmp_path, capsys, option):
    src, _ = write(make_table(n=40), tmp_path / "in.csv")
    argv = ["resample", src, "-o", tmp_path / "out.csv", "-t", "small", *option]
    err = one_line_error(capsys, argv, 2)
    assert f"{option[0]}: applies only to --task regression" in err


def test_interrupt_keeps_the_previous_output(tmp_path, capsys, monkeypatch):
    src, _ = write(make_table(), tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    out.write_text("previous")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_synthesis.SyntheticRows, "from_resampled", interrupted)
    argv = ["resample", src, "-o", out, "--task", "regression", "-t", "price", "--force"]
    code, err = run_cli(capsys, *argv)
    assert code == 130, err
    assert out.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]

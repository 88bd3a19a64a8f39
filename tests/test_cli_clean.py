"""``smotekit resample --clean``: SMOTEENN's and SMOTETomek's cleaning, streaming from the file."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import smotekit
from smotekit.cli import _clean, _synthesis, main
from smotekit.engine._cleaning import clean_in_memory
from smotekit.io import _csv, _resample

FEATURES = ["a", "b", "c"]
COMBINED = {"enn": smotekit.SMOTEENN, "tomek": smotekit.SMOTETomek}
METHODS = {
    "smote": lambda seed: smotekit.SMOTE(random_state=seed),
    "borderline1": lambda seed: smotekit.BorderlineSMOTE(random_state=seed),
    "adasyn": lambda seed: smotekit.ADASYN(random_state=seed),
}


def make_data(n=360, seed=0, grid=None):
    """Three overlapping classes (sizes about 6:3:1); ``grid`` rounds the features to a coarse
    grid, which makes exact duplicate rows."""
    rng = np.random.RandomState(seed)
    y = rng.choice([0, 1, 2], size=n, p=[0.6, 0.3, 0.1])
    X = rng.normal(size=(n, 3)) + 0.8 * y[:, None]
    if grid is not None:
        X = np.round(X / grid) * grid
    return X, y


def write(X, y, path):
    table = pa.table({"a": X[:, 0], "b": X[:, 1], "label": y, "c": X[:, 2]})
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)
    return path


def read(path):
    table = pq.read_table(path) if path.suffix == ".parquet" else pacsv.read_csv(path)
    X = np.column_stack([table.column(c).to_numpy() for c in FEATURES])
    return X, table.column("label").to_numpy(), table


def resample(tmp_path, src, *extra, name="out"):
    out = tmp_path / f"{name}{src.suffix}"
    argv = ["resample", str(src), "-o", str(out), "-t", "label", "-q", *map(str, extra)]
    assert main(argv) == 0
    return out


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("clean", ["enn", "tomek"])
@pytest.mark.parametrize("method", sorted(METHODS))
def test_rows_equal_the_combined_sampler_in_memory(tmp_path, suffix, clean, method):
    X, y = make_data()
    src = write(X, y, tmp_path / f"in{suffix}")
    out = resample(tmp_path, src, "--clean", clean, "-m", method, "--seed", 5)
    combined = COMBINED[clean](smote=METHODS[method](5), random_state=5)
    X_exp, y_exp = combined.fit_resample(X, y)
    X_out, y_out, _ = read(out)
    np.testing.assert_array_equal(y_out, y_exp)
    np.testing.assert_array_equal(X_out, X_exp)


@pytest.mark.parametrize("clean", ["enn", "tomek"])
def test_duplicate_rows_follow_the_engines_tie_rule(tmp_path, clean):
    X, y = make_data(grid=0.5)
    assert len(np.unique(X, axis=0)) < len(X)  # exact duplicates: ties decide
    src = write(X, y, tmp_path / "in.csv")
    out = resample(tmp_path, src, "--clean", clean)
    X_os, y_os = smotekit.SMOTE(random_state=0).fit_resample(X, y)
    _, rule = COMBINED[clean](smote=smotekit.SMOTE(random_state=0))._rules()
    kept = clean_in_memory(rule, X_os, y_os)
    X_out, y_out, _ = read(out)
    np.testing.assert_array_equal(y_out, y_os[kept])
    np.testing.assert_array_equal(X_out, X_os[kept])


@pytest.mark.parametrize("clean", ["enn", "tomek"])
def test_small_groups_and_partitions_give_the_same_file(tmp_path, monkeypatch, clean):
    X, y = make_data()
    src = write(X, y, tmp_path / "in.csv")
    whole = resample(tmp_path, src, "--clean", clean, "-m", "borderline1", name="whole")
    asked = []
    search = _resample.clean_blockwise

    def spy(rule, partitions, counts, *, query_rows):
        sizes = [len(y_part) for _, y_part in partitions()]
        asked.append((query_rows, max(sizes)))
        return search(rule, partitions, counts, query_rows=query_rows)

    monkeypatch.setattr(_resample, "clean_blockwise", spy)
    monkeypatch.setattr(_clean, "CLEAN_MEMORY", 30_000)  # a few dozen asking rows per pass
    monkeypatch.setattr(_csv, "CSV_BLOCK_BYTES", 2048)
    monkeypatch.setattr(_synthesis, "CHUNK_ROWS", 37)
    small = resample(tmp_path, src, "--clean", clean, "-m", "borderline1", name="small")
    assert small.read_bytes() == whole.read_bytes()
    [(query_rows, largest)] = asked
    assert query_rows < 100 and largest < 100  # of about 700 rows


def test_mark_and_provenance_number_the_cleaned_output(tmp_path):
    X, y = make_data()
    src = write(X, y, tmp_path / "in.parquet")
    prov = tmp_path / "prov.csv"
    extra = ["--clean", "enn", "--mark-synthetic", "synthetic", "--provenance", prov]
    out = resample(tmp_path, src, *extra, "-m", "borderline1")
    combined = smotekit.SMOTEENN(smote=smotekit.BorderlineSMOTE(random_state=0))
    combined.fit_resample(X, y)
    marked = pq.read_table(out).column("synthetic").to_numpy()
    np.testing.assert_array_equal(marked, combined.synthetic_mask_)
    records = pacsv.read_csv(prov)
    np.testing.assert_array_equal(records.column("row").to_numpy(), np.flatnonzero(marked))
    for field in ("base", "neighbor", "gap"):
        np.testing.assert_array_equal(records.column(field).to_numpy(), combined.provenance_[field])


def test_csv_records_stay_byte_for_byte_and_nan_drop(tmp_path, capsys):
    X, y = make_data()
    lines = ["a,b,label,c"] + [
        f"{a:.3f},{b:.2f}0,{label},{c:.3f}" for (a, b, c), label in zip(X, y, strict=True)
    ]
    lines[7] = "0.5,,0,1.0"  # a missing value: left out under --nan drop
    src = tmp_path / "in.csv"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    argv = ["resample", str(src), "-o", str(out), "-t", "label", "--clean", "tomek"]
    assert main([*argv, "--nan", "drop", "--mark-synthetic", "new"]) == 0
    err = capsys.readouterr().err
    assert "removed by cleaning" in err and "1 with missing values dropped" in err
    valid = [line for i, line in enumerate(lines[1:]) if i != 6]
    fields = [line.split(",") for line in valid]
    X_in = np.array([[float(r[0]), float(r[1]), float(r[3])] for r in fields])
    y_in = np.array([int(r[2]) for r in fields])
    tomek = smotekit.SMOTETomek(smote=smotekit.SMOTE(random_state=0))
    tomek.fit_resample(X_in, y_in)
    kept = tomek.tomek_.sample_indices_
    written = out.read_text().splitlines()
    originals = [f"{valid[i]},false" for i in kept[kept < len(valid)]]
    assert written[0] == "a,b,label,c,new"
    assert written[1 : 1 + len(originals)] == originals
    assert all(line.endswith(",true") for line in written[1 + len(originals) :])


def test_a_method_fitted_in_memory_is_cleaned_as_the_combined_sampler(tmp_path, capsys):
    X, y = make_data()
    src = write(X, y, tmp_path / "in.csv")
    out = resample(tmp_path, src, "--clean", "enn", "-m", "svm", "--seed", 2)
    combined = smotekit.SMOTEENN(smote=smotekit.SVMSMOTE(random_state=2))
    X_exp, y_exp = combined.fit_resample(X, y)
    X_out, y_out, _ = read(out)
    np.testing.assert_array_equal(y_out, y_exp)
    np.testing.assert_array_equal(X_out, X_exp)


def one_line_error(capsys, argv, code):
    assert main([str(a) for a in argv]) == code
    err = capsys.readouterr().err
    assert err.startswith("smotekit resample: error: ") and err.count("\n") == 1, err
    return err


def test_errors_name_the_option_and_leave_nothing(tmp_path, capsys):
    X, y = make_data(n=60)
    src = write(X, y, tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    base = ["resample", src, "-o", out, "-t", "label"]
    err = one_line_error(capsys, [*base, "--clean", "tomek", "--task", "regression"], 2)
    assert "--clean tomek" in err and "classification" in err
    table = pa.table({"a": [0.0, 1.0, 2.0, 3.0], "colour": list("rgbr"), "label": [0, 0, 1, 1]})
    pacsv.write_csv(table, tmp_path / "mixed.csv")
    argv = ["resample", tmp_path / "mixed.csv", "-o", out, "-t", "label", "--clean", "enn"]
    err = one_line_error(capsys, argv, 2)
    assert "--clean enn" in err and "'colour'" in err and "encode" in err
    tiny = pa.table({"a": [0.0, 1.0, 5.0], "label": [0, 0, 1]})
    pacsv.write_csv(tiny, tmp_path / "tiny.csv")
    argv = ["resample", tmp_path / "tiny.csv", "-o", out, "-t", "label", "-s", "1=1"]
    err = one_line_error(capsys, [*argv, "--clean", "enn"], 1)
    assert "--clean enn needs at least 4 rows" in err and "there are 3" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "mixed.csv", "tiny.csv"]

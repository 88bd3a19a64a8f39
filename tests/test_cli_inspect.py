"""`smotekit inspect`: counts, ratio, types, missing values, duplicates, advice, plot, errors."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from smotekit.cli import main
from smotekit.cli._inspect import Profile, suggest


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def mixed_file(tmp_path):
    rng = np.random.RandomState(0)
    n = 200
    x = rng.normal(size=n)
    x[[3, 9, 11]] = np.nan
    table = pa.table(
        {
            "x": x,
            "age": rng.randint(18, 90, size=n).astype(np.int64),
            "city": np.array(["paris", "oslo", "rome"])[rng.randint(0, 3, n)],
            "fraud": ["no"] * 180 + ["yes"] * 20,
        }
    )
    table = pa.concat_tables([table, table.slice(0, 4)])  # 4 duplicate rows
    path = tmp_path / "data.parquet"
    pq.write_table(table, path)
    return path


def test_report(mixed_file, capsys):
    code, out, _ = run_cli(capsys, "inspect", mixed_file, "--target", "fraud", "--quiet")
    assert code == 0
    assert "204 rows, 3 features, target 'fraud'" in out
    assert "no         184" in out and "yes          20" in out
    assert "imbalance ratio: 9.20 (majority no, minority yes)" in out
    assert "features: 2 numeric, 1 categorical (city)" in out
    assert "age: int64 (numeric)" in out and "city: string (categorical)" in out
    assert "missing values: x: 4" in out  # row 3 is also duplicated
    assert "duplicate rows: 4" in out
    assert "suggested: smotenc" in out
    assert "--nan drop" in out


def test_suggestions():
    assert suggest(Profile(counts={0: 50, 1: 50}), 2)[0].startswith("nothing to do")
    assert suggest(Profile(counts={0: 50}), 2)[0].startswith("nothing to do")
    only_text = Profile(counts={0: 50, 1: 20}, categorical=["a", "b"])
    assert suggest(only_text, 2)[0].startswith("smoten:")
    single = suggest(Profile(counts={0: 50, 1: 1}), 2)[0]
    assert "single row" in single
    nearly = suggest(Profile(counts={0: 12, 1: 10}), 2)
    assert any("unlikely to help" in line for line in nearly)


def test_plot_and_csv(tmp_path, capsys):
    rng = np.random.RandomState(1)
    table = pa.table(
        {"a": rng.normal(size=300), "b": rng.normal(size=300), "y": [0] * 270 + [1] * 30}
    )
    path = tmp_path / "d.csv"
    pacsv.write_csv(table, path)
    plot = tmp_path / "balance.png"
    code, out, err = run_cli(capsys, "inspect", path, "-t", "y", "--plot", plot)
    assert code == 0
    assert "suggested: smote:" in out
    assert plot.read_bytes()[:4] == b"\x89PNG"
    code, _, err = run_cli(capsys, "inspect", path, "-t", "y", "--plot", plot)
    assert code == 2 and "--force" in err
    code, _, err = run_cli(capsys, "inspect", path, "-t", "y", "--plot", path)
    assert code == 2 and "must end in .png" in err


def test_errors(tmp_path, capsys):
    path = tmp_path / "d.csv"
    path.write_text("a,y\n1,0\n2,1\n")
    code, _, err = run_cli(capsys, "inspect", path, "-t", "label")
    assert code == 2 and err.count("\n") == 1 and "--target" in err and "'a', 'y'" in err
    code, _, err = run_cli(capsys, "inspect", tmp_path / "none.csv", "-t", "y")
    assert code == 1 and "no such file" in err
    code, _, err = run_cli(capsys, "inspect", tmp_path / "d.txt", "-t", "y")
    assert code == 2 and "unknown extension" in err
    broken = tmp_path / "broken.csv"
    broken.write_text('a,y\n1,0\n"2,1\n')
    code, _, err = run_cli(capsys, "inspect", broken, "-t", "y")
    assert code == 1 and err.count("\n") == 1 and "cannot read" in err and "broken.csv" in err

"""The Python examples of README.md and docs/dataframes.md run as written."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def python_blocks(name: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / name).read_text(), flags=re.S)


def reader_data() -> dict:
    """What the README's examples take as given: a data set, its minority, the notebook's x2."""
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(size=(100, 2)), rng.normal(size=(20, 2)) + 2]
    y = np.r_[np.zeros(100, dtype=int), np.ones(20, dtype=int)]
    return {
        "X": X,
        "y": y,
        "X_minority": X[y == 1],
        "X_counts": np.rint(np.abs(X) * 10).astype(np.int64),
        "x2": rng.multivariate_normal([0, 3], [[0.2, 0], [0, 0.2]], size=50).T,
    }


def test_readme_python_blocks_run(tmp_path, monkeypatch):
    # the README's quick start once called SMOTE(...).fit(X, y) for provenance_ (issue 17 D)
    blocks = python_blocks("README.md")
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    X, y = reader_data()["X"], reader_data()["y"]
    (tmp_path / "data").mkdir()
    frame = pd.DataFrame(X, columns=["a", "b"]).assign(label=y)
    frame.to_parquet(tmp_path / "data" / "part-0.parquet")  # the Dask example's data/
    namespace = reader_data()
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)


@pytest.mark.parametrize("name", ["docs/dataframes.md"])
def test_doc_python_blocks_run(name):
    namespace: dict = {}
    for block in python_blocks(name):
        exec(compile(block, name, "exec"), namespace)

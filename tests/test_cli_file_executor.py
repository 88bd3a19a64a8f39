"""`smotekit resample` on the engine's file executor (``smotekit.io._resample``).

Every sampler with an engine rule runs blockwise over the file. Its output must be what the
older path wrote (the sampler's own plan, or ``fit_resample`` on every row): the same bytes for
CSV, the same table for Parquet (whose bytes depend on the batch sizes written), and the same
provenance,
with the options that touch the rows: provenance, --mark-synthetic, --nan drop, integer and
categorical columns, many small blocks.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import smotekit
from smotekit.cli import _resample, _synthesis, main
from smotekit.io import _csv
from smotekit.io import _resample as file_executor


def mixed_table(n=600, seed=0):
    """Two overlapping classes (so Borderline finds rows in danger), an integer column, a
    categorical one and a row with a missing value."""
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.15).astype(np.int64)
    x = rng.normal(size=n) + 0.8 * y
    x[7] = np.nan
    return pa.table(
        {
            "x": x,
            "count": rng.randint(0, 40, size=n) + 5 * y,
            "label": y,
            "colour": np.array(["red", "green", "blue", "teal"])[rng.randint(0, 4, n)],
            "z": rng.normal(scale=3, size=n) - y,
        }
    )


def write(table, path):
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path)
    return path


def resample(tmp_path, name, src, method, extra, engine, monkeypatch):
    out = tmp_path / f"{name}{src.suffix}"
    prov = tmp_path / f"{name}.prov.csv"
    with monkeypatch.context() as patch:
        if not engine:
            patch.setattr(_resample, "_engine_rule", lambda *args: None)
        else:
            calls = []
            run = file_executor.synthetic_blocks
            patch.setattr(
                file_executor,
                "synthetic_blocks",
                lambda *a, **k: calls.append(1) or run(*a, **k),  # type: ignore[func-returns-value]
            )
            # Many input blocks and output blocks.
            patch.setattr(_csv, "CSV_BLOCK_BYTES", 2048)
            patch.setattr(_synthesis, "CHUNK_ROWS", 37)
        argv = ["resample", str(src), "-o", str(out), "-t", "label", "--method", method]
        code = main([*argv, "--provenance", str(prov), "--nan", "drop", "-q", *extra])
    assert code == 0
    if engine:
        assert calls, "the file executor did not run"
    if out.suffix == ".parquet":  # its bytes depend on the batch sizes written, not the rows
        return pq.read_table(out), prov.read_bytes()
    return out.read_bytes(), prov.read_bytes()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize(
    ("method", "numeric_only"),
    [("smote", True), ("borderline1", True), ("borderline2", True), ("smotenc", False)],
)
def test_the_file_executor_writes_the_older_paths_bytes(
    tmp_path, monkeypatch, suffix, method, numeric_only
):
    table = mixed_table()
    extra = ["--mark-synthetic", "synthetic", "-s", "0=510,1=400"]
    if numeric_only:
        table = table.drop(["colour"])
        extra.append("--categorical=none")
    src = write(table, tmp_path / f"in{suffix}")
    ours = resample(tmp_path, "engine", src, method, extra, True, monkeypatch)
    before = resample(tmp_path, "before", src, method, extra, False, monkeypatch)
    if suffix == ".parquet":
        assert ours[0].equals(before[0], check_metadata=True)
    else:
        assert ours[0] == before[0]
    assert ours[1] == before[1]


def test_the_file_executor_equals_fit_resample(tmp_path, monkeypatch):
    table = mixed_table().drop(["colour"])
    src = write(table, tmp_path / "in.parquet")
    resample(tmp_path, "out", src, "borderline2", [], True, monkeypatch)
    valid = table.filter(~np.isnan(table.column("x").to_numpy()))  # --nan drop
    X = np.column_stack([valid.column(c).to_numpy() for c in ("x", "count", "z")]).astype(float)
    y = valid.column("label").to_numpy()
    X_res, y_res = smotekit.BorderlineSMOTE(kind="borderline-2", random_state=0).fit_resample(X, y)
    got = pq.read_table(tmp_path / "out.parquet")
    np.testing.assert_array_equal(got.column("label").to_numpy(), y_res)
    np.testing.assert_array_equal(got.column("x").to_numpy(), X_res[:, 0])
    np.testing.assert_array_equal(got.column("count").to_numpy(), np.rint(X_res[:, 1]))


def test_a_sampler_without_a_rule_keeps_the_older_path(tmp_path, monkeypatch):
    src = write(mixed_table().drop(["colour"]), tmp_path / "in.csv")
    ran = []
    monkeypatch.setattr(file_executor, "synthetic_blocks", lambda *a, **k: ran.append(1))
    argv = ["resample", str(src), "-o", str(tmp_path / "o.csv"), "-t", "label"]
    code = main([*argv, "--method", "svm", "--nan", "drop", "-q"])
    assert code == 0 and not ran

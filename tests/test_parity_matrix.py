"""One parity matrix: every over-sampler of the registry x every executor.

Rows come from :mod:`smotekit._registry`, so a new sampler joins by itself. For each:

* **memory** (``fit_resample``) is the reference (its parity with imbalanced-learn is in the
  sampler's own tests);
* **file**: ``smotekit resample`` on a CSV gives the same rows and labels (the command line uses
  imbalanced-learn's seeding, so the same ``--seed`` gives ``fit_resample``'s rows);
* **Dask**, 1, 3 and 7 partitions, imbalanced-learn's seeding: the memory rows, for every sampler
  the registry marks ``blockwise``; the others are refused with a message naming what to do.
  The combined samplers (SMOTEENN, SMOTETomek, with two oversamplers each) give the memory rows
  on continuous data; with exact duplicate rows, where the engine breaks tied distances by row
  number, the engine's cleaning in memory of the memory oversampler's rows.

Data per feature kind: numeric (three classes, duplicate rows included), mixed (plus a text and a
numeric category) and categorical (three text columns).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from imblearn.combine import SMOTEENN as ImbSMOTEENN
from imblearn.combine import SMOTETomek as ImbSMOTETomek
from imblearn.under_sampling import EditedNearestNeighbours as ImbENN
from imblearn.under_sampling import TomekLinks as ImbTomekLinks
from sklearn.datasets import make_classification

from smotekit import (
    ADASYN,
    SMOTEENN,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    SMOTETomek,
)
from smotekit._kernels import PROVENANCE_DTYPE
from smotekit._registry import specs
from smotekit.cli import main

SEED = 3
OVERSAMPLERS = [s for s in specs() if s.kind == "over-sampling" and s.methods]


def numeric_frame(n=300):
    X, y = make_classification(
        n_samples=n,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[0.7, 0.2, 0.1],
        class_sep=0.8,
        random_state=SEED,
    )
    X[-10:] = X[-20:-10]  # duplicate rows (ties broken by row number)
    y[-10:] = y[-20:-10]
    return pd.DataFrame(X, columns=["a", "b", "c", "d"]), pd.Series(y, name="label")


def frame_for(features):
    X, y = numeric_frame()
    if features == "numeric":
        return X, y, {}
    rng = np.random.RandomState(SEED)
    if features == "mixed":
        X["colour"] = np.array(["blue", "green", "red"])[(rng.randint(0, 3, len(y)) + y) % 3]
        return X, y, {"categorical_features": ["colour"]}
    columns = {
        f"t{j}": np.array(list("pqrstu"))[(rng.randint(0, size, len(y)) + j * y) % size]
        for j, size in enumerate((4, 3, 5))
    }
    return pd.DataFrame(columns), y, {}


def sampler_for(spec, **extra):
    return spec.resolve()(random_state=SEED, **dict(spec.methods[0].params), **extra)


def memory_result(spec):
    X, y, extra = frame_for(spec.features)
    X_res, y_res = sampler_for(spec, **extra).fit_resample(X, y)
    return X, y, pd.DataFrame(X_res).reset_index(drop=True), np.asarray(y_res)


def assert_same_rows(got, expected):
    """Equal values column by column; floats as the CSV round trip gives them back."""
    assert list(got.columns) == list(expected.columns)
    for name in expected.columns:
        a, b = got[name].to_numpy(), expected[name].to_numpy()
        if np.issubdtype(b.dtype, np.floating):
            np.testing.assert_allclose(a.astype(float), b, rtol=1e-15, err_msg=name)
        else:
            np.testing.assert_array_equal(a.astype(str), b.astype(str), err_msg=name)


@pytest.mark.parametrize("spec", OVERSAMPLERS, ids=lambda s: s.name)
def test_the_command_line_gives_the_memory_rows(spec, tmp_path):
    X, y, X_mem, y_mem = memory_result(spec)
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    X.assign(label=y).to_csv(src, index=False)
    argv = ["resample", str(src), "-o", str(out), "-t", "label", "-m", spec.methods[0].name]
    assert main([*argv, "--seed", str(SEED), "-q"]) == 0
    written = pd.read_csv(out)
    assert_same_rows(written.drop(columns="label"), X_mem)
    np.testing.assert_array_equal(written["label"].to_numpy(), y_mem)


@pytest.mark.parametrize("spec", OVERSAMPLERS, ids=lambda s: s.name)
def test_dask_gives_the_memory_rows_for_1_3_7_partitions_or_refuses(spec):
    dd = pytest.importorskip("dask.dataframe")
    from smotekit.dask import fit_resample

    X, y, extra = frame_for(spec.features)
    if not spec.blockwise:
        with pytest.raises(TypeError, match=r"[Rr]esample in memory"):
            fit_resample(sampler_for(spec, **extra), dd.from_pandas(X, 2), dd.from_pandas(y, 2))
        return
    _, _, X_mem, y_mem = memory_result(spec)
    for partitions in (1, 3, 7):
        X_dask, y_dask = fit_resample(
            sampler_for(spec, **extra),
            dd.from_pandas(X, npartitions=partitions),
            dd.from_pandas(y, npartitions=partitions),
            seeding="imbalanced-learn",
            block_rows=60,
        )
        X_out = X_dask.compute(scheduler="sync").reset_index(drop=True)
        assert_same_rows(X_out, X_mem.astype(X_out.dtypes.to_dict()))
        np.testing.assert_array_equal(y_dask.compute(scheduler="sync").to_numpy(), y_mem)


# -- combined samplers on Dask: the oversampler's graph, then the cleaner's rule -----------------
COMBINED = {
    "SMOTEENN": lambda: SMOTEENN(random_state=SEED),
    "SMOTEENN-ADASYN": lambda: SMOTEENN(smote=ADASYN(random_state=SEED)),
    "SMOTETomek": lambda: SMOTETomek(random_state=SEED),
    "SMOTETomek-Borderline": lambda: SMOTETomek(smote=BorderlineSMOTE(random_state=SEED)),
    # imbalanced-learn's classes, its cleaner's parameters read as smotekit's rule
    "imblearn-SMOTEENN": lambda: ImbSMOTEENN(
        random_state=SEED, enn=ImbENN(n_neighbors=4, kind_sel="mode")
    ),
    "imblearn-SMOTETomek": lambda: ImbSMOTETomek(
        random_state=SEED, tomek=ImbTomekLinks(sampling_strategy="majority")
    ),
}


def combined_on_dask(sampler, X, y, partitions, *, array=False):
    dd = pytest.importorskip("dask.dataframe")
    da = pytest.importorskip("dask.array")
    from smotekit.dask import fit_resample

    if array:
        rows = -(-len(y) // partitions)
        X, y = da.from_array(X.to_numpy(), chunks=(rows, -1)), da.from_array(y.to_numpy(), rows)
    else:
        X, y = dd.from_pandas(X, npartitions=partitions), dd.from_pandas(y, npartitions=partitions)
    lazy = fit_resample(
        sampler, X, y, seeding="imbalanced-learn", block_rows=60, return_provenance=True
    )
    X_res, y_res, provenance = (part.compute(scheduler="sync") for part in lazy)
    if array:
        return X_res, y_res, provenance
    records = provenance.to_records(index=False).astype(PROVENANCE_DTYPE)
    return X_res.to_numpy(), y_res.to_numpy(), records


@pytest.mark.parametrize("name", COMBINED)
def test_dask_combined_samplers_give_the_memory_rows_on_continuous_data(name):
    X, y = numeric_frame()
    X, y = X.iloc[:-10], y.iloc[:-10]  # no duplicate rows: the cleaners' ties do not decide
    memory = COMBINED[name]()
    X_mem, y_mem = memory.fit_resample(X.to_numpy(), y.to_numpy())
    for partitions, array in ((1, False), (3, False), (7, False), (3, True)):
        X_res, y_res, provenance = combined_on_dask(COMBINED[name](), X, y, partitions, array=array)
        np.testing.assert_array_equal(X_res, X_mem)
        np.testing.assert_array_equal(y_res, y_mem)
        if hasattr(memory, "provenance_"):  # smotekit's classes record it
            np.testing.assert_array_equal(provenance, memory.provenance_)


@pytest.mark.parametrize("name", ["SMOTEENN", "SMOTETomek-Borderline"])
def test_dask_combined_samplers_break_ties_by_row_number_on_duplicate_rows(name):
    from smotekit.engine._cleaning import clean_in_memory

    X, y = numeric_frame()  # the last 10 rows repeat the 10 before them: give them other classes
    y.iloc[-10:] = (y.iloc[-20:-10].to_numpy() + 1) % 3  # (here memory's ties differ for both)
    sampler = COMBINED[name]()
    cleaner = sampler._rules()[1]
    oversampler = sampler.smote_
    X_over, y_over = oversampler.fit_resample(X.to_numpy(), y.to_numpy())
    kept = clean_in_memory(cleaner, X_over, y_over)
    synthetic = kept[kept >= len(y)] - len(y)
    for partitions in (1, 3, 7):
        X_res, y_res, provenance = combined_on_dask(COMBINED[name](), X, y, partitions)
        np.testing.assert_array_equal(X_res, X_over[kept])
        np.testing.assert_array_equal(y_res, y_over[kept])
        np.testing.assert_array_equal(provenance, oversampler.provenance_[synthetic])


def test_dask_refuses_a_combined_sampler_whose_oversampler_needs_the_whole_data():
    dd = pytest.importorskip("dask.dataframe")
    from smotekit.dask import fit_resample

    X, y = numeric_frame()
    for smote in (SVMSMOTE(), KMeansSMOTE()):
        with pytest.raises(TypeError, match=r"SMOTETomek\(smote=.*Resample in memory"):
            fit_resample(SMOTETomek(smote=smote), dd.from_pandas(X, 2), dd.from_pandas(y, 2))


@pytest.mark.parametrize("make", [SMOTEENN, SMOTETomek])
def test_dask_cleaning_certifies_a_dominant_class_and_gives_the_memory_rows(make, monkeypatch):
    """One class holds most rows: most of its rows are certified (they do not search all
    rows) and the output is still the memory rows."""
    from smotekit import SMOTE
    from smotekit.dask import _cleaning

    X, y = make_classification(
        600,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        weights=[0.9, 0.1],
        class_sep=2.0,
        random_state=0,
    )
    X, y = pd.DataFrame(X), pd.Series(y)
    spared = []

    def counting(*args):
        mask = _cleaning_certify(*args)
        spared.append(int(mask.sum()))
        return mask

    _cleaning_certify = _cleaning.certify
    monkeypatch.setattr(_cleaning, "certify", counting)
    sampler = lambda: make(smote=SMOTE(sampling_strategy={1: 100}, random_state=SEED))  # noqa: E731
    X_mem, y_mem = sampler().fit_resample(X.to_numpy(), y.to_numpy())
    for partitions in (1, 3):
        spared.clear()
        X_res, y_res, _ = combined_on_dask(sampler(), X, y, partitions)
        np.testing.assert_array_equal(X_res, X_mem)
        np.testing.assert_array_equal(y_res, y_mem)
        assert sum(spared) > 0.5 * (y == 0).sum()

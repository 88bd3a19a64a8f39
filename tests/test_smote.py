"""smotekit.SMOTE against imbalanced-learn's SMOTE: same rows, same order, same types."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from imblearn.combine import SMOTEENN as ImbSMOTEENN
from imblearn.combine import SMOTETomek as ImbSMOTETomek
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.pipeline import make_pipeline
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors

from smotekit import SMOTE, ExactNeighbors


def make_data(n=600, d=4, weights=(0.8, 0.2), seed=0, dtype=np.float64):
    X, y = make_classification(
        n_samples=n,
        n_features=d,
        n_informative=min(d, 2),
        n_redundant=0,
        n_repeated=0,
        n_classes=len(weights),
        n_clusters_per_class=1,
        weights=list(weights),
        random_state=seed,
    )
    return X.astype(dtype), y


def assert_same(a, b):
    Xa, ya = a
    Xb, yb = b
    assert Xa.shape == Xb.shape
    assert Xa.dtype == Xb.dtype
    np.testing.assert_allclose(Xa, Xb, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(ya, yb)


@pytest.mark.parametrize("seed", [0, 1, 42, 2**31 - 1])
@pytest.mark.parametrize("d", [2, 5, 17, 40])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_parity_binary(seed, d, dtype):
    X, y = make_data(d=d, seed=seed % 7, dtype=dtype)
    ours = SMOTE(random_state=seed).fit_resample(X, y)
    theirs = ImbSMOTE(random_state=seed).fit_resample(X, y)
    assert_same(ours, theirs)


@pytest.mark.parametrize("strategy", ["auto", "all", "not majority", "minority", 0.6])
def test_parity_strategies(strategy):
    weights = (0.8, 0.2) if isinstance(strategy, float) else (0.6, 0.25, 0.15)
    X, y = make_data(n=800, weights=weights, seed=3)
    assert_same(
        SMOTE(sampling_strategy=strategy, random_state=7).fit_resample(X, y),
        ImbSMOTE(sampling_strategy=strategy, random_state=7).fit_resample(X, y),
    )


def test_parity_dict_and_callable_strategies():
    X, y = make_data(n=800, weights=(0.6, 0.25, 0.15), seed=4)
    counts = np.bincount(y)
    wanted = {1: counts[1] + 37, 2: counts[2] + 5}
    assert_same(
        SMOTE(sampling_strategy=wanted, random_state=1).fit_resample(X, y),
        ImbSMOTE(sampling_strategy=wanted, random_state=1).fit_resample(X, y),
    )

    def strategy(target):
        return {2: int(np.sum(target == 2)) * 2}

    assert_same(
        SMOTE(sampling_strategy=strategy, random_state=1).fit_resample(X, y),
        ImbSMOTE(sampling_strategy=strategy, random_state=1).fit_resample(X, y),
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_parity_random_state_instance_multiclass(dtype):
    X, y = make_data(n=900, weights=(0.5, 0.3, 0.2), seed=5, dtype=dtype)
    ours = SMOTE(random_state=np.random.RandomState(11)).fit_resample(X, y)
    theirs = ImbSMOTE(random_state=np.random.RandomState(11)).fit_resample(X, y)
    assert_same(ours, theirs)


def test_parity_global_random_state():
    X, y = make_data(seed=6)
    np.random.seed(3)
    ours = SMOTE(random_state=None).fit_resample(X, y)
    np.random.seed(3)
    theirs = ImbSMOTE(random_state=None).fit_resample(X, y)
    assert_same(ours, theirs)


@pytest.mark.parametrize("k", [1, 3, 8])
def test_parity_k_neighbors_int_and_object(k):
    X, y = make_data(n=500, seed=2)
    assert_same(
        SMOTE(k_neighbors=k, random_state=0).fit_resample(X, y),
        ImbSMOTE(k_neighbors=k, random_state=0).fit_resample(X, y),
    )
    nn = NearestNeighbors(n_neighbors=k + 1)
    assert_same(
        SMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y),
        ImbSMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y),
    )


def test_string_labels_and_parity():
    X, y = make_data(n=400, weights=(0.7, 0.3), seed=8)
    labels = np.array(["neg", "pos"])[y]
    ours = SMOTE(random_state=0).fit_resample(X, labels)
    assert_same(ours, ImbSMOTE(random_state=0).fit_resample(X, labels))
    assert set(ours[1]) == {"neg", "pos"}


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_kept_and_parity(fmt):
    X, y = make_data(n=300, d=6, seed=9)
    X[np.abs(X) < 0.7] = 0.0
    Xs = sparse.csr_matrix(X).asformat(fmt)
    ours = SMOTE(random_state=0).fit_resample(Xs, y)
    theirs = ImbSMOTE(random_state=0).fit_resample(Xs, y)
    assert sparse.issparse(ours[0]) and ours[0].format == fmt
    np.testing.assert_allclose(ours[0].toarray(), theirs[0].toarray(), rtol=1e-12, atol=0)
    np.testing.assert_array_equal(ours[1], theirs[1])


def test_pandas_round_trip():
    X, y = make_data(n=300, seed=10)
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])], index=np.arange(300) * 3)
    target = pd.Series(y, name="label", index=df.index)
    X_res, y_res = SMOTE(random_state=0).fit_resample(df, target)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(df.columns)
    assert y_res.name == "label"
    theirs = ImbSMOTE(random_state=0).fit_resample(df, target)
    pd.testing.assert_frame_equal(X_res, theirs[0], rtol=1e-12, atol=0)
    pd.testing.assert_series_equal(y_res, theirs[1])


def test_original_rows_first_and_unchanged_input():
    X, y = make_data(seed=11)
    X_copy, y_copy = X.copy(), y.copy()
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)


def test_provenance_reconstructs_rows():
    X, y = make_data(n=700, weights=(0.6, 0.25, 0.15), seed=12)
    sampler = SMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    n = len(X)
    assert len(prov) == len(X_res) - n
    assert prov.dtype.names == ("base", "neighbor", "gap")
    expected = X[prov["base"]] + prov["gap"][:, None] * (X[prov["neighbor"]] - X[prov["base"]])
    np.testing.assert_allclose(X_res[n:], expected, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(y[prov["base"]], y_res[n:])
    np.testing.assert_array_equal(y[prov["neighbor"]], y_res[n:])
    assert ((prov["gap"] >= 0) & (prov["gap"] < 1)).all()


def test_duplicates_never_make_a_row_its_own_neighbour():
    rng = np.random.RandomState(0)
    minority = np.repeat(rng.normal(size=(5, 2)), 3, axis=0)  # every row three times
    X = np.vstack([rng.normal(size=(60, 2)) + 5, minority])
    y = np.array([0] * 60 + [1] * 15)
    sampler = SMOTE(k_neighbors=3, random_state=0)
    sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert (prov["base"] != prov["neighbor"]).all()


def test_accepted_by_imblearn_combine_and_pipeline():
    X, y = make_data(n=400, seed=13)
    for combo in (ImbSMOTETomek, ImbSMOTEENN):
        ours = combo(smote=SMOTE(random_state=0), random_state=0).fit_resample(X, y)
        theirs = combo(smote=ImbSMOTE(random_state=0), random_state=0).fit_resample(X, y)
        assert_same(ours, theirs)
    pipe = make_pipeline(SMOTE(random_state=0), LogisticRegression())
    assert pipe.fit(X, y).score(X, y) > 0.5


def test_exact_neighbors_object_plugs_into_imblearn():
    X, y = make_data(n=400, seed=14)
    assert_same(
        ImbSMOTE(k_neighbors=ExactNeighbors(n_neighbors=6), random_state=0).fit_resample(X, y),
        ImbSMOTE(random_state=0).fit_resample(X, y),
    )


def test_integer_input_is_rounded_not_truncated():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 100, size=(200, 3))
    y = np.array([0] * 170 + [1] * 30)
    sampler = SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtype == X.dtype
    prov = sampler.provenance_
    exact = X[prov["base"]] + prov["gap"][:, None] * (X[prov["neighbor"]] - X[prov["base"]])
    np.testing.assert_array_equal(X_res[len(X) :], np.rint(exact))


# -- bad input -------------------------------------------------------------------------------


def test_nan_and_inf_are_named():
    X, y = make_data(seed=15)
    X = X.copy()
    X[3, 1] = np.nan
    with pytest.raises(
        ValueError, match=r"a missing value \(NaN; first at row 3, column 1\).*impute"
    ):
        SMOTE().fit_resample(X, y)
    X[3, 1] = np.inf
    # inf is no missing value: it gets its own words and advice
    with pytest.raises(
        ValueError, match=r"an infinite value \(inf; first at row 3, column 1\).*clip"
    ):
        SMOTE().fit_resample(X, y)


def test_class_too_small_names_class_and_k():
    X, y = make_data(n=200, seed=16)
    y = y.copy()
    y[:] = 0
    y[:3] = 1
    with pytest.raises(ValueError, match=r"Class 1 has 3 samples.*k_neighbors=5.*at most 2"):
        SMOTE().fit_resample(X, y)


def test_single_class_is_named():
    X, _ = make_data(n=50, seed=17)
    with pytest.raises(ValueError, match="single class"):
        SMOTE().fit_resample(X, np.zeros(50, dtype=int))


def test_bad_k_neighbors_named():
    X, y = make_data(n=100, seed=18)
    with pytest.raises(ValueError, match="k_neighbors"):
        SMOTE(k_neighbors=0).fit_resample(X, y)


def test_empty_input():
    with pytest.raises(ValueError):
        SMOTE().fit_resample(np.empty((0, 2)), np.empty(0))


def test_non_numeric_input():
    X = np.array([["a", "b"], ["c", "d"], ["e", "f"]], dtype=object)
    with pytest.raises(ValueError):
        SMOTE().fit_resample(X, np.array([0, 1, 1]))

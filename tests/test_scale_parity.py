"""Parity with imbalanced-learn holds at scale, on both exact methods (kd-tree and blocked BLAS)."""

from __future__ import annotations

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE as ImbSMOTE

from smotekit import SMOTE, ExactNeighbors


def imbalanced(n_minority, d, seed, dtype=np.float64):
    rng = np.random.RandomState(seed)
    X_min = rng.normal(loc=1.0, size=(n_minority, d))
    X_maj = rng.normal(size=(2 * n_minority, d))
    X = np.vstack([X_maj, X_min]).astype(dtype)
    y = np.r_[np.zeros(2 * n_minority, dtype=int), np.ones(n_minority, dtype=int)]
    return X, y


@pytest.mark.parametrize(
    ("d", "method"),
    [(3, "kd_tree"), (24, "brute")],
)
def test_smote_parity_at_20k_rows(d, method):
    X, y = imbalanced(7_000, d, seed=d)  # 21,000 rows, 7,000 synthetic
    ours = SMOTE(k_neighbors=ExactNeighbors(6, algorithm=method), random_state=0)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_ref, y_ref = ImbSMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(y_ours, y_ref)
    np.testing.assert_allclose(X_ours, X_ref, rtol=1e-12, atol=0)
    assert ours.nn_k_.method_ == method


def test_smote_parity_at_scale_float32_multiclass():
    rng = np.random.RandomState(5)
    X = rng.normal(size=(20_000, 8)).astype(np.float32)
    y = rng.choice(3, size=20_000, p=[0.7, 0.2, 0.1])
    X_ours, y_ours = SMOTE(random_state=3).fit_resample(X, y)
    X_ref, y_ref = ImbSMOTE(random_state=3).fit_resample(X, y)
    assert X_ours.dtype == np.float32
    np.testing.assert_array_equal(y_ours, y_ref)
    np.testing.assert_array_equal(X_ours, X_ref)

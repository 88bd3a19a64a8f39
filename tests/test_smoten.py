"""SMOTEN: parity with imbalanced-learn, the mode-of-neighbourhood rule, provenance, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.metrics.pairwise import ValueDifferenceMetric
from imblearn.over_sampling import SMOTEN as ImbSMOTEN
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OrdinalEncoder

from smotekit import SMOTEN
from smotekit.engine import _queries


def categorical(seed: int, n: int = 200):
    rng = np.random.RandomState(seed)
    X = np.column_stack(
        [
            rng.choice(list("abcd"), n),
            rng.choice(list("xyz"), n, p=[0.5, 0.3, 0.2]),
            rng.choice(["p", "q"], n),
        ]
    ).astype(object)
    y = rng.choice([0, 1, 2], n, p=[0.6, 0.25, 0.15])
    return X, y


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [2, 5])
def test_parity(seed, k):
    X, y = categorical(seed, n=[120, 250, 80][seed % 3])
    X_a, y_a = SMOTEN(k_neighbors=k, random_state=seed).fit_resample(X, y)
    X_b, y_b = ImbSMOTEN(k_neighbors=k, random_state=seed).fit_resample(X, y)
    assert X_a.dtype == X_b.dtype
    np.testing.assert_array_equal(X_a, X_b)
    np.testing.assert_array_equal(y_a, y_b)


def test_parity_random_state_instance_and_dataframe():
    X, y = categorical(9)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    X_a, y_a = SMOTEN(random_state=np.random.RandomState(4)).fit_resample(df, pd.Series(y))
    X_b, y_b = ImbSMOTEN(random_state=np.random.RandomState(4)).fit_resample(df, pd.Series(y))
    pd.testing.assert_frame_equal(X_a, X_b)
    pd.testing.assert_series_equal(y_a, y_b)


def test_blocked_vdm_gives_the_same_neighbourhoods(monkeypatch):
    X, y = categorical(2, n=300)
    full = SMOTEN(random_state=0).fit_resample(X, y)[0]
    monkeypatch.setattr(_queries, "VDM_BLOCK_CELLS", 50)
    blocked = SMOTEN(random_state=0).fit_resample(X, y)[0]
    np.testing.assert_array_equal(blocked, full)


def test_estimator_k_neighbors_matches_int():
    X, y = categorical(5)
    a = SMOTEN(k_neighbors=4, random_state=1).fit_resample(X, y)[0]
    nn = NearestNeighbors(n_neighbors=5, metric="precomputed")
    b = SMOTEN(k_neighbors=nn, random_state=1).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)


def test_each_row_is_the_mode_of_its_base_neighbourhood():
    X, y = categorical(3)
    sampler = SMOTEN(k_neighbors=3, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    n, prov = X.shape[0], sampler.provenance_
    assert (prov["neighbor"] == -1).all() and np.isnan(prov["gap"]).all()
    np.testing.assert_array_equal(y[prov["base"]], y_res[n:])
    codes = OrdinalEncoder().fit_transform(X).astype(int)
    vdm = ValueDifferenceMetric().fit(codes, y)
    for label in np.unique(y_res[n:]):
        idx = np.flatnonzero(y == label)
        dist = vdm.pairwise(codes[idx])
        hood = NearestNeighbors(n_neighbors=4, metric="precomputed").fit(dist)
        members = hood.kneighbors(dist, return_distance=False)
        local = {g: i for i, g in enumerate(idx)}
        for r in np.flatnonzero(y_res[n:] == label):
            near = X[idx[members[local[prov["base"][r]]]]]
            # the row itself, or an identical duplicate (distance 0), is part of it
            assert (near == X[prov["base"][r]]).all(axis=1).any()
            for j in range(X.shape[1]):
                values, counts = np.unique(near[:, j], return_counts=True)
                assert X_res[n + r, j] == values[np.argmax(counts)]


# -- errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("missing", [None, np.nan])
def test_missing_category_is_a_category(missing):
    # issue 17 D: as in SMOTE-NC, a missing value is one more category (imbalanced-learn's
    # SMOTEN refuses it with "Input contains NaN").
    X, y = categorical(0)
    X[np.flatnonzero(y == 2)[:8], 1] = missing
    before = X.astype(str)
    X_res, y_res = SMOTEN(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X.astype(str), before)
    assert all(a is b or a == b for a, b in zip(X_res[: len(X)].ravel(), X.ravel(), strict=True))
    synthetic = X_res[len(X) :, 1]
    assert {v for v in synthetic if v is not None} <= {"x", "y", "z"}
    assert np.bincount(y_res).tolist() == [np.bincount(y).max()] * 3


def test_missing_category_in_dataframe():
    X, y = categorical(0)
    df = pd.DataFrame(X, columns=["shape", "colour", "size"])
    df.loc[3, "size"] = None
    X_res, _ = SMOTEN(random_state=0).fit_resample(df, y)
    pd.testing.assert_frame_equal(X_res.head(len(df)), df)


def test_error_class_too_small_for_k():
    X, y = categorical(0)
    y = np.zeros(len(y), dtype=int)
    y[:4] = 1
    with pytest.raises(ValueError, match=r"Class 1 has 4 samples.*k_neighbors=5.*at most 3"):
        SMOTEN().fit_resample(X, y)


def test_error_single_class():
    X, _ = categorical(0)
    with pytest.raises(ValueError, match="more than 1 class"):
        SMOTEN().fit_resample(X, np.zeros(len(X)))


# -- properties ------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n_min=st.integers(6, 25), k=st.integers(1, 5))
def test_properties(seed, n_min, k):
    rng = np.random.RandomState(seed)
    n = 40 + n_min
    X = np.column_stack([rng.randint(0, 4, n), rng.randint(0, 2, n)])
    y = np.array([0] * 40 + [1] * n_min)
    X_res, y_res = SMOTEN(k_neighbors=k, random_state=seed).fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), [40, 40])
    np.testing.assert_array_equal(X_res[:n], X)
    for j in range(2):
        assert set(X_res[n:, j]) <= set(X[y == 1, j])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), k=st.integers(1, 6), n_levels=st.integers(2, 5))
def test_parity_property(seed, k, n_levels):
    # categorical data is full of VDM ties: the neighbourhoods must fall exactly as sklearn's
    rng = np.random.RandomState(seed)
    n = 100
    X = np.column_stack([rng.randint(0, n_levels, n), rng.randint(0, 3, n)])
    y = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    if np.bincount(y, minlength=3).min() <= k:
        return
    X_a, y_a = SMOTEN(k_neighbors=k, random_state=seed).fit_resample(X, y)
    X_b, y_b = ImbSMOTEN(k_neighbors=k, random_state=seed).fit_resample(X, y)
    np.testing.assert_array_equal(X_a, X_b)
    np.testing.assert_array_equal(y_a, y_b)

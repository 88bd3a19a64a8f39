"""ProWSyn: proximity levels, level weights, within-level interpolation, errors, properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.spatial.distance import cdist

from smotekit import ProWSyn
from smotekit.over_sampling._prowsyn import allocate


def overlapping(seed: int = 0, n_min: int = 30):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(0, 1, size=(120, 2)), rng.normal(1.5, 1, size=(n_min, 2))])
    y = np.array([0] * 120 + [1] * n_min)
    return X, y


def brute_force_levels(X_min, X_other, k, n_levels):
    """The paper's partition, written directly with a full distance matrix."""
    levels = np.full(len(X_min), n_levels)
    remaining = list(range(len(X_min)))
    for level in range(1, n_levels):
        if not remaining:
            break
        dist = cdist(X_other, X_min[remaining])
        nearest = np.argsort(dist, axis=1, kind="stable")[:, : min(k, len(remaining))]
        chosen = sorted({remaining[j] for j in nearest.ravel()})
        levels[chosen] = level
        remaining = [i for i in remaining if i not in chosen]
    return levels


@pytest.mark.parametrize(("k", "n_levels"), [(1, 3), (3, 5), (5, 5), (2, 1)])
def test_levels_follow_the_definition(k, n_levels):
    X, y = overlapping(1)
    sampler = ProWSyn(n_neighbors=k, n_levels=n_levels, random_state=0)
    sampler.fit_resample(X, y)
    expected = brute_force_levels(X[y == 1], X[y == 0], k, n_levels)
    np.testing.assert_array_equal(sampler.proximity_levels_[1], expected)


def test_rows_interpolate_two_distinct_rows_of_one_level():
    X, y = overlapping(2)
    sampler = ProWSyn(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    n, prov = X.shape[0], sampler.provenance_
    expected = X[prov["base"]] + prov["gap"][:, None] * (X[prov["neighbor"]] - X[prov["base"]])
    np.testing.assert_allclose(X_res[n:], expected, rtol=1e-12)
    assert (prov["base"] != prov["neighbor"]).all()
    assert ((prov["gap"] >= 0) & (prov["gap"] < 1)).all()
    levels = np.full(n, -1)
    levels[y == 1] = sampler.proximity_levels_[1]
    np.testing.assert_array_equal(levels[prov["base"]], levels[prov["neighbor"]])
    np.testing.assert_array_equal(y_res[n:], 1)


@pytest.mark.parametrize("theta", [0.0, 0.5, 1.0, 3.0])
def test_counts_per_level_follow_the_weights(theta):
    X, y = overlapping(3, n_min=40)
    sampler = ProWSyn(theta=theta, n_neighbors=2, random_state=0)
    sampler.fit_resample(X, y)
    levels = sampler.proximity_levels_[1]
    present = np.unique(levels)
    sizes = np.array([(levels == lev).sum() for lev in present])
    weights = np.exp(-theta * (present - 1.0)) * (sizes >= 2)
    expected = allocate(80, weights)
    got = np.bincount(levels[sampler.provenance_["base"] - 120], minlength=present.max() + 1)
    np.testing.assert_array_equal(got[present], expected)
    if theta == 0.0:
        usable = expected[sizes >= 2]
        assert usable.max() - usable.min() <= 1


def test_allocate_is_exact():
    for total in (0, 1, 7, 100):
        counts = allocate(total, np.array([1.0, np.exp(-1), np.exp(-2), 0.0]))
        assert counts.sum() == total and counts[-1] == 0


def test_multiclass_uses_all_other_classes():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(m, 1, size=(s, 2)) for m, s in ((0, 90), (2, 30), (-2, 20))])
    y = np.repeat([0, 1, 2], [90, 30, 20])
    sampler = ProWSyn(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), [90, 90, 90])
    expected = brute_force_levels(X[y == 2], X[y != 2], 5, 5)
    np.testing.assert_array_equal(sampler.proximity_levels_[2], expected)


def test_sparse_dataframe_and_reproducible():
    X, y = overlapping(4)
    dense = ProWSyn(random_state=7).fit_resample(X, y)[0]
    np.testing.assert_array_equal(ProWSyn(random_state=7).fit_resample(X, y)[0], dense)
    X_sp = ProWSyn(random_state=7).fit_resample(sparse.csr_matrix(X), y)[0]
    np.testing.assert_allclose(X_sp.toarray(), dense)
    X_df, _ = ProWSyn(random_state=7).fit_resample(pd.DataFrame(X, columns=["u", "v"]), y)
    np.testing.assert_allclose(X_df.to_numpy(), dense)


def test_all_singleton_levels_warn_and_fall_back():
    # k=1: the nearest class row of every other row is 10 (level 1), then 20 (level 2)
    X = np.array([[0.0], [1.0], [2.0], [10.0], [20.0]])
    y = np.array([0, 0, 0, 1, 1])
    with pytest.warns(UserWarning, match="level of class 1 has a single row"):
        sampler = ProWSyn(n_neighbors=1, n_levels=5, random_state=0)
        X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [3, 3]
    assert 10.0 <= X_res[-1, 0] <= 20.0


def test_error_class_of_one():
    X = np.arange(8.0).reshape(-1, 1)
    y = np.array([0] * 7 + [1])
    with pytest.raises(ValueError, match=r"Class 1 has 1 sample.*at least 2"):
        ProWSyn().fit_resample(X, y)


@pytest.mark.parametrize(("param", "value"), [("theta", -1.0), ("n_levels", 0), ("n_neighbors", 0)])
def test_error_names_parameter(param, value):
    X, y = overlapping()
    with pytest.raises(ValueError, match=f"'{param}' parameter of ProWSyn"):
        ProWSyn(**{param: value}).fit_resample(X, y)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n_min=st.integers(2, 25),
    k=st.integers(1, 6),
    n_levels=st.integers(1, 6),
)
def test_properties(seed, n_min, k, n_levels):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(60 + n_min, 2))
    y = np.array([0] * 60 + [1] * n_min)
    sampler = ProWSyn(n_neighbors=k, n_levels=n_levels, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # all-singleton levels are allowed here
        X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), [60, 60])
    prov = sampler.provenance_
    expected = X[prov["base"]] + prov["gap"][:, None] * (X[prov["neighbor"]] - X[prov["base"]])
    np.testing.assert_allclose(X_res[60 + n_min :], expected, rtol=1e-12)
    assert (prov["base"] != prov["neighbor"]).all()
    assert set(np.unique(sampler.proximity_levels_[1])) <= set(range(1, n_levels + 1))

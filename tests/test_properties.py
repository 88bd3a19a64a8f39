"""Invariants of SMOTE that must hold for any data: hypothesis searches for counter-examples."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smotekit import SMOTE, smote

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)


def knn_sets(X: np.ndarray, k: int) -> list[set[int]]:
    """For each row, every row that can be among its k nearest others (ties included)."""
    d = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    kth = np.sort(d, axis=1)[:, k - 1]
    return [set(np.flatnonzero(d[i] <= kth[i] * (1 + 1e-9) + 1e-12)) for i in range(len(X))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    n=st.integers(3, 25),
    d=st.integers(1, 4),
    a=st.floats(0.05, 1.0),
    num=st.integers(0, 60),
    seed=st.integers(0, 2**31 - 1),
)
def test_functional_rows_on_segments_to_knn(data, n, d, a, num, seed):
    X = data.draw(arrays(np.float64, (n, d), elements=finite))
    k = data.draw(st.integers(1, n - 1))
    before = X.copy()
    out = smote(X, k=k, a=a, num_samples=num, random_state=seed)
    assert out.shape == (num, d)
    np.testing.assert_array_equal(X, before)
    # Reconstruct: each row must be base + lam * (nbr - base) for some base, nbr in its k-NN set
    # and lam in [0, a].
    allowed = knn_sets(X, k)
    for row in out:
        ok = False
        for i in range(n):
            for j in allowed[i]:
                seg = X[j] - X[i]
                denom = float(seg @ seg)
                if denom == 0.0:
                    lam = 0.0
                else:
                    lam = float((row - X[i]) @ seg) / denom
                if -1e-9 <= lam <= a + 1e-9 and np.allclose(
                    X[i] + lam * seg, row, rtol=1e-9, atol=1e-9
                ):
                    ok = True
                    break
            if ok:
                break
        assert ok, f"synthetic row {row} lies on no allowed segment"


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(7, 40), min_size=2, max_size=4),
    extra=st.lists(st.integers(0, 50), min_size=4, max_size=4),
    k=st.integers(1, 6),
    seed=st.integers(0, 1000),
)
def test_sampler_counts_and_provenance(counts, extra, k, seed):
    rng = np.random.RandomState(seed)
    y = np.repeat(np.arange(len(counts)), counts)
    X = rng.normal(size=(len(y), 3)) + y[:, None]
    wanted = {c: counts[c] + extra[c] for c in range(len(counts))}
    sampler = SMOTE(sampling_strategy=wanted, k_neighbors=k, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), [wanted[c] for c in range(len(counts))])
    prov = sampler.provenance_
    n = len(X)
    rebuilt = X[prov["base"]] + prov["gap"][:, None] * (X[prov["neighbor"]] - X[prov["base"]])
    np.testing.assert_allclose(X_res[n:], rebuilt, rtol=1e-12, atol=1e-12)
    # Partners are within the class and among the base's k nearest class-mates.
    assert (y[prov["base"]] == y_res[n:]).all() and (y[prov["neighbor"]] == y_res[n:]).all()
    for c in range(len(counts)):
        idx = np.flatnonzero(y == c)
        allowed = knn_sets(X[idx], k)
        local = {g: i for i, g in enumerate(idx)}
        rows = prov[y_res[n:] == c]
        for rec in rows:
            assert local[rec["neighbor"]] in allowed[local[rec["base"]]]

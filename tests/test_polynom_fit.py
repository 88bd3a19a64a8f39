"""PolynomFitSMOTE (star topology): the defining properties of the paper's construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.pipeline import make_pipeline
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from smotekit import PolynomFitSMOTE
from smotekit.over_sampling._polynom_fit import star_fractions


def three_classes(seed: int = 0, dtype=np.float64):
    rng = np.random.RandomState(seed)
    X = np.vstack(
        [
            rng.normal(0, 1, size=(100, 3)),
            rng.normal(3, 1, size=(23, 3)),
            rng.normal(-3, 2, size=(10, 3)),
        ]
    ).astype(dtype)
    y = np.array([0] * 100 + [1] * 23 + [2] * 10)
    return X, y


def check_star(X, y, X_res, y_res, sampler):
    """Every synthetic row sits on the spoke from its base to its class mean, at its gap."""
    n, prov = X.shape[0], sampler.provenance_
    assert len(prov) == X_res.shape[0] - n
    assert (prov["neighbor"] == -1).all()
    np.testing.assert_array_equal(y[prov["base"]], y_res[n:])
    centres = np.array([sampler.class_means_[label] for label in y_res[n:]])
    base = X[prov["base"]].astype(np.float64)
    expected = base + prov["gap"][:, None] * (centres - base)
    return expected, prov


def test_rows_lie_on_spokes_to_class_mean():
    X, y = three_classes()
    sampler = PolynomFitSMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    expected, _prov = check_star(X, y, X_res, y_res, sampler)
    np.testing.assert_allclose(X_res[X.shape[0] :], expected, rtol=1e-12, atol=1e-12)
    for label in (1, 2):
        np.testing.assert_allclose(sampler.class_means_[label], X[y == label].mean(axis=0))


def test_points_evenly_spaced_and_counts_balanced():
    X, y = three_classes()
    sampler = PolynomFitSMOTE(random_state=3)
    _X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), [100, 100, 100])
    prov = sampler.provenance_
    for label, m in ((1, 23), (2, 10)):
        mine = prov[y[prov["base"]] == label]
        bases, counts = np.unique(mine["base"], return_counts=True)
        assert bases.size == m
        assert counts.max() - counts.min() <= 1
        for b, c in zip(bases, counts, strict=True):
            gaps = np.sort(mine["gap"][mine["base"] == b])
            np.testing.assert_allclose(gaps, np.arange(1, c + 1) / (c + 1))


def test_exact_multiple_does_not_depend_on_random_state():
    X, y = three_classes()
    strategy = {1: 23 * 4, 2: 10 * 3}
    a = PolynomFitSMOTE(sampling_strategy=strategy, random_state=0).fit_resample(X, y)[0]
    b = PolynomFitSMOTE(sampling_strategy=strategy, random_state=99).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)


def test_reproducible_and_star_fractions():
    rows, _gaps = star_fractions(np.random.RandomState(0), 3, 7)
    assert np.bincount(rows).tolist() in ([3, 2, 2], [2, 3, 2], [2, 2, 3])
    X, y = three_classes()
    a = PolynomFitSMOTE(random_state=5).fit_resample(X, y)[0]
    b = PolynomFitSMOTE(random_state=5).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)


def test_float32_kept_and_integers_rounded():
    X, y = three_classes(dtype=np.float32)
    X_res, _ = PolynomFitSMOTE(random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.float32
    X_int = (three_classes()[0] * 10).astype(np.int64)
    sampler = PolynomFitSMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X_int, y)
    expected, _ = check_star(X_int, y, X_res, y_res, sampler)
    np.testing.assert_array_equal(X_res[X.shape[0] :], np.rint(expected))


def test_sparse_and_dataframe_and_pipeline():
    X, y = three_classes()
    dense = PolynomFitSMOTE(random_state=0).fit_resample(X, y)[0]
    X_sp, _ = PolynomFitSMOTE(random_state=0).fit_resample(sparse.csr_matrix(X), y)
    assert sparse.issparse(X_sp) and X_sp.format == "csr"
    np.testing.assert_allclose(X_sp.toarray(), dense)
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    X_df, y_s = PolynomFitSMOTE(random_state=0).fit_resample(df, pd.Series(y, name="t"))
    assert list(X_df.columns) == ["a", "b", "c"] and y_s.name == "t"
    model = make_pipeline(PolynomFitSMOTE(random_state=0), LogisticRegression()).fit(X, y)
    assert model.score(X, y) > 0.8


def test_error_names_parameter():
    X, y = three_classes()
    with pytest.raises(ValueError, match="random_state"):
        PolynomFitSMOTE(random_state="x").fit_resample(X, y)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    m=st.integers(2, 20),
    n_new=st.integers(1, 60),
    d=st.integers(1, 4),
)
def test_properties(seed, m, n_new, d):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(80 + m, d))
    y = np.array([0] * 80 + [1] * m)
    sampler = PolynomFitSMOTE(sampling_strategy={1: m + n_new}, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    assert (y_res == 1).sum() == m + n_new
    expected, prov = check_star(X, y, X_res, y_res, sampler)
    np.testing.assert_allclose(X_res[80 + m :], expected, rtol=1e-10, atol=1e-10)
    assert ((prov["gap"] > 0) & (prov["gap"] < 1)).all()
    counts = np.bincount(prov["base"] - 80, minlength=m)
    assert counts.max() - counts.min() <= 1

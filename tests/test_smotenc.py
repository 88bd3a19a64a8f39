"""SMOTENC: parity with imbalanced-learn, provenance, bounded vote memory, errors, properties."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SMOTENC as ImbSMOTENC

from smotekit import SMOTENC
from smotekit.over_sampling import _smotenc


def mixed_numeric(seed: int, n: int = 240, n_levels: int = 4, dtype=np.float64):
    """Continuous columns 0, 2, 3 and categorical columns 1, 4 (numeric codes)."""
    rng = np.random.RandomState(seed)
    cont = rng.normal(size=(n, 3))
    cat = rng.randint(0, n_levels, size=(n, 2))
    X = np.column_stack([cont[:, 0], cat[:, 0], cont[:, 1], cont[:, 2], cat[:, 1]]).astype(dtype)
    y = np.array([0] * (n * 2 // 3) + [1] * (n // 6) + [2] * (n - n * 2 // 3 - n // 6))
    return X, y, [1, 4]


def mixed_object(seed: int, n: int = 200):
    rng = np.random.RandomState(seed)
    X = np.empty((n, 4), dtype=object)
    X[:, 0] = rng.normal(size=n)
    X[:, 1] = rng.choice(list("abcde"), n)
    X[:, 2] = rng.normal(size=n) * 10
    X[:, 3] = rng.choice(["x", "y"], n, p=[0.7, 0.3])
    y = np.array([0] * (n * 3 // 4) + [1] * (n - n * 3 // 4))
    return X, y, [1, 3]


def assert_same(ours, theirs, continuous):
    (X_a, y_a), (X_b, y_b) = ours, theirs
    assert X_a.shape == X_b.shape and X_a.dtype == X_b.dtype
    np.testing.assert_array_equal(y_a, y_b)
    cont_a = np.asarray(X_a[:, continuous], dtype=np.float64)
    cont_b = np.asarray(X_b[:, continuous], dtype=np.float64)
    np.testing.assert_allclose(cont_a, cont_b, rtol=1e-12, atol=0)
    categorical = [j for j in range(X_a.shape[1]) if j not in continuous]
    np.testing.assert_array_equal(X_a[:, categorical], X_b[:, categorical])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [3, 4, 5])
def test_parity_numeric_codes(seed, k):
    X, y, cat = mixed_numeric(seed, n_levels=3 + seed % 3)
    ours = SMOTENC(cat, k_neighbors=k, random_state=seed).fit_resample(X, y)
    theirs = ImbSMOTENC(cat, k_neighbors=k, random_state=seed).fit_resample(X, y)
    assert_same(ours, theirs, [0, 2, 3])


@pytest.mark.parametrize("seed", range(3))
def test_parity_random_state_instance_and_strings(seed):
    X, y, cat = mixed_object(seed)
    ours = SMOTENC(cat, random_state=np.random.RandomState(seed)).fit_resample(X, y)
    theirs = ImbSMOTENC(cat, random_state=np.random.RandomState(seed)).fit_resample(X, y)
    assert_same(ours, theirs, [0, 2])


def test_parity_float32_and_dict_strategy():
    X, y, cat = mixed_numeric(7, dtype=np.float32)
    strategy = {1: 100, 2: 90}
    ours = SMOTENC(cat, sampling_strategy=strategy, random_state=1).fit_resample(X, y)
    theirs = ImbSMOTENC(cat, sampling_strategy=strategy, random_state=1).fit_resample(X, y)
    assert ours[0].dtype == np.float32
    assert_same(ours, theirs, [0, 2, 3])


@pytest.mark.parametrize(
    "spec", [["c1", "c2"], "auto", [False, True, False, True], np.array([1, 3])]
)
def test_parity_dataframe_column_specs(spec):
    X, y, _ = mixed_object(3)
    df = pd.DataFrame(X, columns=["n1", "c1", "n2", "c2"]).astype({"n1": float, "n2": float})
    if isinstance(spec, str):
        df = df.astype({"c1": "category", "c2": "category"})
    ours = SMOTENC(spec, random_state=0).fit_resample(df, y)
    # imbalanced-learn cannot take an ndarray spec; its list form is the reference
    ref_spec = spec.tolist() if isinstance(spec, np.ndarray) else spec
    theirs = ImbSMOTENC(ref_spec, random_state=0).fit_resample(df, y)
    pd.testing.assert_frame_equal(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_array_equal(ours[1], theirs[1])


def test_zero_spread_class_votes_like_imblearn():
    # A class whose continuous features are constant: median std 0, one-hot entries vanish.
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.normal(size=60), rng.randint(0, 3, 60)])
    X[40:, 0] = 1.5
    y = np.array([0] * 40 + [1] * 20)
    ours = SMOTENC([1], random_state=0).fit_resample(X, y)
    theirs = ImbSMOTENC([1], random_state=0).fit_resample(X, y)
    assert_same(ours, theirs, [0])


def test_provenance_reconstructs_continuous_and_votes_categories():
    X, y, cat = mixed_numeric(11)
    sampler = SMOTENC(cat, k_neighbors=5, random_state=3)
    X_res, y_res = sampler.fit_resample(X, y)
    n, prov = X.shape[0], sampler.provenance_
    assert len(prov) == X_res.shape[0] - n
    cont = [0, 2, 3]
    expected = X[prov["base"]][:, cont] + prov["gap"][:, None] * (
        X[prov["neighbor"]][:, cont] - X[prov["base"]][:, cont]
    )
    np.testing.assert_allclose(X_res[n:, cont], expected, rtol=1e-12)
    np.testing.assert_array_equal(y[prov["base"]], y_res[n:])
    np.testing.assert_array_equal(y[prov["neighbor"]], y_res[n:])
    # categories come from the base's own class
    for label in (1, 2):
        new = X_res[n:][y_res[n:] == label]
        assert set(new[:, 1]) <= set(X[y == label, 1])
        assert set(new[:, 4]) <= set(X[y == label, 4])


def test_vote_picks_a_most_frequent_category():
    rng = np.random.RandomState(0)
    codes = rng.randint(0, 6, size=(50, 2))
    neighbors = np.array(
        [rng.choice(np.delete(np.arange(50), i), 4, replace=False) for i in range(50)]
    )
    base = rng.randint(0, 50, size=300)
    out = _smotenc.vote_categories(rng, codes, neighbors, base, [6, 6], 0.7)
    for r in range(300):
        for j in range(2):
            counts = np.bincount(codes[neighbors[base[r]], j], minlength=6)
            assert counts[out[r, j]] == counts.max()


def test_vote_chunks_do_not_change_result(monkeypatch):
    X, y, cat = mixed_numeric(5, n=300, n_levels=5)
    full = SMOTENC(cat, k_neighbors=4, random_state=2).fit_resample(X, y)[0]
    monkeypatch.setattr(_smotenc, "VOTE_CHUNK_CELLS", 7)
    monkeypatch.setattr(_smotenc, "DENSE_ENCODING_BYTES", 0)  # sparse neighbour space too
    chunked = SMOTENC(cat, k_neighbors=4, random_state=2).fit_resample(X, y)[0]
    np.testing.assert_allclose(chunked, full, rtol=1e-12)


def test_vote_memory_is_proportional_to_output():
    # imbalanced-learn gathers (n_new, k, n_categories) floats: here 6000 x 5 x 3000 x 8 B = 720 MB.
    rng = np.random.RandomState(0)
    n_cat = 3000
    X = np.column_stack([rng.normal(size=6400), rng.randint(0, n_cat, 6400)])
    y = np.array([0] * 6200 + [1] * 200)
    tracemalloc.start()
    X_res, _ = SMOTENC([1], random_state=0).fit_resample(X, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert X_res.shape == (12400, 2)
    assert peak < 60 * 2**20, peak


def test_integer_continuous_columns_are_rounded():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.randint(0, 1000, 80), rng.randint(0, 3, 80)])
    y = np.array([0] * 60 + [1] * 20)
    sampler = SMOTENC([1], random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    prov = sampler.provenance_
    exact = X[prov["base"], 0] + prov["gap"] * (X[prov["neighbor"], 0] - X[prov["base"], 0])
    np.testing.assert_array_equal(X_res[80:, 0], np.rint(exact))


# -- errors ----------------------------------------------------------------------------------
def test_error_missing_column_name():
    df = pd.DataFrame({"a": np.arange(20.0), "b": list("xy") * 10})
    with pytest.raises(ValueError, match=r"categorical_features=\['zz'\].*columns: \['a', 'b'\]"):
        SMOTENC(["zz"]).fit_resample(df, [0] * 14 + [1] * 6)


@pytest.mark.parametrize("spec", [[7], [True, False, True]])
def test_error_bad_indices_or_mask(spec):
    X, y, _ = mixed_numeric(0)
    with pytest.raises(ValueError, match=r"categorical_features=.*X has 5 columns"):
        SMOTENC(spec).fit_resample(X, y)


def test_error_all_categorical_points_to_smoten():
    X = np.random.RandomState(0).randint(0, 3, size=(30, 2))
    with pytest.raises(ValueError, match="SMOTEN"):
        SMOTENC([0, 1]).fit_resample(X, [0] * 20 + [1] * 10)


def test_error_no_categorical_points_to_smote():
    df = pd.DataFrame({"a": np.arange(30.0), "b": np.arange(30.0)})
    with pytest.raises(ValueError, match=r"smotekit\.SMOTE for continuous"):
        SMOTENC("auto").fit_resample(df, [0] * 20 + [1] * 10)


@pytest.mark.parametrize("missing", [None, np.nan])
def test_missing_category_is_a_category_as_in_imblearn(missing):
    # issue 17 D: imbalanced-learn takes a missing category; smotekit refused it.
    X, y, cat = mixed_object(0)
    X[[5, 160, 170], 3] = missing
    ours = SMOTENC(cat, random_state=0).fit_resample(X, y)
    theirs = ImbSMOTENC(categorical_features=cat, random_state=0).fit_resample(X, y)
    assert_same(*[(X_r.astype(str), y_r) for X_r, y_r in (ours, theirs)], [])  # nan as "nan"
    np.testing.assert_allclose(
        ours[0][:, [0, 2]].astype(float), theirs[0][:, [0, 2]].astype(float), rtol=1e-12
    )


def test_missing_category_in_dataframe_as_in_imblearn():
    # The reproducer of HARD-INPUTS.md D, with a continuous column free of distance ties (on
    # np.arange(60.0) the neighbour search breaks ties in another order than scikit-learn's).
    rng = np.random.RandomState(0)
    cat = rng.choice(["p", "q"], 60).astype(object)
    cat[[3, 50]] = None
    X = pd.DataFrame({"f": rng.normal(size=60), "c": cat})
    y = np.r_[np.zeros(48, int), np.ones(12, int)]
    ours, _ = SMOTENC(categorical_features=["c"], random_state=0).fit_resample(X, y)
    theirs, _ = ImbSMOTENC(categorical_features=["c"], random_state=0).fit_resample(X, y)
    pd.testing.assert_frame_equal(ours, theirs)


def test_error_nan_in_continuous():
    X, y, cat = mixed_numeric(0)
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="continuous features contains a missing value"):
        SMOTENC(cat).fit_resample(X, y)


def test_error_class_too_small_for_k():
    X, y, cat = mixed_numeric(0)
    y = y.copy()
    y[:] = 0
    y[:3] = 1
    with pytest.raises(ValueError, match=r"Class 1 has 3 samples.*k_neighbors=5.*at most 2"):
        SMOTENC(cat).fit_resample(X, y)


# -- properties ------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n_min=st.integers(7, 30),
    n_levels=st.integers(1, 6),
    k=st.integers(1, 6),
)
def test_properties(seed, n_min, n_levels, k):
    rng = np.random.RandomState(seed)
    n = 40 + n_min
    X = np.column_stack([rng.normal(size=n), rng.randint(0, n_levels, n), rng.uniform(-5, 5, n)])
    y = np.array([0] * 40 + [1] * n_min)
    X_res, y_res = SMOTENC([1], k_neighbors=k, random_state=seed).fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), [40, 40])
    np.testing.assert_array_equal(X_res[:n], X)
    new = X_res[n:]
    minority = X[y == 1]
    # categories come from the class; continuous values stay in the class's bounding box
    assert set(new[:, 1]) <= set(minority[:, 1])
    for j in (0, 2):
        assert new[:, j].min() >= minority[:, j].min() - 1e-12
        assert new[:, j].max() <= minority[:, j].max() + 1e-12


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n_levels=st.integers(1, 5),
    k=st.integers(1, 6),
    n_classes=st.integers(2, 3),
)
def test_parity_property(seed, n_levels, k, n_classes):
    rng = np.random.RandomState(seed)
    n = 90
    X = np.column_stack([rng.normal(size=n), rng.randint(0, n_levels, n), rng.normal(size=n)])
    y = rng.choice(n_classes, size=n, p=[0.6, 0.4] if n_classes == 2 else [0.5, 0.3, 0.2])
    if np.bincount(y, minlength=n_classes).min() <= k:
        return
    ours = SMOTENC([1], k_neighbors=k, random_state=seed).fit_resample(X, y)
    theirs = ImbSMOTENC([1], k_neighbors=k, random_state=seed).fit_resample(X, y)
    assert_same(ours, theirs, [0, 2])

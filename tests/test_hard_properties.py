"""Hard inputs, searched by hypothesis: every sampler, every numeric dtype, any scale.

For every sampler, on every numeric NumPy dtype (complex aside: scikit-learn refuses complex
data), values from denormals to 1e300, dense and sparse input, duplicate rows:

* finite input gives finite output;
* the input is not modified, and the original rows come back bit for bit;
* dense and sparse input give the same rows;
* every synthetic row lies in its class's bounding box (Borderline-2 partners may be of another
  class, SVM-SMOTE extrapolates: both are checked against their segment's line instead), and a
  segment sampler's row lies on the segment from its base to a class-mate among the base's
  ``k`` nearest (ties included).

Frames (pandas nullable and pyarrow-backed dtypes, polars) are checked the same way in
``test_frames_keep_originals_dtypes_and_boxes``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.cluster import KMeans

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    PolynomFitSMOTE,
    ProWSyn,
)
from smotekit.exceptions import SmotekitWarning

# -- limits of the neighbour search --------------------------------------------------------------
# None: the exact search is scale-aware (it searches data beyond 2^+-400 scaled by a power of
# two), so values up to the dtype's limit are searched exactly. A float caps the generated
# values for a search that is not.
NEIGHBOUR_SEARCH_MAX: float | None = None

# False: squared differences of tiny values no longer underflow in the search (scaled as
# above), so a partner is checked against exact distances. True checks it against the search's
# own float64 view instead, for a search whose squares underflow below about 1e-154.
SEARCH_UNDERFLOWS = False

K = 3  # neighbours: small classes suffice

SAMPLERS = {
    "SMOTE": lambda: SMOTE(k_neighbors=K, random_state=0),
    "BorderlineSMOTE-1": lambda: BorderlineSMOTE(k_neighbors=K, m_neighbors=5, random_state=0),
    "BorderlineSMOTE-2": lambda: BorderlineSMOTE(
        k_neighbors=K, m_neighbors=5, kind="borderline-2", random_state=0
    ),
    "SVMSMOTE": lambda: SVMSMOTE(k_neighbors=K, m_neighbors=5, random_state=0),
    "ADASYN": lambda: ADASYN(n_neighbors=K, random_state=0),
    "KMeansSMOTE": lambda: KMeansSMOTE(
        k_neighbors=K,
        kmeans_estimator=KMeans(n_clusters=2, n_init=1, random_state=0),
        cluster_balance_threshold=0.0,
        random_state=0,
    ),
    "PolynomFitSMOTE": lambda: PolynomFitSMOTE(random_state=0),
    "ProWSyn": lambda: ProWSyn(n_neighbors=K, random_state=0),
}

# Samplers whose rows interpolate towards a class-mate among the base's k nearest (KMeansSMOTE:
# among the class's rows in the same cluster, so only its segments are checked).
KNN_SEGMENTS = {"SMOTE", "BorderlineSMOTE-1", "ADASYN"}

# What a sampler may answer on data that does not suit it (each says so, by design).
DOCUMENTED_REFUSALS = (
    "All support vectors are considered as noise",
    "Not any neigbours belong to the majority class",
    "No clusters found",
    "have no spread",
)

DTYPES = [
    np.bool_,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
    np.float16,
    np.float32,
    np.float64,
    np.longdouble,
]

SETTINGS = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- data ----------------------------------------------------------------------------------------
@st.composite
def columns(draw, dtype, n):
    """One column of ``n`` values of ``dtype``, at a scale from denormal to the dtype's limit."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        centre = draw(st.sampled_from([0, info.min, info.max, info.min // 2 + info.max // 2]))
        spread = draw(st.sampled_from([3, 1000, info.max]))
        low, high = max(info.min, centre - spread), min(info.max, centre + spread)
        values = draw(st.lists(st.integers(low, high), min_size=n, max_size=n))
        return np.array(values, dtype=dtype)
    top = float(np.finfo(dtype).max) if dtype.itemsize <= 8 else 1e300
    if NEIGHBOUR_SEARCH_MAX is not None:
        top = min(top, NEIGHBOUR_SEARCH_MAX)
    scale = draw(st.sampled_from([5e-324, 1e-300, 1e-5, 1.0, 1e5, 1e100, 1e300, top]))
    scale = min(scale, top / 1000)
    steps = draw(st.lists(st.integers(-1000, 1000), min_size=n, max_size=n))
    return (np.array(steps, dtype=np.float64) * scale).astype(dtype)


@st.composite
def datasets(draw, dtype):
    """Two classes (majority 0, minority 1), a few columns, some duplicated rows."""
    n_major, n_minor = draw(st.integers(8, 14)), draw(st.integers(K + 2, 8))
    n = n_major + n_minor
    d = draw(st.integers(1, 3))
    X = np.column_stack([draw(columns(dtype, n)) for _ in range(d)])
    y = np.r_[np.zeros(n_major, dtype=int), np.ones(n_minor, dtype=int)]
    if draw(st.booleans()):  # duplicate some rows within their class
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, n - 1))
            same = np.flatnonzero(y == y[i])
            X[draw(st.sampled_from(same.tolist()))] = X[i]
    return X, y, draw(st.booleans())


# -- checks --------------------------------------------------------------------------------------
def resample(sampler, X, y):
    """``fit_resample``, or None where the sampler refuses the data in a documented way."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmotekitWarning)
        try:
            return sampler.fit_resample(X, y)
        except (ValueError, RuntimeError) as exc:
            if any(text in str(exc) for text in DOCUMENTED_REFUSALS):
                return None
            raise


def as_float(values):
    """Exact for every integer and float dtype here (longdouble holds 64-bit integers)."""
    return np.asarray(values).astype(np.longdouble)


def tolerance(*arrays):
    """A few rounding steps of the arithmetic (the input's float dtype, float64 for integers)
    at the data's largest magnitude: exact for integers below 2**53."""
    dtype = arrays[0].dtype
    top = max(float(np.max(np.abs(as_float(a)))) if a.size else 0.0 for a in arrays)
    if dtype.kind in "biu":
        return 0.0 if top < 2**53 else 4 * float(np.spacing(top))
    return float(np.finfo(dtype).eps) * top * 4 + float(np.finfo(dtype).smallest_subnormal) * 2


def search_distances(X):
    """Squared distances between rows as the float64 neighbour search sees them."""
    Z = np.asarray(X, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        dist = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    return dist


def exact_distances(X):
    """Squared distances between rows, scaled by a power of two: no overflow, no underflow."""
    Z = as_float(X)
    top = float(np.max(np.abs(Z))) or 1.0
    Z = Z / np.ldexp(1.0, int(np.frexp(top)[1]))
    dist = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    return dist


def knn_sets(X, k):
    """Each row's possible k nearest other rows, ties included.

    Integers beyond 2**53 are searched as float64 (as imbalanced-learn does; docs/cli.md says
    so): two of them 512 apart may round to one value, so there the float64 distances decide.
    """
    beyond = X.dtype.kind in "iu" and float(np.max(np.abs(as_float(X)), initial=0)) >= 2**53
    dist = search_distances(X) if SEARCH_UNDERFLOWS or beyond else exact_distances(X)
    kth = np.sort(dist, axis=1)[:, k - 1]
    return [set(np.flatnonzero(dist[i] <= kth[i] * (1 + 1e-9))) for i in range(len(X))]


def sparse_search_is_exact(X):
    """Whether scikit-learn's sparse search orders every row's neighbours as exact arithmetic.

    It computes ``|a|^2 + |b|^2 - 2 a.b`` in the data's float dtype (float64 for integers), so
    distances closer than its rounding (ties included) may come out in any order, and float32
    squares overflow from about 1e19. imbalanced-learn searches the same way, so on such data
    sparse and dense input need not give the same rows, there or here.
    """
    dtype = X.dtype if X.dtype.kind == "f" else np.dtype(np.float64)
    Z = np.asarray(X, dtype=np.float64)
    norms = (Z**2).sum(axis=1)
    if not np.isfinite(norms).all() or norms.max() > float(np.finfo(dtype).max) / 4:
        return False
    ordered = np.sort(search_distances(X), axis=1)[:, :-1]
    rounding = 16 * float(np.finfo(dtype).eps) * norms.max()
    return bool((np.diff(ordered, axis=1) > rounding).all())


def check_rows(name, sampler, X, y, X_res, y_res):
    n = X.shape[0]
    X_dense = X.toarray() if sparse.issparse(X) else X
    out = X_res.toarray() if sparse.issparse(X_res) else np.asarray(X_res)
    assert out.dtype == X_dense.dtype
    # the original rows, bit for bit
    bits = np.ascontiguousarray(out[:n]).view(np.uint8)
    np.testing.assert_array_equal(bits, np.ascontiguousarray(X_dense).view(np.uint8))
    new, labels = out[n:], np.asarray(y_res)[n:]
    if X_dense.dtype.kind == "f":
        assert np.isfinite(out).all(), "finite input gave a non-finite output"
    tol = tolerance(X_dense, new)
    prov = sampler.provenance_
    for label in np.unique(labels):
        rows = new[labels == label]
        members = X_dense[y == label]
        if name not in ("BorderlineSMOTE-2", "SVMSMOTE"):
            assert (as_float(rows) >= as_float(members.min(axis=0)) - tol).all()
            assert (as_float(rows) <= as_float(members.max(axis=0)) + tol).all()
    if name in ("PolynomFitSMOTE",):
        return
    base, partner = X_dense[prov["base"]], X_dense[prov["neighbor"]]
    if name == "SVMSMOTE":  # on the line through base and partner, clipped to the dtype
        expected = as_float(base) + prov["gap"][:, None] * (as_float(partner) - as_float(base))
        if X_dense.dtype.kind in "biu":
            info = np.iinfo(np.uint8 if X_dense.dtype.kind == "b" else X_dense.dtype)
            expected = np.clip(expected, info.min, info.max)
        else:
            top = np.finfo(X_dense.dtype).max
            expected = np.clip(expected, -top, top)
        assert (np.abs(as_float(new) - expected) <= tol + 1).all()
        return
    low = np.minimum(as_float(base), as_float(partner))
    high = np.maximum(as_float(base), as_float(partner))
    assert (as_float(new) >= low - tol).all() and (as_float(new) <= high + tol).all()
    if name in KNN_SEGMENTS and not sparse.issparse(X):  # the sparse search: see above
        for label in np.unique(labels):
            index = np.flatnonzero(y == label)
            local = {g: i for i, g in enumerate(index)}
            allowed = knn_sets(X_dense[index], K)
            for rec in prov[labels == label]:
                assert rec["neighbor"] in local, "partner of another class"
                assert local[rec["neighbor"]] in allowed[local[rec["base"]]], "not a k-NN"


SPARSE_DTYPES = [d for d in DTYPES if d is not np.float16]  # scipy.sparse has no float16


# An SVM and a clustering per fit: fewer examples keep the suite's time modest.
SLOW = {"SVMSMOTE", "KMeansSMOTE"}


@pytest.mark.parametrize("name", sorted(set(SAMPLERS) - SLOW))
@SETTINGS
@given(data=st.data())
def test_every_sampler_any_dtype_scale_and_format(name, data):
    check_sampler(name, data)


@pytest.mark.parametrize("name", sorted(SLOW))
@settings(SETTINGS, max_examples=10)
@given(data=st.data())
def test_slow_samplers_any_dtype_scale_and_format(name, data):
    check_sampler(name, data)


def check_sampler(name, data):
    dtype = data.draw(st.sampled_from(DTYPES), label="dtype")
    X, y, _ = data.draw(datasets(dtype))
    before = X.copy()
    sampler = SAMPLERS[name]()
    dense = resample(sampler, X, y)
    np.testing.assert_array_equal(X, before)
    if dense is None:
        return
    check_rows(name, sampler, X, y, *dense)
    fmt = data.draw(st.sampled_from(["csr", "csc"]), label="format")
    if dtype is np.float16:
        return
    X_sparse = sparse.csr_matrix(X).asformat(fmt)
    sampler = SAMPLERS[name]()
    result = resample(sampler, X_sparse, y)
    exact = sparse_search_is_exact(X)  # duplicates are ties too (HARD-INPUTS A6)
    if result is None:
        assert not exact, "the sparse input was refused, the dense one was not"
        return
    check_rows(name, sampler, X_sparse, y, *result)
    assert result[0].format == fmt
    if not exact:
        return
    np.testing.assert_array_equal(result[0].toarray(), dense[0])
    np.testing.assert_array_equal(result[1], dense[1])


@SETTINGS
@given(data=st.data())
def test_smotenc_any_dtype_and_scale(data):
    dtype = data.draw(st.sampled_from([d for d in DTYPES if d is not np.bool_]), label="dtype")
    X, y, _ = data.draw(datasets(dtype))
    codes = data.draw(st.lists(st.sampled_from([0, 1, 2]), min_size=len(y), max_size=len(y)))
    X = np.column_stack([X, np.array(codes, dtype=dtype)])
    cat = X.shape[1] - 1
    before = X.copy()
    X_res, y_res = resample(SMOTENC([cat], k_neighbors=K, random_state=0), X, y)
    np.testing.assert_array_equal(X, before)
    np.testing.assert_array_equal(X_res[: len(y)].view(np.uint8), X.view(np.uint8))
    if X.dtype.kind == "f":
        assert np.isfinite(X_res).all()
    new, labels = X_res[len(y) :], y_res[len(y) :]
    tol = tolerance(X, new)
    for label in np.unique(labels):
        members, rows = X[y == label], new[labels == label]
        assert set(rows[:, cat].tolist()) <= set(members[:, cat].tolist())
        cont = slice(0, cat)
        assert (as_float(rows[:, cont]) >= as_float(members[:, cont].min(axis=0)) - tol).all()
        assert (as_float(rows[:, cont]) <= as_float(members[:, cont].max(axis=0)) + tol).all()


@SETTINGS
@given(data=st.data())
def test_smoten_with_missing_values(data):
    n = data.draw(st.integers(10, 24))
    values = st.sampled_from(["a", "b", "c", None, np.nan])
    X = np.array(data.draw(st.lists(values, min_size=2 * n, max_size=2 * n)), dtype=object)
    X = X.reshape(n, 2)
    y = np.r_[np.zeros(n - 6, dtype=int), np.ones(6, dtype=int)]
    X_res, y_res = resample(SMOTEN(k_neighbors=K, random_state=0), X, y)
    assert all(a is b for a, b in zip(X_res[:n].ravel(), X.ravel(), strict=True))
    for label in (0, 1):
        seen = {str(v) for v in X[y == label].ravel()} | {"None"}
        assert {str(v) for v in X_res[n:][y_res[n:] == label].ravel()} <= seen


# -- frames --------------------------------------------------------------------------------------
PANDAS_DTYPES = {
    "Int8": np.int8,
    "Int64": np.int64,
    "UInt16": np.uint16,
    "UInt64": np.uint64,
    "Float32": np.float32,
    "Float64": np.float64,
    "boolean": np.bool_,
    "int32[pyarrow]": np.int32,
    "uint64[pyarrow]": np.uint64,
    "float[pyarrow]": np.float32,
    "double[pyarrow]": np.float64,
    "bool[pyarrow]": np.bool_,
    "int64": np.int64,
    "float64": np.float64,
}
POLARS_DTYPES = {
    pl.Int8: np.int8,
    pl.Int64: np.int64,
    pl.UInt32: np.uint32,
    pl.UInt64: np.uint64,
    pl.Float32: np.float32,
    pl.Float64: np.float64,
    pl.Boolean: np.bool_,
}
FRAME_SAMPLERS = ["SMOTE", "BorderlineSMOTE-1", "PolynomFitSMOTE", "ProWSyn"]


@SETTINGS
@given(data=st.data())
def test_frames_keep_originals_dtypes_and_boxes(data):
    library = data.draw(st.sampled_from(["pandas", "polars"]), label="library")
    table = PANDAS_DTYPES if library == "pandas" else POLARS_DTYPES
    kinds = data.draw(
        st.lists(st.sampled_from(list(table)), min_size=1, max_size=3), label="dtypes"
    )
    n_major, n_minor = data.draw(st.integers(8, 12)), data.draw(st.integers(K + 2, 7))
    n = n_major + n_minor
    values = [data.draw(columns(table[kind], n)) for kind in kinds]
    names = [f"c{j}" for j in range(len(kinds))]
    y = np.r_[np.zeros(n_major, dtype=int), np.ones(n_minor, dtype=int)]
    if library == "pandas":
        X = pd.DataFrame(
            {c: pd.array(v, dtype=k) for c, v, k in zip(names, values, kinds, strict=True)}
        )
        labels = pd.Series(y, name="label")
    else:
        X = pl.DataFrame(
            [pl.Series(c, v, dtype=k) for c, v, k in zip(names, values, kinds, strict=True)]
        )
        labels = pl.Series("label", y)
    name = data.draw(st.sampled_from(FRAME_SAMPLERS), label="sampler")
    result = resample(SAMPLERS[name](), X, labels)
    if result is None:
        return
    X_res, _ = result
    if library == "pandas":
        pd.testing.assert_frame_equal(X_res.head(n), X)  # the caller's rows, exactly
        assert X_res.dtypes.tolist() == X.dtypes.tolist()
    else:
        assert X_res.head(n).equals(X) and X_res.schema == X.schema
    for column, original in zip(names, values, strict=True):  # only class 1 grows
        new = np.asarray(X_res[column].to_numpy(), dtype=original.dtype)[n:]
        if original.dtype.kind == "f":
            assert np.isfinite(new).all()
        members = original[y == 1]
        tol = tolerance(original, new)
        assert (as_float(new) >= as_float(members.min()) - tol).all()
        assert (as_float(new) <= as_float(members.max()) + tol).all()

"""Regression tests for shared/docs/HARD-INPUTS.md (issue 17), the Python-library items.

Each test names the item it covers; each failed before its fix.
"""

from __future__ import annotations

import ast
import importlib.abc
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from imblearn import over_sampling as imb
from scipy import sparse
from sklearn.exceptions import DataConversionWarning
from sklearn.neighbors import NearestNeighbors

import smotekit
from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    PolynomFitSMOTE,
    ProWSyn,
    smote,
)
from smotekit._kernels import SyntheticPlan, interpolate
from smotekit.exceptions import (
    FallbackWarning,
    NoSyntheticSamplesWarning,
    SmotekitWarning,
    SparseConversionWarning,
)

ROOT = Path(__file__).resolve().parents[1]


def two_blobs(seed=0, n_major=40, n_minor=12, d=2, shift=1.5):
    rng = np.random.RandomState(seed)
    X = np.r_[rng.normal(size=(n_major, d)), rng.normal(size=(n_minor, d)) + shift]
    return X, np.r_[np.zeros(n_major, dtype=int), np.ones(n_minor, dtype=int)]


def provenance_values(X, sampler, rounding=np.rint):
    """Synthetic rows rebuilt from ``provenance_`` in float64, stored as ``X``'s integers."""
    prov = sampler.provenance_
    base, partner = X[prov["base"]].astype(float), X[prov["neighbor"]].astype(float)
    info = np.iinfo(X.dtype)
    return np.clip(rounding(base + prov["gap"][:, None] * (partner - base)), info.min, info.max)


# -- A1: unsigned integers wrapped around in the neighbour difference ---------------------------
UINT8_X = np.array(
    [[0], [10], [20], [30], [40], [50], [60], [70], [200], [210], [220], [230], [240], [250]],
    dtype=np.uint8,
)
UINT8_Y = np.array([0] * 8 + [1] * 6)


@pytest.mark.parametrize("fmt", ["dense", "csr"])
def test_a1_uint8_reproducer(fmt):
    X = UINT8_X if fmt == "dense" else sparse.csr_matrix(UINT8_X)
    sampler = SMOTE(random_state=0, k_neighbors=3)
    X_res, _ = sampler.fit_resample(X, UINT8_Y)
    new = X_res[14:] if fmt == "dense" else X_res[14:].toarray()
    np.testing.assert_array_equal(new.ravel(), [233, 244])  # was [160 142]
    np.testing.assert_array_equal(new, provenance_values(UINT8_X, sampler))


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
@pytest.mark.parametrize("fmt", ["dense", "csr"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: SMOTE(k_neighbors=3, random_state=0),
        lambda: BorderlineSMOTE(k_neighbors=3, m_neighbors=5, random_state=0),
        lambda: ADASYN(n_neighbors=3, random_state=0),
        lambda: ProWSyn(n_neighbors=3, random_state=0),
        lambda: SVMSMOTE(k_neighbors=3, m_neighbors=5, random_state=0),
    ],
    ids=["SMOTE", "Borderline-1", "ADASYN", "ProWSyn", "SVMSMOTE"],
)
def test_a1_unsigned_every_sampler(make, fmt, dtype):
    X, y = two_blobs(3, d=2, shift=1.0)
    X = np.rint((X - X.min()) * 20).astype(dtype)
    sampler = make()
    X_res, _ = sampler.fit_resample(X if fmt == "dense" else sparse.csr_matrix(X), y)
    new = X_res[len(X) :] if fmt == "dense" else X_res[len(X) :].toarray()
    np.testing.assert_array_equal(new, provenance_values(X, sampler))


def test_a1_unsigned_smotenc():
    X, y = two_blobs(4, d=2)
    X = np.rint((X - X.min()) * 20).astype(np.uint8)
    X[:, 1] = np.arange(len(X)) % 3  # categorical
    sampler = SMOTENC([1], k_neighbors=3, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[len(X) :, 0], provenance_values(X, sampler)[:, 0])


# -- A2: frames' original rows went through float64 ----------------------------------------------
def big_id_frame():
    ids = np.arange(20, dtype=np.int64) * 1000 + 2**53 + 1
    return pd.DataFrame({"id": ids, "n": np.arange(20, dtype=np.int64)}), pd.Series(
        [0] * 12 + [1] * 8
    )


def test_a2_pandas_originals_above_2_53_are_exact():
    X, y = big_id_frame()
    X_res, _ = SMOTE(random_state=0).fit_resample(X, y)
    pd.testing.assert_frame_equal(X_res.head(20), X)  # 20 originals were altered


def test_a2_polars_originals_above_2_53_are_exact():
    X, y = big_id_frame()
    frame = pl.from_pandas(X).with_columns(pl.col("n").cast(pl.Float64))  # mixed: float64 array
    X_res, _ = SMOTE(random_state=0).fit_resample(frame, pl.Series("y", y.to_numpy()))
    assert X_res.head(20).equals(frame)


def test_a2_uint64_near_2_63_keeps_its_values():
    values = np.arange(20, dtype=np.uint64) * np.uint64(1000) + np.uint64(2**63 - 9000)
    X = pd.DataFrame({"u": pd.array(values, dtype="UInt64"), "v": pd.array(values, "UInt64")})
    y = pd.Series([0] * 12 + [1] * 8)
    X_res, _ = SMOTE(random_state=0).fit_resample(X, y)
    pd.testing.assert_frame_equal(X_res.head(20), X)
    new = X_res["u"].to_numpy()[20:].astype(np.uint64)
    minority = values[12:]
    assert ((new >= minority.min()) & (new <= minority.max())).all()
    assert len(set(new.tolist())) > 1  # not collapsed to one value (2**63)


def test_a2_combined_sampler_keeps_original_rows():
    X, y = big_id_frame()
    X_res, _ = smotekit.SMOTETomek(random_state=0).fit_resample(X, y)
    kept = X_res[X_res["id"].isin(X["id"])]
    assert len(kept) >= 1 and kept["id"].isin(X["id"]).all()


# -- A4: finite input, non-finite output ---------------------------------------------------------
def test_a4_polynom_fit_near_float64_max():
    X, y = two_blobs(0, n_major=20, n_minor=8)
    X = X / np.abs(X).max() * 1e308
    X_res, _ = PolynomFitSMOTE(random_state=0).fit_resample(X, y)
    assert np.isfinite(X_res).all()  # 60 non-finite values


def test_a4_float16_near_its_max():
    X, y = two_blobs(1, n_major=20, n_minor=8, shift=0.0)
    X = (X / np.abs(X).max() * 65000).astype(np.float16)
    X_res, _ = SMOTE(random_state=0).fit_resample(X, y)
    assert np.isfinite(X_res).all()  # one inf


def test_a4_kernel_beyond_half_float64_range_stays_finite():
    # The neighbour layer refuses these scales until the `speed` branch lands (HARD-INPUTS B);
    # the kernel itself is checked here.
    X = np.array([[-1.5e308, 1.0], [1.5e308, -1.0]])
    plan = SyntheticPlan(np.array([0, 1, 0]), np.array([1, 0, 1]), np.array([0.25, 0.5, 1.0]))
    out = interpolate(X, plan, np.empty((3, 2)))
    np.testing.assert_allclose(out[:, 0], [-7.5e307, 0.0, 1.5e308], rtol=1e-15)
    extrapolated = SyntheticPlan(np.array([0]), np.array([1]), np.array([-0.5]))
    far = interpolate(X, extrapolated, np.empty((1, 2)))  # beyond float64: clipped
    assert far[0, 0] == -np.finfo(np.float64).max


# -- A5: integers rounded when dense but truncated when sparse ----------------------------------
INTEGER_SAMPLERS = [
    lambda r: SMOTE(random_state=0, integer_rounding=r),
    lambda r: ProWSyn(random_state=0, integer_rounding=r),
    lambda r: BorderlineSMOTE(random_state=0, integer_rounding=r),
    lambda r: ADASYN(random_state=0, integer_rounding=r),
]


@pytest.mark.parametrize("rounding", ["nearest", "truncate"])
@pytest.mark.parametrize("make", INTEGER_SAMPLERS, ids=["SMOTE", "ProWSyn", "Borderline", "ADASYN"])
def test_a5_integer_dense_equals_sparse(make, rounding):
    X, y = two_blobs(5, n_major=45, n_minor=15, d=3)
    X = np.rint(X * 30).astype(np.int64)
    dense, _ = make(rounding).fit_resample(X, y)
    csr, _ = make(rounding).fit_resample(sparse.csr_matrix(X), y)
    np.testing.assert_array_equal(csr.toarray(), dense)


# -- D: imbalanced-learn's truncation, exactly ---------------------------------------------------
def integer_data(seed=0):
    X, y = two_blobs(seed, n_major=60, n_minor=20, d=3)
    return np.rint(X * 25).astype(np.int64), y


# (imbalanced-learn's Borderline-2 raises on integer arrays, so it has no rows to compare with)
PARITY = [
    ("SMOTE", {}),
    ("BorderlineSMOTE", {}),
    ("SVMSMOTE", {}),
    ("ADASYN", {}),
    ("KMeansSMOTE", {"kmeans_estimator": 2, "cluster_balance_threshold": 0.1}),
]


@pytest.mark.parametrize(("name", "kwargs"), PARITY, ids=[f"{n}{k}" for n, k in PARITY])
def test_d_truncate_gives_imblearns_integer_rows(name, kwargs):
    X, y = integer_data()
    ours, _ = getattr(smotekit, name)(
        random_state=0, integer_rounding="truncate", **kwargs
    ).fit_resample(X, y)
    theirs, _ = getattr(imb, name)(random_state=0, **kwargs).fit_resample(X, y)
    n = min(len(ours), len(theirs))  # imbalanced-learn's count may differ (documented)
    np.testing.assert_array_equal(ours[:n], theirs[:n])
    nearest, _ = getattr(smotekit, name)(random_state=0, **kwargs).fit_resample(X, y)
    assert (nearest[len(X) : n] != theirs[len(X) : n]).any()  # the default rounds


def test_d_truncate_smotenc_and_frames_equal_imblearn():
    X, y = integer_data(1)
    X[:, 2] = np.arange(len(X)) % 3
    ours, _ = SMOTENC([2], random_state=0, integer_rounding="truncate").fit_resample(X, y)
    theirs, _ = imb.SMOTENC(categorical_features=[2], random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(ours, theirs)
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1].astype(float), "c": X[:, 1]})
    ours_df, _ = SMOTE(random_state=0, integer_rounding="truncate").fit_resample(frame, y)
    theirs_df, _ = imb.SMOTE(random_state=0).fit_resample(frame, y)
    pd.testing.assert_frame_equal(ours_df, theirs_df)


def test_d_integer_rounding_is_validated():
    with pytest.raises(ValueError, match="integer_rounding"):
        SMOTE(integer_rounding="floor").fit_resample(*integer_data())


# -- C: Python API messages ----------------------------------------------------------------------
def frame_with(**extra):
    X, y = two_blobs(0, n_major=48, n_minor=12, d=1)
    return pd.DataFrame({"f": X[:, 0], **extra}), y


N = 60
MESSAGES = [
    (
        "category column",
        lambda: SMOTE().fit_resample(*frame_with(c=pd.Categorical(["a", "b"] * (N // 2)))),
        r"X column 'c' holds text or categories.*SMOTENC\(categorical_features=\['c'\]\)",
    ),
    (
        "str column",
        lambda: SMOTE().fit_resample(*frame_with(c=["a", "b"] * (N // 2))),
        r"X column 'c' holds text",
    ),
    (
        "datetime column",
        lambda: SMOTE().fit_resample(*frame_with(d=pd.date_range("2020", periods=N))),
        r"X column 'd' holds dates or times.*convert it to a number",
    ),
    (
        "polars list column",
        lambda: SMOTE().fit_resample(
            pl.DataFrame({"f": np.arange(N * 1.0), "l": [[1, 2]] * N}), frame_with()[1]
        ),
        r"X column 'l' holds nested values",
    ),
    (
        "polars y DataFrame",
        lambda: SMOTE().fit_resample(
            pl.DataFrame({"f": np.arange(N * 1.0)}), pl.DataFrame({"y": frame_with()[1]})
        ),
        r"y is a polars DataFrame.*y\.to_series\(\)",
    ),
    (
        "mixed int and str categories",
        lambda: SMOTENC(["c"]).fit_resample(*frame_with(c=np.array([1, "a"] * (N // 2), object))),
        r"Categorical column 'c' mixes text and numbers.*astype\(str\)",
    ),
    (
        "smote on csr",
        lambda: smote(sparse.csr_matrix(np.ones((10, 2)))),
        r"X is a sparse matrix \(csr_matrix\).*X\.toarray\(\)",
    ),
    (
        "smote on Int64 with NA",
        lambda: smote(pd.DataFrame({"a": pd.array([1, 2, None, 4, 5, 6, 7], "Int64")})),
        r"missing value \(NaN; first at row 2, column 'a'\)",
    ),
    (
        "smote with too few rows",
        lambda: smote(np.ones((3, 2))),
        r"^X has 3 rows, but k=5 needs at least 6 .*lower k to at most 2\.$",
    ),
    (
        "estimator as k_neighbors",
        lambda: SMOTE(k_neighbors=NearestNeighbors(n_neighbors=50)).fit_resample(*two_blobs()),
        r"NearestNeighbors\(n_neighbors=50\) \(50 neighbours.*n_neighbors at most 12",
    ),
    (
        "NA in a DataFrame",
        lambda: SMOTE().fit_resample(*frame_with(g=np.where(np.arange(N) == 7, np.nan, 1.0))),
        r"missing value \(NaN; first at row 7, column 'g'\)",
    ),
    (
        "inf is not missing",
        lambda: SMOTE().fit_resample(*frame_with(g=np.where(np.arange(N) == 7, np.inf, 1.0))),
        r"an infinite value \(inf; first at row 7, column 'g'\).*clip",
    ),
    (
        "float labels",
        lambda: SMOTE().fit_resample(np.ones((N, 2)), np.where(frame_with()[1] == 0, 0.5, 1.5)),
        r"y holds float values that are not whole numbers \(0\.5, 1\.5\)",
    ),
    (
        "dict count 30.5",
        lambda: SMOTE(sampling_strategy={1: 30.5}).fit_resample(*two_blobs()),
        r"asks for 30\.5 samples of class 1.*use 30 or 31",
    ),
    (
        "callable returning an int",
        lambda: SMOTE(sampling_strategy=lambda y: 30).fit_resample(*two_blobs()),
        r"returned 30 \(int\); a callable sampling_strategy must return a dict",
    ),
]


@pytest.mark.parametrize(("case", "call", "pattern"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_c_messages_name_the_column_or_parameter(case, call, pattern):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    message = str(info.value)
    assert re.search(pattern, message), message
    assert "\n" not in message


def test_c_smotenc_auto_takes_text_columns():
    X, y = frame_with(c=["a", "b", "c"] * (N // 3), k=pd.Categorical(["u", "v"] * (N // 2)))
    sampler = SMOTENC("auto", random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.categorical_features_, [1, 2])
    assert X_res.dtypes.tolist() == X.dtypes.tolist()


def test_c_borderline2_and_boolean_arrays():
    X, y = two_blobs(2)
    ints = np.rint(X * 5).astype(np.int64)  # raised UFuncTypeError
    X_res, _ = BorderlineSMOTE(kind="borderline-2", random_state=0).fit_resample(ints, y)
    assert X_res.dtype == np.int64
    flags = X > 0.5  # raised numpy's "boolean subtract" TypeError
    X_res, _ = SMOTE(random_state=0).fit_resample(flags, y)
    assert X_res.dtype == bool and (X_res[: len(X)] == flags).all()


# -- D: warnings ---------------------------------------------------------------------------------
def test_d_warnings_are_smotekit_warnings():
    X = np.r_[np.zeros((20, 1)), np.ones((12, 1))]
    y = np.r_[np.zeros(20, int), np.ones(12, int)]
    with pytest.warns(NoSyntheticSamplesWarning):
        BorderlineSMOTE(k_neighbors=3).fit_resample(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", SmotekitWarning)  # what users write; was a UserWarning
        BorderlineSMOTE(k_neighbors=3).fit_resample(X, y)
    assert issubclass(SparseConversionWarning, DataConversionWarning)
    assert smotekit.SmotekitWarning is SmotekitWarning


def test_d_prowsyn_and_smoten_warnings():
    X = np.r_[np.zeros((20, 1)), np.arange(3.0).reshape(-1, 1) * 100 + 50]
    y = np.r_[np.zeros(20, int), np.ones(3, int)]
    with pytest.warns(FallbackWarning):
        ProWSyn(n_neighbors=1, n_levels=3, random_state=0).fit_resample(X, y)
    X_cat = sparse.csr_matrix(np.r_[np.zeros((20, 1)), np.ones((8, 1))])
    with pytest.warns(SparseConversionWarning):
        SMOTEN(k_neighbors=3).fit_resample(X_cat, np.r_[np.zeros(20, int), np.ones(8, int)])


def test_d_every_warning_smotekit_emits_is_a_smotekit_warning():
    names = {n for n in dir(smotekit.exceptions) if n.endswith("Warning")}
    for path in (ROOT / "src" / "smotekit").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = getattr(func, "attr", getattr(func, "id", ""))
            if called not in ("warn", "warn_user") or len(node.args) < 2:
                continue
            category = node.args[1]
            name = getattr(category, "id", getattr(category, "attr", None))
            if name == "category":  # warn_user's own call passes its argument on
                continue
            assert name in names, f"{path.name}:{node.lineno} warns with {name}"


# -- D: polars without pandas --------------------------------------------------------------------
class _NoPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "pandas":
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by the test)")
        return None


@pytest.fixture
def without_pandas(monkeypatch):
    """As if pandas were not installed: not loaded, and ``import pandas`` fails."""
    for name in [m for m in sys.modules if m.split(".")[0] == "pandas"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPandas(), *sys.meta_path])


def test_d_polars_in_and_out_without_pandas(without_pandas):
    with pytest.raises(ImportError):
        import pandas  # noqa: F401
    rng = np.random.RandomState(0)
    X = pl.DataFrame(
        {
            "a": rng.normal(size=60),
            "n": pl.Series(rng.randint(0, 9, 60), dtype=pl.Int16),
            "flag": rng.rand(60) > 0.5,
        }
    )
    y = pl.Series("y", [0] * 48 + [1] * 12)
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == X.schema
    assert X_res.head(60).equals(X) and y_res.dtype == pl.Int64
    X_cat = X.with_columns(c=pl.Series(rng.choice(["p", "q", "r"], 60)).cast(pl.Categorical))
    X_res, _ = SMOTENC("auto", random_state=0).fit_resample(X_cat, y)
    assert X_res.schema == X_cat.schema and X_res.head(60).equals(X_cat)


# -- D: dependencies, README, docstrings ---------------------------------------------------------
def test_d_every_required_import_is_declared():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {
        re.split(r"[<>=\[ ;]", d)[0].lower().replace("-", "_") for d in project["dependencies"]
    }
    optional = {
        re.split(r"[<>=\[ ;]", d)[0].lower().replace("-", "_")
        for extra in project["optional-dependencies"].values()
        for d in extra
    }
    names = {"imblearn": "imbalanced_learn", "sklearn": "scikit_learn", "faiss": "faiss_cpu"}
    for path in (ROOT / "src" / "smotekit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                top = node.module.split(".")[0]
            elif isinstance(node, ast.Import):
                top = node.names[0].name.split(".")[0]
            else:
                continue
            if top in sys.stdlib_module_names or top == "smotekit":
                continue
            assert names.get(top, top) in declared | optional, f"{path.name} imports {top}"
    assert "sklearn_compat" in declared


def test_d_fit_resample_help_has_parameters_and_returns():
    for name in [*smotekit.over_sampling.__all__, "SMOTETomek", "SMOTEENN"]:
        doc = getattr(smotekit, name).fit_resample.__doc__
        assert "Parameters" in doc and "Returns" in doc and "X_resampled" in doc, name


# -- E: PolynomFitSMOTE with a one-row class -----------------------------------------------------
def test_e_polynom_fit_one_row_class_raises_like_the_others():
    X, _ = two_blobs(0, n_major=48, n_minor=1)
    y = np.r_[np.zeros(48, int), 1]
    with pytest.raises(ValueError, match=r"Class 1 has 1 sample.*at least 2"):
        PolynomFitSMOTE(sampling_strategy={1: 5}).fit_resample(X, y)

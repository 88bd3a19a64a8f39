"""smotekit.smote: the functional API's contract and errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE as ImbSMOTE

from smotekit import smote


def test_matches_imblearn_draws():
    rng = np.random.RandomState(0)
    minority = rng.normal(size=(40, 3))
    X = np.vstack([rng.normal(size=(100, 3)) + 4, minority])
    y = np.array([0] * 100 + [1] * 40)
    X_res, _ = ImbSMOTE(random_state=5).fit_resample(X, y)
    np.testing.assert_allclose(
        smote(minority, k=5, num_samples=60, random_state=5), X_res[140:], rtol=1e-12, atol=0
    )


def test_a_bounds_the_gap():
    X = np.array([[0.0], [1.0]])
    out = smote(X, k=1, a=0.25, num_samples=500, random_state=0)
    # Each row moves at most a quarter of the way from its base towards the other point.
    assert ((out <= 0.25) | (out >= 0.75)).all()


def test_default_num_samples_doubles():
    X = np.random.RandomState(0).normal(size=(10, 2))
    assert smote(X, k=3, random_state=0).shape == (10, 2)


def test_float32_kept_int_promoted():
    X32 = np.random.RandomState(0).normal(size=(10, 2)).astype(np.float32)
    assert smote(X32, k=2, num_samples=4, random_state=0).dtype == np.float32
    Xi = np.arange(20).reshape(10, 2)
    assert smote(Xi, k=2, num_samples=4, random_state=0).dtype == np.float64


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"a": 0.0}, r"a=0\.0 is out of range.*\(0, 1\]"),
        ({"a": 1.5}, r"a=1\.5 is out of range"),
        ({"num_samples": -1}, r"num_samples=-1 is negative"),
        ({"k": 0}, r"k=0 must be a positive integer"),
        ({"k": 10}, r"X has 5 rows, but k=10 needs at least 11.*at most 4"),
    ],
)
def test_bad_parameters_are_named(kwargs, match):
    X = np.random.RandomState(0).normal(size=(5, 2))
    with pytest.raises(ValueError, match=match):
        smote(X, **{"num_samples": 3, **kwargs})


def test_bad_arrays_are_named():
    with pytest.raises(ValueError, match=r"missing value \(NaN"):
        smote(np.array([[0.0, np.nan], [1.0, 1.0], [2.0, 2.0]]), k=1)
    with pytest.raises(TypeError, match="must be numeric"):
        smote(np.array([["a"], ["b"], ["c"]]), k=1)
    with pytest.raises(ValueError, match="empty"):
        smote(np.empty((0, 2)), k=1)
    with pytest.raises(ValueError, match="2-D"):
        smote(np.arange(5.0), k=1)


def test_import_is_light():
    code = (
        "import sys, smotekit\n"
        "heavy = {'sklearn', 'imblearn', 'scipy', 'dask', 'faiss', 'matplotlib', 'polars',"
        " 'pandas', 'torch', 'pyarrow'}\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

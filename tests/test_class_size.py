"""One class-size check: every sampler, the engine and Dask raise ClassTooSmallError.

It is a ``ValueError`` (imbalanced-learn's type) whose message names the Python parameter; its
attributes say which class, how many rows it has and needs, and which parameter asked, so the
command line can say the same with its own option names.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    PolynomFitSMOTE,
    ProWSyn,
)
from smotekit.engine import run_in_memory
from smotekit.exceptions import ClassTooSmallError
from smotekit.neighbors import ExactNeighbors
from smotekit.over_sampling._rules import rule_for

RNG = np.random.RandomState(0)
# 30 rows of class 0 and 3 rows of class 1 (a lone row of class 2 where asked)
X = np.r_[RNG.normal(0, 1, (30, 3)), RNG.normal(1, 1, (3, 3))]
Y = np.r_[np.zeros(30, int), np.ones(3, int)]
X_CAT = np.c_[RNG.randint(0, 3, (33, 2)), X[:, :1]]


@pytest.mark.parametrize(
    ("sampler", "data", "label", "needed", "param"),
    [
        (SMOTE(), X, 1, 6, "k_neighbors"),
        (SMOTE(k_neighbors=ExactNeighbors(n_neighbors=5)), X, 1, 5, "k_neighbors"),
        (BorderlineSMOTE(m_neighbors=2), X, 1, 6, "k_neighbors"),
        (BorderlineSMOTE(m_neighbors=40), X, None, 41, "m_neighbors"),
        (ADASYN(n_neighbors=40), X, None, 41, "n_neighbors"),
        (SVMSMOTE(m_neighbors=40), X, None, 41, "m_neighbors"),
        (SMOTENC(categorical_features=[0, 1]), X_CAT, 1, 6, "k_neighbors"),
        (SMOTEN(), X_CAT[:, :2].astype(int), 1, 6, "k_neighbors"),
    ],
)
def test_every_sampler_raises_the_one_error(sampler, data, label, needed, param):
    with pytest.raises(ClassTooSmallError) as caught:
        sampler.fit_resample(data, Y)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.label, error.needed, error.param) == (label, needed, param)
    assert error.n_rows == (3 if label is not None else len(Y))
    assert param in str(error)


@pytest.mark.parametrize("sampler", [ProWSyn(), PolynomFitSMOTE()])
def test_methods_that_need_two_rows_say_why(sampler):
    y = np.r_[Y[:-2], 2, 2]  # class 1 keeps 1 row
    with pytest.raises(ClassTooSmallError, match=r"Class 1 has 1 sample: .* at least 2") as caught:
        sampler.fit_resample(X, y)
    assert (caught.value.label, caught.value.n_rows, caught.value.needed) == (1, 1, 2)
    assert caught.value.param is None


def test_the_engine_raises_it_and_it_survives_pickling():
    sampler = SMOTE(k_neighbors=4)
    with pytest.raises(ClassTooSmallError) as caught:
        run_in_memory(rule_for(sampler), X, Y, {1: 27}, 0)
    copy = pickle.loads(pickle.dumps(caught.value))  # as a Dask worker sends it back
    assert str(copy) == str(caught.value)
    assert (copy.label, copy.n_rows, copy.needed, copy.param) == (1, 3, 5, "k_neighbors")

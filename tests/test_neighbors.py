"""The neighbour layer: exact search against scikit-learn, self-exclusion, the approximate index."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE as ImbSMOTE
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.neighbors import NearestNeighbors

import smotekit
from smotekit import SMOTE
from smotekit.neighbors import (
    ApproximateNeighbors,
    ExactNeighbors,
    KNeighborsLike,
    _choice,
    choose_method,
    drop_self,
    predicted_seconds,
    self_entries,
    within_class_neighbors,
)

K = 6


def sklearn_brute(X, queries=None, k=K):
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X)
    return nn.kneighbors(queries)


def untied(dist, k, tol=1e-6):
    """Entries of the first ``k`` columns whose distance differs from both row neighbours'.

    ``dist`` has ``k + 1`` columns so that a tie of the k-th with the first row left out counts.
    Their index is determined; tied ones may come in any order. The tolerance absorbs
    scikit-learn's rounding of zero distances (about 1e-8 via ||x||^2 - 2 x.y + ||y||^2).
    """
    d = np.pad(dist, ((0, 0), (1, 0)), constant_values=-np.inf)
    left = np.abs(d[:, 1 : k + 1] - d[:, :k]) > tol
    right = np.abs(d[:, 2 : k + 2] - d[:, 1 : k + 1]) > tol
    return left & right


# -- exact search ---------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["kd_tree", "brute", "auto"])
@pytest.mark.parametrize("d", [2, 7, 24])
def test_exact_equals_sklearn_brute_on_random_data(algorithm, d):
    rng = np.random.RandomState(d)
    X = rng.normal(size=(1500, d))
    Q = rng.normal(size=(300, d))
    dist, ind = ExactNeighbors(n_neighbors=K, algorithm=algorithm).fit(X).kneighbors(Q)
    ref_dist, ref_ind = sklearn_brute(X, Q)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(ind, ref_ind)
    assert np.all(np.diff(dist, axis=1) >= 0)


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_exact_self_query_equals_sklearn(algorithm):
    X = np.random.RandomState(1).uniform(size=(800, 5))
    dist, ind = ExactNeighbors(n_neighbors=K, algorithm=algorithm).fit(X).kneighbors()
    ref_dist, ref_ind = NearestNeighbors(n_neighbors=K).fit(X).kneighbors()
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(ind, ref_ind)


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_exact_with_duplicate_rows(algorithm):
    rng = np.random.RandomState(2)
    base = rng.normal(size=(200, 4))
    X = base[rng.randint(0, 200, size=700)]  # every row repeated ~3.5 times
    Q = X[:150]
    dist, ind = ExactNeighbors(n_neighbors=K, algorithm=algorithm).fit(X).kneighbors(Q)
    ref_dist, ref_ind = sklearn_brute(X, Q, K + 1)
    np.testing.assert_allclose(dist, ref_dist[:, :K], rtol=1e-9, atol=1e-7)
    # Returned rows really are at the distances reported (ties may be ordered differently).
    np.testing.assert_allclose(np.linalg.norm(X[ind] - Q[:, None], axis=2), dist, atol=1e-12)
    mask = untied(ref_dist, K)
    assert mask.any() and not mask.all()
    np.testing.assert_array_equal(ind[mask], ref_ind[:, :K][mask])


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_exact_self_exclusion_is_by_index_with_duplicates(algorithm):
    X = np.repeat(np.arange(30.0).reshape(-1, 1), 4, axis=0)  # 4 copies of every value
    ind = (
        ExactNeighbors(n_neighbors=3, algorithm=algorithm).fit(X).kneighbors(return_distance=False)
    )
    rows = np.arange(X.shape[0])[:, None]
    assert not (ind == rows).any()
    # The three nearest other rows are the three copies (distance 0).
    np.testing.assert_array_equal(X[ind, 0], np.repeat(X, 3, axis=1))


def test_exact_kneighbors_graph_matches_sklearn():
    X = np.random.RandomState(3).normal(size=(300, 3))
    for mode in ("connectivity", "distance"):
        ours = ExactNeighbors(n_neighbors=4).fit(X).kneighbors_graph(mode=mode)
        ref = NearestNeighbors(n_neighbors=4).fit(X).kneighbors_graph(mode=mode)
        np.testing.assert_allclose(ours.toarray(), ref.toarray(), rtol=1e-10)


def test_exact_float32_input():
    X = np.random.RandomState(4).normal(size=(500, 30)).astype(np.float32)
    ind = ExactNeighbors(n_neighbors=K).fit(X).kneighbors(X[:50], return_distance=False)
    np.testing.assert_array_equal(ind, sklearn_brute(X.astype(np.float64), X[:50])[1])


def test_exact_errors_name_the_problem():
    X = np.zeros((5, 2))
    with pytest.raises(ValueError, match="algorithm='ball'"):
        ExactNeighbors(algorithm="ball").fit(X)
    with pytest.raises(ValueError, match="at most 5"):
        ExactNeighbors(n_neighbors=6).fit(X).kneighbors(X)


def test_choose_method_crossover():
    assert choose_method(100_000, 2) == "kd_tree"
    assert choose_method(100_000, 100) == "brute"
    assert choose_method(10, 3, sparse_input=True) == "sklearn"
    # Few features: the tree at any size; tiny data decides as at the smallest measured size.
    assert choose_method(10_000_000, 4) == "kd_tree"
    assert choose_method(50, 2) == choose_method(10_000, 2) == "kd_tree"


@pytest.mark.parametrize("d", sorted(_choice.KD_TREE_SECONDS))
def test_cost_model_reproduces_its_measurements(d):
    for rows, seconds in zip(_choice.CALIBRATION_ROWS, _choice.KD_TREE_SECONDS[d], strict=True):
        assert predicted_seconds("kd_tree", rows, d) == pytest.approx(seconds, rel=1e-9)
    # Growth with the rows is monotone and, between measured sizes, interpolated.
    t = [predicted_seconds("kd_tree", n, d) for n in (5_000, 20_000, 70_000, 500_000)]
    assert t == sorted(t)


def test_cost_model_picks_the_measured_winner():
    # Every measured point where one method was more than 1.5x faster is decided that way.
    method = "faiss" if _choice.has_faiss() else "blas"
    brute = dict(zip(_choice.CALIBRATION_ROWS, _choice.BRUTE_SECONDS[method], strict=True))
    for d, kd_seconds in _choice.KD_TREE_SECONDS.items():
        for rows, kd in zip(_choice.CALIBRATION_ROWS, kd_seconds, strict=True):
            if kd * 1.5 < brute[rows]:
                assert choose_method(rows, d) == "kd_tree", (rows, d)
            elif brute[rows] * 1.5 < kd:
                assert choose_method(rows, d) == "brute", (rows, d)


# -- self exclusion -------------------------------------------------------------------------
def test_drop_self_when_self_is_not_first():
    # Rows 0 and 1 are duplicates: row 1's list starts with row 0.
    ind = np.array([[0, 1, 2], [0, 1, 2], [2, 1, 0], [3, 2, 1]])
    np.testing.assert_array_equal(drop_self(ind, 2), [[1, 2], [0, 2], [1, 0], [2, 1]])


def test_self_entries_drop_farthest_when_self_missing():
    ind = np.array([[1, 2, 3], [0, 2, 1]])  # row 0 absent from its own list
    np.testing.assert_array_equal(self_entries(ind), [[False, False, True], [False, False, True]])


def test_within_class_neighbors_checks_estimator_size():
    X = np.random.RandomState(5).normal(size=(20, 2))
    graph = within_class_neighbors(ExactNeighbors(n_neighbors=4), X, 3)
    assert graph.shape == (20, 3)
    assert not (graph == np.arange(20)[:, None]).any()
    with pytest.raises(ValueError, match="set its n_neighbors to 4"):
        within_class_neighbors(ExactNeighbors(n_neighbors=3), X, 3)


# -- approximate search ---------------------------------------------------------------------
def true_recall(X, ind, k):
    """Share of returned other rows at most as far as the true k-th other row (ties count)."""
    ref_dist, _ = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors()
    got = np.linalg.norm(X[ind] - X[:, None], axis=2)
    return float((got <= ref_dist[:, -1:] * (1 + 1e-6) + 1e-9).mean())


@pytest.mark.parametrize(
    "kind",
    ["uniform", "clustered"],
)
def test_approximate_recall_at_least_095(kind):
    rng = np.random.RandomState(6)
    if kind == "uniform":
        X = rng.uniform(size=(4000, 16))
    else:
        X, _ = make_blobs(n_samples=4000, n_features=16, centers=20, random_state=6)
    nn = ApproximateNeighbors(n_neighbors=K, random_state=0).fit(X)
    ind = nn.kneighbors(return_distance=False)
    recall = true_recall(X, ind, K)
    assert recall >= 0.95
    assert nn.recall_ >= 0.95
    assert abs(nn.recall_ - recall) < 0.05


def test_approximate_self_query_excludes_self_and_matches_shape():
    X = np.random.RandomState(7).normal(size=(600, 5))
    dist, ind = ApproximateNeighbors(n_neighbors=4, random_state=0).fit(X).kneighbors()
    assert ind.shape == dist.shape == (600, 4)
    assert not (ind == np.arange(600)[:, None]).any()
    assert np.all(np.diff(dist, axis=1) >= -1e-6)
    graph = ApproximateNeighbors(n_neighbors=4).fit(X).kneighbors_graph(X[:10], mode="distance")
    assert graph.shape == (10, 600) and graph.nnz == 40


def test_approximate_warns_when_recall_is_low():
    X = np.random.RandomState(8).uniform(size=(3000, 48))
    nn = ApproximateNeighbors(
        n_neighbors=10, M=2, ef_construction=2, ef_search=1, target_recall=None, random_state=0
    )
    with pytest.warns(UserWarning, match=r"recall_=0\.\d+ is below 0.9.*raise ef_search"):
        nn.fit(X)
    assert nn.recall_ < 0.9 and nn.ef_search_ == 1


def test_approximate_raises_ef_search_until_target_recall():
    X = np.random.RandomState(8).uniform(size=(3000, 16))
    weak = {"n_neighbors": 6, "M": 8, "ef_construction": 16, "ef_search": 1, "random_state": 0}
    low = ApproximateNeighbors(target_recall=None, **weak)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert low.fit(X).recall_ < 0.9
    tuned = ApproximateNeighbors(target_recall=0.98, **weak)
    tuned.fit(X)
    assert tuned.ef_search_ > 1 and tuned.recall_ >= 0.98
    assert true_recall(X, tuned.kneighbors(return_distance=False), 6) >= 0.96


def test_approximate_warns_when_target_recall_is_out_of_reach():
    X = np.random.RandomState(8).uniform(size=(2000, 48))
    nn = ApproximateNeighbors(n_neighbors=10, M=2, ef_construction=2, target_recall=1.0)
    with pytest.warns(UserWarning, match=r"is below 1\.0 .*ef_search=1024"):
        nn.fit(X)


def test_approximate_no_warning_when_recall_is_high():
    X = np.random.RandomState(9).normal(size=(1000, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn = ApproximateNeighbors(random_state=0).fit(X)
    assert nn.recall_ >= 0.9


def test_approximate_plugs_into_smotekit_and_imblearn():
    X, y = make_blobs(n_samples=[3000, 400], n_features=6, random_state=10)
    nn = ApproximateNeighbors(n_neighbors=6, ef_search=128, random_state=0)
    exact = SMOTE(random_state=0).fit_resample(X, y)
    ours = SMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y)
    theirs = ImbSMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(ours[1]), [3000, 3000])
    np.testing.assert_array_equal(np.bincount(theirs[1]), [3000, 3000])
    # With (near) perfect recall the approximate graph is the exact one: the same rows.
    np.testing.assert_allclose(ours[0], exact[0], rtol=1e-12)
    np.testing.assert_allclose(theirs[0], exact[0], rtol=1e-12)


def test_approximate_estimator_contract():
    nn = ApproximateNeighbors(n_neighbors=3, M=16, random_state=1)
    assert isinstance(nn, KNeighborsLike)
    assert clone(nn).get_params() == nn.get_params()
    with pytest.raises(NotFittedError, match="call fit"):
        nn.kneighbors(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="M=0"):
        ApproximateNeighbors(M=0).fit(np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"target_recall=1\.5; it must be a float in \(0, 1\]"):
        ApproximateNeighbors(target_recall=1.5).fit(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="NaN"):
        ApproximateNeighbors().fit(np.array([[0.0, np.nan]] * 8))
    fitted = ApproximateNeighbors(n_neighbors=3).fit(np.random.RandomState(0).normal(size=(50, 2)))
    with pytest.raises(ValueError, match="2 features"):
        fitted.kneighbors(np.zeros((1, 3)))


def test_approximate_names_the_extra_when_faiss_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "faiss", None)
    with pytest.raises(ImportError, match=r"smotekit\[approx\]"):
        ApproximateNeighbors(method="hnsw").fit(np.zeros((10, 2)))


def test_approximate_is_a_lazy_public_name():
    assert smotekit.ApproximateNeighbors is ApproximateNeighbors

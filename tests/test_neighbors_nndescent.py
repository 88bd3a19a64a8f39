"""ApproximateNeighbors' nearest-neighbour-descent method (pynndescent) and the automatic choice."""

from __future__ import annotations

import pickle
import sys
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from smotekit import SMOTE
from smotekit.neighbors import ApproximateNeighbors, ExactNeighbors, _approximate

K = 6


def true_recall(X, ind, k):
    """Fraction of the returned neighbours within the exact k-th nearest other row's distance."""
    exact_dist, _ = ExactNeighbors(k).fit(X).kneighbors()
    dist = np.linalg.norm(X[ind] - X[:, np.newaxis, :], axis=2)
    return float((dist <= exact_dist[:, -1:] * (1 + 1e-6) + 1e-9).mean())


# -- the choice and the validation: no pynndescent needed ---------------------------------------
@pytest.mark.parametrize(
    ("installed", "rows", "faiss_missing", "expected"),
    [
        (True, 199_999, False, "hnsw"),
        (True, 200_000, False, "nndescent"),
        (False, 5_000_000, False, "hnsw"),
        (True, 100, True, "nndescent"),
        (False, 100, True, "hnsw"),
    ],
)
def test_auto_takes_nndescent_from_its_row_count_when_installed(
    monkeypatch, installed, rows, faiss_missing, expected
):
    monkeypatch.setattr(_approximate, "nndescent_available", lambda: installed)
    monkeypatch.setattr(_approximate, "has_faiss", lambda: not faiss_missing)
    assert _approximate.NNDESCENT_MIN_ROWS == 200_000
    assert ApproximateNeighbors()._pick_method(rows) == expected
    assert ApproximateNeighbors(method="hnsw")._pick_method(rows) == "hnsw"


def test_rejects_unknown_method_and_bad_graph_degree():
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match=r"method='annoy'; use one of \['auto', 'hnsw'"):
        ApproximateNeighbors(method="annoy").fit(X)
    with pytest.raises(ValueError, match="graph_degree=0; graph_degree must be an int >= 1"):
        ApproximateNeighbors(graph_degree=0).fit(X)


def test_names_the_extra_when_pynndescent_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynndescent", None)
    with pytest.raises(ImportError, match=r"'pynndescent'.*smotekit\[approx\]"):
        ApproximateNeighbors(method="nndescent").fit(np.zeros((10, 2)))


# -- the method itself ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def blobs():
    pytest.importorskip("pynndescent")
    X, _ = make_blobs(n_samples=3000, n_features=10, centers=15, random_state=3)
    X[7] = X[8]  # a duplicate row: its own index must still be the one removed
    nn = ApproximateNeighbors(n_neighbors=K, method="nndescent", random_state=0).fit(X)
    return X, nn


@pytest.mark.slow
def test_nndescent_self_query_reads_the_graph_at_high_recall(blobs):
    X, nn = blobs
    assert nn.method_ == "nndescent" and nn.graph_degree_ == 24 and nn.ef_search_ is None
    dist, ind = nn.kneighbors()
    assert ind.shape == dist.shape == (3000, K)
    assert not (ind == np.arange(3000)[:, None]).any()
    assert np.all(np.diff(dist, axis=1) >= -1e-6)
    recall = true_recall(X, ind, K)
    assert recall >= 0.95 and nn.recall_ >= 0.95
    assert abs(nn.recall_ - recall) < 0.05


@pytest.mark.slow
def test_nndescent_query_of_the_indexed_rows_lists_each_row_first(blobs):
    X, nn = blobs
    own = nn.kneighbors(X, return_distance=False)
    np.testing.assert_array_equal(own[:, 0], np.arange(3000))
    np.testing.assert_array_equal(own[:, 1:], nn.kneighbors(return_distance=False)[:, : K - 1])


@pytest.mark.slow
def test_nndescent_answers_new_rows_and_survives_pickling(blobs):
    X, nn = blobs
    queries = X[:200] + 1e-3
    exact = ExactNeighbors(K).fit(X).kneighbors(queries, return_distance=False)
    found = nn.kneighbors(queries, return_distance=False)
    assert np.mean([len(set(a) & set(b)) / K for a, b in zip(found, exact, strict=True)]) >= 0.95
    loaded = pickle.loads(pickle.dumps(nn))
    np.testing.assert_array_equal(loaded.kneighbors(return_distance=False), nn.kneighbors()[1])
    np.testing.assert_array_equal(loaded.kneighbors(queries, return_distance=False), found)


@pytest.mark.slow
def test_nndescent_raises_its_degree_until_target_recall():
    pytest.importorskip("pynndescent")
    X = np.random.RandomState(8).uniform(size=(3000, 32))
    weak = {"n_neighbors": K, "method": "nndescent", "graph_degree": 7, "random_state": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        low = ApproximateNeighbors(target_recall=None, **weak).fit(X)
    tuned = ApproximateNeighbors(target_recall=0.99, **weak).fit(X)
    assert low.graph_degree_ == 7 and low.recall_ < 0.99
    assert tuned.graph_degree_ > 7 and tuned.recall_ >= 0.99


@pytest.mark.slow
def test_nndescent_plugs_into_smote():
    pytest.importorskip("pynndescent")
    X, y = make_blobs(n_samples=[3000, 400], n_features=6, random_state=10)
    # A graph as wide as a fifth of the class: nearest-neighbour descent then finds the exact
    # neighbours, so the rows are the exact search's.
    nn = ApproximateNeighbors(n_neighbors=K, method="nndescent", graph_degree=80, random_state=0)
    ours = SMOTE(k_neighbors=nn, random_state=0).fit_resample(X, y)
    exact = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(ours[1]), [3000, 3000])
    np.testing.assert_allclose(ours[0], exact[0], rtol=1e-12)

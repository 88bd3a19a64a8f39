"""Approximate nearest neighbours (faiss's HNSW graph, or pynndescent) for millions of rows.

The index is shaped like :class:`sklearn.neighbors.NearestNeighbors`, so it plugs into
``k_neighbors=`` of smotekit's samplers and of imbalanced-learn's. It measures its own recall at
fit time on a sample of queries against an exact search, and says so when that recall is low.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from smotekit._optional import import_optional
from smotekit._threads import worker_count
from smotekit.exceptions import LowRecallWarning
from smotekit.neighbors._base import neighbors_graph_to_csr, self_entries
from smotekit.neighbors._choice import has_faiss
from smotekit.neighbors._exact import ExactNeighbors
from smotekit.neighbors._flat import faiss_threads
from smotekit.neighbors._nndescent import NNDESCENT_MIN_ROWS, NNDescentGraph, nndescent_available

__all__ = ["ApproximateNeighbors"]

# Below this estimated recall the index warns: SMOTE's output starts to differ in kind, not
# only in detail, once more than one neighbour in ten is not among the true nearest.
RECALL_WARNING_THRESHOLD = 0.9
# Cap of the ef_search tuning for target_recall: beyond it a search costs about as much as a
# scan of a few thousand rows, and a graph that still misses needs a larger M instead.
MAX_EF_SEARCH = 1024
# Cap of the graph-degree tuning of the nearest-neighbour-descent method for target_recall.
MAX_GRAPH_DEGREE = 128
_METHODS = ("auto", "hnsw", "nndescent")
# Relative slack when counting a returned neighbour as a true one by its distance: ties (duplicate
# rows) make index sets differ where distances do not, and faiss works in float32.
_RECALL_RTOL = 1e-5


def _as_float32(X: Any) -> NDArray[np.float32]:
    return np.ascontiguousarray(np.asarray(X), dtype=np.float32)


def _check_positive_int(name: str, value: Any) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"ApproximateNeighbors got {name}={value!r}; {name} must be an int >= 1.")
    return int(value)


def _true_neighbor_hits(
    approx_dist2: NDArray[np.floating], exact_kth_dist2: NDArray[np.floating]
) -> NDArray[np.bool_]:
    """Which returned neighbours are within the exact k-th nearest distance (ties count)."""
    kth = exact_kth_dist2.astype(np.float64)
    return approx_dist2 <= kth * (1.0 + _RECALL_RTOL) + _RECALL_RTOL


class ApproximateNeighbors(BaseEstimator):
    """Approximate k-nearest neighbours: faiss's HNSW graph or pynndescent's neighbour graph.

    Shaped like :class:`sklearn.neighbors.NearestNeighbors` (``fit``, ``kneighbors``,
    ``kneighbors_graph``): pass it as ``k_neighbors=`` to :class:`smotekit.SMOTE`, to the other
    smotekit samplers or to imbalanced-learn's, with ``n_neighbors = k + 1`` (the sample itself is
    among the neighbours found and is removed). Needs ``faiss-cpu`` for HNSW and ``pynndescent``
    for nearest-neighbour descent: ``pip install 'smotekit[approx]'`` brings both.

    Parameters
    ----------
    n_neighbors : int, default=6
        Neighbours returned per query by default.
    method : {"auto", "hnsw", "nndescent"}, default="auto"
        ``"hnsw"``: faiss's ``IndexHNSWFlat``, searched by every query. ``"nndescent"``:
        pynndescent builds the k-nearest-neighbour graph of the indexed rows itself, so querying
        the indexed rows (what the samplers do) reads the graph; much faster from a few hundred
        thousand rows, but numba compiles it once per process (10-20 s). ``"auto"`` takes
        ``"nndescent"`` from 200,000 indexed rows on (or when faiss is missing) if pynndescent
        is installed, ``"hnsw"`` otherwise; ``method_`` says which.
    M : int, default=32
        HNSW: links per node of the graph; more gives higher recall, more memory, slower builds.
    ef_construction : int, default=40
        HNSW: candidate list size while building the graph.
    ef_search : int, default=16
        HNSW: candidate list size while searching, the main recall/speed knob (never below
        ``n_neighbors``): the starting value when ``target_recall`` is set.
    graph_degree : int, default=24
        Nearest-neighbour descent: neighbours per row in the graph (the row itself included,
        never fewer than ``n_neighbors + 1``), its recall knob: the starting value when
        ``target_recall`` is set (24 reached recall 0.97 on 1,000,000 x 20 Gaussian rows, the
        hardest case measured, where 20 gave 0.94).
    target_recall : float or None, default=0.95
        After building, HNSW's ``ef_search`` is doubled (up to 1024), or the descent's graph is
        rebuilt with 1.5 times the degree (up to 128), until the estimated recall reaches this
        value; the values used are ``ef_search_`` and ``graph_degree_``. ``None`` keeps them as
        given. Needs ``recall_sample > 0``.
    recall_sample : int, default=500
        Training rows used as queries to estimate ``recall_`` against an exact search (standard
        error about 0.004 at recall 0.95 with 6 neighbours); 0 skips the estimate (``recall_``
        is then ``nan``).
    random_state : int, RandomState instance or None, default=None
        Picks the rows of the recall sample, and seeds the descent's random projections.
    n_jobs : int or None, default=None
        Threads for faiss and pynndescent. ``None`` follows ``joblib.parallel_config(n_jobs=...)``
        where one is active and uses every available core otherwise, within the CPU affinity mask
        and the threadpoolctl / ``OMP_NUM_THREADS`` limits.

    Attributes
    ----------
    recall_ : float
        Estimated fraction of the true ``n_neighbors`` nearest other rows that a self-query
        (``kneighbors()``, what the samplers use) returns, measured on ``recall_sample`` training
        rows; the row itself does not count, so the figure is not inflated by the trivially found
        self-match. A returned neighbour counts when its distance is within the true k-th
        distance, so duplicate rows do not lower it.
    method_ : str
        The method used, ``"hnsw"`` or ``"nndescent"``.
    ef_search_ : int or None
        HNSW's ``ef_search`` in use after tuning for ``target_recall`` (``None`` for the
        descent).
    graph_degree_ : int or None
        The descent graph's degree after tuning for ``target_recall`` (``None`` for HNSW).
    n_samples_fit_ : int
        Rows indexed.
    n_features_in_ : int
        Features of the indexed rows.

    Warns
    -----
    smotekit.exceptions.LowRecallWarning
        When ``recall_`` is below 0.9, or below ``target_recall`` once ``ef_search`` or the
        graph degree has reached its cap, naming the recall and the settings to raise.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.neighbors import ApproximateNeighbors
    >>> X = np.random.RandomState(0).normal(size=(2000, 8))
    >>> nn = ApproximateNeighbors(n_neighbors=6, random_state=0).fit(X)
    >>> nn.recall_ >= 0.95
    True
    >>> nn.kneighbors(X[:2], return_distance=False)[:, 0]
    array([0, 1])
    >>> nn.method_
    'hnsw'
    """

    n_samples_fit_: int
    n_features_in_: int
    recall_: float
    method_: str
    ef_search_: int | None
    graph_degree_: int | None
    _index: Any
    _graph: NNDescentGraph | None
    _fit_X32: NDArray[np.float32]
    _n_recall_queries: int

    def __init__(
        self,
        n_neighbors: int = 6,
        *,
        method: str = "auto",
        M: int = 32,
        ef_construction: int = 40,
        ef_search: int = 16,
        graph_degree: int = 24,
        target_recall: float | None = 0.95,
        recall_sample: int = 500,
        random_state: Any = None,
        n_jobs: int | None = None,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.method = method
        self.M = M
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.graph_degree = graph_degree
        self.target_recall = target_recall
        self.recall_sample = recall_sample
        self.random_state = random_state
        self.n_jobs = n_jobs

    # -- fitting -------------------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> ApproximateNeighbors:
        """Build the graph on the rows of ``X`` (see ``method``) and estimate ``recall_``."""
        from scipy import sparse

        if self.method not in _METHODS:
            raise ValueError(
                f"ApproximateNeighbors got method={self.method!r}; use one of {list(_METHODS)}."
            )
        if sparse.issparse(X):
            raise TypeError(
                "ApproximateNeighbors needs dense X; got a sparse matrix. Use "
                "smotekit.neighbors.ExactNeighbors for sparse data or densify it first."
            )
        n_neighbors = _check_positive_int("n_neighbors", self.n_neighbors)
        m = _check_positive_int("M", self.M)
        ef_construction = _check_positive_int("ef_construction", self.ef_construction)
        ef_search = _check_positive_int("ef_search", self.ef_search)
        graph_degree = _check_positive_int("graph_degree", self.graph_degree)
        target = self.target_recall
        if target is not None and (
            not isinstance(target, numbers.Real) or isinstance(target, bool) or not 0 < target <= 1
        ):
            raise ValueError(
                f"ApproximateNeighbors got target_recall={target!r}; it must be a float in (0, 1] "
                "or None (keep ef_search and graph_degree as given)."
            )
        if not isinstance(self.recall_sample, numbers.Integral) or self.recall_sample < 0:
            raise ValueError(
                f"ApproximateNeighbors got recall_sample={self.recall_sample!r}; it must be an "
                "int >= 0 (0 skips the recall estimate)."
            )
        data = _as_float32(X)
        if data.ndim != 2 or data.shape[0] == 0:
            raise ValueError(
                f"ApproximateNeighbors needs a non-empty 2-D X; got shape {data.shape}."
            )
        if not np.isfinite(data).all():
            raise ValueError(
                "ApproximateNeighbors got NaN or infinite values in X; impute or drop them first."
            )
        self._fit_X32 = data
        self.n_samples_fit_ = data.shape[0]
        self.n_features_in_ = data.shape[1]
        self.method_ = self._pick_method(data.shape[0])
        self._index = self._graph = None
        self.ef_search_ = self.graph_degree_ = None
        if self.method_ == "hnsw":
            faiss = import_optional("faiss", "approx")
            index = faiss.IndexHNSWFlat(data.shape[1], m)
            index.hnsw.efConstruction = ef_construction
            with faiss_threads(worker_count(self.n_jobs)):
                index.add(data)
            self._index = index
            self.ef_search_ = ef_search
        else:
            self.graph_degree_ = max(graph_degree, n_neighbors + 1)
            self._build_graph()
        k = min(n_neighbors, self.n_samples_fit_ - 1)
        if k < 1 or self.recall_sample == 0:
            self._n_recall_queries = 0
            self.recall_ = float("nan") if k >= 1 else 1.0
            return self
        rows, exact_d2 = self._recall_reference(k)
        self.recall_ = self._recall_at(rows, exact_d2, k)
        while target is not None and self.recall_ < target and self._raise_recall_knob():
            self.recall_ = self._recall_at(rows, exact_d2, k)
        wanted = max(RECALL_WARNING_THRESHOLD, 0.0 if target is None else float(target))
        if self.recall_ < wanted:
            knobs = (
                f"ef_search={self.ef_search_}: raise ef_search or M (now {self.M}) or "
                f"ef_construction (now {self.ef_construction})"
                if self.method_ == "hnsw"
                else f"graph_degree={self.graph_degree_}: raise graph_degree"
            )
            warnings.warn(
                f"ApproximateNeighbors recall_={self.recall_:.3f} is below {wanted} on a sample of "
                f"{self._n_recall_queries} queries with method={self.method_!r}, {knobs}, or use "
                "exact search (an int k_neighbors).",
                LowRecallWarning,
                stacklevel=2,
            )
        return self

    def _pick_method(self, n_rows: int) -> str:
        if self.method != "auto":
            return str(self.method)
        if nndescent_available() and (n_rows >= NNDESCENT_MIN_ROWS or not has_faiss()):
            return "nndescent"
        return "hnsw"

    def _build_graph(self) -> None:
        assert self.graph_degree_ is not None
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        self._graph = NNDescentGraph(
            self._fit_X32, self.graph_degree_, worker_count(self.n_jobs), seed
        )

    def _raise_recall_knob(self) -> bool:
        """Double ``ef_search_``, or raise the graph's degree 1.5x and rebuild; False at the cap."""
        if self.ef_search_ is not None:
            if self.ef_search_ >= MAX_EF_SEARCH:
                return False
            self.ef_search_ = min(2 * self.ef_search_, MAX_EF_SEARCH)
            return True
        assert self.graph_degree_ is not None
        cap = min(MAX_GRAPH_DEGREE, self.n_samples_fit_)
        if self.graph_degree_ >= cap:
            return False
        # 1.5x, not 2x: every step rebuilds the graph, and its cost grows with the degree.
        self.graph_degree_ = min(-(-3 * self.graph_degree_ // 2), cap)
        self._build_graph()
        return True

    def _recall_reference(self, k: int) -> tuple[NDArray[np.intp], NDArray]:
        """Sample rows and their exact squared distance to the k-th nearest other row."""
        n_queries = min(int(self.recall_sample), self.n_samples_fit_)
        self._n_recall_queries = n_queries
        rng = check_random_state(self.random_state)
        rows = np.sort(rng.choice(self.n_samples_fit_, size=n_queries, replace=False))
        # With the row itself at distance 0 among the k + 1 nearest, the last column is the k-th
        # nearest other row (duplicates of the row tie at 0 either way).
        exact_d2, _ = self._exact_search(self._fit_X32[rows], k + 1)
        return rows, exact_d2[:, -1:]

    def _recall_at(self, rows: NDArray[np.intp], exact_kth_d2: NDArray, k: int) -> float:
        """Recall of a self-query of ``rows`` at the current settings, self excluded."""
        approx_d2, ind = self._search(self._fit_X32[rows], k + 1, own_rows=rows)
        keep = ~self_entries(ind, rows)
        others_d2 = approx_d2[keep].reshape(len(rows), k)
        return float(_true_neighbor_hits(others_d2, exact_kth_d2).mean())

    # -- queries -------------------------------------------------------------------------------
    def _exact_search(self, queries: NDArray[np.float32], k: int) -> tuple[NDArray, NDArray]:
        """Exact squared distances and indices of the ``k`` nearest indexed rows (a scan)."""
        exact = ExactNeighbors(k, algorithm="brute", n_jobs=self.n_jobs).fit(self._fit_X32)
        dist, ind = exact.kneighbors(queries)
        return dist**2, ind

    def _search(
        self, queries: NDArray[np.float32], k: int, own_rows: NDArray[np.intp] | None = None
    ) -> tuple[NDArray, NDArray[np.intp]]:
        """Squared distances and indices of the ``k`` nearest indexed rows of ``queries``.

        ``own_rows`` says that the queries are these indexed rows: the descent's graph then
        answers them without a search.
        """
        workers = worker_count(self.n_jobs)
        if self._graph is None:
            self._index.hnsw.efSearch = max(self.ef_search_ or 0, k)
            with faiss_threads(workers):
                dist2, ind = self._index.search(queries, k)
            ind = ind.astype(np.intp, copy=False)
        elif own_rows is not None and k <= self._graph.degree:
            dist, ind = self._graph.self_query(k)
            dist2, ind = dist[own_rows] ** 2, ind[own_rows]
        else:
            dist, ind = self._graph.search(queries, k, workers)
            dist2 = dist**2
        missing = ind < 0
        if missing.any():
            # The graph gave fewer than k results for some queries (tiny or degenerate data):
            # answer those rows by an exact scan rather than return -1.
            rows = np.flatnonzero(missing.any(axis=1))
            dist2[rows], ind[rows] = self._exact_search(queries[rows], k)
        return dist2, ind

    # faiss's index is a SWIG object: pickles carry it serialized to bytes (pynndescent's index
    # pickles itself).
    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        if state.get("_index") is not None:
            import faiss

            state["_index"] = faiss.serialize_index(state["_index"])
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("_index"), np.ndarray):
            import faiss

            state["_index"] = faiss.deserialize_index(state["_index"])
        super().__setstate__(state)

    def _check_fitted(self) -> None:
        if not hasattr(self, "_index"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError(
                "This ApproximateNeighbors instance is not fitted yet: call fit(X) first."
            )

    def kneighbors(
        self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True
    ) -> Any:
        """Approximate nearest indexed rows of each query, in ascending distance.

        With ``X=None`` the indexed rows are queried and each is excluded from its own list by
        index, as in scikit-learn. Distances are Euclidean (float64 array, computed in float32).
        """
        self._check_fitted()
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        k = _check_positive_int("n_neighbors", k)
        exclude_self = X is None
        k_search = k + 1 if exclude_self else k
        if k_search > self.n_samples_fit_:
            raise ValueError(
                f"n_neighbors={k_search} is more than the {self.n_samples_fit_} indexed rows; "
                f"ask for at most {self.n_samples_fit_}."
            )
        queries = self._fit_X32 if exclude_self else _as_float32(X)
        if queries.ndim != 2 or queries.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has shape {queries.shape} but the index was fitted on "
                f"{self.n_features_in_} features."
            )
        own_rows = None
        if self._graph is not None and (
            exclude_self
            or (queries.shape == self._fit_X32.shape and np.array_equal(queries, self._fit_X32))
        ):
            own_rows = np.arange(self.n_samples_fit_)
        dist2, ind = self._search(queries, k_search, own_rows=own_rows)
        dist = np.sqrt(np.maximum(dist2.astype(np.float64), 0.0))
        if exclude_self:
            keep = ~self_entries(ind)
            dist = dist[keep].reshape(-1, k)
            ind = ind[keep].reshape(-1, k)
        return (dist, ind) if return_distance else ind

    def kneighbors_graph(
        self, X: Any = None, n_neighbors: int | None = None, mode: str = "connectivity"
    ) -> Any:
        """Neighbour graph as a CSR matrix, as in ``NearestNeighbors.kneighbors_graph``."""
        dist, ind = self.kneighbors(X, n_neighbors, return_distance=True)
        return neighbors_graph_to_csr(ind, dist, self.n_samples_fit_, mode)

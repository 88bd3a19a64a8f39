"""Approximate nearest neighbours (HNSW graph from faiss) for millions of minority rows.

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
from smotekit.neighbors._flat import faiss_threads

__all__ = ["ApproximateNeighbors"]

# Below this estimated recall the index warns: SMOTE's output starts to differ in kind, not
# only in detail, once more than one neighbour in ten is not among the true nearest.
RECALL_WARNING_THRESHOLD = 0.9
# Cap of the ef_search tuning for target_recall: beyond it a search costs about as much as a
# scan of a few thousand rows, and a graph that still misses needs a larger M instead.
MAX_EF_SEARCH = 1024
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
    """Approximate k-nearest neighbours on an HNSW graph (faiss ``IndexHNSWFlat``).

    Shaped like :class:`sklearn.neighbors.NearestNeighbors` (``fit``, ``kneighbors``,
    ``kneighbors_graph``): pass it as ``k_neighbors=`` to :class:`smotekit.SMOTE`, to the other
    smotekit samplers or to imbalanced-learn's, with ``n_neighbors = k + 1`` (the sample itself is
    among the neighbours found and is removed). Needs ``faiss-cpu``:
    ``pip install 'smotekit[approx]'``.

    Parameters
    ----------
    n_neighbors : int, default=6
        Neighbours returned per query by default.
    M : int, default=32
        Links per node of the HNSW graph; more gives higher recall, more memory, slower builds.
    ef_construction : int, default=40
        Candidate list size while building the graph.
    ef_search : int, default=16
        Candidate list size while searching, the main recall/speed knob (never below
        ``n_neighbors``): the starting value when ``target_recall`` is set.
    target_recall : float or None, default=0.95
        After building, ``ef_search`` is doubled (up to 1024) until the estimated recall reaches
        this value; the value used is ``ef_search_``. ``None`` keeps ``ef_search`` as given.
        Needs ``recall_sample > 0``.
    recall_sample : int, default=500
        Training rows used as queries to estimate ``recall_`` against an exact search (standard
        error about 0.004 at recall 0.95 with 6 neighbours); 0 skips the estimate (``recall_``
        is then ``nan``).
    random_state : int, RandomState instance or None, default=None
        Picks the rows of the recall sample.
    n_jobs : int or None, default=None
        Threads for faiss. ``None`` follows ``joblib.parallel_config(n_jobs=...)`` where one is
        active and uses every available core otherwise, within the CPU affinity mask and the
        threadpoolctl / ``OMP_NUM_THREADS`` limits.

    Attributes
    ----------
    recall_ : float
        Estimated fraction of the true ``n_neighbors`` nearest other rows that a self-query
        (``kneighbors()``, what the samplers use) returns, measured on ``recall_sample`` training
        rows; the row itself does not count, so the figure is not inflated by the trivially found
        self-match. A returned neighbour counts when its distance is within the true k-th
        distance, so duplicate rows do not lower it.
    ef_search_ : int
        ``ef_search`` in use after tuning for ``target_recall``.
    n_samples_fit_ : int
        Rows indexed.
    n_features_in_ : int
        Features of the indexed rows.

    Warns
    -----
    smotekit.exceptions.LowRecallWarning
        When ``recall_`` is below 0.9, or below ``target_recall`` once ``ef_search`` has reached
        its cap, naming the recall and the settings to raise.

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
    """

    n_samples_fit_: int
    n_features_in_: int
    recall_: float
    ef_search_: int
    _index: Any
    _fit_X32: NDArray[np.float32]
    _n_recall_queries: int

    def __init__(
        self,
        n_neighbors: int = 6,
        *,
        M: int = 32,
        ef_construction: int = 40,
        ef_search: int = 16,
        target_recall: float | None = 0.95,
        recall_sample: int = 500,
        random_state: Any = None,
        n_jobs: int | None = None,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.M = M
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.target_recall = target_recall
        self.recall_sample = recall_sample
        self.random_state = random_state
        self.n_jobs = n_jobs

    # -- fitting -------------------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> ApproximateNeighbors:
        """Build the HNSW graph on the rows of ``X`` and estimate ``recall_``."""
        from scipy import sparse

        faiss = import_optional("faiss", "approx")
        if sparse.issparse(X):
            raise TypeError(
                "ApproximateNeighbors needs dense X; got a sparse matrix. Use "
                "smotekit.neighbors.ExactNeighbors for sparse data or densify it first."
            )
        n_neighbors = _check_positive_int("n_neighbors", self.n_neighbors)
        m = _check_positive_int("M", self.M)
        ef_construction = _check_positive_int("ef_construction", self.ef_construction)
        ef_search = _check_positive_int("ef_search", self.ef_search)
        target = self.target_recall
        if target is not None and (
            not isinstance(target, numbers.Real) or isinstance(target, bool) or not 0 < target <= 1
        ):
            raise ValueError(
                f"ApproximateNeighbors got target_recall={target!r}; it must be a float in (0, 1] "
                "or None (keep ef_search as given)."
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
        index = faiss.IndexHNSWFlat(data.shape[1], m)
        index.hnsw.efConstruction = ef_construction
        with faiss_threads(worker_count(self.n_jobs)):
            index.add(data)
        self._index = index
        self._fit_X32 = data
        self.n_samples_fit_ = data.shape[0]
        self.n_features_in_ = data.shape[1]
        self.ef_search_ = ef_search
        k = min(n_neighbors, self.n_samples_fit_ - 1)
        if k < 1 or self.recall_sample == 0:
            self._n_recall_queries = 0
            self.recall_ = float("nan") if k >= 1 else 1.0
            return self
        rows, exact_d2 = self._recall_reference(faiss, k)
        self.recall_ = self._recall_at(rows, exact_d2, k)
        while target is not None and self.recall_ < target and self.ef_search_ < MAX_EF_SEARCH:
            self.ef_search_ = min(2 * self.ef_search_, MAX_EF_SEARCH)
            self.recall_ = self._recall_at(rows, exact_d2, k)
        wanted = max(RECALL_WARNING_THRESHOLD, 0.0 if target is None else float(target))
        if self.recall_ < wanted:
            warnings.warn(
                f"ApproximateNeighbors recall_={self.recall_:.3f} is below {wanted} on a sample of "
                f"{self._n_recall_queries} queries with ef_search={self.ef_search_}: "
                f"raise ef_search or M (now {self.M}) or ef_construction (now "
                f"{self.ef_construction}), or use exact search (an int k_neighbors).",
                LowRecallWarning,
                stacklevel=2,
            )
        return self

    def _recall_reference(self, faiss: Any, k: int) -> tuple[NDArray[np.intp], NDArray]:
        """Sample rows and their exact squared distance to the k-th nearest other row."""
        n_queries = min(int(self.recall_sample), self.n_samples_fit_)
        self._n_recall_queries = n_queries
        rng = check_random_state(self.random_state)
        rows = np.sort(rng.choice(self.n_samples_fit_, size=n_queries, replace=False))
        # faiss's flat index is an exact scan (BLAS plus a heap): the reference for the sample.
        # With the row itself at distance 0 among the k + 1 nearest, the last column is the k-th
        # nearest other row (duplicates of the row tie at 0 either way).
        flat = faiss.IndexFlatL2(self.n_features_in_)
        flat.add(self._fit_X32)
        with faiss_threads(worker_count(self.n_jobs)):
            exact_d2, _ = flat.search(self._fit_X32[rows], k + 1)
        return rows, exact_d2[:, -1:]

    def _recall_at(self, rows: NDArray[np.intp], exact_kth_d2: NDArray, k: int) -> float:
        """Recall of a self-query of ``rows`` at the current ``ef_search_``, self excluded."""
        approx_d2, ind = self._search(self._fit_X32[rows], k + 1)
        keep = ~self_entries(ind, rows)
        others_d2 = approx_d2[keep].reshape(len(rows), k)
        return float(_true_neighbor_hits(others_d2, exact_kth_d2).mean())

    # -- queries -------------------------------------------------------------------------------
    def _search(self, queries: NDArray[np.float32], k: int) -> tuple[NDArray, NDArray]:
        self._index.hnsw.efSearch = max(self.ef_search_, k)
        with faiss_threads(worker_count(self.n_jobs)):
            dist2, ind = self._index.search(queries, k)
        missing = ind < 0
        if missing.any():
            # The graph gave fewer than k results for some queries (tiny or degenerate data):
            # answer those rows by an exact scan rather than return -1.
            import faiss

            rows = np.flatnonzero(missing.any(axis=1))
            flat = faiss.IndexFlatL2(self.n_features_in_)
            flat.add(self._fit_X32)
            dist2[rows], ind[rows] = flat.search(queries[rows], k)
        return dist2, ind.astype(np.intp, copy=False)

    # faiss's index is a SWIG object: pickles carry it serialized to bytes.
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
        dist2, ind = self._search(queries, k_search)
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

"""Exact k-nearest-neighbour search that picks its method by the data's shape.

Two methods, both exact, both returning neighbours in ascending Euclidean distance:

* ``"kd_tree"``: SciPy's ``cKDTree`` queried on every core. Fastest for few features and many
  rows.
* ``"brute"``: a float32 flat scan (faiss, when the "approx" extra is installed, proved exact per
  row) or blocked float64 matrix products (BLAS, every core) to shortlist candidates, then an
  exact float64 re-rank of the shortlist by direct differences. Fastest for many features.

:func:`choose_method` compares cost models of the two, measured on 2 cores.

The re-rank makes both methods order neighbours by the same exactly computed distance, so the
method chosen never changes which neighbours SMOTE sees; exact ties are ordered by row index.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator

from smotekit._threads import run_blocks
from smotekit.neighbors._base import neighbors_graph_to_csr, self_entries

__all__ = ["ExactNeighbors", "choose_method", "predicted_seconds"]

# The crossover between the kd-tree and brute force is measured, not guessed: seconds of one
# self-query (every row's 7 nearest rows, both cores, standard normal rows) at 10,000, 40,000
# and 100,000 rows on the idle 2-core development machine (benchmarks/bench_neighbors.py,
# docs/benchmarks.md). Between those sizes each method's time is interpolated on a log-log
# scale, and beyond them extrapolated along the nearest segment; between the measured feature
# counts the kd-tree's time is interpolated on a log-log scale too. The tree's growth climbs
# from ~n^1.1 at few features to ~n^2 from 8 features on, where it visits most leaves.
CALIBRATION_ROWS = (10_000, 40_000, 100_000)
KD_TREE_SECONDS = {
    2: (0.023, 0.100, 0.345),
    3: (0.021, 0.135, 0.650),
    4: (0.041, 0.223, 1.409),
    5: (0.072, 0.352, 2.810),
    6: (0.115, 0.534, 5.403),
    7: (0.189, 2.325, 9.373),
    # 40,000 x 8 took 3.91 s and 1.61 s, 100,000 x 10 32.4 s and 70.9 s in two idle runs: from
    # 8 features on the tree's time varies that much between runs; the geometric means.
    8: (0.282, 2.512, 17.97),
    10: (0.606, 6.968, 47.9),
}
# Brute force hardly depends on the features up to 100 (the top-k scan, not the product,
# dominates). BLAS at 100,000 rows is extrapolated as n^2 from 40,000 (faiss measured n^2 there).
BRUTE_SECONDS = {"faiss": (0.40, 3.40, 21.0), "blas": (0.60, 8.50, 53.1)}
# From this many features on brute force always wins (at 12, 15 and 20 features it was 3x,
# 6x and 22x faster than the tree at 40,000 rows, and the gap grows with the rows).
BRUTE_MIN_FEATURES = 11
# Extra candidates kept by the BLAS shortlist so that its rounding cannot push a true neighbour
# out; the float64 re-rank then decides the order.
SHORTLIST_MARGIN = 4
# The tree already ranks by float64 distances computed like the re-rank's, so they can differ
# only in the last bit: two extra candidates cover a near-tie at the k-th place.
KD_TREE_MARGIN = 2
# Up to this many features the re-rank sums squared differences column by column.
COLUMNWISE_MAX_FEATURES = 32
# Gathered candidate rows per block of the exact re-rank: small enough to stay in cache.
RERANK_BLOCK_BYTES = 2**20
# Query rows per block of the brute-force search: bounds the distance block to block x n_fit.
BRUTE_BLOCK_BYTES = 64 * 2**20
# Below this many queries a search runs on one thread: starting workers costs more than it saves
# (the tutorial's 50-row class took 3x longer with two threads on a busy 2-core machine).
PARALLEL_MIN_QUERIES = 4096


def choose_method(n_samples: int, n_features: int, *, sparse_input: bool = False) -> str:
    """The exact method smotekit uses for data of this shape: the one predicted to be faster.

    Examples
    --------
    >>> choose_method(100_000, 2), choose_method(100_000, 100)
    ('kd_tree', 'brute')
    >>> choose_method(1_000_000, 5)
    'kd_tree'
    """
    if sparse_input:
        return "sklearn"
    if n_features >= BRUTE_MIN_FEATURES:
        return "brute"
    # Below the smallest calibration size both take milliseconds and the extrapolation is
    # unreliable: decide as at that size.
    n = max(n_samples, CALIBRATION_ROWS[0])
    kd = predicted_seconds("kd_tree", n, n_features)
    brute = predicted_seconds("brute", n, n_features)
    return "kd_tree" if kd <= brute else "brute"


def predicted_seconds(method: str, n_samples: int, n_features: int) -> float:
    """Predicted seconds of one self-query of ``n_samples`` rows: ``choose_method``'s cost model.

    Examples
    --------
    >>> round(predicted_seconds("kd_tree", 40_000, 10), 3)
    6.968
    """
    if method == "kd_tree":
        dims = np.log(list(KD_TREE_SECONDS))
        table = np.log(np.array(list(KD_TREE_SECONDS.values())))
        x = np.log(min(max(n_features, 2), max(KD_TREE_SECONDS)))
        log_seconds = np.array([np.interp(x, dims, column) for column in table.T])
    else:
        log_seconds = np.log(BRUTE_SECONDS["faiss" if _has_faiss() else "blas"])
    log_rows = np.log(CALIBRATION_ROWS)
    x = np.log(max(n_samples, 2))
    # The segment that holds x, or the nearest end segment: linear on a log-log scale.
    i = int(np.clip(np.searchsorted(log_rows, x) - 1, 0, len(log_rows) - 2))
    slope = (log_seconds[i + 1] - log_seconds[i]) / (log_rows[i + 1] - log_rows[i])
    return float(np.exp(log_seconds[i] + slope * (x - log_rows[i])))


@functools.cache
def _has_faiss() -> bool:
    import importlib.util

    return importlib.util.find_spec("faiss") is not None


def _n_workers(n_jobs: int | None) -> int:
    if n_jobs is None or n_jobs < 0:
        return os.cpu_count() or 1
    return max(1, n_jobs)


def _exact_rerank(
    queries: NDArray, data: NDArray, candidates: NDArray[np.intp], k: int, workers: int = 1
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Order each query's candidates by exact float64 distance (ties by index); keep ``k``.

    Runs in blocks of about :data:`RERANK_BLOCK_BYTES` of gathered candidate rows, so the
    temporaries stay in cache, on ``workers`` threads (NumPy releases the GIL in the gathers
    and ufuncs).
    """
    n_q, n_cand = candidates.shape
    d = max(1, queries.shape[1])
    dist_out = np.empty((n_q, k), dtype=np.float64)
    ind_out = np.empty((n_q, k), dtype=np.intp)
    block = max(64, RERANK_BLOCK_BYTES // (8 * n_cand * d))

    def run(start: int) -> None:
        stop = min(start + block, n_q)
        dist_out[start:stop], ind_out[start:stop] = _rerank_block(
            queries[start:stop], data, candidates[start:stop], k
        )

    run_blocks(run, range(0, n_q, block), workers)
    return dist_out, ind_out


def _rerank_block(
    queries: NDArray, data: NDArray, candidates: NDArray[np.intp], k: int
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    q64 = queries.astype(np.float64, copy=False)
    if q64.shape[1] <= COLUMNWISE_MAX_FEATURES:
        # Column by column, summed left to right as scikit-learn's trees sum: no (n, k, d)
        # temporary, and 5x faster than the 3-D form at 2 features.
        dist2 = np.zeros(candidates.shape)
        for j in range(q64.shape[1]):
            step = data[:, j].astype(np.float64, copy=False)[candidates]
            step -= q64[:, j, np.newaxis]
            step *= step
            dist2 += step
    else:
        diff = data[candidates].astype(np.float64, copy=False)
        diff -= q64[:, np.newaxis, :]
        dist2 = np.einsum("ijk,ijk->ij", diff, diff)
    # A stable sort by distance, then index order only on the rare rows with exact ties: a
    # full lexsort of every row costs more.
    order = np.argsort(dist2, axis=1, kind="stable")
    ranked = np.take_along_axis(dist2, order, axis=1)
    tied = np.flatnonzero((ranked[:, 1:] == ranked[:, :-1]).any(axis=1))
    if tied.size:
        order[tied] = np.lexsort((candidates[tied], dist2[tied]), axis=-1)
    order = order[:, :k]
    rows = np.arange(candidates.shape[0])[:, np.newaxis]
    return np.sqrt(dist2[rows, order]), candidates[rows, order]


class _FlatShortlist:
    """faiss's float32 flat scan as the shortlist of the brute method, proved exact per row.

    faiss fuses the matrix product with its top-k heap, which makes it ~2x faster than BLAS
    plus ``argpartition``. Its float32 scores may reorder near-ties, so each row's shortlist
    of ``k + SHORTLIST_MARGIN`` is re-ranked in float64 and then checked: with ``e`` a bound on
    the float32 error, every row left out of the shortlist is at least ``last - e`` away
    (``last`` = the shortlist's largest float32 score), so where the exact k-th distance is below
    ``last - e`` nothing outside can be among the ``k`` nearest. Rows that fail the check (ties
    at the boundary, duplicates) are searched again by the float64 method. Used only when faiss
    (extra "approx") is installed.
    """

    def __init__(self, faiss: Any, center: NDArray, index: Any, max_sq_norm: float) -> None:
        self.faiss = faiss
        self.center = center
        self.index = index
        self.max_sq_norm = max_sq_norm

    @classmethod
    def build(cls, X: NDArray) -> _FlatShortlist | None:
        try:
            import faiss
        except ImportError:
            return None
        # Centring shrinks the norms that the float32 error scales with.
        center = X.mean(axis=0, dtype=np.float64)
        data32 = np.ascontiguousarray(X - center, dtype=np.float32)
        index = faiss.IndexFlatL2(X.shape[1])
        index.add(data32)
        max_sq = float(np.einsum("ij,ij->i", data32, data32, dtype=np.float64).max())
        return cls(faiss, center, index, max_sq)

    def search(
        self, queries: NDArray, data: NDArray, k: int, fallback: Any, workers: int
    ) -> tuple[NDArray, NDArray]:
        n_fit, d = data.shape
        k_cand = min(k + SHORTLIST_MARGIN, n_fit)
        q32 = np.ascontiguousarray(queries - self.center, dtype=np.float32)
        approx, cand = self.index.search(q32, k_cand)
        dist, ind = _exact_rerank(queries, data, cand.astype(np.intp), k, workers)
        if k_cand == n_fit:
            return dist, ind
        # float32 rounding of the inputs, the norms and the length-d product (||x||^2 + ||q||^2
        # - 2 q.x), bounded generously: 8 (d + 4) u (||q||^2 + max ||x||^2), u = 2^-24.
        q_sq = np.einsum("ij,ij->i", q32, q32, dtype=np.float64)
        err = 8.0 * (d + 4) * 2.0**-24 * (q_sq + self.max_sq_norm)
        unsure = np.flatnonzero(dist[:, -1] ** 2 + err >= approx[:, -1].astype(np.float64))
        if unsure.size:
            dist[unsure], ind[unsure] = fallback(queries[unsure], k, workers)
        return dist, ind


class ExactNeighbors(BaseEstimator):
    """Exact nearest neighbours, shaped like :class:`sklearn.neighbors.NearestNeighbors`.

    Plugs into ``k_neighbors=`` of smotekit's and imbalanced-learn's samplers.

    Parameters
    ----------
    n_neighbors : int, default=6
        Neighbours returned per query by default.
    algorithm : {"auto", "kd_tree", "brute"}, default="auto"
        ``"auto"`` picks by shape (:func:`choose_method`).
    n_jobs : int or None, default=None
        Threads; ``None`` or ``-1`` uses every core.

    Attributes
    ----------
    method_ : str
        The method used.
    n_samples_fit_ : int
        Rows indexed.

    Examples
    --------
    >>> import numpy as np
    >>> nn = ExactNeighbors(n_neighbors=2).fit(np.array([[0.0], [1.0], [3.0]]))
    >>> nn.kneighbors(np.array([[0.9]]))
    (array([[0.1, 0.9]]), array([[1, 0]]))
    """

    def __init__(
        self, n_neighbors: int = 6, *, algorithm: str = "auto", n_jobs: int | None = None
    ) -> None:
        self.n_neighbors = n_neighbors
        self.algorithm = algorithm
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any = None) -> ExactNeighbors:
        """Index the rows of ``X``."""
        from scipy import sparse

        if sparse.issparse(X):
            from sklearn.neighbors import NearestNeighbors

            self.method_ = "sklearn"
            self._sk = NearestNeighbors(algorithm="brute", n_jobs=self.n_jobs).fit(X)
            self._fit_X = X
            self.n_samples_fit_ = X.shape[0]
            return self
        X = np.asarray(X)
        if self.algorithm not in ("auto", "kd_tree", "brute"):
            raise ValueError(
                f"ExactNeighbors got algorithm={self.algorithm!r}; "
                "use 'auto', 'kd_tree' or 'brute'."
            )
        self.method_ = choose_method(*X.shape) if self.algorithm == "auto" else str(self.algorithm)
        self._fit_X = X
        self.n_samples_fit_ = X.shape[0]
        if self.method_ == "kd_tree":
            from scipy.spatial import cKDTree

            self._tree = cKDTree(np.asarray(X, dtype=np.float64), balanced_tree=False)
        else:
            self._sq_norms = np.einsum("ij,ij->i", X, X, dtype=np.float64)
            self._flat = _FlatShortlist.build(X)
        return self

    def kneighbors(
        self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True
    ) -> Any:
        """Nearest indexed rows of each query, in ascending distance.

        With ``X=None`` the indexed rows are queried and each is excluded from its own list by
        index, as in scikit-learn.
        """
        k = self.n_neighbors if n_neighbors is None else int(n_neighbors)
        exclude_self = X is None
        queries = self._fit_X if exclude_self else X
        k_search = k + 1 if exclude_self else k
        if k_search > self.n_samples_fit_:
            raise ValueError(
                f"n_neighbors={k_search} is more than the {self.n_samples_fit_} indexed rows; "
                f"ask for at most {self.n_samples_fit_}."
            )
        if self.method_ == "sklearn":
            dist, ind = self._sk.kneighbors(queries, n_neighbors=k_search)
        else:
            dist, ind = self._search(np.asarray(queries), k_search)
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

    def _search(self, queries: NDArray, k: int) -> tuple[NDArray, NDArray]:
        workers = _n_workers(self.n_jobs) if queries.shape[0] >= PARALLEL_MIN_QUERIES else 1
        if self.method_ == "kd_tree":
            q = np.asarray(queries, dtype=np.float64)
            # Candidates from the tree, then the shared exact re-rank, so ties and near-ties are
            # ordered exactly as the brute method orders them.
            k_cand = min(k + KD_TREE_MARGIN, self.n_samples_fit_)
            _, cand = self._tree.query(q, k=k_cand, workers=workers)
            cand = np.asarray(cand, dtype=np.intp).reshape(q.shape[0], k_cand)
            return _exact_rerank(q, self._fit_X, cand, k, workers)
        if self._flat is not None:
            return self._flat.search(queries, self._fit_X, k, self._brute, workers)
        return self._brute(queries, k, workers)

    def _brute(self, queries: NDArray, k: int, workers: int) -> tuple[NDArray, NDArray]:
        data = self._fit_X
        n_fit = self.n_samples_fit_
        k_cand = min(k + SHORTLIST_MARGIN, n_fit)
        block = max(1, BRUTE_BLOCK_BYTES // (8 * n_fit))
        n_q = queries.shape[0]
        dist_out = np.empty((n_q, k), dtype=np.float64)
        ind_out = np.empty((n_q, k), dtype=np.intp)

        def run(start: int) -> None:
            stop = min(start + block, n_q)
            q = queries[start:stop]
            # ||x||^2 - 2 q.x ranks like the squared distance (||q||^2 is constant per row).
            scores = q @ data.T
            scores *= -2.0
            scores += self._sq_norms
            if k_cand < n_fit:
                cand = np.argpartition(scores, k_cand - 1, axis=1)[:, :k_cand]
            else:
                cand = np.broadcast_to(np.arange(n_fit), scores.shape).copy()
            d, i = _exact_rerank(q, data, cand.astype(np.intp), k)
            dist_out[start:stop] = d
            ind_out[start:stop] = i

        starts = range(0, n_q, block)
        if workers > 1 and n_q > block:
            from threadpoolctl import threadpool_limits

            # One single-threaded BLAS call per worker: the top-k selection that follows each
            # product is single-threaded, so blocks in parallel keep every core busy, while a
            # threaded BLAS inside each worker would oversubscribe the cores.
            with threadpool_limits(limits=1, user_api="blas"):
                run_blocks(run, starts, workers)
        else:
            run_blocks(run, starts, 1)
        return dist_out, ind_out

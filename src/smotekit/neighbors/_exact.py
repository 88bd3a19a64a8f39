"""Exact k-nearest-neighbour search that picks, per fit, the method fastest on the data at hand.

Two methods, both exact, both returning neighbours in ascending Euclidean distance:

* ``"kd_tree"``: SciPy's ``cKDTree`` queried on several threads. Fastest for few features, and
  for clustered rows or rows of low intrinsic dimension at any feature count.
* ``"brute"``: a float32 flat scan (faiss, when the "approx" extra is installed, proved exact per
  row) or blocked float64 matrix products (BLAS) to shortlist candidates. Fastest for rows without
  structure in many features.

How the method is chosen: :mod:`smotekit.neighbors._choice`.

Every method's shortlist is re-ranked by exact float64 distances computed the same way, ties by
row index (rows where a tie reaches past the shortlist are re-ranked against every row), so the
method chosen never changes which neighbours a sampler sees, and dense and sparse input give the
same neighbours.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator

from smotekit._threads import run_blocks, threadpool_controller, worker_count
from smotekit.neighbors._base import neighbors_graph_to_csr, self_entries
from smotekit.neighbors._choice import (
    PROBE_BATCH,
    PROBE_FIRST_BATCH,
    PROBE_MIN_ROWS,
    TREE_PROBE_FRACTION,
    TREE_PROBE_MAX,
    TREE_PROBE_MIN,
    ProbeTimes,
    brute_needs_timing,
    brute_prediction,
    brute_probe_queries,
    choose_method,
    estimates_from_probe,
    pick_method,
    predicted_seconds,
    tree_clearly_wins,
    tree_estimate,
    tree_given_up,
)
from smotekit.neighbors._flat import SHORTLIST_MARGIN, FlatShortlist

__all__ = ["ExactNeighbors"]

logger = logging.getLogger("smotekit.neighbors")

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
# Squared differences of values beyond 2^400 (about 1e120) overflow float64 once summed over
# many features, and those below 2^-400 lose their precision: such data is searched scaled by
# a power of two, which keeps every distance's rounding, hence every order and tie.
SAFE_EXPONENT = 400


def _working_data(X: NDArray) -> tuple[NDArray, int]:
    """``X`` in a float dtype the searches can use, and the power of two it was divided by.

    The scale is applied with ``ldexp``: exact, and the power itself may lie outside float64's
    range (subnormal data needs up to 2^1074).
    """
    data = X if X.dtype in (np.float32, np.float64) else X.astype(np.float64)
    largest = float(max(np.max(data, initial=0.0), -np.min(data, initial=0.0)))
    exponent = int(np.frexp(largest)[1]) if largest > 0 else 0
    if abs(exponent) <= SAFE_EXPONENT:
        return data, 0
    return np.ldexp(data, -exponent), exponent


def _working_sparse(X: Any, exponent: int | None = None) -> tuple[Any, int]:
    """Sparse ``X`` as float CSR (integers would wrap in the differences), scaled like dense.

    ``exponent`` is the power of two found at fit time, for queries; None finds it.
    """
    X = X.tocsr()
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    if exponent is None:
        exponent = _working_data(X.data)[1]
    if exponent:
        X = X.copy()
        X.data = np.ldexp(X.data, -exponent)
    return X, exponent


def _exact_rerank(
    queries: NDArray, data: NDArray, candidates: NDArray[np.intp], k: int, workers: int = 1
) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.intp]]:
    """Order each query's candidates by exact float64 distance (ties by index); keep ``k``.

    Also returns the rows whose k-th distance equals their last candidate's: a tie that may
    reach rows outside the shortlist. Runs in blocks of about :data:`RERANK_BLOCK_BYTES` of
    gathered candidate rows, so the temporaries stay in cache, on ``workers`` threads (NumPy
    releases the GIL in the gathers and ufuncs).
    """
    n_q, n_cand = candidates.shape
    d = max(1, queries.shape[1])
    dist_out = np.empty((n_q, k), dtype=np.float64)
    ind_out = np.empty((n_q, k), dtype=np.intp)
    open_out = np.zeros(n_q, dtype=bool)
    block = max(1, RERANK_BLOCK_BYTES // (8 * n_cand * d))

    def run(start: int) -> None:
        stop = min(start + block, n_q)
        dist_out[start:stop], ind_out[start:stop], open_out[start:stop] = _rerank_block(
            queries[start:stop], data, candidates[start:stop], k
        )

    run_blocks(run, range(0, n_q, block), workers)
    return dist_out, ind_out, np.flatnonzero(open_out)


def _squared_distances(queries: NDArray, data: NDArray, candidates: NDArray[np.intp]) -> NDArray:
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
        return dist2
    diff = data[candidates].astype(np.float64, copy=False)
    diff -= q64[:, np.newaxis, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def _sparse_squared_distances(queries: Any, data: Any, candidates: NDArray[np.intp]) -> NDArray:
    """Exact squared distances of sparse rows, summed over stored columns left to right.

    Skipped columns are zero differences, which add nothing, so the sums equal the dense
    re-rank's column-by-column sums bit for bit: dense and sparse input order alike.
    """
    n_q, n_cand = candidates.shape
    diff = queries[np.repeat(np.arange(n_q), n_cand)] - data[candidates.ravel()]
    diff = diff.tocsr()
    diff.sort_indices()
    diff.data **= 2
    return np.asarray(diff @ np.ones(diff.shape[1])).reshape(n_q, n_cand)


def _rerank_block(
    queries: Any, data: Any, candidates: NDArray[np.intp], k: int
) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.bool_]]:
    if hasattr(queries, "tocsr"):
        dist2 = _sparse_squared_distances(queries, data, candidates)
    else:
        dist2 = _squared_distances(queries, data, candidates)
    # A stable sort by distance, then index order only on the rare rows with exact ties: a
    # full lexsort of every row costs more.
    order = np.argsort(dist2, axis=1, kind="stable")
    ranked = np.take_along_axis(dist2, order, axis=1)
    tied = np.flatnonzero((ranked[:, 1:] == ranked[:, :-1]).any(axis=1))
    if tied.size:
        order[tied] = np.lexsort((candidates[tied], dist2[tied]), axis=-1)
    reaches_end = ranked[:, k - 1] == ranked[:, -1]
    order = order[:, :k]
    rows = np.arange(candidates.shape[0])[:, np.newaxis]
    return np.sqrt(dist2[rows, order]), candidates[rows, order], reaches_end


class ExactNeighbors(BaseEstimator):
    """Exact nearest neighbours, shaped like :class:`sklearn.neighbors.NearestNeighbors`.

    Plugs into ``k_neighbors=`` of smotekit's and imbalanced-learn's samplers.

    Parameters
    ----------
    n_neighbors : int, default=6
        Neighbours returned per query by default.
    algorithm : {"auto", "kd_tree", "brute"}, default="auto"
        ``"auto"`` measures both methods on a random sample of the rows being indexed (from
        1,024 rows on; a model of the shape decides below) and keeps the one predicted faster
        for these rows. The neighbours found are the same whichever is used.
    n_jobs : int or None, default=None
        Threads. ``None`` follows ``joblib.parallel_config(n_jobs=...)`` where one is active and
        uses every available core otherwise; ``-1`` every available core. Never more than the
        CPU affinity mask or the threadpoolctl / ``OMP_NUM_THREADS`` limits allow.

    Attributes
    ----------
    method_ : str
        The method used: ``"kd_tree"``, ``"brute"``, or ``"sklearn"`` (sparse input).
    method_estimates_ : dict of str to float
        Seconds each candidate method was expected to take for a self-query of every indexed
        row: extrapolated from the probe (``"auto"`` from 1,024 rows on), predicted from the
        shape (``"auto"`` below), empty when ``algorithm`` named the method. The same
        decision is logged at DEBUG level on the ``"smotekit.neighbors"`` logger.
    n_samples_fit_ : int
        Rows indexed.

    Examples
    --------
    >>> import numpy as np
    >>> nn = ExactNeighbors(n_neighbors=2).fit(np.array([[0.0], [1.0], [3.0]]))
    >>> nn.kneighbors(np.array([[0.9]]))
    (array([[0.1, 0.9]]), array([[1, 0]]))
    >>> nn.method_, sorted(nn.method_estimates_)
    ('kd_tree', ['brute', 'kd_tree'])
    """

    def __init__(
        self, n_neighbors: int = 6, *, algorithm: str = "auto", n_jobs: int | None = None
    ) -> None:
        self.n_neighbors = n_neighbors
        self.algorithm = algorithm
        self.n_jobs = n_jobs

    # -- fitting -------------------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> ExactNeighbors:
        """Index the rows of ``X``, choosing the method (see ``algorithm``)."""
        from scipy import sparse

        if self.algorithm not in ("auto", "kd_tree", "brute"):
            raise ValueError(
                f"ExactNeighbors got algorithm={self.algorithm!r}; "
                "use 'auto', 'kd_tree' or 'brute'."
            )
        self._tree: Any = None
        self._flat: FlatShortlist | None = None
        self._sq_norms: NDArray | None = None
        self.method_estimates_: dict[str, float] = {}
        if sparse.issparse(X):
            from sklearn.neighbors import NearestNeighbors

            self.method_ = "sklearn"
            self._fit_X, self._exponent = _working_sparse(X)
            X = self._fit_X
            self.n_samples_fit_ = X.shape[0]
            self._sk = NearestNeighbors(algorithm="brute", n_jobs=self.n_jobs).fit(X)
            return self
        self._fit_X, self._exponent = _working_data(np.asarray(X))
        n, d = self._fit_X.shape
        self.n_samples_fit_ = n
        if self.algorithm != "auto":
            self.method_ = str(self.algorithm)
        elif n < PROBE_MIN_ROWS or tree_clearly_wins(n, d):
            self.method_ = choose_method(n, d)
            self.method_estimates_ = {m: predicted_seconds(m, n, d) for m in ("kd_tree", "brute")}
        else:
            # The self-query's threads; the probe itself times one thread.
            workers = worker_count(self.n_jobs) if n >= PARALLEL_MIN_QUERIES else 1
            times = self._probe(min(self.n_neighbors + 1, n), workers)
            self.method_estimates_ = estimates_from_probe(n, d, times, workers)
            self.method_ = pick_method(self.method_estimates_)
            logger.debug(
                "ExactNeighbors on %d x %d rows: %s (estimated seconds %s; probe of %d tree "
                "and %d scan queries took %.3f s)",
                n,
                d,
                self.method_,
                {m: round(s, 4) for m, s in self.method_estimates_.items()},
                times.tree_queries,
                times.brute_queries,
                times.total,
            )
        # Keep only what the chosen method needs (the probe may have built both).
        if self.method_ == "kd_tree":
            self._flat = self._sq_norms = None
            if self._tree is None:
                self._build_tree()
        else:
            self._tree = None
            if self._flat is None and self._sq_norms is None:
                self._build_brute()
        return self

    def _build_tree(self) -> None:
        from scipy.spatial import cKDTree

        self._tree = cKDTree(np.asarray(self._fit_X, dtype=np.float64), balanced_tree=False)

    def _build_brute(self) -> None:
        self._flat = FlatShortlist.build(self._fit_X)
        if self._flat is None:
            self._sq_norms = np.einsum("ij,ij->i", self._fit_X, self._fit_X, dtype=np.float64)

    def _probe(self, k: int, workers: int) -> ProbeTimes:
        """Time the kd-tree on a random sample of the rows, and the scan where it is close.

        Both are timed on one thread and extrapolated to ``workers`` threads.
        """
        n, d = self._fit_X.shape
        size = int(np.clip(n * TREE_PROBE_FRACTION, TREE_PROBE_MIN, TREE_PROBE_MAX))
        sample = np.random.default_rng(0).choice(n, size=min(size, n), replace=False)
        queries = self._fit_X[np.sort(sample)]
        brute_model = brute_prediction(n, d, workers)
        start = time.perf_counter()
        self._build_tree()
        tree_build = time.perf_counter() - start
        fastest, done = np.inf, 0
        while done < queries.shape[0]:
            # Batches of 16, 16, 32, 64, then 128 queries: a tree that is clearly the slower
            # method on these rows is given up after a few, where one query may cost a scan of
            # every row.
            size = min(max(done, PROBE_FIRST_BATCH), PROBE_BATCH)
            batch = queries[done : done + size]
            start = time.perf_counter()
            self._search_tree(batch, k, 1)
            # The fastest batch's rate: a batch takes milliseconds, and one pre-emption on a busy
            # machine would otherwise weigh as much as the whole batch.
            fastest = min(fastest, (time.perf_counter() - start) / batch.shape[0])
            done += batch.shape[0]
            times = ProbeTimes(tree_build, done, fastest * done)
            if tree_given_up(n, times, brute_model, workers):
                break  # clearly the slower method: no need to know by how much
        if not brute_needs_timing(tree_estimate(n, times, workers), brute_model):
            return times
        start = time.perf_counter()
        self._build_brute()
        brute_build = time.perf_counter() - start
        n_brute = brute_probe_queries(n, d)
        brute_rows = np.random.default_rng(1).choice(n, size=n_brute, replace=False)
        brute_queries = self._fit_X[np.sort(brute_rows)]
        start = time.perf_counter()
        self._search_brute(brute_queries, k, 1)
        brute_seconds = time.perf_counter() - start
        return ProbeTimes(tree_build, done, fastest * done, brute_build, n_brute, brute_seconds)

    # -- pickling --------------------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        # A cKDTree pickles but is as large as the data and rebuilt in a fraction of the search:
        # it is left out and rebuilt on first use, as faiss's index is (see FlatShortlist).
        state = dict(super().__getstate__())
        if state.get("_tree") is not None:
            state["_tree"] = None
            state["_rebuild_tree"] = True
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        rebuild = state.pop("_rebuild_tree", False)
        super().__setstate__(state)
        if rebuild:
            self._build_tree()

    # -- queries ---------------------------------------------------------------------------------
    def kneighbors(
        self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True
    ) -> Any:
        """Nearest indexed rows of each query, in ascending distance.

        With ``X=None`` the indexed rows are queried and each is excluded from its own list by
        index, as in scikit-learn.
        """
        k = self.n_neighbors if n_neighbors is None else int(n_neighbors)
        exclude_self = X is None
        k_search = k + 1 if exclude_self else k
        if k_search > self.n_samples_fit_:
            raise ValueError(
                f"n_neighbors={k_search} is more than the {self.n_samples_fit_} indexed rows; "
                f"ask for at most {self.n_samples_fit_}."
            )
        queries = self._fit_X if exclude_self else self._as_queries(X)
        n_q = queries.shape[0]
        workers = worker_count(self.n_jobs) if n_q >= PARALLEL_MIN_QUERIES else 1
        if self.method_ == "sklearn":
            dist, ind = self._search_sparse(queries, k_search, workers)
        elif self.method_ == "kd_tree":
            dist, ind = self._search_tree(queries, k_search, workers)
        else:
            dist, ind = self._search_brute(queries, k_search, workers)
        if self._exponent:
            with np.errstate(over="ignore"):
                dist = np.ldexp(dist, self._exponent)
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

    def _as_queries(self, X: Any) -> Any:
        if self.method_ == "sklearn":
            return _working_sparse(X, self._exponent)[0] if hasattr(X, "tocsr") else X
        queries = np.asarray(X)
        if queries.dtype not in (np.float32, np.float64):
            queries = queries.astype(np.float64)
        return np.ldexp(queries, -self._exponent) if self._exponent else queries

    def _rerank(
        self, queries: Any, candidates: NDArray[np.intp], k: int, workers: int
    ) -> tuple[NDArray, NDArray]:
        """Exact re-rank of a shortlist; rows whose tie reaches its end against every row."""
        dist, ind, open_rows = _exact_rerank(queries, self._fit_X, candidates, k, workers)
        if open_rows.size and candidates.shape[1] < self.n_samples_fit_:
            every = np.broadcast_to(
                np.arange(self.n_samples_fit_), (open_rows.size, self.n_samples_fit_)
            )
            dist[open_rows], ind[open_rows], _ = _exact_rerank(
                queries[open_rows], self._fit_X, np.ascontiguousarray(every), k, workers
            )
        return dist, ind

    def _search_tree(self, queries: NDArray, k: int, workers: int) -> tuple[NDArray, NDArray]:
        q = np.asarray(queries, dtype=np.float64)
        k_cand = min(k + KD_TREE_MARGIN, self.n_samples_fit_)
        _, cand = self._tree.query(q, k=k_cand, workers=workers)
        cand = np.asarray(cand, dtype=np.intp).reshape(q.shape[0], k_cand)
        return self._rerank(queries, cand, k, workers)

    def _search_sparse(self, queries: Any, k: int, workers: int) -> tuple[NDArray, NDArray]:
        k_cand = min(k + SHORTLIST_MARGIN, self.n_samples_fit_)
        cand = self._sk.kneighbors(queries, n_neighbors=k_cand, return_distance=False)
        return self._rerank(queries, np.asarray(cand, dtype=np.intp), k, workers)

    def _search_brute(self, queries: NDArray, k: int, workers: int) -> tuple[NDArray, NDArray]:
        if self._flat is not None:
            return self._flat.search(queries, k, self._rerank, self._search_blas, workers)
        return self._search_blas(queries, k, workers)

    def _search_blas(self, queries: NDArray, k: int, workers: int) -> tuple[NDArray, NDArray]:
        data = self._fit_X
        n_fit = self.n_samples_fit_
        if self._sq_norms is None:
            self._sq_norms = np.einsum("ij,ij->i", data, data, dtype=np.float64)
        sq_norms = self._sq_norms
        k_cand = min(k + SHORTLIST_MARGIN, n_fit)
        block = max(1, BRUTE_BLOCK_BYTES // (8 * n_fit))
        n_q = queries.shape[0]
        cand_out = np.empty((n_q, k_cand), dtype=np.intp)

        def run(start: int) -> None:
            stop = min(start + block, n_q)
            # ||x||^2 - 2 q.x ranks like the squared distance (||q||^2 is constant per row).
            scores = queries[start:stop] @ data.T
            scores *= -2.0
            scores += sq_norms
            if k_cand < n_fit:
                cand_out[start:stop] = np.argpartition(scores, k_cand - 1, axis=1)[:, :k_cand]
            else:
                cand_out[start:stop] = np.arange(n_fit)

        starts = range(0, n_q, block)
        if workers > 1 and n_q > block:
            # One single-threaded BLAS call per worker: the top-k selection that follows each
            # product is single-threaded, so blocks in parallel keep every core busy, while a
            # threaded BLAS inside each worker would oversubscribe the cores.
            with threadpool_controller().limit(limits=1, user_api="blas"):
                run_blocks(run, starts, workers)
        else:
            run_blocks(run, starts, 1)
        return self._rerank(queries, cand_out, k, workers)

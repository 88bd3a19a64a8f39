"""Neighbour lists as scikit-learn's ``NearestNeighbors`` orders them, at smotekit's speed.

imbalanced-learn's cleaners ask ``NearestNeighbors.kneighbors`` for each row's nearest rows,
the row itself included, and drop column 0 as "self". Which rows a cleaner keeps can therefore
depend on how scikit-learn orders *tied* neighbours: with duplicate rows column 0 need not be the
row itself, and a tie at the last place decides which neighbour is in. That order comes from the
tree's traversal (or the brute-force scan's chunks and threads) and cannot be reproduced by
another search.

Untied neighbours, though, every exact method ranks alike. So smotekit searches every row's
``width`` nearest rows with its own exact search (:class:`~smotekit.neighbors.ExactNeighbors`,
exact float64 distances), the cleaner finds the few rows whose outcome could depend on how
scikit-learn breaks ties (:class:`RankedWindow`: exact ties, and near-ties within scikit-learn's
rounding), and only those rows are asked of scikit-learn itself (:func:`sklearn_kneighbors`),
exactly as imbalanced-learn's full query would have answered them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from smotekit.neighbors import ExactNeighbors

__all__ = [
    "RankedWindow",
    "WindowSearch",
    "class_codes",
    "fast_path_applies",
    "is_plain_euclidean",
    "mixed_labels",
    "sklearn_kneighbors",
    "sklearn_uses_brute",
    "spatial_order",
]

# scikit-learn's trees rank by float64 squared distances summed feature by feature, as smotekit's
# re-rank does; a fused multiply-add (other platforms) or the square of a rounded square root
# moves a value by a few units in the last place per feature. Two squared distances closer than
# this many machine epsilons per feature, relative to their size, count as possibly swapped.
TREE_SLACK_ULPS_PER_FEATURE = 4
# scikit-learn's brute force ranks by ||x||^2 - 2 x.q + ||q||^2 (BLAS), whose error grows with
# the norms, not the distance: a generous multiple of the bound (d + 4) eps (||x||^2 + ||q||^2).
BRUTE_SLACK_FACTOR = 8
# Before searching every row, this many rows spread over the queries are searched: where more
# than MOSTLY_TIED of them would have to be asked of scikit-learn anyway (data of a few distinct
# rows, say), scikit-learn answers all of them at once instead, as fast as imbalanced-learn.
PROBE_ROWS = 2000
MOSTLY_TIED = 0.5
# Queries searched at a time: about a MiB of windows and shortlists per block.
BLOCK_ROWS = 2**14
# From this many queries on, a tree is searched in spatial order (below, the order costs more
# than the cache saves). Bits of the Z-order key, spread over the features.
ORDERED_MIN_ROWS = 2**16
ORDER_KEY_BITS = 63


def is_plain_euclidean(nn: Any) -> bool:
    """Whether ``nn`` is scikit-learn's ``NearestNeighbors`` with the Euclidean distance.

    Only for those is the ranking of untied neighbours known, so that smotekit's search can
    stand in for it.
    """
    from sklearn.neighbors import NearestNeighbors

    if type(nn) is not NearestNeighbors or nn.metric_params:
        return False
    return nn.metric in ("euclidean", "l2") or (nn.metric == "minkowski" and nn.p == 2)


def sklearn_uses_brute(nn: Any, n_samples: int, n_features: int) -> bool:
    """Whether ``nn.fit`` on dense data of this shape picks brute force (scikit-learn's rule)."""
    if nn.algorithm != "auto":
        return bool(nn.algorithm == "brute")
    return n_features > 15 or nn.n_neighbors >= n_samples // 2


def fast_path_applies(nn: Any, X: Any, n_neighbors: int) -> bool:
    """Whether smotekit's search can stand in for ``nn`` on ``X`` (see the module's note)."""
    return (
        is_plain_euclidean(nn)
        and not sparse.issparse(X)
        and isinstance(X, np.ndarray)
        and X.dtype.kind in "iuf"
        and X.dtype.itemsize >= 4
        and 1 <= n_neighbors <= X.shape[0]
    )


@dataclass
class RankedWindow:
    """Some queries' ``width`` nearest indexed rows in exact ascending distance.

    Attributes
    ----------
    ind : ndarray of shape (n_queries, width)
        Row indices; exact ties in index order (the query's own row included).
    dist2 : ndarray of shape (n_queries, width)
        Their squared distances.
    slack : ndarray of shape (n_queries, 1)
        Two squared distances of a query closer than this may be ranked either way by
        scikit-learn (exact ties, or rounding in its distance computation).
    complete : bool
        Whether the window holds every indexed row (nothing lies beyond its last column).
    """

    ind: NDArray[np.intp]
    dist2: NDArray[np.float64]
    slack: NDArray[np.float64]
    complete: bool

    def near(self, low: int, high: int) -> NDArray[np.bool_]:
        """Entries scikit-learn may rank between columns ``low`` and ``high`` (either way)."""
        lower = self.dist2[:, low, np.newaxis] - self.slack
        upper = self.dist2[:, high, np.newaxis] + self.slack
        return (self.dist2 >= lower) & (self.dist2 <= upper)

    def swappable(self, column: int) -> NDArray[np.bool_]:
        """Queries whose entries at ``column - 1`` and ``column`` scikit-learn may swap."""
        if column >= self.dist2.shape[1]:
            return np.zeros(self.dist2.shape[0], dtype=bool)
        gap = self.dist2[:, column] - self.dist2[:, column - 1]
        return np.asarray(gap <= self.slack[:, 0])

    def open_ended(self, entries: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """Queries whose ``entries`` reach the last column: rows beyond may belong to them."""
        if self.complete:
            return np.zeros(entries.shape[0], dtype=bool)
        return np.asarray(entries[:, -1])


class WindowSearch:
    """smotekit's exact search of ``X``, giving :class:`RankedWindow` s block by block.

    Parameters
    ----------
    X : ndarray
        The indexed rows.
    width : int
        Neighbours per query (capped at the rows of ``X``).
    brute : bool
        Whether scikit-learn ranks by brute force (its rounding differs from the trees').
    n_jobs : int or None
        Threads of the search.
    """

    def __init__(self, X: NDArray[Any], width: int, brute: bool, n_jobs: Any) -> None:
        # scikit-learn measures integer rows as float64 too.
        self.X = X if X.dtype.kind == "f" else X.astype(np.float64)
        X = self.X
        self.searcher = ExactNeighbors(n_neighbors=min(width, X.shape[0]), n_jobs=n_jobs).fit(X)
        self.brute = brute
        self.x_sq_max = 0.0
        if brute:
            self.x_sq_max = float(np.einsum("ij,ij->i", X, X, dtype=np.float64).max())

    def window(self, rows: NDArray[np.intp] | slice) -> RankedWindow:
        """The window of the indexed ``rows`` (each row's own index among its neighbours)."""
        n, d = self.X.shape
        queries = self.X[rows]
        dist, ind = self.searcher.kneighbors(queries)
        dist2 = np.square(dist, out=dist)
        eps = np.finfo(np.float64).eps
        if self.brute:
            q_sq = np.einsum("ij,ij->i", queries, queries, dtype=np.float64)
            slack = BRUTE_SLACK_FACTOR * (d + 4) * eps * (q_sq + self.x_sq_max)
        else:
            slack = TREE_SLACK_ULPS_PER_FEATURE * (d + 2) * eps * dist2[:, -1]
        return RankedWindow(ind, dist2, slack[:, np.newaxis], complete=ind.shape[1] == n)

    def blocks(self, rows: NDArray[np.intp]) -> Iterator[tuple[NDArray[np.intp], RankedWindow]]:
        """The windows of ``rows`` in blocks of ``BLOCK_ROWS``, with their places in ``rows``.

        Blocks bound the memory to a few arrays of ``BLOCK_ROWS x width``, however many rows.
        A tree is searched in :func:`spatial_order`, so that consecutive queries visit the same
        nodes while they are in cache.
        """
        places = np.arange(rows.size)
        if self.searcher.method_ == "kd_tree" and rows.size >= ORDERED_MIN_ROWS:
            places = spatial_order(self.X if rows.size == self.X.shape[0] else self.X[rows])
        for start in range(0, rows.size, BLOCK_ROWS):
            place = places[start : start + BLOCK_ROWS]
            yield place, self.window(rows[place])

    def mostly_tied(
        self, rows: NDArray[np.intp], hangs_on_ties: Callable[[RankedWindow, NDArray], Any]
    ) -> bool:
        """Whether most of a sample of ``rows`` would have to be asked of scikit-learn.

        ``hangs_on_ties(window, sample)`` marks the rows whose outcome depends on scikit-learn's
        tie order (see ``PROBE_ROWS``).
        """
        if rows.size <= PROBE_ROWS:
            return False
        sample = rows[np.linspace(0, rows.size - 1, PROBE_ROWS).astype(np.intp)]
        return bool(np.mean(hangs_on_ties(self.window(sample), sample)) > MOSTLY_TIED)


def class_codes(y: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.unsignedinteger]]:
    """The sorted classes of ``y`` and each row's position among them, in the smallest dtype."""
    classes, codes = np.unique(y, return_inverse=True)
    return classes, codes.astype(np.min_scalar_type(max(classes.size - 1, 0)))


def spatial_order(X: NDArray[Any]) -> NDArray[np.intp]:
    """The rows of ``X`` along a Z-order (Morton) curve: rows near in space come near in order.

    Each feature (up to 63, the most spread out) is cut into ``2^b`` equal steps and the
    steps' bits are interleaved into one 64-bit key. Searching a kd-tree in this order rather
    than in the rows' own (random) order took 3.8x less time at 2.5 million rows x 10 features
    (400,000 queries on the ``make_classification`` rows of issue 12, 2 cores).

    Examples
    --------
    >>> spatial_order(np.array([[3.0, 3.0], [0.0, 0.0], [3.0, 0.0], [0.0, 3.0]]))
    array([1, 3, 2, 0])
    """
    n, d = X.shape
    spread = np.ptp(X, axis=0).astype(np.float64)
    bits = max(1, ORDER_KEY_BITS // d)
    features = np.argsort(-spread, kind="stable")[: max(1, ORDER_KEY_BITS // bits)]
    step_type = np.min_scalar_type((1 << bits) - 1)
    steps = []
    for j in features:
        scale = ((1 << bits) - 1) / spread[j] if spread[j] > 0 else 0.0
        steps.append(((X[:, j] - X[:, j].min()) * scale).astype(step_type))
    key = np.zeros(n, dtype=np.uint64)
    for bit in range(bits - 1, -1, -1):
        for step in steps:
            key <<= np.uint64(1)
            key |= ((step >> bit) & 1).astype(np.uint64)
    return np.argsort(key, kind="stable")


def mixed_labels(labels: NDArray[Any], entries: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Per row, whether the ``entries`` (a non-empty mask per row, or none) differ in label."""
    first = labels[np.arange(labels.shape[0]), np.argmax(entries, axis=1)]
    return np.asarray(((labels != first[:, np.newaxis]) & entries).any(axis=1))


def _brute_strategy(n_queries: int, n_fit: int) -> str:
    """The parallel strategy scikit-learn's brute-force ``kneighbors`` picks for this query.

    It decides per call from the number of queries, and the order of tied neighbours differs
    between its two strategies; this is its rule (``BaseDistancesReduction``), so that a query
    of a few rows is answered as the same rows were in the full query.
    """
    from sklearn import get_config
    from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

    config = get_config()
    strategy = str(config.get("pairwise_dist_parallel_strategy", "auto"))
    if strategy != "auto":
        return strategy
    chunk = int(config.get("pairwise_dist_chunk_size", 256))
    if n_fit < n_queries or 4 * chunk * _openmp_effective_n_threads() < n_queries:
        return "parallel_on_X"
    return "parallel_on_Y"


def sklearn_kneighbors(
    nn: Any, X: NDArray[Any], query_rows: NDArray[np.intp], wanted: NDArray[np.intp]
) -> NDArray[np.intp]:
    """``nn.kneighbors(X[query_rows])[wanted]``, computed for the ``wanted`` rows only.

    ``nn`` is fitted on ``X``. A tree answers each query on its own; scikit-learn's brute force
    orders ties by a strategy chosen from the size of the whole query, which is replayed here
    (where its private interface has moved, the whole query is run instead).
    """
    queries = X[query_rows[wanted]]
    if nn._fit_method != "brute":
        return np.asarray(nn.kneighbors(queries, return_distance=False), dtype=np.intp)
    try:
        from sklearn.metrics._pairwise_distances_reduction import ArgKmin

        queries = np.ascontiguousarray(queries)
        if ArgKmin.is_usable_for(queries, nn._fit_X, nn.effective_metric_):
            ind = ArgKmin.compute(
                X=queries,
                Y=nn._fit_X,
                k=nn.n_neighbors,
                metric=nn.effective_metric_,
                metric_kwargs=nn.effective_metric_params_,
                strategy=_brute_strategy(len(query_rows), nn.n_samples_fit_),
                return_distance=False,
            )
            return np.asarray(ind, dtype=np.intp)
        # scikit-learn's other brute-force path ranks each query on its own, as the trees do.
        return np.asarray(nn.kneighbors(queries, return_distance=False), dtype=np.intp)
    except (ImportError, AttributeError, TypeError):
        full = nn.kneighbors(X[query_rows], return_distance=False)
        return np.asarray(full[wanted], dtype=np.intp)

"""What every neighbour backend shares: the estimator shape and self-exclusion by index."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "KNeighborsLike",
    "drop_self",
    "neighbors_graph_to_csr",
    "self_entries",
    "within_class_neighbors",
]


@runtime_checkable
class KNeighborsLike(Protocol):
    """Anything shaped like :class:`sklearn.neighbors.NearestNeighbors`.

    imbalanced-learn accepts such an object as ``k_neighbors``; so does every smotekit sampler.
    """

    def fit(self, X: Any, y: Any = None) -> Any: ...

    def kneighbors(
        self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True
    ) -> Any: ...

    def kneighbors_graph(
        self, X: Any = None, n_neighbors: int | None = None, mode: str = "connectivity"
    ) -> Any: ...


def self_entries(
    indices: NDArray[np.intp], own: NDArray[np.integer] | None = None
) -> NDArray[np.bool_]:
    """Mark, per row of a ``k + 1``-neighbour list of training rows, the one entry to drop.

    Query ``i`` is training row ``own[i]`` (row ``i`` when ``own`` is None). Its own index is
    marked wherever it appears (with duplicate rows it need not be in column 0); where it is
    missing (approximate search, many duplicates), the farthest column is.
    """
    n = indices.shape[0]
    if own is None:
        own = np.arange(n)
    is_self = indices == np.asarray(own)[:, np.newaxis]
    is_self[~is_self.any(axis=1), -1] = True
    # A row appears at most once in its own list; keep only the first mark to be safe.
    first = np.argmax(is_self, axis=1)
    marks = np.zeros_like(is_self)
    marks[np.arange(n), first] = True
    return marks


def drop_self(indices: NDArray[np.intp], k: int) -> NDArray[np.intp]:
    """Remove each query's own index from its neighbour list, keeping ``k`` columns.

    ``indices[i]`` lists the ``k + 1`` nearest training rows of training row ``i``. Row ``i``
    itself is removed by index, not by position (see :func:`self_entries`); order is kept, so ties
    stay as the search ordered them.

    Examples
    --------
    >>> import numpy as np
    >>> drop_self(np.array([[0, 1, 2], [0, 1, 2], [1, 0, 2]]), 2)
    array([[1, 2],
           [0, 2],
           [1, 0]])
    """
    n = indices.shape[0]
    return indices[~self_entries(indices)].reshape(n, indices.shape[1] - 1)[:, :k]


def within_class_neighbors(estimator: KNeighborsLike, X: Any, k: int) -> NDArray[np.intp]:
    """Fit ``estimator`` on ``X`` and return each row's ``k`` nearest other rows.

    The estimator must be set to return at least ``k + 1`` neighbours (the row itself is among
    them and is removed by index, not by position).
    """
    estimator.fit(X)
    indices = np.asarray(estimator.kneighbors(X, return_distance=False), dtype=np.intp)
    if indices.shape[1] < k + 1:
        raise ValueError(
            f"The neighbours estimator returned {indices.shape[1]} neighbours per row, but "
            f"{k + 1} are needed (k={k} plus the row itself): set its n_neighbors to {k + 1}."
        )
    return drop_self(indices, indices.shape[1] - 1)


def neighbors_graph_to_csr(
    indices: NDArray[np.intp],
    distances: NDArray[np.floating] | None,
    n_samples_fit: int,
    mode: str,
) -> Any:
    """Build sklearn's ``kneighbors_graph`` CSR matrix from neighbour indices (and distances)."""
    from scipy import sparse

    n_queries, k = indices.shape
    if mode == "connectivity":
        data = np.ones(n_queries * k)
    elif mode == "distance":
        if distances is None:
            raise ValueError("mode='distance' needs the distances")
        data = np.asarray(distances, dtype=np.float64).ravel()
    else:
        raise ValueError(
            f"Unsupported mode {mode!r} for kneighbors_graph: use 'connectivity' or 'distance'."
        )
    indptr = np.arange(0, n_queries * k + 1, k)
    return sparse.csr_matrix((data, indices.ravel(), indptr), shape=(n_queries, n_samples_fit))

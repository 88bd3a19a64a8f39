"""Exact k-nearest neighbours over row blocks: one top-k per pair of blocks, then a merge.

A class small enough for one worker is one block, and its search is a single call of the
neighbour layer. A larger class is cut into blocks; every (query block, data block) pair is a
task that fits the neighbour estimator on the data block and keeps each query's ``k`` best, and
one task per query block merges those lists by (distance, row number). Because smotekit's exact
search ranks by an exactly computed float64 distance with ties broken by row number, the merged
lists are the ones a single search over the whole class would give: cutting a class into blocks
never changes its neighbour graph.

Everything here is plain NumPy on already gathered blocks, so every blockwise executor (Dask's
task graph, the local one that streams partitions) runs the same functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone

from smotekit.neighbors import self_entries

__all__ = ["block_topk", "drop_own", "keep_others", "merge_topk"]


def block_topk(
    estimator: Any, queries: NDArray[Any], data: NDArray[Any], n: int, offset: int
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Each query's ``n`` nearest rows of ``data`` (fewer if ``data`` is shorter).

    Returns distances and row numbers shifted by ``offset`` (the block's first row number), so
    lists from different blocks can be merged.
    """
    n = min(n, data.shape[0])
    if n == 0 or queries.shape[0] == 0:
        return np.empty((queries.shape[0], 0)), np.empty((queries.shape[0], 0), dtype=np.intp)
    nn = clone(estimator).fit(data)
    dist, ind = nn.kneighbors(queries, n_neighbors=n, return_distance=True)
    return np.asarray(dist, dtype=np.float64), np.asarray(ind, dtype=np.intp) + offset


def merge_topk(pieces: list[tuple[NDArray[Any], ...]], n: int) -> tuple[NDArray[Any], ...]:
    """Merge per-block neighbour lists into each query's ``n`` best, by distance then row number.

    Each piece is ``(distances, row numbers, *payload)``; payload arrays (for example the
    neighbours' labels) are reordered along.

    Examples
    --------
    >>> import numpy as np
    >>> a = (np.array([[0.0, 2.0]]), np.array([[0, 1]]))
    >>> b = (np.array([[1.0, 2.0]]), np.array([[5, 4]]))
    >>> merge_topk([a, b], 3)[1]
    array([[0, 5, 1]])
    """
    columns = [np.concatenate([p[i] for p in pieces], axis=1) for i in range(len(pieces[0]))]
    order = np.lexsort((columns[1], columns[0]), axis=-1)[:, :n]
    rows = np.arange(columns[0].shape[0])[:, np.newaxis]
    return tuple(c[rows, order] for c in columns)


def drop_own(ind: NDArray[Any], own: NDArray[Any], k: int) -> NDArray[Any]:
    """Remove each query's own row number (``own[i]``) from its list, keeping ``k`` columns.

    Self is excluded by row number, not by position, with the neighbour layer's rule (where the
    row is missing from its own list, the farthest entry goes).

    Examples
    --------
    >>> import numpy as np
    >>> drop_own(np.array([[7, 3, 9], [3, 7, 9]]), np.array([3, 3]), 2)
    array([[7, 9],
           [7, 9]])
    """
    return keep_others(ind, self_entries(ind, own), k)


def keep_others(values: NDArray[Any], marks: NDArray[np.bool_], k: int) -> NDArray[Any]:
    """``values`` without the marked entry of each row, ``k`` columns kept."""
    return values[~marks].reshape(values.shape[0], values.shape[1] - 1)[:, :k]

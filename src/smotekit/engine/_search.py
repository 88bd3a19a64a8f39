"""Answering a rule's :class:`~smotekit.engine._rule.NeighborQuery` on rows held in memory.

Both executors hold the rows of each class they grow, so class-scope queries are answered here
for both; queries over all rows are answered here in memory and blockwise (a top-k per
partition, merged) by :mod:`smotekit.engine._blockwise`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._validation import check_class_large_enough, check_data_large_enough
from smotekit.engine._rule import Answer, NeighborQuery
from smotekit.neighbors import within_class_neighbors
from smotekit.neighbors._blockwise import drop_own

__all__ = ["check_query", "search_class", "search_fitted"]


def check_query(query: NeighborQuery, n_rows: int, label: Any) -> None:
    """The rows searched must hold ``k`` neighbours besides the asking row."""
    if query.k is None:
        return
    if query.scope == "class":
        check_class_large_enough(n_rows, query.k, label, query.param, query.value)
    else:
        check_data_large_enough(n_rows, query.k, query.param, query.value, query.owner)


def _width(query: NeighborQuery, indices: NDArray[np.intp]) -> int:
    """Neighbours kept per row: ``k``, or all the estimator returns less the row itself."""
    return indices.shape[1] - 1 if query.k is None else query.k


def search_class(query: NeighborQuery, X_class: Any, asking: NDArray[np.intp] | None) -> Answer:
    """Neighbours within the class of the class rows ``asking`` (all rows when ``None``)."""
    if asking is None:
        k = query.k if query.k is not None else 1
        return Answer(within_class_neighbors(query.estimator, X_class, k))
    query.estimator.fit(X_class)
    return search_fitted(query, query.estimator, X_class, asking)


def search_fitted(query: NeighborQuery, fitted: Any, X_fit: Any, rows: NDArray[np.intp]) -> Answer:
    """Neighbours of the training rows ``rows`` of a fitted estimator, their own index removed."""
    indices = np.asarray(fitted.kneighbors(X_fit[rows], return_distance=False), dtype=np.intp)
    return Answer(drop_own(indices, rows, _width(query, indices)), scope=query.scope)

"""Neighbourhood rules that several oversamplers share (Borderline-SMOTE, SVM-SMOTE, ADASYN).

How many of a sample's ``m`` nearest neighbours (in the whole data set, the sample itself
excluded by index) belong to another class, and the "danger" and "noise" tests built on that
count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._validation import check_data_large_enough
from smotekit.neighbors._blockwise import drop_own
from smotekit.over_sampling._base import neighbors_count

__all__ = ["fit_neighbors", "in_danger", "is_noise", "neighbors_of_rows", "other_class_counts"]


def fit_neighbors(estimator: Any, X: Any, param_value: Any, param_name: str, owner: str) -> Any:
    """Fit a ``k + 1``-neighbour estimator on ``X``, with a clear error where ``X`` is too small."""
    k = neighbors_count(param_value)
    if k is not None:
        check_data_large_enough(X.shape[0], k, param_name, param_value, owner)
    return estimator.fit(X)


def neighbors_of_rows(estimator: Any, X_fit: Any, rows: NDArray[np.intp]) -> NDArray[np.intp]:
    """Neighbours of the training rows ``rows`` of a fitted estimator, each row's own index removed.

    The estimator was fitted on ``X_fit`` and returns ``k + 1`` neighbours per query; the result
    has ``k`` columns of row numbers of ``X_fit``, in the search's order. The query row is removed
    by index (not by assuming it comes first, which duplicates make false).
    """
    indices = np.asarray(estimator.kneighbors(X_fit[rows], return_distance=False), dtype=np.intp)
    return drop_own(indices, rows, indices.shape[1] - 1)


def other_class_counts(
    estimator: Any, X: Any, y: NDArray[Any], rows: NDArray[np.intp], label: Any
) -> tuple[NDArray[np.intp], int]:
    """Per row of ``rows``: how many of its ``m`` nearest neighbours in ``X`` are not ``label``.

    ``estimator`` is fitted on the whole ``X``; ``m`` is its ``n_neighbors - 1`` (the row itself
    is one of the ``n_neighbors`` returned), as in imbalanced-learn.
    """
    graph = neighbors_of_rows(estimator, X, rows)
    m = int(getattr(estimator, "n_neighbors", graph.shape[1] + 1)) - 1
    return np.count_nonzero(y[graph] != label, axis=1), m


def in_danger(n_other: NDArray[np.intp], m: int) -> NDArray[np.bool_]:
    """At least half, but not all, of the ``m`` neighbours belong to other classes."""
    return (n_other >= m / 2) & (n_other < m)


def is_noise(n_other: NDArray[np.intp], m: int) -> NDArray[np.bool_]:
    """Every one of the ``m`` neighbours belongs to another class."""
    return n_other == m

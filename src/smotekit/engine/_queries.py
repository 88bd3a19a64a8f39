"""The two special neighbour queries: SMOTE-N's value-difference metric and ProWSyn's peel.

Both are :class:`~smotekit.engine._special.ClassQuery` s, answered the same way in memory
(the data as one partition) and blockwise (over the partitions), so both executors give the
same answer:

* :class:`VDMQuery`: each class row's ``k + 1`` nearest class rows (itself included) under the
  value-difference metric, whose class frequencies come from a count pass over all rows;
  ties fall as in scikit-learn's search on a precomputed matrix (``numpy.argpartition``);
* :class:`PeelQuery`: each class row's proximity level, found by ``levels - 1`` rounds in
  which every row of the other classes takes its ``k`` nearest remaining class rows (one pass
  over the data per round; the union of per-partition answers is the whole answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from smotekit._validation import check_class_large_enough
from smotekit.engine._rule import ClassJob
from smotekit.engine._special import Data

__all__ = ["VDM_BLOCK_CELLS", "PeelQuery", "VDMQuery", "peel_levels", "vdm_neighborhoods"]

# Budget of one block of the VDM distance matrix (query rows x class rows), in cells.
VDM_BLOCK_CELLS = 1 << 22


def vdm_neighborhoods(vdm: Any, X_class: NDArray[Any], k: int) -> NDArray[np.intp]:
    """Each row's ``k`` nearest rows of the class under VDM, the row itself included.

    The set is chosen exactly as scikit-learn's ``NearestNeighbors(metric="precomputed")``
    chooses it (``numpy.argpartition`` of each distance row), so ties, which are everywhere in
    categorical data, fall the same way as in imbalanced-learn. Only a block of distance rows
    exists at a time, never the full ``m x m`` matrix.
    """
    m = X_class.shape[0]
    block = max(1, VDM_BLOCK_CELLS // m)
    out = np.empty((m, k), dtype=np.intp)
    for start in range(0, m, block):
        dist = vdm.pairwise(X_class[start : start + block], X_class)
        out[start : start + block] = np.argpartition(dist, k - 1, axis=1)[:, :k]
    return out


def _category_counts(data: Data) -> dict[Any, list[NDArray[np.int64]]]:
    """Per class, per feature: how many rows hold each category code (one pass)."""
    counts: dict[Any, list[NDArray[np.int64]]] = {}
    for X_part, y_part in data():
        X_part, y_part = np.asarray(X_part), np.asarray(y_part)
        for label in np.unique(y_part).tolist():
            rows = X_part[y_part == label].astype(np.intp, copy=False)
            known = counts.setdefault(label, [np.zeros(0, np.int64)] * rows.shape[1])
            for j in range(rows.shape[1]):
                new = np.bincount(rows[:, j])
                size = max(new.size, known[j].size)
                known[j] = np.pad(known[j], (0, size - known[j].size))
                known[j][: new.size] += new
    return counts


def fit_vdm(counts: dict[Any, list[NDArray[np.int64]]]) -> Any:
    """imbalanced-learn's ``ValueDifferenceMetric`` fitted from category counts.

    The same class frequencies as ``ValueDifferenceMetric().fit(X, y)`` on the rows counted
    (counts per category and class, divided by the category's count), so the same distances.
    """
    from imblearn.metrics.pairwise import ValueDifferenceMetric

    labels = sorted(counts)
    n_features = len(counts[labels[0]])
    n_categories = np.array(
        [max(counts[label][j].size for label in labels) for j in range(n_features)]
    )
    vdm = ValueDifferenceMetric(n_categories=n_categories.tolist())
    vdm.n_features_in_ = n_features
    vdm.n_categories_ = n_categories
    vdm.proba_per_class_ = []
    for j, n_cat in enumerate(n_categories):
        table = np.zeros((n_cat, len(labels)), dtype=np.float64)
        for c, label in enumerate(labels):
            table[: counts[label][j].size, c] = counts[label][j]
        with np.errstate(invalid="ignore"):
            table /= table.sum(axis=1).reshape(-1, 1)
        vdm.proba_per_class_.append(np.nan_to_num(table, copy=False))
    return vdm


@dataclass(frozen=True)
class VDMQuery:
    """SMOTE-N's neighbourhoods: ``k`` nearest class rows under VDM, plus the row itself.

    Rows are integer category codes. ``estimator`` (``None`` for an int ``k``) is a user's
    search, fitted on the class's full precomputed distance matrix as imbalanced-learn does;
    otherwise the matrix is searched block by block (:func:`vdm_neighborhoods`).
    """

    name: str
    k: int | None
    estimator: Any = None
    param: str = "k_neighbors"
    reads_data: ClassVar[bool] = True  # the VDM is fitted on every row's categories

    def summary(self, data: Data) -> Any:
        return fit_vdm(_category_counts(data))

    def answer(self, job: ClassJob, X_class: Any, data: Data, summary: Any) -> NDArray[np.intp]:
        if self.estimator is None:
            assert self.k is not None
            check_class_large_enough(X_class.shape[0], self.k, job.label)
            return vdm_neighborhoods(summary, X_class, self.k + 1)
        dist = summary.pairwise(X_class)
        self.estimator.fit(dist)
        return np.asarray(self.estimator.kneighbors(dist, return_distance=False), dtype=np.intp)


def peel_levels(
    estimator: Any, X_class: Any, other_parts: Data, k: int, n_levels: int
) -> NDArray[np.intp]:
    """Proximity level (1 = nearest the other classes) of every row of a class.

    Level 1 holds the class rows that are among the ``k`` nearest class rows of some row of the
    other classes (``other_parts()`` yields them in pieces); they are set aside and level 2 is
    found the same way among the rest, and so on; the rows left after ``n_levels - 1`` rounds
    get level ``n_levels``.
    """
    m = X_class.shape[0]
    levels = np.full(m, n_levels, dtype=np.intp)
    remaining = np.arange(m)
    for level in range(1, n_levels):
        if remaining.size == 0:
            break
        estimator.fit(X_class[remaining])
        nearest = [
            np.asarray(
                estimator.kneighbors(
                    X_other, n_neighbors=min(k, remaining.size), return_distance=False
                ),
                dtype=np.intp,
            ).ravel()
            for X_other, _ in other_parts()
            if X_other.shape[0]
        ]
        if not nearest:
            break
        chosen = np.unique(np.concatenate(nearest))
        levels[remaining[chosen]] = level
        remaining = np.delete(remaining, chosen)
    return levels


@dataclass(frozen=True)
class PeelQuery:
    """ProWSyn's proximity levels of a class's rows (see :func:`peel_levels`)."""

    name: str
    k: int
    levels: int
    estimator: Any
    reads_data: ClassVar[bool] = True  # each level is a pass over the other classes' rows

    def summary(self, data: Data) -> None:
        return None

    def answer(self, job: ClassJob, X_class: Any, data: Data, summary: Any) -> NDArray[np.intp]:
        def others() -> Any:
            for X_part, y_part in data():
                yield X_part[np.flatnonzero(np.asarray(y_part) != job.label)], None

        return peel_levels(self.estimator, X_class, others, self.k, self.levels)

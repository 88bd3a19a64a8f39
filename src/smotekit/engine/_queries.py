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

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone

from smotekit._validation import check_class_large_enough
from smotekit.engine._rule import ClassJob
from smotekit.engine._special import ClassQuery

__all__ = [
    "VDM_BLOCK_CELLS",
    "PeelQuery",
    "PeelState",
    "VDMQuery",
    "add_counts",
    "category_counts",
    "fit_vdm",
    "peel_levels",
    "vdm_neighborhoods",
]

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


def category_counts(X_part: Any, y_part: Any) -> dict[Any, list[NDArray[np.int64]]]:
    """Per class, per feature: how many rows of one partition hold each category code."""
    X_part, y_part = np.asarray(X_part), np.asarray(y_part)
    counts = {}
    for label in np.unique(y_part).tolist():
        rows = X_part[y_part == label].astype(np.intp, copy=False)
        counts[label] = [np.bincount(rows[:, j]).astype(np.int64) for j in range(rows.shape[1])]
    return counts


def add_counts(
    pieces: list[dict[Any, list[NDArray[np.int64]]]],
) -> dict[Any, list[NDArray[np.int64]]]:
    """The partitions' :func:`category_counts` summed: the counts of all rows (exact integers)."""
    total: dict[Any, list[NDArray[np.int64]]] = {}
    for piece in pieces:
        for label, features in piece.items():
            known = total.setdefault(label, [np.zeros(0, np.int64)] * len(features))
            for j, new in enumerate(features):
                size = max(new.size, known[j].size)
                known[j] = np.pad(known[j], (0, size - known[j].size))
                known[j][: new.size] += new
    return total


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
class VDMQuery(ClassQuery):
    """SMOTE-N's neighbourhoods: ``k`` nearest class rows under VDM, plus the row itself.

    Rows are integer category codes. The summary is the VDM, fitted from the category counts of
    every partition (:func:`category_counts`), summed (:func:`add_counts`): the same numbers as
    a fit on all rows. ``estimator`` (``None`` for an int ``k``) is a user's search, fitted on
    the class's full precomputed distance matrix as imbalanced-learn does; otherwise the matrix
    is searched block by block (:func:`vdm_neighborhoods`). Either way the class is answered
    whole (``numpy.argpartition``'s ties depend on all its rows).
    """

    name: str
    k: int | None
    estimator: Any = None
    param: str = "k_neighbors"
    needs_summary: ClassVar[bool] = True

    def summary_piece(self, X_part: Any, y_part: Any) -> dict[Any, list[NDArray[np.int64]]]:
        return category_counts(X_part, y_part)

    def combine(self, pieces: list[dict[Any, list[NDArray[np.int64]]]]) -> Any:
        return fit_vdm(add_counts(pieces))

    def check(self, n_class: int, label: Any) -> None:
        if self.estimator is None:
            assert self.k is not None
            check_class_large_enough(n_class, self.k, label)

    def start(self, job: ClassJob, X_class: Any, summary: Any) -> NDArray[np.intp]:
        self.check(X_class.shape[0], job.label)
        if self.estimator is None:
            assert self.k is not None
            return vdm_neighborhoods(summary, X_class, self.k + 1)
        dist = summary.pairwise(X_class)
        self.estimator.fit(dist)
        return np.asarray(self.estimator.kneighbors(dist, return_distance=False), dtype=np.intp)


@dataclass(frozen=True)
class PeelState:
    """Where a class's peel stands: the level the next round sets, on the remaining rows."""

    label: Any
    X_class: Any
    levels: NDArray[np.intp]
    remaining: NDArray[np.intp]  # class-local rows without a level yet
    level: int
    search: Any  # fitted on the remaining rows; None when no round is left or none remains


@dataclass(frozen=True)
class PeelQuery(ClassQuery):
    """ProWSyn's proximity levels of a class's rows.

    Level 1 holds the class rows that are among the ``k`` nearest class rows of some row of the
    other classes; they are set aside and level 2 is found the same way among the rest, and so
    on; the rows left after ``levels - 1`` rounds get level ``levels``. Each round is a pass in
    which every other-class row of a partition asks the remaining rows (:meth:`round_piece`);
    those rows' answers do not depend on each other, so the union of the partitions' pieces
    (:meth:`merge_round`) is the whole round's.
    """

    name: str
    k: int
    levels: int
    estimator: Any

    @property
    def rounds(self) -> int:
        return max(0, self.levels - 1)

    def start(self, job: ClassJob, X_class: Any, summary: Any) -> PeelState:
        m = X_class.shape[0]
        levels = np.full(m, self.levels, dtype=np.intp)
        return self._fitted(PeelState(job.label, X_class, levels, np.arange(m), 1, None))

    def _fitted(self, state: PeelState) -> PeelState:
        # A fresh search per round: states may be read concurrently (Dask tasks).
        if state.level >= self.levels or state.remaining.size == 0:
            return state
        search = clone(self.estimator).fit(state.X_class[state.remaining])
        return replace(state, search=search)

    def round_piece(self, state: PeelState, X_part: Any, y_part: Any) -> NDArray[np.intp]:
        """The remaining rows (positions among them) nearest some other-class row of the part."""
        X_other = X_part[np.flatnonzero(np.asarray(y_part) != state.label)]  # sparse too
        if state.search is None or X_other.shape[0] == 0:
            return np.empty(0, dtype=np.intp)
        n = min(self.k, state.remaining.size)
        nearest = state.search.kneighbors(X_other, n_neighbors=n, return_distance=False)
        return np.unique(np.asarray(nearest, dtype=np.intp))

    def merge_round(self, state: PeelState, pieces: list[NDArray[np.intp]]) -> PeelState:
        chosen = np.unique(np.concatenate([np.empty(0, dtype=np.intp), *pieces]))
        levels = state.levels.copy()
        levels[state.remaining[chosen]] = state.level
        remaining = np.delete(state.remaining, chosen)
        return self._fitted(
            replace(state, levels=levels, remaining=remaining, level=state.level + 1, search=None)
        )

    def answer(self, state: PeelState) -> NDArray[np.intp]:
        return state.levels


def peel_levels(
    estimator: Any, X_class: Any, X_other: Any, k: int, n_levels: int
) -> NDArray[np.intp]:
    """Proximity level (1 = nearest the other classes) of every row of a class.

    ``X_other`` holds the other classes' rows; see :class:`PeelQuery`, whose pieces this runs
    on one partition.
    """
    query = PeelQuery("levels", k, n_levels, estimator)
    # Every row of X_other is of another class: label them 0, the class 1.
    y_other = np.zeros(X_other.shape[0], dtype=np.int8)
    state = query.start(ClassJob(1, X_class.shape[0], 0), X_class, None)
    for _ in range(query.rounds):
        state = query.merge_round(state, [query.round_piece(state, X_other, y_other)])
    return query.answer(state)

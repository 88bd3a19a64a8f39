"""Edited nearest neighbours: imbalanced-learn's cleaner, searched and decided in bulk."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from imblearn.under_sampling import EditedNearestNeighbours as _ImblearnENN
from numpy.typing import NDArray
from sklearn.utils import _safe_indexing

from smotekit.engine._cleaning import CleaningRule, Piece
from smotekit.under_sampling._sklearn_order import (
    RankedWindow,
    WindowSearch,
    class_codes,
    fast_path_applies,
    mixed_labels,
    sklearn_kneighbors,
    sklearn_uses_brute,
)

__all__ = ["ENNRule", "EditedNearestNeighbours"]

# Columns searched beyond the neighbourhood, to see whether its edge is tied with the next row
# (every extra column costs search time on every row).
EXTRA_COLUMNS = 1


def smallest_mode(labels: NDArray[Any]) -> NDArray[Any]:
    """Per row, the most frequent label, the smallest among equally frequent ones.

    The rule of ``scipy.stats.mode``, which imbalanced-learn uses, without its per-row cost.

    Examples
    --------
    >>> smallest_mode(np.array([[2, 1, 2], [3, 1, 2], [0, 0, 1]]))
    array([2, 1, 0])
    """
    ordered = np.sort(labels, axis=1)
    n, width = ordered.shape
    columns = np.arange(width)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    # Each run ends where the next one starts (or at the row's end).
    next_start = np.minimum.accumulate(np.where(starts, columns, width)[:, ::-1], axis=1)[:, ::-1]
    run_end = np.full(ordered.shape, width)
    run_end[:, :-1] = next_start[:, 1:]
    lengths = np.where(starts, run_end - columns, 0)
    return ordered[np.arange(n), np.argmax(lengths, axis=1)]


def agree(kind_sel: str, labels: NDArray[Any], own: NDArray[Any]) -> NDArray[np.bool_]:
    """Whether each row's neighbours (``labels``, one row per row) keep it, by ``kind_sel``.

    Examples
    --------
    >>> agree("mode", np.array([[1, 1, 0], [0, 0, 1]]), np.array([1, 1])).tolist()
    [True, False]
    """
    if kind_sel == "mode":
        if labels.shape[1] == 0:
            return np.zeros(own.shape, dtype=bool)  # scipy's mode of nothing is NaN
        return np.asarray(smallest_mode(labels) == own)
    return np.asarray((labels == own[:, np.newaxis]).all(axis=1))


@dataclass(frozen=True)
class ENNRule(CleaningRule):
    """Edited nearest neighbours' rule: a row of a cleaned class goes when its ``n_neighbors``
    nearest rows do not keep it (``kind_sel``); the rows kept are listed class by class.

    Examples
    --------
    >>> from smotekit.engine._cleaning import clean_in_memory
    >>> X = np.array([[0.0], [0.1], [0.2], [0.15], [5.0], [5.1], [5.2]])
    >>> y = np.array([0, 0, 0, 1, 1, 1, 1])
    >>> clean_in_memory(ENNRule(3, kind_sel="mode"), X, y).tolist()
    [0, 1, 2, 4, 5, 6]
    """

    kind_sel: str = "all"
    by_class: ClassVar[bool] = True

    def asks(self, labels: NDArray[Any], cleaned: list[Any]) -> NDArray[np.bool_]:
        return np.isin(labels, np.array(cleaned, dtype=np.asarray(labels).dtype))

    def local(
        self,
        ids: NDArray[np.int64],
        own: NDArray[Any],
        neighbours: NDArray[np.intp],
        labels: NDArray[Any],
        cleaned: list[Any],
    ) -> Piece:
        return (ids[~agree(self.kind_sel, labels, own)],)

    def removed(self, pieces: list[Piece]) -> NDArray[np.int64]:
        return np.sort(np.concatenate([piece[0] for piece in pieces])).astype(np.int64)


class EditedNearestNeighbours(_ImblearnENN):
    """Undersample with edited nearest neighbours: imbalanced-learn's, faster, same rows.

    A drop-in for ``imblearn.under_sampling.EditedNearestNeighbours``: the same parameters, the
    same kept rows in the same order (``sample_indices_``) for every input, ties and duplicate
    rows included. A row of a class to clean is removed when all (``kind_sel="all"``) or most
    (``"mode"``) of its ``n_neighbors`` nearest rows are of another class.

    With an int ``n_neighbors`` (or a Euclidean ``sklearn.neighbors.NearestNeighbors``) the
    neighbours of every row are found by smotekit's exact search over all cores and the rule is
    applied to all rows at once. Any other neighbours object is used as imbalanced-learn uses it.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        The classes to clean, as in imbalanced-learn.
    n_neighbors : int or estimator, default=3
        Neighbours that vote, or an estimator with ``kneighbors`` that returns them plus the row
        itself (pass 4 neighbours to look at 3).
    kind_sel : {"all", "mode"}, default="all"
        ``"all"``: a row stays only when all its neighbours share its class; ``"mode"``: when
        the most frequent class among them (the smallest label among equally frequent ones) is
        its class.
    n_jobs : int, default=None
        Threads of the neighbour search (``None``: every core for smotekit's search, as given
        for scikit-learn's).

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned.
    nn_ : estimator
        The neighbours estimator built from ``n_neighbors``. Unlike imbalanced-learn's it is
        fitted only where scikit-learn was asked about ties.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept, class by class in sorted label order.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    Notes
    -----
    **Ties.** imbalanced-learn's outcome for a row can hang on the order scikit-learn gives to
    tied neighbours, which no other search reproduces (it follows the kd-tree's traversal, or
    above 15 features the brute-force scan's split over threads): the neighbour dropped as
    "self" is whichever row scikit-learn lists first among those at distance 0, so with a
    duplicate of another class it decides the vote; and among rows equally far at the last
    place, scikit-learn decides which one is in. smotekit finds the rows where such a tie (or a
    near-tie within scikit-learn's rounding) involves different classes and asks scikit-learn
    about those rows only, as imbalanced-learn's query would answer them. The output is always
    imbalanced-learn's; on data where most rows are tied across classes (a few distinct rows
    repeated), scikit-learn answers every row and the speed is imbalanced-learn's.

    ``kind_sel="mode"`` works for string labels too, where imbalanced-learn's (through
    ``scipy.stats.mode``) raises.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.under_sampling import EditedNearestNeighbours
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, size=(100, 2)), rng.normal(1, 1, size=(20, 2))])
    >>> y = np.array([0] * 100 + [1] * 20)
    >>> X_res, y_res = EditedNearestNeighbours().fit_resample(X, y)
    >>> np.bincount(y_res)
    array([69, 20])
    """

    def _fit_resample(self, X: Any, y: NDArray[Any]) -> tuple[Any, NDArray[Any]]:
        self._validate_estimator()
        classes, codes = class_codes(y)
        cleaned = np.array([label in self.sampling_strategy_ for label in classes])
        keep = np.ones(len(y), dtype=bool)
        rows = np.flatnonzero(cleaned[codes])
        if rows.size:
            labels = self._neighbour_labels(X, codes, rows)
            keep[rows] = self._agree(labels, codes[rows])
        kept = np.flatnonzero(keep)
        # imbalanced-learn lists the kept rows class by class, in sorted label order.
        self.sample_indices_ = kept[np.argsort(codes[kept], kind="stable")]
        return _safe_indexing(X, self.sample_indices_), _safe_indexing(y, self.sample_indices_)

    def _agree(self, labels: NDArray[Any], own: NDArray[Any]) -> NDArray[np.bool_]:
        """Whether each row's neighbours keep it (``kind_sel``)."""
        return agree(self.kind_sel, labels, own)

    def _rule(self) -> ENNRule:
        """The engine's rule of this cleaner (an int ``n_neighbors``, or an estimator's)."""
        k = self.n_neighbors
        if not isinstance(k, numbers.Integral):
            k = getattr(k, "n_neighbors", None)
            if not isinstance(k, numbers.Integral):
                raise ValueError(
                    f"n_neighbors={self.n_neighbors!r}: a blockwise run needs the number of "
                    "neighbours; pass an int or an estimator with an n_neighbors attribute."
                )
            k -= 1  # an estimator's neighbours include the row itself
        return ENNRule(int(k), self.sampling_strategy, self.n_jobs, kind_sel=self.kind_sel)

    def _neighbour_labels(
        self, X: Any, codes: NDArray[Any], rows: NDArray[np.intp]
    ) -> NDArray[Any]:
        """Class codes of the neighbours imbalanced-learn's query gives ``rows`` (self dropped)."""
        nn = self.nn_
        k = getattr(nn, "n_neighbors", None)
        if not isinstance(k, numbers.Integral) or not fast_path_applies(nn, X, int(k)):
            return self._labels_by_class(X, codes, rows)
        k = int(k)

        brute = sklearn_uses_brute(nn, *X.shape)
        search = WindowSearch(X, k + EXTRA_COLUMNS, brute, self.n_jobs)
        if search.mostly_tied(rows, lambda window, _: self._hangs_on_ties(window, codes, k)):
            return self._labels_by_class(X, codes, rows)
        labels = np.empty((rows.size, k - 1), dtype=codes.dtype)
        asked = []
        for place, window in search.blocks(rows):
            labels[place] = codes[window.ind[:, 1:k]]
            asked.append(place[self._hangs_on_ties(window, codes, k)])
        unsure = np.sort(np.concatenate(asked))
        if unsure.size:
            nn.fit(X)
            # imbalanced-learn queries one class at a time; scikit-learn's brute force orders
            # ties by the size of that query.
            for code in np.unique(codes[rows[unsure]]):
                class_rows = np.flatnonzero(codes == code)
                in_class = unsure[codes[rows[unsure]] == code]
                position = np.searchsorted(class_rows, rows[in_class])
                ind = sklearn_kneighbors(nn, X, class_rows, position)
                labels[in_class] = codes[ind[:, 1:]]
        return labels

    @staticmethod
    def _hangs_on_ties(window: RankedWindow, codes: NDArray[Any], k: int) -> NDArray[np.bool_]:
        """Rows whose neighbours' classes depend on how scikit-learn orders ties.

        They do not where whatever scikit-learn may drop as "self" (the rows as near as the
        nearest) and whatever may swap across the neighbourhood's edge share one class.
        """
        near_labels = codes[window.ind]
        first = window.near(0, 0)
        hangs = mixed_labels(near_labels, first) | window.open_ended(first)
        if k < window.ind.shape[1]:
            edge = window.near(k, k - 1) & window.swappable(k)[:, np.newaxis]
            hangs |= mixed_labels(near_labels, edge) | window.open_ended(edge)
        return hangs

    def _labels_by_class(self, X: Any, codes: NDArray[Any], rows: NDArray[np.intp]) -> NDArray[Any]:
        """imbalanced-learn's own queries, one class at a time, with any neighbours object."""
        self.nn_.fit(X)
        labels: NDArray[Any] | None = None
        for code in np.unique(codes[rows]):
            class_rows = np.flatnonzero(codes == code)
            ind = np.asarray(
                self.nn_.kneighbors(_safe_indexing(X, class_rows), return_distance=False)
            )
            if labels is None:
                labels = np.empty((rows.size, ind.shape[1] - 1), dtype=codes.dtype)
            labels[np.searchsorted(rows, class_rows)] = codes[ind[:, 1:]]
        assert labels is not None
        return labels

"""Tomek links: imbalanced-learn's cleaner, searched and decided in bulk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from imblearn.under_sampling import TomekLinks as _ImblearnTomekLinks
from numpy.typing import NDArray
from sklearn.utils import _safe_indexing

from smotekit.engine._cleaning import CleaningRule, Piece
from smotekit.under_sampling._sklearn_order import (
    RankedWindow,
    WindowSearch,
    class_codes,
    fast_path_applies,
    sklearn_kneighbors,
    sklearn_uses_brute,
)

__all__ = ["TomekLinks", "TomekRule"]

# imbalanced-learn takes column 1 of a 2-neighbour query; one more column shows whether the
# second place is tied with the third (every extra column costs search time on every row).
WINDOW = 3


def _second_entries(nn: Any, X: Any) -> NDArray[np.intp]:
    """imbalanced-learn's own query: column 1 of every row's 2-nearest list."""
    return np.asarray(nn.kneighbors(X, return_distance=False)[:, 1], dtype=np.intp)


@dataclass(frozen=True)
class TomekRule(CleaningRule):
    """Tomek links' rule: two rows of different classes, each the other's nearest row, are a
    link; the linked rows of the cleaned classes go, the rows kept stay in row order.

    Each group of rows offers its rows whose nearest row is of another class; the links are the
    mutual ones among all offers.

    Examples
    --------
    >>> from smotekit.engine._cleaning import clean_in_memory
    >>> X = np.array([[0.0], [0.9], [1.0], [3.0], [3.2]])
    >>> clean_in_memory(TomekRule(), X, np.array([0, 0, 1, 1, 1])).tolist()
    [0, 3, 4]
    """

    n_neighbors: int = 1

    def local(
        self,
        ids: NDArray[np.int64],
        own: NDArray[Any],
        neighbours: NDArray[np.intp],
        labels: NDArray[Any],
        cleaned: list[Any],
    ) -> Piece:
        across = labels[:, 0] != own
        included = np.isin(own[across], np.array(cleaned, dtype=own.dtype))
        return ids[across], neighbours[across, 0].astype(np.int64), included

    def removed(self, pieces: list[Piece]) -> NDArray[np.int64]:
        rows, nearest, included = (np.concatenate([p[i] for p in pieces]) for i in range(3))
        order = np.argsort(rows, kind="stable")
        rows, nearest, included = rows[order], nearest[order], included[order]
        # Row i is linked when its nearest row j offered i as its own nearest row.
        at = np.minimum(np.searchsorted(rows, nearest), max(rows.size - 1, 0))
        mutual = (rows[at] == nearest) & (nearest[at] == rows) if rows.size else included
        return rows[mutual & included]


class TomekLinks(_ImblearnTomekLinks):
    """Remove Tomek links: imbalanced-learn's, faster, same rows.

    A drop-in for ``imblearn.under_sampling.TomekLinks``: the same parameters and the same kept
    rows (``sample_indices_``) for every input, ties and duplicate rows included. Two rows of
    different classes form a link when each is the other's nearest neighbour; the linked rows of
    the classes to clean are removed.

    Each row's nearest neighbour is found by smotekit's exact search over all cores, and the
    links are found for all rows at once.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default="auto"
        The classes to clean, as in imbalanced-learn.
    n_jobs : int, default=None
        Threads of the neighbour search (``None``: every core).

    Attributes
    ----------
    sampling_strategy_ : dict
        The classes cleaned.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept, in input order.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    Notes
    -----
    **Ties.** imbalanced-learn takes the second entry of each row's 2-nearest list, the first
    being taken for "self". With duplicate rows or tied distances that entry is whichever row
    scikit-learn's search lists second (the row itself, possibly), an order no other search
    reproduces. smotekit finds the rows where that choice could make or break a link (a tied
    candidate of another class) and asks scikit-learn about those rows only, as
    imbalanced-learn's query would answer them; a tie among rows of the row's own class cannot
    change any link. The output is always imbalanced-learn's; on data where most rows are tied
    across classes, scikit-learn answers every row and the speed is imbalanced-learn's.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.under_sampling import TomekLinks
    >>> X = np.array([[0.0], [0.9], [1.0], [3.0], [3.2]])
    >>> y = np.array([0, 0, 1, 1, 1])
    >>> X_res, y_res = TomekLinks(sampling_strategy="all").fit_resample(X, y)
    >>> X_res.ravel()
    array([0. , 3. , 3.2])
    """

    @staticmethod
    def is_tomek(y: Any, nn_index: Any, class_type: Any) -> NDArray[np.bool_]:
        """Mark the rows of the classes in ``class_type`` that form a Tomek link.

        imbalanced-learn's rule, for all rows at once: row ``i`` is linked when its nearest
        neighbour ``nn_index[i]`` is of another class and has ``i`` as its own nearest neighbour.

        Parameters
        ----------
        y : ndarray of shape (n_samples,)
            Class of each row.
        nn_index : ndarray of shape (n_samples,)
            Index of each row's nearest neighbour.
        class_type : container
            The classes whose links are reported.

        Returns
        -------
        ndarray of bool of shape (n_samples,)

        Examples
        --------
        >>> TomekLinks.is_tomek(np.array([0, 1, 1]), np.array([1, 0, 1]), {0: 0})
        array([ True, False, False])
        """
        y = np.asarray(y)
        nn_index = np.asarray(nn_index)
        classes, codes = np.unique(y, return_inverse=True)
        included = np.array([label in class_type for label in classes], dtype=bool)
        mutual = nn_index[nn_index] == np.arange(len(y))
        return np.asarray(included[codes] & (codes[nn_index] != codes) & mutual)

    def _rule(self) -> TomekRule:
        """The engine's rule of this cleaner."""
        return TomekRule(sampling_strategy=self.sampling_strategy, n_jobs=self.n_jobs)

    def _fit_resample(self, X: Any, y: NDArray[Any]) -> tuple[Any, NDArray[Any]]:
        links = self.is_tomek(y, self._nearest_other(X, y), self.sampling_strategy_)
        self.sample_indices_ = np.flatnonzero(np.logical_not(links))
        return _safe_indexing(X, self.sample_indices_), _safe_indexing(y, self.sample_indices_)

    def _nearest_other(self, X: Any, y: NDArray[Any]) -> NDArray[np.intp]:
        """Column 1 of imbalanced-learn's ``NearestNeighbors(n_neighbors=2)`` query of all rows.

        Where that column is tied, any tied row of the row's own class serves as well: a
        neighbour of the same class makes no link either way.
        """
        from sklearn.neighbors import NearestNeighbors

        nn = NearestNeighbors(n_neighbors=2, n_jobs=self.n_jobs)
        if not fast_path_applies(nn, X, 2):
            return _second_entries(nn.fit(X), X)

        brute = sklearn_uses_brute(nn, *X.shape)
        search = WindowSearch(X, WINDOW, brute, self.n_jobs)
        codes = class_codes(y)[1]
        all_rows = np.arange(X.shape[0])
        if search.mostly_tied(
            all_rows, lambda window, rows: self._hangs_on_ties(window, codes, codes[rows])
        ):
            return _second_entries(nn.fit(X), X)
        nearest = np.empty(X.shape[0], dtype=np.intp)
        asked = []
        for place, window in search.blocks(all_rows):
            nearest[place] = window.ind[:, 1]
            asked.append(place[self._hangs_on_ties(window, codes, codes[place])])
        unsure_rows = np.sort(np.concatenate(asked))
        if unsure_rows.size:
            nn.fit(X)
            nearest[unsure_rows] = sklearn_kneighbors(nn, X, all_rows, unsure_rows)[:, 1]
        return nearest

    @staticmethod
    def _hangs_on_ties(
        window: RankedWindow, codes: NDArray[Any], own: NDArray[Any]
    ) -> NDArray[np.bool_]:
        """Rows whose second entry depends on how scikit-learn orders ties, and matters.

        It does not matter where every row that could take second place is of the row's own
        class: such a neighbour makes no link, for this row or for any other.
        """
        tied = window.swappable(1) | window.swappable(2)
        candidates = window.near(0, 1)
        own_class = ((codes[window.ind] == own[:, np.newaxis]) | ~candidates).all(axis=1)
        return np.asarray(tied & ~(own_class & ~window.open_ended(candidates)))

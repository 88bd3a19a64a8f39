"""Rare and normal bins of a continuous target, and how many cases each bin should end with.

Imbalanced regression has no classes; the samplers work on *bins* instead: the cases sorted by
``y`` and cut wherever the relevance crosses the threshold, so that each bin is a consecutive run
of rare cases (``phi >= threshold``) or of normal ones. A sampling strategy then says how many
cases every bin ends with. Both steps are pure functions of arrays.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["RelevanceBins", "bin_targets", "relevance_bins"]

STRATEGIES = ("balance", "extreme")


class RelevanceBins(NamedTuple):
    """Consecutive runs of rare or normal cases along the sorted target.

    Bin ``b`` holds the rows ``order[bounds[b]:bounds[b + 1]]`` (ascending ``y``); ``rare[b]``
    says whether its cases have ``phi >= threshold``. Bins are numbered from the lowest ``y``.
    """

    order: NDArray[np.intp]
    bounds: NDArray[np.intp]
    rare: NDArray[np.bool_]

    def __len__(self) -> int:  # type: ignore[override]
        return int(self.rare.size)

    @property
    def sizes(self) -> NDArray[np.intp]:
        """Number of cases per bin."""
        return np.diff(self.bounds)

    def rows(self, b: int) -> NDArray[np.intp]:
        """Row numbers of bin ``b``, by ascending target."""
        return self.order[self.bounds[b] : self.bounds[b + 1]]

    def describe(self, b: int, y: NDArray[Any]) -> str:
        """``"rare bin 2 (12 cases, y from 40.1 to 57.3)"``, for messages."""
        rows = self.rows(b)
        kind = "rare" if self.rare[b] else "normal"
        lo, hi = y[rows[0]], y[rows[-1]]
        cases = f"{rows.size} case{'s' if rows.size != 1 else ''}"
        return f"{kind} bin {b} ({cases}, y from {lo:.6g} to {hi:.6g})"


def relevance_bins(y: ArrayLike, phi: ArrayLike, threshold: float = 0.5) -> RelevanceBins:
    """Cut the cases, sorted by ``y``, into runs of rare (``phi >= threshold``) and normal ones.

    As in UBL's ``SmoteRegress``: the target is sorted (stably, so equal values keep their row
    order; they share one phi and so one bin) and a new bin starts wherever the relevance crosses
    the threshold.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values.
    phi : array-like of shape (n_samples,)
        Their relevance (:func:`relevance`).
    threshold : float, default=0.5
        Cases with ``phi >= threshold`` are rare.

    Returns
    -------
    RelevanceBins

    Examples
    --------
    >>> bins = relevance_bins([5.0, 1.0, 9.0, 2.0], [0.0, 1.0, 1.0, 0.2])
    >>> [bins.rows(b).tolist() for b in range(len(bins))], bins.rare.tolist()
    ([[1], [3, 0], [2]], [True, False, True])
    """
    values = np.asarray(y, dtype=np.float64).ravel()
    relevance = np.asarray(phi, dtype=np.float64).ravel()
    if values.shape != relevance.shape:
        raise ValueError(
            f"y has {values.size} values but phi has {relevance.size}: give one relevance per "
            "target value."
        )
    if values.size == 0:
        raise ValueError("y is empty: there is nothing to cut into bins.")
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a number in [0, 1], got {threshold!r}.")
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(
            f"threshold={threshold!r} is outside [0, 1]: phi lies in [0, 1], and cases with "
            "phi >= threshold are rare (0.5 is the usual choice)."
        )
    order = np.argsort(values, kind="stable")
    is_rare = relevance[order] >= threshold
    cuts = np.flatnonzero(is_rare[1:] != is_rare[:-1]) + 1
    bounds = np.concatenate([[0], cuts, [values.size]]).astype(np.intp)
    return RelevanceBins(order.astype(np.intp), bounds, is_rare[bounds[:-1]])


def _ratios(strategy: Any, n_bins: int) -> NDArray[np.float64]:
    """Per-bin ratios from a sequence (one per bin) or a mapping ``{bin: ratio}``."""
    if isinstance(strategy, Mapping):
        ratios = np.ones(n_bins)
        for b, r in strategy.items():
            if (
                isinstance(b, bool)
                or not isinstance(b, numbers.Integral)
                or not 0 <= int(b) < n_bins
            ):
                raise ValueError(
                    f"sampling_strategy names bin {b!r}, but y has {n_bins} bins numbered 0 to "
                    f"{n_bins - 1} from the lowest target; use those numbers as keys."
                )
            ratios[int(b)] = _ratio(r)
        return ratios
    if len(strategy) != n_bins:
        raise ValueError(
            f"sampling_strategy gives {len(strategy)} ratios but y has {n_bins} bins: give one "
            "ratio per bin in ascending order of y, or a dict {bin: ratio}."
        )
    return np.array([_ratio(r) for r in strategy])


def _ratio(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"sampling_strategy ratios must be numbers, got {value!r}.")
    if not (np.isfinite(float(value)) and float(value) >= 0):
        raise ValueError(
            f"sampling_strategy has the ratio {value!r}: each bin's ratio must be a finite "
            "number >= 0 (1 keeps the bin, 2 doubles it, 0.5 halves it)."
        )
    return float(value)


def bin_targets(
    sizes: ArrayLike,
    rare: ArrayLike,
    strategy: str | Sequence[float] | Mapping[int, float] = "balance",
    *,
    undersample: bool = True,
) -> NDArray[np.int64]:
    """How many cases each bin ends with, under one of the papers' sampling strategies.

    With ``n`` cases in ``B`` bins of sizes ``m_b``, every count is rounded to the nearest
    integer, halves to even:

    * ``"balance"``: every bin towards the average bin size ``round(n / B)`` (UBL's
      ``C.perc = "balance"``);
    * ``"extreme"``: sizes proportional to ``1 / m_b``, scaled so that they add up to
      ``B * round(n / B)``, i.e. ``round(B * round(n / B) / (m_b * sum_j 1 / m_j))``: the
      relative frequencies of the bins are inverted (UBL's ``"extreme"``);
    * a sequence with one ratio per bin (ascending ``y``), or a mapping ``{bin: ratio}`` (other
      bins keep their size): bin ``b`` ends with ``round(m_b * ratio_b)`` cases (UBL's
      ``C.perc`` list).

    Under ``"balance"`` and ``"extreme"`` a rare bin is never shrunk and a normal bin never grown
    (a normal bin keeps its size when ``undersample`` is False). Ratios apply as given, except
    that a ratio below 1 needs ``undersample=True``.

    Parameters
    ----------
    sizes : array-like of int
        Cases per bin (:attr:`RelevanceBins.sizes`).
    rare : array-like of bool
        Whether each bin is rare.
    strategy : {"balance", "extreme"}, sequence of float or mapping, default="balance"
        See above.
    undersample : bool, default=True
        Whether bins may shrink (normal bins under the named strategies).

    Returns
    -------
    ndarray of int64
        Final number of cases per bin.

    Notes
    -----
    UBL computes a ratio per bin, rounds it (to one decimal under ``"extreme"``) and truncates
    ``m_b * ratio``; these counts skip the intermediate rounding, whose floating-point error can
    lose a case (UBL grows a bin of 3 towards 10 to only 9 cases), and round once.

    Examples
    --------
    >>> bin_targets([10, 80, 10], [True, False, True])
    array([33, 33, 33])
    >>> bin_targets([10, 80, 10], [True, False, True], "extreme")
    array([47,  6, 47])
    >>> bin_targets([10, 80, 10], [True, False, True], {2: 2.5}, undersample=False)
    array([10, 80, 25])
    """
    m = np.asarray(sizes, dtype=np.int64)
    is_rare = np.asarray(rare, dtype=bool)
    if m.shape != is_rare.shape or m.ndim != 1 or m.size == 0 or (m < 1).any():
        raise ValueError("sizes and rare must be 1-D of the same length, with every size >= 1.")
    n, n_bins = int(m.sum()), m.size
    if isinstance(strategy, str):
        if strategy not in STRATEGIES:
            raise ValueError(
                f"sampling_strategy={strategy!r} is not 'balance' or 'extreme'; or give a list "
                "of ratios (one per bin) or a dict {bin: ratio}."
            )
        average = np.rint(n / n_bins)
        if strategy == "balance":
            wanted = np.full(n_bins, average)
        else:
            inverse = 1.0 / m
            wanted = np.rint(n_bins * average * inverse / inverse.sum())
        grown = np.maximum(m, wanted)
        shrunk = np.minimum(m, wanted) if undersample else m
        return np.where(is_rare, grown, shrunk).astype(np.int64)
    ratios = _ratios(strategy, n_bins)
    if not undersample and (ratios < 1).any():
        b = int(np.flatnonzero(ratios < 1)[0])
        raise ValueError(
            f"sampling_strategy shrinks bin {b} (ratio {ratios[b]}) but undersample=False: set "
            "undersample=True, or give ratios >= 1."
        )
    return np.rint(m * ratios).astype(np.int64)

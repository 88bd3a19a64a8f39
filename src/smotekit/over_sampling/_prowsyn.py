"""ProWSyn, proximity weighted synthetic oversampling (Barua, Islam and Murase, 2013)."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from numpy.typing import NDArray
from sklearn.utils._param_validation import HasMethods, Interval

from smotekit._kernels import SyntheticPlan
from smotekit._validation import check_class_large_enough, shown, warn_user
from smotekit.engine import ClassJob, PlanPiece, SamplerRule, Segment, Uniform
from smotekit.engine._queries import PeelQuery, peel_levels
from smotekit.engine._special import RandintFrom
from smotekit.exceptions import FallbackWarning
from smotekit.over_sampling._base import (
    INTEGER_ROUNDING_CONSTRAINT,
    SyntheticSamplerMixin,
    make_neighbors_estimator,
)

__all__ = ["ProWSyn", "ProWSynRule", "allocate", "proximity_levels"]


def proximity_levels(
    estimator: Any, X_class: Any, X_other: Any, k: int, n_levels: int
) -> NDArray[np.intp]:
    """Proximity level (1 = nearest the other classes) of every row of a class.

    Level 1 holds the class rows that are among the ``k`` nearest class rows of some row of the
    other classes; they are set aside and level 2 is found the same way among the rest, and so
    on; the rows left after ``n_levels - 1`` rounds get level ``n_levels``.
    """
    return peel_levels(estimator, X_class, X_other, k, n_levels)


def allocate(total: int, weights: NDArray[np.float64]) -> NDArray[np.intp]:
    """Split ``total`` in proportion to ``weights``, exactly (largest remainders, ties in order).

    Examples
    --------
    >>> allocate(10, np.array([1.0, 1.0, 1.0]))
    array([4, 3, 3])
    """
    share = total * weights / weights.sum()
    counts = np.floor(share).astype(np.intp)
    short = total - int(counts.sum())
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def _peel_k(n_neighbors: Any) -> int:
    """``K``: an int, or the ``n_neighbors`` of an estimator (5 if it has none)."""
    k = n_neighbors
    return int(k) if isinstance(k, numbers.Integral) else int(getattr(k, "n_neighbors", 5))


def _level_layout(
    levels: NDArray[np.intp], theta: float, label: Any
) -> tuple[list[NDArray[np.intp]], NDArray[np.float64]]:
    """Each level's rows (class-local) and its weight; one level if none has two rows."""
    present = np.unique(levels)
    members = [np.flatnonzero(levels == lev) for lev in present]
    sizes = np.array([rows.size for rows in members])
    weights = np.exp(-theta * (present - 1.0)) * (sizes >= 2)
    if not weights.any():
        warn_user(
            f"ProWSyn: every proximity level of class {shown(label)!r} has a single row, so no "
            "level can interpolate within itself; the class is used as one level. Lower "
            "n_levels or n_neighbors to get larger levels.",
            FallbackWarning,
        )
        members, weights = [np.arange(levels.size)], np.ones(1)
    return members, weights


class ProWSynRule(SamplerRule):
    """ProWSyn for the engine: levels from a :class:`~smotekit.engine._queries.PeelQuery`, then
    per level (with rows to make) a base, a distinct partner of the level and a gap.

    The levels' rows are laid end to end (``job.stats["order"]``); each level's draws are
    positions in that layout (:class:`~smotekit.engine._special.RandintFrom`), so a plan needs no
    level number. ``levels`` records each class's proximity levels.
    """

    def __init__(self, n_neighbors: Any, n_levels: int, theta: float) -> None:
        self.estimator = make_neighbors_estimator(n_neighbors, additional=0)
        self.peel = PeelQuery("levels", _peel_k(n_neighbors), int(n_levels), self.estimator)
        self.theta = float(theta)
        self.levels: dict[Any, NDArray[np.intp]] = {}

    def class_queries(self) -> tuple[PeelQuery]:
        return (self.peel,)

    def fitted(self) -> dict[str, Any]:
        return {"nn_": self.estimator, "proximity_levels_": self.levels}

    def segments(self, job: ClassJob) -> list[Segment]:
        reason = "ProWSyn interpolates between two rows of a class"
        check_class_large_enough(job.n_class, 1, job.label, None, reason=reason)
        levels = job.stats["levels"]
        self.levels[job.label] = levels
        members, weights = _level_layout(levels, self.theta, job.label)
        job.stats["order"] = np.concatenate(members)
        segments, start = [], 0
        for rows, count in zip(members, allocate(job.n_samples, weights), strict=True):
            if count:
                draws = (
                    RandintFrom("base", start, start + rows.size),
                    RandintFrom("partner", start, start + rows.size - 1),
                    Uniform("gap"),
                )
                segments.append(Segment(int(count), draws))
            start += rows.size
        return segments

    def plan(self, job: ClassJob, draws: dict[str, NDArray[Any]]) -> PlanPiece:
        base, partner = draws["base"], draws["partner"]
        partner += partner >= base  # a distinct row of the same level
        order = job.stats["order"]
        return PlanPiece(SyntheticPlan(order[base], order[partner], draws["gap"]))


class ProWSyn(SyntheticSamplerMixin, BaseOverSampler):
    """Proximity Weighted Synthetic oversampling: more samples near the other classes.

    Definition (Barua, Islam and Murase, 2013):

    1. The rows of the class to grow are split into ``n_levels`` proximity levels. Level 1 is
       the set of class rows that are among the ``n_neighbors`` nearest class rows of at least one
       row of the other classes; those rows are removed and level 2 is found the same way from
       the rest, up to level ``n_levels - 1``; every row left gets level ``n_levels``.
    2. Level ``l`` gets the weight ``exp(-theta * (l - 1))``; the weights, normalised, split the
       number of synthetic rows between the levels (largest remainders, so the total is exact).
    3. Each synthetic row of a level is ``x + lam * (z - x)``, with ``x`` and ``z`` two distinct
       rows of that level drawn at random and ``lam ~ Uniform(0, 1)``.

    Rows near the class border (low levels) therefore get most of the synthetic rows, as in
    Borderline-SMOTE, but every row keeps some weight and points are never made between a
    border row and an inner one. It ranked second in the largest published comparison of
    oversamplers (Kovacs, 2019, 104 data sets).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws; an int restarts the stream for every class.
    n_neighbors : int or estimator, default=5
        ``K``: class rows taken per row of the other classes when building a level, or an
        object with ``fit`` and ``kneighbors(X, n_neighbors=...)``.
    n_levels : int, default=5
        ``L``: number of proximity levels.
    theta : float, default=1.0
        How fast the weight falls with the level; 0 gives every level the same share.
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How synthetic values are stored in integer and boolean columns: rounded to the nearest
        integer, or truncated towards zero (as imbalanced-learn's samplers store them). Float
        columns are not affected.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples generated per class.
    proximity_levels_ : dict
        Per grown class, the level of each of its rows (in the order they appear in ``X``).
    nn_ : estimator
        The neighbour search used (each proximity level fits a fresh copy of it).
    provenance_ : structured ndarray
        One record ``(base, neighbor, gap)`` per synthetic row, in output order;
        ``X_res[n + r] == X[base] + gap * (X[neighbor] - X[base])``, both rows of one level.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    PolynomFitSMOTE : The first-ranked variant of the same comparison.
    BorderlineSMOTE : Grows only from rows near the other classes.

    Notes
    -----
    With several classes, "the other classes" are all rows not of the class being grown. A level
    of a single row cannot interpolate within itself: its share goes to the other levels. If
    every level has a single row, the class is used as one level and a warning says so.

    References
    ----------
    .. [1] S. Barua, M. M. Islam, K. Murase, "ProWSyn: Proximity Weighted Synthetic
       Oversampling Technique for Imbalanced Data Set Learning", PAKDD 2013, LNCS 7819,
       317-328, 2013.
    .. [2] G. Kovacs, "An empirical comparison and evaluation of minority oversampling
       techniques on a large number of imbalanced datasets", Applied Soft Computing, 83, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import ProWSyn
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, size=(80, 2)), rng.normal(2, 1, size=(20, 2))])
    >>> y = np.array([0] * 80 + [1] * 20)
    >>> sampler = ProWSyn(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res)
    array([80, 80])
    """

    _sampling_type = "over-sampling"
    _neighbor_params = (("n_neighbors", 0),)
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **BaseOverSampler._parameter_constraints,
        "random_state": ["random_state"],
        "n_neighbors": [
            Interval(numbers.Integral, 1, None, closed="left"),
            HasMethods(["fit", "kneighbors"]),
        ],
        "n_levels": [Interval(numbers.Integral, 1, None, closed="left")],
        "theta": [Interval(numbers.Real, 0, None, closed="left")],
        **INTEGER_ROUNDING_CONSTRAINT,
    }
    nn_: Any

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: Any = None,
        n_neighbors: Any = 5,
        n_levels: int = 5,
        theta: float = 1.0,
        integer_rounding: str = "nearest",
    ) -> None:
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_levels = n_levels
        self.theta = theta
        self.integer_rounding = integer_rounding

    def _validate_estimator(self) -> None:
        # Values are checked by ``_parameter_constraints`` before this runs.
        self._k = _peel_k(self.n_neighbors)
        self.nn_ = self._neighbors_estimator("n_neighbors")
        self.proximity_levels_: dict[Any, NDArray[np.intp]] = {}

    def _rule(self) -> ProWSynRule:
        """This sampler's engine rule, from its parameters."""
        return ProWSynRule(self.n_neighbors, self.n_levels, self.theta)

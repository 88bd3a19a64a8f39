"""What every regression sampler shares: validation, relevance, bins, strategy and assembly.

A sampler only says how one bin grows (:meth:`BaseRegressionSampler._draw_bin`, which calls a
rule of :mod:`smotekit.regression._rules`). This base computes phi, cuts the bins, resolves the
sampling strategy, shrinks bins, generates each growing bin with :func:`generate_bin` and returns
the kept original rows (in their order) followed by the new ones, bin by bin from the lowest
target. One ``RandomState`` per call serves every bin, in that order.
"""

from __future__ import annotations

import numbers
from abc import abstractmethod
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn_compat.utils.validation import validate_data

from smotekit._kernels import PROVENANCE_DTYPE, SyntheticPlan, cast_values, concat_plans
from smotekit._validation import check_finite
from smotekit.neighbors import within_class_neighbors
from smotekit.over_sampling._base import neighbors_count
from smotekit.regression._bins import RelevanceBins, bin_targets, relevance_bins
from smotekit.regression._relevance import (
    EXTREMES,
    RelevanceControlPoints,
    _as_control_points,
    _finite_target,
    relevance,
)
from smotekit.regression._rules import (
    BinDraws,
    generate_bin,
    neighbor_distances,
    undersample_rows,
)

__all__ = ["BaseRegressionSampler", "bin_neighbors"]


def _check_target_present(y: Any) -> None:
    """A pandas or polars target with missing values gets a regression-worded error."""
    missing = y.null_count() if hasattr(y, "null_count") else None
    if missing is None and hasattr(y, "isna"):
        missing = int(y.isna().sum())
    if missing:
        raise ValueError(
            f"y has {missing} missing values: every row needs a target value. Drop those rows "
            "or impute their targets first."
        )


class BaseRegressionSampler(BaseEstimator):
    """Resampling of a continuous target by relevance bins (see the subclasses).

    Subclasses implement :meth:`_draw_bin`; everything else is here.
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": [StrOptions({"balance", "extreme"}), list, tuple, dict, np.ndarray],
        "threshold": [Interval(numbers.Real, 0, 1, closed="both")],
        "control_points": [None, "array-like", RelevanceControlPoints],
        "extremes": [StrOptions(set(EXTREMES))],
        "coef": [Interval(numbers.Real, 0, None, closed="neither")],
        "undersample": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "balance",
        threshold: float = 0.5,
        control_points: Any = None,
        extremes: str = "both",
        coef: float = 1.5,
        undersample: bool = True,
        random_state: Any = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.threshold = threshold
        self.control_points = control_points
        self.extremes = extremes
        self.coef = coef
        self.undersample = undersample
        self.random_state = random_state

    # -- the one hook --------------------------------------------------------------------------
    @abstractmethod
    def _draw_bin(
        self,
        rng: np.random.RandomState,
        X_bin: NDArray,
        n_samples: int,
        where: str,
    ) -> BinDraws:
        """Draws for ``n_samples`` new cases of one bin (``where`` describes it for errors)."""

    def _validate_estimator(self) -> None:
        """Check sampler-specific parameters and build helpers (neighbour search)."""

    # -- shared steps --------------------------------------------------------------------------
    def fit(self, X: Any, y: Any) -> BaseRegressionSampler:
        """Run :meth:`fit_resample` and keep only the fitted attributes."""
        self.fit_resample(X, y)
        return self

    def fit_resample(self, X: Any, y: Any) -> tuple[Any, Any]:
        """Resample ``X`` and its continuous target ``y``.

        Returns the kept original rows, in their order, then the new rows of each growing bin
        (ascending target). pandas and polars frames come back in the same library, with their
        column names and dtypes (integer columns, and an integer target, are rounded).
        """
        from smotekit._frames import frame_round_trip

        _check_target_present(y)
        trip = frame_round_trip(X, y, type(self).__name__, False)
        if trip is None:
            return self._fit_resample(X, y)
        X_res, y_res = self._fit_resample(trip.X, trip.y)
        trip.name_features(self)
        y_dtype = np.asarray(trip.y).dtype
        if y_dtype.kind in "biu":  # the kernel's rule: a Series cast would truncate, not clip
            y_res = cast_values(np.array(y_res, dtype=np.float64), y_dtype)
        # Kept originals (taken from the caller's frame as they were), then the new rows.
        n_new = np.shape(X_res)[0] - self.sample_indices_.size
        origin = np.r_[self.sample_indices_, np.full(n_new, -1, dtype=np.intp)]
        return trip.restore(X_res, y_res, origin, "nearest")

    def _check_X_y(self, X: Any, y: Any) -> tuple[NDArray, NDArray[np.float64]]:
        if hasattr(X, "tocsr"):
            raise TypeError(
                "X is a sparse matrix: the regression samplers need dense features; pass "
                "X.toarray()."
            )
        if np.asarray(X).dtype.kind not in "biuf":
            raise TypeError(
                "X has non-numeric features: the regression samplers interpolate every column "
                "and add noise to it, so each must be a number. Encode categorical columns "
                "first (for example one-hot), or drop them."
            )
        X = validate_data(
            self, X=X, reset=True, dtype=[np.float64, np.float32], ensure_all_finite=False
        )
        check_finite(X)
        target = _finite_target(y)
        if target.size != X.shape[0]:
            raise ValueError(
                f"X has {X.shape[0]} rows but y has {target.size} values: give one target per row."
            )
        return X, target

    def _fit_resample(self, X: Any, y: Any) -> tuple[NDArray, NDArray[np.float64]]:
        self._validate_params()  # type: ignore[attr-defined]
        X, y = self._check_X_y(X, y)
        self._validate_estimator()
        self.control_points_ = _as_control_points(y, self.control_points, self.extremes, self.coef)
        bins = relevance_bins(y, relevance(y, self.control_points_), self.threshold)
        if not bins.rare.any():
            raise ValueError(
                f"No target value has relevance >= threshold={self.threshold}"
                + (
                    " (the box plot of y finds no extreme values)"
                    if self.control_points is None
                    else ""
                )
                + ": there is nothing rare to over-sample. Lower threshold, pass control_points "
                "that mark the rare range, or leave the sampler out."
            )
        targets = bin_targets(
            bins.sizes, bins.rare, self.sampling_strategy, undersample=self.undersample
        )
        self.bins_ = bins
        self.sampling_strategy_ = {b: int(t) for b, t in enumerate(targets)}
        return self._resample_bins(X, y, bins, targets)

    def _resample_bins(
        self, X: NDArray, y: NDArray[np.float64], bins: RelevanceBins, targets: NDArray[np.int64]
    ) -> tuple[NDArray, NDArray[np.float64]]:
        rng = check_random_state(self.random_state)
        kept: list[NDArray[np.intp]] = []
        plans: list[SyntheticPlan] = []
        new_X: list[NDArray] = []
        new_y: list[NDArray[np.float64]] = []
        for b, target in enumerate(targets):
            rows = bins.rows(b)
            if target < rows.size:
                kept.append(rows[undersample_rows(rng, rows.size, int(target))])
                continue
            kept.append(rows)
            if target == rows.size:
                continue
            X_bin = X[rows]
            draws = self._draw_bin(rng, X_bin, int(target) - rows.size, bins.describe(b, y))
            X_new, y_new = generate_bin(rng, X_bin, y[rows], draws)
            plans.append(draws.plan.remap(rows).compact())
            new_X.append(X_new)
            new_y.append(y_new)
        index = np.sort(np.concatenate(kept))
        self.sample_indices_ = index
        self.provenance_ = (
            concat_plans(plans).to_records() if plans else np.empty(0, dtype=PROVENANCE_DTYPE)
        )
        return np.concatenate([X[index], *new_X]), np.concatenate([y[index], *new_y])


def bin_neighbors(
    estimator: Any, k_neighbors: Any, X_bin: NDArray, where: str
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Each bin row's nearest other rows of the bin (self excluded by index), with distances.

    The shared neighbour layer finds them; the distances are then measured exactly in float64,
    whichever backend (exact or approximate) found the neighbours.
    """
    k = neighbors_count(k_neighbors)
    if k is not None and X_bin.shape[0] < k + 1:
        n = X_bin.shape[0]
        fix = (
            f"Lower k_neighbors to at most {n - 1}"
            if n >= 2
            else "One case cannot be interpolated: lower threshold or coef to widen the bin, "
            "use RandomOverSamplerRegression or GaussianNoiseRegression"
        )
        raise ValueError(
            f"The {where} has too few cases for k_neighbors={k}: each case needs {k} "
            f"neighbour{'s' if k != 1 else ''} in its own bin ({k + 1} cases in all). {fix}, "
            "or use sampling_strategy to leave this bin as it is."
        )
    neighbors = within_class_neighbors(estimator, X_bin, k if k is not None else 1)
    return neighbors, neighbor_distances(X_bin, neighbors)


#: Parameter docs every regression sampler shares (``imblearn.utils.Substitution``).
SHARED_PARAMETERS = """sampling_strategy : {{"balance", "extreme"}}, list or dict, default="balance"
        Final size of each relevance bin (:func:`smotekit.regression.bin_targets`):
        ``"balance"`` takes every bin towards the average bin size, ``"extreme"`` inverts the
        bins' relative frequencies; a list gives one size ratio per bin (ascending ``y``), a
        dict ``{{bin: ratio}}`` some of them (2 doubles a bin, 0.5 halves it).
    threshold : float, default=0.5
        Cases with relevance ``phi(y) >= threshold`` are rare.
    control_points : array-like of shape (n_points, 2 or 3), RelevanceControlPoints or None, \
default=None
        Relevance control points ``(y value, phi[, slope])``; ``None`` derives them from the box
        plot of ``y`` (:func:`smotekit.regression.relevance`).
    extremes : {{"both", "high", "low"}}, default="both"
        With automatic control points: which tails of ``y`` are rare.
    coef : float, default=1.5
        With automatic control points: the box plot's whisker length in IQRs.""".rstrip()

#: Attribute docs every regression sampler shares.
SHARED_ATTRIBUTES = """control_points_ : RelevanceControlPoints
        The control points of phi used.
    bins_ : RelevanceBins
        The rare and normal bins of ``y`` (ascending target).
    sampling_strategy_ : dict
        Final number of cases per bin: ``{{bin: count}}``.
    sample_indices_ : ndarray of shape (n_kept,)
        The original rows kept, in order: ``X_res[:n_kept] == X[sample_indices_]``.
    provenance_ : structured ndarray
        One record ``(base, neighbor, gap)`` per new row, in output order, indexing ``X``:
        ``neighbor`` is -1 and ``gap`` nan for a copy of ``base`` (with or without noise).
    n_features_in_ : int
        Number of features seen in ``fit_resample``.""".rstrip()

"""Errors that weigh the rare targets: SERA (Ribeiro & Moniz 2020) and RMSE/MAE on rare cases."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from smotekit.regression._relevance import _finite_target, relevance

__all__ = ["rare_mae", "rare_rmse", "sera"]


def _errors_and_relevance(
    y_true: ArrayLike, y_pred: ArrayLike, phi: ArrayLike | None, control_points: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    truth = _finite_target(y_true, "y_true")
    pred = _finite_target(y_pred, "y_pred")
    if truth.shape != pred.shape:
        raise ValueError(
            f"y_true has {truth.size} values but y_pred has {pred.size}: give one prediction "
            "per true value."
        )
    if phi is None:
        rel = relevance(truth, control_points)
    else:
        rel = np.asarray(phi, dtype=np.float64).ravel()
        if rel.shape != truth.shape:
            raise ValueError(
                f"phi has {rel.size} values but y_true has {truth.size}: phi is the relevance "
                "of each true value (smotekit.regression.relevance(y_true, ...))."
            )
    return pred - truth, rel


def sera(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    phi: ArrayLike | None = None,
    control_points: Any = None,
    step: float = 0.001,
) -> float:
    """Squared error-relevance area (Ribeiro & Moniz 2020): errors weighted towards rare targets.

    With ``SER_t = sum of (y_pred_i - y_true_i)^2 over the cases with phi(y_true_i) >= t``,
    ``SERA = integral of SER_t over t in [0, 1]``, computed as in the authors' R package IRon by
    the trapezoidal rule on the grid ``t_j = j * step``, ``j = 0, ..., round(1 / step)``.
    Exactly, the integral is ``sum_i phi_i (y_pred_i - y_true_i)^2``; the grid value differs from
    it by less than ``step`` times the total squared error. Lower is better.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted targets.
    phi : array-like of shape (n_samples,), default=None
        Relevance of each true value. ``None`` computes it with ``control_points``.
    control_points : RelevanceControlPoints, array-like or None, default=None
        Used when ``phi`` is None (see :func:`relevance`); ``None`` derives them from the box
        plot of ``y_true``. For a test set, pass the control points of the training targets.
    step : float, default=0.001
        Grid spacing of the thresholds (IRon's default); ``1 / step`` must be an integer.

    Returns
    -------
    float

    References
    ----------
    .. [1] R. P. Ribeiro, N. Moniz, "Imbalanced regression and extreme value prediction",
       Machine Learning, 109, 1803-1835, 2020.

    Examples
    --------
    >>> sera([1.0, 2.0, 3.0], [1.0, 2.0, 5.0], phi=[0.0, 0.5, 1.0])
    4.0
    >>> sera([1.0, 2.0, 3.0], [2.0, 2.0, 3.0], phi=[0.25, 0.5, 1.0])  # exactly: 0.25
    0.2505
    """
    n_steps = round(1.0 / step) if step > 0 else 0
    if n_steps < 1 or not np.isclose(n_steps * step, 1.0, rtol=0, atol=1e-12):
        raise ValueError(
            f"step={step!r} must divide [0, 1] into a whole number of steps (0.001, 0.01, ...)."
        )
    error, rel = _errors_and_relevance(y_true, y_pred, phi, control_points)
    order = np.argsort(rel, kind="stable")
    squared = (error * error)[order]
    # SER_t = the squared errors of the cases with phi >= t: a suffix sum over phi ascending.
    suffix = np.concatenate([np.cumsum(squared[::-1])[::-1], [0.0]])
    thresholds = np.arange(n_steps + 1) * step  # as R's seq(0, 1, step)
    ser = suffix[np.searchsorted(rel[order], thresholds, side="left")]
    return float(step * (ser[:-1] + ser[1:]).sum() / 2)


def _rare_errors(
    y_true: ArrayLike, y_pred: ArrayLike, phi: Any, control_points: Any, threshold: float
) -> NDArray[np.float64]:
    error, rel = _errors_and_relevance(y_true, y_pred, phi, control_points)
    return error[rel >= threshold]


def rare_rmse(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    phi: ArrayLike | None = None,
    control_points: Any = None,
    threshold: float = 0.5,
) -> float:
    """Root mean squared error over the rare cases, those with ``phi(y_true) >= threshold``.

    ``phi`` and ``control_points`` work as in :func:`sera`. Returns ``nan`` when ``y_true`` has
    no rare case (the error is undefined there, as for an empty test fold).

    Examples
    --------
    >>> rare_rmse([1.0, 2.0, 10.0, 12.0], [1.0, 5.0, 7.0, 8.0], phi=[0, 0.2, 1, 1])
    3.5355339059327378
    """
    err = _rare_errors(y_true, y_pred, phi, control_points, threshold)
    return float(np.sqrt(np.mean(err * err))) if err.size else float("nan")


def rare_mae(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    phi: ArrayLike | None = None,
    control_points: Any = None,
    threshold: float = 0.5,
) -> float:
    """Mean absolute error over the rare cases, those with ``phi(y_true) >= threshold``.

    ``phi`` and ``control_points`` work as in :func:`sera`; ``nan`` without rare cases.

    Examples
    --------
    >>> rare_mae([1.0, 2.0, 10.0, 12.0], [1.0, 5.0, 7.0, 8.0], phi=[0, 0.2, 1, 1])
    3.5
    """
    err = _rare_errors(y_true, y_pred, phi, control_points, threshold)
    return float(np.mean(np.abs(err))) if err.size else float("nan")

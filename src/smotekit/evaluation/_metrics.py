"""The metrics of an honest comparison: ranking from scores, decisions from labels, calibration."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["METRICS", "fold_metrics", "g_mean"]

#: Metric name -> (higher is better, what it measures); the order is the order of every table.
METRICS: dict[str, tuple[bool, str]] = {
    "roc_auc": (True, "ROC AUC from predicted scores (ranking, threshold-free)"),
    "pr_auc": (True, "average precision from predicted scores (ranking of the minority)"),
    "balanced_accuracy": (True, "balanced accuracy of the predicted labels"),
    "g_mean": (True, "geometric mean of sensitivity and specificity of the predicted labels"),
    "f1": (True, "F1 of the minority class from the predicted labels"),
    "brier": (False, "Brier score of the predicted minority probability (calibration + sharpness)"),
}


def g_mean(y_true: ArrayLike, y_pred: ArrayLike, pos_label: Any = 1) -> float:
    """Geometric mean of the true positive rate and the true negative rate.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels of a binary problem.
    pos_label : label, default=1
        The class counted as positive (the minority).

    Returns
    -------
    float
        ``sqrt(sensitivity * specificity)``; 0 when either class is never predicted right.

    Examples
    --------
    >>> g_mean([0, 0, 1, 1], [0, 1, 1, 1])
    0.7071067811865476
    """
    t = np.asarray(y_true) == pos_label
    p = np.asarray(y_pred) == pos_label
    sensitivity = (t & p).sum() / max(t.sum(), 1)
    specificity = (~t & ~p).sum() / max((~t).sum(), 1)
    return float(np.sqrt(sensitivity * specificity))


def fold_metrics(
    y_true: ArrayLike, score: ArrayLike, y_pred: ArrayLike | None = None
) -> dict[str, float]:
    """Every metric of :data:`METRICS` for one test fold of a 0/1 problem (1 = minority).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 1 for the minority class, 0 otherwise.
    score : array-like of shape (n_samples,)
        Predicted probability of the minority class.
    y_pred : array-like of shape (n_samples,), default=None
        Predicted labels; ``None`` thresholds ``score`` at 0.5 (the default threshold).

    Returns
    -------
    dict
        Metric name -> value, in the order of :data:`METRICS`.

    Examples
    --------
    >>> m = fold_metrics([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])
    >>> m["roc_auc"], m["balanced_accuracy"], round(m["brier"], 3)
    (0.75, 0.5, 0.185)
    """
    from sklearn.metrics import (
        average_precision_score,
        balanced_accuracy_score,
        brier_score_loss,
        f1_score,
        roc_auc_score,
    )

    y = np.asarray(y_true).astype(np.int64)
    s: NDArray[np.float64] = np.asarray(score, dtype=np.float64)
    pred = (s >= 0.5).astype(np.int64) if y_pred is None else np.asarray(y_pred).astype(np.int64)
    return {
        "roc_auc": float(roc_auc_score(y, s)),
        "pr_auc": float(average_precision_score(y, s)),
        "balanced_accuracy": float(balanced_accuracy_score(y, pred)),
        "g_mean": g_mean(y, pred),
        "f1": float(f1_score(y, pred, pos_label=1, zero_division=0.0)),
        "brier": float(brier_score_loss(y, s, pos_label=1)),
    }

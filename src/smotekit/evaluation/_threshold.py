"""Threshold moving: keep the model, choose where to cut its scores, on training data only."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone

__all__ = ["ThresholdMovingClassifier", "best_balanced_threshold"]


def best_balanced_threshold(y: ArrayLike, score: ArrayLike) -> float:
    """The cut ``t`` (predict positive where ``score >= t``) with the best balanced accuracy.

    Every distinct score is tried at once (one sort, cumulative counts); the cut returned sits
    halfway between the best score and the next lower one, where the training predictions are
    the same but new scores are split more evenly.

    Examples
    --------
    >>> best_balanced_threshold([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.9])
    0.25
    """
    pos = np.asarray(y).astype(bool)
    s = np.asarray(score, dtype=np.float64)
    values, inverse = np.unique(s, return_inverse=True)  # ascending
    n_pos_at = np.bincount(inverse, weights=pos, minlength=values.size)
    n_neg_at = np.bincount(inverse, weights=~pos, minlength=values.size)
    # cut at values[i]: positives at or above it are caught, negatives below it are kept
    tpr = n_pos_at[::-1].cumsum()[::-1] / max(pos.sum(), 1)
    tnr = np.r_[0.0, n_neg_at.cumsum()[:-1]] / max((~pos).sum(), 1)
    i = int(np.argmax(tpr + tnr))
    lower = values[i - 1] if i > 0 else 0.0
    return float((values[i] + lower) / 2)


class ThresholdMovingClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A binary classifier whose decision threshold maximises balanced accuracy.

    The threshold is chosen from out-of-fold probabilities on the data given to ``fit``
    (stratified ``cv``-fold), then the estimator is refitted on all of it. Probabilities are
    the estimator's own; only ``predict`` moves. Nothing is resampled.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
    cv : int, default=3
        Folds of the inner cross-validation.
    random_state : int or None, default=None
        Shuffles the inner folds.

    Attributes
    ----------
    best_threshold_ : float
        Cut on the probability of ``classes_[1]``.
    estimator_ : classifier
        Fitted on all of ``X``.
    classes_ : ndarray of shape (2,)

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.RandomState(0)
    >>> X = np.r_[rng.normal(size=(190, 2)), rng.normal(size=(10, 2)) + 2]
    >>> y = np.r_[np.zeros(190), np.ones(10)]
    >>> model = ThresholdMovingClassifier(LogisticRegression(), random_state=0).fit(X, y)
    >>> bool(model.best_threshold_ < 0.5)
    True
    """

    def __init__(self, estimator: Any, *, cv: int = 3, random_state: int | None = None) -> None:
        self.estimator = estimator
        self.cv = cv
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> ThresholdMovingClassifier:
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if self.classes_.size != 2:
            raise ValueError(
                f"ThresholdMovingClassifier needs a binary target, got {self.classes_.size} "
                "classes."
            )
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        oof = cross_val_predict(clone(self.estimator), X, y, cv=folds, method="predict_proba")
        self.best_threshold_ = best_balanced_threshold(y == self.classes_[1], oof[:, 1])
        self.estimator_ = clone(self.estimator).fit(X, y)
        return self

    def predict_proba(self, X: Any) -> NDArray[np.float64]:
        return np.asarray(self.estimator_.predict_proba(X), dtype=np.float64)

    def predict(self, X: Any) -> NDArray[Any]:
        return self.classes_[(self.predict_proba(X)[:, 1] >= self.best_threshold_).astype(int)]

"""What the regression task compares: the regression samplers, four regressors, five metrics.

The strategies are :class:`~smotekit.evaluation.Strategy` objects, as for classification, so the
same :func:`~smotekit.evaluation.build_estimator` puts them in an ``imblearn.pipeline.Pipeline``
(scaling, resampling, one-hot encoding, regressor) fitted on the training fold only. The
metrics score the rare targets the way the imbalanced-regression literature does: the relevance
phi comes from the control points of the *training* fold's targets (the box plot of the
training ``y``, as the samplers compute it during ``fit``), applied to the test fold's targets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from smotekit._registry import specs
from smotekit.evaluation._strategies import Strategy

__all__ = [
    "REGRESSION_METRICS",
    "REGRESSION_STRATEGIES",
    "REGRESSORS",
    "RELEVANCE_THRESHOLD",
    "make_regressor",
    "regression_fold_metrics",
    "regression_strategies",
]

#: phi at or above which a target is rare, in the samplers and in the metrics (UBL's default).
RELEVANCE_THRESHOLD = 0.5

#: Regressor key -> description; :func:`make_regressor` builds each.
REGRESSORS = {
    "ridge": "ridge regression, alpha 1 (features standardised)",
    "knn": "5-nearest neighbours (features standardised)",
    "tree": "regression tree",
    "hgb": "histogram gradient boosting",
}

#: Metric name -> (higher is better, what it measures), in the order of every table. All are
#: errors in the target's units, so the comparisons over data sets use ratios.
REGRESSION_METRICS: dict[str, tuple[bool, str]] = {
    "rmse": (False, "root mean squared error over every test case"),
    "mae": (False, "mean absolute error over every test case"),
    "rmse_rare": (
        False,
        f"RMSE over the rare test cases (phi >= {RELEVANCE_THRESHOLD}, phi from the training "
        "fold's control points)",
    ),
    "mae_rare": (False, "MAE over the rare test cases"),
    "sera": (
        False,
        "SERA, squared errors weighted by relevance, integrated over phi thresholds "
        "(Ribeiro & Moniz 2020)",
    ),
}


def _sampler(name: str) -> Callable[[int, list[int]], Any]:
    def make(random_state: int, categorical: list[int]) -> Any:
        from smotekit import regression

        sampler = getattr(regression, name)
        return sampler(sampling_strategy="balance", undersample=False, random_state=random_state)

    return make


#: The strategies of the regression task, in the order of the reports: no resampling, the two
#: baselines of Branco et al. (2016), then SMOTER and SMOGN. Every sampler grows the rare bins
#: towards the average bin size (``sampling_strategy="balance"``) and keeps every training case
#: (``undersample=False``; the papers also shrink the normal bins): the strategies differ only
#: in the cases they add, and every regressor sees at least the rows that ``none`` sees.
REGRESSION_STRATEGIES = [
    Strategy("none", "none", "no resampling"),
    *(
        Strategy(spec.evaluate, "sampler", spec.methods[0].summary, _sampler(spec.name))
        for spec in specs("regression")
        if spec.evaluate is not None
    ),
]


def regression_strategies(keys: Sequence[str | Strategy] | None = None) -> list[Strategy]:
    """The regression strategies named by ``keys`` (all by default), in the order given; a
    :class:`Strategy` is taken as it is.

    Examples
    --------
    >>> [s.key for s in regression_strategies()]
    ['none', 'random_over', 'gaussian_noise', 'smoter', 'smogn']
    """
    if keys is None:
        return list(REGRESSION_STRATEGIES)
    by_key = {s.key: s for s in REGRESSION_STRATEGIES}
    out = []
    for key in keys:
        if isinstance(key, Strategy):
            out.append(key)
        elif key in by_key:
            out.append(by_key[key])
        else:
            raise ValueError(
                f"strategy {key!r} is not a regression strategy; choose from {', '.join(by_key)}."
            )
    return out


def make_regressor(key: str, random_state: int = 0) -> Any:
    """An unfitted regressor for a key of :data:`REGRESSORS`.

    Examples
    --------
    >>> make_regressor("tree", random_state=1)
    DecisionTreeRegressor(random_state=1)
    """
    if key == "ridge":
        from sklearn.linear_model import Ridge

        return Ridge(alpha=1.0)
    if key == "knn":
        from sklearn.neighbors import KNeighborsRegressor

        return KNeighborsRegressor(n_neighbors=5)
    if key == "tree":
        from sklearn.tree import DecisionTreeRegressor

        return DecisionTreeRegressor(random_state=random_state)
    if key == "hgb":
        from sklearn.ensemble import HistGradientBoostingRegressor

        return HistGradientBoostingRegressor(random_state=random_state)
    raise ValueError(f"regressor={key!r} is unknown; choose from {', '.join(REGRESSORS)}.")


def regression_fold_metrics(
    y_train: ArrayLike, y_test: ArrayLike, y_pred: ArrayLike
) -> dict[str, float]:
    """Every metric of :data:`REGRESSION_METRICS` for one test fold.

    phi is the relevance of ``y_test`` under the automatic control points of ``y_train`` (the
    training fold's box plot, which is what the samplers used), so that nothing about the test
    fold decides which of its cases count as rare. The rare-case errors are NaN when the test
    fold holds no rare case.

    Parameters
    ----------
    y_train : array-like of shape (n_train,)
        The training fold's targets.
    y_test, y_pred : array-like of shape (n_test,)
        The test fold's targets and their predictions.

    Returns
    -------
    dict
        Metric name -> value, in the order of :data:`REGRESSION_METRICS`.

    Examples
    --------
    >>> y_train = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0]
    >>> m = regression_fold_metrics(y_train, [5.0, 60.0], [6.0, 30.0])
    >>> m["rmse_rare"], m["mae"], round(m["sera"], 1)
    (30.0, 15.5, 900.0)
    """
    from smotekit.regression import (
        rare_mae,
        rare_rmse,
        relevance,
        relevance_control_points,
        sera,
    )

    truth = np.asarray(y_test, dtype=np.float64)
    error = np.asarray(y_pred, dtype=np.float64) - truth
    phi = relevance(truth, relevance_control_points(y_train))
    threshold = RELEVANCE_THRESHOLD
    return {
        "rmse": float(np.sqrt(np.mean(error * error))),
        "mae": float(np.mean(np.abs(error))),
        "rmse_rare": rare_rmse(truth, y_pred, phi=phi, threshold=threshold),
        "mae_rare": rare_mae(truth, y_pred, phi=phi, threshold=threshold),
        "sera": sera(truth, y_pred, phi=phi),
    }

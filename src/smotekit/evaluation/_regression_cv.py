"""Repeated k-fold cross-validation of every strategy x regressor, as a tidy table.

The regression task runs on the classification task's machinery (:func:`fit_and_score`,
:func:`run_all`, :func:`build_estimator`): only the folds, the predictions and the metrics
differ. The folds are stratified by rarity: the target's relevance under the box plot of the
whole ``y`` splits the rows into rare and normal ones, and every fold gets its share of each,
so that every test fold has rare cases to score. That relevance only places rows in folds;
everything fitted (scaling, the samplers' relevance and bins, the regressor) and the phi that
decides which test cases count as rare come from the training fold alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit.evaluation._cv import check_folds, fit_and_score, run_all
from smotekit.evaluation._data import Dataset
from smotekit.evaluation._regression_strategies import (
    REGRESSION_METRICS,
    REGRESSORS,
    RELEVANCE_THRESHOLD,
    make_regressor,
    regression_fold_metrics,
    regression_strategies,
)
from smotekit.evaluation._strategies import Strategy, build_estimator

__all__ = ["REGRESSION_COLUMNS", "evaluate_regression", "rare_strata", "why_unusable"]

#: Columns of :func:`evaluate_regression`'s table: one row per fitted (dataset, regressor,
#: strategy, repeat, fold).
REGRESSION_COLUMNS = [
    "dataset",
    "regressor",
    "strategy",
    "repeat",
    "fold",
    "status",
    *REGRESSION_METRICS,
    "n_train",
    "n_train_rare",
    "n_test_rare",
    "n_synthetic",
    "fit_seconds",
    "warning",
    "error",
]


@dataclass(frozen=True)
class _Fit:
    regressor: str
    strategy: Strategy
    repeat: int
    fold: int
    train: NDArray[np.intp]
    test: NDArray[np.intp]
    seed: int


def rare_strata(y: Any) -> NDArray[np.int64]:
    """1 for the rare rows of ``y`` (phi >= 0.5 under its own box plot), 0 for the others: the
    classes the folds are stratified by.

    Examples
    --------
    >>> rare_strata([1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0]).tolist()
    [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    """
    from smotekit.regression import relevance

    return (relevance(y) >= RELEVANCE_THRESHOLD).astype(np.int64)


def _splits(
    y: Any, n_splits: int, n_repeats: int, random_state: int
) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    from sklearn.model_selection import RepeatedStratifiedKFold

    strata = rare_strata(y)
    cv = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=random_state)
    return cv.split(np.zeros((strata.size, 1)), strata)


def why_unusable(dataset: Dataset, n_splits: int, n_repeats: int, random_state: int) -> str | None:
    """Why ``dataset`` cannot be evaluated with these folds, or None.

    A data set needs rare cases under the automatic control points (the box plot of ``y`` finds
    values beyond its whiskers), at least one per fold, and rare cases in every training fold
    under that fold's own control points: without them every sampler has nothing to grow.

    Examples
    --------
    >>> flat = Dataset("flat", np.zeros((20, 1)), np.arange(20.0))
    >>> why_unusable(flat, 5, 1, 0)
    'no rare case: the box plot of y has no value beyond its whiskers (automatic control points)'
    """
    from smotekit.regression import relevance

    try:
        n_rare = int(rare_strata(dataset.y).sum())
    except ValueError as exc:  # constant or non-finite y
        return f"no relevance ({' '.join(str(exc).split())})"
    if n_rare == 0:
        return (
            "no rare case: the box plot of y has no value beyond its whiskers "
            "(automatic control points)"
        )
    if n_rare < n_splits:
        rows = "row" if n_rare == 1 else "rows"
        return f"{n_rare} rare {rows}, fewer than the {n_splits} folds (every test fold needs one)"
    for i, (train, _) in enumerate(_splits(dataset.y, n_splits, n_repeats, random_state)):
        y_train = dataset.y[train]
        if not (relevance(y_train) >= RELEVANCE_THRESHOLD).any():
            repeat, fold = divmod(i, n_splits)
            return (
                f"{n_rare} rare rows, but the training fold of repeat {repeat} fold {fold} has "
                "none under its own box plot, whose whiskers reach them: too few to resample in "
                "every fold"
            )
    return None


def _regression_score(
    model: Any, X_test: NDArray[Any], y_test: NDArray[Any], y_train: NDArray[Any]
) -> dict[str, Any]:
    return regression_fold_metrics(y_train, y_test, model.predict(X_test))


def _run_fit(fit: _Fit, dataset: Dataset, regressor: Any, scale: bool) -> dict[str, Any]:
    from smotekit.regression import relevance, relevance_control_points

    y_train = dataset.y[fit.train]
    points = relevance_control_points(y_train)
    threshold = RELEVANCE_THRESHOLD
    row: dict[str, Any] = {
        "dataset": dataset.name,
        "regressor": fit.regressor,
        "strategy": fit.strategy.key,
        "repeat": fit.repeat,
        "fold": fit.fold,
        "status": "ok",
        **{m: np.nan for m in REGRESSION_METRICS},
        "n_train": int(fit.train.size),
        "n_train_rare": int((relevance(y_train, points) >= threshold).sum()),
        "n_test_rare": int((relevance(dataset.y[fit.test], points) >= threshold).sum()),
        "n_synthetic": np.nan,
        "fit_seconds": np.nan,
        "warning": "",
        "error": "",
    }
    model = build_estimator(
        fit.strategy,
        regressor,
        random_state=fit.seed,
        scale=scale,
        n_numeric=dataset.n_numeric,
        n_features=dataset.X.shape[1],
    )
    return fit_and_score(row, model, dataset.X, dataset.y, fit.train, fit.test, _regression_score)


def evaluate_regression(
    dataset: Dataset,
    *,
    regressors: Sequence[str] | dict[str, Any] | None = None,
    strategies: Sequence[str | Strategy] | None = None,
    n_splits: int = 5,
    n_repeats: int = 2,
    random_state: int = 0,
    scale: bool = True,
    n_jobs: int = 1,
    progress: bool | None = None,
) -> Any:
    """Cross-validate every regression strategy with every regressor on ``dataset``.

    Repeated k-fold, stratified by rarity (see the module's notes): for each split, each
    strategy's estimator (scaling, resampling and regressor together) is fitted on the training
    fold only and scored on the untouched test fold, with the metrics of
    :data:`REGRESSION_METRICS` (the rare cases and SERA's relevance from the training fold's
    control points). A strategy that fails on a fold (say, a rare bin smaller than
    ``k_neighbors + 1``) gives a row with ``status="failed"`` and the error.

    Parameters
    ----------
    dataset : Dataset
        With a numeric ``y`` (:func:`load_regression`, :func:`load_regression_file`).
    regressors : list of keys of ``REGRESSORS``, or dict name -> unfitted regressor
        Default: all four.
    strategies : list of strategy keys or :class:`Strategy`, default=None
        Default: all five (none, random_over, gaussian_noise, smoter, smogn).
    n_splits, n_repeats : int, default=5, 2
        Folds and repetitions of the cross-validation.
    random_state : int, default=0
        Seeds the splits, the samplers and the regressors.
    scale : bool, default=True
        Standardise numeric features (fitted on the training fold) before resampling.
    n_jobs : int, default=1
        Parallel fits (joblib).
    progress : bool or None, default=None
        A tqdm bar on stderr; None shows it only when stderr is a terminal.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per fit, columns :data:`REGRESSION_COLUMNS`.

    Examples
    --------
    >>> from smotekit.evaluation import evaluate_regression, load_regression
    >>> table = evaluate_regression(load_regression("yacht_hydrodynamics"),
    ...                             regressors=["ridge"], strategies=["none", "smoter"],
    ...                             n_splits=3, n_repeats=1)
    >>> table.groupby("strategy")["rmse_rare"].count().to_dict()
    {'none': 3, 'smoter': 3}
    """
    from smotekit._optional import import_optional

    pd = import_optional("pandas", "report")
    check_folds(n_splits, n_repeats)
    reason = why_unusable(dataset, n_splits, n_repeats, random_state)
    if reason is not None:
        raise ValueError(f"{dataset.name!r} cannot be evaluated: {reason}.")
    if regressors is None:
        regressors = list(REGRESSORS)
    if not isinstance(regressors, dict):
        regressors = {k: make_regressor(k, random_state) for k in regressors}
    chosen = regression_strategies(strategies)
    fits = [
        _Fit(name, strategy, *divmod(i, n_splits), train, test, random_state + i)
        for i, (train, test) in enumerate(_splits(dataset.y, n_splits, n_repeats, random_state))
        for name in regressors
        for strategy in chosen
    ]
    rows = run_all(
        [partial(_run_fit, f, dataset, regressors[f.regressor], scale) for f in fits],
        n_jobs=n_jobs,
        progress=progress,
        desc=dataset.name,
    )
    return pd.DataFrame(rows, columns=REGRESSION_COLUMNS)

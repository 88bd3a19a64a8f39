"""Repeated stratified k-fold cross-validation of every strategy x classifier, as a tidy table."""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit.evaluation._data import Dataset
from smotekit.evaluation._metrics import METRICS, fold_metrics
from smotekit.evaluation._strategies import (
    CLASSIFIERS,
    Strategy,
    available_strategies,
    build_estimator,
    make_classifier,
)

__all__ = ["COLUMNS", "evaluate", "resolve_strategies"]

#: Columns of :func:`evaluate`'s table: one row per fitted (dataset, classifier, strategy,
#: repeat, fold).
COLUMNS = [
    "dataset",
    "classifier",
    "strategy",
    "repeat",
    "fold",
    "status",
    *METRICS,
    "threshold",
    "n_train",
    "n_train_minority",
    "n_synthetic",
    "fit_seconds",
    "warning",
    "error",
]


@dataclass(frozen=True)
class _Task:
    classifier: str
    strategy: Strategy
    repeat: int
    fold: int
    train: NDArray[np.intp]
    test: NDArray[np.intp]
    seed: int


def resolve_strategies(
    strategies: Sequence[str | Strategy] | None, dataset: Dataset
) -> list[Strategy]:
    """The strategies to run: all that apply to ``dataset`` by default, else those named."""
    available = available_strategies(dataset.n_categorical, dataset.X.shape[1])
    if strategies is None:
        return available
    by_key = {s.key: s for s in available}
    out: list[Strategy] = []
    for s in strategies:
        if isinstance(s, Strategy):
            out.append(s)
        elif s in by_key:
            out.append(by_key[s])
        else:
            raise ValueError(
                f"strategy {s!r} is not available for {dataset.name!r}; available: "
                f"{', '.join(by_key)} (SMOTE-NC needs categorical and numeric columns, "
                "SMOTE-N only categorical ones)."
            )
    return out


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _n_synthetic(estimator: Any, n_train: int) -> float:
    sampler = getattr(estimator, "named_steps", {}).get("sample")
    if sampler is None:
        return 0.0
    provenance = getattr(sampler, "provenance_", None)
    if provenance is not None:
        return float(len(provenance))
    counts = getattr(sampler, "sampling_strategy_", None)
    return float(sum(counts.values())) if counts else float("nan")


def _run_task(task: _Task, dataset: Dataset, estimator: Any, scale: bool) -> dict[str, Any]:
    X, y = dataset.X, dataset.y
    row: dict[str, Any] = {
        "dataset": dataset.name,
        "classifier": task.classifier,
        "strategy": task.strategy.key,
        "repeat": task.repeat,
        "fold": task.fold,
        "status": "ok",
        **{m: np.nan for m in METRICS},
        "threshold": np.nan,
        "n_train": int(task.train.size),
        "n_train_minority": int(y[task.train].sum()),
        "n_synthetic": np.nan,
        "fit_seconds": np.nan,
        "warning": "",
        "error": "",
    }
    model = build_estimator(
        task.strategy,
        estimator,
        random_state=task.seed,
        scale=scale,
        n_numeric=dataset.n_numeric,
        n_features=dataset.X.shape[1],
    )
    if model is None:  # filtered out by _tasks; kept for a direct caller
        row["status"] = "not applicable"
        return row
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            start = time.perf_counter()
            model.fit(X[task.train], y[task.train])
            row["fit_seconds"] = time.perf_counter() - start
            score = model.predict_proba(X[task.test])[:, list(model.classes_).index(1)]
            pred = model.predict(X[task.test])
            row.update(fold_metrics(y[task.test], score, pred))
        except Exception as exc:  # a strategy that cannot run on this fold is a result too
            row["status"] = "failed"
            row["error"] = _one_line(f"{type(exc).__name__}: {exc}")
            return row
    row["threshold"] = float(getattr(model, "best_threshold_", 0.5))
    row["n_synthetic"] = _n_synthetic(model, int(task.train.size))
    relevant = [w for w in caught if not issubclass(w.category, DeprecationWarning)]
    if relevant:
        row["warning"] = _one_line(str(relevant[0].message))
    return row


def _tasks(
    dataset: Dataset,
    classifiers: dict[str, Any],
    strategies: list[Strategy],
    n_splits: int,
    n_repeats: int,
    random_state: int,
) -> Iterator[_Task]:
    from sklearn.model_selection import RepeatedStratifiedKFold

    cv = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=random_state)
    for i, (train, test) in enumerate(cv.split(dataset.X, dataset.y)):
        repeat, fold = divmod(i, n_splits)
        for clf_key, clf in classifiers.items():
            for strategy in strategies:
                if strategy.kind == "class_weight" and "class_weight" not in clf.get_params():
                    continue  # e.g. k-nearest neighbours: no loss to weight
                yield _Task(clf_key, strategy, repeat, fold, train, test, random_state + i)


def evaluate(
    dataset: Dataset,
    *,
    classifiers: Sequence[str] | dict[str, Any] | None = None,
    strategies: Sequence[str | Strategy] | None = None,
    n_splits: int = 5,
    n_repeats: int = 2,
    random_state: int = 0,
    scale: bool = True,
    n_jobs: int = 1,
    progress: bool | None = None,
) -> Any:
    """Cross-validate every strategy with every classifier on ``dataset``.

    Repeated stratified k-fold: for each split, each strategy's estimator (scaling, resampling,
    threshold tuning and classifier together) is fitted on the training fold only and scored on
    the untouched test fold. A strategy that fails on a fold (say, a class smaller than
    ``k_neighbors + 1`` in the training fold) gives a row with ``status="failed"`` and the
    error, not an exception.

    Parameters
    ----------
    dataset : Dataset
        From :func:`load_dataset` or :func:`load_file` (1 = minority).
    classifiers : list of keys of ``CLASSIFIERS``, or dict name -> unfitted estimator
        Default: all four.
    strategies : list of strategy keys or :class:`Strategy`, default=None
        Default: every strategy that applies (family members smotekit exports now).
    n_splits, n_repeats : int, default=5, 2
        Folds and repetitions of the cross-validation.
    random_state : int, default=0
        Seeds the splits, the samplers and the classifiers.
    scale : bool, default=True
        Standardise numeric features (fitted on the training fold) before resampling.
    n_jobs : int, default=1
        Parallel fits (joblib).
    progress : bool or None, default=None
        A tqdm bar on stderr; None shows it only when stderr is a terminal.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per fit, columns :data:`COLUMNS`.

    Examples
    --------
    >>> from smotekit.evaluation import evaluate, load_dataset
    >>> table = evaluate(load_dataset("ecoli1"), classifiers=["logreg"],
    ...                  strategies=["none", "smote"], n_splits=3, n_repeats=1)
    >>> table.groupby("strategy")["roc_auc"].count().to_dict()
    {'none': 3, 'smote': 3}
    """
    from smotekit._optional import import_optional

    pd = import_optional("pandas", "report")
    if n_splits < 2:
        raise ValueError(f"n_splits={n_splits} must be at least 2.")
    if n_repeats < 1:
        raise ValueError(f"n_repeats={n_repeats} must be at least 1.")
    n_min = int(dataset.y.sum())
    if n_min < n_splits:
        raise ValueError(
            f"{dataset.name!r} has {n_min} minority samples, fewer than n_splits={n_splits}: "
            "every test fold needs one; lower n_splits."
        )
    if classifiers is None:
        classifiers = list(CLASSIFIERS)
    if not isinstance(classifiers, dict):
        classifiers = {k: make_classifier(k, random_state) for k in classifiers}
    chosen = resolve_strategies(strategies, dataset)
    tasks = list(_tasks(dataset, classifiers, chosen, n_splits, n_repeats, random_state))

    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        tqdm = import_optional("tqdm", "report").tqdm
        bar = tqdm(total=len(tasks), desc=dataset.name, unit="fit", file=sys.stderr)
    rows = []
    if n_jobs == 1:
        results: Any = (_run_task(t, dataset, classifiers[t.classifier], scale) for t in tasks)
    else:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_run_task)(t, dataset, classifiers[t.classifier], scale) for t in tasks
        )
    for row in results:
        rows.append(row)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return pd.DataFrame(rows, columns=COLUMNS)

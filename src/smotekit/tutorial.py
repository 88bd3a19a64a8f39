"""The seed notebook's ``SMOTE`` function and its experiment, runnable as ``smotekit tutorial``.

The notebook (``examples/smote_tutorial.ipynb``) trains a logistic regression on 5000 majority
and 50 minority points, scores it on a balanced test set, adds 3000 SMOTE samples of the
minority and trains again. This module reproduces that run number for number: the same draws in
the same order from a ``RandomState`` seeded with 1 (identical to ``np.random.seed(1)`` followed
by the notebook's calls on NumPy's global state, which is left untouched here), the same models
and the same scores. The notebook's "AUROC" is computed from hard predicted labels, so it equals
balanced accuracy; it is reported under the notebook's name and flagged as such.

Output (tables and figures) goes through :func:`write_tutorial_outputs`; further report sections
take the same ``(out_dir, result)`` pair and are called after it by ``smotekit tutorial``.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from smotekit._functional import smote
from smotekit._optional import import_optional
from smotekit._tutorial_data import TutorialData, draw_data, make_data
from smotekit._validation import (
    check_finite,
    check_fraction,
    check_non_negative_int,
    check_numeric_2d,
)

__all__ = [
    "SMOTE",
    "Scores",
    "TutorialData",
    "TutorialResult",
    "format_table",
    "make_data",
    "run_experiment",
    "write_tutorial_outputs",
]

TABLE_COLUMNS = ("Train accuracy", "Test accuracy", "Train AUROC", "Test AUROC")
TABLE_FOOTNOTE = (
    "AUROC as the notebook computes it: roc_curve on hard predicted labels, i.e. balanced accuracy."
)


def SMOTE(
    X: Any,
    k: int,
    a: float,
    num_samples: int,
    *,
    random_state: int | np.random.RandomState | None = None,
) -> NDArray[np.floating]:
    """The notebook's SMOTE: ``num_samples`` synthetic samples grown from the columns of ``X``.

    Each synthetic sample is ``x + lam * (x_nn - x)`` where ``x`` is a sample (column) of ``X``
    drawn uniformly, ``x_nn`` one of its ``k`` nearest neighbours among the other samples, drawn
    uniformly, and ``lam ~ Uniform(0, a)``. ``a`` bounds how far along the segment from ``x``
    to ``x_nn`` a new sample may lie: ``a = 1`` is the original SMOTE of Chawla et al. (2002),
    ``a = 0.5`` (the notebook's choice) keeps every new sample in the half of the segment
    nearer to the sample it grows from. This is :func:`smotekit.smote` in the notebook's
    orientation, with the same kernel and neighbour search as :class:`smotekit.SMOTE`.

    Parameters
    ----------
    X : array-like of shape (n_features, n_samples)
        The samples to grow from, one per column (the notebook's ``x2`` has shape ``(2, 50)``);
        numeric, finite, at least ``k + 1`` samples.
    k : int
        Number of nearest neighbours to choose the partner from.
    a : float in (0, 1]
        Upper bound of the interpolation fraction ``lam``.
    num_samples : int
        Number of synthetic samples to generate (0 or more).
    random_state : int, RandomState or None, default=None
        ``None`` draws from NumPy's global random state, as the notebook expects, so
        ``np.random.seed(1)`` makes a run repeatable.

    Returns
    -------
    ndarray of shape (num_samples, n_features)
        One synthetic sample per row (the notebook transposes it with ``.T``). ``X`` is not
        modified.

    See Also
    --------
    smotekit.smote : The same function for ``(n_samples, n_features)`` data.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.tutorial import SMOTE
    >>> np.random.seed(0)
    >>> x2 = np.random.multivariate_normal([0, 3], [[0.2, 0], [0, 0.2]], size=50).T
    >>> xs = SMOTE(x2, 5, 0.5, 300)
    >>> xs.shape
    (300, 2)
    """
    X = _samples_as_columns(X)
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
        raise ValueError(f"k={k!r} must be a positive integer (the number of neighbours).")
    a = check_fraction(a, "a")
    num_samples = check_non_negative_int(num_samples, "num_samples")
    n_samples = X.shape[1]
    if k >= n_samples:
        fix = f"lower k to at most {n_samples - 1}" if n_samples >= 2 else "give more samples"
        raise ValueError(
            f"k={k} is too large: X has {n_samples} sample{'s' if n_samples != 1 else ''} "
            f"(columns), and each needs k others as neighbours: {fix}."
        )
    check_finite(X, "X")
    return smote(
        np.ascontiguousarray(X.T), k=int(k), a=a, num_samples=num_samples, random_state=random_state
    )


def _samples_as_columns(X: Any) -> NDArray[Any]:
    """``X`` as a non-empty numeric array of shape (n_features, n_samples)."""
    try:
        arr = np.asarray(X)
    except Exception as exc:
        raise TypeError(f"X could not be read as an array ({exc}).") from exc
    if arr.ndim != 2:
        raise ValueError(
            f"X must be 2-D (n_features, n_samples), one sample per column as in the notebook, "
            f"got shape {arr.shape}; for data with one sample per row pass X.T."
        )
    if arr.size == 0:
        raise ValueError(f"X is empty (shape {arr.shape}): SMOTE needs samples to grow from.")
    return check_numeric_2d(arr, "X")


class Scores(NamedTuple):
    """One row of the notebook's table."""

    train_accuracy: float
    test_accuracy: float
    train_auroc: float
    """The notebook's AUROC: from hard predicted labels, so it equals balanced accuracy."""
    test_auroc: float


@dataclass(frozen=True)
class TutorialResult:
    """What :func:`run_experiment` computed, enough to print the table and draw every figure."""

    data: TutorialData
    synthetic: NDArray[np.float64]
    """The SMOTE samples in the notebook's orientation (``xs`` after ``.T``), (2, num_samples)."""
    before: Scores
    after: Scores
    predictions: dict[str, NDArray[np.float64]]
    """Predicted labels, keys ``before_train``, ``before_test``, ``after_train``, ``after_test``."""
    models: dict[str, Any] = field(repr=False)
    """The fitted logistic regressions, keys ``before`` and ``after``."""
    k: int = 5
    a: float = 0.5


def _scores(model: Any, data: TutorialData) -> tuple[Scores, dict[str, NDArray[np.float64]]]:
    from sklearn import metrics

    pred_train = model.predict(data.X_train.T)
    pred_test = model.predict(data.X_test.T)
    # As in the notebook: roc_curve on hard labels gives one interior point, so this "AUROC" is
    # the mean of the two class recalls (balanced accuracy), not a ranking measure.
    fpr, tpr, _ = metrics.roc_curve(data.y_train, pred_train)
    train_auc = metrics.auc(fpr, tpr)
    fpr, tpr, _ = metrics.roc_curve(data.y_test, pred_test)
    test_auc = metrics.auc(fpr, tpr)
    scores = Scores(
        train_accuracy=float(metrics.accuracy_score(data.y_train, pred_train)),
        test_accuracy=float(metrics.accuracy_score(data.y_test, pred_test)),
        train_auroc=float(train_auc),
        test_auroc=float(test_auc),
    )
    return scores, {"train": pred_train, "test": pred_test}


def run_experiment(
    random_state: int | np.random.RandomState | None = 1,
    k: int = 5,
    a: float = 0.5,
    num_samples: int = 3000,
) -> TutorialResult:
    """Run the notebook: fit, score, add ``SMOTE(x2, k, a, num_samples)``, fit and score again.

    The random draws are the notebook's, in its order (data, then SMOTE right after the first
    model), so the defaults give the notebook's numbers exactly: test accuracy about 0.82
    before SMOTE and about 0.986 after.

    Parameters
    ----------
    random_state : int, RandomState or None, default=1
        As in :func:`make_data`; the SMOTE draws continue from the same stream.
    k, a, num_samples : default=5, 0.5, 3000
        The arguments of the notebook's ``SMOTE(x2, 5, 0.5, 3000)`` call.

    Returns
    -------
    TutorialResult

    Examples
    --------
    >>> from smotekit.tutorial import run_experiment
    >>> result = run_experiment()
    >>> round(result.before.test_accuracy, 3), result.after.test_accuracy > 0.95
    (0.818, True)
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    data = draw_data(rng)
    model_before = LogisticRegression().fit(data.X_train.T, data.y_train)
    before, pred_before = _scores(model_before, data)

    xs = SMOTE(data.x2, k, a, num_samples, random_state=rng).T
    X_train_aug = np.hstack([data.X_train, xs])
    y_train_aug = np.hstack([data.y_train, -1 * np.ones(xs.shape[1])])
    model_after = LogisticRegression().fit(X_train_aug.T, y_train_aug)
    after, pred_after = _scores(model_after, data)

    predictions = {f"before_{key}": value for key, value in pred_before.items()}
    predictions.update({f"after_{key}": value for key, value in pred_after.items()})
    return TutorialResult(
        data=data,
        synthetic=xs,
        before=before,
        after=after,
        predictions=predictions,
        models={"before": model_before, "after": model_after},
        k=int(k),
        a=float(a),
    )


def format_table(result: TutorialResult) -> str:
    """The notebook's results as a plain-text table with its footnote.

    Examples
    --------
    >>> from smotekit.tutorial import run_experiment, format_table
    >>> print(format_table(run_experiment()))
                   Train accuracy  Test accuracy  Train AUROC  Test AUROC
    before SMOTE           0.9952         0.8180       0.8590      0.8180
    after SMOTE            0.9879         0.9855       0.9741      0.9855
    SMOTE(x2, k=5, a=0.5, num_samples=3000) added 3000 minority samples to 5050 training samples.
    AUROC as the notebook computes it: roc_curve on hard predicted labels, i.e. balanced accuracy.
    """
    head = f"{'':<13}" + "".join(f"{name:>{len(name) + 2}}" for name in TABLE_COLUMNS)
    lines = [head]
    for label, scores in (("before SMOTE", result.before), ("after SMOTE", result.after)):
        cells = "".join(
            f"{value:>{len(name) + 2}.4f}"
            for name, value in zip(TABLE_COLUMNS, scores, strict=True)
        )
        lines.append(f"{label:<13}{cells}")
    n_new = result.synthetic.shape[1]
    lines.append(
        f"SMOTE(x2, k={result.k}, a={result.a:g}, num_samples={n_new}) added {n_new} minority "
        f"samples to {result.data.X_train.shape[1]} training samples."
    )
    lines.append(TABLE_FOOTNOTE)
    return "\n".join(lines)


def _results_csv(result: TutorialResult) -> str:
    rows = ["stage,train_accuracy,test_accuracy,train_auroc,test_auroc"]
    for label, scores in (("before_smote", result.before), ("after_smote", result.after)):
        rows.append(",".join([label, *(repr(float(v)) for v in scores)]))
    return "\n".join(rows) + "\n"


def _axes_like_notebook(ax: Any, title: str) -> None:
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.set_title(title)


def _scatter_by_label(ax: Any, X: NDArray[Any], y: NDArray[Any], title: str) -> None:
    # The notebook's plot(X, y): predicted majority in the default colour, minority in red.
    ax.scatter(X[0, y == 1], X[1, y == 1], s=8, label="predicted 1 (majority)")
    ax.scatter(X[0, y == -1], X[1, y == -1], s=8, c="red", label="predicted -1 (minority)")
    _axes_like_notebook(ax, title)


def _figures(result: TutorialResult) -> dict[str, Any]:
    """The notebook's figures, built without pyplot so no global state or GUI is touched."""
    figure = import_optional("matplotlib.figure", "report")
    data, xs = result.data, result.synthetic
    figs: dict[str, Any] = {}

    fig = figure.Figure(figsize=(6, 5))
    ax = fig.add_subplot()
    ax.scatter(data.x1[0], data.x1[1], s=8, label="majority (1)")
    ax.scatter(data.x2[0], data.x2[1], s=8, c="red", label="minority (-1)")
    _axes_like_notebook(ax, "Raw Data")
    ax.legend(loc="lower right", fontsize="small")
    figs["raw_data.png"] = fig

    fig = figure.Figure(figsize=(6, 5))
    ax = fig.add_subplot()
    ax.scatter(data.x1[0], data.x1[1], s=8, alpha=0.2, label="majority (1)")
    ax.scatter(xs[0], xs[1], s=8, c="black", alpha=0.2, label=f"SMOTE ({xs.shape[1]})")
    # The originals on top of the samples grown from them, so both stay visible.
    ax.scatter(data.x2[0], data.x2[1], s=8, c="red", label="minority (-1)", zorder=3)
    _axes_like_notebook(ax, f"SMOTE samples (k={result.k}, a={result.a:g})")
    ax.legend(loc="lower right", fontsize="small")
    figs["smote_samples.png"] = fig

    for stage, scores in (("before", result.before), ("after", result.after)):
        fig = figure.Figure(figsize=(12, 5), layout="constrained")
        for ax, part, X in zip(
            fig.subplots(1, 2), ("train", "test"), (data.X_train, data.X_test), strict=True
        ):
            accuracy = getattr(scores, f"{part}_accuracy")
            pred = result.predictions[f"{stage}_{part}"]
            _scatter_by_label(ax, X, pred, f"{part.capitalize()} set, accuracy {accuracy:.3f}")
        fig.suptitle(f"Results {stage} SMOTE: predicted labels")
        fig.axes[1].legend(loc="lower right", fontsize="small")
        figs[f"results_{stage}_smote.png"] = fig
    return figs


def write_tutorial_outputs(
    out_dir: str | Path, result: TutorialResult, *, figures: bool = True
) -> list[Path]:
    """Write ``results.csv`` and (unless ``figures=False``) the notebook's figures as PNG.

    Every file is written to a temporary file in ``out_dir`` and renamed into place, so an
    interrupted run never leaves a partial file. ``out_dir`` is created if needed. Figures need
    matplotlib (``pip install 'smotekit[report]'``).

    Returns
    -------
    list of Path
        The files written, ``results.csv`` first.

    Examples
    --------
    >>> import tempfile
    >>> from smotekit.tutorial import run_experiment, write_tutorial_outputs
    >>> paths = write_tutorial_outputs(tempfile.mkdtemp(), run_experiment(), figures=False)
    >>> [p.name for p in paths]
    ['results.csv']
    """
    from smotekit.io._atomic import atomic_output

    # Draw before creating anything, so a missing matplotlib leaves no half-written folder.
    figs = _figures(result) if figures else {}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    target = out / "results.csv"
    with atomic_output(target) as tmp:
        tmp.write_text(_results_csv(result))
    written.append(target)
    for name, fig in figs.items():
        target = out / name
        with atomic_output(target) as tmp:
            fig.savefig(tmp, format="png", dpi=100)
        written.append(target)
    return written

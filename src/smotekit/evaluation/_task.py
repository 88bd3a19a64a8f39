"""The two evaluation tasks, classification and regression: what differs between their reports.

Everything else (the runs, the statistics, the report, the figures) is one machinery that reads
its task from here: the name of the model column, the metrics and their direction, how two
strategies' scores on a data set are compared, the default baselines and the prose that says
how the folds were made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from smotekit.evaluation._metrics import METRICS
from smotekit.evaluation._regression_strategies import REGRESSION_METRICS, REGRESSORS
from smotekit.evaluation._strategies import CLASSIFIERS

__all__ = ["CLASSIFICATION", "REGRESSION", "TASKS", "Task", "get_task"]


@dataclass(frozen=True)
class Task:
    """What a task's tables and reports are made of.

    Attributes
    ----------
    name : str
        ``"classification"`` or ``"regression"``.
    model_column : str
        The column naming the model in every table: ``"classifier"`` or ``"regressor"``.
    models : mapping
        Model key -> description.
    metrics : mapping
        Metric name -> (higher is better, description), in the order of every table.
    metrics_heading : str
        The line above the metrics' descriptions in the report.
    number_format : str
        How a score is printed: scores in [0, 1] to three decimals, errors in the target's
        units to four significant digits.
    relative : bool
        Compare two strategies on a data set by the ratio of their scores (errors in the
        target's units, which differ between data sets) rather than by their difference
        (scores in [0, 1]).
    baselines : tuple of str
        The strategies every other is tested against by default.
    summary : tuple of (metric, label)
        The metrics printed after a run and drawn per fold.
    design : str
        How the folds are made and what is fitted inside them, for the report.
    failure : str
        What a failed strategy scores in a paired comparison, for the report.
    """

    name: str
    model_column: str
    models: Mapping[str, str]
    metrics: Mapping[str, tuple[bool, str]]
    metrics_heading: str
    number_format: str
    relative: bool
    baselines: tuple[str, ...]
    summary: tuple[tuple[str, str], ...]
    design: str
    failure: str


CLASSIFICATION = Task(
    name="classification",
    model_column="classifier",
    models=CLASSIFIERS,
    metrics=METRICS,
    metrics_heading="Metrics (minority = positive class):",
    number_format="{:.3f}",
    relative=False,
    baselines=("none", "threshold"),
    summary=(
        ("roc_auc", "ROC AUC"),
        ("pr_auc", "PR AUC"),
        ("balanced_accuracy", "bal acc"),
        ("brier", "Brier"),
    ),
    design=(
        "Repeated stratified k-fold cross-validation; scaling, resampling and threshold choice "
        "are fitted on each training fold only, and every test fold is left untouched."
    ),
    failure=(
        "a failure scoring the metric's worst value, 0, or 1 for the Brier score: a strategy "
        "that fails leaves no model, a loss"
    ),
)

REGRESSION = Task(
    name="regression",
    model_column="regressor",
    models=REGRESSORS,
    metrics=REGRESSION_METRICS,
    metrics_heading="Metrics (rare: phi >= 0.5):",
    number_format="{:.4g}",
    relative=True,
    baselines=("none",),
    summary=(
        ("rmse", "RMSE"),
        ("mae", "MAE"),
        ("rmse_rare", "RMSE rare"),
        ("sera", "SERA"),
    ),
    design=(
        "Repeated k-fold cross-validation, stratified by rarity (rare and normal rows, by the "
        "relevance of the whole target, are spread evenly over the folds, so that every test "
        "fold has rare cases). Scaling, the samplers' relevance and bins, and the regressor are "
        "fitted on each training fold only; the rare test cases (phi >= 0.5) and SERA's "
        "relevance come from the training fold's control points applied to the test targets, "
        "and every test fold is left untouched."
    ),
    failure=(
        "a failure scoring the worst value any strategy reached on that data set: a strategy "
        "that fails leaves no model, a loss; errors are in the target's units, which differ "
        "between data sets, so each pair is compared by the log of the ratio of their errors "
        "and the mean is shown as a relative change"
    ),
)

#: Task name -> :class:`Task`.
TASKS = {t.name: t for t in (CLASSIFICATION, REGRESSION)}


def get_task(task: str | Task) -> Task:
    """The :class:`Task` named ``task`` (a Task is returned as it is).

    Examples
    --------
    >>> get_task("regression").model_column
    'regressor'
    """
    if isinstance(task, Task):
        return task
    if task not in TASKS:
        raise ValueError(f"task={task!r} is unknown; choose from {', '.join(TASKS)}.")
    return TASKS[task]

"""Honest evaluation: does oversampling help *this* classifier on *this* data?

Repeated stratified cross-validation with every data-dependent step (scaling, resampling,
threshold choice) fitted inside the training folds, against the alternatives that cost less:
no resampling, class weights and threshold moving. Metrics from scores (ROC AUC, PR AUC), from
labels (balanced accuracy, G-mean, F1) and of calibration (Brier score), with their spread.
Over several data sets: mean ranks and the tests of Demsar (2006), Friedman, Nemenyi's critical
difference and Holm-corrected Wilcoxon tests against a baseline, with bootstrap intervals.
"""

from smotekit.evaluation._compare import Comparison, compare
from smotekit.evaluation._cv import COLUMNS, evaluate, resolve_strategies
from smotekit.evaluation._data import (
    Dataset,
    dataset_names,
    list_datasets,
    load_dataset,
    load_file,
    to_binary,
)
from smotekit.evaluation._metrics import METRICS, fold_metrics, g_mean
from smotekit.evaluation._report import summarize, write_report
from smotekit.evaluation._stats import (
    Friedman,
    critical_difference,
    friedman,
    holm,
    iman_davenport,
    nemenyi_pvalues,
    rank_scores,
    score_matrix,
    versus_baseline,
)
from smotekit.evaluation._strategies import (
    CLASSIFIERS,
    STRATEGIES,
    Strategy,
    available_strategies,
    build_estimator,
    make_classifier,
)

__all__ = [
    "CLASSIFIERS",
    "COLUMNS",
    "METRICS",
    "STRATEGIES",
    "Comparison",
    "Dataset",
    "Friedman",
    "Strategy",
    "available_strategies",
    "build_estimator",
    "compare",
    "critical_difference",
    "dataset_names",
    "evaluate",
    "fold_metrics",
    "friedman",
    "g_mean",
    "holm",
    "iman_davenport",
    "list_datasets",
    "load_dataset",
    "load_file",
    "make_classifier",
    "nemenyi_pvalues",
    "rank_scores",
    "resolve_strategies",
    "score_matrix",
    "summarize",
    "to_binary",
    "versus_baseline",
    "write_report",
]

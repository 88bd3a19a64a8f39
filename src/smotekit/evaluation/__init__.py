"""Honest evaluation: does oversampling help *this* classifier on *this* data?

Repeated stratified cross-validation with every data-dependent step (scaling, resampling,
threshold choice) fitted inside the training folds, against the alternatives that cost less:
no resampling, class weights and threshold moving. Metrics from scores (ROC AUC, PR AUC), from
labels (balanced accuracy, G-mean, F1) and of calibration (Brier score), with their spread.
"""

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
    "Dataset",
    "Strategy",
    "available_strategies",
    "build_estimator",
    "dataset_names",
    "evaluate",
    "fold_metrics",
    "g_mean",
    "list_datasets",
    "load_dataset",
    "load_file",
    "make_classifier",
    "resolve_strategies",
    "summarize",
    "to_binary",
    "write_report",
]

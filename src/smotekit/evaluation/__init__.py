"""Honest evaluation: does oversampling help *this* classifier on *this* data?

Repeated stratified cross-validation with every data-dependent step (scaling, resampling,
threshold choice) fitted inside the training folds, against the alternatives that cost less:
no resampling, class weights and threshold moving. Metrics from scores (ROC AUC, PR AUC), from
labels (balanced accuracy, G-mean, F1) and of calibration (Brier score), with their spread.
Over several data sets: mean ranks and the tests of Demsar (2006), Friedman, Nemenyi's critical
difference and Holm-corrected Wilcoxon tests against a baseline, with bootstrap intervals.

The same machinery evaluates imbalanced regression (:func:`evaluate_regression`): the samplers
of :mod:`smotekit.regression` against no resampling, with four regressors, scored by RMSE and MAE
overall and on the rare targets, and SERA.
"""

from smotekit.evaluation._compare import Comparison, compare
from smotekit.evaluation._cv import COLUMNS, evaluate, resolve_strategies
from smotekit.evaluation._data import (
    Dataset,
    dataset_names,
    list_datasets,
    load_dataset,
    load_file,
    load_regression,
    load_regression_file,
    to_binary,
)
from smotekit.evaluation._metrics import METRICS, fold_metrics, g_mean
from smotekit.evaluation._regression_cv import REGRESSION_COLUMNS, evaluate_regression
from smotekit.evaluation._regression_strategies import (
    REGRESSION_METRICS,
    REGRESSION_STRATEGIES,
    REGRESSORS,
    make_regressor,
    regression_fold_metrics,
)
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
    "REGRESSION_COLUMNS",
    "REGRESSION_METRICS",
    "REGRESSION_STRATEGIES",
    "REGRESSORS",
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
    "evaluate_regression",
    "fold_metrics",
    "friedman",
    "g_mean",
    "holm",
    "iman_davenport",
    "list_datasets",
    "load_dataset",
    "load_file",
    "load_regression",
    "load_regression_file",
    "make_classifier",
    "make_regressor",
    "nemenyi_pvalues",
    "rank_scores",
    "regression_fold_metrics",
    "resolve_strategies",
    "score_matrix",
    "summarize",
    "to_binary",
    "versus_baseline",
    "write_report",
]

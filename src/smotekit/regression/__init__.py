"""Imbalanced regression: the relevance function, rare bins, SERA, and SMOTER/SMOGN samplers.

The relevance function ``phi`` (Ribeiro 2011) marks rare target values; the samplers grow the
rare bins of the target (SMOTER, SMOGN, random over-sampling, Gaussian noise) and can stand in an
``imblearn.pipeline.Pipeline`` before a regressor; SERA and the rare-case errors measure how well
a model predicts the rare targets. The functions need only NumPy; the samplers (which bring
scikit-learn) and the data loaders load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from smotekit.regression._bins import RelevanceBins, bin_targets, relevance_bins
from smotekit.regression._metrics import rare_mae, rare_rmse, sera
from smotekit.regression._relevance import (
    BoxPlotStats,
    RelevanceControlPoints,
    box_plot_stats,
    relevance,
    relevance_control_points,
)

# public name -> module that defines it, loaded on first use
_LAZY = {
    "SMOTER": "smotekit.regression._smoter",
    "SMOGN": "smotekit.regression._smoter",
    "RandomOverSamplerRegression": "smotekit.regression._baselines",
    "GaussianNoiseRegression": "smotekit.regression._baselines",
    "RegressionDataset": "smotekit.regression._data",
    "load_regression_dataset": "smotekit.regression._data",
    "regression_dataset_names": "smotekit.regression._data",
}

__all__ = [
    "BoxPlotStats",
    "RelevanceBins",
    "RelevanceControlPoints",
    "bin_targets",
    "box_plot_stats",
    "rare_mae",
    "rare_rmse",
    "relevance",
    "relevance_bins",
    "relevance_control_points",
    "sera",
    *sorted(_LAZY),
]

if TYPE_CHECKING:
    from smotekit.regression._baselines import GaussianNoiseRegression as GaussianNoiseRegression
    from smotekit.regression._baselines import (
        RandomOverSamplerRegression as RandomOverSamplerRegression,
    )
    from smotekit.regression._data import RegressionDataset as RegressionDataset
    from smotekit.regression._data import load_regression_dataset as load_regression_dataset
    from smotekit.regression._data import regression_dataset_names as regression_dataset_names
    from smotekit.regression._smoter import SMOGN as SMOGN
    from smotekit.regression._smoter import SMOTER as SMOTER


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'smotekit.regression' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

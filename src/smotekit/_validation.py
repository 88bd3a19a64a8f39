"""Input checks whose errors name the parameter, the value and what to do."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "check_class_large_enough",
    "check_finite",
    "check_fraction",
    "check_non_negative_int",
    "check_numeric_2d",
]


def check_numeric_2d(X: Any, name: str = "X") -> NDArray[Any]:
    """``X`` as a 2-D numeric array (a copy only where conversion needs one)."""
    try:
        arr = np.asarray(X)
    except Exception as exc:
        raise TypeError(f"{name} could not be read as an array ({exc}).") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(
            f"{name} must be numeric, got dtype {arr.dtype}. SMOTE interpolates between rows, "
            "so every feature must be a number: encode categorical columns first, or use "
            "smotekit.SMOTENC (mixed) or smotekit.SMOTEN (all categorical)."
        )
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), got shape {arr.shape}; "
            "reshape it, for one feature with X.reshape(-1, 1)."
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(
            f"{name} is empty (shape {arr.shape}): SMOTE needs rows with at least one feature."
        )
    return arr


def check_finite(X: Any, name: str = "X") -> None:
    """Raise a clear error where ``X`` holds NaN or infinity (dense or sparse)."""
    data = X.data if hasattr(X, "format") and hasattr(X, "data") else X
    if not np.issubdtype(np.asarray(data).dtype, np.inexact):
        return
    finite = np.isfinite(data)
    if finite.all():
        return
    where = ""
    if not hasattr(X, "format"):
        row, col = np.argwhere(~finite)[0]
        where = f" (first at row {row}, column {col}: {X[row, col]})"
    raise ValueError(
        f"{name} contains NaN or inf{where}. SMOTE interpolates between rows and cannot use "
        "missing or infinite values: impute them (e.g. sklearn.impute.SimpleImputer) or drop "
        "those rows first."
    )


def check_fraction(value: Any, name: str) -> float:
    """A float in (0, 1]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in (0, 1], got {value!r}.")
    if not (0.0 < float(value) <= 1.0) or not np.isfinite(float(value)):
        raise ValueError(
            f"{name}={value!r} is out of range: it must be in (0, 1]. Gaps are drawn from "
            f"Uniform(0, {name}); use {name}=1.0 for the original SMOTE."
        )
    return float(value)


def check_non_negative_int(value: Any, name: str) -> int:
    """An integer >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a non-negative integer, got {value!r}.")
    if value < 0:
        raise ValueError(f"{name}={value} is negative: ask for 0 or more synthetic samples.")
    return int(value)


def check_class_large_enough(n_class: int, k: int, label: Any, param: str = "k_neighbors") -> None:
    """A class to grow needs ``k + 1`` samples: itself and ``k`` neighbours."""
    if n_class < k + 1:
        shown = label.item() if isinstance(label, np.generic) else label
        fix = (
            f"lower {param} to at most {n_class - 1}"
            if n_class >= 2
            else "collect more samples of it or leave it out of sampling_strategy"
        )
        raise ValueError(
            f"Class {shown!r} has {n_class} sample{'s' if n_class != 1 else ''}, but "
            f"{param}={k} needs at least {k + 1} to find {k} neighbours within the class: {fix}."
        )

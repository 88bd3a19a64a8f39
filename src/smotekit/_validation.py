"""Input checks whose errors name the parameter, the value and what to do."""

from __future__ import annotations

import numbers
import sys
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "check_class_large_enough",
    "check_data_large_enough",
    "check_finite",
    "check_fraction",
    "check_labels",
    "check_non_negative_int",
    "check_numeric_2d",
    "check_strategy_counts",
    "explain_strategy_result",
    "neighbors_fix",
    "neighbors_setting",
    "shown",
    "warn_user",
]

# Packages whose frames a warning skips, so that it points at the user's own line.
_LIBRARY = {"smotekit", "imblearn", "sklearn", "sklearn_compat"}


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


def check_finite(X: Any, name: str = "X", columns: Sequence[Any] | None = None) -> None:
    """Raise a clear error where ``X`` holds NaN or infinity (dense or sparse).

    ``columns`` (a frame's column names) lets the message name the column, not its position.
    A missing value (NaN) and an infinite one get different advice.
    """
    data = X.data if hasattr(X, "format") and hasattr(X, "data") else X
    if not np.issubdtype(np.asarray(data).dtype, np.inexact):
        return
    finite = np.isfinite(data)
    if finite.all():
        return
    if hasattr(X, "format"):
        coo = X.tocoo()
        bad = np.flatnonzero(~np.isfinite(coo.data))
        rows, cols, values = coo.row[bad], coo.col[bad], coo.data[bad]
    else:
        rows, cols = np.nonzero(~finite)
        values = X[rows, cols]
    missing = np.isnan(values)
    # NaN first: it is the commoner mistake, and its fix (imputation) differs from inf's.
    which = np.flatnonzero(missing if missing.any() else ~missing)
    first = which[0]
    column = columns[cols[first]] if columns is not None else None
    where = (
        f"first at row {rows[first]}, column {column!r}"
        if column is not None
        else f"first at row {rows[first]}, column {cols[first]}"
    )
    many = which.size > 1
    if missing.any():
        raise ValueError(
            f"{name} contains {f'{which.size} missing values' if many else 'a missing value'} "
            f"(NaN; {where}). "
            "SMOTE interpolates between rows and cannot use missing values: impute them (e.g. "
            "sklearn.impute.SimpleImputer) or drop those rows first."
        )
    raise ValueError(
        f"{name} contains {f'{which.size} infinite values' if many else 'an infinite value'} "
        f"({values[first]}; {where}). SMOTE interpolates between rows, and a step from or "
        "towards an infinite value is undefined: replace it with a finite value (e.g. clip "
        "the column) or drop those rows first."
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


def neighbors_setting(param: str, value: Any, k: int) -> str:
    """How a ``k_neighbors``-style setting reads in a message: ``k_neighbors=5``, or the estimator
    and what it searches (``k + 1`` neighbours: the sample itself and ``k`` others)."""
    if value is None or isinstance(value, numbers.Integral):
        return f"{param}={k}"
    return f"{param}={value!r} ({k + 1} neighbours per sample: the sample itself and {k} others)"


def neighbors_fix(param: str, value: Any, most: int) -> str:
    """The advice for a neighbour setting that asks for more than ``most`` neighbours."""
    if value is None or isinstance(value, numbers.Integral):
        return f"lower {param} to at most {most}"
    return f"give {param} an estimator with n_neighbors at most {most + 1}"


def shown(label: Any) -> Any:
    """A class label as users wrote it (``1``, not ``np.int64(1)``) for messages.

    Examples
    --------
    >>> import numpy as np
    >>> shown(np.int64(1)), shown("a")
    (1, 'a')
    """
    return label.item() if isinstance(label, np.generic) else label


def check_class_large_enough(
    n_class: int,
    k: int,
    label: Any,
    param: str | None = "k_neighbors",
    value: Any = None,
    *,
    reason: str | None = None,
) -> None:
    """A class to grow needs ``k + 1`` samples: itself and ``k`` neighbours.

    ``value`` is the parameter as the user gave it (an int or an estimator), for the message.
    Where the method itself needs the rows (``param=None``), ``reason`` says why. Raises
    :class:`~smotekit.exceptions.ClassTooSmallError`.

    Examples
    --------
    >>> check_class_large_enough(3, 5, 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    smotekit.exceptions.ClassTooSmallError: Class 1 has 3 samples, but k_neighbors=5 needs ...
    """
    if n_class >= k + 1:
        return
    from smotekit.exceptions import ClassTooSmallError  # imports scikit-learn: only when raising

    has = f"Class {shown(label)!r} has {n_class} sample{'s' if n_class != 1 else ''}"
    if param is None:
        message = (
            f"{has}: {reason}, so it needs at least {k + 1}. Collect more samples of it or "
            "leave it out of sampling_strategy."
        )
    else:
        fix = (
            neighbors_fix(param, value, n_class - 1)
            if n_class >= 2
            else "collect more samples of it or leave it out of sampling_strategy"
        )
        message = (
            f"{has}, but {neighbors_setting(param, value, k)} needs at least {k + 1} to find "
            f"{k} neighbours within the class: {fix}."
        )
    raise ClassTooSmallError(
        message, label=label, n_rows=n_class, needed=k + 1, param=param, value=value
    )


def check_data_large_enough(
    n_rows: int, k: int, param: str, value: Any = None, owner: str | None = None
) -> None:
    """A search over all rows needs ``k + 1`` of them: each row and ``k`` others.

    ``owner`` names the sampler at the start of the message. Raises
    :class:`~smotekit.exceptions.ClassTooSmallError` with ``label=None``.
    """
    if n_rows >= k + 1:
        return
    from smotekit.exceptions import ClassTooSmallError  # imports scikit-learn: only when raising

    setting = neighbors_setting(param, value, k)
    raise ClassTooSmallError(
        f"{f'{owner} with ' if owner else ''}{setting} needs at least {k + 1} samples to find "
        f"{k} neighbours of each sample, but X has {n_rows}: "
        f"{neighbors_fix(param, value, max(n_rows - 1, 1))} or give more samples.",
        n_rows=n_rows,
        needed=k + 1,
        param=param,
        value=value,
    )


def check_labels(y: Any) -> None:
    """Refuse float labels that are not whole numbers (a regression target, or codes like 0.5).

    The message starts as scikit-learn's ("Unknown label type") and says what to do.
    """
    try:
        arr = np.asarray(y)
    except Exception:  # left to the sampler's own checks
        return
    if arr.dtype.kind != "f":
        return
    fractional = arr[np.isfinite(arr) & (arr != np.round(arr))]
    if fractional.size:
        examples = ", ".join(f"{v:g}" for v in np.unique(fractional)[:3])
        raise ValueError(
            f"Unknown label type: y holds float values that are not whole numbers ({examples}), "
            "but oversampling needs class labels. If they are class codes, convert them (e.g. "
            "y.astype(str)); if y is a measurement, bin it into classes first (e.g. "
            "numpy.digitize)."
        )


def check_strategy_counts(strategy: Any, source: str = "sampling_strategy") -> None:
    """A dict strategy must map classes to whole numbers of samples."""
    if not isinstance(strategy, dict):
        return
    for label, count in strategy.items():
        if isinstance(count, bool) or not isinstance(count, numbers.Integral):
            number = float(count) if isinstance(count, numbers.Real) else float("nan")
            hint = f"use {int(number)} or {int(number) + 1}" if np.isfinite(number) else "an int"
            raise ValueError(
                f"{source} asks for {count!r} samples of class {label!r}: counts must be whole "
                f"numbers of samples, {hint}."
            )


def explain_strategy_result(strategy: Any, y: Any) -> None:
    """After a failure, say so if a callable ``sampling_strategy`` returned no valid dict."""
    if not callable(strategy):
        return
    try:
        result = strategy(np.asarray(y))
    except Exception:  # the original error says more than a second failure would
        return
    if not isinstance(result, dict):
        raise ValueError(
            f"sampling_strategy={getattr(strategy, '__name__', strategy)!s} returned "
            f"{result!r} ({type(result).__name__}); a callable sampling_strategy must return a "
            "dict {class label: number of samples wanted}."
        )
    check_strategy_counts(result, f"sampling_strategy={getattr(strategy, '__name__', strategy)}")


def warn_user(message: str, category: type[Warning]) -> None:
    """Warn, attributed to the caller's line rather than to a line of the library stack."""
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] in _LIBRARY:
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    warnings.warn(message, category, stacklevel=level)

"""DataFrames in, the same library out: pandas (nullable and pyarrow-backed dtypes) and polars.

imbalanced-learn returns a pandas DataFrame for a pandas DataFrame, but it casts the resampled
values back to the input's integer dtypes by truncation, and it does not take polars. This module
sits around ``fit_resample``:

* before: the frame becomes one NumPy array for the sampler. Numeric columns keep their common
  NumPy dtype (an all-integer frame stays integer, so it is resampled in exact integer
  arithmetic); a missing numeric value becomes NaN, which the sampler reports by column name.
  Text, categorical and similar columns make it an object array (for ``SMOTENC``/``SMOTEN``; the
  other samplers refuse them by name). :class:`InputColumns` keeps each column's name and kind,
  so ``SMOTENC`` can find columns by name or with ``categorical_features="auto"``;
* after: the original rows are the caller's own rows, copied as they were (never converted, so
  integers beyond 2**53 stay exact); only the synthetic values are converted, with the kernel's
  :func:`~smotekit._kernels.cast_values` (integer and boolean columns rounded, or truncated as
  imbalanced-learn does; every value clipped to its column's dtype).

A library is used only when the caller's object comes from it (looked up in ``sys.modules``,
never imported), so polars works without pandas installed and ``import smotekit`` loads neither.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import cast_values

__all__ = ["FrameRoundTrip", "InputColumns", "frame_as_numeric", "frame_round_trip"]

# Column kinds: numbers are interpolated; text and categories (and, when named, any other
# hashable values such as dates) are voted by SMOTE-NC and SMOTE-N; nested values are refused.
NUMBER, CATEGORY, NESTED = "number", "category", "nested values"


def _is_pandas(obj: Any, kind: str) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(obj, getattr(pd, kind))


def _is_polars(obj: Any, kind: str) -> bool:
    pl = sys.modules.get("polars")
    return pl is not None and isinstance(obj, getattr(pl, kind))


@dataclass(frozen=True)
class InputColumns:
    """Names and kinds of a frame's columns: ``"number"``, ``"category"`` or a description of a
    column that is neither (a date, a list, ...)."""

    names: list[Any]
    kinds: list[str]

    def categorical(self) -> NDArray[np.intp]:
        """Indices of the text and categorical columns (``categorical_features="auto"``)."""
        return np.flatnonzero([kind == CATEGORY for kind in self.kinds])


def _pandas_column(column: Any) -> tuple[NDArray[Any], str, Any]:
    """Values for the sampler, the column's kind, and the NumPy dtype synthetic values take."""
    dtype = column.dtype
    text = str(dtype)
    try:  # nullable and pyarrow dtypes name their NumPy dtype, sparse ones their subtype
        target = np.dtype(getattr(dtype, "numpy_dtype", None) or getattr(dtype, "subtype", dtype))
    except TypeError:
        target = np.dtype(object)
    is_category = text == "category"
    if target.kind in "biuf" and not is_category:
        if bool(column.isna().any()):
            return column.to_numpy(dtype=np.float64, na_value=np.nan), NUMBER, target
        return column.to_numpy(dtype=target), NUMBER, target
    if "list<" in text or "struct<" in text:
        return np.empty(0), f"{NESTED} ({dtype})", target
    if is_category or target.kind in "OUS" or "string" in text:
        kind = CATEGORY
    elif target.kind in "mM" or "date" in text or "time" in text:
        kind = f"dates or times ({dtype})"
    else:
        kind = f"values of type {dtype}"
    if is_category or target.kind == "O":
        values = column.to_numpy(dtype=object)
    else:  # pandas' own missing value (pd.NA) is no category an encoder can sort
        values = column.to_numpy(dtype=object, na_value=None)
    return values, kind, target


def _polars_column(series: Any) -> tuple[NDArray[Any], str, Any]:
    """The polars counterpart of :func:`_pandas_column`."""
    import polars as pl

    dtype = series.dtype
    if dtype.is_numeric() or dtype == pl.Boolean:
        target = series.head(0).to_numpy().dtype
        if target.kind not in "biuf":  # Decimal, 128-bit integers
            return series.cast(pl.Float64).to_numpy(), NUMBER, np.dtype(np.float64)
        if series.null_count():
            return series.cast(pl.Float64).to_numpy(), NUMBER, target
        return series.to_numpy(), NUMBER, target
    if isinstance(dtype, pl.List | pl.Array | pl.Struct) or dtype == pl.Object:
        return np.empty(0), f"{NESTED} ({dtype})", np.dtype(object)
    if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum):
        kind = CATEGORY
    elif dtype.is_temporal():
        kind = f"dates or times ({dtype})"
    else:
        kind = f"values of type {dtype}"
    values = np.empty(len(series), dtype=object)
    values[:] = series.to_list()
    return values, kind, np.dtype(object)


def _column_error(name: Any, kind: str, owner: str) -> ValueError:
    if kind == CATEGORY:
        return ValueError(
            f"X column {name!r} holds text or categories, but {owner} interpolates numbers: "
            f"encode it first (e.g. sklearn.preprocessing.OneHotEncoder), or use "
            f"smotekit.SMOTENC(categorical_features=[{name!r}]) for mixed columns or "
            "smotekit.SMOTEN for categorical ones."
        )
    if kind.startswith("dates"):
        return ValueError(
            f"X column {name!r} holds {kind}, but {owner} interpolates numbers: convert it to "
            "a number first (e.g. seconds since an epoch) or drop it."
        )
    return ValueError(
        f"X column {name!r} holds {kind}, which is neither a number nor a category: drop it, "
        "or turn it into one value per row (numeric columns, or text) first."
    )


def _columns(X: Any, owner: str, categories_ok: bool) -> tuple[list[Any], InputColumns, list]:
    """Each column's values, the frame's :class:`InputColumns` and each column's target dtype."""
    if _is_pandas(X, "DataFrame"):
        parts = [_pandas_column(X.iloc[:, j]) for j in range(X.shape[1])]
    else:
        parts = [_polars_column(X.to_series(j)) for j in range(X.shape[1])]
    names = list(X.columns)
    for name, (_, kind, _) in zip(names, parts, strict=True):
        if kind != NUMBER and (not categories_ok or kind.startswith(NESTED)):
            raise _column_error(name, kind, owner)
    values = [p[0] for p in parts]
    return values, InputColumns(names, [p[1] for p in parts]), [p[2] for p in parts]


def _stack(values: list[NDArray[Any]], n_rows: int) -> NDArray[Any]:
    """Columns side by side: their common numeric dtype, or object when any is not a number."""
    if not values:
        return np.empty((n_rows, 0))
    if all(v.dtype != object for v in values):
        return np.column_stack(values)
    out = np.empty((n_rows, len(values)), dtype=object)
    for j, v in enumerate(values):
        out[:, j] = v
    return out


def frame_as_numeric(X: Any, owner: str) -> tuple[Any, InputColumns | None]:
    """A pandas or polars frame as one numeric array and its columns; anything else unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> frame_as_numeric(np.zeros((2, 2)), "smote")[1] is None
    True
    """
    if not (_is_pandas(X, "DataFrame") or _is_polars(X, "DataFrame")):
        return X, None
    values, columns, _ = _columns(X, owner, categories_ok=False)
    return _stack(values, X.shape[0]), columns


@dataclass
class FrameRoundTrip:
    """What ``fit_resample`` needs to give frames back in the caller's library and dtypes."""

    X: Any  # what the sampler is given
    y: Any
    frame: Any  # the caller's X when it is a frame, else None
    columns: InputColumns | None
    targets: list[Any] | None  # per column, the NumPy dtype its synthetic values take
    y_series: Any  # the caller's y when it is a Series, else None

    def name_features(self, estimator: Any) -> None:
        """``feature_names_in_`` as scikit-learn sets it for a frame with string column names."""
        if self.columns is not None and all(isinstance(c, str) for c in self.columns.names):
            estimator.feature_names_in_ = np.asarray(self.columns.names, dtype=object)

    def restore(
        self, X_res: Any, y_res: Any, original_rows: NDArray[np.intp], integer_rounding: str
    ) -> tuple[Any, Any]:
        """The resampled data in the caller's library, names and dtypes.

        ``original_rows[i]`` is the row of the caller's ``X`` that output row ``i`` is, or -1 for
        a synthetic row; original rows are taken from the caller's frame as they were.
        """
        if self.frame is not None:
            X_res = self._restore_X(np.asarray(X_res), original_rows, integer_rounding)
        if self.y_series is not None:
            y_res = self._restore_y(y_res)
        return X_res, y_res

    def _synthetic_columns(
        self, X_res: NDArray[Any], rows: Any, integer_rounding: str
    ) -> list[NDArray[Any]]:
        assert self.columns is not None and self.targets is not None
        out = []
        for j, (kind, target) in enumerate(zip(self.columns.kinds, self.targets, strict=True)):
            values = X_res[rows, j]
            if kind == NUMBER:
                numbers = values if values.dtype != object else values.astype(np.float64)
                values = cast_values(numbers.copy(), target, integer_rounding)
            out.append(values)
        return out

    def _restore_X(
        self, X_res: NDArray[Any], original_rows: NDArray[np.intp], integer_rounding: str
    ) -> Any:
        is_synthetic = original_rows < 0
        synthetic = np.flatnonzero(is_synthetic)
        n_kept = original_rows.size - synthetic.size
        # Usually the originals come first: a slice, no gather.
        leading = bool(not is_synthetic[n_kept:].size or not is_synthetic[:n_kept].any())
        rows = slice(n_kept, None) if leading else synthetic
        new = self._synthetic_columns(X_res, rows, integer_rounding)
        kept = original_rows[~is_synthetic]
        order = None if leading else np.argsort(np.r_[np.flatnonzero(~is_synthetic), synthetic])
        if _is_polars(self.frame, "DataFrame"):
            return _polars_rows(self.frame, kept, new, order)
        return _pandas_rows(self.frame, kept, new, order)

    def _restore_y(self, y_res: Any) -> Any:
        y = self.y_series
        values = y_res.to_numpy() if hasattr(y_res, "to_numpy") else np.asarray(y_res)
        if _is_polars(y, "Series"):
            import polars as pl

            return pl.Series(y.name, values.tolist()).cast(y.dtype)
        return type(y)(values, name=y.name).astype(y.dtype)


def _pandas_rows(frame: Any, kept: NDArray[np.intp], new: list[NDArray[Any]], order: Any) -> Any:
    """The caller's rows ``kept``, then the synthetic columns ``new``, in ``order``."""
    pd = sys.modules["pandas"]
    names = frame.columns
    originals = frame.iloc[kept].set_axis(range(frame.shape[1]), axis=1)
    synthetic = pd.DataFrame(
        {j: pd.Series(v, dtype=object if v.dtype == object else None) for j, v in enumerate(new)}
    )
    synthetic = synthetic.astype(dict(enumerate(frame.dtypes)))
    out = pd.concat([originals, synthetic], ignore_index=True)
    if order is not None:
        out = out.take(order).reset_index(drop=True)
    return out.set_axis(names, axis=1)


def _polars_rows(frame: Any, kept: NDArray[np.intp], new: list[NDArray[Any]], order: Any) -> Any:
    import polars as pl

    synthetic = pl.DataFrame(
        [
            pl.Series(name, v if v.dtype != object else v.tolist()).cast(dtype)
            for name, dtype, v in zip(frame.columns, frame.dtypes, new, strict=True)
        ]
    )
    out = pl.concat([frame[kept], synthetic], how="vertical")
    return out if order is None else out[order]


def frame_round_trip(X: Any, y: Any, owner: str, categories_ok: bool) -> FrameRoundTrip | None:
    """Prepare frames (or a Series ``y``) for a sampler; ``None`` when neither is one.

    ``owner`` names the sampler in messages; ``categories_ok`` says whether it takes text and
    categorical columns (SMOTE-NC, SMOTE-N) or refuses them by name.

    Examples
    --------
    >>> import numpy as np
    >>> frame_round_trip(np.zeros((2, 2)), np.array([0, 1]), "SMOTE", False) is None
    True
    """
    x_frame = _is_pandas(X, "DataFrame") or _is_polars(X, "DataFrame")
    if _is_polars(y, "DataFrame"):
        raise ValueError(
            f"y is a polars DataFrame with {y.width} column(s) {y.columns[:5]}: pass the label "
            f"column as a Series, e.g. y.to_series() or frame[{y.columns[0]!r}]."
        )
    y_series = y if _is_pandas(y, "Series") or _is_polars(y, "Series") else None
    if not x_frame and y_series is None:
        return None
    X_in, columns, targets = X, None, None
    if x_frame:
        values, columns, targets = _columns(X, owner, categories_ok)
        X_in = _stack(values, X.shape[0])
    y_in = y
    if y_series is not None:
        polars = _is_polars(y, "Series")
        n_missing = int(y.null_count() if polars else y.isna().sum())
        if n_missing:
            raise ValueError(
                f"y ({y.name!r}) has {n_missing} missing labels: every row needs a class. "
                "Drop those rows or give them a class first."
            )
        y_in = y.to_numpy() if polars else y.to_numpy(dtype=getattr(y.dtype, "numpy_dtype", None))
    return FrameRoundTrip(X_in, y_in, X if x_frame else None, columns, targets, y_series)

"""DataFrames in, the same library out: pandas (nullable dtypes included) and polars.

imbalanced-learn already returns a pandas DataFrame for a pandas DataFrame, but it casts the
resampled float values back to the input's integer dtypes by truncation (a synthetic value of
2.97 becomes 2, so synthetic rows look copied), and it does not accept pandas' nullable dtypes
(``Int64``, ``Float64``, ``boolean``) or polars. This module sits around ``fit_resample``:

* before: the frame becomes a pandas DataFrame of plain NumPy dtypes. Integer, boolean and
  nullable numeric columns become float64 (a missing value becomes NaN, which the sampler then
  reports clearly); categorical and text columns are kept as they are, so ``SMOTENC`` can still
  find them by name or with ``categorical_features="auto"``; float columns are untouched, so plain
  float input gives exactly imbalanced-learn's output;
* after: every column gets its original name and dtype back. Integer and boolean columns are
  **rounded** to the nearest value before the cast, never truncated.

pandas and polars are never imported here unless the caller already has them loaded
(``sys.modules``), so ``import smotekit`` stays free of both.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["FrameRoundTrip", "frame_round_trip"]


def _is_pandas(obj: Any, kind: str) -> bool:
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(obj, getattr(pd, kind))


def _is_polars(obj: Any, kind: str) -> bool:
    pl = sys.modules.get("polars")
    return pl is not None and isinstance(obj, getattr(pl, kind))


def _pandas() -> Any:
    from smotekit._optional import import_optional

    return import_optional("pandas", "frames")


def _numeric_kind(dtype: Any) -> str | None:
    """``"int"``, ``"bool"`` or ``"float"`` for a (pandas or NumPy) numeric dtype, else None."""
    try:
        np_dtype = np.dtype(getattr(dtype, "numpy_dtype", dtype))
    except TypeError:
        return None
    if getattr(dtype, "name", "") == "category":
        return None
    if np.issubdtype(np_dtype, np.bool_):
        return "bool"
    if np.issubdtype(np_dtype, np.integer):
        return "int"
    if np.issubdtype(np_dtype, np.floating):
        return "float"
    return None


def _plain_pandas_column(column: Any) -> Any:
    """A column the samplers read: numbers as float64 NumPy (NaN for missing), others as is."""
    kind = _numeric_kind(column.dtype)
    if kind in ("int", "bool") or (kind == "float" and not isinstance(column.dtype, np.dtype)):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    return column.reset_index(drop=True)


def _restore_values(values: Any, kind: str | None) -> Any:
    """Round integer and boolean columns (synthetic values lie between two integers)."""
    if kind in ("int", "bool"):
        arr = np.asarray(values, dtype=np.float64)
        return np.rint(arr)
    return values


@dataclass
class FrameRoundTrip:
    """What ``fit_resample`` needs to give a frame back in the caller's library and dtypes."""

    library: str  # "pandas" or "polars"
    X: Any  # what the sampler is given
    y: Any
    columns: list[Any] | None
    dtypes: list[Any] | None  # original dtypes, per column
    y_name: Any
    y_dtype: Any
    y_library: str | None  # "pandas", "polars" or None (y was not a Series)

    def restore(self, X_res: Any, y_res: Any) -> tuple[Any, Any]:
        """The resampled data in the caller's library, column names and dtypes."""
        if self.columns is not None and self.dtypes is not None:
            X_res = self._restore_X(X_res)
        if self.y_library is not None:
            y_res = self._restore_y(y_res)
        return X_res, y_res

    def _restore_X(self, X_res: Any) -> Any:
        assert self.columns is not None and self.dtypes is not None
        pd = _pandas()
        if _is_pandas(X_res, "DataFrame"):
            data = {i: X_res.iloc[:, i] for i in range(X_res.shape[1])}
        else:
            arr = X_res.toarray() if hasattr(X_res, "toarray") else np.asarray(X_res)
            data = {i: arr[:, i] for i in range(arr.shape[1])}
        if self.library == "polars":
            import polars as pl

            series = []
            for i, (name, dtype) in enumerate(zip(self.columns, self.dtypes, strict=True)):
                values = data[i]
                values = values.to_numpy() if hasattr(values, "to_numpy") else values
                if dtype == pl.Categorical or isinstance(dtype, pl.Enum):
                    s = pl.Series(name, np.asarray(values, dtype=object).tolist(), dtype=pl.String)
                else:
                    kind = "int" if dtype.is_integer() else "bool" if dtype == pl.Boolean else None
                    s = pl.Series(name, _restore_values(values, kind))
                series.append(s.cast(dtype))
            return pl.DataFrame(series)
        out = {}
        for i, dtype in enumerate(self.dtypes):
            values = data[i]
            kind = _numeric_kind(dtype)
            if kind in ("int", "bool"):
                values = _restore_values(values, kind)
            out[i] = pd.Series(np.asarray(values) if kind else values).astype(dtype)
        frame = pd.DataFrame(out)
        frame.columns = pd.Index(self.columns)
        return frame

    def _restore_y(self, y_res: Any) -> Any:
        values = y_res.to_numpy() if hasattr(y_res, "to_numpy") else np.asarray(y_res)
        if self.y_library == "polars":
            import polars as pl

            return pl.Series(self.y_name, values.tolist()).cast(self.y_dtype)
        pd = _pandas()
        return pd.Series(values, name=self.y_name).astype(self.y_dtype)


def frame_round_trip(X: Any, y: Any) -> FrameRoundTrip | None:
    """Prepare a DataFrame (or Series ``y``) for a sampler; ``None`` for plain arrays.

    Examples
    --------
    >>> import numpy as np
    >>> frame_round_trip(np.zeros((2, 2)), np.array([0, 1])) is None
    True
    """
    x_pandas, x_polars = _is_pandas(X, "DataFrame"), _is_polars(X, "DataFrame")
    y_pandas, y_polars = _is_pandas(y, "Series"), _is_polars(y, "Series")
    if not (x_pandas or x_polars or y_pandas or y_polars):
        return None
    columns = dtypes = None
    X_in = X
    if x_pandas or x_polars:
        pd = _pandas()
        columns = list(X.columns)
        if x_pandas:
            dtypes = list(X.dtypes)
            plain = {i: _plain_pandas_column(X.iloc[:, i]) for i in range(X.shape[1])}
        else:
            dtypes = list(X.schema.values())
            plain = {i: _polars_column_to_pandas(X.to_series(i), pd) for i in range(X.shape[1])}
        X_in = pd.DataFrame(plain)
        # String column names keep names working in ``categorical_features``.
        X_in.columns = pd.Index(columns)
    y_in = y
    y_name = y_dtype = y_library = None
    if (y_pandas or y_polars) and bool(y.is_null().any() if y_polars else y.isna().any()):
        raise ValueError(
            f"y ({y.name!r}) has {int(y.null_count() if y_polars else y.isna().sum())} missing "
            "labels: every row needs a class. Drop those rows or give them a class first."
        )
    if y_pandas:
        y_library, y_name, y_dtype = "pandas", y.name, y.dtype
        y_in = y.to_numpy(dtype=getattr(y.dtype, "numpy_dtype", None))
    elif y_polars:
        y_library, y_name, y_dtype = "polars", y.name, y.dtype
        y_in = y.to_numpy()
    return FrameRoundTrip(
        library="polars" if x_polars else "pandas",
        X=X_in,
        y=y_in,
        columns=columns,
        dtypes=dtypes,
        y_name=y_name,
        y_dtype=y_dtype,
        y_library=y_library,
    )


def _polars_column_to_pandas(series: Any, pd: Any) -> Any:
    """A polars column as a pandas column of plain dtype (categoricals stay categorical)."""
    import polars as pl

    dtype = series.dtype
    if dtype == pl.Categorical or isinstance(dtype, pl.Enum):
        values = series.cast(pl.String).to_list()
        return pd.Series(pd.Categorical(values))
    if dtype.is_numeric() or dtype == pl.Boolean:
        return series.cast(pl.Float64).to_numpy()
    return pd.Series(series.to_list(), dtype=object)

"""The input collections as row partitions, and synthetic blocks put back in the input's form."""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import PROVENANCE_DTYPE, cast_values
from smotekit._optional import import_optional

__all__ = ["Source", "labels_block", "with_target"]


class Source:
    """The input collections as row partitions, and how to give synthetic rows the same form."""

    def __init__(self, X: Any, y: Any) -> None:
        dask = import_optional("dask", "dask")
        self.joined_parts: list[Any] | None = None  # DataFrame X and Series y, as one frame
        dd = _dask_dataframe_or_none()
        da = import_optional("dask.array", "dask")
        self.is_frame = dd is not None and isinstance(X, dd.DataFrame)
        if self.is_frame:
            self.X = X
            self.columns = list(X.columns)
            self.dtypes = list(X.dtypes)
            self.x_parts = list(X.to_delayed())
            kinds = {np.dtype(t).kind if _is_numpy_dtype(t) else "O" for t in self.dtypes}
            self.work_dtype = (
                np.result_type(*[np.dtype(t) for t in self.dtypes])
                if kinds <= set("biuf")
                else np.dtype(np.float64)
            )
        elif isinstance(X, da.Array):
            if X.ndim != 2:
                raise ValueError(f"X must be 2-D (rows, features); got a {X.ndim}-D dask array.")
            if any(math.isnan(c) for c in X.chunks[0]):
                raise ValueError("X has unknown chunk sizes; call X.compute_chunk_sizes() first.")
            self.X = X.rechunk({1: -1})
            self.columns = list(range(X.shape[1]))
            self.dtypes = [X.dtype] * X.shape[1]
            self.work_dtype = X.dtype if X.dtype.kind in "biuf" else np.dtype(np.float64)
            self.x_parts = list(self.X.to_delayed().ravel())
        else:
            raise TypeError(
                f"X must be a dask DataFrame or a dask Array, got {type(X).__name__}; for data "
                "in memory use the sampler's fit_resample."
            )
        if dd is not None and isinstance(y, dd.DataFrame):
            if len(y.columns) != 1:
                raise ValueError(f"y must be one column; got a DataFrame with {len(y.columns)}.")
            y = y[y.columns[0]]
        if dd is not None and isinstance(y, dd.Series):
            self.y_dtype = y.dtype
            self.y_name = y.name
            if self.is_frame:
                self.joined_parts = _joined_parts(X, y)
                self.x_parts = [dask.delayed(_without_target)(p) for p in self.joined_parts]
                self.y_parts = [
                    dask.delayed(operator.getitem)(p, _Y_COLUMN) for p in self.joined_parts
                ]
            else:
                self.y_parts = list(y.to_delayed())
        elif isinstance(y, da.Array):
            if y.ndim != 1:
                raise ValueError(f"y must be 1-D; got a {y.ndim}-D dask array.")
            if not self.is_frame:
                if y.shape[0] != X.shape[0]:
                    raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}.")
                y = y.rechunk(self.X.chunks[0])
            self.y_parts = list(y.to_delayed().ravel())
            self.y_dtype = y.dtype
            self.y_name = None
        else:
            raise TypeError(f"y must be a dask Series or a dask Array, got {type(y).__name__}.")
        self.y = y
        if len(self.y_parts) != len(self.x_parts):
            raise ValueError(
                f"X has {len(self.x_parts)} partitions but y has {len(self.y_parts)}: partition "
                "them alike (for example, take both from the same DataFrame)."
            )

    def text_columns(self) -> list[int]:
        """Positions of the frame's columns that do not hold numbers (their rows carry codes)."""
        if not self.is_frame:
            return []
        import pandas as pd

        return [j for j, t in enumerate(self.dtypes) if not pd.api.types.is_numeric_dtype(t)]

    def form(self, codes: dict[int, NDArray[Any]]) -> _RowForm:
        """How synthetic rows get the input's form; ``codes[j]``: column ``j``'s categories."""
        return _RowForm(self.is_frame, self.columns, self.dtypes, codes)

    def assemble(
        self,
        x_blocks: list[Any],
        y_blocks: list[Any],
        prov_blocks: list[Any],
        sizes: list[int],
        n_input: int,
        return_provenance: bool,
    ) -> tuple[Any, ...]:
        dask = import_optional("dask", "dask")
        da = import_optional("dask.array", "dask")
        delayed = dask.delayed
        if self.is_frame:
            dd = import_optional("dask.dataframe", "dask")
            import pandas as pd

            starts = np.concatenate([[n_input], n_input + np.cumsum(sizes)])
            frames = [
                delayed(_with_index)(xb, int(s)) for xb, s in zip(x_blocks, starts, strict=False)
            ]
            series = [
                delayed(_as_series)(yb, self.y_name, int(s))
                for yb, s in zip(y_blocks, starts, strict=False)
            ]
            y_meta = pd.Series([], dtype=self.y_dtype, name=self.y_name)
            if frames:
                X_res = dd.concat([self.X, dd.from_delayed(frames, meta=self.X._meta)])
                y_res = dd.concat([self.y, dd.from_delayed(series, meta=y_meta)])
            else:
                X_res, y_res = self.X, self.y
        else:
            d = len(self.columns)
            arrays = [
                da.from_delayed(xb, shape=(n, d), dtype=self.dtypes[0])
                for xb, n in zip(x_blocks, sizes, strict=True)
            ]
            labels = [
                da.from_delayed(yb, shape=(n,), dtype=self.y_dtype)
                for yb, n in zip(y_blocks, sizes, strict=True)
            ]
            X_res = da.concatenate([self.X, *arrays]) if arrays else self.X
            y_res = da.concatenate([self.y, *labels]) if labels else self.y
        if not return_provenance:
            return X_res, y_res
        return X_res, y_res, self._provenance(prov_blocks, [float(n) for n in sizes])

    def partitions(
        self, x_blocks: list[Any], y_blocks: list[Any], starts: list[int]
    ) -> tuple[list[Any], list[Any]]:
        """The output's partitions, lazily: the input's, then the synthetic blocks (``starts``:
        first row number of each partition; a frame's blocks are indexed from theirs)."""
        delayed = import_optional("dask", "dask").delayed
        n_input = len(self.x_parts)
        if not self.is_frame:
            return [*self.x_parts, *x_blocks], [*self.y_parts, *y_blocks]
        frames = [
            delayed(_with_index)(xb, s) for xb, s in zip(x_blocks, starts[n_input:], strict=True)
        ]
        labels = [*self.y_parts, *y_blocks]
        series = [
            delayed(_as_series)(yb, self.y_name, s) for yb, s in zip(labels, starts, strict=True)
        ]
        return [*self.x_parts, *frames], series

    def assemble_parts(
        self, x_parts: list[Any], y_parts: list[Any], prov_parts: list[Any], return_provenance: bool
    ) -> tuple[Any, ...]:
        """Lazy collections of output partitions whose sizes are known only once computed
        (a dask Array with unknown chunk sizes, a DataFrame with unknown divisions)."""
        da = import_optional("dask.array", "dask")
        if self.is_frame:
            dd = import_optional("dask.dataframe", "dask")
            import pandas as pd

            y_meta = pd.Series([], dtype=self.y_dtype, name=self.y_name)
            X_res = dd.from_delayed(x_parts, meta=self.X._meta, verify_meta=False)
            y_res = dd.from_delayed(y_parts, meta=y_meta, verify_meta=False)
        else:
            d = len(self.columns)
            X_res = da.concatenate(
                [da.from_delayed(p, shape=(np.nan, d), dtype=self.dtypes[0]) for p in x_parts],
                allow_unknown_chunksizes=True,
            )
            y_res = da.concatenate(
                [da.from_delayed(p, shape=(np.nan,), dtype=self.y_dtype) for p in y_parts]
            )
        if not return_provenance:
            return X_res, y_res
        return X_res, y_res, self._provenance(prov_parts, [np.nan] * len(prov_parts))

    def _provenance(self, parts: list[Any], sizes: list[float]) -> Any:
        """Provenance records in the input's kind: a dask Array of the samplers' record dtype
        for Array input (like ``provenance_``), a dask DataFrame for DataFrame input."""
        dask = import_optional("dask", "dask")
        da = import_optional("dask.array", "dask")
        if not self.is_frame:
            if not parts:
                return da.from_array(np.empty(0, dtype=PROVENANCE_DTYPE))
            return da.concatenate(
                [
                    da.from_delayed(p, shape=(n,), dtype=PROVENANCE_DTYPE)
                    for p, n in zip(parts, sizes, strict=True)
                ]
            )
        dd = import_optional("dask.dataframe", "dask")
        import pandas as pd

        meta = pd.DataFrame(np.empty(0, dtype=PROVENANCE_DTYPE))
        frames = [dask.delayed(pd.DataFrame)(p) for p in parts] or [dask.delayed(lambda: meta)()]
        return dd.from_delayed(frames, meta=meta)


@dataclass(frozen=True)
class _RowForm:
    """What a synthetic block must look like; small, so it travels with each task."""

    is_frame: bool
    columns: list[Any]
    dtypes: list[Any]
    codes: dict[int, NDArray[Any]]  # categories of the columns whose rows hold codes

    def to_rows(self, block: NDArray[Any], integer_rounding: str) -> Any:
        """Synthetic rows in the input's form: a pandas frame with its columns, or an array.

        Codes become their categories; other values reach each column's dtype through the
        kernel's cast rule (:func:`~smotekit._kernels.cast_values`, with the sampler's
        ``integer_rounding``).
        """
        columns = [
            self.codes[j][block[:, j].astype(np.intp)] if j in self.codes else block[:, j]
            for j in range(block.shape[1])
        ]
        if not self.is_frame:
            dtype = self.dtypes[0]
            cast = [_cast(c, dtype, integer_rounding) for c in columns]
            return np.column_stack(cast).astype(dtype, copy=False)
        import pandas as pd

        data = {
            name: _cast(col, dtype, integer_rounding)
            for name, col, dtype in zip(self.columns, columns, self.dtypes, strict=True)
        }
        return pd.DataFrame(data, columns=self.columns)


_Y_COLUMN = "__smotekit_target__"


def _joined_parts(X: Any, y: Any) -> list[Any]:
    """Partitions of ``X`` with ``y`` as one more column, so the two match row for row.

    Dask may partition a projection differently from the whole (a Parquet read of one column can
    fuse files), so ``X`` and ``y`` are joined first and split inside each task.
    """
    if X.npartitions != y.npartitions:
        raise ValueError(
            f"X has {X.npartitions} partitions but y has {y.npartitions}: partition them alike "
            "(for example, take both from the same DataFrame)."
        )
    try:
        return list(X.assign(**{_Y_COLUMN: y}).to_delayed())
    except ValueError as exc:  # pragma: no cover - depends on dask's alignment rules
        raise ValueError(f"X and y are not partitioned alike: {exc}") from None


def with_target(part: Any, target: str, columns: list[Any]) -> Any:
    """A joined partition with the target column back under its name, columns in ``columns``."""
    return part.rename(columns={_Y_COLUMN: target})[columns]


def _without_target(frame: Any) -> Any:
    return frame.drop(columns=[_Y_COLUMN])


def labels_block(n: int, label: Any, dtype: Any) -> Any:
    """``n`` copies of ``label`` in the target's dtype (NumPy's or a pandas extension dtype)."""
    if _is_numpy_dtype(dtype):
        return np.full(n, label, dtype=dtype)
    import pandas as pd

    return pd.array([label] * n, dtype=dtype)


def _with_index(frame: Any, start: int) -> Any:
    import pandas as pd

    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


def _as_series(values: NDArray[Any], name: Any, start: int) -> Any:
    """Labels as a Series indexed from ``start`` (a Series, an input partition's, as it is)."""
    import pandas as pd

    if isinstance(values, pd.Series):
        return values
    return pd.Series(values, name=name, index=pd.RangeIndex(start, start + len(values)))


def _cast(values: NDArray[Any], dtype: Any, integer_rounding: str) -> Any:
    """Back to a column's dtype with the kernel's rule (a pandas extension dtype: pandas')."""
    if _is_numpy_dtype(dtype):
        if values.dtype.kind not in "biuf":
            return values  # categories, as voted
        return cast_values(values.copy(), dtype, integer_rounding)  # a copy: cast in place
    import pandas as pd

    return pd.array(values, dtype=dtype)


def _is_numpy_dtype(dtype: Any) -> bool:
    return isinstance(dtype, np.dtype)


def _dask_dataframe_or_none() -> Any:
    try:
        return import_optional("dask.dataframe", "dask")
    except ImportError:
        return None

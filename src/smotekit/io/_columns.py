"""Between Arrow columns and NumPy feature matrices, keeping each column's type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional

__all__ = ["column_arrays", "is_numeric_type", "missing_mask", "numeric_matrix"]


def is_numeric_type(arrow_type: Any) -> bool:
    """Integer and floating columns are numeric; everything else (text, bool, dates) is not."""
    pa = import_optional("pyarrow", "io")
    return bool(pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type))


def numeric_matrix(batch: Any, columns: Sequence[str]) -> NDArray[np.float64]:
    """The named numeric columns of a batch as one float64 ``(rows, columns)`` matrix.

    Nulls become NaN. float64 is the arithmetic every sampler uses on a mixed-type table.
    """
    out = np.empty((batch.num_rows, len(columns)), dtype=np.float64)
    for j, name in enumerate(columns):
        out[:, j] = batch.column(name).to_numpy(zero_copy_only=False)
    return out


def missing_mask(batch: Any, columns: Sequence[str], infinite: bool = True) -> NDArray[np.bool_]:
    """Rows holding a null in any of ``columns``, or NaN (or, with ``infinite``, an infinity)
    in a floating one."""
    pa = import_optional("pyarrow", "io")
    mask = np.zeros(batch.num_rows, dtype=bool)
    for name in columns:
        column = batch.column(name)
        if column.null_count:
            mask |= column.is_null().to_numpy(zero_copy_only=False)
        if pa.types.is_floating(column.type):
            values = column.to_numpy(zero_copy_only=False)
            mask |= ~np.isfinite(values) if infinite else np.isnan(values)
    return mask


def _to_integers(values: NDArray[np.floating], dtype: Any) -> NDArray[Any]:
    """Round to the nearest integer and clip to ``dtype``'s range, exactly at both ends."""
    info = np.iinfo(dtype)
    rounded = np.rint(values)
    # float(info.max) rounds up (2**63 for int64): compare there, assign the exact extreme.
    high, low = rounded >= float(info.max), rounded <= float(info.min)
    out = np.where(high | low, 0, rounded).astype(info.dtype)
    out[high], out[low] = info.max, info.min
    return out


def column_arrays(
    values: NDArray[np.floating],
    types: Sequence[Any],
    within: Sequence[tuple[NDArray[Any], NDArray[Any]] | None] | None = None,
) -> list[Any]:
    """One Arrow array per column of ``values``, each cast back to its original type.

    Integer columns are rounded to the nearest integer (never truncated, so a synthetic row does
    not look like a copy of its base) and clipped to the type's range, and where ``within`` gives
    ``(low, high)`` arrays for a column, to those exact bounds row by row.

    Examples
    --------
    >>> import numpy as np, pyarrow as pa
    >>> arrays = column_arrays(np.array([[1.6, 0.25]]), [pa.int64(), pa.float32()])
    >>> [a.to_pylist() for a in arrays]
    [[2], [0.25]]
    """
    pa = import_optional("pyarrow", "io")
    arrays = []
    for j, arrow_type in enumerate(types):
        column = values[:, j]
        if pa.types.is_integer(arrow_type):
            column = _to_integers(column, arrow_type.to_pandas_dtype())
            bounds = within[j] if within is not None else None
            if bounds is not None:
                column = np.clip(column, *bounds)
        elif pa.types.is_floating(arrow_type):
            column = column.astype(arrow_type.to_pandas_dtype(), copy=False)
        arrays.append(pa.array(column, type=arrow_type))
    return arrays

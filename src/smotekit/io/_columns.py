"""Between Arrow columns and NumPy feature matrices, keeping each column's type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import cast_values
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


def column_arrays(
    values: NDArray[np.floating],
    types: Sequence[Any],
    within: Sequence[tuple[NDArray[Any], NDArray[Any]] | None] | None = None,
    integer_rounding: str = "nearest",
) -> list[Any]:
    """One Arrow array per column of ``values``, each cast back to its original type.

    Values are stored with the kernel's rule, :func:`smotekit._kernels.cast_values`: integer
    columns rounded to the nearest integer (or truncated, with ``integer_rounding="truncate"``)
    and clipped to the type's range, float columns clipped to their finite range. Where
    ``within`` gives ``(low, high)`` arrays for an integer column, its values are also clipped
    to those exact bounds row by row. ``values`` is not modified.

    Examples
    --------
    >>> import numpy as np, pyarrow as pa
    >>> arrays = column_arrays(np.array([[1.6, 0.25]]), [pa.int64(), pa.float32()])
    >>> [a.to_pylist() for a in arrays]
    [[2], [0.25]]
    >>> column_arrays(np.array([[1.6]]), [pa.int64()], integer_rounding="truncate")[0].to_pylist()
    [1]
    """
    pa = import_optional("pyarrow", "io")
    arrays = []
    for j, arrow_type in enumerate(types):
        column = values[:, j]
        if pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type):
            # a copy: cast_values rounds and clips in place
            column = cast_values(column.copy(), arrow_type.to_pandas_dtype(), integer_rounding)
            bounds = within[j] if within is not None else None
            if bounds is not None:
                column = np.clip(column, *bounds)
        arrays.append(pa.array(column, type=arrow_type))
    return arrays

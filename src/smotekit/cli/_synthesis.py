"""The synthetic rows of ``smotekit resample``: generated in chunks and written after the originals,
in the output's layout, with their provenance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan
from smotekit._optional import import_optional
from smotekit._validation import shown
from smotekit.cli._plots import RowSample
from smotekit.engine import SyntheticBlock
from smotekit.io import BatchWriter, column_arrays

__all__ = ["CHUNK_ROWS", "SyntheticRows"]

# Synthetic rows generated and written per batch.
CHUNK_ROWS = 1 << 16
# Integers beyond this size are not all exact in float64, the arithmetic of interpolation.
EXACT_IN_FLOAT = 2**53


@dataclass
class SyntheticRows:
    """Writes synthetic rows (``writer``) and their provenance (``provenance``, if any).

    ``row`` is the output row number of the next row; ``exact`` holds, per position in
    ``features``, the exact values of the integer columns of the rows that ``X`` holds (the
    parents), so that big integers stay between their parents; ``added`` counts rows per class;
    ``integer_rounding`` is the sampler's (how values are stored in integer columns).
    """

    writer: BatchWriter
    provenance: BatchWriter | None
    schema: Any
    features: list[str]
    numeric: list[str]
    target: str
    mark: bool
    sample: RowSample | None
    show_progress: bool
    row: int = 0
    exact: dict[int, NDArray[Any]] = field(default_factory=dict)
    added: dict[Any, int] = field(default_factory=dict)
    integer_rounding: str = "nearest"

    def from_block(
        self,
        block: SyntheticBlock,
        parents: SyntheticPlan,
        decode: Callable[[NDArray[np.float64], int], NDArray[Any]],
    ) -> None:
        """Write one of the engine's output blocks (provenance in output row numbers).

        ``parents`` locates each row's parents in :attr:`exact`; ``decode(X, j)`` gives the
        values of categorical column ``j`` from its codes.
        """
        pa = import_optional("pyarrow", "io")
        X, label, n = block.X, block.label, len(block.X)
        bounds = self._within_parents(parents)
        numeric = [self.features.index(c) for c in self.numeric]
        types = [self.schema.field(c).type for c in self.numeric]
        values = X if len(numeric) == X.shape[1] else X[:, numeric]
        within = [bounds[j] for j in numeric]
        columns = column_arrays(values, types, within, self.integer_rounding)
        arrays = dict(zip(self.numeric, columns, strict=True))
        for j, name in enumerate(self.features):
            if name not in arrays:
                arrays[name] = _as_arrow(decode(X, j), self.schema.field(name).type)
        labels = pa.array([label] * n, type=self.schema.field(self.target).type)
        self._emit(arrays, labels, block.provenance)
        if self.sample is not None:
            self.sample.add(X[:, numeric], np.full(n, label, dtype=object))
        self.added[label] = self.added.get(label, 0) + n

    def from_resampled(
        self, X_res: Any, y_res: NDArray[Any], n: int, records: Any, categorical: list[str]
    ) -> None:
        """Write rows ``n:`` of a sampler's ``fit_resample`` output (``records``: provenance)."""
        pa = import_optional("pyarrow", "io")
        types = {name: self.schema.field(name).type for name in self.features}
        target_type = self.schema.field(self.target).type
        plot_columns = [self.features.index(c) for c in self.numeric]
        for start in range(n, len(y_res), CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, len(y_res))
            plan = None
            if records is not None:
                rec = records[start - n : stop - n]
                plan = SyntheticPlan(rec["base"], rec["neighbor"], rec["gap"])
            bounds = self._within_parents(plan) if plan is not None else None
            if categorical:
                part = X_res.iloc[start:stop]
                block = part[self.numeric].to_numpy(dtype=np.float64)
                within = [bounds[self.features.index(c)] for c in self.numeric] if bounds else None
                numeric_types = [types[c] for c in self.numeric]
                columns = column_arrays(block, numeric_types, within, self.integer_rounding)
                arrays = dict(zip(self.numeric, columns, strict=True))
                for name in categorical:
                    arrays[name] = _as_arrow(part[name].to_numpy(dtype=object), types[name])
            else:
                block = X_res[start:stop]
                feature_types = [types[c] for c in self.features]
                columns = column_arrays(block, feature_types, bounds, self.integer_rounding)
                arrays = dict(zip(self.features, columns, strict=True))
                block = block[:, plot_columns]
            labels = y_res[start:stop]
            self._emit(arrays, pa.array(labels.tolist(), type=target_type), plan)
            if self.sample is not None:
                self.sample.add(block, labels.astype(object))
            for label, count in zip(*np.unique(labels, return_counts=True), strict=True):
                key = shown(label)
                self.added[key] = self.added.get(key, 0) + int(count)

    def _within_parents(
        self, plan: SyntheticPlan
    ) -> list[tuple[NDArray[Any], NDArray[Any]] | None]:
        """Per feature: the exact bounds of integer synthetic values that lie on a segment.

        Rounding float64 arithmetic can leave big integers (beyond 2**53) outside their two
        parents; the exact parents bound them. Columns of small integers need no bound.
        """
        bounds: list[tuple[NDArray[Any], NDArray[Any]] | None] = [None] * len(self.features)
        on_segment = (plan.gap >= 0) & (plan.gap <= 1)
        for j, values in self.exact.items():
            if not values.size or np.abs(values.astype(np.float64)).max() < EXACT_IN_FLOAT:
                continue
            base, neighbor = values[plan.base], values[plan.neighbor]
            info = np.iinfo(values.dtype)
            low = np.where(on_segment, np.minimum(base, neighbor), info.min).astype(values.dtype)
            high = np.where(on_segment, np.maximum(base, neighbor), info.max).astype(values.dtype)
            bounds[j] = (low, high)
        return bounds

    def _emit(self, columns: dict[str, Any], labels: Any, provenance: SyntheticPlan | None) -> None:
        """Write one batch of synthetic rows (and their provenance) in the output's layout."""
        pa = import_optional("pyarrow", "io")
        n = len(labels)
        arrays = [labels if name == self.target else columns[name] for name in self.schema.names]
        if self.mark:
            arrays.append(pa.array(np.ones(n, dtype=bool)))
        self.writer.write(pa.RecordBatch.from_arrays(arrays, schema=self.writer.schema))
        if self.provenance is not None and provenance is not None:
            record = pa.RecordBatch.from_arrays(
                [
                    pa.array(np.arange(self.row, self.row + n, dtype=np.int64)),
                    pa.array(provenance.base.astype(np.int64)),
                    pa.array(provenance.neighbor.astype(np.int64)),
                    pa.array(provenance.to_records()["gap"]),
                ],
                schema=self.provenance.schema,
            )
            self.provenance.write(record)
        self.row += n


def _as_arrow(values: NDArray[Any], arrow_type: Any) -> Any:
    """Python values as an Arrow array of ``arrow_type`` (dictionary types are cast to)."""
    pa = import_optional("pyarrow", "io")
    try:
        return pa.array(values, type=arrow_type)
    except (TypeError, ValueError, pa.ArrowException):
        return pa.array(values).cast(arrow_type)

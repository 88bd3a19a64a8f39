"""The streaming engine behind ``smotekit resample`` (see that module for the passes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan, interpolate
from smotekit._optional import import_optional
from smotekit.cli._errors import DataError, UsageError
from smotekit.cli._methods import Method
from smotekit.cli._plots import RowSample
from smotekit.cli._tables import progress, read_errors
from smotekit.io import BatchWriter, column_arrays, iter_batches, missing_mask, numeric_matrix

__all__ = ["Job", "Summary", "target_counts"]

# Kept rows of the classes (float64 features) held during the first pass before the largest
# kept class is let go (re-read later only if it must be grown).
KEEP_BYTES = 256 << 20
# Synthetic rows generated and written per batch.
CHUNK_ROWS = 1 << 16


def target_counts(strategy: Any, counts: dict[Any, int]) -> dict[Any, int]:
    """Synthetic rows per class, computed by imbalanced-learn from the whole file's counts.

    ``strategy`` is a string, a float or a dict keyed by the classes' text.

    Examples
    --------
    >>> target_counts("auto", {0: 90, 1: 10})
    {1: 80}
    >>> target_counts({"0": 100, "1": 50}, {0: 90, 1: 10})
    {0: 10, 1: 40}
    """
    from imblearn.utils import check_sampling_strategy

    labels = sorted(counts)
    if isinstance(strategy, dict):
        by_text = {str(label): i for i, label in enumerate(labels)}
        unknown = [key for key in strategy if key not in by_text]
        if unknown:
            raise UsageError(
                f"--sampling-strategy: no class {unknown[0]!r} in the target column; its classes "
                f"are {', '.join(map(str, labels))}"
            )
        strategy = {by_text[key]: value for key, value in strategy.items()}
    # Codes in sorted label order stand in for the labels: every strategy depends only on the
    # counts, and ties (two majority classes) are broken in the same order as with the labels.
    codes = np.repeat(np.arange(len(labels), dtype=np.int32), [counts[lb] for lb in labels])
    try:
        result = check_sampling_strategy(strategy, codes, "over-sampling")
    except ValueError as exc:
        raise UsageError(f"--sampling-strategy: {' '.join(str(exc).split())}") from None
    return {labels[int(code)]: int(n) for code, n in result.items()}


def label_for_sampler(strategy: Any, counts: dict[Any, int]) -> Any:
    """The strategy in the sampler's terms: dict keys become the labels they name."""
    if not isinstance(strategy, dict):
        return strategy
    by_text = {str(label): label for label in counts}
    return {by_text[key]: value for key, value in strategy.items()}


@dataclass
class Summary:
    """Counts for the one-line report at the end of a run."""

    rows_in: int = 0
    dropped: int = 0
    counts: dict[Any, int] = field(default_factory=dict)
    added: dict[Any, int] = field(default_factory=dict)

    def line(self, output: str, seconds: float) -> str:
        total = sum(self.counts.values()) + sum(self.added.values())
        per_class = ", ".join(
            f"{label}: {self.counts[label] + self.added.get(label, 0)}"
            + (f" (+{self.added[label]})" if self.added.get(label) else "")
            for label in sorted(self.counts)
        )
        dropped = f", {self.dropped} with missing values dropped" if self.dropped else ""
        return (
            f"smotekit resample: {self.rows_in} rows in{dropped}, {total} rows out "
            f"({per_class}) in {seconds:.1f} s -> {output}"
        )


@dataclass
class Job:
    """One resampling run over a file: the choices made from the command line."""

    input_path: Path
    schema: Any
    target: str
    features: list[str]
    categorical: list[str]
    method: Method
    strategy: Any
    drop_missing: bool
    mark: str | None
    show_progress: bool
    plot: bool
    original_sample: RowSample = field(default_factory=RowSample)
    synthetic_sample: RowSample = field(default_factory=lambda: RowSample(seed=1))

    def __post_init__(self) -> None:
        self.numeric = [name for name in self.features if name not in self.categorical]
        self.summary = Summary()
        self._n_written = 0

    # -- the run ---------------------------------------------------------------------------
    def execute(
        self,
        out: Path,
        out_name: Path,
        provenance: Path | None,
        provenance_name: Path | None,
        make_sampler: Callable[[dict[Any, int]], tuple[Any, int | None]],
    ) -> Summary:
        """Write the resampled file to ``out`` (in the format of ``out_name``)."""
        pa = import_optional("pyarrow", "io")
        schema = self.schema
        if self.mark:
            schema = schema.append(pa.field(self.mark, pa.bool_()))
        self._out_schema = schema
        writers: list[BatchWriter] = []
        try:
            self._writer = BatchWriter(out, schema, format_of=out_name)
            writers.append(self._writer)
            self._prov_writer = None
            if provenance is not None and provenance_name is not None:
                prov_schema = pa.schema(
                    [
                        ("row", pa.int64()),
                        ("base", pa.int64()),
                        ("neighbor", pa.int64()),
                        ("gap", pa.float64()),
                    ]
                )
                self._prov_writer = BatchWriter(provenance, prov_schema, format_of=provenance_name)
                writers.append(self._prov_writer)
            kept = self._scan()
            counts = self.summary.counts
            if not counts:
                what = "no complete rows" if self.summary.dropped else "no data rows"
                raise DataError(f"'{self.input_path}' has {what}: there is nothing to resample")
            if len(counts) < 2:
                only = next(iter(counts))
                raise DataError(
                    f"'{self.input_path}' column '{self.target}' has a single class ({only!r}): "
                    "there is nothing to balance; check --target"
                )
            n_new = target_counts(self.strategy, counts)
            sampler, k = make_sampler(counts)
            self._check_class_sizes(n_new, k)
            if self.method.class_local:
                self._grow_class_local(kept, n_new, sampler)
            else:
                self._grow_in_memory(kept, sampler)
        finally:
            for writer in writers:
                try:
                    writer.close()
                except Exception:
                    pass  # the run already failed; the temporary file is removed by the caller
        return self.summary

    def _check_class_sizes(self, n_new: dict[Any, int], k: int | None) -> None:
        if k is None:
            return
        for label, n in n_new.items():
            have = self.summary.counts[label]
            if n > 0 and have < k + 1:
                fix = (
                    f"pass --k-neighbors {have - 1} or less"
                    if have >= 2
                    else "collect more rows of it or leave it out with --sampling-strategy"
                )
                raise DataError(
                    f"'{self.input_path}' class {label!r} of column '{self.target}' has {have} "
                    f"row{'s' if have != 1 else ''}, but k={k} neighbours need at least {k + 1}: "
                    f"{fix}"
                )

    # -- pass 1: copy, count, keep ---------------------------------------------------------
    def _valid_batches(self, desc: str) -> Any:
        """Input batches less rows with missing values (or an error naming the first one)."""
        pa = import_optional("pyarrow", "io")
        bar = progress(self.show_progress, desc)
        seen = 0
        columns = [*self.features, self.target]
        with read_errors(self.input_path):
            for batch in iter_batches(self.input_path):
                missing = missing_mask(batch, columns)
                if missing.any():
                    if not self.drop_missing:
                        self._missing_error(batch, seen, columns)
                    batch = batch.filter(pa.array(~missing))
                seen += len(missing)
                bar.update(len(missing))
                yield batch, int(missing.sum())
        bar.close()

    def _missing_error(self, batch: Any, seen: int, columns: list[str]) -> None:
        for name in columns:
            mask = missing_mask(batch, [name])
            if mask.any():
                row = seen + int(np.argmax(mask)) + 1
                raise DataError(
                    f"'{self.input_path}' column '{name}' has a missing value at data row {row}: "
                    "pass --nan drop to leave such rows out, or fill them first"
                )

    def _scan(self) -> Any:
        """Pass 1: write the original rows, count classes, keep what the method needs."""
        pa = import_optional("pyarrow", "io")
        pc = import_optional("pyarrow.compute", "io")
        keep_all = not self.method.class_local
        batches: list[Any] = []
        kept: dict[Any, list[tuple[NDArray[np.int64], NDArray[np.float64]]]] = {}
        kept_bytes: dict[Any, int] = {}
        self._let_go: set[Any] = set()
        counts = self.summary.counts
        row0 = 0
        for batch, dropped in self._valid_batches("reading"):
            self.summary.rows_in += batch.num_rows + dropped
            self.summary.dropped += dropped
            out = batch
            if self.mark:
                out = out.append_column(self.mark, pa.array(np.zeros(batch.num_rows, dtype=bool)))
            self._writer.write(out)
            target = batch.column(self.target)
            tally = pc.value_counts(target)
            batch_labels = tally.field("values").to_pylist()
            for label, n in zip(batch_labels, tally.field("counts").to_pylist(), strict=True):
                counts[label] = counts.get(label, 0) + n
            if self.plot and self.numeric:
                y = target.to_numpy(zero_copy_only=False)
                self.original_sample.add(numeric_matrix(batch, self.numeric), y)
            if keep_all:
                batches.append(batch.select([*self.features, self.target]))
            else:
                for label in batch_labels:
                    if label in self._let_go:
                        continue
                    rows = np.flatnonzero(pc.equal(target, label).to_numpy(zero_copy_only=False))
                    X = numeric_matrix(batch.take(pa.array(rows)), self.features)
                    kept.setdefault(label, []).append((row0 + rows, X))
                    kept_bytes[label] = kept_bytes.get(label, 0) + X.nbytes
                while sum(kept_bytes.values()) > KEEP_BYTES:
                    largest = max(kept_bytes, key=lambda lb: kept_bytes[lb])
                    self._let_go.add(largest)
                    del kept[largest], kept_bytes[largest]
            row0 += batch.num_rows
        self._n_written = row0
        return batches if keep_all else kept

    def _gather(self, labels: set[Any]) -> dict[Any, list[tuple[NDArray[np.int64], Any]]]:
        """Pass 2 (only when needed): the rows of classes let go during pass 1."""
        pa = import_optional("pyarrow", "io")
        pc = import_optional("pyarrow.compute", "io")
        gathered: dict[Any, list[tuple[NDArray[np.int64], Any]]] = {lb: [] for lb in labels}
        row0 = 0
        for batch, _ in self._valid_batches("gathering"):
            target = batch.column(self.target)
            for label in labels:
                rows = np.flatnonzero(pc.equal(target, label).to_numpy(zero_copy_only=False))
                if rows.size:
                    X = numeric_matrix(batch.take(pa.array(rows)), self.features)
                    gathered[label].append((row0 + rows, X))
            row0 += batch.num_rows
        return gathered

    # -- growing ---------------------------------------------------------------------------
    def _grow_class_local(self, kept: Any, n_new: dict[Any, int], sampler: Any) -> None:
        """Plan each class from its own rows with the sampler's logic; generate in chunks."""
        grow = [label for label, n in n_new.items() if n > 0]
        missing = {label for label in grow if label in self._let_go}
        if missing:
            kept.update(self._gather(missing))
        rows_parts, X_parts, y_parts, spans = [], [], [], {}
        offset = 0
        for label in grow:
            for rows, X in kept[label]:
                rows_parts.append(rows)
                X_parts.append(X)
                y_parts.append(np.full(rows.size, label, dtype=object))
            size = sum(rows.size for rows, _ in kept[label])
            spans[label] = np.arange(offset, offset + size)
            offset += size
        kept.clear()
        X_grow = np.vstack(X_parts) if X_parts else np.empty((0, len(self.features)))
        rows_grow = np.concatenate(rows_parts) if rows_parts else np.empty(0, dtype=np.int64)
        y_grow = np.concatenate(y_parts) if y_parts else np.empty(0, dtype=object)
        del X_parts, rows_parts, y_parts
        sampler._validate_estimator()
        for label in grow:
            try:
                plan = sampler._plan_class(X_grow, y_grow, label, spans[label], n_new[label])
            except (ValueError, RuntimeError) as exc:
                raise DataError(f"'{self.input_path}': {' '.join(str(exc).split())}") from None
            self._write_synthetic(X_grow, plan, rows_grow, label, sampler)

    def _write_synthetic(
        self,
        X: NDArray[Any],
        plan: SyntheticPlan,
        rows: NDArray[np.int64],
        label: Any,
        sampler: Any,
    ) -> None:
        """Generate ``plan`` (rows of ``X``) chunk by chunk and append it to the output."""
        pa = import_optional("pyarrow", "io")
        types = [self.schema.field(name).type for name in self.features]
        bar = progress(self.show_progress, f"class {label}", total=len(plan))
        for start in range(0, len(plan), CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, len(plan))
            part = SyntheticPlan(
                plan.base[start:stop], plan.neighbor[start:stop], plan.gap[start:stop]
            )
            block = np.empty((stop - start, X.shape[1]), dtype=X.dtype)
            interpolate(X, part, block)
            sampler._finish_block(X, part, block)
            labels = pa.array([label] * (stop - start), type=self.schema.field(self.target).type)
            columns = dict(zip(self.features, column_arrays(block, types), strict=True))
            self._emit(columns, labels, part.remap(rows))
            if self.plot:
                self.synthetic_sample.add(
                    block[:, [self.features.index(c) for c in self.numeric]],
                    np.full(stop - start, label, dtype=object),
                )
            bar.update(stop - start)
        bar.close()
        self.summary.added[label] = self.summary.added.get(label, 0) + len(plan)

    def _emit(self, columns: dict[str, Any], labels: Any, provenance: SyntheticPlan | None) -> None:
        """Write one batch of synthetic rows (and their provenance) in the output's layout."""
        pa = import_optional("pyarrow", "io")
        n = len(labels)
        arrays = [labels if name == self.target else columns[name] for name in self.schema.names]
        if self.mark:
            arrays.append(pa.array(np.ones(n, dtype=bool)))
        self._writer.write(pa.RecordBatch.from_arrays(arrays, schema=self._out_schema))
        if self._prov_writer is not None and provenance is not None:
            record = pa.RecordBatch.from_arrays(
                [
                    pa.array(np.arange(self._n_written, self._n_written + n, dtype=np.int64)),
                    pa.array(provenance.base.astype(np.int64)),
                    pa.array(provenance.neighbor.astype(np.int64)),
                    pa.array(provenance.gap.astype(np.float64)),
                ],
                schema=self._prov_writer.schema,
            )
            self._prov_writer.write(record)
        self._n_written += n

    def _grow_in_memory(self, batches: list[Any], sampler: Any) -> None:
        """Methods that look at every class: fit the sampler on all rows, write its new rows."""
        pa = import_optional("pyarrow", "io")
        columns = [*self.features, self.target]
        schema = pa.schema([self.schema.field(name) for name in columns])
        table = pa.Table.from_batches(batches, schema=schema).combine_chunks()
        batches.clear()
        n = table.num_rows
        y = table.column(self.target).to_numpy()
        if self.categorical:
            frame = table.select(self.features).to_pandas()
            for name in self.features:
                kind = "float64" if name in self.numeric else object
                frame[name] = frame[name].astype(kind)
            X: Any = frame
        else:
            X = numeric_matrix(table, self.features)
        del table
        try:
            X_res, y_res = sampler.fit_resample(X, y)
        except (ValueError, RuntimeError) as exc:
            raise DataError(f"'{self.input_path}': {' '.join(str(exc).split())}") from None
        records = getattr(sampler, "provenance_", None)
        if self._prov_writer is not None and records is None:
            raise UsageError(f"--provenance: --method {self.method.name} records no provenance")
        types = {name: self.schema.field(name).type for name in self.features}
        target_type = self.schema.field(self.target).type
        plot_columns = [self.features.index(c) for c in self.numeric]
        for start in range(n, len(y_res), CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, len(y_res))
            if self.categorical:
                part = X_res.iloc[start:stop]
                block = part[self.numeric].to_numpy(dtype=np.float64)
                arrays = dict(
                    zip(
                        self.numeric,
                        column_arrays(block, [types[c] for c in self.numeric]),
                        strict=True,
                    )
                )
                for name in self.categorical:
                    arrays[name] = _as_arrow(part[name].to_numpy(dtype=object), types[name])
            else:
                block = X_res[start:stop]
                arrays = dict(
                    zip(
                        self.features,
                        column_arrays(block, [types[c] for c in self.features]),
                        strict=True,
                    )
                )
                block = block[:, plot_columns]
            plan = None
            if records is not None:
                rec = records[start - n : stop - n]
                plan = SyntheticPlan(rec["base"], rec["neighbor"], rec["gap"])
            labels = y_res[start:stop]
            self._emit(arrays, pa.array(labels.tolist(), type=target_type), plan)
            if self.plot:
                self.synthetic_sample.add(block, labels.astype(object))
            for label, count in zip(*np.unique(labels, return_counts=True), strict=True):
                key = label.item() if isinstance(label, np.generic) else label
                self.summary.added[key] = self.summary.added.get(key, 0) + int(count)


def _as_arrow(values: NDArray[Any], arrow_type: Any) -> Any:
    """Python values as an Arrow array of ``arrow_type`` (dictionary types are cast to)."""
    pa = import_optional("pyarrow", "io")
    try:
        return pa.array(values, type=arrow_type)
    except (TypeError, ValueError, pa.ArrowException):
        return pa.array(values).cast(arrow_type)

"""The passes of ``smotekit resample`` over a file (see that module for what each does)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional
from smotekit._strategy import labels_from_text, strategy_from_counts
from smotekit.cli import _synthesis
from smotekit.cli._errors import DataError, UsageError
from smotekit.cli._methods import Method, explain_too_small
from smotekit.cli._plots import RowSample
from smotekit.cli._synthesis import SyntheticRows
from smotekit.cli._tables import progress, read_errors
from smotekit.exceptions import ClassTooSmallError
from smotekit.io import (
    BatchWriter,
    Block,
    header_with,
    missing_mask,
    numeric_matrix,
    output_dialect,
)

__all__ = ["Job", "Summary", "resolve_strategy"]


def resolve_strategy(strategy: Any, counts: dict[Any, int]) -> dict[Any, int]:
    """Synthetic rows per class from the whole file's counts (``strategy`` keyed by class text).

    Examples
    --------
    >>> resolve_strategy("auto", {0: 90, 1: 10})
    {1: 80}
    >>> resolve_strategy({"0": 100, "1": 50}, {0: 90, 1: 10})
    {0: 10, 1: 40}
    """
    try:
        return dict(strategy_from_counts(labels_from_text(strategy, counts), counts))
    except ValueError as exc:
        raise UsageError(f"--sampling-strategy: {' '.join(str(exc).split())}") from None


@dataclass
class Summary:
    """Counts for the one-line report at the end of a run."""

    rows_in: int = 0
    dropped: int = 0
    counts: dict[Any, int] = field(default_factory=dict)
    added: dict[Any, int] = field(default_factory=dict)
    #: Original rows per class that cleaning removed, and all rows it removed (``None``: no
    #: cleaning); ``added`` then counts the synthetic rows kept.
    removed: dict[Any, int] = field(default_factory=dict)
    cleaned: int | None = None

    def line(self, output: str, seconds: float) -> str:
        out = {
            label: n - self.removed.get(label, 0) + self.added.get(label, 0)
            for label, n in self.counts.items()
        }
        per_class = ", ".join(
            f"{label}: {out[label]}" + (f" (+{self.added[label]})" if self.added.get(label) else "")
            for label in sorted(self.counts)
        )
        dropped = f", {self.dropped} with missing values dropped" if self.dropped else ""
        cleaned = "" if self.cleaned is None else f", {self.cleaned} removed by cleaning"
        return (
            f"smotekit resample: {self.rows_in} rows in{dropped}, {sum(out.values())} rows out "
            f"({per_class}){cleaned} in {seconds:.1f} s -> {output}"
        )


@contextlib.contextmanager
def closing(writers: list[Any]) -> Iterator[None]:
    """Close every writer in ``writers`` when the block ends.

    After a failure in the block they are closed quietly (the temporary files are removed by the
    caller) and the failure is raised; after success a failure to close (disk full at the last
    flush) fails the run.
    """
    try:
        yield
    except BaseException:
        for writer in writers:
            try:
                writer.close()
            except Exception:
                pass  # the run already failed; this error would hide its cause
        raise
    for writer in writers:
        writer.close()


@dataclass
class Job:
    """One resampling run over a file: the choices made from the command line.

    ``source`` is the input as an io source (``smotekit.io.open_table``).
    """

    source: Any
    target: str
    features: list[str]
    categorical: list[str]
    method: Method
    strategy: Any
    drop_missing: bool
    mark: str | None
    show_progress: bool
    plot: bool
    #: The engine rule of a sampler (``over_sampling._rules.rule_for``); ``None``: the sampler
    #: is fitted in memory on every row.
    rule_of: Callable[[Any], Any] | None = None
    #: ``--clean``: ``"none"``, ``"enn"`` or ``"tomek"`` (:mod:`smotekit.cli._clean`).
    clean: str = "none"
    original_sample: RowSample = field(default_factory=RowSample)
    synthetic_sample: RowSample = field(default_factory=lambda: RowSample(seed=1))

    def __post_init__(self) -> None:
        self.input_path = self.source.path
        self.schema = self.source.schema
        self.numeric = [name for name in self.features if name not in self.categorical]
        pa = import_optional("pyarrow", "io")
        # Positions (in self.features) of integer columns, whose exact values are kept.
        self._integers = [
            j
            for j, name in enumerate(self.features)
            if name in self.numeric and pa.types.is_integer(self.schema.field(name).type)
        ]
        self.summary = Summary()
        self._dropped: dict[Any, int] = {}
        self._n_written = 0
        self._prov_writer: BatchWriter | None = None

    # -- the run ---------------------------------------------------------------------------
    def execute(
        self,
        out: Path,
        out_name: Path,
        provenance: Path | None,
        provenance_name: Path | None,
        make_sampler: Callable[[dict[Any, int]], Any],
    ) -> Summary:
        """Write the resampled file to ``out`` (in the format of ``out_name``)."""
        writers: list[BatchWriter] = []
        with closing(writers):
            self._open_writers(out, out_name, provenance, provenance_name, writers)
            if self.rule_of is not None:
                self._run_rule(self.rule_of, make_sampler)
                return self.summary
            batches = self._scan(write=self.clean == "none")
            self._check_classes()
            counts = self.summary.counts
            n_new = resolve_strategy(self.strategy, counts)  # errors in the command's words
            sampler = make_sampler(counts)
            if self.clean == "none":
                self._grow_in_memory(batches, self._synthetic_rows(sampler), sampler)
            else:
                self._clean_in_memory(batches, sampler, sum(n_new.values()))
        return self.summary

    def _open_writers(
        self,
        out: Path,
        out_name: Path,
        provenance: Path | None,
        provenance_name: Path | None,
        writers: list[BatchWriter],
    ) -> None:
        pa = import_optional("pyarrow", "io")
        schema = self.schema
        if self.mark:
            schema = schema.append(pa.field(self.mark, pa.bool_()))
        dialect = output_dialect(out_name, self.source)
        header = None
        if dialect is not None and dialect == self.source.dialect:
            header = header_with(self.source.header, [self.mark] if self.mark else [], dialect)
        self._writer = BatchWriter(
            out, schema, format_of=out_name, dialect=dialect, header=header, name=out_name
        )
        writers.append(self._writer)
        # Synthetic labels are spelled as in the input's text (say 0.0, not 0).
        self._spell_labels = dialect is not None and self.source.dialect is not None
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
            self._prov_writer = BatchWriter(
                provenance, prov_schema, format_of=provenance_name, name=provenance_name
            )
            writers.append(self._prov_writer)

    def _check_classes(self) -> None:
        counts = self.summary.counts
        if not counts:
            what = "no complete rows" if self.summary.dropped else "no data rows"
            raise DataError(f"'{self.input_path}' has {what}: there is nothing to resample")
        if len(counts) >= 2:
            return
        only = next(iter(counts))
        lost = [label for label in self._dropped if label not in counts]
        if lost:
            raise DataError(
                f"'{self.input_path}': after --nan drop left out {self.summary.dropped} rows with "
                f"missing values, column '{self.target}' has a single class ({only!r}): every "
                f"row of class {lost[0]!r} has a missing value; fill the missing values instead"
            )
        raise DataError(
            f"'{self.input_path}' column '{self.target}' has a single class ({only!r}): "
            "there is nothing to balance; check --target"
        )

    # -- the engine's passes (smotekit.io._resample) -----------------------------------------
    def _run_rule(
        self, rule_of: Callable[[Any], Any], make_sampler: Callable[[dict[Any, int]], Any]
    ) -> None:
        """Count; copy the originals while the engine gathers; write its synthetic blocks."""
        from smotekit.io._resample import (
            FilePartitions,
            count_rows,
            parent_positions,
            synthetic_blocks,
        )

        # Under --nan drop the rows left out depend on every column, so all are read.
        columns = None if self.drop_missing else [self.target, *self.categorical]
        counts, categories = count_rows(self._counting, self.target, self.categorical, columns)
        self.summary.counts = counts
        self._check_classes()
        n_new = resolve_strategy(self.strategy, counts)
        sampler = make_sampler(counts)
        self._n_written = sum(counts.values())
        synthetic = self._synthetic_rows(sampler)
        partitions = FilePartitions(
            lambda read: self._valid_blocks("reading", read),
            self.features,
            self.target,
            categories,
            counts,
            self._copy if self.clean == "none" else None,  # cleaning writes once rows are known
            gather=[label for label, n in n_new.items() if n > 0],
            integers=self._integers,
        )
        options = {
            "integer_rounding": synthetic.integer_rounding,
            "block_rows": _synthesis.CHUNK_ROWS,
        }
        strategy = labels_from_text(self.strategy, counts)
        if self.clean != "none":
            self._clean_rule(sampler, partitions, strategy, options, synthetic)
            return
        try:
            blocks = synthetic_blocks(
                rule_of(sampler), partitions, strategy, sampler.random_state, **options
            )
        except (ValueError, RuntimeError) as exc:  # the sampler's checks of the data
            raise self._sampler_error(exc) from None
        ids, synthetic.exact = partitions.exact_parents()
        bar = progress(self.show_progress, "synthetic", total=sum(n_new.values()))
        for block in blocks:
            synthetic.from_block(block, parent_positions(ids, block.provenance), partitions.decode)
            bar.update(len(block.X))
        bar.close()

    def _clean_rule(
        self,
        sampler: Any,
        partitions: Any,
        strategy: Any,
        options: dict[str, Any],
        synthetic: SyntheticRows,
    ) -> None:
        """Oversample and clean on the file executor; write once the rows removed are known."""
        from smotekit.cli._clean import (
            CLEAN_MEMORY,
            check_cleaning_rows,
            combined_sampler,
            engine_synthetic,
            write_cleaned,
        )
        from smotekit.engine._cleaning import query_rows_for, resampled_counts
        from smotekit.io._resample import blockwise_run, cleaned_rows, parent_positions

        combined = combined_sampler(self.clean, sampler)
        over, cleaning = combined._rules()
        try:
            run = blockwise_run(over, partitions, strategy, sampler.random_state, **options)
        except (ValueError, RuntimeError) as exc:  # the sampler's checks of the data
            raise self._sampler_error(exc) from None
        n_rows = sum(resampled_counts(run).values())
        check_cleaning_rows(self.clean, cleaning, n_rows, f"'{self.input_path}'")
        query_rows = query_rows_for(cleaning, len(self.features), CLEAN_MEMORY)
        removed = cleaned_rows(cleaning, partitions, run, query_rows)
        ids, synthetic.exact = partitions.exact_parents()
        write = engine_synthetic(
            run, removed, synthetic, lambda made: parent_positions(ids, made), partitions.decode
        )
        write_cleaned(self, removed, cleaning.by_class, synthetic, write)

    def write_originals(self, removed: Any, label: Any = None) -> int:
        """One pass writing the original rows (of class ``label``; ``None``: all) that are not
        in ``removed`` (sorted row numbers); returns how many were written."""
        from smotekit.io._resample import kept_mask

        pa = import_optional("pyarrow", "io")
        offset = written = 0
        for block, batch, keep in self._valid_blocks("writing"):
            y = batch.column(self.target).to_numpy(zero_copy_only=False)
            kept = kept_mask(removed, offset, len(y))
            offset += len(y)
            mine = np.ones(len(y), dtype=bool) if label is None else y == label
            gone, n_gone = np.unique(y[mine & ~kept], return_counts=True)
            for value, n in zip(gone.tolist(), n_gone.tolist(), strict=True):
                self.summary.removed[value] = self.summary.removed.get(value, 0) + n
            kept &= mine
            if keep is not None:  # rows left out under --nan drop stay out
                whole = np.zeros(len(keep), dtype=bool)
                whole[np.flatnonzero(keep)] = kept
            self._writer.write_block(
                block, kept if keep is None else whole, marked=False if self.mark else None
            )
            written += int(kept.sum())
            if self.plot and self.numeric:
                picked = batch.filter(pa.array(kept))
                self.original_sample.add(numeric_matrix(picked, self.numeric), y[kept])
        return written

    def _synthetic_rows(self, sampler: Any) -> SyntheticRows:
        return SyntheticRows(
            self._writer,
            self._prov_writer,
            self.schema,
            self.features,
            self.numeric,
            self.target,
            bool(self.mark),
            self.synthetic_sample if self.plot else None,
            self.show_progress,
            row=self._n_written,
            added=self.summary.added,
            integer_rounding=sampler._integer_rounding(),
        )

    def _counting(self, columns: list[str] | None) -> Iterator[tuple[Block, Any, Any]]:
        """The counting pass's blocks: rows in, rows dropped and label spellings noted."""
        pc = import_optional("pyarrow.compute", "io")
        for block, batch, keep in self._valid_blocks("counting", columns):
            self.summary.rows_in += block.batch.num_rows
            if keep is not None:
                self._count_dropped(block, keep)
            if self._spell_labels:
                self._learn_spellings(block, pc.unique(batch.column(self.target)).to_pylist())
            yield block, batch, keep

    def _copy(self, block: Block, batch: Any, keep: NDArray[np.bool_] | None) -> None:
        """The original rows of a block, written through (and offered to the plot's sample)."""
        self._writer.write_block(block, keep, marked=False if self.mark else None)
        if self.plot and self.numeric:
            y = batch.column(self.target).to_numpy(zero_copy_only=False)
            self.original_sample.add(numeric_matrix(batch, self.numeric), y)

    # -- pass 1: copy, count, keep ---------------------------------------------------------
    def _valid_blocks(
        self, desc: str, columns: list[str] | None = None
    ) -> Iterator[tuple[Block, Any, NDArray[np.bool_] | None]]:
        """``(block, rows, keep)``: each block (only ``columns``, if given), its rows less those
        with missing values (under ``--nan drop``; else an error naming the first) and the mask
        of the rows kept."""
        pa = import_optional("pyarrow", "io")
        bar = progress(self.show_progress, desc)
        read = columns
        if columns is None:
            columns = [*self.features, self.target]
        with read_errors(self.input_path):
            for block in self.source.blocks(read):
                batch, keep = block.batch, None
                missing = missing_mask(batch, columns)
                if missing.any():
                    if not self.drop_missing:
                        self._missing_error(block, columns)
                    keep = ~missing
                    batch = batch.filter(pa.array(keep))
                bar.update(block.batch.num_rows)
                yield block, batch, keep
        bar.close()

    def _missing_error(self, block: Block, columns: list[str]) -> None:
        for name in columns:
            mask = missing_mask(block.batch, [name])
            if mask.any():
                i = int(np.argmax(mask))
                value = block.batch.column(name)[i].as_py()
                where = f"'{self.input_path}' column '{name}'"
                if isinstance(value, float) and np.isinf(value):
                    raise DataError(
                        f"{where} has an infinite value ({value}) at {block.location(i)}: "
                        "replace it with a finite number, or pass --nan drop to leave such "
                        "rows out"
                    )
                raise DataError(
                    f"{where} has a missing value at {block.location(i)}: pass --nan drop to "
                    "leave such rows out, or fill them first"
                )

    def _scan(self, write: bool = True) -> list[Any]:
        """Pass 1 of the in-memory path: count classes, keep the rows, write them (if
        ``write``; else they are written once cleaning has chosen them)."""
        pc = import_optional("pyarrow.compute", "io")
        batches: list[Any] = []
        counts = self.summary.counts
        for block, batch, keep in self._valid_blocks("reading"):
            self.summary.rows_in += block.batch.num_rows
            if keep is not None:
                self._count_dropped(block, keep)
            if write:
                self._writer.write_block(block, keep, marked=False if self.mark else None)
            target = batch.column(self.target)
            tally = pc.value_counts(target)
            batch_labels = tally.field("values").to_pylist()
            for label, n in zip(batch_labels, tally.field("counts").to_pylist(), strict=True):
                counts[label] = counts.get(label, 0) + n
            if self._spell_labels:
                self._learn_spellings(block, batch_labels)
            if write and self.plot and self.numeric:
                y = target.to_numpy(zero_copy_only=False)
                self.original_sample.add(numeric_matrix(batch, self.numeric), y)
            batches.append(batch.select([*self.features, self.target]))
            self._n_written += batch.num_rows
        return batches

    def _count_dropped(self, block: Block, keep: NDArray[np.bool_]) -> None:
        pa = import_optional("pyarrow", "io")
        pc = import_optional("pyarrow.compute", "io")
        self.summary.dropped += int((~keep).sum())
        labels = block.batch.column(self.target).filter(pa.array(~keep)).drop_null()
        tally = pc.value_counts(labels)
        values, counts = tally.field("values").to_pylist(), tally.field("counts").to_pylist()
        for label, n in zip(values, counts, strict=True):
            self._dropped[label] = self._dropped.get(label, 0) + n

    def _learn_spellings(self, block: Block, labels: list[Any]) -> None:
        """Remember how the input writes each new class label, for the synthetic rows."""
        pa = import_optional("pyarrow", "io")
        pc = import_optional("pyarrow.compute", "io")
        spellings = self._writer.spellings.setdefault(self.target, {})
        column = block.batch.column(self.target)
        position = self.schema.names.index(self.target)
        for label in labels:
            if label not in spellings:
                first = pc.index(column, pa.scalar(label, type=column.type)).as_py()
                spellings[label] = block.text_of(first, position)

    # -- growing ---------------------------------------------------------------------------
    def _sampler_error(self, exc: Exception) -> DataError:
        if isinstance(exc, ClassTooSmallError):
            where = f"'{self.input_path}' column '{self.target}'"
            return DataError(explain_too_small(exc, self.method, where))
        message = " ".join(str(exc).split())
        if self.method.name == "kmeans":
            # Its advice names Python parameters that the command line does not have.
            first = message.split(". ")[0].rstrip(".")
            message = (
                f"{first}: K-Means SMOTE's clusters can only be tuned from Python "
                "(smotekit.KMeansSMOTE's cluster_balance_threshold and kmeans_estimator); "
                "here, use another --method such as smote or borderline1"
            )
        return DataError(f"'{self.input_path}': {message}")

    def _grow_in_memory(self, batches: list[Any], synthetic: SyntheticRows, sampler: Any) -> None:
        """Methods that look at every class: fit the sampler on all rows, write its new rows."""
        X, y, exact, n = self._in_memory(batches)
        X_res, y_res = self._fit(sampler, X, y)
        records = getattr(sampler, "provenance_", None)
        if self._prov_writer is not None and records is None:
            raise UsageError(f"--provenance: --method {self.method.name} records no provenance")
        synthetic.exact = exact
        synthetic.from_resampled(X_res, y_res, n, records, self.categorical)

    def _clean_in_memory(self, batches: list[Any], sampler: Any, n_new: int) -> None:
        """The combined sampler fitted on all rows; the rows it kept written in its order."""
        from smotekit.cli._clean import (
            check_cleaning_rows,
            combined_sampler,
            memory_synthetic,
            removed_in_memory,
            write_cleaned,
        )

        X, y, exact, n = self._in_memory(batches)
        combined = combined_sampler(self.clean, sampler)
        cleaning = combined._cleaning_rule()
        check_cleaning_rows(self.clean, cleaning, n + n_new, f"'{self.input_path}'")
        X_res, y_res = self._fit(combined, X, y)
        synthetic = self._synthetic_rows(sampler)
        synthetic.exact = exact
        write = memory_synthetic(X_res, y_res, combined, synthetic, self.categorical)
        removed = removed_in_memory(combined, n)
        write_cleaned(self, removed, cleaning.by_class, synthetic, write)

    def _fit(self, sampler: Any, X: Any, y: Any) -> tuple[Any, Any]:
        try:
            return sampler.fit_resample(X, y)  # type: ignore[no-any-return]
        except (ValueError, RuntimeError) as exc:
            raise self._sampler_error(exc) from None

    def _in_memory(self, batches: list[Any]) -> tuple[Any, NDArray[Any], dict[int, Any], int]:
        """The rows of ``batches`` (emptied) as ``(X, y, exact integer columns, rows)``."""
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
        exact = {j: table.column(self.features[j]).to_numpy() for j in self._integers}
        return X, y, exact, n

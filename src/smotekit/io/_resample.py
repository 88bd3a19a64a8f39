"""The file executor: a sampler's rule run blockwise over a file read again pass by pass.

The engine's blockwise driver (:func:`smotekit.engine.run_blockwise`) takes the data as
re-readable partitions; here they are a file's blocks (CSV blocks that carry their records'
bytes, Parquet batches). The passes over the file:

1. **count**: the caller's own pass over the target column (and the columns it must check),
   before the sampler is built, since the sampling strategy is read from the counts; the
   engine's counting pass is then answered from those counts, without reading the file again;
2. **copy and gather**: every original block goes to ``on_copy`` (the caller writes its records
   through) while the engine keeps the rows of the classes to grow;
3. only if the rule asks queries over all rows, a **search** pass; only if partners may be rows
   of other classes, a **fetch** pass;
4. the synthetic rows, made one output block at a time, as the caller iterates them.

When the resampled rows are cleaned (:func:`cleaned_rows`), nothing is copied on the second
pass (``on_copy`` is ``None``): the engine's cleaning passes read the file and the synthetic
blocks (made anew each pass) until the rows removed are known, and only then does the caller
write what was kept, filtering each block with :func:`kept_mask`.

Memory holds the grown classes' rows, one file block and one output block: nothing per row of
the other classes and nothing per synthetic row. Categorical columns reach the rule as the
float codes of their categories, sorted over the whole file (so a code's order is its value's),
and come back decoded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan
from smotekit._optional import import_optional
from smotekit.engine import SamplerRule, SyntheticBlock, run_blockwise
from smotekit.engine._blockwise import DEFAULT_BLOCK_ROWS, BlockwiseRun
from smotekit.engine._cleaning import (
    CleaningRule,
    clean_blockwise,
    resampled_counts,
    resampled_partitions,
)

__all__ = [
    "FilePartitions",
    "blockwise_run",
    "cleaned_rows",
    "count_rows",
    "kept_block",
    "kept_mask",
    "parent_positions",
    "synthetic_blocks",
]


#: Labels per array when the engine's counting pass is answered from known counts.
_REPLAY_ROWS = 1 << 16

#: A pass over the file: ``(block, rows, keep)`` per block, its rows less any left out (under
#: ``--nan drop``) and the mask of those kept (``None``: all); ``columns`` read (``None``: all).
Reader = Callable[[Any], Iterable[tuple[Any, Any, Any]]]


def count_rows(
    reader: Reader, target: str, categorical: list[str], columns: list[str] | None
) -> tuple[dict[Any, int], dict[str, NDArray[Any]]]:
    """One pass over ``columns``: rows per class and each categorical column's sorted values.

    ``reader(columns)`` gives the blocks (see :data:`Reader`); ``columns`` should hold the
    target and the categorical columns (``None``: read all).
    """
    pc = import_optional("pyarrow.compute", "io")
    counts: dict[Any, int] = {}
    seen: dict[str, set[Any]] = {name: set() for name in categorical}
    for _, batch, _ in reader(columns):
        tally = pc.value_counts(batch.column(target))
        values, sizes = tally.field("values").to_pylist(), tally.field("counts").to_pylist()
        for label, n in zip(values, sizes, strict=True):
            counts[label] = counts.get(label, 0) + n
        for name in categorical:
            seen[name].update(pc.unique(batch.column(name)).to_pylist())
    categories = {name: np.array(sorted(values), dtype=object) for name, values in seen.items()}
    return counts, categories


@dataclass
class FilePartitions:
    """A file's rows as the engine's re-readable partitions ``(X_part, y_part)``.

    ``features`` become the float64 columns of ``X_part`` (categorical ones as the codes of
    ``categories``); the second pass (the engine's gathering) gives each block to ``on_copy``
    first, unless it is ``None``.
    ``counts`` answers the engine's counting pass (the first it asks) without reading. Rows of
    ``gather`` labels keep their exact ``integers`` columns (positions in ``features``) for
    :meth:`exact_parents`.
    """

    reader: Reader
    features: list[str]
    target: str
    categories: dict[str, NDArray[Any]]
    counts: dict[Any, int]
    on_copy: Callable[[Any, Any, Any], None] | None
    gather: list[Any] = field(default_factory=list)
    integers: list[int] = field(default_factory=list)
    _passes: int = field(default=0, init=False)
    _ids: list[NDArray[np.int64]] = field(default_factory=list, init=False)
    _exact: list[dict[int, NDArray[Any]]] = field(default_factory=list, init=False)

    def __call__(self) -> Iterator[tuple[Any, NDArray[Any]]]:
        self._passes += 1
        if self._passes == 1:
            yield from self._replay()
            return
        copying = self._passes == 2
        offset = 0
        for block, batch, keep in self.reader(None):
            if copying and self.on_copy is not None:
                self.on_copy(block, batch, keep)
            y = batch.column(self.target).to_numpy(zero_copy_only=False)
            if copying and self.integers:
                self._keep_exact(batch, y, offset)
            offset += batch.num_rows
            yield self._matrix(batch), y

    def _replay(self) -> Iterator[tuple[None, NDArray[Any]]]:
        """The labels of ``counts``, a bounded array at a time: a count without a read."""
        for label, n in self.counts.items():
            for start in range(0, n, _REPLAY_ROWS):
                yield None, np.full(min(_REPLAY_ROWS, n - start), label)

    def _matrix(self, batch: Any) -> NDArray[np.float64]:
        pa = import_optional("pyarrow", "io")
        pc = import_optional("pyarrow.compute", "io")
        X = np.empty((batch.num_rows, len(self.features)), dtype=np.float64)
        for j, name in enumerate(self.features):
            column = batch.column(name)
            if name in self.categories:
                known = pa.array(self.categories[name].tolist(), type=column.type)
                column = pc.index_in(column, value_set=known)
            X[:, j] = column.to_numpy(zero_copy_only=False)
        return X

    def _keep_exact(self, batch: Any, y: NDArray[Any], offset: int) -> None:
        rows = np.flatnonzero(np.isin(y, np.array(self.gather, dtype=y.dtype)))
        if rows.size:
            self._ids.append(offset + rows)
            self._exact.append(
                {j: batch.column(self.features[j]).to_numpy()[rows] for j in self.integers}
            )

    def exact_parents(self) -> tuple[NDArray[np.int64], dict[int, NDArray[Any]]]:
        """The gathered rows' numbers (sorted) and their exact integer columns."""
        ids = np.concatenate(self._ids) if self._ids else np.empty(0, dtype=np.int64)
        exact = {
            j: np.concatenate([part[j] for part in self._exact])
            for j in self.integers
            if self._exact
        }
        return ids, exact

    def decode(self, X: NDArray[np.float64], j: int) -> NDArray[Any]:
        """Column ``j`` of synthetic rows, categorical codes back to their values."""
        return self.categories[self.features[j]][X[:, j].astype(np.intp)]


def blockwise_run(
    rule: SamplerRule,
    partitions: FilePartitions,
    strategy: Any,
    random_state: int,
    *,
    integer_rounding: str = "nearest",
    block_rows: int = DEFAULT_BLOCK_ROWS,
) -> BlockwiseRun:
    """Run ``rule`` over the file: what the run found, and its synthetic blocks.

    ``strategy`` is the sampling strategy keyed by labels (as the sampler takes it); the draws are
    imbalanced-learn's for ``random_state``, so the rows are those of ``fit_resample`` on the
    whole file. The copy-and-gather pass and any search or fetch pass happen in this call.
    """
    return run_blockwise(
        rule,
        partitions,
        sampling_strategy=strategy,
        random_state=random_state,
        seeding="imbalanced-learn",
        block_rows=block_rows,
        integer_rounding=integer_rounding,
    )


def synthetic_blocks(
    rule: SamplerRule, partitions: FilePartitions, strategy: Any, random_state: int, **options: Any
) -> Iterator[SyntheticBlock]:
    """:func:`blockwise_run`'s synthetic blocks, made as they are iterated."""
    return blockwise_run(rule, partitions, strategy, random_state, **options).blocks


def cleaned_rows(
    rule: CleaningRule, partitions: FilePartitions, run: BlockwiseRun, query_rows: int
) -> NDArray[np.int64]:
    """The row numbers (sorted) ``rule`` removes from the file's rows and ``run``'s synthetic
    rows, numbered as ``fit_resample`` numbers its output: a pass per ``query_rows`` asking rows,
    plus one (:func:`~smotekit.engine._cleaning.clean_blockwise`, which joins the file's blocks
    into blocks of about ``query_rows`` rows to search)."""
    rows = resampled_partitions(partitions, run)
    return clean_blockwise(rule, rows, resampled_counts(run), query_rows=query_rows)


def kept_mask(removed: NDArray[np.int64], first: int, n: int) -> NDArray[np.bool_]:
    """Which of the rows numbered ``first .. first + n - 1`` are not in ``removed`` (sorted).

    Examples
    --------
    >>> import numpy as np
    >>> kept_mask(np.array([1, 5, 6, 9]), 4, 4).tolist()
    [True, False, False, True]
    """
    keep = np.ones(n, dtype=bool)
    lo, hi = np.searchsorted(removed, [first, first + n])
    keep[removed[lo:hi] - first] = False
    return keep


def kept_block(block: SyntheticBlock, keep: NDArray[np.bool_]) -> SyntheticBlock:
    """The rows of ``block`` that ``keep`` marks, with their provenance."""
    plan = block.provenance
    scale = None if plan.scale is None else plan.scale[keep]
    kept = SyntheticPlan(plan.base[keep], plan.neighbor[keep], plan.gap[keep], scale)
    return SyntheticBlock(block.label, block.X[keep], kept)


def parent_positions(ids: NDArray[np.int64], provenance: SyntheticPlan) -> SyntheticPlan:
    """``provenance`` (data row numbers) as positions in ``ids``; a parent not there (a partner
    of another class) marks its row as off the segment (``gap`` -1), so nothing bounds it.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit._kernels import SyntheticPlan
    >>> ids = np.array([3, 8, 9])
    >>> made = SyntheticPlan(np.array([8, 9]), np.array([3, 5]), np.array([0.5, 0.5]))
    >>> plan = parent_positions(ids, made)
    >>> plan.base.tolist(), plan.neighbor.tolist(), plan.gap.tolist()
    ([1, 2], [0, 1], [0.5, -1.0])
    """
    base = np.searchsorted(ids, provenance.base)
    neighbor = np.searchsorted(ids, provenance.neighbor)
    neighbor = np.minimum(neighbor, max(ids.size - 1, 0))
    found = (
        (provenance.neighbor >= 0) & (ids[neighbor] == provenance.neighbor) if ids.size else False
    )
    gap = np.where(found, provenance.to_records()["gap"], -1.0)
    return SyntheticPlan(base, neighbor, gap)

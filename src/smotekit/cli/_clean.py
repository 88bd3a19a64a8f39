"""``smotekit resample --clean``: the oversampled rows cleaned as SMOTEENN or SMOTETomek would.

The combined sampler (:class:`smotekit.SMOTEENN` or :class:`smotekit.SMOTETomek` with the
method's sampler as ``smote``) gives both rules (``_rules()``); nothing here depends on the
method. On the file executor's path the rows removed are found first (the engine's cleaning
passes over the file and the synthetic blocks, made anew each pass), and only then is anything
written: the original records the cleaner kept (CSV records byte for byte) and the kept
synthetic rows, in ``fit_resample``'s order. Tomek links keep row order (originals, then
synthetic rows); edited nearest neighbours list the rows class by class in sorted label order,
so each class takes one pass over the file for its originals, then its synthetic rows.

A method the file executor does not run is fitted in memory as the combined sampler, and its
output is written in the same layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit.cli._errors import DataError

__all__ = [
    "CLEANERS",
    "CLEAN_MEMORY",
    "check_cleaning_rows",
    "combined_sampler",
    "engine_synthetic",
    "memory_synthetic",
    "removed_in_memory",
    "write_cleaned",
]

#: ``--clean`` choices: the combined sampler each names (``None``: no cleaning).
CLEANERS = {"none": None, "enn": "SMOTEENN", "tomek": "SMOTETomek"}

#: About how many bytes one cleaning pass holds for its group of asking rows
#: (:func:`smotekit.engine._cleaning.query_rows_for`).
CLEAN_MEMORY = 192 << 20

#: Writes the kept synthetic rows of a class (``None``: of every class), in output order.
WriteSynthetic = Callable[[Any], None]


def combined_sampler(clean: str, sampler: Any) -> Any:
    """The combined sampler of ``--clean`` (its default cleaner) with ``sampler`` as ``smote``.

    Examples
    --------
    >>> from smotekit import SMOTE
    >>> type(combined_sampler("tomek", SMOTE(random_state=0))).__name__
    'SMOTETomek'
    """
    import smotekit

    return getattr(smotekit, str(CLEANERS[clean]))(smote=sampler)


def check_cleaning_rows(clean: str, rule: Any, n_rows: int, where: str) -> None:
    """The oversampled rows hold the neighbours the cleaning ``rule`` asks for, or a one-line
    error."""
    needed = rule.n_neighbors + 1
    if n_rows < needed:
        raise DataError(
            f"{where}: --clean {clean} needs at least {needed} rows after oversampling (each "
            f"row and its neighbours), and there are {n_rows}: give more rows, or leave --clean "
            "out"
        )


def write_cleaned(
    job: Any, removed: NDArray[np.int64], by_class: bool, synthetic: Any, write: WriteSynthetic
) -> None:
    """Write the kept rows in the cleaner's order (see the module's text).

    ``removed`` are the removed row numbers (originals first, then synthetic rows); ``synthetic``
    is the :class:`~smotekit.cli._synthesis.SyntheticRows` that ``write`` writes through.
    """
    groups = sorted(job.summary.counts) if by_class else [None]
    job.summary.cleaned = int(removed.size)
    rows = 0
    for label in groups:
        rows += job.write_originals(removed, label)
        synthetic.row = rows
        write(label)
        rows = synthetic.row


def engine_synthetic(
    run: Any, removed: NDArray[np.int64], synthetic: Any, parents: Any, decode: Any
) -> WriteSynthetic:
    """The engine's synthetic blocks (made anew), less the rows removed, one class at a time.

    ``parents`` maps a block's provenance to positions of the kept exact parents
    (:func:`smotekit.io._resample.parent_positions`); ``decode`` gives categorical values.
    """
    from smotekit.io._resample import kept_block, kept_mask

    blocks = _Peek(run.regenerate())
    first = sum(run.counts.values())  # the first synthetic row's number

    def write(label: Any) -> None:
        nonlocal first
        while blocks.ahead is not None and (label is None or blocks.ahead.label == label):
            block = next(blocks)
            kept = kept_block(block, kept_mask(removed, first, len(block.X)))
            first += len(block.X)
            if len(kept.X):
                synthetic.from_block(kept, parents(kept.provenance), decode)

    return write


def removed_in_memory(combined: Any, n_rows: int) -> NDArray[np.int64]:
    """The rows a fitted combined sampler's cleaner removed, numbered as its oversampler's
    output (``n_rows`` input rows, then the synthetic rows)."""
    cleaner = getattr(combined, "enn_", None) or combined.tomek_
    kept = np.asarray(cleaner.sample_indices_)
    n_made = len(combined.smote_.provenance_)
    keep = np.zeros(n_rows + n_made, dtype=bool)
    keep[kept] = True
    return np.flatnonzero(~keep).astype(np.int64)


def memory_synthetic(
    X_res: Any, y_res: NDArray[Any], combined: Any, synthetic: Any, categorical: list[str]
) -> WriteSynthetic:
    """A fitted combined sampler's kept synthetic rows, one class at a time."""
    mask = combined.synthetic_mask_
    X_new, y_new = X_res[mask], y_res[mask]
    records = getattr(combined, "provenance_", None)

    def write(label: Any) -> None:
        pick = np.ones(len(y_new), dtype=bool) if label is None else y_new == label
        chosen = None if records is None else records[pick]
        synthetic.from_resampled(X_new[pick], y_new[pick], 0, chosen, categorical)

    return write


class _Peek:
    """An iterator that shows its next item (``ahead``; ``None`` once exhausted)."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items = items
        self.ahead = next(items, None)

    def __iter__(self) -> _Peek:
        return self

    def __next__(self) -> Any:
        if self.ahead is None:
            raise StopIteration
        item, self.ahead = self.ahead, next(self._items, None)
        return item

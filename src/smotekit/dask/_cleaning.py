"""Oversampling, then cleaning, on Dask: the engine's cleaning steps as tasks.

A combined sampler (one with ``_rules()``: smotekit's SMOTEENN and SMOTETomek, or
imbalanced-learn's, run as smotekit's class of the same name) is its oversampler's graph
(:func:`~smotekit.dask._graph.synthesize`) followed by its cleaner's rule
(:class:`~smotekit.engine._cleaning.CleaningRule`) over the resampled rows. This module knows
no sampler and no cleaner; the steps are :mod:`smotekit.engine._cleaning`'s, each a task
(``Q`` output partitions: the input's, then the synthetic blocks):

1. per output partition (a query group): ``rule.asks`` picks its asking rows; where one class
   holds most rows, the rows of that class that the engine's ``certify`` proves to have only
   their own class near do not ask (one task gathers the other classes' rows, one certifies
   each partition);
2. one :func:`~smotekit.engine._cleaning.neighbour_piece` per (query partition, data
   partition), ``Q**2`` tasks, merged per query partition by (distance, row number) in a tree of
   at most 8 pieces per merge: a single search's answer, for any partitioning;
3. :func:`~smotekit.engine._cleaning.decide` per query partition, then one task
   ``rule.removed(pieces)``: the removed row numbers, sorted;
4. every output partition filtered, in the cleaner's order (:attr:`Kept.order`): Tomek links in
   row order; ENN class by class in sorted label order (each class's kept input rows in
   partition order, then its kept synthetic rows), as ``fit_resample`` lists them.

The output's partition sizes are known only once computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional
from smotekit.dask._graph import Synthesis, _as_smotekit, _numeric
from smotekit.engine._cleaning import (
    _MERGE_EVERY,
    DEFAULT_QUERY_ROWS,
    CleaningRule,
    Piece,
    certify,
    check_rows,
    decide,
    dominant_class,
    neighbour_piece,
)
from smotekit.neighbors._blockwise import merge_topk

__all__ = ["Kept", "clean", "clean_synthesis", "combined_parts"]


def combined_parts(sampler: Any) -> tuple[Any, CleaningRule] | None:
    """A combined sampler's oversampler and cleaning rule; ``None`` for any other sampler.

    imbalanced-learn's samplers (the combined one and its ``smote``) are read as smotekit's
    class of the same name; the sampler passed is not modified (a copy is validated).

    Examples
    --------
    >>> from smotekit import ADASYN, SMOTE, SMOTEENN
    >>> over, rule = combined_parts(SMOTEENN(smote=ADASYN(random_state=1)))
    >>> type(over).__name__, type(rule).__name__, rule.n_neighbors
    ('ADASYN', 'ENNRule', 3)
    >>> combined_parts(SMOTE()) is None
    True
    """
    from sklearn.base import clone

    combined = _as_smotekit(sampler)
    if not callable(getattr(combined, "_rules", None)):
        return None
    combined = clone(combined)
    if combined.smote is not None:
        combined.set_params(smote=_as_smotekit(combined.smote))
    name = type(sampler).__name__
    try:
        over, rule = combined._rules()
    except TypeError:
        over = None
    model = None if over is None else over.capabilities.global_model
    if over is None or model is not None:
        from smotekit._registry import specs

        oversamplers = [s.name for s in specs() if s.blockwise and s.kind == "over-sampling"]
        needs = "has no blockwise rule" if over is None else f"needs {model} of the whole data"
        raise TypeError(
            f"smotekit.dask.fit_resample cannot run {name}(smote={type(combined.smote).__name__}):"
            f" its oversampler {needs}. Resample in memory, or pass smote= one of "
            f"{', '.join(oversamplers)}."
        )
    return combined.smote_, rule


@dataclass
class Kept:
    """The rows a cleaner keeps, lazily: which rows of which output partition, in which order.

    Output partitions are numbered as the rows are: the input partitions, then the synthetic
    blocks.
    """

    removed: Any  # delayed: the row numbers removed, sorted
    starts: list[int]  # first row number of each output partition
    labels: list[Any]  # delayed: each output partition's labels
    order: list[tuple[int, Any]]  # (output partition, class kept or None for all), in order
    n_input: int  # partitions of the input

    def select(self, parts: list[Any]) -> list[Any]:
        """Lazy kept rows of ``parts`` (one per output partition: frames, arrays or labels),
        as the cleaner lists them."""
        delayed = import_optional("dask", "dask").delayed
        return [
            delayed(_kept_rows)(parts[j], self.labels[j], self.removed, self.starts[j], label)
            for j, label in self.order
        ]

    def select_synthetic(self, blocks: list[Any]) -> list[Any]:
        """Lazy kept rows of ``blocks`` (one per synthetic block, such as its provenance
        records), in the order of the output's synthetic rows."""
        delayed = import_optional("dask", "dask").delayed
        return [
            delayed(_kept_rows)(
                blocks[j - self.n_input], self.labels[j], self.removed, self.starts[j], None
            )
            for j, _ in self.order
            if j >= self.n_input
        ]


def clean(
    rule: CleaningRule,
    data: list[Any],
    labels: list[Any],
    starts: list[int],
    counts: dict[Any, int],
    synthetic_labels: list[Any],
) -> Kept:
    """Lay out the cleaning of the output partitions as tasks.

    ``data`` and ``labels`` are the lazy numeric rows and labels of the output partitions
    (input partitions first, then one per synthetic block, whose classes are
    ``synthetic_labels``), ``starts`` their first row numbers, ``counts`` the rows per class of
    the whole output.
    """
    delayed = import_optional("dask", "dask").delayed
    check_rows(rule, sum(counts.values()))
    cleaned = rule.cleaned(counts)
    n = rule.n_neighbors + 1
    # Where one class holds most rows, its rows proven to have only their class near do not
    # ask (the engine's certify): one task gathers the other classes' rows.
    dominant = dominant_class(counts, DEFAULT_QUERY_ROWS)
    others = None
    if dominant is not None:
        others = delayed(_other_rows)(
            [delayed(_rows_not_of)(X, y, dominant) for X, y in zip(data, labels, strict=True)]
        )
    decided = []
    for X_query, y_query, start in zip(data, labels, starts, strict=True):
        spared = None
        if others is not None:
            spared = delayed(certify)(rule, X_query, y_query, dominant, others)
        asking = delayed(_asking)(rule, X_query, y_query, start, cleaned, spared)
        pieces = [
            delayed(_piece)(rule, asking, X_part, y_part, offset)
            for X_part, y_part, offset in zip(data, labels, starts, strict=True)
        ]
        while len(pieces) > _MERGE_EVERY:
            pieces = [
                delayed(merge_topk)(pieces[i : i + _MERGE_EVERY], n)
                for i in range(0, len(pieces), _MERGE_EVERY)
            ]
        decided.append(delayed(_decide)(rule, pieces, asking, cleaned))
    removed = delayed(_removed)(rule, decided)
    n_input = len(data) - len(synthetic_labels)
    order: list[tuple[int, Any]] = [(j, None) for j in range(len(data))]  # row order
    if rule.by_class:
        order = []
        for label in sorted(counts):
            order += [(j, label) for j in range(n_input)]
            order += [(n_input + b, None) for b, c in enumerate(synthetic_labels) if c == label]
    return Kept(removed, starts, labels, order, n_input)


def clean_synthesis(plan: Synthesis, rule: CleaningRule) -> Kept:
    """The cleaning of a resample's output rows (the input's partitions, then the plan's
    synthetic blocks) as tasks: :func:`clean` on the plan's partitions."""
    delayed = import_optional("dask", "dask").delayed
    source = plan.source
    text = [source.columns[j] for j in source.text_columns()]
    if text:
        raise ValueError(
            f"X has columns that are not numbers ({text[:5]}), and cleaning measures distances "
            "over all columns: encode them as numbers first, or resample without cleaning."
        )
    parts = [*source.x_parts, *plan.x_blocks]
    data = [delayed(_numeric)(part, source.work_dtype, {}) for part in parts]
    block_starts = plan.n_input + np.cumsum([0, *plan.sizes[:-1]])
    starts = [*plan.offsets[:-1], *(int(s) for s in block_starts[: len(plan.sizes)])]
    counts = {label: n + plan.added.get(label, 0) for label, n in plan.counts.items()}
    labels = [*source.y_parts, *plan.y_blocks]
    return clean(rule, data, labels, starts, counts, plan.block_labels)


# -- tasks (plain functions, shipped to the workers) ---------------------------------------


def _rows_not_of(X: NDArray[Any], y: Any, label: Any) -> NDArray[Any]:
    return X[np.asarray(y) != label]


def _other_rows(parts: list[NDArray[Any]]) -> NDArray[Any]:
    return np.concatenate(parts)


def _asking(
    rule: CleaningRule,
    X: NDArray[Any],
    y: Any,
    start: int,
    cleaned: list[Any],
    spared: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.int64], NDArray[Any], NDArray[Any]]:
    """A partition's asking rows (less those certified): their row numbers, rows and labels."""
    y = np.asarray(y)
    asks = rule.asks(y, cleaned)
    if spared is not None:
        asks &= ~spared
    rows = np.flatnonzero(asks)
    return (start + rows).astype(np.int64), X[rows], y[rows]


def _piece(
    rule: CleaningRule,
    asking: tuple[NDArray[Any], ...],
    X_part: NDArray[Any],
    y_part: Any,
    offset: int,
) -> tuple[NDArray[Any], ...]:
    return neighbour_piece(rule, asking[1], X_part, y_part, offset)


def _decide(
    rule: CleaningRule,
    pieces: list[tuple[NDArray[Any], ...]],
    asking: tuple[NDArray[Any], ...],
    cleaned: list[Any],
) -> Piece | None:
    ids, _, own = asking
    if not ids.size:
        return None
    return decide(rule, merge_topk(pieces, rule.n_neighbors + 1), ids, own, cleaned)


def _removed(rule: CleaningRule, decided: list[Piece | None]) -> NDArray[np.int64]:
    pieces = [piece for piece in decided if piece is not None]
    return rule.removed(pieces) if pieces else np.empty(0, dtype=np.int64)


def _kept_rows(part: Any, labels: Any, removed: NDArray[np.int64], start: int, label: Any) -> Any:
    """The rows of ``part`` (first row number ``start``) not removed, of class ``label`` unless
    it is ``None``."""
    labels = np.asarray(labels)
    lo, hi = np.searchsorted(removed, [start, start + len(labels)])
    keep = np.ones(len(labels), dtype=bool)
    keep[removed[lo:hi] - start] = False
    if label is not None:
        keep &= labels == label
    return part.iloc[keep] if hasattr(part, "iloc") else part[keep]

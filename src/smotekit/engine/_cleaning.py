"""Cleaning, written once: a cleaner's rule run over all rows, in memory or blockwise.

A :class:`CleaningRule` states what a cleaner (edited nearest neighbours, Tomek links) asks and
how it decides:

1. ``asks(labels, cleaned)``: which rows need their neighbours (the rows of the classes it
   cleans, or every row);
2. ``n_neighbors``: how many, among all rows, the row itself excluded by row number; rows are
   ranked by float64 distance with ties broken by row number (the engine's tie rule, the same
   in every executor);
3. ``local(...)``: what a group of asking rows' neighbours say on their own (the rows an ENN
   removes; each row's nearest neighbour of another class, a Tomek link candidate);
4. ``removed(pieces)``: the row numbers removed, from the pieces of every group (the mutual
   pairs of Tomek links are matched there).

The search over all rows is a top-k of a group of asking rows against each partition, merged
by (distance, row number): a single search's answer, for any partitioning. Two drivers here run
these steps: :func:`clean_in_memory` (all rows are one partition) and :func:`clean_blockwise`
(re-readable partitions, a bounded group of asking rows per pass, so memory does not grow with
the rows); Dask's graph runs the same steps as tasks.

On data where tied distances do not decide (continuous features), the rows kept are
imbalanced-learn's; where they do, imbalanced-learn follows scikit-learn's order of tied rows,
which only its own search gives, and the engine follows row numbers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from smotekit._strategy import cleaned_from_counts
from smotekit.engine._blockwise import BlockwiseRun
from smotekit.neighbors import ExactNeighbors, self_entries
from smotekit.neighbors._blockwise import block_topk, keep_others, merge_topk

__all__ = [
    "CERTIFY_ROWS",
    "DATA_BYTES",
    "DEFAULT_QUERY_ROWS",
    "CleaningRule",
    "certify",
    "check_rows",
    "clean_blockwise",
    "clean_in_memory",
    "decide",
    "dominant_class",
    "kept_rows",
    "neighbour_piece",
    "query_rows_for",
    "resampled_counts",
    "resampled_partitions",
]

#: Asking rows searched per pass of :func:`clean_blockwise` (their rows and top-k lists are
#: what the pass holds besides one partition).
DEFAULT_QUERY_ROWS = 1 << 20

#: Bytes of rows joined into one block that a pass of :func:`clean_blockwise` indexes: each
#: group of asking rows searches every block, so fewer, larger blocks cost less.
DATA_BYTES = 256 << 20

#: Rows of a class per search of :func:`certify`: the bound it gives is looser for fewer rows,
#: and its cost per row grows with them.
CERTIFY_ROWS = 1 << 11

#: Partition pieces merged at once into a group's running top-k.
_MERGE_EVERY = 8

#: One pass over the rows: their partitions ``(X_part, y_part)``, always in the same order.
Partitions = Callable[[], Iterable[tuple[Any, Any]]]

#: What a group's neighbours say (:meth:`CleaningRule.local`): arrays, one entry per row.
Piece = tuple[NDArray[Any], ...]


@dataclass(frozen=True)
class CleaningRule(ABC):
    """What a cleaner states once; executors run it over any rows.

    Parameters
    ----------
    n_neighbors : int
        Neighbours each asking row needs, among all rows, itself excluded.
    sampling_strategy : str, list or callable, default="all"
        The classes cleaned, as imbalanced-learn's cleaning samplers take them.
    n_jobs : int or None, default=None
        Threads of the neighbour search.
    """

    n_neighbors: int
    sampling_strategy: Any = "all"
    n_jobs: int | None = None

    #: The rows kept are listed class by class in sorted label order (imbalanced-learn's ENN),
    #: else in row order (its Tomek links).
    by_class: ClassVar[bool] = False

    def cleaned(self, counts: dict[Any, int]) -> list[Any]:
        """The labels of the classes cleaned, from the class counts of the rows."""
        return list(cleaned_from_counts(self.sampling_strategy, counts))

    def asks(self, labels: NDArray[Any], cleaned: list[Any]) -> NDArray[np.bool_]:
        """Which of the rows with ``labels`` need their neighbours (default: every row)."""
        return np.ones(len(labels), dtype=bool)

    def estimator(self) -> ExactNeighbors:
        """The exact search each partition is indexed with."""
        return ExactNeighbors(n_neighbors=self.n_neighbors + 1, n_jobs=self.n_jobs)

    @abstractmethod
    def local(
        self,
        ids: NDArray[np.int64],
        own: NDArray[Any],
        neighbours: NDArray[np.intp],
        labels: NDArray[Any],
        cleaned: list[Any],
    ) -> Piece:
        """What the neighbours of the asking rows ``ids`` (labels ``own``) say on their own.

        ``neighbours`` and ``labels`` hold each row's ``n_neighbors`` nearest row numbers and
        their labels, nearest first.
        """

    @abstractmethod
    def removed(self, pieces: list[Piece]) -> NDArray[np.int64]:
        """The row numbers removed (sorted), from the pieces of every group of asking rows."""


def check_rows(rule: CleaningRule, n_rows: int) -> None:
    """The rows hold the neighbours the rule asks for."""
    if n_rows <= rule.n_neighbors:
        raise ValueError(
            f"n_neighbors={rule.n_neighbors}: cleaning needs more rows than neighbours, and the "
            f"resampled data has {n_rows}; lower n_neighbors."
        )


def neighbour_piece(
    rule: CleaningRule, X_query: Any, X_part: Any, y_part: Any, offset: int
) -> tuple[NDArray[Any], ...]:
    """One partition's part of the asking rows' search: ``(distances, row numbers, labels)``.

    Each asking row's ``n_neighbors + 1`` nearest rows of the partition (numbered from
    ``offset``); pieces of all partitions merge with
    :func:`~smotekit.neighbors._blockwise.merge_topk`.
    """
    X_part, y_part = np.asarray(X_part), np.asarray(y_part)
    dist, ind = block_topk(
        rule.estimator(), np.asarray(X_query), X_part, rule.n_neighbors + 1, offset
    )
    return dist, ind, y_part[ind - offset]


def decide(
    rule: CleaningRule,
    merged: tuple[NDArray[Any], ...],
    ids: NDArray[np.int64],
    own: NDArray[Any],
    cleaned: list[Any],
) -> Piece:
    """A group's piece from its merged search: itself removed by row number, then ``local``."""
    _, ind, labels = merged
    marks = self_entries(ind, ids)
    k = rule.n_neighbors
    return rule.local(ids, own, keep_others(ind, marks, k), keep_others(labels, marks, k), cleaned)


def kept_rows(rule: CleaningRule, y: NDArray[Any], removed: NDArray[np.int64]) -> NDArray[np.intp]:
    """The row numbers kept, in the order the cleaner lists them.

    Examples
    --------
    >>> from smotekit.engine._cleaning import kept_rows
    >>> class ByClass(CleaningRule):
    ...     by_class = True
    ...     def local(self, *args): return ()
    ...     def removed(self, pieces): return np.empty(0, dtype=np.int64)
    >>> kept_rows(ByClass(1), np.array([1, 0, 1, 0]), np.array([3])).tolist()
    [1, 0, 2]
    """
    keep = np.ones(len(y), dtype=bool)
    keep[removed] = False
    kept = np.flatnonzero(keep)
    if rule.by_class:
        codes = np.unique(np.asarray(y), return_inverse=True)[1]
        kept = kept[np.argsort(codes[kept], kind="stable")]
    return kept


def clean_in_memory(rule: CleaningRule, X: Any, y: Any) -> NDArray[np.intp]:
    """The rows ``rule`` keeps (in its order): the blockwise answer with all rows one partition.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.under_sampling._tomek import TomekRule
    >>> X = np.array([[0.0], [0.9], [1.0], [3.0], [3.2]])
    >>> clean_in_memory(TomekRule(), X, np.array([0, 0, 1, 1, 1])).tolist()
    [0, 3, 4]
    """
    X, y = np.asarray(X), np.asarray(y)
    check_rows(rule, len(y))
    values, sizes = np.unique(y, return_counts=True)
    cleaned = rule.cleaned(dict(zip(values.tolist(), sizes.tolist(), strict=True)))
    asking = np.flatnonzero(rule.asks(y, cleaned))
    pieces = []
    if asking.size:
        merged = neighbour_piece(rule, X[asking], X, y, 0)
        pieces.append(decide(rule, merged, asking.astype(np.int64), y[asking], cleaned))
    return kept_rows(rule, y, rule.removed(pieces) if pieces else np.empty(0, np.int64))


def resampled_partitions(partitions: Partitions, run: BlockwiseRun) -> Partitions:
    """The rows of a blockwise resample as partitions: the input's, then the synthetic blocks
    (made anew on every pass), numbered as ``fit_resample`` numbers its output rows."""

    def rows() -> Iterable[tuple[Any, Any]]:
        dtype = None
        for X_part, y_part in partitions():
            dtype = np.asarray(y_part).dtype
            yield X_part, y_part
        for block in run.regenerate():
            yield block.X, np.full(len(block.X), block.label, dtype=dtype)

    return rows


def resampled_counts(run: BlockwiseRun) -> dict[Any, int]:
    """Rows per class of a blockwise resample's output."""
    return {label: n + run.strategy.get(label, 0) for label, n in run.counts.items()}


def dominant_class(counts: dict[Any, int], budget: int) -> Any | None:
    """The class whose rows :func:`certify` can spare the search over all rows, or ``None``.

    The largest class, when the rows of all other classes are few: at most a quarter of its
    own and at most ``budget`` (they are held in memory while its rows are certified).

    Examples
    --------
    >>> dominant_class({0: 1000, 1: 50, 2: 20}, 10**6), dominant_class({0: 60, 1: 40}, 10**6)
    (0, None)
    """
    label = max(sorted(counts), key=counts.__getitem__)
    others = sum(counts.values()) - counts[label]
    return label if others <= min(counts[label] // 4, budget) else None


def certify(
    rule: CleaningRule, X_block: Any, y_block: Any, label: Any, X_others: NDArray[Any]
) -> NDArray[np.bool_]:
    """Rows of class ``label`` whose ``n_neighbors`` nearest rows are proven to be of their class.

    For such a row, ``u``, the distance to its ``n_neighbors``-th nearest row of its class among
    the rows of its block (cut into pieces of :data:`CERTIFY_ROWS`), bounds the distance to its
    true ``n_neighbors``-th nearest row from above, and ``r``, its distance to the nearest of
    ``X_others`` (every row of the other classes), bounds every other class's rows from below:
    ``u < r`` proves that all its nearest rows are of its class. A cleaner never removes or
    links such a row (:class:`CleaningRule`), so it need not ask: the rows cleaned are the
    same, only the search is smaller where a large class lies away from the others.

    Examples
    --------
    >>> from smotekit.under_sampling._edited import ENNRule
    >>> X = np.array([[0.0], [0.1], [0.2], [0.3], [0.4], [5.0]])
    >>> certify(ENNRule(2), X, np.array([0, 0, 0, 0, 0, 1]), 0, X[5:]).tolist()
    [True, True, True, True, True, False]
    """
    X_block, y_block = np.asarray(X_block), np.asarray(y_block)
    certified = np.zeros(len(y_block), dtype=bool)
    rows = np.flatnonzero(y_block == label)
    k = rule.n_neighbors
    if rows.size <= k:
        return certified
    nearest_other = np.full(rows.size, np.inf)
    if len(X_others):
        search = ExactNeighbors(n_neighbors=1, n_jobs=rule.n_jobs).fit(X_others)
        nearest_other = search.kneighbors(X_block[rows])[0][:, 0]
    bound = np.full(rows.size, np.inf)
    method = "auto"  # the pieces are alike: the first one's choice serves them all
    for start in range(0, rows.size, CERTIFY_ROWS):
        piece = X_block[rows[start : start + CERTIFY_ROWS]]
        if len(piece) > k:
            own = ExactNeighbors(n_neighbors=k + 1, algorithm=method, n_jobs=rule.n_jobs)
            own.fit(piece)
            method = own.method_ if own.method_ in ("kd_tree", "brute") else "auto"
            # Column k of a self-query is the k-th nearest other row (whichever duplicate
            # comes first, the distances are the same).
            bound[start : start + len(piece)] = own.kneighbors(piece)[0][:, k]
    # A relative margin: the two searches may round a distance differently in its last bits.
    certified[rows] = bound * (1 + 1e-9) < nearest_other
    return certified


@dataclass
class _Group:
    ids: NDArray[np.int64]
    X: NDArray[Any]
    own: NDArray[Any]


def clean_blockwise(
    rule: CleaningRule,
    partitions: Partitions,
    counts: dict[Any, int],
    *,
    query_rows: int = DEFAULT_QUERY_ROWS,
    certification: bool = True,
    data_bytes: int = DATA_BYTES,
) -> NDArray[np.int64]:
    """The row numbers ``rule`` removes from the rows of ``partitions`` (sorted).

    Each pass searches one group of at most ``query_rows`` asking rows against the rows, read
    in blocks of consecutive partitions joined up to :data:`DATA_BYTES` (at least
    ``query_rows`` rows), while it gathers the next group: a run is one pass more than there
    are groups, and holds one group, its top-k lists and one block (``data_bytes`` sets the
    join; 0: blocks of ``query_rows`` rows). ``counts`` are the rows per class.

    Where one class holds most rows (:func:`dominant_class`), two passes first gather the other
    classes' rows and :func:`certify` its rows; only the others ask (``certification=False``
    skips this: the rows removed are the same).
    """
    if query_rows <= 0:
        raise ValueError(f"query_rows={query_rows!r} must be a positive number of rows.")
    check_rows(rule, sum(counts.values()))
    cleaned = rule.cleaned(counts)
    spared = _certified(rule, partitions, counts, query_rows) if certification else None
    n = rule.n_neighbors + 1
    pieces: list[Piece] = []
    group: _Group | None = None
    start = 0  # the first row number no group has taken yet
    while True:
        waiting: list[tuple[NDArray[Any], ...]] = []
        running: tuple[NDArray[Any], ...] | None = None
        taken: list[tuple[NDArray[np.int64], NDArray[Any], NDArray[Any]]] = []
        room = query_rows
        for offset, X_part, y_part in _coalesced(partitions, query_rows, data_bytes):
            if group is not None:
                waiting.append(neighbour_piece(rule, group.X, X_part, y_part, offset))
                if len(waiting) == _MERGE_EVERY:
                    running = _merge(running, waiting, n)
            if room and offset + len(y_part) > start:
                asks = rule.asks(y_part, cleaned)
                if spared is not None:
                    asks &= ~spared[offset : offset + len(y_part)]
                asking = np.flatnonzero(asks)
                asking = asking[asking + offset >= start][:room]
                taken.append((offset + asking, X_part[asking], y_part[asking]))
                room -= asking.size
        if group is not None:
            merged = _merge(running, waiting, n)
            pieces.append(decide(rule, merged, group.ids, group.own, cleaned))
        if room == query_rows:  # nothing left to ask
            break
        ids = np.concatenate([t[0] for t in taken]).astype(np.int64)
        X_group = np.concatenate([t[1] for t in taken])
        group = _Group(ids, X_group, np.concatenate([t[2] for t in taken]))
        start = int(ids[-1]) + 1
    return rule.removed(pieces) if pieces else np.empty(0, dtype=np.int64)


def _certified(
    rule: CleaningRule, partitions: Partitions, counts: dict[Any, int], budget: int
) -> NDArray[np.bool_] | None:
    """Per row number, whether :func:`certify` spares it; ``None`` without a dominant class."""
    label = dominant_class(counts, budget)
    if label is None:
        return None
    others = [X_part[y_part != label] for _, X_part, y_part in _coalesced(partitions, budget, 0)]
    X_others = np.concatenate(others)
    spared = np.zeros(sum(counts.values()), dtype=bool)
    for offset, X_part, y_part in _coalesced(partitions, budget, 0):
        spared[offset : offset + len(y_part)] = certify(rule, X_part, y_part, label, X_others)
    return spared


def _coalesced(
    partitions: Partitions, rows: int, max_bytes: int
) -> Iterator[tuple[int, NDArray[Any], NDArray[Any]]]:
    """``(offset, X, y)`` of consecutive partitions joined up to ``rows`` rows, or more up to
    ``max_bytes`` of ``X``: the search indexes fewer, larger blocks (its cost per query grows
    slowly with a block's size), while memory stays bounded."""
    held: list[tuple[NDArray[Any], NDArray[Any]]] = []
    size = offset = 0
    for X_part, y_part in partitions():
        X_part, y_part = np.asarray(X_part), np.asarray(y_part)
        limit = max(rows, max_bytes // max(X_part.itemsize * X_part.shape[-1], 1))
        if held and size + len(y_part) > limit:
            yield offset, *_joined(held)
            offset += size
            held, size = [], 0
        held.append((X_part, y_part))
        size += len(y_part)
    if held:
        yield offset, *_joined(held)


def _joined(held: list[tuple[NDArray[Any], NDArray[Any]]]) -> tuple[NDArray[Any], NDArray[Any]]:
    if len(held) == 1:
        return held[0]
    return np.concatenate([X for X, _ in held]), np.concatenate([y for _, y in held])


def query_rows_for(rule: CleaningRule, n_features: int, memory_bytes: int) -> int:
    """The group size of :func:`clean_blockwise` that holds about ``memory_bytes``.

    A pass holds, per asking row, its features and up to ``_MERGE_EVERY + 1`` top-k pieces of
    ``n_neighbors + 1`` (distance, row number, label) entries (8 bytes each, labels counted as
    8); at least one row.

    Examples
    --------
    >>> from smotekit.under_sampling._tomek import TomekRule
    >>> query_rows_for(TomekRule(), 10, 1 << 20)
    2048
    """
    per_row = 8 * n_features + (_MERGE_EVERY + 1) * (rule.n_neighbors + 1) * 3 * 8
    return max(1, memory_bytes // per_row)


def _merge(
    running: tuple[NDArray[Any], ...] | None, waiting: list[tuple[NDArray[Any], ...]], n: int
) -> tuple[NDArray[Any], ...]:
    """``running`` merged with the ``waiting`` pieces (emptied)."""
    parts = ([running] if running is not None else []) + waiting
    merged = merge_topk(parts, n)
    waiting.clear()
    return merged

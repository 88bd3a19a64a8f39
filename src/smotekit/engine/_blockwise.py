"""The blockwise executor: a rule run over row partitions, with memory bounded by the classes grown.

The data is a sequence of partitions that can be read again (a file read batch by batch, Dask
partitions). Only the rows of the classes being grown are kept, so memory does not depend on
the number of rows of the other classes. The run is a few passes:

1. count the classes (``y`` only) and resolve the sampling strategy from the counts;
2. gather the rows of each class to grow (a file executor writes the input through here);
3. if the rule asks queries over all rows: a top-k of each class's rows against every
   partition, merged by (distance, row number): exactly the in-memory search's answer;
4. if partners may be rows of other classes: fetch those rows by row number.

Synthetic rows are then made in output blocks of ``block_rows`` rows per class, each from its
own slice of the draws (:mod:`smotekit.engine._streams`), so blocks can be made in any order
and the output does not depend on the partitioning. With ``seeding="imbalanced-learn"`` (an int
``random_state``) it equals the memory executor's output row for row.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan, interpolate
from smotekit._strategy import strategy_from_counts
from smotekit.engine._memory import (
    apply_extras,
    class_space,
    join_pieces,
    overrides,
    prepare_job,
)
from smotekit.engine._rule import Answer, Chunk, ClassJob, NeighborQuery, SamplerRule
from smotekit.engine._search import check_query, search_class
from smotekit.engine._special import (
    answer_blockwise,
    at_piece,
    class_queries,
    draw_class_level,
    refuse_global_model,
)
from smotekit.engine._streams import (
    DRAWS,
    EXTRAS,
    FINISH,
    DrawIndex,
    block_stream,
    draw_columns,
    entropy_of,
    pieces,
    with_rows,
)
from smotekit.neighbors import self_entries
from smotekit.neighbors._blockwise import block_topk, keep_others, merge_topk

__all__ = [
    "DEFAULT_BLOCK_ROWS",
    "BlockwiseRun",
    "SyntheticBlock",
    "check_queries",
    "check_seeding",
    "fetch_rows",
    "generate",
    "labelled_topk",
    "make_block",
    "prepare_class",
    "run_blockwise",
    "whole_data_answer",
]

DEFAULT_BLOCK_ROWS = 1 << 16

#: One pass over the data: its partitions ``(X_part, y_part)``, always in the same order.
Partitions = Callable[[], Iterable[tuple[NDArray[Any], NDArray[Any]]]]


@dataclass
class SyntheticBlock:
    """One output block: synthetic rows of one class and their provenance (data row numbers)."""

    label: Any
    X: NDArray[Any]
    provenance: SyntheticPlan


@dataclass
class _Class:
    job: ClassJob
    key: int  # position of the label among all labels: names the class's block streams
    X: NDArray[Any]
    answers: dict[str, Answer] = field(default_factory=dict)  # queries over all rows
    index: DrawIndex | None = None


@dataclass
class BlockwiseRun:
    """What a blockwise run found, and its synthetic blocks (made as they are iterated)."""

    counts: dict[Any, int]
    strategy: dict[Any, int]
    blocks: Iterator[SyntheticBlock]
    #: The same blocks again, made anew (a cleaning pass reads them more than once).
    regenerate: Callable[[], Iterator[SyntheticBlock]]


def _count(partitions: Partitions) -> tuple[dict[Any, int], int]:
    counts: dict[Any, int] = {}
    n = 0
    for _, y_part in partitions():
        values, sizes = np.unique(np.asarray(y_part), return_counts=True)
        for value, size in zip(values.tolist(), sizes.tolist(), strict=True):
            counts[value] = counts.get(value, 0) + size
        n += len(y_part)
    return counts, n


def _gather(
    partitions: Partitions, labels: list[Any]
) -> dict[Any, tuple[NDArray[np.int64], NDArray[Any]]]:
    ids: dict[Any, list[NDArray[np.int64]]] = {label: [] for label in labels}
    rows: dict[Any, list[NDArray[Any]]] = {label: [] for label in labels}
    offset = 0
    for X_part, y_part in partitions():
        y_part = np.asarray(y_part)
        for label in labels:
            mask = y_part == label
            ids[label].append(offset + np.flatnonzero(mask))
            rows[label].append(np.asarray(X_part)[mask])
        offset += len(y_part)
    return {label: (np.concatenate(ids[label]), np.concatenate(rows[label])) for label in labels}


def _search_all(
    partitions: Partitions, asks: list[tuple[_Class, NeighborQuery]], label_of: dict[int, Any]
) -> None:
    """Queries over all rows, one top-k per (class, partition), merged: one pass."""
    running: dict[int, tuple[NDArray[Any], ...]] = {}
    offset = 0
    for X_part, y_part in partitions():
        for i, (cls, query) in enumerate(asks):
            piece = labelled_topk(query, cls.X, X_part, y_part, offset, label_of[i])
            n = _known_k(query) + 1
            running[i] = piece if i not in running else merge_topk([running[i], piece], n)
        offset += len(y_part)
    for i, (cls, query) in enumerate(asks):
        assert cls.job.ids is not None
        cls.answers[query.name] = whole_data_answer(query, running[i], cls.job.ids)


def labelled_topk(
    query: NeighborQuery,
    X_class: NDArray[Any],
    X_part: NDArray[Any],
    y_part: NDArray[Any],
    offset: int,
    label: Any,
) -> tuple[NDArray[Any], ...]:
    """One partition's part of a query over all rows.

    Each class row's ``k + 1`` nearest rows of the partition (row numbers from ``offset``),
    each flagged "of another class than ``label``"; the pieces of all partitions merge with
    :func:`~smotekit.neighbors._blockwise.merge_topk`.
    """
    X_part, y_part = np.asarray(X_part), np.asarray(y_part)
    n = _known_k(query) + 1
    dist, ind = block_topk(query.estimator, X_class, X_part, n, offset)
    return dist, ind, y_part[ind - offset] != label


def whole_data_answer(
    query: NeighborQuery, merged: tuple[NDArray[Any], ...], ids: NDArray[np.int64]
) -> Answer:
    """The answer of the class rows numbered ``ids`` from their merged top-k, self removed."""
    _, ind, other = merged
    marks = self_entries(ind, ids)
    k = _known_k(query)
    return Answer(keep_others(ind, marks, k), keep_others(other, marks, k), "all")


def _known_k(query: NeighborQuery) -> int:
    """A blockwise search merges top-k lists, so it must know k."""
    if query.k is None:
        raise ValueError(
            f"{query.param}: a blockwise run needs the number of neighbours; pass an int or an "
            "estimator with an n_neighbors attribute."
        )
    return query.k


def _answer(
    rule: SamplerRule, cls: _Class, query: NeighborQuery, asking: NDArray[np.intp] | None
) -> Answer:
    if query.scope == "all" or query.name in cls.answers:  # answered by a driver beforehand
        answer = cls.answers[query.name]
        if asking is None:
            return answer
        other = None if answer.other is None else answer.other[asking]
        return Answer(answer.graph[asking], other, answer.scope)
    check_query(query, cls.job.n_class, cls.job.label)
    return search_class(query, class_space(rule, cls.job, cls.X), asking)


def _fetch(partitions: Partitions, wanted: NDArray[np.int64]) -> NDArray[Any]:
    """The data rows numbered ``wanted`` (sorted, unique), in that order: one pass."""
    parts = []
    offset = 0
    for X_part, y_part in partitions():
        parts.append(fetch_rows(X_part, wanted, offset))
        offset += len(y_part)
    return np.concatenate(parts)


def fetch_rows(X_part: NDArray[Any], wanted: NDArray[np.int64], offset: int) -> NDArray[Any]:
    """The rows of ``wanted`` (sorted, unique) that the partition starting at ``offset`` holds."""
    lo, hi = np.searchsorted(wanted, [offset, offset + len(X_part)])
    return np.asarray(X_part)[wanted[lo:hi] - offset]


def check_seeding(seeding: str, random_state: Any) -> int | None:
    """The int seed of imbalanced-learn's seeding (``None`` for block seeding), or the error.

    Examples
    --------
    >>> check_seeding("imbalanced-learn", 7), check_seeding("blocks", None)
    (7, None)
    """
    if seeding not in ("imbalanced-learn", "blocks"):
        raise ValueError(f"seeding={seeding!r}: use 'imbalanced-learn' or 'blocks'.")
    if seeding == "blocks":
        return None
    if not isinstance(random_state, numbers.Integral):
        raise ValueError(
            "seeding='imbalanced-learn' reproduces the in-memory draws only for an int "
            f"random_state; got {random_state!r}. Pass an int, or seeding='blocks'."
        )
    return int(random_state)


def run_blockwise(
    rule: SamplerRule,
    partitions: Partitions,
    *,
    sampling_strategy: Any = "auto",
    random_state: Any = None,
    seeding: str = "imbalanced-learn",
    block_rows: int = DEFAULT_BLOCK_ROWS,
    integer_rounding: str = "nearest",
) -> BlockwiseRun:
    """Run ``rule`` over ``partitions``; the synthetic blocks are made as they are iterated.

    ``seeding="imbalanced-learn"`` needs an int ``random_state`` and gives the memory
    executor's rows; ``"blocks"`` seeds each block from ``(random_state, class, block)``.
    ``integer_rounding`` is the sampler's parameter of that name (see ``generate`` in this module).
    """
    refuse_global_model(rule)
    seed = check_seeding(seeding, random_state)
    counts, n_rows = _count(partitions)
    strategy = dict(strategy_from_counts(sampling_strategy, counts))
    labels = sorted(counts)
    grow = [label for label, n in strategy.items() if n > 0]
    classes = [
        _Class(ClassJob(label, ids.size, strategy[label], ids=ids), labels.index(label), rows)
        for label, (ids, rows) in _gather(partitions, grow).items()
    ]
    partner_query = rule.partners()
    asked = [*rule.screening(), *([partner_query] if partner_query is not None else [])]
    for query in asked:
        _known_k(query)
    asks = [(cls, q) for cls in classes for q in asked if q.scope == "all"]
    for _, query in asks:
        check_query(query, n_rows, None)
    if asks:
        _search_all(partitions, asks, {i: cls.job.label for i, (cls, _) in enumerate(asks)})
    answer_blockwise(rule, classes, partitions)  # class queries, if the rule has any
    entropy = 0 if seed is not None else entropy_of(random_state)
    ready = [cls for cls in classes if _prepare(rule, cls)]
    draw_class_level(rule, ready, seed, entropy)  # class draws, if the rule has any
    if seed is not None:
        index_classes(rule, ready, seed, block_rows)

    fetched = None
    if partner_query is not None and partner_query.scope == "all" and ready:
        graphs = [c.job.partners.graph.ravel() for c in ready if c.job.partners is not None]
        wanted = np.unique(np.concatenate(graphs))
        fetched = (wanted, _fetch(partitions, wanted))
    make = partial(_generate, rule, ready, fetched, entropy, block_rows, integer_rounding)
    return BlockwiseRun(counts, strategy, make(), make)


def check_queries(rule: SamplerRule, class_sizes: dict[Any, int], n_rows: int) -> None:
    """Before any pass: each query's k is known, and the rows it searches hold k neighbours.

    ``class_sizes`` are the rows of each class to grow, ``n_rows`` those of the data. A driver
    that builds its work ahead (Dask's graph) calls this so errors come before any task runs.
    """
    partner_query = rule.partners()
    for query in [*rule.screening(), *([partner_query] if partner_query is not None else [])]:
        _known_k(query)
        if query.scope == "all":
            check_query(query, n_rows, None)
            continue
        for label, size in class_sizes.items():
            check_query(query, size, label)
    for class_query in class_queries(rule):
        for label, size in class_sizes.items():
            class_query.check(size, label)


def prepare_class(
    rule: SamplerRule,
    job: ClassJob,
    key: int,
    X_class: NDArray[Any],
    answers: dict[str, Answer],
    seed: int | None,
    block_rows: int,
    entropy: int = 0,
) -> _Class | None:
    """One class ready for :func:`make_block`, or ``None`` if none of its rows grows.

    ``answers`` hold the class's queries over all rows (:func:`labelled_topk` pieces merged,
    then :func:`whole_data_answer`), and any class-scope query the driver answered itself
    (for all class rows; Dask searches a large class block by block); ``key`` is the label's
    position among all labels (it names the block streams); ``seed`` is the int of
    imbalanced-learn's seeding, ``None`` for block seeding, and ``entropy`` the block streams'
    (0 under imbalanced-learn's seeding). A driver that runs each step apart (Dask's graph)
    calls this once per class; on the sampler stream it then calls :func:`index_classes` once
    with every prepared class. ``answers`` also holds, by name, the answers of the rule's class
    queries that read all rows (:class:`~smotekit.engine._special.ClassQuery`: the driver runs
    their summary and rounds); the class-local ones are answered here.
    """
    answers = dict(answers)
    for query in class_queries(rule):
        if query.name in answers:
            job.stats[query.name] = answers.pop(query.name)
    cls = _Class(job, key, X_class, answers)
    answer_blockwise(rule, [cls], None)  # class statistics, if the rule has any
    if not _prepare(rule, cls):
        return None
    draw_class_level(rule, [cls], seed, entropy)
    if seed is not None and rule.stream == "class":
        index_classes(rule, [cls], seed, block_rows)
    return cls


def index_classes(
    rule: SamplerRule, classes: list[_Class], seed: int, block_rows: int
) -> list[_Class]:
    """imbalanced-learn's seeding: each prepared class's draw index, extras and finish state.

    A rule on the class stream indexes each class alone; on the sampler stream
    (``rule.stream``) the classes share one stream, so they are indexed together, in order.
    """
    segments = [cls.job.segments for cls in classes]
    if rule.stream == "class":
        indexes = [DrawIndex(seed, segs, block_rows) for segs in segments]
    else:
        indexes = DrawIndex.shared(seed, segments, block_rows)
    for cls, index in zip(classes, indexes, strict=True):
        _index(rule, cls, index, seed, block_rows)
    return classes


def _prepare(rule: SamplerRule, cls: _Class) -> bool:
    """A class's bases, partners and segments; ``False`` if it has no base."""
    ready = prepare_job(rule, cls.job, partial(_answer, rule, cls))
    cls.answers.clear()
    return ready


def _index(rule: SamplerRule, cls: _Class, index: DrawIndex, seed: int, block_rows: int) -> None:
    """imbalanced-learn's seeding: the class's draw index, its extras and its finish state."""
    cls.index = index
    if rule.extras:
        index.index_extras(rule.extras, _flag_counter(rule, cls))
    if overrides(rule, "prepare_finish"):
        # A dry run of the plans: the finish's draws may depend on the whole class.
        plans = [_block_plan(rule, cls, b, 0, block_rows) for b in range(index.n_blocks)]
        cls.job.stats["finish"] = rule.prepare_finish(cls.job, plans, np.random.RandomState(seed))


def _flag_counter(rule: SamplerRule, cls: _Class) -> Callable[[int], int]:
    def count(block: int) -> int:
        assert cls.index is not None
        piece = join_pieces([rule.plan(cls.job, d) for _, d in cls.index.draws(block)])
        return 0 if piece.flagged is None else int(piece.flagged.sum())

    return count


def _block_draws(
    cls: _Class, block: int, entropy: int, block_rows: int
) -> list[dict[str, NDArray[Any]]]:
    segments = cls.job.segments
    if cls.index is not None:
        return [at_piece(segments, p, columns) for p, columns in cls.index.draws(block)]
    rng = block_stream(entropy, cls.key, block, DRAWS)
    return [
        at_piece(
            segments,
            p,
            with_rows(
                draw_columns(rng, segments[p.segment].variates, p.stop - p.start),
                segments[p.segment],
                p.start,
                p.stop,
            ),
        )
        for p in pieces(segments, block * block_rows, (block + 1) * block_rows)
    ]


def _generate(
    rule: SamplerRule,
    classes: list[_Class],
    fetched: tuple[NDArray[np.int64], NDArray[Any]] | None,
    entropy: int,
    block_rows: int,
    integer_rounding: str,
) -> Iterator[SyntheticBlock]:
    for cls in classes:
        n_blocks = -(-sum(s.count for s in cls.job.segments) // block_rows)
        for b in range(n_blocks):
            yield make_block(
                rule, cls, b, fetched, entropy, block_rows, integer_rounding=integer_rounding
            )


def _extra_draws(
    rule: SamplerRule, cls: _Class, block: int, entropy: int
) -> Callable[[int], dict[str, NDArray[Any]]]:
    index = cls.index
    if index is not None:
        return lambda n: index.extras(block, rule.extras, n)
    rng = block_stream(entropy, cls.key, block, EXTRAS)
    return lambda n: draw_columns(rng, rule.extras, n)


def _block_plan(
    rule: SamplerRule, cls: _Class, block: int, entropy: int, block_rows: int
) -> SyntheticPlan:
    """The triples of output block ``block`` (class-local bases), extras applied."""
    draws = _block_draws(cls, block, entropy, block_rows)
    piece = join_pieces([rule.plan(cls.job, d) for d in draws])
    return apply_extras(rule, cls.job, piece, _extra_draws(rule, cls, block, entropy))


def generate(
    rule: SamplerRule,
    job: ClassJob,
    plan: SyntheticPlan,
    base_rows: NDArray[Any],
    partner_rows: NDArray[Any],
    start: int = 0,
    state: Any = None,
    *,
    integer_rounding: str = "nearest",
) -> NDArray[Any]:
    """Synthetic rows of ``plan`` from its gathered rows: the shared kernel, then the finish.

    ``partner_rows[i]`` is the partner of ``plan[i]`` (any row where it has none); the rows
    are the class's synthetic rows ``start:start + len(plan)`` and ``state`` the finish's (see
    :class:`~smotekit.engine._rule.Chunk`). ``integer_rounding`` is how the kernel stores values
    in integer columns (:func:`smotekit._kernels.cast_values`). Every blockwise executor calls
    this once per output block, wherever it gathered the rows.
    """
    n = len(plan)
    has_partner = plan.neighbor >= 0
    # The kernel's formula on a two-part array: row i is a base, row n + i its partner.
    local = SyntheticPlan(
        np.arange(n), np.where(has_partner, np.arange(n, 2 * n), -1), plan.gap, plan.scale
    )
    stacked = np.concatenate([base_rows, partner_rows])
    out = interpolate(stacked, local, np.empty_like(base_rows), integer_rounding=integer_rounding)
    if overrides(rule, "finish"):
        rule.finish(job, Chunk(plan, out, start, state))
    return out


def make_block(
    rule: SamplerRule,
    cls: _Class,
    block: int,
    fetched: tuple[NDArray[np.int64], NDArray[Any]] | None,
    entropy: int,
    block_rows: int,
    *,
    integer_rounding: str = "nearest",
) -> SyntheticBlock:
    """Output block ``block`` of a class: its plan, its rows gathered, then :func:`generate`."""
    job = cls.job
    assert job.ids is not None
    plan = _block_plan(rule, cls, block, entropy, block_rows)
    has_partner = plan.neighbor >= 0
    base_rows = cls.X[plan.base]
    partner_rows = base_rows.copy()
    global_partners = job.partners is not None and job.partners.scope == "all"
    if global_partners and fetched is not None:
        at = np.searchsorted(fetched[0], plan.neighbor[has_partner])
        partner_rows[has_partner] = fetched[1][at]
    else:
        partner_rows[has_partner] = cls.X[plan.neighbor[has_partner]]
    start, state = block * block_rows, job.stats.get("finish")
    if cls.index is None and overrides(rule, "prepare_finish"):
        # Block seeding: the finish draws from the block's own stream, over the block alone.
        rng = block_stream(entropy, cls.key, block, FINISH)
        start, state = 0, rule.prepare_finish(job, [plan], rng)
    out = generate(
        rule, job, plan, base_rows, partner_rows, start, state, integer_rounding=integer_rounding
    )
    neighbor = plan.neighbor
    if not global_partners:
        neighbor = np.where(has_partner, job.ids[np.maximum(neighbor, 0)], -1)
    return SyntheticBlock(
        job.label, out, SyntheticPlan(job.ids[plan.base], neighbor, plan.gap, plan.scale)
    )

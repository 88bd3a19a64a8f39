"""The engine's blockwise steps as a Dask task graph: any sampler with an engine rule runs here.

The rule comes from :func:`smotekit.over_sampling._rules.rule_for`; this module knows no
sampler. The steps are :mod:`smotekit.engine._blockwise`'s, each a task (``P`` input
partitions, ``C`` classes to grow, ``B`` output blocks of a class):

1. counts of ``y`` per partition, computed at once (and the categories of text columns);
   the sampling strategy is resolved from them on the client;
2. gather: per partition, the rows of every class to grow (``P`` tasks), then one task per
   class joins its rows in data order;
3. queries over all rows (Borderline's danger test, Borderline-2's partners): a top-k per
   (class, query, partition) (:func:`~smotekit.engine._blockwise.labelled_topk`), merged per
   (class, query) by (distance, row number): the answer a single search gives;
4. class queries that read all rows (:class:`~smotekit.engine._special.ClassQuery`: SMOTE-N's
   value-difference metric, ProWSyn's proximity levels), from their pieces only: a summary
   piece per partition and one combine (shared by the classes), then per class a start and,
   per round, a piece per partition and a merge;
5. one task per class runs the rule's class steps (class-scope search, bases, partners,
   segments, the imbalanced-learn draw index, a class-wide finish's preparation):
   :func:`~smotekit.engine._blockwise.prepare_class`;
6. partners of other classes (Borderline-2) are fetched by row number, one task per partition;
7. one task per output block: :func:`~smotekit.engine._blockwise.make_block` (its plan, its
   rows, the shared kernel, the rule's finish), then the rows in the input's form.

Blocks depend on the class rows in data order and on ``block_rows`` only, so the output is the
same for any partitioning; ``seeding="imbalanced-learn"`` gives the in-memory rows. A rule
for categorical features gets every column as codes of its categories sorted over all
partitions (the estimators' ordinal encoding), and its rows back as categories.
"""

from __future__ import annotations

import copy
import numbers
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional
from smotekit._registry import specs
from smotekit._strategy import strategy_from_counts
from smotekit._validation import check_finite
from smotekit.dask import supported
from smotekit.dask._collections import Source, labels_block
from smotekit.engine import Answer, ClassJob, SamplerRule
from smotekit.engine._blockwise import (
    SyntheticBlock,
    check_queries,
    check_seeding,
    fetch_rows,
    index_classes,
    labelled_topk,
    make_block,
    prepare_class,
    whole_data_answer,
)
from smotekit.engine._memory import overrides
from smotekit.engine._special import class_queries
from smotekit.engine._streams import entropy_of
from smotekit.neighbors._blockwise import block_topk, drop_own, merge_topk
from smotekit.over_sampling._rules import rule_for
from smotekit.over_sampling._smoten import missing_as_none

__all__ = [
    "DEFAULT_BLOCK_ROWS",
    "DEFAULT_CLASS_BUDGET",
    "Synthesis",
    "blockwise_rule",
    "synthesize",
]

DEFAULT_CLASS_BUDGET = 256 * 2**20
DEFAULT_BLOCK_ROWS = 100_000


def blockwise_rule(sampler: Any, columns: list[Any]) -> SamplerRule:
    """``sampler``'s engine rule, or a one-line refusal naming what to do instead."""
    name = type(sampler).__name__
    if hasattr(sampler, "_validate_params"):
        sampler._validate_params()
    try:
        rule = rule_for(_with_column_positions(_as_smotekit(sampler), columns))
    except TypeError:
        raise TypeError(
            f"smotekit.dask.fit_resample does not support {name}: supported samplers are "
            f"{', '.join(supported())} (smotekit's or imbalanced-learn's). Resample in memory "
            "for the others."
        ) from None
    model = rule.capabilities.global_model
    if model is not None:
        raise TypeError(
            f"smotekit.dask.fit_resample cannot run {name}: it needs {model} of the whole data, "
            "which cannot be built partition by partition. Resample in memory, or choose one of "
            f"{', '.join(supported())}."
        )
    return rule


def _as_smotekit(sampler: Any) -> Any:
    """An imbalanced-learn sampler as smotekit's class of the same name (the same rows).

    Rules may use what smotekit's classes add (SMOTE-NC's neighbour space); the parameters are
    the same, since smotekit's classes are drop-in replacements.
    """
    cls = type(sampler)
    if not cls.__module__.startswith("imblearn."):
        return sampler
    spec = next((spec for spec in specs() if spec.name == cls.__name__), None)
    return sampler if spec is None else spec.resolve()(**sampler.get_params(deep=False))


def _with_column_positions(sampler: Any, columns: list[Any]) -> Any:
    """The sampler with column names in ``categorical_features`` turned into positions.

    Rules take columns by position (a frame's names are known only here); ``"auto"`` needs
    the dtypes of the data in memory.
    """
    spec = getattr(sampler, "categorical_features", None)
    if spec is None:
        return sampler
    if isinstance(spec, str) and spec == "auto":
        raise ValueError(
            f"{type(sampler).__name__}(categorical_features='auto') is not available on Dask: "
            "list the categorical columns by position or name."
        )
    from sklearn.base import clone

    from smotekit.over_sampling._smotenc import resolve_columns

    try:
        positions = resolve_columns(spec, len(columns), columns)
    except (IndexError, KeyError, TypeError) as exc:
        raise ValueError(
            f"categorical_features={spec!r} does not select columns of X ({exc}); X has the "
            f"columns {columns[:10]}."
        ) from None
    return clone(sampler).set_params(categorical_features=sorted(set(positions.tolist())))


@dataclass
class Synthesis:
    """The lazy synthetic blocks of a resample, before they are joined to the input."""

    source: Source
    x_blocks: list[Any]  # delayed frames or arrays, in the input's form
    y_blocks: list[Any]  # delayed label arrays
    prov_blocks: list[Any]  # delayed provenance records
    sizes: list[int]
    n_input: int
    counts: dict[Any, int]  # rows per class in the input
    added: dict[Any, int]  # synthetic rows per class
    offsets: list[int]  # first row number of each input partition, then the number of rows
    block_labels: list[Any]  # the class of each synthetic block


def synthesize(
    sampler: Any,
    X: Any,
    y: Any,
    *,
    class_budget: int = DEFAULT_CLASS_BUDGET,
    block_rows: int = DEFAULT_BLOCK_ROWS,
    seeding: str = "blocks",
) -> Synthesis:
    """Count the classes (one pass over ``y``) and lay out the graph of the synthetic blocks."""
    dask = import_optional("dask", "dask")
    if not isinstance(class_budget, numbers.Integral) or class_budget <= 0:
        raise ValueError(f"class_budget={class_budget!r} must be a positive number of bytes.")
    if not isinstance(block_rows, numbers.Integral) or block_rows <= 0:
        raise ValueError(f"block_rows={block_rows!r} must be a positive number of rows.")
    random_state = sampler.random_state
    seed = check_seeding(seeding, random_state)
    source = Source(X, y)
    rule = blockwise_rule(sampler, source.columns)
    delayed = dask.delayed
    text = source.text_columns()
    if rule.capabilities.features == "categorical":  # every column holds category codes
        text = list(range(len(source.columns)))
    elif text and rule.capabilities.features == "numeric":
        names = [source.columns[j] for j in text]
        raise ValueError(
            f"X has columns that are not numbers ({names[:5]}), which {type(sampler).__name__} "
            "cannot interpolate: drop or encode them, or use a sampler for categorical features."
        )
    offsets, counts, codes = _count(source, text)
    form = source.form(codes)
    strategy = strategy_from_counts(sampler.sampling_strategy, counts)
    grow = [label for label, n in strategy.items() if n > 0]
    check_queries(rule, {label: counts[label] for label in grow}, offsets[-1])
    labels = sorted(counts)
    entropy = 0 if seed is not None else entropy_of(random_state)
    rounding = str(getattr(sampler, "integer_rounding", "nearest"))

    parts = list(zip(source.x_parts, source.y_parts, offsets[:-1], strict=True))
    gathered = [
        delayed(_gather_part)(xp, yp, grow, off, source.work_dtype, codes) for xp, yp, off in parts
    ]
    queries = [*rule.screening(), *filter(None, [rule.partners()])]
    whole = [q for q in queries if q.scope == "all"]
    passes = [q for q in class_queries(rule) if q.reads_data]  # summaries and rounds
    numeric: list[Any] = []
    if whole or passes:
        numeric = [delayed(_numeric)(xp, source.work_dtype, codes) for xp, _, _ in parts]
    summaries = {
        q.name: delayed(q.combine)(
            [
                delayed(q.summary_piece)(Xp, yp)
                for Xp, (_, yp, _) in zip(numeric, parts, strict=True)
            ]
        )
        for q in passes
        if q.needs_summary
    }
    partner_query = rule.partners()
    fetches = partner_query is not None and partner_query.scope == "all"

    prepared: list[tuple[Any, Any, Any]] = []  # (label, class, fetched partner rows)
    for label in grow:
        class_rows = delayed(_class_rows)(gathered, label)
        answers = {}
        for query in whole:
            pieces = [
                delayed(_labelled_topk)(query, class_rows, Xp, yp, off, label)
                for Xp, (_, yp, off) in zip(numeric, parts, strict=True)
            ]
            answers[query.name] = delayed(_merged_answer)(query, pieces, class_rows)
        job = ClassJob(label, counts[label], strategy[label])
        for query in passes:
            state = delayed(_start)(query, job, class_rows, summaries.get(query.name))
            for _ in range(query.rounds):
                pieces = [
                    delayed(query.round_piece)(state, Xp, yp)
                    for Xp, (_, yp, _) in zip(numeric, parts, strict=True)
                ]
                state = delayed(query.merge_round)(state, pieces)
            answers[query.name] = delayed(query.answer)(state)
        if not overrides(rule, "search_space"):
            # The class's rows as they are: a large class is searched block by block.
            rows = max(1, class_budget // (8 * len(source.columns)))
            for query in queries:
                if query.scope == "class" and counts[label] > rows:
                    answers[query.name] = _class_search(query, class_rows, counts[label], rows)
        cls = delayed(_prepared)(
            rule,
            (label, counts[label], strategy[label]),
            labels.index(label),
            class_rows,
            answers,
            seed,
            block_rows,
            entropy,
        )
        fetched = None
        if fetches:
            wanted = delayed(_wanted)(cls)
            pieces = [
                delayed(fetch_rows)(Xp, wanted, off)
                for Xp, (_, _, off) in zip(numeric, parts, strict=True)
            ]
            fetched = delayed(_fetched)(wanted, pieces)
        prepared.append((label, cls, fetched))
    if seed is not None and rule.stream != "class":  # one stream for all classes: index together
        indexed = delayed(index_classes, nout=len(prepared))(
            rule, [cls for _, cls, _ in prepared], seed, block_rows
        )
        prepared = [(label, indexed[i], f) for i, (label, _, f) in enumerate(prepared)]

    x_blocks, y_blocks, prov_blocks, block_sizes, block_labels = [], [], [], [], []
    for label, cls, fetched in prepared:
        n_samples = strategy[label]
        for b, start in enumerate(range(0, n_samples, block_rows)):
            n_b = min(block_rows, n_samples - start)
            made = delayed(_output_block, nout=2)(
                rule, cls, b, fetched, entropy, block_rows, rounding, form
            )
            x_blocks.append(made[0])
            prov_blocks.append(made[1])
            y_blocks.append(delayed(labels_block)(n_b, label, source.y_dtype))
            block_sizes.append(n_b)
            block_labels.append(label)
    return Synthesis(
        source,
        x_blocks,
        y_blocks,
        prov_blocks,
        block_sizes,
        offsets[-1],
        counts,
        {label: strategy[label] for label in grow},
        offsets,
        block_labels,
    )


def _class_search(query: Any, class_rows: Any, n_class: int, rows: int) -> Any:
    """A class-scope query over ``n_class`` rows cut into blocks of ``rows``: one top-k per
    (query block, data block) pair, merged per query block (exactly the single search)."""
    delayed = import_optional("dask", "dask").delayed
    assert query.k is not None
    starts = list(range(0, n_class, rows))
    blocks = [delayed(_class_block)(class_rows, s, s + rows) for s in starts]
    graphs = []
    for queries, start in zip(blocks, starts, strict=True):
        pieces = [
            delayed(block_topk)(query.estimator, queries, data, query.k + 1, offset)
            for data, offset in zip(blocks, starts, strict=True)
        ]
        graphs.append(delayed(_class_graph)(pieces, query.k, start))
    return delayed(_class_answer)(graphs)


def _count(
    source: Source, text: list[int]
) -> tuple[list[int], dict[Any, int], dict[int, NDArray[Any]]]:
    """Partition offsets, rows per class and the text columns' categories: computed now."""
    dask = import_optional("dask", "dask")
    summaries = [dask.delayed(_label_counts)(yp) for yp in source.y_parts]
    summaries += [
        dask.delayed(_categories)(xp, text, source.columns) for xp in source.x_parts if text
    ]
    computed = dask.compute(*summaries)
    partition_counts = computed[: len(source.y_parts)]
    sizes = [n for n, _ in partition_counts]
    offsets = [int(o) for o in np.concatenate([[0], np.cumsum(sizes)])]
    counts: dict[Any, int] = {}
    for _, part in partition_counts:
        for label, c in part.items():
            counts[label] = counts.get(label, 0) + c
    return offsets, counts, _merge_categories(text, computed[len(source.y_parts) :])


# -- tasks (plain functions, shipped to the workers) ---------------------------------------


def _class_block(class_rows: tuple[NDArray[Any], ...], start: int, stop: int) -> NDArray[Any]:
    return class_rows[1][start:stop]


def _class_graph(pieces: list[tuple[NDArray[Any], ...]], k: int, start: int) -> NDArray[np.intp]:
    merged = merge_topk(pieces, k + 1)
    return drop_own(merged[1], np.arange(start, start + merged[1].shape[0]), k)


def _class_answer(graphs: list[NDArray[np.intp]]) -> Answer:
    return Answer(np.concatenate(graphs))


def _start(
    query: Any, job: ClassJob, class_rows: tuple[NDArray[np.int64], NDArray[Any]], summary: Any
) -> Any:
    # A start may fit the query's estimator, which the classes' tasks share (see _prepared).
    return copy.deepcopy(query).start(job, class_rows[1], summary)


def _label_counts(y_part: Any) -> tuple[int, dict[Any, int]]:
    values, counts = np.unique(np.asarray(y_part), return_counts=True)
    return len(y_part), {
        v.item() if hasattr(v, "item") else v: int(c) for v, c in zip(values, counts, strict=True)
    }


def _column(part: Any, j: int) -> NDArray[Any]:
    return part.iloc[:, j].to_numpy() if hasattr(part, "iloc") else np.asarray(part)[:, j]


def _categories(x_part: Any, columns: list[int], names: list[Any]) -> list[NDArray[Any]]:
    out = []
    for j in columns:
        values = _column(x_part, j)
        if missing_as_none(values) is not values:  # a new array only where a value is missing
            raise ValueError(
                f"column {names[j]!r} of X has missing values, which cannot be coded as a "
                "category on Dask: fill them first (for example with the text 'missing')."
            )
        out.append(np.unique(values))
    return out


def _merge_categories(
    columns: list[int], per_part: tuple[list[NDArray[Any]], ...]
) -> dict[int, NDArray[Any]]:
    """Each text column's categories over all partitions, sorted: a row holds their codes."""
    return {
        j: np.unique(np.concatenate([part[i] for part in per_part])) for i, j in enumerate(columns)
    }


def _numeric(part: Any, dtype: np.dtype[Any], codes: dict[int, NDArray[Any]]) -> NDArray[Any]:
    """Rows as one NumPy array, text columns as category codes; NaN or infinity stops."""
    if codes:
        values = np.empty((len(part), part.shape[1]), dtype=dtype)
        for j in range(part.shape[1]):
            column = _column(part, j)
            values[:, j] = np.searchsorted(codes[j], column) if j in codes else column
    elif hasattr(part, "iloc"):
        values = part.to_numpy(dtype=dtype)
    else:
        values = np.asarray(part, dtype=dtype)
    check_finite(values, "a row block of X")
    return values


def _gather_part(
    x_part: Any,
    y_part: Any,
    labels: list[Any],
    offset: int,
    dtype: np.dtype[Any],
    codes: dict[int, NDArray[Any]],
) -> dict[Any, tuple[NDArray[np.int64], NDArray[Any]]]:
    """The rows of each class in ``labels`` that one partition holds, with their row numbers."""
    y_part = np.asarray(y_part)
    if len(y_part) != len(x_part):
        raise ValueError(
            f"A partition of X has {len(x_part)} rows but the matching partition of y has "
            f"{len(y_part)}: X and y must be partitioned alike."
        )
    out = {}
    for label in labels:
        mask = y_part == label
        rows = x_part.iloc[mask] if hasattr(x_part, "iloc") else np.asarray(x_part)[mask]
        out[label] = (offset + np.flatnonzero(mask), _numeric(rows, dtype, codes))
    return out


def _class_rows(
    gathered: list[dict[Any, tuple[NDArray[np.int64], NDArray[Any]]]], label: Any
) -> tuple[NDArray[np.int64], NDArray[Any]]:
    """A class's row numbers and rows, in data order (C order, as in memory: class statistics
    such as a mean sum in memory order, so F order could change their last bit)."""
    ids = np.concatenate([part[label][0] for part in gathered])
    return ids, np.ascontiguousarray(np.concatenate([part[label][1] for part in gathered]))


def _labelled_topk(
    query: Any,
    class_rows: tuple[NDArray[np.int64], NDArray[Any]],
    X_part: NDArray[Any],
    y_part: Any,
    offset: int,
    label: Any,
) -> tuple[NDArray[Any], ...]:
    return labelled_topk(query, class_rows[1], X_part, np.asarray(y_part), offset, label)


def _merged_answer(
    query: Any, pieces: list[tuple[NDArray[Any], ...]], class_rows: tuple[NDArray[Any], ...]
) -> Any:
    assert query.k is not None
    return whole_data_answer(query, merge_topk(pieces, query.k + 1), class_rows[0])


def _prepared(
    rule: SamplerRule,
    sizes: tuple[Any, int, int],
    key: int,
    class_rows: tuple[NDArray[np.int64], NDArray[Any]],
    answers: dict[str, Any],
    seed: int | None,
    block_rows: int,
    entropy: int,
) -> Any:
    """The class's steps; the output's sizes are fixed when the graph is made, so they must hold.

    The class's searches fit the rule's estimators, so each class works on its own copy: with
    threads (dask's default scheduler) the classes' tasks share the rule object.
    """
    rule = copy.deepcopy(rule)
    ids, X_class = class_rows
    job = ClassJob(*sizes, ids=ids)  # (label, class rows, synthetic rows)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cls = prepare_class(rule, job, key, X_class, answers, seed, block_rows, entropy)
    for warning in caught:
        if cls is not None:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    if cls is None:
        why = " ".join(str(w.message) for w in caught)
        raise ValueError(
            f"class {job.label!r} has no sample to grow from, so the {job.n_samples} synthetic "
            f"rows asked for it cannot be made (on Dask the output's size is fixed before the "
            f"data is searched): leave it out of sampling_strategy. {why}".rstrip()
        )
    drawn = sum(segment.count for segment in job.segments)
    if drawn != job.n_samples:
        raise ValueError(
            f"class {job.label!r}: {type(rule).__name__} makes {drawn} rows where "
            f"{job.n_samples} were asked; Dask needs the count known before the data is read."
        )
    return cls


def _wanted(cls: Any) -> NDArray[np.int64]:
    """Row numbers of every partner the class's bases may take (rows of the whole data)."""
    partners = cls.job.partners
    return np.unique(partners.graph.ravel()).astype(np.int64)


def _fetched(
    wanted: NDArray[np.int64], pieces: list[NDArray[Any]]
) -> tuple[NDArray[np.int64], NDArray[Any]]:
    return wanted, np.concatenate(pieces)


def _output_block(
    rule: SamplerRule,
    cls: Any,
    block: int,
    fetched: Any,
    entropy: int,
    block_rows: int,
    rounding: str,
    form: Any,
) -> tuple[Any, NDArray[np.void]]:
    """One output block in the input's form, and its provenance records."""
    made: SyntheticBlock = make_block(
        rule, cls, block, fetched, entropy, block_rows, integer_rounding=rounding
    )
    return form.to_rows(made.X, rounding), made.provenance.to_records()

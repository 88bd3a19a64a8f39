"""``smotekit.dask.fit_resample``: the task graph of a SMOTE-family resample on Dask.

Only the class counts are computed when it is called (one pass over ``y``); everything else is a
lazy graph of small tasks, run on the workers when the result is computed or written:

1. each class to grow is selected partition by partition and cut into blocks of at most
   ``class_budget`` bytes (one block if it fits);
2. its neighbour graph is built blockwise with the exact search
   (:mod:`smotekit.neighbors._blockwise`);
3. synthetic rows are made in blocks of ``block_rows`` (:mod:`smotekit.dask._generate`).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from smotekit._optional import import_optional
from smotekit._strategy import strategy_from_counts
from smotekit._validation import check_class_large_enough, check_data_large_enough
from smotekit.dask import _generate as gen
from smotekit.dask._collections import Source, labels_block
from smotekit.dask._grower import ClassGrower
from smotekit.dask._samplers import rule_for
from smotekit.engine._streams import entropy_of

__all__ = ["Synthesis", "fit_resample", "synthesize"]

DEFAULT_CLASS_BUDGET = 256 * 2**20
DEFAULT_BLOCK_ROWS = 100_000


def fit_resample(
    sampler: Any,
    X: Any,
    y: Any,
    *,
    class_budget: int = DEFAULT_CLASS_BUDGET,
    block_rows: int = DEFAULT_BLOCK_ROWS,
    seeding: str = "blocks",
    return_provenance: bool = False,
) -> tuple[Any, ...]:
    """Resample dask collections with a SMOTE-family sampler; the result stays lazy.

    The output holds the input partitions unchanged, followed by partitions of synthetic rows
    (one per block of ``block_rows``, classes in sorted label order). The number of synthetic rows
    per class is exactly the in-memory sampler's. Each block draws from its own random stream,
    ``SeedSequence(random_state)`` spawned at (class, block), so the output is the same for any
    partitioning of the input and any number of workers.

    Parameters
    ----------
    sampler : SMOTE, SMOTENC or BorderlineSMOTE
        smotekit's or imbalanced-learn's; its parameters are read, it is not fitted.
        ``random_state`` should be an int for reproducible output (``None`` draws fresh entropy
        once per call; a ``RandomState`` gives one integer seed).
    X : dask DataFrame or dask Array of shape (n_samples, n_features)
        Partitioned by rows; a dask Array is rechunked to whole rows.
    y : dask Series or dask Array of shape (n_samples,)
        Partitioned like ``X`` (same number of partitions, same lengths).
    class_budget : int, default=256 MiB
        Largest class block, in bytes, one task holds. A larger class is cut into blocks and its
        neighbour graph is built by an exact blockwise all-pairs search with a top-k merge.
    block_rows : int, default=100_000
        Synthetic rows per output partition.
    seeding : {"blocks", "imbalanced-learn"}, default="blocks"
        ``"blocks"``: every output block draws from ``SeedSequence(random_state)`` spawned at
        (class, block); no task holds more than one block's draws. ``"imbalanced-learn"``: each
        class draws from ``RandomState(random_state)`` in one task, exactly as the in-memory
        sampler (and imbalanced-learn) does, so SMOTE and Borderline-1 give the same rows as
        in memory, at the cost of one task holding 24 bytes per synthetic row of the class.
    return_provenance : bool, default=False
        Also return one record ``(base, neighbor, gap)`` per synthetic row, in output order:
        ``base`` and ``neighbor`` are row numbers of the input (in partition order). A dask
        DataFrame for DataFrame input; for Array input, a dask Array of the structured dtype
        :data:`~smotekit._kernels.PROVENANCE_DTYPE` (like the samplers' ``provenance_``).

    Returns
    -------
    X_res : dask DataFrame or dask Array
    y_res : dask Series or dask Array
    provenance : dask DataFrame or dask Array, only if ``return_provenance``

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from smotekit import SMOTE
    >>> from smotekit.dask import fit_resample
    >>> rng = np.random.RandomState(0)
    >>> X = da.from_array(rng.normal(size=(120, 3)), chunks=40)
    >>> y = da.from_array(np.r_[np.zeros(100, int), np.ones(20, int)], chunks=40)
    >>> X_res, y_res = fit_resample(SMOTE(random_state=0), X, y)
    >>> np.bincount(y_res.compute(scheduler="sync"))
    array([100, 100])
    """
    plan = synthesize(
        sampler, X, y, class_budget=class_budget, block_rows=block_rows, seeding=seeding
    )
    return plan.source.assemble(
        plan.x_blocks,
        plan.y_blocks,
        plan.prov_blocks,
        plan.sizes,
        plan.n_input,
        return_provenance,
    )


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
    delayed = dask.delayed
    if not isinstance(class_budget, numbers.Integral) or class_budget <= 0:
        raise ValueError(f"class_budget={class_budget!r} must be a positive number of bytes.")
    if not isinstance(block_rows, numbers.Integral) or block_rows <= 0:
        raise ValueError(f"block_rows={block_rows!r} must be a positive number of rows.")
    if seeding not in ("blocks", "imbalanced-learn"):
        raise ValueError(f"seeding={seeding!r}: use 'blocks' or 'imbalanced-learn'.")
    if seeding == "imbalanced-learn" and not isinstance(sampler.random_state, numbers.Integral):
        raise ValueError(
            "seeding='imbalanced-learn' reproduces the in-memory draws only for an int "
            f"random_state; got {sampler.random_state!r}."
        )
    source = Source(X, y)
    rule = rule_for(sampler, source.columns)

    partition_counts = dask.compute(*[delayed(_label_counts)(yp) for yp in source.y_parts])
    sizes = [n for n, _ in partition_counts]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    counts: dict[Any, int] = {}
    for _, part in partition_counts:
        for label, c in part.items():
            counts[label] = counts.get(label, 0) + c
    strategy = strategy_from_counts(sampler.sampling_strategy, counts)
    labels = sorted(counts)
    entropy = entropy_of(sampler.random_state)

    x_blocks: list[Any] = []
    y_blocks: list[Any] = []
    prov_blocks: list[Any] = []
    block_sizes: list[int] = []
    for label, n_samples in strategy.items():
        if n_samples == 0:
            continue
        check_class_large_enough(counts[label], rule.k, label, "k_neighbors", sampler.k_neighbors)
        if rule.m_neighbors is not None:
            check_data_large_enough(
                int(offsets[-1]), rule.m_neighbors, "m_neighbors", sampler.m_neighbors
            )
        grower = ClassGrower(
            source, rule, label, [p.get(label, 0) for _, p in partition_counts], offsets
        )
        grower.build(class_budget)
        class_key = labels.index(label)
        whole = None
        if seeding == "imbalanced-learn":
            whole = delayed(gen.draw_class)(
                grower.sources, rule.k, n_samples, int(sampler.random_state), label
            )
        for b, start in enumerate(range(0, n_samples, block_rows)):
            n_b = min(block_rows, n_samples - start)
            if whole is None:
                draws = delayed(gen.draw_block)(
                    grower.sources, rule.k, n_b, entropy, class_key, b, label
                )
            else:
                draws = delayed(gen.slice_draws)(whole, start, start + n_b)
            seed = None if whole is None else int(sampler.random_state)
            rows, prov = grower.block(draws, n_b, entropy, class_key, b, seed)
            x_blocks.append(rows)
            y_blocks.append(delayed(labels_block)(n_b, label, source.y_dtype))
            prov_blocks.append(prov)
            block_sizes.append(n_b)
    return Synthesis(
        source,
        x_blocks,
        y_blocks,
        prov_blocks,
        block_sizes,
        int(offsets[-1]),
        counts,
        {label: n for label, n in strategy.items() if n},
    )


def _label_counts(y_part: Any) -> tuple[int, dict[Any, int]]:
    values, counts = np.unique(np.asarray(y_part), return_counts=True)
    return len(y_part), {
        v.item() if hasattr(v, "item") else v: int(c) for v, c in zip(values, counts, strict=True)
    }

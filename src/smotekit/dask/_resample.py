"""``smotekit.dask.fit_resample``: any sampler with an engine rule, resampled on Dask.

Only the class counts are computed when it is called (one pass over ``y``); everything else is a
lazy graph of small tasks (:mod:`smotekit.dask._graph`: the engine's blockwise steps), run on
the workers when the result is computed or written.
"""

from __future__ import annotations

from typing import Any

from smotekit.dask._cleaning import clean_synthesis, combined_parts
from smotekit.dask._graph import DEFAULT_BLOCK_ROWS, DEFAULT_CLASS_BUDGET, synthesize

__all__ = ["fit_resample"]


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
    """Resample dask collections with any sampler that has an engine rule; the result is lazy.

    The output holds the input partitions unchanged, followed by partitions of synthetic rows
    (one per block of ``block_rows``, classes in sorted label order). The number of synthetic rows
    per class is exactly the in-memory sampler's, and the output is the same for any
    partitioning of the input and any number of workers.

    A combined sampler (SMOTEENN, SMOTETomek) oversamples so, then its cleaner searches all
    output rows (:mod:`smotekit.dask._cleaning`): the output is the rows it keeps, in its
    order (Tomek links: row order; ENN: class by class in sorted label order), partitions whose
    sizes are known once computed, the same for any partitioning. On continuous data they are
    ``fit_resample``'s rows in memory (and imbalanced-learn's); where tied distances decide
    (exact duplicate rows), ties follow row numbers.

    Parameters
    ----------
    sampler : a sampler of :data:`smotekit.dask.SUPPORTED`
        smotekit's or imbalanced-learn's; its parameters are read, it is not fitted. A combined
        sampler's ``smote`` may be any of them that needs no model of the whole data.
        ``random_state`` should be an int for reproducible output (``None`` draws fresh entropy
        once per call; a ``RandomState`` gives one integer seed).
    X : dask DataFrame or dask Array of shape (n_samples, n_features)
        Partitioned by rows; a dask Array is rechunked to whole rows.
    y : dask Series or dask Array of shape (n_samples,)
        Partitioned like ``X`` (same number of partitions, same lengths).
    class_budget : int, default=256 MiB
        Largest block, in bytes, of a class's own neighbour search: a larger class is searched
        by an exact blockwise all-pairs search with a top-k merge (the same graph).
    block_rows : int, default=100_000
        Synthetic rows per output partition.
    seeding : {"blocks", "imbalanced-learn"}, default="blocks"
        ``"blocks"``: every output block draws from ``SeedSequence(random_state)`` spawned at
        (class, block). ``"imbalanced-learn"`` (an int ``random_state``): each class draws from
        ``RandomState(random_state)`` as the in-memory sampler (and imbalanced-learn) does, so
        the output equals ``fit_resample``'s in memory; each block starts from the generator's
        state recorded by one dry run, so no task holds draws for more than one block.
    return_provenance : bool, default=False
        Also return one record ``(base, neighbor, gap)`` per synthetic row (with cleaning: per
        synthetic row kept), in output order:
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
    >>> from smotekit import SMOTETomek
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
    >>> X_res, y_res = fit_resample(SMOTETomek(random_state=0), X, y)
    >>> y_res.compute(scheduler="sync").size <= 200
    True
    """
    combined = combined_parts(sampler)
    plan = synthesize(
        sampler if combined is None else combined[0],
        X,
        y,
        class_budget=class_budget,
        block_rows=block_rows,
        seeding=seeding,
    )
    if combined is not None:
        kept = clean_synthesis(plan, combined[1])
        x_parts, y_parts = plan.source.partitions(plan.x_blocks, plan.y_blocks, kept.starts)
        return plan.source.assemble_parts(
            kept.select(x_parts),
            kept.select(y_parts),
            kept.select_synthetic(plan.prov_blocks),
            return_provenance,
        )
    return plan.source.assemble(
        plan.x_blocks,
        plan.y_blocks,
        plan.prov_blocks,
        plan.sizes,
        plan.n_input,
        return_provenance,
    )

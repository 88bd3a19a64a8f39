"""``smotekit.dask.fit_resample``: the task graph of a SMOTE-family resample on Dask.

Only the class counts are computed when it is called (one pass over ``y``); everything else is a
lazy graph of small tasks, run on the workers when the result is computed or written:

1. each class to grow is selected partition by partition and cut into blocks of at most
   ``class_budget`` bytes (one block if it fits);
2. its neighbour graph is built blockwise with the exact search (:mod:`smotekit.dask._search`);
3. synthetic rows are made in blocks of ``block_rows`` (:mod:`smotekit.dask._generate`).
"""

from __future__ import annotations

import math
import numbers
import operator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import PROVENANCE_DTYPE
from smotekit._optional import import_optional
from smotekit._validation import check_class_large_enough
from smotekit.dask import _generate as gen
from smotekit.dask import _samplers as nc
from smotekit.dask import _search as search
from smotekit.dask._samplers import Rule, rule_for
from smotekit.dask._strategy import strategy_from_counts
from smotekit.over_sampling._borderline import in_danger

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
        Also return a lazy table with one record ``(base, neighbor, gap)`` per synthetic row:
        ``base`` and ``neighbor`` are row numbers of the input (in partition order).

    Returns
    -------
    X_res : dask DataFrame or dask Array
    y_res : dask Series or dask Array
    provenance : dask DataFrame, only if ``return_provenance``

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

    source: _Source
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
    source = _Source(X, y)
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
    entropy = _entropy(sampler.random_state)

    x_blocks: list[Any] = []
    y_blocks: list[Any] = []
    prov_blocks: list[Any] = []
    block_sizes: list[int] = []
    for label, n_samples in strategy.items():
        if n_samples == 0:
            continue
        check_class_large_enough(counts[label], rule.k, label, "k_neighbors")
        if rule.m_neighbors is not None and offsets[-1] <= rule.m_neighbors:
            check_class_large_enough(int(offsets[-1]), rule.m_neighbors, label, "m_neighbors")
        grower = _ClassGrower(
            source, rule, label, [p.get(label, 0) for _, p in partition_counts], offsets
        )
        grower.build(class_budget)
        class_key = labels.index(label)
        whole = None
        if seeding == "imbalanced-learn":
            whole = delayed(gen.draw_class)(
                grower.sources, rule.k, n_samples, int(sampler.random_state), class_key
            )
        for b, start in enumerate(range(0, n_samples, block_rows)):
            n_b = min(block_rows, n_samples - start)
            if whole is None:
                draws = delayed(gen.draw_block)(grower.sources, rule.k, n_b, entropy, class_key, b)
            else:
                draws = delayed(gen.slice_draws)(whole, start, start + n_b)
            seed = None if whole is None else int(sampler.random_state)
            rows, prov = grower.block(draws, n_b, entropy, class_key, b, seed)
            x_blocks.append(rows)
            y_blocks.append(delayed(_labels)(n_b, label, source.y_dtype))
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


def _entropy(random_state: Any) -> int:
    if random_state is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31 - 1))
    if isinstance(random_state, numbers.Integral):
        return int(random_state)
    raise ValueError(f"random_state={random_state!r}: use an int, a RandomState or None.")


def _label_counts(y_part: Any) -> tuple[int, dict[Any, int]]:
    values, counts = np.unique(np.asarray(y_part), return_counts=True)
    return len(y_part), {
        v.item() if hasattr(v, "item") else v: int(c) for v, c in zip(values, counts, strict=True)
    }


def _select(x_part: Any, y_part: Any, label: Any) -> Any:
    mask = np.asarray(y_part) == label
    if len(mask) != len(x_part):
        raise ValueError(
            f"A partition of X has {len(x_part)} rows but the matching partition of y has "
            f"{len(mask)}: X and y must be partitioned alike."
        )
    return x_part.iloc[mask] if hasattr(x_part, "iloc") else np.asarray(x_part)[mask]


def _positions(y_part: Any, label: Any, offset: int) -> NDArray[np.int64]:
    return np.flatnonzero(np.asarray(y_part) == label).astype(np.int64) + offset


def _concat_slices(pieces: list[tuple[Any, int, int]]) -> Any:
    parts = [p[lo:hi] if not hasattr(p, "iloc") else p.iloc[lo:hi] for p, lo, hi in pieces]
    if hasattr(parts[0], "iloc"):
        import pandas as pd

        return pd.concat(parts)
    return np.concatenate(parts)


def _to_numeric(part: Any, dtype: np.dtype[Any]) -> NDArray[Any]:
    if hasattr(part, "iloc"):
        return part.to_numpy(dtype=dtype)
    return np.asarray(part, dtype=dtype)


def _head(X: NDArray[Any], width: int | None) -> NDArray[Any]:
    return X if width is None else X[:, :width]


def _graph(merged: tuple[NDArray[Any], ...], start: int, k: int) -> NDArray[np.intp]:
    own = np.arange(start, start + merged[1].shape[0])
    return search.drop_own(merged[1], own, k)


def _topk_labelled(
    estimator: Any, queries: Any, data: Any, y_part: Any, n: int, offset: int, label: Any
) -> tuple[NDArray[Any], ...]:
    """Top-``n`` of a partition, with a flag per neighbour: of another class than ``label``."""
    dist, ind = search.block_topk(estimator, queries, data, n, offset)
    other = np.asarray(y_part)[ind - offset] != label
    return dist, ind, other


def _is_other(y_part: Any, label: Any) -> NDArray[np.bool_]:
    return np.asarray(y_part) != label


def _own_dropped(merged: tuple[NDArray[Any], ...], own: NDArray[np.int64], k: int) -> Any:
    return search.drop_own(merged[1], own, k)


def _danger(merged: tuple[NDArray[Any], ...], own: NDArray[np.int64], m: int, start: int) -> Any:
    marks = search.own_marks(merged[1], own)
    n_other = search.keep_others(merged[2], marks, m).sum(axis=1)
    return np.flatnonzero(in_danger(n_other, m)) + start


class _ClassGrower:
    """The lazy pieces of one class: its blocks, their neighbour graph, its bases."""

    def __init__(
        self, source: _Source, rule: Rule, label: Any, per_part: list[int], offsets: Any
    ) -> None:
        self.source, self.rule, self.label = source, rule, label
        self.per_part, self.offsets = per_part, offsets
        self.m = sum(per_part)
        self.n_other: list[Any] = []  # Borderline-2: partners of other classes, per block so far

    def build(self, class_budget: int) -> None:
        delayed = import_optional("dask", "dask").delayed
        src, rule, label = self.source, self.rule, self.label
        raw = [
            delayed(_select)(xp, yp, label) for xp, yp in zip(src.x_parts, src.y_parts, strict=True)
        ]
        ids = [
            delayed(_positions)(yp, label, int(off))
            for yp, off in zip(src.y_parts, self.offsets[:-1], strict=True)
        ]
        width = self._encoded_width()
        rows_per_block = max(1, class_budget // (8 * width))
        self.starts = list(range(0, self.m, rows_per_block))
        self.stops = [min(s + rows_per_block, self.m) for s in self.starts]
        raw_blocks = [
            self._reblock(raw, s, e) for s, e in zip(self.starts, self.stops, strict=True)
        ]
        self.id_blocks = [
            self._reblock(ids, s, e) for s, e in zip(self.starts, self.stops, strict=True)
        ]

        self.search_width: Any = None
        self.finish: Any = None
        if rule.categorical is not None:
            summaries = [delayed(nc.nc_summary)(r, rule.categorical) for r in raw]
            self.encoding = delayed(nc.nc_combine)(summaries)
            self.X_blocks = [
                delayed(nc.nc_encode)(r, rule.categorical, self.encoding) for r in raw_blocks
            ]
            self.search_width = delayed(nc.nc_search_width)(len(src.columns), self.encoding)
            self.finish = _NCFinish(len(rule.categorical))
        else:
            self.X_blocks = [delayed(_to_numeric)(r, src.work_dtype) for r in raw_blocks]
        views = [delayed(_head)(Xb, self.search_width) for Xb in self.X_blocks]

        needs_parts = rule.m_neighbors is not None
        if needs_parts:
            sizes = np.diff(self.offsets)
            part_X = [delayed(_to_numeric)(xp, src.work_dtype) for xp in src.x_parts]
            part_ids = [
                delayed(np.arange)(int(off), int(off) + int(size), dtype=np.int64)
                for off, size in zip(self.offsets[:-1], sizes, strict=True)
            ]
            part_offsets = [int(off) for off in self.offsets[:-1]]

        def labelled_topk(n: int, estimator: Any) -> list[Any]:
            """Per class block, its ``n`` nearest rows of the whole data, labels flagged."""
            merged = []
            for view in views:
                pieces = [
                    delayed(_topk_labelled)(estimator, view, xp, yp, n, off, label)
                    for xp, yp, off in zip(part_X, src.y_parts, part_offsets, strict=True)
                ]
                merged.append(delayed(search.merge_topk)(pieces, n))
            return merged

        n = rule.k + 1
        self.graph_blocks = []
        if rule.whole_data:
            for ids, merged in zip(self.id_blocks, labelled_topk(n, rule.estimator), strict=True):
                self.graph_blocks.append(delayed(_own_dropped)(merged, ids, rule.k))
            others = [delayed(_is_other)(yp, label) for yp in src.y_parts]
            self.partner_store = list(zip(part_X, part_ids, part_offsets, others, strict=True))
        else:
            for i, start in enumerate(self.starts):
                pieces = [
                    delayed(search.block_topk)(rule.estimator, views[i], views[j], n, s)
                    for j, s in enumerate(self.starts)
                ]
                merged = delayed(search.merge_topk)(pieces, n)
                self.graph_blocks.append(delayed(_graph)(merged, start, rule.k))
            self.partner_store = [
                (Xb, ib, s, None)
                for Xb, ib, s in zip(self.X_blocks, self.id_blocks, self.starts, strict=True)
            ]

        self.sources: Any = self.m
        if rule.m_neighbors is not None:
            merged_m = labelled_topk(rule.m_neighbors + 1, rule.m_estimator)
            dangers = [
                delayed(_danger)(merged, ids, rule.m_neighbors, start)
                for merged, ids, start in zip(merged_m, self.id_blocks, self.starts, strict=True)
            ]
            self.sources = delayed(np.concatenate)(dangers)

    def _encoded_width(self) -> int:
        d = len(self.source.columns)
        # SMOTE-NC widens by the one-hot columns; without the categories at hand, allow 8 each.
        return d if self.rule.categorical is None else d + 8 * len(self.rule.categorical)

    def _reblock(self, parts: list[Any], start: int, stop: int) -> Any:
        delayed = import_optional("dask", "dask").delayed
        pieces = []
        first = 0
        for part, count in zip(parts, self.per_part, strict=True):
            lo, hi = max(start, first), min(stop, first + count)
            if lo < hi:
                pieces.append((part, lo - first, hi - first))
            first += count
        return delayed(_concat_slices)(pieces)

    def block(
        self, draws: Any, n_b: int, entropy: int, class_key: int, b: int, seed: int | None
    ) -> tuple[Any, Any]:
        """One output block; ``seed`` is set when the class draws as imbalanced-learn does."""
        delayed = import_optional("dask", "dask").delayed
        picks = [
            delayed(gen.pick_bases)(draws, Xb, gb, ib, s, self.rule.all_partners)
            for Xb, gb, ib, s in zip(
                self.X_blocks, self.graph_blocks, self.id_blocks, self.starts, strict=True
            )
        ]
        resolved = delayed(gen.resolve_bases)(picks, n_b)
        takes = [
            delayed(gen.take_rows)(resolved, Xb, ib, s, other)
            for Xb, ib, s, other in self.partner_store
        ]
        factors = None
        if self.rule.whole_data and seed is not None:
            self.n_other.append(delayed(gen.count_other)(takes))
            factors = delayed(gen.imbalanced_learn_factors)(seed, list(self.n_other))
        made = delayed(gen.generate_block, nout=2)(
            resolved, takes, draws, self.finish, (entropy, class_key, b), factors
        )
        rows = delayed(self.source.form.to_rows)(
            made[0], None if self.rule.categorical is None else self.encoding, self.rule.categorical
        )
        return rows, made[1]


class _NCFinish:
    """SMOTE-NC's vote as a picklable callable for :func:`generate_block`."""

    def __init__(self, n_cat: int) -> None:
        self.n_cat = n_cat

    def __call__(self, base_X: Any, partners_X: Any, draws: Any, block: Any, rng: Any) -> Any:
        return nc.nc_finish(base_X, partners_X, draws, block, rng, self.n_cat)


class _Source:
    """The input collections as row partitions, and how to give synthetic rows the same form."""

    def __init__(self, X: Any, y: Any) -> None:
        dd = _dask_dataframe_or_none()
        da = import_optional("dask.array", "dask")
        self.is_frame = dd is not None and isinstance(X, dd.DataFrame)
        if self.is_frame:
            self.X = X
            self.columns = list(X.columns)
            self.dtypes = list(X.dtypes)
            self.x_parts = list(X.to_delayed())
            kinds = {np.dtype(t).kind if _is_numpy_dtype(t) else "O" for t in self.dtypes}
            self.work_dtype = (
                np.result_type(*[np.dtype(t) for t in self.dtypes])
                if kinds <= set("biuf")
                else np.dtype(np.float64)
            )
        elif isinstance(X, da.Array):
            if X.ndim != 2:
                raise ValueError(f"X must be 2-D (rows, features); got a {X.ndim}-D dask array.")
            if any(math.isnan(c) for c in X.chunks[0]):
                raise ValueError("X has unknown chunk sizes; call X.compute_chunk_sizes() first.")
            self.X = X.rechunk({1: -1})
            self.columns = list(range(X.shape[1]))
            self.dtypes = [X.dtype] * X.shape[1]
            self.work_dtype = X.dtype if X.dtype.kind in "biuf" else np.dtype(np.float64)
            self.x_parts = list(self.X.to_delayed().ravel())
        else:
            raise TypeError(
                f"X must be a dask DataFrame or a dask Array, got {type(X).__name__}; for data "
                "in memory use the sampler's fit_resample."
            )
        if dd is not None and isinstance(y, dd.DataFrame):
            if len(y.columns) != 1:
                raise ValueError(f"y must be one column; got a DataFrame with {len(y.columns)}.")
            y = y[y.columns[0]]
        if dd is not None and isinstance(y, dd.Series):
            self.y_dtype = y.dtype
            self.y_name = y.name
            if self.is_frame:
                self.x_parts, self.y_parts = _aligned_parts(X, y)
            else:
                self.y_parts = list(y.to_delayed())
        elif isinstance(y, da.Array):
            if y.ndim != 1:
                raise ValueError(f"y must be 1-D; got a {y.ndim}-D dask array.")
            if not self.is_frame:
                if y.shape[0] != X.shape[0]:
                    raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}.")
                y = y.rechunk(self.X.chunks[0])
            self.y_parts = list(y.to_delayed().ravel())
            self.y_dtype = y.dtype
            self.y_name = None
        else:
            raise TypeError(f"y must be a dask Series or a dask Array, got {type(y).__name__}.")
        self.y = y
        if len(self.y_parts) != len(self.x_parts):
            raise ValueError(
                f"X has {len(self.x_parts)} partitions but y has {len(self.y_parts)}: partition "
                "them alike (for example, take both from the same DataFrame)."
            )

    @property
    def form(self) -> _RowForm:
        return _RowForm(self.is_frame, self.columns, self.dtypes)

    def assemble(
        self,
        x_blocks: list[Any],
        y_blocks: list[Any],
        prov_blocks: list[Any],
        sizes: list[int],
        n_input: int,
        return_provenance: bool,
    ) -> tuple[Any, ...]:
        dask = import_optional("dask", "dask")
        da = import_optional("dask.array", "dask")
        delayed = dask.delayed
        if self.is_frame:
            dd = import_optional("dask.dataframe", "dask")
            import pandas as pd

            starts = np.concatenate([[n_input], n_input + np.cumsum(sizes)])
            frames = [
                delayed(_with_index)(xb, int(s)) for xb, s in zip(x_blocks, starts, strict=False)
            ]
            series = [
                delayed(_as_series)(yb, self.y_name, int(s))
                for yb, s in zip(y_blocks, starts, strict=False)
            ]
            y_meta = pd.Series([], dtype=self.y_dtype, name=self.y_name)
            if frames:
                X_res = dd.concat([self.X, dd.from_delayed(frames, meta=self.X._meta)])
                y_res = dd.concat([self.y, dd.from_delayed(series, meta=y_meta)])
            else:
                X_res, y_res = self.X, self.y
        else:
            d = len(self.columns)
            arrays = [
                da.from_delayed(xb, shape=(n, d), dtype=self.dtypes[0])
                for xb, n in zip(x_blocks, sizes, strict=True)
            ]
            labels = [
                da.from_delayed(yb, shape=(n,), dtype=self.y_dtype)
                for yb, n in zip(y_blocks, sizes, strict=True)
            ]
            X_res = da.concatenate([self.X, *arrays]) if arrays else self.X
            y_res = da.concatenate([self.y, *labels]) if labels else self.y
        if not return_provenance:
            return X_res, y_res
        dd = import_optional("dask.dataframe", "dask")
        import pandas as pd

        meta = pd.DataFrame(np.empty(0, dtype=PROVENANCE_DTYPE))
        parts = [delayed(pd.DataFrame)(p) for p in prov_blocks] or [delayed(lambda: meta)()]
        return X_res, y_res, dd.from_delayed(parts, meta=meta)


@dataclass(frozen=True)
class _RowForm:
    """What a synthetic block must look like; small, so it travels with each task."""

    is_frame: bool
    columns: list[Any]
    dtypes: list[Any]

    def to_rows(self, block: NDArray[Any], encoding: Any, categorical: Any) -> Any:
        """Synthetic rows in the input's form: a pandas frame with its columns, or an array."""
        if categorical is not None:
            columns = nc.nc_decode(block, categorical, encoding, len(self.columns))
        else:
            columns = [block[:, j] for j in range(block.shape[1])]
        if not self.is_frame:
            dtype = self.dtypes[0]
            return np.column_stack([_cast(c, dtype) for c in columns]).astype(dtype, copy=False)
        import pandas as pd

        data = {
            name: _cast(col, dtype)
            for name, col, dtype in zip(self.columns, columns, self.dtypes, strict=True)
        }
        return pd.DataFrame(data, columns=self.columns)


_Y_COLUMN = "__smotekit_target__"


def _aligned_parts(X: Any, y: Any) -> tuple[list[Any], list[Any]]:
    """Partitions of ``X`` and ``y`` taken from one frame, so they match row for row.

    Dask may partition a projection differently from the whole (a Parquet read of one column can
    fuse files), so ``X`` and ``y`` are joined first and split inside each task.
    """
    dask = import_optional("dask", "dask")
    if X.npartitions != y.npartitions:
        raise ValueError(
            f"X has {X.npartitions} partitions but y has {y.npartitions}: partition them alike "
            "(for example, take both from the same DataFrame)."
        )
    try:
        parts = X.assign(**{_Y_COLUMN: y}).to_delayed()
    except ValueError as exc:  # pragma: no cover - depends on dask's alignment rules
        raise ValueError(f"X and y are not partitioned alike: {exc}") from None
    x_parts = [dask.delayed(_without_target)(p) for p in parts]
    y_parts = [dask.delayed(operator.getitem)(p, _Y_COLUMN) for p in parts]
    return x_parts, y_parts


def _without_target(frame: Any) -> Any:
    return frame.drop(columns=[_Y_COLUMN])


def _labels(n: int, label: Any, dtype: Any) -> Any:
    """``n`` copies of ``label`` in the target's dtype (NumPy's or a pandas extension dtype)."""
    if _is_numpy_dtype(dtype):
        return np.full(n, label, dtype=dtype)
    import pandas as pd

    return pd.array([label] * n, dtype=dtype)


def _with_index(frame: Any, start: int) -> Any:
    import pandas as pd

    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


def _as_series(values: NDArray[Any], name: Any, start: int) -> Any:
    import pandas as pd

    return pd.Series(values, name=name, index=pd.RangeIndex(start, start + len(values)))


def _cast(values: NDArray[Any], dtype: Any) -> Any:
    """Back to a column's dtype; integers are rounded, never truncated."""
    if _is_numpy_dtype(dtype) and np.dtype(dtype).kind in "iub" and values.dtype.kind == "f":
        return np.rint(values).astype(dtype)
    if _is_numpy_dtype(dtype):
        return values.astype(dtype, copy=False) if values.dtype.kind in "biuf" else values
    import pandas as pd

    return pd.array(values, dtype=dtype)


def _is_numpy_dtype(dtype: Any) -> bool:
    return isinstance(dtype, np.dtype)


def _dask_dataframe_or_none() -> Any:
    try:
        return import_optional("dask.dataframe", "dask")
    except ImportError:
        return None

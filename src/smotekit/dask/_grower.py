"""One class to grow, as lazy tasks: its blocks, its neighbour graph, its bases, its output.

A class is selected partition by partition and cut into blocks of at most ``class_budget``
bytes (one block if it fits); its neighbour graph is built blockwise with the exact search
(:mod:`smotekit.neighbors._blockwise`); synthetic rows are made in blocks
(:mod:`smotekit.dask._generate`).
The module-level functions are the tasks the workers run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional
from smotekit._validation import check_finite
from smotekit.dask import _generate as gen
from smotekit.dask import _samplers as nc
from smotekit.dask._samplers import Rule
from smotekit.neighbors import _blockwise as search
from smotekit.neighbors import self_entries
from smotekit.over_sampling._shared import in_danger

if TYPE_CHECKING:
    from smotekit.dask._collections import Source

__all__ = ["ClassGrower"]


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
    """Rows as one NumPy array; NaN or infinity stops with the in-memory samplers' message."""
    values = part.to_numpy(dtype=dtype) if hasattr(part, "iloc") else np.asarray(part, dtype=dtype)
    check_finite(values, "a row block of X")
    return values


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
    marks = self_entries(merged[1], own)
    n_other = search.keep_others(merged[2], marks, m).sum(axis=1)
    return np.flatnonzero(in_danger(n_other, m)) + start


class ClassGrower:
    """The lazy pieces of one class: its blocks, their neighbour graph, its bases."""

    def __init__(
        self, source: Source, rule: Rule, label: Any, per_part: list[int], offsets: Any
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
        rounding = self.rule.integer_rounding
        made = delayed(gen.generate_block, nout=2)(
            resolved, takes, draws, self.finish, (entropy, class_key, b), factors, rounding
        )
        rows = delayed(self.source.form.to_rows)(
            made[0],
            None if self.rule.categorical is None else self.encoding,
            self.rule.categorical,
            rounding,
        )
        return rows, made[1]


class _NCFinish:
    """SMOTE-NC's vote as a picklable callable for :func:`generate_block`."""

    def __init__(self, n_cat: int) -> None:
        self.n_cat = n_cat

    def __call__(self, base_X: Any, partners_X: Any, draws: Any, block: Any, rng: Any) -> Any:
        return nc.nc_finish(base_X, partners_X, draws, block, rng, self.n_cat)

"""Blockwise generation: draws per (class, block), then two gathers, then the shared kernel.

One block of synthetic rows is made in four steps, each a small task on the workers:

1. :func:`draw_block` draws the block's ``(row, neighbour column, gap)`` triples from its own
   random stream, with the kernel's draw order (:func:`smotekit._kernels.draw_smote`);
2. :func:`pick_bases` (one task per class block) takes the base rows that block holds, and
   their partners' row numbers from the neighbour graph;
3. :func:`take_rows` (one task per class block, or per input partition where partners come
   from the whole data set) takes the partner rows that block holds;
4. :func:`generate_block` interpolates with :func:`smotekit._kernels.interpolate`.

No task ever holds more than one class block and one block of output, so neither the class nor
its graph has to fit on one worker.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan, draw_smote, interpolate
from smotekit.engine._streams import block_stream

__all__ = [
    "BlockDraws",
    "count_other",
    "draw_block",
    "draw_class",
    "generate_block",
    "imbalanced_learn_factors",
    "pick_bases",
    "resolve_bases",
    "slice_draws",
    "take_rows",
]


class BlockDraws(NamedTuple):
    """The triples of one output block, before the graph is looked up."""

    base: NDArray[np.intp]  # class-local row numbers of the base rows
    col: NDArray[np.intp]  # neighbour column of each base's graph row
    gap: NDArray[np.float64]


class _FlatIndex:
    """Stands in for a neighbour graph in :func:`draw_smote`: ``[row, col]`` gives ``row*k+col``.

    The draws need only the graph's shape; looking the partners up happens later, on the worker
    that holds the graph rows.
    """

    def __init__(self, m: int, k: int) -> None:
        self.shape = (m, k)

    def __getitem__(self, key: tuple[NDArray[np.intp], NDArray[np.intp]]) -> NDArray[np.intp]:
        rows, cols = key
        return rows * self.shape[1] + cols


def draw_block(
    sources: NDArray[np.intp] | int,
    k: int,
    n_samples: int,
    entropy: int,
    class_key: int,
    block: int,
    label: Any = None,
) -> BlockDraws:
    """Draw one block's triples from its own stream: bases among ``sources``, columns among ``k``.

    ``sources`` lists the class-local rows that may be bases, or is the class size when every
    row may.
    """
    return _draw(block_stream(entropy, class_key, block), sources, k, n_samples, label)


def draw_class(
    sources: NDArray[np.intp] | int, k: int, n_samples: int, seed: int, label: Any = None
) -> BlockDraws:
    """Draw a whole class's triples from ``RandomState(seed)``, as the in-memory samplers do."""
    return _draw(np.random.RandomState(seed), sources, k, n_samples, label)


def slice_draws(draws: BlockDraws, start: int, stop: int) -> BlockDraws:
    """The triples of one output block out of a whole class's."""
    return BlockDraws(draws.base[start:stop], draws.col[start:stop], draws.gap[start:stop])


def _draw(
    rng: np.random.RandomState, sources: NDArray[np.intp] | int, k: int, n: int, label: Any
) -> BlockDraws:
    m = sources if isinstance(sources, int) else int(sources.shape[0])
    if m == 0:
        raise ValueError(
            f"class {label!r} has no sample to grow from (BorderlineSMOTE: none is in danger, "
            "i.e. it is well separated or all noise), so its synthetic rows cannot be made: "
            "leave it out of sampling_strategy, try a larger m_neighbors, or use SMOTE."
        )
    plan = draw_smote(rng, _FlatIndex(m, k), n)  # type: ignore[arg-type]
    base = plan.base if isinstance(sources, int) else sources[plan.base]
    return BlockDraws(base, np.mod(plan.neighbor, k), plan.gap)


def pick_bases(
    draws: BlockDraws,
    X_block: NDArray[Any],
    graph_block: NDArray[np.intp],
    index_block: NDArray[np.int64],
    start: int,
    all_partners: bool,
) -> tuple[NDArray[np.intp], NDArray[Any], NDArray[np.intp], NDArray[np.int64]]:
    """The draws whose base lies in this class block: (positions, rows, partners, global ids).

    ``partners`` is the drawn neighbour column, or the whole graph row if ``all_partners``.
    """
    local = draws.base - start
    positions = np.flatnonzero((local >= 0) & (local < X_block.shape[0]))
    rows = local[positions]
    partners = graph_block[rows] if all_partners else graph_block[rows, draws.col[positions]]
    return positions, X_block[rows], partners, index_block[rows]


def resolve_bases(
    pieces: list[tuple[NDArray[np.intp], NDArray[Any], NDArray[np.intp], NDArray[np.int64]]],
    n_samples: int,
) -> tuple[NDArray[Any], NDArray[np.intp], NDArray[np.int64]]:
    """Put the per-block picks back in draw order: base rows, partner row numbers, base ids."""
    first = pieces[0]
    base_X = np.empty((n_samples, first[1].shape[1]), dtype=first[1].dtype)
    partners = np.empty((n_samples, *first[2].shape[1:]), dtype=np.intp)
    base_ids = np.empty(n_samples, dtype=np.int64)
    for positions, rows, nbrs, ids in pieces:
        base_X[positions] = rows
        partners[positions] = nbrs
        base_ids[positions] = ids
    return base_X, partners, base_ids


def take_rows(
    resolved: tuple[NDArray[Any], NDArray[np.intp], NDArray[np.int64]],
    X_block: NDArray[Any],
    index_block: NDArray[np.int64],
    start: int,
    other_block: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.intp], NDArray[Any], NDArray[np.int64], NDArray[np.bool_] | None]:
    """The partner rows this block holds: (flat positions, rows, global ids, of another class).

    ``other_block`` flags the block's rows of other classes (Borderline-2 searches its partners
    in the whole data set and shortens moves towards other classes).
    """
    local = resolved[1].ravel() - start
    positions = np.flatnonzero((local >= 0) & (local < X_block.shape[0]))
    rows = local[positions]
    other = None if other_block is None else other_block[rows]
    return positions, X_block[rows], index_block[rows], other


def count_other(pieces: list[tuple[Any, ...]]) -> int:
    """Partners of another class among one block's partners."""
    return int(sum(int(p[3].sum()) for p in pieces))


def imbalanced_learn_factors(seed: int, n_other: list[int]) -> NDArray[np.float64]:
    """Borderline-2's shortening factors for the last block of ``n_other``.

    imbalanced-learn draws them for the whole class from a restarted ``RandomState(seed)``, in
    row order; the last block's are the slice after those of the blocks before it.
    """
    before = sum(n_other[:-1])
    return np.random.RandomState(seed).uniform(0.0, 0.5, size=before + n_other[-1])[before:]


def generate_block(
    resolved: tuple[NDArray[Any], NDArray[np.intp], NDArray[np.int64]],
    pieces: list[tuple[Any, ...]],
    draws: BlockDraws,
    finish: Any,
    stream: tuple[int, int, int],
    factors: NDArray[np.float64] | None = None,
    integer_rounding: str = "nearest",
) -> tuple[NDArray[Any], NDArray[np.void]]:
    """Interpolate one block with the shared kernel; returns the rows and their provenance.

    ``finish(base_X, partners_X, draws, block, rng)`` lets a sampler complete the block (SMOTE-NC
    votes its categories there); ``rng`` is the block's second stream (``purpose=1``). Where the
    pieces flag partners of another class, the move towards them is shortened by a factor
    ~ U(0, 0.5): ``factors`` if given, else drawn from the block's third stream (``purpose=2``).
    ``integer_rounding`` is the sampler's: how the kernel stores values in integer columns.
    """
    base_X, partner_ids, base_ids = resolved
    n = base_X.shape[0]
    flat = partner_ids.reshape(n, -1)
    partners_X = np.empty((flat.size, base_X.shape[1]), dtype=base_X.dtype)
    partner_global = np.empty(flat.size, dtype=np.int64)
    other = np.zeros(flat.size, dtype=bool)
    for positions, rows, ids, flags in pieces:
        partners_X[positions] = rows
        partner_global[positions] = ids
        if flags is not None:
            other[positions] = flags
    partners_X = partners_X.reshape(n, flat.shape[1], -1)
    partner_ids_2d = partner_global.reshape(n, flat.shape[1])
    # With every graph column gathered (SMOTE-NC), the drawn one is the partner.
    chosen = draws.col if flat.shape[1] > 1 else np.zeros(n, dtype=np.intp)
    other = other.reshape(n, flat.shape[1])[np.arange(n), chosen]
    scale = None
    if other.any():
        scale = np.ones(n)
        if factors is None:
            factors = block_stream(*stream, purpose=2).uniform(0.0, 0.5, size=int(other.sum()))
        scale[other] = factors
    # The kernel's formula on a two-part array: row i is a base, row n + i its partner.
    stacked = np.concatenate([base_X, partners_X[np.arange(n), chosen]])
    plan = SyntheticPlan(np.arange(n), np.arange(n, 2 * n), draws.gap, scale)
    block = interpolate(stacked, plan, np.empty_like(base_X), integer_rounding=integer_rounding)
    if finish is not None:
        block = finish(base_X, partners_X, draws, block, block_stream(*stream, purpose=1))
    provenance = SyntheticPlan(
        base_ids, partner_ids_2d[np.arange(n), chosen], draws.gap, scale
    ).to_records()
    return block, provenance

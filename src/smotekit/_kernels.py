"""The one interpolation kernel, and the random draws that feed it.

Everything in smotekit that makes a synthetic row goes through this module: every sampler, the
functional API, the tutorial function, the command line and the Dask path. It holds no estimator
and no state, only NumPy:

* :func:`draw_smote` draws ``(base, neighbour column, gap)`` triples in the order that reproduces
  imbalanced-learn's ``SMOTE`` for the same random state;
* :func:`interpolate` writes ``X[base] + gap * (X[neighbor] - X[base])`` into a preallocated output,
  chunk by chunk, so no full-size temporary is ever made;
* :data:`PROVENANCE_DTYPE` is the record of one synthetic row, which is exactly a kernel triple.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from smotekit._threads import run_blocks, worker_count

__all__ = [
    "INTEGER_ROUNDING",
    "PROVENANCE_DTYPE",
    "SyntheticPlan",
    "cast_values",
    "concat_plans",
    "draw_smote",
    "interpolate",
    "interpolate_sparse",
    "segment_values",
]

#: One record per synthetic row: the row it grows from, the partner it moves towards (-1 where a
#: variant has no single partner) and the fraction of the way it moves (nan where it has none).
PROVENANCE_DTYPE = np.dtype([("base", np.int64), ("neighbor", np.int64), ("gap", np.float64)])

# Rows per chunk of generation when the caller gives none: sized so that a chunk's temporary
# (the gathered partners) is about CHUNK_BYTES, which keeps it in the core's L2 cache for the
# three passes over it while the Python overhead per chunk stays negligible. Measured on 2 cores
# at 100 features, 1 MiB chunks generate ~1.6x faster than 8192-row (6.5 MiB) ones, and 256 KiB
# ones as fast as 1 MiB (within the noise) with a quarter of the temporary memory.
CHUNK_BYTES = 2**18
# Below this many output values generation runs on one thread (thread start-up would dominate).
PARALLEL_MIN_VALUES = 2**18
DEFAULT_CHUNK_ROWS = 8192  # kept for callers that name it; ``chunk_rows=None`` sizes by bytes


def _auto_chunk_rows(n_features: int, itemsize: int) -> int:
    return max(256, CHUNK_BYTES // max(1, n_features * max(itemsize, 8)))


class SyntheticPlan(NamedTuple):
    """What to generate: one ``(base, neighbor, gap)`` triple per synthetic row.

    ``base`` and ``neighbor`` index rows of the array handed to :func:`interpolate`; ``gap`` is the
    fraction of the way from the base towards the neighbour. The optional ``scale`` multiplies the
    difference ``X[neighbor] - X[base]`` in ``X``'s dtype before the gap does (Borderline-SMOTE-2
    shortens moves towards other classes this way); the provenance then records the effective
    gap ``gap * scale``.
    """

    base: NDArray[np.intp]
    neighbor: NDArray[np.intp]
    gap: NDArray[np.float64]
    scale: NDArray[np.float64] | None = None

    def __len__(self) -> int:  # type: ignore[override]
        return int(self.base.shape[0])

    def remap(self, index: NDArray[np.intp]) -> SyntheticPlan:
        """Translate class-local row numbers into the rows of a larger array (``index[i]``)."""
        neighbor = np.where(self.neighbor >= 0, index[np.maximum(self.neighbor, 0)], -1)
        return SyntheticPlan(index[self.base], neighbor, self.gap, self.scale)

    def compact(self) -> SyntheticPlan:
        """The same plan with row numbers stored as int32 where they fit (16 bytes per row).

        The plan outlives generation as the sampler's provenance, so its size counts towards the
        peak memory of every ``fit_resample``.
        """
        if self.base.dtype == np.int32 and self.neighbor.dtype == np.int32:
            return self
        fits = len(self) == 0 or max(int(self.base.max()), int(self.neighbor.max())) < 2**31
        if not fits:
            return self
        return SyntheticPlan(
            self.base.astype(np.int32, copy=False),
            self.neighbor.astype(np.int32, copy=False),
            self.gap,
            self.scale,
        )

    def to_records(self) -> NDArray[np.void]:
        """The plan as a structured array of :data:`PROVENANCE_DTYPE`."""
        records = np.empty(len(self), dtype=PROVENANCE_DTYPE)
        records["base"] = self.base
        records["neighbor"] = self.neighbor
        records["gap"] = self.gap if self.scale is None else self.gap * self.scale
        return records


def concat_plans(plans: list[SyntheticPlan]) -> SyntheticPlan:
    """Join plans end to end, in order (a single plan is returned as it is)."""
    if len(plans) == 1:
        return plans[0]
    if not plans:
        empty = np.empty(0, dtype=np.intp)
        return SyntheticPlan(empty, empty.copy(), np.empty(0, dtype=np.float64))
    scale = None
    if any(p.scale is not None for p in plans):
        scale = np.concatenate([np.ones(len(p)) if p.scale is None else p.scale for p in plans])
    return SyntheticPlan(
        np.concatenate([p.base for p in plans]),
        np.concatenate([p.neighbor for p in plans]),
        np.concatenate([p.gap for p in plans]),
        scale,
    )


def draw_smote(
    rng: np.random.RandomState,
    neighbors: NDArray[np.intp],
    n_samples: int,
    *,
    step: float = 1.0,
) -> SyntheticPlan:
    """Draw SMOTE's triples from a legacy ``RandomState``, in imbalanced-learn's order.

    This is the one documented place where imbalanced-learn's draw order is reproduced:
    ``randint(0, m * k, size=n)`` picks a (row, neighbour column) pair as ``idx // k, idx % k``,
    then ``uniform(size=n)`` scaled by ``step`` gives each gap. The same random state therefore
    gives the same synthetic rows as ``imblearn.over_sampling.SMOTE``.

    Parameters
    ----------
    rng : numpy.random.RandomState
        The generator; it is advanced by exactly these two draws.
    neighbors : ndarray of shape (m, k)
        Neighbour graph of the rows to grow from, self excluded, ascending distance.
    n_samples : int
        How many triples to draw.
    step : float, default=1.0
        Gaps are drawn from ``Uniform(0, step)``.

    Returns
    -------
    SyntheticPlan
        ``base`` and ``neighbor`` are row numbers of the array the graph was built on.

    Examples
    --------
    >>> import numpy as np
    >>> graph = np.array([[1], [0]])
    >>> plan = draw_smote(np.random.RandomState(0), graph, 3)
    >>> plan.base, plan.neighbor
    (array([0, 1, 1]), array([1, 0, 0]))
    """
    m, k = neighbors.shape
    flat = rng.randint(low=0, high=m * k, size=n_samples)
    gaps = rng.uniform(size=n_samples)
    if step != 1.0:
        gaps *= step
    rows, cols = np.divmod(flat, k, out=(np.empty_like(flat), flat))
    partners = neighbors[rows, cols]
    del flat, cols
    return SyntheticPlan(
        rows.astype(np.intp, copy=False), partners.astype(np.intp, copy=False), gaps
    )


#: How synthetic values are stored in an integer (or boolean) output: ``"nearest"`` rounds to
#: the nearest integer (smotekit's default), ``"truncate"`` cuts towards zero as imbalanced-learn's
#: ``astype`` does.
INTEGER_ROUNDING = ("nearest", "truncate")


def _float_range_of(dtype: np.dtype) -> tuple[float, float]:
    """The widest float64 interval whose every value lies in ``dtype``'s range."""
    if dtype.kind == "f":
        top = float(np.finfo(dtype).max)
        return -top, top
    if dtype.kind == "b":
        return 0.0, 1.0
    info = np.iinfo(dtype)
    high = float(info.max)
    if int(high) > info.max:  # 2**63 - 1 is 2**63 in float64
        high = float(np.nextafter(high, -np.inf))
    return float(info.min), high


def cast_values(
    values: NDArray[Any],
    dtype: Any,
    integer_rounding: str = "nearest",
    *,
    clip: bool = True,
    out: NDArray[Any] | None = None,
) -> NDArray[Any]:
    """Store computed values in ``dtype``: the one rule every synthetic value goes through.

    * into an integer or boolean dtype, float values are rounded to the nearest integer (or
      truncated towards zero with ``integer_rounding="truncate"``, imbalanced-learn's ``astype``);
    * every value is clipped to ``dtype``'s range (its finite range for floats), so a value that
      does not fit becomes the nearest one that does, never a wrapped-around integer or an inf.

    ``clip=False`` skips the clipping where the caller knows the values fit (interpolated floats).
    ``values`` may be modified in place; with ``out`` (of ``dtype``) the result is written there.

    Examples
    --------
    >>> import numpy as np
    >>> cast_values(np.array([2.5, 2.97, -1.7, 300.0]), np.uint8)
    array([  2,   3,   0, 255], dtype=uint8)
    >>> cast_values(np.array([2.5, 2.97, -1.7]), np.int64, "truncate")
    array([ 2,  2, -1])
    """
    dtype = np.dtype(dtype)
    if dtype.kind in "biu" and values.dtype.kind in "biu":
        # integer to integer: clip in the integers (exact beyond 2**53)
        info_in = np.iinfo(np.uint8 if values.dtype.kind == "b" else values.dtype)
        info_out = (0, 1) if dtype.kind == "b" else (np.iinfo(dtype).min, np.iinfo(dtype).max)
        int_low, int_high = max(info_in.min, info_out[0]), min(info_in.max, info_out[1])
        if clip and (int_low > info_in.min or int_high < info_in.max):
            values = np.clip(values, values.dtype.type(int_low), values.dtype.type(int_high))
        return _store(values, dtype, out)
    if dtype.kind in "biu":
        if values.dtype.kind != "f":
            values = values.astype(np.float64)
        if integer_rounding == "truncate":
            np.trunc(values, out=values)
        else:
            np.rint(values, out=values)
        low, high = _float_range_of(dtype)
        np.clip(values, low, high, out=values)  # integers always: 64-bit ones can round past
        return _store(values, dtype, out)
    if clip:
        low, high = _float_range_of(dtype)
        values = np.clip(values, low, high, out=values if values.dtype == np.float64 else None)
    return _store(values, dtype, out)


def _store(values: NDArray[Any], dtype: np.dtype, out: NDArray[Any] | None) -> NDArray[Any]:
    if out is None:
        return values.astype(dtype, copy=False)
    np.copyto(out, values, casting="unsafe")  # the values fit: clipped above
    return out


def segment_values(
    base: NDArray[Any],
    partner: NDArray[Any],
    gap: NDArray[np.float64],
    scale: NDArray[np.float64] | None = None,
) -> NDArray[Any]:
    """``base + gap * scale * (partner - base)``, elementwise, finite for finite input.

    Integer and boolean values are taken to float64 first (exact below 2**53, no wrap-around in
    the difference). Floats keep their dtype for the difference and the scaling, and the step is
    float64: imbalanced-learn's arithmetic, bit for bit. Where that overflows (values beyond half
    the dtype's range), the point is computed again as ``(1 - t) * base + t * partner`` in float64
    (``t = gap * scale``), whose terms cannot overflow on a segment; a point really beyond the
    range stays infinite, for :func:`cast_values` to clip. The result is float64, or ``base``'s
    dtype for float64 input.

    Examples
    --------
    >>> import numpy as np
    >>> segment_values(np.array([250], np.uint8), np.array([10], np.uint8), np.array([0.5]))
    array([130.])
    >>> segment_values(np.array([-1.5e308]), np.array([1.5e308]), np.array([0.25]))
    array([-7.5e+307])
    """
    integers = base.dtype.kind in "biu"
    if integers:  # within float64's range by far: no overflow to repair
        base = base.astype(np.float64)
        partner = partner.astype(np.float64)
    # Overflow is detected below, on the result.
    with np.errstate(over="ignore", invalid="ignore"):
        diff = partner - base
        if scale is not None:
            # In base's dtype, before the gap: imbalanced-learn's Borderline-SMOTE-2 rounding.
            diff *= scale
        if diff.dtype == np.float64:
            diff *= gap
            step = diff
        else:
            step = gap * diff
        step += base
        if integers or np.isfinite(step.sum()):
            return step
        bad = ~np.isfinite(step)
        t = np.broadcast_to(gap if scale is None else gap * scale, step.shape)[bad]
        b = np.broadcast_to(base, step.shape)[bad].astype(np.float64)
        p = np.broadcast_to(partner, step.shape)[bad].astype(np.float64)
        step[bad] = (1.0 - t) * b + t * p
    return step


def _moves_out(plan: SyntheticPlan) -> bool:
    """Whether some row of the plan leaves its segment (extrapolation, SVM-SMOTE's safe rows)."""
    if len(plan) == 0:
        return False
    gap = plan.gap if plan.scale is None else plan.gap * plan.scale
    return bool(np.nanmin(gap) < 0.0 or np.nanmax(gap) > 1.0) if not np.isnan(gap).all() else False


def _clip_to_segments(
    block: NDArray[Any], base: NDArray[Any], partner: NDArray[Any], gap: NDArray[np.float64]
) -> None:
    """Keep 64-bit integer rows that interpolate between their two rows' values.

    float64 holds integers exactly only below 2**53; beyond, the rounded result could leave the
    segment (by up to a few thousand) although the exact one cannot.
    """
    exact = 2**53
    if max(base.max(initial=0), partner.max(initial=0)) <= exact and (
        min(base.min(initial=0), partner.min(initial=0)) >= -exact
    ):
        return  # float64 is exact here: the results are on their segments already
    low, high = np.minimum(base, partner), np.maximum(base, partner)
    inside = (gap >= 0.0) & (gap <= 1.0) | np.isnan(gap)
    if inside.all():
        np.clip(block, low, high, out=block)
    else:
        block[inside] = np.clip(block[inside], low[inside], high[inside])


def interpolate(
    X: NDArray,
    plan: SyntheticPlan,
    out: NDArray,
    *,
    chunk_rows: int | None = None,
    integer_rounding: str = "nearest",
) -> NDArray:
    """Write ``X[base] + gap * (X[neighbor] - X[base])`` for every triple into ``out``.

    Float input uses imbalanced-learn's arithmetic (the difference in ``X``'s dtype, the step in
    float64), so float32 and float64 inputs give the same bits as ``imblearn``. Integer and
    boolean input is computed in float64 (no wrap-around). Every value is then stored with
    :func:`cast_values`: integer outputs are rounded to the nearest integer (or truncated, as
    imbalanced-learn does, with ``integer_rounding="truncate"``) and every output is clipped to
    its dtype's range, so finite input never gives an inf, a NaN or a wrapped-around integer.
    Rows with ``neighbor == -1`` are copies of their base.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Rows the plan indexes.
    plan : SyntheticPlan
        One triple per output row.
    out : ndarray of shape (len(plan), d)
        Preallocated output, written in place (typically a view into the resampled array).
    chunk_rows : int or None, default=None
        Rows per chunk; bounds the temporaries to ``chunk_rows * d`` values. ``None`` picks
        about 1 MiB of temporaries per chunk.
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How values are stored in an integer ``out``.

    Returns
    -------
    ndarray
        ``out``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [2.0, 4.0]])
    >>> plan = SyntheticPlan(np.array([0]), np.array([1]), np.array([0.25]))
    >>> interpolate(X, plan, np.empty((1, 2)))
    array([[0.5, 1. ]])
    """
    n = len(plan)
    if out.shape[0] != n:
        raise ValueError(f"out has {out.shape[0]} rows but the plan has {n} triples")
    same_dtype = X.dtype == np.float64 and out.dtype == np.float64
    if chunk_rows is None:
        chunk_rows = _auto_chunk_rows(X.shape[1] if X.ndim > 1 else 1, X.dtype.itemsize)
    if same_dtype and plan.scale is None and bool((plan.neighbor >= 0).all()):
        _interpolate_float64(X, plan, out, chunk_rows)
        return out
    moves_out = _moves_out(plan)
    wide_integers = X.dtype.kind in "iu" and X.dtype.itemsize == 8
    for start in range(0, n, chunk_rows):
        stop = min(start + chunk_rows, n)
        base_idx = plan.base[start:stop]
        nbr_idx = plan.neighbor[start:stop]
        gaps = plan.gap[start:stop, np.newaxis]
        base = X[base_idx]
        has_partner = nbr_idx >= 0
        if has_partner.all():
            partner = X[nbr_idx]
        else:
            # No partner: a copy of the base (its gap is nan in the provenance, 0 here).
            partner = base.copy()
            partner[has_partner] = X[nbr_idx[has_partner]]
            gaps = np.where(has_partner[:, np.newaxis], gaps, 0.0)
        scale = None if plan.scale is None else plan.scale[start:stop, np.newaxis]
        values = segment_values(base, partner, gaps, scale)
        block = out[start:stop]
        # The step is float64 here; X's float dtype needs no clip on a segment.
        cast_values(
            values,
            out.dtype,
            integer_rounding,
            clip=moves_out or out.dtype.kind != "f",
            out=block,
        )
        if wide_integers and out.dtype == X.dtype:
            eff = gaps[:, 0] if scale is None else gaps[:, 0] * scale[:, 0]
            _clip_to_segments(block, base, partner, eff)
    return out


def _interpolate_float64(
    X: NDArray[np.float64], plan: SyntheticPlan, out: NDArray[np.float64], chunk_rows: int
) -> None:
    """The common case (float64, every row has a partner) with one temporary per chunk.

    ``mode="clip"`` only spares NumPy a buffered copy of ``out``: the indices are in range.

    The bases are gathered straight into ``out`` and the step is added there: ``base + gap *
    diff`` rounds exactly as imbalanced-learn's ``X[rows] + steps * diffs`` (the same two
    operations on the same operands), with one gather fewer than the general path.
    """

    def fill(start: int) -> None:
        stop = min(start + chunk_rows, len(plan))
        block = out[start:stop]
        np.take(X, plan.base[start:stop], axis=0, out=block, mode="clip")
        diff = np.take(X, plan.neighbor[start:stop], axis=0, mode="clip")
        with np.errstate(over="ignore", invalid="ignore"):  # detected below, on the result
            diff -= block
            diff *= plan.gap[start:stop, np.newaxis]
            block += diff
            finite = np.isfinite(block.sum())
        if not finite:
            # Finite input beyond half the float64 range: the scale-aware computation.
            rows = plan.base[start:stop], plan.neighbor[start:stop]
            values = segment_values(X[rows[0]], X[rows[1]], plan.gap[start:stop, np.newaxis])
            cast_values(values, block.dtype, out=block)

    # NumPy releases the GIL in take and in the ufuncs: chunks fill in parallel.
    parallel = len(plan) * X.shape[1] >= PARALLEL_MIN_VALUES
    run_blocks(fill, range(0, len(plan), chunk_rows), worker_count() if parallel else 1)


def _pattern(matrix: Any, code: int) -> Any:
    """``code`` where a canonical CSR matrix stores an entry (explicit zeros included)."""
    from scipy import sparse

    codes = np.full(matrix.indices.size, code, dtype=np.int8)
    return sparse.csr_matrix((codes, matrix.indices, matrix.indptr), shape=matrix.shape)


def interpolate_sparse(
    X: Any, plan: SyntheticPlan, *, chunk_rows: int = 65536, integer_rounding: str = "nearest"
) -> Any:
    """Sparse counterpart of :func:`interpolate`: returns the synthetic rows in ``X``'s format.

    Each chunk's values are computed on the union of its base and partner rows' stored entries
    with the same :func:`segment_values` and :func:`cast_values` as the dense kernel, so sparse and
    dense input give the same values, bit for bit (and imbalanced-learn's for float input).
    """
    from scipy import sparse

    fmt = X.format
    X = X.tocsr()
    moves_out = _moves_out(plan)
    wide_integers = X.dtype.kind in "iu" and X.dtype.itemsize == 8
    blocks = []
    for start in range(0, len(plan), chunk_rows):
        stop = min(start + chunk_rows, len(plan))
        base_idx = plan.base[start:stop]
        nbr_idx = plan.neighbor[start:stop]
        has_partner = nbr_idx >= 0
        base = sparse.csr_matrix(X[base_idx])
        partner = sparse.csr_matrix(X[np.where(has_partner, nbr_idx, base_idx)])
        base.sum_duplicates()
        partner.sum_duplicates()
        # Where a synthetic value can be non-zero: the union of both rows' stored entries, each
        # marked 1 (base only), 2 (partner only) or 3 (both); in canonical order, so each
        # matrix's entries are the union's marked ones, in the same order.
        union = _pattern(base, 1) + _pattern(partner, 2)
        base_values = np.zeros(union.data.size, dtype=X.dtype)
        base_values[(union.data & 1) != 0] = base.data
        partner_values = np.zeros(union.data.size, dtype=X.dtype)
        partner_values[(union.data & 2) != 0] = partner.data
        rows = np.repeat(np.arange(union.shape[0]), np.diff(union.indptr))
        gaps = np.where(has_partner, plan.gap[start:stop], 0.0)[rows]
        scale = None if plan.scale is None else plan.scale[start:stop][rows]
        values = segment_values(base_values, partner_values, gaps, scale)
        values = cast_values(
            values, X.dtype, integer_rounding, clip=moves_out or X.dtype.kind != "f"
        )
        if wide_integers:
            eff = gaps if scale is None else gaps * scale
            _clip_to_segments(values, base_values, partner_values, eff)
        block = sparse.csr_matrix((values, union.indices, union.indptr), shape=union.shape)
        block.eliminate_zeros()
        blocks.append(block)
    if not blocks:
        return sparse.csr_matrix((0, X.shape[1]), dtype=X.dtype).asformat(fmt)
    return sparse.vstack(blocks, format=fmt)

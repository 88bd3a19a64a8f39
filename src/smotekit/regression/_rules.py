"""The regression samplers' rules, as pure functions of one bin's arrays.

A rule says, for ``n`` new cases of one bin, which case each grows from (the *seed*), towards
which partner and how far, or with how much Gaussian noise instead: a :class:`BinDraws`. It does
not touch the feature values. :func:`generate_bin` then makes the rows with the shared kernel
(:func:`smotekit._kernels.interpolate`; a row without partner is a copy of its seed), derives the
targets and adds the noise. Every rule draws from one ``RandomState`` in a documented order, so a
seed reproduces the output.

* SMOTER (Torgo et al. 2013): :func:`smoter_draws`;
* SMOGN (Branco et al. 2017): :func:`smogn_draws`;
* the baselines of Branco et al. 2016: :func:`gaussian_noise_draws` and
  :func:`random_oversample_draws`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan, interpolate
from smotekit._threads import run_blocks, worker_count

__all__ = [
    "SAFE_REFERENCE_ROWS",
    "BinDraws",
    "bin_safe_radius",
    "draw_seeds",
    "gaussian_noise_draws",
    "generate_bin",
    "neighbor_distances",
    "random_oversample_draws",
    "safe_radius",
    "smogn_draws",
    "smoter_draws",
    "undersample_rows",
]


#: Cases of a bin that SMOGN's safe distances are measured against, at most (see
#: :func:`bin_safe_radius`); also the rows per block of that measurement (an 8 MiB block).
SAFE_REFERENCE_ROWS = 1024


class BinDraws(NamedTuple):
    """What one bin's new cases are made of (row numbers local to the bin).

    ``plan`` holds one ``(seed, partner, gap)`` triple per new case, partner ``-1`` where the case
    is a copy of its seed (before any noise); ``partner_distance`` is the Euclidean distance from
    seed to partner (nan without partner); ``noise`` is, per case, the standard deviation of its
    Gaussian noise as a fraction of each column's standard deviation in the bin (0 for none), or
    None when no case gets noise.
    """

    plan: SyntheticPlan
    partner_distance: NDArray[np.float64]
    noise: NDArray[np.float64] | None = None


def draw_seeds(rng: np.random.RandomState, n_rows: int, n_samples: int) -> NDArray[np.intp]:
    """Seed cases for ``n_samples`` new cases: every row equally often, the rest at random.

    As in the papers and UBL: with ``n_samples = q * n_rows + r``, each row seeds ``q`` cases
    (row 0's first), then ``r`` distinct rows drawn at random (``rng.permutation``) seed one more.

    Examples
    --------
    >>> draw_seeds(np.random.RandomState(0), 3, 7)
    array([0, 0, 1, 1, 2, 2, 2])
    """
    q, r = divmod(n_samples, n_rows)
    seeds = np.repeat(np.arange(n_rows, dtype=np.intp), q)
    if r:
        extra = rng.permutation(n_rows)[:r].astype(np.intp)
        seeds = np.concatenate([seeds, extra])
    return seeds


def neighbor_distances(X: NDArray, neighbors: NDArray[np.intp]) -> NDArray[np.float64]:
    """Euclidean distance (float64) from each row of ``X`` to each of its listed neighbours.

    Examples
    --------
    >>> neighbor_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[1], [0]]))
    array([[5.],
           [5.]])
    """
    X64 = np.asarray(X, dtype=np.float64)
    out = np.empty(neighbors.shape, dtype=np.float64)
    for j in range(neighbors.shape[1]):
        diff = X64[neighbors[:, j]] - X64
        out[:, j] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    return out


def smoter_draws(
    rng: np.random.RandomState,
    neighbors: NDArray[np.intp],
    distances: NDArray[np.float64],
    n_samples: int,
) -> BinDraws:
    """SMOTER's draws: a seed, one of its ``k`` nearest neighbours in the bin, a gap in [0, 1).

    Order of the draws: the seeds (:func:`draw_seeds`), then ``rng.randint(0, k, n)`` for the
    neighbour columns, then ``rng.uniform(size=n)`` for the gaps. The new case is ``x_seed + gap *
    (x_nn - x_seed)``; its target is the inverse-distance weighted mean of the two targets (see
    :func:`generate_bin`).

    Parameters
    ----------
    rng : numpy.random.RandomState
    neighbors : ndarray of shape (m, k)
        Each bin row's ``k`` nearest other rows of the bin.
    distances : ndarray of shape (m, k)
        The matching distances (:func:`neighbor_distances`).
    n_samples : int
        New cases to draw.

    Examples
    --------
    >>> draws = smoter_draws(np.random.RandomState(0), np.array([[1], [0]]), np.ones((2, 1)), 3)
    >>> draws.plan.base, draws.plan.neighbor
    (array([0, 1, 1]), array([1, 0, 0]))
    """
    m, k = neighbors.shape
    seeds = draw_seeds(rng, m, n_samples)
    columns = rng.randint(0, k, size=n_samples)
    gaps = rng.uniform(size=n_samples)
    plan = SyntheticPlan(seeds, neighbors[seeds, columns].astype(np.intp), gaps)
    return BinDraws(plan, distances[seeds, columns])


def safe_radius(distances: NDArray[np.float64]) -> NDArray[np.float64]:
    """Safe distance per row from its ``k`` neighbours: half the median distance to them.

    Examples
    --------
    >>> safe_radius(np.array([[1.0, 2.0, 6.0]]))
    array([1.])
    """
    return np.median(distances, axis=1) / 2


def bin_safe_radius(X: NDArray) -> NDArray[np.float64]:
    """SMOGN's safe distance per row, as UBL: half the median distance to every case of the bin.

    The median runs over the distances from the row to each case of its bin, itself included
    (UBL's ``summary(DM[i, ])[3] / 2``). A bin of more than :data:`SAFE_REFERENCE_ROWS` cases is
    measured against that many of its cases, evenly spaced along the sorted target, which keeps
    the cost linear in the bin's size; the median of a thousand distances is within a few percent
    of the median of all.

    Examples
    --------
    >>> bin_safe_radius(np.array([[0.0], [1.0], [3.0]]))
    array([0.5, 0.5, 1. ])
    """
    X64 = np.asarray(X, dtype=np.float64)
    m = X64.shape[0]
    if m > SAFE_REFERENCE_ROWS:
        reference = X64[np.linspace(0, m - 1, SAFE_REFERENCE_ROWS).round().astype(np.intp)]
    else:
        reference = X64
    ref_sq = np.einsum("ij,ij->i", reference, reference)
    # The median of the distances is taken on the squared ones (the order is the same), so
    # only the one or two middle values of each row are clipped and rooted: np.median's value.
    n_ref = reference.shape[0]
    middle = [(n_ref - 1) // 2, n_ref // 2]
    out = np.empty(m, dtype=np.float64)

    def run(start: int) -> None:
        block = X64[start : start + SAFE_REFERENCE_ROWS]
        d2 = np.einsum("ij,ij->i", block, block)[:, np.newaxis] + ref_sq - 2 * block @ reference.T
        mid = np.partition(d2, middle, axis=1)[:, middle]
        out[start : start + block.shape[0]] = np.sqrt(np.maximum(mid, 0.0)).mean(axis=1)

    run_blocks(run, range(0, m, SAFE_REFERENCE_ROWS), worker_count())
    return out / 2


def smogn_draws(
    rng: np.random.RandomState,
    neighbors: NDArray[np.intp],
    distances: NDArray[np.float64],
    n_samples: int,
    *,
    radius: NDArray[np.float64],
    pert: float = 0.02,
) -> BinDraws:
    """SMOGN's draws: SMOTER where the chosen neighbour is safe, Gaussian noise elsewhere.

    The draws are SMOTER's (:func:`smoter_draws`, same order). A case whose chosen neighbour lies
    closer to the seed than the seed's safe ``radius`` (:func:`bin_safe_radius`, or
    :func:`safe_radius`) is interpolated as in SMOTER; any other becomes a copy of its seed with
    Gaussian noise on every column and on the target, of standard deviation ``min(pert,
    radius)`` times the column's standard deviation in the bin (the paper's and UBL's
    ``min(maxD, pert)``).

    Examples
    --------
    >>> neighbors = np.array([[1, 2], [0, 2], [1, 0]])
    >>> distances = np.array([[1.0, 9.0], [1.0, 8.0], [8.0, 9.0]])
    >>> radius = safe_radius(distances)
    >>> draws = smogn_draws(np.random.RandomState(0), neighbors, distances, 3, radius=radius)
    >>> draws.plan.neighbor, draws.noise
    (array([ 1, -1, -1]), array([0.  , 0.02, 0.02]))
    """
    draws = smoter_draws(rng, neighbors, distances, n_samples)
    seeds = draws.plan.base
    seed_radius = radius[seeds]
    safe = draws.partner_distance < seed_radius
    plan = SyntheticPlan(
        seeds, np.where(safe, draws.plan.neighbor, -1), np.where(safe, draws.plan.gap, np.nan)
    )
    noise = np.where(safe, 0.0, np.minimum(pert, seed_radius))
    return BinDraws(plan, np.where(safe, draws.partner_distance, np.nan), noise)


def gaussian_noise_draws(
    rng: np.random.RandomState, n_rows: int, n_samples: int, *, pert: float = 0.1
) -> BinDraws:
    """Gaussian noise around each seed (Branco et al. 2016): sd ``pert`` times the column's sd.

    Examples
    --------
    >>> gaussian_noise_draws(np.random.RandomState(0), 2, 3).noise
    array([0.1, 0.1, 0.1])
    """
    draws = random_oversample_draws(rng, n_rows, n_samples)
    return draws._replace(noise=np.full(n_samples, float(pert)))


def random_oversample_draws(rng: np.random.RandomState, n_rows: int, n_samples: int) -> BinDraws:
    """Copies of the seeds (:func:`draw_seeds`): random over-sampling.

    Examples
    --------
    >>> random_oversample_draws(np.random.RandomState(0), 2, 3).plan.neighbor
    array([-1, -1, -1])
    """
    seeds = draw_seeds(rng, n_rows, n_samples)
    none = np.full(n_samples, np.nan)
    return BinDraws(SyntheticPlan(seeds, np.full(n_samples, -1, dtype=np.intp), none), none)


def undersample_rows(rng: np.random.RandomState, n_rows: int, n_keep: int) -> NDArray[np.intp]:
    """The ``n_keep`` rows (ascending) that a shrunk bin keeps, drawn without replacement.

    Examples
    --------
    >>> undersample_rows(np.random.RandomState(0), 5, 2)
    array([0, 2])
    """
    return np.sort(rng.permutation(n_rows)[:n_keep]).astype(np.intp)


def _column_sd(values: NDArray) -> NDArray[np.float64]:
    """Sample standard deviation per column (R's ``sd``), 0 for a single row."""
    if values.shape[0] < 2:
        return np.zeros(values.shape[1:])
    return np.asarray(values.std(axis=0, ddof=1, dtype=np.float64))


def generate_bin(
    rng: np.random.RandomState, X: NDArray, y: NDArray[np.float64], draws: BinDraws
) -> tuple[NDArray, NDArray[np.float64]]:
    """The new cases of one bin: rows by the shared kernel, targets, then the noise.

    * rows: ``x_seed + gap * (x_partner - x_seed)``, or a copy of the seed without partner;
    * targets: the mean of the two targets weighted by the inverse of their distances to the
      new row. A new row at fraction ``gap`` of a segment of length ``D > 0`` lies ``gap * D``
      from the seed and ``(1 - gap) * D`` from the partner, so this weighted mean is exactly
      ``y_seed + gap * (y_partner - y_seed)``: the kernel computes it, without measuring the
      row again; where seed and partner coincide (``D = 0``) both weigh the same, so the gap is
      0.5 (their plain mean). A copy keeps its seed's target;
    * noise, last: for the rows with ``noise > 0``, ``rng.normal`` draws ``d + 1`` values per
      row (the ``d`` columns, then the target), each scaled by ``noise`` times that column's
      standard deviation in the bin (ddof 1, as R's ``sd``).

    Parameters
    ----------
    rng : numpy.random.RandomState
        Used only for the noise.
    X : ndarray of shape (m, d)
        The bin's rows.
    y : ndarray of shape (m,)
        Their targets.
    draws : BinDraws

    Returns
    -------
    X_new : ndarray of shape (n, d), X's dtype
    y_new : ndarray of shape (n,), float64

    Examples
    --------
    >>> X = np.array([[0.0], [4.0]])
    >>> y = np.array([10.0, 20.0])
    >>> plan = SyntheticPlan(np.array([0]), np.array([1]), np.array([0.25]))
    >>> generate_bin(np.random.RandomState(0), X, y, BinDraws(plan, np.array([4.0])))
    (array([[1.]]), array([12.5]))
    """
    plan = draws.plan
    X_new = interpolate(X, plan, np.empty((len(plan), X.shape[1]), dtype=X.dtype))
    # The target goes through the same kernel, as one more column with its own gaps.
    target_gap = np.where(draws.partner_distance > 0, plan.gap, 0.5)
    target_plan = SyntheticPlan(plan.base, plan.neighbor, target_gap)
    y_new = interpolate(y[:, np.newaxis], target_plan, np.empty((len(plan), 1)))[:, 0]
    if draws.noise is not None:
        noisy = np.flatnonzero(draws.noise > 0)
        if noisy.size:
            scale = draws.noise[noisy, np.newaxis]
            z = rng.normal(size=(noisy.size, X.shape[1] + 1))
            X_new[noisy] += z[:, :-1] * scale * _column_sd(X)
            y_new[noisy] += z[:, -1] * scale[:, 0] * _column_sd(y[:, np.newaxis])[0]
    return X_new, y_new

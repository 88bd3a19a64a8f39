"""SMOGN against smotekit's SMOTE growing as many rows, and against a per-row Python loop.

    python benchmarks/bench_regression.py [--rows 100000] [--features 20] [--reps 3]

On each kind of data of ``datakinds.py`` (isotropic Gaussian, ``make_classification``, a 3-D
manifold embedded in the features) the target is ``exp(z)``, ``z`` a standardised linear
function of the features plus noise: a long upper tail, about 8% of it beyond the box plot's
upper whisker; the rare rows (phi >= 0.5, the table's ``rare`` column) are about 17%.

1. ``SMOGN(undersample=False).fit_resample`` (relevance, bins, within-bin neighbours, safe
   distances, generation) against ``SMOTE.fit_resample`` on the same rows with the rare ones as
   the minority class, asked to grow exactly as many rows (issue 14's target: within 2x).
   Interleaved, the median of ``--reps`` runs each.
2. SMOGN's generation against the same rule written as the Python package ``smogn`` writes it: a
   loop over the new rows reading the seed and the neighbour row by row from a pandas DataFrame
   (``.iloc``). The loop gets the same draws (seeds, neighbours, gaps, noise scales) and the same
   random stream for the noise, and its rows are checked equal to smotekit's, so the two compute
   the same thing. It is timed on ``--loop-rows`` new rows and extrapolated linearly to all of
   them, and it is given the neighbours and the column standard deviations ready-made (``smogn``
   also computes its distance matrix with a Python double loop, and each column's deviation per
   noisy row), so its ratio to SMOGN's whole ``fit_resample`` is a lower bound on the speed-up.

Timings under load are noisy: read the ratios; the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

import numpy as np
from bench_smote import fmt_s, interleaved, print_table
from datakinds import KINDS, make_data

from smotekit import SMOTE
from smotekit.regression import SMOGN
from smotekit.regression._base import bin_neighbors
from smotekit.regression._rules import BinDraws, bin_safe_radius, generate_bin, smogn_draws


def regression_data(kind: str, n_rows: int, d: int, seed: int = 0) -> tuple[Any, Any]:
    """``n_rows`` rows of one kind of data and a skewed target (rare values in the upper tail)."""
    n_minority = -(-n_rows // 11)  # make_data makes 11 rows per minority row
    X = make_data(kind, n_minority, d, ratio=10, seed=seed)[0][:n_rows]
    rng = np.random.default_rng(seed + 1)
    z = X @ rng.normal(size=d)
    z = (z - z.mean()) / z.std()
    return np.ascontiguousarray(X), np.exp(z + 0.3 * rng.normal(size=n_rows))


def per_row_loop(frame: Any, target: str, draws: BinDraws, sd: Any, seed: int) -> Any:
    """The rows of ``draws`` one at a time, each read from ``frame`` with ``.iloc``, as smogn."""
    features = [c for c in frame.columns if c != target]
    plan, noise = draws.plan, draws.noise
    rng = np.random.RandomState(seed)
    out = np.empty((len(plan), len(features) + 1))
    sd_x, sd_y = sd[features].to_numpy(), float(sd[target])
    for i in range(len(plan)):
        base = frame.iloc[plan.base[i]]
        if plan.neighbor[i] >= 0:
            partner = frame.iloc[plan.neighbor[i]]
            x = base[features] + plan.gap[i] * (partner[features] - base[features])
            # the inverse-distance weighted target; the plain mean where the two cases coincide
            gap = plan.gap[i] if draws.partner_distance[i] > 0 else 0.5
            y = base[target] + gap * (partner[target] - base[target])
        else:
            z = rng.normal(size=len(features) + 1)
            x = base[features] + z[:-1] * noise[i] * sd_x
            y = base[target] + z[-1] * noise[i] * sd_y
        out[i, :-1] = x.to_numpy()
        out[i, -1] = y
    return out


def loop_against_kernel(
    X: Any, y: Any, sampler: Any, n_rows: int, reps: int
) -> tuple[float, float]:
    """Seconds per new row of the per-row loop and of smotekit's generation (the largest rare
    bin, ``n_rows`` new rows, same draws), after checking that both give the same rows."""
    import pandas as pd

    bins = sampler.bins_
    b = max(np.flatnonzero(bins.rare), key=lambda i: bins.sizes[i])
    rows = bins.rows(b)
    X_bin, y_bin = X[rows], y[rows]
    neighbors, distances = bin_neighbors(sampler.nn_k_, 5, X_bin, "the largest rare bin")
    draws = smogn_draws(
        np.random.RandomState(0), neighbors, distances, n_rows, radius=bin_safe_radius(X_bin)
    )
    frame = pd.DataFrame(X_bin, columns=[f"x{j}" for j in range(X.shape[1])])
    frame["y"] = y_bin
    sd = frame.std(ddof=1)
    loop = per_row_loop(frame, "y", draws, sd, seed=1)
    X_new, y_new = generate_bin(np.random.RandomState(1), X_bin, y_bin, draws)
    np.testing.assert_allclose(loop, np.c_[X_new, y_new], rtol=1e-9, atol=1e-12)
    t_loop, t_kernel = interleaved(
        lambda: per_row_loop(frame, "y", draws, sd, seed=1),
        lambda: generate_bin(np.random.RandomState(1), X_bin, y_bin, draws),
        reps,
    )
    return t_loop / n_rows, t_kernel / n_rows


def measure(kind: str, n_rows: int, d: int, loop_rows: int, reps: int) -> tuple[list, list]:
    """One kind of data: the row of each table."""
    X, y = regression_data(kind, n_rows, d)
    sampler = SMOGN(undersample=False, random_state=0)
    sampler.fit_resample(X, y)
    n_new = len(sampler.provenance_)
    rare = np.concatenate([sampler.bins_.rows(b) for b in np.flatnonzero(sampler.bins_.rare)])
    labels = np.zeros(len(y), dtype=np.int64)
    labels[rare] = 1
    smote = SMOTE(sampling_strategy={1: rare.size + n_new}, random_state=0)
    assert len(smote.fit_resample(X, labels)[1]) - len(y) == n_new
    t_smogn, t_smote = interleaved(
        lambda: sampler.fit_resample(X, y), lambda: smote.fit_resample(X, labels), reps
    )
    interpolated = float((sampler.provenance_["neighbor"] >= 0).mean())
    speed = [
        kind,
        f"{len(y):,} x {d}",
        f"{rare.size:,}",
        f"{n_new:,}",
        f"{interpolated:.0%}",
        fmt_s(t_smogn),
        fmt_s(t_smote),
        f"{t_smogn / t_smote:.2f}",
    ]
    per_loop, per_kernel = loop_against_kernel(X, y, sampler, loop_rows, reps)
    loop_total = per_loop * n_new
    loop = [
        kind,
        f"{per_loop * 1e6:.0f}",
        f"{per_kernel * 1e6:.2f}",
        f"{per_loop / per_kernel:,.0f}",
        fmt_s(loop_total),
        fmt_s(t_smogn),
        f"{loop_total / t_smogn:,.0f}",
    ]
    return speed, loop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--reps", type=int, default=3, help="timed runs of each (median)")
    parser.add_argument("--loop-rows", type=int, default=2_000, help="new rows of the loop")
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    reps = max(3, args.reps)
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    speed, loop = [], []
    for kind in args.kinds.split(","):
        row_speed, row_loop = measure(kind, args.rows, args.features, args.loop_rows, reps)
        speed.append(row_speed)
        loop.append(row_loop)
    print(
        f"\nSMOGN (undersample=False, 'balance') against SMOTE growing the same rows, median of "
        f"{reps}, interleaved:"
    )
    print_table(
        [
            "data",
            "rows x features",
            "rare",
            "new rows",
            "interpolated",
            "SMOGN s",
            "SMOTE s",
            "SMOGN / SMOTE",
        ],
        speed,
    )
    print(
        f"\nSMOGN's rule as a per-row pandas loop (smogn's way), {args.loop_rows:,} new rows of "
        "the largest rare bin, checked equal to smotekit's rows; whole = loop extrapolated to all "
        "new rows, against SMOGN's whole fit_resample:"
    )
    print_table(
        [
            "data",
            "loop µs/row",
            "smotekit µs/row",
            "loop / smotekit",
            "loop, all rows s",
            "SMOGN s",
            "loop / SMOGN",
        ],
        loop,
    )
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""How the exact search picks its method: a probe of the rows at hand, or a shape model.

Which exact method is fastest depends on the data, not only on its shape: a kd-tree prunes well
on clustered rows or rows of low intrinsic dimension (what real feature tables are), and hardly
at all on isotropic Gaussian rows with many features, where a brute-force scan wins. So, from
``PROBE_MIN_ROWS`` rows on, :class:`~smotekit.neighbors.ExactNeighbors` measures both on a
random sample of its own rows (:class:`ProbeTimes`), extrapolates each to a self-query of every
row (:func:`estimates_from_probe`) and keeps the cheaper (:func:`pick_method`). Below that size
both take milliseconds and the shape model (:func:`choose_method`) decides without measuring.
The scan's cost does not depend on the rows, only on their shape, so the shape model predicts
it, and it is timed only where the decision is close.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import numpy as np

__all__ = [
    "PROBE_MIN_ROWS",
    "ProbeTimes",
    "brute_needs_timing",
    "brute_prediction",
    "brute_probe_queries",
    "choose_method",
    "estimates_from_probe",
    "pick_method",
    "predicted_seconds",
    "tree_estimate",
    "tree_given_up",
]

logger = logging.getLogger("smotekit.neighbors")

# From this many indexed rows on, the method is chosen by a probe of the data; below it the
# shape model decides (both methods take a millisecond or two: measuring would cost as much).
PROBE_MIN_ROWS = 1024
# The probe times the kd-tree (whose cost varies with the data) on a random sample of the rows
# as queries: TREE_PROBE_FRACTION of them, TREE_PROBE_MIN to TREE_PROBE_MAX, in batches of
# PROBE_BATCH, stopping early once its projected cost is PROBE_GIVE_UP times brute force's.
# Brute force costs the same on any rows of a shape, so the shape model predicts it; only when
# the two are within PROBE_CLOSE of each other, and the search is long enough to matter
# (PROBE_MIN_SECONDS), is the scan timed too (:func:`brute_probe_queries` says on how many rows).
# The probe so costs a few percent of the search where one method clearly wins.
TREE_PROBE_FRACTION = 1 / 16
TREE_PROBE_MIN = 32
TREE_PROBE_MAX = 512
PROBE_BATCH = 128
PROBE_GIVE_UP = 4.0
# The tree's batches start at PROBE_FIRST_BATCH queries and double up to PROBE_BATCH, and it may
# be given up before PROBE_BATCH queries once it has taken PROBE_EARLY_SHARE of the scan's
# predicted time: on Gaussian rows with many features one batch of 128 tree queries took half as
# long as faiss's whole scan (10,000 x 100: 0.1 s against 0.2 s), the probe's main cost there.
# The time floor keeps a pre-empted batch of fast queries from giving up a tree that wins.
PROBE_FIRST_BATCH = 16
PROBE_EARLY_SHARE = 0.05
PROBE_CLOSE = 3.0
PROBE_MIN_SECONDS = 0.05
BRUTE_PROBE_QUERIES = 128
# No probe where the shape model, calibrated on isotropic Gaussian rows (the tree's worst case),
# already has the tree TREE_CLEAR_WIN times faster than the scan (2 to 4 features, say): on real,
# clustered rows the tree only gains, and the probe would cost a quarter of a small search.
TREE_CLEAR_WIN = 8.0
# A whole scan runs about twice as fast per query as the probe's 128 queries (faiss and BLAS
# both fill their matrix products better with thousands of queries per block): full / probe
# seconds per query measured 0.44 to 0.63 at 20,000 x 20 and 50,000 x 10 and x 40 on 2 cores.
BRUTE_PROBE_EFFICIENCY = 0.5
# But faiss (1.15) scans a batch of queries with its blocked matrix product only from about
# 130,000 query values (queries x features) on, and below that one query at a time, 5x to 7x
# slower per query at 100 features (1 thread, 10,000 rows: 13.4 ns per distance for 128 or 1,024
# queries, 2.0 for 2,048 or more; at 20 features the switch is between 4,096 and 8,192 queries).
# 128 probe queries at 100 features so priced the scan at 0.44 s where it took 0.25 s, and the
# manifold's kd-tree (0.36 s) won the choice. So the probe times BRUTE_PROBE_VALUES query values
# where that is at most BRUTE_PROBE_SHARE of the rows: the whole scan's regime, where a batch's
# rate is BRUTE_BATCH_EFFICIENCY of the whole scan's (0.6 to 0.86 measured at 10,000 x 100).
# The probe runs when the index is fitted, before the number of queries is known, and samplers
# often ask far fewer rows than they index (a class's rows against all rows): a probe of 15,000
# queries at 110,000 x 10 cost more than Borderline-SMOTE's whole search of 10,000 (3.5 s against
# 1.8 s). So the larger probe is also capped at BRUTE_PROBE_MAX_QUERIES (from ~74 features on).
BRUTE_PROBE_VALUES = 150_000
BRUTE_PROBE_SHARE = 1 / 6
BRUTE_PROBE_MAX_QUERIES = 2_048
BRUTE_BATCH_EFFICIENCY = 0.7

# The shape model, for data below PROBE_MIN_ROWS and for ``choose_method``: seconds of one
# self-query (every row's 7 nearest rows, both cores, standard normal rows) at 10,000, 40,000 and
# 100,000 rows on the idle 2-core development machine (benchmarks/bench_neighbors.py). Between
# those sizes each method's time is interpolated on a log-log scale, and beyond them extrapolated
# along the nearest segment; between the measured feature counts the kd-tree's time is
# interpolated on a log-log scale too. Isotropic Gaussian rows are the tree's worst case, so the
# model leans to brute force; the probe corrects that on real data.
CALIBRATION_ROWS = (10_000, 40_000, 100_000)
CALIBRATION_WORKERS = 2
KD_TREE_SECONDS = {
    2: (0.023, 0.100, 0.345),
    3: (0.021, 0.135, 0.650),
    4: (0.041, 0.223, 1.409),
    5: (0.072, 0.352, 2.810),
    6: (0.115, 0.534, 5.403),
    7: (0.189, 2.325, 9.373),
    # 40,000 x 8 took 3.91 s and 1.61 s, 100,000 x 10 32.4 s and 70.9 s in two idle runs: from
    # 8 features on the tree's time varies that much between runs; the geometric means.
    8: (0.282, 2.512, 17.97),
    10: (0.606, 6.968, 47.9),
}
# Brute force hardly depends on the features up to 100 (the top-k scan, not the product,
# dominates). BLAS at 100,000 rows is extrapolated as n^2 from 40,000 (faiss measured n^2 there).
BRUTE_SECONDS = {"faiss": (0.40, 3.40, 21.0), "blas": (0.60, 8.50, 53.1)}
# From this many features on the shape model always picks brute force (at 12, 15 and 20 Gaussian
# features it was 3x, 6x and 22x faster than the tree at 40,000 rows).
BRUTE_MIN_FEATURES = 11


@dataclass(frozen=True)
class ProbeTimes:
    """Seconds measured by a probe, with a sample of the indexed rows as queries.

    ``brute_queries == 0`` means the scan was not timed: the shape model predicts it.
    """

    tree_build: float
    tree_queries: int
    tree_seconds: float
    brute_build: float = 0.0
    brute_queries: int = 0
    brute_seconds: float = 0.0

    @property
    def total(self) -> float:
        """What the probe itself cost."""
        return self.brute_build + self.brute_seconds + self.tree_build + self.tree_seconds


def tree_estimate(n_queries: int, times: ProbeTimes, workers: int = 1) -> float:
    """Seconds the kd-tree is expected to take for ``n_queries`` queries on ``workers`` threads.

    The probe runs on one thread (a batch of 128 queries is too short to time threads starting
    on a busy machine); both methods split their queries evenly among threads.
    """
    per_query = times.tree_seconds / max(times.tree_queries, 1)
    return times.tree_build + per_query * n_queries / workers


def brute_prediction(n_queries: int, n_features: int, workers: int = 1) -> float:
    """The shape model's seconds for a scan on ``workers`` threads (it was measured on 2)."""
    return predicted_seconds("brute", n_queries, n_features) * CALIBRATION_WORKERS / workers


def estimates_from_probe(
    n_queries: int, n_features: int, times: ProbeTimes, workers: int = 1
) -> dict[str, float]:
    """Seconds each method is expected to take for ``n_queries`` queries (building included).

    Examples
    --------
    >>> times = ProbeTimes(0.02, 100, 0.05, 0.01, 100, 0.5)
    >>> {k: round(v, 2) for k, v in estimates_from_probe(10_000, 8, times).items()}
    {'kd_tree': 5.02, 'brute': 25.01}
    >>> {k: round(v, 2) for k, v in estimates_from_probe(10_000, 8, times, workers=2).items()}
    {'kd_tree': 2.52, 'brute': 12.51}
    """
    if times.brute_queries:
        blocked = times.brute_queries * n_features >= BRUTE_PROBE_VALUES
        efficiency = BRUTE_BATCH_EFFICIENCY if blocked else BRUTE_PROBE_EFFICIENCY
        per_query = efficiency * times.brute_seconds / times.brute_queries
        brute = times.brute_build + per_query * n_queries / workers
    else:
        brute = brute_prediction(n_queries, n_features, workers)
    return {"kd_tree": tree_estimate(n_queries, times, workers), "brute": brute}


def brute_probe_queries(n_samples: int, n_features: int) -> int:
    """How many of the rows the probe times the scan on (see :data:`BRUTE_PROBE_VALUES`).

    Enough for faiss's blocked scan where that is at most a sixth of the rows and at most
    :data:`BRUTE_PROBE_MAX_QUERIES`, else :data:`BRUTE_PROBE_QUERIES` (at most an eighth of the
    rows).

    Examples
    --------
    >>> brute_probe_queries(10_000, 100), brute_probe_queries(10_000, 20)
    (1500, 128)
    >>> brute_probe_queries(110_000, 10)  # 15,000 queries would cost more than many searches
    128
    """
    blocked = -(-BRUTE_PROBE_VALUES // max(n_features, 1))
    if blocked <= min(n_samples * BRUTE_PROBE_SHARE, BRUTE_PROBE_MAX_QUERIES):
        return blocked
    return min(BRUTE_PROBE_QUERIES, n_samples // 8)


def tree_given_up(n_queries: int, times: ProbeTimes, brute_seconds: float, workers: int) -> bool:
    """Whether the tree probed so far is clearly slower than the scan's ``brute_seconds``.

    Examples
    --------
    >>> slow = ProbeTimes(0.01, 16, 0.016)  # 1 ms per query: 10 s for 10,000
    >>> tree_given_up(10_000, slow, 0.2, 1)
    True
    >>> tree_given_up(10_000, ProbeTimes(0.0, 16, 0.0016), 0.1, 1)  # too short a probe yet
    False
    """
    if tree_estimate(n_queries, times, workers) <= PROBE_GIVE_UP * brute_seconds:
        return False
    return times.tree_queries >= PROBE_BATCH or times.tree_seconds >= (
        PROBE_EARLY_SHARE * brute_seconds
    )


def brute_needs_timing(tree_seconds: float, brute_seconds: float) -> bool:
    """Whether the tree's measured and the scan's predicted costs are too close to call."""
    close = max(tree_seconds, brute_seconds) < PROBE_CLOSE * min(tree_seconds, brute_seconds)
    return close and min(tree_seconds, brute_seconds) >= PROBE_MIN_SECONDS


def pick_method(estimates: dict[str, float]) -> str:
    """The method with the smallest estimate (the kd-tree on a tie: it needs less memory).

    Examples
    --------
    >>> pick_method({"kd_tree": 1.4, "brute": 41.5})
    'kd_tree'
    """
    return min(sorted(estimates, key=lambda m: m != "kd_tree"), key=estimates.__getitem__)


def choose_method(n_samples: int, n_features: int, *, sparse_input: bool = False) -> str:
    """The method the shape model predicts faster for data of this shape (no data looked at).

    :class:`~smotekit.neighbors.ExactNeighbors` uses it below ``PROBE_MIN_ROWS`` rows and where
    the tree wins clearly on the shape alone (``tree_clearly_wins``); elsewhere it measures
    both methods on the data instead (``method_estimates_``).

    Examples
    --------
    >>> choose_method(100_000, 2), choose_method(100_000, 100)
    ('kd_tree', 'brute')
    >>> choose_method(1_000_000, 5)
    'kd_tree'
    """
    if sparse_input:
        return "sklearn"
    if n_features >= BRUTE_MIN_FEATURES:
        return "brute"
    # Below the smallest calibration size both take milliseconds and the extrapolation is
    # unreliable: decide as at that size.
    n = max(n_samples, CALIBRATION_ROWS[0])
    kd = predicted_seconds("kd_tree", n, n_features)
    brute = predicted_seconds("brute", n, n_features)
    return "kd_tree" if kd <= brute else "brute"


def predicted_seconds(method: str, n_samples: int, n_features: int) -> float:
    """Seconds of one self-query of ``n_samples`` Gaussian rows predicted by the shape model.

    Examples
    --------
    >>> round(predicted_seconds("kd_tree", 40_000, 10), 3)
    6.968
    """
    if method == "kd_tree":
        dims = np.log(list(KD_TREE_SECONDS))
        table = np.log(np.array(list(KD_TREE_SECONDS.values())))
        x = np.log(min(max(n_features, 2), max(KD_TREE_SECONDS)))
        log_seconds = np.array([np.interp(x, dims, column) for column in table.T])
    else:
        log_seconds = np.log(BRUTE_SECONDS["faiss" if has_faiss() else "blas"])
    log_rows = np.log(CALIBRATION_ROWS)
    x = np.log(max(n_samples, 2))
    # The segment that holds x, or the nearest end segment: linear on a log-log scale.
    i = int(np.clip(np.searchsorted(log_rows, x) - 1, 0, len(log_rows) - 2))
    slope = (log_seconds[i + 1] - log_seconds[i]) / (log_rows[i + 1] - log_rows[i])
    return float(np.exp(log_seconds[i] + slope * (x - log_rows[i])))


def tree_clearly_wins(n_samples: int, n_features: int) -> bool:
    """Whether the kd-tree wins by :data:`TREE_CLEAR_WIN` even on Gaussian rows of this shape.

    Examples
    --------
    >>> tree_clearly_wins(10_000, 2), tree_clearly_wins(10_000, 10)
    (True, False)
    """
    tree = predicted_seconds("kd_tree", n_samples, n_features)
    return tree * TREE_CLEAR_WIN <= predicted_seconds("brute", n_samples, n_features)


@functools.cache
def has_faiss() -> bool:
    """Whether faiss (extra "approx") is installed, without importing it."""
    import importlib.util

    return importlib.util.find_spec("faiss") is not None

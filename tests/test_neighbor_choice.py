"""The exact search's data-aware choice, scale-aware distances, pickling and thread limits."""

from __future__ import annotations

import copy
import io
import logging
import pickle
import sys
import types
import warnings

import joblib
import numpy as np
import pytest
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

import smotekit
from smotekit import _threads
from smotekit.neighbors import (
    ExactNeighbors,
    ProbeTimes,
    _choice,
    _exact,
    estimates_from_probe,
    pick_method,
)

# Probe results measured on 2 cores (20,000 rows, self-query with 7 neighbours; seconds for
# the queries probed), the kinds of data where each method must win.
MEASURED = {
    # Isotropic Gaussian, 20 features: the tree visits most leaves; brute force ~5x faster.
    "gaussian_20d": ProbeTimes(0.01, 128, 0.230, 0.02, 128, 0.075),
    # A 3-D manifold embedded in 20 features: the tree prunes; ~13x faster than brute force.
    "manifold_20d": ProbeTimes(0.01, 512, 0.020, 0.02, 128, 0.043),
}


def manifold(n, d, seed=0):
    rng = np.random.default_rng(seed)
    latent = rng.uniform(-1, 1, size=(n, 3))
    return np.sin(latent @ rng.normal(size=(3, d)) + rng.uniform(0, 6, size=d))


# -- the choice ----------------------------------------------------------------------------------
def test_pick_method_takes_the_cheaper_estimate():
    gaussian = estimates_from_probe(20_000, 20, MEASURED["gaussian_20d"])
    clustered = estimates_from_probe(20_000, 20, MEASURED["manifold_20d"])
    assert pick_method(gaussian) == "brute"
    assert pick_method(clustered) == "kd_tree"
    assert pick_method({"kd_tree": 1.0, "brute": 1.0}) == "kd_tree"


@pytest.mark.parametrize(
    ("kind", "expected"), [("gaussian_20d", "brute"), ("manifold_20d", "kd_tree")]
)
def test_fit_uses_the_probe_and_exposes_its_estimates(monkeypatch, caplog, kind, expected):
    X = np.random.default_rng(1).normal(size=(PROBE_ROWS := _choice.PROBE_MIN_ROWS + 100, 20))
    monkeypatch.setattr(ExactNeighbors, "_probe", lambda self, k, workers: MEASURED[kind])
    with caplog.at_level(logging.DEBUG, logger="smotekit.neighbors"):
        nn = ExactNeighbors(6).fit(X)
    assert nn.method_ == expected
    workers = 1  # fewer rows than a parallel search needs
    assert nn.method_estimates_ == estimates_from_probe(PROBE_ROWS, 20, MEASURED[kind], workers)
    assert f"{expected} (estimated seconds" in caplog.text
    # Whatever was chosen, the neighbours are the forced methods' (and scikit-learn's).
    _, ind = nn.kneighbors(X[:300])
    for method in ("kd_tree", "brute"):
        forced = ExactNeighbors(6, algorithm=method).fit(X).kneighbors(X[:300])[1]
        np.testing.assert_array_equal(ind, forced)
    ref = NearestNeighbors(n_neighbors=6, algorithm="brute").fit(X).kneighbors(X[:300])[1]
    np.testing.assert_array_equal(ind, ref)


def test_the_real_probe_estimates_both_methods_and_frees_the_other():
    X = manifold(_choice.PROBE_MIN_ROWS + 500, 12)
    nn = ExactNeighbors(6).fit(X)
    assert set(nn.method_estimates_) == {"kd_tree", "brute"}
    assert all(s > 0 for s in nn.method_estimates_.values())
    assert (nn._tree is None) == (nn.method_ == "brute")
    assert (nn._flat is None and nn._sq_norms is None) == (nn.method_ == "kd_tree")
    ref = NearestNeighbors(n_neighbors=6, algorithm="brute").fit(X).kneighbors()[1]
    np.testing.assert_array_equal(nn.kneighbors(return_distance=False), ref)


def test_probe_stops_timing_a_tree_that_is_clearly_slower(monkeypatch):
    X = np.random.default_rng(2).normal(size=(20_000, 5))
    ticks = iter(np.arange(0.0, 1e6, 1.0))  # every timed step "takes" one second
    monkeypatch.setattr(_exact.time, "perf_counter", lambda: next(ticks))
    probes = []
    real = _exact.estimates_from_probe
    monkeypatch.setattr(
        _exact, "estimates_from_probe", lambda n, d, t, w: probes.append(t) or real(n, d, t, w)
    )
    assert ExactNeighbors(6).fit(X).method_ == "brute"
    (times,) = probes
    # The first, small tree batch (1 s for 16 queries) projects far beyond the scan's predicted
    # cost and took more than its early share of it, so neither more tree queries nor a timed
    # scan are needed (128 queries were timed before the batches grew from 16).
    assert times.tree_queries == _choice.PROBE_FIRST_BATCH
    assert times.brute_queries == 0


def test_a_short_slow_looking_tree_probe_is_not_given_up_before_a_full_batch():
    # 16 queries in 1 ms project to 0.625 s for 10,000, 10x the scan's 0.06 s, but 1 ms is under
    # the early share of the scan (a pre-empted batch of fast queries looks like that).
    short = _choice.ProbeTimes(0.0, 16, 0.001)
    assert not _choice.tree_given_up(10_000, short, 0.06, 1)
    full = _choice.ProbeTimes(0.0, _choice.PROBE_BATCH, 0.008)
    assert _choice.tree_given_up(10_000, full, 0.06, 1)
    assert not _choice.tree_given_up(10_000, full, 1.0, 1)  # not clearly slower


def test_a_scan_probe_in_faiss_blocked_regime_is_extrapolated_as_it_runs():
    # Measured at 10,000 x 100 on a 3-D manifold, 1 thread: the tree 40 us per query; the scan
    # 137 us per query for 128 queries (faiss scans those one at a time), 34 us for 1,500
    # (blocked, as the whole scan runs: 25 us per query). 128 queries priced the scan above the
    # tree; the blocked batch prices it right.
    assert _choice.brute_probe_queries(10_000, 100) * 100 >= _choice.BRUTE_PROBE_VALUES
    tree = (0.01, 512, 512 * 40e-6, 0.01)
    few = estimates_from_probe(10_000, 100, ProbeTimes(*tree, 128, 128 * 137e-6), workers=2)
    blocked = estimates_from_probe(10_000, 100, ProbeTimes(*tree, 1500, 1500 * 34e-6), workers=2)
    assert pick_method(few) == "kd_tree"
    assert pick_method(blocked) == "brute"
    assert blocked["brute"] < 10_000 * 30e-6 / 2 + 0.01


def test_the_scan_probe_stays_small_where_the_blocked_regime_needs_too_many_rows():
    # At 20 features faiss needs 7,500 queries to block: more than a sixth of 10,000 rows.
    assert _choice.brute_probe_queries(10_000, 20) == _choice.BRUTE_PROBE_QUERIES
    assert _choice.brute_probe_queries(800, 20) == 800 // 8
    # At 10 features 15,000 queries would block, but the probe would cost more than a class's
    # whole search against 100,000 rows: the small probe.
    assert _choice.brute_probe_queries(100_000, 10) == _choice.BRUTE_PROBE_QUERIES
    assert _choice.brute_probe_queries(100_000, 100) == 1_500


def test_close_calls_time_the_scan_too():
    assert _choice.brute_needs_timing(1.0, 2.0)
    assert not _choice.brute_needs_timing(1.0, 4.0)
    assert not _choice.brute_needs_timing(0.01, 0.02)  # too short to matter


def test_small_data_is_not_probed(monkeypatch):
    def fail(*args):
        raise AssertionError("probed")

    monkeypatch.setattr(ExactNeighbors, "_probe", fail)
    X = np.random.default_rng(3).normal(size=(50, 2))  # the tutorial's minority class
    nn = ExactNeighbors(6).fit(X)
    assert nn.method_ == "kd_tree"
    assert set(nn.method_estimates_) == {"kd_tree", "brute"}
    assert ExactNeighbors(6, algorithm="brute").fit(X).method_estimates_ == {}


def test_few_features_are_not_probed_where_the_tree_wins_even_on_gaussians(monkeypatch):
    probed = []
    real = ExactNeighbors._probe
    monkeypatch.setattr(
        ExactNeighbors, "_probe", lambda self, k, w: probed.append(k) or real(self, k, w)
    )
    rng = np.random.default_rng(4)
    nn = ExactNeighbors(6).fit(rng.normal(size=(10_000, 2)))
    assert (nn.method_, probed) == ("kd_tree", [])
    assert nn.method_estimates_["kd_tree"] * _choice.TREE_CLEAR_WIN <= nn.method_estimates_["brute"]
    ExactNeighbors(6).fit(rng.normal(size=(10_000, 10)))  # a close call on the shape: measured
    assert probed == [7]


# -- ties: dense and sparse alike ------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_a_tie_reaching_past_the_shortlist_is_ordered_by_index(algorithm):
    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal(size=(40, 3)) + 5.0, np.zeros((20, 3))])
    X = X[rng.permutation(X.shape[0])]
    zeros = np.flatnonzero((X == 0).all(axis=1))
    query = np.array([[0.1, 0.0, 0.0]])  # 20 rows tie as its nearest, 6 are asked for
    for data, q in ((X, query), (sparse.csr_matrix(X), sparse.csr_matrix(query))):
        ind = ExactNeighbors(6, algorithm=algorithm).fit(data).kneighbors(q, return_distance=False)
        np.testing.assert_array_equal(ind[0], zeros[:6])


def a6_data():
    """HARD-INPUTS A6: continuous rows and 11 all-zero rows shared by both classes."""
    rng = np.random.RandomState(24)
    for options in ([2, 3, 5, 10], [20, 30, 50], [100, 150, 200]):
        rng.choice(options)  # the draws before the case was found
    X = rng.normal(size=(150, 5))
    X[rng.choice(150, 11, replace=False)] = 0
    return X, np.r_[np.zeros(130, int), np.ones(20, int)]


@pytest.mark.parametrize("name", ["BorderlineSMOTE", "SVMSMOTE"])
def test_dense_and_csr_give_the_same_rows_with_duplicate_rows(name):
    X, y = a6_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = getattr(smotekit, name)(random_state=0).fit_resample(X, y)[0]
        csr = getattr(smotekit, name)(random_state=0).fit_resample(sparse.csr_matrix(X), y)[0]
    np.testing.assert_array_equal(dense, csr.toarray())


# -- scale -------------------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
@pytest.mark.parametrize("exponent", [600, -600])
def test_huge_and_tiny_values_keep_their_neighbours(algorithm, exponent):
    X = np.random.default_rng(5).normal(size=(300, 9))
    scale = 2.0**exponent
    ours = ExactNeighbors(6, algorithm=algorithm).fit(X * scale).kneighbors()
    ref = ExactNeighbors(6, algorithm=algorithm).fit(X).kneighbors()
    np.testing.assert_array_equal(ours[1], ref[1])
    np.testing.assert_array_equal(ours[0], ref[0] * scale)
    assert np.isfinite(ours[0]).all()


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_subnormal_values_keep_their_neighbours(algorithm):
    # The scale that brings subnormal data into range, 2^1040 here, is itself beyond float64.
    X = np.random.default_rng(7).normal(size=(200, 3))
    ours = ExactNeighbors(4, algorithm=algorithm).fit(np.ldexp(X, -1040)).kneighbors()
    ref = ExactNeighbors(4, algorithm=algorithm).fit(np.ldexp(X, -1000)).kneighbors()
    np.testing.assert_array_equal(ours[1], ref[1])


def test_samplers_accept_values_near_the_float64_limit():
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(size=(20, 2)), rng.normal(size=(8, 2)) + 1] * 1e200
    y = np.r_[np.zeros(20, int), np.ones(8, int)]
    for name in ("SMOTE", "BorderlineSMOTE", "ADASYN", "ProWSyn"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            X_res, _ = getattr(smotekit, name)(random_state=0).fit_resample(X, y)
        assert np.isfinite(X_res).all(), name
    assert np.isfinite(smotekit.smote(X[20:], k=3, num_samples=10, random_state=0)).all()
    from smotekit import tutorial

    assert np.isfinite(tutorial.SMOTE(X[20:].T, 3, 0.5, 10, random_state=0)).all()


# -- pickling ------------------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_fitted_exact_neighbors_pickle_and_deepcopy(algorithm):
    X = np.random.default_rng(6).normal(size=(400, 12))
    nn = ExactNeighbors(6, algorithm=algorithm).fit(X)
    expected = nn.kneighbors(X[:20])
    for clone in (pickle.loads(pickle.dumps(nn)), copy.deepcopy(nn)):
        got = clone.kneighbors(X[:20])
        np.testing.assert_array_equal(got[1], expected[1])
        np.testing.assert_array_equal(got[0], expected[0])


@pytest.mark.parametrize(
    "name", ["SMOTE", "BorderlineSMOTE", "SVMSMOTE", "ADASYN", "KMeansSMOTE", "ProWSyn"]
)
def test_fitted_samplers_pickle_with_many_features(name):
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(size=(50, 9)), rng.normal(size=(20, 9)) + 1.5]
    y = np.r_[np.zeros(50, int), np.ones(20, int)]
    params = {"cluster_balance_threshold": 0.0} if name == "KMeansSMOTE" else {}
    sampler = getattr(smotekit, name)(random_state=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler.fit_resample(X, y)
    pickle.loads(pickle.dumps(sampler))
    copy.deepcopy(sampler)
    joblib.dump(sampler, io.BytesIO())


# -- threads -------------------------------------------------------------------------------------
def test_worker_count_honours_every_limit(monkeypatch):
    from threadpoolctl import threadpool_limits

    monkeypatch.setattr(_threads.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    for name in _threads._THREAD_LIMIT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_threads, "_threadpool_limit", lambda: None)
    assert _threads.worker_count() == 4
    assert _threads.worker_count(2) == 2
    assert _threads.worker_count(-2) == 3
    assert _threads.worker_count(64) == 4
    with joblib.parallel_config(n_jobs=1):
        assert _threads.worker_count() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # what loky sets in each worker
    assert _threads.worker_count() == 1
    monkeypatch.delenv("OMP_NUM_THREADS")
    monkeypatch.undo()
    unlimited = _threads.worker_count()  # finds the thread pools once; counts are read live
    with threadpool_limits(limits=1):
        assert _threads.worker_count() == 1
    assert _threads.worker_count() == unlimited


def test_the_thread_pools_are_found_again_after_an_import(monkeypatch):
    controller = _threads.threadpool_controller()
    assert _threads.threadpool_controller() is controller
    monkeypatch.setitem(sys.modules, "a_module_with_its_own_pool", types.ModuleType("pool"))
    assert _threads.threadpool_controller() is not controller


def _squares_on_two_threads() -> None:
    out = [0] * 4

    def square(i: int) -> None:
        out[i] = i * i

    _threads.run_blocks(square, range(4), workers=2)
    sys.exit(0 if out == [0, 1, 4, 9] else 1)


def test_block_threads_are_kept_yet_work_inside_a_block_and_after_a_fork():
    import multiprocessing

    seen: list[int] = []
    _threads.run_blocks(lambda i: _threads.run_blocks(seen.append, range(3), 2), range(2), 2)
    assert sorted(seen) == [0, 0, 1, 1, 2, 2]  # the inner loops ran on their callers' threads
    assert _threads._pools[2] is _threads._pool(2)  # kept for the next call
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    child = multiprocessing.get_context("fork").Process(target=_squares_on_two_threads)
    child.start()
    child.join(60)  # the parent's pool threads do not exist in the child: it must make its own
    if child.is_alive():
        child.kill()
    assert child.exitcode == 0


def test_parallel_config_keeps_search_and_generation_on_one_thread(monkeypatch):
    from scipy import spatial

    started = []
    monkeypatch.setattr(_threads, "ThreadPoolExecutor", lambda n: started.append(n))
    workers = []
    original = spatial.cKDTree.query

    class Tree(spatial.cKDTree):
        def query(self, *args, **kwargs):
            workers.append(kwargs.get("workers"))
            return original(self, *args, **kwargs)

    monkeypatch.setattr(spatial, "cKDTree", Tree)
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(size=(9000, 3)), rng.normal(size=(5000, 3)) + 1]
    y = np.r_[np.zeros(9000, int), np.ones(5000, int)]
    with joblib.parallel_config(n_jobs=1):
        smotekit.SMOTE(k_neighbors=ExactNeighbors(6, algorithm="kd_tree")).fit_resample(X, y)
        smotekit.SMOTE().fit_resample(np.hstack([X] * 30), y)  # generation >= 2^18 values
    assert started == []
    assert workers and set(workers) == {1}


def test_fitted_approximate_neighbors_pickle_and_deepcopy():
    from smotekit.neighbors import ApproximateNeighbors

    X = np.random.default_rng(7).normal(size=(500, 10))
    nn = ApproximateNeighbors(6, random_state=0).fit(X)
    expected = nn.kneighbors(X[:20])
    for clone in (pickle.loads(pickle.dumps(nn)), copy.deepcopy(nn)):
        got = clone.kneighbors(X[:20])
        np.testing.assert_array_equal(got[1], expected[1])
        assert clone.recall_ == nn.recall_

"""The engine: a rule stated once runs in memory and blockwise with the same rows.

* the memory executor gives the samplers' rows and provenance exactly (SMOTE,
  Borderline-SMOTE 1 and 2, SMOTE-NC on numeric arrays, ADASYN with its sampler-wide stream);
* the blockwise executor with imbalanced-learn's seeding gives the memory executor's rows for
  any partitioning and block size; with block seeding, the same rows for any partitioning (and
  the Dask path's rows);
* a rule written in this module runs through both with no edit elsewhere.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from helpers import blockwise, split
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn import over_sampling as imblearn_over_sampling
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from smotekit import ADASYN, SMOTE, SMOTENC, BorderlineSMOTE
from smotekit._kernels import SyntheticPlan, concat_plans
from smotekit.engine import (
    Capabilities,
    Chunk,
    ClassJob,
    NeighborQuery,
    PlanPiece,
    Randint,
    SamplerRule,
    Segment,
    Uniform,
    run_blockwise,
    run_in_memory,
    smote_triples,
)
from smotekit.engine._memory import plan_in_memory
from smotekit.engine._streams import DrawIndex, draw_segment, stream_order
from smotekit.neighbors import ExactNeighbors
from smotekit.over_sampling._rules import rule_for

SAMPLERS = {
    "smote": lambda seed: SMOTE(random_state=seed),
    "borderline-1": lambda seed: BorderlineSMOTE(random_state=seed),
    "borderline-2": lambda seed: BorderlineSMOTE(random_state=seed, kind="borderline-2"),
    # columns 1 and 3 hold 4 and 3 categories (see make_data): ties in the vote are common
    "smotenc": lambda seed: SMOTENC(categorical_features=[1, 3], random_state=seed),
    "adasyn": lambda seed: ADASYN(random_state=seed),
    # both rounding cases on make_data(seed=1): a class drawn beyond its count, one topped up
    "adasyn-dict": lambda seed: ADASYN(random_state=seed, sampling_strategy={1: 701, 2: 650}),
}


def make_data(n=900, weights=(0.75, 0.17, 0.08), seed=0, dtype=np.float64):
    """Three classes; columns 1 and 3 are categories (as numbers), the others continuous."""
    X, y = make_classification(
        n_samples=n,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=len(weights),
        n_clusters_per_class=1,
        weights=list(weights),
        class_sep=0.6,
        random_state=seed,
    )
    X[:, 1] = np.digitize(X[:, 1], [-1.0, 0.0, 1.0])
    X[:, 3] = np.digitize(X[:, 3], [-0.5, 0.5])
    return X.astype(dtype), y


@pytest.mark.parametrize("name", SAMPLERS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", [0, "instance"])
def test_memory_executor_gives_todays_rows_and_provenance(name, dtype, seed):
    X, y = make_data(dtype=dtype)
    state = (lambda: np.random.RandomState(7)) if seed == "instance" else (lambda: seed)
    sampler = SAMPLERS[name](state())
    X_ref, y_ref = sampler.fit_resample(X, y)
    X_res, y_res, plans = run_in_memory(
        rule_for(sampler), X, y, sampler.sampling_strategy_, state()
    )
    assert X_res.dtype == X_ref.dtype
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(concat_plans(plans).to_records(), sampler.provenance_)


@pytest.mark.parametrize("name", SAMPLERS)
@pytest.mark.parametrize("cuts", [[], [300, 600], [1, 2, 130, 131, 500, 899]])
@pytest.mark.parametrize("block_rows", [97, 5000])
def test_blockwise_with_imbalanced_learns_seeding_gives_the_memory_rows(name, cuts, block_rows):
    X, y = make_data(seed=1)
    sampler = SAMPLERS[name](3)
    X_ref, y_ref = sampler.fit_resample(X, y)
    X_res, y_res, provenance = blockwise(
        rule_for(sampler), X, y, cuts, random_state=3, block_rows=block_rows,
        sampling_strategy=sampler.sampling_strategy,
    )  # fmt: skip
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(provenance, sampler.provenance_)


@pytest.mark.parametrize("name", ["smote", "borderline-2", "adasyn"])
@pytest.mark.parametrize("rounding", ["nearest", "truncate"])
def test_integer_rounding_reaches_both_executors(name, rounding):
    X, y = make_data(seed=7)
    X = np.rint(X * 1000).astype(np.int32)
    sampler = SAMPLERS[name](1).set_params(integer_rounding=rounding)
    X_ref, _ = sampler.fit_resample(X, y)
    X_mem, _, _ = run_in_memory(
        rule_for(sampler), X, y, sampler.sampling_strategy_, 1, integer_rounding=rounding
    )
    X_blk, _, _ = blockwise(
        rule_for(sampler), X, y, [400], random_state=1, block_rows=97, integer_rounding=rounding
    )
    assert X_mem.dtype == X_blk.dtype == np.int32
    np.testing.assert_array_equal(X_mem, X_ref)
    np.testing.assert_array_equal(X_blk, X_ref)


@settings(max_examples=15, deadline=None)
@given(
    name=st.sampled_from(sorted(set(SAMPLERS) - {"adasyn-dict"})),  # two classes here
    cuts=st.lists(st.integers(0, 300), max_size=6).map(sorted),
    block_rows=st.integers(1, 500),
    seed=st.integers(0, 2**31 - 1),
)
def test_any_partitioning_and_block_size_give_the_memory_rows(name, cuts, block_rows, seed):
    X, y = make_data(n=300, weights=(0.7, 0.3), seed=2)
    sampler = SAMPLERS[name](seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a class may have no row in danger
        X_ref, _ = sampler.fit_resample(X, y)
        X_res, _, _ = blockwise(
            rule_for(sampler), X, y, cuts, random_state=seed, block_rows=block_rows
        )
    np.testing.assert_array_equal(X_res, X_ref)


@pytest.mark.parametrize("name", SAMPLERS)
def test_block_seeding_gives_the_same_rows_for_any_partitioning(name):
    X, y = make_data(seed=4)
    rule = rule_for(SAMPLERS[name](0))
    outputs = [
        blockwise(rule, X, y, cuts, random_state=11, seeding="blocks", block_rows=150)
        for cuts in ([], [450], list(range(100, 900, 128)))
    ]
    for X_res, y_res, provenance in outputs[1:]:
        np.testing.assert_array_equal(X_res, outputs[0][0])
        np.testing.assert_array_equal(y_res, outputs[0][1])
        np.testing.assert_array_equal(provenance, outputs[0][2])


@pytest.mark.parametrize("name", ["smote", "borderline-1", "borderline-2"])
def test_block_seeding_gives_the_dask_paths_rows(name):
    da = pytest.importorskip("dask.array")
    from smotekit.dask import fit_resample

    X, y = make_data(seed=5)
    sampler = SAMPLERS[name](2)
    lazy = fit_resample(
        sampler, da.from_array(X, chunks=(300, 5)), da.from_array(y, chunks=300),
        block_rows=200, return_provenance=True,
    )  # fmt: skip
    X_dask, _, prov_dask = (part.compute(scheduler="sync") for part in lazy)
    X_res, _, provenance = blockwise(
        rule_for(sampler), X, y, [300, 600], random_state=2, seeding="blocks", block_rows=200
    )
    np.testing.assert_array_equal(X_res, X_dask)
    np.testing.assert_array_equal(provenance, prov_dask)


def test_a_class_without_danger_warns_and_grows_nothing_in_both_executors():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(20, 1, (20, 2))])
    y = np.r_[np.zeros(200, int), np.ones(20, int)]
    rule = rule_for(BorderlineSMOTE(random_state=0))
    with pytest.warns(UserWarning, match="class 1 in danger"):
        X_res, _, _ = run_in_memory(rule, X, y, {1: 180}, 0)
    with pytest.warns(UserWarning, match="class 1 in danger"):
        X_blk, _, _ = blockwise(rule, X, y, [100], random_state=0)
    assert X_res.shape == X_blk.shape == X.shape


def test_adasyn_draws_beyond_its_count_and_tops_up_on_one_stream():
    """The blockwise test's data has both of ADASYN's rounding cases, so they are checked."""
    X, y = make_data(seed=1)
    sampler = SAMPLERS["adasyn-dict"](3)
    sampler.fit_resample(X, y)
    _, _, jobs = plan_in_memory(rule_for(sampler), X, y, sampler.sampling_strategy_, 3)
    main, top_up = zip(*(job.segments for job in jobs), strict=True)
    assert any(s.n_drawn > s.count for s in main) and any(s.count > 0 for s in top_up)


def adasyn_by_hand(X, y, strategy, seed, k=5):
    """ADASYN's documented rows: imbalanced-learn's per class on one stream, cut to the count,
    then the top-ups of every class on the same stream (rows rounded down most, in row order)."""
    rng = np.random.RandomState(seed)
    whole = NearestNeighbors(n_neighbors=k + 1).fit(X)
    kept, top_ups = [], []
    for label, n in strategy.items():
        rows_of = np.flatnonzero(y == label)
        ratio = (y[whole.kneighbors(X[rows_of], return_distance=False)[:, 1:]] != label).sum(1)
        share = ratio / ratio.sum() * n
        counts = np.rint(share).astype(int)
        graph = NearestNeighbors(n_neighbors=k + 1).fit(X[rows_of])
        graph = graph.kneighbors(X[rows_of], return_distance=False)[:, 1:]
        base = np.repeat(np.arange(rows_of.size), counts)
        column, gap = rng.choice(k, size=base.size), rng.uniform(size=base.size)
        kept.append((rows_of, graph, base[:n], column[:n], gap[:n]))
        top_ups.append(np.sort(np.argsort(counts - share, kind="stable")[: n - min(n, base.size)]))
    out = []
    for (rows_of, graph, *drawn), extra in zip(kept, top_ups, strict=True):
        parts = [drawn, [extra, rng.choice(k, size=extra.size), rng.uniform(size=extra.size)]]
        base, column, gap = (np.concatenate(p) for p in zip(*parts, strict=True))
        start, end = X[rows_of[base]], X[rows_of[graph[base, column]]]
        out.append(start + gap[:, None] * (end - start))
    return np.vstack([X, *out])


def test_adasyn_gives_its_documented_rows_on_one_stream():
    X, y = make_data(seed=1)
    for name in ("adasyn", "adasyn-dict"):
        sampler = SAMPLERS[name](3)
        X_res, _ = sampler.fit_resample(X, y)
        np.testing.assert_allclose(
            X_res, adasyn_by_hand(X, y, sampler.sampling_strategy_, 3), rtol=1e-12, atol=0
        )


def test_draw_index_of_the_sampler_stream_gives_each_class_its_slices():
    """Two classes on one stream: all main segments (drawn beyond what is kept), then top-ups."""
    variates = (Randint("column", 5), Uniform("gap"))
    segments = [
        [Segment(7, variates, drawn=10, rows=np.arange(7)), Segment(3, variates)],
        [Segment(4, variates, rows=np.arange(4) + 20), Segment(2, variates, rows=np.arange(2))],
    ]
    whole = np.random.RandomState(8)
    expected: list[list[dict]] = [[], []]
    for c, s in stream_order(segments, "sampler"):
        expected[c].append(draw_segment(whole, segments[c][s]))
    for c, index in enumerate(DrawIndex.shared(8, segments, block_rows=3)):
        blocks = [columns for b in range(index.n_blocks) for _, columns in index.draws(b)]
        for name in ("column", "gap", "rows"):
            wanted = [d[name] for d in expected[c] if name in d]
            got = [d[name] for d in blocks if name in d]
            np.testing.assert_array_equal(np.concatenate(got), np.concatenate(wanted))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (SMOTE(random_state=4), imblearn_over_sampling.SMOTE(random_state=4)),
        (
            BorderlineSMOTE(random_state=4, kind="borderline-2"),
            imblearn_over_sampling.BorderlineSMOTE(random_state=4, kind="borderline-2"),
        ),
        (ADASYN(random_state=4), imblearn_over_sampling.ADASYN(random_state=4)),
        (
            SMOTENC([1, 3], random_state=4),
            imblearn_over_sampling.SMOTENC([1, 3], random_state=4),
        ),
    ],
    ids=["smote", "borderline-2", "adasyn", "smotenc"],
)
def test_rule_for_gives_a_samplers_own_rule_and_maps_imbalanced_learns(ours, theirs):
    X, y = make_data(seed=3)
    rule = rule_for(ours)
    assert type(rule) is type(ours._rule())
    X_ref, _ = ours.fit_resample(X, y)
    X_theirs, _, _ = run_in_memory(rule_for(theirs), X, y, ours.sampling_strategy_, 4)
    np.testing.assert_array_equal(X_theirs, X_ref)


def test_estimators_copy_what_their_rule_learnt():
    X, y = make_data(seed=2)
    for sampler in (BorderlineSMOTE(random_state=0), SMOTENC([1, 3], random_state=0)):
        sampler.fit_resample(X, y)
        rule = rule_for(sampler)
        run_in_memory(rule, X, y, sampler.sampling_strategy_, 0)
        learnt = rule.fitted()
        assert learnt["nn_k_"].n_samples_fit_ == sampler.nn_k_.n_samples_fit_
        for name in ("in_danger_indices", "median_std_"):
            if name in learnt:
                mine, theirs = learnt[name], getattr(sampler, name)
                assert mine.keys() == theirs.keys() and mine
                for label in mine:
                    np.testing.assert_array_equal(mine[label], theirs[label])
    adasyn = ADASYN(random_state=0)
    adasyn.fit_resample(X, y)
    assert adasyn.nn_.n_samples_fit_ == np.bincount(y)[-1]  # searched within the last class


# -- a sampler written here, run by both executors with no edit elsewhere ----------------------
class MidpointRule(SamplerRule):
    """A toy variant: partners among all rows, gap from U(0.25, 0.75), last column copied.

    It exercises what a new sampler would use: a query over all rows, its own draws, a
    flag for an extra draw and a finish step.
    """

    capabilities = Capabilities()
    extras = (Uniform("nudge", 0.0, 0.1),)

    def __init__(self, k=3):
        self.query = NeighborQuery("k", k, ExactNeighbors(n_neighbors=k + 1), scope="all")

    def partners(self):
        return self.query

    def segments(self, job: ClassJob):
        k = job.partners.graph.shape[1]
        pair = Randint("pair", job.n_bases * k)
        return [Segment(job.n_samples, (pair, Uniform("gap", 0.25, 0.75)))]

    def plan(self, job, draws):
        plan, rows, cols = smote_triples(job, draws)
        return PlanPiece(plan, job.partners.other[rows, cols])

    def adjust(self, job, piece, extra):
        gap = piece.plan.gap.copy()
        gap[piece.flagged] -= extra["nudge"]
        return SyntheticPlan(piece.plan.base, piece.plan.neighbor, gap)

    def finish(self, job: ClassJob, chunk: Chunk):
        chunk.out[:, -1] = chunk.out[:, 0]


def test_a_rule_written_here_runs_in_memory_and_blockwise():
    X, y = make_data(seed=6)
    counts = np.bincount(y)
    X_mem, y_mem, plans = run_in_memory(MidpointRule(), X, y, {1: 400, 2: 500}, 5)
    assert np.bincount(y_mem).tolist() == [counts[0], counts[1] + 400, counts[2] + 500]
    records = concat_plans(plans).to_records()
    np.testing.assert_array_equal(X_mem[len(X) :, -1], X_mem[len(X) :, 0])
    towards_other = y[records["neighbor"]] != y_mem[len(X) :]
    assert towards_other.any() and (records["gap"][towards_other] < 0.75).all()
    assert (records["gap"][~towards_other] >= 0.25).all()
    for cuts in ([], [1, 450, 451]):
        X_blk, y_blk, provenance = blockwise(
            MidpointRule(), X, y, cuts, sampling_strategy={1: counts[1] + 400, 2: counts[2] + 500},
            random_state=5,
            block_rows=64,
        )  # fmt: skip
        np.testing.assert_array_equal(X_blk, X_mem)
        np.testing.assert_array_equal(y_blk, y_mem)
        np.testing.assert_array_equal(provenance, records)


# -- what a blockwise run refuses, and says ---------------------------------------------------
def test_blockwise_refusals_name_the_reason_and_the_fix():
    X, y = make_data(n=200)

    class NeedsAnSVM(MidpointRule):
        capabilities = Capabilities(global_model="an SVM fitted on all rows")

    with pytest.raises(TypeError, match=r"needs an SVM fitted on all rows.*in memory"):
        run_blockwise(NeedsAnSVM(), split(X, y, []), random_state=0)
    with pytest.raises(ValueError, match=r"int random_state.*seeding='blocks'"):
        run_blockwise(MidpointRule(), split(X, y, []), random_state=None)
    unknown = rule_for(SMOTE(k_neighbors=ExactNeighbors()))
    unknown.k_query = NeighborQuery("k", None, ExactNeighbors())
    with pytest.raises(ValueError, match="k_neighbors: a blockwise run needs the number"):
        run_blockwise(unknown, split(X, y, []), random_state=0)
    with pytest.raises(ValueError, match="Class 2 has 16 samples, but k_neighbors=20"):
        run_blockwise(rule_for(SMOTE(k_neighbors=20)), split(X, y, [50]), random_state=0)
    # an estimator is quoted as the user gave it, with the neighbours it searches
    with pytest.raises(ValueError, match=r"m_neighbors=ExactNeighbors\(n_neighbors=300\)"):
        run_blockwise(
            rule_for(BorderlineSMOTE(m_neighbors=ExactNeighbors(n_neighbors=300))),
            split(X, y, [50]),
            random_state=0,
        )

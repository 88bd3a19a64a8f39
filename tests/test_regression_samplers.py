"""SMOTER, SMOGN and the baselines: their rules, the counts per bin, and use as samplers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from smotekit._kernels import SyntheticPlan
from smotekit.neighbors import ApproximateNeighbors
from smotekit.regression import (
    SMOGN,
    SMOTER,
    GaussianNoiseRegression,
    RandomOverSamplerRegression,
)
from smotekit.regression._rules import (
    BinDraws,
    bin_safe_radius,
    draw_seeds,
    gaussian_noise_draws,
    generate_bin,
    neighbor_distances,
    safe_radius,
    smogn_draws,
)

SAMPLERS = [SMOTER, SMOGN, RandomOverSamplerRegression, GaussianNoiseRegression]


def skewed(n=300, d=4, seed=0):
    """Features and a right-skewed target with a rare high tail (and a few low outliers)."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d))
    y = np.exp(X[:, 0] + 0.5 * rng.normal(size=n))
    y[:3] = -5.0 - rng.uniform(size=3)
    return X, y


def bin_of(sampler, rows):
    """The bin number of each original row."""
    labels = np.empty(sampler.bins_.order.size, dtype=np.intp)
    for b in range(len(sampler.bins_)):
        labels[sampler.bins_.rows(b)] = b
    return labels[rows]


# -- the rules -------------------------------------------------------------------------------------
def test_draw_seeds_uses_every_row_equally_often():
    seeds = draw_seeds(np.random.RandomState(0), 4, 11)
    counts = np.bincount(seeds, minlength=4)
    assert sorted(counts) == [2, 3, 3, 3]
    assert len(set(seeds[8:].tolist())) == 3  # the remainder: distinct rows


def test_target_is_the_inverse_distance_weighted_mean():
    X = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0]])
    y = np.array([10.0, 20.0, 40.0])
    plan = SyntheticPlan(np.array([0, 0, 1, 1]), np.array([1, 1, 2, 2]), np.array([0.2, 1, 0.3, 0]))
    draws = BinDraws(plan, np.array([5.0, 5.0, 0.0, 0.0]))
    X_new, y_new = generate_bin(np.random.RandomState(0), X, y, draws)
    seed, partner = plan.base[:2], plan.neighbor[:2]
    d_seed = np.linalg.norm(X_new[:2] - X[seed], axis=1)
    d_partner = np.linalg.norm(X_new[:2] - X[partner], axis=1)
    literal = (d_partner * y[seed] + d_seed * y[partner]) / (d_seed + d_partner)
    np.testing.assert_allclose(y_new[:2], literal, rtol=1e-14)
    # rows 1 and 2 coincide: both distances are 0, both targets weigh the same
    np.testing.assert_array_equal(y_new[2:], [30.0, 30.0])


def test_smogn_draws_interpolate_only_within_the_safe_radius():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    neighbors = np.argsort(((X[:, None] - X[None]) ** 2).sum(-1), axis=1)[:, 1:6]
    distances = neighbor_distances(X, neighbors)
    radius = safe_radius(distances)
    draws = smogn_draws(
        np.random.RandomState(1), neighbors, distances, 500, radius=radius, pert=0.05
    )
    radius = radius[draws.plan.base]
    interpolated = draws.plan.neighbor >= 0
    assert interpolated.any() and (~interpolated).any()
    assert (draws.partner_distance[interpolated] < radius[interpolated]).all()
    np.testing.assert_array_equal(draws.noise[interpolated], 0.0)
    np.testing.assert_array_equal(
        draws.noise[~interpolated], np.minimum(0.05, radius)[~interpolated]
    )


def test_gaussian_noise_has_the_asked_scale_per_column():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(50, 2)) * [1.0, 100.0]
    y = rng.normal(size=50) * 10
    draws = gaussian_noise_draws(np.random.RandomState(1), 50, 20_000, pert=0.1)
    X_new, y_new = generate_bin(np.random.RandomState(2), X, y, draws)
    z = (X_new - X[draws.plan.base]) / (0.1 * X.std(axis=0, ddof=1))
    z_y = (y_new - y[draws.plan.base]) / (0.1 * y.std(ddof=1))
    for column in (*z.T, z_y):
        assert abs(column.mean()) < 0.05 and abs(column.std() - 1) < 0.05


# -- SMOTER: every new row on a segment between two rare cases of one bin --------------------------
@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(40, 150),
    d=st.integers(1, 5),
    seed=st.integers(0, 10_000),
    k=st.integers(1, 5),
    duplicates=st.booleans(),
)
def test_smoter_rows_lie_on_segments_within_a_rare_bin(n, d, seed, k, duplicates):
    X, y = skewed(n, d, seed)
    if duplicates:
        X[-10:] = X[-1]  # identical rows: both distances 0
    sampler = SMOTER(k_neighbors=k, random_state=seed)
    try:
        X_res, y_res = sampler.fit_resample(X, y)
    except ValueError as exc:  # a rare bin smaller than k + 1, or no rare case: said clearly
        assert "k_neighbors" in str(exc) or "nothing rare" in str(exc)
        return
    p = sampler.provenance_
    n_kept = sampler.sample_indices_.size
    new_X, new_y = X_res[n_kept:], y_res[n_kept:]
    assert len(p) == len(new_X)
    base, nbr, gap = p["base"], p["neighbor"], p["gap"]
    bins = bin_of(sampler, base)
    assert (bins == bin_of(sampler, nbr)).all()
    assert sampler.bins_.rare[bins].all()
    assert ((gap >= 0) & (gap <= 1)).all()
    np.testing.assert_allclose(new_X, X[base] + gap[:, None] * (X[nbr] - X[base]), atol=1e-12)
    lo, hi = np.minimum(y[base], y[nbr]), np.maximum(y[base], y[nbr])
    assert ((new_y >= lo - 1e-12) & (new_y <= hi + 1e-12)).all()


def test_smoter_neighbours_are_the_k_nearest_within_the_bin():
    X, y = skewed()
    sampler = SMOTER(k_neighbors=3, random_state=0).fit(X, y)
    p = sampler.provenance_
    for b in np.flatnonzero(sampler.bins_.rare):
        rows = sampler.bins_.rows(b)
        d = ((X[rows][:, None] - X[rows][None]) ** 2).sum(-1)
        np.fill_diagonal(d, np.inf)
        nearest = {int(r): set(rows[np.argsort(d[i])[:3]].tolist()) for i, r in enumerate(rows)}
        ours = np.isin(p["base"], rows)
        pairs = zip(p["base"][ours], p["neighbor"][ours], strict=True)
        assert all(int(nb) in nearest[int(bs)] for bs, nb in pairs)


def test_bin_safe_radius_is_half_the_median_distance_to_the_whole_bin():
    X = np.random.RandomState(0).normal(size=(300, 3))
    full = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    np.testing.assert_allclose(bin_safe_radius(X), np.median(full, axis=1) / 2, rtol=1e-9)
    # a large bin is measured against 1024 of its cases: close to the exact median
    big = np.random.RandomState(1).normal(size=(3000, 3))
    full = np.sqrt(((big[:300, None] - big[None]) ** 2).sum(-1))
    np.testing.assert_allclose(bin_safe_radius(big)[:300], np.median(full, axis=1) / 2, rtol=0.1)


# -- SMOGN -----------------------------------------------------------------------------------------
def test_smogn_noise_cases_stay_within_the_perturbation_scale():
    X, y = skewed(n=400, d=3)
    pert = 0.02
    sampler = SMOGN(pert=pert, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    p = sampler.provenance_
    n_kept = sampler.sample_indices_.size
    noisy = p["neighbor"] == -1
    assert noisy.any() and (~noisy).any()
    for b in np.flatnonzero(sampler.bins_.rare):
        rows = sampler.bins_.rows(b)
        mine = noisy & np.isin(p["base"], rows)
        moved = np.abs(X_res[n_kept:][mine] - X[p["base"][mine]])
        # sd of the noise is at most pert * sd; 6 sds bound every draw with certainty here
        assert (moved <= 6 * pert * X[rows].std(axis=0, ddof=1)).all()
        y_moved = np.abs(y_res[n_kept:][mine] - y[p["base"][mine]])
        assert (y_moved <= 6 * pert * y[rows].std(ddof=1)).all()
    assert (~noisy).mean() > 0.5  # in 3 dimensions most pairs are within the safe distance
    # the interpolated ones are SMOTER rows
    base, nbr, gap = (p[f][~noisy] for f in ("base", "neighbor", "gap"))
    np.testing.assert_allclose(
        X_res[n_kept:][~noisy], X[base] + gap[:, None] * (X[nbr] - X[base]), atol=1e-12
    )


def test_smogn_safe_distance_from_neighbours_interpolates_less():
    X, y = skewed(n=400, d=3)
    share = {
        mode: (
            SMOGN(safe_distance=mode, random_state=0).fit(X, y).provenance_["neighbor"] >= 0
        ).mean()
        for mode in ("bin", "neighbors")
    }
    assert share["neighbors"] < 0.2 < 0.5 < share["bin"]


# -- counts per bin --------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", SAMPLERS)
@pytest.mark.parametrize(
    ("strategy", "undersample"),
    [("balance", True), ("balance", False), ("extreme", True), ({0: 3.0, 2: 1.5}, False)],
)
def test_counts_per_bin_are_exactly_as_asked(cls, strategy, undersample):
    X, y = skewed()
    sampler = cls(sampling_strategy=strategy, undersample=undersample, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    kept = sampler.sample_indices_
    per_bin = np.bincount(bin_of(sampler, kept), minlength=len(sampler.bins_))
    per_bin += np.bincount(bin_of(sampler, sampler.provenance_["base"]), minlength=per_bin.size)
    assert per_bin.tolist() == list(sampler.sampling_strategy_.values())
    assert X_res.shape[0] == y_res.shape[0] == per_bin.sum()
    np.testing.assert_array_equal(X_res[: kept.size], X[kept])
    np.testing.assert_array_equal(y_res[: kept.size], y[kept])
    if not undersample:
        assert kept.size == y.size


def test_bins_of_the_skewed_target():
    X, y = skewed()
    sampler = SMOTER(random_state=0).fit(X, y)
    assert sampler.bins_.rare.tolist() == [True, False, True]
    sizes = sampler.bins_.sizes
    average = round(300 / 3)
    assert list(sampler.sampling_strategy_.values()) == [
        max(sizes[0], average),
        min(sizes[1], average),
        max(sizes[2], average),
    ]


# -- random_state, inputs, pipelines, frames -------------------------------------------------------
@pytest.mark.parametrize("cls", SAMPLERS)
def test_random_state_reproduces_and_inputs_are_untouched(cls):
    X, y = skewed()
    X0, y0 = X.copy(), y.copy()
    a = cls(random_state=3).fit_resample(X, y)
    b = cls(random_state=3).fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    rs = np.random.RandomState(3)
    first = cls(random_state=rs).fit_resample(X, y)[0]
    second = cls(random_state=rs).fit_resample(X, y)[0]
    assert not np.array_equal(first, second)  # an instance continues its stream


def test_float32_features_stay_float32():
    X, y = skewed()
    X_res, y_res = SMOGN(random_state=0).fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32 and y_res.dtype == np.float64


def test_approximate_neighbours_plug_in():
    pytest.importorskip("faiss")
    X, y = skewed()
    nn = ApproximateNeighbors(n_neighbors=6, random_state=0)
    X_res, _ = SMOTER(k_neighbors=nn, random_state=0).fit_resample(X, y)
    assert X_res.shape[1] == X.shape[1]


@pytest.mark.parametrize("cls", SAMPLERS)
def test_pipeline_before_a_regressor(cls):
    from imblearn.pipeline import Pipeline
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import cross_val_score

    X, y = skewed()
    pipe = Pipeline([("resample", cls(random_state=0)), ("model", Ridge())])
    assert pipe.fit(X, y).predict(X).shape == (300,)
    scores = cross_val_score(pipe, X, y, cv=3, scoring="neg_mean_absolute_error")
    assert np.isfinite(scores).all()


def test_pandas_in_pandas_out():
    pd = pytest.importorskip("pandas")
    X, y = skewed(d=2)
    frame = pd.DataFrame({"a": X[:, 0], "count": np.round(X[:, 1] * 10).astype(np.int64)})
    target = pd.Series(np.round(y * 100).astype(np.int64), name="price")
    X_res, y_res = SMOTER(random_state=0).fit_resample(frame, target)
    assert list(X_res.columns) == ["a", "count"] and X_res["count"].dtype == np.int64
    assert y_res.name == "price" and y_res.dtype == np.int64
    # integers are rounded, not truncated: compare with the float run
    X_f, y_f = SMOTER(random_state=0).fit_resample(frame.astype(float), target.astype(float))
    np.testing.assert_array_equal(X_res["count"], np.rint(X_f["count"]))
    np.testing.assert_array_equal(y_res, np.rint(y_f))


def test_polars_in_polars_out():
    pl = pytest.importorskip("polars")
    X, y = skewed(d=2)
    frame = pl.DataFrame({"a": X[:, 0], "b": X[:, 1]})
    X_res, y_res = SMOGN(random_state=0).fit_resample(frame, pl.Series("y", y))
    assert isinstance(X_res, pl.DataFrame) and X_res.columns == ["a", "b"]
    assert isinstance(y_res, pl.Series) and y_res.name == "y"


# -- clear errors ----------------------------------------------------------------------------------
def test_constant_y_is_a_clear_error():
    X, _ = skewed()
    with pytest.raises(ValueError, match="y is constant"):
        SMOTER().fit_resample(X, np.ones(300))


def test_no_rare_case_is_a_clear_error():
    X = np.arange(20.0).reshape(-1, 1)
    with pytest.raises(ValueError, match=r"nothing rare to over-sample\. Lower threshold"):
        SMOTER().fit_resample(X, np.arange(20.0))


def test_too_few_rare_cases_for_k_names_the_bin_and_the_fix():
    X, y = skewed()  # three targets below -5
    sampler = SMOTER(k_neighbors=5, control_points=[[-5, 1], [-4.9, 0], [100, 0]])
    with pytest.raises(ValueError, match=r"rare bin 0 \(3 cases.*Lower k_neighbors to at most 2"):
        sampler.fit_resample(X, y)


@pytest.mark.parametrize("where", ["X", "y"])
def test_nan_is_a_clear_error(where):
    X, y = skewed()
    (X if where == "X" else y)[5] = np.nan
    with pytest.raises(ValueError, match=f"{where} contains .*NaN"):
        SMOGN().fit_resample(X, y)


def test_missing_pandas_target_is_worded_for_regression():
    pd = pytest.importorskip("pandas")
    X, y = skewed()
    target = pd.Series(y).astype("Float64")
    target[4] = pd.NA
    with pytest.raises(ValueError, match="y has 1 missing values: every row needs a target"):
        SMOTER().fit_resample(X, target)


def test_non_numeric_and_sparse_features_are_clear_errors():
    X, y = skewed()
    with pytest.raises(TypeError, match="non-numeric features"):
        SMOTER().fit_resample(np.array([["a"]] * 300), y)
    with pytest.raises(TypeError, match=r"sparse matrix.*X.toarray\(\)"):
        SMOTER().fit_resample(sparse.csr_matrix(X), y)
    with pytest.raises(ValueError, match="300 rows but y has 299"):
        SMOTER().fit_resample(X, y[:-1])


def test_parameters_are_validated_the_scikit_learn_way():
    X, y = skewed()
    with pytest.raises(ValueError, match="The 'k_neighbors' parameter of SMOTER must be"):
        SMOTER(k_neighbors=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="The 'pert' parameter of SMOGN must be"):
        SMOGN(pert=-1.0).fit_resample(X, y)
    with pytest.raises(ValueError, match="The 'safe_distance' parameter of SMOGN must be"):
        SMOGN(safe_distance="k").fit_resample(X, y)
    with pytest.raises(ValueError, match="The 'sampling_strategy' parameter"):
        SMOGN(sampling_strategy="auto").fit_resample(X, y)

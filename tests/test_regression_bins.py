"""Relevance bins, per-bin target counts, and the rare-case metrics (SERA, RMSE, MAE)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit.regression import (
    bin_targets,
    rare_mae,
    rare_rmse,
    relevance,
    relevance_bins,
    relevance_control_points,
    sera,
)


# -- bins ------------------------------------------------------------------------------------------
def test_bins_are_consecutive_runs_along_sorted_y():
    y = np.array([50.0, 3.0, 1.0, 60.0, 2.0, -40.0, 4.0])
    phi = np.array([1.0, 0.0, 0.0, 0.9, 0.2, 0.7, 0.5])
    bins = relevance_bins(y, phi)
    assert [bins.rows(b).tolist() for b in range(len(bins))] == [[5], [2, 4, 1], [6, 0, 3]]
    assert bins.rare.tolist() == [True, False, True]
    assert bins.sizes.tolist() == [1, 3, 3]


def test_threshold_is_inclusive_and_ties_share_a_bin():
    y = np.array([1.0, 2.0, 2.0, 3.0])
    phi = np.array([0.0, 0.5, 0.5, 0.0])
    bins = relevance_bins(y, phi, threshold=0.5)
    assert bins.rare.tolist() == [False, True, False]
    assert bins.rows(1).tolist() == [1, 2]
    assert relevance_bins(y, phi, threshold=0.6).rare.tolist() == [False]


def test_bins_describe_names_kind_size_and_range():
    y = np.array([1.0, 2.0, 30.0])
    bins = relevance_bins(y, [0, 0, 1])
    assert bins.describe(1, y) == "rare bin 1 (1 case, y from 30 to 30)"


def test_bins_reject_bad_input():
    with pytest.raises(ValueError, match="3 values but phi has 2"):
        relevance_bins([1, 2, 3], [0, 1])
    with pytest.raises(ValueError, match=r"threshold=1.5 is outside \[0, 1\]"):
        relevance_bins([1, 2], [0, 1], threshold=1.5)


# -- per-bin counts --------------------------------------------------------------------------------
def test_balance_takes_every_bin_to_the_rounded_average():
    # n = 100 in 3 bins: round(33.33) = 33
    np.testing.assert_array_equal(bin_targets([10, 80, 10], [True, False, True]), [33, 33, 33])
    # halves round to even: n = 5 in 2 bins -> 2.5 -> 2
    np.testing.assert_array_equal(bin_targets([1, 4], [True, False]), [2, 2])
    # n = 7 in 2 bins -> 3.5 -> 4
    np.testing.assert_array_equal(bin_targets([1, 6], [True, False]), [4, 4])


def test_balance_never_shrinks_rare_nor_grows_normal_bins():
    # average 50: the rare bin of 70 stays, the normal bin of 30 stays
    np.testing.assert_array_equal(bin_targets([70, 30], [True, False]), [70, 30])


def test_balance_without_undersampling_keeps_normal_bins():
    got = bin_targets([10, 80, 10], [True, False, True], undersample=False)
    np.testing.assert_array_equal(got, [33, 80, 33])


def test_extreme_inverts_relative_frequencies():
    # B = 3 * round(100 / 3) = 99 cases spread as 1 / m_b: 99 * (0.1, 0.0125, 0.1) / 0.2125
    got = bin_targets([10, 80, 10], [True, False, True], "extreme")
    np.testing.assert_array_equal(got, [47, 6, 47])
    # two bins: sizes swap (the count of each becomes the other's, up to rounding)
    np.testing.assert_array_equal(bin_targets([20, 80], [True, False], "extreme"), [80, 20])


def test_ratios_per_bin_as_list_and_dict():
    sizes, rare = [10, 80, 10], [True, False, True]
    np.testing.assert_array_equal(bin_targets(sizes, rare, [2.5, 0.5, 3]), [25, 40, 30])
    np.testing.assert_array_equal(bin_targets(sizes, rare, {0: 4}), [40, 80, 10])
    # 2.3 x 100 is 229.99999999999997 in floating point: rounding, not truncation, gives 230
    np.testing.assert_array_equal(bin_targets([100], [True], [2.3]), [230])
    # halves to even: 3 x 2.5 = 7.5 -> 8, 5 x 0.5 = 2.5 -> 2
    np.testing.assert_array_equal(bin_targets([3, 5], [True, False], [2.5, 0.5]), [8, 2])


def test_ratio_strategy_errors_name_the_fix():
    with pytest.raises(ValueError, match="gives 2 ratios but y has 3 bins"):
        bin_targets([1, 2, 3], [True, False, True], [1, 2])
    with pytest.raises(ValueError, match="names bin 5, but y has 3 bins"):
        bin_targets([1, 2, 3], [True, False, True], {5: 2})
    with pytest.raises(ValueError, match=r"shrinks bin 1 .* undersample=False"):
        bin_targets([1, 2, 3], [True, False, True], [2, 0.5, 2], undersample=False)
    with pytest.raises(ValueError, match="ratio -1"):
        bin_targets([1, 2], [True, False], [-1, 1])
    with pytest.raises(ValueError, match="'balanced' is not 'balance' or 'extreme'"):
        bin_targets([1, 2], [True, False], "balanced")


@settings(max_examples=80, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 500), min_size=1, max_size=6),
    strategy=st.sampled_from(["balance", "extreme"]),
    undersample=st.booleans(),
)
def test_named_strategies_count_exactly(sizes, strategy, undersample):
    m = np.array(sizes)
    rare = np.arange(m.size) % 2 == 1
    got = bin_targets(m, rare, strategy, undersample=undersample)
    average = np.rint(m.sum() / m.size)
    if strategy == "balance":
        wanted = np.full(m.size, average)
    else:
        wanted = np.rint(m.size * average / m / (1 / m).sum())
    expected = np.where(rare, np.maximum(m, wanted), np.minimum(m, wanted) if undersample else m)
    np.testing.assert_array_equal(got, expected)


# -- SERA and the rare-case errors -----------------------------------------------------------------
def test_sera_by_hand():
    # errors^2 = (1, 4, 9) at phi = (0, 0.5, 1): SER_t = 14 at t = 0, 13 on (0, 0.5], 9 above.
    # Trapezoid on the 0.001 grid: 13 * 0.5 + 9 * 0.5, plus half a step of each jump:
    # (14 - 13) * 0.001 / 2 at t = 0 and (13 - 9) * 0.001 / 2 at t = 0.5
    y, pred = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    assert sera(y, pred, phi=[0.0, 0.5, 1.0]) == pytest.approx(11.0025, abs=1e-12)
    # the exact integral is sum phi_i e_i^2 = 0 + 2 + 9 = 11; a finer grid gets closer
    assert sera(y, pred, phi=[0.0, 0.5, 1.0], step=1e-6) == pytest.approx(11.0, abs=1e-5)


def test_sera_matches_a_per_threshold_loop():
    rng = np.random.RandomState(0)
    y = rng.lognormal(size=200)
    pred = y + rng.normal(size=200)
    phi = relevance(y)
    t = np.arange(101) * 0.01
    ser = np.array([((pred - y)[phi >= ti] ** 2).sum() for ti in t])
    loop = float(np.sum(0.01 * (ser[1:] + ser[:-1]) / 2))
    assert sera(y, pred, step=0.01) == pytest.approx(loop, rel=1e-12)
    assert sera(y, pred, phi=phi, step=0.01) == sera(y, pred, step=0.01)


def test_sera_with_training_control_points():
    cp = relevance_control_points(points=[[0, 0], [10, 1]])
    # phi by the training points: 0.5 and 1; SER_t = 1 up to t = 0.5, 0 above. On the grid
    # (0, 0.5, 1): 0.5 * (1 + 1) / 2 + 0.5 * (1 + 0) / 2 (the exact area is 0.5)
    assert sera([5.0, 10.0], [6.0, 10.0], control_points=cp, step=0.5) == pytest.approx(0.75)


def test_sera_errors():
    with pytest.raises(ValueError, match="y_true has 2 values but y_pred has 3"):
        sera([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"step=0\.3 must divide"):
        sera([1.0, 2.0], [1.0, 2.0], phi=[0, 1], step=0.3)
    with pytest.raises(ValueError, match="phi has 1 values but y_true has 2"):
        sera([1.0, 2.0], [1.0, 2.0], phi=[0.0])
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        sera([1.0, 2.0], [1.0, np.nan], phi=[0, 1])


def test_rare_rmse_and_mae_by_hand():
    y, pred, phi = [1.0, 2.0, 10.0, 12.0], [1.0, 5.0, 7.0, 8.0], [0, 0.2, 1, 0.5]
    # rare: phi >= 0.5 -> errors -3 and -4
    assert rare_rmse(y, pred, phi=phi) == pytest.approx(np.sqrt(12.5))
    assert rare_mae(y, pred, phi=phi) == 3.5
    assert rare_mae(y, pred, phi=phi, threshold=0.1) == pytest.approx(10 / 3)


def test_rare_errors_are_nan_without_rare_cases():
    assert np.isnan(rare_rmse([1.0, 2.0], [1.0, 2.0], phi=[0, 0.1]))
    assert np.isnan(rare_mae([1.0, 2.0], [1.0, 2.0], phi=[0, 0.1]))

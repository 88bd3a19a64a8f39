"""The relevance function phi: box-plot statistics, control points, interpolation, edge cases."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit.regression import (
    RelevanceControlPoints,
    box_plot_stats,
    relevance,
    relevance_control_points,
)


# -- box plot statistics (R's boxplot.stats / fivenum), computed by hand ---------------------------
def test_fivenum_hinges_even_length_differ_from_numpy_quartiles():
    # n = 6: n4 = floor(9 / 2) / 2 = 2, depths (1, 2, 3.5, 5, 6) -> hinges x[2] = 2 and x[5] = 5
    y = [1, 2, 3, 4, 5, 6]
    s = box_plot_stats(y)
    assert (s.lower_hinge, s.median, s.upper_hinge) == (2.0, 3.5, 5.0)
    # NumPy's default (linear) and smogn's midpoint quartiles give other values.
    assert np.quantile(y, [0.25, 0.75]).tolist() == [2.25, 4.75]
    assert np.quantile(y, [0.25, 0.75], method="midpoint").tolist() == [2.5, 4.5]


def test_fivenum_hinges_odd_length():
    # n = 7: n4 = floor(10 / 2) / 2 = 2.5, depths (1, 2.5, 4, 5.5, 7):
    # lower hinge = (x[2] + x[3]) / 2 = (3 + 7) / 2, upper = (x[5] + x[6]) / 2 = (20 + 30) / 2
    s = box_plot_stats([1, 3, 7, 10, 20, 30, 31])
    assert (s.lower_hinge, s.median, s.upper_hinge) == (5.0, 10.0, 25.0)


def test_whiskers_end_at_the_most_extreme_observations_inside_the_fences():
    # n = 10: hinges x[3] = 3 and x[8] = 8, IQR 5, fences -4.5 and 15.5
    s = box_plot_stats([-20, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    assert (s.lower_whisker, s.upper_whisker) == (2.0, 9.0)
    assert (s.n_low, s.n_high) == (1, 1)
    # A larger coef moves the fences out: -20 is inside with coef = 5 (fence -22).
    wide = box_plot_stats([-20, 2, 3, 4, 5, 6, 7, 8, 9, 100], coef=5)
    assert (wide.lower_whisker, wide.n_low, wide.upper_whisker) == (-20.0, 0, 9.0)


def test_box_plot_stats_rejects_bad_coef():
    with pytest.raises(ValueError, match="coef=0 must be a positive number"):
        box_plot_stats([1, 2, 3], coef=0)


# -- automatic control points ----------------------------------------------------------------------
def test_automatic_control_points_both_sides():
    cp = relevance_control_points([-20, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    np.testing.assert_array_equal(cp.as_matrix(), [[2, 1, 0], [5.5, 0, 0], [9, 1, 0]])


@pytest.mark.parametrize(
    ("extremes", "expected"),
    [
        ("high", [[-20, 0, 0], [5.5, 0, 0], [9, 1, 0]]),
        ("low", [[2, 1, 0], [5.5, 0, 0], [100, 0, 0]]),
    ],
)
def test_automatic_control_points_one_side(extremes, expected):
    cp = relevance_control_points([-20, 2, 3, 4, 5, 6, 7, 8, 9, 100], extremes=extremes)
    np.testing.assert_array_equal(cp.as_matrix(), expected)


def test_no_extremes_on_a_side_gives_the_range_end_with_relevance_zero():
    cp = relevance_control_points([1, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    np.testing.assert_array_equal(cp.as_matrix(), [[1, 0, 0], [5.5, 0, 0], [9, 1, 0]])
    # no extremes at all: phi is 0 everywhere
    flat = relevance_control_points([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(flat.phi, [0, 0, 0])
    assert not relevance([1.0, 2.0, 3.0, 4.0]).any()


def test_median_equal_to_min_drops_the_median_point():
    # fivenum: median x[5] = 0 = min; hinges 0 and 3, upper fence 7.5 -> 50 is extreme
    y = [0, 0, 0, 0, 0, 1, 2, 3, 50]
    cp = relevance_control_points(y)
    np.testing.assert_array_equal(cp.as_matrix(), [[0, 0, 0], [3, 1, 0]])


def test_median_equal_to_max_drops_the_max_point():
    y = [-50, 1, 2, 3, 3, 3, 3, 3, 3]
    cp = relevance_control_points(y)
    np.testing.assert_array_equal(cp.as_matrix(), [[1, 1, 0], [3, 0, 0]])


def test_constant_y_is_a_clear_error():
    with pytest.raises(ValueError, match=r"y is constant \(every value is 5.0\).*control_points"):
        relevance(np.full(10, 5.0))


def test_constant_y_works_with_manual_control_points():
    np.testing.assert_array_equal(relevance(np.full(3, 5.0), [[0, 0], [10, 1]]), [0.5] * 3)


def test_whisker_ending_at_the_median_moves_to_the_nearest_extreme():
    # hinges 5, 5, 7: the lower whisker ends at the median; phi = 1 moves out to -100
    y = [-100, 5, 5, 5, 5, 6, 7, 8, 9]
    np.testing.assert_array_equal(
        relevance_control_points(y).as_matrix(), [[-100, 1, 0], [5, 0, 0], [9, 0, 0]]
    )
    # a zero-inflated target: IQR 0, every positive value is extreme, the nearest is 1
    zeros = [0.0] * 80 + list(range(1, 21))
    np.testing.assert_array_equal(
        relevance_control_points(zeros).as_matrix(), [[0, 0, 0], [1, 1, 0]]
    )
    phi = relevance(zeros)
    assert (phi[:80] == 0).all() and (phi[80:] == 1).all()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_y_is_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"y contains NaN or inf .*first at index 2"):
        relevance([1.0, 2.0, bad, 4.0])


def test_bad_extremes_and_shape():
    with pytest.raises(ValueError, match="extremes='up' is not one of"):
        relevance([1.0, 2.0, 3.0], extremes="up")
    with pytest.raises(ValueError, match="must be 1-D"):
        relevance(np.ones((3, 2)))
    with pytest.raises(TypeError, match="must be numeric"):
        relevance(["a", "b"])


# -- interpolation ---------------------------------------------------------------------------------
def test_values_at_control_points_are_exact():
    cp = relevance_control_points([-20, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    np.testing.assert_array_equal(relevance(cp.y, cp), cp.phi)


def test_values_between_control_points_follow_the_hermite_step():
    # zero slopes: phi = v0 + (v1 - v0)(3t^2 - 2t^3), t the relative position
    cp = [[0, 0, 0], [10, 1, 0]]
    t = np.array([0.1, 0.25, 0.5, 0.9])
    np.testing.assert_allclose(relevance(10 * t, cp), 3 * t**2 - 2 * t**3, rtol=0, atol=1e-15)
    # at a quarter: 3/16 - 2/64 = 0.15625
    assert relevance([2.5], cp)[0] == pytest.approx(0.15625, abs=1e-15)


def test_flat_beyond_the_outer_control_points():
    cp = [[0, 1, 0], [5, 0, 0], [10, 1, 0]]
    np.testing.assert_array_equal(relevance([-1e9, -1, 11, 1e9], cp), [1, 1, 1, 1])


def test_manual_points_with_slopes_use_them():
    # one piece, slopes 0.05 at both ends: the secant (0.1) keeps it monotone, so they stay
    cp = relevance_control_points(points=[[0, 0, 0.05], [10, 1, 0.05]])
    np.testing.assert_array_equal(cp.slope, [0.05, 0.05])
    h, t = 10.0, 0.5
    hermite = (1 + 2 * t) * (1 - t) ** 2 * 0 + t * (1 - t) ** 2 * h * 0.05
    hermite += t * t * (3 - 2 * t) * 1 + t * t * (t - 1) * h * 0.05
    assert relevance([5.0], cp)[0] == pytest.approx(hermite, abs=1e-15)


def test_fritsch_carlson_rescales_steep_slopes():
    # slopes 1 on a piece of secant 0.1: alpha = beta = 10, outside the region: scaled onto the
    # circle of radius 3, i.e. each slope becomes 3 * 0.1 / sqrt(2)
    cp = relevance_control_points(points=[[0, 0, 1.0], [10, 1, 1.0]])
    np.testing.assert_allclose(cp.slope, [0.3 / np.sqrt(2)] * 2, rtol=1e-15)


def test_wrong_sign_slopes_and_local_extrema_become_zero():
    cp = relevance_control_points(points=[[0, 1, 0.3], [5, 0, 0.2], [10, 1, -0.1]])
    np.testing.assert_array_equal(cp.slope, [0, 0, 0])


def test_two_column_points_get_fritsch_carlson_starting_slopes():
    cp = relevance_control_points(points=[[0, 0], [10, 0.5], [20, 1]])
    np.testing.assert_allclose(cp.slope, [0.05, 0.05, 0.05])
    # a straight line is reproduced exactly
    np.testing.assert_allclose(relevance([5.0, 15.0], cp), [0.25, 0.75], rtol=1e-15)


def test_manual_points_are_sorted_and_validated():
    cp = relevance_control_points(points=[[10, 1, 0], [0, 0, 0]])
    np.testing.assert_array_equal(cp.y, [0, 10])
    with pytest.raises(ValueError, match=r"two points at y=3\.0"):
        relevance_control_points(points=[[3, 0], [3, 1]])
    with pytest.raises(ValueError, match="outside \\[0, 1\\]"):
        relevance_control_points(points=[[0, 0], [1, 2]])
    with pytest.raises(ValueError, match="2 or more rows"):
        relevance_control_points(points=[[0, 0, 0]])
    with pytest.raises(ValueError, match="NaN or inf"):
        relevance_control_points(points=[[0, 0], [np.nan, 1]])
    with pytest.raises(ValueError, match="Give y"):
        relevance_control_points()


def test_control_points_object_is_reused_as_given():
    cp = RelevanceControlPoints(np.array([0.0, 1.0]), np.array([0.0, 1.0]), np.zeros(2))
    assert relevance([0.5], cp)[0] == 0.5


@settings(max_examples=60, deadline=None)
@given(
    knots=st.lists(
        st.tuples(
            st.floats(-1e3, 1e3, allow_nan=False),
            st.floats(0, 1),
            st.floats(-5, 5, allow_nan=False),
        ),
        min_size=2,
        max_size=6,
        unique_by=lambda p: p[0],
    )
)
def test_phi_is_monotone_between_control_points_and_in_unit_interval(knots):
    knots = sorted(knots)
    xs = np.array([k[0] for k in knots])
    if (np.diff(xs) < 1e-6).any():
        return
    cp = relevance_control_points(points=knots)
    for a, b, va, vb in zip(cp.y[:-1], cp.y[1:], cp.phi[:-1], cp.phi[1:], strict=True):
        phi = relevance(np.linspace(a, b, 101), cp)
        assert ((phi >= 0) & (phi <= 1)).all()
        step = np.diff(phi) * np.sign(vb - va)
        assert (step >= -1e-12).all()
        if va == vb:
            np.testing.assert_allclose(phi, va, atol=1e-12)


# -- agreement with smogn 0.1.2 (patched for numpy 2) ----------------------------------------------
# Reference values from smogn's own box_plot_stats / phi_ctrl_pts / phi (UBL's C code translated
# to Python), run once outside this repository with np.quantile's removed ``interpolation=``
# keyword passed on as ``method=``. smogn takes midpoint quartiles instead of Tukey's hinges;
# they agree unless n = 4m + 2, and these vectors (n = 23 and 40) are not of that length.
BOTH_TAILS = [-30.0, *range(1, 21), 55, 60]
SMOGN_BOTH_TAILS = [1.0, 1.0, 0.972, 0.896, 0.7839999999999999, 0.6479999999999999,
    0.4999999999999999, 0.35199999999999976, 0.21599999999999975, 0.10399999999999965,
    0.02799999999999958, 0.0, 0.03429355281207133, 0.1262002743484225, 0.25925925925925924,
    0.41700960219478733, 0.5829903978052127, 0.7407407407407407, 0.8737997256515775,
    0.9657064471879286, 1.0, 1.0, 1.0]  # fmt: skip
SMOGN_LOGNORMAL = [1.0, 0.0, 0.0, 0.0, 0.7541382258619312, 0.0, 1.0, 0.0, 0.16174394978745946,
    2.6119487354805497e-05, 1.0, 0.0, 0.0, 0.0, 0.9993521660408052, 0.0, 0.0025655697134018287,
    0.0, 0.03623486835576749, 0.39562395011498214, 0.0, 1.0, 0.801306249607029,
    0.3118158429807934, 0.8002712278864875, 0.0, 0.006488704935294351, 0.0, 0.0,
    0.3398920313793822, 0.0, 0.0, 0.0, 0.0, 0.0, 0.02319574599049447, 0.0, 0.1113940925565726,
    1.0, 0.5900669968786932]  # fmt: skip


def test_agrees_with_smogn_on_both_tails():
    np.testing.assert_allclose(relevance(BOTH_TAILS), SMOGN_BOTH_TAILS, rtol=0, atol=1e-15)
    # y = 6 lies half-way from the whisker end 1 to the median 11: phi is exactly 0.5 here,
    # a hair below it in smogn's form
    assert relevance(BOTH_TAILS)[6] == 0.5


def test_agrees_with_smogn_on_a_lognormal_sample():
    y = np.round(np.random.RandomState(1).lognormal(size=40), 3)
    np.testing.assert_allclose(relevance(y), SMOGN_LOGNORMAL, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(
        relevance_control_points(y).as_matrix(), [[0.1, 0, 0], [0.772, 0, 0], [3.142, 1, 0]]
    )


def test_import_is_light():
    code = (
        "import sys, smotekit, smotekit.regression as r; r.relevance([1.0, 2.0, 30.0]); "
        "print(sorted(m for m in ('sklearn', 'imblearn', 'pandas', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""The interpolation kernel: chunked generation equals the one-shot formula; imblearn draws."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit._kernels import (
    PROVENANCE_DTYPE,
    SyntheticPlan,
    concat_plans,
    draw_smote,
    interpolate,
)


def one_shot(X, plan):
    """imbalanced-learn's formula in one expression: ``X[rows] + steps * (X[nbrs] - X[rows])``."""
    diff = X[plan.neighbor] - X[plan.base]
    if plan.scale is not None:
        diff = diff * plan.scale[:, None].astype(X.dtype)
    return X[plan.base] + plan.gap[:, None] * diff


def random_plan(rng, n_rows, n_out, with_scale=False):
    return SyntheticPlan(
        rng.randint(0, n_rows, size=n_out).astype(np.intp),
        rng.randint(0, n_rows, size=n_out).astype(np.intp),
        rng.uniform(size=n_out),
        rng.uniform(0.5, 1.0, size=n_out) if with_scale else None,
    )


@pytest.mark.parametrize("chunk_rows", [1, 7, 1000, 8192])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_chunked_equals_one_shot(chunk_rows, dtype):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 9)).astype(dtype)
    plan = random_plan(rng, 300, 2500)
    out = interpolate(X, plan, np.empty((2500, 9), dtype=dtype), chunk_rows=chunk_rows)
    expected = one_shot(X, plan).astype(dtype)
    np.testing.assert_array_equal(out, expected)  # bit for bit


def test_chunked_equals_one_shot_with_scale():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(50, 3))
    plan = random_plan(rng, 50, 400, with_scale=True)
    out = interpolate(X, plan, np.empty((400, 3)), chunk_rows=33)
    np.testing.assert_array_equal(out, one_shot(X, plan))


def test_interpolate_writes_into_a_view_and_leaves_x_alone():
    rng = np.random.RandomState(2)
    X = rng.normal(size=(40, 4))
    X_before = X.copy()
    plan = random_plan(rng, 40, 100)
    big = np.full((140, 4), np.nan)
    big[:40] = X
    result = interpolate(X, plan, big[40:], chunk_rows=16)
    assert np.shares_memory(result, big)
    np.testing.assert_array_equal(big[40:], one_shot(X, plan))
    np.testing.assert_array_equal(X, X_before)


def test_no_partner_copies_the_base():
    X = np.arange(12.0).reshape(4, 3)
    plan = SyntheticPlan(np.array([0, 1, 2]), np.array([-1, 3, -1]), np.array([np.nan, 0.5, 0.3]))
    out = interpolate(X, plan, np.empty((3, 3)), chunk_rows=2)
    np.testing.assert_array_equal(out, [X[0], (X[1] + X[3]) / 2, X[2]])
    records = plan.to_records()
    assert records.dtype == PROVENANCE_DTYPE
    assert np.isnan(records["gap"][0])


def test_integer_output_is_rounded_not_truncated():
    X = np.array([[0], [10]], dtype=np.int64)
    plan = SyntheticPlan(np.array([0, 0, 0]), np.array([1, 1, 1]), np.array([0.26, 0.74, 0.05]))
    out = interpolate(X, plan, np.empty((3, 1), dtype=np.int64))
    np.testing.assert_array_equal(out.ravel(), [3, 7, 0])


def test_out_of_wrong_length_is_refused():
    plan = SyntheticPlan(np.array([0]), np.array([0]), np.array([0.5]))
    with pytest.raises(ValueError, match="out has 2 rows but the plan has 1"):
        interpolate(np.zeros((1, 2)), plan, np.empty((2, 2)))


def test_draw_smote_reproduces_imblearn_draws():
    graph = np.random.RandomState(3).randint(0, 20, size=(20, 5))
    plan = draw_smote(np.random.RandomState(7), graph, 50, step=0.5)
    rng = np.random.RandomState(7)
    flat = rng.randint(low=0, high=100, size=50)
    gaps = 0.5 * rng.uniform(size=50)
    np.testing.assert_array_equal(plan.base, flat // 5)
    np.testing.assert_array_equal(plan.neighbor, graph[flat // 5, flat % 5])
    np.testing.assert_array_equal(plan.gap, gaps)


def test_remap_and_concat():
    a = SyntheticPlan(np.array([0, 1]), np.array([1, -1]), np.array([0.1, 0.2]))
    b = SyntheticPlan(np.array([0]), np.array([0]), np.array([0.3]), np.array([0.5]))
    remapped = a.remap(np.array([10, 20]))
    np.testing.assert_array_equal(remapped.base, [10, 20])
    np.testing.assert_array_equal(remapped.neighbor, [20, -1])
    joined = concat_plans([remapped, b])
    assert len(joined) == 3
    np.testing.assert_array_equal(joined.scale, [1.0, 1.0, 0.5])
    assert len(concat_plans([])) == 0


@settings(max_examples=40, deadline=None)
@given(
    n_rows=st.integers(1, 30),
    n_out=st.integers(0, 200),
    d=st.integers(1, 6),
    chunk_rows=st.integers(1, 64),
    seed=st.integers(0, 2**31 - 1),
    float32=st.booleans(),
)
def test_property_any_chunking_is_the_one_shot_formula(n_rows, n_out, d, chunk_rows, seed, float32):
    rng = np.random.RandomState(seed)
    dtype = np.float32 if float32 else np.float64
    X = (rng.normal(size=(n_rows, d)) * 100).astype(dtype)
    plan = random_plan(rng, n_rows, n_out)
    out = interpolate(X, plan, np.empty((n_out, d), dtype=dtype), chunk_rows=chunk_rows)
    np.testing.assert_array_equal(out, one_shot(X, plan).astype(dtype))
    # Every synthetic row lies in the box spanned by its base and partner.
    lo = np.minimum(X[plan.base], X[plan.neighbor])
    hi = np.maximum(X[plan.base], X[plan.neighbor])
    assert np.all((out >= lo) & (out <= hi))

"""Assertions and data layouts shared by the sampler, engine and evaluation tests."""

from __future__ import annotations

import numpy as np


def assert_same(ours, theirs):
    """Two ``fit_resample`` outputs are the same rows, in the same order, with the same dtype."""
    assert ours[0].shape == theirs[0].shape
    assert ours[0].dtype == theirs[0].dtype
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12, atol=0)
    np.testing.assert_array_equal(ours[1], theirs[1])


def reconstruct(X, provenance):
    """Synthetic rows rebuilt in float64 from ``provenance_`` records."""
    base = X[provenance["base"]].astype(np.float64)
    nbr = X[provenance["neighbor"]].astype(np.float64)
    return base + provenance["gap"][:, None] * (nbr - base)


def check_resampled_training_folds_only(seen, splits):
    """Each resampling saw exactly one training fold, in order, and no row of its test fold.

    ``seen``: the row ids each resampling received; ``splits``: (train ids, test ids) per fold.
    """
    assert len(seen) == len(splits)
    for rows, (train, test) in zip(seen, splits, strict=True):
        assert not rows & test, f"resampling saw {len(rows & test)} test-fold rows"
        assert rows == train


def split(X, y, cuts):
    """Partitions at the row numbers ``cuts``, as a re-readable pass (a file, Dask)."""
    return lambda: zip(np.split(X, cuts), np.split(y, cuts), strict=True)


def blockwise(rule, X, y, cuts, **options):
    """``rule`` run by the blockwise executor over ``split(X, y, cuts)``: rows, labels and
    provenance records, originals first, as ``fit_resample`` returns them."""
    from smotekit._kernels import concat_plans
    from smotekit.engine import run_blockwise

    blocks = list(run_blockwise(rule, split(X, y, cuts), **options).blocks)
    X_new = np.vstack([X, *(b.X for b in blocks)])
    y_new = np.concatenate([y, *(np.full(len(b.X), b.label) for b in blocks)])
    return X_new, y_new, concat_plans([b.provenance for b in blocks]).to_records()

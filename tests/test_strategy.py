"""The one resolver of sampling strategies from class counts (``smotekit._strategy``).

Executors that only have class counts (a file, Dask partitions) resolve the strategy with it;
it must give imbalanced-learn's ``check_sampling_strategy`` answer for every kind of strategy,
whatever the order in which the counts were found.
"""

from __future__ import annotations

import numpy as np
import pytest
from imblearn.utils import check_sampling_strategy

from smotekit._strategy import labels_from_text, strategy_from_counts

KINDS = ["auto", "minority", "not minority", "not majority", "all", {1: 400, 2: 300}]


@pytest.mark.parametrize("strategy", KINDS)
def test_strategy_from_counts_is_imbalanced_learns(strategy):
    y = np.repeat([0, 1, 2], [500, 100, 250])
    counts = dict(zip(*np.unique(y, return_counts=True), strict=True))
    expected = check_sampling_strategy(strategy, y, "over-sampling")
    assert dict(strategy_from_counts(strategy, counts)) == dict(expected)


def test_float_strategy_is_imbalanced_learns():
    y = np.repeat([0, 1], [500, 100])
    assert dict(strategy_from_counts(0.5, {0: 500, 1: 100})) == dict(
        check_sampling_strategy(0.5, y, "over-sampling")
    )


@pytest.mark.parametrize("strategy", KINDS[:5])
@pytest.mark.parametrize("order", [[2, 0, 1, 3], [3, 1, 0, 2]])
def test_ties_are_broken_as_imbalanced_learn_breaks_them_for_any_order_of_counts(strategy, order):
    # two minorities (1 and 2) and two majorities (0 and 3) tie
    y = np.repeat([0, 1, 2, 3], [300, 40, 40, 300])
    counts = {label: int((y == label).sum()) for label in order}
    expected = check_sampling_strategy(strategy, y, "over-sampling")
    assert dict(strategy_from_counts(strategy, counts)) == dict(expected)


def test_labels_from_text_keys_the_strategy_by_label():
    assert labels_from_text({"1": 50, "2": 60}, [2, 0, 1]) == {1: 50, 2: 60}
    assert labels_from_text("auto", [0, 1]) == "auto"
    with pytest.raises(ValueError, match=r"no class '7' in the target; its classes are 0, 1, 2"):
        labels_from_text({"7": 5}, [2, 0, 1])

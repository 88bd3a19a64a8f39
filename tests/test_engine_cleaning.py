"""The engine's cleaning (edited nearest neighbours, Tomek links), in memory and blockwise.

* blockwise cleaning removes the rows the memory executor removes, for any partitioning and any
  group size, ties and duplicate rows included (both follow the engine's tie rule);
* on continuous data that is imbalanced-learn's cleaning: the same kept rows, in its order;
* SMOTEENN/SMOTETomek as the engine's two steps over partitions (oversampling blockwise, then
  cleaning over the input and the synthetic blocks) give ``fit_resample``'s rows;
* the classes cleaned, computed from counts, are imbalanced-learn's.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import split
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import EditedNearestNeighbours as ImbENN
from imblearn.under_sampling import TomekLinks as ImbTomek
from imblearn.utils import check_sampling_strategy
from sklearn.datasets import make_classification

from smotekit import ADASYN, SMOTEENN, BorderlineSMOTE, SMOTETomek
from smotekit._strategy import cleaned_from_counts
from smotekit.engine import run_blockwise
from smotekit.engine._cleaning import (
    _certified,
    clean_blockwise,
    clean_in_memory,
    kept_rows,
    resampled_counts,
    resampled_partitions,
)
from smotekit.under_sampling import EditedNearestNeighbours, TomekLinks
from smotekit.under_sampling._edited import ENNRule
from smotekit.under_sampling._rules import cleaning_rule_for
from smotekit.under_sampling._tomek import TomekRule

CLEANERS = {
    "enn": lambda: EditedNearestNeighbours(),
    "enn-mode-5": lambda: EditedNearestNeighbours(n_neighbors=5, kind_sel="mode"),
    "enn-auto": lambda: EditedNearestNeighbours(sampling_strategy="auto"),
    "tomek": lambda: TomekLinks(),
    "tomek-all": lambda: TomekLinks(sampling_strategy="all"),
    "tomek-majority": lambda: TomekLinks(sampling_strategy="majority"),
}


def _counts(y):
    values, sizes = np.unique(y, return_counts=True)
    return dict(zip(values.tolist(), sizes.tolist(), strict=True))


def _blockwise_kept(rule, X, y, cuts, query_rows):
    """Blocks of ``query_rows`` rows searched (``data_bytes=0``): many blocks, many merges."""
    removed = clean_blockwise(
        rule, split(X, y, cuts), _counts(y), query_rows=query_rows, data_bytes=0
    )
    return kept_rows(rule, y, removed)


def _continuous(seed, n=1500, classes=3):
    weights = [0.1, 0.25, 0.65][:classes] if classes == 3 else [0.2, 0.8]
    return make_classification(
        n, n_features=5, n_informative=3, n_classes=classes, weights=weights, random_state=seed
    )


@pytest.mark.parametrize("name", sorted(CLEANERS))
@pytest.mark.parametrize("seed", [0, 1])
def test_memory_rule_is_imbalanced_learn_on_continuous_data(name, seed):
    X, y = _continuous(seed)
    cleaner = CLEANERS[name]()
    ours = clean_in_memory(cleaning_rule_for(cleaner), X, y)
    imblearn = {"enn": ImbENN, "tom": ImbTomek}[name[:3]](**cleaner.get_params())
    imblearn.fit_resample(X, y)
    np.testing.assert_array_equal(ours, imblearn.sample_indices_)


@pytest.mark.parametrize("name", sorted(CLEANERS))
def test_blockwise_equals_memory_for_any_partitioning(name):
    X, y = _continuous(3)
    rule = cleaning_rule_for(CLEANERS[name]())
    expected = clean_in_memory(rule, X, y)
    for cuts, query_rows in [([], 10**6), ([700], 400), ([1, 2, 300, 301, 1499], 97)]:
        np.testing.assert_array_equal(_blockwise_kept(rule, X, y, cuts, query_rows), expected)


@settings(max_examples=25, deadline=None)
@given(
    data=st.data(),
    n=st.integers(8, 60),
    n_classes=st.integers(2, 3),
    grid=st.integers(1, 3),
    which=st.sampled_from(["enn", "enn-mode", "tomek", "tomek-majority"]),
)
def test_blockwise_equals_memory_with_ties(data, n, n_classes, grid, which):
    """Coarse integer rows: many tied distances and exact duplicates across classes."""
    X = np.array(data.draw(st.lists(st.integers(0, grid), min_size=2 * n, max_size=2 * n)))
    X = X.reshape(n, 2).astype(float)
    y = np.array(data.draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)))
    if data.draw(st.booleans()):  # one dominant class: its rows are certified, not searched
        y = np.where(np.arange(n) % 5 == 0, y, 0)
    if len(np.unique(y)) < 2:
        y[0] = 1 - y[0]
    rule = {
        "enn": ENNRule(data.draw(st.integers(1, 4))),
        "enn-mode": ENNRule(data.draw(st.integers(1, 4)), kind_sel="mode"),
        "tomek": TomekRule(),
        "tomek-majority": TomekRule(sampling_strategy="majority"),
    }[which]
    cuts = sorted(data.draw(st.sets(st.integers(1, n - 1), max_size=4)))
    query_rows = data.draw(st.integers(1, n + 1))
    expected = clean_in_memory(rule, X, y)
    np.testing.assert_array_equal(_blockwise_kept(rule, X, y, cuts, query_rows), expected)


@pytest.mark.parametrize("name", ["enn", "enn-mode-5", "tomek-all"])
def test_certified_rows_change_nothing_and_spare_most_of_the_search(name):
    X, y = make_classification(
        4000,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        weights=[0.9, 0.05, 0.05],
        n_classes=3,
        class_sep=2.0,
        random_state=0,
    )
    rule = cleaning_rule_for(CLEANERS[name]())
    spared = _certified(rule, split(X, y, [1000, 2500]), _counts(y), 10**6)
    assert spared is not None and spared.sum() > 0.5 * (y == 0).sum()
    assert not spared[y != 0].any()
    expected = clean_in_memory(rule, X, y)
    for certification in (True, False):
        removed = clean_blockwise(
            rule,
            split(X, y, [1000, 2500]),
            _counts(y),
            query_rows=900,
            certification=certification,
        )
        np.testing.assert_array_equal(kept_rows(rule, y, removed), expected)


def test_tie_rule_follows_row_numbers():
    """Two duplicates of different classes: each one's nearest other row is the other (self
    is removed by row number, not by place in the list), so both form a link."""
    X = np.array([[0.0], [0.0], [5.0], [7.0]])
    y = np.array([0, 1, 0, 0])
    assert clean_in_memory(TomekRule(), X, y).tolist() == [2, 3]


@pytest.mark.parametrize(
    "make",
    [
        lambda seed: SMOTEENN(random_state=seed),
        lambda seed: SMOTETomek(random_state=seed),
        lambda seed: SMOTEENN(smote=BorderlineSMOTE(random_state=seed, kind="borderline-2")),
        lambda seed: SMOTETomek(smote=ADASYN(random_state=seed)),
    ],
)
@pytest.mark.parametrize("seed", [0, 5])
def test_combined_blockwise_is_fit_resample(make, seed):
    X, y = _continuous(seed, n=1200)
    sampler = make(seed)
    X_res, y_res = sampler.fit_resample(X, y)
    over, clean = sampler._rules()
    smote = sampler.smote_
    cuts = [400, 401, 900]
    run = run_blockwise(
        over,
        split(X, y, cuts),
        sampling_strategy=smote.sampling_strategy,
        random_state=smote.random_state,
        block_rows=211,
    )
    rows = resampled_partitions(split(X, y, cuts), run)
    removed = clean_blockwise(clean, rows, resampled_counts(run), query_rows=500)
    X_all = np.concatenate([part for part, _ in rows()])
    y_all = np.concatenate([labels for _, labels in rows()])
    kept = kept_rows(clean, y_all, removed)
    np.testing.assert_array_equal(X_all[kept], X_res)
    np.testing.assert_array_equal(y_all[kept], y_res)


COUNTS = [{0: 50, 1: 10, 2: 10}, {"a": 5, "b": 5}, {3: 1, 1: 7, 2: 7}]


@pytest.mark.parametrize("counts", COUNTS)
@pytest.mark.parametrize(
    "strategy", ["auto", "all", "majority", "not minority", "not majority", "list"]
)
def test_cleaned_classes_are_imbalanced_learns(counts, strategy):
    labels = list(counts)
    if strategy == "list":
        strategy = labels[-1:]
    y = np.repeat(np.array(labels), [counts[c] for c in labels])
    expected = sorted(check_sampling_strategy(strategy, y, "clean-sampling"))
    assert cleaned_from_counts(strategy, counts) == expected


@pytest.mark.parametrize(
    ("strategy", "message"),
    [("minority", "not a cleaning target"), ([7], "not present"), (0.5, "a list of classes")],
)
def test_cleaned_classes_errors_name_the_value(strategy, message):
    with pytest.raises(ValueError, match=message):
        cleaned_from_counts(strategy, {0: 5, 1: 5})


def test_too_few_rows_for_the_neighbours():
    X, y = np.zeros((3, 1)), np.array([0, 1, 1])
    with pytest.raises(ValueError, match="n_neighbors=3"):
        clean_in_memory(ENNRule(3), X, y)
    with pytest.raises(ValueError, match="n_neighbors=3"):
        clean_blockwise(ENNRule(3), split(X, y, []), _counts(y))


def test_rules_of_imbalanced_learn_cleaners_and_estimators():
    from sklearn.neighbors import NearestNeighbors

    assert cleaning_rule_for(ImbENN(n_neighbors=NearestNeighbors(n_neighbors=5))).n_neighbors == 4
    assert isinstance(cleaning_rule_for(ImbTomek()), TomekRule)
    with pytest.raises(TypeError, match="no engine rule for the cleaner"):
        cleaning_rule_for(object())

"""smotekit's EditedNearestNeighbours and TomekLinks: imbalanced-learn's kept rows, exactly.

Identical ``sample_indices_`` on Gaussian, ``make_classification``, float32 and integer data with
many duplicate rows and exact distance ties (where imbalanced-learn's answer depends on
scikit-learn's tie order), in few and many features (scikit-learn's kd-tree and brute force),
for two and three classes and every kind of ``sampling_strategy``.
"""

from __future__ import annotations

import numpy as np
import pytest
import sklearn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import EditedNearestNeighbours as ImbENN
from imblearn.under_sampling import TomekLinks as ImbTomekLinks
from scipy import sparse
from scipy.stats import mode
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

import smotekit.under_sampling._edited as edited_module
import smotekit.under_sampling._tomek as tomek_module
from smotekit import ExactNeighbors
from smotekit.under_sampling import EditedNearestNeighbours, TomekLinks
from smotekit.under_sampling._edited import smallest_mode
from smotekit.under_sampling._sklearn_order import sklearn_uses_brute, spatial_order


def gaussian(seed, n=600, d=3, n_classes=3):
    rng = np.random.RandomState(seed)
    return rng.normal(size=(n, d)), rng.randint(0, n_classes, n)


def classification(seed, n=800, n_classes=3):
    weights = [0.1, 0.3, 0.6][-n_classes:]
    return make_classification(
        n, n_features=6, n_informative=4, n_classes=n_classes, weights=weights, random_state=seed
    )


def integer_grid(seed, n=700, d=2, values=3, n_classes=2):
    """Few distinct integer rows: nearly every row has duplicates, of mixed classes."""
    rng = np.random.RandomState(seed)
    return rng.randint(0, values, size=(n, d)).astype(float), rng.randint(0, n_classes, n)


def integer_many_features(seed, n=600, d=18, distinct=60, n_classes=2):
    """Duplicate rows in 18 features: scikit-learn searches by brute force."""
    rng = np.random.RandomState(seed)
    rows = rng.randint(0, 2, size=(distinct, d)).astype(float)
    return rows[rng.randint(0, distinct, n)], rng.randint(0, n_classes, n)


def float32_data(seed):
    X, y = gaussian(seed, n=500, d=4, n_classes=2)
    return X.astype(np.float32), y


DATA = {
    "gaussian": gaussian,
    "classification": classification,
    "integer grid": integer_grid,
    "integer 3 classes": lambda seed: integer_grid(seed, n=900, d=3, values=4, n_classes=3),
    "integer 18 features": integer_many_features,
    "float32": float32_data,
    "int64 18 features": lambda seed: (
        integer_many_features(seed)[0].astype(np.int64),
        integer_many_features(seed)[1],
    ),
}
STRATEGIES = ["auto", "all", "majority", "not majority"]


def assert_same_cleaning(ours, theirs, X, y):
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    assert ours.sample_indices_.dtype == theirs.sample_indices_.dtype
    np.testing.assert_array_equal(X_ours, X_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)
    assert X_ours.dtype == X_theirs.dtype


@pytest.mark.parametrize("data", list(DATA))
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
def test_enn_parity(data, seed, kind_sel):
    X, y = DATA[data](seed)
    for strategy, k in zip(STRATEGIES, (3, 1, 6, 3), strict=True):
        params = {"sampling_strategy": strategy, "n_neighbors": k, "kind_sel": kind_sel}
        assert_same_cleaning(EditedNearestNeighbours(**params), ImbENN(**params), X, y)


@pytest.mark.parametrize("data", list(DATA))
@pytest.mark.parametrize("seed", [0, 1])
def test_tomek_parity(data, seed):
    X, y = DATA[data](seed)
    for strategy in [*STRATEGIES, "not minority"]:
        params = {"sampling_strategy": strategy}
        assert_same_cleaning(TomekLinks(**params), ImbTomekLinks(**params), X, y)


@pytest.mark.parametrize(
    "nn",
    [
        NearestNeighbors(n_neighbors=4, algorithm="ball_tree"),
        NearestNeighbors(n_neighbors=4, algorithm="brute"),
        NearestNeighbors(n_neighbors=5, metric="euclidean", leaf_size=5),
        NearestNeighbors(n_neighbors=4, metric="manhattan"),
        ExactNeighbors(n_neighbors=4),
    ],
    ids=["ball_tree", "brute", "euclidean", "manhattan", "ExactNeighbors"],
)
@pytest.mark.parametrize("data", ["gaussian", "integer grid"])
def test_enn_parity_with_a_neighbours_object(nn, data):
    X, y = DATA[data](2)
    for kind_sel in ("all", "mode"):
        params = {"n_neighbors": nn, "kind_sel": kind_sel, "sampling_strategy": "all"}
        assert_same_cleaning(EditedNearestNeighbours(**params), ImbENN(**params), X, y)


def test_parity_with_class_lists_dicts_and_string_labels():
    X, y = integer_grid(3, n=600, n_classes=3)
    labels = np.array(["cat", "ant", "bee"])[y]
    for strategy in (["ant", "cat"], ["bee"]):
        assert_same_cleaning(
            EditedNearestNeighbours(sampling_strategy=strategy),
            ImbENN(sampling_strategy=strategy),
            X,
            labels,
        )
        assert_same_cleaning(
            TomekLinks(sampling_strategy=strategy),
            ImbTomekLinks(sampling_strategy=strategy),
            X,
            labels,
        )


def test_brute_force_ties_in_both_of_scikit_learns_parallel_strategies():
    # scikit-learn orders tied neighbours differently when it splits the work over queries or
    # over indexed rows, which it picks from the size of the whole query: with small chunks the
    # larger classes are split over queries, the smallest one over indexed rows.
    X, y = integer_many_features(4, n=900, n_classes=3)
    y[:40] = 3
    with sklearn.config_context(pairwise_dist_chunk_size=20):
        for strategy in ("all", "not majority"):
            assert_same_cleaning(
                EditedNearestNeighbours(sampling_strategy=strategy),
                ImbENN(sampling_strategy=strategy),
                X,
                y,
            )
            assert_same_cleaning(
                TomekLinks(sampling_strategy=strategy),
                ImbTomekLinks(sampling_strategy=strategy),
                X,
                y,
            )


def test_sparse_input_is_cleaned_as_imblearn_does():
    X, y = integer_grid(5, n=300)
    for fmt in ("csr", "csc"):
        X_sp = sparse.csr_matrix(X).asformat(fmt)
        for ours, theirs in (
            (EditedNearestNeighbours(), ImbENN()),
            (TomekLinks(), ImbTomekLinks()),
        ):
            X_ours, _ = ours.fit_resample(X_sp, y)
            theirs.fit_resample(X_sp, y)
            assert X_ours.format == fmt
            np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)


def test_dataframes_round_trip_as_in_imblearn():
    import pandas as pd

    X, y = classification(6)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    target = pd.Series(y, name="target")
    for ours, theirs in ((EditedNearestNeighbours(), ImbENN()), (TomekLinks(), ImbTomekLinks())):
        X_ours, y_ours = ours.fit_resample(frame, target)
        X_theirs, y_theirs = theirs.fit_resample(frame, target)
        pd.testing.assert_frame_equal(X_ours, X_theirs)
        pd.testing.assert_series_equal(y_ours, y_theirs)


def test_inputs_are_not_modified():
    X, y = integer_grid(7)
    X_before, y_before = X.copy(), y.copy()
    EditedNearestNeighbours(sampling_strategy="all").fit_resample(X, y)
    TomekLinks(sampling_strategy="all").fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def spy_on_scikit_learn(monkeypatch):
    """Record how many rows each cleaner asks scikit-learn about."""
    asked: list[int] = []
    for module in (edited_module, tomek_module):
        original = module.sklearn_kneighbors

        def spy(nn, X, query_rows, wanted, original=original):
            asked.append(len(wanted))
            return original(nn, X, query_rows, wanted)

        monkeypatch.setattr(module, "sklearn_kneighbors", spy)
    return asked


def test_scikit_learn_is_asked_only_about_tied_rows(monkeypatch):
    asked = spy_on_scikit_learn(monkeypatch)
    X, y = classification(8)
    EditedNearestNeighbours(sampling_strategy="all").fit_resample(X, y)
    TomekLinks(sampling_strategy="all").fit_resample(X, y)
    assert asked == []
    # Three exact copies of rows 0-9, relabelled: only those rows' outcomes hang on ties.
    X_dup = np.vstack([X, X[:10], X[:10]])
    y_dup = np.concatenate([y, (y[:10] + 1) % 3, (y[:10] + 2) % 3])
    ours = EditedNearestNeighbours(sampling_strategy="all").fit_resample(X_dup, y_dup)
    assert 0 < sum(asked) <= 30 + 10 * 3
    assert_same_cleaning(
        EditedNearestNeighbours(sampling_strategy="all"),
        ImbENN(sampling_strategy="all"),
        X_dup,
        y_dup,
    )
    assert len(ours[1]) < len(y_dup)


def test_dropping_column_zero_is_not_dropping_the_row_itself():
    # Each row has an exact copy of the other class. Where scikit-learn lists the copy first,
    # imbalanced-learn drops it as "self" and keeps the row itself among the neighbours; a
    # search that ranks ties by index does this for the later copy only, so the outcome differs.
    X, y = integer_grid(9, n=400, d=2, values=4)
    tie_by_index = ImbENN(n_neighbors=ExactNeighbors(n_neighbors=4), sampling_strategy="all")
    reference = ImbENN(sampling_strategy="all")
    tie_by_index.fit_resample(X, y)
    reference.fit_resample(X, y)
    assert not np.array_equal(tie_by_index.sample_indices_, reference.sample_indices_)
    assert_same_cleaning(EditedNearestNeighbours(sampling_strategy="all"), reference, X, y)


def test_mode_of_string_labels_where_imblearn_raises():
    X, y = integer_grid(10, n=300, n_classes=3)
    names = np.array(["a", "b", "c"])
    ours = EditedNearestNeighbours(kind_sel="mode", sampling_strategy="all")
    ours.fit_resample(X, names[y])
    with pytest.raises(TypeError, match="numeric"):
        ImbENN(kind_sel="mode", sampling_strategy="all").fit_resample(X, names[y])
    # The same rows as imbalanced-learn keeps for the integer codes (the order of labels kept).
    reference = ImbENN(kind_sel="mode", sampling_strategy="all")
    reference.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, reference.sample_indices_)


def test_mostly_tied_data_is_asked_of_scikit_learn_at_once(monkeypatch):
    import smotekit.under_sampling._sklearn_order as order

    monkeypatch.setattr(order, "PROBE_ROWS", 100)
    asked = spy_on_scikit_learn(monkeypatch)
    X, y = integer_grid(14, n=900, n_classes=3)
    assert_same_cleaning(EditedNearestNeighbours(), ImbENN(), X, y)
    assert_same_cleaning(TomekLinks(), ImbTomekLinks(), X, y)
    assert asked == []  # not row by row: imbalanced-learn's own queries, whole
    X, y = classification(14)
    assert_same_cleaning(EditedNearestNeighbours(), ImbENN(), X, y)
    assert_same_cleaning(TomekLinks(), ImbTomekLinks(), X, y)


def test_queries_searched_block_by_block_in_spatial_order(monkeypatch):
    import smotekit.under_sampling._sklearn_order as order

    monkeypatch.setattr(order, "BLOCK_ROWS", 97)
    monkeypatch.setattr(order, "ORDERED_MIN_ROWS", 50)  # blocks in spatial order
    X, y = classification(15, n=500)
    X = np.vstack([X, X[:30]])  # duplicates, so that some rows of later blocks are asked
    y = np.concatenate([y, (y[:30] + 1) % 3])
    for strategy in ("all", "not majority"):
        assert_same_cleaning(
            EditedNearestNeighbours(sampling_strategy=strategy),
            ImbENN(sampling_strategy=strategy),
            X,
            y,
        )
        assert_same_cleaning(
            TomekLinks(sampling_strategy=strategy), ImbTomekLinks(sampling_strategy=strategy), X, y
        )


def test_spatial_order_is_a_permutation_that_keeps_near_rows_near():
    rng = np.random.RandomState(16)
    for d in (1, 3, 10, 70):
        X = rng.normal(size=(2000, d))
        X[:, 0] = 5.0  # a constant feature
        order = spatial_order(X)
        np.testing.assert_array_equal(np.sort(order), np.arange(2000))
    X = rng.uniform(size=(4000, 2))
    steps = np.linalg.norm(np.diff(X[spatial_order(X)], axis=0), axis=1)
    assert np.median(steps) < 0.25 * np.median(np.linalg.norm(np.diff(X, axis=0), axis=1))


def test_nn_is_fitted_only_where_scikit_learn_was_asked():
    X, y = classification(11)
    enn = EditedNearestNeighbours()
    enn.fit_resample(X, y)
    assert not hasattr(enn.nn_, "n_samples_fit_")
    enn.fit_resample(*integer_grid(11))
    assert enn.nn_.n_samples_fit_ == 700


def test_smallest_mode_is_scipys_mode():
    rng = np.random.RandomState(12)
    for width in (1, 2, 3, 7):
        labels = rng.randint(0, 4, size=(500, width))
        expected = mode(labels, axis=1, keepdims=False).mode
        np.testing.assert_array_equal(smallest_mode(labels), expected)


def test_is_tomek_is_imblearns():
    rng = np.random.RandomState(13)
    for _ in range(20):
        y = rng.randint(0, 3, 50)
        nn_index = rng.randint(0, 50, 50)
        nn_index[nn_index[:25]] = np.arange(25)  # some mutual pairs
        classes = {c: 0 for c in rng.choice(3, size=rng.randint(1, 4), replace=False)}
        np.testing.assert_array_equal(
            TomekLinks.is_tomek(y, nn_index, classes),
            ImbTomekLinks.is_tomek(y, nn_index, classes),
        )


@pytest.mark.parametrize(
    ("algorithm", "n", "d", "k"),
    [
        ("auto", 100, 15, 4),
        ("auto", 100, 16, 4),
        ("auto", 9, 3, 4),
        ("auto", 10, 3, 4),
        ("kd_tree", 100, 30, 4),
        ("brute", 100, 2, 2),
        ("ball_tree", 50, 2, 2),
    ],
)
def test_brute_force_prediction_is_scikit_learns_choice(algorithm, n, d, k):
    nn = NearestNeighbors(n_neighbors=k, algorithm=algorithm)
    X = np.random.RandomState(0).normal(size=(n, d))
    assert sklearn_uses_brute(nn, n, d) == (nn.fit(X)._fit_method == "brute")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(6, 80),
    d=st.integers(1, 3),
    values=st.integers(2, 5),
    n_classes=st.integers(2, 3),
    k=st.integers(1, 4),
    kind_sel=st.sampled_from(["all", "mode"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_parity_on_any_small_tied_data(n, d, values, n_classes, k, kind_sel, seed):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, values, size=(n, d)).astype(float)
    y = rng.randint(0, n_classes, n)
    y[:n_classes] = np.arange(n_classes)
    params = {"sampling_strategy": "all", "n_neighbors": min(k, n - 1), "kind_sel": kind_sel}
    assert_same_cleaning(EditedNearestNeighbours(**params), ImbENN(**params), X, y)
    assert_same_cleaning(
        TomekLinks(sampling_strategy="all"), ImbTomekLinks(sampling_strategy="all"), X, y
    )

"""smotekit.SMOTETomek and smotekit.SMOTEENN: imbalanced-learn's output, any oversampler."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_same
from imblearn.combine import SMOTEENN as ImbSMOTEENN
from imblearn.combine import SMOTETomek as ImbSMOTETomek
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import EditedNearestNeighbours, TomekLinks
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

import smotekit.under_sampling
from smotekit import (
    ADASYN,
    SMOTE,
    SMOTEENN,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    SMOTETomek,
)

COMBINED = [(SMOTETomek, ImbSMOTETomek, "tomek_"), (SMOTEENN, ImbSMOTEENN, "enn_")]


def make_data(weights=(0.75, 0.25), seed=0, n=400, dtype=np.float64):
    X, y = make_classification(
        n_samples=n,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=len(weights),
        n_clusters_per_class=1,
        weights=list(weights),
        flip_y=0.05,
        random_state=seed,
    )
    return X.astype(dtype), y


@pytest.mark.parametrize(("ours", "theirs", "_"), COMBINED)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weights", [(0.75, 0.25), (0.6, 0.25, 0.15)])
@pytest.mark.parametrize("seed", [0, 42])
def test_parity_default(ours, theirs, _, dtype, weights, seed):
    X, y = make_data(weights, seed=seed, dtype=dtype)
    assert_same(
        ours(random_state=seed).fit_resample(X, y),
        theirs(random_state=seed).fit_resample(X, y),
    )


@pytest.mark.parametrize(("ours", "theirs", "_"), COMBINED)
def test_parity_given_smote(ours, theirs, _):
    X, y = make_data(seed=3)
    assert_same(
        ours(smote=SMOTE(k_neighbors=3, random_state=1)).fit_resample(X, y),
        theirs(smote=ImbSMOTE(k_neighbors=3, random_state=1)).fit_resample(X, y),
    )


@pytest.mark.parametrize(("ours", "theirs", "_"), COMBINED)
def test_parity_sampling_strategy(ours, theirs, _):
    X, y = make_data(seed=5)
    assert_same(
        ours(sampling_strategy=0.7, random_state=2).fit_resample(X, y),
        theirs(sampling_strategy=0.7, random_state=2).fit_resample(X, y),
    )


def tied_majorities(seed, n=600):
    """Two classes on a small integer grid (duplicate rows of both classes, exact distance
    ties) and a continuous minority: the cleaning outcome hangs on scikit-learn's tie order."""
    rng = np.random.RandomState(seed)
    X_major = rng.randint(0, 4, size=(n, 2)).astype(float)
    X_minor = rng.normal(1.5, 0.8, size=(n // 12, 2))
    y = np.concatenate([rng.randint(0, 2, n), np.full(n // 12, 2)])
    return np.vstack([X_major, X_minor]), y


@pytest.mark.parametrize(("ours", "theirs", "_"), COMBINED)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_parity_with_duplicate_rows_and_ties(ours, theirs, _, seed):
    # Only the continuous minority is grown, so SMOTE's own neighbours are untied and the
    # cleaning, over all classes, meets the ties.
    X, y = tied_majorities(seed)
    for strategy in ("minority", {2: 200}):
        assert_same(
            ours(sampling_strategy=strategy, random_state=seed).fit_resample(X, y),
            theirs(sampling_strategy=strategy, random_state=seed).fit_resample(X, y),
        )


@pytest.mark.parametrize(("ours", "theirs", "_"), COMBINED)
def test_integer_data_is_cleaned_as_imblearn_cleans(ours, theirs, _):
    # On data where every class is tied, the cleaning equals imbalanced-learn's on the same
    # oversampled rows.
    rng = np.random.RandomState(3)
    X = rng.randint(0, 5, size=(500, 3)).astype(float)
    y = rng.choice(3, size=500, p=[0.6, 0.3, 0.1])
    assert_same(
        ours(smote=SMOTE(random_state=3)).fit_resample(X, y),
        theirs(smote=SMOTE(random_state=3)).fit_resample(X, y),
    )


@pytest.mark.parametrize(("ours", "_", "cleaner_attr"), COMBINED)
def test_default_cleaner_is_smotekits_and_imblearns_is_accepted(ours, _, cleaner_attr):
    X, y = make_data(seed=8)
    sampler = ours(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    imblearn_cleaner = (
        TomekLinks(sampling_strategy="all")
        if cleaner_attr == "tomek_"
        else EditedNearestNeighbours(sampling_strategy="all")
    )
    given = ours(random_state=0, **{cleaner_attr[:-1]: imblearn_cleaner})
    assert_same(given.fit_resample(X, y), (X_res, y_res))
    assert type(getattr(given, cleaner_attr)) is type(imblearn_cleaner)
    np.testing.assert_array_equal(given.synthetic_mask_, sampler.synthetic_mask_)
    smotekit_cleaner = getattr(smotekit.under_sampling, type(imblearn_cleaner).__name__)
    assert isinstance(getattr(sampler, cleaner_attr), smotekit_cleaner)


OVERSAMPLERS = [
    BorderlineSMOTE(random_state=0),
    BorderlineSMOTE(kind="borderline-2", random_state=0),
    SVMSMOTE(random_state=0),
    ADASYN(random_state=0),
    KMeansSMOTE(kmeans_estimator=2, cluster_balance_threshold=0.1, random_state=0),
]


@pytest.mark.parametrize(("combined", "_", "cleaner_attr"), COMBINED)
@pytest.mark.parametrize("oversampler", OVERSAMPLERS, ids=lambda s: type(s).__name__)
def test_any_smotekit_sampler_then_the_cleaner(combined, _, cleaner_attr, oversampler):
    X, y = make_data(seed=1)
    sampler = combined(smote=oversampler)
    X_res, y_res = sampler.fit_resample(X, y)
    # The same as oversampling then cleaning by hand.
    X_over, y_over = oversampler.fit_resample(X, y)
    cleaner = TomekLinks(sampling_strategy="all") if cleaner_attr == "tomek_" else None
    if cleaner is None:
        cleaner = EditedNearestNeighbours(sampling_strategy="all")
    X_ref, y_ref = cleaner.fit_resample(X_over, y_over)
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(y_res, y_ref)
    # Which rows are synthetic, and where they came from.
    mask = sampler.synthetic_mask_
    assert mask.shape == y_res.shape
    assert len(sampler.provenance_) == mask.sum()
    prov = sampler.provenance_
    base = X[prov["base"]]
    rebuilt = base + prov["gap"][:, None] * (X[prov["neighbor"]] - base)
    np.testing.assert_allclose(X_res[mask], rebuilt, rtol=1e-9, atol=1e-12)
    originals = {row.tobytes() for row in X}
    assert all(row.tobytes() in originals for row in X_res[~mask])


def test_imblearn_combine_rejects_variants_ours_accept():
    X, y = make_data()
    with pytest.raises(Exception, match="smote"):
        ImbSMOTETomek(smote=BorderlineSMOTE()).fit_resample(X, y)
    SMOTETomek(smote=BorderlineSMOTE(random_state=0)).fit_resample(X, y)


def test_smotekit_smote_inside_imblearn_combine():
    X, y = make_data(seed=2)
    assert_same(
        ImbSMOTETomek(smote=SMOTE(random_state=4)).fit_resample(X, y),
        ImbSMOTETomek(smote=ImbSMOTE(random_state=4)).fit_resample(X, y),
    )


@pytest.mark.parametrize(("combined", "_", "__"), COMBINED)
def test_bad_smote_is_named(combined, _, __):
    X, y = make_data()
    with pytest.raises(ValueError, match=r"'smote' parameter.*fit_resample.*Got 3"):
        combined(smote=3).fit_resample(X, y)


@pytest.mark.parametrize(("combined", "_", "__"), COMBINED)
def test_in_pipeline(combined, _, __):
    X, y = make_data(seed=4)
    pipe = make_pipeline(combined(smote=ADASYN(random_state=0)), LogisticRegression())
    assert pipe.fit(X, y).score(X, y) > 0.5


@pytest.mark.parametrize(("combined", "_", "__"), COMBINED)
def test_dataframes_come_back_in_their_library(combined, _, __):
    import pandas as pd
    import polars as pl

    X, y = make_data(seed=6)
    columns = ["a", "b", "c", "d"]
    frame = pd.DataFrame(X, columns=columns).astype({"a": "Float64"})
    X_res, y_res = combined(random_state=0).fit_resample(frame, pd.Series(y, name="target"))
    assert list(X_res.columns) == columns and str(X_res.dtypes["a"]) == "Float64"
    assert y_res.name == "target"
    X_arr, _ = combined(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(X_res.to_numpy(dtype=float), X_arr, rtol=1e-12)
    X_pl, y_pl = combined(random_state=0).fit_resample(
        pl.DataFrame(X, schema=columns), pl.Series(y)
    )
    assert isinstance(X_pl, pl.DataFrame) and isinstance(y_pl, pl.Series)
    assert X_pl.columns == columns


@pytest.mark.parametrize("oversampler", OVERSAMPLERS, ids=lambda s: type(s).__name__)
def test_every_variant_in_an_imblearn_pipeline(oversampler):
    X, y = make_data(seed=7)
    pipe = make_pipeline(oversampler, LogisticRegression()).fit(X, y)
    assert pipe.score(X, y) > 0.5
    # Resampling happens in fit only: predict sees the rows it is given.
    assert pipe.predict(X[:7]).shape == (7,)

"""The engine rules of SMOTE-N, ProWSyn, PolynomFitSMOTE, SVMSMOTE and KMeansSMOTE.

* SMOTE-N on the engine gives imbalanced-learn's rows and the provenance of its draws (the
  other four were checked against their former per-class path, bit for bit with provenance
  and fitted attributes, when they moved to the engine; SVMSMOTE's and KMeansSMOTE's
  imbalanced-learn parity tests stay in their own modules);
* the blockwise executor with imbalanced-learn's seeding gives the memory executor's rows and
  provenance for any partitioning and block size (SMOTE-N, ProWSyn, PolynomFitSMOTE); with
  block seeding, the same rows for any partitioning;
* SVMSMOTE and KMeansSMOTE are refused blockwise with a message naming the model they need
  and what to use instead.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import blockwise, split
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import SMOTEN as ImbSMOTEN
from sklearn.datasets import make_classification
from sklearn.preprocessing import OrdinalEncoder

from smotekit import SMOTEN, SVMSMOTE, KMeansSMOTE, PolynomFitSMOTE, ProWSyn
from smotekit._kernels import concat_plans
from smotekit.engine import run_blockwise, run_in_memory
from smotekit.over_sampling._rules import rule_for

NUMERIC = {
    "prowsyn": lambda seed: ProWSyn(random_state=seed),
    "prowsyn-3-levels": lambda seed: ProWSyn(random_state=seed, n_neighbors=3, n_levels=3),
    "polynom-fit": lambda seed: PolynomFitSMOTE(random_state=seed),
    # fewer rows to make than class rows: most rows get no point
    "polynom-fit-few": lambda seed: PolynomFitSMOTE(
        random_state=seed, sampling_strategy={1: 200, 2: 100}
    ),
}
GLOBAL_MODEL = {
    "svm-smote": lambda seed: SVMSMOTE(random_state=seed),
    "kmeans-smote": lambda seed: KMeansSMOTE(
        random_state=seed, kmeans_estimator=4, cluster_balance_threshold=0.05
    ),
}


def make_data(n=900, weights=(0.75, 0.17, 0.08), seed=0, dtype=np.float64):
    X, y = make_classification(
        n_samples=n,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=len(weights),
        n_clusters_per_class=1,
        weights=list(weights),
        class_sep=0.8,
        random_state=seed,
    )
    return X.astype(dtype), y


def make_categories(n=900, seed=0):
    """Three classes, three categorical features whose frequencies depend on the class."""
    rng = np.random.RandomState(seed)
    y = rng.choice(3, size=n, p=[0.7, 0.2, 0.1])
    X = np.column_stack(
        [(rng.randint(0, size, n) + shift * y) % size for size, shift in ((4, 1), (3, 0), (5, 2))]
    )
    return X.astype(str).astype(object), y


def codes_of(X):
    return OrdinalEncoder(dtype=np.int32).fit_transform(X)


def assert_same(result, reference):
    """Equal arrays, dtypes included; provenance field by field (SMOTE-N's gaps are NaN)."""
    for got, expected in zip(result, reference, strict=True):
        assert got.dtype == expected.dtype
        for field in expected.dtype.names or [None]:
            part = (lambda a: a) if field is None else (lambda a, f=field: a[f])
            np.testing.assert_array_equal(part(got), part(expected))


@pytest.mark.parametrize("name", ["prowsyn", "polynom-fit"])
@pytest.mark.parametrize("rounding", ["nearest", "truncate"])
def test_integer_rounding_reaches_both_executors(name, rounding):
    X, y = make_data(seed=7)
    X = np.rint(X * 1000).astype(np.int32)
    sampler = NUMERIC[name](1).set_params(integer_rounding=rounding)
    X_ref, _ = sampler.fit_resample(X, y)
    X_blk, _, _ = blockwise(
        rule_for(sampler), X, y, [400], random_state=1, block_rows=97, integer_rounding=rounding
    )
    assert X_ref.dtype == X_blk.dtype == np.int32
    np.testing.assert_array_equal(X_blk, X_ref)


@pytest.mark.parametrize("seed", [0, 5, "instance"])
def test_smoten_gives_imbalanced_learns_rows_and_the_provenance_of_its_draws(seed):
    X, y = make_categories()
    state = (lambda: np.random.RandomState(7)) if seed == "instance" else (lambda: seed)
    sampler = SMOTEN(random_state=state())
    X_res, y_res = sampler.fit_resample(X, y)
    X_imb, y_imb = ImbSMOTEN(random_state=state()).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_imb)
    np.testing.assert_array_equal(y_res, y_imb)
    rng = np.random.RandomState(7) if seed == "instance" else None
    bases = []
    for label, n_samples in sampler.sampling_strategy_.items():
        rows = np.flatnonzero(y == label)
        stream = rng if rng is not None else np.random.RandomState(seed)
        bases.append(rows[stream.choice(rows.size, size=n_samples)])
    provenance = sampler.provenance_
    np.testing.assert_array_equal(provenance["base"], np.concatenate(bases))
    assert (provenance["neighbor"] == -1).all() and np.isnan(provenance["gap"]).all()


def test_smoten_rule_on_codes_gives_the_estimators_rows():
    X, y = make_categories(seed=3)
    sampler = SMOTEN(random_state=2)
    X_res, _ = sampler.fit_resample(X, y)
    codes, _, plans = run_in_memory(
        rule_for(sampler), codes_of(X), y, sampler.sampling_strategy_, 2
    )
    np.testing.assert_array_equal(codes, codes_of(X_res))
    assert_same([concat_plans(plans).to_records()], [sampler.provenance_])


# -- blockwise: the memory rows for any partitioning ----------------------------------------
def numeric_case(name, seed, data_seed=1, n=900):
    X, y = make_data(seed=data_seed, n=n)
    sampler = NUMERIC[name](seed)
    X_ref, y_ref = sampler.fit_resample(X, y)
    reference = (X_ref, y_ref, sampler.provenance_)
    return rule_for(sampler), X, y, reference, sampler.sampling_strategy


def categorical_case(seed, data_seed=1, n=900):
    X, y = make_categories(seed=data_seed, n=n)
    codes = codes_of(X)
    sampler = SMOTEN(random_state=seed)
    sampler.fit_resample(X, y)
    X_ref, y_ref, plans = run_in_memory(
        rule_for(sampler), codes, y, sampler.sampling_strategy_, seed
    )
    reference = (X_ref, y_ref, concat_plans(plans).to_records())
    return rule_for(sampler), codes, y, reference, "auto"


def case(name, seed, **data):
    return categorical_case(seed, **data) if name == "smoten" else numeric_case(name, seed, **data)


@pytest.mark.parametrize("name", ["smoten", *NUMERIC])
@pytest.mark.parametrize("cuts", [[], [300, 600], [1, 2, 130, 131, 500, 899]])
@pytest.mark.parametrize("block_rows", [97, 5000])
def test_blockwise_with_imbalanced_learns_seeding_gives_the_memory_rows(name, cuts, block_rows):
    rule, X, y, reference, strategy = case(name, 3)
    result = blockwise(
        rule, X, y, cuts, sampling_strategy=strategy, random_state=3, block_rows=block_rows
    )
    assert_same(result, reference)


@settings(max_examples=10, deadline=None)
@given(
    name=st.sampled_from(["smoten", *sorted(NUMERIC)]),
    cuts=st.lists(st.integers(0, 300), max_size=6).map(sorted),
    block_rows=st.integers(1, 300),
    seed=st.integers(0, 2**31 - 1),
)
def test_any_partitioning_and_block_size_give_the_memory_rows(name, cuts, block_rows, seed):
    rule, X, y, reference, strategy = case(name, seed, data_seed=2, n=300)
    options = {"sampling_strategy": strategy, "random_state": seed, "block_rows": block_rows}
    assert_same(blockwise(rule, X, y, cuts, **options), reference)


@pytest.mark.parametrize("name", ["smoten", *NUMERIC])
def test_block_seeding_gives_the_same_rows_for_any_partitioning(name):
    rule, X, y, _, strategy = case(name, 0, data_seed=4)
    options = {"sampling_strategy": strategy, "random_state": 11, "seeding": "blocks"}
    outputs = [
        blockwise(rule, X, y, cuts, block_rows=70, **options)
        for cuts in ([], [450], list(range(100, 900, 128)))
    ]
    for output in outputs[1:]:
        assert_same(output, outputs[0])


# -- what each sampler's rule is, and the refusals ------------------------------------------
@pytest.mark.parametrize("name", ["smoten", *NUMERIC, *GLOBAL_MODEL])
def test_rule_for_returns_the_samplers_own_rule(name):
    sampler = SMOTEN() if name == "smoten" else {**NUMERIC, **GLOBAL_MODEL}[name](0)
    assert type(rule_for(sampler)) is type(sampler._rule())


@pytest.mark.parametrize(
    ("name", "needs", "instead"),
    [
        ("svm-smote", "SVMSMOTE needs an SVM fitted on all rows", "BorderlineSMOTE"),
        ("kmeans-smote", "KMeansSMOTE needs k-means clusters of all rows", "use SMOTE"),
    ],
)
def test_global_model_samplers_are_refused_blockwise_naming_what_to_do(name, needs, instead):
    X, y = make_data()
    rule = rule_for(GLOBAL_MODEL[name](0))
    with pytest.raises(TypeError, match=needs) as error:
        run_blockwise(rule, split(X, y, [450]), random_state=0)
    assert "resample in memory" in str(error.value) and instead in str(error.value)

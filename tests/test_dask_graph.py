"""Dask as a graph of the engine's steps: any rule, the same rows for any partitioning.

Synchronous scheduler (partition invariance does not depend on the scheduler; test_dask.py
keeps the LocalCluster runs):

* SMOTE, Borderline-SMOTE 1/2, SMOTE-NC, ADASYN, PolynomFitSMOTE, ProWSyn and SMOTE-N give
  the same output for 1, 3 and 7 partitions under both seedings, and the in-memory
  ``fit_resample`` rows under imbalanced-learn's;
* SMOTE and Borderline-SMOTE 1/2 give the rows of the Dask path before the engine;
* a rule the engine has but Dask has never heard of runs there with no edit in dask/;
* a rule that needs a model of the whole data is refused, naming the model.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")

from imblearn.over_sampling import SMOTEN as ImbSMOTEN  # noqa: E402
from imblearn.over_sampling import SMOTENC as ImbSMOTENC  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402

from smotekit import (  # noqa: E402
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    PolynomFitSMOTE,
    ProWSyn,
)
from smotekit.dask import _graph, fit_resample  # noqa: E402
from smotekit.engine import Capabilities, NeighborQuery  # noqa: E402
from smotekit.neighbors import ExactNeighbors  # noqa: E402
from smotekit.over_sampling._rules import SMOTERule, rule_for  # noqa: E402

SAMPLERS = {
    "smote": lambda: SMOTE(random_state=5),
    "borderline-1": lambda: BorderlineSMOTE(random_state=5),
    "borderline-2": lambda: BorderlineSMOTE(random_state=5, kind="borderline-2"),
    "smotenc": lambda: SMOTENC(categorical_features=["colour", "size"], random_state=5),
    # imbalanced-learn's class runs as smotekit's, compared with imbalanced-learn in memory
    "imblearn-smotenc": lambda: ImbSMOTENC(categorical_features=["colour", "size"], random_state=5),
    # one random stream for all classes (the sampler stream), two strategies
    "adasyn": lambda: ADASYN(random_state=5),
    "adasyn-dict": lambda: ADASYN(random_state=5, sampling_strategy={1: 250, 2: 240}),
    # a class statistic (the mean) and a class-level draw
    "polynom-fit": lambda: PolynomFitSMOTE(random_state=5),
    # class queries that read all rows: proximity levels peeled in rounds over the partitions
    "prowsyn": lambda: ProWSyn(random_state=5),
    "prowsyn-3-levels": lambda: ProWSyn(random_state=5, n_neighbors=3, n_levels=3),
    # ... and a value-difference metric fitted from every partition's category counts
    "smoten": lambda: SMOTEN(random_state=5),
    "imblearn-smoten": lambda: ImbSMOTEN(random_state=5),
}

#: The columns each sampler reads (make_frame's numeric ones unless listed).
COLUMNS = {
    "smotenc": ["a", "b", "c", "colour", "size"],
    "imblearn-smotenc": ["a", "b", "c", "colour", "size"],
    "smoten": ["colour", "size", "band"],
    "imblearn-smoten": ["colour", "size", "band"],
}


def make_frame(n=420):
    """Three classes, three continuous columns, a text column and a numeric category."""
    X, y = make_classification(
        n_samples=n,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[0.7, 0.2, 0.1],
        class_sep=0.6,
        random_state=3,
    )
    df = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    df["colour"] = np.array(["blue", "green", "red"])[np.digitize(X[:, 3], [-0.5, 0.5])]
    df["size"] = np.digitize(X[:, 4], [-1.0, 0.0, 1.0]).astype(np.int64)
    df["band"] = np.array(["low", "mid", "high"])[np.digitize(X[:, 0], [-0.5, 0.5])]
    return df, pd.Series(y, name="target")


def on_dask(sampler, df, y, n_parts, **options):
    Xd, yd = dd.from_pandas(df, npartitions=n_parts), dd.from_pandas(y, npartitions=n_parts)
    lazy = fit_resample(sampler, Xd, yd, block_rows=70, return_provenance=True, **options)
    return [part.compute(scheduler="sync").reset_index(drop=True) for part in lazy]


@pytest.mark.parametrize("seeding", ["blocks", "imbalanced-learn"])
@pytest.mark.parametrize("name", SAMPLERS)
def test_the_same_rows_for_1_3_7_partitions_and_memorys_under_its_seeding(name, seeding):
    df, y = make_frame()
    X = df[COLUMNS.get(name, ["a", "b", "c"])]
    outputs = [on_dask(SAMPLERS[name](), X, y, p, seeding=seeding) for p in (1, 3, 7)]
    X_res, y_res, provenance = outputs[0]
    assert len(provenance) == len(X_res) - len(X) > 0
    for other in outputs[1:]:
        pd.testing.assert_frame_equal(other[0], X_res)
        pd.testing.assert_series_equal(other[1], y_res)
        pd.testing.assert_frame_equal(other[2], provenance)
    if seeding == "imbalanced-learn":
        X_mem, y_mem = SAMPLERS[name]().fit_resample(X, y)
        # dask stores text as its own string dtype; the values are compared
        X_mem = X_mem.reset_index(drop=True).astype(X_res.dtypes.to_dict())
        pd.testing.assert_frame_equal(X_res, X_mem)
        np.testing.assert_array_equal(y_res, y_mem)


# SHA-256 (first 16 hex digits) of the provenance (base, neighbor, gap as 64-bit words) that
# smotekit's Dask path gave before it ran on the engine, for make_frame's numeric columns, 3
# partitions, block_rows=70: integers and draws only, so they do not depend on the platform.
BEFORE_THE_ENGINE = {
    ("smote", "blocks"): "0c06f4302a8eee39",
    ("smote", "imbalanced-learn"): "0b1a35282c1345fa",
    ("borderline-1", "blocks"): "e1871d0ae7832846",
    ("borderline-1", "imbalanced-learn"): "77923368469ee52a",
    ("borderline-2", "blocks"): "6bb1e85fbb9ef7a6",
    ("borderline-2", "imbalanced-learn"): "cbac4c65334a434d",
}


@pytest.mark.parametrize(("name", "seeding"), BEFORE_THE_ENGINE)
def test_the_dask_paths_rows_before_the_engine(name, seeding):
    df, y = make_frame()
    _, _, provenance = on_dask(SAMPLERS[name](), df[["a", "b", "c"]], y, 3, seeding=seeding)
    words = np.column_stack(
        [provenance[c].to_numpy().astype(t).view(np.uint64) for c, t in PROVENANCE_WORDS]
    )
    digest = hashlib.sha256(words.tobytes()).hexdigest()[:16]
    assert digest == BEFORE_THE_ENGINE[name, seeding]


PROVENANCE_WORDS = (("base", np.int64), ("neighbor", np.int64), ("gap", np.float64))


def test_class_blocks_change_nothing_in_the_class_search():
    df, y = make_frame()
    X = df[["a", "b", "c"]]
    whole = on_dask(SMOTE(random_state=0), X, y, 3, seeding="imbalanced-learn")
    # 20 rows of 3 float64 per class block: the classes' searches run on several blocks.
    cut = on_dask(SMOTE(random_state=0), X, y, 3, seeding="imbalanced-learn", class_budget=480)
    pd.testing.assert_frame_equal(cut[0], whole[0])
    pd.testing.assert_frame_equal(cut[2], whole[2])


class HalfwayRule(SMOTERule):
    """A rule Dask has never seen: partners among all rows, every move stops halfway."""

    def __init__(self):
        super().__init__(3)
        self.k_query = NeighborQuery("k", 3, ExactNeighbors(n_neighbors=4), scope="all")

    def plan(self, job, draws):
        piece = super().plan(job, draws)
        piece.plan.gap[:] = 0.5
        return piece


def test_a_new_rule_runs_on_dask_with_no_edit_there(monkeypatch):
    df, y = make_frame()
    X = df[["a", "b", "c"]]
    monkeypatch.setattr(_graph, "rule_for", lambda sampler: HalfwayRule())
    outputs = [on_dask(SMOTE(random_state=1), X, y, p) for p in (1, 7)]
    X_res, _, provenance = outputs[0]
    base, nbr = provenance["base"].to_numpy(), provenance["neighbor"].to_numpy()
    values = X.to_numpy()
    np.testing.assert_allclose(X_res.iloc[len(X) :], (values[base] + values[nbr]) / 2)
    pd.testing.assert_frame_equal(outputs[1][0], X_res)


def test_a_rule_needing_a_model_of_all_rows_is_refused_with_the_model_named(monkeypatch):
    class NeedsModel(SMOTERule):
        capabilities = Capabilities(global_model="an SVM fitted on all rows")

    monkeypatch.setattr(_graph, "rule_for", lambda sampler: NeedsModel(5))
    df, y = make_frame()
    with pytest.raises(TypeError, match=r"needs an SVM fitted on all rows.*Resample in memory"):
        on_dask(SMOTE(), df[["a", "b", "c"]], y, 2)


def test_class_tasks_leave_the_rule_they_share_unfitted():
    # With threads (dask's default scheduler) every class's tasks hold the same rule object;
    # when a class task fitted the rule's estimator, another class could read its neighbours
    # (wrong rows, or an IndexError, in about 1 run of 5 with SMOTE on three classes).
    rule = rule_for(SMOTE(k_neighbors=3))
    X_class = np.random.RandomState(0).normal(size=(20, 2))
    cls = _graph._prepared(rule, (1, 20, 10), 1, (np.arange(20), X_class), {}, None, 70, 0)
    assert cls.job.partners.graph.shape == (20, 3)
    assert not hasattr(rule.partners().estimator, "n_samples_fit_")
    df, y = make_frame(900)
    Xd, yd = (dd.from_pandas(v, npartitions=3) for v in (df[["a", "b", "c"]], y))
    X_res = fit_resample(SMOTE(random_state=0), Xd, yd, block_rows=70)[0]
    expected = X_res.compute(scheduler="sync")
    for _ in range(3):
        pd.testing.assert_frame_equal(X_res.compute(scheduler="threads"), expected)


def test_supported_follows_the_registry_and_text_columns_need_categorical_samplers():
    from smotekit._registry import specs
    from smotekit.dask import SUPPORTED

    assert SUPPORTED == tuple(s.name for s in specs() if s.blockwise)
    df, y = make_frame()
    with pytest.raises(ValueError, match=r"not numbers \(\['colour', 'band'\]\)"):
        on_dask(SMOTE(), df, y, 2)
    with pytest.raises(ValueError, match=r"categorical_features.*does not select"):
        on_dask(SMOTENC(categorical_features=["shade"]), df, y, 2)
    assert rule_for(SMOTE()) is not None


def test_class_queries_refuse_small_classes_and_missing_categories_before_any_task():
    df, y = make_frame()
    with pytest.raises(ValueError, match=r"k_neighbors=50"):
        fit_resample(
            SMOTEN(k_neighbors=50), *(dd.from_pandas(v, npartitions=2) for v in (df[["colour"]], y))
        )
    df.loc[3, "colour"] = None
    with pytest.raises(ValueError, match=r"column 'colour' of X has missing values"):
        on_dask(SMOTEN(), df[["colour", "size"]], y, 2)


def test_imbalanced_learns_sampler_with_a_neighbours_estimator_runs():
    """Its parameters are read shallow: a nested estimator's own parameters are not passed on."""
    from imblearn.over_sampling import SMOTE as ImbSMOTE
    from sklearn.neighbors import NearestNeighbors

    sampler = ImbSMOTE(k_neighbors=NearestNeighbors(n_neighbors=6), random_state=0)
    assert _graph._as_smotekit(sampler).k_neighbors.n_neighbors == 6

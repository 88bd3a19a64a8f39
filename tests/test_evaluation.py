"""smotekit.evaluation: no leakage, threshold chosen inside the training fold, metrics, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    roc_auc_score,
)
from sklearn.model_selection import RepeatedStratifiedKFold

from smotekit.cli import main
from smotekit.evaluation import (
    COLUMNS,
    Dataset,
    Strategy,
    available_strategies,
    evaluate,
    fold_metrics,
    g_mean,
    load_dataset,
    load_file,
    to_binary,
    write_report,
)

# rows seen by the spies below; module level because sklearn's clone deep-copies parameters
SEEN: list[tuple[str, frozenset[int]]] = []


def _ids(X):
    return frozenset(np.asarray(X)[:, 0].round().astype(int).tolist())


class SpySampler(RandomOverSampler):
    """Random oversampling that records which rows (column 0 = row id) it was given."""

    def _fit_resample(self, X, y):
        SEEN.append(("resample", _ids(X)))
        return super()._fit_resample(X, y)


class SpyLogisticRegression(LogisticRegression):
    """Logistic regression that records the rows of every fit and prediction."""

    def fit(self, X, y, sample_weight=None):
        SEEN.append(("fit", _ids(X)))
        return super().fit(X, y, sample_weight=sample_weight)

    def predict_proba(self, X):
        SEEN.append(("predict", _ids(X)))
        return super().predict_proba(X)

    def decision_function(self, X):
        SEEN.append(("predict", _ids(X)))
        return super().decision_function(X)


def _id_data(n_major=100, n_minor=20, seed=0):
    rng = np.random.RandomState(seed)
    y = np.r_[np.zeros(n_major, dtype=np.int64), np.ones(n_minor, dtype=np.int64)]
    signal = rng.normal(size=y.size) + 1.5 * y
    X = np.c_[np.arange(y.size, dtype=np.float64), signal, rng.normal(size=y.size)]
    return Dataset("ids", X, y)


def _splits(data, n_splits, n_repeats, seed):
    cv = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=seed)
    return [(frozenset(tr.tolist()), frozenset(te.tolist())) for tr, te in cv.split(data.X, data.y)]


def _check_resampled_training_folds_only(seen, splits):
    """Each resampling saw exactly one training fold, in order, and no row of its test fold."""
    assert len(seen) == len(splits)
    for rows, (train, test) in zip(seen, splits, strict=True):
        assert not rows & test, f"resampling saw {len(rows & test)} test-fold rows"
        assert rows == train


def test_resampling_sees_training_fold_rows_only():
    data = _id_data()
    spy = Strategy("spy", "sampler", "spy", lambda rs, cat: SpySampler(random_state=rs))
    SEEN.clear()
    table = evaluate(
        data, classifiers=["tree"], strategies=[spy], n_splits=4, n_repeats=2, scale=False
    )
    assert (table["status"] == "ok").all()
    resampled = [rows for kind, rows in SEEN if kind == "resample"]
    _check_resampled_training_folds_only(resampled, _splits(data, 4, 2, 0))


def test_leak_check_catches_resampling_before_the_split():
    # the same check on the classic mistake (oversample, then split) must fail
    data = _id_data()
    SpySampler(random_state=0).fit_resample(data.X, data.y)
    leaky = [SEEN.pop()[1]] * 8
    with pytest.raises(AssertionError, match="test-fold rows"):
        _check_resampled_training_folds_only(leaky, _splits(data, 4, 2, 0))


def test_threshold_is_chosen_without_the_test_fold():
    data = _id_data(seed=1)
    SEEN.clear()
    table = evaluate(
        data,
        classifiers={"spy": SpyLogisticRegression()},
        strategies=["threshold"],
        n_splits=3,
        n_repeats=1,
        scale=False,
    )
    assert (table["status"] == "ok").all()
    assert table["threshold"].nunique() > 1 or table["threshold"].iloc[0] != 0.5
    calls = list(SEEN)
    for train, test in _splits(data, 3, 1, 0):
        # tuning: inner fits and predictions, then the refit, all inside the training fold
        n_fit = 0
        while calls and calls[0][1] <= train:
            kind, _ = calls.pop(0)
            n_fit += kind == "fit"
        assert n_fit >= 4  # 3 inner folds + the refit on the whole training fold
        # then the test fold is only predicted, never fitted on
        n_pred = 0
        while calls and calls[0][1] <= test:
            kind, _ = calls.pop(0)
            assert kind == "predict"
            n_pred += 1
        assert n_pred >= 1
    assert not calls, "a call mixed training and test rows"


def test_metrics_equal_sklearn():
    rng = np.random.RandomState(0)
    y = (rng.uniform(size=60) < 0.3).astype(int)
    score = np.clip(0.3 * y + rng.uniform(size=60) * 0.7, 0, 1)
    pred = (score >= 0.4).astype(int)
    m = fold_metrics(y, score, pred)
    assert m["roc_auc"] == roc_auc_score(y, score)
    assert m["pr_auc"] == average_precision_score(y, score)
    assert m["balanced_accuracy"] == balanced_accuracy_score(y, pred)
    assert m["f1"] == f1_score(y, pred)
    assert m["brier"] == brier_score_loss(y, score)
    from imblearn.metrics import geometric_mean_score

    assert m["g_mean"] == pytest.approx(geometric_mean_score(y, pred), rel=1e-12)
    assert g_mean(y, pred) == m["g_mean"]
    # no y_pred: the default threshold 0.5
    assert fold_metrics(y, score)["f1"] == f1_score(y, (score >= 0.5).astype(int))


def test_failing_sampler_is_a_row_not_a_crash():
    rng = np.random.RandomState(0)
    y = np.r_[np.zeros(60, dtype=np.int64), np.ones(6, dtype=np.int64)]
    X = rng.normal(size=(66, 2)) + y[:, None]
    table = evaluate(
        Dataset("tiny", X, y),
        classifiers=["logreg"],
        strategies=["none", "smote"],
        n_splits=2,
        n_repeats=1,
    )
    smote = table[table["strategy"] == "smote"]
    assert (smote["status"] == "failed").all()
    assert smote["error"].str.contains("k_neighbors").all()
    assert smote["roc_auc"].isna().all()
    assert (table[table["strategy"] == "none"]["status"] == "ok").all()


def test_table_shape_and_class_weight_only_where_it_applies():
    data = _id_data()
    table = evaluate(
        data,
        classifiers=["knn", "logreg"],
        strategies=["none", "class_weight", "smote"],
        n_splits=2,
        n_repeats=1,
    )
    assert list(table.columns) == COLUMNS
    combos = set(zip(table["classifier"], table["strategy"], strict=True))
    assert ("knn", "class_weight") not in combos
    assert ("logreg", "class_weight") in combos
    smote = table[table["strategy"] == "smote"]
    assert (smote["n_synthetic"] == smote["n_train"] - 2 * smote["n_train_minority"]).all()


def test_family_members_are_resolved_by_name():
    import smotekit

    keys = [s.key for s in available_strategies()]
    assert keys[:5] == ["none", "class_weight", "threshold", "random_over", "smote"]
    for key, name in [("borderline_smote", "BorderlineSMOTE"), ("adasyn", "ADASYN")]:
        assert (key in keys) == hasattr(smotekit, name)
    assert "smotenc" not in keys and "smoten" not in keys
    mixed = [s.key for s in available_strategies(n_categorical=1, n_features=3)]
    assert ("smotenc" in mixed) == hasattr(smotekit, "SMOTENC")


def test_to_binary_and_multiclass_error():
    y, minority = to_binary(np.array([3, 3, 3, 7]))
    assert y.tolist() == [0, 0, 0, 1] and minority == 7
    with pytest.raises(ValueError, match="3 classes"):
        to_binary([0, 1, 2, 2])


def test_load_file_with_categorical_column(tmp_path):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "colour": rng.choice(["red", "blue", "green"], size=80),
            "size": rng.normal(size=80),
            "label": ["rare"] * 16 + ["common"] * 64,
        }
    )
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    data = load_file(path, "label")
    assert data.n_categorical == 1 and data.feature_names == ["size", "colour"]
    assert int(data.y.sum()) == 16 and data.minority_label == "rare"
    assert set(np.unique(data.X[:, 1])) == {0.0, 1.0, 2.0}
    with pytest.raises(ValueError, match="--target 'nope'"):
        load_file(path, "nope")
    table = evaluate(
        data, classifiers=["logreg"], strategies=["none", "smote"], n_splits=2, n_repeats=1
    )
    assert (table["status"] == "ok").all()


def test_report_from_several_datasets(tmp_path):
    a = evaluate(
        _id_data(seed=0),
        classifiers=["logreg"],
        strategies=["none", "smote"],
        n_splits=2,
        n_repeats=1,
    )
    b = evaluate(
        _id_data(seed=1),
        classifiers=["logreg"],
        strategies=["none", "smote"],
        n_splits=2,
        n_repeats=1,
    )
    b["dataset"] = "ids2"
    report = write_report(pd.concat([a, b]), tmp_path, config={"folds": 2}, figures=False)
    text = report.read_text()
    assert "Mean rank" in text and "| logreg | smote |" in text
    assert pd.read_csv(tmp_path / "results.csv").shape[0] == len(a) + len(b)


def test_shipped_dataset_loads():
    data = load_dataset("glass1")
    assert data.X.shape == (214, 9) and int(data.y.sum()) == 76
    with pytest.raises(ValueError, match="not a shipped data set"):
        load_dataset("no-such-set")


def test_cli_evaluate_tiny(tmp_path, capsys):
    out = tmp_path / "ev"
    code = main(
        [
            "evaluate",
            "--dataset",
            "ecoli1",
            "--folds",
            "2",
            "--repeats",
            "1",
            "--classifiers",
            "logreg,tree",
            "--strategies",
            "none,threshold,smote",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "ROC AUC" in printed and "report:" in printed
    table = pd.read_csv(out / "results.csv")
    assert len(table) == 2 * 2 * 3 and (table["status"] == "ok").all()
    assert set(table["strategy"]) == {"none", "threshold", "smote"}
    report = (out / "report.md").read_text()
    assert "## Mean ± standard deviation over folds" in report
    # the numbers in the report are those of the CSV
    logreg_none = table[(table["classifier"] == "logreg") & (table["strategy"] == "none")]
    assert f"{logreg_none['roc_auc'].mean():.3f}" in report
    assert (out / "figures" / "folds.png").stat().st_size > 1000
    html = (out / "report.html").read_text()
    assert "data:image/png;base64," in html and "<table>" in html


def test_cli_evaluate_file_and_errors(tmp_path, capsys):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
    frame["y"] = [1] * 12 + [0] * 48
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "ev"
    args = [
        "evaluate",
        "--data",
        str(path),
        "--target",
        "y",
        "--folds",
        "2",
        "--repeats",
        "1",
        "--classifiers",
        "logreg",
        "--strategies",
        "none,smote",
        "--out",
        str(out),
        "--no-figures",
    ]
    assert main(args) == 0
    assert not (out / "figures").exists()
    assert main(["evaluate", "--data", str(path)]) == 2
    assert "--target" in capsys.readouterr().err
    assert main(["evaluate", "--data", str(path), "--target", "zz"]) == 2  # as resample
    assert main(["evaluate", "--dataset", "nope"]) == 2
    assert main(["evaluate", "--classifiers", "svm"]) == 2
    assert (
        main(
            [
                "evaluate",
                "--strategies",
                "magic",
                "--folds",
                "2",
                "--repeats",
                "1",
                "--out",
                str(out),
            ]
        )
        == 2
    )
    capsys.readouterr()
    assert main(["evaluate", "--dataset", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ecoli1" in listing and "tutorial" in listing


def test_best_threshold_is_the_best_cut():
    from smotekit.evaluation._threshold import best_balanced_threshold

    rng = np.random.RandomState(3)
    for _ in range(20):
        y = (rng.uniform(size=50) < 0.2).astype(int)
        if y.sum() == 0:
            continue
        s = np.round(rng.uniform(size=50) * 0.6 + 0.3 * y, 2)  # ties on purpose
        t = best_balanced_threshold(y, s)
        best = max(balanced_accuracy_score(y, (s >= c).astype(int)) for c in np.unique(s))
        assert balanced_accuracy_score(y, (s >= t).astype(int)) == pytest.approx(best)

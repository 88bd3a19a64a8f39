"""`smotekit evaluate --task regression`: no leakage, rarity from the training fold, CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from helpers import check_resampled_training_folds_only
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error, root_mean_squared_error
from sklearn.model_selection import RepeatedStratifiedKFold

import smotekit.regression
from smotekit.cli import main
from smotekit.evaluation import (
    REGRESSION_COLUMNS,
    Dataset,
    Strategy,
    compare,
    evaluate_regression,
    regression_fold_metrics,
)
from smotekit.evaluation._regression_cv import rare_strata, why_unusable
from smotekit.regression import (
    RandomOverSamplerRegression,
    relevance,
    relevance_control_points,
    sera,
)

# what the spies below saw; module level because sklearn's clone deep-copies parameters
SEEN: list[tuple[str, frozenset[int], object]] = []


def _ids(X):
    return frozenset(np.asarray(X)[:, 0].round().astype(int).tolist())


class SpyOverSampler(RandomOverSamplerRegression):
    """Random over-sampling (copies keep their row id) that records the rows it was given."""

    def _fit_resample(self, X, y):
        out = super()._fit_resample(X, y)
        SEEN.append(("resample", _ids(X), self.control_points_))
        return out


class SpyRidge(Ridge):
    """Ridge regression that records the rows of every fit and prediction."""

    def fit(self, X, y, sample_weight=None):
        SEEN.append(("fit", _ids(X), None))
        return super().fit(X, y, sample_weight=sample_weight)

    def predict(self, X):
        SEEN.append(("predict", _ids(X), None))
        return super().predict(X)


def _id_data(n=160, seed=0):
    """Column 0 is the row id; y is skewed (a long upper tail of rare values), all distinct."""
    rng = np.random.RandomState(seed)
    signal = rng.normal(size=n)
    y = np.exp(1.2 * signal + 0.3 * rng.normal(size=n))
    X = np.c_[np.arange(n, dtype=np.float64), signal, rng.normal(size=n)]
    return Dataset("ids", X, y)


def _splits(data, n_splits, n_repeats, seed=0):
    cv = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=seed)
    folds = cv.split(data.X, relevance(data.y) >= 0.5)
    return [(frozenset(tr.tolist()), frozenset(te.tolist())) for tr, te in folds]


def test_resampling_and_fitting_see_training_fold_rows_only():
    data = _id_data()
    assert why_unusable(data, 4, 2, 0) is None
    spy = Strategy("spy", "sampler", "spy", lambda rs, cat: SpyOverSampler(random_state=rs))
    SEEN.clear()
    table = evaluate_regression(
        data, regressors={"spy": SpyRidge()}, strategies=[spy], n_splits=4, n_repeats=2, scale=False
    )
    assert (table["status"] == "ok").all() and (table["n_synthetic"] > 0).all()
    splits = _splits(data, 4, 2)
    resampled = [rows for kind, rows, _ in SEEN if kind == "resample"]
    check_resampled_training_folds_only(resampled, splits)
    # the sampler's relevance: the box plot of the training fold's targets, not of all of y
    points = [cp for kind, _, cp in SEEN if kind == "resample"]
    for cp, (train, _) in zip(points, splits, strict=True):
        expected = relevance_control_points(data.y[sorted(train)])
        np.testing.assert_array_equal(cp.as_matrix(), expected.as_matrix())
    # the regressor is fitted on the training fold (and copies of its rows), predicts the test fold
    fits = [rows for kind, rows, _ in SEEN if kind == "fit"]
    predictions = [rows for kind, rows, _ in SEEN if kind == "predict"]
    for fitted, predicted, (train, test) in zip(fits, predictions, splits, strict=True):
        assert fitted == train and predicted == test


def test_rare_test_cases_are_decided_by_the_training_fold(monkeypatch):
    # every relevance the metrics use comes from control points of a training fold's targets
    data = _id_data(seed=1)
    row_of = {float(v): i for i, v in enumerate(data.y)}
    seen = []
    real = smotekit.regression.relevance_control_points

    def spy(y=None, **kwargs):
        seen.append(frozenset(row_of[float(v)] for v in y))
        return real(y, **kwargs)

    monkeypatch.setattr(smotekit.regression, "relevance_control_points", spy)
    table = evaluate_regression(
        data, regressors=["ridge"], strategies=["none"], n_splits=3, n_repeats=1
    )
    splits = _splits(data, 3, 1)
    assert seen and all(any(rows == train for train, _ in splits) for rows in seen)
    # and every test fold has rare cases under its training fold's phi (stratified by rarity)
    assert (table["n_test_rare"] > 0).all()
    expected = [
        int((relevance(data.y[sorted(test)], real(data.y[sorted(train)])) >= 0.5).sum())
        for train, test in splits
    ]
    assert table["n_test_rare"].tolist() == expected


def test_fold_metrics_match_their_definitions():
    rng = np.random.RandomState(0)
    y_train = np.exp(rng.normal(size=200))
    y_test = np.exp(rng.normal(size=50))
    y_pred = y_test + rng.normal(scale=0.5, size=50)
    metrics = regression_fold_metrics(y_train, y_test, y_pred)
    assert list(metrics) == ["rmse", "mae", "rmse_rare", "mae_rare", "sera"]
    assert metrics["rmse"] == pytest.approx(root_mean_squared_error(y_test, y_pred))
    assert metrics["mae"] == pytest.approx(mean_absolute_error(y_test, y_pred))
    phi = relevance(y_test, relevance_control_points(y_train))
    rare = phi >= 0.5
    assert 0 < rare.sum() < rare.size
    assert metrics["rmse_rare"] == pytest.approx(
        root_mean_squared_error(y_test[rare], y_pred[rare])
    )
    assert metrics["mae_rare"] == pytest.approx(mean_absolute_error(y_test[rare], y_pred[rare]))
    assert metrics["sera"] == pytest.approx(sera(y_test, y_pred, phi=phi))
    # the test fold's own box plot would mark other cases rare: the training fold's is used
    assert not np.array_equal(rare, relevance(y_test) >= 0.5)


def test_unusable_data_sets_say_why():
    from smotekit.evaluation import load_regression

    n = 60
    flat = Dataset("flat", np.zeros((n, 1)), np.linspace(0, 1, n))
    assert why_unusable(flat, 5, 1, 0).startswith("no rare case")
    few = Dataset("few", np.zeros((10, 1)), np.r_[np.arange(1.0, 10.0), 100.0])
    assert rare_strata(few.y).tolist() == [0] * 7 + [1] * 3
    assert why_unusable(few, 5, 1, 0).startswith("3 rare rows, fewer than the 5 folds")
    # rare under the whole target's box plot, but not under a training fold's own
    reason = why_unusable(load_regression("o-ring"), 5, 1, 0)
    assert reason.startswith("6 rare rows, but the training fold of repeat 0 fold 0 has none")
    with pytest.raises(ValueError, match="'flat' cannot be evaluated: no rare case"):
        evaluate_regression(flat)


def _errors_table(factor):
    """A tidy table over 8 data sets of very different scales where ``better`` has errors
    ``factor`` times those of ``none`` and ``same`` has the same errors."""
    scale = np.logspace(-3, 4, 8)
    rows = []
    for i, s in enumerate(scale):
        for strategy, f in [("none", 1.0), ("better", factor), ("same", 1.0 + 1e-9 * (i - 4))]:
            metrics = {m: s * f * (1 + 0.01 * i) for m in ["rmse", "mae", "rmse_rare"]}
            metrics |= {"mae_rare": s * f, "sera": s * s * f}
            rows.append(
                {
                    "dataset": f"d{i}",
                    "regressor": "r",
                    "strategy": strategy,
                    "status": "ok",
                    **metrics,
                }
            )
    return pd.DataFrame(rows)


def test_lower_errors_rank_first_and_compare_by_ratio():
    result = compare(_errors_table(0.9), baselines=["none"], task="regression")
    ranks = result.ranks.query("metric == 'rmse'").set_index("strategy")["mean_rank"]
    assert ranks["better"] == 1.0
    versus = result.versus.query("metric == 'rmse'").set_index("strategy")
    assert versus.loc["better", "verdict"] == "better"
    # a ratio of 0.9 on every data set, whatever its units: a change of -10%
    assert versus.loc["better", "mean_diff"] == pytest.approx(-0.1)
    assert versus.loc["better", "ci_low"] == pytest.approx(-0.1)
    assert "regressor" in result.ranks.columns and "classifier" not in result.ranks.columns
    worse = compare(_errors_table(1.1), baselines=["none"], task="regression").versus
    assert set(worse.query("strategy == 'better'")["verdict"]) == {"worse"}


def test_a_failed_strategy_scores_the_worst_error_of_its_data_set():
    from smotekit.evaluation import versus_baseline

    scores = pd.DataFrame(
        {"none": [1.0, 100.0, 5.0], "a": [0.5, np.nan, 4.0], "b": [2.0, 300.0, 6.0]}
    )
    row = versus_baseline(scores, "none", higher_is_better=False, relative=True)
    a = row.set_index("strategy").loc["a"]
    # data set 2: a failed and scores b's 300, three times none's error
    assert (int(a["failed"]), int(a["wins"]), int(a["losses"])) == (1, 2, 1)
    expected = np.expm1(np.mean(np.log([0.5, 3.0, 0.8])))
    assert a["mean_diff"] == pytest.approx(expected)


# -- the command line --------------------------------------------------------------------------
def _csv(tmp_path, name="skewed", n=120, seed=0, target="price"):
    rng = np.random.RandomState(seed)
    signal = rng.normal(size=n)
    frame = pd.DataFrame({"a": signal, "b": rng.normal(size=n)})
    frame["kind"] = rng.choice(["x", "y"], size=n)
    frame[target] = np.exp(1.2 * signal + 0.3 * rng.normal(size=n))
    path = tmp_path / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path


def test_cli_regression_on_a_file(tmp_path, capsys):
    path = _csv(tmp_path)
    out = tmp_path / "run"
    args = ["evaluate", "--task", "regression", "--data", str(path), "--target", "price"]
    args += ["--regressors", "ridge,tree", "--strategies", "none,smoter,smogn"]
    args += ["--folds", "3", "--repeats", "1", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "regressor" in printed and "RMSE rare" in printed and "SERA" in printed
    results = pd.read_csv(out / "results.csv")
    assert list(results.columns) == REGRESSION_COLUMNS
    assert len(results) == 3 * 2 * 3 and (results["status"] == "ok").all()
    assert (results.query("strategy != 'none'")["n_synthetic"] > 0).all()
    record = json.loads((out / "run.json").read_text())["config"]
    assert record["task"] == "regression" and record["regressors"] == ["ridge", "tree"]
    report = (out / "report.md").read_text()
    assert report.startswith("# smotekit evaluate --task regression")
    assert "stratified by rarity" in report and "`sera`" in report
    assert (out / "report.html").exists() and (out / "figures" / "folds.png").exists()
    # the same folder resumed: nothing computed again
    assert main([*args, "--resume"]) == 0
    assert "3 units reused" in capsys.readouterr().err


def test_cli_regression_over_shipped_sets(tmp_path, capsys):
    out = tmp_path / "run"
    args = ["evaluate", "--task", "regression"]
    args += ["--dataset", "yacht_hydrodynamics,servo,wankara,real_estate_valuation"]
    args += ["--regressors", "tree", "--strategies", "none,random_over", "--no-figures"]
    args += ["--folds", "2", "--repeats", "1", "--out", str(out)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "skipped wankara: no rare case" in captured.err
    assert "mean rank over 3 data sets" in captured.out and "against none" in captured.out
    versus = pd.read_csv(out / "versus.csv")
    assert set(versus["regressor"]) == {"tree"} and set(versus["baseline"]) == {"none"}
    report = (out / "report.md").read_text()
    assert "skipped (1): wankara: no rare case" in report
    assert "vs none: change [95% CI]" in report and "mean where it ran" not in report


def test_cli_regression_bad_options(tmp_path, capsys):
    numeric = _csv(tmp_path)
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"a": np.arange(20.0), "label": ["p", "q"] * 10}).to_csv(labels, index=False)
    flat = _csv(tmp_path, "flat")
    frame = pd.read_csv(flat)
    frame["price"] = np.linspace(0, 1, len(frame))
    frame.to_csv(flat, index=False)
    regression = ["evaluate", "--task", "regression"]
    cases = [
        (regression, 2, "--task regression: give --dataset"),
        ([*regression, "--dataset", "tutorial"], 2, "--dataset tutorial"),
        ([*regression, "--dataset", "yacht"], 2, "Did you mean: yacht_hydrodynamics"),
        ([*regression, "--dataset", "yacht_hydrodynamics", "--classifiers", "knn"], 2,
         "--classifiers is for --task classification"),
        (["evaluate", "--regressors", "ridge"], 2, "--regressors is for --task regression"),
        ([*regression, "--data", str(numeric), "--target", "price", "--regressors", "svm"], 2,
         "--regressors: 'svm' is unknown"),
        ([*regression, "--data", str(numeric), "--target", "price", "--strategies", "smote"], 2,
         "'smote' is not a regression strategy"),
        ([*regression, "--data", str(labels), "--target", "label"], 1, "is not numeric"),
        ([*regression, "--data", str(flat), "--target", "price"], 1,
         "no data set can be evaluated"),
    ]  # fmt: skip
    for args, code, message in cases:
        assert main([*args, "--out", str(tmp_path / "out")]) == code, args
        err = capsys.readouterr().err
        assert message in err, err
    assert not (tmp_path / "out").exists()


def test_resume_refuses_another_task(tmp_path):
    from smotekit.evaluation._runs import RunConfig, Source, prepare_run

    out = tmp_path / "run"
    sources = (Source("yacht_hydrodynamics"),)
    regression = RunConfig(sources, ("ridge",), ("none",), 2, 1, 0, "regression")
    prepare_run(out, regression, resume=False, force=False, skipped={})
    classification = RunConfig(sources, ("logreg",), ("none",), 2, 1, 0)
    with pytest.raises(ValueError, match="--task was regression, now classification"):
        prepare_run(out, classification, resume=True, force=False, skipped={})
    assert RunConfig.from_record(regression.record()) == regression


def test_dataset_list_for_regression(capsys):
    assert main(["evaluate", "--task", "regression", "--dataset", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 35 and lines[1].split()[:2] == ["o-ring", "23"]

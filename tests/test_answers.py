"""The tutorial's answers: every section is there and every number comes from the run."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from smotekit.evaluation import answers
from smotekit.evaluation._answers_calc import _prior_correct
from smotekit.evaluation._threshold import ThresholdMovingClassifier
from smotekit.tutorial import make_data

SECTIONS = [
    '### The notebook\'s "AUROC" is balanced accuracy',
    "### Calibration: SMOTE's probabilities overstate the risk",
    "### Question 1: when is SMOTE a bad algorithm to use?",
    "**A minority in two clusters with the majority between them.**",
    "**Noisy minority rows inside the majority.**",
    "**High-dimensional data.**",
    "**Categorical features.**",
    "### Question 2: when should we not rebalance?",
    "**When the probabilities are used as risks.**",
    "**When deployment has the training prior.**",
    "**With strong learners.**",
    "**When a threshold will do.**",
]
FIGURES = [
    "answers_notebook.png",
    "answers_calibration.png",
    "answers_bridging.png",
    "answers_noisy.png",
    "answers_high_dimension.png",
    "answers_categorical.png",
]


_QUICK: dict = {}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("answers")
    original = answers.compute_answers

    def keep(quick=False):
        _QUICK["results"] = original(quick=quick)
        return _QUICK["results"]

    answers.compute_answers = keep
    try:
        return out, answers.write_answers(out, quick=True)
    finally:
        answers.compute_answers = original


def test_sections_and_files(written):
    out, result = written
    text = (out / "answers.md").read_text()
    assert text == result.markdown
    for heading in SECTIONS:
        assert heading in text, heading
    for name in FIGURES:
        path = out / name
        assert path.stat().st_size > 5_000 and path.stat().st_size < 150_000
        assert f"]({'.'}/{name})" in text
    assert json.loads((out / "answers.json").read_text()) == result.numbers


def test_notebook_numbers_are_recomputed(written):
    _, result = written
    n = result.numbers
    # the notebook's "AUROC" of hard labels is balanced accuracy, row by row
    for row in ("none", "smote", "threshold"):
        assert n[f"notebook.rows.{row}.notebook_auroc"] == pytest.approx(
            n[f"notebook.rows.{row}.balanced_accuracy"], abs=1e-12
        )
    # the unresampled model, rebuilt here, gives the same ROC AUC from scores
    data = make_data()
    X, y = data.X_train.T, (data.y_train == -1).astype(int)
    Xt, yt = data.X_test.T, (data.y_test == -1).astype(int)
    model = LogisticRegression().fit(X, y)
    auc = roc_auc_score(yt, model.predict_proba(Xt)[:, 1])
    assert n["notebook.rows.none.roc_auc"] == pytest.approx(auc, abs=1e-12)
    assert n["notebook.rows.none.accuracy"] == pytest.approx((model.predict(Xt) == yt).mean())
    # the threshold comes from the training data alone
    tuned = ThresholdMovingClassifier(LogisticRegression(), cv=5, random_state=0).fit(X, y)
    assert n["notebook.rows.threshold.threshold"] == pytest.approx(tuned.best_threshold_)
    # the story the report tells holds in its own numbers
    assert n["notebook.rows.none.accuracy"] < 0.86 < n["notebook.rows.smote.accuracy"]
    assert abs(n["notebook.rows.none.roc_auc"] - n["notebook.rows.smote.roc_auc"]) < 0.005
    assert n["notebook.rows.threshold.accuracy"] > 0.95


def test_report_quotes_the_run(written):
    _, result = written
    n, text = result.numbers, result.markdown
    quoted = [
        f"{n['notebook.rows.none.roc_auc']:.4f}",
        f"{n['notebook.rows.smote.accuracy']:.3f}",
        f"{n['notebook.rows.threshold.threshold']:.3f}",
        f"{n['calibration.brier_none']:.4f} ± {n['calibration.brier_none_sd']:.4f}",
        f"{n['calibration.brier_smote']:.4f}",
        f"{n['calibration.brier_smote_corrected']:.4f}",
        f"{n['prior.matched_accuracy_smote']:.4f}",
        f"{n['bridging.rows.smote.precision']:.3f}",
        f"{n['noisy.rows.smote.pr_auc']:.3f}",
        f"{n['categorical.smote.any']:.1%}",
        f"{n['strong.rows.hgb_none.roc_auc']:.3f}",
    ]
    for value in quoted:
        assert value in text, value


def test_calibration_and_cases_point_the_right_way(written):
    _, result = written
    n = result.numbers
    assert n["calibration.brier_smote"] > 1.5 * n["calibration.brier_none"]
    assert n["calibration.brier_smote_corrected"] < n["calibration.brier_smote"]
    assert n["noisy.synthetic_in_majority"] > 0.05
    assert n["bridging.synthetic_in_majority"] > 0
    assert n["categorical.smote.any"] > 0.5
    if "categorical.smotenc.onehot" in n:
        assert n["categorical.smotenc.onehot"] == 0 and n["categorical.smotenc.flag"] == 0


def test_prior_correction():
    p = np.array([0.01, 0.2, 0.5, 0.9])
    assert np.allclose(_prior_correct(p, 0.3, 0.3), p)
    back = _prior_correct(_prior_correct(p, 0.01, 0.4), 0.4, 0.01)
    assert np.allclose(back, p)
    # odds scale by the ratio of prior odds
    q = _prior_correct(p, 0.5, 0.2)
    assert np.allclose(q / (1 - q), p / (1 - p) * 0.25)


def test_summary_lines_quote_the_numbers(written):
    _, result = written
    lines = answers.summary_lines(result.numbers)
    assert len(lines) == 3
    assert f"{result.numbers['calibration.brier_smote']:.4f}" in lines[2]


def test_tutorial_command_writes_the_answers(tmp_path, capsys, monkeypatch, written):
    from smotekit.cli import main

    _, result = written
    # the command's own experiment is tested elsewhere; reuse this module's (quick) answers
    monkeypatch.setattr(answers, "compute_answers", lambda quick=False: _QUICK["results"])
    out = tmp_path / "tut"
    assert main(["tutorial", "--out", str(out), "--no-figures"]) == 0
    printed = capsys.readouterr().out
    assert "Answers (answers.md):" in printed
    assert answers.summary_lines(result.numbers)[0] in printed
    text = (out / "answers.md").read_text()
    for heading in SECTIONS:
        assert heading in text
    assert json.loads((out / "answers.json").read_text()) == result.numbers
    assert main(["tutorial", "--out", str(tmp_path / "plain"), "--no-figures", "--no-answers"]) == 0
    assert not (tmp_path / "plain" / "answers.md").exists()

"""The tutorial's answers, computed: when SMOTE is a bad choice, and when not to rebalance.

:func:`write_answers` runs small seeded experiments on the notebook's data and on generated
cases, and writes ``answers.md`` (every number in it is computed by the run), ``answers.json``
(the same numbers) and the figures. ``smotekit tutorial`` calls it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Answers", "compute_answers", "render_markdown", "summary_lines", "write_answers"]


@dataclass
class Answers:
    """What :func:`write_answers` produced."""

    markdown: str
    numbers: dict[str, float]
    path: Path | None = None
    figures: list[Path] = field(default_factory=list)


def compute_answers(*, quick: bool = False) -> dict[str, Any]:
    """Run every experiment; ``quick`` uses fewer seeds (for tests)."""
    # The fits are small: threads cost more than they give. threadpoolctl limits only the
    # libraries already loaded, so load the estimators' native code first.
    import sklearn.ensemble
    import sklearn.linear_model
    import sklearn.neighbors  # noqa: F401
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _compute(quick)


def _compute(quick: bool) -> dict[str, Any]:
    from smotekit._tutorial_data import make_data
    from smotekit.evaluation import _answers_calc as calc

    data = make_data()
    nb = calc.notebook_scores(data)
    n = 2 if quick else 3
    results: dict[str, Any] = {
        "notebook": nb,
        "prior": calc.prior_shift(data, nb),
        "calibration": calc.calibration(n_seeds=5 if quick else 20),
        "bridging": calc.bridging_case(n_seeds=n),
        "noisy": calc.noisy_case(n_seeds=n),
        "high_dimension": calc.high_dimension_case(
            dims=(2, 50, 500) if quick else (2, 10, 50, 200, 500), n_seeds=1 if quick else 3
        ),
        "categorical": calc.categorical_case(),
        "strong": calc.strong_learner_case(n_seeds=1 if quick else 2),
    }
    return results


def _flatten(results: dict[str, Any]) -> dict[str, float]:
    """Every scalar result under a dotted key, e.g. ``notebook.smote.roc_auc``."""
    out: dict[str, float] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in {"curves", "example", "models", "smote_rows", "smotenc_rows"}:
                    walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[prefix] = float(value)

    walk("", results)
    return out


def _row(name: str, r: dict[str, float], cols: list[str]) -> str:
    return f"| {name} | " + " | ".join(f"{r[c]:.3f}" for c in cols) + " |"


def _table(head: list[str], rows: list[str]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *rows, ""]


def render_markdown(results: dict[str, Any], figure_dir: str = ".") -> str:
    """The answers as Markdown; figures are linked relative to ``figure_dir``."""
    nb = results["notebook"]["rows"]
    none, smo, thr = nb["none"], nb["smote"], nb["threshold"]
    pr = results["prior"]
    cal = results["calibration"]
    f = figure_dir.rstrip("/")
    L: list[str] = ["## Answers: what the notebook's numbers mean, and when not to use SMOTE", ""]

    L += ['### The notebook\'s "AUROC" is balanced accuracy', ""]
    L.append(
        "The notebook passes `model.predict(...)` (hard labels) to `roc_curve`. A ROC curve of "
        "hard labels has a single corner, and its area is (TPR + TNR) / 2: balanced accuracy. "
        "Scored from `predict_proba`, the two models rank the test set almost identically. "
        "All rows below are on the notebook's test set (1000 + 1000 rows); the threshold of the "
        "last row was chosen on the training data only (5-fold out-of-fold predictions, "
        "maximising balanced accuracy), never on the test set."
    )
    L.append("")
    cols = ["accuracy", "notebook_auroc", "balanced_accuracy", "roc_auc", "pr_auc", "brier"]
    L += _table(
        [
            "model",
            "test accuracy",
            'notebook "AUROC"',
            "balanced accuracy",
            "ROC AUC (scores)",
            "PR AUC (scores)",
            "Brier",
        ],
        [
            _row("logistic regression, threshold 0.5", none, cols),
            _row("+ SMOTE(x2, 5, 0.5, 3000), threshold 0.5", smo, cols),
            _row(
                f"no resampling, threshold {thr['threshold']:.3f} (tuned on training data)",
                thr,
                cols,
            ),
        ],
    )
    L.append(
        f"ROC AUC from scores is {none['roc_auc']:.4f} without SMOTE and {smo['roc_auc']:.4f} "
        f"with it. What SMOTE changed is the operating point: test accuracy went from "
        f"{none['accuracy']:.3f} to {smo['accuracy']:.3f}. Moving the threshold of the "
        f"unresampled model, with no synthetic rows at all, reached {thr['accuracy']:.3f} "
        f"(SMOTE: {smo['accuracy']:.3f}). Knowing that the test set is "
        f"1:1 while training was 1:100, Bayes' rule gives the threshold without any tuning: "
        f"re-weighting the unresampled model's probabilities to a prior of 0.5 gives test "
        f"accuracy {pr['balanced_test_accuracy_prior_shift']:.3f}."
    )
    L += ["", f"![decision boundaries and ROC curves]({f}/answers_notebook.png)", ""]

    L += ["### Calibration: SMOTE's probabilities overstate the risk", ""]
    L.append(
        f"Over {cal['n_seeds']} fresh draws of the notebook's training data (5000 + 50 rows), "
        "each scored on a test set drawn with the same 1:100 prior (10000 + 100 rows):"
    )
    L.append("")
    L += _table(
        ["model", "Brier score (mean ± sd)", "log loss"],
        [
            f"| {name} | {cal[f'brier_{k}']:.4f} ± {cal[f'brier_{k}_sd']:.4f} | "
            f"{cal[f'log_loss_{k}']:.4f} |"
            for name, k in [
                ("no resampling", "none"),
                ("SMOTE (3000 rows, a = 0.5)", "smote"),
                ("SMOTE + prior correction", "smote_corrected"),
            ]
        ],
    )
    ratio = cal["brier_smote"] / cal["brier_none"]
    L.append(
        f"SMOTE multiplies the Brier score by {ratio:.1f}. Trained on 3050 minority rows out "
        "of 8050, the model has learnt a minority prior of 38% instead of 1%: its mean "
        f"predicted risk on the test set is {cal['mean_risk_smote']:.4f}, against a true "
        f"prevalence of {cal['mean_risk_true']:.4f} (no resampling: "
        f"{cal['mean_risk_none']:.4f}). The prior correction p' = p r / (p r + 1 - p), with "
        "r = [pi_train / (1 - pi_train)] / [pi_resampled / (1 - pi_resampled)], brings it "
        f"back to {cal['mean_risk_smote_corrected']:.4f} and the Brier score to "
        f"{cal['brier_smote_corrected']:.4f} (no resampling: {cal['brier_none']:.4f}): the "
        "shape SMOTE gives the minority is close to right here; its prior is not."
    )
    L += ["", f"![reliability curves]({f}/answers_calibration.png)", ""]

    L += ["### Question 1: when is SMOTE a bad algorithm to use?", ""]
    L.append(
        "Four small generated cases, each scored on a large test set drawn with the training "
        "prior. The classifier is 5-nearest neighbours (the learner SMOTE's geometry matters "
        'most to); "threshold" is the unresampled model with its threshold tuned on the '
        "training data."
    )
    L.append("")
    case_cols = ["pr_auc", "precision", "recall", "f1", "balanced_accuracy", "brier"]
    for key, title, why in [
        (
            "bridging",
            "A minority in two clusters with the majority between them",
            "26 minority rows around (-3, 0) and a rare subtype of 4 rows around (3, 0); the "
            "majority sits between them. A row of the small cluster has only 3 partners in its "
            "own cluster, so 2 of its 5 nearest minority neighbours lie across the majority and "
            "SMOTE lays synthetic rows straight through it.",
        ),
        (
            "noisy",
            "Noisy minority rows inside the majority",
            "40 minority rows in a compact cluster plus 10 minority rows scattered inside the "
            "majority (label noise). SMOTE grows the noise as faithfully as the signal.",
        ),
    ]:
        c = results[key]
        r = c["rows"]
        L += [f"**{title}.** {why}", ""]
        L += _table(
            ["model (5-NN)", *case_cols],
            [_row(n, r[n], case_cols) for n in ("none", "smote", "threshold")],
        )
        L.append(
            f"{c['synthetic_in_majority']:.1%} of SMOTE's rows fall where the majority's density "
            f"is higher than the minority's (mean of {c['n_seeds']} seeds). Compared at about "
            f"the same recall ({r['smote']['recall']:.3f} with SMOTE, "
            f"{r['threshold']['recall']:.3f} with threshold moving), SMOTE's precision is "
            f"{r['smote']['precision']:.3f} against {r['threshold']['precision']:.3f}, and its "
            f"PR AUC, which needs no threshold, is {r['smote']['pr_auc']:.3f} against "
            f"{r['none']['pr_auc']:.3f}: the synthetic rows taught the model false minority "
            "regions, which no threshold can undo."
        )
        L += ["", f"![{key}]({f}/answers_{key}.png)", ""]

    hd = results["high_dimension"]
    L.append(
        "**High-dimensional data.** Two informative features plus noise features, 500 + 25 "
        "training rows, 5-NN. As noise features are added, nearest neighbours (SMOTE's and "
        "the classifier's) stop meaning anything."
    )
    L.append("")
    gains = {
        d: hd["rows"][d]["smote"]["roc_auc"] - hd["rows"][d]["none"]["roc_auc"] for d in hd["dims"]
    }
    pr_gains = [
        hd["rows"][d]["smote"]["pr_auc"] - hd["rows"][d]["none"]["pr_auc"] for d in hd["dims"]
    ]
    best = max(gains, key=lambda d: gains[d])
    last = hd["dims"][-1]
    hd_rows = []
    for d in hd["dims"]:
        r = hd["rows"][d]
        hd_rows.append(
            f"| {d} | {r['none']['roc_auc']:.3f} | {r['smote']['roc_auc']:.3f} | "
            f"{r['smote']['roc_auc'] - r['none']['roc_auc']:+.3f} | {r['none']['pr_auc']:.3f} | "
            f"{r['smote']['pr_auc']:.3f} |"
        )
    L += _table(
        ["features", "ROC AUC none", "ROC AUC SMOTE", "gain", "PR AUC none", "PR AUC SMOTE"],
        hd_rows,
    )
    L.append(
        f"The ROC AUC gain from SMOTE is {gains[best]:+.3f} at best ({best} features) and "
        f"{gains[last]:+.3f} at {last} features; SMOTE's PR AUC is never more than "
        f"{max(pr_gains):+.3f} above no resampling, and {min(pr_gains):+.3f} at worst."
    )
    L += ["", f"![high dimension]({f}/answers_high_dimension.png)", ""]

    cat = results["categorical"]
    L.append(
        "**Categorical features.** A numeric feature, a 3-level colour one-hot encoded, a 0/1 "
        f"flag and a count; {cat['n_synthetic']} synthetic minority rows. SMOTE interpolates "
        "codes into values no real row can have:"
    )
    L.append("")
    cat_rows = [
        f"| SMOTE | {cat['smote']['onehot']:.1%} | {cat['smote']['flag']:.1%} | "
        f"{cat['smote']['count']:.1%} | {cat['smote']['any']:.1%} |"
    ]
    if "smotenc" in cat:
        s = cat["smotenc"]
        cat_rows.append(
            f"| SMOTE-NC (colour, flag categorical) | {s['onehot']:.1%} | {s['flag']:.1%} | "
            f"{s['count']:.1%} | {s['any']:.1%} |"
        )
    L += _table(
        ["sampler", "colour one-hot impossible", "flag not 0/1", "count not whole", "any"],
        cat_rows,
    )
    L.append(
        "SMOTE-NC votes categorical values among the neighbours, so categories stay real; a "
        "count is numeric to it and still comes out fractional (round it, or declare it "
        "categorical)."
    )
    L += ["", f"![categorical]({f}/answers_categorical.png)", ""]

    L += ["### Question 2: when should we not rebalance?", ""]
    L.append(
        "- **When the probabilities are used as risks.** See the calibration table: SMOTE's "
        f"Brier score is {ratio:.1f} times the unresampled model's. A risk score, a cost "
        "calculation or a decision combined with other evidence needs calibrated "
        "probabilities; rebalance and they are wrong unless corrected for the prior."
    )
    L.append(
        "- **When deployment has the training prior.** On a test set drawn 1:100 like the "
        f"training data ({int(pr['matched_n'])} rows, {int(pr['matched_n_minority'])} "
        f"minority), accuracy is {pr['matched_accuracy_none']:.4f} without resampling and "
        f"{pr['matched_accuracy_smote']:.4f} with SMOTE; false alarms go from "
        f"{int(pr['matched_false_alarms_none'])} to {int(pr['matched_false_alarms_smote'])} "
        f"(precision {pr['matched_precision_none']:.3f} -> {pr['matched_precision_smote']:.3f}). "
        "The notebook's gain came from its 1:1 test set: a change of prior between training "
        "and deployment, which a threshold handles."
    )
    st = results["strong"]["rows"]
    L.append(
        "- **With strong learners.** On a generated 5% minority problem (4000 rows, 10 "
        "features, half held out), gradient boosting's ROC AUC is "
        f"{st['hgb_none']['roc_auc']:.3f} without SMOTE and {st['hgb_smote']['roc_auc']:.3f} "
        f"with it, PR AUC {st['hgb_none']['pr_auc']:.3f} vs {st['hgb_smote']['pr_auc']:.3f}, "
        f"Brier {st['hgb_none']['brier']:.3f} vs {st['hgb_smote']['brier']:.3f}; for logistic "
        f"regression ROC AUC {st['logreg_none']['roc_auc']:.3f} vs "
        f"{st['logreg_smote']['roc_auc']:.3f}, PR AUC {st['logreg_none']['pr_auc']:.3f} vs "
        f"{st['logreg_smote']['pr_auc']:.3f}. Balanced accuracy rises with SMOTE "
        f"({st['hgb_none']['balanced_accuracy']:.3f} -> "
        f"{st['hgb_smote']['balanced_accuracy']:.3f} for boosting): that is the threshold "
        "again, not a better model."
    )
    L.append(
        "- **When a threshold will do.** Threshold moving reached test accuracy "
        f"{thr['accuracy']:.3f} on the notebook's data against SMOTE's {smo['accuracy']:.3f}, "
        "keeps the unresampled model's calibrated probabilities for whoever needs them, and "
        "trains on 5050 rows instead of 8050. Rebalance only after `smotekit evaluate` shows, "
        "on your data and with metrics computed from scores, that it beats threshold moving."
    )
    L.append("")
    return "\n".join(L)


def summary_lines(numbers: dict[str, float]) -> list[str]:
    """Three lines for a terminal: what the answers found, from their numbers."""
    n = numbers
    return [
        f"ROC AUC from scores: {n['notebook.rows.none.roc_auc']:.4f} without SMOTE, "
        f"{n['notebook.rows.smote.roc_auc']:.4f} with it (the notebook's AUROC is balanced "
        "accuracy).",
        f"Threshold moving without resampling: test accuracy "
        f"{n['notebook.rows.threshold.accuracy']:.3f} (SMOTE: "
        f"{n['notebook.rows.smote.accuracy']:.3f}).",
        f"Brier score at the training prior: {n['calibration.brier_none']:.4f} without SMOTE, "
        f"{n['calibration.brier_smote']:.4f} with it, {n['calibration.brier_smote_corrected']:.4f}"
        " after prior correction.",
    ]


def write_answers(out_dir: str | Path, *, figures: bool = True, quick: bool = False) -> Answers:
    """Compute the answers and write ``answers.md``, ``answers.json`` and figures to ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Created if needed.
    figures : bool, default=True
        Draw the PNG figures (needs matplotlib: ``pip install 'smotekit[report]'``).
    quick : bool, default=False
        Fewer seeds and cases, for tests; the report says nothing different in kind.

    Returns
    -------
    Answers
        The Markdown, the numbers it quotes (dotted keys) and the files written.
    """
    from smotekit.evaluation._report import atomic_write_text

    results = compute_answers(quick=quick)
    figs = {}
    if figures:
        from smotekit.evaluation._answers_figures import draw_all

        figs = draw_all(results)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in figs.items():
        from smotekit.io._atomic import atomic_output

        target = out / name
        with atomic_output(target) as tmp:
            fig.savefig(tmp, format="png", dpi=80)
        written.append(target)
    markdown = render_markdown(results)
    numbers = _flatten(results)
    path = out / "answers.md"
    atomic_write_text(path, markdown)
    atomic_write_text(out / "answers.json", json.dumps(numbers, indent=1, sort_keys=True))
    return Answers(markdown=markdown, numbers=numbers, path=path, figures=written)

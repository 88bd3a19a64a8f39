"""The answers' figures, drawn with matplotlib's object API (no global pyplot state)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["draw_all"]


def _figure(width: float, height: float, ncols: int = 1) -> tuple[Any, Any]:
    from smotekit._optional import import_optional

    figure = import_optional("matplotlib.figure", "report")
    fig = figure.Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(1, ncols, squeeze=False)[0]


def _boundary(ax: Any, model: Any, threshold: float, style: str, label: str) -> None:
    """The line where a 2-feature logistic regression's P(minority) equals ``threshold``."""
    est = getattr(model, "estimator_", model)
    w, b = est.coef_[0], est.intercept_[0]
    logit = np.log(threshold / (1 - threshold))
    xs = np.linspace(-2.0, 7.0, 50)
    ax.plot(xs, (logit - b - w[0] * xs) / w[1], style, lw=1.5, label=label)


def notebook_figure(nb: dict[str, Any]) -> Any:
    from sklearn.metrics import roc_curve

    fig, (left, right) = _figure(10, 4.2, 2)
    Xt, yt = nb["X_test"], nb["y_test"]
    left.scatter(*Xt[yt == 0].T, s=3, alpha=0.3, label="majority (test)")
    left.scatter(*Xt[yt == 1].T, s=3, alpha=0.3, c="red", label="minority (test)")
    models, rows = nb["models"], nb["rows"]
    _boundary(left, models["none"], 0.5, "k:", "no resampling, threshold 0.5")
    _boundary(left, models["smote"], 0.5, "k-", "SMOTE, threshold 0.5")
    t = rows["threshold"]["threshold"]
    _boundary(left, models["threshold"], t, "g--", f"no resampling, threshold {t:.3f}")
    left.set(xlim=(-2, 7), ylim=(-1.5, 6), xlabel="x", ylabel="y", aspect="equal")
    left.set_title("Decision boundaries on the notebook's test set", fontsize=10)
    left.legend(fontsize=7, loc="lower right")

    for name, style in [("none", "k:"), ("smote", "k-")]:
        fpr, tpr, _ = roc_curve(yt, nb["curves"][name])
        right.plot(fpr, tpr, style, label=f"{name}: ROC AUC {rows[name]['roc_auc']:.4f}")
    for name, marker in [("none", "x"), ("smote", "o"), ("threshold", "s")]:
        r = rows[name]
        right.plot(
            1 - (2 * r["balanced_accuracy"] - r["recall"]),
            r["recall"],
            marker,
            ms=7,
            mfc="none",
            label=f"operating point: {name}",
        )
    right.set(
        xlim=(-0.01, 0.3),
        ylim=(0.5, 1.01),
        xlabel="false positive rate",
        ylabel="true positive rate (minority)",
    )
    right.set_title("Same ROC curve; SMOTE moves the operating point", fontsize=10)
    right.legend(fontsize=7, loc="lower right")
    return fig


def calibration_figure(cal: dict[str, Any]) -> Any:
    fig, (left, right) = _figure(10, 4.2, 2)
    labels = {
        "none": "no resampling",
        "smote": "SMOTE",
        "smote_corrected": "SMOTE + prior correction",
    }
    keys = ["none", "smote", "smote_corrected"]
    for key, style in zip(keys, ["o:", "s-", "^--"], strict=True):
        mean, frac = cal["curves"][key]
        left.plot(mean, frac, style, ms=4, label=f"{labels[key]} (Brier {cal[f'brier_{key}']:.4f})")
    left.plot([0, 1], [0, 1], color="grey", lw=0.8, label="perfect calibration")
    left.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="predicted P(minority), bin mean",
        ylabel="observed minority frequency",
    )
    left.set_title("Reliability (bins with at least 20 test rows)", fontsize=10)
    left.legend(fontsize=7, loc="upper left")
    risks = [cal[f"mean_risk_{k}"] for k in keys] + [cal["mean_risk_true"]]
    names = ["no\nresampling", "SMOTE", "SMOTE +\ncorrection", "true\nprevalence"]
    right.bar(names, risks, color=["tab:blue", "tab:orange", "tab:green", "grey"])
    for i, r in enumerate(risks):
        right.text(i, r, f"{r:.4f}", ha="center", va="bottom", fontsize=8)
    right.set(ylabel="mean predicted P(minority) on the test set")
    right.set_title(f"Average risk over {cal['n_seeds']} seeds", fontsize=10)
    fig.suptitle("Deployment prior = training prior (1:100)", fontsize=10)
    return fig


def case_figure(case: dict[str, Any], title: str) -> Any:
    fig, (ax,) = _figure(5, 4.2)
    ex = case["example"]
    X, y, syn = ex["X"], ex["y"], ex["synthetic"]
    ax.scatter(*X[y == 0].T, s=4, alpha=0.25, label="majority")
    ax.scatter(*syn.T, s=3, c="black", alpha=0.25, label="SMOTE rows")
    ax.scatter(*X[y == 1].T, s=12, c="red", label="minority")
    ax.set(xlabel="x1", ylabel="x2", aspect="equal")
    share = case["synthetic_in_majority"]
    ax.set_title(f"{title}\n{share:.0%} of SMOTE rows where the majority is denser", fontsize=9)
    ax.legend(fontsize=7, loc="lower left")
    return fig


def high_dimension_figure(hd: dict[str, Any]) -> Any:
    fig, axes = _figure(9, 3.6, 2)
    dims = hd["dims"]
    for ax, metric in zip(axes, ["roc_auc", "pr_auc"], strict=True):
        for name, style in [("none", "o:"), ("smote", "s-")]:
            ax.plot(dims, [hd["rows"][d][name][metric] for d in dims], style, label=name)
        ax.set(xscale="log", xlabel="number of features (2 informative)", ylabel=metric)
        ax.legend(fontsize=8)
    axes[0].set_title("5-NN, 500 + 25 training rows", fontsize=10)
    return fig


def categorical_figure(cat: dict[str, Any]) -> Any:
    fig, axes = _figure(9, 3.4, 2)
    smote = cat["smote_rows"]
    axes[0].hist(smote[:, 4], bins=20, color="black")
    axes[0].set(xlabel="value of a 0/1 flag in SMOTE rows", ylabel="rows")
    axes[0].set_title(f"SMOTE: {cat['smote']['flag']:.0%} of flags are neither 0 nor 1", fontsize=9)
    axes[1].hist(
        smote[:, 1],
        bins=20,
        color="grey",
        label="SMOTE: 'red' indicator",
    )
    if "smotenc_rows" in cat:
        codes = cat["smotenc_rows"][:, 1]
        axes[1].hist(
            (codes == 0).astype(float),
            bins=20,
            color="tab:green",
            alpha=0.7,
            label="SMOTE-NC: 'red' indicator",
        )
    axes[1].set(xlabel="one-hot 'colour = red' in synthetic rows", ylabel="rows")
    axes[1].set_title(
        f"SMOTE: {cat['smote']['onehot']:.0%} of colour one-hots impossible", fontsize=9
    )
    axes[1].legend(fontsize=7)
    return fig


def draw_all(results: dict[str, Any]) -> dict[str, Any]:
    """File name -> figure for every experiment in ``results``."""
    return {
        "answers_notebook.png": notebook_figure(results["notebook"]),
        "answers_calibration.png": calibration_figure(results["calibration"]),
        "answers_bridging.png": case_figure(
            results["bridging"], "Minority in two clusters, majority between"
        ),
        "answers_noisy.png": case_figure(results["noisy"], "Noisy minority rows inside majority"),
        "answers_high_dimension.png": high_dimension_figure(results["high_dimension"]),
        "answers_categorical.png": categorical_figure(results["categorical"]),
    }

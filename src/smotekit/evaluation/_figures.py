"""The report's figures, drawn with matplotlib's object API and saved atomically as PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from smotekit.evaluation._metrics import METRICS

__all__ = ["critical_difference_figure", "folds_figure", "ranks_figure", "save"]

# the metrics drawn per fold: ranking (2), decision (1), calibration (1)
_FOLD_METRICS = ["roc_auc", "pr_auc", "balanced_accuracy", "brier"]


def _figure(width: float, height: float, nrows: int = 1, ncols: int = 1) -> tuple[Any, Any]:
    from smotekit._optional import import_optional

    figure = import_optional("matplotlib.figure", "report")
    fig = figure.Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(nrows, ncols, squeeze=False)


def save(fig: Any, path: Path) -> None:
    """Write ``fig`` as a small PNG; readers never see half a file."""
    from smotekit.io._atomic import atomic_output

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:
        # bbox "tight": the diagrams' labels lie outside their axes
        fig.savefig(tmp, format="png", dpi=80, bbox_inches="tight", pad_inches=0.3)


def folds_figure(table: Any) -> Any:
    """Per metric: each strategy's mean and spread over folds, one colour per classifier."""
    ok = table[table["status"] == "ok"]
    strategies = list(dict.fromkeys(table["strategy"]))
    classifiers = list(dict.fromkeys(table["classifier"]))
    fig, axes = _figure(3.2 * len(_FOLD_METRICS), 4, 1, len(_FOLD_METRICS))
    ypos = np.arange(len(strategies))
    width = 0.8 / max(len(classifiers), 1)
    for ax, metric in zip(axes[0], _FOLD_METRICS, strict=True):
        for j, clf in enumerate(classifiers):
            sub = ok[ok["classifier"] == clf].groupby("strategy")[metric]
            offset = (j - (len(classifiers) - 1) / 2) * width
            ax.errorbar(
                sub.mean().reindex(strategies),
                ypos + offset,
                xerr=sub.std().reindex(strategies),
                fmt="o",
                ms=3,
                lw=1,
                label=clf,
            )
        ax.set_title(metric + (" (lower is better)" if not METRICS[metric][0] else ""), fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(labelsize=8)
        ax.set_yticks(ypos, strategies if ax is axes[0][0] else [])
        ax.invert_yaxis()
    axes[0][-1].legend(fontsize=7, loc="best")
    fig.suptitle("Mean ± sd over folds", fontsize=10)
    return fig


def ranks_figure(ranks: Any) -> Any:
    """Heat map of mean ranks (rows: strategies, columns: metrics), one panel per classifier.

    ``ranks`` is the ``ranks`` table of :class:`Comparison`.
    """
    classifiers = list(dict.fromkeys(ranks["classifier"]))
    fig, axes = _figure(3.3 * len(classifiers), 4.2, 1, len(classifiers))
    image = None
    for ax, clf in zip(axes[0], classifiers, strict=True):
        part = ranks[ranks["classifier"] == clf].pivot_table(
            index="strategy", columns="metric", values="mean_rank", sort=False
        )[list(METRICS)]
        values = part.to_numpy()
        image = ax.imshow(values, cmap="viridis_r", aspect="auto")
        ax.set_xticks(range(part.shape[1]), part.columns, rotation=60, fontsize=7, ha="right")
        ax.set_yticks(range(part.shape[0]), part.index if ax is axes[0][0] else [], fontsize=7)
        middle = (np.nanmin(values) + np.nanmax(values)) / 2
        for (i, j), v in np.ndenumerate(values):
            colour = "black" if v < middle else "white"
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=6, color=colour)
        ax.set_title(clf, fontsize=9)
    if image is not None:
        fig.colorbar(image, ax=list(axes[0]), shrink=0.7, label="mean rank (1 = best)")
    return fig


def critical_difference_figure(comparison: Any, metric: str) -> Any:
    """Demsar's critical-difference diagram of ``metric``, one panel per classifier.

    Mean ranks on the axis (the best, rank 1, on the left), strategies that Nemenyi's test does
    not separate joined by a bar (``scikit_posthocs.critical_difference_diagram``), the critical
    difference drawn above; a strategy that failed on some data sets says on how many.
    """
    from smotekit._optional import import_optional

    sp = import_optional("scikit_posthocs", "stats")
    pd = import_optional("pandas", "report")
    tests = comparison.friedman[comparison.friedman["metric"] == metric]
    classifiers = list(tests["classifier"])
    fig, axes = _figure(8.5, 2.6 * len(classifiers), len(classifiers), 1)
    # one colour per strategy in every panel
    tab20 = import_optional("matplotlib", "report").colormaps["tab20"].colors
    strategies = dict.fromkeys(comparison.ranks["strategy"])
    colour = {s: tab20[(2 * i) % 20 + (2 * i) // 20] for i, s in enumerate(strategies)}
    for ax, clf in zip(axes[:, 0], classifiers, strict=True):
        ranks = comparison.ranks.query("classifier == @clf and metric == @metric")
        pairs = comparison.nemenyi.query("classifier == @clf and metric == @metric")
        label = {
            r.strategy: r.strategy + (f" [failed on {r.failed}]" if r.failed else "")
            for r in ranks.itertuples()
        }
        names = list(label.values())
        matrix = pd.DataFrame(np.ones((len(names), len(names))), index=names, columns=names)
        for r in pairs.itertuples():
            matrix.loc[label[r.a], label[r.b]] = matrix.loc[label[r.b], label[r.a]] = r.p
        test = tests[tests["classifier"] == clf].iloc[0]
        sp.critical_difference_diagram(
            pd.Series(ranks["mean_rank"].to_numpy(), index=names),
            matrix,
            cd=test["cd"],
            alpha=comparison.alpha,
            ax=ax,
            label_fmt_left="{label} ({rank:.2f})",
            label_fmt_right="({rank:.2f}) {label}",
            label_props={"fontsize": 7},
            color_palette={label[s]: colour[s] for s in label},
        )
        ax.set_title(
            f"{clf}: Friedman p {_p(test['p'])}, N = {test['n_datasets']} data sets, "
            f"CD = {test['cd']:.2f} (alpha = {comparison.alpha:g})",
            fontsize=8,
            pad=22,
        )
    fig.suptitle(f"{metric}: mean rank (1 = best)", fontsize=10)
    return fig


def _p(p: float) -> str:
    return "n/a" if np.isnan(p) else ("< 0.001" if p < 0.001 else f"= {p:.3f}")

"""The tidy table summarised: a Markdown report with figures, and the CSV it came from."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from smotekit.evaluation._metrics import METRICS

__all__ = ["atomic_write_text", "summarize", "write_report"]

# the metrics drawn in figures: ranking (2), decision (1), calibration (1)
_FIGURE_METRICS = ["roc_auc", "pr_auc", "balanced_accuracy", "brier"]


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` so that readers never see half a file."""
    from smotekit.io._atomic import atomic_output

    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def save_figure(fig: Any, path: Path) -> None:
    """Save a matplotlib figure atomically as a small PNG and close it."""
    from smotekit.io._atomic import atomic_output

    with atomic_output(path) as tmp:
        fig.savefig(tmp, format="png", dpi=80, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)


def summarize(table: Any) -> Any:
    """Mean and standard deviation over folds per dataset, classifier and strategy.

    Failed fits are counted (``n_failed``) and left out of the means.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"dataset": ["d"] * 2, "classifier": ["c"] * 2, "strategy": ["s"] * 2,
    ...                   "status": ["ok", "ok"], "roc_auc": [0.8, 0.9], "pr_auc": [0.5, 0.7],
    ...                   "balanced_accuracy": [0.7, 0.7], "g_mean": [0.7, 0.7],
    ...                   "f1": [0.4, 0.6], "brier": [0.1, 0.1]})
    >>> s = summarize(t)
    >>> round(float(s["roc_auc_mean"].iloc[0]), 3), int(s["n_ok"].iloc[0])
    (0.85, 2)
    """
    keys = ["dataset", "classifier", "strategy"]
    ok = table[table["status"] == "ok"]
    grouped = ok.groupby(keys, sort=False)[list(METRICS)]
    mean = grouped.mean().add_suffix("_mean")
    std = grouped.std(ddof=1).add_suffix("_std")
    counts = table.groupby(keys, sort=False)["status"].agg(
        n_ok=lambda s: int((s == "ok").sum()), n_failed=lambda s: int((s != "ok").sum())
    )
    out = counts.join(mean).join(std).reset_index()
    return out


def _fmt(mean: float, std: float) -> str:
    if np.isnan(mean):
        return "failed"
    return f"{mean:.3f} ± {std:.3f}" if not np.isnan(std) else f"{mean:.3f}"


def _single_dataset_tables(summary: Any) -> list[str]:
    lines: list[str] = []
    for clf, part in summary.groupby("classifier", sort=False):
        lines += [f"### {clf}", ""]
        head = ["strategy", *METRICS, "failed folds"]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for _, r in part.iterrows():
            cells = [_fmt(r[f"{m}_mean"], r[f"{m}_std"]) for m in METRICS]
            lines.append(f"| {r['strategy']} | " + " | ".join(cells) + f" | {r['n_failed']} |")
        lines.append("")
    return lines


def mean_ranks(summary: Any) -> Any:
    """Average rank (1 = best) of each strategy per classifier and metric over data sets.

    A strategy with no successful fold on a data set ranks last there.
    """
    import pandas as pd

    frames = []
    for metric, (higher, _) in METRICS.items():
        col = f"{metric}_mean"
        ranks = summary.groupby(["dataset", "classifier"], sort=False)[col].rank(
            ascending=not higher, na_option="bottom", method="average"
        )
        frames.append(
            summary.assign(rank=ranks, metric=metric)[["classifier", "strategy", "metric", "rank"]]
        )
    long = pd.concat(frames)
    return long.pivot_table(
        index=["classifier", "strategy"],
        columns="metric",
        values="rank",
        aggfunc="mean",
        sort=False,
    )[list(METRICS)]


def versus_none(summary: Any) -> Any:
    """Per classifier, strategy, metric: mean difference to "none", wins/losses over data sets."""
    import pandas as pd

    base = summary[summary["strategy"] == "none"].set_index(["dataset", "classifier"])
    rows = []
    for (clf, strat), part in summary.groupby(["classifier", "strategy"], sort=False):
        if strat == "none":
            continue
        part = part.set_index(["dataset", "classifier"])
        rec: dict[str, Any] = {"classifier": clf, "strategy": strat}
        for metric, (higher, _) in METRICS.items():
            col = f"{metric}_mean"
            diff = (part[col] - base[col].reindex(part.index)).dropna()
            sign = 1.0 if higher else -1.0
            wins = int((sign * diff > 1e-3).sum())
            losses = int((sign * diff < -1e-3).sum())
            rec[metric] = f"{diff.mean():+.3f} ({wins}/{losses})" if len(diff) else "n/a"
        rows.append(rec)
    return pd.DataFrame(rows)


def _markdown_table(frame: Any, index: bool = True, floatfmt: str = "{:.2f}") -> list[str]:
    frame = frame.reset_index() if index else frame
    head = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, r in frame.iterrows():
        cells = [floatfmt.format(v) if isinstance(v, float) else str(v) for v in r]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _figure_folds(table: Any, path: Path) -> None:
    """Per metric: each strategy's mean and spread over folds, one colour per classifier."""
    from smotekit._optional import import_optional

    import_optional("matplotlib", "report").use("Agg")
    plt = import_optional("matplotlib.pyplot", "report")
    ok = table[table["status"] == "ok"]
    strategies = list(dict.fromkeys(table["strategy"]))
    classifiers = list(dict.fromkeys(table["classifier"]))
    fig, axes = plt.subplots(
        1, len(_FIGURE_METRICS), figsize=(3.2 * len(_FIGURE_METRICS), 4), sharey=True
    )
    ypos = np.arange(len(strategies))
    width = 0.8 / max(len(classifiers), 1)
    for ax, metric in zip(axes, _FIGURE_METRICS, strict=True):
        for j, clf in enumerate(classifiers):
            sub = ok[ok["classifier"] == clf].groupby("strategy")[metric]
            mean = sub.mean().reindex(strategies)
            std = sub.std().reindex(strategies)
            ax.errorbar(
                mean,
                ypos + (j - (len(classifiers) - 1) / 2) * width,
                xerr=std,
                fmt="o",
                ms=3,
                lw=1,
                label=clf,
            )
        ax.set_title(metric + (" (lower is better)" if not METRICS[metric][0] else ""), fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(labelsize=8)
    axes[0].set_yticks(ypos, strategies)
    axes[0].invert_yaxis()
    axes[-1].legend(fontsize=7, loc="best")
    fig.suptitle("Mean ± sd over folds", fontsize=10)
    save_figure(fig, path)


def _figure_ranks(ranks: Any, path: Path) -> None:
    """Heat map of mean ranks, one panel per classifier."""
    from smotekit._optional import import_optional

    import_optional("matplotlib", "report").use("Agg")
    plt = import_optional("matplotlib.pyplot", "report")
    classifiers = list(dict.fromkeys(ranks.index.get_level_values(0)))
    fig, axes = plt.subplots(
        1, len(classifiers), figsize=(3.3 * len(classifiers), 4.2), squeeze=False
    )
    for ax, clf in zip(axes[0], classifiers, strict=True):
        part = ranks.loc[clf]
        im = ax.imshow(part.to_numpy(), cmap="viridis_r", aspect="auto")
        ax.set_xticks(range(part.shape[1]), part.columns, rotation=60, fontsize=7, ha="right")
        first = ax is axes[0][0]
        ax.set_yticks(range(part.shape[0]), part.index if first else [], fontsize=7)
        values = part.to_numpy()
        middle = (np.nanmin(values) + np.nanmax(values)) / 2
        for (i, j), v in np.ndenumerate(values):
            colour = "black" if v < middle else "white"
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=6, color=colour)
        ax.set_title(clf, fontsize=9)
    fig.colorbar(im, ax=axes[0].tolist(), shrink=0.7, label="mean rank (1 = best)")
    save_figure(fig, path)


def write_report(
    table: Any,
    out_dir: str | Path,
    *,
    config: Mapping[str, Any] | None = None,
    figures: bool = True,
) -> Path:
    """Write ``results.csv``, ``summary.csv``, ``report.md`` and figures into ``out_dir``.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`evaluate` (several data sets may be concatenated).
    out_dir : path
        Created if needed.
    config : mapping, default=None
        Settings to record at the top of the report (folds, repeats, seed...).
    figures : bool, default=True
        Draw PNG figures (needs matplotlib).

    Returns
    -------
    Path
        The report's path.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "results.csv", table.to_csv(index=False))
    summary = summarize(table)
    atomic_write_text(out / "summary.csv", summary.to_csv(index=False))
    datasets = list(dict.fromkeys(table["dataset"]))

    lines = ["# smotekit evaluate", ""]
    lines.append(
        "Repeated stratified k-fold cross-validation; scaling, resampling and threshold choice "
        "are fitted on each training fold only, and every test fold is left untouched."
    )
    lines.append("")
    for key, value in (config or {}).items():
        lines.append(f"- {key}: {value}")
    lines.append(f"- data sets ({len(datasets)}): {', '.join(datasets)}")
    lines.append("")
    lines.append("Metrics (minority = positive class):")
    lines += [f"- `{m}`: {desc}" for m, (_, desc) in METRICS.items()]
    lines.append("")
    n_failed = int((table["status"] != "ok").sum())
    if n_failed:
        failed = table[table["status"] != "ok"]
        lines.append(f"{n_failed} of {len(table)} fits failed and are left out of the means:")
        lines.append("")
        for (strat, err), part in failed.groupby(["strategy", "error"], sort=False):
            lines.append(f"- {strat} ({len(part)} fits): {err}")
        lines.append("")

    if len(datasets) == 1:
        lines += ["## Mean ± standard deviation over folds", ""]
        lines += _single_dataset_tables(summary)
        if figures:
            _figure_folds(table, out / "folds.png")
            lines += ["![mean and spread over folds](folds.png)", ""]
    else:
        ranks = mean_ranks(summary)
        lines += ["## Mean rank over data sets (1 = best; a strategy that failed ranks last)", ""]
        lines += _markdown_table(ranks)
        lines.append("")
        lines += [
            '## Against "none": mean difference over data sets (wins/losses, |diff| > 0.001)',
            "",
            "For Brier score a negative difference is better and counts as a win.",
            "",
        ]
        lines += _markdown_table(versus_none(summary), index=False)
        lines.append("")
        if figures:
            _figure_ranks(ranks, out / "ranks.png")
            lines += ["![mean ranks](ranks.png)", ""]
    lines += ["Per-fold results: `results.csv`; per data set means and spreads: `summary.csv`.", ""]
    path = out / "report.md"
    atomic_write_text(path, "\n".join(lines))
    return path

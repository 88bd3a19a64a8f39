"""The tidy table summarised: report.md, a self-contained report.html, figures and the tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from smotekit.evaluation._document import Document
from smotekit.evaluation._metrics import METRICS

__all__ = ["atomic_write_text", "summarize", "write_report"]

# below this many data sets the tests over data sets have little power (Demsar 2006: N > 10)
_FEW_DATASETS = 10


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` so that readers never see half a file."""
    from smotekit.io._atomic import atomic_output

    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


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
    return counts.join(mean).join(std).reset_index()


def _p(p: float) -> str:
    if np.isnan(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _num(value: float, fmt: str = "{:.3f}") -> str:
    return "n/a" if np.isnan(value) else fmt.format(value)


def _mean_sd(mean: float, std: float) -> str:
    if np.isnan(mean):
        return "failed"
    return f"{mean:.3f} ± {std:.3f}" if not np.isnan(std) else f"{mean:.3f}"


def _config_section(
    doc: Document, config: Mapping[str, Any], datasets: list[str], skipped: Mapping[str, str]
) -> None:
    doc.paragraph(
        "Repeated stratified k-fold cross-validation; scaling, resampling and threshold choice "
        "are fitted on each training fold only, and every test fold is left untouched."
    )
    lines = [f"{key}: {value}" for key, value in config.items()]
    lines.append(f"data sets ({len(datasets)}): {', '.join(datasets)}")
    if skipped:
        lines.append(
            f"skipped ({len(skipped)}): "
            + "; ".join(f"{name}: {why}" for name, why in skipped.items())
        )
    doc.bullets(lines)
    doc.paragraph("Metrics (minority = positive class):")
    doc.bullets([f"`{m}`: {desc}" for m, (_, desc) in METRICS.items()])


def _failures_section(doc: Document, table: Any) -> None:
    failed = table[table["status"] != "ok"]
    if failed.empty:
        return
    doc.heading(2, "Failures")
    doc.paragraph(
        f"{len(failed)} of {len(table)} fits failed. A strategy that failed on any fold of a "
        "data set has no score there: it ranks last on that data set and is counted below; "
        "it is never averaged over the data sets it survived."
    )
    rows = []
    for strat, part in failed.groupby("strategy", sort=False):
        errors = part["error"].value_counts()
        others = f" (and {len(errors) - 1} other errors)" if len(errors) > 1 else ""
        rows.append([strat, part["dataset"].nunique(), len(part), f"{errors.index[0]}{others}"])
    doc.table(["strategy", "data sets", "fits", "most frequent error"], rows)


def _single_dataset(doc: Document, table: Any, out: Path, figures: bool) -> None:
    summary = summarize(table)
    doc.heading(2, "Mean ± standard deviation over folds")
    doc.paragraph(
        "One data set: the spread is over folds, which share training rows, so no significance "
        "test is made; run several data sets (`--dataset all`) for mean ranks and tests."
    )
    for clf, part in summary.groupby("classifier", sort=False):
        doc.heading(3, str(clf))
        rows = [
            [
                r["strategy"],
                *(_mean_sd(r[f"{m}_mean"], r[f"{m}_std"]) for m in METRICS),
                r["n_failed"],
            ]
            for _, r in part.iterrows()
        ]
        doc.table(["strategy", *METRICS, "failed folds"], rows)
    if figures:
        from smotekit.evaluation._figures import folds_figure, save

        save(folds_figure(table), out / "figures" / "folds.png")
        doc.figure("figures/folds.png", "mean and spread over folds")


def _names(items: Sequence[str]) -> str:
    return ", ".join(f"`{i}`" for i in items)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def reading(versus: Any, baseline: str) -> list[str]:
    """Plain-language sentences, one per metric: which strategies differ significantly from
    ``baseline``, with which classifiers (``versus``: the table of :class:`Comparison`).

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"baseline": "none", "metric": "f1", "classifier": ["a", "b", "a", "b"],
    ...                   "strategy": ["s", "s", "t", "t"],
    ...                   "verdict": ["better", "better", "worse", "no difference"]})
    >>> reading(v, "none")
    ['**f1**: better with every classifier: `s`; worse with a: `t`.']
    """
    part = versus[versus["baseline"] == baseline]
    everyone = tuple(dict.fromkeys(part["classifier"]))
    out = []
    for metric in METRICS:
        rows = part[part["metric"] == metric]
        if rows.empty:
            continue
        clauses = []
        for verdict in ("better", "worse"):
            hits = rows[rows["verdict"] == verdict]
            groups: dict[tuple[str, ...], list[str]] = {}
            for strategy, by in hits.groupby("strategy", sort=False):
                groups.setdefault(tuple(by["classifier"]), []).append(f"`{strategy}`")
            phrases = [
                ("every classifier" if clfs == everyone else _and(clfs))
                + ": "
                + ", ".join(strategies)
                for clfs, strategies in sorted(groups.items(), key=lambda g: -len(g[0]))
            ]
            if phrases:
                clauses.append(f"{verdict} with " + "; with ".join(phrases))
        text = "; ".join(clauses) if clauses else "no strategy differs significantly"
        out.append(f"**{metric}**: {text}.")
    return out


def significance_table(versus: Any, baseline: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows: per strategy and metric, one mark per classifier (↑ significantly
    better than ``baseline``, ↓ worse, · no significant difference, - not run)."""
    part = versus[versus["baseline"] == baseline]
    classifiers = list(dict.fromkeys(part["classifier"]))
    marks = {"better": "↑", "worse": "↓", "no difference": "·"}
    verdict = {(r.strategy, r.metric, r.classifier): marks[r.verdict] for r in part.itertuples()}
    rows = []
    for strategy in dict.fromkeys(part["strategy"]):
        cells = [
            " ".join(verdict.get((strategy, metric, clf), "-") for clf in classifiers)
            for metric in METRICS
        ]
        rows.append([f"`{strategy}`", *cells])
    return [f"vs `{baseline}`", *METRICS], rows


def _versus_cells(row: Any) -> list[str]:
    if row is None:
        return ["—", "—", "—"]
    diff = f"{row['mean_diff']:+.3f} [{row['ci_low']:+.3f}, {row['ci_high']:+.3f}]"
    p = _p(row["p_holm"])
    if row["verdict"] != "no difference":
        p = f"**{p}** {'↑' if row['verdict'] == 'better' else '↓'}"
    return [diff, p, f"{row['wins']}/{row['ties']}/{row['losses']}"]


def _metric_section(
    doc: Document, comparison: Any, metric: str, baselines: list[str], figure: str | None
) -> None:
    higher, description = METRICS[metric]
    doc.heading(3, metric)
    doc.paragraph(f"{description}; {'higher' if higher else 'lower'} is better.")
    tests = comparison.friedman[comparison.friedman["metric"] == metric]
    doc.table(
        ["classifier", "N", "k", "Friedman χ²", "p", "Iman-Davenport F", "p", "Nemenyi CD"],
        [
            [
                t.classifier,
                t.n_datasets,
                t.n_strategies,
                _num(t.chi2, "{:.1f}"),
                _p(t.p),
                _num(t.f, "{:.2f}"),
                _p(t.p_f),
                _num(t.cd, "{:.2f}"),
            ]
            for t in tests.itertuples()
        ],
    )
    if figure:
        doc.figure(figure, f"critical-difference diagrams for {metric}")
    versus = comparison.versus
    versus = versus[versus["metric"] == metric] if not versus.empty else versus
    header = ["classifier", "strategy", "mean rank", "failed on", "mean where it ran"]
    for b in baselines:
        header += [f"vs {b}: Δ [95% CI]", "p (Holm)", "W/T/L"]
    rows = []
    for r in comparison.ranks[comparison.ranks["metric"] == metric].itertuples():
        cells = [r.classifier, r.strategy, f"{r.mean_rank:.2f}", r.failed, _num(r.mean)]
        for b in baselines:
            match = versus[
                (versus["classifier"] == r.classifier)
                & (versus["baseline"] == b)
                & (versus["strategy"] == r.strategy)
            ]
            cells += _versus_cells(None if match.empty else match.iloc[0])
        rows.append(cells)
    doc.table(header, rows)


def _many_datasets(
    doc: Document,
    table: Any,
    out: Path,
    figures: bool,
    baselines: Sequence[str],
    alpha: float,
    seed: int,
) -> None:
    from smotekit.evaluation._compare import compare

    present = set(table["strategy"])
    baselines = [b for b in baselines if b in present]
    comparison = compare(table, baselines=baselines, alpha=alpha, random_state=seed)
    for name in ("ranks", "friedman", "versus", "nemenyi"):
        atomic_write_text(out / f"{name}.csv", getattr(comparison, name).to_csv(index=False))
    n = table["dataset"].nunique()
    doc.heading(2, "How the strategies compare over data sets")
    doc.paragraph(
        "Each strategy gets one score per data set and classifier: its mean over folds. "
        "Strategies are ranked within each data set (1 = best; a strategy that failed on any "
        "fold of a data set ranks last there). The Friedman test (scipy) asks whether any mean "
        "rank differs, Iman and Davenport's F is its less conservative form, and Nemenyi's "
        f"critical difference (CD, alpha = {alpha:g}) separates the pairs whose mean ranks "
        "differ by more: in the diagrams, strategies joined by a bar are not significantly "
        "different. Against each baseline, every other strategy is paired with it data set by "
        "data set (a failure scoring the metric's worst value, 0, or 1 for the Brier score: a "
        "strategy that fails leaves no model, a loss): the mean difference with its 95% BCa "
        "bootstrap interval, the Wilcoxon signed-rank p value corrected by Holm's method over "
        "the strategies compared "
        f"with that baseline (bold with ↑/↓: significantly better/worse at alpha = {alpha:g}) "
        "and the wins/ties/losses."
    )
    if n < _FEW_DATASETS:
        doc.paragraph(
            f"Only {n} data sets: the tests have little power (Demsar recommends more than "
            f"{_FEW_DATASETS}); read the ranks and differences, not the absence of significance."
        )
    doc.heading(2, "Reading")
    classifiers = ", ".join(dict.fromkeys(table["classifier"]))
    for b in baselines:
        doc.heading(3, f"Against `{b}`")
        doc.paragraph(
            f"Per metric, one mark per classifier ({classifiers}): ↑ significantly better than "
            f"`{b}`, ↓ significantly worse, · no significant difference, - not run "
            f"(Wilcoxon signed-rank, Holm-corrected, alpha = {alpha:g})."
        )
        doc.table(*significance_table(comparison.versus, b))
        doc.bullets(reading(comparison.versus, b))
    doc.heading(2, "Mean ranks")
    if figures:
        from smotekit.evaluation._figures import ranks_figure, save

        save(ranks_figure(comparison.ranks), out / "figures" / "ranks.png")
        doc.figure("figures/ranks.png", "mean ranks per classifier and metric")
    pivot = comparison.ranks.pivot_table(
        index=["classifier", "strategy"], columns="metric", values="mean_rank", sort=False
    )[list(METRICS)]
    doc.table(
        ["classifier", "strategy", *METRICS],
        [
            [*key, *(f"{v:.2f}" for v in row)]
            for key, row in zip(pivot.index, pivot.to_numpy(), strict=True)
        ],
    )
    doc.heading(2, "Per metric")
    for metric in METRICS:
        figure = None
        if figures:
            from smotekit.evaluation._figures import critical_difference_figure, save

            figure = f"figures/cd_{metric}.png"
            save(critical_difference_figure(comparison, metric), out / figure)
        _metric_section(doc, comparison, metric, baselines, figure)


def write_report(
    table: Any,
    out_dir: str | Path,
    *,
    config: Mapping[str, Any] | None = None,
    figures: bool = True,
    baselines: Sequence[str] = ("none", "threshold"),
    alpha: float = 0.05,
    skipped: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    random_state: int = 0,
) -> Path:
    """Write the tables, ``report.md``, ``report.html`` and figures into ``out_dir``.

    With one data set the report gives each strategy's mean and spread over folds; with several,
    mean ranks, the Friedman test, Nemenyi's critical differences (diagrams) and every strategy
    against each of ``baselines`` (Wilcoxon signed-rank, Holm-corrected, with bootstrap
    intervals), plus a plain-language reading of what is significant.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`evaluate` (several data sets may be concatenated).
    out_dir : path
        Created if needed.
    config : mapping, default=None
        Settings to record at the top of the report (folds, repeats, seed...).
    figures : bool, default=True
        Draw PNG figures (needs matplotlib) into ``out_dir/figures``.
    baselines : sequence of str, default=("none", "threshold")
        Strategies that every other is tested against (those present).
    alpha : float, default=0.05
        Significance level.
    skipped : mapping, default=None
        Data sets left out, and why.
    notes : sequence of str, default=()
        Paragraphs to show after the configuration (say, that a run is incomplete).
    random_state : int, default=0
        Seeds the bootstrap.

    Returns
    -------
    Path
        The path of ``report.md``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "results.csv", table.to_csv(index=False))
    atomic_write_text(out / "summary.csv", summarize(table).to_csv(index=False))
    datasets = [str(d) for d in dict.fromkeys(table["dataset"])]
    doc = Document()
    doc.heading(1, "smotekit evaluate")
    _config_section(doc, config or {}, datasets, skipped or {})
    for note in notes:
        doc.paragraph(note)
    _failures_section(doc, table)
    if len(datasets) > 1:
        _many_datasets(doc, table, out, figures, baselines, alpha, random_state)
    else:
        _single_dataset(doc, table, out, figures)
    doc.paragraph(
        "Files: `results.csv` (one row per fit), `summary.csv` (mean and sd per data set)"
        + (
            ", `ranks.csv`, `friedman.csv`, `versus.csv`, `nemenyi.csv` (the statistics)."
            if len(datasets) > 1
            else "."
        )
    )
    path = out / "report.md"
    atomic_write_text(path, doc.markdown())
    atomic_write_text(out / "report.html", doc.html(out, "smotekit evaluate"))
    return path

"""Every classifier x metric of a tidy table compared over data sets, as tidy tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from smotekit.evaluation._metrics import METRICS
from smotekit.evaluation._stats import (
    critical_difference,
    friedman,
    nemenyi_pvalues,
    rank_scores,
    score_matrix,
    versus_baseline,
)

__all__ = ["Comparison", "compare"]


@dataclass
class Comparison:
    """The statistics of :func:`compare`, one tidy DataFrame each.

    Attributes
    ----------
    ranks : DataFrame
        classifier, metric, strategy, mean_rank (1 = best), mean (over the data sets where the
        strategy ran), failed (data sets where it failed on some fold).
    friedman : DataFrame
        classifier, metric, n_datasets, n_strategies, chi2, p, f, p_f (Iman-Davenport), cd
        (Nemenyi's critical difference at ``alpha``).
    versus : DataFrame
        classifier, metric, baseline, then the columns of :func:`versus_baseline`.
    nemenyi : DataFrame
        classifier, metric, a, b, p: Nemenyi's p value of every pair.
    alpha : float
        The significance level used.
    """

    ranks: Any
    friedman: Any
    versus: Any
    nemenyi: Any
    alpha: float


def compare(
    table: Any,
    *,
    baselines: Sequence[str] = ("none", "threshold"),
    alpha: float = 0.05,
    n_resamples: int = 2000,
    random_state: int = 0,
) -> Comparison:
    """Mean ranks, Friedman, Nemenyi and Wilcoxon-Holm per classifier and metric.

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy table of :func:`evaluate` over several data sets (one row per fit).
    baselines : sequence of str, default=("none", "threshold")
        Strategies every other is tested against (those present in ``table``).
    alpha : float, default=0.05
        Significance level of the critical difference and of the Holm-corrected tests.
    n_resamples, random_state : int
        Bootstrap resamples of each confidence interval (95%), and their seed.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> base = np.random.RandomState(0).uniform(size=8)   # one score level per data set
    >>> rows = [{"dataset": f"d{i}", "classifier": "c", "strategy": s, "status": "ok",
    ...          **{m: base[i] + 0.01 * j for m in METRICS}}
    ...         for i in range(8) for j, s in enumerate(["none", "smote", "other"])]
    >>> result = compare(pd.DataFrame(rows), baselines=["none"])
    >>> result.ranks.query("metric == 'f1'")["mean_rank"].tolist()
    [3.0, 2.0, 1.0]
    >>> result.versus.query("metric == 'f1'")["verdict"].tolist()
    ['better', 'better']
    >>> result.versus.query("metric == 'brier'")["verdict"].tolist()   # lower is better
    ['worse', 'worse']
    """
    import pandas as pd

    ranks, tests, versus, pairs = [], [], [], []
    for classifier in dict.fromkeys(table["classifier"]):
        for metric, (higher, _) in METRICS.items():
            key = {"classifier": classifier, "metric": metric}
            scores = score_matrix(table, classifier, metric)
            if scores.empty:
                continue
            ranked = rank_scores(scores, higher)
            failed = scores.isna().sum()
            for strategy in scores.columns:
                ranks.append(
                    {
                        **key,
                        "strategy": strategy,
                        "mean_rank": float(ranked[strategy].mean()),
                        "mean": float(scores[strategy].mean()),
                        "failed": int(failed[strategy]),
                    }
                )
            result = friedman(ranked)
            n, k = result.n_datasets, result.n_strategies
            tests.append(
                {
                    **key,
                    "n_datasets": n,
                    "n_strategies": k,
                    "chi2": result.statistic,
                    "p": result.p_value,
                    "f": result.f_statistic,
                    "p_f": result.f_p_value,
                    "cd": critical_difference(k, n, alpha) if k >= 2 else float("nan"),
                }
            )
            if n >= 2 and k >= 2:
                matrix = nemenyi_pvalues(ranked)
                columns = list(scores.columns)
                for i, a in enumerate(columns):
                    for b in columns[i + 1 :]:
                        pairs.append({**key, "a": a, "b": b, "p": float(matrix.loc[a, b])})
            for baseline in baselines:
                if baseline not in scores.columns:
                    continue
                part = versus_baseline(
                    scores,
                    baseline,
                    higher_is_better=higher,
                    alpha=alpha,
                    n_resamples=n_resamples,
                    random_state=random_state,
                )
                versus.append(part.assign(**key, baseline=baseline))
    versus_table = pd.concat(versus, ignore_index=True) if versus else pd.DataFrame()
    if not versus_table.empty:
        first = ["classifier", "metric", "baseline"]
        versus_table = versus_table[first + [c for c in versus_table if c not in first]]
    return Comparison(
        pd.DataFrame(ranks), pd.DataFrame(tests), versus_table, pd.DataFrame(pairs), alpha
    )

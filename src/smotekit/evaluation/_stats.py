"""Strategies compared over data sets: mean ranks, Friedman, Nemenyi, Wilcoxon-Holm, bootstrap.

The procedure of Demsar (2006) and Garcia & Herrera (2008): one score per data set and strategy
(the mean over its folds), strategies ranked within each data set, the Friedman test (with Iman
and Davenport's F) on the ranks, then post-hoc tests: Nemenyi's critical difference for all pairs,
and against a baseline the Wilcoxon signed-rank test with Holm's correction and a bootstrap
confidence interval of the mean difference. The tests come from scipy.stats, scikit-posthocs and
statsmodels; this module only arranges the data for them.

A strategy that failed on a data set (on any fold) has no score there: it ranks last on that data
set (tied with any other failure) and is counted, never averaged away.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Friedman",
    "critical_difference",
    "friedman",
    "holm",
    "iman_davenport",
    "nemenyi_pvalues",
    "rank_scores",
    "score_matrix",
    "versus_baseline",
]


@dataclass(frozen=True)
class Friedman:
    """The Friedman test on ranks, with Iman and Davenport's F.

    Attributes
    ----------
    statistic, p_value : float
        Friedman's chi-square (scipy's, corrected for ties) and its p value (k - 1 df).
    f_statistic, f_p_value : float
        Iman-Davenport's F and its p value (k - 1 and (k - 1)(N - 1) df).
    n_datasets, n_strategies : int
        N and k.
    """

    statistic: float
    p_value: float
    f_statistic: float
    f_p_value: float
    n_datasets: int
    n_strategies: int


def score_matrix(table: Any, classifier: str, metric: str) -> Any:
    """One score per data set (rows) and strategy (columns): the mean of ``metric`` over folds.

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy table of :func:`evaluate` (one row per fit), several data sets concatenated.
    classifier, metric : str
        Which rows and which column to score.

    Returns
    -------
    pandas.DataFrame
        Data sets x strategies, in their order of appearance in ``table``; NaN where a strategy
        did not succeed on every fold of a data set (it failed there).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"dataset": ["a", "a", "a", "a"], "classifier": ["c"] * 4,
    ...                   "strategy": ["s", "s", "t", "t"], "status": ["ok", "ok", "ok", "failed"],
    ...                   "f1": [0.5, 0.7, 0.9, float("nan")]})
    >>> score_matrix(t, "c", "f1").round(2).to_dict("list")
    {'s': [0.6], 't': [nan]}
    """
    part = table[table["classifier"] == classifier]
    keys = ["dataset", "strategy"]
    grouped = part.groupby(keys, sort=False)
    mean = grouped[metric].mean()
    complete = grouped["status"].agg(lambda s: bool((s == "ok").all()))
    scores = mean.where(complete)
    return scores.unstack("strategy").reindex(
        index=list(dict.fromkeys(part["dataset"])), columns=list(dict.fromkeys(part["strategy"]))
    )


def rank_scores(scores: Any, higher_is_better: bool = True) -> Any:
    """Rank the strategies within each data set: 1 = best, ties averaged, NaN (failed) last.

    Parameters
    ----------
    scores : pandas.DataFrame
        Data sets x strategies, as from :func:`score_matrix`.
    higher_is_better : bool, default=True
        False for a loss such as the Brier score.

    Returns
    -------
    pandas.DataFrame
        The ranks, same shape and labels (``scipy.stats.rankdata`` per row).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"a": [0.9, 0.5], "b": [0.8, float("nan")], "c": [0.8, 0.7]})
    >>> rank_scores(s).to_dict("list")
    {'a': [1.0, 2.0], 'b': [2.5, 3.0], 'c': [2.5, 1.0]}
    """
    import pandas as pd
    from scipy.stats import rankdata

    values = scores.to_numpy(dtype=np.float64)
    # best first: negate when higher is better; a failure gets the worst possible value
    keyed = np.where(np.isnan(values), np.inf, -values if higher_is_better else values)
    ranks = rankdata(keyed, axis=1, method="average")
    return pd.DataFrame(ranks, index=scores.index, columns=scores.columns)


def iman_davenport(chi2: float, n_datasets: int, n_strategies: int) -> tuple[float, float]:
    """Iman and Davenport's F from Friedman's chi-square, and its p value.

    Parameters
    ----------
    chi2 : float
        Friedman's statistic.
    n_datasets, n_strategies : int
        N and k.

    Returns
    -------
    (float, float)
        ``F = (N - 1) chi2 / (N (k - 1) - chi2)`` and its p value from the F distribution with
        ``k - 1`` and ``(k - 1)(N - 1)`` degrees of freedom.

    Examples
    --------
    >>> f, p = iman_davenport(9.28, 14, 4)   # Demsar (2006), section 3.2.2
    >>> round(f, 2)
    3.69
    """
    from scipy.stats import f as f_dist

    n, k = n_datasets, n_strategies
    denominator = n * (k - 1) - chi2
    if denominator <= 0:  # every data set ranks the strategies alike
        return math.inf, 0.0
    f_stat = (n - 1) * chi2 / denominator
    return float(f_stat), float(f_dist.sf(f_stat, k - 1, (k - 1) * (n - 1)))


def friedman(ranks: Any) -> Friedman:
    """The Friedman test (``scipy.stats.friedmanchisquare``) on per-data-set ranks.

    Parameters
    ----------
    ranks : array-like of shape (n_datasets, n_strategies)
        From :func:`rank_scores` (or scores: the test ranks them again).

    Returns
    -------
    Friedman
        Needs at least 3 strategies and 2 data sets; otherwise every number is NaN.

    Examples
    --------
    >>> result = friedman([[1, 2, 3], [1, 3, 2], [1, 2, 3], [1, 2, 3]])
    >>> round(result.statistic, 2), round(result.p_value, 3)
    (6.5, 0.039)
    """
    from scipy.stats import friedmanchisquare

    values = np.asarray(ranks, dtype=np.float64)
    n, k = values.shape
    if k < 3 or n < 2:
        return Friedman(math.nan, math.nan, math.nan, math.nan, n, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all ties: 0/0, reported as NaN
        result = friedmanchisquare(*values.T)
    chi2, p = float(result.statistic), float(result.pvalue)
    if math.isnan(chi2):  # every data set tied every strategy: no difference at all
        chi2, p = 0.0, 1.0
    f_stat, f_p = iman_davenport(chi2, n, k)
    return Friedman(chi2, p, f_stat, f_p, n, k)


def critical_difference(n_strategies: int, n_datasets: int, alpha: float = 0.05) -> float:
    """Nemenyi's critical difference of mean ranks (Demsar 2006, section 3.2.2).

    Parameters
    ----------
    n_strategies, n_datasets : int
        k and N.
    alpha : float, default=0.05
        Significance level.

    Returns
    -------
    float
        ``q_alpha * sqrt(k (k + 1) / (6 N))``, with ``q_alpha`` the studentized range quantile
        (``scipy.stats.studentized_range``) for ``k`` groups and infinite degrees of freedom,
        divided by ``sqrt(2)``.

    Examples
    --------
    >>> round(critical_difference(4, 14, alpha=0.05), 2)   # Demsar's worked example
    1.25
    """
    from scipy.stats import studentized_range

    k, n = n_strategies, n_datasets
    q = studentized_range.ppf(1 - alpha, k, np.inf) / math.sqrt(2)
    return float(q * math.sqrt(k * (k + 1) / (6 * n)))


def nemenyi_pvalues(ranks: Any) -> Any:
    """Nemenyi's p value for every pair of strategies.

    Parameters
    ----------
    ranks : pandas.DataFrame
        Data sets x strategies, from :func:`rank_scores`.

    Returns
    -------
    pandas.DataFrame
        Strategies x strategies (``scikit_posthocs.posthoc_nemenyi_friedman``).
    """
    from smotekit._optional import import_optional

    sp = import_optional("scikit_posthocs", "stats")
    # scikit-posthocs ranks each row again: ranks of ranks are the ranks, failures stay last
    return sp.posthoc_nemenyi_friedman(ranks.reset_index(drop=True))


def holm(p_values: ArrayLike, alpha: float = 0.05) -> NDArray[np.float64]:
    """Holm's step-down adjusted p values (``statsmodels``); NaN stays NaN.

    Parameters
    ----------
    p_values : array-like of float
        One p value per hypothesis of the family.
    alpha : float, default=0.05
        Passed to ``statsmodels.stats.multitest.multipletests``.

    Returns
    -------
    ndarray
        The adjusted p values, in the order given.

    Examples
    --------
    >>> holm([0.016, 0.019, 0.607]).round(3).tolist()   # Demsar (2006), section 3.2.2
    [0.048, 0.048, 0.607]
    """
    from smotekit._optional import import_optional

    multitest = import_optional("statsmodels.stats.multitest", "stats")
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    valid = ~np.isnan(p)
    if valid.any():
        out[valid] = multitest.multipletests(p[valid], alpha=alpha, method="holm")[1]
    return out


def _wilcoxon(diff: NDArray[np.float64]) -> tuple[float, float]:
    """Two-sided Wilcoxon signed-rank p value (zero differences split between the signs) and
    the direction of the shift: the sign of the positive minus the negative rank sum."""
    from scipy.stats import rankdata, wilcoxon

    if diff.size == 0:
        return math.nan, 0.0
    if not diff.any():
        return 1.0, 0.0
    ranks = rankdata(np.abs(diff))
    direction = float(np.sign(ranks[diff > 0].sum() - ranks[diff < 0].sum()))
    return float(wilcoxon(diff, zero_method="zsplit").pvalue), direction


def _bootstrap_mean(
    diff: NDArray[np.float64], level: float, n_resamples: int, seed: int
) -> tuple[float, float]:
    """BCa bootstrap interval of the mean difference (``scipy.stats.bootstrap``)."""
    from scipy.stats import bootstrap

    if diff.size < 2:
        return math.nan, math.nan
    if np.ptp(diff) == 0:  # no spread to resample
        return float(diff[0]), float(diff[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BCa on a few distinct values: falls back below
        ci = bootstrap(
            (diff,),
            np.mean,
            confidence_level=level,
            n_resamples=n_resamples,
            method="BCa",
            random_state=np.random.default_rng(seed),
        ).confidence_interval
    low, high = float(ci.low), float(ci.high)
    if math.isnan(low) or math.isnan(high):
        low, high = (float(v) for v in np.quantile(diff, [(1 - level) / 2, (1 + level) / 2]))
    return low, high


def versus_baseline(
    scores: Any,
    baseline: str,
    *,
    higher_is_better: bool = True,
    alpha: float = 0.05,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    random_state: int = 0,
    failure_score: float | None = None,
) -> Any:
    """Every other strategy against ``baseline``, paired by data set.

    A failure scores ``failure_score`` (default: the worst value of a metric in [0, 1], 0 when
    higher is better and 1 otherwise): choosing a strategy that fails leaves no model, so it
    counts as a loss against a baseline that ran, as it ranks last in :func:`rank_scores`.
    Data sets where every strategy failed are left out.

    Columns: ``strategy``, ``n`` (data sets compared), ``failed`` (data sets where the strategy
    failed), ``wins``/``ties``/``losses`` (of the strategy), ``mean_diff`` (strategy minus
    baseline, in the metric's units), ``ci_low``/``ci_high`` (bootstrap interval of that mean),
    ``p`` (Wilcoxon signed-rank, two-sided), ``p_holm`` (Holm-corrected over the strategies
    compared with this baseline) and ``verdict``: "better", "worse" or "no difference" at
    ``alpha`` after correction.

    Parameters
    ----------
    scores : pandas.DataFrame
        Data sets x strategies, as from :func:`score_matrix` (NaN: failed).
    baseline : str
        The column every other is compared with.
    higher_is_better : bool, default=True
        False for a loss such as the Brier score.
    alpha : float, default=0.05
        Significance level after Holm's correction.
    confidence : float, default=0.95
        Level of the bootstrap intervals (``scipy.stats.bootstrap``, BCa).
    n_resamples, random_state : int, default=2000, 0
        Bootstrap resamples and their seed.
    failure_score : float or None, default=None
        What a failure scores; None: 0, or 1 when lower is better.

    Returns
    -------
    pandas.DataFrame
        One row per strategy other than ``baseline``, the columns above.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"none": [0.6, 0.7, 0.8], "new": [0.7, float("nan"), 0.9]})
    >>> r = versus_baseline(s, "none").iloc[0]   # "new" failed on the second data set
    >>> int(r["failed"]), int(r["wins"]), int(r["losses"]), round(float(r["mean_diff"]), 3)
    (1, 2, 1, -0.167)
    """
    import pandas as pd

    sign = 1.0 if higher_is_better else -1.0
    values = scores.to_numpy(dtype=np.float64)
    ran = ~np.isnan(values).all(axis=1)
    failed = np.isnan(values[ran])
    if failure_score is None:
        failure_score = 0.0 if higher_is_better else 1.0
    filled = np.where(failed, failure_score, values[ran])
    base = filled[:, list(scores.columns).index(baseline)]
    rows = []
    for j, strategy in enumerate(scores.columns):
        if strategy == baseline:
            continue
        diff = filled[:, j] - base
        better = sign * diff
        low, high = _bootstrap_mean(diff, confidence, n_resamples, random_state)
        p, direction = _wilcoxon(diff)
        rows.append(
            {
                "strategy": strategy,
                "n": int(diff.size),
                "failed": int(failed[:, j].sum()),
                "wins": int((better > 0).sum()),
                "ties": int((better == 0).sum()),
                "losses": int((better < 0).sum()),
                "mean_diff": float(diff.mean()) if diff.size else math.nan,
                "ci_low": low,
                "ci_high": high,
                "p": p,
                "direction": sign * direction,
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["p_holm"] = holm(out["p"].to_numpy(), alpha)
    significant = out["p_holm"] < alpha
    direction = out.pop("direction")
    out["verdict"] = np.where(
        significant & (direction > 0),
        "better",
        np.where(significant & (direction < 0), "worse", "no difference"),
    )
    return out

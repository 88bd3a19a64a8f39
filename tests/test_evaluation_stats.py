"""Statistics over data sets, checked against Demsar (2006)'s worked examples and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats as ss

from smotekit.evaluation import (
    compare,
    critical_difference,
    friedman,
    holm,
    iman_davenport,
    nemenyi_pvalues,
    rank_scores,
    score_matrix,
    versus_baseline,
)

# Demsar (2006), JMLR 7, Table 6: AUC of C4.5 and C4.5 with m and/or cf tuned, 14 UCI data sets.
ALGORITHMS = ["C4.5", "C4.5+m", "C4.5+cf", "C4.5+m+cf"]
TABLE6 = pd.DataFrame(
    [
        [0.763, 0.768, 0.771, 0.798],  # adult (sample)
        [0.599, 0.591, 0.590, 0.569],  # breast cancer
        [0.954, 0.971, 0.968, 0.967],  # breast cancer wisconsin
        [0.628, 0.661, 0.654, 0.657],  # cmc
        [0.882, 0.888, 0.886, 0.898],  # ionosphere
        [0.936, 0.931, 0.916, 0.931],  # iris
        [0.661, 0.668, 0.609, 0.685],  # liver disorders
        [0.583, 0.583, 0.563, 0.625],  # lung cancer
        [0.775, 0.838, 0.866, 0.875],  # lymphography
        [1.000, 1.000, 1.000, 1.000],  # mushroom
        [0.940, 0.962, 0.965, 0.962],  # primary tumor
        [0.619, 0.666, 0.614, 0.669],  # rheum
        # voting: printed 0.975 and 0.975, ranked 2 and 3 in the paper (the unrounded AUCs
        # differ); 0.9749 keeps the paper's ranks
        [0.972, 0.981, 0.975, 0.9749],
        [0.957, 0.978, 0.946, 0.970],  # wine
    ],
    columns=ALGORITHMS,
)


def test_demsar_mean_ranks_and_friedman():
    ranks = rank_scores(TABLE6)
    assert ranks.mean().round(3).tolist() == [3.143, 2.000, 2.893, 1.964]
    result = friedman(ranks)
    # the Friedman test is scipy's: the same on the ranks as on the raw AUCs
    expected = ss.friedmanchisquare(*TABLE6.to_numpy().T)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    # Demsar computes chi2_F from the mean ranks without scipy's correction for ties (mushroom:
    # four tied, iris, lung cancer and primary tumor: two): 9.28
    ties = 4**3 - 4 + 3 * (2**3 - 2)
    n, k = TABLE6.shape
    assert result.statistic * (1 - ties / (n * k * (k**2 - 1))) == pytest.approx(9.28, abs=0.005)
    # F_F = 3.69 from chi2_F = 9.28, with 3 and 39 degrees of freedom (critical value 2.85)
    f_stat, f_p = iman_davenport(9.28, n, k)
    assert f_stat == pytest.approx(3.69, abs=0.005)
    assert f_p == pytest.approx(ss.f.sf(f_stat, 3, 39))
    assert ss.f.ppf(0.95, 3, 39) == pytest.approx(2.85, abs=0.005) and f_stat > 2.85
    assert result.f_statistic == pytest.approx(
        (n - 1) * result.statistic / (n * (k - 1) - result.statistic)
    )


@pytest.mark.parametrize(
    ("alpha", "q"),
    [
        (0.05, [1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164]),
        (0.10, [1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920]),
    ],
)
def test_nemenyi_critical_values_are_demsars_table_5a(alpha, q):
    # CD = q_alpha sqrt(k (k + 1) / (6 N))
    for k, q_k in zip(range(2, 11), q, strict=True):
        root = np.sqrt(k * (k + 1) / (6 * 14))
        # the table is printed to 3 decimals, some truncated (2.3437 as 2.343)
        assert critical_difference(k, 14, alpha) / root == pytest.approx(q_k, abs=1e-3)


def test_demsar_critical_differences_and_groups():
    assert critical_difference(4, 14, 0.05) == pytest.approx(1.25, abs=0.005)
    assert critical_difference(4, 14, 0.10) == pytest.approx(1.12, abs=0.005)
    p = nemenyi_pvalues(rank_scores(TABLE6))
    pairs = {(a, b): p.loc[a, b] for i, a in enumerate(ALGORITHMS) for b in ALGORITHMS[i + 1 :]}
    # "even the difference between the best and the worst ... is smaller than [the CD]"
    assert all(v > 0.05 for v in pairs.values())
    # at p = 0.10: C4.5 is worse than C4.5+m and C4.5+m+cf; nothing else is separated
    assert {pair for pair, v in pairs.items() if v < 0.10} == {
        ("C4.5", "C4.5+m"),
        ("C4.5", "C4.5+m+cf"),
    }


def test_demsar_wilcoxon_example():
    # Table 2: C4.5+m against C4.5; differences as printed (to 3 decimals, as the paper ranks
    # them); R+ = 93, R- = 12, T = 12 <= 21: significant at 0.05
    scores = pd.DataFrame(
        {"C4.5": TABLE6["C4.5"], "C4.5+m": TABLE6["C4.5"] + (TABLE6["C4.5+m"] - TABLE6["C4.5"])}
    ).round(3)
    diff = (scores["C4.5+m"] - scores["C4.5"]).round(3).to_numpy()
    scipy_result = ss.wilcoxon(diff, zero_method="zsplit")
    assert scipy_result.statistic == 12
    row = versus_baseline(scores, "C4.5").iloc[0]
    assert (row["wins"], row["ties"], row["losses"]) == (10, 2, 2)
    assert row["p"] == pytest.approx(scipy_result.pvalue) and row["p"] < 0.05
    assert row["p_holm"] == row["p"]  # one comparison: nothing to correct
    assert row["verdict"] == "better"
    assert row["mean_diff"] == pytest.approx(diff.mean())


def test_holm_is_demsars_step_down():
    # section 3.2.2: p = 0.016, 0.019, 0.607 against alpha / (k - i) = 0.017, 0.025, 0.050:
    # the first two are rejected, the third is not
    adjusted = holm([0.607, 0.016, 0.019])
    assert (adjusted < 0.05).tolist() == [False, True, True]
    assert adjusted.tolist() == pytest.approx([0.607, 0.048, 0.048])
    assert np.isnan(holm([np.nan, 0.01])[0])


def test_failed_strategy_ranks_last_ties_among_failures():
    scores = pd.DataFrame(
        {"a": [0.9, 0.5, 0.7], "b": [np.nan, 0.6, np.nan], "c": [0.8, np.nan, np.nan]}
    )
    ranks = rank_scores(scores)
    assert ranks.to_numpy().tolist() == [[1, 3, 2], [2, 1, 3], [1, 2.5, 2.5]]
    # lower is better (Brier score): the order flips, a failure still ranks last
    assert rank_scores(scores, higher_is_better=False).iloc[0].tolist() == [2, 3, 1]


def test_friedman_and_bootstrap_match_scipy():
    rng = np.random.RandomState(0)
    scores = pd.DataFrame(rng.uniform(size=(20, 5)) + np.array([0, 0.05, 0.1, 0.0, 0.2]))
    scores.columns = list("abcde")
    result = friedman(rank_scores(scores))
    expected = ss.friedmanchisquare(*scores.to_numpy().T)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.f_p_value == pytest.approx(ss.f.sf(result.f_statistic, 4, 4 * 19))
    table = versus_baseline(scores, "a", random_state=3).set_index("strategy")
    diff = scores["e"] - scores["a"]
    ci = ss.bootstrap(
        (diff.to_numpy(),),
        np.mean,
        n_resamples=2000,
        method="BCa",
        random_state=np.random.default_rng(3),
    ).confidence_interval
    assert table.loc["e", ["ci_low", "ci_high"]].tolist() == pytest.approx([ci.low, ci.high])
    assert table.loc["e", "p"] == pytest.approx(ss.wilcoxon(diff, zero_method="zsplit").pvalue)
    p_raw = table["p"].to_numpy()
    assert table["p_holm"].tolist() == pytest.approx(holm(p_raw).tolist())


def _tidy(values, strategies, failed=()):
    """A tidy table with one fold per (data set, strategy); ``failed``: (data set, strategy)."""
    rows = []
    for i, row in enumerate(values):
        for strategy, value in zip(strategies, row, strict=True):
            bad = (i, strategy) in failed
            rows.append(
                {
                    "dataset": f"d{i}",
                    "classifier": "logreg",
                    "strategy": strategy,
                    "status": "failed" if bad else "ok",
                    **dict.fromkeys(
                        ["roc_auc", "pr_auc", "balanced_accuracy", "g_mean", "f1", "brier"],
                        np.nan if bad else value,
                    ),
                }
            )
    return pd.DataFrame(rows)


def test_failed_strategy_is_ranked_last_counted_and_loses():
    rng = np.random.RandomState(1)
    values = rng.uniform(0.5, 0.7, size=(12, 3)) + np.array([0.0, 0.0, 0.2])
    # "best" is best everywhere it runs, but it fails on 8 of the 12 data sets
    failed = {(i, "best") for i in range(8)}
    table = _tidy(values, ["none", "other", "best"], failed)
    assert score_matrix(table, "logreg", "f1")["best"].isna().sum() == 8
    result = compare(table, baselines=["none"])
    ranks = result.ranks.query("metric == 'f1'").set_index("strategy")
    assert ranks.loc["best", "failed"] == 8
    assert ranks.loc["best", "mean_rank"] == pytest.approx((8 * 3 + 4 * 1) / 12)
    assert ranks.loc["best", "mean"] == pytest.approx(values[8:, 2].mean())  # where it ran
    versus = result.versus.query("metric == 'f1'").set_index("strategy").loc["best"]
    # a failure scores the worst possible F1, 0: a loss against a baseline that ran
    assert versus["failed"] == 8 and versus["n"] == 12
    assert (versus["wins"], versus["ties"], versus["losses"]) == (4, 0, 8)
    assert versus["verdict"] == "worse"
    mean_diff = (values[8:, 2] - values[8:, 0]).sum() - values[:8, 0].sum()
    assert versus["mean_diff"] == pytest.approx(mean_diff / 12)

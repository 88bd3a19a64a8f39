"""The numbers behind the tutorial's answers: each function is one experiment, seeded, small.

Every experiment returns plain dicts of floats (and the arrays its figure needs), so that the
report quotes exactly what was computed. Nothing here draws or writes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "bridging_case",
    "calibration",
    "categorical_case",
    "high_dimension_case",
    "noisy_case",
    "notebook_scores",
    "prior_shift",
    "strong_learner_case",
]


def _notebook_like(rng: np.random.RandomState, n_major: int, n_minor: int) -> tuple[Any, Any]:
    """Fresh rows from the notebook's two Gaussians, any class sizes (minority = 1)."""
    from smotekit import _tutorial_data as nb

    X = np.vstack(
        [
            rng.multivariate_normal(nb.MU_MAJORITY, nb.SIGMA_MAJORITY, size=n_major),
            rng.multivariate_normal(nb.MU_MINORITY, nb.SIGMA_MINORITY, size=n_minor),
        ]
    )
    y = np.r_[np.zeros(n_major, dtype=np.int64), np.ones(n_minor, dtype=np.int64)]
    return X, y


def _smote_augment(
    X: NDArray[Any], y: NDArray[Any], n: int, a: float = 1.0, k: int = 5, seed: int = 0
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Training rows plus ``n`` SMOTE rows grown from the minority (label 1)."""
    from smotekit import smote

    new = smote(X[y == 1], k=k, a=a, num_samples=n, random_state=seed)
    return np.vstack([X, new]), np.r_[y, np.ones(n, dtype=y.dtype)]


def _logreg() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression()


def _auc_from_labels(y: NDArray[Any], pred: NDArray[Any]) -> float:
    """The notebook's "AUROC": roc_curve on hard labels, then auc."""
    from sklearn import metrics

    fpr, tpr, _ = metrics.roc_curve(y, pred)
    return float(metrics.auc(fpr, tpr))


def _label_metrics(y: NDArray[Any], score: NDArray[Any], pred: NDArray[Any]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, precision_score, recall_score

    from smotekit.evaluation._metrics import fold_metrics

    out = fold_metrics(y, score, pred)
    out["accuracy"] = float(accuracy_score(y, pred))
    out["precision"] = float(precision_score(y, pred, zero_division=0.0))
    out["recall"] = float(recall_score(y, pred))
    out["notebook_auroc"] = _auc_from_labels(y, pred)
    return out


def notebook_scores(data: Any, seed: int = 0) -> dict[str, Any]:
    """The notebook's experiment scored properly, plus threshold moving without resampling.

    ``data`` is :func:`smotekit.tutorial.make_data`'s result (notebook orientation, minority -1).
    The threshold is chosen on the training data alone (5-fold out-of-fold predictions,
    maximising balanced accuracy), never on the test set.
    """
    from smotekit.evaluation._threshold import ThresholdMovingClassifier

    X = np.asarray(data.X_train, dtype=np.float64).T
    y = (np.asarray(data.y_train) == -1).astype(np.int64)
    Xt = np.asarray(data.X_test, dtype=np.float64).T
    yt = (np.asarray(data.y_test) == -1).astype(np.int64)

    before = _logreg().fit(X, y)
    Xa, ya = _smote_augment(X, y, 3000, a=0.5, seed=seed)
    after = _logreg().fit(Xa, ya)
    tuned = ThresholdMovingClassifier(_logreg(), cv=5, random_state=seed).fit(X, y)

    rows = {}
    for name, model in [("none", before), ("smote", after), ("threshold", tuned)]:
        score = model.predict_proba(Xt)[:, 1]
        rows[name] = _label_metrics(yt, score, model.predict(Xt))
        rows[name]["train_accuracy"] = float((model.predict(X) == y).mean())
    rows["threshold"]["threshold"] = float(tuned.best_threshold_)
    return {
        "rows": rows,
        "curves": {
            name: model.predict_proba(Xt)[:, 1]
            for name, model in [("none", before), ("smote", after)]
        },
        "y_test": yt,
        "X_train": X,
        "y_train": y,
        "X_test": Xt,
        "models": {"none": before, "smote": after, "threshold": tuned},
    }


def _prior_correct(p: NDArray[Any], prior_fit: float, prior_target: float) -> NDArray[Any]:
    """Re-weight a probability learned under one minority prior to another (Bayes' rule)."""
    ratio = (prior_target / (1 - prior_target)) / (prior_fit / (1 - prior_fit))
    return p * ratio / (p * ratio + (1 - p))


def _reliability(
    y: NDArray[Any], p: NDArray[Any], min_count: int = 20
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Mean prediction and observed frequency in ten equal-width bins holding enough rows."""
    idx = np.minimum((p * 10).astype(int), 9)
    mean, frac = [], []
    for b in range(10):
        inside = idx == b
        if inside.sum() >= min_count:
            mean.append(p[inside].mean())
            frac.append(y[inside].mean())
    return np.asarray(mean), np.asarray(frac)


def calibration(n_seeds: int = 20, n_test_major: int = 10000) -> dict[str, Any]:
    """Brier score when deployment matches training (1:100): none, SMOTE, SMOTE prior-corrected.

    For each seed: the notebook's recipe (5000 + 50 rows, 3000 SMOTE rows with a = 0.5) and a
    test set drawn with the training prior. The correction maps SMOTE's probabilities from the
    resampled prior (3050 / 8050) back to the training prior (50 / 5050).
    """
    from sklearn.metrics import brier_score_loss, log_loss

    n_major, n_minor, n_new = 5000, 50, 3000
    prior_train = n_minor / (n_major + n_minor)
    prior_res = (n_minor + n_new) / (n_major + n_minor + n_new)
    briers: dict[str, list[float]] = {"none": [], "smote": [], "smote_corrected": []}
    losses: dict[str, list[float]] = {k: [] for k in briers}
    risks: dict[str, list[float]] = {k: [] for k in briers}
    curves: dict[str, Any] = {}
    for seed in range(n_seeds):
        rng = np.random.RandomState(1000 + seed)
        X, y = _notebook_like(rng, n_major, n_minor)
        Xt, yt = _notebook_like(rng, n_test_major, n_test_major // 100)
        p_none = _logreg().fit(X, y).predict_proba(Xt)[:, 1]
        Xa, ya = _smote_augment(X, y, n_new, a=0.5, seed=seed)
        p_smote = _logreg().fit(Xa, ya).predict_proba(Xt)[:, 1]
        p_corr = _prior_correct(p_smote, prior_res, prior_train)
        for key, p in [("none", p_none), ("smote", p_smote), ("smote_corrected", p_corr)]:
            briers[key].append(float(brier_score_loss(yt, p)))
            losses[key].append(float(log_loss(yt, p)))
            risks[key].append(float(p.mean()))
            if seed == 0:
                curves[key] = _reliability(yt, p)
    out: dict[str, Any] = {"curves": curves, "n_seeds": n_seeds}
    for key in briers:
        out[f"brier_{key}"] = float(np.mean(briers[key]))
        out[f"brier_{key}_sd"] = float(np.std(briers[key], ddof=1))
        out[f"log_loss_{key}"] = float(np.mean(losses[key]))
        out[f"mean_risk_{key}"] = float(np.mean(risks[key]))
    out["mean_risk_true"] = prior_train
    return out


def prior_shift(data: Any, nb: dict[str, Any]) -> dict[str, float]:
    """Accuracy where deployment matches training (1:100) versus the notebook's 1:1 test set.

    On the 1:1 test set, the unresampled model with its probabilities corrected to the known
    deployment prior (0.5) needs no synthetic rows and no tuning.
    """
    y = nb["y_train"]
    Xt, yt = nb["X_test"], nb["y_test"]
    models = nb["models"]
    prior_train = float(y.mean())
    out: dict[str, float] = {}
    p = models["none"].predict_proba(Xt)[:, 1]
    shifted = (_prior_correct(p, prior_train, 0.5) >= 0.5).astype(np.int64)
    out["balanced_test_accuracy_prior_shift"] = float((shifted == yt).mean())
    rng = np.random.RandomState(7)
    Xm, ym = _notebook_like(rng, 20000, 200)
    for name in ("none", "smote", "threshold"):
        pred = models[name].predict(Xm)
        out[f"matched_accuracy_{name}"] = float((pred == ym).mean())
        out[f"matched_precision_{name}"] = float(
            ((pred == 1) & (ym == 1)).sum() / max((pred == 1).sum(), 1)
        )
        out[f"matched_false_alarms_{name}"] = float(((pred == 1) & (ym == 0)).sum())
    out["matched_n_minority"] = float(ym.sum())
    out["matched_n"] = float(ym.size)
    return out


def _fit_score(model: Any, X: Any, y: Any, Xt: Any, yt: Any) -> dict[str, float]:
    model.fit(X, y)
    score = model.predict_proba(Xt)[:, 1]
    return _label_metrics(yt, score, model.predict(Xt))


def _knn() -> Any:
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5)


def _mean_rows(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


def _majority_dense(X: NDArray[Any], log_density_major: Any, log_density_minor: Any) -> float:
    """Fraction of rows where the majority's density is higher than the minority's."""
    return float((log_density_major(X) > log_density_minor(X)).mean())


def _gauss_logpdf(mean: Any, sd: float) -> Any:
    mean = np.asarray(mean, dtype=np.float64)

    def logpdf(X: NDArray[Any]) -> NDArray[Any]:
        d = X.shape[1]
        return -0.5 * ((X - mean) ** 2).sum(axis=1) / sd**2 - d * np.log(sd)

    return logpdf


def _mixture_logpdf(parts: list[tuple[float, Any, float]]) -> Any:
    def logpdf(X: NDArray[Any]) -> NDArray[Any]:
        logs = np.stack([np.log(w) + _gauss_logpdf(m, s)(X) for w, m, s in parts])
        top = logs.max(axis=0)
        return top + np.log(np.exp(logs - top).sum(axis=0))

    return logpdf


def bridging_case(n_seeds: int = 3) -> dict[str, Any]:
    """A minority in two clusters, one of them tiny, with the majority between them.

    The tiny cluster's rows have fewer than k = 5 partners in their own cluster, so SMOTE
    interpolates across the majority towards the other cluster.
    """
    centers = [(-3.0, 0.0), (3.0, 0.0)]
    sizes, sd_min = (26, 4), 0.4
    major = _gauss_logpdf((0.0, 0.0), 1.0)
    minor = _mixture_logpdf(
        [(s / sum(sizes), c, sd_min) for s, c in zip(sizes, centers, strict=True)]
    )

    def draw(rng: Any, n_major: int, scale: int) -> tuple[Any, Any]:
        parts = [rng.normal(size=(n_major, 2))]
        for size, c in zip(sizes, centers, strict=True):
            parts.append(np.asarray(c) + sd_min * rng.normal(size=(size * scale, 2)))
        n_min = sum(sizes) * scale
        return np.vstack(parts), np.r_[np.zeros(n_major, np.int64), np.ones(n_min, np.int64)]

    return _two_way_case(draw, major, minor, n_seeds, n_major=1000)


def noisy_case(n_seeds: int = 3) -> dict[str, Any]:
    """A compact minority plus a few minority rows scattered inside the majority (label noise)."""
    sd_min, n_clean, n_noise = 0.5, 40, 10
    major = _gauss_logpdf((0.0, 0.0), 1.0)
    minor = _gauss_logpdf((2.5, 2.5), sd_min)

    def draw(rng: Any, n_major: int, scale: int) -> tuple[Any, Any]:
        X = np.vstack(
            [
                rng.normal(size=(n_major, 2)),
                (2.5, 2.5) + sd_min * rng.normal(size=(n_clean * scale, 2)),
                rng.normal(size=(n_noise * scale, 2)),
            ]
        )
        n_min = (n_clean + n_noise) * scale
        return X, np.r_[np.zeros(n_major, np.int64), np.ones(n_min, np.int64)]

    return _two_way_case(draw, major, minor, n_seeds, n_major=1000)


def _two_way_case(draw: Any, major: Any, minor: Any, n_seeds: int, n_major: int) -> dict[str, Any]:
    """None vs SMOTE (balanced) with kNN, on a test set drawn with the training prior."""
    from smotekit.evaluation._threshold import ThresholdMovingClassifier

    rows: dict[str, list[dict[str, float]]] = {"none": [], "smote": [], "threshold": []}
    bad: list[float] = []
    example: dict[str, Any] = {}
    for seed in range(n_seeds):
        rng = np.random.RandomState(2000 + seed)
        X, y = draw(rng, n_major, 1)
        Xt, yt = draw(rng, 3 * n_major, 3)
        n_new = int((y == 0).sum() - (y == 1).sum())
        Xa, ya = _smote_augment(X, y, n_new, seed=seed)
        synthetic = Xa[X.shape[0] :]
        bad.append(_majority_dense(synthetic, major, minor))
        rows["none"].append(_fit_score(_knn(), X, y, Xt, yt))
        rows["smote"].append(_fit_score(_knn(), Xa, ya, Xt, yt))
        tuned = ThresholdMovingClassifier(_knn(), cv=3, random_state=0)
        rows["threshold"].append(_fit_score(tuned, X, y, Xt, yt))
        if seed == 0:
            example = {"X": X, "y": y, "synthetic": synthetic}
    return {
        "rows": {k: _mean_rows(v) for k, v in rows.items()},
        "synthetic_in_majority": float(np.mean(bad)),
        "example": example,
        "n_seeds": n_seeds,
    }


def high_dimension_case(
    dims: tuple[int, ...] = (2, 10, 50, 200, 500), n_seeds: int = 3
) -> dict[str, Any]:
    """Signal in two features, noise in the rest: what SMOTE adds as the dimension grows."""
    out: dict[str, Any] = {"dims": list(dims), "rows": {}}
    for d in dims:
        per: dict[str, list[dict[str, float]]] = {"none": [], "smote": []}
        for seed in range(n_seeds):
            rng = np.random.RandomState(3000 + seed)

            def draw(n_major: int, n_minor: int, rng: Any = rng, d: int = d) -> Any:
                X = rng.normal(size=(n_major + n_minor, d))
                X[n_major:, :2] += 1.5
                return X, np.r_[np.zeros(n_major, np.int64), np.ones(n_minor, np.int64)]

            X, y = draw(500, 25)
            Xt, yt = draw(2000, 100)
            Xa, ya = _smote_augment(X, y, 475, seed=seed)
            per["none"].append(_fit_score(_knn(), X, y, Xt, yt))
            per["smote"].append(_fit_score(_knn(), Xa, ya, Xt, yt))
        out["rows"][d] = {k: _mean_rows(v) for k, v in per.items()}
    return out


def categorical_case(seed: int = 0) -> dict[str, Any]:
    """One-hot, binary and count features: what interpolation makes of them.

    A synthetic row is impossible when a one-hot group is not exactly one 1 and zeros, a binary
    flag is not 0 or 1, or a count is not a whole number.
    """
    rng = np.random.RandomState(seed)
    n_major, n_minor = 400, 40
    n = n_major + n_minor
    colour = rng.randint(0, 3, size=n)
    onehot = np.eye(3)[colour]
    flag = rng.randint(0, 2, size=n).astype(np.float64)
    count = rng.poisson(3, size=n).astype(np.float64)
    y = np.r_[np.zeros(n_major, np.int64), np.ones(n_minor, np.int64)]
    X = np.c_[rng.normal(size=n) + y, onehot, flag, count]
    n_new = n_major - n_minor
    from smotekit import SMOTE

    new = SMOTE(random_state=seed).fit_resample(X, y)[0][n:]

    def impossible(rows: NDArray[Any]) -> dict[str, float]:
        oh = rows[:, 1:4]
        bad_onehot = ~(np.isin(oh, (0.0, 1.0)).all(axis=1) & (oh.sum(axis=1) == 1))
        bad_flag = ~np.isin(rows[:, 4], (0.0, 1.0))
        bad_count = rows[:, 5] != np.round(rows[:, 5])
        return {
            "onehot": float(bad_onehot.mean()),
            "flag": float(bad_flag.mean()),
            "count": float(bad_count.mean()),
            "any": float((bad_onehot | bad_flag | bad_count).mean()),
        }

    out: dict[str, Any] = {"smote": impossible(new), "smote_rows": new, "n_synthetic": n_new}
    import smotekit

    if hasattr(smotekit, "SMOTENC"):
        # the same data with its categories as codes: colour 0..2, flag 0/1; count stays numeric
        Xc = np.c_[X[:, 0], colour, flag, count]
        nc = smotekit.SMOTENC(categorical_features=[1, 2], random_state=seed)
        res = nc.fit_resample(Xc, y)[0][n:]
        as_onehot = np.c_[res[:, 0], np.eye(3)[res[:, 1].astype(int)], res[:, 2], res[:, 3]]
        out["smotenc"] = impossible(as_onehot)
        out["smotenc"]["onehot"] = float((~np.isin(res[:, 1], (0, 1, 2))).mean())
        out["smotenc_rows"] = res
    return out


def strong_learner_case(n_seeds: int = 2) -> dict[str, Any]:
    """Gradient boosting versus logistic regression, with and without SMOTE, on held-out data."""
    from sklearn.base import clone
    from sklearn.datasets import make_classification
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    per: dict[str, list[dict[str, float]]] = {}
    for seed in range(n_seeds):
        X, y = make_classification(
            n_samples=6000,
            n_features=10,
            n_informative=5,
            weights=[0.95],
            flip_y=0.01,
            class_sep=0.8,
            random_state=seed,
        )
        X, Xt, y, yt = train_test_split(X, y, test_size=0.5, stratify=y, random_state=seed)
        Xa, ya = _smote_augment(X, y, int((y == 0).sum() - (y == 1).sum()), seed=seed)
        for clf_name, model in [
            ("hgb", HistGradientBoostingClassifier(random_state=seed)),
            ("logreg", _logreg()),
        ]:
            per.setdefault(f"{clf_name}_none", []).append(_fit_score(clone(model), X, y, Xt, yt))
            per.setdefault(f"{clf_name}_smote", []).append(_fit_score(clone(model), Xa, ya, Xt, yt))
    return {"rows": {k: _mean_rows(v) for k, v in per.items()}, "n_seeds": n_seeds}

"""The engine against the per-class path: SMOTE-N, ProWSyn, PolynomFit, SVMSMOTE, KMeansSMOTE.

Each row times three ``fit_resample`` calls on the same data, interleaved (the order rotates
per repetition), and prints medians and ratios: the sampler on its per-class path (how it ran
before the engine: ``_plan_class`` per class, then the shared assembly; for SMOTE-N, its former
loop restated below), the sampler as it runs now (the engine's memory executor), and
imbalanced-learn's where it has the sampler. The engine must not be slower: engine/today should
be 1.0 within the noise. Both smotekit outputs are checked equal first. Peak memory
(tracemalloc, one untimed run each) is printed for the first two.

Data: the three kinds of ``bench_engine.py`` (isotropic Gaussian, ``make_classification``, a
3-D manifold in all features), 10% minority balanced to 1:1; SMOTE-N gets them cut into 5
quantile bins per feature (categories).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import DATA, three_way
from bench_smote import fmt_s, header, peak_mib, print_table

from smotekit import SMOTEN, SVMSMOTE, KMeansSMOTE, PolynomFitSMOTE, ProWSyn


def per_class_path(cls: type) -> type:
    """``cls`` resampling as before the engine: one ``_plan_class`` per class, then assembly."""

    class Today(cls):  # type: ignore[misc, valid-type]
        def _fit_resample(self, X: Any, y: Any, **params: Any) -> Any:
            self._validate_estimator()
            plans, labels = [], []
            for label, n_samples in self.sampling_strategy_.items():
                if n_samples:
                    rows = np.flatnonzero(y == label)
                    plans.append(self._plan_class(X, y, label, rows, n_samples).compact())
                    labels.append(label)
            return self._assemble(X, y, plans, labels)

    return Today


class SMOTENToday(SMOTEN):
    """SMOTE-N's loop before the engine: VDM fitted once, then per class search, draw, vote."""

    def _fit_resample(self, X: Any, y: Any, **params: Any) -> Any:
        from imblearn.metrics.pairwise import ValueDifferenceMetric
        from sklearn.preprocessing import OrdinalEncoder

        from smotekit._kernels import SyntheticPlan, concat_plans
        from smotekit.engine._queries import vdm_neighborhoods
        from smotekit.over_sampling._smoten import mode_of_neighborhoods

        self.categorical_encoder_ = OrdinalEncoder(dtype=np.int32)
        X_encoded = self.categorical_encoder_.fit_transform(X)
        n_categories = [len(c) for c in self.categorical_encoder_.categories_]
        vdm = ValueDifferenceMetric(n_categories=n_categories).fit(X_encoded, y)
        plans, blocks, labels = [], [], []
        for label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            class_index = np.flatnonzero(y == label)
            X_class = X_encoded[class_index]
            neighborhoods = vdm_neighborhoods(vdm, X_class, int(self.k_neighbors) + 1)
            base = self._class_rng().choice(np.arange(class_index.size), size=n_samples)
            codes = mode_of_neighborhoods(X_class, neighborhoods, base)
            blocks.append(self.categorical_encoder_.inverse_transform(codes).astype(X.dtype))
            missing = np.full(n_samples, -1, dtype=np.intp)
            plans.append(SyntheticPlan(class_index[base], missing, np.full(n_samples, np.nan)))
            labels.append(label)
        self.provenance_ = concat_plans(plans).to_records()
        y_new = [np.full(len(b), lab, dtype=y.dtype) for b, lab in zip(blocks, labels, strict=True)]
        return np.vstack([X, *blocks]), np.concatenate([y, *y_new])


def categories(X: Any) -> Any:
    """Each feature cut into 5 quantile bins."""
    edges = np.quantile(X, [0.2, 0.4, 0.6, 0.8], axis=0)
    return np.column_stack([np.digitize(X[:, j], edges[:, j]) for j in range(X.shape[1])])


def samplers(minority: list[int], small: list[int]) -> list[tuple[Any, ...]]:
    """(name, today's class, the engine's class, imbalanced-learn's class, params, sizes)."""
    from imblearn.over_sampling import SMOTEN as ImbSMOTEN
    from imblearn.over_sampling import SVMSMOTE as ImbSVMSMOTE
    from imblearn.over_sampling import KMeansSMOTE as ImbKMeansSMOTE

    kmeans = {"kmeans_estimator": 8, "cluster_balance_threshold": 0.05}
    return [
        ("SMOTE-N", SMOTENToday, SMOTEN, ImbSMOTEN, {}, small),
        ("ProWSyn", per_class_path(ProWSyn), ProWSyn, None, {}, minority),
        ("PolynomFit", per_class_path(PolynomFitSMOTE), PolynomFitSMOTE, None, {}, minority),
        ("SVMSMOTE", per_class_path(SVMSMOTE), SVMSMOTE, ImbSVMSMOTE, {}, small),
        ("KMeansSMOTE", per_class_path(KMeansSMOTE), KMeansSMOTE, ImbKMeansSMOTE, kmeans, minority),
    ]


def measure(X: Any, y: Any, classes: tuple[Any, ...], params: dict, reps: int) -> list[Any]:
    """Median seconds of today's path, the engine and imbalanced-learn (None); peak MiB."""
    today, engine = (cls(random_state=0, **params) for cls in classes[:2])
    a, b = today.fit_resample(X, y)[0], engine.fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    runs = [lambda s=s: s.fit_resample(X, y) for s in (today, engine)]
    if classes[2] is not None:
        reference = classes[2](random_state=0, **params)
        runs.append(lambda: reference.fit_resample(X, y))
    times = three_way(runs, reps)
    return [*times, *([None] if len(times) == 2 else []), peak_mib(runs[0]), peak_mib(runs[1])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minority", type=int, nargs="+", default=[2_000, 10_000])
    parser.add_argument(
        "--small", type=int, nargs="+", default=[500, 2_000],
        help="minority sizes for SMOTE-N (VDM: m x m per class) and SVMSMOTE (an SVM fit)",
    )  # fmt: skip
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--only", nargs="+", help="sampler names to run (default: all)")
    args = parser.parse_args(argv)
    header()
    print(f"load average at start {os.getloadavg()[0]:.1f}")
    rows, ratios = [], []
    for name, today, engine, theirs, params, sizes in samplers(args.minority, args.small):
        if args.only and name not in args.only:
            continue
        for data_name, make in DATA.items():
            for n_min in sizes:
                X, y = make(n_min, args.features)
                if name == "SMOTE-N":
                    X = categories(X)
                t_today, t_engine, t_imb, m_today, m_engine = measure(
                    X, y, (today, engine, theirs), params, args.reps
                )
                ratios.append(t_engine / t_today)
                rows.append(
                    [
                        data_name,
                        f"{n_min:,} x {X.shape[1]}",
                        name,
                        fmt_s(t_today),
                        fmt_s(t_engine),
                        f"{t_engine / t_today:.3f}",
                        "-" if t_imb is None else fmt_s(t_imb),
                        "-" if t_imb is None else f"{t_imb / t_engine:.1f}x",
                        f"{m_today:.0f}",
                        f"{m_engine:.0f}",
                    ]
                )
                print(" | ".join(rows[-1]), file=sys.stderr)
    print_table(
        [
            "data",
            "minority",
            "sampler",
            "today s",
            "engine s",
            "engine/today",
            "imblearn s",
            "imblearn/engine",
            "today MiB",
            "engine MiB",
        ],
        rows,
    )
    print(
        f"\nengine/today over {len(ratios)} rows: median {statistics.median(ratios):.3f}, "
        f"min {min(ratios):.3f}, max {max(ratios):.3f}; load average at end "
        f"{os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

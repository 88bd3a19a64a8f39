"""The engine's memory executor against today's samplers and imbalanced-learn, same run.

Each row times three ``fit_resample`` calls on the same data, interleaved (the order rotates
per repetition), and prints medians and ratios: today's smotekit sampler, the same sampler with
its ``_fit_resample`` replaced by the engine's memory executor (how the migration wires it), and
imbalanced-learn's. The engine must not be slower than today's path: its ratio should be 1.0
within the noise. Peak memory (tracemalloc, one untimed run each) is printed for the first two.

Data: isotropic Gaussian, ``make_classification``, and a 3-D manifold embedded in all features;
10% minority, balanced to 1:1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_smote import fmt_s, header, imbalanced, peak_mib, print_table, timed

from smotekit import SMOTE, BorderlineSMOTE
from smotekit.engine import run_in_memory
from smotekit.over_sampling._rules import rule_for


def classification(n_minority: int, d: int, seed: int = 0):
    from sklearn.datasets import make_classification

    n = 11 * n_minority
    return make_classification(
        n_samples=n, n_features=d, n_informative=max(2, d // 2), weights=[10 / 11],
        class_sep=0.8, random_state=seed,
    )  # fmt: skip


def manifold(n_minority: int, d: int, seed: int = 0):
    """Rows on a smooth 3-D surface embedded in ``d`` features; the minority is a region."""
    rng = np.random.default_rng(seed)
    n = 11 * n_minority
    t = rng.uniform(-1, 1, size=(n, 3))
    mix = rng.normal(size=(3, d))
    X = np.sin(2 * t @ mix) + 0.1 * (t @ mix)
    y = (t[:, 0] > np.quantile(t[:, 0], 10 / 11)).astype(np.int64)
    return X, y


DATA: dict[str, Callable[[int, int], Any]] = {
    "gaussian": imbalanced,
    "classification": classification,
    "manifold": manifold,
}


def engine_backed(cls: type) -> type:
    """``cls`` with its planning and assembly replaced by the engine's memory executor."""

    class Engine(cls):  # type: ignore[misc, valid-type]
        def _fit_resample(self, X: Any, y: Any, **params: Any) -> Any:
            self._validate_estimator()
            rule = rule_for(self)
            X_res, y_res, plans = run_in_memory(
                rule, X, y, self.sampling_strategy_, self.random_state
            )
            self._keep_provenance(plans)
            return X_res, y_res

    return Engine


def three_way(fns: list[Callable[[], Any]], reps: int) -> list[float]:
    times: list[list[float]] = [[] for _ in fns]
    for r in range(reps):
        order = list(range(len(fns)))
        order = order[r % len(order) :] + order[: r % len(order)]
        for i in order:
            times[i].append(timed(fns[i]))
    return [statistics.median(t) for t in times]


def measure(X: Any, y: Any, ours: type, theirs: type, params: dict, reps: int) -> list[float]:
    """Median seconds of today's sampler, the engine-backed one and imbalanced-learn's; peaks."""
    today = ours(random_state=0, **params)
    engine = engine_backed(ours)(random_state=0, **params)
    reference = theirs(random_state=0, **params)
    np.testing.assert_array_equal(today.fit_resample(X, y)[0], engine.fit_resample(X, y)[0])
    runs = [lambda s=s: s.fit_resample(X, y) for s in (today, engine, reference)]
    return [*three_way(runs, reps), peak_mib(runs[0]), peak_mib(runs[1])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minority", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args(argv)
    from imblearn.over_sampling import SMOTE as ImbSMOTE
    from imblearn.over_sampling import BorderlineSMOTE as ImbBorderlineSMOTE

    header()
    samplers = [
        ("SMOTE", SMOTE, ImbSMOTE, {}),
        ("Borderline-1", BorderlineSMOTE, ImbBorderlineSMOTE, {}),
        ("Borderline-2", BorderlineSMOTE, ImbBorderlineSMOTE, {"kind": "borderline-2"}),
    ]
    rows = []
    ratios = []
    for data_name, make in DATA.items():
        for n_min in args.minority:
            X, y = make(n_min, args.features)
            for name, ours, theirs, params in samplers:
                t_today, t_engine, t_imb, m_today, m_engine = measure(
                    X, y, ours, theirs, params, args.reps
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
                        fmt_s(t_imb),
                        f"{t_imb / t_engine:.1f}x",
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
    raise SystemExit(main())

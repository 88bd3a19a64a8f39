"""The samplers on the engine against the same samplers before it, and imbalanced-learn.

Since migration step 4 every sampler with a rule runs on the engine's memory executor, so
"today's path" is an earlier version of the library: ``--baseline`` names its ``src`` folder
(for example ``git worktree add /tmp/before <commit>`` then ``--baseline /tmp/before/src``).
Each row times one ``fit_resample`` in a fresh interpreter per (library, repetition): the
baseline, this version (the engine) and imbalanced-learn, interleaved (the order rotates per
repetition), each after an untimed warm-up call on the same data, and prints medians and ratios.
The engine must not be slower than the baseline: its ratio should be 1.0 within the noise.
The baseline's and the engine's outputs are compared (they must be identical) and their peak
memory (tracemalloc, one more untimed call) printed.

Data: isotropic Gaussian, ``make_classification``, and a 3-D manifold embedded in all features;
10% minority, balanced to 1:1. For SMOTE-NC two of the columns are cut into 4 and 3 categories.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_smote import fmt_s, header, imbalanced, peak_mib, print_table, timed

HERE = Path(__file__).resolve()


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
# name: (class name in smotekit and in imblearn.over_sampling, parameters)
SAMPLERS: dict[str, tuple[str, dict[str, Any]]] = {
    "SMOTE": ("SMOTE", {}),
    "Borderline-1": ("BorderlineSMOTE", {}),
    "Borderline-2": ("BorderlineSMOTE", {"kind": "borderline-2"}),
    "ADASYN": ("ADASYN", {}),
    "SMOTE-NC": ("SMOTENC", {"categorical_features": [1, 3]}),
}


def make_data(data: str, n_minority: int, d: int, categorical: bool) -> tuple[Any, Any]:
    X, y = DATA[data](n_minority, d)
    X = np.ascontiguousarray(X, dtype=np.float64)
    if categorical:
        X[:, 1] = np.digitize(X[:, 1], np.quantile(X[:, 1], [0.25, 0.5, 0.75]))
        X[:, 3] = np.digitize(X[:, 3], np.quantile(X[:, 3], [1 / 3, 2 / 3]))
    return X, y


def child(library: str, sampler: str, data: str, n_minority: int, d: int, peak: bool) -> None:
    """One timed ``fit_resample`` after a warm-up, in this interpreter; prints a JSON line."""
    X, y = make_data(data, n_minority, d, categorical=sampler == "SMOTE-NC")
    cls_name, params = SAMPLERS[sampler]
    if library == "imblearn":
        from imblearn import over_sampling as module
    else:
        import smotekit as module  # the baseline's or this version's, by sys.path
    make = lambda: getattr(module, cls_name)(random_state=0, **params)  # noqa: E731
    X_res = make().fit_resample(X, y)[0]
    result: dict[str, Any] = {"s": timed(lambda: make().fit_resample(X, y))}
    if library != "imblearn":
        result["digest"] = hashlib.sha256(np.ascontiguousarray(X_res).tobytes()).hexdigest()
        if peak:
            result["mib"] = peak_mib(lambda: make().fit_resample(X, y))
    print(json.dumps(result))


def run_child(library: str, src: str | None, row: tuple[str, str, int, int], peak: bool) -> dict:
    sampler, data, n_minority, d = row
    env = dict(os.environ)
    if src is not None:  # the baseline's package first on the path
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    command = [sys.executable, str(HERE), "--child", library, sampler, data, str(n_minority)]
    command += [str(d), *(["--peak"] if peak else [])]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(row: tuple[str, str, int, int], baseline: str, reps: int) -> list[Any]:
    """Median seconds of the baseline, the engine and imbalanced-learn; both peaks."""
    runs = [("smotekit", baseline), ("smotekit", None), ("imblearn", None)]
    times: list[list[float]] = [[] for _ in runs]
    first: list[dict] = [{} for _ in runs]
    for r in range(reps):
        for i in [(j + r) % len(runs) for j in range(len(runs))]:
            result = run_child(*runs[i], row, peak=r == 0 and i < 2)
            times[i].append(result["s"])
            first[i] = first[i] or result
    if first[0]["digest"] != first[1]["digest"]:
        raise AssertionError(f"{row}: the engine's output differs from the baseline's")
    return [*(statistics.median(t) for t in times), first[0]["mib"], first[1]["mib"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="src folder of the version to compare with")
    parser.add_argument("--minority", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--data", nargs="+", default=list(DATA), choices=list(DATA))
    parser.add_argument("--samplers", nargs="+", default=list(SAMPLERS), choices=list(SAMPLERS))
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--peak", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        library, sampler, data, n_minority, d = args.child
        child(library, sampler, data, int(n_minority), int(d), args.peak)
        return 0
    if args.baseline is None:
        parser.error("--baseline: give the src folder of the version to compare with")
    header()
    rows, ratios = [], []
    for data in args.data:
        for n_min in args.minority:
            for name in args.samplers:
                t_today, t_engine, t_imb, m_today, m_engine = measure(
                    (name, data, n_min, args.features), args.baseline, args.reps
                )
                ratios.append(t_engine / t_today)
                rows.append(
                    [
                        data,
                        f"{n_min:,} x {args.features}",
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

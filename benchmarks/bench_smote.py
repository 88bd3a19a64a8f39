"""smotekit against imbalanced-learn: end-to-end time, peak memory and distance to the limit.

``make bench`` runs this script; ``--quick`` runs a smaller grid. Every comparison runs both
libraries in the same process, interleaved (the order alternates per repetition), and reports the
median of ``--reps`` runs (at least 3). Peak memory is the tracemalloc peak of one extra, untimed
run of each (NumPy reports its buffers to tracemalloc; the input arrays are allocated before).

Sections:

1. ``import smotekit`` time (fresh interpreter, median of 5).
2. Small data: the tutorial's 50 minority points against 5,000 majority points.
3. The grid, on each kind of data of ``datakinds.py`` (isotropic Gaussian, ``make_classification``,
   a 3-D manifold embedded in d features): minority {10k, 100k} x features {2, 10, 100},
   majority 10x the minority, balanced to 1:1. Besides both times, their ratio and both peaks,
   two "distance to the limit" figures: smotekit's neighbour stage (and the method its probe
   chose) against the fastest single library call on the same rows (SciPy's cKDTree on every
   core, faiss's exact flat index, scikit-learn's NearestNeighbors), with imbalanced-learn's own
   search (scikit-learn's ``NearestNeighbors``, single-threaded, as it calls it) on the same
   scale; and smotekit's generation stage (output allocated, input copied, synthetic rows
   interpolated) against a plain copy of an array the size of the output. The median speed-up
   over the grid closes the section.
4. The family (each variant that exists in ``smotekit.over_sampling``) at 100k x 10 on
   ``make_classification`` rows (``--family-kind`` for another kind).
5. Approximate mode (``ApproximateNeighbors``, ``--approx-methods``) at 1M minority rows x 20
   features on each kind of data, against imbalanced-learn measured at 25k, 50k and 100k and
   extrapolated with the growth exponent fitted to those three times.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

# OpenBLAS kernels forced for old processors slow a current NumPy down: benchmark without them.
_FORCED_BLAS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(v in os.environ for v in _FORCED_BLAS) and "--keep-blas-env" not in sys.argv:
    env = {k: v for k, v in os.environ.items() if k not in _FORCED_BLAS}
    os.execve(sys.executable, [sys.executable, *sys.argv, "--keep-blas-env"], env)

# faiss's OpenMP threads spin after each call by default and then starve the BLAS and kd-tree
# threads that run next on a 2-core machine; a passive wait keeps the stages independent.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

MiB = 2**20


# -- measuring ---------------------------------------------------------------------------------
def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def peak_mib(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MiB


def interleaved(a: Callable[[], Any], b: Callable[[], Any], reps: int) -> tuple[float, float]:
    """Median seconds of ``a`` and ``b``, run alternately (a, b, b, a, a, b, ...)."""
    ta, tb = [], []
    for r in range(reps):
        if r % 2 == 0:
            ta.append(timed(a))
            tb.append(timed(b))
        else:
            tb.append(timed(b))
            ta.append(timed(a))
    return statistics.median(ta), statistics.median(tb)


def median_time(fn: Callable[[], Any], reps: int) -> float:
    return statistics.median(timed(fn) for _ in range(reps))


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("| " + " | ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


# -- data --------------------------------------------------------------------------------------
def imbalanced(n_minority: int, d: int, ratio: int = 10, seed: int = 0, kind: str = "gaussian"):
    """``ratio`` majority rows per minority row of one kind of data (``datakinds.py``)."""
    from datakinds import make_data

    return make_data(kind, n_minority, d, ratio=ratio, seed=seed)


def tutorial_data():
    """The seed notebook's training set: 5,000 majority and 50 minority 2-D points."""
    np.random.seed(1)
    x1 = np.random.multivariate_normal([3, 2], np.eye(2), 5000)
    x2 = np.random.multivariate_normal([0, 3], 0.2 * np.eye(2), 50)
    return np.vstack([x1, x2]), np.r_[np.zeros(5000, dtype=int), np.ones(50, dtype=int)]


# -- sections ----------------------------------------------------------------------------------
def import_time() -> None:
    code = "import time; t = time.perf_counter(); import smotekit; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(5)
    ]
    print(f"`import smotekit`: {statistics.median(runs):.3f} s (median of 5, fresh interpreter)\n")


def small_data(reps: int) -> None:
    from imblearn.over_sampling import SMOTE as ImbSMOTE

    from smotekit import SMOTE

    X, y = tutorial_data()
    ours, theirs = interleaved(
        lambda: SMOTE(random_state=0).fit_resample(X, y),
        lambda: ImbSMOTE(random_state=0).fit_resample(X, y),
        max(reps, 21),
    )
    print("Small data (tutorial: 5,000 + 50 rows, 2 features), median of 21:")
    print_table(
        ["smotekit s", "imblearn s", "speed-up"],
        [[f"{ours:.4f}", f"{theirs:.4f}", f"{theirs / ours:.2f}x"]],
    )
    print()


def library_calls(X_min: np.ndarray, k: int, reps: int) -> tuple[float, str]:
    """Fastest single library call giving every row its ``k`` nearest rows (self included)."""
    from scipy.spatial import cKDTree
    from sklearn.neighbors import NearestNeighbors

    calls: dict[str, Callable[[], Any]] = {
        "cKDTree": lambda: cKDTree(X_min).query(X_min, k=k, workers=-1),
    }
    try:
        import faiss

        def flat() -> None:
            x32 = np.ascontiguousarray(X_min, dtype=np.float32)
            index = faiss.IndexFlatL2(x32.shape[1])
            index.add(x32)
            index.search(x32, k)

        calls["faiss flat"] = flat
    except ImportError:
        pass
    n, d = X_min.shape
    # scikit-learn's own choice (kd-tree for <= 15 features, else brute); its brute force at
    # 100k x 100 costs minutes and is never the fastest, so it is left out there.
    if d <= 15 or n <= 20_000:
        calls["sklearn"] = lambda: (
            NearestNeighbors(n_neighbors=k, n_jobs=-1).fit(X_min).kneighbors(X_min)
        )
    if d > 15:
        calls.pop("cKDTree")  # minutes per call on many features, never the fastest
    times = {name: median_time(fn, reps) for name, fn in calls.items()}
    best = min(times, key=times.__getitem__)
    return times[best], best


def grid_point(kind: str, n_min: int, d: int, reps: int) -> list[str]:
    """One grid row."""
    from imblearn.over_sampling import SMOTE as ImbSMOTE
    from sklearn.neighbors import NearestNeighbors

    from smotekit import SMOTE, ExactNeighbors
    from smotekit._kernels import SyntheticPlan, interpolate

    X, y = imbalanced(n_min, d, kind=kind)
    ours = SMOTE(random_state=0)
    ref = ImbSMOTE(random_state=0)
    X_ours, _ = ours.fit_resample(X, y)
    X_ref, _ = ref.fit_resample(X, y)
    same = X_ours.shape == X_ref.shape and bool(np.allclose(X_ours, X_ref, rtol=1e-12, atol=0))
    prov = ours.provenance_
    del X_ours, X_ref
    mem_ours = peak_mib(lambda: ours.fit_resample(X, y))
    mem_ref = peak_mib(lambda: ref.fit_resample(X, y))
    t_ours, t_ref = interleaved(
        lambda: ours.fit_resample(X, y), lambda: ref.fit_resample(X, y), reps
    )
    # Distance to the limit, on the same minority rows (single runs at 100k).
    lib_reps = reps if n_min <= 10_000 else 1
    X_min = X[y == 1]
    t_nbr = median_time(
        lambda: ExactNeighbors(n_neighbors=6).fit(X_min).kneighbors(X_min), lib_reps
    )
    chosen = ExactNeighbors(n_neighbors=6).fit(X_min).method_
    t_lib, lib_name = library_calls(X_min, 6, lib_reps)
    t_imb_nbr = timed(lambda: NearestNeighbors(n_neighbors=6).fit(X_min).kneighbors(X_min))
    plan = SyntheticPlan(
        prov["base"].astype(np.intp), prov["neighbor"].astype(np.intp), prov["gap"]
    )
    total = X.shape[0] + len(plan)

    def generate() -> None:
        out = np.empty((total, d), dtype=X.dtype)
        out[: X.shape[0]] = X
        interpolate(X, plan, out[X.shape[0] :])

    reference = np.ones((total, d))
    t_gen, t_copy = interleaved(generate, reference.copy, reps)
    del reference
    return [
        kind,
        f"{n_min:,}",
        str(d),
        fmt_s(t_ours),
        fmt_s(t_ref),
        f"{t_ref / t_ours:.1f}x",
        f"{mem_ours:.0f}",
        f"{mem_ref:.0f}",
        f"{mem_ours / mem_ref:.2f}",
        "yes" if same else "NO",
        chosen,
        fmt_s(t_nbr),
        f"{fmt_s(t_lib)} {lib_name}",
        f"{t_nbr / t_lib:.2f}",
        f"{t_imb_nbr / t_lib:.1f}",
        fmt_s(t_gen),
        fmt_s(t_copy),
        f"{t_gen / t_copy:.2f}",
    ]


def grid(kinds: list[str], minorities: list[int], features: list[int], reps: int) -> None:
    headers = [
        "data",
        "minority",
        "d",
        "smotekit s",
        "imblearn s",
        "speed-up",
        "peak MiB sk",
        "peak MiB imb",
        "mem ratio",
        "same",
        "chosen",
        "nbr s",
        "best lib s",
        "nbr/lib",
        "imb nbr/lib",
        "gen s",
        "copy s",
        "gen/copy",
    ]
    rows = []
    for kind in kinds:
        for n_min in minorities:
            for d in features:
                rows.append(grid_point(kind, n_min, d, reps))
                print(f"  done: {' | '.join(rows[-1])}", file=sys.stderr, flush=True)
    print(
        f"Grid: majority 10x minority, balanced 1:1, SMOTE(k_neighbors=5), median of {reps} "
        "(neighbour and library calls: single runs at 100k); speed-up = imblearn / smotekit; "
        "same = identical output (rtol 1e-12); chosen = the exact method smotekit's probe "
        "picked; imb nbr/lib = imbalanced-learn's own search (NearestNeighbors) against the "
        "fastest library call:"
    )
    print_table(headers, rows)
    speedups = [float(r[headers.index("speed-up")].rstrip("x")) for r in rows]
    print(
        f"\nMedian speed-up over the grid: {statistics.median(speedups):.1f}x; smallest "
        f"{min(speedups):.1f}x; load average now {os.getloadavg()[0]:.1f}\n"
    )


def family_row(name: str, params: dict[str, Any], data: np.ndarray, y: np.ndarray, reps: int):
    """One family row: the smotekit variant against imbalanced-learn's class of the same name."""
    import imblearn.over_sampling as imb

    import smotekit.over_sampling as sk

    ours = getattr(sk, name)(random_state=0, **params)
    ref = getattr(imb, name)(random_state=0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X_ours, _ = ours.fit_resample(data, y)
        X_ref, _ = ref.fit_resample(data, y)
        same = X_ours.shape == X_ref.shape and bool(np.allclose(X_ours, X_ref, rtol=1e-12, atol=0))
        del X_ours, X_ref
        mem_ours = peak_mib(lambda: ours.fit_resample(data, y))
        mem_ref = peak_mib(lambda: ref.fit_resample(data, y))
        t_ours, t_ref = interleaved(
            lambda: ours.fit_resample(data, y), lambda: ref.fit_resample(data, y), reps
        )
    return [
        name,
        fmt_s(t_ours),
        fmt_s(t_ref),
        f"{t_ref / t_ours:.1f}x",
        f"{mem_ours:.0f}",
        f"{mem_ref:.0f}",
        f"{mem_ours / mem_ref:.2f}",
        "yes" if same else "NO",
    ]


def family(n_min: int, d: int, reps: int, kind: str) -> None:
    from sklearn.svm import SVC

    import smotekit.over_sampling as sk

    X, y = imbalanced(n_min, d, kind=kind)
    X_nc = X.copy()
    # SMOTENC: two categorical columns (8 and 3 levels) out of d.
    rng = np.random.default_rng(1)
    X_nc[:, 0] = rng.integers(0, 8, size=X.shape[0])
    X_nc[:, 1] = rng.integers(0, 3, size=X.shape[0])
    # An exact SVC on 1.1M rows takes hours in either library; both get the same capped SVC, so
    # the row measures SVMSMOTE's own work (its neighbour searches and generation).
    svc = SVC(gamma="scale", max_iter=2000, random_state=0)
    variants: list[tuple[str, dict[str, Any], np.ndarray]] = [
        ("BorderlineSMOTE", {}, X),
        ("SVMSMOTE", {"svm_estimator": svc}, X),
        ("ADASYN", {}, X),
        ("SMOTENC", {"categorical_features": [0, 1]}, X_nc),
        ("KMeansSMOTE", {"cluster_balance_threshold": 0.1}, X),
    ]
    rows = []
    for name, params, data in variants:
        if not hasattr(sk, name):
            print(f"  note: smotekit.over_sampling.{name} does not exist yet; row skipped")
            continue
        try:
            rows.append(family_row(name, params, data, y, reps))
        except Exception as exc:  # a variant still being written must not stop the bench
            print(f"  note: {name} failed: {type(exc).__name__}: {exc}")
            continue
        print(f"  done: {name}", file=sys.stderr, flush=True)
    print(
        f"Family at {n_min:,} minority x {d} features of {kind} data (majority 10x, balanced), "
        f"median of {reps}; SVMSMOTE with SVC(max_iter=2000) in both:"
    )
    if rows:
        print_table(
            [
                "sampler",
                "smotekit s",
                "imblearn s",
                "speed-up",
                "peak MiB sk",
                "peak MiB imb",
                "mem ratio",
                "same",
            ],
            rows,
        )
    print()


def growth_exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(time) on log(size): the time grows as size ** exponent."""
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def approximate(n_big: int, n_ref: int, d: int, kinds: list[str], methods: list[str]) -> None:
    from imblearn.over_sampling import SMOTE as ImbSMOTE

    from smotekit import SMOTE
    from smotekit.neighbors import ApproximateNeighbors

    ref_sizes = [n_ref // 4, n_ref // 2, n_ref]
    rows = []
    for kind in kinds:
        # imbalanced-learn at three sizes, smotekit's runs between them (same machine state);
        # the growth exponent is fitted to the three times, not assumed (scikit-learn's "auto"
        # picks brute force above 15 features, ~n^2).
        times = []
        ours = {}
        for i, n in enumerate(ref_sizes):
            X, y = imbalanced(n, d, ratio=2, kind=kind)
            times.append(timed(lambda: ImbSMOTE(random_state=0).fit_resample(X, y)))  # noqa: B023
            del X, y
            if i == 1:
                # Majority 2x the minority here (10x would be 10M rows): the neighbour search,
                # which is what this row is about, only ever sees the minority.
                X, y = imbalanced(n_big, d, ratio=2, kind=kind)
                for method in methods:
                    nn = ApproximateNeighbors(n_neighbors=6, method=method, random_state=0)
                    sampler = SMOTE(k_neighbors=nn, random_state=0)
                    ours[method] = (timed(lambda: sampler.fit_resample(X, y)), sampler.nn_k_)  # noqa: B023
                del X, y
        exponent = growth_exponent(ref_sizes, times)
        t_est = times[-1] * (n_big / n_ref) ** exponent
        for method, (t_approx, fitted) in ours.items():
            knob = (
                f"ef_search {fitted.ef_search_}"
                if fitted.method_ == "hnsw"
                else f"degree {fitted.graph_degree_}"
            )
            rows.append(
                [
                    kind,
                    method,
                    f"{fitted.method_} ({knob})",
                    fmt_s(t_approx),
                    f"{fitted.recall_:.3f}",
                    " / ".join(fmt_s(t) for t in times),
                    f"{exponent:.2f}",
                    fmt_s(t_est),
                    f"{t_est / t_approx:.1f}x",
                ]
            )
    sizes = ", ".join(f"{n:,}" for n in ref_sizes)
    print(
        f"Approximate mode: {n_big:,} minority x {d} features (majority 2x, balanced), single runs;"
        f" imblearn measured at {sizes} minority rows (smotekit's run between the 2nd and 3rd) and"
        f" ESTIMATED at {n_big:,} with the growth exponent fitted to those three times; recall_ ="
        " smotekit's own estimate (500 sampled rows against an exact search, self excluded):"
    )
    print_table(
        [
            "data",
            "method",
            "used",
            "smotekit s",
            "recall_",
            f"imblearn s at {sizes}",
            "exponent",
            "imblearn est. s",
            "speed-up",
        ],
        rows,
    )
    print()


def header() -> None:
    import imblearn
    import sklearn
    from threadpoolctl import threadpool_info

    import smotekit

    blas = [
        f"{i['internal_api']} {i.get('version')} ({i.get('architecture')}, {i['num_threads']} thr)"
        for i in threadpool_info()
        if i["user_api"] == "blas" and "numpy" in i["filepath"]
    ]
    print(
        f"smotekit {smotekit.__version__}, imbalanced-learn {imblearn.__version__}, "
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__} [{', '.join(blas)}]; "
        f"{platform.machine()}, {os.cpu_count()} cores; load average at start "
        f"{os.getloadavg()[0]:.1f}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k grid, smaller family/approx")
    parser.add_argument("--reps", type=int, default=3, help="repetitions per timing (>= 3)")
    parser.add_argument(
        "--only",
        choices=["import", "small", "grid", "family", "approx"],
        action="append",
        help="run only these sections (repeatable)",
    )
    parser.add_argument("--minority", type=int, nargs="+", help="grid minority sizes to run")
    parser.add_argument("--features", type=int, nargs="+", help="grid feature counts to run")
    parser.add_argument("--family-minority", type=int, help="minority rows of the family section")
    parser.add_argument(
        "--kinds",
        nargs="+",
        choices=["gaussian", "classification", "manifold"],
        default=["gaussian", "classification", "manifold"],
        help="kinds of data of the grid and of the approximate section",
    )
    parser.add_argument("--family-kind", default="classification", help="data of the family")
    parser.add_argument(
        "--approx-methods",
        nargs="+",
        choices=["auto", "hnsw", "nndescent"],
        default=["auto"],
        help="ApproximateNeighbors methods of the approximate section",
    )
    parser.add_argument("--keep-blas-env", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    reps = max(3, args.reps)
    sections = set(args.only or ["import", "small", "grid", "family", "approx"])
    header()
    if "import" in sections:
        import_time()
    if "small" in sections:
        small_data(reps)
    if "grid" in sections:
        minorities = args.minority or ([10_000] if args.quick else [10_000, 100_000])
        grid(args.kinds, minorities, args.features or [2, 10, 100], reps)
    if "family" in sections:
        family(
            args.family_minority or (10_000 if args.quick else 100_000), 10, reps, args.family_kind
        )
    if "approx" in sections:
        if args.quick:
            approximate(100_000, 20_000, 20, args.kinds, args.approx_methods)
        else:
            # imbalanced-learn at 1M would take ~40 min per kind: measured up to 100k instead.
            approximate(1_000_000, 100_000, 20, args.kinds, args.approx_methods)
    return 0


if __name__ == "__main__":
    sys.exit(main())

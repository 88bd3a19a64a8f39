"""SMOTEENN and SMOTETomek: smotekit against imbalanced-learn, time, peak memory, same rows.

Data: ``make_classification(n, n_features=10, n_informative=6, n_classes=3, weights=[0.05,
0.10, 0.85], random_state=0)``: the configuration of issue 12 at 100,000 rows and of
imbalanced-learn #817 at 1,000,000 rows. SMOTE grows both smaller classes to the majority's
size, so the cleaners search ~2.5 rows per input row.

Two tables:

1. ``--rows`` (default 100,000): both libraries in the same process, interleaved (the order
   alternates per repetition), median of ``--reps``; peak memory is the tracemalloc peak of one
   extra, untimed run of each (as in bench_smote.py); "same" = identical rows and labels.
2. ``--big`` (default 1,000,000, #817): smotekit run for real; imbalanced-learn, which takes
   hours there, measured once at each of ``--ref-rows`` and extrapolated with the growth
   exponent fitted to those times (printed, with the estimate marked as such); its peak memory
   extrapolated linearly in the rows.

Each smotekit row runs twice: with the exact search's ``"auto"`` choice, and with the kd-tree
forced on every search (SMOTE's and the cleaners'), which is the choice a data-aware "auto"
makes on these clustered rows. ``--method`` selects one of them.

Run ``--quick`` for a smoke run (10,000 rows; 40,000 with imbalanced-learn at 5,000-20,000).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from bench_smote import fmt_s, growth_exponent, header, interleaved, peak_mib, print_table

SAMPLERS = ("SMOTEENN", "SMOTETomek")
# Module-level names through which smotekit's samplers build their exact search.
SEARCH_SITES = (
    "smotekit.over_sampling._base",
    "smotekit.under_sampling._sklearn_order",
)


def issue_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import make_classification

    return make_classification(
        n,
        n_features=10,
        n_informative=6,
        n_classes=3,
        weights=[0.05, 0.10, 0.85],
        random_state=0,
    )


@contextlib.contextmanager
def exact_method(method: str) -> Iterator[None]:
    """Every exact search smotekit's samplers build uses ``method`` ("auto": unchanged)."""
    import importlib

    from smotekit.neighbors import ExactNeighbors

    if method == "auto":
        yield
        return
    modules = [importlib.import_module(name) for name in SEARCH_SITES]
    forced = functools.partial(ExactNeighbors, algorithm=method)
    try:
        for module in modules:
            module.ExactNeighbors = forced  # type: ignore[attr-defined]
        yield
    finally:
        for module in modules:
            module.ExactNeighbors = ExactNeighbors  # type: ignore[attr-defined]


def samplers(name: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    import imblearn.combine

    import smotekit

    return (
        lambda: getattr(smotekit, name)(random_state=0),
        lambda: getattr(imblearn.combine, name)(random_state=0),
    )


def same_output(ours: tuple[Any, Any], theirs: tuple[Any, Any]) -> bool:
    return (
        ours[0].shape == theirs[0].shape
        and bool(np.array_equal(ours[0], theirs[0]))
        and bool(np.array_equal(ours[1], theirs[1]))
    )


def measured_table(n: int, methods: list[str], reps: int) -> None:
    X, y = issue_data(n)
    rows = []
    for name in SAMPLERS:
        make_ours, make_theirs = samplers(name)
        theirs = make_theirs().fit_resample(X, y)
        mem_theirs = peak_mib(lambda: make_theirs().fit_resample(X, y))  # noqa: B023
        for method in methods:
            with exact_method(method):
                ours = make_ours().fit_resample(X, y)
                same = same_output(ours, theirs)
                mem_ours = peak_mib(lambda: make_ours().fit_resample(X, y))  # noqa: B023
                t_ours, t_theirs = interleaved(
                    lambda: make_ours().fit_resample(X, y),  # noqa: B023
                    lambda: make_theirs().fit_resample(X, y),  # noqa: B023
                    reps,
                )
            rows.append(
                [
                    name,
                    method,
                    f"{len(ours[1]):,}",
                    fmt_s(t_ours),
                    fmt_s(t_theirs),
                    f"{t_theirs / t_ours:.1f}x",
                    f"{mem_ours:.0f}",
                    f"{mem_theirs:.0f}",
                    f"{mem_ours / mem_theirs:.2f}",
                    "yes" if same else "NO",
                ]
            )
            print(f"  done: {' | '.join(rows[-1])}", file=sys.stderr, flush=True)
            del ours
        del theirs
    print(
        f"make_classification({n:,} x 10, 3 classes 5/10/85%), median of {reps}, interleaved; "
        "speed-up = imblearn / smotekit; peak = tracemalloc peak of one run; same = identical "
        "rows and labels:"
    )
    print_table(
        [
            "sampler",
            "search",
            "rows out",
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


def run_once(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds of one call, and what it returned."""
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def extrapolated_table(
    big: int, ref_rows: list[int], methods: list[str], estimated: set[str]
) -> None:
    rows = []
    sizes = ", ".join(f"{n:,}" for n in ref_rows)
    for name in SAMPLERS:
        make_ours, make_theirs = samplers(name)
        ref_times: list[float] = []
        ref_ours: dict[str, list[float]] = {m: [] for m in methods}
        ref_same: dict[str, bool] = dict.fromkeys(methods, True)
        for n in ref_rows:
            X, y = issue_data(n)
            t_theirs, theirs = run_once(lambda: make_theirs().fit_resample(X, y))  # noqa: B023
            ref_times.append(t_theirs)
            for method in methods:
                with exact_method(method):
                    t_ours, ours = run_once(lambda: make_ours().fit_resample(X, y))  # noqa: B023
                ref_ours[method].append(t_ours)
                ref_same[method] &= same_output(ours, theirs)
                del ours
            del theirs
            print(f"  {name} at {n:,}: imblearn {t_theirs:.1f} s", file=sys.stderr, flush=True)
        ref_peak = peak_mib(lambda: make_theirs().fit_resample(X, y))  # noqa: B023
        exponent = growth_exponent(ref_rows, ref_times)
        t_est = ref_times[-1] * (big / ref_rows[-1]) ** exponent
        mem_est = ref_peak * big / ref_rows[-1]
        X, y = issue_data(big)
        for method in methods:
            if method in estimated:
                own_exponent = growth_exponent(ref_rows, ref_ours[method])
                t_ours = ref_ours[method][-1] * (big / ref_rows[-1]) ** own_exponent
                shown, out_rows, mem = f"{fmt_s(t_ours)} (est. {own_exponent:.2f})", "-", "-"
                mem_ratio = "-"
            else:
                with exact_method(method):
                    t_ours, out = run_once(lambda: make_ours().fit_resample(X, y))  # noqa: B023
                    out_rows = f"{len(out[1]):,}"
                    del out
                    mem_ours = peak_mib(lambda: make_ours().fit_resample(X, y))  # noqa: B023
                shown, mem = fmt_s(t_ours), f"{mem_ours:.0f}"
                mem_ratio = f"{mem_ours / mem_est:.2f}"
            ratios = [t / o for t, o in zip(ref_times, ref_ours[method], strict=True)]
            rows.append(
                [
                    name,
                    method,
                    out_rows,
                    shown,
                    f"{fmt_s(t_est)} (est.)",
                    f"{exponent:.2f}",
                    f"{t_est / t_ours:.1f}x",
                    " / ".join(f"{r:.1f}x" for r in ratios),
                    "yes" if ref_same[method] else "NO",
                    mem,
                    f"{mem_est:.0f} (est.)",
                    mem_ratio,
                ]
            )
            print(f"  done: {' | '.join(rows[-1])}", file=sys.stderr, flush=True)
    print(
        f"imbalanced-learn #817: make_classification({big:,} x 10, 3 classes 5/10/85%), single "
        f"runs. imbalanced-learn measured once at {sizes} rows and ESTIMATED at {big:,} with the "
        "growth exponent fitted to those times (column 'exponent'; its peak memory scaled "
        f"linearly); smotekit run at {big:,} (where marked est., extrapolated the same way from "
        "its own times, exponent in brackets). Measured speed-ups and identity at the smaller "
        "sizes are listed too:"
    )
    print_table(
        [
            "sampler",
            "search",
            "rows out",
            "smotekit s",
            "imblearn s",
            "exponent",
            "speed-up",
            f"speed-up at {sizes}",
            "same there",
            "peak MiB sk",
            "peak MiB imb",
            "mem ratio",
        ],
        rows,
    )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the measured table")
    parser.add_argument("--big", type=int, default=1_000_000, help="rows of the #817 table")
    parser.add_argument(
        "--ref-rows",
        type=int,
        nargs="+",
        default=[50_000, 100_000, 200_000],
        help="sizes at which imbalanced-learn is measured for the #817 estimate",
    )
    parser.add_argument("--reps", type=int, default=3, help="repetitions per timing (>= 3)")
    parser.add_argument(
        "--method", choices=["auto", "kd_tree", "brute"], action="append", help="exact search"
    )
    parser.add_argument(
        "--only", choices=["measured", "big"], action="append", help="run only these tables"
    )
    parser.add_argument(
        "--estimate",
        choices=["auto", "kd_tree", "brute"],
        action="append",
        default=[],
        help="search methods whose smotekit time at --big is extrapolated, not run",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--keep-blas-env", action="store_true", help="(set by bench_smote)")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.big, args.ref_rows = 10_000, 40_000, [5_000, 10_000, 20_000]
    methods = args.method or ["auto", "kd_tree"]
    sections = set(args.only or ["measured", "big"])
    header()
    if "measured" in sections:
        measured_table(args.rows, methods, max(3, args.reps))
    if "big" in sections:
        extrapolated_table(args.big, sorted(args.ref_rows), methods, set(args.estimate))
    return 0


if __name__ == "__main__":
    sys.exit(main())

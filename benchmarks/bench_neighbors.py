"""Crossovers of the exact neighbour methods: where the kd-tree stops paying off.

Times one self-query (every row's 6 nearest rows, the search SMOTE runs with k_neighbors=5) per
method on each kind of data in ``--kinds`` (``datakinds.py``: isotropic Gaussian,
``make_classification``, a 3-D manifold embedded in d features), for d in ``--features``
(default 2, 5, 10, 20, 50, 100) and n in ``--sizes`` (default 10k, 100k):

* ``kd_tree``: smotekit's ExactNeighbors(algorithm="kd_tree") (SciPy cKDTree on every core, plus
  the exact re-rank);
* ``brute``: smotekit's ExactNeighbors(algorithm="brute") (blocked BLAS, every core, re-rank);
* ``faiss flat``: faiss IndexFlatL2 (float32, exact scan; optional extra "approx");
* ``sklearn``: NearestNeighbors(n_jobs=-1) with its own automatic choice.

A method whose time at 10k predicts more than ``--budget`` seconds at 100k (kd-tree and
scikit-learn: n log n to n^2 on many features; brute: n^2) is skipped there and printed as "-".
Median of ``--reps`` runs; the "chosen" column is the method ``ExactNeighbors(algorithm="auto")``
picks on those rows (its probe), so a disagreement with "fastest" shows at once. The shape
model's tables (``KD_TREE_SECONDS``, ``BRUTE_SECONDS`` in ``smotekit/neighbors/_choice.py``) were
measured on Gaussian rows with
``--kinds gaussian --sizes 10000 40000 100000 --features 2 3 4 5 6 7 8 10 --reps 1 --budget 100``.
``python benchmarks/bench_neighbors.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

K = 6


def methods() -> dict[str, Callable[[np.ndarray], Any]]:
    from sklearn.neighbors import NearestNeighbors

    from smotekit.neighbors import ExactNeighbors

    out: dict[str, Callable[[np.ndarray], Any]] = {
        "kd_tree": lambda X: ExactNeighbors(K, algorithm="kd_tree").fit(X).kneighbors(X),
        "brute": lambda X: ExactNeighbors(K, algorithm="brute").fit(X).kneighbors(X),
    }
    try:
        import faiss

        def flat(X: np.ndarray) -> Any:
            x32 = np.ascontiguousarray(X, dtype=np.float32)
            index = faiss.IndexFlatL2(x32.shape[1])
            index.add(x32)
            return index.search(x32, K)

        out["faiss flat"] = flat
    except ImportError:
        pass
    out["sklearn"] = lambda X: NearestNeighbors(n_neighbors=K, n_jobs=-1).fit(X).kneighbors(X)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--features", type=int, nargs="+", default=[2, 5, 10, 20, 50, 100])
    parser.add_argument("--kinds", nargs="+", default=["gaussian", "classification", "manifold"])
    args = parser.parse_args(argv)
    from datakinds import make_data

    from smotekit.neighbors import ExactNeighbors

    table = methods()
    rows = []
    for kind, d in [(kind, d) for kind in args.kinds for d in args.features]:
        small: dict[str, float] = {}
        for n in args.sizes:
            X, y = make_data(kind, n, d, ratio=1)
            X = X[y == 1]
            cells = []
            for name, fn in table.items():
                if name in small:
                    growth = (n / args.sizes[0]) ** 2
                    if small[name] * growth > args.budget:
                        cells.append("-")
                        continue
                times = []
                for _ in range(args.reps):
                    start = time.perf_counter()
                    fn(X)
                    times.append(time.perf_counter() - start)
                t = statistics.median(times)
                small.setdefault(name, t)
                cells.append(f"{t:.3f}")
            numeric = {k: float(c) for k, c in zip(table, cells, strict=True) if c != "-"}
            fastest = min(numeric, key=numeric.__getitem__)
            chosen = ExactNeighbors(K).fit(X).method_
            rows.append([kind, f"{n:,}", str(d), *cells, fastest, chosen])
            print(f"  done: {kind} {n:,} x {d}", file=sys.stderr, flush=True)
    headers = ["data", "n", "d", *(f"{m} s" for m in table), "fastest", "chosen"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("| " + " | ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

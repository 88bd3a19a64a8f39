"""Benchmark `smotekit resample --clean` against imbalanced-learn's SMOTEENN and SMOTETomek.

Makes, once per ``--rows``, a CSV of ``--features`` numeric columns with a ``--minority``
fraction of class 1 (the data of ``bench_cli.py``), then runs, each in its own process so that
its peak memory is its own, ``--reps`` times in alternating order:

* ``smotekit resample`` with SMOTE's defaults, without cleaning and with ``--clean enn`` and
  ``--clean tomek`` (streaming from the file);
* on files below ``--imblearn-below`` rows, imbalanced-learn's ``SMOTEENN`` and ``SMOTETomek``
  in memory on the same file read with pyarrow, their output written with pyarrow.

It prints the medians of wall time and peak resident memory (RSS, GNU time's), the speed-up of
each cleaning run (imbalanced-learn's time with the same cleaner / smotekit's), and the ratio
of peak RSS between the largest and the smallest file. A script, not a test:
``python benchmarks/bench_clean.py [--rows 100000 1000000] [--reps 1]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_cli import load, measure

IMBLEARN = """
import sys
import numpy as np
import pyarrow as pa
import pyarrow.csv as csv
from imblearn import combine
table = csv.read_csv(sys.argv[2])
X = np.column_stack([table.column(n).to_numpy() for n in table.column_names[:-1]])
y = table.column("label").to_numpy()
X_res, y_res = getattr(combine, sys.argv[1])(random_state=0).fit_resample(X, y)
columns = [pa.array(X_res[:, j]) for j in range(X_res.shape[1])] + [pa.array(y_res)]
csv.write_csv(pa.table(columns, names=table.column_names), sys.argv[3])
"""

CLEANERS = {"enn": "SMOTEENN", "tomek": "SMOTETomek"}


def runs(data: Path, out: Path, imblearn: bool) -> list[tuple[str, list[str]]]:
    """``(name, command)`` of each run on ``data``."""
    resample = [sys.executable, "-m", "smotekit", "resample", str(data), "-o", str(out)]
    resample += ["--target", "label", "--quiet", "--force"]
    chosen = [("resample", resample)]
    for clean, name in CLEANERS.items():
        chosen.append((f"resample --clean {clean}", [*resample, "--clean", clean]))
        if imblearn:
            chosen.append((f"imblearn {name}", [sys.executable, "-c", IMBLEARN, name, str(data)]))
            chosen[-1][1].append(str(out))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--minority", type=float, default=0.01)
    parser.add_argument("--reps", type=int, default=1, help="interleaved repetitions per size")
    parser.add_argument("--imblearn-below", type=int, default=2_000_000)
    parser.add_argument("--dir", default=None, help="folder for the temporary data")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="smotekit-bench-", dir=args.dir))
    bench_cli = str(Path(__file__).parent / "bench_cli.py")
    try:
        files = {}
        for rows in args.rows:
            data = work / f"data-{rows}.csv"
            shape = [str(rows), str(args.features), str(args.minority)]
            subprocess.run([sys.executable, bench_cli, "--generate", str(data), *shape], check=True)
            files[rows] = data
        print(f"load average before: {load()}", flush=True)
        results: dict[tuple[int, str], list[tuple[float, float]]] = {}
        for rep in range(args.reps):
            for rows, data in files.items():
                chosen = runs(data, work / "out.csv", rows < args.imblearn_below)
                for name, cmd in chosen if rep % 2 == 0 else chosen[::-1]:
                    seconds, rss, code = measure(cmd)
                    if code != 0:
                        raise SystemExit(f"{name} failed with exit code {code}")
                    results.setdefault((rows, name), []).append((seconds, rss))
                    print(f"  {rows:,} {name}: {seconds:.1f} s, {rss:.0f} MiB", flush=True)
        print(f"load average after: {load()}")
        print()
        print(f"medians of {args.reps} interleaved run(s)")
        print(
            f"| {'rows':>10} | {'run':<22} | {'wall time':>9} | {'speed-up':>10} "
            f"| {'peak RSS':>9} |"
        )
        print(f"|{'-' * 12}|{'-' * 24}|{'-' * 11}|{'-' * 12}|{'-' * 11}|")
        median = {
            key: [float(np.median(c)) for c in zip(*m, strict=True)] for key, m in results.items()
        }
        for (rows, name), (seconds, rss) in median.items():
            ratio = ""
            clean = name.rsplit(" ", 1)[-1]
            reference = (rows, f"imblearn {CLEANERS.get(clean, '')}")
            if name.startswith("resample --clean") and reference in median:
                ratio = f"{median[reference][0] / seconds:.2f}x"  # imblearn / smotekit
            print(f"| {rows:>10,} | {name:<22} | {seconds:7.1f} s | {ratio:>10} | {rss:5.0f} MiB |")
        if len(files) > 1:
            low, high = min(files), max(files)
            for clean in CLEANERS:
                name = f"resample --clean {clean}"
                share = median[(high, name)][1] / median[(low, name)][1]
                print(f"{name} peak RSS: {high:,} rows / {low:,} rows {share:.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark `smotekit resample` on a large CSV against pyarrow alone reading and writing it.

Generates, once, a CSV for each of ``--rows`` (default 1M and 10M rows) x ``--features``
numeric columns with a ``--minority`` fraction of class 1 (default: 10 columns, 1%) in a
temporary folder, then runs, each in its own process so that its peak memory is its own, and
``--reps`` times in alternating order:

* pyarrow alone: stream the CSV in and write it out again (the floor for any tool that must read
  and write the file);
* ``smotekit resample`` with SMOTE's defaults (the minority grown to the majority's size);
* on the smaller files, the same command on its older path (before the file executor).

It prints the medians of wall time (and its ratio to pyarrow's), peak resident memory (RSS) and
output size, then deletes the data. It is a script, not a test:
``python benchmarks/bench_cli.py [--rows 1000000 10000000] [--reps 3]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

PYARROW_ONLY = """
import sys
import pyarrow.csv as csv
from smotekit.io._csv import CSV_BLOCK_BYTES
reader = csv.open_csv(sys.argv[1], read_options=csv.ReadOptions(block_size=CSV_BLOCK_BYTES))
with csv.CSVWriter(sys.argv[2], reader.schema) as writer:
    for batch in reader:
        writer.write_batch(batch)
"""


def generate(path: Path, rows: int, features: int, minority: float, seed: int = 0) -> None:
    """Write the benchmark CSV in 1M-row pieces (values rounded to 6 decimals, like real data)."""
    rng = np.random.default_rng(seed)
    schema = pa.schema([(f"f{j}", pa.float64()) for j in range(features)] + [("label", pa.int64())])
    piece = 1_000_000
    with pacsv.CSVWriter(str(path), schema) as writer:
        for start in range(0, rows, piece):
            n = min(piece, rows - start)
            y = (rng.random(n) < minority).astype(np.int64)
            X = np.round(rng.normal(size=(n, features)) + 1.5 * y[:, None], 6)
            columns = [pa.array(X[:, j]) for j in range(features)] + [pa.array(y)]
            writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB (GNU time's, else the kernel's) and exit code of a command.

    Linux keeps a process's peak RSS across ``exec``, so a child forked from this (large) process
    would report at least this process's RSS; GNU time forks from a small process instead.
    """
    report = None
    if os.path.exists(GNU_TIME):
        handle, name = tempfile.mkstemp(suffix=".rss")
        os.close(handle)
        report = Path(name)
        cmd = [GNU_TIME, "-f", "%M", "-o", str(report), *cmd]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    if report is not None:
        peak = int(report.read_text().split()[-1]) * 1024
        report.unlink()
    return seconds, peak / 2**20, code


GNU_TIME = "/usr/bin/time"


# `smotekit resample` on its older path (the sampler's own plan, every class kept up to 256 MB),
# for a before/after in the same run.
OLDER_PATH = """
import sys
from smotekit.cli import _resample, main
_resample._engine_rule = lambda *args: None
sys.exit(main(sys.argv[1:]))
"""


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def runs(data: Path, work: Path, older: bool) -> list[tuple[str, list[str], Path]]:
    """``(name, command, output)`` of each run on ``data``."""
    copy, out = work / "copy.csv", work / "resampled.csv"
    resample = ["resample", str(data), "-o", str(out), "--target", "label", "--quiet"]
    chosen = [
        ("pyarrow read + write", [sys.executable, "-c", PYARROW_ONLY, str(data), str(copy)], copy),
        ("smotekit resample", [sys.executable, "-m", "smotekit", *resample], out),
    ]
    if older:
        chosen.append(("older path", [sys.executable, "-c", OLDER_PATH, *resample], out))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--minority", type=float, default=0.01)
    parser.add_argument("--reps", type=int, default=3, help="interleaved repetitions per size")
    parser.add_argument(
        "--older-below",
        type=int,
        default=2_000_000,
        help="also run the older path on files of fewer rows than this",
    )
    parser.add_argument("--dir", default=None, help="folder for the temporary data")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="smotekit-bench-", dir=args.dir))
    try:
        files = {}
        for rows in args.rows:
            data = work / f"data-{rows}.csv"
            started = time.perf_counter()
            # In a child process, so that this one stays small (see measure).
            shape = [str(rows), str(args.features), str(args.minority)]
            subprocess.run([sys.executable, __file__, "--generate", str(data), *shape], check=True)
            files[rows] = data
            print(
                f"generated {rows:,} rows x {args.features} numeric columns, "
                f"{args.minority:.0%} minority: {data.stat().st_size / 1e9:.2f} GB in "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
        print(f"load average before: {load()}")
        results: dict[tuple[int, str], list[tuple[float, float, float]]] = {}
        for rep in range(args.reps):
            for rows, data in files.items():
                chosen = runs(data, work, rows < args.older_below)
                # Alternate the order of the runs from one repetition to the next.
                for name, cmd, output in chosen if rep % 2 == 0 else chosen[::-1]:
                    seconds, rss, code = measure(cmd)
                    if code != 0:
                        raise SystemExit(f"{name} failed with exit code {code}")
                    gb = output.stat().st_size / 1e9
                    results.setdefault((rows, name), []).append((seconds, rss, gb))
                    output.unlink()
        print(f"load average after: {load()}")

        print()
        print(f"medians of {args.reps} interleaved runs")
        print(
            f"| {'rows':>10} | {'run':<20} | {'wall time':>9} | {'x pyarrow':>9} "
            f"| {'peak RSS':>9} | {'output':>8} |"
        )
        print(f"|{'-' * 12}|{'-' * 22}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 10}|")
        for (rows, name), measured in results.items():
            seconds, rss, gb = (float(np.median(column)) for column in zip(*measured, strict=True))
            floor = float(np.median([m[0] for m in results[(rows, "pyarrow read + write")]]))
            print(
                f"| {rows:>10,} | {name:<20} | {seconds:7.1f} s | {seconds / floor:8.2f}x "
                f"| {rss:5.0f} MiB | {gb:5.2f} GB |"
            )
        rss = {
            rows: float(np.median([m[1] for m in results[(rows, "smotekit resample")]]))
            for rows in files
        }
        if len(rss) > 1:
            low, high = min(rss.values()), max(rss.values())
            print(f"\nsmotekit resample peak RSS: largest / smallest file {high / low:.3f}")
        print(f"machine: {os.cpu_count()} CPU cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--generate"]:
        path, rows, features, minority = sys.argv[2:]
        generate(Path(path), int(rows), int(features), float(minority))
    else:
        main()

"""Benchmark `smotekit resample` on a large CSV against pyarrow alone reading and writing it.

Generates a CSV of ``--rows`` rows x ``--features`` numeric columns with a ``--minority``
fraction of class 1 (default: 20M x 10, 1%, about 2 GB) in a temporary folder, then runs, each in
its own process so that its peak memory is its own:

* pyarrow alone: stream the CSV in and write it out again (the floor for any tool that must read
  and write the file);
* ``smotekit resample`` with SMOTE's defaults (the minority grown to the majority's size).

It prints a table of wall time, peak resident memory (RSS) and file sizes, then deletes the data.
It is a script, not a test: ``python benchmarks/bench_cli.py [--rows 2000000]``.
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
from smotekit.io._formats import CSV_BLOCK_BYTES
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
    """Wall seconds, peak RSS in MiB and exit code of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return seconds, usage.ru_maxrss * scale / 2**20, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--minority", type=float, default=0.01)
    parser.add_argument("--dir", default=None, help="folder for the temporary data")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="smotekit-bench-", dir=args.dir))
    try:
        data = work / "data.csv"
        started = time.perf_counter()
        generate(data, args.rows, args.features, args.minority)
        size = data.stat().st_size
        print(
            f"generated {args.rows:,} rows x {args.features} numeric columns, "
            f"{args.minority:.0%} minority: {size / 1e9:.2f} GB in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        copy = work / "copy.csv"
        out = work / "resampled.csv"
        runs = [
            (
                "pyarrow read + write",
                [sys.executable, "-c", PYARROW_ONLY, str(data), str(copy)],
                copy,
            ),
            (
                "smotekit resample (SMOTE)",
                [
                    sys.executable,
                    "-m",
                    "smotekit",
                    "resample",
                    str(data),
                    "-o",
                    str(out),
                    "--target",
                    "label",
                    "--quiet",
                ],
                out,
            ),
        ]
        rows = []
        for name, cmd, output in runs:
            seconds, rss, code = measure(cmd)
            if code != 0:
                raise SystemExit(f"{name} failed with exit code {code}")
            rows.append((name, seconds, rss, output.stat().st_size / 1e9))
            output.unlink()

        print()
        print(f"| {'run':<27} | {'wall time':>9} | {'peak RSS':>9} | {'output':>8} |")
        print(f"|{'-' * 29}|{'-' * 11}|{'-' * 11}|{'-' * 10}|")
        for name, seconds, rss, gb in rows:
            print(f"| {name:<27} | {seconds:7.1f} s | {rss:5.0f} MiB | {gb:5.2f} GB |")
        print(f"\ninput: {size / 1e9:.2f} GB CSV; machine: {os.cpu_count()} CPU cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

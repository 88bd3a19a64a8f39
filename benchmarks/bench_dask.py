"""Out-of-core SMOTE on Dask: a Parquet dataset several times the workers' memory, resampled.

Writes a Parquet dataset of Gaussian features with a rare class (by default about 6.5 GiB on disk,
more than 3x the 2 x 1 GiB of worker memory), resamples it with ``smotekit.dask`` on a
LocalCluster of 2 and then 1 worker processes of 1 GiB each, checks the output's class counts,
and prints a table: time, worker restarts (worker process ids before and after) and bytes
spilled to disk. Everything it writes lives under one temporary folder, deleted at the end.

Run: ``python benchmarks/bench_dask.py`` (``--quick`` for a small smoke run).

``--partitions 1,3,7`` measures instead what the partitioning changes: the same data
(``--rows``, default here 3 million, 1% minority balanced to 1:1) written as 1, 3 and 7 Parquet
files, each resampled by ``resample_parquet`` on a LocalCluster of 2 workers, with both
seedings; the table gives the time, the peak memory of the busiest worker and a digest of the
synthetic rows, which must be the same for every partitioning, and, for imbalanced-learn's
seeding, equal to imbalanced-learn's ``SMOTE`` run in memory on the same rows (timed in the
same run: the ratio column).

``--sampler SMOTEENN`` or ``SMOTETomek`` (oversampling, then cleaning over all rows): in the
partitioning table the digest is of every output row (the cleaner keeps input rows too), against
imbalanced-learn's combined sampler in memory; in the out-of-core run the oversampler is
``SMOTE(sampling_strategy={1: grow_to})`` and the class counts read back are those returned.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

GIB = 2**30


def write_dataset(folder: Path, rows: int, features: int, minority: float, files: int) -> int:
    """A Parquet folder of ``files`` files; class 1 is a shifted Gaussian of share ``minority``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True)
    names = [f"f{j}" for j in range(features)]
    rng = np.random.default_rng(0)
    per_file = rows // files
    for i in range(files):
        y = (rng.random(per_file) < minority).astype(np.int8)
        X = rng.standard_normal((per_file, features))
        X[y == 1] += 1.5
        table = pa.table({**{n: X[:, j] for j, n in enumerate(names)}, "label": y})
        # Gaussian floats do not compress: store them plain, which is faster to write and read.
        pq.write_table(table, folder / f"part-{i:04d}.parquet", compression="none")
    return per_file * files


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@contextmanager
def local_client(workers: int, memory: str) -> Iterator[Any]:
    """A client of a fresh LocalCluster: worker processes of one thread and ``memory`` each."""
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


COMBINED = ("SMOTEENN", "SMOTETomek")


def out_of_core_sampler(name: str, grow_to: int) -> Any:
    """SMOTE to ``grow_to`` rows of class 1, alone or as a combined sampler's oversampler."""
    import smotekit

    smote = smotekit.SMOTE(random_state=0, sampling_strategy={1: grow_to})
    return getattr(smotekit, name)(smote=smote) if name in COMBINED else smote


def run_once(source: Path, out: Path, workers: int, memory: str, sampler: Any) -> dict:
    import dask.dataframe as dd

    from smotekit.dask import resample_parquet

    with local_client(workers, memory) as client:
        pids = client.run(os.getpid)
        started = time.perf_counter()
        counts = resample_parquet(
            sampler,
            source,
            out,
            target="label",
            class_budget=2**20,  # small, so the minority class is searched in blocks
            block_rows=50_000,
        )
        seconds = time.perf_counter() - started
        restarts = sum(1 for a, p in client.run(os.getpid).items() if pids.get(a) != p)
        restarts += len(pids) - len(client.run(os.getpid))
        spilled = sum(client.run(lambda dask_worker: dask_worker.data.spilled_total.disk).values())
        written = dd.read_parquet(str(out), columns=["label"])["label"].value_counts().compute()
    return {
        "seconds": seconds,
        "restarts": restarts,
        "spilled": spilled,
        "counts": counts,
        "written": {int(k): int(v) for k, v in written.items()},
        "out_bytes": folder_bytes(out),
    }


def _peak_worker_rss(client: Any) -> int:
    """The largest peak resident memory among the workers (bytes, since they started)."""

    def peak() -> int:
        # the kernel's high-water mark of this worker process's resident memory
        with open("/proc/self/status") as status:
            line = next(x for x in status if x.startswith("VmHWM:"))
        return int(line.split()[1]) * 1024

    return max(client.run(peak).values())


def _digest(X: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(X, dtype=np.float64).tobytes()).hexdigest()[:12]


def _synthetic_rows(out: Path, n_input_files: int) -> np.ndarray:
    """The synthetic rows of an output folder: the files after the input's, in order (all
    rows with ``n_input_files=0``)."""
    import pandas as pd

    files = sorted(out.glob("part-*.parquet"))[n_input_files:]
    frame = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    return frame.drop(columns=["label"]).to_numpy()


def partitions_table(args: argparse.Namespace, parts: list[int]) -> None:
    """Time, peak worker memory and output digest for each partitioning and seeding."""
    import pandas as pd
    from imblearn import combine, over_sampling

    import smotekit
    from smotekit.dask import resample_parquet

    name = args.sampler
    cleans = name in COMBINED
    ours, theirs = getattr(smotekit, name), getattr(combine if cleans else over_sampling, name)
    # With cleaning, input rows go too: the digest is of every output row.
    kept = "output rows" if cleans else "synthetic rows"

    root = Path(tempfile.mkdtemp(prefix="smotekit-bench-dask-"))
    try:
        whole = root / "input"
        rows = write_dataset(whole, args.rows, args.features, args.minority, 1)
        data = pd.read_parquet(whole)
        X, y = data.drop(columns=["label"]).to_numpy(), data["label"].to_numpy()
        sources = {}
        for p in parts:  # the same rows, cut into p files
            sources[p] = root / f"input-{p}"
            sources[p].mkdir()
            for i, piece in enumerate(np.array_split(np.arange(rows), p)):
                data.iloc[piece].to_parquet(sources[p] / f"part-{i:04d}.parquet", index=False)
        del data
        print(
            f"input: {rows:,} rows x {args.features} float64 features, class 1 "
            f"{int(y.sum()):,} rows, {name}(random_state=0) to 1:1; 2 workers x "
            f"{args.memory}, 1 thread each; block_rows=100,000",
            flush=True,
        )
        print(
            f"| seeding | partitions | {kept} | time (s) | imblearn in memory (s) "
            f"| imblearn / dask | peak worker memory | digest of {kept} |"
        )
        print("|" + "---|" * 8, flush=True)
        for seeding in ("blocks", "imbalanced-learn"):
            for p in parts:
                started = time.perf_counter()
                first = 0 if cleans else len(y)  # the rows digested
                X_ref = theirs(random_state=0).fit_resample(X, y)[0][first:]
                reference = time.perf_counter() - started
                out = root / f"output-{p}"
                with local_client(2, args.memory) as client:
                    started = time.perf_counter()
                    resample_parquet(
                        ours(random_state=0), sources[p], out, target="label", seeding=seeding
                    )
                    seconds = time.perf_counter() - started
                    peak = _peak_worker_rss(client)
                synthetic = _synthetic_rows(out, 0 if cleans else p)
                digest = _digest(synthetic)
                if seeding == "imbalanced-learn":
                    if digest == _digest(X_ref):
                        same = "= imblearn"
                    else:  # ADASYN: imbalanced-learn's count may miss the request by a few
                        X_mem = ours(random_state=0).fit_resample(X, y)[0][first:]
                        same = "= memory" if digest == _digest(X_mem) else "differs from memory"
                    digest = f"{digest} ({same})"
                print(
                    f"| {seeding} | {p} | {len(synthetic):,} | {seconds:.1f} | {reference:.1f} "
                    f"| {reference / seconds:.2f}x | {peak / 2**20:,.0f} MiB | {digest} |",
                    flush=True,
                )
                shutil.rmtree(out)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=38_000_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--minority", type=float, default=0.0005, help="share of class 1")
    parser.add_argument("--grow-to", type=int, default=200_000, help="final count of class 1")
    parser.add_argument("--files", type=int, default=160)
    parser.add_argument("--memory", default="1GiB", help="memory limit per worker")
    parser.add_argument("--workers", default="2,1")
    parser.add_argument("--quick", action="store_true", help="200k rows, a smoke run")
    parser.add_argument(
        "--partitions", help="e.g. 1,3,7: the partitioning table instead (3M rows by default)"
    )
    parser.add_argument(
        "--sampler",
        default="SMOTE",
        choices=["SMOTE", "BorderlineSMOTE", "ADASYN", *COMBINED],
        help="the partitioning table's sampler (smotekit's, against imbalanced-learn's); "
        "SMOTE or a combined one in the out-of-core run",
    )
    args = parser.parse_args()
    if args.partitions:
        if args.rows == parser.get_default("rows"):
            args.rows = 200_000 if args.quick else 3_000_000
        if args.minority == parser.get_default("minority"):
            args.minority = 0.01
        if args.features == parser.get_default("features"):
            args.features = 10
        if args.memory == parser.get_default("memory"):
            args.memory = "3GiB"
        partitions_table(args, [int(p) for p in args.partitions.split(",")])
        return
    if args.quick:
        args.rows, args.files, args.minority, args.grow_to = 200_000, 4, 0.01, 5_000

    root = Path(tempfile.mkdtemp(prefix="smotekit-bench-dask-"))
    try:
        source = root / "input"
        t0 = time.perf_counter()
        rows = write_dataset(source, args.rows, args.features, args.minority, args.files)
        size = folder_bytes(source)
        print(
            f"input: {rows:,} rows x {args.features} float64 features + label, {args.files} "
            f"files, {size / GIB:.2f} GiB on disk (written in {time.perf_counter() - t0:.0f} s)"
        )
        added_rows = "rows added net of cleaning" if args.sampler in COMBINED else "synthetic rows"
        header = (
            f"| workers | memory limit each | input / total worker memory | {added_rows} "
            "| output on disk | time (s) | worker restarts | spilled to disk |"
        )
        print(header)
        print("|" + "---|" * 8, flush=True)
        for workers in [int(w) for w in args.workers.split(",")]:
            out = root / f"output-{workers}"
            sampler = out_of_core_sampler(args.sampler, args.grow_to)
            result = run_once(source, out, workers, args.memory, sampler)
            added = sum(result["written"].values()) - rows
            if args.sampler not in COMBINED:  # cleaning removes rows of every class
                assert result["written"].get(1) == args.grow_to, result
            assert result["written"] == result["counts"], result
            limit = _parse_bytes(args.memory)
            print(
                f"| {workers} | {args.memory} | {size / (workers * limit):.1f}x | {added:,} "
                f"| {result['out_bytes'] / GIB:.2f} GiB | {result['seconds']:.0f} "
                f"| {result['restarts']} | {result['spilled'] / 2**20:.0f} MiB |",
                flush=True,
            )
            shutil.rmtree(out)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _parse_bytes(text: str) -> int:
    from dask.utils import parse_bytes

    return int(parse_bytes(text))


if __name__ == "__main__":
    main()

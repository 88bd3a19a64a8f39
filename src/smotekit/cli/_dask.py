"""``smotekit resample --dask local|ADDRESS``: the command's options mapped onto Dask."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from smotekit._strategy import labels_from_text
from smotekit.cli._errors import DataError, UsageError
from smotekit.cli._methods import build_sampler, choose_method, explain_too_small
from smotekit.cli._tables import categorical_columns
from smotekit.exceptions import ClassTooSmallError

__all__ = ["run_with_dask"]

# Options of ``resample`` that work file by file and have no Dask counterpart here.
_FILE_ONLY = {
    "plot": "--plot",
    "mark_synthetic": "--mark-synthetic",
    "approximate": "--approximate",
}


def run_with_dask(args: argparse.Namespace, strategy: Any) -> int:
    """Resample the Parquet dataset ``args.input`` into the folder ``args.output`` on Dask."""
    started = time.perf_counter()
    for name, option in _FILE_ONLY.items():
        if getattr(args, name, None):
            raise UsageError(f"{option} is not available with --dask")
    if args.nan != "error":
        raise UsageError("--nan drop is not available with --dask: drop missing rows first")
    try:
        pq = _pyarrow_dataset()
        dd = _dask_dataframe()
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    source = Path(args.input)
    if not source.exists():
        raise DataError(f"cannot read '{source}': no such file or folder")
    if source.suffix.lower() != ".parquet" and not source.is_dir():
        raise UsageError(f"--dask reads Parquet: '{source}' is neither a folder nor .parquet")
    if Path(args.output).suffix.lower() not in ("", ".parquet"):
        raise UsageError(f"--dask writes a Parquet folder: '{args.output}' names another format")
    for option, path in (("--output", args.output), ("--provenance", args.provenance)):
        if path is None:
            continue
        if Path(path).exists() and not args.force:
            raise UsageError(f"{option}: '{path}' exists; add --force to replace it")
        if Path(path).resolve() == source.resolve():
            raise UsageError(f"{option}: '{path}' is the input")
    schema = pq.dataset(str(source), format="parquet").schema
    if args.target not in schema.names:
        raise DataError(f"'{source}' has no column '{args.target}'")
    categorical = categorical_columns(schema, args.target, args.categorical)
    features = [n for n in schema.names if n != args.target]
    method = choose_method(args.method, categorical, len(features))
    if isinstance(strategy, dict):
        labels = dd.read_parquet(str(source), columns=[args.target])[args.target].unique()
        try:
            strategy = labels_from_text(strategy, labels.compute().tolist())
        except ValueError as exc:
            raise UsageError(f"--sampling-strategy: {exc}") from None
    sampler = build_sampler(
        method,
        sampling_strategy=strategy,
        random_state=args.seed,
        k=args.k_neighbors,
        approximate=False,
        categorical=categorical or None,
    )
    if args.clean != "none":
        from smotekit.cli._clean import combined_sampler

        sampler = combined_sampler(args.clean, sampler)
    from smotekit.dask._parquet import connect, resample_parquet

    try:
        with connect(args.dask):
            counts = resample_parquet(
                sampler,
                source,
                args.output,
                target=args.target,
                provenance=args.provenance,
                overwrite=args.force,
            )
    except ClassTooSmallError as exc:
        where = f"'{source}' column '{args.target}'"
        raise DataError(explain_too_small(exc, method, where)) from None
    except (TypeError, ValueError, FileExistsError, KeyError) as exc:
        raise DataError(" ".join(str(exc).split())) from None
    if not args.quiet:
        per_class = ", ".join(f"{label}: {n}" for label, n in sorted(counts.items()))
        seconds = time.perf_counter() - started
        print(
            f"wrote {args.output} ({sum(counts.values())} rows; {per_class}) in {seconds:.1f} s",
            file=sys.stderr,
        )
    return 0


def _pyarrow_dataset() -> Any:
    from smotekit._optional import import_optional

    return import_optional("pyarrow.dataset", "dask")


def _dask_dataframe() -> Any:
    from smotekit._optional import import_optional

    return import_optional("dask.dataframe", "dask")

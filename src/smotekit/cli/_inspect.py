"""``smotekit inspect``: what a file's classes look like, and which method suits them."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from smotekit.cli._errors import EXIT_OK, DataError, UsageError
from smotekit.cli._methods import default_method, feature_kind
from smotekit.cli._tables import (
    add_input_options,
    categorical_columns,
    input_of,
    progress,
    read_errors,
)

__all__ = ["Profile", "add_parser", "run", "suggest"]

# SMOTE's default number of neighbours: a class to grow needs k + 1 rows.
DEFAULT_K = 5


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "inspect",
        help="class counts, column types and a suggested method for a file",
        description=(
            "Read a CSV/TSV/Parquet file once and report its class counts, imbalance ratio, "
            "feature types, missing values and duplicate rows, with the method that suits it."
        ),
    )
    parser.add_argument("input", metavar="INPUT", help=".csv, .csv.gz, .tsv, .tsv.gz or .parquet")
    parser.add_argument("-t", "--target", required=True, metavar="COL", help="the class column")
    parser.add_argument(
        "--categorical",
        default="auto",
        metavar="auto|none|COL,COL",
        help="categorical feature columns (default auto: the non-numeric ones)",
    )
    parser.add_argument(
        "--plot", metavar="FILE.png", default=None, help="draw class balance and a 2-D PCA"
    )
    add_input_options(parser)
    parser.add_argument("-f", "--force", action="store_true", help="replace an existing plot")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run)


@dataclass
class Profile:
    """What one pass over a file finds."""

    rows: int = 0
    counts: dict[Any, int] = field(default_factory=dict)
    unlabelled: int = 0
    missing: dict[str, int] = field(default_factory=dict)
    infinite: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    types: dict[str, str] = field(default_factory=dict)
    categorical: list[str] = field(default_factory=list)

    @property
    def imbalance_ratio(self) -> float:
        present = [n for n in self.counts.values() if n > 0]
        return max(present) / min(present) if present else float("nan")


def suggest(profile: Profile, n_features: int, k: int = DEFAULT_K) -> list[str]:
    """Advice, most important first: which method and options suit the profiled file.

    Examples
    --------
    >>> suggest(Profile(rows=110, counts={0: 100, 1: 10}), n_features=3)
    ['smote: numeric features and every class to grow has at least 6 rows']
    >>> suggest(Profile(rows=103, counts={0: 100, 1: 3}), n_features=3)[0]
    'smote --k-neighbors 2: class 1 has only 3 rows (k=5 needs 6)'
    """
    advice: list[str] = []
    if len(profile.counts) < 2:
        return ["nothing to do: the target column has a single class; check --target"]
    majority = max(profile.counts.values())
    grow = {label: n for label, n in profile.counts.items() if n < majority}
    if not grow:
        return ["nothing to do: the classes are already balanced"]
    cats = profile.categorical
    columns = feature_kind(len(cats), n_features)
    why = {
        "numeric": "numeric features",
        "categorical": "every feature is categorical",
        "mixed": f"{len(cats)} categorical column{'s' if len(cats) > 1 else ''}",
    }[columns]
    method = default_method(columns).name
    smallest_label = min(grow, key=lambda label: grow[label])
    smallest = grow[smallest_label]
    if smallest < 2:
        advice.append(
            f"class {smallest_label} has a single row: it cannot be interpolated; collect more "
            "rows or leave it out with --sampling-strategy CLASS=COUNT for the others"
        )
    elif smallest < k + 1:
        advice.append(
            f"{method} --k-neighbors {smallest - 1}: class {smallest_label} has only "
            f"{smallest} rows (k={k} needs {k + 1})"
        )
    else:
        advice.append(f"{method}: {why} and every class to grow has at least {k + 1} rows")
    if profile.imbalance_ratio < 1.5:
        advice.append(
            f"the imbalance ratio is only {profile.imbalance_ratio:.2f}: resampling is unlikely "
            "to help; compare with `smotekit evaluate` before using it"
        )
    if any(profile.missing.values()):
        advice.append("missing values: resample with --nan drop, or impute them first")
    if any(profile.infinite.values()):
        advice.append("infinite values: replace them with finite numbers, or --nan drop them")
    if profile.duplicates:
        advice.append(
            f"{profile.duplicates} duplicate rows: duplicates of a class to grow weigh its "
            "neighbourhoods; consider removing them"
        )
    return advice


def _profile(source: Any, target: str, categorical: list[str], args: argparse.Namespace) -> Any:
    from smotekit._optional import import_optional
    from smotekit.cli._plots import RowSample
    from smotekit.io import missing_mask, numeric_matrix

    pc = import_optional("pyarrow.compute", "io")
    pd = import_optional("pandas", "io")
    schema = source.schema
    profile = Profile(categorical=categorical, types={f.name: str(f.type) for f in schema})
    numeric = [
        name
        for name in schema.names
        if name != target and name not in categorical and _is_numeric(schema, name)
    ]
    sample = RowSample()
    hashes = []
    bar = progress(not args.quiet, "reading")
    with read_errors(source.path):
        for block in source.blocks():
            batch = block.batch
            profile.rows += batch.num_rows
            for name in batch.schema.names:
                missing = missing_mask(batch, [name], infinite=False)
                n_infinite = int((missing_mask(batch, [name]) & ~missing).sum())
                profile.missing[name] = profile.missing.get(name, 0) + int(missing.sum())
                profile.infinite[name] = profile.infinite.get(name, 0) + n_infinite
            labels = batch.column(target)
            profile.unlabelled += labels.null_count
            tally = pc.value_counts(labels.drop_null())
            for label, n in zip(
                tally.field("values").to_pylist(), tally.field("counts").to_pylist(), strict=True
            ):
                profile.counts[label] = profile.counts.get(label, 0) + n
            # 64-bit row hashes: 8 bytes a row, enough to count duplicates of any file.
            hashes.append(pd.util.hash_pandas_object(batch.to_pandas(), index=False).to_numpy())
            if args.plot and numeric:
                X = numeric_matrix(batch, numeric)
                y = labels.to_numpy(zero_copy_only=False)
                keep = np.isfinite(X).all(axis=1) & labels.is_valid().to_numpy(zero_copy_only=False)
                sample.add(X[keep], y[keep])
            bar.update(batch.num_rows)
    bar.close()
    if not profile.rows:
        raise DataError(f"'{source.path}' has no data rows: there is nothing to inspect")
    if hashes:
        all_hashes = np.concatenate(hashes)
        profile.duplicates = int(all_hashes.size - np.unique(all_hashes).size)
    return profile, sample, numeric


def _is_numeric(schema: Any, name: str) -> bool:
    from smotekit.io import is_numeric_type

    return is_numeric_type(schema.field(name).type)


def report(path: Path, target: str, profile: Profile) -> list[str]:
    """The report's lines."""
    n_features = len(profile.types) - 1
    lines = [f"{path}: {profile.rows} rows, {n_features} features, target '{target}'"]
    total = max(profile.rows, 1)
    labels = sorted(profile.counts)
    lines.append(f"classes ({len(labels)}):")
    for label in labels:
        n = profile.counts[label]
        lines.append(f"  {label!s:>12}  {n:>10}  {100 * n / total:6.2f}%")
    if len(labels) >= 2:
        major = max(labels, key=lambda label: profile.counts[label])
        minor = min(labels, key=lambda label: profile.counts[label])
        lines.append(
            f"imbalance ratio: {profile.imbalance_ratio:.2f} (majority {major}, minority {minor})"
        )
    numeric = [name for name in profile.types if name != target and name not in profile.categorical]
    lines.append(
        f"features: {len(numeric)} numeric, {len(profile.categorical)} categorical"
        + (f" ({', '.join(profile.categorical)})" if profile.categorical else "")
    )
    for name, kind in profile.types.items():
        if name != target:
            role = "categorical" if name in profile.categorical else "numeric"
            lines.append(f"  {name}: {kind} ({role})")
    missing = {name: n for name, n in profile.missing.items() if n}
    lines.append(
        "missing values: "
        + (", ".join(f"{name}: {n}" for name, n in missing.items()) if missing else "none")
    )
    infinite = {name: n for name, n in profile.infinite.items() if n}
    if infinite:
        lines.append("infinite values: " + ", ".join(f"{n}: {k}" for n, k in infinite.items()))
    if profile.unlabelled:
        lines.append(
            f"rows without a class: {profile.unlabelled} (missing '{target}'; resample --nan drop "
            "leaves them out)"
        )
    lines.append(f"duplicate rows: {profile.duplicates}")
    advice = suggest(profile, n_features)
    lines.append(f"suggested: {advice[0]}")
    lines.extend(f"note: {line}" for line in advice[1:])
    return lines


def run(args: argparse.Namespace) -> int:
    """Profile ``args.input`` and print the report; returns the exit code."""
    from smotekit._optional import import_optional

    try:
        import_optional("pyarrow", "io")
        import_optional("pandas", "io")
        if args.plot:
            import_optional("matplotlib", "report")
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    source = input_of(args)
    path, schema = source.path, source.schema
    if args.plot:
        from smotekit.io import check_output_path

        if Path(args.plot).suffix.lower() not in (".png", ".svg", ".pdf"):
            raise UsageError(f"--plot: '{args.plot}' must end in .png, .svg or .pdf")
        problem = check_output_path(args.plot, [args.input], args.force)
        if problem:
            raise UsageError(f"--plot: {problem}")
    categorical = categorical_columns(schema, args.target, args.categorical)
    profile, sample, _ = _profile(source, args.target, categorical, args)
    print("\n".join(report(path, args.target, profile)))
    if args.plot:
        from smotekit.cli._plots import plot_inspect
        from smotekit.cli._signals import final
        from smotekit.io import AtomicFile, named_os_error

        plot = AtomicFile(args.plot)
        try:
            fmt = Path(args.plot).suffix.lower().lstrip(".")
            try:
                plot_inspect(
                    plot.path, profile.counts, sample, f"{path.name}: '{args.target}'", fmt
                )
            except OSError as exc:
                raise named_os_error(exc, args.plot) from exc
            with final():
                plot.commit()
        finally:
            plot.discard()
        print(f"plot: {args.plot}", file=sys.stderr)
    return EXIT_OK

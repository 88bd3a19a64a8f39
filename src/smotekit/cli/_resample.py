"""``smotekit resample``: rebalance a CSV, TSV or Parquet file, streaming and atomically.

How a file is processed, for a method whose sampler has an engine rule
(``smotekit.over_sampling._rules.rule_for``), by the file executor (``smotekit.io._resample``):

1. A counting pass reads the target column (and the categorical ones; every column under
   ``--nan drop``). The class counts of the whole file give the sampling strategy, exactly as the
   in-memory sampler would compute it.
2. A second pass writes each block of original rows straight to a temporary output file while
   the engine keeps the rows of the classes to grow; a method that asks neighbours among all
   rows (Borderline-SMOTE) or takes partners of other classes reads the file once or twice more.
3. The synthetic rows are made by the engine in output blocks of ``_synthesis.CHUNK_ROWS`` rows,
   each from its own slice of imbalanced-learn's draws (the rows ``fit_resample`` makes on the
   whole file), and written as they are made. Memory holds the grown classes' rows, one input
   block and one output block: nothing per row of the other classes, nothing per synthetic row.

A method without a rule, or one that needs a model of the whole data (SVM-SMOTE, K-Means
SMOTE), is fitted in memory on every row after a pass that writes the originals through.
Either way, the temporary files are moved into place only once everything is written, all
together and only if no stop signal came (``_signals``).

A CSV written from a CSV holds the input's records byte for byte (``smotekit.io.Block``); only
the synthetic rows are formatted, in the input's style.

``--task regression`` (a numeric target, :mod:`smotekit.cli._resample_regression`) reads the
values whole instead: the regression samplers cut the whole target into bins first.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from smotekit.cli._errors import EXIT_OK, UsageError
from smotekit.cli._methods import (
    Method,
    build_sampler,
    choose_method,
    default_method,
    get_method,
    methods,
)
from smotekit.cli._signals import final
from smotekit.cli._tables import add_input_options, categorical_columns, check_format, input_of

__all__ = ["add_parser", "run"]

STRATEGY_WORDS = ("auto", "minority", "not-minority", "not-majority", "all")


def add_parser(subparsers: Any) -> None:
    from smotekit.cli._resample_regression import REGRESSION_METHODS

    parser = subparsers.add_parser(
        "resample",
        help="oversample the minority classes (or rare targets) of a CSV/TSV/Parquet file",
        description=(
            "Oversample a file's classes with a SMOTE-family method and write a new file: the "
            "original rows first, then the synthetic rows. The input is never modified; the "
            "output appears only when complete. With --task regression the target is numeric "
            "and its rare values are grown (SMOTER by default); the features and target are "
            "then held in memory, since the rare bins need the whole target."
        ),
    )
    parser.add_argument("input", metavar="INPUT", help=".csv, .csv.gz, .tsv, .tsv.gz or .parquet")
    parser.add_argument(
        "--task",
        choices=("classification", "regression"),
        default="classification",
        help="classification (default): the target holds classes; regression: the target is "
        f"numeric and its rare values are grown by --method {', '.join(REGRESSION_METHODS)} "
        "(default: smoter)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUTPUT",
        help="output file; its extension picks the format",
    )
    parser.add_argument(
        "-t", "--target", required=True, metavar="COL", help="the class (or numeric target) column"
    )
    parser.add_argument(
        "-m",
        "--method",
        default=None,
        metavar="NAME",
        help=f"one of {', '.join(methods())} (default: {default_method('numeric').name}, or "
        f"{default_method('mixed').name}/{default_method('categorical').name} when there are "
        "categorical columns)",
    )
    parser.add_argument(
        "-k",
        "--k-neighbors",
        type=int,
        default=None,
        metavar="K",
        help="neighbours to interpolate towards (default: the method's)",
    )
    parser.add_argument(
        "-s",
        "--sampling-strategy",
        default="auto",
        metavar="STRATEGY",
        help="auto, minority, not-minority, not-majority, all, a ratio such as "
        "0.5 (two classes), or CLASS=COUNT pairs such as 1=5000,2=5000; with --task regression: "
        "balance (default, also auto), extreme, one size ratio per bin such as 1,0.5,3, or "
        "BIN=RATIO pairs such as 2=3 (bins numbered from 0 at the lowest target)",
    )
    parser.add_argument(
        "--relevance-threshold",
        type=float,
        default=None,
        metavar="PHI",
        help="--task regression: targets whose relevance is at least PHI are rare (default: 0.5)",
    )
    parser.add_argument(
        "--undersample",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="--task regression: whether normal bins may shrink (default: the method's: yes for "
        "smoter, smogn and gaussian_noise, no for random_over)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--categorical",
        default="auto",
        metavar="auto|none|COL,COL",
        help="categorical feature columns (default auto: the non-numeric ones)",
    )
    parser.add_argument(
        "--approximate",
        action="store_true",
        help="use approximate nearest neighbours (faster on big classes)",
    )
    parser.add_argument(
        "--mark-synthetic",
        metavar="COL",
        default=None,
        help="add a boolean column COL, true on synthetic rows",
    )
    parser.add_argument(
        "--provenance",
        metavar="FILE",
        default=None,
        help="write row, base, neighbor, gap for each synthetic row (row numbers "
        "of the output, 0-based)",
    )
    parser.add_argument(
        "--clean",
        choices=("none", "enn", "tomek"),
        default="none",
        help="after oversampling, remove rows as SMOTEENN (enn: edited nearest neighbours, 3 "
        "neighbours, every class) or SMOTETomek (tomek: both rows of each Tomek link) would; "
        "streams from the file with bounded memory (default: none)",
    )
    parser.add_argument(
        "--nan",
        default="error",
        metavar="error|drop",
        help="rows with missing values: stop with an error (default) or drop them",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE.png",
        default=None,
        help="draw original and synthetic rows in a 2-D PCA projection",
    )
    parser.add_argument(
        "--dask",
        metavar="local|ADDRESS",
        default=None,
        help="resample a Parquet dataset (file or folder) into a Parquet folder on Dask: "
        "'local' starts a cluster on this machine, ADDRESS joins a running scheduler",
    )
    add_input_options(parser)
    parser.add_argument("-f", "--force", action="store_true", help="replace an existing output")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    parser.set_defaults(handler=run)


def parse_strategy(text: str) -> Any:
    """``--sampling-strategy`` as a string, a float or a ``{class text: count}`` dict."""
    word = text.strip().lower()
    if word in STRATEGY_WORDS:
        return word.replace("-", " ")
    if "=" in text:
        pairs: dict[str, int] = {}
        given: dict[str, str] = {}
        for item in text.split(","):
            key, _, count = item.partition("=")
            key = key.strip()
            try:
                value = int(count)
            except ValueError:
                raise UsageError(
                    f"--sampling-strategy: '{item}' is not CLASS=COUNT with an integer COUNT"
                ) from None
            if key in pairs:
                raise UsageError(
                    f"--sampling-strategy: class '{key}' is given twice ('{given[key]}' and "
                    f"'{item.strip()}'); give each class once"
                )
            pairs[key], given[key] = value, item.strip()
        return pairs
    try:
        ratio = float(text)
    except ValueError:
        raise UsageError(
            f"--sampling-strategy: '{text}' is not one of {', '.join(STRATEGY_WORDS)}, a ratio "
            "or CLASS=COUNT pairs"
        ) from None
    if not math.isfinite(ratio):
        raise UsageError(
            f"--sampling-strategy: '{text}' is not a ratio; give a number in (0, 1] such as 0.5"
        )
    return ratio


def _check_outputs(args: argparse.Namespace) -> None:
    from smotekit.io import check_output_path

    check_format(args.output, "--output")
    paths = [("--output", args.output)]
    if args.provenance:
        check_format(args.provenance, "--provenance")
        paths.append(("--provenance", args.provenance))
    if args.plot:
        if Path(args.plot).suffix.lower() not in (".png", ".svg", ".pdf"):
            raise UsageError(f"--plot: '{args.plot}' must end in .png, .svg or .pdf")
        paths.append(("--plot", args.plot))
    for i, (option, path) in enumerate(paths):
        others = [p for _, p in paths[:i]]
        if any(Path(p).resolve() == Path(path).resolve() for p in others):
            raise UsageError(f"{option}: '{path}' is already used by another option")
        problem = check_output_path(path, [args.input], args.force)
        if problem:
            raise UsageError(f"{option}: {problem}")


# The largest seed NumPy's generators take.
MAX_SEED = 2**32 - 1


def _check_options(args: argparse.Namespace) -> None:
    if args.nan not in ("error", "drop"):
        raise UsageError(f"--nan: '{args.nan}' is not 'error' or 'drop'")
    if args.seed < 0:
        raise UsageError(f"--seed: {args.seed} is negative, use 0 or more")
    if args.seed > MAX_SEED:
        raise UsageError(f"--seed: {args.seed} is too large, use 0 to {MAX_SEED}")
    if args.k_neighbors is not None and args.k_neighbors < 1:
        raise UsageError(f"--k-neighbors: {args.k_neighbors} is too small, use 1 or more")
    if args.mark_synthetic is not None and not args.mark_synthetic.strip():
        raise UsageError("--mark-synthetic: give a column name, such as --mark-synthetic synthetic")
    _check_clean(args)
    if args.task == "regression":
        from smotekit.cli._resample_regression import check_regression_options

        check_regression_options(args)
        return
    if args.relevance_threshold is not None or args.undersample is not None:
        if args.relevance_threshold is not None:
            name = "--relevance-threshold"
        else:
            name = "--undersample" if args.undersample else "--no-undersample"
        raise UsageError(f"{name}: applies only to --task regression; leave it out")
    if args.method is not None:
        get_method(args.method)


def _check_clean(args: argparse.Namespace) -> None:
    if args.clean == "none":
        return
    if args.task == "regression":
        raise UsageError(
            f"--clean {args.clean}: applies only to --task classification; leave it out"
        )


def run(args: argparse.Namespace) -> int:
    """Resample ``args.input`` into ``args.output``; returns the exit code."""
    started = time.perf_counter()
    _check_options(args)
    if args.task == "regression":
        return _run_regression(args, started)
    strategy = parse_strategy(args.sampling_strategy)
    if args.dask:
        from smotekit.cli._dask import run_with_dask

        return run_with_dask(args, strategy)
    source = _open_checked(args)
    schema = source.schema
    categorical = categorical_columns(schema, args.target, args.categorical)
    features = [name for name in schema.names if name != args.target]
    method = choose_method(args.method, categorical, len(features))
    if method.features == "categorical":
        categorical = list(features)
    if args.clean != "none" and categorical:
        shown = ", ".join(f"'{c}'" for c in categorical[:5])
        raise UsageError(
            f"--clean {args.clean}: cleaning measures distances between numeric features, but "
            f"{shown} {'is' if len(categorical) == 1 else 'are'} categorical: encode them first, "
            "or leave --clean out"
        )

    from smotekit._strategy import labels_from_text
    from smotekit.cli._stream import Job

    job = Job(
        source=source,
        target=args.target,
        features=features,
        categorical=categorical,
        method=method,
        strategy=strategy,
        drop_missing=args.nan == "drop",
        mark=args.mark_synthetic,
        show_progress=not args.quiet,
        plot=args.plot is not None,
        clean=args.clean,
    )

    def make_sampler(counts: dict[Any, int] | None, by_position: bool = True) -> Any:
        # The engine takes categorical columns by position; a frame (the older path) by name.
        columns = [features.index(c) for c in categorical] if by_position else categorical
        return build_sampler(
            method,
            sampling_strategy="auto" if counts is None else labels_from_text(strategy, counts),
            random_state=args.seed,
            k=args.k_neighbors,
            approximate=args.approximate,
            categorical=columns or None,
        )

    job.rule_of = _engine_rule(make_sampler(None), args.approximate)
    if job.rule_of is None:
        return _write_outputs(
            args, source, job, lambda counts: make_sampler(counts, by_position=False), started
        )

    return _write_outputs(args, source, job, make_sampler, started)


def _engine_rule(sampler: Any, approximate: bool) -> Any:
    """``rule_for`` if the file executor runs ``sampler`` as ``fit_resample`` would, else ``None``.

    Samplers without a rule yet, and those that need a model of the whole data, keep the older
    path; so do approximate searches over all rows, whose answers would depend on the blocks.
    """
    from smotekit.over_sampling._rules import rule_for

    try:
        rule = rule_for(sampler)
    except TypeError:
        return None
    if rule.capabilities.global_model is not None:
        return None
    partners = rule.partners()
    queries = [*rule.screening(), *([partners] if partners is not None else [])]
    if approximate and any(query.scope == "all" for query in queries):
        return None
    return rule_for


def _open_checked(args: argparse.Namespace) -> Any:
    """The input as an io source, once the input and output options are known to be usable."""
    from smotekit._optional import import_optional

    try:
        import_optional("pyarrow", "io")
        if args.plot:
            import_optional("matplotlib", "report")
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    source = input_of(args)
    _check_outputs(args)
    if args.mark_synthetic and args.mark_synthetic in source.schema.names:
        raise UsageError(
            f"--mark-synthetic: the input already has a column '{args.mark_synthetic}'; "
            "choose a new name"
        )
    return source


def _run_regression(args: argparse.Namespace, started: float) -> int:
    """``--task regression``: the values read whole (:mod:`smotekit.cli._resample_regression`)."""
    from smotekit.cli._resample_regression import regression_job

    source = _open_checked(args)
    job, make_sampler = regression_job(args, source)
    return _write_outputs(args, source, job, make_sampler, started)


def _write_outputs(
    args: argparse.Namespace, source: Any, job: Any, make_sampler: Any, started: float
) -> int:
    """Run ``job`` into temporary outputs, moved into place together once all is written."""
    from smotekit.io import AtomicFile

    provenance = Path(args.provenance) if args.provenance else None
    files: dict[str, AtomicFile] = {}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for key, path in (("out", args.output), ("prov", provenance), ("plot", args.plot)):
                if path:
                    files[key] = AtomicFile(path)
            prov = files["prov"].path if provenance else None
            summary = job.execute(
                files["out"].path, Path(args.output), prov, provenance, make_sampler
            )
            if args.plot:
                _plot(args, files["plot"], job, summary, source.path, job.method)
            for output in files.values():
                output.flush()
            with final():  # all outputs appear together, and only if no stop signal came
                for output in files.values():
                    output.commit()
    finally:
        for output in files.values():
            output.discard()
    if not args.quiet:
        noise = (DeprecationWarning, PendingDeprecationWarning, FutureWarning, ImportWarning)
        for warning in caught:
            if issubclass(warning.category, noise):
                continue  # about library internals, not about this run's data
            message = " ".join(str(warning.message).split())
            print(f"smotekit resample: warning: {message}", file=sys.stderr)
        print(summary.line(args.output, time.perf_counter() - started), file=sys.stderr)
    return EXIT_OK


def _plot(
    args: argparse.Namespace, plot: Any, job: Any, summary: Any, input_path: Path, method: Method
) -> None:
    from smotekit.cli._plots import plot_resample
    from smotekit.io import named_os_error

    title = f"{input_path.name} -> {Path(args.output).name} ({method.name})"
    fmt = Path(args.plot).suffix.lower().lstrip(".")
    labels = sorted(summary.counts)
    try:
        plot_resample(plot.path, job.original_sample, job.synthetic_sample, labels, title, fmt)
    except OSError as exc:
        raise named_os_error(exc, args.plot) from exc

"""``smotekit evaluate``: does oversampling help on this data? Cross-validated, leak-free."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from smotekit.cli._errors import EXIT_OK, DataError, UsageError

__all__ = ["add_parser", "run"]

_MAX_SEED = 2**32 - 1


def _csv_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="cross-validate oversampling against its alternatives on one or many data sets",
        description=(
            "Repeated stratified k-fold cross-validation of no resampling, class weights, "
            "threshold moving, random oversampling and every SMOTE-family sampler, with "
            "logistic regression, k-nearest neighbours, a decision tree and gradient boosting. "
            "Scaling, resampling and the threshold are fitted on the training folds only. "
            "Over several data sets: mean ranks, Friedman and Nemenyi tests with "
            "critical-difference diagrams, and Holm-corrected Wilcoxon tests against the "
            "baselines. Each data set x strategy is saved in --out as soon as it is done; "
            "--resume continues a stopped run. Writes results.csv (one row per fit), "
            "summary.csv, the statistics, report.md, report.html and figures."
        ),
    )
    src = parser.add_argument_group("data (default: the tutorial notebook's training data)")
    src.add_argument(
        "--dataset",
        action="append",
        metavar="NAMES",
        help="shipped KEEL/KRNN data sets (needs smotekit[data]): a name, a comma list, a glob "
        "such as 'ecoli*', 'all', or 'tutorial'; 'list' lists them; may be repeated",
    )
    src.add_argument("--data", metavar="FILE", help="a .csv or .parquet file")
    src.add_argument("--target", metavar="COL", help="the binary target column of --data")
    parser.add_argument(
        "--classifiers",
        type=_csv_list,
        metavar="LIST",
        help="comma-separated subset of logreg,knn,tree,hgb (default: all)",
    )
    parser.add_argument(
        "--strategies",
        type=_csv_list,
        metavar="LIST",
        help="comma-separated strategy keys (default: all that apply), e.g. none,threshold,smote",
    )
    parser.add_argument(
        "--baselines",
        type=_csv_list,
        metavar="LIST",
        help="strategies every other is tested against (default: none,threshold)",
    )
    parser.add_argument("--folds", type=int, default=5, help="folds per repeat (default 5)")
    parser.add_argument("--repeats", type=int, default=2, help="repeats (default 2)")
    parser.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        help="worker processes, one data set x strategy at a time each; -1: every core (default 1)",
    )
    parser.add_argument(
        "--out", default="smotekit-evaluation", help="output folder (default ./smotekit-evaluation)"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue the run saved in --out (same options), computing only what is missing",
    )
    parser.add_argument(
        "--force", action="store_true", help="start again in an --out that is not empty"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="compute nothing: write the report of the run saved in --out (say, with other "
        "--baselines, or of an unfinished run)",
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    parser.set_defaults(handler=run)


def _list_datasets() -> int:
    from smotekit.evaluation import list_datasets

    try:
        table = list_datasets()
    except ImportError as exc:
        raise UsageError(str(exc)) from exc
    print(f"{'name':<34} {'rows':>6} {'cols':>5} {'minority':>8} {'ratio':>7}")
    for _, r in table.iterrows():
        print(
            f"{r['name']:<34} {r['n']:>6} {r['n_col']:>5} {r['n_minority']:>8} "
            f"{r['imbalance_ratio']:>7.1f}"
        )
    print("tutorial: the notebook's training data (5000 + 50 rows, 2 features)")
    return EXIT_OK


def _check_numbers(args: argparse.Namespace) -> None:
    if args.folds < 2:
        raise UsageError(f"--folds {args.folds}: at least 2 folds are needed.")
    if args.repeats < 1:
        raise UsageError(f"--repeats {args.repeats}: at least 1 repeat is needed.")
    # every split seeds its fits with random_state + its index
    top = _MAX_SEED - args.folds * args.repeats + 1
    if not 0 <= args.random_state <= top:
        raise UsageError(f"--random-state {args.random_state}: use an integer from 0 to {top}.")
    if args.n_jobs == 0:
        raise UsageError("--n-jobs 0: give a number of processes, or -1 for one per core.")


def _shipped_names(tokens: list[str]) -> list[str]:
    """Expand --dataset values: comma lists, 'all', globs and names, in order, once each."""
    import fnmatch

    from smotekit.evaluation import list_datasets
    from smotekit.evaluation._data import TUTORIAL, check_dataset_name

    parts = [p for token in tokens for p in _csv_list(token)]
    if not parts:
        raise UsageError("--dataset: give a data set name, a glob, 'all' or 'list'.")
    shipped: list[str] = []
    if any(p != TUTORIAL for p in parts):
        try:
            shipped = list(list_datasets()["name"])
        except ImportError as exc:
            raise UsageError(str(exc)) from exc
    names: list[str] = []
    for part in parts:
        if part == "all":
            names += shipped
        elif part == TUTORIAL:
            names.append(part)
        elif any(c in part for c in "*?["):
            matches = fnmatch.filter(shipped, part)
            if not matches:
                raise UsageError(
                    f"--dataset {part!r} matches no shipped data set; "
                    "`smotekit evaluate --dataset list` lists them."
                )
            names += matches
        else:
            try:
                check_dataset_name(part, shipped)
            except ValueError as exc:
                raise UsageError(f"--dataset: {exc}") from exc
            names.append(part)
    return list(dict.fromkeys(names))


def _sources(args: argparse.Namespace) -> list[Any]:
    from smotekit.evaluation._data import MissingTargetError, load_file
    from smotekit.evaluation._runs import Source

    if args.data is not None:
        if args.dataset:
            raise UsageError("give either --data FILE or --dataset NAME, not both.")
        if not args.target:
            raise UsageError("--data needs --target COL (the binary label column).")
        path = str(Path(args.data).resolve())
        try:
            dataset = load_file(path, args.target)
        except MissingTargetError as exc:
            raise UsageError(str(exc)) from exc
        except (OSError, ValueError) as exc:
            raise DataError(str(exc)) from exc
        return [Source(dataset.name, path, args.target)]
    if args.target:
        raise UsageError("--target is only used with --data FILE.")
    return [Source(name) for name in _shipped_names(args.dataset or ["tutorial"])]


def _strategies(args: argparse.Namespace, sources: list[Any]) -> list[str]:
    from smotekit.evaluation import available_strategies

    per_source = []
    for source in sources:
        if source.path is None:  # the shipped sets are numeric
            per_source.append([s.key for s in available_strategies(0)])
        else:
            data = source.load()
            per_source.append(
                [s.key for s in available_strategies(data.n_categorical, data.X.shape[1])]
            )
    if args.strategies is None:
        return list(dict.fromkeys(k for keys in per_source for k in keys))
    if not args.strategies:
        raise UsageError(
            f"--strategies {','.join(args.strategies)!r}: give at least one strategy, "
            f"e.g. none,threshold,smote; available: {', '.join(per_source[0])}."
        )
    for key in args.strategies:
        for source, keys in zip(sources, per_source, strict=True):
            if key not in keys:
                raise UsageError(
                    f"--strategies: {key!r} is not available for {source.name!r}; available: "
                    f"{', '.join(keys)} (SMOTE-NC needs categorical and numeric columns, "
                    "SMOTE-N only categorical ones)."
                )
    return list(dict.fromkeys(args.strategies))


def _baselines(args: argparse.Namespace, strategies: list[str]) -> list[str]:
    if args.baselines is None:
        return [b for b in ("none", "threshold") if b in strategies]
    for b in args.baselines:
        if b not in strategies:
            raise UsageError(
                f"--baselines: {b!r} is not among the strategies run ({', '.join(strategies)})."
            )
    return list(args.baselines)


def _config(args: argparse.Namespace) -> tuple[Any, list[str]]:
    from smotekit.evaluation import CLASSIFIERS
    from smotekit.evaluation._runs import RunConfig

    classifiers = args.classifiers if args.classifiers is not None else list(CLASSIFIERS)
    if not classifiers:
        raise UsageError("--classifiers: give at least one of " + ", ".join(CLASSIFIERS) + ".")
    for clf in classifiers:
        if clf not in CLASSIFIERS:
            raise UsageError(
                f"--classifiers: {clf!r} is unknown; choose from {', '.join(CLASSIFIERS)}."
            )
    sources = _sources(args)
    strategies = _strategies(args, sources)
    config = RunConfig(
        tuple(sources),
        tuple(dict.fromkeys(classifiers)),
        tuple(strategies),
        args.folds,
        args.repeats,
        args.random_state,
    )
    return config, _baselines(args, strategies)


def _report_lines(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "cross-validation": f"{record['folds']}-fold stratified, repeated {record['repeats']}"
        + (" times" if record["repeats"] > 1 else " time"),
        "random_state": record["random_state"],
        "classifiers": ", ".join(record["classifiers"]),
        "strategies": ", ".join(record["strategies"]),
        "versions": ", ".join(f"{k} {v}" for k, v in record["versions"].items()),
    }


def _write_report(args: argparse.Namespace, saved: Any, out: Path, baselines: list[str]) -> Path:
    from smotekit.evaluation import write_report

    if saved.table.empty:
        raise DataError(f"--out {out}: no data set x strategy has been computed yet.")
    notes = []
    if saved.missing:
        first = ", ".join(f"{d}/{s}" for d, s in saved.missing[:3])
        notes.append(
            f"**Incomplete run**: {len(saved.missing)} data set x strategy units are not "
            f"computed yet ({first}{', ...' if len(saved.missing) > 3 else ''}); data sets "
            "without every strategy count those as failed. Rerun the same command with "
            "`--resume` to complete it."
        )
    return write_report(
        saved.table,
        out,
        config=_report_lines(saved.record),
        figures=not args.no_figures,
        baselines=baselines,
        skipped=saved.skipped,
        notes=notes,
        random_state=saved.config.random_state,
    )


def _print_summary(table: Any, out: Path) -> None:
    from smotekit._optional import import_optional
    from smotekit.evaluation._report import reading

    pd = import_optional("pandas", "report")
    n_sets = table["dataset"].nunique()
    if n_sets == 1:
        ok = table[table["status"] == "ok"]
        means = ok.groupby(["classifier", "strategy"], sort=False)[
            ["roc_auc", "pr_auc", "balanced_accuracy", "brier"]
        ].mean()
        # the parts come strategy by strategy: show them classifier by classifier
        order = list(dict.fromkeys(table["classifier"]))
        means = means.sort_index(level=0, key=lambda c: c.map(order.index), sort_remaining=False)
        print("mean over folds:")
        print(f"{'classifier':<10} {'strategy':<18} {'ROC AUC':>8} {'PR AUC':>8} "
              f"{'bal acc':>8} {'Brier':>8}")  # fmt: skip
        for (clf, strat), r in means.iterrows():
            print(
                f"{clf:<10} {strat:<18} {r['roc_auc']:>8.3f} {r['pr_auc']:>8.3f} "
                f"{r['balanced_accuracy']:>8.3f} {r['brier']:>8.3f}"
            )
    else:
        ranks = pd.read_csv(out / "ranks.csv")
        pivot = ranks.pivot_table(
            index=["classifier", "strategy"], columns="metric", values="mean_rank", sort=False
        )
        failed = ranks.groupby(["classifier", "strategy"], sort=False)["failed"].max()
        metrics = ["roc_auc", "pr_auc", "balanced_accuracy", "brier"]
        print(f"mean rank over {n_sets} data sets (1 = best; failed: data sets with a failure):")
        print(f"{'classifier':<10} {'strategy':<18} {'ROC AUC':>8} {'PR AUC':>8} "
              f"{'bal acc':>8} {'Brier':>8} {'failed':>7}")  # fmt: skip
        for (clf, strat), r in pivot.iterrows():
            cells = " ".join(f"{r[m]:>8.2f}" for m in metrics)
            print(f"{clf:<10} {strat:<18} {cells} {failed[(clf, strat)]:>7}")
        versus = pd.read_csv(out / "versus.csv")
        for baseline in dict.fromkeys(versus["baseline"]):
            print(f"against {baseline} (Wilcoxon, Holm-corrected, alpha 0.05):")
            for line in reading(versus, baseline):
                print("  " + line.replace("`", "").replace("**", ""))
    failed_fits = int((table["status"] != "ok").sum())
    if failed_fits:
        print(f"{failed_fits} of {len(table)} fits failed (see the report and results.csv)")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _run_units(args: argparse.Namespace, config: Any, out: Path) -> Any:
    from smotekit.evaluation._runs import prepare_run, run_units, unusable

    skipped = unusable(config)
    for name, why in skipped.items():
        print(f"smotekit evaluate: skipped {name}: {why}", file=sys.stderr)
    if len(skipped) == len(config.datasets):
        raise DataError("no data set can be evaluated with these --folds (see above).")
    try:
        prepare_run(out, config, resume=args.resume, force=args.force, skipped=skipped)
    except (FileExistsError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write there ({exc.strerror}).") from exc
    units = len(config.units()) - len(skipped) * len(config.strategies)
    print(
        f"smotekit evaluate: {_count(len(config.datasets) - len(skipped), 'data set')} x "
        f"{len(config.strategies)} strategies = {units} units of "
        f"{config.fits_per_unit()} fits, {args.n_jobs} process(es), saved in {out}",
        file=sys.stderr,
    )
    try:
        outcome = run_units(
            out,
            config,
            skipped=set(skipped),
            n_jobs=args.n_jobs,
            log=lambda line: print(f"smotekit evaluate: {line}", file=sys.stderr),
        )
    except KeyboardInterrupt:
        print(
            f"smotekit evaluate: stopped; the finished units are kept in {out}: rerun the same "
            "command with --resume to continue.",
            file=sys.stderr,
        )
        raise
    if outcome.reused:
        print(f"smotekit evaluate: {outcome.reused} units reused from {out}", file=sys.stderr)
    return outcome


def run(args: argparse.Namespace) -> int:
    if args.dataset and "list" in [p for t in args.dataset for p in _csv_list(t)]:
        return _list_datasets()
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file: give a folder name.")
    from smotekit.evaluation._runs import load_run

    try:
        outcome = None
        if args.report_only:
            try:
                saved = load_run(out)
            except FileNotFoundError as exc:
                raise UsageError(str(exc)) from exc
            baselines = _baselines(args, list(saved.config.strategies))
        else:
            _check_numbers(args)
            config, baselines = _config(args)
            outcome = _run_units(args, config, out)
            saved = load_run(out)
        report = _write_report(args, saved, out, baselines)
    except OSError as exc:
        where = exc.filename or out
        raise DataError(f"{where}: {exc.strerror or exc}") from exc
    _print_summary(saved.table, out)
    print(f"report: {report} (and {report.with_suffix('.html').name})")
    print(f"per-fold results: {report.parent / 'results.csv'}")
    if outcome is not None and outcome.errors:
        raise DataError(
            f"{len(outcome.errors)} data set x strategy units stopped with an error (first: "
            f"{outcome.errors[0]}); the others are saved: rerun with --resume to retry them."
        )
    if (saved.table["status"] != "ok").all():
        first = saved.table["error"].iloc[0]
        raise DataError(f"every one of the {len(saved.table)} fits failed (first: {first}).")
    return EXIT_OK

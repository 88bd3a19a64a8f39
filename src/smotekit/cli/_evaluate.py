"""``smotekit evaluate``: does oversampling help on this data? Cross-validated, leak-free."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from smotekit.cli._errors import EXIT_OK, DataError, UsageError

__all__ = ["add_parser", "run"]


def _csv_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="cross-validate oversampling against its alternatives on a data set",
        description=(
            "Repeated stratified k-fold cross-validation of no resampling, class weights, "
            "threshold moving, random oversampling and every SMOTE-family sampler, with "
            "logistic regression, k-nearest neighbours, a decision tree and gradient boosting. "
            "Scaling, resampling and the threshold are fitted on the training folds only. "
            "Writes results.csv (one row per fit), summary.csv, report.md and figures."
        ),
    )
    src = parser.add_argument_group("data (default: the tutorial notebook's training data)")
    src.add_argument(
        "--dataset",
        action="append",
        metavar="NAME",
        help="'tutorial', a shipped KEEL/KRNN data set (needs smotekit[data]) or 'list' to "
        "list them; repeat for several",
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
    parser.add_argument("--folds", type=int, default=5, help="folds per repeat (default 5)")
    parser.add_argument("--repeats", type=int, default=2, help="repeats (default 2)")
    parser.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel fits (default 1)")
    parser.add_argument(
        "--out", default="smotekit-evaluation", help="output folder (default ./smotekit-evaluation)"
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


def _load(args: argparse.Namespace) -> list[Any]:
    from smotekit.evaluation import load_dataset, load_file

    if args.data is not None:
        if args.dataset:
            raise UsageError("give either --data FILE or --dataset NAME, not both.")
        if not args.target:
            raise UsageError("--data needs --target COL (the binary label column).")
        try:
            return [load_file(args.data, args.target)]
        except (OSError, ValueError) as exc:
            raise DataError(str(exc)) from exc
    if args.target:
        raise UsageError("--target is only used with --data FILE.")
    out = []
    for name in args.dataset or ["tutorial"]:
        try:
            out.append(load_dataset(name))
        except ImportError as exc:
            raise UsageError(str(exc)) from exc
        except ValueError as exc:
            raise UsageError(f"--dataset: {exc}") from exc
    return out


def _print_summary(table: Any) -> None:
    ok = table[table["status"] == "ok"]
    means = (
        ok.groupby(["dataset", "classifier", "strategy"], sort=False)[
            ["roc_auc", "pr_auc", "balanced_accuracy", "brier"]
        ]
        .mean()
        .groupby(["classifier", "strategy"], sort=False)
        .mean()
    )
    n_sets = table["dataset"].nunique()
    scope = "over folds" if n_sets == 1 else f"over folds, then over {n_sets} data sets"
    print(f"mean {scope}:")
    print(
        f"{'classifier':<10} {'strategy':<18} {'ROC AUC':>8} {'PR AUC':>8} {'bal acc':>8} "
        f"{'Brier':>8}"
    )
    for (clf, strat), r in means.iterrows():
        print(
            f"{clf:<10} {strat:<18} {r['roc_auc']:>8.3f} {r['pr_auc']:>8.3f} "
            f"{r['balanced_accuracy']:>8.3f} {r['brier']:>8.3f}"
        )
    failed = int((table["status"] != "ok").sum())
    if failed:
        print(f"{failed} of {len(table)} fits failed (see the report and results.csv)")


def run(args: argparse.Namespace) -> int:
    if args.dataset and "list" in args.dataset:
        return _list_datasets()
    if args.folds < 2:
        raise UsageError(f"--folds {args.folds}: at least 2 folds are needed.")
    if args.repeats < 1:
        raise UsageError(f"--repeats {args.repeats}: at least 1 repeat is needed.")
    from smotekit.evaluation import CLASSIFIERS, evaluate, write_report

    for clf in args.classifiers or []:
        if clf not in CLASSIFIERS:
            raise UsageError(
                f"--classifiers: {clf!r} is unknown; choose from {', '.join(CLASSIFIERS)}."
            )
    from smotekit._optional import import_optional

    pd = import_optional("pandas", "report")

    tables = []
    for dataset in _load(args):
        try:
            tables.append(
                evaluate(
                    dataset,
                    classifiers=args.classifiers,
                    strategies=args.strategies,
                    n_splits=args.folds,
                    n_repeats=args.repeats,
                    random_state=args.random_state,
                    n_jobs=args.n_jobs,
                )
            )
        except ValueError as exc:
            if args.strategies and "strategy" in str(exc):
                raise UsageError(f"--strategies: {exc}") from exc
            print(f"smotekit evaluate: skipped {dataset.name}: {exc}", file=sys.stderr)
    if not tables:
        raise DataError("no data set could be evaluated (see the messages above).")
    table = pd.concat(tables, ignore_index=True)
    config = {
        "cross-validation": f"{args.folds}-fold stratified x {args.repeats} repeats",
        "random_state": args.random_state,
        "classifiers": ", ".join(dict.fromkeys(table["classifier"])),
        "strategies": ", ".join(dict.fromkeys(table["strategy"])),
    }
    report = write_report(table, args.out, config=config, figures=not args.no_figures)
    _print_summary(table)
    print(f"report: {report}")
    print(f"per-fold results: {report.parent / 'results.csv'}")
    return EXIT_OK

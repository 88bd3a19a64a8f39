"""``smotekit tutorial``: run the seed notebook's experiment, print its table, save its figures."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from smotekit.cli._errors import EXIT_OK, UsageError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tutorial",
        help="run the SMOTE tutorial notebook's experiment",
        description=(
            "Train a logistic regression on the notebook's data (5000 majority, 50 minority "
            "points), add 3000 SMOTE samples of the minority with SMOTE(x2, 5, 0.5, 3000) and "
            "train again; print accuracy and the notebook's AUROC before and after on the "
            "training set and a balanced test set, and save results.csv and the figures."
        ),
    )
    parser.add_argument(
        "--out",
        default="smotekit-tutorial",
        metavar="DIR",
        help="output folder, created if needed (default ./smotekit-tutorial)",
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    parser.add_argument(
        "--no-answers",
        action="store_true",
        help="skip answers.md (scores vs hard labels, threshold moving, calibration, "
        "when SMOTE hurts; about 20 s)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from smotekit.tutorial import format_table, run_experiment, write_tutorial_outputs

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out '{out}' is a file: give a folder (it is created if needed).")
    result = run_experiment()
    print(format_table(result))
    try:
        written = write_tutorial_outputs(out, result, figures=not args.no_figures)
        # Further report sections take the same (out, result) pair and are called here,
        # each adding the paths it wrote to `written`.
        answers = None
        if not getattr(args, "no_answers", False):
            from smotekit.evaluation.answers import write_answers

            answers = write_answers(out, figures=not args.no_figures)
            assert answers.path is not None
            written += [answers.path, answers.path.with_suffix(".json"), *answers.figures]
    except ImportError as exc:
        raise UsageError(f"{exc} (or pass --no-figures)") from exc
    except OSError as exc:
        raise UsageError(f"--out '{out}' cannot be written: {exc}") from exc
    if answers is not None:
        from smotekit.evaluation.answers import summary_lines

        print()
        print("Answers (answers.md):")
        for line in summary_lines(answers.numbers):
            print(f"  {line}")
    print()
    print(f"Wrote {len(written)} files to {out}{'' if str(out).endswith('/') else '/'}:")
    for path in written:
        print(f"  {path.name}")
    return EXIT_OK

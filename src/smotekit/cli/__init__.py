"""The ``smotekit`` command line: one module per command, ``main(argv) -> int`` for tests.

Each command module exposes ``add_parser(subparsers)`` and ``run(args) -> int`` and keeps heavy
imports inside ``run`` so that ``smotekit --help`` answers at once. Errors are one line on stderr;
exit codes: 0 success, 1 bad data, 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from smotekit.cli._errors import EXIT_BAD_DATA, EXIT_BAD_USAGE, DataError, UsageError

__all__ = ["build_parser", "main", "run"]

# command -> module; the order is the order of `smotekit --help`.
COMMANDS = {
    "tutorial": "smotekit.cli._tutorial",
    "resample": "smotekit.cli._resample",
    "inspect": "smotekit.cli._inspect",
    "evaluate": "smotekit.cli._evaluate",
}


def build_parser() -> argparse.ArgumentParser:
    """The parser with every command registered."""
    from smotekit import __version__

    parser = argparse.ArgumentParser(
        prog="smotekit",
        description="SMOTE-family oversampling for imbalanced data.",
    )
    parser.add_argument("--version", action="version", version=f"smotekit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS.values():
        importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code (argparse usage errors exit with 2)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except UsageError as exc:
        print(f"smotekit {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_USAGE
    except DataError as exc:
        print(f"smotekit {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_DATA
    except KeyboardInterrupt:
        print(f"smotekit {args.command}: interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())

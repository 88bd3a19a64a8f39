"""The ``smotekit`` command line: one module per command, ``main(argv) -> int`` for tests.

Each command module exposes ``add_parser(subparsers)`` and ``run(args) -> int`` and keeps heavy
imports inside ``run`` so that ``smotekit --help`` answers at once. Errors are one line on stderr;
exit codes: 0 success, 1 bad data (or a failed write), 2 bad usage, 128 + N for stop signal N.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from smotekit.cli._errors import (
    EXIT_BAD_DATA,
    EXIT_BAD_USAGE,
    DataError,
    UsageError,
    os_error_message,
)
from smotekit.cli._signals import StopSignals, stop_signals

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
    """Run one command; returns the exit code (argparse usage errors exit with 2).

    Every failure is one line on stderr: usage errors exit with 2, everything else with 1, and a
    stop signal with 128 + its number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
    """
    with stop_signals() as signals:
        prog = "smotekit"
        try:
            args = build_parser().parse_args(argv)
            prog = f"smotekit {args.command}"
            code = int(args.handler(args))
        except SystemExit:
            raise
        except BaseException as exc:
            return _report(prog, exc, signals)
        if signals.received is not None:  # a signal whose exception a library swallowed
            return _report(prog, KeyboardInterrupt(), signals)
        return code


def _report(prog: str, exc: BaseException, signals: StopSignals) -> int:
    """Print the one-line message for ``exc``; returns the exit code."""
    if signals.received is not None or isinstance(exc, KeyboardInterrupt):
        print(f"{prog}: interrupted ({signals.name})", file=sys.stderr)
        return signals.exit_code
    if isinstance(exc, UsageError):
        code, message = EXIT_BAD_USAGE, str(exc)
    elif isinstance(exc, DataError):
        code, message = EXIT_BAD_DATA, str(exc)
    elif isinstance(exc, OSError):
        code, message = EXIT_BAD_DATA, os_error_message(exc)
    elif isinstance(exc, MemoryError):
        code, message = EXIT_BAD_DATA, "out of memory: use a smaller input or another method"
    elif isinstance(exc, Exception):
        text = " ".join(str(exc).split()) or "no message"
        code = EXIT_BAD_DATA
        message = (
            f"unexpected {type(exc).__name__}: {text} (this is a bug in smotekit; please "
            "report it with the command that caused it)"
        )
    else:
        raise exc
    print(f"{prog}: error: {message}", file=sys.stderr)
    return code


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())

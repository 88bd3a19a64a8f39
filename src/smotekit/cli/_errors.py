"""The two kinds of failure the command line reports, each with its exit code."""

from __future__ import annotations

__all__ = ["EXIT_BAD_DATA", "EXIT_BAD_USAGE", "EXIT_OK", "DataError", "UsageError"]

EXIT_OK = 0
EXIT_BAD_DATA = 1
EXIT_BAD_USAGE = 2


class DataError(Exception):
    """The input data cannot be used (exit code 1). The message names the file or column."""


class UsageError(Exception):
    """The command was called wrongly (exit code 2). The message names the option."""

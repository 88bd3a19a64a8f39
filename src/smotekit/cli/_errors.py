"""The two kinds of failure the command line reports, each with its exit code, and OS errors."""

from __future__ import annotations

import errno
import os

__all__ = [
    "EXIT_BAD_DATA",
    "EXIT_BAD_USAGE",
    "EXIT_OK",
    "DataError",
    "UsageError",
    "os_error_message",
]

EXIT_OK = 0
EXIT_BAD_DATA = 1
EXIT_BAD_USAGE = 2

# What to do about the errors a file system gives most often.
_ADVICE = {
    errno.ENOSPC: "free some space or write to another disk",
    errno.EDQUOT: "free some space (over the disk quota) or write to another disk",
    errno.EFBIG: "the file is larger than allowed here (ulimit -f): write to another disk",
    errno.EACCES: "no permission to write there: choose another folder",
    errno.EPERM: "the system does not allow writing there: choose another folder",
    errno.EROFS: "the disk is read-only: choose another folder",
}


class DataError(Exception):
    """The input data cannot be used (exit code 1). The message names the file or column."""


class UsageError(Exception):
    """The command was called wrongly (exit code 2). The message names the option."""


def os_error_message(exc: OSError) -> str:
    """One line for a failed file operation: the path, the reason and what to do.

    Examples
    --------
    >>> os_error_message(OSError(28, "No space left on device", "out.csv"))
    "cannot write 'out.csv': No space left on device: free some space or write to another disk"
    """
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    reason = " ".join(str(reason).split())
    advice = _ADVICE.get(exc.errno or 0)
    where = f"cannot write '{exc.filename}'" if exc.filename else "a file operation failed"
    return f"{where}: {reason}" + (f": {advice}" if advice else "")

"""Atomic output: write a temporary file beside the target, then rename it into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_output", "check_output_path"]


def check_output_path(output: str | Path, inputs: list[str | Path], force: bool) -> str | None:
    """Why ``output`` may not be written, or ``None`` when it may.

    An input is never overwritten, not even with ``force`` (a link or another spelling of the same
    path counts as the input); an existing output needs ``force``; its folder must exist.
    """
    out = Path(output)
    out_real = os.path.realpath(out)
    for item in inputs:
        same = os.path.realpath(item) == out_real
        if not same and out.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(item, out)
        if same:
            return (
                f"output '{output}' is the input file: choose another path "
                "(an input is never overwritten)"
            )
    if out.is_dir():
        return f"output '{output}' is a folder: give a file name, e.g. '{out / 'resampled.csv'}'"
    if out.exists() and not force:
        return f"output '{output}' exists: pass --force to replace it"
    if not out.parent.resolve().is_dir():
        return f"output folder '{out.parent}' does not exist: create it first"
    return None


def _default_mode(path: Path) -> int:
    """The permissions a plain ``open(path, 'w')`` would give (or the replaced file's)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; rename it to ``path`` on success.

    On any exception, ``KeyboardInterrupt`` included, the temporary file is removed and ``path`` is
    left as it was. The rename is atomic on POSIX and Windows (same folder, ``os.replace``); the
    data is flushed to disk first, so a crash right after cannot leave an empty file either.

    Examples
    --------
    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> with atomic_output(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> open(target).read()
    'done'
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _default_mode(target))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise

"""Atomic output: write a temporary file beside the target, then move it into place.

Where the filesystem allows (Linux, ``O_TMPFILE``), the temporary file has no name until it is
complete, so a run killed even with ``SIGKILL`` leaves nothing behind. Elsewhere it is a hidden
file named ``.NAME.smotekit-HOST-PID-START-RANDOM.tmp``: the host, process id and process start time
identify the run that wrote it, so the next run writing to the same folder removes the
temporaries of runs that no longer exist, and only those.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "AtomicFile",
    "atomic_output",
    "check_output_path",
    "named_os_error",
    "remove_stale_temporaries",
]

# Unnamed temporaries where the system has them; tests turn this off to exercise the fallback.
USE_UNNAMED = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")

_STALE = re.compile(r"^\..+\.smotekit-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-(?P<start>\d+)-.*\.tmp$")


def named_os_error(exc: OSError, name: str) -> OSError:
    """``exc`` as an ``OSError`` naming ``name``, with the errno pyarrow keeps in its message.

    Examples
    --------
    >>> error = OSError("Error writing bytes. Detail: [errno 28] No space left")
    >>> named = named_os_error(error, "o.csv")
    >>> named.errno, named.strerror, named.filename
    (28, 'No space left on device', 'o.csv')
    """
    code = exc.errno
    if code is None:
        found = re.search(r"\[errno (\d+)\]", str(exc))
        code = int(found.group(1)) if found else None
    reason = os.strerror(code) if code is not None else " ".join(str(exc).split())
    return OSError(code, reason or type(exc).__name__, name)


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def _start_time(pid: int) -> int:
    """When process ``pid`` started (clock ticks since boot), 0 where unknown; -1 if none."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            # The command name (field 2) may hold spaces; the fields after its ')' do not.
            fields = handle.read().rsplit(b")", 1)[1].split()
        return int(fields[19])
    except FileNotFoundError:
        return -1
    except (OSError, IndexError, ValueError):
        pass
    if os.name == "nt":
        return 0  # os.kill(pid, 0) would send Ctrl-C there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return -1
    except OSError:
        pass  # it exists but is not ours
    return 0


def _temporary_prefix(target: Path) -> str:
    pid = os.getpid()
    return f".{target.name}.smotekit-{_host()}-{pid}-{max(_start_time(pid), 0)}-"


def remove_stale_temporaries(folder: str | Path) -> list[Path]:
    """Remove the named temporaries that killed runs left in ``folder``; returns them.

    A temporary is stale when it was written on this host by a process that no longer runs (no
    process with its id, or one that started at another time). Others are left alone.
    """
    removed = []
    host = _host()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            found = _STALE.match(entry.name)
            if not found or found["host"] != host:
                continue
            pid, start = int(found["pid"]), int(found["start"])
            now = _start_time(pid)
            if now == -1 or (start and now and now != start):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _real_target(path: Path) -> Path:
    """The file a path writes to: a symbolic link is written through to what it points to."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _default_mode(path: Path) -> int:
    """The permissions a plain ``open(path, 'w')`` would give (or the replaced file's)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class AtomicFile:
    """One output written to a temporary file and moved into place by ``commit()``.

    ``path`` is where to write (``/proc/self/fd/N`` for an unnamed file); ``discard()``
    removes the temporary and leaves the target as it was. A target that is a symbolic link is
    written through: the file it points to is replaced and the link is kept.
    """

    def __init__(self, target: str | Path) -> None:
        self.name = Path(target)
        self._fd: int | None = None
        self._named: Path | None = None
        self._flushed = False
        try:
            self._create()
        except OSError as exc:
            raise named_os_error(exc, str(self.name)) from exc

    def _create(self) -> None:
        self.target = _real_target(self.name)
        folder = self.target.parent
        remove_stale_temporaries(folder)
        if USE_UNNAMED:
            try:
                self._fd = os.open(folder, os.O_TMPFILE | os.O_RDWR, 0o600)
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                    raise
        if self._fd is not None:
            self.path = Path(f"/proc/self/fd/{self._fd}")
        else:
            fd, name = tempfile.mkstemp(
                prefix=_temporary_prefix(self.target), suffix=".tmp", dir=folder
            )
            os.close(fd)
            self._named = self.path = Path(name)

    def flush(self) -> None:
        """Give the file its permissions and write its data to disk (done by commit too)."""
        try:
            mode = _default_mode(self.target)
            if self._fd is not None:
                os.fchmod(self._fd, mode)
                os.fsync(self._fd)
            elif self._named is not None:
                os.chmod(self._named, mode)
                with open(self._named, "rb") as handle:
                    os.fsync(handle.fileno())
        except OSError as exc:
            raise named_os_error(exc, str(self.name)) from exc
        self._flushed = True

    def commit(self) -> None:
        """Move the file into place, atomically (flushing it first if not done yet)."""
        if not self._flushed:
            self.flush()
        try:
            self._commit()
        except OSError as exc:
            raise named_os_error(exc, str(self.name)) from exc

    def _commit(self) -> None:
        if self._fd is not None:
            # Name it (a named temporary for the instant before the rename), then rename.
            fd, name = tempfile.mkstemp(
                prefix=_temporary_prefix(self.target), suffix=".tmp", dir=self.target.parent
            )
            os.close(fd)
            os.unlink(name)
            folder = os.open(self.target.parent, os.O_RDONLY)
            try:
                # A directory fd makes os.link call linkat(), which follows /proc's link.
                os.link(self.path, Path(name).name, dst_dir_fd=folder, follow_symlinks=True)
            except OSError:
                shutil.copyfile(self.path, name)  # a system that refuses the link: copy
            finally:
                os.close(folder)
            self._named = Path(name)
            os.close(self._fd)
            self._fd = None
        assert self._named is not None
        os.replace(self._named, self.target)
        self._named = None
        with contextlib.suppress(OSError):  # the rename itself, on disk
            folder = os.open(self.target.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)

    def discard(self) -> None:
        """Remove the temporary file; the target is left as it was."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        if self._named is not None:
            with contextlib.suppress(OSError):
                self._named.unlink()
            self._named = None


def check_output_path(output: str | Path, inputs: list[str | Path], force: bool) -> str | None:
    """Why ``output`` may not be written, or ``None`` when it may.

    An input is never overwritten, not even with ``force`` (a link or another spelling of the same
    path counts as the input); an existing output, or a symbolic link even to nothing, needs
    ``force`` (a link is then written through, see :class:`AtomicFile`); its folder must exist and
    be writable.
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
    if os.path.lexists(out) and not force:
        kind = "is a link" if out.is_symlink() else "exists"
        return f"output '{output}' {kind}: pass --force to replace it"
    folder = _real_target(out).parent
    if not folder.resolve().is_dir():
        where = f" (where the link '{output}' points)" if out.is_symlink() else ""
        return f"output folder '{folder}'{where} does not exist: create it first"
    if not os.access(folder, os.W_OK):
        return f"output folder '{folder}' is not writable: choose another folder"
    return None


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder; move it to ``path`` on success.

    On any exception, ``KeyboardInterrupt`` included, the temporary file is removed and ``path`` is
    left as it was. The move is atomic on POSIX and Windows (same folder, ``os.replace``); the
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
    output = AtomicFile(path)
    try:
        yield output.path
        output.commit()
    finally:
        output.discard()

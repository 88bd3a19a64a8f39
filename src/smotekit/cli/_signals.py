"""Signals end a run cleanly: SIGINT, SIGTERM and SIGHUP stop it with nothing written.

While a command runs, each of these signals is recorded and raised as ``KeyboardInterrupt``, so
the outputs' temporary files are removed on the way out. The record matters as much as the raise:
a library can swallow or convert the exception (a finaliser, a conversion in C code), so the exit
code comes from the record, and outputs are moved into place only inside :meth:`StopSignals.final`,
which checks it with the signals held back. ``SIGXFSZ`` (a file size limit) is ignored so that
the write fails with an error the command reports, instead of killing it.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["StopSignals", "final", "stop_signals"]

STOP = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_active: StopSignals | None = None


class StopSignals:
    """The stop signal received during a run, if any."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.done = False

    def handle(self, signum: int, frame: Any) -> None:
        if self.done:
            return  # the outputs are in place: the run is over
        if self.received is None:
            self.received = signum
        raise KeyboardInterrupt

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, as a shell reports a process ended by it."""
        return 128 + int(self.received or signal.SIGINT)

    @property
    def name(self) -> str:
        return signal.Signals(self.received or signal.SIGINT).name

    @contextlib.contextmanager
    def final(self) -> Iterator[None]:
        """The last step of a run, safe from signals: raises if one came, else runs to the end."""
        block = hasattr(signal, "pthread_sigmask") and _in_main_thread()
        if block:
            signal.pthread_sigmask(signal.SIG_BLOCK, STOP)
        try:
            if self.received is not None:
                raise KeyboardInterrupt
            yield
            self.done = True
        finally:
            if block:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def stop_signals() -> Iterator[StopSignals]:
    """Handle the stop signals for the duration of a command (in the main thread only)."""
    global _active
    guard = StopSignals()
    previous: dict[int, Any] = {}
    if _in_main_thread():
        for sig in STOP:
            previous[sig] = signal.signal(sig, guard.handle)
        if hasattr(signal, "SIGXFSZ"):
            previous[signal.SIGXFSZ] = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    outer, _active = _active, guard
    try:
        yield guard
    finally:
        _active = outer
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def final() -> contextlib.AbstractContextManager[None]:
    """The running command's :meth:`StopSignals.final`, or nothing outside a command."""
    return _active.final() if _active is not None else contextlib.nullcontext()

"""Blocks of array work on a few threads (NumPy, SciPy and faiss release the GIL inside them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

__all__ = ["run_blocks"]


def run_blocks(run: Callable[[int], object], starts: Sequence[int], workers: int) -> None:
    """Call ``run(start)`` for every block start, on up to ``workers`` threads.

    With one worker or one block the calls run in order on the calling thread.

    Examples
    --------
    >>> out = [0] * 4
    >>> def square(i):
    ...     out[i] = i * i
    >>> run_blocks(square, range(4), workers=2)
    >>> out
    [0, 1, 4, 9]
    """
    workers = min(workers, len(starts))
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, starts))
    else:
        for start in starts:
            run(start)

"""How many threads smotekit may start, and blocks of array work on that many threads.

One function, :func:`worker_count`, decides the thread count of every parallel stage (the exact
neighbour search, the re-rank, generation), so that smotekit honours what its caller allows: an
explicit ``n_jobs``, joblib's ``parallel_config(n_jobs=...)``, threadpoolctl limits (loky sets them
in each worker of a process pool, as ``OMP_NUM_THREADS`` and friends), and the CPUs the process
may run on (``taskset``, container CPU sets). Without that, threads multiply: a grid search on
``n_jobs`` processes each starting one thread per core.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["available_cpus", "run_blocks", "threadpool_controller", "worker_count"]

# Environment variables through which a caller (or loky, in each worker of a process pool)
# caps the threads of native libraries.
_THREAD_LIMIT_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
)


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not every platform has an affinity mask
        return max(1, os.cpu_count() or 1)


def _environment_limit() -> int | None:
    limits = []
    for name in _THREAD_LIMIT_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            limits.append(int(value))
    return min(limits) if limits else None


# threadpoolctl's controller and the number of imported modules when it was made.
_controller: tuple[int, Any] | None = None


def threadpool_controller() -> Any:
    """threadpoolctl's controller of the native thread pools loaded in this process.

    Finding the pools scans every shared library the process has loaded, a few milliseconds:
    as long as a whole neighbour search of a small class. New pools arrive only with a newly
    imported extension module, so the controller is made again only when ``sys.modules`` has
    grown; the thread counts it reports are read from the libraries at each call.

    Examples
    --------
    >>> threadpool_controller() is threadpool_controller()
    True
    """
    global _controller
    modules = len(sys.modules)
    if _controller is None or _controller[0] != modules:
        from threadpoolctl import ThreadpoolController

        _controller = (modules, ThreadpoolController())
    return _controller[1]


def _threadpool_limit() -> int | None:
    """The smallest thread count of the loaded BLAS and OpenMP pools (threadpoolctl limits)."""
    pools = threadpool_controller().info()
    counts = [int(info["num_threads"]) for info in pools if info.get("num_threads")]
    return min(counts) if counts else None


def _joblib_n_jobs() -> int | None:
    """``n_jobs`` set by an enclosing ``joblib.parallel_config`` (None when none is set)."""
    from joblib.parallel import get_active_backend

    return get_active_backend()[1]


def worker_count(n_jobs: int | None = None) -> int:
    """Threads a parallel stage may use.

    ``n_jobs`` as in scikit-learn: a positive count, or ``-1`` for every available CPU (``-2``
    all but one, ...). ``None`` takes joblib's ``parallel_config(n_jobs=...)`` if one is active,
    else every available CPU. The result never exceeds the CPUs of the affinity mask, nor the
    thread limits set through threadpoolctl or the environment (``OMP_NUM_THREADS``, ...).

    Examples
    --------
    >>> worker_count(1)
    1
    >>> 1 <= worker_count() <= available_cpus()
    True
    """
    cpus = available_cpus()
    if n_jobs is None:
        n_jobs = _joblib_n_jobs()
    if n_jobs is None or n_jobs == 0:
        wanted = cpus
    elif n_jobs < 0:
        wanted = max(1, cpus + 1 + int(n_jobs))
    else:
        wanted = int(n_jobs)
    limits = [cpus, wanted]
    for limit in (_environment_limit(), _threadpool_limit()):
        if limit is not None:
            limits.append(limit)
    return max(1, min(limits))


# One pool of threads per worker count, kept between calls: starting threads for every block
# loop cost milliseconds on a busy machine, as much as a small search. A fork leaves the pools'
# threads behind, so the child starts with none.
_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()
_worker = threading.local()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_pools.clear)


def _mark_worker() -> None:
    _worker.busy = True


def _pool(workers: int) -> ThreadPoolExecutor:
    with _pools_lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _pools[workers] = ThreadPoolExecutor(
                workers, thread_name_prefix="smotekit", initializer=_mark_worker
            )
        return pool


def run_blocks(run: Callable[[int], object], starts: Sequence[int], workers: int) -> None:
    """Call ``run(start)`` for every block start, on up to ``workers`` threads.

    With one worker or one block, or when called from one of these threads (a block loop
    inside a block), the calls run in order on the calling thread.

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
    if workers > 1 and not getattr(_worker, "busy", False):
        list(_pool(workers).map(run, starts))
    else:
        for start in starts:
            run(start)

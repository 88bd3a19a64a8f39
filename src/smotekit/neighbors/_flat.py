"""faiss's float32 flat scan as the shortlist of the exact brute-force method, proved per row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["SHORTLIST_MARGIN", "FlatShortlist", "faiss_threads"]

# Extra candidates kept by a float32 or BLAS shortlist so that its rounding cannot push a true
# neighbour out; the float64 re-rank then decides the order.
SHORTLIST_MARGIN = 4

Rerank = Callable[[NDArray, NDArray[np.intp], int, int], tuple[NDArray, NDArray]]
Fallback = Callable[[NDArray, int, int], tuple[NDArray, NDArray]]


@contextmanager
def faiss_threads(workers: int) -> Iterator[None]:
    """Run faiss's OpenMP loops on ``workers`` threads, restoring its setting afterwards."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(workers)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


class FlatShortlist:
    """faiss's float32 flat scan as the shortlist of the brute method, proved exact per row.

    faiss fuses the matrix product with its top-k heap, which makes it ~2x faster than BLAS
    plus ``argpartition``. Its float32 scores may reorder near-ties, so each row's shortlist
    of ``k + SHORTLIST_MARGIN`` is re-ranked in float64 and then checked: with ``e`` a bound on
    the float32 error, every row left out of the shortlist is at least ``last - e`` away
    (``last`` = the shortlist's largest float32 score), so where the exact k-th distance is below
    ``last - e`` nothing outside can be among the ``k`` nearest. Rows that fail the check (ties
    at the boundary, duplicates) are searched again by the float64 method. Used only when faiss
    (extra "approx") is installed.

    The rows are centred (which shrinks the norms the float32 error scales with) and scaled by a
    power of two to unit size, so any finite float64 data fits float32's range.
    """

    def __init__(self, X: NDArray) -> None:
        self.center = X.mean(axis=0, dtype=np.float64)
        shifted = X - self.center
        largest = float(np.max(np.abs(shifted), initial=0.0))
        self.scale = 2.0 ** -int(np.frexp(largest)[1]) if largest > 0 else 1.0
        shifted *= self.scale
        data32 = np.ascontiguousarray(shifted, dtype=np.float32)
        del shifted
        self.max_sq_norm = float(np.einsum("ij,ij->i", data32, data32, dtype=np.float64).max())
        self.index = self._make_index(data32)

    @staticmethod
    def _make_index(data32: NDArray[np.float32]) -> Any:
        import faiss

        index = faiss.IndexFlatL2(data32.shape[1])
        index.add(data32)
        return index

    @classmethod
    def build(cls, X: NDArray) -> FlatShortlist | None:
        """The shortlist for the rows of ``X``, or None when faiss is not installed."""
        import importlib.util

        if importlib.util.find_spec("faiss") is None:
            return None
        return cls(X)

    # faiss's index is a SWIG object: a pickle keeps its rows and rebuilds it on loading.
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        index = state.pop("index")
        state["data32"] = index.reconstruct_n(0, index.ntotal)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        data32 = state.pop("data32")
        self.__dict__.update(state)
        self.index = self._make_index(data32)

    def search(
        self, queries: NDArray, k: int, rerank: Rerank, fallback: Fallback, workers: int
    ) -> tuple[NDArray, NDArray]:
        n_fit, d = self.index.ntotal, self.index.d
        k_cand = min(k + SHORTLIST_MARGIN, n_fit)
        q32 = np.ascontiguousarray((queries - self.center) * self.scale, dtype=np.float32)
        with faiss_threads(workers):
            approx, cand = self.index.search(q32, k_cand)
        dist, ind = rerank(queries, cand.astype(np.intp), k, workers)
        if k_cand == n_fit:
            return dist, ind
        # float32 rounding of the inputs, the norms and the length-d product (||x||^2 + ||q||^2
        # - 2 q.x), bounded generously: 8 (d + 4) u (||q||^2 + max ||x||^2), u = 2^-24.
        q_sq = np.einsum("ij,ij->i", q32, q32, dtype=np.float64)
        err = 8.0 * (d + 4) * 2.0**-24 * (q_sq + self.max_sq_norm)
        exact_kth = (dist[:, -1] * self.scale) ** 2
        unsure = np.flatnonzero(~(exact_kth + err < approx[:, -1].astype(np.float64)))
        if unsure.size:
            dist[unsure], ind[unsure] = fallback(queries[unsure], k, workers)
        return dist, ind

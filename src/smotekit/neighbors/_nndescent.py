"""The nearest-neighbour-descent backend of :class:`~smotekit.neighbors.ApproximateNeighbors`.

pynndescent builds the k-nearest-neighbour graph of the indexed rows directly (random-projection
trees, then rounds of "a neighbour of a neighbour is likely a neighbour"). A sampler asks for
exactly that graph (each row's nearest other rows), so a self-query is read from it with no
search at all; only queries of other rows go through pynndescent's graph search. Measured on
1,000,000 x 20 rows, building the graph takes a fraction of the time faiss's HNSW index takes to
build and then be searched by every row (docs/benchmarks.md), but numba compiles its loops
once per process (~10-20 s), which is why ``method="auto"`` keeps HNSW for smaller data.
"""

from __future__ import annotations

import importlib.util

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional

__all__ = ["NNDESCENT_MIN_ROWS", "NNDescentGraph", "nndescent_available"]

# From this many indexed rows ``method="auto"`` builds the graph by nearest-neighbour descent:
# below it the one-off numba compilation costs more than faiss's whole HNSW build and search.
NNDESCENT_MIN_ROWS = 200_000


def nndescent_available() -> bool:
    """Whether pynndescent is installed (looked up without importing it: numba loads slowly)."""
    return importlib.util.find_spec("pynndescent") is not None


class NNDescentGraph:
    """pynndescent's index of float32 rows and its k-nearest-neighbour graph.

    Parameters
    ----------
    data : ndarray of float32, shape (n, d)
        The indexed rows (C-contiguous).
    degree : int
        Graph neighbours per row, the row itself included: the recall knob (pynndescent's
        ``n_neighbors``); at least the neighbours that will be asked for.
    workers : int
        numba threads for the build.
    seed : int
        Seed of the random projections and of the descent.
    """

    def __init__(self, data: NDArray[np.float32], degree: int, workers: int, seed: int) -> None:
        pynndescent = import_optional("pynndescent", "approx")
        self.degree = min(degree, data.shape[0])
        self.index = pynndescent.NNDescent(
            data,
            metric="euclidean",
            n_neighbors=self.degree,
            random_state=seed,
            n_jobs=workers,
            verbose=False,
        )
        # Column 0 is the row itself at distance 0 (pynndescent's convention), then its
        # nearest other rows (exact duplicates among them, at distance 0 too).
        indices, distances = self.index.neighbor_graph
        self.indices = np.asarray(indices, dtype=np.intp)
        self.distances = np.asarray(distances, dtype=np.float64)

    def self_query(self, k: int) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        """Each indexed row with its ``k - 1`` nearest other rows: what querying it returns.

        Rows whose graph list is short (-1 padding, only on tiny or degenerate data) come back
        with -1 entries, for the caller to answer another way.
        """
        return self.distances[:, :k], self.indices[:, :k]

    def search(
        self, queries: NDArray[np.float32], k: int, workers: int
    ) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
        """Approximate ``k`` nearest indexed rows of rows that are not (known to be) indexed."""
        numba = import_optional("numba", "approx")
        before = numba.get_num_threads()
        numba.set_num_threads(workers)
        try:
            ind, dist = self.index.query(queries, k=k)
        finally:
            numba.set_num_threads(before)
        return np.asarray(dist, dtype=np.float64), np.asarray(ind, dtype=np.intp)

"""One neighbour-search layer for every sampler, the functional API, the CLI and Dask.

Every backend is shaped like :class:`sklearn.neighbors.NearestNeighbors` (``fit``, ``kneighbors``,
``kneighbors_graph``), so it also plugs into ``k_neighbors=`` of imbalanced-learn's samplers.
"""

from smotekit.neighbors._approximate import ApproximateNeighbors
from smotekit.neighbors._base import (
    KNeighborsLike,
    drop_self,
    neighbors_graph_to_csr,
    self_entries,
    within_class_neighbors,
)
from smotekit.neighbors._exact import ExactNeighbors, choose_method, predicted_seconds

__all__ = [
    "ApproximateNeighbors",
    "ExactNeighbors",
    "KNeighborsLike",
    "choose_method",
    "drop_self",
    "neighbors_graph_to_csr",
    "predicted_seconds",
    "self_entries",
    "within_class_neighbors",
]

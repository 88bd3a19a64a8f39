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
from smotekit.neighbors._choice import (
    ProbeTimes,
    choose_method,
    estimates_from_probe,
    pick_method,
    predicted_seconds,
)
from smotekit.neighbors._exact import ExactNeighbors

__all__ = [
    "ApproximateNeighbors",
    "ExactNeighbors",
    "KNeighborsLike",
    "ProbeTimes",
    "choose_method",
    "drop_self",
    "estimates_from_probe",
    "neighbors_graph_to_csr",
    "pick_method",
    "predicted_seconds",
    "self_entries",
    "within_class_neighbors",
]

"""imbalanced-learn's cleaning samplers, on smotekit's neighbour search: the same rows, faster.

:class:`EditedNearestNeighbours` and :class:`TomekLinks` are drop-ins for imbalanced-learn's
classes of the same names; ``smotekit.SMOTEENN`` and ``smotekit.SMOTETomek`` clean with them.
"""

from smotekit.under_sampling._edited import EditedNearestNeighbours
from smotekit.under_sampling._tomek import TomekLinks

__all__ = ["EditedNearestNeighbours", "TomekLinks"]

"""imbalanced-learn-compatible oversamplers built on the shared kernel and neighbour layer."""

from smotekit.over_sampling._smote import SMOTE

__all__ = ["SMOTE"]

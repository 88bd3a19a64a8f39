"""smotekit: SMOTE-family oversampling, identical to imbalanced-learn, faster, at any scale.

Public names are loaded on first use, so ``import smotekit`` stays fast and imports no optional
dependency (nor scikit-learn) until a sampler is touched.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from smotekit._registry import exported as _exported_samplers

#: The installed version (the one place it is defined; the package metadata reads it).
__version__ = "0.1.0"

# public name -> module that defines it: the samplers (from the registry), then the rest
_LAZY = {
    **_exported_samplers(),
    "smote": "smotekit._functional",
    "ExactNeighbors": "smotekit.neighbors",
    "ApproximateNeighbors": "smotekit.neighbors",
    "SmotekitWarning": "smotekit.exceptions",
}

__all__ = ["__version__", *sorted(_LAZY)]

if TYPE_CHECKING:
    from smotekit._functional import smote as smote
    from smotekit.combine import SMOTEENN as SMOTEENN
    from smotekit.combine import SMOTETomek as SMOTETomek
    from smotekit.exceptions import SmotekitWarning as SmotekitWarning
    from smotekit.neighbors import ApproximateNeighbors as ApproximateNeighbors
    from smotekit.neighbors import ExactNeighbors as ExactNeighbors
    from smotekit.over_sampling import ADASYN as ADASYN
    from smotekit.over_sampling import SMOTE as SMOTE
    from smotekit.over_sampling import SMOTEN as SMOTEN
    from smotekit.over_sampling import SMOTENC as SMOTENC
    from smotekit.over_sampling import SVMSMOTE as SVMSMOTE
    from smotekit.over_sampling import BorderlineSMOTE as BorderlineSMOTE
    from smotekit.over_sampling import KMeansSMOTE as KMeansSMOTE
    from smotekit.over_sampling import PolynomFitSMOTE as PolynomFitSMOTE
    from smotekit.over_sampling import ProWSyn as ProWSyn
    from smotekit.under_sampling import EditedNearestNeighbours as EditedNearestNeighbours
    from smotekit.under_sampling import TomekLinks as TomekLinks


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'smotekit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

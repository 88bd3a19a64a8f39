"""The warnings smotekit emits, all subclasses of :class:`SmotekitWarning`.

Every warning smotekit emits is attributed to the line of your program that called smotekit, so
``warnings.filterwarnings(module=...)`` does not select them; filter them by category instead,
all of them with ``category=SmotekitWarning`` or one kind, e.g.
``category=NoSyntheticSamplesWarning``:

>>> import warnings
>>> import numpy as np
>>> from smotekit import BorderlineSMOTE
>>> from smotekit.exceptions import SmotekitWarning
>>> X = np.r_[np.zeros((20, 1)), np.ones((12, 1))]  # two well-separated classes
>>> y = np.r_[np.zeros(20, int), np.ones(12, int)]
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", category=SmotekitWarning)
...     X_res, y_res = BorderlineSMOTE(k_neighbors=3).fit_resample(X, y)  # nothing in danger
>>> len(y_res)
32
"""

from __future__ import annotations

from sklearn.exceptions import DataConversionWarning

__all__ = [
    "FallbackWarning",
    "LowRecallWarning",
    "NoSyntheticSamplesWarning",
    "SmotekitWarning",
    "SparseConversionWarning",
]


class SmotekitWarning(UserWarning):
    """Base class of every warning smotekit emits."""


class NoSyntheticSamplesWarning(SmotekitWarning):
    """A class got none of the synthetic samples requested for it (BorderlineSMOTE: no sample
    of the class is in danger)."""


class FallbackWarning(SmotekitWarning):
    """The data did not allow the method as defined, so a documented fallback was used
    (ProWSyn: every proximity level has a single row, so the class is used as one level)."""


class LowRecallWarning(SmotekitWarning):
    """An approximate neighbour search found fewer of the true neighbours than asked for
    (:class:`smotekit.neighbors.ApproximateNeighbors`)."""


class SparseConversionWarning(SmotekitWarning, DataConversionWarning):
    """A sparse input was converted to a dense array (SMOTEN); also a scikit-learn
    ``DataConversionWarning``, as imbalanced-learn emits there."""

"""smotekit's warnings (subclasses of :class:`~smotekit.exceptions.SmotekitWarning`) and errors.

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
    "ClassTooSmallError",
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


class ClassTooSmallError(ValueError):
    """A class to grow, or the whole data set, has too few rows for what the sampler asks.

    A ``ValueError`` whose message names the Python parameter (``k_neighbors=5``) and the fix.
    Its attributes let other front ends say the same with their own option names (the command
    line says ``--k-neighbors``).

    Parameters
    ----------
    message : str
        The message, in the Python API's words.
    label : object, default=None
        The class; ``None`` where the whole data set is searched.
    n_rows : int, default=0
        The rows the class (or the data set) has.
    needed : int, default=0
        The rows it needs: the asking row and ``needed - 1`` others.
    param : str or None, default=None
        The parameter that asks for them (``"k_neighbors"``); ``None`` where the method itself
        needs them (ProWSyn interpolates between two rows of a class).
    value : object, default=None
        That parameter as given: an int or an estimator.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTE
    >>> from smotekit.exceptions import ClassTooSmallError
    >>> X, y = np.arange(20.0).reshape(10, 2), np.r_[np.zeros(7, int), np.ones(3, int)]
    >>> try:
    ...     SMOTE().fit_resample(X, y)
    ... except ClassTooSmallError as error:
    ...     print(error.label, error.n_rows, error.needed, error.param)
    1 3 6 k_neighbors
    """

    def __init__(
        self,
        message: str,
        *,
        label: object = None,
        n_rows: int = 0,
        needed: int = 0,
        param: str | None = None,
        value: object = None,
    ) -> None:
        super().__init__(message)
        self.label = label
        self.n_rows = n_rows
        self.needed = needed
        self.param = param
        self.value = value

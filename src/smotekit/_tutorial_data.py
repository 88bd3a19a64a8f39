"""The seed notebook's data: two Gaussian classes drawn exactly as the notebook draws them.

Shared by :mod:`smotekit.tutorial` (the notebook's experiment) and :mod:`smotekit.evaluation`
(the tutorial's answers and the ``"tutorial"`` data set), which must not import each other.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = ["TutorialData", "draw_data", "make_data"]

# The notebook's recipe: majority N(mu1, sigma1), minority N(mu2, sigma2).
MU_MAJORITY = [3, 2]
MU_MINORITY = [0, 3]
SIGMA_MAJORITY = [[1, 0], [0, 1]]
SIGMA_MINORITY = [[0.2, 0], [0, 0.2]]
N_MAJORITY = 5000
N_MINORITY = 50
N_TEST_PER_CLASS = 1000


class TutorialData(NamedTuple):
    """The notebook's data, in its orientation: one sample per column, majority ``1``, minority
    ``-1``."""

    x1: NDArray[np.float64]
    """Majority training samples, shape (2, 5000)."""
    x2: NDArray[np.float64]
    """Minority training samples, shape (2, 50)."""
    X_train: NDArray[np.float64]
    """``np.hstack([x1, x2])``, shape (2, 5050)."""
    y_train: NDArray[np.float64]
    """5000 ones then 50 minus ones."""
    X_test: NDArray[np.float64]
    """1000 majority then 1000 minority samples, shape (2, 2000)."""
    y_test: NDArray[np.float64]
    """1000 ones then 1000 minus ones."""


def draw_data(rng: np.random.RandomState) -> TutorialData:
    """The notebook's four draws from ``rng``, in the notebook's order."""
    x1 = rng.multivariate_normal(MU_MAJORITY, SIGMA_MAJORITY, size=N_MAJORITY).T
    x2 = rng.multivariate_normal(MU_MINORITY, SIGMA_MINORITY, size=N_MINORITY).T
    xt1 = rng.multivariate_normal(MU_MAJORITY, SIGMA_MAJORITY, size=N_TEST_PER_CLASS).T
    xt2 = rng.multivariate_normal(MU_MINORITY, SIGMA_MINORITY, size=N_TEST_PER_CLASS).T
    return TutorialData(
        x1=x1,
        x2=x2,
        X_train=np.hstack([x1, x2]),
        y_train=np.hstack([np.ones(N_MAJORITY), -1 * np.ones(N_MINORITY)]),
        X_test=np.hstack([xt1, xt2]),
        y_test=np.hstack([np.ones(N_TEST_PER_CLASS), -1 * np.ones(N_TEST_PER_CLASS)]),
    )


def make_data(random_state: int | np.random.RandomState | None = 1) -> TutorialData:
    """The notebook's training and test data, drawn exactly as the notebook draws them.

    Parameters
    ----------
    random_state : int, RandomState or None, default=1
        An int seeds a private ``RandomState``, which yields the numbers ``np.random.seed(int)``
        followed by the notebook's calls would, without touching NumPy's global state; a
        ``RandomState`` is drawn from (and advanced); ``None`` draws from the global state.

    Returns
    -------
    TutorialData
        ``x1, x2, X_train, y_train, X_test, y_test`` with one sample per column.

    Examples
    --------
    >>> from smotekit.tutorial import make_data
    >>> data = make_data()
    >>> data.X_train.shape, data.X_test.shape, int((data.y_train == -1).sum())
    ((2, 5050), (2, 2000), 50)
    """
    from sklearn.utils import check_random_state

    return draw_data(check_random_state(random_state))

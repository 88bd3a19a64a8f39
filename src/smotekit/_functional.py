"""``smotekit.smote``: SMOTE as one validated function call over the shared kernel."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._frames import frame_as_numeric
from smotekit._kernels import draw_smote, interpolate
from smotekit._validation import (
    check_finite,
    check_fraction,
    check_non_negative_int,
    check_numeric_2d,
)

__all__ = ["smote"]


def smote(
    X: Any,
    k: int = 5,
    a: float = 1.0,
    num_samples: int | None = None,
    random_state: int | np.random.RandomState | None = None,
) -> NDArray[np.floating]:
    """Generate synthetic samples from ``X`` alone (one class), as SMOTE does.

    Each synthetic row is ``x + lam * (x_nn - x)`` where ``x`` is a row of ``X`` drawn uniformly,
    ``x_nn`` is one of its ``k`` nearest neighbours in ``X`` (the row itself excluded by index,
    so duplicate rows never make a row its own neighbour) drawn uniformly, and
    ``lam ~ Uniform(0, a)``. With ``a = 1`` this is the original SMOTE of Chawla et al. (2002);
    a smaller ``a`` keeps synthetic rows closer to the row they grow from.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
        Samples of the class to grow; at least ``k + 1`` rows, finite, numeric, dense.
    k : int, default=5
        Nearest neighbours to choose the partner from.
    a : float in (0, 1], default=1.0
        Upper bound of the interpolation fraction.
    num_samples : int, default=None
        Synthetic rows to make; ``None`` makes ``n_samples`` (doubles the class).
    random_state : int, RandomState or None, default=None
        ``None`` uses NumPy's global random state (so ``np.random.seed`` makes runs repeatable).
        The draws are those of ``imblearn.over_sampling.SMOTE`` for the same state.

    Returns
    -------
    ndarray of shape (num_samples, n_features)
        The synthetic rows (float64 for integer or boolean input, else ``X``'s dtype). ``X`` is
        not modified.

    See Also
    --------
    smotekit.SMOTE : The imbalanced-learn-compatible sampler with the same kernel.
    smotekit.tutorial.SMOTE : The seed notebook's orientation, (n_features, n_samples).

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import smote
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> new = smote(X, k=2, num_samples=5, random_state=0)
    >>> new.shape
    (5, 2)
    >>> bool(((new >= 0) & (new <= 1)).all())
    True
    """
    from sklearn.utils import check_random_state

    from smotekit.neighbors import ExactNeighbors, within_class_neighbors

    if hasattr(X, "format") and hasattr(X, "toarray"):
        raise TypeError(
            f"X is a sparse matrix ({type(X).__name__}), but smotekit.smote takes a dense array: "
            "pass X.toarray(), or use smotekit.SMOTE, which takes sparse input."
        )
    X, columns = frame_as_numeric(X, "smotekit.smote")
    X = check_numeric_2d(X, "X")
    check_finite(X, "X", columns=None if columns is None else columns.names)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k={k!r} must be a positive integer (the number of neighbours).")
    a = check_fraction(a, "a")
    n = X.shape[0] if num_samples is None else check_non_negative_int(num_samples, "num_samples")
    if X.shape[0] < k + 1:
        fix = f"lower k to at most {X.shape[0] - 1}" if X.shape[0] >= 2 else "give more rows"
        raise ValueError(
            f"X has {X.shape[0]} row{'s' if X.shape[0] != 1 else ''}, but k={k} needs at least "
            f"{k + 1} (each row and {k} neighbours): {fix}."
        )
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    graph = within_class_neighbors(ExactNeighbors(n_neighbors=int(k) + 1), X, int(k))
    plan = draw_smote(check_random_state(random_state), graph, n, step=a)
    return interpolate(X, plan, np.empty((n, X.shape[1]), dtype=X.dtype))

"""The relevance function phi of imbalanced regression (Ribeiro 2011), as R's UBL defines it.

phi maps each target value to [0, 1]: 0 for common values, 1 for the rare, important ones. It is
a piecewise cubic Hermite curve through a few control points ``(y value, phi, slope)``: either
derived from the box plot of ``y`` (the extreme values beyond the whiskers are the rare ones) or
given by the user. Only NumPy is used here, so the function is cheap to import and to call.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BoxPlotStats",
    "RelevanceControlPoints",
    "box_plot_stats",
    "relevance",
    "relevance_control_points",
]

EXTREMES = ("both", "high", "low")


class BoxPlotStats(NamedTuple):
    """R's ``boxplot.stats``: Tukey's hinges (``fivenum``), the whisker ends and the outliers."""

    lower_whisker: float
    lower_hinge: float
    median: float
    upper_hinge: float
    upper_whisker: float
    n_low: int  # observations below the lower whisker end
    n_high: int  # observations above the upper whisker end


class RelevanceControlPoints(NamedTuple):
    """The points phi interpolates: target values, their relevance, and phi's slope there.

    ``y`` is strictly increasing, ``phi`` lies in [0, 1] and ``slope`` is already made monotone
    (see :func:`relevance_control_points`), so :func:`relevance` only evaluates.
    """

    y: NDArray[np.float64]
    phi: NDArray[np.float64]
    slope: NDArray[np.float64]

    def as_matrix(self) -> NDArray[np.float64]:
        """The points as the ``(n, 3)`` matrix UBL's ``phi.control`` takes."""
        return np.column_stack([self.y, self.phi, self.slope])


def _finite_target(y: ArrayLike, name: str = "y") -> NDArray[np.float64]:
    try:
        values = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be numeric (a continuous regression target): {exc}. "
            "Convert the target column to numbers first."
        ) from exc
    if values.ndim != 1:
        if values.ndim == 2 and 1 in values.shape:
            values = values.ravel()
        else:
            raise ValueError(
                f"{name} must be 1-D (one target value per row), got shape {values.shape}."
            )
    if values.size == 0:
        raise ValueError(f"{name} is empty: relevance needs at least one target value.")
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} contains NaN or inf ({int(bad.sum())} values, first at index {first}: "
            f"{values[first]}): relevance is defined for finite targets only. Drop or impute "
            "those rows first."
        )
    return values


def box_plot_stats(y: ArrayLike, coef: float = 1.5) -> BoxPlotStats:
    """The box-plot statistics of ``y`` exactly as R's ``boxplot.stats(y, coef)`` computes them.

    The hinges are Tukey's, from R's ``fivenum``: with ``x`` the sorted values (1-based),
    ``n4 = floor((n + 3) / 2) / 2`` and each statistic is the mean of ``x[floor(d)]`` and
    ``x[ceil(d)]`` for ``d`` in ``(1, n4, (n + 1) / 2, n + 1 - n4, n)``. They differ from NumPy's
    default (linear) quartiles on many vectors. ``IQR = upper hinge - lower hinge``; the whisker
    ends are the most extreme observations inside ``[lower hinge - coef * IQR, upper hinge +
    coef * IQR]``, and the observations outside are the extremes.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Finite target values.
    coef : float, default=1.5
        How far the whiskers reach, in IQRs; must be > 0.

    Returns
    -------
    BoxPlotStats

    Examples
    --------
    >>> s = box_plot_stats([1, 2, 3, 4, 5, 6])
    >>> s.lower_hinge, s.median, s.upper_hinge
    (2.0, 3.5, 5.0)
    >>> box_plot_stats([1, 2, 3, 4, 100]).upper_whisker
    4.0
    """
    values = np.sort(_finite_target(y))
    if not np.isfinite(coef) or coef <= 0:
        raise ValueError(
            f"coef={coef!r} must be a positive number (the whisker length in IQRs); "
            "use 1.5, the box plot's usual value."
        )
    n = values.size
    n4 = np.floor((n + 3) / 2) / 2
    depth = np.array([1.0, n4, (n + 1) / 2, n + 1 - n4, n]) - 1.0
    five = 0.5 * (values[np.floor(depth).astype(np.intp)] + values[np.ceil(depth).astype(np.intp)])
    iqr = five[3] - five[1]
    inside = (values >= five[1] - coef * iqr) & (values <= five[3] + coef * iqr)
    low, high = float(values[inside].min()), float(values[inside].max())
    return BoxPlotStats(
        lower_whisker=low,
        lower_hinge=float(five[1]),
        median=float(five[2]),
        upper_hinge=float(five[3]),
        upper_whisker=high,
        n_low=int((values < low).sum()),
        n_high=int((values > high).sum()),
    )


def _monotone_slopes(
    x: NDArray[np.float64], v: NDArray[np.float64], slope: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Slopes that keep every Hermite piece monotone (Fritsch & Carlson 1980).

    Where two neighbouring secants differ in sign, or one is flat, the point is a local extremum
    or the end of a plateau and its slope becomes 0; a slope of the wrong sign for its pieces
    becomes 0 too. Then, per piece with secant ``s`` and ``a = m_k / s``, ``b = m_k+1 / s``,
    a pair outside Fritsch and Carlson's monotonicity region (``2a + b > 3``, ``a + 2b > 3``
    and ``a (2a + b - 3 + a + 2b - 3) < (2a + b - 3)^2``, R's ``monoFC_mod``) is scaled onto the
    circle of radius 3. Zero slopes, as in the automatic control points, are never changed.
    """
    m = slope.copy()
    secant = np.diff(v) / np.diff(x)
    # A slope must agree in sign with the secant on each side of its point (0 always does).
    left = np.concatenate([[np.nan], secant])
    right = np.concatenate([secant, [np.nan]])
    for side in (left, right):
        known = ~np.isnan(side)
        m[known & (np.sign(m) * np.sign(side) <= 0)] = 0.0
    for k, s in enumerate(secant):
        if s == 0:
            continue  # a plateau: both slopes are already 0
        # With alpha = m_k / s and beta = m_k+1 / s, the test is homogeneous of degree 2 in
        # (alpha, beta, 3): it runs on (|m_k|, |m_k+1|, 3|s|) scaled by their largest, so a
        # nearly flat piece (tiny s) cannot overflow it.
        p, q, t = abs(m[k]), abs(m[k + 1]), 3 * abs(s)
        r = max(p, q, t)
        a, b, c = p / r, q / r, t / r
        a2b3, ab23 = 2 * a + b - c, a + 2 * b - c
        if a2b3 > 0 and ab23 > 0 and a * (a2b3 + ab23) < a2b3 * a2b3:
            # onto the circle alpha^2 + beta^2 = 9
            scale = t / np.hypot(m[k], m[k + 1])
            m[k], m[k + 1] = scale * m[k], scale * m[k + 1]
    return m


def _manual_points(points: ArrayLike) -> RelevanceControlPoints:
    matrix = np.asarray(points, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] not in (2, 3) or matrix.shape[0] < 2:
        raise ValueError(
            f"control_points must be a matrix of 2 or more rows (y value, phi) or (y value, phi, "
            f"slope), got shape {matrix.shape}; for example [[10, 0, 0], [50, 1, 0]]."
        )
    if not np.isfinite(matrix).all():
        raise ValueError("control_points contains NaN or inf: every entry must be a finite number.")
    matrix = matrix[np.argsort(matrix[:, 0], kind="stable")]
    x, v = matrix[:, 0], matrix[:, 1]
    if (np.diff(x) == 0).any():
        dup = x[1:][np.diff(x) == 0][0]
        raise ValueError(
            f"control_points has two points at y={dup}: give each y value one relevance."
        )
    if ((v < 0) | (v > 1)).any():
        raise ValueError(
            f"control_points has relevance values outside [0, 1] ({v[(v < 0) | (v > 1)][0]}): "
            "phi maps targets to [0, 1], 1 for the most relevant."
        )
    if matrix.shape[1] == 3:
        slope = matrix[:, 2].copy()
    else:
        # Fritsch-Carlson's starting slopes: one-sided secants at the ends, their mean inside.
        secant = np.diff(v) / np.diff(x)
        slope = np.concatenate([secant[:1], (secant[1:] + secant[:-1]) / 2, secant[-1:]])
    return RelevanceControlPoints(x.copy(), v.copy(), _monotone_slopes(x, v, slope))


def _automatic_points(y: ArrayLike, extremes: str, coef: float) -> RelevanceControlPoints:
    values = _finite_target(y)
    if extremes not in EXTREMES:
        raise ValueError(
            f"extremes={extremes!r} is not one of 'both', 'high', 'low': it says on which side "
            "of the distribution the rare values lie."
        )
    lo, hi = float(values.min()), float(values.max())
    if lo == hi:
        raise ValueError(
            f"y is constant (every value is {lo}): the box plot of y finds no rare values. "
            "Check the target column, or give control_points explicitly."
        )
    stats = box_plot_stats(values, coef)
    low_end, high_end = stats.lower_whisker, stats.upper_whisker
    # A whisker that ends at the median (IQR 0 on that side: a mass of ties, as in a
    # zero-inflated target) would put phi = 0 and phi = 1 at one point; the 1 moves out to the
    # nearest extreme observation instead.
    below, above = values[values < low_end], values[values > high_end]
    if low_end == stats.median and below.size:
        low_end = float(below.max())
    if high_end == stats.median and above.size:
        high_end = float(above.min())
    points = []
    if extremes in ("both", "low") and stats.n_low > 0:
        points.append((low_end, 1.0))
    else:
        points.append((lo, 0.0))
    if stats.median != lo:
        points.append((stats.median, 0.0))
    if extremes in ("both", "high") and stats.n_high > 0:
        points.append((high_end, 1.0))
    elif stats.median != hi:
        points.append((hi, 0.0))
    x = np.array([p[0] for p in points])
    v = np.array([p[1] for p in points])
    return RelevanceControlPoints(x, v, np.zeros_like(x))


def relevance_control_points(
    y: ArrayLike | None = None,
    *,
    points: ArrayLike | None = None,
    extremes: str = "both",
    coef: float = 1.5,
) -> RelevanceControlPoints:
    """The control points of phi: automatic from the box plot of ``y``, or given as a matrix.

    Automatic (``points=None``, UBL's ``phi.control(y, method = "extremes")``), from
    :func:`box_plot_stats` of ``y`` with ``coef``:

    * low side: ``(lower whisker end, 1, 0)`` if ``extremes`` is ``"both"`` or ``"low"`` and
      some ``y`` lies below it, otherwise ``(min y, 0, 0)``;
    * ``(median, 0, 0)`` unless the median equals ``min y``;
    * high side: ``(upper whisker end, 1, 0)`` if ``extremes`` is ``"both"`` or ``"high"`` and
      some ``y`` lies above it, otherwise ``(max y, 0, 0)`` unless the median equals ``max y``.

    Where a whisker ends at the median (a quarter or more of ``y`` tied there, as in a
    zero-inflated target), its relevance-1 point moves out to the nearest extreme observation;
    UBL and smogn would put phi = 0 and phi = 1 at the same ``y`` there and divide by zero.

    Manual (``points`` given, UBL's ``method = "range"``): a matrix whose rows are ``(y value,
    phi)`` or ``(y value, phi, slope)``, in any order. Without slopes, the Fritsch-Carlson
    starting slopes are used (one-sided secants at the two ends, the mean of the two adjacent
    secants elsewhere). In both cases the slopes are then made monotone on every piece (see
    Notes), which leaves zero slopes unchanged.

    Parameters
    ----------
    y : array-like of shape (n_samples,), default=None
        Target values; needed for automatic points, ignored with ``points``.
    points : array-like of shape (n_points, 2) or (n_points, 3), default=None
        Manual control points.
    extremes : {"both", "high", "low"}, default="both"
        Which tails of ``y`` hold the rare values (automatic points only).
    coef : float, default=1.5
        Whisker length of the box plot in IQRs (automatic points only).

    Returns
    -------
    RelevanceControlPoints

    Notes
    -----
    Monotone slopes: where the neighbouring secants differ in sign or one of them is flat (a local
    extremum or a plateau), and where a given slope has the wrong sign for its pieces, the slope
    is 0. Each remaining pair outside Fritsch and Carlson's monotonicity region is scaled onto
    the circle of radius 3, as R's ``monoFC_mod`` does. UBL flips a wrong-signed slope instead
    of zeroing it, which can make phi overshoot; with zero slopes (automatic points) the two
    agree exactly.

    Examples
    --------
    >>> cp = relevance_control_points([1, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    >>> cp.as_matrix()
    array([[1. , 0. , 0. ],
           [5.5, 0. , 0. ],
           [9. , 1. , 0. ]])
    """
    if points is not None:
        return _manual_points(points)
    if y is None:
        raise ValueError("Give y (for automatic control points) or points (manual ones).")
    return _automatic_points(y, extremes, coef)


def _as_control_points(
    y: NDArray[np.float64], control_points: Any, extremes: str, coef: float
) -> RelevanceControlPoints:
    if control_points is None:
        return _automatic_points(y, extremes, coef)
    if isinstance(control_points, RelevanceControlPoints):
        return control_points
    return _manual_points(control_points)


def relevance(
    y: ArrayLike,
    control_points: RelevanceControlPoints | ArrayLike | None = None,
    *,
    extremes: str = "both",
    coef: float = 1.5,
) -> NDArray[np.float64]:
    """The relevance phi(y) of each target value, in [0, 1] (Ribeiro 2011; R's UBL ``phi``).

    Between two consecutive control points ``(x_i, v_i, m_i)`` and ``(x_i+1, v_i+1, m_i+1)``,
    with ``h = x_i+1 - x_i`` and ``t = (y - x_i) / h``, phi is the cubic Hermite polynomial

        phi(y) = (1 + 2t)(1 - t)^2 v_i + t (1 - t)^2 h m_i
                 + t^2 (3 - 2t) v_i+1 + t^2 (t - 1) h m_i+1

    which with the zero slopes of the automatic points is ``v_i + (v_i+1 - v_i)(3t^2 - 2t^3)``.
    Beyond the outer control points phi keeps the end value. The slopes are monotone on every
    piece (:func:`relevance_control_points`), so phi lies between the values at the ends of its
    piece: in [0, 1], monotone between control points, and exactly ``v_i`` at ``x_i``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values to score (finite).
    control_points : RelevanceControlPoints, array-like or None, default=None
        ``None`` derives them from the box plot of this ``y`` (UBL's default); a matrix of rows
        ``(y value, phi[, slope])`` gives them by hand; a :class:`RelevanceControlPoints`
        (from training targets, say) is used as it is.
    extremes : {"both", "high", "low"}, default="both"
        For automatic control points: which tails hold the rare values.
    coef : float, default=1.5
        For automatic control points: whisker length in IQRs.

    Returns
    -------
    ndarray of shape (n_samples,)
        phi(y), float64.

    See Also
    --------
    relevance_control_points : The control points, and how their slopes are made monotone.
    relevance_bins : Rare and normal bins from phi.

    References
    ----------
    .. [1] R. P. Ribeiro, "Utility-based regression", PhD thesis, University of Porto, 2011.
    .. [2] F. N. Fritsch, R. E. Carlson, "Monotone piecewise cubic interpolation", SIAM Journal
       on Numerical Analysis, 17(2), 238-246, 1980.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 100.0])
    >>> relevance(y)[4:].round(3)
    array([0.   , 0.055, 0.394, 0.802, 1.   , 1.   ])
    >>> relevance([0.0, 5.0, 10.0], [[0, 1], [10, 0]]).round(3)
    array([1. , 0.5, 0. ])
    """
    values = _finite_target(y)
    cp = _as_control_points(values, control_points, extremes, coef)
    x, v, m = cp.y, cp.phi, cp.slope
    clipped = np.clip(values, x[0], x[-1])
    i = np.clip(np.searchsorted(x, clipped, side="right") - 1, 0, x.size - 2)
    h = x[i + 1] - x[i]
    t = (clipped - x[i]) / h
    one_t = 1.0 - t
    phi = (1 + 2 * t) * one_t * one_t * v[i] + t * one_t * one_t * h * m[i]
    phi += t * t * (3 - 2 * t) * v[i + 1] + t * t * (t - 1) * h * m[i + 1]
    # Rounding can leave a value a hair outside [0, 1]; the exact curve never is.
    return np.clip(phi, 0.0, 1.0, out=phi)

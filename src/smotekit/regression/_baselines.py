"""The baselines of imbalanced regression (Branco et al. 2016): copies, and copies with noise."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from imblearn.utils import Substitution
from numpy.typing import NDArray
from sklearn.utils._param_validation import Interval

from smotekit.regression._base import SHARED_ATTRIBUTES, SHARED_PARAMETERS, BaseRegressionSampler
from smotekit.regression._rules import BinDraws, gaussian_noise_draws, random_oversample_draws

__all__ = ["GaussianNoiseRegression", "RandomOverSamplerRegression"]


@Substitution(parameters=SHARED_PARAMETERS, attributes=SHARED_ATTRIBUTES)
class RandomOverSamplerRegression(BaseRegressionSampler):
    """Random over-sampling for regression: rare bins grow by copies of their cases.

    Each case of a growing bin is copied equally often (the remainder by distinct cases drawn
    at random). By default nothing is removed; ``undersample=True`` also shrinks normal bins.

    Parameters
    ----------
    {parameters}
    undersample : bool, default=False
        Whether normal bins may shrink.
    random_state : int, RandomState instance or None, default=None
        Seeds every draw (one stream for the whole call, bins in ascending order).

    Attributes
    ----------
    {attributes}

    References
    ----------
    .. [1] P. Branco, L. Torgo, R. P. Ribeiro, "A survey of predictive modeling on imbalanced
       domains", ACM Computing Surveys, 49(2), 31, 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression import RandomOverSamplerRegression
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> y = np.r_[np.ones(18), 50.0, 60.0]
    >>> X_res, y_res = RandomOverSamplerRegression(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res.astype(int))[[1, 50, 60]]
    array([18,  5,  5])
    """

    def __init__(
        self,
        *,
        sampling_strategy: Any = "balance",
        threshold: float = 0.5,
        control_points: Any = None,
        extremes: str = "both",
        coef: float = 1.5,
        undersample: bool = False,
        random_state: Any = None,
    ) -> None:
        super().__init__(
            sampling_strategy=sampling_strategy,
            threshold=threshold,
            control_points=control_points,
            extremes=extremes,
            coef=coef,
            undersample=undersample,
            random_state=random_state,
        )

    def _draw_bin(
        self, rng: np.random.RandomState, X_bin: NDArray, n_samples: int, where: str
    ) -> BinDraws:
        return random_oversample_draws(rng, X_bin.shape[0], n_samples)


@Substitution(parameters=SHARED_PARAMETERS, attributes=SHARED_ATTRIBUTES)
class GaussianNoiseRegression(BaseRegressionSampler):
    """Gaussian-noise over-sampling for regression (Branco et al. 2016; UBL's gaussNoiseRegress).

    Each new case of a growing bin is a copy of one of its cases (each equally often) with
    Gaussian noise added to every feature and to the target, of standard deviation ``pert`` times
    that column's standard deviation in the bin. Normal bins are under-sampled at random when
    ``undersample`` is True.

    Parameters
    ----------
    {parameters}
    undersample : bool, default=True
        Whether normal bins may shrink.
    pert : float, default=0.1
        Noise standard deviation as a fraction of each column's standard deviation (UBL's
        default).
    random_state : int, RandomState instance or None, default=None
        Seeds every draw (one stream for the whole call, bins in ascending order).

    Attributes
    ----------
    {attributes}

    References
    ----------
    .. [1] P. Branco, L. Torgo, R. P. Ribeiro, "A survey of predictive modeling on imbalanced
       domains", ACM Computing Surveys, 49(2), 31, 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression import GaussianNoiseRegression
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(100, 2))
    >>> y = np.r_[rng.normal(size=95), rng.normal(10, 1, size=5)]
    >>> X_res, y_res = GaussianNoiseRegression(random_state=0).fit_resample(X, y)
    >>> X_res.shape
    (99, 2)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **BaseRegressionSampler._parameter_constraints,
        "pert": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "balance",
        threshold: float = 0.5,
        control_points: Any = None,
        extremes: str = "both",
        coef: float = 1.5,
        undersample: bool = True,
        pert: float = 0.1,
        random_state: Any = None,
    ) -> None:
        super().__init__(
            sampling_strategy=sampling_strategy,
            threshold=threshold,
            control_points=control_points,
            extremes=extremes,
            coef=coef,
            undersample=undersample,
            random_state=random_state,
        )
        self.pert = pert

    def _draw_bin(
        self, rng: np.random.RandomState, X_bin: NDArray, n_samples: int, where: str
    ) -> BinDraws:
        return gaussian_noise_draws(rng, X_bin.shape[0], n_samples, pert=float(self.pert))

"""SMOTER (Torgo et al. 2013) and SMOGN (Branco et al. 2017): SMOTE for a continuous target."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from imblearn.utils import Substitution
from numpy.typing import NDArray
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from smotekit.over_sampling._base import make_neighbors_estimator
from smotekit.regression._base import (
    SHARED_ATTRIBUTES,
    SHARED_PARAMETERS,
    BaseRegressionSampler,
    bin_neighbors,
)
from smotekit.regression._rules import (
    BinDraws,
    bin_safe_radius,
    safe_radius,
    smogn_draws,
    smoter_draws,
)

__all__ = ["SMOGN", "SMOTER"]

_K_NEIGHBORS = [
    Interval(numbers.Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]


@Substitution(parameters=SHARED_PARAMETERS, attributes=SHARED_ATTRIBUTES)
class SMOTER(BaseRegressionSampler):
    """SMOTE for regression: interpolate between rare cases of one relevance bin.

    The target is cut into bins of rare and normal cases by its relevance phi. Each rare bin
    grows by new cases ``x_seed + u (x_nn - x_seed)``, with ``x_nn`` one of the seed's
    ``k_neighbors`` nearest neighbours *within the bin* and ``u ~ Uniform(0, 1)``; the new target
    is the mean of the two targets weighted by the inverse of their distances to the new case,
    which is ``y_seed + u (y_nn - y_seed)`` (the plain mean when the two cases coincide). Each
    seed serves equally often. Normal bins are under-sampled at random when ``undersample`` is
    True, as in the paper.

    Parameters
    ----------
    {parameters}
    undersample : bool, default=True
        Whether normal bins may shrink.
    k_neighbors : int or estimator, default=5
        Neighbours to interpolate towards, or an object with ``kneighbors`` and
        ``kneighbors_graph`` set to ``k + 1`` neighbours (for example
        :class:`smotekit.neighbors.ApproximateNeighbors` for millions of rows).
    random_state : int, RandomState instance or None, default=None
        Seeds every draw (one stream for the whole call, bins in ascending order).

    Attributes
    ----------
    {attributes}
    nn_k_ : estimator
        The neighbour search used.

    See Also
    --------
    SMOGN : SMOTER with Gaussian noise where the neighbour is far.
    smotekit.regression.relevance : The relevance function.

    References
    ----------
    .. [1] L. Torgo, R. P. Ribeiro, B. Pfahringer, P. Branco, "SMOTE for regression", EPIA 2013,
       LNCS 8154, 378-389, 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression import SMOTER
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.exp(X[:, 0] + rng.normal(scale=0.5, size=200))
    >>> sampler = SMOTER(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sampler.bins_.rare.tolist(), list(sampler.sampling_strategy_.values())
    ([False, True], [100, 100])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **BaseRegressionSampler._parameter_constraints,
        "k_neighbors": _K_NEIGHBORS,
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
        k_neighbors: Any = 5,
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
        self.k_neighbors = k_neighbors

    def _validate_estimator(self) -> None:
        self.nn_k_ = make_neighbors_estimator(self.k_neighbors)

    def _draw_bin(
        self, rng: np.random.RandomState, X_bin: NDArray, n_samples: int, where: str
    ) -> BinDraws:
        neighbors, distances = bin_neighbors(self.nn_k_, self.k_neighbors, X_bin, where)
        return smoter_draws(rng, neighbors, distances, n_samples)


@Substitution(parameters=SHARED_PARAMETERS, attributes=SHARED_ATTRIBUTES)
class SMOGN(SMOTER):
    """SMOTER where the neighbour is close, Gaussian noise where it is not (Branco et al. 2017).

    Draws as :class:`SMOTER`. A new case whose chosen neighbour lies closer to the seed than the
    seed's safe distance is interpolated as in SMOTER; any other is a copy of the seed with
    Gaussian noise added to every feature and to the target, of standard deviation ``min(pert,
    safe distance)`` times that column's standard deviation in the bin (the paper's ``min(maxD,
    pert)``). The safe distance is half the median distance from the seed to the cases of its
    bin (see ``safe_distance``).

    Parameters
    ----------
    {parameters}
    undersample : bool, default=True
        Whether normal bins may shrink.
    k_neighbors : int or estimator, default=5
        Neighbours to choose from, or a neighbours estimator set to ``k + 1`` neighbours.
    pert : float, default=0.02
        Noise standard deviation as a fraction of each column's standard deviation.
    safe_distance : {{"bin", "neighbors"}}, default="bin"
        Whose distances the median runs over: every case of the seed's bin, itself included,
        as in UBL and the Python package smogn (bins over 1024 cases: 1024 of them, evenly spaced
        along the target); or only the seed's ``k_neighbors`` neighbours.
    random_state : int, RandomState instance or None, default=None
        Seeds every draw (one stream for the whole call, bins in ascending order).

    Attributes
    ----------
    {attributes}
    nn_k_ : estimator
        The neighbour search used.

    Notes
    -----
    With ``safe_distance="neighbors"`` a neighbour is safe only if it is closer than half the
    median of the ``k`` neighbour distances, which in more than a few dimensions (where those
    distances concentrate) almost never happens: measured on Gaussian bins of 2,000 cases with
    ``k = 5``, 11% of the pairs are safe in 2 dimensions and none from 10 on, so SMOGN becomes
    Gaussian noise. Against the whole bin, 100% are safe in 2 and 5 dimensions, 88% in 10 and 2%
    in 20.

    References
    ----------
    .. [1] P. Branco, L. Torgo, R. P. Ribeiro, "SMOGN: a pre-processing approach for imbalanced
       regression", LIDTA 2017, PMLR 74, 36-50, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.regression import SMOGN
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.exp(X[:, 0] + rng.normal(scale=0.5, size=200))
    >>> X_res, y_res = SMOGN(random_state=0).fit_resample(X, y)
    >>> X_res.shape
    (200, 3)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **SMOTER._parameter_constraints,
        "pert": [Interval(numbers.Real, 0, None, closed="left")],
        "safe_distance": [StrOptions({"bin", "neighbors"})],
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
        k_neighbors: Any = 5,
        pert: float = 0.02,
        safe_distance: str = "bin",
        random_state: Any = None,
    ) -> None:
        super().__init__(
            sampling_strategy=sampling_strategy,
            threshold=threshold,
            control_points=control_points,
            extremes=extremes,
            coef=coef,
            undersample=undersample,
            k_neighbors=k_neighbors,
            random_state=random_state,
        )
        self.pert = pert
        self.safe_distance = safe_distance

    def _draw_bin(
        self, rng: np.random.RandomState, X_bin: NDArray, n_samples: int, where: str
    ) -> BinDraws:
        neighbors, distances = bin_neighbors(self.nn_k_, self.k_neighbors, X_bin, where)
        if self.safe_distance == "bin":
            radius = bin_safe_radius(X_bin)
        else:
            radius = safe_radius(distances)
        return smogn_draws(
            rng, neighbors, distances, n_samples, radius=radius, pert=float(self.pert)
        )

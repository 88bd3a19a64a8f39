"""SMOTE (Chawla et al., 2002), a drop-in for ``imblearn.over_sampling.SMOTE``."""

from __future__ import annotations

from typing import Any, ClassVar

from imblearn.over_sampling import SMOTE as _ImblearnSMOTE

from smotekit.engine import NeighborQuery, SamplerRule
from smotekit.over_sampling._base import (
    INTEGER_ROUNDING_CONSTRAINT,
    SyntheticSamplerMixin,
    make_neighbors_estimator,
    neighbors_count,
)

__all__ = ["SMOTE", "SMOTERule"]


class SMOTERule(SamplerRule):
    """SMOTE's rule: every row grows towards one of its ``k`` nearest rows of the class.

    The engine's default steps are SMOTE's; the rule only names the partner query, built from a
    ``k_neighbors`` parameter (an int, or an estimator returning ``k + 1`` neighbours).
    """

    def __init__(self, k_neighbors: Any) -> None:
        self.k_query = NeighborQuery(
            "k",
            neighbors_count(k_neighbors),
            make_neighbors_estimator(k_neighbors),
            value=k_neighbors,
        )

    def partners(self) -> NeighborQuery:
        return self.k_query

    def fitted(self) -> dict[str, Any]:
        return {"nn_k_": self.k_query.estimator}


class SMOTE(SyntheticSamplerMixin, _ImblearnSMOTE):
    """Synthetic Minority Over-sampling Technique, identical to imbalanced-learn's, faster.

    Each synthetic row is ``x + lam * (x_nn - x)`` with ``x`` a sample of the class being grown,
    ``x_nn`` one of its ``k_neighbors`` nearest neighbours within that class (the sample itself
    excluded by index) and ``lam ~ Uniform(0, 1)``. For the same ``random_state`` the output equals
    ``imblearn.over_sampling.SMOTE``'s row for row: the original rows unchanged, then one block of
    synthetic rows per class in sorted label order. It subclasses imbalanced-learn's SMOTE, so it
    is accepted wherever that is (``imblearn.combine.SMOTETomek(smote=...)``, pipelines).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, exactly as in imbalanced-learn: a float (binary
        only), ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"``, ``"auto"``
        (= ``"not majority"``), a dict ``{class: final count}`` or a callable ``y -> dict``.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws; an int restarts the stream for every class, as in imbalanced-learn.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours to interpolate towards, or an object with ``kneighbors`` and
        ``kneighbors_graph`` (for example :class:`smotekit.neighbors.ApproximateNeighbors` or
        sklearn's ``NearestNeighbors(n_neighbors=k + 1)``).
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How synthetic values are stored in integer and boolean columns: rounded to the nearest
        integer, or truncated towards zero as imbalanced-learn does (then the rows are
        imbalanced-learn's exactly, for the same ``random_state``). Float columns are not
        affected.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples generated per class.
    nn_k_ : estimator
        The neighbour search used (smotekit's exact search for an int ``k_neighbors``).
    provenance_ : structured ndarray
        One record ``(base, neighbor, gap)`` per synthetic row, in output order;
        ``X_res[n + r] == X[base] + gap * (X[neighbor] - X[base])``.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    smotekit.smote : The same kernel as a function.
    smotekit.tutorial.SMOTE : The seed notebook's function.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE: synthetic minority
       over-sampling technique", Journal of Artificial Intelligence Research, 16, 321-357, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTE
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(110, 2))
    >>> y = np.array([0] * 100 + [1] * 10)
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([100, 100])
    """

    _neighbor_params = (("k_neighbors", 1),)
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_ImblearnSMOTE._parameter_constraints,
        **INTEGER_ROUNDING_CONSTRAINT,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: Any = None,
        k_neighbors: Any = 5,
        integer_rounding: str = "nearest",
    ) -> None:
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
        )
        self.integer_rounding = integer_rounding

    def _validate_estimator(self) -> None:
        self.nn_k_ = self._neighbors_estimator("k_neighbors")

    def _rule(self) -> SMOTERule:
        return SMOTERule(self.k_neighbors)

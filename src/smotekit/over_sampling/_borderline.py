"""Borderline-SMOTE (Han et al., 2005), a drop-in for ``imblearn.over_sampling.BorderlineSMOTE``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import numpy as np
from imblearn.over_sampling import BorderlineSMOTE as _ImblearnBorderlineSMOTE
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan
from smotekit._validation import shown, warn_user
from smotekit.engine import ClassJob, NeighborQuery, PlanPiece, Uniform, Variate, smote_triples
from smotekit.exceptions import NoSyntheticSamplesWarning
from smotekit.over_sampling._base import (
    INTEGER_ROUNDING_CONSTRAINT,
    SyntheticSamplerMixin,
    make_neighbors_estimator,
    neighbors_count,
)
from smotekit.over_sampling._shared import (
    fit_neighbors,
    in_danger,
)
from smotekit.over_sampling._smote import SMOTERule

__all__ = ["BorderlineRule", "BorderlineSMOTE"]


def _no_danger_message(label: Any, m: int, n_samples: int) -> str:
    return (
        f"BorderlineSMOTE found no sample of class {shown(label)!r} in danger (at least half, "
        f"but not all, of its m_neighbors={m} nearest neighbours in other classes), so it "
        f"generated none of the {n_samples} samples requested for it. The class is either well "
        "separated or all noise: try a larger m_neighbors, or smotekit.SMOTE to grow from "
        "every sample."
    )


class BorderlineRule(SMOTERule):
    """Borderline-SMOTE's rule: only the rows in danger grow (see :class:`BorderlineSMOTE`).

    ``kind="borderline-2"`` takes partners among all rows and shortens a move towards another
    class by a factor ~ U(0, 0.5), drawn after the gaps from a restarted stream, in row order.
    """

    extras: tuple[Variate, ...] = (Uniform("shorten", 0.0, 0.5),)

    def __init__(self, k_neighbors: Any, m_neighbors: Any, kind: str) -> None:
        super().__init__(k_neighbors)
        self.kind = kind
        if kind == "borderline-2":
            self.k_query = replace(self.k_query, scope="all", owner="BorderlineSMOTE")
        else:
            self.extras = ()
        self.m_query = NeighborQuery(
            "m",
            neighbors_count(m_neighbors),
            make_neighbors_estimator(m_neighbors),
            scope="all",
            param="m_neighbors",
            value=m_neighbors,
            owner="BorderlineSMOTE",
        )
        self.in_danger_indices: dict[Any, NDArray[np.intp]] = {}

    def screening(self) -> tuple[NeighborQuery, ...]:
        return (self.m_query,)

    def bases(self, job: ClassJob) -> NDArray[np.intp]:
        other = job.screened["m"].other
        assert other is not None
        m = other.shape[1]
        danger = np.flatnonzero(in_danger(np.count_nonzero(other, axis=1), m))
        if danger.size == 0:
            warn_user(_no_danger_message(job.label, m, job.n_samples), NoSyntheticSamplesWarning)
        elif job.ids is not None:
            self.in_danger_indices[job.label] = job.ids[danger]
        return danger

    def plan(self, job: ClassJob, draws: dict[str, NDArray[Any]]) -> PlanPiece:
        plan, rows, cols = smote_triples(job, draws)
        if self.kind != "borderline-2":
            return PlanPiece(plan)
        assert job.partners is not None and job.partners.other is not None
        return PlanPiece(plan, job.partners.other[rows, cols])

    def adjust(
        self, job: ClassJob, piece: PlanPiece, extra: dict[str, NDArray[Any]]
    ) -> SyntheticPlan:
        scale = np.ones(len(piece.plan))
        if piece.flagged is not None:
            scale[piece.flagged] = extra["shorten"]
        plan = piece.plan
        return SyntheticPlan(plan.base, plan.neighbor, plan.gap, scale)

    def fitted(self) -> dict[str, Any]:
        return {
            **super().fitted(),
            "nn_m_": self.m_query.estimator,
            "in_danger_indices": self.in_danger_indices,
        }


class BorderlineSMOTE(SyntheticSamplerMixin, _ImblearnBorderlineSMOTE):
    """Borderline-SMOTE, identical to imbalanced-learn's for the same ``random_state``.

    Only the samples "in danger" grow: those for which at least half, but not all, of their
    ``m_neighbors`` nearest neighbours in the whole data set belong to other classes (samples
    surrounded by other classes only are taken as noise, those surrounded by their own class as
    safe). Each synthetic row is ``x + lam * (x_nn - x)`` with ``x`` a sample in danger,
    ``lam ~ Uniform(0, 1)`` and ``x_nn`` one of its ``k_neighbors`` nearest neighbours:

    * ``kind="borderline-1"``: neighbours within the class;
    * ``kind="borderline-2"``: neighbours in the whole data set; a move towards a sample of
      another class is shortened by a second factor ``Uniform(0, 0.5)``, so that the new row stays
      nearer its own class.

    The draws, their order and the arithmetic are imbalanced-learn's, so the output equals
    ``imblearn.over_sampling.BorderlineSMOTE``'s row for row.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws; an int restarts the stream for every class, as in imbalanced-learn.
    k_neighbors : int or estimator, default=5
        Neighbours to interpolate towards, or an object with ``kneighbors`` and
        ``kneighbors_graph`` returning ``k + 1`` neighbours.
    m_neighbors : int or estimator, default=10
        Neighbours that decide whether a sample is in danger (searched in the whole data set).
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
        Where the partners come from (see above).
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How synthetic values are stored in integer and boolean columns: rounded to the nearest
        integer, or truncated towards zero as imbalanced-learn does (then the rows are
        imbalanced-learn's exactly, for the same ``random_state``). Float columns are not
        affected.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples requested per class.
    nn_k_ : estimator
        The ``k_neighbors`` search.
    nn_m_ : estimator
        The ``m_neighbors`` search.
    in_danger_indices : dict
        Per class that had samples in danger, their indices in ``X`` (imbalanced-learn's name).
    provenance_ : structured ndarray
        One record ``(base, neighbor, gap)`` per synthetic row, in output order. For
        Borderline-2 rows paired with another class, ``gap`` is the effective fraction (the
        uniform gap times the ``Uniform(0, 0.5)`` factor); ``X_res[n + r]`` then equals
        ``X[base] + gap * (X[neighbor] - X[base])`` up to rounding in the last bit.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    Warns
    -----
    smotekit.exceptions.NoSyntheticSamplesWarning
        When no sample of a class is in danger: then no row is generated for that class
        (imbalanced-learn does the same, silently). The warning says what to try.

    See Also
    --------
    SMOTE : Grow from every sample.
    SVMSMOTE : Grow from the support vectors of an SVM.

    References
    ----------
    .. [1] H. Han, W. Wang, B. Mao, "Borderline-SMOTE: a new over-sampling method in imbalanced
       data sets learning", Advances in Intelligent Computing, 878-887, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import BorderlineSMOTE
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, size=(100, 2)), rng.normal(1, 1, size=(20, 2))])
    >>> y = np.array([0] * 100 + [1] * 20)
    >>> X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([100, 100])
    """

    _neighbor_params = (("k_neighbors", 1), ("m_neighbors", 1))
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_ImblearnBorderlineSMOTE._parameter_constraints,
        **INTEGER_ROUNDING_CONSTRAINT,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: Any = None,
        k_neighbors: Any = 5,
        m_neighbors: Any = 10,
        kind: str = "borderline-1",
        integer_rounding: str = "nearest",
    ) -> None:
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
            m_neighbors=m_neighbors,
            kind=kind,
        )
        self.integer_rounding = integer_rounding

    def _validate_estimator(self) -> None:
        self.nn_k_ = self._neighbors_estimator("k_neighbors")
        self.nn_m_ = self._neighbors_estimator("m_neighbors")
        self.in_danger_indices: dict[Any, NDArray[np.intp]] = {}
        self._fitted_on: dict[str, Any] = {}

    def _rule(self) -> BorderlineRule:
        return BorderlineRule(self.k_neighbors, self.m_neighbors, self.kind)

    def _fitted(self, name: str, X: Any) -> Any:
        """The ``m`` (or Borderline-2 ``k``) search fitted on the whole ``X``, once per call."""
        if name not in self._fitted_on:
            value = self.m_neighbors if name == "m" else self.k_neighbors
            estimator = self.nn_m_ if name == "m" else self.nn_k_
            param = "m_neighbors" if name == "m" else "k_neighbors"
            self._fitted_on[name] = fit_neighbors(estimator, X, value, param, "BorderlineSMOTE")
        return self._fitted_on[name]

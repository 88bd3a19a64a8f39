"""ADASYN (He et al., 2008), a drop-in for ``imblearn.over_sampling.ADASYN``."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from imblearn.over_sampling import ADASYN as _ImblearnADASYN
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.utils import check_random_state

from smotekit._kernels import SyntheticPlan, concat_plans
from smotekit._validation import shown
from smotekit.over_sampling._base import (
    INTEGER_ROUNDING_CONSTRAINT,
    SyntheticSamplerMixin,
)
from smotekit.over_sampling._shared import fit_neighbors, other_class_counts

__all__ = ["ADASYN"]


def _draw_adasyn(
    rng: np.random.RandomState, graph: NDArray[np.intp], rows: NDArray[np.intp]
) -> SyntheticPlan:
    """imbalanced-learn's ADASYN draws: a neighbour column per row by ``choice``, then the gaps."""
    cols = rng.choice(graph.shape[1], size=rows.size)
    gaps = rng.uniform(size=rows.size)
    return SyntheticPlan(rows, graph[rows, cols], gaps)


class ADASYN(SyntheticSamplerMixin, _ImblearnADASYN):
    """Adaptive Synthetic sampling, identical to imbalanced-learn's for the same ``random_state``.

    Each sample of a class to grow gets a share of the synthetic rows proportional to the fraction
    of its ``n_neighbors`` nearest neighbours (in the whole data set) that belong to other classes:
    samples in hard, mixed regions grow most, samples surrounded by their own class not at all.
    Each of a sample's rows is ``x + lam * (x_nn - x)`` with ``x_nn`` drawn among its
    ``n_neighbors`` within-class neighbours and ``lam ~ Uniform(0, 1)``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws. Unlike SMOTE, ADASYN draws every class from one stream.
    n_neighbors : int or estimator, default=5
        Neighbours for both the difficulty ratio and the interpolation.
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How synthetic values are stored in integer and boolean columns: rounded to the nearest
        integer, or truncated towards zero as imbalanced-learn does (then the rows are
        imbalanced-learn's exactly, for the same ``random_state``). Float columns are not
        affected.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples requested per class.
    nn_ : estimator
        The neighbour search.
    provenance_ : structured ndarray
        One record ``(base, neighbor, gap)`` per synthetic row, in output order;
        ``X_res[n + r] == X[base] + gap * (X[neighbor] - X[base])``.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    Notes
    -----
    imbalanced-learn rounds each sample's share to an integer, so the rows it makes per class can
    differ from the count requested by a few (one at most per two samples). smotekit makes exactly
    the requested count while keeping imbalanced-learn's rows:

    * too few: imbalanced-learn's rows come first, unchanged; the missing ones follow, one each
      for the samples whose share was rounded down the most, drawn from the same stream after
      every class's imbalanced-learn draws (so no class's first rows change);
    * too many: the block is imbalanced-learn's, cut to the requested length.

    Where imbalanced-learn makes the exact count, the output is identical to it.

    Raises
    ------
    RuntimeError
        When no sample of a class has a neighbour of another class (nothing is "hard"; use SMOTE).

    See Also
    --------
    SMOTE : Grow every sample equally.
    BorderlineSMOTE : Grow only the samples near the class boundary.

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia, S. Li, "ADASYN: Adaptive synthetic sampling approach for
       imbalanced learning", IEEE International Joint Conference on Neural Networks, 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import ADASYN
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, size=(100, 2)), rng.normal(1, 1, size=(20, 2))])
    >>> y = np.array([0] * 100 + [1] * 20)
    >>> X_res, y_res = ADASYN(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([100, 100])
    """

    _neighbor_params = (("n_neighbors", 1),)
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_ImblearnADASYN._parameter_constraints,
        **INTEGER_ROUNDING_CONSTRAINT,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: Any = None,
        n_neighbors: Any = 5,
        integer_rounding: str = "nearest",
    ) -> None:
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            n_neighbors=n_neighbors,
        )
        self.integer_rounding = integer_rounding

    def _validate_estimator(self) -> None:
        self.nn_ = self._neighbors_estimator("n_neighbors")

    def _plan_class(
        self, X: Any, y: NDArray[Any], label: Any, class_index: NDArray[np.intp], n_samples: int
    ) -> SyntheticPlan:
        """Unused: ADASYN draws every class from one stream; ``_fit_resample`` plans them all."""
        raise TypeError("ADASYN plans all classes together in _fit_resample, not class by class")

    def _fit_resample(self, X: Any, y: NDArray[Any], **params: Any) -> tuple[Any, NDArray[Any]]:
        self._validate_estimator()
        # One stream for every class, as imbalanced-learn does.
        rng = check_random_state(self.random_state)
        # The difficulty ratio searches the whole X; the interpolation, each class (self.nn_).
        whole = fit_neighbors(clone(self.nn_), X, self.n_neighbors, "n_neighbors", "ADASYN")
        labels, plans, top_ups = [], [], []
        for label, n_samples in self.sampling_strategy_.items():
            if n_samples == 0:
                continue
            class_index = np.flatnonzero(y == label)
            share = self._shares(whole, X, y, label, class_index) * n_samples
            counts = np.rint(share).astype(np.intp)
            graph = self._grow_from_neighbors(
                X, label, class_index, self.nn_, self.n_neighbors, "n_neighbors"
            )
            plan = _draw_adasyn(rng, graph, np.repeat(np.arange(class_index.size), counts))
            n_made = len(plan)
            if n_made > n_samples:
                plan = SyntheticPlan(
                    plan.base[:n_samples], plan.neighbor[:n_samples], plan.gap[:n_samples]
                )
            # Rows whose share was rounded down the most get the missing ones.
            short = max(n_samples - n_made, 0)
            top_ups.append((graph, np.sort(np.argsort(counts - share, kind="stable")[:short])))
            labels.append(label)
            plans.append((plan, class_index))
        # Missing rows are drawn after all of imbalanced-learn's draws, so none of those moves.
        full = []
        for (plan, class_index), (graph, rows) in zip(plans, top_ups, strict=True):
            extra = _draw_adasyn(rng, graph, rows) if rows.size else None
            parts = [plan] if extra is None else [plan, extra]
            full.append(concat_plans(parts).remap(class_index).compact())
        return self._assemble(X, y, full, labels)

    def _shares(
        self, whole: Any, X: Any, y: NDArray[Any], label: Any, class_index: NDArray[np.intp]
    ) -> NDArray[np.float64]:
        """Each sample's share of the class's rows: its fraction of other-class neighbours."""
        n_other, m = other_class_counts(whole, X, y, class_index, label)
        ratio = n_other / m
        if not np.sum(ratio):
            raise RuntimeError(
                "Not any neigbours belong to the majority class. This case will induce a NaN "
                "case with a division by zero: no sample of class "
                f"{shown(label)!r} has a sample of "
                f"another class among its n_neighbors={m} nearest neighbours, so ADASYN has no "
                "hard region to grow. ADASYN is not suited for this specific dataset. Use SMOTE "
                "instead, or a larger n_neighbors."
            )
        return ratio / np.sum(ratio)

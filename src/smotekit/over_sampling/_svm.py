"""SVM-SMOTE (Nguyen et al., 2009), a drop-in for ``imblearn.over_sampling.SVMSMOTE``."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from imblearn.over_sampling import SVMSMOTE as _ImblearnSVMSMOTE
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.svm import SVC
from sklearn.utils import check_random_state

from smotekit._kernels import SyntheticPlan, concat_plans, draw_smote
from smotekit._validation import check_class_large_enough, shown
from smotekit.engine import Capabilities
from smotekit.engine._special import GlobalModelRule
from smotekit.over_sampling._base import (
    INTEGER_ROUNDING_CONSTRAINT,
    SyntheticSamplerMixin,
    neighbors_count,
)
from smotekit.over_sampling._shared import (
    fit_neighbors,
    in_danger,
    is_noise,
    neighbors_of_rows,
    other_class_counts,
)

__all__ = ["SVMSMOTE", "SVMSMOTERule"]


class SVMSMOTERule(GlobalModelRule):
    """SVMSMOTE for the engine: ``_plan_from_model``, with the model of all rows, plans each class.

    Memory only: blockwise executors refuse it naming the model and what to use instead.
    """

    capabilities = Capabilities(global_model="an SVM fitted on all rows")
    sampler_name = "SVMSMOTE"
    instead = "resample in memory, or use BorderlineSMOTE (the same danger rule, without an SVM)"


class SVMSMOTE(SyntheticSamplerMixin, _ImblearnSVMSMOTE):
    """SVM-SMOTE, identical to imbalanced-learn's for the same ``random_state``.

    An SVM is fitted to the data; the class's support vectors are the samples that grow. Support
    vectors whose ``m_neighbors`` nearest neighbours all belong to other classes are dropped as
    noise. The rest are split by the Borderline-SMOTE rule: those in danger interpolate towards
    one of their ``k_neighbors`` within-class neighbours (``lam ~ Uniform(0, 1)``), the safe ones
    extrapolate away from it (``lam ~ Uniform(-out_step, 0)``), pushing the class boundary out.
    A ``Beta(10, 10)`` fraction of the requested rows goes to the samples in danger, the rest to the
    safe ones. Draws, their order and arithmetic are imbalanced-learn's.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the SVM and the draws, as in imbalanced-learn.
    k_neighbors : int or estimator, default=5
        Within-class neighbours to interpolate towards or extrapolate from.
    m_neighbors : int or estimator, default=10
        Neighbours (in the whole data set) that decide noise and danger.
    svm_estimator : estimator, default=None
        A classifier exposing ``support_`` after fit; ``None`` means
        ``SVC(gamma="scale", random_state=random_state)``.
    out_step : float, default=0.5
        Largest extrapolation step for safe support vectors.
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How synthetic values are stored in integer and boolean columns: rounded to the nearest
        integer, or truncated towards zero as imbalanced-learn does (then the rows are
        imbalanced-learn's exactly, for the same ``random_state``). Float columns are not
        affected.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples requested per class.
    nn_k_, nn_m_ : estimator
        The ``k_neighbors`` and ``m_neighbors`` searches.
    svm_estimator_ : estimator
        The fitted SVM.
    provenance_ : structured ndarray
        One record ``(base, neighbor, gap)`` per synthetic row, in output order; extrapolated rows
        have a negative ``gap``. ``X_res[n + r] == X[base] + gap * (X[neighbor] - X[base])``.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    Notes
    -----
    Counts are exactly as requested. imbalanced-learn returns fewer rows when a class has no
    support vector in danger, or none safe (its issue #1130): the share meant for the empty group
    is lost. smotekit makes imbalanced-learn's rows first, then the missing ones from the group
    that exists, drawn from the same stream after them; the first rows of each class's block are
    therefore still identical to imbalanced-learn's. The SVM is fitted once per call (its support
    vectors do not depend on the class being grown), not once per class; with a ``RandomState``
    instance as ``random_state`` it is refitted per class, because each fit advances that stream.

    See Also
    --------
    BorderlineSMOTE : Grow from the samples in danger.

    References
    ----------
    .. [1] H. M. Nguyen, E. W. Cooper, K. Kamei, "Borderline over-sampling for imbalanced data
       classification", International Journal of Knowledge Engineering and Soft Data
       Paradigms, 3(1), 4-21, 2009.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SVMSMOTE
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, size=(100, 2)), rng.normal(1.5, 1, size=(20, 2))])
    >>> y = np.array([0] * 100 + [1] * 20)
    >>> X_res, y_res = SVMSMOTE(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([100, 100])
    """

    _neighbor_params = (("k_neighbors", 1), ("m_neighbors", 1))
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_ImblearnSVMSMOTE._parameter_constraints,
        **INTEGER_ROUNDING_CONSTRAINT,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: Any = None,
        k_neighbors: Any = 5,
        m_neighbors: Any = 10,
        svm_estimator: Any = None,
        out_step: float = 0.5,
        integer_rounding: str = "nearest",
    ) -> None:
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
            m_neighbors=m_neighbors,
            svm_estimator=svm_estimator,
            out_step=out_step,
        )
        self.integer_rounding = integer_rounding

    def _rule(self) -> SVMSMOTERule:
        """This sampler's rule: ``_plan_from_model`` with the model fitted on all rows."""
        return SVMSMOTERule(self._plan_from_model)

    def _validate_estimator(self) -> None:
        self.nn_k_ = self._neighbors_estimator("k_neighbors")
        self.nn_m_ = self._neighbors_estimator("m_neighbors")
        if self.svm_estimator is None:
            self.svm_estimator_ = SVC(gamma="scale", random_state=self.random_state)
        else:
            self.svm_estimator_ = clone(self.svm_estimator)
        # imbalanced-learn draws every class's Beta fraction from one stream made here.
        self._fraction_rng = check_random_state(self.random_state)
        self._svm_fitted = False
        self._m_fitted = False

    def _support_rows(self, X: Any, y: NDArray[Any], label: Any) -> NDArray[np.intp]:
        """Indices in ``X`` of the support vectors of class ``label``."""
        shares_stream = isinstance(self.random_state, np.random.RandomState)
        if not self._svm_fitted or shares_stream:
            self.svm_estimator_.fit(X, y)
            self._svm_fitted = True
        if not hasattr(self.svm_estimator_, "support_"):
            raise RuntimeError(
                "`svm_estimator` is required to exposed a `support_` fitted attribute. "
                f"svm_estimator={self.svm_estimator!r} has none after fit; SVMSMOTE grows from "
                "support vectors, so pass a support vector machine such as sklearn.svm.SVC."
            )
        support = np.asarray(self.svm_estimator_.support_, dtype=np.intp)
        return support[y[support] == label]

    def _plan_from_model(
        self, X: Any, y: NDArray[Any], label: Any, class_index: NDArray[np.intp], n_samples: int
    ) -> SyntheticPlan:
        support = self._support_rows(X, y, label)
        if not self._m_fitted:
            fit_neighbors(self.nn_m_, X, self.m_neighbors, "m_neighbors", "SVMSMOTE")
            self._m_fitted = True
        n_other, m = other_class_counts(self.nn_m_, X, y, support, label)
        not_noise = ~is_noise(n_other, m)
        support, n_other = support[not_noise], n_other[not_noise]
        if support.size == 0:
            raise ValueError(
                f"All support vectors are considered as noise. SVM-SMOTE is not adapted to your "
                f"dataset: every support vector of class {shown(label)!r} has only other "
                f"classes among its m_neighbors={m} nearest neighbours. Try another SMOTE "
                "variant (SMOTE, BorderlineSMOTE), a larger m_neighbors or another "
                "svm_estimator."
            )
        danger = in_danger(n_other, m)

        k = neighbors_count(self.k_neighbors)
        if k is not None:
            check_class_large_enough(class_index.size, k, label, value=self.k_neighbors)
        X_class = X[class_index]
        self.nn_k_.fit(X_class)
        local = np.searchsorted(class_index, support)
        fraction = self._fraction_rng.beta(10, 10)
        n_danger = int(fraction * (n_samples + 1))

        groups = [(danger, n_danger, 1.0), (~danger, n_samples - n_danger, -self.out_step)]
        present = [g for g in groups if g[0].any()]
        plans, rngs = [], []
        for mask, n, step in present:
            rng = self._class_rng()
            graph = neighbors_of_rows(self.nn_k_, X_class, local[mask])
            plan = draw_smote(rng, graph, n, step=step)
            plans.append(SyntheticPlan(local[mask][plan.base], plan.neighbor, plan.gap))
            rngs.append((rng, graph, local[mask], step))
        missing = n_samples - sum(len(p) for p in plans)
        if missing > 0:
            # One group is empty: its share goes to the other, after imbalanced-learn's rows.
            rng, graph, rows, step = rngs[-1]
            plan = draw_smote(rng, graph, missing, step=step)
            plans.append(SyntheticPlan(rows[plan.base], plan.neighbor, plan.gap))
        return concat_plans(plans).remap(class_index)

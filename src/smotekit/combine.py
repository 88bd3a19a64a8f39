"""Oversampling followed by cleaning: SMOTE-Tomek and SMOTE-ENN with any smotekit sampler.

Drop-ins for ``imblearn.combine.SMOTETomek`` and ``imblearn.combine.SMOTEENN``: the same
constructor and the same output for the same ``random_state`` (their default oversampler is
smotekit's :class:`~smotekit.SMOTE`, identical to imbalanced-learn's, and their default cleaners
are smotekit's :class:`~smotekit.under_sampling.TomekLinks` and
:class:`~smotekit.under_sampling.EditedNearestNeighbours`, which keep imbalanced-learn's rows
and search the whole resampled data with smotekit's exact neighbour search). Where
imbalanced-learn's accept only SMOTE, SMOTE-NC and SMOTE-N as ``smote``, these accept any
oversampler with ``fit_resample`` (BorderlineSMOTE, SVMSMOTE, ADASYN, KMeansSMOTE, ...), and
they report which output rows are synthetic and where each came from.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from imblearn.combine import SMOTEENN as _ImblearnSMOTEENN
from imblearn.combine import SMOTETomek as _ImblearnSMOTETomek
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods

from smotekit.over_sampling._base import FrameResampleMixin

__all__ = ["SMOTEENN", "SMOTETomek"]

_ANY_OVERSAMPLER = [HasMethods(["fit_resample"]), None]


class _OversampleThenCleanMixin(FrameResampleMixin):
    """The oversampler default and the bookkeeping both combined samplers share."""

    smote: Any
    sampling_strategy: Any
    random_state: Any

    def _accepts_categories(self) -> bool:
        accepts = getattr(self.smote, "_accepts_categories", None)
        return bool(accepts()) if accepts is not None else False

    def _integer_rounding(self) -> str:
        return str(getattr(self.smote, "integer_rounding", "nearest"))

    def _original_rows(self, n_input: int, n_output: int) -> NDArray[np.intp]:
        """The oversampler's rows the cleaner kept: those below ``n_input`` are input rows."""
        cleaner = getattr(self, "tomek_", None) or getattr(self, "enn_", None)
        kept = getattr(cleaner, "sample_indices_", None)
        if kept is None or len(kept) != n_output:
            return np.full(n_output, -1)  # unknown: every row is converted
        kept = np.asarray(kept)
        return np.where(kept < n_input, kept, -1)

    def _rules(self) -> tuple[Any, Any]:
        """The engine rules of the oversampler and of the cleaner (parameters read, not fitted).

        Examples
        --------
        >>> from smotekit import SMOTEENN
        >>> over, clean = SMOTEENN(random_state=0)._rules()
        >>> type(over).__name__, type(clean).__name__
        ('SMOTERule', 'ENNRule')
        """
        from smotekit.over_sampling._rules import rule_for

        cleaning = self._cleaning_rule()
        return rule_for(self.smote_), cleaning  # type: ignore[attr-defined]

    def _cleaning_rule(self) -> Any:
        """The engine rule of the cleaner alone (whatever the oversampler; parameters read)."""
        from smotekit.under_sampling._rules import cleaning_rule_for

        self._validate_params()  # type: ignore[attr-defined]
        self._validate_estimator()  # type: ignore[attr-defined]
        return cleaning_rule_for(getattr(self, "tomek_", None) or getattr(self, "enn_", None))

    def _default_smote(self) -> Any:
        if self.smote is not None:
            return clone(self.smote)
        from smotekit.over_sampling import SMOTE

        return SMOTE(sampling_strategy=self.sampling_strategy, random_state=self.random_state)

    def _record_origin(self, n_input: int, cleaner: Any) -> None:
        """Which output rows are synthetic, and their provenance, after cleaning."""
        kept = getattr(cleaner, "sample_indices_", None)
        if kept is None:
            return
        kept = np.asarray(kept)
        self.synthetic_mask_: NDArray[np.bool_] = kept >= n_input
        records = getattr(self.smote_, "provenance_", None)  # type: ignore[attr-defined]
        if records is not None:
            self.provenance_ = records[kept[self.synthetic_mask_] - n_input]


class SMOTETomek(_OversampleThenCleanMixin, _ImblearnSMOTETomek):
    """Oversample, then remove Tomek links: imbalanced-learn's SMOTETomek with any oversampler.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Passed to the default SMOTE (ignored when ``smote`` is given), as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Passed to the default SMOTE.
    smote : sampler, default=None
        Any oversampler with ``fit_resample``: a smotekit sampler (``BorderlineSMOTE(...)``,
        ``ADASYN(...)``, ...) or an imbalanced-learn one; ``None`` means
        ``smotekit.SMOTE(sampling_strategy=sampling_strategy, random_state=random_state)``.
    tomek : TomekLinks, default=None
        The cleaner: smotekit's or imbalanced-learn's; ``None`` means smotekit's
        ``TomekLinks(sampling_strategy="all", n_jobs=n_jobs)``.
    n_jobs : int, default=None
        Threads of the default cleaner's neighbour search (``None``: every core).

    Attributes
    ----------
    smote_ : sampler
        The oversampler used (a clone of ``smote``).
    tomek_ : TomekLinks
        The cleaner used.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    synthetic_mask_ : ndarray of bool
        Per output row, whether it is synthetic.
    provenance_ : structured ndarray
        The oversampler's ``provenance_`` records of the synthetic rows that survived the
        cleaning, in output order (only when the oversampler records provenance, as every
        smotekit sampler does).

    See Also
    --------
    SMOTEENN : Oversample, then clean with edited nearest neighbours.

    References
    ----------
    .. [1] G. Batista, B. Bazzan, M. Monard, "Balancing Training Data for Automated Annotation of
       Keywords: a Case Study", WOB, 10-18, 2003.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import BorderlineSMOTE, SMOTETomek
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, size=(100, 2)), rng.normal(1, 1, size=(20, 2))])
    >>> y = np.array([0] * 100 + [1] * 20)
    >>> sampler = SMOTETomek(smote=BorderlineSMOTE(random_state=0))
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> bool(sampler.synthetic_mask_.sum() == len(sampler.provenance_))
    True
    """

    _parameter_constraints: dict = {**_ImblearnSMOTETomek._parameter_constraints}
    _parameter_constraints["smote"] = _ANY_OVERSAMPLER

    def _validate_estimator(self) -> None:
        super()._validate_estimator()
        self.smote_ = self._default_smote()
        if self.tomek is None:
            from smotekit.under_sampling import TomekLinks

            self.tomek_ = TomekLinks(sampling_strategy="all", n_jobs=self.n_jobs)

    def _fit_resample(self, X: Any, y: Any, **params: Any) -> Any:
        output = super()._fit_resample(X, y)
        self._record_origin(X.shape[0], self.tomek_)
        return output


class SMOTEENN(_OversampleThenCleanMixin, _ImblearnSMOTEENN):
    """Oversample, then clean with edited nearest neighbours: imbalanced-learn's SMOTEENN with any
    oversampler.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Passed to the default SMOTE (ignored when ``smote`` is given), as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Passed to the default SMOTE.
    smote : sampler, default=None
        Any oversampler with ``fit_resample``; ``None`` means
        ``smotekit.SMOTE(sampling_strategy=sampling_strategy, random_state=random_state)``.
    enn : EditedNearestNeighbours, default=None
        The cleaner: smotekit's or imbalanced-learn's; ``None`` means smotekit's
        ``EditedNearestNeighbours(sampling_strategy="all", n_jobs=n_jobs)``.
    n_jobs : int, default=None
        Threads of the default cleaner's neighbour search (``None``: every core).

    Attributes
    ----------
    smote_ : sampler
        The oversampler used (a clone of ``smote``).
    enn_ : EditedNearestNeighbours
        The cleaner used.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    synthetic_mask_ : ndarray of bool
        Per output row, whether it is synthetic.
    provenance_ : structured ndarray
        The oversampler's ``provenance_`` records of the synthetic rows that survived the
        cleaning, in output order (only when the oversampler records provenance, as every
        smotekit sampler does).

    See Also
    --------
    SMOTETomek : Oversample, then remove Tomek links.

    References
    ----------
    .. [1] G. Batista, R. C. Prati, M. C. Monard, "A study of the behavior of several methods
       for balancing machine learning training data", ACM SIGKDD Explorations Newsletter, 6(1),
       20-29, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import ADASYN, SMOTEENN
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, size=(100, 2)), rng.normal(1, 1, size=(20, 2))])
    >>> y = np.array([0] * 100 + [1] * 20)
    >>> sampler = SMOTEENN(smote=ADASYN(random_state=0))
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> bool(len(y_res) < 200)
    True
    """

    _parameter_constraints: dict = {**_ImblearnSMOTEENN._parameter_constraints}
    _parameter_constraints["smote"] = _ANY_OVERSAMPLER

    def _validate_estimator(self) -> None:
        super()._validate_estimator()
        self.smote_ = self._default_smote()
        if self.enn is None:
            from smotekit.under_sampling import EditedNearestNeighbours

            self.enn_ = EditedNearestNeighbours(sampling_strategy="all", n_jobs=self.n_jobs)

    def _fit_resample(self, X: Any, y: Any, **params: Any) -> Any:
        output = super()._fit_resample(X, y)
        self._record_origin(X.shape[0], self.enn_)
        return output

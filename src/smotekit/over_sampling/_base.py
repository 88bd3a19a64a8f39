"""The machinery every smotekit sampler shares.

A sampler only says, per class to grow, *which* rows to grow from, *towards* which partners and
*how far*: a :class:`~smotekit._kernels.SyntheticPlan`. This mixin validates the input, asks the
sampler for one plan per class (in sorted label order, as imbalanced-learn does), preallocates the
output once, fills it with the one interpolation kernel and keeps the plans as ``provenance_``.
"""

from __future__ import annotations

import numbers
from abc import abstractmethod
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import StrOptions
from sklearn_compat.utils.validation import validate_data

from smotekit._kernels import INTEGER_ROUNDING, SyntheticPlan, concat_plans
from smotekit._validation import (
    check_finite,
    check_labels,
    check_strategy_counts,
    explain_strategy_result,
)
from smotekit.engine._memory import run_in_memory
from smotekit.engine._rule import SamplerRule
from smotekit.neighbors import ExactNeighbors

__all__ = [
    "INTEGER_ROUNDING_CONSTRAINT",
    "FrameResampleMixin",
    "SyntheticSamplerMixin",
    "make_neighbors_estimator",
    "neighbors_count",
]

#: The ``integer_rounding`` entry of a sampler's ``_parameter_constraints``.
INTEGER_ROUNDING_CONSTRAINT = {"integer_rounding": [StrOptions(set(INTEGER_ROUNDING))]}


def make_neighbors_estimator(value: Any, additional: int = 1) -> Any:
    """An int ``k`` becomes smotekit's exact search for ``k + additional``; an object is cloned."""
    if isinstance(value, numbers.Integral):
        return ExactNeighbors(n_neighbors=int(value) + additional)
    return clone(value)


def neighbors_count(value: Any, additional: int = 1) -> int | None:
    """Neighbours (self excluded) that a ``k_neighbors``-style parameter asks for, if known."""
    if isinstance(value, numbers.Integral):
        return int(value)
    n = getattr(value, "n_neighbors", None)
    return int(n) - additional if isinstance(n, numbers.Integral) else None


class FrameResampleMixin:
    """``fit_resample`` for every kind of input, with clear errors for labels and strategies.

    Frames (pandas, polars) are handed to the sampler as one NumPy array and given back in their
    library, names and dtypes, their original rows copied exactly (see :mod:`smotekit._frames`).
    Subclasses say which output rows are originals (:meth:`_original_rows`) and how integer
    columns are rounded (:meth:`_integer_rounding`).
    """

    sampling_strategy: Any

    def fit_resample(self, X: Any, y: Any, **params: Any) -> Any:
        """Resample the data set: its rows unchanged, then the synthetic ones.

        Parameters
        ----------
        X : {array-like, sparse matrix, pandas or polars DataFrame} of shape \
(n_samples, n_features)
            The samples. Integer and boolean columns are interpolated in float64 and stored
            rounded to the nearest integer (or truncated, with ``integer_rounding="truncate"``),
            clipped to their dtype's range. pandas (nullable and pyarrow-backed dtypes too) and
            polars frames come back in the same library with the same column names and dtypes;
            their original rows are copied exactly, never converted.
        y : array-like, pandas or polars Series of shape (n_samples,)
            The class of each sample.
        **params : dict
            Extra parameters for the sampler (none is used).

        Returns
        -------
        X_resampled : {ndarray, sparse matrix, DataFrame} of shape (n_samples_new, n_features)
            The rows of ``X`` in their order, then one block of synthetic rows per class grown,
            in sorted label order; the same kind of container as ``X``.
        y_resampled : {ndarray, Series} of shape (n_samples_new,)
            The label of each row; a Series when ``y`` is one.
        """
        from smotekit._frames import frame_round_trip

        check_labels(y)
        check_strategy_counts(self.sampling_strategy)
        trip = frame_round_trip(X, y, type(self).__name__, self._accepts_categories())
        self._input_columns = None if trip is None or trip.columns is None else trip.columns
        try:
            if trip is None:
                return super().fit_resample(X, y, **params)  # type: ignore[misc]
            X_res, y_res, *rest = super().fit_resample(  # type: ignore[misc]
                trip.X, trip.y, **params
            )
        except (AttributeError, TypeError):
            explain_strategy_result(self.sampling_strategy, y if trip is None else trip.y)
            raise
        trip.name_features(self)
        origin = self._original_rows(np.shape(trip.X)[0], np.shape(X_res)[0])
        return (*trip.restore(X_res, y_res, origin, self._integer_rounding()), *rest)

    def _accepts_categories(self) -> bool:
        """Whether text and categorical columns are data for this sampler (SMOTE-NC, SMOTE-N)."""
        return False

    def _integer_rounding(self) -> str:
        return str(getattr(self, "integer_rounding", "nearest"))

    def _original_rows(self, n_input: int, n_output: int) -> NDArray[np.intp]:
        """Per output row, the input row it is (-1 for synthetic): the inputs come first."""
        return np.r_[np.arange(n_input), np.full(n_output - n_input, -1)]

    def _column_names(self) -> list[Any] | None:
        columns = getattr(self, "_input_columns", None)
        return None if columns is None else columns.names


class SyntheticSamplerMixin(FrameResampleMixin):
    """Validation, output assembly and provenance for samplers built on the shared kernel.

    Put it first among the bases of a sampler that also subclasses imbalanced-learn's class, and
    return its engine rule from :meth:`_rule`. Declare the sampler's neighbour parameters in
    ``_neighbor_params`` and build their searches with ``_neighbors_estimator``.

    Attributes set by ``fit_resample``
    ----------------------------------
    provenance_ : structured ndarray of :data:`~smotekit._kernels.PROVENANCE_DTYPE`
        One record per synthetic row, in output order: ``base`` and ``neighbor`` index the ``X``
        given to ``fit_resample``; ``gap`` is the interpolation fraction.
    """

    #: Each neighbour parameter and how many neighbours its search adds for the asking row
    #: itself: ``k_neighbors=5`` searches ``5 + 1`` (ProWSyn's ``n_neighbors`` adds none). The
    #: command line's ``--k-neighbors`` (and ``--approximate``) set the first.
    _neighbor_params: ClassVar[tuple[tuple[str, int], ...]] = ()

    def _neighbors_estimator(self, param: str) -> Any:
        """The search of neighbour parameter ``param``, as :attr:`_neighbor_params` declares it."""
        added = dict(self._neighbor_params)[param]
        return make_neighbors_estimator(getattr(self, param), additional=added)

    random_state: Any
    sampling_strategy_: dict[Any, int]

    @property
    def provenance_(self) -> NDArray[np.void]:
        """One record per synthetic row (see the class's Attributes); built on first access."""
        records = self.__dict__.get("_provenance_records")
        if records is None:
            plans = self.__dict__.get("_provenance_plans")
            if plans is None:
                raise AttributeError(
                    f"{type(self).__name__} has no provenance_ before fit_resample"
                )
            # The plans are kept compact (16 bytes per row) until someone asks for the records.
            records = concat_plans(plans).to_records()
            self.__dict__["_provenance_records"] = records
            del self.__dict__["_provenance_plans"]
        return records

    @provenance_.setter
    def provenance_(self, records: NDArray[np.void]) -> None:
        self.__dict__.pop("_provenance_plans", None)
        self.__dict__["_provenance_records"] = records

    def _keep_provenance(self, plans: list[SyntheticPlan]) -> None:
        self.__dict__.pop("_provenance_records", None)
        self.__dict__["_provenance_plans"] = plans

    # -- hooks -------------------------------------------------------------------------------
    @abstractmethod
    def _rule(self) -> SamplerRule:
        """This sampler's engine rule, built from its parameters (read, not fitted).

        The memory executor runs it in ``fit_resample``; the same rule runs blockwise (files,
        Dask) through :func:`smotekit.over_sampling._rules.rule_for`.
        """

    # -- shared steps --------------------------------------------------------------------------
    def _check_X_y(self, X: Any, y: Any, accept_sparse: Any = None) -> Any:
        from imblearn.utils import check_target_type

        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y = validate_data(
            self,
            X=X,
            y=y,
            reset=True,
            accept_sparse=["csr", "csc"] if accept_sparse is None else accept_sparse,
            ensure_all_finite=False,
        )
        check_finite(X, columns=self._column_names())
        # One comparison instead of a sort: ``np.unique`` runs later anyway, in the strategy.
        if y.size and bool((y == y[0]).all()):
            raise ValueError(
                f"y has a single class ({y[:1].tolist()[0]!r}): with one class there is nothing "
                "to balance. "
                "Oversampling needs at least 2 classes; check the target column."
            )
        return X, y, binarize_y

    def _class_rng(self) -> np.random.RandomState:
        """The RandomState one class draws from.

        imbalanced-learn calls ``check_random_state(self.random_state)`` once per class: an int
        seed restarts the stream for every class, a ``RandomState`` instance continues it, and
        ``None`` uses NumPy's global state. Reproducing that here (and only here) is what makes
        smotekit's output identical to imbalanced-learn's for the same ``random_state``.
        """
        return check_random_state(self.random_state)

    def _fit_resample(self, X: Any, y: NDArray[Any], **params: Any) -> tuple[Any, NDArray[Any]]:
        self._validate_estimator()  # type: ignore[attr-defined]
        return self._run_rule(self._rule(), X, y)

    def _run_rule(self, rule: SamplerRule, X: Any, y: NDArray[Any]) -> tuple[Any, NDArray[Any]]:
        """``rule`` on the memory executor; keeps the provenance and what the rule learnt."""
        X_res, y_res, plans = run_in_memory(
            rule,
            X,
            y,
            self.sampling_strategy_,
            self.random_state,
            integer_rounding=self._integer_rounding(),
        )
        self._keep_provenance(plans)
        for name, value in rule.fitted().items():
            setattr(self, name, value)
        return X_res, y_res

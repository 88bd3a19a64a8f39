"""SMOTE-N (Chawla et al., 2002), a drop-in for ``imblearn.over_sampling.SMOTEN``."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from imblearn.over_sampling import SMOTEN as _ImblearnSMOTEN
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import clone
from sklearn.preprocessing import OrdinalEncoder
from sklearn_compat.utils.validation import validate_data

from smotekit._kernels import SyntheticPlan
from smotekit._validation import warn_user
from smotekit.engine import Capabilities, Chunk, ClassJob, PlanPiece, Randint, SamplerRule, Segment
from smotekit.engine._queries import VDMQuery
from smotekit.engine._special import ClassSummary
from smotekit.exceptions import SparseConversionWarning
from smotekit.over_sampling._base import SyntheticSamplerMixin
from smotekit.over_sampling._smotenc import check_two_classes, encode_categories

__all__ = ["SMOTEN", "SMOTENRule"]


def mode_of_neighborhoods(
    codes: NDArray[Any], neighborhoods: NDArray[np.intp], base: NDArray[np.intp]
) -> NDArray[np.int64]:
    """Per feature, the most frequent category in each base row's neighbourhood.

    Ties go to the smallest category number, as with ``scipy.stats.mode``. Built feature by
    feature with one count table per chunk: memory proportional to the output.
    """
    n = base.shape[0]
    out = np.empty((n, codes.shape[1]), dtype=np.int64)
    for j in range(codes.shape[1]):
        feature = codes[:, j].astype(np.intp)
        n_cat = int(feature.max()) + 1
        chunk = max(1, (1 << 20) // max(n_cat, neighborhoods.shape[1]))
        for start in range(0, n, chunk):
            votes = feature[neighborhoods[base[start : start + chunk]]]
            rows = votes.shape[0]
            flat = (np.arange(rows)[:, np.newaxis] * n_cat + votes).ravel()
            counts = np.bincount(flat, minlength=rows * n_cat).reshape(rows, n_cat)
            out[start : start + rows, j] = counts.argmax(axis=1)
    return out


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except TypeError:  # pandas.NA has no truth value
        return True


def missing_as_none(X: NDArray[Any]) -> NDArray[Any]:
    """``X`` with every missing value (NaN, None, NaT, pandas.NA) as None: one category.

    scikit-learn's ordinal encoder takes None as a category but refuses NaN in an integer code.
    """
    if X.dtype.kind == "f":
        missing = np.isnan(X)
    elif X.dtype == object:
        missing = np.frompyfunc(_is_missing, 1, 1)(X).astype(bool)
    else:
        return X
    if not missing.any():
        return X
    values = X.astype(object)
    values[missing] = None
    return values


class SMOTENRule(SamplerRule):
    """SMOTE-N for the engine, on rows of integer category codes.

    Every class row asks its VDM neighbourhood (:class:`~smotekit.engine._queries.VDMQuery`:
    ``k`` nearest class rows and itself); each synthetic row draws a base row
    (imbalanced-learn's ``choice(m, n)``, the same draws as ``randint(0, m, n)``) and
    :meth:`finish` writes, per feature, the most frequent code of the base's neighbourhood.
    """

    capabilities = Capabilities(features="categorical")

    def __init__(self, k_neighbors: Any, estimator: Any = None) -> None:
        k = int(k_neighbors) if isinstance(k_neighbors, numbers.Integral) else None
        self.vdm = VDMQuery("vdm", k, None if k is not None else estimator)

    def class_queries(self) -> tuple[VDMQuery, ClassSummary]:
        # The neighbourhoods, and the class's codes that they vote with.
        return (self.vdm, ClassSummary("codes", lambda job, X_class: X_class))

    def segments(self, job: ClassJob) -> list[Segment]:
        return [Segment(job.n_samples, (Randint("base", job.n_class),))]

    def plan(self, job: ClassJob, draws: dict[str, NDArray[Any]]) -> PlanPiece:
        n = draws["base"].size
        no_partner = np.full(n, -1, dtype=np.intp)
        return PlanPiece(SyntheticPlan(draws["base"], no_partner, np.full(n, np.nan)))

    def finish(self, job: ClassJob, chunk: Chunk) -> None:
        chunk.out[:] = mode_of_neighborhoods(job.stats["codes"], job.stats["vdm"], chunk.plan.base)


class SMOTEN(SyntheticSamplerMixin, _ImblearnSMOTEN):
    """SMOTE for categorical data only, identical to imbalanced-learn's.

    Distances between rows are the Value Difference Metric (VDM): two categories of a feature
    are close when they are spread over the classes in similar proportions. For each synthetic
    row a row ``x`` of the class is drawn at random and each feature takes its most frequent
    category among ``x``'s ``k_neighbors + 1`` nearest rows under VDM, ``x`` itself included
    (ties go to the first category in sorted order). For the same ``random_state`` the output
    equals ``imblearn.over_sampling.SMOTEN``'s.

    Parameters
    ----------
    categorical_encoder : estimator, default=None
        Ordinal encoder of the categories; ``None`` uses ``OrdinalEncoder(dtype=np.int32)``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws; an int restarts the stream for every class, as in imbalanced-learn.
    k_neighbors : int or estimator, default=5
        Size of the neighbourhood (besides the row itself) that votes, or an object with
        ``kneighbors`` accepting ``metric="precomputed"``.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples generated per class.
    categorical_encoder_ : estimator
        The fitted encoder.
    nn_k_ : estimator
        The neighbour search configuration (``metric="precomputed"``); with an int
        ``k_neighbors`` smotekit searches the VDM matrix block by block instead of fitting it.
    provenance_ : structured ndarray
        One record per synthetic row, in output order: ``base`` is the row whose neighbourhood
        voted; a vote has no single partner and no interpolation fraction, so ``neighbor`` is
        -1 and ``gap`` is nan.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    SMOTENC : For mixed continuous and categorical data.

    Notes
    -----
    imbalanced-learn builds the full ``m x m`` VDM matrix of each class and a
    ``(n_new, k + 1, n_features)`` array for the vote; smotekit holds one block of distance rows
    and one chunk of counts at a time, with the same result. A missing value (None, NaN) is a
    category of its own (imbalanced-learn refuses it), voted like any other.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE: synthetic minority
       over-sampling technique", Journal of Artificial Intelligence Research, 16, 321-357, 2002.
    .. [2] C. Stanfill, D. Waltz, "Toward memory-based reasoning", Communications of the ACM,
       29(12), 1213-1228, 1986.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTEN
    >>> X = np.array(["A"] * 10 + ["B"] * 20 + ["A"] * 5, dtype=object).reshape(-1, 1)
    >>> y = np.array([0] * 20 + [1] * 15)
    >>> X_res, y_res = SMOTEN(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res), X_res.shape
    (array([20, 20]), (40, 1))
    """

    _neighbor_params = (("k_neighbors", 1),)

    def _accepts_categories(self) -> bool:
        return True

    def _check_X_y(self, X: Any, y: Any, accept_sparse: Any = None) -> Any:
        from imblearn.utils import check_target_type

        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        # Missing values are categories here (imbalanced-learn refuses them).
        X, y = validate_data(
            self,
            X=X,
            y=y,
            reset=True,
            dtype=None,
            accept_sparse=["csr", "csc"],
            ensure_all_finite=False,
        )
        check_two_classes(y)
        return X, y, binarize_y

    def _fit_resample(self, X: Any, y: NDArray[Any], **params: Any) -> tuple[Any, NDArray[Any]]:
        sparse_format = None
        if sparse.issparse(X):
            sparse_format = X.format
            X = X.toarray()
            warn_user(
                "Passing a sparse matrix to SMOTEN is not really efficient: it is converted to a "
                "dense array internally.",
                SparseConversionWarning,
            )
        _ImblearnSMOTEN._validate_estimator(self)
        if self.categorical_encoder is None:
            self.categorical_encoder_ = OrdinalEncoder(dtype=np.int32)
        else:
            self.categorical_encoder_ = clone(self.categorical_encoder)
        X_encoded = encode_categories(
            self.categorical_encoder_,
            missing_as_none(X),
            np.arange(X.shape[1]),
            self._column_names(),
        )
        n = X.shape[0]
        codes, y_res = self._run_rule(self._rule(), X_encoded, y)
        blocks = []
        if codes.shape[0] > n:
            block = self.categorical_encoder_.inverse_transform(codes[n:])
            blocks.append(block if X.dtype == object else block.astype(X.dtype))
        X_res = np.vstack([X, *blocks])
        if sparse_format is not None:
            return sparse.csr_matrix(X_res).asformat(sparse_format), y_res
        return X_res, y_res

    def _rule(self) -> SMOTENRule:
        """This sampler's engine rule, from its parameters (it runs on category codes)."""
        estimator = None
        if not isinstance(self.k_neighbors, numbers.Integral):
            estimator = getattr(self, "nn_k_", None)
            estimator = clone(self.k_neighbors) if estimator is None else estimator
        return SMOTENRule(self.k_neighbors, estimator)

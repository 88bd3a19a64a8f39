"""SMOTE-NC (Chawla et al., 2002), a drop-in for ``imblearn.over_sampling.SMOTENC``."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from itertools import pairwise
from typing import Any, ClassVar

import numpy as np
from imblearn.over_sampling import SMOTENC as _ImblearnSMOTENC
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import clone
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils import _safe_indexing, check_array
from sklearn.utils.validation import _num_features

from smotekit._kernels import SyntheticPlan
from smotekit._validation import check_finite
from smotekit.engine import Capabilities, Chunk, ClassJob
from smotekit.over_sampling._base import (
    INTEGER_ROUNDING_CONSTRAINT,
    SyntheticSamplerMixin,
)
from smotekit.over_sampling._smote import SMOTERule

__all__ = [
    "SMOTENC",
    "SMOTENCRule",
    "check_two_classes",
    "encode_categories",
    "index_columns",
    "neighbor_space",
    "tie_counts",
    "tie_ranks",
    "vote_categories",
    "vote_feature",
]

# Budget of one vote chunk's count table (rows x categories of one feature), in cells.
VOTE_CHUNK_CELLS = 1 << 18
# The neighbour search sees the class densely (exact float64 search) while its one-hot part is
# narrow and the matrix small; wider encodings stay sparse, so memory never scales with
# rows x categories.
DENSE_ENCODING_BYTES = 256 * 2**20
DENSE_MAX_CATEGORIES = 64


def _search_dtype(X_cont: NDArray[Any]) -> np.dtype:
    """The dtype of the neighbour search space: the continuous block's float dtype, float64 for
    integers and for float16 (scipy.sparse has no float16)."""
    dtype = X_cont.dtype
    return dtype if dtype.kind == "f" and dtype != np.float16 else np.dtype(np.float64)


def _column_stds(X: NDArray[Any]) -> NDArray[np.float64]:
    """Standard deviation of each column in float64, finite for finite input.

    Where the plain computation overflows (values beyond about 1e154), each column is scaled by
    a power of two first, which is exact.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        std = np.std(X, axis=0, dtype=np.float64)
    if np.isfinite(std).all():
        return std
    largest = np.abs(X).max(axis=0).astype(np.float64)
    scale = np.ldexp(1.0, np.frexp(largest)[1] - 1)
    scale[scale == 0] = 1.0
    return np.std(X / scale, axis=0, dtype=np.float64) * scale


def _category_codes(X_ohe: Any, offsets: NDArray[np.intp], n_rows: int) -> NDArray[np.intp]:
    """Per-feature category numbers from a full one-hot matrix, without densifying it."""
    coo = sparse.coo_matrix(X_ohe)
    feature = np.searchsorted(offsets, coo.col, side="right") - 1
    codes = np.zeros((n_rows, offsets.size - 1), dtype=np.intp)
    codes[coo.row, feature] = coo.col - offsets[feature]
    return codes


def check_two_classes(y: NDArray[Any]) -> None:
    """Refuse a target with a single class (imbalanced-learn's wording, with the fix)."""
    classes = np.unique(y)
    if classes.size < 2:
        raise ValueError(
            f"The target 'y' needs to have more than 1 class; it has a single class "
            f"({classes.tolist()[0]!r}), so there is nothing to balance. Check the target column."
        )


def resolve_columns(spec: Any, n_features: int, names: list[Any] | None) -> NDArray[np.intp]:
    """Column indices from indices, a boolean mask or column names (``names``: a frame's)."""
    if isinstance(spec, str | numbers.Integral) and not isinstance(spec, bool | np.bool_):
        spec = [spec]
    values = list(spec.tolist() if hasattr(spec, "tolist") else spec)
    if values and all(isinstance(v, bool | np.bool_) for v in values):
        if len(values) != n_features:
            raise IndexError(f"a boolean mask needs {n_features} entries, got {len(values)}")
        return np.flatnonzero(values)
    if all(isinstance(v, numbers.Integral) for v in values):
        index = np.asarray(values, dtype=np.intp)
        if ((index < -n_features) | (index >= n_features)).any():
            raise IndexError(f"all features must be in [0, {n_features - 1}] or [-{n_features}, 0]")
        return index % n_features
    if names is None:
        raise TypeError("column names select columns of a DataFrame only")
    lookup = {name: j for j, name in enumerate(names)}
    unknown = [v for v in values if v not in lookup]
    if unknown:
        raise KeyError(f"no column named {unknown[0]!r}")
    return np.array([lookup[v] for v in values], dtype=np.intp)


def encode_categories(
    encoder: Any, X_cat: Any, features: NDArray[np.intp], names: list[Any] | None
) -> Any:
    """``encoder.fit_transform(X_cat)``; a column mixing numbers and text is named in the error.

    scikit-learn's encoders sort each column's values, which numbers and strings together
    cannot be.
    """
    try:
        return encoder.fit_transform(X_cat)
    except TypeError as exc:
        values = np.asarray(X_cat, dtype=object)
        for j in range(values.shape[1]):
            kinds = {type(v).__name__ for v in values[:, j] if isinstance(v, str | numbers.Number)}
            if "str" in kinds and len(kinds) > 1:
                name = names[features[j]] if names is not None else features[j]
                raise ValueError(
                    f"Categorical column {name!r} mixes text and numbers "
                    f"({', '.join(sorted(kinds))}): its categories cannot be sorted. Make it "
                    f"one type, e.g. X[{name!r}].astype(str)."
                ) from exc
        raise


def _tied_maxima(
    neighbor_codes: NDArray[np.intp], n_categories: int, value: float
) -> NDArray[np.bool_]:
    """Which categories get the most votes among each row's neighbours (ties included).

    imbalanced-learn sums the scaled one-hot entries (``value`` each) and calls two sums equal
    with ``numpy.isclose``; the same test on ``count * value`` gives the same ties.
    """
    rows = neighbor_codes.shape[0]
    flat = (np.arange(rows)[:, np.newaxis] * n_categories + neighbor_codes).ravel()
    counts = np.bincount(flat, minlength=rows * n_categories).reshape(rows, n_categories)
    sums = counts * value
    best = sums.max(axis=1, keepdims=True)
    return np.abs(sums - best) <= 1e-8 + 1e-5 * np.abs(best)


def vote_categories(
    rng: np.random.RandomState,
    codes: NDArray[np.intp],
    neighbors: NDArray[np.intp],
    base: NDArray[np.intp],
    n_categories: list[int],
    value: float,
) -> NDArray[np.intp]:
    """Most frequent category among each base row's neighbours, feature by feature.

    Ties are broken as imbalanced-learn breaks them: one ``rng.permutation`` per feature over
    all (row, tied category) pairs, in row-major order, the first pair of each row winning. The
    count table is built chunk by chunk, so memory stays proportional to the number of rows
    generated (at most ``k`` tied pairs per row), never to ``rows x k x categories``.

    Parameters
    ----------
    rng : numpy.random.RandomState
        Advanced by one permutation per categorical feature.
    codes : ndarray of shape (m, n_cat_features)
        Category numbers of the class's rows.
    neighbors : ndarray of shape (m, k)
        Each row's neighbours within the class (class-local row numbers).
    base : ndarray of shape (n,)
        The class-local row each synthetic row grows from.
    n_categories : list of int
        Categories per feature.
    value : float
        The value a one-hot entry has in the neighbour search (decides near-ties as
        imbalanced-learn does).

    Returns
    -------
    ndarray of shape (n, n_cat_features)
        Category numbers of the synthetic rows.
    """
    n = base.shape[0]
    out = np.empty((n, len(n_categories)), dtype=np.intp)
    for j, n_cat in enumerate(n_categories):
        ties = tie_counts(codes[:, j], neighbors, base, n_cat, value)
        rank, first_pair = tie_ranks(rng, ties)
        vote_feature(codes[:, j], neighbors, base, n_cat, value, rank, first_pair, out[:, j])
    return out


def _chunk_votes(
    feature_codes: NDArray[np.intp], neighbors: NDArray[np.intp], base: NDArray[np.intp], n_cat: int
) -> Iterator[tuple[int, int, NDArray[np.intp]]]:
    """The categories of each base row's neighbours, a chunk of rows at a time."""
    n = base.shape[0]
    chunk = max(1, VOTE_CHUNK_CELLS // max(n_cat, neighbors.shape[1]))
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        yield start, stop, feature_codes[neighbors[base[start:stop]]]


def tie_counts(
    feature_codes: NDArray[np.intp],
    neighbors: NDArray[np.intp],
    base: NDArray[np.intp],
    n_cat: int,
    value: float,
) -> NDArray[np.intp]:
    """Per base row, how many categories of one feature tie for most votes among its neighbours."""
    ties = np.empty(base.shape[0], dtype=np.intp)
    for start, stop, votes in _chunk_votes(feature_codes, neighbors, base, n_cat):
        ties[start:stop] = _tied_maxima(votes, n_cat, value).sum(axis=1)
    return ties


def tie_ranks(
    rng: np.random.RandomState, ties: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Where each tied (row, category) pair lands in ``rng.permutation``, and each row's first pair.

    imbalanced-learn permutes all tied pairs of a feature, in row order, and each row keeps its
    pair that comes first: ``rank[p]`` is pair ``p``'s position, ``first_pair[i]`` row ``i``'s
    first pair.
    """
    order = rng.permutation(int(ties.sum()))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    first_pair = np.concatenate(([0], np.cumsum(ties)[:-1])).astype(np.intp)
    return rank, first_pair


def vote_feature(
    feature_codes: NDArray[np.intp],
    neighbors: NDArray[np.intp],
    base: NDArray[np.intp],
    n_cat: int,
    value: float,
    rank: NDArray[np.intp],
    first_pair: NDArray[np.intp],
    out: NDArray[np.intp],
) -> None:
    """Write the winning category of each base row into ``out``.

    ``first_pair[i]`` indexes ``rank`` at row ``i``'s first tied pair: the rows may be a part of
    the rows :func:`tie_ranks` ranked, so a class can be voted block by block.
    """
    for start, stop, votes in _chunk_votes(feature_codes, neighbors, base, n_cat):
        rows, cols = np.nonzero(_tied_maxima(votes, n_cat, value))
        pair_rank = rank[first_pair[start] + np.arange(rows.size)]
        row_starts = first_pair[start:stop] - first_pair[start]
        lowest = np.minimum.reduceat(pair_rank, row_starts)
        winners = pair_rank == lowest[rows]
        out[start + rows[winners]] = cols[winners]


def index_columns(spec: Any) -> NDArray[np.intp]:
    """Sorted column indices from indices or a boolean mask (a rule's ``categorical``)."""
    columns = np.asarray(spec)
    if columns.dtype == bool:
        return np.flatnonzero(columns)
    return np.unique(columns.astype(np.intp))


def neighbor_space(
    X_cont: NDArray[Any], codes: NDArray[np.intp], offsets: NDArray[np.intp], value: Any
) -> Any:
    """Rows as SMOTE-NC's neighbour search sees them: continuous | one-hot scaled by ``value``.

    ``codes`` are the rows' category numbers per feature, ``offsets`` where each feature's
    one-hot columns start (one more entry: the total).
    """
    m, n_cont = X_cont.shape
    width = n_cont + int(offsets[-1])
    dtype = _search_dtype(X_cont)
    cols = (codes + offsets[:-1]).ravel() + n_cont
    rows = np.repeat(np.arange(m), codes.shape[1])
    if offsets[-1] <= DENSE_MAX_CATEGORIES and m * width * dtype.itemsize <= DENSE_ENCODING_BYTES:
        space = np.zeros((m, width), dtype=dtype)
        space[:, :n_cont] = X_cont
        space[rows, cols] = value
        return space
    onehot = sparse.csr_matrix(
        (np.full(rows.size, value, dtype=dtype), (rows, cols - n_cont)),
        shape=(m, int(offsets[-1])),
    )
    return sparse.hstack([sparse.csr_matrix(X_cont, dtype=dtype), onehot], format="csr")


class SMOTENCRule(SMOTERule):
    """SMOTE-NC's rule: SMOTE on the continuous columns, then a vote for each category.

    A class is searched as its continuous columns and a one-hot encoding of its categories
    scaled by the median standard deviation of the continuous columns over sqrt(2)
    (:func:`neighbor_space`); :meth:`finish` gives each synthetic row, per categorical feature,
    the category most frequent among its base's neighbours (:func:`vote_feature`), ties broken
    by one permutation per feature over the whole class (:meth:`prepare_finish`). The data
    comes in one of two forms:

    * ``codes=None``: a numeric array whose ``categorical`` columns hold category values; they
      are interpolated with the rest, then overwritten by the vote (executors over files and
      partitions);
    * ``codes`` given: the array holds the continuous columns only and ``codes`` every row's
      category numbers (``n_categories`` per feature); votes are kept in :attr:`votes`, per
      class, for the estimator to decode (:class:`SMOTENC`, whose columns may be text).

    ``truncate`` truncates the one-hot value for integer data, as imbalanced-learn does.
    """

    capabilities = Capabilities(features="mixed")

    def __init__(
        self,
        k_neighbors: Any,
        categorical: NDArray[np.intp],
        *,
        codes: NDArray[np.intp] | None = None,
        n_categories: list[int] | None = None,
        truncate: bool = False,
    ) -> None:
        super().__init__(k_neighbors)
        self.categorical = categorical
        self.codes, self.n_categories, self.truncate = codes, n_categories, truncate
        self.median_std: dict[Any, float] = {}
        self.votes: dict[Any, NDArray[np.intp]] = {}

    def search_space(self, job: ClassJob, X_class: NDArray[Any]) -> Any:
        if self.codes is None:
            # C order, as the estimator's continuous block: the std's summation order (hence
            # its last bit) depends on the layout.
            continuous = np.setdiff1d(np.arange(X_class.shape[1]), self.categorical)
            cont = np.ascontiguousarray(X_class[:, continuous])
            categories = [np.unique(X_class[:, j]) for j in self.categorical]
            codes = np.column_stack(
                [
                    np.searchsorted(values, X_class[:, j])
                    for values, j in zip(categories, self.categorical, strict=True)
                ]
            )
            n_categories = [c.size for c in categories]
        else:
            assert job.ids is not None and self.n_categories is not None
            cont, codes, categories = X_class, self.codes[job.ids], None
            n_categories = self.n_categories
        median_std = float(np.median(_column_stds(cont)))
        self.median_std[job.label] = median_std
        dtype = _search_dtype(cont)
        value = dtype.type(median_std / np.sqrt(2))
        if self.truncate and cont.dtype.kind in "biu":
            # imbalanced-learn stores the one-hot value in the integer array: truncated.
            value = dtype.type(np.trunc(value))
        offsets = np.concatenate(([0], np.cumsum(n_categories))).astype(np.intp)
        # With a zero median the one-hot entries vanish from the search; imbalanced-learn then
        # votes with plain ones.
        vote_value = 1.0 if math.isclose(median_std / np.sqrt(2), 0) else float(value)
        job.stats.update(
            codes=codes, categories=categories, n_categories=n_categories, vote_value=vote_value
        )
        return neighbor_space(cont, codes, offsets, value)

    def _vote_args(self, job: ClassJob, j: int) -> tuple[Any, ...]:
        assert job.partners is not None
        n_cat = job.stats["n_categories"][j]
        return job.stats["codes"][:, j], job.partners.graph, n_cat, job.stats["vote_value"]

    def prepare_finish(
        self, job: ClassJob, plans: list[SyntheticPlan], rng: np.random.RandomState
    ) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        base = np.concatenate([plan.base for plan in plans])
        ranks = []
        for j in range(len(job.stats["n_categories"])):
            codes, graph, n_cat, value = self._vote_args(job, j)
            ranks.append(tie_ranks(rng, tie_counts(codes, graph, base, n_cat, value)))
        return ranks

    def finish(self, job: ClassJob, chunk: Chunk) -> None:
        n = len(chunk.plan)
        n_features = len(job.stats["n_categories"])
        if self.codes is not None:
            votes = self.votes.setdefault(
                job.label, np.empty((job.n_samples, n_features), dtype=np.intp)
            )
        winners = np.empty(n, dtype=np.intp)
        for j in range(n_features):
            codes, graph, n_cat, value = self._vote_args(job, j)
            rank, first_pair = chunk.state[j]
            pairs = first_pair[chunk.start : chunk.start + n]
            vote_feature(codes, graph, chunk.plan.base, n_cat, value, rank, pairs, winners)
            if self.codes is None:
                chunk.out[:, self.categorical[j]] = job.stats["categories"][j][winners]
            else:
                votes[chunk.start : chunk.start + n, j] = winners

    def fitted(self) -> dict[str, Any]:
        return {**super().fitted(), "median_std_": self.median_std}


class SMOTENC(SyntheticSamplerMixin, _ImblearnSMOTENC):
    """SMOTE for mixed continuous and categorical data, identical to imbalanced-learn's.

    Neighbours are searched on the continuous features followed by a one-hot encoding of the
    categorical ones whose entries equal ``median(std of the class's continuous features) /
    sqrt(2)``, so two rows that differ in one category are that median apart, as in the paper.
    A synthetic row interpolates the continuous features between a row and one of its
    ``k_neighbors`` (exactly SMOTE's kernel and draws) and takes, for each categorical feature,
    the category most frequent among the row's ``k_neighbors`` neighbours; ties are broken at
    random. For the same ``random_state`` the output equals ``imblearn.over_sampling.SMOTENC``'s.

    Unlike imbalanced-learn, the vote never builds a ``(n_new, k, n_categories)`` array: memory
    stays proportional to the output, whatever the number of categories.

    Parameters
    ----------
    categorical_features : "auto" or array-like
        The categorical columns: indices, column names (DataFrame input), a boolean mask, or
        ``"auto"`` to take the text and categorical columns of a DataFrame: pandas ``category``,
        ``object`` and ``string`` columns, polars ``String``, ``Categorical`` and ``Enum`` ones
        (imbalanced-learn's ``"auto"`` takes only pandas ``category`` columns).
    categorical_encoder : estimator, default=None
        One-hot encoder with one column per category; ``None`` uses
        ``OneHotEncoder(handle_unknown="ignore")``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws; an int restarts the stream for every class, as in imbalanced-learn.
    k_neighbors : int or estimator, default=5
        Neighbours to interpolate towards and to vote among, or an object with ``kneighbors``.
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How synthetic values are stored in integer continuous columns: rounded to the nearest
        integer, or truncated towards zero as imbalanced-learn does. With ``"truncate"``,
        integer data is also searched with imbalanced-learn's truncated one-hot value, so the
        rows are imbalanced-learn's exactly. Float columns are not affected.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples generated per class.
    categorical_features_ : ndarray of int
        Indices of the categorical features.
    continuous_features_ : ndarray of int
        Indices of the continuous features.
    categorical_encoder_ : estimator
        The fitted encoder.
    median_std_ : dict
        Per grown class, the median of its continuous features' standard deviations.
    nn_k_ : estimator
        The neighbour search used.
    provenance_ : structured ndarray
        One record ``(base, neighbor, gap)`` per synthetic row, in output order. The continuous
        features satisfy ``X_res[n + r] == X[base] + gap * (X[neighbor] - X[base])``; the
        categories are the vote among ``base``'s neighbours.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    SMOTEN : For data with categorical features only.
    SMOTE : For continuous data only.

    Notes
    -----
    Integer continuous columns are rounded to the nearest integer unless
    ``integer_rounding="truncate"`` (imbalanced-learn truncates them, and also truncates the
    one-hot value used in the neighbour search; smotekit searches in float64). Float data gives
    imbalanced-learn's output exactly. A missing value in a categorical column (None, NaN) is a
    category of its own, as in imbalanced-learn; in a continuous column it is refused with an
    error naming the column.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE: synthetic minority
       over-sampling technique", Journal of Artificial Intelligence Research, 16, 321-357, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTENC
    >>> rng = np.random.RandomState(0)
    >>> X = np.column_stack([rng.normal(size=60), rng.randint(0, 3, size=60)])
    >>> y = np.array([0] * 45 + [1] * 15)
    >>> X_res, y_res = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res), set(X_res[:, 1]) <= {0.0, 1.0, 2.0}
    (array([45, 45]), True)
    """

    categorical_features_: NDArray[np.intp]
    continuous_features_: NDArray[np.intp]
    _neighbor_params = (("k_neighbors", 1),)
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_ImblearnSMOTENC._parameter_constraints,
        **INTEGER_ROUNDING_CONSTRAINT,
    }

    def __init__(
        self,
        categorical_features: Any,
        *,
        categorical_encoder: Any = None,
        sampling_strategy: Any = "auto",
        random_state: Any = None,
        k_neighbors: Any = 5,
        integer_rounding: str = "nearest",
    ) -> None:
        super().__init__(
            categorical_features,
            categorical_encoder=categorical_encoder,
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
        )
        self.integer_rounding = integer_rounding

    def _accepts_categories(self) -> bool:
        return True

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # sparse X is accepted, as in imbalanced-learn
        return tags

    def _check_X_y(self, X: Any, y: Any, accept_sparse: Any = None) -> Any:
        X, y, binarize_y = _ImblearnSMOTENC._check_X_y(self, X, y)
        check_two_classes(y)
        # ``fit`` stops here, so the column checks (missing values included) run here too.
        self.n_features_ = _num_features(X)
        self._validate_column_types(X)
        self._validate_estimator()
        self._split(X)
        return X, y, binarize_y

    def _validate_column_types(self, X: Any) -> None:
        spec = self.categorical_features
        columns = getattr(self, "_input_columns", None)
        n_features = _num_features(X)
        if isinstance(spec, str) and spec == "auto":
            if columns is None:
                raise ValueError(
                    "When `categorical_features='auto'`, the input data should be a "
                    f"pandas.DataFrame or a polars one, whose column types tell the categorical "
                    f"columns; X is a {type(X).__name__}. Name the categorical columns instead "
                    "(indices or a boolean mask)."
                )
            self.categorical_features_ = columns.categorical()
        else:
            names = None if columns is None else columns.names
            try:
                self.categorical_features_ = resolve_columns(spec, n_features, names)
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                shown = list(names) if names is not None else list(range(n_features))
                raise ValueError(
                    f"categorical_features={spec!r} does not select columns of X ({exc}). X has "
                    f"{n_features} columns: {shown[:20]}{' ...' if n_features > 20 else ''}. "
                    f"Give column indices in [0, {n_features - 1}], column names of the "
                    f"DataFrame, a boolean mask of length {n_features}, or 'auto' for the text "
                    "and categorical columns of a DataFrame."
                ) from exc
        self.categorical_features_ = np.unique(self.categorical_features_)
        self.continuous_features_ = np.setdiff1d(
            np.arange(self.n_features_), self.categorical_features_
        )

    def _validate_estimator(self) -> None:
        self.nn_k_ = self._neighbors_estimator("k_neighbors")
        if self.categorical_features_.size == self.n_features_in_:
            raise ValueError(
                "SMOTE-NC is not designed to work only with categorical features: "
                f"categorical_features={self.categorical_features!r} makes all "
                f"{self.n_features_in_} feature(s) categorical. It needs at least one "
                "continuous feature to measure distances and interpolate: use smotekit.SMOTEN "
                "for data with categorical features only."
            )
        if self.categorical_features_.size == 0:
            raise ValueError(
                "SMOTE-NC is not designed to work only with numerical features: "
                f"categorical_features={self.categorical_features!r} selects none. "
                "It needs at least one categorical feature: name them, or use "
                "smotekit.SMOTE for continuous data only."
            )

    def _split(self, X: Any) -> tuple[NDArray[Any], Any]:
        """Continuous block (numeric, finite) and categorical block (as given)."""
        try:
            X_cont = check_array(
                _safe_indexing(X, self.continuous_features_, axis=1),
                accept_sparse=["csr", "csc"],
                ensure_all_finite=False,
            )
        except ValueError as exc:  # text in a column left continuous
            names = self._column_names()
            shown = [names[j] for j in self.continuous_features_] if names else None
            raise ValueError(
                f"A column SMOTE-NC treats as continuous is not numeric ({exc}); the "
                f"continuous columns are {shown or self.continuous_features_.tolist()}. Add the "
                "text columns to categorical_features (or use categorical_features='auto' "
                "with a DataFrame)."
            ) from exc
        if sparse.issparse(X_cont):
            X_cont = X_cont.toarray()
        names = self._column_names()
        check_finite(
            X_cont,
            name="X's continuous features",
            columns=None if names is None else [names[j] for j in self.continuous_features_],
        )
        X_cat = _safe_indexing(X, self.categorical_features_, axis=1)
        X_cat = X_cat.toarray() if sparse.issparse(X_cat) else X_cat
        return X_cont, X_cat

    def _encode(self, X: Any) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.intp], Any]:
        """Continuous block, original categories, category numbers, one-hot dtype."""
        X_cont, X_cat = self._split(X)
        dtype_ohe = _search_dtype(X_cont)
        if self.categorical_encoder is None:
            self.categorical_encoder_ = OneHotEncoder(handle_unknown="ignore", dtype=dtype_ohe)
        else:
            self.categorical_encoder_ = clone(self.categorical_encoder)
        X_ohe = encode_categories(
            self.categorical_encoder_, X_cat, self.categorical_features_, self._column_names()
        )
        n_categories = [c.size for c in self.categorical_encoder_.categories_]
        if X_ohe.shape[1] != sum(n_categories):
            raise ValueError(
                "SMOTENC requires a one-hot encoding with one column per category. The "
                f"categorical_encoder {self.categorical_encoder!r} produced {X_ohe.shape[1]} "
                f"columns for {sum(n_categories)} categories (it drops or merges categories): "
                "pass an encoder that keeps them all, such as "
                "OneHotEncoder(handle_unknown='ignore')."
            )
        offsets = np.concatenate(([0], np.cumsum(n_categories))).astype(np.intp)
        codes = _category_codes(X_ohe, offsets, X_cont.shape[0])
        return X_cont, np.asarray(X_cat), codes, dtype_ohe

    def _rule(self) -> SMOTENCRule:
        """The rule over a numeric array whose categorical columns hold category values."""
        return SMOTENCRule(
            self.k_neighbors,
            index_columns(self.categorical_features),
            truncate=self._integer_rounding() == "truncate",
        )

    def _fit_resample(self, X: Any, y: NDArray[Any], **params: Any) -> tuple[Any, NDArray[Any]]:
        self.n_features_ = _num_features(X)
        self._validate_column_types(X)
        self._validate_estimator()
        X_cont, X_cat, codes, _ = self._encode(X)
        # The engine runs on the continuous columns; the categories travel as codes (text
        # columns included) and the rule keeps its votes for the decoder.
        rule = SMOTENCRule(
            self.k_neighbors,
            self.categorical_features_,
            codes=codes,
            n_categories=[c.size for c in self.categorical_encoder_.categories_],
            truncate=self._integer_rounding() == "truncate",
        )
        X_res, _ = self._run_rule(rule, X_cont, y)
        # Every class grows by its full count: its block follows the previous class's.
        labels = [label for label, n in self.sampling_strategy_.items() if n > 0]
        ends = np.cumsum([X_cont.shape[0], *(self.sampling_strategy_[label] for label in labels)])
        blocks_cont = [X_res[lo:hi] for lo, hi in pairwise(ends)]
        blocks_codes = [rule.votes[label] for label in labels]
        return self._assemble_mixed(X, y, X_cont, X_cat, blocks_cont, blocks_codes, labels)

    def _decode(self, new_codes: NDArray[np.intp]) -> NDArray[Any]:
        """Categories of synthetic rows through the encoder's own ``inverse_transform``."""
        n_categories = [c.size for c in self.categorical_encoder_.categories_]
        offsets = np.concatenate(([0], np.cumsum(n_categories))).astype(np.intp)
        n, n_feat = new_codes.shape
        onehot = sparse.csr_matrix(
            (
                np.ones(n * n_feat),
                (new_codes + offsets[:-1]).ravel(),
                np.arange(0, n * n_feat + 1, n_feat),
            ),
            shape=(n, int(offsets[-1])),
        )
        return np.asarray(self.categorical_encoder_.inverse_transform(onehot))

    def _assemble_mixed(
        self,
        X: Any,
        y: NDArray[Any],
        X_cont: NDArray[Any],
        X_cat: NDArray[Any],
        blocks_cont: list[NDArray[Any]],
        blocks_codes: list[NDArray[np.intp]],
        labels: list[Any],
    ) -> tuple[Any, NDArray[Any]]:
        """Original rows, then each class's block; columns back in their original order."""
        n = X_cont.shape[0]
        decoded = [self._decode(c) for c in blocks_codes]
        cat_dtype = decoded[0].dtype if decoded else X_cat.dtype
        out_dtype = (
            np.dtype(object)
            if object in (cat_dtype, X_cat.dtype) or cat_dtype.kind in "USO"
            else np.result_type(X_cont.dtype, cat_dtype)
        )
        total = n + sum(b.shape[0] for b in blocks_cont)
        X_res = np.empty((total, self.n_features_), dtype=out_dtype)
        y_res = np.empty(total, dtype=y.dtype)
        X_res[:n, self.continuous_features_] = X_cont
        X_res[:n, self.categorical_features_] = X_cat
        y_res[:n] = y
        offset = n
        for label, block, cats in zip(labels, blocks_cont, decoded, strict=True):
            rows = slice(offset, offset + block.shape[0])
            X_res[rows, self.continuous_features_] = block
            X_res[rows, self.categorical_features_] = cats
            y_res[rows] = label
            offset += block.shape[0]
        if sparse.issparse(X):
            return sparse.csr_matrix(X_res), y_res
        return X_res, y_res

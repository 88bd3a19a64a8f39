"""Polynomial-fit SMOTE with the star topology (Gazzah and Essoukri Ben Amara, 2008)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from numpy.typing import NDArray
from scipy import sparse

from smotekit._kernels import SyntheticPlan, interpolate
from smotekit._validation import check_class_large_enough
from smotekit.engine import Chunk, ClassJob, PlanPiece, SamplerRule, Segment
from smotekit.engine._special import ChoiceWithoutReplacement, ClassSummary, Position
from smotekit.over_sampling._base import INTEGER_ROUNDING_CONSTRAINT, SyntheticSamplerMixin

__all__ = ["PolynomFitRule", "PolynomFitSMOTE", "star_fractions"]


def star_fractions(
    rng: np.random.RandomState, m: int, n_samples: int
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Which of ``m`` rows each synthetic row grows from, and how far towards the centre.

    Every row gets ``q = n_samples // m`` points; ``n_samples % m`` rows, drawn at random without
    replacement, get one more. A row with ``c`` points gets them at ``1/(c+1), ..., c/(c+1)`` of
    the way to the centre: evenly spaced, as in the paper's star topology.

    Examples
    --------
    >>> rows, gaps = star_fractions(np.random.RandomState(0), 2, 4)
    >>> rows, gaps.round(3)
    (array([0, 0, 1, 1]), array([0.333, 0.667, 0.333, 0.667]))
    """
    q, r = divmod(n_samples, m)
    counts = np.full(m, q, dtype=np.intp)
    if r:
        counts[rng.choice(m, size=r, replace=False)] += 1
    rows = np.repeat(np.arange(m, dtype=np.intp), counts)
    # position of each point on its row's segment: 1, ..., c
    first = np.cumsum(counts) - counts
    step = np.arange(n_samples) - np.repeat(first, counts) + 1
    return rows, step / (np.repeat(counts, counts) + 1.0)


def _spokes(
    X_class: NDArray[Any], label: Any
) -> tuple[NDArray[Any], NDArray[Any], tuple[NDArray[Any], NDArray[Any]]]:
    """The class's rows and its centre as one array (the centre last), the centre, the range."""
    check_class_large_enough(
        X_class.shape[0],
        1,
        label,
        None,
        reason="PolynomFitSMOTE places points between the samples of a class and their mean",
    )
    low, high = X_class.min(axis=0), X_class.max(axis=0)
    centre = _class_mean(X_class, low, high)
    # The kernel interpolates between rows of one array: the class plus its centre as row m.
    work_dtype = X_class.dtype if X_class.dtype.kind == "f" else np.dtype(np.float64)
    spokes = np.vstack([X_class.astype(work_dtype, copy=False), centre.astype(work_dtype)])
    return spokes, centre, (low, high)


def _class_mean(X_class: NDArray[Any], low: NDArray[Any], high: NDArray[Any]) -> NDArray[Any]:
    """Column means in float64, within each column's range, finite for finite input.

    Where the plain sum overflows (values near the float64 maximum), the columns are scaled by
    a power of two first, which is exact.
    """
    with np.errstate(over="ignore"):
        centre = X_class.mean(axis=0, dtype=np.float64)
    if not np.isfinite(centre).all():
        largest = np.maximum(np.abs(low), np.abs(high)).astype(np.float64)
        scale = np.ldexp(1.0, np.frexp(largest)[1] - 1)  # largest / scale lies in [1, 2)
        centre = (X_class / scale).mean(axis=0, dtype=np.float64) * scale
    # The mean of equal values can round past them.
    return np.clip(centre, low.astype(np.float64), high.astype(np.float64))


class PolynomFitRule(SamplerRule):
    """PolynomFitSMOTE for the engine: rows on the spokes from each class row to the class mean.

    A class statistic (:class:`~smotekit.engine._special.ClassSummary`: the rows with their
    mean, and their range) and one class draw (which ``n % m`` rows get one more point,
    :class:`~smotekit.engine._special.ChoiceWithoutReplacement`) decide every triple: a row's
    base and spoke fraction follow from its position (:class:`~smotekit.engine._special
    .Position`). :meth:`finish` moves the rows along the spokes, clipped to the class's range.
    ``class_means`` records each class's centre.
    """

    def __init__(self, integer_rounding: str = "nearest") -> None:
        self.integer_rounding = integer_rounding
        self.class_means: dict[Any, NDArray[Any]] = {}

    def class_queries(self) -> tuple[ClassSummary]:
        return (ClassSummary("spokes", self._summarize),)

    def fitted(self) -> dict[str, Any]:
        return {"class_means_": self.class_means}

    def _summarize(self, job: ClassJob, X_class: NDArray[Any]) -> Any:
        spokes, centre, bounds = _spokes(X_class, job.label)
        self.class_means[job.label] = centre
        return spokes, bounds

    def class_draws(self, job: ClassJob) -> tuple[ChoiceWithoutReplacement, ...]:
        extra = job.n_samples % job.n_class
        return (ChoiceWithoutReplacement("extra", job.n_class, extra),) if extra else ()

    def segments(self, job: ClassJob) -> list[Segment]:
        return [Segment(job.n_samples, (Position("position"),))]

    def _layout(self, job: ClassJob) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Each class row's number of points and where they start in the class's output."""
        if "layout" not in job.stats:
            counts = np.full(job.n_class, job.n_samples // job.n_class, dtype=np.intp)
            if "class_draws" in job.stats:  # the rows that get one more point
                counts[job.stats["class_draws"]["extra"]] += 1
            job.stats["layout"] = counts, np.cumsum(counts) - counts
        return job.stats["layout"]  # type: ignore[no-any-return]

    def plan(self, job: ClassJob, draws: dict[str, NDArray[Any]]) -> PlanPiece:
        # Positions come as one run a:b; the rows whose points they are, and each point's step
        # on its row's spoke, are star_fractions' (point i of a row with c points at i/(c+1)).
        counts, starts = self._layout(job)
        position = draws["position"]
        n = position.size
        no_partner = np.full(n, -1, dtype=np.intp)
        if n == 0:
            return PlanPiece(SyntheticPlan(no_partner, no_partner, np.empty(0)))
        a, b = int(position[0]), int(position[-1]) + 1
        first, last = np.searchsorted(starts, [a, b - 1], side="right") - 1
        # rows first..last hold the run; skip the empty rows (no point) among them
        span = slice(first, last + 1)
        taken = np.minimum(starts[span] + counts[span], b) - np.maximum(starts[span], a)
        rows = np.repeat(np.arange(first, last + 1), np.maximum(taken, 0))
        step = position - starts[rows] + 1
        return PlanPiece(SyntheticPlan(rows, no_partner, step / (counts[rows] + 1.0)))

    def finish(self, job: ClassJob, chunk: Chunk) -> None:
        spokes, (low, high) = job.stats["spokes"]
        to_centre = np.full(len(chunk.plan), spokes.shape[0] - 1, dtype=np.intp)
        plan = SyntheticPlan(chunk.plan.base, to_centre, chunk.plan.gap)
        interpolate(spokes, plan, chunk.out, integer_rounding=self.integer_rounding)
        np.clip(chunk.out, low, high, out=chunk.out)


class PolynomFitSMOTE(SyntheticSamplerMixin, BaseOverSampler):
    """Polynomial-fit SMOTE, star topology: synthetic rows on the spokes to the class mean.

    Definition (Gazzah and Essoukri Ben Amara, 2008, "star" topology): the centre of a class is
    the mean ``c`` of its rows; each row ``x`` of the class is joined to ``c`` by a spoke, and the
    synthetic rows are placed evenly along the spokes, at ``x + i / (q + 1) * (c - x)`` for
    ``i = 1, ..., q``. No neighbour search is involved. It ranked first in the largest published
    comparison of oversamplers (Kovacs, 2019, 104 data sets).

    The paper gives every row the same number ``q`` of points, so it can only make multiples of
    the class size. Here every row gets ``n // m`` points and ``n % m`` rows drawn at random get
    one more, so the count is exactly what ``sampling_strategy`` asks for; ``random_state`` only
    decides which rows get the extra point (with ``n`` a multiple of ``m`` the output does not
    depend on it).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Chooses the rows that get one extra point when the count is not a multiple of the class
        size.
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How synthetic values are stored in integer and boolean columns: rounded to the nearest
        integer, or truncated towards zero (as imbalanced-learn's samplers store them). Float
        columns are not affected.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples generated per class.
    class_means_ : dict
        Per grown class, its centre (the mean of its rows).
    provenance_ : structured ndarray
        One record per synthetic row, in output order. The partner is the class mean, which is
        not a row of ``X``: ``neighbor`` is -1 and ``gap`` is the fraction of the spoke, so that
        ``X_res[n + r] == X[base] + gap * (class_means_[y_res[n + r]] - X[base])``.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    ProWSyn : The second-ranked variant of the same comparison.
    SMOTE : Interpolation towards nearest neighbours.

    Notes
    -----
    Points lie inside the convex hull of the class, concentrated towards its mean: the method
    densifies the core of each class rather than its border (and inside the class's bounding box,
    even where the mean's rounding would leave it by an ulp). A class to grow needs at least 2
    samples. Sparse input is processed dense (the class mean is dense) and returned in its format.

    References
    ----------
    .. [1] S. Gazzah, N. E. Ben Amara, "New oversampling approaches based on polynomial fitting
       for imbalanced data sets", Eighth IAPR International Workshop on Document Analysis
       Systems, 677-684, 2008.
    .. [2] G. Kovacs, "An empirical comparison and evaluation of minority oversampling
       techniques on a large number of imbalanced datasets", Applied Soft Computing, 83, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import PolynomFitSMOTE
    >>> X = np.array([[0.0, 0.0], [4.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 1.0], [0.0, 2.0]])
    >>> y = np.array([1, 1, 0, 0, 0, 0])
    >>> X_res, y_res = PolynomFitSMOTE().fit_resample(X, y)
    >>> X_res[6:]
    array([[1., 0.],
           [3., 0.]])
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **BaseOverSampler._parameter_constraints,
        "random_state": ["random_state"],
        **INTEGER_ROUNDING_CONSTRAINT,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: Any = None,
        integer_rounding: str = "nearest",
    ) -> None:
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.integer_rounding = integer_rounding

    def _fit_resample(self, X: Any, y: NDArray[Any], **params: Any) -> tuple[Any, NDArray[Any]]:
        if sparse.issparse(X):
            # Spokes end at the class mean, which is dense: work dense, give back X's format.
            X_res, y_res = super()._fit_resample(X.toarray(), y, **params)
            return sparse.csr_matrix(X_res).asformat(X.format), y_res
        return super()._fit_resample(X, y, **params)

    def _validate_estimator(self) -> None:
        self.class_means_: dict[Any, NDArray[Any]] = {}
        self._spokes: list[tuple[NDArray[Any], SyntheticPlan, tuple[Any, Any]]] = []

    def _rule(self) -> PolynomFitRule:
        """This sampler's engine rule, from its parameters."""
        return PolynomFitRule(self._integer_rounding())

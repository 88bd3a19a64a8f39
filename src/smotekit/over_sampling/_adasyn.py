"""ADASYN (He et al., 2008), a drop-in for ``imblearn.over_sampling.ADASYN``."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from imblearn.over_sampling import ADASYN as _ImblearnADASYN
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan
from smotekit._validation import shown
from smotekit.engine import (
    ClassJob,
    NeighborQuery,
    PlanPiece,
    Randint,
    SamplerRule,
    Segment,
    Uniform,
)
from smotekit.over_sampling._base import (
    INTEGER_ROUNDING_CONSTRAINT,
    SyntheticSamplerMixin,
    make_neighbors_estimator,
    neighbors_count,
)

__all__ = ["ADASYN", "ADASYNRule"]


class ADASYNRule(SamplerRule):
    """ADASYN's rule: each row's share of the class grows with its neighbours of other classes.

    Screening asks every class row for its ``n_neighbors`` nearest rows of the whole data; a
    row's share is its fraction of other-class neighbours over the class's sum, rounded as
    imbalanced-learn rounds it (``rint(share * n)`` rows each). The rows (segment ``rows``) are
    each row repeated by its count; the draws are a neighbour column (``choice(k)``) and a gap.
    All classes draw from one stream (``stream = "sampler"``): every class's main segment,
    which draws imbalanced-learn's whole count but keeps at most the requested one, then every
    class's top-up, one row more for each row whose share was rounded down the most.
    """

    stream = "sampler"

    def __init__(self, n_neighbors: Any) -> None:
        k = neighbors_count(n_neighbors)
        common = {"param": "n_neighbors", "value": n_neighbors}
        self.ratio_query = NeighborQuery(
            "ratio",
            k,
            make_neighbors_estimator(n_neighbors),
            scope="all",
            owner="ADASYN",
            **common,
        )
        self.k_query = NeighborQuery("k", k, make_neighbors_estimator(n_neighbors), **common)

    def screening(self) -> tuple[NeighborQuery, ...]:
        return (self.ratio_query,)

    def partners(self) -> NeighborQuery:
        return self.k_query

    def bases(self, job: ClassJob) -> None:
        other = job.screened["ratio"].other
        assert other is not None
        m = other.shape[1]
        ratio = np.count_nonzero(other, axis=1) / m
        if not np.sum(ratio):
            raise RuntimeError(
                "Not any neigbours belong to the majority class. This case will induce a NaN "
                "case with a division by zero: no sample of class "
                f"{shown(job.label)!r} has a sample of "
                f"another class among its n_neighbors={m} nearest neighbours, so ADASYN has no "
                "hard region to grow. ADASYN is not suited for this specific dataset. Use SMOTE "
                "instead, or a larger n_neighbors."
            )
        job.stats["share"] = ratio / np.sum(ratio) * job.n_samples
        return None  # every row is a base; its share may be zero

    def segments(self, job: ClassJob) -> list[Segment]:
        assert job.partners is not None
        share = job.stats.pop("share")
        counts = np.rint(share).astype(np.intp)
        made = int(counts.sum())
        rows = np.repeat(np.arange(job.n_class), counts)
        keep = min(made, job.n_samples)
        # Rows whose share was rounded down the most get the missing ones.
        short = job.n_samples - keep
        top_up = np.sort(np.argsort(counts - share, kind="stable")[:short])
        variates = (Randint("column", job.partners.graph.shape[1]), Uniform("gap"))
        return [
            Segment(keep, variates, drawn=made, rows=rows[:keep]),
            Segment(short, variates, rows=top_up),
        ]

    def plan(self, job: ClassJob, draws: dict[str, NDArray[Any]]) -> PlanPiece:
        assert job.partners is not None
        rows = draws["rows"]
        neighbor = job.partners.graph[rows, draws["column"]]
        return PlanPiece(SyntheticPlan(rows, neighbor, draws["gap"]))

    def fitted(self) -> dict[str, Any]:
        return {"nn_": self.k_query.estimator}


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

    def _rule(self) -> ADASYNRule:
        return ADASYNRule(self.n_neighbors)

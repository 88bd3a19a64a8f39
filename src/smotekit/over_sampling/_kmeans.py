"""KMeans-SMOTE (Douzas et al., 2018), a drop-in for ``imblearn.over_sampling.KMeansSMOTE``."""

from __future__ import annotations

import math
import numbers
from typing import Any, ClassVar

import numpy as np
from imblearn.over_sampling import KMeansSMOTE as _ImblearnKMeansSMOTE
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.cluster import MiniBatchKMeans
from sklearn.metrics import pairwise_distances, pairwise_distances_chunked

from smotekit._kernels import SyntheticPlan, concat_plans, draw_smote
from smotekit._validation import shown
from smotekit.engine import Capabilities
from smotekit.engine._special import GlobalModelRule
from smotekit.neighbors import within_class_neighbors
from smotekit.over_sampling._base import (
    INTEGER_ROUNDING_CONSTRAINT,
    SyntheticSamplerMixin,
)

__all__ = ["KMeansSMOTE", "KMeansSMOTERule"]

# Up to this many rows the mean distance sums one full distance matrix, exactly as
# imbalanced-learn does (same rounding, so the same cluster weights); above, it is summed chunk by
# chunk so memory stays bounded.
_FULL_MATRIX_MAX_ROWS = 4096


def _mean_distance(X: Any, n_jobs: int | None) -> float:
    """Mean Euclidean distance between distinct rows of ``X``."""
    n = X.shape[0]
    if n <= _FULL_MATRIX_MAX_ROWS:
        distances = pairwise_distances(X, metric="euclidean", n_jobs=n_jobs)
        np.fill_diagonal(distances, 0.0)
        total = float(distances.sum())
    else:
        chunks = pairwise_distances_chunked(X, metric="euclidean", n_jobs=n_jobs)
        total = float(sum(chunk.sum() for chunk in chunks))
    return total / (n * n - n)


class KMeansSMOTERule(GlobalModelRule):
    """KMeansSMOTE for the engine: ``_plan_from_model``, with the model of all rows, plans a class.

    Memory only: blockwise executors refuse it naming the model and what to use instead.
    """

    capabilities = Capabilities(global_model="k-means clusters of all rows")
    sampler_name = "KMeansSMOTE"
    instead = "resample in memory, or use SMOTE (the same interpolation, without clusters)"


class KMeansSMOTE(SyntheticSamplerMixin, _ImblearnKMeansSMOTE):
    """KMeans-SMOTE, identical to imbalanced-learn's for the same ``random_state``.

    The whole data set is clustered (``MiniBatchKMeans`` by default). Clusters where the class to
    grow makes up at least ``cluster_balance_threshold`` of the members and has more than
    ``k_neighbors`` samples are kept; each gets a share of the synthetic rows proportional to its
    sparsity (mean distance between its class samples to the power ``density_exponent``, over
    their count), and grows by SMOTE within the cluster. Synthetic rows therefore stay inside
    regions where the class already lives, instead of bridging clusters.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to grow and to what size, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the clustering and the draws; an int restarts the draws for every cluster, as in
        imbalanced-learn.
    k_neighbors : int or estimator, default=2
        Within-cluster neighbours to interpolate towards.
    n_jobs : int, default=None
        Workers for the distance computations.
    kmeans_estimator : int or estimator, default=None
        Number of clusters for ``MiniBatchKMeans``, or a clusterer with ``fit_predict`` and
        ``n_clusters``.
    cluster_balance_threshold : "auto" or float, default="auto"
        Smallest share of the class in a cluster for it to grow; ``"auto"`` is half the class's
        share of all the rows to generate.
    density_exponent : "auto" or float, default="auto"
        Exponent of the sparsity; ``"auto"`` grows with the number of samples.
    integer_rounding : {"nearest", "truncate"}, default="nearest"
        How synthetic values are stored in integer and boolean columns: rounded to the nearest
        integer, or truncated towards zero as imbalanced-learn does (then the rows are
        imbalanced-learn's exactly, for the same ``random_state``). Float columns are not
        affected.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples requested per class.
    kmeans_estimator_ : estimator
        The fitted clusterer.
    nn_k_ : estimator
        The ``k_neighbors`` search.
    cluster_balance_threshold_ : float or "auto"
        The threshold used.
    provenance_ : structured ndarray
        One record ``(base, neighbor, gap)`` per synthetic row, in output order, with indices into
        the original ``X``; ``X_res[n + r] == X[base] + gap * (X[neighbor] - X[base])``.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    Notes
    -----
    imbalanced-learn rounds every cluster's share up, so it can make up to one row per kept
    cluster more than requested (its issue #1186). smotekit makes exactly the requested count: its
    block for a class is imbalanced-learn's cut to that length (the surplus rows come off the
    last clusters), so all the rows it makes are identical to imbalanced-learn's first ones.
    The clustering is fitted once per call, not once per class, unless the clusterer's
    ``random_state`` is a ``RandomState`` instance (then every fit differs, and is repeated).

    Raises
    ------
    RuntimeError
        When no cluster qualifies for a class; the message says which threshold to lower.

    See Also
    --------
    SMOTE : Grow without clustering.

    References
    ----------
    .. [1] F. Douzas, F. Bacao, F. Last, "Improving imbalanced learning through a heuristic
       oversampling method based on k-means and SMOTE", Information Sciences, 465, 1-20, 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import KMeansSMOTE
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, size=(100, 2)), rng.normal(3, 0.5, size=(30, 2))])
    >>> y = np.array([0] * 100 + [1] * 30)
    >>> sampler = KMeansSMOTE(kmeans_estimator=3, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res)
    array([100, 100])
    """

    _neighbor_params = (("k_neighbors", 1),)
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_ImblearnKMeansSMOTE._parameter_constraints,
        **INTEGER_ROUNDING_CONSTRAINT,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: Any = None,
        k_neighbors: Any = 2,
        n_jobs: int | None = None,
        kmeans_estimator: Any = None,
        cluster_balance_threshold: Any = "auto",
        density_exponent: Any = "auto",
        integer_rounding: str = "nearest",
    ) -> None:
        super().__init__(
            sampling_strategy=sampling_strategy,
            random_state=random_state,
            k_neighbors=k_neighbors,
            n_jobs=n_jobs,
            kmeans_estimator=kmeans_estimator,
            cluster_balance_threshold=cluster_balance_threshold,
            density_exponent=density_exponent,
        )
        self.integer_rounding = integer_rounding

    def _rule(self) -> KMeansSMOTERule:
        """This sampler's rule: ``_plan_from_model`` with the model fitted on all rows."""
        return KMeansSMOTERule(self._plan_from_model)

    def _validate_estimator(self) -> None:
        self.nn_k_ = self._neighbors_estimator("k_neighbors")
        if self.kmeans_estimator is None:
            self.kmeans_estimator_ = MiniBatchKMeans(random_state=self.random_state)
        elif isinstance(self.kmeans_estimator, int):
            self.kmeans_estimator_ = MiniBatchKMeans(
                n_clusters=self.kmeans_estimator, random_state=self.random_state
            )
        else:
            self.kmeans_estimator_ = clone(self.kmeans_estimator)
        n_clusters = getattr(self.kmeans_estimator_, "n_clusters", None)
        if not isinstance(n_clusters, numbers.Integral):
            raise ValueError(
                f"kmeans_estimator={self.kmeans_estimator!r} has no integer n_clusters; "
                "KMeansSMOTE needs a clusterer such as sklearn.cluster.KMeans(n_clusters=...)."
            )
        self.cluster_balance_threshold_ = (
            self.cluster_balance_threshold if n_clusters != 1 else -np.inf
        )
        self._clusters: NDArray[np.intp] | None = None

    def _cluster(self, X: Any) -> NDArray[np.intp]:
        params = self.kmeans_estimator_.get_params()
        shares_stream = isinstance(params.get("random_state"), np.random.RandomState)
        if self._clusters is None or shares_stream:
            self._clusters = np.asarray(self.kmeans_estimator_.fit_predict(X))
        return self._clusters

    def _valid_clusters(
        self, X: Any, y: NDArray[Any], label: Any, n_samples: int
    ) -> tuple[list[NDArray[np.intp]], NDArray[np.float64]]:
        """Rows of ``label`` in each cluster that qualifies, and each cluster's weight."""
        clusters = self._cluster(X)
        if self.cluster_balance_threshold_ == "auto":
            threshold = n_samples / sum(self.sampling_strategy_.values()) / 2
        else:
            threshold = float(self.cluster_balance_threshold_)
        min_class_rows = self.nn_k_.n_neighbors
        rows_per_cluster, sparsities = [], []
        for cluster in range(self.kmeans_estimator_.n_clusters):
            members = np.flatnonzero(clusters == cluster)
            if members.size == 0:
                continue
            is_class = y[members] == label
            class_mean = is_class.mean()
            # Same float expressions as imbalanced-learn, so the same clusters qualify.
            if class_mean < threshold or class_mean * members.size < min_class_rows:
                continue
            rows = members[is_class]
            exponent = (
                math.log(rows.size, 1.6) ** 1.8 * 0.16
                if self.density_exponent == "auto"
                else self.density_exponent
            )
            sparsities.append(_mean_distance(X[rows], self.n_jobs) ** exponent / rows.size)
            rows_per_cluster.append(rows)
        if not rows_per_cluster:
            raise RuntimeError(
                f"No clusters found with sufficient samples of class {shown(label)!r}. "
                "Try lowering the "
                f"cluster_balance_threshold (now {self.cluster_balance_threshold!r}) or "
                "increasing the number of clusters (kmeans_estimator); a cluster qualifies when "
                f"the class makes up at least {threshold:.3g} of it and has at least "
                f"{min_class_rows} samples in it."
            )
        weights = np.asarray(sparsities)
        total = weights.sum()
        if not np.isfinite(total) or total <= 0:
            raise ValueError(
                f"The clusters of class {shown(label)!r} have no spread "
                "(their samples coincide), so "
                "KMeansSMOTE cannot weigh them: set a numeric density_exponent or use SMOTE."
            )
        return rows_per_cluster, weights / total

    def _plan_from_model(
        self, X: Any, y: NDArray[Any], label: Any, class_index: NDArray[np.intp], n_samples: int
    ) -> SyntheticPlan:
        rows_per_cluster, weights = self._valid_clusters(X, y, label, n_samples)
        k = self.nn_k_.n_neighbors - 1
        plans = []
        for rows, weight in zip(rows_per_cluster, weights, strict=True):
            graph = within_class_neighbors(self.nn_k_, X[rows], k)
            n_cluster = math.ceil(n_samples * weight)
            plans.append(draw_smote(self._class_rng(), graph, n_cluster).remap(rows))
        plan = concat_plans(plans)
        # imbalanced-learn's rounding up can overshoot; its first n_samples rows are kept.
        return SyntheticPlan(plan.base[:n_samples], plan.neighbor[:n_samples], plan.gap[:n_samples])

"""The rules of SMOTE, Borderline-SMOTE and SMOTE-NC for the engine (:mod:`smotekit.engine`).

Each rule states only what its sampler adds to the engine's defaults; :func:`rule_for` builds
one from a sampler's parameters (smotekit's or imbalanced-learn's class). When every sampler
runs through the engine, each rule moves into its sampler's module and ``rule_for`` becomes the
sampler's ``_rule()`` method.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan
from smotekit._validation import shown, warn_user
from smotekit.engine import (
    Capabilities,
    Chunk,
    ClassJob,
    NeighborQuery,
    PlanPiece,
    SamplerRule,
    Uniform,
    Variate,
    smote_triples,
)
from smotekit.exceptions import NoSyntheticSamplesWarning
from smotekit.over_sampling._base import make_neighbors_estimator, neighbors_count
from smotekit.over_sampling._shared import in_danger
from smotekit.over_sampling._smotenc import tie_counts, tie_ranks, vote_feature

__all__ = ["BorderlineRule", "SMOTENCRule", "SMOTERule", "rule_for"]


class SMOTERule(SamplerRule):
    """SMOTE: every row grows towards one of its ``k`` nearest rows of the class."""

    def __init__(self, k_neighbors: Any) -> None:
        self.k_query = NeighborQuery(
            "k",
            neighbors_count(k_neighbors),
            make_neighbors_estimator(k_neighbors),  # type: ignore[arg-type]
            value=k_neighbors,
        )

    def partners(self) -> NeighborQuery:
        return self.k_query


class BorderlineRule(SMOTERule):
    """Borderline-SMOTE: only the rows in danger grow (see :class:`~smotekit.BorderlineSMOTE`).

    ``kind="borderline-2"`` takes partners among all rows and shortens a move towards another
    class by a factor ~ U(0, 0.5), drawn after the gaps from a restarted stream, in row order.
    """

    extras: tuple[Variate, ...] = (Uniform("shorten", 0.0, 0.5),)

    def __init__(self, k_neighbors: Any, m_neighbors: Any, kind: str) -> None:
        super().__init__(k_neighbors)
        self.kind = kind
        if kind == "borderline-2":
            self.k_query = replace(self.k_query, scope="all")
        else:
            self.extras = ()
        self.m_query = NeighborQuery(
            "m",
            neighbors_count(m_neighbors),
            make_neighbors_estimator(m_neighbors),
            scope="all",
            param="m_neighbors",
            value=m_neighbors,
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
            warn_user(
                f"BorderlineSMOTE found no sample of class {shown(job.label)!r} in danger (at "
                f"least half, but not all, of its m_neighbors={m} nearest neighbours in other "
                f"classes), so it generated none of the {job.n_samples} samples requested for "
                "it. The class is either well separated or all noise: try a larger "
                "m_neighbors, or smotekit.SMOTE to grow from every sample.",
                NoSyntheticSamplesWarning,
            )
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


class SMOTENCRule(SMOTERule):
    """SMOTE-NC on a numeric array whose categorical columns hold category values.

    The class is searched as its continuous columns and a one-hot encoding of its categories
    scaled by the median standard deviation of the continuous columns over sqrt(2); every column
    is interpolated, then :meth:`finish` replaces the categorical ones by the vote of the base's
    neighbours (:func:`~smotekit.over_sampling._smotenc.vote_feature`), its ties broken by one
    permutation per feature over the whole class (:meth:`prepare_finish`).
    """

    capabilities = Capabilities(features="mixed")

    def __init__(self, sampler: Any, categorical: NDArray[np.intp]) -> None:
        super().__init__(sampler.k_neighbors)
        self.sampler = sampler  # its neighbour space
        self.categorical = categorical

    def search_space(self, job: ClassJob, X_class: NDArray[Any]) -> Any:
        cont = X_class[:, np.setdiff1d(np.arange(X_class.shape[1]), self.categorical)]
        categories = [np.unique(X_class[:, j]) for j in self.categorical]
        codes = np.column_stack(
            [
                np.searchsorted(values, X_class[:, j])
                for values, j in zip(categories, self.categorical, strict=True)
            ]
        )
        median_std = float(np.median(np.std(cont, axis=0, dtype=np.float64)))
        dtype = cont.dtype if cont.dtype.kind == "f" else np.dtype(np.float64)
        value = dtype.type(median_std / np.sqrt(2))
        n_categories = [c.size for c in categories]
        offsets = np.concatenate(([0], np.cumsum(n_categories))).astype(np.intp)
        # With a zero median the one-hot entries vanish from the search; imbalanced-learn then
        # votes with plain ones.
        vote_value = 1.0 if math.isclose(median_std / np.sqrt(2), 0) else float(value)
        job.stats.update(codes=codes, categories=categories, vote_value=vote_value)
        return self.sampler._neighbor_space(cont, codes, offsets, value)

    def _vote_args(self, job: ClassJob, j: int) -> tuple[Any, ...]:
        assert job.partners is not None
        n_cat = job.stats["categories"][j].size
        return job.stats["codes"][:, j], job.partners.graph, n_cat, job.stats["vote_value"]

    def prepare_finish(
        self, job: ClassJob, plans: list[SyntheticPlan], rng: np.random.RandomState
    ) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
        base = np.concatenate([plan.base for plan in plans])
        ranks = []
        for j in range(self.categorical.size):
            codes, graph, n_cat, value = self._vote_args(job, j)
            ranks.append(tie_ranks(rng, tie_counts(codes, graph, base, n_cat, value)))
        return ranks

    def finish(self, job: ClassJob, chunk: Chunk) -> None:
        n = len(chunk.plan)
        winners = np.empty(n, dtype=np.intp)
        for j, column in enumerate(self.categorical):
            codes, graph, n_cat, value = self._vote_args(job, j)
            rank, first_pair = chunk.state[j]
            pairs = first_pair[chunk.start : chunk.start + n]
            vote_feature(codes, graph, chunk.plan.base, n_cat, value, rank, pairs, winners)
            chunk.out[:, column] = job.stats["categories"][j][winners]


def rule_for(sampler: Any) -> SamplerRule:
    """The rule of ``sampler``'s class, with its parameters (read, not fitted)."""
    if hasattr(sampler, "_rule"):
        return sampler._rule()  # type: ignore[no-any-return]
    # The first imbalanced-learn class among the bases names the family (SMOTENC is no SMOTE).
    family = next(
        (c.__name__ for c in type(sampler).__mro__ if c.__module__.startswith("imblearn.")), None
    )
    if family == "BorderlineSMOTE":
        return BorderlineRule(sampler.k_neighbors, sampler.m_neighbors, sampler.kind)
    if family == "SMOTE":
        return SMOTERule(sampler.k_neighbors)
    if family == "SMOTENC":
        columns = np.asarray(sampler.categorical_features)
        if columns.dtype == bool:
            return SMOTENCRule(sampler, np.flatnonzero(columns))
        return SMOTENCRule(sampler, np.unique(columns.astype(np.intp)))
    raise TypeError(f"no engine rule for {type(sampler).__name__} yet")

"""The rules of SMOTE and Borderline-SMOTE for the engine (:mod:`smotekit.engine`).

Each rule states only what its sampler adds to the engine's defaults; :func:`rule_for` builds
one from a sampler's parameters (smotekit's or imbalanced-learn's class). When every sampler
runs through the engine, each rule moves into its sampler's module and ``rule_for`` becomes the
sampler's ``_rule()`` method.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan
from smotekit.engine import (
    ClassJob,
    NeighborQuery,
    PlanPiece,
    SamplerRule,
    Uniform,
    Variate,
    smote_triples,
)
from smotekit.over_sampling._base import make_neighbors_estimator, neighbors_count
from smotekit.over_sampling._borderline import in_danger, shown, warn_user

__all__ = ["BorderlineRule", "SMOTERule", "rule_for"]


class SMOTERule(SamplerRule):
    """SMOTE: every row grows towards one of its ``k`` nearest rows of the class."""

    def __init__(self, k_neighbors: Any) -> None:
        self.k_query = NeighborQuery(
            "k",
            neighbors_count(k_neighbors),
            make_neighbors_estimator(k_neighbors),  # type: ignore[arg-type]
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
            self.k_query = NeighborQuery("k", self.k_query.k, self.k_query.estimator, scope="all")
        else:
            self.extras = ()
        self.m_query = NeighborQuery(
            "m",
            neighbors_count(m_neighbors),
            make_neighbors_estimator(m_neighbors),
            scope="all",
            param="m_neighbors",
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


def rule_for(sampler: Any) -> SamplerRule:
    """The rule of ``sampler``'s class, with its parameters (read, not fitted)."""
    # The first imbalanced-learn class among the bases names the family (SMOTENC is no SMOTE).
    family = next(
        (c.__name__ for c in type(sampler).__mro__ if c.__module__.startswith("imblearn.")), None
    )
    if family == "BorderlineSMOTE":
        return BorderlineRule(sampler.k_neighbors, sampler.m_neighbors, sampler.kind)
    if family == "SMOTE":
        return SMOTERule(sampler.k_neighbors)
    raise TypeError(f"no engine rule for {type(sampler).__name__} yet")

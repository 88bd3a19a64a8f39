"""The memory executor: a rule run on arrays in memory, with imbalanced-learn's draws.

Each class is one part: its draws come from ``check_random_state(random_state)`` called as
imbalanced-learn calls it (once for the draws, once more for each later step that draws: a
rule's extras, its finish), so an int seed restarts the stream for every class and a
``RandomState`` instance continues it. The output is the original rows, then one block of
synthetic rows per class in sorted label order, written in place by the shared kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.utils import check_random_state

from smotekit._kernels import SyntheticPlan, concat_plans, interpolate, interpolate_sparse
from smotekit.engine._rule import Answer, Chunk, ClassJob, NeighborQuery, PlanPiece, SamplerRule
from smotekit.engine._search import check_query, search_class, search_fitted
from smotekit.engine._special import GlobalModelRule, answer_in_memory, plan_with_model
from smotekit.engine._streams import draw_columns, draw_segment, stream_order

__all__ = [
    "apply_extras",
    "assemble",
    "class_space",
    "join_pieces",
    "overrides",
    "plan_in_memory",
    "prepare_job",
    "run_in_memory",
]

Finish = Callable[[int, SyntheticPlan, NDArray[Any]], None]


def join_pieces(parts: list[PlanPiece]) -> PlanPiece:
    """Pieces of one class's rows, end to end."""
    if len(parts) == 1:
        return parts[0]
    flagged = None
    if any(p.flagged is not None for p in parts):
        flagged = np.concatenate(
            [np.zeros(len(p.plan), bool) if p.flagged is None else p.flagged for p in parts]
        )
    return PlanPiece(concat_plans([p.plan for p in parts]), flagged)


def apply_extras(
    rule: SamplerRule, job: ClassJob, piece: PlanPiece, draw: Callable[[int], dict[str, Any]]
) -> SyntheticPlan:
    """The piece's plan after the rule's extra draws (``draw(n)`` gives ``n`` rows of them)."""
    if not rule.extras:
        return piece.plan
    n = 0 if piece.flagged is None else int(piece.flagged.sum())
    return rule.adjust(job, piece, draw(n))


class _WholeData:
    """Queries over all rows, each estimator fitted on ``X`` once per run."""

    def __init__(self, X: Any, y: NDArray[Any]) -> None:
        self.X, self.y = X, y
        self._fitted: dict[str, Any] = {}

    def ask(self, query: NeighborQuery, rows: NDArray[np.intp], label: Any) -> Answer:
        if query.name not in self._fitted:
            check_query(query, self.X.shape[0], label)
            self._fitted[query.name] = query.estimator.fit(self.X)
        answer = search_fitted(query, self._fitted[query.name], self.X, rows)
        return answer._replace(other=self.y[answer.graph] != label)


def overrides(rule: SamplerRule, step: str) -> bool:
    """Whether ``rule`` has its own ``step`` (executors skip the default ones)."""
    return getattr(type(rule), step) is not getattr(SamplerRule, step)


def class_space(rule: SamplerRule, job: ClassJob, X_class: Any) -> Any:
    """The class's rows as its class-scope queries see them, computed once per class."""
    if "space" not in job.stats:
        job.stats["space"] = rule.search_space(job, X_class)
    return job.stats["space"]


def _answer(
    rule: SamplerRule,
    query: NeighborQuery,
    local: NDArray[np.intp] | None,
    *,
    job: ClassJob,
    X: Any,
    whole: _WholeData,
) -> Answer:
    class_index = job.ids
    assert class_index is not None
    if query.scope == "all":
        rows = class_index if local is None else class_index[local]
        return whole.ask(query, rows, job.label)
    check_query(query, class_index.size, job.label)
    return search_class(query, class_space(rule, job, X[class_index]), local)


def prepare_job(
    rule: SamplerRule, job: ClassJob, answer: Callable[[NeighborQuery, Any], Answer]
) -> bool:
    """A class's bases, partners and segments; ``False`` if it has no base.

    ``answer(query, asking)`` answers a query for the class rows ``asking`` (``None``: all),
    wherever the executor holds the rows.
    """
    for query in rule.screening():
        job.screened[query.name] = answer(query, None)
    job.bases = rule.bases(job)
    job.screened.clear()  # only the bases need them
    if job.n_bases == 0:
        return False
    partner_query = rule.partners()
    if partner_query is not None:
        job.partners = answer(partner_query, job.bases)
    job.stats.pop("space", None)  # the searches are done; keep no copy of the class
    job.segments = rule.segments(job)
    return True


def _plan(
    rule: SamplerRule, job: ClassJob, draws: list[dict[str, Any]], random_state: Any
) -> SyntheticPlan:
    """A prepared class's plan (rows of the data) from its segments' draws, compacted."""
    class_index = job.ids
    assert class_index is not None
    piece = join_pieces([rule.plan(job, columns) for columns in draws])
    plan = apply_extras(
        rule,
        job,
        piece,
        lambda n: draw_columns(check_random_state(random_state), rule.extras, n),
    )
    if overrides(rule, "prepare_finish"):
        job.stats["finish"] = rule.prepare_finish(job, [plan], check_random_state(random_state))
    global_partners = job.partners is not None and job.partners.scope == "all"
    plan = SyntheticPlan(
        class_index[plan.base],
        plan.neighbor if global_partners else _remap(plan.neighbor, class_index),
        plan.gap,
        plan.scale,
    )
    if not overrides(rule, "finish"):
        job.partners = None  # as today, a class's graph does not outlive its draws
    # Compact at once: the wide plan must not outlive this class's draws.
    return plan.compact()


def plan_in_memory(
    rule: SamplerRule, X: Any, y: NDArray[Any], strategy: dict[Any, int], random_state: Any
) -> tuple[list[SyntheticPlan], list[Any], list[ClassJob]]:
    """Each class's plan (rows of ``X``), its label and its job, in ``strategy``'s order.

    With the class stream, a class is searched, drawn and planned before the next is searched
    (its graph does not outlive its draws); with the sampler stream (``rule.stream``), every
    class is searched first, then all are drawn from one call of the random state.
    """
    if isinstance(rule, GlobalModelRule):  # a model of all rows plans each class
        return plan_with_model(rule, X, y, strategy)
    whole = _WholeData(X, y)
    jobs: list[ClassJob] = []
    plans: list[SyntheticPlan] = []
    for label, n_samples in strategy.items():
        if n_samples == 0:
            continue
        class_index = np.flatnonzero(y == label)
        job = ClassJob(label, class_index.size, n_samples, ids=class_index)
        answer_in_memory(rule, job, X, y, random_state)  # class queries and draws, if any
        if not prepare_job(rule, job, partial(_answer, rule, job=job, X=X, whole=whole)):
            continue
        jobs.append(job)
        if rule.stream == "class":
            rng = check_random_state(random_state)
            plans.append(
                _plan(rule, job, [draw_segment(rng, s) for s in job.segments], random_state)
            )
    if rule.stream != "class":
        rng = check_random_state(random_state)
        draws: list[list[dict[str, Any]]] = [[] for _ in jobs]
        for c, s in stream_order([job.segments for job in jobs], rule.stream):
            draws[c].append(draw_segment(rng, jobs[c].segments[s]))
        plans = [_plan(rule, job, d, random_state) for job, d in zip(jobs, draws, strict=True)]
    return plans, [job.label for job in jobs], jobs


def _remap(rows: NDArray[np.intp], class_index: NDArray[np.intp]) -> NDArray[np.intp]:
    return np.where(rows >= 0, class_index[np.maximum(rows, 0)], -1)


def assemble(
    X: Any,
    y: NDArray[Any],
    plans: list[SyntheticPlan],
    labels: list[Any],
    finish: Finish | None = None,
    *,
    integer_rounding: str = "nearest",
) -> tuple[Any, NDArray[Any]]:
    """Original rows unchanged, then each class's synthetic block, in order.

    ``finish(i, plan, block)`` completes the block of the ``i``-th plan in place;
    ``integer_rounding`` is how the kernel stores values into integer columns
    (:func:`smotekit._kernels.cast_values`).
    """
    n = X.shape[0]
    sizes = [len(p) for p in plans]
    total = n + sum(sizes)
    y_res = np.empty(total, dtype=y.dtype)
    y_res[:n] = y
    offset = n
    for label, size in zip(labels, sizes, strict=True):
        y_res[offset : offset + size] = label
        offset += size
    if sparse.issparse(X):
        blocks = [
            X,
            *(interpolate_sparse(X, plan, integer_rounding=integer_rounding) for plan in plans),
        ]
        return sparse.vstack(blocks, format=X.format), y_res
    X_res = np.empty((total, X.shape[1]), dtype=X.dtype)
    X_res[:n] = X
    offset = n
    for i, plan in enumerate(plans):
        block = X_res[offset : offset + len(plan)]
        interpolate(X, plan, block, integer_rounding=integer_rounding)
        if finish is not None:
            finish(i, plan, block)
        offset += len(plan)
    return X_res, y_res


def run_in_memory(
    rule: SamplerRule,
    X: Any,
    y: NDArray[Any],
    strategy: dict[Any, int],
    random_state: Any,
    *,
    integer_rounding: str = "nearest",
) -> tuple[Any, NDArray[Any], list[SyntheticPlan]]:
    """Resample validated ``X``, ``y`` with ``rule``; returns the plans as provenance.

    ``strategy`` is the sampler's ``sampling_strategy_`` (synthetic rows per class);
    ``integer_rounding`` its parameter of that name (see :func:`assemble`).
    """
    plans, labels, jobs = plan_in_memory(rule, X, y, strategy, random_state)
    if not overrides(rule, "finish"):
        X_res, y_res = assemble(X, y, plans, labels, integer_rounding=integer_rounding)
        return X_res, y_res, plans

    def finish(i: int, plan: SyntheticPlan, block: NDArray[Any]) -> None:
        job = jobs[i]
        assert job.ids is not None
        local = np.searchsorted(job.ids, plan.base)  # class-local rows, as the rule knows them
        chunk = Chunk(SyntheticPlan(local, plan.neighbor, plan.gap, plan.scale), block)
        chunk.state = job.stats.get("finish")
        rule.finish(job, chunk)

    X_res, y_res = assemble(X, y, plans, labels, finish, integer_rounding=integer_rounding)
    return X_res, y_res, plans

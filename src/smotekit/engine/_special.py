"""What some rules need beyond the declarative steps, and the hooks executors call for it.

* **Class queries** (:class:`ClassQuery`): an answer about the class computed from its rows and,
  where needed, passes over all rows (:class:`~smotekit.engine._queries.VDMQuery` for SMOTE-N,
  :class:`~smotekit.engine._queries.PeelQuery` for ProWSyn, :class:`ClassSummary` for class
  statistics). Both executors answer them the same way: the memory executor as one partition,
  the blockwise executor over its partitions. The answer goes to ``job.stats[query.name]``
  before the bases are chosen.
* **Class draws** (:class:`ChoiceWithoutReplacement`): random draws made once per class, not
  per row (PolynomFit picks which rows get one more point), from their own call of the class's
  stream, before its other draws. Steps from :meth:`~SamplerRule.plan` on may read them from
  ``job.stats["class_draws"]``.
* **Positions** (:class:`Position`): a column holding each row's position in its segment, for
  rules whose triples depend on where a row is rather than on a draw.
* **Global models** (:class:`GlobalModelRule`): a rule that needs a model of all rows (an SVM,
  k-means clusters) plans each class itself in memory; blockwise executors refuse it with a
  message naming the model and what to use instead (:func:`refuse_global_model`).

A rule opts in by defining ``class_queries()`` and/or ``class_draws(job)``; executors call
:func:`answer_in_memory` / :func:`answer_blockwise` and :func:`draw_class_level`, which do
nothing for the other rules.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.utils import check_random_state

from smotekit._kernels import SyntheticPlan
from smotekit.engine._rule import ClassJob, SamplerRule, Segment
from smotekit.engine._streams import Piece, block_stream

__all__ = [
    "CLASS_DRAWS",
    "ChoiceWithoutReplacement",
    "ClassQuery",
    "ClassSummary",
    "GlobalModelRule",
    "Position",
    "RandintFrom",
    "answer_blockwise",
    "answer_in_memory",
    "at_piece",
    "class_queries",
    "draw_class_level",
    "plan_with_model",
    "query_summary",
    "refuse_global_model",
]

#: ``purpose`` of the block stream that class draws come from under block seeding (after the
#: DRAWS, FINISH and EXTRAS purposes of :mod:`smotekit.engine._streams`).
CLASS_DRAWS = 3

#: One pass over the data: its partitions ``(X_part, y_part)``, always in the same order.
Data = Callable[[], Iterable[tuple[Any, Any]]]


class ClassQuery(ABC):
    """A question about one class that an executor answers from its rows and the data's.

    The answer is made of pieces that any executor can run where its data is:

    1. a *summary* of all rows, when ``needs_summary``: :meth:`summary_piece` per partition,
       :meth:`combine` of the pieces (computed once per run, for every class);
    2. :meth:`start`: the class's state from its rows (in data order) and the summary; a query
       without rounds returns its answer here;
    3. ``rounds`` passes over the data: per partition :meth:`round_piece` from the state, then
       :meth:`merge_round` of the pieces (in partition order) makes the next state;
    4. :meth:`answer` of the last state.

    The memory executor runs them on the data as one partition, the local blockwise driver over
    its partitions, Dask as tasks (:mod:`smotekit.dask._graph`), so all three give one answer.
    """

    name: str
    #: Whether :meth:`start` needs a summary of all rows (:meth:`summary_piece`, :meth:`combine`).
    needs_summary: ClassVar[bool] = False

    @property
    def rounds(self) -> int:
        """Passes over the data after :meth:`start`, known before the data is read."""
        return 0

    @property
    def reads_data(self) -> bool:
        """Whether answering reads rows other than the class's (a summary or rounds)."""
        return self.needs_summary or self.rounds > 0

    def check(self, n_class: int, label: Any) -> None:  # noqa: B027 (optional: any size is fine)
        """Refuse a class of ``n_class`` rows too small to answer (before any pass)."""

    def summary_piece(self, X_part: Any, y_part: Any) -> Any:
        """One partition's part of the summary (a query with ``needs_summary`` defines it)."""
        raise self._missing("summary_piece", "needs_summary is True")

    def combine(self, pieces: list[Any]) -> Any:
        """The summary from every partition's piece (a query with ``needs_summary`` defines it)."""
        raise self._missing("combine", "needs_summary is True")

    @abstractmethod
    def start(self, job: ClassJob, X_class: Any, summary: Any) -> Any:
        """The class's state before the rounds (its answer if there are none)."""

    def round_piece(self, state: Any, X_part: Any, y_part: Any) -> Any:
        """One partition's part of a round (a query with rounds defines it)."""
        raise self._missing("round_piece", "rounds > 0")

    def merge_round(self, state: Any, pieces: list[Any]) -> Any:
        """The state after a round, from every partition's piece (a new object)."""
        raise self._missing("merge_round", "rounds > 0")

    def _missing(self, method: str, why: str) -> TypeError:
        return TypeError(f"{type(self).__name__} must define {method}(), since its {why}")

    def answer(self, state: Any) -> Any:
        """The answer from the state after the last round."""
        return state


def query_summary(query: ClassQuery, data: Data) -> Any:
    """``query``'s summary of all rows (one pass over ``data``), ``None`` if it needs none."""
    if not query.needs_summary:
        return None
    return query.combine([query.summary_piece(X_part, y_part) for X_part, y_part in data()])


@dataclass(frozen=True)
class ClassSummary(ClassQuery):
    """A statistic of the class's own rows: ``compute(job, X_class)`` (no pass over the data)."""

    name: str
    compute: Callable[[ClassJob, Any], Any]

    def start(self, job: ClassJob, X_class: Any, summary: Any) -> Any:
        return self.compute(job, X_class)


@dataclass(frozen=True)
class RandintFrom:
    """``low + rng.randint(0, high - low, size)``: the draws of ``randint(0, high - low)``.

    A rule drawing a row of one group among groups laid end to end (ProWSyn's levels) gets
    the row's position in the whole layout, so its plan needs no group number.

    Examples
    --------
    >>> import numpy as np
    >>> drawn = RandintFrom("base", 10, 13).sample(np.random.RandomState(0), 5)
    >>> bool((drawn == 10 + np.random.RandomState(0).randint(0, 3, 5)).all())
    True
    """

    name: str
    low: int
    high: int

    def sample(self, rng: np.random.RandomState, size: int) -> NDArray[Any]:
        out = rng.randint(low=0, high=self.high - self.low, size=size)
        out += self.low
        return out


@dataclass(frozen=True)
class Position:
    """Each row's position in its segment (no draw); executors add the piece's first row.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.engine import Segment
    >>> from smotekit.engine._streams import Piece
    >>> segment = Segment(10, (Position("position"),))
    >>> columns = {"position": Position("position").sample(np.random.RandomState(), 3)}
    >>> at_piece([segment], Piece(0, 4, 7), columns)["position"]  # rows 4 to 6 of the segment
    array([4, 5, 6])
    """

    name: str

    def sample(self, rng: np.random.RandomState, size: int) -> NDArray[Any]:
        return np.arange(size, dtype=np.intp)


def at_piece(
    segments: list[Segment], piece: Piece, columns: dict[str, NDArray[Any]]
) -> dict[str, NDArray[Any]]:
    """``columns`` of rows ``piece.start:piece.stop`` of a segment, positions made absolute."""
    if piece.start:
        for variate in segments[piece.segment].variates:
            if isinstance(variate, Position):
                columns[variate.name] += piece.start
    return columns


@dataclass(frozen=True)
class ChoiceWithoutReplacement:
    """A class draw: ``rng.choice(n, size, replace=False)`` (a permutation, so drawn whole)."""

    name: str
    n: int
    size: int

    def draw(self, rng: np.random.RandomState) -> NDArray[Any]:
        return rng.choice(self.n, size=self.size, replace=False)


def class_queries(rule: SamplerRule) -> tuple[ClassQuery, ...]:
    """The class queries ``rule`` asks (none for most rules)."""
    queries = getattr(rule, "class_queries", None)
    return () if queries is None else tuple(queries())


def _draws_of(rule: SamplerRule, job: ClassJob) -> tuple[ChoiceWithoutReplacement, ...]:
    draws = getattr(rule, "class_draws", None)
    return () if draws is None else tuple(draws(job))


def _answer(rule: SamplerRule, pairs: list[tuple[ClassJob, Any]], data: Data | None) -> None:
    """Every class's queries: summaries once, and each round one pass for every class."""
    for query in class_queries(rule):
        asking = [(job, X) for job, X in pairs if query.name not in job.stats]
        if not asking:
            continue
        if query.reads_data and data is None:
            raise TypeError(f"class query {query.name!r} needs passes over all rows")
        summary = None if data is None else query_summary(query, data)
        states = [query.start(job, X_class, summary) for job, X_class in asking]
        for _ in range(query.rounds):
            assert data is not None
            pieces: list[list[Any]] = [[] for _ in states]
            for X_part, y_part in data():
                for i, state in enumerate(states):
                    pieces[i].append(query.round_piece(state, X_part, y_part))
            states = [query.merge_round(s, p) for s, p in zip(states, pieces, strict=True)]
        for (job, _), state in zip(asking, states, strict=True):
            job.stats[query.name] = query.answer(state)


def _draw(rule: SamplerRule, job: ClassJob, rng: Callable[[], np.random.RandomState]) -> None:
    draws = _draws_of(rule, job)
    if draws:
        stream = rng()
        job.stats["class_draws"] = {d.name: d.draw(stream) for d in draws}


def answer_in_memory(
    rule: SamplerRule, job: ClassJob, X: Any, y: NDArray[Any], random_state: Any
) -> None:
    """The memory executor's hook: a class's queries and class draws (nothing for most rules)."""
    if class_queries(rule):
        assert job.ids is not None
        _answer(rule, [(job, X[job.ids])], lambda: [(X, y)])
    _draw(rule, job, lambda: check_random_state(random_state))


def answer_blockwise(rule: SamplerRule, classes: list[Any], data: Data | None) -> None:
    """The blockwise executor's hook: every class's queries not answered yet (``job.stats``).

    Summaries are computed once and each round is one pass over ``data`` for every class;
    ``data=None`` (a driver that answered the queries reading all rows itself) answers the
    class-local ones only.
    """
    if class_queries(rule):
        _answer(rule, [(cls.job, cls.X) for cls in classes], data)


def draw_class_level(rule: SamplerRule, classes: list[Any], seed: int | None, entropy: int) -> None:
    """The blockwise executor's class draws: imbalanced-learn's stream, or the class's own."""
    for cls in classes:
        _draw(rule, cls.job, partial(_class_stream, seed, entropy, cls.key))


def _class_stream(seed: int | None, entropy: int, key: int) -> np.random.RandomState:
    if seed is not None:
        return np.random.RandomState(seed)
    return block_stream(entropy, key, 0, CLASS_DRAWS)


class GlobalModelRule(SamplerRule):
    """A rule whose classes are planned by a model of all rows (SVMSMOTE, KMeansSMOTE).

    The memory executor calls :meth:`plan_class` per class instead of the declarative steps
    (the engine still validates, assembles, casts and keeps provenance); it calls the
    ``plan_class`` given, the sampler's own planning with its model. ``capabilities
    .global_model`` names the model; ``sampler_name`` and ``instead`` (what to use where it
    cannot run) complete the refusal of blockwise executors.
    """

    sampler_name: ClassVar[str] = "this sampler"
    instead: ClassVar[str] = "resample in memory"

    def __init__(self, plan_class: Callable[..., SyntheticPlan]) -> None:
        self._plan_class = plan_class

    def plan_class(
        self, X: Any, y: NDArray[Any], label: Any, class_index: NDArray[np.intp], n_samples: int
    ) -> SyntheticPlan:
        """Triples for ``n_samples`` synthetic rows of class ``label`` (rows of ``X``)."""
        return self._plan_class(X, y, label, class_index, n_samples)


def plan_with_model(
    rule: GlobalModelRule, X: Any, y: NDArray[Any], strategy: dict[Any, int]
) -> tuple[list[SyntheticPlan], list[Any], list[ClassJob]]:
    """The memory executor's plans for a :class:`GlobalModelRule`, in ``strategy``'s order."""
    plans, labels, jobs = [], [], []
    for label, n_samples in strategy.items():
        if n_samples == 0:
            continue
        class_index = np.flatnonzero(y == label)
        # Compact at once: the wide plan must not outlive this class's draws.
        plans.append(rule.plan_class(X, y, label, class_index, n_samples).compact())
        labels.append(label)
        jobs.append(ClassJob(label, class_index.size, n_samples, ids=class_index))
    return plans, labels, jobs


def refuse_global_model(rule: SamplerRule) -> None:
    """Refuse a rule that needs a model of all rows: blockwise, it would depend on partitions."""
    model = rule.capabilities.global_model
    if model is None:
        return
    instead = getattr(rule, "instead", "resample in memory")
    raise TypeError(
        f"{getattr(rule, 'sampler_name', type(rule).__name__)} needs {model}, which cannot be "
        "built partition by partition (the output would depend on the partitioning): "
        f"{instead}."
    )

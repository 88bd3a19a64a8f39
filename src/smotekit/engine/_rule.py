"""What a sampler states once: its neighbour queries, its bases, its draws and its finish.

A :class:`SamplerRule` describes how one class grows, in steps that any executor can run:

1. ``screening()``: neighbour queries asked by every row of the class before anything is drawn
   (Borderline-SMOTE's ``m_neighbors`` over all rows, to find the rows in danger);
2. ``bases(job)``: which class rows grow (``None``: all of them);
3. ``partners()``: the query whose answer gives each base its partner candidates;
4. ``segments(job)``: how the synthetic rows are drawn: runs of rows, each with its random
   columns (:class:`Randint`, :class:`Uniform`) in the order imbalanced-learn consumes them;
5. ``plan(job, draws)``: the draws of some rows turned into ``(base, partner, gap)`` triples;
6. ``extras`` / ``adjust``: a second draw for some rows once their partners are known
   (Borderline-2 shortens moves towards other classes by a factor ~ U(0, 0.5));
7. ``prepare_finish`` / ``finish(job, chunk)``: a last pass over interpolated rows, with what
   it needs from the whole class first (SMOTE-NC's vote ranks its ties over the whole class).

Every step works on a part of the rows as well as on all of them, so the same rule runs in
memory (one part per class) and blockwise over partitions (one part per output block).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

from smotekit._kernels import SyntheticPlan

__all__ = [
    "Answer",
    "Capabilities",
    "Chunk",
    "ClassJob",
    "NeighborQuery",
    "PlanPiece",
    "Randint",
    "SamplerRule",
    "Segment",
    "Uniform",
    "Variate",
    "smote_triples",
]


@dataclass(frozen=True)
class Capabilities:
    """What executors need to know about a rule before running it.

    ``global_model`` names the model of the whole data the rule needs (an SVM, k-means
    clusters); such a rule runs in memory only, and blockwise executors say so naming it.
    ``features`` is ``"numeric"``, ``"mixed"`` (SMOTE-NC) or ``"categorical"`` (SMOTE-N).
    """

    global_model: str | None = None
    features: str = "numeric"


@dataclass(frozen=True)
class NeighborQuery:
    """A neighbour search a rule asks for, for the rows of the class being grown.

    ``scope="class"`` searches the class's own rows (answers are class-local row numbers);
    ``scope="all"`` searches every row of the data (answers are row numbers of the data, with a
    flag per neighbour: of another class). The query row itself is excluded by index, so ``k``
    neighbours come back per row. ``estimator`` is configured for ``k + 1`` neighbours and is
    refitted by the executor; ``param`` names the parameter in error messages and ``value`` is
    that parameter as the user gave it (an int or an estimator), so messages can quote it.
    """

    name: str
    k: int | None  # None: as many as the estimator returns, less the row itself (memory only)
    estimator: Any
    scope: str = "class"
    param: str = "k_neighbors"
    value: Any = None
    owner: str | None = None  # the sampler, named at the start of a too-few-rows message


class Answer(NamedTuple):
    """The answer to a :class:`NeighborQuery`: ``k`` neighbours per asking row."""

    graph: NDArray[np.intp]
    other: NDArray[np.bool_] | None = None  # scope "all": the neighbour is of another class
    scope: str = "class"


class Variate(Protocol):
    """One random column of a segment, drawn for ``size`` rows at once.

    Drawing ``a`` rows then ``b`` rows from one stream must give the same values as drawing
    ``a + b`` rows: executors cut the column at block boundaries.
    """

    @property
    def name(self) -> str: ...

    def sample(self, rng: np.random.RandomState, size: int) -> NDArray[Any]: ...


@dataclass(frozen=True)
class Randint:
    """``rng.randint(0, high, size)``; also ``rng.choice(high, size)``, which draws the same."""

    name: str
    high: int

    def sample(self, rng: np.random.RandomState, size: int) -> NDArray[Any]:
        return rng.randint(low=0, high=self.high, size=size)


@dataclass(frozen=True)
class Uniform:
    """``rng.uniform(low, high, size)``."""

    name: str
    low: float = 0.0
    high: float = 1.0

    def sample(self, rng: np.random.RandomState, size: int) -> NDArray[Any]:
        if self.low == 0.0 and self.high == 1.0:
            return rng.uniform(size=size)
        return rng.uniform(low=self.low, high=self.high, size=size)


@dataclass(frozen=True)
class Segment:
    """``count`` synthetic rows drawn together.

    Each variate is drawn for all ``drawn`` rows (default ``count``) before the next
    (imbalanced-learn's ``randint(size=n)`` then ``uniform(size=n)``), and the first ``count``
    rows are kept: ADASYN draws more rows than it keeps where its rounding overshoots. Segments
    follow one another on the class's stream, or on the sampler's (:attr:`SamplerRule.stream`).
    ``rows``, when given, is fixed per row by the rule rather than drawn (ADASYN's bases, each
    repeated by its share): executors hand each part its slice as ``draws["rows"]``.
    """

    count: int
    variates: tuple[Variate, ...]
    drawn: int | None = None
    rows: NDArray[np.intp] | None = field(default=None, compare=False)

    @property
    def n_drawn(self) -> int:
        """Rows each variate draws (``drawn``, at least ``count``)."""
        return self.count if self.drawn is None else max(self.drawn, self.count)


@dataclass
class ClassJob:
    """One class to grow, as the rule's steps fill it in."""

    label: Any
    n_class: int
    n_samples: int
    ids: NDArray[np.int64] | None = None  # row numbers of the class's rows in the data
    screened: dict[str, Answer] = field(default_factory=dict)
    bases: NDArray[np.intp] | None = None  # class-local rows that grow; None: all of them
    partners: Answer | None = None  # asked by the bases, in their order
    segments: list[Segment] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)  # what the rule learns of the class

    @property
    def n_bases(self) -> int:
        return self.n_class if self.bases is None else int(self.bases.size)

    def base_rows(self, picks: NDArray[np.intp]) -> NDArray[np.intp]:
        """Class-local rows of the ``picks``-th bases."""
        return picks if self.bases is None else self.bases[picks]


class PlanPiece(NamedTuple):
    """Triples of some rows, and which of them take the rule's extra draws (row order)."""

    plan: SyntheticPlan  # base: class-local; neighbor: in the partner answer's row numbers
    flagged: NDArray[np.bool_] | None = None


@dataclass
class Chunk:
    """Interpolated rows handed to :meth:`SamplerRule.finish`: ``out[i]`` grew from ``plan[i]``.

    The rows are the class's synthetic rows ``start:start + len(plan)``; ``state`` is what
    :meth:`SamplerRule.prepare_finish` returned for the rows it was given.
    """

    plan: SyntheticPlan  # base: class-local rows
    out: NDArray[Any]
    start: int = 0
    state: Any = None


def smote_triples(
    job: ClassJob, draws: dict[str, NDArray[Any]]
) -> tuple[SyntheticPlan, NDArray[np.intp], NDArray[np.intp]]:
    """SMOTE's triples, and the partner answer's (row, column) of each.

    ``draws["pair"]`` is ``base * k + column``; it is overwritten by the columns, so no
    temporary of the size of the plan is added to it.
    """
    if job.partners is None:
        raise TypeError("SMOTE's draws need partners: the rule's partners() query")
    graph = job.partners.graph
    pair = draws["pair"]
    rows, cols = np.divmod(pair, graph.shape[1], out=(np.empty_like(pair), pair))
    plan = SyntheticPlan(job.base_rows(rows), graph[rows, cols], draws["gap"])
    return plan, rows, cols


class SamplerRule:
    """One sampler's rule, stated once and run by every executor (see the module docstring).

    The default steps are SMOTE's: every row grows, towards one of the partners its row of
    the partner answer lists, with imbalanced-learn's draws.
    """

    capabilities: ClassVar[Capabilities] = Capabilities()
    #: Where the segments' draws come from: ``"class"``, a new call of the random state per
    #: class (SMOTE, imbalanced-learn's usual layout); ``"sampler"``, one call for every class,
    #: segment ``i`` of every class (in class order) before segment ``i + 1`` of any (ADASYN:
    #: all classes' main draws, then all their top-ups).
    stream: ClassVar[str] = "class"
    #: Draws of :meth:`extras` for each flagged row, in row order, from a second call of the
    #: class's stream (imbalanced-learn calls ``check_random_state`` again for them).
    extras: tuple[Variate, ...] = ()

    def screening(self) -> tuple[NeighborQuery, ...]:
        """Queries every row of the class asks before the bases are chosen."""
        return ()

    def bases(self, job: ClassJob) -> NDArray[np.intp] | None:
        """Class-local rows that grow, from ``job.screened``; ``None`` for every row."""
        return None

    def partners(self) -> NeighborQuery | None:
        """The query that lists each base's partner candidates (asked by the bases)."""
        return None

    def segments(self, job: ClassJob) -> list[Segment]:
        """SMOTE's draws: a (base, neighbour column) pair as one integer, then the gap."""
        if job.partners is None:
            raise TypeError(f"{type(self).__name__} must define segments: it has no partners")
        k = job.partners.graph.shape[1]
        return [Segment(job.n_samples, (Randint("pair", job.n_bases * k), Uniform("gap")))]

    def plan(self, job: ClassJob, draws: dict[str, NDArray[Any]]) -> PlanPiece:
        """SMOTE's triples (``draws`` belong to this call, which may overwrite them)."""
        return PlanPiece(smote_triples(job, draws)[0])

    def adjust(
        self, job: ClassJob, piece: PlanPiece, extra: dict[str, NDArray[Any]]
    ) -> SyntheticPlan:
        """The plan once the flagged rows have their :attr:`extras` (default: unchanged)."""
        return piece.plan

    def search_space(self, job: ClassJob, X_class: NDArray[Any]) -> Any:
        """The class's rows as its class-scope queries see them (default: as they are)."""
        return X_class

    def prepare_finish(
        self, job: ClassJob, plans: list[SyntheticPlan], rng: np.random.RandomState
    ) -> Any:
        """What :meth:`finish` needs from all the rows ``plans`` hold, in order (default: nothing).

        ``rng`` is the stream of the finish's draws: in memory and with imbalanced-learn's
        seeding, a new call of the class's stream (``plans`` then cover the whole class); with
        block seeding, the block's own (``plans`` cover the block).
        """
        return None

    def finish(self, job: ClassJob, chunk: Chunk) -> None:
        """Complete interpolated rows in place (default: nothing to do)."""

    def fitted(self) -> dict[str, Any]:
        """What the rule learnt in its last run, by the estimator attributes' names.

        The estimator copies them after a run (``nn_k_``, ``in_danger_indices``, ...).
        """
        return {}

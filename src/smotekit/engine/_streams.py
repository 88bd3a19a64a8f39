"""Where each synthetic row's random numbers come from: the two seeding layouts.

A rule declares its draws as :class:`~smotekit.engine._rule.Segment` s: runs of rows whose random
columns are drawn one column after the other (imbalanced-learn draws ``randint(size=n)``, then
``uniform(size=n)``). Executors cut a class's rows into parts (one part in memory, one per
output block elsewhere), and a part needs its slice of every column. Two layouts give it:

* **imbalanced-learn** (:class:`DrawIndex`): the class's stream is ``RandomState(seed)``,
  exactly as in memory. One dry run over the class records the generator's state where each
  block's slice of each column starts; any block is then drawn alone, in any order, on any
  worker, and equals the slice of the whole-class draw. It costs one pass of the generator over
  the class and 2.5 KB per (block, column), never memory per synthetic row.
* **blocks** (:func:`block_stream`): block ``b`` of class ``c`` draws from
  ``SeedSequence(entropy)`` spawned at ``(c, b, purpose)``; blocks never depend on each other.

Both depend on the class's rows in data order and on the block size only, never on how the
input is partitioned.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from smotekit.engine._rule import Segment, Variate

__all__ = [
    "DRAWS",
    "EXTRAS",
    "FINISH",
    "DrawIndex",
    "Piece",
    "block_stream",
    "draw_columns",
    "draw_segment",
    "entropy_of",
    "pieces",
    "stream_order",
    "with_rows",
]

# ``purpose`` of a block stream: the segments' draws, a finish step's, the extras'.
DRAWS, FINISH, EXTRAS = 0, 1, 2
# Rows per call when a dry run only advances a generator (bounds its temporaries).
_SKIP_ROWS = 1 << 16

State = Any  # what ``RandomState.get_state()`` returns


class Piece(NamedTuple):
    """Rows ``start:stop`` of segment ``segment`` (positions within that segment)."""

    segment: int
    start: int
    stop: int


def pieces(segments: Sequence[Segment], start: int, stop: int) -> list[Piece]:
    """The segment pieces that class rows ``start:stop`` (output order) are made of.

    Examples
    --------
    >>> from smotekit.engine import Segment, Uniform
    >>> pieces([Segment(3, (Uniform("gap"),)), Segment(4, (Uniform("gap"),))], 2, 5)
    [Piece(segment=0, start=2, stop=3), Piece(segment=1, start=0, stop=2)]
    """
    out = []
    first = 0
    for s, segment in enumerate(segments):
        lo, hi = max(start, first), min(stop, first + segment.count)
        if lo < hi:
            out.append(Piece(s, lo - first, hi - first))
        first += segment.count
    return out


def draw_columns(
    rng: np.random.RandomState, variates: Sequence[Variate], size: int
) -> dict[str, NDArray[Any]]:
    """Every column for ``size`` rows, one column after the other (imbalanced-learn's order)."""
    return {v.name: v.sample(rng, size) for v in variates}


def with_rows(
    columns: dict[str, NDArray[Any]], segment: Segment, start: int, stop: int
) -> dict[str, NDArray[Any]]:
    """``columns`` of segment rows ``start:stop``, with their fixed ``rows`` if it has them."""
    if segment.rows is not None:
        columns["rows"] = segment.rows[start:stop]
    return columns


def draw_segment(rng: np.random.RandomState, segment: Segment) -> dict[str, NDArray[Any]]:
    """A whole segment's columns: ``segment.n_drawn`` rows each, the first ``count`` kept."""
    columns = draw_columns(rng, segment.variates, segment.n_drawn)
    if segment.n_drawn > segment.count:
        columns = {name: values[: segment.count] for name, values in columns.items()}
    return with_rows(columns, segment, 0, segment.count)


def stream_order(segments: Sequence[Sequence[Segment]], stream: str) -> list[tuple[int, int]]:
    """``(class, segment)`` in the order one stream draws them (see ``SamplerRule.stream``).

    Examples
    --------
    >>> stream_order([["a0", "a1"], ["b0", "b1"]], "sampler")
    [(0, 0), (1, 0), (0, 1), (1, 1)]
    >>> stream_order([["a0", "a1"], ["b0", "b1"]], "class")
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    """
    if stream == "class":
        return [(c, s) for c, segs in enumerate(segments) for s in range(len(segs))]
    depth = max((len(segs) for segs in segments), default=0)
    return [(c, s) for s in range(depth) for c, segs in enumerate(segments) if s < len(segs)]


def _advance(rng: np.random.RandomState, variate: Variate, size: int) -> None:
    for start in range(0, size, _SKIP_ROWS):
        variate.sample(rng, min(_SKIP_ROWS, size - start))


def block_stream(
    entropy: int, class_key: int, block: int, purpose: int = DRAWS
) -> np.random.RandomState:
    """The random stream of one output block: ``SeedSequence(entropy)`` spawned at (class, block).

    A legacy ``RandomState`` over that seed gives the draws their usual order, while the
    stream itself depends only on the seed, the class, the block number and the purpose
    (:data:`DRAWS`, :data:`FINISH`, :data:`EXTRAS`): not on how the input is partitioned, nor on
    the number of workers.
    """
    seq = np.random.SeedSequence(entropy, spawn_key=(class_key, block, purpose))
    return np.random.RandomState(np.random.MT19937(seq))


def entropy_of(random_state: Any) -> int:
    """The integer a blockwise run seeds its block streams with."""
    if random_state is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31 - 1))
    if isinstance(random_state, numbers.Integral):
        return int(random_state)
    raise ValueError(f"random_state={random_state!r}: use an int, a RandomState or None.")


class DrawIndex:
    """Generator states where each output block's slice of each column starts (one class).

    Built by one dry run of ``RandomState(seed)`` over the class's segments, column after
    column, as imbalanced-learn draws them; ``draws(block)`` then gives that block's pieces.
    ``extras(block, ...)`` does the same for the rule's extra draws, which come from a second
    ``RandomState(seed)`` (imbalanced-learn calls ``check_random_state`` again) and are drawn
    only for flagged rows, in row order: their positions need every earlier block's flags,
    which :meth:`index_extras` gets from a dry run of the plans.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.engine import Randint, Segment, Uniform
    >>> segment = Segment(10, (Randint("pair", 6), Uniform("gap")))
    >>> whole = np.random.RandomState(3)
    >>> pair, gap = whole.randint(0, 6, size=10), whole.uniform(size=10)
    >>> index = DrawIndex(3, [segment], block_rows=4)
    >>> block = index.draws(2)[0][1]  # rows 8 and 9, drawn alone
    >>> bool((block["pair"] == pair[8:]).all() and (block["gap"] == gap[8:]).all())
    True
    """

    def __init__(
        self, seed: int, segments: Sequence[Segment], block_rows: int, *, record: bool = True
    ) -> None:
        self.seed, self.segments, self.block_rows = seed, list(segments), block_rows
        total = sum(s.count for s in self.segments)
        self.n_blocks = -(-total // block_rows)
        self._states: list[dict[tuple[int, str], State]] = [{} for _ in range(self.n_blocks)]
        self._extra_states: list[dict[str, State]] | None = None
        self._firsts = np.concatenate(([0], np.cumsum([s.count for s in self.segments])))
        if record:
            rng = np.random.RandomState(seed)
            for s in range(len(self.segments)):
                self._record(rng, s)

    @classmethod
    def shared(
        cls, seed: int, segments: Sequence[Sequence[Segment]], block_rows: int
    ) -> list[DrawIndex]:
        """One index per class, all drawn from one ``RandomState(seed)`` in the sampler's order.

        For rules whose ``stream`` is ``"sampler"`` (ADASYN): one dry run over every class's
        segments, in :func:`stream_order`.
        """
        indexes = [cls(seed, segs, block_rows, record=False) for segs in segments]
        rng = np.random.RandomState(seed)
        for c, s in stream_order(segments, "sampler"):
            indexes[c]._record(rng, s)
        return indexes

    def _record(self, rng: np.random.RandomState, s: int) -> None:
        """Advance ``rng`` over segment ``s``, recording where each block's slices start."""
        segment = self.segments[s]
        for variate in segment.variates:
            for b, piece in self._blocks_of(s, int(self._firsts[s]), segment.count):
                self._states[b][(s, variate.name)] = rng.get_state()
                _advance(rng, variate, piece.stop - piece.start)
            _advance(rng, variate, segment.n_drawn - segment.count)  # drawn, not kept

    def _blocks_of(self, s: int, first: int, count: int) -> Iterator[tuple[int, Piece]]:
        b = first // self.block_rows
        while b * self.block_rows < first + count:
            lo = max(b * self.block_rows, first) - first
            hi = min((b + 1) * self.block_rows, first + count) - first
            yield b, Piece(s, lo, hi)
            b += 1

    def block_pieces(self, block: int) -> list[Piece]:
        return pieces(self.segments, block * self.block_rows, (block + 1) * self.block_rows)

    def draws(self, block: int) -> list[tuple[Piece, dict[str, NDArray[Any]]]]:
        """Each piece of ``block`` with its columns, equal to the whole-class draw's slices."""
        rng = np.random.RandomState()
        out = []
        for piece in self.block_pieces(block):
            columns = {}
            for variate in self.segments[piece.segment].variates:
                rng.set_state(self._states[block][(piece.segment, variate.name)])
                columns[variate.name] = variate.sample(rng, piece.stop - piece.start)
            segment = self.segments[piece.segment]
            out.append((piece, with_rows(columns, segment, piece.start, piece.stop)))
        return out

    def index_extras(self, variates: Sequence[Variate], n_flagged: Callable[[int], int]) -> None:
        """Record where each block's extra draws start; ``n_flagged(block)`` counts its rows."""
        counts = [n_flagged(b) for b in range(self.n_blocks)]
        self._extra_states = [{} for _ in range(self.n_blocks)]
        rng = np.random.RandomState(self.seed)
        for variate in variates:
            for b, count in enumerate(counts):
                self._extra_states[b][variate.name] = rng.get_state()
                _advance(rng, variate, count)

    def extras(
        self, block: int, variates: Sequence[Variate], count: int
    ) -> dict[str, NDArray[Any]]:
        """The extra columns of ``block``'s ``count`` flagged rows."""
        if self._extra_states is None:
            raise RuntimeError("index_extras must run before extras")
        rng = np.random.RandomState()
        columns = {}
        for variate in variates:
            rng.set_state(self._extra_states[block][variate.name])
            columns[variate.name] = variate.sample(rng, count)
        return columns

"""The one engine: each sampler states its rule once, executors run it anywhere.

* :mod:`~smotekit.engine._rule`: :class:`SamplerRule` and what it is made of (queries,
  segments of draws, plan pieces, chunks to finish);
* :mod:`~smotekit.engine._streams`: where the random numbers of each part of a class come from
  (imbalanced-learn's layout, cut at block boundaries; or one stream per block);
* :mod:`~smotekit.engine._memory`: the memory executor (one part per class);
* :mod:`~smotekit.engine._blockwise`: the blockwise executor over row partitions (one part per
  output block), for Dask and for files.

Executors never know which sampler they run; samplers never know where they run.
"""

from smotekit.engine._blockwise import BlockwiseRun, SyntheticBlock, run_blockwise
from smotekit.engine._memory import assemble, run_in_memory
from smotekit.engine._rule import (
    Answer,
    Capabilities,
    Chunk,
    ClassJob,
    NeighborQuery,
    PlanPiece,
    Randint,
    SamplerRule,
    Segment,
    Uniform,
    Variate,
    smote_triples,
)

__all__ = [
    "Answer",
    "BlockwiseRun",
    "Capabilities",
    "Chunk",
    "ClassJob",
    "NeighborQuery",
    "PlanPiece",
    "Randint",
    "SamplerRule",
    "Segment",
    "SyntheticBlock",
    "Uniform",
    "Variate",
    "assemble",
    "run_blockwise",
    "run_in_memory",
    "smote_triples",
]

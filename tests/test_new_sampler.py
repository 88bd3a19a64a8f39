"""A sampler written in this module runs in memory, from the command line and on Dask.

The one-engine promise: a new sampler is its class, its rule and one registry entry, and every
executor runs it with no edit in ``smotekit/cli``, ``smotekit/io`` or ``smotekit/dask``.
``ToySMOTE`` below asks a query over all rows (partners of any class), draws its own gaps,
takes an extra draw for some rows and finishes the interpolated rows; the three executors give
the same rows.
"""

from __future__ import annotations

import sys
from numbers import Integral

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.datasets import make_classification
from sklearn.utils._param_validation import Interval

from smotekit._kernels import SyntheticPlan
from smotekit._registry import MethodSpec, SamplerSpec, register, unregister
from smotekit.cli import main
from smotekit.engine import (
    Capabilities,
    ClassJob,
    NeighborQuery,
    PlanPiece,
    Randint,
    SamplerRule,
    Segment,
    Uniform,
    smote_triples,
)
from smotekit.neighbors import ExactNeighbors
from smotekit.over_sampling._base import SyntheticSamplerMixin


class ToyRule(SamplerRule):
    """Partners among all rows, gaps from U(0.25, 0.75), some shortened; last column = first."""

    capabilities = Capabilities()
    extras = (Uniform("nudge", 0.0, 0.1),)

    def __init__(self, k: int) -> None:
        self.query = NeighborQuery("k", k, ExactNeighbors(n_neighbors=k + 1), scope="all")

    def partners(self) -> NeighborQuery:
        return self.query

    def segments(self, job: ClassJob) -> list[Segment]:
        assert job.partners is not None
        pair = Randint("pair", job.n_bases * job.partners.graph.shape[1])
        return [Segment(job.n_samples, (pair, Uniform("gap", 0.25, 0.75)))]

    def plan(self, job, draws):
        plan, rows, cols = smote_triples(job, draws)
        return PlanPiece(plan, job.partners.other[rows, cols])

    def adjust(self, job, piece, extra):
        gap = piece.plan.gap.copy()
        gap[piece.flagged] -= extra["nudge"]
        return SyntheticPlan(piece.plan.base, piece.plan.neighbor, gap)

    def finish(self, job, chunk):
        chunk.out[:, -1] = chunk.out[:, 0]


class ToySMOTE(SyntheticSamplerMixin, BaseOverSampler):
    """A new sampler: its parameters, and its rule."""

    _sampling_type = "over-sampling"
    _neighbor_params = (("k_neighbors", 1),)
    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=3):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _validate_estimator(self) -> None:
        pass

    def _rule(self) -> ToyRule:
        return ToyRule(self.k_neighbors)


@pytest.fixture
def toy_registered():
    register(
        SamplerSpec(
            "ToySMOTE",
            __name__,
            methods=(MethodSpec("toy", "a sampler defined in a test"),),
            blockwise=True,
        )
    )
    assert sys.modules[__name__].ToySMOTE is ToySMOTE
    yield
    unregister("ToySMOTE")


def make_data():
    X, y = make_classification(
        n_samples=600,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[0.7, 0.2, 0.1],
        class_sep=0.7,
        random_state=3,
    )
    return X, y


def test_a_sampler_defined_here_runs_in_memory_from_files_and_on_dask(toy_registered, tmp_path):
    X, y = make_data()
    X_mem, y_mem = ToySMOTE(random_state=0).fit_resample(X, y)
    assert np.bincount(y_mem).tolist() == [np.bincount(y)[0]] * 3
    np.testing.assert_array_equal(X_mem[len(X) :, -1], X_mem[len(X) :, 0])  # the finish ran

    # From a file, with the command line (imbalanced-learn's seeding, as the CLI always uses).
    columns = {f"x{j}": X[:, j] for j in range(X.shape[1])}
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    pacsv.write_csv(pa.table({**columns, "label": y}), src)
    argv = ["resample", str(src), "-o", str(out), "-t", "label", "--method", "toy"]
    assert main([*argv, "--seed", "0", "-q"]) == 0
    written = pacsv.read_csv(out)
    X_cli = np.column_stack([written[f"x{j}"].to_numpy() for j in range(X.shape[1])])
    np.testing.assert_allclose(X_cli, X_mem, rtol=1e-15)  # CSV round trip of float64
    np.testing.assert_array_equal(written["label"].to_numpy(), y_mem)

    # On Dask, over 1, 3 and 7 partitions.
    dd = pytest.importorskip("dask.dataframe")
    import dask
    import pandas as pd

    import smotekit.dask

    assert "ToySMOTE" in smotekit.dask.SUPPORTED
    frame = pd.DataFrame({**columns, "label": y})
    for partitions in (1, 3, 7):
        data = dd.from_pandas(frame, npartitions=partitions)
        X_dask, y_dask = smotekit.dask.fit_resample(
            ToySMOTE(random_state=0),
            data.drop(columns="label"),
            data["label"],
            seeding="imbalanced-learn",
        )
        with dask.config.set(scheduler="synchronous"):
            X_out, y_out = dask.compute(X_dask, y_dask)
        np.testing.assert_array_equal(X_out.to_numpy(), X_mem)
        np.testing.assert_array_equal(y_out.to_numpy(), y_mem)

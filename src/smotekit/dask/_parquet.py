"""Parquet dataset in, Parquet dataset out, through Dask: the engine of ``resample --dask``."""

from __future__ import annotations

import operator
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smotekit._optional import import_optional

__all__ = ["connect", "resample_parquet"]


@contextmanager
def connect(address: str | None) -> Any:
    """A ``distributed.Client``: ``"local"`` starts a LocalCluster here, else the scheduler named.

    ``None`` keeps whatever scheduler dask is already set to use.
    """
    if address is None:
        yield None
        return
    distributed = import_optional("distributed", "dask")
    if address == "local":
        with distributed.LocalCluster(dashboard_address=None) as cluster:
            with distributed.Client(cluster) as client:
                yield client
        return
    with distributed.Client(address) as client:
        yield client


def _join(x_part: Any, y_part: Any, target: str, columns: list[Any]) -> Any:
    frame = x_part.copy()
    frame[target] = y_part
    return frame[columns]


def _part_name(i: int) -> str:
    # Zero-padded, so every reader (not only dask's natural sort) sees the partitions in order.
    return f"part-{i:06d}.parquet"


def _records_frame(records: Any) -> Any:
    import pandas as pd

    return pd.DataFrame(records)


def _empty_records() -> Any:
    import numpy as np
    import pandas as pd

    from smotekit._kernels import PROVENANCE_DTYPE

    return pd.DataFrame(np.empty(0, dtype=PROVENANCE_DTYPE))


def resample_parquet(
    sampler: Any,
    source: str | Path,
    destination: str | Path,
    *,
    target: str,
    provenance: str | Path | None = None,
    overwrite: bool = False,
    **options: Any,
) -> dict[Any, int]:
    """Resample a Parquet dataset (a file or a folder) into a new Parquet folder.

    The output holds the input's partitions unchanged, then the synthetic rows (with a combined
    sampler: the rows its cleaner keeps, in its order); it appears only once complete (written
    beside it, then renamed). ``options`` go to :func:`smotekit.dask.fit_resample`. Returns the
    class counts of the output.
    """
    dd = import_optional("dask.dataframe", "dask")
    dask = import_optional("dask", "dask")
    from smotekit.dask._cleaning import clean_synthesis, combined_parts
    from smotekit.dask._collections import with_target
    from smotekit.dask._graph import synthesize

    destination = Path(destination)
    targets = [destination] + ([Path(provenance)] if provenance is not None else [])
    for path in targets:
        if path.exists() and not overwrite:
            raise FileExistsError(f"'{path}' exists; choose a new name or allow replacing it.")
    frame = dd.read_parquet(str(source))
    if target not in frame.columns:
        raise KeyError(f"'{source}' has no column '{target}' (columns: {list(frame.columns)[:12]})")
    X = frame.drop(columns=[target])
    y = frame[target]
    combined = combined_parts(sampler)
    plan = synthesize(sampler if combined is None else combined[0], X, y, **options)
    columns = list(frame.columns)
    synthetic = [
        dask.delayed(_join)(xb, yb, target, columns)
        for xb, yb in zip(plan.x_blocks, plan.y_blocks, strict=True)
    ]
    # The input partitions are written from the very tasks that select the classes to grow, so
    # the write and the class gather share one read of the data.
    joined = plan.source.joined_parts or []
    passed = [dask.delayed(with_target)(p, target, columns) for p in joined]
    records = plan.prov_blocks
    counted = None  # with cleaning, the output's class counts are known once it is written
    if combined is not None:
        kept = clean_synthesis(plan, combined[1])
        passed, synthetic = kept.select(passed + synthetic), []
        records = kept.select_synthetic(records)
        labels = [dask.delayed(operator.getitem)(p, target) for p in passed]
        counted = dd.from_delayed(labels, meta=frame._meta[target]).value_counts()
    out = dd.from_delayed(passed + synthetic, meta=frame._meta, verify_meta=False)
    prov = dd.from_delayed(
        [dask.delayed(_records_frame)(p) for p in records] or [_empty_records()],
        meta=_empty_records(),
    )
    staged = [(destination, out)] + ([(Path(provenance), prov)] if provenance is not None else [])
    temporary = []
    try:
        writes = []
        for path, data in staged:
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
            temporary.append((tmp, path))
            writes.append(
                data.to_parquet(
                    str(tmp), write_index=False, compute=False, name_function=_part_name
                )
            )
        counted = dask.compute(writes, counted)[1]
        for tmp, path in temporary:
            if path.exists():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
            tmp.rename(path)
    finally:
        for tmp, _ in temporary:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    if counted is not None:
        return {label: int(counted.get(label, 0)) for label in sorted(plan.counts)}
    return {label: n + plan.added.get(label, 0) for label, n in sorted(plan.counts.items())}

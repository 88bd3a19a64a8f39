"""SMOTE-family oversampling of dask collections, with the same output for any partitioning.

``fit_resample(sampler, X, y)`` takes a dask DataFrame or Array and returns lazy collections: the
input partitions unchanged, followed by partitions of synthetic rows. See ``docs/dask.md``.

Importing this package does not import dask; the first call does (``pip install
'smotekit[dask]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smotekit._registry import specs

__all__ = ["SUPPORTED", "fit_resample", "resample_parquet"]


def supported() -> tuple[str, ...]:
    """Samplers the Dask path runs (smotekit's classes or imbalanced-learn's): those the
    sampler registry marks ``blockwise`` (read at each call: a registered sampler joins)."""
    return tuple(spec.name for spec in specs() if spec.blockwise)


if TYPE_CHECKING:
    from smotekit.dask._parquet import resample_parquet
    from smotekit.dask._resample import fit_resample

    #: The samplers the Dask path runs: the registry's ``blockwise`` ones, read at each access.
    SUPPORTED: tuple[str, ...]


def __getattr__(name: str) -> Any:
    if name == "SUPPORTED":
        return supported()
    if name == "fit_resample":
        from smotekit.dask._resample import fit_resample

        return fit_resample
    if name == "resample_parquet":
        from smotekit.dask._parquet import resample_parquet

        return resample_parquet
    raise AttributeError(f"module 'smotekit.dask' has no attribute {name!r}")

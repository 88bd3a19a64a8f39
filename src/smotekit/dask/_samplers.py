"""What each supported sampler contributes on Dask: its parameters and its selection rule.

The Dask path runs the same rules as the in-memory samplers, split so that each piece works on
one block:

* SMOTE: every row of the class is a base; partners are its ``k_neighbors`` nearest rows of the
  class; gaps ~ U(0, 1).
* BorderlineSMOTE: only rows "in danger" are bases, i.e. rows with ``m/2 <= n_other < m`` rows
  of other classes among their ``m_neighbors`` nearest rows of the whole data (found blockwise
  against every input partition). ``kind="borderline-1"``: partners as in SMOTE;
  ``"borderline-2"``: partners among the ``k_neighbors`` nearest rows of the whole data, a move
  towards another class shortened by a factor ~ U(0, 0.5).
* SMOTENC: the class is encoded as continuous features plus one-hot categories scaled by the
  median standard deviation of the class's continuous features over sqrt(2) (imbalanced-learn's
  encoding); continuous features are interpolated, each categorical feature takes the most
  common value among the base's ``k_neighbors`` neighbours, ties broken at random.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._registry import specs
from smotekit._validation import check_finite
from smotekit.over_sampling._base import make_neighbors_estimator, neighbors_count

__all__ = ["Rule", "rule_for"]


@dataclass
class Rule:
    """One sampler's parameters, read once at the start of a Dask resample."""

    name: str
    k: int
    estimator: Any
    m_neighbors: int | None = None
    m_estimator: Any = None
    categorical: NDArray[np.intp] | None = None
    whole_data: bool = False  # partners among all rows (Borderline-2), not the class's
    integer_rounding: str = "nearest"  # the sampler's (imbalanced-learn's classes have none)

    @property
    def all_partners(self) -> bool:
        """SMOTE-NC votes among all ``k`` neighbours, so every graph column is gathered."""
        return self.categorical is not None


def _family(sampler: Any) -> str | None:
    """The first imbalanced-learn class in the sampler's bases (SMOTEN is not SMOTE)."""
    for cls in type(sampler).__mro__:
        if cls.__module__.startswith("imblearn."):
            return cls.__name__
    return None


def _k(sampler: Any, param: str, value: Any) -> tuple[int, Any]:
    k = neighbors_count(value)
    if k is None:
        raise ValueError(
            f"{param}={value!r}: the Dask path needs the number of neighbours; pass an int or "
            "an estimator with an n_neighbors attribute."
        )
    return k, make_neighbors_estimator(value)


def rule_for(sampler: Any, columns: list[Any]) -> Rule:
    """Read ``sampler``'s parameters, or say which samplers the Dask path supports."""
    family = _family(sampler)
    supported = [spec.name for spec in specs() if spec.blockwise]
    if family not in supported:
        raise TypeError(
            f"smotekit.dask.fit_resample does not support {type(sampler).__name__}: supported "
            f"samplers are {', '.join(supported)} (smotekit's or imbalanced-learn's). Resample "
            "in memory for the others."
        )
    if hasattr(sampler, "_validate_params"):
        sampler._validate_params()
    k, estimator = _k(sampler, "k_neighbors", sampler.k_neighbors)
    rounding = str(getattr(sampler, "integer_rounding", "nearest"))
    if family == "BorderlineSMOTE":
        m, m_estimator = _k(sampler, "m_neighbors", sampler.m_neighbors)
        whole_data = sampler.kind == "borderline-2"
        return Rule(
            family, k, estimator, m, m_estimator, whole_data=whole_data, integer_rounding=rounding
        )
    if family == "SMOTENC":
        categorical = _categorical_positions(sampler, columns)
        return Rule(family, k, estimator, categorical=categorical, integer_rounding=rounding)
    return Rule(family, k, estimator, integer_rounding=rounding)


def _categorical_positions(sampler: Any, columns: list[Any]) -> NDArray[np.intp]:
    spec = sampler.categorical_features
    n = len(columns)
    if isinstance(spec, str):
        raise ValueError(
            f"SMOTENC(categorical_features={spec!r}) is not available on Dask: list the "
            "categorical columns by position or name."
        )
    values = list(np.atleast_1d(np.asarray(spec)))
    if values and isinstance(values[0], (bool, np.bool_)):
        if len(values) != n:
            raise ValueError(
                f"categorical_features is a mask of {len(values)} entries but X has {n} columns."
            )
        positions = [i for i, flag in enumerate(values) if flag]
    else:
        positions = []
        for value in values:
            if isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, bool):
                pos = int(value) + n if int(value) < 0 else int(value)
                if not 0 <= pos < n:
                    raise ValueError(
                        f"categorical_features has column {int(value)}, but X has {n} columns."
                    )
            elif value in columns:
                pos = columns.index(value)
            else:
                raise ValueError(
                    f"categorical_features names {value!r}, which is not a column of X "
                    f"({columns[:10]})."
                )
            positions.append(pos)
    if not positions or len(positions) == n:
        raise ValueError(
            "SMOTENC needs both categorical and continuous features; "
            f"categorical_features selects {len(positions)} of {n} columns."
        )
    return np.array(sorted(set(positions)), dtype=np.intp)


# -- SMOTE-NC: encoding, vote, decoding (plain functions, shipped to the workers) ------------


def nc_summary(raw: Any, categorical: NDArray[np.intp]) -> tuple[Any, ...]:
    """Sufficient statistics of some class rows: count, sums, sums of squares, categories."""
    cont = np.setdiff1d(np.arange(raw.shape[1]), categorical)
    values = _columns(raw, cont).astype(np.float64)
    cats = [np.unique(_column(raw, j)) for j in categorical]
    return values.shape[0], values.sum(axis=0), np.square(values).sum(axis=0), cats


def nc_combine(summaries: list[tuple[Any, ...]]) -> tuple[float, list[NDArray[Any]]]:
    """The class's encoding: one-hot value (median std / sqrt(2)) and the sorted categories."""
    n = sum(s[0] for s in summaries)
    total = np.sum([s[1] for s in summaries], axis=0)
    squares = np.sum([s[2] for s in summaries], axis=0)
    mean = total / n
    var = np.maximum(squares / n - np.square(mean), 0.0)
    scale = float(np.median(np.sqrt(var))) / np.sqrt(2)
    n_cat = len(summaries[0][3])
    cats = [np.unique(np.concatenate([s[3][j] for s in summaries])) for j in range(n_cat)]
    return scale, cats


def nc_encode(
    raw: Any, categorical: NDArray[np.intp], encoding: tuple[float, list[NDArray[Any]]]
) -> NDArray[np.float64]:
    """Rows as ``[continuous | one-hot * scale | category codes]`` (the codes are not searched)."""
    scale, cats = encoding
    cont = np.setdiff1d(np.arange(raw.shape[1]), categorical)
    codes = np.column_stack(
        [np.searchsorted(c, _column(raw, j)) for c, j in zip(cats, categorical, strict=True)]
    )
    onehot = np.zeros((codes.shape[0], sum(c.size for c in cats)))
    starts = np.cumsum([0] + [c.size for c in cats[:-1]])
    onehot[np.arange(codes.shape[0])[:, np.newaxis], starts + codes] = scale
    continuous = _columns(raw, cont).astype(np.float64)
    check_finite(continuous, "a row block of X's continuous features")
    return np.hstack([continuous, onehot, codes.astype(np.float64)])


def nc_search_width(n_features: int, encoding: tuple[float, list[NDArray[Any]]]) -> int:
    """Columns of the encoding that enter distances (the codes at the end do not)."""
    n_cat = len(encoding[1])
    return n_features - n_cat + sum(c.size for c in encoding[1])


def nc_finish(
    base_X: NDArray[np.float64],
    partners_X: NDArray[np.float64],
    draws: Any,
    block: NDArray[np.float64],
    rng: np.random.RandomState,
    n_cat: int,
) -> NDArray[np.float64]:
    """Vote each categorical feature among the ``k`` neighbours (imbalanced-learn's tie rule)."""
    n, k = partners_X.shape[:2]
    codes = partners_X[:, :, -n_cat:].astype(np.intp)
    for f in range(n_cat):
        counts = np.zeros((n, int(codes[:, :, f].max()) + 1))
        np.add.at(counts, (np.repeat(np.arange(n), k), codes[:, :, f].ravel()), 1.0)
        is_max = counts == counts.max(axis=1, keepdims=True)
        # A random permutation of the tied (row, category) pairs; the first per row wins.
        candidates = rng.permutation(np.argwhere(is_max))
        rows, first = np.unique(candidates[:, 0], return_index=True)
        block[rows, block.shape[1] - n_cat + f] = candidates[first, 1]
    return block


def nc_decode(
    block: NDArray[np.float64],
    categorical: NDArray[np.intp],
    encoding: tuple[float, list[NDArray[Any]]],
    n_features: int,
) -> list[NDArray[Any]]:
    """Synthetic rows as one array per original column, in the original column order."""
    cats = encoding[1]
    cont = np.setdiff1d(np.arange(n_features), categorical)
    out: list[NDArray[Any]] = [np.empty(0)] * n_features
    for i, j in enumerate(cont):
        out[j] = block[:, i]
    codes = block[:, block.shape[1] - len(cats) :].astype(np.intp)
    for f, j in enumerate(categorical):
        out[j] = cats[f][codes[:, f]]
    return out


def _column(raw: Any, j: int) -> NDArray[Any]:
    return raw.iloc[:, j].to_numpy() if hasattr(raw, "iloc") else np.asarray(raw)[:, j]


def _columns(raw: Any, cols: NDArray[np.intp]) -> NDArray[Any]:
    if hasattr(raw, "iloc"):
        return raw.iloc[:, cols].to_numpy()
    return np.asarray(raw)[:, cols]

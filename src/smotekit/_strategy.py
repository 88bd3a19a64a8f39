"""imbalanced-learn's over-sampling targets, computed from class counts alone.

imbalanced-learn derives ``sampling_strategy_`` from the full target array; an executor that
streams partitions (Dask, files) has only the class counts (one pass over ``y``), which is all
its rules use. The rules below are imbalanced-learn's over-sampling rules restated on counts;
the test suite checks them against ``imblearn.utils.check_sampling_strategy`` for every kind of
strategy.
"""

from __future__ import annotations

import numbers
from collections import OrderedDict
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["cleaned_from_counts", "labels_from_text", "strategy_from_counts"]

# A callable strategy receives a target rebuilt from the counts; above this many rows that
# array would be too large to build on the client.
MAX_ROWS_FOR_CALLABLE = 50_000_000


def strategy_from_counts(sampling_strategy: Any, counts: dict[Any, int]) -> OrderedDict[Any, int]:
    """Synthetic rows per class, in sorted label order, as imbalanced-learn would ask for.

    Classes tie (two majorities, two minorities) in sorted label order, as in imbalanced-learn,
    whatever the order of ``counts``.

    Examples
    --------
    >>> dict(strategy_from_counts("auto", {0: 90, 1: 10, 2: 30}))
    {1: 80, 2: 60}
    >>> dict(strategy_from_counts("minority", {2: 10, 0: 90, 1: 10}))
    {1: 80}
    """
    counts = dict(sorted(counts.items()))
    if len(counts) < 2:
        raise ValueError(
            f"y has a single class ({next(iter(counts), None)!r}): there is nothing to balance. "
            "Oversampling needs at least 2 classes; check the target column."
        )
    majority = max(counts, key=counts.__getitem__)
    minority = min(counts, key=counts.__getitem__)
    n_max = counts[majority]
    if isinstance(sampling_strategy, str):
        chosen = {
            "auto": [c for c in counts if c != majority],
            "not majority": [c for c in counts if c != majority],
            "all": list(counts),
            "minority": [minority],
            "not minority": [c for c in counts if c != minority],
        }.get(sampling_strategy)
        if chosen is None:
            raise ValueError(
                f"sampling_strategy={sampling_strategy!r} is not an over-sampling target: use "
                "'auto', 'minority', 'not minority', 'not majority', 'all', a float or a dict."
            )
        target = {c: n_max - counts[c] for c in chosen}
    elif isinstance(sampling_strategy, dict):
        target = _from_dict(sampling_strategy, counts)
    elif isinstance(sampling_strategy, numbers.Real) and not isinstance(sampling_strategy, bool):
        ratio = float(sampling_strategy)
        if len(counts) != 2:
            raise ValueError(
                f"sampling_strategy={sampling_strategy} (a float) needs a binary target; y has "
                f"{len(counts)} classes: use a dict."
            )
        if not 0 < ratio <= 1:
            raise ValueError(f"sampling_strategy={sampling_strategy} must be in (0, 1].")
        target = {c: int(n_max * ratio - counts[c]) for c in counts if c != majority}
        if any(n <= 0 for n in target.values()):
            raise ValueError(
                f"sampling_strategy={sampling_strategy} asks for fewer minority rows than there "
                "are; increase it."
            )
    elif callable(sampling_strategy):
        y = _target_of(counts, "a dict {class: final count}")
        target = _from_dict(sampling_strategy(y), counts)
    else:
        raise ValueError(
            f"sampling_strategy={sampling_strategy!r}: use a str, a float, a dict or a callable."
        )
    return OrderedDict(sorted(target.items()))


def cleaned_from_counts(sampling_strategy: Any, counts: dict[Any, int]) -> list[Any]:
    """The classes a cleaning sampler cleans, in sorted label order, as imbalanced-learn says.

    imbalanced-learn's ``"clean-sampling"`` targets restated on counts: ``"auto"`` and
    ``"not minority"`` are every class but the minority, ``"majority"`` the majority only,
    ``"not majority"`` every class but the majority, ``"all"`` every class, a list its classes.
    Ties go to the smallest label, as there.

    Examples
    --------
    >>> cleaned_from_counts("all", {1: 5, 0: 5})
    [0, 1]
    >>> cleaned_from_counts("auto", {0: 90, 1: 10, 2: 10})
    [0, 2]
    """
    counts = dict(sorted(counts.items()))
    majority = max(counts, key=counts.__getitem__)
    minority = min(counts, key=counts.__getitem__)
    if isinstance(sampling_strategy, str):
        chosen = {
            "auto": [c for c in counts if c != minority],
            "not minority": [c for c in counts if c != minority],
            "majority": [majority],
            "not majority": [c for c in counts if c != majority],
            "all": list(counts),
        }.get(sampling_strategy)
        if chosen is None:
            raise ValueError(
                f"sampling_strategy={sampling_strategy!r} is not a cleaning target: use 'auto', "
                "'majority', 'not minority', 'not majority', 'all' or a list of classes."
            )
        return chosen
    if callable(sampling_strategy):
        sampling_strategy = list(sampling_strategy(_target_of(counts, "the classes as a list")))
    if isinstance(sampling_strategy, (list, tuple, set, np.ndarray)):
        unknown = [c for c in sampling_strategy if c not in counts]
        if unknown:
            raise ValueError(
                f"sampling_strategy names classes not present in y: {sorted(unknown)}."
            )
        return [c for c in counts if c in set(sampling_strategy)]
    raise ValueError(
        f"sampling_strategy={sampling_strategy!r}: a cleaner takes a str, a list of classes or "
        "a callable."
    )


def _target_of(counts: dict[Any, int], instead: str) -> NDArray[Any]:
    """The target a callable strategy receives, rebuilt from the counts (sorted labels)."""
    total = sum(counts.values())
    if total > MAX_ROWS_FOR_CALLABLE:
        raise ValueError(
            f"A callable sampling_strategy needs the whole target ({total} rows) on the "
            f"client; pass {instead} instead."
        )
    labels = list(counts)
    return np.repeat(np.array(labels), [counts[c] for c in labels])


def _from_dict(wanted: dict[Any, int], counts: dict[Any, int]) -> dict[Any, int]:
    unknown = set(wanted) - set(counts)
    if unknown:
        raise ValueError(f"sampling_strategy names classes not present in y: {sorted(unknown)}.")
    target = {}
    for label, n in wanted.items():
        if n < counts[label]:
            raise ValueError(
                f"sampling_strategy asks for {n} rows of class {label!r}, which has "
                f"{counts[label]}: over-sampling cannot remove rows."
            )
        target[label] = n - counts[label]
    return target


def labels_from_text(strategy: Any, labels: Any) -> Any:
    """A ``{class text: count}`` strategy (the command line's ``CLASS=COUNT``) keyed by the labels.

    Each key is matched to the label whose ``str`` it is; other strategies come back unchanged.

    Examples
    --------
    >>> labels_from_text({"1": 50}, [0, 1])
    {1: 50}
    >>> labels_from_text({"7": 50}, [0, 1])
    Traceback (most recent call last):
    ...
    ValueError: no class '7' in the target; its classes are 0, 1
    """
    if not isinstance(strategy, dict):
        return strategy
    ordered = sorted(labels)
    by_text = {str(label): label for label in ordered}
    unknown = [key for key in strategy if key not in by_text]
    if unknown:
        raise ValueError(
            f"no class {unknown[0]!r} in the target; its classes are {', '.join(map(str, ordered))}"
        )
    return {by_text[key]: value for key, value in strategy.items()}

"""The one way an executor gets a cleaner's engine rule: :func:`cleaning_rule_for`."""

from __future__ import annotations

from typing import Any

from smotekit.engine._cleaning import CleaningRule
from smotekit.under_sampling._edited import EditedNearestNeighbours
from smotekit.under_sampling._tomek import TomekLinks

__all__ = ["cleaning_rule_for"]

_SMOTEKIT = {cls.__name__: cls for cls in (EditedNearestNeighbours, TomekLinks)}


def cleaning_rule_for(cleaner: Any) -> CleaningRule:
    """The rule of ``cleaner`` (smotekit's or imbalanced-learn's), with its parameters.

    Examples
    --------
    >>> from imblearn.under_sampling import TomekLinks
    >>> cleaning_rule_for(TomekLinks(sampling_strategy="majority")).sampling_strategy
    'majority'
    """
    own = getattr(cleaner, "_rule", None)
    if callable(own):
        rule: CleaningRule = own()
        return rule
    # imbalanced-learn's own classes: smotekit's drop-in of the same name has the same rule.
    family = next(
        (c.__name__ for c in type(cleaner).__mro__ if c.__module__.startswith("imblearn.")), None
    )
    if family in _SMOTEKIT:
        return cleaning_rule_for(_SMOTEKIT[family](**cleaner.get_params(deep=False)))
    raise TypeError(
        f"no engine rule for the cleaner {type(cleaner).__name__}: use EditedNearestNeighbours "
        "or TomekLinks."
    )

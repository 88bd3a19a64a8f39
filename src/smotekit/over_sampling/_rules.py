"""The one way an executor gets a sampler's engine rule: :func:`rule_for`.

Each rule lives in its sampler's module (``SMOTERule`` in ``_smote``, ...) and a smotekit
sampler returns it from ``_rule()``; imbalanced-learn's own classes are mapped here to the
same rules, built from their parameters.
"""

from __future__ import annotations

from typing import Any

from smotekit.engine import SamplerRule
from smotekit.over_sampling._adasyn import ADASYNRule
from smotekit.over_sampling._borderline import BorderlineRule
from smotekit.over_sampling._smote import SMOTERule
from smotekit.over_sampling._smotenc import SMOTENCRule, index_columns

__all__ = ["rule_for"]


def rule_for(sampler: Any) -> SamplerRule:
    """The rule of ``sampler``, with its parameters (read, not fitted)."""
    own = getattr(sampler, "_rule", None)
    rule = own() if callable(own) else None
    if rule is not None:
        return rule
    # The first imbalanced-learn class among the bases names the family (SMOTENC is no SMOTE).
    family = next(
        (c.__name__ for c in type(sampler).__mro__ if c.__module__.startswith("imblearn.")), None
    )
    if family == "BorderlineSMOTE":
        return BorderlineRule(sampler.k_neighbors, sampler.m_neighbors, sampler.kind)
    if family == "SMOTE":
        return SMOTERule(sampler.k_neighbors)
    if family == "ADASYN":
        return ADASYNRule(sampler.n_neighbors)
    if family == "SMOTENC":
        # imbalanced-learn truncates the one-hot value of integer data
        columns = index_columns(sampler.categorical_features)
        return SMOTENCRule(sampler.k_neighbors, columns, truncate=True)
    raise TypeError(f"no engine rule for {type(sampler).__name__} yet")

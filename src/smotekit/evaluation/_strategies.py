"""What is compared: ways of handling imbalance, and the classifiers they are handled for.

A strategy turns a classifier into the estimator fitted on one training fold. Every step that
learns from data (scaling, resampling, choosing a threshold) sits *inside* that estimator, so it
sees the training fold only: resampling happens in an ``imblearn.pipeline.Pipeline`` (samplers
act during ``fit`` and pass test rows through untouched) and the threshold is tuned by
cross-validation within the training fold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smotekit._registry import SamplerSpec, specs

__all__ = [
    "CLASSIFIERS",
    "SAMPLERS",
    "STRATEGIES",
    "Strategy",
    "available_strategies",
    "build_estimator",
    "make_classifier",
]

#: Classifier key -> description; :func:`make_classifier` builds each.
CLASSIFIERS = {
    "logreg": "logistic regression (features standardised)",
    "knn": "5-nearest neighbours (features standardised)",
    "tree": "decision tree",
    "hgb": "histogram gradient boosting",
}

#: Strategy key -> smotekit public name, for the oversamplers of the SMOTE family (from the
#: sampler registry). They are resolved when a comparison starts, so that every member smotekit
#: has is included.
SAMPLERS = {spec.evaluate: spec.name for spec in specs() if spec.evaluate is not None}


@dataclass(frozen=True)
class Strategy:
    """One way of handling imbalance.

    Parameters
    ----------
    key : str
        Short name used in tables and on the command line.
    kind : {"none", "class_weight", "threshold", "sampler"}
        What the strategy changes: nothing, the loss weights, the decision threshold or the
        training rows.
    description : str
        One line for reports.
    make_sampler : callable or None
        ``(random_state, categorical_indices) -> sampler`` for the ``"sampler"`` kind.
    """

    key: str
    kind: str
    description: str
    make_sampler: Callable[[int, list[int]], Any] | None = None


def _random_over(random_state: int, categorical: list[int]) -> Any:
    from imblearn.over_sampling import RandomOverSampler

    return RandomOverSampler(random_state=random_state)


def _family_factory(spec: SamplerSpec) -> Callable[[int, list[int]], Any]:
    def make(random_state: int, categorical: list[int]) -> Any:
        cls = spec.resolve()
        if spec.features == "mixed":
            return cls(categorical_features=categorical, random_state=random_state)
        return cls(random_state=random_state)

    return make


_BASE = [
    Strategy("none", "none", "no resampling, default threshold"),
    Strategy("class_weight", "class_weight", 'class_weight="balanced" (classifiers that take it)'),
    Strategy(
        "threshold",
        "threshold",
        "no resampling; threshold maximising balanced accuracy, chosen by 3-fold "
        "cross-validation inside the training fold",
    ),
    Strategy(
        "random_over", "sampler", "random oversampling (imblearn RandomOverSampler)", _random_over
    ),
]


def _family_available(spec: SamplerSpec) -> bool:
    try:
        spec.resolve()
    except Exception:  # not importable here (an optional dependency is missing)
        return False
    return True


def available_strategies(n_categorical: int = 0, n_features: int | None = None) -> list[Strategy]:
    """Every strategy that applies to data with ``n_categorical`` categorical features.

    Family members are those smotekit exports when this is called; SMOTE-NC needs some
    categorical features, SMOTE-N needs all features categorical.

    Examples
    --------
    >>> keys = [s.key for s in available_strategies()]
    >>> keys[:5]
    ['none', 'class_weight', 'threshold', 'random_over', 'smote']
    """
    out = list(_BASE)
    for spec in specs():
        if spec.evaluate is None:
            continue
        if spec.features == "mixed" and not (0 < n_categorical and n_categorical != n_features):
            continue
        if spec.features == "categorical" and not (0 < n_categorical == n_features):
            continue
        if _family_available(spec):
            description = f"{spec.name} (smotekit)"
            out.append(Strategy(spec.evaluate, "sampler", description, _family_factory(spec)))
    return out


#: Every strategy key, in the order of the reports: the baselines, then the family.
STRATEGIES = [s.key for s in _BASE] + list(SAMPLERS)


def make_classifier(key: str, random_state: int = 0) -> Any:
    """An unfitted classifier for a key of :data:`CLASSIFIERS`.

    Examples
    --------
    >>> make_classifier("tree", random_state=1)
    DecisionTreeClassifier(random_state=1)
    """
    if key == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=1000)
    if key == "knn":
        from sklearn.neighbors import KNeighborsClassifier

        return KNeighborsClassifier(n_neighbors=5)
    if key == "tree":
        from sklearn.tree import DecisionTreeClassifier

        return DecisionTreeClassifier(random_state=random_state)
    if key == "hgb":
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(random_state=random_state)
    raise ValueError(f"classifier={key!r} is unknown; choose from {', '.join(CLASSIFIERS)}.")


def _preprocess(scale: bool, n_numeric: int, n_features: int) -> Any:
    """Standardise the numeric columns (first ``n_numeric``), keep categorical codes as they are."""
    if not scale or n_numeric == 0:
        return None
    from sklearn.preprocessing import StandardScaler

    if n_numeric == n_features:
        return StandardScaler()
    from sklearn.compose import ColumnTransformer

    # remainder columns come after the transformed ones, so the column order is unchanged
    return ColumnTransformer(
        [("num", StandardScaler(), list(range(n_numeric)))], remainder="passthrough"
    )


def _encode(n_numeric: int, n_features: int) -> Any:
    """One-hot encode categorical codes after resampling; interpolated codes match no category."""
    if n_numeric == n_features:
        return None
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder

    return ColumnTransformer(
        [("cat", OneHotEncoder(handle_unknown="ignore"), list(range(n_numeric, n_features)))],
        remainder="passthrough",
        sparse_threshold=0.0,
    )


def build_estimator(
    strategy: Strategy,
    classifier: Any,
    *,
    random_state: int = 0,
    scale: bool = True,
    n_numeric: int | None = None,
    n_features: int | None = None,
) -> Any | None:
    """The estimator that ``strategy`` fits on a training fold, or None where it does not apply.

    Columns are expected numeric first, then categorical codes (``n_numeric`` of ``n_features``).
    Returns None for ``class_weight`` with a classifier that has no ``class_weight`` parameter.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> smote = next(s for s in available_strategies() if s.key == "smote")
    >>> build_estimator(smote, DecisionTreeClassifier(), n_numeric=2, n_features=2).steps[1][0]
    'sample'
    """
    from imblearn.pipeline import Pipeline
    from sklearn.base import clone

    n_features = n_features if n_features is not None else 0
    n_numeric = n_numeric if n_numeric is not None else n_features
    model = clone(classifier)
    steps: list[tuple[str, Any]] = []
    pre = _preprocess(scale, n_numeric, n_features)
    if pre is not None:
        steps.append(("scale", pre))
    if strategy.kind == "sampler":
        assert strategy.make_sampler is not None
        categorical = list(range(n_numeric, n_features))
        steps.append(("sample", strategy.make_sampler(random_state, categorical)))
    encode = _encode(n_numeric, n_features)
    if encode is not None:
        steps.append(("encode", encode))
    if strategy.kind == "class_weight":
        if "class_weight" not in model.get_params():
            return None
        model.set_params(class_weight="balanced")
    steps.append(("model", model))
    pipe = Pipeline(steps)
    if strategy.kind == "threshold":
        from smotekit.evaluation._threshold import ThresholdMovingClassifier

        return ThresholdMovingClassifier(pipe, cv=3, random_state=random_state)
    return pipe

"""Short method names of the command line -> smotekit sampler classes, resolved on first use."""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any

from smotekit.cli._errors import UsageError

__all__ = [
    "METHODS",
    "Method",
    "build_sampler",
    "choose_method",
    "explain_too_small",
    "get_method",
]


@dataclass(frozen=True)
class Method:
    """How one short name maps to a sampler.

    ``class_local`` marks samplers whose synthetic rows for a class depend only on that class's
    rows: for them the command line holds only the classes being grown in memory and streams the
    rest. ``features`` says which columns the sampler takes: ``"numeric"``, ``"mixed"`` (SMOTE-NC)
    or ``"categorical"`` (SMOTE-N).
    """

    name: str
    class_name: str
    summary: str
    params: dict[str, Any] = field(default_factory=dict)
    class_local: bool = False
    features: str = "numeric"

    def resolve(self) -> type:
        """The sampler class, imported now; a clear usage error where it is missing."""
        import smotekit

        try:
            return getattr(smotekit, self.class_name)  # type: ignore[no-any-return]
        except (AttributeError, ImportError) as exc:
            raise UsageError(
                f"--method {self.name}: {self.class_name} is not available in this smotekit "
                f"installation ({exc}); choose another of: {', '.join(METHODS)}"
            ) from exc


METHODS: dict[str, Method] = {
    m.name: m
    for m in [
        Method("smote", "SMOTE", "SMOTE (Chawla et al., 2002)", class_local=True),
        Method(
            "borderline1",
            "BorderlineSMOTE",
            "Borderline-SMOTE 1: grow near the class border",
            {"kind": "borderline-1"},
        ),
        Method(
            "borderline2",
            "BorderlineSMOTE",
            "Borderline-SMOTE 2: border, towards any class",
            {"kind": "borderline-2"},
        ),
        Method("svm", "SVMSMOTE", "SVM-SMOTE: grow from support vectors"),
        Method("adasyn", "ADASYN", "ADASYN: more samples where the class is harder"),
        Method("kmeans", "KMeansSMOTE", "K-Means SMOTE: grow inside sparse clusters"),
        Method("smotenc", "SMOTENC", "SMOTE-NC: numeric and categorical columns", features="mixed"),
        Method("smoten", "SMOTEN", "SMOTE-N: categorical columns only", features="categorical"),
        Method("polynom-fit", "PolynomFitSMOTE", "polynom-fit-SMOTE"),
        Method("prowsyn", "ProWSyn", "ProWSyn: proximity-weighted synthesis"),
    ]
}


def get_method(name: str) -> Method:
    """The method called ``name`` (case-insensitive; ``_`` and ``-`` alike)."""
    key = name.lower().replace("_", "-")
    aliases = {"borderline": "borderline1", "svmsmote": "svm", "polynomfit": "polynom-fit"}
    key = aliases.get(key, key)
    if key not in METHODS:
        raise UsageError(f"--method: unknown method '{name}'; choose one of: {', '.join(METHODS)}")
    return METHODS[key]


def choose_method(name: str | None, categorical: list[str], n_features: int) -> Method:
    """The method to run: the one asked for, or the one the column types call for."""
    if name is None:
        if not categorical:
            return METHODS["smote"]
        return METHODS["smoten" if len(categorical) == n_features else "smotenc"]
    method = get_method(name)
    if method.features == "numeric" and categorical:
        shown = ", ".join(f"'{c}'" for c in categorical[:5])
        raise UsageError(
            f"--method {method.name} needs numeric features, but {shown} "
            f"{'is' if len(categorical) == 1 else 'are'} categorical: use --method smotenc "
            "(or smoten when all are), or encode them first"
        )
    if method.features == "mixed" and not categorical:
        raise UsageError(
            "--method smotenc needs categorical columns: name them with --categorical COL,COL"
        )
    if method.features == "mixed" and len(categorical) == n_features:
        raise UsageError(
            "--method smotenc needs at least one numeric feature, but every feature is "
            "categorical: use --method smoten"
        )
    return method


def neighbors_param(cls: type) -> tuple[str, Any] | None:
    """The sampler's neighbour-count parameter and its default, if it has one."""
    parameters = inspect.signature(cls).parameters
    for candidate in ("k_neighbors", "n_neighbors"):
        if candidate in parameters:
            return candidate, parameters[candidate].default
    return None


def explain_too_small(error: Any, method: Method, where: str) -> str:
    """A :class:`~smotekit.exceptions.ClassTooSmallError` in the command line's words.

    ``where`` names what was read (``"'in.csv' column 'y'"``). The parameter ``--k-neighbors``
    sets is called by that option; the others are the method's own.
    """
    from smotekit._validation import shown

    n, needed = error.n_rows, error.needed
    rows = f"{n} row{'s' if n != 1 else ''}"
    found = neighbors_param(method.resolve())
    if error.label is None:
        head, more = f"{where}: the file has {rows}", "give more rows"
    else:
        head = f"{where}: class {shown(error.label)!r} has {rows}"
        more = "collect more rows of it or leave it out with --sampling-strategy"
    if error.param is None:
        return f"{head}, but --method {method.name} needs at least {needed}: {more}"
    k = needed - 1
    if found is not None and error.param == found[0]:
        fix = f"pass --k-neighbors {n - 1} or less" if n >= 2 else more
        return (
            f"{head}, but --k-neighbors {k} needs at least {needed} (each row and {k} "
            f"neighbours): {fix}"
        )
    return (
        f"{head}, but --method {method.name} searches {error.param}={k} neighbours of each row "
        f"(not an option here) and needs at least {needed}: {more}"
    )


def build_sampler(
    method: Method,
    *,
    sampling_strategy: Any,
    random_state: int | None,
    k: int | None,
    approximate: bool,
    categorical: list[str] | None = None,
) -> Any:
    """An unfitted sampler for the command's options."""
    cls = method.resolve()
    params: dict[str, Any] = dict(method.params)
    params["sampling_strategy"] = sampling_strategy
    params["random_state"] = random_state
    if method.features == "mixed":
        params["categorical_features"] = categorical
    found = neighbors_param(cls)
    if found is None:
        if k is not None or approximate:
            option = "--k-neighbors" if k is not None else "--approximate"
            raise UsageError(f"{option}: --method {method.name} has no neighbour count to set")
        return cls(**params)
    k_param, default = found
    k_value = k if k is not None else default
    if approximate:
        neighbors = importlib.import_module("smotekit.neighbors")
        approx = getattr(neighbors, "ApproximateNeighbors", None)
        if approx is None:
            raise UsageError(
                "--approximate: approximate neighbours are not available in this smotekit "
                "installation; run without --approximate"
            )
        extra = {}
        if "random_state" in inspect.signature(approx).parameters:
            extra["random_state"] = random_state  # the same seed gives the same index and file
        params[k_param] = approx(n_neighbors=int(k_value) + 1, **extra)
    elif k is not None:
        params[k_param] = k
    return cls(**params)

"""The command line's ``--method`` names, read from the sampler registry at each call.

Nothing here is specific to a sampler: the names, their fixed parameters and the columns each
takes come from :mod:`smotekit._registry`, and the neighbour parameter ``--k-neighbors`` sets
from the sampler's own declaration (``_neighbor_params``).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smotekit._registry import SamplerSpec, specs
from smotekit.cli._errors import UsageError

__all__ = [
    "Method",
    "build_sampler",
    "choose_method",
    "default_method",
    "explain_too_small",
    "feature_kind",
    "get_method",
    "methods",
    "neighbor_param",
]


@dataclass(frozen=True)
class Method:
    """How one ``--method`` name maps to a sampler (a :class:`~smotekit._registry.SamplerSpec`).

    ``params`` are set on the sampler for this name.
    """

    name: str
    summary: str
    params: Mapping[str, Any]
    spec: SamplerSpec

    @property
    def features(self) -> str:
        """The columns the sampler takes: ``"numeric"``, ``"mixed"`` or ``"categorical"``."""
        return self.spec.features

    def resolve(self) -> type:
        """The sampler class, imported now; a clear usage error where it is missing."""
        try:
            return self.spec.resolve()  # type: ignore[no-any-return]
        except (AttributeError, ImportError) as exc:
            raise UsageError(
                f"--method {self.name}: {self.spec.name} is not available in this smotekit "
                f"installation ({exc}); choose another of: {', '.join(methods())}"
            ) from exc


def methods() -> dict[str, Method]:
    """Every ``--method`` name, in the registry's order."""
    return {
        m.name: Method(m.name, m.summary, m.params, spec) for spec in specs() for m in spec.methods
    }


def get_method(name: str) -> Method:
    """The method called ``name`` (case-insensitive; ``_`` and ``-`` alike) or an alias of it."""
    key = name.lower().replace("_", "-")
    known = methods()
    aliases = {a: m.name for spec in specs() for m in spec.methods for a in m.aliases}
    key = aliases.get(key, key)
    if key not in known:
        raise UsageError(f"--method: unknown method '{name}'; choose one of: {', '.join(known)}")
    return known[key]


def default_method(features: str) -> Method:
    """The first method, in the registry's order, that takes ``features`` columns."""
    return next(m for m in methods().values() if m.features == features)


def feature_kind(n_categorical: int, n_features: int) -> str:
    """``"numeric"``, ``"mixed"`` or ``"categorical"``: the columns a sampler must take.

    Examples
    --------
    >>> feature_kind(0, 3), feature_kind(1, 3), feature_kind(3, 3)
    ('numeric', 'mixed', 'categorical')
    """
    if not n_categorical:
        return "numeric"
    return "categorical" if n_categorical == n_features else "mixed"


def choose_method(name: str | None, categorical: list[str], n_features: int) -> Method:
    """The method to run: the one asked for, or the one the column types call for."""
    columns = feature_kind(len(categorical), n_features)
    mixed, only = default_method("mixed").name, default_method("categorical").name
    if name is None:
        return default_method(columns)
    method = get_method(name)
    if method.features == "numeric" and categorical:
        shown = ", ".join(f"'{c}'" for c in categorical[:5])
        raise UsageError(
            f"--method {method.name} needs numeric features, but {shown} "
            f"{'is' if len(categorical) == 1 else 'are'} categorical: use --method {mixed} "
            f"(or {only} when all are), or encode them first"
        )
    if method.features == "mixed" and not categorical:
        raise UsageError(
            f"--method {method.name} needs categorical columns: name them with --categorical "
            "COL,COL"
        )
    if method.features == "mixed" and columns == "categorical":
        raise UsageError(
            f"--method {method.name} needs at least one numeric feature, but every feature is "
            f"categorical: use --method {only}"
        )
    return method


def neighbor_param(cls: type) -> tuple[str, int, Any] | None:
    """The parameter ``--k-neighbors`` sets: its name, the neighbours its search adds for the
    row itself, and its default; ``None`` for a sampler without neighbours."""
    declared = getattr(cls, "_neighbor_params", ())
    if not declared:
        return None
    name, added = declared[0]
    return name, added, inspect.signature(cls).parameters[name].default


def explain_too_small(error: Any, method: Method, where: str) -> str:
    """A :class:`~smotekit.exceptions.ClassTooSmallError` in the command line's words.

    ``where`` names what was read (``"'in.csv' column 'y'"``). The parameter ``--k-neighbors``
    sets is called by that option; the others are the method's own.
    """
    from smotekit._validation import shown

    n, needed = error.n_rows, error.needed
    rows = f"{n} row{'s' if n != 1 else ''}"
    found = neighbor_param(method.resolve())
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
    categorical: list[str] | list[int] | None = None,
) -> Any:
    """An unfitted sampler for the command's options (``categorical``: names or positions)."""
    cls = method.resolve()
    params: dict[str, Any] = dict(method.params)
    params["sampling_strategy"] = sampling_strategy
    params["random_state"] = random_state
    if method.features == "mixed":
        params["categorical_features"] = categorical
    found = neighbor_param(cls)
    if found is None:
        if k is not None or approximate:
            option = "--k-neighbors" if k is not None else "--approximate"
            raise UsageError(f"{option}: --method {method.name} has no neighbour count to set")
        return cls(**params)
    k_param, added, default = found
    if approximate:
        from smotekit.neighbors import ApproximateNeighbors

        k_value = k if k is not None else default
        # the same seed gives the same index, so the same output file
        params[k_param] = ApproximateNeighbors(
            n_neighbors=int(k_value) + added, random_state=random_state
        )
    elif k is not None:
        params[k_param] = k
    return cls(**params)

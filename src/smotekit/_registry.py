"""The one list of smotekit's samplers, from which every other list is derived.

The package's lazy exports and ``__all__``, the command line's ``--method`` names, the
strategies ``smotekit evaluate`` compares and ``smotekit.dask.SUPPORTED`` are all read from
:data:`SAMPLERS`. A new built-in sampler is its module plus one :class:`SamplerSpec` here;
:func:`register` adds one at run time (a plugin, a test), and the command line, evaluation and
Dask see it at their next call.

Standard library only: ``import smotekit`` reads this module and must stay light.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = [
    "KINDS",
    "SAMPLERS",
    "MethodSpec",
    "SamplerSpec",
    "exported",
    "register",
    "specs",
    "unregister",
]

#: What a sampler does to the rows: adds (over-sampling), removes (under-sampling), both
#: (combine), or adds rows with a continuous target (regression).
KINDS = ("over-sampling", "under-sampling", "combine", "regression")
# The kinds the package exports at its top level (``smotekit.SMOTE``).
_TOP_LEVEL = ("over-sampling", "under-sampling", "combine")


@dataclass(frozen=True)
class MethodSpec:
    """One name of a sampler on the command line (``--method NAME``).

    ``params`` are set on the sampler for this name (``borderline1`` is
    ``BorderlineSMOTE(kind="borderline-1")``); ``aliases`` are other accepted spellings.
    """

    name: str
    summary: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SamplerSpec:
    """What the rest of smotekit needs to know about one sampler class.

    Parameters
    ----------
    name : str
        The class's name, as exported (``"SMOTE"``).
    module : str
        The module that defines or exports it.
    kind : str
        One of :data:`KINDS`.
    methods : tuple of MethodSpec
        Its ``--method`` names; empty when the command line does not offer it.
    features : {"numeric", "mixed", "categorical"}
        The columns it takes: numeric only, numeric and categorical (SMOTE-NC), or
        categorical only (SMOTE-N).
    blockwise : bool
        Dask runs it: its rule needs no model of the whole data (a combined sampler: its
        default oversampler's rule; ``tests/test_registry.py`` checks this against the rule).
    evaluate : str or None
        Its strategy key in ``smotekit evaluate`` (``None``: not compared there).
    """

    name: str
    module: str
    kind: str = "over-sampling"
    methods: tuple[MethodSpec, ...] = ()
    features: str = "numeric"
    blockwise: bool = False
    evaluate: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"SamplerSpec {self.name}: kind={self.kind!r} is not one of {KINDS}")
        if self.features not in ("numeric", "mixed", "categorical"):
            raise ValueError(
                f"SamplerSpec {self.name}: features={self.features!r} is not 'numeric', "
                "'mixed' or 'categorical'"
            )

    def resolve(self) -> Any:
        """The sampler class (imports its module now)."""
        return getattr(importlib.import_module(self.module), self.name)


_OVER = "smotekit.over_sampling"
_REGRESSION = "smotekit.regression"

#: Every sampler smotekit ships, in the order lists of them are shown.
SAMPLERS: tuple[SamplerSpec, ...] = (
    SamplerSpec(
        "SMOTE",
        _OVER,
        methods=(MethodSpec("smote", "SMOTE (Chawla et al., 2002)"),),
        blockwise=True,
        evaluate="smote",
    ),
    SamplerSpec(
        "BorderlineSMOTE",
        _OVER,
        methods=(
            MethodSpec(
                "borderline1",
                "Borderline-SMOTE 1: grow near the class border",
                MappingProxyType({"kind": "borderline-1"}),
                aliases=("borderline",),
            ),
            MethodSpec(
                "borderline2",
                "Borderline-SMOTE 2: border, towards any class",
                MappingProxyType({"kind": "borderline-2"}),
            ),
        ),
        blockwise=True,
        evaluate="borderline_smote",
    ),
    SamplerSpec(
        "SVMSMOTE",
        _OVER,
        methods=(MethodSpec("svm", "SVM-SMOTE: grow from support vectors", aliases=("svmsmote",)),),
        evaluate="svm_smote",
    ),
    SamplerSpec(
        "ADASYN",
        _OVER,
        methods=(MethodSpec("adasyn", "ADASYN: more samples where the class is harder"),),
        blockwise=True,
        evaluate="adasyn",
    ),
    SamplerSpec(
        "KMeansSMOTE",
        _OVER,
        methods=(MethodSpec("kmeans", "K-Means SMOTE: grow inside sparse clusters"),),
        evaluate="kmeans_smote",
    ),
    SamplerSpec(
        "PolynomFitSMOTE",
        _OVER,
        methods=(MethodSpec("polynom-fit", "polynom-fit-SMOTE", aliases=("polynomfit",)),),
        blockwise=True,
        evaluate="polynom_fit_smote",
    ),
    SamplerSpec(
        "ProWSyn",
        _OVER,
        methods=(MethodSpec("prowsyn", "ProWSyn: proximity-weighted synthesis"),),
        blockwise=True,
        evaluate="prowsyn",
    ),
    SamplerSpec(
        "SMOTENC",
        _OVER,
        methods=(MethodSpec("smotenc", "SMOTE-NC: numeric and categorical columns"),),
        features="mixed",
        blockwise=True,
        evaluate="smotenc",
    ),
    SamplerSpec(
        "SMOTEN",
        _OVER,
        methods=(MethodSpec("smoten", "SMOTE-N: categorical columns only"),),
        features="categorical",
        blockwise=True,
        evaluate="smoten",
    ),
    SamplerSpec("SMOTETomek", "smotekit.combine", kind="combine", blockwise=True),
    SamplerSpec("SMOTEENN", "smotekit.combine", kind="combine", blockwise=True),
    SamplerSpec("EditedNearestNeighbours", "smotekit.under_sampling", kind="under-sampling"),
    SamplerSpec("TomekLinks", "smotekit.under_sampling", kind="under-sampling"),
    SamplerSpec(
        "RandomOverSamplerRegression",
        _REGRESSION,
        kind="regression",
        methods=(
            MethodSpec(
                "random_over",
                "random over-sampling of the rare bins (RandomOverSamplerRegression)",
                aliases=("random",),
            ),
        ),
        evaluate="random_over",
    ),
    SamplerSpec(
        "GaussianNoiseRegression",
        _REGRESSION,
        kind="regression",
        methods=(
            MethodSpec(
                "gaussian_noise",
                "copies of rare cases with Gaussian noise (GaussianNoiseRegression)",
                aliases=("gaussian",),
            ),
        ),
        evaluate="gaussian_noise",
    ),
    SamplerSpec(
        "SMOTER",
        _REGRESSION,
        kind="regression",
        methods=(MethodSpec("smoter", "SMOTER (smotekit.regression)"),),
        evaluate="smoter",
    ),
    SamplerSpec(
        "SMOGN",
        _REGRESSION,
        kind="regression",
        methods=(MethodSpec("smogn", "SMOGN (smotekit.regression)"),),
        evaluate="smogn",
    ),
)

_registered: dict[str, SamplerSpec] = {}


def specs(task: str | None = "classification") -> Iterator[SamplerSpec]:
    """The built-in samplers, then those added with :func:`register`, in order.

    ``task`` picks those of a class target (``"classification"``: every kind but regression),
    those of a continuous target (``"regression"``), or all (``None``).

    Examples
    --------
    >>> [spec.name for spec in specs("regression")]
    ['RandomOverSamplerRegression', 'GaussianNoiseRegression', 'SMOTER', 'SMOGN']
    """
    if task not in ("classification", "regression", None):
        raise ValueError(f"task={task!r} is not 'classification', 'regression' or None")
    for spec in (*SAMPLERS, *_registered.values()):
        if task is None or (spec.kind == "regression") == (task == "regression"):
            yield spec


def exported() -> dict[str, str]:
    """Public name -> module, for the package's lazy top-level exports (built-ins only)."""
    return {spec.name: spec.module for spec in SAMPLERS if spec.kind in _TOP_LEVEL}


def register(spec: SamplerSpec) -> None:
    """Add a sampler, so the command line, evaluation and Dask offer it.

    Examples
    --------
    >>> spec = SamplerSpec("MySMOTE", "my_package", methods=(MethodSpec("mine", "my SMOTE"),))
    >>> register(spec)
    >>> [s.name for s in specs()][-1]
    'MySMOTE'
    >>> unregister("MySMOTE")
    """
    taken = {s.name for s in specs(None)}
    methods = {name for s in specs(None) for m in s.methods for name in (m.name, *m.aliases)}
    if spec.name in taken:
        raise ValueError(f"a sampler named {spec.name!r} is already registered")
    clash = sorted(methods & {name for m in spec.methods for name in (m.name, *m.aliases)})
    if clash:
        raise ValueError(f"--method {clash[0]} is already the name of another sampler")
    _registered[spec.name] = spec


def unregister(name: str) -> None:
    """Remove a sampler added with :func:`register`."""
    if name not in _registered:
        raise KeyError(f"{name!r} was not added with register()")
    del _registered[name]

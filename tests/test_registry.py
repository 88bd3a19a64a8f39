"""One registry of samplers: every list of them is derived from smotekit._registry.

The package's exports, the command line's methods, evaluation's strategies and Dask's
SUPPORTED agree with it; a sampler added at run time appears in the command line and in
evaluation; each sampler's declared neighbour parameters are the searches it builds.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest

import smotekit
from smotekit import _registry
from smotekit._registry import MethodSpec, SamplerSpec, exported, register, specs, unregister
from smotekit.cli._methods import build_sampler, get_method, methods
from smotekit.evaluation import available_strategies
from smotekit.evaluation._strategies import SAMPLERS as EVALUATED
from smotekit.over_sampling._base import SyntheticSamplerMixin


def test_the_package_exports_every_registered_sampler():
    for name, module in exported().items():
        assert name in smotekit.__all__
        assert getattr(smotekit, name) is getattr(__import__(module, fromlist=[name]), name)
    # the names mypy sees (the TYPE_CHECKING imports) are the names exported
    tree = ast.parse(Path(smotekit.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If))
    typed = {alias.asname for node in block.body for alias in node.names}
    assert typed == set(smotekit.__all__) - {"__version__"}


def test_every_sampler_and_every_method_name_is_listed_once():
    names = [spec.name for spec in _registry.SAMPLERS]
    assert len(names) == len(set(names))
    spelled = [n for spec in _registry.SAMPLERS for m in spec.methods for n in (m.name, *m.aliases)]
    assert len(spelled) == len(set(spelled))
    keys = [spec.evaluate for spec in _registry.SAMPLERS if spec.evaluate]
    assert len(keys) == len(set(keys))


def test_every_spec_resolves_to_its_class_and_is_in_its_package():
    import smotekit.over_sampling
    import smotekit.under_sampling

    for spec in specs():
        cls = spec.resolve()
        assert cls.__name__ == spec.name
        if spec.kind == "over-sampling":
            assert spec.name in smotekit.over_sampling.__all__
        if spec.kind == "under-sampling":
            assert spec.name in smotekit.under_sampling.__all__


def test_the_command_line_evaluation_and_dask_read_the_registry():
    from smotekit.dask import SUPPORTED

    listed = [m.name for spec in specs() for m in spec.methods]
    assert list(methods()) == listed
    assert get_method("Borderline").spec.name == "BorderlineSMOTE"  # an alias, any case
    assert get_method("polynom_fit").name == "polynom-fit"
    assert EVALUATED == {s.evaluate: s.name for s in specs() if s.evaluate}
    assert SUPPORTED == tuple(s.name for s in specs() if s.blockwise)


def test_regression_samplers_come_from_the_registry_and_stay_out_of_classification():
    import smotekit.regression
    from smotekit.cli._resample_regression import REGRESSION_METHODS, get_regression_method
    from smotekit.evaluation import REGRESSION_STRATEGIES

    regression = list(specs("regression"))
    assert {spec.kind for spec in regression} == {"regression"}
    for spec in regression:
        assert spec.resolve() is getattr(smotekit.regression, spec.name)
        assert spec.name in smotekit.regression.__all__
        assert spec.name not in smotekit.__all__  # not at the top level, nor in classification
        assert spec not in list(specs())
    assert REGRESSION_METHODS == {m.name: s.name for s in regression for m in s.methods}
    assert [s.key for s in REGRESSION_STRATEGIES] == ["none", *(s.evaluate for s in regression)]
    assert get_regression_method("Random") == "random_over"  # an alias, any case
    assert not set(REGRESSION_METHODS) & set(methods())
    with pytest.raises(ValueError, match="task='images'"):
        list(specs("images"))


def test_a_registered_sampler_is_offered_everywhere_and_names_cannot_clash():
    spec = SamplerSpec(
        "SMOTE2",
        "smotekit.over_sampling._smote",
        methods=(MethodSpec("smote2", "again"),),
        evaluate="smote2",
    )
    with pytest.raises(ValueError, match="already registered"):
        register(SamplerSpec("SMOTE", "x"))
    with pytest.raises(ValueError, match="--method smote is already"):
        register(SamplerSpec("Other", "x", methods=(MethodSpec("smote", "clash"),)))
    import smotekit.over_sampling._smote as module

    module.SMOTE2 = module.SMOTE  # a stand-in class under the spec's name
    register(spec)
    try:
        assert "smote2" in methods()
        sampler = build_sampler(
            get_method("smote2"),
            sampling_strategy="auto",
            random_state=0,
            k=3,
            approximate=False,
        )
        assert type(sampler).__name__ == "SMOTE" and sampler.k_neighbors == 3
        assert "smote2" in [s.key for s in available_strategies()]
    finally:
        unregister("SMOTE2")
        del module.SMOTE2
    assert "smote2" not in methods()
    with pytest.raises(KeyError):
        unregister("SMOTE")  # built-ins stay


def test_the_registry_is_standard_library_only():
    tree = ast.parse(Path(_registry.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"__future__", "importlib", "collections", "dataclasses", "types", "typing"}


# -- each sampler declares its neighbour parameters ------------------------------------------
FITTED = {"k_neighbors": "nn_k_", "m_neighbors": "nn_m_", "n_neighbors": "nn_"}
KWARGS = {
    "SMOTENC": {"categorical_features": [0]},
    "KMeansSMOTE": {"cluster_balance_threshold": 0.0},
}


@pytest.mark.parametrize(
    "spec", [s for s in specs() if s.kind == "over-sampling"], ids=lambda s: s.name
)
def test_declared_neighbour_parameters_are_the_searches_the_sampler_builds(spec):
    cls = spec.resolve()
    assert issubclass(cls, SyntheticSamplerMixin)
    declared = dict(cls._neighbor_params)
    in_signature = {p for p in inspect.signature(cls).parameters if p.endswith("_neighbors")}
    assert set(declared) == in_signature
    rng = np.random.RandomState(0)
    X = np.c_[rng.randint(0, 3, 120), rng.normal(size=(120, 2))]
    if spec.features == "categorical":
        X = X[:, :1].astype(int)
    y = np.r_[np.zeros(90, int), np.ones(30, int)]
    sampler = cls(random_state=0, **dict.fromkeys(declared, 3), **KWARGS.get(spec.name, {}))
    sampler.fit_resample(X, y)
    for param, added in declared.items():
        assert getattr(sampler, FITTED[param]).n_neighbors == 3 + added, param


@pytest.mark.parametrize(
    "spec", [s for s in specs() if s.kind in ("over-sampling", "combine")], ids=lambda s: s.name
)
def test_blockwise_is_true_exactly_where_the_rule_runs_on_dask(spec):
    from smotekit.over_sampling._rules import rule_for

    params = dict(spec.methods[0].params) if spec.methods else {}
    if spec.features == "mixed":
        params["categorical_features"] = [0]
    sampler = spec.resolve()(**params)
    # Every rule runs on Dask (class queries included: their summaries and rounds are tasks)
    # unless it needs a model fitted on all rows; a combined sampler's cleaning always runs,
    # so it runs where its oversampler's rule does.
    rule = sampler._rules()[0] if spec.kind == "combine" else rule_for(sampler)
    runs = rule.capabilities.global_model is None
    assert spec.blockwise == runs

"""imbalanced-learn's own test modules, run against smotekit's samplers.

Each module listed in ``SUITES`` is loaded from the installed imbalanced-learn as a fresh copy,
the sampler names it imports are rebound to smotekit's classes, and its test functions (with
their parametrisations and fixtures) are collected here as one test class per module. A test
passes only if smotekit's class behaves as imbalanced-learn's own test expects.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from types import ModuleType
from typing import Any

import pytest

# module of imbalanced-learn's test suite -> sampler names to rebind to smotekit's classes
SUITES: dict[str, tuple[str, ...]] = {
    "imblearn.over_sampling._smote.tests.test_smote": ("SMOTE",),
    "imblearn.over_sampling._smote.tests.test_borderline_smote": ("BorderlineSMOTE",),
    "imblearn.over_sampling._smote.tests.test_svm_smote": ("SVMSMOTE",),
    "imblearn.over_sampling._smote.tests.test_kmeans_smote": ("SMOTE", "KMeansSMOTE"),
    "imblearn.over_sampling.tests.test_adasyn": ("ADASYN",),
    "imblearn.over_sampling._smote.tests.test_smote_nc": ("SMOTENC",),
    "imblearn.over_sampling._smote.tests.test_smoten": ("SMOTEN",),
    "imblearn.under_sampling._prototype_selection.tests.test_edited_nearest_neighbours": (
        "EditedNearestNeighbours",
    ),
    "imblearn.under_sampling._prototype_selection.tests.test_tomek_links": ("TomekLinks",),
    "imblearn.combine.tests.test_smote_enn": ("SMOTEENN", "SMOTE", "EditedNearestNeighbours"),
    "imblearn.combine.tests.test_smote_tomek": ("SMOTETomek", "SMOTE", "TomekLinks"),
}

# (module, test) -> why it is not run against smotekit. Only tests of imbalanced-learn internals
# (not of behaviour a user sees) belong here.
EXCLUDED: dict[tuple[str, str], str] = {
    (
        "test_smote_nc",
        "test_smote_nc_categorical_features_auto_error",
    ): "smotekit's categorical_features='auto' takes text columns too, as the CLI's --categorical "
    "auto does (issue 17, C), so a frame of numbers and text is no error; the array half of "
    "the test (the message for 'auto' on an ndarray) is tests/test_smotenc.py's",
}


def _load(module_name: str, names: tuple[str, ...]) -> ModuleType:
    """A private copy of an imbalanced-learn test module, with ``names`` rebound to smotekit's."""
    origin = importlib.util.find_spec(module_name).origin  # type: ignore[union-attr]
    short = module_name.rsplit(".", 1)[-1]
    spec = importlib.util.spec_from_file_location(f"smotekit_imblearn_suite_{short}", origin)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    smotekit = importlib.import_module("smotekit")
    for name in names:
        replacement = getattr(smotekit, name)
        assert getattr(module, name).__name__ == name, (module_name, name)
        setattr(module, name, replacement)
    return module


def _fixture_method(definition: Any) -> Any:
    """A module-level fixture re-declared as a method, so that each suite keeps its own."""
    func = definition._get_wrapped_function()
    wanted = list(inspect.signature(func).parameters)

    def fixture(self: Any, request: pytest.FixtureRequest) -> Any:
        return func(**{name: request.getfixturevalue(name) for name in wanted})

    return pytest.fixture(name=definition.name)(fixture)


def _suite_class(module_name: str, names: tuple[str, ...]) -> type:
    module = _load(module_name, names)
    short = module_name.rsplit(".", 1)[-1]
    namespace: dict[str, Any] = {"__doc__": f"{module_name} against smotekit's {names}."}
    for attr, value in vars(module).items():
        if type(value).__name__ == "FixtureFunctionDefinition":
            namespace[f"_fixture_{attr}"] = _fixture_method(value)
        elif attr.startswith("test_") and inspect.isfunction(value):
            if (short, attr) not in EXCLUDED:
                namespace[attr] = staticmethod(value)
    return type(f"Test_{short}", (), namespace)


for _module_name, _names in SUITES.items():
    _cls = _suite_class(_module_name, _names)
    globals()[_cls.__name__] = _cls


def test_every_suite_is_collected():
    collected = [name for name in globals() if name.startswith("Test_")]
    assert len(collected) == len(SUITES)
    for name in collected:
        assert any(attr.startswith("test_") for attr in vars(globals()[name]))

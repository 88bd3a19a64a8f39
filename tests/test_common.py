"""scikit-learn's and imbalanced-learn's common estimator checks over every public sampler.

The samplers are enumerated from ``smotekit.over_sampling``, ``smotekit.under_sampling`` and
``smotekit.combine`` (their ``__all__``), so
a new sampler is checked as soon as it is exported. Constructor arguments and expected failures
are imbalanced-learn's own for the class a sampler replaces (found through its bases), exactly as
imbalanced-learn's ``tests/test_common.py`` sets them up for its own classes.
"""

from __future__ import annotations

import warnings

import pytest
from imblearn.utils._test_common.instance_generator import (
    INIT_PARAMS,
    _get_check_estimator_ids,
    _get_expected_failed_checks,
)
from imblearn.utils.estimator_checks import (
    _set_checking_parameters,
    check_dataframe_column_names_consistency,
    check_param_validation,
)
from imblearn.utils.estimator_checks import (
    parametrize_with_checks as parametrize_with_imblearn_checks,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._testing import ignore_warnings
from sklearn_compat.utils.estimator_checks import (
    parametrize_with_checks as parametrize_with_sklearn_checks,
)

import smotekit.combine
import smotekit.over_sampling
import smotekit.under_sampling


def _public_samplers() -> list[type]:
    modules = (smotekit.over_sampling, smotekit.under_sampling, smotekit.combine)
    return [getattr(module, name) for module in modules for name in module.__all__]


def _imblearn_parent(cls: type) -> type | None:
    """The imbalanced-learn class a smotekit sampler replaces."""
    for base in cls.__mro__[1:]:
        if base.__module__.startswith("imblearn") and base in INIT_PARAMS:
            return base
    return None


def _instances() -> list:
    instances = []
    for cls in _public_samplers():
        parent = _imblearn_parent(cls)
        if parent is not None:
            params = INIT_PARAMS[parent]
        elif "random_state" in cls().get_params():
            # Variants imbalanced-learn lacks get a fixed seed, as imbalanced-learn gives its own.
            params = {"random_state": 42}
        else:
            # Deterministic ones (the cleaners) are checked with their defaults, as in imblearn.
            params = {}
        for kwargs in params if isinstance(params, list) else [params]:
            instances.append(cls(**kwargs))
    return instances


# Checks smotekit fails on purpose, with the reason. imbalanced-learn's own expected failures
# for the replaced class are added to these.
SMOTEKIT_EXPECTED_FAILURES: dict[str, dict[str, str]] = {
    # imbalanced-learn skips SMOTENC in its own common checks (SKIPPED_ESTIMATORS).
    "SMOTENC": {
        "check_samplers_string": "a single string column is all-categorical: SMOTE-NC needs a "
        "continuous feature and says to use SMOTEN",
        "check_estimators_nan_inf": "the NaN lands in the categorical feature, where a missing "
        "value is a category of its own, as in imbalanced-learn (issue 17 D)",
    },
    "SMOTEN": {
        "check_estimators_nan_inf": "a missing value is a category of its own, as in SMOTE-NC "
        "(issue 17 D)",
    },
}


def _expected_failed_checks(estimator) -> dict[str, str]:
    failures = dict(SMOTEKIT_EXPECTED_FAILURES.get(type(estimator).__name__, {}))
    parent = _imblearn_parent(type(estimator))
    if parent is not None:
        failures.update(_get_expected_failed_checks(parent(**_params_of(estimator))))
    return failures


def _params_of(estimator) -> dict:
    """The parameters imbalanced-learn's parent class also has (not smotekit's additions)."""
    parent = _imblearn_parent(type(estimator))
    own = set(parent._get_param_names()) if parent is not None else None
    params = estimator.get_params(deep=False)
    return params if own is None else {k: v for k, v in params.items() if k in own}


INSTANCES = _instances()


def test_every_public_sampler_is_checked():
    checked = {type(est) for est in INSTANCES}
    assert checked == set(_public_samplers())
    assert {"BorderlineSMOTE", "SVMSMOTE", "ADASYN", "KMeansSMOTE", "SMOTE"} <= {
        cls.__name__ for cls in checked
    }
    assert {"SMOTETomek", "SMOTEENN"} <= {cls.__name__ for cls in checked}
    assert {"EditedNearestNeighbours", "TomekLinks"} <= {cls.__name__ for cls in checked}


@parametrize_with_sklearn_checks(INSTANCES, expected_failed_checks=_expected_failed_checks)
def test_sklearn_common_checks(estimator, check):
    _set_checking_parameters(estimator)
    check(estimator)


@parametrize_with_imblearn_checks(INSTANCES, expected_failed_checks=_expected_failed_checks)
def test_imblearn_common_checks(estimator, check):
    with ignore_warnings(category=(FutureWarning, ConvergenceWarning, UserWarning)):
        _set_checking_parameters(estimator)
        check(estimator)


@pytest.mark.parametrize("estimator", INSTANCES, ids=_get_check_estimator_ids)
def test_param_validation(estimator):
    _set_checking_parameters(estimator)
    check_param_validation(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", INSTANCES, ids=_get_check_estimator_ids)
def test_pandas_column_name_consistency(estimator):
    _set_checking_parameters(estimator)
    with ignore_warnings(category=FutureWarning), warnings.catch_warnings(record=True) as record:
        check_dataframe_column_names_consistency(type(estimator).__name__, estimator)
    for warning in record:
        assert "was fitted without feature names" not in str(warning.message)

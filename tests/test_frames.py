"""DataFrames in, the same library out, for every sampler: pandas (nullable too) and polars."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import polars as pl
import pytest
from imblearn.over_sampling import SMOTE as ImbSMOTE

import smotekit.over_sampling
from smotekit import SMOTE, SMOTEN, SMOTENC


def numeric_frame(seed: int = 0, n_min: int = 40):
    rng = np.random.RandomState(seed)
    n = 160 + n_min
    centres = np.where(np.arange(n)[:, None] < 160, 0.0, 1.2)
    values = rng.normal(size=(n, 4)) + centres
    df = pd.DataFrame(
        {
            "f64": values[:, 0],
            "f32": values[:, 1].astype(np.float32),
            "count": np.rint(values[:, 2] * 100).astype(np.int64),
            "small": np.rint(values[:, 3] * 10).astype(np.int16),
        }
    )
    y = pd.Series(np.array([0] * 160 + [1] * n_min), name="target")
    return df, y


def numeric_samplers():
    return list(_numeric_samplers())


def _numeric_samplers():
    for name in smotekit.over_sampling.__all__:
        if name in ("SMOTENC", "SMOTEN"):
            continue
        cls = getattr(smotekit.over_sampling, name)
        kwargs = {"random_state": 0}
        if name == "KMeansSMOTE":
            kwargs["cluster_balance_threshold"] = 0.1
        yield pytest.param(cls(**kwargs), id=name)


def test_every_sampler_is_covered():
    names = {p.id for p in numeric_samplers()} | {"SMOTENC", "SMOTEN"}
    assert names == set(smotekit.over_sampling.__all__)


@pytest.mark.parametrize("sampler", numeric_samplers())
def test_pandas_round_trip_keeps_names_and_dtypes(sampler):
    df, y = numeric_frame()
    X_res, y_res = sampler.fit_resample(df, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(df.columns)
    assert X_res.dtypes.tolist() == df.dtypes.tolist()
    assert y_res.name == "target" and y_res.dtype == y.dtype
    pd.testing.assert_frame_equal(X_res.iloc[: len(df)], df)
    assert len(X_res) == len(y_res) > len(df)


@pytest.mark.parametrize("sampler", numeric_samplers())
def test_polars_round_trip_keeps_schema(sampler):
    df, y = numeric_frame()
    frame = pl.from_pandas(df)
    X_res, y_res = sampler.fit_resample(frame, pl.Series("target", y.to_numpy()))
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.schema == frame.schema
    assert y_res.name == "target" and y_res.dtype == pl.Int64
    assert X_res.head(len(df)).equals(frame)


def test_plain_float_pandas_equals_imblearn():
    df, y = numeric_frame()
    df = df.astype(np.float64)
    X_a, y_a = SMOTE(random_state=3).fit_resample(df, y)
    X_b, y_b = ImbSMOTE(random_state=3).fit_resample(df, y)
    pd.testing.assert_frame_equal(X_a, X_b)
    pd.testing.assert_series_equal(y_a, y_b)


def test_integer_columns_are_rounded_not_truncated():
    df, y = numeric_frame()
    sampler = SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(df, y)
    prov = sampler.provenance_
    count = df["count"].to_numpy(dtype=np.float64)
    exact = count[prov["base"]] + prov["gap"] * (count[prov["neighbor"]] - count[prov["base"]])
    np.testing.assert_array_equal(X_res["count"].to_numpy()[len(df) :], np.rint(exact))
    # imbalanced-learn truncates the same values (its #1093)
    truncated = ImbSMOTE(random_state=0).fit_resample(df, y)[0]["count"].to_numpy()[len(df) :]
    assert (truncated != np.rint(exact)).any()


def test_pandas_nullable_dtypes():
    df, y = numeric_frame()
    nullable = df.astype({"f64": "Float64", "count": "Int64", "small": "Int16"})
    nullable["flag"] = pd.array(df["count"].to_numpy() > 0, dtype="boolean")
    X_res, y_res = SMOTE(random_state=0).fit_resample(nullable, y.astype("Int64"))
    assert X_res.dtypes.tolist() == nullable.dtypes.tolist()
    assert y_res.dtype == "Int64"
    # same values as the plain-dtype frame
    plain = SMOTE(random_state=0).fit_resample(nullable.astype(float), y)[0]
    np.testing.assert_allclose(
        X_res.to_numpy(dtype=float),
        plain.round({"count": 0, "small": 0, "flag": 0}).to_numpy(dtype=float),
        rtol=1e-6,
    )


def test_missing_value_in_nullable_column_is_reported():
    df, y = numeric_frame()
    nullable = df.astype({"count": "Int64"})
    nullable.loc[5, "count"] = pd.NA
    with pytest.raises(ValueError, match="NaN"):
        SMOTE(random_state=0).fit_resample(nullable, y)


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_missing_label_is_reported(library):
    df, y = numeric_frame()
    labels = y.astype("Int64")
    labels[3] = pd.NA
    if library == "polars":
        labels = pl.Series("target", [None if pd.isna(v) else int(v) for v in labels])
    with pytest.raises(ValueError, match=r"'target'.*1 missing labels"):
        SMOTE(random_state=0).fit_resample(df, labels)


def test_smotenc_with_pandas_and_polars_categories():
    rng = np.random.RandomState(0)
    n = 120
    df = pd.DataFrame(
        {
            "amount": rng.normal(size=n),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "visits": rng.randint(0, 50, n),
        }
    )
    y = np.array([0] * 90 + [1] * 30)
    X_res, _ = SMOTENC("auto", random_state=0).fit_resample(df, y)
    assert X_res.dtypes.tolist() == df.dtypes.tolist()
    assert set(X_res["colour"]) <= {"red", "green", "blue"}
    by_name, _ = SMOTENC(["colour"], random_state=0).fit_resample(df, y)
    pd.testing.assert_frame_equal(by_name, X_res)

    frame = pl.DataFrame(
        {
            "amount": df["amount"].to_numpy(),
            "colour": pl.Series(df["colour"].astype(str).tolist(), dtype=pl.Categorical),
            "visits": df["visits"].to_numpy(),
        }
    )
    X_pl, _ = SMOTENC("auto", random_state=0).fit_resample(frame, y)
    assert isinstance(X_pl, pl.DataFrame) and X_pl.schema == frame.schema
    np.testing.assert_allclose(X_pl["amount"].to_numpy(), X_res["amount"].to_numpy())
    assert X_pl["colour"].cast(pl.String).to_list() == X_res["colour"].astype(str).tolist()


def test_smoten_with_polars_strings():
    rng = np.random.RandomState(0)
    frame = pl.DataFrame(
        {"a": rng.choice(list("abc"), 80).tolist(), "b": rng.choice(list("xy"), 80).tolist()}
    )
    y = pl.Series("y", [0] * 60 + [1] * 20)
    X_res, y_res = SMOTEN(random_state=0).fit_resample(frame, y)
    assert isinstance(X_res, pl.DataFrame) and X_res.schema == frame.schema
    assert y_res.to_list().count(1) == 60


def test_import_smotekit_loads_no_frame_library():
    code = (
        "import sys, smotekit\n"
        "smotekit.SMOTE\n"
        "assert 'polars' not in sys.modules\n"
        "X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [9.0], [9.5], [8.0]]\n"
        "smotekit.SMOTE(k_neighbors=2).fit_resample(X, [0] * 6 + [1] * 3)\n"
        "bad = [m for m in ('polars',) if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

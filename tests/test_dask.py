"""smotekit.dask on a LocalCluster: partition invariance, counts, provenance, inputs, errors."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from imblearn.over_sampling import SMOTE as ImbSMOTE  # noqa: E402
from imblearn.over_sampling import SMOTEN as ImbSMOTEN  # noqa: E402
from imblearn.over_sampling import BorderlineSMOTE as ImbBorderlineSMOTE  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402

from smotekit import (  # noqa: E402
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    ProWSyn,
)
from smotekit.dask import fit_resample  # noqa: E402
from smotekit.exceptions import ClassTooSmallError  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        memory_limit="1GiB",
        dashboard_address=None,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def make_data(n=600, weights=(0.8, 0.2), seed=0):
    X, y = make_classification(
        n_samples=n,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=len(weights),
        n_clusters_per_class=1,
        weights=list(weights),
        class_sep=0.6,
        random_state=seed,
    )
    return X, y


def as_arrays(X, y, n_parts):
    rows = -(-X.shape[0] // n_parts)
    return da.from_array(X, chunks=(rows, X.shape[1])), da.from_array(y, chunks=rows)


def as_frames(df, y, n_parts):
    return dd.from_pandas(df, npartitions=n_parts), dd.from_pandas(y, npartitions=n_parts)


def compute_all(client, outputs):
    """Compute several fit_resample results in one go (one round trip to the cluster)."""
    flat = [item for out in outputs for item in out]
    done = client.compute(flat, sync=True)
    bounds = np.cumsum([0] + [len(out) for out in outputs]).tolist()
    return [done[a:b] for a, b in itertools.pairwise(bounds)]


def run(client, sampler, X, y, **kwargs):
    return compute_all(client, [fit_resample(sampler, X, y, return_provenance=True, **kwargs)])[0]


def check_provenance(X, y, X_res, y_res, prov, label_of_base=True):
    n = X.shape[0]
    base, nbr, gap = (np.asarray(prov[field]) for field in ("base", "neighbor", "gap"))
    assert len(prov) == X_res.shape[0] - n
    assert ((gap >= 0) & (gap < 1)).all()
    # Every synthetic row grows from a row of its own class, towards a row of its own class.
    np.testing.assert_array_equal(y[base], np.asarray(y_res)[n:])
    np.testing.assert_array_equal(y[nbr], np.asarray(y_res)[n:])
    assert (base != nbr).all()
    expected = X[base] + gap[:, None] * (X[nbr] - X[base])
    np.testing.assert_allclose(np.asarray(X_res)[n:], expected, rtol=1e-12, atol=1e-12)


def test_smote_same_output_for_1_3_7_partitions(client):
    X, y = make_data()
    results = compute_all(
        client,
        [
            fit_resample(
                SMOTE(random_state=3), *as_arrays(X, y, p), block_rows=200, return_provenance=True
            )
            for p in (1, 3, 7)
        ],
    )
    X_res, y_res, prov = results[0]
    np.testing.assert_array_equal(X_res[: X.shape[0]], X)
    assert np.bincount(y_res).tolist() == [np.bincount(y)[0]] * 2
    check_provenance(X, y, X_res, y_res, prov)
    for other in results[1:]:
        np.testing.assert_array_equal(other[0], X_res)
        np.testing.assert_array_equal(other[1], y_res)
        np.testing.assert_array_equal(other[2], prov)


def test_blockwise_search_of_a_large_class_changes_nothing(client):
    X, y = make_data()
    Xd, yd = as_arrays(X, y, 3)
    # 40 rows of 4 float64 per block: the class is cut into several blocks.
    whole, blocked = compute_all(
        client,
        [
            fit_resample(SMOTE(random_state=0), Xd, yd, return_provenance=True),
            fit_resample(
                SMOTE(random_state=0), Xd, yd, class_budget=40 * 4 * 8, return_provenance=True
            ),
        ],
    )
    np.testing.assert_array_equal(blocked[0], whole[0])
    np.testing.assert_array_equal(blocked[2], whole[2])


@pytest.mark.parametrize(
    ("sampler", "reference"),
    [
        (SMOTE(random_state=4, k_neighbors=3), ImbSMOTE(random_state=4, k_neighbors=3)),
        (BorderlineSMOTE(random_state=4), ImbBorderlineSMOTE(random_state=4)),
        (
            BorderlineSMOTE(random_state=4, kind="borderline-2"),
            ImbBorderlineSMOTE(random_state=4, kind="borderline-2"),
        ),
    ],
    ids=["smote", "borderline-1", "borderline-2"],
)
def test_imbalanced_learn_seeding_gives_imbalanced_learns_rows(client, sampler, reference):
    X, y = make_data(seed=2)
    X_ref, y_ref = reference.fit_resample(X, y)
    # Blockwise search (blocks of 25 rows) and blockwise generation: still the same rows.
    X_res, y_res, _ = run(
        client,
        sampler,
        *as_arrays(X, y, 4),
        seeding="imbalanced-learn",
        class_budget=25 * 4 * 8,
        block_rows=150,
    )
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("rounding", ["nearest", "truncate"])
def test_integer_columns_are_stored_with_the_samplers_integer_rounding(rounding):
    X, y = make_data(seed=3)
    X = np.rint(X * 100).astype(np.int16)
    sampler = SMOTE(random_state=1, integer_rounding=rounding)
    X_ref, _ = sampler.fit_resample(X, y)
    X_res, _ = fit_resample(sampler, *as_arrays(X, y, 3), seeding="imbalanced-learn")
    X_res = X_res.compute(scheduler="sync")
    assert X_res.dtype == np.int16
    np.testing.assert_array_equal(X_res, X_ref)
    df = pd.DataFrame({"a": X[:, 0].astype(np.int64), "b": X[:, 1].astype(np.float32)})
    X_df, _ = fit_resample(sampler, *as_frames(df, pd.Series(y), 2), seeding="imbalanced-learn")
    X_df = X_df.compute(scheduler="sync")
    X_mem, _ = SMOTE(random_state=1, integer_rounding=rounding).fit_resample(df, y)
    pd.testing.assert_frame_equal(X_df.reset_index(drop=True), X_mem)


def test_multiclass_counts_match_imbalanced_learn(client):
    X, y = make_data(n=1200, weights=(0.6, 0.3, 0.1))
    strategy = {1: 500, 2: 300}
    X_res, y_res, prov = run(
        client, SMOTE(random_state=1, sampling_strategy=strategy), *as_arrays(X, y, 5)
    )
    counts = np.bincount(y_res)
    assert counts.tolist() == [np.sum(y == 0), 500, 300]
    check_provenance(X, y, X_res, y_res, prov)
    # Classes in sorted order, original rows first.
    assert (np.diff(y_res[X.shape[0] :]) >= 0).all()


def test_dataframe_input_keeps_columns_dtypes_and_partitions(client):
    X, y = make_data()
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    df["count"] = np.arange(len(df)) % 7
    ys = pd.Series(y, name="target")
    lazy = []
    for p in (1, 3, 7):
        Xd, yd = as_frames(df, ys, p)
        lazy.append(fit_resample(SMOTE(random_state=0), Xd, yd, return_provenance=True))
        assert lazy[-1][0].npartitions == p + 1
    outs = compute_all(client, lazy)
    X_res, y_res, prov = outs[0]
    assert list(X_res.columns) == list(df.columns)
    assert X_res.dtypes.to_dict() == df.dtypes.to_dict()
    assert y_res.name == "target"
    pd.testing.assert_frame_equal(X_res.iloc[: len(df)], df)
    n = len(df)
    assert y_res.value_counts().to_dict() == {0: np.sum(y == 0), 1: np.sum(y == 0)}
    base, nbr, gap = (prov[c].to_numpy() for c in ("base", "neighbor", "gap"))
    expected = X[base] + gap[:, None] * (X[nbr] - X[base])
    np.testing.assert_allclose(X_res.iloc[n:, :4].to_numpy(), expected, rtol=1e-12)
    counts = df["count"].to_numpy()
    np.testing.assert_array_equal(
        X_res["count"].iloc[n:].to_numpy(),
        np.rint(counts[base] + gap * (counts[nbr] - counts[base])).astype(int),
    )
    for other in outs[1:]:
        pd.testing.assert_frame_equal(other[0], X_res)
        pd.testing.assert_series_equal(other[1], y_res)


@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_borderline_grows_only_from_the_in_memory_danger_set(client, kind):
    X, y = make_data(seed=2)
    sampler = BorderlineSMOTE(random_state=0, kind=kind)
    results = compute_all(
        client,
        [fit_resample(sampler, *as_arrays(X, y, p), return_provenance=True) for p in (1, 7)],
    )
    X_res, y_res, prov = results[0]
    if kind == "borderline-1":
        check_provenance(X, y, X_res, y_res, prov)
    else:
        n = len(y)
        base, nbr, gap = (prov[c] for c in ("base", "neighbor", "gap"))
        np.testing.assert_allclose(X_res[n:], X[base] + gap[:, None] * (X[nbr] - X[base]))
        # Moves towards another class are shortened to less than half the way.
        assert (gap[y[nbr] != 1] < 0.5).all() and (y[nbr] != 1).any()
    reference = ImbBorderlineSMOTE(random_state=0, kind=kind)
    _, y_ref = reference.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == np.bincount(y_ref).tolist()
    danger = set(reference.in_danger_indices[1].tolist())
    assert set(prov["base"].tolist()) <= danger
    assert len(set(prov["base"].tolist())) > 0.5 * len(danger)
    for other in results[1:]:
        np.testing.assert_array_equal(other[0], X_res)


def test_smotenc_on_a_dataframe_with_a_text_column(client):
    X, y = make_data()
    df = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    df["colour"] = np.where(X[:, 3] > 0, "red", np.where(X[:, 3] > -1, "green", "blue"))
    ys = pd.Series(y, name="target")
    sampler = SMOTENC(categorical_features=["colour"], random_state=0)
    outs = compute_all(
        client,
        [fit_resample(sampler, *as_frames(df, ys, p), return_provenance=True) for p in (1, 3, 7)],
    )
    X_res, y_res, prov = outs[0]
    n = len(df)
    assert y_res.value_counts().to_dict() == {0: np.sum(y == 0), 1: np.sum(y == 0)}
    base, nbr, gap = (prov[c].to_numpy() for c in ("base", "neighbor", "gap"))
    expected = X[base, :3] + gap[:, None] * (X[nbr, :3] - X[base, :3])
    np.testing.assert_allclose(X_res.iloc[n:, :3].to_numpy(), expected, rtol=1e-12)
    assert set(X_res["colour"].iloc[n:]) <= set(df["colour"][y == 1])
    assert all(isinstance(v, str) for v in X_res["colour"].iloc[n:])
    for other in outs[1:]:
        pd.testing.assert_frame_equal(other[0], X_res)


def test_class_queries_reading_all_rows_run_on_workers(client):
    """ProWSyn's peel rounds and SMOTE-N's VDM summary as tasks on separate processes; SMOTE-N
    on a dask array of text (every column coded), equal to imbalanced-learn's rows."""
    X, y = make_data(seed=5)
    X_ref, y_ref = ProWSyn(random_state=3, n_levels=3).fit_resample(X, y)
    rng = np.random.RandomState(1)
    cats = np.column_stack([rng.choice(list("abc"), len(y)), np.where(X[:, 0] > 0, "x", "y")])
    cats = cats.astype(object)
    C_ref, c_ref = ImbSMOTEN(random_state=3).fit_resample(cats, y)
    (X_res, y_res, _), (C_res, c_res, _) = compute_all(
        client,
        [
            fit_resample(
                ProWSyn(random_state=3, n_levels=3),
                *as_arrays(X, y, 4),
                seeding="imbalanced-learn",
                block_rows=100,
                return_provenance=True,
            ),
            fit_resample(
                SMOTEN(random_state=3),
                *as_arrays(cats, y, 3),
                seeding="imbalanced-learn",
                block_rows=100,
                return_provenance=True,
            ),
        ],
    )
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(C_res, C_ref)
    np.testing.assert_array_equal(c_res, c_ref)


SUPPORTED_LIST = "SMOTE, BorderlineSMOTE, ADASYN, PolynomFitSMOTE, ProWSyn, SMOTENC, SMOTEN"


@pytest.mark.parametrize("sampler", [SVMSMOTE(), KMeansSMOTE()])
def test_unsupported_samplers_name_the_supported_ones(sampler):
    X, y = make_data(n=100)
    with pytest.raises(TypeError, match=SUPPORTED_LIST):
        fit_resample(sampler, *as_arrays(X, y, 2))


def test_input_errors():
    X, y = make_data(n=100)
    with pytest.raises(TypeError, match="dask DataFrame or a dask Array"):
        fit_resample(SMOTE(), X, y)
    Xd, yd = as_arrays(X, y, 2)
    with pytest.raises(ClassTooSmallError, match="k_neighbors=50"):
        fit_resample(SMOTE(k_neighbors=50), Xd, yd, block_rows=10)
    with pytest.raises(ClassTooSmallError, match="m_neighbors=150 needs at least 151 samples"):
        fit_resample(BorderlineSMOTE(m_neighbors=150), Xd, yd)
    with pytest.raises(ValueError, match="block_rows"):
        fit_resample(SMOTE(), Xd, yd, block_rows=0)
    X_nan = X.copy()
    X_nan[np.flatnonzero(y == 1)[0], 1] = np.nan
    X_res, _ = fit_resample(SMOTE(), *as_arrays(X_nan, y, 2))
    with pytest.raises(ValueError, match=r"missing value \(NaN"):
        X_res.compute(scheduler="sync")
    with pytest.raises(ValueError, match="partitions"):
        fit_resample(SMOTE(), dd.from_array(X, chunksize=30), dd.from_array(y, chunksize=50))


def test_importing_smotekit_dask_does_not_import_dask():
    code = "import smotekit, smotekit.dask, sys; print('dask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def write_parquet_folder(folder, n_files=3, rows=300, seed=0):
    rng = np.random.RandomState(seed)
    folder.mkdir()
    frames = []
    for i in range(n_files):
        frame = pd.DataFrame(rng.normal(size=(rows, 3)), columns=["x0", "x1", "x2"])
        frame["label"] = (rng.uniform(size=rows) < 0.15).astype(np.int64)
        frame.to_parquet(folder / f"part-{i}.parquet", index=False)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_resample_parquet_writes_the_input_then_synthetic_rows(client, tmp_path):
    from smotekit.dask import resample_parquet

    data = write_parquet_folder(tmp_path / "in")
    counts = resample_parquet(
        SMOTE(random_state=0),
        tmp_path / "in",
        tmp_path / "out",
        target="label",
        provenance=tmp_path / "prov",
        block_rows=250,
    )
    n_major = int((data["label"] == 0).sum())
    assert counts == {0: n_major, 1: n_major}
    out = pd.read_parquet(tmp_path / "out")
    prov = pd.read_parquet(tmp_path / "prov")
    assert len(out) == 2 * n_major and len(prov) == len(out) - len(data)
    pd.testing.assert_frame_equal(out.iloc[: len(data)].reset_index(drop=True), data)
    X = data[["x0", "x1", "x2"]].to_numpy()
    base, nbr, gap = (prov[c].to_numpy() for c in ("base", "neighbor", "gap"))
    np.testing.assert_allclose(
        out.iloc[len(data) :, :3].to_numpy(), X[base] + gap[:, None] * (X[nbr] - X[base])
    )
    with pytest.raises(FileExistsError, match="exists"):
        resample_parquet(SMOTE(), tmp_path / "in", tmp_path / "out", target="label")


def test_resample_parquet_cleans_with_a_combined_sampler_on_a_cluster(client, tmp_path):
    from smotekit import SMOTEENN
    from smotekit.dask import resample_parquet

    data = write_parquet_folder(tmp_path / "in")
    options = {"seeding": "imbalanced-learn", "block_rows": 250}
    counts = resample_parquet(
        SMOTEENN(random_state=0),
        tmp_path / "in",
        tmp_path / "out",
        target="label",
        provenance=tmp_path / "prov",
        **options,
    )
    memory = SMOTEENN(random_state=0)
    X_mem, y_mem = memory.fit_resample(data[["x0", "x1", "x2"]], data["label"])
    out = pd.read_parquet(tmp_path / "out")
    pd.testing.assert_frame_equal(out[["x0", "x1", "x2"]], X_mem.reset_index(drop=True))
    np.testing.assert_array_equal(out["label"].to_numpy(), y_mem.to_numpy())
    assert counts == out["label"].value_counts().sort_index().to_dict()
    prov = pd.read_parquet(tmp_path / "prov")
    np.testing.assert_array_equal(prov["base"].to_numpy(), memory.provenance_["base"])
    np.testing.assert_array_equal(prov["gap"].to_numpy(), memory.provenance_["gap"])


def test_borderline_without_danger_says_which_class_and_what_to_do():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(20, 1, (20, 2))])
    y = np.r_[np.zeros(200, int), np.ones(20, int)]
    X_res, _ = fit_resample(BorderlineSMOTE(random_state=0), *as_arrays(X, y, 2))
    with pytest.raises(ValueError, match=r"class 1 has no sample to grow from.*m_neighbors"):
        X_res.compute(scheduler="sync")


def test_an_approximate_search_plugs_in_block_by_block():
    pytest.importorskip("faiss")
    from smotekit.neighbors import ApproximateNeighbors

    X, y = make_data()
    Xd, yd = as_arrays(X, y, 3)
    sampler = SMOTE(random_state=0, k_neighbors=ApproximateNeighbors(n_neighbors=6))
    X_res, y_res, prov = fit_resample(
        sampler, Xd, yd, class_budget=30 * 4 * 8, return_provenance=True
    )
    X_res, y_res, prov = (c.compute(scheduler="sync") for c in (X_res, y_res, prov))
    check_provenance(X, y, X_res, y_res, prov)
    assert np.bincount(y_res).tolist() == [np.sum(y == 0)] * 2


def test_cli_resample_with_dask_cleans_the_rows_it_grew(client, tmp_path, capsys):
    """``--dask --clean enn`` writes the rows the engine's ENN keeps of the same run's rows."""
    from smotekit.cli import main
    from smotekit.engine._cleaning import clean_in_memory
    from smotekit.under_sampling._edited import ENNRule

    write_parquet_folder(tmp_path / "in")
    address = client.scheduler.address
    argv = ["resample", str(tmp_path / "in"), "-t", "label", "--dask", address, "-s", "1=600"]
    assert main([*argv, "-o", str(tmp_path / "grown")]) == 0, capsys.readouterr().err
    assert main([*argv, "-o", str(tmp_path / "clean"), "--clean", "enn"]) == 0
    grown = pd.read_parquet(tmp_path / "grown")
    X, y = grown.drop(columns="label").to_numpy(), grown["label"].to_numpy()
    kept = clean_in_memory(ENNRule(3), X, y)
    assert 0 < len(kept) < len(y)
    cleaned = pd.read_parquet(tmp_path / "clean").reset_index(drop=True)
    pd.testing.assert_frame_equal(cleaned, grown.iloc[kept].reset_index(drop=True))


def test_cli_resample_with_dask_writes_a_parquet_folder(client, tmp_path, capsys):
    from smotekit.cli import main

    data = write_parquet_folder(tmp_path / "in")
    address = client.scheduler.address
    argv = ["resample", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-t", "label"]
    code = main([*argv, "--dask", address, "-s", "1=600", "--provenance", str(tmp_path / "p")])
    assert code == 0, capsys.readouterr().err
    out = pd.read_parquet(tmp_path / "out")
    assert out["label"].value_counts().to_dict() == {0: int((data["label"] == 0).sum()), 1: 600}
    pd.testing.assert_frame_equal(out.iloc[: len(data)].reset_index(drop=True), data)
    assert len(pd.read_parquet(tmp_path / "p")) == len(out) - len(data)
    assert "wrote" in capsys.readouterr().err
    # An existing output, a file-only option, a missing input, an unsupported method.
    assert main([*argv, "--dask", address]) == 2
    assert main([*argv, "--dask", address, "-f", "--plot", str(tmp_path / "a.png")]) == 2
    missing = ["resample", str(tmp_path / "nope"), "-o", str(tmp_path / "o2"), "-t", "label"]
    assert main([*missing, "--dask", address]) == 1
    assert (
        main([*argv[:3], str(tmp_path / "o3"), "-t", "label", "--dask", address, "-m", "svm"]) == 1
    )
    err = capsys.readouterr().err
    assert "--plot is not available with --dask" in err
    assert f"choose one of {SUPPORTED_LIST}" in err

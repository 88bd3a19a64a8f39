"""smotekit.tutorial and ``smotekit tutorial``: the seed notebook's function and experiment."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors

from smotekit.cli import main
from smotekit.tutorial import SMOTE, format_table, make_data, run_experiment

FIGURES = [
    "raw_data.png",
    "smote_samples.png",
    "results_before_smote.png",
    "results_after_smote.png",
]


def _notebook_recipe():
    """The notebook's cells, verbatim, on NumPy's global state."""
    np.random.seed(1)
    mu2 = [0, 3]
    mu1 = [3, 2]
    sigma1 = [[1, 0], [0, 1]]
    sigma2 = [[0.2, 0], [0, 0.2]]
    n = 5000
    m = 50
    x1 = np.random.multivariate_normal(mu1, sigma1, size=n).T
    x2 = np.random.multivariate_normal(mu2, sigma2, size=m).T
    X_train = np.hstack([x1, x2])
    y_train = np.hstack([np.ones(n), -1 * np.ones(m)])
    xt1 = np.random.multivariate_normal(mu1, sigma1, size=1000).T
    xt2 = np.random.multivariate_normal(mu2, sigma2, size=1000).T
    X_test = np.hstack([xt1, xt2])
    y_test = np.hstack([np.ones(1000), -1 * np.ones(1000)])
    return x1, x2, X_train, y_train, X_test, y_test


@pytest.fixture(scope="module")
def result():
    return run_experiment()


def test_data_is_the_notebooks(result):
    state = np.random.get_state()
    try:
        expected = _notebook_recipe()
    finally:
        np.random.set_state(state)
    for name, want in zip(
        ["x1", "x2", "X_train", "y_train", "X_test", "y_test"], expected, strict=True
    ):
        np.testing.assert_array_equal(getattr(make_data(), name), want, err_msg=name)
        np.testing.assert_array_equal(getattr(result.data, name), want, err_msg=name)
    assert make_data().x2.shape == (2, 50)


def test_make_data_leaves_global_state_alone():
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    make_data()
    assert np.random.random() == before


def test_experiment_is_the_notebooks_run(result):
    """The whole notebook on the global state, SMOTE included, gives the same samples and scores."""
    state = np.random.get_state()
    try:
        _, x2, X_train, y_train, X_test, y_test = _notebook_recipe()
        model = LogisticRegression().fit(X_train.T, y_train)
        before_test = metrics.accuracy_score(y_test, model.predict(X_test.T))
        xs = SMOTE(x2, 5, 0.5, 3000).T  # random_state=None: the global stream, as in the notebook
    finally:
        np.random.set_state(state)
    np.testing.assert_array_equal(result.synthetic, xs)
    assert result.before.test_accuracy == before_test
    model = LogisticRegression().fit(
        np.hstack([X_train, xs]).T, np.hstack([y_train, -1 * np.ones(3000)])
    )
    fpr, tpr, _ = metrics.roc_curve(y_test, model.predict(X_test.T))
    assert result.after.test_auroc == metrics.auc(fpr, tpr)
    assert result.after.test_accuracy == metrics.accuracy_score(y_test, model.predict(X_test.T))


def test_scores_are_in_the_expected_ranges(result):
    assert 0.78 <= result.before.test_accuracy <= 0.86
    assert result.after.test_accuracy >= 0.95
    assert result.before.train_accuracy > 0.99
    # The notebook's "AUROC" from hard labels is balanced accuracy.
    data = result.data
    for stage in ("before", "after"):
        for part, y in (("train", data.y_train), ("test", data.y_test)):
            balanced = metrics.balanced_accuracy_score(y, result.predictions[f"{stage}_{part}"])
            auroc = getattr(getattr(result, stage), f"{part}_auroc")
            assert auroc == pytest.approx(balanced, abs=1e-12)


def test_format_table(result):
    lines = format_table(result).splitlines()
    header = [cell.strip() for cell in re.split(r"\s{2,}", lines[0].strip())]
    assert header == ["Train accuracy", "Test accuracy", "Train AUROC", "Test AUROC"]
    assert lines[1].startswith("before SMOTE") and f"{result.before.test_accuracy:.4f}" in lines[1]
    assert lines[2].startswith("after SMOTE") and f"{result.after.test_accuracy:.4f}" in lines[2]
    assert "balanced accuracy" in lines[-1]


def _on_some_segment(X_rows, neighbors, samples, a, tol=1e-9):
    """Each sample lies on a segment x_i -> x_j, j among i's neighbours, at a fraction in [0, a]."""
    base = np.repeat(X_rows, neighbors.shape[1], axis=0)  # (m*k, d)
    diff = X_rows[neighbors.ravel()] - base
    rel = samples[:, None, :] - base[None, :, :]  # (n, m*k, d)
    t = (rel * diff[None]).sum(-1) / (diff * diff).sum(-1)[None]
    resid = np.linalg.norm(rel - t[..., None] * diff[None], axis=-1)
    ok = (resid <= tol * (1 + np.abs(base).max())) & (t >= -tol) & (t <= a + tol)
    return ok.any(axis=1)


def test_every_sample_on_a_neighbour_segment(result):
    x2 = result.data.x2
    nn = NearestNeighbors(n_neighbors=6).fit(x2.T)
    idx = nn.kneighbors(x2.T, return_distance=False)
    neighbors = np.array([[j for j in row if j != i][:5] for i, row in enumerate(idx)])
    assert _on_some_segment(x2.T, neighbors, result.synthetic.T, a=0.5).all()


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n_features=st.integers(1, 4),
    n_samples=st.integers(2, 12),
    a=st.floats(0.01, 1.0),
    data=st.data(),
)
def test_property_segments_shape_and_input_untouched(seed, n_features, n_samples, a, data):
    k = data.draw(st.integers(1, n_samples - 1))
    num = data.draw(st.integers(0, 30))
    X = np.random.RandomState(seed).normal(size=(n_features, n_samples))
    copy = X.copy()
    out = SMOTE(X, k, a, num, random_state=seed)
    assert out.shape == (num, n_features)
    np.testing.assert_array_equal(X, copy)
    nn = NearestNeighbors(n_neighbors=n_samples).fit(X.T)
    dist, idx = nn.kneighbors(X.T)
    # Ties at the k-th distance make any tied point a valid neighbour: allow all of them.
    kth = np.array(
        [np.sort(np.delete(dist[i], np.where(idx[i] == i)[0][:1]))[k - 1] for i in range(n_samples)]
    )
    allowed = [
        [
            j
            for j in range(n_samples)
            if j != i and np.linalg.norm(X[:, j] - X[:, i]) <= kth[i] + 1e-12
        ]
        for i in range(n_samples)
    ]
    width = max(len(r) for r in allowed)
    neighbors = np.array([r + [r[0]] * (width - len(r)) for r in allowed])
    if num:
        assert _on_some_segment(X.T, neighbors, out, a=a).all()


def test_global_state_when_no_random_state():
    X = np.random.RandomState(0).normal(size=(2, 20))
    np.random.seed(1)
    first = SMOTE(X, 3, 1.0, 10)
    np.random.seed(1)
    np.testing.assert_array_equal(SMOTE(X, 3, 1.0, 10), first)


def test_integer_input_and_list_input():
    X = [[0, 1, 0, 1], [0, 0, 1, 1]]
    out = SMOTE(X, 2, 1.0, 7, random_state=0)
    assert out.shape == (7, 2) and out.dtype == np.float64
    assert ((out >= 0) & (out <= 1)).all()


@pytest.mark.parametrize(
    ("X", "args", "error", "match"),
    [
        (None, (5, 0.0, 10), ValueError, r"a=0\.0 is out of range.*\(0, 1\]"),
        (None, (5, -0.5, 10), ValueError, r"a=-0\.5 is out of range"),
        (None, (5, 1.5, 10), ValueError, r"a=1\.5 is out of range"),
        (None, (5, "half", 10), TypeError, r"a must be a number"),
        (None, (5, 0.5, -1), ValueError, r"num_samples=-1 is negative"),
        (None, (5, 0.5, 2.5), TypeError, r"num_samples must be a non-negative integer"),
        (None, (0, 0.5, 10), ValueError, r"k=0 must be a positive integer"),
        (None, (2.0, 0.5, 10), ValueError, r"k=2\.0 must be a positive integer"),
        (None, (20, 0.5, 10), ValueError, r"k=20 is too large: X has 20 samples.*at most 19"),
        (np.full((2, 1), 1.0), (1, 0.5, 10), ValueError, r"k=1 is too large: X has 1 sample "),
        ("nan", (5, 0.5, 10), ValueError, r"X contains a missing value \(NaN; first at row 1, col"),
        ("inf", (5, 0.5, 10), ValueError, r"X contains an infinite value"),
        (np.array([["a", "b"], ["c", "d"]]), (1, 0.5, 3), TypeError, r"X must be numeric"),
        (np.array([[1, None], [2, 3]], dtype=object), (1, 0.5, 3), TypeError, r"X must be numeric"),
        (np.empty((2, 0)), (1, 0.5, 3), ValueError, r"X is empty \(shape \(2, 0\)\)"),
        (np.arange(5.0), (1, 0.5, 3), ValueError, r"X must be 2-D \(n_features, n_samples\)"),
        ([[1.0, 2.0], [3.0]], (1, 0.5, 3), TypeError, r"X could not be read as an array"),
    ],
)
def test_bad_input_names_the_parameter(X, args, error, match):
    if X is None or isinstance(X, str):
        bad = X
        X = np.random.RandomState(0).normal(size=(2, 20))
        if bad is not None:
            X[1, 3] = np.nan if bad == "nan" else np.inf
    with pytest.raises(error, match=match):
        SMOTE(X, *args)


def test_cli_tutorial(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["tutorial", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert "Train accuracy" in lines[0] and "Test AUROC" in lines[0]
    before = float(lines[1].split()[3])  # "before SMOTE  train test ..." -> test accuracy
    after = float(lines[2].split()[3])
    assert 0.78 <= before <= 0.86
    assert after >= 0.95
    assert "balanced accuracy" in printed
    assert str(out) in printed
    for name in ["results.csv", *FIGURES]:
        path = out / name
        assert path.stat().st_size > 0, name
        if name.endswith(".png"):
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left
    csv = (out / "results.csv").read_text().splitlines()
    assert csv[0] == "stage,train_accuracy,test_accuracy,train_auroc,test_auroc"
    assert abs(float(csv[1].split(",")[2]) - before) <= 5e-5  # the table rounds to 4 places


def test_cli_tutorial_no_figures_and_bad_out(tmp_path, capsys):
    out = tmp_path / "nested" / "dir"
    assert main(["tutorial", "--out", str(out), "--no-figures", "--no-answers"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["results.csv"]
    capsys.readouterr()
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep")
    assert main(["tutorial", "--out", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "is a file" in err and len(err.strip().splitlines()) == 1
    assert a_file.read_text() == "keep"


def test_python_m_smotekit_tutorial(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "smotekit",
            "tutorial",
            "--out",
            str(tmp_path / "t"),
            "--no-figures",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "before SMOTE" in proc.stdout and "after SMOTE" in proc.stdout
    assert (tmp_path / "t" / "results.csv").is_file()


def test_cli_tutorial_without_matplotlib(tmp_path, capsys, monkeypatch):
    import smotekit.tutorial

    def missing(module, extra):
        raise ImportError(f"Missing optional dependency 'matplotlib'. Install it with: {extra}")

    monkeypatch.setattr(smotekit.tutorial, "import_optional", missing)
    out = tmp_path / "never"
    assert main(["tutorial", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "matplotlib" in err and "--no-figures" in err
    assert not out.exists()  # nothing half-written


def test_import_is_light():
    code = (
        "import sys, smotekit.tutorial; "
        "print(sorted(m for m in ('matplotlib', 'sklearn', 'imblearn') if m in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert proc.stdout.strip() == "[]"

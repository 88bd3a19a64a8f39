"""``smotekit evaluate`` over many data sets: resumable runs, output folder rules, exit codes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smotekit.cli import main
from smotekit.cli._errors import UsageError
from smotekit.cli._evaluate import _shipped_names

RUN = [
    "evaluate",
    "--dataset",
    "glass0,glass1,ecoli1,ecoli2,haberman",
    "--classifiers",
    "logreg",
    "--strategies",
    "none,threshold,smote",
    "--folds",
    "2",
    "--repeats",
    "1",
    "--no-figures",
]
N_UNITS = 5 * 3
STAT_FILES = ["summary.csv", "ranks.csv", "friedman.csv", "versus.csv", "nemenyi.csv"]


def _parts(out: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (out / "parts").glob("*/*.csv")}


def _same_tables(a: Path, b: Path) -> None:
    left = pd.read_csv(a / "results.csv").drop(columns="fit_seconds")
    right = pd.read_csv(b / "results.csv").drop(columns="fit_seconds")
    pd.testing.assert_frame_equal(left, right)
    for name in STAT_FILES:
        pd.testing.assert_frame_equal(pd.read_csv(a / name), pd.read_csv(b / name))
    assert (a / "report.md").read_text() == (b / "report.md").read_text()


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_tables(tmp_path, capsys):
    killed = tmp_path / "killed"
    command = [sys.executable, "-m", "smotekit", *RUN, "--n-jobs", "2", "--out", str(killed)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    try:
        while not _parts(killed) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        with contextlib.suppress(ProcessLookupError):  # it ended early: the assert says how
            os.killpg(process.pid, signal.SIGKILL)  # the run and its worker processes, at once
        process.wait()
    before = _parts(killed)
    assert 0 < len(before) < N_UNITS, f"the kill landed after {len(before)} units"

    assert main([*RUN, "--out", str(killed), "--resume"]) == 0
    err = capsys.readouterr().err
    assert f"{len(before)} units reused" in err
    after = _parts(killed)
    assert len(after) == N_UNITS
    assert all(after[p] == t for p, t in before.items()), "a finished unit was computed again"

    whole = tmp_path / "whole"
    assert main([*RUN, "--out", str(whole)]) == 0
    _same_tables(killed, whole)
    # resuming a finished run computes nothing and changes nothing
    assert main([*RUN, "--out", str(whole), "--resume"]) == 0
    assert f"{N_UNITS} units reused" in capsys.readouterr().err
    _same_tables(killed, whole)


SMALL = [
    "evaluate",
    "--dataset",
    "glass1,ecoli1,haberman",
    "--classifiers",
    "logreg",
    "--strategies",
    "none,threshold",
    "--folds",
    "2",
    "--repeats",
    "1",
    "--no-figures",
]


def test_resume_refuses_other_settings_and_versions(tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*SMALL, "--out", str(out)]) == 0
    capsys.readouterr()
    changed = [a if a != "2" else "3" for a in SMALL]  # --folds 3
    assert main([*changed, "--out", str(out), "--resume"]) == 2
    err = capsys.readouterr().err
    assert "folds was 2, now 3" in err and "--force" in err
    run = json.loads((out / "run.json").read_text())
    run["config"]["versions"]["scikit-learn"] = "0.1"
    (out / "run.json").write_text(json.dumps(run))
    assert main([*SMALL, "--out", str(out), "--resume"]) == 2
    assert "scikit-learn 0.1 then" in capsys.readouterr().err
    # --force starts again: a fresh record, this command's files only
    (out / "notes.txt").write_text("mine")
    assert main([*SMALL, "--out", str(out), "--force"]) == 0
    assert json.loads((out / "run.json").read_text())["config"]["versions"]["scikit-learn"] != "0.1"
    assert (out / "notes.txt").read_text() == "mine"


def test_out_must_be_a_new_or_empty_folder(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main([*SMALL, "--out", str(afile)]) == 2  # was a FileExistsError traceback
    assert "is a file" in capsys.readouterr().err
    assert afile.read_text() == "x"
    used = tmp_path / "used"
    used.mkdir()
    (used / "report.md").write_text("an older report")
    assert main([*SMALL, "--out", str(used)]) == 2  # was overwritten silently
    assert "--force" in capsys.readouterr().err
    assert (used / "report.md").read_text() == "an older report"
    run = tmp_path / "run"
    assert main([*SMALL, "--out", str(run)]) == 0
    assert main([*SMALL, "--out", str(run)]) == 2
    assert "--resume" in capsys.readouterr().err


def test_unwritable_out_is_one_line(tmp_path, capsys, monkeypatch):
    # root ignores permission bits: make the first write fail as on a read-only folder
    from smotekit.evaluation import _runs

    def denied(path, text):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(_runs, "atomic_write_text", denied)
    assert main([*SMALL, "--out", str(tmp_path / "ro")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out" in err and "Permission denied" in err


def test_bad_options_exit_2_naming_the_option(tmp_path, capsys):
    out = tmp_path / "out"
    cases = [
        (["--strategies", ""], "--strategies"),  # was a KeyError, and a partial folder
        (["--n-jobs", "0"], "--n-jobs 0"),  # was exit 1 with joblib's message
        (["--random-state", "-1"], "--random-state -1"),  # was exit 1 with numpy's message
        (["--random-state", str(2**32)], "--random-state"),
        (["--classifiers", ""], "--classifiers"),
        (["--baselines", "smote"], "--baselines"),
        (["--dataset", "nope*"], "matches no shipped data set"),
    ]
    for extra, named in cases:
        assert main([*SMALL, *extra, "--out", str(out)]) == 2, extra
        err = capsys.readouterr().err
        assert named in err and err.count("\n") == 1, err
        assert not out.exists()


def test_every_fit_failing_is_an_error(tmp_path, capsys):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(rng.normal(size=(66, 2)), columns=["a", "b"])
    frame["y"] = [1] * 6 + [0] * 60  # 3 minority rows per training fold: SMOTE needs 6
    path = tmp_path / "tiny.csv"
    frame.to_csv(path, index=False)
    args = ["evaluate", "--data", str(path), "--target", "y", "--folds", "2", "--repeats", "1"]
    args += ["--classifiers", "logreg", "--strategies", "smote", "--no-figures"]
    assert main([*args, "--out", str(tmp_path / "ev")]) == 1  # was 0
    err = capsys.readouterr().err
    assert "every one of the 2 fits failed" in err and "k_neighbors" in err
    assert (tmp_path / "ev" / "results.csv").exists()


def test_data_file_messages(tmp_path, capsys):
    frame = pd.DataFrame({"a": np.arange(20.0), "label": [1] * 20})
    single = tmp_path / "one.csv"
    frame.to_csv(single, index=False)
    assert main(["evaluate", "--data", str(single), "--target", "label"]) == 1
    err = capsys.readouterr().err
    assert "a single class (1)" in err and "one.csv" in err and "1 classes" not in err
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("a,label\ncafé,1\nthé,0\n".encode("latin-1"))
    assert main(["evaluate", "--data", str(latin), "--target", "label"]) == 1
    err = capsys.readouterr().err
    assert str(latin) in err and "UTF-8" in err and err.count("\n") == 1


def test_nested_parquet_columns_are_named(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    n = 40
    for name, column in [("nest", "nest"), ("label_list", "label")]:
        data = {"a": np.arange(n, dtype=float), "nest": [[i, i + 1] for i in range(n)]}
        data["label"] = [1] * 8 + [0] * 32
        if name == "label_list":
            data = {"a": data["a"], "label": [[v] for v in data["label"]]}
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pa.table(data), path)
        assert main(["evaluate", "--data", str(path), "--target", "label"]) == 1  # a TypeError
        err = capsys.readouterr().err
        assert f"column {column!r} holds nested values" in err and err.count("\n") == 1


def test_dataset_selection():
    assert _shipped_names(["ecoli1,glass*", "ecoli1"])[:2] == ["ecoli1", "glass_0_4_vs_5"]
    assert len(_shipped_names(["glass*"])) == 13
    every = _shipped_names(["all"])
    assert len(every) > 100 and "sylva" in every and "tutorial" not in every
    assert _shipped_names(["tutorial"]) == ["tutorial"]
    with pytest.raises(UsageError, match="Did you mean: ecoli_0_3_4_vs_5"):
        _shipped_names(["ecoli"])


def test_unusable_data_sets_are_skipped_with_the_reason():
    from smotekit.evaluation._runs import RunConfig, Source, unusable

    names = ["german", "hypothyroid", "not-shipped"]
    config = RunConfig(tuple(Source(n) for n in names), ("logreg",), ("none",), 5, 1, 0)
    reasons = unusable(config)
    assert reasons["german"].startswith("1 minority row, fewer than the 5 folds")
    # hypothyroid's loader failed under pandas 3 (a string column given integers)
    assert "hypothyroid" not in reasons
    assert reasons["not-shipped"].startswith("cannot be loaded (ValueError")


def test_unit_error_keeps_the_others_and_resume_retries(tmp_path, capsys, monkeypatch):
    from smotekit.evaluation import _runs

    real = _runs.evaluate

    def flaky(dataset, **kwargs):
        if dataset.name == "ecoli1" and kwargs["strategies"] == ["threshold"]:
            raise MemoryError("out of memory")
        return real(dataset, **kwargs)

    out = tmp_path / "run"
    monkeypatch.setattr(_runs, "evaluate", flaky)
    assert main([*SMALL, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "ecoli1 / threshold: MemoryError" in err and "--resume" in err
    assert len(_parts(out)) == 5
    report = (out / "report.md").read_text()
    assert "Incomplete run" in report and "ecoli1/threshold" in report
    monkeypatch.setattr(_runs, "evaluate", real)
    assert main([*SMALL, "--out", str(out), "--resume"]) == 0
    assert "5 units reused" in capsys.readouterr().err
    assert "Incomplete run" not in (out / "report.md").read_text()


def test_report_for_many_data_sets(tmp_path, capsys):
    out = tmp_path / "run"
    args = [a if a != "none,threshold" else "none,threshold,kmeans_smote" for a in SMALL]
    assert main([*args[:-1], "--out", str(out)]) == 0  # with figures
    printed = capsys.readouterr().out
    assert "mean rank over 3 data sets" in printed and "against none (Wilcoxon" in printed
    report = (out / "report.md").read_text()
    for heading in ["## Reading", "### Against `none`", "### Against `threshold`", "## Per metric"]:
        assert heading in report
    assert "Only 3 data sets" in report  # the tests have little power: said so
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert figures == sorted([f"cd_{m}.png" for m in _metrics()] + ["ranks.png"])
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == len(figures)
    # the report can be rewritten from the saved run, with another baseline
    again = ["evaluate", "--report-only", "--out", str(out), "--baselines", "none", "--no-figures"]
    assert main(again) == 0
    assert "### Against `threshold`" not in (out / "report.md").read_text()
    assert main(["evaluate", "--report-only", "--out", str(tmp_path / "nothing")]) == 2


def _metrics():
    from smotekit.evaluation import METRICS

    return list(METRICS)

"""The command-line items of shared/docs/HARD-INPUTS.md (A3, A7, A8, B, C, E), one test each.

Every failure is one line on stderr with the right exit code, leaves the previous output and no
temporary file; original CSV records reach the output byte for byte.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from smotekit import SMOTE
from smotekit.cli import _stream, _synthesis, main
from smotekit.io import _csv, _formats

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def fails(capsys, expected_code, *argv):
    """Run a command that must fail; returns its one-line message."""
    code, _, err = run_cli(capsys, *argv)
    assert code == expected_code, err
    assert err.count("\n") == 1 and ": error: " in err, err
    return err


def numeric_csv(path, n=60, minority=10, seed=0, newline="\n"):
    rng = np.random.RandomState(seed)
    lines = ["a,b,label"] + [
        f"{rng.normal():.3f},{rng.normal():.4f},{1 if i < minority else 0}" for i in range(n)
    ]
    path.write_bytes(newline.join(lines).encode() + newline.encode())
    return path


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


# -- A3: signals -------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("swallow", ["silently", "as TypeError"])
def test_a_signal_whose_exception_a_library_swallows_still_ends_the_run(
    tmp_path, capsys, monkeypatch, sig, swallow
):
    src = numeric_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    check = _stream.missing_mask

    def signalled(*args):
        # The signal arrives while library code runs that catches KeyboardInterrupt (a
        # finaliser) or turns it into another error (pyarrow's argument conversion).
        try:
            os.kill(os.getpid(), sig)
            time.sleep(0.05)  # the handler runs here
        except KeyboardInterrupt:
            if swallow == "as TypeError":
                raise TypeError("Got unexpected argument type <class 'int'>") from None
        return check(*args)

    monkeypatch.setattr(_stream, "missing_mask", signalled)
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "label")
    assert code == 128 + sig, err
    assert err.count("\n") == 1 and "interrupted" in err
    assert listing(tmp_path) == ["in.csv"]


SIGNAL_EARLY = textwrap.dedent(
    """
    import sys
    import time
    import smotekit.io._csv as csv
    csv.CSV_BLOCK_BYTES = 4096  # many blocks: a first pass long enough to be signalled in
    blocks = csv.CsvSource.blocks
    def announced(self, *args):
        for i, block in enumerate(blocks(self, *args)):
            if i == 3:
                print("READING", file=sys.stderr, flush=True)
                # Wait here for the signal: on a loaded machine the rest of the run could
                # otherwise finish before the test's signal arrives.
                time.sleep(60)
            yield block
    csv.CsvSource.blocks = announced
    from smotekit.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_early_in_the_first_pass_exits_with_its_code(tmp_path, sig):
    src = numeric_csv(tmp_path / "in.csv", n=40000, minority=4000)
    out = tmp_path / "out.csv"
    command = [sys.executable, "-c", SIGNAL_EARLY, "resample", src, "-o", out, "-t", "label"]
    proc = subprocess.Popen([str(a) for a in command], stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stderr.readline().strip() == "READING"
        proc.send_signal(sig)
        code = proc.wait(timeout=120)
        err = proc.stderr.read()
    finally:
        proc.kill()
    assert code == 128 + sig, err
    assert err.count("\n") == 1 and "interrupted" in err and "Traceback" not in err
    assert listing(tmp_path) == ["in.csv"]


# -- A7: a stray string in a numeric column --------------------------------------------------


def stray_csv(path, at, n=60):
    rng = np.random.RandomState(1)
    rows = [f"{rng.normal():.3f},{rng.normal():.3f},{int(i < 12)}" for i in range(n)]
    rows[at] = rows[at].split(",")[0] + ",oops," + rows[at].split(",")[2]
    path.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("command", ["resample", "inspect"])
def test_a_stray_string_in_a_numeric_column_is_an_error_naming_it(tmp_path, capsys, command):
    src = stray_csv(tmp_path / "in.csv", at=5)
    argv = [command, src, "-t", "label"] + (
        ["-o", tmp_path / "o.csv"] if command == "resample" else []
    )
    err = fails(capsys, 1, *argv)
    assert "column 'b'" in err and "'oops'" in err and "data row 6 (line 7)" in err
    assert "--categorical b" in err
    assert listing(tmp_path) == ["in.csv"]


def test_a_stray_string_beyond_the_first_block_is_the_same_error(tmp_path, capsys, monkeypatch):
    src = stray_csv(tmp_path / "in.csv", at=250, n=300)
    monkeypatch.setattr(_csv, "CSV_BLOCK_BYTES", 1024)
    err = fails(capsys, 1, "resample", src, "-o", tmp_path / "o.csv", "-t", "label")
    assert "column 'b'" in err and "'oops'" in err and "data row 251 (line 252)" in err
    assert "--categorical b" in err and "#" not in err
    assert listing(tmp_path) == ["in.csv"]


def test_a_decimal_in_an_integer_column_beyond_the_first_block(tmp_path, capsys, monkeypatch):
    src = tmp_path / "in.csv"
    rows = [f"{i},{i % 7},{int(i < 40)}" for i in range(300)]
    rows[200] = "200,1.5,0"
    src.write_text("a,n,label\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr(_csv, "CSV_BLOCK_BYTES", 1024)
    err = fails(capsys, 1, "resample", src, "-o", tmp_path / "o.csv", "-t", "label")
    assert "column 'n'" in err and "integers" in err and "'1.5'" in err and "data row 201" in err


def test_naming_the_stray_column_categorical_runs_smotenc(tmp_path, capsys):
    src = stray_csv(tmp_path / "in.csv", at=5)
    out = tmp_path / "o.csv"
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "label", "--categorical", "b")
    assert code == 0, err
    original_b = {line.split(",")[1] for line in src.read_text().splitlines()[1:]}
    synthetic = out.read_text().splitlines()[61:]
    assert synthetic and {line.split(",")[1] for line in synthetic} <= original_b


# -- A8: original records copied as they were -----------------------------------------------


def styled_csv(path):
    """CRLF line breaks, a byte-order mark, zero-padded codes, trailing zeros, labels 0.0/1.0,
    needless quotes, a quoted line break and a quote inside an unquoted value."""
    rng = np.random.RandomState(2)
    lines = ["\ufeffx,zip,colour,label"]
    colours = ['"red"', "green", '"dark, blue"', 'say "hi"', '"two\r\nlines"']
    for i in range(80):
        lines.append(
            f"{rng.normal():.3f}0,0{2100 + i % 4},{colours[i % 5]},{'1.0' if i < 15 else '0.0'}"
        )
    path.write_bytes("\r\n".join(lines).encode() + b"\r\n")
    return path


def test_original_records_are_copied_byte_for_byte(tmp_path, capsys):
    src = styled_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "label")
    assert code == 0, err
    data, original = out.read_bytes(), src.read_bytes()
    assert data.startswith(original)
    synthetic = data[len(original) :].decode()
    assert synthetic.endswith("\r\n") and "\n" not in synthetic.replace("\r\n", "")
    table = pacsv.read_csv(
        pa.py_buffer(synthetic.encode()),
        read_options=pacsv.ReadOptions(column_names=["x", "zip", "colour", "label"]),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={"zip": pa.string(), "label": pa.string()}
        ),
    )
    assert table.num_rows == 65 - 15
    assert set(table["label"].to_pylist()) == {"1.0"}  # the input's spelling, not 1
    assert set(table["zip"].to_pylist()) <= {"02100", "02101", "02102", "02103"}
    colours = {"red", "green", "dark, blue", 'say "hi"', "two\r\nlines"}
    assert set(table["colour"].to_pylist()) <= colours
    assert '"red"' not in synthetic  # quoted only where needed
    if "dark, blue" in table["colour"].to_pylist():
        assert '"dark, blue"' in synthetic


def test_mark_and_nan_drop_keep_the_other_records_exactly(tmp_path, capsys):
    src = numeric_csv(tmp_path / "in.csv", newline="\r\n")
    lines = src.read_bytes().split(b"\r\n")
    lines[3] = lines[3].split(b",")[0] + b",,0"  # a missing value, dropped
    src.write_bytes(b"\r\n".join(lines))
    out = tmp_path / "out.csv"
    argv = ["resample", src, "-o", out, "-t", "label", "--mark-synthetic", "new", "--nan", "drop"]
    code, _, err = run_cli(capsys, *argv)
    assert code == 0, err
    expected = [line + b",false" for line in lines[:-1] if line != lines[3]]
    expected[0] = b"a,b,label,new"
    got = out.read_bytes().split(b"\r\n")
    assert got[: len(expected)] == expected
    assert all(line.endswith(b",true") for line in got[len(expected) : -1])


def test_numeric_csv_keeps_its_text_and_equals_fit_resample(tmp_path, capsys):
    src = tmp_path / "in.csv"
    rng = np.random.RandomState(3)
    X = np.round(rng.normal(size=(70, 2)), 1)
    y = np.r_[np.zeros(55, int), np.ones(15, int)]
    rows = [f"{a:.3f},{b:.3f},{c}\n" for (a, b), c in zip(X, y, strict=True)]
    src.write_text("p,q,y\n" + "".join(rows))
    out = tmp_path / "out.csv"
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "y", "--seed", "4")
    assert code == 0, err
    assert out.read_text().startswith(src.read_text())  # 0.500 stays 0.500
    result = pacsv.read_csv(out)
    X_exp, y_exp = SMOTE(random_state=4).fit_resample(X, y)
    np.testing.assert_array_equal(np.column_stack([result["p"], result["q"]]), X_exp)
    np.testing.assert_array_equal(result["y"].to_numpy(), y_exp)


def test_delimiter_option_and_a_helpful_error_when_the_guess_is_wrong(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(numeric_csv(tmp_path / "x.csv").read_text().replace(",", ";"))
    out = tmp_path / "out.csv"
    err = fails(capsys, 2, "resample", src, "-o", out, "-t", "label")
    assert "single column" in err and "--delimiter ';'" in err
    err = fails(capsys, 2, "inspect", src, "-t", "label")
    assert "--delimiter ';'" in err
    code, _, err = run_cli(capsys, "resample", src, "-o", out, "-t", "label", "--delimiter", ";")
    assert code == 0, err
    text = out.read_text()
    assert text.startswith(src.read_text()) and "," not in text  # written in the input's style
    err = fails(capsys, 2, "resample", src, "-o", out, "-t", "label", "--delimiter", ";;", "-f")
    assert "--delimiter" in err


# -- B: files that used to end in a traceback -------------------------------------------------


def test_latin1_csv_is_an_error_naming_the_encoding_or_read_with_encoding(tmp_path, capsys):
    src = tmp_path / "latin1.csv"
    rows = "".join(f"{i},caf\u00e9{i % 3},{int(i < 10)}\n" for i in range(60))
    src.write_bytes(("a,name,label\n" + rows).encode("latin-1"))
    out = tmp_path / "o.csv"
    err = fails(capsys, 1, "resample", src, "-o", out, "-t", "label")
    assert "latin1.csv" in err and "utf-8" in err and "0xe9" in err and "line 2" in err
    assert "--encoding" in err
    code, _, err = run_cli(
        capsys, "resample", src, "-o", out, "-t", "label", "--encoding", "latin-1"
    )
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(src.read_bytes())
    assert set(data.decode("latin-1").splitlines()[61:]) and "caf\u00e9" in data.decode("latin-1")
    err = fails(capsys, 2, "inspect", src, "-t", "label", "--encoding", "klingon")
    assert "--encoding" in err


@pytest.mark.parametrize("ext", ["csv", "parquet"])
@pytest.mark.parametrize("command", ["resample", "inspect"])
def test_duplicate_column_names(tmp_path, capsys, ext, command):
    table = pa.Table.from_arrays(
        [pa.array(np.arange(20.0)), pa.array(np.arange(20.0)), pa.array([0] * 15 + [1] * 5)],
        names=["a", "a", "label"],
    )
    src = tmp_path / f"dup.{ext}"
    pq.write_table(table, src) if ext == "parquet" else pacsv.write_csv(table, src)
    out = ["-o", tmp_path / "o.csv"] if command == "resample" else []
    err = fails(capsys, 1, command, src, "-t", "label", *out)
    assert f"dup.{ext}" in err and "'a'" in err and "rename" in err


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("tags", [[1], [2, 3]] * 10),
        ("point", [{"x": 1}, {"x": 2}] * 10),
        ("label", [[0], [1]] * 10),
    ],
)
@pytest.mark.parametrize("command", ["resample", "inspect"])
def test_nested_parquet_columns_and_targets(tmp_path, capsys, column, values, command):
    table = {"a": np.arange(20.0), "label": [0] * 15 + [1] * 5}
    table[column] = values
    src = tmp_path / "nested.parquet"
    pq.write_table(pa.table(table), src)
    out = ["-o", tmp_path / "o.csv"] if command == "resample" else []
    err = fails(capsys, 1, command, src, "-t", "label", *out)
    assert f"column '{column}'" in err and "flat" in err


def make_read_only(folder):
    """Make ``folder`` read-only even for root (immutable), or skip."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if done.returncode:
        pytest.skip("cannot make a folder read-only for root here")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_output_folder(tmp_path, capsys):
    src = numeric_csv(tmp_path / "in.csv")
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "o.csv").write_text("previous")
    undo = make_read_only(folder)
    try:
        err = fails(capsys, 2, "resample", src, "-o", folder / "o.csv", "-t", "label", "-f")
    finally:
        undo()
    assert "'" + str(folder) + "'" in err and "not writable" in err
    assert listing(folder) == ["o.csv"] and (folder / "o.csv").read_text() == "previous"


def test_a_write_that_fails_midway_is_one_line_naming_the_output(tmp_path, capsys, monkeypatch):
    src = numeric_csv(tmp_path / "in.csv")
    out = tmp_path / "o.csv"
    out.write_text("previous")

    def full(*args, **kwargs):
        raise OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")

    monkeypatch.setattr(_formats, "csv_rows", full)  # the synthetic rows hit a full disk
    err = fails(capsys, 1, "resample", src, "-o", out, "-t", "label", "-f")
    assert f"cannot write '{out}'" in err and "No space left" in err and "free some space" in err
    assert out.read_text() == "previous" and listing(tmp_path) == ["in.csv", "o.csv"]


def test_disk_full_under_a_file_size_limit(tmp_path):
    src = numeric_csv(tmp_path / "in.csv", n=3000, minority=300)
    out = tmp_path / "o.csv"
    out.write_text("previous")

    def limit():  # the output may not grow beyond 40 kB, a tenth of what it needs
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    command = [sys.executable, "-m", "smotekit", "resample", src, "-o", out, "-t", "label", "-f"]
    done = subprocess.run(
        [str(a) for a in command], preexec_fn=limit, capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and f"cannot write '{out}'" in done.stderr
    assert "too large" in done.stderr
    assert out.read_text() == "previous" and listing(tmp_path) == ["in.csv", "o.csv"]


def test_disk_full_on_a_tiny_filesystem(tmp_path, capsys):
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)], capture_output=True
    )
    if os.geteuid() != 0 or mounted.returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        (folder / "o.csv").write_text("previous")
        src = numeric_csv(tmp_path / "in.csv", n=3000, minority=300)
        err = fails(capsys, 1, "resample", src, "-o", folder / "o.csv", "-t", "label", "-f")
        assert "No space left on device" in err and "o.csv" in err
        assert listing(folder) == ["o.csv"] and (folder / "o.csv").read_text() == "previous"
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_categorical_none_with_a_text_column(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("x,colour,label\n" + "".join(f"{i},c{i % 3},{int(i < 9)}\n" for i in range(40)))
    argv = ["resample", src, "-o", tmp_path / "o.csv", "-t", "label", "--categorical", "none"]
    err = fails(capsys, 2, *argv)
    assert "--categorical none" in err and "'colour'" in err


def test_inspect_with_a_missing_target_value(tmp_path, capsys):
    src = tmp_path / "in.csv"
    rows = [f"{i},{i * 2},{int(i < 10)}" for i in range(60)]
    rows[3] = "3,6,"
    src.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    code, out, err = run_cli(capsys, "inspect", src, "-t", "label", "-q")
    assert code == 0, err
    assert "rows without a class: 1" in out and "classes (2)" in out
    err = fails(capsys, 1, "resample", src, "-o", tmp_path / "o.csv", "-t", "label")
    assert "column 'label'" in err and "missing value" in err and "data row 4" in err


# -- C: exit codes and messages ---------------------------------------------------------------


def test_seed_beyond_numpy_range(tmp_path, capsys):
    src = numeric_csv(tmp_path / "in.csv")
    err = fails(
        capsys, 2, "resample", src, "-o", tmp_path / "o.csv", "-t", "label", "--seed", "4294967296"
    )
    assert "--seed" in err and "4294967295" in err


def test_infinity_is_not_called_missing(tmp_path, capsys):
    src = numeric_csv(tmp_path / "in.csv")
    lines = src.read_text().splitlines()
    lines[4] = "inf," + lines[4].split(",", 1)[1]
    src.write_text("\n".join(lines) + "\n")
    err = fails(capsys, 1, "resample", src, "-o", tmp_path / "o.csv", "-t", "label")
    assert "infinite value (inf)" in err and "column 'a'" in err and "data row 4" in err
    assert "missing" not in err


@pytest.mark.parametrize("strategy", ["nan", "inf", "-inf"])
def test_sampling_strategy_nan(tmp_path, capsys, strategy):
    src = numeric_csv(tmp_path / "in.csv")
    err = fails(
        capsys, 2, "resample", src, "-o", tmp_path / "o.csv", "-t", "label", f"-s={strategy}"
    )
    assert "--sampling-strategy" in err and "(0, 1]" in err


def test_kmeans_failure_advises_the_command_line(tmp_path, capsys):
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(400, 2))
    y = (np.arange(400) % 40 == 0).astype(int)  # a thin minority spread everywhere
    src = tmp_path / "in.csv"
    pacsv.write_csv(pa.table({"a": X[:, 0], "b": X[:, 1], "label": y}), src)
    err = fails(
        capsys,
        1,
        "resample",
        src,
        "-o",
        tmp_path / "o.csv",
        "-t",
        "label",
        "-m",
        "kmeans",
        "-k",
        "2",
    )
    assert "--method" in err and "cluster_balance_threshold (now" not in err


def test_smotenc_with_every_feature_categorical_says_smoten(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("c,d,label\n" + "".join(f"c{i % 3},d{i % 2},{int(i < 9)}\n" for i in range(40)))
    err = fails(
        capsys, 2, "resample", src, "-o", tmp_path / "o.csv", "-t", "label", "-m", "smotenc"
    )
    assert "--method smoten" in err and "smotekit.SMOTEN" not in err


def test_nan_drop_that_removes_a_whole_class(tmp_path, capsys):
    src = tmp_path / "in.csv"
    rows = [f"{i},{'' if i < 8 else i},{int(i < 8)}" for i in range(40)]
    src.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    argv = ["resample", src, "-o", tmp_path / "o.csv", "-t", "label", "--nan", "drop"]
    err = fails(capsys, 1, *argv)
    assert "--nan drop" in err and "class 1" in err and "missing value" in err
    assert "check --target" not in err


def test_an_unexpected_library_error_is_one_line(tmp_path, capsys, monkeypatch):
    src = numeric_csv(tmp_path / "in.csv")

    def broken(*args, **kwargs):
        raise IndexError("index 7 is out of bounds for axis 0 with size 7")

    monkeypatch.setattr(_synthesis, "column_arrays", broken)
    err = fails(capsys, 1, "resample", src, "-o", tmp_path / "o.csv", "-t", "label")
    assert "IndexError" in err and "report" in err
    assert listing(tmp_path) == ["in.csv"]


def test_huge_finite_values_end_without_a_traceback(tmp_path, capsys):
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(size=(20, 2)), rng.normal(size=(8, 2))] * 1e200
    src = tmp_path / "in.csv"
    pacsv.write_csv(pa.table({"a": X[:, 0], "b": X[:, 1], "label": [0] * 20 + [1] * 8}), src)
    code, _, err = run_cli(capsys, "resample", src, "-o", tmp_path / "o.csv", "-t", "label")
    assert code == 0 or err.count("\n") == 1, err


# -- E: minor ------------------------------------------------------------------------------------


def test_inspect_a_header_only_csv(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("a,b,label\n")
    err = fails(capsys, 1, "inspect", src, "-t", "label")
    assert "no data rows" in err and "-1 features" not in err


def test_a_class_given_twice(tmp_path, capsys):
    src = numeric_csv(tmp_path / "in.csv")
    err = fails(
        capsys, 2, "resample", src, "-o", tmp_path / "o.csv", "-t", "label", "-s", "1=30,1=40"
    )
    assert "class '1' is given twice" in err


def test_empty_mark_synthetic(tmp_path, capsys):
    src = numeric_csv(tmp_path / "in.csv")
    err = fails(
        capsys, 2, "resample", src, "-o", tmp_path / "o.csv", "-t", "label", "--mark-synthetic", ""
    )
    assert "--mark-synthetic" in err


def test_symbolic_link_outputs_need_force_and_are_written_through(tmp_path, capsys):
    src = numeric_csv(tmp_path / "in.csv")
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "real.csv")
    err = fails(capsys, 2, "resample", src, "-o", dangling, "-t", "label")
    assert "is a link" in err and "--force" in err
    code, _, err = run_cli(capsys, "resample", src, "-o", dangling, "-t", "label", "-f", "-q")
    assert code == 0, err
    assert dangling.is_symlink() and (tmp_path / "real.csv").read_bytes().startswith(
        src.read_bytes()
    )
    code, _, err = run_cli(
        capsys, "resample", src, "-o", dangling, "-t", "label", "-f", "-q", "-s", "0.5"
    )
    assert code == 0, err
    assert dangling.is_symlink() and len((tmp_path / "real.csv").read_text().splitlines()) == 76
    assert listing(tmp_path) == ["dangling.csv", "in.csv", "real.csv"]


def test_integers_beyond_2_53_stay_between_their_parents(tmp_path, capsys):
    rng = np.random.RandomState(0)
    big = 2**60 + rng.randint(0, 1000, size=60).astype(np.int64) * 2 + 1  # odd: not floats
    table = pa.table({"id": big, "x": rng.normal(size=60), "label": [0] * 45 + [1] * 15})
    src = tmp_path / "in.csv"
    pacsv.write_csv(table, src)
    out, prov = tmp_path / "o.csv", tmp_path / "p.csv"
    argv = ["resample", src, "-o", out, "-t", "label", "--provenance", prov, "-q"]
    code, _, err = run_cli(capsys, *argv)
    assert code == 0, err
    ids = pacsv.read_csv(out)["id"].to_numpy()
    assert (ids[:60] == big).all()
    records = pacsv.read_csv(prov)
    base, nbr = ids[records["base"].to_numpy()], ids[records["neighbor"].to_numpy()]
    new = ids[60:]
    assert ((np.minimum(base, nbr) <= new) & (new <= np.maximum(base, nbr))).all()
    assert new.max() <= big[45:].max() and new.min() >= big[45:].min()


def test_inspect_counts_infinite_values_apart_from_missing_ones(tmp_path, capsys):
    src = numeric_csv(tmp_path / "in.csv")
    lines = src.read_text().splitlines()
    lines[4] = "inf," + lines[4].split(",", 1)[1]
    lines[5] = "," + lines[5].split(",", 1)[1]
    src.write_text("\n".join(lines) + "\n")
    code, out, err = run_cli(capsys, "inspect", src, "-t", "label", "-q")
    assert code == 0, err
    assert "missing values: a: 1" in out and "infinite values: a: 1" in out

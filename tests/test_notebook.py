"""examples/smote_tutorial.ipynb runs headless here and prints the tutorial's scores."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from smotekit.tutorial import run_experiment

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "smote_tutorial.ipynb"
PRINTED = re.compile(r"^(Train accuracy|Test accuracy|Train AUROC|Test AUROC):\s+(\S+)$", re.M)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # One extra cell, ours, reports which interpreter the kernel runs on.
    nb.cells.append(nbformat.v4.new_code_cell("import sys\nprint('KERNEL', sys.executable)"))
    workdir = tmp_path_factory.mktemp("notebook")
    env_backend = os.environ.get("MPLBACKEND")
    # jupyter_client starts the "python3" kernel on sys.executable (this venv's interpreter).
    # The inline backend renders figures to PNG outputs with no display, whatever MPLBACKEND
    # the test run was given (Agg would run too, but show nothing to check).
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        NotebookClient(
            nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(workdir)}}
        ).execute()
    finally:
        if env_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backend
    return nb


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def test_kernel_is_this_interpreter(executed):
    printed = _stdout(executed.cells[-1])
    assert printed.startswith("KERNEL ")
    assert Path(printed.split(" ", 1)[1].strip()).resolve() == Path(sys.executable).resolve()


def test_no_cell_errors_and_smote_comes_from_smotekit(executed):
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    sources = "\n".join(c.source for c in executed.cells if c.cell_type == "code")
    assert "from smotekit.tutorial import SMOTE" in sources
    assert "##Code starts here ##" not in sources


def test_printed_accuracies_are_the_tutorials(executed):
    runs = [
        dict(PRINTED.findall(_stdout(c)))
        for c in executed.cells
        if c.cell_type == "code" and PRINTED.search(_stdout(c))
    ]
    # Before SMOTE the notebook prints train accuracy, then the rest in a second cell.
    before = {**runs[0], **runs[1]}
    after = runs[2]
    assert len(runs) == 3
    result = run_experiment()
    for printed, scores in ((before, result.before), (after, result.after)):
        assert float(printed["Train accuracy"]) == scores.train_accuracy
        assert float(printed["Test accuracy"]) == scores.test_accuracy
        assert float(printed["Train AUROC"]) == scores.train_auroc
        assert float(printed["Test AUROC"]) == scores.test_auroc
    assert 0.78 <= float(before["Test accuracy"]) <= 0.86
    assert float(after["Test accuracy"]) >= 0.95


def test_figures_are_drawn(executed):
    images = [
        sum("image/png" in o.get("data", {}) for o in c.outputs)
        for c in executed.cells
        if c.cell_type == "code"
    ]
    # raw data, results before (train, test), SMOTE samples, results after (train, test)
    assert [n for n in images if n] == [1, 2, 1, 2]

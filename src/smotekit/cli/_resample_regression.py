"""``smotekit resample --task regression``: grow the rare target values of a file.

The regression samplers (:mod:`smotekit.regression`) cut the whole target into rare and normal
bins before they draw anything, so the features and target are held in memory as float64 (the
file itself is read twice: once for the values, once to copy the kept rows). The output holds
the kept original rows, in file order and exactly as they were (a CSV's records byte for byte),
then the synthetic rows bin by bin from the lowest target, integer columns (and an integer
target) rounded to the nearest integer. Writing, signals, warnings and the summary line are
those of ``smotekit resample`` (:mod:`smotekit.cli._resample`).
"""

from __future__ import annotations

import argparse
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smotekit._registry import specs
from smotekit.cli._errors import DataError, UsageError
from smotekit.cli._stream import Job, Summary, closing

__all__ = [
    "REGRESSION_METHODS",
    "RegressionJob",
    "build_regression_sampler",
    "check_regression_options",
    "get_regression_method",
    "parse_regression_strategy",
    "regression_job",
]


# --method name -> sampler of smotekit.regression, and other spellings -> name: from the one
# registry, whose method names are also the strategies of ``smotekit evaluate --task regression``.
REGRESSION_METHODS = {m.name: spec.name for spec in specs("regression") for m in spec.methods}
_ALIASES = {a: m.name for spec in specs("regression") for m in spec.methods for a in m.aliases}

# Options of the classification path that a regression run cannot honour, with what to do.
_NOT_FOR_REGRESSION = {
    "dask": "--dask: --task regression reads the whole file into memory and does not run on "
    "Dask; leave out --dask",
    "plot": "--plot: --task regression draws no plot; leave out --plot",
}


def get_regression_method(name: str | None) -> str:
    """The regression method called ``name`` (default ``smoter``; ``-`` and ``_`` alike).

    Examples
    --------
    >>> get_regression_method("Random-Over")
    'random_over'
    """
    if name is None:
        return "smoter"
    key = name.lower().replace("-", "_")
    key = _ALIASES.get(key, key)
    if key not in REGRESSION_METHODS:
        raise UsageError(
            f"--method: '{name}' is not a regression method; with --task regression choose one "
            f"of: {', '.join(REGRESSION_METHODS)}"
        )
    return key


def parse_regression_strategy(text: str) -> Any:
    """``--sampling-strategy`` for regression: a word, ratios per bin, or ``BIN=RATIO`` pairs.

    Examples
    --------
    >>> parse_regression_strategy("auto"), parse_regression_strategy("extreme")
    ('balance', 'extreme')
    >>> parse_regression_strategy("1,0.5,2"), parse_regression_strategy("2=3")
    ([1.0, 0.5, 2.0], {2: 3.0})
    """
    word = text.strip().lower()
    if word in ("auto", "balance", "extreme"):
        return "extreme" if word == "extreme" else "balance"
    usage = (
        f"--sampling-strategy: '{text}' is not balance, extreme, one ratio per bin such as "
        "1,0.5,3 or BIN=RATIO pairs such as 2=3 (bins numbered from 0 at the lowest target)"
    )
    try:
        if "=" in text:
            pairs = [item.partition("=") for item in text.split(",")]
            strategy: Any = {int(b): float(r) for b, _, r in pairs}
            if len(strategy) != len(pairs):
                raise UsageError(f"--sampling-strategy: '{text}' names a bin twice")
            ratios = list(strategy.values())
        else:
            strategy = ratios = [float(r) for r in text.split(",")]
    except ValueError:
        raise UsageError(usage) from None
    bad = [r for r in ratios if not (np.isfinite(r) and r >= 0)]
    if bad:
        raise UsageError(
            f"--sampling-strategy: the ratio {bad[0]} is not a number >= 0 (1 keeps a bin, "
            "2 doubles it, 0.5 halves it)"
        )
    return strategy


def check_regression_options(args: argparse.Namespace) -> None:
    """Usage errors for options that a regression run does not take."""
    for option, message in _NOT_FOR_REGRESSION.items():
        if getattr(args, option):
            raise UsageError(message)
    if args.categorical != "auto":
        raise UsageError(
            f"--categorical {args.categorical}: --task regression takes numeric features only; "
            "leave out --categorical and encode categorical columns as numbers first"
        )
    threshold = args.relevance_threshold
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise UsageError(
            f"--relevance-threshold: {threshold} is outside [0, 1]; cases whose relevance is at "
            "least the threshold are rare (0.5 is the usual choice)"
        )
    get_regression_method(args.method)
    parse_regression_strategy(args.sampling_strategy)


def check_target_and_features(source: Any, target: str) -> list[str]:
    """The feature columns, once the target and every feature are known to be numeric."""
    from smotekit.io import is_numeric_type

    schema = source.schema
    kind = schema.field(target).type
    if not is_numeric_type(kind):
        raise UsageError(
            f"--target: column '{target}' holds {kind} values, not numbers: --task regression "
            "needs a numeric target; use --task classification for class labels"
        )
    features = [name for name in schema.names if name != target]
    other = [name for name in features if not is_numeric_type(schema.field(name).type)]
    if other:
        shown = ", ".join(f"'{name}'" for name in other[:5]) + (", ..." if len(other) > 5 else "")
        raise UsageError(
            f"--task regression: the regression samplers interpolate numbers, but column"
            f"{'s' if len(other) > 1 else ''} {shown} {'are' if len(other) > 1 else 'is'} not "
            "numeric: encode them as numbers or drop them first"
        )
    return features


def build_regression_sampler(args: argparse.Namespace) -> Any:
    """The unfitted sampler for the command's options."""
    import smotekit.regression
    from smotekit.neighbors import ApproximateNeighbors

    method = get_regression_method(args.method)
    cls = getattr(smotekit.regression, REGRESSION_METHODS[method])
    params: dict[str, Any] = {
        "sampling_strategy": parse_regression_strategy(args.sampling_strategy),
        "random_state": args.seed,
    }
    if args.relevance_threshold is not None:
        params["threshold"] = args.relevance_threshold
    if args.undersample is not None:
        params["undersample"] = args.undersample
    default_k = inspect.signature(cls).parameters.get("k_neighbors")
    if default_k is None:
        if args.k_neighbors is not None or args.approximate:
            option = "--k-neighbors" if args.k_neighbors is not None else "--approximate"
            raise UsageError(f"{option}: --method {method} has no neighbour count to set")
    elif args.approximate:
        k = args.k_neighbors if args.k_neighbors is not None else default_k.default
        # k + 1: the search finds each row itself too; the same seed gives the same index
        params["k_neighbors"] = ApproximateNeighbors(n_neighbors=k + 1, random_state=args.seed)
    elif args.k_neighbors is not None:
        params["k_neighbors"] = args.k_neighbors
    return cls(**params)


def regression_job(
    args: argparse.Namespace, source: Any
) -> tuple[RegressionJob, Callable[[dict[Any, int]], Any]]:
    """The job for a regression run, and the factory of its sampler."""
    job = RegressionJob(
        source=source,
        target=args.target,
        features=check_target_and_features(source, args.target),
        categorical=[],
        # Job reads its method only in the class paths that RegressionJob replaces.
        method=None,  # type: ignore[arg-type]
        strategy=parse_regression_strategy(args.sampling_strategy),
        drop_missing=args.nan == "drop",
        mark=args.mark_synthetic,
        show_progress=not args.quiet,
        plot=False,
    )
    return job, lambda counts: build_regression_sampler(args)


@dataclass
class RegressionSummary(Summary):
    """Counts for the one-line report of a regression run."""

    kept: int = 0
    grown: int = 0
    rare_bins: int = 0
    normal_bins: int = 0

    def line(self, output: str, seconds: float) -> str:
        removed = self.rows_in - self.dropped - self.kept
        dropped = f", {self.dropped} with missing values dropped" if self.dropped else ""

        def bins(n: int, kind: str) -> str:
            return f"{n} {kind} bin{'s' if n != 1 else ''}"

        return (
            f"smotekit resample: {self.rows_in} rows in{dropped}, {self.kept + self.grown} rows "
            f"out ({bins(self.rare_bins, 'rare')}: +{self.grown}; "
            f"{bins(self.normal_bins, 'normal')}: {-removed:+d}) in {seconds:.1f} s -> {output}"
        )


# The library's parameter names in its messages -> the options of the command line.
_OPTION_WORDS = [
    (r"\bk_neighbors=(\d+)", r"--k-neighbors \1"),
    (r"\bk_neighbors\b", "--k-neighbors"),
    (r"\bthreshold=([0-9.e+-]+)", r"--relevance-threshold \1"),
    (r"\b([Ll]ower) threshold( or coef)?\b", r"\1 --relevance-threshold"),
    (r", pass control_points that mark the rare range,", ","),
    (r"\bor leave the sampler out\b", "or leave the file as it is"),
    (r"\bsampling_strategy\b", "--sampling-strategy"),
    (r"\bset undersample=True\b", "pass --undersample"),
    (r"\bundersample=False\b", "--no-undersample"),
    (
        r"\buse RandomOverSamplerRegression or GaussianNoiseRegression\b",
        "use --method random_over or gaussian_noise",
    ),
]


def option_words(message: str) -> str:
    """A sampler's message in the command line's terms.

    Examples
    --------
    >>> option_words("Lower k_neighbors to at most 2, or use sampling_strategy")
    'Lower --k-neighbors to at most 2, or use --sampling-strategy'
    """
    for pattern, replacement in _OPTION_WORDS:
        message = re.sub(pattern, replacement, message)
    return message


class RegressionJob(Job):
    """One regression run: read the values, fit the sampler, copy the kept rows, add the new.

    ``strategy`` is the sampler's ``sampling_strategy``.
    """

    def execute(
        self,
        out: Path,
        out_name: Path,
        provenance: Path | None,
        provenance_name: Path | None,
        make_sampler: Callable[[dict[Any, int]], Any],
    ) -> Summary:
        """Write the resampled file to ``out`` (in the format of ``out_name``)."""
        from smotekit.cli._synthesis import SyntheticRows

        summary = RegressionSummary()
        self.summary = summary
        writers: list[Any] = []
        with closing(writers):
            self._open_writers(out, out_name, provenance, provenance_name, writers)
            X, y, exact = self._read_values()
            sampler = make_sampler({})  # a continuous target has no class counts
            try:
                X_res, y_res = sampler.fit_resample(X, y)
            except (ValueError, RuntimeError) as exc:
                message = option_words(" ".join(str(exc).split()))
                raise DataError(f"'{self.input_path}' column '{self.target}': {message}") from None
            kept = sampler.sample_indices_
            summary.kept, summary.grown = int(kept.size), len(y_res) - int(kept.size)
            summary.rare_bins = int(sampler.bins_.rare.sum())
            summary.normal_bins = len(sampler.bins_) - summary.rare_bins
            self._copy_kept(kept)
            rows = SyntheticRows(
                self._writer,
                self._prov_writer,
                self.schema,
                self.features,
                self.features,
                self.target,
                bool(self.mark),
                None,
                self.show_progress,
                row=summary.kept,
                # indexed by output row: every parent of a new row is kept (growing bins keep all)
                exact={j: values[kept] for j, values in exact.items()},
            )
            records = _output_rows(sampler.provenance_, kept)
            rows.from_resampled(X_res, self._target_values(y_res), summary.kept, records, [])
        return summary

    def _read_values(self) -> tuple[NDArray[np.float64], NDArray[np.float64], dict[int, Any]]:
        """Pass 1: the features and target of every complete row, and exact integer columns."""
        from smotekit.io import numeric_matrix

        parts: list[NDArray[np.float64]] = []
        targets: list[NDArray[np.float64]] = []
        integers: dict[int, list[Any]] = {j: [] for j in self._integers}
        for block, batch, keep in self._valid_blocks("reading"):
            self.summary.rows_in += block.batch.num_rows
            if keep is not None:
                self.summary.dropped += int((~keep).sum())
            parts.append(numeric_matrix(batch, self.features))
            targets.append(numeric_matrix(batch, [self.target])[:, 0])
            for j in self._integers:
                integers[j].append(batch.column(self.features[j]).to_numpy())
        if not targets or not sum(t.size for t in targets):
            what = "no complete rows" if self.summary.dropped else "no data rows"
            raise DataError(f"'{self.input_path}' has {what}: there is nothing to resample")
        y = np.concatenate(targets)
        if y.min() == y.max():
            raise DataError(
                f"'{self.input_path}' column '{self.target}' is constant (every value is "
                f"{y[0]:g}): no value is rarer than another, so there is nothing to grow; "
                "check --target"
            )
        exact = {j: np.concatenate(values) for j, values in integers.items()}
        return np.vstack(parts), y, exact

    def _copy_kept(self, kept: NDArray[np.intp]) -> None:
        """Pass 2: write the kept rows as they are in the input, in file order."""
        chosen = np.zeros(self.summary.rows_in - self.summary.dropped, dtype=bool)
        chosen[kept] = True
        row0 = 0
        for block, batch, keep in self._valid_blocks("writing"):
            mask = chosen[row0 : row0 + batch.num_rows]
            if keep is not None:
                mask, full = np.zeros(keep.size, dtype=bool), mask
                mask[keep] = full
            self._writer.write_block(block, mask, marked=False if self.mark else None)
            row0 += batch.num_rows

    def _target_values(self, y_res: NDArray[np.float64]) -> NDArray[Any]:
        """The target of every output row in the target column's type (integers rounded)."""
        from smotekit.io import column_arrays

        kind = self.schema.field(self.target).type
        return np.asarray(column_arrays(y_res[:, None], [kind])[0].to_numpy(zero_copy_only=False))


def _output_rows(records: Any, kept: NDArray[np.intp]) -> Any:
    """Provenance records with ``base`` and ``neighbor`` as output row numbers, not input ones."""
    out = records.copy()
    out["base"] = np.searchsorted(kept, records["base"])
    has_neighbor = records["neighbor"] >= 0
    out["neighbor"] = np.where(has_neighbor, np.searchsorted(kept, records["neighbor"]), -1)
    return out

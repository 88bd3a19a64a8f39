"""What ``resample`` and ``inspect`` share: opening an input file, column roles, progress."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smotekit.cli._errors import DataError, UsageError
from smotekit.io import UnknownFormatError, detect_format, is_numeric_type, read_schema

__all__ = [
    "categorical_columns",
    "check_format",
    "open_input",
    "progress",
    "read_errors",
]


def check_format(path: str, option: str) -> None:
    """A usage error naming ``option`` where ``path``'s extension is not a known format."""
    try:
        detect_format(path)
    except UnknownFormatError as exc:
        raise UsageError(f"{option}: {exc}") from None


@contextlib.contextmanager
def read_errors(path: Path) -> Iterator[None]:
    """Turn a reader's failure into one line naming the file."""
    try:
        yield
    except (OSError, ValueError) as exc:
        # pyarrow's ArrowInvalid is a ValueError; its messages can span lines.
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise DataError(f"cannot read '{path}': {message}") from exc


def open_input(path_text: str, target: str) -> tuple[Path, Any]:
    """Check the input path and its target column; returns the path and its Arrow schema."""
    check_format(path_text, "INPUT")
    path = Path(path_text)
    if not path.exists():
        raise DataError(f"cannot read '{path}': no such file")
    if path.is_dir():
        raise DataError(f"cannot read '{path}': it is a folder, give a file")
    with read_errors(path):
        schema = read_schema(path)
    if target not in schema.names:
        shown = ", ".join(f"'{name}'" for name in schema.names[:12])
        more = ", ..." if len(schema.names) > 12 else ""
        raise UsageError(
            f"--target: '{path}' has no column '{target}'; its columns are {shown}{more}"
        )
    if len(schema.names) < 2:
        raise DataError(f"'{path}' has only the target column '{target}': no features to use")
    return path, schema


def categorical_columns(schema: Any, target: str, option: str) -> list[str]:
    """The feature columns treated as categorical for ``--categorical auto|none|COL,COL``."""
    features = [name for name in schema.names if name != target]
    if option == "auto":
        return [name for name in features if not is_numeric_type(schema.field(name).type)]
    if option == "none":
        return []
    chosen = [name.strip() for name in option.split(",") if name.strip()]
    for name in chosen:
        if name == target:
            raise UsageError(f"--categorical: '{name}' is the target column, not a feature")
        if name not in features:
            raise UsageError(
                f"--categorical: no column '{name}' in the input; use auto, none or COL,COL"
            )
    return [name for name in features if name in chosen]


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def progress(enabled: bool, desc: str, total: int | None = None, unit: str = "rows") -> Any:
    """A tqdm bar on stderr when ``enabled`` and stderr is a terminal, else a silent stand-in."""
    if not enabled or not sys.stderr.isatty():
        return _NoProgress()
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety: no tqdm, no bar
        return _NoProgress()
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, file=sys.stderr, leave=False)

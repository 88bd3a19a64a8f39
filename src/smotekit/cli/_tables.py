"""What ``resample`` and ``inspect`` share: opening an input file, column roles, progress."""

from __future__ import annotations

import codecs
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from smotekit.cli._errors import DataError, UsageError
from smotekit.io import (
    NonNumericValueError,
    SingleColumnError,
    UndecodableTextError,
    UnknownFormatError,
    detect_format,
    is_numeric_type,
    open_table,
)

__all__ = [
    "add_input_options",
    "categorical_columns",
    "check_format",
    "input_of",
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


def add_input_options(parser: Any) -> None:
    """``--delimiter`` and ``--encoding``, for commands that read a CSV file."""
    parser.add_argument(
        "--delimiter",
        metavar="CHAR",
        default=None,
        help="CSV input: the character between values (default: the extension's: ',' for .csv, "
        "tab for .tsv; 'tab' or '\\t' for a tab)",
    )
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        default=None,
        help="CSV input: its text encoding, such as latin-1 or cp1252 (default: utf-8); a CSV "
        "output is written in the same encoding",
    )


def _delimiter(text: str | None) -> str | None:
    if text is None:
        return None
    delimiter = {"tab": "\t", "\\t": "\t"}.get(text.lower(), text)
    if len(delimiter) != 1 or delimiter in '\r\n"':
        raise UsageError(
            f"--delimiter: {text!r} is not a single character such as ',', ';', '|' or 'tab'"
        )
    return delimiter


def _encoding(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise UsageError(
            f"--encoding: unknown encoding {name!r}; use a name such as utf-8, latin-1 or cp1252"
        ) from None
    probe = ',;\t|"\r\n'
    if probe.encode(codec.name, errors="replace") != probe.encode():
        raise UsageError(
            f"--encoding: {name!r} does not write ASCII as ASCII; convert the file to utf-8 "
            "first (for example with iconv)"
        )
    return codec.name


@contextlib.contextmanager
def read_errors(path: Path) -> Iterator[None]:
    """Turn a reader's failure into one line naming the file (and the option that helps)."""
    try:
        yield
    except NonNumericValueError as exc:
        raise DataError(_non_numeric(path, exc)) from exc
    except UndecodableTextError as exc:
        other = "latin-1" if exc.encoding != "iso8859-1" else "cp1252"
        raise DataError(
            f"'{path}' {exc}: pass --encoding with the file's encoding (for example "
            f"--encoding {other}), or convert it to {exc.encoding}"
        ) from exc
    except SingleColumnError as exc:
        raise UsageError(
            f"--delimiter: '{path}' {exc}: pass --delimiter {exc.suggested!r}"
        ) from exc
    except (OSError, ValueError) as exc:
        # pyarrow's ArrowInvalid is a ValueError; its messages can span lines.
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise DataError(f"cannot read '{path}': {message}") from exc


def _non_numeric(path: Path, exc: NonNumericValueError) -> str:
    where = f"data row {exc.row}" + (f" (line {exc.line})" if exc.line else "")
    if exc.expected == "integers":
        return (
            f"'{path}' column '{exc.column}' holds integers in its first rows but {exc.value!r} "
            f"at {where}: give the column a decimal point in its first rows or convert the file "
            f"to Parquet, or pass --categorical {exc.column} to treat it as categories"
        )
    return (
        f"'{path}' column '{exc.column}' is numeric but has the value {exc.value!r} at {where}: "
        f"fix that value in the file, or pass --categorical {exc.column} to treat the column "
        "as categories"
    )


def open_input(
    path_text: str,
    target: str,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    categorical: str = "auto",
) -> Any:
    """Check the input path, its columns and its target; returns the file as an io source.

    Columns named in ``categorical`` are read as text; a mostly numeric column with a stray
    value that is not a number is an error naming the value, its row and the options.
    """
    check_format(path_text, "INPUT")
    path = Path(path_text)
    if not path.exists():
        raise DataError(f"cannot read '{path}': no such file")
    if path.is_dir():
        raise DataError(f"cannot read '{path}': it is a folder, give a file")
    delimiter, encoding = _delimiter(delimiter), _encoding(encoding)
    if (delimiter or encoding) and detect_format(path)[0] != "csv":
        option = "--delimiter" if delimiter else "--encoding"
        raise UsageError(f"{option}: '{path}' is not a CSV file")
    text_columns = [] if categorical in ("auto", "none") else _names(categorical)
    with read_errors(path):
        source = open_table(path, delimiter=delimiter, encoding=encoding, text_columns=text_columns)
    schema = source.schema
    if target not in schema.names:
        shown = ", ".join(f"'{name}'" for name in schema.names[:12])
        more = ", ..." if len(schema.names) > 12 else ""
        raise UsageError(
            f"--target: '{path}' has no column '{target}'; its columns are {shown}{more}"
        )
    if len(schema.names) < 2:
        raise DataError(f"'{path}' has only the target column '{target}': no features to use")
    for name, problem in source.mixed.items():
        if name != target:
            raise DataError(_non_numeric(path, problem))
    return source


def input_of(args: Any) -> Any:
    """:func:`open_input` for a command's ``input``, ``--target``, ``--delimiter``,
    ``--encoding`` and ``--categorical``."""
    return open_input(
        args.input,
        args.target,
        delimiter=args.delimiter,
        encoding=args.encoding,
        categorical=args.categorical,
    )


def _names(option: str) -> list[str]:
    return [name.strip() for name in option.split(",") if name.strip()]


def categorical_columns(schema: Any, target: str, option: str) -> list[str]:
    """The feature columns treated as categorical for ``--categorical auto|none|COL,COL``."""
    features = [name for name in schema.names if name != target]
    text = [name for name in features if not is_numeric_type(schema.field(name).type)]
    if option == "auto":
        return text
    if option == "none":
        if text:
            raise UsageError(
                f"--categorical none: column '{text[0]}' holds {schema.field(text[0]).type} "
                "values, not numbers; leave --categorical auto to treat such columns as "
                "categories, or encode them as numbers first"
            )
        return []
    chosen = _names(option)
    if not chosen:
        raise UsageError("--categorical: give auto, none or column names such as COL,COL")
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

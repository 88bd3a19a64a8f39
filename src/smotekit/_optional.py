"""Optional dependencies, loaded on first use with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["import_optional"]


def import_optional(module: str, extra: str) -> ModuleType:
    """Import ``module`` or say which smotekit extra brings it.

    Examples
    --------
    >>> import_optional("math", "report").__name__
    'math'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise ImportError(
            f"Missing optional dependency '{top}'. Install it with: pip install 'smotekit[{extra}]'"
        ) from exc

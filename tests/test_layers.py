"""Imports flow one way: core <- neighbours <- engine <- samplers <- io, dask, evaluation <- cli.

Every module of the package is parsed (not imported) and every ``import`` of a smotekit module
in it, at module level or inside a function, must go to a layer its own layer may use. Imports
under ``if TYPE_CHECKING:`` are for the type checker only and are not counted. The declared
directions themselves must form no cycle, so no chain of imports can come back to where it
started across layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import smotekit

PACKAGE = Path(smotekit.__file__).parent

# Module (dotted path below smotekit, or its first component) -> layer.
LAYER_OF = {
    "": "facade",  # smotekit/__init__.py: lazy exports of the samplers
    "_kernels": "core",
    "_threads": "core",
    "_optional": "core",
    "_validation": "core",
    "_strategy": "core",
    "_registry": "core",
    "_frames": "core",
    "_tutorial_data": "core",
    "exceptions": "core",
    "neighbors": "neighbors",
    "engine": "engine",
    "_functional": "samplers",
    "over_sampling": "samplers",
    "under_sampling": "samplers",
    "combine": "samplers",
    "regression": "samplers",
    "io": "io",
    "dask": "dask",
    "evaluation": "evaluation",
    "tutorial": "tutorial",
    "cli": "cli",
    "__main__": "cli",
}

# Layer -> the layers it may import (besides itself).
MAY_IMPORT = {
    "core": set(),
    "neighbors": {"core"},
    "engine": {"core", "neighbors"},
    "samplers": {"core", "neighbors", "engine"},
    "facade": {"core", "neighbors", "samplers"},
    "io": {"core", "neighbors", "engine", "samplers"},
    "dask": {"core", "neighbors", "engine", "samplers", "io"},
    "evaluation": {"core", "neighbors", "engine", "samplers", "facade", "io"},
    "tutorial": {"core", "neighbors", "samplers", "facade", "io"},
    "cli": {
        "core",
        "neighbors",
        "engine",
        "samplers",
        "facade",
        "io",
        "dask",
        "evaluation",
        "tutorial",
    },
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> str:
    below = module.split(".")[1:]
    key = ".".join(below[:1])
    if key not in LAYER_OF:
        raise KeyError(f"{module}: add its package or module to LAYER_OF")
    return LAYER_OF[key]


def is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, module)`` for every smotekit module a parsed module imports at run time."""
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if _type_checking_only(node):
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("smotekit")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("smotekit"):
            assert node.level == 0, "smotekit imports are absolute"
            module = str(node.module)
            for alias in node.names:
                # ``from smotekit import tutorial`` imports the module smotekit.tutorial
                child = f"{module}.{alias.name}"
                found.append((node.lineno, child if is_module(child) else module))
        stack.extend(ast.iter_child_nodes(node))
    return found


def all_imports() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        out += [(module_name(path), line, target) for line, target in imported_modules(tree)]
    return out


def test_the_declared_directions_have_no_cycle():
    seen: set[str] = set()
    done: set[str] = set()

    def visit(layer: str, path: list[str]) -> None:
        assert layer not in seen - done, f"cycle: {' -> '.join([*path, layer])}"
        if layer in done:
            return
        seen.add(layer)
        for lower in MAY_IMPORT[layer]:
            visit(lower, [*path, layer])
        done.add(layer)

    for layer in MAY_IMPORT:
        visit(layer, [])
    assert set(LAYER_OF.values()) == set(MAY_IMPORT)


def test_every_module_belongs_to_a_layer():
    for path in PACKAGE.rglob("*.py"):
        layer_of(module_name(path))


def test_imports_flow_one_way():
    wrong = [
        f"{module}:{line} imports {target} ({layer_of(module)} -> {layer_of(target)})"
        for module, line, target in all_imports()
        if layer_of(module) != layer_of(target)
        and layer_of(target) not in MAY_IMPORT[layer_of(module)]
    ]
    assert not wrong, "imports against the declared direction:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("from smotekit.cli._errors import UsageError", "dask -> cli"),
        ("def f():\n    from smotekit import tutorial", "dask -> tutorial"),
        ("import smotekit.over_sampling._base", None),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import smotekit.cli", None),
    ],
)
def test_the_walk_sees_lazy_imports_and_skips_type_checking_ones(source, message):
    targets = [target for _, target in imported_modules(ast.parse(source))]
    wrong = [
        f"dask -> {layer_of(t)}"
        for t in targets
        if layer_of(t) not in MAY_IMPORT["dask"] | {"dask"}
    ]
    assert wrong == ([message] if message else [])

"""The API reference, generated from smotekit's public modules at every build.

A public module is any module of the package whose dotted path has no component starting with an
underscore; its public names are its ``__all__``. Each public module gets one page listing its
names by kind, each name documented on the page of the one module that is its home (the public
module nearest to where it is defined); other modules that re-export it link there. Nothing is
listed by hand, so a new public module or name appears without editing the docs, and a public
module without ``__all__``, a name in ``__all__`` that does not exist, or a constant without a
``#:`` comment is a warning that says which (and ``make docs`` fails on warnings).

References to a re-exported name (``smotekit.SMOTE``) or to where it is defined
(``smotekit.over_sampling._smote.SMOTE``) resolve to its home page.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from sphinx.application import Sphinx
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging

logger = logging.getLogger(__name__)

PACKAGE = "smotekit"
API_DIR = "api"  # under the source folder; generated, never edited
KINDS = ("Classes", "Exceptions and warnings", "Functions", "Data")
# autosummary page template per kind (docs/_templates); data are written out here instead
TEMPLATES = {KINDS[0]: "class.rst", KINDS[1]: "exception.rst", KINDS[2]: "function.rst"}


@dataclass(frozen=True)
class PublicName:
    module: str  # the public module whose __all__ lists it
    name: str
    obj: Any

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}"


def public_modules(package: str = PACKAGE) -> list[ModuleType]:
    """The package and every module under it whose path has no private component."""
    root = importlib.import_module(package)
    found, stack = [root], [root]
    while stack:
        parent = stack.pop()
        for info in pkgutil.iter_modules(parent.__path__, parent.__name__ + "."):
            if info.name.rsplit(".", 1)[1].startswith("_"):
                continue
            module = importlib.import_module(info.name)
            found.append(module)
            if info.ispkg:
                stack.append(module)
    return sorted(found, key=lambda m: m.__name__)


def exported(module: ModuleType) -> list[PublicName]:
    names = getattr(module, "__all__", None)
    if names is None:
        warn(
            f"{module.__name__} is a public module without __all__: list its public names in "
            "__all__ (or make the module private with a leading underscore)"
        )
        return []
    out = []
    for name in names:
        try:
            obj = getattr(module, name)
        except AttributeError:
            warn(f"{module.__name__}.__all__ lists {name!r}, which the module does not define")
            continue
        out.append(PublicName(module.__name__, name, obj))
    return out


def warn(message: str) -> None:
    logger.warning(f"API reference: {message}", type="smotekit", subtype="api")


def kind_of(obj: Any) -> str:
    if inspect.isclass(obj):
        return KINDS[1] if issubclass(obj, BaseException) else KINDS[0]
    if callable(obj):
        return KINDS[2]
    return KINDS[3]


def is_documentable(obj: Any) -> bool:
    """Classes and functions: objects one home can be chosen for by identity."""
    return inspect.isclass(obj) or callable(obj)


def choose_homes(names: list[PublicName]) -> dict[str, PublicName]:
    """Qualified public name -> the entry that documents it.

    A class or function is documented once, under the exporting module nearest to where it is
    defined (the longest exporting module name that prefixes its ``__module__``; else the
    longest exporting name). Data are documented where they are exported.
    """
    by_object: dict[int, list[PublicName]] = {}
    for entry in names:
        if is_documentable(entry.obj):
            by_object.setdefault(id(entry.obj), []).append(entry)
    homes = {}
    for entry in names:
        candidates = by_object.get(id(entry.obj), [entry])
        defined_in = getattr(entry.obj, "__module__", "") or ""

        def rank(c: PublicName, defined_in: str = defined_in) -> tuple[bool, int, str]:
            near = defined_in == c.module or defined_in.startswith(c.module + ".")
            return (near, len(c.module), c.module)

        homes[entry.qualified] = max(candidates, key=rank)
    return homes


def attribute_comment(module: ModuleType, name: str) -> list[str] | None:
    """The ``#:`` comment of module-level ``name``, looked up in ``module`` and its submodules."""
    prefix = module.__name__ + "."
    candidates = [module.__name__, *sorted(m for m in sys.modules if m.startswith(prefix))]
    for modname in candidates:
        try:
            docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
        except Exception:  # a module without source (compiled, or namespace): nothing to find
            continue
        lines = docs.get(("", name))
        if lines:
            return [line for line in lines if line.strip()]
    return None


def title(text: str, char: str) -> list[str]:
    return [text, char * len(text), ""]


def module_page(module: ModuleType, entries: list[PublicName], homes: dict) -> list[str]:
    lines = [*title(f"``{module.__name__}``", "="), f".. automodule:: {module.__name__}", ""]
    own = [e for e in entries if homes[e.qualified] == e]
    elsewhere = [e for e in entries if homes[e.qualified] != e]
    if elsewhere:
        lines += title("Re-exported names", "-")
        lines += [
            f"Importable from ``{module.__name__}`` and documented with the module that defines",
            "them; both imports give the same object.",
            "",
        ]
        by_home: dict[str, list[str]] = {}
        for entry in elsewhere:
            home = homes[entry.qualified]
            by_home.setdefault(home.module, []).append(home.name)
        for home_module, home_names in sorted(by_home.items()):
            lines += [f".. rubric:: From :mod:`{home_module}`", ""]
            lines += [f".. currentmodule:: {home_module}", ""]
            lines += [".. autosummary::", "   :nosignatures:", ""]
            lines += [f"   {name}" for name in sorted(home_names, key=str.lower)] + [""]
    lines += [f".. currentmodule:: {module.__name__}", ""]
    for kind in KINDS:
        group = sorted((e for e in own if kind_of(e.obj) == kind), key=_key)
        if not group:
            continue
        lines += title(kind, "-")
        if kind == "Data":
            for entry in group:
                lines += data_directive(module, entry)
            continue
        template = TEMPLATES[kind]
        lines += [".. autosummary::", "   :toctree: generated/", f"   :template: {template}"]
        lines += ["   :nosignatures:", ""]
        lines += [f"   {e.name}" for e in group] + [""]
    return lines


def _key(entry: PublicName) -> str:
    return entry.name.lower()


def data_directive(module: ModuleType, entry: PublicName) -> list[str]:
    comment = attribute_comment(module, entry.name)
    if comment is None:
        warn(f"{entry.qualified} is public data without a `#:` comment above its assignment")
        comment = []
    value = repr(entry.obj)
    lines = [f".. py:data:: {entry.name}"]
    if len(value) <= 80:
        lines.append(f"   :value: {value}")
    lines += [f"   :type: {type(entry.obj).__name__}", ""]
    lines += [f"   {line}" for line in comment] + [""]
    return lines


def index_page(modules: list[ModuleType]) -> list[str]:
    names = [m.__name__ for m in modules]
    lines = title("API reference", "=")
    lines += [
        "Every public name of smotekit, one page per public module: the modules and their",
        "``__all__`` are read when the site is built, so this reference is always complete.",
        "The samplers are also importable from the top level (``from smotekit import SMOTE``).",
        "",
        ".. autosummary::",
        "",
        *(f"   {name}" for name in names),
        "",
        ".. toctree::",
        "   :hidden:",
        "",
        *(f"   {name}" for name in names),
        "",
    ]
    return lines


def write_if_changed(path: Path, lines: list[str]) -> None:
    text = "\n".join(lines).rstrip() + "\n"
    if not path.exists() or path.read_text() != text:  # unchanged files keep Sphinx's cache
        path.write_text(text)


# every other name of a documented object -> its documented name; filled by generate()
ALIASES: dict[str, str] = {}


def generate(app: Sphinx, config: Any) -> None:
    modules = public_modules()
    entries = {m.__name__: exported(m) for m in modules}
    everything = [e for group in entries.values() for e in group]
    homes = choose_homes(everything)
    out = Path(app.srcdir) / API_DIR
    out.mkdir(exist_ok=True)
    expected = {"index.rst"} | {f"{m.__name__}.rst" for m in modules}
    for stale in out.glob("*.rst"):
        if stale.name not in expected:
            stale.unlink()
    write_if_changed(out / "index.rst", index_page(modules))
    for module in modules:
        lines = module_page(module, entries[module.__name__], homes)
        write_if_changed(out / f"{module.__name__}.rst", lines)
    ALIASES.clear()
    ALIASES.update(aliases(everything, homes))
    # The templates' "Examples using X" galleries: sphinx-gallery records a name as the example
    # imports it (``smotekit.SMOTE``), so each page asks for every name of its object.
    other_names: dict[str, list[str]] = {}
    for alias, home in sorted(ALIASES.items()):
        other_names.setdefault(home, []).append(alias)
    config.autosummary_context = {**config.autosummary_context, "other_names": other_names}


def aliases(names: list[PublicName], homes: dict[str, PublicName]) -> dict[str, str]:
    """Every other name an object is known by -> the name it is documented under."""
    out = {}
    for entry in names:
        home = homes[entry.qualified].qualified
        if entry.qualified != home:
            out[entry.qualified] = home
        defined = getattr(entry.obj, "__module__", None), getattr(entry.obj, "__qualname__", None)
        if is_documentable(entry.obj) and all(defined):
            private = ".".join(defined)
            if private != home:
                out[private] = home
    return out


def resolve_alias(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    home = ALIASES.get(node.get("reftarget"))
    if home is None:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], home, node, contnode
    )


# :ref:`text <label>` or :ref:`label`, as written in other libraries' docstrings
_FOREIGN_REF = re.compile(r":ref:`(?:([^`<]+?)\s*<[^`>]+>|([^`]+))`")


def unlink_foreign_refs(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Inherited docstrings of other libraries (``get_metadata_routing`` from scikit-learn) link to
    labels of their own sites, which this site has not: keep the text, drop the link."""
    if (getattr(obj, "__module__", None) or "").startswith(PACKAGE):
        return
    lines[:] = [_FOREIGN_REF.sub(lambda m: m.group(1) or m.group(2), line) for line in lines]


def setup(app: Sphinx) -> dict[str, Any]:
    # before Sphinx lists the source files, so that a clean build finds the generated pages
    app.connect("config-inited", generate)
    app.connect("missing-reference", resolve_alias)
    app.connect("autodoc-process-docstring", unlink_foreign_refs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

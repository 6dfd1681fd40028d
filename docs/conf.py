"""Sphinx configuration of the bri_text documentation site.

Build from the repository root (README, "Documentation"):

    pip install -e ".[docs]"
    sphinx-build -W -c docs . docs/_build/html

The source folder is the repository root, so the guides' relative links (docs/, the
notebooks, benchmarks/*.md, the lexicons' README) resolve as they do on GitHub; everything
but those pages is excluded. The API reference (docs/api.md) is generated from the
docstrings of the names ``bri_text.__all__`` exports. Notebooks are shown as executed and
committed (the test suite executes them), not re-run here.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bri_text  # noqa: E402

project = "bri_text"
author = "bri_text developers"
copyright = "2025-2026, bri_text developers (MIT)"
release = version = bri_text.__version__

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon",
              "sphinx.ext.mathjax"]
root_doc = "docs/index"
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}
# only the documentation pages; the code, tests and data are not pages
include_patterns = ["docs/*.md", "README.md", "CHANGELOG.md", "notebooks/*.ipynb",
                    "benchmarks/*.md", "bri_text/data/README.md",
                    "bri_text/lexicons/README.md", "bri_text/fonts/README.md"]
exclude_patterns = ["docs/_build/**", "**/.ipynb_checkpoints/**"]

nb_execution_mode = "off"            # executed and checked by tests/test_notebooks.py
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]
# links to files that are not pages (a .tsv lexicon, a script) are fine on GitHub and
# become downloads here
suppress_warnings: list[str] = []

autodoc_default_options = {"members": False}
autodoc_typehints = "none"
napoleon_google_docstring = False
napoleon_numpy_docstring = True

html_theme = "furo"
html_title = f"bri_text {release}"
# the bundled CJK font (the plots' font) as the pages' fallback for Chinese
html_static_path = ["_static", "../bri_text/fonts"]
html_css_files = ["cjk.css"]
_SANS = ("-apple-system, BlinkMacSystemFont, Segoe UI, Helvetica, Arial, sans-serif, "
         "BriTextSansSC")
_MONO = "SFMono-Regular, Menlo, Consolas, Monaco, Liberation Mono, monospace, BriTextSansSC"
html_theme_options = {
    "light_css_variables": {"font-stack": _SANS, "font-stack--monospace": _MONO},
    "dark_css_variables": {"font-stack": _SANS, "font-stack--monospace": _MONO},
}


# ------------------------------------------------------------------ docstrings as written
# The package's docstrings follow numpydoc's sections (Parameters, Returns, Attributes)
# and then go on in prose ("Returns a long table: ...", "Matching: ...", examples). numpydoc
# and napoleon would read that prose as more parameters; a Notes heading is put before it.
import re  # noqa: E402

_PARAM = re.compile(r"^\*{0,2}[A-Za-z_]\w*(, \*{0,2}[A-Za-z_]\w*)*( : .*)?$")
_SECTIONS = {"Parameters", "Attributes", "Other Parameters"}


def _notes_after_parameters(app, what, name, obj, options, lines):
    out, in_params, k = [], False, 0
    while k < len(lines):
        line = lines[k]
        header = k + 1 < len(lines) and set(lines[k + 1].strip()) == {"-"} and line.strip()
        if header:
            in_params = line.strip() in _SECTIONS
            out += [line, lines[k + 1]]
            k += 2
            continue
        if in_params and line and not line[0].isspace() and not _PARAM.match(line):
            if out and out[-1].strip():
                out.append("")
            out += ["Notes", "-----"]
            in_params = False
        out.append(line)
        k += 1
    lines[:] = out


def setup(app):
    app.connect("autodoc-process-docstring", _notes_after_parameters, priority=400)

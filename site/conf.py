"""Sphinx configuration of the gdteach site: `python tools/build_site.py` (see site/README.md).

The pages are the notebooks with their stored outputs (myst-nb, never executed here), the
Furo theme (its fonts are the reader's system fonts and its icons inline SVG, so it fetches
nothing) and MathJax 3 from workshop/vendor, copied into _static/mathjax. Nothing a page
loads comes from another origin; tests/browser/test_site.py checks it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "workshop" / "vendor"

project = "gdteach"
author = "the gdteach authors"
copyright = "the gdteach authors, MIT licence"  # noqa: A001 - Sphinx's name
language = "en"

extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = ["_build", "README.md", "exercises/student", "downloads", ".ipynb_checkpoints", "**/.ipynb_checkpoints"]

# The notebooks' stored outputs are the product (re-executed under nbval in CI): show them.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "html_image"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # notebooks start at "# 1 · ..." and skip levels in places

html_theme = "furo"
html_title = "gdteach: gradient descent, worked out"
html_static_path = ["_static"]
html_css_files = ["gdteach-site.css"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None  # no build time in the pages: the same sources build the same site

# MathJax 3 from the vendored copy, configured as Jupyter configures it ($...$ inline).
mathjax_path = "mathjax/tex-chtml-full.js"
mathjax3_config = {
    "tex": {
        "inlineMath": [["\\(", "\\)"]],
        "displayMath": [["\\[", "\\]"]],
        "processEscapes": True,
        "tags": "ams",
    },
}

# Hook for the explorers without a kernel (issue 21 §2): a notebook that stores widget
# state is shown through the ipywidgets HTML manager, loaded from this site, never from a
# CDN. The manager itself goes in _static/widgets/ (see site/README.md); until then a page
# with widget state shows its static figure beside the explorer, as every notebook has.
nb_ipywidgets_js = {
    "_static/widgets/require.js": {},
    "_static/widgets/embed-amd.js": {"data-jupyter-widgets-cdn": "_static/widgets/modules/"},
}


def _copy_vendored(app, exception) -> None:
    """Put MathJax (and its fonts, found relative to the script) into _static/mathjax."""
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        shutil.copytree(VENDOR / "mathjax", static / "mathjax", dirs_exist_ok=True)
        shutil.copy(VENDOR / "requirejs" / "require.js", static / "widgets" / "require.js")


def setup(app):
    (Path(app.outdir) / "_static" / "widgets").mkdir(parents=True, exist_ok=True)
    app.connect("build-finished", _copy_vendored)

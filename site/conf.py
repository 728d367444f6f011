"""Sphinx configuration of the gdteach site: `python tools/build_site.py` (see site/README.md).

The pages are the notebooks with their stored outputs (myst-nb, never executed here), the
Furo theme (its fonts are the reader's system fonts and its icons inline SVG, so it fetches
nothing) and MathJax 3 from workshop/vendor, copied into _static/mathjax. Nothing a page
loads comes from another origin; tests/browser/test_site.py checks it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from myst_parser.parsers.docutils_ import depart_container_html, visit_container_html
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

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

# The explorers without a kernel (issue 21 §2): each explorer output stores, beside its widget
# view, the explorer as self-contained HTML (gdteach.widgets.static: explorer.js and its
# state, nothing to fetch). The widget view needs a kernel or stored widget state, which the
# notebooks do not keep: the site shows the HTML instead, and loads no widget manager.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}


class SiteTranslator(HTML5Translator):
    """Sphinx's HTML with what axe-core asks for: a toctree caption (``role="heading"``)
    gets its ``aria-level``; a code block, which scrolls sideways when wider than the page,
    can take keyboard focus (``tabindex="0"``) so it can be scrolled without a mouse (the
    containers that scroll: ``visit_container``)."""

    def visit_title(self, node) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            heading = {"CLASS": "caption", "ROLE": "heading", "aria-level": "2"}
            self.body.append(self.starttag(node, "p", "", **heading))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)

    def visit_literal_block(self, node) -> None:
        start = len(self.body)
        try:
            super().visit_literal_block(node)
        finally:  # Sphinx raises SkipNode after writing a highlighted block
            for i in range(start, len(self.body)):
                self.body[i] = self.body[i].replace("<pre>", '<pre tabindex="0">', 1)

def _scrolls(node) -> bool:
    """A container that scrolls sideways when wider than the page: Furo's table wrapper, or
    a cell's output holding an HTML table (see _static/gdteach-site.css)."""
    if "table-wrapper" in node["classes"]:
        return True
    return "cell_output" in node["classes"] and any(
        "<table" in raw.astext() for raw in node.findall(nodes.raw)
    )


def visit_container(self, node) -> None:
    """myst-parser's container visitor (which Sphinx calls instead of the translator's),
    with ``tabindex="0"`` on a container that scrolls, so a keyboard can scroll it."""
    start = len(self.body)
    visit_container_html(self, node)
    if _scrolls(node):
        self.body[start] = self.body[start].replace("<div ", '<div tabindex="0" ', 1)


def _copy_vendored(app, exception) -> None:
    """Put MathJax (and its fonts, found relative to the script) into _static/mathjax."""
    if exception is None and app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        shutil.copytree(VENDOR / "mathjax", static / "mathjax", dirs_exist_ok=True)
        shutil.copy(VENDOR / "requirejs" / "require.js", static / "widgets" / "require.js")


def setup(app):
    app.set_translator("html", SiteTranslator, override=True)
    app.add_node(nodes.container, override=True, html=(visit_container, depart_container_html))
    (Path(app.outdir) / "_static" / "widgets").mkdir(parents=True, exist_ok=True)
    app.connect("build-finished", _copy_vendored)

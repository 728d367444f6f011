"""Export the series as slide decks or HTML pages that need no network to show their maths.

    python workshop/export.py                   # workshop/slides/NN_*.slides.html + vendor/
    python workshop/export.py --to html OUT     # OUT/NN_*.html + OUT/vendor/

Plain ``jupyter nbconvert --to slides`` loads MathJax, reveal.js, require.js and jQuery from
CDNs, so in a room without network every formula shows as raw TeX. This exports with the
templates in ``workshop/templates`` (nbconvert's own, with MathJax 3 configured as
nbconvert configures MathJax 2) and points every script at ``vendor/`` beside the pages: a
copy of ``workshop/vendor`` (MathJax 3.2.2, reveal.js 4.0.2, require.js, jQuery, taken
unchanged from their npm packages; see ``workshop/vendor/README.md``). Hand the whole
output folder to the room; open any page from it with a double click.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "workshop" / "vendor"
TEMPLATES = ROOT / "workshop" / "templates"
NOTEBOOKS = ROOT / "notebooks"
#: where each vendored script is, relative to an exported page
MATHJAX = "vendor/mathjax/tex-chtml-full.js"
URLS = {
    "mathjax_url": MATHJAX,
    "require_js_url": "vendor/requirejs/require.js",
    "jquery_url": "vendor/jquery/jquery.min.js",
}
FORMATS = {"slides": ("SlidesExporter", "gdteach_reveal"), "html": ("HTMLExporter", "gdteach_lab")}


def nbconvert_templates() -> list[str]:
    """The folder of nbconvert's own templates (``lab``, ``reveal``, ...), found from the files
    its wheel installed, or none if they are not listed.

    nbconvert looks for them only under ``share/jupyter`` of the running prefix; in a
    virtual environment made with ``--system-site-packages`` that uses the base Python's
    nbconvert they are under the base prefix, and every export fails with "No template
    sub-directory with name 'reveal'". Naming the folder as an extra base directory finds them
    wherever nbconvert is installed (where nbconvert already looks, it is the same folder).
    It goes in both as a base directory (``reveal`` is a sub-folder) and as a template path
    (our templates name ``reveal/index.html.j2``).
    """
    try:
        files = metadata.distribution("nbconvert").files or []
    except metadata.PackageNotFoundError:
        return []
    marker = ("nbconvert", "templates", "lab", "conf.json")
    return [
        str(Path(metadata.distribution("nbconvert").locate_file(f)).resolve().parents[1])
        for f in files if tuple(f.parts[-4:]) == marker
    ][:1]  # fmt: skip


def exporter(to: str):
    """An nbconvert exporter for ``to`` ("slides" or "html") whose pages load every script
    from ``vendor/`` beside them."""
    if to not in FORMATS:
        raise ValueError(f"to must be one of {sorted(FORMATS)}, got {to!r}")
    import nbconvert

    name, template = FORMATS[to]
    nbconvert_own = nbconvert_templates()
    options = dict(
        URLS,
        extra_template_basedirs=[str(TEMPLATES), *nbconvert_own],
        extra_template_paths=nbconvert_own,
        template_name=template,
    )
    if to == "slides":
        options.update(reveal_url_prefix="vendor/reveal.js", reveal_theme="white")
    return getattr(nbconvert, name)(**options)


def export(notebooks: list[Path], out: Path, to: str = "slides") -> list[Path]:
    """Write each notebook as a page into ``out`` with ``out/vendor`` beside them; return
    the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(VENDOR, out / "vendor", dirs_exist_ok=True)
    make = exporter(to)
    suffix = ".slides.html" if to == "slides" else ".html"
    pages = []
    for path in notebooks:
        import nbformat

        nb = nbformat.read(path, as_version=4)
        # widget state that `nbconvert --execute` or JupyterLab saved would make the page draw
        # the widget view with a manager from a CDN: the explorers' own HTML is used instead
        nb.metadata.pop("widgets", None)
        body, _resources = make.from_notebook_node(
            nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
        page = out / (path.stem + suffix)
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    return pages


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "workshop" / "slides")
    parser.add_argument("--to", choices=sorted(FORMATS), default="slides")
    parser.add_argument("--notebook", action="append", type=Path, help="default: every notebook")
    args = parser.parse_args(argv)
    notebooks = args.notebook or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    pages = export(notebooks, args.out, args.to)
    print(f"wrote {len(pages)} pages and vendor/ to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

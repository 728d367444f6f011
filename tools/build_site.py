"""Build the static site of the series from the notebooks and their stored outputs.

    python3 -m pip install -e ".[site]"
    python3 tools/build_site.py [OUT]        # default _build/site; open OUT/index.html

Nothing is executed: the pages show the outputs the notebooks store (checked under nbval
in CI). Sphinx with myst-nb and the Furo theme builds it (the ``site`` extra), configured
in ``site/conf.py``. Sphinx needs every page under one source folder, so the pages of
``site/`` and the notebooks are staged into ``_build/site-src`` first, each notebook with a
line under its title linking to its download, its exercise and how to run it locally.
The download is the notebook unchanged (staged under ``downloads/``, which is not a page),
never the staged copy with the site's links in MyST syntax.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "exercises" / "student"
#: a markdown link to a notebook file, which Sphinx would take for a page: made a download
NOTEBOOK_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:\.\./)?exercises/[^)\s]+\.ipynb)\)")
LINKS = (
    "**Download** {{download}}`this notebook <../downloads/{name}>`{exercise} · "
    "[how to run it on your machine](../running.md)"
)


def with_links(notebook: nbformat.NotebookNode, name: str, has_exercise: bool) -> None:
    """Insert, after the title cell of ``notebook``, a markdown cell with its download links,
    and drop any saved widget state (each explorer stores its own HTML for a page with no kernel)."""
    exercise = f" · {{download}}`its exercise <../exercises/student/{name}>`" if has_exercise else ""
    cell = nbformat.v4.new_markdown_cell(LINKS.format(name=name, exercise=exercise))
    cell.id = "gdteach-site-links"
    notebook.metadata.pop("widgets", None)  # saved widget state: the explorers' HTML is shown
    notebook.cells.insert(1, cell)
    for other in notebook.cells:
        if other.cell_type == "markdown":
            other.source = NOTEBOOK_LINK.sub(r"{download}`\1 <\2>`", other.source)


def stage(src: Path) -> Path:
    """Copy the site's pages, the README (for its notation card and errata) and the
    notebooks with their links into ``src``; return it."""
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(SITE, src, ignore=shutil.ignore_patterns("conf.py", "_static", "__pycache__"))
    shutil.copy(ROOT / "README.md", src / "README.md")
    (src / "notebooks").mkdir()
    (src / "downloads").mkdir()
    (src / "exercises" / "student").mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "README.md", src / "exercises" / "README.md")
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        exercise = EXERCISES / path.name
        if exercise.exists():
            shutil.copy(exercise, src / "exercises" / "student" / path.name)
        shutil.copy(path, src / "downloads" / path.name)
        notebook = nbformat.read(path, as_version=4)
        with_links(notebook, path.name, exercise.exists())
        nbformat.write(notebook, src / "notebooks" / path.name)
    return src


def build(out: Path, src: Path | None = None, quiet: bool = True) -> Path:
    """Stage the sources and run Sphinx's html builder into ``out``; return ``out``.

    Sphinx's pickled doctrees (a cache, twice the size of the pages) go beside ``out``, in
    ``site-doctrees``, so that ``out`` holds only what is served."""
    from sphinx.cmd.build import build_main

    src = stage(src or out.parent / "site-src")
    doctrees = out.parent / "site-doctrees"
    args = ["-b", "html", "-c", str(SITE), "-d", str(doctrees), "-n", "-W", "--keep-going", "-E", str(src), str(out)]
    status = build_main((["-q"] if quiet else []) + args)
    if status != 0:
        raise RuntimeError(f"sphinx-build exited with status {status} (warnings are errors)")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "_build" / "site")
    args = parser.parse_args(argv)
    build(args.out, quiet=False)
    print(f"site built in {args.out}: open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

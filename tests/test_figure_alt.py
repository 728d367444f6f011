"""Every figure a notebook stores carries alt text that says what it shows, in the stored
output and in the page nbconvert makes of it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.nbconvert_helper import is_figure

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IMG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="([^"]*)"')


def figure_outputs(path: Path) -> list[tuple[int, dict]]:
    nb = nbformat.read(path, as_version=4)
    return [(i, o) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.get("outputs", []) if is_figure(o)]


def alt_of(output: dict) -> str | None:
    """The alt text of a stored figure: of its <img> in text/html; None for a bare image/png."""
    html = output.get("data", {}).get("text/html", "")
    html = "".join(html) if isinstance(html, list) else html
    img = IMG.search(html)
    found = ALT.search(img.group(0)) if img else None
    return found.group(1) if found else None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_stored_figure_has_alt_text(path: Path) -> None:
    figures = figure_outputs(path)
    assert figures, f"{path.name} stores no figure"
    missing = [i for i, o in figures if not (alt_of(o) or "").strip()]
    assert missing == [], f"{path.name}: figures without alt text in cells {missing}"
    short = [i for i, o in figures if len(alt_of(o).split()) < 8]
    assert short == [], f"{path.name}: alt text too short to say what the figure shows, cells {short}"
    for i, o in figures:   # a screen reader reads the same words as the page
        assert o["data"]["text/plain"].strip(), f"{path.name} cell {i}: no text/plain"


def test_alt_of_tells_a_bare_png_from_an_img_with_alt() -> None:
    assert alt_of({"data": {"image/png": "iVBOR", "text/plain": "<Figure size 600x400>"}}) is None
    assert alt_of({"data": {"text/html": '<img src="data:image/png;base64,AA" alt="a b">'}}) == "a b"


def test_nbconvert_puts_the_alt_text_on_the_img() -> None:
    pytest.importorskip("nbconvert")
    from tests.nbconvert_helper import render

    path = NOTEBOOKS[0]
    try:
        html = render(path, "html")
    except ValueError as err:  # nbconvert's templates not installed where it looks
        pytest.skip(f"nbconvert cannot find its templates: {err}")
    figures = figure_outputs(path)
    imgs = [tag for tag in IMG.findall(html) if "data:image/png;base64," in tag]
    alts = [ALT.search(tag).group(1) if ALT.search(tag) else "" for tag in imgs]
    assert len(imgs) >= len(figures) and all(alts[: len(figures)])

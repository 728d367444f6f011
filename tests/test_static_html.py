"""Every notebook still teaches without a kernel: as static HTML each explorer has its
static figure beside it, and every figure the notebook stores is in the page."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.nbconvert_helper import is_figure, render

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _has_png(cell: nbformat.NotebookNode) -> bool:
    return any(is_figure(o) for o in cell.get("outputs", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_static_html_shows_every_figure_and_a_figure_beside_each_explorer(
    path: Path
) -> None:
    html = render(path, "html")
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    figures = sum(1 for c in code for o in c.get("outputs", []) if is_figure(o))
    assert figures > 0, f"{path.name} stores no figure"
    assert html.count("data:image/png;base64") >= figures
    for i, cell in enumerate(code):
        if "_explorer(" in cell.source:
            neighbours = code[max(0, i - 2) : i] + code[i + 1 : i + 3]
            assert any(_has_png(c) for c in neighbours), (
                f"{path.name}: the explorer in code cell {i} has no static figure beside it"
            )

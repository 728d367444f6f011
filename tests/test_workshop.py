"""The workshop kit: notebooks that open and close like lessons, slide decks, live-coding
versions, and an install that works in a room without network."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.nbconvert_helper import is_figure, render

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NAMES = [nb.name for nb in NOTEBOOKS]


def _markdown(nb: nbformat.NotebookNode, cells: slice) -> str:
    return "\n".join(c.source for c in nb.cells[cells] if c.cell_type == "markdown")


def test_the_series_has_five_notebooks_in_order() -> None:
    assert [n[:3] for n in NAMES] == ["01_", "02_", "03_", "04_", "05_"], NAMES


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_opens_with_objectives_prerequisites_and_time(path: Path) -> None:
    head = _markdown(nbformat.read(path, as_version=4), slice(0, 3)).lower()
    assert "learning objectives" in head, f"{path.name}: no learning objectives at the top"
    assert "prerequisite" in head, f"{path.name}: no prerequisites at the top"
    assert re.search(r"\d+\s*(min|minutes|h\b|hour)", head), f"{path.name}: no time estimate"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_closes_with_recap_and_folded_self_test(path: Path) -> None:
    tail = _markdown(nbformat.read(path, as_version=4), slice(-4, None))
    assert "recap" in tail.lower(), f"{path.name}: no recap at the end"
    assert "self-test" in tail.lower() or "self test" in tail.lower(), f"{path.name}: no self-test"
    assert tail.count("<details>") >= 3, f"{path.name}: self-test answers must be folded away"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_has_slide_metadata_on_every_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    missing = [i for i, c in enumerate(nb.cells) if "slide_type" not in c.metadata.get("slideshow", {})]
    assert not missing, f"{path.name}: cells without slide metadata: {missing[:10]}"
    assert nb.cells[0].metadata.slideshow.slide_type == "slide"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_slide_deck_has_its_title_and_figures(path: Path) -> None:
    html = render(path, "slides")
    nb = nbformat.read(path, as_version=4)
    title = next(line for line in nb.cells[0].source.splitlines() if line.startswith("# "))[2:]
    assert re.sub(r"[*`]", "", title).strip()[:20] in re.sub(r"<[^>]+>", "", html)
    shown = [
        c for c in nb.cells
        if c.metadata.get("slideshow", {}).get("slide_type") != "skip"
        for o in c.get("outputs", []) if is_figure(o)
    ]  # fmt: skip
    assert shown, f"{path.name}: no figure is on a slide"
    assert html.count("data:image/png;base64") >= len(shown)
    assert html.count("<section") >= 5, f"{path.name}: the deck has fewer than 5 slides"


def _make_live():
    sys.path.insert(0, str(ROOT / "workshop"))
    try:
        import make_live
    finally:
        sys.path.pop(0)
    return make_live


def test_live_coding_versions_are_generated_and_fresh(capsys: pytest.CaptureFixture) -> None:
    assert _make_live().main(["--check"]) == 0, capsys.readouterr().out  # in process: no startup


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_live_version_empties_exactly_the_tagged_cells(path: Path) -> None:
    make_live = _make_live()
    TAG, live_version = make_live.TAG, make_live.live_version  # noqa: N806 - its constant's name
    nb = nbformat.read(path, as_version=4)
    live = live_version(nb, path.name)
    tagged = [TAG in c.metadata.get("tags", []) for c in nb.cells]
    assert any(tagged), f"{path.name}: no cell is tagged {TAG!r} for live coding"
    for cell, was_tagged, new in zip(nb.cells, tagged, live.cells[1:]):
        if was_tagged:
            assert new.source == "" and new.outputs == []
        else:
            assert new.source == cell.source


@pytest.mark.slow
@pytest.mark.skipif(
    not (os.environ.get("CI") or os.environ.get("GDTEACH_OFFLINE_TEST")),
    reason="downloads ~90 MB of wheels; runs in CI or with GDTEACH_OFFLINE_TEST=1",
)
def test_installs_from_a_wheelhouse_with_the_network_off(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "workshop" / "offline_install.sh"), str(tmp_path / "wheelhouse")],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "offline install OK" in result.stdout

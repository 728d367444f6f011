"""Committed notebooks carry nothing that changes from run to run: no widget state (random
model ids), no cell timings, and cells executed in order from a fresh kernel."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "exercises" / "source").glob("*.ipynb")
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_notebook_has_no_volatile_metadata_and_ran_in_order(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, f"{path.name}: stored widget state (random ids)"
    timed = [i for i, c in enumerate(nb.cells) if "execution" in c.metadata]
    assert not timed, f"{path.name}: cells {timed[:5]} store run timings"
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: not run once, top to bottom"
    # a repr like "<… object at 0x7f…>" changes on every run (it once slipped in with a widget)
    addresses = [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code"
        for out in c.get("outputs", [])
        if re.search(r" at 0x[0-9a-f]{6,}", str(out.get("data", {}).get("text/plain", "")) + str(out.get("text", "")))
    ]
    assert not addresses, f"{path.name}: cells {addresses[:5]} store a memory address"

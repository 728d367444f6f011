"""Figures and the sentences beside them say the same thing (issue 19: "figure and text agree")."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np

from tests.test_figure_alt import alt_of

ROOT = Path(__file__).resolve().parents[1]
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def minima_of_x_cos(c: float, lo: float, hi: float) -> list[float]:
    """The minima of x·cos(cx) on [lo, hi], without gdteach: f'(x) = cos(cx) − cx·sin(cx) goes
    from − to + (a fine grid, then bisection)."""
    def slope(x):
        return np.cos(c * x) - c * x * np.sin(c * x)

    xs = np.linspace(lo, hi, 200_001)
    s = slope(xs)
    found = []
    for i in np.flatnonzero((s[:-1] < 0) & (s[1:] >= 0)):
        a, b = xs[i], xs[i + 1]
        for _ in range(60):
            mid = 0.5 * (a + b)
            a, b = (mid, b) if slope(mid) < 0 else (a, mid)
        found.append(0.5 * (a + b))
    return found


def test_the_minima_figure_and_the_text_count_the_same_minima_on_the_interval() -> None:
    nb = nbformat.read(ROOT / "notebooks" / "04_learning_rate.ipynb", as_version=4)
    text = next(c.source for c in nb.cells if c.cell_type == "markdown" and "x\\cos(cx)" in c.source)
    said = re.search(r"on \$\[-20, 20\]\$ it has\s+(\w+)\s+minima", text)
    assert said, "the section no longer states how many minima lie on [−20, 20]"
    truth = minima_of_x_cos(0.15 * np.pi, -20.0, 20.0)
    assert WORDS[said.group(1)] == len(truth) == 3
    figure = next(o for c in nb.cells if c.cell_type == "code" and "Which minimum each run reaches" in c.source
                  for o in c.outputs if alt_of(o))
    alt = alt_of(figure)
    assert f"{len(truth)} minima on [-20, 20]" in alt
    for m in truth:                                   # and it names each of them
        assert f"x = {m:.1f}" in alt

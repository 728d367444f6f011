"""Show a figure in a notebook with its alt text, sharp on high-density screens.

matplotlib's inline backend stores a figure as a bare ``image/png`` with no alt text, and
neither JupyterLab nor nbconvert has a place for one. :func:`show` stores it as an
``<img alt="…">`` (``text/html``, drawn at twice the pixel density and shown at its size:
"retina"), with the alt text as the output's ``text/plain``, so it lands in the stored
notebook, in JupyterLab (screen readers), and in ``jupyter nbconvert --to html`` pages.
"""

from __future__ import annotations

import base64
import html
import io
import struct
import sys
from typing import Any

import matplotlib.pyplot as plt

from ..checks import check_int

#: pixel density of the stored image relative to the figure's own dpi (2: "retina")
DENSITY = 2


def figure_bundle(fig: Any, alt: str, *, density: int = DENSITY) -> dict[str, str]:
    """The display bundle of ``fig``: ``text/html`` (an ``<img>`` with ``alt`` and the
    figure's size in CSS pixels, its PNG at ``density`` × that) and ``text/plain`` (``alt``).

    >>> import matplotlib; matplotlib.use("Agg")
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> bundle = figure_bundle(fig, 'An "empty" plot')
    >>> bundle["text/plain"], 'alt="An &quot;empty&quot; plot"' in bundle["text/html"]
    ('An "empty" plot', True)
    """
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must be a sentence saying what the figure shows, got {alt!r}")
    density = check_int("density", density, minimum=1)
    buffer = io.BytesIO()
    # no timestamp or software version in the file: the stored output is the same on every run
    fig.savefig(buffer, format="png", dpi=fig.dpi * density, bbox_inches="tight", pad_inches=0.05,
                metadata={"Software": None})
    png = buffer.getvalue()
    width, height = struct.unpack(">II", png[16:24])
    data = base64.b64encode(png).decode("ascii")
    img = (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
           f'width="{round(width / density)}" height="{round(height / density)}">')
    return {"text/html": img, "text/plain": alt}


def show(fig: Any = None, alt: str = "", *, density: int = DENSITY) -> None:
    """Display ``fig`` (default: the current figure) with its alt text, then close it.
    Outside a notebook kernel this is ``plt.show()``.

    ``alt`` says what the figure shows, built from the cell's parameters like every other
    sentence of a notebook (a learner who changes them gets a true description).
    """
    fig = fig if fig is not None else plt.gcf()
    bundle = figure_bundle(fig, alt, density=density)
    # a kernel has IPython loaded already: use it without making it a dependency
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "kernel"):
        plt.show()
        return
    ipython.display.display(bundle, raw=True)
    plt.close(fig)

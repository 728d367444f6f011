"""One way to render a notebook with nbconvert for the tests that read the result.

In process, with one exporter per format for the whole session: a ``jupyter nbconvert``
subprocess per notebook spent most of its ~2.7 s starting Python and importing nbconvert.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

EXPORTERS = {"html": "HTMLExporter", "slides": "SlidesExporter"}


@cache
def _exporter(to: str):
    import nbconvert

    return getattr(nbconvert, EXPORTERS[to])()


def render(path: Path, to: str) -> str:
    """What ``jupyter nbconvert --to {to} path`` writes (``to`` is "html" or "slides"),
    as text."""
    body, _resources = _exporter(to).from_filename(str(path))
    return body


def is_figure(output: dict) -> bool:
    """Whether a stored output is a figure: a bare ``image/png`` (matplotlib's inline backend)
    or an ``<img>`` of one in ``text/html`` (:func:`gdteach.plot.show`, which adds alt text)."""
    data = output.get("data", {})
    html = data.get("text/html", "")
    return "image/png" in data or "data:image/png;base64," in ("".join(html) if isinstance(html, list) else html)

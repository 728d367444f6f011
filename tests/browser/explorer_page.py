"""Reusable Playwright helpers for pages with gdteach explorers (JupyterLab, an nbconvert
export, a slide deck, the static site).

An explorer's root element is ``.gd-root``; each drawn path is a ``path.gd-path`` whose
``data-xy`` holds the path in data coordinates (``[xs, ys]``; in 1-D, ys are the losses)
and ``data-xlim``/``data-ylim``/``data-box`` say where it is drawn.

    with chromium_page() as (page, blocked):
        page.goto(url)
        drag_start(page, 0, to=(-1.0, 2.5))
        points = read_path(page, 0)

``drag_start`` moves the start point of explorer ``explorer_index`` with the mouse to the
data point ``to``; ``read_path`` returns the first run's path as a list of points.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = os.environ.get("GDTEACH_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
EXPLORER_JS = Path(__file__).resolve().parents[2] / "gdteach" / "explorer.js"


@contextlib.contextmanager
def chromium_page(*, allow: tuple[str, ...] = ("file:", "data:", "blob:", "about:")) -> Iterator[tuple]:
    """A headless Chromium page (Debian's), every request not starting with ``allow``
    blocked and recorded in the list yielded beside the page."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1300, "height": 900})

            def route(r):
                if r.request.url.startswith(allow):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.errors = errors
            yield page, blocked
        finally:
            browser.close()


def explorer_root(page, explorer_index: int):
    return page.locator(".gd-root").nth(explorer_index)


def _first_path(page, explorer_index: int) -> dict:
    return explorer_root(page, explorer_index).evaluate(
        """(root) => { const p = root.querySelector("path.gd-path");
             return { xy: JSON.parse(p.dataset.xy), xlim: p.dataset.xlim.split(",").map(Number),
                      ylim: p.dataset.ylim.split(",").map(Number), box: p.dataset.box.split(",").map(Number),
                      count: root.dataset.count, settings: JSON.parse(root.dataset.settings) }; }""")


def read_path(page, explorer_index: int) -> list[tuple[float, ...]]:
    """The first run's path drawn by explorer ``explorer_index``, in data coordinates: a list
    of (x, y) points in 2-D, of (x, loss) in 1-D (None where a value is not finite)."""
    xs, ys = _first_path(page, explorer_index)["xy"]
    return list(zip(xs, ys, strict=True))


def settings(page, explorer_index: int) -> dict:
    """What the explorer says it shows: ``{"x0", "steps", "optimizers": {name: repr}}``."""
    return _first_path(page, explorer_index)["settings"]


def drag_start(page, explorer_index: int, to: tuple[float, float]) -> None:
    """Drag the start point of explorer ``explorer_index`` with the mouse to the data point
    ``to`` (in 1-D, ``to[0]`` is the start; the point stays on the curve), in a few moves,
    and wait until the explorer has drawn the last one."""
    root = explorer_root(page, explorer_index)
    root.scroll_into_view_if_needed()
    path = _first_path(page, explorer_index)
    ring = root.locator(".gd-start circle.gd-ring").bounding_box()
    plot = root.locator("svg.gd-plot").bounding_box()
    view = root.locator("svg.gd-plot").evaluate("(s) => s.viewBox.baseVal.width")
    k = plot["width"] / view  # screen pixels per SVG unit
    bx, by, bw, bh = path["box"]
    (x_lo, x_hi), (y_lo, y_hi) = path["xlim"], path["ylim"]
    tx = plot["x"] + k * (bx + (to[0] - x_lo) / (x_hi - x_lo) * bw)
    ty = plot["y"] + k * (by + bh - (to[1] - y_lo) / (y_hi - y_lo) * bh) if len(path["settings"]["x0"]) == 2 \
        else ring["y"] + ring["height"] / 2
    page.mouse.move(ring["x"] + ring["width"] / 2, ring["y"] + ring["height"] / 2)
    page.mouse.down()
    page.mouse.move(tx, ty, steps=8)
    page.mouse.up()
    page.wait_for_function("(root) => root.dataset.busy === '0'", arg=root.element_handle(), timeout=10_000)


def static_state(page, explorer_index: int) -> dict:
    """The state an explorer was started from in a page without a kernel (its JSON script)."""
    return json.loads(page.locator("script[type='application/json'][data-gdteach-state]").nth(explorer_index).text_content())

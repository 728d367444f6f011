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
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np

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
    return json.loads(page.locator(".gdteach-static-explorer script.gd-state").nth(explorer_index).text_content())


#: the objectives of the series' explorers, by the title the page shows: (factory, argument)
OBJECTIVES = {
    "(w − 3)²": ("shifted_square", 3.0),
    "0.1·x1² + 2·x2²": ("quadratic", [0.1, 2.0]),
    "0.02·x1² + 2·x2²": ("quadratic", [0.02, 2.0]),
}

#: what an explorer drew, read from its page (run in the page on the explorer's root)
DRAWN = """
(root) => ({
  tuned: root.querySelector(".gd-control[data-control=tune] select")
    ? root.querySelector(".gd-control[data-control=tune] select").value : "path",
  settings: JSON.parse(root.dataset.settings),
  objective: root.dataset.objective,
  paths: Array.from(root.querySelectorAll("path.gd-path")).map((p) => ({
    run: p.parentNode.dataset.run, d: p.getAttribute("d"), width: p.getAttribute("stroke-width"),
    first: p.dataset.first, last: p.dataset.last, xlim: p.dataset.xlim, ylim: p.dataset.ylim,
    box: p.dataset.box,
  })),
  outputs: Object.fromEntries(Array.from(root.querySelectorAll(".gd-control")).map(
    (c) => [c.dataset.control, c.querySelector("output") ? c.querySelector("output").textContent : null])),
  summary: root.querySelector(".gd-summary").textContent,
  error: root.querySelector(".gd-error") ? root.querySelector(".gd-error").textContent : "",
})
"""


def objective_named(name: str):
    from gdteach import objectives

    assert name in OBJECTIVES, f"add the objective {name!r} to OBJECTIVES in tests/browser/explorer_page.py"
    factory, argument = OBJECTIVES[name]
    return getattr(objectives, factory)(argument)


def path_ends(d: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """The first and the last point of an SVG path's d ("M x y L x y …")."""
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return (numbers[0], numbers[1]), (numbers[-2], numbers[-1])


def check_drawn_matches_gdteach(drawn: dict, where: str) -> None:
    """Every drawn path starts and ends where gdteach.run says, for the settings the page shows:
    in the data (4 significant digits, as displayed) and in pixels (within 0.6 px)."""
    from gdteach import optim, run

    objective = objective_named(drawn["objective"])
    settings = drawn["settings"]
    x0 = settings["x0"][0] if len(settings["x0"]) == 1 else settings["x0"]
    assert drawn["paths"], f"{where}: nothing drawn"
    assert not drawn["error"], f"{where}: the explorer reports {drawn['error']!r}"
    for path in drawn["paths"]:
        optimizer = eval(settings["optimizers"][path["run"]], dict(optim.ALL))  # noqa: S307 - a repr we made
        traj = run(objective, x0, optimizer, settings["steps"], warn=False)
        if traj.x.ndim == 1:
            points = np.stack([traj.x, traj.loss], axis=1)
        else:
            points = traj.x
        finite = np.where(np.all(np.isfinite(points), axis=1))[0]
        first, last = points[0], points[finite[-1]]
        for shown, expected, which in ((path["first"], first, "first"), (path["last"], last, "last")):
            values = [float(v) for v in shown.split(",")]
            assert np.allclose(values, expected, rtol=6e-4, atol=1e-9), (
                f"{where}: {path['run']}'s {which} point is drawn at {values}, gdteach.run gives "
                f"{expected.tolist()} for {settings}"
            )
        xlim = [float(v) for v in path["xlim"].split(",")]
        ylim = [float(v) for v in path["ylim"].split(",")]
        bx, by, bw, bh = (float(v) for v in path["box"].split(","))
        for pixel, point in zip(path_ends(path["d"]), (first, last)):
            expected_px = (bx + (point[0] - xlim[0]) / (xlim[1] - xlim[0]) * bw,
                           by + bh - (point[1] - ylim[0]) / (ylim[1] - ylim[0]) * bh)
            if all(abs(v) < 1e4 for v in expected_px):
                assert np.allclose(pixel, expected_px, atol=0.6), (
                    f"{where}: {path['run']} drawn at pixel {pixel}, expected {expected_px}"
                )


def drag_each_static_explorer(page, count: int, where: str, shots: Path, before_each=None) -> None:
    """The page holds ``count`` explorers with no kernel (``gdteach.widgets.static``): each
    draws what its stored state says (checked against gdteach.run), and a drag of its start
    redraws every path where gdteach.run puts it; a screenshot after the drag goes to
    ``<shots>_<i>.png``. ``before_each(page, i)`` brings explorer ``i`` on screen (a slide)."""
    roots = page.locator(".gdteach-static-explorer .gd-root")
    roots.nth(count - 1).wait_for(state="attached", timeout=30_000)
    assert roots.count() == count, f"{where}: {roots.count()} explorers drawn, {count} stored"
    shots.parent.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        if before_each is not None:
            before_each(page, i)
        root, at = roots.nth(i), f"{where}, explorer {i}"
        before = root.evaluate(DRAWN)
        check_drawn_matches_gdteach(before, at + ", as stored")
        assert before["settings"] == static_state(page, i)["frame"]["settings"]
        x0 = before["settings"]["x0"]
        drag_start(page, i, (x0[0] + 1.0, x0[1] - 0.5) if len(x0) == 2 else (x0[0] + 1.5, 0.0))
        after = root.evaluate(DRAWN)
        assert after["settings"]["x0"] != x0, f"{at}: the drag did not move the start"
        assert after["paths"] != before["paths"], f"{at}: the path was not redrawn"
        check_drawn_matches_gdteach(after, at + ", after a drag")
        note = " ".join(root.locator(".gd-note").all_text_contents())
        told = " ".join(root.locator(".gd-static-note").all_text_contents())
        assert "cannot compute" not in note and "only the start point moves" in told, (at, note, told)
        (page if before_each is not None else root).screenshot(path=f"{shots}_{i}.png")

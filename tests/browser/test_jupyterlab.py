"""The series as a learner sees it: JupyterLab in a real Chromium, explorers that follow the hand.

For every notebook of the series with an explorer this test opens it in JupyterLab (on
127.0.0.1, with a token), where its stored outputs render, runs its set-up cells and the
sections that hold an explorer (``cells_to_run``: every other cell's output is nbval's to
check; ``GDTEACH_BROWSER_ALL=1`` opens every notebook and runs all its cells) and saves a
screenshot under ``artifacts/screenshots/``. Every
explorer (drawn in the page by ``gdteach/explorer.js``) is then driven as a learner would:
each slider by key presses, each select and a checkbox, the start point by keys and by a
drag with the mouse (one move at a time, then a fast drag whose last position must be the
one drawn). After every change the drawn path must differ from before and start and end
where ``gdteach.run`` says for the settings the page shows (to the digits displayed, and
to the pixel). ``artifacts/widget_latency.json`` gets the time from each input event to the
new frame drawn, split into keys, selects, checkboxes and drags; nothing here asserts a
time (a busy machine could fail it): ``benchmarks/bench_widget_latency.py`` runs this test
with ``GDTEACH_LATENCY=1``, which drives every explorer a second time with a CPU-bound
process on every core, and prints the medians and 95th percentiles against the budget.
A screenshot of each explorer goes to ``artifacts/explorer-<notebook>-<i>.png``. The page may contact only the local server.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright for Python; no
browser is downloaded. Locally, without Chromium, the test is skipped with the reason;
under CI (``CI`` set) a missing browser is a failure.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from .explorer_page import DRAWN, check_drawn_matches_gdteach

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = Path(os.environ.get("GDTEACH_NOTEBOOKS", ROOT / "notebooks"))
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = Path(os.environ.get("GDTEACH_ARTIFACTS", ROOT / "artifacts"))
CHROMIUM = os.environ.get("GDTEACH_CHROMIUM", "/usr/bin/chromium")
#: GDTEACH_LATENCY=1 (the benchmark): drive every explorer again with every core busy
LOADED_RUN = os.environ.get("GDTEACH_LATENCY") == "1"

pytestmark = pytest.mark.browser

#: a server config that sets TCP_NODELAY on every websocket the server accepts
NODELAY_CONFIG = """
from tornado.websocket import WebSocketProtocol13

_receive_frames = WebSocketProtocol13._receive_frame_loop


async def _receive_frames_nodelay(self):
    self.stream.set_nodelay(True)
    return await _receive_frames(self)


WebSocketProtocol13._receive_frame_loop = _receive_frames_nodelay
"""


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JupyterLab server on a copy of the notebooks (so nothing in the repo is touched)."""
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[test]')")
    work = tmp_path_factory.mktemp("lab")
    for nb in NOTEBOOKS:
        shutil.copy(nb, work / nb.name)
    # Render every cell (JupyterLab 4 otherwise only renders cells near the viewport), no
    # news pop-up, and a fresh workspace so no earlier session's tabs come back.
    config = tmp_path_factory.mktemp("labconfig")  # outside the served folder
    settings = config / "settings"
    for plugin, value in {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        target = settings / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    # jupyter_server leaves Nagle's algorithm on for its websockets: the kernel's small "busy"
    # status goes first and the explorer's frame then waits for the browser's delayed ACK
    # (about 25 ms more per round trip on Linux). The test measures the stock server, as a
    # learner has it; GDTEACH_LAB_NODELAY=1 measures it with TCP_NODELAY set.
    server_config = config / "jupyter_server_config.py"
    server_config.write_text(NODELAY_CONFIG if os.environ.get("GDTEACH_LAB_NODELAY") == "1" else "")
    port, token = _free_port(), secrets.token_hex(16)
    log = open(config / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
            f"--port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}", "--ServerApp.open_browser=False",
            "--allow-root", f"--LabApp.user_settings_dir={settings}", f"--config={server_config}",
            f"--LabApp.workspaces_dir={config / 'workspaces'}", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        stdout=log, stderr=subprocess.STDOUT, cwd=work,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail(
                    "JupyterLab did not start on 127.0.0.1 within 60 s; its log:\n"
                    + (config / "jupyterlab.log").read_text()[-3000:],
                    pytrace=False,
                )
            time.sleep(0.3)
    yield f"{url}|{token}"
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def lab_context(lab: str) -> Iterator[object]:
    """A browser context in Debian's Chromium, shared by the notebooks of this module."""
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync",
                ],
            )  # fmt: skip
        except Error as err:
            pytest.fail(f"Chromium at {CHROMIUM} could not start: {err}", pytrace=False)
        # one context for the module: JupyterLab's scripts come from its cache after the
        # first notebook (each notebook still opens in a page and a workspace of its own)
        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
        yield context
        context.close()
        chromium.close()


def _expected_explorers(notebook: Path) -> int:
    """How many explorer cells the notebook has (cells that call a gdteach explorer)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(
        1 for c in cells
        if c["cell_type"] == "code" and "_explorer(" in "".join(c["source"])
    )  # fmt: skip


def _accept_dialogs(page) -> None:
    """Accept a "Select Kernel" (or any) dialog with its default choice."""
    dialog = page.locator(".jp-Dialog .jp-mod-accept")
    if dialog.count():
        dialog.first.click()


def cells_to_run(notebook: Path) -> list[int] | None:
    """The positions (among all cells) of the set-up code cells and of every code cell in a
    ``##`` section that holds an explorer; None means every cell (GDTEACH_BROWSER_ALL=1).

    Every section runs after the set-up cells alone (tests/test_sections.py) and every other
    cell's output is what nbval re-computes (its stored output, which the page renders and
    the checks below read for errors and requests): running the other cells here again
    would add only time."""
    if os.environ.get("GDTEACH_BROWSER_ALL") == "1":
        return None
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    section: list[int] = []
    sections: list[list[int]] = [section]  # the first one holds the set-up cells
    for i, cell in enumerate(cells):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and re.search(r"^## (?!#)", source, re.MULTILINE):
            section = []
            sections.append(section)
        elif cell["cell_type"] == "code" and source.strip():
            section.append(i)
    has_explorer = [any("_explorer(" in "".join(cells[i]["source"]) for i in s) for s in sections]
    return [i for k, s in enumerate(sections) if k == 0 or has_explorer[k] for i in s]


def _run_and_wait(page, cells: list[int] | None) -> None:
    """Run ``cells`` (positions in the notebook, in order; None: Run All) as a learner does,
    one cell at a time (select it, Ctrl+Enter), and wait until none is still running."""
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    _accept_dialogs(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator, #jp-main-statusbar", timeout=60_000)
    # the kernel must be ready before "Run All"
    page.wait_for_function(
        "() => document.querySelector('.jp-Toolbar-kernelStatus, .jp-Notebook-ExecutionIndicator')",
        timeout=60_000,
    )
    _accept_dialogs(page)
    if cells is None:
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    else:
        in_page = page.locator(".jp-Notebook .jp-Cell")
        for i in cells:
            cell = in_page.nth(i)
            cell.scroll_into_view_if_needed()
            cell.locator(".jp-InputPrompt").click()  # selects the cell, in command mode
            page.keyboard.press("Control+Enter")
    # done when no prompt shows [*] and the kernel indicator reports idle
    page.wait_for_timeout(500)
    page.wait_for_function(
        """() => {
          const prompts = Array.from(document.querySelectorAll('.jp-InputPrompt'));
          return prompts.length > 0 && prompts.every((p) => !p.textContent.includes('*'));
        }""",
        timeout=120_000,
    )


# --------------------------------------------------------------------------- explorers

#: the objectives the notebooks' explorers draw, by the name the page shows
# Runs in the page: arm a watch on one explorer. t0 is the first input event that reaches it
# (key, pointer, input, change); done is when the explorer has drawn a new frame.
ARM = """
(root) => {
  const drawn = (DRAWN_FN)(root);
  const watch = { count: root.dataset.count, t0: null, done: null };
  window.__gd = watch;
  const mark = () => { if (watch.t0 === null) watch.t0 = performance.now(); };
  for (const type of ["keydown", "pointermove", "pointerdown", "input", "change"]) {
    root.addEventListener(type, mark, { capture: true, once: true });
  }
  const obs = new MutationObserver(() => {
    if (root.dataset.count !== watch.count) { watch.done = performance.now(); obs.disconnect(); }
  });
  obs.observe(root, { attributes: true, attributeFilter: ["data-count"] });
  return drawn;
}
"""

def _change(page, root, act) -> tuple[float, dict, dict]:
    """Perform `act` on the explorer `root` once it is settled: ms from the input event to the
    new frame drawn, and what was drawn before and after."""
    _settled(page, root)
    before = root.evaluate(ARM.replace("DRAWN_FN", DRAWN))
    act()
    handle = page.wait_for_function(
        "() => window.__gd.done !== null && [window.__gd.t0, window.__gd.done]", timeout=10_000)
    t0, done = handle.json_value()
    assert t0 is not None, "the action sent no input event to the explorer"
    return done - t0, before, root.evaluate(DRAWN)


def _settled(page, root) -> None:
    """Wait until the explorer has no request in flight and has its previews (as a learner
    who looks at the picture between two key presses)."""
    page.wait_for_function("(root) => root.dataset.busy === '0'", arg=root.element_handle(),
                           timeout=10_000)


def _drive(page, root, where: str) -> dict[str, list[float]]:
    """Move every control of one explorer and drag its start; check each new frame against
    gdteach; return the latencies (ms) of key presses (on a slider or the start point),
    selects, checkboxes and the pointer moves of a drag."""
    times: dict[str, list[float]] = {"keys": [], "selects": [], "checkboxes": [], "drags": []}

    def act_and_check(act, label: str, must_change: bool = True, kind: str = "keys") -> None:
        ms, before, after = _change(page, root, act)
        times[kind].append(ms)
        if must_change:
            assert after["paths"] != before["paths"], f"{where}, {label}: the drawn path did not change"
        check_drawn_matches_gdteach(after, f"{where}, {label}")
        for name, shown in after["outputs"].items():  # a slider's number is what was computed
            if shown is not None and name in ("lr", "steps"):
                value = settings_value(after, name)
                assert np.isclose(float(shown), value, rtol=5e-3), (
                    f"{where}, {label}: the {name} control shows {shown}, the run used {value}")

    def settings_value(drawn: dict, name: str) -> float:
        if name == "steps":
            return drawn["settings"]["steps"]
        return float(re.search(r"lr=([^,)]+)", drawn["settings"]["optimizers"][drawn["tuned"]]).group(1))

    sliders = root.locator("input[type=range]")
    for j in range(sliders.count()):
        slider = sliders.nth(j)
        for key in ["ArrowRight"] * 2 + ["ArrowLeft"] * 2:
            act_and_check(lambda s=slider, k=key: s.press(k), f"slider {j} {key}")
    selects = root.locator("select")
    for j in range(selects.count()):
        select = selects.nth(j)
        current = select.input_value()
        options = select.locator("option").all_inner_texts()
        for option in [o for o in options if o != current][:2] + [current]:
            act_and_check(lambda s=select, o=option: s.select_option(label=o), f"select {j} {option}",
                          kind="selects")
    boxes = root.locator("input[type=checkbox]")
    unchecked = [i for i in range(boxes.count()) if not boxes.nth(i).is_checked()][:1]
    for i in unchecked:
        checkbox = boxes.nth(i)
        for state in ("on", "off"):
            act_and_check(lambda b=checkbox: (b.focus(), b.press("Space")), f"checkbox {i} {state}",
                          kind="checkboxes")
    # the start point: keyboard, then a drag one move at a time, then a fast drag
    start = root.locator(".gd-start")
    two_d = len(root.evaluate(DRAWN)["settings"]["x0"]) == 2
    for key in ("ArrowRight", "ArrowUp", "ArrowLeft") if two_d else ("ArrowRight", "ArrowLeft"):
        act_and_check(lambda k=key: start.press(k), f"start {key}")
    _settled(page, root)
    box = start.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    plot = root.locator(".gd-hit").bounding_box()  # drag towards the middle of the plot
    dx = 1.0 if x < plot["x"] + plot["width"] / 2 else -1.0
    dy = 1.0 if y < plot["y"] + plot["height"] / 2 else -1.0
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 5):
        act_and_check(lambda k=k: page.mouse.move(x + 12 * k * dx, y + 6 * k * dy),
                      f"drag step {k}", kind="drags")
    end_x = x + 90 * dx
    page.mouse.move(end_x, y + 30 * dy, steps=12)  # fast: the page coalesces, the last is drawn
    page.mouse.up()
    # the last coalesced value goes out when the one in flight is answered
    page.wait_for_function("(root) => root.dataset.busy === '0'", arg=root.element_handle())
    drawn = root.evaluate(DRAWN)
    check_drawn_matches_gdteach(drawn, f"{where}, fast drag")
    ring = root.locator(".gd-start circle.gd-ring").bounding_box()
    assert abs(ring["x"] + ring["width"] / 2 - end_x) < 2.5, (
        f"{where}: after a fast drag the start is drawn at x={ring['x'] + ring['width'] / 2:.1f}, "
        f"the pointer stopped at {end_x:.1f}"
    )
    return times


@contextlib.contextmanager
def _busy_cores() -> Iterator[int]:
    """A CPU-bound process on every core, stopped on exit."""
    count = os.cpu_count() or 1
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        time.sleep(0.3)
        yield count
    finally:
        for spinner in spinners:
            spinner.kill()
        for spinner in spinners:
            spinner.wait()


def _stats(times: dict[str, list[float]]) -> dict:
    """Median and 95th percentile (nearest rank) of all changes, and of each kind."""
    def one(values: list[float]) -> dict:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
        return {"median_ms": round(statistics.median(values), 1), "p95_ms": round(p95, 1),
                "n": len(values)}

    every = [t for values in times.values() for t in values]
    return {**one(every), **{kind: {**one(v), "all_ms": [round(t, 1) for t in v]}
                             for kind, v in times.items() if v}}


# The notebooks with explorers; GDTEACH_BROWSER_ALL=1 opens every notebook of the series.
UNDER_TEST = [nb.name for nb in NOTEBOOKS
              if os.environ.get("GDTEACH_BROWSER_ALL") == "1" or _expected_explorers(nb)]


@pytest.mark.parametrize("notebook", UNDER_TEST)
def test_notebook_runs_in_jupyterlab_and_its_explorers_respond(
    lab: str, lab_context, notebook: str
) -> None:
    url, token = lab.split("|")
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = lab_context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    try:
        # a workspace of its own, so only this notebook is open
        workspace = Path(notebook).stem.replace("_", "-")
        page.goto(
            f"{url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}",
            wait_until="domcontentloaded",
        )
        began = time.monotonic()
        ran = cells_to_run(NB_DIR / notebook)
        _run_and_wait(page, ran)
        run_all_s = round(time.monotonic() - began, 1)
        if ran is not None:  # the cells it ran are numbered 1, 2, … in this kernel, in order
            prompts = page.locator(".jp-Notebook .jp-Cell").evaluate_all(
                "(cells) => cells.map((c) => (c.querySelector('.jp-InputPrompt') || {}).textContent || '')")
            numbers = [prompts[i].strip() for i in ran]
            assert numbers == [f"[{n}]:" for n in range(1, len(ran) + 1)], (
                f"{notebook}: the cells meant to run ({ran}) show {numbers}")
        explorers = page.locator(".gdteach-explorer")
        expected = _expected_explorers(NB_DIR / notebook)
        if expected:
            explorers.nth(expected - 1).wait_for(timeout=60_000)
        assert explorers.count() == expected, (
            f"{notebook}: {expected} explorer cell(s) in the notebook, {explorers.count()} in the page"
        )
        latencies: dict[str, dict] = {}
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            root = explorer.locator(".gd-root")
            root.wait_for(timeout=30_000)
            page.wait_for_function("(root) => root.dataset.count !== undefined", arg=root.element_handle())
            where = f"{notebook}: explorer {i}"
            _settled(page, root)  # as the notebook built it, before any control moves
            explorer.screenshot(path=str(ARTIFACTS / f"explorer-{Path(notebook).stem}-{i}.png"))
            began = time.monotonic()
            latencies[f"explorer {i}"] = {"quiet": _stats(_drive(page, root, where))}
            if LOADED_RUN:
                with _busy_cores() as cores:
                    loaded = _drive(page, root, where + " (every core busy)")
                latencies[f"explorer {i}"].update(
                    loaded=_stats(loaded), busy_processes=cores,
                    load_average_1min=round(os.getloadavg()[0], 2))
            latencies[f"explorer {i}"]["driving_s"] = round(time.monotonic() - began, 1)
        page.screenshot(path=str(shots / f"{Path(notebook).stem}.png"), full_page=False)
        if latencies:
            record = ARTIFACTS / "widget_latency.json"
            data = json.loads(record.read_text()) if record.exists() else {}
            data["note"] = (
                "ms from the input event (key, select, checkbox, pointer move) in the page to the "
                "explorer's new frame drawn (SVG updated); 'quiet' is only as quiet as the machine "
                "was; 'loaded' (GDTEACH_LATENCY=1, benchmarks/bench_widget_latency.py) runs one "
                "CPU-bound process per core, started and stopped by the test"
            )
            data["server_websocket_nodelay"] = os.environ.get("GDTEACH_LAB_NODELAY") == "1"
            data[notebook] = {**latencies, "open_and_run_all_s": run_all_s}
            record.write_text(json.dumps(data, indent=2, sort_keys=True))
        assert not errors, f"{notebook}: JavaScript errors in the page: {errors[:3]}"
        foreign = [r for r in requests if not r.startswith((url + "/", "data:", "blob:", "about:"))]
        assert not foreign, f"{notebook}: the page contacted more than the local server: {foreign[:5]}"
    except BaseException:
        page.screenshot(path=str(shots / f"{Path(notebook).stem}-FAILED.png"), full_page=False)
        raise
    finally:
        page.close()
        _shut_down_kernels(url, token)


def _shut_down_kernels(url: str, token: str) -> None:
    """Free the cores for the next notebook: stop every kernel the server runs."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels", headers=headers)) as r:
        kernels = json.load(r)
    for kernel in kernels:
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}", headers=headers, method="DELETE")
        urllib.request.urlopen(request).close()

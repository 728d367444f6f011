"""The series as a learner sees it: JupyterLab in a real Chromium, widgets that respond.

For every notebook of the series this test opens it in JupyterLab (on 127.0.0.1, with a
token), runs all cells, saves a screenshot under ``artifacts/screenshots/``, and for every
interactive explorer moves each slider and dropdown and checks that the figure it drives
changed. It times each change from key press to the new image in the page and asserts
a median under 100 ms per explorer; the timings go to ``artifacts/widget_latency.json``.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright for Python; no
browser is downloaded. Locally, without Chromium, the test is skipped with the reason;
under CI (``CI`` set) a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
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

import pytest

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = Path(os.environ.get("GDTEACH_NOTEBOOKS", ROOT / "notebooks"))
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = Path(os.environ.get("GDTEACH_ARTIFACTS", ROOT / "artifacts"))
CHROMIUM = os.environ.get("GDTEACH_CHROMIUM", "/usr/bin/chromium")
LATENCY_BUDGET_MS = 100.0

pytestmark = pytest.mark.browser


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
    port, token = _free_port(), secrets.token_hex(16)
    log = open(config / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
            f"--port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}", "--ServerApp.open_browser=False",
            "--allow-root", f"--LabApp.user_settings_dir={settings}",
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
def browser(lab: str) -> Iterator[object]:
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
        yield chromium
        chromium.close()


# Runs in the page: resolve with the time (ms) at which the image inside `root` changes.
WATCH_IMAGE = """
([root, timeoutMs]) => new Promise((resolve) => {
  const imgs = () => Array.from(root.querySelectorAll('img')).map((i) => i.src).join('|');
  const before = imgs();
  const obs = new MutationObserver(() => {
    if (imgs() !== before && root.querySelector('img')) {
      obs.disconnect();
      resolve(performance.now());
    }
  });
  obs.observe(root, {subtree: true, childList: true, attributes: true});
  setTimeout(() => { obs.disconnect(); resolve(null); }, timeoutMs);
})
"""


def _image_of(explorer) -> str:
    return explorer.evaluate(
        "(root) => Array.from(root.querySelectorAll('img')).map((i) => i.src).join('|')"
    )


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


def _run_all_and_wait(page) -> None:
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
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # done when no prompt shows [*] and the kernel indicator reports idle
    page.wait_for_timeout(500)
    page.wait_for_function(
        """() => {
          const prompts = Array.from(document.querySelectorAll('.jp-InputPrompt'));
          return prompts.length > 0 && prompts.every((p) => !p.textContent.includes('*'));
        }""",
        timeout=120_000,
    )


def _controls(explorer):
    sliders = explorer.locator(".widget-slider .noUi-handle, .widget-hslider .noUi-handle")
    dropdowns = explorer.locator(".widget-dropdown select")
    return [sliders.nth(i) for i in range(sliders.count())], [
        dropdowns.nth(i) for i in range(dropdowns.count())
    ]


def _change(page, explorer, act) -> float | None:
    """Perform `act`; return ms from just before it to the new figure (None if none came)."""
    page.evaluate(
        "([root, t]) => { window.__gd_done = undefined;"
        " (" + WATCH_IMAGE.strip() + ")([root, t]).then((v) => { window.__gd_done = v; });"
        " window.__gd_t0 = performance.now(); }",
        [explorer.element_handle(), 5000],
    )
    act()
    page.wait_for_function("() => window.__gd_done !== undefined", timeout=10_000)
    done = page.evaluate("() => window.__gd_done")
    return None if done is None else done - page.evaluate("() => window.__gd_t0")


@pytest.mark.parametrize("notebook", [nb.name for nb in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab_and_its_explorers_respond(
    lab: str, browser, notebook: str
) -> None:
    url, token = lab.split("|")
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # a workspace of its own, so only this notebook is open
        workspace = Path(notebook).stem.replace("_", "-")
        page.goto(
            f"{url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}",
            wait_until="domcontentloaded",
        )
        _run_all_and_wait(page)
        explorers = page.locator(".gdteach-explorer")
        expected = _expected_explorers(NB_DIR / notebook)
        if expected:
            explorers.nth(expected - 1).wait_for(timeout=60_000)
        assert explorers.count() == expected, (
            f"{notebook}: {expected} explorer cell(s) in the notebook, {explorers.count()} in the page"
        )
        latencies: dict[str, list[float]] = {}
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            explorer.locator("img").first.wait_for(timeout=30_000)
            sliders, dropdowns = _controls(explorer)
            assert sliders or dropdowns, f"{notebook}: explorer {i} has no slider or dropdown"
            times = []
            for j, handle in enumerate(sliders):
                for key in ["ArrowRight"] * 3 + ["ArrowLeft"] * 3:
                    before = _image_of(explorer)
                    ms = _change(page, explorer, lambda h=handle, k=key: (h.focus(), h.press(k)))
                    assert ms is not None and _image_of(explorer) != before, (
                        f"{notebook}: explorer {i}, slider {j}: the figure did not change after {key}"
                    )
                    times.append(ms)
            for j, select in enumerate(dropdowns):
                options = select.locator("option").all_inner_texts()
                current = select.input_value()
                for option in [o for o in options if o != current][:3]:
                    before = _image_of(explorer)
                    ms = _change(page, explorer, lambda s=select, o=option: s.select_option(label=o))
                    assert ms is not None and _image_of(explorer) != before, (
                        f"{notebook}: explorer {i}, dropdown {j}: the figure did not change for {option!r}"
                    )
                    times.append(ms)
            latencies[f"explorer {i}"] = times
        page.screenshot(path=str(shots / f"{Path(notebook).stem}.png"), full_page=False)
        record = ARTIFACTS / "widget_latency.json"
        data = json.loads(record.read_text()) if record.exists() else {}
        data[notebook] = {
            k: {"median_ms": round(statistics.median(v), 1), "n": len(v), "all_ms": [round(t, 1) for t in v]}
            for k, v in latencies.items()
        }
        record.write_text(json.dumps(data, indent=2, sort_keys=True))
        for name, times in latencies.items():
            median = statistics.median(times)
            assert median < LATENCY_BUDGET_MS, (
                f"{notebook}: {name} takes {median:.0f} ms (median of {len(times)}) from a control "
                f"change to the redrawn figure; the budget is {LATENCY_BUDGET_MS:.0f} ms"
            )
        assert not errors, f"{notebook}: JavaScript errors in the page: {errors[:3]}"
    except BaseException:
        page.screenshot(path=str(shots / f"{Path(notebook).stem}-FAILED.png"), full_page=False)
        raise
    finally:
        context.close()
        _shut_down_kernels(url, token)


def _shut_down_kernels(url: str, token: str) -> None:
    """Free the cores for the next notebook: stop every kernel the server runs."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels", headers=headers)) as r:
        kernels = json.load(r)
    for kernel in kernels:
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}", headers=headers, method="DELETE")
        urllib.request.urlopen(request).close()

"""One graded class, shared by tests/test_journal.py, test_feedback.py, test_report.py and
test_cluster.py: fixture submissions of exercise 02 laid out as nbgrader collects them
(``submitted/<student>/ps1/02_update_rule.ipynb``), graded once per test session by the
command line, in this process, with ``--jobs 2``.

Points per task (gd_step 5, gd_path 5, mse_gradient 4, fit_linear 5) are the ones
tests/test_grade.py states for these fixtures.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "02_update_rule.ipynb"
FIXTURES = ROOT / "exercises" / "fixtures"
TIMEOUT = "3"  # seconds per cell: the endless loop costs this much
TASKS = ["gd_step", "gd_path", "mse_gradient", "fit_linear"]

# student -> (fixture, points per task, words the error column must contain)
CLASS = {
    "ada": ("correct", (12, 11, 8, 12), ""),
    "ben": ("partial", (5, 5, 0, 0), ""),
    "cy": ("infinite_loop", (12, 11, 0, 0), f"did not finish within {TIMEOUT} s"),
    "dee": ("crash", (12, 11, 0, 0), "the kernel died"),
    "eve": ("cells_deleted", (12, 11, 0, 0), "answer cell 'answer_mse_gradient' is missing"),
    "=1+2": ("not_a_notebook", (0, 0, 0, 0), "not a notebook"),  # a formula as a student id
}


@dataclass(frozen=True)
class Run:
    folder: Path
    submissions: list[str]
    csv: Path
    results: Path
    feedback: Path
    report: Path
    output: str

    def args(self, folder: Path) -> list[str]:
        """The same command, writing into ``folder``."""
        return [str(SOURCE), *self.submissions, "--csv", str(folder / "grades.csv"),
                "--timeout", TIMEOUT, "--feedback", str(folder / "feedback"),
                "--report", str(folder / "report.html")]


def course(folder: Path) -> list[str]:
    """Copy the class's submissions into ``folder/submitted``; their paths, in order."""
    paths = []
    for student, (fixture, _, _) in CLASS.items():
        target = folder / "submitted" / student / "ps1" / "02_update_rule.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / f"{fixture}.ipynb", target)
        paths.append(str(target))
    return paths


@functools.cache
def graded_class() -> Run:
    """Grade the class once (the first test that asks pays ~10 s; the others reuse it)."""
    from gdteach.grade import main

    folder = Path(tempfile.mkdtemp(prefix="gdteach-class-"))
    atexit.register(shutil.rmtree, folder, True)
    submissions = course(folder)
    out = folder / "local"
    out.mkdir()
    run = Run(folder, submissions, out / "grades.csv", out / "grades.jsonl", out / "feedback",
              out / "report.html", "")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main([*run.args(out), "--jobs", "2"])
    assert code == 0, buffer.getvalue()
    return Run(**{**run.__dict__, "output": buffer.getvalue()})


CHROMIUM = os.environ.get("GDTEACH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("GDTEACH_ARTIFACTS", ROOT / "artifacts"))
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"


def look_at(pages: dict[Path, str]) -> dict[Path, dict]:
    """Open each HTML file in headless Chromium with the network cut off, save a full-page
    screenshot as ``artifacts/<name>.png`` and run axe-core on it. Per page: the screenshot
    path, the requests it tried beyond itself, and axe's serious or critical violations."""
    import pytest

    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    pytest.importorskip("playwright", reason="playwright is not installed (pip install -e '.[test]')")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            # bypass_csp: the pages forbid every script, axe included; requests are logged
            context = browser.new_context(viewport={"width": 1000, "height": 800},
                                          offline=True, bypass_csp=True)
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            for path, name in pages.items():
                requests.clear()
                page.goto(path.resolve().as_uri())
                tried = [url for url in requests
                         if url != path.resolve().as_uri() and not url.startswith("data:")]
                shot = ARTIFACTS / f"{name}.png"
                page.screenshot(path=str(shot), full_page=True)
                page.add_script_tag(path=str(AXE))
                result = page.evaluate("async () => await axe.run(document)")
                serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
                seen[path] = {"screenshot": shot, "violations": serious, "requests": tried}
        finally:
            browser.close()
    return seen

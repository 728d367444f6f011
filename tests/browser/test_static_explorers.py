"""The explorers without a kernel (issue 21 §2): in an HTML export and in a slide deck of the
workshop kit, opened from ``file://`` with every request off the exported folder blocked,
each explorer starts from the state the notebook stored (its ``text/html`` output carries
``explorer.js`` and that state), and a drag of its start point redraws every path where
``gdteach.run`` puts it for the settings the page shows (to the digits displayed and the
pixel). A screenshot after the drag goes to
``artifacts/screenshots/static_explorer_<nb>_<format>_<i>.png``. The site's explorers are checked the same way in ``test_site.py``.

The notebooks with explorers are exported with ``python workshop/export.py``, as an
instructor does; Chromium is Debian's, and without it (or Playwright) the test is skipped
with the reason; under CI (``CI`` set) it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .chromium import launched
from .explorer_page import drag_each_static_explorer
from .test_offline_maths import OfflineTab, _export

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LOCAL = ("data:", "blob:", "about:")
ARTIFACTS = Path(os.environ.get("GDTEACH_ARTIFACTS", ROOT / "artifacts"))

pytestmark = pytest.mark.browser


def stored_explorers(notebook: Path) -> int:
    """How many explorer outputs (a widget view with the static HTML beside it) it stores."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(1 for c in cells for o in c.get("outputs", [])
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
               and "gdteach-static-explorer" in "".join(o["data"].get("text/html", "")))


WITH_EXPLORERS = [p for p in NOTEBOOKS if stored_explorers(p)]
#: a 1-D explorer's HTML page (02) and the 2-D race's deck (05); GDTEACH_BROWSER_ALL=1: the
#: HTML page of every notebook with an explorer as well (the site test opens all three)
PAGES = [("02_update_rule.ipynb", "html"), ("05_optimizers.ipynb", "slides")]
if os.environ.get("GDTEACH_BROWSER_ALL") == "1":
    PAGES += [(p.name, "html") for p in WITH_EXPLORERS if p.name != "02_update_rule.ipynb"]


def test_every_explorer_cell_stores_its_static_html() -> None:
    """Each explorer cell of the series keeps what a page without a kernel needs."""
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        calls = sum(1 for c in cells if c["cell_type"] == "code" and "_explorer(" in "".join(c["source"]))
        assert stored_explorers(path) == calls, path.name


def test_every_stored_explorer_carries_todays_explorer_js() -> None:
    """An explorer.js change without re-running the notebooks would ship the old page code in
    every export, deck and site page (tools/execute_notebooks.py stores the new one)."""
    import base64
    import re

    today = (ROOT / "gdteach" / "explorer.js").read_bytes()
    for path in WITH_EXPLORERS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", ""))
                for code in re.findall(r'<script type="text/plain" class="gd-code">([^<]*)</script>', html):
                    assert base64.b64decode(code) == today, f"{path.name}: re-run it to store today's explorer.js"


def test_saved_widget_state_does_not_make_an_export_fetch_a_widget_manager(tmp_path) -> None:
    """An outsider's finding: after ``jupyter nbconvert --execute`` (or JupyterLab's "save
    widget state") a notebook keeps its widgets' state, and nbconvert then drew the widget
    views with a manager from unpkg.com: no explorer offline. export.py drops that state, so
    the page shows each explorer's own HTML and names no other host."""
    notebook = json.loads((ROOT / "notebooks" / "02_update_rule.ipynb").read_text(encoding="utf-8"))
    views = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
             for c in notebook["cells"] for o in c.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    notebook["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {view: {"model_name": "AnyModel", "model_module": "anywidget", "state": {}}
                  for view in views}, "version_major": 2, "version_minor": 0}}
    executed = tmp_path / "02_update_rule.ipynb"
    executed.write_text(json.dumps(notebook), encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "workshop" / "export.py"), str(tmp_path / "out"),
                             "--to", "html", "--notebook", str(executed)],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    page = (tmp_path / "out" / "02_update_rule.html").read_text(encoding="utf-8")
    assert views and "unpkg.com" not in page and "embed-amd" not in page
    assert page.count('<div class="gdteach-static-explorer">') == len(views)


@pytest.fixture(scope="module")
def chromium():
    with launched() as browser:
        yield browser


#: runs in the page: reveal.js's indices of the slide holding explorer ``i``
SLIDE_OF = """
(i) => {
  const leaf = document.querySelectorAll(".gdteach-static-explorer")[i].closest("section");
  const tops = Array.from(document.querySelectorAll(".reveal .slides > section"));
  const h = tops.findIndex((top) => top === leaf || top.contains(leaf));
  const v = tops[h] === leaf ? 0 : Array.from(tops[h].children).filter((c) => c.tagName === "SECTION").indexOf(leaf);
  leaf.setAttribute("data-explorer-slide", String(i));
  return [h, v];
}
"""


def _show_explorer_slide(page, index: int) -> None:
    """In a deck, go to the slide holding explorer ``index`` (reveal.js hides the others)."""
    page.wait_for_selector(".reveal.ready", timeout=15_000)
    h, v = page.evaluate(SLIDE_OF, index)
    page.evaluate("([h, v]) => { window.location.hash = `#/${h}/${v}`; }", [h, v])
    page.wait_for_function(
        f"() => document.querySelector('section[data-explorer-slide=\"{index}\"]').classList.contains('present')",
        timeout=10_000)
    page.wait_for_timeout(1000)  # the slide transition


@pytest.mark.parametrize(("notebook", "to"), PAGES, ids=[f"{n[:2]}-{to}" for n, to in PAGES])
def test_explorer_answers_a_drag_with_no_kernel_and_no_network(chromium, tmp_path, notebook, to):
    page_file = _export(notebook, to, tmp_path)
    tab = OfflineTab(chromium, page_file.parent)  # offline; only the exported folder loads
    page = tab.page
    try:
        page.set_viewport_size({"width": 1300, "height": 950})
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        count = stored_explorers(ROOT / "notebooks" / notebook)
        shots = ARTIFACTS / "screenshots" / f"static_explorer_{notebook[:2]}_{to}"
        drag_each_static_explorer(page, count, f"{notebook} ({to})", shots,
                                  before_each=_show_explorer_slide if to == "slides" else None)
        assert tab.errors == [] and tab.off_folder == [], (tab.errors, tab.off_folder)
    finally:
        tab.context.close()

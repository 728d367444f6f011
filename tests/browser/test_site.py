"""The static site of the series (issue 21 §3), built and read as a learner reads it.

The site is built once per session with the project's command (``tools/build_site.py``,
Sphinx + myst-nb + Furo from the ``site`` extra) into a temporary folder, served by
Python's ``http.server`` on 127.0.0.1 (a free port, in a thread, shut down after), and
every page Sphinx wrote is opened in Debian's Chromium driven by Playwright, with every
request off the page's own origin aborted and counted. Each page must then:

- load nothing from another origin (0 aborted requests) and get no 4xx/5xx from its own;
- have its maths typeset: one MathJax formula per ``class="math"`` element in the HTML
  Sphinx wrote, at least one where the page's source has ``$...$``, no TeX error, and no
  TeX left in the prose a learner reads;
- show every image (``naturalWidth > 0``);
- have links that all answer 200, the download links of a notebook page giving that
  notebook and its exercise byte for byte;
- pass axe-core (vendored in ``tests/vendor/axe-core``) with no serious or critical
  violation;
- on a notebook page with explorers, let each one's start point be dragged, its paths
  redrawn where ``gdteach.run`` puts them (no kernel: computed in the page).

Without the built HTML loaded in a browser: every stored figure, HTML output (the erratum
callouts, the errata and results tables) of each notebook is in its page, the notation
card and errata pages hold the README's tables row for row, and no HTML or CSS file names
a script, stylesheet, image or font on another host. One notebook page is saved as
``artifacts/screenshots/site_02_update_rule.png`` (its top) and ``..._callout.png`` (its
first erratum callout in view).

Without Sphinx (the ``site`` extra), Playwright or Chromium the tests are skipped with the
reason; under CI (``CI`` set) that is a failure.
"""

from __future__ import annotations

import base64
import functools
import http.server
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_offline_maths import maths_spans

from .chromium import launched, missing
from .explorer_page import drag_each_static_explorer
from .test_static_explorers import WITH_EXPLORERS, stored_explorers

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = ROOT / "exercises" / "student"
ARTIFACTS = Path(os.environ.get("GDTEACH_ARTIFACTS", ROOT / "artifacts"))
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOT_PAGE = "notebooks/02_update_rule"

pytestmark = pytest.mark.browser

#: every page of the site and the source it is built from (None: a page Sphinx makes itself)
SOURCES: dict[str, Path | None] = {
    "index": ROOT / "site" / "index.md",
    "notation": ROOT / "site" / "notation.md",
    "errata": ROOT / "site" / "errata.md",
    "running": ROOT / "site" / "running.md",
    "exercises/README": ROOT / "exercises" / "README.md",
    **{f"notebooks/{p.stem}": p for p in NOTEBOOKS},
    "genindex": None,
    "search": None,
}
PAGES = list(SOURCES)



def source_maths(name: str) -> int:
    """How many ``$...$``/``$$...$$`` spans the page's source has (notebook: its markdown cells)."""
    path = SOURCES[name]
    if path is None:
        return 0
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    return sum(maths_spans(text))


# ------------------------------------------------------------------ build and serve


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once by tools/build_site.py into a temporary folder."""
    for module in ("sphinx", "myst_nb", "furo"):
        if importlib.util.find_spec(module) is None:
            missing(f"{module} is not installed: the site needs the extra (pip install -e '.[site]')")
    out = tmp_path_factory.mktemp("site") / "site"
    # the documented command, in its own process (pytest turns Sphinx's deprecation warnings
    # about its extensions into errors; the build itself turns its own warnings into errors)
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), str(out)],
                            capture_output=True, text=True, timeout=900)  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the test reports what matters
        pass


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT serving the built site, from a thread; shut down after."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def fetch(url: str) -> tuple[int, bytes]:
    """Status and body of ``url`` (the local server only)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""


# ------------------------------------------------------------------ the browser

# Runs in the page once it has loaded: wait for MathJax (if the page loads it) to finish.
MATHJAX_DONE = """
async () => {
  const startup = window.MathJax && window.MathJax.startup;
  if (!startup || !startup.promise) return "no MathJax";
  const timeout = new Promise((resolve) => setTimeout(() => resolve("timed out"), 60000));
  return await Promise.race([startup.promise.then(() => "done"), timeout]);
}
"""

# Runs in the page: what a learner sees of it.
LOOK = """
() => {
  const main = document.querySelector("article[role=main]") || document.body;
  const skip = "mjx-container, pre, code, script, style, .highlight";
  const prose = [];
  const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    if (!node.parentElement.closest(skip)) prose.push(node.nodeValue);
  }
  return {
    formulas: document.querySelectorAll("mjx-container").length,
    errors: Array.from(document.querySelectorAll("mjx-merror")).map((e) => e.textContent),
    prose: prose.join(" "),
    images: Array.from(document.images).map((img) => ({
      src: img.src.slice(0, 80), complete: img.complete, width: img.naturalWidth })),
    links: Array.from(document.querySelectorAll("a[href]")).map((a) => a.href),
    downloads: Array.from(document.querySelectorAll("a.download")).map((a) => (
      { href: a.href, text: a.textContent.trim() })),
  };
}
"""

#: TeX a learner should never read: a dollar before a command, a \command, \( \) \[ \]
RAW_TEX = re.compile(r"\$\\|\\[A-Za-z]+|\\[()[\]]")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with launched() as browser:
        yield browser


def _open(browser, origin: str, name: str) -> dict:
    """Open page ``name`` of the site; what it requested, showed, linked and what axe found."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    offsite: list[str] = []
    failed: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            offsite.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    try:
        page = context.new_page()
        page.on("response", lambda resp: resp.status >= 400 and failed.append(f"{resp.status} {resp.url}"))
        page.goto(f"{origin}/{name}.html", wait_until="load")
        mathjax = page.evaluate(MATHJAX_DONE)
        seen = page.evaluate(LOOK)
        if name == SCREENSHOT_PAGE:
            _screenshots(page, name)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    serious = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]  # fmt: skip
    return {**seen, "mathjax": mathjax, "offsite": offsite, "failed": failed, "axe": serious}


def _screenshots(page, name: str) -> None:
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(name).name
    page.screenshot(path=str(out / f"site_{stem}.png"))
    callout = page.locator(".cell_output div[style*='border-left']").first
    callout.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -200)")
    page.screenshot(path=str(out / f"site_{stem}_callout.png"))


@pytest.fixture(scope="module")
def visit(browser, origin: str):
    """``visit(name)``: what opening page ``name`` gave (each page is opened once)."""
    return functools.cache(functools.partial(_open, browser, origin))


# ------------------------------------------------------------------ the tests, page by page


def test_every_page_of_the_site_is_tested(site: Path) -> None:
    built = sorted(str(p.relative_to(site).with_suffix("")) for p in site.rglob("*.html"))
    assert built == sorted(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_nothing_from_elsewhere(visit, name: str) -> None:
    seen = visit(name)
    assert len(seen["offsite"]) == 0, seen["offsite"]
    assert seen["failed"] == []


@pytest.mark.parametrize("name", PAGES)
def test_page_maths_is_typeset(visit, site: Path, name: str) -> None:
    html = (site / f"{name}.html").read_text(encoding="utf-8")
    written = len(re.findall(r'<(?:span|div) class="math notranslate nohighlight">', html))
    seen = visit(name)
    if source_maths(name):
        assert written > 0, "the source has $...$ but Sphinx wrote no maths"
        assert seen["mathjax"] == "done"
    assert seen["formulas"] == written
    assert seen["errors"] == []
    left = [seen["prose"][max(0, m.start() - 30) : m.end() + 30] for m in RAW_TEX.finditer(seen["prose"])]
    assert left == [], "TeX left in the text a learner reads"


@pytest.mark.parametrize("name", PAGES)
def test_page_images_are_drawn(visit, name: str) -> None:
    broken = [img for img in visit(name)["images"] if not (img["complete"] and img["width"] > 0)]
    assert broken == []


@pytest.mark.parametrize("name", PAGES)
def test_page_links_answer_and_downloads_are_the_files(visit, origin: str, name: str) -> None:
    seen = visit(name)
    local = {link.split("#")[0] for link in seen["links"] if link.startswith(origin + "/")}
    statuses = {link: fetch(link)[0] for link in sorted(local)}
    assert {link: s for link, s in statuses.items() if s != 200} == {}
    if not name.startswith("notebooks/"):
        return
    notebook = ROOT / "notebooks" / (Path(name).name + ".ipynb")
    wanted = {"this notebook": notebook.read_bytes()}
    if (EXERCISES / notebook.name).exists():
        wanted["its exercise"] = (EXERCISES / notebook.name).read_bytes()
    got = {d["text"]: fetch(d["href"]) for d in seen["downloads"] if d["text"] in wanted}
    assert sorted(got) == sorted(wanted), seen["downloads"]
    for text, (status, body) in got.items():
        assert status == 200 and body == wanted[text], f"{text}: not the file {notebook.name}"
    assert f"{origin}/running.html" in local, "no link to how to run it locally"


@pytest.mark.parametrize("notebook", WITH_EXPLORERS, ids=lambda p: p.stem)
def test_each_explorer_answers_a_drag_on_the_site(browser, origin: str, notebook: Path) -> None:
    """The site's explorers work with no kernel: each starts from the notebook's stored state,
    and a drag redraws its paths where gdteach.run puts them (requests off the site's origin
    aborted and counted: want 0)."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    offsite: list[str] = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin + "/")
                  else (offsite.append(r.request.url), r.abort()))
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{origin}/notebooks/{notebook.stem}.html", wait_until="load")
        drag_each_static_explorer(page, stored_explorers(notebook), f"site {notebook.stem}",
                                  ARTIFACTS / "screenshots" / f"site_explorer_{notebook.stem[:2]}")
        assert offsite == [] and errors == [], (offsite, errors)
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violation(visit, name: str) -> None:
    assert visit(name)["axe"] == []


# ------------------------------------------------------------------ the built HTML


#: a script, stylesheet, image, frame, font or module the page would load from another host
#: (a link to follow, <a href="https://...">, is not loaded)
REMOTE_LOAD = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed)[^>]*\ssrc=[\"']?(?:https?:)?//"
    r"|<link[^>]*\shref=[\"']?(?:https?:)?//|<object[^>]*\sdata=[\"']?(?:https?:)?//"
    r"|import\(\s*[\"'](?:https?:)?//|url\(\s*[\"']?(?:https?:)?//|@import\s+(?:url\()?[\"']?(?:https?:)?//",
    re.I,
)


def test_remote_load_pattern_by_hand() -> None:
    for remote in ('<script src="https://cdn.x/a.js">', "<link rel=stylesheet href=//fonts.x/c.css>",
                   "src: url('https://x/f.woff2')", '@import "https://x/c.css";', "<img alt='' src='http://x/p.png'>"):
        assert REMOTE_LOAD.search(remote), remote
    for local in ('<a href="https://github.com/x">', '<script src="_static/a.js">',
                  "url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>\")"):
        assert not REMOTE_LOAD.search(local), local


def test_no_page_or_stylesheet_names_another_host(site: Path) -> None:
    found = {}
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        hits = [m.group(0)[:100] for m in REMOTE_LOAD.finditer(path.read_text(encoding="utf-8"))]
        if hits:
            found[str(path.relative_to(site))] = hits
    assert found == {}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_page_shows_every_stored_figure_and_html_output(site: Path, notebook: Path) -> None:
    html = (site / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    outputs = [o for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])]
    pngs = ["".join(o["data"]["image/png"]).replace("\n", "") for o in outputs if "image/png" in o.get("data", {})]
    html_outputs = ["".join(o["data"]["text/html"]).strip() for o in outputs if "text/html" in o.get("data", {})]
    assert html_outputs, "every notebook of the series stores HTML outputs (figures with alt text, callouts)"
    for png in pngs:
        base64.b64decode(png, validate=True)
        assert f"data:image/png;base64,{png}" in html, "a stored figure is not in the page"
    missing = [out[:120] for out in html_outputs if out not in html]
    assert missing == [], "stored HTML outputs (callouts, tables) not in the page"


def _readme_table_rows(start: str, end: str | None) -> int:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme.split(start, 1)[1]
    part = part.split(end, 1)[0] if end else part.split("\n## ", 1)[0]
    return sum(1 for line in part.splitlines() if line.startswith("|") and not re.match(r"\|[\s:|-]+\|$", line))


@pytest.mark.parametrize(
    ("page", "start", "end"),
    [("notation", "notebook 01 opens with the same card):", "Each notebook opens with"),
     ("errata", "## Errata in the source articles", None)],
)  # fmt: skip
def test_reference_pages_hold_the_readme_tables(site: Path, page: str, start: str, end: str | None) -> None:
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    rows = len(re.findall(r"<tr[ >]", html))
    assert rows == _readme_table_rows(start, end) > 0

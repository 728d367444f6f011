"""The workshop's slide decks and HTML pages show their maths typeset in a room without
network (issue 19 §2).

Each page is exported with the project's command (``python workshop/export.py``) into a
temporary folder and opened from ``file://``, as a double click opens it, in Debian's
Chromium driven by Playwright, with the network emulated offline and every request that is
not for a file inside the exported folder aborted and counted. Once MathJax has finished
(``MathJax.startup.promise``) the page must hold one typeset formula for every ``$...$`` and
``$$...$$`` span of the notebook's markdown, counted here from the ``.ipynb`` with no help
from nbconvert or MathJax, no TeX error, MathJax's fonts loaded, and no TeX left in the text
a learner reads. A deck must also have started reveal.js; one slide with a displayed formula
is shown, its glyphs drawn in MathJax's fonts, and saved to
``artifacts/screenshots/slides_offline_maths.png`` (an HTML page: ``html_offline_maths.png``).

Without Chromium or Playwright the test is skipped with the reason; under CI (``CI`` set) a
missing browser is a failure. ``GDTEACH_BROWSER_ALL=1`` opens every notebook with maths in
both formats (by default: one deck and one HTML page).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from .chromium import launched

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = Path(os.environ.get("GDTEACH_ARTIFACTS", ROOT / "artifacts"))
LOCAL = ("data:", "blob:", "about:")  # never leave the page

pytestmark = pytest.mark.browser


# ------------------------------------------------------------------ counting maths in markdown

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[`~]*[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<!\\)\$([^$]+?)(?<!\\)\$")


def maths_spans(markdown: str) -> tuple[int, int]:
    """(inline, displayed) formulas in ``markdown``: ``$...$`` and ``$$...$$`` outside code
    blocks and code spans (which MathJax leaves alone). A paragraph break ends an inline
    span, as in MathJax, and ``\\$`` is a dollar sign.

    >>> maths_spans("Let $x$ be `$y$`, then $$x^2$$ and $a$ and $b$.")
    (3, 1)
    """
    prose = CODE_SPAN.sub(" ", FENCE.sub(" ", markdown))
    display = len(DISPLAY.findall(prose))
    prose = DISPLAY.sub(" ", prose)
    inline = sum(1 for m in INLINE.finditer(prose) if "\n\n" not in m.group(1))
    return inline, display


def shown_markdown(path: Path, to: str) -> str:
    """The markdown of the cells an export ``to`` shows (a deck leaves out "skip" cells)."""
    cells = nbformat.read(path, as_version=4).cells
    return "\n\n".join(
        c.source for c in cells
        if c.cell_type == "markdown"
        and not (to == "slides" and c.metadata.get("slideshow", {}).get("slide_type") == "skip")
    )  # fmt: skip


def test_maths_spans_counts_by_hand() -> None:
    # each expected pair is counted by eye from the string
    assert maths_spans("no maths, a price of 5 dollars") == (0, 0)
    assert maths_spans("$a$, $b_1$ and $$\\frac{1}{2}$$") == (2, 1)
    assert maths_spans("```python\nx = '$a$'\n```\nthen $b$") == (1, 0)
    assert maths_spans("$$\na\n\n= b\n$$ then `` `$c$` `` and \\$5 or \\$6") == (0, 1)
    assert maths_spans("$a\n\nb$") == (0, 0)  # a paragraph break ends the span
    assert maths_spans("~~~\n$$x$$\n~~~\n$y$ $z$") == (2, 0)


WITH_MATHS = [p.name for p in NOTEBOOKS if sum(maths_spans(shown_markdown(p, "html")))]
if os.environ.get("GDTEACH_BROWSER_ALL") == "1":
    PAGES = [(name, to) for name in WITH_MATHS for to in ("slides", "html")]
else:  # the deck with the most formulas, and the page with \begin{pmatrix} and the most $$
    PAGES = [(n, to) for n, to in [("01_derivatives.ipynb", "slides"), ("05_optimizers.ipynb", "html")]
             if n in WITH_MATHS]  # fmt: skip


# ------------------------------------------------------------------ the browser



@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with launched() as browser:
        yield browser


def _export(notebook: str, to: str, out: Path) -> Path:
    """The page ``python workshop/export.py`` writes for ``notebook``."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "workshop" / "export.py"), str(out), "--to", to,
         "--notebook", str(ROOT / "notebooks" / notebook)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    page = out / (Path(notebook).stem + (".slides.html" if to == "slides" else ".html"))
    assert page.exists(), f"export.py wrote no {page.name}: {result.stdout}"
    return page


# Runs in the page: what MathJax made of it.
TYPESET = """
() => ({
  formulas: document.querySelectorAll("mjx-container").length,
  displayed: document.querySelectorAll("mjx-container[display='true']").length,
  errors: Array.from(document.querySelectorAll("mjx-merror")).map((e) => e.textContent),
})
"""

# Runs in the page: the text of the rendered markdown, on every slide
# (also those reveal.js hides), without code, the formulas MathJax drew, scripts and styles.
PROSE = """
() => {
  const skip = "mjx-container, code, pre, script, style";
  const parts = [];
  for (const cell of document.querySelectorAll(".jp-MarkdownCell")) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (!node.parentElement.closest(skip)) parts.push(node.nodeValue);
    }
  }
  return parts.join(" ");
}
"""

# Runs in the page: the rendered markdown's text as the screen shows it (code cells, whose
# Python may hold TeX for matplotlib's labels, are not markdown).
VISIBLE = """
() => Array.from(document.querySelectorAll(".jp-MarkdownCell")).map((c) => c.innerText).join(" ")
"""

#: what is left of TeX that MathJax did not typeset: a dollar, a \command, \( \) \[ \]
RAW_TEX = re.compile(r"\$|\\[A-Za-z]+|\\[()[\]]")


def _raw_tex(text: str) -> list[str]:
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in RAW_TEX.finditer(text)][:5]


# Runs in the page: mark the first slide with a displayed formula; its reveal.js indices.
FIND_SLIDE = """
() => {
  const tops = Array.from(document.querySelectorAll(".reveal .slides > section"));
  for (const [h, top] of tops.entries()) {
    const leaves = top.querySelector("section") ? Array.from(top.children).filter(
      (c) => c.tagName === "SECTION") : [top];
    for (const [v, leaf] of leaves.entries()) {
      if (leaf.querySelector("mjx-container[display='true']")) {
        leaf.setAttribute("data-offline-test", "target");
        return [h, leaf === top ? 0 : v];
      }
    }
  }
  return null;
}
"""


#: a script, stylesheet, module or font the page would load from the network (a link to
#: follow, <a href="https://...">, is not loaded)
REMOTE_LOAD = re.compile(
    r"<script[^>]*\ssrc=[\"']?(?:https?:)?//|<link[^>]*\shref=[\"']?(?:https?:)?//"
    r"|import\(\s*[\"'](?:https?:)?//|url\(\s*[\"']?(?:https?:)?//|@import\s+[\"'](?:https?:)?//",
    re.I,
)


IDS = [f"{n[:2]}-{to}" for n, to in PAGES]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory):
    """``exported(notebook, to)``: the page ``workshop/export.py`` wrote, in a folder of its
    own (exported once for the tests of this module)."""
    pages: dict[tuple[str, str], Path] = {}

    def page(notebook: str, to: str) -> Path:
        if (notebook, to) not in pages:
            pages[notebook, to] = _export(notebook, to, tmp_path_factory.mktemp("room"))
        return pages[notebook, to]

    return page


@pytest.mark.parametrize(("notebook", "to"), PAGES, ids=IDS)
def test_exported_page_names_nothing_to_load_from_the_network(
    exported, notebook: str, to: str
) -> None:
    # also what only some pages load (nbconvert's mermaid import, for a page with a diagram)
    html = exported(notebook, to).read_text(encoding="utf-8")
    found = [html[max(0, m.start() - 20) : m.end() + 60] for m in REMOTE_LOAD.finditer(html)]
    assert not found, f"the {to} export loads from the network: {found[:3]}"
    assert REMOTE_LOAD.search('<script type="module">import("https://cdnjs.x/m.mjs")</script>')


class OfflineTab:
    """A Chromium tab with the network emulated offline that loads only files inside
    ``folder``: any other request is aborted and kept in ``off_folder``; failed requests and
    JavaScript errors are kept too."""

    def __init__(self, browser, folder: Path) -> None:
        self.folder = folder.resolve().as_uri() + "/"
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.set_offline(True)
        self.context.route("**/*", self._only_the_folder)
        self.page = self.context.new_page()
        self.off_folder: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._seen)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _inside(self, url: str) -> bool:
        return url.startswith((self.folder, *LOCAL))

    def _only_the_folder(self, route) -> None:
        if self._inside(route.request.url):
            route.continue_()
        else:
            self._seen(route.request)
            route.abort()

    def _seen(self, request) -> None:  # also what the route never saw
        if not self._inside(request.url) and request.url not in self.off_folder:
            self.off_folder.append(request.url)

    def open_and_typeset(self, page_file: Path) -> None:
        """Open the page from file:// and wait until MathJax has typeset it."""
        self.page.goto(page_file.resolve().as_uri(), wait_until="load")
        try:
            self.page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000
            )
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError; say what the page did
            pytest.fail(
                f"{page_file.name}: MathJax never started offline; requests off the folder "
                f"(aborted): {self.off_folder[:5]}; failed: {self.failed[:5]}; "
                f"errors: {self.errors[:3]}",
                pytrace=False,
            )
        self.page.evaluate("() => MathJax.startup.promise.then(() => document.fonts.ready)")


@pytest.mark.parametrize(("notebook", "to"), PAGES, ids=IDS)
def test_page_shows_its_maths_typeset_with_the_network_off(
    chromium, exported, notebook: str, to: str
) -> None:
    page_file = exported(notebook, to)
    inline, displayed = maths_spans(shown_markdown(ROOT / "notebooks" / notebook, to))
    where = f"{page_file.name} (offline, file://)"
    tab = OfflineTab(chromium, page_file.parent)
    page = tab.page
    try:
        tab.open_and_typeset(page_file)
        typeset = page.evaluate(TYPESET)
        assert not tab.off_folder, (
            f"{where}: requests off the exported folder: {tab.off_folder[:5]}"
        )
        assert not tab.failed, f"{where}: requests that failed: {tab.failed[:5]}"
        assert not tab.errors, f"{where}: JavaScript errors: {tab.errors[:3]}"
        assert typeset["formulas"] == inline + displayed, (
            f"{where}: {typeset['formulas']} typeset formulas, the notebook's markdown has "
            f"{inline} inline and {displayed} displayed"
        )
        assert typeset["displayed"] == displayed, (
            f"{where}: {typeset['displayed']} displayed formulas typeset, the markdown has {displayed}"
        )
        assert not typeset["errors"], f"{where}: TeX errors: {typeset['errors'][:5]}"
        prose = page.evaluate(PROSE)
        assert len(prose) > 1000, f"{where}: only {len(prose)} characters of markdown text found"
        assert not _raw_tex(prose), f"{where}: TeX left untypeset: {_raw_tex(prose)}"

        if to == "slides":
            formula = _go_to_a_slide_with_a_formula(page, where)
        else:
            formula = page.locator("mjx-container[display='true']").first
            formula.scroll_into_view_if_needed()
        visible = page.evaluate(VISIBLE)  # what the screen shows (reveal hides other slides)
        assert len(visible) > 100, f"{where}: only {len(visible)} characters of text on screen"
        assert not _raw_tex(visible), f"{where}: TeX in the text on screen: {_raw_tex(visible)}"
        _formula_is_drawn(page, formula, where)
        shots = ARTIFACTS / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{to}_offline_maths.png"))
        assert not tab.failed and not tab.off_folder, f"{where}: {tab.failed + tab.off_folder}"
    finally:
        tab.context.close()


def _go_to_a_slide_with_a_formula(page, where: str):
    """reveal.js has started; show the first slide with a displayed formula; its formula."""
    page.wait_for_selector(".reveal.ready", timeout=15_000)
    indices = page.evaluate(FIND_SLIDE)
    assert indices, f"{where}: no slide with a displayed formula"
    page.evaluate("([h, v]) => { window.location.hash = `#/${h}/${v}`; }", indices)
    page.wait_for_function(
        "() => document.querySelector('section[data-offline-test=target]').classList.contains('present')",
        timeout=10_000,
    )
    page.wait_for_timeout(1000)  # the slide transition
    return page.locator("section[data-offline-test=target] mjx-container[display='true']").first


def _formula_is_drawn(page, formula, where: str) -> None:
    """The formula is on screen, drawn with glyphs, in MathJax's fonts loaded from the folder
    (a font MathJax cannot load leaves the glyphs in a fallback font, or as boxes)."""
    box = formula.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10, (
        f"{where}: the formula has no size: {box}"
    )
    assert 0 <= box["x"] and box["x"] + box["width"] <= 1280 and 0 <= box["y"] < 800, (
        f"{where}: the formula is off screen: {box}"
    )
    glyphs = formula.evaluate(
        "(f) => Array.from(f.querySelectorAll('mjx-c')).filter((c) => c.getBoundingClientRect().width > 0).length"
    )
    assert glyphs > 0, f"{where}: the formula draws no glyph"
    fonts = """() => Object.fromEntries(Array.from(document.fonts)
        .filter((f) => f.family.startsWith("MJX")).map((f) => [f.family, f.status]))"""
    try:  # fonts load once a glyph in them is laid out on screen
        page.wait_for_function(
            f"() => ['loaded', 'error'].includes(({fonts})()['MJXTEX'])", timeout=10_000
        )
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError
        pass
    status = page.evaluate(fonts)
    assert status.get("MJXTEX") == "loaded", f"{where}: MathJax's main font not loaded: {status}"
    broken = sorted(family for family, state in status.items() if state == "error")
    assert not broken, f"{where}: MathJax fonts that failed to load: {broken}"

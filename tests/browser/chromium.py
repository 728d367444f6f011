"""Debian's Chromium under Playwright, for the browser tests that open exported pages and the site.

``launched()`` yields a headless browser, or skips the test with the reason when Chromium or
Playwright is missing (fails instead under CI, where both must be present).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GDTEACH_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def missing(reason: str) -> None:
    """Skip with ``reason``; under CI, fail with it (CI installs everything the test needs)."""
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def launched() -> Iterator[object]:
    """A headless Chromium browser, closed afterwards."""
    if not Path(CHROMIUM).exists():
        missing(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        except Error as err:
            pytest.fail(f"Chromium at {CHROMIUM} could not start: {err}", pytrace=False)
        try:
            yield browser
        finally:
            browser.close()

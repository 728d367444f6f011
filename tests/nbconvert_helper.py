"""One way to render a notebook with nbconvert for the tests that read the result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def render(path: Path, to: str, out_dir: Path) -> str:
    """``jupyter nbconvert --to {to}`` of ``path`` into ``out_dir``; return the HTML text."""
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", to, str(path),
         "--output-dir", str(out_dir)],
        check=True, capture_output=True,
    )  # fmt: skip
    suffix = ".slides.html" if to == "slides" else ".html"
    return (out_dir / f"{path.stem}{suffix}").read_text(encoding="utf-8")

"""Re-execute notebooks top to bottom in a fresh kernel and save them with their outputs.

    python tools/execute_notebooks.py                      # every notebook of the series
    python tools/execute_notebooks.py notebooks/02_update_rule.ipynb exercises/source/*.ipynb

Widget state and cell timings are not stored (they change on every run; nbval ignores them);
each explorer has a static figure beside it for readers without a kernel. Cells tagged
``raises-exception`` may raise; any other error stops with the cell's traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path, timeout: int = 300) -> float:
    """Run ``path`` in a fresh python3 kernel (cwd = its folder), save it; return seconds."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", store_widget_state=False, record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()  # fmt: skip
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        print(f"{path}: {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How fast the explorers answer a learner: input event to new frame drawn, in JupyterLab.

It runs the JupyterLab browser test (``tests/browser/test_jupyterlab.py``) with
``GDTEACH_LATENCY=1``: every explorer of the series is driven twice, once as the machine is
and once with a CPU-bound process on every core, and each change is checked against
``gdteach.run`` as in the test. Then it prints, for each kind of input (keys on a slider or
the start point, selects, checkboxes, the pointer moves of a drag), the median and 95th
percentile over all explorers, against the budget of one animation frame (median < 16 ms,
p95 < 33 ms). A script, not a test: a missed budget prints ``NOT met`` and the exit status
is the browser test's own. The figures stay in ``artifacts/widget_latency.json``.

    .venv/bin/python benchmarks/bench_widget_latency.py
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = Path(os.environ.get("GDTEACH_ARTIFACTS", ROOT / "artifacts")) / "widget_latency.json"
MEDIAN_BUDGET_MS, P95_BUDGET_MS = 16.0, 33.0
KINDS = ("keys", "selects", "checkboxes", "drags")


def percentile_95(values: list[float]) -> float:
    """The nearest-rank 95th percentile.

    >>> percentile_95([float(v) for v in range(1, 21)])
    19.0
    """
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def pooled(record: dict, phase: str, kind: str) -> list[float]:
    """Every latency of one kind in one phase ("quiet", "loaded"), over all explorers."""
    return [ms for notebook, explorers in record.items() if notebook.endswith(".ipynb")
            for name, figures in explorers.items() if name.startswith("explorer")
            for ms in figures.get(phase, {}).get(kind, {}).get("all_ms", [])]


def table(record: dict) -> str:
    rows = [f"{'input':<11} {'phase':<7} {'n':>4} {'median ms':>10} {'p95 ms':>8}  budget "
            f"(median < {MEDIAN_BUDGET_MS:g}, p95 < {P95_BUDGET_MS:g})"]
    for kind in KINDS:
        for phase in ("quiet", "loaded"):
            values = pooled(record, phase, kind)
            if not values:
                continue
            median, p95 = statistics.median(values), percentile_95(values)
            met = median < MEDIAN_BUDGET_MS and p95 < P95_BUDGET_MS
            rows.append(f"{kind:<11} {phase:<7} {len(values):>4} {median:>10.1f} {p95:>8.1f}  "
                        f"{'met' if met else 'NOT met'}")
    return "\n".join(rows)


def main() -> int:
    RECORD.unlink(missing_ok=True)
    test = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser/test_jupyterlab.py", "-q", "-n", "0",
         "-p", "no:cacheprovider"], cwd=ROOT, env={**os.environ, "GDTEACH_LATENCY": "1"})
    if RECORD.exists():
        print(table(json.loads(RECORD.read_text())))
    else:
        print(f"no {RECORD}: the browser test recorded nothing (is Chromium installed?)")
    return test.returncode


if __name__ == "__main__":
    sys.exit(main())

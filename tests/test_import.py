"""`import gdteach` stays light: no plotting or widget libraries, little time over numpy.

Each check runs in a fresh interpreter, so what this test process already imported
does not matter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("matplotlib", "ipywidgets", "IPython", "torch", "pandas", "scipy")


def python(code: str) -> str:
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    return done.stdout


def test_import_gdteach_loads_no_plotting_or_widget_library() -> None:
    loaded = json.loads(
        python(
            "import sys, json, gdteach\n"
            f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
        )
    )
    assert loaded == []


def test_public_api_is_importable_without_plotting() -> None:
    names = json.loads(python("import json, gdteach; print(json.dumps(gdteach.__all__))"))
    assert {"run", "compare", "sweep", "worked_example", "optim", "schedules"} <= set(names)
    out = python(
        "import gdteach\n"
        "try:\n    gdteach.no_such_thing\nexcept AttributeError as e:\n    print(e)"
    )
    assert "no attribute 'no_such_thing'" in out


# CPU time, not wall time: on a shared 2-core machine with four busy processes the
# wall-clock best of 5 rose from 17 ms to 96-132 ms, while the CPU time of the import
# stayed at 19-25 ms. The wall-clock figure is reported by benchmarks/bench_core.py.
TIMING = """
import time
t0 = time.process_time()
import numpy
t1 = time.process_time()
import gdteach
t2 = time.process_time()
print(t2 - t1)
"""


def test_import_gdteach_costs_under_50_ms_of_cpu_over_numpy() -> None:
    best = min(float(python(TIMING)) for _ in range(5))
    assert best < 0.050, f"import gdteach took {best * 1e3:.1f} ms of CPU after numpy"


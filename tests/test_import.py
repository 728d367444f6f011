"""`import gdteach` stays light: no plotting or widget libraries (its time: benchmarks/).

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
HEAVY = ("matplotlib", "ipywidgets", "IPython", "PIL", "torch", "pandas", "scipy", "nbformat", "nbclient")


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


# How long the import takes is a measurement, not a test (it flaked under load):
# benchmarks/bench_core.py, section 3, prints its median wall-clock and CPU time.

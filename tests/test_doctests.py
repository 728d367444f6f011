"""Every docstring example in the package runs and prints what it says."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gdteach"
CORE = ["gdteach", "gdteach.objectives", "gdteach.optim", "gdteach.schedules", "gdteach.run",
        "gdteach.checks", "gdteach.tables", "gdteach.callout", "gdteach.theory", "gdteach.grid", "gdteach.style", "gdteach._draw", "gdteach._grading.tasks", "gdteach._grading.selfcheck",
        "gdteach._grading.plaindata", "gdteach._grading.references", "gdteach._grading.cases",
        "gdteach._grading.untrusted", "gdteach._grading.sandbox", "gdteach._grading.runner",
        "gdteach._grading.notebook"]
# plot and widgets need matplotlib / ipywidgets but no display (the Agg backend draws offscreen)
OPTIONAL = {"gdteach.plot": "matplotlib", "gdteach.plot._common": "matplotlib",
            "gdteach.plot.one_d": "matplotlib", "gdteach.plot.contours": "matplotlib",
            "gdteach.plot.curves": "matplotlib", "gdteach.plot._display": "matplotlib",
            "gdteach.widgets": "ipywidgets"}


@pytest.mark.parametrize("name", CORE + list(OPTIONAL))
def test_docstring_examples_pass(name) -> None:
    if name in OPTIONAL:
        where = PACKAGE.parent.joinpath(*name.split("."))
        if not (where.with_suffix(".py").exists() or (where / "__init__.py").exists()):
            pytest.skip(f"{name} is not written yet")
        pytest.importorskip(OPTIONAL[name])
        import matplotlib

        matplotlib.use("Agg")
    module = importlib.import_module(name)
    try:
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    finally:
        if name.startswith("gdteach.plot"):
            import matplotlib.pyplot as plt

            plt.close("all")  # leave no figures behind for the tests that follow
    assert result.attempted > 0, f"{name} has no docstring examples"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"

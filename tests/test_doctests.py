"""Every docstring example in the package runs and prints what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gdteach"
CORE = ["gdteach", "gdteach.objectives", "gdteach.optim", "gdteach.schedules", "gdteach.run",
        "gdteach.checks", "gdteach.tables", "gdteach.callout", "gdteach.theory", "gdteach.grid", "gdteach.style", "gdteach._draw", "gdteach._grading.tasks", "gdteach._grading.selfcheck",
        "gdteach._grading.plaindata", "gdteach._grading.references", "gdteach._grading.cases",
        "gdteach._grading.untrusted", "gdteach._grading.sandbox", "gdteach._grading.runner",
        "gdteach._grading.notebook"]
# plot and widgets need matplotlib / ipywidgets but no display (the Agg backend draws offscreen)
# (a package's modules run with it)
OPTIONAL = {"gdteach.plot": "matplotlib", "gdteach.widgets": "ipywidgets"}


@pytest.mark.parametrize("name", CORE + list(OPTIONAL))
def test_docstring_examples_pass(name) -> None:
    if name in OPTIONAL:
        where = PACKAGE.parent.joinpath(*name.split("."))
        if not (where.with_suffix(".py").exists() or (where / "__init__.py").exists()):
            pytest.skip(f"{name} is not written yet")
        pytest.importorskip(OPTIONAL[name])
        import matplotlib

        matplotlib.use("Agg")
    if "matplotlib.pyplot" in sys.modules:  # start with no figure left by an earlier test
        sys.modules["matplotlib.pyplot"].close("all")
    module = importlib.import_module(name)
    # a package: its own docstrings and every module in it
    modules = [module] + [importlib.import_module(f"{name}.{m.name}")
                          for m in pkgutil.iter_modules(getattr(module, "__path__", []))]
    attempted = failed = 0
    try:
        for each in modules:
            result = doctest.testmod(each, optionflags=doctest.ELLIPSIS, verbose=False)
            attempted, failed = attempted + result.attempted, failed + result.failed
    finally:
        if name in OPTIONAL:
            import matplotlib.pyplot as plt

            plt.close("all")  # leave no figures behind for the tests that follow
    assert attempted > 0, f"{name} has no docstring examples"
    assert failed == 0, f"{failed} of {attempted} examples in {name} failed"

"""The section and learner-edit harnesses catch what they are for (planted bugs in a tiny notebook)."""

from __future__ import annotations

import nbformat
import pytest

from tests.learner_edits import Edit
from tests.notebook_sections import CellError, SectionKernel, find_section
from tests.test_learner_edits import problems_after


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import numpy as np"),
        nbformat.v4.new_markdown_cell("## 1. Builds"),
        nbformat.v4.new_code_cell('LR = 0.1\nsteps = int(np.argmax(np.zeros(3) > 1))\n'
                                  'print(f"η = {LR}; first below the target after {steps} updates")\n'
                                  'print("with η = 0.1 the factor is", 1 - 2 * LR)'),
        nbformat.v4.new_markdown_cell("## 2. Uses §1 without rebuilding"),
        nbformat.v4.new_code_cell("print(LR)"),
    ]
    path = tmp_path_factory.mktemp("harness") / "00_planted.ipynb"
    nbformat.write(nb, path)
    k = SectionKernel(path)
    yield k
    k.close()


def test_a_section_that_needs_an_earlier_one_fails_cold(kernel) -> None:
    kernel.run(find_section(kernel.sections, "## 1."))
    with pytest.raises(CellError, match="NameError"):
        kernel.run(find_section(kernel.sections, "## 2."))


def test_a_stale_literal_and_an_argmax_artefact_are_reported(kernel) -> None:
    found = problems_after(kernel, Edit(section="## 1.", find="LR = 0.1", replace="LR = 0.2",
                                        stale=[r"η = 0\.1\b"], expect=[r"η = 0\.2\b"]))
    assert any("'after 0 updates'" in f for f in found), found
    assert any("'η = 0.1'" in f for f in found), found      # the literal in the second print


def test_an_edit_naming_a_missing_section_is_reported(kernel) -> None:
    with pytest.raises(LookupError):
        find_section(kernel.sections, "## 9.")

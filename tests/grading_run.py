"""One graded class, shared by tests/test_journal.py, test_feedback.py, test_report.py and
test_cluster.py: fixture submissions of exercise 02 laid out as nbgrader collects them
(``submitted/<student>/ps1/02_update_rule.ipynb``), graded once per test session by the
command line, in this process, with ``--jobs 2``.

Points per task (gd_step 5, gd_path 5, mse_gradient 4, fit_linear 5) are the ones
tests/test_grade.py states for these fixtures.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "02_update_rule.ipynb"
FIXTURES = ROOT / "exercises" / "fixtures"
TIMEOUT = "5"
TASKS = ["gd_step", "gd_path", "mse_gradient", "fit_linear"]

# student -> (fixture, points per task, words the error column must contain)
CLASS = {
    "ada": ("correct", (5, 5, 4, 5), ""),
    "ben": ("partial", (3, 3, 0, 0), ""),
    "cy": ("infinite_loop", (5, 5, 0, 0), "did not finish within 5 s"),
    "dee": ("crash", (5, 5, 0, 0), "the kernel died"),
    "eve": ("cells_deleted", (5, 5, 0, 0), "answer cell 'answer_mse_gradient' is missing"),
    "=1+2": ("not_a_notebook", (0, 0, 0, 0), "not a notebook"),  # a formula as a student id
}


@dataclass(frozen=True)
class Run:
    folder: Path
    submissions: list[str]
    csv: Path
    results: Path
    feedback: Path
    report: Path
    output: str

    def args(self, folder: Path) -> list[str]:
        """The same command, writing into ``folder``."""
        return [str(SOURCE), *self.submissions, "--csv", str(folder / "grades.csv"),
                "--timeout", TIMEOUT, "--feedback", str(folder / "feedback"),
                "--report", str(folder / "report.html")]


def course(folder: Path) -> list[str]:
    """Copy the class's submissions into ``folder/submitted``; their paths, in order."""
    paths = []
    for student, (fixture, _, _) in CLASS.items():
        target = folder / "submitted" / student / "ps1" / "02_update_rule.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / f"{fixture}.ipynb", target)
        paths.append(str(target))
    return paths


@functools.cache
def graded_class() -> Run:
    """Grade the class once (the first test that asks pays ~10 s; the others reuse it)."""
    from gdteach.grade import main

    folder = Path(tempfile.mkdtemp(prefix="gdteach-class-"))
    atexit.register(shutil.rmtree, folder, True)
    submissions = course(folder)
    out = folder / "local"
    out.mkdir()
    run = Run(folder, submissions, out / "grades.csv", out / "grades.jsonl", out / "feedback",
              out / "report.html", "")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main([*run.args(out), "--jobs", "2"])
    assert code == 0, buffer.getvalue()
    return Run(**{**run.__dict__, "output": buffer.getvalue()})

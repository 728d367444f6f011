"""File names and ids are data, never options or paths that collide (issue 18 §4): submissions
go after ``--``; a name that starts with ``-`` where an option can be read is refused before
anything is graded; each student's feedback page has a short name of its own, listed in an
index, and one page that cannot be written stops nothing else."""

from __future__ import annotations

import csv
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from gdteach._grading.runner import sandbox_problem

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "02_update_rule.ipynb"
STUDENT = ROOT / "exercises" / "student" / "02_update_rule.ipynb"
OPTION_NAMES = ["-x.ipynb", "--report=leak.html.ipynb", "--id-pattern=x.ipynb"]

needs_sandbox = pytest.mark.skipif(sandbox_problem() is not None,
                                   reason=f"bubblewrap sandboxes cannot run here: {sandbox_problem()}")


def _inbox(tmp_path: Path, names: list[str]) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        (inbox / name).write_bytes(STUDENT.read_bytes())  # raises NotImplementedError: 0 points
    (tmp_path / "out").mkdir()
    return inbox


def _star(folder: Path) -> list[str]:
    """What the shell makes of ``*`` in ``folder``: every name not starting with a dot, sorted."""
    return sorted(name for name in os.listdir(folder) if not name.startswith("."))


def _grade(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gdteach.grade", *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@needs_sandbox
@pytest.mark.parametrize("dashes", [["--"], []], ids=["after --", "no --"])
def test_option_like_names_in_a_globbed_inbox_are_graded_as_submissions(tmp_path, dashes):
    """``inbox/*`` expands to ``inbox/-x.ipynb`` and the like, which start with no ``-``: with
    the documented ``--`` (and without it) each is a submission, graded on its own row; none
    sets an option (no report, no other id pattern), and nothing is written into the inbox."""
    inbox = _inbox(tmp_path, OPTION_NAMES)
    paths = [f"inbox/{name}" for name in _star(inbox)]
    run = _grade([str(SOURCE), "--csv", "out/grades.csv", *dashes, *paths], tmp_path)
    assert run.returncode == 0, run.stderr
    with open(tmp_path / "out" / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["submission"] for row in rows] == paths
    assert {(row["total"], row["max"]) for row in rows} == {("0", "19")}
    assert _star(inbox) == sorted(OPTION_NAMES)
    assert sorted(os.listdir(tmp_path / "out")) == ["grades.csv", "grades.jsonl"]


@pytest.mark.parametrize("names", [OPTION_NAMES, ["--report=leak.html.ipynb", "ada.ipynb"]],
                         ids=["three", "report-only"])
def test_an_option_like_file_name_before_the_double_dash_is_refused(tmp_path, names):
    """``cd inbox && python -m gdteach.grade SOURCE --csv ../out/grades.csv *``: the shell hands
    ``--report=leak.html.ipynb`` over as an argument, which argparse would read as --report (the
    report, hidden inputs and all, written into the inbox). It is refused, by name, with the
    remedy, before anything is graded or written."""
    inbox = _inbox(tmp_path, names)
    run = _grade([str(SOURCE), "--csv", "../out/grades.csv", *_star(inbox)], inbox)
    assert run.returncode == 2
    first = min(name for name in names if name.startswith("-"))  # the first the glob gives
    assert f"{first!r} is a file given where an option can be read" in run.stderr
    assert "put submissions after '--'" in run.stderr
    assert run.stdout == ""  # no "[1/n]" line: nothing was graded
    assert _star(inbox) == sorted(names)
    assert os.listdir(tmp_path / "out") == []


def test_an_unknown_dash_argument_names_itself_and_the_remedy(tmp_path):
    """A name that starts with ``-`` and is no file (a typo, or a path from elsewhere) is
    refused with the same remedy, not argparse's bare 'unrecognized arguments'."""
    (tmp_path / "out").mkdir()
    run = _grade([str(SOURCE), "--csv", "out/g.csv", "ada.ipynb", "-bo.ipynb"], tmp_path)
    assert run.returncode == 2
    assert "'-bo.ipynb' is no option" in run.stderr and "after '--'" in run.stderr
    assert os.listdir(tmp_path / "out") == []


def _documented_grading_commands() -> list[tuple[str, str]]:
    """Every ``python -m gdteach.grade`` command of the READMEs and of --help, joined lines."""
    found = []
    for name in ("README.md", "exercises/README.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
            found += [(name, line) for line in block.replace("\\\n", " ").splitlines()]
    help_text = _grade(["--help"], ROOT).stdout
    examples = help_text[help_text.index("examples:"):].replace("\\\n", " ")
    found += [("--help", line.strip()) for line in examples.splitlines()]
    return [(where, line) for where, line in found
            if line.startswith("python -m gdteach.grade") and "--make-student" not in line]


def test_every_documented_grading_command_puts_the_submissions_after_double_dash():
    commands = _documented_grading_commands()
    assert {where for where, _ in commands} == {"exercises/README.md", "--help"}
    for where, line in commands:
        argv = shlex.split(line, comments=True)[3:]
        assert "--" in argv, f"{where}: {line}"
        after = argv[argv.index("--") + 1:]
        assert after and all("submitted" in path or path in ("...", "SUBMISSION...")
                             for path in after), f"{where}: {line}"

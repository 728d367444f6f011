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
    assert {(row["total"], row["max"]) for row in rows} == {("0", "43")}
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


# --------------------------------------------------------------------------- page names (§4b, c)

LONG = "x" * 244 + ".ipynb"  # 250 bytes: legal on Linux, too long once anything is added to it
IDS = ["ad a", "ad_a", "李雷", "李明", "José", "Jose", "ada"]


def _hashed(part: str) -> str:
    """The documented name of a part that is not short plain lower-case ASCII: its first 40
    characters, non-alphanumerics as _, then ~ and 10 hex digits of its sha256."""
    import hashlib

    readable = "".join(c if c.isalnum() or c in "._-" else "_" for c in part[:40])
    return f"{readable}~{hashlib.sha256(part.encode()).hexdigest()[:10]}"


def test_page_names_are_short_and_one_to_one():
    """``ad a`` and ``ad_a``, two CJK ids of one length, an accented id and its plain twin
    each get a folder of their own; a plain id keeps its documented path; a 250-byte name
    becomes a short one."""
    from gdteach._grading.feedback import feedback_names

    names = feedback_names([f"c/submitted/{who}/ps1/02_update_rule.ipynb" for who in IDS]
                           + [f"c/submitted/bo/ps1/{LONG}"])
    folders = [name.split("/")[0] for name in names[:-1]]
    assert folders == [_hashed("ad a"), "ad_a", _hashed("李雷"),
                       _hashed("李明"), _hashed("José"), _hashed("Jose"), "ada"]
    assert len(set(folders)) == len(IDS)
    assert names[-1] == f"bo/ps1/{_hashed(LONG[:-6])}.html"
    assert max(len(part.encode()) for name in names for part in name.split("/")) <= 60


def _class(tmp_path: Path) -> list[str]:
    """submitted/<id>/ps1/02_update_rule.ipynb for every id of IDS, and bo's 250-byte name."""
    paths = [f"submitted/{who}/ps1/02_update_rule.ipynb" for who in IDS]
    paths.append(f"submitted/bo/ps1/{LONG}")
    for path in paths:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(STUDENT.read_bytes())
    (tmp_path / "out").mkdir()
    return paths


def _index(folder: Path) -> list[dict]:
    with open(folder / "index.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@needs_sandbox
def test_a_page_that_cannot_be_written_stops_no_other_page_the_report_or_resume(tmp_path):
    """A folder where ada's page goes: every other page (the 250-byte name's too), the index
    and the report are written, ada's row of the index says why hers is not, the command
    exits 1; once the folder is gone, --resume grades nothing again and writes her page."""
    paths = _class(tmp_path)
    feedback = tmp_path / "out" / "feedback"
    (feedback / "ada" / "ps1" / "02_update_rule.html").mkdir(parents=True)
    argv = [str(SOURCE), "--csv", "out/grades.csv", "--jobs", "2", "--feedback", "out/feedback",
            "--report", "out/report.html", "--", *paths]
    first = _grade(argv, tmp_path)
    assert first.returncode == 1, first.stderr
    assert "feedback page of submitted/ada/ps1/02_update_rule.ipynb" in first.stderr
    rows = _index(feedback)
    assert [row["submission"] for row in rows] == paths
    assert [row["student"] for row in rows] == [*IDS, "bo"]
    assert len({row["page"] for row in rows}) == len(paths)
    for row in rows:
        written = (feedback / row["page"]).is_file()
        assert written is (row["student"] != "ada"), row
        assert ("page not written" in row["error"]) is (row["student"] == "ada"), row
    assert (tmp_path / "out" / "report.html").is_file()
    bo = (feedback / rows[-1]["page"]).read_text(encoding="utf-8")
    assert LONG in bo  # the page names the notebook it grades

    (feedback / "ada" / "ps1" / "02_update_rule.html").rmdir()
    again = _grade([*argv[:1], "--resume", *argv[1:]], tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"{len(paths)} submissions already graded" in again.stdout
    assert "[1/" not in again.stdout  # none graded again
    assert all(row["error"] == "" and (feedback / row["page"]).is_file() for row in _index(feedback))


def test_a_long_output_name_is_written(tmp_path):
    """A 250-byte --csv name (legal on Linux) failed: the temporary file beside it, the name
    plus a random part and '.tmp', went over the 255-byte limit."""
    from gdteach._grading.spreadsheet import write_atomic

    name = "g" * 246 + ".csv"
    write_atomic(tmp_path / name, "a,b\n")
    assert (tmp_path / name).read_text() == "a,b\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_a_file_named_double_dash_read_as_the_separator_is_warned_about(tmp_path, monkeypatch, capsys):
    """In a folder holding a file named '--', a glob without the separator hands it over as
    the separator: that student's file would be silently skipped."""
    from gdteach.grade import _parse, _parser

    monkeypatch.chdir(tmp_path)
    (tmp_path / "--").write_text("{}")
    (tmp_path / "b.ipynb").write_text("{}")
    args = _parse(_parser(), ["s.ipynb", "--csv", "g.csv", "--", "b.ipynb"])
    assert args.paths == ["s.ipynb", "b.ipynb"]
    assert "a file named '--' is in the current folder" in capsys.readouterr().err
    args = _parse(_parser(), ["s.ipynb", "--csv", "g.csv", "--", "--", "b.ipynb"])
    assert args.paths == ["s.ipynb", "--", "b.ipynb"]  # after the separator it is a submission
    assert capsys.readouterr().err == ""

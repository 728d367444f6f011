"""The grader's outputs: the results journal, --resume, the CSV (student ids, spreadsheet-safe
cells, written by rename) and the refusal of unusable output paths before grading starts."""

from __future__ import annotations

import contextlib
import csv
import doctest
import importlib
import io
import json
import os
import re
import shlex
from pathlib import Path

import pytest

from gdteach._grading import executors, journal, spreadsheet
from gdteach._grading.spreadsheet import grades_csv, id_pattern, safe_cell, student_id
from gdteach.grade import _parse, _parser, main
from tests.grading_run import CLASS, ROOT, SOURCE, TASKS, TIMEOUT, graded_class


@pytest.fixture(scope="module")
def run():
    return graded_class()


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _quiet(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------- the CSV


def test_csv_has_a_student_column_from_the_nbgrader_layout_and_the_points(run):
    rows = _rows(run.csv)
    assert list(rows[0]) == ["submission", "student", *TASKS, "total", "max", "error"]
    assert [row["submission"] for row in rows] == run.submissions
    for row, (student, (_, points, error)) in zip(rows, CLASS.items()):
        # the formula-like id comes back as text: the quote is what keeps it text
        assert row["student"] == (student if student[0] != "=" else "'" + student)
        assert [int(row[task]) for task in TASKS] == list(points)
        assert (row["total"], row["max"]) == (str(sum(points)), "43")
        assert error in row["error"] if error else row["error"] == ""


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted():
    assert [safe_cell(t) for t in ["=HYPERLINK(\"x\")", "+1", "-1", "@A1", "\tx", "ok", "a=b"]] == [
        "'=HYPERLINK(\"x\")", "'+1", "'-1", "'@A1", "' x", "ok", "a=b"]
    record = {"submission": "=cmd|' /C calc'!A0", "student": "@bob", "total": 1.0, "max": 2.0,
              "errors": ["-2+3 \x1b[31m"], "tasks": [{"grade_id": "t", "points": 1.0}]}
    text = grades_csv([record])
    assert text.splitlines()[1] == "'=cmd|' /C calc'!A0,'@bob,1,1,2,'-2+3  [31m"


def test_student_ids_from_paths():
    assert student_id("/c/submitted/ada/ps1/02_update_rule.ipynb") == "ada"
    assert student_id("submitted/ada/02_update_rule.ipynb") == ""  # no assignment folder
    pattern = id_pattern(r"inbox/(?P<student>\d+)-")
    assert student_id("x/inbox/20417-hw.ipynb", pattern) == "20417"
    with pytest.raises(ValueError, match="group named 'student'"):
        id_pattern(r"(\d+)")
    with pytest.raises(ValueError, match="not a regular expression"):
        id_pattern(r"(?P<student>")


def test_a_pattern_with_nested_repeats_meets_a_crafted_name_within_a_bound():
    """--id-pattern is the instructor's, the names are the students': ``(a+)+b`` on 40 a's
    backtracks about 2**40 times (hours). The matching runs in a child process with a time
    limit, and the run is refused with a message that says why, before anything is graded."""
    import time

    crafted = "inbox/" + "a" * 40 + ".ipynb"
    started = time.monotonic()
    with pytest.raises(ValueError, match=r"nested repeats, such as \(a\+\)\+"):
        spreadsheet.student_ids([crafted], r"(?P<student>(a+)+)b", seconds=1.0)
    assert time.monotonic() - started < 30  # the bound, not the pattern, ended it
    # the same pattern on ordinary names gives each student's id
    assert spreadsheet.student_ids(["inbox/aab.ipynb", "x/b"], r"(?P<student>(a+)+)b") == ["aa", ""]


def test_the_csv_replaces_the_old_file_by_a_rename(tmp_path):
    target = tmp_path / "grades.csv"
    target.write_text("old\n")
    before = os.stat(target).st_ino
    spreadsheet.write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert os.stat(target).st_ino != before  # a new file renamed over it, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]  # no temp file left


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink"])
def test_an_unusable_csv_path_is_refused_before_grading(tmp_path, kind):
    target, victim = tmp_path / "grades.csv", tmp_path / "precious.txt"
    victim.write_text("keep me")
    {"fifo": os.mkfifo, "directory": os.mkdir,
     "symlink": lambda path: os.symlink(victim, path)}[kind](target)
    code, out, err = _quiet([str(SOURCE), str(SOURCE), "--csv", str(target)])
    assert code == 2
    word = {"fifo": "a FIFO", "directory": "a directory", "symlink": "a symbolic link"}[kind]
    assert f"--csv '{target}' is {word}" in err
    assert out == "" and victim.read_text() == "keep me"
    assert not (tmp_path / "grades.jsonl").exists()  # nothing was graded


# --------------------------------------------------------------------------- journal and resume


def _journal(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_the_journal_holds_one_line_per_submission_and_no_hidden_input(run):
    lines = _journal(run.results)
    assert lines[0]["journal"] == "gdteach.grade results"
    assert lines[0]["settings"]["timeout"] == float(TIMEOUT) and lines[0]["settings"]["sandbox"] == "bwrap"
    assert sorted(r["submission"] for r in lines[1:]) == sorted(run.submissions)
    for record in lines[1:]:
        for task in record["tasks"]:
            for case in task["cases"]:
                keys = {"hidden", "passed", "points", "max", "hint"}
                assert set(case) == keys if case["hidden"] else set(case) > keys


def _replay(run, monkeypatch, stop_after: int | None = None) -> list[int]:
    """Make the executor hand back the shared run's records (no kernels); the indexes it was
    asked to grade. With ``stop_after``, Ctrl-C arrives after that many results."""
    graded = {r["submission"]: r for r in _journal(run.results)[1:]}
    asked: list[int] = []

    def replay(tasks, jobs):
        for count, (index, _) in enumerate(tasks):
            if stop_after is not None and count == stop_after:
                raise KeyboardInterrupt
            asked.append(index)
            record = {k: v for k, v in graded[run.submissions[index]].items()
                      if k not in ("submission", "student", "sha256", "seconds")}
            yield index, (record, 1.0, executors.code_fingerprint())

    monkeypatch.setattr(executors, "run_local", replay)
    return asked


def test_an_interrupted_run_loses_nothing_and_resume_grades_only_the_rest(run, tmp_path,
                                                                           monkeypatch):
    asked = _replay(run, monkeypatch, stop_after=2)
    code, _, err = _quiet(run.args(tmp_path))
    assert code == 130 and "--resume" in err
    journal = tmp_path / "grades.jsonl"
    first = [r["submission"] for r in _journal(journal)[1:]]
    assert len(asked) == 2 and first == [run.submissions[i] for i in asked]
    assert not (tmp_path / "grades.csv").exists()
    # the interruption also cut a line in half
    with open(journal, "a") as handle:
        handle.write('{"submission": "half a li')

    asked = _replay(run, monkeypatch)
    code, out, _ = _quiet([*run.args(tmp_path), "--resume"])
    assert code == 0, out
    assert sorted(run.submissions[i] for i in asked) == sorted(set(run.submissions) - set(first))
    lines = _journal(journal)
    assert sorted(r["submission"] for r in lines[1:]) == sorted(run.submissions)  # each once
    assert (tmp_path / "grades.csv").read_bytes() == run.csv.read_bytes()


def test_two_runs_cannot_write_one_results_file(tmp_path):
    head = journal.header("s.ipynb", "0" * 64, {"timeout": 1.0})
    with journal.Journal.open(tmp_path / "r.jsonl", head, resume=False):
        with pytest.raises(ValueError, match="being written by another grading run"):
            journal.Journal.open(tmp_path / "r.jsonl", head, resume=True)
    journal.Journal.open(tmp_path / "r.jsonl", head, resume=True).close()  # free again


def test_resume_refuses_a_journal_of_other_settings(run, tmp_path, monkeypatch):
    _replay(run, monkeypatch)
    assert _quiet(run.args(tmp_path))[0] == 0
    code, _, err = _quiet([*run.args(tmp_path), "--resume", "--timeout", "9"])
    assert code == 2 and "another settings" in err


@pytest.mark.parametrize(("line", "problem"), [
    ("[]", "not an object"),
    ('{"submission": "a.ipynb"}', "no 'sha256'"),
    ('{"submission": "a.ipynb", "sha256": "0", "total": "9", "max": 1, "errors": [], '
     '"problems": [], "tasks": []}', "'total' is not a number"),
    ('{"submission": "a.ipynb", "sha256": "0", "total": 1, "max": 1, "errors": [], '
     '"problems": [], "tasks": [{"grade_id": "t", "points": 1, "max": 1, "cases": [7]}]}',
     "a case is not an object"),
    ('{"submission": "a.ipynb", "sha256": "0", "total": 1, "max": 1, "errors": [], '
     '"problems": [{"code": "no such code", "detail": ""}], "tasks": []}',
     "a problem is not a {code, detail} object"),
])
def test_resume_refuses_a_record_of_the_wrong_shape_with_its_line(run, tmp_path, monkeypatch,
                                                                   line, problem):
    """An outside red team's finding: a results file whose second line was ``[]`` (edited by
    hand, or cut and pasted) made --resume end in a traceback. Now the run stops before
    grading with the file, the line and what is wrong, exit 2."""
    _replay(run, monkeypatch)
    assert _quiet(run.args(tmp_path))[0] == 0
    results = tmp_path / "grades.jsonl"
    head, *records = results.read_text().splitlines(True)
    results.write_text(head + line + "\n" + "".join(records))
    code, out, err = _quiet([*run.args(tmp_path), "--resume"])
    assert code == 2, out
    assert f"line 2: {problem}" in err and "Traceback" not in err


def test_a_changed_submission_is_graded_again_on_resume(run, tmp_path, monkeypatch):
    _replay(run, monkeypatch)
    assert _quiet(run.args(tmp_path))[0] == 0
    asked = _replay(run, monkeypatch)
    args = run.args(tmp_path)
    assert _quiet([*args, "--resume"])[0] == 0
    assert asked == []  # nothing new
    Path(run.submissions[1]).write_bytes(Path(run.submissions[1]).read_bytes() + b" ")
    try:
        asked = _replay(run, monkeypatch)
        assert _quiet([*args, "--resume"])[0] == 0
        assert asked == [1]
    finally:
        Path(run.submissions[1]).write_bytes(Path(run.submissions[1]).read_bytes()[:-1])


def test_a_symlinked_submission_is_not_followed(run, tmp_path, monkeypatch):
    link = tmp_path / "submitted" / "zed" / "ps1" / "02_update_rule.ipynb"
    link.parent.mkdir(parents=True)
    link.symlink_to(SOURCE)  # the instructor's notebook, solutions and all
    asked = _replay(run, monkeypatch)
    code, _, _ = _quiet([str(SOURCE), str(link), "--csv", str(tmp_path / "g.csv")])
    assert code == 0 and asked == []
    row = _rows(tmp_path / "g.csv")[0]
    assert (row["student"], row["total"]) == ("zed", "0")
    assert "symbolic link" in row["error"]


def test_id_pattern_reads_another_layout(run, tmp_path, monkeypatch):
    _replay(run, monkeypatch)
    code, _, _ = _quiet([*run.args(tmp_path), "--id-pattern", r"submitted/(?P<student>[a-z]+)/"])
    assert code == 0
    assert [row["student"] for row in _rows(tmp_path / "grades.csv")] == [
        s if s.isalpha() else "" for s in CLASS]


def _workflow_commands() -> list[list[str]]:
    text = (ROOT / "exercises" / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### An instructor's whole workflow"):text.index("### With nbgrader")]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", section, flags=re.S):
        for command in block.replace("\\\n", " ").splitlines():
            if command.startswith("python -m gdteach.grade"):
                commands.append(shlex.split(command, comments=True)[3:])
    return commands


def test_the_readme_workflow_uses_only_real_options():
    commands = _workflow_commands()
    assert len(commands) == 3  # release, grade, grade on a cluster
    for argv in commands:
        args = _parse(_parser(), argv)
        assert args.make_student or (args.csv and len(args.paths) >= 2)


@pytest.mark.parametrize("name", ["spreadsheet", "journal", "feedback", "report", "page",
                                  "executors"])
def test_docstring_examples_of_the_grader_outputs(name):
    module = importlib.import_module(f"gdteach._grading.{name}")
    result = doctest.testmod(module, verbose=False)
    assert result.attempted > 0 and result.failed == 0

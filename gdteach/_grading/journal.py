"""The results file: one JSON line per graded submission, written as grading goes.

It is the journal of a run and the data behind the CSV, the feedback pages and the report::

    {"journal": "gdteach.grade results", "version": 1, "source": "...", "source_sha256": "...",
     "settings": {"timeout": 30.0}}                                           <- first line
    {"submission": "submitted/ada/ps1/02_update_rule.ipynb", "student": "ada",
     "sha256": "...", "total": 14.0, "max": 19.0, "errors": [...], "problems": [...],
     "tasks": [{"grade_id": "gd_step", "points": 5.0, "max": 5.0, "cases": [...]}],
     "seconds": 1.42}                                                         <- one per submission

``problems`` are the typed problems (``problems.Problem``: ``{"code", "detail"}``), every verdict
is taken from their codes; ``errors`` are their details, the sentences shown.

A visible case is ``{"hidden": false, "passed", "points", "max", "call", "expected", "got",
"problem", "hint"}`` with values as the self-check prints them; a hidden case is only
``{"hidden": true, "passed", "points", "max", "hint"}``: its inputs and its answer are not
kept. Its hint (which may quote the inputs) is for the instructor's report; the feedback
pages never show it.

Each line is flushed to disk before the next submission is reported, so an interrupted run
loses at most the submissions being graded at that moment. ``--resume`` reads the file back,
keeps the submissions already graded (same path, same bytes, same source and settings) and
grades only the rest. ``seconds`` is the one field that differs between two runs: nothing
compared byte for byte (CSV, feedback, report) is built from it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Code, Problem
from .spreadsheet import check_output_path

__all__ = ["MAGIC", "VERSION", "Journal", "header", "read_journal", "result_record", "empty_record",
           "key", "in_order"]

MAGIC, VERSION = "gdteach.grade results", 2  # 2: typed problems


def header(source: str, source_sha256: str, settings: dict) -> dict:
    """The first line: what every record below was graded against."""
    return {"journal": MAGIC, "version": VERSION, "source": source,
            "source_sha256": source_sha256, "settings": settings}


def key(record: dict) -> tuple[str, str]:
    """A submission is the same one when its path and its bytes are the same.

    >>> key({"submission": "submitted/ada/ps1/02.ipynb", "sha256": "9f2c", "total": 5.0})
    ('submitted/ada/ps1/02.ipynb', '9f2c')
    """
    return record["submission"], record["sha256"]


# --------------------------------------------------------------------------- records


def _case(case: Any) -> dict:
    if case.hidden:
        return {"hidden": True, "passed": bool(case.passed), "points": float(case.points),
                "max": float(case.max_points), "hint": "" if case.passed else case.hint}
    return {"hidden": False, "passed": bool(case.passed), "points": float(case.points),
            "max": float(case.max_points), "call": case.call, "expected": case.expected,
            "got": case.got, "problem": case.problem, "hint": "" if case.passed else case.hint}


def _counts(spec: Any) -> dict[str, tuple[int, int]]:
    """(visible, hidden) number of cases of each test cell."""
    return {test.grade_id: (sum(len(p.cases) for p in test.probes if not p.hidden),
                            sum(len(p.cases) for p in test.probes if p.hidden))
            for test in spec.tests}


def result_record(spec: Any, result: Any) -> dict:
    """The plain-data record of one ``SubmissionResult`` (without path, id, hash or time).

    The cases of a test cell come in the order of its checks; a test cell that was never
    reached (grading stopped earlier) has no cases, and ``visible``/``hidden`` say how many
    it has in all.
    """
    counts = _counts(spec)
    tasks = []
    for task in result.tasks:
        visible, hidden = counts[task.grade_id]
        tasks.append({"grade_id": task.grade_id, "points": float(task.points),
                      "max": float(task.max_points),
                      "cases": [_case(case) for case in result.cases if case.grade_id == task.grade_id],
                      "visible": visible, "hidden": hidden})
    problems = [*result.problems, *([Problem(Code.NO_SANDBOX, result.note)] if result.note else [])]
    return {"total": float(result.total), "max": float(result.max_points),
            "errors": [problem.detail for problem in problems],
            "problems": [problem.to_dict() for problem in problems], "tasks": tasks}


def empty_record(spec: Any, problems: list[Problem]) -> dict:
    """The record of a submission that could not be graded at all: 0 on every task."""
    counts = _counts(spec)
    tasks = [{"grade_id": test.grade_id, "points": 0.0, "max": float(test.points), "cases": [],
              "visible": counts[test.grade_id][0], "hidden": counts[test.grade_id][1]}
             for test in spec.tests]
    return {"total": 0.0, "max": float(spec.max_points),
            "errors": [problem.detail for problem in problems],
            "problems": [problem.to_dict() for problem in problems], "tasks": tasks}


# --------------------------------------------------------------------------- the file


def _lines(path: Path) -> tuple[list[dict], int]:
    """The complete JSON lines of ``path`` and the byte length they fill (a last line cut
    off by an interruption is not complete)."""
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    records = []
    for number, line in enumerate(data[:end].split(b"\n")[:-1], start=1):
        try:
            records.append(json.loads(line))
        except ValueError as err:
            raise ValueError(f"results file {str(path)!r}, line {number}: not JSON ({err})") from None
    return records, end


_NUMBER = (int, float)
#: the fields of a record and of each of its tasks that the CSV, pages and report read
_RECORD_FIELDS = {"submission": str, "sha256": str, "total": _NUMBER, "max": _NUMBER,
                  "errors": list, "problems": list, "tasks": list}
_TASK_FIELDS = {"grade_id": str, "points": _NUMBER, "max": _NUMBER, "cases": list}
_CASE_FIELDS = {"hidden": bool, "passed": bool, "points": _NUMBER, "max": _NUMBER}


def _field_problem(data: dict, fields: dict, where: str) -> str | None:
    for name, kind in fields.items():
        if name not in data:
            return f"no {name!r}{where}"
        if not isinstance(data[name], kind) or (kind is not bool and isinstance(data[name], bool)):
            return f"{name!r}{where} is not a {getattr(kind, '__name__', 'number')}"
    return None


def record_problem(record: Any) -> str | None:
    """What is wrong with the shape of one record read back from a results file (edited by
    hand, or not written by this gdteach), or None.

    >>> record_problem([]), record_problem({"submission": "a.ipynb"})
    ('not an object', "no 'sha256'")
    """
    if not isinstance(record, dict):
        return "not an object"
    problem = _field_problem(record, _RECORD_FIELDS, "")
    for task in record["tasks"] if problem is None else []:
        problem = (_field_problem(task, _TASK_FIELDS, " of a task") if isinstance(task, dict)
                   else "a task is not an object")
        for case in task["cases"] if problem is None else []:
            problem = (_field_problem(case, _CASE_FIELDS, " of a case") if isinstance(case, dict)
                       else "a case is not an object")
            if problem:
                break
        if problem:
            return problem
    if problem is None:
        try:
            [Problem.from_dict(item) for item in record["problems"]]
        except (TypeError, KeyError, ValueError, AttributeError):
            return "a problem is not a {code, detail} object"
    return problem


def read_journal(path: str | os.PathLike) -> tuple[dict, list[dict]]:
    """The header and the records of a results file; a later record of the same submission
    (path and bytes) replaces an earlier one. A record of the wrong shape is refused with its
    line number."""
    path = Path(path)
    lines, _ = _lines(path)
    if not lines or not isinstance(lines[0], dict) or lines[0].get("journal") != MAGIC:
        raise ValueError(f"{str(path)!r} is not a gdteach.grade results file")
    if lines[0].get("version") != VERSION:
        raise ValueError(f"{str(path)!r} has version {lines[0].get('version')!r}; this gdteach "
                         f"reads version {VERSION}")
    latest: dict[tuple[str, str], dict] = {}
    for number, record in enumerate(lines[1:], start=2):
        problem = record_problem(record)
        if problem:
            raise ValueError(f"results file {str(path)!r}, line {number}: {problem}; give a "
                             "new --results file or leave out --resume")
        latest[key(record)] = record
    return lines[0], list(latest.values())


def _lock(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one run at a time is up to the user
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ValueError(f"results file {str(path)!r} is being written by another grading "
                         "run: wait for it to end, or give another --results file") from None


@dataclass
class Journal:
    """An open results file; ``add`` appends one record and makes it durable."""

    path: Path
    handle: Any
    done: dict[tuple[str, str], dict]

    @classmethod
    def open(cls, path: str | os.PathLike, head: dict, *, resume: bool) -> Journal:
        """Start a new results file, or (``resume``) continue one written with ``head``.

        The file stays locked (``flock``) while it is open: a second run on the same
        results file is refused instead of writing over the first one's lines."""
        path = check_output_path(path, "results file")
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags, 0o600)  # it holds the hidden inputs: never for others
        try:
            os.fchmod(fd, 0o600)  # also a results file an older run left
            _lock(fd, path)
            done: dict[tuple[str, str], dict] = {}
            if resume and os.fstat(fd).st_size:
                old, records = read_journal(path)
                for name in ("source_sha256", "settings"):
                    if old.get(name) != head[name]:
                        raise ValueError(
                            f"--resume: {str(path)!r} was written with another "
                            f"{name.replace('_', ' ')} ({old.get(name)!r}, now {head[name]!r}); "
                            "give a new --results file or leave out --resume")
                done = {key(record): record for record in records}
                _, end = _lines(path)
                os.ftruncate(fd, end)  # drop a line cut off by the interruption
                os.lseek(fd, end, os.SEEK_SET)
                handle = os.fdopen(fd, "wb")
            else:
                os.ftruncate(fd, 0)
                handle = os.fdopen(fd, "wb")
                cls._write(handle, head)
        except BaseException:
            os.close(fd)
            raise
        return cls(path, handle, done)

    @staticmethod
    def _write(handle: Any, data: dict) -> None:
        handle.write(json.dumps(data, ensure_ascii=True, allow_nan=False).encode() + b"\n")
        handle.flush()
        os.fsync(handle.fileno())

    def add(self, record: dict) -> None:
        self._write(self.handle, record)
        self.done[key(record)] = record

    def close(self) -> None:
        self.handle.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def in_order(records: Iterable[dict], keys: list[tuple[str, str]]) -> list[dict]:
    """The records of ``keys``, in that order (the order the submissions were given)."""
    by_key = {key(record): record for record in records}
    return [by_key[k] for k in keys]


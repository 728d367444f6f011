"""Feedback for each student: one self-contained HTML page per graded submission.

Built from the submission's record in the results file (``journal.py``), so it shows what the
grader judged and nothing else:

- the total, and per task (test cell) the points earned and possible;
- for each visible case, as the self-check prints it: the call, the expected value, what
  came back (or what went wrong) and the hint;
- for the hidden cases only how many passed: a record keeps no input, answer or hint of a
  hidden case, so this page cannot show them;
- time-outs, crashes, missing cells and the like, explained in plain words.

``feedback_names`` names each page after its submission: the submission's path below the
folder all submissions share, ``.ipynb`` replaced by ``.html`` (nbgrader's
``submitted/<student>/<assignment>/<notebook>.ipynb`` becomes ``<student>/<assignment>/<notebook>.html``).
A part of that path is kept as it is only when it is short plain lower-case ASCII; any other
(``ad a``, ``Ada``, ``李雷``, a 250-byte name) becomes a readable prefix, ``~`` and a short hash
of the whole part (``page_part``), so the names are short and two ids never share a page.
``index_csv`` lists which page is whose.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .page import esc, page
from .problems import Code, Problem
from .spreadsheet import csv_text, number

__all__ = ["feedback_html", "feedback_names", "page_part", "index_csv", "explain"]

_STOPPED = ("The tasks after that point could not be tested, so they got 0 points; the "
            "tasks before it kept theirs.")

# what each kind of problem means, in plain words (chosen by the problem's code, never
# by its text: a student's exception message cannot pick another explanation)
_EXPLANATIONS = {
    Code.CELL_TIMEOUT: ("Your code was still running when the time limit ran out. "
     "Usually this is a loop that never ends (check that the loop's condition becomes false) "
     "or a computation far slower than it needs to be. " + _STOPPED),
    Code.WALL_TIME: ("Your notebook as a whole ran longer than the time allowed for "
     "one submission. Look for slow loops, or work repeated many times. " + _STOPPED),
    Code.OUTPUT_FLOOD: ("Your code printed far too much output (a print inside a long loop?). "
     "Remove or shorten the prints. " + _STOPPED),
    Code.CHANNEL_BROKEN: ("Your code interfered with the way the grader collects "
     "results (for example by replacing print, sys.stdout or json). " + _STOPPED),
    Code.KERNEL_DIED: ("The Python process running your notebook stopped suddenly: it crashed, "
     "used too much memory, or was stopped by your code (os._exit, os.kill, …). " + _STOPPED),
    Code.SYS_EXIT: ("Your code called sys.exit() (or exit() or quit()), which stops Python. "
     "Remove that call. " + _STOPPED),
    Code.ANSWER_MISSING: ("The grader finds each answer in the cell where the notebook asked for it. "
     "That cell was deleted, or its hidden cell information was lost (for example when the "
     "code was pasted into a new cell). Put your code back into the original answer cell; "
     "start from a fresh copy of the notebook if that cell is gone."),
    Code.ANSWER_DUPLICATED: ("The same answer cell is in the notebook more than once (a copied cell): only "
     "the last copy was graded."),
    Code.UNKNOWN_GRADE_ID: ("Some cells carry cell information this exercise does not know; they "
     "were ignored. Write each answer in the answer cell the notebook gives for it."),
    Code.REORDERED: ("Cells were moved around: the grader ran them in the notebook's original "
     "order, so nothing was lost."),
    Code.LOCKED_DELETED: ("A test cell was deleted: that changes nothing, the "
     "grader always uses the original tests."),
    Code.LOCKED_CHANGED: ("A test cell was changed: that changes nothing, the "
     "grader always uses the original tests."),
    Code.USES_GDTEACH: ("Answers must be your own code: answer cells that import or use gdteach "
     "are not run, so their tasks got 0 points."),
    Code.NO_ANSWER_CELL: ("None of this exercise's answer cells were found: is this the notebook "
     "of another exercise?"),
    Code.NOT_A_NOTEBOOK: ("The file handed in could not be read as a Jupyter notebook (it is "
     "damaged, cut short, empty or another kind of file). Hand in the .ipynb file saved from "
     "Jupyter."),
    Code.FILE_UNREADABLE: ("The file handed in could not be read as a notebook. Hand in the "
     ".ipynb file saved from Jupyter."),
    Code.FILE_NOT_GRADED: ("The file handed in was not graded (a link to another file, a "
     "folder, or far too large for a notebook). Hand in the .ipynb file saved from Jupyter."),
    Code.CELL_TOO_LARGE: ("That answer cell is far longer than any answer needs (pasted data or "
     "output?), so it was not run."),
    Code.SANDBOX_FAILED: ("The grading machine had a problem. This is not your fault: ask "
     "your instructor to grade this submission again."),
    Code.SETUP_FAILED: ("A cell of the notebook that you did not write failed. This is not your "
     "fault: tell your instructor."),
    Code.ANSWER_RAISED: ("That answer cell stopped with an error when it ran, so what it defines after "
     "the error is missing. Restart the kernel and run all cells to see the error."),
}


def explain(problem: Problem | dict) -> str:
    """What a problem means for the student, in plain words, chosen by its code ("" when
    its detail says it all).

    >>> explain(Problem(Code.SYS_EXIT, "answer cell 'answer_gd_path' called sys.exit()"))[:27]
    'Your code called sys.exit()'
    >>> explain(Problem(Code.ANSWER_RAISED, "answer cell 'a' raised ValueError: appears twice"))[:16]
    'That answer cell'
    """
    if isinstance(problem, dict):
        problem = Problem.from_dict(problem)
    return _EXPLANATIONS.get(problem.code, "")


def _task_section(task: dict, number_: int) -> str:
    cases = task["cases"]
    visible = [case for case in cases if not case["hidden"]]
    hidden = [case for case in cases if case["hidden"]]
    heading = (f"<h2 id=\"task-{number_}\">Task {number_}: <code>{esc(task['grade_id'])}</code> "
               f"— {number(task['points'])} of {number(task['max'])} points</h2>")
    if not cases:
        return (heading + "\n<p>Not tested: grading stopped before this task (see "
                "<a href=\"#problems\">what went wrong</a>), so it got 0 points.</p>")
    rows = []
    for case in visible:
        if case["passed"]:
            result, got, hint = '<span class="pass">✓ passed</span>', case["got"], ""
        else:
            result = '<span class="fail">✗ failed</span>'
            got = case["got"] or ""
            if case["problem"]:
                got = (f"{got} ({case['problem']})" if got else
                       ("it " + case["problem"] if case["problem"].startswith("raised")
                        else case["problem"]))
            hint = case["hint"]
        rows.append(f"<tr><td class=\"nowrap\">{result}</td><td><code>{esc(case['call'])}</code></td>"
                    f"<td><code>{esc(case['expected'])}</code></td><td><code>{esc(got)}</code></td>"
                    f"<td>{esc(hint)}</td></tr>")
    parts = [heading]
    if visible:
        passed = sum(case["passed"] for case in visible)
        parts.append(
            f"<table>\n<caption>Visible checks (as in the notebook's check cell): {passed} of "
            f"{len(visible)} passed</caption>\n<thead><tr><th scope=\"col\">result</th>"
            "<th scope=\"col\">call</th><th scope=\"col\">expected</th><th scope=\"col\">got</th>"
            "<th scope=\"col\">hint</th></tr></thead>\n<tbody>\n" + "\n".join(rows)
            + "\n</tbody>\n</table>")
    missing_visible = task.get("visible", len(visible)) - len(visible)
    missing_hidden = task.get("hidden", len(hidden)) - len(hidden)
    if hidden or missing_hidden:
        total = len(hidden) + missing_hidden
        passed = sum(case["passed"] for case in hidden)
        parts.append(f"<p>Hidden tests (other inputs, not shown): <strong>{passed} of {total} "
                     "passed</strong>.</p>")
    if missing_visible or missing_hidden:
        parts.append("<p>Some checks of this task did not run: grading stopped while it was "
                     "being tested (see <a href=\"#problems\">what went wrong</a>).</p>")
    return "\n".join(parts)


def feedback_html(record: dict, notebook: str) -> str:
    """The feedback page of one submission's record; ``notebook`` names the exercise."""
    student = record.get("student") or ""
    title = f"Feedback on {notebook}" + (f" for {student}" if student else "")
    body = [f"<h1>{esc(title)}</h1>",
            f"<p class=\"score\">Total: <strong>{number(record['total'])} of "
            f"{number(record['max'])} points</strong></p>"]
    if record["problems"]:
        items = []
        for problem in map(Problem.from_dict, record["problems"]):
            meaning = explain(problem)
            items.append(f"<li><p><code>{esc(problem.detail)}</code></p>"
                         + (f"<p>{esc(meaning)}</p>" if meaning else "") + "</li>")
        body.append("<section class=\"note\" aria-labelledby=\"problems\">\n"
                    "<h2 id=\"problems\">What went wrong</h2>\n<ul>\n" + "\n".join(items)
                    + "\n</ul>\n</section>")
    body.append("<p>Each task is a test cell of the notebook. Each check is worth its points; "
                "a failed check shows what your function returned and a hint.</p>")
    for number_, task in enumerate(record["tasks"], start=1):
        body.append(_task_section(task, number_))
    return page(title, "\n".join(body), "Graded by gdteach.grade. The hidden tests use other "
                "inputs than the visible checks: make the function right, not the printed numbers.")


# kept as it is: short, plain, lower case (two pages never differ by case only: macOS and
# Windows would make them one file), never "index.csv", the index beside the pages
_PLAIN_PART = re.compile(r"(?!index\.csv$)[a-z0-9_-][a-z0-9._-]{0,39}")
_PREFIX_CHARS = 40


def page_part(part: str) -> str:
    """One part of a page's path: ``part`` itself when it is short plain lower-case ASCII,
    else its first 40 characters with every character that is not a letter, a digit, ``.``,
    ``_`` or ``-`` made ``_``, then ``~`` and the first 10 hex digits of the sha256 of the
    whole part (UTF-8). No kept part holds a ``~``, so the mapping is one-to-one (up to a
    40-bit hash collision, which ``feedback_names`` still numbers apart).

    >>> page_part("ada"), page_part("ad_a")
    ('ada', 'ad_a')
    >>> [page_part(p)[:5] for p in ["ad a", "Ada", "李雷", "x" * 250]], len(page_part("x" * 250))
    (['ad_a~', 'Ada~9', '李雷~3a', 'xxxxx'], 51)
    """
    if _PLAIN_PART.fullmatch(part):
        return part
    readable = "".join(char if char.isalnum() or char in "._-" else "_"
                       for char in part[:_PREFIX_CHARS]).strip(".") or "_"
    digest = hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{readable}~{digest}"


def feedback_names(submissions: Sequence[str]) -> list[str]:
    """A relative ``.html`` path per submission: its path below the folder they all share.

    >>> feedback_names(["c/submitted/ada/ps1/02.ipynb", "c/submitted/bo/ps1/02.ipynb"])
    ['ada/ps1/02.html', 'bo/ps1/02.html']
    >>> feedback_names(["in/a b.ipynb", "in/a_b.ipynb"])
    ['a_b~c8687a08aa.html', 'a_b.html']
    """
    absolute = [os.path.abspath(path) for path in submissions]
    parents = [os.path.dirname(path) for path in absolute]
    common = os.path.commonpath(parents) if parents else ""
    names: list[str] = []
    for path in absolute:
        relative = PurePosixPath(*Path(os.path.relpath(path, common)).parts)
        parts = [page_part(part) for part in relative.parts]
        stem = page_part(re.sub(r"\.ipynb$", "", relative.name))
        parts[-1] = f"{stem}.html"
        for number_ in range(2, len(absolute) + 2):  # a hash collision: numbered apart
            if "/".join(parts) not in names:
                break
            parts[-1] = f"{stem}-{number_}.html"
        names.append("/".join(parts))
    return names


def index_csv(records: Sequence[dict], names: Sequence[str], failures: dict[int, str]) -> str:
    """The index beside the pages: ``submission, student, page, error`` (error: why the page
    could not be written, by the record's position), one row per record, in order.

    >>> index_csv([{"submission": "in/a b.ipynb", "student": ""}], ["a_b~c8687a08aa.html"], {})
    'submission,student,page,error\\nin/a b.ipynb,,a_b~c8687a08aa.html,\\n'
    """
    rows = [[record["submission"], record.get("student", ""), name, failures.get(index, "")]
            for index, (record, name) in enumerate(zip(records, names))]
    return csv_text(["submission", "student", "page", "error"], rows)

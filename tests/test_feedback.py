"""--feedback: one self-contained HTML page per submission that shows what the student may
see (visible checks in full, hidden tests as a count) and explains what went wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gdteach._grading.notebook import read_spec
from gdteach._grading.tasks import TASKS, call_text
from tests.grading_run import CLASS, SOURCE, graded_class, look_at


@pytest.fixture(scope="module")
def run():
    return graded_class()


def _folder(student: str) -> str:
    """A student's folder of pages: the id, or for ``=1+2`` (not plain lower-case ASCII)
    ``_1_2~`` and the first 10 hex digits of the id's sha256."""
    import hashlib

    if student.isalpha():
        return student
    assert student == "=1+2"
    return "_1_2~" + hashlib.sha256(student.encode()).hexdigest()[:10]


def _page(run, student: str) -> str:
    return (run.feedback / student / "ps1" / "02_update_rule.html").read_text(encoding="utf-8")


def _cases(hidden: bool) -> list[tuple[str, str]]:
    """(task, call text) of every hidden or visible case of the source notebook."""
    return [(test.grade_id, call_text(TASKS[probe.task], case))
            for test in read_spec(SOURCE).tests for probe in test.probes
            if probe.hidden is hidden for case in probe.cases]


def test_one_page_per_submission_named_after_it(run):
    """<student>/ps1/02_update_rule.html; an id that is not plain lower-case ASCII (``=1+2``)
    becomes ``_1_2~`` and 10 hex digits of its sha256; index.csv says whose page is which."""
    import csv

    pages = sorted(p.relative_to(run.feedback).as_posix() for p in run.feedback.rglob("*"))
    assert sorted(p for p in pages if p.endswith(".html")) == sorted(
        f"{_folder(s)}/ps1/02_update_rule.html" for s in CLASS)
    assert {p.split("/")[0] for p in pages} == {_folder(s) for s in CLASS} | {"index.csv"}
    with open(run.feedback / "index.csv", newline="", encoding="utf-8") as handle:
        index = list(csv.DictReader(handle))
    assert [(row["student"].lstrip("'"), row["page"], row["error"]) for row in index] == [
        (s, f"{_folder(s)}/ps1/02_update_rule.html", "") for s in CLASS]


def test_no_hidden_case_input_appears_in_any_feedback_file(run):
    hidden, visible = _cases(hidden=True), _cases(hidden=False)
    assert len(hidden) >= 8 and len(visible) >= 8  # every task has both
    texts = [page.read_text(encoding="utf-8") for page in run.feedback.rglob("*.html")]
    assert len(texts) == len(CLASS)
    html_text = [re.sub(r"<[^>]+>", "", text).replace("&#x27;", "'") for text in texts]
    for _, call in hidden:
        args = call[call.index("(") + 1 : -1]
        assert not any(args in text for text in html_text), call
    # the control: every visible call is on the page of a submission that reached it
    for _, call in visible:
        assert call in html_text[[str(p) for p in run.feedback.rglob("*.html")].index(
            str(run.feedback / "ada" / "ps1" / "02_update_rule.html"))]


def test_a_page_shows_points_visible_checks_and_hidden_counts(run):
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _page(run, "ben")))
    page = re.sub(r" ([.:])", r"\1", page)
    # partial: gd_step passes the three scalar cases (two visible at 1 point, one hidden at 3)
    # of six; gd_path the three with lr 0.1 (two visible, one hidden): 5 + 5 of 43
    assert "Total: 10 of 43 points" in page
    assert "Task 1: gd_step — 5 of 12 points" in page
    assert "Visible checks (as in the notebook's check cell): 2 of 3 passed" in page
    assert "Hidden tests (other inputs, not shown): 1 of 3 passed." in page
    assert "✗ failed gd_step(w=[1.0, 2.0], grad=[0.5, -1.0], lr=0.2) [0.9, 2.2] it raised TypeError" in page
    assert TASKS["gd_step"].hint in page.replace("&#x27;", "'")
    assert "Task 3: mse_gradient — 0 of 8 points" in page


@pytest.mark.parametrize("student, words", [
    ("cy", "Your code was still running when the time limit ran out"),
    ("dee", "The Python process running your notebook stopped suddenly"),
    ("eve", "That cell was deleted, or its hidden cell information was lost"),
    ("=1+2", "could not be read as a Jupyter notebook"),
])
def test_problems_are_explained_in_plain_words(run, student, words):
    page = _page(run, _folder(student)).replace("&#x27;", "'")
    assert "What went wrong" in page and words in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


def test_a_task_never_reached_says_so(run):
    page = _page(run, "cy")  # time-out in mse_gradient's answer cell: its tests never ran
    assert page.count("Not tested: grading stopped before this task") == 2


@pytest.mark.browser
def test_feedback_opens_offline_in_chromium_and_passes_axe(run):
    pages = {run.feedback / "ben" / "ps1" / "02_update_rule.html": "feedback_partial",
             run.feedback / "cy" / "ps1" / "02_update_rule.html": "feedback_timeout"}
    seen = look_at(pages)
    for found in seen.values():
        assert found["requests"] == [], found["requests"]
        assert found["violations"] == [], [v["id"] for v in found["violations"]]
        assert Path(found["screenshot"]).stat().st_size > 10_000

"""--report: the instructor's page (distributions, cases failed most often, problems) and its
companion page of times, built from the results file."""

from __future__ import annotations

import base64
import json
import re
import statistics

import pytest

from gdteach._grading.notebook import read_spec
from gdteach._grading.report import failed_most_often, report_html
from gdteach.grade import _case_labels
from tests.grading_run import CLASS, SOURCE, graded_class, look_at


@pytest.fixture(scope="module")
def run():
    return graded_class()


@pytest.fixture(scope="module")
def records(run):
    lines = [json.loads(line) for line in run.results.read_text().splitlines()[1:]]
    order = {path: i for i, path in enumerate(run.submissions)}
    return sorted(lines, key=lambda r: order[r["submission"]])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_class_at_a_glance(run):
    totals = [sum(points) for _, points, _ in CLASS.values()]  # 43, 10, 23, 23, 23, 0
    text = _text(run.report.read_text())
    assert f"submissions {len(CLASS)} " in text
    assert f"mean total {statistics.fmean(totals):.2f} " in text  # 20.33
    assert f"median total {statistics.median(totals):g} " in text
    assert "full marks 1 " in text
    assert "with a problem (time-out, crash, missing cell, …) 4 " in text


def test_the_plots_are_embedded_pngs(run):
    html = run.report.read_text()
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', html)
    assert len(images) == 2 and all(alt for _, alt in images)
    for data, _ in images:
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<script" not in html and "src=\"http" not in html


def test_cases_failed_most_often_count_failures_among_those_that_reached_them(records):
    ranked = failed_most_often(records)
    # mse_gradient's visible cases: reached by ada (passes), ben (wrong), dee? no: dee crashed
    # in mse_gradient's answer cell, cy timed out there, eve has no mse_gradient cell, so
    # its tests ran and failed (NameError); "=1+2" never ran: reached by ada, ben, eve
    top = ranked[0]
    assert (top["task"], top["hidden"], top["failed"], top["tried"]) == ("mse_gradient", False, 2, 3)
    assert top["case"].startswith("mse_gradient(theta=[0.0, 0.0]")
    hidden = [e for e in ranked if e["hidden"]]
    assert hidden and all(e["case"] == f"hidden case {int(e['case'].split()[-1])}" for e in hidden)


def test_hidden_cases_are_labelled_with_their_call_for_the_instructor(run, records):
    labels = _case_labels(read_spec(SOURCE))
    hidden = [entry for entry in failed_most_often(records, labels) if entry["hidden"]]
    text = _text(run.report.read_text()).replace("&#x27;", "'")
    assert hidden and all(entry["case"] in text for entry in hidden)
    assert all(re.fullmatch(r"\w+\(.*\)", entry["case"]) for entry in hidden)  # a call


def test_the_report_does_not_depend_on_times(run, records):
    labels = {}
    first = report_html(records, title="t", labels=labels, times_link="x-times.html")
    slower = [{**r, "seconds": r["seconds"] * 7 + 3} for r in records]
    assert report_html(slower, title="t", labels=labels, times_link="x-times.html") == first
    times = run.report.with_name("report-times.html").read_text()
    slowest = max(records, key=lambda r: r["seconds"])
    assert f"{slowest['seconds']:.1f}" in times and "report-times.html" in run.report.read_text()


def test_problem_submissions_are_listed_with_what_happened(run):
    text = _text(run.report.read_text()).replace("&#x27;", "'")
    section = text[text.index("Submissions with a problem"):]
    for student, (_, _, words) in CLASS.items():
        if words:
            assert words in section and student.replace("=", "") in section


@pytest.mark.browser
def test_report_opens_offline_in_chromium_and_passes_axe(run):
    times = run.report.with_name("report-times.html")
    seen = look_at({run.report: "grading_report", times: "grading_report_times"})
    for found in seen.values():
        assert found["requests"] == [] and found["violations"] == [], found

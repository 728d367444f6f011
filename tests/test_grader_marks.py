"""Marks measure work (issue 18 §6): a trivial answer earns nothing on any task, and the
visible cases, which a student can read and hard-code, carry at most a quarter of each cell.
Also the student-version generator's marker rule (§7): a marker is a whole comment line; and
what an instructor notebook may hold (no written-answer cells, one cell per grade_id)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from gdteach._grading.notebook import (
    SpecError,
    clear_hidden_tests,
    clear_solutions,
    read_spec,
    visible_share_warnings,
)
from gdteach._grading.runner import (
    CaseResult,
    GradeSettings,
    both_answers_needed,
    grade_submission,
    sandbox_problem,
)
from gdteach._grading.selfcheck import expected_value, judge
from gdteach._grading.tasks import TASKS, decode, plain
from gdteach.grade import main

from .test_grade import _spec_with_test_cell

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "exercises" / "source").glob("*.ipynb"))
NAMES = [source.stem for source in SOURCES]

needs_sandbox = pytest.mark.skipif(sandbox_problem() is not None,
                                   reason=f"bubblewrap sandboxes cannot run here: {sandbox_problem()}")


def _shaped(value, fill):
    """``fill`` in the shape of ``value`` (lists and tuples of numbers)."""
    if isinstance(value, (list, tuple)):
        return [_shaped(item, fill) for item in value]
    return fill


def _trivial_answers(task, case, expected) -> dict[str, object]:
    """What a student who did no work returns: an argument, zeros, ones, nan (as scalars and
    in the answer's shape), True, False, None."""
    answers = {f"argument {name}": plain(value)
               for name, value in zip(task.arguments(case), decode(task, case))
               if name not in task.functions and value is not None}
    # (a half and minus one: an outside red team's constants; 0.5 earned a point on
    # gradient_check, whose visible x = 2 gave a relative error of exactly 1/2)
    for name, fill in (("zeros", 0.0), ("ones", 1.0), ("nan", math.nan), ("a half", 0.5),
                       ("minus one", -1.0)):
        answers[name] = fill
        answers[f"{name} shaped like the answer"] = _shaped(expected, fill)
    answers.update({"True": True, "False": False, "None": None})
    return answers


def _expected_answers(test) -> list[list]:
    """The reference's answer to every case of the cell, probe by probe (computed once: the
    bisection of exercise 04 is slow to repeat for every trivial answer)."""
    return [[expected_value(TASKS[probe.task], case) for case in probe.cases] for probe in test.probes]


def _points_of_constant_answer(test, expected_answers: list[list], kind: str) -> float:
    """The cell's points for a function that always gives the trivial answer ``kind``,
    scored as the grader scores: each case judged, then the yes/no rule over the cell."""
    total = 0.0
    for probe, expected_of_probe in zip(test.probes, expected_answers):
        task, cases, answers = TASKS[probe.task], [], []
        for case, points, expected in zip(probe.cases, probe.points, expected_of_probe):
            got = _trivial_answers(task, case, expected).get(kind)
            outcome = judge(task, case, expected, got=got, hints=False)
            cases.append(CaseResult(test.grade_id, probe.task, probe.hidden, "", "", "",
                                    outcome.passed, points if outcome.passed else 0.0, points,
                                    "", ""))
            answers.append(expected)
        total += sum(case.points for case in both_answers_needed(cases, answers))
    return total


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_no_trivial_answer_earns_a_point_on_any_task(source):
    """Before the yes/no rule, a constant False earned 3 of 6 on exercise 04's diverges."""
    kinds = {"zeros", "ones", "nan", "True", "False", "None", "zeros shaped like the answer",
             "ones shaped like the answer", "nan shaped like the answer", "a half",
             "a half shaped like the answer", "minus one", "minus one shaped like the answer"}
    for test in read_spec(source).tests:
        for probe in test.probes:
            task = TASKS[probe.task]
            kinds |= {f"argument {name}" for name in task.params if name not in task.functions}
        expected = _expected_answers(test)
        earned = {kind: _points_of_constant_answer(test, expected, kind) for kind in sorted(kinds)}
        assert {kind: points for kind, points in earned.items() if points} == {}, test.grade_id


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_visible_cases_carry_at_most_a_quarter_of_each_cell(source):
    """Hard-coding the answers the self-check prints earned 51 of 102 marks; now at most a
    quarter of every cell (counted by hand: a visible case is 1 point, a hidden one 3, and
    every cell has at least as many hidden cases as visible ones)."""
    spec = read_spec(source)
    for test in spec.tests:
        visible = [case for probe in test.probes if not probe.hidden for case in probe.cases]
        hidden = [case for probe in test.probes if probe.hidden for case in probe.cases]
        assert len(hidden) >= len(visible), test.grade_id
        assert test.points == len(visible) + 3 * len(hidden)  # no case overrides its points
        assert len(visible) <= test.points / 4
    assert visible_share_warnings(spec) == []


def test_the_yes_no_rule_leaves_a_right_function_and_a_half_right_one_their_points():
    def case(passed, points=1.0):
        return CaseResult("d", "diverges", False, "", "", "", passed, points if passed else 0.0,
                          points, "", "")

    answers = [False, True, False, True]
    # right on one True and one False case: every right case counts
    assert [c.points for c in both_answers_needed(
        [case(True), case(True), case(False), case(False)], answers)] == [1, 1, 0, 0]
    # right only where the answer is False (what a constant False does): nothing counts
    judged = both_answers_needed([case(True), case(False), case(True), case(False)], answers)
    assert [(c.passed, c.points) for c in judged] == [(False, 0)] * 4
    assert "constant answer" in judged[0].problem
    # a task whose answers are numbers is left alone, even where 1 == True
    assert [c.points for c in both_answers_needed([case(True), case(True)], [1, 1.0])] == [1, 1]


def _constant_submission(source: Path, value: str) -> bytes:
    """The student notebook of ``source`` with every function returning ``value`` (an
    expression of ``args``)."""
    nb = json.loads((ROOT / "exercises" / "student" / source.name).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            names = re.findall(r"^def (\w+)\(", "".join(cell["source"]), flags=re.M)
            cell["source"] = "".join(f"def {name}(*args, **kwargs):\n    return {value}\n"
                                     for name in names)
    return json.dumps(nb).encode()


@needs_sandbox
@pytest.mark.parametrize("rule, points", [
    # the visible answers hard-coded (c, lr, w0, steps) -> answer, True everywhere else: with the
    # rule applied per cell this scored 9 of 12 (the visible cases gave both answers)
    ("{(1.0, 1.5, 1.0, 50): True, (1.0, 0.1, 5.0, 50): False, (1.0, 1.0, 1.0, 50): False}"
     ".get(tuple(args), True)", 3),  # the 3 visible points (a quarter), no hidden one
    # tells the hidden cases (100 or 2000 steps) from the visible ones (50): scored 8 of 12
    ("args[3] >= 100", 0),
])
def test_a_rule_that_only_tells_visible_from_hidden_earns_nothing_on_diverges(rule, points):
    """Found by an outside red team after the yes/no rule first went in."""
    source = ROOT / "exercises" / "source" / "04_learning_rate.ipynb"
    result = grade_submission(source.read_bytes(), _constant_submission(source, rule),
                              GradeSettings(timeout=5.0))
    assert result.scores["diverges"] == points


@needs_sandbox
@pytest.mark.parametrize("value", ["True", "False"])
def test_a_constant_yes_or_no_earns_nothing_when_graded(value):
    source = ROOT / "exercises" / "source" / "04_learning_rate.ipynb"
    result = grade_submission(source.read_bytes(), _constant_submission(source, value),
                              GradeSettings(timeout=5.0))
    assert result.total == 0
    diverges = [case for case in result.cases if case.grade_id == "diverges"]
    assert len(diverges) == 6 and sum(case.problem.startswith("right, but") for case in diverges) == 3


def test_the_grader_warns_when_visible_cases_carry_more_than_a_quarter(tmp_path, capsys):
    cell = ('check("gd_step", gd_step, [{"w": 0.0, "grad": 1.0, "lr": 0.1}])\n'
            '### BEGIN HIDDEN TESTS\ncheck("gd_step", gd_step, [{"w": 1.0, "grad": 2.0, '
            '"lr": 0.5, "points": 1}], hidden=True)\n### END HIDDEN TESTS')
    spec = _spec_with_test_cell(tmp_path, cell, 2)
    main([spec.path, "--no-sandbox", "--csv", str(tmp_path / "g.csv"), "--", spec.path])
    err = capsys.readouterr().err
    assert "WARNING: test cell 't': its visible cases carry 1 of 2 points (more than a quarter)" in err


# --------------------------------------------------------------------------- markers

def test_a_line_that_mentions_a_marker_is_code_like_any_other():
    """Before: the print line was deleted from the student's cell (it contains END SOLUTION),
    and the string in the solution raised a false 'nested' error."""
    answer = ('def f(x):\n    print("END SOLUTION is a marker")\n    ### BEGIN SOLUTION\n'
              '    note = "see BEGIN SOLUTION above"\n    return x\n    ### END SOLUTION\n'
              '    # the END SOLUTION line closes it')
    assert clear_solutions(answer) == (
        'def f(x):\n    print("END SOLUTION is a marker")\n    # YOUR CODE HERE\n'
        '    raise NotImplementedError()\n    # the END SOLUTION line closes it')
    tests = ('check("t", t, [])  # not BEGIN HIDDEN TESTS\n## BEGIN HIDDEN TESTS  \n'
             'check("t", t, [], hidden=True)\n#### END HIDDEN TESTS\nx = "END HIDDEN TESTS"')
    assert clear_hidden_tests(tests) == 'check("t", t, [])  # not BEGIN HIDDEN TESTS\nx = "END HIDDEN TESTS"'


@pytest.mark.parametrize("source, message", [
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "nested"),
    ("### BEGIN SOLUTION\nx = 1", "without"),
    ("### BEGIN SOLUTION\n### END SOLUTION\n### END SOLUTION", "without"),
])
def test_broken_marker_regions_are_refused(source, message):
    with pytest.raises(SpecError, match=message):
        clear_solutions(source)


_POINTS_LINE = re.compile(r"\*(\d+) points: (\d+) checks you can see below \((\d+) points\), "
                          r"(\d+) hidden ones for grading \((\d+) points\)\.\*")


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_each_task_says_the_points_its_checks_carry(source):
    """A task's "*N points: …*" line is what the student reads before answering; it said
    "5 points: 2 checks …, 3 hidden" for cells of 11 points once hidden cases carried 3.
    Counted here from the check calls' case lists and the 1-and-3 rule."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    lines = {cell["metadata"]["nbgrader"]["grade_id"][len("task_"):]: "".join(cell["source"])
             for cell in nb["cells"]
             if cell["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("task_")}
    for test in read_spec(source).tests:
        found = _POINTS_LINE.search(lines[test.grade_id])
        assert found, test.grade_id
        visible = sum(len(probe.cases) for probe in test.probes if not probe.hidden)
        hidden = sum(len(probe.cases) for probe in test.probes if probe.hidden)
        assert tuple(map(int, found.groups())) == (
            visible + 3 * hidden, visible, visible, hidden, 3 * hidden), test.grade_id


def test_the_theory_answer_is_not_the_bisection_the_task_asks_for():
    """An outside red team's finding: with a reference of 1/c, ``return 1 / c`` earned 8 of 8
    on largest_stable_lr. The reference now bisects, and three of the four cases stop short
    of 1/c (8 iterations from [0, 100] for c = 0.1 reach 9.765625: worked by hand,
    mid = 50, 25, 12.5 diverge, 6.25, 9.375 do not, 10.9375, 10.15625 do, 9.765625 not)."""
    task = TASKS["largest_stable_lr"]
    test = next(t for t in read_spec(SOURCES[3]).tests if t.grade_id == "largest_stable_lr")
    earned = 0.0
    for probe in test.probes:
        for case, points in zip(probe.cases, probe.points):
            outcome = judge(task, case, expected_value(task, case), got=1 / case["c"])
            earned += points if outcome.passed else 0.0
    assert earned == 1.0  # the first visible case only, where 50 iterations do reach 1/c
    assert expected_value(task, {"c": 0.1, "lo": 0.0, "hi": 100.0, "iters": 8}) == 9.765625


@pytest.mark.parametrize(("cell_type", "flags", "words"), [
    ("markdown", {"solution": True, "grade": True, "points": 5}, "marked as an answer"),
    ("markdown", {"solution": False, "grade": True, "points": 5}, "marked as graded"),
    ("raw", {"solution": False, "grade": True, "points": 5}, "marked as graded"),
    ("raw", {"solution": True, "grade": False}, "marked as an answer"),
])
def test_a_written_answer_cell_is_refused_not_silently_worth_nothing(cell_type, flags, words):
    """nbgrader's "manually graded answer" is a markdown cell with solution and grade set;
    this grader skipped every non-code cell, so its points vanished from the total without a
    word (and a raw cell's check() calls were never run). Now the instructor is told."""
    nb = json.loads(SOURCES[1].read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": cell_type, "id": "written", "source": "Explain why.",
                        "metadata": {"nbgrader": {"grade_id": "written", "locked": False,
                                                  "schema_version": 3, **flags}}})
    with pytest.raises(SpecError, match=f"{cell_type} cell 'written' is {words}"):
        read_spec(json.dumps(nb).encode())


def test_an_instructor_notebook_with_one_grade_id_twice_is_refused():
    """Two cells with one grade_id would make the student's cell ambiguous (which answer
    cell is 'answer_gd_step'?) and the CSV count one column twice."""
    nb = json.loads(SOURCES[1].read_text(encoding="utf-8"))
    twin = next(cell for cell in nb["cells"]
                if cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer_gd_step")
    nb["cells"].append(dict(twin, id="twin"))
    with pytest.raises(SpecError, match="duplicate grade_id 'answer_gd_step'"):
        read_spec(json.dumps(nb).encode())

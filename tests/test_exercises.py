"""The exercise notebooks: well-formed sources whose solutions pass every test, student
versions that are generated (never stale), a working self-check, and nbgrader compatibility.
(pytest --nbval runs the sources themselves, with their stored outputs.)"""

from __future__ import annotations

import ast
import importlib.util
import io
import math
import os
import re
import shutil
import sys
from collections import defaultdict
from contextlib import redirect_stdout
from pathlib import Path

import nbformat
import pytest

from gdteach._grading.notebook import student_version, write_student
from gdteach._grading.selfcheck import expected_value, judge
from gdteach._grading.tasks import TASKS, decode, plain, same
from gdteach.grade import check, grade, read_spec

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
NAMES = ["01_derivatives", "02_update_rule", "03_variants", "04_learning_rate", "05_optimizers"]
SOURCES = [EXERCISES / "source" / f"{name}.ipynb" for name in NAMES]


def _nb(path: Path):
    return nbformat.read(path, as_version=4)


def test_one_exercise_notebook_per_notebook_of_the_series():
    assert sorted(p.name for p in (EXERCISES / "source").glob("*.ipynb")) == [p.name for p in SOURCES]
    assert sorted(p.name for p in (EXERCISES / "student").glob("*.ipynb")) == [p.name for p in SOURCES]


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_source_notebook_is_valid_nbgrader_markup(source):
    spec = read_spec(source)  # raises SpecError on anything gdteach.grade could not read fully
    assert 3 <= len(spec.tests) <= 5
    nb = _nb(source)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        meta = cell.metadata.nbgrader
        assert meta.schema_version == 3 and meta.grade_id and meta.locked != meta.solution
        assert cell.metadata.slideshow.slide_type in ("slide", "subslide", "fragment", "skip", "-")
        if meta.solution:
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
    assert "Prerequisites" in nb.cells[1].source and "Time" in nb.cells[1].source
    assert nb.cells[-1].source.count("<details><summary>Answer</summary>") >= 3


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_source_notebook_is_executed_with_outputs(source):
    for cell in _nb(source).cells:
        if cell.cell_type == "code" and cell.metadata.nbgrader.grade:
            text = "".join(out.get("text", "") for out in cell.outputs)
            assert cell.execution_count is not None
            assert "passed." in text and "✗" not in text and "Hidden tests for" in text


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_solutions_pass_every_visible_and_hidden_check(source):
    """Run the instructor's answer cells here and every check() of every test cell."""
    spec = read_spec(source)
    namespace: dict = {}
    for step in spec.steps:
        if step.kind in ("setup", "answer"):
            exec(compile(step.source, f"<{step.grade_id}>", "exec"), namespace)
    out = io.StringIO()
    with redirect_stdout(out):
        for test in spec.tests:
            for probe in test.probes:
                check(probe.task, namespace[probe.function], list(probe.cases), hidden=probe.hidden)
    assert "✗" not in out.getvalue()


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_every_expected_answer_is_finite_data(source):
    def numbers(data):
        return [data] if not isinstance(data, list) else [x for item in data for x in numbers(item)]

    for test in read_spec(source).tests:
        for probe in test.probes:
            for case in probe.cases:
                values = numbers(expected_value(TASKS[probe.task], case))
                assert values and all(isinstance(v, bool) or math.isfinite(v) for v in values)


def _negated(data):
    return [_negated(item) for item in data] if isinstance(data, list) else -data


def _doubled(data):
    return [_doubled(item) for item in data] if isinstance(data, list) else 2 * data


# tasks whose right answer is near 0 by design: a right gradient formula, identical arrays
NEAR_ZERO_BY_DESIGN = {"gradient_check", "relative_error"}


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_no_case_hides_a_sign_or_scale_error(source):
    """No case sits where a wrong sign or a factor 2 gives the same answer: at a minimum
    (zero gradient), a fixed point, a factor of 0, ... (then w + lr·g and 2·∇L pass)."""
    for test in read_spec(source).tests:
        for probe in test.probes:
            task = TASKS[probe.task]
            for case in probe.cases:
                want = expected_value(task, case)
                if task.name in NEAR_ZERO_BY_DESIGN or isinstance(want, bool):
                    continue
                for wrong in (_negated(want), _doubled(want)):
                    assert not same(want, wrong, rtol=task.rtol, atol=task.atol), (
                        f"{test.grade_id}: {case} gives {want}, unchanged by a sign or scale error")


CONSTANTS = {
    "zero": lambda task, case: 0.0,
    "one": lambda task, case: 1.0,
    "first argument": lambda task, case: decode(task, case)[0],
}


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
@pytest.mark.parametrize("constant", list(CONSTANTS))
def test_a_function_returning_a_constant_scores_nothing(source, constant):
    """A submission whose every function returns 0, 1 or its first argument scores 0 on
    every case (visible and hidden): no case's answer is such a constant. Judged exactly as
    the grader judges a reply (plain data against gdteach's answer)."""
    for test in read_spec(source).tests:
        for probe in test.probes:
            task = TASKS[probe.task]
            for case in probe.cases:
                try:
                    got = plain(CONSTANTS[constant](task, case))
                except TypeError:  # an input function is not plain data: it cannot pass
                    continue
                outcome = judge(task, case, expected_value(task, case), got=got, hints=False)
                assert not outcome.passed, f"{test.grade_id}: {case} passes with {constant} ({got})"


def _task_numbers(source) -> dict[str, int]:
    numbers = {}
    for step in read_spec(source).steps:
        if step.tests is not None:
            number = int(re.search(r"Self-check for task (\d+)", step.source)[1])
            numbers.update({probe.task: number for probe in step.tests.probes})
    return numbers


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_earlier_tasks_carry_their_notebook_number_and_visible_cases(source):
    """A later task's check re-runs an earlier task's visible cases (tasks.py holds a copy)."""
    numbers = _task_numbers(source)
    visible = defaultdict(list)
    for test in read_spec(source).tests:
        for probe in test.probes:
            if not probe.hidden:
                visible[probe.task].extend(probe.cases)
    for name in numbers:
        task = TASKS[name]
        for earlier in task.uses:
            assert earlier in numbers and numbers[earlier] < numbers[name], (name, earlier)
        if task.visible or any(name in TASKS[other].uses for other in numbers):
            assert (task.number, list(task.visible)) == (numbers[name], visible[name]), (
                f"gdteach/_grading/cases.py VISIBLE[{name!r}] must be the notebook's "
                f"({numbers[name]}, {visible[name]})")


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_committed_student_version_is_up_to_date(source, tmp_path):
    generated = write_student(source, tmp_path)
    committed = EXERCISES / "student" / source.name
    assert generated.read_bytes() == committed.read_bytes(), (
        f"{committed} is stale: run python -m gdteach.grade --make-student "
        "exercises/source/*.ipynb exercises/student/")


@pytest.mark.parametrize("source", SOURCES, ids=NAMES)
def test_student_version_has_no_solutions_hidden_tests_or_outputs(source):
    probes = [probe for test in read_spec(source).tests for probe in test.probes]
    hidden = [case for probe in probes if probe.hidden for case in probe.cases]
    visible = [case for probe in probes if not probe.hidden for case in probe.cases]
    assert not any(case in visible for case in hidden)  # hidden tests are other inputs
    student = _nb(EXERCISES / "student" / source.name)
    shown = []
    for cell in student.cells:
        assert "BEGIN SOLUTION" not in cell.source and "HIDDEN TESTS" not in cell.source
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None
        for call in (node for node in ast.walk(ast.parse(cell.source)) if isinstance(node, ast.Call)):
            assert not any(keyword.arg == "hidden" for keyword in call.keywords)
            if getattr(call.func, "id", None) == "check":
                shown.extend(ast.literal_eval(call.args[2]))
        if cell.metadata.nbgrader.solution:
            assert cell.source.rstrip().endswith("# YOUR CODE HERE\n    raise NotImplementedError()")
    assert shown == visible and not any(case in shown for case in hidden)
    # the same cells, in the same order, as the source
    assert [c.id for c in student.cells] == [c.id for c in _nb(source).cells]


def test_make_student_command_writes_the_student_notebooks(tmp_path, capsys):
    from gdteach.grade import main  # the command's own entry point, in process

    assert main(["--make-student", *map(str, SOURCES), str(tmp_path)]) == 0
    assert capsys.readouterr().out.count("wrote ") == len(SOURCES)
    for source in SOURCES:
        assert (tmp_path / source.name).read_bytes() == (EXERCISES / "student" / source.name).read_bytes()


def test_student_version_clears_what_nbgrader_clears():
    nb = _nb(SOURCES[0])
    student = student_version(nb)
    answer = next(c for c in student.cells if c.metadata.nbgrader.solution)
    assert answer.metadata.deletable is False and "editable" not in answer.metadata
    test = next(c for c in student.cells if c.metadata.nbgrader.grade)
    assert test.metadata.deletable is False and test.metadata.editable is False
    assert any(c.cell_type == "code" and c.outputs for c in nb.cells)  # the source is untouched


@pytest.mark.slow
def test_grader_gives_solutions_full_marks_and_blank_notebooks_zero(tmp_path):
    for source in SOURCES:
        copy = shutil.copy(source, tmp_path)  # the grader refuses the instructor's file itself
        solved, blank = grade(source, [copy, EXERCISES / "student" / source.name], timeout=60, jobs=2)
        max_points = read_spec(source).max_points
        assert (solved.total, solved.max_points, solved.errors) == (max_points, max_points, ())
        assert (blank.total, blank.errors) == (0, ())


@pytest.mark.slow
def test_self_check_in_the_student_notebook_explains_failures():
    """Run a student's notebook as the student would (partial answers) and read the feedback."""
    from nbclient import NotebookClient

    nb = _nb(EXERCISES / "fixtures" / "partial.ipynb")
    blank = _nb(EXERCISES / "student" / "02_update_rule.ipynb")
    partial_cells = len(nb.cells)
    nb.cells += blank.cells  # one kernel runs both: the blank's cells redefine every function
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute(
        cwd=str(EXERCISES / "student"))
    blank.cells, nb.cells = nb.cells[partial_cells:], nb.cells[:partial_cells]
    outputs = {c.metadata.nbgrader.grade_id: "".join(o.get("text", "") for o in c.outputs)
               for c in nb.cells if c.cell_type == "code"}
    errors = {c.metadata.nbgrader.grade_id: [o.ename for o in c.outputs if o.output_type == "error"]
              for c in nb.cells if c.cell_type == "code"}
    feedback = outputs["gd_step"]
    assert "✓ gd_step(w=0.0, grad=-6.0, lr=0.1) returned 0.6" in feedback
    assert "✗ gd_step(w=[1.0, 2.0], grad=[0.5, -1.0], lr=0.2)" in feedback
    assert "but it raised TypeError" in feedback and "hint: One step downhill" in feedback
    assert "2 of 3 checks passed." in feedback and errors["gd_step"] == ["CheckFailed"]
    assert "hint: Twice too large" in outputs["mse_gradient"]
    # fit_linear's loop is right: the check blames the mse_gradient it calls
    assert "hint: your mse_gradient still fails task 3's checks; fix it first" in outputs["fit_linear"]
    assert "lr=1.5" not in "".join(outputs.values())  # nothing about the hidden cases
    first_check = next(c for c in blank.cells if c.metadata.nbgrader.grade_id == "gd_step")
    assert "Replace `raise NotImplementedError()`" in "".join(o.get("text", "") for o in first_check.outputs)


@pytest.mark.slow
def test_nbgrader_generates_and_autogrades_the_exercises(tmp_path, monkeypatch):
    """nbgrader's own API, in this process (its command line costs seconds per start):
    generate_assignment releases our student notebooks cell for cell; autograde gives a
    correct submission full marks and a blank one 0. Two notebooks are autograded (one per
    student), which is what the markup needs; every notebook is released and compared."""
    if importlib.util.find_spec("nbgrader") is None:
        pytest.skip("nbgrader is not installed here: pip install nbgrader (see exercises/README.md)")
    import warnings

    # nbgrader runs `alembic` by name: from an un-activated venv (the README's command) it is
    # found only with the venv's bin folder on PATH
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent),
                                                os.environ.get("PATH", "")]))
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    for source in SOURCES:
        shutil.copy(source, course / "source" / "ps1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's own deprecations are not ours to fail on
        from nbgrader.api import Gradebook
        from nbgrader.apps import NbGraderAPI
        from traitlets.config import Config

        config = Config()
        config.CourseDirectory.root = str(course)
        api = NbGraderAPI(config=config)
        assert api.generate_assignment("ps1", force=True)["success"]
        for source in SOURCES:  # nbgrader's release is our student version, cell for cell
            released = _nb(course / "release" / "ps1" / source.name)
            ours = _nb(EXERCISES / "student" / source.name)
            assert [(c.cell_type, c.source) for c in released.cells] == [
                (c.cell_type, c.source) for c in ours.cells]
        submitted = {"solver": (EXERCISES / "fixtures" / "correct.ipynb", "02_update_rule.ipynb"),
                     "blank": (course / "release" / "ps1" / "05_optimizers.ipynb", "05_optimizers.ipynb")}
        for student, (path, name) in submitted.items():
            (course / "submitted" / student / "ps1").mkdir(parents=True)
            shutil.copy(path, course / "submitted" / student / "ps1" / name)
            result = api.autograde("ps1", student, force=True)
            assert result["success"], result.get("error")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            scores = {student: {nb.name: (nb.score, nb.max_score)
                                for nb in gradebook.find_submission("ps1", student).notebooks}
                      for student in submitted}
    points = {source.stem: read_spec(source).max_points for source in SOURCES}
    assert scores["solver"]["02_update_rule"] == (points["02_update_rule"], points["02_update_rule"])
    assert scores["blank"]["05_optimizers"] == (0, points["05_optimizers"])

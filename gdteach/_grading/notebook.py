"""Instructor notebooks in nbgrader's markup: reading their tests, making the student version.

An exercise notebook is written once, with nbgrader's cell metadata
(``nbgrader: {grade, solution, locked, grade_id, points, schema_version: 3}``):

- an *answer* cell (``solution: true``) holds the function between ``### BEGIN SOLUTION``
  and ``### END SOLUTION``;
- a *test* cell (``grade: true, locked: true, points: N``) holds only ``check(...)`` calls:
  the visible self-check, then ``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS``;
- every other code cell (imports, data) is *setup*, run from the instructor's notebook.

The student version replaces each solution region by ``# YOUR CODE HERE`` /
``raise NotImplementedError()`` and drops the hidden tests, as nbgrader's
``generate_assignment`` does, and clears outputs. A marker is a whole comment line
(``### BEGIN SOLUTION``, any number of ``#``): a line that only mentions the words, in a
string or a longer comment, is code like any other. (nbgrader 0.9 tests for the words
anywhere in a line, so keep them out of other lines if you also release with nbgrader.)

>>> is_marker("    ### END SOLUTION", END_SOLUTION), is_marker('print("END SOLUTION")', END_SOLUTION)
(True, False)
"""

from __future__ import annotations

import ast
import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .tasks import TASKS

__all__ = ["Spec", "SpecError", "read_spec", "student_version", "visible_share_warnings",
           "write_student"]

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
#: points of a case that gives none: a visible case 1, a hidden one 3, so that a cell with at
#: least as many hidden cases as visible ones gives its visible cases at most a quarter
VISIBLE_POINTS, HIDDEN_POINTS = 1, 3
#: the largest share of a cell's points its visible cases carry before the grader warns
VISIBLE_SHARE = 0.25


def is_marker(line: str, marker: str) -> bool:
    """Whether ``line`` is the comment line ``marker`` (``### BEGIN SOLUTION``, …)."""
    return re.fullmatch(r"\s*#+\s*" + re.escape(marker) + r"\s*", line) is not None


def has_marker(source: str, marker: str) -> bool:
    """Whether any line of ``source`` is the marker line."""
    return any(is_marker(line, marker) for line in source.split("\n"))


class SpecError(ValueError):
    """The instructor notebook breaks a rule of the exercise format."""


@dataclass(frozen=True)
class Probe:
    """One ``check(task, function, cases)`` call of a test cell, with each case's points
    (its ``"points"``, else VISIBLE_POINTS or HIDDEN_POINTS)."""

    task: str
    function: str
    cases: tuple[dict, ...]
    hidden: bool
    points: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not self.points:
            default = HIDDEN_POINTS if self.hidden else VISIBLE_POINTS
            object.__setattr__(self, "points", tuple(float(case.get("points", default))
                                                     for case in self.cases))

    @property
    def total(self) -> float:
        return sum(self.points)


@dataclass(frozen=True)
class TestCell:
    """A graded cell: its nbgrader grade_id, its points and its checks."""

    __test__ = False  # a name pytest would otherwise try to collect
    grade_id: str
    points: float
    probes: tuple[Probe, ...]


@dataclass(frozen=True)
class Step:
    """A code cell of the instructor notebook, in order: setup, answer or tests."""

    kind: str
    grade_id: str
    source: str
    tests: TestCell | None = None


@dataclass(frozen=True)
class Spec:
    """What grading a submission of one exercise needs from the instructor notebook."""

    path: str
    steps: tuple[Step, ...]
    locked_sources: dict[str, tuple[str, ...]]
    grade_ids: tuple[str, ...]

    @property
    def tests(self) -> list[TestCell]:
        return [step.tests for step in self.steps if step.tests is not None]

    @property
    def answers(self) -> list[str]:
        return [step.grade_id for step in self.steps if step.kind == "answer"]

    @property
    def max_points(self) -> float:
        return sum(test.points for test in self.tests)


# --------------------------------------------------------------------------- student version


def _replace_regions(source: str, begin: str, end: str, stub: tuple[str, ...]) -> str:
    """nbgrader's rule: drop the lines from the ``begin`` marker line to the ``end`` one
    (markers included) and put ``stub`` there, indented like the ``begin`` line."""
    out, inside = [], False
    for line in source.split("\n"):
        if is_marker(line, begin):
            if inside:
                raise SpecError(f"nested {begin!r} in:\n{source}")
            inside = True
            indent = re.match(r"\s*", line).group(0)
            out.extend(indent + stub_line for stub_line in stub)
        elif is_marker(line, end):
            if not inside:
                raise SpecError(f"{end!r} without {begin!r} in:\n{source}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise SpecError(f"{begin!r} without {end!r} in:\n{source}")
    return "\n".join(out)


def clear_solutions(source: str) -> str:
    """The student's answer cell: solution regions replaced by nbgrader's code stub."""
    if not has_marker(source, BEGIN_SOLUTION):
        return "\n".join(CODE_STUB)
    return _replace_regions(source, BEGIN_SOLUTION, END_SOLUTION, CODE_STUB)


def clear_hidden_tests(source: str) -> str:
    """The student's test cell: hidden test regions removed."""
    return _replace_regions(source, BEGIN_HIDDEN, END_HIDDEN, ())


def _meta(cell: Any) -> dict:
    if isinstance(cell, _SourceCell):
        meta = cell.metadata.get("nbgrader", {}) if isinstance(cell.metadata, dict) else {}
        return meta if isinstance(meta, dict) else {}
    meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
    return meta if isinstance(meta, dict) else {}


def student_version(nb: Any) -> Any:
    """The student notebook: solutions stubbed, hidden tests removed, outputs cleared, and
    cells locked as nbgrader's ``generate_assignment`` locks them."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        meta = _meta(cell)
        cell.metadata.pop("execution", None)  # run timings, different on every run
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if meta.get("solution"):
            cell.source = clear_solutions(cell.source)
            cell.metadata["deletable"] = False
        elif meta.get("grade"):
            cell.source = clear_hidden_tests(cell.source)
            cell.metadata["deletable"] = False
            cell.metadata["editable"] = False
        elif meta.get("locked"):
            cell.metadata["deletable"] = False
            cell.metadata["editable"] = False
    return nb


def write_student(source: str | Path, out_dir: str | Path) -> Path:
    """Write the student version of ``source`` into ``out_dir`` (same file name)."""
    import nbformat

    source = Path(source)
    read_spec(source)  # refuse to publish a notebook whose tests do not parse
    nb = nbformat.read(source, as_version=4)
    out = Path(out_dir) / source.name
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(student_version(nb), out)
    return out


# --------------------------------------------------------------------------- reading tests


def _literal(node: ast.AST, what: str, where: str) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError as err:
        raise SpecError(f"{where}: {what} must be plain data (numbers, strings, lists, dicts)") from err


def _hidden_lines(source: str) -> set[int]:
    lines, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if is_marker(line, BEGIN_HIDDEN):
            inside = True
        elif is_marker(line, END_HIDDEN):
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _check_case(task: str, case: dict, where: str) -> dict:
    """The case, if its parameters and its points are valid."""
    try:
        TASKS[task].arguments(case)
    except ValueError as err:
        raise SpecError(f"{where}: {err}") from err
    points = case.get("points", 1)
    if isinstance(points, bool) or not (isinstance(points, (int, float)) and points > 0):
        raise SpecError(f"{where}: points must be a positive number, got {points!r}")
    return case


def visible_share_warnings(spec: Spec) -> list[str]:
    """A warning for each test cell whose visible cases carry more than VISIBLE_SHARE of its
    points: a submission that hard-codes the printed answers earns that share.

    >>> cell = TestCell("t", 2.0, (Probe("gd_step", "f", ({"w": 0.0, "grad": 1.0, "lr": 1.0},),
    ...     False), Probe("gd_step", "f", ({"w": 1.0, "grad": 1.0, "lr": 1.0, "points": 1},), True)))
    >>> visible_share_warnings(Spec("x", (Step("tests", "t", "", cell),), {}, ("t",)))
    ["test cell 't': its visible cases carry 1 of 2 points (more than a quarter): hard-coding the answers the self-check prints earns that much"]
    """
    warnings = []
    for test in spec.tests:
        visible = sum(probe.total for probe in test.probes if not probe.hidden)
        if visible > VISIBLE_SHARE * test.points + 1e-9:
            warnings.append(f"test cell {test.grade_id!r}: its visible cases carry {visible:g} of "
                            f"{test.points:g} points (more than a quarter): hard-coding the "
                            "answers the self-check prints earns that much")
    return warnings


def parse_test_cell(grade_id: str, source: str, points: float) -> TestCell:
    """The checks of a test cell. Only imports and ``check(task, function, [cases…])`` calls
    (with ``hidden=True`` inside the hidden region) are allowed, so this reading is complete."""
    where = f"test cell {grade_id!r}"
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise SpecError(f"{where}: {err}") from err
    hidden_lines = _hidden_lines(source)
    probes = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            continue
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "check" and len(call.args) == 3):
            raise SpecError(f"{where}, line {stmt.lineno}: only check(task, function, cases) "
                            "calls may appear in a test cell")
        task = _literal(call.args[0], "the task", where)
        if task not in TASKS:
            raise SpecError(f"{where}: unknown task {task!r}")
        if not isinstance(call.args[1], ast.Name):
            raise SpecError(f"{where}: the second argument of check must be the function's name")
        cases = _literal(call.args[2], "the cases", where)
        if not (isinstance(cases, list) and cases and all(isinstance(c, dict) for c in cases)):
            raise SpecError(f"{where}: cases must be a non-empty list of dicts")
        hidden = False
        for keyword in call.keywords:
            if keyword.arg != "hidden":
                raise SpecError(f"{where}: unknown argument {keyword.arg!r} of check")
            hidden = _literal(keyword.value, "hidden", where)
        if hidden is not (stmt.lineno in hidden_lines):
            raise SpecError(f"{where}, line {stmt.lineno}: use hidden=True exactly for the checks "
                            "between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS")
        probes.append(Probe(task, call.args[1].id, tuple(_check_case(task, case, where)
                                                         for case in cases), hidden))
    if not probes or not any(probe.hidden for probe in probes):
        raise SpecError(f"{where}: needs visible checks and hidden tests")
    total = sum(probe.total for probe in probes)
    if abs(total - points) > 1e-9:
        raise SpecError(f"{where}: its cases are worth {total:g} points, its metadata says {points:g}")
    return TestCell(grade_id, float(points), tuple(probes))


def grading_setup_source(source: str, grade_id: str = "setup") -> str:
    r"""A setup cell as the grader runs it: without its ``from gdteach.grade import …`` lines
    (the self-check's imports; the grading kernel cannot import gdteach, and its probes do
    not need them). Any other use of gdteach in a setup cell is a SpecError.

    >>> grading_setup_source("from gdteach.grade import check\nimport numpy as np\n")
    'import numpy as np\n'
    """
    from .selfcheck import uses_gdteach

    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise SpecError(f"setup cell {grade_id!r}: {err}") from err
    lines, dropped = source.splitlines(keepends=True), set()
    for stmt in reversed(tree.body):
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "gdteach.grade" and stmt.level == 0:
            dropped.update(alias.asname or alias.name for alias in stmt.names)
            del lines[stmt.lineno - 1 : stmt.end_lineno]
    kept = "".join(lines)
    used = {node.id for node in ast.walk(ast.parse(kept)) if isinstance(node, ast.Name)}
    if uses_gdteach(kept) or used & dropped:
        raise SpecError(f"setup cell {grade_id!r} uses gdteach, which the grading kernel cannot "
                        "import: setup cells may only hold `from gdteach.grade import check` "
                        "(skipped when grading) besides code that does not need gdteach")
    return kept


@dataclass(frozen=True)
class _SourceCell:
    cell_type: str
    source: str
    metadata: dict


def _source_cells(data: bytes) -> list[_SourceCell]:
    """The cells of an instructor notebook (nbformat 4), read with ``json`` (importing
    nbformat costs seconds in every grading process); other versions go through nbformat."""
    nb = json.loads(data)
    if not (isinstance(nb, dict) and nb.get("nbformat") == 4 and isinstance(nb.get("cells"), list)):
        import nbformat

        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    cells = []
    for cell in nb["cells"]:
        source = cell.get("source", "")
        cells.append(_SourceCell(cell.get("cell_type", ""),
                                 "".join(source) if isinstance(source, list) else source,
                                 cell.get("metadata", {})))
    return cells


def read_spec(path: str | Path | bytes) -> Spec:
    """Read and validate an instructor notebook (a path, or the notebook's bytes)."""
    if isinstance(path, (bytes, bytearray)):
        cells = _source_cells(bytes(path))
        path = "<source notebook>"
    else:
        cells = _source_cells(Path(path).read_bytes())
    steps, locked_sources, seen, seen_in_order = [], {}, set(), []
    for index, cell in enumerate(cells):
        meta, source = _meta(cell), cell.source
        grade_id = meta.get("grade_id") or f"cell-{index}"
        if meta and (meta.get("schema_version") != 3 or not re.fullmatch(r"[A-Za-z0-9_\-]+", grade_id)):
            raise SpecError(f"cell {index}: nbgrader metadata needs schema_version 3 and a grade_id")
        if grade_id in seen:
            raise SpecError(f"duplicate grade_id {grade_id!r}")
        seen.add(grade_id)
        seen_in_order.append(grade_id)
        solution, grade = bool(meta.get("solution")), bool(meta.get("grade"))
        if has_marker(source, BEGIN_SOLUTION) and not solution:
            raise SpecError(f"cell {grade_id!r} has a solution region but is not a solution cell")
        if has_marker(source, BEGIN_HIDDEN) and not grade:
            raise SpecError(f"cell {grade_id!r} has hidden tests but is not a grade cell")
        if cell.cell_type != "code":
            if solution or grade:  # nbgrader's manually graded answer: no machine can grade it
                raise SpecError(f"{cell.cell_type} cell {grade_id!r} is marked as "
                                f"{'an answer' if solution else 'graded'}: only code cells are "
                                "graded here; written answers need a person (nbgrader's "
                                "formgrader), so leave them out of this notebook")
            continue
        if not meta:
            raise SpecError(f"code cell {index} has no nbgrader metadata: mark it locked (setup), "
                            "solution (answer) or grade (tests)")
        if solution and grade:
            raise SpecError(f"cell {grade_id!r}: manually graded answer cells are not supported")
        if solution:
            steps.append(Step("answer", grade_id, source))
        elif grade:
            if not meta.get("locked"):
                raise SpecError(f"test cell {grade_id!r} must be locked")
            tests = parse_test_cell(grade_id, source, meta.get("points", 0))
            steps.append(Step("tests", grade_id, source, tests))
            locked_sources[grade_id] = (clear_hidden_tests(source), source)
        else:
            grading_setup_source(source, grade_id)  # refuse setup the grader cannot run
            steps.append(Step("setup", grade_id, source))
            locked_sources[grade_id] = (source,)
    if not any(step.tests for step in steps):
        raise SpecError(f"{path}: no test cells")
    return Spec(str(path), tuple(steps), locked_sources, tuple(seen_in_order))

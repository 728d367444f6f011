"""The self-check behind every check cell of an exercise notebook.

``check(task, function, cases)`` calls the learner's function on each case, compares the
result with gdteach's answer and prints, for each case, the call, what was expected, what
came back and a hint aimed at the mistake actually made. It raises ``CheckFailed`` (an
AssertionError) when any case fails, so the cell fails, and nbgrader scores it 0.

The same check cells hold the hidden tests (``hidden=True``) that only the instructor's
notebook has. ``gdteach.grade`` reads the very same cases, but judges in its own process.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .plaindata import difference, plain, same, show
from .tasks import FUNCTIONS, TASKS, Task, call_text, decode

__all__ = ["check", "CheckFailed", "Outcome", "judge", "expected_value", "uses_gdteach"]

NOT_IMPLEMENTED_HINT = (
    "Replace `raise NotImplementedError()` in the answer cell above with your code, run that "
    "cell, then run this one again."
)


class CheckFailed(AssertionError):
    """Raised by ``check`` when at least one case fails."""


@dataclass(frozen=True)
class Outcome:
    """How one test case went: the points earned and, when it failed, why."""

    call: str
    passed: bool
    points: float
    expected: Any
    got: Any = None
    problem: str = ""
    hint: str = ""


def _quiet(fn, *args):
    # numpy's overflow warnings would go to stderr, which nbgrader scores as a failure
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args)


def expected_value(task: Task, case: dict) -> Any:
    """gdteach's answer to a case, as plain data."""
    return plain(_quiet(task.reference, *decode(task, case)))


def _mistake_hint(task: Task, case: dict, got: Any) -> str | None:
    for wrong, hint in task.mistakes:
        try:
            value = plain(_quiet(wrong, *decode(task, case)))
        except Exception:
            continue
        if same(value, got, rtol=task.rtol, atol=task.atol):
            return hint if isinstance(hint, str) else hint(case)
    return None


def judge(
    task: Task, case: dict, expected: Any, *, got: Any = None, error: str | None = None,
    hints: bool = True,
) -> Outcome:
    """Compare a plain result ``got`` (or an ``error`` message) with ``expected``."""
    call, points = call_text(task, case), float(case.get("points", 1))
    if error is not None:
        hint = NOT_IMPLEMENTED_HINT if "NotImplementedError" in error else task.hint
        return Outcome(call, False, 0.0, expected, problem=error, hint=hint)
    if same(expected, got, rtol=task.rtol, atol=task.atol):
        return Outcome(call, True, points, expected, got)
    hint = (_mistake_hint(task, case, got) if hints else None) or task.hint
    problem = difference(expected, got, rtol=task.rtol, atol=task.atol)
    return Outcome(call, False, 0.0, expected, got, problem, hint)


def uses_gdteach(source: str) -> bool:
    """Whether code imports or names gdteach (answers must be the learner's own code).

    >>> uses_gdteach("from gdteach.optim import Adam"), uses_gdteach("x = 1  # not gdteach")
    (True, False)
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False  # it cannot run either (the sandbox has no gdteach anyway)
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        if any(name.split(".")[0] == "gdteach" for name in names):
            return True
    return False


def _names_used(function: Any) -> set[str]:
    """The global names the code of ``function`` (and of functions defined in it) refers to."""
    codes, names = [getattr(function, "__code__", None)], set()
    while codes:
        code = codes.pop()
        if isinstance(code, types.CodeType):
            names.update(code.co_names)
            codes.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    return names


def _failing_earlier_tasks(task: Task, function: Any) -> list[str]:
    """For each earlier task's function that ``function`` calls and that still fails that
    task's visible checks: "your mse_gradient still fails task 3's checks; fix it first"."""
    names, namespace = _names_used(function), getattr(function, "__globals__", {})
    failing = []
    for name in task.uses:
        earlier = namespace.get(name) if name in names else None
        if earlier is None or earlier is function or not callable(earlier):
            continue
        spec = TASKS[name]
        if not all(_run_case(spec, earlier, case).passed for case in spec.visible):
            failing.append(f"your {name} still fails task {spec.number}'s checks; fix it first")
    return failing


def _function_uses_gdteach(function: Any) -> bool:
    """Whether the learner's function names gdteach, or a global it uses comes from gdteach
    (``from gdteach.optim import SGD`` in the answer cell): the grader would not run it."""
    try:
        if uses_gdteach(textwrap.dedent(inspect.getsource(function))):
            return True
    except (OSError, TypeError):
        pass
    namespace = getattr(function, "__globals__", {})
    for name in _names_used(function):
        value = namespace.get(name)
        module = value.__name__ if isinstance(value, types.ModuleType) else getattr(
            value, "__module__", None)
        if isinstance(module, str) and module.split(".")[0] == "gdteach":
            return True
    return False


def _run_case(task: Task, function: Any, case: dict) -> Outcome:
    expected = expected_value(task, case)
    try:
        result = _quiet(function, *decode(task, case))
    except Exception as err:
        return judge(task, case, expected, error=f"raised {type(err).__name__}: {err}".rstrip(": "))
    try:
        got = plain(result)
    except TypeError as err:
        return judge(task, case, expected, error=str(err))
    return judge(task, case, expected, got=got)


def _below_tolerance_as_zero(data: Any, atol: float) -> Any:
    # rounding noise (e.g. a gradient check's 1e-11) would print differently on other machines
    if type(data) is float and abs(data) < atol / 10:
        return 0.0
    if type(data) is list:
        return [_below_tolerance_as_zero(item, atol) for item in data]
    return data


def _report(task: Task, case: dict, outcome: Outcome) -> str:
    if outcome.passed:
        return f"✓ {outcome.call} returned {show(_below_tolerance_as_zero(outcome.got, task.atol))}"
    lines = [f"✗ {outcome.call}", f"    expected {show(outcome.expected, 12)}"]
    if outcome.got is not None:
        lines.append(f"    got      {show(outcome.got, 12)}")
        if outcome.problem:
            lines.append(f"    ({outcome.problem})")
    else:
        lines.append(f"    but it {outcome.problem}")
    lines.append(f"    hint: {outcome.hint}")
    for name in task.functions:
        if name in case:
            lines.append(f"    where {case[name]} is {FUNCTIONS[case[name]]}")
    return "\n".join(lines)


def check(task: str, function: Any, cases: list[dict], *, hidden: bool = False) -> None:
    """Run ``function`` (the learner's answer to ``task``) on ``cases`` and explain each result.

    Prints one line per passing case and a diagnosis per failing one (the call, the
    expected value, what came back and a hint), then raises ``CheckFailed`` if any failed.
    With ``hidden=True`` (the instructor's hidden tests) only failures are detailed.

    >>> check("gd_step", lambda w, grad, lr: w - lr * grad, [{"w": 0.0, "grad": -6.0, "lr": 0.1}])
    ✓ gd_step(w=0.0, grad=-6.0, lr=0.1) returned 0.6
    1 check passed.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose from {sorted(TASKS)}")
    spec = TASKS[task]
    if not callable(function):
        raise TypeError(f"check needs your function {task}, got {function!r}")
    if _function_uses_gdteach(function):
        outcomes = [
            Outcome(call_text(spec, case), False, 0.0, expected_value(spec, case),
                    problem="uses gdteach", hint="") for case in cases
        ]
        print(f"✗ your {task} uses gdteach. Write the computation yourself: the grader does "
              "not run answer cells that import or name gdteach.")
    else:
        outcomes = [_run_case(spec, function, case) for case in cases]
        if not all(outcome.passed for outcome in outcomes):
            blame = "; ".join(_failing_earlier_tasks(spec, function))
            if blame:  # an earlier function is wrong: fixing this one's loop would not help
                outcomes = [o if o.passed else replace(o, hint=blame) for o in outcomes]
        for case, outcome in zip(cases, outcomes):
            if not (hidden and outcome.passed):
                print(_report(spec, case, outcome))
    passed, n = sum(outcome.passed for outcome in outcomes), len(outcomes)
    if hidden:
        print(f"Hidden tests for {task}: {passed} of {n} passed.")
    elif passed == n:
        print(f"{'All ' if n > 1 else ''}{n} check{'s' if n > 1 else ''} passed.")
    else:
        print(f"{passed} of {n} checks passed.")
    if passed < n:
        raise CheckFailed(f"{n - passed} of {n} {task} checks failed (see above)")

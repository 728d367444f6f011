"""Bulk grading: run each submission in a fresh kernel, judge its answers in this process.

For each submission:

1. Read it as JSON. A file that is not a notebook gets an error row and no kernel.
2. Match its answer cells to the instructor's by nbgrader ``grade_id``. Setup and test
   cells always come from the instructor's notebook; cells the student added are ignored.
3. In a fresh kernel (own temporary directory), run in the instructor's order: setup cells,
   the student's answer cells (not those that use gdteach), and at each test cell a
   *probe*: generated code that calls the student's function on each case and writes only
   the result, as JSON, on a line that starts with a random nonce.
4. Here, parse those lines strictly and compare them with gdteach's answers, computed here.
   Nothing the submission does in its kernel can change the comparison: it can only send
   numbers, and a reply that is missing, doubled or malformed scores 0.

A time-out, ``sys.exit()`` or a dead kernel stops the run: the tasks before it keep their
points, the rest get 0, and the next submission is graded as usual.
"""

from __future__ import annotations

import csv
import inspect
import json
import math
import os
import re
import secrets
import subprocess
import tempfile
import textwrap
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .notebook import Probe, Spec, grading_setup_source, read_spec
from .selfcheck import Outcome, expected_value, judge, uses_gdteach
from .tasks import TASKS, is_plain, plain, source_of

__all__ = ["Graded", "grade", "grade_submission", "write_csv", "probe_source", "parse_replies"]


@dataclass(frozen=True)
class Graded:
    """The result for one submission: points per test cell, and what went wrong."""

    submission: str
    scores: dict[str, float]
    max_points: float
    errors: tuple[str, ...] = ()
    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.scores.values())


class _NotANotebook(Exception):
    pass


class _Stop(Exception):
    """Grading of this submission stops here; the message says why."""


class _StartFailed(Exception):
    """The kernel did not start: no submission code ran, so grading may simply be retried."""


@dataclass(frozen=True)
class _Cell:
    cell_type: str
    source: str
    grade_id: str | None


# --------------------------------------------------------------------------- reading


def _load_cells(path: Path) -> list[_Cell]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise _NotANotebook(f"cannot read the file ({type(err).__name__})") from err
    except (ValueError, RecursionError) as err:
        raise _NotANotebook("not a notebook: the file is not JSON") from err
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise _NotANotebook("not a notebook: the JSON has no list of cells")
    cells = []
    for cell in data["cells"]:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        meta = cell.get("metadata")
        meta = meta.get("nbgrader") if isinstance(meta, dict) else None
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        cells.append(_Cell(
            cell.get("cell_type") if isinstance(cell.get("cell_type"), str) else "",
            source if isinstance(source, str) else "",
            grade_id if isinstance(grade_id, str) else None,
        ))
    return cells


def _match(spec: Spec, cells: list[_Cell]) -> tuple[dict[str, str], list[str]]:
    """The submission's answer sources by grade_id, and notes on what does not fit."""
    by_id: dict[str, list[_Cell]] = defaultdict(list)
    for cell in cells:
        if cell.grade_id is not None:
            by_id[cell.grade_id].append(cell)
    answers, notes = {}, []
    for step in spec.steps:
        found = by_id.get(step.grade_id, [])
        if step.kind == "answer":
            code = [cell for cell in found if cell.cell_type == "code"]
            if not code:
                notes.append(f"answer cell '{step.grade_id}' is missing (deleted, or its "
                             "nbgrader metadata was changed), so it was not run")
                continue
            if len(code) > 1:
                notes.append(f"answer cell '{step.grade_id}' appears {len(code)} times: the last "
                             "one was graded")
            answers[step.grade_id] = code[-1].source
        else:
            kind = "test" if step.kind == "tests" else "locked"
            allowed = {text.rstrip() for text in spec.locked_sources[step.grade_id]}
            if not found:
                notes.append(f"{kind} cell '{step.grade_id}' was deleted: the instructor's "
                             "version was used")
            elif any(cell.source.rstrip() not in allowed for cell in found):
                notes.append(f"{kind} cell '{step.grade_id}' was changed: the instructor's "
                             "version was used")
    known = set(spec.grade_ids)
    unknown = sorted({c.grade_id for c in cells if c.grade_id and c.grade_id not in known
                      and c.cell_type == "code"})
    if unknown:
        notes.append("cells with unknown grade_id ignored: " + ", ".join(f"'{g}'" for g in unknown))
    order = [step.grade_id for step in spec.steps]
    seen = [c.grade_id for c in cells if c.grade_id in order and c.cell_type == "code"]
    if [g for g in order if g in seen] != list(dict.fromkeys(seen)):
        notes.append("cells were reordered: they were run in the instructor's order")
    return answers, notes


# --------------------------------------------------------------------------- probes


# The probe runs in the submission's kernel, after the submission's own code. It uses no
# builtins or modules the submission could have replaced on the way out (json.dumps, print,
# str, float, isinstance): types come from literals, and the reply is written with the
# stream's own write method. A submission can still drop or rewrite its replies: then they
# are missing or malformed and score 0; to score, a reply must carry gdteach's answer.
_PROBE = """\
def @NAME@():
    import math
    import sys
    import numpy as np
@PLAIN@
    float_, bool_, int_, str_ = (0.0).__class__, (True).__class__, (0).__class__, ''.__class__
    is_a = float_.__class__.__instancecheck__
    controls = @CONTROLS@

    def encode(data):
        if is_a(bool_, data):
            return 'true' if data else 'false'
        if is_a(float_, data):
            text = float_.__repr__(data)
            return {'nan': 'NaN', 'inf': 'Infinity', '-inf': '-Infinity'}.get(text, text)
        return '[' + ', '.join([encode(item) for item in data]) + ']'

    def error(text):
        text = str_.translate(text, controls).encode('ascii', 'replace').decode('ascii')
        return '{"error": "' + text.replace('\\\\', '/').replace('"', "'")[:300] + '"}'

    def describe(err):
        try:
            text = err.__class__.__name__ + ': ' + str_(err)
        except BaseException:
            text = 'an exception'
        return 'raised ' + text.rstrip(': ')

    write = sys.stdout.write
    function = globals().get(@FUNCTION@)
    calls = [
@CALLS@    ]
    index = 0
    for arguments in calls:
        exiting = False
        try:
            if function is None:
                raise NameError(@MISSING@)
            result = function(*arguments())
            try:
                reply = '{"value": ' + encode(plain(result)) + '}'
            except TypeError as err:
                reply = error(str_(err))
        except SystemExit:
            reply, exiting = error('raised SystemExit'), True
        except BaseException as err:
            reply = error(describe(err))
        write('\\n@NONCE@ ' + int_.__repr__(index) + ' ' + reply + '\\n')
        sys.stdout.flush()
        if exiting:
            raise SystemExit
        index = index + 1
@NAME@()
del @NAME@
"""


def probe_source(probe: Probe, nonce: str) -> str:
    """The code run in the kernel for one ``check`` call: call the function on each case and
    write ``<nonce> <index> {"value": …}`` or ``{"error": …}`` on its own line."""
    task = TASKS[probe.task]
    calls = "".join(f"        lambda: [{', '.join(source_of(task, case))}],\n" for case in probe.cases)
    missing = f"name '{probe.function}' is not defined: its answer cell did not define it"
    replacements = {
        "@NAME@": f"_gdteach_probe_{nonce}",
        "@PLAIN@": textwrap.indent(inspect.getsource(plain), "    ").rstrip("\n"),
        "@CONTROLS@": repr({code: " " for code in range(32)}),
        "@FUNCTION@": repr(probe.function),
        "@CALLS@": calls,
        "@MISSING@": repr(missing),
        "@NONCE@": nonce,
    }
    return re.sub("|".join(replacements), lambda match: replacements[match[0]], _PROBE)


def parse_replies(outputs: list[Any], nonce: str, count: int) -> list[tuple[Any, str | None]]:
    """``(value, None)`` or ``(None, error)`` per case, from a probe's stdout.

    Only lines ``<nonce> <index> <json>`` count; a case answered twice, or not as exactly
    ``{"value": plain data}`` or ``{"error": text}``, is a corrupted reply.
    """
    text = "".join(
        out.get("text", "") for out in outputs
        if out.get("output_type") == "stream" and out.get("name") == "stdout"
    )
    pattern = re.compile(re.escape(nonce) + r" (\d+) (.*)")
    found: dict[int, list[str]] = defaultdict(list)
    for line in text.split("\n"):
        match = pattern.fullmatch(line)
        if match:
            found[int(match[1])].append(match[2])
    replies: list[tuple[Any, str | None]] = []
    for index in range(count):
        lines = found.get(index, [])
        if len(lines) != 1:
            replies.append((None, "no reply" if not lines else "corrupted reply (answered twice)"))
            continue
        try:
            data = json.loads(lines[0])
        except (ValueError, RecursionError):
            replies.append((None, "corrupted reply (not JSON)"))
            continue
        if type(data) is dict and list(data) == ["value"] and is_plain(data["value"]):
            replies.append((data["value"], None))
        elif type(data) is dict and list(data) == ["error"] and type(data["error"]) is str:
            replies.append((None, data["error"][:300]))
        else:
            replies.append((None, "corrupted reply (not plain data)"))
    return replies


# --------------------------------------------------------------------------- one submission


#: What ``import gdteach`` raises in the grading kernel (see ``_kernel_env``).
NO_GDTEACH = "gdteach is not available while grading: write the code yourself"


def _kernel_env(tmp: str) -> dict[str, str]:
    """The grading kernel's environment. Its PYTHONPATH starts with a folder holding a stub
    package ``gdteach`` whose import raises ImportError, so the submission cannot reach
    gdteach, however it spells the import (``importlib.import_module("gd" + "teach")``);
    nothing the grader runs in the kernel needs gdteach."""
    stub = Path(tmp) / ".no-gdteach"
    (stub / "gdteach").mkdir(parents=True, exist_ok=True)
    (stub / "gdteach" / "__init__.py").write_text(f"raise ImportError({NO_GDTEACH!r})\n",
                                                   encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSTARTUP", "PYTHONINSPECT")}
    env.update(
        PYTHONPATH=os.pathsep.join([str(stub), *filter(None, [env.get("PYTHONPATH")])]),
        IPYTHONDIR=str(Path(tmp) / ".ipython"),  # no user startup files or profiles
        MPLBACKEND="Agg",
        PYTHONHASHSEED="0",
        OMP_NUM_THREADS="1",  # one BLAS thread: same sums every run, no oversubscription
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _exited(cell: Any) -> bool:
    return any(out.get("output_type") == "error" and out.get("ename") == "SystemExit"
               for out in cell.outputs)


class _Session:
    """One kernel running one submission."""

    def __init__(self, client: Any, timeout: float) -> None:
        self.client, self.timeout = client, timeout

    def execute(self, source: str, label: str) -> Any:
        """Run ``source``; returns the cell (outputs) or raises ``_Stop`` with the reason,
        attaching the cell so that what arrived before a time-out can still be read."""
        import nbformat
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        cell = nbformat.v4.new_code_cell(source)
        self.client.nb.cells.append(cell)
        try:
            self.client.execute_cell(cell, len(self.client.nb.cells) - 1)
        except CellTimeoutError as err:
            if "IOPub" in str(err):  # the kernel finished but its output was late
                stop = _Stop(f"the output of {label} did not arrive in time (is the machine "
                             "overloaded?): grading stopped there")
            else:
                stop = _Stop(f"{label} did not finish within {self.timeout:g} s (an endless "
                             "loop or very slow code): grading stopped there")
            stop.cell = cell
            raise stop from err
        except DeadKernelError as err:
            stop = _Stop(f"the kernel died while running {label} (a crash, exit or kill): "
                         "grading stopped there")
            stop.cell = cell
            raise stop from err
        if _exited(cell):
            stop = _Stop(f"{label} called sys.exit(): grading stopped there")
            stop.cell = cell
            raise stop
        return cell


def _probe(session: _Session, spec_test: Any, probe: Probe, expected: list[Any],
           graded: dict[str, float], outcomes: list[Outcome]) -> None:
    task = TASKS[probe.task]
    nonce = secrets.token_hex(16)
    label = f"the tests of '{spec_test.grade_id}' ({probe.function})"
    stop, cell = None, None
    try:
        cell = session.execute(probe_source(probe, nonce), label)
    except _Stop as err:
        stop, cell = err, getattr(err, "cell", None)
    replies = parse_replies(cell.outputs if cell is not None else [], nonce, len(probe.cases))
    for case, want, (value, error) in zip(probe.cases, expected, replies):
        outcome = judge(task, case, want, got=value, error=error, hints=False)
        outcomes.append(outcome)
        graded[spec_test.grade_id] += outcome.points
    if stop is not None:
        raise stop


def _run(spec: Spec, expected: dict, answers: dict[str, str], timeout: float,
         scores: dict[str, float], outcomes: dict[str, list[Outcome]], errors: list[str]) -> None:
    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="gdteach-grade-") as tmp:
        client = NotebookClient(
            nbformat.v4.new_notebook(), timeout_func=lambda cell: timeout, kernel_name="python3",
            allow_errors=True, shutdown_kernel="immediate", record_timing=False,
            startup_timeout=120, iopub_timeout=max(10, math.ceil(timeout)),
            raise_on_iopub_timeout=True,  # never drop late output silently
        )
        session = _Session(client, timeout)
        started = False
        try:
            with client.setup_kernel(cwd=tmp, env=_kernel_env(tmp), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL):
                started = True
                for step in spec.steps:
                    if step.kind == "setup":
                        cell = session.execute(grading_setup_source(step.source, step.grade_id),
                                               f"setup cell '{step.grade_id}'")
                        if any(out.get("output_type") == "error" for out in cell.outputs):
                            errors.append(f"setup cell '{step.grade_id}' failed in the kernel")
                    elif step.kind == "answer":
                        source = answers.get(step.grade_id)
                        if source is None:
                            continue
                        if uses_gdteach(source):
                            errors.append(f"answer cell '{step.grade_id}' uses gdteach, so it was "
                                          "not run: answers must be your own code")
                            continue
                        session.execute(source, f"answer cell '{step.grade_id}'")
                    else:
                        test = step.tests
                        for p, probe in enumerate(test.probes):
                            want = [expected[(test.grade_id, p, c)] for c in range(len(probe.cases))]
                            _probe(session, test, probe, want, scores,
                                   outcomes.setdefault(test.grade_id, []))
        except _Stop as stop:
            errors.append(str(stop))
        except Exception as err:
            if not started:
                raise _StartFailed(type(err).__name__) from err
            raise


def _close_thread_loop() -> None:
    """Cancel what nbclient left pending on this thread's event loop (its output reader
    after a time-out) and close the loop, so nothing is destroyed pending or unclosed."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()


def grade_submission(spec: Spec, expected: dict, path: str | Path, timeout: float) -> Graded:
    """Grade one submitted notebook (see the module docstring)."""
    scores = {test.grade_id: 0.0 for test in spec.tests}
    outcomes: dict[str, list[Outcome]] = {}
    errors: list[str] = []
    try:
        cells = _load_cells(Path(path))
    except _NotANotebook as err:
        return Graded(str(path), scores, spec.max_points, (str(err),))
    answers, notes = _match(spec, cells)
    errors.extend(notes)
    if not answers:
        errors.append("no answer cell of this exercise was found (another exercise's notebook?)")
    else:
        for attempt in range(3):  # a kernel that fails to start (e.g. a port taken) is retried
            try:
                _run(spec, expected, answers, timeout, scores, outcomes, errors)
                break
            except _StartFailed as err:
                if attempt == 2:
                    errors.append(f"the kernel could not be started ({err})")
            except Exception as err:  # the connection to the kernel broke
                errors.append(f"grading failed: {type(err).__name__}")
                break
            finally:
                _close_thread_loop()
    return Graded(str(path), scores, spec.max_points, tuple(errors), outcomes)


# --------------------------------------------------------------------------- many submissions


def expected_answers(spec: Spec) -> dict[tuple[str, int, int], Any]:
    """gdteach's answer for every case of every test cell, computed once, here."""
    return {
        (test.grade_id, p, c): expected_value(TASKS[probe.task], case)
        for test in spec.tests
        for p, probe in enumerate(test.probes)
        for c, case in enumerate(probe.cases)
    }


def grade(source: str | Path, submissions: list[str | Path], *, timeout: float = 30.0,
          jobs: int = 1) -> list[Graded]:
    """Grade ``submissions`` against the instructor notebook ``source``, ``jobs`` kernels
    at a time. Results come back in the order of ``submissions``."""
    if not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number >= 1, got {jobs!r}")
    spec = read_spec(source)
    expected = expected_answers(spec)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda path: grade_submission(spec, expected, path, timeout),
                             submissions))


def _number(value: float) -> str:
    return format(round(value, 6), "g")


def write_csv(results: list[Graded], out: str | Path) -> None:
    """One row per submission: submission, points per test cell, total, max, error."""
    if not results:
        raise ValueError("no results to write")
    columns = list(results[0].scores)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["submission", *columns, "total", "max", "error"])
        for result in results:
            writer.writerow([
                result.submission,
                *(_number(result.scores[column]) for column in columns),
                _number(result.total), _number(result.max_points), "; ".join(result.errors),
            ])

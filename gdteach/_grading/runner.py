"""Grade one submission: run its answers in a sandbox, judge them in this process.

The interface (what ``gdteach.grade``'s executors call; pure, picklable, top level)::

    grade_submission(source: bytes, submission: bytes, settings: GradeSettings) -> SubmissionResult

``source`` is the instructor notebook's bytes, ``submission`` the submitted file's bytes
(read with ``untrusted.read_submission``, or ``grade_file(source, path, settings)`` does
both). The same bytes and settings always give the same result, except ``seconds``. It
never raises for a bad submission: whatever goes wrong is in ``SubmissionResult.problems``
(typed values, ``problems.Problem``: a code and the sentence shown).
It raises ``SandboxUnavailable`` when ``settings.sandbox == "bwrap"`` and namespaces cannot
be used here (check once with ``sandbox_problem()`` before grading, and refuse unless
``--no-sandbox``).

How one submission is graded:

1. A fresh sandbox starts (``sandbox.Session``: bubblewrap, no network, no gdteach, hard
   limits; see that module). It parses the submission (so a hostile file meets the
   sandbox's memory limit, not the grader's) and sends back its cells.
2. Its answer cells are matched to the instructor's by nbgrader ``grade_id`` (the last one
   when a grade_id appears twice). Setup and test cells always come from the instructor's
   notebook; cells the student added are ignored.
3. In the sandbox, in the instructor's order: the setup cells, the student's answer cells
   (not those that use gdteach) and, for each ``check`` of a test cell, a *probe*:
   generated code that calls the student's function on each case and prints only the
   result, as JSON, on a line that starts with a random nonce.
4. Here, those lines are parsed strictly and compared with gdteach's answers, computed
   here. The sandbox only computes: a reply that is missing, doubled or malformed scores
   0, and to score a case it must send gdteach's answer for that case's inputs.

A time-out (per cell, or the submission's total wall time), ``sys.exit()``, a dead sandbox,
too much output or a broken channel stops the run: tasks before it keep their points, the
rest get 0.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import secrets
import textwrap
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..checks import check_choice, check_int, check_positive
from . import selfcheck
from .notebook import Probe, Spec, TestCell, grading_setup_source, read_spec
from .plaindata import is_plain, plain, show
from .problems import Code, Problem
from .sandbox import SandboxStop, SandboxUnavailable, Session
from .sandbox import problem as sandbox_problem
from .selfcheck import Outcome, expected_value, judge
from .tasks import TASKS, source_of
from .untrusted import SubmissionUnreadable, escape, read_submission

__all__ = ["GradeSettings", "SubmissionResult", "TaskScore", "CaseResult", "grade_submission",
           "grade_file", "sandbox_problem", "SandboxUnavailable", "NO_SANDBOX_NOTE", "Graded",
           "grade", "write_csv", "probe_source", "parse_replies", "expected_answers"]

#: What ``import gdteach`` raises while grading (the sandbox has no gdteach at all).
NO_GDTEACH = "gdteach is not available while grading: write the code yourself"
#: The note every result carries when graded with ``sandbox="none"`` (``--no-sandbox``).
NO_SANDBOX_NOTE = ("graded WITHOUT a sandbox (--no-sandbox): the submission ran as the grader's "
                   "user, with its files and network")


@dataclass(frozen=True)
class GradeSettings:
    """Limits for grading one submission.

    ``timeout``: seconds for each cell and each check's probe; ``wall_time``: seconds for the
    whole submission; ``memory_mb``: address space of the sandbox's Python; ``processes``:
    processes and threads it may run; ``file_size_mb``: largest file it may write;
    ``tmp_mb``: size of its private /tmp; ``output_mb``: output read back from it;
    ``max_submission_mb``: largest submission read; ``sandbox``: ``"bwrap"`` or ``"none"``.

    >>> GradeSettings(timeout=10).wall_time
    300.0
    """

    timeout: float = 30.0
    wall_time: float = 300.0
    memory_mb: int = 1024
    processes: int = 64
    file_size_mb: int = 16
    tmp_mb: int = 64
    output_mb: int = 32
    max_submission_mb: int = 16
    sandbox: str = "bwrap"

    def __post_init__(self) -> None:
        for name in ("timeout", "wall_time"):
            object.__setattr__(self, name, check_positive(name, getattr(self, name)))
        for name in ("memory_mb", "processes", "file_size_mb", "tmp_mb", "output_mb",
                     "max_submission_mb"):
            check_int(name, getattr(self, name), minimum=1)
        check_choice("sandbox", self.sandbox, ("bwrap", "none"))


@dataclass(frozen=True)
class TaskScore:
    """Points of one test cell (its nbgrader grade_id)."""

    grade_id: str
    points: float
    max_points: float


@dataclass(frozen=True)
class CaseResult:
    """One check case. ``call`` is empty for a hidden case (its inputs stay private);
    ``expected`` and ``got`` are short texts (``got`` is "" when there was no value);
    ``problem`` is why it failed (escaped; for a hidden case, an exception's message is
    withheld); ``hint`` is the task's advice (for a hidden case it may quote the inputs:
    show it to the instructor only)."""

    grade_id: str
    task: str
    hidden: bool
    call: str
    expected: str
    got: str
    passed: bool
    points: float
    max_points: float
    problem: str
    hint: str


@dataclass(frozen=True)
class SubmissionResult:
    """What grading one submission found, as plain data.

    ``tasks``: one TaskScore per test cell, in the notebook's order; ``cases``: every case,
    in order; ``problems``: what went wrong or was noticed, each a ``Problem`` (its code is
    the verdict; its detail is escaped: student-controlled text is never raw); ``errors``
    their details; ``note``: NO_SANDBOX_NOTE when graded without a sandbox, else "";
    ``seconds``: wall time taken (the one field that differs between runs).
    ``error`` is the CSV's error column: errors and note joined with "; ".
    """

    tasks: tuple[TaskScore, ...]
    cases: tuple[CaseResult, ...] = ()
    problems: tuple[Problem, ...] = ()
    note: str = ""
    seconds: float = 0.0

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(problem.detail for problem in self.problems)

    @property
    def total(self) -> float:
        return sum(task.points for task in self.tasks)

    @property
    def max_points(self) -> float:
        return sum(task.max_points for task in self.tasks)

    @property
    def scores(self) -> dict[str, float]:
        return {task.grade_id: task.points for task in self.tasks}

    @property
    def error(self) -> str:
        return "; ".join([*self.errors, *([self.note] if self.note else [])])


@dataclass(frozen=True)
class _Cell:
    cell_type: str
    source: str
    grade_id: str | None


# --------------------------------------------------------------------------- matching


def _match(spec: Spec, cells: list[_Cell]) -> tuple[dict[str, str], list[Problem]]:
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
                notes.append(Problem(Code.ANSWER_MISSING, f"answer cell '{step.grade_id}' is "
                                     "missing (deleted, or its nbgrader metadata was changed), "
                                     "so it was not run"))
                continue
            if len(code) > 1:
                notes.append(Problem(Code.ANSWER_DUPLICATED, f"answer cell '{step.grade_id}' "
                                     f"appears {len(code)} times: the last one was graded"))
            answers[step.grade_id] = code[-1].source
        else:
            kind = "test" if step.kind == "tests" else "locked"
            allowed = {text.rstrip() for text in spec.locked_sources[step.grade_id]}
            if not found:
                notes.append(Problem(Code.LOCKED_DELETED, f"{kind} cell '{step.grade_id}' was "
                                     "deleted: the instructor's version was used"))
            elif any(cell.source.rstrip() not in allowed for cell in found):
                notes.append(Problem(Code.LOCKED_CHANGED, f"{kind} cell '{step.grade_id}' was "
                                     "changed: the instructor's version was used"))
    known = set(spec.grade_ids)
    unknown = sorted({c.grade_id for c in cells if c.grade_id and c.grade_id not in known
                      and c.cell_type == "code"})
    if unknown:
        shown = ", ".join(f"'{escape(g, 60)}'" for g in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        notes.append(Problem(Code.UNKNOWN_GRADE_ID,
                             f"cells with unknown grade_id ignored: {shown}{more}"))
    order = [step.grade_id for step in spec.steps]
    seen = [c.grade_id for c in cells if c.grade_id in order and c.cell_type == "code"]
    if [g for g in order if g in seen] != list(dict.fromkeys(seen)):
        notes.append(Problem(Code.REORDERED,
                             "cells were reordered: they were run in the instructor's order"))
    return answers, notes


def decode_cells(data: bytes) -> list[_Cell]:
    """The cells the sandbox's ``parse`` sent back: ``<length>\\n<bytes>`` three per cell
    (type, grade_id or NUL, source). Raises ValueError on anything else."""
    cells, fields, position = [], [], 0
    while position < len(data):
        newline = data.index(b"\n", position)
        length = int(data[position:newline].decode("ascii"))
        if length < 0 or newline + 1 + length > len(data):
            raise ValueError("bad cell length")
        fields.append(data[newline + 1 : newline + 1 + length].decode("utf-8", "replace"))
        position = newline + 1 + length
        if len(fields) == 3:
            kind, grade_id, source = fields
            cells.append(_Cell(kind, source, None if grade_id == "\0" else grade_id))
            fields = []
    if fields:
        raise ValueError("incomplete cell")
    return cells


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


#: The longest reply line read (the driver sends at most 1 MB of a cell's output).
_MAX_REPLY = 1 << 20


#: the grader's own words for a reply that is missing or broken
NO_REPLY = "no reply"
CORRUPTED = {why: f"corrupted reply ({why})"
             for why in ("answered twice", "too long", "not JSON", "not plain data")}


def _reply_int(digits: str) -> int:
    # an integer no float can hold (a forged reply of 400 digits) would overflow when judged
    if len(digits.lstrip("-")) > 18:
        raise ValueError("integer too long for a reply")
    return int(digits)


def parse_replies(text: str, nonce: str, count: int) -> list[tuple[Any, str | None]]:
    """``(value, None)`` or ``(None, error)`` per case, from what a probe printed.

    Only whole lines ``<nonce> <index> <json>`` count (``fullmatch``: nothing before or
    after); a case answered twice, or not as exactly ``{"value": plain data}`` or
    ``{"error": text}``, is a corrupted reply. Error texts are escaped.
    """
    # searched for, not split into lines: a probe that printed 30 MB of newlines cost the
    # grader seconds per line split and match (an outside red team)
    pattern = re.compile(re.escape(nonce) + r" (\d+) ([^\n]*)")
    found: dict[int, list[str]] = defaultdict(list)
    for match in pattern.finditer(text):
        whole = (match.start() == 0 or text[match.start() - 1] == "\n") and (
            match.end() == len(text) or text[match.end()] == "\n")
        if whole and len(match[1]) < 9:
            found[int(match[1])].append(match[2])
    replies: list[tuple[Any, str | None]] = []
    for index in range(count):
        lines = found.get(index, [])
        if len(lines) != 1:
            replies.append((None, NO_REPLY if not lines else CORRUPTED["answered twice"]))
            continue
        if len(lines[0]) > _MAX_REPLY:  # more than a probe can print (and costly to parse)
            replies.append((None, CORRUPTED["too long"]))
            continue
        try:
            data = json.loads(lines[0], parse_int=_reply_int)
        except (ValueError, RecursionError):
            replies.append((None, CORRUPTED["not JSON"]))
            continue
        if type(data) is dict and list(data) == ["value"] and is_plain(data["value"]):
            replies.append((data["value"], None))
        elif type(data) is dict and list(data) == ["error"] and type(data["error"]) is str:
            replies.append((None, escape(data["error"])))
        else:
            replies.append((None, CORRUPTED["not plain data"]))
    return replies


# --------------------------------------------------------------------------- one submission


_LOCK = threading.Lock()


def _exercise(source: bytes) -> tuple[Spec, dict]:
    """The instructor notebook's spec and gdteach's answer to every case, computed once."""
    with _LOCK:
        return _cached_exercise(source)


@functools.lru_cache(maxsize=8)
def _cached_exercise(source: bytes) -> tuple[Spec, dict]:
    spec = read_spec(source)
    return spec, expected_answers(spec)


def expected_answers(spec: Spec) -> dict[tuple[str, int, int], Any]:
    """gdteach's answer for every case of every test cell, computed once, here."""
    return {
        (test.grade_id, p, c): expected_value(TASKS[probe.task], case)
        for test in spec.tests
        for p, probe in enumerate(test.probes)
        for c, case in enumerate(probe.cases)
    }


_PRELUDE = """\
import ast
_IPYTHON = @IPYTHON@


def _transformer():
    # IPython 9's transformer imports IPython.utils.tokenutil (standard library only too):
    # both run from their sources, under stand-in package names removed again afterwards
    if _IPYTHON is None:
        return None
    import sys
    import types

    names = ("IPython", "IPython.utils", "IPython.utils.tokenutil")
    saved = {name: sys.modules.get(name) for name in names}
    try:
        if _IPYTHON.get("tokenutil") is not None:
            for name in names[:2]:
                sys.modules[name] = types.ModuleType(name)
            tokenutil = types.ModuleType(names[2])
            exec(compile(_IPYTHON["tokenutil"], "IPython/utils/tokenutil.py", "exec"), tokenutil.__dict__)
            sys.modules[names[2]] = sys.modules["IPython.utils"].tokenutil = tokenutil
        module = {"__name__": "_gdteach_inputtransformer2"}
        exec(compile(_IPYTHON["inputtransformer2"], "IPython/core/inputtransformer2.py", "exec"), module)
        return module["TransformerManager"]()
    except Exception:
        return None  # cells with IPython syntax then fail as the syntax errors they are
    finally:
        for name, value in saved.items():
            if value is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = value


_TRANSFORMER = _transformer()


@USES_GDTEACH@


def prepare(source):
    try:
        compile(source, "<cell>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        if _TRANSFORMER is not None:
            try:
                source = _TRANSFORMER.transform_cell(source)
            except Exception:
                pass
    return None if uses_gdteach(source) else source
"""


@functools.lru_cache(maxsize=1)
def _ipython_transformer_source() -> dict[str, str | None] | None:
    """The sources of IPython's input transformer (``IPython/core/inputtransformer2.py``) and
    of the one IPython module it imports in IPython 9 (``IPython/utils/tokenutil.py``), both
    standard library only, read from disk without importing IPython: the sandbox runs them."""
    import importlib.util

    try:
        found = importlib.util.find_spec("IPython")
    except (ImportError, ValueError):
        return None
    if found is None or not found.origin:
        return None
    package = Path(found.origin).parent
    try:
        transformer = (package / "core" / "inputtransformer2.py").read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        tokenutil = (package / "utils" / "tokenutil.py").read_text(encoding="utf-8")
    except OSError:
        tokenutil = None
    return {"inputtransformer2": transformer, "tokenutil": tokenutil}


def prelude_source() -> str:
    """The grader's helpers the sandbox runs before any submission code: ``prepare(source)``
    turns an answer cell's IPython syntax (``%matplotlib inline``, ``!pip``) into plain
    Python with IPython's own transformer (its ``get_ipython()`` calls do nothing there) and
    returns None when the cell uses gdteach (``selfcheck.uses_gdteach``). Student text is
    never compiled, parsed or transformed in the grader's process: its cost (quadratic in
    IPython's transformer) falls on the sandbox's CPU and the cell's time limit."""
    return (_PRELUDE.replace("@USES_GDTEACH@", inspect.getsource(selfcheck.uses_gdteach).strip())
            .replace("@IPYTHON@", repr(_ipython_transformer_source())))


_PARSE_ERRORS = {
    "notutf8": "not a notebook: the file is not UTF-8 text (a notebook is JSON in UTF-8)",
    "notjson": "not a notebook: the file is not JSON",
    "nbformat3": ("not graded: the notebook is in the old format 3 (its cells are inside "
                  "'worksheets'); opening it in Jupyter and saving it converts it to format 4"),
    "nocells": "not a notebook: the JSON has no list of cells",
    "toobig": "not a notebook: reading it needs more memory than the sandbox allows",
    "toomany": "not graded: the notebook has more than 2000 cells with a grade_id",
}
_MAX_CELL = 1 << 20


#: the reply problems of ``parse_replies``, matched whole (a submission can print any reply
#: text it likes, "no reply <the hidden inputs>" too)
_REPLY_PROBLEMS = frozenset({NO_REPLY, *CORRUPTED.values()})
AFTER_HIDDEN = "withheld: it ran after a hidden test had shown your code its inputs"


def kind_only(error: str, prefix: str = "raised ") -> str:
    """What went wrong, in the grader's own fixed words only: "raised an exception" (not even
    the exception's name: choosing among Python's 60-odd built-in exceptions would let code
    that has seen a hidden input spell it out, six bits a case), "returned something that is
    not a number …", or one of the grader's own reply problems (no reply, corrupted reply),
    matched whole: a forged reply reading "no reply <the hidden inputs>" is not one.

    >>> kind_only("raised ValueError: [0.37, 2.5]"), kind_only("raised Leak_0_37: x")
    ('raised an exception', 'raised an exception')
    >>> kind_only("returned a Leak_0_37, not a number or an array of numbers")
    'returned something that is not a number or an array of numbers'
    >>> kind_only("no reply"), kind_only("no reply (9.0, 12.0, 1.5)")
    ('no reply', 'returned something that is not a number or an array of numbers')
    >>> kind_only("corrupted reply (too long)")  # which way it is broken is a choice too
    'corrupted reply'
    """
    if error in _REPLY_PROBLEMS:
        return error.split(" (")[0]
    if error.startswith(prefix):
        return f"{prefix}an exception"
    return "returned something that is not a number or an array of numbers"


class _Grading:
    """The state of grading one submission (one sandbox session)."""

    def __init__(self, spec: Spec, expected: dict, session: Session, settings: GradeSettings):
        self.spec, self.expected, self.session, self.settings = spec, expected, session, settings
        self.scores = {test.grade_id: 0.0 for test in spec.tests}
        self.cases: list[CaseResult] = []
        self.errors: list[Problem] = []
        #: True once a hidden probe has been sent: from then on the submission's code may know
        #: hidden inputs, so nothing it produces comes back as text (only its kind)
        self.hidden_seen = False
        self.uses_gdteach: set[str] = set()  # answer cells screened before any ran
        self.plain: dict[str, str] = {}  # and their sources as plain Python

    def run(self, label: str, source: str, timeout: float | None = None) -> Any:
        return self.session.request("run", source.encode("utf-8", "surrogatepass"), label,
                                    timeout or self.settings.timeout)

    def cells(self, submission: bytes) -> list[_Cell] | None:
        reply = self.session.request("parse", submission, "reading the notebook",
                                     max(self.settings.timeout, 30.0))
        if reply.status in _PARSE_ERRORS:
            self.errors.append(Problem(Code.NOT_A_NOTEBOOK, _PARSE_ERRORS[reply.status]))
            return None
        try:
            if reply.status != "cells":
                raise ValueError(reply.status)
            return decode_cells(reply.out.encode("utf-8", "surrogatepass"))
        except (ValueError, UnicodeError):
            self.errors.append(Problem(Code.NOT_A_NOTEBOOK,
                                       "the notebook could not be read in the sandbox"))
            return None

    def steps(self, answers: dict[str, str]) -> None:
        for step in self.spec.steps:
            if step.kind == "setup":
                # the instructor's code (imports numpy): not held to the students' time limit
                reply = self.run(f"setup cell '{step.grade_id}'",
                                 grading_setup_source(step.source, step.grade_id),
                                 max(self.settings.timeout, 60.0))
                if reply.status == "error":
                    self.errors.append(Problem(Code.SETUP_FAILED, f"setup cell "
                                               f"'{step.grade_id}' failed in the sandbox"))
                elif reply.status == "exit":
                    raise SandboxStop(f"setup cell '{step.grade_id}' called sys.exit()",
                                      Code.SYS_EXIT)
            elif step.kind == "answer":
                self.answer(step.grade_id, answers.get(step.grade_id))
            else:
                self.test_cell(step.tests)

    def test_cell(self, test: TestCell) -> None:
        first = len(self.cases)
        try:
            for p, probe in enumerate(test.probes):
                self.probe(test.grade_id, p, probe)
        finally:  # also when grading stops inside the cell: the points it keeps are counted
            # per check call: else hard-coded visible answers (both kinds) would unlock a
            # constant guess on the hidden cases
            start = first
            for p, probe in enumerate(test.probes):
                end = min(start + len(probe.cases), len(self.cases))  # a probe adds all or none
                answers = [self.expected[(test.grade_id, p, c)] for c in range(len(probe.cases))]
                self.cases[start:end] = both_answers_needed(self.cases[start:end], answers)
                start = end
            self.scores[test.grade_id] = sum(case.points for case in self.cases[first:])

    def screen(self, answers: dict[str, str]) -> None:
        """Which answer cells use gdteach, and each one's source as plain Python (IPython
        syntax transformed), both done in the sandbox before any answer runs: no student
        code can change either, and each cell is transformed once."""
        ids = [g for g in answers if len(answers[g]) <= _MAX_CELL]
        payload = json.dumps([answers[g] for g in ids]).encode("utf-8", "surrogatepass")
        # each cell is given its own time limit for this: the transformation of a crafted
        # cell can be quadratic, and a cell's limit is what it may cost
        reply = self.session.request("screen", payload, "reading the answer cells",
                                     self.settings.timeout * max(1, len(ids)))
        if reply.status != "screened" or len(reply.out) != len(ids) or set(reply.out) - {"0", "1"}:
            raise SandboxStop("the messages from the sandbox broke while reading the answer "
                              "cells: grading stopped there", Code.CHANNEL_BROKEN)
        try:
            plain = json.loads(reply.error)  # written before any student code ran
        except ValueError:
            plain = None
        if not isinstance(plain, list) or len(plain) != len(ids):
            raise SandboxStop("the messages from the sandbox broke while reading the answer "
                              "cells: grading stopped there", Code.CHANNEL_BROKEN)
        self.uses_gdteach = {g for g, mark in zip(ids, reply.out) if mark == "1"}
        self.plain = dict(zip(ids, plain))

    def answer(self, grade_id: str, source: str | None) -> None:
        if source is None:
            return
        label = f"answer cell '{grade_id}'"
        if len(source) > _MAX_CELL:
            self.errors.append(Problem(Code.CELL_TOO_LARGE,
                                       f"{label} is larger than 1 MB, so it was not run"))
            return
        if source.lstrip().startswith("%%"):  # decided from the text: no channel
            magic = source.lstrip().split(None, 1)[0][:40]
            self.errors.append(Problem(Code.CELL_MAGIC, f"{label} starts with the cell magic "
                                       f"{escape(magic)}, which the grader does not run (the "
                                       "cell would define nothing): remove that line"))
            return
        if grade_id in self.uses_gdteach:
            self.errors.append(Problem(Code.USES_GDTEACH, f"{label} uses gdteach, so it was "
                                       "not run: answers must be your own code"))
            return
        reply = self.run(label, self.plain.get(grade_id, source))
        if reply.status == "exit":
            raise SandboxStop(f"{label} called sys.exit(): grading stopped there", Code.SYS_EXIT)
        if reply.status == "error" and self.hidden_seen:
            self.errors.append(Problem(Code.ANSWER_RAISED, f"{label} "
                                       f"{kind_only('raised ' + reply.error)} (message {AFTER_HIDDEN})"))
        elif reply.status == "error":
            self.errors.append(Problem(Code.ANSWER_RAISED, f"{label} raised {escape(reply.error, 200)}"))
        elif reply.status != "ok":
            raise SandboxStop(f"the messages from the sandbox broke while running {label}: "
                              "grading stopped there", Code.CHANNEL_BROKEN)

    def probe(self, grade_id: str, index: int, probe: Probe) -> None:
        task = TASKS[probe.task]
        nonce = secrets.token_hex(16)
        label = f"the tests of '{grade_id}' ({probe.function})"
        stop, text = None, ""
        after_hidden = self.hidden_seen  # this probe's replies may carry hidden inputs
        self.hidden_seen = self.hidden_seen or probe.hidden
        try:
            reply = self.run(label, probe_source(probe, nonce))
            text = reply.out
            if reply.status == "exit":
                stop = SandboxStop(f"{label} called sys.exit(): grading stopped there",
                                   Code.SYS_EXIT)
        except SandboxStop as err:
            stop, text = err, err.out
        replies = parse_replies(text, nonce, len(probe.cases))
        for c, (case, (value, error)) in enumerate(zip(probe.cases, replies)):
            want = self.expected[(grade_id, index, c)]
            if probe.hidden and error is not None:
                error = kind_only(error) + " (message withheld: a hidden test)"
            elif after_hidden and error is not None:
                error = f"{kind_only(error)} (message {AFTER_HIDDEN})"
            # a mistake hint is chosen from the value: from the first hidden probe on, only the
            # task's fixed hint (a case then tells passed, wrong, raised, not a number or no reply)
            outcome = judge(task, case, want, got=value, error=error,
                            hints=not self.hidden_seen)
            outcome = replace(outcome, points=probe.points[c] if outcome.passed else 0.0)
            if after_hidden and not probe.hidden and value is not None:
                # the value itself could encode hidden inputs: only whether it was right
                outcome = replace(outcome, got=None, problem="" if outcome.passed else
                                  f"wrong value (the value is {AFTER_HIDDEN})")
            self.scores[grade_id] += outcome.points
            self.cases.append(_case(grade_id, probe, c, outcome))
        if stop is not None:
            raise stop


ONE_ANSWER_ONLY = ("right, but it counts only once the function has also given the other "
                   "answer (True or False) right in the same check (visible or hidden): a constant "
                   "answer would score too")


def both_answers_needed(cases: list[CaseResult], answers: list[Any]) -> list[CaseResult]:
    """The cases of one check call whose every answer is True or False, each right one counted
    only if a case with the other answer is right too: a constant True or False earns nothing.

    ``answers`` are the expected answers of all the call's cases, in order; ``cases`` those
    graded (none when grading stopped before the call).

    >>> right = CaseResult("d", "diverges", False, "", "False", "False", True, 1.0, 1.0, "", "")
    >>> [c.points for c in both_answers_needed([right, right], [False, False])]  # no True case
    [1.0, 1.0]
    >>> [c.points for c in both_answers_needed([right, right], [False, False, True])]
    [0.0, 0.0]
    """
    if not all(isinstance(answer, bool) for answer in answers):
        return list(cases)
    kinds = set(answers)
    right = {answer for case, answer in zip(cases, answers) if case.passed}
    if len(kinds) < 2 or len(right) == 2:
        return list(cases)
    return [replace(case, passed=False, points=0.0, problem=ONE_ANSWER_ONLY) if case.passed
            else case for case in cases]


def _case(grade_id: str, probe: Probe, index: int, outcome: Outcome) -> CaseResult:
    return CaseResult(
        grade_id=grade_id, task=probe.task, hidden=probe.hidden,
        call="" if probe.hidden else outcome.call,
        expected=show(outcome.expected, 12), got="" if outcome.got is None else show(outcome.got, 12),
        passed=outcome.passed, points=outcome.points, max_points=probe.points[index],
        problem=escape(outcome.problem), hint=outcome.hint,
    )


def _result(spec: Spec, grading: _Grading | None, errors: list[Problem], settings: GradeSettings,
            start: float) -> SubmissionResult:
    scores = grading.scores if grading is not None else {}
    tasks = tuple(TaskScore(test.grade_id, scores.get(test.grade_id, 0.0), test.points)
                  for test in spec.tests)
    return SubmissionResult(
        tasks, tuple(grading.cases) if grading is not None else (),
        tuple(Problem(error.code, escape(error.detail, 500)) for error in errors),
        NO_SANDBOX_NOTE if settings.sandbox == "none" else "", time.perf_counter() - start)


def grade_submission(source: bytes, submission: bytes, settings: GradeSettings) -> SubmissionResult:
    """Grade one submission (bytes) against the instructor notebook (bytes); see the module
    docstring. Raises SandboxUnavailable only when ``settings.sandbox`` is "bwrap" and
    bubblewrap cannot run here."""
    if not isinstance(settings, GradeSettings):
        raise TypeError(f"settings must be a GradeSettings, got {settings!r}")
    spec, expected = _exercise(bytes(source))
    start = time.perf_counter()
    if len(submission) > settings.max_submission_mb << 20:
        return _result(spec, None, [Problem(Code.FILE_NOT_GRADED, f"not graded: the file is "
                                            f"larger than {settings.max_submission_mb} MB")],
                       settings, start)
    errors: list[Problem] = []
    grading = None
    try:
        with Session(settings) as session:
            grading = _Grading(spec, expected, session, settings)
            errors = grading.errors
            cells = grading.cells(bytes(submission))
            if session.request("prelude", prelude_source().encode("utf-8"), "the grader's "
                               "helpers", max(settings.timeout, 30.0)).status != "ok":
                raise SandboxStop("the grader's helpers could not start in the sandbox",
                                  Code.GRADER_FAILED)
            if cells is not None:
                answers, notes = _match(spec, cells)
                errors.extend(notes)
                if not answers:
                    errors.append(Problem(Code.NO_ANSWER_CELL, "no answer cell of this "
                                          "exercise was found (another exercise's notebook?)"))
                else:
                    grading.screen(answers)
                    grading.steps(answers)
    except SandboxStop as stop:
        errors.append(Problem(stop.code, str(stop)))
    except SandboxUnavailable:
        raise
    except OSError as err:
        errors.append(Problem(Code.SANDBOX_FAILED,
                              f"the sandbox could not be started ({err.strerror or err})"))
    except Exception as err:  # one submission never ends the run
        errors.append(Problem(Code.GRADER_FAILED, "grading this submission failed in the grader "
                              f"({type(err).__name__}: {err}): please report it"))
    return _result(spec, grading, errors, settings, start)


def grade_file(source: bytes, path: str | Path, settings: GradeSettings,
               source_path: str | Path | None = None) -> SubmissionResult:
    """``grade_submission`` for the file at ``path``, read with ``read_submission`` (no
    symbolic links, regular files only, size-capped, never the file at ``source_path``);
    an unreadable file is that result's error."""
    start = time.perf_counter()
    try:
        data = read_submission(path, settings.max_submission_mb << 20,
                               (source_path,) if source_path is not None else ())
    except SubmissionUnreadable as err:
        spec, _ = _exercise(bytes(source))
        return _result(spec, None, [err.problem()], settings, start)
    return grade_submission(source, data, settings)


# --------------------------------------------------------------------------- many submissions
# (kept for gdteach.grade's CLI and the tests until they use grade_submission directly)


@dataclass(frozen=True)
class Graded:
    """The result for one submission: points per test cell, and what went wrong."""

    submission: str
    scores: dict[str, float]
    max_points: float
    errors: tuple[str, ...] = ()
    outcomes: dict[str, list[CaseResult]] = field(default_factory=dict)
    result: SubmissionResult | None = None

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The typed problems (with the --no-sandbox note as one)."""
        if self.result is None:
            return ()
        note = (Problem(Code.NO_SANDBOX, self.result.note),) if self.result.note else ()
        return (*self.result.problems, *note)

    @property
    def total(self) -> float:
        return sum(self.scores.values())


def _graded(path: str | Path, result: SubmissionResult) -> Graded:
    outcomes: dict[str, list[CaseResult]] = defaultdict(list)
    for case in result.cases:
        outcomes[case.grade_id].append(case)
    errors = tuple([*result.errors, *([result.note] if result.note else [])])
    return Graded(str(path), result.scores, result.max_points, errors, dict(outcomes), result)


def grade(source: str | Path, submissions: list[str | Path], *, timeout: float = 30.0,
          jobs: int = 1, settings: GradeSettings | None = None) -> list[Graded]:
    """Grade ``submissions`` against the instructor notebook ``source``, ``jobs`` at a
    time. Results come back in the order of ``submissions``."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number >= 1, got {jobs!r}")
    settings = settings or GradeSettings(timeout=timeout)
    data = Path(source).read_bytes()
    read_spec(data)  # a SpecError before any sandbox starts
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda path: grade_file(data, path, settings, source), submissions))
    return [_graded(path, result) for path, result in zip(submissions, results)]


def write_csv(results: list[Graded], out: str | Path) -> None:
    """One row per submission: submission, points per test cell, total, max, error
    (written by ``spreadsheet.csv_text``, the grader's one CSV writer, with its formula guard)."""
    from .spreadsheet import csv_text

    if not results:
        raise ValueError("no results to write")
    columns = list(results[0].scores)
    rows = [[result.submission, *(float(result.scores[column]) for column in columns),
             float(result.total), float(result.max_points), "; ".join(result.errors)]
            for result in results]
    text = csv_text(["submission", *columns, "total", "max", "error"], rows)
    Path(out).write_text(text, encoding="utf-8", newline="")

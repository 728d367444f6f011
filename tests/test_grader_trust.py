"""The trust boundary of the grader (issue 18): student text is processed only inside the
sandbox (§2), hidden inputs never come back to a student (§3), the CSV and the terminal are
safe to open (§5), and a student's text can never change a verdict (§7)."""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

import pytest

from gdteach._grading import runner
from gdteach._grading.runner import AFTER_HIDDEN, GradeSettings, grade_submission, sandbox_problem

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "02_update_rule.ipynb"
CORRECT = ROOT / "exercises" / "fixtures" / "correct.ipynb"
TIMEOUT = 2.0

needs_sandbox = pytest.mark.skipif(sandbox_problem() is not None,
                                   reason=f"bubblewrap sandboxes cannot run here: {sandbox_problem()}")


def _submission(edit) -> bytes:
    """exercise 02's correct submission with ``edit(grade_id, source) -> source`` applied
    to each answer cell."""
    nb = json.loads(CORRECT.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("answer_"):
            cell["source"] = edit(grade_id, "".join(cell["source"]))
    return json.dumps(nb).encode()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # this process only, never its children
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- §2


@needs_sandbox
def test_no_student_text_is_transformed_compiled_or_parsed_in_the_grader(monkeypatch):
    """IPython syntax still works (so it was transformed somewhere), but the grader's process
    never called IPython's transformer, ``compile`` or ``uses_gdteach`` on the cells."""
    from IPython.core.inputtransformer2 import TransformerManager

    calls = []
    real_transform = TransformerManager.transform_cell
    monkeypatch.setattr(TransformerManager, "transform_cell",
                        lambda self, cell: calls.append("transform") or real_transform(self, cell))
    monkeypatch.setattr(runner, "compile", lambda *a, **k: calls.append("compile") or compile(*a, **k),
                        raising=False)
    monkeypatch.setattr(runner, "uses_gdteach", lambda text: calls.append("uses_gdteach") or False,
                        raising=False)
    data = _submission(lambda _, source: "%matplotlib inline\n!pip install numpy\n" + source)
    result = grade_submission(SOURCE.read_bytes(), data, GradeSettings(timeout=TIMEOUT))
    assert (result.total, result.errors) == (43, ())
    assert calls == []


@needs_sandbox
def test_an_escaped_line_flood_costs_the_grader_no_cpu():
    """The issue's attack in every answer cell: 200 ``!x`` lines and 60 kB of dense tokens,
    whose IPython transformation is quadratic. In the grader's process it took 166 s of CPU
    for this submission (measured with RUSAGE_SELF, on a loaded 2-core machine); in the
    sandbox it meets the time limit of reading the cells instead, a cell's limit for each
    answer cell. The bound asserted is generous (the grader's own work is about 0.01 s) so
    that a busy machine cannot make it fail; it is CPU time of this process, not wall time,
    so the sandbox's own work is not counted."""
    flood = "!x\n" * 200 + "a=b+c;" * 10_000 + "\n"
    data = _submission(lambda _, source: flood + source)
    before = _cpu_seconds()
    result = grade_submission(SOURCE.read_bytes(), data, GradeSettings(timeout=TIMEOUT))
    assert _cpu_seconds() - before < 5.0
    assert result.total < 43
    answer_cells = sum(1 for cell in json.loads(data)["cells"]
                       if cell["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("answer_"))
    assert any(f"reading the answer cells did not finish within {TIMEOUT * answer_cells:g} s" in e
               for e in result.errors)


# --------------------------------------------------------------------------- §3

_RECORD = '''
import builtins
builtins.SEEN = []


def gd_step(w, grad, lr):
    builtins.SEEN.append((w, grad, lr))  # every input it is given, the hidden ones too
    return w - lr * grad
'''
_LEAK = '''
import builtins
import numpy as np


def _leak():
    return "LEAK<" + ";".join(f"w={w!r},grad={g!r},lr={l!r}" for w, g, l in builtins.SEEN) + ">"


LEAK_ERROR = type("LEAK_ERROR", (Exception,), {})  # its name is a channel too
'''
_EXFILTRATE = {
    # the visible checks of gd_path raise the inputs, and so does the cell itself
    "answer_gd_path": _LEAK + '''
def gd_path(grad_fn, w0, lr, steps):
    raise LEAK_ERROR(_leak())


print(_leak())
raise ValueError(_leak())
''',
    # the values returned to the visible checks carry the inputs: w + 0.00123
    "answer_mse_gradient": _LEAK + '''
def mse_gradient(theta, X, y):
    return np.array([float(np.ravel(w)[0]) + 0.00123 for w, g, l in builtins.SEEN])
''',
    "answer_fit_linear": _LEAK + '''
def fit_linear(X, y, lr, steps):
    raise LEAK_ERROR(_leak())
''',
}


@needs_sandbox
def test_hidden_inputs_recorded_by_a_submission_never_reach_what_a_student_reads(tmp_path):
    """The exfiltration attack: gd_step records the arguments the hidden tests pass it; the
    later cells raise them, print them, return them as values and name an exception class
    after them. None of it reaches the feedback page, the CSV or the terminal: no LEAK
    marker, no hidden input (gd_step's hidden w = 9.0 comes back as 9.00123), and the
    attack does not keep full marks."""
    import csv
    import subprocess
    import sys

    def edit(grade_id, source):
        return _RECORD if grade_id == "answer_gd_step" else _EXFILTRATE.get(grade_id, source)

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    submission = inbox / "mallory.ipynb"
    submission.write_bytes(_submission(edit))
    out = tmp_path / "out"
    out.mkdir()
    run = subprocess.run([sys.executable, "-m", "gdteach.grade", str(SOURCE), str(submission),
                          "--csv", str(out / "grades.csv"), "--feedback", str(out / "feedback"),
                          "--timeout", str(TIMEOUT)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    pages = list((out / "feedback").rglob("*.html"))
    assert len(pages) == 1
    readable = {"stdout": run.stdout, "stderr": run.stderr,
                "csv": (out / "grades.csv").read_text(encoding="utf-8"),
                "page": pages[0].read_text(encoding="utf-8")}
    for where, text in readable.items():
        for secret in ("LEAK", "9.00123", "grad=12.0", "lr=1.5", "lr=0.05"):
            assert secret not in text, (where, secret)
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert float(row["total"]) < float(row["max"]) == 43
    # the withheld texts still say what went wrong, in the grader's words only
    assert "answer cell 'answer_gd_path' raised an exception (message withheld" in row["error"]


#: the built-in exceptions a submission can choose among: 16 of them spell a hidden input
#: digit by digit (the outside red team's attack, four bits a case)
_KINDS = ["ValueError", "TypeError", "KeyError", "IndexError", "ZeroDivisionError",
          "OverflowError", "RuntimeError", "LookupError", "ArithmeticError", "AttributeError",
          "NameError", "OSError", "NotImplementedError", "RecursionError", "AssertionError",
          "FloatingPointError"]
_SPELL = _LEAK + '''
_KINDS = [getattr(builtins, name) for name in KIND_NAMES]


def _spell(position):
    text = repr(builtins.SEEN[-1][0]) if builtins.SEEN else ""
    digit = "0123456789.-e+ ,".index(text[position]) if position < len(text) else 0
    raise _KINDS[digit]("x")
'''.replace("KIND_NAMES", repr(_KINDS))


@needs_sandbox
def test_the_kind_of_exception_carries_no_hidden_input(tmp_path):
    """The outside red team's second attack: after gd_step has seen the hidden inputs, each
    later cell and check raises the built-in exception whose place in a list of 16 is the
    next character of a hidden input. Nothing a student reads names an exception from then
    on (every failure reads "raised an exception"), nor gives a mistake hint chosen from the
    value (the hint could be picked the same way)."""
    def spell(function, args):
        return _SPELL + f"\n\ndef {function}({args}):\n    _spell(len(builtins.SEEN) % 7)\n"

    attack = {"answer_gd_path": spell("gd_path", "grad_fn, w0, lr, steps") + "_spell(0)\n",
              "answer_mse_gradient": spell("mse_gradient", "theta, X, y") + "_spell(1)\n",
              "answer_fit_linear": spell("fit_linear", "X, y, lr, steps") + "_spell(2)\n"}
    submission = tmp_path / "mallory.ipynb"
    submission.write_bytes(_submission(lambda grade_id, source: _RECORD if grade_id ==
                                       "answer_gd_step" else attack.get(grade_id, source)))
    result = grade_submission(SOURCE.read_bytes(), submission.read_bytes(),
                              GradeSettings(timeout=TIMEOUT))
    later = [case for case in result.cases if case.grade_id != "gd_step"]
    assert later and not any(case.passed for case in later)
    texts = [*result.errors, *(case.problem for case in later), *(case.hint for case in later)]
    assert not [text for text in texts for kind in _KINDS if kind in text]
    assert {case.problem for case in later if not case.hidden} == {
        f"raised an exception (message {AFTER_HIDDEN})"}


# --------------------------------------------------------------------------- §5

HOSTILE = ["x;=cmd|' /C calc'!A0", " =1+1", "  +2", "a,=1+1", "b\t=2", 'c;"=3', "d| @SUM(A1)", "\r=1",
           "e; -2+3+cmd|' /C calc'!A0", "f,\"+1\";@x", "=HYPERLINK(\"x\")", "g;;=1"]
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x80\x9b\x9f\u200b\u200c\u200d\u200e\u200f\ufeff\u2060"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _fields(text: str, delimiter: str) -> list[str]:
    import csv
    import io

    return [field for row in csv.reader(io.StringIO(text), delimiter=delimiter) for field in row]


def _assert_no_formula(text: str) -> None:
    for delimiter in (",", ";", "\t"):
        for field in _fields(text, delimiter):
            assert not field.startswith(_FORMULA), (delimiter, field)
            assert not field.lstrip(' "').startswith(_FORMULA), (delimiter, field)


def test_no_field_is_a_formula_whichever_separator_the_csv_is_read_with(tmp_path):
    """Both CSV writers (the CLI's grades_csv and grade.write_csv) go through one writer, and
    a spreadsheet splitting the file on ``,``, ``;`` or tab finds no field that starts a
    formula, even after spaces or a quote."""
    from gdteach._grading.runner import Graded, write_csv
    from gdteach._grading.spreadsheet import grades_csv

    records = [{"submission": text, "student": text, "total": 0.0, "max": 1.0, "errors": [text],
                "tasks": [{"grade_id": "t", "points": 0.0}]} for text in HOSTILE]
    _assert_no_formula(grades_csv(records))
    out = tmp_path / "grades.csv"
    write_csv([Graded(text, {"t": 0.0}, 1.0, (text, text)) for text in HOSTILE], out)
    _assert_no_formula(out.read_text(encoding="utf-8"))
    # the text is still there to read, quoted only where a formula would start
    assert _fields(grades_csv(records[:1]), ";")[-1] == "'=cmd|' /C calc'!A0"


def test_invisible_characters_are_escaped_in_the_csv():
    from gdteach._grading.spreadsheet import grades_csv

    name = "ad" + INVISIBLE + "a.ipynb"
    record = {"submission": name, "student": name, "total": 0.0, "max": 1.0, "errors": [name],
              "tasks": [{"grade_id": "t", "points": 0.0}]}
    text = grades_csv([record])
    assert not set(INVISIBLE) & set(text)
    assert "ad\\u202a\\u202b" in text and "\\x9b" in text and "\\ufeff" in text


@needs_sandbox
def test_invisible_characters_in_folder_and_file_names_are_escaped_on_the_terminal(tmp_path):
    """A folder and a file name full of bidirectional overrides, C1 controls and zero-width
    characters: the terminal and the CSV show them as escapes."""
    import subprocess
    import sys

    folder = tmp_path / ("in" + INVISIBLE)
    folder.mkdir()
    submission = folder / ("ada" + INVISIBLE + ".ipynb")
    submission.symlink_to(CORRECT)  # not graded (a link): quick, and its path is printed
    out = tmp_path / "grades.csv"
    run = subprocess.run([sys.executable, "-m", "gdteach.grade", str(SOURCE), str(submission),
                          "--csv", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for text in (run.stdout, run.stderr, out.read_text(encoding="utf-8")):
        assert not set(INVISIBLE) & set(text)
    assert "ada\\u202a\\u202b" in run.stdout


# --------------------------------------------------------------------------- §7

_FORGED = "answer cell 'answer_gd_step' appears twice: the last one was graded"


@needs_sandbox
def test_a_students_exception_text_cannot_change_a_verdict(tmp_path):
    """The answer cell of gd_step raises an exception whose message reads like the grader's
    duplicated-cell problem ("… appears twice"). It stays what it is, an exception: typed
    ANSWER_RAISED from the runner through the journal to the page, explained as an error
    in the cell, never as a copied cell."""
    import subprocess
    import sys

    from gdteach._grading.feedback import _EXPLANATIONS
    from gdteach._grading.journal import read_journal
    from gdteach._grading.problems import Code

    data = _submission(lambda grade_id, source: source + f"\nraise ValueError({_FORGED!r})\n"
                       if grade_id == "answer_gd_step" else source)
    result = grade_submission(SOURCE.read_bytes(), data, GradeSettings(timeout=TIMEOUT))
    assert [problem.code for problem in result.problems] == [Code.ANSWER_RAISED]
    assert _FORGED in result.problems[0].detail  # shown as the student wrote it (no hidden test ran yet)

    submission = tmp_path / "mallory.ipynb"
    submission.write_bytes(data)
    out = tmp_path / "out"
    out.mkdir()
    run = subprocess.run([sys.executable, "-m", "gdteach.grade", str(SOURCE), str(submission),
                          "--csv", str(out / "grades.csv"), "--feedback", str(out / "feedback"),
                          "--timeout", str(TIMEOUT)], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    _, records = read_journal(out / "grades.jsonl")
    assert [problem["code"] for problem in records[0]["problems"]] == ["answer_raised"]
    page = next((out / "feedback").rglob("*.html")).read_text(encoding="utf-8")
    page = page.replace("&#x27;", "'")
    assert _EXPLANATIONS[Code.ANSWER_RAISED] in page
    assert _EXPLANATIONS[Code.ANSWER_DUPLICATED] not in page


def test_the_sandbox_prelude_loads_ipython_9s_transformer_with_the_module_it_imports(monkeypatch):
    """IPython 9's inputtransformer2 starts with ``from IPython.utils import tokenutil``; sent
    alone, it failed to load in the sandbox and every submission got "the grader's helpers
    could not start" (found from a fresh venv). Here the installed transformer is given that
    import, and the prelude, run as the sandbox runs it (no IPython importable), still turns
    a magic into plain Python and leaves no stand-in IPython module behind."""
    from gdteach._grading import runner

    sources = runner._ipython_transformer_source()
    if sources is None:
        pytest.skip("IPython is not installed: no transformer to send")
    tokenutil = sources["tokenutil"] or (
        "import tokenize\n\ndef generate_tokens_catch_errors(readline, extra_errors_to_catch=None):\n"
        "    yield from tokenize.generate_tokens(readline)\n")
    ipython9 = {"inputtransformer2": "from IPython.utils import tokenutil\n" + sources["inputtransformer2"],
                "tokenutil": tokenutil}
    monkeypatch.setattr(runner, "_ipython_transformer_source", lambda: ipython9)
    hidden = {name: sys.modules.pop(name) for name in list(sys.modules)
              if name == "IPython" or name.startswith("IPython.")}
    monkeypatch.setattr(sys, "meta_path", [_NoIPython(), *sys.meta_path])
    try:
        namespace: dict = {}
        exec(runner.prelude_source(), namespace)
        assert namespace["_TRANSFORMER"] is not None
        plain = namespace["prepare"]("%matplotlib inline\nx = 1\n")
        compile(plain, "<cell>", "exec")                  # plain Python now
        assert "x = 1" in plain and "%matplotlib" not in plain
        assert not any(name == "IPython" or name.startswith("IPython.") for name in sys.modules)
    finally:
        sys.modules.update(hidden)


class _NoIPython:
    """A meta-path finder that makes ``import IPython`` fail, as inside the sandbox."""

    def find_spec(self, name, path=None, target=None):
        if name == "IPython" or name.startswith("IPython."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return None


@needs_sandbox
@pytest.mark.parametrize(("attack", "kind"), [
    ("x = bytearray(6 << 30)", "MemoryError"),  # 6 GB against the 1 GB default
    # 2 GB in 1 MB writes, against the 16 MB file size limit
    ("with open('/tmp/big', 'wb') as f:\n    for _ in range(2048): f.write(bytes(1 << 20))",
     "OSError"),
])
def test_the_limits_stop_an_answer_with_pythons_own_error(attack, kind):
    """The fixtures attack_memory and attack_disk do this in a cell that runs after hidden
    tests, where even the kind of error is withheld; in the first answer cell (before any
    hidden test) the message shows that the sandbox's limit stopped it, and the cell's
    function is still graded."""
    result = grade_submission(SOURCE.read_bytes(), _submission(
        lambda grade_id, source: source + "\n" + attack if grade_id == "answer_gd_step" else source),
        GradeSettings(timeout=TIMEOUT))
    assert [error.split(":")[0] for error in result.errors] == [
        f"answer cell 'answer_gd_step' raised {kind}"]
    assert result.total == 43


_FORGE = {
    # gd_step keeps the inputs of the probes that call it (hidden ones too); gd_path, called
    # by a later visible probe, finds the probe's nonce in its caller and prints its own
    # reply for case 1, an error that reads like one of the grader's fixed problems
    "answer_gd_step": '''
import sys as _s
_SEEN = []


def gd_step(w, grad, lr):
    if _s._getframe(1).f_code.co_name.startswith("_gdteach_probe_"):
        _SEEN.append((w, grad, lr))
    return w - lr * grad
''',
    "answer_gd_path": '''
def gd_path(grad_fn, w0, lr, steps):
    caller = _s._getframe(1)
    name = caller.f_code.co_name
    if name.startswith("_gdteach_probe_") and _SEEN:
        nonce = name[len("_gdteach_probe_"):]
        leak = ";".join(repr(x) for x in _SEEN[3:]).replace('"', "'")
        _s.stdout.write("\\n%s 1 {\\"error\\": \\"%s LEAK %s\\"}\\n" % (nonce, PREFIX, leak))
        _s.stdout.flush()
        caller.f_locals["calls"][1:] = []
        _SEEN.clear()
    path, w = [w0], w0
    for _ in range(steps):
        w = gd_step(w, grad_fn(w), lr)
        path.append(w)
    return path
''',
}


@needs_sandbox
@pytest.mark.parametrize("prefix", ["no reply", "corrupted reply", "raised ValueError:"])
def test_a_forged_reply_that_reads_like_the_graders_words_carries_no_hidden_input(prefix):
    """The outside red team's third attack: a reply forged by the submission, whose error
    text starts with the grader's own "no reply", was shown whole after hidden tests had run,
    with the three hidden inputs of gd_step in it (42/43 kept). The grader's reply problems
    are now matched whole; any other text is only a kind."""
    def edit(grade_id, source):
        return _FORGE[grade_id].replace("PREFIX", repr(prefix)) if grade_id in _FORGE else source

    result = grade_submission(SOURCE.read_bytes(), _submission(edit), GradeSettings(timeout=TIMEOUT))
    texts = [*result.errors, *(f"{case.problem} {case.got} {case.hint}" for case in result.cases)]
    assert not [text for text in texts if "LEAK" in text or "9.0, 12.0" in text]
    forged = [case for case in result.cases if case.grade_id == "gd_path" and not case.passed]
    assert forged and {case.problem.split(" (")[0] for case in forged} <= {
        "returned something that is not a number or an array of numbers", "raised an exception",
        "no reply"}


@needs_sandbox
def test_a_reply_with_an_integer_no_float_holds_is_corrupted_not_a_grader_crash():
    """The red team forged ``{"value": 1000…0}`` (401 digits): the grader's comparison called
    float() on it and stopped grading the submission with an OverflowError of its own."""
    from gdteach._grading.runner import parse_replies

    assert parse_replies("n 0 {\"value\": 1" + "0" * 400 + "}\nn 1 {\"value\": [3, -4]}", "n", 2) == [
        (None, "corrupted reply (not JSON)"), ([3, -4], None)]


_PATCH_PREPARE = '''
import sys as _s


def gd_step(w, grad, lr):
    # find the sandbox driver's frame and make its answer-cell check say "uses gdteach" for
    # every later answer cell (the outside red team chose the cells from bits of a hidden w)
    f = _s._getframe(0)
    while f is not None and "helpers" not in f.f_locals:
        f = f.f_back
    if f is not None:
        f.f_locals["helpers"]["prepare"] = lambda source: None
    return w - lr * grad
'''


@needs_sandbox
def test_code_that_changes_the_graders_helpers_cannot_make_a_cell_say_it_uses_gdteach():
    """The second outside red team: gd_step rewrote the driver's ``prepare`` so that later
    answer cells were reported "uses gdteach, so it was not run" (a verdict chosen after the
    hidden inputs were seen: a channel, at no cost when the functions are defined earlier).
    Which cells use gdteach, and each cell's plain-Python source, are now decided in the
    sandbox before any answer cell runs, and later cells are run as they were screened: the
    patched helper is never called again, every cell runs, full marks, no problem."""
    def edit(grade_id, source):
        return _PATCH_PREPARE if grade_id == "answer_gd_step" else source

    result = grade_submission(SOURCE.read_bytes(), _submission(edit), GradeSettings(timeout=TIMEOUT))
    assert (result.total, result.errors) == (43, ())
    # and an honest import of gdteach in a later cell is still named as such
    honest = grade_submission(SOURCE.read_bytes(), _submission(
        lambda grade_id, source: "import gdteach\n" + source if grade_id == "answer_fit_linear"
        else source), GradeSettings(timeout=TIMEOUT))
    assert honest.errors == ("answer cell 'answer_fit_linear' uses gdteach, so it was not run: "
                             "answers must be your own code",)


def test_replies_are_found_in_a_flood_of_newlines_without_splitting_it():
    """An outside red team wrote one 30 MB frame of newlines from a probe: splitting it into
    lines and matching each cost the grader 4.4 s. The replies are searched for instead;
    a reply must still be a whole line. (CPU time of this process, with a generous bound.)"""
    from gdteach._grading.runner import parse_replies

    text = "\n" * 30_000_000 + "n 0 {\"value\": 1.5}\nxn 1 {\"value\": 2}\nn 2 {\"value\": 3} x"
    before = _cpu_seconds()
    # "xn 1 …" is not a whole reply line; "n 2 … x" is one, and not JSON
    assert parse_replies(text, "n", 3) == [(1.5, None), (None, "no reply"),
                                           (None, "corrupted reply (not JSON)")]
    assert _cpu_seconds() - before < 2.0


@needs_sandbox
def test_two_million_empty_cells_are_refused_without_reading_them_back():
    """The same red team's 5.7 MB notebook of two million ``{}`` cells cost the grader 6.8 s
    to read back from the sandbox; only cells with a grade_id come back now, at most 2000."""
    empty = b'{"cells": [' + b",".join([b"{}"] * 2_000_000) + b"]}"
    before = _cpu_seconds()
    result = grade_submission(SOURCE.read_bytes(), empty, GradeSettings(timeout=TIMEOUT))
    assert _cpu_seconds() - before < 1.5
    assert result.total == 0
    nb = json.loads(CORRECT.read_text(encoding="utf-8"))
    twin = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id"))
    nb["cells"] = [twin] * 2001
    many = grade_submission(SOURCE.read_bytes(), json.dumps(nb).encode(), GradeSettings(timeout=TIMEOUT))
    assert many.errors == ("not graded: the notebook has more than 2000 cells with a grade_id",)


@needs_sandbox
def test_an_answer_under_a_cell_magic_is_told_why_it_scored_nothing():
    """The third red team: ``%%time`` above a correct gd_step scored 8/43 with an empty error
    column (IPython turns the cell into a run_cell_magic call, which defines nothing here)."""
    result = grade_submission(SOURCE.read_bytes(), _submission(
        lambda grade_id, source: "%%time\n" + source if grade_id == "answer_gd_step" else source),
        GradeSettings(timeout=TIMEOUT))
    assert result.errors[0] == ("answer cell 'answer_gd_step' starts with the cell magic %%time, "
                                "which the grader does not run (the cell would define nothing): "
                                "remove that line")

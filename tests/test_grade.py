"""gdteach.grade: bulk grading against what students really hand in, and the self-check.

The fixture submissions (exercises/fixtures/, all of exercise 02: gd_step 5 points, gd_path 5,
mse_gradient 4, fit_linear 5) are graded in one session-scoped call with ``--jobs 2``, so
each row also shows that the other submissions in the batch, attackers included, did not
disturb it; the machine is checked afterwards (no survivor, no planted or changed file).
"""

from __future__ import annotations

import atexit
import csv
import glob
import os
import re
import shutil
import site
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from gdteach import objectives, optim
from gdteach._grading.notebook import (
    SpecError,
    clear_hidden_tests,
    clear_solutions,
    grading_setup_source,
    read_spec,
)
from gdteach._grading.runner import (
    NO_SANDBOX_NOTE,
    GradeSettings,
    parse_replies,
    probe_source,
)
from gdteach._grading.selfcheck import expected_value, judge, uses_gdteach
from gdteach._grading.tasks import TASKS, plain, same
from gdteach.grade import CheckFailed, check, grade

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "02_update_rule.ipynb"
STUDENT = ROOT / "exercises" / "student" / "02_update_rule.ipynb"
FIXTURES = ROOT / "exercises" / "fixtures"
TIMEOUT = 2.0  # a fraction of a second works too
SECRET = "GDTEACH_TEST_SECRET"  # set while grading: a submission must not see it
#: the port on the host's loopback that the attack fixtures try to reach; while grading, the
#: test listens on a free port instead and writes it into a copy of the submission (two runs
#: of the suite on one machine must not share a port)
FIXTURE_PORT = 47813
#: the name the attack fixtures give their processes and the files they plant; the copies
#: graded carry this run's tag instead, of the same length (a process name has at most 15
#: bytes), so that another suite grading the same fixtures on this machine is not counted
FIXTURE_TAG = "gdteach-evil"
TAG = f"gdevil{os.getpid() % 1_000_000:06d}"
FULL = (12, 11, 8, 12)  # visible cases 1 point each, hidden ones 3

# submission -> (points for gd_step, gd_path, mse_gradient, fit_linear), text the error must
# contain ("" = the error column must be empty)
EXPECTED = {
    "correct": (FULL, ""),
    "student_unchanged": ((0, 0, 0, 0), ""),
    # gd_step uses float(): right for the 3 scalar cases (2 visible, 1 hidden: 2 + 3 points),
    # raises on the 3 array cases; gd_path hard-codes lr = 0.1: right for the 3 cases with
    # lr 0.1 (2 visible, 1 hidden: 2 + 3 points);
    # mse_gradient is twice too large: wrong on every case (none is at the minimum, where a
    # doubled gradient is still 0); fit_linear steps with that doubled gradient: wrong everywhere
    "partial": ((5, 5, 0, 0), ""),
    "infinite_loop": ((12, 11, 0, 0), f"answer cell 'answer_mse_gradient' did not finish within {TIMEOUT:g} s"),
    # sleeps from step 10 on: the visible cases (5 steps) and the first hidden one (4 steps)
    # are in before the hidden 20-step case times out
    "slow_function": ((12, 5, 0, 0), f"the tests of 'gd_path' (gd_path) did not finish within {TIMEOUT:g} s"),
    "crash": ((12, 11, 0, 0), "the kernel died while running answer cell 'answer_mse_gradient'"),
    "sys_exit": ((12, 0, 0, 0), "answer cell 'answer_gd_path' called sys.exit()"),
    "killed_kernel": ((12, 11, 8, 0), "the kernel died while running answer cell 'answer_fit_linear'"),
    "not_a_notebook": ((0, 0, 0, 0), "not a notebook: the file is not JSON"),
    "truncated": ((0, 0, 0, 0), "not a notebook: the file is not JSON"),
    # answer cell of mse_gradient deleted (fit_linear calls it, so it fails too), and a test
    # cell deleted (harmless: the instructor's tests are used)
    "cells_deleted": ((12, 11, 0, 0), "answer cell 'answer_mse_gradient' is missing"),
    "cells_reordered": (FULL, "cells were reordered"),
    "cell_renamed": ((12, 0, 8, 12), "cells with unknown grade_id ignored: 'my_gd_path'"),
    # documented rule: of two answer cells with one grade_id, the last is graded (here the
    # first is wrong, the last right)
    "duplicate_answers": (FULL, "answer cell 'answer_gd_step' appears 2 times: the last one was graded"),
    # tampering inside Python, on top of wrong answers: none of it earns a point
    "tamper_redefine_check": ((0, 0, 0, 0), ""),
    "tamper_monkeypatch": ((0, 0, 0, 0), ""),
    "tamper_always_equal": ((0, 0, 0, 0), ""),
    "tamper_fake_output": ((0, 0, 0, 0), ""),
    "tamper_edit_tests": ((0, 0, 0, 0), "test cell 'gd_step' was changed"),
    "tamper_patch_io": ((0, 0, 0, 0), ""),
    "nonce_leak": ((0, 0, 8, 0), ""),
    # gd_step and fit_linear call gdteach: not run; gd_path needs gd_step; mse_gradient is own code
    "uses_gdteach": ((0, 0, 8, 0), "answer cell 'answer_gd_step' uses gdteach, so it was not run"),
    # fit_linear imports gdteach under a disguised name, inside the function: the text check
    # cannot see it, and the sandbox has no gdteach
    "uses_gdteach_hidden": ((12, 11, 8, 0), ""),
    # attacks from the operating system's side (issue 12); an attack that worked would earn
    # points (attack_escape: each task is right only if its attack succeeds) or break a row
    # -- gdteach from disk, the instructor notebook, the network, the grader's environment:
    "attack_escape": ((0, 0, 0, 0), ""),
    # -- a .pth in site-packages, the editable install, kernelspecs, IPython startup, $HOME:
    "attack_plant": (FULL, ""),
    # -- a daemon that outlives its kernel to rewrite CSVs and notebooks and kill kernels:
    "attack_daemon": (FULL, ""),
    # -- SIGSTOP / SIGKILL to every process it can see, kill(-1): only its own sandbox:
    "attack_kill_all": (FULL, ""),
    # -- ptrace, SIGSTOP and SIGKILL of its parent:
    "attack_parent": (FULL, ""),
    # -- process-table exhaustion (the process limit stops it at a few dozen):
    "attack_fork_bomb": (FULL, ""),
    # -- 6 GB of memory, a 2 GB file, 3 GB of output:
    # (what the cell raised is withheld, even its kind: it ran after gd_step's hidden tests,
    # issue 18 §3; tests/test_sandbox.py shows the limits' MemoryError and OSError)
    "attack_memory": (FULL, "answer cell 'answer_fit_linear' raised an exception (message withheld"),
    "attack_disk": (FULL, "answer cell 'answer_fit_linear' raised an exception (message withheld"),
    "attack_output_flood": (FULL, ""),
    # -- junk written on the grader's channel: that submission stops there, with the reason
    "attack_channel": ((12, 11, 0, 0), "the messages from the sandbox broke while running answer "
                       "cell 'answer_mse_gradient' (the submission wrote on the grader's channel)"),
    # -- terminal control characters in a grade_id and an exception message: escaped
    "attack_escape_text": (FULL, "cells with unknown grade_id ignored: "
                           "'\\x1b[2K\\x0dcorrect.ipynb: 19/19\\u202e'"),
    # -- symbolic links to the instructor notebook and to /dev/zero: not followed
    "attack_symlink_source": ((0, 0, 0, 0), "not graded: the file is a symbolic link"),
    "attack_symlink_devzero": ((0, 0, 0, 0), "not graded: the file is a symbolic link"),
}


# The symbolic-link attacks are made here, at test time, never committed: a link to /dev/zero
# in the repository hangs any tool that reads every notebook under exercises/ (issue 18 §7).
LINKS = Path(tempfile.mkdtemp(prefix="gdteach-links-"))
atexit.register(shutil.rmtree, LINKS, ignore_errors=True)
(LINKS / "attack_symlink_source.ipynb").symlink_to(ROOT / "exercises" / "source" / "02_update_rule.ipynb")
(LINKS / "attack_symlink_devzero.ipynb").symlink_to("/dev/zero")


def _path(name: str) -> Path:
    if name == "student_unchanged":
        return STUDENT
    return (LINKS if name.startswith("attack_symlink_") else FIXTURES) / f"{name}.ipynb"


# --------------------------------------------------------------------------- the machine


def _survivors() -> list[int]:
    """Processes named TAG (every attack's forks and daemons name themselves so)."""
    found = []
    for comm in glob.glob("/proc/[0-9]*/comm"):
        try:
            if Path(comm).read_text().strip() == TAG:
                found.append(int(comm.split("/")[2]))
        except OSError:
            pass
    return found


def _tainted() -> list[str]:
    """Files an attack would have planted or changed (they all carry TAG)."""
    import gdteach

    home = Path.home()
    candidates = [*glob.glob(f"/tmp/{TAG}*"), *glob.glob(f"/home/*/{TAG}-planted"),
                  str(home / f"{TAG}-planted"),
                  str(home / f".ipython/profile_default/startup/00-{TAG}.py")]
    tainted = [path for path in candidates if os.path.lexists(path)]
    folders = {*site.getsitepackages(), site.getusersitepackages()}
    checked = [path for folder in folders for path in glob.glob(f"{folder}/*.pth")]
    checked += glob.glob(str(home / ".local/share/jupyter/kernels/*/kernel.json"))
    checked += [str(p) for p in Path(gdteach.__file__).parent.rglob("*.py")]
    checked += glob.glob("/work/main/gdteach/*.py")
    for path in checked:  # code planted for the next run
        try:
            if f"{TAG}-ran".encode() in Path(path).read_bytes():
                tainted.append(path)
        except OSError:
            pass
    for path in (ROOT / "exercises").rglob("*.ipynb"):  # submissions overwritten
        if not path.is_symlink() and path.read_bytes().startswith(TAG.encode()):
            tainted.append(str(path))
    return tainted


class _Listener:
    """A TCP server on the host's loopback that counts who connects."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.server.settimeout(0.2)
        self.connections, self.running = 0, True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


class _Watched:
    """What a grading call saw: its results, and who connected to the listener."""

    def __init__(self, results: dict, connections: int, paths: dict) -> None:
        self.results, self.connections, self.paths = results, connections, paths


def _aimed_at(path: Path, port: int, folder: Path) -> Path:
    """``path``, or a copy of it in ``folder`` that tries ``port`` where the fixture tries
    FIXTURE_PORT and names what it starts and plants TAG, not FIXTURE_TAG (the linked
    attacks are left alone: one links to /dev/zero)."""
    if path.is_symlink() or not path.is_file():
        return path
    data = path.read_bytes()
    aimed = (data.replace(str(FIXTURE_PORT).encode(), str(port).encode())
             .replace(FIXTURE_TAG.encode(), TAG.encode()))
    if aimed == data:
        return path
    copy = folder / path.name
    copy.write_bytes(aimed)
    return copy


def _grade_watched(names: list[str], settings: GradeSettings) -> _Watched:
    listener = _Listener()
    os.environ[SECRET] = "1"
    try:
        with tempfile.TemporaryDirectory() as folder:
            paths = [_aimed_at(_path(name), listener.port, Path(folder)) for name in names]
            results = grade(SOURCE, paths, jobs=2, settings=settings)
    finally:
        del os.environ[SECRET]
        listener.close()
    return _Watched(dict(zip(names, results)), listener.connections, dict(zip(names, paths)))


@pytest.fixture(scope="session")
def graded():
    before = (_survivors(), _tainted())
    assert before == ([], []), "the machine is already tainted by an earlier run"
    return _grade_watched(list(EXPECTED), GradeSettings(timeout=TIMEOUT))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_fixture_submission_gets_its_expected_score(graded, name):
    points, error = EXPECTED[name]
    result = graded.results[name]
    assert result.submission == str(graded.paths[name])  # _path(name), or its copy aimed at the listener
    assert tuple(result.scores.values()) == points
    assert list(result.scores) == ["gd_step", "gd_path", "mse_gradient", "fit_linear"]
    assert result.max_points == 43
    assert result.total == sum(points)
    if error:
        assert error in "; ".join(result.errors)
    else:
        assert result.errors == ()


def test_nothing_outlives_a_submission_or_changes_the_machine(graded):
    deadline = time.monotonic() + 5
    while _survivors() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _survivors() == []
    assert _tainted() == []
    assert glob.glob("/tmp/gdteach-nosandbox-*") == []  # --no-sandbox folders are removed
    assert graded.connections == 0  # no submission reached the host's network


def test_student_controlled_text_is_escaped(graded):
    for result in graded.results.values():
        texts = [*result.errors, *(c.problem for c in result.result.cases)]
        assert not [t for t in texts if re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", t)]
    # the message itself is withheld: the cell ran after a hidden test (issue 18 §3)
    assert ("answer cell 'answer_fit_linear' raised an exception (message withheld: it ran after a "
            "hidden test had shown your code its inputs)") in graded.results["attack_escape_text"].errors


def test_without_a_sandbox_the_escape_attack_works():
    """The control for attack_escape: with --no-sandbox, three of its four attacks succeed
    (gdteach read from disk, the instructor's solutions, the network), so its 0 in the
    sandbox is the sandbox's doing; every row then carries the warning. (The environment
    is cleared even then: fit_linear still scores 0.)"""
    watched = _grade_watched(["attack_escape"], GradeSettings(timeout=TIMEOUT, sandbox="none"))
    result = watched.results["attack_escape"]
    assert tuple(result.scores.values()) == (12, 11, 8, 0)
    assert result.errors == (NO_SANDBOX_NOTE,)
    assert watched.connections >= 1


def test_partial_credit_is_per_test_case(graded):
    # gd_step of the partial submission: exactly the three scalar cases pass
    outcomes = graded.results["partial"].outcomes["gd_step"]
    assert [o.passed for o in outcomes] == [True, True, False, True, False, False]
    assert [o.points for o in outcomes] == [1, 1, 0, 3, 0, 0]
    assert "raised TypeError" in outcomes[2].problem


def test_forged_reply_lines_void_the_case(graded):
    # tamper_fake_output writes extra lines with the grader's nonce: both lines are discarded
    problems = {o.problem for o in graded.results["tamper_fake_output"].outcomes["gd_step"]}
    assert "corrupted reply (answered twice)" in problems


def test_every_probe_gets_a_fresh_random_nonce(graded):
    # nonce_leak's gd_step returns the first 8 hex digits of the nonce of the probe calling
    # it: the visible probe's 3 cases share one, the hidden probe's 3 cases another
    got = [int(float(o.got)) for o in graded.results["nonce_leak"].outcomes["gd_step"]]
    assert len(got) == 6 and len(set(got[:3])) == 1 and len(set(got[3:])) == 1
    assert got[0] != got[3] and all(value >= 0 for value in got)


def test_gdteach_cannot_be_imported_while_grading(graded):
    outcomes = graded.results["uses_gdteach_hidden"].outcomes["fit_linear"]
    assert len(outcomes) == 6 and not any(o.passed for o in outcomes)
    # fit_linear's visible checks run after gd_step's hidden tests: its message is withheld
    # too (issue 18 §3); the visible checks of the first task show it (test_sandbox.py)
    assert {o.problem for o in outcomes if not o.hidden} == {
        "raised an exception (message withheld: it ran after a hidden test had shown your "
        "code its inputs)"}
    # a hidden case's exception message is withheld (it could quote the hidden inputs)
    assert {o.problem for o in outcomes if o.hidden} == {
        "raised an exception (message withheld: a hidden test)"}


CLI_NAMES = ["correct", "partial", "attack_daemon", "attack_kill_all", "attack_escape_text"]


def test_cli_writes_what_the_in_process_grading_found(graded, tmp_path):
    """One CLI run (--jobs 2), compared with the session's in-process grading of the same
    submissions: two independent gradings agree on every number."""
    paths = [str(_path(name)) for name in CLI_NAMES]
    out = tmp_path / "grades.csv"
    subprocess.run([sys.executable, "-m", "gdteach.grade", str(SOURCE), *paths, "--csv", str(out),
                    "--timeout", str(TIMEOUT), "--jobs", "2"],
                   check=True, cwd=ROOT, capture_output=True, text=True)
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["submission"] for row in rows] == paths
    for name, row in zip(CLI_NAMES, rows):
        result = graded.results[name]
        for column, points in result.scores.items():
            assert float(row[column]) == points, (name, column)
        assert (float(row["total"]), float(row["max"])) == (result.total, result.max_points)
        assert bool(row["error"]) == bool(result.errors)
    # no terminal control character or bidirectional override reaches the CSV
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f\u202a-\u202e]", out.read_text(encoding="utf-8"))


def test_cli_rejects_missing_arguments():
    result = subprocess.run([sys.executable, "-m", "gdteach.grade", str(SOURCE)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "--csv" in result.stderr


# --------------------------------------------------------------------------- replies


def test_parse_replies_accepts_only_well_formed_lines_with_the_nonce():
    nonce = "ab" * 16
    text = (
        "All checks passed.\n"                       # fake "passed" lines are ignored
        '{"value": 0.6}\n'                           # a reply without the nonce is ignored
        f"\n{nonce} 0 " + '{"value": 0.6}\n'
        f"{nonce} 1 " + '{"error": "raised NotImplementedError"}\n'
        f"{nonce} 2 " + '{"value": [1.0, [2, true]]}\n'
        f"{nonce} 3 " + '{"value": "0.6"}\n'         # a string is not plain data
        f"{nonce} 4 " + '{"value": 0.6, "ok": true}\n'  # extra keys
        f"{nonce} 5 " + '{"value": 0.6\n'            # not JSON
        f"{nonce} 6 " + '{"value": 1.0}\n'
        f"{nonce} 6 " + '{"value": 1.0}\n'           # answered twice
        f"{'cd' * 16} 7 " + '{"value": 1.0}\n'       # another nonce
    )
    replies = parse_replies(text, nonce, 8)
    assert replies == [
        (0.6, None),
        (None, "raised NotImplementedError"),
        ([1.0, [2, True]], None),
        (None, "corrupted reply (not plain data)"),
        (None, "corrupted reply (not plain data)"),
        (None, "corrupted reply (not JSON)"),
        (None, "corrupted reply (answered twice)"),
        (None, "no reply"),
    ]


def test_parse_replies_refuses_a_reply_longer_than_a_probe_can_print():
    nonce = "0f" * 16
    long = "[" + ", ".join(["1.5"] * 300_000) + "]"  # 1.5 MB
    assert parse_replies(f"{nonce} 0 " + '{"value": ' + long + "}\n", nonce, 1) == [
        (None, "corrupted reply (too long)")]


def test_parse_replies_counts_only_whole_lines():
    # a line with anything before the nonce or after the JSON is not a reply (fullmatch,
    # not search): print(f"... {nonce} 0 ...") inside a message cannot answer a case
    nonce = "0f" * 16
    text = (f"x{nonce} 0 " + '{"value": 1.0}\n' + f" {nonce} 1 " + '{"value": 1.0}\n'
            + f"{nonce} 2 " + '{"value": 1.0}\n')
    assert parse_replies(text, nonce, 3) == [(None, "no reply"), (None, "no reply"), (1.0, None)]


def test_probe_runs_and_replies_in_plain_python():
    spec = read_spec(SOURCE)
    probe = spec.tests[1].probes[0]  # gd_path, visible cases
    namespace = {"gd_path": lambda grad_fn, w0, lr, steps: [w0] * (steps + 1)}
    nonce = "12" * 16
    lines: list[str] = []

    class Capture:
        def write(self, text):
            lines.append(text)

        def flush(self):
            pass

    real = sys.stdout
    sys.stdout = Capture()
    try:
        exec(probe_source(probe, nonce), namespace)
    finally:
        sys.stdout = real
    replies = parse_replies("".join(lines), nonce, len(probe.cases))
    assert replies == [([0.0] * 6, None), ([5.0] * 6, None)]


# --------------------------------------------------------------------------- judging


def test_same_keeps_bools_numbers_and_shapes_apart():
    assert same(0.6, 0.6000000000000001, rtol=1e-9, atol=0.0)
    assert not same(0.6, 0.61, rtol=1e-9, atol=0.0)
    assert not same(1.0, True, rtol=0.0, atol=0.0)
    assert not same(True, 1.0, rtol=0.0, atol=0.0)
    assert not same([0.6], 0.6, rtol=0.0, atol=0.0)
    assert not same([1.0, 2.0], [1.0, 2.0, 3.0], rtol=0.0, atol=0.0)
    assert not same(1.0, float("nan"), rtol=1.0, atol=1.0)
    assert same(float("inf"), float("inf"), rtol=0.0, atol=0.0)


def test_plain_rejects_what_is_not_numbers():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    assert plain((np.float64(0.5), np.array([1, 2]), np.bool_(True))) == [0.5, [1.0, 2.0], True]
    for bad in (AlwaysEqual(), None, "0.6", {"value": 0.6}, np.array(["a"]), 1j):
        with pytest.raises(TypeError):
            plain(bad)


def test_judge_scores_points_and_keeps_errors():
    task = TASKS["gd_step"]
    case = {"w": 0.0, "grad": -6.0, "lr": 0.1, "points": 2}
    want = expected_value(task, case)
    assert judge(task, case, want, got=0.6).points == 2.0
    failed = judge(task, case, want, error="raised NotImplementedError")
    assert failed.points == 0.0 and "raise NotImplementedError()" in failed.hint


def test_uses_gdteach_sees_imports_names_and_strings_but_not_comments():
    assert uses_gdteach("import gdteach")
    assert uses_gdteach("from gdteach.optim import Adam as A")
    assert uses_gdteach("m = __import__('gdteach')")
    assert not uses_gdteach("import numpy as np  # gdteach does this too")


# --------------------------------------------------------------------------- references


def test_references_match_closed_forms():
    def ref(task, **case):
        return expected_value(TASKS[task], case)

    # (w − 3)² from 0 with lr 0.1: w_k = 3 − 3·0.8^k (article D's table)
    path = ref("gd_path", grad_fn="shifted_square_grad", w0=0.0, lr=0.1, steps=5)
    assert np.allclose(path, [3 - 3 * 0.8**k for k in range(6)], rtol=1e-14)
    assert ref("derivative", f="cube", x=1.0, h=0.1) == pytest.approx(3.01, rel=1e-12)
    assert ref("contraction_factor", c=1.0, lr=0.1) == pytest.approx(0.8, rel=1e-14)
    assert ref("largest_stable_lr", c=4.0, lo=0.0, hi=1.0, iters=50) == 0.25
    assert ref("step_decay", lr0=0.1, factor=0.1, every=10, t=25) == pytest.approx(0.001)
    assert ref("diverges", c=0.5, lr=3.0, w0=2.0, steps=2000) is True
    assert ref("mse_gradient", theta=[0.0, 0.0], X=[[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]],
               y=[2.0, 4.0, 6.0]) == pytest.approx([-28 / 3, -4.0])
    # Adam's first step moves by lr · g / (|g| + eps)
    x_new, m, v = ref("adam_step", x=[1.0], grad=[5.0], m=[0.0], v=[0.0], t=1, lr=0.1,
                      beta1=0.9, beta2=0.999, eps=1e-8)
    assert x_new == pytest.approx([1.0 - 0.1 * 5.0 / (5.0 + 1e-8)], abs=1e-15)
    assert m == pytest.approx([0.5]) and v == pytest.approx([0.025])


def test_minibatch_reference_matches_an_independent_loop():
    X = np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0], [5.0, 1.0]])
    y = np.array([2.0, 4.0, 5.0, 4.0, 5.0])
    rng, theta = np.random.default_rng(3), np.zeros(2)
    for _ in range(7):
        order = rng.permutation(5)
        for start in range(0, 5, 2):
            rows = order[start : start + 2]
            theta = theta - 0.05 * X[rows].T @ (X[rows] @ theta - y[rows]) / len(rows)
    got = expected_value(TASKS["minibatch_sgd"], {
        "X": X.tolist(), "y": y.tolist(), "lr": 0.05, "batch_size": 2, "epochs": 7, "seed": 3})
    assert np.allclose(got, theta, rtol=1e-12, atol=1e-14)


def test_momentum_and_adam_references_are_gdteach_optim():
    x, g, buf = np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([1.0, -1.0])
    opt = optim.SGD(lr=0.05, momentum=0.5)
    want, state = opt.step(x, g, optim.SGDState(step=3, momentum_buffer=buf))
    got = expected_value(TASKS["momentum_step"], {"x": x.tolist(), "grad": g.tolist(),
                                                   "buf": buf.tolist(), "lr": 0.05, "momentum": 0.5})
    assert np.array_equal(got[0], want) and np.array_equal(got[1], state.momentum_buffer)
    traj = [np.array([-1.5, 1.5])]
    opt, state = optim.Adam(lr=0.01), None
    state = opt.init(traj[0])
    for _ in range(5):
        x_next, state = opt.step(traj[-1], objectives.rosenbrock.grad(traj[-1]), state)
        traj.append(x_next)
    got = expected_value(TASKS["adam_path"], {"grad_fn": "rosenbrock_grad", "x0": [-1.5, 1.5],
                                              "lr": 0.01, "steps": 5})
    assert np.allclose(got, np.array(traj), rtol=1e-13, atol=0)


# --------------------------------------------------------------------------- self-check


def test_check_explains_a_wrong_answer(capsys):
    def derivative(f, x, h=1e-5):
        return (f(x + h) - f(x)) / h  # the forward difference

    with pytest.raises(CheckFailed, match="1 of 2 derivative checks failed"):
        check("derivative", derivative, [{"f": "cube", "x": 1.0, "h": 0.1},
                                         {"f": "cube", "x": 2.0, "h": 1e-12}])
    out = capsys.readouterr().out
    assert "✗ derivative(f=cube, x=1.0, h=0.1)" in out
    assert "expected 3.01" in out and "got      3.31" in out
    assert "That is the forward difference" in out
    assert "where cube is lambda x: x ** 3" in out
    assert "1 of 2 checks passed." in out


def test_check_reports_passes_and_hides_hidden_details(capsys):
    def gd_step(w, grad, lr):
        return w - lr * grad

    check("gd_step", gd_step, [{"w": 0.0, "grad": -6.0, "lr": 0.1},
                               {"w": [1.0, 2.0], "grad": [0.5, -1.0], "lr": 0.2}])
    assert capsys.readouterr().out == (
        "✓ gd_step(w=0.0, grad=-6.0, lr=0.1) returned 0.6\n"
        "✓ gd_step(w=[1.0, 2.0], grad=[0.5, -1.0], lr=0.2) returned [0.9, 2.2]\n"
        "All 2 checks passed.\n"
    )
    check("gd_step", gd_step, [{"w": 9.0, "grad": 12.0, "lr": 1.5}], hidden=True)
    assert capsys.readouterr().out == "Hidden tests for gd_step: 1 of 1 passed.\n"


@pytest.mark.parametrize("function, message", [
    (lambda w, grad, lr: exec("raise NotImplementedError()"), "raise NotImplementedError()"),
    (lambda w, grad, lr: None, "did you forget the return statement?"),
    (lambda w, grad, lr: "0.6", "returned a str, not a number"),
    (lambda w, grad, lr: w + lr * grad, "You stepped uphill"),
    (lambda w, grad, lr: [w - lr * grad], "expected a number, got a list of 1"),
])
def test_check_gives_the_hint_for_the_mistake(capsys, function, message):
    with pytest.raises(CheckFailed):
        check("gd_step", function, [{"w": 0.0, "grad": -6.0, "lr": 0.1}])
    assert message in capsys.readouterr().out


def _diverges_forgetting_nan(c, lr, w0, steps):
    w = w0
    for _ in range(steps):
        w = w - lr * 2 * c * w  # overflows to inf, then inf - inf = nan
    return abs(w) > abs(w0)


MISTAKES = [
    ("mse_gradient", lambda theta, X, y: 2 * X.T @ (X @ theta - y) / len(y),
     {"theta": [0.0, 0.0], "X": [[1.0, 1.0], [2.0, 1.0]], "y": [1.0, 3.0]}, "Twice too large"),
    ("epoch_orders", lambda n, epochs, seed: [np.random.default_rng(seed).permutation(n)
                                              for _ in range(epochs)],
     {"n": 5, "epochs": 2, "seed": 0}, "re-created the generator"),
    ("make_batches", lambda order, b: [order[i:i + b] for i in range(0, len(order) - b + 1, b)],
     {"order": [4, 0, 3, 1, 2], "batch_size": 2}, "dropped the last"),
    ("step_decay", lambda lr0, factor, every, t: lr0 * factor ** (t / every),
     {"lr0": 0.1, "factor": 0.1, "every": 10, "t": 15}, "decays smoothly"),
    ("diverges", _diverges_forgetting_nan,
     {"c": 0.5, "lr": 3.0, "w0": 2.0, "steps": 2000}, "nan > anything is False"),
    ("rmsprop_step", lambda x, g, sq, lr, a, eps: (
        x - lr * g / np.sqrt(a * sq + (1 - a) * g * g + eps), a * sq + (1 - a) * g * g),
     {"x": [1.0], "grad": [1e-4], "sq": [0.0], "lr": 0.01, "alpha": 0.9, "eps": 1e-3},
     "inside the square root"),
    ("adam_step", lambda x, g, m, v, t, lr, b1, b2, eps: (
        x - lr * (b1 * m + (1 - b1) * g) / (np.sqrt(b2 * v + (1 - b2) * g * g) + eps),
        b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g),
     {"x": [1.0], "grad": [5.0], "m": [0.0], "v": [0.0], "t": 1, "lr": 0.1, "beta1": 0.9,
      "beta2": 0.999, "eps": 1e-8}, "No bias correction"),
    ("momentum_step", lambda x, g, buf, lr, mu: (x - lr * (1 - mu) * g, (1 - mu) * g),
     {"x": [1.0], "grad": [2.0], "buf": None, "lr": 0.1, "momentum": 0.9}, "moving-average form"),
]


@pytest.mark.parametrize("task, function, case, hint", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_common_mistakes_get_their_own_hint(capsys, task, function, case, hint):
    with pytest.raises(CheckFailed):
        check(task, function, [case])
    assert hint in capsys.readouterr().out


def test_check_refuses_answers_that_call_gdteach(capsys):
    def gd_step(w, grad, lr):
        import gdteach

        opt = gdteach.optim.SGD(lr=lr)
        return opt.step(w, grad, opt.init(w))[0]

    with pytest.raises(CheckFailed):
        check("gd_step", gd_step, [{"w": 0.0, "grad": -6.0, "lr": 0.1}])
    assert "uses gdteach" in capsys.readouterr().out
    # imported in the answer cell, used by name in the function
    namespace: dict = {}
    exec("from gdteach.optim import SGD\n"
         "def gd_step(w, grad, lr):\n"
         "    return SGD(lr=lr).step(w, grad, SGD(lr=lr).init(w))[0]\n", namespace)
    with pytest.raises(CheckFailed):
        check("gd_step", namespace["gd_step"], [{"w": 0.0, "grad": -6.0, "lr": 0.1}])
    assert "uses gdteach" in capsys.readouterr().out


# a learner's exercise 02, as cells: right answers, with the listed ones swapped for wrong ones
LEARNER_02 = {
    "gd_step": "def gd_step(w, grad, lr):\n    return w - lr * grad\n",
    "gd_path": ("def gd_path(grad_fn, w0, lr, steps):\n    path = [w0]\n"
                "    for _ in range(steps):\n        path.append(gd_step(path[-1], grad_fn(path[-1]), lr))\n"
                "    return path\n"),
    "mse_gradient": "def mse_gradient(theta, X, y):\n    return X.T @ (X @ theta - y) / len(y)\n",
    "fit_linear": ("def fit_linear(X, y, lr, steps):\n    theta = np.zeros(X.shape[1])\n"
                   "    for _ in range(steps):\n"
                   "        theta = gd_step(theta, mse_gradient(theta, X, y), lr)\n    return theta\n"),
}
C_DATA = {"X": [[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]], "y": [2.0, 4.0, 6.0]}


def _learner(**wrong) -> dict:
    namespace: dict = {"np": np}
    for name, source in LEARNER_02.items():
        exec(wrong.get(name, source), namespace)
    return namespace


def _feedback(capsys, task, function, cases) -> str:
    with pytest.raises(CheckFailed):
        check(task, function, cases)
    return capsys.readouterr().out


@pytest.mark.parametrize("wrong", [
    "def mse_gradient(theta, X, y):\n    return 2 * X.T @ (X @ theta - y) / len(y)\n",
    "def mse_gradient(theta, X, y):\n    return X.T @ (y - X @ theta) / len(y)\n",
])
def test_a_later_task_blames_the_earlier_function_that_still_fails(capsys, wrong):
    learner = _learner(mse_gradient=wrong)
    out = _feedback(capsys, "fit_linear", learner["fit_linear"], [{**C_DATA, "lr": 0.1, "steps": 2}])
    assert "hint: your mse_gradient still fails task 3's checks; fix it first" in out
    assert "gd_step still fails" not in out  # gd_step is right
    assert "Your steps are twice too long" not in out


def test_a_later_task_blames_itself_when_the_earlier_functions_pass(capsys):
    loop = LEARNER_02["fit_linear"].replace("range(steps)", "range(steps + 1)")
    learner = _learner(fit_linear=loop)
    out = _feedback(capsys, "fit_linear", learner["fit_linear"], [{**C_DATA, "lr": 0.1, "steps": 2}])
    assert "still fails" not in out
    assert "You made 3 updates (steps + 1), one too many" in out


def _namespace(source: str) -> dict:
    namespace: dict = {"np": np}
    exec(source, namespace)
    return namespace


ADAM = """
def adam_step(x, grad, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return x - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v

def adam_path(grad_fn, x0, lr, steps):
    x = np.asarray(x0, dtype=float)
    m, v, path = np.zeros_like(x), np.zeros_like(x), [x]
    for t in range(1, steps + 1):
        x, m, v = adam_step(x, grad_fn(x), m, v, t, lr, 0.9, 0.999, 1e-8)
        path.append(x)
    return np.array(path)
"""
MINIBATCH = """
def make_batches(order, batch_size):
    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]

def epoch_orders(n, epochs, seed):
    rng = np.random.default_rng(seed)
    return [rng.permutation(n) for _ in range(epochs)]

def batch_gradient(theta, X, y, rows):
    return X[rows].T @ (X[rows] @ theta - y[rows]) / len(rows)

def minibatch_sgd(X, y, lr, batch_size, epochs, seed):
    theta = np.zeros(X.shape[1])
    for order in epoch_orders(len(y), epochs, seed):
        for rows in make_batches(order, batch_size):
            theta = theta - lr * batch_gradient(theta, X, y, rows)
    return theta
"""
B_DATA = {"X": [[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0], [5.0, 1.0]],
          "y": [2.0, 4.0, 5.0, 4.0, 5.0]}
DEPENDENT = [
    ("gd_path", LEARNER_02["gd_path"].replace("def gd_path", "def gd_step(w, grad, lr):\n"
                                              "    return w + lr * grad\n\ndef gd_path"),
     {"grad_fn": "square_grad", "w0": 5.0, "lr": 0.1, "steps": 3}, "gd_step", 1),
    ("adam_path", ADAM.replace("1 - beta1 ** t", "1"),
     {"grad_fn": "rosenbrock_grad", "x0": [-1.5, 1.5], "lr": 0.01, "steps": 3}, "adam_step", 3),
    ("minibatch_sgd", MINIBATCH.replace("/ len(rows)", "/ len(y)"),
     {**B_DATA, "lr": 0.05, "batch_size": 2, "epochs": 2, "seed": 0}, "batch_gradient", 3),
    ("minibatch_sgd", MINIBATCH.replace("rng.permutation(n) for", "np.random.default_rng(seed)"
                                        ".permutation(n) for"),
     {**B_DATA, "lr": 0.05, "batch_size": 2, "epochs": 2, "seed": 0}, "epoch_orders", 2),
]


@pytest.mark.parametrize("task, source, case, earlier, number", DEPENDENT,
                         ids=[f"{d[0]}-{d[3]}" for d in DEPENDENT])
def test_dependent_tasks_of_every_notebook_blame_the_earlier_function(capsys, task, source, case,
                                                                      earlier, number):
    out = _feedback(capsys, task, _namespace(source)[task], [case])
    assert f"hint: your {earlier} still fails task {number}'s checks; fix it first" in out


@pytest.mark.parametrize("source, task, case, hint", [
    (LEARNER_02["gd_path"].replace("range(steps)", "range(steps - 1)"), "gd_path",
     {"grad_fn": "shifted_square_grad", "w0": 0.0, "lr": 0.1, "steps": 5},
     "You made 4 updates (steps − 1), one too few: steps = 5 means exactly 5 updates"),
    (LEARNER_02["gd_path"].replace("range(steps)", "range(steps + 1)"), "gd_path",
     {"grad_fn": "shifted_square_grad", "w0": 0.0, "lr": 0.1, "steps": 5},
     "You made 6 updates (steps + 1), one too many"),
    (LEARNER_02["fit_linear"].replace("range(steps)", "range(steps - 1)"), "fit_linear",
     {**C_DATA, "lr": 0.1, "steps": 1000}, "You made 999 updates (steps − 1), one too few"),
    (ADAM.replace("range(1, steps + 1)", "range(steps)"), "adam_path",
     {"grad_fn": "rosenbrock_grad", "x0": [-1.5, 1.5], "lr": 0.01, "steps": 50},
     "t starts at 1: with t = 0 the bias correction 1 − β⁰ = 0 divides by zero"),
])
def test_off_by_one_mistakes_get_their_own_hint(capsys, source, task, case, hint):
    namespace = _namespace(LEARNER_02["gd_step"] + LEARNER_02["mse_gradient"] + source)
    out = _feedback(capsys, task, namespace[task], [case])
    assert hint in out and "still fails" not in out


def test_visible_mse_gradient_checks_catch_sign_and_scale_errors(capsys):
    spec = read_spec(SOURCE)
    (probe,) = [p for t in spec.tests for p in t.probes if p.task == "mse_gradient" and not p.hidden]
    for wrong in ("2 * X.T @ (X @ theta - y) / len(y)", "X.T @ (y - X @ theta) / len(y)"):
        function = _namespace(f"def mse_gradient(theta, X, y):\n    return {wrong}\n")["mse_gradient"]
        out = _feedback(capsys, "mse_gradient", function, list(probe.cases))
        assert f"0 of {len(probe.cases)} checks passed." in out


# --------------------------------------------------------------------------- notebook format


def test_clear_solutions_and_hidden_tests_follow_nbgrader():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    assert clear_solutions(source) == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    tests = 'check("a", f, [])\n### BEGIN HIDDEN TESTS\ncheck("a", f, [], hidden=True)\n### END HIDDEN TESTS'
    assert clear_hidden_tests(tests) == 'check("a", f, [])'
    with pytest.raises(SpecError):
        clear_solutions("### BEGIN SOLUTION\nx = 1\n")


def _spec_with_test_cell(tmp_path, source, points, setup=None):
    import nbformat

    def meta(grade_id, **flags):
        return {"nbgrader": {"grade": False, "solution": False, "locked": False, "task": False,
                             "schema_version": 3, "grade_id": grade_id, **flags}}

    nb = nbformat.v4.new_notebook(cells=[
        *([nbformat.v4.new_code_cell(setup, metadata=meta("setup", locked=True))] if setup else []),
        nbformat.v4.new_code_cell("def gd_step(w, grad, lr):\n    ### BEGIN SOLUTION\n"
                                  "    return w - lr * grad\n    ### END SOLUTION",
                                  metadata=meta("answer", solution=True)),
        nbformat.v4.new_code_cell(source, metadata=meta("t", grade=True, locked=True, points=points)),
    ])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return read_spec(path)


def test_read_spec_reads_the_cases_of_a_test_cell(tmp_path):
    cell = ('from gdteach.grade import check\ncheck("gd_step", gd_step, [{"w": 0.0, "grad": 1.0, '
            '"lr": 0.1, "points": 2}])\n### BEGIN HIDDEN TESTS\ncheck("gd_step", gd_step, '
            '[{"w": 1.0}], hidden=True)\n### END HIDDEN TESTS')
    spec = _spec_with_test_cell(tmp_path, cell, 5)
    (test,) = spec.tests
    assert [(p.task, p.function, p.hidden, len(p.cases)) for p in test.probes] == [
        ("gd_step", "gd_step", False, 1), ("gd_step", "gd_step", True, 1)]
    # the visible case says 2 points; the hidden one says none: a hidden case is worth 3
    assert [p.points for p in test.probes] == [(2,), (3,)]
    assert spec.max_points == 5 and spec.answers == ["answer"]


@pytest.mark.parametrize("cell, points, message", [
    ('check("gd_step", gd_step, [{"w": 0.0}])\nprint("extra")', 1, "only check"),
    ('check("gd_step", gd_step, [{"w": 0.0}])', 1, "needs visible checks and hidden tests"),
    ('check("gd_step", gd_step, [{"w": 0.0}])\n### BEGIN HIDDEN TESTS\n'
     'check("gd_step", gd_step, [{"w": 0.0}])\n### END HIDDEN TESTS', 2, "use hidden=True"),
    ('check("gd_step", gd_step, [{"w": 0.0}])\n### BEGIN HIDDEN TESTS\n'
     'check("gd_step", gd_step, [{"w": 0.0}], hidden=True)\n### END HIDDEN TESTS', 5, "worth 4 points"),
    ('check("gd_step", gd_step, [{"lr": 0.0}])\n### BEGIN HIDDEN TESTS\n'
     'check("gd_step", gd_step, [{"w": 0.0}], hidden=True)\n### END HIDDEN TESTS', 4, "in this order"),
    ('check("nope", gd_step, [{"w": 0.0}])', 1, "unknown task"),
])
def test_read_spec_refuses_test_cells_it_cannot_read_completely(tmp_path, cell, points, message):
    with pytest.raises(SpecError, match=message):
        _spec_with_test_cell(tmp_path, cell, points)


TEST_CELL = ('from gdteach.grade import check\ncheck("gd_step", gd_step, [{"w": 0.0, "grad": 1.0, '
             '"lr": 0.1}])\n### BEGIN HIDDEN TESTS\ncheck("gd_step", gd_step, [{"w": 1.0, '
             '"grad": 2.0, "lr": 0.5}], hidden=True)\n### END HIDDEN TESTS')


def test_setup_cells_lose_their_check_import_when_graded():
    source = "import math\nfrom gdteach.grade import (\n    check,\n)\nimport numpy as np\nX = 1\n"
    assert grading_setup_source(source) == "import math\nimport numpy as np\nX = 1\n"


@pytest.mark.parametrize("setup", [
    "import gdteach",
    "from gdteach.objectives import rosenbrock",
    "from gdteach.grade import check\ncheck('gd_step', print, [{'w': 0.0}])",
])
def test_read_spec_refuses_setup_cells_that_need_gdteach(tmp_path, setup):
    with pytest.raises(SpecError, match="setup cell 'setup' uses gdteach"):
        _spec_with_test_cell(tmp_path, TEST_CELL, 4, setup=setup)


@pytest.mark.slow
def test_a_setup_cell_importing_check_grades_without_gdteach(tmp_path):
    setup = "from gdteach.grade import check\nimport numpy as np"
    spec = _spec_with_test_cell(tmp_path, TEST_CELL, 4, setup=setup)
    submission = tmp_path / "submission.ipynb"
    submission.write_bytes(Path(spec.path).read_bytes())  # its solutions, as a submission
    (result,) = grade(spec.path, [submission], timeout=TIMEOUT)
    assert (result.total, result.max_points, result.errors) == (4, 4, ())



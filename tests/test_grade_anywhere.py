"""The grader grades wherever an instructor runs it (issue 18 §1, issue 22's first bullet).

Exercise 02's ``correct`` fixture is graded by the command line from each Python this
machine has (a venv of Debian's system ``python3`` with numpy from PyPI, a venv of a
pyenv/python.org build, Debian's ``python3`` itself), as root and as an unprivileged user
whose files sit in a folder of mode 0700, under umask 022 and 077. Each run must give the
full marks the instructor notebook defines (its nbgrader ``points``, read here with
``json``), outputs with the umask's modes, and the report and journal (they hold hidden
inputs) readable by their owner only. A setup the machine lacks is skipped with its reason.

The instructor's copy of gdteach, the notebooks and the venvs are made once per session
in that 0700 folder (``instructor``): the sandbox's own user cannot read it, so the
grader's copy of the runtime (``sandbox._linked_runtime``) is exercised too.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gdteach._grading import sandbox
from gdteach._grading.runner import NO_SANDBOX_NOTE

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "02_update_rule.ipynb"
CORRECT = ROOT / "exercises" / "fixtures" / "correct.ipynb"
DEBIAN_PYTHON = "/usr/bin/python3"
#: The unprivileged instructor the tests run the grader as when they run as root
#: (.ci/run makes it; made here if absent).
INSTRUCTOR = "gdteach-instructor"
UMASKS = (0o022, 0o077)
#: What grading with --report imports (gdteach's dependencies that it uses); without
#: matplotlib (Debian's python3 with python3-numpy only) the report is left out.
GRADER_NEEDS = ("numpy", "matplotlib")


def full_marks() -> dict[str, float]:
    """The points of every graded cell of the instructor notebook, by grade_id, read from
    its nbgrader metadata (not through the grader)."""
    cells = json.loads(SOURCE.read_text(encoding="utf-8"))["cells"]
    marks = {}
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            marks[meta["grade_id"]] = float(meta["points"])
    return marks


# --------------------------------------------------------------------------- set-ups


@dataclasses.dataclass(frozen=True)
class Instructor:
    """Who grades (``uid``, ``gid``; the current user when not root) and their folder
    (mode 0700) holding ``src/`` (gdteach, the source notebook, the submission)."""

    uid: int
    gid: int
    home: Path

    @property
    def src(self) -> Path:
        return self.home / "src"


def _instructor_account() -> tuple[int, int]:
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    try:
        entry = pwd.getpwnam(INSTRUCTOR)
    except KeyError:
        if shutil.which("useradd") is None:
            pytest.skip(f"no user {INSTRUCTOR!r} and no useradd to make one")
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        INSTRUCTOR], check=True, capture_output=True)
        entry = pwd.getpwnam(INSTRUCTOR)
    return entry.pw_uid, entry.pw_gid


def _chown_tree(folder: Path, uid: int, gid: int) -> None:
    if os.geteuid() != 0:
        return
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, uid, gid)


@pytest.fixture(scope="session")
def instructor():
    if not sys.platform.startswith("linux"):
        pytest.skip("grading in a sandbox needs Linux")
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed (apt-get install bubblewrap)")
    uid, gid = _instructor_account()
    home = Path(tempfile.mkdtemp(prefix="gdteach-instructor-"))
    os.chmod(home, 0o700)
    src = home / "src"
    shutil.copytree(ROOT / "gdteach", src / "gdteach",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(SOURCE, src / SOURCE.name)
    shutil.copy(CORRECT, src / CORRECT.name)
    _chown_tree(home, uid, gid)
    yield Instructor(uid, gid, home)
    shutil.rmtree(home, ignore_errors=True)


def _has_deps(python: str, names: tuple[str, ...] = GRADER_NEEDS) -> bool:
    check = f"import {', '.join(names)}"
    return subprocess.run([python, "-c", check], capture_output=True).returncode == 0


def _make_venv(base: str, folder: Path, system_site: bool) -> str:
    command = [base, "-m", "venv", str(folder)]
    made = subprocess.run(command + ["--system-site-packages"] * system_site,
                          capture_output=True, text=True, timeout=300)
    if made.returncode != 0:
        pytest.skip(f"cannot make a venv of {base}: {made.stderr.strip()[-200:]}")
    python = str(folder / "bin" / "python")
    if not _has_deps(python):
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_ROOT_USER_ACTION": "ignore"}
        # --no-compile: Python compiles what the grader imports when it imports it (pip's
        # compiling every module of matplotlib took half of this install)
        pip = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-compile", *GRADER_NEEDS],
                             capture_output=True, text=True, timeout=600, env=env)
        if pip.returncode != 0:
            pytest.skip(f"cannot install {' and '.join(GRADER_NEEDS)} into a venv of {base}: "
                        f"{pip.stderr.strip()[-200:]}")
    return python


def _built_python() -> str | None:
    """The pyenv / python.org build this test session runs on (its base, if in a venv), or
    None when it runs on a distribution's Python."""
    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    return None if base.startswith(("/usr/", "/bin/")) else base


@pytest.fixture(scope="session")
def pythons(instructor):
    """name -> the python to grade with, or the reason it cannot be tried here."""
    found: dict[str, str | tuple[str]] = {}
    if not os.path.exists(DEBIAN_PYTHON):
        found["debian-venv"] = found["debian-system"] = (f"{DEBIAN_PYTHON} does not exist",)
    else:
        # no --system-site-packages: numpy is the venv's own (the base has none, unless
        # python3-numpy is installed), as after `python3 -m venv` and `pip install`
        found["debian-venv"] = _make_venv(DEBIAN_PYTHON, instructor.home / "venv-debian", False)
        found["debian-system"] = DEBIAN_PYTHON if _has_deps(DEBIAN_PYTHON, ("numpy",)) else (
            f"{DEBIAN_PYTHON} has no numpy (apt-get install python3-numpy to try it)",)
    built = _built_python()
    found["pyenv-venv"] = (_make_venv(built, instructor.home / "venv-built", True) if built else
                           ("these tests run on a distribution's Python: no pyenv or python.org "
                            "build to try",))
    _chown_tree(instructor.home, instructor.uid, instructor.gid)
    return found


# --------------------------------------------------------------------------- grading


@dataclasses.dataclass(frozen=True)
class Graded:
    row: dict[str, str]
    out: Path
    stderr: str


def grade_as(instructor: Instructor, python: str, as_root: bool, umask: int, name: str,
             *options: str, submission: str = CORRECT.name) -> Graded:
    """Grade ``submission`` (in ``instructor.src``) with ``python -m gdteach.grade`` as
    root or as the instructor, under ``umask``, with every output (the report if this
    Python has matplotlib): the CSV's only row."""
    out = instructor.home / f"out-{name}"
    if _has_deps(python):
        options = ("--report", str(out / "report.html"), *options)
    out.mkdir()
    user = {} if as_root or os.geteuid() != 0 else {
        "user": instructor.uid, "group": instructor.gid, "extra_groups": []}
    if user:
        os.chown(out, instructor.uid, instructor.gid)
    env = {"PATH": os.defpath, "HOME": str(instructor.home), "LANG": "C.UTF-8"}
    done = subprocess.run(
        [python, "-m", "gdteach.grade", SOURCE.name, submission, "--csv", str(out / "grades.csv"),
         "--feedback", str(out / "feedback"),
         "--timeout", "30", *options],
        cwd=instructor.src, env=env, umask=umask, capture_output=True, text=True, timeout=300,
        **user)
    assert done.returncode == 0, done.stderr
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    return Graded(rows[0], out, done.stderr)


def assert_full_marks(row: dict[str, str]) -> None:
    marks = full_marks()
    assert {task: float(row[task]) for task in marks} == marks
    assert float(row["total"]) == float(row["max"]) == sum(marks.values())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_modes(out: Path, umask: int) -> None:
    """The CSV, the feedback page and the times page take the umask; the report and the
    journal hold hidden inputs and are 0600 whatever it is."""
    pages = list((out / "feedback").rglob("*.html"))
    assert len(pages) == 1
    report = [out / "report.html"] if (out / "report.html").exists() else []
    for path in (out / "grades.csv", pages[0], *(out / "report-times.html" for _ in report)):
        assert mode(path) == 0o666 & ~umask, path.name
    for path in (*report, out / "grades.jsonl"):
        assert mode(path) == 0o600, path.name


@pytest.mark.parametrize("umask", UMASKS, ids=lambda m: f"umask{m:03o}")
@pytest.mark.parametrize("who", ["root", "instructor"])
@pytest.mark.parametrize("kind", ["debian-venv", "pyenv-venv", "debian-system"])
def test_correct_fixture_gets_full_marks_from_every_python_user_and_umask(
        instructor, pythons, kind, who, umask):
    python = pythons[kind]
    if isinstance(python, tuple):
        pytest.skip(python[0])
    as_root = who == "root"
    if as_root and os.geteuid() != 0:
        pytest.skip("not running as root")
    if not as_root and os.geteuid() == 0 and not sandbox._reachable(
            os.path.realpath(python), instructor.uid, instructor.gid):
        pytest.skip(f"{os.path.realpath(python)} is where {INSTRUCTOR!r} cannot read it")
    graded = grade_as(instructor, python, as_root, umask, f"{kind}-{who}-{umask:03o}")
    assert_full_marks(graded.row)
    assert graded.row["error"] == ""
    assert_modes(graded.out, umask)


def venv_only_submission(folder: Path) -> str:
    """The correct fixture, with an answer cell that raises unless it runs on a venv's
    Python (``sys.prefix != sys.base_prefix``): written into ``folder``; its name."""
    nb = json.loads(CORRECT.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "answer_gd_step")
    check = ("import sys\n\nif sys.prefix == sys.base_prefix:\n"
             "    raise RuntimeError('not run by the venv\\'s python')\n\n\n")
    cell["source"] = check + "".join(cell["source"])
    (folder / "venv_only.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return "venv_only.ipynb"


def test_no_sandbox_grades_with_the_venvs_python(instructor, pythons):
    """--no-sandbox from a venv: the submission runs on the venv's python, which has the
    venv's numpy (on its real path, the base Python, a submission got 0 for every task
    where the base has no numpy; a check in the answer cell sees which ran it)."""
    python = pythons["debian-venv"]
    if isinstance(python, tuple):
        pytest.skip(python[0])
    name = venv_only_submission(instructor.src)
    graded = grade_as(instructor, python, True, 0o022, "no-sandbox", "--no-sandbox",
                      submission=name)
    assert_full_marks(graded.row)
    assert graded.row["error"] == NO_SANDBOX_NOTE


#: Run by each Python inside the sandbox: the folders on its path and what the packages
#: folders among them hold
_PATH_INSIDE = r"""
import json, sys
from gdteach._grading.runner import GradeSettings
from gdteach._grading.sandbox import Session
probe = (b"import json, os, sys; print(json.dumps({p: os.listdir(p) if os.path.isdir(p) else None "
         b"for p in sys.path}))")
with Session(GradeSettings(timeout=60)) as session:
    reply = session.request("run", probe, "the path", 60)
print(json.dumps([reply.status, reply.out]))
"""


@pytest.mark.parametrize("kind", ["debian-venv", "pyenv-venv"])
def test_inside_the_sandbox_of_every_python_only_numpy_can_be_imported(instructor, pythons, kind):
    """Debian's site.py puts its dist-packages folder on the path (a newcomer's suite on
    Debian's Python failed on it): that folder, hidden by the sandbox, is empty; every
    folder on the path is the sandbox's own and only numpy is beside the standard library."""
    python = pythons[kind]
    if isinstance(python, tuple):
        pytest.skip(python[0])
    done = subprocess.run([python, "-c", _PATH_INSIDE], cwd=instructor.src, capture_output=True,
                          text=True, timeout=120, env={"PATH": os.defpath, "LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr[-2000:]
    status, out = json.loads(done.stdout.strip().splitlines()[-1])
    assert status == "ok", out
    path = json.loads(out)
    assert all(folder.startswith("/python/") for folder in path), path
    packages = {folder: listing for folder, listing in path.items()
                if "site-packages" in folder or "dist-packages" in folder}
    assert all(listing == [] for listing in packages.values()), packages
    assert sorted(path["/python/site"]) in (["numpy"], ["numpy", "numpy.libs"])


# --------------------------------------------------------------------------- refusals


def test_a_library_missing_inside_the_sandbox_is_named_as_such():
    """The libm.so.6 failure of Debian's Python, made on purpose (no system library folder
    bound): the refusal names the missing library, not namespaces."""
    if sandbox.problem() is not None:
        pytest.skip(f"no sandbox here: {sandbox.problem()}")
    user = sandbox.sandbox_user()
    runtime = sandbox._usable_runtime(user)
    broken = dataclasses.replace(runtime, system=())
    reason = sandbox.try_runtime(broken, user)
    assert reason is not None
    assert "cannot start inside the sandbox: the library lib" in reason
    assert "namespaces" not in reason
    assert sandbox.try_runtime(runtime, user) is None


def test_an_unreadable_path_is_named_with_what_to_do():
    reason = sandbox.start_failure(
        "bwrap: Can't find source path /root/venv/bin/python: Permission denied", 1,
        None, (999, 999))
    assert reason.startswith("the sandbox's user (uid 999) cannot read /root/venv/bin/python")
    assert "chmod o+rx" in reason and "namespaces" not in reason

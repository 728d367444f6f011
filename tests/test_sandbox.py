"""The sandbox each submission runs in (gdteach._grading.sandbox) and what the grader does
with a submission before and around it: what is inside (only Python and numpy), who it runs
as, its limits (memory for parsing, total time, output, a sandbox that stops itself), files
that are not plain notebooks, settings, and refusing to grade without namespaces. The attack
fixtures graded in one batch are in tests/test_grade.py."""

from __future__ import annotations

import glob
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from gdteach._grading.runner import (
    GradeSettings,
    grade_file,
    grade_submission,
    sandbox_problem,
)
from gdteach._grading.sandbox import SandboxStop, Session, sandbox_user

from .test_grade import FIXTURES, SOURCE, TIMEOUT, _Listener, _path

CORRECT_BYTES = (FIXTURES / "correct.ipynb").read_bytes()


def test_total_wall_time_stops_a_submission():
    # attack_wall_time sleeps 0.8 s in every answer cell: within each cell's time, but the
    # submission's total of 3 s runs out before fit_linear's cell ends (at 3.2 s or later)
    assert sandbox_problem() is None  # the sandbox is ready: its start is not timed
    settings = GradeSettings(timeout=TIMEOUT, wall_time=3.0)
    result = grade_file(SOURCE.read_bytes(), _path("attack_wall_time"), settings)
    assert result.scores["gd_step"] == 12 and result.scores["fit_linear"] == 0
    assert "the submission used up its total time of 3 s" in result.error
    assert result.seconds < 3.0 + 1.5


@pytest.mark.parametrize("make, message", [
    (lambda tmp: (tmp / "big.ipynb", os.truncate(_touch(tmp / "big.ipynb"), 17 << 20))[0],
     "not graded: the file is larger than 16 MB"),
    (lambda tmp: (tmp / "fifo.ipynb", os.mkfifo(tmp / "fifo.ipynb"))[0],
     "not graded: the file is not a regular file"),
    (lambda tmp: Path("/dev/zero"), "not graded: the file is not a regular file"),
    (lambda tmp: tmp, "not graded: the file is not a regular file"),
], ids=["larger than the cap", "fifo", "device", "folder"])
def test_submissions_that_are_not_plain_files_are_refused_before_reading(tmp_path, make, message):
    result = grade_file(SOURCE.read_bytes(), make(tmp_path), GradeSettings(timeout=TIMEOUT))
    assert len(result.errors) == 1 and result.errors[0].startswith(message)
    assert result.total == 0 and result.max_points == 43


def test_a_folder_linked_to_the_instructor_notebook_is_refused(tmp_path):
    """submitted/eve/ps1 -> exercises/source: no symbolic link at the file itself, but the
    file is the instructor notebook (so is a hard link to it)."""
    (tmp_path / "eve").mkdir()
    (tmp_path / "eve" / "ps1").symlink_to(SOURCE.parent, target_is_directory=True)
    linked = tmp_path / "eve" / "ps1" / SOURCE.name
    result = grade_file(SOURCE.read_bytes(), linked, GradeSettings(timeout=TIMEOUT), SOURCE)
    assert result.errors == ("not graded: the file is the instructor's notebook (reached "
                             "through a linked folder or a hard link)",)
    assert result.total == 0


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize(("data", "message"), [
    # one byte that is not UTF-8 (Latin-1's é) in an otherwise good notebook: it read "not JSON"
    (CORRECT_BYTES.replace(b"gd_step", b"gd_st\xe9p", 1),
     "not a notebook: the file is not UTF-8 text (a notebook is JSON in UTF-8)"),
    # nbformat 3 (IPython 1 and 2) keeps its cells in worksheets: it read "no list of cells"
    (b'{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}',
     "not graded: the notebook is in the old format 3 (its cells are inside 'worksheets'); "
     "opening it in Jupyter and saving it converts it to format 4"),
    (b'{"nbformat": 4, "metadata": {}}', "not a notebook: the JSON has no list of cells"),
], ids=["latin-1 byte", "nbformat 3", "no cells"])
def test_a_file_that_is_not_a_notebook_of_format_4_is_named_as_such(data, message):
    result = grade_submission(SOURCE.read_bytes(), data, GradeSettings(timeout=TIMEOUT))
    assert (result.total, result.errors) == (0, (message,))


def test_a_notebook_is_parsed_under_the_sandbox_memory_limit():
    bomb = b'{"cells": [' + b"[]," * 5_000_000 + b"[]]}"  # 15 MB of JSON, ~300 MB parsed
    result = grade_submission(SOURCE.read_bytes(), bomb, GradeSettings(timeout=TIMEOUT, memory_mb=200))
    assert result.errors == ("not a notebook: reading it needs more memory than the sandbox allows",)


INSPECT = r"""
import json, os, socket, sys
found = []
for top in [p for p in os.listdir("/") if p not in ("proc", "sys", "dev")]:
    for folder, dirs, files in os.walk("/" + top):
        found += [os.path.join(folder, n) for n in dirs + files if "gdteach" in n or n.endswith(".ipynb")]
written = []
for path in ("/python/x", "/usr/x", "/python/site/x", "/x", "/tmp/x"):
    try:
        open(path, "w").close()
        written.append(path)
    except OSError:
        pass
try:
    socket.create_connection(("127.0.0.1", HOST_PORT), timeout=1)
    network = True
except OSError:
    network = False
filled = 0
try:
    for index in range(10):
        with open(f"/tmp/fill{index}", "wb") as handle:
            for _ in range(15):
                handle.write(b"x" * (1 << 20))
                filled += 1
except OSError:
    pass
sys.stdout.write(json.dumps({"root": sorted(os.listdir("/")), "found": found,
    "written": written, "network": network, "env": sorted(os.environ), "filled_mb": filled,
    "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "site": sorted(os.listdir("/python/site")), "path": sys.path,
    "packages": {p: os.listdir(p) if os.path.isdir(p) else None for p in sys.path
                 if "site-packages" in p or "dist-packages" in p}}))
"""


def test_inside_the_sandbox_there_is_only_python_and_numpy():
    import json

    listener = _Listener()  # on the host's loopback, where the host reaches it
    try:
        socket.create_connection(("127.0.0.1", listener.port), timeout=5).close()
        inspect = INSPECT.replace("HOST_PORT", str(listener.port))
        with Session(GradeSettings(timeout=30)) as session:
            reply = session.request("run", inspect.encode(), "inspection", 30)
            assert reply.status == "ok", reply.error
            seen = json.loads(reply.out)
            uids = _uids_under(session.process.pid)
    finally:
        listener.close()
    assert listener.connections == 1  # the host's own, not the sandbox's
    etc = ["etc"] if os.path.exists("/etc/ld.so.cache") or os.path.isdir("/etc/alternatives") else []
    assert seen["root"] == ["dev", *etc, "lib64", "proc", "python", "tmp", "usr"]
    assert seen["found"] == []  # no gdteach, no notebook anywhere
    assert seen["written"] == ["/tmp/x"]  # read-only but for its own /tmp
    assert seen["network"] is False
    assert seen["env"] == ["HOME", "LANG", "LD_LIBRARY_PATH", "MKL_NUM_THREADS", "OMP_NUM_THREADS",
                           "OPENBLAS_NUM_THREADS", "PWD", "PYTHONHASHSEED", "PYTHONPATH", "TMPDIR"]
    assert 16 < seen["filled_mb"] <= 64  # files of 16 MB at most, 64 MB in all in its /tmp
    assert seen["pids"] == [1, 2]  # its own init and itself: nothing else is visible
    assert seen["site"] == ["numpy", "numpy.libs"] or seen["site"] == ["numpy"]
    assert all(p.startswith("/python/") for p in seen["path"])
    # a packages folder on the path is the hidden one, empty (Debian's site.py adds its
    # dist-packages folder, which the sandbox covers with an empty tmpfs)
    assert all(listing == [] for listing in seen["packages"].values()), seen["packages"]
    # run as root, the grader puts the sandbox under an unprivileged uid; otherwise its own
    user = sandbox_user()
    if os.environ.get("CI") and os.geteuid() == 0:  # .ci/run creates the dedicated user
        import pwd

        assert user[0] == pwd.getpwnam("gdteach-sandbox").pw_uid != 0
    assert uids == {user[0] if user else os.getuid()}


def _uids_under(pid: int) -> set[int]:
    """Real uids of ``pid``'s descendants (the sandbox's processes, seen from the host)."""
    children: dict[int, list[int]] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
    uids, todo = set(), [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        uids.add(int(re.search(r"^Uid:\s+(\d+)", status, re.M)[1]))
        todo += children.get(current, [])
    return uids


@pytest.mark.parametrize("settings, error, message", [
    ({"timeout": -1}, ValueError, "timeout must be positive, got -1"),
    ({"wall_time": True}, TypeError, "wall_time must be a number, got True"),
    ({"memory_mb": 0}, ValueError, "memory_mb must be a whole number >= 1, got 0"),
    ({"processes": 2.5}, ValueError, "processes must be a whole number >= 1, got 2.5"),
    ({"sandbox": "docker"}, ValueError, "sandbox must be 'bwrap' or 'none', got 'docker'"),
])
def test_grade_settings_name_the_bad_argument(settings, error, message):
    with pytest.raises(error, match=re.escape(message)):
        GradeSettings(**settings)


def test_without_namespaces_grading_refuses_and_says_why(monkeypatch):
    from gdteach._grading import sandbox

    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    reason = sandbox._problem.__wrapped__()
    assert reason == "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    monkeypatch.setattr(sandbox, "problem", lambda: reason)
    with pytest.raises(sandbox.SandboxUnavailable, match="bubblewrap is not installed"):
        grade_submission(SOURCE.read_bytes(), _path("correct").read_bytes(),
                         GradeSettings(timeout=TIMEOUT))


def test_answer_cells_with_ipython_syntax_still_run():
    """A learner's `%matplotlib inline` or `!pip install` line (IPython syntax) does nothing
    in the sandbox, and the rest of the cell runs."""
    import json

    nb = json.loads(_path("correct").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer_gd_step":
            cell["source"] = "%matplotlib inline\n!pip install numpy\n" + "".join(cell["source"])
    result = grade_submission(SOURCE.read_bytes(), json.dumps(nb).encode(),
                              GradeSettings(timeout=TIMEOUT))
    assert (result.total, result.errors) == (43, ())


def test_a_stopped_sandbox_cannot_block_the_grader():
    """The sandbox stops itself (SIGSTOP) after answering; the next request is larger than
    a pipe holds, so writing it would block for ever: it times out instead."""
    settings = GradeSettings(timeout=TIMEOUT)
    with Session(settings) as session:
        stop = "import os, signal, threading\nthreading.Timer(0.2, os.kill, (os.getpid(), signal.SIGSTOP)).start()"
        assert session.request("run", stop.encode(), "cell 1", TIMEOUT).status == "ok"
        time.sleep(0.5)
        start = time.monotonic()
        with pytest.raises(SandboxStop, match=f"cell 2 did not finish within {TIMEOUT:g} s"):
            session.request("run", b"#" * (1 << 20), "cell 2", TIMEOUT)
        assert time.monotonic() - start < TIMEOUT + 1


def test_output_read_back_is_capped():
    """Replies forged on the grader's channel (valid frames, taken from the driver's own
    command line) are counted: past output_mb the submission stops."""
    forge = r"""
import os
token = open("/proc/self/cmdline", "rb").read().split(b"\0")[-2]
frame = token + b" 0 out 65536 0\n" + b"x" * 65536
fds = []
for name in os.listdir("/proc/self/fd"):
    try:
        if "pipe" in os.readlink(f"/proc/self/fd/{name}"):
            fds.append(int(name))
    except OSError:
        pass
for _ in range(40):
    for fd in fds:
        try:
            os.write(fd, frame)
        except OSError:
            pass
"""
    with Session(GradeSettings(timeout=TIMEOUT, output_mb=1)) as session:
        with pytest.raises(SandboxStop, match="forger wrote more than 1 MB of output"):
            session.request("run", forge.encode(), "forger", TIMEOUT)


def test_output_of_the_previous_cell_after_its_reply_is_dropped():
    """A learner's background thread may print after its cell has answered (its frame
    carries the previous number): dropped, not a broken channel. Any other number is."""
    from gdteach._grading.sandbox import Reply

    session = Session(GradeSettings(timeout=TIMEOUT))
    session.token, session.seq, session.process = "ab", 1, object()
    session._send = lambda *args: None
    session.buffer = bytearray(b"ab 0 out 4 0\ntick" + b"ab 1 out 3 0\nnew" + b"ab 1 ok 0 0\n")
    assert session.request("run", b"", "cell 2", TIMEOUT) == Reply("ok", "new", "")
    session.buffer, session.start = bytearray(b"ab 5 out 4 0\ntick"), 0  # what is left unread
    with pytest.raises(SandboxStop, match="the messages from the sandbox broke while running cell 3"):
        session.request("run", b"", "cell 3", TIMEOUT)


def test_runtime_copies_of_killed_processes_are_removed(tmp_path, monkeypatch):
    """A killed grader (a Dask worker, a pool worker) cannot remove its runtime copy: the
    next one to make a copy removes the copies whose process is gone, and only those."""
    from gdteach._grading import sandbox

    monkeypatch.setattr(sandbox.tempfile, "gettempdir", lambda: str(tmp_path))
    dead = _dead_pid()
    (tmp_path / f"gdteach-runtime-{dead}-abc").mkdir()
    (tmp_path / f"gdteach-runtime-{os.getpid()}-def").mkdir()
    sandbox._remove_orphans()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"gdteach-runtime-{os.getpid()}-def"]


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid

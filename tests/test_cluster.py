"""--scheduler: the same grading on a real Dask distributed cluster (a scheduler and two
one-thread workers on 127.0.0.1, started and stopped here). Its CSV, feedback pages and report
are byte-identical to the local run's, and a worker killed while it grades loses nothing."""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from gdteach._grading import executors
from gdteach.grade import main
from tests.grading_run import ROOT, graded_class

distributed = pytest.importorskip("distributed", reason="pip install 'gdteach[cluster]'")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``(scheduler address, {worker address: process})``; everything is stopped afterwards."""
    logs = tmp_path_factory.mktemp("dask")
    # the scratch folders in the test's own (else /tmp/dask-scratch-space is left behind)
    env = {**os.environ, "DASK_TEMPORARY_DIRECTORY": str(logs), "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]
    processes, workers = [], {}
    with contextlib.ExitStack() as files:
        def start(command: list[str], log: str) -> subprocess.Popen:
            out = files.enter_context(open(logs / log, "w"))
            processes.append(subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                              env=env))
            return processes[-1]

        try:
            start([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                   "--no-dashboard"], "scheduler.log")
            for name in ("a", "b"):
                worker_port = _free_port()
                workers[f"tcp://127.0.0.1:{worker_port}"] = start(
                    [*dask, "worker", address, "--nthreads", "1", "--no-dashboard", "--no-nanny",
                     "--host", "127.0.0.1", "--worker-port", str(worker_port), "--name", name,
                     "--death-timeout", "30"], f"worker-{name}.log")
            try:  # a loaded machine (other test suites) can take a while to start Python
                with distributed.Client(address, timeout=90, set_as_default=False) as client:
                    client.wait_for_workers(2, timeout=90)
            except (OSError, TimeoutError) as err:
                tails = {log.name: log.read_text()[-1500:] for log in sorted(logs.iterdir())}
                pytest.fail(f"the Dask cluster did not start ({err}); its logs: {tails}")
            yield address, workers
        finally:
            for process in reversed(processes):
                _stop(process)


def _kill_a_busy_worker(address: str, workers: dict, journal: Path, killed: list) -> None:
    """Once a result is in, SIGKILL the first worker that is grading a submission."""
    with distributed.Client(address, timeout=30, set_as_default=False) as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            graded = len(journal.read_text().splitlines()) - 1 if journal.exists() else 0
            busy = {w: keys for w, keys in client.processing().items() if keys}
            if graded >= 1 and busy:
                worker, keys = next(iter(busy.items()))
                workers[worker].kill()
                killed.append((worker, list(keys)))
                return
            time.sleep(0.05)


@pytest.mark.slow
def test_a_dask_cluster_grades_byte_identically_and_a_killed_worker_loses_nothing(cluster, tmp_path):
    local = graded_class()
    address, workers = cluster
    journal, killed = tmp_path / "grades.jsonl", []
    killer = threading.Thread(target=_kill_a_busy_worker,
                              args=(address, workers, journal, killed))
    killer.start()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*local.args(tmp_path), "--scheduler", address])
    killer.join()
    assert code == 0, out.getvalue()

    # a worker died in the middle of a submission, which was graded again elsewhere
    assert len(killed) == 1 and killed[0][1], "no worker was busy when the run was checked"
    lost_index = int(killed[0][1][0].rsplit("-", 1)[1])
    records = [json.loads(line) for line in journal.read_text().splitlines()[1:]]
    counts = Counter(r["submission"] for r in records)
    assert counts == Counter(local.submissions)  # every submission once, the lost one too
    assert counts[local.submissions[lost_index]] == 1

    assert (tmp_path / "grades.csv").read_bytes() == local.csv.read_bytes()
    assert (tmp_path / "report.html").read_bytes() == local.report.read_bytes()
    pages = sorted(p.relative_to(local.feedback) for p in local.feedback.rglob("*.html"))
    assert pages == sorted(p.relative_to(tmp_path / "feedback")
                           for p in (tmp_path / "feedback").rglob("*.html"))
    for page in pages:
        assert (tmp_path / "feedback" / page).read_bytes() == (local.feedback / page).read_bytes()


def test_no_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    run_dask = executors.run_dask
    monkeypatch.setattr(executors, "run_dask",
                        lambda *args, **kw: run_dask(*args, **kw, connect_timeout=1))
    local_args = graded_class().args(tmp_path)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main([*local_args, "--scheduler", f"tcp://127.0.0.1:{_free_port()}"])
    assert code == 2 and "no Dask scheduler answers at" in err.getvalue()



def test_a_result_graded_by_other_code_is_refused():
    with pytest.raises(RuntimeError, match="another version of gdteach"):
        executors._checked(({}, 1.0, "0" * 64))  # some other gdteach's fingerprint
    same = executors._fingerprint_at_start()  # the code this run started with
    assert executors._checked(({}, 1.0, same))[1] == 1.0

"""Benchmark: grade a class of N submissions (the fixtures repeated) three ways: --jobs 1,
--jobs 2, and a Dask cluster of 2 one-thread workers on this machine (--scheduler).

Run from the repository root (takes a few minutes for 300)::

    python benchmarks/bench_grade_scale.py                   # 300 submissions, exercise 02
    python benchmarks/bench_grade_scale.py --count 60 --modes jobs2

The submissions cycle through the exercise-02 fixtures a class really hands in (correct,
partial, crashes, sys.exit, tampering, deleted or renamed cells, files that are not
notebooks). Time-outs (infinite_loop, slow_function) are left out: each costs its --timeout
of one slot whatever the grader does, so they would measure the limit, not the grader.

For each mode it prints the wall time, the cost per submission, and how the rate changes
along the run (seconds per submission over the first and the last third, from the moments
the results arrived), the median seconds one submission spent in its slot (the journal's
``seconds``), the machine's load average (other work on the machine slows every number
here), and checks that every mode wrote the same CSV. Nothing is written to the repository.
(CPU time is not reported: a sandbox's processes are killed with their PID namespace, so
the kernel never charges their CPU time to the grader.)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "02_update_rule.ipynb"
FIXTURES = ["correct", "partial", "crash", "sys_exit", "killed_kernel", "cells_deleted",
            "cells_reordered", "cell_renamed", "not_a_notebook", "truncated",
            "tamper_redefine_check", "tamper_monkeypatch", "tamper_always_equal",
            "tamper_fake_output", "tamper_edit_tests", "tamper_patch_io", "uses_gdteach",
            "uses_gdteach_hidden"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _class(folder: Path, count: int) -> list[str]:
    paths = []
    for i in range(count):
        fixture = FIXTURES[i % len(FIXTURES)]
        path = folder / "submitted" / f"s{i:05d}" / "ps1" / "02_update_rule.ipynb"
        path.parent.mkdir(parents=True)
        shutil.copy(ROOT / "exercises" / "fixtures" / f"{fixture}.ipynb", path)
        paths.append(str(path))
    return paths


def _cluster(stack: ExitStack, logs: Path, workers: int) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    commands = [["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]]
    commands += [["worker", address, "--nthreads", "1", "--no-dashboard", "--no-nanny",
                  "--host", "127.0.0.1", "--death-timeout", "30"]] * workers
    for number, command in enumerate(commands):
        log = stack.enter_context(open(logs / f"dask-{number}.log", "w"))
        process = subprocess.Popen([sys.executable, "-m", "dask", *command], stdout=log,
                                   stderr=subprocess.STDOUT, env=env)
        stack.callback(_stop, process)
        if number == 0:
            time.sleep(1.0)
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(workers, timeout=60)
    return address


def _run(paths: list[str], out: Path, extra: list[str], timeout: float) -> dict:
    command = [sys.executable, "-m", "gdteach.grade", str(SOURCE), *paths, "--csv",
               str(out / "grades.csv"), "--timeout", str(timeout), *extra]
    arrivals = []
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            if line.startswith("["):
                arrivals.append(time.perf_counter() - start)
    wall = time.perf_counter() - start
    if process.returncode != 0 or len(arrivals) != len(paths):
        raise SystemExit(f"{' '.join(extra)}: exit {process.returncode}, {len(arrivals)} results")
    third = len(arrivals) // 3
    first_rate = (arrivals[third] - arrivals[0]) / third
    last_rate = (arrivals[-1] - arrivals[-third - 1]) / third
    return {"wall": wall, "first_result": arrivals[0], "first": first_rate, "last": last_rate,
            "csv": (out / "grades.csv").read_bytes()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--modes", default="jobs1,jobs2,dask2",
                        help="comma-separated: jobs1, jobs2, dask2")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores; "
          f"{args.count} submissions of {SOURCE.name}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        paths = _class(folder, args.count)
        for mode in args.modes.split(","):
            out = folder / mode
            out.mkdir()
            with ExitStack() as stack:  # a cluster is stopped here
                if mode.startswith("jobs"):
                    extra = ["--jobs", mode[4:]]
                else:
                    extra = ["--scheduler", _cluster(stack, folder, int(mode[4:]))]
                result = _run(paths, out, extra, args.timeout)
            seconds = [json.loads(line)["seconds"]
                       for line in (out / "grades.jsonl").read_text().splitlines()[1:]]
            results[mode] = result
            print(f"{mode:6s} {result['wall']:7.1f} s wall, {result['wall'] / args.count:.3f} s "
                  f"per submission; first result after {result['first_result']:.1f} s; "
                  f"{result['first']:.3f} s/submission over the first third, "
                  f"{result['last']:.3f} over the last; one submission {statistics.median(seconds):.2f} s "
                  f"(median) in its slot; load {os.getloadavg()[0]:.2f}", flush=True)
    csvs = {r["csv"] for r in results.values()}
    print("same CSV from every mode:", len(csvs) == 1)
    if len(csvs) > 1:
        (first_mode, first), *others = results.items()
        for mode, result in others:
            rows = zip(first["csv"].decode().splitlines(), result["csv"].decode().splitlines())
            for a, b in rows:
                if a != b:
                    print(f"  {first_mode}: {a}\n  {mode}: {b}")
    return 0 if len(csvs) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

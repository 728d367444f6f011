"""Where submissions are graded: a local process pool, or a Dask distributed cluster.

Grading one submission is a pure function, ``grade_one(source, submission, settings)``:
bytes of the instructor notebook, bytes of the submission and the settings in; the
plain-data record of the result, the seconds it took and the grading code's fingerprint
out. It reads no path and keeps no state, so any executor may run it:

- ``run_local(tasks, jobs)``: a pool of ``jobs`` processes on this machine (``--jobs N``);
- ``run_dask(tasks, scheduler)``: the workers of a running Dask cluster
  (``--scheduler tcp://HOST:PORT``; ``pip install gdteach[cluster]`` on every machine).
  Each worker sandboxes every submission exactly as the local run does. A worker that dies
  takes its running task with it; the scheduler gives that task to another worker, and its
  result still arrives once.

Both yield ``(index, result)`` in the order results arrive, keeping only a window of
submissions in flight (a week of submissions never sits in memory at once). The caller
puts the records back in the order the submissions were given, so the CSV, feedback and
report do not depend on the executor. Every result carries the fingerprint of the code that
graded it; a worker running another version of gdteach is refused.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["grade_one", "code_fingerprint", "run_local", "run_dask"]

Task = tuple[int, tuple[Any, ...]]


def code_fingerprint() -> str:
    """sha256 over gdteach's source files as they are on disk now: two processes grade
    alike when these agree. Computed afresh for every submission (about a millisecond), so
    code changed on a worker in the middle of a run (an upgrade, an edit) stops the run
    instead of grading the rest with a mix of old and new code.

    >>> len(code_fingerprint()), code_fingerprint() == code_fingerprint()
    (64, True)
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted([*package.glob("*.py"), *package.glob("_grading/*.py")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def _spec(source: bytes) -> Any:
    from .notebook import read_spec

    return read_spec(source)


def grade_one(source: bytes, submission: bytes, settings: Any) -> tuple[dict, float, str]:
    """Grade one submission with ``runner.grade_submission``: ``(record, seconds,
    code_fingerprint())``, the record as ``journal.result_record`` writes it. Pure: the same
    bytes and settings give the same record on any machine running the same gdteach."""
    from .journal import result_record
    from .runner import grade_submission

    result = grade_submission(source, submission, settings)
    return result_record(_spec(source), result), result.seconds, code_fingerprint()


@functools.cache
def _fingerprint_at_start() -> str:
    return code_fingerprint()


def _checked(result: tuple[dict, float, str]) -> tuple[dict, float, str]:
    if result[2] != _fingerprint_at_start():
        raise RuntimeError("a submission was graded with another version of gdteach than this "
                           "run started with (its source files differ): install the same gdteach "
                           "everywhere, then run again with --resume")
    return result


# --------------------------------------------------------------------------- executors


def run_local(tasks: Iterable[Task], jobs: int) -> Iterator[tuple[int, tuple[dict, float, str]]]:
    """Run ``grade_one(*args)`` for each ``(index, args)`` in a pool of ``jobs`` processes."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    _fingerprint_at_start()
    tasks = iter(tasks)
    context = multiprocessing.get_context("spawn")  # no fork of a threaded process
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        pending: dict[Any, int] = {}
        while True:
            while len(pending) < 2 * jobs:
                task = next(tasks, None)
                if task is None:
                    break
                pending[pool.submit(grade_one, *task[1])] = task[0]
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=pending.get):
                yield pending.pop(future), _checked(future.result())
    finally:  # stopped early (Ctrl-C, an error): start nothing more
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(tasks: Iterable[Task], scheduler: str, *, preflight: Callable[[], str | None] | None = None,
             window: int | None = None,
             connect_timeout: float = 30.0) -> Iterator[tuple[int, tuple[dict, float, str]]]:
    """Run ``grade_one(*args)`` for each ``(index, args)`` on the Dask cluster at
    ``scheduler`` (``tcp://HOST:PORT``). The first argument of every task (the source
    notebook) is sent to the workers once. ``preflight`` runs on every worker first (the
    sandbox check): a worker where it returns a problem stops the run before any grading."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise RuntimeError("--scheduler needs Dask distributed: pip install 'gdteach[cluster]'") from None

    _fingerprint_at_start()
    run = uuid.uuid4().hex[:12]
    try:
        client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise RuntimeError(f"no Dask scheduler answers at {scheduler!r} ({err})") from None
    with client:
        if preflight is not None:
            problems = {w: p for w, p in client.run(preflight).items() if p}
            if problems:
                worker, problem = sorted(problems.items())[0]
                raise RuntimeError(f"Dask worker {worker} cannot grade: {problem}")
        threads = sum(client.nthreads().values()) or 1
        window = window or max(8, 4 * threads)
        shared: dict[int, Any] = {}
        completed = as_completed(loop=client.loop, with_results=True)
        pending: dict[str, int] = {}

        def submit(task: Task) -> None:
            index, (source, *rest) = task
            ident = id(source)
            if ident not in shared:
                shared[ident] = client.scatter(source, broadcast=True, hash=False)
            future = client.submit(grade_one, shared[ident], *rest, key=f"gdteach-grade-{run}-{index}",
                                   pure=False)
            pending[future.key] = index
            completed.add(future)

        tasks = iter(tasks)
        for task in tasks:
            submit(task)
            if len(pending) >= window:
                break
        for future, result in completed:
            index = pending.pop(future.key)
            next_task = next(tasks, None)
            if next_task is not None:
                submit(next_task)
            yield index, _checked(result)

"""Auto-graded exercises: self-checks for learners, bulk grading for instructors.

Each exercise is one instructor notebook in nbgrader's markup (``exercises/source/``).
From it come:

- the student notebook, by ``python -m gdteach.grade --make-student SOURCE… OUTDIR``
  (solutions replaced by ``raise NotImplementedError()``, hidden tests removed);
- the self-check: each check cell of the student notebook calls ``check(task, function,
  cases)``, which explains every failing case (input, expected, got, hint);
- bulk grading without a server::

      python -m gdteach.grade SOURCE --csv OUT [--timeout SECONDS] [--jobs N]
          [--results FILE.jsonl] [--resume] [--feedback DIR] [--report FILE.html]
          [--id-pattern REGEX] [--scheduler tcp://HOST:PORT] [--no-sandbox] -- SUBMISSION...

  The submissions go after ``--``: a file name is data, never an option (``_parse``).

  Each submission's answer cells run in a fresh sandbox; it only sends back the results
  of the student's functions, and they are judged here (see ``gdteach._grading.runner``). One CSV row per submission: submission, student, points per
  task (the grade_id of each test cell), total, max, error. Every graded submission is
  first journaled in the results file (``_grading/journal.py``); the CSV, the feedback pages
  (``_grading/feedback.py``) and the report (``_grading/report.py``) are written from it
  when grading ends, in the order the submissions were given, so they are the same whichever
  executor graded them (``_grading/executors.py``: local processes or a Dask cluster).

The same check cells work with nbgrader itself (``nbgrader generate_assignment`` /
``nbgrader autograde``); see exercises/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from ._grading import executors, feedback, journal, report, spreadsheet
from ._grading.notebook import Spec, SpecError, read_spec, visible_share_warnings, write_student
from ._grading.runner import Graded, GradeSettings, grade, sandbox_problem, write_csv
from ._grading.selfcheck import CheckFailed, check
from ._grading.tasks import TASKS, call_text
from ._grading.untrusted import SubmissionUnreadable, read_submission

__all__ = ["check", "CheckFailed", "grade", "write_csv", "write_student", "read_spec", "Graded",
           "GradeSettings", "SpecError", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gdteach.grade",
        description="Grade submitted exercise notebooks against the instructor notebook, or "
        "make the student version of instructor notebooks.",
        usage="%(prog)s SOURCE --csv OUT [options] -- SUBMISSION...\n"
        "       %(prog)s --make-student SOURCE... OUTDIR",
        epilog="Submissions go after --: a file name that starts with - (say, from a shell glob)\n"
        "is then a submission, never an option; before --, such a name is refused.\n\n"
        "examples:\n"
        "  python -m gdteach.grade exercises/source/02_update_rule.ipynb --csv grades.csv \\\n"
        "      --jobs 2 --feedback feedback/ --report report.html -- submitted/*/ps1/02_update_rule.ipynb\n"
        "  python -m gdteach.grade SOURCE --csv grades.csv --resume -- ...    # continue a stopped run\n"
        "  python -m gdteach.grade SOURCE --csv grades.csv --scheduler tcp://10.0.0.5:8786 -- ...\n"
        "  python -m gdteach.grade --make-student exercises/source/*.ipynb exercises/student/",
        allow_abbrev=False,  # a file named --rep=x.ipynb is no abbreviation of --report
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="SOURCE -- SUBMISSION... (grading) or SOURCE... OUTDIR (--make-student)")
    parser.add_argument("--csv", metavar="OUT", help="where to write the grades (one row per submission)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit for each cell and each task's tests (default 30)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="submissions graded at the same time, one process each (default 1)")
    parser.add_argument("--results", metavar="FILE.jsonl",
                        help="the results file: one JSON line per submission, written as grading "
                        "goes (default: OUT with the suffix .jsonl)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the run recorded in the results file: grade only the "
                        "submissions it does not hold yet")
    parser.add_argument("--feedback", metavar="DIR",
                        help="write one HTML feedback page per submission into DIR")
    parser.add_argument("--report", metavar="FILE.html",
                        help="write the instructor's report (and FILE-times.html beside it)")
    parser.add_argument("--id-pattern", metavar="REGEX",
                        help="how to read the student id from a submission's path: a regular "
                        "expression with a group (?P<student>...) (default: nbgrader's "
                        "submitted/<student>/<assignment>/<notebook>.ipynb)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="grade on this Dask distributed cluster instead of --jobs local "
                        "processes (pip install 'gdteach[cluster]')")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="grade even where bubblewrap sandboxes cannot run (UNSAFE: each "
                        "submission runs as your user, with your files and network; every row "
                        "says so)")
    parser.add_argument("--make-student", action="store_true",
                        help="write the student version of each SOURCE into OUTDIR")
    return parser


def _times_path(report_path: str) -> Path:
    path = Path(report_path)
    return path.with_name(f"{path.stem}-times.html")


def _case_labels(spec) -> dict[tuple[str, int], str]:
    """The call text of every case, by (grade_id, index): for the instructor's report."""
    labels = {}
    for test in spec.tests:
        index = 0
        for probe in test.probes:
            for case in probe.cases:
                labels[(test.grade_id, index)] = call_text(TASKS[probe.task], case)
                index += 1
    return labels


def _read_source(path: str, settings: GradeSettings) -> bytes:
    try:
        return read_submission(path, settings.max_submission_mb << 20)
    except SubmissionUnreadable as err:
        raise ValueError(f"SOURCE {path!r}: {err}") from None


def _check_outputs(args: argparse.Namespace) -> str:
    """Refuse unusable output paths before anything is graded; the results file's path."""
    spreadsheet.check_output_path(args.csv, "--csv")
    results = args.results or str(Path(args.csv).with_suffix(".jsonl"))
    if os.path.abspath(results) == os.path.abspath(args.csv):
        results = args.csv + ".jsonl"
    spreadsheet.check_output_path(results, "--results")
    if args.report:
        spreadsheet.check_output_path(args.report, "--report")
        spreadsheet.check_output_path(_times_path(args.report), "--report's times page")
    if args.feedback:
        spreadsheet.check_output_dir(args.feedback, "--feedback")
    return results


class _Run:
    """One grading run's bookkeeping: which submission is which key, what to grade next, and
    each finished record into the journal and onto the terminal."""

    def __init__(self, submissions: list[str], spec: Spec, source: bytes,
                 settings: GradeSettings, results: journal.Journal, students: list[str]):
        self.submissions, self.spec, self.source = submissions, spec, source
        self.settings, self.results, self.students = settings, results, students
        self.keys: list[tuple[str, str]] = [("", "")] * len(submissions)

    def finish(self, index: int, record: dict, sha: str, seconds: float) -> None:
        path = self.submissions[index]
        record = {"submission": path, "student": self.students[index],
                  "sha256": sha, **record, "seconds": round(seconds, 3)}
        self.results.add(record)
        note = f"  ({'; '.join(record['errors'])})" if record["errors"] else ""
        print(spreadsheet.plain_text(f"[{len(self.results.done)}/{len(self.submissions)}] "
                                     f"{path}: {record['total']:g}/{record['max']:g}{note}"),
              flush=True)

    def tasks(self) -> Iterator[tuple[int, tuple]]:
        """The submissions still to grade (an unreadable one is recorded at once)."""
        for index, path in enumerate(self.submissions):
            try:
                data = read_submission(path, self.settings.max_submission_mb << 20)
            except SubmissionUnreadable as err:
                self.keys[index] = (path, "")
                if self.keys[index] not in self.results.done:
                    self.finish(index, journal.empty_record(self.spec, [err.problem()]), "", 0.0)
                continue
            self.keys[index] = (path, hashlib.sha256(data).hexdigest())
            if self.keys[index] not in self.results.done:
                yield index, (self.source, data, self.settings)


def _warn_before_grading(args: argparse.Namespace, spec: Spec) -> None:
    """Say what the instructor should know, and refuse to grade unsandboxed by accident."""
    for warning in visible_share_warnings(spec):
        print(spreadsheet.plain_text(f"WARNING: {warning}"), file=sys.stderr)
    if args.no_sandbox:
        print("WARNING: --no-sandbox: submissions run as your user, with your files and "
              "network; every row's error column says so", file=sys.stderr)
    elif not args.scheduler and (problem := sandbox_problem()):
        raise RuntimeError(f"cannot sandbox submissions here: {problem}. Grade on Linux with "
                           "bubblewrap, or pass --no-sandbox (unsafe)")


def _grade(args: argparse.Namespace) -> int:
    results_path = _check_outputs(args)
    source_path, submissions = args.paths[0], args.paths[1:]
    students = spreadsheet.student_ids(submissions, args.id_pattern)
    settings = GradeSettings(timeout=args.timeout, sandbox="none" if args.no_sandbox else "bwrap")
    source = _read_source(source_path, settings)
    spec = read_spec(source)
    _warn_before_grading(args, spec)
    head = journal.header(source_path, hashlib.sha256(source).hexdigest(),
                          dataclasses.asdict(settings))
    with journal.Journal.open(results_path, head, resume=args.resume) as results:
        run = _Run(submissions, spec, source, settings, results, students)
        if args.resume:
            print(f"resuming {results_path}: {len(results.done)} submissions already graded")
        if args.scheduler:
            stream = executors.run_dask(run.tasks(), args.scheduler,
                                        preflight=None if args.no_sandbox else sandbox_problem)
        else:
            stream = executors.run_local(run.tasks(), args.jobs)
        try:
            for index, (record, seconds, _) in stream:
                run.finish(index, record, run.keys[index][1], seconds)
        except KeyboardInterrupt:
            print(f"\ninterrupted: {len(results.done)} graded submissions are in {results_path}; "
                  "run the same command with --resume to grade the rest", file=sys.stderr)
            return 130
        records = journal.in_order(results.done.values(), run.keys)
    return _write_outputs(args, spec, records, results_path)


def _write_outputs(args: argparse.Namespace, spec: Spec, records: list[dict],
                   results_path: str) -> int:
    """The CSV, the feedback pages and the report; 1 if a page could not be written."""
    spreadsheet.write_atomic(args.csv, spreadsheet.grades_csv(records))
    print(f"wrote {args.csv} and {results_path}")
    failures = _write_feedback(Path(args.feedback), records) if args.feedback else {}
    if args.report:
        times = _times_path(args.report)
        title = f"Grades of {Path(args.paths[0]).name}"
        spreadsheet.write_atomic(args.report, report.report_html(  # hidden inputs: 0600
            records, title=title, labels=_case_labels(spec), times_link=times.name), private=True)
        spreadsheet.write_atomic(times, report.times_html(records, title=f"{title}: time per submission"))
        print(f"wrote {args.report} and {times}")
    return 1 if failures else 0


def _write_feedback(folder: Path, records: list[dict]) -> dict[int, str]:
    """Write each record's page and ``index.csv`` (which page is whose) into ``folder``; the
    pages that could not be written, by position, with why. One page that fails (a full disk,
    a folder in its place) is said on its row of the index and stops neither the other pages
    nor the report; the journal is already complete, so ``--resume`` is unaffected."""
    names = feedback.feedback_names([record["submission"] for record in records])
    failures: dict[int, str] = {}
    for index, (record, name) in enumerate(zip(records, names)):
        target = folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            spreadsheet.write_atomic(target, feedback.feedback_html(
                record, Path(record["submission"]).name))
        except (OSError, ValueError) as err:
            failures[index] = f"page not written: {err}"
            print(spreadsheet.plain_text(f"error: feedback page of {record['submission']}: "
                                         f"{failures[index]}"), file=sys.stderr)
    spreadsheet.write_atomic(folder / "index.csv", feedback.index_csv(records, names, failures))
    print(f"wrote {len(records) - len(failures)} of {len(records)} feedback pages and "
          f"index.csv into {folder}")
    return failures


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """The command line, with every argument after the first ``--`` a path, never an option.

    A shell glob is untrusted: in a folder holding ``--report=leak.html.ipynb``, ``*`` expands
    to an argument argparse reads as ``--report``. So before ``--`` an argument that starts with
    ``-`` and names a file, or that is no option of this command, is refused (argparse exits
    with status 2) before anything is read or written.

    >>> _parse(_parser(), ["s.ipynb", "--csv", "g.csv", "--", "-x.ipynb"]).paths
    ['s.ipynb', '-x.ipynb']
    """
    argv = list(argv)
    before, after = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    how = ("put submissions after '--' (python -m gdteach.grade SOURCE --csv OUT [options] "
           "-- SUBMISSION...)")
    for arg in before:
        if arg.startswith("-") and os.path.lexists(arg):
            parser.error(f"{spreadsheet.plain_text(repr(arg))} is a file given where an option "
                         f"can be read; nothing was graded: {how}")
    args, unknown = parser.parse_known_intermixed_args(before)
    if unknown:
        parser.error(f"{spreadsheet.plain_text(repr(unknown[0]))} is no option of this command; "
                     f"nothing was graded. If it is a submission, {how}")
    if argv.count("--") == 1 and os.path.lexists("--"):
        print("WARNING: a file named '--' is in the current folder and '--' was given once: if "
              "a shell glob gave it, it was read as the separator and is not graded (give it as "
              "./--)", file=sys.stderr)
    args.paths += after
    return args


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = _parse(parser, sys.argv[1:] if argv is None else argv)
    try:
        if args.make_student:
            if len(args.paths) < 2:
                parser.error("--make-student needs SOURCE... OUTDIR")
            for source in args.paths[:-1]:
                print(f"wrote {write_student(source, args.paths[-1])}")
            return 0
        if args.csv is None or len(args.paths) < 2:
            parser.error("grading needs SOURCE, at least one SUBMISSION and --csv OUT")
        if args.timeout <= 0 or args.jobs < 1:
            parser.error("--timeout must be > 0 and --jobs >= 1")
        if args.scheduler and args.jobs != 1:
            parser.error("give either --jobs (local processes) or --scheduler (a Dask cluster)")
        return _grade(args)
    except (SpecError, OSError, ValueError, RuntimeError) as err:
        print(spreadsheet.plain_text(f"error: {err}"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

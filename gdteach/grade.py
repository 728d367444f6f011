"""Auto-graded exercises: self-checks for learners, bulk grading for instructors.

Each exercise is one instructor notebook in nbgrader's markup (``exercises/source/``).
From it come:

- the student notebook, by ``python -m gdteach.grade --make-student SOURCE… OUTDIR``
  (solutions replaced by ``raise NotImplementedError()``, hidden tests removed);
- the self-check: each check cell of the student notebook calls ``check(task, function,
  cases)``, which explains every failing case (input, expected, got, hint);
- bulk grading without a server::

      python -m gdteach.grade SOURCE SUBMISSION... --csv OUT [--timeout SECONDS] [--jobs N]

  Each submission's answer cells run in a fresh kernel; the kernel only sends back the
  results of the student's functions, and they are judged here (see
  ``gdteach._grading.runner``). One CSV row per submission: submission, points per task
  (the grade_id of each test cell), total, max, error.

The same check cells work with nbgrader itself (``nbgrader generate_assignment`` /
``nbgrader autograde``); see exercises/README.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._grading.notebook import SpecError, read_spec, write_student
from ._grading.runner import Graded, grade, write_csv
from ._grading.selfcheck import CheckFailed, check

__all__ = ["check", "CheckFailed", "grade", "write_csv", "write_student", "read_spec", "Graded",
           "SpecError", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gdteach.grade",
        description="Grade submitted exercise notebooks against the instructor notebook, or "
        "make the student version of instructor notebooks.",
        epilog="examples:\n"
        "  python -m gdteach.grade exercises/source/02_update_rule.ipynb "
        "submitted/*/02_update_rule.ipynb --csv grades.csv --jobs 2\n"
        "  python -m gdteach.grade --make-student exercises/source/*.ipynb exercises/student/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="SOURCE SUBMISSION... (grading) or SOURCE... OUTDIR (--make-student)")
    parser.add_argument("--csv", metavar="OUT", help="where to write the grades (one row per submission)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                        help="time limit for each cell and each task's tests (default 30)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="submissions graded at the same time, one kernel each (default 1)")
    parser.add_argument("--make-student", action="store_true",
                        help="write the student version of each SOURCE into OUTDIR")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
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
        results = grade(args.paths[0], args.paths[1:], timeout=args.timeout, jobs=args.jobs)
    except (SpecError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    write_csv(results, args.csv)
    for result in results:
        note = f"  ({'; '.join(result.errors)})" if result.errors else ""
        print(f"{result.submission}: {result.total:g}/{result.max_points:g}{note}")
    print(f"wrote {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

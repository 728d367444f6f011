"""Benchmark: bulk-grade 30 submissions of one exercise with ``--jobs 2``.

Target: under 60 s on a 2-core machine. Run from the repository root::

    python benchmarks/bench_grade.py                  # exercise 02, the correct fixture
    python benchmarks/bench_grade.py --exercise 04_learning_rate --count 30 --jobs 2

For exercise 02 the submissions are copies of exercises/fixtures/correct.ipynb; for the
others, copies of the instructor notebook (its solutions are a correct submission). Prints
the wall time, the time per submission, and checks that every copy got full marks;
``--sandbox-cost`` also grades them with ``--no-sandbox`` and prints the difference.
Exits 1 if a score is wrong or the wall time exceeds --limit.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", default="02_update_rule")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds allowed (default 60)")
    parser.add_argument("--sandbox-cost", action="store_true",
                        help="also grade with --no-sandbox and print the sandbox's cost per submission")
    args = parser.parse_args(argv)

    source = ROOT / "exercises" / "source" / f"{args.exercise}.ipynb"
    correct = ROOT / "exercises" / "fixtures" / "correct.ipynb"
    template = correct if args.exercise == "02_update_rule" else source
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        paths = []
        for i in range(args.count):
            path = Path(tmp) / f"student{i:02d}" / f"{args.exercise}.ipynb"
            path.parent.mkdir()
            shutil.copy(template, path)
            paths.append(str(path))
        out = Path(tmp) / "grades.csv"
        command = [sys.executable, "-m", "gdteach.grade", str(source), *paths, "--csv", str(out),
                   "--jobs", str(args.jobs)]
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        with open(out, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        cost = ""
        if args.sandbox_cost:
            bare = Path(tmp) / "bare.csv"
            start = time.perf_counter()
            subprocess.run([*command[:-4], "--csv", str(bare), "--jobs", str(args.jobs), "--no-sandbox"],
                           check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            unsandboxed = time.perf_counter() - start
            cost = (f"without the sandbox (--no-sandbox): {unsandboxed:.1f} s wall; the sandbox "
                    f"costs {(elapsed - unsandboxed) / args.count:+.3f} s per submission")
    wrong = [f"{row['submission']}: {row['total']}/{row['max']} {row['error']}".rstrip()
             for row in rows if row["total"] != row["max"] or row["error"]]
    print(f"exercise {args.exercise}: {args.count} submissions, --jobs {args.jobs}: "
          f"{elapsed:.1f} s wall ({elapsed / args.count:.2f} s per submission), "
          f"limit {args.limit:g} s; full marks: {len(rows) - len(wrong)}/{len(rows)}")
    if cost:
        print(cost)
    if wrong:
        print("not full marks:", *wrong, sep="\n  ")
    return 1 if wrong or elapsed > args.limit or len(rows) != args.count else 0


if __name__ == "__main__":
    sys.exit(main())

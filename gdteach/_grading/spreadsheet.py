"""The grades CSV: student ids from paths, cells a spreadsheet imports unchanged, safe writes.

- **Student ids.** nbgrader keeps submissions as ``submitted/<student>/<assignment>/<notebook>.ipynb``;
  ``student_id`` reads ``<student>`` from such a path. Another layout takes a regular
  expression with a group named ``student`` (``--id-pattern``), searched in the path written
  with ``/``.
- **Spreadsheet-safe cells.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return would be read as a formula by Excel, LibreOffice or Google Sheets
  (CSV formula injection, OWASP): such a cell gets a leading ``'``, so it is imported as
  text and never evaluated (the ``'`` stays visible and marks the escaped cell); so does
  ``= + - @`` after a separator-like character (``,`` ``;`` tab ``|``), so that a file split
  on ``;`` (Excel in most European locales) holds no formula either. Control characters
  become spaces, invisible ones visible escapes. Numbers are written plainly, so they import
  as numbers. ``csv_text`` is the grader's one CSV writer.
- **Safe writes.** An output path must be a regular file or absent (never a FIFO, a
  directory or a symbolic link): ``check_output_path`` says so before grading starts. The
  CSV is written to a temporary file in the target's directory and renamed into place, so
  a reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .untrusted import visible

__all__ = ["NBGRADER_PATTERN", "student_id", "id_pattern", "safe_cell", "plain_text",
           "check_output_path", "check_output_dir", "write_atomic", "csv_text", "number",
           "grades_csv"]

#: nbgrader's layout: ``…/submitted/<student>/<assignment>/<notebook>.ipynb``.
NBGRADER_PATTERN = r"(?:^|/)submitted/(?P<student>[^/]+)/[^/]+/[^/]+$"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = {code: " " for code in [*range(32), 127]}


def id_pattern(pattern: str) -> re.Pattern[str]:
    """Compile an ``--id-pattern``; it must have a group named ``student``.

    >>> id_pattern(r"(?P<student>[a-z]+)_hw2\\.ipynb$").search("in/bob_hw2.ipynb")["student"]
    'bob'
    """
    try:
        compiled = re.compile(pattern)
    except re.error as err:
        raise ValueError(f"id_pattern is not a regular expression ({err}), got {pattern!r}") from None
    if "student" not in compiled.groupindex:
        raise ValueError(f"id_pattern needs a group named 'student', (?P<student>...), got {pattern!r}")
    return compiled


def student_id(path: str | os.PathLike, pattern: re.Pattern[str] | None = None) -> str:
    """The student a submission belongs to, read from its path ("" when it does not match).

    >>> student_id("course/submitted/ada/ps1/02_update_rule.ipynb")
    'ada'
    >>> student_id("inbox/02_update_rule.ipynb")
    ''
    """
    match = (pattern or re.compile(NBGRADER_PATTERN)).search(Path(path).as_posix())
    return (match["student"] or "") if match else ""


#: the matching of an --id-pattern against all the submissions' paths, in a child process:
#: the instructor's pattern meets names that students chose, and a pattern with nested
#: repeats such as ``(a+)+`` can take exponential time on a crafted name
_MATCH_IDS = """
import json, re, sys
pattern = re.compile(sys.argv[1])
ids = []
for path in json.load(sys.stdin):
    match = pattern.search(path)
    ids.append((match["student"] or "") if match else "")
json.dump(ids, sys.stdout)
"""
ID_PATTERN_SECONDS = 10.0


def student_ids(paths: list[str], pattern: str | None = None,
                seconds: float = ID_PATTERN_SECONDS) -> list[str]:
    """``student_id`` of each path; a custom ``pattern`` (checked by ``id_pattern``) is
    matched in a child process that gets ``seconds`` for all the paths.

    >>> student_ids(["submitted/ada/ps1/a.ipynb", "in/b.ipynb"])
    ['ada', '']
    >>> student_ids(["in/7-a.ipynb"], r"in/(?P<student>\\d+)-")
    ['7']
    """
    if pattern is None:
        return [student_id(path) for path in paths]
    id_pattern(pattern)
    try:
        done = subprocess.run([sys.executable, "-I", "-c", _MATCH_IDS, pattern],
                              input=json.dumps([Path(p).as_posix() for p in paths]),
                              capture_output=True, text=True, timeout=seconds, check=True)
    except subprocess.TimeoutExpired:
        raise ValueError(f"--id-pattern took more than {seconds:g} s to read the student ids "
                         "from the submissions' paths: a pattern with nested repeats, such as "
                         "(a+)+, can take exponential time on a name a student chose; simplify "
                         f"it, got {pattern!r}") from None
    return [str(item) for item in json.loads(done.stdout)]


def plain_text(text: str) -> str:
    """Student-controlled text made safe for a terminal or a spreadsheet: ASCII control
    characters become spaces; every other invisible or formatting character (C1 controls such
    as U+009B, the CSI that starts a terminal escape; bidirectional overrides and isolates,
    U+202A–202E and U+2066–2069; zero-width characters, U+200B–200F, U+2060, U+FEFF; line
    separators) is written as a visible ``\\x9b`` / ``\\u202e`` escape, so it can neither move
    a cursor nor reorder what is shown.

    >>> plain_text("ok\\x1b[2J\\rforged")
    'ok [2J forged'
    >>> plain_text("ada\\u202egpj.exe\\u200b\\x9b2J")
    'ada\\\\u202egpj.exe\\\\u200b\\\\x9b2J'
    """
    text = str(text).translate(_CONTROL)
    if text.isprintable():
        return text
    return "".join(visible(char) if not char.isprintable() else char for char in text)


#: A formula start after any separator a spreadsheet may split on (Excel in most European
#: locales uses ``;``), after spaces or a field's opening quote: that would start a field
_AFTER_SEPARATOR = re.compile(r"""([,;\t|][ "]*)([=+\-@])""")


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet imports as the same text, never as a formula, whichever
    separator it splits the file on: a ``'`` goes before a formula start (``= + - @``, a tab,
    a carriage return) at the start of the text (after any spaces), and before ``= + - @`` after any
    separator-like character (``,`` ``;`` tab ``|``, then spaces or a ``"``). Invisible
    characters are escaped (``plain_text``).

    >>> [safe_cell(t) for t in ["=1+1", "-2", "@SUM(A1)", "alice", "a\\nb", "x;=cmd|' /C calc'!A0"]]
    ["'=1+1", "'-2", "'@SUM(A1)", 'alice', 'a b', "x;'=cmd|' /C calc'!A0"]
    >>> safe_cell(" =1+1")
    "' =1+1"
    """
    text = str(text)
    # spaces first too: a spreadsheet that trims cells on import would see the formula
    start = "'" if text.lstrip(" ").startswith(_FORMULA_START) else ""
    return start + _AFTER_SEPARATOR.sub(r"\1'\2", plain_text(text))


def number(value: float) -> str:
    """Points as a spreadsheet reads them: ``5``, ``2.5`` (at most 6 decimals).

    >>> number(5.0), number(2.5), number(1 / 3)
    ('5', '2.5', '0.333333')
    """
    return format(round(float(value), 6), "g")


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str | float]]) -> str:
    """The CSV as text: ``\\n`` line ends, quoting only where needed; every text cell
    through ``safe_cell``, every number through ``number``. The one CSV writer of the grader.

    >>> csv_text(["who", "points"], [["=x", 2.5]])
    "who,points\\n'=x,2.5\\n"
    """
    def cell(value: str | float) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return number(value)
        return safe_cell(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cell(value) for value in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def check_output_path(path: str | os.PathLike, what: str) -> Path:
    """Refuse an output path that is not a regular file or absent, or whose folder is missing.

    Checked before grading starts, so a FIFO (which would block), a directory or a symbolic
    link (which would redirect the write to any file of the user) ends the run at once.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None:
        kind = ("a symbolic link" if stat.S_ISLNK(info.st_mode) else
                "a directory" if stat.S_ISDIR(info.st_mode) else
                "a FIFO" if stat.S_ISFIFO(info.st_mode) else
                None if stat.S_ISREG(info.st_mode) else "not a regular file")
        if kind:
            raise ValueError(f"{what} {str(path)!r} is {kind}: give a regular file's path "
                             "(it is replaced) or a new one")
    parent = path.parent
    if not parent.is_dir():
        raise ValueError(f"{what} {str(path)!r}: its folder {str(parent)!r} does not exist")
    return path


def check_output_dir(path: str | os.PathLike, what: str) -> Path:
    """Refuse an output folder that exists but is not a real directory (a symlink, a file)."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise ValueError(f"{what} {str(path)!r}: its folder {str(path.parent)!r} does not "
                             "exist") from None
        return path
    if not stat.S_ISDIR(info.st_mode):
        kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a directory"
        raise ValueError(f"{what} {str(path)!r} is {kind}: give a directory or a new path")
    return path


def current_umask() -> int:
    """This process's file mode creation mask (read from ``/proc``, else set and reset)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: bytes | str, *, private: bool = False) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    The file gets the mode a plain ``open`` would give it (``0o666`` less the umask), or
    ``0o600`` whatever the umask if ``private`` (a page that holds hidden inputs)."""
    path = check_output_path(path, "output")
    mode = 0o600 if private else 0o666 & ~current_umask()
    payload = data.encode("utf-8") if isinstance(data, str) else data
    # the name's first 64 characters: a 255-byte name plus the temporary parts is too long
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name[:64]}.",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def grades_csv(records: Sequence[dict]) -> str:
    """The grades as CSV text: ``submission, student, <one column per test cell>, total,
    max, error``, one row per record, in order."""
    if not records:
        raise ValueError("records is empty: no grades to write")
    columns = [task["grade_id"] for task in records[0]["tasks"]]
    rows = [[r["submission"], r.get("student", ""), *(float(task["points"]) for task in r["tasks"]),
             float(r["total"]), float(r["max"]), "; ".join(r["errors"])]
            for r in records]
    return csv_text(["submission", "student", *columns, "total", "max", "error"], rows)

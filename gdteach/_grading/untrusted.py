"""Text and files that come from students: escaped before display, opened with care.

- ``escape(text)``: student-controlled text (a grade_id, an exception message) with every
  control or formatting character (ANSI escapes, carriage returns, bidirectional overrides,
  zero-width characters, line separators) written as a visible ``\\x1b`` / ``\\u202e``
  escape, and cut to ``limit`` characters. Nothing it returns can move a terminal's cursor,
  forge a line of the summary, or reorder what a spreadsheet shows.
- ``read_submission(path, max_bytes)``: a submission's bytes, opened without following a
  symbolic link, only if it is a regular file (never a FIFO, a device such as /dev/zero,
  or a folder), and only up to ``max_bytes``.
"""

from __future__ import annotations

import os
import stat
import unicodedata

from .problems import Code, Problem

__all__ = ["escape", "visible", "read_submission", "SubmissionUnreadable"]


class SubmissionUnreadable(ValueError):
    """The submission file is not read; the message says why (it becomes the row's error),
    ``code`` (a ``problems.Code``) what kind of refusal it is."""

    def __init__(self, message: str, code: Code = Code.FILE_NOT_GRADED) -> None:
        super().__init__(message)
        self.code = Code(code)

    def problem(self) -> Problem:
        return Problem(self.code, str(self))


def visible(char: str) -> str:
    """One character as the text a reader sees: escaped if it is a control or formatting
    character (``\\u202e``), itself otherwise."""
    code = ord(char)
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return char


def escape(text: str, limit: int = 300) -> str:
    r"""``text`` with control and formatting characters escaped, at most ``limit`` long.

    >>> escape("ok\x1b[2K\rgd_step: 5/5\u202e")
    'ok\\x1b[2K\\x0dgd_step: 5/5\\u202e'
    >>> escape("x" * 10, limit=4)
    'xxx…'
    """
    if not isinstance(text, str):
        text = str(text)
    out = "".join(visible(char) if not char.isprintable() or char in "\u2028\u2029" else char
                  for char in text[: limit * 4])
    return out if len(out) <= limit else out[: limit - 1] + "…"


def read_submission(path: str | os.PathLike, max_bytes: int,
                    not_one_of: tuple[str | os.PathLike, ...] = ()) -> bytes:
    """The bytes of the submission at ``path``; SubmissionUnreadable says why not.

    Opened with ``O_NOFOLLOW`` (a symbolic link, e.g. to the instructor's notebook, is
    refused) and ``O_NONBLOCK`` (a FIFO cannot block the grader); it must be a regular file
    of at most ``max_bytes`` bytes, checked before and while reading, and not the very file
    of any path in ``not_one_of`` (pass the instructor notebook: a folder symlinked to it,
    or a hard link, reaches it under another name).
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        if os.path.islink(path):
            raise SubmissionUnreadable("not graded: the file is a symbolic link (hand in the "
                                       "notebook itself)") from None
        raise SubmissionUnreadable(f"cannot read the file ({err.strerror})",
                                   Code.FILE_UNREADABLE) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionUnreadable("not graded: the file is not a regular file (a folder, "
                                       "a device or a pipe)")
        for other in not_one_of:
            try:
                same = os.path.samestat(info, os.stat(other))
            except OSError:
                continue
            if same:
                raise SubmissionUnreadable("not graded: the file is the instructor's notebook "
                                           "(reached through a linked folder or a hard link)")
        if info.st_size > max_bytes:
            raise SubmissionUnreadable(f"not graded: the file is larger than "
                                       f"{max_bytes / 2**20:g} MB")
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise SubmissionUnreadable(f"cannot read the file ({err.strerror})",
                                   Code.FILE_UNREADABLE) from None
    finally:
        os.close(fd)
    if size > max_bytes:
        raise SubmissionUnreadable(f"not graded: the file is larger than {max_bytes / 2**20:g} MB")
    return b"".join(chunks)

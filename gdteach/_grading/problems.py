"""What went wrong while grading a submission, as a typed value: a ``Code`` and a detail.

The code is chosen by the grader where the problem is found (the file reader, the sandbox,
the runner) and travels unchanged to the journal, the CSV, the feedback pages and the
report; every verdict (which explanation a student reads, what counts as the grader's own
fault) is taken from the code. The detail is the sentence shown, which may quote text the
student controls (an exception's message, a grade_id): it is only ever displayed, never
searched, so no text a student writes can change a verdict.

>>> problem = Problem(Code.ANSWER_RAISED, "answer cell 'a' raised ValueError: appears twice")
>>> problem.code is Code.ANSWER_RAISED, Problem.from_dict(problem.to_dict()) == problem
(True, True)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Code", "Problem"]


class Code(str, enum.Enum):
    """Every kind of problem the grader reports."""

    CELL_TIMEOUT = "cell_timeout"            # a cell or a check ran past its time limit
    WALL_TIME = "wall_time"                  # the submission's total time ran out
    OUTPUT_FLOOD = "output_flood"            # more output than the grader reads back
    CHANNEL_BROKEN = "channel_broken"        # the submission wrote on the grader's channel
    KERNEL_DIED = "kernel_died"              # the sandbox's Python stopped
    SYS_EXIT = "sys_exit"                    # the submission called sys.exit()
    ANSWER_MISSING = "answer_missing"        # an answer cell was deleted or lost its metadata
    ANSWER_DUPLICATED = "answer_duplicated"  # an answer cell appears more than once
    UNKNOWN_GRADE_ID = "unknown_grade_id"    # cells with grade_ids this exercise lacks
    REORDERED = "reordered"                  # cells were moved around
    LOCKED_DELETED = "locked_deleted"        # a test or setup cell was deleted
    LOCKED_CHANGED = "locked_changed"        # a test or setup cell was changed
    USES_GDTEACH = "uses_gdteach"            # an answer cell uses gdteach: not run
    NO_ANSWER_CELL = "no_answer_cell"        # none of the exercise's answer cells
    NOT_A_NOTEBOOK = "not_a_notebook"        # the file is not a readable notebook
    FILE_UNREADABLE = "file_unreadable"      # the file could not be read (permissions, I/O)
    FILE_NOT_GRADED = "file_not_graded"      # a link, a device, a folder, too large, the source
    CELL_TOO_LARGE = "cell_too_large"        # an answer cell longer than any answer needs
    CELL_MAGIC = "cell_magic"                # an answer cell under a %%cell magic: not run
    SANDBOX_FAILED = "sandbox_failed"        # the sandbox could not be started
    SETUP_FAILED = "setup_failed"            # an instructor's setup cell failed
    ANSWER_RAISED = "answer_raised"          # an answer cell raised an exception
    GRADER_FAILED = "grader_failed"          # a fault of the grader itself
    NO_SANDBOX = "no_sandbox"                # graded with --no-sandbox


@dataclass(frozen=True)
class Problem:
    """One problem: its ``code`` (the verdict) and ``detail`` (the sentence shown)."""

    code: Code
    detail: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", Code(self.code))  # a Code or its value
        if not isinstance(self.detail, str):
            raise TypeError(f"detail must be a str, got {self.detail!r}")

    def __str__(self) -> str:
        return self.detail

    def to_dict(self) -> dict:
        return {"code": self.code.value, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(Code(data["code"]), str(data["detail"]))

"""Learner edits for notebooks/02_update_rule.ipynb.

PLACEHOLDERS (S2, checked to pass today): S1, replace them with the edits a learner makes
first in 02 (the first optim.SGD(lr=0.1), start points, step counts). Keep at least three.
"""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 3.", find="start_x = 10\n", replace="start_x = 8\n",
         stale=[r"Started at x = 10\b"], expect=[r"Started at x = 8\b"], why="B start x = 8"),
    Edit(section="## 3.", find="start_x = 10\n", replace="start_x = 20\n",
         stale=[r"Started at x = 10\b", r"Iteration 1: x = 8\.0000"],
         expect=[r"Started at x = 20\b"], why="B start x = 20"),
    Edit(section="## 3.", find="start_x = 10\n", replace="start_x = -10\n",
         stale=[r"Started at x = 10\b", r"Iteration 1: x = 8\.0000"],
         expect=[r"Iteration 1: x = -8\.0000"], why="B start x = -10"),
]

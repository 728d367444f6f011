"""Learner edits for notebooks/01_derivatives.ipynb.

PLACEHOLDERS (S2, checked to pass today): S1, replace them with the edits a learner makes
first in 01 (learning rates, start points, step sizes h, seeds). Keep at least three.
"""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 1.", find="for h in [1.0, 0.5, 0.1, 0.01, 0.001]:",
         replace="for h in [1.0, 0.5, 0.2, 0.01, 0.001]:",
         stale=[r"(?m)^\s+0\.1\s+2\.100000"], expect=[r"(?m)^\s+0\.2\s+2\.200000"],
         why="secant h 0.1 to 0.2"),
    Edit(section="## 2.", find="actual, predicted = 60, 50", replace="actual, predicted = 61, 50",
         stale=[r"60 - 50 = 10"], expect=[r"61 - 50 = 11"], why="actual price 61"),
    Edit(section="## 1.", find="for h in [1.0, 0.5, 0.1, 0.01, 0.001]:",
         replace="for h in [1.0, 0.5, 0.1, 0.01, 0.0001]:",
         stale=[r"(?m)^\s+0\.001\s+2\.001000"], expect=[r"(?m)^\s+0\.0001\s+2\.000100"],
         why="secant h 0.001 to 0.0001"),
]

"""Learner edits for notebooks/03_variants.ipynb (S2)."""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 3", find="(500, 32), (500, 1)", replace="(500, 64), (500, 1)",
         stale=[r"(?m)^\s+500\s+32 \|"], expect=[r"(?m)^\s+500\s+64 \|\s+8 "], why="m 500 B 64"),
    Edit(section="## 3", find="(10, 4), (10, 5)", replace="(10, 3), (10, 5)",
         stale=[r"(?m)^\s+10\s+4 \|"], expect=[r"(?m)^\s+10\s+3 \|\s+4 "], why="m 10 B 3"),
    Edit(section="## 4", find="X[:, 1:].mean(axis=0), X[:, 1:].std(axis=0)",
         replace="X[:, 1:].mean(axis=0), 2 * X[:, 1:].std(axis=0)",
         stale=[r"Hessian eigenvalues after standardising: 1\.839"], why="scale features by 2σ"),
]

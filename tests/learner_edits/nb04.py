"""Learner edits for notebooks/04_learning_rate.ipynb (S2)."""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 2.", find="for lr in (0.49, 0.5, 0.51):", replace="for lr in (0.45, 0.5, 0.51):",
         stale=[r"η = 0\.49:"], expect=[r"η = 0\.45:"], why="bowl lr 0.45"),
    Edit(section="## 6.", find="for epoch in (0, 5, 9, 10, 15, 19, 20, 25, 29):",
         replace="for epoch in (0, 6, 9, 10, 15, 19, 20, 25, 29):",
         stale=[r"(?m)^\s+5\s+0\.1000\s+0\.0316"], expect=[r"(?m)^\s+6\s+0\.1000\s+0\.0251"],
         why="step decay epoch 6"),
    Edit(section="## 1.", find="k = np.arange(21)\nfor lr in (0.01, 0.1, 0.9, 1.5):",
         replace="k = np.arange(21)\nfor lr in (0.01, 0.2, 0.9, 1.5):",
         stale=[r"α = 0\.1\s+1 − 2α"], expect=[r"α = 0\.2\s+1 − 2α = \+0\.60"], why="D lr 0.2"),
]

"""Learner edits for notebooks/05_optimizers.ipynb.

PLACEHOLDERS (S2, checked to pass today): S3, replace them with the edits a learner makes
first in 05 (start point X0, learning rates, betas, step counts, seeds). Keep at least three.
"""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 4.", find="optim.Adagrad(lr=0.1), 10_000)", replace="optim.Adagrad(lr=0.2), 10_000)",
         stale=[r"(?m)^\s+1\s+0\.10000\s+0\.10000"], expect=[r"(?m)^\s+1\s+0\.20000\s+0\.20000"],
         why="AdaGrad lr 0.2"),
    Edit(section="## 5.", find="for alpha in (0.9, 0.99):", replace="for alpha in (0.9, 0.95):",
         stale=[r"RMSprop\(alpha=0\.99\)"], expect=[r"RMSprop\(alpha=0\.95\)"], why="RMSprop alpha 0.95"),
    Edit(section="## 7.", find="opt = optim.Adam(lr=0.1)", replace="opt = optim.Adam(lr=0.2)",
         stale=[r"0\.10000\s+4\.9000"], expect=[r"0\.20000\s+4\.8000"], why="Adam lr 0.2"),
]

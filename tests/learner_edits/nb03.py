"""Learner edits for notebooks/03_variants.ipynb (S2): batch sizes, rates, epochs, seeds, starts."""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 1", find="BATCH_SIZE, UPDATES, LR = 2, 6, 0.02", replace="BATCH_SIZE, UPDATES, LR = 3, 6, 0.02",
         stale=[r"in batches of 2\b"], expect=[r"in batches of 3: 2 updates per epoch"], why="batch size 3"),
    Edit(section="## 2", find="LR, EPOCHS, BATCH_SIZE, SEED = 0.01, 100, 2, 0",
         replace="LR, EPOCHS, BATCH_SIZE, SEED = 0.02, 100, 2, 0",
         stale=[r"\|1 − 0\.01·", r"constant η = 0\.01 only"], expect=[r"\|1 − 0\.02·", r"constant η = 0\.02 only"],
         why="B lr 0.02"),
    Edit(section="## 2", find="LR, EPOCHS, BATCH_SIZE, SEED = 0.01, 100, 2, 0",
         replace="LR, EPOCHS, BATCH_SIZE, SEED = 0.01, 50, 2, 3",
         stale=[r"np\.random\.seed\(0\)", r"seed 0 \[", r"after 100 epochs", r"start of epoch 99\b"],
         expect=[r"np\.random\.seed\(3\)", r"after 50 epochs", r"start of epoch 49\b"], why="B 50 epochs seed 3"),
    Edit(section="## 3", find="ALPHA, EPOCHS_C, BATCH_C, SEED_C = 0.1, 100, 2, 0",
         replace="ALPHA, EPOCHS_C, BATCH_C, SEED_C = 0.1, 100, 1, 0",
         stale=[r"n = 3, B = 2\b"], expect=[r"n = 3, B = 1 gives 3"], why="C batch size 1"),
    Edit(section="## 4", find="LR_E, EPOCHS_E = 0.001, 1000", replace="LR_E, EPOCHS_E = 0.0002, 1000",
         stale=[r"η·λ_max = 0\.001·", r"with η = 0\.001\b", r"raw, η = 0\.001\b"],
         expect=[r"η·λ_max = 0\.0002·\d+ = 1\.79 < 2", r"stop_reason = 'max_steps'"], why="E lr 0.0002 (stable)"),
    Edit(section="## 5", find="LR_5, EPOCHS_5 = 0.05, 10", replace="LR_5, EPOCHS_5 = 0.1, 5",
         stale=[r"at η = 0\.05\b", r"in 10 epochs", r"epochs 1–10\b"], expect=[r"in 5 epochs at η = 0\.1\b"],
         why="lr 0.1, 5 epochs"),
    Edit(section="## 6", find="LR_6, EPOCHS_6, THETA0, SEED_6 = 0.02, 60, [0.0, 0.0], 1",
         replace="LR_6, EPOCHS_6, THETA0, SEED_6 = 0.01, 40, [1.2, 0.0], 1",
         stale=[r"η = 0\.02\b", r"60 epochs", r"from \(0, 0\)"], expect=[r"40 epochs at η = 0\.01 from \(1\.2, 0\)"],
         why="hours lr 0.01 start (1.2, 0)"),
]

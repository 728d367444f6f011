"""Learner edits for notebooks/05_optimizers.ipynb: the learning rates, β's, start points, step
counts, batch size and seeds a learner changes first (S3)."""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 1.", find="ETA = 0.45            # try 0.2 or 0.49", replace="ETA = 0.2",
         stale=[r"SGD\(lr=0\.45\)", r"1 − 0\.45·4"], expect=[r"SGD\(lr=0\.2\)", r"1 − 0\.2·4"],
         why="plain GD at lr 0.2"),
    Edit(section="## 2.", find="eta, beta = 0.1, 0.9", replace="eta, beta = 0.05, 0.8",
         stale=[r"η = 0\.1, β = 0\.9", r"\(β = 0\.9\)"], expect=[r"η = 0\.05, β = 0\.8", r"\(β = 0\.8\)"],
         why="momentum eta 0.05 beta 0.8"),
    Edit(section="## 4.", find="ETA, BETA = 0.45, 0.9", replace="ETA, BETA = 0.3, 0.5",
         stale=[r"η = 0\.45, β = 0\.9"], expect=[r"η = 0\.3, β = 0\.5"], why="2x2 matrix at other eta beta"),
    Edit(section="## 5.", find="ADA_LR, ADA_STEPS = 0.1, 10_000", replace="ADA_LR, ADA_STEPS = 0.2, 1_000",
         stale=[r"AdaGrad\(lr=0\.1\)", r"(?m)^\s+10000\s"], expect=[r"AdaGrad\(lr=0\.2\)"],
         why="AdaGrad lr 0.2, 1000 steps"),
    Edit(section="## 9.", find="RACE_START = X0 ", replace="RACE_START = np.array([4.0, 1.0]) ",
         stale=[r"start \[-5\.0, -2\.0\]"], expect=[r"start \[4\.0, 1\.0\]"], why="race from another start"),
    Edit(section="## 9.", find="M_ROWS, BATCH, NOISY_STEPS, WINDOW, SIGMA, SEEDS = 200, 10, 400, 100, 0.5, (0, 1, 2, 3, 4)",
         replace="M_ROWS, BATCH, NOISY_STEPS, WINDOW, SIGMA, SEEDS = 200, 20, 400, 100, 0.5, (5, 6, 7)",
         stale=[r"mini-batches of 10\b", r"= 20 epochs"], expect=[r"mini-batches of 20\b", r"= 40 epochs"],
         why="noisy race batch 20, other seeds"),
    Edit(section="## 10.", find="ETA_S, BETA_S, SIGMA_S, SEED_S, STEPS_S = 0.1, 0.9, 0.01, 0, 300",
         replace="ETA_S, BETA_S, SIGMA_S, SEED_S, STEPS_S = 0.2, 0.9, 0.01, 1, 200",
         stale=[r"η = 0\.1\b", r"never \(300\)"], expect=[r"η = 0\.2\b", r"never \(200\)"],
         why="saddle eta 0.2, 200 steps, seed 1"),
    # S4 review: edits that raised, printed "None updates"/"after never" or hid a divergence
    Edit(section="## 2.", find="eta, beta = 0.1, 0.9", replace="eta, beta = 0.1, 0.99",
         stale=[r"β = 0\.9\b"], expect=[r"best α = — \(none settles\)"], why="momentum beta 0.99"),
    Edit(section="## 2.", find="RAVINE_STEPS = 1000", replace="RAVINE_STEPS = 100",
         stale=[r"after 149 updates"], expect=[r"never within 100 updates"], why="tune C's alpha on 100 updates"),
    Edit(section="## 3.", find="ETA, BETA, STEPS = 0.45, 0.9, 1000", replace="ETA, BETA, STEPS = 0.6, 0.9, 1000",
         stale=[r"(?m)^η = 0\.45\b", r"\d{20,}"], expect=[r"(?m)^GD +diverges"], why="ravine at eta 0.6 (GD diverges)"),
    Edit(section="## 4.", find="N = 1000", replace="N = 50",
         stale=[r"the tuned pair \(64 updates\)", r"None updates"], expect=[r"does not settle within 50 updates"],
         why="the theory's runs for 50 updates"),
    Edit(section="## 9.", find="RACE_START = X0 ", replace="RACE_START = np.array([-5.0, 0.0]) ",
         stale=[r"start \[-5\.0, -2\.0\]"], expect=[r"start \[-5\.0, 0\.0\]", r"RMSprop\(lr=0\.015\)"],
         why="race from the valley floor"),
    Edit(section="## 10.", find="ETA_S, BETA_S, SIGMA_S, SEED_S, STEPS_S = 0.1, 0.9, 0.01, 0, 300",
         replace="ETA_S, BETA_S, SIGMA_S, SEED_S, STEPS_S = 0.1, 0.9, 0.01, 0, 50",
         stale=[r"never \(300\)"], expect=[r"not within 50 updates"], why="saddle with 50 steps"),
]

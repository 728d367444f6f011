"""Learner edits for notebooks/02_update_rule.ipynb: the numbers a learner changes first.

Each edit changes a parameter at the top of a section's cell (a learning rate, a start point);
the section must still run, and nothing it prints or draws may state the old value.
"""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 1.", find="eta = 0.1 ", replace="eta = 0.2 ",
         stale=[r"multiply by 1 − 2η = 0\.8\b", r"0\.8 × 5 = 4\.0", r"η = 0\.1\b", r"20% per step"],
         expect=[r"multiply by 1 − 2η = 0\.6\b", r"θ₁ = 0\.6 × 5 = 3\.0", r"40% per step"],
         why="article A's rate 0.1 to 0.2"),
    Edit(section="## 1.", find="opt = optim.SGD(lr=eta)", replace="opt = optim.SGD(lr=0.2)",
         stale=[r"multiply by 1 − 2η = 0\.8\b", r"0\.8 × 5 = 4\.0", r"η = 0\.1\b"],
         expect=[r"multiply by 1 − 2η = 0\.6\b", r"θ₁ = 0\.6 × 5 = 3\.0"],
         why="the rate typed into SGD(lr=…) itself"),
    Edit(section="## 1.", find="theta_start = 5.0 ", replace="theta_start = -2.0 ",
         stale=[r"θ₀ = 5\b", r"× 5 = 4\.0"], expect=[r"θ₀ = -2\b", r"0\.8 × -2 = -1\.6"],
         why="start θ₀ = −2"),
    Edit(section="## 3.", find="start_x = 10 ", replace="start_x = 20 ",
         stale=[r"Started at x = 10\b", r"from x = 10\)"], expect=[r"Started at x = 20\b", r"from x = 20\)"],
         why="B start x = 20"),
    Edit(section="## 3.", find="learning_rate = 0.1\n", replace="learning_rate = 0.3\n",
         stale=[r"1 − 2·0\.1 = 0\.8"], expect=[r"1 − 2·0\.3 = 0\.4"], why="B learning rate 0.3"),
    Edit(section="## 4.", find="w_start, eta_d, steps_d = 0.0, 0.1, 5",
         replace="w_start, eta_d, steps_d = 0.0, 0.2, 5",
         stale=[r"New w: w − 0\.1·gradient", r"η = 0\.1, 15 steps", r"3·0\.8\^"],
         expect=[r"New w: w − 0\.2·gradient", r"3·0\.6\^"], why="D's rate 0.1 to 0.2"),
    Edit(section="## 6.", find="eta_c = 0.1 ", replace="eta_c = 0.05 ",
         stale=[r"− 0\.1 × \(-9\.33\)", r"η = 0\.1, L ="], expect=[r"− 0\.05 × \(-9\.33\)"],
         why="C's rate 0.1 to 0.05"),
    Edit(section="## 7.", find="lr_b, epochs, print_every = 0.01, 1000, 100",
         replace="lr_b, epochs, print_every = 0.02, 1000, 100",
         stale=[r"η = 0\.01\b"], expect=[r"η = 0\.02\b"], why="B's rate 0.01 to 0.02"),
    # S4 review: edits that exposed nan ratios, "after 0", index errors and negative distances
    Edit(section="## 1.", find="eta = 0.1 ", replace="eta = 0.5 ",
         stale=[r"multiply by 1 − 2η = 0\.8\b", r"\bnan\b"],
         expect=[r"land on the minimum in one step", r"θ is exactly 0 from update 1 on"], why="Newton's rate 0.5"),
    Edit(section="## 1.", find="theta_start = 5.0 ", replace="theta_start = 0.0 ",
         stale=[r"θ₀ = 5\b", r"\bnan\b"], expect=[r"θ₀ = 0 is the minimum"], why="start at the minimum"),
    Edit(section="## 3.", find="start_x = 10 ", replace="start_x = 0 ",
         stale=[r"Started at x = 10\b", r"\bnan\b"], expect=[r"from the start"], why="B starting at x = 0"),
    Edit(section="## 4.", find="steps_loop = 50", replace="steps_loop = 3",
         stale=[r"unrounded: w_50\b"], expect=[r"unrounded: w_3 = 1\.46400000"], why="D's loop for 3 steps"),
    Edit(section="## 4.", find="w_start, eta_d, steps_d = 0.0, 0.1, 5", replace="w_start, eta_d, steps_d = 0.0, 1.2, 5",
         stale=[r"New w: w − 0\.1·gradient", r"distance to 3: -"], expect=[r"3·\(-1\.4\)\^1 = 7\.200000"],
         why="D's rate 1.2 (diverges)"),
    Edit(section="## 6.", find="eta_c = 0.1 ", replace="eta_c = 0.5 ",
         stale=[r"− 0\.1 × \(-9\.33\)"], expect=[r"at C's α = 0\.1 \(not the η = 0\.5 above\)"],
         why="C's rate 0.5 (diverges)"),
    Edit(section="## 7.", find="lr_b, epochs, print_every = 0.01, 1000, 100",
         replace="lr_b, epochs, print_every = 0.3, 1000, 100",
         stale=[r"η = 0\.01\b"], expect=[r"η = 0\.3 is above 2/λ_max", r"the run diverged at epoch"],
         why="B's rate 0.3 (diverges)"),
]

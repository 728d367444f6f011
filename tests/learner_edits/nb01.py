"""Learner edits for notebooks/01_derivatives.ipynb: the numbers a learner changes first.

Each edit changes a parameter at the top of a section's cell; the section must still run, and
nothing it prints or draws may still state the old value.
"""

from tests.learner_edits import Edit

EDITS = [
    Edit(section="## 1.", find="theta = 1.0 ", replace="theta = 2.0 ",
         stale=[r"Secants through θ = 1 turn", r"slope − 2\b", r"tangent: slope 2\b"],
         expect=[r"Secants through θ = 2 turn", r"slope − 4\b"], why="slope of θ² at θ = 2"),
    Edit(section="## 2.", find="look = 0.1 ", replace="look = 0.5 ",
         stale=[r"f\(w − 0\.1\)"], expect=[r"f\(w − 0\.5\)"], why="look further left and right"),
    Edit(section="## 3.", find="h = 1e-3 ", replace="h = 1e-2 ",
         stale=[r"J\(-0\.001\)"], expect=[r"J\(-0\.01\)"], why="a coarser secant for J''"),
    Edit(section="## 4.", find="x0 = 1.0 ", replace="x0 = 2.0 ",
         stale=[r"f'\(1\) for f\(x\) = x³", r"f'\(1\) ≈"], expect=[r"f'\(2\) ≈ 12\.0000"],
         why="differentiate x³ at 2"),
    Edit(section="## 5.", find="p = np.array([4.0, 1.0])", replace="p = np.array([2.0, -1.0])",
         stale=[r"f\(4, 1\) = 3\.6", r"hold x2 = 1;"], expect=[r"f\(2, -1\) = 2\.4"],
         why="turn the knobs at another point"),
    Edit(section="## 6.", find="p = np.array([4.0, 1.0])", replace="p = np.array([-3.0, 0.5])",
         stale=[r"at p = \(4, 1\)", r"at \(4, 1\) it misses"], expect=[r"at p = \(-3, 0\.5\)"],
         why="derive-then-check at another point"),
    # S4 review: edits that exposed contradictions (fixed at the source)
    Edit(section="## 2.", find="eta_big, w0 = 1.5, 0.0", replace="eta_big, w0 = 0.8, 0.0",
         stale=[r"with η = 1\.5\b", r"w = 0 → 9\b", r"η = 0\.8: it moves toward the minimum 3, but"],
         expect=[r"w = 0 → 4\.8 with η = 0\.8", r"ends closer to it"], why="D's step with a safe rate"),
    Edit(section="## 2.", find="actual, predicted = 60, 50", replace="actual, predicted = 60, 70",
         stale=[r"prediction at 50 = -20", r"= 20 +\(negative"], expect=[r"prediction at 70 = 20 +\(positive"],
         why="a prediction above the price"),
    Edit(section="## 3.", find="theta_c = 0.0 ", replace="theta_c = 1.0 ",
         stale=[r"critical point occurs at θ = 0\b", r"critical point occurs at θ = 1\b", r"minimum value J\(1\)"],
         expect=[r"θ = 1 is not a critical point"], why="a point that is not critical"),
    Edit(section="## 5.", find="p = np.array([4.0, 1.0])", replace="p = np.array([0.0, 0.0])",
         stale=[r"f\(4, 1\) = 3\.6"], expect=[r"and so is knob 2: a critical point"], why="the knobs at the minimum"),
    Edit(section="## 6.", find="p = np.array([4.0, 1.0])", replace="p = np.array([0.0, 1.0])",
         stale=[r"at \(4, 1\) it misses", r"misses the minimum by 0\.0°"],
         expect=[r"points straight at the minimum"], why="a point on the bowl's axis"),
    Edit(section="## 7.", find="theta0 = [0.5, -0.3]", replace="theta0 = [2.0, 0.0]",
         stale=[r"B's formula, B's loss \(1/n\) : relative error 1e-10", r"B's loss \(1/n\) : relative error \S+ -> WRONG"],
         expect=[r"gradient ≈ 0 here"], why="check the formulas at the minimum"),
    Edit(section="## 4.", find="x0 = 1.0 ", replace="x0 = 0.0 ",
         stale=[r"f'\(1\) ≈", r"0·h: slope 1"], expect=[r"leading error term f''\(x0\)·h/2 vanishes"],
         why="differentiate x³ at 0 (f'' = 0)"),
    Edit(section="## 4.", find="x0 = 1.0 ", replace="x0 = -1.0 ",
         stale=[r"f'\(1\) ≈", r"-3·h"], expect=[r"f'\(-1\) ≈ 3\.0000", r"3·h: slope 1"],
         why="differentiate x³ at -1"),
]

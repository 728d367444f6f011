"""The visible cases copied from the exercise notebooks, for the tasks later tasks call.

When a task's function calls the learner's function of an earlier task (``fit_linear``
calls ``mse_gradient``) and fails, the self-check re-runs the earlier task's visible cases
to blame it. Those cases live in the notebook's check cell; ``VISIBLE`` holds a copy, with
the task's number in its notebook. tests/test_exercises.py fails when the two differ.

>>> VISIBLE["gd_step"][0]
1
"""

from __future__ import annotations

__all__ = ["VISIBLE"]

# data of the visible checks (article C's line y = 2x, article B's hours and scores)
C_X, C_Y = [[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]], [2.0, 4.0, 6.0]
B_X = [[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0], [5.0, 1.0]]
B_Y = [2.0, 4.0, 5.0, 4.0, 5.0]

#: task -> (its number in the exercise notebook, its visible cases in order)
VISIBLE: dict[str, tuple[int, tuple[dict, ...]]] = {
    "derivative": (1, ({"f": "cube", "x": 2.0}, {"f": "sin", "x": 0.5},
                           {"f": "cube", "x": 1.0, "h": 0.1})),
    "gradient": (2, ({"f": "bowl", "x": [1.0, -1.0]}, {"f": "rosenbrock", "x": [-1.5, 1.5]})),
    "relative_error": (3, ({"a": [1.0, 2.0], "b": [1.0, 2.5]}, {"a": [3.0, 4.0], "b": [0.0, 0.5]},
                           {"a": [2.0, 0.0], "b": [0.0, 1.0]})),
    "gd_step": (1, ({"w": 0.0, "grad": -6.0, "lr": 0.1}, {"w": 5.0, "grad": 10.0, "lr": 0.1},
                           {"w": [1.0, 2.0], "grad": [0.5, -1.0], "lr": 0.2})),
    "mse_gradient": (3, ({"theta": [0.0, 0.0], "X": C_X, "y": C_Y},
                 {"theta": [1.0, 0.5], "X": C_X, "y": C_Y})),
    "make_batches": (1, ({"order": [4, 0, 3, 1, 2], "batch_size": 2},
                           {"order": [0, 1, 2, 3, 4, 5], "batch_size": 3})),
    "epoch_orders": (2, ({"n": 5, "epochs": 2, "seed": 0}, {"n": 8, "epochs": 3, "seed": 42})),
    "batch_gradient": (3, ({"theta": [0.0, 0.0], "X": B_X, "y": B_Y, "rows": [0, 1]},
                 {"theta": [0.5, 1.0], "X": B_X, "y": B_Y, "rows": [4, 2, 0]})),
    "contraction_factor": (1, ({"c": 1.0, "lr": 0.1}, {"c": 1.0, "lr": 1.5})),
    "diverges": (2, ({"c": 1.0, "lr": 0.1, "w0": 5.0, "steps": 50},
                 {"c": 1.0, "lr": 1.5, "w0": 1.0, "steps": 50},
                 {"c": 1.0, "lr": 1.0, "w0": 1.0, "steps": 50})),
    "step_decay": (4, tuple({"lr0": 0.1, "factor": 0.1, "every": 10, "t": t} for t in (10, 19, 20, 25))),
    "adam_step": (3, (
            {"x": [1.0], "grad": [5.0], "m": [0.0], "v": [0.0], "t": 1, "lr": 0.1, "beta1": 0.9,
             "beta2": 0.999, "eps": 1e-08},
            {"x": [1.0, -1.0], "grad": [0.2, -0.4], "m": [0.1, 0.0], "v": [0.01, 0.02], "t": 3,
             "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08},
            {"x": [0.0], "grad": [1e-09], "m": [0.0], "v": [0.0], "t": 1, "lr": 0.1, "beta1": 0.9,
             "beta2": 0.999, "eps": 1e-08},
        )),
}

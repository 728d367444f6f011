"""gdteach: gradient descent, worked out.

A small numpy package behind the notebook series: objectives, update rules with
torch.optim's maths, learning-rate schedules, a runner that records every step, and
the worked-example tables of the articles. Plotting (``gdteach.plot``) and widgets
(``gdteach.widgets``) are imported only when used, so ``import gdteach`` stays fast.

>>> import gdteach
>>> traj = gdteach.run(gdteach.objectives.square, 5.0, gdteach.optim.SGD(lr=0.1), steps=15)
>>> round(float(traj.final_x), 3)
0.176
"""

from . import objectives, optim, schedules, style
from .objectives import Objective, check_grad
from .run import DivergenceWarning, Trajectory, after_steps, compare, first_step, run, sweep
from .tables import Table, worked_example

__version__ = "0.1.0"

__all__ = [
    "run",
    "compare",
    "sweep",
    "Objective",
    "Trajectory",
    "Table",
    "DivergenceWarning",
    "worked_example",
    "check_grad",
    "first_step",
    "after_steps",
    "style",
    "optim",
    "schedules",
    "objectives",
]


def __getattr__(name: str):
    # plot and widgets pull in matplotlib / ipywidgets: load them on first use only
    if name in ("plot", "widgets"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'gdteach' has no attribute {name!r}")

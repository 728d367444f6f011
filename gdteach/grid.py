"""Many learning rates in one run: a learning-rate grid as a batch of starting points.

Every rule of :mod:`gdteach.optim` (as in ``torch.optim``) moves θ by the learning rate times
a direction that does not depend on the learning rate:

    θ_new = θ − η · D(θ, g, state),   state_new independent of η

(SGD's momentum buffer, AdaGrad's sum, RMSprop's and Adam's averages, AdaDelta's two
averages, NAdam's μ-product; AdamW's decoupled decay ηλθ is linear in η too). So one run of
the rule with η = 1 on a batch of copies of the start gives D for every row, and row i moves
by ηᵢ·D: the whole grid costs one run instead of one run per rate. ``tests/test_grid.py``
checks this against :func:`gdteach.sweep` for every optimizer.

>>> import numpy as np
>>> from gdteach import objectives, optim
>>> traj = lr_sweep(objectives.square, [5.0], lambda lr: optim.SGD(lr=lr), [0.1, 0.4], 2)
>>> traj.x[:, :, 0].round(4).tolist()      # rows: update 0, 1, 2; columns: lr 0.1, 0.4
[[5.0, 5.0], [4.0, 1.0], [3.2, 0.2]]
>>> settle_steps(traj, 1.0)                # loss below 1.0 for good: lr 0.1 never, lr 0.4 from 2
[None, 2]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import is_number
from .objectives import Objective
from .run import Trajectory, first_step, run

__all__ = ["LearningRateGrid", "lr_sweep", "settle_steps", "best_on_grid", "at_edge"]


@dataclass(frozen=True)
class LearningRateGrid:
    """One optimizer rule run at many learning rates at once: row i of x (shape (n, d)) is
    updated with ``lrs[i]``. ``make_optimizer(lr)`` builds the rule; it is called with lr = 1.

    >>> from gdteach import optim
    >>> grid = LearningRateGrid(lambda lr: optim.Adam(lr=lr), (0.1, 0.2))
    >>> x, state = grid.step(np.zeros((2, 1)), np.ones((2, 1)), grid.init(np.zeros((2, 1))))
    >>> x[:, 0].round(6).tolist()          # Adam's first step is one learning rate
    [-0.1, -0.2]
    """

    make_optimizer: Callable[[float], Any]
    lrs: tuple[float, ...]

    def __post_init__(self) -> None:
        lrs = tuple(self.lrs)
        if not lrs or not all(is_number(v) and math.isfinite(v) and v > 0 for v in lrs):
            raise ValueError(f"lrs must be positive numbers, got {self.lrs!r}")
        object.__setattr__(self, "lrs", tuple(float(v) for v in lrs))
        base = self.make_optimizer(1.0)
        if callable(getattr(base, "lr", None)):
            raise ValueError("make_optimizer must use a constant lr, not a schedule")
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_column", np.array(self.lrs)[:, None])

    def _check(self, x: np.ndarray) -> None:
        if x.ndim != 2 or x.shape[0] != len(self.lrs):
            raise ValueError(f"x must have shape ({len(self.lrs)}, d), one row per learning rate, "
                             f"got shape {x.shape}")

    def init(self, x0: Any) -> Any:
        x0 = np.asarray(x0, dtype=float)
        self._check(x0)
        return self._base.init(x0)

    def step(self, x: Any, grad: Any, state: Any) -> tuple[np.ndarray, Any]:
        x = np.asarray(x, dtype=float)
        self._check(x)
        moved, state = self._base.step(x, grad, state)  # moved = x − 1·D
        return x + self._column * (moved - x), state

    def __repr__(self) -> str:
        return f"LearningRateGrid({self._base!r} at lr {', '.join(f'{v:g}' for v in self.lrs)})"


def lr_sweep(
    objective: Objective, x0: Any, make_optimizer: Callable[[float], Any], lrs: Any, steps: int,
    **run_options: Any,
) -> Trajectory:
    """Run ``make_optimizer(lr)`` from ``x0`` for every lr at once; one Trajectory whose
    axis after the step axis is the learning rate (``x[k, i]``: lr i after update k). Same
    iterates as :func:`gdteach.sweep` (to rounding), in one run. A diverging lr does not
    stop the others; run options (``batch_size``, ``rng`` …) are :func:`gdteach.run`'s, and
    with mini-batches every lr sees the same batches."""
    lrs = tuple(np.atleast_1d(np.asarray(lrs, dtype=float)).tolist())
    x0 = np.atleast_1d(np.asarray(x0, dtype=float))
    if x0.ndim != 1:
        raise ValueError(f"x0 must be one starting point (shape (d,)), got shape {x0.shape}")
    run_options.setdefault("warn", False)
    return run(objective, np.tile(x0, (len(lrs), 1)), LearningRateGrid(make_optimizer, lrs), steps,
               **run_options)


def settle_steps(traj: Trajectory, target: float) -> list[int | None]:
    """For each column of a batched run: the update from which the loss stays below
    ``target`` to the end of the run, ``None`` if it is not below at the end."""
    loss = np.asarray(traj.loss, dtype=float).reshape(len(traj.loss), -1)
    with np.errstate(invalid="ignore"):
        below = loss < target
    return [first_step(below[:, i], for_good=True) for i in range(below.shape[1])]


def best_on_grid(lrs: Any, steps: list[int | None]) -> tuple[float | None, int | None]:
    """(the lr that settles in the fewest updates, those updates); ties go to the smaller
    lr; (None, None) when none settles."""
    pairs = [(s, lr) for lr, s in zip(lrs, steps) if s is not None]
    if not pairs:
        return None, None
    s, lr = min(pairs)
    return float(lr), int(s)


def at_edge(lrs: Any, lr: float | None) -> bool:
    """Whether a winning lr sits on the first or last value of its grid (then the grid does
    not bracket it: extend the grid before calling it the best).

    >>> at_edge([0.1, 0.3, 1.0], 1.0), at_edge([0.1, 0.3, 1.0], 0.3), at_edge([0.1], None)
    (True, False, False)
    """
    if lr is None:
        return False
    values = np.asarray(lrs, dtype=float)
    return bool(np.isclose(lr, values.min()) or np.isclose(lr, values.max()))

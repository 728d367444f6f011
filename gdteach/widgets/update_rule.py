"""The update-rule explorer: one optimizer from one start, its path and its loss.

>>> from gdteach import objectives
>>> explorer = UpdateRuleExplorer(objectives.square, 5.0, lr=0.1, steps=3)
>>> explorer.update(lr=0.4).x.round(4).tolist()
[5.0, 1.0, 0.2, 0.04]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import is_dataclass, replace
from typing import Any

from .. import optim
from ..checks import check_int, check_positive
from ..objectives import Objective
from ..run import Trajectory
from . import frames
from .base import Explorer
from .defaults import UPDATE_RULE, short_repr, start_point


class UpdateRuleExplorer(Explorer):
    """One optimizer (default plain gradient descent ``SGD(lr)``) from ``x0``: sliders for
    the learning rate (log scale), the start and the number of steps, the path on the
    curve (1-D) or the contours (2-D) with its loss beside it.

    State: ``optimizer`` (an instance; the lr slider replaces its ``lr``), ``x0``, ``steps``.
    """

    def __init__(
        self,
        objective: Objective,
        x0: Any,
        lr: float = UPDATE_RULE["lr"],
        steps: int = UPDATE_RULE["steps"],
        lr_range: tuple[float, float] = UPDATE_RULE["lr_range"],
        *,
        optimizer: Callable[[float], Any] | None = None,
        max_steps: int | None = None,
        bounds: Any = None,
        log: bool | None = None,
    ):
        lr = check_positive("lr", lr)
        lo, hi = (check_positive("lr_range", v) for v in lr_range)
        if not lo < hi:
            raise ValueError(f"lr_range must be (low, high) with 0 < low < high, got {lr_range!r}")
        first = (optimizer or (lambda value: optim.SGD(lr=value)))(lr)
        if not (is_dataclass(first) and hasattr(first, "lr")):
            raise TypeError(f"optimizer must map lr to a gdteach.optim optimizer, got {first!r}")
        super().__init__(objective, x0, steps, bounds, log)
        self.optimizer = first
        self.trajectory: Trajectory | None = None
        # no control starts at the end of its range: every key press moves it
        self._limits["lr"] = [min(lo, lr / 1.2), max(hi, lr * 1.2)]
        self._limits["max_steps"] = max(int(max_steps or 0), UPDATE_RULE["min_max_steps"], 2 * self.steps)
        self._widen_x0(self.x0)
        self._redraw()

    def update(self, *, lr: float | None = None, x0: Any = None, steps: int | None = None) -> Trajectory:
        """Set any of the controls, redraw once, return the Trajectory on display. Every
        value is checked before anything changes."""
        optimizer = self.optimizer if lr is None else replace(self.optimizer, lr=check_positive("lr", lr))
        start = self.x0 if x0 is None else start_point(self.objective, x0, self.dim)
        count = self.steps if steps is None else check_int("steps", steps, minimum=1)
        self.optimizer, self.x0, self.steps = optimizer, start, count
        self._widen()
        return self._redraw()

    def _apply(self, values: dict[str, Any]) -> None:
        x0 = self._x0_from(values)
        unknown = set(values) - {"lr", "steps"}
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}")
        self.update(x0=x0, **values)

    def _widen(self) -> None:
        """A value set beyond a slider's range widens the range (a slider would clamp it)."""
        lo, hi = self._limits["lr"]
        self._limits["lr"] = [min(lo, self.optimizer.lr), max(hi, self.optimizer.lr)]
        self._limits["max_steps"] = max(self._limits["max_steps"], self.steps)
        self._widen_x0(self.x0)

    def _redraw(self) -> Trajectory:
        self.trajectory = self.runs.run(self.objective, self.x0, self.optimizer, self.steps)
        self._show()
        return self.trajectory

    def _trajectories(self) -> list[Trajectory]:
        return [self.trajectory]

    def _frame(self) -> dict[str, Any]:
        from ..plot import describe

        traj = self.trajectory
        entry = {**self._entry("path", traj, self.optimizer, 1.6),
                 "arrows": self.dim == 1 and traj.steps <= 30}
        return {
            **self._axes([traj]), "runs": [entry], "start": [entry["px"][0], entry["py"][0]],
            "title": f"{short_repr(self.optimizer)}, {self.steps} steps: {describe(traj)}",
            "loss_title": f"Loss per update ({self.steps} steps)",
            "summary": (f"After {traj.steps} steps: x = {frames.fmt(traj.final_x)}, "
                        f"loss = {frames.fmt(traj.final_loss)}, stop_reason = {traj.stop_reason!r}"),
            "settings": {"x0": self.x0.tolist(), "steps": self.steps,
                         "optimizers": {"path": repr(self.optimizer)}},
        }

    def _controls(self) -> list[dict[str, Any]]:
        return [
            self._log_slider("lr", "η (lr)", float(self.optimizer.lr), *self._limits["lr"]),
            {"name": "steps", "label": "steps", "kind": "int", "min": 1,
             "max": self._limits["max_steps"], "step": 1, "value": self.steps},
            *self._x0_controls(),
        ]

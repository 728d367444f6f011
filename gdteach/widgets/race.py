"""The race explorer: optimizers of :data:`gdteach.optim.ALL` from one start, side by side.

>>> from gdteach import objectives
>>> race = OptimizerRaceExplorer(objectives.rosenbrock, [-1.5, 2.0], steps=20, optimizers=["SGD", "Adam"])
>>> sorted(race.update(tune="Adam", lr=0.05))
['Adam', 'SGD']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import optim
from ..checks import check_choice, check_int, check_positive
from ..objectives import Objective
from ..run import Trajectory
from . import frames
from .base import Explorer
from .defaults import (
    HYPERPARAMETERS,
    RACE,
    SLIDERS,
    race_names,
    race_optimizers,
    setting,
    short_repr,
    start_point,
    with_settings,
)


class OptimizerRaceExplorer(Explorer):
    """Optimizers of :data:`gdteach.optim.ALL` race from the same start: paths on the
    contours (or the curve, in 1-D) and loss curves side by side.

    State: ``optimizers`` (one instance per name of ``optim.ALL``, kept while it is not in
    the race), ``racing`` (the names drawn), ``tuned`` (the one the sliders edit: its lr;
    momentum or β₁; β₂, α or ρ, whichever it has), ``x0``, ``steps``.
    """

    def __init__(
        self,
        objective: Objective,
        x0: Any,
        steps: int = RACE["steps"],
        optimizers: Any = None,
        *,
        max_steps: int | None = None,
        lr_range: tuple[float, float] = RACE["lr_range"],
        log: bool | None = None,
        bounds: Any = None,
    ):
        super().__init__(objective, x0, steps, bounds, log)
        names, instances = race_optimizers(objective, self.x0, optimizers)
        self.optimizers: dict[str, Any] = instances
        self.racing: tuple[str, ...] = tuple(n for n in optim.ALL if n in names)
        self.tuned: str = names[0]
        self.trajectories: dict[str, Trajectory] = {}
        lo, hi = (check_positive("lr_range", v) for v in lr_range)
        lrs = [float(o.lr) for o in instances.values()]
        # no lr at an end of the slider: a key press always moves it
        self._limits["lr"] = [min(lo, *lrs) / 1.2, max(hi, *lrs) * 1.2]
        self._limits["max_steps"] = max(int(max_steps or 0), RACE["min_max_steps"], 2 * self.steps)
        self._limits.update({k: [v[1], v[2]] for k, v in HYPERPARAMETERS.items()})
        self._widen()
        self._redraw()

    # ---- one method per control: check a value, return the new state (change nothing)
    def _racing(self, names: Any) -> tuple[str, ...]:
        chosen, _ = race_names(list(names) if not isinstance(names, str) else [names])
        return tuple(n for n in optim.ALL if n in chosen)

    def _hyperparameters(self, name: str, values: dict[str, Any]) -> Any:
        keys = {"lr", *(k for k in SLIDERS[name] if k)}
        bad = set(values) - keys
        if bad:
            raise ValueError(f"{name} has no slider for {sorted(bad)}; it has {sorted(keys)}")
        if "lr" in values:
            check_positive("lr", values["lr"])
        return with_settings(self.optimizers[name], values)

    def update(
        self,
        *,
        optimizers: Sequence[str] | None = None,
        tune: str | None = None,
        steps: int | None = None,
        x0: Any = None,
        **values: float,
    ) -> dict[str, Trajectory]:
        """Set the race (``optimizers``), which optimizer to tune (``tune``; default the
        one tuned now, or the first in the race if it left), its ``lr``/``momentum``/
        ``beta1``/``beta2``/``alpha``/``rho``, ``steps`` and the start ``x0``; redraw once and
        return ``{name: Trajectory}``. Every value is checked before anything changes."""
        allowed = {"lr", *HYPERPARAMETERS}
        unknown = set(values) - allowed
        if unknown:
            raise TypeError(f"update() got unknown settings {sorted(unknown)}; use {sorted(allowed)}")
        racing = self.racing if optimizers is None else self._racing(optimizers)
        if tune is None:
            tune = self.tuned if self.tuned in racing else racing[0]
        tuned = check_choice("tune", tune, racing)
        instance = self._hyperparameters(tuned, values) if values else self.optimizers[tuned]
        count = self.steps if steps is None else check_int("steps", steps, minimum=1)
        start = self.x0 if x0 is None else start_point(self.objective, x0, self.dim)
        self.racing, self.tuned, self.steps, self.x0 = racing, tuned, count, start
        self.optimizers = {**self.optimizers, tuned: instance}
        self._widen()
        return self._redraw()

    def _apply(self, values: dict[str, Any]) -> None:
        x0 = self._x0_from(values)
        settings = {k: values.pop(k) for k in [*HYPERPARAMETERS, "lr"] if k in values}
        self.update(x0=x0, **values, **settings)

    def _widen(self) -> None:
        """Slider ranges widened to hold the tuned optimizer's values."""
        current = self.optimizers[self.tuned]
        for key in ("lr", *(k for k in SLIDERS[self.tuned] if k)):
            value = setting(current, key)
            lo, hi = self._limits[key]
            self._limits[key] = [min(lo, value), max(hi, value)]
        self._limits["max_steps"] = max(self._limits["max_steps"], self.steps)
        self._widen_x0(self.x0)

    def _redraw(self) -> dict[str, Trajectory]:
        # the run cache reruns only the optimizers whose settings changed
        self.trajectories = {name: self.runs.run(self.objective, self.x0, self.optimizers[name], self.steps)
                             for name in self.racing}
        self._show()
        return self.trajectories

    def _trajectories(self) -> list[Trajectory]:
        return list(self.trajectories.values())

    def _frame(self) -> dict[str, Any]:
        runs = self.trajectories
        entries = [self._entry(n, t, self.optimizers[n], 2.8 if n == self.tuned else 1.4)
                   for n, t in runs.items()]
        first = next(iter(runs.values()))
        start = [float(self.x0[0]), float(self.x0[1])] if self.dim == 2 else [
            float(self.x0[0]), float(first.loss[0])]
        summary = "\n".join(
            f"{short_repr(self.optimizers[n])}: final loss {frames.fmt(t.final_loss)}, {t.stop_reason}"
            for n, t in runs.items())
        return {
            **self._axes(list(runs.values())),
            "runs": entries, "start": start, "title": self.objective.name,
            "loss_title": f"Loss per update ({self.steps} steps)", "summary": summary,
            "settings": {"x0": self.x0.tolist(), "steps": self.steps,
                         "optimizers": {n: repr(self.optimizers[n]) for n in runs}},
        }

    def _controls(self) -> list[dict[str, Any]]:
        current = self.optimizers[self.tuned]
        out: list[dict[str, Any]] = [
            {"name": "optimizers", "label": "race", "kind": "checkboxes",
             "options": list(optim.ALL), "value": list(self.racing)},
            {"name": "tune", "label": "tune", "kind": "select", "options": list(self.racing),
             "value": self.tuned},
            self._log_slider("lr", "η (lr)", float(current.lr), *self._limits["lr"]),
        ]
        for key in SLIDERS[self.tuned]:
            if key:
                label, _, _, step = HYPERPARAMETERS[key]
                lo, hi = self._limits[key]
                out.append({"name": key, "label": label, "kind": "float", "min": lo, "max": hi,
                            "step": step, "value": setting(current, key)})
        out.append({"name": "steps", "label": "steps", "kind": "int", "min": 1,
                    "max": self._limits["max_steps"], "step": 1, "value": self.steps})
        return out

"""The previews: the static figures beside each explorer, so a notebook teaches without a
kernel. Each is zoomed to its paths (the left panel shows the window the paths use, not
the whole plot window) and draws every optimizer in its colour from :mod:`gdteach.style`
(through :func:`gdteach.plot.race`).

>>> import matplotlib; matplotlib.use("Agg")
>>> from gdteach import objectives
>>> fig = race_figure(objectives.rosenbrock, [-1.5, 2.0], ["SGD", "Adam"], steps=50)
>>> len(fig.axes)
2
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..objectives import Objective
from ..run import Trajectory, run
from .defaults import race_optimizers, short_repr, start_point

__all__ = ["explorer_figure", "race_figure", "state_figure", "path_window"]


def path_window(objective: Objective, trajectories: Sequence[Trajectory], margin: float = 0.08) -> np.ndarray | None:
    """The left panel's window for 2-D paths: the box around the finite iterates and the
    minimum, ``margin`` of its size added each side, at least a tenth of the objective's
    window wide, and never beyond that window. None in 1-D, or without a window.

    >>> from gdteach import objectives, optim
    >>> import gdteach
    >>> t = gdteach.run(objectives.quadratic([1.0, 1.0]), [1.0, 1.0], optim.SGD(lr=0.25), 5)
    >>> path_window(objectives.quadratic([1.0, 1.0]), [t]).round(2).tolist()
    [[-0.08, 1.08], [-0.08, 1.08]]
    """
    if objective.dim != 2 or objective.bounds is None:
        return None
    bounds = np.asarray(objective.bounds, dtype=float).reshape(2, 2)
    points = [np.asarray(t.x, dtype=float).reshape(-1, 2) for t in trajectories]
    if objective.minimum is not None:
        points.append(np.asarray(objective.minimum, dtype=float).reshape(1, 2))
    xy = np.concatenate(points)
    xy = xy[np.all(np.isfinite(xy), axis=1)]
    if not xy.size:
        return bounds
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    least = 0.1 * (bounds[:, 1] - bounds[:, 0])
    size = np.maximum(hi - lo, least)
    centre = 0.5 * (lo + hi)
    lo, hi = centre - size * (0.5 + margin), centre + size * (0.5 + margin)
    return np.stack([np.maximum(lo, bounds[:, 0]), np.minimum(hi, bounds[:, 1])], axis=1)


def state_figure(objective: Objective, trajectories: Sequence[Trajectory]) -> Any:
    """Paths and losses of ``trajectories`` in two panels (:func:`gdteach.plot.race`),
    the paths' panel zoomed with :func:`path_window`. Returns the Figure."""
    from .. import plot

    runs = {short_repr(t.optimizer): t for t in trajectories}
    left, _ = plot.race(runs, objective=objective)
    window = path_window(objective, trajectories)
    if window is not None:
        left.set_xlim(*window[0])
        left.set_ylim(*window[1])
    return left.figure


def explorer_figure(
    objective: Objective,
    x0: Any,
    lrs: Sequence[float] = (0.1, 0.5, 0.9, 1.05),
    steps: int = 10,
    *,
    optimizer: Callable[[float], Any] | None = None,
) -> Any:
    """The static companion of :func:`gdteach.widgets.update_rule_explorer`: one panel
    per learning rate (see :func:`gdteach.plot.compare_lrs`, whose 1-D panels already
    follow their paths). Returns the Figure.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> fig = explorer_figure(objectives.square, 5.0, [0.1, 1.05], steps=5)
    >>> [ax.get_title() for ax in fig.axes]
    ['η = 0.1: converges', 'η = 1.05: grows']
    """
    from .. import plot

    axes = plot.compare_lrs(objective, x0, lrs, steps, optimizer=optimizer)
    return axes[0].figure


def race_figure(
    objective: Objective,
    x0: Any,
    optimizers: Any = None,
    steps: int = 100,
) -> Any:
    """The static companion of :func:`gdteach.widgets.optimizer_race_explorer`, with the
    same settings (``optimizers`` as there, defaults from
    :func:`gdteach.widgets.default_settings`), each optimizer in its series colour and
    line style, the paths' panel zoomed to the paths. Returns the Figure."""
    x = start_point(objective, x0)
    names, instances = race_optimizers(objective, x, optimizers)
    runs = [run(objective, x[0] if x.size == 1 else x, instances[n], steps, warn=False) for n in names]
    return state_figure(objective, runs)

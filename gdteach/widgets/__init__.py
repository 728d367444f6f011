"""Interactive explorers for the notebooks, drawn in the browser.

Each explorer is a small class whose state is plain values: the optimizer instance(s)
(changed with :func:`dataclasses.replace`), the start ``x0`` and the number of steps.
:func:`gdteach.run` is the reference for every trajectory. The drawing is an
`anywidget <https://anywidget.dev>`_ view (``gdteach/explorer.js``, shipped inside the
package, so it works offline): contours (or the 1-D curve) computed once, the path, the
start (drag it with the mouse, or focus it and use the arrow keys), the minimum, the loss
curve beside the path, labelled keyboard controls, and a summary (final loss, stop
reason) in an ``aria-live`` region. For the built-in objectives the page recomputes a
dragged start itself (``explorer.js`` has the same rules, checked against
:func:`gdteach.run` in the browser); for a learner's own function it asks the kernel. A
cell that shows an explorer stores a widget id: start it with ``# NBVAL_IGNORE_OUTPUT``. It
also stores the explorer as self-contained HTML (:mod:`~gdteach.widgets.static`), which an
HTML export, a slide deck or the site shows with no kernel: there the start point still moves.

The package, one part per job:

- :mod:`~gdteach.widgets.defaults` — the one set of defaults and the one start-point check;
- :mod:`~gdteach.widgets.frames` — pure: parameters → trajectories → what the page draws;
- :mod:`~gdteach.widgets.page` — the objectives, rules and schedules the page computes itself;
- :mod:`~gdteach.widgets.base` — the page view and its messages, shared by both explorers;
- :mod:`~gdteach.widgets.update_rule`, :mod:`~gdteach.widgets.race` — one class per explorer;
- :mod:`~gdteach.widgets.previews` — the static figures beside each explorer;
- :mod:`~gdteach.widgets.static` — the explorer as HTML for a page with no kernel.

Every change goes through ``update(...)``, which checks every new value before it
changes anything, so a bad value leaves the explorer (and the page) as it was. For
notebooks and tests that drive an explorer without a browser it also has
``.trajectory`` / ``.trajectories`` (the runs shown), ``.frame`` (exactly what the page
draws) and ``.figure()`` (a static matplotlib figure of the same state).

>>> from gdteach import objectives
>>> explorer = update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=3)
>>> explorer.update(lr=0.4).x.round(4).tolist()
[5.0, 1.0, 0.2, 0.04]
>>> explorer.optimizer
SGD(lr=0.4)
"""

from __future__ import annotations

from typing import Any

from ..objectives import Objective
from .defaults import (
    HYPERPARAMETERS,
    SLIDERS,
    default_settings,
    make_optimizer,
    optimizer_colors,
    short_repr,
)
from .previews import explorer_figure, race_figure
from .race import OptimizerRaceExplorer
from .update_rule import UpdateRuleExplorer

__all__ = [
    "UpdateRuleExplorer",
    "OptimizerRaceExplorer",
    "update_rule_explorer",
    "optimizer_race_explorer",
    "explorer_figure",
    "race_figure",
    "default_settings",
    "make_optimizer",
    "optimizer_colors",
    "short_repr",
    "SLIDERS",
    "HYPERPARAMETERS",
]


def update_rule_explorer(objective: Objective, x0: Any, lr: float = 0.1, steps: int = 10,
                         lr_range: tuple[float, float] = (0.01, 1.2), **options: Any) -> UpdateRuleExplorer:
    """An :class:`UpdateRuleExplorer`: sliders for the learning rate (log scale over
    ``lr_range``), the start (or drag it) and the number of steps; the run drawn on the
    curve (1-D objective) or on the contours (2-D), its loss beside it, and a summary
    with the final x, loss and stop_reason.

    ``optimizer=`` maps a learning rate to an optimizer (default ``SGD(lr=lr)``, plain
    gradient descent); ``bounds=`` sets the plot window (default ``objective.bounds``,
    else x0 ± 5); ``max_steps=`` the steps slider's end. ``explorer.update(lr=...,
    x0=..., steps=...)`` returns the Trajectory.
    """
    return UpdateRuleExplorer(objective, x0, lr, steps, lr_range, **options)


def optimizer_race_explorer(objective: Objective, x0: Any, steps: int = 100, optimizers: Any = None,
                            **options: Any) -> OptimizerRaceExplorer:
    """An :class:`OptimizerRaceExplorer`: optimizers race from the same start (drag it),
    paths and loss curves side by side.

    ``optimizers`` is a list of names (default SGD, RMSprop, Adam) or a dict
    ``{name: {"lr": …, "momentum": …, "beta1": …, "beta2": …}}`` or ``{name: optimizer}``
    (an instance is kept whole: ``SGD(nesterov=True, weight_decay=0.1)`` races as that);
    missing settings come from :func:`default_settings`. "tune" picks which optimizer the
    sliders edit. The loss axis is logarithmic unless the objective goes below zero on its
    plot window (``log=`` overrides). ``explorer.update(optimizers=[...], tune="Adam",
    lr=0.05, beta1=0.8, steps=50)`` returns the ``{name: Trajectory}`` on display.
    """
    return OptimizerRaceExplorer(objective, x0, steps, optimizers, **options)

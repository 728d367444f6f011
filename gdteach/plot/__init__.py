"""Plots for the notebooks: curves with tangents, descent paths, contours, loss curves.

One module per family, one shared finishing helper:

- :mod:`~gdteach.plot.one_d`: :func:`function_with_tangents`, :func:`path_1d`,
  :func:`compare_lrs`, :func:`describe`;
- :mod:`~gdteach.plot.contours`: :func:`contour_paths`, :func:`race`, :func:`race_panels`,
  :func:`rate_map`;
- :mod:`~gdteach.plot.curves`: :func:`loss_curves`, :func:`quantity`, :func:`lr_range`;
- :mod:`~gdteach.plot._common`: what they share, :func:`finish` among it;
- :mod:`~gdteach.plot._display`: :func:`show`, a figure with its alt text in the notebook.

Every function draws on ``ax`` (or a new ``figsize=(6, 4)`` figure when ``ax`` is None)
and returns the Axes. Nothing calls ``plt.show()``: end the notebook cell with
:func:`show` (``gdplot.show(fig, alt="…")``). Trajectories are passed as one
:class:`~gdteach.Trajectory`, a list of them, or a ``{label: Trajectory}`` dict (as
:func:`gdteach.compare` returns); a run that diverged is marked "(diverged)" in the
legend. Runs are coloured in the order of :data:`PALETTE` (``colors=``, a ``{label: colour}``
dict or a list, overrides it), the same order in every function, so a run keeps its colour
from the paths to the loss. Every colour comes from :mod:`gdteach.style`.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import gdteach
>>> traj = gdteach.run(gdteach.objectives.square, 5.0, gdteach.optim.SGD(lr=0.1), steps=5)
>>> ax = path_1d(traj)
>>> ax.get_title()
'SGD(lr=0.1) on $J(\\\\theta) = \\\\theta^2$'
"""

from __future__ import annotations

from ._common import FIGSIZE, FONT_SIZE, MAX_WIDTH, PALETTE, QUANTITY_LABELS, finish, variable_names
from ._display import figure_bundle, show
from .contours import contour_paths, race, race_panels, rate_map
from .curves import loss_curves, lr_range, quantity
from .one_d import compare_lrs, describe, function_with_tangents, path_1d

__all__ = [
    "function_with_tangents",
    "path_1d",
    "contour_paths",
    "loss_curves",
    "lr_range",
    "quantity",
    "compare_lrs",
    "race",
    "race_panels",
    "rate_map",
    "describe",
    "variable_names",
    "finish",
    "show",
    "figure_bundle",
    "FIGSIZE",
    "FONT_SIZE",
    "MAX_WIDTH",
    "PALETTE",
    "QUANTITY_LABELS",
]

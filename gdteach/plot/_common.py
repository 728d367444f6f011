"""What every family of :mod:`gdteach.plot` shares: the run dict, colours, the log axis,
the axis names, and :func:`finish`, the one helper that labels and finishes an Axes.

Internal: the public names are re-exported by :mod:`gdteach.plot`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from .. import _draw
from ..checks import check_choice, check_numbers
from ..objectives import Objective
from ..run import Trajectory
from ..style import SERIES

#: the size of a figure made by these functions: readable at notebook width
FIGSIZE = (6.0, 4.0)

#: the widest figure of the series (inches): a notebook column without scrolling
MAX_WIDTH = 11.0

#: one font size for every title, label and legend of the series (points)
FONT_SIZE = 10

#: run colours, in order, shared by every function so that a run has the same colour on
#: the paths panel and on the loss panel: the series' colour-blind-safe palette
#: (:data:`gdteach.style.SERIES`, Okabe–Ito). A race colours each optimizer by
#: :func:`gdteach.style.optimizer_style` instead.
PALETTE = SERIES

#: how :func:`gdteach.plot.quantity` labels the y axis for the Trajectory attributes it knows
QUANTITY_LABELS = {
    "grad_norm": r"gradient norm $\|\nabla L\|$",
    "update_ratio": r"update ratio $\|\Delta\theta\| / \|\theta\|$",
    "lr": r"learning rate $\eta$",
    "loss": "loss",
    "x": "parameter",
    "grad": "gradient",
    "updates": r"update $\Delta\theta$",
    "epoch": "epoch",
}

DIVERGED = " (diverged)"


def axes_or_new(ax: Any) -> Any:
    """``ax``, or the Axes of a new :data:`FIGSIZE` figure."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    return ax


def as_dict(trajectories: Any) -> dict[str, Trajectory]:
    """``{label: Trajectory}`` from a Trajectory, a sequence of them or a mapping."""
    if isinstance(trajectories, Trajectory):
        return {repr(trajectories.optimizer): trajectories}
    if isinstance(trajectories, Mapping):
        items = {str(k): v for k, v in trajectories.items()}
    elif isinstance(trajectories, Sequence) and not isinstance(trajectories, str):
        items = {repr(t.optimizer) if isinstance(t, Trajectory) else str(i): t
                 for i, t in enumerate(trajectories)}
        if len(items) < len(trajectories):  # repeated optimizers: number them
            items = {f"{i}: {t.optimizer!r}": t for i, t in enumerate(trajectories)}
    else:
        raise TypeError(
            "trajectories must be a Trajectory, a list of them or a {label: Trajectory} dict, "
            f"got {type(trajectories).__name__}"
        )
    if not items:
        raise ValueError("trajectories is empty: pass at least one Trajectory")
    for label, traj in items.items():
        if not isinstance(traj, Trajectory):
            raise TypeError(f"trajectories[{label!r}] must be a Trajectory, got {traj!r}")
    return items


def color_of(colors: Any, i: int, label: str) -> str:
    """The colour of run ``i``: from ``colors`` (a {label: colour} dict or a sequence)
    when given, else from :data:`PALETTE`."""
    if isinstance(colors, Mapping) and label in colors:
        return colors[label]
    if colors is not None and not isinstance(colors, Mapping):
        return list(colors)[i % len(colors)]
    return PALETTE[i % len(PALETTE)]


def set_log_y(ax: Any, arrays: Sequence[Any], top: float | None = None) -> None:
    """Log y axis with limits set from the data first (½ × min to 2 × max of the finite
    positive values, or ``top``): matplotlib's own margins overflow on runs that blow
    up to 1e300."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays] or [[]])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size:
        lo = float(values.min()) / 2
        hi = top if top is not None else min(float(values.max()) * 2, 1e300)
        ax.set_ylim(lo, hi if hi > lo else lo * 10)
    ax.set_yscale("log")
    _draw.log_axis(ax.yaxis)


def run_label(label: str, traj: Trajectory) -> str:
    """The legend label of a run: "(diverged)" added when it diverged."""
    return label + DIVERGED if traj.stop_reason == "diverged" else label


def variable_names(objective: Objective, dim: int | None = None) -> list[str]:
    """Axis labels for the parameters, read from the objective's LaTeX (``$f(x, y) = …$``
    gives ``$x$``, ``$y$``; ``$f(x) = …$`` in two dimensions gives ``$x_1$``, ``$x_2$``).
    ``dim``: how many parameters are drawn, when the objective does not say (a learner's
    ``Objective`` without ``dim`` drawn from a 2-D start).

    >>> from gdteach import objectives
    >>> variable_names(objectives.rosenbrock), variable_names(objectives.square)
    (['$x$', '$y$'], ['$\\\\theta$'])
    >>> from gdteach import Objective
    >>> variable_names(Objective(lambda p: (p**2).sum(-1), lambda p: 2 * p, name="bowl"), dim=2)
    ['$x_{1}$', '$x_{2}$']
    """
    dim = dim or objective.dim or (len(objective.bounds) if objective.bounds is not None else 1)
    match = _draw.SIGNATURE.match(objective.latex or "")
    names = [v.strip() for v in match.group(2).split(",")] if match else []
    if len(names) == dim and all(names):
        return [f"${v}$" for v in names]
    base = names[0] if len(names) == 1 and names[0] else "x"
    if dim == 1:
        return [f"${base}$"]
    return [f"${base}_{{{i + 1}}}$" for i in range(dim)]


def check_objective(objective: Any, where: str, dims: tuple[Any, ...]) -> Objective:
    """``objective`` when it is a gdteach Objective of one of the ``dims``, else a clear error."""
    if not isinstance(objective, Objective):
        raise TypeError(f"{where} needs a gdteach Objective, got {objective!r}")
    if objective.dim not in dims:
        wanted = "1-D" if 1 in dims else "2-D"
        raise ValueError(f"{where} draws {wanted} objectives; {objective.name} has dim={objective.dim}")
    return objective


def check_bounds_1d(bounds: Any) -> tuple[float, float] | None:
    """``bounds`` as (lo, hi) with lo < hi, or None."""
    if bounds is None:
        return None
    lo, hi = check_numbers("bounds", bounds, 2, "(lo, hi)")
    if not lo < hi:
        raise ValueError(f"bounds must be (lo, hi) with lo < hi, got {bounds!r}")
    return lo, hi


def legend(ax: Any, **kw: Any) -> None:
    """A legend when the Axes has more than one labelled artist."""
    handles, labels = ax.get_legend_handles_labels()
    if len(labels) > 1:
        ax.legend(**{"fontsize": "small", "framealpha": 0.85, **kw})


def finish(
    ax: Any,
    *,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    grid: str | None = "major",
    legend_kw: Mapping[str, Any] | None = None,
) -> Any:
    """Label and finish an Axes the one way every figure of the series is finished: axis
    labels, a title in the series' font size, a light grid (``grid`` = "major", "both" or
    None) and a legend when there is more than one labelled line (``legend_kw`` passed to
    it; ``legend_kw=None`` still draws it, ``{"show": False}`` leaves it out). Returns ``ax``.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = finish(axes_or_new(None), xlabel="step", title="Loss")
    >>> ax.get_xlabel(), ax.title.get_fontsize()
    ('step', 10.0)
    """
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title, fontsize=FONT_SIZE)
    if grid is not None:
        ax.grid(alpha=0.3, which=check_choice("grid", grid, ("major", "both")))
    kw = dict(legend_kw or {})
    if kw.pop("show", True):
        legend(ax, **kw)
    return ax

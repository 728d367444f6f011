"""Plots for the notebooks: curves with tangents, descent paths, contours, loss curves.

Every function draws on ``ax`` (or a new ``figsize=(6, 4)`` figure when ``ax`` is None)
and returns the Axes. Nothing calls ``plt.show()``: end the notebook cell with it, or
with ``;``. Trajectories are passed as one :class:`~gdteach.Trajectory`, a list of them,
or a ``{label: Trajectory}`` dict (as :func:`gdteach.compare` returns); a run that
diverged is marked "(diverged)" in the legend. Runs are coloured in the order of
:data:`PALETTE` (``colors=``, a ``{label: colour}`` dict or a list, overrides it), the
same order in every function, so a run keeps its colour from the paths to the loss.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import gdteach
>>> traj = gdteach.run(gdteach.objectives.square, 5.0, gdteach.optim.SGD(lr=0.1), steps=5)
>>> ax = path_1d(traj)
>>> ax.get_title()
'SGD(lr=0.1) on $J(\\\\theta) = \\\\theta^2$'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import transforms

from . import _draw
from ._draw import finite as _finite
from ._draw import log_axis as _log_axis
from ._draw import log_safe as _log_safe
from ._draw import loss_name as _loss_name
from ._draw import markevery as _markevery
from ._draw import title_of as _title_of
from .objectives import Objective
from .run import Trajectory
from .style import SERIES, optimizer_style

__all__ = [
    "function_with_tangents",
    "path_1d",
    "contour_paths",
    "loss_curves",
    "lr_range",
    "quantity",
    "compare_lrs",
    "race",
    "describe",
    "variable_names",
    "FIGSIZE",
    "PALETTE",
]

#: the size of a figure made by these functions: readable at notebook width
FIGSIZE = (6.0, 4.0)

#: how :func:`quantity` labels the y axis for the Trajectory attributes it knows
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

_DIVERGED = " (diverged)"

#: run colours, in order, shared by every function so that a run has the same colour on
#: the paths panel and on the loss panel: the series' colour-blind-safe palette
#: (:data:`gdteach.style.SERIES`, Okabe–Ito). A race colours each optimizer by
#: :func:`gdteach.style.optimizer_style` instead.
PALETTE = SERIES


# --------------------------------------------------------------------------- helpers


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    return ax


def _as_dict(trajectories: Any) -> dict[str, Trajectory]:
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


def _color(colors: Any, i: int, label: str) -> str:
    """The colour of run ``i``: from ``colors`` (a {label: colour} dict or a sequence)
    when given, else from :data:`PALETTE`."""
    if isinstance(colors, Mapping) and label in colors:
        return colors[label]
    if colors is not None and not isinstance(colors, Mapping):
        return list(colors)[i % len(colors)]
    return PALETTE[i % len(PALETTE)]


def _set_log_y(ax: Any, arrays: Sequence[Any], top: float | None = None) -> None:
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
    _log_axis(ax.yaxis)


def _label(label: str, traj: Trajectory) -> str:
    return label + _DIVERGED if traj.stop_reason == "diverged" else label


_SIGNATURE = _draw.SIGNATURE


def variable_names(objective: Objective) -> list[str]:
    """Axis labels for the parameters, read from the objective's LaTeX (``$f(x, y) = …$``
    gives ``$x$``, ``$y$``; ``$f(x) = …$`` in two dimensions gives ``$x_1$``, ``$x_2$``).

    >>> from gdteach import objectives
    >>> variable_names(objectives.rosenbrock), variable_names(objectives.square)
    (['$x$', '$y$'], ['$\\\\theta$'])
    """
    dim = objective.dim or (len(objective.bounds) if objective.bounds is not None else 1)
    match = _SIGNATURE.match(objective.latex or "")
    names = [v.strip() for v in match.group(2).split(",")] if match else []
    if len(names) == dim and all(names):
        return [f"${v}$" for v in names]
    base = names[0] if len(names) == 1 and names[0] else "x"
    if dim == 1:
        return [f"${base}$"]
    return [f"${base}_{{{i + 1}}}$" for i in range(dim)]


def _bounds_1d(objective: Objective, points: np.ndarray | None = None) -> tuple[float, float]:
    if objective.bounds is not None:
        lo, hi = (float(v) for v in objective.bounds[0])
        return lo, hi
    finite = np.asarray([] if points is None else points, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return -1.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    pad = 0.25 * (hi - lo) if hi > lo else max(1.0, abs(lo))
    return lo - pad, hi + pad


def _check_1d(objective: Objective, where: str) -> None:
    if not isinstance(objective, Objective):
        raise TypeError(f"{where} needs a gdteach Objective, got {objective!r}")
    if objective.dim not in (None, 1):
        raise ValueError(f"{where} draws 1-D objectives; {objective.name} has dim={objective.dim}")


_curve = _draw.curve
_levels = _draw.levels


def _legend(ax: Any, **kw: Any) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if len(labels) > 1:
        ax.legend(**{"fontsize": "small", "framealpha": 0.85, **kw})


# --------------------------------------------------------------------------- 1-D


def function_with_tangents(
    objective: Objective,
    points: Any,
    ax: Any = None,
    span: float | None = None,
    *,
    annotate: bool = True,
    bounds: tuple[float, float] | None = None,
    title: str | None = None,
) -> Any:
    """A 1-D objective with its tangent line at each of ``points``.

    The tangent at p is ``y = f(p) + f'(p) (x − p)``, drawn over ``[p − span/2, p + span/2]``
    (default span: a quarter of the plot window). Each tangent is a Line2D with
    ``gid="tangent"``; with ``annotate`` its slope is written beside the point.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> ax = function_with_tangents(objectives.square, [-3.0, 1.0])
    >>> [round(float(ax.get_lines()[i].get_ydata()[0]), 1) for i in (1, 2)]  # f(p) − f'(p)·span/2
    [18.0, -2.0]
    """
    _check_1d(objective, "function_with_tangents")
    pts = np.atleast_1d(np.asarray(points, dtype=float)).ravel()
    lo, hi = bounds if bounds is not None else _bounds_1d(objective, pts)
    span = 0.25 * (hi - lo) if span is None else float(span)
    ax = _axes(ax)
    xs, ys = _curve(objective, lo, hi)
    ax.plot(xs, ys, color="C0", lw=2, label=_title_of(objective) or objective.name, zorder=2)
    ax.set_xlim(lo, hi)
    ax.set_ylim(*_draw.padded(ys, 0.08))
    values = np.asarray(objective(pts[:, None]), dtype=float).reshape(pts.shape)
    slopes = objective.grad(pts[:, None])[:, 0]
    h = 1e-3 * (hi - lo)
    for i, (p, fp, slope) in enumerate(zip(pts, values, slopes, strict=True)):
        tx = np.array([p - span / 2, p + span / 2])
        (line,) = ax.plot(
            tx, fp + slope * (tx - p), color="C3", lw=1.5,
            label="tangent" if i == 0 else "_tangent", zorder=3,
        )
        line.set_gid("tangent")
        if annotate:
            # write the slope on the side of the tangent away from the curve
            curvature = float(objective([p + h]) + objective([p - h]) - 2 * fp)
            _annotate_normal(ax, p, fp, slope, f"slope {slope:.3g}", below=curvature > 0)
    ax.plot(pts, values, "o", color="C3", mec="white", ms=7, zorder=4, label="_points")
    names = variable_names(objective)
    ax.set_xlabel(names[0])
    ax.set_ylabel(_loss_name(objective))
    ax.set_title(title if title is not None else f"Tangents to {_title_of(objective)}")
    ax.grid(alpha=0.3)
    _legend(ax, loc="upper center")
    return ax


def _annotate_normal(ax: Any, x: float, y: float, slope: float, text: str, below: bool) -> None:
    """Write ``text`` 14 points from (x, y), perpendicular to a line of ``slope``."""
    p0 = ax.transData.transform((x, y))
    p1 = ax.transData.transform((x + 1.0, y + slope))
    dx, dy = p1 - p0
    nx, ny = -dy, dx
    norm = float(np.hypot(nx, ny)) or 1.0
    nx, ny = nx / norm, ny / norm
    if (ny > 0) == below:  # point the normal to the requested side
        nx, ny = -nx, -ny
    ax.annotate(
        text, (x, y), xytext=(16 * nx, 16 * ny), textcoords="offset points",
        ha="left" if nx > 0.3 else "right" if nx < -0.3 else "center",
        va="bottom" if ny > 0.3 else "top" if ny < -0.3 else "center",
        fontsize="small", color="C3",
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
    )


def path_1d(
    trajectories: Any,
    ax: Any = None,
    *,
    objective: Objective | None = None,
    bounds: tuple[float, float] | None = None,
    arrows: bool | None = None,
    numbers: int = 0,
    title: str | None = None,
    colors: Any = None,
) -> Any:
    """The 1-D objective with the iterates of each run on it, start marked.

    Each run is one Line2D whose data are exactly ``(traj.x, traj.loss)`` (dots joined by
    a thin line); ``arrows`` (default: when a run has at most 30 steps) adds an arrow
    per update, ``numbers=n`` writes the step number beside the first n iterates.
    The window is the objective's bounds, widened (up to 3 widths each side) to show
    iterates that leave it.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gdteach
    >>> traj = gdteach.run(gdteach.objectives.square, 5.0, gdteach.optim.SGD(lr=0.1), 3)
    >>> path_1d(traj).get_lines()[1].get_xdata().tolist() == traj.x.tolist()
    True
    """
    runs = _as_dict(trajectories)
    first = next(iter(runs.values()))
    objective = objective or first.objective
    _check_1d(objective, "path_1d")
    for label, traj in runs.items():
        if traj.x.ndim != 1:
            raise ValueError(
                f"path_1d draws runs from one scalar x0; {label!r} has x of shape {traj.x.shape}"
            )
    all_x = np.concatenate([t.x for t in runs.values()])
    lo, hi = bounds if bounds is not None else _bounds_1d(objective, all_x)
    if bounds is None:
        lo, hi = _draw.window_1d((lo, hi), all_x)
    ax = _axes(ax)
    xs, ys = _curve(objective, lo, hi)
    ax.plot(xs, ys, color="0.35", lw=1.8, zorder=1, label="_curve")
    for i, (label, traj) in enumerate(runs.items()):
        color = _color(colors, i, label)
        ax.plot(
            traj.x, traj.loss, "-o", color=color, lw=0.9, ms=5, mec="white", mew=0.6,
            zorder=3, label=_label(label, traj),
        )
        ax.plot(traj.x[:1], traj.loss[:1], "o", color=color, ms=10, mfc="none", mew=1.8,
                zorder=4, label="_start")
        if arrows if arrows is not None else traj.steps <= 30:
            _arrows(ax, traj.x, traj.loss, color)
        for k in range(min(numbers, len(traj.x))):
            if np.isfinite(traj.x[k]) and np.isfinite(traj.loss[k]):
                ax.annotate(str(k), (traj.x[k], traj.loss[k]), xytext=(4, 5),
                            textcoords="offset points", fontsize="x-small", color=color)
    ax.set_xlim(lo, hi)
    ax.set_ylim(*_draw.padded(ys, 0.06))
    ax.set_xlabel(variable_names(objective)[0])
    ax.set_ylabel(_loss_name(objective))
    if title is None:
        title = _title_of(objective)
        if len(runs) == 1:
            title = f"{next(iter(runs))} on {title}"
    ax.set_title(title)
    ax.grid(alpha=0.3)
    _legend(ax)
    return ax


def _arrows(ax: Any, x: np.ndarray, y: np.ndarray, color: str) -> None:
    for k in range(len(x) - 1):
        a, b = (x[k], y[k]), (x[k + 1], y[k + 1])
        if np.all(np.isfinite(a + b)) and (a != b):
            ax.annotate(
                "", xy=b, xytext=a,
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": 0.9,
                            "shrinkA": 3, "shrinkB": 3, "mutation_scale": 9},
                zorder=3,
            )


def compare_lrs(
    objective: Objective,
    x0: Any,
    lrs: Sequence[float],
    steps: int = 10,
    *,
    optimizer: Any = None,
    axes: Any = None,
    sharey: bool = False,
    colors: Any = None,
    **options: Any,
) -> Any:
    """Small multiples: one panel per learning rate, the same run from ``x0`` on each
    (``path_1d`` for 1-D objectives, ``contour_paths`` for 2-D). The static companion of
    :func:`gdteach.widgets.update_rule_explorer`. ``optimizer`` is a callable
    ``lr -> optimizer`` (default ``SGD(lr=lr)``). Each panel is titled with
    :func:`describe`; its run is drawn in the first colour of :data:`PALETTE`, or in the
    panel's own colour from ``colors`` (a list, one per lr, or a ``{"η = lr": colour}``
    dict) so that a learning rate keeps its colour from figure to figure. Returns the
    array of Axes.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> axes = compare_lrs(objectives.square, 5.0, [0.1, 0.9, 1.05], steps=8)
    >>> [ax.get_title() for ax in axes]
    ['η = 0.1: converges', 'η = 0.9: oscillates', 'η = 1.05: grows']
    """
    from . import optim
    from .run import run

    make = optimizer or (lambda lr: optim.SGD(lr=lr))
    lrs = list(lrs)
    if not lrs:
        raise ValueError("lrs must contain at least one learning rate")
    if axes is None:
        fig, axes = plt.subplots(
            1, len(lrs), figsize=(3.2 * len(lrs), 3.4), layout="constrained",
            sharey=sharey and objective.dim in (None, 1), squeeze=False,
        )
        axes = axes[0]
        fig.suptitle(_title_of(objective))
    axes = np.asarray(axes).ravel()
    two_d = objective.dim == 2
    for i, (ax, lr) in enumerate(zip(axes, lrs, strict=False)):
        traj = run(objective, x0, make(lr), steps, warn=False, **options)
        label = f"η = {lr:g}"
        own = colors is not None and (not isinstance(colors, Mapping) or label in colors)
        color = [_color(colors, i, label)] if own else None
        if two_d:
            contour_paths(objective, {label: traj}, ax=ax, legend=False, colors=color)
        else:
            path_1d({label: traj}, ax=ax, colors=color)
        ax.set_title(f"η = {lr:g}: {describe(traj)}", fontsize="medium")
        if ax is not axes[0]:
            ax.set_ylabel("")
    return axes


def describe(traj: Trajectory) -> str:
    """One word for how a run went: converges, oscillates, bounces, grows, diverged, stalls.

    The path *turns back* at update k when two successive steps point in opposite
    directions (``Δx_k · Δx_(k+1) < 0``, all parameters together, so a coordinate that
    still flips sign after it has shrunk to nothing does not count). A run whose loss
    fell "oscillates" when it turns back at least at every other step, else "converges";
    one whose loss did not fall "bounces" when it turns back so (η = 1 on a parabola:
    5, −5, 5, …), else "stalls".

    >>> import gdteach
    >>> sq, SGD = gdteach.objectives.square, gdteach.optim.SGD
    >>> [describe(gdteach.run(sq, 5.0, SGD(lr=lr), 10)) for lr in (0.1, 0.9, 1.0, 1.1, 1e-5)]
    ['converges', 'oscillates', 'bounces', 'grows', 'stalls']
    """
    if traj.stop_reason == "diverged":
        return "diverged"
    loss = np.asarray(traj.loss, dtype=float).reshape(len(traj.loss), -1).mean(axis=1)
    if loss[-1] > loss[0]:
        return "grows"
    steps = np.diff(np.asarray(traj.x, dtype=float).reshape(len(traj.x), -1), axis=0)
    turns = int(np.sum(np.sum(steps[1:] * steps[:-1], axis=1) < 0))
    back_and_forth = turns >= 0.5 * max(len(steps) - 1, 1)
    if loss[0] - loss[-1] < 1e-3 * abs(loss[0]):
        return "bounces" if back_and_forth else "stalls"
    return "oscillates" if back_and_forth else "converges"


# --------------------------------------------------------------------------- 2-D


def _bounds_2d(objective: Objective, runs: dict[str, Trajectory], bounds: Any) -> np.ndarray:
    if bounds is None:
        bounds = objective.bounds
    if bounds is not None:
        b = np.asarray(bounds, dtype=float)
        if b.shape != (2, 2):
            raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)), got {bounds!r}")
        return b
    pts = [t.x.reshape(-1, 2) for t in runs.values()]
    if objective.minimum is not None:
        pts.append(np.asarray(objective.minimum, dtype=float).reshape(1, 2))
    allp = np.concatenate(pts) if pts else np.zeros((1, 2))
    allp = allp[np.all(np.isfinite(allp), axis=1)]
    lo, hi = allp.min(axis=0), allp.max(axis=0)
    pad = np.maximum(0.15 * (hi - lo), 0.5)
    return np.stack([lo - pad, hi + pad], axis=1)


def contour_paths(
    objective: Objective,
    trajectories: Any = None,
    ax: Any = None,
    levels: Any = 30,
    log_levels: bool = False,
    bounds: Any = None,
    *,
    filled: bool = False,
    n: int = 200,
    cmap: str = "viridis",
    legend: bool = True,
    title: str | None = None,
    colors: Any = None,
) -> Any:
    """Contours of a 2-D objective over ``bounds`` (default ``objective.bounds``; without
    either, the box around the paths), its minimum as a star, each run's path.

    ``levels`` is a number of levels or the levels themselves; ``log_levels`` spaces
    them geometrically (for valleys like Rosenbrock's, where linear levels crowd the
    walls and leave the floor empty). A run is one Line2D whose data are ``traj.x[:, 0]``,
    ``traj.x[:, 1]``; runs from many starts (x of shape (k+1, n, 2)) draw one line per start.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> ax = contour_paths(objectives.rosenbrock, None, log_levels=True)
    >>> [float(v) for v in (*ax.get_xlim(), *ax.get_ylim())]
    [-2.0, 2.0, -1.0, 3.0]
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"contour_paths needs a gdteach Objective, got {objective!r}")
    if objective.dim not in (None, 2):
        raise ValueError(
            f"contour_paths draws 2-D objectives; {objective.name} has dim={objective.dim}"
        )
    runs = {} if trajectories is None else _as_dict(trajectories)
    b = _bounds_2d(objective, runs, bounds)
    ax = _axes(ax)
    X, Y, Z = _draw.grid(objective, b, n)
    lev = _levels(Z, levels, log_levels, inclusive=filled)
    draw = ax.contourf if filled else ax.contour
    style = {"alpha": 0.8, "extend": "both"} if filled else {"linewidths": 0.7, "alpha": 0.6}
    cs = draw(X, Y, Z, levels=lev, cmap=cmap, zorder=1, **style)
    cs.set_gid("contours")
    if objective.minimum is not None:
        m = np.asarray(objective.minimum, dtype=float).ravel()
        ax.plot(m[0], m[1], "*", ms=15, color="gold", mec="black", mew=0.8, zorder=5,
                label="minimum")
    for i, (label, traj) in enumerate(runs.items()):
        color = _color(colors, i, label)
        x = traj.x.reshape(len(traj.x), -1, 2)
        for j in range(x.shape[1]):
            ax.plot(x[:, j, 0], x[:, j, 1], "-o", color=color, lw=1.4, ms=3.2, mec=color,
                    markevery=_markevery(len(x)), alpha=0.9, zorder=4,
                    label=_label(label, traj) if j == 0 else "_path")
            ax.plot(x[:1, j, 0], x[:1, j, 1], "o", ms=8, mfc="none", mec=color, mew=1.6,
                    zorder=4, label="_start")
    ax.set_xlim(float(b[0, 0]), float(b[0, 1]))
    ax.set_ylim(float(b[1, 0]), float(b[1, 1]))
    names = variable_names(objective)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_title(title if title is not None else _title_of(objective))
    if legend:
        _legend(ax, loc="best")
    return ax


# --------------------------------------------------------------------------- curves


def _per_x(traj: Trajectory, values: np.ndarray, x: str) -> tuple[np.ndarray, np.ndarray]:
    """Steps (0..k) and values, or end-of-epoch points: epoch 0 is the start, epoch e+1
    the loss after the last update of epoch e."""
    if x == "step":
        return np.arange(len(values)), values
    if x != "epoch":
        raise ValueError(f'x must be "step" or "epoch", got {x!r}')
    epochs = np.asarray(traj.epoch)
    if len(epochs) > 1 and not epochs.any():
        epochs = np.arange(len(epochs))  # full-batch run: every update is a pass over the data
    if len(values) != len(epochs) + 1:
        raise ValueError("x='epoch' needs a per-iterate quantity (k + 1 values), like loss")
    last = [i for i in range(len(epochs)) if i == len(epochs) - 1 or epochs[i + 1] != epochs[i]]
    idx = np.array([0] + [i + 1 for i in last], dtype=int)
    return np.array([0] + [int(epochs[i]) + 1 for i in last], dtype=int), values[idx]


def loss_curves(
    trajectories: Any,
    ax: Any = None,
    log: bool = True,
    x: str = "step",
    *,
    title: str | None = None,
    colors: Any = None,
) -> Any:
    """Loss against update number (``x="step"``, 0 is the start) or at the end of each
    epoch (``x="epoch"``; a run without mini-batches, whose ``epoch`` is all 0, counts
    each full-batch update as an epoch). With ``log`` the y axis is logarithmic and zero, negative
    or non-finite losses are left out (NaN) rather than breaking the scale; an objective
    whose loss goes below zero gets a linear axis even with ``log``. A run that
    diverged is labelled "(diverged)" and its last finite loss is marked with an x.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gdteach
    >>> traj = gdteach.run(gdteach.objectives.square, 5.0, gdteach.optim.SGD(lr=0.1), 4)
    >>> ax = loss_curves({"η=0.1": traj})
    >>> ax.get_yscale(), ax.get_lines()[0].get_ydata().tolist() == traj.loss.tolist()
    ('log', True)
    """
    runs = _as_dict(trajectories)
    ax = _axes(ax)
    if log and any(np.any(np.asarray(t.loss)[np.isfinite(t.loss)] < 0) for t in runs.values()):
        log = False  # a loss below zero (x·cos(cx) …) has no log scale
    # a diverging run would stretch the axis over hundreds of decades: keep the window
    # on the runs that did not diverge and mark where a diverging run leaves it
    calm_values, some_calm = _draw.calm_losses(list(runs.values()), log)
    top = None
    if calm_values.size and some_calm:
        lo = float(calm_values.min())
        top = _draw.loss_top(calm_values, log)
    escaped, plotted = [], []
    for i, (label, traj) in enumerate(runs.items()):
        color = _color(colors, i, label)
        steps, loss = _per_x(traj, np.asarray(traj.loss, dtype=float), x)
        values = _log_safe(loss) if log else _finite(loss)
        plotted.append(values)
        cols = values.reshape(len(values), -1)
        marker = "o" if x == "epoch" or len(values) <= 30 else None
        for j in range(cols.shape[1]):
            ax.plot(steps, cols[:, j], color=color, lw=1.5, marker=marker, ms=3.5,
                    label=_label(label, traj) if j == 0 else "_start")
        if traj.stop_reason == "diverged":
            ok = np.where(np.isfinite(cols).any(axis=1))[0]
            if ok.size:
                k = ok[-1]
                y = float(np.nanmax(cols[k]))
                if top is not None and y > top:
                    above = np.where(np.nanmax(np.nan_to_num(cols, nan=-np.inf), axis=1) > top)[0]
                    k, y = above[0], top
                    escaped.append(y)
                ax.plot(steps[k], y, "x", color=color, ms=10, mew=2, clip_on=False,
                        label="_diverged")
    if log:
        _set_log_y(ax, [calm_values] if escaped else plotted, top=top if escaped else None)
    elif escaped:
        ax.set_ylim(lo - 0.05 * (top - lo), top)
    ax.set_xlabel("update (step)" if x == "step" else "epoch")
    ax.set_ylabel("loss" + (" (log scale)" if log else ""))
    if title is None:
        objectives = {id(t.objective): t.objective for t in runs.values()}
        title = "Loss"
        if len(objectives) == 1:
            title = f"Loss on {_title_of(next(iter(objectives.values())))}"
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both" if log else "major")
    _legend(ax)
    return ax


def lr_range(
    lrs: Any,
    final_losses: Any = None,
    ax: Any = None,
    diverged: Any = None,
    *,
    log_y: bool = True,
    mark_best: bool = False,
    title: str = "Learning-rate range test",
) -> Any:
    """Final loss against learning rate on a log x axis (a learning-rate finder).

    ``lrs`` and ``final_losses`` are sequences, or ``lrs`` is the ``{lr: Trajectory}`` dict
    of :func:`gdteach.sweep` and ``final_losses`` is left out. Runs that diverged
    (``diverged`` flags, or a non-finite final loss) are drawn as red x marks at the top
    of the axes; the others as a line with dots. ``mark_best`` rings the lowest loss.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = lr_range([0.01, 0.1, 1.0], [0.5, 0.01, float("inf")])
    >>> ax.get_xscale(), ax.get_lines()[0].get_xdata().tolist()
    ('log', [0.01, 0.1])
    """
    if isinstance(lrs, Mapping):
        if final_losses is not None:
            raise ValueError("pass final_losses only with a sequence of lrs, not a sweep dict")
        runs = lrs
        lrs = list(runs)
        final_losses = [np.mean(np.asarray(t.final_loss, dtype=float)) for t in runs.values()]
        if diverged is None:
            diverged = [t.stop_reason == "diverged" for t in runs.values()]
    lr = np.asarray(lrs, dtype=float).ravel()
    loss = np.asarray(final_losses, dtype=float).ravel()
    if lr.shape != loss.shape:
        raise ValueError(
            f"lrs and final_losses must have the same length, got {lr.size} and {loss.size}"
        )
    if np.any(~np.isfinite(lr) | (lr <= 0)):
        raise ValueError(f"lrs must be positive finite numbers, got {lrs!r}")
    bad = ~np.isfinite(loss)
    if diverged is not None:
        bad = bad | np.asarray(diverged, dtype=bool).ravel()
    if log_y:
        bad_scale = ~bad & (loss <= 0)
        loss = np.where(bad_scale, np.nan, loss)
    order = np.argsort(lr)
    lr, loss, bad = lr[order], loss[order], bad[order]
    ax = _axes(ax)
    ok = ~bad
    ax.plot(lr[ok], loss[ok], "-o", color="C0", ms=4, lw=1.5, label="final loss")
    if bad.any():
        top = transforms.blended_transform_factory(ax.transData, ax.transAxes)
        ax.plot(lr[bad], np.full(bad.sum(), 0.95), "x", color="C3", ms=9, mew=2,
                transform=top, label="diverged", clip_on=False)
    if mark_best and ok.any() and np.isfinite(loss[ok]).any():
        k = np.nanargmin(np.where(ok, loss, np.nan))
        ax.plot(lr[k], loss[k], "o", ms=12, mfc="none", mec="C2", mew=2,
                label=f"lowest: η = {lr[k]:.3g}")
    ax.set_xscale("log")
    if log_y and ok.any():
        _set_log_y(ax, [loss[ok]])
    ax.set_xlabel(r"learning rate $\eta$ (log scale)")
    ax.set_ylabel("final loss" + (" (log scale)" if log_y else ""))
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    _legend(ax)
    return ax


def quantity(
    trajectories: Any,
    name: str,
    ax: Any = None,
    log: bool = False,
    *,
    title: str | None = None,
    colors: Any = None,
) -> Any:
    """Any per-step Trajectory attribute against the step: ``grad_norm``, ``update_ratio``,
    ``lr``, ``loss``, ``x`` … Per-update quantities (k values) are drawn at updates
    0..k−1, per-iterate ones (k + 1 values) at 0..k. Parameters with several components
    get one line each, labelled ``label[i]``.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gdteach
    >>> traj = gdteach.run(gdteach.objectives.square, 5.0, gdteach.optim.SGD(lr=0.1), 3)
    >>> quantity(traj, "grad_norm").get_lines()[0].get_ydata().tolist()
    [10.0, 8.0, 6.4]
    """
    runs = _as_dict(trajectories)
    ax = _axes(ax)
    plotted = []
    for i, (label, traj) in enumerate(runs.items()):
        if not hasattr(traj, name):
            raise ValueError(
                f"Trajectory has no quantity {name!r}; try grad_norm, update_ratio, lr, loss"
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.asarray(getattr(traj, name), dtype=float)
        if values.ndim == 0:
            raise ValueError(f"{name!r} is a single number per run, not a per-step quantity")
        values = _log_safe(values) if log else _finite(values)
        plotted.append(values)
        steps = np.arange(len(values))
        cols = values.reshape(len(values), -1)
        many = cols.shape[1] > 1
        names = variable_names(traj.objective) if many else []
        if len(names) != cols.shape[1] or name not in ("x", "grad", "updates"):
            names = [f"{label}[{j}]" for j in range(cols.shape[1])]
        elif len(runs) > 1:
            names = [f"{label}: {v}" for v in names]
        marker = "o" if len(values) <= 30 else None
        for j in range(cols.shape[1]):
            one = len(runs) == 1
            ax.plot(steps, cols[:, j], color=_color(colors, i + j if one else i, label),
                    ls="-" if one else ("-", "--", ":", "-.")[j % 4], lw=1.5, marker=marker,
                    ms=3.5, label=_label(names[j] if many else label, traj))
    if log:
        _set_log_y(ax, plotted)
    ax.set_xlabel("update (step)")
    ylabel = QUANTITY_LABELS.get(name, name.replace("_", " "))
    ax.set_ylabel(ylabel + (" (log scale)" if log else ""))
    if title is None:
        title = f"{ylabel.split(' $')[0]} per step"
        title = title[0].upper() + title[1:]
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both" if log else "major")
    _legend(ax)
    return ax


def race(
    trajectories: Any,
    axes: Any = None,
    *,
    objective: Objective | None = None,
    log_levels: bool | None = None,
    title: str | None = None,
    colors: Any = None,
) -> Any:
    """Two panels for a race between optimizers: the paths (on the curve for a 1-D
    objective, on contours for a 2-D one) and the loss curves. The static companion of
    :func:`gdteach.widgets.optimizer_race_explorer`. Returns the two Axes.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gdteach
    >>> runs = gdteach.compare(gdteach.objectives.quadratic([0.1, 2.0]), [-4.0, 2.0],
    ...                        {"SGD": gdteach.optim.SGD(lr=0.4), "Adam": gdteach.optim.Adam(lr=0.5)}, 30)
    >>> [ax.get_title() for ax in race(runs)]
    ['$f(x) = 0.1x_1^2 + 2x_2^2$', 'Loss per update']
    """
    runs = _as_dict(trajectories)
    objective = objective or next(iter(runs.values())).objective
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.0), layout="constrained")
        if title:
            fig.suptitle(title)
    left, right = axes
    styles = _optimizer_styles(runs) if colors is None else {}
    if styles:
        colors = {label: style["color"] for label, style in styles.items()}
    if objective.dim == 2:
        if log_levels is None:
            log_levels = _draw.wants_log_levels(objective)
        contour_paths(objective, runs, ax=left, log_levels=log_levels, colors=colors)
    else:
        path_1d(runs, ax=left, objective=objective, arrows=False, title=_title_of(objective),
                colors=colors)
    loss_curves(runs, ax=right, title="Loss per update", colors=colors)
    for label, style in styles.items():  # the series' line style of each optimizer
        for ax in (left, right):
            for line in ax.get_lines():
                if line.get_label() == _label(label, runs[label]):
                    line.set_linestyle(style["linestyle"])
    if styles and right.get_legend() is not None:
        _legend(right)  # the legend again, with the line styles
    return np.array([left, right])


def _optimizer_styles(runs: dict[str, Trajectory]) -> dict[str, dict[str, str]]:
    """Each run's colour and line style from :func:`gdteach.style.optimizer_style`, or {}
    (the :data:`PALETTE` order) when an optimizer has no style or two runs would look alike."""
    styles = {}
    for label, traj in runs.items():
        try:
            styles[label] = optimizer_style(traj.optimizer)
        except ValueError:
            return {}
    looks = {(s["color"], s["linestyle"]) for s in styles.values()}
    return styles if len(looks) == len(styles) else {}


# --------------------------------------------------------------------------- races as small multiples, rate maps
# (notebook 05; self-contained: they use matplotlib and the public gdteach API only)


def _race_style(label: str, traj: Trajectory) -> dict[str, str]:
    """The style the label names, else the optimizer's (small multiples label panels by name)."""
    try:
        return optimizer_style(label)
    except ValueError:
        return optimizer_style(traj.optimizer)


def race_panels(
    objective: Objective,
    trajectories: Mapping[str, Trajectory],
    *,
    bounds: Any = None,
    log_levels: bool = False,
    target: float | None = None,
    ncols: int = 3,
    title: str | None = None,
    loss_ylim: Any = None,
) -> np.ndarray:
    """A race as small multiples: one contour panel per optimizer with its path (start ○,
    end ×), and a last panel with every loss curve (log scale), each optimizer in its series
    colour and line style (:func:`gdteach.style.optimizer_style`, read from the label or the
    optimizer). ``target`` draws a dashed line on the loss panel. Returns the Axes array.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gdteach
    >>> runs = gdteach.compare(gdteach.objectives.quadratic([0.1, 2.0]), [-4.0, 2.0],
    ...                        {"SGD": gdteach.optim.SGD(lr=0.4), "Adam": gdteach.optim.Adam(lr=0.5)}, 30)
    >>> [ax.get_title() for ax in race_panels(runs["SGD"].objective, runs, ncols=3)]
    ['SGD', 'Adam', 'Loss per update']
    """
    if not isinstance(trajectories, Mapping) or not trajectories:
        raise ValueError("trajectories must be a non-empty {label: Trajectory} dict")
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    n = len(trajectories) + 1
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.9 * nrows), layout="constrained",
                             squeeze=False)
    flat = axes.ravel()
    for ax, (label, traj) in zip(flat, trajectories.items()):
        contour_paths(objective, None, ax=ax, bounds=bounds, log_levels=log_levels, legend=False,
                      title=label, levels=15)
        style = _race_style(label, traj)
        x = np.asarray(traj.x, dtype=float).reshape(len(traj.x), -1, 2)[:, 0]
        ax.plot(x[:, 0], x[:, 1], color=style["color"], ls=style["linestyle"], lw=1.6, zorder=4)
        ax.plot(x[0, 0], x[0, 1], "o", ms=7, mfc="none", mec=style["color"], mew=1.6, zorder=5)
        ok = np.all(np.isfinite(x), axis=1)
        if ok.any():
            end = x[ok][-1]
            ax.plot(end[0], end[1], "X", ms=8, color=style["color"], mec="white", zorder=6)
    loss_ax = flat[len(trajectories)]
    for label, traj in trajectories.items():
        style = _race_style(label, traj)
        loss = np.array(traj.loss, dtype=float).reshape(len(traj.loss), -1)[:, 0]
        loss[~np.isfinite(loss) | (loss <= 0)] = np.nan
        loss_ax.plot(np.arange(len(loss)), loss, color=style["color"], ls=style["linestyle"], lw=1.6,
                     label=label)
    if target is not None:
        loss_ax.axhline(target, color="0.3", ls=(0, (2, 2)), lw=1, label=f"target {target:g}")
    loss_ax.set_yscale("log")
    if loss_ylim is not None:
        loss_ax.set_ylim(*loss_ylim)
    loss_ax.set_xlabel("update")
    loss_ax.set_ylabel("loss (log scale)")
    loss_ax.set_title("Loss per update")
    loss_ax.grid(alpha=0.3, which="major")
    if len(flat) > n:  # a spare panel: the legend goes there, off the curves
        flat[n].axis("off")
        flat[n].legend(*loss_ax.get_legend_handles_labels(), loc="center left", fontsize="small",
                       title="loss curves")
    else:
        loss_ax.legend(fontsize="x-small", loc="best")
    for ax in flat[n + 1:]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    return flat[:n]


def rate_map(
    etas: Any,
    betas: Any,
    curvatures: Any,
    *,
    ax: Any = None,
    marks: Mapping[str, tuple[float, float]] | None = None,
    title: str | None = None,
) -> Any:
    """Heavy-ball momentum's convergence rate on a quadratic over an (η, β) grid, from the
    eigenvalues of the 2×2 iteration matrices (:func:`gdteach.theory.momentum_rate`; no run):
    colour = the factor the error shrinks by per update (darker is faster), grey = divergent,
    hatched = oscillating (the slowest direction spirals or flips sign), plain = monotone.
    ``marks`` ({label: (η, β)}) are drawn as labelled points. Returns the Axes.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = rate_map(np.linspace(0.01, 1.5, 40), np.linspace(0, 0.95, 30), [0.04, 4.0],
    ...               marks={"η*, β*": (0.826, 0.669)})
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('learning rate η', 'momentum β')
    """
    from matplotlib.colors import ListedColormap

    from .theory import momentum_rate, momentum_regime

    etas, betas = np.asarray(etas, dtype=float), np.asarray(betas, dtype=float)
    if etas.ndim != 1 or betas.ndim != 1 or etas.size < 2 or betas.size < 2:
        raise ValueError(f"etas and betas must be 1-D grids of at least 2 values, got shapes "
                         f"{etas.shape} and {betas.shape}")
    E, B = np.meshgrid(etas, betas)
    rate = momentum_rate(E, B, curvatures)
    regime = momentum_regime(E, B, curvatures)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
    shown = np.where(regime == 2, np.nan, rate)
    mesh = ax.pcolormesh(E, B, shown, cmap="viridis", vmin=float(np.nanmin(shown)) if np.isfinite(shown).any()
                         else 0.0, vmax=1.0, shading="auto")
    ax.pcolormesh(E, B, np.where(regime == 2, 1.0, np.nan), cmap=ListedColormap(["0.82"]), shading="auto")
    ax.contourf(E, B, (regime == 1).astype(float), levels=[0.5, 1.5], colors="none", hatches=["///"])
    ax.contour(E, B, regime.astype(float), levels=[0.5, 1.5], colors="white", linewidths=1.2)
    finite = np.where(regime == 2, np.nan, rate)
    if np.isfinite(finite).any():
        cs = ax.contour(E, B, finite, levels=[0.9, 0.95, 0.99], colors="0.15", linewidths=0.7)
        ax.clabel(cs, fmt="%g", fontsize="x-small")
    plt.colorbar(mesh, ax=ax, label="rate (the error is multiplied by it per update)")
    for i, (label, (eta, beta)) in enumerate((marks or {}).items()):
        marker = "*" if i == 0 else "o"
        ax.plot(eta, beta, marker, ms=14 if marker == "*" else 7, color="gold" if i == 0 else "white",
                mec="black", zorder=5)
        ax.annotate(label, (eta, beta), xytext=(6, 6) if i == 0 else (7, -12), textcoords="offset points",
                    fontsize="small",
                    color="black", bbox={"boxstyle": "round,pad=0.2", "fc": "white", "alpha": 0.8})
    ax.set_xlabel("learning rate η")
    ax.set_ylabel("momentum β")
    ax.set_title(title if title is not None else "Momentum's rate (grey: diverges, hatched: oscillates)")
    return ax


__all__ += ["race_panels", "rate_map"]

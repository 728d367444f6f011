"""One-dimensional figures: a curve with its tangents, iterates on the curve, one panel per learning rate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from .. import _draw
from ..checks import check_flag, check_int, check_positive
from ..objectives import Objective
from ..run import Trajectory
from ..style import INK, MARKS
from ._common import (
    MAX_WIDTH,
    as_dict,
    axes_or_new,
    check_bounds_1d,
    check_objective,
    color_of,
    finish,
    run_label,
    variable_names,
)


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
    check_objective(objective, "function_with_tangents", (None, 1))
    check_flag("annotate", annotate)
    pts = np.atleast_1d(np.asarray(points, dtype=float)).ravel()
    bounds = check_bounds_1d(bounds)
    lo, hi = bounds if bounds is not None else _bounds_1d(objective, pts)
    span = 0.25 * (hi - lo) if span is None else check_positive("span", span)
    ax = axes_or_new(ax)
    xs, ys = _draw.curve(objective, lo, hi)
    ax.plot(xs, ys, color=MARKS["function"], lw=2, label=_draw.title_of(objective) or objective.name, zorder=2)
    ax.set_xlim(lo, hi)
    ax.set_ylim(*_draw.padded(ys, 0.08))
    values = np.asarray(objective(pts[:, None]), dtype=float).reshape(pts.shape)
    slopes = objective.grad(pts[:, None])[:, 0]
    h = 1e-3 * (hi - lo)
    for i, (p, fp, slope) in enumerate(zip(pts, values, slopes, strict=True)):
        tx = np.array([p - span / 2, p + span / 2])
        (line,) = ax.plot(
            tx, fp + slope * (tx - p), color=MARKS["tangent"], lw=1.5, ls="--",
            label="tangent" if i == 0 else "_tangent", zorder=3,
        )
        line.set_gid("tangent")
        if annotate:
            # write the slope on the side of the tangent away from the curve
            curvature = float(objective([p + h]) + objective([p - h]) - 2 * fp)
            _annotate_normal(ax, p, fp, slope, f"slope {slope:.3g}", below=curvature > 0)
    ax.plot(pts, values, "o", color=MARKS["tangent"], mec=INK["edge"], ms=7, zorder=4, label="_points")
    return finish(ax, xlabel=variable_names(objective)[0], ylabel=_draw.loss_name(objective),
                  title=title if title is not None else f"Tangents to {_draw.title_of(objective)}",
                  legend_kw={"loc": "upper center"})


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
        fontsize="small", color=INK["text"],
        bbox={"boxstyle": "round,pad=0.2", "fc": INK["edge"], "ec": "none", "alpha": 0.8},
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
    linestyles: Any = None,
    shown: int | None = None,
) -> Any:
    """The 1-D objective with the iterates of each run on it, start marked.

    Each run is one Line2D whose data are exactly ``(traj.x, traj.loss)`` (dots joined by
    a thin line); ``arrows`` (default: when a run has at most 30 steps) adds an arrow
    per update, ``numbers=n`` writes the step number beside the first n iterates.
    The window is the objective's bounds, widened (up to 3 widths each side) to show
    iterates that leave it; ``shown=n`` draws the first n updates only and widens the window
    to show them all. The curve is drawn over the whole window, so every iterate shown lies on
    it; an iterate beyond the window is marked by a triangle on the edge it leaves through.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gdteach
    >>> traj = gdteach.run(gdteach.objectives.square, 5.0, gdteach.optim.SGD(lr=0.1), 3)
    >>> path_1d(traj).get_lines()[1].get_xdata().tolist() == traj.x.tolist()
    True
    """
    runs = as_dict(trajectories)
    first = next(iter(runs.values()))
    objective = objective or first.objective
    check_objective(objective, "path_1d", (None, 1))
    numbers = check_int("numbers", numbers, minimum=0)
    bounds = check_bounds_1d(bounds)
    _check_scalar_runs(runs)
    if shown is not None:
        shown = check_int("shown", shown, minimum=1)
        runs = {label: _first_updates(traj, shown) for label, traj in runs.items()}
    lo, hi = _path_window(objective, runs, bounds, widen_to_all=shown is not None)
    ax = axes_or_new(ax)
    xs, ys = _draw.curve(objective, lo, hi)
    ax.plot(xs, ys, color=INK["curve"], lw=1.8, zorder=1, label="_curve")
    for i, (label, traj) in enumerate(runs.items()):
        color = color_of(colors, i, label)
        ls = color_of(linestyles, i, label) if linestyles is not None else "solid"
        _draw_iterates(ax, label, traj, color=color, linestyle=ls, window=(lo, hi))
        if arrows if arrows is not None else traj.steps <= 30:
            _arrows(ax, traj.x, traj.loss, color)
        _number_iterates(ax, traj, numbers, color)
    ax.set_xlim(lo, hi)
    ax.set_ylim(*_draw.padded(ys, 0.06))
    if title is None:
        title = _draw.title_of(objective)
        if len(runs) == 1:
            title = f"{next(iter(runs))} on {title}"
    return finish(ax, xlabel=variable_names(objective)[0], ylabel=_draw.loss_name(objective),
                  title=title)


def _check_scalar_runs(runs: dict[str, Trajectory]) -> None:
    """Refuse a run whose x is not one number per iterate (a run from many starts)."""
    for label, traj in runs.items():
        if traj.x.ndim != 1:
            raise ValueError(
                f"path_1d draws runs from one scalar x0; {label!r} has x of shape {traj.x.shape}"
            )


def _path_window(objective: Objective, runs: dict[str, Trajectory],
                 bounds: tuple[float, float] | None, *, widen_to_all: bool) -> tuple[float, float]:
    """The x window of :func:`path_1d`: ``bounds`` when given; else the objective's bounds
    widened to every iterate (``widen_to_all``, 5 % padding) or, by :func:`_draw.window_1d`,
    up to 3 widths each side."""
    all_x = np.concatenate([t.x for t in runs.values()])
    lo, hi = bounds if bounds is not None else _bounds_1d(objective, all_x)
    if bounds is None and widen_to_all:
        lo, hi = _draw.padded(np.r_[lo, hi, all_x], 0.05)
    elif bounds is None:
        lo, hi = _draw.window_1d((lo, hi), all_x)
    return lo, hi


def _draw_iterates(ax: Any, label: str, traj: Trajectory, *, color: str, linestyle: Any,
                   window: tuple[float, float]) -> None:
    """One run's iterates on the curve, ``(traj.x, traj.loss)`` as dots joined by a thin
    line, the exits from ``window`` marked, and the start ringed."""
    ax.plot(
        traj.x, traj.loss, marker="o", color=color, ls=linestyle, lw=0.9, ms=5, mec=INK["edge"],
        mew=0.6, zorder=3, label=run_label(label, traj),
    )
    _mark_exits(ax, traj.x, *window)
    ax.plot(traj.x[:1], traj.loss[:1], "o", color=color, ms=10, mfc="none", mew=1.8,
            zorder=4, label="_start")


def _number_iterates(ax: Any, traj: Trajectory, numbers: int, color: str) -> None:
    """The step number beside each of the first ``numbers`` (finite) iterates."""
    for k in range(min(numbers, len(traj.x))):
        if np.isfinite(traj.x[k]) and np.isfinite(traj.loss[k]):
            ax.annotate(str(k), (traj.x[k], traj.loss[k]), xytext=(4, 5),
                        textcoords="offset points", fontsize="x-small", color=color)


def _first_updates(traj: Trajectory, n: int) -> Trajectory:
    """The run cut to its first ``n`` updates (its stop reason kept)."""
    import dataclasses

    keep = min(n, traj.steps)
    cut = {f.name: getattr(traj, f.name) for f in dataclasses.fields(traj)}
    for name, value in cut.items():
        if isinstance(value, np.ndarray) and value.ndim >= 1 and len(value) in (traj.steps, traj.steps + 1):
            cut[name] = value[: keep + (len(value) - traj.steps)]
    return dataclasses.replace(traj, **cut)


def _mark_exits(ax: Any, x: np.ndarray, lo: float, hi: float) -> None:
    """A triangle on the bottom edge, at the side an iterate leaves the window through."""
    with np.errstate(invalid="ignore"):
        beyond = [(hi, ">", x > hi), (lo, "<", x < lo)]
    for edge, marker, out in beyond:
        if np.any(out):
            ax.plot([edge], [0.04], marker, ms=10, color=MARKS["diverged"], mec=INK["text"], clip_on=False,
                    transform=ax.get_xaxis_transform(), zorder=6, label="_leaves")
            ax.annotate(f"{int(out.sum())} off the window", (edge, 0.04), xycoords=ax.get_xaxis_transform(),
                        xytext=(-8 if marker == ">" else 8, 8), textcoords="offset points", fontsize="small",
                        ha="right" if marker == ">" else "left", color=INK["text"])


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
    shown: Any = None,
    **options: Any,
) -> Any:
    """Small multiples: one panel per learning rate, the same run from ``x0`` on each
    (``path_1d`` for 1-D objectives, ``contour_paths`` for 2-D). The static companion of
    :func:`gdteach.widgets.update_rule_explorer`. ``optimizer`` is a callable
    ``lr -> optimizer`` (default ``SGD(lr=lr)``). Each panel is titled with
    :func:`describe`; its run is drawn in the first colour of :data:`PALETTE`, or in the
    panel's own colour from ``colors`` (a list, one per lr, or a ``{"η = lr": colour}``
    dict) so that a learning rate keeps its colour from figure to figure. ``shown`` (a
    number of updates, or a callable ``trajectory -> number or None``) frames a 1-D panel on
    its first updates only (a diverging run's first few). At most three panels a row.
    Returns the array of Axes.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> axes = compare_lrs(objectives.square, 5.0, [0.1, 0.9, 1.05], steps=8)
    >>> [ax.get_title() for ax in axes]
    ['η = 0.1: converges', 'η = 0.9: oscillates', 'η = 1.05: grows']
    """
    from .. import optim
    from ..run import run
    from .contours import contour_paths

    make = optimizer or (lambda lr: optim.SGD(lr=lr))
    lrs = [check_positive(f"lrs[{i}]", lr) for i, lr in enumerate(lrs)]
    if not lrs:
        raise ValueError("lrs must contain at least one learning rate, got []")
    steps = check_int("steps", steps, minimum=1)
    if axes is None:
        axes = _lr_panels(objective, len(lrs), sharey=sharey)
    axes = np.asarray(axes).ravel()
    two_d = objective.dim == 2
    for i, (ax, lr) in enumerate(zip(axes, lrs, strict=False)):
        traj = run(objective, x0, make(lr), steps, warn=False, **options)
        label = f"η = {lr:g}"
        own = colors is not None and (not isinstance(colors, Mapping) or label in colors)
        color = [color_of(colors, i, label)] if own else None
        if two_d:
            contour_paths(objective, {label: traj}, ax=ax, legend=False, colors=color)
        else:
            path_1d({label: traj}, ax=ax, colors=color, shown=shown(traj) if callable(shown) else shown)
        finish(ax, title=f"η = {lr:g}: {describe(traj)}", legend_kw={"show": False})
        if ax.get_subplotspec() is not None and not ax.get_subplotspec().is_first_col():
            ax.set_ylabel("")
    return axes


def _lr_panels(objective: Objective, n: int, *, sharey: bool) -> np.ndarray:
    """A new figure for :func:`compare_lrs`: ``n`` panels, all in one row up to three, else in
    two rows (so the figure stays within MAX_WIDTH, 11 in), spare panels hidden, titled with
    the objective; 1-D panels share their y axis with ``sharey``."""
    ncols = n if n <= 3 else -(-n // 2)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(min(3.6 * ncols, MAX_WIDTH), 3.2 * nrows), layout="constrained",
        sharey=sharey and objective.dim in (None, 1), squeeze=False,
    )
    for spare in axes.ravel()[n:]:
        spare.set_visible(False)
    fig.suptitle(_draw.title_of(objective))
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


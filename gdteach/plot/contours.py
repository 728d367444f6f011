"""Contours and paths: a 2-D objective with the runs on it, races, the momentum rate map."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from .. import _draw
from ..checks import check_flag, check_int
from ..objectives import Objective
from ..run import Trajectory
from ..style import CMAPS, INK, MARKS, optimizer_style
from ._common import (
    MAX_WIDTH,
    as_dict,
    axes_or_new,
    check_objective,
    color_of,
    finish,
    run_label,
    variable_names,
)
from .curves import loss_curves
from .one_d import path_1d


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
    cmap: str | None = None,
    legend: bool = True,
    title: str | None = None,
    colors: Any = None,
    linestyles: Any = None,
) -> Any:
    """Contours of a 2-D objective over ``bounds`` (default ``objective.bounds``; without
    either, the box around the paths), its minimum as a star, each run's path.

    ``levels`` is a number of levels or the levels themselves; ``log_levels`` spaces
    them geometrically (for valleys like Rosenbrock's, where linear levels crowd the
    walls and leave the floor empty). A run is one Line2D whose data are ``traj.x[:, 0]``,
    ``traj.x[:, 1]``; runs from many starts (x of shape (k+1, n, 2)) draw one line per start.
    Each path has its start ringed (○) and its end crossed (×); a path that leaves the
    window gets a triangle (▲) where it crosses the edge. The contours are thin and light
    (``cmap``, default the series' height map), under the paths. ``linestyles`` (a
    {label: style} dict or a list) gives each run its line style, so the legend shows it.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> ax = contour_paths(objectives.rosenbrock, None, log_levels=True)
    >>> [float(v) for v in (*ax.get_xlim(), *ax.get_ylim())]
    [-2.0, 2.0, -1.0, 3.0]
    """
    check_objective(objective, "contour_paths", (None, 2))
    check_flag("legend", legend)
    check_flag("filled", filled)
    n = check_int("n", n, minimum=2)
    runs = {} if trajectories is None else as_dict(trajectories)
    b = _bounds_2d(objective, runs, bounds)
    ax = axes_or_new(ax)
    _draw_contours(ax, objective, b, n, levels=levels, log_levels=log_levels, filled=filled,
                   cmap=cmap)
    _draw_minimum(ax, objective)
    _draw_paths(ax, runs, b, colors=colors, linestyles=linestyles)
    ax.set_xlim(float(b[0, 0]), float(b[0, 1]))
    ax.set_ylim(float(b[1, 0]), float(b[1, 1]))
    names = variable_names(objective, dim=2)
    return finish(ax, xlabel=names[0], ylabel=names[1], grid=None,
                  title=title if title is not None else _draw.title_of(objective),
                  legend_kw={"loc": "best", "show": legend})


def _draw_contours(ax: Any, objective: Objective, bounds: np.ndarray, n: int, *, levels: Any,
                   log_levels: bool, filled: bool, cmap: str | None) -> None:
    """The objective's contours over ``bounds`` on an n × n grid, under the paths: thin light
    lines, or filled bands with ``filled``; the contour set's gid is "contours"."""
    X, Y, Z = _draw.grid(objective, bounds, n)
    lev = _draw.levels(Z, levels, log_levels, inclusive=filled)
    draw = ax.contourf if filled else ax.contour
    style = {"alpha": 0.8, "extend": "both"} if filled else {"linewidths": 0.6, "alpha": 0.45}
    cs = draw(X, Y, Z, levels=lev, cmap=cmap or CMAPS["height"], zorder=1, **style)
    cs.set_gid("contours")


def _draw_minimum(ax: Any, objective: Objective) -> None:
    """The objective's minimum as a star labelled "minimum", when it has one."""
    if objective.minimum is not None:
        m = np.asarray(objective.minimum, dtype=float).ravel()
        ax.plot(m[0], m[1], "*", ms=15, color=MARKS["minimum"], mec=INK["text"], mew=0.8, zorder=5,
                label="minimum")


def _draw_paths(ax: Any, runs: dict[str, Trajectory], bounds: np.ndarray, *, colors: Any,
                linestyles: Any) -> None:
    """Each run's path (:func:`draw_path`) in its colour and line style; a run from many
    starts draws one path per start, the first one labelled for the legend."""
    for i, (label, traj) in enumerate(runs.items()):
        color = color_of(colors, i, label)
        ls = color_of(linestyles, i, label) if linestyles is not None else "solid"
        x = traj.x.reshape(len(traj.x), -1, 2)
        for j in range(x.shape[1]):
            draw_path(ax, x[:, j], bounds, color=color, linestyle=ls,
                      label=run_label(label, traj) if j == 0 else "_path")


def first_exit(path: np.ndarray, bounds: Any) -> int | None:
    """The index of the first iterate of ``path`` ((k+1, 2)) outside ``bounds`` (or not
    finite), or None when the whole path stays inside.

    >>> first_exit(np.array([[0.0, 0.0], [0.5, 0.5], [3.0, 0.0]]), ((-1, 1), (-1, 1)))
    2
    """
    b = np.asarray(bounds, dtype=float)
    with np.errstate(invalid="ignore"):
        inside = np.all(np.isfinite(path), axis=1) & np.all((path >= b[:, 0]) & (path <= b[:, 1]), axis=1)
    out = np.flatnonzero(~inside)
    return int(out[0]) if out.size else None


def exit_point(inside: np.ndarray, outside: np.ndarray, bounds: Any) -> np.ndarray:
    """Where the segment from ``inside`` to ``outside`` crosses the edge of the ``bounds`` box.

    >>> exit_point(np.array([0.0, 0.0]), np.array([4.0, 1.0]), ((-1, 1), (-1, 1))).tolist()
    [1.0, 0.25]
    """
    b = np.asarray(bounds, dtype=float)
    step = outside - inside
    with np.errstate(divide="ignore", invalid="ignore"):
        limits = np.where(step > 0, (b[:, 1] - inside) / step, np.where(step < 0, (b[:, 0] - inside) / step, np.inf))
    return inside + float(np.clip(np.min(limits), 0.0, 1.0)) * step


def draw_path(ax: Any, path: np.ndarray, bounds: Any, *, color: str, linestyle: Any = "solid",
              label: str = "_path", lw: float = 1.4) -> None:
    """One path ((k+1, 2)): dots joined by a line, start ○, end × (when its last iterate is in
    the window), and ▲ on the edge where it first leaves the window, if it does."""
    ax.plot(path[:, 0], path[:, 1], marker="o", color=color, ls=linestyle, lw=lw, ms=3.2, mec=color,
            markevery=_draw.markevery(len(path)), alpha=0.9, zorder=4, label=label)
    ax.plot(path[:1, 0], path[:1, 1], "o", ms=8, mfc="none", mec=color, mew=1.6, zorder=4,
            label="_start")
    k = first_exit(path, bounds)
    finite = path[np.all(np.isfinite(path), axis=1)]
    if finite.size and first_exit(finite[-1:], bounds) is None:  # where it ends, when that is in view
        ax.plot(finite[-1, 0], finite[-1, 1], "X", ms=8, color=color, mec=INK["edge"], zorder=6, label="_end")
    if k is not None and k > 0 and np.all(np.isfinite(path[k])):
        edge = exit_point(path[k - 1], path[k], bounds)
        ax.plot(edge[0], edge[1], "^", ms=9, color=MARKS["diverged"], mec=INK["text"], zorder=7,
                clip_on=False, label="_leaves")



#: how :func:`rate_map` names its three regions (the values of theory.momentum_regime)
REGIME_NAMES = {0: "monotone", 1: "oscillates", 2: "diverges"}


def _name_regions(ax: Any, E: np.ndarray, B: np.ndarray, regime: np.ndarray) -> None:
    """Write each region's name at the grid cell deepest inside it (farthest from the others)."""
    for value, name in REGIME_NAMES.items():
        inside = regime == value
        if inside.sum() < 4:
            continue
        depth = _depth(inside)
        i, j = np.unravel_index(np.argmax(depth), depth.shape)
        ax.text(E[i, j], B[i, j], name, ha="center", va="center", fontsize="small", zorder=6,
                bbox={"boxstyle": "round,pad=0.25", "fc": INK["edge"], "ec": INK["text"], "lw": 0.6})


def _depth(inside: np.ndarray) -> np.ndarray:
    """How many cells each cell of the mask is from its edge (a city-block erosion count)."""
    depth = np.zeros(inside.shape, dtype=int)
    layer = inside.copy()
    while layer.any():
        depth += layer
        core = layer.copy()
        core[1:, :] &= layer[:-1, :]
        core[:-1, :] &= layer[1:, :]
        core[:, 1:] &= layer[:, :-1]
        core[:, :-1] &= layer[:, 1:]
        core[0, :] = core[-1, :] = core[:, 0] = core[:, -1] = False
        layer = core
    return depth


def _mark_points(ax: Any, marks: Mapping[str, tuple[float, float]], E: np.ndarray, B: np.ndarray) -> None:
    """The first mark as a star, the others as dots; each label in a white box below and to the
    right of its point (the hatched, oscillating region lies above the monotone one), turned
    back inside the map near its bottom and right edges, so no label sits on hatching or is clipped."""
    (e_lo, e_hi), (b_lo, b_hi) = (float(E.min()), float(E.max())), (float(B.min()), float(B.max()))
    for i, (label, (eta, beta)) in enumerate(marks.items()):
        first = i == 0
        ax.plot(eta, beta, "*" if first else "o", ms=14 if first else 7, zorder=7, clip_on=False,
                color=MARKS["minimum"] if first else INK["edge"], mec=INK["text"])
        low = (beta - b_lo) < 0.12 * (b_hi - b_lo)
        right = (eta - e_lo) > 0.85 * (e_hi - e_lo)
        ax.annotate(label, (eta, beta), xytext=(-8 if right else 8, 6 if first or low else -6),
                    textcoords="offset points", ha="right" if right else "left",
                    va="bottom" if first or low else "top", fontsize="small", zorder=8, color=INK["text"],
                    annotation_clip=False,
                    bbox={"boxstyle": "round,pad=0.2", "fc": INK["edge"], "ec": "none", "alpha": 0.9})


def paths_box(objective: Objective, runs: Mapping[str, Trajectory], pad: float = 0.12) -> np.ndarray:
    """The window that frames every finite iterate of ``runs`` and the minimum, padded by ``pad``
    of its size each side, kept inside the objective's bounds when it has them (a race is
    drawn zoomed to its paths, not on the whole domain).

    >>> import gdteach
    >>> t = gdteach.run(gdteach.objectives.quadratic([1.0, 1.0]), [2.0, 1.0], gdteach.optim.SGD(lr=0.1), 5)
    >>> paths_box(t.objective, {"GD": t}).round(2).tolist()
    [[-0.24, 2.24], [-0.12, 1.12]]
    """
    pts = [np.asarray(t.x, dtype=float).reshape(-1, 2) for t in runs.values()]
    if objective.minimum is not None:
        pts.append(np.asarray(objective.minimum, dtype=float).reshape(1, 2))
    allp = np.concatenate(pts)
    allp = allp[np.all(np.isfinite(allp), axis=1)]
    lo, hi = allp.min(axis=0), allp.max(axis=0)
    margin = np.maximum(pad * (hi - lo), 0.1)
    box = np.stack([lo - margin, hi + margin], axis=1)
    if objective.bounds is not None:
        b = np.asarray(objective.bounds, dtype=float)
        box = np.stack([np.maximum(box[:, 0], b[:, 0]), np.minimum(box[:, 1], b[:, 1])], axis=1)
    return box


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
    runs = as_dict(trajectories)
    objective = objective or next(iter(runs.values())).objective
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(MAX_WIDTH, 4.0), layout="constrained")
        if title:
            fig.suptitle(title)
    left, right = axes
    styles = _optimizer_styles(runs) if colors is None else {}
    linestyles = None
    if styles:  # both panels get each optimizer's colour and line style before their legends
        colors = {label: style["color"] for label, style in styles.items()}
        linestyles = {label: style["linestyle"] for label, style in styles.items()}
    # the runs say how many parameters there are when the objective does not (dim=None)
    two_d = objective.dim == 2 or (objective.dim is None and next(iter(runs.values())).x.ndim == 2)
    if two_d:
        if log_levels is None:
            log_levels = _draw.wants_log_levels(objective)
        contour_paths(objective, runs, ax=left, log_levels=log_levels, colors=colors,
                      linestyles=linestyles, bounds=paths_box(objective, runs))
    else:
        path_1d(runs, ax=left, objective=objective, arrows=False, title=_draw.title_of(objective),
                colors=colors, linestyles=linestyles)
    loss_curves(runs, ax=right, title="Loss per update", colors=colors, linestyles=linestyles)
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
    # at most three 3.6-in panels a row: the figure stays within MAX_WIDTH
    ncols = min(check_int("ncols", ncols, minimum=1), int(MAX_WIDTH // 3.6))
    check_flag("log_levels", log_levels)
    n = len(trajectories) + 1
    fig, flat = _panel_grid(n, ncols)
    for ax, (label, traj) in zip(flat, trajectories.items()):
        _race_path_panel(ax, objective, label, traj, bounds=bounds, log_levels=log_levels)
    loss_ax = flat[len(trajectories)]
    _race_loss_panel(loss_ax, trajectories, target=target, loss_ylim=loss_ylim,
                     legend=len(flat) == n)
    if len(flat) > n:  # a spare panel: the legend goes there, off the curves
        _legend_panel(flat[n], loss_ax)
    for ax in flat[n + 1:]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    return flat[:n]


def _panel_grid(n: int, ncols: int) -> tuple[Any, np.ndarray]:
    """A new figure of ``n`` 3.6 × 3.0 in panels, ``ncols`` (at most n) a row; returns the
    figure and its Axes, flat."""
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 3.0 * nrows), layout="constrained",
                             squeeze=False)
    return fig, axes.ravel()


def _race_path_panel(ax: Any, objective: Objective, label: str, traj: Trajectory, *, bounds: Any,
                     log_levels: bool) -> None:
    """One optimizer's panel: 15 contours, titled with its label, and the path of its first
    start in its series style (:func:`_race_style`)."""
    contour_paths(objective, None, ax=ax, bounds=bounds, log_levels=log_levels, legend=False,
                  title=label, levels=15)
    style = _race_style(label, traj)
    x = np.asarray(traj.x, dtype=float).reshape(len(traj.x), -1, 2)[:, 0]
    window = (ax.get_xlim(), ax.get_ylim())
    draw_path(ax, x, window, color=style["color"], linestyle=style["linestyle"], lw=1.6)


def _race_loss_panel(ax: Any, trajectories: Mapping[str, Trajectory], *, target: float | None,
                     loss_ylim: Any, legend: bool) -> None:
    """Every run's loss (its first start's) on a log scale, zero or non-finite losses left
    out, with the ``target`` as a dashed line; the legend on the panel when ``legend``."""
    for label, traj in trajectories.items():
        style = _race_style(label, traj)
        loss = np.array(traj.loss, dtype=float).reshape(len(traj.loss), -1)[:, 0]
        loss[~np.isfinite(loss) | (loss <= 0)] = np.nan
        ax.plot(np.arange(len(loss)), loss, color=style["color"], ls=style["linestyle"], lw=1.6,
                label=label)
    if target is not None:
        ax.axhline(target, color=INK["reference"], ls=(0, (2, 2)), lw=1, label=f"target {target:g}")
    ax.set_yscale("log")
    if loss_ylim is not None:
        ax.set_ylim(*loss_ylim)
    finish(ax, xlabel="update", ylabel="loss (log scale)", title="Loss per update",
           legend_kw={"show": legend, "loc": "best"})


def _legend_panel(ax: Any, loss_ax: Any) -> None:
    """A spare panel turned into the loss panel's legend, with a key to the path marks."""
    ax.axis("off")
    ax.legend(*loss_ax.get_legend_handles_labels(), loc="center", fontsize="small",
              title="loss curves\npaths: start ○, end ×,\n▲ where a path leaves the frame",
              title_fontsize="small")


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

    from ..theory import momentum_rate, momentum_regime

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
    mesh = ax.pcolormesh(E, B, shown, cmap=CMAPS["rate"], vmin=float(np.nanmin(shown)) if np.isfinite(shown).any()
                         else 0.0, vmax=1.0, shading="auto")
    ax.pcolormesh(E, B, np.where(regime == 2, 1.0, np.nan), cmap=ListedColormap([INK["fill"]]), shading="auto")
    ax.contourf(E, B, (regime == 1).astype(float), levels=[0.5, 1.5], colors="none", hatches=["///"])
    ax.contour(E, B, regime.astype(float), levels=[0.5, 1.5], colors=INK["edge"], linewidths=1.2)
    if np.isfinite(shown).any():
        cs = ax.contour(E, B, shown, levels=[0.9, 0.95, 0.99], colors=INK["text"], linewidths=0.7)
        ax.clabel(cs, fmt="%g", fontsize="small")
    plt.colorbar(mesh, ax=ax, label="rate (the error is multiplied by it per update)")
    _name_regions(ax, E, B, regime)
    _mark_points(ax, marks or {}, E, B)
    ax.set_ylim(float(betas.min()) - 0.03 * np.ptp(betas), float(betas.max()))  # room for "β = 0"
    finish(ax, xlabel="learning rate η", ylabel="momentum β", grid=None, legend_kw={"show": False},
           title=title if title is not None else "Momentum's rate (grey: diverges, hatched: oscillates)")
    return ax


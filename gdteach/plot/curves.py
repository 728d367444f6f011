"""Curves against the step: losses, any per-step quantity, the learning-rate range test."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib import transforms

from .. import _draw
from ..checks import check_choice, check_flag
from ..run import Trajectory
from ..style import MARKS
from ._common import (
    QUANTITY_LABELS,
    as_dict,
    axes_or_new,
    color_of,
    finish,
    run_label,
    set_log_y,
    variable_names,
)


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
    linestyles: Any = None,
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
    runs = as_dict(trajectories)
    check_flag("log", log)
    check_choice("x", x, ("step", "epoch"))
    ax = axes_or_new(ax)
    if log and any(np.any(np.asarray(t.loss)[np.isfinite(t.loss)] < 0) for t in runs.values()):
        log = False  # a loss below zero (x·cos(cx) …) has no log scale
    # a diverging run would stretch the axis over hundreds of decades: keep the window
    # on the runs that did not diverge and mark where a diverging run leaves it
    calm_values, some_calm = _draw.calm_losses(list(runs.values()), log)
    top = None
    if calm_values.size and some_calm:
        lo = float(calm_values.min())
        top = _draw.loss_top(calm_values, log)
    escaped, plotted = False, []
    for i, (label, traj) in enumerate(runs.items()):
        color = color_of(colors, i, label)
        ls = color_of(linestyles, i, label) if linestyles is not None else "solid"
        steps, values = _draw_loss(ax, label, traj, x=x, log=log, color=color, linestyle=ls)
        plotted.append(values)
        if traj.stop_reason == "diverged":
            escaped |= _mark_divergence(ax, steps, values.reshape(len(values), -1), color, top)
    if log:
        set_log_y(ax, [calm_values] if escaped else plotted, top=top if escaped else None)
    elif escaped:
        ax.set_ylim(lo - 0.05 * (top - lo), top)
    return finish(ax, xlabel="update (step)" if x == "step" else "epoch",
                  ylabel="loss" + (" (log scale)" if log else ""),
                  title=title if title is not None else _loss_title(runs),
                  grid="both" if log else "major")


def _draw_loss(ax: Any, label: str, traj: Trajectory, *, x: str, log: bool, color: str,
               linestyle: Any) -> tuple[np.ndarray, np.ndarray]:
    """One run's loss against ``x`` (:func:`_per_x`), one line per start, dots when there
    are at most 30 points or per epoch; on a log scale non-positive losses are NaN. Returns
    the x values and the losses drawn."""
    steps, loss = _per_x(traj, np.asarray(traj.loss, dtype=float), x)
    values = _draw.log_safe(loss) if log else _draw.finite(loss)
    cols = values.reshape(len(values), -1)
    marker = "o" if x == "epoch" or len(values) <= 30 else None
    for j in range(cols.shape[1]):
        ax.plot(steps, cols[:, j], color=color, ls=linestyle, lw=1.5, marker=marker, ms=3.5,
                label=run_label(label, traj) if j == 0 else "_start")
    return steps, values


def _mark_divergence(ax: Any, steps: np.ndarray, cols: np.ndarray, color: str,
                     top: float | None) -> bool:
    """An x at a diverged run's last finite loss, or, when that is above the window's
    ``top``, on the top edge where the run first leaves it. Returns whether it left."""
    ok = np.where(np.isfinite(cols).any(axis=1))[0]
    if not ok.size:
        return False
    k = ok[-1]
    y = float(np.nanmax(cols[k]))
    escaped = top is not None and y > top
    if escaped:
        above = np.where(np.nanmax(np.nan_to_num(cols, nan=-np.inf), axis=1) > top)[0]
        k, y = above[0], top
    ax.plot(steps[k], y, "x", color=color, ms=10, mew=2, clip_on=False, label="_diverged")
    return escaped


def _loss_title(runs: dict[str, Trajectory]) -> str:
    """"Loss on <the objective>" when every run is on the same objective, else "Loss"."""
    objectives = {id(t.objective): t.objective for t in runs.values()}
    if len(objectives) == 1:
        return f"Loss on {_draw.title_of(next(iter(objectives.values())))}"
    return "Loss"


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
    (``diverged`` flags, or a non-finite final loss) are drawn as x marks at the top
    of the axes (the series' "diverged" colour, and a shape of their own); the others as a
    line with dots. ``mark_best`` rings the lowest loss.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = lr_range([0.01, 0.1, 1.0], [0.5, 0.01, float("inf")])
    >>> ax.get_xscale(), ax.get_lines()[0].get_xdata().tolist()
    ('log', [0.01, 0.1])
    """
    lr, loss, bad = _sweep_points(lrs, final_losses, diverged, log_y=log_y)
    check_flag("log_y", log_y)
    check_flag("mark_best", mark_best)
    ax = axes_or_new(ax)
    ok = ~bad
    ax.plot(lr[ok], loss[ok], "-o", color=MARKS["function"], ms=4, lw=1.5, label="final loss")
    if bad.any():
        top = transforms.blended_transform_factory(ax.transData, ax.transAxes)
        ax.plot(lr[bad], np.full(bad.sum(), 0.95), "x", color=MARKS["diverged"], ms=9, mew=2,
                transform=top, label="diverged", clip_on=False)
    if mark_best and ok.any() and np.isfinite(loss[ok]).any():
        k = np.nanargmin(np.where(ok, loss, np.nan))
        ax.plot(lr[k], loss[k], "o", ms=12, mfc="none", color=MARKS["best"], mec=MARKS["best"], mew=2,
                label=f"lowest: η = {lr[k]:.3g}")
    ax.set_xscale("log")
    if log_y and ok.any():
        set_log_y(ax, [loss[ok]])
    return finish(ax, xlabel=r"learning rate $\eta$ (log scale)",
                  ylabel="final loss" + (" (log scale)" if log_y else ""), title=title, grid="both")


def _sweep_points(lrs: Any, final_losses: Any, diverged: Any, *,
                  log_y: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The range test's points sorted by learning rate: ``(lr, loss, bad)``, ``bad`` true
    where a run diverged or its loss is not finite; with ``log_y`` a loss ≤ 0 of a good run
    is NaN (it has no place on a log axis). ``lrs`` may be a :func:`gdteach.sweep` dict."""
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
    return lr[order], loss[order], bad[order]


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
    runs = as_dict(trajectories)
    check_flag("log", log)
    ax = axes_or_new(ax)
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
        values = _draw.log_safe(values) if log else _draw.finite(values)
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
            ax.plot(steps, cols[:, j], color=color_of(colors, i + j if one else i, label),
                    ls="-" if one else ("-", "--", ":", "-.")[j % 4], lw=1.5, marker=marker,
                    ms=3.5, label=run_label(names[j] if many else label, traj))
    if log:
        set_log_y(ax, plotted)
    ylabel = QUANTITY_LABELS.get(name, name.replace("_", " "))
    if title is None:
        title = f"{ylabel.split(' $')[0]} per step"
        title = title[0].upper() + title[1:]
    return finish(ax, xlabel="update (step)", ylabel=ylabel + (" (log scale)" if log else ""),
                  title=title, grid="both" if log else "major")


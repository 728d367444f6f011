"""Frame building, pure: parameters → trajectories → the data an explorer draws.

A *scene* is what the page draws once (labels, the plot window, contours, the minimum);
a *frame* is what it draws per change (paths, losses, axis limits, titles, summary).
Both are plain JSON-ready dicts. The axes remember their limits between frames, so that
they do not jump at every slider step: that memory is an explicit ``dict`` passed in and
returned (never hidden state), see :func:`left_window` and :func:`loss_axis`.

>>> import gdteach
>>> from gdteach import objectives, optim
>>> traj = gdteach.run(objectives.square, 5.0, optim.SGD(lr=0.4), 2)
>>> entry = run_entry("path", traj, traj.optimizer, 1.6, dim=1, log=True)
>>> [round(v, 12) for v in entry["px"]], entry["label"], entry["color"]
([5.0, 1.0, 0.2], 'SGD(lr=0.4)', '#0072B2')
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _draw
from ..objectives import Objective
from ..run import Trajectory
from .defaults import run_style, short_repr

__all__ = [
    "nice_ceiling",
    "sticky_decades",
    "sticky_linear",
    "nonnegative",
    "fmt",
    "to_json",
    "plain",
    "axis_names",
    "contours",
    "scene",
    "left_window",
    "loss_axis",
    "run_entry",
]


def nice_ceiling(n: int) -> int:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k that is >= n (an axis end that
    changes only now and then while the steps slider moves).

    >>> [nice_ceiling(n) for n in (1, 7, 10, 11, 101, 250, 300)]
    [1, 8, 10, 15, 150, 300, 300]
    """
    n = max(int(n), 1)
    scale = 10 ** (len(str(n)) - 1)
    for mantissa in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        if mantissa * scale >= n:
            return int(mantissa * scale)
    return 10 * scale


def sticky_decades(current: Sequence[float] | None, lo: float, hi: float) -> list[float]:
    """Log-axis limits in whole decades around [lo, hi]. The current limits are kept while
    they still hold the data and are not more than twice as many decades as needed, so
    the axis does not jump at every slider step.

    >>> sticky_decades((1e-3, 1e2), 0.5, 20.0), sticky_decades((1e-3, 1e2), 5e-4, 20.0)
    ([0.001, 100.0], [0.0001, 100.0])
    """
    low = math.floor(math.log10(lo) - 0.05)
    high = max(math.ceil(math.log10(hi) + 0.05), low + 1)
    if current is not None:
        c_lo, c_hi = current
        if 0 < c_lo <= lo and hi <= c_hi and math.log10(c_hi / c_lo) <= 2 * (high - low):
            return [c_lo, c_hi]
    return [10.0**low, 10.0**high]


def sticky_linear(current: Sequence[float] | None, lo: float, hi: float) -> list[float]:
    """Linear-axis limits around [lo, hi] with 10 % margins, kept while the data fit and
    fill at least half of them.

    >>> sticky_linear((-10.0, 10.0), -6.0, 4.0), sticky_linear((-10.0, 10.0), -1.0, 1.0)
    ([-10.0, 10.0], [-1.2, 1.2])
    """
    if current is not None:
        c_lo, c_hi = current
        if c_lo <= lo and hi <= c_hi and (hi - lo) >= 0.5 * (c_hi - c_lo):
            return [c_lo, c_hi]
    pad = 0.1 * (hi - lo) if hi > lo else max(1.0, abs(hi)) * 0.1
    return [lo - pad, hi + pad]


def nonnegative(objective: Objective, bounds: np.ndarray) -> bool:
    """Whether the loss stays >= 0 over the plot window (then a log axis makes sense).

    >>> from gdteach import objectives
    >>> nonnegative(objectives.square, np.array([[-6.0, 6.0]]))
    True
    """
    axes = [np.linspace(lo, hi, 41) for lo, hi in bounds]
    points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(axes))
    with np.errstate(all="ignore"):
        values = np.asarray(objective(points), dtype=float)
    return bool(np.all(values[np.isfinite(values)] >= 0))


def fmt(values: Any) -> str:
    """Numbers to 4 significant digits, a point in parentheses.

    >>> fmt(0.123456), fmt([1.0, 2.5])
    ('0.1235', '(1, 2.5)')
    """
    array = np.atleast_1d(np.asarray(values, dtype=float))
    text = ", ".join(f"{v:.4g}" for v in array)
    return text if array.size == 1 else f"({text})"


def to_json(values: Any) -> list[float | None]:
    """A list for the page: JSON has no NaN or infinity, so those become null (a gap).

    >>> to_json([1.0, float("nan"), float("inf")])
    [1.0, None, None]
    """
    return [v if math.isfinite(v) else None for v in np.asarray(values, dtype=float).ravel().tolist()]


def plain(latex: str) -> str:
    """A plot label as plain text for the page: ``$x_{1}$`` → x₁, ``$\\theta$`` → θ.

    >>> plain("$x_{1}$"), plain("$\\\\theta$")
    ('x₁', 'θ')
    """
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    text = latex.replace("$", "").replace("\\theta", "θ").replace("\\,", " ")
    return re.sub(r"_\{?(\d+)\}?", lambda m: m.group(1).translate(sub), text)


def axis_names(objective: Objective, dim: int | None = None) -> list[str]:
    """The objective's variable names as plain text, one per parameter (``dim`` of them)."""
    from .. import plot  # matplotlib is imported only when a name is needed

    return [plain(v) for v in plot.variable_names(objective, dim)]


def contours(objective: Objective, bounds: np.ndarray) -> list[dict[str, Any]]:
    """Contour lines over ``bounds`` in thousandths of the window (integers: small to
    send), one entry per level with its viridis colour; points closer than a thousandth
    are merged."""
    from matplotlib.figure import Figure  # computes the lines; nothing is drawn

    X, Y, Z = _draw.grid(objective, bounds, 120)
    levels = _draw.levels(Z, 24, _draw.wants_log_levels(objective))
    colors = _draw.hex_colors("viridis", len(levels))
    finite = np.where(np.isfinite(Z), Z, np.nanmax(np.where(np.isfinite(Z), Z, np.nan)))
    lines_per_level = Figure().subplots().contour(X, Y, finite, levels=levels).allsegs
    span = bounds[:, 1] - bounds[:, 0]
    out = []
    for level, color, segments in zip(levels, colors, lines_per_level, strict=True):
        lines = []
        for line in segments:
            ints = np.rint(1000 * (line - bounds[:, 0]) / span).astype(int)
            keep = np.r_[True, np.any(np.diff(ints, axis=0) != 0, axis=1)]
            if keep.sum() > 1:
                lines.append(ints[keep].ravel().tolist())
        out.append({"level": float(level), "color": color, "lines": lines})
    return out


def scene(objective: Objective, bounds: np.ndarray, log: bool) -> dict[str, Any]:
    """What the page draws once: labels, the window, the contours (2-D), the minimum."""
    dim = bounds.shape[0]
    names = axis_names(objective, dim)
    out: dict[str, Any] = {
        "dim": dim, "title": objective.name, "xlabel": names[0],
        "ylabel": names[1] if dim == 2 else plain(_draw.loss_name(objective)),
        "loss_log": log, "loss_label": "loss (log scale)" if log else "loss",
        "bounds": bounds.tolist(), "contours": [], "minimum": None,
    }
    if objective.minimum is not None:
        m = np.asarray(objective.minimum, dtype=float).ravel()
        out["minimum"] = m.tolist() if dim == 2 else [float(m[0]), objective(m)]
    if dim == 2:
        out["contours"] = contours(objective, bounds)
    return out


def left_window(
    objective: Objective, bounds: np.ndarray, runs: Sequence[Trajectory], x0: np.ndarray,
    memory: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The left panel's limits (and the 1-D curve, whose window follows the iterates),
    and the memory to keep: ``{"window", "curve"}`` (the curve is recomputed only when
    the window moves)."""
    if bounds.shape[0] == 2:
        return {"xlim": bounds[0].tolist(), "ylim": bounds[1].tolist(), "curve": None}, memory
    xs = np.concatenate([np.asarray(t.x, dtype=float).ravel() for t in runs] or [x0])
    window = _draw.window_1d(bounds[0], xs, snap=True)
    if memory.get("window") != window:
        memory = {**memory, "window": window, "curve": _draw.curve(objective, *window)}
    cx, cy = memory["curve"]
    return ({"xlim": list(window), "ylim": list(_draw.padded(cy, 0.06)),
             "curve": [to_json(cx), to_json(cy)]}, memory)


def loss_axis(
    runs: Sequence[Trajectory], steps: int, log: bool, memory: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Loss-axis limits from the runs that did not diverge (:func:`gdteach._draw.calm_losses`),
    up to :func:`gdteach._draw.loss_top` when one did; the step axis in nice steps; and
    the memory to keep: ``{"steps", "loss"}``."""
    end = memory.get("steps")
    if end is None or not (0.5 * end <= steps <= end):
        end = nice_ceiling(steps)
    values, _ = _draw.calm_losses(runs, log)
    current = memory.get("loss")
    if values.size:
        lo, hi = float(values.min()), float(values.max())
        if any(t.stop_reason == "diverged" for t in runs):
            hi = _draw.loss_top(values, log)
        current = (sticky_decades if log else sticky_linear)(current, lo, hi)
    current = current or [0.1, 10.0]
    return ({"steps_lim": [0, end], "loss_lim": current},
            {**memory, "steps": end, "loss": current})


def run_entry(
    name: str, traj: Trajectory, optimizer: Any, width: float, *, dim: int, log: bool,
) -> dict[str, Any]:
    """One run as the page draws it: path (on the contours, or on the curve in 1-D),
    losses, colour and line style."""
    style = run_style(optimizer)
    px, py = (traj.x[:, 0], traj.x[:, 1]) if dim == 2 else (traj.x, traj.loss)
    loss = _draw.log_safe(traj.loss) if log else _draw.finite(traj.loss)
    diverged = traj.stop_reason == "diverged"
    return {
        "name": name, "label": short_repr(optimizer) + (" (diverged)" if diverged else ""),
        "color": style["color"], "dash": style["linestyle"], "width": width,
        "px": to_json(px), "py": to_json(py), "loss": to_json(loss), "diverged": diverged,
        "markevery": _draw.markevery(len(traj.x)) or 1,
    }

"""Drawing helpers shared by :mod:`gdteach.plot` (matplotlib figures) and :mod:`gdteach.widgets`
(explorers drawn in the browser): one home for the axis windows, limits and labels, so a static
figure and an explorer of the same run frame it the same way.

Internal: nothing here is public API. Only numpy is imported at module level; the two functions
that touch matplotlib import it themselves.

>>> from gdteach import objectives
>>> window_1d((-6.0, 6.0), [5.0, -9.0], snap=True)   # widened by half-widths to show -9
(-12.0, 6.0)
>>> wants_log_levels(objectives.rosenbrock), wants_log_levels(objectives.square)
(True, False)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from .objectives import Objective

#: ``$f(x, y) = …$``: the loss's name and its variables, read from an objective's LaTeX
SIGNATURE = re.compile(r"^\$\s*(\w+)\s*\(([^)]*)\)")


# --------------------------------------------------------------------------- labels


def title_of(objective: Objective | None) -> str:
    """The objective's LaTeX (or its name) for a title; "" for none."""
    if objective is None:
        return ""
    return objective.latex or objective.name


def loss_name(objective: Objective | None) -> str:
    """``$f(x)$`` for an objective written ``$f(x) = …$``, else "loss".

    >>> from gdteach import objectives
    >>> loss_name(objectives.shifted_square(3.0))
    '$f(w)$'
    """
    match = SIGNATURE.match((objective.latex or "") if objective is not None else "")
    return f"${match.group(1)}({match.group(2)})$" if match else "loss"


def wants_log_levels(objective: Objective) -> bool:
    """Whether contours of ``objective`` need geometric levels (its ``level_scale`` is
    ``"log"``): Rosenbrock's valley floor is empty with linear ones."""
    return objective.level_scale == "log"


# --------------------------------------------------------------------------- values


def curve(objective: Objective, lo: float, hi: float, n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points of a 1-D objective over [lo, hi]: ``(xs, f(xs))``."""
    xs = np.linspace(lo, hi, n)
    return xs, np.asarray(objective(xs[:, None]), dtype=float)


def grid(objective: Objective, bounds: Any, n: int = 200) -> tuple[np.ndarray, ...]:
    """``X, Y, Z``: a 2-D objective on an n × n grid over ``bounds`` ((xlo, xhi), (ylo, yhi))."""
    b = np.asarray(bounds, dtype=float)
    X, Y = np.meshgrid(np.linspace(*b[0], n), np.linspace(*b[1], n))
    return X, Y, np.asarray(objective(np.stack([X, Y], axis=-1)), dtype=float)


def levels(Z: np.ndarray, count: Any, log_levels: bool, inclusive: bool = False) -> np.ndarray:
    """Contour levels for the values ``Z``: ``count`` of them (or ``count`` itself when it is
    a sequence), geometric with ``log_levels``; ``inclusive`` spans min to max (filled
    contours), else the ends are left out.

    >>> levels(np.array([0.0, 4.0]), 3, False).tolist(), levels(np.array([1.0, 100.0]), 3, True).tolist()
    ([1.0, 2.0, 3.0], [1.0, 10.0, 100.0])
    """
    if not np.isscalar(count):
        return np.asarray(count, dtype=float)
    finite = Z[np.isfinite(Z)]
    lo, hi = float(finite.min()), float(finite.max())
    if log_levels:
        positive = finite[finite > 0]
        lo_pos = float(positive.min()) if positive.size else 1e-3
        lo_pos = max(lo_pos, hi * 1e-5)
        return np.geomspace(lo_pos, hi, int(count))
    if inclusive:  # filled contours: the bands must cover the whole window
        return np.linspace(lo, hi, int(count) + 1)
    return np.linspace(lo, hi, int(count) + 2)[1:-1]


def log_safe(values: Any) -> np.ndarray:
    """A float copy with non-finite and non-positive values replaced by NaN (not drawn)."""
    out = np.array(values, dtype=float)
    out[~np.isfinite(out) | (out <= 0)] = np.nan
    return out


def finite(values: Any) -> np.ndarray:
    """A float copy with non-finite values replaced by NaN (not drawn)."""
    out = np.array(values, dtype=float)
    out[~np.isfinite(out)] = np.nan
    return out


def markevery(n: int) -> Any:
    """Every point for short paths; about 40 evenly spaced markers for long ones.

    >>> markevery(30), markevery(150)
    (None, 3)
    """
    return None if n <= 60 else max(1, n // 40)


# --------------------------------------------------------------------------- windows and limits


def window_1d(bounds: Sequence[float], xs: Any, *, snap: bool = False) -> tuple[float, float]:
    """The x window of a 1-D plot: ``bounds`` (lo, hi), widened to show the iterates ``xs``
    that leave it with a margin of 5 % of its width, but by at most 3 widths each side.
    With ``snap`` it widens in steps of half its width (an explorer's window then changes
    only now and then while a slider moves).

    >>> window_1d((0.0, 10.0), [12.0]), window_1d((0.0, 10.0), [12.0], snap=True)
    ((0.0, 12.5), (0.0, 15.0))
    """
    lo, hi = (float(v) for v in bounds)
    width = hi - lo
    values = np.asarray(xs, dtype=float).ravel()
    values = values[np.isfinite(values)]
    if not values.size:
        return lo, hi
    below = max(0.0, lo - float(values.min()) + 0.05 * width)
    above = max(0.0, float(values.max()) - hi + 0.05 * width)
    if snap:
        half = 0.5 * width
        below, above = (half * math.ceil(v / half) for v in (below, above))
    return lo - min(below, 3 * width), hi + min(above, 3 * width)


def padded(values: Any, fraction: float = 0.06) -> tuple[float, float]:
    """(min, max) of the finite ``values``, each side padded by ``fraction`` of the range
    (of 1 when the values are all equal).

    >>> padded([0.0, 50.0])
    (-3.0, 53.0)
    """
    array = np.asarray(values, dtype=float)
    array = array[np.isfinite(array)]
    lo, hi = (float(array.min()), float(array.max())) if array.size else (0.0, 1.0)
    pad = fraction * (hi - lo or 1.0)
    return lo - pad, hi + pad


def calm_losses(trajectories: Sequence[Any], log: bool) -> tuple[np.ndarray, bool]:
    """The losses that set a loss axis, and whether some run did not diverge.

    A diverging run would stretch the axis over hundreds of decades, so the axis is set
    by every loss of the runs that did not diverge plus the first loss of every run,
    finite (and > 0 on a ``log`` axis).
    """
    calm = [np.asarray(t.loss, dtype=float).ravel() for t in trajectories
            if t.stop_reason != "diverged"]
    some_calm = bool(calm)
    calm += [np.asarray(t.loss[:1], dtype=float).ravel() for t in trajectories]
    values = np.concatenate(calm) if calm else np.array([])
    values = values[np.isfinite(values) & ((values > 0) if log else True)]
    return values, some_calm


def loss_top(values: np.ndarray, log: bool) -> float:
    """Where a loss axis ends above a run that diverged: 100 × the calm maximum on a log
    axis, half the calm range above it on a linear one.

    >>> loss_top(np.array([0.5, 20.0]), True), loss_top(np.array([-1.0, 3.0]), False)
    (2000.0, 5.0)
    """
    hi, lo = float(values.max()), float(values.min())
    return hi * 100.0 if log else hi + 0.5 * (hi - lo or abs(hi) or 1.0)


# --------------------------------------------------------------------------- matplotlib


def log_axis(axis: Any) -> None:
    """Log-scale tick labels: 10^k as usual, plain numbers (2, 3, 20 …) when the axis
    spans less than two decades (instead of 2×10^0, 3×10^0 …)."""
    from matplotlib.ticker import LogFormatterSciNotation

    class _Formatter(LogFormatterSciNotation):
        def __call__(self, x: float, pos: Any = None) -> str:
            text = super().__call__(x, pos)
            lo, hi = sorted(self.axis.get_view_interval())
            if text and lo > 0 and hi / lo < 100:
                return f"{x:g}"
            return text

    axis.set_major_formatter(_Formatter())
    axis.set_minor_formatter(_Formatter(labelOnlyBase=False))


def hex_colors(cmap: str, n: int) -> list[str]:
    """``n`` colours of a matplotlib colormap, evenly spaced, as ``#rrggbb``."""
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    return [to_hex(c) for c in mpl.colormaps[cmap](np.linspace(0.0, 1.0, max(n, 1)))]

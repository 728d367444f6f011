"""Interactive explorers for the notebooks (ipywidgets), built on :mod:`gdteach.plot`.

Each explorer returns an ipywidgets ``VBox`` (CSS class ``gdteach-explorer``) of
controls, the figure (a PNG in an ``Image`` widget) and a status line. The figure is
built once; a control change reruns :func:`gdteach.run` and moves the artists
(``set_data``), then redraws only those over a cached background (contours, curve,
axes) — the background is redrawn only when an axis range changes. Every control
shows in the figure (η and the step count in the titles and legend). Nothing is
printed, so a cell showing an explorer stores no volatile text; start that cell with
``# NBVAL_IGNORE_OUTPUT`` (its output holds the widget's model id).

The returned box also carries, for notebooks and tests that drive it without a browser:

- ``box.figure`` — the matplotlib Figure (not managed by pyplot, so ``%matplotlib
  inline`` does not show it a second time);
- ``box.update(**values)`` — set controls and redraw once; returns the new run(s);
- ``box.trajectory`` / ``box.trajectories`` — the run(s) on display;
- ``box.timings`` — seconds taken by each redraw (Python side: run + draw + PNG);
- ``box.controls``, ``box.artists`` — the widgets and the Line2D objects they move.

Beside every explorer a notebook shows a static figure of the same thing, so it
teaches without a kernel: :func:`explorer_figure` (one panel per learning rate) and
:func:`race_figure` (paths + loss curves). These two need matplotlib only.

>>> import matplotlib; matplotlib.use("Agg")
>>> from gdteach import objectives
>>> box = update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=3)
>>> box.update(lr=0.4).x.round(4).tolist()
[5.0, 1.0, 0.2, 0.04]
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any

import numpy as np

from . import optim
from .objectives import Objective
from .run import Trajectory, run

__all__ = [
    "update_rule_explorer",
    "optimizer_race_explorer",
    "explorer_figure",
    "race_figure",
    "default_settings",
    "make_optimizer",
    "optimizer_colors",
    "short_repr",
]

DPI = 100

#: how the figure is sent to the browser: "png" (256-colour palette, the default: fast and
#: small, indistinguishable for line plots), "png-rgb" (exact colours), "jpeg"
IMAGE_FORMATS = ("png", "png-rgb", "jpeg")

#: which hyperparameters the two extra sliders of the race explorer edit, per optimizer
SLIDERS: dict[str, tuple[str | None, str | None]] = {
    "SGD": ("momentum", None),
    "Adagrad": (None, None),
    "RMSprop": ("momentum", "alpha"),
    "Adadelta": (None, "rho"),
    "Adam": ("beta1", "beta2"),
    "AdamW": ("beta1", "beta2"),
    "Adamax": ("beta1", "beta2"),
    "NAdam": ("beta1", "beta2"),
}

_SLIDER_LABELS = {"momentum": "momentum μ", "beta1": "β₁", "beta2": "β₂", "alpha": "α", "rho": "ρ"}


# --------------------------------------------------------------------------- shared


class _Canvas:
    """A Figure outside pyplot, drawn by Agg and encoded for an Image widget.

    Redraws are blitted: the static artists (contours, curve, axes, ticks) are drawn
    once into a background that is reused while the axis limits stay the same; only
    the ``dynamic`` artists (paths, titles, legends) are drawn on top of it each time.
    The Figure itself stays ordinary (nothing is ``animated``), so ``savefig`` and
    ``display(box.figure)`` show everything.
    """

    def __init__(self, figsize: tuple[float, float], ncols: int = 1, image_format: str = "png"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        if image_format not in IMAGE_FORMATS:
            raise ValueError(f"image_format must be one of {IMAGE_FORMATS}, got {image_format!r}")
        self.format = image_format
        self.figure = Figure(figsize=figsize, dpi=DPI, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(1, ncols, squeeze=False)[0]
        self.dynamic: list[Any] = []
        self._background: Any = None
        self._key: Any = None

    def freeze_layout(self, right: float = 24.0, left: float = 16.0) -> None:
        """Keep the positions the constrained layout gave (it costs a third of a full
        draw), with room for tick labels wider than today's: ``right`` pixels free
        right of the axes, ``left`` more pixels left of each. The background is redrawn
        on the next render."""
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        width = self.figure.get_figwidth() * self.figure.dpi
        limit = 1.0 - right / width
        for ax in self.axes:
            box = ax.get_position()
            x0 = box.x0 + left / width
            ax.set_position([x0, box.y0, min(box.x1, limit) - x0, box.height])
        self._background = None

    def _limits(self) -> tuple[Any, ...]:
        return tuple((tuple(ax.get_xlim()), tuple(ax.get_ylim())) for ax in self.axes)

    def render(self, extra: Sequence[Any] = ()) -> bytes:
        """Draw (static background if the limits changed, then the dynamic artists and
        ``extra``) and return the encoded image."""
        canvas = self.figure.canvas
        dynamic = [a for a in (*self.dynamic, *extra) if a is not None]
        for artist in dynamic:  # the layout must not depend on what is shown
            artist.set_in_layout(False)
        key = self._limits()
        if self._background is None or key != self._key:
            shown = [a.get_visible() for a in dynamic]
            for artist in dynamic:
                artist.set_visible(False)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._key = key
            for artist, visible in zip(dynamic, shown, strict=True):
                artist.set_visible(visible)
        else:
            canvas.restore_region(self._background)
        for artist in dynamic:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        return self._encode()

    def _encode(self) -> bytes:
        from PIL import Image

        canvas = self.figure.canvas
        width, height = canvas.get_width_height(physical=True)
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        rgb = image.convert("RGB")
        if self.format == "png":  # a 256-colour palette: half the time, a third the bytes
            rgb = rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        if self.format == "jpeg":
            rgb.save(buffer, format="jpeg", quality=92, subsampling=0)
        else:
            rgb.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _nice(value: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``value``: 0.37 → 0.2, 0.08 → 0.05."""
    if not (math.isfinite(value) and value > 0):
        return 0.01
    exponent = math.floor(math.log10(value))
    for mantissa in (5.0, 2.0, 1.0):
        candidate = mantissa * 10.0**exponent
        if candidate <= value * (1 + 1e-12):
            return float(f"{candidate:.12g}")
    return float(f"{10.0**exponent:.12g}")


def _x0_array(objective: Objective, x0: Any) -> np.ndarray:
    array = np.atleast_1d(np.asarray(x0, dtype=float))
    if array.ndim != 1 or not np.all(np.isfinite(array)):
        raise ValueError(f"x0 must be one finite starting point, got {x0!r}")
    objective.check_x(array, "x0")
    if array.size not in (1, 2):
        raise ValueError(f"the explorers draw 1-D or 2-D objectives; x0 has {array.size} parameters")
    return array


def _bounds(objective: Objective, x0: np.ndarray, bounds: Any = None) -> np.ndarray:
    """The plot window: ``bounds``, else the objective's, else x0 ± 5."""
    for candidate in (bounds, objective.bounds):
        if candidate is not None:
            b = np.asarray(candidate, dtype=float).reshape(-1, 2)
            if b.shape[0] != x0.size or not np.all(b[:, 0] < b[:, 1]):
                raise ValueError(f"bounds must be one (low, high) per parameter, got {candidate!r}")
            return b
    return np.stack([x0 - 5.0, x0 + 5.0], axis=1)


def _fit_curve(ax: Any, curve: Any, objective: Objective, bounds: Any, points: Any) -> None:
    """Redraw a 1-D objective's curve over a window that holds ``points``, with a margin."""
    from . import plot

    w_lo, w_hi = _window_1d(bounds, points)
    xs, ys = plot._curve(objective, w_lo, w_hi)
    curve.set_data(xs, ys)
    ax.set_xlim(w_lo, w_hi)
    y_lo, y_hi = float(np.nanmin(ys)), float(np.nanmax(ys))
    pad = 0.06 * (y_hi - y_lo or 1.0)
    ax.set_ylim(y_lo - pad, y_hi + pad)


def _window_1d(bounds: np.ndarray, xs: np.ndarray) -> tuple[float, float]:
    """The plot window: the bounds, widened in steps of half their width (at most 3
    widths each side) to show iterates that leave them. Steps, not a snug fit, so the
    window (and the cached background) changes rarely while a slider moves."""
    lo, hi = float(bounds[0, 0]), float(bounds[0, 1])
    half = 0.5 * (hi - lo)
    finite = xs[np.isfinite(xs)]
    if finite.size:
        below = max(0.0, lo - float(finite.min()) + 0.1 * half)
        above = max(0.0, float(finite.max()) - hi + 0.1 * half)
        lo -= half * min(6, math.ceil(below / half))
        hi += half * min(6, math.ceil(above / half))
    return lo, hi


def _nice_ceiling(n: int) -> int:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k that is >= n (an axis end that
    changes only now and then while the steps slider moves).

    >>> [_nice_ceiling(n) for n in (1, 7, 10, 11, 101, 250, 300)]
    [1, 8, 10, 15, 150, 300, 300]
    """
    n = max(int(n), 1)
    scale = 10 ** (len(str(n)) - 1)
    for mantissa in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        if mantissa * scale >= n:
            return int(mantissa * scale)
    return 10 * scale


def _sticky_decades(current: tuple[float, float], lo: float, hi: float) -> tuple[float, float]:
    """Log-axis limits in whole decades around [lo, hi]. The current limits are kept while
    they still hold the data and are not more than twice as many decades as needed, so
    the axis (and the cached background) does not change at every slider step.

    >>> _sticky_decades((1e-3, 1e2), 0.5, 20.0), _sticky_decades((1e-3, 1e2), 5e-4, 20.0)
    ((0.001, 100.0), (0.0001, 100.0))
    """
    low = math.floor(math.log10(lo) - 0.05)
    high = max(math.ceil(math.log10(hi) + 0.05), low + 1)
    c_lo, c_hi = current
    if c_lo > 0 and c_lo <= lo and hi <= c_hi:
        if math.log10(c_hi) - math.log10(c_lo) <= 2 * (high - low):
            return c_lo, c_hi
    return 10.0**low, 10.0**high


def _title_text(ax: Any) -> Any:
    """A Text where the axes title goes, at a fixed place: an axes title is moved by
    matplotlib at every full draw, which does not mix with drawing it on its own."""
    import matplotlib as mpl

    return ax.annotate(
        "", xy=(0.5, 1.0), xycoords="axes fraction", xytext=(0, mpl.rcParams["axes.titlepad"]),
        textcoords="offset points", ha="center", va="baseline",
        fontsize=mpl.rcParams["axes.titlesize"],
    )


def _sticky_linear(current: tuple[float, float], lo: float, hi: float) -> tuple[float, float]:
    """Linear-axis limits around [lo, hi] with 10 % margins, kept while the data fit and
    fill at least half of them.

    >>> _sticky_linear((-10.0, 10.0), -6.0, 4.0), _sticky_linear((-10.0, 10.0), -1.0, 1.0)
    ((-10.0, 10.0), (-1.2, 1.2))
    """
    c_lo, c_hi = current
    if c_lo <= lo and hi <= c_hi and (hi - lo) >= 0.5 * (c_hi - c_lo):
        return c_lo, c_hi
    pad = 0.1 * (hi - lo) if hi > lo else max(1.0, abs(hi)) * 0.1
    return lo - pad, hi + pad


def _nonnegative(objective: Objective, bounds: np.ndarray) -> bool:
    """Whether the loss stays >= 0 over the plot window (then a log axis makes sense)."""
    axes = [np.linspace(lo, hi, 41) for lo, hi in bounds]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(axes))
    with np.errstate(all="ignore"):
        values = np.asarray(objective(grid), dtype=float)
    return bool(np.all(values[np.isfinite(values)] >= 0))


def _fmt(values: Any) -> str:
    array = np.atleast_1d(np.asarray(values, dtype=float))
    text = ", ".join(f"{v:.4g}" for v in array)
    return text if array.size == 1 else f"({text})"


def _use_log_levels(objective: Objective) -> bool:
    return objective.name.startswith("Rosenbrock")


def _hessian_scale(objective: Objective, x: np.ndarray) -> float:
    """Largest |eigenvalue| of the Hessian at x, by power iteration on finite-difference
    Hessian-vector products (deterministic start)."""
    v = np.ones_like(x) / math.sqrt(x.size)
    h = 1e-4 * max(1.0, float(np.linalg.norm(x)))
    scale = 0.0
    for _ in range(30):
        hv = (objective.grad(x + h * v) - objective.grad(x - h * v)) / (2 * h)
        scale = float(np.linalg.norm(hv))
        if not (math.isfinite(scale) and scale > 0):
            return 0.0
        v = hv / scale
    return scale


def default_settings(objective: Objective, x0: Any) -> dict[str, dict[str, float]]:
    """Starting hyperparameters for the race explorer, scaled to the problem: SGD gets
    ``0.5 / L`` (L, the largest Hessian eigenvalue at x0 or the minimum, so it is stable),
    the adaptive methods a step of about 2 % of the plot window; momenta and betas are
    torch's defaults (SGD momentum 0). Every lr is rounded down to 1, 2 or 5 × 10^k.

    >>> from gdteach import objectives
    >>> s = default_settings(objectives.quadratic([0.1, 2.0]), [-4.0, 2.0])
    >>> s["SGD"], s["Adam"]
    ({'lr': 0.1, 'momentum': 0.0}, {'lr': 0.2, 'beta1': 0.9, 'beta2': 0.999})
    """
    x = _x0_array(objective, x0)
    points = [x]
    if objective.minimum is not None:
        points.append(np.asarray(objective.minimum, dtype=float).reshape(x.shape))
    curvature = max(_hessian_scale(objective, p) for p in points)
    width = float(np.mean(np.diff(_bounds(objective, x), axis=1)))
    sgd_lr = _nice(0.5 / curvature) if curvature > 0 else _nice(0.01 * width)
    adaptive = _nice(0.02 * width)
    return {
        "SGD": {"lr": sgd_lr, "momentum": 0.0},
        "Adagrad": {"lr": _nice(0.1 * width)},
        "RMSprop": {"lr": _nice(0.01 * width), "momentum": 0.0, "alpha": 0.99},
        "Adadelta": {"lr": 1.0, "rho": 0.9},
        "Adam": {"lr": adaptive, "beta1": 0.9, "beta2": 0.999},
        "AdamW": {"lr": adaptive, "beta1": 0.9, "beta2": 0.999},
        "Adamax": {"lr": adaptive, "beta1": 0.9, "beta2": 0.999},
        "NAdam": {"lr": adaptive, "beta1": 0.9, "beta2": 0.999},
    }


def short_repr(optimizer: Any) -> str:
    """``repr`` with the learning rate to 3 significant digits and other floats to 4
    (enough for a slider step of β₂ = 0.999 → 0.9991), for titles and legends.

    >>> short_repr(optim.Adam(lr=0.10471285480508996, betas=(0.8, 0.99912)))
    'Adam(lr=0.105, betas=(0.8, 0.9991))'
    """
    def fmt(value: Any, digits: int) -> str:
        if isinstance(value, float):
            return f"{value:.{digits}g}"
        if isinstance(value, tuple):
            return "(" + ", ".join(fmt(v, digits) for v in value) + ")"
        return repr(value)

    try:
        parts = [f"{f.name}={fmt(getattr(optimizer, f.name), 3 if f.name == 'lr' else 4)}"
                 for f in fields(optimizer) if getattr(optimizer, f.name) != f.default]
    except TypeError:  # not a dataclass
        return repr(optimizer)
    return f"{type(optimizer).__name__}({', '.join(parts)})"


def make_optimizer(name: str, settings: Mapping[str, float]) -> Any:
    """The optimizer ``name`` (a key of :data:`gdteach.optim.ALL`) from slider settings:
    ``beta1``/``beta2`` become ``betas``; other keys are passed as they are.

    >>> make_optimizer("Adam", {"lr": 0.1, "beta1": 0.8, "beta2": 0.99})
    Adam(lr=0.1, betas=(0.8, 0.99))
    """
    if name not in optim.ALL:
        raise ValueError(f"name must be one of {sorted(optim.ALL)}, got {name!r}")
    kwargs = {k: float(v) for k, v in settings.items() if k not in ("beta1", "beta2")}
    if "beta1" in settings or "beta2" in settings:
        default = dict((f.name, f.default) for f in fields(optim.ALL[name]))["betas"]
        kwargs["betas"] = (
            float(settings.get("beta1", default[0])),
            float(settings.get("beta2", default[1])),
        )
    return optim.ALL[name](**kwargs)


def _settings_of(optimizer: Any) -> dict[str, float]:
    """Slider settings read back from an optimizer instance."""
    name = type(optimizer).__name__
    out: dict[str, float] = {"lr": optimizer.lr}
    for key in SLIDERS.get(name, (None, None)):
        if key in ("beta1", "beta2"):
            out[key] = optimizer.betas[0 if key == "beta1" else 1]
        elif key is not None:
            out[key] = getattr(optimizer, key)
    return out


def optimizer_colors() -> dict[str, str]:
    """One fixed colour per optimizer of :data:`gdteach.optim.ALL` (SGD red, Adagrad
    blue, …), used by the race explorer and :func:`race_figure` alike.

    >>> optimizer_colors()["SGD"], optimizer_colors()["Adam"]
    ('#0072B2', '#000000')
    """
    from .style import optimizer_style

    return {name: optimizer_style(name)["color"] for name in optim.ALL}


def _set_log_slider(slider: Any, value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
        math.isfinite(value) and value > 0
    ):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    exponent = math.log10(value)
    slider.min, slider.max = min(slider.min, exponent), max(slider.max, exponent)
    slider.value = float(value)


def _set_int_slider(slider: Any, value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    slider.max = max(slider.max, int(value))
    slider.value = int(value)


def _timed(timings: list[float], fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    try:
        return fn()
    finally:
        timings.append(time.perf_counter() - start)


# --------------------------------------------------------------------------- update rule


def update_rule_explorer(
    objective: Objective,
    x0: Any,
    lr: float = 0.1,
    steps: int = 10,
    lr_range: tuple[float, float] = (0.01, 1.2),
    *,
    optimizer: Callable[[float], Any] | None = None,
    max_steps: int | None = None,
    figsize: tuple[float, float] = (6.0, 4.0),
    image_format: str = "png",
    bounds: Any = None,
) -> Any:
    """Sliders for the learning rate (log scale over ``lr_range``), the starting point
    and the number of steps; the run drawn on the curve (1-D objective) or on the
    contours (2-D), and a status line with the final x, loss and stop_reason.

    ``optimizer`` maps a learning rate to an optimizer (default ``SGD(lr=lr)``, plain
    gradient descent). ``bounds`` sets the plot window (default ``objective.bounds``,
    else x0 ± 5). ``box.update(lr=..., x0=..., steps=...)`` returns the Trajectory.
    """
    import ipywidgets as widgets

    from . import plot

    x0 = _x0_array(objective, x0)
    dim = x0.size
    make = optimizer or (lambda value: optim.SGD(lr=value))
    lo, hi = (float(v) for v in lr_range)
    if not (0 < lo < hi):
        raise ValueError(f"lr_range must be (low, high) with 0 < low < high, got {lr_range!r}")
    # no control starts at the end of its range: every key press moves it
    lo, hi = min(lo, lr / 1.2), max(hi, lr * 1.2)
    max_steps = max_steps or max(50, 2 * int(steps))
    bounds = _bounds(objective, x0, bounds)

    # ---- controls
    lr_slider = widgets.FloatLogSlider(
        value=lr, base=10, min=math.log10(lo), max=math.log10(hi),
        step=(math.log10(hi) - math.log10(lo)) / 200, description="η (lr)",
        readout_format=".3g", continuous_update=True,
    )
    steps_slider = widgets.IntSlider(value=steps, min=1, max=max_steps, description="steps")
    names = [v.strip("$").replace("\\theta", "θ") for v in plot.variable_names(objective)]
    x0_sliders = []
    for i in range(dim):
        step = float(bounds[i, 1] - bounds[i, 0]) / 200
        x0_sliders.append(widgets.FloatSlider(
            value=float(x0[i]), min=float(min(bounds[i, 0], x0[i] - 10 * step)),
            max=float(max(bounds[i, 1], x0[i] + 10 * step)), step=step,
            description=f"start {names[i]}", readout_format=".3g",
        ))
    status = widgets.HTML()
    image = widgets.Image(format="jpeg" if image_format == "jpeg" else "png")

    # ---- figure, built once
    canvas = _Canvas(figsize, image_format=image_format)
    ax = canvas.axes[0]
    if dim == 1:
        (curve,) = ax.plot([], [], color="0.35", lw=1.8, zorder=1)
        ax.set_xlabel(plot.variable_names(objective)[0])
        ax.set_ylabel(plot._loss_name(objective))
        ax.grid(alpha=0.3)
        from matplotlib.patches import FancyArrowPatch

        arrows = []
        for _ in range(max_steps):
            arrow = FancyArrowPatch(
                (0, 0), (0, 0), arrowstyle="-|>", color=plot.PALETTE[0], lw=0.9, mutation_scale=9,
                shrinkA=3, shrinkB=3, zorder=3, visible=False,
            )
            ax.add_patch(arrow)
            arrows.append(arrow)
    else:
        plot.contour_paths(objective, None, ax=ax, log_levels=_use_log_levels(objective),
                           bounds=bounds, legend=False)
        curve, arrows = None, []
    (path,) = ax.plot([], [], "-o", color=plot.PALETTE[0], lw=1.0, ms=5,
                      mec="white", mew=0.6, zorder=4)
    (start,) = ax.plot([], [], "o", ms=10, mfc="none", mec=path.get_color(), mew=1.8, zorder=4)
    ax.set_title(" ")  # reserves the room; the changing title is drawn by `title`
    title = _title_text(ax)
    canvas.dynamic = [path, start, *arrows, title]

    box = widgets.VBox()
    box.add_class("gdteach-explorer")  # how the browser test finds the explorers
    box.timings = []

    def redraw() -> Trajectory:
        rate = float(lr_slider.value)
        start_x = np.array([s.value for s in x0_sliders], dtype=float)
        traj = run(objective, start_x[0] if dim == 1 else start_x, make(rate),
                   int(steps_slider.value), warn=False)
        if dim == 1:
            _fit_curve(ax, curve, objective, bounds, traj.x)
            path.set_data(traj.x, traj.loss)
            start.set_data(traj.x[:1], traj.loss[:1])
            show = traj.steps <= 30
            for k, arrow in enumerate(arrows):
                ok = show and k < traj.steps
                if ok:
                    a = (float(traj.x[k]), float(traj.loss[k]))
                    b = (float(traj.x[k + 1]), float(traj.loss[k + 1]))
                    ok = all(math.isfinite(v) for v in a + b) and a != b
                    if ok:
                        arrow.set_positions(a, b)
                arrow.set_visible(ok)
        else:
            path.set_data(traj.x[:, 0], traj.x[:, 1])
            path.set_markevery(plot._markevery(len(traj.x)))
            start.set_data(traj.x[:1, 0], traj.x[:1, 1])
        # every control shows in the figure: lr and steps in the title, x0 in the path
        title.set_text(f"{short_repr(traj.optimizer)}, {int(steps_slider.value)} steps: "
                       f"{plot.describe(traj)}")
        image.value = canvas.render()
        final = traj.final_x
        status.value = (
            f"<code>after {traj.steps} steps: x = {_fmt(final)}, "
            f"loss = {_fmt(traj.final_loss)}, stop_reason = {traj.stop_reason!r}</code>"
        )
        box.trajectory = traj
        return traj

    hold = {"on": False}

    def on_change(_change: Any) -> None:
        if not hold["on"]:
            _timed(box.timings, redraw)

    for control in (lr_slider, steps_slider, *x0_sliders):
        control.observe(on_change, names="value")

    def update(*, lr: float | None = None, x0: Any = None, steps: int | None = None) -> Trajectory:
        """Set any of the controls, redraw once, return the Trajectory on display."""
        hold["on"] = True
        try:
            # a value outside a slider's range widens the range (a slider would clamp it)
            if lr is not None:
                _set_log_slider(lr_slider, lr, "lr")
            if steps is not None:
                _set_int_slider(steps_slider, steps, "steps")
            if x0 is not None:
                values = np.atleast_1d(np.asarray(x0, dtype=float))
                if values.size != dim or not np.all(np.isfinite(values)):
                    raise ValueError(f"x0 must be {dim} finite number(s), got {x0!r}")
                for slider, value in zip(x0_sliders, values, strict=True):
                    slider.min, slider.max = min(slider.min, value), max(slider.max, value)
                    slider.value = float(value)
        finally:
            hold["on"] = False
        return _timed(box.timings, redraw)

    controls = widgets.VBox([widgets.HBox([lr_slider, steps_slider]), widgets.HBox(x0_sliders)])
    box.children = (controls, image, status)
    box.figure = canvas.figure
    box.update = update
    box.redraw = redraw
    box.controls = {"lr": lr_slider, "steps": steps_slider, "x0": x0_sliders}
    box.artists = {"path": path, "start": start, "title": title, "curve": curve}
    box.canvas = canvas
    box.status = status
    box.image = image
    redraw()
    canvas.freeze_layout()  # lay out once, on the real limits; then keep the positions
    _timed(box.timings, redraw)
    return box


# --------------------------------------------------------------------------- race


def _race_names(optimizers: Any) -> tuple[list[str], dict[str, dict[str, float]]]:
    if optimizers is None:
        return ["SGD", "RMSprop", "Adam"], {}
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    overrides: dict[str, dict[str, float]] = {}
    if isinstance(optimizers, Mapping):
        for name, value in optimizers.items():
            if name not in optim.ALL:
                raise ValueError(f"optimizer names must be in {list(optim.ALL)}, got {name!r}")
            if isinstance(value, Mapping):
                overrides[name] = dict(value)
            elif type(value).__name__ == name:
                overrides[name] = _settings_of(value)
            else:
                raise TypeError(
                    f"optimizers[{name!r}] must be a dict of settings or a {name} instance, "
                    f"got {value!r}"
                )
        names = list(optimizers)
    elif isinstance(optimizers, Sequence):
        names = list(optimizers)
    else:
        raise TypeError(f"optimizers must be a list of names or a dict, got {optimizers!r}")
    for name in names:
        if name not in optim.ALL:
            raise ValueError(f"optimizer names must be in {list(optim.ALL)}, got {name!r}")
    if not names:
        raise ValueError("optimizers must name at least one optimizer")
    return names, overrides


def optimizer_race_explorer(
    objective: Objective,
    x0: Any,
    steps: int = 100,
    optimizers: Any = None,
    *,
    max_steps: int | None = None,
    lr_range: tuple[float, float] = (1e-5, 10.0),
    figsize: tuple[float, float] = (11.0, 4.0),
    image_format: str = "png",
    log: bool | None = None,
    bounds: Any = None,
) -> Any:
    """Race optimizers from :data:`gdteach.optim.ALL` from the same start: paths on the
    contours (or the curve, in 1-D) and loss curves side by side.

    ``optimizers`` is a list of names (default SGD, RMSprop, Adam) or a dict
    ``{name: {"lr": …, "momentum": …, "beta1": …, "beta2": …}}`` or ``{name: optimizer}``;
    missing settings come from :func:`default_settings`. Every optimizer keeps its own
    settings: "tune" picks which one the sliders edit (lr; momentum or β₁; β₂, α or ρ,
    whichever that optimizer has). The loss axis is logarithmic unless the objective
    goes below zero on its plot window (``log`` overrides). ``box.update(optimizers=[...], tune="Adam", lr=0.05,
    beta1=0.8, steps=50)`` returns the ``{name: Trajectory}`` on display.
    """
    import ipywidgets as widgets

    from . import plot

    x0 = _x0_array(objective, x0)
    dim = x0.size
    names, overrides = _race_names(optimizers)
    settings = default_settings(objective, x0)
    for name, values in overrides.items():
        settings[name] = {**settings[name], **values}
    max_steps = max_steps or max(200, 2 * int(steps))
    bounds = _bounds(objective, x0, bounds)
    lo, hi = (float(v) for v in lr_range)
    all_lrs = [s["lr"] for s in settings.values()]
    lo, hi = min(lo, *all_lrs) / 1.2, max(hi, *all_lrs) * 1.2  # no lr at an end of the slider

    # ---- controls
    select = widgets.SelectMultiple(options=list(optim.ALL), value=tuple(names),
                                    description="race", rows=4)
    tune_box = widgets.Dropdown(options=names, value=names[0], description="tune")
    lr_slider = widgets.FloatLogSlider(
        value=settings[names[0]]["lr"], base=10, min=math.log10(lo), max=math.log10(hi),
        step=(math.log10(hi) - math.log10(lo)) / 300, description="η (lr)",
        readout_format=".3g",
    )
    p1 = widgets.FloatSlider(value=0.0, min=0.0, max=0.99, step=0.01, description="momentum μ")
    p2 = widgets.FloatSlider(value=0.999, min=0.5, max=0.9999, step=0.0001,
                             description="β₂", readout_format=".4f")
    steps_slider = widgets.IntSlider(value=steps, min=1, max=max_steps, description="steps")
    sliders = widgets.VBox([lr_slider, p1, p2, steps_slider])
    status = widgets.HTML()
    image = widgets.Image(format="jpeg" if image_format == "jpeg" else "png")

    # ---- figure, built once: one path line and one loss line per optimizer in ALL
    canvas = _Canvas(figsize, ncols=2, image_format=image_format)
    left, right = canvas.axes
    colors = optimizer_colors()
    if dim == 2:
        plot.contour_paths(objective, None, ax=left, log_levels=_use_log_levels(objective),
                           bounds=bounds, legend=False)
    else:
        (curve,) = left.plot([], [], color="0.35", lw=1.8, zorder=1)
        left.set_xlabel(plot.variable_names(objective)[0])
        left.set_ylabel(plot._loss_name(objective))
        left.set_title(plot._title_of(objective))
        left.grid(alpha=0.3)
    paths, losses = {}, {}
    for name in optim.ALL:
        (paths[name],) = left.plot([], [], "-o", color=colors[name], lw=1.3, ms=3, zorder=4,
                                   visible=False)
        (losses[name],) = right.plot([], [], color=colors[name], lw=1.5, visible=False)
    (start,) = left.plot(*([x0[0]], [x0[1]]) if dim == 2 else ([x0[0]], [objective(x0)]),
                         "o", ms=9, mfc="none", mec="black", mew=1.6, zorder=5)
    if log is None:
        log = _nonnegative(objective, bounds)
    if log:
        right.set_yscale("log")
        plot._log_axis(right.yaxis)
    right.set_xlim(0, max(int(steps), 1))
    right.set_xlabel("update (step)")
    right.set_ylabel("loss (log scale)" if log else "loss")
    right.set_title(" ")  # reserves the room; the changing title is drawn by `loss_title`
    loss_title = _title_text(right)
    right.grid(alpha=0.3, which="both")
    canvas.dynamic = [*paths.values(), *losses.values(), loss_title]

    box = widgets.VBox()
    box.add_class("gdteach-explorer")  # how the browser test finds the explorers
    box.timings = []
    hold = {"on": False}
    cache: dict[str, tuple[Any, Trajectory]] = {}
    legend_place: dict[Any, tuple[float, float]] = {}

    def show_sliders(name: str) -> None:
        """Point the sliders at ``name``'s settings and show only the sliders it has
        (no redraw)."""
        first, second = SLIDERS[name]
        was, hold["on"] = hold["on"], True
        try:
            lr_slider.value = settings[name]["lr"]
            for slider, key in ((p1, first), (p2, second)):
                if key:
                    slider.description = _SLIDER_LABELS[key]
                    slider.value = settings[name][key]
            sliders.children = [lr_slider] + [
                s for s, key in ((p1, first), (p2, second)) if key] + [steps_slider]
        finally:
            hold["on"] = was

    def redraw() -> dict[str, Trajectory]:
        chosen = [n for n in optim.ALL if n in select.value]
        count = int(steps_slider.value)
        trajs = {}
        for n in chosen:  # rerun only the optimizers whose settings changed
            key = (count, tuple(sorted(settings[n].items())))
            if cache.get(n, (None,))[0] != key:
                opt = make_optimizer(n, settings[n])
                cache[n] = (key, run(objective, x0[0] if dim == 1 else x0, opt, count, warn=False))
            trajs[n] = cache[n][1]
        # left panel: paths
        if dim == 1:
            xs_all = np.concatenate([t.x for t in trajs.values()]) if trajs else x0
            _fit_curve(left, curve, objective, bounds, xs_all)
        for name in optim.ALL:
            traj = trajs.get(name)
            tuned = name == tune_box.value
            for line in (paths[name], losses[name]):
                line.set_linewidth(2.6 if tuned else 1.3)
                line.set_zorder(6 if tuned else 4)
            paths[name].set_visible(traj is not None)
            losses[name].set_visible(traj is not None)
            if traj is None:
                continue
            if dim == 2:
                paths[name].set_data(traj.x[:, 0], traj.x[:, 1])
            else:
                paths[name].set_data(traj.x, traj.loss)
            paths[name].set_markevery(plot._markevery(len(traj.x)))
            shown = plot._log_safe(traj.loss) if log else plot._finite(traj.loss)
            losses[name].set_data(np.arange(len(traj.loss)), shown)
        # right panel: limits from the runs that did not diverge
        # the step axis moves in steps, and not back for every key press: a cached
        # background is kept while the runs fill between half and all of it
        end = right.get_xlim()[1]
        if not (0.5 * end <= count <= end):
            right.set_xlim(0, _nice_ceiling(count))
        calm = [t.loss for t in trajs.values() if t.stop_reason != "diverged"]
        calm += [t.loss[:1] for t in trajs.values()]
        values = np.concatenate(calm) if calm else np.array([1.0])
        values = values[np.isfinite(values) & ((values > 0) if log else True)]
        if values.size:
            y_lo, y_hi = float(values.min()), float(values.max())
            diverged = any(t.stop_reason == "diverged" for t in trajs.values())
            if log:
                right.set_ylim(*_sticky_decades(right.get_ylim(), y_lo, y_hi * (100 if diverged else 1)))
            else:
                right.set_ylim(*_sticky_linear(right.get_ylim(), y_lo, y_hi))
        loss_title.set_text(f"Loss per update ({count} steps)")
        handles = [losses[n] for n in trajs]
        labels = [short_repr(make_optimizer(n, settings[n]))
                  + (" (diverged)" if t.stop_reason == "diverged" else "")
                  for n, t in trajs.items()]
        # loc="best" searches the data at every draw (~10 ms): search once per set of
        # runs and axis limits, then pin the legend where it was put
        where = (tuple(trajs), count, canvas._limits())
        pinned = legend_place.get(where)
        options = {"loc": "best"} if pinned is None else {
            "loc": pinned[0], "bbox_to_anchor": pinned[1], "borderaxespad": 0.0}
        legend = right.legend(handles, labels, fontsize="small", framealpha=0.85, **options)
        image.value = canvas.render(extra=[legend])
        if pinned is None:
            # pin the corner nearest the axes' corner, so a longer label grows inwards
            (left_x, low_y), (right_x, high_y) = right.transAxes.inverted().transform(
                legend.get_window_extent().get_points())
            upper, rightward = (low_y + high_y) / 2 > 0.5, (left_x + right_x) / 2 > 0.5
            loc = f"{'upper' if upper else 'lower'} {'right' if rightward else 'left'}"
            legend_place.clear()
            legend_place[where] = (
                loc, (right_x if rightward else left_x, high_y if upper else low_y))
        rows = "".join(
            f"<tr><td>{n}</td><td>{_fmt(t.final_loss)}</td><td>{t.stop_reason}</td></tr>"
            for n, t in trajs.items()
        )
        status.value = (
            "<table><tr><th>optimizer</th><th>final loss</th><th>stop_reason</th></tr>"
            f"{rows}</table>"
        )
        box.trajectories = trajs
        return trajs

    def on_select(_change: Any) -> None:
        if hold["on"]:
            return
        chosen = [n for n in optim.ALL if n in select.value]
        hold["on"] = True
        try:
            current = tune_box.value
            tune_box.options = chosen or list(optim.ALL)[:1]
            tune_box.value = current if current in tune_box.options else tune_box.options[0]
        finally:
            hold["on"] = False
        show_sliders(tune_box.value)
        _timed(box.timings, redraw)

    def on_tune(_change: Any) -> None:
        if not hold["on"]:  # the tuned optimizer is drawn thicker: redraw
            show_sliders(tune_box.value)
            _timed(box.timings, redraw)

    def on_value(change: Any) -> None:
        if hold["on"]:
            return
        name = tune_box.value
        first, second = SLIDERS[name]
        settings[name]["lr"] = float(lr_slider.value)
        # slider arithmetic drifts (0.999 + 3 × 0.0001 − 3 × 0.0001 ≠ 0.999): round to the step
        if first:
            settings[name][first] = round(float(p1.value), 6)
        if second:
            settings[name][second] = round(float(p2.value), 6)
        _timed(box.timings, redraw)

    select.observe(on_select, names="value")
    tune_box.observe(on_tune, names="value")
    for control in (lr_slider, p1, p2, steps_slider):
        control.observe(on_value, names="value")

    def update(
        *,
        optimizers: Sequence[str] | None = None,
        tune: str | None = None,
        steps: int | None = None,
        **values: float,
    ) -> dict[str, Trajectory]:
        """Set the race (``optimizers``), which optimizer to tune (``tune``, default
        the one in the dropdown) and its ``lr``/``momentum``/``beta1``/``beta2``/``alpha``/
        ``rho``; redraw once and return ``{name: Trajectory}``."""
        allowed = {"lr", "momentum", "beta1", "beta2", "alpha", "rho"}
        unknown = set(values) - allowed
        if unknown:
            raise TypeError(
                f"update() got unknown settings {sorted(unknown)}; use {sorted(allowed)}"
            )
        hold["on"] = True
        try:
            if optimizers is not None:
                chosen, _ = _race_names(list(optimizers))
                select.value = tuple(chosen)
                tune_box.options = [n for n in optim.ALL if n in chosen]
            if tune is not None:
                if tune not in tune_box.options:
                    raise ValueError(f"tune must be one of {list(tune_box.options)}, got {tune!r}")
                tune_box.value = tune
            name = tune_box.value
            keys = {"lr", *(k for k in SLIDERS[name] if k)}
            bad = set(values) - keys
            if bad:
                raise ValueError(f"{name} has no slider for {sorted(bad)}; it has {sorted(keys)}")
            if "lr" in values:
                _set_log_slider(lr_slider, values["lr"], "lr")
            settings[name].update({k: float(v) for k, v in values.items()})
            if steps is not None:
                _set_int_slider(steps_slider, steps, "steps")
        finally:
            hold["on"] = False
        show_sliders(tune_box.value)
        return _timed(box.timings, redraw)

    controls = widgets.HBox([widgets.VBox([select, tune_box]), sliders])
    box.children = (controls, image, status)
    box.figure = canvas.figure
    box.update = update
    box.redraw = redraw
    box.settings = settings
    box.artists = {"paths": paths, "losses": losses}
    box.canvas = canvas
    box.controls = {"optimizers": select, "tune": tune_box, "lr": lr_slider, "p1": p1, "p2": p2,
                    "steps": steps_slider}
    box.status = status
    box.image = image
    show_sliders(tune_box.value)
    redraw()
    canvas.freeze_layout()  # lay out once, on the real limits; then keep the positions
    _timed(box.timings, redraw)
    return box


# --------------------------------------------------------------------------- static


def explorer_figure(
    objective: Objective,
    x0: Any,
    lrs: Sequence[float] = (0.1, 0.5, 0.9, 1.05),
    steps: int = 10,
    *,
    optimizer: Callable[[float], Any] | None = None,
) -> Any:
    """The static companion of :func:`update_rule_explorer`: one panel per learning rate
    (see :func:`gdteach.plot.compare_lrs`). Returns the Figure.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> fig = explorer_figure(objectives.square, 5.0, [0.1, 1.05], steps=5)
    >>> [ax.get_title() for ax in fig.axes]
    ['η = 0.1: converges', 'η = 1.05: grows']
    """
    from . import plot

    axes = plot.compare_lrs(objective, x0, lrs, steps, optimizer=optimizer)
    return axes[0].figure


def race_figure(
    objective: Objective,
    x0: Any,
    optimizers: Any = None,
    steps: int = 100,
) -> Any:
    """The static companion of :func:`optimizer_race_explorer`, with the same settings
    (``optimizers`` as there, defaults from :func:`default_settings`). Returns the Figure.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> fig = race_figure(objectives.rosenbrock, [-1.5, 2.0], ["SGD", "Adam"], steps=50)
    >>> len(fig.axes)
    2
    """
    from . import plot

    x = _x0_array(objective, x0)
    names, overrides = _race_names(optimizers)
    settings = default_settings(objective, x)
    runs, colors = {}, {}
    for name in names:
        opt = make_optimizer(name, {**settings[name], **overrides.get(name, {})})
        runs[repr(opt)] = run(objective, x[0] if x.size == 1 else x, opt, steps, warn=False)
        colors[repr(opt)] = optimizer_colors()[name]
    axes = plot.race(runs, objective=objective, colors=colors)
    return axes[0].figure

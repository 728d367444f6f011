"""Interactive explorers for the notebooks, drawn in the browser.

Each explorer is a small class whose state is plain values: the optimizer instance(s)
(changed with :func:`dataclasses.replace`), the start ``x0`` and the number of steps.
:func:`gdteach.run` computes every trajectory in Python; the page only draws what it
receives. The drawing is an `anywidget <https://anywidget.dev>`_ view (``explorer.js``,
shipped inside the package, so it works offline): contours (or the 1-D curve) computed
once, the path, the start (drag it with the mouse, or focus it and use the arrow keys),
the minimum, the loss curve beside the path, labelled keyboard controls, and a summary
(final loss, stop reason) in an ``aria-live`` region. A cell that shows an explorer
stores a widget id: start it with ``# NBVAL_IGNORE_OUTPUT``.

Every change goes through ``update(...)``, which checks every new value before it
changes anything, so a bad value leaves the explorer (and the page) as it was. For
notebooks and tests that drive an explorer without a browser it also has:

- ``.trajectory`` (:class:`UpdateRuleExplorer`) / ``.trajectories`` (race) — the run(s) shown;
- ``.frame`` — exactly what the page draws (paths, losses, axis limits, summary);
- ``.figure()`` — a static matplotlib figure of the same state.

Beside every explorer a notebook shows a static figure, so it teaches without a kernel:
:func:`explorer_figure` (one panel per learning rate) and :func:`race_figure`.

>>> from gdteach import objectives
>>> explorer = update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=3)
>>> explorer.update(lr=0.4).x.round(4).tolist()
[5.0, 1.0, 0.2, 0.04]
>>> explorer.optimizer
SGD(lr=0.4)
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from . import _draw, optim
from .checks import check_choice, check_finite_array, check_int, check_number, check_positive
from .objectives import Objective, largest_curvature
from .run import Trajectory, run
from .style import optimizer_style

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
]

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

#: label, initial range and step of each hyperparameter slider (a value set by ``update``
#: outside the range widens it)
HYPERPARAMETERS: dict[str, tuple[str, float, float, float]] = {
    "momentum": ("momentum μ", 0.0, 0.99, 0.01),
    "beta1": ("β₁", 0.0, 0.99, 0.01),
    "beta2": ("β₂", 0.5, 0.9999, 0.0001),
    "alpha": ("α", 0.5, 0.9999, 0.0001),
    "rho": ("ρ", 0.5, 0.9999, 0.0001),
}

_ESM = Path(__file__).with_name("explorer.js")


class _View(anywidget.AnyWidget):
    """The page's side: draws ``scene`` (sent once) and each ``frame``; sends control
    changes back as ``{"values": {control: value}, "seq": n}`` messages."""

    _esm = _ESM.read_text(encoding="utf-8")
    scene = traitlets.Dict().tag(sync=True)
    controls = traitlets.List().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)

    def __repr__(self) -> str:
        # the text a notebook stores for readers without a kernel: no memory address, no id
        return "gdteach explorer (drawn in the browser with a live kernel; the static figure shows the same state)"


# --------------------------------------------------------------------------- checks


def _x0_array(objective: Objective, x0: Any) -> np.ndarray:
    array = np.atleast_1d(check_finite_array("x0", x0))
    if array.ndim != 1:
        raise ValueError(f"x0 must be one starting point (a number or a 1-D array), got {x0!r}")
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


# --------------------------------------------------------------------------- helpers


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


def _sticky_decades(current: Sequence[float] | None, lo: float, hi: float) -> list[float]:
    """Log-axis limits in whole decades around [lo, hi]. The current limits are kept while
    they still hold the data and are not more than twice as many decades as needed, so
    the axis does not jump at every slider step.

    >>> _sticky_decades((1e-3, 1e2), 0.5, 20.0), _sticky_decades((1e-3, 1e2), 5e-4, 20.0)
    ([0.001, 100.0], [0.0001, 100.0])
    """
    low = math.floor(math.log10(lo) - 0.05)
    high = max(math.ceil(math.log10(hi) + 0.05), low + 1)
    if current is not None:
        c_lo, c_hi = current
        if 0 < c_lo <= lo and hi <= c_hi and math.log10(c_hi / c_lo) <= 2 * (high - low):
            return [c_lo, c_hi]
    return [10.0**low, 10.0**high]


def _sticky_linear(current: Sequence[float] | None, lo: float, hi: float) -> list[float]:
    """Linear-axis limits around [lo, hi] with 10 % margins, kept while the data fit and
    fill at least half of them.

    >>> _sticky_linear((-10.0, 10.0), -6.0, 4.0), _sticky_linear((-10.0, 10.0), -1.0, 1.0)
    ([-10.0, 10.0], [-1.2, 1.2])
    """
    if current is not None:
        c_lo, c_hi = current
        if c_lo <= lo and hi <= c_hi and (hi - lo) >= 0.5 * (c_hi - c_lo):
            return [c_lo, c_hi]
    pad = 0.1 * (hi - lo) if hi > lo else max(1.0, abs(hi)) * 0.1
    return [lo - pad, hi + pad]


def _nonnegative(objective: Objective, bounds: np.ndarray) -> bool:
    """Whether the loss stays >= 0 over the plot window (then a log axis makes sense)."""
    axes = [np.linspace(lo, hi, 41) for lo, hi in bounds]
    points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(axes))
    with np.errstate(all="ignore"):
        values = np.asarray(objective(points), dtype=float)
    return bool(np.all(values[np.isfinite(values)] >= 0))


def _fmt(values: Any) -> str:
    array = np.atleast_1d(np.asarray(values, dtype=float))
    text = ", ".join(f"{v:.4g}" for v in array)
    return text if array.size == 1 else f"({text})"


def _json(values: Any) -> list[float | None]:
    """A list for the page: JSON has no NaN or infinity, so those become null (a gap)."""
    return [v if math.isfinite(v) else None for v in np.asarray(values, dtype=float).ravel().tolist()]


def _plain(latex: str) -> str:
    """A plot label as plain text for the page: ``$x_{1}$`` → x₁, ``$\\theta$`` → θ."""
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    text = latex.replace("$", "").replace("\\theta", "θ").replace("\\,", " ")
    return re.sub(r"_\{?(\d+)\}?", lambda m: m.group(1).translate(sub), text)


def default_settings(objective: Objective, x0: Any) -> dict[str, dict[str, float]]:
    """Starting hyperparameters for the race explorer, scaled to the problem: SGD gets
    ``0.5 / L`` (L from :func:`gdteach.objectives.largest_curvature` at x0 or the
    minimum, so it is stable), the adaptive methods a step of about 2 % of the plot
    window; momenta and betas are torch's defaults (SGD momentum 0). Every lr is rounded
    down to 1, 2 or 5 × 10^k.

    >>> from gdteach import objectives
    >>> s = default_settings(objectives.quadratic([0.1, 2.0]), [-4.0, 2.0])
    >>> s["SGD"], s["Adam"]
    ({'lr': 0.1, 'momentum': 0.0}, {'lr': 0.2, 'beta1': 0.9, 'beta2': 0.999})
    """
    x = _x0_array(objective, x0)
    points = [x]
    if objective.minimum is not None:
        points.append(np.asarray(objective.minimum, dtype=float).reshape(x.shape))
    curvature = max(largest_curvature(objective, p) for p in points)
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
    return _with_settings(optim.ALL[check_choice("name", name, list(optim.ALL))](), settings)


def _with_settings(optimizer: Any, settings: Mapping[str, Any]) -> Any:
    """``optimizer`` with slider settings changed (:func:`dataclasses.replace`, so every
    other field — nesterov, weight_decay, eps … — is kept); the optimizer checks them."""
    changes = {k: check_number(k, v) for k, v in settings.items() if k not in ("beta1", "beta2")}
    if "beta1" in settings or "beta2" in settings:
        beta1, beta2 = optimizer.betas
        changes["betas"] = (check_number("beta1", settings.get("beta1", beta1)),
                            check_number("beta2", settings.get("beta2", beta2)))
    return replace(optimizer, **changes)


def _setting(optimizer: Any, key: str) -> float:
    """One slider's value read from an optimizer instance."""
    if key in ("beta1", "beta2"):
        return float(optimizer.betas[0 if key == "beta1" else 1])
    return float(getattr(optimizer, key))


def optimizer_colors() -> dict[str, str]:
    """The colour of each optimizer of :data:`gdteach.optim.ALL` in the series' palette
    (:func:`gdteach.style.optimizer_style`), used by the explorers and the static figures.

    >>> optimizer_colors()["SGD"], optimizer_colors()["Adam"]
    ('#0072B2', '#000000')
    """
    return {name: optimizer_style(name)["color"] for name in optim.ALL}


def _contours(objective: Objective, bounds: np.ndarray) -> list[dict[str, Any]]:
    """Contour lines over ``bounds`` in thousandths of the window (integers: small to
    send), one entry per level with its viridis colour; points closer than a thousandth
    are merged."""
    from matplotlib.figure import Figure  # computes the lines; nothing is drawn

    X, Y, Z = _draw.grid(objective, bounds, 120)
    levels = _draw.levels(Z, 24, _draw.wants_log_levels(objective))
    colors = _draw.hex_colors("viridis", len(levels))
    finite = np.where(np.isfinite(Z), Z, np.nanmax(np.where(np.isfinite(Z), Z, np.nan)))
    contours = Figure().subplots().contour(X, Y, finite, levels=levels)
    span = bounds[:, 1] - bounds[:, 0]
    out = []
    for level, color, segments in zip(levels, colors, contours.allsegs, strict=True):
        lines = []
        for line in segments:
            ints = np.rint(1000 * (line - bounds[:, 0]) / span).astype(int)
            keep = np.r_[True, np.any(np.diff(ints, axis=0) != 0, axis=1)]
            if keep.sum() > 1:
                lines.append(ints[keep].ravel().tolist())
        out.append({"level": float(level), "color": color, "lines": lines})
    return out


# --------------------------------------------------------------------------- explorers


class _Explorer:
    """What both explorers share: the view, its messages, the left panel's window, the
    loss axis and the static figure. A subclass sets the state and draws ``_runs()``."""

    def __init__(self, objective: Objective, x0: Any, steps: int, bounds: Any, log: bool | None):
        if not isinstance(objective, Objective):
            raise TypeError(f"objective must be a gdteach Objective, got {objective!r}")
        self.objective = objective
        self.x0 = _x0_array(objective, x0)
        self.steps = check_int("steps", steps, minimum=1)
        self.bounds = _bounds(objective, self.x0, bounds)
        self.dim = self.x0.size
        self.log = _nonnegative(objective, self.bounds) if log is None else bool(log)
        self.frame: dict[str, Any] = {}
        self.error = ""
        self._limits: dict[str, Any] = {}
        self._frames = 0
        self._answering = False
        self.view = _View()
        self.view.add_class("gdteach-explorer")  # how the browser test finds the explorers
        self.view.scene = self._scene()
        self.view.on_msg(self._on_message)

    # ---- display
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)

    # ---- the page
    def _scene(self) -> dict[str, Any]:
        names = [_plain(v) for v in _variable_names(self.objective)]
        scene: dict[str, Any] = {
            "dim": self.dim, "title": self.objective.name, "xlabel": names[0],
            "ylabel": names[1] if self.dim == 2 else _plain(_draw.loss_name(self.objective)),
            "loss_log": self.log, "loss_label": "loss (log scale)" if self.log else "loss",
            "bounds": self.bounds.tolist(), "contours": [], "minimum": None,
        }
        if self.objective.minimum is not None:
            m = np.asarray(self.objective.minimum, dtype=float).ravel()
            scene["minimum"] = m.tolist() if self.dim == 2 else [float(m[0]), self.objective(m)]
        if self.dim == 2:
            scene["contours"] = _contours(self.objective, self.bounds)
        return scene

    def _on_message(self, _view: Any, content: Any, _buffers: Any) -> None:
        """A control moved in the page: apply it (or report why not) and answer with a frame."""
        if not isinstance(content, dict):
            return
        if "values" not in content:  # the page only asks for the frames one key press away
            self._send_previews()
            return
        self._answering = True  # one frame answers the message, sent below
        try:
            self._apply(dict(content.get("values", {})))
            self.error = ""
        except (TypeError, ValueError) as err:
            self.error = str(err)
        finally:
            self._answering = False
        self._show(seq=content.get("seq"))
        if content.get("previews", True):  # not while the start is being dragged
            self._send_previews()

    # ---- one key press ahead: frames for the values next to each control's
    def _send_previews(self) -> None:
        self.view.send({"previews": self._previews(), "count": self._frames})

    def _previews(self) -> dict[str, list[dict[str, Any]]]:
        """``{control: [{"value": v, "frame": frame}, …]}`` for every value one key press from
        the present one (a slider step either way, another option, one box ticked or cleared,
        the start moved by a fiftieth of the window): gdteach computes them now, so the page draws the next frame
        the moment a key is pressed. A frame's runs that do not change are ``{"same": True}``."""
        out: dict[str, list[dict[str, Any]]] = {}
        for name, value in self._next_values():
            frame = self._preview(name, value)
            if frame is not None:
                out.setdefault(name, []).append({"value": value, "frame": frame})
        return out

    def _next_values(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for spec in self._controls():
            kind, name = spec["kind"], spec["name"]
            if kind in ("log", "float", "int"):
                low, step = spec["min"], spec["step"]
                at = math.log10(spec["value"]) if kind == "log" else spec["value"]
                k = round((at - low) / step)
                for position in (low + (k - 1) * step, low + (k + 1) * step):
                    if low - 1e-9 * step <= position <= spec["max"] + 1e-9 * step:
                        value = 10.0**position if kind == "log" else position
                        out.append((name, int(round(value)) if kind == "int" else float(value)))
            elif kind == "select":
                out += [(name, option) for option in spec["options"] if option != spec["value"]]
            elif kind == "checkboxes":  # one box ticked or cleared (never the last one)
                chosen = set(spec["value"])
                for option in spec["options"]:
                    toggled = [o for o in spec["options"] if (o in chosen) != (o == option)]
                    if toggled:
                        out.append((name, toggled))
        window = self.bounds if self.dim == 2 else np.array([self.frame["xlim"]])
        for axis in range(self.dim):  # the arrow keys on the start point
            for sign in (-1.0, 1.0):
                start = self.x0.copy()
                start[axis] += sign * (window[axis, 1] - window[axis, 0]) / 50
                out.append(("x0", start.tolist()))
        return out

    def _preview(self, name: str, value: Any) -> dict[str, Any] | None:
        """The frame the explorer would show with control ``name`` at ``value`` (a twin is
        changed; this explorer is not), or None if the value is refused."""
        twin = copy.copy(self)
        twin._limits = copy.deepcopy(self._limits)
        if isinstance(getattr(self, "_cache", None), dict):
            twin._cache = dict(self._cache)
        twin._answering = True  # the twin sends nothing
        try:
            twin._apply({name: value})
        except (TypeError, ValueError):
            return None
        frame = {**twin._frame(), "controls": twin._controls()}
        now = {run["name"]: run for run in self.frame["runs"]}
        frame["runs"] = [{"name": run["name"], "same": True} if now.get(run["name"]) == run else run
                         for run in frame["runs"]]
        if frame["xlim"] == self.frame["xlim"]:
            frame["curve"] = None  # the page keeps the curve it has
        return frame

    def _apply(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def _x0_from(self, values: dict[str, Any]) -> Any:
        """``x0`` from a page message: the whole point (a drag) or one coordinate."""
        if "x0" in values:
            return values.pop("x0")
        coords = {k: values.pop(k) for k in [k for k in values if k.startswith("x0[")]}
        if not coords:
            return None
        start = self.x0.tolist()
        for key, value in coords.items():
            start[int(key[3:-1])] = value
        return start

    def _show(self, seq: Any = None) -> None:
        """Send the controls and a new frame to the page, in one message."""
        if self._answering:
            return
        self._frames += 1
        self.frame = {**self._frame(), "error": self.error, "count": self._frames,
                      "seq": seq if isinstance(seq, int) else self.frame.get("seq", 0)}
        with self.view.hold_sync():
            self.view.controls = self._controls()
            self.view.frame = self.frame

    def _left_window(self, runs: Sequence[Trajectory]) -> dict[str, Any]:
        """The left panel's limits (and the 1-D curve, whose window follows the iterates)."""
        if self.dim == 2:
            return {"xlim": self.bounds[0].tolist(), "ylim": self.bounds[1].tolist(), "curve": None}
        xs = np.concatenate([np.asarray(t.x, dtype=float).ravel() for t in runs] or [self.x0])
        window = _draw.window_1d(self.bounds[0], xs, snap=True)
        if self._limits.get("window") != window:
            curve = _draw.curve(self.objective, *window)
            self._limits["window"], self._limits["curve"] = window, curve
        cx, cy = self._limits["curve"]
        return {"xlim": list(window), "ylim": list(_draw.padded(cy, 0.06)),
                "curve": [_json(cx), _json(cy)]}

    def _loss_axis(self, runs: Sequence[Trajectory]) -> dict[str, Any]:
        """Loss-axis limits from the runs that did not diverge (:func:`gdteach._draw.calm_losses`),
        up to :func:`gdteach._draw.loss_top` when one did; the step axis in nice steps."""
        end = self._limits.get("steps")
        if end is None or not (0.5 * end <= self.steps <= end):
            end = _nice_ceiling(self.steps)
        values, _ = _draw.calm_losses(runs, self.log)
        current = self._limits.get("loss")
        if values.size:
            lo, hi = float(values.min()), float(values.max())
            if any(t.stop_reason == "diverged" for t in runs):
                hi = _draw.loss_top(values, self.log)
            sticky = _sticky_decades if self.log else _sticky_linear
            current = sticky(current, lo, hi)
        current = current or [0.1, 10.0]
        self._limits["steps"], self._limits["loss"] = end, current
        return {"steps_lim": [0, end], "loss_lim": current}

    def _run_entry(self, name: str, traj: Trajectory, optimizer: Any, width: float) -> dict[str, Any]:
        """One run as the page draws it: path, losses, colour and line style."""
        style = _style(optimizer)
        if self.dim == 2:
            px, py = traj.x[:, 0], traj.x[:, 1]
        else:
            px, py = traj.x, traj.loss
        loss = _draw.log_safe(traj.loss) if self.log else _draw.finite(traj.loss)
        diverged = traj.stop_reason == "diverged"
        return {
            "name": name, "label": short_repr(optimizer) + (" (diverged)" if diverged else ""),
            "color": style["color"], "dash": style["linestyle"], "width": width,
            "px": _json(px), "py": _json(py), "loss": _json(loss), "diverged": diverged,
            "markevery": _draw.markevery(len(traj.x)) or 1,
        }

    def figure(self) -> Any:
        """A static matplotlib figure of what the explorer shows now (paths and losses),
        for a notebook read without a kernel. Returns the Figure."""
        from . import plot

        runs = {short_repr(t.optimizer): t for t in self._trajectories()}
        axes = plot.race(runs, objective=self.objective)
        return axes[0].figure

    def _trajectories(self) -> list[Trajectory]:
        raise NotImplementedError

    def _frame(self) -> dict[str, Any]:
        raise NotImplementedError

    def _controls(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    # ---- control descriptions for the page
    @staticmethod
    def _log_slider(name: str, label: str, value: float, lo: float, hi: float) -> dict[str, Any]:
        a, b = math.log10(lo), math.log10(hi)
        return {"name": name, "label": label, "kind": "log", "min": a, "max": b,
                "step": (b - a) / 200, "value": value}

    def _x0_controls(self) -> list[dict[str, Any]]:
        names = [_plain(v) for v in _variable_names(self.objective)]
        out = []
        for i, (lo, hi) in enumerate(self._limits["x0"]):
            out.append({"name": f"x0[{i}]", "label": f"start {names[i]}", "kind": "float",
                        "min": lo, "max": hi, "step": (hi - lo) / 200, "value": float(self.x0[i])})
        return out

    def _widen_x0(self, x0: np.ndarray) -> None:
        """The start sliders' ranges: the plot window, widened to hold ``x0``."""
        ranges = self._limits.get("x0")
        if ranges is None:
            step = (self.bounds[:, 1] - self.bounds[:, 0]) / 200
            ranges = [[float(min(b[0], x - 10 * s)), float(max(b[1], x + 10 * s))]
                      for b, x, s in zip(self.bounds, x0, step, strict=True)]
        self._limits["x0"] = [[min(lo, float(x)), max(hi, float(x))]
                              for (lo, hi), x in zip(ranges, x0, strict=True)]


def _variable_names(objective: Objective) -> list[str]:
    from .plot import variable_names

    return variable_names(objective)


def _style(optimizer: Any) -> dict[str, str]:
    try:
        return optimizer_style(optimizer)
    except ValueError:  # a learner's own optimizer class
        return {"color": "#0072B2", "linestyle": "solid"}


class UpdateRuleExplorer(_Explorer):
    """One optimizer (default plain gradient descent ``SGD(lr)``) from ``x0``: sliders for
    the learning rate (log scale), the start and the number of steps, the path on the
    curve (1-D) or the contours (2-D) with its loss beside it.

    State: ``optimizer`` (an instance; the lr slider replaces its ``lr``), ``x0``, ``steps``.
    """

    def __init__(
        self,
        objective: Objective,
        x0: Any,
        lr: float = 0.1,
        steps: int = 10,
        lr_range: tuple[float, float] = (0.01, 1.2),
        *,
        optimizer: Callable[[float], Any] | None = None,
        max_steps: int | None = None,
        bounds: Any = None,
        log: bool | None = None,
    ):
        lr = check_positive("lr", lr)
        lo, hi = (check_positive("lr_range", v) for v in lr_range)
        if not lo < hi:
            raise ValueError(f"lr_range must be (low, high) with 0 < low < high, got {lr_range!r}")
        first = (optimizer or (lambda value: optim.SGD(lr=value)))(lr)
        if not (is_dataclass(first) and hasattr(first, "lr")):
            raise TypeError(f"optimizer must map lr to a gdteach.optim optimizer, got {first!r}")
        super().__init__(objective, x0, steps, bounds, log)
        self.optimizer = first
        self.trajectory: Trajectory | None = None
        # no control starts at the end of its range: every key press moves it
        self._limits["lr"] = [min(lo, lr / 1.2), max(hi, lr * 1.2)]
        self._limits["max_steps"] = max(int(max_steps or 0), 50, 2 * self.steps)
        self._widen_x0(self.x0)
        self._redraw()

    # ---- one method per control: check a value, return the new state (change nothing)
    def _lr(self, value: Any) -> Any:
        return replace(self.optimizer, lr=check_positive("lr", value))

    def _x0(self, value: Any) -> np.ndarray:
        x0 = _x0_array(self.objective, value)
        if x0.size != self.dim:
            raise ValueError(f"x0 must have {self.dim} coordinate(s), got {value!r}")
        return x0

    def _steps(self, value: Any) -> int:
        return check_int("steps", value, minimum=1)

    def update(self, *, lr: float | None = None, x0: Any = None, steps: int | None = None) -> Trajectory:
        """Set any of the controls, redraw once, return the Trajectory on display. Every
        value is checked before anything changes."""
        optimizer = self.optimizer if lr is None else self._lr(lr)
        start = self.x0 if x0 is None else self._x0(x0)
        count = self.steps if steps is None else self._steps(steps)
        self.optimizer, self.x0, self.steps = optimizer, start, count
        self._widen()
        return self._redraw()

    def _apply(self, values: dict[str, Any]) -> None:
        x0 = self._x0_from(values)
        unknown = set(values) - {"lr", "steps"}
        if unknown:
            raise ValueError(f"unknown controls {sorted(unknown)}")
        self.update(x0=x0, **values)

    def _widen(self) -> None:
        """A value set beyond a slider's range widens the range (a slider would clamp it)."""
        lo, hi = self._limits["lr"]
        self._limits["lr"] = [min(lo, self.optimizer.lr), max(hi, self.optimizer.lr)]
        self._limits["max_steps"] = max(self._limits["max_steps"], self.steps)
        self._widen_x0(self.x0)

    def _redraw(self) -> Trajectory:
        start = self.x0[0] if self.dim == 1 else self.x0
        self.trajectory = run(self.objective, start, self.optimizer, self.steps, warn=False)
        self._show()
        return self.trajectory

    def _trajectories(self) -> list[Trajectory]:
        return [self.trajectory]

    def _frame(self) -> dict[str, Any]:
        from .plot import describe

        traj = self.trajectory
        entry = self._run_entry("path", traj, self.optimizer, 1.6)
        entry["arrows"] = self.dim == 1 and traj.steps <= 30
        return {
            **self._left_window([traj]), **self._loss_axis([traj]), "runs": [entry],
            "start": [entry["px"][0], entry["py"][0]],
            "title": f"{short_repr(self.optimizer)}, {self.steps} steps: {describe(traj)}",
            "loss_title": f"Loss per update ({self.steps} steps)",
            "summary": (f"After {traj.steps} steps: x = {_fmt(traj.final_x)}, "
                        f"loss = {_fmt(traj.final_loss)}, stop_reason = {traj.stop_reason!r}"),
            "settings": {"x0": self.x0.tolist(), "steps": self.steps,
                         "optimizers": {"path": repr(self.optimizer)}},
        }

    def _controls(self) -> list[dict[str, Any]]:
        return [
            self._log_slider("lr", "η (lr)", float(self.optimizer.lr), *self._limits["lr"]),
            {"name": "steps", "label": "steps", "kind": "int", "min": 1,
             "max": self._limits["max_steps"], "step": 1, "value": self.steps},
            *self._x0_controls(),
        ]


class OptimizerRaceExplorer(_Explorer):
    """Optimizers of :data:`gdteach.optim.ALL` race from the same start: paths on the
    contours (or the curve, in 1-D) and loss curves side by side.

    State: ``optimizers`` (one instance per name of ``optim.ALL``, kept while it is not in
    the race), ``racing`` (the names drawn), ``tuned`` (the one the sliders edit: its lr;
    momentum or β₁; β₂, α or ρ, whichever it has), ``x0``, ``steps``.
    """

    def __init__(
        self,
        objective: Objective,
        x0: Any,
        steps: int = 100,
        optimizers: Any = None,
        *,
        max_steps: int | None = None,
        lr_range: tuple[float, float] = (1e-5, 10.0),
        log: bool | None = None,
        bounds: Any = None,
    ):
        super().__init__(objective, x0, steps, bounds, log)
        names, instances = _race_optimizers(objective, self.x0, optimizers)
        self.optimizers: dict[str, Any] = instances
        self.racing: tuple[str, ...] = tuple(n for n in optim.ALL if n in names)
        self.tuned: str = names[0]
        self.trajectories: dict[str, Trajectory] = {}
        self._cache: dict[str, tuple[Any, Trajectory]] = {}
        lo, hi = (check_positive("lr_range", v) for v in lr_range)
        lrs = [float(o.lr) for o in instances.values()]
        # no lr at an end of the slider: a key press always moves it
        self._limits["lr"] = [min(lo, *lrs) / 1.2, max(hi, *lrs) * 1.2]
        self._limits["max_steps"] = max(int(max_steps or 0), 200, 2 * self.steps)
        self._limits.update({k: [v[1], v[2]] for k, v in HYPERPARAMETERS.items()})
        self._widen()
        self._redraw()

    # ---- one method per control: check a value, return the new state (change nothing)
    def _racing(self, names: Any) -> tuple[str, ...]:
        chosen, _ = _race_names(list(names) if not isinstance(names, str) else [names])
        return tuple(n for n in optim.ALL if n in chosen)

    def _tune(self, name: Any, racing: tuple[str, ...]) -> str:
        return check_choice("tune", name, racing)

    def _hyperparameters(self, name: str, values: dict[str, Any]) -> Any:
        keys = {"lr", *(k for k in SLIDERS[name] if k)}
        bad = set(values) - keys
        if bad:
            raise ValueError(f"{name} has no slider for {sorted(bad)}; it has {sorted(keys)}")
        if "lr" in values:
            check_positive("lr", values["lr"])
        return _with_settings(self.optimizers[name], values)

    def update(
        self,
        *,
        optimizers: Sequence[str] | None = None,
        tune: str | None = None,
        steps: int | None = None,
        x0: Any = None,
        **values: float,
    ) -> dict[str, Trajectory]:
        """Set the race (``optimizers``), which optimizer to tune (``tune``; default the
        one tuned now, or the first in the race if it left), its ``lr``/``momentum``/
        ``beta1``/``beta2``/``alpha``/``rho``, ``steps`` and the start ``x0``; redraw once and
        return ``{name: Trajectory}``. Every value is checked before anything changes."""
        allowed = {"lr", *HYPERPARAMETERS}
        unknown = set(values) - allowed
        if unknown:
            raise TypeError(f"update() got unknown settings {sorted(unknown)}; use {sorted(allowed)}")
        racing = self.racing if optimizers is None else self._racing(optimizers)
        if tune is None:
            tune = self.tuned if self.tuned in racing else racing[0]
        tuned = self._tune(tune, racing)
        instance = self._hyperparameters(tuned, values) if values else self.optimizers[tuned]
        count = self.steps if steps is None else check_int("steps", steps, minimum=1)
        start = self.x0 if x0 is None else self._start(x0)
        self.racing, self.tuned, self.steps, self.x0 = racing, tuned, count, start
        self.optimizers = {**self.optimizers, tuned: instance}
        self._widen()
        return self._redraw()

    def _start(self, value: Any) -> np.ndarray:
        x0 = _x0_array(self.objective, value)
        if x0.size != self.dim:
            raise ValueError(f"x0 must have {self.dim} coordinate(s), got {value!r}")
        return x0

    def _apply(self, values: dict[str, Any]) -> None:
        x0 = self._x0_from(values)
        settings = {k: values.pop(k) for k in [*HYPERPARAMETERS, "lr"] if k in values}
        self.update(x0=x0, **values, **settings)

    def _widen(self) -> None:
        """Slider ranges widened to hold the tuned optimizer's values."""
        current = self.optimizers[self.tuned]
        for key in ("lr", *(k for k in SLIDERS[self.tuned] if k)):
            value = _setting(current, key)
            lo, hi = self._limits[key]
            self._limits[key] = [min(lo, value), max(hi, value)]
        self._limits["max_steps"] = max(self._limits["max_steps"], self.steps)
        self._widen_x0(self.x0)

    def _redraw(self) -> dict[str, Trajectory]:
        start = self.x0[0] if self.dim == 1 else self.x0
        runs = {}
        for name in self.racing:  # rerun only the optimizers whose settings changed
            key = (self.optimizers[name], self.steps, tuple(self.x0.tolist()))
            cached = self._cache.get(name)
            if cached is None or cached[0] != key:
                cached = (key, run(self.objective, start, self.optimizers[name], self.steps, warn=False))
                self._cache[name] = cached
            runs[name] = cached[1]
        self.trajectories = runs
        self._show()
        return runs

    def _trajectories(self) -> list[Trajectory]:
        return list(self.trajectories.values())

    def _frame(self) -> dict[str, Any]:
        runs = self.trajectories
        entries = [self._run_entry(n, t, self.optimizers[n], 2.8 if n == self.tuned else 1.4)
                   for n, t in runs.items()]
        first = next(iter(runs.values()))
        start = [float(self.x0[0]), float(self.x0[1])] if self.dim == 2 else [
            float(self.x0[0]), float(first.loss[0])]
        summary = "\n".join(
            f"{short_repr(self.optimizers[n])}: final loss {_fmt(t.final_loss)}, {t.stop_reason}"
            for n, t in runs.items())
        return {
            **self._left_window(list(runs.values())), **self._loss_axis(list(runs.values())),
            "runs": entries, "start": start, "title": self.objective.name,
            "loss_title": f"Loss per update ({self.steps} steps)", "summary": summary,
            "settings": {"x0": self.x0.tolist(), "steps": self.steps,
                         "optimizers": {n: repr(self.optimizers[n]) for n in runs}},
        }

    def _controls(self) -> list[dict[str, Any]]:
        current = self.optimizers[self.tuned]
        out: list[dict[str, Any]] = [
            {"name": "optimizers", "label": "race", "kind": "checkboxes",
             "options": list(optim.ALL), "value": list(self.racing)},
            {"name": "tune", "label": "tune", "kind": "select", "options": list(self.racing),
             "value": self.tuned},
            self._log_slider("lr", "η (lr)", float(current.lr), *self._limits["lr"]),
        ]
        for key in SLIDERS[self.tuned]:
            if key:
                label, _, _, step = HYPERPARAMETERS[key]
                lo, hi = self._limits[key]
                out.append({"name": key, "label": label, "kind": "float", "min": lo, "max": hi,
                            "step": step, "value": _setting(current, key)})
        out.append({"name": "steps", "label": "steps", "kind": "int", "min": 1,
                    "max": self._limits["max_steps"], "step": 1, "value": self.steps})
        return out


def _race_names(optimizers: Any) -> tuple[list[str], dict[str, Any]]:
    """The names in a race and, per name, the settings dict or instance it was given."""
    if optimizers is None:
        return ["SGD", "RMSprop", "Adam"], {}
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    given: dict[str, Any] = {}
    if isinstance(optimizers, Mapping):
        for name, value in optimizers.items():
            check_choice("optimizer names", name, list(optim.ALL))
            if not (isinstance(value, Mapping) or type(value).__name__ == name):
                raise TypeError(
                    f"optimizers[{name!r}] must be a dict of settings or a {name} instance, "
                    f"got {value!r}"
                )
            given[name] = value
        names = list(optimizers)
    elif isinstance(optimizers, Sequence):
        names = list(optimizers)
    else:
        raise TypeError(f"optimizers must be a list of names or a dict, got {optimizers!r}")
    for name in names:
        check_choice("optimizer names", name, list(optim.ALL))
    if not names:
        raise ValueError("optimizers must name at least one optimizer")
    return names, given


def _race_optimizers(objective: Objective, x0: np.ndarray, optimizers: Any) -> tuple[list[str], dict[str, Any]]:
    """The race's names and one instance per optimizer of ``optim.ALL``: the instance given,
    or :func:`default_settings` with the settings given."""
    names, given = _race_names(optimizers)
    settings = default_settings(objective, x0)
    instances = {}
    for name in optim.ALL:
        value = given.get(name, {})
        instances[name] = value if not isinstance(value, Mapping) else make_optimizer(
            name, {**settings[name], **value})
    return names, instances


def update_rule_explorer(
    objective: Objective,
    x0: Any,
    lr: float = 0.1,
    steps: int = 10,
    lr_range: tuple[float, float] = (0.01, 1.2),
    **options: Any,
) -> UpdateRuleExplorer:
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


def optimizer_race_explorer(
    objective: Objective,
    x0: Any,
    steps: int = 100,
    optimizers: Any = None,
    **options: Any,
) -> OptimizerRaceExplorer:
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
    (``optimizers`` as there, defaults from :func:`default_settings`), each optimizer in
    its series colour and line style. Returns the Figure.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from gdteach import objectives
    >>> fig = race_figure(objectives.rosenbrock, [-1.5, 2.0], ["SGD", "Adam"], steps=50)
    >>> len(fig.axes)
    2
    """
    from . import plot

    x = _x0_array(objective, x0)
    names, instances = _race_optimizers(objective, x, optimizers)
    runs = {}
    for name in names:
        opt = instances[name]
        runs[short_repr(opt)] = run(objective, x[0] if x.size == 1 else x, opt, steps, warn=False)
    axes = plot.race(runs, objective=objective)
    return axes[0].figure

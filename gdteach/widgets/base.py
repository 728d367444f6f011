"""What every explorer shares: its page view, the messages from the page, and the frames
one key press ahead.

An explorer subclass holds its state (optimizer instances, ``x0``, ``steps``) and says
three things: how a page message changes that state (``_apply``), which runs it shows
(``_trajectories``), and what its frame and controls are (``_frame``, ``_controls``).
The axes' memory (``memory``) and the runs already computed (``runs``, a
:class:`RunCache`) are plain attributes that a copy of the explorer may share.
"""

from __future__ import annotations

import copy
import math
from collections import OrderedDict
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from ..checks import check_int
from ..objectives import Objective
from ..run import Trajectory, run
from . import frames, page, static
from .defaults import plot_window, short_repr, start_point

_ESM = Path(__file__).resolve().parent.parent / "explorer.js"


class View(anywidget.AnyWidget):
    """The page's side: draws ``scene`` (sent once) and each ``frame``; sends control
    changes back as ``{"values": {control: value}, "seq": n}`` messages."""

    _esm = _ESM.read_text(encoding="utf-8")
    scene = traitlets.Dict().tag(sync=True)
    controls = traitlets.List().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)

    def __repr__(self) -> str:
        # the text a notebook stores for readers without a kernel: no memory address, no id
        return "gdteach explorer (drawn in the browser with a live kernel; the static figure shows the same state)"


class RunCache:
    """The last runs computed, keyed by everything a run depends on, so that a control
    that changes one optimizer reruns only that one (at most ``size`` runs kept).

    >>> from gdteach import objectives, optim
    >>> cache = RunCache()
    >>> a = cache.run(objectives.square, np.array([5.0]), optim.SGD(lr=0.1), 3)
    >>> a is cache.run(objectives.square, np.array([5.0]), optim.SGD(lr=0.1), 3)
    True
    """

    def __init__(self, size: int = 64):
        self.size = size
        self._runs: OrderedDict[Any, Trajectory] = OrderedDict()

    def run(self, objective: Objective, x0: np.ndarray, optimizer: Any, steps: int) -> Trajectory:
        key = (optimizer, steps, tuple(x0.tolist()))
        found = self._runs.get(key)
        if found is None:
            found = run(objective, x0[0] if x0.size == 1 else x0, optimizer, steps, warn=False)
            self._runs[key] = found
            if len(self._runs) > self.size:
                self._runs.popitem(last=False)
        self._runs.move_to_end(key)
        return found


class Explorer:
    """The state both explorers share (objective, start, steps, window, loss axis) and
    their page: messages in, frames out. A subclass sets its optimizers and draws."""

    def __init__(self, objective: Objective, x0: Any, steps: int, bounds: Any, log: bool | None):
        if not isinstance(objective, Objective):
            raise TypeError(f"objective must be a gdteach Objective, got {objective!r}")
        self.objective = objective
        self.x0 = start_point(objective, x0)
        self.steps = check_int("steps", steps, minimum=1)
        self.bounds = plot_window(objective, self.x0, bounds)
        self.dim = self.x0.size
        self.log = frames.nonnegative(objective, self.bounds) if log is None else bool(log)
        self.frame: dict[str, Any] = {}
        self.error = ""
        self.memory: dict[str, Any] = {}  # axes' limits kept between frames
        self.runs = RunCache()
        self._limits: dict[str, Any] = {}  # slider ranges
        self._frames = 0
        self._answering = False
        self.view = View()
        self.view.add_class("gdteach-explorer")  # how the browser test finds the explorers
        self.view.scene = {**frames.scene(objective, self.bounds, self.log),
                           "page": page.objective_spec(objective)}
        self.view.on_msg(self._on_message)

    # ---- what a subclass says
    def _apply(self, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def _trajectories(self) -> list[Trajectory]:
        raise NotImplementedError

    def _frame(self) -> dict[str, Any]:
        raise NotImplementedError

    def _controls(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    # ---- display
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget view (JupyterLab, with a kernel) and the same explorer as
        self-contained HTML (an HTML export, a slide deck, the site: no kernel)."""
        bundle = self.view._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            state = {"scene": self.view.scene, "controls": self.view.controls,
                     "frame": self.view.frame}
            data["text/html"] = static.static_html(state, View._esm)
        return bundle

    def figure(self) -> Any:
        """A static matplotlib figure of what the explorer shows now (paths and losses),
        for a notebook read without a kernel. Returns the Figure."""
        from .previews import state_figure

        return state_figure(self.objective, self._trajectories())

    # ---- the page
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

    # ---- one key press ahead: frames for the values next to each control's
    def _send_previews(self) -> None:
        self.view.send({"previews": self._previews(), "count": self._frames})

    def _previews(self) -> dict[str, list[dict[str, Any]]]:
        """``{control: [{"value": v, "frame": frame}, …]}`` for every value one key press from
        the present one (a slider step either way, another option, one box ticked or cleared,
        the start moved by a fiftieth of the window): computed now, so the page draws the
        next frame the moment a key is pressed. A frame's runs that do not change are
        ``{"same": True}``."""
        out: dict[str, list[dict[str, Any]]] = {}
        for name, value in self._next_values():
            frame = self._preview(name, value)
            if frame is not None:
                out.setdefault(name, []).append({"value": value, "frame": frame})
        return out

    def _next_values(self) -> list[tuple[str, Any]]:
        out = [pair for spec in self._controls() for pair in _values_next_to(spec)]
        window = self.bounds if self.dim == 2 else np.array([self.frame["xlim"]])
        for axis in range(self.dim):  # the arrow keys on the start point
            for sign in (-1.0, 1.0):
                start = self.x0.copy()
                start[axis] += sign * (window[axis, 1] - window[axis, 0]) / 50
                out.append(("x0", start.tolist()))
        return out

    def _preview(self, name: str, value: Any) -> dict[str, Any] | None:
        """The frame the explorer would show with control ``name`` at ``value`` (a twin is
        changed; this explorer is not), or None if the value is refused. The twin shares
        the run cache (keyed by every input of a run, so sharing is safe)."""
        twin = copy.copy(self)
        twin._limits = copy.deepcopy(self._limits)
        twin._answering = True  # the twin sends nothing
        try:
            twin._apply({name: value})
        except (TypeError, ValueError):
            return None
        frame = {**twin._frame(), "controls": twin._controls()}
        now = {r["name"]: r for r in self.frame["runs"]}
        frame["runs"] = [{"name": r["name"], "same": True} if now.get(r["name"]) == r else r
                         for r in frame["runs"]]
        if frame["xlim"] == self.frame["xlim"]:
            frame["curve"] = None  # the page keeps the curve it has
        return frame

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

    # ---- frame parts that need the axes' memory
    def _axes(self, runs: list[Trajectory]) -> dict[str, Any]:
        """The left window and the loss axis for ``runs``; the axes' memory is updated."""
        left, self.memory = frames.left_window(self.objective, self.bounds, runs, self.x0, self.memory)
        right, self.memory = frames.loss_axis(runs, self.steps, self.log, self.memory)
        return {**left, **right}

    def _entry(self, name: str, traj: Trajectory, optimizer: Any, width: float) -> dict[str, Any]:
        return {**frames.run_entry(name, traj, optimizer, width, dim=self.dim, log=self.log),
                "rule": page.optimizer_spec(optimizer), "short": short_repr(optimizer)}

    # ---- control descriptions for the page
    @staticmethod
    def _log_slider(name: str, label: str, value: float, lo: float, hi: float) -> dict[str, Any]:
        a, b = math.log10(lo), math.log10(hi)
        return {"name": name, "label": label, "kind": "log", "min": a, "max": b,
                "step": (b - a) / 200, "value": value}

    def _x0_controls(self) -> list[dict[str, Any]]:
        names = frames.axis_names(self.objective, self.dim)
        return [{"name": f"x0[{i}]", "label": f"start {names[i]}", "kind": "float",
                 "min": lo, "max": hi, "step": (hi - lo) / 200, "value": float(self.x0[i])}
                for i, (lo, hi) in enumerate(self._limits["x0"])]

    def _widen_x0(self, x0: np.ndarray) -> None:
        """The start sliders' ranges: the plot window, widened to hold ``x0``."""
        ranges = self._limits.get("x0")
        if ranges is None:
            step = (self.bounds[:, 1] - self.bounds[:, 0]) / 200
            ranges = [[float(min(b[0], x - 10 * s)), float(max(b[1], x + 10 * s))]
                      for b, x, s in zip(self.bounds, x0, step, strict=True)]
        self._limits["x0"] = [[min(lo, float(x)), max(hi, float(x))]
                              for (lo, hi), x in zip(ranges, x0, strict=True)]


def _values_next_to(spec: dict[str, Any]) -> list[tuple[str, Any]]:
    """The values one key press from a control's present value: a slider step either
    way (inside its range), every other option, one box ticked or cleared (never the
    last one)."""
    kind, name = spec["kind"], spec["name"]
    out: list[tuple[str, Any]] = []
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
    elif kind == "checkboxes":
        chosen = set(spec["value"])
        for option in spec["options"]:
            toggled = [o for o in spec["options"] if (o in chosen) != (o == option)]
            if toggled:
                out.append((name, toggled))
    return out

"""The series' one palette: every figure and explorer draws an optimizer in the same colour
and line style.

The colours are Okabe and Ito's colour-blind-safe set ("Color Universal Design", 2008), so
no two optimizers are told apart by red against green alone; the line styles tell them apart
in grey-scale print too. This module needs no matplotlib: the explorers drawn in the browser
read the same table.

>>> optimizer_style("Adam")
{'color': '#000000', 'linestyle': 'solid'}
>>> optimizer_style("SGD, momentum 0.9")["color"] == optimizer_style("momentum")["color"]
True
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "OKABE_ITO", "OPTIMIZER_STYLES", "optimizer_style", "SERIES", "INK", "MARKS", "CMAPS",
    "lr_ramp", "lr_color", "SCHEDULE_STYLES", "schedule_style",
]

#: Okabe–Ito: black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#7F7F7F",
}

#: One colour and one line style per optimizer, in every figure of every notebook.
OPTIMIZER_STYLES: dict[str, dict[str, str]] = {
    "SGD": {"color": OKABE_ITO["blue"], "linestyle": "solid"},           # plain gradient descent
    "momentum": {"color": OKABE_ITO["vermillion"], "linestyle": "dashed"},
    "Nesterov": {"color": OKABE_ITO["reddish purple"], "linestyle": "dashdot"},
    "Adagrad": {"color": OKABE_ITO["bluish green"], "linestyle": "dotted"},
    "RMSprop": {"color": OKABE_ITO["orange"], "linestyle": "solid"},
    "Adadelta": {"color": OKABE_ITO["sky blue"], "linestyle": "dashed"},
    "Adam": {"color": OKABE_ITO["black"], "linestyle": "solid"},
    "AdamW": {"color": OKABE_ITO["grey"], "linestyle": "dashdot"},
    "Adamax": {"color": OKABE_ITO["grey"], "linestyle": "dotted"},
    "NAdam": {"color": OKABE_ITO["reddish purple"], "linestyle": "dashed"},
}

#: Colours for things that are not optimizers (in the order a figure with several runs uses them).
SERIES = (
    OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["bluish green"], OKABE_ITO["orange"],
    OKABE_ITO["reddish purple"], OKABE_ITO["sky blue"], OKABE_ITO["black"], OKABE_ITO["grey"],
)


#: Greys for what carries no run: the objective's curve, reference lines, edges, backgrounds.
INK = {
    "text": "#000000",
    "curve": "#595959",      # the objective drawn under the iterates
    "reference": "#666666",  # guide lines: a minimum's level, 2/λ, a target
    "light": "#BFBFBF",      # a run shown for comparison only, hatching, never-settles cells
    "fill": "#D1D1D1",       # the divergent region of a map
    "edge": "#FFFFFF",       # marker edges and label boxes
}

#: Marks with one meaning in every figure (each also has its own marker shape).
MARKS = {
    "minimum": OKABE_ITO["yellow"],     # a star, edged in black
    "diverged": OKABE_ITO["vermillion"],  # an "x" where a run leaves the frame
    "best": OKABE_ITO["bluish green"],  # a ring round the best value of a sweep
    "tangent": OKABE_ITO["orange"],
    "function": OKABE_ITO["blue"],
}

#: Colour maps (perceptually uniform, colour-blind-safe): heights, rates, signed heights.
CMAPS = {"height": "cividis", "rate": "viridis", "signed": "PuOr_r", "time": "cividis", "quiet": "Greys"}

#: the learning-rate ramp: light (small η) to dark (large η), one hue (Okabe–Ito blue's family)
_LR_RAMP = ("#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#08519C", "#08306B")


def lr_ramp(lrs: Any) -> dict[float, str]:
    """One colour per learning rate on a single sequential ramp, lighter for smaller η, so a
    rate reads the same (by its place in the order) in every figure of a section.

    >>> ramp = lr_ramp([0.1, 0.01, 1.0])
    >>> ramp[0.01], ramp[0.1], ramp[1.0]     # light to dark
    ('#9ECAE1', '#4292C6', '#08306B')
    >>> list(lr_ramp([0.5]).values())
    ['#2171B5']
    """
    rates = sorted({float(v) for v in lrs})
    n = len(rates)
    if n == 1:
        return {rates[0]: _LR_RAMP[3]}
    last = len(_LR_RAMP) - 1
    return {lr: _LR_RAMP[round(i * last / (n - 1))] if n <= len(_LR_RAMP) else _ramp_hex(i / (n - 1))
            for i, lr in enumerate(rates)}


def lr_color(lr: float, lo: float = 1e-4, hi: float = 10.0) -> str:
    """The colour of a learning rate on the ramp by its place on a log scale from ``lo`` (lightest)
    to ``hi`` (darkest): the same rate has the same colour in every figure of the series.

    >>> lr_color(1e-4), lr_color(10.0), lr_color(1e6) == lr_color(10.0)
    ('#9ECAE1', '#08306B', True)
    """
    import math

    if not (isinstance(lr, (int, float)) and not isinstance(lr, bool) and lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    t = (math.log10(lr) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    t = min(1.0, max(0.0, t)) * (len(_LR_RAMP) - 1)
    k = min(int(t), len(_LR_RAMP) - 2)
    a, b = _LR_RAMP[k], _LR_RAMP[k + 1]
    mix = [round(int(a[i:i + 2], 16) * (k + 1 - t) + int(b[i:i + 2], 16) * (t - k)) for i in (1, 3, 5)]
    return "#" + "".join(f"{v:02X}" for v in mix)


def _ramp_hex(t: float) -> str:
    """A colour between the ramp's ends (for more rates than it has steps)."""
    lo, hi = _LR_RAMP[0], _LR_RAMP[-1]
    mix = [round(int(lo[k:k + 2], 16) * (1 - t) + int(hi[k:k + 2], 16) * t) for k in (1, 3, 5)]
    return "#" + "".join(f"{v:02X}" for v in mix)


#: Each learning-rate schedule in one colour and line style, in every figure.
SCHEDULE_STYLES: dict[str, dict[str, str]] = {
    "constant": {"color": OKABE_ITO["blue"], "linestyle": "solid", "marker": "o"},
    "step": {"color": OKABE_ITO["orange"], "linestyle": "dashed", "marker": "s"},
    "exponential": {"color": OKABE_ITO["bluish green"], "linestyle": "dashdot", "marker": "^"},
    "inverse time": {"color": OKABE_ITO["reddish purple"], "linestyle": "dotted", "marker": "v"},
    "cosine": {"color": OKABE_ITO["sky blue"], "linestyle": (0, (5, 1, 1, 1)), "marker": "D"},
    "warm-up": {"color": OKABE_ITO["vermillion"], "linestyle": (0, (1, 1)), "marker": "P"},
}


def schedule_style(name: str) -> dict[str, Any]:
    """The colour, line style and marker of a schedule, by a label that names it
    ("step decay ×0.5 every 10" → step).

    >>> schedule_style("Exponential decay")["marker"]
    '^'
    """
    low = name.lower()
    for key in ("warm", "cosine", "inverse", "1/t", "exponential", "step", "constant"):
        if key in low:
            full = {"warm": "warm-up", "inverse": "inverse time", "1/t": "inverse time"}.get(key, key)
            return dict(SCHEDULE_STYLES[full])
    raise ValueError(f"schedule_style: {name!r} names no schedule ({', '.join(SCHEDULE_STYLES)})")


def _key(name: str) -> str | None:
    low = name.lower()
    if "nesterov" in low:
        return "Nesterov"
    if "nadam" in low:
        return "NAdam"
    if "adamw" in low:
        return "AdamW"
    if "adamax" in low:
        return "Adamax"
    if "adadelta" in low:
        return "Adadelta"
    if "adagrad" in low:
        return "Adagrad"
    if "rmsprop" in low:
        return "RMSprop"
    if "adam" in low:
        return "Adam"
    if "momentum" in low:
        return "momentum"
    if "sgd" in low or "gradient descent" in low or low.startswith("gd"):
        return "SGD"
    return None


def optimizer_style(optimizer: Any) -> dict[str, str]:
    """The colour and line style of an optimizer, by instance or by a label naming it.

    An ``optim.SGD`` with ``momentum > 0`` is drawn as "momentum" (as "Nesterov" when
    ``nesterov=True``); a label is matched by the optimizer name it contains
    ("Adam, lr 0.05" → Adam). Raises ``ValueError`` for a label that names no optimizer.

    >>> from gdteach import optim
    >>> optimizer_style(optim.SGD(lr=0.1, momentum=0.9, nesterov=True))["linestyle"]
    'dashdot'
    """
    if isinstance(optimizer, str):
        key = _key(optimizer)
        if key is None:
            raise ValueError(f"optimizer_style: {optimizer!r} names no optimizer of gdteach.optim")
        return dict(OPTIMIZER_STYLES[key])
    name = type(optimizer).__name__
    if name == "SGD" and getattr(optimizer, "momentum", 0):
        name = "Nesterov" if getattr(optimizer, "nesterov", False) else "momentum"
    if name not in OPTIMIZER_STYLES:
        raise ValueError(f"optimizer_style: no style for {type(optimizer).__name__}")
    return dict(OPTIMIZER_STYLES[name])

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

__all__ = ["OKABE_ITO", "OPTIMIZER_STYLES", "optimizer_style", "SERIES"]

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

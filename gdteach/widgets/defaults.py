"""The explorers' one set of defaults and their one start-point check.

Everything an explorer starts from lives here: which sliders each optimizer has, their
ranges, the learning-rate ranges and step-slider ends, the race's starting optimizers
(:func:`default_settings`), and how a slider setting becomes an optimizer instance.
Nothing here draws or talks to a page.

>>> from gdteach import objectives
>>> start_point(objectives.rosenbrock, [-1.5, 2.0]).tolist()
[-1.5, 2.0]
>>> make_optimizer("Adam", {"lr": 0.1, "beta1": 0.8})
Adam(lr=0.1, betas=(0.8, 0.999))
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

import numpy as np

from .. import optim
from ..checks import check_choice, check_finite_array, check_number
from ..objectives import Objective, largest_curvature
from ..style import optimizer_style

__all__ = [
    "SLIDERS",
    "HYPERPARAMETERS",
    "UPDATE_RULE",
    "RACE",
    "start_point",
    "plot_window",
    "default_settings",
    "make_optimizer",
    "with_settings",
    "setting",
    "short_repr",
    "optimizer_colors",
    "run_style",
    "race_names",
    "race_optimizers",
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

#: the update-rule explorer's defaults: lr, steps, the lr slider's range, the steps
#: slider's least end
UPDATE_RULE = {"lr": 0.1, "steps": 10, "lr_range": (0.01, 1.2), "min_max_steps": 50}

#: the race explorer's defaults: steps, the optimizers raced, the lr slider's range, the
#: steps slider's least end
RACE = {"steps": 100, "optimizers": ("SGD", "RMSprop", "Adam"), "lr_range": (1e-5, 10.0),
        "min_max_steps": 200}

#: the colour of a learner's own optimizer class (not in the series' table)
_OWN_OPTIMIZER = "SGD"


def start_point(objective: Objective, x0: Any, dim: int | None = None) -> np.ndarray:
    """The one start-point check of the explorers: ``x0`` as a 1-D float array of 1 or 2
    finite coordinates that ``objective`` accepts (``dim`` of them when given).

    >>> from gdteach import objectives
    >>> start_point(objectives.square, 5.0).tolist()
    [5.0]
    >>> start_point(objectives.square, [1.0, 2.0])
    Traceback (most recent call last):
    ...
    ValueError: x0 must have 1 parameter(s) on its last axis for θ², got shape (2,)
    """
    array = np.atleast_1d(check_finite_array("x0", x0))
    if array.ndim != 1:
        raise ValueError(f"x0 must be one starting point (a number or a 1-D array), got {x0!r}")
    objective.check_x(array, "x0")
    if array.size not in (1, 2):
        raise ValueError(f"the explorers draw 1-D or 2-D objectives; x0 has {array.size} parameters")
    if dim is not None and array.size != dim:
        raise ValueError(f"x0 must have {dim} coordinate(s), got {x0!r}")
    return array


def plot_window(objective: Objective, x0: np.ndarray, bounds: Any = None) -> np.ndarray:
    """The plot window, one (low, high) row per parameter: ``bounds``, else the
    objective's, else x0 ± 5.

    >>> from gdteach import objectives
    >>> plot_window(objectives.square, np.array([1.0])).tolist()
    [[-6.0, 6.0]]
    """
    for candidate in (bounds, objective.bounds):
        if candidate is not None:
            b = np.asarray(candidate, dtype=float).reshape(-1, 2)
            if b.shape[0] != x0.size or not np.all(b[:, 0] < b[:, 1]):
                raise ValueError(f"bounds must be one (low, high) per parameter, got {candidate!r}")
            return b
    return np.stack([x0 - 5.0, x0 + 5.0], axis=1)


def nice(value: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``value``: 0.37 → 0.2, 0.08 → 0.05.

    >>> nice(0.37), nice(0.08), nice(-1.0)
    (0.2, 0.05, 0.01)
    """
    if not (math.isfinite(value) and value > 0):
        return 0.01
    exponent = math.floor(math.log10(value))
    for mantissa in (5.0, 2.0, 1.0):
        candidate = mantissa * 10.0**exponent
        if candidate <= value * (1 + 1e-12):
            return float(f"{candidate:.12g}")
    return float(f"{10.0**exponent:.12g}")


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
    x = start_point(objective, x0)
    points = [x]
    if objective.minimum is not None:
        points.append(np.asarray(objective.minimum, dtype=float).reshape(x.shape))
    curvature = max(largest_curvature(objective, p) for p in points)
    width = float(np.mean(np.diff(plot_window(objective, x), axis=1)))
    sgd_lr = nice(0.5 / curvature) if curvature > 0 else nice(0.01 * width)
    adaptive = nice(0.02 * width)
    return {
        "SGD": {"lr": sgd_lr, "momentum": 0.0},
        "Adagrad": {"lr": nice(0.1 * width)},
        "RMSprop": {"lr": nice(0.01 * width), "momentum": 0.0, "alpha": 0.99},
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
    return with_settings(optim.ALL[check_choice("name", name, list(optim.ALL))](), settings)


def with_settings(optimizer: Any, settings: Mapping[str, Any]) -> Any:
    """``optimizer`` with slider settings changed (:func:`dataclasses.replace`, so every
    other field — nesterov, weight_decay, eps … — is kept); the optimizer checks them.

    >>> with_settings(optim.SGD(lr=0.1, nesterov=True, momentum=0.9), {"momentum": 0.5})
    SGD(lr=0.1, momentum=0.5, nesterov=True)
    """
    changes = {k: check_number(k, v) for k, v in settings.items() if k not in ("beta1", "beta2")}
    if "beta1" in settings or "beta2" in settings:
        beta1, beta2 = optimizer.betas
        changes["betas"] = (check_number("beta1", settings.get("beta1", beta1)),
                            check_number("beta2", settings.get("beta2", beta2)))
    return replace(optimizer, **changes)


def setting(optimizer: Any, key: str) -> float:
    """One slider's value read from an optimizer instance.

    >>> setting(optim.Adam(betas=(0.8, 0.99)), "beta2")
    0.99
    """
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


def run_style(optimizer: Any) -> dict[str, str]:
    """The colour and line style of a run by ``optimizer``: the series' table, and
    plain gradient descent's for a learner's own optimizer class.

    >>> run_style(optim.Adam())["color"]
    '#000000'
    """
    try:
        return optimizer_style(optimizer)
    except ValueError:  # a learner's own optimizer class
        return optimizer_style(_OWN_OPTIMIZER)


def race_names(optimizers: Any) -> tuple[list[str], dict[str, Any]]:
    """The names in a race and, per name, the settings dict or instance it was given.

    >>> race_names({"Adam": {"lr": 0.1}})
    (['Adam'], {'Adam': {'lr': 0.1}})
    """
    if optimizers is None:
        return list(RACE["optimizers"]), {}
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


def race_optimizers(objective: Objective, x0: np.ndarray, optimizers: Any) -> tuple[list[str], dict[str, Any]]:
    """The race's names and one instance per optimizer of ``optim.ALL``: the instance given,
    or :func:`default_settings` with the settings given.

    >>> from gdteach import objectives
    >>> names, instances = race_optimizers(objectives.rosenbrock, np.array([-1.5, 2.0]), ["Adam"])
    >>> names, instances["Adam"]
    (['Adam'], Adam(lr=0.05))
    """
    names, given = race_names(optimizers)
    settings = default_settings(objective, x0)
    instances = {}
    for name in optim.ALL:
        value = given.get(name, {})
        instances[name] = value if not isinstance(value, Mapping) else make_optimizer(
            name, {**settings[name], **value})
    return names, instances

"""What the page can compute itself: the built-in objectives, the update rules and the
schedules described as plain JSON for ``explorer.js``, which has the same maths.

An objective is described only when it is one of :mod:`gdteach.objectives`' built-ins
(``square``, ``shifted_square``, ``quadratic``, ``rosenbrock``/``make_rosenbrock``,
``x_cos``), and only after the description is checked: the objective the description
rebuilds must give the same loss and gradient, bit for bit, at a few points of the
window. Anything else (a learner's own Python function) is ``None``: the page then asks
the kernel for every run, and says so.

>>> from gdteach import objectives, optim, schedules
>>> objective_spec(objectives.quadratic([0.1, 2.0]))
{'kind': 'quadratic', 'c': [0.1, 2.0]}
>>> optimizer_spec(optim.SGD(lr=schedules.step_decay(0.1, 0.5, 10), momentum=0.9))["lr"]
{'kind': 'step_decay', 'lr0': 0.1, 'factor': 0.5, 'every': 10}
>>> optimizer_spec(optim.SGD(lr=lambda t: 0.1)) is None
True
"""

from __future__ import annotations

import inspect
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np

from .. import objectives, optim, schedules
from ..objectives import Objective

__all__ = ["objective_spec", "optimizer_spec", "schedule_spec", "rebuild"]

#: the schedules explorer.js computes, by class name
SCHEDULES = ("constant", "step_decay", "exponential_decay", "inverse_time_decay", "cosine",
             "linear_warmup")


def _closure(fn: Any) -> dict[str, Any]:
    try:
        return dict(inspect.getclosurevars(fn).nonlocals)
    except (TypeError, ValueError):
        return {}


def _recognise(objective: Objective) -> dict[str, Any] | None:
    """A description of a built-in objective from its function's name and closure."""
    if objective is objectives.square:
        return {"kind": "square"}
    fn = objective.fn
    where = getattr(fn, "__qualname__", "")
    values = _closure(fn)
    if where.startswith("shifted_square.") and "c" in values:
        return {"kind": "shifted_square", "c": float(values["c"])}
    if where.startswith("quadratic.") and "c" in values:
        return {"kind": "quadratic", "c": np.asarray(values["c"], dtype=float).tolist()}
    if where.startswith("_rosenbrock_fn.") and {"a", "b"} <= set(values):
        return {"kind": "rosenbrock", "a": float(values["a"]), "b": float(values["b"])}
    if where.startswith("x_cos.") and "c" in values:
        return {"kind": "x_cos", "c": float(values["c"])}
    return None


def rebuild(spec: dict[str, Any]) -> Objective:
    """The built-in objective a description names.

    >>> rebuild({"kind": "rosenbrock", "a": 1.0, "b": 100.0}).name
    'Rosenbrock'
    """
    kind = spec["kind"]
    if kind == "square":
        return objectives.square
    if kind == "rosenbrock":
        return objectives.make_rosenbrock(spec["a"], spec["b"])
    return {"shifted_square": objectives.shifted_square, "quadratic": objectives.quadratic,
            "x_cos": objectives.x_cos}[kind](spec["c"])


def objective_spec(objective: Objective) -> dict[str, Any] | None:
    """The page's description of ``objective``, or None when the page cannot compute it
    (then every run comes from the kernel). Checked: the rebuilt objective gives the same
    loss and gradient as ``objective`` at 16 points of its window."""
    spec = _recognise(objective)
    if spec is None or objective.n_samples is not None:
        return None
    twin = rebuild(spec)
    dim = twin.dim or 1
    if objective.dim not in (None, dim):
        return None
    points = np.random.default_rng(0).uniform(-3.0, 3.0, size=(16, dim))
    with np.errstate(all="ignore"):
        same = (np.array_equal(objective.fn(points), twin.fn(points), equal_nan=True)
                and np.array_equal(objective.grad_fn(points), twin.grad_fn(points), equal_nan=True))
    return spec if same else None


def schedule_spec(lr: Any) -> dict[str, Any] | float | None:
    """A learning rate for the page: a number, a schedule of :mod:`gdteach.schedules`
    as ``{"kind": name, **fields}``, or None (a schedule the page does not know)."""
    if not callable(lr):
        return float(lr)
    name = type(lr).__name__
    if name not in SCHEDULES or getattr(schedules, name, None) is not type(lr):
        return None
    out: dict[str, Any] = {"kind": name}
    for f in fields(lr):
        value = getattr(lr, f.name)
        if f.name == "after":
            value = None if value is None else schedule_spec(value)
            if value is None and lr.after is not None:
                return None
        out[f.name] = value
    return out


def optimizer_spec(optimizer: Any) -> dict[str, Any] | None:
    """An optimizer of :data:`gdteach.optim.ALL` as ``{"kind": name, **fields}`` (betas
    as a list), or None when the page cannot compute it (a learner's own class, or a
    schedule it does not know)."""
    name = type(optimizer).__name__
    if optim.ALL.get(name) is not type(optimizer) or not is_dataclass(optimizer):
        return None
    out: dict[str, Any] = {"kind": name}
    for f in fields(optimizer):
        value = getattr(optimizer, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    out["lr"] = schedule_spec(optimizer.lr)
    return None if out["lr"] is None else out

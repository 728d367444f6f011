"""Learning-rate schedules: pure functions from the step number to a learning rate.

A schedule is any callable ``step -> lr`` where ``step`` counts updates from 0.
Pass one as an optimizer's ``lr``::

    SGD(lr=step_decay(0.1, factor=0.1, every=10))

Each schedule here is a small frozen dataclass, so it prints its settings and can be
compared and reused; calling it is a pure function of the step.

>>> s = step_decay(0.1, factor=0.1, every=10)
>>> [round(s(t), 6) for t in (0, 9, 10, 19, 20)]
[0.1, 0.1, 0.01, 0.01, 0.001]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .checks import check_int, check_nonnegative, check_positive

__all__ = [
    "constant",
    "step_decay",
    "exponential_decay",
    "inverse_time_decay",
    "cosine",
    "linear_warmup",
]


def _step(step: int) -> int:
    return check_int("step", step, minimum=0)


@dataclass(frozen=True)
class constant:  # noqa: N801 - reads like a function at the call site
    """The same learning rate at every step: ``lr(t) = lr0``.

    >>> constant(0.1)(1000)
    0.1
    """

    lr0: float

    def __post_init__(self) -> None:
        check_positive("lr0", self.lr0)

    def __call__(self, step: int) -> float:
        _step(step)
        return float(self.lr0)


@dataclass(frozen=True)
class step_decay:  # noqa: N801
    """Multiply the rate by ``factor`` every ``every`` steps (or epochs):
    ``lr(t) = lr0 · factor^⌊t / every⌋``, torch's ``StepLR(step_size=every, gamma=factor)``.

    The floor matters: without it (``lr0 · 0.1^(t/10)``, as one article prints it)
    the rate decays smoothly instead of in steps.

    >>> [round(step_decay(0.1, 0.1, 10)(t), 6) for t in (5, 15, 25)]
    [0.1, 0.01, 0.001]
    """

    lr0: float
    factor: float = 0.1
    every: int = 10

    def __post_init__(self) -> None:
        check_positive("lr0", self.lr0)
        check_positive("factor", self.factor)
        check_int("every", self.every, minimum=1)

    def __call__(self, step: int) -> float:
        return self.lr0 * self.factor ** (_step(step) // self.every)


@dataclass(frozen=True)
class _DecayFromLr0:
    """What a decay law of rate ``k`` from ``lr0`` holds and checks."""

    lr0: float
    k: float

    def __post_init__(self) -> None:
        check_positive("lr0", self.lr0)
        check_nonnegative("k", self.k)


@dataclass(frozen=True)
class exponential_decay(_DecayFromLr0):  # noqa: N801
    """Smooth exponential decay: ``lr(t) = lr0 · e^(−k t)``.

    >>> round(exponential_decay(0.1, k=0.1)(10), 6)   # 0.1 / e
    0.036788
    """

    def __call__(self, step: int) -> float:
        return self.lr0 * math.exp(-self.k * _step(step))


@dataclass(frozen=True)
class inverse_time_decay(_DecayFromLr0):  # noqa: N801
    """1/t decay: ``lr(t) = lr0 / (1 + k t)`` (the same law as Adagrad's ``lr_decay``).

    >>> inverse_time_decay(0.1, k=1.0)(9)
    0.01
    """

    def __call__(self, step: int) -> float:
        return self.lr0 / (1 + self.k * _step(step))


@dataclass(frozen=True)
class cosine:  # noqa: N801
    """Cosine annealing from ``lr0`` to ``lr_min`` over ``total_steps`` steps, then flat:
    ``lr(t) = lr_min + ½ (lr0 − lr_min)(1 + cos(π · min(t, T) / T))``
    (torch's ``CosineAnnealingLR(T_max=T, eta_min=lr_min)`` for t ≤ T).

    >>> s = cosine(0.1, total_steps=100)
    >>> s(0), round(s(50), 6), s(100)
    (0.1, 0.05, 0.0)
    """

    lr0: float
    total_steps: int
    lr_min: float = 0.0

    def __post_init__(self) -> None:
        check_positive("lr0", self.lr0)
        check_nonnegative("lr_min", self.lr_min)
        check_int("total_steps", self.total_steps, minimum=1)

    def __call__(self, step: int) -> float:
        t = min(_step(step), self.total_steps)
        cos = math.cos(math.pi * t / self.total_steps)
        return self.lr_min + 0.5 * (self.lr0 - self.lr_min) * (1 + cos)


@dataclass(frozen=True)
class linear_warmup:  # noqa: N801
    """Ramp linearly up to ``lr0`` over ``warmup_steps`` steps, then follow ``after``:
    ``lr(t) = lr0 · (t + 1) / W`` for t < W, then ``after(t − W)`` (or ``lr0``).

    >>> s = linear_warmup(0.1, warmup_steps=4)
    >>> [round(s(t), 6) for t in range(6)]
    [0.025, 0.05, 0.075, 0.1, 0.1, 0.1]
    """

    lr0: float
    warmup_steps: int
    after: Callable[[int], float] | None = None

    def __post_init__(self) -> None:
        check_positive("lr0", self.lr0)
        check_int("warmup_steps", self.warmup_steps, minimum=1)
        if self.after is not None and not callable(self.after):
            raise TypeError(f"after must be a schedule (step -> lr) or None, got {self.after!r}")

    def __call__(self, step: int) -> float:
        t = _step(step)
        if t < self.warmup_steps:
            return self.lr0 * (t + 1) / self.warmup_steps
        return self.after(t - self.warmup_steps) if self.after else float(self.lr0)

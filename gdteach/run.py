"""The runner: apply an update rule to an objective and record every step.

>>> from gdteach import objectives, optim
>>> traj = run(objectives.square, 5.0, optim.SGD(lr=0.1), steps=3)
>>> traj.x.round(4).tolist()
[5.0, 4.0, 3.2, 2.56]
>>> traj.stop_reason
'max_steps'
"""

from __future__ import annotations

import itertools
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .checks import check_finite_array, check_flag, check_int, check_nonnegative, is_number
from .objectives import Objective

__all__ = [
    "run", "compare", "sweep", "Trajectory", "DivergenceWarning", "STOP_REASONS",
    "first_step", "after_steps", "Optimizer", "batches", "epoch_order", "make_rng",
]

STOP_REASONS = ("max_steps", "converged", "diverged")


class DivergenceWarning(RuntimeWarning):
    """A run produced a non-finite loss or parameter and was stopped."""


@dataclass(frozen=True, eq=False)
class Trajectory:
    """Everything a run did, step by step.

    Attributes
    ----------
    x : array, shape (k + 1, ..., d) — or (k + 1,) when x0 was a plain number
        The iterates; ``x[0]`` is the starting point, ``x[i]`` the point after update i.
    loss : array, shape (k + 1, ...)
        The (full-data) loss at each iterate.
    grad : array, shape (k, ..., d) — or (k,)
        The gradient used by update i (a mini-batch gradient when batching).
    lr : array, shape (k,)
        The learning rate used by update i.
    epoch : array, shape (k,)
        The pass over the data that update i belongs to (all 0 without batching).
    stop_reason : str
        ``"max_steps"``, ``"converged"`` (tol or patience met) or ``"diverged"``.
    diverged : bool array, shape (...)
        Which starting points produced a non-finite loss or parameter.
    """

    x: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    lr: np.ndarray
    epoch: np.ndarray
    stop_reason: str
    diverged: np.ndarray
    objective: Objective
    optimizer: Any

    @property
    def steps(self) -> int:
        """How many updates were taken."""
        return len(self.lr)

    @property
    def final_x(self) -> np.ndarray:
        return self.x[-1]

    @property
    def final_loss(self) -> Any:
        return self.loss[-1]

    @property
    def updates(self) -> np.ndarray:
        """The change each update made: ``x[i + 1] − x[i]``."""
        return np.diff(self.x, axis=0)

    @property
    def grad_norm(self) -> np.ndarray:
        """‖∇L‖ of each update's gradient."""
        return np.abs(self.grad) if self.grad.ndim == 1 else np.linalg.norm(self.grad, axis=-1)

    @property
    def update_ratio(self) -> np.ndarray:
        """‖Δθ‖ / ‖θ‖ per update, the monitoring ratio the articles suggest (~1e-3)."""
        if self.x.ndim == 1:
            return np.abs(self.updates) / np.abs(self.x[:-1])
        return np.linalg.norm(self.updates, axis=-1) / np.linalg.norm(self.x[:-1], axis=-1)

    def __repr__(self) -> str:
        with np.printoptions(precision=6, suppress=True):
            return (
                f"Trajectory({self.optimizer!r} on {self.objective.name}: {self.steps} steps, "
                f"stop_reason={self.stop_reason!r}, final x={np.asarray(self.final_x)}, "
                f"final loss={np.asarray(self.final_loss)})"
            )


# --------------------------------------------------------------------------- "the first step where"


def first_step(condition: Any, *, for_good: bool = False) -> int | None:
    """The first step at which ``condition`` holds, or ``None`` if it never does.

    ``condition`` is a 1-D boolean array indexed by step (index 0 is the start, index k the
    point after update k). With ``for_good=True`` it is the first step from which the
    condition holds at every later step. Unlike ``np.argmax(mask)``, which returns 0 when
    nothing holds, this says *never* (``None``); :func:`after_steps` turns it into words.

    >>> import numpy as np
    >>> first_step(np.array([5.0, 3.0, 1.0, 0.5]) < 2)
    2
    >>> first_step(np.array([5.0, 3.0]) < 2) is None
    True
    >>> first_step(np.array([True, False, True, True]), for_good=True)
    2
    """
    mask = np.asarray(condition)
    if mask.ndim != 1 or mask.dtype != bool:
        raise ValueError(
            f"condition must be a 1-D boolean array (one entry per step), got dtype "
            f"{mask.dtype} and shape {mask.shape}"
        )
    if for_good:
        bad = np.flatnonzero(~mask)
        if bad.size == 0:
            return 0 if mask.size else None
        return int(bad[-1]) + 1 if bad[-1] + 1 < mask.size else None
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def after_steps(step: int | None, within: int, unit: str = "updates") -> str:
    """Say when something first happened: ``"after 12 updates"`` or, when ``step`` is
    ``None``, ``"never within 150 updates"``.

    >>> after_steps(12, 150), after_steps(None, 150), after_steps(1, 10, "epochs")
    ('after 12 updates', 'never within 150 updates', 'after 1 epoch')
    """
    if step is None:
        return f"never within {within} {unit}"
    singular = unit[:-1] if unit.endswith("s") and step == 1 else unit
    return f"after {step} {singular}"


# --------------------------------------------------------------------------- the optimizer protocol


class Optimizer(Protocol):
    """What :func:`run` needs from an update rule. Every class in :mod:`gdteach.optim` is
    one, and so is any object of your own with these members::

        state = opt.init(x0)                       # the starting state for x0
        x_new, state = opt.step(x, grad, state)    # one update; nothing is mutated
        opt.lr                                     # a number, or a schedule step -> lr

    ``run`` records the rate of update k in ``Trajectory.lr``: ``opt.learning_rate(k)`` when
    the rule has that method (gdteach's rules do, and check a schedule's value there), else
    ``opt.lr`` (called with k when it is a schedule), else nan.

    >>> class Halving:                 # plain gradient descent with lr 0.25, counting its steps
    ...     lr = 0.25
    ...     def init(self, x0): return 0
    ...     def step(self, x, grad, state): return x - self.lr * grad, state + 1
    >>> from gdteach import objectives
    >>> run(objectives.square, 4.0, Halving(), 2).x.tolist()   # 4 − 0.25·8 = 2, 2 − 0.25·4 = 1
    [4.0, 2.0, 1.0]
    """

    lr: Any

    def init(self, x0: np.ndarray) -> Any: ...

    def step(self, x: np.ndarray, grad: np.ndarray, state: Any) -> tuple[np.ndarray, Any]: ...


def _check_optimizer(optimizer: Any) -> Optimizer:
    if not (callable(getattr(optimizer, "init", None)) and callable(getattr(optimizer, "step", None))):
        raise TypeError(f"optimizer must have init() and step(), got {optimizer!r}")
    return optimizer


def _rate_of(optimizer: Any, update: int) -> float:
    """The learning rate ``optimizer`` uses for update number ``update`` (see Optimizer)."""
    learning_rate = getattr(optimizer, "learning_rate", None)
    if callable(learning_rate):
        return learning_rate(update)
    lr = getattr(optimizer, "lr", np.nan)
    return lr(update) if callable(lr) else lr


# --------------------------------------------------------------------------- the epoch order


def make_rng(rng: Any = None) -> Any:
    """The random generator that shuffles the data: ``None`` is seed 0 (so runs repeat), an
    int is a seed, and a numpy ``Generator`` or legacy ``RandomState`` is used as it is.

    >>> make_rng(3).permutation(4).tolist() == np.random.default_rng(3).permutation(4).tolist()
    True
    """
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        return np.random.default_rng(0 if rng is None else int(rng))
    if hasattr(rng, "permutation"):
        return rng  # a numpy Generator or a legacy RandomState
    raise TypeError(f"rng must be None, an int seed or a numpy random generator, got {rng!r}")


def epoch_order(n_samples: int, *, shuffle: bool = True, rng: Any = None) -> np.ndarray:
    """The order in which one epoch visits the rows: ``rng.permutation(n_samples)``, or
    ``0, 1, …, n − 1`` with ``shuffle=False``. Each call with the same generator draws
    the next epoch's order.

    >>> epoch_order(5, shuffle=False).tolist()
    [0, 1, 2, 3, 4]
    >>> sorted(epoch_order(5, rng=0).tolist())   # every row once
    [0, 1, 2, 3, 4]
    """
    check_int("n_samples", n_samples, minimum=1)
    if not check_flag("shuffle", shuffle):
        return np.arange(n_samples)
    return make_rng(rng).permutation(n_samples)


def batches(
    n_samples: int, batch_size: int, *, shuffle: bool = True, rng: Any = None
) -> Iterator[tuple[int, np.ndarray]]:
    """Mini-batches without end: yields ``(epoch, rows)``. Epoch e visits the rows in the
    order :func:`epoch_order` draws at its start, cut into ⌈n / B⌉ batches of B rows (the
    last one holds the n − B(⌈n/B⌉ − 1) rows left over). This is the order :func:`run`
    uses with ``batch_size``.

    >>> stream = batches(5, 2, shuffle=False)
    >>> [(epoch, rows.tolist()) for epoch, rows in (next(stream) for _ in range(4))]
    [(0, [0, 1]), (0, [2, 3]), (0, [4]), (1, [0, 1])]
    """
    check_int("n_samples", n_samples, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    if batch_size > n_samples:
        raise ValueError(
            f"batch_size must be between 1 and the number of samples ({n_samples}), got {batch_size}"
        )
    return _batch_stream(int(n_samples), batch_size, check_flag("shuffle", shuffle), make_rng(rng))


def _batch_stream(
    n_samples: int, batch_size: int, shuffle: bool, rng: Any
) -> Iterator[tuple[int, np.ndarray]]:
    for epoch in itertools.count():
        order = epoch_order(n_samples, shuffle=shuffle, rng=rng)
        for start in range(0, n_samples, batch_size):
            yield epoch, order[start : start + batch_size]


# --------------------------------------------------------------------------- option checks


def _check_x0(objective: Objective, x0: Any) -> tuple[np.ndarray, bool]:
    """``x0`` as a float array with a parameter axis, and whether it was a plain number."""
    array = check_finite_array("x0", x0)
    scalar = array.ndim == 0
    return objective.check_x(array.reshape(1) if scalar else array, "x0").copy(), scalar


def _check_stopping(tol: Any, patience: Any, min_delta: Any) -> None:
    if tol is not None:
        check_nonnegative("tol", tol)
    if patience is not None:
        check_int("patience", patience, minimum=1)
    check_nonnegative("min_delta", min_delta)


def _batch_plan(objective: Objective, batch_size: Any, shuffle: Any, rng: Any) -> Iterator | None:
    """The stream of mini-batches a run takes, or None to use all the data every update."""
    check_flag("shuffle", shuffle)
    if batch_size is None:
        return None
    if objective.n_samples is None:
        raise ValueError(f"batch_size needs an objective built on data; {objective.name} has none")
    return batches(objective.n_samples, batch_size, shuffle=shuffle, rng=rng)


# --------------------------------------------------------------------------- stop rules


def _gradient_is_small(grad: np.ndarray, tol: float, diverged: np.ndarray) -> bool:
    """The tol rule: every start that has not diverged has ‖∇L‖ ≤ tol."""
    return bool(np.all((np.linalg.norm(grad, axis=-1) <= tol) | diverged))


def _nonfinite(x: np.ndarray, loss: np.ndarray) -> np.ndarray | None:
    """The divergence rule: which starts have a non-finite loss or parameter (None, the
    fast answer, when every value is finite)."""
    # a finite sum means every value is finite (inf and nan propagate through +); only
    # otherwise look value by value (large finite values may overflow the sum)
    if math.isfinite(loss.sum()) and math.isfinite(x.sum()):
        return None
    return ~(np.isfinite(loss) & np.all(np.isfinite(x), axis=-1))


def _patience_count(
    loss: np.ndarray, best: np.ndarray, waited: int, min_delta: float, diverged: np.ndarray
) -> tuple[np.ndarray, int]:
    """The patience rule, one update: each start's best loss so far, and how many updates
    in a row no start that is still finite has beaten its best by more than ``min_delta``
    (a diverged start's loss, even −inf, is no improvement)."""
    improved = loss < best - min_delta
    waited = 0 if np.any(improved & ~diverged) else waited + 1
    return np.where(improved, loss, best), waited


# --------------------------------------------------------------------------- runner


def run(
    objective: Objective,
    x0: Any,
    optimizer: Optimizer,
    steps: int,
    *,
    tol: float | None = None,
    patience: int | None = None,
    min_delta: float = 0.0,
    batch_size: int | None = None,
    shuffle: bool = True,
    rng: Any = None,
    warn: bool = True,
) -> Trajectory:
    """Take up to ``steps`` updates of ``optimizer`` on ``objective`` from ``x0``.

    Each update is ``x, state = optimizer.step(x, objective.grad(x), state)``.

    Stopping: the run stops early only when asked to, or when it diverges.

    - ``tol``: stop ("converged") once the gradient norm is ≤ tol at every start.
    - ``patience``: stop ("converged") once the loss has not improved on its best by
      more than ``min_delta`` for ``patience`` updates in a row (early stopping); only
      starts that have not diverged count.
    - a non-finite loss or parameter stops the run ("diverged") and warns
      (``warn=False`` to silence); with many starts, the others run on and
      ``diverged`` says which ones failed. Large but finite values are kept as they are.

    Mini-batches: with ``batch_size`` and an objective built on data (``n_samples``),
    every update uses the gradient of ``batch_size`` rows in the order of
    :func:`batches`: an epoch is one pass over a fresh permutation drawn from ``rng``
    (see :func:`make_rng`; default seed 0), or over the rows in order with
    ``shuffle=False``. ``batch_size=1`` is stochastic gradient descent. ``steps`` counts
    updates.

    ``x0`` may be a number, a point of shape ``(d,)``, or many points ``(n, d)``.
    ``optimizer`` is any :class:`Optimizer`.

    >>> from gdteach import objectives, optim
    >>> traj = run(objectives.shifted_square(3.0), 0.0, optim.SGD(lr=0.1), 5)
    >>> traj.x.round(4).tolist()
    [0.0, 0.6, 1.08, 1.464, 1.7712, 2.017]
    """
    settings = _RunSettings.checked(
        objective, x0, optimizer, steps, tol, patience, min_delta, batch_size, shuffle, rng, warn
    )
    record = _Record.starting_at(settings.x0, objective, settings.steps)
    done, stop_reason, diverged = _loop(settings, record)
    if np.any(diverged):
        stop_reason = "diverged"
        if warn:
            _warn_diverged(diverged, record.losses[: done + 1], record.lrs[:done])
    return record.trajectory(done, stop_reason, diverged, settings)


@dataclass(frozen=True)
class _RunSettings:
    """A run's arguments, checked: the start as an array with a parameter axis (``scalar``
    says x0 was a plain number) and the stream of mini-batches (None: all the data)."""

    objective: Objective
    optimizer: Any
    x0: np.ndarray
    scalar: bool
    steps: int
    tol: float | None
    patience: int | None
    min_delta: float
    stream: Iterator[tuple[int, np.ndarray]] | None

    @classmethod
    def checked(
        cls, objective, x0, optimizer, steps, tol, patience, min_delta, batch_size, shuffle, rng, warn
    ) -> _RunSettings:
        if not isinstance(objective, Objective):
            raise TypeError(f"objective must be a gdteach Objective, got {objective!r}")
        _check_optimizer(optimizer)
        steps = check_int("steps", steps, minimum=1)
        x, scalar = _check_x0(objective, x0)
        _check_stopping(tol, patience, min_delta)
        check_flag("warn", warn)
        stream = _batch_plan(objective, batch_size, shuffle, rng)
        return cls(objective, optimizer, x, scalar, steps, tol, patience, min_delta, stream)


class _Record:
    """The arrays a run fills in, one row per iterate or update, allocated for every
    update and cut to the ones taken at the end."""

    def __init__(self, x0: np.ndarray, loss0: np.ndarray, steps: int) -> None:
        self.xs = np.empty((steps + 1, *x0.shape))
        self.losses = np.empty((steps + 1, *loss0.shape))
        self.grads = np.empty((steps, *x0.shape))
        self.lrs = np.empty(steps)
        self.epochs = np.zeros(steps, dtype=int)
        self.xs[0], self.losses[0] = x0, loss0

    @classmethod
    def starting_at(cls, x0: np.ndarray, objective: Objective, steps: int) -> _Record:
        loss0 = np.asarray(objective.fn(x0), dtype=float)
        if not np.all(np.isfinite(loss0)):
            raise ValueError(f"the loss at x0 must be finite, got {loss0} at x0={x0!r}")
        return cls(x0, loss0, steps)

    def update(self, k: int, x: np.ndarray, loss: np.ndarray, grad: np.ndarray) -> None:
        """Update ``k`` used ``grad`` and reached ``x``, where the loss is ``loss``."""
        self.xs[k + 1], self.losses[k + 1], self.grads[k] = x, loss, grad

    def trajectory(
        self, done: int, stop_reason: str, diverged: np.ndarray, settings: _RunSettings
    ) -> Trajectory:
        """The first ``done`` updates as a Trajectory (x0 a number: no parameter axis)."""
        shape_x = (lambda a: a[..., 0]) if settings.scalar else (lambda a: a)
        return Trajectory(
            x=shape_x(self.xs[: done + 1]),
            loss=self.losses[: done + 1],
            grad=shape_x(self.grads[:done]),
            lr=self.lrs[:done],
            epoch=self.epochs[:done],
            stop_reason=stop_reason,
            diverged=diverged,
            objective=settings.objective,
            optimizer=settings.optimizer,
        )


def _loop(settings: _RunSettings, record: _Record) -> tuple[int, str, np.ndarray]:
    """Take the updates; return how many were taken, why the loop stopped, and which
    starts diverged. The three stop rules are :func:`_gradient_is_small` (tol),
    :func:`_nonfinite` (every start diverged) and :func:`_patience_count`."""
    objective, optimizer, stream = settings.objective, settings.optimizer, settings.stream
    x, state = settings.x0, settings.optimizer.init(settings.x0)
    diverged = np.zeros(record.losses[0].shape, dtype=bool)
    best, waited = record.losses[0].copy(), 0
    grad_fn = objective.grad  # checked on the first call, then the bare function
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for k in range(settings.steps):
            rows = None
            if stream is not None:
                record.epochs[k], rows = next(stream)
            g = grad_fn(x) if rows is None else grad_fn(x, rows=rows)
            grad_fn = objective.grad_fn
            if settings.tol is not None and _gradient_is_small(g, settings.tol, diverged):
                return k, "converged", diverged
            record.lrs[k] = _rate_of(optimizer, k)
            x, state = optimizer.step(x, g, state)
            loss = np.asarray(objective.fn(x), dtype=float)
            record.update(k, x, loss, g)
            bad = _nonfinite(x, loss)
            if bad is not None and np.any(bad & ~diverged):
                diverged = diverged | bad
                if np.all(diverged):
                    return k + 1, "diverged", diverged
            if settings.patience is not None:
                best, waited = _patience_count(loss, best, waited, settings.min_delta, diverged)
                if waited >= settings.patience:
                    return k + 1, "converged", diverged
    return settings.steps, "max_steps", diverged


def _warn_diverged(diverged: np.ndarray, losses: np.ndarray, lrs: np.ndarray) -> None:
    finite = np.isfinite(losses).reshape(len(losses), -1).all(axis=1)
    first_bad = int(np.argmin(finite)) if not finite.all() else len(losses) - 1
    lr = lrs[first_bad - 1] if first_bad >= 1 and len(lrs) else float("nan")
    which = "" if diverged.ndim == 0 else f" for {int(diverged.sum())} of {diverged.size} starts"
    warnings.warn(
        f"diverged at step {first_bad}{which}: the loss or a parameter became non-finite "
        f"(lr={lr:g}); try a smaller learning rate",
        DivergenceWarning,
        stacklevel=3,
    )


def compare(
    objective: Objective,
    x0: Any,
    optimizers: Mapping[str, Any],
    steps: int,
    **run_options: Any,
) -> dict[str, Trajectory]:
    """Run several optimizers from the same start: ``{label: Trajectory}``.

    >>> from gdteach import objectives, optim
    >>> runs = compare(objectives.square, 5.0, {"η=0.1": optim.SGD(lr=0.1),
    ...                                         "η=0.4": optim.SGD(lr=0.4)}, 1)
    >>> {k: float(t.final_x) for k, t in runs.items()}
    {'η=0.1': 4.0, 'η=0.4': 1.0}
    """
    if not optimizers:
        raise ValueError("optimizers must name at least one optimizer")
    return {label: run(objective, x0, opt, steps, **run_options) for label, opt in optimizers.items()}


def sweep(
    objective: Objective,
    x0: Any,
    make_optimizer: Callable[[float], Any],
    values: Iterable[float],
    steps: int,
    **run_options: Any,
) -> dict[float, Trajectory]:
    """Run one optimizer for each value of a hyperparameter (a learning-rate finder):
    ``{value: Trajectory}``. Diverging runs are kept (``stop_reason == "diverged"``)
    without a warning each.

    >>> from gdteach import objectives, optim
    >>> runs = sweep(objectives.square, 5.0, lambda lr: optim.SGD(lr=lr), [0.1, 1.5], 50)
    >>> [runs[lr].stop_reason for lr in (0.1, 1.5)]
    ['max_steps', 'max_steps']
    """
    run_options.setdefault("warn", False)
    out = {}
    for value in values:
        if not (is_number(value) and math.isfinite(value)):
            raise ValueError(f"values must be finite numbers, got {value!r}")
        out[value] = run(objective, x0, make_optimizer(value), steps, **run_options)
    return out

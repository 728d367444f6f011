"""The runner: apply an update rule to an objective and record every step.

>>> from gdteach import objectives, optim
>>> traj = run(objectives.square, 5.0, optim.SGD(lr=0.1), steps=3)
>>> traj.x.round(4).tolist()
[5.0, 4.0, 3.2, 2.56]
>>> traj.stop_reason
'max_steps'
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .objectives import Objective

__all__ = [
    "run", "compare", "sweep", "Trajectory", "DivergenceWarning", "STOP_REASONS",
    "first_step", "after_steps",
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


# --------------------------------------------------------------------------- checks


def _check_steps(steps: Any) -> int:
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    return int(steps)


def _check_x0(objective: Objective, x0: Any) -> tuple[np.ndarray, bool]:
    try:
        array = np.asarray(x0, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"x0 must be an array of numbers, got {x0!r}") from err
    scalar = array.ndim == 0
    if scalar:
        array = array.reshape(1)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"x0 must be finite, got {x0!r}")
    return objective.check_x(array, "x0").copy(), scalar


def _make_rng(rng: Any) -> Any:
    if rng is None or isinstance(rng, numbers.Integral):
        return np.random.default_rng(0 if rng is None else int(rng))
    if hasattr(rng, "permutation"):
        return rng  # a numpy Generator or a legacy RandomState
    raise TypeError(f"rng must be None, an int seed or a numpy random generator, got {rng!r}")


def _batches(
    n_samples: int, batch_size: int, shuffle: bool, rng: Any
) -> Iterable[tuple[int, np.ndarray]]:
    """Yield (epoch, row indices) forever: each epoch is one shuffled pass over the data."""
    epoch = 0
    while True:
        order = rng.permutation(n_samples) if shuffle else np.arange(n_samples)
        for start in range(0, n_samples, batch_size):
            yield epoch, order[start : start + batch_size]
        epoch += 1


# --------------------------------------------------------------------------- runner


def run(
    objective: Objective,
    x0: Any,
    optimizer: Any,
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
      more than ``min_delta`` for ``patience`` updates in a row (early stopping).
    - a non-finite loss or parameter stops the run ("diverged") and warns
      (``warn=False`` to silence); with many starts, the others run on and
      ``diverged`` says which ones failed. Large but finite values are kept as they are.

    Mini-batches: with ``batch_size`` and an objective built on data (``n_samples``),
    every update uses the gradient of ``batch_size`` rows; an epoch is one pass over a
    fresh permutation drawn from ``rng`` (an int seed, a numpy Generator or
    RandomState; default seed 0), or over the rows in order with ``shuffle=False``.
    ``batch_size=1`` is stochastic gradient descent. ``steps`` counts updates.

    ``x0`` may be a number, a point of shape ``(d,)``, or many points ``(n, d)``.

    >>> from gdteach import objectives, optim
    >>> traj = run(objectives.shifted_square(3.0), 0.0, optim.SGD(lr=0.1), 5)
    >>> traj.x.round(4).tolist()
    [0.0, 0.6, 1.08, 1.464, 1.7712, 2.017]
    """
    if not isinstance(objective, Objective):
        raise TypeError(f"objective must be a gdteach Objective, got {objective!r}")
    if not (hasattr(optimizer, "init") and hasattr(optimizer, "step")):
        raise TypeError(f"optimizer must have init() and step(), got {optimizer!r}")
    steps = _check_steps(steps)
    x, scalar = _check_x0(objective, x0)
    if tol is not None and not (isinstance(tol, (int, float)) and tol >= 0):
        raise ValueError(f"tol must be a number >= 0, got {tol!r}")
    if patience is not None:
        if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
            raise ValueError(f"patience must be a positive integer, got {patience!r}")
    batches = None
    if batch_size is not None:
        n = objective.n_samples
        if n is None:
            raise ValueError(f"batch_size needs an objective built on data; {objective.name} has none")
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if not 1 <= batch_size <= n:
            raise ValueError(
                f"batch_size must be between 1 and the number of samples ({n}), got {batch_size}"
            )
        batches = _batches(n, int(batch_size), shuffle, _make_rng(rng))

    state = optimizer.init(x)
    loss0 = np.asarray(objective.fn(x), dtype=float)
    if not np.all(np.isfinite(loss0)):
        raise ValueError(f"the loss at x0 must be finite, got {loss0} at x0={x0!r}")
    xs = np.empty((steps + 1, *x.shape))
    losses = np.empty((steps + 1, *loss0.shape))
    grads = np.empty((steps, *x.shape))
    lrs = np.empty(steps)
    epochs = np.zeros(steps, dtype=int)
    xs[0], losses[0] = x, loss0
    diverged = ~np.isfinite(loss0)
    best = loss0.copy()
    waited = 0
    stop_reason = "max_steps"
    done = steps
    grad_fn = objective.grad  # checked on the first call, then the bare function
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for k in range(steps):
            rows = None
            if batches is not None:
                epochs[k], rows = next(batches)
            g = grad_fn(x) if rows is None else grad_fn(x, rows=rows)
            grad_fn = objective.grad_fn
            if tol is not None:
                norm = np.linalg.norm(g, axis=-1)
                if np.all((norm <= tol) | diverged):
                    stop_reason, done = "converged", k
                    break
            lrs[k] = optimizer.learning_rate(state.step) if hasattr(optimizer, "learning_rate") else np.nan
            x, state = optimizer.step(x, g, state)
            loss = np.asarray(objective.fn(x), dtype=float)
            xs[k + 1], losses[k + 1], grads[k] = x, loss, g
            # a finite sum means every value is finite (inf and nan propagate through +);
            # only otherwise look value by value (large finite values may overflow the sum)
            if not (math.isfinite(loss.sum()) and math.isfinite(x.sum())):
                bad = ~(np.isfinite(loss) & np.all(np.isfinite(x), axis=-1))
                if np.any(bad & ~diverged):
                    diverged = diverged | bad
                    if np.all(diverged):
                        stop_reason, done = "diverged", k + 1
                        break
            if patience is not None:
                improved = loss < best - min_delta
                best = np.where(improved, loss, best)
                waited = 0 if np.any(improved & ~diverged) else waited + 1
                if waited >= patience:
                    stop_reason, done = "converged", k + 1
                    break
    if np.any(diverged):
        stop_reason = "diverged"
        if warn:
            _warn_diverged(diverged, losses[: done + 1], lrs[:done])

    shape_x = (lambda a: a[..., 0]) if scalar else (lambda a: a)
    return Trajectory(
        x=shape_x(xs[: done + 1]),
        loss=losses[: done + 1],
        grad=shape_x(grads[:done]),
        lr=lrs[:done],
        epoch=epochs[:done],
        stop_reason=stop_reason,
        diverged=diverged,
        objective=objective,
        optimizer=optimizer,
    )


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
        if not (isinstance(value, (int, float)) and math.isfinite(value)):
            raise ValueError(f"values must be finite numbers, got {value!r}")
        out[value] = run(objective, x0, make_optimizer(value), steps, **run_options)
    return out

"""The task table: each function a learner writes, how its test cases read, how it is judged.

A test case is plain data, written in the exercise notebook's check cell::

    check("derivative", derivative, [{"f": "cube", "x": 2.0}, {"f": "cube", "x": 1.0, "h": 0.1}])

Each key is a parameter of the task (given in order, a prefix of ``Task.params``), plus an
optional ``"points"`` (default 1). Parameters listed in ``Task.functions`` name an input
function from ``FUNCTIONS``; in ``Task.arrays`` a list becomes a float numpy array. The
expected answer is never written in the notebook: it is ``Task.reference`` (a function of
``references``, computed with gdteach) applied to the same inputs, so the self-check,
nbgrader's autograde and ``gdteach.grade`` all judge the same thing, as plain data
(``plaindata``).

Where the parts live: ``plaindata`` (the answer format), ``references`` (the answers and
the common mistakes), ``cases`` (visible cases copied from the notebooks), and here the
table that ties them to a name, a tolerance and the hints. To add a task, see
exercises/README.md ("How to add a task").

>>> call_text(TASKS["derivative"], {"f": "cube", "x": 2.0})
'derivative(f=cube, x=2.0)'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import references as ref
from .cases import VISIBLE
from .plaindata import difference, is_plain, plain, same, show

# plain, same, show, difference and is_plain are re-exported: the table's data format
__all__ = ["FUNCTIONS", "TASKS", "Task", "decode", "source_of", "call_text", "make_function",
           "plain", "is_plain", "same", "show", "difference"]

#: Input functions a test case may name: name -> Python source (evaluated with math and np).
FUNCTIONS: dict[str, str] = {
    "cube": "lambda x: x ** 3",
    "sin": "lambda x: np.sin(x)",
    "exp": "lambda x: np.exp(x)",
    "shifted_square": "lambda w: (w - 3) ** 2",
    "shifted_square_grad": "lambda w: 2 * (w - 3)",
    "square_grad": "lambda w: 2 * w",
    "cube_1d": "lambda x: x[0] ** 3",
    "cube_1d_grad": "lambda x: np.array([3 * x[0] ** 2])",
    "cube_1d_grad_wrong": "lambda x: np.array([3 * x[0]])",
    "bowl": "lambda x: x[0] ** 2 + 2 * x[1] ** 2",
    "bowl_grad": "lambda x: np.array([2 * x[0], 4 * x[1]])",
    "bowl_grad_wrong": "lambda x: np.array([2 * x[0], 2 * x[1]])",
    "saddle3": "lambda x: x[0] * x[1] + x[0] * x[2] ** 2",
    "rosenbrock": "lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2",
    "rosenbrock_grad": (
        "lambda p: np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2),"
        " 200 * (p[1] - p[0] ** 2)])"
    ),
    "rosenbrock_grad_typo": (
        "lambda p: np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2),"
        " 100 * (p[1] - p[0] ** 2)])"
    ),
    "mild_bowl_grad": "lambda x: np.array([0.2 * x[0], 4 * x[1]])",
}


def make_function(name: str) -> Callable[..., Any]:
    """The input function called ``name`` (a fresh object each time)."""
    if name not in FUNCTIONS:
        raise ValueError(f"unknown input function {name!r}; choose from {sorted(FUNCTIONS)}")
    return eval(FUNCTIONS[name], {"math": math, "np": np})  # our own table, not user input


@dataclass(frozen=True)
class Task:
    """One function a learner writes.

    ``reference`` computes the expected answer (with gdteach); each ``mistakes`` entry is
    ``(wrong_function, hint)``: when an answer matches the wrong function's result, the
    learner gets that hint rather than the general ``hint`` (a callable hint is given the
    case and returns the text).

    A task that may call the learner's functions of earlier tasks lists them in ``uses``;
    those tasks carry their ``number`` in the exercise notebook and their ``visible`` cases
    (the same as its check cell's, which tests/test_exercises.py keeps equal), so that the
    self-check can blame the earlier function when it still fails.
    """

    name: str
    params: tuple[str, ...]
    reference: Callable[..., Any]
    hint: str
    mistakes: tuple[tuple[Callable[..., Any], str | Callable[[dict], str]], ...] = ()
    functions: tuple[str, ...] = ()
    arrays: tuple[str, ...] = ()
    rtol: float = 1e-7
    atol: float = 1e-10
    uses: tuple[str, ...] = ()
    number: int = 0
    visible: tuple[dict, ...] = ()

    def arguments(self, case: dict) -> list[str]:
        """The parameter names a case gives, checked to be a prefix of ``params``."""
        names = [key for key in case if key != "points"]
        if names != list(self.params[: len(names)]):
            raise ValueError(
                f"a {self.name} case must give {', '.join(self.params)} in this order "
                f"(trailing ones may be left out), got {', '.join(names) or 'nothing'}"
            )
        return names


def decode(task: Task, case: dict) -> list[Any]:
    """The Python arguments of a case (fresh objects on every call)."""
    args = []
    for name in task.arguments(case):
        value = case[name]
        if name in task.functions:
            value = make_function(value)
        elif name in task.arrays and isinstance(value, list):
            value = np.array(value, dtype=float)
        elif isinstance(value, list):
            value = list(value)
        args.append(value)
    return args


def source_of(task: Task, case: dict) -> list[str]:
    """Python expressions that rebuild the arguments of a case inside a kernel
    (where ``np`` is numpy); the counterpart of ``decode``."""
    exprs = []
    for name in task.arguments(case):
        value = case[name]
        if name in task.functions:
            make_function(value)  # validates the name
            exprs.append(f"({FUNCTIONS[value]})")
        elif name in task.arrays and isinstance(value, list):
            exprs.append(f"np.array({value!r}, dtype=float)")
        else:
            exprs.append(repr(value))
    return exprs


def _literal(value: Any, limit: int = 8) -> str:
    if isinstance(value, list) and len(value) > limit:
        return "[" + ", ".join(_literal(v) for v in value[:limit]) + f", … ({len(value)} items)]"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(value) if not isinstance(value, str) else value


def call_text(task: Task, case: dict) -> str:
    """How a case reads: ``derivative(f=cube, x=2.0)``."""
    parts = [f"{name}={_literal(case[name])}" for name in task.arguments(case)]
    return f"{task.name}({', '.join(parts)})"


_TASK_LIST = [
    # ----------------------------------------------------------------- 01 derivatives
    Task(
        "derivative", ("f", "x", "h"), ref.derivative, functions=("f",), rtol=1e-6, atol=1e-9,
        hint="Return one number: the central difference (f(x + h) − f(x − h)) / (2h).",
        mistakes=(
            (lambda f, x, h=1e-5: (f(x + h) - f(x)) / h,
             "That is the forward difference (f(x + h) − f(x)) / h. Use the central difference "
             "(f(x + h) − f(x − h)) / (2h): its error shrinks like h², not like h."),
            (lambda f, x, h=1e-5: (f(x) - f(x - h)) / h,
             "That is the backward difference (f(x) − f(x − h)) / h. Use the central difference "
             "(f(x + h) − f(x − h)) / (2h): its error shrinks like h², not like h."),
            (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h,
             "Twice the slope: x + h and x − h are 2h apart, so divide by 2h, not by h."),
        ),
    ),
    Task(
        "gradient", ("f", "x", "h"), ref.gradient, functions=("f",), arrays=("x",),
        rtol=1e-6, atol=1e-7, uses=("derivative",), hint="Return an array shaped like x whose entry i is (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h), "
        "with eᵢ the i-th unit vector. Work on copies of x (x.copy()), never on x itself.",
        mistakes=(
            (lambda f, x, h=1e-5: np.array([(f(x + h * e) - f(x)) / h for e in np.eye(len(x))]),
             "That is the forward difference along each axis. Use the central difference "
             "(f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h)."),
        ),
    ),
    Task(
        "relative_error", ("a", "b"), ref.relative_error, arrays=("a", "b"), rtol=1e-9, atol=1e-12,
        hint="Return ‖a − b‖ / max(‖a‖, ‖b‖, 1e-12) (np.linalg.norm gives ‖·‖).",
        mistakes=(
            (lambda a, b: np.linalg.norm(a - b) / np.linalg.norm(b),
             "You divided by ‖b‖ only: that blows up when b is zero. Divide by "
             "max(‖a‖, ‖b‖, 1e-12)."),
            (lambda a, b: np.linalg.norm(a - b) / np.linalg.norm(a),
             "You divided by ‖a‖ only: that blows up when a is zero. Divide by "
             "max(‖a‖, ‖b‖, 1e-12)."),
            (lambda a, b: np.linalg.norm(a - b),
             "That is the absolute error ‖a − b‖; divide it by max(‖a‖, ‖b‖, 1e-12) so the "
             "check does not depend on the scale of the gradient."),
        ),
    ),
    Task(
        # atol far below a right formula's answer (3.3e-7 for x³ at 0.01, the central
        # difference's h²), so that a function returning 0 does not pass
        "gradient_check", ("f", "grad", "x"), ref.gradient_check, functions=("f", "grad"),
        arrays=("x",), rtol=1e-5, atol=1e-12, uses=("relative_error", "gradient"),
        hint="Return relative_error(grad(x), gradient(f, x)): tiny (below 1e-6) when grad is "
        "right, large when it is wrong. Use your own gradient() with its default h.",
    ),
    # ----------------------------------------------------------------- 02 update rule
    Task(
        "gd_step", ("w", "grad", "lr"), ref.gd_step, arrays=("w", "grad"), rtol=1e-12, atol=1e-12,
        hint="One step downhill: return w − lr · grad.",
        mistakes=(
            (lambda w, grad, lr: w + lr * grad,
             "You stepped uphill: w + lr · grad. The gradient points uphill, so subtract it: "
             "w − lr · grad."),
            (lambda w, grad, lr: w - grad,
             "You forgot the learning rate: the step is lr · grad, not grad."),
        ),
    ),
    Task(
        "gd_path", ("grad_fn", "w0", "lr", "steps"), ref.gd_path, functions=("grad_fn",),
        arrays=("w0",), rtol=1e-9, atol=1e-12, uses=("gd_step",),
        hint="Return the whole path [w0, w1, …, w_steps] (steps + 1 values): start from w0 and "
        "apply w ← w − lr · grad_fn(w) steps times, keeping every w.",
        mistakes=(
            (lambda grad_fn, w0, lr, steps: ref.gd_path(grad_fn, w0, lr, steps)[1:],
             "Your path misses the starting point: it must begin with w0 and hold steps + 1 "
             "values."),
            (lambda grad_fn, w0, lr, steps: ref.gd_path(grad_fn, w0, lr, steps)[-1],
             "Return every iterate [w0, w1, …], not only the last one."),
            *ref.off_by_one(ref.gd_path, 3),
        ),
    ),
    Task(
        "mse_gradient", ("theta", "X", "y"), ref.mse_gradient, arrays=("theta", "X", "y"),
        rtol=1e-9, atol=1e-12, hint="For L(θ) = (1/2m) Σ (Xθ − y)², the gradient is (1/m) Xᵀ(Xθ − y), m = len(y).",
        mistakes=(
            (lambda theta, X, y: 2 * ref.mse_gradient(theta, X, y),
             "Twice too large: that is the gradient of (1/m) Σ (Xθ − y)². This exercise uses "
             "L = (1/2m) Σ (Xθ − y)² (article C), whose gradient is (1/m) Xᵀ(Xθ − y)."),
            (lambda theta, X, y: -ref.mse_gradient(theta, X, y),
             "The sign is flipped: the residual is prediction minus target, Xθ − y."),
            (lambda theta, X, y: len(y) * ref.mse_gradient(theta, X, y),
             "Divide by m = len(y): the loss is an average over the rows."),
        ),
    ),
    Task(
        "fit_linear", ("X", "y", "lr", "steps"), ref.fit_linear, arrays=("X", "y"), rtol=1e-9, atol=1e-12,
        uses=("gd_step", "mse_gradient"),
        hint="Start from θ = zeros (one per column of X) and repeat steps times: "
        "θ ← gd_step(θ, mse_gradient(θ, X, y), lr). Return θ.",
        mistakes=(
            (lambda X, y, lr, steps: ref.fit_linear(X, y, lr, steps, convention="mean"),
             "Your steps are twice too long: you used the gradient of (1/m) Σ (Xθ − y)². Use "
             "your mse_gradient, the gradient of (1/2m) Σ (Xθ − y)²."),
            *ref.off_by_one(ref.fit_linear, 3),
        ),
    ),
    # ----------------------------------------------------------------- 03 variants
    Task(
        "make_batches", ("order", "batch_size"), ref.make_batches, rtol=0.0, atol=0.0,
        hint="Cut order into consecutive pieces of batch_size: order[0:b], order[b:2b], …; "
        "the last piece may be shorter.",
        mistakes=(
            (lambda order, b: ref.make_batches(order, b)[: len(order) // b],
             "You dropped the last, shorter batch: every row must be used once per epoch."),
        ),
    ),
    Task(
        "epoch_orders", ("n", "epochs", "seed"), ref.epoch_orders, rtol=0.0, atol=0.0,
        hint="Make ONE generator, rng = np.random.default_rng(seed), then draw "
        "rng.permutation(n) once per epoch.",
        mistakes=(
            (lambda n, epochs, seed: [np.random.default_rng(seed).permutation(n)] * epochs,
             "Every epoch has the same order: you re-created the generator each epoch. Create "
             "rng = np.random.default_rng(seed) once, before the loop."),
            (lambda n, epochs, seed: (lambda r: [r.permutation(n) for _ in range(epochs)])(
                np.random.RandomState(seed)),
             "Those are the legacy np.random.seed / RandomState numbers. Use the modern "
             "generator np.random.default_rng(seed), as gdteach.run does."),
        ),
    ),
    Task(
        "batch_gradient", ("theta", "X", "y", "rows"), ref.batch_gradient, arrays=("theta", "X", "y"),
        rtol=1e-9, atol=1e-12, hint="Take the rows of the batch, Xb = X[rows], yb = y[rows], and return "
        "(1/len(rows)) · Xbᵀ(Xb θ − yb).",
        mistakes=(
            (lambda theta, X, y, rows: ref.batch_gradient(theta, X, y, rows) * len(rows) / len(y),
             "Divide by the batch size len(rows), not by the number of rows of the whole data."),
            (lambda theta, X, y, rows: ref.mse_gradient(theta, X, y),
             "That is the full-data gradient: use only the rows of the batch."),
        ),
    ),
    Task(
        "minibatch_sgd", ("X", "y", "lr", "batch_size", "epochs", "seed"), ref.minibatch_sgd,
        arrays=("X", "y"), rtol=1e-9, atol=1e-12,
        uses=("make_batches", "epoch_orders", "batch_gradient"),
        hint="θ = zeros; rng = np.random.default_rng(seed); each epoch: order = "
        "rng.permutation(len(y)), then for each batch in make_batches(order, batch_size): "
        "θ ← θ − lr · batch_gradient(θ, X, y, batch). Return θ.",
        mistakes=(
            (lambda X, y, lr, b, epochs, seed: ref.minibatch_sgd(X, y, lr, b, epochs, seed, False),
             "You did not shuffle: draw order = rng.permutation(len(y)) at the start of every "
             "epoch."),
            (ref.minibatch_reseeded,
             "Every epoch used the same order: create rng = np.random.default_rng(seed) once, "
             "before the epoch loop."),
        ),
    ),
    # ----------------------------------------------------------------- 04 learning rate
    Task(
        "contraction_factor", ("c", "lr"), ref.contraction_factor, rtol=1e-12, atol=1e-12,
        hint="One step on f(w) = c·w² is w − lr · 2c·w = (1 − 2c·lr)·w: return 1 − 2c·lr.",
        mistakes=(
            (lambda c, lr: 1 - c * lr,
             "The derivative of c·w² is 2c·w, so the factor is 1 − 2c·lr (you left out the 2)."),
        ),
    ),
    Task(
        "diverges", ("c", "lr", "w0", "steps"), ref.diverges, rtol=0.0, atol=0.0,
        uses=("contraction_factor",), hint="Run steps updates of gradient descent on c·w² from w0; return True when the final "
        "w is not finite or |w| > |w0|, else False.",
        mistakes=(
            (ref.diverges_ignoring_nan,
             "A diverging w overflows to inf and then becomes nan, and nan > anything is False. "
             "Count a non-finite w (not math.isfinite(w)) as diverged."),
        ),
    ),
    Task(
        "largest_stable_lr", ("c", "lo", "hi", "iters"), ref.largest_stable_lr, rtol=1e-6,
        atol=1e-12, uses=("diverges",),
        hint="Bisection: repeat iters times: mid = (lo + hi) / 2; if diverges(c, mid, 1.0, 1000) "
        "then hi = mid else lo = mid. Return lo. Theory puts the edge at 1/c: bisection gets "
        "there only with enough iters and when 1/c lies between lo and hi.",
        mistakes=(
            (lambda c, lo, hi, iters: 2.0 / c,
             "2/c is too large: the curvature of c·w² is L = 2c, so the 2/L rule gives "
             "2/(2c) = 1/c."),
        ),
    ),
    Task(
        "step_decay", ("lr0", "factor", "every", "t"), ref.step_decay, rtol=1e-12, atol=1e-15,
        hint="lr0 · factor^⌊t / every⌋: the rate drops by factor every `every` steps "
        "(use integer division t // every).",
        mistakes=(
            (lambda lr0, factor, every, t: lr0 * factor ** (t / every),
             "That decays smoothly (t / every). A step decay drops in steps: use t // every."),
            (lambda lr0, factor, every, t: lr0 * factor ** ((t + 1) // every),
             "Off by one: step t counts from 0, so steps 0 … every−1 use lr0."),
        ),
    ),
    Task(
        "gd_with_schedule", ("c", "w0", "lr0", "factor", "every", "steps"), ref.gd_with_schedule,
        rtol=1e-9, atol=1e-12, uses=("step_decay",),
        hint="Like gd_path on c·w², but update t (counting from 0) uses "
        "lr = step_decay(lr0, factor, every, t). Return [w0, w1, …, w_steps].",
        mistakes=(
            (lambda c, w0, lr0, factor, every, steps: ref.gd_with_schedule(
                c, w0, lr0, factor, every, steps, shift=1),
             "Off by one: the first update is t = 0 and uses lr0."),
            *ref.off_by_one(ref.gd_with_schedule, 5),
        ),
    ),
    # ----------------------------------------------------------------- 05 optimizers
    Task(
        "momentum_step", ("x", "grad", "buf", "lr", "momentum"), ref.momentum_step,
        arrays=("x", "grad", "buf"), rtol=1e-10, atol=1e-10,
        hint="torch.optim.SGD: buf = grad on the first step (buf is None), else "
        "buf = momentum · buf + grad; then x_new = x − lr · buf. Return (x_new, buf).",
        mistakes=(
            (ref.momentum_ema,
             "That is the moving-average form buf = β·buf + (1 − β)·grad. torch.optim.SGD uses "
             "buf = β·buf + grad (and buf = grad on the first step)."),
            (lambda x, grad, buf, lr, m: (x - lr * grad, grad if buf is None else m * buf + grad),
             "x moved by the plain gradient: step along the buffer, x − lr · buf."),
        ),
    ),
    Task(
        "rmsprop_step", ("x", "grad", "sq", "lr", "alpha", "eps"), ref.rmsprop_step,
        arrays=("x", "grad", "sq"), rtol=1e-10, atol=1e-10,
        hint="sq = alpha · sq + (1 − alpha) · grad²; x_new = x − lr · grad / (√sq + eps). "
        "Return (x_new, sq).",
        mistakes=(
            (lambda x, g, sq, lr, a, eps: (
                x - lr * g / np.sqrt(a * sq + (1 - a) * g * g + eps), a * sq + (1 - a) * g * g),
             "ε is inside the square root. torch (and the articles) add it outside: "
             "grad / (√sq + eps)."),
            (lambda x, g, sq, lr, a, eps: (
                x - lr * g / (np.sqrt((1 - a) * sq + a * g * g) + eps), (1 - a) * sq + a * g * g),
             "alpha weighs the OLD average: sq = alpha · sq + (1 − alpha) · grad²."),
        ),
    ),
    Task(
        "adam_step", ("x", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps"), ref.adam_step,
        arrays=("x", "grad", "m", "v"), rtol=1e-10, atol=1e-10, hint="m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; m̂ = m/(1 − β₁ᵗ); v̂ = v/(1 − β₂ᵗ); "
        "x_new = x − lr · m̂ / (√v̂ + eps). Return (x_new, m, v) with the uncorrected m, v.",
        mistakes=(
            (lambda *a: ref.adam_variant(*a, correct=False),
             "No bias correction: divide m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ) before the step "
             "(t = 1 on the first step)."),
            (lambda *a: ref.adam_variant(*a, eps_inside=True),
             "ε is inside the square root. torch.optim.Adam adds it outside: √v̂ + eps."),
        ),
    ),
    Task(
        "adam_path", ("grad_fn", "x0", "lr", "steps"), ref.adam_path, functions=("grad_fn",),
        arrays=("x0",), rtol=1e-8, atol=1e-10, uses=("adam_step",),
        hint="m = v = zeros; for t = 1 … steps: x, m, v = adam_step(x, grad_fn(x), m, v, t, lr, "
        "0.9, 0.999, 1e-8). Return [x0, x1, …, x_steps] (steps + 1 points).",
        mistakes=(
            (ref.adam_path_uncorrected,
             "No bias correction: t must count the steps from 1, and m, v are divided by "
             "(1 − βᵗ)."),
            (ref.adam_path_from_t0,
             "t starts at 1: with t = 0 the bias correction 1 − β⁰ = 0 divides by zero, so the "
             "first step already gives nan."),
            *ref.off_by_one(ref.adam_path, 3),
        ),
    ),
]


def _with_visible(task: Task) -> Task:
    number, visible = VISIBLE.get(task.name, (0, ()))
    return replace(task, number=number, visible=visible)


TASKS: dict[str, Task] = {task.name: _with_visible(task) for task in _TASK_LIST}

"""The exercise tasks: what each function must compute, and how answers are compared.

A test case is plain data, written in the exercise notebook's check cell::

    check("derivative", derivative, [{"f": "cube", "x": 2.0}, {"f": "cube", "x": 1.0, "h": 0.1}])

Each key is a parameter of the task (given in order, a prefix of ``Task.params``), plus an
optional ``"points"`` (default 1). Parameters listed in ``Task.functions`` name an input
function from ``FUNCTIONS``; in ``Task.arrays`` a list becomes a float numpy array. The
expected answer is never written in the notebook: it is ``Task.reference`` (computed with
gdteach) applied to the same inputs, so the self-check, nbgrader's autograde and
``gdteach.grade`` all judge the same thing.

Answers are compared as plain data (``plain``): a bool, a float, or nested lists of them.

>>> same(plain(np.array([0.6, 1.08])), [0.6, 1.0800000000000001], rtol=1e-9, atol=0.0)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..objectives import Objective, check_grad, linear_regression, numerical_gradient, quadratic
from ..optim import SGD, Adam, AdamState, RMSprop, RMSpropState, SGDState
from ..run import _batches, _make_rng, run
from ..schedules import step_decay

__all__ = ["FUNCTIONS", "TASKS", "Task", "plain", "same", "show", "decode", "call_text"]

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


# --------------------------------------------------------------------------- plain data


def plain(value, _depth=0):
    """``value`` as JSON-ready data: a bool, a float, or (nested) lists of them.

    Anything else (None, strings, objects that merely claim to be equal to everything)
    raises TypeError. The grader runs this very function inside the kernel (it is copied
    into the probe), so it takes its types from literals rather than from builtins a
    submission could have replaced; the grader then checks the data again on its side.
    """
    import numpy

    float_, bool_, list_, tuple_ = (0.0).__class__, (True).__class__, [].__class__, ().__class__
    is_a = float_.__class__.__instancecheck__  # type.__instancecheck__, i.e. isinstance
    numbers = ((0).__class__, float_, numpy.integer, numpy.floating)
    if _depth > 6:
        raise TypeError("the result is nested too deeply")
    if value is None:
        raise TypeError("returned None: did you forget the return statement?")
    if is_a(bool_, value) or is_a(numpy.bool_, value):
        return bool_(value)
    for kind in numbers:
        if is_a(kind, value):
            return float_(value)
    if is_a(numpy.ndarray, value):
        if value.size > 100_000:
            raise TypeError("the result is too large")
        if value.ndim == 0:
            return plain(value[()], _depth + 1)
        return [plain(item, _depth + 1) for item in value]
    if is_a(list_, value) or is_a(tuple_, value):
        if value.__len__() > 100_000:
            raise TypeError("the result is too long")
        return [plain(item, _depth + 1) for item in value]
    raise TypeError(f"returned a {value.__class__.__name__}, not a number or an array of numbers")


def is_plain(data: Any, _depth: int = 0) -> bool:
    """Whether ``data`` (parsed JSON) is plain: bools, numbers and lists of them only."""
    if _depth > 7:
        return False
    if type(data) in (bool, int, float):
        return True
    if type(data) is list:
        return len(data) <= 100_000 and all(is_plain(item, _depth + 1) for item in data)
    return False


def same(expected: Any, got: Any, *, rtol: float, atol: float) -> bool:
    """Whether plain ``got`` matches plain ``expected``: same structure, bools equal,
    numbers within ``atol + rtol·|expected|`` (non-finite numbers must be identical)."""
    if type(expected) is bool:
        return type(got) is bool and got == expected
    if type(expected) is float:
        if type(got) not in (int, float):
            return False
        got = float(got)
        if not (math.isfinite(expected) and math.isfinite(got)):
            return got == expected or (math.isnan(got) and math.isnan(expected))
        return abs(got - expected) <= atol + rtol * abs(expected)
    if type(expected) is list:
        return (
            type(got) is list
            and len(got) == len(expected)
            and all(same(e, g, rtol=rtol, atol=atol) for e, g in zip(expected, got))
        )
    return False


def show(data: Any, digits: int = 7, limit: int = 8) -> str:
    """Short text for plain data (or a case's raw input value)."""
    if isinstance(data, bool) or data is None:
        return str(data)
    if isinstance(data, float):
        return f"{data:.{digits}g}"
    if isinstance(data, (int, str)):
        return str(data)
    if isinstance(data, (list, tuple)):
        items = [show(item, digits, limit) for item in list(data)[:limit]]
        if len(data) > limit:
            items.append(f"… ({len(data)} items)")
        return "[" + ", ".join(items) + "]"
    return repr(data)


def _kind(data: Any) -> str:
    if type(data) is bool:
        return "True/False"
    if type(data) in (int, float):
        return "a number"
    if type(data) is list:
        return f"a list of {len(data)}"
    return "something else"


def difference(expected: Any, got: Any, *, rtol: float, atol: float, where: str = "") -> str:
    """Where plain ``got`` first differs from ``expected``, in words ("" if it matches).

    >>> difference([1.0, 2.0], [1.0, 2.5], rtol=0.0, atol=1e-9)
    'at [1]: expected 2, got 2.5'
    """
    if type(expected) is list and type(got) is list and len(got) == len(expected):
        for i, (e, g) in enumerate(zip(expected, got)):
            if not same(e, g, rtol=rtol, atol=atol):
                return difference(e, g, rtol=rtol, atol=atol, where=f"{where}[{i}]")
        return ""
    at = f" at {where}" if where else ""
    if type(expected) is list and type(got) is list:
        return f"expected {len(expected)} values{at}, got {len(got)}"
    if _kind(expected) != _kind(got):
        return f"expected {_kind(expected)}{at}, got {_kind(got)}"
    if same(expected, got, rtol=rtol, atol=atol):
        return ""
    return f"{at[1:]}: expected {show(expected, 10)}, got {show(got, 10)}" if where else ""


# --------------------------------------------------------------------------- tasks


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


# --- references: each is the gdteach computation the learner's function must reproduce


def _sgd_path(grad_fn, x0, optimizer, steps):
    x = np.asarray(x0, dtype=float)
    state = optimizer.init(x)
    xs = [x]
    for _ in range(int(steps)):
        x, state = optimizer.step(x, np.asarray(grad_fn(x), dtype=float), state)
        xs.append(x)
    return np.array(xs)


def _derivative(f, x, h=1e-5):
    return numerical_gradient(lambda v: f(v[0]), [x], h)[0]


def _gradient(f, x, h=1e-5):
    return numerical_gradient(f, x, h)


def _relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = max(np.linalg.norm(a), np.linalg.norm(b), 1e-12)
    return np.linalg.norm(a - b) / scale


def _gradient_check(f, grad, x):
    return check_grad(Objective(f, grad), x, h=1e-5)


def _gd_step(w, grad, lr):
    optimizer = SGD(lr=lr)
    return optimizer.step(w, grad, optimizer.init(w))[0]


def _gd_path(grad_fn, w0, lr, steps):
    return _sgd_path(grad_fn, w0, SGD(lr=lr), steps)


def _mse_gradient(theta, X, y):
    return linear_regression(X, y, convention="half").grad(theta)


def _fit(X, y, lr, steps, convention="half"):
    objective = linear_regression(X, y, convention=convention)
    return run(objective, np.zeros(objective.dim), SGD(lr=lr), int(steps), warn=False).final_x


def _make_batches(order, batch_size):
    return [list(order[i : i + batch_size]) for i in range(0, len(order), batch_size)]


def _epoch_orders(n, epochs, seed):
    # exactly the permutations gdteach.run draws when it shuffles mini-batches
    batches = _batches(n, n, True, _make_rng(seed))
    return [next(batches)[1] for _ in range(epochs)]


def _batch_gradient(theta, X, y, rows):
    return linear_regression(X, y, convention="half").grad(theta, rows=np.asarray(rows))


def _minibatch_sgd(X, y, lr, batch_size, epochs, seed, shuffle=True):
    objective = linear_regression(X, y, convention="half")
    steps = epochs * math.ceil(len(y) / batch_size)
    traj = run(
        objective, np.zeros(objective.dim), SGD(lr=lr), steps,
        batch_size=batch_size, shuffle=shuffle, rng=seed, warn=False,
    )
    return traj.final_x


def _minibatch_reseeded(X, y, lr, batch_size, epochs, seed):
    objective = linear_regression(X, y, convention="half")
    theta, optimizer = np.zeros(objective.dim), SGD(lr=lr)
    state = optimizer.init(theta)
    for _ in range(epochs):
        order = np.random.default_rng(seed).permutation(len(y))
        for start in range(0, len(y), batch_size):
            rows = order[start : start + batch_size]
            theta, state = optimizer.step(theta, objective.grad(theta, rows=rows), state)
    return theta


def _contraction_factor(c, lr):
    w = np.array([1.0])
    optimizer = SGD(lr=lr)
    return optimizer.step(w, quadratic([c]).grad(w), optimizer.init(w))[0][0]


def _diverges(c, lr, w0, steps):
    traj = run(quadratic([c]), [w0], SGD(lr=lr), int(steps), warn=False)
    return bool(traj.stop_reason == "diverged" or abs(traj.final_x[0]) > abs(w0))


def _diverges_ignoring_nan(c, lr, w0, steps):
    w = float(w0)
    with np.errstate(all="ignore"):
        for _ in range(int(steps)):
            w = float(np.float64(w) - lr * 2 * c * np.float64(w))
    return abs(w) > abs(w0)


def _largest_stable_lr(c, lo, hi, iters):
    # gradient descent on c·w² multiplies w by (1 − 2c·lr): stable while |1 − 2c·lr| ≤ 1,
    # i.e. lr ≤ 1/c, the 2/L rule with curvature L = 2c (see gdteach.objectives.quadratic)
    return 1.0 / c


def _step_decay(lr0, factor, every, t):
    return step_decay(lr0, factor, every)(t)


def _gd_with_schedule(c, w0, lr0, factor, every, steps, shift=0):
    schedule = step_decay(lr0, factor, every)
    lr = (lambda t: schedule(t + shift)) if shift else schedule
    return run(quadratic([c]), w0, SGD(lr=lr), int(steps), warn=False).x


def _momentum_step(x, grad, buf, lr, momentum):
    optimizer = SGD(lr=lr, momentum=momentum)
    state = SGDState(step=0, momentum_buffer=None if buf is None else np.asarray(buf, dtype=float))
    x_new, state = optimizer.step(x, grad, state)
    return x_new, state.momentum_buffer


def _momentum_ema(x, grad, buf, lr, momentum):
    buf = np.zeros_like(grad) if buf is None else buf
    buf = momentum * buf + (1 - momentum) * grad
    return x - lr * buf, buf


def _rmsprop_step(x, grad, sq, lr, alpha, eps):
    optimizer = RMSprop(lr=lr, alpha=alpha, eps=eps)
    x_new, state = optimizer.step(x, grad, RMSpropState(0, np.asarray(sq, dtype=float), None, None))
    return x_new, state.square_avg


def _adam_step(x, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    optimizer = Adam(lr=lr, betas=(beta1, beta2), eps=eps)
    state = AdamState(int(t) - 1, np.asarray(m, dtype=float), np.asarray(v, dtype=float), None)
    x_new, state = optimizer.step(x, grad, state)
    return x_new, state.exp_avg, state.exp_avg_sq


def _adam_variant(x, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, *, correct=True,
                  eps_inside=False):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t) if correct else m
    v_hat = v / (1 - beta2**t) if correct else v
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    return x - lr * m_hat / denom, m, v


def _adam_path(grad_fn, x0, lr, steps):
    return _sgd_path(grad_fn, x0, Adam(lr=lr), steps)


def _adam_path_uncorrected(grad_fn, x0, lr, steps):
    x = np.asarray(x0, dtype=float)
    m, v, xs = np.zeros_like(x), np.zeros_like(x), [x]
    for t in range(1, int(steps) + 1):
        x, m, v = _adam_variant(x, np.asarray(grad_fn(x), dtype=float), m, v, t, lr, correct=False)
        xs.append(x)
    return np.array(xs)


def _adam_path_from_t0(grad_fn, x0, lr, steps):
    x = np.asarray(x0, dtype=float)
    m, v, xs = np.zeros_like(x), np.zeros_like(x), [x]
    for t in range(int(steps)):
        x, m, v = _adam_variant(x, np.asarray(grad_fn(x), dtype=float), m, v, t, lr)
        xs.append(x)
    return np.array(xs)


def _off_by_one(reference, index, name="steps"):
    """Two ``mistakes`` entries: ``reference`` run with one update too many and one too few
    (its argument ``name``, at position ``index``, plus or minus 1)."""
    entries = []
    for delta, word, sign in ((1, "many", "+"), (-1, "few", "−")):
        def wrong(*args, delta=delta):
            args = list(args)
            args[index] = int(args[index]) + delta
            if args[index] < 0:
                raise ValueError("no run has fewer than 0 updates")
            return reference(*args)

        def hint(case, delta=delta, word=word, sign=sign):
            n = int(case[name])
            return (f"You made {n + delta} updates ({name} {sign} 1), one too {word}: "
                    f"{name} = {n} means exactly {n} updates, as in for _ in range({name}).")

        entries.append((wrong, hint))
    return tuple(entries)


# data of the visible checks (article C's line y = 2x, article B's hours and scores)
_C_X, _C_Y = [[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]], [2.0, 4.0, 6.0]
_B_X = [[1.0, 1.0], [2.0, 1.0], [3.0, 1.0], [4.0, 1.0], [5.0, 1.0]]
_B_Y = [2.0, 4.0, 5.0, 4.0, 5.0]

_TASK_LIST = [
    # ----------------------------------------------------------------- 01 derivatives
    Task(
        "derivative", ("f", "x", "h"), _derivative, functions=("f",), rtol=1e-6, atol=1e-9,
        number=1, visible=({"f": "cube", "x": 2.0}, {"f": "sin", "x": 0.5},
                           {"f": "cube", "x": 1.0, "h": 0.1}),
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
        "gradient", ("f", "x", "h"), _gradient, functions=("f",), arrays=("x",),
        rtol=1e-6, atol=1e-7, uses=("derivative",), number=2,
        visible=({"f": "bowl", "x": [1.0, -1.0]}, {"f": "rosenbrock", "x": [-1.5, 1.5]}),
        hint="Return an array shaped like x whose entry i is (f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h), "
        "with eᵢ the i-th unit vector. Work on copies of x (x.copy()), never on x itself.",
        mistakes=(
            (lambda f, x, h=1e-5: np.array([(f(x + h * e) - f(x)) / h for e in np.eye(len(x))]),
             "That is the forward difference along each axis. Use the central difference "
             "(f(x + h·eᵢ) − f(x − h·eᵢ)) / (2h)."),
        ),
    ),
    Task(
        "relative_error", ("a", "b"), _relative_error, arrays=("a", "b"), rtol=1e-9, atol=1e-12,
        number=3, visible=({"a": [1.0, 2.0], "b": [1.0, 2.5]}, {"a": [3.0, 4.0], "b": [0.0, 0.5]},
                           {"a": [2.0, 0.0], "b": [0.0, 1.0]}),
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
        "gradient_check", ("f", "grad", "x"), _gradient_check, functions=("f", "grad"),
        arrays=("x",), rtol=1e-5, atol=1e-12, uses=("relative_error", "gradient"),
        hint="Return relative_error(grad(x), gradient(f, x)): tiny (below 1e-6) when grad is "
        "right, large when it is wrong. Use your own gradient() with its default h.",
    ),
    # ----------------------------------------------------------------- 02 update rule
    Task(
        "gd_step", ("w", "grad", "lr"), _gd_step, arrays=("w", "grad"), rtol=1e-12, atol=1e-12,
        number=1, visible=({"w": 0.0, "grad": -6.0, "lr": 0.1}, {"w": 5.0, "grad": 10.0, "lr": 0.1},
                           {"w": [1.0, 2.0], "grad": [0.5, -1.0], "lr": 0.2}),
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
        "gd_path", ("grad_fn", "w0", "lr", "steps"), _gd_path, functions=("grad_fn",),
        arrays=("w0",), rtol=1e-9, atol=1e-12, uses=("gd_step",),
        hint="Return the whole path [w0, w1, …, w_steps] (steps + 1 values): start from w0 and "
        "apply w ← w − lr · grad_fn(w) steps times, keeping every w.",
        mistakes=(
            (lambda grad_fn, w0, lr, steps: _gd_path(grad_fn, w0, lr, steps)[1:],
             "Your path misses the starting point: it must begin with w0 and hold steps + 1 "
             "values."),
            (lambda grad_fn, w0, lr, steps: _gd_path(grad_fn, w0, lr, steps)[-1],
             "Return every iterate [w0, w1, …], not only the last one."),
            *_off_by_one(_gd_path, 3),
        ),
    ),
    Task(
        "mse_gradient", ("theta", "X", "y"), _mse_gradient, arrays=("theta", "X", "y"),
        rtol=1e-9, atol=1e-12, number=3,
        visible=({"theta": [0.0, 0.0], "X": _C_X, "y": _C_Y},
                 {"theta": [1.0, 0.5], "X": _C_X, "y": _C_Y}),
        hint="For L(θ) = (1/2m) Σ (Xθ − y)², the gradient is (1/m) Xᵀ(Xθ − y), m = len(y).",
        mistakes=(
            (lambda theta, X, y: 2 * _mse_gradient(theta, X, y),
             "Twice too large: that is the gradient of (1/m) Σ (Xθ − y)². This exercise uses "
             "L = (1/2m) Σ (Xθ − y)² (article C), whose gradient is (1/m) Xᵀ(Xθ − y)."),
            (lambda theta, X, y: -_mse_gradient(theta, X, y),
             "The sign is flipped: the residual is prediction minus target, Xθ − y."),
            (lambda theta, X, y: len(y) * _mse_gradient(theta, X, y),
             "Divide by m = len(y): the loss is an average over the rows."),
        ),
    ),
    Task(
        "fit_linear", ("X", "y", "lr", "steps"), _fit, arrays=("X", "y"), rtol=1e-9, atol=1e-12,
        uses=("gd_step", "mse_gradient"),
        hint="Start from θ = zeros (one per column of X) and repeat steps times: "
        "θ ← gd_step(θ, mse_gradient(θ, X, y), lr). Return θ.",
        mistakes=(
            (lambda X, y, lr, steps: _fit(X, y, lr, steps, convention="mean"),
             "Your steps are twice too long: you used the gradient of (1/m) Σ (Xθ − y)². Use "
             "your mse_gradient, the gradient of (1/2m) Σ (Xθ − y)²."),
            *_off_by_one(_fit, 3),
        ),
    ),
    # ----------------------------------------------------------------- 03 variants
    Task(
        "make_batches", ("order", "batch_size"), _make_batches, rtol=0.0, atol=0.0,
        number=1, visible=({"order": [4, 0, 3, 1, 2], "batch_size": 2},
                           {"order": [0, 1, 2, 3, 4, 5], "batch_size": 3}),
        hint="Cut order into consecutive pieces of batch_size: order[0:b], order[b:2b], …; "
        "the last piece may be shorter.",
        mistakes=(
            (lambda order, b: _make_batches(order, b)[: len(order) // b],
             "You dropped the last, shorter batch: every row must be used once per epoch."),
        ),
    ),
    Task(
        "epoch_orders", ("n", "epochs", "seed"), _epoch_orders, rtol=0.0, atol=0.0,
        number=2, visible=({"n": 5, "epochs": 2, "seed": 0}, {"n": 8, "epochs": 3, "seed": 42}),
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
        "batch_gradient", ("theta", "X", "y", "rows"), _batch_gradient, arrays=("theta", "X", "y"),
        rtol=1e-9, atol=1e-12, number=3,
        visible=({"theta": [0.0, 0.0], "X": _B_X, "y": _B_Y, "rows": [0, 1]},
                 {"theta": [0.5, 1.0], "X": _B_X, "y": _B_Y, "rows": [4, 2, 0]}),
        hint="Take the rows of the batch, Xb = X[rows], yb = y[rows], and return "
        "(1/len(rows)) · Xbᵀ(Xb θ − yb).",
        mistakes=(
            (lambda theta, X, y, rows: _batch_gradient(theta, X, y, rows) * len(rows) / len(y),
             "Divide by the batch size len(rows), not by the number of rows of the whole data."),
            (lambda theta, X, y, rows: _mse_gradient(theta, X, y),
             "That is the full-data gradient: use only the rows of the batch."),
        ),
    ),
    Task(
        "minibatch_sgd", ("X", "y", "lr", "batch_size", "epochs", "seed"), _minibatch_sgd,
        arrays=("X", "y"), rtol=1e-9, atol=1e-12,
        uses=("make_batches", "epoch_orders", "batch_gradient"),
        hint="θ = zeros; rng = np.random.default_rng(seed); each epoch: order = "
        "rng.permutation(len(y)), then for each batch in make_batches(order, batch_size): "
        "θ ← θ − lr · batch_gradient(θ, X, y, batch). Return θ.",
        mistakes=(
            (lambda X, y, lr, b, epochs, seed: _minibatch_sgd(X, y, lr, b, epochs, seed, False),
             "You did not shuffle: draw order = rng.permutation(len(y)) at the start of every "
             "epoch."),
            (_minibatch_reseeded,
             "Every epoch used the same order: create rng = np.random.default_rng(seed) once, "
             "before the epoch loop."),
        ),
    ),
    # ----------------------------------------------------------------- 04 learning rate
    Task(
        "contraction_factor", ("c", "lr"), _contraction_factor, rtol=1e-12, atol=1e-12,
        number=1, visible=({"c": 1.0, "lr": 0.1}, {"c": 1.0, "lr": 1.5}),
        hint="One step on f(w) = c·w² is w − lr · 2c·w = (1 − 2c·lr)·w: return 1 − 2c·lr.",
        mistakes=(
            (lambda c, lr: 1 - c * lr,
             "The derivative of c·w² is 2c·w, so the factor is 1 − 2c·lr (you left out the 2)."),
        ),
    ),
    Task(
        "diverges", ("c", "lr", "w0", "steps"), _diverges, rtol=0.0, atol=0.0,
        uses=("contraction_factor",), number=2,
        visible=({"c": 1.0, "lr": 0.1, "w0": 5.0, "steps": 50},
                 {"c": 1.0, "lr": 1.5, "w0": 1.0, "steps": 50},
                 {"c": 1.0, "lr": 1.0, "w0": 1.0, "steps": 50}),
        hint="Run steps updates of gradient descent on c·w² from w0; return True when the final "
        "w is not finite or |w| > |w0|, else False.",
        mistakes=(
            (_diverges_ignoring_nan,
             "A diverging w overflows to inf and then becomes nan, and nan > anything is False. "
             "Count a non-finite w (not math.isfinite(w)) as diverged."),
        ),
    ),
    Task(
        "largest_stable_lr", ("c", "lo", "hi", "iters"), _largest_stable_lr, rtol=1e-6,
        atol=1e-12, uses=("diverges",),
        hint="Bisection: repeat iters times: mid = (lo + hi) / 2; if diverges(c, mid, 1.0, 1000) "
        "then hi = mid else lo = mid. Return lo. Theory says the answer is 1/c.",
        mistakes=(
            (lambda c, lo, hi, iters: 2.0 / c,
             "2/c is too large: the curvature of c·w² is L = 2c, so the 2/L rule gives "
             "2/(2c) = 1/c."),
        ),
    ),
    Task(
        "step_decay", ("lr0", "factor", "every", "t"), _step_decay, rtol=1e-12, atol=1e-15,
        number=4, visible=tuple({"lr0": 0.1, "factor": 0.1, "every": 10, "t": t} for t in (10, 19, 20, 25)),
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
        "gd_with_schedule", ("c", "w0", "lr0", "factor", "every", "steps"), _gd_with_schedule,
        rtol=1e-9, atol=1e-12, uses=("step_decay",),
        hint="Like gd_path on c·w², but update t (counting from 0) uses "
        "lr = step_decay(lr0, factor, every, t). Return [w0, w1, …, w_steps].",
        mistakes=(
            (lambda c, w0, lr0, factor, every, steps: _gd_with_schedule(
                c, w0, lr0, factor, every, steps, shift=1),
             "Off by one: the first update is t = 0 and uses lr0."),
            *_off_by_one(_gd_with_schedule, 5),
        ),
    ),
    # ----------------------------------------------------------------- 05 optimizers
    Task(
        "momentum_step", ("x", "grad", "buf", "lr", "momentum"), _momentum_step,
        arrays=("x", "grad", "buf"), rtol=1e-10, atol=1e-10,
        hint="torch.optim.SGD: buf = grad on the first step (buf is None), else "
        "buf = momentum · buf + grad; then x_new = x − lr · buf. Return (x_new, buf).",
        mistakes=(
            (_momentum_ema,
             "That is the moving-average form buf = β·buf + (1 − β)·grad. torch.optim.SGD uses "
             "buf = β·buf + grad (and buf = grad on the first step)."),
            (lambda x, grad, buf, lr, m: (x - lr * grad, grad if buf is None else m * buf + grad),
             "x moved by the plain gradient: step along the buffer, x − lr · buf."),
        ),
    ),
    Task(
        "rmsprop_step", ("x", "grad", "sq", "lr", "alpha", "eps"), _rmsprop_step,
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
        "adam_step", ("x", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps"), _adam_step,
        arrays=("x", "grad", "m", "v"), rtol=1e-10, atol=1e-10, number=3,
        visible=(
            {"x": [1.0], "grad": [5.0], "m": [0.0], "v": [0.0], "t": 1, "lr": 0.1, "beta1": 0.9,
             "beta2": 0.999, "eps": 1e-08},
            {"x": [1.0, -1.0], "grad": [0.2, -0.4], "m": [0.1, 0.0], "v": [0.01, 0.02], "t": 3,
             "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08},
            {"x": [0.0], "grad": [1e-09], "m": [0.0], "v": [0.0], "t": 1, "lr": 0.1, "beta1": 0.9,
             "beta2": 0.999, "eps": 1e-08},
        ),
        hint="m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; m̂ = m/(1 − β₁ᵗ); v̂ = v/(1 − β₂ᵗ); "
        "x_new = x − lr · m̂ / (√v̂ + eps). Return (x_new, m, v) with the uncorrected m, v.",
        mistakes=(
            (lambda *a: _adam_variant(*a, correct=False),
             "No bias correction: divide m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ) before the step "
             "(t = 1 on the first step)."),
            (lambda *a: _adam_variant(*a, eps_inside=True),
             "ε is inside the square root. torch.optim.Adam adds it outside: √v̂ + eps."),
        ),
    ),
    Task(
        "adam_path", ("grad_fn", "x0", "lr", "steps"), _adam_path, functions=("grad_fn",),
        arrays=("x0",), rtol=1e-8, atol=1e-10, uses=("adam_step",),
        hint="m = v = zeros; for t = 1 … steps: x, m, v = adam_step(x, grad_fn(x), m, v, t, lr, "
        "0.9, 0.999, 1e-8). Return [x0, x1, …, x_steps] (steps + 1 points).",
        mistakes=(
            (_adam_path_uncorrected,
             "No bias correction: t must count the steps from 1, and m, v are divided by "
             "(1 − βᵗ)."),
            (_adam_path_from_t0,
             "t starts at 1: with t = 0 the bias correction 1 − β⁰ = 0 divides by zero, so the "
             "first step already gives nan."),
            *_off_by_one(_adam_path, 3),
        ),
    ),
]

TASKS: dict[str, Task] = {task.name: task for task in _TASK_LIST}

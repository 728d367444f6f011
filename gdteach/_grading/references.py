"""The reference answers: for each task, the gdteach computation the learner's function must
reproduce, and the results of the common mistakes the hints recognise.

Each function takes a case's decoded arguments (``tasks.decode``) and returns what the
learner's function should return (or what a typical wrong version returns). The grader
calls them in its own process only: the sandbox never sees gdteach.

>>> float(gd_step(0.0, -6.0, 0.1))
0.6000000000000001
"""

from __future__ import annotations

import math

import numpy as np

from .. import schedules
from ..objectives import Objective, check_grad, linear_regression, numerical_gradient, quadratic
from ..optim import SGD, Adam, AdamState, RMSprop, RMSpropState, SGDState
from ..run import epoch_order, make_rng, run


def _sgd_path(grad_fn, x0, optimizer, steps):
    x = np.asarray(x0, dtype=float)
    state = optimizer.init(x)
    xs = [x]
    for _ in range(int(steps)):
        x, state = optimizer.step(x, np.asarray(grad_fn(x), dtype=float), state)
        xs.append(x)
    return np.array(xs)


def derivative(f, x, h=1e-5):
    return numerical_gradient(lambda v: f(v[0]), [x], h)[0]


def gradient(f, x, h=1e-5):
    return numerical_gradient(f, x, h)


def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = max(np.linalg.norm(a), np.linalg.norm(b), 1e-12)
    return np.linalg.norm(a - b) / scale


def gradient_check(f, grad, x):
    return check_grad(Objective(f, grad), x, h=1e-5)


def gd_step(w, grad, lr):
    optimizer = SGD(lr=lr)
    return optimizer.step(w, grad, optimizer.init(w))[0]


def gd_path(grad_fn, w0, lr, steps):
    return _sgd_path(grad_fn, w0, SGD(lr=lr), steps)


def mse_gradient(theta, X, y):
    return linear_regression(X, y, convention="half").grad(theta)


def fit_linear(X, y, lr, steps, convention="half"):
    objective = linear_regression(X, y, convention=convention)
    return run(objective, np.zeros(objective.dim), SGD(lr=lr), int(steps), warn=False).final_x


def make_batches(order, batch_size):
    return [list(order[i : i + batch_size]) for i in range(0, len(order), batch_size)]


def epoch_orders(n, epochs, seed):
    # exactly the permutations gdteach.run draws when it shuffles mini-batches
    rng = make_rng(seed)
    return [epoch_order(n, rng=rng) for _ in range(epochs)]


def batch_gradient(theta, X, y, rows):
    return linear_regression(X, y, convention="half").grad(theta, rows=np.asarray(rows))


def minibatch_sgd(X, y, lr, batch_size, epochs, seed, shuffle=True):
    objective = linear_regression(X, y, convention="half")
    steps = epochs * math.ceil(len(y) / batch_size)
    traj = run(
        objective, np.zeros(objective.dim), SGD(lr=lr), steps,
        batch_size=batch_size, shuffle=shuffle, rng=seed, warn=False,
    )
    return traj.final_x


def minibatch_reseeded(X, y, lr, batch_size, epochs, seed):
    objective = linear_regression(X, y, convention="half")
    theta, optimizer = np.zeros(objective.dim), SGD(lr=lr)
    state = optimizer.init(theta)
    for _ in range(epochs):
        order = np.random.default_rng(seed).permutation(len(y))
        for start in range(0, len(y), batch_size):
            rows = order[start : start + batch_size]
            theta, state = optimizer.step(theta, objective.grad(theta, rows=rows), state)
    return theta


def contraction_factor(c, lr):
    w = np.array([1.0])
    optimizer = SGD(lr=lr)
    return optimizer.step(w, quadratic([c]).grad(w), optimizer.init(w))[0][0]


def diverges(c, lr, w0, steps):
    traj = run(quadratic([c]), [w0], SGD(lr=lr), int(steps), warn=False)
    return bool(traj.stop_reason == "diverged" or abs(traj.final_x[0]) > abs(w0))


def diverges_ignoring_nan(c, lr, w0, steps):
    w = float(w0)
    with np.errstate(all="ignore"):
        for _ in range(int(steps)):
            w = float(np.float64(w) - lr * 2 * c * np.float64(w))
    return abs(w) > abs(w0)


def largest_stable_lr(c, lo, hi, iters):
    # bisection, as the task asks: gradient descent on c·w² multiplies w by (1 − 2c·lr), stable
    # while lr ≤ 1/c (the 2/L rule with curvature L = 2c); with enough iters and 1/c inside
    # [lo, hi] this reaches 1/c, with few iters or 1/c > hi it stops short, as it should
    for _ in range(int(iters)):
        mid = (lo + hi) / 2
        if diverges(c, mid, 1.0, 1000):
            hi = mid
        else:
            lo = mid
    return lo


def step_decay(lr0, factor, every, t):
    return schedules.step_decay(lr0, factor, every)(t)


def gd_with_schedule(c, w0, lr0, factor, every, steps, shift=0):
    schedule = schedules.step_decay(lr0, factor, every)
    lr = (lambda t: schedule(t + shift)) if shift else schedule
    return run(quadratic([c]), w0, SGD(lr=lr), int(steps), warn=False).x


def momentum_step(x, grad, buf, lr, momentum):
    optimizer = SGD(lr=lr, momentum=momentum)
    state = SGDState(step=0, momentum_buffer=None if buf is None else np.asarray(buf, dtype=float))
    x_new, state = optimizer.step(x, grad, state)
    return x_new, state.momentum_buffer


def momentum_ema(x, grad, buf, lr, momentum):
    buf = np.zeros_like(grad) if buf is None else buf
    buf = momentum * buf + (1 - momentum) * grad
    return x - lr * buf, buf


def rmsprop_step(x, grad, sq, lr, alpha, eps):
    optimizer = RMSprop(lr=lr, alpha=alpha, eps=eps)
    x_new, state = optimizer.step(x, grad, RMSpropState(step=0, square_avg=np.asarray(sq, dtype=float), grad_avg=None, momentum_buffer=None))
    return x_new, state.square_avg


def adam_step(x, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    optimizer = Adam(lr=lr, betas=(beta1, beta2), eps=eps)
    state = AdamState(step=int(t) - 1, exp_avg=np.asarray(m, dtype=float),
                      exp_avg_sq=np.asarray(v, dtype=float), max_exp_avg_sq=None)
    x_new, state = optimizer.step(x, grad, state)
    return x_new, state.exp_avg, state.exp_avg_sq


def adam_variant(x, grad, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, *, correct=True,
                  eps_inside=False):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t) if correct else m
    v_hat = v / (1 - beta2**t) if correct else v
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    return x - lr * m_hat / denom, m, v


def adam_path(grad_fn, x0, lr, steps):
    return _sgd_path(grad_fn, x0, Adam(lr=lr), steps)


def adam_path_uncorrected(grad_fn, x0, lr, steps):
    x = np.asarray(x0, dtype=float)
    m, v, xs = np.zeros_like(x), np.zeros_like(x), [x]
    for t in range(1, int(steps) + 1):
        x, m, v = adam_variant(x, np.asarray(grad_fn(x), dtype=float), m, v, t, lr, correct=False)
        xs.append(x)
    return np.array(xs)


def adam_path_from_t0(grad_fn, x0, lr, steps):
    x = np.asarray(x0, dtype=float)
    m, v, xs = np.zeros_like(x), np.zeros_like(x), [x]
    for t in range(int(steps)):
        x, m, v = adam_variant(x, np.asarray(grad_fn(x), dtype=float), m, v, t, lr)
        xs.append(x)
    return np.array(xs)


def off_by_one(reference, index, name="steps"):
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

"""The runner: what a Trajectory records, when a run stops, mini-batches, bad input."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from gdteach import DivergenceWarning, Objective, compare, objectives, optim, run, sweep
from gdteach.run import STOP_REASONS, batches, epoch_order, make_rng

C = np.array([0.1, 2.0])
BOWL = objectives.quadratic(C)  # f = 0.1 x1² + 2 x2², ∇f = (0.2 x1, 4 x2)


# --------------------------------------------------------------------------- what is recorded


def test_trajectory_records_every_iterate_loss_grad_and_lr() -> None:
    x0 = np.array([3.0, -1.0])
    traj = run(BOWL, x0, optim.SGD(lr=0.2), 10)
    # GD on Σ cᵢxᵢ²: xᵢ ← (1 − 2ηcᵢ) xᵢ, factors 0.96 and 0.2
    expected_x = np.array([0.96, 0.2]) ** np.arange(11)[:, None] * x0
    assert traj.x.shape == (11, 2) and traj.loss.shape == (11,)
    assert traj.grad.shape == (10, 2) and traj.lr.shape == (10,) and traj.epoch.shape == (10,)
    np.testing.assert_array_equal(traj.x[0], x0)
    np.testing.assert_allclose(traj.x, expected_x, rtol=1e-13)
    np.testing.assert_allclose(traj.loss, 0.1 * expected_x[:, 0] ** 2 + 2 * expected_x[:, 1] ** 2)
    np.testing.assert_allclose(traj.grad, 2 * C * expected_x[:-1], rtol=1e-13)
    np.testing.assert_array_equal(traj.lr, np.full(10, 0.2))
    np.testing.assert_array_equal(traj.epoch, np.zeros(10, dtype=int))
    assert traj.steps == 10 and traj.stop_reason == "max_steps"
    assert not traj.diverged
    np.testing.assert_array_equal(traj.final_x, traj.x[-1])
    assert traj.final_loss == traj.loss[-1]


def test_scalar_start_gives_one_dimensional_arrays() -> None:
    traj = run(objectives.square, 5.0, optim.SGD(lr=0.1), 3)
    assert traj.x.shape == (4,) and traj.grad.shape == (3,) and traj.loss.shape == (4,)
    np.testing.assert_allclose(traj.x, [5.0, 4.0, 3.2, 2.56], rtol=1e-15)  # x ← 0.8 x
    np.testing.assert_allclose(traj.grad, [10.0, 8.0, 6.4], rtol=1e-15)
    np.testing.assert_allclose(traj.loss, [25.0, 16.0, 10.24, 6.5536], rtol=1e-15)
    vector = run(objectives.square, [5.0], optim.SGD(lr=0.1), 3)
    assert vector.x.shape == (4, 1)


def test_trajectory_updates_grad_norm_and_update_ratio() -> None:
    traj = run(objectives.square, 5.0, optim.SGD(lr=0.1), 5)
    k = np.arange(5)
    np.testing.assert_allclose(traj.updates, -0.2 * 5 * 0.8**k, rtol=1e-14)  # x_{k+1} − x_k
    np.testing.assert_allclose(traj.grad_norm, 10 * 0.8**k, rtol=1e-14)
    np.testing.assert_allclose(traj.update_ratio, np.full(5, 0.2), rtol=1e-13)
    traj2 = run(BOWL, [3.0, 4.0], optim.SGD(lr=0.2), 1)
    assert traj2.grad_norm[0] == pytest.approx(math.hypot(0.6, 16.0))
    # Δ = (−0.12, −3.2), ‖θ‖ = 5
    assert traj2.update_ratio[0] == pytest.approx(math.hypot(0.12, 3.2) / 5)


def test_run_does_not_modify_x0() -> None:
    x0 = np.array([3.0, -1.0])
    run(BOWL, x0, optim.Adam(lr=0.1), 5)
    np.testing.assert_array_equal(x0, [3.0, -1.0])


def test_batch_of_starts_equals_each_start_run_alone() -> None:
    starts = np.array([[-1.5, 2.0], [0.0, 0.0], [1.2, 1.0]])
    opt = optim.Adam(lr=0.01, amsgrad=True)
    batch = run(objectives.rosenbrock, starts, opt, 200)
    assert batch.x.shape == (201, 3, 2) and batch.loss.shape == (201, 3)
    assert batch.grad.shape == (200, 3, 2) and batch.diverged.shape == (3,)
    for i, x0 in enumerate(starts):
        single = run(objectives.rosenbrock, x0, opt, 200)
        np.testing.assert_allclose(batch.x[:, i], single.x, rtol=1e-14)
        np.testing.assert_allclose(batch.loss[:, i], single.loss, rtol=1e-14)


def test_stop_reasons_are_the_documented_three() -> None:
    assert STOP_REASONS == ("max_steps", "converged", "diverged")


# --------------------------------------------------------------------------- divergence


def _first_overflow_step() -> int:
    """θ² with lr 1.5 from 5: θ_k = 5·(−2)^k; the first k whose loss θ_k² overflows."""
    k, theta = 0, 5.0
    while math.isfinite(theta * theta):  # float multiplication overflows to inf
        k, theta = k + 1, theta * 2.0
    return k


def test_divergence_stops_the_run_and_warns_with_the_step() -> None:
    k_bad = _first_overflow_step()
    assert k_bad == 510  # 25·4^510 > 1.8e308 > 25·4^509
    with pytest.warns(DivergenceWarning, match=rf"diverged at step {k_bad}\b.*lr=1\.5"):
        traj = run(objectives.square, 5.0, optim.SGD(lr=1.5), 2000)
    assert traj.stop_reason == "diverged"
    assert bool(traj.diverged)
    assert traj.steps == k_bad and len(traj.x) == k_bad + 1
    assert math.isinf(traj.loss[-1]) and np.all(np.isfinite(traj.loss[:-1]))
    assert traj.x[-1] == 5.0 * (-2.0) ** k_bad


def test_divergence_without_warning_when_warn_is_false() -> None:
    traj = run(objectives.square, 5.0, optim.SGD(lr=1.5), 2000, warn=False)  # no warning = pass
    assert traj.stop_reason == "diverged"


def test_large_but_finite_values_are_returned_unchanged() -> None:
    traj = run(objectives.square, 5.0, optim.SGD(lr=1.5), 50)
    assert traj.stop_reason == "max_steps"
    assert traj.x[-1] == 5 * (-2.0) ** 50  # exactly: every step multiplies by −2
    assert traj.loss[-1] == 25 * 4.0**50
    np.testing.assert_array_equal(traj.x, 5 * (-2.0) ** np.arange(51))


def test_a_non_finite_parameter_is_divergence_even_when_the_loss_is_finite() -> None:
    # tanh is bounded, tanh(inf) = 1; a broken gradient of −1e308 with lr 10 sends x to inf
    bounded = Objective(lambda x: np.tanh(x).sum(-1), lambda x: np.full_like(x, -1e308), name="b")
    with pytest.warns(DivergenceWarning, match=r"diverged at step 1\b"):
        traj = run(bounded, [0.0], optim.SGD(lr=10.0), 5)
    assert traj.stop_reason == "diverged" and traj.steps == 1
    assert traj.x[1, 0] == np.inf and traj.loss[1] == 1.0


def test_huge_finite_values_whose_sum_overflows_are_not_divergence() -> None:
    # f(x) = x1 with a zero gradient: two starts at 1.5e308 sum to inf, yet all is finite
    flat = Objective(lambda x: x[..., 0], lambda x: np.zeros_like(x), name="flat")
    traj = run(flat, [[1.5e308], [1.5e308]], optim.SGD(lr=0.1), 3)
    assert traj.stop_reason == "max_steps"
    np.testing.assert_array_equal(traj.diverged, [False, False])
    np.testing.assert_array_equal(traj.loss, np.full((4, 2), 1.5e308))


def test_one_diverging_start_does_not_stop_the_others() -> None:
    with pytest.warns(DivergenceWarning, match=r"diverged at step 510 for 1 of 2 starts"):
        traj = run(objectives.square, [[5.0], [0.0]], optim.SGD(lr=1.5), 600)
    assert traj.stop_reason == "diverged"
    np.testing.assert_array_equal(traj.diverged, [True, False])
    assert traj.steps == 600
    np.testing.assert_array_equal(traj.x[:, 1, 0], np.zeros(601))


# --------------------------------------------------------------------------- early stopping


def test_tol_stops_at_the_first_small_gradient() -> None:
    # |g_k| = 10·0.8^k ≤ 1e-3  ⇔  k ≥ ln(1e4) / ln(1.25) = 41.3
    tol = 1e-3
    k_stop = math.ceil(math.log(10 / tol) / math.log(1 / 0.8))
    traj = run(objectives.square, 5.0, optim.SGD(lr=0.1), 1000, tol=tol)
    assert k_stop == 42
    assert traj.stop_reason == "converged"
    assert traj.steps == k_stop and len(traj.x) == k_stop + 1
    assert 2 * abs(traj.x[-1]) <= tol < 2 * abs(traj.x[-2])  # |∇θ²| = 2|θ|


def test_tol_waits_for_every_start() -> None:
    # from 0.5: 0.8^k ≤ 1e-3 at k = 31; from 5: k = 42
    traj = run(objectives.square, [[5.0], [0.5]], optim.SGD(lr=0.1), 1000, tol=1e-3)
    assert traj.steps == 42 and traj.stop_reason == "converged"


def test_patience_stops_when_the_loss_stops_improving() -> None:
    # lr 1 on θ² flips 5 → −5 → 5: the loss stays 25, never improving
    traj = run(objectives.square, 5.0, optim.SGD(lr=1.0), 100, patience=3)
    assert traj.stop_reason == "converged" and traj.steps == 3


def test_patience_with_min_delta_counts_only_real_improvements() -> None:
    # loss_k = 25·0.64^k improves by 9·0.64^(k−1); the first gain ≤ 0.01 is at k − 1 ≥ 15.2
    k_stop = 1 + math.ceil(math.log(9 / 0.01) / math.log(1 / 0.64))
    traj = run(objectives.square, 5.0, optim.SGD(lr=0.1), 100, patience=1, min_delta=0.01)
    assert k_stop == 17
    assert traj.stop_reason == "converged" and traj.steps == k_stop
    no_delta = run(objectives.square, 5.0, optim.SGD(lr=0.1), 100, patience=1)
    assert no_delta.stop_reason == "max_steps"


CONCAVE = Objective(lambda x: -np.sum(x * x, -1), lambda x: -2 * x, name="−θ²", dim=1)


def test_patience_counts_only_the_starts_that_have_not_diverged() -> None:
    # −θ² with lr 0.5: θ ← θ + 0.5·2θ = 2θ. From 0 nothing moves: loss 0, never better.
    # From 1e150 the loss −4^u·1e300 improves at every update u until it overflows:
    # 4^u·1e300 > 1.80e308 first at u = 14 (4^13 = 6.7e7, 4^14 = 2.7e8), loss −inf: diverged.
    # The finite start has waited 1 update by then, 3 at u = 16: stop after 16 updates.
    # Counting the diverged start's −inf as "better than −4^13·1e300" would stop at 17.
    overflow = next(u for u in range(1, 30) if 4.0**u * 1e300 > np.finfo(float).max)
    traj = run(CONCAVE, [[0.0], [1e150]], optim.SGD(lr=0.5), 100, patience=3, warn=False)
    assert overflow == 14
    np.testing.assert_array_equal(traj.diverged, [False, True])
    assert np.isneginf(traj.loss[14, 1]) and np.isfinite(traj.loss[13, 1])
    assert traj.steps == overflow + 3 - 1 == 16
    assert traj.stop_reason == "diverged"  # a start failed; the finite one stopped by patience


# --------------------------------------------------------------------------- the optimizer protocol


class HalfStep:
    """An update rule of one's own: θ ← θ − lr·g/2, counting its steps in the state."""

    def __init__(self, lr):
        self.lr = lr

    def init(self, x0):
        return 0

    def step(self, x, grad, state):
        lr = self.lr(state) if callable(self.lr) else self.lr
        return x - lr * grad / 2, state + 1


def test_any_object_with_init_step_and_lr_is_an_optimizer() -> None:
    # θ² from 5: θ ← θ − 0.2·2θ/2 = 0.8θ, like SGD(lr=0.1); lr recorded from .lr
    traj = run(objectives.square, 5.0, HalfStep(0.2), 3)
    np.testing.assert_allclose(traj.x, [5.0, 4.0, 3.2, 2.56])
    np.testing.assert_array_equal(traj.lr, [0.2, 0.2, 0.2])
    scheduled = run(objectives.square, 5.0, HalfStep(lambda k: 0.2 / (k + 1)), 3)
    np.testing.assert_allclose(scheduled.lr, [0.2, 0.1, 0.2 / 3])
    # 5 − 0.2·10/2 = 4;  4 − 0.1·8/2 = 3.6;  3.6 − (0.2/3)·7.2/2 = 3.36
    np.testing.assert_allclose(scheduled.x, [5.0, 4.0, 3.6, 3.36])


def test_a_rule_without_a_learning_rate_records_nan() -> None:
    rule = HalfStep(0.2)
    del rule.lr
    rule.step = lambda x, grad, state: (x - 0.1 * grad, state)
    traj = run(objectives.square, 5.0, rule, 2)
    np.testing.assert_allclose(traj.x, [5.0, 4.0, 3.2])
    assert np.isnan(traj.lr).all()


# --------------------------------------------------------------------------- the epoch order


def test_epoch_order_is_a_fresh_permutation_per_call_or_the_rows_in_order() -> None:
    rng = np.random.default_rng(11)
    reference = np.random.default_rng(11)
    first, second = epoch_order(6, rng=rng), epoch_order(6, rng=rng)
    np.testing.assert_array_equal(first, reference.permutation(6))
    np.testing.assert_array_equal(second, reference.permutation(6))
    np.testing.assert_array_equal(epoch_order(6, shuffle=False, rng=rng), np.arange(6))


def test_batches_cut_each_epoch_and_keep_the_short_last_batch() -> None:
    # n = 5, B = 2: ⌈5/2⌉ = 3 batches per epoch holding 2, 2 and 5 − 2·2 = 1 rows
    reference = np.random.default_rng(0)  # rng=None is seed 0
    e0, e1 = reference.permutation(5), reference.permutation(5)
    expected = [(0, e0[0:2]), (0, e0[2:4]), (0, e0[4:5]), (1, e1[0:2]), (1, e1[2:4]), (1, e1[4:5])]
    stream = batches(5, 2)
    for epoch, rows in expected:
        got_epoch, got_rows = next(stream)
        assert got_epoch == epoch
        np.testing.assert_array_equal(got_rows, rows)


def test_make_rng_takes_seeds_and_generators_and_rejects_the_rest() -> None:
    generator = np.random.RandomState(1)
    assert make_rng(generator) is generator
    np.testing.assert_array_equal(make_rng(None).permutation(9), np.random.default_rng(0).permutation(9))
    for bad in ("seed", True, 1.5):
        with pytest.raises(TypeError, match=rf"^rng must be None, an int seed .*got {re.escape(repr(bad))}$"):
            make_rng(bad)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: batches(5, 6), ValueError, r"^batch_size must be between 1 and the number of samples \(5\), got 6$"),
        (lambda: batches(0, 1), ValueError, r"^n_samples must be a whole number >= 1, got 0$"),
        (lambda: batches(5, 2, shuffle="no"), TypeError, r"^shuffle must be True or False, got 'no'$"),
        (lambda: epoch_order(5.0), ValueError, r"^n_samples must be a whole number >= 1, got 5\.0$"),
    ],
)
def test_bad_epoch_order_arguments_are_named(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


# --------------------------------------------------------------------------- mini-batches

RNG = np.random.default_rng(7)
XDATA = np.column_stack([RNG.uniform(0, 3, 10), np.ones(10)])
YDATA = 2 * XDATA[:, 0] + 1 + RNG.normal(0, 0.1, 10)
LINREG = objectives.linear_regression(XDATA, YDATA)  # mean convention


def _mse_grad(theta: np.ndarray, rows) -> np.ndarray:
    """(2/b) Σ_{i ∈ rows} (xᵢ·θ − yᵢ) xᵢ, written out for the reference loops."""
    Xb, yb = XDATA[rows], YDATA[rows]
    return 2 / len(rows) * Xb.T @ (Xb @ theta - yb)


def test_minibatch_run_equals_a_hand_written_loop_with_the_same_permutations() -> None:
    lr, batch, steps, seed = 0.05, 3, 12, 42
    rng = np.random.default_rng(seed)
    theta, xs, epochs, grads = np.zeros(2), [np.zeros(2)], [], []
    epoch = 0
    while len(epochs) < steps:
        order = rng.permutation(10)
        for start in range(0, 10, batch):  # batches of 3, 3, 3 and 1
            g = _mse_grad(theta, order[start : start + batch])
            theta = theta - lr * g
            xs.append(theta)
            grads.append(g)
            epochs.append(epoch)
        epoch += 1
    traj = run(LINREG, [0.0, 0.0], optim.SGD(lr=lr), steps, batch_size=batch, rng=seed)
    np.testing.assert_allclose(traj.x, xs, rtol=1e-13)
    np.testing.assert_allclose(traj.grad, grads, rtol=1e-13)
    np.testing.assert_array_equal(traj.epoch, [0] * 4 + [1] * 4 + [2] * 4)
    np.testing.assert_allclose(traj.loss, [np.mean((XDATA @ t - YDATA) ** 2) for t in xs])


def test_minibatch_runs_are_reproducible_from_the_seed() -> None:
    opt = optim.SGD(lr=0.05)
    a = run(LINREG, [0.0, 0.0], opt, 20, batch_size=2, rng=3)
    b = run(LINREG, [0.0, 0.0], opt, 20, batch_size=2, rng=np.random.default_rng(3))
    c = run(LINREG, [0.0, 0.0], opt, 20, batch_size=2, rng=4)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    default = run(LINREG, [0.0, 0.0], opt, 20, batch_size=2)
    np.testing.assert_array_equal(default.x, run(LINREG, [0.0, 0.0], opt, 20, batch_size=2, rng=0).x)


def test_batch_size_one_is_stochastic_gradient_descent() -> None:
    lr, seed = 0.05, 1
    rng = np.random.default_rng(seed)
    theta, xs = np.zeros(2), [np.zeros(2)]
    for _ in range(2):  # two epochs of ten single-sample updates
        for i in rng.permutation(10):
            residual = XDATA[i] @ theta - YDATA[i]
            theta = theta - lr * 2 * residual * XDATA[i]
            xs.append(theta)
    traj = run(LINREG, [0.0, 0.0], optim.SGD(lr=lr), 20, batch_size=1, rng=seed)
    np.testing.assert_allclose(traj.x, xs, rtol=1e-13)


def test_batch_size_of_all_rows_is_full_batch_gradient_descent() -> None:
    full = run(LINREG, [0.0, 0.0], optim.SGD(lr=0.05), 30)
    batched = run(LINREG, [0.0, 0.0], optim.SGD(lr=0.05), 30, batch_size=10, rng=5)
    np.testing.assert_allclose(batched.x, full.x, rtol=1e-12)
    np.testing.assert_array_equal(batched.epoch, np.arange(30))


def test_shuffle_false_takes_the_rows_in_order() -> None:
    lr = 0.05
    theta, xs = np.zeros(2), [np.zeros(2)]
    for rows in ([0, 1, 2, 3], [4, 5, 6, 7], [8, 9]) * 2:
        theta = theta - lr * _mse_grad(theta, np.array(rows))
        xs.append(theta)
    traj = run(LINREG, [0.0, 0.0], optim.SGD(lr=lr), 6, batch_size=4, shuffle=False)
    np.testing.assert_allclose(traj.x, xs, rtol=1e-13)
    np.testing.assert_array_equal(traj.epoch, [0, 0, 0, 1, 1, 1])


# --------------------------------------------------------------------------- compare / sweep


def test_compare_runs_each_optimizer_from_the_same_start() -> None:
    runs = compare(objectives.square, 5.0, {"a": optim.SGD(lr=0.1), "b": optim.SGD(lr=0.4)}, 2)
    assert list(runs) == ["a", "b"]
    np.testing.assert_allclose(runs["a"].x, [5.0, 4.0, 3.2])  # ×(1 − 0.2)
    np.testing.assert_allclose(runs["b"].x, [5.0, 1.0, 0.2])  # ×(1 − 0.8)
    with pytest.raises(ValueError, match="optimizers must name at least one"):
        compare(objectives.square, 5.0, {}, 2)


def test_sweep_keeps_diverging_runs_without_warning() -> None:
    runs = sweep(objectives.square, 5.0, lambda lr: optim.SGD(lr=lr), [0.1, 0.9, 1.5], 600)
    assert [runs[v].stop_reason for v in (0.1, 0.9, 1.5)] == ["max_steps", "max_steps", "diverged"]
    assert runs[0.9].x[2] == pytest.approx(5 * 0.8**2)  # factor 1 − 1.8 = −0.8
    with pytest.raises(ValueError, match=r"values must be finite numbers, got nan"):
        sweep(objectives.square, 5.0, lambda lr: optim.SGD(lr=lr), [float("nan")], 5)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("steps", "error"),
    [(0, ValueError), (-1, ValueError), (2.5, ValueError), (True, TypeError), ("3", TypeError),
     (None, TypeError)],
)
def test_steps_must_be_a_positive_integer(steps, error) -> None:
    with pytest.raises(error, match=rf"^steps must be a whole number >= 1, got {steps!r}$"):
        run(objectives.square, 5.0, optim.SGD(lr=0.1), steps)


def test_steps_accepts_numpy_integers() -> None:
    assert run(objectives.square, 5.0, optim.SGD(lr=0.1), np.int64(2)).steps == 2


@pytest.mark.parametrize("x0", [float("nan"), [1.0, float("inf")], [[0.0, 0.0], [np.nan, 1.0]]])
def test_non_finite_x0_is_rejected(x0) -> None:
    with pytest.raises(ValueError, match=r"x0 must be finite"):
        run(objectives.rosenbrock if np.ndim(x0) else objectives.square, x0, optim.SGD(), 5)


def test_x0_of_a_shape_the_objective_rejects() -> None:
    with pytest.raises(ValueError, match=r"x0 must have 2 parameter\(s\).*got shape \(3,\)"):
        run(objectives.rosenbrock, [1.0, 2.0, 3.0], optim.SGD(), 5)
    with pytest.raises(ValueError, match=r"x0 must have 2 parameter\(s\).*got shape \(1,\)"):
        run(objectives.rosenbrock, 1.0, optim.SGD(), 5)


@pytest.mark.parametrize("x0", ["abc", True, [1.0, "a"]])
def test_x0_that_is_not_numbers_is_rejected(x0) -> None:
    with pytest.raises(TypeError, match=rf"^x0 must be an array of numbers, got {re.escape(repr(x0))}$"):
        run(objectives.square, x0, optim.SGD(), 5)


def test_grad_returning_the_wrong_shape_is_rejected() -> None:
    bad = Objective(lambda x: np.sum(x * x, -1), lambda x: np.sum(x, -1, keepdims=True), name="bad")
    with pytest.raises(ValueError, match=r"grad of bad returned shape \(1,\) for x of shape \(2,\)"):
        run(bad, [1.0, 2.0], optim.SGD(lr=0.1), 5)


def test_batch_size_larger_than_the_data_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"batch_size must be between 1 and .*\(10\), got 11"):
        run(LINREG, [0.0, 0.0], optim.SGD(), 5, batch_size=11)


@pytest.mark.parametrize(("batch_size", "error"), [(0, ValueError), (2.5, ValueError), (True, TypeError)])
def test_batch_size_must_be_a_positive_integer(batch_size, error) -> None:
    with pytest.raises(error, match=rf"^batch_size must be a whole number >= 1, got {batch_size!r}$"):
        run(LINREG, [0.0, 0.0], optim.SGD(), 5, batch_size=batch_size)


def test_batch_size_needs_an_objective_with_data() -> None:
    with pytest.raises(ValueError, match=r"batch_size needs an objective built on data; θ² has none"):
        run(objectives.square, 5.0, optim.SGD(), 5, batch_size=2)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"tol": -1.0}, r"^tol must be >= 0, got -1\.0$"),
        ({"patience": 0}, r"^patience must be a whole number >= 1, got 0$"),
        ({"patience": 1.5}, r"^patience must be a whole number >= 1, got 1\.5$"),
        ({"min_delta": -0.1}, r"^min_delta must be >= 0, got -0\.1$"),
    ],
)
def test_bad_stopping_options_are_rejected(options, message) -> None:
    with pytest.raises(ValueError, match=message):
        run(objectives.square, 5.0, optim.SGD(), 5, **options)


def test_objective_optimizer_and_rng_types_are_checked() -> None:
    with pytest.raises(TypeError, match=r"objective must be a gdteach Objective"):
        run(lambda x: x * x, 5.0, optim.SGD(), 5)
    with pytest.raises(TypeError, match=r"optimizer must have init\(\) and step\(\), got 0\.1"):
        run(objectives.square, 5.0, 0.1, 5)
    with pytest.raises(TypeError, match=r"rng must be None, an int seed or a numpy random"):
        run(LINREG, [0.0, 0.0], optim.SGD(), 5, batch_size=2, rng="seed")


def test_run_rejects_a_start_whose_loss_is_not_finite() -> None:
    log_loss = Objective(lambda x: -np.log(x[..., 0]), lambda x: -1 / x, name="−log x", dim=1)
    with np.errstate(divide="ignore"), pytest.raises(ValueError, match="loss at x0 must be finite"):
        run(log_loss, [0.0], optim.SGD(lr=0.1), 3)

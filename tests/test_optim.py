"""The update rules, checked against values worked out by hand and closed forms.

Every expected number below is written as the arithmetic a reader would do on paper
(the formula of the rule applied to small numbers), never by calling the rule again.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest

from gdteach import objectives, optim, run, schedules

# A constant gradient makes the buffers easy to follow by hand.
X0 = np.array([1.0])


def take_steps(opt, grads, x0=X0):
    """Apply ``opt`` to the given gradients in turn; return the iterates after each step."""
    x, state = np.asarray(x0, dtype=float), opt.init(x0)
    xs = []
    for g in grads:
        x, state = opt.step(x, np.asarray(g, dtype=float), state)
        xs.append(float(x[0]))
    return xs


# --------------------------------------------------------------------------- SGD


def test_sgd_plain_step_is_x_minus_lr_times_grad() -> None:
    assert take_steps(optim.SGD(lr=0.1), [[2.0]]) == pytest.approx([1 - 0.1 * 2])


def test_sgd_momentum_buffer_accumulates_constant_gradient() -> None:
    # b1 = 2, b2 = 0.9·2 + 2 = 3.8, b3 = 0.9·3.8 + 2 = 5.42; x = 1 − 0.1·(b1 + b2 + b3)
    xs = take_steps(optim.SGD(lr=0.1, momentum=0.9), [[2.0]] * 3)
    assert xs == pytest.approx([1 - 0.2, 1 - 0.2 - 0.38, 1 - 0.2 - 0.38 - 0.542], rel=1e-12)
    assert xs[-1] == pytest.approx(-0.122, rel=1e-12)


def test_sgd_momentum_on_square_by_hand() -> None:
    # θ², lr 0.1, μ 0.9 from 1: g0 = 2, b = 2, x1 = 0.8; g1 = 1.6, b = 3.4, x2 = 0.46;
    # g2 = 0.92, b = 0.9·3.4 + 0.92 = 3.98, x3 = 0.46 − 0.398 = 0.062
    traj = run(objectives.square, 1.0, optim.SGD(lr=0.1, momentum=0.9), 3)
    np.testing.assert_allclose(traj.x, [1.0, 0.8, 0.46, 0.062], rtol=1e-12)


def test_sgd_dampening_is_skipped_on_the_first_step() -> None:
    # torch starts the buffer at the first gradient, undamped: b1 = 2,
    # b2 = 0.9·2 + (1 − 0.5)·2 = 2.8, b3 = 0.9·2.8 + 1 = 3.52
    xs = take_steps(optim.SGD(lr=0.1, momentum=0.9, dampening=0.5), [[2.0]] * 3)
    assert xs == pytest.approx([0.8, 0.8 - 0.28, 0.8 - 0.28 - 0.352], rel=1e-12)


def test_sgd_nesterov_looks_ahead_by_momentum_times_buffer() -> None:
    # d = g + μ b: b1 = 2, d1 = 3.8; b2 = 3.8, d2 = 5.42; b3 = 5.42, d3 = 6.878
    xs = take_steps(optim.SGD(lr=0.1, momentum=0.9, nesterov=True), [[2.0]] * 3)
    assert xs == pytest.approx([1 - 0.38, 1 - 0.38 - 0.542, 1 - 0.38 - 0.542 - 0.6878], rel=1e-12)


def test_sgd_weight_decay_adds_lambda_x_to_the_gradient() -> None:
    # g' = 2 + 0.5·1 = 2.5, x = 1 − 0.1·2.5
    assert take_steps(optim.SGD(lr=0.1, weight_decay=0.5), [[2.0]]) == pytest.approx([0.75])
    # with a zero gradient the decay alone shrinks x geometrically: x_k = (1 − ηλ)^k
    xs = take_steps(optim.SGD(lr=0.1, weight_decay=0.5), [[0.0]] * 4)
    assert xs == pytest.approx([0.95**k for k in range(1, 5)], rel=1e-12)


# --------------------------------------------------------------------------- Adagrad


def test_adagrad_divides_by_root_of_summed_squares() -> None:
    # G = 9 → x = 1 − 3/3 = 0; G = 9 + 16 = 25 → x = 0 − 4/5
    xs = take_steps(optim.Adagrad(lr=1.0, eps=1e-300), [[3.0], [4.0]])
    assert xs == pytest.approx([0.0, -0.8], abs=1e-15)


def test_adagrad_lr_decay_divides_lr_by_one_plus_decay_times_t_minus_one() -> None:
    # step 2 uses η / (1 + 1·0.5) = 2/3
    xs = take_steps(optim.Adagrad(lr=1.0, lr_decay=0.5, eps=1e-300), [[3.0], [4.0]])
    assert xs == pytest.approx([0.0, -(2 / 3) * (4 / 5)], abs=1e-15)


def test_adagrad_initial_accumulator_value_starts_the_sum() -> None:
    # G = 16 + 9 = 25 → x = 1 − 3/5
    xs = take_steps(optim.Adagrad(lr=1.0, initial_accumulator_value=16.0, eps=1e-300), [[3.0]])
    assert xs == pytest.approx([0.4], abs=1e-15)


def test_adagrad_eps_is_added_outside_the_root() -> None:
    # x = 1 − 3 / (√9 + 1)
    assert take_steps(optim.Adagrad(lr=1.0, eps=1.0), [[3.0]]) == pytest.approx([1 - 3 / 4])


def test_adagrad_weight_decay_adds_lambda_x() -> None:
    # g' = 2 + 1·1 = 3, G = 9 → x = 1 − 3/3
    xs = take_steps(optim.Adagrad(lr=1.0, weight_decay=1.0, eps=1e-300), [[2.0]])
    assert xs == pytest.approx([0.0], abs=1e-15)


# --------------------------------------------------------------------------- RMSprop


def test_rmsprop_divides_by_root_of_moving_average_of_squares() -> None:
    # α = 0.75: s1 = 0.25·4 = 1, x1 = 1 − 0.01·2/1; s2 = 0.75 + 1 = 1.75
    xs = take_steps(optim.RMSprop(lr=0.01, alpha=0.75, eps=0.0), [[2.0]] * 2)
    assert xs == pytest.approx([0.98, 0.98 - 0.02 / math.sqrt(1.75)], rel=1e-14)


def test_rmsprop_eps_is_added_outside_the_root() -> None:
    xs = take_steps(optim.RMSprop(lr=0.01, alpha=0.75, eps=1.0), [[2.0]])
    assert xs == pytest.approx([1 - 0.01 * 2 / (1 + 1)], rel=1e-14)


def test_rmsprop_centered_subtracts_the_squared_mean_gradient() -> None:
    # α = 0.9, g = 2: s1 = 0.4, m1 = 0.2, d1 = √(0.4 − 0.04) = 0.6
    # s2 = 0.36 + 0.4 = 0.76, m2 = 0.18 + 0.2 = 0.38, d2 = √(0.76 − 0.1444)
    xs = take_steps(optim.RMSprop(lr=0.01, alpha=0.9, eps=0.0, centered=True), [[2.0]] * 2)
    x1 = 1 - 0.02 / 0.6
    assert xs == pytest.approx([x1, x1 - 0.02 / math.sqrt(0.76 - 0.38**2)], rel=1e-12)


def test_rmsprop_momentum_accumulates_the_scaled_gradient() -> None:
    # α = 0.75, μ = 0.5: b1 = 2/1 = 2; b2 = 0.5·2 + 2/√1.75
    xs = take_steps(optim.RMSprop(lr=0.01, alpha=0.75, eps=0.0, momentum=0.5), [[2.0]] * 2)
    b2 = 1.0 + 2 / math.sqrt(1.75)
    assert xs == pytest.approx([0.98, 0.98 - 0.01 * b2], rel=1e-14)


def test_rmsprop_weight_decay_adds_lambda_x() -> None:
    # g' = 1 + 1 = 2 → same as the plain case with g = 2
    xs = take_steps(optim.RMSprop(lr=0.01, alpha=0.75, eps=0.0, weight_decay=1.0), [[1.0]])
    assert xs == pytest.approx([0.98], rel=1e-14)


# --------------------------------------------------------------------------- Adadelta


def test_adadelta_scales_by_ratio_of_running_rms() -> None:
    # ρ = 0.9, ε = 1e-6, g = 1, x0 = 0:
    # s1 = 0.1, Δ1 = √1e-6 / √(0.1 + 1e-6), u1 = 0.1 Δ1²
    # s2 = 0.19, Δ2 = √(u1 + 1e-6) / √(0.19 + 1e-6)
    eps = 1e-6
    d1 = math.sqrt(eps) / math.sqrt(0.1 + eps)
    u1 = 0.1 * d1 * d1
    d2 = math.sqrt(u1 + eps) / math.sqrt(0.19 + eps)
    xs = take_steps(optim.Adadelta(), [[1.0]] * 2, x0=[0.0])
    assert xs == pytest.approx([-d1, -d1 - d2], rel=1e-12)
    assert xs[0] == pytest.approx(-0.00316226, abs=1e-8)


def test_adadelta_lr_rho_and_weight_decay() -> None:
    # lr 0.5, ρ 0.5, λ 1, x0 = 1, g = 1 → g' = 2: s1 = 0.5·4 = 2, Δ1 = √ε / √(2 + ε) · 2
    eps = 1e-6
    d1 = math.sqrt(eps) / math.sqrt(2 + eps) * 2
    xs = take_steps(optim.Adadelta(lr=0.5, rho=0.5, weight_decay=1.0), [[1.0]])
    assert xs == pytest.approx([1 - 0.5 * d1], rel=1e-12)


# --------------------------------------------------------------------------- Adam family


def test_adam_first_step_moves_lr_times_sign_of_gradient() -> None:
    # m̂ = 5, v̂ = 25 → step = 0.1 · 5 / (5 + 1e-8)
    assert take_steps(optim.Adam(lr=0.1), [[5.0]]) == pytest.approx([1 - 0.5 / (5 + 1e-8)], rel=1e-15)


def test_adam_two_steps_with_bias_correction_by_hand() -> None:
    # betas (0.9, 0.999), g = 5 then −5:
    # m2 = 0.9·0.5 − 0.5 = −0.05, v2 = 0.999·0.025 + 0.001·25 = 0.049975
    # m̂2 = −0.05 / 0.19, v̂2 = 0.049975 / (1 − 0.999²) = 25
    x1 = 1 - 0.1 * 5 / (5 + 1e-8)
    m_hat = -0.05 / (1 - 0.9**2)
    denom = math.sqrt(0.049975) / math.sqrt(1 - 0.999**2) + 1e-8
    xs = take_steps(optim.Adam(lr=0.1), [[5.0], [-5.0]])
    assert xs == pytest.approx([x1, x1 - 0.1 * m_hat / denom], rel=1e-12)
    assert denom - 1e-8 == pytest.approx(5.0, rel=1e-12)  # v̂2 = 25


def test_adam_custom_betas_and_eps() -> None:
    # betas (0.5, 0.5), eps 1: m̂1 = g, v̂1 = g² → step = lr · 4 / (4 + 1)
    xs = take_steps(optim.Adam(lr=0.1, betas=(0.5, 0.5), eps=1.0), [[4.0]])
    assert xs == pytest.approx([1 - 0.1 * 4 / 5], rel=1e-15)


def test_adam_amsgrad_keeps_the_largest_second_moment() -> None:
    # g = 10 then 0: v1 = 0.1, v2 = 0.0999 < v1, so amsgrad divides by √0.1, Adam by √0.0999
    bc2 = math.sqrt(1 - 0.999**2)
    m_hat2 = 0.9 / (1 - 0.9**2)
    plain = take_steps(optim.Adam(lr=0.1), [[10.0], [0.0]])
    ams = take_steps(optim.Adam(lr=0.1, amsgrad=True), [[10.0], [0.0]])
    x1 = 1 - 0.1 * 10 / (10 + 1e-8)
    assert plain == pytest.approx([x1, x1 - 0.1 * m_hat2 / (math.sqrt(0.0999) / bc2 + 1e-8)])
    assert ams == pytest.approx([x1, x1 - 0.1 * m_hat2 / (math.sqrt(0.1) / bc2 + 1e-8)])
    assert ams[1] > plain[1]  # the larger denominator takes the smaller step


def test_adam_weight_decay_is_coupled_through_the_moments() -> None:
    # g' = 5 + 0.5·2 = 6: the first step is still lr · sign(g') → 2 − 0.1
    xs = take_steps(optim.Adam(lr=0.1, weight_decay=0.5), [[5.0]], x0=[2.0])
    assert xs == pytest.approx([2 - 0.1 * 6 / (6 + 1e-8)], rel=1e-15)


def test_adamw_decays_the_weights_before_the_adam_step() -> None:
    # x = 2·(1 − 0.1·0.5) = 1.9, then the Adam step moves lr · sign(g) → 1.8
    xs = take_steps(optim.AdamW(lr=0.1, weight_decay=0.5), [[5.0]], x0=[2.0])
    assert xs == pytest.approx([2 * 0.95 - 0.1 * 5 / (5 + 1e-8)], rel=1e-15)
    assert optim.AdamW().weight_decay == 0.01  # torch's default


def test_adamw_amsgrad_by_hand() -> None:
    bc2 = math.sqrt(1 - 0.999**2)
    x1 = 2 * 0.95 - 0.1 * 10 / (10 + 1e-8)
    x2 = x1 * 0.95 - 0.1 * (0.9 / 0.19) / (math.sqrt(0.1) / bc2 + 1e-8)
    xs = take_steps(optim.AdamW(lr=0.1, weight_decay=0.5, amsgrad=True), [[10.0], [0.0]], x0=[2.0])
    assert xs == pytest.approx([x1, x2], rel=1e-12)


def test_adamax_divides_by_the_infinity_norm() -> None:
    # g = −4: m = −0.4, u = 4, lr/(1 − β1) = 1 → x = 1 + 0.1
    # g = 2: m = −0.36 + 0.2 = −0.16, u = max(0.999·4, 2) = 3.996, lr/(1 − 0.81)
    xs = take_steps(optim.Adamax(lr=0.1, eps=0.0), [[-4.0], [2.0]])
    assert xs == pytest.approx([1.1, 1.1 - 0.1 / 0.19 * (-0.16 / 3.996)], rel=1e-13)


def test_adamax_eps_and_weight_decay() -> None:
    # g' = 3 + 1·1 = 4, u = |g'| + eps = 5, m = 0.4 → x = 1 − (0.1/0.1)·0.4/5
    xs = take_steps(optim.Adamax(lr=0.1, eps=1.0, weight_decay=1.0), [[3.0]])
    assert xs == pytest.approx([1 - 0.4 / 5], rel=1e-14)


def _mu(t: int, psi: float = 4e-3, beta1: float = 0.9) -> float:
    return beta1 * (1 - 0.5 * 0.96 ** (t * psi))


def test_nadam_two_steps_by_hand() -> None:
    # g = 2 twice: m1 = 0.2, v1 = 0.004, d1 = √(0.004 / 0.001) + ε = 2 + ε
    # m2 = 0.38, v2 = 0.007996, d2 = √(0.007996 / 0.001999) + ε = 2 + ε
    mu1, mu2, mu3 = _mu(1), _mu(2), _mu(3)
    d = 2 + 1e-8
    x1 = 1 - 0.1 * 2 / d - 0.1 * mu2 / (1 - mu1 * mu2) * 0.2 / d
    x2 = x1 - 0.1 * (1 - mu2) / (1 - mu1 * mu2) * 2 / d
    x2 -= 0.1 * mu3 / (1 - mu1 * mu2 * mu3) * 0.38 / d
    xs = take_steps(optim.NAdam(lr=0.1), [[2.0]] * 2)
    assert xs == pytest.approx([x1, x2], rel=1e-12)
    assert xs[0] == pytest.approx(0.894355, abs=1e-6)


def test_nadam_momentum_decay_and_weight_decay() -> None:
    # ψ = 0.5, λ = 1: g' = 1 + 1 = 2, as above with the other μ's
    mu1, mu2 = _mu(1, 0.5), _mu(2, 0.5)
    d = 2 + 1e-8
    x1 = 1 - 0.1 * 2 / d - 0.1 * mu2 / (1 - mu1 * mu2) * 0.2 / d
    xs = take_steps(optim.NAdam(lr=0.1, momentum_decay=0.5, weight_decay=1.0), [[1.0]])
    assert xs == pytest.approx([x1], rel=1e-12)


# --------------------------------------------------------------------------- closed forms


def test_gradient_descent_on_a_quadratic_is_a_geometric_sequence() -> None:
    # θ_k = (1 − 2ηc)^k θ_0 per coordinate: factors 1 − 0.04 = 0.96 and 1 − 0.8 = 0.2
    c, lr, k = np.array([0.1, 2.0]), 0.2, np.arange(31)[:, None]
    x0 = np.array([3.0, -2.0])
    traj = run(objectives.quadratic(c), x0, optim.SGD(lr=lr), 30)
    np.testing.assert_allclose(traj.x, (1 - 2 * lr * c) ** k * x0, rtol=1e-12)


def test_gradient_descent_on_shifted_square_approaches_three() -> None:
    # (w − 3)² from 0 with lr 0.1: w_k − 3 = 0.8 (w_{k−1} − 3) → w_k = 3 − 3·0.8^k
    traj = run(objectives.shifted_square(3.0), 0.0, optim.SGD(lr=0.1), 25)
    np.testing.assert_allclose(traj.x, 3 - 3 * 0.8 ** np.arange(26), rtol=1e-12)


def test_schedule_as_lr_uses_the_rate_of_each_update() -> None:
    # θ², step_decay 0.25 → 0.125 after 2 updates: x = 5·(1 − 0.5)²·(1 − 0.25)²
    opt = optim.SGD(lr=schedules.step_decay(0.25, factor=0.5, every=2))
    traj = run(objectives.square, 5.0, opt, 4)
    np.testing.assert_allclose(traj.lr, [0.25, 0.25, 0.125, 0.125])
    np.testing.assert_allclose(traj.x, [5, 2.5, 1.25, 0.9375, 0.703125], rtol=1e-15)
    assert opt.learning_rate(3) == 0.125


# --------------------------------------------------------------------------- purity

EVERY_OPTION = [
    optim.SGD(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.1),
    optim.SGD(lr=0.1, momentum=0.9, nesterov=True),
    optim.Adagrad(lr=0.1, lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.5),
    optim.RMSprop(lr=0.1, centered=True, momentum=0.9, weight_decay=0.1),
    optim.Adadelta(lr=0.5, weight_decay=0.1),
    optim.Adam(lr=0.1, amsgrad=True, weight_decay=0.1),
    optim.AdamW(lr=0.1, amsgrad=True),
    optim.Adamax(lr=0.1, weight_decay=0.1),
    optim.NAdam(lr=0.1, weight_decay=0.1),
]
IDS = [repr(opt) for opt in EVERY_OPTION]


def _arrays(state) -> list[np.ndarray]:
    return [v for v in state if isinstance(v, np.ndarray)]


@pytest.mark.parametrize("opt", EVERY_OPTION, ids=IDS)
def test_step_never_mutates_x_grad_or_state(opt) -> None:
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    state = opt.init(x)
    for _ in range(2):  # fill the buffers with something non-zero first
        x, state = opt.step(x, 2 * x + 1, state)
    grad = np.array([[0.3, -1.2], [2.0, 0.7]])
    x_before, grad_before = x.copy(), grad.copy()
    state_before = [a.copy() for a in _arrays(state)]

    x1, s1 = opt.step(x, grad, state)
    x2, s2 = opt.step(x, grad, state)

    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(grad, grad_before)
    for now, before in zip(_arrays(state), state_before, strict=True):
        np.testing.assert_array_equal(now, before)
    np.testing.assert_array_equal(x1, x2)
    for a, b in zip(s1, s2, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(x1, x)  # the step did move
    assert s1.step == state.step + 1


@pytest.mark.parametrize("opt", EVERY_OPTION, ids=IDS)
def test_optimizer_is_frozen(opt) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        opt.lr = 1.0


@pytest.mark.parametrize("opt", EVERY_OPTION, ids=IDS)
def test_batch_of_points_steps_like_each_point_alone(opt) -> None:
    xs = np.array([[1.0, -2.0], [0.5, 3.0], [-1.0, 0.25]])
    batch_x, batch_state = xs, opt.init(xs)
    singles = [(row, opt.init(row)) for row in xs]
    for _ in range(5):
        batch_x, batch_state = opt.step(batch_x, 2 * batch_x + 1, batch_state)
        singles = [opt.step(x, 2 * x + 1, s) for x, s in singles]
    np.testing.assert_allclose(batch_x, [x for x, _ in singles], rtol=1e-14)


def test_repr_shows_only_non_default_settings() -> None:
    assert repr(optim.SGD(lr=0.1, momentum=0.9)) == "SGD(lr=0.1, momentum=0.9)"
    assert repr(optim.AdamW()) == "AdamW()"


def test_all_lists_the_eight_optimizers() -> None:
    assert list(optim.ALL) == [
        "SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "Adamax", "NAdam"
    ]


# --------------------------------------------------------------------------- bad input

ALL_CLASSES = list(optim.ALL.values())
EPS_POSITIVE = [optim.Adagrad, optim.Adadelta, optim.Adam, optim.AdamW, optim.NAdam]
EPS_NONNEGATIVE = [optim.RMSprop, optim.Adamax]  # eps = 0 is allowed, as in torch
WITH_BETAS = [optim.Adam, optim.AdamW, optim.Adamax, optim.NAdam]


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    ("lr", "message"),
    [(0.0, "lr must be positive, got 0.0"), (-0.1, "lr must be positive, got -0.1"),
     (float("nan"), "lr must be a finite number, got nan"),
     (float("inf"), "lr must be a finite number, got inf")],
)
def test_nonpositive_lr_is_rejected_naming_lr_and_value(cls, lr, message) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        cls(lr=lr)


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_lr_that_is_not_a_number_is_a_type_error(cls) -> None:
    with pytest.raises(TypeError, match=r"lr must be a number or a schedule.*'0\.1'"):
        cls(lr="0.1")
    with pytest.raises(TypeError, match=r"lr must be a number.*True"):
        cls(lr=True)


@pytest.mark.parametrize("cls", WITH_BETAS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    ("betas", "message"),
    [
        ((1.0, 0.999), r"betas\[0\] must be in \[0, 1\), got 1\.0"),
        ((-0.1, 0.999), r"betas\[0\] must be in \[0, 1\), got -0\.1"),
        ((0.9, 1.5), r"betas\[1\] must be in \[0, 1\), got 1\.5"),
        ((0.9,), r"betas must be a pair \(beta1, beta2\), got \(0\.9,\)"),
    ],
)
def test_betas_outside_unit_interval_are_rejected(cls, betas, message) -> None:
    with pytest.raises(ValueError, match=message):
        cls(betas=betas)


@pytest.mark.parametrize("cls", EPS_POSITIVE, ids=lambda c: c.__name__)
@pytest.mark.parametrize("eps", [0.0, -1e-8])
def test_nonpositive_eps_is_rejected(cls, eps) -> None:
    with pytest.raises(ValueError, match=rf"^eps must be positive, got {eps!r}$"):
        cls(eps=eps)


@pytest.mark.parametrize("cls", EPS_NONNEGATIVE, ids=lambda c: c.__name__)
def test_negative_eps_is_rejected(cls) -> None:
    with pytest.raises(ValueError, match=r"^eps must be >= 0, got -1e-08$"):
        cls(eps=-1e-8)


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_negative_weight_decay_is_rejected(cls) -> None:
    with pytest.raises(ValueError, match=r"^weight_decay must be >= 0, got -0\.5$"):
        cls(weight_decay=-0.5)


@pytest.mark.parametrize("cls", [optim.SGD, optim.RMSprop], ids=lambda c: c.__name__)
def test_negative_momentum_is_rejected(cls) -> None:
    with pytest.raises(ValueError, match=r"^momentum must be >= 0, got -0\.9$"):
        cls(momentum=-0.9)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("Adagrad", {"lr_decay": -1.0}, r"lr_decay must be .*>= 0, got -1\.0"),
        ("Adagrad", {"initial_accumulator_value": -1.0}, r"initial_accumulator_value .*got -1\.0"),
        ("RMSprop", {"alpha": 1.0}, r"alpha must be in \[0, 1\), got 1\.0"),
        ("Adadelta", {"rho": 1.5}, r"rho must be in \[0, 1\], got 1\.5"),
        ("NAdam", {"momentum_decay": -0.1}, r"momentum_decay must be .*>= 0, got -0\.1"),
        ("SGD", {"dampening": -0.1}, r"dampening must be .*>= 0, got -0\.1"),
    ],
)
def test_other_bad_hyperparameters_name_the_argument(name, value, message) -> None:
    with pytest.raises(ValueError, match=message):
        optim.ALL[name](**value)


# --------------------------------------------------------------------------- drifted checks
# The copies of these checks had drifted apart: booleans passed as numbers, and a list of
# betas made an optimizer unequal to the same one with a tuple, and unhashable.


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: optim.SGD(lr=0.1, momentum=True), "momentum"),
        (lambda: optim.SGD(lr=0.1, dampening=False), "dampening"),
        (lambda: optim.RMSprop(momentum=True), "momentum"),
        (lambda: optim.Adagrad(lr_decay=True), "lr_decay"),
        (lambda: optim.Adadelta(rho=True), "rho"),
        (lambda: optim.RMSprop(alpha=False), "alpha"),
        (lambda: optim.Adam(eps=True), "eps"),
        (lambda: optim.AdamW(weight_decay=True), "weight_decay"),
        (lambda: optim.NAdam(momentum_decay=True), "momentum_decay"),
    ],
)
def test_a_boolean_is_not_a_number_for_any_hyperparameter(make, name) -> None:
    with pytest.raises(TypeError, match=rf"^{name} must be a number, got (True|False)$"):
        make()


def test_sgd_momentum_true_is_rejected_not_read_as_one() -> None:
    with pytest.raises(TypeError, match=r"^momentum must be a number, got True$"):
        optim.SGD(lr=0.1, momentum=True)


@pytest.mark.parametrize(
    ("make", "name", "value"),
    [
        (lambda: optim.SGD(lr=0.1, momentum=0.9, nesterov=1), "nesterov", "1"),
        (lambda: optim.RMSprop(centered="yes"), "centered", "'yes'"),
        (lambda: optim.Adam(amsgrad=None), "amsgrad", "None"),
    ],
)
def test_switches_must_be_true_or_false(make, name, value) -> None:
    with pytest.raises(TypeError, match=rf"^{name} must be True or False, got {re.escape(value)}$"):
        make()


@pytest.mark.parametrize("cls", WITH_BETAS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("betas", [[0.9, 0.999], np.array([0.9, 0.999]), (np.float64(0.9), 0.999)])
def test_betas_as_a_list_or_array_equal_and_hash_like_the_tuple(cls, betas) -> None:
    given, reference = cls(lr=0.01, betas=betas), cls(lr=0.01, betas=(0.9, 0.999))
    assert given == reference
    assert hash(given) == hash(reference)
    assert given.betas == (0.9, 0.999) and type(given.betas) is tuple
    assert all(type(b) is float for b in given.betas)
    assert {given: "one key"}[reference] == "one key"
    assert repr(given) == repr(reference) == f"{cls.__name__}(lr=0.01)"


@pytest.mark.parametrize("cls", WITH_BETAS, ids=lambda c: c.__name__)
def test_betas_of_the_wrong_kind_are_a_type_error_naming_them(cls) -> None:
    with pytest.raises(TypeError, match=r"^betas must be a pair \(beta1, beta2\), got 0\.9$"):
        cls(betas=0.9)
    with pytest.raises(TypeError, match=r"^betas\[1\] must be a number, got True$"):
        cls(betas=(0.9, True))


@pytest.mark.parametrize(
    "kwargs",
    [{"nesterov": True}, {"nesterov": True, "momentum": 0.9, "dampening": 0.1}],
)
def test_nesterov_needs_momentum_and_no_dampening(kwargs) -> None:
    with pytest.raises(ValueError, match=r"nesterov requires momentum > 0 and dampening = 0"):
        optim.SGD(lr=0.1, **kwargs)


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_unknown_keyword_is_a_type_error_naming_it(cls) -> None:
    with pytest.raises(TypeError, match="mommentum"):
        cls(mommentum=0.9)


@pytest.mark.parametrize("opt", EVERY_OPTION, ids=IDS)
def test_grad_of_the_wrong_shape_is_rejected(opt) -> None:
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"grad must have the shape of x \(2,\), got shape \(3,\)"):
        opt.step(x, np.ones(3), opt.init(x))


@pytest.mark.parametrize("opt", EVERY_OPTION, ids=IDS)
def test_non_finite_x0_is_rejected_by_init(opt) -> None:
    with pytest.raises(ValueError, match=r"x0 must be finite, got \[1\.0, nan\]"):
        opt.init([1.0, float("nan")])


def test_schedule_giving_a_negative_rate_is_rejected_at_that_step() -> None:
    opt = optim.SGD(lr=lambda t: 0.1 - 0.05 * t)
    assert opt.learning_rate(2) == 0.0
    with pytest.raises(ValueError, match=r"the schedule gave lr=-0\.05\d* at step 3"):
        opt.learning_rate(3)


def test_the_state_tuples_are_exported_and_every_rule_starts_with_its_own() -> None:
    x0 = np.array([1.0, -2.0])
    expected = {
        optim.SGD(): optim.SGDState,
        optim.Adagrad(): optim.AdagradState,
        optim.RMSprop(): optim.RMSpropState,
        optim.Adadelta(): optim.AdadeltaState,
        optim.Adam(): optim.AdamState,
        optim.AdamW(): optim.AdamState,
        optim.Adamax(): optim.AdamaxState,
        optim.NAdam(): optim.NAdamState,
    }
    for opt, state_type in expected.items():
        assert state_type.__name__ in optim.__all__
        state = opt.init(x0)
        assert type(state) is state_type and state.step == 0
        _, after = opt.step(x0, np.ones(2), state)
        assert type(after) is state_type and after.step == 1


def test_every_state_in_the_package_is_built_by_keyword() -> None:
    # a state built by position silently swaps two moments if a field is ever added
    import ast
    from pathlib import Path

    import gdteach

    names = {name for name in optim.__all__ if name.endswith("State")}
    positional = []
    for path in Path(gdteach.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in names:
                if node.args:
                    positional.append(f"{path.name}:{node.lineno}")
    assert positional == []


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "Adamax", "NAdam"])
def test_coupled_weight_decay_is_the_rule_on_the_penalised_gradient(name) -> None:
    # weight_decay=λ is the same rule without decay fed g + λθ (torch's L2 penalty), two steps
    lam, x0, grads = 0.3, np.array([1.5, -0.5]), [np.array([0.2, -1.0]), np.array([0.4, 0.1])]
    decayed, plain = optim.ALL[name](lr=0.01, weight_decay=lam), optim.ALL[name](lr=0.01)
    x, s = x0, decayed.init(x0)
    y, r = x0, plain.init(x0)
    for g in grads:
        x, s = decayed.step(x, g, s)
        y, r = plain.step(y, g + lam * y, r)
    np.testing.assert_array_equal(x, y)


def test_adamw_decays_the_weights_and_not_the_gradient() -> None:
    # AdamW(λ): θ(1 − ηλ), then Adam's step on the plain gradient
    lam, lr, x0, g = 0.3, 0.01, np.array([1.5, -0.5]), np.array([0.2, -1.0])
    x, _ = optim.AdamW(lr=lr, weight_decay=lam).step(x0, g, optim.AdamW().init(x0))
    y, _ = optim.Adam(lr=lr).step(x0 * (1 - lr * lam), g, optim.Adam().init(x0))
    np.testing.assert_array_equal(x, y)

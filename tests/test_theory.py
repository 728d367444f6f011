"""Momentum theory on a quadratic (gdteach.theory) against closed forms and hand values."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import gdteach
from gdteach import optim, theory
from gdteach.objectives import quadratic

RAVINE = [0.04, 4.0]  # the series' ravine 0.02·x₁² + 2·x₂²: curvatures 0.04 and 4, κ = 100


def test_optimal_momentum_on_the_ravine_is_distills_closed_form() -> None:
    # √κ = 10: rate 9/11, β* = 81/121, η* = (2 / (0.2 + 2))² = (10/11)² = 100/121
    eta, beta, rate = theory.optimal_momentum(*RAVINE)
    assert eta == pytest.approx(float(Fraction(100, 121)), rel=1e-14)
    assert beta == pytest.approx(float(Fraction(81, 121)), rel=1e-14)
    assert rate == pytest.approx(float(Fraction(9, 11)), rel=1e-14)


def test_optimal_gd_on_the_ravine() -> None:
    eta, rate = theory.optimal_gd(*RAVINE)
    assert eta == pytest.approx(2 / 4.04, rel=1e-14)
    assert rate == pytest.approx(99 / 101, rel=1e-14)


def test_rate_is_the_spectral_radius_of_the_2x2_matrices() -> None:
    rng = np.random.default_rng(1)
    for eta, beta in zip(rng.uniform(0.01, 1.2, 20), rng.uniform(0, 0.99, 20)):
        reference = max(np.abs(np.linalg.eigvals(np.array([[1 + beta - eta * lam, -beta], [1.0, 0.0]]))).max()
                        for lam in RAVINE)
        assert float(theory.momentum_rate(eta, beta, RAVINE)) == pytest.approx(reference, rel=1e-6)


def test_rate_at_the_optimum_is_the_smallest_on_a_fine_map() -> None:
    etas, betas = np.meshgrid(np.linspace(0.01, 1.5, 301), np.linspace(0, 0.99, 199))
    rates = theory.momentum_rate(etas, betas, RAVINE)
    assert rates.shape == etas.shape
    assert rates.min() >= 9 / 11 - 1e-9
    assert float(theory.momentum_rate(100 / 121, 81 / 121, RAVINE)) == pytest.approx(9 / 11, abs=1e-7)


def test_plain_descent_rate_by_hand() -> None:
    assert float(theory.gd_rate(0.45, RAVINE)) == pytest.approx(1 - 0.45 * 0.04)
    assert float(theory.gd_rate(0.6, RAVINE)) == pytest.approx(0.6 * 4 - 1)
    assert float(theory.momentum_rate(0.45, 0.0, RAVINE)) == pytest.approx(0.982)


def test_regimes_by_hand() -> None:
    # β = 0, λ = 4: z = 1 − 4η is +0.6 (η = 0.1), −0.2 (η = 0.3), −1.4 (η = 0.6)
    assert theory.momentum_regime([0.1, 0.3, 0.6], 0.0, 4.0).tolist() == [0, 1, 2]
    # β = 0.9 beats a²/4 for every curvature at η = 0.2: a spiral of radius √0.9
    assert int(theory.momentum_regime(0.2, 0.9, RAVINE)) == 1
    assert float(theory.momentum_rate(0.2, 0.9, RAVINE)) == pytest.approx(np.sqrt(0.9))


def _heavy_ball(c: np.ndarray, x0: np.ndarray, eta: float, beta: float, steps: int) -> np.ndarray:
    """θ_{k+1} = θ_k − η∇ + β(θ_k − θ_{k−1}), θ_{−1} = θ₀, written out: the reference."""
    prev, x, out = x0.copy(), x0.copy(), [float((c * x0 * x0).sum())]
    for _ in range(steps):
        x, prev = x - eta * 2 * c * x + beta * (x - prev), x
        out.append(float((c * x * x).sum()))
    return np.array(out)


def test_loss_from_matrix_powers_matches_heavy_ball_and_torch_sgd() -> None:
    c, x0 = np.array([0.02, 2.0]), np.array([-5.0, -2.0])
    eta, beta, _ = theory.optimal_momentum(*RAVINE)
    exact = theory.quadratic_loss_after(c, x0, eta, beta, 60)
    np.testing.assert_allclose(exact, _heavy_ball(c, x0, eta, beta, 60), rtol=1e-9, atol=1e-300)
    run = gdteach.run(quadratic(c), x0, optim.SGD(lr=eta, momentum=beta), 60)  # torch's form
    np.testing.assert_allclose(run.loss, exact, rtol=1e-9, atol=1e-30)


def test_updates_to_shrink() -> None:
    assert theory.updates_to_shrink(0.5, 1e-3) == 10       # 2⁻¹⁰ < 1e-3 < 2⁻⁹
    assert theory.updates_to_shrink(0.9, 0.9) == 1
    assert theory.updates_to_shrink(1.2, 0.5) is None
    with pytest.raises(ValueError, match="factor must be between 0 and 1, got 2"):
        theory.updates_to_shrink(0.5, 2)


def test_bad_curvatures_are_named() -> None:
    with pytest.raises(ValueError, match=r"curvatures must be positive numbers, got \[0.0, 1.0\]"):
        theory.momentum_rate(0.1, 0.5, [0.0, 1.0])
    with pytest.raises(ValueError, match="lam_min=4.0, lam_max=0.04"):
        theory.optimal_momentum(4.0, 0.04)


def test_quadratic_loss_after_names_its_own_argument_in_errors() -> None:
    with pytest.raises(ValueError, match=r"^coefficients must be positive numbers, got \[1\.0, -2\.0\]$"):
        theory.quadratic_loss_after([1.0, -2.0], [1.0, 1.0], 0.1, 0.5, 3)

"""Momentum on a quadratic, in closed form (Goh, "Why Momentum Really Works", Distill 2017).

On a quadratic with curvatures λᵢ (the eigenvalues of its Hessian) every optimizer of the
SGD family acts on each eigen-direction separately. Heavy-ball momentum,

    θ_{k+1} = θ_k − η ∇L(θ_k) + β (θ_k − θ_{k−1}),

is torch's ``SGD(lr=η, momentum=β)`` exactly: torch keeps b ← βb + g, θ ← θ − ηb, and
−η b_{k−1} = θ_k − θ_{k−1} turns that into the line above (torch's b₁ = g₁ is θ_{−1} = θ₀).
Along a direction of curvature λ the error e_k = θ_k − θ* obeys the 2×2 recurrence

    (e_{k+1}, e_k) = M (e_k, e_{k−1}),   M = [[1 + β − ηλ, −β], [1, 0]],

whose eigenvalues z solve z² − (1 + β − ηλ) z + β = 0. The error shrinks by the largest |z|
per update (the *rate*; over all curvatures, the spectral radius). Complex z (|z| = √β)
means the error spirals (oscillates); real negative z means it flips sign every update.

>>> eta, beta, rate = optimal_momentum(0.04, 4.0)
>>> round(eta, 4), round(beta, 4), round(rate, 4)
(0.8264, 0.6694, 0.8182)
>>> round(float(momentum_rate(eta, beta, [0.04, 4.0])), 4)
0.8182
>>> optimal_gd(0.04, 4.0)[1] > rate     # plain descent at its best is slower
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = [
    "iteration_matrix",
    "momentum_eigenvalues",
    "momentum_rate",
    "momentum_regime",
    "gd_rate",
    "optimal_momentum",
    "optimal_gd",
    "updates_to_shrink",
    "quadratic_loss_after",
    "REGIMES",
]

#: the names :func:`momentum_regime` gives, by code 0, 1, 2
REGIMES = ("monotone", "oscillating", "divergent")


def _curvatures(curvatures: Any, name: str = "curvatures") -> np.ndarray:
    """``curvatures`` as a 1-D array of positive numbers; the error names the caller's
    argument ``name``."""
    lam = np.atleast_1d(np.asarray(curvatures, dtype=float))
    if lam.ndim != 1 or lam.size == 0 or not np.all(np.isfinite(lam)) or np.any(lam <= 0):
        raise ValueError(f"{name} must be positive numbers, got {curvatures!r}")
    return lam


def _check_pair(lam_min: float, lam_max: float) -> tuple[float, float]:
    if not (math.isfinite(lam_min) and math.isfinite(lam_max) and 0 < lam_min <= lam_max):
        raise ValueError(f"need 0 < lam_min <= lam_max, got lam_min={lam_min!r}, lam_max={lam_max!r}")
    return float(lam_min), float(lam_max)


def iteration_matrix(eta: float, beta: float, curvature: float) -> np.ndarray:
    """The 2×2 matrix M with (e_{k+1}, e_k) = M (e_k, e_{k−1}) for heavy-ball momentum along
    a direction of curvature λ: ``[[1 + β − ηλ, −β], [1, 0]]``. β = 0 is plain descent.

    >>> iteration_matrix(0.5, 0.0, 4.0)
    array([[-1., -0.],
           [ 1.,  0.]])
    """
    return np.array([[1.0 + beta - eta * curvature, -beta], [1.0, 0.0]])


def momentum_eigenvalues(eta: Any, beta: Any, curvature: Any) -> tuple[np.ndarray, np.ndarray]:
    """The two eigenvalues of :func:`iteration_matrix`, z = (a ± √(a² − 4β)) / 2 with
    a = 1 + β − ηλ, as complex arrays; η, β and λ broadcast against each other.

    >>> z1, z2 = momentum_eigenvalues(0.1, 0.0, 4.0)     # plain descent: z = 1 − ηλ and 0
    >>> complex(z1), complex(z2)
    ((0.6+0j), 0j)
    """
    eta, beta, lam = (np.asarray(v, dtype=float) for v in (eta, beta, curvature))
    a = 1.0 + beta - eta * lam
    root = np.sqrt((a * a - 4.0 * beta).astype(complex))
    return (a + root) / 2, (a - root) / 2


def momentum_rate(eta: Any, beta: Any, curvatures: Any) -> np.ndarray:
    """The convergence rate of heavy-ball momentum on a quadratic: the largest |z| over the
    eigenvalues z of every curvature's 2×2 matrix (the spectral radius). Below 1 the error
    shrinks by this factor per update (asymptotically); 1 or more means no convergence.
    η and β may be arrays (they broadcast: a whole (η, β) map at once).

    >>> float(momentum_rate(0.1, 0.0, [0.04, 4.0]))      # plain descent: max |1 − ηλ|
    0.996
    >>> momentum_rate(np.array([0.1, 0.6]), 0.0, [0.04, 4.0]).round(3).tolist()
    [0.996, 1.4]
    """
    lam = _curvatures(curvatures)
    eta, beta = np.broadcast_arrays(np.asarray(eta, dtype=float), np.asarray(beta, dtype=float))
    z1, z2 = momentum_eigenvalues(eta[..., None], beta[..., None], lam)
    return np.maximum(np.abs(z1), np.abs(z2)).max(axis=-1)


def momentum_regime(eta: Any, beta: Any, curvatures: Any) -> np.ndarray:
    """0 monotone, 1 oscillating, 2 divergent (names in :data:`REGIMES`), judged on the
    slowest direction (the curvature and eigenvalue that set the rate): divergent when the
    rate is ≥ 1, oscillating when that eigenvalue is complex (a spiral, |z| = √β) or real
    and negative (a sign flip every update), monotone when it is real and positive.

    >>> momentum_regime([0.1, 0.45, 0.6], 0.0, 4.0).tolist()      # z = 1 − 4η: +, −, < −1
    [0, 1, 2]
    >>> momentum_regime(0.2, [0.0, 0.9], [0.04, 4.0]).tolist()     # β > a²/4: a spiral
    [0, 1]
    """
    lam = _curvatures(curvatures)
    eta, beta = np.broadcast_arrays(np.asarray(eta, dtype=float), np.asarray(beta, dtype=float))
    z1, z2 = momentum_eigenvalues(eta[..., None], beta[..., None], lam)
    z = np.stack([z1, z2], axis=-1).reshape(*eta.shape, -1)
    slowest = np.take_along_axis(z, np.argmax(np.abs(z), axis=-1)[..., None], axis=-1)[..., 0]
    rate = np.abs(slowest)
    wobbly = (np.abs(slowest.imag) > 1e-12 * np.maximum(rate, 1e-300)) | (slowest.real < 0)
    return np.where(rate >= 1.0, 2, np.where(wobbly, 1, 0))


def gd_rate(eta: Any, curvatures: Any) -> np.ndarray:
    """Plain gradient descent's rate on a quadratic: max over curvatures of |1 − ηλ|.

    >>> float(gd_rate(0.45, [0.04, 4.0]))
    0.982
    """
    lam = _curvatures(curvatures)
    eta = np.asarray(eta, dtype=float)
    return np.abs(1.0 - eta[..., None] * lam).max(axis=-1)


def optimal_momentum(lam_min: float, lam_max: float) -> tuple[float, float, float]:
    """The (η*, β*) that minimise heavy-ball momentum's rate on a quadratic whose curvatures
    lie in [λ_min, λ_max], and that rate (Polyak 1964; Distill's "optimal parameters"):

        η* = (2 / (√λ_min + √λ_max))²,   β* = ((√κ − 1)/(√κ + 1))²,   rate* = (√κ − 1)/(√κ + 1)

    with κ = λ_max/λ_min the condition number.

    >>> optimal_momentum(1.0, 1.0)          # a round bowl: one step to the minimum
    (1.0, 0.0, 0.0)
    """
    lo, hi = _check_pair(lam_min, lam_max)
    root_k = math.sqrt(hi / lo)
    rate = (root_k - 1.0) / (root_k + 1.0)
    return (2.0 / (math.sqrt(lo) + math.sqrt(hi))) ** 2, rate * rate, rate


def optimal_gd(lam_min: float, lam_max: float) -> tuple[float, float]:
    """Plain descent's best learning rate and rate on curvatures in [λ_min, λ_max]:
    η = 2/(λ_min + λ_max), rate = (κ − 1)/(κ + 1).

    >>> optimal_gd(0.04, 4.0)[1] == 99 / 101
    True
    """
    lo, hi = _check_pair(lam_min, lam_max)
    return 2.0 / (lo + hi), (hi - lo) / (hi + lo)


def updates_to_shrink(rate: float, factor: float) -> int | None:
    """The fewest updates k with rate^k ≤ factor (0 < factor < 1): ⌈ln factor / ln rate⌉.
    ``None`` when rate ≥ 1 (it never shrinks). This counts with the rate alone; where the
    2×2 matrix has a double eigenvalue (as at the optimal η*, β*) the error decays like
    k·rateᵏ and takes a few updates more: :func:`quadratic_loss_after` has the exact value.

    >>> updates_to_shrink(0.5, 1e-3), updates_to_shrink(1.0, 0.1)
    (10, None)
    """
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, got {factor!r}")
    if not 0 <= rate:
        raise ValueError(f"rate must be >= 0, got {rate!r}")
    if rate >= 1:
        return None
    if rate == 0:
        return 1
    k = math.ceil(math.log(factor) / math.log(rate) - 1e-12)
    return max(k, 1)


def quadratic_loss_after(coefficients: Any, x0: Any, eta: float, beta: float, steps: int) -> np.ndarray:
    """The exact loss Σ cᵢ xᵢ² of heavy-ball momentum (torch's ``SGD(lr=η, momentum=β)``) on
    the quadratic Σ cᵢ xᵢ² (curvatures λᵢ = 2cᵢ) after 0, 1, …, ``steps`` updates, from the
    powers of each coordinate's 2×2 matrix (start: e₀ = e₋₁ = x0). No optimizer is run.

    >>> quadratic_loss_after([0.5], [1.0], 0.5, 0.0, 2).tolist()     # x ← x/2 each update
    [0.5, 0.125, 0.03125]
    """
    c = _curvatures(coefficients, "coefficients")
    x0 = np.asarray(x0, dtype=float)
    if x0.shape != c.shape:
        raise ValueError(f"x0 must have one entry per coefficient {c.shape}, got shape {x0.shape}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps!r}")
    errors = np.empty((steps + 1, c.size))
    for i, (ci, xi) in enumerate(zip(c, x0)):
        m = iteration_matrix(eta, beta, 2.0 * ci)
        state = np.array([xi, xi])
        for k in range(steps + 1):
            errors[k, i] = state[0]
            state = m @ state
    return (c * errors * errors).sum(axis=-1)

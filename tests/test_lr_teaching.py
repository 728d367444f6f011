"""The teaching claims of notebook 04's new sections, checked independently of the notebook.

§12 (several minima): on f(x) = x·cos(cx), gradient descent at rate η can settle only in a
minimum whose curvature f''(x*) is below 2/η (the 1-D stability condition |1 − η f''| < 1), and
at a small rate every start ends in the minimum of the valley it starts in. Curvatures and
valleys come from the closed-form derivatives, not from gdteach.

§11 (early stopping): on the seeded polynomial fit, full-batch descent below 2/λ_max lowers the
training loss at every step while the held-out loss has an interior minimum, so the restored
parameters beat the last ones on held-out data.
"""

from __future__ import annotations

import numpy as np
import pytest

from gdteach import optim, run
from gdteach.objectives import linear_regression, x_cos

C = 0.15 * np.pi


def slope(x):
    return np.cos(C * x) - C * x * np.sin(C * x)


def curvature(x):
    return -2 * C * np.sin(C * x) - C * C * x * np.cos(C * x)


def _roots(sign_from: int) -> np.ndarray:
    """Zeros of f' where it changes sign from `sign_from` (−1: minima, +1: maxima), by bisection."""
    xs = np.linspace(-40, 40, 8001)
    s = slope(xs)
    idx = np.flatnonzero((np.sign(s[:-1]) == sign_from) & (np.sign(s[1:]) == -sign_from))
    lo, hi = xs[idx], xs[idx + 1]
    for _ in range(60):
        mid = (lo + hi) / 2
        left = np.sign(slope(mid)) == sign_from
        lo, hi = np.where(left, mid, lo), np.where(left, hi, mid)
    return (lo + hi) / 2


MINIMA, MAXIMA = _roots(-1), _roots(+1)
STARTS = np.linspace(-18, 14, 17)


def _ends(eta: float, steps: int = 1000) -> np.ndarray:
    final = run(x_cos(C), STARTS[:, None], optim.SGD(lr=eta), steps, warn=False).x[-1, :, 0]
    return final


@pytest.mark.parametrize("eta", [0.3, 0.8, 1.2, 1.6])
def test_a_run_settles_only_in_a_minimum_flatter_than_two_over_eta(eta: float) -> None:
    final = _ends(eta)
    settled = [m for m in MINIMA if np.any(np.abs(final - m) < 0.01)]
    assert settled, f"η = {eta}: no run settled"
    for m in settled:
        assert curvature(m) < 2 / eta, f"η = {eta} settled at x = {m:.2f} with f'' = {curvature(m):.2f} ≥ 2/η"


def test_a_small_rate_ends_in_the_valley_of_its_start() -> None:
    final = _ends(0.05)
    for x0, end in zip(STARTS, final):
        left, right = MAXIMA[MAXIMA < x0].max(), MAXIMA[MAXIMA > x0].min()
        valley = MINIMA[(MINIMA > left) & (MINIMA < right)]
        assert valley.size == 1 and abs(end - valley[0]) < 0.01, (x0, end, valley)


def test_the_sharpest_minimum_holds_no_run_above_its_limit() -> None:
    sharpest = MINIMA[(MINIMA > -20) & (MINIMA < 0)][0]      # x ≈ −13.66, f'' ≈ 3.14
    eta = 1.1 * 2 / curvature(sharpest)
    assert not np.any(np.abs(_ends(eta) - sharpest) < 0.01)


def test_early_stopping_keeps_a_better_held_out_fit_than_the_last_step() -> None:
    rng = np.random.default_rng(1)                            # notebook 04, §11's settings
    x = rng.uniform(-1, 1, 30)
    y = np.sin(np.pi * x) + 0.3 * rng.standard_normal(30)
    V = np.polynomial.legendre.legvander(x, 9)
    train, valid = linear_regression(V[:12], y[:12]), linear_regression(V[12:], y[12:])
    lam_max = np.linalg.eigvalsh(2 / 12 * V[:12].T @ V[:12]).max()
    eta = 0.4
    assert eta < 2 / lam_max
    traj = run(train, np.zeros(10), optim.SGD(lr=eta), 3000)
    held_out = np.array([valid(t) for t in traj.x])
    assert np.all(np.diff(traj.loss) <= 1e-15)                 # training loss never rises
    best = int(np.argmin(held_out))
    assert 0 < best < 100 and held_out[-1] > 5 * held_out[best]

"""Claims of notebooks/01_derivatives.ipynb: derivatives, critical points, the gradient.

Every value is computed with gdteach: derivatives from ``Objective.grad`` or from
central differences (``gdteach.objectives.numerical_gradient``), critical points by
bisection on the derivative, gradient directions by scanning unit directions. Verdicts
(strings) are returned only when the numbers bear them out, so each claim can fail.
"""

from __future__ import annotations

import math

import numpy as np

from gdteach import Objective
from gdteach.objectives import (
    check_grad,
    numerical_gradient,
    quadratic,
    rosenbrock,
    shifted_square,
    square,
)

from . import Cause, Claim

NB = "01_derivatives.ipynb"

#: the 2-D test points of the notebook: an elongated bowl and Rosenbrock's valley
BOWL = quadratic([0.1, 2.0])
POINTS = {
    "bowl": (BOWL, [(4.0, 1.0), (-3.0, 0.5), (1.0, -1.5), (-2.0, -2.0)]),
    "rosenbrock": (rosenbrock, [(-1.5, 1.5), (0.0, 0.5), (0.5, 0.5), (1.5, 1.0)]),
}


def derivative(objective: Objective, w: float) -> float:
    """f'(w) of a 1-D objective, from its analytic gradient."""
    return float(objective.grad([float(w)])[0])


def root_of_derivative(objective: Objective, lo: float, hi: float) -> float:
    """Solve f'(w) = 0 on [lo, hi] by bisection (f' must change sign on the interval)."""
    g_lo = derivative(objective, lo)
    if g_lo * derivative(objective, hi) > 0:
        raise ValueError(f"f' does not change sign on [{lo}, {hi}]")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        g_mid = derivative(objective, mid)
        if g_mid == 0.0:
            return mid
        if (g_mid < 0) == (g_lo < 0):
            lo, g_lo = mid, g_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def second_derivative(objective: Objective, w: float, h: float = 1e-4) -> float:
    """f''(w): central differences of the analytic derivative."""
    return float(numerical_gradient(lambda t: objective.grad(t)[..., 0], [float(w)], h)[0])


def kind_of_critical_point(objective: Objective, w: float, delta: float = 1e-3) -> str:
    """Look left and right of a point where f'(w) = 0: minimum, maximum or neither."""
    left, mid, right = (objective([w + d]) for d in (-delta, 0.0, delta))
    if left > mid and right > mid:
        return "local minimum"
    if left < mid and right < mid:
        return "local maximum"
    return "neither"


def downhill_side(objective: Objective, w: float, step: float = 1e-3) -> str:
    """Which way from w the function decreases: "left" or "right"."""
    return "left" if objective([w - step]) < objective([w + step]) else "right"


def directions(n: int = 3600) -> tuple[np.ndarray, np.ndarray]:
    """n unit vectors in the plane, one every 360/n degrees, and their angles."""
    phi = np.arange(n) * (2 * np.pi / n)
    return phi, np.stack([np.cos(phi), np.sin(phi)], axis=-1)


def rates_of_change(objective: Objective, p: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """The slope of f along each unit direction u at p, measured without the gradient:
    (f(p + εu) − f(p − εu)) / 2ε."""
    _, u = directions()
    return (objective(p + eps * u) - objective(p - eps * u)) / (2 * eps)


def angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    cos = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def contour_tangent(objective: Objective, p: np.ndarray, r: float = 1e-5) -> np.ndarray:
    """A chord of the contour line through p: the point at distance r from p on the same
    level, found by bisection on the angle (the loss rises along the gradient's side and
    falls on the other, so the level is crossed in between). No gradient is used except
    to pick the half-circle to search."""
    level = objective(p)
    g = objective.grad(p)
    start = np.arctan2(g[1], g[0])

    def excess(phi: float) -> float:
        return objective(p + r * np.array([np.cos(phi), np.sin(phi)])) - level

    lo, hi = start, start + np.pi  # excess(lo) > 0 > excess(hi)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if excess(mid) > 0:
            lo = mid
        else:
            hi = mid
    return np.array([np.cos(lo), np.sin(lo)])


def _all_points() -> list[tuple[Objective, np.ndarray]]:
    return [(obj, np.array(p)) for obj, pts in POINTS.values() for p in pts]


# --------------------------------------------------------------------------- the articles' gradient formulas
#
# Each article writes a loss and the gradient it uses. Written out here exactly as the article
# writes them (no gdteach objective involved), the gradient is checked against central
# differences of the loss at a few points: "gradient of the loss" when the largest relative
# error is below 1e-6 (gdteach.check_grad's threshold), the error otherwise.

B_HOURS = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
B_SCORES = np.array([2.0, 4.0, 5.0, 4.0, 5.0])
C_XS = np.array([1.0, 2.0, 3.0])
C_YS = np.array([2.0, 4.0, 6.0])
C_DESIGN = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])  # C's listing: bias column first
_E_RNG = np.random.default_rng(0)
E_X, E_Y = _E_RNG.normal(size=(20, 4)), _E_RNG.normal(size=20)  # E's formula holds for any X, y


def formula_error(loss, grad, points) -> float:
    """Largest relative error of an article's gradient formula against its own loss."""
    obj = Objective(loss, grad, name="as written")
    return max(check_grad(obj, np.asarray(p, dtype=float)) for p in points)


def formula_verdict(loss, grad, points, words: str = "gradient of the loss") -> str:
    worst = formula_error(loss, grad, points)
    return words if worst < 1e-6 else f"relative error {worst:.1e}"


def _b_regression(theta):
    m, b = theta
    y_pred = m * B_HOURS + b
    return y_pred


def _b_loss(theta):
    n = len(B_HOURS)
    return (1 / n) * np.sum((B_SCORES - _b_regression(theta)) ** 2)


def _b_grad(theta):
    n = len(B_HOURS)
    y_pred = _b_regression(theta)
    dm = -(2 / n) * np.sum(B_HOURS * (B_SCORES - y_pred))
    db = -(2 / n) * np.sum(B_SCORES - y_pred)
    return np.array([dm, db])


def _c_loss(theta):
    m_, b = theta
    m = len(C_XS)
    return (1 / (2 * m)) * np.sum((m_ * C_XS + b - C_YS) ** 2)


def _c_grad(theta):
    m_, b = theta
    m = len(C_XS)
    err = m_ * C_XS + b - C_YS
    return np.array([(1 / m) * np.sum(err * C_XS), (1 / m) * np.sum(err)])


ALL_ROWS = slice(None)


def _c_listing_loss(theta, rows=ALL_ROWS):
    X, y = C_DESIGN[rows], C_YS[rows]
    errors = X @ theta - y
    return (1 / (2 * len(X))) * np.sum(errors**2)


def _c_listing_grad(theta, rows=ALL_ROWS):
    X, y = C_DESIGN[rows], C_YS[rows]
    errors = X @ theta - y
    return (1 / len(X)) * (X.T @ errors)


def _e_loss(W):
    residuals = E_X @ W - E_Y
    return (residuals**2).mean()


def _e_grad(W):
    residuals = E_X @ W - E_Y
    return (2 / len(E_X)) * (E_X.T @ residuals)


_POINTS_1D = [[-3.0], [0.5], [5.0]]
_POINTS_2D = [[0.0, 0.0], [0.5, -0.3], [1.5, 1.0]]


def c_minibatch_gradient() -> str:
    """C's mini-batch listing: (1/len(X_batch))·X_batchᵀ·errors is the gradient of the
    batch's (1/2|B|)Σr²; over the whole data set it is the gradient of the epoch loss."""
    verdicts = {
        formula_verdict(lambda t, r=rows: _c_listing_loss(t, r), lambda t, r=rows: _c_listing_grad(t, r),
                        _POINTS_2D)
        for rows in (slice(None), [0, 2], [1])
    }
    return verdicts.pop() if len(verdicts) == 1 else " / ".join(sorted(verdicts))


def c_true_line() -> str:
    """The least-squares line through C's data: y = 2x exactly (zero residual)?"""
    X = np.column_stack([C_XS, np.ones(3)])
    (m, b), *_ = np.linalg.lstsq(X, C_YS, rcond=None)
    residual = np.abs(X @ [m, b] - C_YS).max()
    if abs(m - round(m)) < 1e-9 and abs(b) < 1e-9 and residual < 1e-9:
        return f"y = {round(m)}x"
    return f"y = {m:.4g}x + {b:.4g} (largest residual {residual:.2g})"


# --------------------------------------------------------------------------- computations


def a_critical_point() -> float:
    return root_of_derivative(square, -5.0, 4.0)


def a_second_derivative() -> float:
    return second_derivative(square, a_critical_point())


def a_kind() -> str:
    # the second derivative test, confirmed by looking at the neighbours
    test = "local minimum" if a_second_derivative() > 0 else "local maximum"
    seen = kind_of_critical_point(square, a_critical_point())
    return test if test == seen else f"test says {test}, neighbours say {seen}"


def d_minimum() -> float:
    return root_of_derivative(shifted_square(3.0), -5.0, 10.0)


def d_sign_rule(sign: int) -> str:
    """What the article's sign rule says, checked at points where f' has that sign."""
    f = shifted_square(3.0)
    pts = [w for w in np.linspace(-3.0, 9.0, 25) if np.sign(derivative(f, w)) == sign]
    sides = {downhill_side(f, w) for w in pts}
    return sides.pop() if len(sides) == 1 else "both"


def d_going(sign: int) -> str:
    """At points where f' has this sign, is f going up or down (as w increases)?"""
    f = shifted_square(3.0)
    pts = [w for w in np.linspace(-3.0, 9.0, 25) if np.sign(derivative(f, w)) == sign]
    going = {"up" if f([w + 1e-3]) > f([w]) else "down" for w in pts}
    return going.pop() if len(going) == 1 else "both"


def d_always_toward() -> str:
    """D: "no matter which side of the minimum we are on, we always move toward the minimum".
    The sentence is about direction: on (w − 3)² the step −α·f'(w) = 2α(3 − w) has the sign of
    3 − w on either side, for every α > 0 (checked on a grid of starts and rates, D's 1.5 included;
    how far the step goes is D's own next topic, D-lr15-overshoot-farther)."""
    f = shifted_square(3.0)
    starts = [w for w in np.linspace(-6.0, 12.0, 37) if w != 3.0]
    wrong = [(w, lr) for w in starts for lr in (0.01, 0.1, 0.5, 1.0, 1.5, 10.0)
             if np.sign(-lr * derivative(f, w)) != np.sign(3.0 - w)]
    return "always toward the minimum" if not wrong else f"away from it at (w, α) = {wrong[0]}"




CUBE = Objective(lambda w: np.sum(w * w * w, axis=-1), lambda w: 3 * w * w, name="w³", dim=1)
CAP = Objective(lambda w: -np.sum(w * w, axis=-1), lambda w: -2 * w, name="−w²", dim=1)


def d_zero_derivative() -> str:
    """Classify a point with f'(w) = 0 on three functions: (w − 3)², −w², w³."""
    cases = [(shifted_square(3.0), 3.0), (CAP, 0.0), (CUBE, 0.0)]
    kinds = []
    for f, w in cases:
        assert derivative(f, w) == 0.0
        kinds.append(kind_of_critical_point(f, w))
    if "neither" in kinds:
        return "not always: w³ has f'(0) = 0 at an inflection point"
    return "a minimum or maximum"


SADDLE = Objective(
    lambda p: p[..., 0] ** 2 - p[..., 1] ** 2,
    lambda p: np.stack([2 * p[..., 0], -2 * p[..., 1]], axis=-1),
    name="x² − y²",
    latex=r"$f(x, y) = x^2 - y^2$",
    minimum=None,
    bounds=((-2.0, 2.0), (-2.0, 2.0)),
    dim=2,
)


def e_saddle() -> str:
    origin = np.zeros(2)
    flat = np.linalg.norm(SADDLE.grad(origin)) == 0.0
    _, u = directions(360)
    lower = np.any(SADDLE(origin + 1e-3 * u) < SADDLE(origin))
    return "gradient = 0 but not a minimum" if flat and lower else "no"


def c_steepest_increase() -> str:
    """The direction of fastest increase, found by scanning 3600 directions, is the
    gradient's direction (to the 0.1° resolution of the scan) at every test point."""
    phi, u = directions()
    worst = max(
        angle_deg(u[np.argmax(rates_of_change(f, p))], f.grad(p)) for f, p in _all_points()
    )
    return "Points in direction of steepest increase" if worst <= 0.1 else f"off by {worst:.2f}°"


def b_steepest_decrease() -> str:
    phi, u = directions()
    worst = max(
        angle_deg(u[np.argmin(rates_of_change(f, p))], -f.grad(p)) for f, p in _all_points()
    )
    return "points toward steepest decrease" if worst <= 0.1 else f"off by {worst:.2f}°"


def c_magnitude() -> str:
    """The largest rate of increase over all directions equals ‖∇f‖ (to 1e-4 relative)."""
    worst = max(
        abs(rates_of_change(f, p).max() / np.linalg.norm(f.grad(p)) - 1) for f, p in _all_points()
    )
    return "Magnitude indicates steepness" if worst < 1e-4 else f"off by {worst:.1e}"


def c_perpendicular() -> str:
    worst = max(abs(angle_deg(contour_tangent(f, p), f.grad(p)) - 90.0) for f, p in _all_points())
    return "Perpendicular to contour lines of L" if worst < 0.01 else f"off by {worst:.3f}°"


def c_gradient_positive_left() -> str:
    """C's 1-D picture: on the rising side of a hump, gradient > 0 and loss falls to the left.
    Checked on the rising sides of the bowl θ² (θ > 0) and of −w² (w < 0)."""
    sides = set()
    for f, pts in ((square, [0.5, 2.0, 4.0]), (CAP, [-3.0, -1.0, -0.2])):
        for w in pts:
            assert derivative(f, w) > 0
            sides.add(downhill_side(f, w))
    return "move left" if sides == {"left"} else "not always left"


def c_negative_gradient_inward() -> str:
    """On the bowl (C's picture: closed contours round one minimum), −∇f has a positive
    component toward the minimum at every point of a grid: it points inward."""
    axis = np.linspace(-5.0, 5.0, 41)
    g = np.stack(np.meshgrid(axis, axis), axis=-1).reshape(-1, 2)
    g = g[np.linalg.norm(g, axis=-1) > 0]
    downhill = -numerical_gradient(BOWL, g)  # measured, not BOWL.grad
    inward = np.sum(downhill * (BOWL.minimum - g), axis=-1)
    if not np.all(inward > 0):
        return "not always inward"
    p = np.array([4.0, 1.0])
    return f"inward, {angle_deg(-numerical_gradient(BOWL, p), BOWL.minimum - p):.1f}° off the minimum at (4, 1)"


#: by hand: at (4, 1) the bowl's −∇f = −(0.8, 4) and the way to the minimum is (−4, −1), so the
#: angle between them is arccos(7.2 / √(16.64 · 17))
C_INWARD_TRUE = f"inward, {math.degrees(math.acos(7.2 / math.sqrt(16.64 * 17))):.1f}° off the minimum at (4, 1)"


CLAIMS: list[Claim] = [
    # ---- article A: the calculus of J(θ) = θ²
    Claim(
        "A-critical-point", "A", "We find that the critical point occurs at θ = 0.",
        0.0, a_critical_point, 0, "holds", NB,
    ),
    Claim(
        "A-second-derivative", "A", "(0) = 2, which is greater than 0 in our case",
        2.0, a_second_derivative, 0, "holds", NB,
    ),
    Claim(
        "A-local-minimum", "A", "the critical point at θ = 0 is a local minimum",
        "local minimum", a_kind, None, "holds", NB,
    ),
    Claim(
        "A-minimum-value", "A", "that minimum value is J(0) = 0",
        0.0, lambda: square([a_critical_point()]), 0, "holds", NB,
    ),
    # ---- article D: loss, derivative sign rules, the minimum of (w − 3)²
    Claim(
        "D-error", "D",
        "The actual price of a house is 60 and our model predicts 50. The error is 60 - 50 = 10.",
        10.0, lambda: -shifted_square(60.0).grad([50.0])[0] / 2, 0, "holds", NB,  # f' = 2(p − 60) = −2·error
    ),
    Claim(
        "D-squared-error", "D", "So, the loss becomes (60 - 50)² = 100.",
        100.0, lambda: shifted_square(60.0)([50.0]), 0, "holds", NB,
    ),
    Claim(
        "D-minimum-w", "D", "the minimum of this function is atw = 3",
        3.0, d_minimum, 0, "holds", NB,
    ),
    Claim(
        "D-minimum-loss", "D", "because\\(3 \\- 3\\)² = 0",
        0.0, lambda: shifted_square(3.0)([d_minimum()]), 0, "holds", NB,
    ),
    Claim(
        "D-derivative-positive-up", "D",
        "If the derivative ispositive, the function is going up (slope is upward).",
        "up", lambda: d_going(+1), None, "holds", NB,
    ),
    Claim(
        "D-derivative-negative-down", "D",
        "If the derivative isnegative, the function is going down (slope is downward).",
        "down", lambda: d_going(-1), None, "holds", NB,
    ),
    Claim(
        "D-derivative-zero", "D",
        "If the derivative iszero, the function is flat (we are at a minimum or maximum).",
        "a minimum or maximum", d_zero_derivative, None, "erratum", NB,
        correct="not always: w³ has f'(0) = 0 at an inflection point",
        why="f'(w) = 0 makes w a critical point, not necessarily an extremum: f(w) = w³ has "
        "f'(0) = 0 but f(−δ) < f(0) < f(δ), an inflection point (and x² − y² has a saddle).",
    ),
    Claim(
        "D-positive-gradient-left", "D",
        "If the gradient is positive (slope going up), subtracting it moves us to the left "
        "(downhill).",
        "left", lambda: d_sign_rule(+1), None, "holds", NB,
    ),
    Claim(
        "D-always-toward-minimum", "D",
        "This way, no matter which side of the minimum we are on, we always move toward the minimum.",
        "always toward the minimum", d_always_toward, None, "holds", NB,
    ),
    Claim(
        "D-negative-gradient-right", "D",
        "If the gradient is negative (slope going down), subtracting a negative number means "
        "adding, so we move to the right (also downhill).",
        "right", lambda: d_sign_rule(-1), None, "holds", NB,
    ),
    # ---- article C: properties of the gradient
    Claim(
        "C-steepest-increase", "C", "Points in direction of steepest increase",
        "Points in direction of steepest increase", c_steepest_increase, None, "holds", NB,
    ),
    Claim(
        "C-perpendicular-contours", "C", "Perpendicular to contour lines of L",
        "Perpendicular to contour lines of L", c_perpendicular, None, "holds", NB,
    ),
    Claim(
        "C-magnitude-steepness", "C", "Magnitude indicates steepness",
        "Magnitude indicates steepness", c_magnitude, None, "holds", NB,
    ),
    Claim(
        "C-gradient-positive-left", "C", "Gradient positive → move left (decrease θ)",
        "move left", c_gradient_positive_left, None, "holds", NB,
    ),
    Claim(
        "C-negative-gradient-inward", "C", "Negative gradient points inward (toward minimum)",
        "inward (toward minimum)", c_negative_gradient_inward, None, "caveat", NB,
        cause="C-negative-gradient-toward-minimum", correct=C_INWARD_TRUE,
        why="Inward, yes (on a convex bowl −∇f always has a component toward the minimum), but 'toward "
        "minimum' holds only for C's round contours: on the bowl 0.1·x1² + 2·x2² it misses the minimum by "
        "64.7° at (4, 1), and on Rosenbrock's valley at (0, 0.5) it points away from it (115°).",
    ),
    # ---- articles B and E: the same facts in their words
    Claim(
        "B-steepest-decrease", "B", "Negative gradient points toward steepest decrease",
        "points toward steepest decrease", b_steepest_decrease, None, "holds", NB,
    ),
    Claim(
        "E-saddle-gradient-zero", "E", "Saddle point: gradient = 0 but not a minimum",
        "gradient = 0 but not a minimum", e_saddle, None, "holds", NB,
    ),
    # ---- audit additions: where the minimum is, in the articles' other words
    Claim(
        "A-parabola-minimum", "A", "a parabola with a minimum at θ = 0",
        0.0, a_critical_point, 0, "holds", NB,
    ),
    Claim(
        "A-minimum-at", "A", "the loss function achieves its minimum value at θ = 0",
        0.0, a_critical_point, 0, "holds", NB,
    ),
    Claim(
        "B-x2-minimum", "B", "y = x² (parabola with minimum at x=0)",
        0.0, a_critical_point, 0, "holds", NB,
    ),
    Claim(
        "B-x2-target-minimum", "B", "# Start from x=10, try to reach minimum at x=0",
        0.0, a_critical_point, 0, "holds", NB,
    ),
    Claim(
        "C-true-line", "C", "(true line: y = 2x)",
        "y = 2x", c_true_line, None, "holds", NB,
    ),
    # ---- audit additions: every gradient formula the articles write, against its own loss
    Claim(
        "A-derivative-2theta", "A", "Backward pass (calculates d(θ²)/dθ = 2θ and stores in theta.grad)",
        "2θ", lambda: formula_verdict(lambda t: t[0] ** 2, lambda t: 2 * t, _POINTS_1D, "2θ"),
        None, "holds", NB,
    ),
    Claim(
        "B-x2-derivative", "B", "# Gradient (derivative): dy/dx = 2xdef gradient(x): return 2 * x",
        "2x", lambda: formula_verdict(lambda x: x[0] ** 2, lambda x: 2 * x, _POINTS_1D, "2x"),
        None, "holds", NB,
    ),
    Claim(
        "B-regression-gradient", "B",
        "loss = (1/n) * np.sum((y - y_pred) ** 2) # 3. Calculate gradients dm = -(2/n) * "
        "np.sum(X * (y - y_pred)) # ∂Loss/∂m db = -(2/n) * np.sum(y - y_pred)",
        "gradient of the loss", lambda: formula_verdict(_b_loss, _b_grad, _POINTS_2D), None, "holds", NB,
    ),
    Claim(
        "C-gradient-formulas", "C",
        "L(θ) = (1/2m) Σᵢ₌₁ᵐ (ŷⁱ - yⁱ)² = (1/2m) Σᵢ₌₁ᵐ (mxⁱ + b - yⁱ)² Gradients: ∂L/∂m = (1/m) "
        "Σᵢ₌₁ᵐ (mxⁱ + b - yⁱ) × xⁱ ∂L/∂b = (1/m) Σᵢ₌₁ᵐ (mxⁱ + b - yⁱ)",
        "gradient of the loss", lambda: formula_verdict(_c_loss, _c_grad, _POINTS_2D), None, "holds", NB,
    ),
    Claim(
        "C-listing-gradient", "C",
        "gradient = (1/m) * (X.T @ errors) # Update theta = theta - alpha * gradient # Track loss "
        "loss = (1/(2*m)) * np.sum(errors**2)",
        "gradient of the loss", lambda: formula_verdict(_c_listing_loss, _c_listing_grad, _POINTS_2D),
        None, "holds", NB,
    ),
    Claim(
        "C-minibatch-gradient", "C",
        "gradient = (1/len(X_batch)) * (X_batch.T @ errors) # Update theta = theta - alpha * gradient "
        "# Epoch loss all_predictions = X @ theta loss = (1/(2*m)) * np.sum((all_predictions - y)**2)",
        "gradient of the loss", c_minibatch_gradient, None, "holds", NB,
    ),
    Claim(
        "D-gradient-formula", "D", "Gradient: 2(w - 3)",
        "2(w - 3)", lambda: formula_verdict(
            shifted_square(3.0).fn, lambda w: 2 * (w - 3), _POINTS_1D, "2(w - 3)"), None, "holds", NB,
    ),
    Claim(
        "D-listing-gradient", "D",
        "gradient = 2 * (w - 3) w = w - learning_rate * gradient loss = (w - 3) ** 2",
        "2(w - 3)", lambda: formula_verdict(
            lambda w: (w[0] - 3) ** 2, lambda w: 2 * (w - 3), _POINTS_1D, "2(w - 3)"), None, "holds", NB,
    ),
    Claim(
        "E-gradient-formula", "E",
        'loss = (residuals ** 2).mean() # MSE losses.append(loss) # Backward pass \u0e42\u20ac" '
        "compute gradient grad_W = (2 / n) * (X.T @ residuals)",
        "gradient of the loss",
        lambda: formula_verdict(_e_loss, _e_grad, [np.zeros(4), np.ones(4), [0.1, -0.2, 0.3, 0.5]]),
        None, "holds", NB,
    ),
]

CAUSES: list[Cause] = [
    Cause("C-negative-gradient-toward-minimum", "C", "caveat",
          "'Negative gradient points inward (toward minimum)': inward yes, toward the minimum only on round contours",
          "draw −∇f on an elongated ellipse: perpendicular to the contour is not toward the centre", NB),
    Cause("D-derivative-zero", "D", "erratum",
          "'derivative zero: we are at a minimum or maximum' — not always (w³, saddle points)",
          "look left and right of the point: for w³ at 0 the function rises on one side and falls "
          "on the other", NB),
]

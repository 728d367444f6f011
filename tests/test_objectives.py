"""Objectives: values and gradients against closed forms and central differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdteach import Objective, check_grad, objectives, optim, run
from gdteach.objectives import numerical_gradient

X_ARTICLE = np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])  # article C: (x, 1) for θ = [m, b]
Y_ARTICLE = np.array([2.0, 4.0, 6.0])

DATA_RNG = np.random.default_rng(11)
X_DATA = DATA_RNG.normal(size=(8, 3))
Y_DATA = DATA_RNG.normal(size=8)

EVERY_OBJECTIVE = {
    "square": objectives.square,
    "shifted_square(3)": objectives.shifted_square(3.0),
    "shifted_square(-1.5)": objectives.shifted_square(-1.5),
    "quadratic[0.1,2]": objectives.quadratic([0.1, 2.0]),
    "quadratic[1,50,3]": objectives.quadratic([1.0, 50.0, 3.0]),
    "rosenbrock": objectives.rosenbrock,
    "rosenbrock(2,10)": objectives.make_rosenbrock(2.0, 10.0),
    "x_cos": objectives.x_cos(),
    "x_cos(1)": objectives.x_cos(1.0),
    "linreg mean": objectives.linear_regression(X_DATA, Y_DATA),
    "linreg half": objectives.linear_regression(X_DATA, Y_DATA, convention="half"),
}


@pytest.mark.parametrize("name", list(EVERY_OBJECTIVE))
def test_gradient_agrees_with_central_differences(name) -> None:
    objective = EVERY_OBJECTIVE[name]
    points = np.random.default_rng(1).uniform(-2, 2, size=(5, objective.dim))
    for x in points:
        assert check_grad(objective, x) < 1e-6


@pytest.mark.parametrize("name", list(EVERY_OBJECTIVE))
def test_objectives_are_vectorised_over_leading_axes(name) -> None:
    objective = EVERY_OBJECTIVE[name]
    points = np.random.default_rng(2).uniform(-2, 2, size=(4, 3, objective.dim))
    values, grads = objective(points), objective.grad(points)
    assert values.shape == (4, 3) and grads.shape == points.shape
    for idx in np.ndindex(4, 3):
        assert values[idx] == pytest.approx(objective(points[idx]), rel=1e-14)
        np.testing.assert_allclose(grads[idx], objective.grad(points[idx]), rtol=1e-14)


def test_check_grad_catches_a_wrong_gradient() -> None:
    wrong = Objective(lambda x: np.sum(x * x, -1), lambda x: 3 * x, name="x² with 3x")
    # ‖3x − 2x‖ / ‖3x‖ = 1/3 (up to the O(h²) of the differences, exact for x²)
    assert check_grad(wrong, [1.0, -2.0]) == pytest.approx(1 / 3, rel=1e-6)


def test_central_differences_have_error_h_squared() -> None:
    # ((x + h)³ − (x − h)³) / 2h = 3x² + h² exactly
    g = numerical_gradient(lambda x: np.sum(x**3, -1), [2.0], h=1e-3)
    assert g[0] == pytest.approx(12 + 1e-6, rel=1e-9)


# --------------------------------------------------------------------------- closed forms


def test_square_value_and_gradient() -> None:
    assert objectives.square([5.0]) == 25.0
    np.testing.assert_array_equal(objectives.square.grad([5.0]), [10.0])
    np.testing.assert_array_equal(objectives.square.minimum, [0.0])


def test_shifted_square_value_and_gradient() -> None:
    f = objectives.shifted_square(3.0)
    assert f([0.0]) == 9.0 and f([3.0]) == 0.0
    np.testing.assert_array_equal(f.grad([0.0]), [-6.0])  # 2(0 − 3)
    np.testing.assert_array_equal(f.grad([1.08]), [2 * (1.08 - 3)])
    assert f.name == "(w − 3)²"


def test_quadratic_value_and_gradient() -> None:
    f = objectives.quadratic([0.1, 2.0])
    assert f([1.0, 1.0]) == pytest.approx(2.1)
    assert f([3.0, -2.0]) == pytest.approx(0.1 * 9 + 2 * 4)
    np.testing.assert_allclose(f.grad([3.0, -2.0]), [0.6, -8.0])
    assert f.dim == 2 and f.name == "0.1·x1² + 2·x2²"


def test_rosenbrock_value_and_gradient_by_hand() -> None:
    # at (−1.5, 2): r = y − x² = −0.25
    # f = 2.5² + 100·0.0625 = 12.5; ∂x = −2·2.5 − 400·(−1.5)(−0.25) = −155; ∂y = 200·(−0.25)
    f = objectives.rosenbrock
    assert f([-1.5, 2.0]) == pytest.approx(12.5, rel=1e-15)
    np.testing.assert_allclose(f.grad([-1.5, 2.0]), [-155.0, -50.0], rtol=1e-15)
    assert f([1.0, 1.0]) == 0.0
    np.testing.assert_array_equal(f.grad([1.0, 1.0]), [0.0, 0.0])


def test_make_rosenbrock_moves_the_minimum_to_a_a_squared() -> None:
    f = objectives.make_rosenbrock(2.0, 10.0)
    assert f([0.0, 0.0]) == 4.0  # (2 − 0)²
    np.testing.assert_array_equal(f.grad([0.0, 0.0]), [-4.0, 0.0])
    assert f([2.0, 4.0]) == 0.0
    np.testing.assert_array_equal(f.minimum, [2.0, 4.0])


def test_x_cos_value_and_gradient() -> None:
    f = objectives.x_cos(1.0)
    assert f([math.pi]) == pytest.approx(-math.pi)  # π cos π
    assert f.grad([math.pi])[0] == pytest.approx(-1.0)  # cos π − π sin π
    assert f.grad([math.pi / 2])[0] == pytest.approx(-math.pi / 2)  # cos − (π/2)·sin
    assert objectives.x_cos().grad([0.0])[0] == 1.0


# --------------------------------------------------------------------------- linear regression


def test_article_c_gradient_at_origin_in_the_half_convention() -> None:
    f = objectives.linear_regression(X_ARTICLE, Y_ARTICLE, convention="half")
    # ∂L/∂m = (1/3)(−2 − 8 − 18) = −28/3, ∂L/∂b = (1/3)(−2 − 4 − 6) = −4
    np.testing.assert_allclose(f.grad([0.0, 0.0]), [-28 / 3, -4.0], rtol=1e-15)
    assert f([0.0, 0.0]) == pytest.approx((4 + 16 + 36) / 6)
    # one step with α = 0.1: m = 0.9333…, b = 0.4
    traj = run(f, [0.0, 0.0], optim.SGD(lr=0.1), 1)
    np.testing.assert_allclose(traj.x[1], [2.8 / 3, 0.4], rtol=1e-15)


def test_mean_convention_doubles_the_half_convention() -> None:
    mean = objectives.linear_regression(X_ARTICLE, Y_ARTICLE)
    assert mean([0.0, 0.0]) == pytest.approx(56 / 3)
    np.testing.assert_allclose(mean.grad([0.0, 0.0]), [-56 / 3, -8.0], rtol=1e-15)
    half = objectives.linear_regression(X_DATA, Y_DATA, convention="half")
    full = objectives.linear_regression(X_DATA, Y_DATA, convention="mean")
    theta = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(half.grad(theta), full.grad(theta) / 2, rtol=1e-15)
    assert half(theta) == pytest.approx(full(theta) / 2, rel=1e-15)
    residual = X_DATA @ theta - Y_DATA
    np.testing.assert_allclose(full.grad(theta), 2 / 8 * X_DATA.T @ residual, rtol=1e-13)
    assert full(theta) == pytest.approx(np.mean(residual**2), rel=1e-14)


def test_rows_select_a_minibatch_of_the_data() -> None:
    f = objectives.linear_regression(X_DATA, Y_DATA)
    rows = np.array([6, 1, 3])
    subset = objectives.linear_regression(X_DATA[rows], Y_DATA[rows])
    theta = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(f.grad(theta, rows=rows), subset.grad(theta), rtol=1e-14)
    assert f(theta, rows=rows) == pytest.approx(subset(theta), rel=1e-14)
    assert f.n_samples == 8 and f.dim == 3


def test_one_dimensional_x_is_one_feature() -> None:
    f = objectives.linear_regression([1.0, 2.0, 3.0], Y_ARTICLE)
    assert f.dim == 1
    np.testing.assert_allclose(f.grad([2.0]), [0.0], atol=1e-15)  # y = 2x exactly
    np.testing.assert_allclose(f.grad([0.0]), [-2 / 3 * 28])


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((X_ARTICLE, Y_ARTICLE), {"convention": "sum"}, r"convention must be 'mean' or 'half'"),
        ((X_ARTICLE, Y_ARTICLE[:2]), {}, r"y must have shape \(3,\) to match X, got shape \(2,\)"),
        ((np.ones((2, 2, 2)), Y_ARTICLE), {}, r"X must be a 2-D array .*got shape \(2, 2, 2\)"),
        ((X_ARTICLE, [2.0, np.nan, 6.0]), {}, r"^y must be finite, got \[2\.0, nan, 6\.0\]$"),
    ],
)
def test_linear_regression_rejects_bad_data(args, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        objectives.linear_regression(*args, **kwargs)


# --------------------------------------------------------------------------- Objective itself


def test_objective_checks_the_parameter_axis() -> None:
    with pytest.raises(ValueError, match=r"x must have a parameter axis, got a scalar 3\.0"):
        objectives.square(3.0)
    with pytest.raises(ValueError, match=r"x must have 2 parameter\(s\) .*Rosenbrock.*\(3,\)"):
        objectives.rosenbrock([1.0, 2.0, 3.0])


def test_objective_rejects_a_grad_of_the_wrong_shape() -> None:
    bad = Objective(lambda x: np.sum(x, -1), lambda x: x[..., :1], name="bad")
    with pytest.raises(ValueError, match=r"grad of bad returned shape \(1,\) for x of shape \(2,\)"):
        bad.grad([1.0, 2.0])


def test_objective_needs_callables_and_takes_its_name_from_fn() -> None:
    with pytest.raises(TypeError, match="fn and grad_fn must be callables"):
        Objective(1.0, lambda x: x)

    def parabola(x):
        return np.sum(x * x, -1)

    f = Objective(parabola, lambda x: 2 * x)
    assert f.name == "parabola" and repr(f) == "Objective(parabola)"
    assert f([1.0, 2.0]) == 5.0


@pytest.mark.parametrize("coefficients", [[0.0, 1.0], [-1.0], [[1.0, 2.0]]])
def test_quadratic_needs_positive_coefficients(coefficients) -> None:
    with pytest.raises(ValueError, match=r"coefficients must be a 1-D array of positive numbers"):
        objectives.quadratic(coefficients)


# --------------------------------------------------------------------------- curvature


def _rosenbrock_hessian(x: float, y: float) -> np.ndarray:
    """∇² of (1 − x)² + 100 (y − x²)², by hand."""
    return np.array([[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]])


@pytest.mark.parametrize("point", [(1.0, 1.0), (-1.5, 2.0), (0.0, 0.0)])
def test_largest_curvature_is_the_largest_hessian_eigenvalue_of_rosenbrock(point):
    expected = float(np.max(np.abs(np.linalg.eigvalsh(_rosenbrock_hessian(*point)))))
    assert objectives.largest_curvature(objectives.rosenbrock, point) == pytest.approx(expected, rel=1e-5)


def test_largest_curvature_of_a_quadratic_is_twice_its_largest_coefficient():
    q = objectives.quadratic([1.0, 50.0, 3.0])
    assert objectives.largest_curvature(q, [0.3, -2.0, 7.0]) == pytest.approx(100.0, rel=1e-6)
    # x·cos(cx): f'' = −2c sin(cx) − c²x cos(cx); at x = 0 that is 0, at x = 2: by hand
    c = 0.15 * math.pi
    second = -2 * c * math.sin(2 * c) - c * c * 2 * math.cos(2 * c)
    assert objectives.largest_curvature(objectives.x_cos(c), [2.0]) == pytest.approx(abs(second), rel=1e-5)
    with pytest.raises(ValueError, match=r"x must be finite, got \[nan, 0\.0, 0\.0\]"):
        objectives.largest_curvature(q, [np.nan, 0.0, 0.0])


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: objectives.quadratic([np.inf]), ValueError, r"^coefficients must be finite, got \[inf\]$"),
        (lambda: objectives.quadratic([True]), TypeError, r"^coefficients must be an array of numbers"),
        (lambda: objectives.shifted_square(True), TypeError, r"^center must be a number, got True$"),
        (lambda: objectives.make_rosenbrock(b=np.nan), ValueError, r"^b must be a finite number, got nan$"),
        (lambda: objectives.x_cos("0.5"), TypeError, r"^c must be a number, got '0\.5'$"),
        (lambda: objectives.numerical_gradient(np.sin, [1.0], h=0.0), ValueError, r"^h must be positive, got 0\.0$"),
        (lambda: Objective(np.sum, np.sign, dim=0), ValueError, r"^dim must be a whole number >= 1, got 0$"),
        (lambda: Objective(np.sum, np.sign, n_samples=True), TypeError, r"^n_samples must be .*, got True$"),
    ],
)
def test_bad_objective_arguments_name_the_argument_and_value(make, error, message) -> None:
    with pytest.raises(error, match=message):
        make()


def test_an_objective_is_a_dataclass_that_replace_copies_with_changes() -> None:
    import dataclasses

    base = objectives.quadratic([1.0, 4.0])
    renamed = dataclasses.replace(base, name="bowl", bounds=((-1.0, 1.0), (-2.0, 2.0)))
    assert renamed.name == "bowl" and renamed.bounds == ((-1.0, 1.0), (-2.0, 2.0))
    assert renamed.fn is base.fn and renamed.grad_fn is base.grad_fn and renamed.dim == base.dim
    # f = x₁² + 4x₂² at (1, 1): 1 + 4 = 5, gradient (2, 8)
    assert renamed([1.0, 1.0]) == 5.0
    np.testing.assert_array_equal(renamed.grad([1.0, 1.0]), [2.0, 8.0])
    with pytest.raises(ValueError, match=r"^dim must be a whole number >= 1, got 0$"):
        dataclasses.replace(base, dim=0)  # replace re-runs the checks


def test_the_contour_level_scale_is_a_field_not_a_reading_of_the_name() -> None:
    from gdteach import _draw

    assert objectives.rosenbrock.level_scale == "log" and _draw.wants_log_levels(objectives.rosenbrock)
    assert objectives.make_rosenbrock(a=2.0, b=5.0).level_scale == "log"
    # a learner's loss that happens to be called Rosenbrock keeps linear levels unless asked
    named = Objective(objectives.rosenbrock.fn, objectives.rosenbrock.grad_fn, name="Rosenbrock, my copy")
    assert not _draw.wants_log_levels(named)
    bowl = Objective(np.sum, np.sign, name="bowl", level_scale="log")
    assert _draw.wants_log_levels(bowl)
    with pytest.raises(ValueError, match=r"^level_scale must be 'linear' or 'log', got 'geometric'$"):
        Objective(np.sum, np.sign, level_scale="geometric")

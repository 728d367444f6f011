"""Objectives: a function to minimise together with its gradient.

``fn`` and ``grad`` take an array whose *last* axis is the parameter vector and are
vectorised over leading axes: ``fn`` of shape ``(..., d)`` gives shape ``(...)``,
``grad`` gives shape ``(..., d)``.

>>> import numpy as np
>>> square([5.0]), square.grad([5.0])
(25.0, array([10.]))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from typing import Any

import numpy as np

from .checks import check_choice, check_finite_array, check_int, check_number, check_positive

__all__ = [
    "Objective",
    "check_grad",
    "numerical_gradient",
    "largest_curvature",
    "square",
    "shifted_square",
    "quadratic",
    "rosenbrock",
    "x_cos",
    "linear_regression",
]


LEVEL_SCALES = ("linear", "log")


@dataclass(frozen=True, eq=False)
class Objective:
    """A loss ``fn`` with its gradient ``grad_fn``, a name for plots and tables.

    Parameters
    ----------
    fn, grad_fn
        Callables over arrays of shape ``(..., d)``. For data-based objectives
        (``n_samples`` set) both also take ``rows=``, the indices of a mini-batch.
        Call :meth:`grad`, which checks the shape, rather than ``grad_fn`` itself.
    name, latex
        How the objective prints (``latex`` is for plot titles); ``name`` defaults to
        ``fn``'s own name.
    minimum
        The minimiser, when known (used for plots and distance-to-optimum).
    bounds
        Plot window: ``((lo, hi),)`` per parameter.
    dim
        Number of parameters; ``None`` accepts any.
    n_samples
        Number of data rows for mini-batch runs; ``None`` for a plain function.
    level_scale
        How contour plots space their levels: ``"linear"``, or ``"log"`` for a loss whose
        interesting part spans decades (Rosenbrock's valley floor).

    It is a plain frozen dataclass, so :func:`dataclasses.replace` makes a variant:

    >>> import dataclasses
    >>> f = Objective(lambda x: (x**2).sum(-1), lambda x: 2 * x, name="x²", dim=1)
    >>> f([3.0]), f.grad([3.0])
    (9.0, array([6.]))
    >>> dataclasses.replace(f, name="bowl").name
    'bowl'
    """

    fn: Callable[..., Any]
    grad_fn: Callable[..., Any]
    _: KW_ONLY
    name: str | None = None
    latex: str | None = None
    minimum: Any = None
    bounds: Any = None
    dim: int | None = None
    n_samples: int | None = None
    level_scale: str = "linear"

    def __post_init__(self) -> None:
        if not callable(self.fn) or not callable(self.grad_fn):
            raise TypeError("fn and grad_fn must be callables taking an array of shape (..., d)")
        for key in ("dim", "n_samples"):
            if getattr(self, key) is not None:
                check_int(key, getattr(self, key), minimum=1)
        check_choice("level_scale", self.level_scale, LEVEL_SCALES)
        if not self.name:
            object.__setattr__(self, "name", getattr(self.fn, "__name__", "objective"))
        if self.minimum is not None:
            object.__setattr__(self, "minimum", np.asarray(self.minimum, dtype=float))

    def check_x(self, x: Any, name: str = "x") -> np.ndarray:
        """``x`` as a float array of shape ``(..., d)``, or a ValueError saying what is wrong."""
        array = np.asarray(x, dtype=float)
        if array.ndim == 0:
            raise ValueError(f"{name} must have a parameter axis, got a scalar {x!r}")
        if self.dim is not None and array.shape[-1] != self.dim:
            raise ValueError(
                f"{name} must have {self.dim} parameter(s) on its last axis for {self.name}, "
                f"got shape {array.shape}"
            )
        return array

    def _rows(self, rows: Any) -> dict[str, Any]:
        return {} if rows is None else {"rows": rows}

    def __call__(self, x: Any, rows: Any = None) -> Any:
        """The loss at ``x`` (a float for one point, an array for a batch)."""
        value = np.asarray(self.fn(self.check_x(x), **self._rows(rows)), dtype=float)
        return float(value) if value.ndim == 0 else value

    def grad(self, x: Any, rows: Any = None) -> np.ndarray:
        """The gradient at ``x``, checked to have the shape of ``x``."""
        x = self.check_x(x)
        g = np.asarray(self.grad_fn(x, **self._rows(rows)), dtype=float)
        if g.shape != x.shape:
            raise ValueError(
                f"grad of {self.name} returned shape {g.shape} for x of shape {x.shape}; "
                "it must return an array of the same shape as x"
            )
        return g

    def __repr__(self) -> str:
        return f"Objective({self.name})"


# --------------------------------------------------------------------------- checks


def numerical_gradient(fn: Callable[[np.ndarray], Any], x: Any, h: float = 1e-6) -> np.ndarray:
    """Central differences: ``∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h``.

    The error is O(h²), against O(h) for the one-sided ``(f(x + h) − f(x)) / h``.

    >>> numerical_gradient(lambda x: (x**3).sum(-1), [2.0]).round(6)
    array([12.])
    """
    x = np.asarray(x, dtype=float)
    check_positive("h", h)
    out = np.empty_like(x)
    for i in range(x.shape[-1]):
        step = np.zeros(x.shape[-1])
        step[i] = h
        out[..., i] = (np.asarray(fn(x + step)) - np.asarray(fn(x - step))) / (2 * h)
    return out


def check_grad(objective: Objective, x: Any, h: float = 1e-6) -> float:
    """Relative error between ``objective.grad`` and central differences at ``x``:
    ``‖g − g_num‖ / max(‖g‖, ‖g_num‖, 1e-12)``. Below about 1e-6 the gradient is right.

    >>> check_grad(rosenbrock, [-1.5, 1.5]) < 1e-6
    True
    """
    x = objective.check_x(x)
    analytic = objective.grad(x)
    numeric = numerical_gradient(objective, x, h)
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric), 1e-12)
    return float(np.linalg.norm(analytic - numeric) / scale)


# --------------------------------------------------------------------------- functions


def _sum_sq(x: np.ndarray) -> np.ndarray:
    return np.sum(x * x, axis=-1)


square = Objective(
    _sum_sq,
    lambda x: 2 * x,
    name="θ²",
    latex=r"$J(\theta) = \theta^2$",
    minimum=[0.0],
    bounds=((-6.0, 6.0),),
    dim=1,
)


def shifted_square(center: float = 3.0) -> Objective:
    """``f(w) = (w − c)²``, gradient ``2 (w − c)``; the articles use c = 3.

    >>> shifted_square(3.0).grad([0.0])
    array([-6.])
    """
    c = check_number("center", center)
    return Objective(
        lambda w: _sum_sq(w - c),
        lambda w: 2 * (w - c),
        name=f"(w − {c:g})²",
        latex=rf"$f(w) = (w - {c:g})^2$",
        minimum=[c],
        bounds=((c - 6.0, c + 6.0),),
        dim=1,
    )


def quadratic(coefficients: Any) -> Objective:
    """``f(x) = Σᵢ cᵢ xᵢ²``, gradient ``2 c ⊙ x``; e.g. ``quadratic([0.1, 2])`` is
    0.1·x1² + 2·x2². Its curvature along xᵢ is 2cᵢ, so gradient descent is stable
    for lr < 2 / L = 1 / max(cᵢ).

    >>> quadratic([0.1, 2.0])([1.0, 1.0])
    2.1
    """
    c = check_finite_array("coefficients", coefficients)
    if c.ndim != 1 or np.any(c <= 0):
        raise ValueError(f"coefficients must be a 1-D array of positive numbers, got {coefficients!r}")
    terms = " + ".join(f"{ci:g}·x{i + 1}²" for i, ci in enumerate(c))
    latex_terms = " + ".join(f"{ci:g}x_{i + 1}^2" for i, ci in enumerate(c))
    return Objective(
        lambda x: np.sum(c * x * x, axis=-1),
        lambda x: 2 * c * x,
        name=terms,
        latex=f"$f(x) = {latex_terms}$",
        minimum=np.zeros_like(c),
        bounds=tuple((-5.0, 5.0) for _ in c),
        dim=c.size,
    )


def _rosenbrock_fn(a: float, b: float) -> Callable[[np.ndarray], np.ndarray]:
    def fn(p: np.ndarray) -> np.ndarray:
        x, y = p[..., 0], p[..., 1]
        return (a - x) ** 2 + b * (y - x * x) ** 2

    return fn


def _rosenbrock_grad(a: float, b: float) -> Callable[[np.ndarray], np.ndarray]:
    def grad(p: np.ndarray) -> np.ndarray:
        x, y = p[..., 0], p[..., 1]
        r = y - x * x
        return np.stack([-2 * (a - x) - 4 * b * x * r, 2 * b * r], axis=-1)

    return grad


def make_rosenbrock(a: float = 1.0, b: float = 100.0) -> Objective:
    """Rosenbrock's banana valley ``f(x, y) = (a − x)² + b (y − x²)²``, minimum 0 at (a, a²).

    >>> make_rosenbrock()([1.0, 1.0])
    0.0
    """
    a, b = check_number("a", a), check_number("b", b)
    return Objective(
        _rosenbrock_fn(a, b),
        _rosenbrock_grad(a, b),
        name="Rosenbrock" if (a, b) == (1.0, 100.0) else f"Rosenbrock(a={a:g}, b={b:g})",
        latex=rf"$f(x, y) = ({a:g} - x)^2 + {b:g}\,(y - x^2)^2$",
        minimum=[a, a * a],
        bounds=((-2.0, 2.0), (-1.0, 3.0)),
        dim=2,
        level_scale="log",
    )


rosenbrock = make_rosenbrock()


def x_cos(c: float = 0.15 * np.pi) -> Objective:
    """``f(x) = x · cos(c x)``, a non-convex curve with many local minima (d2l's example).

    Gradient: ``cos(c x) − c x sin(c x)``.

    >>> float(x_cos(0.15 * np.pi).grad([0.0])[0])
    1.0
    """
    c = check_number("c", c)
    return Objective(
        lambda x: np.sum(x * np.cos(c * x), axis=-1),
        lambda x: np.cos(c * x) - c * x * np.sin(c * x),
        name=f"x·cos({c:.4g}x)",
        latex=rf"$f(x) = x\cos({c:.3g}x)$",
        bounds=((-20.0, 20.0),),
        dim=1,
    )


def linear_regression(X: Any, y: Any, *, convention: str = "mean") -> Objective:
    """Mean squared error of the linear model ``ŷ = X θ`` on data ``(X, y)``.

    ``convention="mean"``:  L = (1/m) Σ (ŷ − y)²,   ∇L = (2/m) Xᵀ(ŷ − y)
    ``convention="half"``:  L = (1/2m) Σ (ŷ − y)²,  ∇L = (1/m) Xᵀ(ŷ − y)

    Both appear in the articles; the half convention's gradient is half as large, so
    the same learning rate takes half the step. Add a column of ones to ``X`` for an
    intercept. ``fn`` and ``grad`` take ``rows=`` to use a mini-batch of the data.

    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]); y = np.array([2.0, 4.0, 6.0])
    >>> linear_regression(X, y, convention="half").grad([0.0, 0.0]).round(4)
    array([-9.3333, -4.    ])
    """
    X, y = check_finite_array("X", X), check_finite_array("y", y)
    check_choice("convention", convention, ("mean", "half"))
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (samples, features), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got shape {y.shape}")
    scale = 1.0 if convention == "mean" else 0.5

    def fn(theta: np.ndarray, rows: Any = None) -> np.ndarray:
        Xb, yb = (X, y) if rows is None else (X[rows], y[rows])
        residual = theta @ Xb.T - yb
        return scale * np.mean(residual * residual, axis=-1)

    def grad(theta: np.ndarray, rows: Any = None) -> np.ndarray:
        Xb, yb = (X, y) if rows is None else (X[rows], y[rows])
        residual = theta @ Xb.T - yb
        return (2 * scale / len(yb)) * residual @ Xb

    half = "1/2m" if convention == "half" else "1/m"
    return Objective(
        fn,
        grad,
        name=f"MSE ({half}) on {X.shape[0]} samples",
        latex=rf"$L(\theta) = \frac{{1}}{{{'m' if convention == 'mean' else '2m'}}}"
        r"\sum_i (x_i^\top\theta - y_i)^2$",
        dim=X.shape[1],
        n_samples=X.shape[0],
    )


# --------------------------------------------------------------------------- curvature


def largest_curvature(objective: Objective, x: Any, iterations: int = 50) -> float:
    """The largest curvature of the loss at ``x``: ``L = max |λ|`` over the eigenvalues λ
    of the Hessian ∇²f(x), the number behind "gradient descent is stable for η < 2 / L".

    Power iteration on Hessian-vector products, each one a central difference of the
    gradient: ``H v ≈ (∇f(x + h v) − ∇f(x − h v)) / 2h`` with ``h = 1e-4 · max(1, ‖x‖)``,
    from the start ``v = (1, …, 1) / √d`` (deterministic), until ``‖H v‖`` changes by
    less than 1e-10 relative. Returns 0.0 where the Hessian is zero or not finite.

    >>> round(largest_curvature(quadratic([0.1, 2.0]), [-4.0, 2.0]), 6)   # 2 · max(cᵢ)
    4.0
    >>> round(largest_curvature(rosenbrock, [1.0, 1.0]), 1)   # of [[802, -400], [-400, 200]]
    1001.6
    """
    point = objective.check_x(check_finite_array("x", x), "x")
    if point.ndim != 1:
        raise ValueError(f"x must be one point (a 1-D array), got {x!r}")
    iterations = check_int("iterations", iterations, minimum=1)
    v = np.ones_like(point) / np.sqrt(point.size)
    h = 1e-4 * max(1.0, float(np.linalg.norm(point)))
    scale = 0.0
    for _ in range(iterations):
        hv = (objective.grad(point + h * v) - objective.grad(point - h * v)) / (2 * h)
        new_scale = float(np.linalg.norm(hv))
        if not (np.isfinite(new_scale) and new_scale > 0):
            return 0.0
        v = hv / new_scale
        if abs(new_scale - scale) <= 1e-10 * new_scale:
            return new_scale
        scale = new_scale
    return scale

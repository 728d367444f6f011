"""Update rules with torch.optim's names, arguments, defaults and maths.

Each optimizer is a frozen dataclass of hyperparameters with two pure methods::

    state = opt.init(x0)                     # moment buffers, step count
    x_new, state = opt.step(x, grad, state)  # one update; nothing is mutated

The maths follow ``torch.optim`` (PyTorch 2.x) line by line, so that a learner who
moves on to PyTorch meets exactly the same numbers. Where the articles write a rule
differently, the class docstring says which settings give the article's version.

Arrays may carry leading axes: ``x`` of shape ``(n, d)`` is ``n`` independent
problems of ``d`` parameters, updated at once.

>>> import numpy as np
>>> opt = SGD(lr=0.1)
>>> x, state = opt.step(np.array([5.0]), np.array([10.0]), opt.init(np.array([5.0])))
>>> x
array([4.])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

import numpy as np

from .checks import (
    check_finite_array,
    check_flag,
    check_in_range,
    check_nonnegative,
    check_numbers,
    check_positive,
    check_probability,
    is_number,
)

Schedule = Callable[[int], float]
LearningRate = float | Schedule

__all__ = [
    "SGD",
    "Adagrad",
    "RMSprop",
    "Adadelta",
    "Adam",
    "AdamW",
    "Adamax",
    "NAdam",
    "ALL",
    "SGDState",
    "AdagradState",
    "RMSpropState",
    "AdadeltaState",
    "AdamState",
    "AdamaxState",
    "NAdamState",
]


# --------------------------------------------------------------------------- checks


def _check_lr(lr: LearningRate) -> None:
    if callable(lr):
        return
    if not is_number(lr):
        raise TypeError(f"lr must be a number or a schedule (step -> lr), got {lr!r}")
    check_positive("lr", lr)


def _betas(betas: Any) -> tuple[float, float]:
    """``betas`` as a tuple of two floats in [0, 1), so that a list or array given for it
    compares equal to, and hashes like, the tuple."""
    pair = check_numbers("betas", betas, 2, "(beta1, beta2)")
    for i, beta in enumerate(pair):
        check_in_range(f"betas[{i}]", beta, 0.0, 1.0, include_high=False)
    return pair


def _as_float_array(name: str, value: Any) -> np.ndarray:
    return check_finite_array(name, value)


def _check_grad(x: np.ndarray, grad: Any) -> np.ndarray:
    grad = np.asarray(grad, dtype=float)
    if grad.shape != x.shape:
        raise ValueError(f"grad must have the shape of x {x.shape}, got shape {grad.shape}")
    return grad


class _Optimizer:
    """Shared behaviour: learning rate lookup, readable repr, input checks."""

    lr: LearningRate

    def _check_shared(self, *, eps_may_be_zero: bool = False) -> None:
        """The checks every rule shares: lr, weight_decay, and eps and betas where it has
        them (betas is stored as a tuple of floats, so a list gives an equal optimizer)."""
        names = {f.name for f in fields(self)}  # type: ignore[arg-type]
        _check_lr(self.lr)
        check_nonnegative("weight_decay", self.weight_decay)
        if "eps" in names:
            (check_nonnegative if eps_may_be_zero else check_positive)("eps", self.eps)
        if "betas" in names:
            object.__setattr__(self, "betas", _betas(self.betas))

    def learning_rate(self, step: int) -> float:
        """The learning rate used by update number ``step`` (0 for the first update)."""
        lr = self.lr(step) if callable(self.lr) else self.lr
        if not (math.isfinite(lr) and lr >= 0):
            raise ValueError(f"the schedule gave lr={lr!r} at step {step}; it must be >= 0")
        return float(lr)

    #: True where weight decay is an L2 penalty added to the gradient (g + λθ, torch's
    #: default); AdamW sets it False and decays θ itself instead (decoupled).
    _decay_through_gradient = True

    def _begin(self, x: Any, grad: Any, state: Any) -> tuple[np.ndarray, np.ndarray, int, float]:
        """What every step starts with: ``x`` and the gradient as float arrays, with the L2
        penalty ``g + λ θ`` added where weight decay goes through the gradient; the step
        number ``t`` (torch counts from 1); and this step's learning rate."""
        x = np.asarray(x, dtype=float)
        grad = _check_grad(x, grad)
        if self.weight_decay and self._decay_through_gradient:
            grad = grad + self.weight_decay * x
        t = state.step + 1  # torch counts steps from 1
        return x, grad, t, self.learning_rate(state.step)

    def __repr__(self) -> str:
        args = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)  # type: ignore[arg-type]
            if getattr(self, f.name) != f.default
        )
        return f"{type(self).__name__}({args})"


def _zeros(x0: Any) -> np.ndarray:
    return np.zeros_like(np.asarray(x0, dtype=float))


# --------------------------------------------------------------------------- SGD


class SGDState(NamedTuple):
    step: int
    momentum_buffer: np.ndarray | None


@dataclass(frozen=True, repr=False)
class SGD(_Optimizer):
    """Stochastic gradient descent, optionally with momentum (``torch.optim.SGD``).

    With weight decay λ, momentum μ, dampening τ::

        g  = ∇L(θ) + λ θ
        b  = g                       on the first step
        b  = μ b + (1 − τ) g         afterwards
        g  = g + μ b   if nesterov   else   g = b
        θ  = θ − η g

    Plain gradient descent θ ← θ − η ∇L(θ) is ``SGD(lr=η)``.

    The articles write momentum two ways. ``v = β v + g; θ = θ − α v`` is exactly
    ``SGD(lr=α, momentum=β)``. The moving-average form ``v = β v + (1 − β) g`` is
    ``SGD(lr=α, momentum=β, dampening=β)`` *except on the first step*: torch starts
    the buffer at the first gradient, the article starts it at zero, so the article's
    first step is (1 − β) times smaller. Either way the EMA form's steady-state step is
    (1 − β) times that of the ``v = β v + g`` form with the same lr.

    >>> import numpy as np
    >>> opt = SGD(lr=0.1, momentum=0.9)
    >>> s = opt.init(np.array([1.0]))
    >>> x, s = opt.step(np.array([1.0]), np.array([2.0]), s)   # b = 2
    >>> x, s = opt.step(x, np.array([2.0]), s)                 # b = 0.9·2 + 2 = 3.8
    >>> x.round(10)
    array([0.42])
    """

    lr: LearningRate = 1e-3
    momentum: float = 0.0
    dampening: float = 0.0
    weight_decay: float = 0.0
    nesterov: bool = False

    def __post_init__(self) -> None:
        self._check_shared()
        check_nonnegative("momentum", self.momentum)
        check_nonnegative("dampening", self.dampening)
        check_flag("nesterov", self.nesterov)
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                "nesterov requires momentum > 0 and dampening = 0, got "
                f"momentum={self.momentum!r}, dampening={self.dampening!r}"
            )

    def init(self, x0: Any) -> SGDState:
        _as_float_array("x0", x0)
        return SGDState(step=0, momentum_buffer=None)

    def step(self, x: Any, grad: Any, state: SGDState) -> tuple[np.ndarray, SGDState]:
        x, g, t, lr = self._begin(x, grad, state)
        buf = state.momentum_buffer
        if self.momentum:
            if buf is None:
                buf = g.copy()
            else:
                buf = self.momentum * buf + (1 - self.dampening) * g
            g = g + self.momentum * buf if self.nesterov else buf
        return x - lr * g, SGDState(step=t, momentum_buffer=buf)


# --------------------------------------------------------------------------- Adagrad


class AdagradState(NamedTuple):
    step: int
    sum: np.ndarray


@dataclass(frozen=True, repr=False)
class Adagrad(_Optimizer):
    """AdaGrad: per-parameter steps shrink with the sum of past squared gradients
    (``torch.optim.Adagrad``; Duchi, Hazan & Singer, 2011)::

        g   = ∇L(θ) + λ θ
        η_t = η / (1 + (t − 1) · lr_decay)
        G   = G + g²                      (G starts at initial_accumulator_value)
        θ   = θ − η_t · g / (√G + ε)

    The articles' ``G = G + g²; θ = θ − α g/√G`` is this rule with ε → 0.

    >>> import numpy as np
    >>> opt = Adagrad(lr=1.0)
    >>> x, s = opt.step(np.array([1.0]), np.array([3.0]), opt.init(np.array([1.0])))
    >>> float(x[0].round(8))   # 1 − 3/√9
    0.0
    """

    lr: LearningRate = 1e-2
    lr_decay: float = 0.0
    weight_decay: float = 0.0
    initial_accumulator_value: float = 0.0
    eps: float = 1e-10

    def __post_init__(self) -> None:
        self._check_shared()
        check_nonnegative("lr_decay", self.lr_decay)
        check_nonnegative("initial_accumulator_value", self.initial_accumulator_value)

    def init(self, x0: Any) -> AdagradState:
        x0 = _as_float_array("x0", x0)
        return AdagradState(step=0, sum=np.full_like(x0, self.initial_accumulator_value))

    def step(self, x: Any, grad: Any, state: AdagradState) -> tuple[np.ndarray, AdagradState]:
        x, g, t, lr = self._begin(x, grad, state)
        clr = lr / (1 + (t - 1) * self.lr_decay)
        total = state.sum + g * g
        return x - clr * g / (np.sqrt(total) + self.eps), AdagradState(step=t, sum=total)


# --------------------------------------------------------------------------- RMSprop


class RMSpropState(NamedTuple):
    step: int
    square_avg: np.ndarray
    grad_avg: np.ndarray | None
    momentum_buffer: np.ndarray | None


@dataclass(frozen=True, repr=False)
class RMSprop(_Optimizer):
    """RMSprop: divide by a moving root-mean-square of the gradient
    (``torch.optim.RMSprop``; Hinton's lecture 6e, 2012)::

        g = ∇L(θ) + λ θ
        s = α s + (1 − α) g²
        centered:  m = α m + (1 − α) g;   d = √(s − m²) + ε     else  d = √s + ε
        momentum μ > 0:  b = μ b + g / d;  θ = θ − η b          else  θ = θ − η g / d

    The articles call the smoothing constant β and suggest β ≈ 0.9; torch calls it
    ``alpha`` and defaults to 0.99. ε is added *outside* the square root, as the
    articles write it. ``eps=0`` is accepted (as in torch): it is article
    B's rule θ = θ − α·g/√E[g²], which divides by zero when E[g²] = 0 and so is
    reported as diverged by ``run``.

    >>> import numpy as np
    >>> opt = RMSprop(lr=0.01, alpha=0.9, eps=0.0)
    >>> x, s = opt.step(np.array([1.0]), np.array([2.0]), opt.init(np.array([1.0])))
    >>> float(x[0].round(10))   # 1 − 0.01 · 2 / √(0.1 · 4)
    0.9683772234
    """

    lr: LearningRate = 1e-2
    alpha: float = 0.99
    eps: float = 1e-8
    weight_decay: float = 0.0
    momentum: float = 0.0
    centered: bool = False

    def __post_init__(self) -> None:
        self._check_shared(eps_may_be_zero=True)
        check_in_range("alpha", self.alpha, 0.0, 1.0, include_high=False)
        check_nonnegative("momentum", self.momentum)
        check_flag("centered", self.centered)

    def init(self, x0: Any) -> RMSpropState:
        zeros = _zeros(_as_float_array("x0", x0))
        return RMSpropState(
            step=0,
            square_avg=zeros,
            grad_avg=zeros if self.centered else None,
            momentum_buffer=zeros if self.momentum > 0 else None,
        )

    def step(self, x: Any, grad: Any, state: RMSpropState) -> tuple[np.ndarray, RMSpropState]:
        x, g, t, lr = self._begin(x, grad, state)
        a = self.alpha
        square_avg = a * state.square_avg + (1 - a) * g * g
        grad_avg = state.grad_avg
        if self.centered:
            grad_avg = state.grad_avg + (1 - a) * (g - state.grad_avg)  # torch's lerp
            denom = np.sqrt(square_avg - grad_avg * grad_avg) + self.eps
        else:
            denom = np.sqrt(square_avg) + self.eps
        buf = state.momentum_buffer
        if self.momentum > 0:
            buf = self.momentum * buf + g / denom
            x_new = x - lr * buf
        else:
            x_new = x - lr * g / denom
        new_state = RMSpropState(
            step=t, square_avg=square_avg, grad_avg=grad_avg, momentum_buffer=buf
        )
        return x_new, new_state


# --------------------------------------------------------------------------- Adadelta


class AdadeltaState(NamedTuple):
    step: int
    square_avg: np.ndarray
    acc_delta: np.ndarray


@dataclass(frozen=True, repr=False)
class Adadelta(_Optimizer):
    """AdaDelta: RMSprop with units fixed by a running average of past updates
    (``torch.optim.Adadelta``; Zeiler, 2012)::

        g  = ∇L(θ) + λ θ
        s  = ρ s + (1 − ρ) g²
        Δ  = √(u + ε) / √(s + ε) · g
        u  = ρ u + (1 − ρ) Δ²
        θ  = θ − η Δ

    Zeiler's paper has no learning rate; torch keeps one (default 1.0, which is the
    paper). Here ε sits *inside* the roots, as in the paper and in torch.

    >>> import numpy as np
    >>> opt = Adadelta()
    >>> x, s = opt.step(np.array([0.0]), np.array([1.0]), opt.init(np.array([0.0])))
    >>> float(x[0].round(8))    # −√1e-6 / √(0.1 + 1e-6)
    -0.00316226
    """

    lr: LearningRate = 1.0
    rho: float = 0.9
    eps: float = 1e-6
    weight_decay: float = 0.0

    def __post_init__(self) -> None:
        self._check_shared()
        check_probability("rho", self.rho)

    def init(self, x0: Any) -> AdadeltaState:
        zeros = _zeros(_as_float_array("x0", x0))
        return AdadeltaState(step=0, square_avg=zeros, acc_delta=zeros)

    def step(self, x: Any, grad: Any, state: AdadeltaState) -> tuple[np.ndarray, AdadeltaState]:
        x, g, t, lr = self._begin(x, grad, state)
        rho = self.rho
        square_avg = rho * state.square_avg + (1 - rho) * g * g
        std = np.sqrt(square_avg + self.eps)
        delta = np.sqrt(state.acc_delta + self.eps) / std * g
        acc_delta = rho * state.acc_delta + (1 - rho) * delta * delta
        return x - lr * delta, AdadeltaState(step=t, square_avg=square_avg, acc_delta=acc_delta)


# --------------------------------------------------------------------------- Adam family


class AdamState(NamedTuple):
    step: int
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray
    max_exp_avg_sq: np.ndarray | None


def _adam_update(
    opt: Adam, x: np.ndarray, g: np.ndarray, t: int, lr: float, state: AdamState
) -> tuple[np.ndarray, AdamState]:
    """The Adam step shared by Adam and AdamW (torch's single-tensor code path)."""
    beta1, beta2 = opt.betas
    exp_avg = state.exp_avg + (1 - beta1) * (g - state.exp_avg)  # torch's lerp
    exp_avg_sq = beta2 * state.exp_avg_sq + (1 - beta2) * g * g
    bias_correction1 = 1 - beta1**t
    bias_correction2 = 1 - beta2**t
    step_size = lr / bias_correction1
    max_sq = state.max_exp_avg_sq
    if opt.amsgrad:
        max_sq = np.maximum(max_sq, exp_avg_sq)
        denom = np.sqrt(max_sq) / math.sqrt(bias_correction2) + opt.eps
    else:
        denom = np.sqrt(exp_avg_sq) / math.sqrt(bias_correction2) + opt.eps
    new_state = AdamState(step=t, exp_avg=exp_avg, exp_avg_sq=exp_avg_sq, max_exp_avg_sq=max_sq)
    return x - step_size * exp_avg / denom, new_state


@dataclass(frozen=True, repr=False)
class Adam(_Optimizer):
    """Adam: momentum on the gradient and on its square, with bias correction
    (``torch.optim.Adam``; Kingma & Ba, 2015)::

        g  = ∇L(θ) + λ θ                       (L2 penalty: weight_decay couples with m, v)
        m  = β₁ m + (1 − β₁) g
        v  = β₂ v + (1 − β₂) g²
        m̂  = m / (1 − β₁ᵗ)        v̂ = v / (1 − β₂ᵗ)     (v̂ uses max of all v if amsgrad)
        θ  = θ − η m̂ / (√v̂ + ε)

    ε is *outside* the square root, as in torch and the articles (d2l puts it inside,
    which matters only when v̂ is tiny).

    >>> import numpy as np
    >>> opt = Adam(lr=0.1)
    >>> x, s = opt.step(np.array([1.0]), np.array([5.0]), opt.init(np.array([1.0])))
    >>> float(x[0].round(6))   # first step moves by lr · sign(g)
    0.9
    """

    lr: LearningRate = 1e-3
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0
    amsgrad: bool = False

    def __post_init__(self) -> None:
        self._check_shared()
        check_flag("amsgrad", self.amsgrad)

    def init(self, x0: Any) -> AdamState:
        zeros = _zeros(_as_float_array("x0", x0))
        max_sq = zeros if self.amsgrad else None
        return AdamState(step=0, exp_avg=zeros, exp_avg_sq=zeros, max_exp_avg_sq=max_sq)

    def step(self, x: Any, grad: Any, state: AdamState) -> tuple[np.ndarray, AdamState]:
        x, g, t, lr = self._begin(x, grad, state)
        return _adam_update(self, x, g, t, lr, state)


@dataclass(frozen=True, repr=False)
class AdamW(Adam):
    """AdamW: Adam with *decoupled* weight decay (``torch.optim.AdamW``;
    Loshchilov & Hutter, 2019)::

        θ = θ (1 − η λ)          then the Adam step on the plain gradient

    Unlike ``Adam(weight_decay=λ)``, the decay does not pass through m and v, so
    every parameter shrinks by the same fraction. torch's default λ is 0.01.

    >>> import numpy as np
    >>> opt = AdamW(lr=0.1, weight_decay=0.5)
    >>> x, s = opt.step(np.array([2.0]), np.array([0.0]), opt.init(np.array([2.0])))
    >>> float(x[0])            # 2 · (1 − 0.1 · 0.5); a zero gradient moves nothing else
    1.9
    """

    weight_decay: float = 1e-2
    _decay_through_gradient = False

    def step(self, x: Any, grad: Any, state: AdamState) -> tuple[np.ndarray, AdamState]:
        x, g, t, lr = self._begin(x, grad, state)
        x = x * (1 - lr * self.weight_decay)
        return _adam_update(self, x, g, t, lr, state)


class AdamaxState(NamedTuple):
    step: int
    exp_avg: np.ndarray
    exp_inf: np.ndarray


@dataclass(frozen=True, repr=False)
class Adamax(_Optimizer):
    """AdaMax: Adam with the infinity norm in place of the root mean square
    (``torch.optim.Adamax``; Kingma & Ba, 2015, section 7.1)::

        g = ∇L(θ) + λ θ
        m = β₁ m + (1 − β₁) g
        u = max(β₂ u, |g| + ε)
        θ = θ − η / (1 − β₁ᵗ) · m / u

    >>> import numpy as np
    >>> opt = Adamax(lr=0.1, eps=0.0)
    >>> x, s = opt.step(np.array([1.0]), np.array([-4.0]), opt.init(np.array([1.0])))
    >>> float(x[0].round(10))   # first step moves by lr · sign(g)
    1.1
    """

    lr: LearningRate = 2e-3
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0

    def __post_init__(self) -> None:
        self._check_shared(eps_may_be_zero=True)

    def init(self, x0: Any) -> AdamaxState:
        zeros = _zeros(_as_float_array("x0", x0))
        return AdamaxState(step=0, exp_avg=zeros, exp_inf=zeros)

    def step(self, x: Any, grad: Any, state: AdamaxState) -> tuple[np.ndarray, AdamaxState]:
        x, g, t, lr = self._begin(x, grad, state)
        beta1, beta2 = self.betas
        exp_avg = state.exp_avg + (1 - beta1) * (g - state.exp_avg)
        exp_inf = np.maximum(beta2 * state.exp_inf, np.abs(g) + self.eps)
        clr = lr / (1 - beta1**t)
        return x - clr * exp_avg / exp_inf, AdamaxState(step=t, exp_avg=exp_avg, exp_inf=exp_inf)


class NAdamState(NamedTuple):
    step: int
    mu_product: float
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray


@dataclass(frozen=True, repr=False)
class NAdam(_Optimizer):
    """NAdam: Adam with Nesterov momentum (``torch.optim.NAdam``; Dozat, 2016)::

        μ_t = β₁ (1 − ½ · 0.96^(t · ψ))          ψ = momentum_decay
        m   = β₁ m + (1 − β₁) g;   v = β₂ v + (1 − β₂) g²
        d   = √(v / (1 − β₂ᵗ)) + ε
        θ   = θ − η (1 − μ_t) / (1 − Π_{i≤t} μ_i) · g / d
              − η μ_{t+1} / (1 − Π_{i≤t+1} μ_i) · m / d

    >>> import numpy as np
    >>> opt = NAdam(lr=0.1)
    >>> x, s = opt.step(np.array([1.0]), np.array([2.0]), opt.init(np.array([1.0])))
    >>> float(x[0].round(6))   # 1 − 0.1·(1−μ₁)/(1−μ₁)·1 − 0.1·μ₂/(1−μ₁μ₂)·(1−β₁)·1
    0.894355
    """

    lr: LearningRate = 2e-3
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0
    momentum_decay: float = 4e-3

    def __post_init__(self) -> None:
        self._check_shared()
        check_nonnegative("momentum_decay", self.momentum_decay)

    def init(self, x0: Any) -> NAdamState:
        zeros = _zeros(_as_float_array("x0", x0))
        return NAdamState(step=0, mu_product=1.0, exp_avg=zeros, exp_avg_sq=zeros)

    def step(self, x: Any, grad: Any, state: NAdamState) -> tuple[np.ndarray, NAdamState]:
        x, g, t, lr = self._begin(x, grad, state)
        beta1, beta2 = self.betas
        bias_correction2 = 1 - beta2**t
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        mu_product = state.mu_product * mu
        exp_avg = state.exp_avg + (1 - beta1) * (g - state.exp_avg)
        exp_avg_sq = beta2 * state.exp_avg_sq + (1 - beta2) * g * g
        denom = np.sqrt(exp_avg_sq / bias_correction2) + self.eps
        x_new = x - lr * (1 - mu) / (1 - mu_product) * g / denom
        x_new = x_new - lr * mu_next / (1 - mu_product * mu_next) * exp_avg / denom
        new_state = NAdamState(
            step=t, mu_product=mu_product, exp_avg=exp_avg, exp_avg_sq=exp_avg_sq
        )
        return x_new, new_state


ALL: dict[str, type[_Optimizer]] = {
    cls.__name__: cls for cls in (SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW, Adamax, NAdam)
}

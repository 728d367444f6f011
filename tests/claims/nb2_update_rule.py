"""Claims reproduced by notebooks/02_update_rule.ipynb: the update rule θ ← θ − η∇L.

Article A: θ² from θ₀ = 5 with η = 0.1 (the "× 0.8" rule, its iteration list and the full
printed output of its PyTorch loop). Article B: x² from x = 10 and the hours-studied
regression. Article C: the straight line through (1, 2), (2, 4), (3, 6) worked by hand.
Article D: (w − 3)² from w = 0, its 5-step table and its 50-step Python loop.

The article's printed values are literals below (they are what is *claimed*); every
value they are checked against is computed with gdteach.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import numpy as np

import gdteach
from gdteach import objectives, optim

from . import Cause, Claim

NB = "02_update_rule.ipynb"


# --------------------------------------------------------------------------- runs


@cache
def _a_run() -> gdteach.Trajectory:
    """Article A: J(θ) = θ², θ₀ = 5, η = 0.1, 30 updates."""
    return gdteach.run(objectives.square, 5.0, optim.SGD(lr=0.1), 30)


@cache
def _b_x2() -> gdteach.Trajectory:
    """Article B: f(x) = x², x₀ = 10, learning rate 0.1, 10 iterations."""
    return gdteach.run(objectives.square, 10.0, optim.SGD(lr=0.1), 10)


HOURS = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
SCORES = np.array([2.0, 4.0, 5.0, 4.0, 5.0])


@cache
def _b_hours() -> gdteach.Trajectory:
    """Article B: ŷ = m x + b on hours studied, MSE (1/n), lr 0.01, 1000 epochs; θ = [m, b]."""
    X = np.column_stack([HOURS, np.ones_like(HOURS)])
    obj = objectives.linear_regression(X, SCORES, convention="mean")
    return gdteach.run(obj, [0.0, 0.0], optim.SGD(lr=0.01), 1000)


C_X = np.array([1.0, 2.0, 3.0])
C_Y = np.array([2.0, 4.0, 6.0])


@cache
def _c_run() -> gdteach.Trajectory:
    """Article C: ŷ = m x + b on (1,2),(2,4),(3,6), L = (1/2m)Σ(ŷ − y)², α = 0.1; θ = [m, b]."""
    X = np.column_stack([C_X, np.ones_like(C_X)])
    obj = objectives.linear_regression(X, C_Y, convention="half")
    return gdteach.run(obj, [0.0, 0.0], optim.SGD(lr=0.1), 1000)


def _c_errors(k: int) -> np.ndarray:
    """Errors ŷ − y at iterate k (the convention of C's own formulas and iteration 1)."""
    m, b = _c_run().x[k]
    return m * C_X + b - C_Y


@cache
def _d_run() -> gdteach.Trajectory:
    """Article D: f(w) = (w − 3)², w₀ = 0, α = 0.1, 50 updates."""
    return gdteach.run(objectives.shifted_square(3.0), 0.0, optim.SGD(lr=0.1), 50)


@cache
def _b_exact_log() -> tuple[list[tuple[Fraction, Fraction]], list[Fraction]]:
    """B's hours-studied loop in exact fractions, written from the article (no gdteach):
    (m, b) after each update and the MSE before it. Epoch e prints loss[e] and params[e + 1]."""
    n, eta = len(HOURS), Fraction(1, 100)
    xs, ys = [int(v) for v in HOURS], [int(v) for v in SCORES]
    m = b = Fraction(0)
    params, losses = [(m, b)], []
    for _ in range(1001):
        r = [m * x + b - y for x, y in zip(xs, ys)]
        losses.append(sum(ri * ri for ri in r) / n)
        dm, db = Fraction(2, n) * sum(ri * x for ri, x in zip(r, xs)), Fraction(2, n) * sum(r)
        m, b = m - eta * dm, b - eta * db
        params.append((m, b))
    return params, losses


def _b_printed(epoch: int, field: str) -> Fraction:
    """What B's loop prints on the line of `epoch` (exact): loss before update `epoch`,
    m and b after it."""
    params, losses = _b_exact_log()
    if field == "loss":
        return losses[epoch]
    return params[epoch + 1][0 if field == "m" else 1]


def _ratio() -> float:
    """θ_{k+1} / θ_k over the whole run: one number if the rule is 'multiply by a constant'."""
    x = _a_run().x
    r = x[1:] / x[:-1]
    return float(r[0]) if np.ptp(r) < 1e-12 else float("nan")


CLAIMS: list[Claim] = [
    Claim("A-factor", "A", "we need to multiply the model parameters by 0.8", 0.8,
          _ratio, 12, "holds", NB),
    Claim("A-percent", "A", "decreasing by 20% at each step", 20,
          lambda: 100 * (1 - _ratio()), 9, "holds", NB),
]

# ---- Article A: the iteration list ("Iteration k: θ_k = …"), with its own rounding
_A_LIST = [
    (0, "Iteration 0: θ₀ = 5", 5, 0),
    (1, "Iteration 1: θ₁ = 0.8 × 5 = 4.0", 4.0, 1),
    (2, "Iteration 2: θ₂ = 0.8 × 4.0 = 3.2", 3.2, 1),
    (3, "Iteration 3: θ₃ = 0.8 × 3.2 = 2.56", 2.56, 2),
    (4, "Iteration 4: θ₄ = 0.8 × 2.56 = 2.048", 2.048, 3),
    (5, "Iteration 5: θ₅ = 0.8 × 2.048 = 1.638", 1.638, 3),
    (15, "Iteration 15: θ₁₅ ≈ 0.176", 0.176, 3),
    (30, "Iteration 30: θ₃₀ ≈ 0.0062", 0.0062, 4),
]
for _k, _quote, _value, _digits in _A_LIST:
    CLAIMS.append(Claim(f"A-iter{_k}-theta", "A", _quote, _value,
                        lambda k=_k: float(_a_run().x[k]), _digits, "holds", NB))

# ---- Article A: the printed output of its PyTorch loop (print(round(v, 3)) at every step).
# Step k prints: loss = J(θ_{k−1}) (computed BEFORE the update), θ = θ_k (after it),
# gradient = ∇J(θ_{k−1}) and update = η·gradient.
CLAIMS += [
    Claim("A-out-step0-theta", "A", "Step 0 (initial θ): 5.0", 5.0,
          lambda: float(_a_run().x[0]), None, "holds", NB),
    Claim("A-out-initial-loss", "A", "Initial loss: 25.0", 25.0,
          lambda: float(_a_run().loss[0]), None, "holds", NB),
]
_A_OUT = [  # step: (loss, θ, gradient, update) as printed
    (1, "25.0", "4.0", "10.0", "1.0"),
    (2, "16.0", "3.2", "8.0", "0.8"),
    (3, "10.24", "2.56", "6.4", "0.64"),
    (4, "6.554", "2.048", "5.12", "0.512"),
    (5, "4.194", "1.638", "4.096", "0.41"),
    (6, "2.684", "1.311", "3.277", "0.328"),
    (7, "1.718", "1.049", "2.621", "0.262"),
    (8, "1.1", "0.839", "2.097", "0.21"),
    (9, "0.704", "0.671", "1.678", "0.168"),
    (10, "0.45", "0.537", "1.342", "0.134"),
    (11, "0.288", "0.429", "1.074", "0.107"),
    (12, "0.184", "0.344", "0.859", "0.086"),
    (13, "0.118", "0.275", "0.687", "0.069"),
    (14, "0.076", "0.22", "0.55", "0.055"),
    (15, "0.048", "0.176", "0.44", "0.044"),
]
_A_FIELDS = {
    "loss": lambda k: float(_a_run().loss[k - 1]),
    "theta": lambda k: float(_a_run().x[k]),
    "gradient": lambda k: float(_a_run().grad[k - 1]),
    "update": lambda k: float(_a_run().lr[k - 1] * _a_run().grad[k - 1]),
}
for _k, *_printed in _A_OUT:
    _quote = (f"Step {_k}: loss = {_printed[0]} θ = {_printed[1]} "
              f"gradient = {_printed[2]} update = {_printed[3]}")
    for (_field, _fn), _text in zip(_A_FIELDS.items(), _printed):
        CLAIMS.append(Claim(f"A-out-step{_k}-{_field}", "A", _quote, float(_text),
                            lambda k=_k, fn=_fn: fn(k), 3, "holds", NB))
CLAIMS += [
    Claim("A-out-final-theta", "A", "Final θ: 0.176", 0.176,
          lambda: float(_a_run().x[15]), 3, "holds", NB),
    Claim("A-out-final-loss", "A", "Final loss: 0.031", 0.031,
          lambda: float(_a_run().loss[15]), 3, "holds", NB),
]

# root causes of the non-holding claims below (one callout each in the notebook)
B_LOG, C_SIGN, C_SLIP, C_ROUNDING = "B-training-log", "C-iter2-sign", "C-iter2-slip", "C-iter2-rounding"

# ---- Article B: x² from x = 10 (f printed at the NEW x, gradient at the OLD x)
_B_X2 = [
    (1, "8.0000", "64.0000", "20.0000"),
    (2, "6.4000", "40.9600", "16.0000"),
    (3, "5.1200", "26.2144", "12.8000"),
]
for _i, _x, _f, _g in _B_X2:
    _quote = f"Iteration {_i}: x = {_x}, f(x) = {_f}, gradient = {_g}"
    CLAIMS += [
        Claim(f"B-x2-iter{_i}-x", "B", _quote, float(_x),
              lambda i=_i: float(_b_x2().x[i]), 4, "holds", NB),
        Claim(f"B-x2-iter{_i}-f", "B", _quote, float(_f),
              lambda i=_i: float(_b_x2().loss[i]), 4, "holds", NB),
        Claim(f"B-x2-iter{_i}-grad", "B", _quote, float(_g),
              lambda i=_i: float(_b_x2().grad[i - 1]), 4, "holds", NB),
    ]


def _b_x2_closer() -> str:
    """Is |x| smaller after every one of the 10 iterations than before it?"""
    x = np.abs(_b_x2().x)
    return "closer to 0 each iteration" if np.all(x[1:] < x[:-1]) else "not at every iteration"


CLAIMS.append(
    Claim("B-x2-closer-each-iteration", "B",
          "# Output shows x moving closer to 0 (the minimum) each iteration",
          "closer to 0 each iteration", _b_x2_closer, None, "holds", NB)
)
CLAIMS.append(
    Claim("B-x2-found-minimum", "B", 'print("Found minimum! (x ≈ 0)")', 0.0,
          lambda: float(_b_x2().final_x), 4, "erratum", NB,
          correct=10 * Fraction(4, 5) ** 10,
          why="After its 10 iterations x = 10·0.8¹⁰ = 1.0737 and f(x) = 1.1529 (the code's own "
              "'Ended at' line): the message is printed unconditionally. x first drops below 0.5 "
              "after 14 iterations and prints as 0.0000 only after 55.")
)

# ---- Article B: hours-studied regression. Epoch e prints the loss BEFORE update e and m, b
# AFTER it: loss = L(θ_e), (m, b) = θ_{e+1}.
_B_WHY_0 = ("The code's first loss is the MSE at m = b = 0, mean(y²) = 86/5 = 17.2000; its first "
            "update is m = 0.01·(2/5)·Σxy = 0.01·26.4 = 0.2640, b = 0.01·(2/5)·Σy = 0.0800.")
_B_WHY_FAST = ("The printed values are not what the code computes: with lr 0.01 the slow "
               "direction of the Hessian (eigenvalues 0.338 and 23.66, condition number 70) "
               "shrinks only ×0.9966 per epoch, so after {e} updates the run is still short of "
               "the least-squares fit m = 0.6, b = 2.2 (minimum MSE 0.48).")
CLAIMS += [
    Claim("B-epoch0-loss", "B", "# Epoch 0: Loss = 10.0000", 10.0,
          lambda: float(_b_hours().loss[0]), 4, "erratum", NB, cause=B_LOG, correct=_b_printed(0, 'loss'),
          why=_B_WHY_0),
    Claim("B-epoch0-m", "B", "# Epoch 0: Loss = 10.0000, m = 0.4000", 0.4,
          lambda: float(_b_hours().x[1][0]), 4, "erratum", NB, cause=B_LOG, correct=_b_printed(0, 'm'),
          why=_B_WHY_0),
    Claim("B-epoch0-b", "B", "# Epoch 0: Loss = 10.0000, m = 0.4000, b = 0.2800", 0.28,
          lambda: float(_b_hours().x[1][1]), 4, "erratum", NB, cause=B_LOG, correct=_b_printed(0, 'b'),
          why=_B_WHY_0),
    Claim("B-epoch100-loss", "B", "# Epoch 100: Loss = 0.6863", 0.6863,
          lambda: float(_b_hours().loss[100]), 4, "erratum", NB,
          cause=B_LOG, correct=_b_printed(100, 'loss'),
          why="Not what the article's code prints: its loss is 0.8099 at epoch 100 (m = 0.9716, "
              "b = 0.8583) and gets down to 0.6863 only at epoch 170."),
    Claim("B-epoch100-m", "B", "# Epoch 100: Loss = 0.6863, m = 0.5918", 0.5918,
          lambda: float(_b_hours().x[101][0]), 4, "erratum", NB,
          cause=B_LOG, correct=_b_printed(100, 'm'),
          why="The code prints m = 0.9716 at epoch 100: m overshoots to 1.0839 (update 19) before "
              "settling, then falls towards the least-squares 0.6 from above; it never prints 0.5918."),
    Claim("B-epoch100-b", "B", "# Epoch 100: Loss = 0.6863, m = 0.5918, b = 1.6294", 1.6294,
          lambda: float(_b_hours().x[101][1]), 4, "erratum", NB,
          cause=B_LOG, correct=_b_printed(100, 'b'),
          why="The code prints b = 0.8583 at epoch 100: b climbs slowly (the distance to the "
              "least-squares line shrinks only ×0.9966 per epoch) and passes 1.6294 only after "
              "update 354."),
    Claim("B-epoch900-loss", "B", "# Epoch 900: Loss = 0.4714", 0.4714,
          lambda: float(_b_hours().loss[900]), 4, "erratum", NB,
          cause=B_LOG, correct=_b_printed(900, 'loss'),
          why="Impossible: 0.4714 is below the least-squares minimum MSE 0.4800 (at m = 0.6, "
              "b = 2.2), the lowest loss any m, b can reach. The code prints Loss = 0.4815 at epoch 900."),
    Claim("B-epoch900-m", "B", "# Epoch 900: Loss = 0.4714, m = 0.6000", 0.6,
          lambda: float(_b_hours().x[901][0]), 4, "erratum", NB,
          cause=B_LOG, correct=_b_printed(900, 'm'),
          why=_B_WHY_FAST.format(e=901) + " The code prints m = 0.6247 at epoch 900; m prints "
              "as 0.6000 only from update 2733 on."),
    Claim("B-epoch900-b", "B", "# Epoch 900: Loss = 0.4714, m = 0.6000, b = 2.2000", 2.2,
          lambda: float(_b_hours().x[901][1]), 4, "erratum", NB,
          cause=B_LOG, correct=_b_printed(900, 'b'),
          why=_B_WHY_FAST.format(e=901) + " The code prints b = 2.1107 at epoch 900; b prints "
              "as 2.2000 only from update 3113 on."),
    Claim("B-final-m", "B", "# Final Model: y = 0.60x + 2.20", 0.60,
          lambda: float(_b_hours().final_x[0]), 2, "erratum", NB,
          cause=B_LOG, correct=_b_printed(999, 'm'),
          why="After 1000 epochs m = 0.6177, so the code prints y = 0.62x + 2.14; 0.60x + 2.20 "
              "is the closed-form least-squares line, which these settings reach (to 2 "
              "decimals) only after 1753 epochs."),
    Claim("B-final-b", "B", "# Final Model: y = 0.60x + 2.20", 2.20,
          lambda: float(_b_hours().final_x[1]), 2, "erratum", NB,
          cause=B_LOG, correct=_b_printed(999, 'b'),
          why="After 1000 epochs b = 2.1361, printed 2.14; 2.20 is the least-squares intercept, "
              "not where 1000 epochs of lr 0.01 get to."),
    Claim("B-predict-6h", "B", "# Prediction for 6 hours studied: 5.80", 5.80,
          lambda: float(_b_hours().final_x @ [6.0, 1.0]), 2, "erratum", NB,
          cause=B_LOG, correct=6 * _b_printed(999, 'm') + _b_printed(999, 'b'),
          why="The code's model after 1000 epochs predicts 6·0.6177 + 2.1361 = 5.84; 5.80 is the "
              "least-squares line's prediction 6·0.6 + 2.2."),
]

# ---- Article C: two iterations by hand on (1,2), (2,4), (3,6), m = b = 0, α = 0.1
CLAIMS += [
    Claim("C-iter1-pred", "C", "Iteration 1: Predictions: ŷ = [0, 0, 0]", 0,
          lambda: float(np.abs(_c_run().x[0] @ [[1, 2, 3], [1, 1, 1]]).max()), 0, "holds", NB),
]
for _i, _e in enumerate(("−2", "−4", "−6")):
    CLAIMS.append(Claim(f"C-iter1-err{_i + 1}", "C", "Errors: [−2, −4, −6]",
                        -float(_e.lstrip("−")), lambda i=_i: float(_c_errors(0)[i]), 0, "holds", NB))
CLAIMS += [
    Claim("C-iter1-sum-m", "C", "= (1/3)[-2 - 8 - 18] = -28/3", -28,
          lambda: float(3 * _c_run().grad[0][0]), 0, "holds", NB),
    Claim("C-iter1-dLdm", "C", "= (1/3)[-2 - 8 - 18] = -28/3 = -9.33", -9.33,
          lambda: float(_c_run().grad[0][0]), 2, "holds", NB),
    Claim("C-iter1-sum-b", "C", "∂L/∂b = (1/3)[-2 - 4 - 6] = -12/3", -12,
          lambda: float(3 * _c_run().grad[0][1]), 0, "holds", NB),
    Claim("C-iter1-dLdb", "C", "∂L/∂b = (1/3)[-2 - 4 - 6] = -12/3 = -4", -4,
          lambda: float(_c_run().grad[0][1]), 0, "holds", NB),
    Claim("C-iter1-m", "C", "m = 0 - 0.1 × (-9.33) = 0.933", 0.933,
          lambda: float(_c_run().x[1][0]), 3, "holds", NB),
    Claim("C-iter1-b", "C", "b = 0 - 0.1 × (-4) = 0.4", 0.4,
          lambda: float(_c_run().x[1][1]), 1, "holds", NB),
]
_C_TERMS_QUOTE = "∂L/∂m = (1/3)[(-2)(1) + (-4)(2) + (-6)(3)] = (1/3)[-2 - 8 - 18]"
for _i, _t in enumerate((-2, -8, -18)):
    CLAIMS.append(Claim(f"C-iter1-term{_i + 1}", "C", _C_TERMS_QUOTE, float(_t),
                        lambda i=_i: float(_c_errors(0)[i] * C_X[i]), 0, "holds", NB))
CLAIMS += [
    Claim("C-iter1-new-m", "C", "New parameters: m=0.933, b=0.4", 0.933,
          lambda: float(_c_run().x[1][0]), 3, "holds", NB),
    Claim("C-iter1-new-b", "C", "New parameters: m=0.933, b=0.4", 0.4,
          lambda: float(_c_run().x[1][1]), 1, "holds", NB),
]
_C_PRED_QUOTE = "Iteration 2: Predictions: ŷ = [1.333, 2.266, 3.199]"
_C_PRED_WHY = ("Rounding carried forward: the article computes with m rounded to 0.933; the exact "
               "iterate m = 14/15 = 0.9333…, b = 0.4 predicts [1.333, 2.267, 3.200]. A slip in "
               "the third decimal, not in the method.")
CLAIMS += [
    Claim("C-iter2-pred1", "C", _C_PRED_QUOTE, 1.333,
          lambda: float(_c_errors(1)[0] + C_Y[0]), 3, "holds", NB),
    Claim("C-iter2-pred2", "C", _C_PRED_QUOTE, 2.266,
          lambda: float(_c_errors(1)[1] + C_Y[1]), 3, "imprecision", NB, cause=C_ROUNDING, correct=Fraction(34, 15),
          why=_C_PRED_WHY),
    Claim("C-iter2-pred3", "C", _C_PRED_QUOTE, 3.199,
          lambda: float(_c_errors(1)[2] + C_Y[2]), 3, "imprecision", NB, cause=C_ROUNDING, correct=Fraction(16, 5),
          why=_C_PRED_WHY),
]
_C_ERR_WHY = (
    "Sign error: iteration 1 and the gradient formulas use errors ŷ − y, iteration 2 writes "
    "y − ŷ. Here ŷ − y = 1.333 − 2 = −0.667 (exact −2/3): the size is right, the sign is not.",
    "Sign error plus carried rounding: the article computes y − ŷ = 4 − (0.933·2 + 0.4) = 1.734 "
    "with m rounded to 0.933; with the iterate m = 14/15 the error ŷ − y is −26/15 = −1.733.",
    "Sign error plus carried rounding: 6 − (0.933·3 + 0.4) = 2.801 uses the rounded m; the "
    "error ŷ − y is −14/5 = −2.800.",
)
_C_ERR_EXACT = (Fraction(-2, 3), Fraction(-26, 15), Fraction(-14, 5))  # ŷ − y at m = 14/15, b = 2/5
for _i, _e in enumerate((0.667, 1.734, 2.801)):
    CLAIMS.append(Claim(f"C-iter2-err{_i + 1}", "C", "Errors: [0.667, 1.734, 2.801]", _e,
                        lambda i=_i: float(_c_errors(1)[i]), 3, "erratum", NB, cause=C_SIGN,
                        correct=_C_ERR_EXACT[_i], why=_C_ERR_WHY[_i]))
CLAIMS += [
    Claim("C-iter2-sum-m", "C", "∂L/∂m = (1/3)[(0.667)(1) + (1.734)(2) + (2.801)(3)] = (1/3)[11.47]",
          11.47, lambda: float(3 * _c_run().grad[1][0]), 2, "erratum", NB,
          cause=C_SLIP, correct=Fraction(-188, 15),
          why="Arithmetic slip and sign error: 0.667 + 2·1.734 + 3·2.801 = 12.538, not 11.47; "
              "with the errors ŷ − y the sum is Σ x(ŷ − y) = −188/15 = −12.53."),
    Claim("C-iter2-dLdm", "C", "= (1/3)[11.47] = 3.82", 3.82,
          lambda: float(_c_run().grad[1][0]), 2, "erratum", NB,
          cause=C_SIGN, correct=Fraction(-188, 45),
          why="∂L/∂m = (1/3)(−12.53) = −4.18: negative, because the slope 0.933 is still below "
              "the true slope 2 and must grow."),
    Claim("C-iter2-sum-b", "C", "∂L/∂b = (1/3)[5.20]", 5.20,
          lambda: float(3 * _c_run().grad[1][1]), 2, "erratum", NB,
          cause=C_SIGN, correct=Fraction(-26, 5),
          why="Sign error only: Σ(ŷ − y) = −78/15 = −5.20."),
    Claim("C-iter2-dLdb", "C", "∂L/∂b = (1/3)[5.20] = 1.73", 1.73,
          lambda: float(_c_run().grad[1][1]), 2, "erratum", NB,
          cause=C_SIGN, correct=Fraction(-26, 15),
          why="Sign error: ∂L/∂b = (1/3)(−5.20) = −1.73."),
    Claim("C-iter2-m", "C", "m = 0.933 - 0.1 × 3.82 = 0.551", 0.551,
          lambda: float(_c_run().x[2][0]), 3, "erratum", NB,
          cause=C_SIGN, correct=Fraction(304, 225),
          why="m = 0.933 − 0.1·(−4.18) = 1.351 (exact 304/225). With the sign error the article's "
              "step moves m away from the true slope 2 instead of toward it."),
    Claim("C-iter2-b", "C", "b = 0.4 - 0.1 × 1.73 = 0.227", 0.227,
          lambda: float(_c_run().x[2][1]), 3, "erratum", NB,
          cause=C_SIGN, correct=Fraction(43, 75),
          why="b = 0.4 − 0.1·(−1.733) = 0.573 (exact 43/75); the article's 0.227 comes from the "
              "sign error in ∂L/∂b."),
    Claim("C-iter2-new-m", "C", "New parameters: m=0.551, b=0.227", 0.551,
          lambda: float(_c_run().x[2][0]), 3, "erratum", NB,
          cause=C_SIGN, correct=Fraction(304, 225),
          why="The 'New parameters' line repeats C-iter2-m: the correct iterate is m = 1.351 "
              "(exact 304/225); the sign error in ∂L/∂m moved m the wrong way."),
    Claim("C-iter2-new-b", "C", "New parameters: m=0.551, b=0.227", 0.227,
          lambda: float(_c_run().x[2][1]), 3, "erratum", NB,
          cause=C_SIGN, correct=Fraction(43, 75),
          why="The 'New parameters' line repeats C-iter2-b: the correct iterate is b = 0.573 "
              "(exact 43/75); the sign error in ∂L/∂b moved b the wrong way."),
    Claim("C-final-m", "C", "Final Result: m ≈ 2", 2,
          lambda: float(_c_run().final_x[0]), 0, "holds", NB),
    Claim("C-final-b", "C", "Final Result: m ≈ 2, b ≈ 0", 0,
          lambda: float(_c_run().final_x[1]), 0, "holds", NB),
]

# ---- Article D: (w − 3)² from w = 0, α = 0.1: the 5-step table and the 50-step listing
_D_TABLE = [  # step, w before, gradient, new w as printed (with their decimals)
    (1, ("0", 0), ("-6", 0), ("0.6", 1)),
    (2, ("0.6", 1), ("-4.8", 1), ("1.08", 2)),
    (3, ("1.08", 2), ("-3.84", 2), ("1.464", 3)),
    (4, ("1.464", 3), ("-3.072", 3), ("1.7712", 4)),
    (5, ("1.7712", 4), ("-2.4576", 4), ("2.0170", 4)),
]
for _k, (_w, _dw), (_g, _dg), (_n, _dn) in _D_TABLE:
    _grad_quote = f"2({_w} - 3) = {_g}"
    _new_quote = f"{_w} - 0.1 * ({_g}) = {_n}"
    CLAIMS += [
        Claim(f"D-table-step{_k}-w", "D", _grad_quote, float(_w),
              lambda k=_k: float(_d_run().x[k - 1]), _dw, "holds", NB),
        Claim(f"D-table-step{_k}-grad", "D", _grad_quote, float(_g),
              lambda k=_k: float(_d_run().grad[k - 1]), _dg, "holds", NB),
        Claim(f"D-table-step{_k}-neww", "D", _new_quote, float(_n),
              lambda k=_k: float(_d_run().x[k]), _dn, "holds", NB),
    ]
CLAIMS += [
    Claim("D-step50-w", "D", "Step 50: w = 3.0000", 3.0,
          lambda: float(_d_run().x[50]), 4, "holds", NB),
    Claim("D-step50-loss", "D", "Step 50: w = 3.0000, loss = 0.000000", 0.0,
          lambda: float(_d_run().loss[50]), 6, "holds", NB),
]


def _d_table_verdict(quantity: str) -> str:
    """Over D's five table steps: does |w − 3| (or |gradient|) shrink at every step?"""
    t = _d_run()
    values = np.abs(t.x[:6] - 3.0) if quantity == "distance" else np.abs(t.grad[:5])
    return "smaller at every step" if np.all(np.diff(values) < 0) else "not at every step"


CLAIMS += [
    Claim("D-closer-each-step", "D",
          "Here, we can see thatwis getting closer and closer to 3 with each step.",
          "smaller at every step", lambda: _d_table_verdict("distance"), None, "holds", NB),
    Claim("D-gradient-smaller", "D",
          "The gradient is also getting smaller with each step, which means the steps are getting "
          "smaller as we approach the minimum.",
          "smaller at every step", lambda: _d_table_verdict("gradient"), None, "holds", NB),
    Claim("D-step50-essentially-w", "D",
          "After 50 steps,wis essentially 3 and the loss is essentially 0.", 3.0,
          lambda: float(_d_run().x[50]), 0, "holds", NB),
    Claim("D-step50-essentially-loss", "D",
          "After 50 steps,wis essentially 3 and the loss is essentially 0.", 0.0,
          lambda: float(_d_run().loss[50]), 0, "holds", NB),
]

CAUSES: list[Cause] = [
    Cause("B-x2-found-minimum", "B", "erratum",
          "'Found minimum! (x ≈ 0)' is printed unconditionally; after 10 iterations x = 1.07",
          "each iteration multiplies x by 1 − 2·0.1 = 0.8: 10·0.8¹⁰ is about 1, not 0", NB),
    Cause(B_LOG, "B", "erratum",
          "the printed training log (12 numbers) is not what the article's code prints",
          "the first loss at m = b = 0 is mean(y²) = 17.2, not 10; and 0.4714 is below the "
          "least-squares floor 0.48 that no line can beat", NB),
    Cause(C_SIGN, "C", "erratum",
          "iteration 2 flips the sign of the errors (y − ŷ instead of ŷ − y), so m and b move the wrong way",
          "a sign check: every prediction is below its target, so ŷ − y < 0 and m, b must grow", NB),
    Cause(C_SLIP, "C", "erratum",
          "iteration 2's bracket 0.667 + 2·1.734 + 3·2.801 is 12.538, not 11.47",
          "redo the bracket with the article's own three errors", NB),
    Cause(C_ROUNDING, "C", "imprecision",
          "iteration 2's predictions carry m rounded to 0.933 (2.266, 3.199 instead of 2.267, 3.200)",
          "compute 0.9333…·2 + 0.4 with the exact m = 14/15", NB),
]

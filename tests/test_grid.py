"""A learning-rate grid run as one batch (gdteach.grid) gives sweep's iterates."""

from __future__ import annotations

import numpy as np
import pytest

import gdteach
from gdteach import grid, optim
from gdteach.objectives import linear_regression, quadratic

Q = quadratic([0.02, 2.0])
X0 = np.array([-5.0, -2.0])
LRS = [0.01, 0.05, 0.2]

RULES = {
    "SGD": lambda lr: optim.SGD(lr=lr),
    "momentum": lambda lr: optim.SGD(lr=lr, momentum=0.9, dampening=0.5, weight_decay=0.1),
    "Nesterov": lambda lr: optim.SGD(lr=lr, momentum=0.9, nesterov=True),
    "Adagrad": lambda lr: optim.Adagrad(lr=lr, lr_decay=0.01),
    "RMSprop": lambda lr: optim.RMSprop(lr=lr, alpha=0.9, momentum=0.5, centered=True),
    "Adadelta": lambda lr: optim.Adadelta(lr=lr),
    "Adam": lambda lr: optim.Adam(lr=lr, weight_decay=0.1),
    "AdamW": lambda lr: optim.AdamW(lr=lr, weight_decay=0.1),
    "Adamax": lambda lr: optim.Adamax(lr=lr),
    "NAdam": lambda lr: optim.NAdam(lr=lr),
}


@pytest.mark.parametrize("name", RULES)
def test_lr_sweep_gives_the_iterates_of_one_run_per_rate(name: str) -> None:
    batched = grid.lr_sweep(Q, X0, RULES[name], LRS, 40)
    for i, lr in enumerate(LRS):
        alone = gdteach.run(Q, X0, RULES[name](lr), 40)
        np.testing.assert_allclose(batched.x[:, i], alone.x, rtol=1e-12, atol=1e-13)


def test_mini_batches_are_shared_by_every_rate() -> None:
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=20)
    data = linear_regression(X, y)
    batched = grid.lr_sweep(data, [0.0, 0.0], lambda lr: optim.SGD(lr=lr), LRS, 15, batch_size=4, rng=7)
    for i, lr in enumerate(LRS):
        alone = gdteach.run(data, [0.0, 0.0], optim.SGD(lr=lr), 15, batch_size=4, rng=7)
        np.testing.assert_allclose(batched.x[:, i], alone.x, rtol=1e-12, atol=1e-14)


def test_settle_and_best_by_hand() -> None:
    # x ← (1 − 2η)x on x²: from 1, lr 0.25 halves x (loss ÷ 4), lr 0.5 jumps to 0 at once
    traj = grid.lr_sweep(gdteach.objectives.square, [1.0], lambda lr: optim.SGD(lr=lr), [0.05, 0.25, 0.5], 3)
    assert grid.settle_steps(traj, 0.1) == [None, 2, 1]
    assert grid.best_on_grid([0.05, 0.25, 0.5], [None, 2, 1]) == (0.5, 1)
    assert grid.at_edge([0.05, 0.25, 0.5], 0.5)
    assert grid.best_on_grid([0.1], [None]) == (None, None)


def test_bad_grids_are_named() -> None:
    with pytest.raises(ValueError, match=r"lrs must be positive numbers, got \(0.1, -1.0\)"):
        grid.LearningRateGrid(lambda lr: optim.SGD(lr=lr), (0.1, -1.0))
    with pytest.raises(ValueError, match="not a schedule"):
        grid.LearningRateGrid(lambda lr: optim.SGD(lr=lambda step: lr), (0.1,))
    g = grid.LearningRateGrid(lambda lr: optim.SGD(lr=lr), (0.1, 0.2))
    with pytest.raises(ValueError, match=r"x must have shape \(2, d\)"):
        g.init(np.zeros((3, 2)))


@pytest.mark.parametrize("bad", [True, np.bool_(True), "0.1", float("inf")])
def test_a_learning_rate_grid_refuses_what_is_not_a_positive_number(bad) -> None:
    # True == 1 in arithmetic, but a switch is not a learning rate
    with pytest.raises(ValueError, match=r"^lrs must be positive numbers, got "):
        grid.LearningRateGrid(lambda lr: optim.SGD(lr=lr), (0.1, bad))

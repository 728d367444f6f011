"""Parity with torch.optim: the same rule, the same options, the same numbers (float64).

torch is the reference: each case runs ``torch.optim.<Name>(**kwargs)`` (single-tensor
code path, ``foreach=False``) and ``gdteach.optim.<Name>(**kwargs)`` side by side from
the same start for STEPS updates, torch's parameter receiving the analytic gradient at
its own iterate, and compares every iterate. Skipped when torch is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from gdteach import objectives, optim, run, schedules  # noqa: E402

pytestmark = pytest.mark.torch

STEPS = 100
RTOL = 1e-10

# (optimizer name in both libraries, keyword arguments given to both)
CASES = [
    ("SGD", {"lr": 5e-4}),
    ("SGD", {"lr": 5e-4, "momentum": 0.9}),
    ("SGD", {"lr": 5e-4, "momentum": 0.9, "dampening": 0.5}),
    ("SGD", {"lr": 5e-4, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 5e-4, "weight_decay": 0.1}),
    ("SGD", {"lr": 5e-4, "momentum": 0.5, "dampening": 0.1, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05}),
    ("Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1, "eps": 1e-3}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-6}),
    ("RMSprop", {"lr": 1e-3}),
    ("RMSprop", {"lr": 1e-3, "alpha": 0.9}),
    ("RMSprop", {"lr": 1e-3, "centered": True}),
    ("RMSprop", {"lr": 1e-3, "momentum": 0.9}),
    ("RMSprop", {"lr": 1e-3, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 1e-3, "eps": 1e-3}),
    ("RMSprop", {"lr": 1e-3, "alpha": 0.9, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5}),
    ("Adadelta", {"rho": 0.5}),
    ("Adadelta", {"weight_decay": 0.1}),
    ("Adadelta", {"eps": 1e-4}),
    ("Adam", {"lr": 1e-2}),
    ("Adam", {"lr": 1e-2, "betas": (0.5, 0.9)}),
    ("Adam", {"lr": 1e-2, "eps": 1e-3}),
    ("Adam", {"lr": 1e-2, "amsgrad": True}),
    ("Adam", {"lr": 1e-2, "weight_decay": 0.1}),
    ("Adam", {"lr": 1e-2, "betas": (0.8, 0.99), "amsgrad": True, "weight_decay": 0.1}),
    ("AdamW", {"lr": 1e-2}),
    ("AdamW", {"lr": 1e-2, "weight_decay": 0.1}),
    ("AdamW", {"lr": 1e-2, "amsgrad": True}),
    ("AdamW", {"lr": 1e-2, "betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True}),
    ("Adamax", {"lr": 1e-2}),
    ("Adamax", {"lr": 1e-2, "betas": (0.5, 0.9)}),
    ("Adamax", {"lr": 1e-2, "eps": 1e-3}),
    ("Adamax", {"lr": 1e-2, "weight_decay": 0.1}),
    ("NAdam", {"lr": 1e-2}),
    ("NAdam", {"lr": 1e-2, "momentum_decay": 0.05}),
    ("NAdam", {"lr": 1e-2, "weight_decay": 0.1}),
    ("NAdam", {"lr": 1e-2, "betas": (0.8, 0.99), "eps": 1e-4}),
]
CASE_IDS = [f"{name}({', '.join(f'{k}={v}' for k, v in kw.items())})" for name, kw in CASES]

# (objective, start): an ill-conditioned bowl (curvatures 2 and 100) and the banana valley
PROBLEMS = {
    "quadratic[1,50]": (objectives.quadratic([1.0, 50.0]), np.array([1.0, 1.0])),
    "rosenbrock": (objectives.rosenbrock, np.array([-1.5, 2.0])),
}


@pytest.fixture(autouse=True)
def float64_torch():
    """torch keeps scalar state (NAdam's μ product) in the default dtype: make it float64."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


def torch_run(objective, x0, name, kwargs, steps, scheduler=None):
    """Iterates (steps + 1, d) and the lr of each update, computed by torch.optim."""
    p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, name)([p], foreach=False, **kwargs)
    sched = scheduler(opt) if scheduler else None
    xs, lrs = [p.detach().numpy().copy()], []
    for _ in range(steps):
        p.grad = torch.from_numpy(objective.grad(p.detach().numpy()))
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if sched:
            sched.step()
        xs.append(p.detach().numpy().copy())
    return np.array(xs), np.array(lrs)


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=CASE_IDS)
def test_optimizer_matches_torch_on_every_iterate(name, kwargs, problem) -> None:
    objective, x0 = PROBLEMS[problem]
    expected, _ = torch_run(objective, x0, name, kwargs, STEPS)
    traj = run(objective, x0, optim.ALL[name](**kwargs), STEPS)
    assert traj.stop_reason == "max_steps"
    assert np.all(np.isfinite(expected))
    assert objective(expected[-1]) < objective(x0)  # the run went somewhere
    np.testing.assert_allclose(traj.x, expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=CASE_IDS)
def test_batch_of_starts_matches_separate_torch_runs(name, kwargs) -> None:
    objective = objectives.rosenbrock
    starts = np.array([[-1.5, 2.0], [0.0, 0.0], [1.2, 1.0], [-0.5, 1.5]])
    traj = run(objective, starts, optim.ALL[name](**kwargs), 60)
    assert traj.x.shape == (61, 4, 2)
    for i, x0 in enumerate(starts):
        expected, _ = torch_run(objective, x0, name, kwargs, 60)
        np.testing.assert_allclose(traj.x[:, i], expected, rtol=RTOL, atol=0)


def test_step_decay_matches_torch_steplr() -> None:
    objective, x0 = PROBLEMS["quadratic[1,50]"]
    opt = optim.SGD(lr=schedules.step_decay(0.015, factor=0.5, every=10), momentum=0.5)
    traj = run(objective, x0, opt, 60)
    expected, lrs = torch_run(
        objective, x0, "SGD", {"lr": 0.015, "momentum": 0.5}, 60,
        scheduler=lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=10, gamma=0.5),
    )
    np.testing.assert_allclose(traj.lr, lrs, rtol=1e-15)
    np.testing.assert_allclose(traj.x, expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize(
    "schedule",
    [
        schedules.cosine(0.05, total_steps=40, lr_min=0.001),
        schedules.linear_warmup(0.05, warmup_steps=10, after=schedules.exponential_decay(0.05, 0.05)),
        schedules.inverse_time_decay(0.05, k=0.1),
    ],
    ids=["cosine", "warmup+exponential", "inverse_time"],
)
def test_schedule_matches_torch_lambdalr_with_adam(schedule) -> None:
    objective, x0 = PROBLEMS["rosenbrock"]
    traj = run(objective, x0, optim.Adam(lr=schedule), 60)
    expected, lrs = torch_run(
        objective, x0, "Adam", {"lr": 0.05}, 60,
        scheduler=lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: schedule(t) / 0.05),
    )
    np.testing.assert_allclose(traj.lr, lrs, rtol=1e-14)
    np.testing.assert_allclose(traj.x, expected, rtol=RTOL, atol=0)


# --------------------------------------------------------------------------- gradients


def _rosenbrock_torch(p):
    return (1 - p[..., 0]) ** 2 + 100 * (p[..., 1] - p[..., 0] ** 2) ** 2


@pytest.mark.parametrize(
    ("objective", "torch_fn"),
    [
        (objectives.rosenbrock, _rosenbrock_torch),
        (objectives.quadratic([0.1, 2.0]), lambda p: (torch.tensor([0.1, 2.0]) * p * p).sum(-1)),
        (objectives.x_cos(0.15 * np.pi), lambda p: (p * torch.cos(0.15 * np.pi * p)).sum(-1)),
    ],
    ids=["rosenbrock", "quadratic", "x_cos"],
)
def test_objective_gradient_matches_torch_autograd(objective, torch_fn) -> None:
    points = np.random.default_rng(0).uniform(-2, 2, size=(20, objective.dim))
    p = torch.tensor(points, requires_grad=True)
    torch_fn(p).sum().backward()
    np.testing.assert_allclose(objective.grad(points), p.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(objective(points), torch_fn(p).detach().numpy(), rtol=1e-13)

"""gdteach.widgets: the explorers send the page what gdteach.run computes, check every value
before changing anything, and keep optimizer instances whole."""

import dataclasses
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gdteach  # noqa: E402
from gdteach import objectives, optim, widgets  # noqa: E402

ROSENBROCK_X0 = [-1.5, 2.0]
BOWL = objectives.quadratic([0.1, 2.0])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _page(explorer, seq, **values):
    """What the page sends when a control moves."""
    explorer._on_message(explorer.view, {"values": values, "seq": seq}, [])
    return explorer.view.frame


def _run(frame, name):
    return next(r for r in frame["runs"] if r["name"] == name)


def _control(explorer, name):
    return next(c for c in explorer.view.controls if c["name"] == name)


# --------------------------------------------------------------------------- update rule


def test_update_rule_explorer_sends_the_run_of_the_new_settings():
    explorer = widgets.update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=10)
    path = _run(explorer.view.frame, "path")
    np.testing.assert_allclose(path["px"], 5.0 * 0.8 ** np.arange(11))  # x ← (1 − 2η) x
    np.testing.assert_allclose(path["loss"], 25.0 * 0.64 ** np.arange(11))
    traj = explorer.update(lr=0.3)
    path = _run(explorer.view.frame, "path")
    np.testing.assert_allclose(path["px"], 5.0 * 0.4 ** np.arange(11))
    np.testing.assert_array_equal(traj.x, path["px"])
    assert explorer.trajectory is traj and explorer.optimizer == optim.SGD(lr=0.3)
    assert explorer.frame["title"] == "SGD(lr=0.3), 10 steps: converges"
    assert explorer.frame["summary"] == (
        f"After 10 steps: x = {5 * 0.4**10:.4g}, loss = {25 * 0.16**10:.4g}, stop_reason = 'max_steps'")
    assert _control(explorer, "lr")["value"] == 0.3


def test_page_messages_move_the_controls_and_answer_with_their_sequence_number():
    explorer = widgets.update_rule_explorer(objectives.shifted_square(3.0), 0.0, lr=0.1, steps=5)
    frame = _page(explorer, 7, lr=0.2, steps=7, **{"x0[0]": -2.0})
    assert frame["seq"] == 7 and frame["error"] == ""
    # w ← w − 2η (w − 3): the distance to 3 shrinks by 1 − 2η = 0.6 per step
    np.testing.assert_allclose(_run(frame, "path")["px"], 3.0 - 5.0 * 0.6 ** np.arange(8))
    frame = _page(explorer, 8, x0=[1.0])  # a drag of the start point
    assert frame["start"] == [1.0, 4.0]  # on the curve: (1 − 3)² = 4
    assert explorer.x0.tolist() == [1.0] and explorer.steps == 7


def test_update_rule_explorer_2d_contours_lie_on_their_levels():
    explorer = widgets.update_rule_explorer(BOWL, [-4.0, 2.0], lr=0.45, steps=20, lr_range=(0.01, 1.0))
    scene = explorer.view.scene
    assert scene["dim"] == 2 and scene["minimum"] == [0.0, 0.0] and scene["bounds"] == [[-5, 5], [-5, 5]]
    for contour in scene["contours"][::6]:
        points = np.asarray(contour["lines"][0], dtype=float).reshape(-1, 2) / 1000 * 10 - 5
        values = 0.1 * points[:, 0] ** 2 + 2 * points[:, 1] ** 2
        np.testing.assert_allclose(values, contour["level"], rtol=0.05, atol=0.05)
    fresh = gdteach.run(BOWL, [-4.0, 2.0], optim.SGD(lr=0.45), 20)
    path = _run(explorer.view.frame, "path")
    np.testing.assert_array_equal(path["px"], fresh.x[:, 0])
    np.testing.assert_array_equal(path["py"], fresh.x[:, 1])
    assert explorer.frame["xlim"] == [-5.0, 5.0]


def test_divergence_is_reported_and_the_frame_is_valid_json():
    explorer = widgets.update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=40, lr_range=(0.01, 5.0))
    traj = explorer.update(lr=5.0, steps=600)
    assert traj.stop_reason == "diverged"
    assert "stop_reason = 'diverged'" in explorer.frame["summary"]
    assert explorer.frame["title"].endswith("diverged")
    assert _run(explorer.frame, "path")["diverged"]
    json.dumps(explorer.view.frame, allow_nan=False)  # NaN and inf became null
    assert None in _run(explorer.frame, "path")["loss"]


def test_values_beyond_a_slider_widen_it():
    X = np.c_[np.linspace(0, 1, 8), np.ones(8)]
    lin = objectives.linear_regression(X, 3 * X[:, 0] + 1)
    explorer = widgets.update_rule_explorer(lin, [0.0, 0.0], steps=30, bounds=((-1, 4), (-1, 4)))
    assert explorer.frame["xlim"] == [-1.0, 4.0]
    traj = explorer.update(lr=2.0, steps=120, x0=[6.0, 0.0])
    lr, steps, start = (_control(explorer, n) for n in ("lr", "steps", "x0[0]"))
    assert lr["value"] == 2.0 and lr["max"] >= np.log10(2.0)
    assert steps["value"] == 120 <= steps["max"] and start["max"] >= 6.0
    fresh = gdteach.run(lin, [6.0, 0.0], optim.SGD(lr=2.0), 120, warn=False)
    np.testing.assert_array_equal(traj.x, fresh.x)
    with pytest.raises(ValueError, match="bounds"):
        widgets.update_rule_explorer(lin, [0.0, 0.0], bounds=((1, 0), (0, 1)))


def test_a_bad_value_changes_nothing_not_even_the_slider():
    explorer = widgets.update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=10)
    before = (explorer.optimizer, explorer.x0.copy(), explorer.steps, explorer.view.controls,
              explorer.view.frame)
    with pytest.raises(ValueError, match=r"x0 must be finite, got \[nan\]"):
        explorer.update(lr=0.5, x0=[float("nan")])
    with pytest.raises(TypeError, match="steps must be a whole number >= 1, got True"):
        explorer.update(lr=0.5, steps=True)
    with pytest.raises(ValueError, match="lr must be positive, got -1"):
        explorer.update(lr=-1, steps=3)
    after = (explorer.optimizer, explorer.x0, explorer.steps, explorer.view.controls, explorer.view.frame)
    assert after[0] == before[0] and after[1].tolist() == before[1].tolist()
    assert after[2:] == before[2:]
    # from the page: the error is shown, the controls go back to what they were
    frame = _page(explorer, 3, lr=0.5, steps=0)
    assert frame["error"] == "steps must be a whole number >= 1, got 0" and frame["seq"] == 3
    assert explorer.optimizer == optim.SGD(lr=0.1) and _control(explorer, "lr")["value"] == 0.1


def test_explorers_are_outside_pyplot_print_nothing_and_display_as_widgets(capsys):
    explorer = widgets.update_rule_explorer(objectives.square, 5.0)
    race = widgets.optimizer_race_explorer(objectives.rosenbrock, ROSENBROCK_X0, steps=20)
    race.update(tune="Adam", lr=0.05)
    assert plt.get_fignums() == []
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    bundle = explorer._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.view.model_id
    assert "gdteach-explorer" in race.view._dom_classes  # how the browser test finds it


def test_static_figure_of_the_explorer_state():
    explorer = widgets.update_rule_explorer(BOWL, [4.0, 1.0], lr=0.3, steps=25)
    left, right = explorer.figure().axes
    fresh = gdteach.run(BOWL, [4.0, 1.0], optim.SGD(lr=0.3), 25)
    path = next(line for line in left.get_lines() if line.get_label() == "SGD(lr=0.3)")
    np.testing.assert_array_equal(path.get_xdata(), fresh.x[:, 0])
    assert path.get_color() == "#0072B2"  # the series' SGD blue


# --------------------------------------------------------------------------- race


def test_race_explorer_reruns_only_the_tuned_optimizer():
    explorer = widgets.optimizer_race_explorer(objectives.rosenbrock, ROSENBROCK_X0, steps=60)
    assert list(explorer.trajectories) == ["SGD", "RMSprop", "Adam"]
    sgd_before = explorer.trajectories["SGD"]
    runs = explorer.update(tune="Adam", lr=0.05, beta1=0.8)
    fresh = gdteach.run(objectives.rosenbrock, ROSENBROCK_X0, optim.Adam(lr=0.05, betas=(0.8, 0.999)), 60)
    adam = _run(explorer.frame, "Adam")
    np.testing.assert_array_equal(adam["px"], fresh.x[:, 0])
    np.testing.assert_array_equal(adam["py"], fresh.x[:, 1])
    np.testing.assert_array_equal(adam["loss"], fresh.loss)
    assert runs["SGD"] is sgd_before  # untouched optimizers are not rerun
    assert adam["label"] == "Adam(lr=0.05, betas=(0.8, 0.999))" and adam["width"] > _run(explorer.frame, "SGD")["width"]
    assert (adam["color"], adam["dash"]) == ("#000000", "solid")  # gdteach.style: Adam black
    assert [c["label"] for c in explorer.view.controls[2:]] == ["η (lr)", "β₁", "β₂", "steps"]
    assert _control(explorer, "beta1")["value"] == 0.8


def test_race_tune_control_shows_only_its_sliders():
    explorer = widgets.optimizer_race_explorer(objectives.rosenbrock, ROSENBROCK_X0, steps=40,
                                               optimizers=["SGD", "Adagrad", "Adam"])
    runs = explorer.trajectories
    frame = _page(explorer, 1, tune="Adagrad")
    assert explorer.trajectories == runs  # nothing was rerun
    assert [c["name"] for c in explorer.view.controls] == ["optimizers", "tune", "lr", "steps"]
    assert _run(frame, "Adagrad")["width"] > _run(frame, "SGD")["width"]
    _page(explorer, 2, tune="SGD")
    assert [c["label"] for c in explorer.view.controls[2:]] == ["η (lr)", "momentum μ", "steps"]


def test_update_beta2_outside_the_slider_is_kept_by_the_next_move():
    explorer = widgets.optimizer_race_explorer(BOWL, [-4.0, 2.0], steps=30, optimizers=["Adam"])
    explorer.update(tune="Adam", beta2=0.3)  # the slider starts at 0.5: it widens, not clamps
    beta2 = _control(explorer, "beta2")
    assert beta2["value"] == 0.3 and beta2["min"] <= 0.3
    _page(explorer, 1, lr=0.05)  # an unrelated move from the page
    assert explorer.optimizers["Adam"] == optim.Adam(lr=0.05, betas=(0.9, 0.3))
    fresh = gdteach.run(BOWL, [-4.0, 2.0], optim.Adam(lr=0.05, betas=(0.9, 0.3)), 30)
    np.testing.assert_array_equal(_run(explorer.frame, "Adam")["loss"], fresh.loss)


def test_sgd_with_nesterov_and_weight_decay_races_as_itself():
    nesterov = optim.SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)
    explorer = widgets.optimizer_race_explorer(BOWL, [-4.0, 2.0], steps=30, optimizers={"SGD": nesterov})
    plain = gdteach.run(BOWL, [-4.0, 2.0], optim.SGD(lr=0.05, momentum=0.9), 30)
    assert not np.allclose(explorer.trajectories["SGD"].x, plain.x)
    # the first two steps by hand: g = ∇f + 0.1 x; b = g then 0.9 b + g; step g + 0.9 b
    x = np.array([-4.0, 2.0])
    g = 2 * np.array([0.1, 2.0]) * x + 0.1 * x
    b = g
    x1 = x - 0.05 * (g + 0.9 * b)
    g = 2 * np.array([0.1, 2.0]) * x1 + 0.1 * x1
    b = 0.9 * b + g
    x2 = x1 - 0.05 * (g + 0.9 * b)
    np.testing.assert_allclose(explorer.trajectories["SGD"].x[1:3], [x1, x2])
    explorer.update(lr=0.02)
    assert explorer.optimizers["SGD"] == optim.SGD(lr=0.02, momentum=0.9, nesterov=True, weight_decay=0.1)
    entry = _run(explorer.frame, "SGD")
    assert entry["label"] == "SGD(lr=0.02, momentum=0.9, weight_decay=0.1, nesterov=True)"
    assert (entry["color"], entry["dash"]) == ("#CC79A7", "dashdot")  # gdteach.style: Nesterov
    fig = widgets.race_figure(BOWL, [-4.0, 2.0], {"SGD": nesterov}, steps=30)
    loss = fig.axes[1].get_lines()[0]
    np.testing.assert_allclose(loss.get_ydata(), gdteach.run(BOWL, [-4.0, 2.0], nesterov, 30).loss)


def test_race_update_checks_everything_first():
    explorer = widgets.optimizer_race_explorer(BOWL, [-4.0, 2.0], steps=30, optimizers=["SGD", "Adam"])
    before = (dict(explorer.optimizers), explorer.racing, explorer.tuned, explorer.view.frame)
    with pytest.raises(ValueError, match="no slider"):
        explorer.update(optimizers=["SGD"], beta2=0.9)  # SGD has no β₂
    with pytest.raises(ValueError, match="steps must be a whole number >= 1, got 0"):
        explorer.update(tune="Adam", lr=0.5, steps=0)
    with pytest.raises(ValueError, match=r"betas\[1\] must be in \[0, 1\)"):
        explorer.update(tune="Adam", lr=0.5, beta2=1.5)
    with pytest.raises(TypeError, match="unknown"):
        explorer.update(speed=1.0)
    with pytest.raises(ValueError, match="tune must be 'SGD', got 'Adam'"):
        explorer.update(optimizers=["SGD"], tune="Adam")
    assert (dict(explorer.optimizers), explorer.racing, explorer.tuned, explorer.view.frame) == before
    with pytest.raises(ValueError, match="names"):
        widgets.optimizer_race_explorer(BOWL, [-4.0, 2.0], optimizers=["LBFGS"])


def test_race_selection_momentum_steps_and_start():
    explorer = widgets.optimizer_race_explorer(BOWL, [-4.0, 2.0], steps=30, optimizers=["SGD", "Adam"])
    runs = explorer.update(optimizers=["SGD"], tune="SGD", lr=0.05, momentum=0.9, steps=25)
    assert list(runs) == ["SGD"] and [r["name"] for r in explorer.frame["runs"]] == ["SGD"]
    fresh = gdteach.run(BOWL, [-4.0, 2.0], optim.SGD(lr=0.05, momentum=0.9), 25)
    np.testing.assert_array_equal(_run(explorer.frame, "SGD")["px"], fresh.x[:, 0])
    assert explorer.frame["steps_lim"] == [0, 30]  # 25 steps, on an axis to 30
    frame = _page(explorer, 4, x0=[1.0, -1.0])  # drag
    fresh = gdteach.run(BOWL, [1.0, -1.0], optim.SGD(lr=0.05, momentum=0.9), 25)
    np.testing.assert_array_equal(_run(frame, "SGD")["py"], fresh.x[:, 1])
    assert frame["start"] == [1.0, -1.0]


def test_race_explorer_1d_with_negative_losses_has_a_linear_axis():
    explorer = widgets.optimizer_race_explorer(
        objectives.x_cos(), 10.0, steps=30, optimizers={"SGD": optim.SGD(lr=0.5, momentum=0.5)}
    )
    fresh = gdteach.run(objectives.x_cos(), 10.0, optim.SGD(lr=0.5, momentum=0.5), 30)
    np.testing.assert_array_equal(_run(explorer.frame, "SGD")["px"], fresh.x)
    assert not explorer.view.scene["loss_log"]  # x·cos(cx) goes below zero


def test_default_settings_are_stable_for_gradient_descent():
    # quadratic: L = 2 · 2 = 4, so 0.5 / L = 0.125, rounded down to 0.1
    assert widgets.default_settings(BOWL, [-4.0, 2.0])["SGD"]["lr"] == 0.1
    lr = widgets.default_settings(objectives.rosenbrock, ROSENBROCK_X0)["SGD"]["lr"]
    traj = gdteach.run(objectives.rosenbrock, ROSENBROCK_X0, optim.SGD(lr=lr), 500, warn=False)
    assert traj.stop_reason == "max_steps" and traj.final_loss < traj.loss[0]


def test_make_optimizer_maps_betas():
    opt = widgets.make_optimizer("NAdam", {"lr": 0.01, "beta2": 0.99})
    assert opt == optim.NAdam(lr=0.01, betas=(0.9, 0.99))
    with pytest.raises(ValueError, match="name"):
        widgets.make_optimizer("Nesterov", {"lr": 0.1})


# --------------------------------------------------------------------------- static


def test_static_companions():
    fig = widgets.explorer_figure(objectives.square, 5.0, [0.1, 0.9, 1.05], steps=6)
    assert [ax.get_title() for ax in fig.axes] == [
        "η = 0.1: converges", "η = 0.9: oscillates", "η = 1.05: grows",
    ]
    fig = widgets.race_figure(objectives.rosenbrock, ROSENBROCK_X0, {"SGD": {}, "Adam": {"lr": 0.1}}, 40)
    left, right = fig.axes
    adam = [line for line in right.get_lines() if line.get_label() == "Adam(lr=0.1)"]
    fresh = gdteach.run(objectives.rosenbrock, ROSENBROCK_X0, optim.Adam(lr=0.1), 40)
    np.testing.assert_array_equal(adam[0].get_ydata(), fresh.loss)
    assert adam[0].get_color() == "#000000" and widgets.optimizer_colors()["Adam"] == "#000000"


# --------------------------------------------------------------------------- previews


def test_previews_are_the_frames_one_key_press_away():
    explorer = widgets.update_rule_explorer(objectives.shifted_square(3.0), 0.0, lr=0.1, steps=10)
    previews = explorer._previews()
    lr = _control(explorer, "lr")
    k = round((np.log10(0.1) - lr["min"]) / lr["step"])
    up = next(p for p in previews["lr"] if p["value"] > 0.1)
    assert up["value"] == pytest.approx(10 ** (lr["min"] + (k + 1) * lr["step"]), rel=1e-12)
    fresh = gdteach.run(objectives.shifted_square(3.0), 0.0, optim.SGD(lr=up["value"]), 10)
    np.testing.assert_array_equal(_run(up["frame"], "path")["px"], fresh.x)
    assert [p["value"] for p in previews["steps"]] == [9, 11]
    assert sorted(p["value"][0] for p in previews["x0"]) == pytest.approx([-12 / 50, 12 / 50])
    # previewing changes nothing: the explorer still shows lr = 0.1
    assert explorer.optimizer == optim.SGD(lr=0.1) and explorer.steps == 10
    assert _run(explorer.frame, "path")["px"][1] == pytest.approx(0.6)  # 0 − 0.1 · 2 (0 − 3)


def test_race_previews_send_only_the_runs_that_change():
    explorer = widgets.optimizer_race_explorer(BOWL, [-4.0, 2.0], steps=30, optimizers=["SGD", "Adam"])
    previews = explorer._previews()
    beta2 = previews.get("beta2")
    assert beta2 is None  # SGD is tuned: it has no β₂ slider
    up = next(p for p in previews["lr"] if p["value"] > explorer.optimizers["SGD"].lr)
    runs = {r["name"]: r for r in up["frame"]["runs"]}
    assert runs["Adam"] == {"name": "Adam", "same": True}
    fresh = gdteach.run(BOWL, [-4.0, 2.0], optim.SGD(lr=up["value"]), 30)
    np.testing.assert_array_equal(runs["SGD"]["loss"], fresh.loss)
    tune = next(p for p in previews["tune"] if p["value"] == "Adam")
    assert [c["name"] for c in tune["frame"]["controls"]][2:] == ["lr", "beta1", "beta2", "steps"]
    assert explorer.tuned == "SGD"


# --------------------------------------------------------------------------- what the page computes


def _learners_quartic():
    return gdteach.Objective(lambda x: np.sum(x**4, axis=-1), lambda x: 4 * x**3, name="x⁴", dim=1)


def test_the_page_is_sent_the_built_in_objective_and_rule_it_computes_itself():
    explorer = widgets.update_rule_explorer(BOWL, [-4.0, 2.0], lr=0.3, steps=5)
    assert explorer.view.scene["page"] == {"kind": "quadratic", "c": [0.1, 2.0]}
    assert _run(explorer.view.frame, "path")["rule"] == {
        "kind": "SGD", "lr": 0.3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0,
        "nesterov": False}
    race = widgets.optimizer_race_explorer(objectives.rosenbrock, ROSENBROCK_X0, steps=5,
                                           optimizers={"Adam": {"lr": 0.1, "beta2": 0.99}})
    assert race.view.scene["page"] == {"kind": "rosenbrock", "a": 1.0, "b": 100.0}
    assert _run(race.view.frame, "Adam")["rule"] == {
        "kind": "Adam", "lr": 0.1, "betas": [0.9, 0.99], "eps": 1e-8, "weight_decay": 0.0,
        "amsgrad": False}


def test_a_learners_own_objective_or_optimizer_is_left_to_the_kernel():
    # the page is told it cannot compute them (null), and the kernel's frame is the run
    explorer = widgets.update_rule_explorer(_learners_quartic(), 1.0, lr=0.1, steps=3)
    assert explorer.view.scene["page"] is None
    assert _run(explorer.view.frame, "path")["px"][:2] == pytest.approx([1.0, 0.6])  # 1 − 0.1·4·1³
    frame = _page(explorer, 1, x0=[0.5])  # a drag: answered by the kernel
    assert _run(frame, "path")["px"][:2] == pytest.approx([0.5, 0.45])  # 0.5 − 0.1·4·0.125

    @dataclasses.dataclass(frozen=True, repr=False)
    class HalfStep(optim.SGD):  # a learner's own rule: half of gradient descent's step
        def step(self, x, grad, state):
            return x - 0.5 * self.lr * np.asarray(grad), state

    own = widgets.update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=2,
                                       optimizer=lambda lr: HalfStep(lr=lr))
    assert own.view.scene["page"] == {"kind": "square"}  # the objective the page can compute
    path = _run(own.view.frame, "path")
    assert path["rule"] is None
    assert path["px"] == pytest.approx([5.0, 4.5, 4.05])  # x ← x − 0.5·0.1·2x = 0.9x
    json.dumps([own.view.scene, own.view.frame, explorer.view.scene, explorer.view.frame])


def test_a_learners_own_2d_objective_without_dim_gets_an_explorer_and_its_figure():
    """An outsider tried the README's own-objective example (no ``dim``) from a 2-D start: the
    explorer failed with an IndexError building its axis labels, and the race figure took it
    for a 1-D objective. The start tells how many parameters there are."""
    from gdteach import Objective
    from gdteach.widgets import optimizer_race_explorer, update_rule_explorer

    bowl = Objective(lambda p: (p**2).sum(-1), lambda p: 2 * p, name="my bowl")
    explorer = update_rule_explorer(bowl, [3.0, 2.0], lr=0.25, steps=2)
    assert (explorer.view.scene["xlabel"], explorer.view.scene["ylabel"]) == ("x₁", "x₂")
    # x ← x − 0.25·2x = x/2 each step, by hand
    assert explorer.trajectory.x.tolist() == [[3.0, 2.0], [1.5, 1.0], [0.75, 0.5]]
    axes = explorer.figure().axes
    assert [axes[0].get_xlabel(), axes[0].get_ylabel()] == ["$x_{1}$", "$x_{2}$"]
    race = optimizer_race_explorer(bowl, [3.0, 2.0], steps=5)
    assert race.figure().axes[0].get_ylabel() == "$x_{2}$"

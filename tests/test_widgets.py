"""gdteach.widgets: the explorers redraw what gdteach.run computes, without a browser."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gdteach  # noqa: E402
from gdteach import objectives, optim, widgets  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- update rule


def test_update_rule_explorer_1d_redraws_a_fresh_run():
    box = widgets.update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=10)
    assert isinstance(box, ipywidgets.VBox)
    path = box.artists["path"]
    np.testing.assert_allclose(path.get_xdata(), 5.0 * 0.8 ** np.arange(11))
    before_image = bytes(box.image.value)
    assert before_image.startswith(PNG)

    traj = box.update(lr=0.3)
    fresh = gdteach.run(objectives.square, 5.0, optim.SGD(lr=0.3), 10)
    np.testing.assert_array_equal(path.get_xdata(), fresh.x)
    np.testing.assert_array_equal(path.get_ydata(), fresh.loss)
    np.testing.assert_array_equal(traj.x, fresh.x)
    assert box.trajectory is traj
    assert bytes(box.image.value) != before_image
    assert box.artists["title"].get_text() == "SGD(lr=0.3), 10 steps: converges"
    assert "stop_reason = 'max_steps'" in box.status.value
    assert f"x = {fresh.final_x:.4g}" in box.status.value


def test_update_rule_explorer_start_steps_and_sliders():
    box = widgets.update_rule_explorer(objectives.shifted_square(3.0), 0.0, lr=0.1, steps=5)
    box.update(x0=-2.0, steps=7, lr=0.2)
    fresh = gdteach.run(objectives.shifted_square(3.0), -2.0, optim.SGD(lr=0.2), 7)
    np.testing.assert_array_equal(box.artists["path"].get_xdata(), fresh.x)
    # moving a slider (what the browser does) redraws too
    box.controls["lr"].value = 0.05
    fresh = gdteach.run(objectives.shifted_square(3.0), -2.0, optim.SGD(lr=0.05), 7)
    np.testing.assert_array_equal(box.artists["path"].get_xdata(), fresh.x)
    assert len(box.timings) == 3  # built, update(), slider: one redraw each
    with pytest.raises(ValueError, match="x0"):
        box.update(x0=[1.0, 2.0])


def test_update_rule_explorer_divergence_is_reported_not_warned():
    box = widgets.update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=40, lr_range=(0.01, 5.0))
    traj = box.update(lr=5.0, steps=600)
    assert traj.stop_reason == "diverged"
    assert "stop_reason = 'diverged'" in box.status.value
    assert box.artists["title"].get_text().endswith("diverged")


def test_update_rule_explorer_2d_keeps_the_contours():
    q = objectives.quadratic([0.1, 2.0])
    box = widgets.update_rule_explorer(q, [-4.0, 2.0], lr=0.1, steps=20, lr_range=(0.01, 1.0))
    ax = box.figure.axes[0]
    contours = [c for c in ax.collections if c.get_gid() == "contours"]
    assert len(contours) == 1
    box.update(lr=0.45)
    fresh = gdteach.run(q, [-4.0, 2.0], optim.SGD(lr=0.45), 20)
    np.testing.assert_array_equal(box.artists["path"].get_xdata(), fresh.x[:, 0])
    np.testing.assert_array_equal(box.artists["path"].get_ydata(), fresh.x[:, 1])
    # the same contour set, not a rebuilt one, and the cached background was reused
    assert [c for c in ax.collections if c.get_gid() == "contours"] == contours
    background = box.canvas._background
    box.update(lr=0.3)
    assert box.canvas._background is background
    assert ax.get_xlim() == (-5.0, 5.0)


def test_update_rule_explorer_widens_sliders_and_takes_bounds():
    X = np.c_[np.linspace(0, 1, 8), np.ones(8)]
    lin = objectives.linear_regression(X, 3 * X[:, 0] + 1)
    box = widgets.update_rule_explorer(lin, [0.0, 0.0], steps=30, bounds=((-1, 4), (-1, 4)))
    assert box.figure.axes[0].get_xlim() == (-1.0, 4.0)
    traj = box.update(lr=2.0, steps=120)  # both beyond the sliders' ranges
    assert box.controls["lr"].value == 2.0 and box.controls["steps"].value == 120
    fresh = gdteach.run(lin, [0.0, 0.0], optim.SGD(lr=2.0), 120, warn=False)
    np.testing.assert_array_equal(traj.x, fresh.x)
    with pytest.raises(ValueError, match="bounds"):
        widgets.update_rule_explorer(lin, [0.0, 0.0], bounds=((1, 0), (0, 1)))


def test_explorers_are_outside_pyplot_and_print_nothing(capsys):
    widgets.update_rule_explorer(objectives.square, 5.0)
    box = widgets.optimizer_race_explorer(objectives.rosenbrock, [-1.5, 2.0], steps=20)
    box.update(tune="Adam", lr=0.05)
    assert plt.get_fignums() == []  # %matplotlib inline will not show the figure twice
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_blitted_image_equals_a_full_redraw():
    box = widgets.update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=10)
    box.update(lr=0.2)
    blitted = np.asarray(box.figure.canvas.buffer_rgba()).copy()
    box.figure.canvas.draw()  # everything, the ordinary way
    full = np.asarray(box.figure.canvas.buffer_rgba())
    # the paths are drawn over the axes frame rather than under it: a few pixels differ
    assert np.mean(np.any(blitted != full, axis=-1)) < 0.002


# --------------------------------------------------------------------------- race


def test_race_explorer_reruns_the_tuned_optimizer():
    x0 = [-1.5, 2.0]
    box = widgets.optimizer_race_explorer(objectives.rosenbrock, x0, steps=60)
    assert isinstance(box, ipywidgets.VBox)
    assert set(box.trajectories) == {"SGD", "RMSprop", "Adam"}
    sgd_before = box.trajectories["SGD"]
    runs = box.update(tune="Adam", lr=0.05, beta1=0.8)
    fresh = gdteach.run(objectives.rosenbrock, x0, optim.Adam(lr=0.05, betas=(0.8, 0.999)), 60)
    path, loss = box.artists["paths"]["Adam"], box.artists["losses"]["Adam"]
    np.testing.assert_array_equal(path.get_xdata(), fresh.x[:, 0])
    np.testing.assert_array_equal(path.get_ydata(), fresh.x[:, 1])
    np.testing.assert_array_equal(loss.get_ydata(), fresh.loss)
    np.testing.assert_array_equal(runs["Adam"].x, fresh.x)
    assert runs["SGD"] is sgd_before  # untouched optimizers are not rerun
    assert box.controls["p1"].description == "β₁" and box.controls["p1"].value == 0.8
    legend = [t.get_text() for t in box.figure.axes[1].get_legend().get_texts()]
    assert "Adam(lr=0.05, betas=(0.8, 0.999))" in legend
    assert box.figure.axes[1].get_yscale() == "log"


def test_race_explorer_tune_dropdown_redraws_and_shows_only_its_sliders():
    box = widgets.optimizer_race_explorer(objectives.rosenbrock, [-1.5, 2.0], steps=40,
                                          optimizers=["SGD", "Adagrad", "Adam"])
    assert "gdteach-explorer" in box._dom_classes  # how the browser test finds it
    sliders = box.controls["lr"], box.controls["p1"], box.controls["p2"], box.controls["steps"]
    image = bytes(box.image.value)
    runs = box.trajectories
    box.controls["tune"].value = "Adam"  # what the dropdown does
    assert bytes(box.image.value) != image  # the tuned optimizer is drawn thicker
    assert box.trajectories == runs  # nothing was rerun
    assert box.artists["paths"]["Adam"].get_linewidth() > box.artists["paths"]["SGD"].get_linewidth()
    slider_box = box.controls["lr"]
    assert box.controls["p1"].description == "β₁" and box.controls["p2"].description == "β₂"
    box.controls["tune"].value = "Adagrad"  # lr only: the other two sliders leave the page
    shown = [c for c in box.children[0].children[1].children]
    assert shown == [slider_box, sliders[3]]
    box.controls["tune"].value = "SGD"
    assert [c.description for c in box.children[0].children[1].children] == [
        "η (lr)", "momentum μ", "steps"]


def test_titles_and_legends_round_the_learning_rate():
    box = widgets.update_rule_explorer(objectives.square, 5.0, lr=0.1, steps=10)
    box.controls["lr"].value = 0.10471285480508996
    assert box.artists["title"].get_text() == "SGD(lr=0.105), 10 steps: converges"
    assert "gdteach-explorer" in box._dom_classes
    # no slider starts at an end of its range: a key press always moves it
    lr = box.controls["lr"]  # a log slider: min and max are exponents
    assert lr.min < np.log10(lr.value) < lr.max
    for slider in (box.controls["steps"], *box.controls["x0"]):
        assert slider.min < slider.value < slider.max
    edge = widgets.update_rule_explorer(objectives.square, 6.0, lr=1.2)  # both at the ends
    assert np.log10(1.2) < edge.controls["lr"].max and 6.0 < edge.controls["x0"][0].max


def test_race_explorer_selection_momentum_and_errors():
    q = objectives.quadratic([0.1, 2.0])
    box = widgets.optimizer_race_explorer(q, [-4.0, 2.0], steps=30, optimizers=["SGD", "Adam"])
    runs = box.update(optimizers=["SGD"], tune="SGD", lr=0.05, momentum=0.9, steps=25)
    assert list(runs) == ["SGD"]
    fresh = gdteach.run(q, [-4.0, 2.0], optim.SGD(lr=0.05, momentum=0.9), 25)
    np.testing.assert_array_equal(box.artists["paths"]["SGD"].get_xdata(), fresh.x[:, 0])
    assert box.artists["paths"]["SGD"].get_visible()
    assert not box.artists["paths"]["Adam"].get_visible()
    assert box.figure.axes[1].get_xlim() == (0.0, 30.0)  # 25 steps, on an axis to 30
    with pytest.raises(ValueError, match="no slider"):
        box.update(beta2=0.9)  # SGD has no β₂
    with pytest.raises(TypeError, match="unknown"):
        box.update(speed=1.0)
    with pytest.raises(ValueError, match="names"):
        widgets.optimizer_race_explorer(q, [-4.0, 2.0], optimizers=["LBFGS"])


def test_race_explorer_settings_from_instances_and_negative_losses():
    box = widgets.optimizer_race_explorer(
        objectives.x_cos(), 10.0, steps=30, optimizers={"SGD": optim.SGD(lr=0.5, momentum=0.5)}
    )
    fresh = gdteach.run(objectives.x_cos(), 10.0, optim.SGD(lr=0.5, momentum=0.5), 30)
    np.testing.assert_array_equal(box.artists["paths"]["SGD"].get_xdata(), fresh.x)
    assert box.figure.axes[1].get_yscale() == "linear"  # x·cos(cx) goes below zero


def test_default_settings_are_stable_for_gradient_descent():
    # quadratic: L = 2 · 2 = 4, so 0.5 / L = 0.125, rounded down to 0.1
    assert widgets.default_settings(objectives.quadratic([0.1, 2.0]), [-4.0, 2.0])["SGD"]["lr"] == 0.1
    lr = widgets.default_settings(objectives.rosenbrock, [-1.5, 2.0])["SGD"]["lr"]
    traj = gdteach.run(objectives.rosenbrock, [-1.5, 2.0], optim.SGD(lr=lr), 500, warn=False)
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
    fig = widgets.race_figure(objectives.rosenbrock, [-1.5, 2.0], {"SGD": {}, "Adam": {"lr": 0.1}}, 40)
    left, right = fig.axes
    adam = [line for line in right.get_lines() if line.get_label() == "Adam(lr=0.1)"]
    fresh = gdteach.run(objectives.rosenbrock, [-1.5, 2.0], optim.Adam(lr=0.1), 40)
    np.testing.assert_array_equal(adam[0].get_ydata(), fresh.loss)
    assert adam[0].get_color() == widgets.optimizer_colors()["Adam"]

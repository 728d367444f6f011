"""gdteach.plot: what each figure draws is the data it was given, labelled."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gdteach  # noqa: E402
from gdteach import objectives, optim, plot  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _legend_texts(ax):
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def _line(ax, label):
    matches = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(matches) == 1, f"expected one line labelled {label!r}, got {len(matches)}"
    return matches[0]


def test_import_gdteach_does_not_import_matplotlib():
    code = "import sys, gdteach; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]),
    )
    assert out.stdout.split() == ["False", "False"]


def test_plot_functions_never_call_show(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("plt.show() called")

    monkeypatch.setattr(plt, "show", fail)
    traj = gdteach.run(objectives.square, 5.0, optim.SGD(lr=0.1), 5)
    plot.function_with_tangents(objectives.square, [1.0])
    plot.path_1d(traj)
    plot.loss_curves(traj)
    plot.quantity(traj, "grad_norm")
    plot.lr_range([0.1, 0.2], [1.0, 0.5])
    plot.contour_paths(objectives.rosenbrock, None)


# --------------------------------------------------------------------------- tangents


@pytest.mark.parametrize(
    "objective, derivative, points",
    [
        (objectives.square, lambda p: 2 * p, [-4.0, -1.5, 0.0, 2.0, 4.5]),
        (objectives.shifted_square(3.0), lambda p: 2 * (p - 3.0), [0.0, 3.0, 7.0]),
        (
            objectives.x_cos(0.15 * np.pi),
            lambda p: np.cos(0.15 * np.pi * p) - 0.15 * np.pi * p * np.sin(0.15 * np.pi * p),
            [-10.0, 5.0, 12.0],
        ),
    ],
)
def test_tangent_slope_is_the_derivative_and_touches_the_curve(objective, derivative, points):
    ax = plot.function_with_tangents(objective, points, span=2.0)
    tangents = [line for line in ax.get_lines() if line.get_gid() == "tangent"]
    assert len(tangents) == len(points)
    for p, line in zip(points, tangents, strict=True):
        x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        assert x[1] - x[0] == pytest.approx(2.0)
        assert (y[1] - y[0]) / (x[1] - x[0]) == pytest.approx(derivative(p), abs=1e-9)
        mid = (x[0] + x[1]) / 2
        assert mid == pytest.approx(p)
        assert (y[0] + y[1]) / 2 == pytest.approx(objective([p]), abs=1e-9)
    # the slopes are written beside the points, rounded to 3 significant digits
    texts = [t.get_text() for t in ax.texts]
    assert texts == [f"slope {derivative(p):.3g}" for p in points]


def test_tangent_plot_labels_and_curve_over_bounds():
    ax = plot.function_with_tangents(objectives.square, [2.0])
    assert ax.get_xlabel() == r"$\theta$"
    assert ax.get_ylabel() == r"$J(\theta)$"
    assert ax.get_title() == r"Tangents to $J(\theta) = \theta^2$"
    curve = ax.get_lines()[0]
    x = np.asarray(curve.get_xdata())
    assert (x[0], x[-1]) == (-6.0, 6.0)
    np.testing.assert_allclose(curve.get_ydata(), x**2)
    assert tuple(ax.figure.get_size_inches()) == (6.0, 4.0)


def test_tangents_reject_a_2d_objective():
    with pytest.raises(ValueError, match="1-D"):
        plot.function_with_tangents(objectives.rosenbrock, [0.0])


# --------------------------------------------------------------------------- path_1d


def test_path_1d_draws_the_iterates():
    traj = gdteach.run(objectives.square, 5.0, optim.SGD(lr=0.1), 10)
    ax = plot.path_1d(traj)
    line = _line(ax, "SGD(lr=0.1)")
    # θ_k = 5 · (1 − 2η)^k for θ² with plain gradient descent
    np.testing.assert_allclose(line.get_xdata(), 5.0 * 0.8 ** np.arange(11))
    np.testing.assert_array_equal(line.get_ydata(), traj.loss)
    assert ax.get_title() == r"SGD(lr=0.1) on $J(\theta) = \theta^2$"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is None  # one run: the title names it
    # one arrow per update
    arrows = [t for t in ax.texts if t.arrow_patch is not None]
    assert len(arrows) == 10


def test_path_1d_dict_legend_and_divergence():
    runs = gdteach.compare(
        objectives.square, 5.0, {"η = 0.1": optim.SGD(lr=0.1), "η = 3": optim.SGD(lr=3.0)},
        400, warn=False,
    )
    assert runs["η = 3"].stop_reason == "diverged"
    ax = plot.path_1d(runs)
    assert _legend_texts(ax) == ["η = 0.1", "η = 3 (diverged)"]
    np.testing.assert_array_equal(_line(ax, "η = 3 (diverged)").get_xdata(), runs["η = 3"].x)
    # the window grows to show the iterates, but at most 3 widths past the bounds
    lo, hi = ax.get_xlim()
    assert lo >= -6.0 - 36.0 and hi <= 6.0 + 36.0
    assert lo < -6.0


def test_path_1d_rejects_many_starts():
    traj = gdteach.run(objectives.square, [[1.0], [2.0]], optim.SGD(lr=0.1), 3)
    with pytest.raises(ValueError, match="scalar x0"):
        plot.path_1d(traj)


def test_describe_and_compare_lrs():
    axes = plot.compare_lrs(objectives.square, 5.0, [0.1, 0.9, 1.05, 1e-5], steps=10)
    assert [ax.get_title() for ax in axes] == [
        "η = 0.1: converges", "η = 0.9: oscillates", "η = 1.05: grows", "η = 1e-05: stalls",
    ]
    traj = gdteach.run(objectives.square, 5.0, optim.SGD(lr=0.9), 10)
    np.testing.assert_array_equal(axes[1].get_lines()[1].get_xdata(), traj.x)


def test_describe_says_what_the_run_does():
    sq, bowl = objectives.square, objectives.quadratic([0.1, 2.0])
    # η = 1 on θ²: θ = 5, −5, 5, … — the loss never falls, the path bounces forever
    bounce = gdteach.run(sq, 5.0, optim.SGD(lr=1.0), 10)
    np.testing.assert_array_equal(np.abs(bounce.x), 5.0)
    assert plot.describe(bounce) == "bounces"
    assert plot.describe(gdteach.run(objectives.shifted_square(3.0), 0.0, optim.SGD(lr=1.0), 10)) == "bounces"
    # η = 0.3 on 0.1x₁² + 2x₂²: factors 1 − 2ηc = (0.94, −0.2); x₂ flips sign but is gone
    # after a few steps, and from then on every step points the same way: it converges
    calm = gdteach.run(bowl, [4.0, 1.0], optim.SGD(lr=0.3), 25)
    np.testing.assert_allclose(calm.x[1:, 1] / calm.x[:-1, 1], -0.2)
    assert np.all(np.sign(calm.x[1:, 1]) != np.sign(calm.x[:-1, 1]))
    assert plot.describe(calm) == "converges"
    # η = 0.49: x₂ factor −0.96, the zig-zag dominates every step
    assert plot.describe(gdteach.run(bowl, [4.0, 1.0], optim.SGD(lr=0.49), 25)) == "oscillates"
    assert plot.describe(gdteach.run(bowl, [4.0, 1.0], optim.SGD(lr=0.51), 25)) == "grows"
    axes = plot.compare_lrs(bowl, [4.0, 1.0], [0.1, 0.3, 0.49, 0.51], steps=25)
    assert [ax.get_title() for ax in axes] == [
        "η = 0.1: converges", "η = 0.3: converges", "η = 0.49: oscillates", "η = 0.51: grows",
    ]


def test_compare_lrs_colours_each_panel_as_asked():
    lrs = [0.1, 0.9]
    default = plot.compare_lrs(objectives.square, 5.0, lrs, steps=4)
    assert [_line(ax, f"η = {lr:g}").get_color() for ax, lr in zip(default, lrs)] == ["#0072B2"] * 2  # Okabe–Ito blue
    listed = plot.compare_lrs(objectives.square, 5.0, lrs, steps=4, colors=["C0", "C2"])
    assert [_line(ax, f"η = {lr:g}").get_color() for ax, lr in zip(listed, lrs)] == ["C0", "C2"]
    bowl = objectives.quadratic([0.1, 2.0])
    mapped = plot.compare_lrs(bowl, [4.0, 1.0], lrs, steps=4, colors={"η = 0.9": "C4"})
    assert [_line(ax, f"η = {lr:g}").get_color() for ax, lr in zip(mapped, lrs)] == ["#0072B2", "C4"]


# --------------------------------------------------------------------------- contours


def test_contour_paths_extent_minimum_and_paths():
    q = objectives.quadratic([0.1, 2.0])
    runs = gdteach.compare(q, [-4.0, 2.0], {"η=0.4": optim.SGD(lr=0.4), "η=0.1": optim.SGD(lr=0.1)}, 20)
    ax = plot.contour_paths(q, runs, filled=True)
    assert ax.get_xlim() == (-5.0, 5.0) and ax.get_ylim() == (-5.0, 5.0)
    (contours,) = [c for c in ax.collections if c.get_gid() == "contours"]
    vertices = np.concatenate([p.vertices for p in contours.get_paths() if len(p.vertices)])
    # filled contours cover exactly the bounds
    np.testing.assert_allclose(vertices.min(axis=0), [-5.0, -5.0])
    np.testing.assert_allclose(vertices.max(axis=0), [5.0, 5.0])
    star = _line(ax, "minimum")
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (0.0, 0.0)
    assert star.get_marker() == "*"
    for label, traj in runs.items():
        line = _line(ax, label)
        np.testing.assert_array_equal(line.get_xdata(), traj.x[:, 0])
        np.testing.assert_array_equal(line.get_ydata(), traj.x[:, 1])
    assert _legend_texts(ax) == ["minimum", "η=0.4", "η=0.1"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_{1}$", "$x_{2}$")
    assert ax.get_title() == "$f(x) = 0.1x_1^2 + 2x_2^2$"


def test_contour_paths_bounds_and_log_levels():
    ax = plot.contour_paths(
        objectives.rosenbrock, None, levels=12, log_levels=True, bounds=((-1, 1.5), (0, 2))
    )
    assert ax.get_xlim() == (-1.0, 1.5) and ax.get_ylim() == (0.0, 2.0)
    (contours,) = [c for c in ax.collections if c.get_gid() == "contours"]
    levels = np.asarray(contours.levels)
    assert len(levels) == 12
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # geometric spacing
    vertices = np.concatenate([p.vertices for p in contours.get_paths() if len(p.vertices)])
    assert np.all(vertices >= [-1.0 - 1e-9, 0.0 - 1e-9]) and np.all(vertices <= [1.5 + 1e-9, 2.0 + 1e-9])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x$", "$y$")


def test_contour_paths_without_bounds_frames_the_paths():
    X = np.c_[np.linspace(0, 1, 10), np.ones(10)]
    lin = objectives.linear_regression(X, 3 * X[:, 0] + 1)
    traj = gdteach.run(lin, [0.0, 0.0], optim.SGD(lr=0.5), 50)
    ax = plot.contour_paths(lin, traj)
    (xlo, xhi), (ylo, yhi) = ax.get_xlim(), ax.get_ylim()
    assert xlo < traj.x[:, 0].min() and xhi > traj.x[:, 0].max()
    assert ylo < traj.x[:, 1].min() and yhi > traj.x[:, 1].max()
    assert (ax.get_xlabel(), ax.get_ylabel()) == (r"$\theta_{1}$", r"$\theta_{2}$")


# --------------------------------------------------------------------------- loss curves


def test_loss_curves_data_log_scale_and_labels():
    runs = gdteach.compare(
        objectives.square, 5.0, {"η=0.1": optim.SGD(lr=0.1), "η=0.3": optim.SGD(lr=0.3)}, 15
    )
    ax = plot.loss_curves(runs)
    assert ax.get_yscale() == "log"
    for label in runs:
        line = _line(ax, label)
        np.testing.assert_array_equal(line.get_xdata(), np.arange(16))
        # loss_k = 25 (1 − 2η)^(2k)
        eta = float(label.split("=")[1])
        np.testing.assert_allclose(line.get_ydata(), 25 * (1 - 2 * eta) ** (2 * np.arange(16)))
    assert _legend_texts(ax) == ["η=0.1", "η=0.3"]
    assert ax.get_xlabel() == "update (step)" and ax.get_ylabel() == "loss (log scale)"
    assert ax.get_title() == r"Loss on $J(\theta) = \theta^2$"


def test_loss_curves_mask_zero_and_mark_divergence():
    exact = gdteach.run(objectives.square, 5.0, optim.SGD(lr=0.5), 3)  # lands on 0 at step 1
    assert exact.loss.tolist() == [25.0, 0.0, 0.0, 0.0]
    bad = gdteach.run(objectives.square, 5.0, optim.SGD(lr=3.0), 500, warn=False)
    ax = plot.loss_curves({"exact": exact, "too big": bad})
    y = np.asarray(_line(ax, "exact").get_ydata())
    assert y[0] == 25.0 and np.all(np.isnan(y[1:]))
    assert _legend_texts(ax) == ["exact", "too big (diverged)"]
    # the axis stays on the run that did not diverge (not 300 decades tall)
    assert ax.get_ylim()[1] <= 25.0 * 100 * 1.0001
    assert any(line.get_marker() == "x" for line in ax.get_lines())
    # alone, a run that reaches 1e300 still gets a finite log axis (no overflow warning)
    alone = plot.loss_curves(bad)
    assert np.isfinite(alone.get_ylim()).all() and alone.get_ylim()[1] <= 1e300
    assert plot.quantity(bad, "grad_norm", log=True).get_yscale() == "log"
    assert plot.lr_range([0.1, 1.0], [1e-3, 1e300]).get_yscale() == "log"
    linear = plot.loss_curves({"exact": exact}, log=False)
    assert linear.get_yscale() == "linear"
    np.testing.assert_array_equal(_line(linear, "exact").get_ydata(), exact.loss)


def test_loss_curves_per_epoch():
    X = np.c_[np.linspace(0, 1, 10), np.ones(10)]
    lin = objectives.linear_regression(X, 2 * X[:, 0])
    traj = gdteach.run(lin, [0.0, 0.0], optim.SGD(lr=0.1), 12, batch_size=4)  # 3 updates/epoch
    ax = plot.loss_curves(traj, x="epoch")
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(line.get_ydata(), traj.loss[[0, 3, 6, 9, 12]])
    assert ax.get_xlabel() == "epoch"
    full = gdteach.run(lin, [0.0, 0.0], optim.SGD(lr=0.1), 5)  # every update is an epoch
    ax = plot.loss_curves(full, x="epoch")
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), np.arange(6))
    with pytest.raises(ValueError, match="step"):
        plot.loss_curves(full, x="time")


def test_loss_curves_negative_loss_uses_linear_axis():
    traj = gdteach.run(objectives.x_cos(), 10.0, optim.SGD(lr=0.5), 20)
    assert traj.loss.min() < 0
    ax = plot.loss_curves(traj)
    assert ax.get_yscale() == "linear"
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), traj.loss)


# --------------------------------------------------------------------------- lr range


def test_lr_range_marks_divergence_at_the_top():
    lrs = [0.3, 0.01, 0.1, 1.5, 3.0]
    final = [0.2, 5.0, 0.5, float("inf"), float("nan")]
    ax = plot.lr_range(lrs, final)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    ok = _line(ax, "final loss")
    np.testing.assert_array_equal(ok.get_xdata(), [0.01, 0.1, 0.3])  # sorted by lr
    np.testing.assert_array_equal(ok.get_ydata(), [5.0, 0.5, 0.2])
    bad = _line(ax, "diverged")
    assert bad.get_marker() == "x"
    np.testing.assert_array_equal(bad.get_xdata(), [1.5, 3.0])
    np.testing.assert_array_equal(bad.get_ydata(), [0.95, 0.95])  # axes fraction: the top
    assert _legend_texts(ax) == ["final loss", "diverged"]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_lr_range_from_a_sweep():
    runs = gdteach.sweep(objectives.square, 5.0, lambda lr: optim.SGD(lr=lr), [0.01, 0.1, 1.5], 600)
    assert runs[1.5].stop_reason == "diverged"
    ax = plot.lr_range(runs, mark_best=True)
    ok = _line(ax, "final loss")
    np.testing.assert_array_equal(ok.get_xdata(), [0.01, 0.1])
    np.testing.assert_array_equal(ok.get_ydata(), [runs[0.01].final_loss, runs[0.1].final_loss])
    assert "lowest: η = 0.1" in _legend_texts(ax)
    with pytest.raises(ValueError, match="same length"):
        plot.lr_range([0.1, 0.2], [1.0])


# --------------------------------------------------------------------------- quantity


def test_quantity_grad_norm_and_update_ratio():
    traj = gdteach.run(objectives.square, 5.0, optim.SGD(lr=0.1), 8)
    ax = plot.quantity(traj, "grad_norm", log=True)
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), np.arange(8))
    np.testing.assert_allclose(line.get_ydata(), 2 * 5.0 * 0.8 ** np.arange(8))  # |2θ_k|
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "Gradient norm per step"
    # for plain GD on θ², |Δθ| / |θ| = 2η at every step
    ax = plot.quantity({"a": traj}, "update_ratio")
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), 0.2)
    assert ax.get_ylabel().startswith("update ratio")


def test_quantity_components_and_errors():
    traj = gdteach.run(objectives.rosenbrock, [-1.5, 2.0], optim.Adam(lr=0.1), 10)
    ax = plot.quantity(traj, "x")
    assert _legend_texts(ax) == ["$x$", "$y$"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), traj.x[:, 1])
    with pytest.raises(ValueError, match="no quantity"):
        plot.quantity(traj, "speed")
    with pytest.raises(TypeError, match="Trajectory"):
        plot.quantity([1, 2], "x")


def test_race_uses_the_same_colour_for_a_run_on_both_panels():
    runs = gdteach.compare(
        objectives.rosenbrock, [-1.5, 2.0],
        {"SGD": optim.SGD(lr=1e-3), "Adam": optim.Adam(lr=0.05)}, 50,
    )
    left, right = plot.race(runs)
    for label in runs:
        assert _line(left, label).get_color() == _line(right, label).get_color()
    assert _line(left, "SGD").get_color() != _line(left, "Adam").get_color()


def test_race_draws_each_optimizer_in_the_series_style():
    runs = gdteach.compare(
        objectives.quadratic([0.1, 2.0]), [-4.0, 2.0],
        {"nesterov": optim.SGD(lr=0.05, momentum=0.9, nesterov=True), "Adam": optim.Adam(lr=0.3),
         "Adagrad": optim.Adagrad(lr=0.5)}, 30,
    )
    left, right = plot.race(runs)
    # gdteach.style: Nesterov reddish purple dash-dot, Adam black solid, Adagrad bluish green dotted
    expected = {"nesterov": ("#CC79A7", "-."), "Adam": ("#000000", "-"), "Adagrad": ("#009E73", ":")}
    for label, (color, dash) in expected.items():
        for ax in (left, right):
            assert (_line(ax, label).get_color(), _line(ax, label).get_linestyle()) == (color, dash)
    # two runs of one optimizer would look alike: they fall back to the palette order
    same = gdteach.compare(objectives.square, 5.0, {"a": optim.SGD(lr=0.1), "b": optim.SGD(lr=0.2)}, 5)
    left, _ = plot.race(same)
    assert [_line(left, k).get_color() for k in "ab"] == ["#0072B2", "#D55E00"]  # blue, vermillion

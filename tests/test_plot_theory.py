"""The race's small multiples and the momentum rate map (gdteach.plot.race_panels, rate_map)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gdteach  # noqa: E402
from gdteach import optim  # noqa: E402
from gdteach import plot as gdplot  # noqa: E402
from gdteach.objectives import quadratic  # noqa: E402

Q = quadratic([0.02, 2.0])


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_race_panels_draw_each_optimizer_in_its_series_style() -> None:
    runs = gdteach.compare(Q, [-5.0, -2.0], {"SGD (η = 0.4)": optim.SGD(lr=0.4),
                                             "Adam (η = 0.2)": optim.Adam(lr=0.2),
                                             "Momentum": optim.SGD(lr=0.1, momentum=0.9)}, 20)
    axes = gdplot.race_panels(Q, runs, ncols=2, target=1e-6)
    assert [ax.get_title() for ax in axes] == ["SGD (η = 0.4)", "Adam (η = 0.2)", "Momentum", "Loss per update"]
    # Okabe–Ito, as gdteach.style documents: SGD blue solid, Adam black solid, momentum vermillion dashed
    expected = {"SGD (η = 0.4)": ("#0072B2", "-"), "Adam (η = 0.2)": ("#000000", "-"), "Momentum": ("#D55E00", "--")}
    for ax, (label, (color, ls)) in zip(axes, expected.items()):
        path = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 21][0]
        assert (path.get_color(), path.get_linestyle()) == (color, ls)
        np.testing.assert_array_equal(path.get_xdata(), runs[label].x[:, 0])
    curves = {ln.get_label(): ln for ln in axes[-1].get_lines()}
    assert curves["Adam (η = 0.2)"].get_color() == "#000000"
    assert curves["Momentum"].get_linestyle() == "--"


def test_race_panels_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="ncols must be a whole number >= 1, got 0"):
        gdplot.race_panels(Q, {"SGD": gdteach.run(Q, [1.0, 1.0], optim.SGD(lr=0.1), 2)}, ncols=0)
    with pytest.raises(ValueError, match="non-empty"):
        gdplot.race_panels(Q, {})


def test_rate_map_greys_out_exactly_the_divergent_learning_rates_at_beta_0() -> None:
    # β = 0 is plain descent: it diverges for η > 2/λ_max = 0.5 (by hand), converges below
    etas = np.array([0.1, 0.3, 0.49, 0.51, 0.7])
    ax = gdplot.rate_map(etas, np.array([0.0, 0.5]), [0.04, 4.0])
    colour = np.ma.filled(ax.collections[0].get_array(), np.nan).reshape(2, -1)
    assert np.isnan(colour[0]).tolist() == [False, False, False, True, True]
    np.testing.assert_allclose(colour[0, :3], [1 - 0.1 * 0.04, 1 - 0.3 * 0.04, 1 - 0.49 * 0.04])
    # β = 0.5: the limit moves to 2(1 + β)/λ_max = 0.75
    assert not np.isnan(colour[1]).any()


def test_rate_map_needs_two_values_per_axis() -> None:
    with pytest.raises(ValueError, match="at least 2 values"):
        gdplot.rate_map([0.1], [0.0, 0.5], [0.04, 4.0])

"""One visual language: every colour of gdteach.plot comes from gdteach.style, every figure is
at most MAX_WIDTH wide in the series' font size, and a figure is shown with its alt text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
from matplotlib import colors as mcolors  # noqa: E402

import gdteach  # noqa: E402
from gdteach import objectives, optim, plot  # noqa: E402

PLOT = Path(__file__).resolve().parents[1] / "gdteach" / "plot"
COLOUR_KEYWORDS = {"color", "colors", "c", "mec", "mfc", "markeredgecolor", "markerfacecolor", "fc", "ec",
                   "facecolor", "facecolors", "edgecolor", "edgecolors", "cmap"}
NAMED = {name.lower() for name in (*mcolors.CSS4_COLORS, *mcolors.BASE_COLORS, *mcolors.TABLEAU_COLORS,
                                   *mcolors.XKCD_COLORS)}
LOOKS_LIKE_A_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|C\d|tab:\w+|0?\.\d+|1\.0?)$")


def colour_literals(source: str) -> list[str]:
    """Every string literal of ``source`` that names a colour (hex, "C0", a named or grey colour,
    a colour map) outside a docstring, with its line."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    keys = {id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)}  # INK["edge"]
    found, seen = [], set(docstrings) | keys
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in COLOUR_KEYWORDS:
            for leaf in ast.walk(node.value):
                if (isinstance(leaf, ast.Constant) and isinstance(leaf.value, str) and id(leaf) not in seen
                        and leaf.value != "none"):
                    found.append((leaf.lineno, f"line {leaf.lineno}: {node.arg}={leaf.value!r}"))
                    seen.add(id(leaf))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in seen
                and (LOOKS_LIKE_A_COLOUR.match(node.value) or node.value.lower() in NAMED - {"none"}
                     and len(node.value) > 1)):  # "g" alone is a format spec (f"{x:g}")
            found.append((node.lineno, f"line {node.lineno}: {node.value!r}"))
    return [text for _, text in sorted(found)]


@pytest.mark.parametrize("path", sorted(PLOT.glob("*.py")), ids=lambda p: p.name)
def test_no_figure_helper_names_a_colour_outside_the_series_style(path: Path) -> None:
    assert colour_literals(path.read_text()) == []


def test_the_colour_scan_finds_the_tab10_colours_it_replaced() -> None:
    old = 'ax.plot(x, y, color="C0")\nax.plot(x, y, "x", mec="0.35")\nLINE = "#D55E00"\ncmap = "viridis"\n'
    assert colour_literals(old) == ["line 1: color='C0'", "line 2: mec='0.35'", "line 3: '#D55E00'"]
    assert colour_literals('ax.contour(X, Y, Z, cmap="viridis")') == ["line 1: cmap='viridis'"]


def test_lr_range_marks_divergence_and_the_best_rate_in_series_colours() -> None:
    ax = plot.lr_range([0.01, 0.1, 1.0], [0.5, 0.01, float("inf")], mark_best=True)
    used = {mcolors.to_hex(line.get_color()).upper() for line in ax.get_lines()}
    used |= {mcolors.to_hex(line.get_markeredgecolor()).upper() for line in ax.get_lines()}
    palette = {c.upper() for c in gdteach.style.OKABE_ITO.values()} | {c.upper() for c in gdteach.style.INK.values()}
    assert used <= palette, used - palette
    mpl.pyplot.close("all")


def test_tangents_are_drawn_in_the_series_palette_not_tab10() -> None:
    ax = plot.function_with_tangents(objectives.square, [-1.0, 2.0])
    tab10 = {mcolors.to_hex(c).upper() for c in mcolors.TABLEAU_COLORS.values()}
    used = {mcolors.to_hex(line.get_color()).upper() for line in ax.get_lines()}
    assert used and not used & tab10
    mpl.pyplot.close("all")


def test_compare_lrs_wraps_so_a_row_of_panels_fits_the_widest_figure() -> None:
    axes = plot.compare_lrs(objectives.square, 5.0, [0.1, 0.3, 0.6, 0.9], steps=5)
    fig = axes[0].figure
    assert fig.get_figwidth() <= plot.MAX_WIDTH
    rows = {ax.get_subplotspec().rowspan.start for ax in axes}
    assert rows == {0, 1}                                  # 4 panels: 2 × 2, not 1 × 4 at 12.8 in
    mpl.pyplot.close("all")


def test_a_diverging_panel_draws_the_curve_under_every_iterate_it_shows() -> None:
    f = objectives.shifted_square(3.0)
    traj = gdteach.run(f, 0.0, optim.SGD(lr=1.5), 10, warn=False)
    ax = plot.path_1d({"η = 1.5": traj}, shown=4)
    curve = next(line for line in ax.get_lines() if line.get_label() == "_curve")
    iterates = next(line for line in ax.get_lines() if line.get_label().startswith("η"))
    xs = iterates.get_xdata()
    # w_k = 3 − 3·(−2)^k: the first four updates reach 3 − 3·16 = −45 and 3 + 3·8 = 27
    assert sorted(xs.tolist()) == sorted(3 - 3 * (-2.0) ** k for k in range(5))
    assert curve.get_xdata().min() <= xs.min() and curve.get_xdata().max() >= xs.max()
    lo, hi = ax.get_xlim()
    assert lo <= xs.min() and hi >= xs.max()
    mpl.pyplot.close("all")


def test_a_path_that_leaves_the_frame_is_marked_where_it_leaves() -> None:
    traj = gdteach.run(objectives.rosenbrock, [-1.5, 2.0], optim.SGD(lr=0.05), 3, warn=False)
    ax = plot.contour_paths(objectives.rosenbrock, {"too fast": traj}, bounds=((-2, 2), (-1, 3)))
    leaves = [line for line in ax.get_lines() if line.get_label() == "_leaves"]
    x = traj.x
    outside = ~((x[:, 0] >= -2) & (x[:, 0] <= 2) & (x[:, 1] >= -1) & (x[:, 1] <= 3))
    assert outside.any() and len(leaves) == 1            # ∂f/∂x(−1.5, 2) = −5 − 150: x₁ = −1.5 + 0.05·155 = 6.25
    ex, ey = leaves[0].get_xdata()[0], leaves[0].get_ydata()[0]
    assert -2 <= ex <= 2 and -1 <= ey <= 3 and (ex in (-2, 2) or ey in (-1, 3))
    mpl.pyplot.close("all")


def test_race_legends_show_each_optimizer_in_its_own_line_style() -> None:
    runs = gdteach.compare(objectives.quadratic([0.1, 2.0]), [-4.0, 2.0],
                           {"SGD": optim.SGD(lr=0.4), "momentum": optim.SGD(lr=0.1, momentum=0.9)}, 20)
    for ax in plot.race(runs):
        styles = {text.get_text(): handle.get_linestyle()
                  for handle, text in zip(ax.get_legend().legend_handles, ax.get_legend().get_texts())}
        assert styles["momentum"] == "--" and styles["SGD"] == "-", styles
    mpl.pyplot.close("all")


def test_show_stores_the_alt_text_in_the_image_and_as_plain_text() -> None:
    import base64
    import struct

    fig, ax = mpl.pyplot.subplots(figsize=(3, 2), dpi=100)
    ax.plot([0, 1], [0, 1])
    bundle = plot.figure_bundle(fig, "Two <b>bold</b> claims")
    assert bundle["text/plain"] == "Two <b>bold</b> claims"
    found = re.search(r'src="data:image/png;base64,([^"]+)" alt="([^"]+)" width="(\d+)" height="(\d+)"',
                      bundle["text/html"])
    assert found and found.group(2) == "Two &lt;b&gt;bold&lt;/b&gt; claims"
    png = base64.b64decode(found.group(1))
    width, height = struct.unpack(">II", png[16:24])
    # retina: the PNG has twice the pixels of the size it is shown at (about the 300 × 200 figure)
    assert abs(width - 2 * int(found.group(3))) <= 1 and abs(height - 2 * int(found.group(4))) <= 1
    assert 250 < int(found.group(3)) <= 300 and 150 < int(found.group(4)) <= 200
    with pytest.raises(ValueError, match="alt must be a sentence"):
        plot.figure_bundle(fig, "  ")
    mpl.pyplot.close("all")

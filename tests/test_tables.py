"""Worked-example tables: article D's (w − 3)² table, written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from gdteach import Table, objectives, optim, run, worked_example

# Article D: f(w) = (w − 3)², w0 = 0, lr 0.1. By hand, w_new = w − 0.1·2(w − 3) = 0.8 w + 0.6:
#   step  w        gradient   w_new
#   1     0        −6         0.6
#   2     0.6      −4.8       1.08
#   3     1.08     −3.84      1.464
#   4     1.464    −3.072     1.7712
#   5     1.7712   −2.4576    2.01696
F = objectives.shifted_square(3.0)
W = [0.0, 0.6, 1.08, 1.464, 1.7712, 2.01696]
GRAD = [-6.0, -4.8, -3.84, -3.072, -2.4576]


def article_d(**options) -> Table:
    return worked_example(F, 0.0, optim.SGD(lr=0.1), 5, **options)


def test_default_text_table_for_article_d() -> None:
    expected = "\n".join(
        [
            "step |   x    | gradient |  update | new x",
            "-----+--------+----------+---------+-------",
            "   1 | 0.0000 |  -6.0000 | -0.6000 | 0.6000",
            "   2 | 0.6000 |  -4.8000 | -0.4800 | 1.0800",
            "   3 | 1.0800 |  -3.8400 | -0.3840 | 1.4640",
            "   4 | 1.4640 |  -3.0720 | -0.3072 | 1.7712",
            "   5 | 1.7712 |  -2.4576 | -0.2458 | 2.0170",
        ]
    )
    table = article_d()
    assert str(table) == expected
    assert repr(table) == expected


def test_article_d_values_are_the_hand_computed_numbers() -> None:
    table = article_d()
    np.testing.assert_allclose(table.values["x"], W[:-1], rtol=1e-15)
    np.testing.assert_allclose(table.values["grad"], GRAD, rtol=1e-14)
    np.testing.assert_allclose(table.values["x_new"], W[1:], rtol=1e-15)
    np.testing.assert_allclose(table.values["update"], 0.1 * np.array(GRAD), rtol=1e-13)
    assert table.values["step"] == [1, 2, 3, 4, 5]


def test_markdown_in_the_articles_own_digits() -> None:
    table = article_d(
        columns=("step", "x", "grad", "x_new"),
        headers=("Step", "w (before)", "Gradient: 2(w - 3)", "New w"),
        digits=5,
        strip_zeros=True,
    )
    assert table.to_markdown() == "\n".join(
        [
            "| Step | w (before) | Gradient: 2(w - 3) | New w |",
            "|---:|---:|---:|---:|",
            "| 1 | 0 | -6 | 0.6 |",
            "| 2 | 0.6 | -4.8 | 1.08 |",
            "| 3 | 1.08 | -3.84 | 1.464 |",
            "| 4 | 1.464 | -3.072 | 1.7712 |",
            "| 5 | 1.7712 | -2.4576 | 2.01696 |",
        ]
    )


def test_markdown_title_is_bold_above_the_table() -> None:
    lines = article_d(columns=("x_new",), digits=1, title="Article D").to_markdown().splitlines()
    assert lines[:4] == ["**Article D**", "", "| new x |", "|---:|"]
    assert lines[4:] == ["| 0.6 |", "| 1.1 |", "| 1.5 |", "| 1.8 |", "| 2.0 |"]


def test_html_escapes_title_and_headers() -> None:
    table = worked_example(
        F, 0.0, optim.SGD(lr=0.1), 2, columns=("step", "x_new"), headers=("k", "w < 3"),
        digits=2, title="(w − 3)² & lr 0.1",
    )
    cell = '<td style="text-align:right">'
    assert table._repr_html_() == (
        "<table><caption>(w − 3)² &amp; lr 0.1</caption>"
        "<thead><tr><th>k</th><th>w &lt; 3</th></tr></thead><tbody>"
        f"<tr>{cell}1</td>{cell}0.60</td></tr>"
        f"<tr>{cell}2</td>{cell}1.08</td></tr>"
        "</tbody></table>"
    )
    assert str(table).splitlines()[0] == "(w − 3)² & lr 0.1"


def test_loss_lr_and_new_loss_columns() -> None:
    # θ² from 5, lr 0.1: θ = 5, 4, 3.2 and f = 25, 16, 10.24
    table = worked_example(
        objectives.square, 5.0, optim.SGD(lr=0.1), 2, columns=("loss", "lr", "loss_new"), digits=2
    )
    assert table.headers == ("f(x)", "lr", "new f(x)")
    assert table.rows == (("25.00", "0.10", "16.00"), ("16.00", "0.10", "10.24"))


def test_vector_parameters_print_as_lists() -> None:
    # 0.1 x1² + 2 x2², lr 0.2 from (1, 1): g = (0.2, 4), new x = (0.96, 0.2)
    table = worked_example(
        objectives.quadratic([0.1, 2.0]), [1.0, 1.0], optim.SGD(lr=0.2), 1,
        columns=("x", "grad", "x_new"), digits=2,
    )
    assert table.rows == (("[1.00, 1.00]", "[0.20, 4.00]", "[0.96, 0.20]"),)


def test_a_finished_trajectory_gives_the_same_table() -> None:
    traj = run(F, 0.0, optim.SGD(lr=0.1), 5)
    assert str(worked_example(traj)) == str(article_d())


def test_negative_values_that_round_to_zero_print_as_zero() -> None:
    table = worked_example(objectives.square, -1e-6, optim.SGD(lr=0.1), 1, columns=("x", "x_new"))
    assert table.rows == (("0.0000", "0.0000"),)
    stripped = worked_example(
        objectives.square, -1e-6, optim.SGD(lr=0.1), 1, columns=("x",), strip_zeros=True
    )
    assert stripped.rows == (("0",),)


def test_unknown_column_is_rejected_with_the_choices() -> None:
    with pytest.raises(ValueError, match=r"^columns\[1\] must be 'step', 'x', .* or 'loss_new', got 'gradient'$"):
        article_d(columns=("step", "gradient"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"headers": ("a", "b")}, r"headers must name 5 columns, got 2"),
        ({"digits": -1}, r"digits must be a whole number >= 0, got -1"),
        ({"digits": 2.5}, r"digits must be a whole number >= 0, got 2\.5"),
    ],
)
def test_bad_table_options_are_rejected(options, message) -> None:
    with pytest.raises(ValueError, match=message):
        article_d(**options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"digits": True}, r"^digits must be a whole number >= 0, got True$"),
        ({"strip_zeros": "yes"}, r"^strip_zeros must be True or False, got 'yes'$"),
    ],
)
def test_booleans_for_numbers_and_words_for_switches_are_type_errors(options, message) -> None:
    with pytest.raises(TypeError, match=message):
        article_d(**options)


def test_source_must_be_a_trajectory_or_a_complete_objective_call() -> None:
    with pytest.raises(TypeError, match=r"needs all four"):
        worked_example(F, 0.0, optim.SGD(lr=0.1))
    with pytest.raises(TypeError, match=r"source must be a Trajectory or an Objective, got 3"):
        worked_example(3)

"""gdteach.checks: each check accepts what it should, and names the argument and the value
when it refuses (TypeError for the wrong kind of thing, ValueError for out of range)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from gdteach import checks


@pytest.mark.parametrize("value", [0.5, 3, np.float32(0.25), np.int64(7)])
def test_numbers_of_any_real_type_come_back_as_floats(value) -> None:
    out = checks.check_number("x", value)
    assert type(out) is float and out == float(value)


@pytest.mark.parametrize("value", [True, False, np.True_, "0.1", None, [0.1], np.array([0.1])])
def test_booleans_strings_and_containers_are_not_numbers(value) -> None:
    with pytest.raises(TypeError, match=rf"^lr must be a number, got {re.escape(repr(value))}$"):
        checks.check_number("lr", value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_rejected_unless_asked_for(value) -> None:
    with pytest.raises(ValueError, match=rf"^tol must be a finite number, got {value!r}$"):
        checks.check_number("tol", value)
    assert checks.check_number("tol", value, finite=False) is not None


def test_positive_and_nonnegative_draw_the_line_at_zero() -> None:
    assert checks.check_nonnegative("k", 0) == 0.0
    with pytest.raises(ValueError, match=r"^lr must be positive, got 0$"):
        checks.check_positive("lr", 0)
    with pytest.raises(ValueError, match=r"^lr must be positive, got -0\.1$"):
        checks.check_positive("lr", -0.1)
    with pytest.raises(ValueError, match=r"^k must be >= 0, got -1e-12$"):
        checks.check_nonnegative("k", -1e-12)
    with pytest.raises(TypeError, match=r"^momentum must be a number, got True$"):
        checks.check_nonnegative("momentum", True)


@pytest.mark.parametrize(
    ("value", "include_low", "include_high", "ok", "interval"),
    [
        (0.0, True, False, True, "[0, 1)"),
        (1.0, True, False, False, "[0, 1)"),
        (1.0, True, True, True, "[0, 1]"),
        (0.0, False, True, False, "(0, 1]"),
        (-0.1, True, True, False, "[0, 1]"),
    ],
)
def test_in_range_honours_open_and_closed_ends(value, include_low, include_high, ok, interval):
    call = lambda: checks.check_in_range(  # noqa: E731
        "beta", value, 0, 1, include_low=include_low, include_high=include_high
    )
    if ok:
        assert call() == value
    else:
        with pytest.raises(ValueError, match=rf"^beta must be in {re.escape(interval)}, got"):
            call()


def test_probability_is_the_closed_unit_interval() -> None:
    assert checks.check_probability("rho", 1) == 1.0
    with pytest.raises(ValueError, match=r"^rho must be in \[0, 1\], got 1\.5$"):
        checks.check_probability("rho", 1.5)


def test_int_accepts_numpy_integers_and_rejects_floats_and_booleans() -> None:
    assert checks.check_int("steps", np.int32(4), minimum=1) == 4
    with pytest.raises(ValueError, match=r"^steps must be a whole number >= 1, got 2\.0$"):
        checks.check_int("steps", 2.0, minimum=1)
    with pytest.raises(ValueError, match=r"^steps must be a whole number >= 1, got 0$"):
        checks.check_int("steps", 0, minimum=1)
    with pytest.raises(TypeError, match=r"^steps must be a whole number >= 1, got True$"):
        checks.check_int("steps", True, minimum=1)
    with pytest.raises(TypeError, match=r"^n must be a whole number, got '3'$"):
        checks.check_int("n", "3")


def test_flag_is_only_true_or_false() -> None:
    assert checks.check_flag("shuffle", np.False_) is False
    with pytest.raises(TypeError, match=r"^nesterov must be True or False, got 1$"):
        checks.check_flag("nesterov", 1)


def test_choice_lists_the_options_and_does_not_take_true_for_one() -> None:
    assert checks.check_choice("convention", "half", ("mean", "half")) == "half"
    with pytest.raises(ValueError, match=r"^mode must be 'a', 'b' or 'c', got 'd'$"):
        checks.check_choice("mode", "d", "abc")
    with pytest.raises(ValueError, match=r"^n must be 1 or 2, got True$"):
        checks.check_choice("n", True, (1, 2))
    with pytest.raises(ValueError, match=r"^n must be 1 or 2, got \[1\]$"):
        checks.check_choice("n", [1], (1, 2))


def test_finite_array_converts_and_rejects_non_numbers() -> None:
    out = checks.check_finite_array("x0", [[1, 2], [3, 4]])
    assert out.dtype == float and out.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    for bad in ("abc", [True, False], [[1.0], [1.0, 2.0]], [1 + 2j]):
        with pytest.raises(TypeError, match=r"^x0 must be an array of numbers, got "):
            checks.check_finite_array("x0", bad)
    with pytest.raises(ValueError, match=r"^x0 must be finite, got \[1\.0, inf\]$"):
        checks.check_finite_array("x0", [1.0, math.inf])
    data = np.zeros((20, 3))
    data[7, 2] = data[9, 0] = math.nan
    with pytest.raises(ValueError, match=r"^X must be finite, got 2 non-finite value\(s\) in an array "
                                         r"of shape \(20, 3\), first at index \[7, 2\]$"):
        checks.check_finite_array("X", data)


def test_numbers_normalise_lists_and_arrays_to_a_tuple_of_floats() -> None:
    assert checks.check_numbers("betas", [0.9, 1], 2) == (0.9, 1.0)
    assert checks.check_numbers("betas", np.array([0.5, 0.25]), 2) == (0.5, 0.25)
    with pytest.raises(ValueError, match=r"^betas must be a pair \(b1, b2\), got \[0\.9\]$"):
        checks.check_numbers("betas", [0.9], 2, "(b1, b2)")
    with pytest.raises(TypeError, match=r"^betas must be a pair, got '09'$"):
        checks.check_numbers("betas", "09", 2)
    with pytest.raises(TypeError, match=r"^betas\[1\] must be a number, got True$"):
        checks.check_numbers("betas", (0.9, True), 2)

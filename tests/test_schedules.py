"""Learning-rate schedules against their closed forms."""

from __future__ import annotations

import dataclasses
import math

import pytest

from gdteach import schedules


def test_constant_is_the_same_at_every_step() -> None:
    s = schedules.constant(0.1)
    assert [s(t) for t in (0, 1, 1000)] == [0.1, 0.1, 0.1]


def test_step_decay_multiplies_by_factor_every_period_with_floor() -> None:
    s = schedules.step_decay(1.0, factor=0.5, every=3)
    # lr0 · factor^⌊t/3⌋
    assert [s(t) for t in range(9)] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]
    # without the floor t = 5 would give 0.5^(5/3) = 0.315
    assert s(5) != pytest.approx(0.5 ** (5 / 3))
    tenth = schedules.step_decay(0.1, factor=0.1, every=10)
    assert [tenth(t) for t in (0, 9, 10, 19, 20, 35)] == pytest.approx(
        [0.1, 0.1, 0.01, 0.01, 0.001, 0.0001], rel=1e-14
    )


def test_exponential_decay_is_lr0_times_e_to_minus_kt() -> None:
    s = schedules.exponential_decay(0.1, k=0.1)
    assert s(0) == 0.1
    assert s(10) == pytest.approx(0.1 / math.e, rel=1e-15)
    assert s(20) == pytest.approx(0.1 / math.e**2, rel=1e-15)
    assert schedules.exponential_decay(0.3, k=0.0)(50) == 0.3


def test_inverse_time_decay_is_lr0_over_one_plus_kt() -> None:
    s = schedules.inverse_time_decay(0.1, k=0.5)
    assert [s(t) for t in (0, 2, 4, 18)] == pytest.approx([0.1, 0.05, 0.1 / 3, 0.01], rel=1e-15)


def test_cosine_half_cosine_from_lr0_to_lr_min_then_flat() -> None:
    s = schedules.cosine(0.1, total_steps=100)
    assert s(0) == 0.1
    assert s(25) == pytest.approx(0.05 * (1 + math.sqrt(2) / 2), rel=1e-15)
    assert s(50) == pytest.approx(0.05, rel=1e-15)
    assert s(100) == 0.0  # the end: ½·0.1·(1 + cos π) = 0
    assert s(150) == 0.0  # flat after total_steps
    floor = schedules.cosine(0.1, total_steps=10, lr_min=0.01)
    assert floor(5) == pytest.approx(0.01 + 0.5 * 0.09, rel=1e-15)
    assert floor(10) == pytest.approx(0.01, rel=1e-15) and floor(99) == floor(10)


def test_linear_warmup_ramps_then_holds_or_hands_over() -> None:
    s = schedules.linear_warmup(0.1, warmup_steps=4)
    # lr0·(t + 1)/4 for t < 4, then lr0
    assert [s(t) for t in range(6)] == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1, 0.1])
    after = schedules.linear_warmup(0.1, 4, after=schedules.cosine(0.1, total_steps=10))
    assert after(4) == 0.1  # after(0)
    assert after(9) == pytest.approx(0.05, rel=1e-15)  # after(5): half way down
    assert after(14) == 0.0  # after(10): the end


def test_schedules_are_pure_and_frozen() -> None:
    s = schedules.step_decay(0.1, 0.5, 2)
    assert [s(3), s(3), s(0)] == [0.05, 0.05, 0.1]
    assert s == schedules.step_decay(0.1, 0.5, 2)
    assert repr(s) == "step_decay(lr0=0.1, factor=0.5, every=2)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.lr0 = 1.0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: schedules.constant(0.0), r"lr0 must be positive, got 0\.0"),
        (lambda: schedules.constant(-0.1), r"lr0 must be positive, got -0\.1"),
        (lambda: schedules.step_decay(0.1, factor=0.0), r"factor must be positive, got 0\.0"),
        (lambda: schedules.step_decay(0.1, every=0), r"every must be a whole number >= 1, got 0"),
        (lambda: schedules.step_decay(0.1, every=2.5), r"every must be .*, got 2\.5"),
        (lambda: schedules.exponential_decay(0.1, k=-1.0), r"k must be >= 0, got -1\.0"),
        (lambda: schedules.inverse_time_decay(0.1, k=math.nan), r"k must be a finite number, got nan"),
        (lambda: schedules.cosine(0.1, total_steps=0), r"total_steps must be .* >= 1, got 0"),
        (lambda: schedules.cosine(0.1, total_steps=2.5), r"total_steps must be .*, got 2\.5"),
        (lambda: schedules.cosine(0.1, 10, lr_min=-0.1), r"lr_min must be >= 0, got -0\.1"),
        (lambda: schedules.linear_warmup(0.1, warmup_steps=0), r"warmup_steps must .*, got 0"),
    ],
)
def test_bad_schedule_arguments_name_the_argument_and_value(make, message) -> None:
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: schedules.step_decay(0.1, every=True), r"^every must be a whole number >= 1, got True$"),
        (lambda: schedules.cosine(0.1, total_steps=True), r"^total_steps must be .* >= 1, got True$"),
        (lambda: schedules.linear_warmup(0.1, warmup_steps=True), r"^warmup_steps .* >= 1, got True$"),
        (lambda: schedules.constant(True), r"^lr0 must be a number, got True$"),
        (lambda: schedules.exponential_decay(0.1, k=False), r"^k must be a number, got False$"),
        (lambda: schedules.cosine(0.1, 10, lr_min="0"), r"^lr_min must be a number, got '0'$"),
        (lambda: schedules.linear_warmup(0.1, 3, after=0.01), r"^after must be a schedule .*got 0\.01$"),
    ],
)
def test_booleans_and_other_non_numbers_are_type_errors_naming_the_argument(make, message) -> None:
    with pytest.raises(TypeError, match=message):
        make()


@pytest.mark.parametrize(("step", "error"), [(-1, ValueError), (2.5, ValueError), (True, TypeError)])
def test_step_must_be_a_whole_number(step, error) -> None:
    with pytest.raises(error, match=rf"^step must be a whole number >= 0, got {step!r}$"):
        schedules.step_decay(0.1)(step)

"""Argument checks shared by the whole package: one place, one wording.

Every check takes the argument's ``name`` and its ``value``, returns the value in a
normal form (a ``float``, an ``int``, a ``tuple``, a float array) and otherwise raises
an error that names both::

    ValueError("lr must be positive, got -0.1")
    TypeError("momentum must be a number, got True")

The rule for which error: **TypeError** when the value is not the kind of thing asked
for at all (a string, ``None``, a list where a number goes, and ``True``/``False``
wherever a number is expected: ``bool`` is a subclass of ``int`` in Python, so
``momentum=True`` would otherwise slip through as 1); **ValueError** when it is the
right kind but out of range (negative, not finite, not whole, not one of the options).

Use these from the package's modules (optim, schedules, run, tables, objectives,
widgets, the grader) instead of writing a check again.

>>> check_positive("lr", 0.1)
0.1
>>> check_positive("lr", -0.1)
Traceback (most recent call last):
...
ValueError: lr must be positive, got -0.1
>>> check_nonnegative("momentum", True)
Traceback (most recent call last):
...
TypeError: momentum must be a number, got True
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "is_number",
    "check_number",
    "check_positive",
    "check_nonnegative",
    "check_in_range",
    "check_probability",
    "check_int",
    "check_flag",
    "check_choice",
    "check_finite_array",
    "check_numbers",
]

T = TypeVar("T")


def is_number(value: Any) -> bool:
    """Whether ``value`` is a real number that is not a boolean (numpy scalars count).

    >>> is_number(0.5), is_number(np.float32(2)), is_number(True), is_number("1")
    (True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_number(name: str, value: Any, *, finite: bool = True) -> float:
    """``value`` as a float; a TypeError unless it is a number (booleans are not), a
    ValueError if ``finite`` and it is nan or ±inf.

    >>> check_number("x", 3)
    3.0
    >>> check_number("tol", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: tol must be a finite number, got nan
    """
    if not is_number(value):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if finite and not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def check_positive(name: str, value: Any) -> float:
    """A finite number > 0, as a float.

    >>> check_positive("eps", 0.0)
    Traceback (most recent call last):
    ...
    ValueError: eps must be positive, got 0.0
    """
    number = check_number(name, value)
    if not number > 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return number


def check_nonnegative(name: str, value: Any) -> float:
    """A finite number ≥ 0, as a float.

    >>> check_nonnegative("weight_decay", -0.5)
    Traceback (most recent call last):
    ...
    ValueError: weight_decay must be >= 0, got -0.5
    """
    number = check_number(name, value)
    if not number >= 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return number


def check_in_range(
    name: str,
    value: Any,
    low: float,
    high: float,
    *,
    include_low: bool = True,
    include_high: bool = True,
) -> float:
    """A number in the interval from ``low`` to ``high`` (each end included unless said
    otherwise), as a float. The message writes the interval: [0, 1) leaves 1 out.

    >>> check_in_range("betas[1]", 0.999, 0, 1, include_high=False)
    0.999
    >>> check_in_range("alpha", 1.0, 0, 1, include_high=False)
    Traceback (most recent call last):
    ...
    ValueError: alpha must be in [0, 1), got 1.0
    """
    number = check_number(name, value)
    above = number >= low if include_low else number > low
    below = number <= high if include_high else number < high
    if not (above and below):
        interval = f"{'[' if include_low else '('}{low:g}, {high:g}{']' if include_high else ')'}"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return number


def check_probability(name: str, value: Any) -> float:
    """A number in [0, 1], as a float.

    >>> check_probability("rho", 1.5)
    Traceback (most recent call last):
    ...
    ValueError: rho must be in [0, 1], got 1.5
    """
    return check_in_range(name, value, 0.0, 1.0)


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """A whole number (a Python or numpy integer, not a boolean) ≥ ``minimum``, as an int.
    A float is a ValueError even when it is whole (2.0): counts are integers.

    >>> check_int("steps", np.int64(3), minimum=1)
    3
    >>> check_int("steps", 0, minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: steps must be a whole number >= 1, got 0
    """
    wanted = "a whole number" + ("" if minimum is None else f" >= {minimum}")
    if not is_number(value):
        raise TypeError(f"{name} must be {wanted}, got {value!r}")
    if not isinstance(value, numbers.Integral) or (minimum is not None and value < minimum):
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return int(value)


def check_flag(name: str, value: Any) -> bool:
    """``True`` or ``False`` (numpy booleans too); anything else is a TypeError, so that
    ``nesterov=0.9`` (a slip for ``momentum=0.9``) does not pass as "true".

    >>> check_flag("nesterov", "yes")
    Traceback (most recent call last):
    ...
    TypeError: nesterov must be True or False, got 'yes'
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _or_list(options: Sequence[Any]) -> str:
    words = [repr(o) for o in options]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def check_choice(name: str, value: Any, options: Sequence[T]) -> T:
    """One of ``options`` (compared with ==).

    >>> check_choice("convention", "sum", ("mean", "half"))
    Traceback (most recent call last):
    ...
    ValueError: convention must be 'mean' or 'half', got 'sum'
    """
    options = tuple(options)
    try:
        found = value in options
    except TypeError:  # an unhashable value against a set-like options object
        found = False
    if not found or isinstance(value, bool) and not any(o is value for o in options):
        raise ValueError(f"{name} must be {_or_list(options)}, got {value!r}")
    return value


def check_finite_array(name: str, value: Any) -> np.ndarray:
    """``value`` as a float array with every entry finite. Booleans, strings and ragged
    lists are a TypeError; nan or ±inf a ValueError.

    >>> check_finite_array("x0", [1, 2])
    array([1., 2.])
    >>> check_finite_array("x0", [1.0, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: x0 must be finite, got [1.0, nan]
    >>> check_finite_array("X", np.r_[np.zeros(11), np.inf])   # large arrays are summarised
    Traceback (most recent call last):
    ...
    ValueError: X must be finite, got 1 non-finite value(s) in an array of shape (12,), first at index [11]
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as err:  # ragged lists
        raise TypeError(f"{name} must be an array of numbers, got {value!r}") from err
    if raw.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of numbers, got {value!r}")
    array = raw.astype(float)
    finite = np.isfinite(array)
    if not np.all(finite):
        if array.size <= 10:
            raise ValueError(f"{name} must be finite, got {value!r}")
        raise ValueError(
            f"{name} must be finite, got {array.size - int(finite.sum())} non-finite value(s) "
            f"in an array of shape {array.shape}, first at index {np.argwhere(~finite)[0].tolist()}"
        )
    return array


def check_numbers(name: str, value: Any, length: int, what: str | None = None) -> tuple[float, ...]:
    """A list, tuple or 1-D array of ``length`` numbers, as a tuple of floats (so that a
    hyperparameter given as a list equals, and hashes like, the same tuple). Each entry is
    only checked to be a number here; check its range with ``f"{name}[{i}]"``.
    ``what`` names the entries in the message, e.g. ``"(beta1, beta2)"``.

    >>> check_numbers("betas", [0.9, 0.999], 2)
    (0.9, 0.999)
    >>> check_numbers("betas", (0.9,), 2, "(beta1, beta2)")
    Traceback (most recent call last):
    ...
    ValueError: betas must be a pair (beta1, beta2), got (0.9,)
    """
    wanted = {1: "one number", 2: "a pair", 3: "a triple"}.get(length, f"{length} numbers")
    wanted += f" {what}" if what else ""
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{name} must be {wanted}, got {value!r}")
    if len(value) != length:
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return tuple(check_number(f"{name}[{i}]", v, finite=False) for i, v in enumerate(value))

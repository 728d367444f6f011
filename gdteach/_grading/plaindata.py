"""The plain-data format of answers: what the sandbox sends back and the grader compares.

An answer is plain data: a bool, a float, or (nested) lists of them, as JSON carries it.
``plain`` turns a learner's result into it (the grader copies this very function into the
probe that runs in the sandbox), ``is_plain`` checks what came back, ``same`` compares with
a tolerance, ``show`` and ``difference`` put it in words.

>>> same(plain(np.array([0.6, 1.08])), [0.6, 1.0800000000000001], rtol=1e-9, atol=0.0)
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np  # noqa: F401  (used by the doctest)

__all__ = ["plain", "is_plain", "same", "show", "difference"]


def plain(value, _depth=0):
    """``value`` as JSON-ready data: a bool, a float, or (nested) lists of them.

    Anything else (None, strings, objects that merely claim to be equal to everything)
    raises TypeError. The grader runs this very function inside the kernel (it is copied
    into the probe), so it takes its types from literals rather than from builtins a
    submission could have replaced; the grader then checks the data again on its side.
    """
    import numpy

    float_, bool_, list_, tuple_ = (0.0).__class__, (True).__class__, [].__class__, ().__class__
    is_a = float_.__class__.__instancecheck__  # type.__instancecheck__, i.e. isinstance
    numbers = ((0).__class__, float_, numpy.integer, numpy.floating)
    if _depth > 6:
        raise TypeError("the result is nested too deeply")
    if value is None:
        raise TypeError("returned None: did you forget the return statement?")
    if is_a(bool_, value) or is_a(numpy.bool_, value):
        return bool_(value)
    for kind in numbers:
        if is_a(kind, value):
            return float_(value)
    if is_a(numpy.ndarray, value):
        if value.size > 100_000:
            raise TypeError("the result is too large")
        if value.ndim == 0:
            return plain(value[()], _depth + 1)
        return [plain(item, _depth + 1) for item in value]
    if is_a(list_, value) or is_a(tuple_, value):
        if value.__len__() > 100_000:
            raise TypeError("the result is too long")
        return [plain(item, _depth + 1) for item in value]
    raise TypeError(f"returned a {value.__class__.__name__}, not a number or an array of numbers")


def is_plain(data: Any, _depth: int = 0) -> bool:
    """Whether ``data`` (parsed JSON) is plain: bools, numbers and lists of them only."""
    if _depth > 7:
        return False
    if type(data) in (bool, int, float):
        return True
    if type(data) is list:
        return len(data) <= 100_000 and all(is_plain(item, _depth + 1) for item in data)
    return False


def same(expected: Any, got: Any, *, rtol: float, atol: float) -> bool:
    """Whether plain ``got`` matches plain ``expected``: same structure, bools equal,
    numbers within ``atol + rtol·|expected|`` (non-finite numbers must be identical)."""
    if type(expected) is bool:
        return type(got) is bool and got == expected
    if type(expected) is float:
        if type(got) not in (int, float):
            return False
        got = float(got)
        if not (math.isfinite(expected) and math.isfinite(got)):
            return got == expected or (math.isnan(got) and math.isnan(expected))
        return abs(got - expected) <= atol + rtol * abs(expected)
    if type(expected) is list:
        return (
            type(got) is list
            and len(got) == len(expected)
            and all(same(e, g, rtol=rtol, atol=atol) for e, g in zip(expected, got))
        )
    return False


def show(data: Any, digits: int = 7, limit: int = 8) -> str:
    """Short text for plain data (or a case's raw input value)."""
    if isinstance(data, bool) or data is None:
        return str(data)
    if isinstance(data, float):
        return f"{data:.{digits}g}"
    if isinstance(data, (int, str)):
        return str(data)
    if isinstance(data, (list, tuple)):
        items = [show(item, digits, limit) for item in list(data)[:limit]]
        if len(data) > limit:
            items.append(f"… ({len(data)} items)")
        return "[" + ", ".join(items) + "]"
    return repr(data)


def _kind(data: Any) -> str:
    if type(data) is bool:
        return "True/False"
    if type(data) in (int, float):
        return "a number"
    if type(data) is list:
        return f"a list of {len(data)}"
    return "something else"


def difference(expected: Any, got: Any, *, rtol: float, atol: float, where: str = "") -> str:
    """Where plain ``got`` first differs from ``expected``, in words ("" if it matches).

    >>> difference([1.0, 2.0], [1.0, 2.5], rtol=0.0, atol=1e-9)
    'at [1]: expected 2, got 2.5'
    """
    if type(expected) is list and type(got) is list and len(got) == len(expected):
        for i, (e, g) in enumerate(zip(expected, got)):
            if not same(e, g, rtol=rtol, atol=atol):
                return difference(e, g, rtol=rtol, atol=atol, where=f"{where}[{i}]")
        return ""
    at = f" at {where}" if where else ""
    if type(expected) is list and type(got) is list:
        return f"expected {len(expected)} values{at}, got {len(got)}"
    if _kind(expected) != _kind(got):
        return f"expected {_kind(expected)}{at}, got {_kind(got)}"
    if same(expected, got, rtol=rtol, atol=atol):
        return ""
    return f"{at[1:]}: expected {show(expected, 10)}, got {show(got, 10)}" if where else ""

"""Worked-example tables: the step-by-step tables the articles print, computed.

>>> from gdteach import objectives, optim
>>> print(worked_example(objectives.shifted_square(3.0), 0.0, optim.SGD(lr=0.1), steps=2))
step |   x    | gradient |  update | new x
-----+--------+----------+---------+-------
   1 | 0.0000 |  -6.0000 | -0.6000 | 0.6000
   2 | 0.6000 |  -4.8000 | -0.4800 | 1.0800
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import check_choice, check_flag, check_int
from .objectives import Objective
from .run import Trajectory, run

__all__ = ["worked_example", "Table", "COLUMNS"]

#: column key -> (default header, how to read it from a trajectory at update i)
COLUMNS = {
    "step": ("step", lambda t, i: i + 1),
    "x": ("x", lambda t, i: t.x[i]),
    "loss": ("f(x)", lambda t, i: t.loss[i]),
    "grad": ("gradient", lambda t, i: t.grad[i]),
    "lr": ("lr", lambda t, i: t.lr[i]),
    "update": ("update", lambda t, i: t.x[i] - t.x[i + 1]),  # η·g for plain SGD
    "x_new": ("new x", lambda t, i: t.x[i + 1]),
    "loss_new": ("new f(x)", lambda t, i: t.loss[i + 1]),
}


def _format(value: Any, digits: int, strip: bool) -> str:
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    array = np.asarray(value, dtype=float)
    if array.ndim > 0:
        return "[" + ", ".join(_format(v, digits, strip) for v in array.ravel()) + "]"
    text = f"{float(array):.{digits}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text[1:] if text in ("-0", "-0." + "0" * digits) else text  # no "-0.0000"


@dataclass(frozen=True)
class Table:
    """A small table that prints as aligned text, renders as HTML in Jupyter and
    exports Markdown. ``values`` keeps the unformatted numbers, one list per column."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    values: dict[str, list[Any]]
    title: str | None = None

    def _widths(self) -> list[int]:
        return [max(len(h), *(len(r[j]) for r in self.rows)) for j, h in enumerate(self.headers)]

    def __str__(self) -> str:
        widths = self._widths()
        head = " | ".join(h.center(w) for h, w in zip(self.headers, widths)).rstrip()
        rule = "-+-".join("-" * w for w in widths)
        body = [" | ".join(c.rjust(w) for c, w in zip(row, widths)) for row in self.rows]
        lines = ([self.title] if self.title else []) + [head, rule, *body]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown, numbers right-aligned."""
        lines = ["| " + " | ".join(self.headers) + " |"]
        lines.append("|" + "|".join("---:" for _ in self.headers) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(([f"**{self.title}**", ""] if self.title else []) + lines)

    def _repr_html_(self) -> str:
        cap = f"<caption>{html.escape(self.title)}</caption>" if self.title else ""
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
        body = "".join(
            "<tr>" + "".join(f'<td style="text-align:right">{html.escape(c)}</td>' for c in row) + "</tr>"
            for row in self.rows
        )
        return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def worked_example(
    source: Trajectory | Objective,
    x0: Any = None,
    optimizer: Any = None,
    steps: int | None = None,
    *,
    columns: Sequence[str] = ("step", "x", "grad", "update", "x_new"),
    headers: Sequence[str] | None = None,
    digits: int = 4,
    strip_zeros: bool = False,
    title: str | None = None,
) -> Table:
    """The step-by-step table of a run: one row per update.

    ``source`` is a finished ``Trajectory``, or an objective to run with
    ``x0, optimizer, steps``. ``columns`` picks from ``COLUMNS``: ``step`` (1, 2, …),
    ``x`` (before the update), ``loss`` (f before), ``grad``, ``lr``, ``update``
    (x − new x, which is η·g for plain gradient descent), ``x_new``, ``loss_new``. ``digits`` decimals; ``strip_zeros``
    writes 1.08 rather than 1.0800.

    >>> from gdteach import objectives, optim
    >>> t = worked_example(objectives.square, 5.0, optim.SGD(lr=0.1), 3,
    ...                    columns=("step", "x_new"), headers=("Iteration", "θ"),
    ...                    digits=3, strip_zeros=True)
    >>> t.to_markdown().splitlines()[-1]
    '| 3 | 2.56 |'
    """
    if isinstance(source, Trajectory):
        traj = source
    elif isinstance(source, Objective):
        if optimizer is None or steps is None or x0 is None:
            raise TypeError("worked_example(objective, x0, optimizer, steps) needs all four")
        traj = run(source, x0, optimizer, steps)
    else:
        raise TypeError(f"source must be a Trajectory or an Objective, got {source!r}")
    for i, column in enumerate(columns):
        check_choice(f"columns[{i}]", column, tuple(COLUMNS))
    if headers is None:
        headers = [COLUMNS[c][0] for c in columns]
    if len(headers) != len(columns):
        raise ValueError(f"headers must name {len(columns)} columns, got {len(headers)}")
    digits = check_int("digits", digits, minimum=0)
    strip_zeros = check_flag("strip_zeros", strip_zeros)
    values = {c: [COLUMNS[c][1](traj, i) for i in range(traj.steps)] for c in columns}
    rows = tuple(
        tuple(_format(values[c][i], digits, strip_zeros) for c in columns) for i in range(traj.steps)
    )
    return Table(tuple(headers), rows, values, title)

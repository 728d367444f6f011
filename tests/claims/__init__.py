"""The claims registry: every number the five articles print, and what gdteach computes.

Each notebook of the series has a module here (``nb1_derivatives.py`` …) with a list
``CLAIMS`` of :class:`Claim` and a list ``CAUSES`` of :class:`Cause`. ``tests/test_claims.py``
checks every entry:

- the quoted passage really is in the article (document fidelity; needs the articles' text,
  see :func:`seeds_dir`);
- a claim whose verdict is ``"holds"`` reads, at the article's printed precision, as the value
  gdteach computes;
- every other claim records the ``correct`` value, derived independently of gdteach (by hand,
  exact fractions, a closed form), and gdteach's computation must reproduce it at the
  article's precision: replacing the computation by a constant, or reading the run one step
  early, fails;
- every non-holding claim belongs to one root :class:`Cause` (B's printed training log is one
  cause with twelve numbers), which its notebook shows in one callout
  (``gdteach.callout.erratum_callout``) and the README's errata table lists.

Verdicts (issue 11 §3): an **erratum** is a statement the article makes that is false; an
**imprecision** is a rounding, notation or off-by-one slip; a **caveat** is true but misleading
or outside the article's scope. A value the article never printed is not a claim at all.
"""

from __future__ import annotations

import importlib
import math
import os
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ARTICLES = {
    "A": "000_16f30dca6454898f.txt",  # ML Interview Essentials: What Is Gradient Descent (θ², PyTorch loop)
    "B": "001_a72ad0cf9de2f341.txt",  # Gradient Descent: x² from 10, hours-studied regression, Adam class
    "C": "002_be12b48ab7977b3e.txt",  # Comprehensive guide: (1,2),(2,4),(3,6) by hand, schedules, optimizers
    "D": "003_d1c052cfe73c0486.txt",  # Math Behind Gradient Descent: (w − 3)² tables, learning rates
    "E": "004_b145474466064d3d.txt",  # Learnixo: clinical data, Rosenbrock, lr comparison, patience
}

#: holds, and the three ways a registered item can fail to (issue 11 §3)
VERDICTS = ("holds", "erratum", "imprecision", "caveat")

#: the one reason every article-text test gives when the articles are not there
SEEDS_MISSING = (
    "article texts not found: set GDTEACH_SEEDS to the folder holding the five seed articles "
    "(CI: ../shared/seeds); the checks that compute values still run"
)


def seeds_dir() -> Path | None:
    """The folder holding the articles: $GDTEACH_SEEDS, else ../shared/seeds beside the
    repository; None when neither has the five files."""
    env = os.environ.get("GDTEACH_SEEDS")
    folder = Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "seeds"
    return folder if all((folder / name).is_file() for name in ARTICLES.values()) else None


def seeds_required() -> bool:
    """CI sets GDTEACH_REQUIRE_SEEDS=1: then missing articles are a failure, not a skip."""
    return os.environ.get("GDTEACH_REQUIRE_SEEDS", "") == "1"


def require_articles() -> None:
    """For tests that read the articles: skip with :data:`SEEDS_MISSING` when they are absent,
    fail instead when GDTEACH_REQUIRE_SEEDS=1 (CI must always run these checks)."""
    if seeds_dir() is None:
        import pytest

        if seeds_required():
            pytest.fail("GDTEACH_REQUIRE_SEEDS=1 but " + SEEDS_MISSING)
        pytest.skip(SEEDS_MISSING)


@dataclass(frozen=True)
class Claim:
    """One number (or short verdict) an article prints.

    id       unique, e.g. ``"D-step5-w"``
    article  key of ARTICLES ("A" … "E")
    quote    the passage as the article writes it (a short substring, whitespace folded)
    claimed  the article's value: a number, or a string for verdicts ("diverges")
    compute  a function of no arguments returning the value, computed with gdteach
    digits   decimal places the article prints; numbers are compared after rounding
    verdict  "holds", "erratum", "imprecision" or "caveat" (see the module docstring)
    notebook the notebook that reproduces it, e.g. "02_update_rule.ipynb"
    why      for a non-holding item: the reason, in a sentence
    cause    the id of its root :class:`Cause` (defaults to the claim's own id)
    correct  for a non-holding item: the true value, derived without gdteach (by hand,
             exact fractions, closed form); ``compute()`` must reproduce it at ``digits``
    note     for a caveat: where the correct value holds ("on C's own example"), so that a table
             row shows it beside the article's true statement, not as a correction of it
    """

    id: str
    article: str
    quote: str
    claimed: Any
    compute: Callable[[], Any]
    digits: int | None
    verdict: str
    notebook: str
    why: str = ""
    cause: str = ""
    correct: Any = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.id}: verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if self.article not in ARTICLES:
            raise ValueError(f"{self.id}: article must be one of {sorted(ARTICLES)}, got {self.article!r}")
        if not self.cause and self.verdict != "holds":
            object.__setattr__(self, "cause", self.id)

    @property
    def holds(self) -> bool:
        """Whether the article is right (the registry's original meaning)."""
        return self.verdict == "holds"

    def show(self, value: Any) -> str:
        """A value as the article would print it (its decimals), for tables and callouts."""
        return show(value, self.digits)

    def truth(self) -> str:
        """"What is true", generated from the recorded correct value."""
        if self.holds:
            return f"holds: {self.show(self.claimed)}"
        return f"{self.show(self.correct)}, not {self.show(self.claimed)}. {self.why}".strip()


@dataclass(frozen=True)
class Cause:
    """One root cause behind one or more non-holding claims, shown as ONE callout.

    id        e.g. ``"B-training-log"``; claims point at it with ``cause=``
    article   key of ARTICLES
    verdict   "erratum", "imprecision" or "caveat" (every claim of the cause has it)
    title     what went wrong, in a line
    catch     how a learner could have caught it without our code (a sign check, a loss
              below the least-squares floor, 2/λ_max, …)
    notebook  the notebook whose callout shows it
    """

    id: str
    article: str
    verdict: str
    title: str
    catch: str
    notebook: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS[1:]:
            raise ValueError(f"cause {self.id}: verdict must be one of {VERDICTS[1:]}, got {self.verdict!r}")
        if not self.catch.strip():
            raise ValueError(f"cause {self.id}: say how a learner could have caught it (catch)")


def show(value: Any, digits: int | None) -> str:
    """Format a claimed or correct value at an article's precision.

    >>> show(0.26400000001, 4), show(-188 / 45, 2), show("diverges", None), show(4154326, 0)
    ('0.2640', '-4.18', 'diverges', '4,154,326')
    """
    if isinstance(value, str):
        return value
    value = float(value)
    if math.isnan(value):
        return "nan"
    if digits is None:
        return f"{value:g}"
    if digits == 0 and abs(value) >= 1e4:
        return f"{round(value):,}"
    return f"{value:.{digits}f}"


def fold(text: str) -> str:
    """Fold white space and typographic quotes so quotes can be matched to articles."""
    text = text.replace("\u201d", '"').replace("\u201c", '"').replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def article_text(key: str) -> str:
    """The whitespace-folded text of an article; raises FileNotFoundError (naming the
    setting) when the articles are not available."""
    folder = seeds_dir()
    if folder is None:
        raise FileNotFoundError(SEEDS_MISSING)
    return fold((folder / ARTICLES[key]).read_text(encoding="utf-8"))


def same_value(expected: Any, value: Any, digits: int | None) -> bool:
    """Do two values read the same at a printed precision (strings: equal; NaN equals NaN)?"""
    if isinstance(expected, str) or isinstance(value, str):
        return str(value) == str(expected)
    a, b = float(expected), float(value)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if digits is None:
        return abs(a - b) <= 1e-12 * max(1.0, abs(a))
    return abs(round(b, digits) - round(a, digits)) < 0.5 * 10.0 ** -(digits + 3)


def matches(claim: Claim, value: Any) -> bool:
    """Does the computed value read as the article's value at its printed precision?"""
    return same_value(claim.claimed, value, claim.digits)


def _modules() -> list[Any]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def all_claims() -> list[Claim]:
    return [c for module in _modules() for c in module.CLAIMS]


def all_causes() -> list[Cause]:
    return [c for module in _modules() for c in getattr(module, "CAUSES", [])]

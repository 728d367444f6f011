"""The claims registry: every number the five articles print, and what gdteach computes.

Each notebook of the series has a module here (``nb1_derivatives.py`` …) with a list
``CLAIMS`` of :class:`Claim`. ``tests/test_claims.py`` checks every entry:

- the quoted passage really is in the article (document fidelity);
- the value gdteach computes, rounded to the article's printed precision, equals the
  article's value exactly when ``holds`` is True;
- an entry that does not hold is an erratum: it says why, the notebook shows it (its
  ``id`` appears in the notebook), and the README's errata list names it.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The articles live in ../shared/seeds beside the repository (GDTEACH_SEEDS overrides).
SEEDS = Path(os.environ.get("GDTEACH_SEEDS", Path(__file__).resolve().parents[3] / "shared" / "seeds"))

ARTICLES = {
    "A": "000_16f30dca6454898f.txt",  # ML Interview Essentials: What Is Gradient Descent (θ², PyTorch loop)
    "B": "001_a72ad0cf9de2f341.txt",  # Gradient Descent: x² from 10, hours-studied regression, Adam class
    "C": "002_be12b48ab7977b3e.txt",  # Comprehensive guide: (1,2),(2,4),(3,6) by hand, schedules, optimizers
    "D": "003_d1c052cfe73c0486.txt",  # Math Behind Gradient Descent: (w − 3)² tables, learning rates
    "E": "004_b145474466064d3d.txt",  # Learnixo: clinical data, Rosenbrock, lr comparison, patience
}


@dataclass(frozen=True)
class Claim:
    """One number (or short verdict) an article prints.

    id       unique, e.g. ``"D-step5-w"``; the notebook prints it beside an erratum
    article  key of ARTICLES ("A" … "E")
    quote    the passage as the article writes it (a substring, whitespace folded)
    claimed  the article's value: a number, or a string for verdicts ("diverges")
    compute  a function of no arguments returning the value, computed with gdteach
    digits   decimal places the article prints; numbers are compared after rounding
    holds    whether the article is right
    notebook the notebook that reproduces it, e.g. "02_update_rule.ipynb"
    why      for an erratum: the correct value and the reason, in a sentence
    """

    id: str
    article: str
    quote: str
    claimed: Any
    compute: Callable[[], Any]
    digits: int | None
    holds: bool
    notebook: str
    why: str = ""


def fold(text: str) -> str:
    """Fold white space and typographic quotes so quotes can be matched to articles."""
    text = text.replace("\u201d", '"').replace("\u201c", '"').replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def article_text(key: str) -> str:
    return fold((SEEDS / ARTICLES[key]).read_text(encoding="utf-8"))


def matches(claim: Claim, value: Any) -> bool:
    """Does the computed value read as the article's value at its printed precision?"""
    if isinstance(claim.claimed, str):
        return str(value) == claim.claimed
    if claim.digits is None:
        return abs(float(value) - float(claim.claimed)) <= 1e-12 * max(1.0, abs(claim.claimed))
    return abs(round(float(value), claim.digits) - float(claim.claimed)) < 0.5 * 10.0 ** -(claim.digits + 3)


def all_claims() -> list[Claim]:
    claims: list[Claim] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        claims += importlib.import_module(f"{__name__}.{info.name}").CLAIMS
    return claims

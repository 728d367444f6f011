"""Every sentence of the five articles, audited (issue 19 §3).

The number registry (the other modules of this package) checks what the articles print; this
module accounts for every *sentence*. An article is cut into sentences by :func:`units` (each
non-empty line of the page, split after ``.``, ``!`` or ``?`` before a capital letter; a code line
is one unit). Each sentence is then exactly one of

- **registered**: it lies in (or contains) a registered claim's quote, or it is a
  :class:`Statement` below, a checkable sentence with no number (convergence, guarantees,
  frameworks' defaults, what an optimizer does or needs) with its verdict, the conditions that
  break it, and where a run of the series shows it;
- **not checkable**, with one of the reason categories of :data:`CATEGORIES`;
- **todo**: checkable, not judged yet. The count per article is pinned in :data:`TODO_BUDGET`
  and may only go down.

The labels live in ``_sentence_index.py`` as run markers: ``(first words, label)`` labels that
sentence and the ones after it up to the next marker (a marker ending in ``$`` is a whole sentence). ``tests/test_sentences.py`` checks that the
markers are in the article, in order, and that every sentence is labelled.

Fairness (issue 19): a general statement is judged by its usual conditions (a small enough
rate, a convex loss, …); the ``why`` says which conditions break it. Statements here are
**holds** or **caveat**; a false statement belongs in the claims registry as an erratum, with
its callout.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import ARTICLES, VERDICTS, all_claims, fold, seeds_dir

CATEGORIES = {
    "heading": "a title, section heading, table header or list marker: it states nothing",
    "boilerplate": "series, author, date, reading time, promotion, links to other pages",
    "intuition": "a metaphor or analogy (hiking in fog, a ball rolling downhill), not a claim about the algorithm",
    "transition": "leads into what follows ('as follows:', 'Let's find out'), or asks a question",
    "definition": "defines a term or symbol (the series' Notation cells use the same); nothing to run",
    "setting": "an input of a worked example (its results are registered where the article prints them)",
    "listing": "code of a listing (what it prints is registered where the article shows it)",
    "figure": "an ASCII drawing or a pointer to a figure or table; what it shows is registered on its caption",
    "advice": "a recommendation, rule of thumb, typical value, popularity or opinion: no fact to check",
    "todo": "checkable, not judged yet (counted in TODO_BUDGET, which only goes down)",
}

#: sentences per article still to judge (issue 19 §3): the budget only goes down
TODO_BUDGET = {"A": 0, "B": 0, "C": 0, "D": 0, "E": 0}

_SPLIT = re.compile(r"(?<=[^\s\d][.!?])\s+(?=[A-Z\"(])")


def units(key: str) -> list[str]:
    """The sentences of article ``key``, in order (whitespace folded)."""
    folder = seeds_dir()
    if folder is None:
        raise FileNotFoundError("article texts not found: set GDTEACH_SEEDS")
    raw = (folder / ARTICLES[key]).read_text(encoding="utf-8")
    out: list[str] = []
    for line in raw.splitlines():
        line = fold(line)
        if line:
            out += [s.strip() for s in _SPLIT.split(line) if s.strip()]
    return out


@dataclass(frozen=True)
class Statement:
    """A checkable sentence with no number: its verdict, why, and where a run shows it."""

    id: str
    article: str
    quote: str
    verdict: str
    why: str
    shown: str

    def __post_init__(self) -> None:
        if self.verdict not in ("holds", "caveat"):
            raise ValueError(f"{self.id}: a statement holds or is a caveat (an erratum is a Claim), "
                             f"got {self.verdict!r}")
        if self.article not in ARTICLES:
            raise ValueError(f"{self.id}: article must be one of {sorted(ARTICLES)}, got {self.article!r}")
        if not self.why.strip() or not self.shown.strip():
            raise ValueError(f"{self.id}: say why it holds (and under which conditions) and where it is shown")


def statements() -> list[Statement]:
    from ._sentence_index import STATEMENT_ROWS

    return [Statement(*row) for row in STATEMENT_ROWS]


def _claim_spans(key: str, text: str) -> list[tuple[int, int]]:
    spans = []
    for quote in {fold(c.quote) for c in all_claims() if c.article == key}:
        start = text.find(quote)
        while start >= 0:
            spans.append((start, start + len(quote)))
            start = text.find(quote, start + 1)
    return spans


def in_claims(key: str) -> list[bool]:
    """For each sentence of article ``key``: does it overlap a registered claim's quote where
    that quote stands in the article (position, not mere text: "Loss" as a figure label is not
    the "Loss" of a claim)?"""
    text = " ".join(units(key))
    spans, out, pos = _claim_spans(key, text), [], 0
    for sentence in units(key):
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        out.append(any(a < pos and start < b for a, b in spans))
    return out


def _starts(sentence: str, marker: str) -> bool:
    """A marker is the first words of its sentence; ending in ``$`` it is the whole sentence."""
    return sentence == marker[:-1] if marker.endswith("$") else sentence.startswith(marker)


def labelled(key: str) -> list[tuple[str, str, bool]]:
    """(sentence, label, lies in a claim's quote) for every sentence of article ``key``; raises
    ValueError when a marker is not found in order or a sentence precedes the first marker."""
    from ._sentence_index import INDEX

    sentences, claimed = units(key), in_claims(key)
    out: list[tuple[str, str, bool]] = []
    markers = list(INDEX[key])
    label = None
    for i, sentence in enumerate(sentences):
        if markers and _starts(sentence, markers[0][0]):
            label = markers.pop(0)[1]
        if label is None:
            raise ValueError(f"{key}: sentence {i} ({sentence[:50]!r}) comes before the first marker")
        out.append((sentence, label, claimed[i]))
    if markers:
        raise ValueError(f"{key}: marker {markers[0][0]!r} not found in order")
    return out


def counts(key: str) -> Counter:
    """registered / not checkable / todo sentences of an article."""
    ids = {s.id for s in statements() if s.article == key}
    tally: Counter = Counter()
    for _, label, claimed in labelled(key):
        if claimed or label in ids or label == "claim":
            tally["registered"] += 1
        elif label == "todo":
            tally["todo"] += 1
        else:
            tally["not checkable"] += 1
    tally["total"] = sum(tally.values())
    return tally


assert set(VERDICTS) >= {"holds", "caveat"}

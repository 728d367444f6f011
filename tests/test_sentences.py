"""Every sentence of the five articles is registered or marked not checkable (issue 19 §3).

``tests/claims/_sentences.py`` cuts each article into sentences and ``_sentence_index.py``
labels them; these tests prove the index is complete, in sync with the articles and honest:
a run labelled ``"claim"`` really lies in registered claims' quotes, every statement is one
sentence of its article with a verdict and the conditions that break it, and the sentences
still to judge never exceed the pinned budget.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.claims import ARTICLES, require_articles
from tests.claims._sentence_index import INDEX
from tests.claims._sentences import (
    CATEGORIES,
    TODO_BUDGET,
    Statement,
    counts,
    labelled,
    statements,
    units,
)

STATEMENTS = statements()


@pytest.fixture(scope="session")
def articles() -> None:
    require_articles()


def test_every_article_has_an_index() -> None:
    assert set(INDEX) == set(ARTICLES) == set(TODO_BUDGET)


def test_statement_ids_are_unique() -> None:
    ids = [s.id for s in STATEMENTS]
    assert len(ids) == len(set(ids)), sorted(i for i, n in Counter(ids).items() if n > 1)


def test_labels_are_known() -> None:
    ids = {s.id: s.article for s in STATEMENTS}
    for key, markers in INDEX.items():
        for prefix, label in markers:
            assert label in CATEGORIES or label == "claim" or ids.get(label) == key, (
                f"{key}: {prefix!r} has label {label!r}: not a category, 'claim' or a statement of article {key}")


def test_statement_rejects_an_erratum_verdict() -> None:
    with pytest.raises(ValueError, match="erratum is a Claim"):
        Statement("X", "A", "q", "erratum", "why", "where")
    with pytest.raises(ValueError, match="say why"):
        Statement("X", "A", "q", "holds", " ", "where")


def test_sentence_split() -> None:
    """One page line per sentence, split after a full stop before a capital; a list number such
    as '1. Stochastic' stays one unit."""
    from tests.claims._sentences import _SPLIT

    assert _SPLIT.split("It diverges. Try 0.1 instead! Then 1. Stochastic GD") == [
        "It diverges.", "Try 0.1 instead!", "Then 1. Stochastic GD"]


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_every_sentence_is_labelled_in_order(key: str) -> None:
    rows = labelled(key)  # raises when a marker is missing or out of order
    assert len(rows) == len(units(key))


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_a_claim_run_lies_in_registered_quotes(key: str) -> None:
    loose = [s[:80] for s, label, claimed in labelled(key) if label == "claim" and not claimed]
    assert not loose, f"{key}: labelled 'claim' but in no registered claim's quote: {loose}"


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_each_statement_is_one_sentence_of_its_article(key: str) -> None:
    rows = labelled(key)
    for s in (s for s in STATEMENTS if s.article == key):
        mine = [sentence for sentence, label, _ in rows if label == s.id]
        assert mine == [s.quote] or (len(mine) == 1 and mine[0].startswith(s.quote)), (
            f"{s.id}: labels {len(mine)} sentences, or not the one quoted")


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_sentences_left_to_judge_stay_within_budget(key: str) -> None:
    tally = counts(key)
    assert tally["todo"] <= TODO_BUDGET[key], f"{key}: {tally['todo']} sentences to judge, budget {TODO_BUDGET[key]}"
    assert tally["registered"] + tally["not checkable"] + tally["todo"] == tally["total"] == len(units(key))


def test_missing_articles_skip(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("GDTEACH_SEEDS", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="GDTEACH_SEEDS"):
        units("A")

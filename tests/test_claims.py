"""Document fidelity: every registered claim is in its article, and holds exactly when we say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.claims import ARTICLES, Claim, all_claims, article_text, fold, matches

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = all_claims()


def _ids(claims: list[Claim]) -> list[str]:
    return [c.id for c in claims]


def test_claim_ids_are_unique() -> None:
    ids = _ids(CLAIMS)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_article_has_claims() -> None:
    assert {c.article for c in CLAIMS} == set(ARTICLES)


@pytest.mark.parametrize("claim", CLAIMS, ids=_ids(CLAIMS))
def test_quote_is_in_the_article(claim: Claim) -> None:
    assert fold(claim.quote) in article_text(claim.article), f"{claim.id}: quote not found"


@pytest.mark.parametrize("claim", CLAIMS, ids=_ids(CLAIMS))
def test_claim_holds_exactly_when_registered(claim: Claim) -> None:
    value = claim.compute()
    verdict = "holds" if matches(claim, value) else "does not hold"
    assert matches(claim, value) == claim.holds, (
        f"{claim.id}: article says {claim.claimed!r}, gdteach computes {value!r}: the claim "
        f"{verdict}, but the registry says holds={claim.holds}"
    )


ERRATA = [c for c in CLAIMS if not c.holds]


@pytest.mark.parametrize("claim", ERRATA, ids=_ids(ERRATA))
def test_erratum_is_explained_in_its_notebook_and_the_readme(claim: Claim) -> None:
    assert claim.why.strip(), f"{claim.id}: an erratum must say why"
    notebook = json.loads((ROOT / "notebooks" / claim.notebook).read_text(encoding="utf-8"))
    text = "".join(
        "".join(cell["source"]) + "".join(
            "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
            for o in cell.get("outputs", [])
        )
        for cell in notebook["cells"]
    )
    assert claim.id in text, f"{claim.id}: not shown in notebooks/{claim.notebook}"
    assert claim.id in (ROOT / "README.md").read_text(encoding="utf-8"), (
        f"{claim.id}: missing from the README's errata list"
    )


def test_readme_errata_list_is_generated_from_the_registry() -> None:
    from tests.claims.__main__ import updated_readme

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert updated_readme(text) == text, "README errata are stale: run `python -m tests.claims`"

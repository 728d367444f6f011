"""The claims registry: every claim is in its article, holds exactly when registered, and
every non-holding claim's correct value (derived without gdteach) is what gdteach computes."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from tests.claims import (
    ARTICLES,
    VERDICTS,
    Claim,
    all_causes,
    all_claims,
    article_text,
    fold,
    matches,
    require_articles,
    same_value,
    seeds_dir,
)

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = all_claims()
CAUSES = {c.id: c for c in all_causes()}
NOT_HOLDING = [c for c in CLAIMS if not c.holds]


def _ids(claims: list[Claim]) -> list[str]:
    return [c.id for c in claims]


@pytest.fixture(scope="session")
def articles() -> None:
    require_articles()


def reproduces_correct(claim: Claim, value) -> bool:
    return same_value(claim.correct, value, claim.digits)


# --------------------------------------------------------------------------- registry shape


def test_claim_ids_are_unique() -> None:
    ids = _ids(CLAIMS)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_cause_ids_are_unique() -> None:
    ids = [c.id for c in all_causes()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_article_has_claims() -> None:
    assert {c.article for c in CLAIMS} == set(ARTICLES)


def test_verdicts_are_known() -> None:
    assert {c.verdict for c in CLAIMS} <= set(VERDICTS)


@pytest.mark.parametrize("claim", NOT_HOLDING, ids=_ids(NOT_HOLDING))
def test_non_holding_claim_has_a_cause_of_its_verdict(claim: Claim) -> None:
    assert claim.cause in CAUSES, f"{claim.id}: cause {claim.cause!r} is not registered (CAUSES)"
    cause = CAUSES[claim.cause]
    assert (cause.article, cause.verdict, cause.notebook) == (claim.article, claim.verdict, claim.notebook), (
        f"{claim.id}: its cause {cause.id} is ({cause.article}, {cause.verdict}, {cause.notebook})"
    )
    assert claim.why.strip(), f"{claim.id}: say why"
    assert claim.correct is not None, f"{claim.id}: record the correct value (correct=)"


def test_every_cause_has_claims() -> None:
    used = {c.cause for c in NOT_HOLDING}
    assert not set(CAUSES) - used, f"causes with no claim: {sorted(set(CAUSES) - used)}"


def test_holding_claims_have_no_cause() -> None:
    assert not [c.id for c in CLAIMS if c.holds and (c.cause or c.correct is not None)]


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize("claim", CLAIMS, ids=_ids(CLAIMS))
def test_claim_value(claim: Claim) -> None:
    """holds: gdteach reads as the article. Otherwise gdteach reproduces the independently
    derived correct value, and (erratum, imprecision) the article's value is not it."""
    value = claim.compute()
    if claim.holds:
        assert matches(claim, value), (
            f"{claim.id}: article says {claim.claimed!r}, gdteach computes {value!r}, registered as holding"
        )
        return
    assert reproduces_correct(claim, value), (
        f"{claim.id}: the registered correct value is {claim.show(claim.correct)}, gdteach computes "
        f"{claim.show(value)}"
    )
    if claim.verdict in ("erratum", "imprecision"):
        assert not matches(claim, value), f"{claim.id}: the article's {claim.claimed!r} is right: not an {claim.verdict}"
        assert not same_value(claim.claimed, claim.correct, claim.digits), (
            f"{claim.id}: correct value equals the claimed one"
        )


def _claim(cid: str) -> Claim:
    return next(c for c in CLAIMS if c.id == cid)


@pytest.mark.parametrize("cid", ["B-epoch0-loss", "B-epoch100-m", "C-iter2-m", "B-x2-found-minimum"])
def test_an_erratum_replaced_by_a_constant_fails(cid: str) -> None:
    """Planted bug (issue 10): a computation replaced by a constant (the old registry only
    checked that an erratum differs from the article, which any other constant does)."""
    claim = _claim(cid)
    for constant in (0.0, 1.0, float(claim.claimed) + 0.5):
        assert not reproduces_correct(claim, constant)


# Planted bug (issue 10): "an erratum read one epoch early". The correct values below are
# written by hand from the article's loop (epoch e prints the loss BEFORE update e and m, b
# AFTER it), so reading the trajectory one index early fails the value test.
OFF_BY_ONE = {  # claim id: (index the claim must read, its field)
    "B-epoch0-m": (1, 0), "B-epoch0-b": (1, 1),
    "B-epoch100-m": (101, 0), "B-epoch100-b": (101, 1),
    "B-epoch900-m": (901, 0), "B-epoch900-b": (901, 1),
}


@pytest.mark.parametrize("cid", sorted(OFF_BY_ONE))
def test_an_erratum_read_one_epoch_early_fails(cid: str) -> None:
    from tests.claims.nb2_update_rule import _b_hours

    claim = _claim(cid)
    k, field = OFF_BY_ONE[cid]
    x = _b_hours().x
    assert reproduces_correct(claim, float(x[k][field]))
    assert not reproduces_correct(claim, float(x[k - 1][field])), f"{cid}: one epoch early goes unnoticed"


def test_epoch_loss_is_read_before_the_update() -> None:
    from tests.claims.nb2_update_rule import _b_hours

    claim = _claim("B-epoch100-loss")
    loss = _b_hours().loss
    assert reproduces_correct(claim, float(loss[100]))
    assert not reproduces_correct(claim, float(loss[99])) and not reproduces_correct(claim, float(loss[101]))


def test_hand_derived_values() -> None:
    """A few correct values, derived on paper, pinned as plain numbers."""
    assert _claim("B-epoch0-loss").correct * 5 == 4 + 16 + 25 + 16 + 25  # mean(y²) at m = b = 0
    assert _claim("B-epoch0-m").correct * 100 * 5 == 2 * 66  # 0.01 · (2/5) Σxy
    assert _claim("C-iter2-m").correct * 225 == 304  # 14/15 + 0.1 · 188/45
    assert abs(float(_claim("B-x2-found-minimum").correct) - 1.073741824) < 1e-12  # 10 · 0.8¹⁰


# --------------------------------------------------------------------------- the articles' text


@pytest.mark.usefixtures("articles")
@pytest.mark.parametrize("claim", CLAIMS, ids=_ids(CLAIMS))
def test_quote_is_in_the_article(claim: Claim) -> None:
    assert fold(claim.quote) in article_text(claim.article), f"{claim.id}: quote not found"


def test_quotes_are_short_citations() -> None:
    long = [c.id for c in CLAIMS if len(fold(c.quote)) > 200]
    assert not long, f"quotes longer than 200 characters: {long}"


def test_missing_articles_skip_or_fail(monkeypatch, tmp_path) -> None:
    """Without the articles the text checks skip with one reason; with GDTEACH_REQUIRE_SEEDS=1
    (CI) they fail instead."""
    monkeypatch.setenv("GDTEACH_SEEDS", str(tmp_path))
    monkeypatch.delenv("GDTEACH_REQUIRE_SEEDS", raising=False)
    assert seeds_dir() is None
    with pytest.raises(FileNotFoundError, match="GDTEACH_SEEDS"):
        article_text("A")
    with pytest.raises(pytest.skip.Exception, match="article texts not found"):
        require_articles()
    monkeypatch.setenv("GDTEACH_REQUIRE_SEEDS", "1")
    with pytest.raises(pytest.fail.Exception, match="GDTEACH_REQUIRE_SEEDS=1"):
        require_articles()


@pytest.mark.parametrize("claim", NOT_HOLDING, ids=_ids(NOT_HOLDING))
def test_what_is_true_is_generated_from_the_correct_value(claim: Claim) -> None:
    assert claim.truth().startswith(claim.show(claim.correct) + ", not " + claim.show(claim.claimed))


# --------------------------------------------------------------------------- notebooks and README


def _notebook_text(name: str) -> str:
    notebook = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    return "".join(
        "".join(cell["source"]) + "".join(
            "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
            for o in cell.get("outputs", [])
        )
        for cell in notebook["cells"]
    )


@pytest.mark.parametrize("claim", NOT_HOLDING, ids=_ids(NOT_HOLDING))
def test_non_holding_claim_is_shown_in_its_notebook_and_its_cause_in_the_readme(claim: Claim) -> None:
    text = _notebook_text(claim.notebook)
    assert claim.id in text, f"{claim.id}: not shown in notebooks/{claim.notebook}"
    assert claim.cause in text, f"cause {claim.cause}: not shown in notebooks/{claim.notebook}"
    assert f"`{claim.cause}`" in (ROOT / "README.md").read_text(encoding="utf-8"), (
        f"{claim.cause}: missing from the README's errata table"
    )


CALLOUT_HEAD = re.compile(r"^(Erratum|Imprecision|Caveat) (\S+)")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _callouts(path: Path) -> list[tuple[str, str]]:
    """(label, cause id) of every gdteach.callout shown in a notebook's stored outputs."""
    found = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            head = CALLOUT_HEAD.match("".join(output.get("data", {}).get("text/plain", "")))
            if head:
                found.append(head.groups())
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_one_callout_per_root_cause_with_its_verdict(path: Path) -> None:
    """Every root cause of a notebook is shown in exactly one callout, labelled with its verdict;
    no callout names a cause the registry does not have (or another notebook's)."""
    shown = _callouts(path)
    expected = sorted((c.verdict.capitalize(), c.id) for c in CAUSES.values() if c.notebook == path.name)
    assert sorted(shown) == expected, f"{path.name}: callouts {sorted(shown)}, registry {expected}"


def test_readme_errata_table_is_generated_from_the_registry() -> None:
    from tests.claims.__main__ import updated_readme

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert updated_readme(text) == text, "README errata are stale: run `python -m tests.claims`"


def test_instructor_counts_are_generated_from_the_registry() -> None:
    from tests.claims.__main__ import INSTRUCTOR, updated_instructor

    text = INSTRUCTOR.read_text(encoding="utf-8")
    assert updated_instructor(text) == text, "INSTRUCTOR.md counts are stale: run `python -m tests.claims`"


def test_dataclass_rejects_unknown_verdict() -> None:
    claim = CLAIMS[0]
    with pytest.raises(ValueError, match="verdict"):
        dataclasses.replace(claim, verdict="false")

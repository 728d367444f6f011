"""Regenerate the README's errata table and the instructor guide's counts from the registry.

    python -m tests.claims            # rewrite the sections between the ERRATA markers
    python -m tests.claims --check    # exit 1 if either file is stale
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from . import all_causes, all_claims

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
INSTRUCTOR = ROOT / "notebooks" / "INSTRUCTOR.md"
BEGIN, END = "<!-- ERRATA -->", "<!-- /ERRATA -->"
COUNTS_BEGIN, COUNTS_END = "<!-- ERRATA-COUNTS -->", "<!-- /ERRATA-COUNTS -->"
ORDER = ("erratum", "imprecision", "caveat")
HEADINGS = {"erratum": "Errata (false statements)", "imprecision": "Imprecisions (rounding, notation, counts)",
            "caveat": "Caveats (true, but misleading or outside the article's scope)"}


def _cell(text: str, limit: int = 0) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text[: limit - 1] + "…" if limit and len(text) > limit else text


def counts_sentence() -> str:
    """One sentence with the registry's counts: claims, causes by verdict, items by verdict."""
    claims, causes = all_claims(), all_causes()
    items = Counter(c.verdict for c in claims)
    roots = Counter(c.verdict for c in causes)
    names = {"erratum": ("erratum", "errata"), "imprecision": ("imprecision", "imprecisions"),
             "caveat": ("caveat", "caveats")}
    parts = [f"{roots[v]} {names[v][roots[v] != 1]}" for v in ORDER]
    return (
        f"The claims registry (`tests/claims/`) checks {len(claims)} numbers and verdicts printed by the five "
        f"articles: {items['holds']} hold. The {len(claims) - items['holds']} that do not come from "
        f"{len(causes)} root causes: {', '.join(parts[:2])} and {parts[2]} "
        f"({items['erratum']} / {items['imprecision']} / {items['caveat']} numbers or statements). "
        "A root cause is one mistake, however many printed numbers it touches."
    )


def _truth_cell(claim) -> str:
    """An erratum or imprecision corrects the article (claimed → correct); a caveat's statement is
    true, so its row shows the correct value beside it, where it holds, never as a correction."""
    if claim.verdict == "caveat":
        return f"{claim.note or 'the notebook shows'}: {claim.show(claim.correct)}"
    return f"{claim.show(claim.claimed)} → {claim.show(claim.correct)}"


def errata_markdown() -> str:
    claims, causes = all_claims(), all_causes()
    by_cause: dict[str, list] = {}
    for c in claims:
        if not c.holds:
            by_cause.setdefault(c.cause, []).append(c)
    lines = [BEGIN, "## Errata in the source articles", "", counts_sentence(), "",
             "Each root cause is shown once in its notebook, in one callout (`gdteach.callout`) with "
             "the article's line, what the code prints, why, and how you could have caught it.", ""]
    for verdict in ORDER:
        rows = [c for c in causes if c.verdict == verdict]
        if not rows:
            continue
        lines += [f"### {HEADINGS[verdict]}: {len(rows)}", "",
                  "| root cause | article | notebook | numbers | what went wrong | what is true | how to catch it |",
                  "|---|---|---|---|---|---|---|"]
        for cause in rows:
            items = by_cause.get(cause.id, [])
            true = "; ".join(_truth_cell(c) for c in items[:3])
            if len(items) > 3:
                true += f"; … ({len(items)} numbers)"
            lines.append(
                f"| `{cause.id}` | {cause.article} | {cause.notebook} | {len(items)} | {_cell(cause.title)} | "
                f"{_cell(true, 120)} | {_cell(cause.catch)} |"
            )
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def _splice(text: str, begin: str, end: str, body: str) -> str:
    start = text.index(begin)
    stop = text.index(end) + len(end) if end in text else start + len(begin)
    return text[:start] + body + text[stop:]


def updated_readme(text: str) -> str:
    return _splice(text, BEGIN, END, errata_markdown())


def updated_instructor(text: str) -> str:
    if COUNTS_BEGIN not in text:
        return text
    return _splice(text, COUNTS_BEGIN, COUNTS_END, f"{COUNTS_BEGIN}\n{counts_sentence()}\n{COUNTS_END}")


def main(argv: list[str]) -> int:
    if any(arg != "--check" for arg in argv):
        print(__doc__)
        return 2
    stale = []
    for path, update in ((README, updated_readme), (INSTRUCTOR, updated_instructor)):
        text = path.read_text(encoding="utf-8")
        new = update(text)
        if new != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(new, encoding="utf-8")
                print(f"wrote {path}")
    if "--check" in argv and stale:
        print("stale: " + ", ".join(str(p) for p in stale) + ": run `python -m tests.claims`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

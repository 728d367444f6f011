"""Regenerate the README's errata list from the claims registry.

    python -m tests.claims            # rewrite the section between the ERRATA markers
    python -m tests.claims --check    # exit 1 if the README is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import ARTICLES, all_claims

README = Path(__file__).resolve().parents[2] / "README.md"
BEGIN, END = "<!-- ERRATA -->", "<!-- /ERRATA -->"


def errata_markdown() -> str:
    claims = all_claims()
    errata = [c for c in claims if not c.holds]
    lines = [
        BEGIN,
        "## Errata in the source articles",
        "",
        f"The claims registry (`tests/claims/`) checks {len(claims)} numbers and verdicts printed by the "
        f"five articles; {len(claims) - len(errata)} hold and {len(errata)} do not. Each erratum below is "
        "shown in its notebook with the article's claim, the correct value and the reason.",
        "",
        "| id | article | notebook | the article says | what is true |",
        "|---|---|---|---|---|",
    ]
    for c in errata:
        quote = " ".join(c.quote.split()).replace("|", "\\|")
        if len(quote) > 90:
            quote = quote[:87] + "…"
        why = " ".join(c.why.split()).replace("|", "\\|")
        lines.append(f"| `{c.id}` | {ARTICLES[c.article][:3]} | {c.notebook} | {quote} | {why} |")
    lines.append(END)
    return "\n".join(lines)


def updated_readme(text: str) -> str:
    start = text.index(BEGIN)
    end = text.index(END) + len(END) if END in text else start + len(BEGIN)
    return text[:start] + errata_markdown() + text[end:]


def main(argv: list[str]) -> int:
    if any(arg != "--check" for arg in argv):
        print(__doc__)
        return 2
    text = README.read_text(encoding="utf-8")
    new = updated_readme(text)
    if "--check" in argv:
        if new != text:
            print("README errata are stale: run `python -m tests.claims`")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    print(f"wrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

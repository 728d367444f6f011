"""One callout for every mistake the series finds in its source articles.

Each root cause (one mistake, however many printed numbers it touches) is shown once, in
the same shape in every notebook: its verdict, the article's line, what the code prints
(beside the article's own output where the article prints one), why, and how a learner
could have caught it without our code. The per-number detail follows in a collapsed block.

The verdicts (issue 11 §3): **erratum** — the article states something false;
**imprecision** — rounding, notation or an off-by-one count; **caveat** — true, but
misleading or outside the article's scope.

A notebook cell ends with the callout, so Jupyter shows the HTML and nbval compares the
deterministic plain text:

>>> c = erratum_callout(
...     "C-iter2-sign", "erratum", source="article C, iteration 2",
...     article="Errors: [0.667, 1.734, 2.801]",
...     ours="ŷ − y = [-0.667, -1.733, -2.800]",
...     why="the article writes y − ŷ; iteration 1 and its formulas use ŷ − y",
...     catch="every prediction is below its target, so ŷ − y must be negative",
...     details=[("C-iter2-err1", "0.667", "-0.667")],
... )
>>> print(c)
Erratum C-iter2-sign (article C, iteration 2)
  article says: Errors: [0.667, 1.734, 2.801]
  code prints:  ŷ − y = [-0.667, -1.733, -2.800]
  why:          the article writes y − ŷ; iteration 1 and its formulas use ŷ − y
  catch it:     every prediction is below its target, so ŷ − y must be negative
  per number (1):
    C-iter2-err1  article 0.667  →  true -0.667
>>> "<details>" in c._repr_html_()
True
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Callout", "VERDICTS", "erratum_callout"]

#: the three verdicts a registered mistake can have, with their label and accent colour
#: (Okabe–Ito vermillion, orange and blue: told apart by more than red against green)
VERDICTS = {
    "erratum": ("Erratum", "#D55E00"),
    "imprecision": ("Imprecision", "#E69F00"),
    "caveat": ("Caveat", "#0072B2"),
}
WIDTH = 100  # plain-text lines wrap here, so no output line runs off the page


@dataclass(frozen=True)
class Callout:
    """A rendered callout: ``str()`` is the plain text, ``_repr_html_()`` the notebook's HTML.

    Build it with :func:`erratum_callout`, which validates the arguments."""

    cause: str
    verdict: str
    source: str
    article: str
    ours: str
    why: str
    catch: str
    article_output: str = ""
    our_output: str = ""
    details: tuple[tuple[str, str, str], ...] = ()

    def _rows(self) -> list[tuple[str, str]]:
        return [("article says", self.article), ("code prints", self.ours), ("why", self.why),
                ("catch it", self.catch)]

    def _side_by_side(self) -> list[str]:
        """The article's printed output and ours, line by line in two columns."""
        left, right = self.article_output.splitlines(), self.our_output.splitlines()
        width = max(len("the article prints"), *(len(line) for line in left))
        rows = [("the article prints", "the code prints")]
        rows += [(left[i] if i < len(left) else "", right[i] if i < len(right) else "")
                 for i in range(max(len(left), len(right)))]
        return [f"    {a:<{width}} | {b}".rstrip() for a, b in rows]

    def __str__(self) -> str:
        label = VERDICTS[self.verdict][0]
        lines = [f"{label} {self.cause}" + (f" ({self.source})" if self.source else "")]
        for name, text in self._rows():
            head = f"  {name + ':':<14}"  # the longest label is "article says:"
            for i, part in enumerate(text.splitlines() or [""]):
                lines += textwrap.wrap(part, WIDTH, initial_indent=head if i == 0 else " " * len(head),
                                       subsequent_indent=" " * len(head)) or [head.rstrip()]
        if self.article_output:
            lines += ["  side by side:"] + self._side_by_side()
        if self.details:
            lines.append(f"  per number ({len(self.details)}):")
            width = max(len(d[0]) for d in self.details)
            lines += [f"    {cid:<{width}}  article {said}  →  true {true}" for cid, said, true in self.details]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython's plain-text display
        printer.text(str(self))

    def _repr_html_(self) -> str:
        label, colour = VERDICTS[self.verdict]
        esc = html.escape
        rows = "".join(
            f"<tr><th style='text-align:left;vertical-align:top;padding-right:1em;white-space:nowrap'>"
            f"{esc(name)}</th><td style='text-align:left'>"
            + ("<code>" + esc(text).replace("\n", "<br>") + "</code>" if name.endswith(("says", "prints", "output"))
               else esc(text))
            + "</td></tr>"
            for name, text in self._rows()
        )
        side = ""
        if self.article_output:
            pre = "<pre style='margin:0;text-align:left'>{}</pre>"
            side = (
                "<table style='margin:0.3em 0'><tr><th style='text-align:left'>the article prints</th>"
                "<th style='text-align:left'>the code prints</th></tr><tr>"
                f"<td style='vertical-align:top;text-align:left'>{pre.format(esc(self.article_output))}</td>"
                f"<td style='vertical-align:top;text-align:left'>{pre.format(esc(self.our_output))}</td></tr></table>"
            )
        details = ""
        if self.details:
            items = "".join(
                f"<tr><td><code>{esc(cid)}</code></td><td>{esc(said)}</td><td>{esc(true)}</td></tr>"
                for cid, said, true in self.details
            )
            details = (
                f"<details><summary>per number ({len(self.details)})</summary>"
                "<table><tr><th>claim</th><th>article</th><th>true</th></tr>"
                f"{items}</table></details>"
            )
        source = f" <span style='font-weight:normal'>({esc(self.source)})</span>" if self.source else ""
        return (
            f"<div style='border-left:6px solid {colour};padding:0.4em 0.8em;margin:0.4em 0'>"
            f"<p style='margin:0 0 0.3em 0'><b style='color:{colour}'>{label}</b> "
            f"<b><code>{esc(self.cause)}</code></b>{source}</p>"
            f"<table style='margin:0'>{rows}</table>{side}{details}</div>"
        )


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value.strip()


def erratum_callout(
    cause: str,
    verdict: str,
    *,
    article: str,
    ours: str,
    why: str,
    catch: str,
    source: str = "",
    article_output: str = "",
    our_output: str = "",
    details: Iterable[Sequence[str]] = (),
) -> Callout:
    """The callout for one root cause.

    cause           the registry's cause id (``tests/claims``), e.g. ``"B-training-log"``
    verdict         "erratum", "imprecision" or "caveat"
    article         the article's line, quoted short
    ours            what the code prints (build it from the variables in use)
    why             the reason, in a sentence
    catch           how a learner could have caught it (a sign check, a loss below the
                    least-squares floor, 2/λ_max, …)
    source          where in which article, e.g. ``"article B, hours studied"``
    article_output  where the article prints output: its output, shown beside ``our_output``
    details         per-number rows (claim id, the article's value, the true value), shown
                    in a collapsed block

    >>> erratum_callout("X", "wrong", article="a", ours="b", why="c", catch="d")
    Traceback (most recent call last):
    ...
    ValueError: verdict must be one of ['erratum', 'imprecision', 'caveat'], got 'wrong'
    """
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {list(VERDICTS)}, got {verdict!r}")
    if bool(article_output) != bool(our_output):
        raise ValueError("article_output and our_output go together: give both or neither")
    rows = []
    for row in details:
        if len(row) != 3 or not all(isinstance(part, str) for part in row):
            raise ValueError(f"details rows must be (claim id, article value, true value) strings, got {row!r}")
        rows.append(tuple(row))
    return Callout(
        cause=_text("cause", cause), verdict=verdict, source=source.strip(),
        article=_text("article", article), ours=_text("ours", ours), why=_text("why", why),
        catch=_text("catch", catch), article_output=article_output.rstrip(), our_output=our_output.rstrip(),
        details=tuple(rows),
    )

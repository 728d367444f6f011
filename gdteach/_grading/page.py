"""The HTML page shared by the feedback files and the report: self-contained (styles inline,
images as data URIs, no script, nothing fetched), readable at any width, with enough contrast
and landmarks for a screen reader. Every text that reaches a page goes through ``esc``."""

from __future__ import annotations

import html

__all__ = ["esc", "page", "STYLE"]

STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a;
       background: #fff; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: .9rem/1.4 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: break-word; }
.nowrap { white-space: nowrap; }
.pass { color: #0b5d1e; font-weight: 600; }
.fail { color: #a4161a; font-weight: 600; }
.note { background: #fff4d6; border-left: 4px solid #8a5a00; padding: .5rem .8rem; margin: .5rem 0; }
.score { font-size: 1.2rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
footer { margin-top: 3rem; color: #444; font-size: .9rem; }
"""


def esc(text: object) -> str:
    """Text as HTML (quotes too, so it is safe in attributes).

    >>> esc('<b onclick="x">')
    '&lt;b onclick=&quot;x&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


def page(title: str, body: str, footer: str = "") -> str:
    """A whole HTML document: ``title`` (plain text) and ``body`` (HTML inside ``<main>``)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<main>\n{body}\n</main>\n"
        + (f"<footer>{footer}</footer>\n" if footer else "")
        + "</body>\n</html>\n"
    )

"""gdteach.callout: one format for every root cause, as HTML and deterministic plain text."""

from __future__ import annotations

import pytest

from gdteach.callout import erratum_callout

ARGS = dict(article="loss = <10>", ours="loss = 17.2", why="mean(y²) at m = b = 0", catch="y² ≥ 4")


def test_plain_text_has_one_line_per_part_and_no_long_lines() -> None:
    c = erratum_callout("B-training-log", "erratum", source="article B", **{**ARGS, "why": "word " * 60})
    text = str(c)
    assert text.splitlines()[0] == "Erratum B-training-log (article B)"
    assert [line.split(":")[0].strip() for line in text.splitlines()[1:4]] == ["article says", "code prints", "why"]
    assert max(len(line) for line in text.splitlines()) <= 100
    assert repr(c) == text == str(erratum_callout("B-training-log", "erratum", source="article B",
                                                  **{**ARGS, "why": "word " * 60}))


def test_html_escapes_and_folds_the_details() -> None:
    c = erratum_callout("C-x", "imprecision", details=[("C-x-1", "2.266", "2.267")], **ARGS)
    page = c._repr_html_()
    assert "&lt;10&gt;" in page and "<10>" not in page
    assert page.index("<details>") < page.index("C-x-1")
    assert "Imprecision" in page


def test_outputs_side_by_side() -> None:
    c = erratum_callout("B-log", "caveat", article_output="a\nb", our_output="c", **ARGS)
    assert str(c).splitlines()[-2:] == ["    a                  | c", "    b                  |"]


@pytest.mark.parametrize(
    ("change", "message"),
    [({"verdict": "false"}, "verdict must be one of"), ({"why": " "}, "why must be a non-empty string"),
     ({"article_output": "x"}, "give both or neither"), ({"details": [("a", "b")]}, "details rows")],
)
def test_bad_arguments_are_named(change, message) -> None:
    kwargs = {"cause": "X", "verdict": "erratum", **ARGS, **change}
    with pytest.raises(ValueError, match=message):
        erratum_callout(**kwargs)

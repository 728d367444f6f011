"""Change one number, as a learner does, and the notebook must still tell the truth.

For each edit of ``tests/learner_edits/nb0N.py`` the edited section runs after the set-up
cells only (every section runs on its own: ``tests/test_sections.py``), in one kernel per
notebook (``tests/notebook_sections.py``). The test fails on any exception, on artefacts of
"the first step where X holds" computed with ``argmax`` ("after 0 updates", "after never"),
and on text that still states the edited parameter's old value (issue 11, §1).
"""

from __future__ import annotations

import re

import pytest

from tests.learner_edits import MODULES, Edit, edits_for
from tests.notebook_sections import NOTEBOOKS, find_section, split

ARTEFACTS = [
    r"\bafter 0 (update|step|epoch|iteration)s?\b",
    r"\b(after|at|in|within|by) (never|None)\b",
    r"\b(None|never) (update|step|epoch|iteration)s?\b",
    r"\bnever within 0\b",
]

CASES = [(path, i, edit) for path in NOTEBOOKS for i, edit in enumerate(edits_for(path.name), 1)]


def _id(path, i, edit: Edit) -> str:
    words = re.sub(r"[^A-Za-z0-9.=]+", "-", edit.why or edit.replace)[:30].strip("-")
    return f"{path.name[:2]}-e{i}-{words}"


@pytest.fixture
def pool(section_kernels):
    return section_kernels  # one kernel per notebook for the session (tests/conftest.py)


def test_every_notebook_has_at_least_three_edits() -> None:
    assert sorted(MODULES) == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        assert len(edits_for(path.name)) >= 3, f"{path.name}: fewer than 3 learner edits"


@pytest.mark.parametrize(("path", "i", "edit"), CASES, ids=[_id(*c) for c in CASES])
def test_edit_is_in_sync_with_its_notebook(path, i, edit: Edit) -> None:
    section = find_section(split(path)[1], edit.section)
    hits = sum(src.count(edit.find) for src in section.code)
    assert hits == 1, (f"{path.name} edit {i}: {edit.find!r} occurs {hits} times in the code of "
                       f"{section.heading!r} (must be exactly once)")
    assert edit.stale, f"{path.name} edit {i}: no stale patterns"
    stored = [section.stored_text, re.sub(r"\s+", " ", section.stored_text)]
    assert any(re.search(p, text) for p in edit.stale for text in stored), (
        f"{path.name} edit {i}: no stale pattern matches the section's stored output, so the "
        f"check could never fail: {edit.stale}")


def problems_after(kernel, edit: Edit) -> list[str]:
    """Apply ``edit`` to its section, run set-up + section in ``kernel`` (raises CellError on an
    exception) and list what is wrong with the output: artefacts, stale values, missing new values."""
    section = find_section(kernel.sections, edit.section)
    code = [src.replace(edit.find, edit.replace) for src in section.code]
    result = kernel.run(section, code)
    # match the text as printed and with white space folded (callouts wrap long lines)
    texts = [result.all_text, re.sub(r"\s+", " ", result.all_text)]
    found = []
    for pattern in ARTEFACTS + edit.stale:
        hits = [(text, hit) for text in texts if (hit := re.search(pattern, text))]
        if hits:
            text, hit = hits[0]
            found.append(f"states {hit.group(0)!r}: …{text[max(0, hit.start() - 120):hit.end() + 80]}…")
    found += [f"the new value ({pattern!r}) is stated nowhere" for pattern in edit.expect
              if not any(re.search(pattern, text) for text in texts)]
    return found


@pytest.mark.parametrize(("path", "i", "edit"), CASES, ids=[_id(*c) for c in CASES])
def test_edited_section_runs_and_states_the_new_value(pool, path, i, edit: Edit) -> None:
    found = problems_after(pool.get(path), edit)
    assert not found, f"{path.name} edit {i} ({edit.why}), {edit.find!r} → {edit.replace!r}: " + "; ".join(found)

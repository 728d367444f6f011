"""Edits a learner makes first, per notebook: ``nb01.py`` … ``nb05.py``, each a list ``EDITS``.

An :class:`Edit` names a section by the start of its ``##`` heading, replaces one exact piece
of one of its code cells, and lists regular expressions that state the **old** value *as the
edited parameter* (``r"η = 0\\.02\\b"``, not a bare ``0.02``). ``tests/test_learner_edits.py``
runs the set-up cells and the edited section (sections run on their own: see
``tests/test_sections.py``) and fails on an exception, on "after 0 updates"-type artefacts,
and on any ``stale`` pattern in what the learner reads (printed text, rich text outputs,
figure titles, labels, legends and annotations). ``expect`` patterns must appear (the new
value is stated). At least one ``stale`` pattern must match the section's stored output in
the committed notebook, so the check can fail; ``find`` must occur exactly once in the
section's code, so the list stays in sync with the notebook.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field


@dataclass
class Edit:
    section: str  # the start of the ## heading line, e.g. "## 4."
    find: str  # exact text, once in the section's code cells
    replace: str
    stale: list[str] = field(default_factory=list)  # regexes: old value stated as the parameter
    expect: list[str] = field(default_factory=list)  # regexes: the new value, stated
    why: str = ""  # what a learner is trying, in a few words


MODULES = {
    "01_derivatives.ipynb": "nb01",
    "02_update_rule.ipynb": "nb02",
    "03_variants.ipynb": "nb03",
    "04_learning_rate.ipynb": "nb04",
    "05_optimizers.ipynb": "nb05",
}


def edits_for(notebook: str) -> list[Edit]:
    return list(importlib.import_module(f"{__name__}.{MODULES[notebook]}").EDITS)

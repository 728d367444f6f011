"""How the suite is shared between pytest-xdist's workers (``--dist loadgroup``).

Each file is one group, kept on one worker, so a notebook's cells run in order under nbval
and a module's fixture (a sandbox run, a JupyterLab server) is set up once, except the files
in ``SPREAD``: their tests are independent and their shared state is per worker (one kernel
per notebook, one JupyterLab server), so they are spread over every worker; otherwise the
largest of them (about 80 s of learner edits) would keep one worker busy while the others
wait at the end.
"""

from __future__ import annotations

import pytest

SPREAD = {"tests/test_learner_edits.py", "tests/test_sections.py",
          "tests/browser/test_jupyterlab.py"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        where = item.nodeid.split("::")[0]
        if where not in SPREAD:
            item.add_marker(pytest.mark.xdist_group(where))

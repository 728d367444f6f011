"""The README stays true: its two set-up commands, its code, and what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _blocks("bash")
    assert len(commands) == 2, commands
    opens, tests = (c.strip() for c in commands)
    # each makes and uses a venv (externally managed system Pythons refuse a bare pip install);
    # JupyterLab opens at the root, so exercises/ is as visible as notebooks/
    venv = "python3 -m venv .venv && "
    assert opens == venv + '.venv/bin/python -m pip install -e ".[lab]" && .venv/bin/python -m jupyter lab'
    assert tests == venv + '.venv/bin/python -m pip install -e ".[test]" && .venv/bin/python -m pytest'


def test_readme_never_offers_an_install_from_pypi() -> None:
    """gdteach is not published: every pip install in the README installs from the clone or a
    wheelhouse built from it."""
    assert not re.search(r"pip install (-U )?gdteach\b", README), "gdteach is not on PyPI"


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    test_command = _blocks("bash")[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_python_example_runs_and_prints_what_it_says() -> None:
    (code,) = _blocks("python")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    # the comment beside the first print: θ² from 5 with η = 0.1 is 5·0.8^k
    np.testing.assert_allclose(namespace["traj"].x[:4], 5 * 0.8 ** np.arange(4))
    assert namespace["traj"].stop_reason == "max_steps"


def test_a_notebook_runs_under_nbval_from_another_folder(tmp_path):
    """An outside newcomer ran `pytest clone/notebooks/02_update_rule.ipynb` from their home:
    every cell errored (nbval opened tests/nbval_sanitize.cfg from the current folder)."""
    import subprocess
    import sys

    notebook = ROOT / "notebooks" / "01_derivatives.ipynb"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider",
                           f"{notebook}::Cell 0"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout

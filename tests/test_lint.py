"""The code base stays ruff-clean (the rules are in pyproject.toml)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing() -> None:
    # the ruff of the Python running the tests (the venv's, which the README never puts on
    # PATH: looked up on PATH, the test skipped with ruff installed)
    if importlib.util.find_spec("ruff") is None:
        pytest.skip(f"ruff is not installed for {sys.executable} (pip install -e '.[test]')")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]

"""Shared fixtures for the test suite."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def section_kernels():
    """One Jupyter kernel per notebook, shared by tests/test_sections.py and
    tests/test_learner_edits.py and shut down at the end of the session."""
    from tests.notebook_sections import KernelPool

    pool = KernelPool()
    yield pool
    pool.close()

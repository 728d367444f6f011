"""pyproject's ``--nbval-sanitize-with tests/nbval_sanitize.cfg`` names the file from the
clone's root, and nbval opens it from the current folder: run from elsewhere
(``pytest gdteach-clone/notebooks/02_update_rule.ipynb``), every notebook test errored with
FileNotFoundError. Here it is made a path from the root, wherever pytest is started."""

from pathlib import Path


def pytest_configure(config) -> None:
    name = getattr(config.option, "nbval_sanitize_with", None)
    if name and not Path(name).is_absolute():
        config.option.nbval_sanitize_with = str(Path(config.rootpath) / name)

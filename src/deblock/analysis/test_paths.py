"""Which modules are tests: pytest runs them, one test at a time."""

from __future__ import annotations

import os
from pathlib import PurePath

_TEST_DIRECTORIES = frozenset({"tests", "test"})


def is_test_module(path: str) -> bool:
    """A module pytest collects tests from (``test_*.py``, ``*_test.py``)."""
    name = os.path.basename(path)
    return name.startswith("test_") or name.endswith("_test.py")


def runs_under_pytest(path: str, directory: str) -> bool:
    """Whether the module at ``path`` belongs to the tests of the project at ``directory``:
    a test module, a ``conftest.py``, or a module in a ``tests``/``test`` directory of the
    project (a helper, or an app the tests load by path)."""
    parts = PurePath(os.path.relpath(os.path.abspath(path), directory)).parts
    return (
        is_test_module(path)
        or parts[-1] == "conftest.py"
        or not _TEST_DIRECTORIES.isdisjoint(parts[:-1])
    )

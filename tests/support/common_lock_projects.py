"""The common-lock fixture projects (``tests/deblock/fixer/fixtures/common_lock``): variants
of ``runtime_projects/package_notes``, the project that proves the common lock at runtime,
each copied with that project's modules its own package does not replace."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "deblock" / "fixer" / "fixtures"
NOTES = FIXTURES / "runtime_projects" / "package_notes" / "notes"


def common_lock_project(name: str, into: Path) -> Path:
    """``common_lock/NAME_project`` copied below ``into``, its package ``NAME`` given the
    modules of ``package_notes``'s package it has none of (``store.py``, ``review.py``)."""
    project = shutil.copytree(FIXTURES / "common_lock" / f"{name}_project", into / name)
    for module in ("store.py", "review.py"):
        if not (project / name / module).exists():
            shutil.copyfile(NOTES / module, project / name / module)
    return project

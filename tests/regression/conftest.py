"""Fixtures for the regression target: copies of the blocking snapshot, fixed or not."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from regression_apps import SNAPSHOT_PACKAGE
from regression_runs import copy_snapshot, deblock


@pytest.fixture
def snapshot_copy(tmp_path: Path) -> Path:
    return copy_snapshot(tmp_path)


@pytest.fixture(scope="module")
def fixed_copy(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the snapshot after ``deblock fix --unsafe-fixes``, and that run."""
    package = copy_snapshot(tmp_path_factory.mktemp("fixed"))
    done = deblock("fix", "--unsafe-fixes", SNAPSHOT_PACKAGE, cwd=package.parent)
    return package, done

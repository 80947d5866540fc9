"""The packages a project depends on, which its fixed code may import (``aiofiles``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from deblock.project.dependencies import declared, own_name, project_directory


def owner(path: Path, root: Path) -> Path:
    """The ``pyproject.toml`` of the project that owns the file at ``path``: the nearest
    one above it (a monorepo's ``backend/pyproject.toml``), else the one at ``root``."""
    directory = project_directory(str(path.resolve().parent))
    return Path(directory or root) / "pyproject.toml"


def project_dependencies(path: str, root: Path) -> frozenset[str]:
    """The packages the project owning the file at ``path`` depends on, or is (by its
    ``pyproject.toml`` and requirements): what its fixed code may import."""
    return _dependencies(owner(Path(path), root).parent)


@lru_cache(maxsize=64)
def _dependencies(project: Path) -> frozenset[str]:
    return frozenset(declared(project) | {own_name(project)} - {None})

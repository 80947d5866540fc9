"""Whether a project declares a package its fixed code now imports (``aiofiles``)."""

from __future__ import annotations

from pathlib import Path

from deblock.project.dependencies import declared, normal, own_name, project_directory


def owner(path: Path, root: Path) -> Path:
    """The ``pyproject.toml`` of the project that owns the file at ``path``: the nearest
    one above it (a monorepo's ``backend/pyproject.toml``), else the one at ``root``."""
    directory = project_directory(str(path.resolve().parent))
    return Path(directory or root) / "pyproject.toml"


def undeclared(imports: dict[str, set[str]], root: Path) -> dict[Path, list[str]]:
    """The packages that fixed files (``imports``: path → packages it now imports) need
    and their owning project does not declare, nor is (aiofiles's own tests), by that
    project's ``pyproject.toml``."""
    needed: dict[Path, set[str]] = {}
    for path, packages in imports.items():
        if packages:
            needed.setdefault(owner(Path(path), root), set()).update(packages)
    missing = {}
    for project, packages in sorted(needed.items()):
        names = declared(project.parent) | {own_name(project.parent)}
        absent = sorted(p for p in packages if normal(p) not in names)
        if absent:
            missing[project] = absent
    return missing

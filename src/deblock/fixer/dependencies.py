"""Whether a project declares a package its fixed code now imports (``aiofiles``)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(root: Path) -> set[str]:
    """The normalised names of the packages the project at ``root`` depends on
    (``pyproject.toml`` and ``requirements*.txt``)."""
    specs: list[str] = []
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        project = data.get("project", {})
        specs += project.get("dependencies", [])
        for extra in project.get("optional-dependencies", {}).values():
            specs += extra
        specs += list(data.get("tool", {}).get("poetry", {}).get("dependencies", {}))
    for requirements in sorted(root.glob("requirements*.txt")):
        specs += requirements.read_text(encoding="utf-8", errors="replace").splitlines()
    names = {
        _normal(m.group(1)) for spec in specs if isinstance(spec, str) if (m := _NAME.match(spec))
    }
    return names


def owner(path: Path, root: Path) -> Path:
    """The ``pyproject.toml`` of the project that owns the file at ``path``: the nearest
    one above it (a monorepo's ``backend/pyproject.toml``), else the one at ``root``."""
    for directory in path.resolve().parents:
        if (directory / "pyproject.toml").is_file():
            return directory / "pyproject.toml"
    return root / "pyproject.toml"


def undeclared(imports: dict[str, set[str]], root: Path) -> dict[Path, list[str]]:
    """The packages that fixed files (``imports``: path → packages it now imports) need
    and their owning project does not declare, by that project's ``pyproject.toml``."""
    needed: dict[Path, set[str]] = {}
    for path, packages in imports.items():
        if packages:
            needed.setdefault(owner(Path(path), root), set()).update(packages)
    missing = {}
    for project, packages in sorted(needed.items()):
        names = declared(project.parent)
        absent = sorted(p for p in packages if _normal(p) not in names)
        if absent:
            missing[project] = absent
    return missing

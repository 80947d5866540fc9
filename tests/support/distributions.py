"""Wheels built from a copy of a project's sources, and fresh virtualenvs to install them into."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path


def source_copy(project: Path, destination: Path) -> Path:
    """The files git would check out under ``project`` (tracked or new, not ignored), copied."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=project,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = project / relative
        if source.is_file():
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def build_wheel(project: Path, work: Path) -> Path:
    """Build ``project``'s wheel (no dependencies) from a copy, so the checkout stays untouched."""
    source = source_copy(project, work / "source")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "wheels", "."],
        cwd=source,
        check=True,
    )
    [wheel] = (work / "wheels").glob("*.whl")
    return wheel


def wheel_contents(wheel: Path) -> tuple[set[str], str]:
    """The wheel's top-level names and its ``entry_points.txt`` ('' without one)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        scripts = archive.read(entry_points[0]).decode() if entry_points else ""
    return {name.split("/")[0] for name in names}, scripts


def fresh_venv(path: Path) -> Path:
    """A new virtualenv that sees none of this environment's packages; its ``bin`` directory."""
    venv.create(path, with_pip=True)
    return path / "bin"

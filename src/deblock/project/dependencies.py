"""What a project declares it depends on, read from its ``pyproject.toml`` and requirements."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path, PurePath

from deblock.analysis.modules import module_name, project_directory
from deblock.config import toml_parser

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normal(name: str) -> str:
    """A package name normalised as PyPI compares them (``Foo_Bar`` is ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(root: Path, extras: bool = True, among: frozenset[str] | None = None) -> set[str]:
    """The normalised names of the packages the project at ``root`` depends on:
    ``pyproject.toml`` (PEP 621 and Poetry) and ``requirements*.txt``; without ``extras``,
    only what it needs to run (no optional dependencies, only ``requirements.txt``); with
    ``among`` (normalised names), only those of them."""
    specs: list[str] = []
    data = _pyproject(root, among)
    if data:
        project = data.get("project", {})
        specs += project.get("dependencies", [])
        if extras:
            for extra in project.get("optional-dependencies", {}).values():
                specs += extra
        specs += list(data.get("tool", {}).get("poetry", {}).get("dependencies", {}))
    for requirements in sorted(root.glob("requirements*.txt" if extras else "requirements.txt")):
        specs += requirements.read_text(encoding="utf-8", errors="replace").splitlines()
    names = {
        normal(m.group(1)) for spec in specs if isinstance(spec, str) if (m := _NAME.match(spec))
    }
    return names if among is None else names & among


def project_dependencies(
    path: str, root: Path, among: frozenset[str] | None = None
) -> frozenset[str]:
    """The packages the project owning the file at ``path`` depends on, or is: what its
    fixed code may import (``aiofiles``); with ``among``, only those of them. Its project
    is the nearest project directory above the file (``project_directory``: a monorepo's
    ``backend/``), else ``root``."""
    directory = project_directory(str(Path(path).resolve().parent))
    return _dependencies(Path(directory or root), among)


@lru_cache(maxsize=64)
def _dependencies(project: Path, among: frozenset[str] | None) -> frozenset[str]:
    names = declared(project, among=among) | {own_name(project, among)} - {None}
    return frozenset(names if among is None else names & among)


def own_name(root: Path, among: frozenset[str] | None = None) -> str | None:
    """The normalised name of the project at ``root`` (PEP 621 or Poetry), if it has one
    (with ``among``, None when its ``pyproject.toml`` cannot name one of those)."""
    data = _pyproject(root, among)
    name = data.get("project", {}).get("name") or data.get("tool", {}).get("poetry", {}).get("name")
    return normal(name) if isinstance(name, str) else None


# Entry-point groups that name commands: each runs in a process of its own, never loaded
# into another program's.
_COMMANDS = frozenset({"console_scripts", "gui_scripts"})
# The group of entry points a ``setup.py`` or ``setup.cfg`` declares in a form not read here.
UNKNOWN_GROUP = ""


def plugin_groups(root: Path) -> set[str]:
    """The entry-point groups the project at ``root`` declares plugins in (PEP 621, Poetry
    plugins, ``setup.cfg``'s ``[options.entry_points]``, ``setup.py``'s ``entry_points``):
    whatever loads a group (pytest its ``pytest11``) loads their modules, no import naming
    them. Commands are left out."""
    return set(_entry_points(root)) - _COMMANDS


def test_plugins(root: Path) -> list[str] | None:
    """The modules of the ``pytest11`` entry points (``module:object``) the project at
    ``root`` declares (``plugin_groups``' places): what pytest imports of it into every
    test run; None when it declares none, or one in a form not read (the whole project may
    be loaded)."""
    values = _entry_points(root).get(PYTEST_PLUGINS)
    if not values or None in values:
        return None
    return sorted({value.partition(":")[0].strip() for value in values})


# The entry-point group pytest loads into every test run, named or not.
PYTEST_PLUGINS = "pytest11"


def _entry_points(root: Path) -> dict[str, list[str | None]]:
    """The entry points the project at ``root`` declares, by group: each one's object
    reference (``module:object``), None where its form is not read (``UNKNOWN_GROUP``: a
    group not read)."""
    data = _pyproject(root)
    found: dict[str, list[str | None]] = defaultdict(list)
    tables = [
        data.get("project", {}).get("entry-points", {}),
        data.get("tool", {}).get("poetry", {}).get("plugins", {}),
    ]
    for group, points in (item for table in tables for item in table.items()):
        named = points.values() if isinstance(points, dict) else [None]
        found[group] += [value if isinstance(value, str) else None for value in named]
    for group, lines in [*_setup_cfg(root / "setup.cfg"), *_setup_py(root / "setup.py")]:
        found[group] += _references(lines)
    return found


def _references(lines: str | list | None) -> list[str | None]:
    """The object references of a group's ``name = module:object`` lines in ``setup.cfg``
    or ``setup.py`` (one string, or a list of them): None where not a string."""
    if isinstance(lines, str):
        lines = [line for line in lines.splitlines() if line.strip()]
    if not isinstance(lines, list):
        return [None]
    return [line.partition("=")[2] if "=" in str(line) else None for line in lines]


def _setup_py(path: Path) -> list[tuple[str, str | list | None]]:
    """The groups of the ``entry_points`` the ``setup.py`` at ``path`` declares as a dict
    (``entry_points={"console_scripts": [...]}``, or that key of a dict handed on), read
    without running it, with each one's lines where constant; ``UNKNOWN_GROUP`` when it
    declares them otherwise."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if b"entry_points" not in data:
        return []
    import ast

    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return [(UNKNOWN_GROUP, None)]
    values = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg == "entry_points"
    ] + [
        value
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for key, value in zip(node.keys, node.values, strict=True)
        if isinstance(key, ast.Constant) and key.value == "entry_points"
    ]
    groups = []
    for value in values:
        if not isinstance(value, ast.Dict):
            groups.append((UNKNOWN_GROUP, None))
            continue
        for key, lines in zip(value.keys, value.values, strict=True):
            is_name = isinstance(key, ast.Constant) and isinstance(key.value, str)
            groups.append((key.value, _constant(lines)) if is_name else (UNKNOWN_GROUP, None))
    return groups or [(UNKNOWN_GROUP, None)]


def _constant(node) -> str | list | None:
    """The value of a constant string, or of a list or tuple of them, else None."""
    import ast

    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None
    return list(value) if isinstance(value, (tuple, list)) else value


def _setup_cfg(path: Path) -> list[tuple[str, str | None]]:
    """The groups of ``[options.entry_points]`` in the ``setup.cfg`` at ``path``, with
    each one's lines."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if "entry_points" not in text:
        return []
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return [(UNKNOWN_GROUP, None)]
    section = "options.entry_points"
    return list(parser[section].items()) if parser.has_section(section) else []


def _pyproject(root: Path, among: frozenset[str] | None = None) -> dict:
    """The ``pyproject.toml`` at ``root``, read (empty when missing or unreadable). With
    ``among`` (normalised names), a file that cannot name any of them is not parsed: empty
    too (the TOML parser's import and the files were ~5 % of a warm run of the bench
    corpus, which asks only whether projects name anyio, trio or aiofiles)."""
    try:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
        if among is not None and not _may_name(text, among):
            return {}
        return toml_parser().loads(text)
    except (OSError, ValueError):
        return {}


def _may_name(text: str, names: frozenset[str]) -> bool:
    """Whether TOML ``text`` may hold one of the normalised ``names`` (a name normalises
    to one of them only if the text, normalised the same way, holds it; an escaped
    character may spell anything)."""
    if "\\u" in text or "\\U" in text:
        return True
    normalised = normal(text)
    return any(name in normalised for name in names)


def project_of(path: str, known: dict[str, str | None]) -> tuple[str, bool]:
    """The directory of the project holding the module at ``path``, and whether it is a
    declared one's (``project_directory``): the nearest one above it, else the directory
    its dotted name starts from; ``known`` remembers directories' answers."""
    absolute = os.path.abspath(path)
    directory = project_directory(os.path.dirname(absolute), known)
    if directory is not None:
        return directory, True
    name, is_package = module_name(path)
    levels = name.count(".") + is_package  # the directories of its packages
    return str(PurePath(absolute).parents[levels]), False

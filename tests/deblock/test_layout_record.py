"""Module names and a project's own sources answered from the layout record only while no
directory they were found from has changed: a cached run over an unchanged tree names no
module, and one after a change finds what a run without the cache finds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from json_check import checked
from test_walk_record import aged

from deblock.analysis.modules import layout_read
from deblock.config import load_settings
from deblock.runner import analyze_paths

FIXTURES = Path(__file__).parent / "fixtures"


def _copied(source: Path, tmp_path: Path) -> Path:
    """A copy of the fixture at ``source`` in a project of its own (not a package's name,
    with a ``pyproject.toml``: what names its modules lies within it, not in the test's
    temporary folders), with the empty configuration ``empty.toml``."""
    root = tmp_path / "the-project"
    shutil.copytree(source, root)
    (root / "empty.toml").touch()
    (root / "pyproject.toml").touch(exist_ok=True)
    return root


def shown(root: Path, *targets: str, cache: Path | None = None) -> set[tuple[str, str, str]]:
    """(path, message, target) of each finding of ``deblock check`` over ``targets``."""
    return {(f["path"], f["message"], f["target"]) for f in checked(root, *targets, cache=cache)}


def test_an_unchanged_tree_is_named_without_reading_a_directory(tmp_path, monkeypatch):
    root = aged(_copied(FIXTURES / "layout", tmp_path))
    monkeypatch.chdir(root)
    settings = load_settings(["app"], root / "empty.toml")
    first = analyze_paths(["app"], settings, jobs=1, cache_dir=tmp_path / "cache")
    assert layout_read()
    again = analyze_paths(["app"], settings, jobs=1, cache_dir=tmp_path / "cache")
    # where the importers of the run's modules outside ``app`` are looked for
    # (``project.importers``): their package's directory found, and the project's probed
    # for its pyproject.toml; no other directory is read
    assert layout_read() == {str(root / "app"): False, str(root): False}
    assert [f.code for f in again.findings] == [f.code for f in first.findings] == ["DBK801"]


def test_a_warm_run_asks_no_directory_whether_it_is_a_package(tmp_path, monkeypatch):
    """Where the importers of the run's modules are looked for needs their directories
    only, not their packages (``modules.module_directory``): with the names recorded, no
    ``__init__.py`` is looked for (a warm run of the bench corpus looked for 502)."""
    root = aged(_copied(FIXTURES / "layout", tmp_path))
    (root / "app" / "jobs").mkdir()
    (root / "app" / "jobs" / "work.py").write_text("import time\n")
    monkeypatch.chdir(root)
    settings = load_settings(["app"], root / "empty.toml")
    analyze_paths(["app"], settings, jobs=1, cache_dir=tmp_path / "cache")
    probed, isfile = [], os.path.isfile
    monkeypatch.setattr(os.path, "isfile", lambda path: probed.append(path) or isfile(path))
    again = analyze_paths(["app"], settings, jobs=1, cache_dir=tmp_path / "cache")
    assert [f.code for f in again.findings] == ["DBK801"]
    assert probed and not [path for path in probed if path.endswith("__init__.py")]


def test_a_run_in_the_same_process_names_the_modules_anew(tmp_path, monkeypatch):
    """A package made between two runs of one process (no cache) renames its modules:
    ``from b import helper`` in ``app/a.py`` then finds nothing."""
    root = _copied(FIXTURES / "layout", tmp_path)
    monkeypatch.chdir(root)
    settings = load_settings(["app"], root / "empty.toml")
    assert [f.code for f in analyze_paths(["app"], settings, jobs=1).findings] == ["DBK801"]
    (root / "app" / "__init__.py").write_text("")
    assert analyze_paths(["app"], settings, jobs=1).findings == []


def _package_made(root: Path) -> None:
    (root / "app" / "__init__.py").write_text("")


def _package_unmade(root: Path) -> None:
    (root / "app" / "__init__.py").unlink()


def _store(root: Path) -> Path:
    """The module of a subpackage of the project's own package that the test imports."""
    return root / "src" / "stash" / "disk" / "store.py"


def _source_added(root: Path) -> None:
    shutil.copy(_store(FIXTURES / "layout_record" / "own"), _store(root))


def _source_removed(root: Path) -> None:
    _store(root).unlink()


def _linked_directory(root: Path) -> None:
    """The module a link to a directory outside the project, so no module: no directory
    the sources are found from changes when a file takes that directory's place."""
    _store(root).rename(root.parent / "store.txt")
    (root.parent / "store.py").mkdir()
    _store(root).symlink_to(root.parent / "store.py")


def _link_made_a_file(root: Path) -> None:
    (root.parent / "store.py").rmdir()
    (root.parent / "store.txt").rename(root.parent / "store.py")


def _linked_package(root: Path) -> None:
    """``app/__init__.py`` a link to a file outside the project: no directory the names
    are found from changes when the file goes."""
    (root.parent / "init.py").write_text("")
    (root / "app" / "__init__.py").symlink_to(root.parent / "init.py")


def _link_broken(root: Path) -> None:
    (root.parent / "init.py").unlink()


# (fixture, the run's targets, how the tree is before the cached runs, the change)
CHANGES: dict[str, tuple[Path, list[str], Callable | None, Callable]] = {
    "a package made around unchanged files": (FIXTURES / "layout", ["app"], None, _package_made),
    "two files of a package made": (
        FIXTURES / "layout",
        ["app/a.py", "app/b.py"],
        None,
        _package_made,
    ),
    "a package unmade": (FIXTURES / "layout", ["app"], _package_made, _package_unmade),
    "a package of two named files unmade": (
        FIXTURES / "layout",
        ["app/a.py", "app/b.py"],
        _package_made,
        _package_unmade,
    ),
    "a module of the project's own package added": (
        FIXTURES / "layout_record" / "own",
        ["tests/test_store.py"],
        _source_removed,
        _source_added,
    ),
    "a module of the project's own package removed": (
        FIXTURES / "layout_record" / "own",
        ["tests/test_store.py"],
        None,
        _source_removed,
    ),
    "a link in the project's own package to a directory that becomes a module": (
        FIXTURES / "layout_record" / "own",
        ["tests/test_store.py"],
        _linked_directory,
        _link_made_a_file,
    ),
    "a package's linked __init__.py whose target goes": (
        FIXTURES / "layout",
        ["app/a.py", "app/b.py"],
        _linked_package,
        _link_broken,
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_cached_run_after_a_change_finds_what_an_uncached_run_finds(tmp_path, change):
    fixture, targets, before, after = CHANGES[change]
    root = _copied(fixture, tmp_path)
    if before is not None:
        before(root)
    aged(root)
    cache = tmp_path / "cache"
    first = shown(root, *targets, cache=cache)
    assert shown(root, *targets, cache=cache) == first  # answered from the record
    after(root)
    changed = shown(root, *targets, cache=cache)
    assert changed == shown(root, *targets) != first

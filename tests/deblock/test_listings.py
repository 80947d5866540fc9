"""A run lists each directory once: discovery's listings are what the module names and the
projects' own sources read, and a probe answered from a listing is the file system's."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from deblock.config import load_settings
from deblock.listings import entries, forget_listings, holds_file
from deblock.runner import analyze_paths

FIXTURES = Path(__file__).parent / "project" / "fixtures" / "one_file_reach"


@pytest.fixture
def listed(monkeypatch) -> Counter:
    """How many times each directory is listed (``os.scandir`` calls)."""
    calls: Counter = Counter()
    scandir = os.scandir

    def counting(path="."):
        calls[os.fspath(path)] += 1
        return scandir(path)

    monkeypatch.setattr(os, "scandir", counting)
    return calls


def test_a_directory_run_lists_each_directory_once(tmp_path, monkeypatch, listed):
    """The package's directory and the one above it (its start directory, holding the
    project's ``pyproject.toml``) are discovery's, its own sources' and the project's."""
    root = tmp_path / "the-project"
    shutil.copytree(FIXTURES / "package", root)
    (root / "pyproject.toml").touch()
    monkeypatch.chdir(root)
    result = analyze_paths(["."], load_settings(["."], root / "empty.toml"), jobs=1)
    assert [f.code for f in result.findings] == ["DBK101"]
    assert {str(root), str(root / "app")} <= set(listed)
    assert {d: n for d, n in listed.items() if n > 1} == {}


def test_a_listed_directory_tells_a_file_as_isfile_does(tmp_path):
    """From the listing or without one: a file, a link to one, a directory, a link to
    one, a broken link, a link that loops and a name that is not there."""
    (tmp_path / "module.py").write_text("")
    (tmp_path / "package").mkdir()
    for link, target in [
        ("to_file", "module.py"),
        ("to_directory", "package"),
        ("broken", "gone"),
        ("loop", "loop"),
    ]:
        (tmp_path / link).symlink_to(target)
    names = ["module.py", "package", "to_file", "to_directory", "broken", "loop", "absent"]
    directory = str(tmp_path)
    told = {name: os.path.isfile(tmp_path / name) for name in names}
    assert told == {name: name in ("module.py", "to_file") for name in names}
    forget_listings()
    assert {name: holds_file(directory, name) for name in names} == told
    assert set(entries(directory)) == set(names) - {"absent"}
    assert {name: holds_file(directory, name) for name in names} == told
    forget_listings()

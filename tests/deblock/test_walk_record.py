"""A recorded walk answers a later discovery only while nothing the walk read changed."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from test_discovery import make_tree

from deblock import discovery
from deblock.config import Settings
from deblock.discovery import discover

HOUR_AGO_NS = time.time_ns() - 3600 * 10**9


@pytest.fixture
def listed(monkeypatch) -> list[str]:
    """The directories discovery lists (``os.scandir`` calls)."""
    calls: list[str] = []
    scandir = os.scandir

    def counting(path):
        calls.append(path)
        return scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", counting)
    return calls


def aged(root: Path) -> Path:
    """Every directory and ``.gitignore`` under ``root`` last modified an hour ago (a walk
    of a tree that changed within the file system's clock tick is not recorded)."""
    for path in [root, *root.rglob("*")]:
        if path.is_dir() or path.name == ".gitignore":
            os.utime(path, ns=(HOUR_AGO_NS, HOUR_AGO_NS))
    return root


def found(root: Path, cache: Path, settings: Settings | None = None) -> list[str]:
    return discover(["app", "scripts"], settings or Settings(root=root), cache).files


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    root = make_tree(tmp_path / "project")
    monkeypatch.chdir(aged(root))
    return root


def test_an_unchanged_tree_is_answered_without_listing_a_directory(tree, tmp_path, listed):
    first = found(tree, tmp_path / "cache")
    assert listed
    listed.clear()
    assert found(tree, tmp_path / "cache") == first
    assert listed == []


def test_a_file_added_or_removed_deep_in_the_tree_is_seen(tree, tmp_path, listed):
    cache = tmp_path / "cache"
    assert "app/generated/new.py" not in found(tree, cache)
    (tree / "app" / "generated" / "new.py").write_text("")
    assert "app/generated/new.py" in found(tree, cache)
    aged(tree)
    found(tree, cache)
    (tree / "app" / "generated" / "new.py").unlink()
    listed.clear()
    assert "app/generated/new.py" not in found(tree, cache)
    assert listed


def test_a_gitignore_edited_in_place_applies(tree, tmp_path):
    cache = tmp_path / "cache"
    assert "app/main.py" in found(tree, cache)
    with open(tree / "app" / ".gitignore", "a") as fh:  # same inode: the directory is unchanged
        fh.write("main.py\n")
    assert "app/main.py" not in found(tree, cache)


def test_the_exclusion_settings_key_the_record(tree, tmp_path):
    cache = tmp_path / "cache"
    assert "app/generated/schema.py" in found(tree, cache)
    excluded = Settings(root=tree, extend_exclude=("generated",))
    assert "app/generated/schema.py" not in found(tree, cache, excluded)


def test_a_tree_changed_just_now_is_walked_again(tmp_path, monkeypatch, listed):
    monkeypatch.chdir(make_tree(tmp_path / "project"))
    found(tmp_path / "project", tmp_path / "cache")
    listed.clear()
    found(tmp_path / "project", tmp_path / "cache")
    assert listed


def test_a_walk_that_met_a_symbolic_link_is_walked_again(tree, tmp_path):
    target = tmp_path / "outside.py"  # in no directory the walk reads
    target.write_text("")
    (tree / "app" / "linked.py").symlink_to(target)
    aged(tree)
    assert "app/linked.py" in found(tree, tmp_path / "cache")
    target.unlink()
    assert "app/linked.py" not in found(tree, tmp_path / "cache")


@pytest.mark.parametrize("damage", ['{"files": [1, 2], "stamps": {}}', "[]", "{not json"])
def test_a_damaged_record_is_walked_again(tree, tmp_path, damage):
    first = found(tree, tmp_path / "cache")
    [record] = (tmp_path / "cache").rglob("walks/*.json")
    record.write_text(damage)
    assert found(tree, tmp_path / "cache") == first


def test_named_files_are_never_recorded(tree, tmp_path):
    discover(["app/main.py"], Settings(root=tree), tmp_path / "cache")
    assert not list((tmp_path / "cache").rglob("walks"))


def test_a_warm_check_neither_lists_directories_nor_parses_patterns(deblock, imported, tree):
    args = ["check", "--cache-dir", ".cache", "app", "scripts"]
    first = deblock(*args, cwd=tree)
    aged(tree)
    deblock(*args, cwd=tree)  # recorded now that the tree is old enough
    output, modules = imported(args, tree, ("pathspec",))
    assert (output, modules) == (first.stdout, [])


@pytest.fixture
def outside_git(tmp_path, monkeypatch) -> Path:
    """The tree with no ``.git`` in it or above it (``tmp_path``, above it, changes as the
    cache is made in it: no stamp of it can be trusted)."""
    root = make_tree(tmp_path / "project")
    shutil.rmtree(root / ".git")
    assert not any((parent / ".git").exists() for parent in root.parents)
    monkeypatch.chdir(aged(root))
    return root


def test_a_tree_outside_any_git_repository_is_answered_while_no_git_appears(
    outside_git, tmp_path, listed
):
    """Outside a repository no ``.gitignore`` above the walked directories applies: the
    record stands on their ancestors holding no ``.git``, not on their stamps."""
    cache = tmp_path / "cache"
    (tmp_path / ".gitignore").write_text("generated/\n")  # applies only in a repository
    first = found(outside_git, cache)
    assert "app/generated/schema.py" in first
    listed.clear()
    assert found(outside_git, cache) == first
    assert listed == []
    (tmp_path / ".git").mkdir()  # now the repository's root, its .gitignore applies
    assert "app/generated/schema.py" not in found(outside_git, cache)
    assert listed

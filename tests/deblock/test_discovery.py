"""Which files `deblock check` finds under directories, and which it skips."""

from __future__ import annotations

import subprocess
from pathlib import Path

from deblock.config import Settings, load_settings
from deblock.discovery import discover

FILES = (
    "app/main.py",
    "app/types.pyi",
    "app/notes.txt",
    "app/generated/schema.py",
    "app/build/lib.py",
    "scripts/tool.py",
    "node_modules/pkg/x.py",
    "dist/x.py",
    "build/x.py",
    ".tox/py311/x.py",
    "app/__pycache__/x.py",
    ".venv/lib/x.py",
    "myenv/lib/x.py",
    "myenv/pyvenv.cfg",
    ".git/hooks/x.py",
    "logs/debug.py",
    "app/local_settings.py",
)


def make_tree(root: Path) -> Path:
    for name in FILES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("async def f(): pass\n")
    (root / ".gitignore").write_text("logs/\n")
    (root / "app" / ".gitignore").write_text("local_*.py\n")
    return root


def found(root: Path, *paths: str, settings: Settings | None = None) -> list[str]:
    settings = settings or Settings(root=root)
    return discover([str(root / p) for p in paths or ["."]], settings).files


def test_skips_virtualenvs_build_outputs_vcs_and_gitignored_files(tmp_path, monkeypatch):
    monkeypatch.chdir(make_tree(tmp_path))
    assert found(tmp_path) == [
        "app/generated/schema.py",
        "app/main.py",
        "app/types.pyi",
        "scripts/tool.py",
    ]


def test_exclude_replaces_and_extend_exclude_adds(tmp_path, monkeypatch):
    monkeypatch.chdir(make_tree(tmp_path))
    extended = Settings(root=tmp_path, extend_exclude=("app/generated/", "*.pyi"))
    assert found(tmp_path, settings=extended) == ["app/main.py", "scripts/tool.py"]
    replaced = Settings(root=tmp_path, exclude=("scripts",))
    assert "dist/x.py" in found(tmp_path, settings=replaced)
    assert "scripts/tool.py" not in found(tmp_path, settings=replaced)
    assert not any(p.startswith(".git/") for p in found(tmp_path, settings=replaced))


def test_exclude_from_pyproject(tmp_path, monkeypatch):
    monkeypatch.chdir(make_tree(tmp_path))
    (tmp_path / "pyproject.toml").write_text('[tool.deblock]\nextend-exclude = ["scripts"]\n')
    assert "scripts/tool.py" not in found(tmp_path, settings=load_settings(["."]))


def test_explicit_files_are_always_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(make_tree(tmp_path))
    assert found(tmp_path, "dist/x.py", "logs/debug.py", "app/notes.txt") == [
        "app/notes.txt",
        "dist/x.py",
        "logs/debug.py",
    ]


def test_force_exclude_applies_excludes_to_explicit_files(tmp_path, monkeypatch):
    monkeypatch.chdir(make_tree(tmp_path))
    forced = Settings(root=tmp_path, extend_exclude=("app/generated/",), force_exclude=True)
    named = ("dist/x.py", "app/build/lib.py", "app/generated/schema.py", "app/main.py")
    assert found(tmp_path, *named, settings=forced) == ["app/main.py"]


def test_force_exclude_from_the_command_line_and_the_configuration(deblock, project):
    root = project("blocking.py", into="migrations")
    (root / "pyproject.toml").write_text('[tool.deblock]\nextend-exclude = ["migrations"]\n')
    named = deblock("check", "--no-cache", "migrations/blocking.py", cwd=root)
    assert named.returncode == 1
    forced = deblock("check", "--no-cache", "--force-exclude", "migrations/blocking.py", cwd=root)
    assert (forced.returncode, forced.stdout) == (0, "All checks passed!\n")
    (root / "pyproject.toml").write_text(
        '[tool.deblock]\nextend-exclude = ["migrations"]\nforce-exclude = true\n'
    )
    assert deblock("check", "--no-cache", "migrations/blocking.py", cwd=root).returncode == 0


def test_gitignore_of_the_repository_applies_below_its_root(tmp_path, monkeypatch):
    make_tree(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "app" / "logs").mkdir()
    (tmp_path / "app" / "logs" / "x.py").write_text("")
    monkeypatch.chdir(tmp_path / "app")
    # /logs/ is ignored only at the root; app/logs is not; local_*.py anywhere under app/
    (tmp_path / ".gitignore").write_text("/logs/\nmain.py\n")
    assert found(tmp_path / "app") == ["generated/schema.py", "logs/x.py", "types.pyi"]


def test_an_ignored_directory_named_explicitly_is_walked(tmp_path, monkeypatch):
    make_tree(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    assert found(tmp_path, "logs") == ["logs/debug.py"]


def test_paths_outside_the_working_directory_are_absolute(tmp_path, monkeypatch):
    make_tree(tmp_path / "tree")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    files = found(tmp_path / "tree", "scripts")
    assert files == [str(tmp_path / "tree" / "scripts" / "tool.py")]


def test_a_file_reached_twice_is_listed_once(tmp_path, monkeypatch):
    monkeypatch.chdir(make_tree(tmp_path))
    assert found(tmp_path, "scripts", "scripts/tool.py", "./scripts/../scripts/tool.py") == [
        "scripts/tool.py"
    ]


def test_a_gitignore_line_git_never_matches_is_left_out(tmp_path, monkeypatch):
    make_tree(tmp_path)
    # "!" alone and a trailing backslash match nothing in git; the lines around them still work
    (tmp_path / ".gitignore").write_text("!\nlogs/\nx\\\n/scripts/\n")
    monkeypatch.chdir(tmp_path)
    assert found(tmp_path) == ["app/generated/schema.py", "app/main.py", "app/types.pyi"]

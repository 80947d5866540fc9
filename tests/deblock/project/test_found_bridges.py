"""The thread bridge a project wrote itself is found, and each module's fixes get the one
that suits it (a bare name is one the module binds already)."""

import shutil
from pathlib import Path

import pytest

from deblock.config import load_settings
from deblock.runner import analyze_paths

BRIDGES = Path(__file__).parent / "fixtures" / "bridges"


def _bridges(project: str, tmp_path: Path, monkeypatch) -> dict[str, str]:
    """The bridges of a cold run, checked against a warm one's (from the cache)."""
    shutil.copytree(BRIDGES / project, tmp_path / project)
    monkeypatch.chdir(tmp_path / project)
    runs = [
        analyze_paths(["."], load_settings(["."]), jobs=1, cache_dir=tmp_path / "cache")
        for _ in range(2)
    ]
    assert runs[0].bridges == runs[1].bridges
    return runs[0].bridges


def test_modules_call_the_bridge_they_bind_and_others_none_when_several_would_do(
    tmp_path, monkeypatch
):
    assert _bridges("several", tmp_path, monkeypatch) == {
        # defined or imported: called by the name the module binds
        "lib/aio.py": "run_sync",
        "lib/executor.py": "in_executor",
        "lib/tangled.py": "offload",
        "lib/uses_aio.py": "run_sync",
        "lib/uses_alias.py": "in_thread",
        "lib/uses_executor.py": "in_executor",
        "lib/uses_tangled.py": "offload",
        # lib/plain.py: two bridges would do (lib.tangled's imports lib.settings, so it is
        # no candidate), none is chosen; under trio (lib/trio_module.py) asyncio's bridges do
        # not run; lib/django_view.py keeps asgiref's
    }


def test_an_anyio_project_gets_the_bridge_that_runs_under_anyio(tmp_path, monkeypatch):
    assert _bridges("anyio_project", tmp_path, monkeypatch) == {
        "web/pool.py": "offload",
        "web/aio.py": "run_sync",  # it commits to asyncio itself
        "web/tasks.py": "offload",  # it imports run_sync too, which needs asyncio
        "web/plain.py": "web.pool.offload",
    }


def test_the_one_bridge_in_use_is_imported_where_no_name_clashes(tmp_path, monkeypatch):
    assert _bridges("one", tmp_path, monkeypatch) == {
        "svc/threads.py": "run_sync",
        "svc/api.py": "run_sync",
        "svc/jobs.py": "svc.threads.run_sync",
        "svc/not_bridges.py": "svc.threads.run_sync",  # none of its look-alikes is a bridge
        # svc/own_name.py defines a run_sync of its own
    }


def test_a_bridge_nothing_uses_serves_only_its_own_module(tmp_path, monkeypatch):
    assert _bridges("unused", tmp_path, monkeypatch) == {"pkg/aio.py": "to_thread"}


@pytest.mark.parametrize("project", ["one", "unused"])
def test_a_configured_bridge_wins(project, tmp_path, monkeypatch):
    shutil.copytree(BRIDGES / project, tmp_path / project)
    (tmp_path / project / "pyproject.toml").write_text(
        '[tool.deblock]\nthread-bridge = "asgiref.sync.sync_to_async"\n'
    )
    monkeypatch.chdir(tmp_path / project)
    result = analyze_paths(["."], load_settings(["."]), jobs=1)
    assert result.bridges == {}
    assert {f.bridge for f in result.findings} == {"asgiref.sync.sync_to_async"}


def test_a_module_never_gets_another_project_s_bridge(tmp_path, monkeypatch):
    """Two projects (each its ``pyproject.toml``) in one run: project b's module gets no
    bridge of project a's, which it does not depend on (its fix imported ``pkg_a.aio``)."""
    assert _bridges("two_projects", tmp_path, monkeypatch) == {
        "a/pkg_a/aio.py": "run_sync",
        "a/pkg_a/files.py": "run_sync",
    }

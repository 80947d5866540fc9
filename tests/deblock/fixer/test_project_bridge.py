"""`deblock fix` bridges through the project's own helper: configured
(`[tool.deblock] thread-bridge`), or found in the project."""

import shutil
import subprocess
import sys
from pathlib import Path

from busy_pool import drive

FIXTURES = Path(__file__).parent / "fixtures"
OWN_BRIDGE = FIXTURES / "own_bridge"
RUN = (
    "import asyncio, app.aio, app.files;"
    "print(asyncio.run(app.files.rebuild('work')), app.aio.BRIDGED)"
)


def _rebuild(project: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", RUN], cwd=project, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_fixes_use_the_configured_bridge_and_keep_the_results(deblock, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(OWN_BRIDGE, project)
    (project / "work" / "old").mkdir(parents=True)
    assert _rebuild(project) == "['cache'] []\n"
    run = deblock("fix", ".", cwd=project)
    assert run.returncode == 0, run.stdout + run.stderr
    fixed = (project / "app" / "files.py").read_text()
    assert "from app.aio import run_sync" in fixed
    # removes, makes and lists one directory: one section, through the project's bridge
    assert "return await run_sync(_rebuild_in_thread)" in fixed
    assert _rebuild(project) == "['cache'] ['_rebuild_in_thread']\n"


def test_a_module_that_imports_sync_to_async_is_fixed_with_it(deblock, tmp_path):
    shutil.copytree(FIXTURES / "asgiref_bridge", tmp_path / "project")
    project = tmp_path / "project"
    (project / "w" / "uploads").mkdir(parents=True)
    run = [sys.executable, "-c", "import asyncio, views; print(asyncio.run(views.prepare('w')))"]
    before = subprocess.run(run, cwd=project, capture_output=True, text=True, check=True).stdout
    deblock("fix", ".", cwd=project)
    fixed = (project / "views.py").read_text()
    assert 'await sync_to_async(os.path.isdir)(os.path.join(path, "uploads"))' in fixed
    assert "sorted(await sync_to_async(os.listdir)(path))" in fixed
    after = subprocess.run(run, cwd=project, capture_output=True, text=True, check=True).stdout
    assert after == before == "(True, ['uploads'], 1)\n"


def test_a_bridge_that_is_not_a_qualified_name_is_a_configuration_error(deblock, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.deblock]\nthread-bridge = "run_sync"\n')
    run = deblock("check", ".", cwd=tmp_path)
    assert run.returncode == 2
    assert "`thread-bridge` must be a qualified name like pkg.aio.run_sync" in run.stderr


def test_fixes_use_the_bridge_the_project_wrote_itself(deblock, tmp_path):
    """``app.aio.run_sync`` hands its callable to the default executor: found, not configured.
    A module that imports it calls it, its own module calls it, another module imports it."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "found_bridge", project)
    views_imports = (project / "app" / "views.py").read_text().count("import")
    before = drive(project, tmp_path / "before")
    assert before["bridged"] == {"_render": 20}
    run = deblock("fix", ".", cwd=project)
    assert run.returncode == 0, run.stdout + run.stderr
    views = (project / "app" / "views.py").read_text()
    assert "names = sorted(await run_sync(os.listdir, path))" in views
    assert 'await run_sync(os.stat, os.path.join(path, "a"), follow_symlinks=True)' in views
    assert views.count("import") == views_imports
    aio = (project / "app" / "aio.py").read_text()
    assert "return await run_sync(os.path.isdir, path)" in aio
    assert "from app.aio import" not in aio
    files = (project / "app" / "files.py").read_text()
    assert "from app.aio import run_sync" in files
    assert "return await run_sync(_rebuild_in_thread)" in files
    after = drive(project, tmp_path / "after")
    assert after["results"] == before["results"]
    assert after["bridged"] == {
        name: 20 for name in ("_render", "listdir", "stat", "_rebuild_in_thread", "isdir")
    }
    guarded = drive(project, tmp_path / "guarded", "--guard")
    assert guarded["results"] == before["results"]
    assert deblock("check", ".", cwd=project).returncode == 0

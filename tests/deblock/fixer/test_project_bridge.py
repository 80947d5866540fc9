"""`deblock fix` bridges through the project's own helper (`[tool.deblock] thread-bridge`)."""

import shutil
import subprocess
import sys
from pathlib import Path

OWN_BRIDGE = Path(__file__).parent / "fixtures" / "own_bridge"
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
    assert 'await run_sync(os.makedirs, os.path.join(path, "cache"), exist_ok=True)' in fixed
    assert _rebuild(project) == "['cache'] ['rmtree', 'makedirs', 'listdir']\n"


def test_a_bridge_that_is_not_a_qualified_name_is_a_configuration_error(deblock, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.deblock]\nthread-bridge = "run_sync"\n')
    run = deblock("check", ".", cwd=tmp_path)
    assert run.returncode == 2
    assert "`thread-bridge` must be a qualified name like pkg.aio.run_sync" in run.stderr

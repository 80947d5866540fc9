"""`deblock fix` bridges with the async library the project runs on, not only the module's."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LIBRARIES = Path(__file__).parent / "fixtures" / "libraries"


def _copy(name: str, tmp_path: Path) -> Path:
    project = tmp_path / name
    shutil.copytree(LIBRARIES / name, project)
    return project


def _run(project: Path, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_module_of_a_trio_project_gets_trios_bridge(deblock, tmp_path):
    project = _copy("trio_app", tmp_path)
    (tmp_path / "data").mkdir()
    run = f"import app.main; print(app.main.run({str(tmp_path / 'data')!r}))"
    before = _run(project, run)
    fixed = deblock("fix", ".", cwd=project)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    storage = (project / "app" / "storage.py").read_text()
    assert "await trio.to_thread.run_sync(_prepare_in_thread)" in storage
    assert "asyncio" not in storage
    assert _run(project, run) == before == "['uploads']\n"
    tests = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    assert subprocess.run(tests, cwd=project, capture_output=True).returncode == 0


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_project_that_depends_on_anyio_gets_its_bridge_under_both_loops(
    deblock, tmp_path, backend
):
    project = _copy("anyio_service", tmp_path)
    run = (
        "import anyio, tempfile, service.files as f;"
        f"print(anyio.run(f.prepare, tempfile.mkdtemp(), backend={backend!r}))"
    )
    before = _run(project, run)
    deblock("fix", ".", cwd=project)
    files = (project / "service" / "files.py").read_text()
    assert "await anyio.to_thread.run_sync(_prepare_in_thread)" in files
    # anyio is third party: its own section, before the service's own imports
    assert "import threading\n\nimport anyio\n\nfrom service.names import UPLOADS\n" in files
    assert _run(project, run) == before == "['uploads']\n"


def test_trio_is_not_chosen_when_a_module_of_the_project_commits_to_asyncio(deblock, tmp_path):
    project = _copy("mixed_app", tmp_path)
    deblock("fix", ".", cwd=project)
    storage = (project / "app" / "storage.py").read_text()
    assert "await asyncio.to_thread(_prepare_in_thread)" in storage


def test_the_configured_library_wins(deblock, tmp_path):
    project = _copy("anyio_service", tmp_path)
    with open(project / "pyproject.toml", "a") as fh:
        fh.write('\n[tool.deblock]\nasync-library = "asyncio"\n')
    deblock("fix", ".", cwd=project)
    files = (project / "service" / "files.py").read_text()
    assert "await asyncio.to_thread(_prepare_in_thread)" in files

"""Runtime proof for projects that load one another without naming each other
(``fixtures/cli/reached_projects``): service_a's test imports service_c's ``relay``, which
imports service_b's ``store``, whose ``reset`` writes the count on the event loop beside the
test's bumps. Fixed in one run over the three projects, the bumps stay on the loop, and the
test, run by pytest on a busy thread pool (``guarded_tests``), passes as the original does;
its bumps moved into threads (as a run over service_a alone, which never sees ``store``,
moves them), the reset runs amid them: a bump reads the count the reset has just emptied
(``JSONDecodeError``)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECTS = Path(__file__).parent / "fixtures" / "cli" / "reached_projects"
SUPPORT = Path(__file__).parents[2] / "support"


def _pytest(root: Path, basetemp: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GUARDED_TESTS"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(SUPPORT), str(root / "service_b"), str(root / "service_c")]
    )
    options = ["-p", "guarded_tests", "-p", "no:asyncio", "-p", "no:cacheprovider", "-q"]
    command = [sys.executable, "-m", "pytest", *options, f"--basetemp={basetemp}", "tests"]
    return subprocess.run(command, cwd=root / "service_a", env=env, capture_output=True, text=True)


def test_a_test_keeps_its_bumps_beside_what_a_project_it_loads_leaves_on_the_loop(
    deblock, tmp_path
):
    fixed = tmp_path / "fixed"
    shutil.copytree(PROJECTS, fixed)
    test = fixed / "service_a" / "tests" / "test_counts.py"
    original = test.read_text()
    ran = _pytest(fixed, tmp_path / "original-run")
    assert ran.returncode == 0, ran.stdout + ran.stderr

    done = deblock("fix", "--no-cache", ".", cwd=fixed)
    reason = "`_zero` (service_b/store.py:2) touches the file system on the event loop"
    assert reason in done.stdout, done.stdout
    assert test.read_text() == original
    ran = _pytest(fixed, tmp_path / "fixed-run")
    assert ran.returncode == 0, ran.stdout + ran.stderr

    deblock("fix", "--no-cache", "service_a", cwd=fixed)  # what the fix would have done
    assert "asyncio.to_thread(" in test.read_text()
    ran = _pytest(fixed, tmp_path / "moved-run")
    assert "1 failed" in ran.stdout, ran.stdout + ran.stderr

"""The `deblock-fix` pre-commit hook, used by another repository through the real `pre-commit`.

Reuses the consumer repository of the `deblock` hook test, for the hook `deblock-fix`.
"""

from __future__ import annotations

import pytest
from resident_servers import ask_server, started_servers
from test_precommit_hook import consumer, pre_commit_home, pytestmark  # noqa: F401


@pytest.fixture
def hook() -> str:
    return "deblock-fix"


@pytest.fixture
def fix_consumer(consumer):  # noqa: F811 - the shared fixture
    return consumer


def test_hook_fixes_the_files_then_passes(fix_consumer, tmp_path):
    ran = fix_consumer("blocking.py")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "deblock fix" in ran.stdout and "files were modified by this hook" in ran.stdout
    fixed = (tmp_path / "consumer" / "pkg" / "blocking.py").read_text()
    assert "    await asyncio.sleep(1)\n" in fixed
    assert "    await asyncio.to_thread(_save_in_thread)\n" in fixed  # opens and writes: one unit
    again = fix_consumer()
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout


def test_hook_leaves_the_consumers_excluded_files_alone(fix_consumer, tmp_path):
    (tmp_path / "consumer" / "pyproject.toml").write_text(
        '[tool.deblock]\nextend-exclude = ["pkg"]\n'
    )
    ran = fix_consumer("blocking.py")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "time.sleep(1)" in (tmp_path / "consumer" / "pkg" / "blocking.py").read_text()


@pytest.mark.parametrize("hook", ["deblock-fix-server"])
def test_the_fix_server_hook_fixes_as_the_hook_and_serves_the_next_commit(
    fix_consumer, tmp_path, server_runtime
):
    first = fix_consumer("blocking.py")
    sockets = started_servers(server_runtime)  # the first run's, in the hook's environment
    path = tmp_path / "consumer" / "pkg" / "blocking.py"
    fixed = path.read_text()
    served = fix_consumer("blocking.py")  # the unfixed file again
    assert [ask_server(socket, {"op": "status"})["runs"] for socket in sockets] == [1]
    for ran in (first, served):
        assert ran.returncode == 1, ran.stdout + ran.stderr
        assert "files were modified by this hook" in ran.stdout
    assert path.read_text() == fixed and "    await asyncio.sleep(1)\n" in fixed

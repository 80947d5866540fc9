"""A fix never names a module its imports add where the code around it binds that name
otherwise (a parameter, an import in one branch, a module-level assignment): each program,
fixed by ``deblock fix`` in a subprocess, prints what the original printed, and its finding
is left with the reason."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "shadowed_imports"


def _output(program: Path) -> str:
    ran = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=60)
    return ran.stdout + ran.stderr


@pytest.mark.parametrize("name", ["branch_import", "parameter_named", "module_assigned"])
def test_a_fix_declines_a_name_its_function_binds(tmp_path, name):
    program = Path(shutil.copy(FIXTURES / f"{name}.py", tmp_path))
    fix = subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "--no-cache", program.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert _output(program) == _output(FIXTURES / f"{name}.py")
    assert "its fix would name `asyncio`, which the code around it binds otherwise" in fix.stdout

"""Libraries read from another interpreter's environment (`--python`, `[tool.deblock]
python`): a tiny package installed into a throwaway virtual environment."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

from deblock.library.packages import environment_stamp

FIXTURES = Path(__file__).parent / "fixtures"
USER = FIXTURES / "slowkv_user"


def _wheel(directory: Path) -> Path:
    """A wheel of the fixture package ``slowkv`` 1.2.0 (no build backend needed)."""
    wheel = directory / "slowkv-1.2.0-py3-none-any.whl"
    info = "slowkv-1.2.0.dist-info"
    with zipfile.ZipFile(wheel, "w") as archive:
        for source in sorted((FIXTURES / "slowkv" / "slowkv").glob("*.py")):
            archive.write(source, f"slowkv/{source.name}")
        archive.writestr(
            f"{info}/METADATA", "Metadata-Version: 2.1\nName: slowkv\nVersion: 1.2.0\n"
        )
        archive.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        names = [*archive.namelist(), f"{info}/RECORD"]
        archive.writestr(f"{info}/RECORD", "".join(f"{name},,\n" for name in names))
    return wheel


def _venv(root: Path) -> Path:
    """A new virtual environment without packages; its interpreter."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root / "env"], check=True)
    return root / "env" / "bin" / "python"


def _install_slowkv(root: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
         "--prefix", root / "env", _wheel(root)],
        check=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory) -> Path:
    """A virtual environment holding only slowkv, whose package raises when imported."""
    root = tmp_path_factory.mktemp("venv")
    python = _venv(root)
    _install_slowkv(root)
    return python


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(USER, tmp_path / "project")
    return tmp_path / "project"


def _found(run) -> Counter:
    return Counter((f["path"], f["line"], f["code"]) for f in json.loads(run.stdout))


def test_python_option_reads_that_environment_without_importing(deblock, project, venv_python):
    expected = expected_findings((project / "app.py").read_text(), "app.py")
    assert _found(deblock("check", "--format", "json", ".", cwd=project)) == Counter()
    run = deblock("check", "--format", "json", "--python", str(venv_python), ".", cwd=project)
    assert _found(run) == expected
    by_call = {f["message"].split("`")[1]: f for f in json.loads(run.stdout)}
    assert by_call["STORE.get"]["fixable"]
    assert "not swapped: `aput(key, value, ttl)` differs" in by_call["STORE.put"]["message"]
    assert "slowkv.client.AsyncStore.scan" in by_call["STORE.scan"]["message"]


def test_configured_python_and_the_package_cache(deblock, project, venv_python):
    relative = os.path.relpath(venv_python, project)
    (project / "pyproject.toml").write_text(f'[tool.deblock]\npython = "{relative}"\n')
    run = deblock("check", "--format", "json", ".", cwd=project)
    assert len(json.loads(run.stdout)) == 3
    [cached] = (project / ".deblock_cache").rglob("libraries/slowkv-1.2.0-*.json")
    assert "slowkv.client" in json.loads(cached.read_text())


def test_installing_the_library_invalidates_the_cached_project_findings(deblock, project, tmp_path):
    python = _venv(tmp_path)
    args = ("check", "--format", "json", "--python", str(python), ".")
    assert _found(deblock(*args, cwd=project)) == Counter()
    _install_slowkv(tmp_path)
    assert len(_found(deblock(*args, cwd=project))) == 3


def test_rules_learned_from_another_environment(deblock, tmp_path, venv_python):
    run = deblock("rules", "--learned", "--python", str(venv_python), "slowkv", cwd=tmp_path)
    assert run.stdout.splitlines() == [
        "slowkv 1.2.0",
        "  slowkv.client.Store.get → aget",
        "  slowkv.client.Store.put → aput  (other parameters: not swapped)",
        "  slowkv.client.Store.scan → slowkv.client.AsyncStore.scan",
    ]


def test_a_missing_interpreter_is_a_usage_error(deblock, project):
    run = deblock("check", "--python", "no/such/python", ".", cwd=project)
    assert run.returncode == 2
    assert "--python: no Python interpreter at 'no/such/python'" in run.stderr


def test_an_interpreter_that_fails_is_a_usage_error(deblock, project, tmp_path):
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'no such module: site' >&2\nexit 3\n")
    broken.chmod(0o755)
    run = deblock("check", "--python", str(broken), ".", cwd=project)
    assert run.returncode == 2
    assert run.stderr.strip() == (
        f"Error: the interpreter {broken} failed to list its packages: no such module: site"
    )


def test_installing_into_a_package_directory_on_the_path_changes_the_stamp(tmp_path, monkeypatch):
    site = tmp_path / "lib" / "site-packages"
    site.mkdir(parents=True)
    os.utime(site, ns=(0, 10**9))
    monkeypatch.setattr(sys, "path", [str(tmp_path / "elsewhere"), str(site)])
    before = environment_stamp(None)
    assert str(site) in before and "elsewhere" not in before
    (site / "newpkg").mkdir()  # what installing a package does to the directory
    assert environment_stamp(None) != before

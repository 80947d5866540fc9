"""Two projects in one run, one declaring a plugin for a package outside the run
(``plugged``'s ``hypothesis`` entry point, as trio's): the other project's processes load it
only when they may load that package, as they name it or depend on it."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN_HOSTS = Path(__file__).parent / "fixtures" / "plugin_hosts"
EXAMPLE = "served/examples/web_page.py"


@pytest.fixture
def run_dir(tmp_path):
    shutil.copytree(PLUGIN_HOSTS, tmp_path, dirs_exist_ok=True)
    (tmp_path / "empty.toml").touch()
    return tmp_path


def deblock(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "deblock", *args, "--no-cache", "--config", "empty.toml"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def check(cwd: Path, *targets: str, path: str = EXAMPLE) -> list[dict]:
    """The findings in the file at ``path`` of a check of ``targets`` in one run."""
    ran = deblock(cwd, "check", "--format", "json", *targets)
    assert ran.returncode in (0, 1), ran.stderr
    found = [f for f in json.loads(ran.stdout) if f["path"] == path]
    return sorted(found, key=lambda f: (f["line"], f["col"]))


def test_a_plugin_whose_host_the_project_never_loads_leaves_its_findings_as_alone(run_dir):
    """aiohttp checked with trio declined its example's file reads naming trio's
    ``_close_pidfd`` (its hypothesis plugin counted as loaded by aiohttp's processes)."""
    together = check(run_dir, "served", "plugged")
    assert together == check(run_dir, "served")
    assert together and all(f["strategy"] for f in together)


@pytest.mark.parametrize(
    "change",
    [
        (EXAMPLE, "\n\ndef fuzz():\n    import hypothesis\n"),
        ("served/pyproject.toml", 'dependencies = ["hypothesis"]\n'),
    ],
    ids=["the-example-imports-the-host", "the-project-depends-on-the-host"],
)
def test_a_plugin_whose_host_the_project_may_load_meets_it(run_dir, change):
    path, added = change
    with open(run_dir / path, "a") as fh:
        fh.write(added)
    together = check(run_dir, "served", "plugged")
    assert together and all(f["strategy"] is None for f in together)
    assert all("`_close_fd` (plugged/plugged/process.py:19)" in f["declined"] for f in together)


def test_a_pytest_plugin_meets_the_tests_not_the_programs(run_dir):
    """pytest loads ``pytest11`` plugins into every test run, never into a program: in the
    corpus's run anyio's (which names trio) made aiohttp's example programs meet trio."""
    pyproject = run_dir / "plugged" / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace("entry-points.hypothesis", "entry-points.pytest11")
    )
    assert check(run_dir, "served", "plugged") == check(run_dir, "served")
    tests = check(run_dir, "served", "plugged", path="served/tests/test_page.py")
    assert tests and all(
        "`_close_fd` (plugged/plugged/process.py:19)" in f["declined"] for f in tests
    )


TESTING = '"""The library\'s pytest plugin."""\n\nimport pytest\n\nfrom . import __doc__\n'


# A ``pytest11`` plugin declared in ``setup.cfg`` or ``setup.py`` (read, never run).
DECLARED = {
    "setup.cfg": "[options.entry_points]\npytest11 =\n    plugged = plugged.testing\n",
    "setup.py": (
        "from setuptools import setup\n\n"
        'setup(name="plugged", entry_points={"pytest11": ["plugged = plugged.testing"]})\n'
    ),
}


@pytest.mark.parametrize("declared", ["pyproject.toml", *DECLARED])
@pytest.mark.parametrize("imports", ["", "from .process import Process\n"])
def test_a_pytest_plugin_loads_its_module_and_what_it_imports(run_dir, imports, declared):
    """A ``pytest11`` plugin in a module of its own loads that module, its package's
    ``__init__`` and what it imports, not the whole project: the tests meet ``process.py``
    only when the plugin imports it (the corpus's aiohttp tests met anyio's ``_fileio``
    and trio through anyio's ``pytest_plugin``, which imports neither). Declared in
    ``setup.cfg`` or ``setup.py``, it loaded the whole project."""
    pyproject = run_dir / "plugged" / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        .replace("entry-points.hypothesis", "entry-points.pytest11")
        .replace("plugged.process:_hypothesis_plugin_setup", "plugged.testing")
    )
    if declared in DECLARED:
        pyproject.write_text(pyproject.read_text().partition("[project.entry-points")[0])
        (run_dir / "plugged" / declared).write_text(DECLARED[declared])
    (run_dir / "plugged" / "plugged" / "testing.py").write_text(TESTING + imports)
    tests = check(run_dir, "served", "plugged", path="served/tests/test_page.py")
    if imports:
        assert tests and all("`_close_fd` (plugged/" in f["declined"] for f in tests)
    else:
        assert tests == check(run_dir, "served", path="served/tests/test_page.py")
        assert tests and all(f["strategy"] for f in tests)


SIBLING = "served/examples/keyed.py"
KEYED = '''"""Another example program, naming a module of the other project by its dotted
name (as ``mock.patch`` takes it)."""

import asyncio

PLUGGED = "plugged.process"


async def main():
    return PLUGGED


if __name__ == "__main__":
    print(asyncio.run(main()))
'''


@pytest.mark.parametrize(
    ("sibling", "package"),
    [(SIBLING, False), (SIBLING, True), ("served/tests/autobahn/keyed.py", False)],
    ids=["scripts", "a-package", "a-test-helper-the-library-names"],
)
def test_a_module_the_program_never_imports_leaves_it_alone(run_dir, sibling, package):
    """A program's process loads what it imports, never a sibling program, nor a module
    outside its ``sys.path`` (a test helper, whose name the library bears in a string):
    the example's findings in a run over both projects are those of a run over its own,
    although ``keyed.py`` names ``plugged`` (aiohttp's ``web_ws.py`` was declined naming
    trio's ``_close_pidfd``: aiohttp names ``"server"``, as its ``tests/autobahn/server/
    server.py`` is named, which names ``"websockets"``, which names trio)."""
    (run_dir / sibling).parent.mkdir(parents=True, exist_ok=True)
    (run_dir / sibling).write_text(KEYED)
    if package:
        (run_dir / "served" / "examples" / "__init__.py").touch()
    if sibling != SIBLING:
        with open(run_dir / "served" / "served" / "__init__.py", "a") as fh:
            fh.write('\nSCHEME = "keyed:"\n')
    together = check(run_dir, "served", "plugged")
    assert together == check(run_dir, "served")
    assert together and all(f["strategy"] for f in together)


@pytest.mark.parametrize(
    "imports",
    [
        "import keyed",
        "from examples import keyed",
        "from . import keyed",
        "KEYED = 'keyed.py'",
        "__import__(NAME)",
    ],
)
def test_a_program_importing_its_sibling_meets_what_the_sibling_names(run_dir, imports):
    """With ``examples`` a package, a program importing its sibling (by a script's
    directory, the package, relatively, naming its file, or by a name it does not hold)
    loads what the sibling names."""
    (run_dir / SIBLING).write_text(KEYED)
    (run_dir / "served" / "examples" / "__init__.py").touch()
    with open(run_dir / EXAMPLE, "a") as fh:
        fh.write(f"\n\ndef load():\n    {imports}\n")
    together = check(run_dir, "served", "plugged")
    assert together and all(f["strategy"] is None for f in together)
    assert all("`_close_fd` (plugged/plugged/process.py:19)" in f["declined"] for f in together)


@pytest.mark.parametrize("sibling", [False, True], ids=["alone", "beside-a-program-naming-it"])
def test_the_example_fixed_with_the_other_project_behaves_the_same(run_dir, sibling):
    """Fixed in a run over both projects (with a sibling program naming the other project:
    main declined the fix), the example's twenty handlers read the page in threads: under
    blockbuster, they return what the original's return."""
    if sibling:
        (run_dir / SIBLING).write_text(KEYED)
    original = (run_dir / EXAMPLE).read_text()
    fixed = deblock(run_dir, "fix", "served", "plugged")
    assert (run_dir / EXAMPLE).read_text() != original, fixed.stdout
    guarded = "from blockbuster import blockbuster_ctx\nwith blockbuster_ctx():\n    "
    env = {**os.environ, "PYTHONPATH": str(run_dir / "served")}

    def run(source: str, guard: str = "") -> str:
        program = f"{guard}print(__import__('asyncio').run(main()))"
        code = source.replace('if __name__ == "__main__":', "if False:") + "\n" + program
        script = run_dir / "served" / "examples" / "run_page.py"
        script.write_text(code)
        ran = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True)
        assert ran.returncode == 0, ran.stderr
        return ran.stdout

    assert run((run_dir / EXAMPLE).read_text(), guarded) == run(original)


TEST_PAGE = "served/tests/test_page.py"


@pytest.mark.parametrize(
    ("named", "loads"),
    [
        ('KEY = web.AppKey("plugged", list)', False),
        ('importlib.import_module("plugged")', True),
        ('pytest.importorskip("plugged")', True),
        ('pytest_plugins = ["pytester", "plugged"]', True),
        ('TARGET = "plugged.process.Process"', True),
    ],
    ids=["a-key", "import-module", "importorskip", "pytest-plugins", "a-dotted-name"],
)
def test_a_plain_string_is_a_module_only_where_a_loader_takes_it(run_dir, named, loads):
    """A test module naming the other project in a string: a key (aiohttp's
    ``web.AppKey("websockets", ...)`` made its tests load websockets, which names trio) is
    no module, and the tests' findings stay those of a run over their project alone; a
    loader's argument or a dotted name loads it, and the tests meet its ``_close_fd``."""
    (run_dir / "served" / "tests" / "keys.py").write_text(f"import importlib\n\n{named}\n")
    tests = check(run_dir, "served", "plugged", path=TEST_PAGE)
    assert tests
    if loads:
        assert all("`_close_fd` (plugged/plugged/process.py:19)" in f["declined"] for f in tests)
    else:
        assert tests == check(run_dir, "served", path=TEST_PAGE)
        assert all(f["strategy"] for f in tests)

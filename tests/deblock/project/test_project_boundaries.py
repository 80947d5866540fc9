"""Two projects in one run (each its own ``pyproject.toml``): ``counter`` reads a file,
sleeps and writes it back; ``loader`` reads files. Each runs its own event loops, so the
file system is one resource within a project, not across the two, unless some project's
processes may load both (``processes.Processes``). So is the state of objects
(``fixtures/state_boundaries``: ``notes`` reads a parameter before a sleep and after it,
``tally`` changes an object on the event loop), and the methods a duck-typed call may run
(``fixtures/duck_boundaries``)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
LOAD = "loader/loader/load.py"
TALLY = "counter/counter/tally.py"
NOTES = "notes/program.py"


def _copied(projects: Path, where: Path) -> Path:
    shutil.copytree(projects, where, dirs_exist_ok=True)
    (where / "empty.toml").touch()
    return where


@pytest.fixture
def run_dir(tmp_path):
    return _copied(FIXTURES / "project_boundaries", tmp_path)


@pytest.fixture
def state_dir(tmp_path):
    return _copied(FIXTURES / "state_boundaries", tmp_path)


def check(cwd: Path, *targets: str) -> list[dict]:
    """The findings of one ``deblock check`` of ``targets``, paths relative to ``cwd``."""
    command = [sys.executable, "-m", "deblock", "check", "--format", "json", *targets]
    command += ["--no-cache", "--config", "empty.toml"]
    ran = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert ran.returncode in (0, 1), ran.stderr
    return sorted(json.loads(ran.stdout), key=lambda f: (f["path"], f["line"], f["col"]))


def in_file(findings: list[dict], path: str) -> list[dict]:
    return [f for f in findings if f["path"] == path]


def test_a_run_over_two_projects_gives_each_its_own_findings(run_dir):
    """Before, ``counter``'s fixes in threads (writing the file system) declined
    ``loader``'s, and ``loader``'s read on the event loop declined ``counter``'s."""
    together = check(run_dir, ".")
    assert together == check(run_dir, "counter") + check(run_dir, "loader")
    assert in_file(together, LOAD) and in_file(together, TALLY)
    assert all(f["strategy"] and not f["declined"] for f in together)


def test_projects_one_of_which_loads_the_other_share_the_file_system(run_dir):
    """``loader`` imports ``counter``: its processes run both projects' coroutines on one
    event loop, so ``counter``'s fixes in threads decline ``loader``'s file fixes."""
    (run_dir / "loader" / "loader" / "counting.py").write_text("from counter import tally\n")
    found = in_file(check(run_dir, "."), LOAD)
    assert found and all(f["strategy"] is None for f in found)
    assert all(f"`{TALLY}` touches the file system" in f["declined"] for f in found)


def test_a_third_project_loading_both_makes_them_meet(run_dir):
    """A program of a third project imports both: their modules run on its event loop."""
    host = run_dir / "host"
    (host / "host").mkdir(parents=True)
    (host / "pyproject.toml").write_text('[project]\nname = "host"\nversion = "0"\n')
    (host / "host" / "__init__.py").write_text(
        "from counter import tally\nfrom loader import load\n"
    )
    found = in_file(check(run_dir, "."), LOAD)
    assert found and all(f["strategy"] is None for f in found)


def test_a_script_of_no_project_may_load_both(run_dir):
    """A script beside the two projects, in none, may import both and run them on its
    event loop: it may load any of the run's names."""
    (run_dir / "both.py").write_text("from counter import tally\nfrom loader import load\n")
    found = in_file(check(run_dir, "."), LOAD)
    assert found and all(f["strategy"] is None for f in found)


def test_a_build_script_installs_nothing(run_dir):
    """``counter``'s ``setup.py`` names its package, and a ``loader`` file names a
    ``setup.py``: a build script is not installed, so ``loader`` loads no ``counter``
    through it (sanic's in the corpus made fastapi, httpx and uvicorn load sanic)."""
    (run_dir / "counter" / "setup.py").write_text("import counter\n")
    (run_dir / "loader" / "loader" / "build.py").write_text('SCRIPT = "setup.py"\n')
    together = check(run_dir, ".")
    assert together == check(run_dir, "counter") + check(run_dir, "loader")
    assert all(f["strategy"] and not f["declined"] for f in in_file(together, LOAD))


def test_a_parameter_holds_no_object_of_a_project_never_loaded_beside_it(state_dir):
    """Before, ``tally``'s ``bump`` (changing some object on the event loop) declined
    ``notes``' fixes: a parameter read twice may hold that object."""
    together = check(state_dir, ".")
    assert together == check(state_dir, "notes") + check(state_dir, "tally")
    found = in_file(together, NOTES)
    assert found and all(f["strategy"] == "thread-section" for f in found)


def test_a_third_project_loading_both_shares_the_object(state_dir):
    """A program of a third project imports both: ``bump`` may change the object a
    parameter of ``notes`` holds, on its event loop."""
    host = state_dir / "host"
    host.mkdir()
    (host / "pyproject.toml").write_text('[project]\nname = "host"\nversion = "0"\n')
    (host / "host.py").write_text("import counts\nimport program\n")
    found = in_file(check(state_dir, "."), NOTES)
    assert found and all(f["strategy"] is None for f in found)
    assert all("`counts` may change" in f["declined"] for f in found)


# Two projects, the first's fix declined before for the second's code, joined by name (a
# method a duck-typed call may run, a call on a non-thread-safe class held on the loop): the
# fixture, the file, its fix alone, and why it was declined.
JOINS = {
    "duck_boundaries": ("ledger/program.py", "to-thread", "`look` (reader/look.py:17)"),
    "sync_duck_boundaries": ("books/program.py", "sleep", "which `ledgers.tally` changes"),
    "held_boundaries": ("taker/program.py", "thread-section", "(brokered/consumer.py:35)"),
}
HOSTS = {
    "duck_boundaries": "import look\nimport program\n",
    "sync_duck_boundaries": "import keep\nimport program\n",
    "held_boundaries": "import consumer\nimport program\n",
}


@pytest.mark.parametrize("fixture", JOINS)
def test_a_join_by_name_stops_at_the_project_boundary(tmp_path, fixture):
    """Before, ``reader``'s ``look`` (two reads around ``await counter.peek(...)``, on an
    object of unknown class) ran ``ledger``'s ``peek``, which never suspends: its child
    process's thread was declined, as in one project; ``books``' ``box.log.write`` ran
    ``keeper``'s ``Journal.write`` (``sync_methods``), changing the box ``books`` reads
    around a sleep; ``brokered``'s getter's channel call held on the loop declined
    ``taker``'s thread section (``held_objects``)."""
    duck_dir = _copied(FIXTURES / fixture, tmp_path)
    path, alone, _ = JOINS[fixture]
    projects = sorted(p.name for p in duck_dir.iterdir() if p.is_dir())
    together = check(duck_dir, ".")
    assert together == [f for project in projects for f in check(duck_dir, project)]
    found = in_file(together, path)
    assert found and all(f["strategy"] == alone for f in found)


@pytest.mark.parametrize("fixture", JOINS)
def test_a_third_project_loading_both_joins_them(tmp_path, fixture):
    """A program of a third project imports both: the call may run the other's method, or
    be on the object the other holds on the loop."""
    duck_dir = _copied(FIXTURES / fixture, tmp_path)
    path, _, why = JOINS[fixture]
    host = duck_dir / "host"
    host.mkdir()
    (host / "pyproject.toml").write_text('[project]\nname = "host"\nversion = "0"\n')
    (host / "host.py").write_text(HOSTS[fixture])
    found = in_file(check(duck_dir, "."), path)
    assert found and all(f["strategy"] is None for f in found)
    assert all(why in f["declined"] for f in found)


RUNTIME = Path(__file__).parents[1] / "fixer" / "fixtures" / "runtime"


@pytest.mark.parametrize(
    "programs",
    [("anyio_files", "abstract_manager"), ("raced_exits_apart", "registrar_named_method")],
)
def test_two_programs_each_its_own_project_keep_their_own_findings(tmp_path, programs):
    """Two ``runtime/`` programs, each its own project, in one run: before, the first's
    fixes were declined, as a parameter may hold an object the second changes
    (``module_globals``, ``atomic_callers``), or as a ``callback`` on an object of unknown
    type may be the second's ``Hub.callback`` (``registrar_reads``)."""
    for name in programs:
        (tmp_path / name).mkdir()
        shutil.copy(RUNTIME / f"{name}.py", tmp_path / name)
        (tmp_path / name / "pyproject.toml").write_text(
            f'[project]\nname = "{name}"\nversion = "0"\n'
        )
    (tmp_path / "empty.toml").touch()
    together = check(tmp_path, ".")
    assert together == [f for name in sorted(programs) for f in check(tmp_path, name)]
    assert all(f["strategy"] for f in in_file(together, f"{programs[0]}/{programs[0]}.py"))

"""A project that steps coroutines by hand may run them where no event loop is: its modules
that commit to no async library get no fix (each would await what needs a loop); a module
committing to asyncio keeps its fixes, and an awaitable handing its coroutine on to the
loop that awaits it steps nothing, nor one that is its own iterator and steps what it
awaits in ``__next__`` (``delegating/relay/rows.py``: aiocsv's reader)."""

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

from deblock.config import load_settings
from deblock.runner import analyze_paths

FIXTURES = Path(__file__).parent / "fixtures" / "hand_stepped"
STEPPING = "gen/stepper.py"


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture
def generator(tmp_path, monkeypatch) -> Path:
    shutil.copytree(FIXTURES / "generator", tmp_path / "generator")
    monkeypatch.chdir(tmp_path / "generator")
    return tmp_path / "generator"


def _run(project: Path, cache: Path | None = None) -> dict:
    return analyze_paths(["."], load_settings(["."]), jobs=1, cache_dir=cache).files


@pytest.mark.parametrize("cached", [False, True])
def test_modules_committing_to_no_library_get_no_fix_with_the_reason(generator, cached):
    cache = generator.parent / "cache" if cached else None
    if cached:
        _run(generator, cache)  # fills the cache: the second run reads it
    files = _run(generator, cache)
    found = Counter((path, f.line, f.code) for path in files for f in files[path])
    expected = Counter()
    for path in ("gen/parts.py", "gen/serve.py"):
        expected += expected_findings((generator / path).read_text(), path)
    assert found == expected
    where = f"{STEPPING}:{_line(generator / STEPPING, '.__await__()')}"
    for finding in files["gen/parts.py"]:
        assert not finding.fixable, finding
        assert finding.declined.startswith(f"its project steps coroutines by hand ({where})")
    for finding in files["gen/serve.py"]:  # beside parts.py's file writes: unsafe
        assert finding.fixable and "by hand" not in finding.declined, finding


def test_the_program_runs_as_before_after_deblock_fix(generator, tmp_path, deblock):
    template = tmp_path / "template.txt"
    template.write_text("part NAME\n")

    def build(out: str) -> tuple[str, dict[str, str]]:
        (generator / out).mkdir()
        run = subprocess.run(
            [sys.executable, "-m", "gen.build", str(template), out],
            cwd=generator,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        return run.stdout, {p.name: p.read_text() for p in (generator / out).iterdir()}

    before = build("before")
    fixed = deblock("fix", "--unsafe-fixes", "gen", cwd=generator)
    assert "asyncio" not in (generator / "gen" / "parts.py").read_text()
    assert "asyncio.to_thread" in (generator / "gen" / "serve.py").read_text(), fixed.stdout
    after = build("after")
    assert after[0] == before[0].replace("before", "after")
    assert (
        after[1]
        == before[1]
        == {f"{name}.txt": f"part {name}\n" for name in ("alpha", "beta", "gamma")}
    )


def test_an_awaitable_handing_its_coroutine_on_steps_nothing(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "delegating", tmp_path / "delegating")
    monkeypatch.chdir(tmp_path / "delegating")
    (sleep,) = _run(tmp_path / "delegating")["relay/handle.py"]
    assert sleep.code == "DBK101"
    assert sleep.fixable and not sleep.declined


def test_a_coroutine_sent_none_until_it_stops_is_stepped_by_hand(tmp_path, deblock):
    """gel's blocking client steps its shared coroutines with ``coro.send(None)`` and takes
    the result from the ``StopIteration``: its own coroutines' findings get no fix, not even
    an unsafe one (``await asyncio.sleep(...)`` there raised ``RuntimeError: no running
    event loop``), and the program runs as before ``deblock fix --unsafe-fixes``."""
    project = tmp_path / "blocking_client"
    shutil.copytree(FIXTURES / "blocking_client", project)

    def run() -> str:
        ran = subprocess.run(
            [sys.executable, "-m", "dbclient.run"], cwd=project, capture_output=True, text=True
        )
        assert ran.returncode == 0, ran.stderr
        return ran.stdout

    before = run()
    path = "dbclient/blocking.py"
    where = f"{path}:{_line(project / path, '    coro.send(None)')}"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        (sleep,) = _run(project)[path]
    assert Counter([(path, sleep.line, sleep.code)]) == expected_findings(
        (project / path).read_text(), path
    )
    assert not sleep.fixable
    assert sleep.declined.startswith(f"its project steps coroutines by hand ({where})")
    deblock("fix", "--unsafe-fixes", "dbclient", cwd=project)
    assert run() == before == "answered after 3 tries\n"

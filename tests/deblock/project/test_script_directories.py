"""Modules outside any package named alike in two directories of one project (two
``run.py`` scripts, a ``handlers`` package beside another example's ``handlers.py``) are two
modules: each directory leads ``sys.path`` when its scripts run, so each script's bare import
finds the module beside it, and neither one's summary stands for the other's."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from json_check import checked

FIXTURES = Path(__file__).parent / "fixtures"
BOT = (
    "script_directories/examples/bot/app.py",
    "load → read → builtins.open (script_directories/examples/bot/handlers/store.py:2)",
    "examples/bot/handlers.load",
)
PURGE = (
    "script_directories/examples/bot/app.py",
    "purge → read → builtins.open (script_directories/examples/bot/handlers/store.py:2)",
    "examples/bot/handlers.admin.purge",
)
START = (
    "script_directories/scripts/b/start.py",
    "helper → time.sleep (script_directories/scripts/b/run.py:5)",
    "scripts/b/run.helper",
)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    shutil.copytree(FIXTURES / "script_directories", root / "script_directories")
    (root / "empty.toml").touch()
    return root


def found(cwd: Path, *targets: str, cache: Path | None = None) -> set[tuple[str, str, str]]:
    """(path, chain, target) of each finding of ``deblock check`` over ``targets``."""
    return {
        (f["path"], f["message"].partition(": ")[2], f["target"])
        for f in checked(cwd, *targets, cache=cache)
    }


def test_each_script_finds_the_module_beside_it(run_dir):
    assert found(run_dir, "script_directories") == {BOT, PURGE, START}


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (["scripts/a", "scripts/b/run.py"], set()),
        (["scripts/b", "scripts/a/run.py"], {START}),
        (["examples/bot", "examples/web/handlers.py"], {BOT, PURGE}),
        (["examples/web", "examples/bot"], {BOT, PURGE}),
    ],
)
def test_the_other_directorys_module_in_the_run_changes_nothing(run_dir, targets, expected):
    assert found(run_dir, *(f"script_directories/{t}" for t in targets)) == expected


def test_a_warm_run_reads_back_what_a_cold_one_found(run_dir, tmp_path):
    cold = found(run_dir, "script_directories", cache=tmp_path)
    with (run_dir / "script_directories" / "scripts" / "a" / "serve.py").open("a") as serve:
        serve.write("# edited: the project pass runs again, on cached summaries\n")
    assert found(run_dir, "script_directories", cache=tmp_path) == cold == {BOT, PURGE, START}


def test_a_scripts_bridge_is_imported_only_where_it_lies(tmp_path):
    """``scripts/a/threads.py``'s ``run_sync`` is no bridge for ``scripts/b/jobs.py``: there
    ``from threads import run_sync`` imports ``scripts/b/threads.py``, which has none."""
    project = tmp_path / "script_bridges"
    shutil.copytree(FIXTURES / "script_bridges", project)
    (tmp_path / "empty.toml").touch()
    listing = "import asyncio, jobs; print(sorted(asyncio.run(jobs.work('.'))))"
    directories = [project / "scripts" / name for name in ("a", "b")]
    before = [
        subprocess.run([sys.executable, "-c", listing], cwd=d, capture_output=True, text=True)
        for d in directories
    ]
    fix = subprocess.run(
        [sys.executable, "-m", "deblock", "fix", "script_bridges", "--no-cache"]
        + ["--config", "empty.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "2 fixes applied (2 files changed)" in fix.stdout, fix.stdout + fix.stderr
    after = [
        subprocess.run([sys.executable, "-c", listing], cwd=d, capture_output=True, text=True)
        for d in directories
    ]
    assert [(r.returncode, r.stdout) for r in after] == [(0, r.stdout) for r in before]
    concurrent = (
        "import asyncio, jobs\n"
        "from blockbuster import blockbuster_ctx\n"
        "async def calls():\n"
        "    return await asyncio.gather(*(jobs.work('.') for _ in range(20)))\n"
        "with blockbuster_ctx():\n"
        "    listed = asyncio.run(calls())\n"
        "print(sorted(listed[0]), all(sorted(one) == sorted(listed[0]) for one in listed))"
    )
    proved = [
        subprocess.run([sys.executable, "-c", concurrent], cwd=d, capture_output=True, text=True)
        for d in directories
    ]  # 20 calls at once, nothing blocking the loop, each listing the original's
    assert [(r.returncode, r.stdout) for r in proved] == [
        (0, r.stdout.rstrip("\n") + " True\n") for r in before
    ], [r.stderr[-500:] for r in proved]


@pytest.mark.parametrize("aged", [False, True], ids=["fresh", "aged"])
@pytest.mark.parametrize("targets", [["scripts/b"], ["scripts/b/start.py"]])
def test_a_module_made_outside_the_run_renames_what_a_cached_import_found(tmp_path, aged, targets):
    """``scripts/a/run.py``, made after a cached run over ``scripts/b`` (or its
    ``start.py`` alone), renames ``scripts/b/run.py`` to ``scripts/b/run``: the cached
    outcome of ``start.py``, whose bare ``import run`` found plain ``run``, is not
    answered, and the run finds ``helper``'s sleep under its new name as ``--no-cache``
    does (``aged``: the directories' stamps old enough for the layout record to be kept).
    On f8d6420a the directory run found nothing, the one-file run the old name."""
    shutil.copytree(FIXTURES / "script_directories", tmp_path / "script_directories")
    (tmp_path / "empty.toml").touch()
    other = tmp_path / "script_directories" / "scripts" / "a"
    shutil.rmtree(other)
    if aged:
        for directory in [p for p in tmp_path.rglob("*") if p.is_dir()]:
            os.utime(directory, ns=(0, time.time_ns() - 3_600 * 10**9))
    run = [f"script_directories/{t}" for t in targets]
    cache = tmp_path / "cache"
    alone = (*START[:2], "run.helper")  # the only ``run`` of the project: plain
    assert found(tmp_path, *run, cache=cache) == found(tmp_path, *run) == {alone}
    other.mkdir()
    (other / "run.py").write_text('def helper():\n    return "a"\n')
    assert found(tmp_path, *run) == {START}
    assert found(tmp_path, *run, cache=cache) == {START}


def test_a_module_made_outside_the_run_renames_what_a_cached_source_imports(tmp_path):
    """A run over ``scripts/b/start.py`` alone reads ``run.py`` beside it as one of its
    own sources, cached by its stat; ``scripts/a/util.py``, made after, renames the
    ``util`` that ``run.py``'s bare import finds: its cached summary is not reused, and
    the chain ends in ``scripts/b/util``'s sleep as ``--no-cache`` finds it."""
    shutil.copytree(FIXTURES / "script_chains", tmp_path / "script_chains")
    (tmp_path / "empty.toml").touch()
    start, cache = "script_chains/scripts/b/start.py", tmp_path / "cache"
    sleep = "time.sleep (script_chains/scripts/b/util.py:5)"
    assert found(tmp_path, start, cache=cache) == found(tmp_path, start)
    assert {chain for _, chain, _ in found(tmp_path, start)} == {f"helper → pause → {sleep}"}
    other = tmp_path / "script_chains" / "scripts" / "a"
    other.mkdir()
    (other / "util.py").write_text("def pause():\n    pass\n")
    assert found(tmp_path, start) == {(start, f"helper → pause → {sleep}", "run.helper")}
    assert found(tmp_path, start, cache=cache) == found(tmp_path, start)


def test_a_warm_run_takes_every_outcome_from_the_cache(run_dir, tmp_path):
    """A module without ``async`` that nothing reaches (``scripts/a/version.py``, beside
    a renamed ``run``) keeps no summary, nor what its bare imports find: its cached
    outcome is answered, and a second run writes no cache file (a new entry would replace
    it)."""
    found(run_dir, "script_directories", cache=tmp_path)
    files = sorted(tmp_path.glob("*/*.json*"))
    written = [(f, f.stat().st_ino, f.stat().st_mtime_ns) for f in files]
    found(run_dir, "script_directories", cache=tmp_path)
    assert files and [(f, f.stat().st_ino, f.stat().st_mtime_ns) for f in files] == written

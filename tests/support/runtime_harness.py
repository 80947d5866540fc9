"""Run a runtime fixture's ``async def main(root)`` as concurrent calls on a busy thread
pool (``busy_pool``), every call on the same ``root``.

Imported by the tests (``run``, ``tree``), or run in a fresh interpreter for a fixture
project that sets up its own process (Django's settings, an installed library)::

    python runtime_harness.py PROJECT ROOT [--blockbuster]

imports ``program`` from the directory PROJECT, calls its ``setup(root)`` if it has one,
runs ``main`` (under ``loop_guard`` with ``--blockbuster``), then its ``state(root)`` if it
has one (what the calls left outside ``root``, such as database rows), and prints
``{"results": [...], "state": ...}`` as JSON, values as their ``repr``.

A fixed program the fix leaves partly on the event loop on purpose says so at its end::

    LEFT_ON_THE_LOOP = {"time.sleep": ("slow_step",)}

blockbuster's name of each call allowed on the loop, and the functions of the program
(names of frames in its file) in which it is allowed: a call anywhere else still fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from blockbuster import BlockBuster, BlockBusterFunction
from busy_pool import concurrently

_LINE_READS = ("io.BufferedReader.readline", "io.TextIOWrapper.readline")
_PROCESS_WAITS = ("subprocess.Popen.wait", "subprocess.Popen.communicate")


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and directory (``None``) below ``root``."""
    return {
        str(p.relative_to(root)): p.read_bytes() if p.is_file() else None
        for p in sorted(root.rglob("*"))
    }


@contextlib.contextmanager
def loop_guard(module) -> Iterator[None]:
    """blockbuster over the event loop's thread (activated after ``module`` is imported: it
    patches module attributes such as ``time.sleep``), allowing only what ``module``'s
    ``LEFT_ON_THE_LOOP`` names."""
    guard = BlockBuster()
    read = guard.functions["io.BufferedReader.read"].can_block_predicate
    for name in _LINE_READS:  # blockbuster watches ``read`` only; a line read blocks as much
        guard.functions[name] = BlockBusterFunction(None, name, can_block_predicate=read)
    for name in _PROCESS_WAITS:  # nor a wait for a child process
        guard.functions[name] = BlockBusterFunction(None, name)
    for call, functions in getattr(module, "LEFT_ON_THE_LOOP", {}).items():
        guard.functions[call].can_block_in(module.__file__, functions)
    guard.activate()
    try:
        yield
    finally:
        guard.deactivate()


def run(module, root: Path, guarded: bool = False) -> list:
    """``busy_pool.CALLS`` concurrent calls of ``module.main`` on the directory ``root``,
    under ``loop_guard`` when ``guarded``."""
    with loop_guard(module) if guarded else contextlib.nullcontext():
        return asyncio.run(concurrently(module.main, str(root)))


def project_env(project: Path, allow_sync: bool = False) -> dict[str, str]:
    """The environment of a fixture project: its ``site-packages`` on the path; Django's
    sync queries on the event loop allowed only with ``allow_sync``."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["PYTHONPATH"] = str(project / "site-packages")
    if allow_sync:
        env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return env


def run_project(project: Path, root: Path, *flags: str, allow_sync: bool = False) -> dict:
    """What this harness prints for ``project`` run on ``root``, in a fresh interpreter."""
    command = [sys.executable, __file__, str(project), str(root), *flags]
    ran = subprocess.run(
        command, env=project_env(project, allow_sync), capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def _main(project: str, root: str, guarded: bool) -> None:
    sys.path.insert(0, project)
    program = importlib.import_module("program")
    Path(root).mkdir()
    if hasattr(program, "setup"):
        program.setup(root)
    results = run(program, Path(root), guarded)
    state = program.state(root) if hasattr(program, "state") else None
    json.dump({"results": sorted(map(repr, results)), "state": repr(state)}, sys.stdout)


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2], "--blockbuster" in sys.argv[3:])

"""A coroutine cancelled at the await a fix adds runs its cleanup at once.

``fixtures/runtime_cancelled_threads/*``: ``send`` writes a scratch file, awaits an upload
and removes the file in a ``finally``, through an await. Each of 40 calls is cancelled as soon
as it reaches its first await, with the default thread pool busy. On the event loop the write
always ends before the cancellation arrives, so the removal finds the file. Moved into a worker
thread, the write goes on while the cancelled coroutine removes the file, or has yet to start
(anyio's runner waits for a thread it started, but is cancelled at its own checkpoint before
it starts one): with main's fix every removal failed, in both fixtures.

``fixtures/runtime_cancelled_exits/*``: the cleanup is a ``with`` or ``async with`` block's
exit (the module's own manager, a ``contextmanager`` generator, an ``ExitStack`` callback,
pushed by a helper it is handed to too, ``tempfile.TemporaryDirectory``), run with the pool
busy and idle: main's fixes removed no file (``FileNotFoundError``, 40 of 40 calls), or left a
temporary directory the thread made again after its removal.

``fixtures/runtime_cancelled_signals/*``: the cleanup changes a global, or an attribute of
its instance or of a global instance, that other code of the module reads
(``DONE.add(scratch)``, ``self.done.add(scratch)``, ``STATE.done.add(scratch)``: a file said to
be whole): moved into a worker thread, a cancelled call's large write went on after the file
was said to be done. ``fixtures/runtime_cancelled_signals_modules/*/``: the same where the
flag's reader is another module's (each program's ``reader`` module holds ``send`` and
``unfinished``), fixed by ``deblock fix`` on the directory and run in a fresh interpreter.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deblock.fixer.engine import FixOptions, fix_source

FIXTURES = Path(__file__).parent / "fixtures" / "runtime_cancelled_threads"
EXITS = Path(__file__).parent / "fixtures" / "runtime_cancelled_exits"
SIGNALS = Path(__file__).parent / "fixtures" / "runtime_cancelled_signals"
SIGNALS_MODULES = SIGNALS.with_name("runtime_cancelled_signals_modules")
CALLS = 40
WORKERS = 4


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"cancelled_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _cancel_each(send, root: Path, busy: int) -> Counter:
    """How each call ends when cancelled at its first await (``busy``: jobs that keep
    workers of the default pool busy meanwhile)."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(WORKERS))
    ended = Counter()
    for i in range(CALLS):
        held = [loop.run_in_executor(None, time.sleep, 0.005) for _ in range(busy)]
        task = asyncio.create_task(send(str(root / f"scratch{i}"), "x" * 1000))
        await asyncio.sleep(0)  # the call runs up to its first await
        task.cancel()
        try:
            await task
            ended["returned"] += 1
        except asyncio.CancelledError:
            ended["cancelled"] += 1
        except OSError as exc:
            ended[type(exc).__name__] += 1
        await asyncio.gather(*held)
        await asyncio.sleep(0.02)  # a thread the call left has ended
    return ended


def _fixed_and_run(program: Path, tmp_path: Path, busy: int = WORKERS):
    """The fix's outcome, and how the original and the fixed program end (``_cancel_each``)."""
    outcome = fix_source(program.read_text(), str(program), FixOptions())
    assert outcome.error is None
    ended = {}
    for name, source in (("original", program.read_text()), ("fixed", outcome.source)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "program.py").write_text(source)
        module = _load(tmp_path / name / "program.py")
        (tmp_path / name / "files").mkdir()
        ended[name] = asyncio.run(_cancel_each(module.send, tmp_path / name / "files", busy))
        ended[name]["left"] = len(list((tmp_path / name / "files").iterdir()))
    return outcome, ended


@pytest.mark.parametrize("program", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.stem)
def test_a_write_whose_finally_removes_the_file_stays_on_the_event_loop(program, tmp_path):
    outcome, ended = _fixed_and_run(program, tmp_path)
    assert ended["original"] == Counter(cancelled=CALLS, left=0)
    assert ended["fixed"] == ended["original"]
    (left,) = outcome.left
    assert left.target == "pathlib.Path.write_text"
    assert "cancelled at the await" in left.declined and "`remove`" in left.declined


@pytest.mark.parametrize("busy", [WORKERS, 0], ids=["busy", "idle"])
@pytest.mark.parametrize("program", sorted(EXITS.glob("*.py")), ids=lambda p: p.stem)
def test_a_file_system_call_in_a_block_whose_exit_touches_the_file_system_stays(
    program, busy, tmp_path
):
    outcome, ended = _fixed_and_run(program, tmp_path, busy)
    assert ended["original"] == Counter(cancelled=CALLS, left=0)
    assert ended["fixed"] == ended["original"]
    (left,) = [f for f in outcome.left if "cancelled at the await" in (f.declined or "")]
    assert "the exit of its" in left.declined


async def _said_done_early(module, root: Path, size: int) -> int:
    """How many calls, each cancelled at its first await (a module's whose ``UPLOADED`` lists
    its uploads: at the await after its first upload, a loop's next turn), had their file said
    to be done while its write was still at work (not whole right after the cancellation,
    whole later; a write a worker never began is the cancellation the await adds, and not
    counted)."""
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(WORKERS))
    uploaded = getattr(module, "UPLOADED", None)
    early = set()
    for i in range(CALLS // 4):
        task = asyncio.create_task(module.send(str(root / f"scratch{i}"), "x" * size))
        await asyncio.sleep(0)  # the call runs up to its first await
        while uploaded is not None and not uploaded:  # noqa: ASYNC110 (the module's list)
            await asyncio.sleep(0)  # up to the await after its first upload
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if uploaded is not None:
            uploaded.clear()
        early.update(module.unfinished(size))
        await asyncio.sleep(0.3)  # a thread the call left has ended
    return len(early - set(module.unfinished(size)))


@pytest.mark.parametrize("program", sorted(SIGNALS.glob("*.py")), ids=lambda p: p.stem)
def test_a_flag_other_code_reads_set_in_a_finally_is_not_given_while_a_thread_writes(
    program, tmp_path
):
    text = program.read_text()
    safe = fix_source(text, str(program), FixOptions())
    assert safe.error is None and safe.source == text
    (left,) = safe.left
    assert "which other code may read" in left.declined
    unsafe = fix_source(text, str(program), FixOptions(unsafe=True))
    early = {}
    for name, source in (("original", text), ("unsafe", unsafe.source)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "program.py").write_text(source)
        module = _load(tmp_path / name / "program.py")

        def measure(files: Path, module=module) -> int:
            return asyncio.run(_said_done_early(module, files, 8_000_000))

        early[name] = _rounds(measure, tmp_path / name, 3 if name == "unsafe" else 1)
    assert early["original"] == [0]
    assert early["unsafe"][-1] > 0


def _rounds(measure: Callable[[Path], int], root: Path, rounds: int) -> list[int]:
    """``measure`` (the files said done early) of up to ``rounds`` rounds, each in a
    directory of its own under ``root``, up to the first that shows one: a race may miss
    one round, on an idle host as on a loaded one."""
    early: list[int] = []
    for attempt in range(rounds):
        files = root / f"files{attempt}"
        files.mkdir()
        early.append(measure(files))
        if early[-1]:
            break
    return early


_EARLY = """
import asyncio, sys
from pathlib import Path
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import reader
from test_fix_cancelled_threads import _said_done_early
print(asyncio.run(_said_done_early(reader, Path(sys.argv[3]), 8_000_000)))
"""


def _fixed_copy(program: Path, copy: Path, *flags: str) -> str:
    """``deblock fix`` (with ``flags``) run on a copy of the directory ``program``: its
    output."""
    shutil.copytree(program, copy)
    (copy.parent / "empty.toml").touch()
    command = ["-m", "deblock", "fix", "--no-cache", "--config", "../empty.toml", *flags, "."]
    run = subprocess.run([sys.executable, *command], cwd=copy, capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    return run.stdout


@pytest.mark.parametrize("program", sorted(SIGNALS_MODULES.iterdir()), ids=lambda p: p.name)
def test_a_flag_another_module_reads_set_in_a_finally_is_not_given_while_a_thread_writes(
    program, tmp_path
):
    said = _fixed_copy(program, tmp_path / "safe")
    assert "declined for safety: cancelled at the await" in said
    assert "which other code may read" in said
    for module in program.glob("*.py"):
        assert (tmp_path / "safe" / module.name).read_text() == module.read_text()
    _fixed_copy(program, tmp_path / "unsafe", "--unsafe-fixes")
    early = {}
    for name in ("safe", "unsafe"):  # the safe copy is the original
        command = [sys.executable, "-c", _EARLY, str(tmp_path / name), str(Path(__file__).parent)]

        def measure(files: Path, command=command) -> int:  # in a fresh interpreter
            run = subprocess.run([*command, str(files)], capture_output=True, text=True, check=True)
            return int(run.stdout)

        early[name] = _rounds(measure, tmp_path / name, 3 if name == "unsafe" else 1)
    assert early["safe"] == [0]
    assert early["unsafe"][-1] > 0

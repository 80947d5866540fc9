"""Run a ``fuzz_programs`` program many times, each under another scheduling, and print
its outcomes as JSON (a child process of ``fix_fuzz.py``)::

    python fuzz_run.py PROGRAM WORK_DIR --runs N --seed S [--threads | --inline | --deferred]
        [--cancel | --hold | --hold-at STEPS | --added LINES] [--guard]

Each run imports the program afresh (and the modules beside it that it imports), calls
``setup(root)`` on a new directory, then runs ``main(root)`` on an event loop that picks
(from the run's seed) which ready callback runs next, at random in even runs, by random
ranks of the tasks in odd ones: the tasks resume in another order at every await the
program has, and at no other point. With ``--threads`` the default thread pool delays every
job by a random fraction of a millisecond, so worker threads finish in another order each
run; with ``--inline`` it runs every job at once in the loop's thread (the fixed program then
behaves as the original with a checkpoint after each moved call: where a fix's await may be
cancelled, by what the project accepts), with ``--deferred`` at once or at a later step (a
checkpoint before it too). ``--cancel`` cancels one gathered call's task after its k-th step
(the k-th time it resumed: at its k-th await), the call and k from 1 to 8 taken in turn from
the run's seed, in random and ranked runs alike; the outcome of a run where a job was
cancelled before it started begins with ``skipped``. ``--hold`` runs hold one call's task
back, or two's, after its k-th step (0: before its first), the calls and k taken in turn
from the run's seed, for a drawn number of the loop's picks, maybe again after its later
steps (``Holding``); ``--hold-at`` runs hold the calls after chosen steps (``{"i": [k,
...]}``), all of them or some, drawn: to settle an inconclusive program, whether the
original reaches the fixed program's outcomes outside its set. ``--added`` runs (of the
fixed program) print instead, for each call, the steps of the original after which it
would wait as the fixed program waits at the awaits on the ``LINES`` a fix added
(``Recording``). An outcome is what ``main`` returned
(the tasks' results, the shared state) and the files left under ``root`` (SQLite databases
as their rows), and those a stand-in server keeps beside it (``fuzz_clients.SERVER``), with
the directory's path replaced by ``ROOT``. ``--guard`` runs under
blockbuster and prints instead, for each task stopped by a blocking call on the loop, the
lines of the program's modules on its traceback (file name, number).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import random
import shutil
import sqlite3
import sys
import threading
import time
import traceback
from collections.abc import Container
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from fuzz_clients import SERVER

CALLS = 3  # the calls ``main`` gathers, handed ``i`` = 0, 1, 2
STEPS = 8  # ``--cancel``: a call is cancelled at one of its first eight steps
SKIPPED = "skipped "  # ``--cancel``: begins the outcome of a run where a job never started


class ShuffledLoop(asyncio.SelectorEventLoop):
    """An event loop that may run any of its ready callbacks next: at each step it runs one
    of them and holds the rest back to the next step (a scheduler free to pick any ready
    task, not only the first in line). ``ranked`` runs draw a rank for each task and run
    the highest-ranked task's callback, sinking the running task's rank at random steps
    (tasks then mostly run one after another, however late a task's first step comes);
    other runs draw each callback at random. ``ordered`` (a program's ``ZERO_SLEEPS_IN_ORDER``):
    tasks resuming from a zero sleep come back in the order they slept, as on asyncio's
    loop, whose ready queue runs first in, first out; the other callbacks (a future's,
    a timer's, a task's first step) are still picked freely among them."""

    def __init__(self, rng: random.Random, ranked: bool) -> None:
        super().__init__()
        self._rng = rng
        self._ranks: dict[object, float] | None = {} if ranked else None
        self.ordered = False
        self._started: set[object] = set()

    def _run_once(self) -> None:
        # taken one by one: a worker thread's ``call_soon_threadsafe`` may append at any
        # moment, and what it appends stays (a copy and a ``clear`` lost it between them:
        # its task never resumed, and the run hung)
        ready = [self._ready.popleft() for _ in range(len(self._ready))]
        self.ran = None  # the owner of the callback picked (a task's steps are all its own)
        if ready:
            free = self._free(ready)
            picked = ready.pop(free[self._pick([ready[k] for k in free])])
            self.ran = getattr(picked._callback, "__self__", None)
            if isinstance(self.ran, asyncio.Task):
                self._started.add(self.ran)
            self._ready.append(picked)
        super()._run_once()
        self._ready.extendleft(reversed(ready))

    def _free(self, ready: list) -> list[int]:
        """The places in ``ready`` of the callbacks that may run next: all, or with
        ``ordered`` all but the zero-sleep resumptions queued after the first one."""
        if not self.ordered:
            return list(range(len(ready)))
        zero = [k for k, handle in enumerate(ready) if self._resumes_zero_sleep(handle)]
        return [k for k in range(len(ready)) if k not in zero[1:]]

    def _resumes_zero_sleep(self, handle) -> bool:
        """Whether ``handle`` resumes a started task that yielded bare (``asyncio.sleep(0)``:
        a task's step queued by itself, not a future's wake-up)."""
        callback = handle._callback
        stepping = type(callback).__name__ == "TaskStepMethWrapper" or (
            getattr(callback, "__name__", "") == "__step"  # the pure Python ``Task``
        )
        return stepping and getattr(callback, "__self__", None) in self._started

    def _pick(self, ready: list) -> int:
        if self._ranks is None:
            return self._rng.randrange(len(ready))
        owners = [getattr(h._callback, "__self__", None) for h in ready]
        for owner in owners:
            self._ranks.setdefault(owner, self._rng.random())
        best = max(range(len(ready)), key=lambda k: self._ranks[owners[k]])
        if self._rng.random() < 0.1:  # a change point: the chosen task sinks below all
            self._ranks[owners[best]] = min(self._ranks.values()) - self._rng.random()
        return best


class Cancelling(ShuffledLoop):
    """A ``ShuffledLoop`` that cancels the task of one call of the program's (``here``: its
    directory), the one handed ``i == call``, after its ``step``-th step (the ``step``-th
    time it resumed: at its ``step``-th await, or when it is done, never)."""

    def __init__(self, rng: random.Random, ranked: bool, here: Path, call: int, step: int):
        super().__init__(rng, ranked)
        self._here, self._call, self._step = here, call, step
        self._steps: dict[asyncio.Task, int] = {}

    def _run_once(self) -> None:
        super()._run_once()
        task = self.ran
        if task not in self._steps and not self._chosen(task):
            return
        self._steps[task] = self._steps.get(task, 0) + 1
        if self._steps[task] == self._step and not task.done():
            task.cancel()
            if isinstance(self._default_executor, InlinePool):
                self._default_executor.drop(task)  # as the cancellation reaches its job

    def _chosen(self, task) -> bool:
        """Whether ``task`` runs the call of the program's to cancel."""
        return _call_of(task, self._here) == self._call


def _call_of(task, here: Path) -> int | None:
    """The ``i`` of the call of the program's (``here``: its directory) that ``task`` runs
    (``main`` gathers each call as a task of its own), or None."""
    if not isinstance(task, asyncio.Task):
        return None
    frame = getattr(task.get_coro(), "cr_frame", None)
    code = frame.f_code if frame is not None else None
    if code is None or code.co_name == "main" or Path(code.co_filename).parent != here:
        return None
    return frame.f_locals.get("i")


# How many picks a ``Holding`` loop holds a call back for, drawn (a million: to the end)
HOLDS = (2, 5, 10, 20, 60, 10**6)


class Holding(ShuffledLoop):
    """A ``ShuffledLoop`` that holds the tasks of some calls of the program's (``here``: its
    directory) back: ``at`` gives each held call's ``i`` the steps after which it is held
    (0: before its first), each time for a number of picks drawn from ``holds``, while
    another callback is ready (a held call that runs, nothing else being ready, is held no
    more). Schedules the free pick allows that its runs rarely draw: a call left behind at
    an await while the others run on, as an await a fix adds next to one the call had lets
    them (seed 463048's fixed outcomes outside the original's 742, which its held runs
    reach)."""

    def __init__(self, rng, ranked: bool, here: Path, at: dict[int, Container[int]], holds=HOLDS):
        super().__init__(rng, ranked)
        self._here, self._at, self._holds = here, at, holds
        self._steps = dict.fromkeys(at, 0)
        self._held = {i: rng.choice(holds) if 0 in steps else 0 for i, steps in at.items()}

    def _pick(self, ready: list) -> int:
        calls = [_call_of(getattr(h._callback, "__self__", None), self._here) for h in ready]
        others = [k for k, i in enumerate(calls) if not self._held.get(i)]
        if others and len(others) < len(ready):
            for i in self._held:
                self._held[i] = max(0, self._held[i] - 1)
            return others[self._rng.randrange(len(others))]
        return super()._pick(ready)

    def _run_once(self) -> None:
        super()._run_once()
        i = _call_of(self.ran, self._here)
        if i in self._at:
            self._steps[i] += 1
            held = self._steps[i] in self._at[i]
            self._held[i] = self._rng.choice(self._holds) if held else 0


def _held_in_turn(seed: int, rng: random.Random) -> dict[int, Container[int]]:
    """The calls a ``Holding`` run holds and after which steps (``--hold``): each call and
    step (0: before its first) in turn from the run's ``seed``, alone or with the next call,
    maybe again after each later step."""
    call, step = seed % CALLS, seed // CALLS % (STEPS + 1)
    calls = {call, (call + 1) % CALLS} if seed // (CALLS * (STEPS + 1)) % 2 else {call}
    steps = range(step, sys.maxsize) if rng.random() < 0.5 else {step}
    return dict.fromkeys(calls, steps)


def _held_at_chosen(chosen: dict[int, list[int]], rng: random.Random) -> dict[int, set[int]]:
    """The calls a ``Holding`` run holds and after which steps (``--hold-at``): each of the
    ``chosen`` steps of each call, or one of them, drawn from ``rng``."""
    pairs = [(i, step) for i, steps in sorted(chosen.items()) for step in steps]
    drawn = [pair for pair in pairs if rng.random() < 0.5] or [rng.choice(pairs)]
    at: dict[int, set[int]] = {}
    for i, step in drawn:
        at.setdefault(i, set()).add(step)
    return at


class Recording(ShuffledLoop):
    """A ``ShuffledLoop`` that finds where the calls of the program's (``here``: its
    directory) suspend at ``added`` lines (file name, number: awaits a fix added): for each
    call's ``i``, the steps of the original after which it would be held to wait as long
    (``steps``): the step before the one that reaches the line (the call held at the await
    it had) and that step (held at the next one), counted without the awaits added before."""

    def __init__(self, rng, ranked: bool, here: Path, added: set[tuple[str, int]]):
        super().__init__(rng, ranked)
        self._here, self._added = here, added
        self._counts: dict[asyncio.Task, list[int]] = {}  # steps, suspensions at added lines
        self.steps: dict[int, set[int]] = {}

    def _run_once(self) -> None:
        super()._run_once()
        task = self.ran
        i = _call_of(task, self._here)
        if i is None or task.done():
            return
        counts = self._counts.setdefault(task, [0, 0])
        counts[0] += 1
        if _suspended_at(task, self._here) in self._added:
            step = counts[0] - counts[1]
            self.steps.setdefault(i, set()).update((step - 1, step))
            counts[1] += 1


def _suspended_at(task: asyncio.Task, here: Path) -> tuple[str, int] | None:
    """The file name and line of the innermost frame of the program's (``here``: its
    directory) where ``task`` is suspended."""
    place, coro = None, task.get_coro()
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None and Path(frame.f_code.co_filename).parent == here:
            place = (Path(frame.f_code.co_filename).name, frame.f_lineno)
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return place


class InlinePool(ThreadPoolExecutor):
    """A thread pool that runs each job in the loop's thread at once, or (``deferred``, drawn
    from ``rng``) at once or at a later step of the loop: a task awaiting it may then be
    cancelled before it starts (it never runs: ``drop``), else only after it ended, never
    while it runs."""

    def __init__(self, rng: random.Random, deferred: bool) -> None:
        super().__init__(1)
        self._rng, self._deferred = rng, deferred
        self.jobs: list[Future] = []
        self._by_task: dict[asyncio.Task | None, list[Future]] = {}

    def drop(self, task: asyncio.Task) -> None:
        """Cancel the jobs ``task`` handed in that have not started."""
        for job in self._by_task.pop(task, []):
            job.cancel()

    def submit(self, fn, /, *args, **kwargs):
        job = Future()
        self.jobs.append(job)
        self._by_task.setdefault(asyncio.current_task(), []).append(job)

        def run():
            if not job.set_running_or_notify_cancel():
                return
            try:
                job.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
                job.set_exception(exc)

        if self._deferred and self._rng.random() < 0.5:
            asyncio.get_running_loop().call_soon(run)
        else:
            run()
        return job


class DelayingPool(ThreadPoolExecutor):
    """A thread pool whose jobs each start after a random delay below 2 ms."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__(4)
        self._rng = rng
        self._lock = threading.Lock()
        self.jobs: list[Future] = []

    def submit(self, fn, /, *args, **kwargs):
        with self._lock:
            delay = self._rng.random() * 0.002

        def delayed():
            time.sleep(delay)
            return fn(*args, **kwargs)

        job = super().submit(delayed)
        self.jobs.append(job)
        return job


def _load(path: Path, number: int):
    for module in path.parent.glob("*.py"):  # imported again, with fresh globals
        sys.modules.pop(module.stem, None)
    for init in path.parent.glob("*/__init__.py"):  # a package's modules too
        package = init.parent.name
        for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
            del sys.modules[name]
    spec = importlib.util.spec_from_file_location(f"fuzzed_{number}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> dict[str, object]:
    files: dict[str, object] = {}
    for p in sorted(root.rglob("*")):
        name = str(p.relative_to(root))
        if p.suffix == ".sqlite":
            with contextlib.closing(sqlite3.connect(p)) as conn:
                files[name] = conn.execute("SELECT x FROM t ORDER BY rowid").fetchall()
        elif p.is_file():
            files[name] = p.read_bytes().decode(errors="replace")
        elif not name.startswith("db.sqlite-"):
            files[name] = None
    return files


def _storage(root: Path) -> Path:
    """Where the stand-in server of a run in ``root`` keeps its files: beside it."""
    return root.with_name(root.name + SERVER)


def run_once(path: Path, root: Path, seed: int, pool: str, guard: bool, cancel=False, hold=None):
    """One run: the outcome (a string), or with ``guard`` the blocked tasks' lines
    (``pool``: ``threads``, ``inline``, ``deferred`` or the loop's own; ``hold``: on a
    ``Holding`` loop, ``True`` holding calls in turn, a dict of each call's steps
    holding those; a set of lines: on a ``Recording`` loop, and the steps it found)."""
    program = _load(path, seed)
    root.mkdir(parents=True)
    program.setup(str(root))
    rng = random.Random(seed)
    ranked = seed % 2 == 1
    if cancel:
        # every pair in turn, each in runs of both kinds
        call, step = seed % CALLS, seed // CALLS % STEPS + 1
        loop = Cancelling(rng, seed // (CALLS * STEPS) % 2 == 1, path.parent, call, step)
    elif isinstance(hold, set):
        loop = Recording(rng, ranked, path.parent, hold)
    elif hold:
        chosen = _held_in_turn(seed, rng) if hold is True else _held_at_chosen(hold, rng)
        loop = Holding(rng, ranked, path.parent, chosen)
    else:
        loop = ShuffledLoop(rng, ranked)
    executor = None
    if pool == "threads":
        executor = DelayingPool(random.Random(seed + 1))
    elif pool in ("inline", "deferred"):
        executor = InlinePool(random.Random(seed + 1), pool == "deferred")
    loop.ordered = getattr(program, "ZERO_SLEEPS_IN_ORDER", False)
    if executor is not None:
        loop.set_default_executor(executor)
    if guard:
        from blockbuster import blockbuster_ctx

        context = blockbuster_ctx()
    else:
        context = contextlib.nullcontext()
    try:
        with context:
            results, state = loop.run_until_complete(program.main(str(root)))
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()
    if guard:
        return [_lines(r, path) for r in results if isinstance(r, BaseException)]
    if isinstance(loop, Recording):
        return {i: sorted(steps) for i, steps in loop.steps.items()}
    ran = {"results": results, "state": state, "files": _files(root)}
    if _storage(root).exists():  # a stand-in server's files (``fuzz_clients``, ``fuzz_drivers``)
        ran["server"] = _files(_storage(root))
    outcome = repr(ran)
    skipped = cancel and executor is not None and any(job.cancelled() for job in executor.jobs)
    return SKIPPED * skipped + outcome.replace(str(root), "ROOT")


def _lines(error: BaseException, path: Path) -> list:
    frames = traceback.extract_tb(error.__traceback__)
    here = path.parent
    return [
        type(error).__name__,
        [[Path(f.filename).name, f.lineno] for f in frames if Path(f.filename).parent == here],
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("program", type=Path)
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", action="store_const", const="threads", dest="pool")
    parser.add_argument("--inline", action="store_const", const="inline", dest="pool")
    parser.add_argument("--deferred", action="store_const", const="deferred", dest="pool")
    parser.add_argument("--cancel", action="store_true")
    parser.add_argument("--guard", action="store_true")
    parser.add_argument("--hold", action="store_true", help="hold calls in turn")
    parser.add_argument(
        "--hold-at", type=json.loads, help='hold calls after these steps: {"i": [k, ...]}'
    )
    parser.add_argument(
        "--added",
        type=json.loads,
        help='print the steps to hold after: the calls suspend at these lines [["file", n]]',
    )
    args = parser.parse_args()
    here = args.program.resolve().parent
    # libraries of its own: ``--chains``, ``--drivers``
    sys.path[:0] = [str(here), str(here / "site-packages")]
    if args.added is not None:
        hold = {tuple(line) for line in args.added}
    elif args.hold_at is not None:
        hold = {int(i): steps for i, steps in args.hold_at.items()}
    else:
        hold = args.hold
    outcomes = []
    for run in range(args.runs):
        root = args.work_dir / f"run-{run}"
        outcomes.append(
            run_once(
                args.program.resolve(),
                root,
                args.seed + run,
                args.pool,
                args.guard,
                args.cancel,
                hold,
            )
        )
        shutil.rmtree(root)
        shutil.rmtree(_storage(root), ignore_errors=True)
    json.dump(outcomes, sys.stdout)


if __name__ == "__main__":
    main()

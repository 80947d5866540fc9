"""Runtime proof of declined swaps: projects whose safe fix must leave some findings.

Each ``fixtures/runtime_declined/*/`` is a project with a library in its ``site-packages`` (put
on ``PYTHONPATH``, where deblock learns its twins), a ``program.py`` and maybe modules beside
it, whose finding lines say what a safe fix does with them: ``# swapped`` (the twin is awaited),
``# in a thread: CODE`` (not swapped: the twin runs CODE in a worker thread), ``# apart`` (not
swapped: another call on a class with twins shares its run of statements, whichever pass found
it), ``# differs`` (not swapped: the twin takes other parameters, returns another thing or
demands more of the instance), ``# affine`` (no fix: a call on an object that works only in the
thread that made it, or of project code that makes or uses one the program keeps), ``# alone``
(no safe fix: a call on a shared resource, or on a shared object two threads must not use at
once, that only the project pass finds would be bridged on its own, outside the module's
sections), ``# beside`` (no safe fix: such a call stays on the
event loop, where the module's lock does not reach), ``# split`` (not fixed: the await would
fall between reads and writes of shared state, between writes of two pieces of it, or
between two reads of state another module writes),
``# shared`` (no safe fix: another module's fixes would touch the same files from threads
under another lock; a section holding such a call moves whole or not at all), ``# loop`` (no
safe fix: the thread would run a project function that must run on the event loop's thread:
it needs the loop, acts on the thread, its context or its thread-local data, reads the
exception being handled or lets a ``StopIteration`` out), ``# torn`` (no
safe fix: a caller reads and writes a resource, writes two, or reads twice one that other code
writes, around its awaits of coroutines that never suspend, and the fix would make them
suspend), ``# turn`` (the same, around its awaits of coroutines that suspend only to wait
their turn at an ``asyncio.Lock``, which hands itself on in the order it was asked),
``# waited`` (no safe fix: it runs in a body of an asyncio lock, or in a coroutine such a body
awaits, at whose entry a coroutine's run goes on through its wait, touching what other tasks
change; a lock known by no name (an attribute, a parameter, an item, a getter's result) may
be any: an await there would keep the lock taken where tasks now find it free, and let other
code in while they wait),
``# iterated`` (no safe fix: the loop around it iterates state the module's code changes),
``# raced`` (no safe fix: its block, or the lambda a breaker's ``call`` is handed, uses
state code left on the event loop changes),
``# awaits`` / ``# frame`` (no safe fix: its blocking argument would stay on the event loop
with arguments that await or read the exception being handled, split from it by an await),
``# stops`` (no safe fix: its block steps an iterator with ``next()`` and does not catch the
``StopIteration``, which a worker thread cannot hand back), ``# context`` (no safe fix: its
section sets a ``ContextVar`` another module made, which a worker thread sets in its own copy),
``# locals`` (no safe fix: its section reads the calling frame's variables, ``locals()``),
``# super`` (no safe fix: its section calls ``super()`` without arguments, which finds its
class and instance in the method's own frame),
``# raised`` (no safe fix: the coroutine reads a name its section binds after an exception
there, which the helper would not hand back), ``# lazy`` (no safe fix: its section would make
a lazy result that the coroutine iterates after it, on the event loop, where its I/O would
stay), ``# unlocked`` (no safe fix: another call of the module on the same resource stays on
the event loop, where the sections' lock does not reach), ``# joined`` (no safe fix: it runs
on with no await into statements of another body that touch the same resource, or another
that other tasks change, such as the end of a ``finally`` and what follows the ``try``,
which no section can hold together),
``# suspending`` (no safe fix: a caller reads and writes a resource across its await of a
coroutine whose statements before its first suspension, or after its last, run with the
caller's), ``# released`` (no safe fix: cancelled at its await, the coroutine would leave
an ``async with`` on an asyncio lock while the thread still works), ``# cleanup`` (no safe
fix: it runs in a ``finally``, where an await could be
cancelled), ``# lock`` (no safe fix: its section would hold an ``async with`` on an asyncio
lock that no holder waits on, or on a manager of the module's own that never awaits, which
does not suspend, so the statements around it run as one, but which no thread helper can
take), ``# contended`` (no safe fix: it runs inside such
a lock, where an await would make other calls wait to enter it, and each ``async with`` on
the lock would then suspend where the program runs on through it now), ``# unsafe`` (its
only fix is an unsafe one, such as a project helper's that touches a file or blocks),
``# carried`` (no safe fix: listing a lazy result in the thread, or moving a section or a
``with open(...)`` block, would run there a project call among its receiver or arguments,
or in the section's or block's lines, whose own fix is unsafe), ``# partner`` (no safe fix:
its section shares an instance's attribute or a global with another section that stays on
the event loop, where the lock does not reach),
``# aliased`` (no safe fix: its block uses an attribute that code left on the event loop
changes through another name, a parameter's attribute of the same name, or a parameter it
changes in place that code left there may change as its own parameter), ``# ordered`` (no
safe fix: it runs right before or after an ``async with`` on an ``asyncio.Lock`` whose body
suspends, and statements on its other side or in its body touch the same thing or write
another: the lock hands itself on in the order it was asked, and no other holder runs while a
task holds it, so every task's accesses come in one order, which an await would let threads
change), ``# slept`` (no safe fix: it runs between statements before and after a zero
sleep, ``await asyncio.sleep(0)``, that touch the same thing or write another: tasks come
back from it in the order they came, so every task's accesses come in one order, which an
await there would let threads change; or after zero sleeps only, before statements touching
what another coroutine touches after as many zero sleeps, which would overtake it),
``# spawned`` (no safe fix: it runs after a task start in the same run, before statements
touching what the started coroutine touches: on the loop the task runs only once its starter
suspends, and an await there would let it run first),
``# ticketed`` (no safe fix: it runs after a token the coroutine took of shared state, with no
suspension between, and the run then writes other state, or the file system that its runs
both write and read: every task does so in the order it took its token, which an await would
change),
``# checked`` (no safe fix: it runs right after a test of shared state that the coroutine
writes after an await: a thread's await would widen the window between the test and the
write that the await, maybe one turn of the loop, left),
``# stream`` (no safe fix:
it writes ``sys.stdout`` or ``sys.stderr``, which the coroutine or another function of the
module writes too, or, with no lock, its own other calls from their threads: other tasks'
writes to the stream would come between its own),
``# tested`` (no safe fix: it runs after a test of a path, a method call on a name the
analysis could not type, in an ``if`` test, bound to a name such a test reads or in a ``try``
whose handler leaves, up to a write of the file system that takes that name, with no await
between: other tasks would pass the same test meanwhile), ``# threaded`` (no safe fix: a
breaker's ``call`` handed a sync function of the project, which ``call_async`` would run in a
worker thread), ``# threads`` (no safe fix: the lambda a breaker's ``call`` is handed reads and
writes state itself, which each call's thread would do at once, with no lock), ``# managed``
(no safe fix: it runs inside a ``with`` or ``async with`` block whose manager, the project's
code (maybe as a function's result), touches
shared state on entry and on exit, one of them writing it, or writes on both: no other task
runs between them on the event loop), ``# mocked`` (no safe fix: the coroutine put a mock in
place of the async library's function the fix would await, such as ``asyncio.sleep``),
``# atomic`` (no safe fix: its statements read and write a resource, and the section that
would keep them atomic carries into the worker thread a call with no safe fix of its own),
``# undone`` (its only fix is unsafe, and says why: the call acts on an object right after a
test of it, which other tasks may undo during the thread's await), ``# held`` (no safe fix:
another call on its non-thread-safe class, maybe on the same object, stays on the event loop,
where the project pass left it: a lifetime moves into one thread whole or not at all),
``# bound`` (no safe fix: its statements must stay atomic, but one of them must stay on the
event loop's thread, so no section can move them), ``# inserts`` (no safe fix: the module,
analysed again knowing that a name it imports holds another module's ``defaultdict``, moves it
with statements around it that its fix leaves), ``# registrar`` (no safe fix: it holds only
while the name of an exit stack's registrar, called on an object of unknown type, is one,
and a project class defines a method of that name, which may call what it is handed at once),
``# shadowed`` (no fix: it would name a module its import adds, or the project's own thread
bridge, where the function around it, or the module, binds that name otherwise: a parameter,
an import in a branch or after it, an assignment). ``deblock fix`` must do exactly that, and
the fixed program, run by ``runtime_harness`` as concurrent calls on a busy thread pool,
must return what the original returns and leave the same files.
"""

import ast
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from busy_pool import CALLS
from expectations import expected_findings
from runtime_harness import project_env, run_project, tree

PROJECTS_DIR = Path(__file__).parent / "fixtures" / "runtime_declined"
PROJECTS = sorted(PROJECTS_DIR.iterdir())
MARKS = (
    "swapped|apart|differs|affine|alone|beside|split|shared|loop|torn|iterated|raced|"
    "awaits|frame|stops|context|locals|super|raised|lazy|unlocked|joined|suspending|cleanup|lock|turn|waited|"
    "released|contended|unsafe|carried|partner|aliased|ordered|checked|stream|tested|threaded|threads|"
    "managed|mocked|atomic|undone|endless|slept|started|spawned|held|bound|inserts|ticketed|"
    "registrar|shadowed"
)
MARK = re.compile(rf"# ({MARKS}|in a thread: (\S+))  # expect: ")
WHY = {
    "apart": "it runs between the same two awaits as",
    "differs": "` differs from `",
    "affine": "objects work only in the thread that made them",
    "alone": "found across modules, it would be bridged on its own",
    "beside": "on the event loop, where this module's lock does not reach",
    "split": "an await there would let other tasks run between the statements that ",
    "shared": "touches the file system from worker threads too",
    "loop": "must run on the event loop's thread: ",
    "torn": "across awaits of coroutines that never suspend",
    "turn": "coroutines that suspend only to wait their turn at an asyncio lock (a `Lock`,",
    "waited": "waits its turn in a run that",
    "iterated": "an await in its body would let that change come during the iteration",
    "raced": "on the event loop, beside the worker thread",
    "awaits": "it runs in a statement that awaits",
    "frame": "which reads the exception being handled",
    "stops": "which may raise `StopIteration`",
    "context": "acts on the thread or context that runs it",
    "locals": "which reads the frame that calls it",
    "super": "they use `super()` without arguments, which works only in the method itself",
    "raised": "which the coroutine reads after an exception there",
    "lazy": "is iterated after them, on the event loop, where it does its I/O",
    "unlocked": "stays on the event loop, where the lock that serialises the threads does not",
    "joined": "run on into each other across the edge of the block at line",
    "suspending": "whose statements before its first suspension or after its last run with it",
    "cleanup": "it runs in a `finally`: an await there could itself be cancelled",
    "released": "the lock's next holder would run beside it",
    "lock": "with `async with`, which stays on the event loop",
    "contended": "an await there would make other calls wait to enter it",
    "unsafe": "(not fixed: unsafe fix: ",
    "carried": "its fix would carry into the worker thread `",
    "partner": "is also used by the section at line",
    "aliased": "may be the same object as `",
    "ordered": "`Semaphore` or `Condition`) that hands itself on in the order it was asked",
    "slept": "(`asyncio.sleep(0)`), which hands tasks back in the order they came, come in one",
    "started": "touches too in its first run: the tasks started after this one would run",
    "spawned": "in a task started at line",
    "ticketed": "with no suspension in between, so the tasks do so in the order they took",
    "checked": "the thread's await would widen that window",
    "stream": "other tasks' writes to the stream would come between its own",
    "tested": "the thread's await would let other tasks pass the same test meanwhile",
    "threaded": "the project's own code, in a worker thread, beside the event loop",
    "threads": "the coroutine's other calls would do so at once from their threads",
    "managed": "whose entry and exit touch `",
    "atomic": "must stay atomic, and moving them into a thread carries `",
    "mocked": "puts a mock in place of the async library's `sleep`, which the fix would await",
    "undone": "what the test found may no longer hold when the thread runs",
    "endless": "a stream that waits for more without end: listed whole in a thread it would",
    "held": "stays on the event loop (program.py:",
    "bound": "must stay atomic, but `",
    "inserts": "another module's container whose item read inserts a missing key, moves it",
    "registrar": "and the two readings decide this fix differently",
    "shadowed": "`, which the code around it binds otherwise",
}


@pytest.fixture(params=PROJECTS, ids=lambda p: p.name)
def project(request, tmp_path) -> Path:
    return shutil.copytree(request.param, tmp_path / "project")


def _deblock(project: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "deblock", *args, "--no-cache", "."]
    env = project_env(project)
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def _modules(project: Path) -> list[str]:
    """The project's own modules (its library in ``site-packages`` is not fixed)."""
    return sorted(p.name for p in project.glob("*.py"))


def test_the_program_s_findings_are_reported(project):
    findings = json.loads(_deblock(project, "check", "--format", "json").stdout)
    found = Counter((f["path"], f["line"], f["code"]) for f in findings)
    expected = sum(
        (expected_findings((project / m).read_text(), m) for m in _modules(project)), Counter()
    )
    assert found == expected


def test_only_safe_swaps_are_made_and_the_program_behaves_the_same(project, tmp_path):
    original = shutil.copytree(project, tmp_path / "original")
    fixed = _deblock(project, "fix")
    declined = [
        mark
        for module in _modules(project)
        for mark in MARK.finditer((original / module).read_text())
        if mark.group(1) != "swapped"
    ]
    # the declined swaps are left
    assert fixed.returncode == (1 if declined else 0), fixed.stdout + fixed.stderr
    left: dict[tuple, list[str]] = {}  # the findings listed, by module and line
    for line in fixed.stdout.splitlines()[:-1]:
        left.setdefault(tuple(line.split(":")[:2]), []).append(line)
    for module in _modules(project):
        before = (original / module).read_text().splitlines()
        after = (project / module).read_text().splitlines()
        for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
            mark = MARK.search(old)
            if mark is not None and mark.group(1) == "swapped":
                assert "await " in new and "await " not in old
                continue
            assert new == old
            if mark is not None:
                why = WHY.get(mark.group(1), f"runs `{mark.group(2)}` in a worker thread")
                assert any(why in listed for listed in left.pop((module, str(number))))
    assert left == {}
    expected = run_project(original, tmp_path / "original-run")
    assert run_project(project, tmp_path / "fixed-run") == expected
    assert tree(tmp_path / "fixed-run") == tree(tmp_path / "original-run")


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("shadowed_branch_import", "asyncio"),
        ("shadowed_parameter", "asyncio"),
        ("shadowed_module_assigned", "asyncio"),
        ("shadowed_import_after", "asyncio"),
        ("shadowed_comprehension", "asyncio"),
        ("shadowed_bridge", "run_sync"),
    ],
)
def test_check_declines_a_fix_whose_import_the_code_around_binds_otherwise(name, named, tmp_path):
    """``# shadowed`` is the analysis's decision: ``check`` gives the fixes no fix and says
    why, so ``check`` and ``fix`` agree (the fixer once declined it alone, at rewrite time;
    ``fix`` chose the project's bridge after ``check``, which never weighed its name)."""
    project = shutil.copytree(PROJECTS_DIR / name, tmp_path / "project")
    found = json.loads(_deblock(project, "check", "--format", "json").stdout)
    assert found
    for finding in found:
        assert (finding["strategy"], finding["unsafe_strategy"], finding["fixable"]) == (
            None,
            None,
            False,
        )
        assert finding["declined"] == f"its fix would name `{named}{WHY['shadowed']}"


class UnsafeRun(NamedTuple):
    """A fixture project run, then fixed with ``--unsafe-fixes`` and run again."""

    project: Path
    original: dict
    fixed: subprocess.CompletedProcess  # the fix's own run
    unsafe: dict

    def text(self, module: str = "program.py") -> str:
        return (self.project / module).read_text()

    def results(self, run: str) -> list:
        return [ast.literal_eval(r) for r in getattr(self, run)["results"]]

    def runs(self, tmp_path: Path, more: int, *flags: str) -> Iterator[dict]:
        """The unsafe run, then up to ``more`` runs again, each made only when asked for
        (``any`` over them stops at the first that shows a race: some races come in only
        some runs)."""
        yield self.unsafe
        for k in range(more):
            yield run_project(self.project, tmp_path / f"unsafe-run-{k}", *flags)


def _with_unsafe_fixes(name: str, tmp_path: Path) -> UnsafeRun:
    project = shutil.copytree(PROJECTS_DIR / name, tmp_path / "project")
    original = run_project(project, tmp_path / "original-run")
    fixed = _deblock(project, "fix", "--unsafe-fixes")
    return UnsafeRun(project, original, fixed, run_project(project, tmp_path / "unsafe-run"))


def test_calls_found_across_modules_bridged_one_at_a_time_split_a_check_from_its_removal(
    tmp_path,
):
    """What ``# alone`` declines: with ``--unsafe-fixes`` the directory check and its removal
    get an await between them, and the program's calls find the directory removed under them."""
    run = _with_unsafe_fixes("across_modules", tmp_path)
    assert run.original["results"].count("'removed'") == 1
    assert "'removed under it'" in run.unsafe["results"]


def test_a_get_moved_away_from_the_test_that_found_an_item_waits_on_an_emptied_queue(tmp_path):
    """What ``# undone`` says: with ``--unsafe-fixes`` the get runs in a thread after an
    await, other calls' tests see the item it was about to take, and their gets wait on the
    emptied queue until the program's watchman puts one there (shiny's suite, with none,
    hung)."""
    run = _with_unsafe_fixes("tested_queue", tmp_path)
    assert "asyncio.to_thread(self._pending.get)" in run.text()
    assert run.original["results"] == ["'flushed'"] * CALLS
    assert "'waited on an emptied queue'" in run.unsafe["results"]


def test_a_getter_s_lock_is_shown_as_a_call_s_result_in_the_waited_reason(tmp_path):
    """``lock_got_free``'s ``work`` sleeps in ``async with helpers.lock_for("k"):``, a
    getter's lock, which ``# waited``'s reason called "a lock an attribute or a parameter
    holds"; it is a call's result, and the reason says so."""
    project = shutil.copytree(PROJECTS_DIR / "lock_got_free", tmp_path / "project")
    fixed = _deblock(project, "fix")
    (line,) = [f for f in fixed.stdout.splitlines() if f.startswith("program.py:24:")]
    unnamed = "a lock known by no name (an attribute, a parameter, an item or a call's result)"
    assert f"it runs inside `async with` on {unnamed}, " in line


@pytest.mark.parametrize("name", ["project_sqlite", "reopened_in_loop"])
def test_sqlite_connections_are_not_moved_even_as_unsafe(name, tmp_path):
    """What ``# affine`` declines is not offered as unsafe either: in ``project_sqlite``,
    project code holding a connection (a class that connects when made, its method, a
    helper returning one); in ``reopened_in_loop``, a connection a loop opens again.
    ``--unsafe-fixes`` leaves them, and the program returns what it did (moved, a connection
    made in one thread was used from another: sqlite3 raised ``ProgrammingError``)."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert run.text() == (PROJECTS_DIR / name / "program.py").read_text()
    assert run.unsafe == run.original


def test_a_method_its_own_twin_runs_inline_is_not_moved_even_as_unsafe(tmp_path):
    """``Notes.acount`` runs ``count`` inline, on the connection the instance made on the
    event loop: judged by its body (DBK801), not as a twin (DBK602, whose unsafe fix moved
    it into a worker thread, where sqlite3 raised ``ProgrammingError``). ``--unsafe-fixes``
    leaves it (it swaps the calls of ``allowed`` outside the twin), and the program returns what
    it did."""
    run = _with_unsafe_fixes("inline_twins", tmp_path)
    assert "        return self.count()  # affine" in run.text()
    assert "await scopes.aallowed(" in run.text()
    assert run.unsafe == run.original


def test_a_method_that_starts_tasks_is_not_bridged_even_as_unsafe(tmp_path):
    """A method that starts tasks where its twin awaits them (``Emitter.event``, ``#
    scheduled``) is no twin and is not reported: ``--unsafe-fixes`` neither swaps it nor
    moves it into a thread, where ``ensure_future`` finds no running loop and raises; the
    program returns what it did."""
    run = _with_unsafe_fixes("scheduling_twins", tmp_path)
    assert '    emitter.event("ready")' in run.text()
    assert run.unsafe == run.original


def test_a_section_that_would_move_a_call_needing_the_event_loop_gets_no_fix_at_all(tmp_path):
    """What ``# loop`` declines is not offered as unsafe either: moved into worker threads,
    where no event loop runs, ``relay`` and ``note`` (another module's) raised
    ``RuntimeError`` and the listeners heard nothing (``--unsafe-fixes`` moved them until
    loop-bound sections lost their fix). Now the program runs as the original."""
    run = _with_unsafe_fixes("loop_bound", tmp_path)
    assert sorted(run.original["results"]) == sorted(repr((n, True)) for n in range(CALLS))
    original = (PROJECTS_DIR / "loop_bound" / "program.py").read_text()
    marked = {line for line in original.splitlines() if "# loop" in line}
    assert marked <= set(run.text().splitlines())
    assert run.unsafe == run.original


def test_a_class_whose_base_takes_the_running_loop_is_not_made_in_a_thread(tmp_path):
    """What ``# loop`` declines in ``through_super``: ``Ledger.__init__`` runs its base's
    ``__init__`` through ``super()``, which takes the running loop. ``--unsafe-fixes`` made
    the ledger in a worker thread, where it raised ``RuntimeError``, until the chains
    followed ``super()``; now its call stays, and the program returns what it did."""
    run = _with_unsafe_fixes("through_super", tmp_path)
    assert "ledger = Ledger(__file__)" in run.text()
    assert run.unsafe == run.original


def test_awaits_fixes_add_in_coroutines_that_never_suspended_split_their_caller(tmp_path):
    """What ``# torn`` declines: with ``--unsafe-fixes`` the counter's load, the note and
    the save each await a worker thread, other calls run between them, and calls load the
    same count: some counts are given twice and the file keeps fewer than the calls."""
    run = _with_unsafe_fixes("atomic_callers", tmp_path)
    assert sorted(map(int, run.original["results"])) == list(range(1, CALLS + 1))
    assert "await asyncio.to_thread" in run.text()
    assert len(set(run.unsafe["results"])) < CALLS
    counter = json.loads((tmp_path / "unsafe-run" / "counter.json").read_text())
    assert counter["n"] < CALLS


def test_an_await_a_fix_adds_in_a_coroutine_that_never_suspended_splits_its_caller_s_state(
    tmp_path,
):
    """What ``# torn`` declines in ``atomic_state``: with ``--unsafe-fixes`` ``append`` (in
    another module) awaits a worker thread between ``take``'s read of ``self.next`` and its
    write, and ``current``'s sleep is awaited after it reads the count ``bump`` writes:
    calls are handed the same ticket, and the same count."""
    run = _with_unsafe_fixes("atomic_state", tmp_path)
    for given in zip(*run.results("original"), strict=True):
        assert sorted(given) == list(range(CALLS))
    assert "await asyncio.to_thread" in run.text("journal.py")
    assert "await asyncio.sleep" in run.text()
    for given in zip(*run.results("unsafe"), strict=True):
        assert len(set(given)) < CALLS


def test_an_await_in_a_loop_over_shared_state_lets_it_change_during_the_iteration(tmp_path):
    """What ``# iterated`` declines: with ``--unsafe-fixes`` the measuring loop awaits a
    worker thread at each step, other calls queue their files meanwhile, and the dict
    changes size under the loop: calls raise ``RuntimeError`` where on the loop each saw
    the files queued before it."""
    run = _with_unsafe_fixes("shared_iteration", tmp_path)
    assert sorted(map(int, run.original["results"])) == [6 * n for n in range(1, CALLS + 1)]
    assert "await asyncio.to_thread(os.path.getsize, path)" in run.text()
    assert "'RuntimeError'" in run.unsafe["results"]


def test_a_block_counting_state_the_event_loop_changes_races_it_in_a_thread(tmp_path):
    """What ``# raced`` declines in ``nested_name``: with ``--unsafe-fixes`` the block
    that counts ``SEEN`` runs in a worker thread while other calls add to it on the event
    loop, and the iteration fails; on the loop every call counts to the end."""
    run = _with_unsafe_fixes("nested_name", tmp_path)
    assert sorted(map(int, run.original["results"])) == list(range(CALLS))
    assert "asyncio.to_thread" in run.text()
    assert "'RuntimeError'" in run.unsafe["results"]


def test_an_await_a_fix_adds_one_await_deeper_splits_the_caller_s_state(tmp_path):
    """What ``# torn`` declines in ``atomic_deeper``: with ``--unsafe-fixes`` the coroutine
    that reads the number (``current``, awaited through ``peek``) and the one awaited after
    the count is read (``pause``) await their sleeps before the callers write: calls are
    handed the same ticket, and the same count."""
    run = _with_unsafe_fixes("atomic_deeper", tmp_path)
    for given in zip(*run.results("original"), strict=True):
        assert sorted(given) == list(range(CALLS))
    assert run.text().count("await asyncio.sleep") == 2
    for given in zip(*run.results("unsafe"), strict=True):
        assert len(set(given)) < CALLS


def test_an_await_a_fix_adds_before_a_callee_s_write_leaves_its_caller_a_stale_read(tmp_path):
    """What ``# torn`` declines in ``stale_read``: with ``--unsafe-fixes`` ``reserve`` and
    ``advance`` sleep before they write, after their callers read: every call finds a seat
    free (more claimed than there are), and calls are handed the same ticket."""
    run = _with_unsafe_fixes("stale_read", tmp_path)
    claims, tickets = zip(*run.results("original"), strict=True)
    assert Counter(claims) == {"claimed": 5, "full": CALLS - 5}
    assert sorted(tickets) == list(range(CALLS))
    assert run.text().count("await asyncio.sleep") == 2
    claims, tickets = zip(*run.results("unsafe"), strict=True)
    assert Counter(claims)["claimed"] > 5
    assert len(set(tickets)) < CALLS


@pytest.mark.parametrize("name", ["awaited_argument", "frame_argument"])
def test_a_call_bridged_apart_from_its_blocking_argument_lets_others_write_between(tmp_path, name):
    """What ``# awaits`` and ``# frame`` decline: with ``--unsafe-fixes`` ``json.dump`` runs
    in a worker thread while its ``open`` stays on the loop; other calls empty and write the
    file between them, and the file left is not the JSON any one call wrote."""
    run = _with_unsafe_fixes(name, tmp_path)
    (written,) = (tmp_path / "original-run").iterdir()
    json.loads(written.read_text())
    assert "await asyncio.to_thread(" in run.text()
    with pytest.raises(json.JSONDecodeError):
        json.loads((tmp_path / "unsafe-run" / written.name).read_text())


def test_a_call_taken_whole_into_a_thread_reads_state_the_loop_rebinds_meanwhile(tmp_path):
    """What ``# raced`` declines in ``late_read``: with ``--unsafe-fixes`` the load runs as
    ``lambda: json.load(open(self.path))`` in a worker thread, which reads ``self.path`` after
    other calls switched it: calls load another call's file; on the loop none did."""
    run = _with_unsafe_fixes("late_read", tmp_path)
    assert set(run.original["results"]) == {"True"}
    assert "lambda: json.load(open(self.path))" in run.text()
    assert "False" in run.unsafe["results"]


def test_a_section_setting_a_context_variable_of_another_module_gets_no_fix_at_all(tmp_path):
    """What ``# context`` declines is not offered as unsafe either: moved into a worker
    thread, ``CURRENT.set`` set the thread's copy of the context, which is dropped, and
    every call reported ``None`` where on the loop each reported its count
    (``--unsafe-fixes`` moved it until such sections lost their fix). Now the program runs
    as the original."""
    run = _with_unsafe_fixes("imported_context", tmp_path)
    assert sorted(map(int, run.original["results"])) == list(range(CALLS))
    assert "_bump_in_thread" not in run.text()
    assert run.unsafe == run.original


def test_an_await_across_the_edges_of_a_free_lock_lets_others_see_the_flag(tmp_path):
    """What ``# lock`` declines: with ``--unsafe-fixes`` the listing, the process and the
    removal each await a worker thread, and calls list the flag before one removes it; on
    the loop, where the lock never suspends, exactly one call saw it."""
    run = _with_unsafe_fixes("lock_edges", tmp_path)
    assert run.original["results"].count("['flag']") == 1
    assert "await asyncio.to_thread(subprocess.run" in run.text()
    assert run.unsafe["results"].count("['flag']") > 1


def test_an_await_inside_a_free_lock_makes_another_coroutine_wait_at_its_entry(tmp_path):
    """What ``# contended`` declines: with ``--unsafe-fixes`` the log's append awaits a
    worker thread inside the lock; ``take``, which never awaits, then finds the lock taken
    and waits at its ``async with`` between its read of ``NEXT`` and its write: calls are
    handed the same ticket."""
    run = _with_unsafe_fixes("contended_lock", tmp_path)
    assert sorted(map(int, run.original["results"])) == list(range(CALLS))
    assert "await asyncio.to_thread(_note_in_thread)" in run.text()
    assert len(set(run.unsafe["results"])) < CALLS


def test_an_await_in_a_section_held_by_hand_or_on_a_semaphore_makes_others_wait_at_entry(
    tmp_path,
):
    """What ``# contended`` declines in ``free_lock_by_hand``: with ``--unsafe-fixes`` the
    sleeps are awaited inside a lock held by hand (the module's own, another module's) and
    inside another module's semaphore and condition; ``count`` and ``helpers.take`` then
    find them taken and wait at their entry between a read and its write: calls are handed
    the same numbers, where on the loop each got its own."""
    run = _with_unsafe_fixes("free_lock_by_hand", tmp_path)
    assert sorted(run.results("original")) == [(n, n) for n in range(CALLS)]
    assert run.text().count("await asyncio.sleep(0.001)") == 4
    for given in zip(*run.results("unsafe"), strict=True):
        assert len(set(given)) < CALLS


def test_a_thread_inside_a_manager_s_block_lets_other_calls_enter_it_meanwhile(tmp_path):
    """What ``# managed`` declines in ``managers_elsewhere``: with ``--unsafe-fixes`` the
    child processes run in threads inside the blocks of an ``async with`` manager, of one a
    function returns and of one counting in its class's attribute (another module's and the
    module's own), and calls find others in progress on entry, which on the loop none did;
    ``Fresh``'s new instance (fixed by the safe fix too) still finds none."""
    run = _with_unsafe_fixes("managers_elsewhere", tmp_path)
    assert {seen for _, seen in run.results("original")} == {0}
    assert run.text().count("await asyncio.to_thread(subprocess.run") == 9
    results = [ast.literal_eval(r) for each in run.runs(tmp_path, 2) for r in each["results"]]
    entered = {name for name, seen in results if seen}
    assert entered == {name for name, _ in results} - {"fresh"}


def test_an_await_between_reads_of_a_parameter_s_attributes_lets_other_calls_write_them(
    tmp_path,
):
    """What ``# split`` declines in ``parameter_pair``: with ``--unsafe-fixes`` the child
    processes are awaited between ``audit``'s reads of its ledger's two counts,
    ``recount``'s two reads of one and ``stocktake``'s of two others, other calls'
    ``mover.sell`` and ``mover.restock`` move them on meanwhile, and the reads disagree (in
    some runs); on the loop they always agreed."""
    run = _with_unsafe_fixes("parameter_pair", tmp_path)
    assert set(run.original["results"]) == {"True", "'main ledger'"}
    assert run.text().count("await (await asyncio.create_subprocess_exec(") == 4
    assert any("False" in r["results"] for r in run.runs(tmp_path, 4))


def test_a_listing_that_carries_a_helper_into_its_thread_is_an_unsafe_fix(tmp_path):
    """What ``# carried`` declines: ``--unsafe-fixes`` lists ``Path(counted(...)).iterdir()``
    in a worker thread with ``counted`` in it, where its calls may lose counts, and so
    ``located(...).iterdir()`` (the file is fixed: the helpers' own fixes wrote an ``await``
    into the thread's ``lambda``, and the fix failed). The listings that carry ``placed``
    and ``looped`` (they need the loop) stay."""
    run = _with_unsafe_fixes("lazy_helper", tmp_path)
    assert "fix failed" not in run.fixed.stdout + run.fixed.stderr
    assert run.text().count("to_thread(lambda: list(") == 2
    assert run.unsafe["results"] == run.original["results"]


@pytest.mark.parametrize(
    "name",
    [
        "finally_then_callee",
        "callee_tail_order",
        "lock_order",
        "lock_order_callee",
        "callee_argument",
        "lock_order_across",
        "lock_tail_across",
        "owned_global",
        "owned_name",
        "owner_reads",
        "owner_rebinds",
        "handed_count",
    ],
)
def test_an_await_between_two_writes_that_ran_as_one_lets_threads_write_in_another_order(
    name, tmp_path
):
    """What ``# torn`` declines in ``finally_then_callee`` (the end of a ``finally`` and an
    awaited coroutine's writes) and ``# suspending`` in ``callee_tail_order`` (a coroutine's
    writes after its last suspension and the caller's append), and ``# ordered`` in
    ``lock_order`` and ``lock_order_callee`` (the same, an ``asyncio.Lock`` between, which
    keeps the calls' order; ``lock_order_across``: another module's lock), ``# joined`` in
    ``lock_tail_across`` (a write at the end of another module's lock and the append after
    it), ``# suspending`` and ``# torn`` in ``callee_argument`` (the writes are another
    module's coroutine's, of the parameters the caller hands it: its instance, its lists),
    and ``# raced`` in ``owned_global`` and ``owned_name`` (another module's log read and
    appended to around a write, while its own coroutine appends on the loop), in
    ``owner_reads`` and ``owner_rebinds`` (a pair appended to it around a write, while its
    own coroutine reads it, or binds a new one, on the loop), and in ``handed_count`` (another
    module's coroutine reads and writes back the count of the instance it is handed, while
    its caller's class bumps it on the loop): with ``--unsafe-fixes`` the
    worker threads may write in another order than the event loop's, and then the log and
    the table no longer list the calls in one order, or the count loses updates (in some
    runs: the threads may also come in the loop's order, about one run in three for
    ``lock_order``); on the loop they always did."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert run.original["state"] == "True"
    assert any("await asyncio.to_thread" in run.text(m) for m in _modules(run.project))
    assert any(r["state"] == "False" for r in run.runs(tmp_path, 49))


def test_an_await_between_a_token_taken_and_its_append_lets_the_calls_append_out_of_order(
    tmp_path,
):
    """What ``# torn`` declines in ``token_then_first_run``: with ``--unsafe-fixes`` each
    call awaits its sleep of a computed delay between the token it took from ``next(CALLS)``
    and its append, the timers fire in the delays' order, and ``ORDER`` lists the tokens out
    of order (in some runs); on the loop it always listed them in order."""
    run = _with_unsafe_fixes("token_then_first_run", tmp_path)
    assert run.original["state"] == "True"
    assert "await asyncio.sleep(0.005 * random.random())" in run.text()
    assert any(r["state"] == "False" for r in run.runs(tmp_path, 9))


@pytest.mark.parametrize("name", ["ticket_orders_sections", "ticket_orders_inline_sections"])
def test_sections_after_a_ticket_moved_into_threads_come_in_the_lock_s_order(name, tmp_path):
    """What ``# torn`` declines in ``ticket_orders_sections`` and ``# ticketed`` in its
    inline form: with ``--unsafe-fixes`` the maker's and the lister's sections run in
    threads, which take the sections' lock in any order, and the odd calls count other than
    the makers numbered before them, as every call did on the loop (in some runs)."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert "await asyncio.to_thread(" in run.text()
    counted = [(i, (i + 1) // 2) for i in range(1, CALLS, 2)]
    assert _counts(run.original) == counted
    assert any(_counts(r) != counted for r in run.runs(tmp_path, 4))


def _counts(run: dict) -> list:
    """The (ticket, count) pairs a run's listers returned, in the tickets' order."""
    return sorted(r for r in map(ast.literal_eval, run["results"]) if isinstance(r, tuple))


@pytest.mark.parametrize("name", ["ticket_then_counter_file", "ticket_then_awaited_counter_file"])
def test_counter_file_sections_after_a_ticket_moved_into_threads_count_in_the_lock_s_order(
    name, tmp_path
):
    """What ``# ticketed`` declines in ``ticket_then_counter_file`` and ``# torn`` in its
    awaited form: with ``--unsafe-fixes`` each call's read and write of the counter file run
    in a thread, which takes the sections' lock in any order, and the counts part from the
    tickets (in some runs); on the loop every call counted its own ticket."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert "await asyncio.to_thread(" in run.text()
    assert sorted(run.results("original")) == [(i, i) for i in range(CALLS)]
    counts = (map(ast.literal_eval, r["results"]) for r in run.runs(tmp_path, 4))
    assert any(i != n for results in counts for i, n in results)


@pytest.mark.parametrize(
    "name",
    [
        "token_tested_then_first_run",
        "token_tested_in_while",
        "token_tested_in_conditional_expression",
        "token_tested_in_match",
        "token_handed_as_argument",
    ],
)
def test_an_await_after_a_token_only_tested_lets_the_branches_append_out_of_turn(name, tmp_path):
    """What ``# torn`` declines in ``token_tested_then_first_run``, its forms testing the
    token in a ``while``, a conditional expression or a ``match``, and handing it to the
    coroutine awaited (``token_handed_as_argument``): with ``--unsafe-fixes``
    each call awaits its sleep between the token it tested and its append, and ``ORDER``
    leaves the tokens' order (in some runs); on the loop it always kept it."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert run.original["state"] == "True"
    assert "await asyncio.sleep(0.005 * random.random())" in run.text()
    assert any(r["state"] == "False" for r in run.runs(tmp_path, 9))


def test_an_inline_await_between_a_token_and_its_append_lets_the_calls_append_out_of_order(
    tmp_path,
):
    """What ``# ticketed`` declines in ``token_then_inline_append``: with ``--unsafe-fixes``
    each call awaits its sleep of a computed delay between its token and its append, and
    ``ORDER`` lists the tokens out of order (in some runs); on the loop, always in order."""
    run = _with_unsafe_fixes("token_then_inline_append", tmp_path)
    assert run.original["state"] == "True"
    assert "await asyncio.sleep(0.005 * random.random())" in run.text()
    assert any(r["state"] == "False" for r in run.runs(tmp_path, 9))


def test_an_await_between_two_listings_lets_another_call_add_its_file_between(tmp_path):
    """What ``# torn`` declines in ``listed_twice``: with ``--unsafe-fixes`` the child process
    runs in a worker thread between another module's listing and its caller's, another call
    adds its file meanwhile, and the two listings differ (in some runs); on the loop they
    always agreed."""
    run = _with_unsafe_fixes("listed_twice", tmp_path)
    assert set(run.original["results"]) == {"True"}
    assert "await asyncio.to_thread(subprocess.run" in run.text("listing.py")
    assert any("False" in r["results"] for r in run.runs(tmp_path, 9))


def test_an_await_in_a_loop_s_rounds_lets_another_call_add_its_file_between_them(tmp_path):
    """What ``# torn`` declines in ``listed_in_rounds``: with ``--unsafe-fixes`` another
    module's listing coroutine, awaited in each of a loop's two rounds, sleeps on the loop,
    another call adds its file between the rounds, and their listings differ (in some runs);
    on the loop they always agreed."""
    run = _with_unsafe_fixes("listed_in_rounds", tmp_path)
    assert set(run.original["results"]) == {"True"}
    assert "await asyncio.sleep(0.001)" in run.text("listing.py")
    assert any("False" in r["results"] for r in run.runs(tmp_path, 9))


@pytest.mark.parametrize(
    "name",
    [
        "reread_handed",
        "reread_receiver",
        "reread_elsewhere",
        "reread_parameter",
        "reread_whole",
        "reread_method",
        "reread_duck",
        "reread_item",
        "untyped_parameter",
        "reread_tallied",
        "reread_sync_writer",
        "reread_parameter_across",
    ],
)
def test_an_await_between_two_reads_of_a_count_lets_another_call_bump_it_between(name, tmp_path):
    """What ``# torn`` declines in ``reread_handed`` (a coroutine handed the instance reads
    its count, its caller reads it after), ``reread_receiver`` (the coroutine is awaited on
    a module's instance, ``LEDGER.peek()``; ``reread_elsewhere``: its class another
    module's, which bumps it), ``reread_parameter`` (the caller reads it through its
    parameter), ``reread_whole`` (the count is bumped by a helper handed the whole
    instance), ``reread_method`` and ``reread_duck`` (the coroutine is a method awaited on
    an untyped parameter, of its module's class or of one of two of another module;
    ``reread_item``: on an item of a module's dict), ``untyped_parameter`` (an untyped
    parameter handed to another module's coroutine, its class and writer there), and ``#
    raced`` in ``reread_tallied`` (a coroutine reads its parameter's count twice, which the
    module's sync function moves on through its own parameter) and ``# split`` in
    ``reread_sync_writer`` (the same, moved on through another module's global by a class
    with sync methods only), ``# torn`` in ``reread_parameter_across`` (the same parameter
    read twice around an await of a coroutine it is not handed): with
    ``--unsafe-fixes`` the child processes run in worker threads between the two reads,
    other calls bump the count meanwhile, and the two reads differ (in some runs); on the
    loop they always agreed."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert set(run.original["results"]) == {"True"}
    assert any("await asyncio.to_thread" in run.text(m) for m in _modules(run.project))
    assert any("False" in r["results"] for r in run.runs(tmp_path, 9))


@pytest.mark.parametrize(
    "name",
    [
        "reread_other_object",
        "written_elsewhere",
        "read_beside_handing",
        "untyped_attribute",
        "reread_unhanded",
        "reread_instances",
    ],
)
def test_an_await_between_two_reads_of_another_module_s_object_lets_another_call_bump_it(
    name, tmp_path
):
    """What ``# torn`` declines in ``reread_other_object``: the count of an object read
    through another module (``ledgers.LEDGER``), imported by name (``NAMED``, its method a
    base class's) and handed to a coroutine (``peek_of(HERE)``); in ``written_elsewhere``,
    the counts of another module's objects that a third module writes through their globals
    (``store.LEDGER.count += 1``, ``NAMED.count += 1``), and ``# split`` there too (a sleep
    between the reads); in ``read_beside_handing``, a count read in the statement that hands
    its ledger to the coroutine, before the await and after it; in ``untyped_attribute``, a
    ledger kept in an attribute set from an untyped parameter, handed to a coroutine or its
    method awaited; in ``reread_unhanded``, a global's and an instance's count around an
    await of a coroutine neither is handed to; and ``# split`` in ``reread_instances``, a
    count read twice by the coroutine itself, through its parameter and through another
    module's global, moved on by the class's own method: with ``--unsafe-fixes`` the
    child processes run in worker threads (the sleep is awaited) between the two reads,
    other calls bump the counts meanwhile, and each pair of reads differs (in some runs); on
    the loop none did."""
    run = _with_unsafe_fixes(name, tmp_path)
    original = {ast.literal_eval(r) for r in run.original["results"]}
    assert len(original) == 1 and all(*original)
    assert any("await asyncio.to_thread" in run.text(m) for m in _modules(run.project))
    results = [ast.literal_eval(r) for each in run.runs(tmp_path, 4) for r in each["results"]]
    assert not any(all(shape) for shape in zip(*results, strict=True))


def test_an_await_between_two_reads_of_a_list_handed_whole_lets_other_calls_append(tmp_path):
    """What ``# raced`` and ``# torn`` decline in ``reread_whole_parameter``:
    with ``--unsafe-fixes`` the child processes run in worker threads between two reads of
    the list a coroutine is handed (``len(log)``, ``word in log``), other calls append to it
    meanwhile, and the two reads differ, run under blockbuster too (no blocking call is left
    on the loop); on the loop they always agreed."""
    run = _with_unsafe_fixes("reread_whole_parameter", tmp_path)
    assert set(run.original["results"]) == {repr((True,) * 3)}
    assert sum(run.text(m).count("await asyncio.to_thread") for m in _modules(run.project)) == 3
    runs = run.runs(tmp_path, 2, "--blockbuster")
    results = [ast.literal_eval(r) for each in runs for r in each["results"]]
    assert not any(all(reads) for reads in zip(*results, strict=True))


@pytest.mark.parametrize("name", ["reread_across", "reread_name"])
def test_an_await_between_two_reads_of_another_module_s_log_lets_its_coroutine_append_between(
    name, tmp_path
):
    """What ``# split`` declines in ``reread_across`` and ``reread_name``: with
    ``--unsafe-fixes`` the sleep awaits between the two reads of ``store.LOG`` (``LOG``,
    imported by name), other calls' ``tick`` appends meanwhile, and calls see the log's
    length change (in some runs); on the loop none ever did."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert run.original["state"] == "True"
    assert "await asyncio.sleep(0.001)" in run.text()
    assert any(r["state"] == "False" for r in run.runs(tmp_path, 9))


@pytest.mark.parametrize("name", ["stream_writers", "stream_threads"])
def test_a_report_written_in_pieces_from_a_thread_has_other_writes_come_between(name, tmp_path):
    """What ``# stream`` declines in ``stream_writers`` (``json.dump`` to ``sys.stderr`` and
    ``sys.stdout`` in sections under the module's lock, while another coroutine writes both
    on the loop) and ``stream_threads`` (``json.dump`` alone in a thread no lock holds): with
    ``--unsafe-fixes`` other writes come between a report's pieces and a stream no longer
    parses (in some runs; up to 5, stopping at the first torn one); on the loop every report
    came whole."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert all(whole for _, whole in ast.literal_eval(run.original["state"]).values())
    assert "await asyncio.to_thread" in run.text()
    states = (ast.literal_eval(r["state"]) for r in run.runs(tmp_path, 4))
    assert any(not all(whole for _, whole in state.values()) for state in states)


def test_an_await_at_the_end_of_a_block_lets_others_read_between_its_write_and_the_next_block_s(
    tmp_path,
):
    """What ``# suspending`` and ``# joined`` decline in ``block_after_block``: with
    ``--unsafe-fixes`` the child processes run in threads between a write at the end of one
    block (a lock's body, a ``try``'s) and the write at the start of the next (a ``try``'s,
    an ``if``'s), and other calls read an odd count or total; on the loop none did."""
    run = _with_unsafe_fixes("block_after_block", tmp_path)
    assert set(run.original["results"]) == {"(0, 0)"}
    assert run.text().count("await asyncio.to_thread(subprocess.run") == 2
    seen = run.results("unsafe")
    assert any(count for count, _ in seen)
    assert any(total for _, total in seen)


def test_an_await_between_a_read_of_an_imported_log_and_its_append_lets_others_append_between(
    tmp_path,
):
    """What ``# split`` and ``# torn`` decline in ``imported_whole``: with ``--unsafe-fixes``
    the child processes run in threads between a call's read of ``len(LOG)`` and its append
    through ``store``, and calls read the same length; on the loop all differed."""
    run = _with_unsafe_fixes("imported_whole", tmp_path)
    for lengths in zip(*run.results("original"), strict=True):
        assert len(set(lengths)) == CALLS
    assert run.text().count("await asyncio.to_thread(subprocess.run") == 2
    for lengths in zip(*run.results("unsafe"), strict=True):
        assert len(set(lengths)) < CALLS


def test_an_await_between_two_listings_joined_across_a_block_lets_others_write_between(
    tmp_path,
):
    """What ``# joined`` declines in ``reread_joined``: with ``--unsafe-fixes`` the child
    process and the listings await worker threads between a call's two counts of the
    directory, and other calls write their files between (in some runs); on the loop every
    call counted the same twice."""
    run = _with_unsafe_fixes("reread_joined", tmp_path)
    assert set(run.original["results"]) == {"True"}
    assert "await asyncio.to_thread(subprocess.run" in run.text()
    assert any("False" in r["results"] for r in run.runs(tmp_path, 4))


def test_a_sleep_awaited_where_a_mock_replaces_it_does_not_wait(tmp_path):
    """What ``# mocked`` declines in ``mocked_sleep``: with ``--unsafe-fixes`` each test's
    wait is ``await asyncio.sleep``, the mock its ``with``, its class's decorator, its
    class's ``setUp`` or its fixture put in place, which returns at once: the cached entry
    has not expired and second lookups hit; on the loop every lookup missed. (A lookup the
    machine's load delays past the entry's expiry misses even so: most must hit, not all.)"""
    run = _with_unsafe_fixes("mocked_sleep", tmp_path)
    assert set(run.results("original")) == {(("miss", "miss"),) * 4}
    assert run.text().count("await asyncio.sleep(2 * TTL)") == 4
    lookups = [pair for call in run.results("unsafe") for pair in call]
    assert {first for first, _ in lookups} == {"miss"}
    assert sum(second == "hit" for _, second in lookups) > len(lookups) / 2


@pytest.mark.parametrize(
    "name", ["reader_module_elsewhere", "reader_name_elsewhere", "reader_before_atomic_await"]
)
def test_a_helper_s_read_then_the_caller_s_write_split_by_an_await_hand_out_one_ticket_twice(
    name, tmp_path
):
    """What ``# split`` declines in ``reader_module_elsewhere`` (``counter.size`` reads
    ``tickets.TICKETS``, nothing in ``counter`` writes; the coroutine appends), the same in
    ``reader_name_elsewhere`` (``len(TICKETS)`` of ``from tickets import TICKETS``) and
    ``# torn`` in ``reader_before_atomic_await`` (``registry.size()``, an await of a
    coroutine that never suspended, ``registry.push(n)``): with ``--unsafe-fixes`` the
    sleep is awaited between the read and the write, and calls take the same ticket
    (``state``: the tickets are 0, 1, 2, ...)."""
    run = _with_unsafe_fixes(name, tmp_path)
    assert "await asyncio.sleep" in run.text()
    assert run.original["state"] == "True"
    assert run.unsafe["state"] == "False"

"""Differential concurrency fuzzer for ``deblock fix``: do safe fixes keep behaviour?

For each seed, ``fuzz_programs`` writes a small program whose tasks run concurrently (with
``--modules 2``, only programs of two modules: some helpers in a module of their own; with
``--objects``, the programs also share an object of a module ``ledgers.py``; with
``--writes``, they also write its count themselves, an attribute of another module's global;
with ``--managers``, blocking steps run in blocks of a context manager of the program's own
that counts the calls in progress, which tasks read; ``--made``: one a call returns,
``--async-managers``: one entered by ``async with``; ``--semaphores``: the locks are
semaphores, and single steps hold another; ``--class-state``: the count is a class
attribute; ``--instance-state``: an attribute of a module global (``STATE.count``);
``--supers``: methods maybe a base class's, overridden by calls of ``super()``;
``--carried``: loops whose later steps write what a blocking step before them reads;
``--exit-stacks``: the managers' blocks maybe enter them through an exit stack,
``--stack-forms`` too: maybe in a nested statement or through another name of the stack;
``--limits``: runs of tasks' steps in blocks of a semaphore of two; ``--turns``: blocks of
the lock awaiting coroutines that take none, maybe the lock taken again at once after one,
and with methods maybe the lock handed to the object by its maker; ``--chains``: steps using
a database client, a stand-in for pymongo in the program's ``site-packages``: handles one
call makes, their commands, cursors; ``--stack-held``: with ``--stack-forms``, entries
maybe through a list or a dict holding the stack; ``--archives``: steps opening
``zipfile.ZipFile`` over a file or an ``io.BytesIO`` buffer; ``--drivers``: steps using a
connection of a DB-API driver, a stand-in for PyMySQL (``threadsafety`` 1) or oracledb (2)
in the program's ``site-packages``; ``--lock-locals``: blocks of a lock maybe taking it
through a local bound to it, ``lock = self.lock``; ``--kin``: with ``--objects``, the
shared object a subclass in ``program.py`` of ``ledgers.Base``, writing the base's count;
``--shelves``: steps opening ``shelve.open`` or ``dbm.open`` over one file; ``--sessions``:
steps entering sessions of a stand-in for SQLAlchemy's ORM (``with Session(...)``), in the
program's ``site-packages``; ``--environ``: ``setup`` sets ``os.environ["FUZZ_ROOT"]`` to
the run's directory; ``--proxies``: steps calling a stand-in ``xmlrpc.client.ServerProxy``
(shared, or the step's own) and sending ``MultiCall``s, the proxy breaking when two threads
call at once (in place of ``--drivers``'s connection); ``--handles``: steps making, using
and closing a temporary file or a database in memory of their own; ``--zero-order``: runs
resume tasks from zero sleeps in the order they slept, as asyncio does, and pieces of the
steps show that order; ``--relayed``: the blocks of the lock get it from ``lock_for()``, a
getter returning ``locks.lock_for("lock")``, another module's getter call; ``--ssh``:
``--proxies``, and steps making SSH clients of their own, a stand-in paramiko's, whose
commands reach the proxies' server; ``--brokers``: ``--proxies``, and steps using
stand-ins for kafka-python's and pika's clients on its server, shared, handed to sync helpers
or made by them; ``--handed-methods``: ``--objects``, and ``tally`` changing the object it is
handed by calling its method, another module's class's); ``--foreign-state``: steps
reading, blocking, then writing state of another module (``fuzz_foreign``): a list, a
dict, an object with changing methods, a file name, a sqlite3 connection, reached by
``import``, an alias, names imported, a package's re-export, or a third module's helpers;
``--readers``: that state read through ``peek.py``, helpers that only read it, then written;
``--aliases``: that state written through another name of it, a local bound twice, ``*args``,
``functools.partial``, a lambda, a bound method handed on to ``hands.py``'s helpers);
``deblock fix`` (safe fixes only) rewrites a copy of its directory. ``fuzz_run`` runs the
original ``--runs`` times, each under another order of the tasks at its awaits: the
outcomes it allows. The fixed program runs as often on a thread pool that delays each job
at random; each outcome must be one the original allowed (an outcome outside the set is
confirmed first against rounds of ten times more runs of the original, ten while it stays
outside, and up to thirty while the original's set is not all known: while the last round
found outcomes the runs before it did not, or an outcome was found by one run only; when a
round fails, or the set is still not known after the last round, the program is
inconclusive, not a counterexample). Every second round holds the original's calls back
(``fuzz_run --hold-at``) after the steps where the fixed program's calls wait at the awaits
its fixes added (found by runs of it, ``fuzz_run --added``): schedules the original allows
and its free runs seldom draw, a call left behind while the others run on
(``--free-rounds``: no round held). A fixed program that fails to run is a counterexample;
``--blockbuster`` also runs it under blockbuster and reports a task stopped on the event
loop at a call the fix claims to have moved (a finding's line of the original, left as it
was, where ``deblock check`` reports nothing now).

With ``--cancel`` each run cancels one of the three calls at one of its first eight awaits
(``fuzz_run --cancel``), and ``main`` waits for the worker threads before it reads the state.
What the project accepts of an await a fix adds being cancelled (the statements after it
skipped, the call ended as on the loop) is what the fixed program does with each job run at
once in the loop's thread (``--inline``), or, in a run where a job never started, at once or
never (``--deferred``); these outcomes join the original's, and what is left outside is a
cancelled task's own code (its cleanup, a lock's release) running beside its thread.

Each counterexample is minimised (steps and calls removed while it stays one: each step
confirmed by one round, the smallest by all) and printed:
the program, the fix's diff, the fixed outcome and the original's nearest one. Exit 1 when
there is one.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from deblock import cli

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_programs import HELPERS, Program, Step, generate  # noqa: E402
from fuzz_run import SKIPPED  # noqa: E402

RUNNER = Path(__file__).resolve().parent / "fuzz_run.py"
# How many times more runs of the original confirm an outcome outside its set, per round;
# rounds go on while one stays outside (an interleaving of three tasks may come up in one
# run of 200: seed 60164's, with ``--modules 2``, was missed by one round of 400 runs), and
# past ``CONFIRM_ROUNDS``, up to ``CONFIRM_LONGER`` times as many, while the original's set
# is not all known (seed 320686's 108th outcome came at the 6,072nd run).
CONFIRM = 10
CONFIRM_ROUNDS = 10
CONFIRM_LONGER = 3
MINIMISE_CHECKS = 60
TIMEOUT = 120  # seconds for 40 runs of one program (more in proportion)


@dataclass
class Verdict:
    """What one program did: whether a safe fix changed it, and how it differs."""

    seed: int
    fixed: bool
    original: set[str] = field(default_factory=set)
    outside: list[str] = field(default_factory=list)  # fixed outcomes the original never had
    failure: str | None = None  # the fixed program did not run
    blocked: list[str] = field(default_factory=list)  # lines blocking on the loop unreported
    # whether the original's runs stopped finding new outcomes (else ``outside`` may be an
    # outcome the original allows that its runs never reached: no counterexample)
    saturated: bool = True
    source: str = ""
    fixed_source: str = ""

    @property
    def counterexample(self) -> bool:
        return bool((self.outside and self.saturated) or self.failure or self.blocked)


def _work_base() -> str | None:
    """A RAM-backed directory when there is one: SQLite's syncs cost little there."""
    return "/dev/shm" if os.path.isdir("/dev/shm") else None


def _run(program: Path, work: Path, runs: int, seed: int, *flags: str) -> tuple[list, str]:
    """The outcomes of ``runs`` runs, or the error output of a run that failed."""
    command = [sys.executable, str(RUNNER), str(program), str(work), "--runs", str(runs)]
    command += ["--seed", str(seed), *flags]
    timeout = TIMEOUT * max(1, runs / 40)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [], f"{runs} runs did not end within {timeout:.0f} s"
    if done.returncode != 0:
        return [], done.stderr[-3000:]
    return json.loads(done.stdout), ""


def _deblock(*args: str) -> str:
    """The output of a ``deblock`` command run in this process (its imports and what it
    learnt of the installed libraries are kept from one program to the next)."""
    done = CliRunner().invoke(cli.main, [*args, "--no-cache", "-j", "1"])
    if done.exit_code not in (0, 1):
        raise SystemExit(f"deblock {' '.join(args)} failed:\n{done.output}{done.exception!r}")
    return done.stdout


def _found(directory: Path) -> set[tuple[str, int, str]]:
    """The file, number and text of each line where ``deblock check`` reports a finding in
    the program in ``directory``."""
    findings = json.loads(_deblock("check", "--format", "json", str(directory)))
    found = set()
    for finding in findings:
        path = Path(finding["path"])  # absolute
        lines = path.read_text().splitlines()
        found.add((path.name, finding["line"], lines[finding["line"] - 1].strip()))
    return found


def _joined(directory: Path, names) -> str:
    """The program's modules in ``directory``, as ``Program.source`` joins them."""
    if len(names) == 1:
        return (directory / names[0]).read_text()
    return "\n".join(f"# --- {name} ---\n{(directory / name).read_text()}" for name in names)


def judge(
    seed: int,
    files: dict[str, str],
    runs: int,
    guard: bool,
    rounds: int = CONFIRM_ROUNDS,
    cancel: bool = False,
    held: bool = True,
) -> Verdict:
    """Fix the program (its modules' sources by file name, ``program.py`` running it) and
    compare the fixed program's outcomes with the original's (``rounds``: of confirming
    runs at most; ``cancel``: tasks cancelled at their awaits, the original's outcomes
    joined by the fixed program's with its jobs run inline; ``held``: every second round
    holds the original's calls where the fixed program waits at the awaits its fixes
    added, when no task is cancelled)."""
    with tempfile.TemporaryDirectory(dir=_work_base()) as tmp:
        work = Path(tmp)
        for copy_ in ("original", "fixed"):
            (work / copy_).mkdir()
            for name, text in files.items():
                (work / copy_ / name).parent.mkdir(parents=True, exist_ok=True)
                (work / copy_ / name).write_text(text)
        _deblock("fix", str(work / "fixed"))
        source, fixed_source = (_joined(work / c, list(files)) for c in ("original", "fixed"))
        verdict = Verdict(seed, fixed_source != source, source=source, fixed_source=fixed_source)
        if not verdict.fixed:
            return verdict
        references = _references(work, cancel)
        original = []
        for program, flags in references:
            outcomes, error = _run(program, work / "runs", runs, 0, *flags)
            if error:
                raise SystemExit(f"seed {seed}: the generated program fails:\n{source}\n{error}")
            original += outcomes
        verdict.original = set(original)
        flags = ("--threads", "--cancel") if cancel else ("--threads",)
        fixed, error = _run(work / "fixed" / "program.py", work / "runs", runs, 10**6, *flags)
        if error:
            verdict.failure = error
            return verdict
        outside = [o for o in dict.fromkeys(fixed) if not _allowed(o, verdict.original)]
        chosen = held and outside and not cancel and _chosen_steps(work, list(files), runs)
        verdict.outside = _confirmed(verdict, outside, original, references, runs, rounds, chosen)
        if guard and not outside:
            verdict.blocked = _blocked(work)
    return verdict


def _references(work: Path, cancel: bool) -> list[tuple[Path, tuple[str, ...]]]:
    """The programs, and their runs' flags, whose outcomes the fixed program's must be among:
    the original; cancelled, the fixed program with every job run inline too (each call it
    moved ends before the await on it may be cancelled, as it ended on the loop: what is
    left is a cancelled task's code running beside a thread still at work), or, for a run
    where a job never started, deferred (cancelled before it starts, or after it ended)."""
    if not cancel:
        return [(work / "original" / "program.py", ())]
    pairs = (
        ("original", ("--cancel",)),
        ("fixed", ("--inline", "--cancel")),
        ("fixed", ("--deferred", "--cancel")),
    )
    return [(work / copy_ / "program.py", flags) for copy_, flags in pairs]


def _chosen_steps(work: Path, names, runs: int) -> dict[str, list[int]] | None:
    """For each call of the fixed program (in ``work``; ``names``: its modules), the steps
    of the original after which its runs held back wait as the fixed program's runs wait at
    the awaits its fixes added (``fuzz_run --added``), or None when ``runs`` runs of it find
    none or fail."""
    added = []
    for name in names:
        old = (work / "original" / name).read_text().splitlines()
        new = (work / "fixed" / name).read_text().splitlines()
        for tag, _, _, start, end in difflib.SequenceMatcher(None, old, new).get_opcodes():
            if tag != "equal":
                added += [[Path(name).name, line] for line in range(start + 1, end + 1)]
    fixed = work / "fixed" / "program.py"
    found, error = _run(fixed, work / "runs", runs, 0, "--threads", "--added", json.dumps(added))
    chosen: dict[str, set[int]] = {}
    for steps in found:
        for i, more in steps.items():
            chosen.setdefault(i, set()).update(more)
    return {i: sorted(steps) for i, steps in chosen.items()} if chosen and not error else None


def _allowed(outcome: str, allowed: set[str]) -> bool:
    """Whether ``outcome`` is among ``allowed``, or one of a run where a job never started
    whose outcome is one with every job run."""
    return outcome in allowed or outcome.removeprefix(SKIPPED) in allowed


def _confirmed(
    verdict: Verdict, outside: list, original: list, references, runs: int, rounds: int, held=None
):
    """The fixed outcomes ``outside`` that rounds of more runs of the ``references`` do not
    find: ``rounds`` rounds while one stays outside, more while the original's set is not
    all known (``_saturated``), up to ``CONFIRM_LONGER`` times as many (``verdict``: its
    ``original`` set grows, ``saturated`` tells whether the set is known; a round that fails,
    a timeout under load, leaves it unsaturated: seed 148095's, read as no outcome, made a
    counterexample of outcomes the original had). With ``held`` (each call's steps, from
    ``_chosen_steps``), every second round holds the calls of the original's runs after
    those steps (``fuzz_run --hold-at``): schedules the free pick
    allows and seldom draws, those the fixed program's added awaits make (493201's four
    outcomes outside, none in 10,000 runs holding calls in turn)."""
    counts, seed, done = Counter(original), runs, 0
    longer = CONFIRM_LONGER * rounds
    while outside and (done < rounds or (not verdict.saturated and done < longer)):
        more, failed = [], False
        for program, flags in references:
            if held and done % 2:
                flags = (*flags, "--hold-at", json.dumps(held))
            found, error = _run(
                program, program.parent.parent / "runs", CONFIRM * runs, seed, *flags
            )
            more, failed = more + found, failed or bool(error)
        if failed:
            verdict.saturated = False
            break
        seed, done = seed + CONFIRM * runs, done + 1
        verdict.saturated = _saturated(counts, more)
        counts.update(more)
        verdict.original |= set(more)
        outside = [o for o in outside if not _allowed(o, verdict.original)]
    return outside


def _saturated(counts: Counter, more: list) -> bool:
    """Whether runs whose outcomes ``counts`` counts, followed by runs giving ``more``, found
    every outcome the program has: the later runs found none new, and no outcome came from one
    run only (Good-Turing: the chance that one more run finds a new outcome is about the share
    of runs whose outcome no other run had; seed 320686's original, after 4,040 runs with a
    last round of 400 finding nothing new, had four outcomes found once, and its 108th came at
    the 6,072nd run: its fixed outcome, taken for a counterexample)."""
    total = counts + Counter(more)
    return set(more) <= set(counts) and 1 not in total.values()


def _blocked(work: Path) -> list[str]:
    """Lines of the fixed program where blockbuster stopped a task on the loop, at a call
    the fix claims to have moved: a line of a finding of the original that the fixed program
    has, unchanged, with no finding left on it (a lazy result's creation, reported, may
    block later where it is iterated: those lines have no finding of their own), reached
    through no line with a finding left (a helper's ``time.sleep`` of a call still reported,
    whose text a fixed line of the coroutine has too: seed 167976)."""
    fixed = work / "fixed"
    stopped, error = _run(fixed / "program.py", work / "runs", 1, 0, "--guard")
    if error:
        return ["the run under blockbuster failed"]
    left = _found(fixed)
    claimed = {(f, t) for f, _, t in _found(work / "original")} - {(f, t) for f, _, t in left}
    reported = {(f, n) for f, n, _ in left}
    lines = {p.name: p.read_text().splitlines() for p in fixed.glob("*.py")}
    blocked = set()
    for name, at in stopped[0]:
        if name == "BlockingError" and at and not reported & {tuple(place) for place in at}:
            file, line = at[-1]
            if (file, lines[file][line - 1].strip()) in claimed:
                blocked.add(f"{file}:{line}")
    return sorted(blocked)


def variants(program: Program):
    """Smaller programs: one call fewer, one step removed, or a block replaced by its body."""
    if len(program.tasks) > 2:
        for k in range(len(program.tasks)):
            smaller = copy.deepcopy(program)
            del smaller.tasks[k]
            yield smaller
    for f, function in enumerate(program.functions):
        for path in _paths(function.steps, ()):
            for replace in (False, True):
                smaller = copy.deepcopy(program)
                if _cut(smaller.functions[f].steps, path, replace):
                    yield smaller


def _paths(steps: list[Step], prefix: tuple) -> list[tuple]:
    found = []
    for s, step in enumerate(steps):
        found.append((*prefix, s))
        for c, child in enumerate(step.children):
            found += _paths(child, (*prefix, s, c))
    return found


def _cut(steps: list[Step], path: tuple, replace: bool) -> bool:
    """Remove the step at ``path`` (or put its nested steps in its place); False when
    that leaves a block empty or changes nothing."""
    *outer, last = path
    for k in range(0, len(outer), 2):
        steps = steps[outer[k]].children[outer[k + 1]]
    step = steps[last]
    if replace:
        if not step.children:
            return False
        steps[last : last + 1] = [s for child in step.children for s in child]
        return True
    if len(steps) == 1 and outer:
        return False
    del steps[last]
    return True


def minimise(
    verdict: Verdict,
    program: Program,
    runs: int,
    guard: bool,
    cancel: bool = False,
    held: bool = True,
) -> Verdict:
    """The smallest variant found that is still a counterexample: each step is confirmed by
    one round of runs, the smallest by all (else the counterexample stays as it was found)."""
    found, smallest = verdict, program
    checks = 0
    improved = True
    while improved and checks < MINIMISE_CHECKS:
        improved = False
        for smaller in variants(smallest):
            files = smaller.files()
            if files == smallest.files():
                continue
            checks += 1
            candidate = judge(verdict.seed, files, runs, guard, 1, cancel, held)
            if candidate.counterexample:
                smallest, verdict, improved = smaller, candidate, True
                break
            if checks >= MINIMISE_CHECKS:
                break
    if smallest is program:
        return found
    verdict = judge(found.seed, smallest.files(), runs, guard, cancel=cancel, held=held)
    return verdict if verdict.counterexample else found


def _nearest(outcome: str, allowed: set[str]) -> str:
    return max(sorted(allowed), key=lambda o: difflib.SequenceMatcher(None, o, outcome).ratio())


def report(verdict: Verdict) -> str:
    diff = difflib.unified_diff(
        verdict.source.splitlines(),
        verdict.fixed_source.splitlines(),
        "original",
        "fixed",
        lineterm="",
    )
    lines = [f"== counterexample, seed {verdict.seed} ==", verdict.source, *diff, ""]
    if verdict.failure:
        lines += ["the fixed program fails:", verdict.failure]
    for outcome in verdict.outside[:3]:
        lines += [
            "fixed outcome:    " + outcome,
            "nearest original: " + _nearest(outcome, verdict.original),
        ]
    if verdict.blocked:
        lines.append(f"blocking on the loop, no finding left: lines {verdict.blocked}")
    return "\n".join(lines)


def fuzz(
    seeds: range,
    runs: int,
    guard: bool,
    shrink: bool,
    log,
    modules: int = 1,
    held: bool = True,
    **drawn: bool,
) -> list[Verdict]:
    """The verdicts of the programs of ``seeds`` (``drawn``: what ``generate`` adds; with
    ``cancel`` in it, the tasks are cancelled at their awaits; ``held``: every second
    confirming round holds the original's calls, ``judge``)."""
    cancel = drawn.get("cancel", False)
    verdicts = []
    for seed in seeds:
        program = generate(seed, modules, **drawn)
        if modules == 2 and f"{HELPERS}.py" not in program.files():
            continue  # no helper to move: the one-module program of the seed
        if drawn.get("supers") and not program.based:
            continue  # no method of a base class: the program of the seed
        verdict = judge(seed, program.files(), runs, guard, cancel=cancel, held=held)
        if verdict.counterexample and shrink:
            verdict = minimise(verdict, program, runs, guard, cancel, held)
        verdicts.append(verdict)
        if verdict.counterexample:
            log(report(verdict))
    return verdicts


# The generator's options drawing programs of a shape (each a flag and a keyword of ``fuzz``).
_SHAPES = (
    ("objects", "programs sharing an object of ledgers.py"),
    ("writes", "--objects, the functions writing its count too"),
    ("managers", "blocks of a context manager counting calls"),
    ("made", "blocks of a manager a call returns (make())"),
    ("async_managers", "async with blocks of a counting manager"),
    ("semaphores", "locks as semaphores, steps in SEM's blocks"),
    ("class_state", "the count as a class attribute"),
    ("instance_state", "the count as a module global's attribute"),
    ("supers", "methods of a base class, overrides call super()"),
    ("carried", "loops writing what a blocking step before reads"),
    (
        "cancel",
        "cancel tasks at their awaits; the fixed program's jobs run inline join the original",
    ),
    ("exit_stacks", "managers entered through an exit stack"),
    (
        "stack_forms",
        "--exit-stacks, entries in nested statements or through other names of the stack",
    ),
    ("limits", "runs of tasks' steps in a Semaphore(2)'s blocks"),
    (
        "turns",
        "lock blocks awaiting lock-free coroutines, taken again at once, handed to the object",
    ),
    ("chains", "steps using a database client's handles and cursors"),
    ("stack_held", "--stack-forms, entries through a list or dict holding the stack too"),
    ("archives", "steps opening zip archives over files or buffers"),
    ("drivers", "steps using a DB-API driver's shared connection"),
    ("lock_locals", "blocks of a lock taking it through a local"),
    ("kin", "--objects, the object a subclass of another module's"),
    ("shelves", "steps opening shelve/dbm databases over one file"),
    ("sessions", "steps entering sessions of a stand-in for SQLAlchemy's ORM by with"),
    ("environ", "setup sets os.environ[...] to the run's directory"),
    ("handles", "steps making and using temporary files or databases in memory of their own"),
    ("proxies", "steps calling an xmlrpc.client ServerProxy, shared or their own"),
    ("zero_order", "zero sleeps resume tasks in the order they slept; pieces showing it"),
    ("relayed", "blocks of the lock get it from a getter relaying to another module's getter"),
    ("ssh", "--proxies, and steps making paramiko SSH clients of their own to its server"),
    ("brokers", "--proxies, and kafka and pika clients handed to sync helpers or made there"),
    ("handed_methods", "--objects, tally changing the object it is handed by its method"),
    ("foreign_state", "steps reading, blocking, writing another module's state, in forms"),
    ("readers", "that state read through a module of helpers that only read it, then written"),
    ("aliases", "that state written through aliases: locals, *args, partial, lambdas, methods"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=50, help="how many seeds (default 50)")
    parser.add_argument("--start", type=int, default=0, help="the first seed")
    parser.add_argument("--runs", type=int, default=40, help="runs of each program (40)")
    parser.add_argument("--blockbuster", action="store_true", help="also run under blockbuster")
    parser.add_argument("--no-minimise", action="store_true")
    parser.add_argument(
        "--free-rounds",
        action="store_true",
        help="confirming rounds run the original freely only, none held",
    )
    parser.add_argument(
        "--modules", type=int, choices=(1, 2), default=1, help="2: programs of two modules only"
    )
    for name, text in _SHAPES:
        parser.add_argument(f"--{name.replace('_', '-')}", action="store_true", help=text)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    seeds = range(args.start, args.start + args.seeds)
    out = sys.stderr if args.json else sys.stdout
    verdicts = fuzz(
        seeds,
        args.runs,
        args.blockbuster,
        not args.no_minimise,
        lambda text: print(text, file=out),
        args.modules,
        not args.free_rounds,
        **{name: getattr(args, name) for name, _ in _SHAPES},
    )
    bad = [v for v in verdicts if v.counterexample]
    summary = {
        "seeds": [seeds.start, seeds.stop - 1],
        "programs": len(verdicts),
        "fixed": sum(v.fixed for v in verdicts),
        "counterexamples": [v.seed for v in bad],
        "inconclusive": [v.seed for v in verdicts if v.outside and not v.saturated],
        "seconds": round(time.monotonic() - started, 1),
    }
    if args.json:
        summary["verdicts"] = [
            {
                "seed": v.seed,
                "fixed": v.fixed,
                "original_outcomes": len(v.original),
                "outside": v.outside,
                "saturated": v.saturated,
                "failure": v.failure,
                "blocked": v.blocked,
                "source": v.source if v.counterexample else None,
                "fixed_source": v.fixed_source if v.counterexample else None,
            }
            for v in verdicts
        ]
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"{summary['programs']} programs (seeds {seeds.start}-{seeds.stop - 1}), "
            f"{summary['fixed']} changed by safe fixes, {len(bad)} counterexamples "
            f"{summary['counterexamples']}, inconclusive (the original's outcomes not all "
            f"found) {summary['inconclusive']}, {summary['seconds']} s"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

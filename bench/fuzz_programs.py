"""Small concurrent async programs for ``fix_fuzz.py``, built from templates by a seed.

A program is a few functions made of steps. Each task coroutine starts ``out = []``, runs
its steps and returns ``out``; ``main(root)`` gathers three task calls and returns their
results with the shared state; ``setup(root)`` (sync, run before the loop starts) makes
the files the steps expect. Steps touch shared state (a counter, a table, a log: module
globals, or one object's attributes when the tasks are methods), files under ``root``
(shared ones and one per call), and call blocking functions deblock's catalogue knows,
helpers (sync, or coroutines awaited) and locks, in loops, ``try``/``finally`` and ``with``.

Drawn with ``modules=2``, some helpers and coroutines move to a second module, ``helpers.py``
(with every function they call), imported by ``import helpers`` or ``from helpers import
...``: with its own globals, or holding the state the whole program shares (``program.py``
then uses ``helpers.COUNT``); methods there are functions taking the object as ``self``.

Drawn with ``objects=True`` (from a random generator of its own: the seed's other code stays
as it was), the program also shares an object of ``ledgers.py`` (``Ledger``, or ``Sub``
whose ``peek`` it inherits from ``Base``) with a ``count``: tasks read it around awaits of
its ``peek`` (which never suspends and makes a blocking call), bump it (``bump`` after a
sleep, ``add``, a helper it is handed to), or hand it to coroutines that read it around an
await of ``peek`` in turn. The tasks reach it as a global of ``program.py``, as
``ledgers.LEDGER``, imported by name (``from ledgers import LEDGER``) or, with methods, as
``self.ledger``; the coroutines and the helper it is handed to live in ``program.py`` or in
``ledgers.py``, with their parameter annotated or not. With ``writes=True`` too, the
functions also write the object's count themselves, an attribute of another module's global
(``ledgers.LEDGER.count += 1``; a read, a blocking call and a write of the count after it),
in tasks, coroutines and sync helpers, in either module.

Drawn with ``managers=True`` (from a random generator of its own too), ``program.py`` also
holds a context manager of its own that counts the calls in progress, ``GAUGE`` (a class
whose ``__enter__`` and ``__exit__`` move ``GAUGE.active``) or ``busy()`` (a
``contextlib.contextmanager`` generator moving ``ACTIVE`` around its ``yield``): some of
its functions' blocking steps run in ``with GAUGE:`` or ``with busy():`` blocks, and tasks
and coroutines read the count. With ``modules=2`` the manager may live in a module of its own,
``gauges.py`` (``with gauges.GAUGE:``, ``with gauges.busy():``, or imported by name). With
``made=True`` or ``async_managers=True`` the manager is drawn from others (``fuzz_managers``):
one a call returns (``with make():``, ``with meter():``) or one entered by ``async with``
(``AGAUGE``, ``abusy()``), in coroutines only. With ``exit_stacks=True`` too, some blocks
enter it through an exit stack (``with contextlib.ExitStack() as stack:``, then
``stack.enter_context(GAUGE)``; ``AsyncExitStack`` and ``enter_async_context`` for an ``async
with`` manager); with ``stack_forms=True`` too, an entry maybe in a nested statement (``if i >=
0:``), through another name of the stack (``held = stack``) or its bound method (``enter =
stack.enter_context``).

Drawn with ``semaphores=True`` (from a random generator of its own), the program's locks are
``asyncio.Semaphore``s of one or two, and one or two steps of its coroutines (no await in
them) run in blocks of another, ``SEM``, held where its lock would be. With
``class_state=True`` the count is a class attribute: ``Counter.total`` (a class of the module
holding the globals), or ``Service.total`` when the functions are methods (``type(self).total``
in ``helpers.py``). With ``instance_state=True`` it is an attribute of a module global,
``STATE.count`` (``STATE = State()`` where the globals live; with methods, in ``helpers.py``
when functions live there, else in ``program.py``). With ``limits=True``, runs of some
tasks' top-level steps are held in blocks of ``LIMIT``, an ``asyncio.Semaphore(2)`` that
only limits how many of the three calls run them at once. With ``supers=True`` and methods,
some methods but the tasks are ``Base``'s, and ``Service(Base)`` overrides each, calling
``super()``'s (maybe reading the count before and after). With ``cancel=True``, ``main``
waits for the worker threads before it reads the state.

Drawn with ``turns=True`` (from a random generator of its own), one or two tasks or
coroutines get a block of the lock awaiting a coroutine that takes no lock (the program's,
or a new one making blocking calls), maybe followed at once by another block of the lock;
with methods, ``Service`` may be handed its lock by its maker (``self.lock = lock``). With
``chains=True``, steps use a database client, ``CLIENT`` (``self.client``), of a stand-in for
pymongo the program's ``site-packages`` holds (``fuzz_clients``). With ``stack_held=True``
and ``stack_forms``, an exit stack's entry may also go through a list or a dict holding the
stack. With ``archives=True``, steps open ``zipfile.ZipFile`` over ``box.zip`` or over an
``io.BytesIO`` buffer (``fuzz_archives``); with ``drivers=True``, steps use a connection of a
DB-API driver the program's ``site-packages`` holds, PyMySQL's or oracledb's stand-in
(``fuzz_drivers``), shared as ``DB`` (``self.db``) or made by the step; with
``lock_locals=True``, some blocks of a lock take it through a local bound to it first
(``lock = self.lock``, then ``async with lock:``); with ``kin=True`` (and ``objects``), the
shared object is a ``Sub`` of ``program.py`` whose base, ``ledgers.Base``, makes and reads
the count that ``Sub``'s methods write; with ``shelves=True``, steps open ``shelve.open`` or
``dbm.open`` over ``shelf`` (``fuzz_shelves``); with ``sessions=True``, steps enter sessions
of a stand-in for SQLAlchemy's ORM by ``with`` (``fuzz_sessions``); with ``environ=True``,
``setup`` also sets ``os.environ["FUZZ_ROOT"] = root`` (the programs do not read it); with
``proxies=True``, steps call a stand-in ``xmlrpc.client.ServerProxy``, shared as ``DB``
(``self.db``) or their own, and send ``MultiCall``s on it (``fuzz_proxies``). With
``zero_order=True``, ``program.py`` sets ``ZERO_SLEEPS_IN_ORDER``: its runs resume tasks
from ``await asyncio.sleep(0)`` in the order they slept, as asyncio does (``fuzz_run``),
and one or two pieces show that order: a call's place taken (``k = len(LOG)``, appended), a
blocking step on even places, then a zero sleep (in the same body, or first in a coroutine
the next step awaits) and the call's ``i`` appended. With ``relayed=True``, the blocks of the
lock (an ``asyncio.Lock``) get it from ``lock_for()``, a getter each module using it defines,
returning ``locks.lock_for("lock")``: a getter of another module keeping locks by key. With
``ssh=True``, the programs of ``proxies`` with steps making SSH clients of their own, a
stand-in paramiko's whose commands reach the proxies' server (``fuzz_proxies``). With
``foreign_state=True``, steps read, block, then write the state of another module,
``store.py`` (a list, a dict, an object with changing methods, a file name, a sqlite3
connection), reached by ``import store``, an alias, names imported from it, a package
re-exporting them, or through sync helpers of a third module (``fuzz_foreign``).
Without these flags every seed's program is the one it was.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import fuzz_archives
import fuzz_brokers
import fuzz_clients
import fuzz_drivers
import fuzz_foreign
import fuzz_handles
import fuzz_proxies
import fuzz_sessions
import fuzz_shelves
from fuzz_managers import ASYNC, KINDS, MADE, MANAGERS

CALLS = 3
# the forms of an exit stack's entry (``stack_forms``, ``_stack_form``); ``stack_held``:
# through a list or a dict holding the stack too
STACK_FORMS = ("call", "nested", "alias", "bound")
HELD_FORMS = ("listed", "keyed")
# the locks steps take (``{lock}``, ``{sem}``, ``{limit}``)
LOCKS = ("lock", "sem", "limit")
# the modules (files ``NAME.py``)
MAIN, HELPERS, LEDGERS, GAUGES, RELAYS = "program", "helpers", "ledgers", "gauges", "locks"
IMPORTS = {
    "asyncio": "import asyncio",
    "contextlib": "import contextlib",
    "glob": "import glob",
    "io": "import io",
    "dbm": "import dbm",
    "json": "import json",
    "os": "import os",
    "shelve": "import shelve",
    "sqlite3": "import sqlite3",
    "subprocess": "import subprocess",
    "tempfile": "import tempfile",
    "time": "import time",
    "zipfile": "import zipfile",
    "oracledb": "import oracledb",
    "pymysql": "import pymysql",
    "xmlrpc.client": "import xmlrpc.client",
    "paramiko": "import paramiko",
    "kafka": "import kafka",
    "pika": "import pika",
    fuzz_brokers.MODULE: f"import {fuzz_brokers.MODULE}",
    fuzz_foreign.OPS: f"import {fuzz_foreign.OPS}",
    fuzz_foreign.READER: f"import {fuzz_foreign.READER}",
    fuzz_foreign.HANDS: f"import {fuzz_foreign.HANDS}",
    "functools": "import functools",
    "Path": "from pathlib import Path",
    "MongoClient": "from pymongo import MongoClient",
    "create_engine": "from sqlalchemy import create_engine",
    "Session": "from sqlalchemy.orm import Session",
    RELAYS: f"import {RELAYS}",
}
# ``relayed``: the module keeping the locks by key, and each module's getter relaying to it
RELAYS_SOURCE = """import asyncio

LOCKS = {}


def lock_for(key):
    return LOCKS.setdefault(key, asyncio.Lock())
"""
RELAY = ["def lock_for():", f'    return {RELAYS}.lock_for("lock")']
# a module's database client (``chains``)
CLIENT = 'CLIENT = MongoClient("mongodb://localhost")'

# shared state: name -> initial value; steps write {count}, {table}, {log}
STATE = {"count": "0", "table": "{}", "log": "[]"}
# files steps share, and what setup writes into them
# the count's holder with ``instance_state``: a module global's attribute
INSTANCE = [
    "class State:",
    "    def __init__(self):",
    "        self.count = 0",
    "",
    "",
    "STATE = State()",
]
SHARED = {
    "shared.txt": "'start\\n'",
    "counter.txt": "'0'",
    "data.json": "'{}'",
}


@dataclass
class Step:
    """Lines of code (``{count}`` etc. name shared state), maybe with nested steps
    indented under a header line, and what they need from the module."""

    lines: list[str]
    imports: set[str] = field(default_factory=set)
    children: list[list[Step]] = field(default_factory=list)
    # headers of the nested blocks, one per child list (``for j in range(2):``)
    headers: list[str] = field(default_factory=list)
    calls: set[str] = field(default_factory=set)  # functions of the program it calls
    awaits: bool = False

    def walk(self):
        yield self
        for child in self.children:
            for step in child:
                yield from step.walk()


@dataclass
class Function:
    name: str
    kind: str  # "task", "coroutine" (awaited by steps) or "helper" (a sync function)
    steps: list[Step]


@dataclass
class Program:
    seed: int
    methods: bool  # the functions are methods of one object sharing its attributes
    functions: list[Function]
    tasks: list[str]  # the function each gathered call runs
    # with two modules: the functions ``helpers.py`` holds, whether the shared state (and
    # lock) lives there for both modules, and whether ``program.py`` imports its functions
    # by name (``from helpers import f``)
    moved: set[str] = field(default_factory=set)
    shared_home: bool = False
    by_name: bool = False
    ledger: Ledger | None = None  # the object of ``ledgers.py`` it shares (``objects``)
    manager: str = ""  # its own context manager (``managers``): ``GAUGE`` or ``busy()``
    # the module defining it (``GAUGES`` or ``MAIN``), and whether it is imported by name
    manager_home: str = MAIN
    manager_by_name: bool = False
    class_state: bool = False  # the count is ``Counter.total``, a class attribute
    instance_state: bool = False  # the count is ``STATE.count``, a module global's attribute
    # methods ``Base`` defines and ``Service`` overrides calling ``super()`` (``supers``): by
    # name, whether the override reads the count around the call
    based: dict[str, bool] = field(default_factory=dict)
    # the limits of ``asyncio.Semaphore``s (``semaphores``): of the lock steps' (0: an
    # ``asyncio.Lock``), and of ``SEM``, whose blocks hold single steps
    lock_limit: int = 0
    sem_limit: int = 0
    # the permits of ``LIMIT``, a semaphore whose blocks in tasks only limit how many calls
    # run their steps at once (``limits``; 0: none)
    limit: int = 0
    # ``main`` waits for the worker threads cancelled tasks left before it reads the state
    # (``cancel``: what a cancelled task's own code does beside its thread is compared)
    settles: bool = False
    # ``Service`` is handed its lock by its maker, ``self.lock = lock`` (``turns``)
    handed_lock: bool = False
    # the functions use a database client (``chains``): ``CLIENT`` of each module using it,
    # or ``self.client``
    client: bool = False
    # the steps open archives (``archives``): ``setup`` makes ``box.zip``
    archives: bool = False
    # the DB-API driver (``drivers``) or ``xmlrpc.client`` (``proxies``) whose connection or
    # proxy the functions share: ``DB`` of each module using it, or ``self.db``
    driver: str = ""
    # the steps open shelves (``shelves``): ``setup`` makes ``shelf``
    shelves: bool = False
    # the steps enter ORM sessions (``sessions``): ``setup`` names the engines' directory
    sessions: bool = False
    # ``setup`` sets an environment variable to the run's directory (``environ``)
    environ: bool = False
    # its runs resume tasks from zero sleeps in the order they slept (``zero_order``)
    zero_order: bool = False
    # its blocks of the lock get it from a getter of their module returning another
    # module's getter call (``relayed``)
    relayed: bool = False
    # steps connect SSH clients of their own to the proxies' server (``ssh``): a stand-in
    # paramiko in ``site-packages``
    ssh: bool = False
    # the module holding the message brokers' clients and the helpers handed or making one
    # (``brokers``: ``program`` or ``brokers``; "": none)
    brokers: str = ""
    # how it reaches the state of another module, ``store.py`` (``foreign_state``: one of
    # ``fuzz_foreign.FORMS``; "": none)
    foreign: str = ""
    # how ``peek.py``, the module only reading that state, imports it (``readers``: one of
    # ``fuzz_foreign.READER_FORMS``; "": no such module)
    reader: str = ""
    # steps hand the state on through ``hands.py``'s helpers and other names (``aliases``)
    hands: bool = False

    def files(self) -> dict[str, str]:
        """The program's modules' sources by file name (``program.py`` runs it)."""
        return render(self)

    def source(self) -> str:
        """The modules' sources, one after the other under a comment naming each."""
        files = self.files()
        if len(files) == 1:
            return files[f"{MAIN}.py"]
        return "\n".join(f"# --- {name} ---\n{text}" for name, text in files.items())


def _path(name: str) -> str:
    return f'os.path.join(root, "{name}")' if "{" not in name else f'os.path.join(root, f"{name}")'


def _file(rng: random.Random) -> str:
    return rng.choice(["shared.txt", "own-{i}.txt", "counter.txt"])


def _blocking(rng: random.Random) -> Step:
    """One blocking call or short block from the catalogue."""
    name = _file(rng)
    path = _path(name)
    choices = [
        lambda: Step(["time.sleep(0.001)"], {"time"}),
        lambda: Step([f'with open({path}, "a") as f:', '    f.write(f"{i}\\n")'], {"os"}),
        lambda: Step(
            [
                f"if os.path.exists({path}):",
                f"    with open({path}) as f:",
                "        out.append(f.read())",
            ],
            {"os"},
        ),
        lambda: Step([f"out.append(os.path.exists({path}))"], {"os"}),
        lambda: Step([f"if os.path.exists({path}):", f"    os.remove({path})"], {"os"}),
        lambda: Step(
            [f"if os.path.exists({path}):", f"    os.rename({path}, {_path('moved-{i}.txt')})"],
            {"os"},
        ),
        lambda: Step(['os.makedirs(os.path.join(root, "d"), exist_ok=True)'], {"os"}),
        lambda: Step(["out.append(sorted(os.listdir(root)))"], {"os"}),
        lambda: Step(
            ["out.append(sorted(n for _, _, names in os.walk(root) for n in names))"], {"os"}
        ),
        lambda: Step(['out.append(sorted(glob.glob("*.txt", root_dir=root)))'], {"glob"}),
        lambda: Step([f'Path({path}).write_text(f"{{i}}")'], {"Path", "os"}),
        lambda: Step(
            [f"p = Path({path})", "if p.exists():", "    out.append(p.read_text())"],
            {"Path", "os"},
        ),
        lambda: Step([f"Path({path}).unlink(missing_ok=True)"], {"Path", "os"}),
        lambda: Step(["out.append(sorted(p.name for p in Path(root).iterdir()))"], {"Path"}),
        lambda: Step(
            [
                f"with open({_path('data.json')}) as f:",
                "    data = json.load(f)",
                "data[str(i)] = len(data)",
                f'with open({_path("data.json")}, "w") as f:',
                "    json.dump(data, f)",
            ],
            {"json", "os"},
        ),
        lambda: Step(
            [
                f"conn = sqlite3.connect({_path('db.sqlite')})",
                'conn.execute("INSERT INTO t VALUES (?)", (i,))',
                "conn.commit()",
                'out.append(conn.execute("SELECT COUNT(*) FROM t").fetchone()[0])',
                "conn.close()",
            ],
            {"sqlite3", "os"},
        ),
        lambda: Step(
            ['out.append(subprocess.run(["echo", str(i)], capture_output=True, text=True).stdout)'],
            {"subprocess"},
        ),
        lambda: Step(
            ["with contextlib.suppress(FileNotFoundError):", f"    os.remove({path})"],
            {"contextlib", "os"},
        ),
        lambda: Step(
            [
                f"with open({_path('counter.txt')}) as f:",
                "    n = int(f.read() or 0)",
                f'with open({_path("counter.txt")}, "w") as f:',
                "    f.write(str(n + 1))",
            ],
            {"os"},
        ),
    ]
    return rng.choice(choices)()


def _state(rng: random.Random) -> Step:
    """A read or write of shared state, or a read-modify-write around a blocking call."""
    choices = [
        lambda: Step(["{count} += 1"]),
        lambda: Step(["{table}[f'k{i}'] = len({table})"]),
        lambda: Step(["{log}.append(i)"]),
        lambda: Step(["out.append({count})"]),
        lambda: Step(["out.append(len({log}))"]),
        lambda: _around(rng, ["n = {count}"], ["{count} = n + 1"]),
        lambda: _around(rng, ["seen = len({log})"], ["{log}.append(seen)"]),
        lambda: _around(rng, ["before = dict({table})"], ["{table}[f'k{i}'] = len(before)"]),
    ]
    return rng.choice(choices)()


def _around(rng: random.Random, before: list[str], after: list[str]) -> Step:
    middle = _blocking(rng)
    return Step(before + middle.lines + after, set(middle.imports))


def _lazy(rng: random.Random) -> Step:
    """A lazy result made before an await and consumed after it."""
    made = rng.choice(
        [
            (
                "found = glob.iglob(os.path.join(root, '*.txt'))",
                {"glob", "os"},
                "out.append(sorted(os.path.basename(p) for p in found))",
            ),
            ("found = Path(root).iterdir()", {"Path"}, "out.append(sorted(p.name for p in found))"),
            ("found = os.scandir(root)", {"os"}, "out.append(sorted(e.name for e in found))"),
        ]
    )
    return Step([made[0], "await asyncio.sleep(0)", made[2]], made[1] | {"asyncio"}, awaits=True)


@dataclass
class Ledger:
    """The object of ``ledgers.py`` a program shares (``objects=True``): how the tasks reach
    it (``global``: ``LEDGER`` of ``program.py``; ``module``: ``ledgers.LEDGER``; ``name``:
    imported by name; ``attr``: ``self.ledger``), whether ``peek`` is inherited (``Base``
    holds it, ``Sub`` writes the count), where the coroutines and the helper it is handed to
    live, whether their parameter is annotated, and the blocking step ``peek`` makes between
    its reads of ``self.count`` (``reads``: before it, after it, or both); ``kin``: ``Sub``
    lives in ``program.py`` (``class Sub(ledgers.Base)``), writing the count ``Base`` makes
    and reads, and the parameters are annotated ``Base``; ``by_method``: ``tally`` changes
    the object by calling its ``add`` (``handed_methods``), not by writing its count."""

    reach: str
    inherit: bool
    helpers_home: str
    typed: bool
    blocking: Step
    reads: str
    kin: bool = False
    by_method: bool = False

    @property
    def cls(self) -> str:
        return "Sub" if self.inherit else "Ledger"

    @property
    def made(self) -> str:
        """How ``program.py`` names the object's class."""
        return self.cls if self.kin else f"ledgers.{self.cls}"

    @property
    def annotated(self) -> str:
        """The class the parameters of what the object is handed to are annotated with."""
        return "Base" if self.kin else self.cls

    def named(self, methods: bool) -> str:
        """How the functions name the object (``program.py``'s or ``helpers.py``'s)."""
        if self.reach == "attr" and methods:
            return "self.ledger"
        return "ledgers.LEDGER" if self.reach == "module" else "LEDGER"

    def handed(self, module: str) -> str:
        """How the code of ``module`` names the coroutines and helper the object is handed
        to (``{handed}``)."""
        return "" if module == self.helpers_home else "ledgers."


def _ledger_steps(
    rng: random.Random, helper: bool, writes: bool = False, tallies: bool = False
) -> Step:
    """A use of the shared object (``{ledger}``; ``{handed}``: where ``look``, ``peek_of``
    and ``tally`` live); ``helper``: in a sync function; ``writes``: writes of its count by
    the function itself drawn too (after the others: without them, the draws are those
    made before); ``tallies``: calls of ``tally`` drawn as often as all the other uses
    together, and in coroutines calls of ``peek_of`` as often (``handed_methods``)."""
    choices = [
        lambda: Step(["{ledger}.add()"]),
        lambda: Step(["{handed}tally({ledger})"]),
        lambda: Step(["out.append({ledger}.count)"]),
    ]
    if writes:
        choices += [
            lambda: Step(["{ledger}.count += 1"]),
            lambda: _around(rng, ["n = {ledger}.count"], ["{ledger}.count = n + 1"]),
        ]
    if not helper:
        choices += [
            lambda: Step(
                [
                    "seen = {ledger}.count",
                    "out.extend(await {ledger}.peek(root, i))",
                    "out.append({ledger}.count - seen)",
                ],
                awaits=True,
            ),
            lambda: Step(["out.extend(await {ledger}.peek(root, i))"], awaits=True),
            lambda: Step(["await {ledger}.bump()"], {"asyncio"}, awaits=True),
            lambda: Step(["out.extend(await {handed}look({ledger}, root, i))"], awaits=True),
            lambda: Step(
                [
                    "seen = {ledger}.count",
                    "out.extend(await {handed}peek_of({ledger}, root, i))",
                    "out.append({ledger}.count - seen)",
                ],
                awaits=True,
            ),
        ]
    if tallies:  # ``tally``, and ``peek_of``, whose count read follows its blocking step
        handed = [choices[1]] + ([choices[-1]] if not helper else [])
        choices += handed * len(choices)
    return rng.choice(choices)()


def _objects(
    program: Program,
    rng: random.Random,
    writes: bool = False,
    kin: bool = False,
    by_method: bool = False,
) -> None:
    """Give ``program`` an object of ``ledgers.py`` and put its uses among its functions'
    steps (``objects=True``; ``writes``: the functions' own writes of its count too;
    ``kin``: the object a ``Sub`` of ``program.py``, kin of ``ledgers.Base``;
    ``by_method``: ``tally``, in ``program.py``, changes it by its method ``add``, and is
    called more often)."""
    reach = rng.choice(["global", "module", "name", "attr" if program.methods else "global"])
    reach = "global" if kin and reach in ("module", "name") else reach  # ``Sub`` is here
    program.ledger = Ledger(
        reach,
        rng.random() < 0.4,
        rng.choice([MAIN, LEDGERS]),
        rng.random() < 0.5,
        _blocking(rng),
        rng.choice(["before", "after", "both"]),
    )
    ledger = program.ledger
    ledger.inherit, ledger.kin = ledger.inherit or kin, kin
    if by_method:
        ledger.by_method, ledger.helpers_home = True, MAIN
    reachable = _reachable(program)
    # ``helpers.py`` imports nothing of ``program.py``: neither its ``LEDGER`` nor what the
    # object is handed to there
    functions = [
        f
        for f in program.functions
        if f.name in reachable and not (f.name in program.moved and reach == "global")
    ]
    for _ in range(rng.randint(2, 4)):
        function = rng.choice(functions)
        block = rng.choice(_blocks(function))
        step = _ledger_steps(rng, function.kind == "helper", writes, by_method)
        if "{handed}" in step.lines[-1] and function.name in program.moved:
            if ledger.helpers_home == MAIN:
                step = Step(["out.append({ledger}.count)"])
        block.insert(rng.randint(0, len(block)), step)


class Builder:
    """Draws the functions of one program."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.functions: list[Function] = []

    def program(self) -> Program:
        rng = self.rng
        tasks = [self.function("task", 0) for _ in range(rng.choice([1, 1, 2]))]
        names = [t.name for t in tasks]
        return Program(
            self.seed,
            rng.random() < 0.35,
            self.functions,
            [names[k % len(names)] for k in range(CALLS)],
        )

    def function(self, kind: str, depth: int) -> Function:
        number = sum(f.kind == kind for f in self.functions)
        function = Function(f"{kind}_{number}", kind, [])
        self.functions.append(function)
        count = self.rng.randint(1, 4 if kind == "task" else 3)
        function.steps = [self.step(kind != "helper", depth) for _ in range(count)]
        return function

    def step(self, in_async: bool, depth: int, locked: bool = False) -> Step:
        """A step; ``locked``: inside ``async with {lock}``, which is not reentrant (no
        nested lock, no coroutine that may take it)."""
        rng = self.rng
        kinds = ["blocking"] * 5 + ["state"] * 3 + ["loop", "try", "helper"]
        if in_async:
            kinds += ["yield"] * 3 + ["lazy"] + ([] if locked else ["lock", "coroutine"])
        kind = rng.choice(kinds)
        if depth >= 2 and kind in ("loop", "try", "lock", "helper", "coroutine"):
            kind = "blocking"
        if kind == "blocking":
            return _blocking(rng)
        if kind == "state":
            return _state(rng)
        if kind == "yield":
            return Step(["await asyncio.sleep(0)"], {"asyncio"}, awaits=True)
        if kind == "lazy":
            return _lazy(rng)
        if kind in ("helper", "coroutine"):
            callee = self.function(kind, depth + 1)
            if kind == "helper":
                return Step(["out.extend({self}" + f"{callee.name}(root, i))"], calls={callee.name})
            return Step(
                ["out.extend(await {self}" + f"{callee.name}(root, i))"],
                calls={callee.name},
                awaits=True,
            )
        locked = locked or kind == "lock"
        inner = [self.step(in_async, depth + 1, locked) for _ in range(rng.randint(1, 2))]
        if kind == "loop":
            return Step([], children=[inner], headers=["for j in range(2):"])
        if kind == "lock":
            return Step([], children=[inner], headers=["async with {lock}:"], awaits=True)
        last = [self.step(in_async, depth + 1, locked)]
        return Step([], children=[inner, last], headers=["try:", "finally:"])


def generate(
    seed: int,
    modules: int = 1,
    objects: bool = False,
    writes: bool = False,
    managers: bool = False,
    made: bool = False,
    async_managers: bool = False,
    semaphores: bool = False,
    class_state: bool = False,
    instance_state: bool = False,
    supers: bool = False,
    carried: bool = False,
    cancel: bool = False,
    exit_stacks: bool = False,
    stack_forms: bool = False,
    limits: bool = False,
    turns: bool = False,
    chains: bool = False,
    stack_held: bool = False,
    archives: bool = False,
    drivers: bool = False,
    lock_locals: bool = False,
    kin: bool = False,
    shelves: bool = False,
    sessions: bool = False,
    environ: bool = False,
    handles: bool = False,
    proxies: bool = False,
    zero_order: bool = False,
    relayed: bool = False,
    ssh: bool = False,
    brokers: bool = False,
    handed_methods: bool = False,
    foreign_state: bool = False,
    readers: bool = False,
    aliases: bool = False,
) -> Program:
    """The program of ``seed``; with ``modules=2`` the same program with some of its helpers
    and coroutines moved to ``helpers.py`` (drawn apart: the functions do not change); with
    ``objects``, uses of an object of ``ledgers.py`` among its steps (drawn apart too), and
    with ``writes`` too, the functions' own writes of its count among them; with
    ``managers``, blocks of a context manager of ``program.py`` (with ``modules=2``, maybe
    of ``gauges.py``) and reads of its count (drawn apart too); ``made``, ``async_managers``:
    such a manager returned by a call, or entered by ``async with`` (``fuzz_managers``);
    ``semaphores``: its locks are ``asyncio.Semaphore``s, and single steps run in blocks of
    another (drawn apart too); ``class_state``: its count is a class attribute;
    ``instance_state``: its count is an attribute of a module global, ``STATE.count``;
    ``supers``: with methods, some are a base class's, overridden by calls of ``super()``;
    ``carried``: loops whose later steps write what a blocking step before them reads;
    ``cancel``: ``main`` waits for the worker threads before it reads the state;
    ``exit_stacks``: the manager's blocks maybe enter it through an exit stack (with
    ``stack_forms``, maybe in a nested statement or through another name of the stack);
    ``limits``: runs of the tasks' steps in blocks of ``LIMIT``, a semaphore of two
    (drawn apart too); ``turns``: blocks of the lock awaiting coroutines that take no lock,
    maybe followed by another block of it, and with methods maybe the lock handed to
    ``Service`` by its maker; ``chains``: steps using a database client's handles, commands
    and cursors (``fuzz_clients``); ``stack_held``: with ``stack_forms``, entries maybe
    through a list or a dict holding the stack too; ``archives``: steps opening
    ``zipfile.ZipFile`` over a path or an in-memory buffer (``fuzz_archives``); ``drivers``:
    steps using a connection of a DB-API driver with a ``threadsafety`` of 1 or 2
    (``fuzz_drivers``); ``lock_locals``: some blocks of a lock take it through a local bound
    to it (``lock = self.lock``, then ``async with lock:``); ``kin``: with ``objects``, the
    object a subclass of ``program.py`` (``Sub(ledgers.Base)``) writing the count the base
    makes and reads (each drawn apart too); ``shelves``: steps opening ``shelve.open`` or
    ``dbm.open`` over one file (``fuzz_shelves``); ``sessions``: steps entering sessions of
    a stand-in for SQLAlchemy's ORM by ``with`` (``fuzz_sessions``); ``environ``: ``setup`` sets
    ``os.environ["FUZZ_ROOT"]`` to the run's directory; ``proxies``: steps using an
    ``xmlrpc.client.ServerProxy`` of a stand-in, shared or their own, and ``MultiCall``s
    (``fuzz_proxies``; not with ``drivers``, whose connection it takes the place of);
    ``handles``: steps making, using and closing a temporary file or a database in memory
    of their own (``fuzz_handles``); ``zero_order``: runs resume tasks from zero sleeps in
    the order they slept, and one or two runs of steps show that order (``_zero_sleeps``);
    ``relayed``: the blocks of the lock get it from ``lock_for()``, a getter of their module
    returning ``locks.lock_for("lock")`` (a lock kept by key in ``locks.py``); ``ssh``:
    ``proxies``, and steps making SSH clients of their own (a stand-in paramiko) whose
    commands reach the proxies' server (``fuzz_proxies.SSH_STEPS``); ``brokers``:
    ``proxies``, and steps using stand-ins for kafka-python's and pika's clients, shared,
    handed to sync helpers or made by them (``fuzz_brokers``); ``handed_methods``:
    ``objects``, ``tally`` changing the object it is handed by calling its method ``add``
    (``ledgers.py``'s class's), the object's helpers in ``program.py``, and more steps
    calling ``tally``; ``foreign_state``: steps reading, then writing the state of another
    module reached in one of its forms, directly or through helpers of a third
    (``fuzz_foreign``); ``readers``, ``aliases``: that state (its steps only with
    ``foreign_state``), and steps reading it through ``peek.py``, a module of helpers that
    only read it, or writing it through other names of it (``fuzz_foreign``)."""
    program = Builder(seed).program()
    if modules == 2:
        _split(program, random.Random(f"helpers-{seed}"))
    if objects or writes or kin or handed_methods:
        rng = random.Random(f"ledger-{seed}")
        _objects(program, rng, writes, kin, handed_methods)
    kinds = {
        **(MANAGERS if managers else {}),
        **(MADE if made else {}),
        **(ASYNC if async_managers else {}),
    }
    if kinds:
        _managers(program, random.Random(f"manager-{seed}"), kinds)
        if exit_stacks:
            forms = random.Random(f"stack-form-{seed}") if stack_forms else None
            held = STACK_FORMS + HELD_FORMS * stack_held
            _exit_stacks(program, random.Random(f"exit-stack-{seed}"), forms, held)
        if modules == 2:
            _manager_home(program, random.Random(f"{GAUGES}-{seed}"))
    if semaphores:
        _semaphores(program, random.Random(f"semaphore-{seed}"))
    if limits:
        _limits(program, random.Random(f"limit-{seed}"))
    if supers and program.methods:
        _supers(program, random.Random(f"super-{seed}"))
    if carried:
        _carried(program, random.Random(f"carried-{seed}"))
    if turns:
        _lock_turns(program, random.Random(f"turns-{seed}"))
    if chains:
        _chains(program, random.Random(f"chains-{seed}"))
    for name, drawn, module in (
        ("archives", archives, fuzz_archives),
        ("shelves", shelves, fuzz_shelves),
    ):
        if drawn:  # files opened by steps: ``setup`` makes them
            setattr(program, name, True)
            _insert_uses(program, random.Random(f"{name}-{seed}"), module.STEPS, module.LATER)
    if handles:
        rng = random.Random(f"handles-{seed}")
        _insert_uses(program, rng, fuzz_handles.STEPS, fuzz_handles.LATER)
    if proxies or ssh or brokers:
        _drivers(program, random.Random(f"proxies-{seed}"), fuzz_proxies)
    if ssh:
        program.ssh = True
        imports = {"asyncio", "paramiko"}
        steps = [(lines, imports) for lines in fuzz_proxies.SSH_STEPS]
        rng = random.Random(f"ssh-{seed}")
        _insert_uses(program, rng, steps, (fuzz_proxies.SSH_LATER, imports))
    elif drivers and not brokers:
        _drivers(program, random.Random(f"drivers-{seed}"), fuzz_drivers)
    if brokers:
        _brokers(program, random.Random(f"brokers-{seed}"))
    if sessions:
        _sessions(program, random.Random(f"sessions-{seed}"))
    if foreign_state or readers or aliases:
        _foreign(program, random.Random(f"foreign-{seed}"), foreign_state)
    if readers:
        program.reader = random.Random(f"reader-{seed}").choice(list(fuzz_foreign.READER_FORMS))
        _foreign_uses(program, random.Random(f"readers-{seed}"), "readers")
    if aliases:
        program.hands = True
        _foreign_uses(program, random.Random(f"aliases-{seed}"), "aliases")
    if zero_order:
        _zero_sleeps(program, random.Random(f"zero-order-{seed}"))
    if relayed:  # the getter's lock is an ``asyncio.Lock``, made where it is kept
        program.relayed, program.handed_lock, program.lock_limit = True, False, 0
    if lock_locals:  # last: the blocks of every lock are drawn by then
        _lock_locals(program, random.Random(f"lock-locals-{seed}"))
    program.class_state = class_state
    program.instance_state = instance_state
    program.settles = cancel
    program.environ = environ
    return program


def _managers(program: Program, rng: random.Random, kinds: dict) -> None:
    """Give ``program`` a context manager of ``program.py`` (one of ``kinds``), put some
    blocking steps of its functions there in its blocks and read its count in tasks and
    coroutines."""
    program.manager = rng.choice(sorted(kinds))
    mine = [f for f in program.functions if f.name in _reachable(program) - program.moved]
    entered = "async with" if program.manager in ASYNC else "with"
    users = [f for f in mine if entered == "with" or f.kind != "helper"]
    for block, k in rng.sample(blocks := _leaves(users), min(len(blocks), rng.randint(1, 2))):
        block[k] = _wrapped(block[k], f"{entered} {{manager}}:")
    readers = [f for f in mine if f.kind != "helper"]
    for _ in range(rng.randint(1, 2) if readers else 0):
        steps = rng.choice(readers).steps
        steps.insert(rng.randint(0, len(steps)), Step(["out.append({active})"]))


def _exit_stacks(
    program: Program,
    rng: random.Random,
    forms: random.Random | None = None,
    kinds: tuple[str, ...] = STACK_FORMS,
) -> None:
    """Enter ``program``'s manager through an exit stack in some of its blocks: ``with
    contextlib.ExitStack() as stack:`` whose body starts ``stack.enter_context(...)`` (in a
    coroutine, maybe ``async with contextlib.AsyncExitStack() as stack:``, drawn from a
    random generator of its own), or for an ``async with`` manager ``AsyncExitStack`` and
    ``await stack.enter_async_context(...)``; ``forms``: each entry maybe in another form
    (``_stack_form``, one of ``kinds``), drawn from it."""
    in_async = random.Random(f"async-exit-stack-{program.seed}")
    for function in program.functions:
        for top in function.steps:
            for step in top.walk():
                for k, header in enumerate(step.headers):
                    if "{manager}" not in header or rng.random() < 0.3:
                        continue
                    if header.startswith("async"):
                        stack, enter = "AsyncExitStack", "await stack.enter_async_context"
                    else:
                        stack, enter = "ExitStack", "stack.enter_context"
                        if function.kind != "helper" and in_async.random() < 0.5:
                            stack, header, step.awaits = "AsyncExitStack", f"async {header}", True
                    step.headers[k] = header.replace("{manager}", f"contextlib.{stack}() as stack")
                    step.imports.add("contextlib")
                    awaits = enter.startswith("await")
                    entered = Step([f"{enter}({{manager}})"], awaits=awaits)
                    if forms is not None:
                        entered = _stack_form(entered, forms.choice(kinds))
                    step.children[k].insert(0, entered)


def _stack_form(entered: Step, form: str) -> Step:
    """The entry ``entered`` (``stack.enter_context(...)``, maybe awaited) made in another
    form (``stack_forms``): in a nested statement (``nested``: ``if i >= 0:``), through
    another name of the stack (``alias``: ``held = stack``), through its bound method
    (``bound``: ``enter = stack.enter_context``, then ``enter(...)``), or through a list or a
    dict holding it (``listed``: ``held = [stack]``, ``held[0].enter_context(...)``;
    ``keyed``: ``held = {"s": stack}``, ``held["s"]...``)."""
    line = entered.lines[0]
    if form == "call":
        return entered
    if form == "nested":
        return Step([], children=[[entered]], headers=["if i >= 0:"], awaits=entered.awaits)
    if form in ("alias", "listed", "keyed"):
        holder, named = {
            "alias": ("stack", "held."),
            "listed": ("[stack]", "held[0]."),
            "keyed": ('{"s": stack}', 'held["s"].'),
        }[form]
        return Step([f"held = {holder}", line.replace("stack.", named)], awaits=entered.awaits)
    method, _, rest = line.removeprefix("await ").partition("(")
    call = f"{'await ' if entered.awaits else ''}enter({rest}"
    return Step([f"enter = {method}", call], awaits=entered.awaits)


def _leaves(functions: list[Function]) -> list[tuple[list[Step], int]]:
    """(block, index) of each step of ``functions`` with no nested steps and no await."""
    return [
        (block, k)
        for function in functions
        for top in function.steps
        for block in [function.steps, *(c for step in top.walk() for c in step.children)]
        for k, step in enumerate(block)
        if step.lines and not step.children and not step.awaits
    ]


def _wrapped(step: Step, header: str) -> Step:
    """``step`` in a block of ``header`` (an ``async with`` one awaits)."""
    return Step([], set(step.imports), [[step]], [header], awaits=header.startswith("async"))


def _semaphores(program: Program, rng: random.Random) -> None:
    """Make ``program``'s locks ``asyncio.Semaphore``s and put one or two steps of its
    coroutines in blocks of another, ``SEM`` (no await in them: no holder waits on another)."""
    program.lock_limit, program.sem_limit = rng.choice([1, 2]), rng.choice([1, 2])
    coroutines = [f for f in program.functions if f.name in _reachable(program)]
    coroutines = [f for f in coroutines if f.kind != "helper"]
    # each once (``_leaves`` repeats a function's top steps): a step in two blocks of a
    # semaphore of one would wait on itself
    blocks = list({(id(b), k): (b, k) for b, k in _leaves(coroutines)}.values())
    for block, k in rng.sample(blocks, min(len(blocks), rng.randint(1, 2))):
        block[k] = _wrapped(block[k], "async with {sem}:")


def _limits(program: Program, rng: random.Random) -> None:
    """Put a run of some tasks' top-level steps in a block of ``LIMIT``, a semaphore of two:
    it only limits how many of the three calls run them at once (no task is called by
    another function, so no holder waits on it again)."""
    program.limit = 2
    tasks = [f for f in program.functions if f.kind == "task" and f.name in program.tasks]
    for function in tasks:
        steps = function.steps
        if rng.random() < 0.3:
            continue
        first = rng.randrange(len(steps))
        last = rng.randint(first + 1, len(steps))
        block = Step([], children=[steps[first:last]], headers=["async with {limit}:"])
        block.awaits = True
        steps[first:last] = [block]


def _turns(rng: random.Random) -> tuple[Step, Step]:
    """A blocking step reading a resource and a later step writing it (``carried``): a file,
    the directory's listing, or the count a blocking call is handed."""
    name = rng.choice(["shared.txt", "counter.txt", "own-{i}.txt"])
    path = _path(name)
    pairs = [
        (
            Step(
                [
                    f"if os.path.exists({path}):",
                    f"    with open({path}) as f:",
                    "        out.append(f.read())",
                ],
                {"os"},
            ),
            Step([f'with open({path}, "a") as f:', '    f.write(f"{i}{j}\\n")'], {"os"}),
        ),
        (
            Step(["out.append(sorted(os.listdir(root)))"], {"os"}),
            Step([f'Path({_path("turn-{i}-{j}.txt")}).write_text("x")'], {"Path", "os"}),
        ),
        (
            Step([f"Path({_path('own-{i}.txt')}).write_text(str({{count}}))"], {"Path", "os"}),
            Step(["{count} += 1"]),
        ),
        (
            Step(["out.append(len({log}))", "time.sleep(0.001)"], {"time"}),
            Step(["{log}.append(i)"]),
        ),
    ]
    return rng.choice(pairs)


def _carried(program: Program, rng: random.Random) -> None:
    """Put in one or two of ``program``'s tasks and coroutines a loop whose later step writes
    what a blocking step before it reads, so each turn but the first reads what the turn before
    wrote (maybe with an await, or another step, between them)."""
    coroutines = [f for f in program.functions if f.name in _reachable(program)]
    coroutines = [f for f in coroutines if f.kind != "helper"]
    for function in rng.sample(coroutines, min(len(coroutines), rng.randint(1, 2))):
        read, write = _turns(rng)
        between = rng.choice(
            [[], [], [Step(["await asyncio.sleep(0)"], {"asyncio"}, awaits=True)], [_blocking(rng)]]
        )
        body = [read, *between, write]
        loop = Step([], children=[body], headers=["for j in range(2):"])
        loop.awaits = any(step.awaits for step in body)
        function.steps.insert(rng.randint(0, len(function.steps)), loop)


def _lock_turns(program: Program, rng: random.Random) -> None:
    """Put in one or two of ``program``'s tasks and coroutines (none that a block of the lock
    runs: it is not reentrant) a block of the lock awaiting a coroutine that takes no lock,
    one of the program's or a new one, maybe after a blocking step and before a use of shared
    state; maybe followed at once by another block of the lock using shared state (the lock
    taken again after a body that waits); with methods, maybe the lock handed to
    ``Service`` by its maker (``turns``)."""
    program.handed_lock = program.methods and rng.random() < 0.5
    for _ in range(rng.randint(1, 2)):
        by_name = {f.name: f for f in program.functions}
        called, held = _locked_calls(program)
        reach, under = _reachable(program), _reached(program, called)
        hosts = [by_name[n] for n in sorted(reach - under) if by_name[n].kind != "helper"]
        host = rng.choice(hosts)
        free = [
            by_name[n]
            for n in sorted(reach)
            if by_name[n].kind == "coroutine"
            and not _reached(program, {n}) & held
            and host.name not in _reached(program, {n})
            and (n in program.moved or host.name not in program.moved)
        ]
        if free and rng.random() < 0.7:
            callee = rng.choice(free)
        else:
            number = sum(f.kind == "coroutine" for f in program.functions)
            steps = [_blocking(rng) for _ in range(rng.randint(1, 2))]
            callee = Function(f"coroutine_{number}", "coroutine", steps)
            program.functions.append(callee)
            if host.name in program.moved:
                program.moved.add(callee.name)
        awaited = Step(
            ["out.extend(await {self}" + f"{callee.name}(root, i))"],
            calls={callee.name},
            awaits=True,
        )
        body = [_blocking(rng)] * (rng.random() < 0.5) + [awaited]
        body += [_state(rng)] * (rng.random() < 0.5)
        blocks = [Step([], children=[body], headers=["async with {lock}:"], awaits=True)]
        if rng.random() < 0.4:
            again = Step([], children=[[_state(rng)]], headers=["async with {lock}:"])
            blocks.append(again)
        at = rng.randint(0, len(host.steps))
        host.steps[at:at] = blocks


def _locked_calls(program: Program) -> tuple[set[str], set[str]]:
    """The functions steps in blocks of the lock call, and the functions taking the lock
    (``held``)."""
    called, held = set(), set()
    for function in program.functions:
        for top in function.steps:
            for step in top.walk():
                for header, child in zip(step.headers, step.children, strict=True):
                    if "{lock}" in header:
                        called |= {c for s in child for inner in s.walk() for c in inner.calls}
                        held.add(function.name)
    return called, held


def _blocks(function: Function) -> list[list[Step]]:
    """The lists of steps of ``function``: its body and each nested block's."""
    blocks = [function.steps]
    for top in function.steps:
        for step in top.walk():
            blocks += step.children
    return blocks


def _chains(program: Program, rng: random.Random) -> None:
    """Put among ``program``'s functions' steps two to four uses of a database client
    (``fuzz_clients.STEPS``; in tasks and coroutines, a cursor iterated after an await too)."""
    program.client = True
    imports = {"asyncio", "MongoClient"}
    steps = [(lines, imports) for lines in fuzz_clients.STEPS]
    _insert_uses(program, rng, steps, (fuzz_clients.LATER, imports))


def _drivers(program: Program, rng: random.Random, kind) -> None:
    """Give ``program`` a client of a server: a DB-API driver (``kind`` ``fuzz_drivers``, one
    of its ``NAMES``) or ``xmlrpc.client`` (``fuzz_proxies``), and put among its functions'
    steps two to four uses of its connection or proxy (in tasks and coroutines, one that
    awaits between its calls too)."""
    program.driver = fuzz_proxies.NAME if kind is fuzz_proxies else rng.choice(kind.NAMES)
    imports = {"asyncio", program.driver}
    steps = [(lines, imports) for lines in kind.STEPS]
    _insert_uses(program, rng, steps, (kind.LATER, imports))


def _brokers(program: Program, rng: random.Random) -> None:
    """Give ``program`` the message brokers' clients and helpers (``fuzz_brokers``), in
    ``program.py`` or, always when it has a module of helpers, in ``brokers.py``, and put two
    to four of their steps among its functions' (in tasks and coroutines, one that awaits
    between its count and its send too)."""
    program.brokers = MAIN if not program.moved and rng.random() < 0.5 else fuzz_brokers.MODULE
    imports = {fuzz_brokers.MODULE}
    steps = [
        (lines, imports | ({"kafka"} if "kafka." in lines[0] else set()))
        for lines in fuzz_brokers.STEPS
    ]
    _insert_uses(program, rng, steps, (fuzz_brokers.LATER, {*imports, "asyncio"}))


def _foreign(program: Program, rng: random.Random, used: bool = True) -> None:
    """Give ``program`` the state of another module (``fuzz_foreign``), reached in a form
    drawn, and (``used``) put two to four of its steps among its functions' (in tasks and
    coroutines, one that awaits between its read and its write too)."""
    program.foreign = rng.choice(list(fuzz_foreign.FORMS))
    if used:
        _foreign_uses(program, rng, "foreign_state")


def _foreign_uses(program: Program, rng: random.Random, mode: str) -> None:
    """Put ``fuzz_foreign``'s steps of ``mode`` among ``program``'s (``_insert_uses``)."""
    steps, imports, later, later_imports = fuzz_foreign.USES[mode]
    _insert_uses(program, rng, [(lines, imports) for lines in steps], (later, later_imports))


def _client_kind(driver: str):
    """The module of ``driver``'s stand-in and steps (``_drivers``' ``kind``)."""
    return fuzz_proxies if driver == fuzz_proxies.NAME else fuzz_drivers


def _sessions(program: Program, rng: random.Random) -> None:
    """Put among ``program``'s functions' steps two to four sessions entered by ``with``
    (``fuzz_sessions.STEPS``; in tasks and coroutines, rows read before an await too)."""
    program.sessions = True
    imports = {"Session", "create_engine"}
    steps = [(lines, imports) for lines in fuzz_sessions.STEPS]
    _insert_uses(program, rng, steps, (fuzz_sessions.LATER, {*imports, "asyncio"}))


def _insert_uses(
    program: Program,
    rng: random.Random,
    steps: list[tuple[list[str], set[str]]],
    later: tuple[list[str], set[str]],
) -> None:
    """Put among ``program``'s functions' steps two to four of ``steps`` (each its lines and
    imports); in tasks and coroutines ``later`` too, whose lines await."""
    functions = [f for f in program.functions if f.name in _reachable(program)]
    for _ in range(rng.randint(2, 4)):
        function = rng.choice(functions)
        block = rng.choice(_blocks(function))
        drawn = rng.choice(steps + ([later] if function.kind != "helper" else []))
        step = Step(list(drawn[0]), set(drawn[1]), awaits=drawn is later)
        block.insert(rng.randint(0, len(block)), step)


def _taken() -> Step:
    """A call's place taken (and kept in its result), then a blocking step on even places
    only (``zero_order``: the calls' delays differ, as a fix's awaits' would)."""
    lines = ["k = len({log})", "{log}.append(k)", "out.append(k)", "if k % 2 == 0:"]
    return Step([*lines, "    time.sleep(0.001)"], {"time"})


def _ranked() -> Step:
    """A zero sleep, then the call's ``i``: the calls come back in the order they took their
    places (``zero_order``)."""
    return Step(["await asyncio.sleep(0)", "{log}.append(i)"], {"asyncio"}, awaits=True)


def _zero_sleeps(program: Program, rng: random.Random) -> None:
    """Make ``program``'s runs resume tasks from zero sleeps in order, and put one or two
    pieces showing the order among its coroutines' steps: ``_taken`` then ``_ranked`` in one
    body, or ``_ranked`` first in a coroutine and ``_taken`` right before a step awaiting it
    (the zero sleep in the callee)."""
    program.zero_order = True
    functions = [f for f in program.functions if f.name in _reachable(program)]
    coroutines = [f for f in functions if f.kind != "helper"]
    for _ in range(rng.randint(1, 2)):
        callee = rng.choice(coroutines)
        callers = [
            (block, k)
            for function in coroutines
            for block in _blocks(function)
            for k, step in enumerate(block)
            if callee.name in step.calls and step.awaits
        ]
        if callers and rng.random() < 0.5:
            block, k = rng.choice(callers)
            callee.steps.insert(0, _ranked())
            block.insert(k, _taken())
        else:
            block = rng.choice(_blocks(callee))
            at = rng.randint(0, len(block))
            block[at:at] = [_taken(), _ranked()]


def _lock_locals(program: Program, rng: random.Random) -> None:
    """Make about half the blocks of ``program``'s locks (``LOCKS``) take it through a local
    bound to it first: ``lock = self.lock`` (``LOCK``), then ``async with lock:``."""
    for function in program.functions:
        for top in function.steps:
            for step in top.walk():
                for k, header in enumerate(step.headers):
                    lock = next((n for n in LOCKS if header == f"async with {{{n}}}:"), None)
                    if lock is None or step.lines or rng.random() < 0.5:
                        continue
                    step.lines = [f"{lock} = {{{lock}}}"]
                    step.headers[k] = f"async with {lock}:"


def _supers(program: Program, rng: random.Random) -> None:
    """Define some of the methods ``program.py`` holds (not the tasks) in ``Base``, and in
    ``Service(Base)`` overrides that call them through ``super()``, maybe reading the count
    before and after the call."""
    mine = [f for f in program.functions if f.name in _reachable(program) - program.moved]
    for function in mine:
        if function.kind != "task" and rng.random() < 0.7:
            program.based[function.name] = rng.random() < 0.5


def _manager_home(program: Program, rng: random.Random) -> None:
    """Move ``program``'s context manager to ``gauges.py`` or not, imported by name or not."""
    program.manager_home = rng.choice([MAIN, GAUGES])
    program.manager_by_name = program.manager_home == GAUGES and rng.random() < 0.5


def _manager_names(program: Program) -> tuple[str, str]:
    """How ``program.py`` enters its manager and reads its count."""
    manager, active = program.manager, KINDS[program.manager][0]
    if program.manager_home == MAIN:
        return manager, active
    if program.manager_by_name and active.startswith(f"{manager}."):  # the object imported
        return manager, active
    # a global imported by name would be a copy: its module's is read
    prefix = "" if program.manager_by_name else f"{GAUGES}."
    return prefix + manager, f"{GAUGES}.{active}"


def _split(program: Program, rng: random.Random) -> None:
    """Move helpers and coroutines to ``helpers.py``: each at random, or because its caller
    moved (``helpers.py`` imports nothing of ``program.py``)."""
    callers = {}
    for function in program.functions:
        for top in function.steps:
            for step in top.walk():
                callers.update(dict.fromkeys(step.calls, function.name))
    for function in program.functions:  # a caller is drawn before its callees
        if function.kind == "task":
            continue
        if callers.get(function.name) in program.moved or rng.random() < 0.75:
            program.moved.add(function.name)
    program.shared_home = rng.random() < 0.5
    program.by_name = rng.random() < 0.5


def _uses(functions: list[Function]) -> tuple[set[str], set[str], set[str]]:
    """The imports, shared state and locks (``LOCKS``) the functions' steps use."""
    imports, state, locks = {"asyncio"}, set(), set()
    for function in functions:
        for top in function.steps:
            for step in top.walk():
                imports |= step.imports
                text = "\n".join(step.lines + step.headers)
                state |= {name for name in STATE if f"{{{name}}}" in text}
                locks |= {name for name in LOCKS if f"{{{name}}}" in text}
    return imports, state, locks


_CALL = re.compile(r"\{self\}(\w+)\(root, i\)")


class _Names:
    """How the code of one module names the shared state, the lock and the functions."""

    def __init__(self, program: Program, module: str, shared_home: bool) -> None:
        self.program, self.module = program, module
        methods = program.methods
        prefix = "helpers." if module == MAIN and shared_home else ""
        self.names = {n: (f"self.{n}" if methods else prefix + n.upper()) for n in STATE}
        for lock in LOCKS:
            self.names[lock] = f"self.{lock}" if methods else prefix + lock.upper()
        if program.class_state:
            self.names["count"] = _class_count(methods, module, prefix)
        if program.instance_state:
            held = _instance_home(program) == HELPERS and module == MAIN
            self.names["count"] = f"{'helpers.' if methods and held else prefix}STATE.count"
        if program.manager:
            self.names["manager"], self.names["active"] = _manager_names(program)
        if program.relayed:
            self.names["lock"] = "lock_for()"
        self.names["client"] = "self.client" if methods else "CLIENT"
        self.names["db"] = "self.db" if methods else "DB"
        self.names["driver"] = program.driver
        home = program.brokers == MAIN and module == MAIN
        self.names["brokers"] = "" if home else f"{fuzz_brokers.MODULE}."
        if program.foreign:
            self.names["st"] = fuzz_foreign.FORMS[program.foreign][1]
        if program.ledger is not None:
            self.names["ledger"] = program.ledger.named(methods)
            self.names["handed"] = program.ledger.handed(module)

    def call(self, match: re.Match) -> str:
        name = match[1]
        moved = name in self.program.moved
        if self.program.methods and not moved:
            return f"self.{name}(root, i)"
        module = "helpers." if moved and self.module == MAIN and not self.program.by_name else ""
        own = "self, " if self.program.methods else ""
        return f"{module}{name}({own}root, i)"

    def fill(self, line: str) -> str:
        line = _CALL.sub(self.call, line)
        for key, value in self.names.items():
            line = line.replace(f"{{{key}}}", value)
        return line


def _block(steps: list[Step], indent: str, names: _Names) -> list[str]:
    lines: list[str] = []
    for step in steps:
        lines += [indent + names.fill(line) for line in step.lines]
        for header, child in zip(step.headers, step.children, strict=True):
            lines.append(indent + names.fill(header))
            lines += _block(child, indent + "    ", names)
    return lines


def _written_globals(steps: list[Step]) -> list[str]:
    names = set()
    for top in steps:
        for step in top.walk():
            for line in step.lines:
                for name in STATE:
                    if line.startswith(f"{{{name}}} ") and "= " in line:
                        names.add(name.upper())
    return sorted(names)


def _functions(functions: list[Function], names: _Names, methods: bool) -> list[str]:
    """The functions' definitions: methods of ``Service`` in ``program.py``, functions
    taking the object as ``self`` in ``helpers.py``."""
    out = []
    indent = "    " if methods and names.module == MAIN else ""
    for function in functions:
        head = "async def" if function.kind != "helper" else "def"
        params = "self, root, i" if methods else "root, i"
        out.append(f"{indent}{head} {function.name}({params}):")
        written = _written_globals(function.steps)
        if written and not methods and "." not in names.names["count"]:
            out.append(f"    global {', '.join(written)}")
        out.append(f"{indent}    out = []")
        out += _block(function.steps, indent + "    ", names)
        out += [f"{indent}    return out", ""]
        out += [""] if not indent else []
    return out


def render(program: Program) -> dict[str, str]:
    """The program's modules' sources by file name."""
    reachable = _reachable(program)
    functions = [f for f in program.functions if f.name in reachable]
    mine = [f for f in functions if f.name not in program.moved]
    moved = [f for f in functions if f.name in program.moved]
    imports, state, lock = _uses(mine)
    _, their_state, their_lock = _uses(moved)
    relays = _relays(program, lock)
    imports |= {RELAYS} if relays else set()
    imports |= {"Path", "sqlite3", "os"}  # setup's
    methods = program.methods
    # where the globals live: here (for this module's functions), or all in helpers.py
    shared_home = bool(moved) and program.shared_home
    if methods or shared_home:
        state, lock = state | their_state, lock | their_lock
    state |= {"count"} if any(program.based.values()) else set()  # the overrides' reads
    ledger = program.ledger
    if ledger is not None and ledger.helpers_home == MAIN:
        imports |= ledger.blocking.imports
    managed = program.manager and program.manager_home == MAIN
    if managed:
        imports.add("contextlib")
    if methods and program.client:  # ``Service`` makes it
        imports.add("MongoClient")
    if program.driver:  # setup's, and with methods ``Service``'s connection
        imports.add(program.driver)
    if program.archives:  # setup's
        imports.add("zipfile")
    if program.shelves:  # setup's
        imports.add("shelve")
    if program.sessions:  # setup's
        imports.add("create_engine")
    if program.brokers == MAIN:  # the clients and helpers are here
        imports = imports - {fuzz_brokers.MODULE} | set(fuzz_brokers.LIBRARIES)
    out = [IMPORTS[name] for name in IMPORTS if name in imports]
    out += _ledger_imports(ledger)
    out += fuzz_foreign.FORMS[program.foreign][0] if program.foreign else []
    if program.manager and not managed:
        out.append(f"import {GAUGES}")
        if program.manager_by_name:
            out.append(f"from {GAUGES} import {program.manager.removesuffix('()')}")
    if moved:
        out.append("import helpers")
        called = {c for f in mine for top in f.steps for s in top.walk() for c in s.calls}
        if program.by_name and called & program.moved:
            out.append(f"from helpers import {', '.join(sorted(called & program.moved))}")
    out += ["", ""]
    if program.zero_order:  # ``fuzz_run`` reads it
        out += ["ZERO_SLEEPS_IN_ORDER = True", "", ""]
    out += [*RELAY, "", ""] if relays else []
    if not methods and not shared_home and (state or lock):
        out += [*_globals(program, state, lock), "", ""]
    if ledger is not None and ledger.kin:
        out += ["class Sub(ledgers.Base):", *_WRITERS, ""]
    if ledger is not None and ledger.reach == "global":
        out += [f"LEDGER = {ledger.made}()", "", ""]
    if "MongoClient" in imports and not methods:
        out += [CLIENT, "", ""]
    if program.driver in imports and not methods:
        out += [_connection(program.driver), "", ""]
    if managed:
        out += [*KINDS[program.manager][1], "", ""]
    if ledger is not None and ledger.helpers_home == MAIN:
        out += _handed_to(ledger, "ledgers.")
    out += [*fuzz_brokers.HOME, "", ""] if program.brokers == MAIN else []
    out += ["def setup(root):", '    """The files the steps expect."""']
    for name, text in SHARED.items():
        out.append(f'    Path(root, "{name}").write_text({text})')
    out += [
        f"    for i in range({CALLS}):",
        '        Path(root, f"own-{i}.txt").write_text(f"own {i}")',
    ]
    out += ["    sqlite3.connect(os.path.join(root, 'db.sqlite')).execute('CREATE TABLE t (x)')"]
    out += ['    os.environ["MONGO_ROOT"] = root'] if program.client else []
    setup = _client_kind(program.driver).SETUP.format(driver=program.driver)
    out += ["    " + setup] if program.driver else []
    out += [f'    zipfile.ZipFile({fuzz_archives.BOX}, "w").close()'] if program.archives else []
    out += [f"    {fuzz_shelves.SETUP}"] if program.shelves else []
    out += [f"    {fuzz_sessions.SETUP}"] if program.sessions else []
    out += ['    os.environ["FUZZ_ROOT"] = root'] if program.environ else []
    out += ["", ""]
    if methods and program.instance_state and _instance_home(program) == MAIN:
        out += [*INSTANCE, "", ""]
    names = _Names(program, MAIN, shared_home)
    if program.based:
        out += ["class Base:"]
        out += _functions([f for f in mine if f.name in program.based], names, methods)
        out += [""]
    if methods:
        out += ["class Service(Base):" if program.based else "class Service:"]
        own = state - {"count"} if program.class_state or program.instance_state else state
        out += ["    total = 0", ""] if own != state and program.class_state else []
        handed = program.handed_lock and "lock" in lock
        out.append(f"    def __init__(self{', lock' if handed else ''}):")
        out += [f"        self.{n} = {STATE[n]}" for n in STATE if n in own]
        made_locks = _locks(program, lock, "self.", handed)
        out += [f"        {line}" for line in made_locks]
        attr = ledger is not None and ledger.reach == "attr"
        out += [f"        self.ledger = {ledger.made}()"] if attr else []
        out += [f"        self.client = {CLIENT.partition(' = ')[2]}"] if program.client else []
        connected = _connection(program.driver).partition(" = ")[2]
        out += [f"        self.db = {connected}"] if program.driver else []
        made = own or made_locks or attr or program.client or program.driver
        out += ["        pass"] if not made else []
        out.append("")
    out += _functions([f for f in mine if f.name not in program.based], names, methods)
    out += [line for f in mine if f.name in program.based for line in _override(f, names)]
    out += [""] if methods else []
    target = "service." if methods else ""
    out += ["async def main(root):"]
    if methods:
        made = _locks(program, {"lock"})[0].partition(" = ")[2] if handed else ""
        out.append(f"    service = Service({made})")
    calls = ", ".join(f"{target}{name}(root, {k})" for k, name in enumerate(program.tasks))
    out.append(f"    results = await asyncio.gather({calls}, return_exceptions=True)")
    if program.settles:
        out.append("    await asyncio.get_running_loop().shutdown_default_executor()")
    names = _Names(program, MAIN, shared_home).names
    if methods:
        values = [f'"{n}": {names[n].replace("self.", "service.")}' for n in STATE if n in state]
    else:
        values = [f'"{n}": {names[n]}' for n in STATE if n in state]
    if not methods and not shared_home:
        theirs = _Names(program, MAIN, True).names
        values += [f'"helpers.{n}": {theirs[n]}' for n in STATE if n in their_state]
    if ledger is not None:
        named = ledger.named(methods)
        values.append(f'"ledger": {named.replace("self.", "service.")}.count')
    if program.foreign:
        prefix = fuzz_foreign.FORMS[program.foreign][1]
        values.append(f'"foreign": {fuzz_foreign.OUTCOME.replace("{st}", prefix)}')
    out.append(f"    return results, {{{', '.join(values)}}}")
    files = {f"{MAIN}.py": "\n".join(out).rstrip() + "\n"}
    if ledger is not None:
        files[f"{LEDGERS}.py"] = _ledgers(ledger)
    if moved:
        if not methods and shared_home:
            their_state, their_lock = state, lock
        files[f"{HELPERS}.py"] = _helpers(program, moved, their_state, their_lock)
    if program.client:
        files[fuzz_clients.PACKAGE] = fuzz_clients.SOURCE
    if program.driver:
        files.update(_client_kind(program.driver).packages(program.driver))
    if program.ssh:
        files.update(fuzz_proxies.SSH_PACKAGES)
    if program.brokers:
        files.update(fuzz_brokers.PACKAGES)
    if program.brokers == fuzz_brokers.MODULE:
        files[f"{fuzz_brokers.MODULE}.py"] = fuzz_brokers.SOURCE
    if program.foreign:
        files.update(fuzz_foreign.files(program.foreign))
    if program.reader:
        files.update(fuzz_foreign.reader_files(program.foreign, program.reader))
    if program.hands:
        files[f"{fuzz_foreign.HANDS}.py"] = fuzz_foreign.HANDS_SOURCE
    if program.sessions:
        files[fuzz_sessions.PACKAGE] = fuzz_sessions.SOURCE
        files[fuzz_sessions.ORM] = fuzz_sessions.ORM_SOURCE
    if relays or _relays(program, their_lock):
        files[f"{RELAYS}.py"] = RELAYS_SOURCE
    if program.manager and not managed:
        definition = KINDS[program.manager][1]
        sleeps = any("asyncio." in line for line in definition)
        imports = [IMPORTS["asyncio"]] * sleeps + [IMPORTS["contextlib"]]
        files[f"{GAUGES}.py"] = "\n".join([*imports, "", "", *definition, ""])
    return files


def _override(function: Function, names: _Names) -> list[str]:
    """``Service``'s method calling ``super()``'s ``function`` (``supers``), maybe reading the
    count before and after the call."""
    call = f"super().{function.name}(root, i)"
    head = "def" if function.kind == "helper" else "async def"
    call = call if function.kind == "helper" else f"await {call}"
    if names.program.based[function.name]:
        body = ["seen = {count}", f"out = {call}", "out.append({count} - seen)", "return out"]
    else:
        body = [f"return {call}"]
    lines = [f"{head} {function.name}(self, root, i):", *("    " + line for line in body)]
    return ["    " + names.fill(line) for line in lines] + [""]


def _helpers(program: Program, moved: list[Function], state: set[str], lock: set[str]) -> str:
    """``helpers.py``: the moved functions and the globals it holds."""
    imports, _, used = _uses(moved)
    if lock and not program.methods:
        imports.add("asyncio")
    relays = _relays(program, used)
    imports |= {RELAYS} if relays else set()
    out = [IMPORTS[name] for name in IMPORTS if name in imports]
    out += _ledger_imports(program.ledger)
    out += fuzz_foreign.FORMS[program.foreign][0] if program.foreign else []
    out += ["", ""]
    out += [*RELAY, "", ""] if relays else []
    if not program.methods and (state or lock):
        out += [*_globals(program, state, lock), "", ""]
    if "MongoClient" in imports and not program.methods:
        out += [CLIENT, "", ""]
    if program.driver in imports and not program.methods:
        out += [_connection(program.driver), "", ""]
    if program.methods and program.instance_state:
        out += [*INSTANCE, "", ""]
    out += _functions(moved, _Names(program, HELPERS, False), program.methods)
    return "\n".join(out).rstrip() + "\n"


def _relays(program: Program, used: set[str]) -> bool:
    """Whether a module whose functions use the locks ``used`` defines ``lock_for()``
    (``relayed``)."""
    return program.relayed and "lock" in used


def _connection(driver: str) -> str:
    """A module's connection or proxy of ``driver`` (``drivers``, ``proxies``), which its
    functions share."""
    return "DB = " + _client_kind(driver).CONNECT.format(driver=driver)


def _globals(program: Program, state: set[str], locks: set[str]) -> list[str]:
    """A module's globals holding ``state`` and ``locks`` (``Counter`` holding the count as
    its class attribute ``total``, with ``class_state``)."""
    counter = program.class_state and "count" in state
    instance = program.instance_state and "count" in state
    held = state - {"count"} if counter or instance else state
    out = [f"{n.upper()} = {STATE[n]}" for n in STATE if n in held]
    out += _locks(program, locks)
    out += ["", "", "class Counter:", "    total = 0"] if counter else []
    return out + (["", "", *INSTANCE] if instance else [])


def _instance_home(program: Program) -> str:
    """The module whose global ``STATE`` holds the count (``instance_state``) when the
    functions are methods: ``helpers.py`` when some live there (it imports nothing of
    ``program.py``), else ``program.py``."""
    return HELPERS if program.moved & _reachable(program) else MAIN


def _locks(program: Program, locks: set[str], owner: str = "", handed: bool = False) -> list[str]:
    """The assignments making ``locks`` (``lock``, ``sem``): ``LOCK = asyncio.Lock()``, or
    ``self.lock = ...`` (``owner``); ``handed``: ``self.lock = lock``, the maker's."""
    limits = {"lock": program.lock_limit, "sem": program.sem_limit, "limit": program.limit}
    made = {n: f"asyncio.Semaphore({k})" if k else "asyncio.Lock()" for n, k in limits.items()}
    made["lock"] = "lock" if handed else made["lock"]
    named = {n: owner + n if owner else n.upper() for n in limits}
    made = {n: text for n, text in made.items() if n != "lock" or not program.relayed}
    return [f"{named[n]} = {made[n]}" for n in LOCKS if n in locks and n in made]


def _class_count(methods: bool, module: str, prefix: str) -> str:
    """How a module's code names the count held by a class (``class_state``): ``Counter.total``
    (``helpers.Counter.total``), or the class attribute of ``Service`` (``self``'s class,
    in ``helpers.py``)."""
    if not methods:
        return f"{prefix}Counter.total"
    return "Service.total" if module == MAIN else "type(self).total"


def _reachable(program: Program) -> set[str]:
    return _reached(program, program.tasks)


def _reached(program: Program, names) -> set[str]:
    """The functions ``names`` name and those their steps call, and theirs."""
    by_name = {f.name: f for f in program.functions}
    seen, todo = set(), list(dict.fromkeys(names))
    while todo:
        name = todo.pop()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        for top in by_name[name].steps:
            for step in top.walk():
                todo += step.calls
    return seen


def _ledger_imports(ledger: Ledger | None) -> list[str]:
    """How ``program.py`` and ``helpers.py`` import ``ledgers.py``."""
    if ledger is None:
        return []
    return ["import ledgers"] + (["from ledgers import LEDGER"] if ledger.reach == "name" else [])


def _peek(ledger: Ledger, name: str, indent: str) -> list[str]:
    """A coroutine reading ``name.count`` around the object's blocking step (``reads``)."""
    reads = {
        "before": (["seen = {0}.count"], ["out.append(seen)"]),
        "after": ([], ["out.append({0}.count)"]),
        "both": (["seen = {0}.count"], ["out.append({0}.count - seen)"]),
    }[ledger.reads]
    before, after = ([line.format(name) for line in part] for part in reads)
    lines = ["out = []", *before, *ledger.blocking.lines, *after, "return out"]
    return [indent + line for line in lines]


def _handed_to(ledger: Ledger, prefix: str) -> list[str]:
    """The coroutines and the helper the object is handed to (``prefix``: how their module
    names ``ledgers.py``), each taking it as ``ledger``."""
    typed = f"ledger: {prefix}{ledger.annotated}" if ledger.typed else "ledger"
    return [
        f"async def look({typed}, root, i):",
        "    seen = ledger.count",
        "    out = await ledger.peek(root, i)",
        "    out.append(ledger.count - seen)",
        "    return out",
        "",
        "",
        f"async def peek_of({typed}, root, i):",
        *_peek(ledger, "ledger", "    "),
        "",
        "",
        f"def tally({typed}):",
        "    ledger.add()" if ledger.by_method else "    ledger.count += 1",
        "",
        "",
    ]


# the object's count, made, and written by its methods (``ledgers.py``'s ``Sub`` or ``Ledger``,
# or with ``kin`` ``program.py``'s ``Sub``)
_INIT = ["    def __init__(self):", "        self.count = 0", ""]
_WRITERS = [
    "    async def bump(self):",
    "        await asyncio.sleep(0)",
    "        self.count += 1",
    "",
    "    def add(self):",
    "        self.count += 1",
    "",
]


def _ledgers(ledger: Ledger) -> str:
    """``ledgers.py``: the object's classes, maybe the object, maybe what it is handed to."""
    imports = {"asyncio"} | ledger.blocking.imports
    out = [IMPORTS[name] for name in IMPORTS if name in imports] + ["", ""]
    peek = ["    async def peek(self, root, i):", *_peek(ledger, "self", "        "), ""]
    if ledger.kin:  # ``Sub`` is ``program.py``'s
        out += ["class Base:", *_INIT, *peek]
    elif ledger.inherit:
        out += ["class Base:", *peek, "", "class Sub(Base):", *_INIT, *_WRITERS]
    else:
        out += ["class Ledger:", *_INIT, *_WRITERS, *peek]
    out += [""]
    if ledger.reach in ("module", "name"):
        out += [f"LEDGER = {ledger.cls}()", "", ""]
    if ledger.helpers_home == LEDGERS:
        out += _handed_to(ledger, "")
    return "\n".join(out).rstrip() + "\n"

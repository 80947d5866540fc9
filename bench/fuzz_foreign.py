"""The state of another module that ``fuzz_programs`` draws with ``foreign_state=True``:
``store.py`` makes a list, a dict, an object whose methods change it, a file name and a
sqlite3 connection (made in the importing thread: another thread's use of it raises), and
``ops.py``, a third module, holds sync helpers reading and changing them, or handed one.

The program reaches ``store`` in one of ``FORMS``: ``import store``, ``import store as
shelf``, ``from store import ...``, or through a package re-exporting its names,
``pool/__init__.py`` (``import pool`` or ``from pool import ...``; ``store`` is then
``pool/store.py``). The steps read the state, block, then write it (and variants), in
tasks, coroutines and helpers; ``LATER``: a read before an await, its write after.
``main`` returns the state beside the program's own (``OUTCOME``).
"""

from __future__ import annotations

STORE = "store"
OPS = "ops"
PACKAGE = "pool"
NAMES = "DB, ITEMS, NAME, TABLE, TALLY"

# how ``program.py`` imports the state, and how its code names it (``{st}``)
FORMS = {
    "module": (["import store"], "store."),
    "alias": (["import store as shelf"], "shelf."),
    "name": ([f"from store import {NAMES}"], ""),
    "package": ([f"import {PACKAGE}"], f"{PACKAGE}."),
    "package_name": ([f"from {PACKAGE} import {NAMES}"], ""),
}

_STORE = '''"""State another module's coroutines share (fix_fuzz --foreign-state)."""

import os
import sqlite3

NAME = "tally.txt"  # a file under each run's directory
ITEMS = []
TABLE = {}


class Tally:
    def __init__(self):
        self.count = 0

    def add(self):
        self.count += 1

    def settle(self, root):
        seen = self.count
        with open(os.path.join(root, NAME), "a") as f:
            f.write(f"{seen}\\n")
        self.count = seen + 1


TALLY = Tally()
DB = sqlite3.connect(":memory:")
DB.execute("CREATE TABLE t (x)")
'''

_OPS = '''"""Sync helpers of a third module over another module's state (fix_fuzz
--foreign-state)."""

import os
import time

{import_store}


def size():
    return len(store.ITEMS)


def push(n):
    store.ITEMS.append(n)


def bump(tally):
    seen = tally.count
    time.sleep(0.001)
    tally.count = seen + 1


def rows(db):
    return db.execute("SELECT count(*) FROM t").fetchone()[0]


def note(root, n):
    with open(os.path.join(root, store.NAME), "a") as f:
        f.write(f"{{n}}\\n")
'''


def files(form: str) -> dict[str, str]:
    """``store``'s and ``ops``' sources by file name (``pool``'s too: ``form``)."""
    if form.startswith("package"):
        return {
            f"{PACKAGE}/__init__.py": f"from {PACKAGE}.{STORE} import {NAMES}\n",
            f"{PACKAGE}/{STORE}.py": _STORE,
            f"{OPS}.py": _OPS.format(import_store=f"from {PACKAGE} import {STORE}"),
        }
    return {f"{STORE}.py": _STORE, f"{OPS}.py": _OPS.format(import_store=f"import {STORE}")}


# what ``main`` returns of it
OUTCOME = '[{st}ITEMS, {st}TABLE, {st}TALLY.count, {st}DB.execute("SELECT x FROM t").fetchall()]'

# The steps: a list's length read, a sleep, the length appended; the object's count read,
# a line of the file ``NAME`` names written, the count written; a dict's entry read, the
# file's existence, the entry written; the connection's rows counted, a row of the count
# inserted; the file read, then a line written; the list through ``ops``' helpers; the
# object handed to ``ops.bump`` (read, sleep, write); the connection handed to ``ops.rows``,
# a line by ``ops.note``; the object's method reading, writing the file, writing its count;
# the object changed by its method, a sleep, its count read; the list's length noted, then
# the list appended to.
STEPS = [
    ["n = len({st}ITEMS)", "time.sleep(0.001)", "{st}ITEMS.append(n)"],
    [
        "seen = {st}TALLY.count",
        'with open(os.path.join(root, {st}NAME), "a") as f:',
        '    f.write(f"{i}\\n")',
        "{st}TALLY.count = seen + 1",
    ],
    [
        'n = {st}TABLE.get("k", 0)',
        "out.append(os.path.exists(os.path.join(root, {st}NAME)))",
        '{st}TABLE["k"] = n + 1',
    ],
    [
        'n = {st}DB.execute("SELECT count(*) FROM t").fetchone()[0]',
        '{st}DB.execute("INSERT INTO t VALUES (?)", (n,))',
    ],
    [
        "p = os.path.join(root, {st}NAME)",
        "if os.path.exists(p):",
        "    with open(p) as f:",
        "        out.append(f.read())",
        'with open(p, "a") as f:',
        '    f.write(f"{i}\\n")',
    ],
    ["n = ops.size()", "time.sleep(0.001)", "ops.push(n)"],
    ["ops.bump({st}TALLY)"],
    ["out.append(ops.rows({st}DB))", "ops.note(root, i)"],
    ["{st}TALLY.settle(root)"],
    ["{st}TALLY.add()", "time.sleep(0.001)", "out.append({st}TALLY.count)"],
    ["ops.note(root, len({st}ITEMS))", "{st}ITEMS.append(i)"],
]
LATER = [
    "seen = {st}TALLY.count",
    "await asyncio.sleep(0)",
    "ops.note(root, seen)",
    "{st}TALLY.count = seen + 1",
]

# ``readers``: ``peek.py``, a module of helpers that only read ``store``'s state (imported
# whole, or by name); the steps read through it, block, then write the state themselves
# (or through ``ops``' helper).
READER = "peek"
# how ``peek.py`` imports ``store``: the line, the line when ``store`` is the package's,
# and how its code names it
READER_FORMS = {
    "module": ("import store", f"from {PACKAGE} import {STORE}", "store."),
    "name": (
        "from store import ITEMS, TABLE, TALLY",
        f"from {PACKAGE}.{STORE} import ITEMS, TABLE, TALLY",
        "",
    ),
}
_READER = '''"""Sync helpers that only read another module's state (fix_fuzz --readers)."""

{import_store}


def size():
    return len({st}ITEMS)


def count():
    return {st}TALLY.count


def entry():
    return {st}TABLE.get("k", 0)
'''
READER_STEPS = [
    ["n = peek.size()", "time.sleep(0.001)", "{st}ITEMS.append(n)"],
    [
        "seen = peek.count()",
        'with open(os.path.join(root, {st}NAME), "a") as f:',
        '    f.write(f"{i}\\n")',
        "{st}TALLY.count = seen + 1",
    ],
    [
        "n = peek.entry()",
        "out.append(os.path.exists(os.path.join(root, {st}NAME)))",
        '{st}TABLE["k"] = n + 1',
    ],
    ["n = peek.size()", "time.sleep(0.001)", "ops.push(n)"],
    ["seen = peek.count()", "time.sleep(0.001)", "{st}TALLY.add()", "out.append(seen)"],
]
READER_LATER = ["n = peek.size()", "await asyncio.sleep(0)", "{st}ITEMS.append(n)"]


def reader_files(form: str, reads: str) -> dict[str, str]:
    """``peek.py``'s source, reaching ``store`` (``form``) as ``reads`` (``READER_FORMS``)."""
    line, packaged, prefix = READER_FORMS[reads]
    line = packaged if form.startswith("package") else line
    return {f"{READER}.py": _READER.format(import_store=line, st=prefix)}


# ``aliases``: ``hands.py``, helpers calling what they are handed or changing their
# arguments; the steps read the state, block, then write it through another name of it: a
# local bound twice, in a loop or by unpacking, ``*args``, ``functools.partial``, a lambda,
# a bound method handed on.
HANDS = "hands"
HANDS_SOURCE = '''"""Sync helpers handed what they call or change (fix_fuzz --aliases)."""


def apply(f, *args):
    return f(*args)


def put(items, n):
    items.append(n)


def settle_all(*tallies):
    for tally in tallies:
        tally.count += 1
'''
ALIAS_STEPS = [
    ["t = None", "t = {st}TALLY", "seen = t.count", "time.sleep(0.001)", "t.count = seen + 1"],
    ["box = {st}ITEMS", "n = len(box)", "time.sleep(0.001)", "box = {st}ITEMS", "box.append(n)"],
    ["for box in [{st}ITEMS]:", "    n = len(box)", "    time.sleep(0.001)", "    box.append(n)"],
    ["box, table = {st}ITEMS, {st}TABLE", "n = len(box)", "time.sleep(0.001)", "box.append(n)"],
    ["n = len({st}ITEMS)", "time.sleep(0.001)", "args = ({st}ITEMS, n)", "hands.put(*args)"],
    ["n = len({st}ITEMS)", "time.sleep(0.001)", "hands.put(*[{st}ITEMS, n])"],
    [
        "add = functools.partial(hands.put, {st}ITEMS)",
        "n = len({st}ITEMS)",
        "time.sleep(0.001)",
        "add(n)",
    ],
    ["n = len({st}ITEMS)", "time.sleep(0.001)", "hands.apply(lambda: {st}ITEMS.append(n))"],
    ["put = lambda n: {st}ITEMS.append(n)", "n = len({st}ITEMS)", "time.sleep(0.001)", "put(n)"],
    [
        "seen = {st}TALLY.count",
        "time.sleep(0.001)",
        "hands.apply({st}TALLY.add)",
        "out.append(seen)",
    ],
    ["n = len({st}ITEMS)", "time.sleep(0.001)", "hands.apply({st}ITEMS.append, n)"],
    [
        "seen = {st}TALLY.count",
        "time.sleep(0.001)",
        "hands.apply(functools.partial({st}TALLY.add))",
        "out.append(seen)",
    ],
    [
        "seen = {st}TALLY.count",
        "time.sleep(0.001)",
        "hands.settle_all(*[{st}TALLY])",
        "out.append(seen)",
    ],
]
ALIAS_LATER = [
    "box = {st}ITEMS",
    "n = len(box)",
    "await asyncio.sleep(0)",
    "hands.apply(box.append, n)",
]

# What ``fuzz_programs`` puts among a program's steps in each mode: the steps, their
# imports, and the step that awaits between its read and its write, with its imports.
USES = {
    "foreign_state": (STEPS, {"os", "time", OPS}, LATER, {"asyncio", "os", "time", OPS}),
    "readers": (
        READER_STEPS,
        {"os", "time", OPS, READER},
        READER_LATER,
        {"asyncio", "time", READER},
    ),
    "aliases": (ALIAS_STEPS, {"functools", "time", HANDS}, ALIAS_LATER, {"asyncio", HANDS}),
}

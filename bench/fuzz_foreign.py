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

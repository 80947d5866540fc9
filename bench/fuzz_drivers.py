"""The DB-API drivers ``fuzz_programs`` draws with ``drivers=True``: stand-ins for PyMySQL
(DB-API ``threadsafety`` 1: threads must not share a connection) and oracledb (2: they may),
their sources written under the program's ``site-packages``, and the steps that use them.

Each statement reads or writes one JSON file of rows in the server's data directory in one step
that no other statement interleaves with, as a server runs it. The directory lies beside the
run's directory (``setup`` connects with ``database=root``: ``SETUP``), named after it as
``fuzz_clients.SERVER`` says: a server's table is none of the directory the program lists
(seeds 323023, 332992 of ``--drivers --modules 2`` listed it), and ``fuzz_run`` adds the
files there to a run's outcome. A connection sends one command at a time:
PyMySQL's breaks when two threads send on it at once (``OperationalError``, as the real
one's packets go out of sequence), oracledb's makes the second wait. A cursor holds the rows
of its last ``select`` until they are fetched.
"""

from __future__ import annotations

from fuzz_clients import SERVER

NAMES = ("pymysql", "oracledb")
_SHARED = {"pymysql": 1, "oracledb": 2}  # each driver's DB-API threadsafety

_SOURCE = '''"""A stand-in for {name} (fix_fuzz --drivers): DB-API threadsafety {threadsafety}."""

import json
import os
import threading
import time

threadsafety = {threadsafety}
_SERVER = threading.Lock()
_DATA = []  # the run's directory, the last one a connection named
_STORAGE = {server!r}  # after the run's directory's name: the table lies beside it, not in it


class OperationalError(Exception):
    pass


def _path():
    storage = _DATA[-1] + _STORAGE
    os.makedirs(storage, exist_ok=True)
    return os.path.join(storage, "rows.json")


class Cursor:
    def __init__(self, connection):
        self.connection = connection
        self.rows = []

    def execute(self, statement, value=None):
        with self.connection._command(), _SERVER:
            rows = []
            if os.path.exists(_path()):
                with open(_path()) as fh:
                    rows = json.load(fh)
            if statement == "insert":
                rows.append(value)
                with open(_path(), "w") as fh:
                    json.dump(rows, fh)
            self.rows = rows if statement == "select" else []

    def fetchall(self):
        rows, self.rows = self.rows, []
        return rows

    def close(self):
        self.rows = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Connection:
    def __init__(self):
        self._sending = threading.Lock()

    def _command(self):
        if not self._sending.acquire(blocking=threadsafety > 1):
            raise OperationalError("Packet sequence number wrong")
        time.sleep(0.0005)  # the round trip
        return _Sent(self._sending)

    def cursor(self):
        return Cursor(self)

    def commit(self):
        with self._command():
            pass

    def close(self):
        pass


class _Sent:
    def __init__(self, lock):
        self.lock = lock

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.lock.release()


def connect(database=None, **options):
    if database is not None:
        _DATA.append(database)
    return Connection()
'''


# how ``setup`` names the run's directory to the server (an ``os.environ`` entry set to
# ``root`` would make deblock take ``root`` for state that ``setup`` changes)
SETUP = '{driver}.connect(host="db", database=root).close()'
# the connection a module's functions share (``DB``, ``self.db``)
CONNECT = '{driver}.connect(host="db")'


def package(name: str) -> str:
    """The path, under the program's directory, of the stand-in for driver ``name``."""
    return f"site-packages/{name}/__init__.py"


def source(name: str) -> str:
    """The stand-in for driver ``name``."""
    return _SOURCE.format(name=name, threadsafety=_SHARED[name], server=SERVER)


def packages(name: str) -> dict[str, str]:
    """The files of driver ``name``'s stand-in by path under the program's directory."""
    return {package(name): source(name)}


# The steps using the connection every call shares (``{db}``) or one of their own (made by
# ``{driver}.connect``): statements in a cursor's block, a commit, a select then an insert
# (a check, then an act), an insert of the count around its update; ``LATER``: a cursor's
# select before an await and its fetch after it.
STEPS = [
    [
        "with {db}.cursor() as cur:",
        '    cur.execute("insert", i)',
        '    cur.execute("select")',
        "    out.append(len(cur.fetchall()))",
    ],
    ["{db}.commit()"],
    ["cur = {db}.cursor()", 'cur.execute("select")', "out.append(len(cur.fetchall()))"],
    [
        'conn = {driver}.connect(host="db")',
        "with conn.cursor() as cur:",
        '    cur.execute("insert", i)',
        "conn.commit()",
        "conn.close()",
    ],
    [
        "with {db}.cursor() as cur:",
        '    cur.execute("select")',
        "    if len(cur.fetchall()) < 3:",
        '        cur.execute("insert", i)',
    ],
    [
        "n = {count}",
        "with {db}.cursor() as cur:",
        '    cur.execute("insert", n)',
        "{count} = n + 1",
    ],
]
LATER = [
    "cur = {db}.cursor()",
    'cur.execute("select")',
    "await asyncio.sleep(0)",
    "out.append(len(cur.fetchall()))",
]

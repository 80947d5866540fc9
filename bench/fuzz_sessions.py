"""The session steps ``fuzz_programs`` draws with ``sessions=True``: a stand-in for
SQLAlchemy's synchronous ORM session (``sqlalchemy.orm.Session`` over an engine of
``sqlalchemy.create_engine``), its source written under the program's ``site-packages``, and
the steps that enter sessions by ``with`` (DBK604, never fixed safely: what the fuzzer checks
is the fixes of the steps around them).

A session holds its inserts until ``commit`` (or the exit of a ``with session.begin():``
block) writes them, in one step under a process-wide lock, to a JSON file of rows in the
engine's data directory (``setup`` names the run's directory, where it makes the file:
``SETUP``); a ``select`` reads the committed rows and the session's own; ``close`` and a
``with`` block's exit drop what was not committed.
"""

from __future__ import annotations

PACKAGE = "site-packages/sqlalchemy/__init__.py"
SOURCE = '''"""A stand-in for SQLAlchemy's engine (fix_fuzz --sessions)."""

import json
import os
import threading

_SERVER = threading.Lock()
_DATA = []  # the data directory, the last one an engine named


def _load():
    path = os.path.join(_DATA[-1], "orm.json")
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        return json.load(fh)


class Engine:
    def rows(self):
        with _SERVER:
            return _load()

    def write(self, added):
        with _SERVER:
            rows = _load() + added
            with open(os.path.join(_DATA[-1], "orm.json"), "w") as fh:
                json.dump(rows, fh)

    def dispose(self):
        pass


def create_engine(url):
    if url.startswith("json:///"):  # a new data directory: its table made empty
        _DATA.append(url.removeprefix("json://"))
        with open(os.path.join(_DATA[-1], "orm.json"), "w") as fh:
            json.dump([], fh)
    return Engine()
'''
ORM = "site-packages/sqlalchemy/orm/__init__.py"
ORM_SOURCE = '''"""A stand-in for SQLAlchemy's ORM session (fix_fuzz --sessions)."""

import contextlib


class Session:
    def __init__(self, engine):
        self.engine = engine
        self.added = []

    def execute(self, statement, value=None):
        if statement == "insert":
            self.added.append(value)
            return []
        return self.engine.rows() + self.added

    def commit(self):
        added, self.added = self.added, []
        self.engine.write(added)

    @contextlib.contextmanager
    def begin(self):
        yield self
        self.commit()

    def close(self):
        self.added = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
'''
# how ``setup`` names the run's directory to the engines
SETUP = 'create_engine(f"json://{root}").dispose()'
_ENGINE = 'create_engine("json://")'
_IMPORTS = {"Session", "create_engine"}

# Each step: its lines. An insert committed, the rows counted, an insert of the count in a
# ``begin()`` block, a count then an insert (a check, then an act), the count's update
# around an insert.
STEPS = [
    [
        f"with Session({_ENGINE}) as session:",
        '    session.execute("insert", i)',
        "    session.commit()",
    ],
    [f"with Session({_ENGINE}) as session:", '    out.append(len(session.execute("select")))'],
    [
        f"with Session({_ENGINE}) as session, session.begin():",
        '    session.execute("insert", {count})',
    ],
    [
        f"with Session({_ENGINE}) as session:",
        '    if len(session.execute("select")) < 3:',
        '        session.execute("insert", i)',
        "        session.commit()",
    ],
    [
        "n = {count}",
        f"with Session({_ENGINE}) as session, session.begin():",
        '    session.execute("insert", n)',
        "{count} = n + 1",
    ],
]
# a session's rows read before an await and counted after it, then the session closed
LATER = [
    f"session = Session({_ENGINE})",
    'rows = session.execute("select")',
    "await asyncio.sleep(0)",
    "out.append(len(rows))",
    "session.close()",
]

"""The database client ``fuzz_programs`` draws with ``chains=True``: a stand-in for pymongo (its
source, written under the program's ``site-packages``) and the steps that use it.

The client hands out a database, a collection and a cursor with no I/O (``get_database``,
``get_collection``, an attribute, an item, ``find``, ``sort``, ``limit``), as the catalogue
says pymongo does; each command (``insert_one``, ``find_one``, ``count_documents``,
``delete_many``) and each cursor, as it is iterated, reads or writes one JSON file per
collection in one step that no other command interleaves with, as a server runs it. The files
lie beside the run's directory (``MONGO_ROOT``, which ``setup`` sets to it), in ``SERVER``
after its name: a server's storage is none of the directory the program lists, and
``fuzz_run`` adds the files there to a run's outcome.
"""

from __future__ import annotations

PACKAGE = "site-packages/pymongo/__init__.py"
SERVER = ".server"  # after the run's directory's name, the stand-in server's directory

SOURCE = '''"""A stand-in for pymongo (fix_fuzz --chains): each command one atomic step, as a server
runs it; a cursor reads when it is iterated."""

import json
import os
import threading

_SERVER = threading.Lock()
_STORAGE = {server}  # after the run's directory's name: the files lie beside it, not in it


class Collection:
    def __init__(self, database, name):
        storage = os.environ["MONGO_ROOT"] + _STORAGE
        os.makedirs(storage, exist_ok=True)
        self._path = os.path.join(storage, f"{database}.{name}.json")

    def _documents(self, query=None, keep=True):
        """The documents that match ``query`` (``keep=False``: that do not)."""
        stored = []
        if os.path.exists(self._path):
            with open(self._path) as fh:
                stored = json.load(fh)
        query = query or {}
        return [d for d in stored if all(d.get(k) == v for k, v in query.items()) == keep]

    def _store(self, documents):
        with open(self._path, "w") as fh:
            json.dump(documents, fh)

    def find(self, query=None):
        return Cursor(self, query)

    def find_one(self, query=None):
        return next(iter(self.find(query)), None)

    def count_documents(self, query):
        return len(list(self.find(query)))

    def insert_one(self, document):
        with _SERVER:
            self._store([*self._documents(), document])

    def delete_many(self, query):
        with _SERVER:
            self._store(self._documents(query, keep=False))


class Cursor:
    def __init__(self, collection, query):
        self._collection, self._query, self._key, self._limit = collection, query, None, None

    def sort(self, key):
        self._key = key
        return self

    def limit(self, count):
        self._limit = count
        return self

    def __iter__(self):
        with _SERVER:
            found = self._collection._documents(self._query)
        if self._key is not None:
            found.sort(key=lambda d: d[self._key])
        return iter(found[: self._limit])


class _Handle:
    """A client or a database: what it makes of a name, by getter, item or attribute."""

    def __init__(self, make):
        self._make = make

    def __getitem__(self, name):
        return self._make(name)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._make(name)


class Database(_Handle):
    def __init__(self, name):
        super().__init__(lambda collection: Collection(name, collection))

    get_collection = _Handle.__getitem__


class MongoClient(_Handle):
    def __init__(self, host=None):
        super().__init__(Database)
        self.host = host

    get_database = _Handle.__getitem__
'''.replace("{server}", repr(SERVER))

# The steps using the client (``{client}``): a handle made by one call and its command, a
# cursor iterated where it is made or later, a count then an insert (a check, then an act);
# ``lines_async``: a cursor made before an await and iterated after it.
STEPS = [
    ['users = {client}.get_database("app").get_collection("users")', 'users.insert_one({"i": i})'],
    ['out.append(len(list({client}.app.users.find({"i": i}))))'],
    ['for doc in {client}["app"]["users"].find().sort("i"):', '    out.append(doc["i"])'],
    ['out.append({client}.app.users.find_one({"i": i}) is not None)'],
    [
        "n = {client}.app.users.count_documents({})",
        '{client}.app.users.insert_one({"i": i, "n": n})',
    ],
    ['{client}["app"].users.delete_many({"i": i})'],
    ["n = {count}", '{client}.app.users.insert_one({"i": i, "count": n})', "{count} = n + 1"],
]
LATER = [
    "cursor = {client}.app.users.find().limit(2)",
    "await asyncio.sleep(0)",
    'out.append([d["i"] for d in cursor])',
]

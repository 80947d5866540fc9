"""The shelf steps ``fuzz_programs`` draws with ``shelves=True``: ``shelve.open`` and
``dbm.open`` over ``shelf`` (which ``setup`` makes: ``SETUP``), whose opening, every read and
write, and closing read or write its files. Before Python 3.13 a new shelf is a ``dbm.dumb``
database (an index read as it opens and written as it closes, so two handles open at once
lose each other's entries); from 3.13 an SQLite one, whose handle works only in the thread
that opened it."""

from __future__ import annotations

SHELF = 'os.path.join(root, "shelf")'
SETUP = f"shelve.open({SHELF}).close()"
_IMPORTS = {"shelve", "os"}

# Each step: its lines and the imports they need. An entry written under the count of those
# before it, the keys listed, the count's update around a write, the entries checked and then
# one written, an entry written through ``dbm`` (the same files), a shelf opened and closed
# with no ``with``.
STEPS = [
    ([f"with shelve.open({SHELF}) as db:", "    db[str(i)] = len(db)"], _IMPORTS),
    ([f"with shelve.open({SHELF}) as db:", "    out.append(sorted(db))"], _IMPORTS),
    (
        [
            "n = {count}",
            f"with shelve.open({SHELF}) as db:",
            '    db[f"n{i}"] = n',
            "{count} = n + 1",
        ],
        _IMPORTS,
    ),
    (
        [
            f"with shelve.open({SHELF}) as db:",
            "    seen = len(db)",
            "if seen < 2:",
            f"    with shelve.open({SHELF}) as db:",
            '        db[f"late{i}"] = seen',
        ],
        _IMPORTS,
    ),
    (
        [f'with dbm.open({SHELF}, "c") as db:', '    db[f"d{i}"] = str(len(db.keys()))'],
        {"dbm", "os"},
    ),
    ([f"db = shelve.open({SHELF})", "out.append(len(db))", "db.close()"], _IMPORTS),
]
# a shelf opened before an await and read after it (a handle whose lifetime spans the await)
LATER = (
    [
        f"db = shelve.open({SHELF})",
        "await asyncio.sleep(0)",
        "out.append(sorted(db))",
        "db.close()",
    ],
    {*_IMPORTS, "asyncio"},
)

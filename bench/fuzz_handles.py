"""The handle steps ``fuzz_programs`` draws with ``handles=True``: a temporary file or a
database in memory that a step makes, uses and closes, its own (``Finding.unshared``: moved
into one thread without the module's lock), some of them reading or writing the program's
shared state or files beside it, which must keep the lock or stay apart."""

from __future__ import annotations

SHARED = 'os.path.join(root, "shared.txt")'
_SPOOL = {"tempfile"}
_MEMORY = {"sqlite3"}

# Each step: its lines and the imports they need. A spool written and read back; one written
# with the shared count; a database in memory filled and read; one computing the count's
# next value (written after it); a spool recording whether the shared file exists.
STEPS = [
    (
        [
            "spool = tempfile.TemporaryFile()",
            'spool.write(b"s%d" % i)',
            "spool.seek(0)",
            "got = spool.read()",
            "spool.close()",
            "out.append(got)",
        ],
        _SPOOL,
    ),
    (
        [
            "spool = tempfile.TemporaryFile()",
            'spool.write(b"c%d" % {count})',
            "spool.seek(0)",
            "got = spool.read()",
            "spool.close()",
            "out.append(got)",
        ],
        _SPOOL,
    ),
    (
        [
            'conn = sqlite3.connect(":memory:")',
            'conn.execute("create table t (x)")',
            'conn.execute("insert into t values (?)", (i,))',
            'rows = conn.execute("select x from t").fetchall()',
            "conn.close()",
            "out.append(rows)",
        ],
        _MEMORY,
    ),
    (
        [
            'conn = sqlite3.connect(":memory:")',
            'n = conn.execute("select ? + 1", ({count},)).fetchone()[0]',
            "conn.close()",
            "{count} = n",
        ],
        _MEMORY,
    ),
    (
        [
            "spool = tempfile.TemporaryFile()",
            f'spool.write(b"y" if os.path.exists({SHARED}) else b"n")',
            "spool.seek(0)",
            "got = spool.read()",
            "spool.close()",
            "out.append(got)",
        ],
        {*_SPOOL, "os"},
    ),
]
# a spool written before an await and read after it (a handle whose lifetime spans the await)
LATER = (
    [
        "spool = tempfile.TemporaryFile()",
        'spool.write(b"l%d" % i)',
        "await asyncio.sleep(0)",
        "spool.seek(0)",
        "out.append(spool.read())",
        "spool.close()",
    ],
    {*_SPOOL, "asyncio"},
)

"""DBK2xx: file I/O on the event loop."""

from deblock.rules.model import Blocking, Returns, Rule, Yields

FILE = "io.IOBase"
PATH = "pathlib.Path"

RULES = (
    Rule(
        code="DBK201",
        name="blocking-open",
        family="files",
        message="`{target}` opens a file synchronously; use `aiofiles.open` or a thread",
        what="Finds `open()`, `io.open`, `codecs.open`, `gzip.open` (and `bz2`, `lzma`), "
        "`shelve.open` and `dbm.open` (and its modules' `open`) in a coroutine (not "
        "`os.fdopen`: it wraps a descriptor already open, with an `fstat` of it and no "
        "`open`; its reads and writes are reported).",
        why="Opening, reading and writing a file are disk system calls that hold the "
        "event loop; on network file systems they can take seconds.",
        example="async def save(path, text):\n    with open(path, 'w') as fh:\n        "
        "fh.write(text)",
        instead="async def save(path, text):\n    async with aiofiles.open(path, 'w') as fh:\n"
        "        await fh.write(text)",
        strategy="async-open",
        async_equivalent="ASYNC230",
    ),
    Rule(
        code="DBK202",
        name="blocking-file-method",
        family="files",
        message="`{target}` is synchronous file I/O; "
        "await it on an async handle or run it in a thread",
        what="Finds synchronous methods (`read`, `write`, `readlines`, iteration, ...) on "
        "file objects inside a coroutine, and those of shelves and `dbm` databases (`get`, "
        "`keys`, `close`, iteration, ...: they read and write the database's file). From "
        "Python 3.13 a new shelf or `dbm` database is an SQLite one, which works only in the "
        "thread that opened it: a fix moves its whole lifetime into one thread.",
        why="Each method call is a blocking system call executed on the event loop's thread.",
        example="async def head(fh: TextIO):\n    return fh.readline()",
        instead="async def head(fh: TextIO):\n    return await asyncio.to_thread(fh.readline)",
        strategy="to-thread",
        async_equivalent="ASYNC232",
    ),
    Rule(
        code="DBK203",
        name="blocking-path-io",
        family="files",
        message="`{target}` touches the file system synchronously; run it in a thread",
        what="Finds `pathlib.Path` methods that do I/O (`read_text`, `write_bytes`, "
        "`exists`, `mkdir`, `iterdir`, `glob`, ...) inside a coroutine.",
        why="These methods call the operating system and block the event loop while it answers.",
        example="async def load(p: Path):\n    return p.read_text()",
        instead="async def load(p: Path):\n    return await asyncio.to_thread(p.read_text)",
        strategy="to-thread",
        async_equivalent="ASYNC240",
    ),
    Rule(
        code="DBK204",
        name="blocking-serialisation-io",
        family="files",
        message="`{target}` reads or writes a file synchronously; run it in a thread",
        what="Finds `json.load`/`json.dump`, `pickle.load`/`pickle.dump` (and those of "
        "`marshal`, `plistlib` and `tomllib`), `hashlib.file_digest`, a `configparser` "
        "parser's `read`, `read_file` and `write`, pandas' readers "
        "and writers (`read_csv`, `DataFrame.to_parquet`, ...) and NumPy's (`load`, `save`, "
        "`loadtxt`, ...) in a coroutine, but for those handed an in-memory buffer "
        "(`io.StringIO`, `io.BytesIO`) or a standard stream (`sys.stdout`, whose writes are "
        "not counted as blocking: `json.dump(x, sys.stdout)` as `sys.stdout.write`), and a "
        "writer handed no file (`to_csv()` returns the text).",
        why="They read or write the whole file on the event loop's thread.",
        example="async def save(data, fh):\n    json.dump(data, fh)",
        instead="async def save(data, fh):\n    await asyncio.to_thread(json.dump, data, fh)",
        strategy="to-thread",
    ),
)

_FILE_METHODS = (
    "read",
    "readline",
    "readlines",
    "readinto",
    "read1",
    "readinto1",
    "peek",
    "write",
    "writelines",
    "flush",
    "seek",
    "tell",
    "truncate",
    "close",
)
_PATH_IO = (
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "exists",
    "is_file",
    "is_dir",
    "is_symlink",
    "mkdir",
    "rmdir",
    "unlink",
    "touch",
    "rename",
    "replace",
    "stat",
    "lstat",
    "chmod",
    "owner",
    "group",
    "resolve",
    "samefile",
    "readlink",
    "symlink_to",
    "hardlink_to",
)
# Path methods returning a generator that touches the file system as it is iterated.
LAZY_PATH_IO = ("glob", "rglob", "walk")
# Python 3.13's Path.iterdir lists the directory when called; before, as iterated.
ITERDIR_EAGER_FROM = (3, 13)
# Modules whose ``open`` opens a compressed file (``gzip.open(path)``).
_COMPRESSED = ("gzip", "bz2", "lzma")
# dbm's openers (``dbm.open`` picks one by the file's kind; a new file is an SQLite database
# from Python 3.13, whose connection works only in the thread that opened it, as does the
# shelf over it: ``SHELF`` and ``DBM`` are thread-affine).
_DBM_OPENERS = ("open", "sqlite3.open", "gnu.open", "ndbm.open", "dumb.open")
SHELF = "shelve.DbfilenameShelf"
DBM = "dbm.sqlite3._Database"
_TYPED_FILES = (
    "typing.IO",
    "typing.TextIO",
    "typing.BinaryIO",
    "io.TextIOWrapper",
    "io.BufferedReader",
    "io.BufferedWriter",
    "io.BufferedRandom",
    "io.FileIO",
    "io.TextIOBase",
    "io.RawIOBase",
    "io.BufferedIOBase",
    "tempfile._TemporaryFileWrapper",
)

# Functions that read or write a whole file object, by the name of its parameter (``dump``s
# take it second).
_SERIALISERS = {
    **{f"{module}.load": "fp" for module in ("json", "plistlib", "tomllib")},
    **{f"{module}.dump": "fp" for module in ("json", "plistlib")},
    **{f"{module}.{name}": "file" for module in ("pickle", "marshal") for name in ("load", "dump")},
    "hashlib.file_digest": "fileobj",
}
# A configuration parser's methods that read files by name, or read or write a file object.
PARSERS = ("configparser.RawConfigParser", "configparser.ConfigParser")
_PARSER_FILES = {"read": None, "read_file": "f", "write": "fp"}

BLOCKING = (
    Blocking("builtins.open", "DBK201", async_twin="aiofiles.open"),
    Blocking("io.open", "DBK201", async_twin="aiofiles.open"),
    Blocking("io.open_code", "DBK201"),
    Blocking("codecs.open", "DBK201"),
    *(Blocking(f"{codec}.open", "DBK201") for codec in _COMPRESSED),
    Blocking("shelve.open", "DBK201"),
    *(Blocking(f"dbm.{name}", "DBK201") for name in _DBM_OPENERS),
    *(Blocking(f"{database}.*", "DBK202") for database in (SHELF, DBM)),
    *(Blocking(f"{FILE}.{name}", "DBK202") for name in _FILE_METHODS),
    Blocking(
        f"{FILE}.__iter__",
        "DBK202",
        message="iterating over `{target}` reads a file synchronously; use an async "
        "handle or a thread",
    ),
    *(Blocking(f"{PATH}.{name}", "DBK203") for name in _PATH_IO),
    *(Blocking(f"{PATH}.{name}", "DBK203", lazy_result=True) for name in LAZY_PATH_IO),
    Blocking(f"{PATH}.iterdir", "DBK203", lazy_result=True, eager_from=ITERDIR_EAGER_FROM),
    *(
        Blocking(name, "DBK204", over=(file, "#1" if name.endswith(".dump") else "#0"))
        for name, file in _SERIALISERS.items()
    ),
    *(
        Blocking(f"{cls}.{name}", "DBK204", over=(file, "#0") if file else ())
        for cls in PARSERS
        for name, file in _PARSER_FILES.items()
    ),
)

RETURNS = (
    Returns("shelve.open", SHELF),
    *(Returns(f"dbm.{name}", DBM) for name in ("open", "sqlite3.open")),
    Returns("builtins.open", FILE),
    *(Returns(f"{codec}.open", FILE) for codec in _COMPRESSED),
    Returns("io.open", FILE),
    Returns("codecs.open", FILE),
    Returns("os.fdopen", FILE),
    Returns(f"{PATH}.open", FILE),
    *(Returns(name, FILE) for name in _TYPED_FILES),
    *(Returns(name, PATH) for name in ("pathlib.PosixPath", "pathlib.WindowsPath")),
    *(
        Returns(f"{PATH}.{name}", PATH)
        for name in (
            "with_name",
            "with_suffix",
            "joinpath",
            "resolve",
            "absolute",
            "expanduser",
            "relative_to",
            "with_stem",
        )
    ),
    *(Returns(f"{PATH}.{name}", PATH, attribute=True) for name in ("parent",)),
    *(Yields(f"{PATH}.{name}", PATH) for name in ("iterdir", "glob", "rglob")),
)

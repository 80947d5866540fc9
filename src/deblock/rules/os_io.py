"""DBK3xx: operating-system and temporary-file I/O on the event loop."""

from deblock.rules.model import Blocking, Returns, Rule

RULES = (
    Rule(
        code="DBK301",
        name="blocking-os-call",
        family="os",
        message="`{target}` touches the file system synchronously; run it in a thread",
        what="Finds `os`, `os.path`, `shutil`, `glob` and `filecmp` functions that touch the "
        "file system (`makedirs`, `remove`, `listdir`, `stat`, `exists`, `copy`, `rmtree`, "
        "`glob`, ...) in a coroutine, and `zipfile`/`tarfile` archives opened over a path or a "
        "file (their opening, `read`, `writestr`, iteration, ...; over an `io.BytesIO` only "
        "`extractall`, `add` and the others that touch other files), and TLS contexts loading "
        "certificates (`ssl.create_default_context()` reads the system's trust store, "
        "`SSLContext.load_verify_locations`, `load_cert_chain`, ...; not those handed as "
        "`cadata`; an `httpx.AsyncClient()` or `AsyncHTTPTransport()` makes one each time, "
        "unless given a `transport` or `verify`, and so does an async SDK client, such as "
        "`AsyncGroq()`, unless given its `http_client`) and time zones read from their files "
        "(`zoneinfo.ZoneInfo(key)`, the first time a key is asked for). Pure string "
        "operations (`os.path.join`, `basename`, ...) are not reported.",
        why="Every one of them is a system call that can wait on the disk, holding the event loop.",
        example="async def prepare(d):\n    os.makedirs(d, exist_ok=True)",
        instead="async def prepare(d):\n    await asyncio.to_thread(os.makedirs, d, exist_ok=True)",
        strategy="to-thread",
        async_equivalent="ASYNC240",
    ),
    Rule(
        code="DBK302",
        name="blocking-tempfile",
        family="os",
        message="`{target}` creates a temporary file synchronously; run it in a thread",
        what="Finds `tempfile` functions and classes that create files or "
        "directories in a coroutine.",
        why="They create (and on close delete) files on disk from the event loop's thread.",
        example="async def scratch():\n    return tempfile.mkdtemp()",
        instead="async def scratch():\n    return await asyncio.to_thread(tempfile.mkdtemp)",
        strategy="to-thread",
    ),
    Rule(
        code="DBK303",
        name="blocking-descriptor-io",
        family="os",
        message="`{target}` does I/O on a raw file descriptor synchronously; run it in a thread",
        what="Finds `os` functions that read, write, sync, lock or close a raw file descriptor "
        "(`os.read`, `os.write`, `os.fsync`, `os.close`, `os.sendfile`, ...) in a coroutine.",
        why="A descriptor may be a disk file, a pipe or a device: reading or writing it waits "
        "for the other end, and syncing or closing it can wait for the disk to flush.",
        example="async def append(fd, data):\n    os.write(fd, data)",
        instead="async def append(fd, data):\n    await asyncio.to_thread(os.write, fd, data)",
        strategy="to-thread",
    ),
)

# os functions returning an iterator that reads directories as it is iterated.
LAZY_OS = ("scandir", "walk", "fwalk")
_OS = (
    "makedirs",
    "mkdir",
    "remove",
    "unlink",
    "rmdir",
    "removedirs",
    "rename",
    "renames",
    "replace",
    "listdir",
    "stat",
    "lstat",
    "chmod",
    "chown",
    "lchown",
    "link",
    "symlink",
    "readlink",
    "utime",
    "access",
    "truncate",
    "mkfifo",
    "open",
    "statvfs",
    "chdir",
    "getcwd",
    "getcwdb",
)
DESCRIPTOR_IO = (
    "read",
    "readv",
    "pread",
    "preadv",
    "write",
    "writev",
    "pwrite",
    "pwritev",
    "sendfile",
    "copy_file_range",
    "splice",
    "fsync",
    "fdatasync",
    "ftruncate",
    "fstat",
    "fstatvfs",
    "fchmod",
    "fchown",
    "posix_fallocate",
    "lockf",
    "close",
    "closerange",
)
_OS_PATH = (
    "exists",
    "lexists",
    "isfile",
    "isdir",
    "islink",
    "ismount",
    "getsize",
    "getmtime",
    "getatime",
    "getctime",
    "samefile",
    "sameopenfile",
    "realpath",
    "_joinrealpath",  # realpath's helper: it does the lstat and readlink calls
)
_SHUTIL = (
    "copy",
    "copy2",
    "copyfile",
    "copyfileobj",
    "copymode",
    "copystat",
    "copytree",
    "rmtree",
    "move",
    "disk_usage",
    "chown",
    "which",
    "make_archive",
    "unpack_archive",
)
# Not ``SpooledTemporaryFile``: it starts in memory (``io.BytesIO``), and only a write past
# its ``max_size`` rolls it over to disk (its methods are file I/O, from ``RETURNS``).
_TEMPFILE = (
    "NamedTemporaryFile",
    "TemporaryFile",
    "mkstemp",
    "mkdtemp",
    "TemporaryDirectory",
)

# Calls that open an archive, with the places of the argument giving what it is opened
# over, the first one handed deciding (``tarfile.open``'s ``fileobj`` wins over its name):
# a path or a file does I/O on every use, an in-memory buffer (``io.BytesIO``) none.
ARCHIVE_OPENERS = {
    "zipfile.ZipFile": ("file", "#0"),
    **{
        opener: ("fileobj", "#2", "name", "#0")
        for opener in ("tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open")
    },
}
# The class of an archive opened over an in-memory buffer, by that of one over a file.
ARCHIVE_IN_MEMORY = {
    "zipfile.ZipFile": "zipfile.ZipFile.in_memory",
    "tarfile.TarFile": "tarfile.TarFile.in_memory",
}
# Archive methods that read or write the archive's own file (a zip file's directory is
# read when it is opened: ``namelist``, ``infolist`` and ``getinfo`` do no I/O; a tar
# file's members are read as they are reached).
_ARCHIVE_IO = {
    "zipfile.ZipFile": ("read", "open", "writestr", "testzip", "mkdir", "close"),
    "tarfile.TarFile": (
        "getmember",
        "getmembers",
        "getnames",
        "next",
        "list",
        "extractfile",
        "addfile",
        "close",
    ),
}
# Archive methods that read or write other files, whatever the archive is opened over.
_ARCHIVE_FILES = {
    "zipfile.ZipFile": ("write", "extract", "extractall"),
    "tarfile.TarFile": ("add", "gettarinfo", "extract", "extractall"),
}
ARCHIVE_FILE_METHODS = frozenset(
    f"{made}.{name}"
    for cls, names in _ARCHIVE_FILES.items()
    for made in (cls, ARCHIVE_IN_MEMORY[cls])
    for name in names
)

BLOCKING = (
    *(Blocking(f"os.{name}", "DBK301") for name in _OS),
    *(Blocking(f"os.{name}", "DBK301", lazy_result=True) for name in LAZY_OS),
    *(Blocking(f"os.{name}", "DBK303") for name in DESCRIPTOR_IO),
    *(Blocking(f"os.path.{name}", "DBK301") for name in _OS_PATH),
    # relative to the working directory it asks for (``os.getcwd``); an explicit ``start``
    # may be absolute
    Blocking("os.path.relpath", "DBK301", unless_kwargs=("start",), max_positional=1),
    *(Blocking(f"shutil.{name}", "DBK301") for name in _SHUTIL),
    *(Blocking(f"tempfile.{name}", "DBK302") for name in _TEMPFILE),
    Blocking("glob.glob", "DBK301"),
    Blocking("glob.iglob", "DBK301", lazy_result=True),
    Blocking("filecmp.cmp", "DBK301"),
    Blocking("filecmp.cmpfiles", "DBK301"),
    *(Blocking(opener, "DBK301", over=over) for opener, over in ARCHIVE_OPENERS.items()),
    *(Blocking(f"{cls}.{name}", "DBK301") for cls, names in _ARCHIVE_IO.items() for name in names),
    Blocking(
        "tarfile.TarFile.__iter__",
        "DBK301",
        message="iterating over `{target}` reads the archive synchronously; run it in a thread",
    ),
    *(Blocking(target, "DBK301") for target in sorted(ARCHIVE_FILE_METHODS)),
)

RETURNS = (
    Returns("tempfile.NamedTemporaryFile", "io.IOBase"),
    Returns("tempfile.TemporaryFile", "io.IOBase"),
    Returns("tempfile.SpooledTemporaryFile", "io.IOBase"),
    Returns("tarfile.open", "tarfile.TarFile"),
    Returns("tarfile.TarFile.open", "tarfile.TarFile"),
    # an archive's member, read as it is read (over a file: from the file)
    Returns("zipfile.ZipFile.open", "io.IOBase"),
    Returns("tarfile.TarFile.extractfile", "io.IOBase"),
)

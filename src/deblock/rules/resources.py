"""What blocking calls touch: shared resources, their reads, and thread-affine types.

The analyzer uses these facts to find sections of a coroutine that read and write the
same resource (they must stay atomic for concurrent callers once a fix adds an await)
and values that must stay in the thread that made them.
"""

import re
from typing import NamedTuple

from deblock.rules.dataframes import NUMPY_READERS, READERS
from deblock.rules.dbapi_drivers import NOT_THREAD_SAFE as DRIVERS_NOT_THREAD_SAFE
from deblock.rules.files import DBM, FILE, PARSERS, PATH, SHELF
from deblock.rules.network import PROTOCOL_CLIENTS, SHARED_SQLITE
from deblock.rules.os_io import DESCRIPTOR_IO
from deblock.rules.service_clients import NOT_THREAD_SAFE as CLIENTS_NOT_THREAD_SAFE
from deblock.rules.system_data import CONTEXT, CONTEXT_LOADS, SYSTEM_ONLY, ZONE

FILE_SYSTEM = "the file system"
DATABASE = "the database"
SERVER = "the server"

# Rule code -> the resource its calls touch. Paths alias (joins, directories, symlinks),
# so the file system counts as one resource; so does a server the standard library's
# protocol clients talk to (an XML-RPC service, an FTP tree, a mailbox), whatever
# connection a call goes through, as a database does (fix_fuzz --proxies 440145: a call's
# own proxy beside the shared one's count and insert).
RESOURCE_OF_CODE = {
    "DBK201": FILE_SYSTEM,
    "DBK202": FILE_SYSTEM,
    "DBK203": FILE_SYSTEM,
    "DBK204": FILE_SYSTEM,
    "DBK301": FILE_SYSTEM,
    "DBK303": FILE_SYSTEM,
    "DBK503": DATABASE,
    "DBK604": DATABASE,
    "DBK505": SERVER,
}
# The modules whose protocol clients' calls touch the server through any client. A
# third-party client's (paramiko's, pika's, kafka's, docker's) touch it through a client
# the coroutine made (``own``: two calls' own SSH clients to one host,
# ``paramiko_own_counter``), or through a shared one in a run that calls an own client of
# its library too (the two may talk to one server: ``kafka_own_beside_shared``); else
# through a shared one the client's name is the resource written (``NOT_THREAD_SAFE``),
# as one server for every call declined fixes the runtime harness shows right, for other
# rules' reasons (``pika_shared_channel``'s endless ``consume`` in the section).
SERVER_MODULES = frozenset(c.partition(".")[0] for c in PROTOCOL_CLIENTS)
# Clients of databases kept in files, by module: a sqlite3 database is a file (``connect``
# makes it when missing), with a journal beside it while a transaction writes (in WAL mode
# a log and an index while a connection reads), which listings and stats see: their calls
# touch the file system, not a server's database, and write it but to fetch rows.
FILE_DATABASES = frozenset({"sqlite3"})

# Calls that make a file no other caller uses (a new temporary file): neither they nor
# the methods of what they return touch a shared resource.
PRIVATE_FILE_CODES = frozenset({"DBK302"})
# Where each of them is given the directory to make its file in (``dir``, by place): a file
# made in a directory the caller names (``dir=root``) is seen by every listing of that
# directory, so it is the caller's own only where made in the system's temporary directory.
MADE_IN = {
    **{f"tempfile.{name}": 2 for name in ("mkstemp", "mkdtemp", "TemporaryDirectory")},
    **{f"tempfile.{name}": 6 for name in ("NamedTemporaryFile", "TemporaryFile")},
}
# Calls on one open descriptor, their first argument: the others are data, offsets, sizes.
ONE_DESCRIPTOR = frozenset(f"os.{name}" for name in DESCRIPTOR_IO) - {
    "os.sendfile",
    "os.copy_file_range",
    "os.splice",
}
# So do calls that open a database by one of these names (a first argument or ``database``):
# sqlite3's in memory, or in a temporary file deleted when it closes, each connection's own.
PRIVATE_DATABASES = {"sqlite3.connect": frozenset({":memory:", ""})}

# Calls that only read their resource; every other call of a resource writes it.
_READS = {
    FILE: "read readline readlines readinto read1 readinto1 peek tell seek __iter__",
    PATH: "read_text read_bytes exists is_file is_dir is_symlink iterdir glob rglob walk "
    "stat lstat owner group resolve samefile readlink",
    "os": "listdir scandir walk fwalk stat lstat readlink access statvfs getcwd getcwdb "
    "read readv pread preadv fstat fstatvfs",
    "os.path": "exists lexists isfile isdir islink ismount getsize getmtime getatime "
    "getctime samefile realpath _joinrealpath relpath",
    "shutil": "disk_usage which",
    **{module: "load" for module in ("json", "pickle", "marshal", "plistlib", "tomllib")},
    "hashlib": "file_digest",
    **{parser: "read read_file" for parser in PARSERS},
    CONTEXT: " ".join(CONTEXT_LOADS),
    ZONE: "from_file",
    "pandas": " ".join(READERS),
    "numpy": " ".join(NUMPY_READERS),
    # what a query found, fetched: its statement (and any journal or log) is already open
    "sqlite3.Cursor": "fetchone fetchmany fetchall",
    "sqlite3.Connection": "cursor",
}
_READS.update({SHARED_SQLITE[cls]: _READS[cls] for cls in SHARED_SQLITE})
READS = frozenset(f"{owner}.{name}" for owner, names in _READS.items() for name in names.split())


def resource_of(code: str, target: str, own: bool = False) -> str | None:
    """The shared resource a blocking call of ``target`` (found by rule ``code``) touches;
    ``own``: whether it goes through no shared state (a client its function made), or a
    shared client beside such a client of its library in one run."""
    if target in SYSTEM_ONLY:
        return None
    resource = RESOURCE_OF_CODE.get(code)
    if resource == DATABASE and target.partition(".")[0] in FILE_DATABASES:
        return FILE_SYSTEM
    if resource == SERVER and not own and target.partition(".")[0] not in SERVER_MODULES:
        return None
    return resource


# Calls that open a file, with the position of their ``mode`` argument: they read
# when the mode has none of ``w``, ``a``, ``x``, ``+``.
OPENS = {"builtins.open": 1, "io.open": 1, "codecs.open": 1, f"{PATH}.open": 0}

# Methods that change the object they are called on (a list, dict, set, deque, an
# ``OrderedDict``'s ``move_to_end``, a ``Counter``'s ``subtract``, ...).
MUTATING_METHODS = frozenset(
    {
        "append",
        "appendleft",
        "extend",
        "extendleft",
        "insert",
        "pop",
        "popleft",
        "popitem",
        "remove",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
        "move_to_end",
        "subtract",
        "sort",
        "reverse",
        "rotate",
    }
)

# Containers whose methods change an instance only by a name of ``MUTATING_METHODS``: a
# method of another name called on one handed to a helper (``table.get(key)``, ``.copy()``)
# changes nothing, whatever the project's classes name alike (``?.get``); its items stored,
# and a ``defaultdict``'s items read (``ITEM_READ_INSERTS``), are counted apart. Trusted only for
# an instance a call of the class itself made (``Resolver.made_by``): not a subclass's, nor
# a name annotated with one.
PLAIN_CONTAINERS = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.set",
        "builtins.frozenset",
        "collections.OrderedDict",
        "collections.Counter",
        "collections.deque",
        "collections.defaultdict",
    }
)

# Containers whose item read changes them: ``table[key]`` of a ``defaultdict`` inserts a
# missing key. Any type the resolver gives a value counts, a declared one too (an annotation
# is no proof, but a wrong guess only declines a fix): such a read writes it.
ITEM_READ_INSERTS = frozenset({"collections.defaultdict", "typing.DefaultDict"})

# Library functions that take the next token of their first argument (``next(CALLS)`` of a
# shared ``itertools.count()``): the tasks' calls come in the order they took them.
TOKEN_TAKERS = frozenset({"builtins.next"})

# Library functions that change their first argument in place (a list).
ARGUMENT_CHANGERS = frozenset(
    {
        "heapq.heappush",
        "heapq.heappop",
        "heapq.heapify",
        "heapq.heappushpop",
        "heapq.heapreplace",
        "random.shuffle",
        "bisect.insort",
        "bisect.insort_left",
        "bisect.insort_right",
    }
)

# Callees that register the callable they are handed, to run it later, not during the call.
# At an exit: an exit stack's callbacks run as its ``with`` ends (``raced_cleanup`` weighs
# what they change there), a test's finalizers at its teardown; known by the method's name
# too where the receiver's type is not (a stack handed to a helper: ``stack.callback(
# SENT.append, path)``). (``atexit.register``, ``weakref.finalize`` and ``signal.signal``
# are a library's functions: what they are handed never counts as called.)
_RUN_AT_EXIT = {
    "contextlib.ExitStack": "callback push",
    "contextlib.AsyncExitStack": "callback push push_async_callback push_async_exit",
    "_pytest.fixtures.FixtureRequest": "addfinalizer",
}
EXIT_REGISTRARS = frozenset(name for names in _RUN_AT_EXIT.values() for name in names.split())
# On a later turn of the event loop (a handle's, a future's callbacks), whatever the
# receiver: the callable runs at the caller's first suspension after the call, which an
# await a fix adds after it is; what it touches counts at the call (``loop.call_soon(
# COUNTER.add)``, though the loop is the library's).
RUN_ON_A_LATER_TURN = frozenset({"call_soon", "call_later", "call_at", "add_done_callback"})


class Handed(NamedTuple):
    """Where a library's function takes the callable it calls: its places (``#0``, the first
    positional argument; ``key``, a keyword), and whether it calls it lazily, as its result is
    iterated (``map``), not at once (``sorted``)."""

    places: tuple[str, ...]
    lazy: bool = False
    given: str | None = None  # a place the call calls it only with (``iter``'s sentinel)
    over: str | None = None  # the place of what it calls it with each element of (``map``)


_KEY, _FIRST = Handed(("key",)), Handed(("#0",))
_LAZY_FIRST, _LAZY_KEY = Handed(("#0",), lazy=True), Handed(("#1", "key"), lazy=True)
_KEY_OVER_FIRST, _LAZY_OVER_SECOND = Handed(("key",), over="#0"), _LAZY_FIRST._replace(over="#1")
# A library's functions that call the function they are handed (``list(map(ITEMS.append,
# xs))``, ``sorted(xs, key=record)``; ``.sort``: a library's method of that name, whatever
# its receiver, as a list's): what it touches counts at the call, and a lazy result's also
# where a name holding it is used (it is iterated there).
HANDED_CALLERS = {
    **dict.fromkeys(("builtins.map", "builtins.filter"), _LAZY_OVER_SECOND),
    "itertools.starmap": _LAZY_FIRST,
    "itertools.filterfalse": _LAZY_OVER_SECOND,
    **dict.fromkeys(("itertools.takewhile", "itertools.dropwhile"), _LAZY_OVER_SECOND),
    "itertools.groupby": _LAZY_KEY._replace(over="#0"),
    "itertools.accumulate": Handed(("#1", "func"), lazy=True),
    "heapq.merge": Handed(("key",), lazy=True),
    **dict.fromkeys(("builtins.sorted", "builtins.min", "builtins.max"), _KEY_OVER_FIRST),
    **dict.fromkeys((".sort", "heapq.nsmallest", "heapq.nlargest"), _KEY),
    **dict.fromkeys(("bisect.insort", "bisect.insort_left", "bisect.insort_right"), _KEY),
    **dict.fromkeys(("bisect.bisect", "bisect.bisect_left", "bisect.bisect_right"), _KEY),
    "functools.reduce": _FIRST,
    "builtins.iter": Handed(("#0",), lazy=True, given="#1"),  # ``iter(read, b"")``
}
# A library's functions whose result calls the callable they are handed where it is used as
# a key (``sorted(xs, key=functools.cmp_to_key(compare))``): it touches what that touches.
KEY_WRAPPERS = frozenset({"functools.cmp_to_key"})
# A library's functions whose result calls a method of each object it is called with
# (``operator.methodcaller("append", 1)``): called, or handed to a function that calls it
# (``map(caller, [ITEMS])``), it may change what the call's other arguments hold.
METHOD_CALLERS = frozenset({"operator.methodcaller"})
# Methods a ``METHOD_CALLERS``' result may name that change nothing of what it is applied
# to, a ``str``'s, ``bytes``' or builtin container's (``methodcaller("upper")``): it only
# reads that. Known by the name alone, as a direct call's ``MUTATING_METHODS`` are; a name
# another object's method may share and change it with (``get``: a queue's takes an item,
# ``join``: a thread's waits) is left out, and so is a method of I/O (``read_text``).
READ_ONLY_METHODS = frozenset(
    "capitalize casefold center count decode encode endswith expandtabs find format format_map "
    "index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric "
    "isprintable isspace istitle isupper ljust lower lstrip partition removeprefix "
    "removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines "
    "startswith strip swapcase title translate upper zfill copy keys values items "
    "difference intersection union symmetric_difference isdisjoint issubset issuperset".split()
)

# The name of a thread helper a fix makes (``_save_in_thread``, ``_save_in_thread_2``):
# the codemods name every helper so (``threaded`` in deblock.codemods.blocks).
FIX_HELPER = re.compile(r"_\w*_in_thread(?:_\d+)?")

# The lock the sections of several modules of one package share: ``lock`` of the package's
# module ``_deblock_lock`` (``deblock.project.common_lock``), that a fix imports.
LOCK_MODULE, LOCK_NAME = "_deblock_lock", "lock"

# Objects not safe to use from several threads at once (requests documents its Session
# so, psycopg its cursors; a socket's sends and receives would interleave): a call on one
# that the coroutines share changes it, so calls on it moved into threads are serialised
# like other writes.
NOT_THREAD_SAFE = frozenset(
    {
        "requests.Session",
        "socket.socket",
        "psycopg.Cursor",
        "psycopg2.extensions.cursor",
        *DRIVERS_NOT_THREAD_SAFE,  # cursors; MySQL's and SQL Server's connections
        # a conversation with a server: commands from two callers must not interleave
        *PROTOCOL_CLIENTS,
        *CLIENTS_NOT_THREAD_SAFE,
        # an open file's position: one caller's seek and another's read must not interleave
        FILE,
        # a sqlite3 connection any thread may use: one at a time
        *SHARED_SQLITE.values(),
    }
)

# Objects made over another that they act on, by their maker, with the places of the
# maker's argument holding it, the first one handed deciding: a call of the made object, or
# of its method, acts on that argument, which the state analysis takes for a write of it (a
# ``MultiCall`` sends the calls it gathered on its server's connection; a ``csv.writer``, a
# text or buffered stream, a pickler or a compressed stream over a file object moves its
# position). Not an archive named by a path or a file (``zipfile.ZipFile(file)``), whose
# path would be taken for state written; nor readers only iterated (``csv.reader``).
MADE_OVER = {
    "xmlrpc.client.MultiCall": ("server", "#0"),
    "csv.writer": ("#0",),
    "csv.DictWriter": ("f", "#0"),
    "io.TextIOWrapper": ("buffer", "#0"),
    **{
        f"io.{cls}": ("raw", "#0") for cls in ("BufferedReader", "BufferedWriter", "BufferedRandom")
    },
    **{f"pickle.{cls}": ("file", "#0") for cls in ("Pickler", "Unpickler")},
    "gzip.GzipFile": ("fileobj", "#3"),
    **{opener: ("fileobj", "#2") for opener in ("tarfile.open", "tarfile.TarFile.open")},
}

# Context managers whose ``with maker(...) as name`` binds an argument they were handed,
# with its places (``contextlib.nullcontext(ITEMS) as box``: ``box`` is ``ITEMS``).
ENTERS_ARGUMENT = {"contextlib.nullcontext": ("enter_result", "#0")}
# Methods that enter the manager they are handed and return what it enters to (contextlib's
# ``ExitStack``/``AsyncExitStack``), by name: a stack an ``async with`` made is not typed.
STACK_ENTERS = frozenset({"enter_context", "enter_async_context"})

# Objects that may only be used in the thread that made them.
THREAD_AFFINE = frozenset({"sqlite3.Connection", "sqlite3.Cursor", SHELF, DBM})

# Calls that act on the thread or the context running them: in a worker thread they act on
# another (the copy of the context the thread runs in: a ``ContextVar.set`` there is lost
# when it returns; the worker's own decimal context and identity) or fail (signal handlers
# are set in the main thread only).
THREAD_BOUND_CALLS = frozenset(
    {
        "contextvars.ContextVar.set",
        "contextvars.ContextVar.reset",
        "decimal.getcontext",
        "decimal.setcontext",
        "decimal.localcontext",
        "threading.current_thread",
        "threading.get_ident",
        "threading.get_native_id",
        "signal.signal",
        "signal.set_wakeup_fd",
        "signal.pthread_sigmask",
    }
)
# What needs the event loop of the thread that calls it: made in a worker thread, it finds
# no loop running there (``get_running_loop``, ``create_task``), or another loop, or acts
# on the loop from a thread it does not know (``call_soon``, ``Future.set_result``). Every
# call of an async library's but its names made for other threads (``from_thread``,
# ``call_soon_threadsafe``, and what they return: ``run_coroutine_threadsafe().result``),
# its predicates and its exceptions; and the loop calls of a library built on one
# (tornado's ``IOLoop.current()`` gets or makes the thread's loop).
LOOP_LIBRARIES = frozenset({"asyncio", "trio", "anyio"})
LOOP_CALLS = frozenset({"tornado.ioloop.IOLoop.current", "tornado.ioloop.IOLoop.instance"})
ANY_THREAD = frozenset(
    {
        "run_coroutine_threadsafe",
        "call_soon_threadsafe",
        "from_thread",
        "iscoroutine",
        "iscoroutinefunction",
        "isfuture",
    }
)


def needs_loop(qualname: str) -> bool:
    """Whether a call of ``qualname`` needs the event loop of the thread making it."""
    root, _, rest = qualname.partition(".")
    if root not in LOOP_LIBRARIES:
        return qualname in LOOP_CALLS
    names = [name.removesuffix("()") for name in rest.split(".")]  # what a call returns
    return not (names[-1].endswith("Error") or ANY_THREAD.intersection(names))


def call_bound(callee: str) -> str | None:
    """Why a call of ``callee`` must run on the event loop's thread, if it must."""
    if callee in THREAD_BOUND_CALLS:
        return f"`{callee}` acts on the thread or context that runs it"
    if callee in PROCESS_STATE_CALLS:
        return f"`{callee}` changes what the loop's other tasks see meanwhile"
    if needs_loop(callee):
        return f"`{callee}` must stay on the event loop"
    return None


# Locks of threads: held on the event loop's thread across an await, the next task to take
# one blocks the loop for good.
THREAD_LOCKS = (
    "threading.Lock",
    "threading.RLock",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
    "threading.Condition",
)
# asyncio's locks: acquiring a free one returns without yielding, and releasing one never
# yields (anyio's and trio's checkpoint on every acquire). A ``Condition`` made with no lock
# holds one of its own.
ASYNC_LOCKS = frozenset(
    {"asyncio.Lock", "asyncio.Semaphore", "asyncio.BoundedSemaphore", "asyncio.Condition"}
)
OWN_LOCK = "asyncio.Condition"
# Classes whose instances hold data per thread: a worker thread sees its own.
THREAD_LOCAL = frozenset({"threading.local", "_threading_local.local"})
# Calls that change what the whole process sees (its working directory, environment,
# standard streams, warning filters, locale): in a worker thread, the loop's other tasks
# would run meanwhile under the change that, on the loop, no task ever saw.
PROCESS_STATE_CALLS = frozenset(
    {
        "os.chdir",
        "os.fchdir",
        "os.umask",
        "os.putenv",
        "os.unsetenv",
        "os.environ.update",
        "os.environ.pop",
        "os.environ.setdefault",
        "os.environ.clear",
        "contextlib.redirect_stdout",
        "contextlib.redirect_stderr",
        "warnings.catch_warnings",
        "warnings.filterwarnings",
        "warnings.simplefilter",
        "warnings.resetwarnings",
        "locale.setlocale",
        "socket.setdefaulttimeout",
        "time.tzset",
    }
)


def shown_resource(resource: str) -> str:
    """A resource as reasons name it: ``the file system``, or code in backticks."""
    return resource if resource.startswith("the ") else f"`{resource}`"

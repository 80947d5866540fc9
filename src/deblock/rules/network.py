"""DBK5xx: network, SDK and database clients used synchronously on the event loop."""

from deblock.rules.model import Blocking, Returns, Rule

RULES = (
    Rule(
        code="DBK501",
        name="blocking-http",
        family="network",
        message="`{target}` is a synchronous HTTP request; use an async client or a thread",
        what="Finds `requests` (functions and `Session` methods), `httpx` and `httpx2` module "
        "functions and `Client` methods (`close()` too), `urllib.request.urlopen`, "
        "`urlretrieve` and openers' `open`, the request methods of `urllib3` and its "
        "pools and pool managers, boto3 clients' operations (and the reads of a streamed "
        "answer's body, `s3.get_object(...)['Body'].read()`, the pages of a paginator's "
        "`paginate` as they are iterated, a waiter's `wait`), the actions of boto3 "
        "resources (`s3.Object(b, k).get()`, `bucket.upload_file(...)`, not their "
        "sub-resources, `s3.Bucket(b)`), their collections as they are iterated "
        "(`for o in bucket.objects.all()`) and batch actions (`bucket.objects.delete()`), "
        "their `meta.client`'s operations, the first read of an attribute that loads a "
        "resource its constructor made (`obj = s3.Object(b, k)`, then `obj.content_length`; "
        "no fix), and `httplib2.Http.request` in a coroutine. `urlopen` of a `data:` URI "
        "decodes it in memory: not a string or "
        "f-string that starts so, nor a parameter its function raises or returns unless it "
        'does (`if not uri.startswith("data:"): raise`), nor the reads of its response.',
        why="A synchronous request holds the event loop for the whole round trip, often "
        "hundreds of milliseconds, during which no other task runs.",
        example="async def fetch(url):\n    return requests.get(url).json()",
        instead="async def fetch(url):\n    return (await "
        "asyncio.to_thread(requests.get, url)).json()",
        strategy="to-thread",
        async_equivalent="ASYNC210",
    ),
    Rule(
        code="DBK502",
        name="blocking-sdk-client",
        family="network",
        message="`{target}` is a call on a synchronous SDK client; use `{twin}` or a thread",
        what="Finds API calls on synchronous SDK clients (`groq.Groq`, `together.Together`, "
        "`elevenlabs.ElevenLabs`, `openai.OpenAI`, `anthropic.Anthropic`) in a coroutine, "
        "including method chains such as `self.client.chat.completions.create(...)`.",
        why="The synchronous clients do blocking HTTP: every completion, transcription or "
        "synthesis holds the event loop for the whole provider "
        "latency.",
        example="async def reply(text):\n"
        "    return CLIENT.chat.completions.create(model=M, messages=text)",
        instead="CLIENT = AsyncGroq()\n\nasync def reply(text):\n    return await "
        "CLIENT.chat.completions.create(model=M, messages=text)",
        strategy="to-thread",
        unsafe_strategy="async-client",
    ),
    Rule(
        code="DBK503",
        name="blocking-database",
        family="network",
        message="`{target}` is a synchronous database call; use an async driver or a thread",
        what="Finds `sqlite3`, `psycopg`/`psycopg2`, PyMySQL, mysql-connector, pymssql, "
        "pyodbc, oracledb, `redis.Redis` and `pymongo.MongoClient` calls in a coroutine: "
        "connecting, commands, a redis pipeline's `execute`, a redis lock's `acquire`, "
        "`release`, `extend`, `reacquire`, `locked` and `owned`, a `with` block entering "
        "one (`with r.lock(k):`, or a lock a name holds), and a pymongo cursor where "
        "it is iterated (`find` makes it without a round trip). A lock keeps its token for "
        "the thread that took it: its calls move into one thread together, or get no fix.",
        why="Queries wait on disk or network while holding the event loop.",
        example="async def count(db):\n"
        "    return sqlite3.connect(db).execute('select 1').fetchone()",
        instead="async def count(db):\n    async with aiosqlite.connect(db) as conn:\n        ...",
        strategy="to-thread",
    ),
    Rule(
        code="DBK504",
        name="blocking-socket",
        family="network",
        message="`{target}` is blocking socket I/O; use asyncio streams or a thread",
        what="Finds blocking `socket` calls (`create_connection`, `getaddrinfo` and the other "
        "name lookups, `connect`, `recv`, `send`, `accept`, ...) and "
        "`ssl.get_server_certificate` in a coroutine.",
        why="A blocking socket waits for the peer on the event loop's thread.",
        example="async def ping(host):\n    socket.create_connection((host, 80))",
        instead="async def ping(host):\n    await asyncio.open_connection(host, 80)",
        strategy="to-thread",
    ),
    Rule(
        code="DBK505",
        name="blocking-protocol-client",
        family="network",
        message="`{target}` talks to a server synchronously; use an async client or a thread",
        what="Finds the standard library's synchronous protocol clients in a coroutine: "
        "`http.client` connections and responses (`urlopen`'s too, but a `data:` URI's), "
        "`smtplib.SMTP`, `ftplib.FTP`, "
        "`imaplib.IMAP4` and `poplib.POP3` (their TLS variants too): making one with a host "
        "(it connects) and calling its methods; the calls of an `xmlrpc.client` "
        "`ServerProxy` (each a request to the server) and of a `MultiCall`; and the "
        "third-party clients of paramiko (`SSHClient`, `SFTPClient`, and the reads and "
        "writes of the files `exec_command` returns and their channel's `recv_exit_status`), "
        "pika "
        "(`BlockingConnection` and its channels), kafka-python (`KafkaProducer`, "
        "`KafkaConsumer`) and docker (`DockerClient`, `docker.from_env()`), but their "
        "methods that do no I/O. A stream that waits for more without end (a channel's "
        "`consume`, the engine's `events`) gets no fix.",
        why="Each command is a round trip to the server on the event loop's thread: sending "
        "a mail can hold the loop for seconds.",
        example="async def notify(to, text):\n    with smtplib.SMTP('mail') as smtp:\n"
        "        smtp.sendmail('bot', to, text)",
        instead="async def notify(to, text):\n    await asyncio.to_thread(send_mail, to, text)",
        strategy="to-thread",
    ),
)

_HTTP_VERBS = ("request", "get", "post", "put", "patch", "delete", "head", "options")
HTTPX = ("httpx", "httpx2")  # httpx2: the maintained continuation of httpx, same API
_URLLIB3_POOLS = (
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
    "urllib3.HTTPConnectionPool",
    "urllib3.HTTPSConnectionPool",
    "urllib3.poolmanager.PoolManager",
    "urllib3.poolmanager.ProxyManager",
    "urllib3.connectionpool.HTTPConnectionPool",
    "urllib3.connectionpool.HTTPSConnectionPool",
    "urllib3.connectionpool.ConnectionPool",
    "urllib3.request.RequestMethods",
    "urllib3._request_methods.RequestMethods",
)
# The request methods, and closing (which closes the pooled connections, like Client.close()).
_URLLIB3_REQUESTS = (
    "request",
    "request_encode_url",
    "request_encode_body",
    "urlopen",
    "close",
    "clear",
)
SDKS = (
    ("groq.Groq", "groq.AsyncGroq"),
    ("together.Together", "together.AsyncTogether"),
    ("elevenlabs.ElevenLabs", "elevenlabs.AsyncElevenLabs"),
    ("elevenlabs.client.ElevenLabs", "elevenlabs.client.AsyncElevenLabs"),
    ("openai.OpenAI", "openai.AsyncOpenAI"),
    ("anthropic.Anthropic", "anthropic.AsyncAnthropic"),
)
# The SDK clients' copies with other options (``client.with_options(timeout=5)``), made
# without a request.
_SDK_COPIES = ("with_options", "copy")
_LAZY_SDK_CALLS = ("text_to_speech.convert", "text_to_speech.stream", "generate")
# A sqlite3 connection made with ``check_same_thread=False`` (``SHARED_OPENERS``: where the
# call takes it), and its cursors, may be used from any thread, and its transaction goes on
# across them; not from two at once (a second thread's statement inside the first's
# transaction fails): by the class of one made so, that of one that may not leave its thread.
SHARED_SQLITE = {
    "sqlite3.Connection": "sqlite3.Connection.shared",
    "sqlite3.Cursor": "sqlite3.Cursor.shared",
}
_REDIS_CLIENTS = ("redis.Redis", "redis.StrictRedis")
# A redis lock (``Redis.lock()``, ``redis.lock.Lock(client, name)``) is made without a round
# trip; each of these methods is one (``acquire`` retries until it gets the key; a ``with``
# block entering one takes it: ``__enter__``, whose exit releases it). The token
# ``acquire`` stores is kept per thread (``threading.local``): ``release``, ``extend``,
# ``reacquire`` and ``owned`` read the taking thread's (``TOKEN_CALLS``). Made with
# ``thread_local=False``, a lock keeps it on the object, for any thread: a class of its own.
REDIS_LOCK = "redis.lock.Lock"
TOKEN_CALLS = {REDIS_LOCK: ("acquire", "release", "extend", "reacquire", "owned")}
_REDIS_LOCK_CALLS = (*TOKEN_CALLS[REDIS_LOCK], "locked", "__enter__")
SHARED_MADE = {**SHARED_SQLITE, REDIS_LOCK: f"{REDIS_LOCK}.shared"}


def shown_name(qualname: str) -> str:
    """``qualname`` as its users name it: a call on an object made to be shared, which the
    analysis gives a class of its own (``SHARED_MADE``), named on its real class
    (``sqlite3.Cursor.shared.fetchone``: ``sqlite3.Cursor.fetchone``)."""
    for made, shared in SHARED_MADE.items():
        if qualname == shared or qualname.startswith(f"{shared}."):
            return made + qualname[len(shared) :]
    return qualname


SHARED_OPENERS = {
    "sqlite3.connect": ("check_same_thread", "#4"),
    **{f"{cls}.lock": ("thread_local", "#6") for cls in _REDIS_CLIENTS},
    REDIS_LOCK: ("thread_local", "#6"),
}
# The cursors a sqlite3 connection makes (``cursor()``, ``execute()``), by its class.
_SQLITE_CURSORS = {
    "sqlite3.Connection": "sqlite3.Cursor",
    SHARED_SQLITE["sqlite3.Connection"]: SHARED_SQLITE["sqlite3.Cursor"],
}
_DB_CLASSES = (
    "sqlite3.Connection",
    "sqlite3.Cursor",
    *SHARED_SQLITE.values(),
    "psycopg.Connection",
    "psycopg.Cursor",
    "psycopg2.extensions.connection",
    "psycopg2.extensions.cursor",
    "redis.Redis",
    "redis.StrictRedis",
    "pymongo.MongoClient",
)
# A redis client's module commands (``r.ft("idx").search(q)``, ``r.json().set(...)``) are
# another object's, made without a round trip, whose commands go through the client.
_REDIS_MODULES = ("ft", "json", "ts", "bf", "cf", "cms", "topk", "tdigest", "vset")
# The calls and items that make another object of the API without a round trip: pymongo's
# database, collection or cursor (a cursor does its I/O as it is iterated), a redis
# client's modules.
_DB_CHAINED = {
    "pymongo.MongoClient": (
        "__getitem__",
        "get_database",
        "get_default_database",
        "get_collection",
        "with_options",
        "find",
        "find_raw_batches",
        *("sort", "limit", "skip", "batch_size", "hint", "max_time_ms", "comment"),
        *("collation", "where", "allow_disk_use", "max", "min", "clone"),
    ),
    **{cls: _REDIS_MODULES for cls in _REDIS_CLIENTS},
}
# A redis pipeline buffers its commands, made without a round trip; ``execute`` sends
# them, and ``watch`` runs at once.
_REDIS_PIPELINE = "redis.client.Pipeline"
# Methods of those classes that do no I/O: sqlite3's ``interrupt`` is made to be called
# from another thread than the query's, and only sets a flag; libpq keeps a connection's
# state (busy, transaction status, backend pid, server parameters) on the client, and a
# cursor is made without a round trip (aiopg asks its asynchronous connection on the loop),
# and so is a redis pipeline.
_DB_NO_IO = {
    **{cls: ("interrupt",) for cls in ("sqlite3.Connection", SHARED_SQLITE["sqlite3.Connection"])},
    **{cls: ("pipeline",) for cls in _REDIS_CLIENTS},
    "psycopg.Connection": ("cursor", "fileno", "xid"),
    "psycopg2.extensions.connection": (
        "cursor",
        "fileno",
        "get_backend_pid",
        "get_parameter_status",
        "get_transaction_status",
        "isexecuting",
        "xid",
    ),
}
# The standard library's protocol clients (a class, and its methods that do no I/O): made
# with a host, one connects at once; every command is a round trip.
PROTOCOL_CLIENTS = {
    "http.client.HTTPConnection": ("set_debuglevel", "set_tunnel"),
    "http.client.HTTPSConnection": ("set_debuglevel", "set_tunnel"),
    "smtplib.SMTP": ("set_debuglevel", "has_extn"),
    "smtplib.SMTP_SSL": ("set_debuglevel", "has_extn"),
    "smtplib.LMTP": ("set_debuglevel", "has_extn"),
    "ftplib.FTP": ("set_debuglevel", "set_pasv", "getwelcome"),
    "ftplib.FTP_TLS": ("set_debuglevel", "set_pasv", "getwelcome"),
    "imaplib.IMAP4": ("_mesg",),
    "imaplib.IMAP4_SSL": ("_mesg",),
    "poplib.POP3": ("set_debuglevel", "getwelcome"),
    "poplib.POP3_SSL": ("set_debuglevel", "getwelcome"),
    # every method a proxy is asked for is a call to the server
    "xmlrpc.client.ServerProxy": (),
    "xmlrpc.client.Server": (),
}
# ``http.client`` and ``xmlrpc`` connect on the first request, not when made; the others
# when given a host.
_CONNECT_WHEN_MADE = tuple(c for c in PROTOCOL_CLIENTS if not c.startswith(("http.", "xmlrpc.")))
_HTTP_RESPONSE_IO = ("read", "read1", "readinto", "readinto1", "readline", "readlines", "peek")
# Name lookups that ask the resolver (the network, or files): ``getaddrinfo`` has its own
# entry (a numeric host only parses).
_DNS = ("gethostbyname_ex", "gethostbyaddr", "getfqdn", "getnameinfo")
_SOCKET = (
    "connect",
    "connect_ex",
    "recv",
    "recv_into",
    "recvfrom",
    "send",
    "sendall",
    "sendto",
    "accept",
    "makefile",
)

BLOCKING = (
    *(Blocking(f"requests.{verb}", "DBK501") for verb in _HTTP_VERBS),
    *(Blocking(f"requests.Session.{verb}", "DBK501") for verb in (*_HTTP_VERBS, "send")),
    *(Blocking(f"{lib}.{verb}", "DBK501") for lib in HTTPX for verb in (*_HTTP_VERBS, "stream")),
    *(
        Blocking(f"{lib}.Client.{verb}", "DBK501", async_equivalent="ASYNC212")
        for lib in HTTPX
        for verb in (*_HTTP_VERBS, "send", "stream", "close")
    ),
    Blocking("urllib.request.urlopen", "DBK501", unless_prefixed=("data:",)),
    Blocking("urllib.request.urlretrieve", "DBK501"),
    Blocking("urllib.request.OpenerDirector.open", "DBK501"),
    Blocking("urllib3.request", "DBK501"),
    *(
        Blocking(f"{pool}.{name}", "DBK501", async_equivalent="ASYNC211")
        for pool in _URLLIB3_POOLS
        for name in _URLLIB3_REQUESTS
    ),
    *(
        Blocking(f"{sdk}.{call}", "DBK502", async_twin=twin, lazy_result=True)
        for sdk, twin in SDKS
        if sdk.startswith("elevenlabs")
        for call in _LAZY_SDK_CALLS
    ),
    *(
        Blocking(f"{sdk}.*", "DBK502", async_twin=twin, chained_methods=_SDK_COPIES)
        for sdk, twin in SDKS
    ),
    Blocking("sqlite3.connect", "DBK503"),
    *(Blocking(f"{_REDIS_PIPELINE}.{name}", "DBK503") for name in ("execute", "watch")),
    # a redis lock is made without a round trip; a ``with`` block on one takes it at its
    # entry and releases it at its exit
    *(Blocking(f"{cls}.lock", "DBK503", only_entered=True) for cls in _REDIS_CLIENTS),
    *(
        Blocking(f"{lock}.{name}", "DBK503")
        for lock in (REDIS_LOCK, SHARED_MADE[REDIS_LOCK])
        for name in _REDIS_LOCK_CALLS
    ),
    Blocking("psycopg.connect", "DBK503"),
    Blocking("psycopg2.connect", "DBK503"),
    *(
        Blocking(
            f"{cls}.*",
            "DBK503",
            unless_methods=_DB_NO_IO.get(cls, ()),
            chained_methods=_DB_CHAINED.get(cls, ()),
            # pymongo's databases and collections are its attributes too (``client.app.users``)
            methods_only=cls != "pymongo.MongoClient",
        )
        for cls in _DB_CLASSES
    ),
    Blocking("socket.create_connection", "DBK504"),
    Blocking("socket.getaddrinfo", "DBK504", unless_named=("AI_NUMERICHOST",)),
    Blocking("socket.gethostbyname", "DBK504"),
    *(Blocking(f"socket.{name}", "DBK504") for name in _DNS),
    Blocking("ssl.get_server_certificate", "DBK504"),
    *(Blocking(f"socket.socket.{name}", "DBK504") for name in _SOCKET),
    *(
        Blocking(f"{cls}.*", "DBK505", unless_methods=no_io)
        for cls, no_io in PROTOCOL_CLIENTS.items()
    ),
    # made without a host, it connects only when asked to (``connect()``)
    *(Blocking(cls, "DBK505", only_given=("host",)) for cls in _CONNECT_WHEN_MADE),
    *(Blocking(f"http.client.HTTPResponse.{name}", "DBK505") for name in _HTTP_RESPONSE_IO),
    Blocking("xmlrpc.client.MultiCall.__call__", "DBK505"),  # sends the calls gathered
)

RETURNS = (
    Returns("requests.session", "requests.Session"),
    Returns("urllib3.connection_from_url", "urllib3.HTTPConnectionPool"),
    Returns("urllib3.proxy_from_url", "urllib3.ProxyManager"),
    Returns("urllib3.PoolManager.connection_from_url", "urllib3.HTTPConnectionPool"),
    Returns("sqlite3.connect", "sqlite3.Connection"),
    *(
        Returns(f"{connection}.{method}", cursor)
        for connection, cursor in _SQLITE_CURSORS.items()
        for method in ("cursor", "execute")
    ),
    Returns("psycopg.connect", "psycopg.Connection"),
    Returns("psycopg2.connect", "psycopg2.extensions.connection"),
    Returns("redis.from_url", "redis.Redis"),
    *(Returns(f"{cls}.pipeline", _REDIS_PIPELINE) for cls in _REDIS_CLIENTS),
    Returns("redis.Redis.from_url", "redis.Redis"),
    *(Returns(f"{cls}.lock", REDIS_LOCK) for cls in _REDIS_CLIENTS),
    Returns(REDIS_LOCK, REDIS_LOCK),
    Returns("socket.create_connection", "socket.socket"),
    Returns("urllib.request.build_opener", "urllib.request.OpenerDirector"),
    Returns("urllib.request.urlopen", "http.client.HTTPResponse"),
    *(Returns(cls, cls) for cls in PROTOCOL_CLIENTS),
    *(
        Returns(f"http.client.{cls}.getresponse", "http.client.HTTPResponse")
        for cls in ("HTTPConnection", "HTTPSConnection")
    ),
)

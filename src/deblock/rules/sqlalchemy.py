"""DBK604: SQLAlchemy's synchronous sessions, connections and engines in a coroutine.

Building statements and queries, making sessions and engines, and ``add`` do no I/O;
executing, loading, flushing and committing wait for the database. No fix is offered (the
rule's ``why`` says why)."""

from deblock.rules.model import Blocking, Returns, Rule

RULES = (
    Rule(
        code="DBK604",
        name="blocking-sqlalchemy",
        family="network",
        message="`{target}` waits for the database through synchronous SQLAlchemy; use its "
        "asyncio extension (`AsyncSession`, `AsyncConnection`)",
        what="Finds SQLAlchemy's synchronous database work in a coroutine: a `Session`'s (or "
        "`scoped_session`'s) `execute`, `scalar`, `scalars`, `get`, `merge`, `refresh`, "
        "`flush`, `commit`, `rollback` and `close`, a legacy `Query`'s results (`all`, "
        "`first`, `one`, `count`, ..., and iterating it), an `Engine`'s `connect` and "
        "`begin`, a `Connection`'s `execute` and `commit`, the `begin()` a `with` enters (of "
        "a session, a `sessionmaker` or a connection: the block's exit commits), and the reads "
        "of a result such an `execute` or `scalars` returned (`all`, `fetchall`, `first`, "
        "`scalar`, iterating it, ...), which fetch its rows from the driver's cursor. "
        "Building a query, making a session or an engine, and `add` do no I/O and are not "
        "reported.",
        why="Each of these waits for the database on the event loop's thread. No fix is "
        "offered. A thread is not one: what a session talks to may be bound to a thread (an "
        "in-memory SQLite engine gives each thread its own database; a `scoped_session`, "
        "each thread its own session), and the rows a result fetches as it is read and the "
        "connection a `with` block's exit releases would stay on the loop. The asyncio "
        "extension needs an async engine: a change of the program's set-up.",
        example="async def names(engine):\n    with Session(engine) as session:\n"
        "        return session.scalars(select(User.name)).all()",
        instead="async def names(engine):  # engine = create_async_engine(...)\n"
        "    async with AsyncSession(engine) as session:\n"
        "        return (await session.scalars(select(User.name))).all()",
    ),
)

# Each class under the names it is imported by.
_SESSIONS = ("sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session")
_SCOPED = ("sqlalchemy.orm.scoped_session", "sqlalchemy.orm.scoping.scoped_session")
_MAKERS = ("sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.session.sessionmaker")
_QUERIES = ("sqlalchemy.orm.Query", "sqlalchemy.orm.query.Query")
_ENGINES = ("sqlalchemy.Engine", "sqlalchemy.engine.Engine", "sqlalchemy.engine.base.Engine")
_CONNECTIONS = (
    "sqlalchemy.Connection",
    "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.base.Connection",
)
_CREATE_ENGINE = ("sqlalchemy.create_engine", "sqlalchemy.engine.create_engine")

# What runs SQL or releases a connection (a rollback on its return to the pool);
# ``begin_nested`` emits a SAVEPOINT at once.
_SESSION_IO = (
    *("execute", "scalar", "scalars", "get", "get_one", "merge", "refresh", "flush"),
    *("commit", "rollback", "close", "connection", "begin_nested"),
)
_CONNECTION_IO = ("execute", "exec_driver_sql", "scalar", "scalars", "commit", "rollback", "close")
# An engine checks out a pooled connection (opening one when the pool has none).
_ENGINE_IO = ("connect", "begin", "raw_connection", "dispose")
# A query's results; iterating it runs it too.
_QUERY_IO = (
    *("all", "first", "one", "one_or_none", "scalar", "count", "get", "delete", "update"),
    "__iter__",
)
# Methods that give another query, made without I/O.
_QUERY_CHAINED = (
    *("filter", "filter_by", "where", "order_by", "group_by", "having", "join", "outerjoin"),
    *("limit", "offset", "slice", "distinct", "options", "select_from", "with_entities"),
    *("add_columns", "add_entity", "execution_options", "params", "populate_existing"),
    *("yield_per", "enable_eagerloads", "correlate", "union", "union_all", "reset_joinpoint"),
)

# What a sync session's or connection's ``execute`` and ``scalars`` return: results whose
# rows are fetched from the driver's cursor as they are read (SQLite steps its statement
# there). Named apart from ``sqlalchemy.engine.Result``, which an annotation may give the
# result an ``AsyncSession`` returned, whose rows are buffered.
_RESULT = "sqlalchemy.engine.Result.fetching"
_SCALARS = "sqlalchemy.engine.ScalarResult.fetching"
_MAPPINGS = "sqlalchemy.engine.MappingResult.fetching"
_MADE = {"execute": _RESULT, "exec_driver_sql": _RESULT, "scalars": _SCALARS}
# Each result's reads, and the methods that give another result over the same rows.
_RESULT_READS = (
    *("fetchone", "fetchmany", "fetchall", "all", "first", "one", "one_or_none"),
    *("partitions", "__iter__"),
)
_FETCHED = {
    _RESULT: (
        (*_RESULT_READS, "scalar", "scalar_one", "scalar_one_or_none", "freeze"),
        {"scalars": _SCALARS, "mappings": _MAPPINGS, "unique": _RESULT, "columns": _RESULT},
    ),
    _SCALARS: (_RESULT_READS, {"unique": _SCALARS}),
    _MAPPINGS: (_RESULT_READS, {"unique": _MAPPINGS, "columns": _MAPPINGS}),
}

BLOCKING = tuple(
    Blocking(f"{cls}.{method}", "DBK604")
    for classes, methods in (
        (_SESSIONS + _SCOPED, _SESSION_IO),
        (_CONNECTIONS, _CONNECTION_IO),
        (_ENGINES, _ENGINE_IO),
        (_QUERIES, _QUERY_IO),
        *(((result,), reads) for result, (reads, _) in _FETCHED.items()),
    )
    for cls in classes
    for method in methods
) + tuple(
    # ``with session.begin():`` commits at the block's exit (and ``with maker.begin() as
    # session:``, ``with connection.begin():``); a ``begin()`` not entered does no I/O.
    Blocking(
        f"{cls}.begin",
        "DBK604",
        message="the `with` block of `{target}` commits at its exit, waiting for the "
        "database through synchronous SQLAlchemy; use its asyncio extension (`AsyncSession`, "
        "`AsyncConnection`)",
        only_entered=True,
    )
    for cls in _SESSIONS + _SCOPED + _MAKERS + _CONNECTIONS
)

RETURNS = (
    *(Returns(name, _ENGINES[0]) for name in _CREATE_ENGINE),
    *(
        Returns(f"{engine}.{method}", _CONNECTIONS[0])
        for engine in _ENGINES
        for method in ("connect", "begin")
    ),
    *(Returns(f"{session}.connection", _CONNECTIONS[0]) for session in _SESSIONS),
    *(Returns(f"{query}.{method}", _QUERIES[0]) for query in _QUERIES for method in _QUERY_CHAINED),
    # ``sessionmaker(bind=engine)`` is a factory: calling it (or its ``begin()``, entered)
    # gives a session.
    *(Returns(maker, maker) for maker in _MAKERS),
    *(
        Returns(f"{maker}.{call}", _SESSIONS[0])
        for maker in _MAKERS
        for call in ("__call__", "begin")
    ),
    # ``scoped_session(factory)`` offers a session's methods, on the calling thread's session.
    *(Returns(scoped, scoped) for scoped in _SCOPED),
    *(Returns(f"{scoped}.__call__", _SESSIONS[0]) for scoped in _SCOPED),
    *(Returns(f"{session}.query", _QUERIES[0]) for session in _SESSIONS + _SCOPED),
    *(
        Returns(f"{owner}.{method}", result)
        for owner in _SESSIONS + _SCOPED + _CONNECTIONS
        for method, result in _MADE.items()
    ),
    *(
        Returns(f"{result}.{method}", made)
        for result, (_, chained) in _FETCHED.items()
        for method, made in chained.items()
    ),
)

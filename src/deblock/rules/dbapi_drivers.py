"""DBK503's DB-API drivers besides sqlite3 and psycopg: MySQL (PyMySQL, mysql-connector),
SQL Server (pymssql, pyodbc) and Oracle (oracledb). Connecting, and every call on a
connection or cursor but those listed, talks to the server."""

from typing import NamedTuple

from deblock.rules.model import Blocking, Returns

RULES = ()  # the findings are DBK503's (``network``)


class _Driver(NamedTuple):
    """A driver: its connect functions, its connection classes (under the names they are
    imported by, the one ``connect`` returns first) and their methods that do no I/O, its
    cursor classes and theirs, and its DB-API ``threadsafety`` (2: threads may share a
    connection). A cursor is made without a round trip; escaping and quoting are done on
    the client."""

    connect: tuple[str, ...]
    connections: tuple[str, ...]
    connection_no_io: tuple[str, ...]
    cursors: tuple[str, ...]
    cursor_no_io: tuple[str, ...]
    threadsafety: int = 1


_DRIVERS = (
    _Driver(
        ("pymysql.connect", "pymysql.Connect"),
        ("pymysql.connections.Connection", "pymysql.Connection"),
        (
            *("cursor", "escape", "escape_string", "literal", "get_autocommit", "insert_id"),
            *("thread_id", "character_set_name", "get_host_info", "get_proto_info"),
            "get_server_info",
        ),
        ("pymysql.cursors.Cursor",),
        ("mogrify", "setinputsizes", "setoutputsizes"),
    ),
    _Driver(
        ("mysql.connector.connect",),
        (
            "mysql.connector.connection.MySQLConnection",
            "mysql.connector.MySQLConnection",
            "mysql.connector.connection_cext.CMySQLConnection",
        ),
        ("cursor", "in_transaction", "is_secure", "isset_client_flag", "get_server_info"),
        ("mysql.connector.cursor.MySQLCursor", "mysql.connector.cursor_cext.CMySQLCursor"),
        ("setinputsizes", "setoutputsize", "add_attribute", "get_attributes"),
    ),
    _Driver(
        ("pymssql.connect",),
        ("pymssql.Connection", "pymssql._pymssql.Connection"),
        ("cursor",),
        ("pymssql.Cursor", "pymssql._pymssql.Cursor"),
        ("setinputsizes", "setoutputsize"),
    ),
    _Driver(
        ("pyodbc.connect",),
        ("pyodbc.Connection",),
        ("cursor", "getinfo", "getdecoding", "setdecoding", "setencoding"),
        ("pyodbc.Cursor",),
        ("setinputsizes", "setoutputsize"),
    ),
    _Driver(
        ("oracledb.connect",),
        ("oracledb.Connection", "oracledb.connection.Connection"),
        ("cursor", "decode_oson", "encode_oson", "is_healthy", "msgproperties", "xid"),
        ("oracledb.Cursor", "oracledb.cursor.Cursor"),
        ("setinputsizes", "setoutputsize", "var", "arrayvar", "bindnames", "prepare"),
        threadsafety=2,
    ),
)

# Cursors, and the connections of drivers with DB-API ``threadsafety`` 1, must not be used
# from two threads at once.
NOT_THREAD_SAFE = frozenset(
    cls
    for driver in _DRIVERS
    for cls in (*driver.cursors, *(driver.connections if driver.threadsafety < 2 else ()))
)

BLOCKING = tuple(
    entry
    for driver in _DRIVERS
    for entry in (
        *(Blocking(name, "DBK503") for name in driver.connect),
        *(
            Blocking(f"{cls}.*", "DBK503", unless_methods=driver.connection_no_io)
            for cls in driver.connections
        ),
        *(
            Blocking(f"{cls}.*", "DBK503", unless_methods=driver.cursor_no_io)
            for cls in driver.cursors
        ),
    )
)

RETURNS = tuple(
    entry
    for driver in _DRIVERS
    for entry in (
        *(Returns(name, driver.connections[0]) for name in driver.connect),
        *(Returns(f"{cls}.cursor", driver.cursors[0]) for cls in driver.connections),
    )
)

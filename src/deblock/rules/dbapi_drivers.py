"""DBK503's DB-API drivers besides sqlite3 and psycopg: MySQL (PyMySQL, mysql-connector),
SQL Server (pymssql, pyodbc) and Oracle (oracledb). Connecting, and every call on a
connection or cursor but those listed, talks to the server."""

from deblock.rules.model import Blocking, Returns

RULES = ()  # the findings are DBK503's (``network``)

# A driver: its connect functions, its connection classes (under the names they are
# imported by, the one ``connect`` returns first) and the connection's methods that do no
# I/O, its cursor classes, and the cursor's methods that do none. A cursor is made without
# a round trip; escaping and quoting are done on the client.
_DRIVERS = (
    (
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
    (
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
    (
        ("pymssql.connect",),
        ("pymssql.Connection", "pymssql._pymssql.Connection"),
        ("cursor",),
        ("pymssql.Cursor", "pymssql._pymssql.Cursor"),
        ("setinputsizes", "setoutputsize"),
    ),
    (
        ("pyodbc.connect",),
        ("pyodbc.Connection",),
        ("cursor", "getinfo", "getdecoding", "setdecoding", "setencoding"),
        ("pyodbc.Cursor",),
        ("setinputsizes", "setoutputsize"),
    ),
    (
        ("oracledb.connect",),
        ("oracledb.Connection", "oracledb.connection.Connection"),
        ("cursor", "decode_oson", "encode_oson", "is_healthy", "msgproperties", "xid"),
        ("oracledb.Cursor", "oracledb.cursor.Cursor"),
        ("setinputsizes", "setoutputsize", "var", "arrayvar", "bindnames", "prepare"),
    ),
)

# Cursors, and the connections of drivers with DB-API ``threadsafety`` 1 (all but
# oracledb's), must not be used from two threads at once.
NOT_THREAD_SAFE = frozenset(
    cls
    for _, connections, _, cursors, _ in _DRIVERS
    for cls in (*cursors, *(() if connections[0].startswith("oracledb") else connections))
)

BLOCKING = tuple(
    entry
    for connect, connections, connection_no_io, cursors, cursor_no_io in _DRIVERS
    for entry in (
        *(Blocking(name, "DBK503") for name in connect),
        *(Blocking(f"{cls}.*", "DBK503", unless_methods=connection_no_io) for cls in connections),
        *(Blocking(f"{cls}.*", "DBK503", unless_methods=cursor_no_io) for cls in cursors),
    )
)

RETURNS = tuple(
    entry
    for connect, connections, _, cursors, _ in _DRIVERS
    for entry in (
        *(Returns(name, connections[0]) for name in connect),
        *(Returns(f"{cls}.cursor", cursors[0]) for cls in connections),
    )
)

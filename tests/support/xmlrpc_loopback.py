"""An XML-RPC server on 127.0.0.1 for the runtime fixtures' proxies, started at import: its
HTTP/1.1 handler keeps one connection a proxy, call after call; ``shout`` works a moment
(requests overlap on a busy pool), ``add`` at once; ``system.multicall`` takes a
``MultiCall``'s calls. ``insert`` keeps a value, ``count`` says how many are kept (its
answer on its way a moment), and ``insert_counted`` keeps one only when that many are
(another call's insert came between the count and it otherwise): the server's state, which
the proxies of all calls share."""

import threading
from socketserver import ThreadingMixIn
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer


class _Handler(SimpleXMLRPCRequestHandler):
    protocol_version = "HTTP/1.1"  # one connection, call after call

    def log_message(self, *args):
        pass


class _Server(ThreadingMixIn, SimpleXMLRPCServer):
    daemon_threads = True


def _shout(text):
    threading.Event().wait(0.002)  # the server's work
    return text.upper()


_values = []
_keeping = threading.Lock()


def _insert(value):
    with _keeping:
        _values.append(value)
        return len(_values)


def _count():
    counted = len(_values)
    threading.Event().wait(0.005)  # the answer's way back
    return counted


def _insert_counted(value, counted):
    with _keeping:
        if len(_values) != counted:
            return False
        _values.append(value)
        return True


_server = _Server(("127.0.0.1", 0), _Handler, allow_none=True)
_server.register_function(_shout, "shout")
_server.register_function(lambda a, b: a + b, "add")
_server.register_function(_insert, "insert")
_server.register_function(_count, "count")
_server.register_function(_insert_counted, "insert_counted")
_server.register_multicall_functions()
threading.Thread(target=_server.serve_forever, daemon=True).start()
URL = f"http://127.0.0.1:{_server.server_address[1]}"

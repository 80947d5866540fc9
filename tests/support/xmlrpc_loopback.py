"""An XML-RPC server on 127.0.0.1 for the runtime fixtures' proxies, started at import: its
HTTP/1.1 handler keeps one connection a proxy, call after call; ``shout`` works a moment
(requests overlap on a busy pool), ``add`` at once; ``system.multicall`` takes a
``MultiCall``'s calls."""

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


_server = _Server(("127.0.0.1", 0), _Handler, allow_none=True)
_server.register_function(_shout, "shout")
_server.register_function(lambda a, b: a + b, "add")
_server.register_multicall_functions()
threading.Thread(target=_server.serve_forever, daemon=True).start()
URL = f"http://127.0.0.1:{_server.server_address[1]}"

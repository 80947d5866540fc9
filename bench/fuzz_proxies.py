"""The protocol client ``fuzz_programs`` draws with ``proxies=True``: a stand-in for
``xmlrpc.client`` (its source written under the program's ``site-packages``, ahead of the
standard library on ``fuzz_run``'s path; nothing imports ``xmlrpc`` before the program) and the
steps that use it.

Each method a ``ServerProxy`` is asked for is a call to the server, which reads or writes one
JSON file of values in its data directory in one step that no other call interleaves with; a
``MultiCall`` gathers calls with no I/O and sends them as one (``system.multicall``), its
results an iterator over values already received. The directory lies beside the run's
directory (``setup`` names it to the server: ``SETUP``), named after it as
``fuzz_clients.SERVER`` says. A proxy's calls go over one HTTP connection: two threads
calling at once break it (``http.client.CannotSendRequest``, raised through the proxy, as
the real one's shared connection does).
"""

from __future__ import annotations

from fuzz_clients import SERVER

NAME = "xmlrpc.client"

_SOURCE = '''"""A stand-in for xmlrpc.client (fix_fuzz --proxies): one connection a proxy."""

import json
import os
import threading
import time

_SERVER = threading.Lock()
_DATA = []  # the run's directory, the last one a ``use`` call named
_STORAGE = {server!r}  # after the run's directory's name: the values lie beside it, not in it


class CannotSendRequest(Exception):
    """http.client's: a request sent on a connection whose last one is not answered yet."""


def _path():
    storage = _DATA[-1] + _STORAGE
    os.makedirs(storage, exist_ok=True)
    return os.path.join(storage, "values.json")


def _run(name, args):
    if name == "use":
        _DATA.append(args[0])
        return None
    if name == "system.multicall":
        return [[_run(call["methodName"], call["params"])] for call in args[0]]
    values = []
    if os.path.exists(_path()):
        with open(_path()) as fh:
            values = json.load(fh)
    if name == "insert":
        values.append(args[0])
        with open(_path(), "w") as fh:
            json.dump(values, fh)
    return values if name == "select" else len(values)


class _Method:
    def __init__(self, send, name):
        self._send, self._name = send, name

    def __getattr__(self, name):
        return _Method(self._send, f"{{self._name}}.{{name}}")

    def __call__(self, *args):
        return self._send(self._name, args)


class ServerProxy:
    def __init__(self, uri, allow_none=False, **options):
        self.__sending = threading.Lock()

    def __request(self, name, args):
        if not self.__sending.acquire(blocking=False):
            raise CannotSendRequest("Request-sent")
        try:
            time.sleep(0.0005)  # the round trip
            with _SERVER:
                return _run(name, list(args))
        finally:
            self.__sending.release()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Method(self.__request, name)

    def __call__(self, attr):
        if attr == "close":
            return lambda: None
        raise AttributeError(attr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


class MultiCall:
    def __init__(self, server):
        self.__server, self.__calls = server, []

    def __getattr__(self, name):
        return _Method(self.__add, name)

    def __add(self, name, args):
        self.__calls.append({{"methodName": name, "params": list(args)}})

    def __call__(self):
        return iter([result[0] for result in self.__server.system.multicall(self.__calls)])
'''


# A stand-in for paramiko (``ssh``): an SSH client's command is a call of the xmlrpc stand-in's
# server (``insert N``, ``count``, ``select``), one round trip; its output is read from stdout.
_SSH_SOURCE = '''"""A stand-in for paramiko (fix_fuzz --proxies --ssh): commands run on the
xmlrpc stand-in's server."""

import io
import time
from xmlrpc import client as _server


class SSHClient:
    def connect(self, hostname, **options):
        time.sleep(0.0005)

    def exec_command(self, command):
        name, *args = command.split()
        time.sleep(0.0005)  # the round trip
        with _server._SERVER:
            result = _server._run(name, [int(arg) for arg in args])
        return io.BytesIO(), io.BytesIO(str(result).encode()), io.BytesIO()

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
'''
SSH_PACKAGES = {"site-packages/paramiko/__init__.py": _SSH_SOURCE}
# The steps using an SSH client the step makes itself, to the proxies' server (``ssh``): an
# insert whose output is kept, a count then an insert of it (a check, then an act);
# ``SSH_LATER``: the count before an await and the insert after it.
_CONNECTED = ["ssh = paramiko.SSHClient()", 'ssh.connect("db")']
_COUNTED = ['_, stdout, _ = ssh.exec_command("count")', "seen = int(stdout.read())"]
SSH_STEPS = [
    [*_CONNECTED, '_, stdout, _ = ssh.exec_command(f"insert {i}")', "out.append(stdout.read())"],
    [*_CONNECTED, *_COUNTED, 'ssh.exec_command(f"insert {seen}")'],
]
SSH_LATER = [*_CONNECTED, *_COUNTED, "await asyncio.sleep(0)", 'ssh.exec_command(f"insert {seen}")']


def packages(name: str) -> dict[str, str]:
    """The files of the stand-in for ``xmlrpc`` (``name``) by path under the program's
    directory."""
    return {
        "site-packages/xmlrpc/__init__.py": "",
        "site-packages/xmlrpc/client.py": _SOURCE.format(server=SERVER),
    }


# the proxy a module's functions share (``DB``, ``self.db``), and how ``setup`` names the
# run's directory to the server
CONNECT = '{driver}.ServerProxy("http://db/")'
SETUP = '{driver}.ServerProxy("http://db/").use(root)'

# The steps using the proxy every call shares (``{db}``) or one of their own: a call whose
# result is kept, a listing, a count then an insert (a check, then an act), calls gathered
# in a ``MultiCall`` and their results listed, a method bound before its call, an insert of
# the count around its update; ``LATER``: a count before an await and an insert of it after.
STEPS = [
    ["out.append({db}.insert(i))"],
    ["out.append(len({db}.select()))"],
    ["if {db}.count() < 3:", "    {db}.insert(i)"],
    ['with {driver}.ServerProxy("http://db/") as own:', "    out.append(own.insert(i))"],
    [
        "batch = {driver}.MultiCall({db})",
        "batch.insert(i)",
        "batch.count()",
        "out.append(list(batch()))",
    ],
    ["send = {db}.insert", "out.append(send(i))"],
    ["n = {count}", "{db}.insert(n)", "{count} = n + 1"],
]
LATER = ["seen = {db}.count()", "await asyncio.sleep(0)", "{db}.insert(seen)"]

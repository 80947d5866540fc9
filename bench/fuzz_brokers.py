"""The message brokers' clients ``fuzz_programs`` draws with ``brokers=True``: stand-ins for
kafka-python and pika (their sources written under the program's ``site-packages``, as
``fuzz_proxies``' ``xmlrpc`` is) whose calls run on the ``xmlrpc`` stand-in's server, one
round trip each: a record sent or a message published is an ``insert``, a consumer's poll
is a ``select``, a channel's ``basic_get`` a ``count``. The producer is thread-safe, as
kafka-python's; a pika connection breaks when two threads send on it at once, as the real
one does.

The clients live in ``brokers.py`` or in ``program.py`` (``HOME``): a producer and a channel
every call shares, and sync helpers that are handed a client as a parameter
(``send_count``, ``publish_on``) or make one of their own (``count_records``,
``publish_own``): proxies38's shapes, which the generator's ``xmlrpc`` steps do not draw.
"""

from __future__ import annotations

MODULE = "brokers"

_COMMON = """import time
from xmlrpc import client as _server


def _call(name, *args):
    time.sleep(0.0005)  # the round trip
    with _server._SERVER:
        return _server._run(name, list(args))
"""

_KAFKA = f'''"""A stand-in for kafka-python (fix_fuzz --brokers): calls of the xmlrpc stand-in's
server; the producer is thread-safe."""

{_COMMON}

class KafkaProducer:
    def __init__(self, **configs):
        time.sleep(0.0005)  # it connects

    def send(self, topic, value):
        _call("insert", value)

    def flush(self):
        time.sleep(0.0005)

    def close(self):
        pass


class KafkaConsumer:
    def __init__(self, *topics, **configs):
        time.sleep(0.0005)  # it connects

    def poll(self, timeout_ms=0):
        return {{"counter": _call("select")}}

    def close(self):
        pass
'''

_PIKA = f'''"""A stand-in for pika (fix_fuzz --brokers): calls of the xmlrpc stand-in's server; a
connection breaks when two threads send on it at once."""

import threading
{_COMMON}

class ConnectionParameters:
    def __init__(self, host):
        self.host = host


class BlockingConnection:
    def __init__(self, parameters):
        time.sleep(0.0005)  # it connects
        self._sending = threading.Lock()

    def _ask(self, name, *args):
        if not self._sending.acquire(blocking=False):
            raise RuntimeError("pika: frames of two threads interleaved on one connection")
        try:
            return _call(name, *args)
        finally:
            self._sending.release()

    def channel(self):
        return BlockingChannel(self)

    def close(self):
        pass


class BlockingChannel:
    def __init__(self, connection):
        self.connection = connection

    def basic_publish(self, exchange, routing_key, body):
        self.connection._ask("insert", body)

    def basic_get(self, queue, auto_ack=False):
        return "method", "properties", str(self.connection._ask("count")).encode()
'''

PACKAGES = {
    "site-packages/kafka/__init__.py": _KAFKA,
    "site-packages/pika/__init__.py": _PIKA,
}

# The shared clients and the helpers: handed a client (a thread-safe producer, a channel
# that is not), or making one of their own (a consumer, a connection).
LIBRARIES = ("kafka", "pika")
HOME = [
    'PRODUCER = kafka.KafkaProducer(bootstrap_servers="db:9092")',
    'CHANNEL = pika.BlockingConnection(pika.ConnectionParameters("db")).channel()',
    "",
    "",
    "def send_count(producer, n):",
    '    producer.send("counter", n)',
    "    producer.flush()",
    "",
    "",
    "def publish_on(channel, n):",
    '    channel.basic_publish(exchange="", routing_key="counter", body=n)',
    "",
    "",
    "def count_records():",
    '    consumer = kafka.KafkaConsumer("counter", bootstrap_servers="db:9092")',
    "    fetched = consumer.poll(timeout_ms=100)",
    "    consumer.close()",
    "    return sum(len(records) for records in fetched.values())",
    "",
    "",
    "def publish_own(n):",
    '    own = pika.BlockingConnection(pika.ConnectionParameters("db"))',
    '    own.channel().basic_publish(exchange="", routing_key="counter", body=n)',
    "    own.close()",
]
# ``brokers.py``, when it is their home
SOURCE = "\n".join([*(f"import {name}" for name in LIBRARIES), "", "", *HOME]) + "\n"

# The steps (``{brokers}``: how their module names the clients' home): a count by a helper's
# own consumer, kept or sent through the shared producer handed to a helper (a check, then
# an act); the shared channel handed to a helper; a get through the shared channel, then a
# publish of it by a helper's own connection or through the channel handed on; a producer
# the step makes, handed to a helper; ``LATER``: a count before an await, its send after.
_GET = '_, _, body = {brokers}CHANNEL.basic_get("counter")'
STEPS = [
    ["out.append({brokers}count_records())"],
    ["seen = {brokers}count_records()", "{brokers}send_count({brokers}PRODUCER, seen)"],
    ["{brokers}publish_on({brokers}CHANNEL, i)"],
    [_GET, "{brokers}publish_own(int(body))"],
    [_GET, "{brokers}publish_on({brokers}CHANNEL, int(body))"],
    ["{brokers}send_count({brokers}PRODUCER, i)", "out.append({brokers}count_records())"],
    [
        'producer = kafka.KafkaProducer(bootstrap_servers="db:9092")',
        "{brokers}send_count(producer, {brokers}count_records())",
    ],
]
LATER = [
    "seen = {brokers}count_records()",
    "await asyncio.sleep(0)",
    "{brokers}send_count({brokers}PRODUCER, seen)",
]

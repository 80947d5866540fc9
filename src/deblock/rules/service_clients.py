"""Third-party synchronous clients of servers under DBK505 (httplib2's under DBK501): SSH and
SFTP (paramiko), AMQP (pika), Kafka (kafka-python) and the Docker engine (docker). Every
call on one but those listed is a round trip to the server; so are the reads of the files
an SSH command's ``exec_command`` returns."""

from typing import NamedTuple

from deblock.rules.model import Blocking, Returns

RULES = ()  # the findings are DBK505's and DBK501's (``network``)


class _Client(NamedTuple):
    """A client class under the names it is imported by (its own module's first), its
    methods that do no I/O, those that return a generator doing its I/O as it is iterated
    (``lazy``) and those whose generator waits for more without end (``endless``: no fix),
    whether making one connects, whether threads may share one, and the rule's code.
    (Exact entries come before a class's wildcard: ``lazy`` and ``endless`` methods and
    an SSH client's known-hosts files have their own.)"""

    names: tuple[str, ...]
    no_io: tuple[str, ...] = ()
    lazy: tuple[str, ...] = ()
    endless: tuple[str, ...] = ()
    connects_when_made: bool = False
    thread_safe: bool = False
    code: str = "DBK505"


_SSH = ("paramiko.client.SSHClient", "paramiko.SSHClient")
_SFTP = ("paramiko.sftp_client.SFTPClient", "paramiko.SFTPClient")
_PIKA = (
    "pika.adapters.blocking_connection.BlockingConnection",
    "pika.adapters.BlockingConnection",
    "pika.BlockingConnection",
)
_PIKA_CHANNEL = "pika.adapters.blocking_connection.BlockingChannel"
_DOCKER = ("docker.client.DockerClient", "docker.DockerClient")
# What an SSH client's ``exec_command`` returns: the command's stdin, stdout and stderr,
# files over the session's channel, read and written after the call returned; the reads
# wait for the remote command's output, and its channel's ``recv_exit_status`` for its end.
_EXECUTED = "paramiko.client.SSHClient.exec_command()"
_CHANNEL_FILES = (
    "paramiko.channel.ChannelStdinFile",
    "paramiko.channel.ChannelFile",
    "paramiko.channel.ChannelStderrFile",
)
_CHANNEL = "paramiko.channel.Channel"
_CHANNEL_FILE_IO = (
    *("read", "readline", "readlines", "readinto", "__iter__"),
    *("write", "writelines", "flush"),
)
_CHANNEL_IO = (
    *("recv_exit_status", "recv", "recv_stderr"),
    *("send", "sendall", "send_stderr", "sendall_stderr"),
)
# An SSH client's known-hosts files are read and written on the local disk.
_SSH_HOST_KEY_FILES = ("load_system_host_keys", "load_host_keys", "save_host_keys")

_CLIENTS = (
    _Client(
        _SSH,
        no_io=("get_host_keys", "set_log_channel", "set_missing_host_key_policy", "get_transport"),
    ),
    _Client(_SFTP, no_io=("get_channel", "getcwd"), lazy=("listdir_iter",)),
    _Client(
        _PIKA,
        no_io=(
            *("add_on_connection_blocked_callback", "add_on_connection_unblocked_callback"),
            *("call_later", "add_callback_threadsafe", "remove_timeout"),
        ),
        connects_when_made=True,
    ),
    _Client(
        (_PIKA_CHANNEL,),
        no_io=("add_on_cancel_callback", "add_on_return_callback", "get_waiting_message_count"),
        endless=("consume",),
    ),
    _Client(
        ("kafka.producer.kafka.KafkaProducer", "kafka.KafkaProducer"),
        no_io=("metrics", "bootstrap_connected"),
        connects_when_made=True,
        thread_safe=True,  # kafka-python documents its producer as thread-safe
    ),
    _Client(
        ("kafka.consumer.group.KafkaConsumer", "kafka.KafkaConsumer"),
        no_io=(
            *("metrics", "bootstrap_connected", "assign", "assignment", "subscribe"),
            *("subscription", "unsubscribe", "pause", "paused", "resume", "seek"),
            *("seek_to_beginning", "seek_to_end", "highwater", "group_metadata"),
        ),
        connects_when_made=True,
    ),
    # ``DockerClient()`` asks the engine for its API version unless given one
    _Client(_DOCKER, no_io=("close",), endless=("events",), connects_when_made=True),
    _Client(
        ("httplib2.Http",),
        no_io=("add_credentials", "add_certificate", "clear_credentials", "close"),
        code="DBK501",
    ),
)
_DOCKER_FROM_ENV = (
    "docker.from_env",
    "docker.client.from_env",
    *(f"{c}.from_env" for c in _DOCKER),
)

BLOCKING = (
    *(
        Blocking(f"{name}.*", client.code, unless_methods=client.no_io)
        for client in _CLIENTS
        for name in client.names
    ),
    *(
        Blocking(
            f"{name}.{method}",
            client.code,
            lazy_result=method in client.lazy,
            endless=method in client.endless,
        )
        for client in _CLIENTS
        for name in client.names
        for method in (*client.lazy, *client.endless)
    ),
    *(
        Blocking(name, client.code)
        for client in _CLIENTS
        if client.connects_when_made
        for name in client.names
    ),
    *(Blocking(name, "DBK505") for name in _DOCKER_FROM_ENV),
    *(Blocking(f"{name}.{method}", "DBK301") for name in _SSH for method in _SSH_HOST_KEY_FILES),
    *(Blocking(f"{f}.{method}", "DBK505") for f in _CHANNEL_FILES for method in _CHANNEL_FILE_IO),
    *(Blocking(f"{_CHANNEL}.{method}", "DBK505") for method in _CHANNEL_IO),
)

RETURNS = (
    *(Returns(f"{name}.open_sftp", _SFTP[0]) for name in _SSH),
    *(Returns(f"{name}.exec_command", _EXECUTED) for name in _SSH),
    *(Returns(f"{_EXECUTED}[{i}]", f, attribute=True) for i, f in enumerate(_CHANNEL_FILES)),
    *(Returns(f"{f}.channel", _CHANNEL, attribute=True) for f in _CHANNEL_FILES),
    *(Returns(f"{name}.channel", _PIKA_CHANNEL) for name in _PIKA),
    *(Returns(name, _DOCKER[0]) for name in _DOCKER_FROM_ENV),
)

# Clients two threads must not use at once.
NOT_THREAD_SAFE = frozenset(
    [name for client in _CLIENTS if not client.thread_safe for name in client.names]
    + [*_CHANNEL_FILES, _CHANNEL]
)

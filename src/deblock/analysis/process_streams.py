"""The process's standard streams: where a module's code writes ``sys.stdout`` or
``sys.stderr`` (by any name ``standard_streams`` knows, ``print``, a logging handler, click or
rich), which a fix's thread that writes one must not meet (``SectionPlanner._keep_streams``,
``project.streams``).
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from functools import cached_property
from typing import TYPE_CHECKING

from deblock.analysis.nodes import last_name, own_nodes, statements_below, walk
from deblock.analysis.standard_streams import stream_aliases, stream_names
from deblock.analysis.stream_objects import CONFIGURES, LOG_METHODS, StreamObjects

if TYPE_CHECKING:
    from deblock.analysis.positions import LineIndex
    from deblock.analysis.scopes import Scope
    from deblock.analysis.walker import FunctionRecord


def stream_reason(name: str, where: str) -> str:
    """Why a fix that writes ``sys.{name}`` in a thread is declined: ``where`` writes it."""
    return f"it writes `sys.{name}`, which {where} writes too: in a worker thread, {TORN}"


TORN = "other tasks' writes to the stream would come between its own"


class ModuleStreams:
    """The writes of ``sys.stdout`` and ``sys.stderr`` by a module's functions
    (``functions``, the walk's records) and its top-level code (``tree``: what outlives
    the import, a logging handler), read once a fix's thread writes one or another module
    asks (``ModuleSummary.stream_writers``); ``scope``: the module's; ``imported``: its
    imported names, by the qualified names they bind (``StreamObjects``); ``lines``: its
    source's."""

    def __init__(
        self,
        functions: list[FunctionRecord],
        tree: ast.Module,
        scope: Scope,
        module: str,
        imported: dict,
        lines: LineIndex,
    ):
        self.functions, self.tree, self.scope, self.module = functions, tree, scope, module
        self.imported, self.lines = imported, lines

    @cached_property
    def objects(self) -> StreamObjects:
        return StreamObjects(lambda: statements_below(self.tree), self.imported)

    @cached_property
    def writes(self) -> list[tuple[str, ast.AST, tuple[int, int], str]]:
        """(function's name, its node, where, ``stdout`` or ``stderr``) of each write; the
        module's name and ``tree`` for its top level. Only code on the lines that name a
        write other than click's or rich's (``_WRITE_WORDS``), or a module's name for a
        stream (``from sys import stderr as err``), is read, unless the module imports them
        (``StreamObjects.writers``)."""
        objects, scope = self.objects, self.scope
        named = self.lines.naming(_WRITE_WORDS)
        if not named and not objects.writers:
            return []
        aliases = stream_aliases(scope)
        if aliases:
            named = sorted({*named, *self.lines.naming(aliases)})
        top = [
            (self.module, self.tree, at, n) for at, n in stream_writes(self.tree, scope, objects)
        ]
        return top + [
            (record.qualname, record.node, at, name)
            for record in self.functions
            if record.node is not None and (objects.writers or _on_lines(record.node, named))
            for at, name in stream_writes(
                record.node, record.own_scope or record.scope, objects, record.own_code
            )
        ]

    def logged(self) -> tuple[str, ...]:
        """The functions that log a record at ``WARNING`` or above (``StreamObjects.logs``:
        ``sys.stderr``'s when the process configures no handler; at the top level, as the
        module is imported, before its coroutines run). Only functions on the lines that
        name a logging call's method (``LOG_METHODS``) are read."""
        objects = self.objects
        if not objects.logging:
            return ()
        named = self.lines.naming(LOG_METHODS)
        return tuple(
            sorted(
                {
                    record.qualname
                    for record in self.functions
                    if record.node is not None
                    and _on_lines(record.node, named)
                    and any(n.__class__ is ast.Call and objects.logs(n) for n in record.own_code)
                }
            )
        )

    def handlers(self) -> bool:
        """Whether the module configures logging's handlers (``CONFIGURES``)."""
        return bool(self.lines.naming(CONFIGURES)) and any(
            n.__class__ is ast.Call and last_name(n.func) in CONFIGURES for n in walk(self.tree)
        )


def _on_lines(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[int]) -> bool:
    """Whether one of the sorted ``lines`` lies within ``function``, its decorators too."""
    first = min([function.lineno, *(d.lineno for d in function.decorator_list)])
    i = bisect_left(lines, first)
    return i < len(lines) and lines[i] <= function.end_lineno


def stream_writes(
    function: ast.AST, scope: Scope, objects: StreamObjects, nodes: list[ast.AST] | None = None
) -> list[tuple[tuple[int, int], str]]:
    """Where ``function``'s own code (or a module's top level), of ``scope``, may write the
    process's ``sys.stdout`` or ``sys.stderr``, and which: a use of it (``stream_names``)
    that is not a look at one of its attributes (``sys.stderr.isatty()``); a logging
    handler made with no stream
    (``StreamHandler()``, ``basicConfig()``), which writes ``sys.stderr`` at each record
    logged; and in a function, a ``print`` with no ``file`` (standard output), and a write
    through click or rich (``objects``) (a module's top level prints as it is imported,
    before its coroutines run); unless the function binds ``print`` itself. ``nodes``: the
    function's own nodes (``own_nodes``) when already walked. The names it binds and the
    streams' attributes it looks at are read only once a write is met."""
    nodes = list(own_nodes(function)) if nodes is None else nodes
    read: dict[str, set] = {}  # the names it binds, the streams looked at: once asked

    def binds(name: str) -> bool:
        if "bound" not in read:
            read["bound"] = _bound_names(function, nodes)
        return name in read["bound"]

    def looked(stream: ast.AST) -> bool:
        if "looks" not in read:
            read["looks"] = {
                n.value for n in nodes if n.__class__ is ast.Attribute and n.attr in _LOOKS
            }
        return stream in read["looks"]

    inner = function.__class__ is not ast.Module
    found = []
    for node in nodes:
        streams = _read_stream(node, scope)
        if streams:
            if not looked(node):
                found += [((node.lineno, node.col_offset), name) for name in sorted(streams)]
        elif node.__class__ is not ast.Call:
            continue
        elif _logs_to_stderr(node):
            found.append(((node.lineno, node.col_offset), "stderr"))
        elif (
            inner
            and node.func.__class__ is ast.Name
            and node.func.id == "print"
            and not any(k.arg == "file" for k in node.keywords)
            and not binds("print")
        ):
            found.append(((node.lineno, node.col_offset), "stdout"))
        elif inner:
            found += [((node.lineno, node.col_offset), n) for n in objects.streams(node)]
    return found


def _logs_to_stderr(call: ast.Call) -> bool:
    """Whether ``call`` makes a logging handler of ``sys.stderr``: one of
    ``_STDERR_HANDLERS`` given no stream (nor file, nor handlers) and no ``**`` keywords."""
    given = _STDERR_HANDLERS.get(last_name(call.func))
    return (
        given is not None
        and not (call.args and given[0])
        and not any(k.arg is None or k.arg in given[1] for k in call.keywords)
    )


# The names a write of a standard stream other than click's or rich's stands on
# (``stream_writes``: ``sys.stdout``, ``sys.stderr``, a handler, ``print``).
_WRITE_WORDS = ("stdout", "stderr", "StreamHandler", "basicConfig", "print")
# What a module that writes a standard stream names (``stream_writes``).
STREAM_WORDS = (
    "print",
    "stdout",
    "stderr",
    "StreamHandler",
    "basicConfig",
    "echo",
    "Console",
    "logging",
)
# The logging calls that make a handler writing ``sys.stderr`` when given no stream: whether
# a positional argument is its stream, and the keywords that give another.
_STDERR_HANDLERS = {
    "StreamHandler": (True, ("stream",)),
    "basicConfig": (False, ("stream", "filename", "handlers")),
}


def _bound_names(function: ast.AST, nodes: list[ast.AST]) -> set[str]:
    """The names ``function`` binds itself (assignments, imports, parameters)."""
    names = {n.id for n in nodes if n.__class__ is ast.Name and n.ctx.__class__ is not ast.Load}
    names |= {
        (alias.asname or alias.name).partition(".")[0]
        for n in nodes
        if n.__class__ in (ast.Import, ast.ImportFrom)
        for alias in n.names
    }
    arguments = getattr(function, "args", None)  # none at a module's top level
    return names | {a.arg for a in ast.walk(arguments or ast.arguments()) if a.__class__ is ast.arg}


# Attributes of a stream looked at, not written through.
_LOOKS = frozenset(
    {"isatty", "fileno", "encoding", "errors", "name", "closed", "mode", "readable", "writable"}
)


def _read_stream(node: ast.AST, scope: Scope) -> frozenset[str]:
    """Which standard streams ``node``, a name or an attribute read, is (``stream_names``:
    not its ``buffer``, whose stream is a node below)."""
    if node.__class__ not in (ast.Name, ast.Attribute) or node.ctx.__class__ is not ast.Load:
        return frozenset()
    if node.__class__ is ast.Attribute and node.attr == "buffer":
        return frozenset()
    return stream_names(node, scope)

"""Writes of the process's standard streams through other objects than ``print`` and
``sys``: click's ``echo`` and ``secho`` (``sys.stdout``, ``sys.stderr`` with ``err=True``),
rich's ``print`` (``sys.stdout``) and a rich ``Console``'s ``print``, ``log``… (the stream
it was made for: ``sys.stdout``, ``sys.stderr`` with ``stderr=True``). None of them writes
a standard stream when handed a ``file``. A console is known by the call that makes it:
``Console().print(x)``, or a name or attribute bound to one anywhere in the module
(``console = Console()`` then ``console.print(x)``; ``self.console``: by its attribute).
And a record logged at ``WARNING`` or above (``logging.warning(x)``, ``log.error(x)`` of
``log = logging.getLogger(...)``, known as a console is) goes to ``logging.lastResort``,
which writes ``sys.stderr``, when the process configures no handler: the project pass
weighs that (``ModuleSummary.logged``, ``handlers``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from deblock.analysis.nodes import dotted_name

_ECHOES = frozenset({"click.echo", "click.secho", "click.utils.echo", "click.termui.secho"})
_PRINTS = frozenset({"rich.print"})
_CONSOLES = frozenset({"rich.console.Console", "rich.get_console"})
# A console's methods that write what they are handed to its stream.
_CONSOLE_WRITES = frozenset({"print", "log", "out", "rule", "print_json", "print_exception"})
_BOTH = ("stdout", "stderr")
_LOGGERS = frozenset({"logging.getLogger"})
# The logging calls that log at ``WARNING`` or above (``log`` at the level it is handed).
_WARNINGS = frozenset({"warning", "warn", "error", "exception", "critical", "fatal"})
_BELOW = frozenset({"DEBUG", "INFO", "NOTSET"})
# The methods ``logs`` reads a record's level from.
LOG_METHODS = (*_WARNINGS, "log")
# The calls that configure logging's handlers (``logging.lastResort`` then writes nothing).
CONFIGURES = frozenset({"basicConfig", "addHandler", "dictConfig", "fileConfig"})


class StreamObjects:
    """The module's writers of the standard streams other than ``print`` and ``sys``,
    read from its statements (``nodes()``, in ``ast.walk``'s order) with ``imported`` (the
    module's imported names, by the qualified names they bind). Only a module that imports
    click or rich can write through them, only one that imports logging can log: no other
    module's nodes are read."""

    def __init__(self, nodes: Callable[[], list[ast.AST]], imported: dict[str, str]):
        self.imported = imported
        roots = {q.partition(".")[0] for q in imported.values()}
        self.writers = bool(roots & {"click", "rich"})
        self.logging = "logging" in roots
        # a name or ``.attribute`` bound to a console, with the streams it writes
        self.consoles: dict[str, tuple[str, ...]] = {}
        self.loggers: set[str] = set()  # and those bound to a logger
        for node in nodes() if self.writers or self.logging else ():
            if node.__class__ is ast.Assign and node.value.__class__ is ast.Call:
                streams = self._console(node.value)
                logger = self._logger(node.value)
                for key in filter(None, map(_bound_key, node.targets)):
                    if streams is not None:
                        self.consoles[key] = streams
                    elif logger:
                        self.loggers.add(key)

    def logs(self, call: ast.Call) -> bool:
        """Whether ``call`` logs a record at ``WARNING`` or above through logging's
        functions or a logger the module gets (``logging.lastResort`` writes it to
        ``sys.stderr`` when the process configures no handler)."""
        func = call.func
        if func.__class__ is not ast.Attribute or not self.logging:
            return False
        if func.attr == "log":
            level = call.args[0] if call.args else None
            if level is None or _named_level(level) in _BELOW or _low(level):
                return False
        elif func.attr not in _WARNINGS:
            return False
        made = func.value
        if made.__class__ is ast.Call:
            return self._logger(made)
        key = _bound_key(made)
        return key in self.loggers or self._qualified(made) in ("logging", "logging.root")

    def _logger(self, call: ast.Call) -> bool:
        return self._qualified(call.func) in _LOGGERS

    def streams(self, call: ast.Call) -> tuple[str, ...]:
        """The standard streams ``call`` writes (none: it writes neither, or a file)."""
        if not self.writers:
            return ()
        qualname = self._qualified(call.func)
        if qualname in _ECHOES:
            return _streams(call, "err", file_place=1)
        if qualname in _PRINTS:
            return _streams(call, None, file_place=None)
        func = call.func
        if func.__class__ is not ast.Attribute or func.attr not in _CONSOLE_WRITES:
            return ()
        made = func.value
        if made.__class__ is ast.Call:
            return self._console(made) or ()
        return self.consoles.get(_bound_key(made) or "", ())

    def _console(self, call: ast.Call) -> tuple[str, ...] | None:
        """The streams a console ``call`` makes writes (none: a file); None when it makes
        none."""
        if self._qualified(call.func) not in _CONSOLES:
            return None
        return _streams(call, "stderr", file_place=None)

    def _qualified(self, func: ast.expr) -> str | None:
        """What ``func`` names through the module's imports (``click.echo`` for ``echo``
        of ``from click import echo``)."""
        name = dotted_name(func)
        head, dot, rest = (name or "").partition(".")
        qualname = self.imported.get(head)
        return f"{qualname}{dot}{rest}" if qualname else None


def _streams(call: ast.Call, err: str | None, file_place: int | None) -> tuple[str, ...]:
    """The streams ``call`` writes: none when handed a ``file`` (by keyword or at
    ``file_place``) that is not ``None``; ``sys.stderr`` when its keyword ``err`` is a true
    constant, either when it is not a constant, else ``sys.stdout``."""
    handed = {k.arg: k.value for k in call.keywords}
    if file_place is not None and len(call.args) > file_place:
        handed.setdefault("file", call.args[file_place])
    if None in handed or not _none(handed.get("file")):
        return _BOTH if None in handed else ()
    flag = handed.get(err) if err else None
    if flag is None:
        return ("stdout",)
    if flag.__class__ is not ast.Constant:
        return _BOTH
    return ("stderr",) if flag.value else ("stdout",)


def _named_level(level: ast.expr) -> str | None:
    """The name of a level such as ``logging.INFO`` (its last name)."""
    return level.attr if level.__class__ is ast.Attribute else getattr(level, "id", None)


def _low(level: ast.expr) -> bool:
    """Whether ``level`` is a number below ``WARNING`` (30)."""
    return level.__class__ is ast.Constant and isinstance(level.value, int) and level.value < 30


def _none(value: ast.expr | None) -> bool:
    return value is None or (value.__class__ is ast.Constant and value.value is None)


def _bound_key(target: ast.expr) -> str | None:
    """How a console bound to ``target`` is found again: a name, or ``.attr`` for any
    object's attribute of that name (``self.console``)."""
    if target.__class__ is ast.Name:
        return target.id
    return f".{target.attr}" if target.__class__ is ast.Attribute else None
